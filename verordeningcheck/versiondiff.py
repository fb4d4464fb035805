"""Version diff: compare two versions of an ordinance (current vs draft).

Both versions go through the ordinary pipeline (:func:`pipeline.check`); this module only
reads the two :class:`~pipeline.CheckResult` objects and never the files.

What it produces (:class:`VersionDiff`):

- **articles**, aligned by number *and* content. Every article ends up as exactly one
  :class:`ArticleChange` of one kind:

  ``unchanged``   same number, same title and text (whitespace ignored);
  ``changed``     same number, similar content, title or text differ;
  ``renumbered``  found by content under another number, in the same order as its
                  neighbours (e.g. all articles after an inserted one shift by three);
  ``moved``       found by content, but its position relative to the other matched
                  articles changed (taken out of the longest order-preserving chain);
  ``added``       only in the new version;
  ``removed``     only in the old version.

  Renumbered and moved articles may also have text changes (``text_changed``). Every
  entry carries a word-level redline (``segments``: ``equal`` / ``insert`` / ``delete``);
  ``equal`` + ``insert`` segments rebuild the new text, ``equal`` + ``delete`` the old text
  (up to whitespace).
- **elements**: every catalogue element, present before / after, with a Dutch sentence for
  each element that appears or disappears ("Dit concept voegt een melding toe (artikel 3).").
- **verdict**: verdict, lean, confidence, generation and scores before and after.

Matching uses ``rapidfuzz`` (normalised Indel similarity, C++ bit-parallel) for the
all-pairs comparison of article texts, and ``difflib.SequenceMatcher`` for the redline
(longest matching blocks read better than a minimal edit script).

The JSON shape of :meth:`VersionDiff.to_dict` is documented in docs/json.md.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from . import __version__
from .limits import limits_from_options
from .model import Article, Document
from .options import config_option, limit_options, rules_option, wet_option
from .bron.cli import offline_option

# ---------------------------------------------------------------- alignment thresholds
# Similarities are 0..1 (rapidfuzz ratio / 100) over "title + text", case-folded, with
# whitespace collapsed.

#: same number: pair the two articles when their content is at least this similar
SAME_NUMBER_MIN = 0.5
#: different number: pair by content alone from this similarity on
CONTENT_MIN = 0.6
#: different number but the same (non-empty) title: a lower bar suffices
SAME_TITLE_MIN = 0.4
#: tie-breaking bonuses when choosing between candidate pairs
NUMBER_BONUS = 0.05
TITLE_BONUS = 0.03

KINDS = ("unchanged", "changed", "renumbered", "moved", "added", "removed")
KIND_NL = {
    "unchanged": "ongewijzigd",
    "changed": "gewijzigd",
    "renumbered": "vernummerd",
    "moved": "verplaatst",
    "added": "nieuw",
    "removed": "vervallen",
}
CHANGE_NL = {"added": "toegevoegd", "removed": "vervallen", "kept": "blijft", "absent": "in geen van beide"}

from .labels import GENERATION_NL, MODEL_NL, VERDICT_NL, verdict_label  # noqa: E402

# Plain-language Dutch per element: (object when added, subject when removed, plural).
# "Dit concept voegt {added} toe (artikel 3)." / "{Removed} vervalt (was artikel 7)."
ELEMENT_NL: dict[str, tuple[str, str, bool]] = {
    "melding": ("een melding", "de melding", False),
    "gesprek": ("een gesprek vóór de aanvraag", "het gesprek vóór de aanvraag", False),
    "gesprek_situaties": ("vaste momenten voor het gesprek", "de vaste momenten voor het gesprek", True),
    "acht_resultaten": ("de acht te bereiken resultaten", "de acht te bereiken resultaten", True),
    "eigen_kracht": ("eigen kracht en het sociale netwerk als eerste oplossing",
                     "de voorrang voor eigen kracht en het sociale netwerk", False),
    "mantelzorg": ("aandacht voor de mantelzorger", "de aandacht voor de mantelzorger", False),
    "wederkerigheid": ("wederkerigheid (wat iemand voor anderen kan doen)", "de wederkerigheid", False),
    "verslag": ("een verslag van het gesprek", "het verslag van het gesprek", False),
    "verslag_als_aanvraag": ("het ondertekende verslag als aanvraag", "het verslag als aanvraag", False),
    "scheiding_functies": ("een scheiding van functies tussen gesprek en besluit", "de scheiding van functies", False),
    "brede_beoordeling": ("een bredere beoordeling als er geen gesprek was",
                          "de bredere beoordeling zonder gesprek", False),
    "verantwoordelijkheidsladder": ("de verantwoordelijkheidsladder", "de verantwoordelijkheidsladder", False),
    "huisbezoek": ("een huisbezoek", "het huisbezoek", False),
    "lijst_onderwerpen": ("een lijst met gespreksonderwerpen vooraf", "de lijst met gespreksonderwerpen", False),
    "sociale_kaart": ("kennis van de sociale kaart", "de kennis van de sociale kaart", False),
    "icf_facultatief": ("het facultatieve gebruik van de ICF-classificatie",
                        "het facultatieve gebruik van de ICF-classificatie", False),
    "aanvraag_startpunt": ("de aanvraag als startpunt", "de aanvraag als startpunt", False),
    "samenhangende_afstemming": ("de samenhangende afstemming", "de samenhangende afstemming", False),
    "primaat_collectief": ("de voorrang van algemene en collectieve voorzieningen",
                           "de voorrang van algemene en collectieve voorzieningen", False),
    "primaat_verhuizing": ("de voorrang van verhuizing en een losse woonunit",
                           "de voorrang van verhuizing en een losse woonunit", False),
    "vier_domeinen": ("de vier compensatiedomeinen", "de vier compensatiedomeinen", True),
    "icf_verplicht": ("een verplicht gebruik van de ICF-classificatie",
                      "de verplichting om de ICF-classificatie te gebruiken", False),
    "hulpvraag_inventarisatie": ("een gezamenlijke inventarisatie van de hulpvraag",
                                 "de gezamenlijke inventarisatie van de hulpvraag", False),
}


# ---------------------------------------------------------------- result dataclasses


@dataclass
class Segment:
    """A run of the word-level redline: ``equal``, ``insert`` (new only) or ``delete`` (old only)."""

    op: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


@dataclass
class ArticleChange:
    kind: str  # one of KINDS
    old_number: str | None
    new_number: str | None
    old_title: str = ""
    new_title: str = ""
    old_chapter: str | None = None
    new_chapter: str | None = None
    old_status: str | None = None
    new_status: str | None = None
    similarity: float | None = None  # 0..1, None for added/removed
    text_changed: bool = False
    title_changed: bool = False
    segments: list[Segment] = field(default_factory=list)
    elements_before: list[str] = field(default_factory=list)  # element ids with evidence in the old article
    elements_after: list[str] = field(default_factory=list)
    summary: str = ""  # one Dutch sentence

    @property
    def label(self) -> str:
        return KIND_NL.get(self.kind, self.kind)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title

    @property
    def anchor(self) -> str:
        if self.new_number is not None:
            return "nieuw-" + _slug(self.new_number)
        return "oud-" + _slug(self.old_number or "")

    @property
    def similarity_pct(self) -> str:
        """"87%"; never "100%" for texts that differ, "—" when there is no counterpart."""
        if self.similarity is None:
            return "—"
        pct = round(self.similarity * 100)
        if pct == 100 and (self.text_changed or self.title_changed):
            pct = 99
        return f"{pct}%"

    @property
    def old_text(self) -> str:
        return "".join(s.text for s in self.segments if s.op != "insert")

    @property
    def new_text(self) -> str:
        return "".join(s.text for s in self.segments if s.op != "delete")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old_number": self.old_number,
            "new_number": self.new_number,
            "old_title": self.old_title,
            "new_title": self.new_title,
            "old_chapter": self.old_chapter,
            "new_chapter": self.new_chapter,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "text_changed": self.text_changed,
            "title_changed": self.title_changed,
            "elements_before": list(self.elements_before),
            "elements_after": list(self.elements_after),
            "segments": [s.to_dict() for s in self.segments],
            "summary": self.summary,
        }


@dataclass
class ElementChange:
    id: str
    model: str
    title: str
    before: bool
    after: bool
    strength_before: float
    strength_after: float
    articles_before: list[str] = field(default_factory=list)
    articles_after: list[str] = field(default_factory=list)
    sentence: str | None = None

    @property
    def change(self) -> str:
        if self.before and self.after:
            return "kept"
        if self.after:
            return "added"
        if self.before:
            return "removed"
        return "absent"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "model": self.model,
            "title": self.title,
            "before": self.before,
            "after": self.after,
            "change": self.change,
            "strength_before": round(self.strength_before, 3),
            "strength_after": round(self.strength_after, 3),
            "articles_before": list(self.articles_before),
            "articles_after": list(self.articles_after),
            "sentence": self.sentence,
        }


@dataclass
class VerdictChange:
    before: str
    after: str
    lean_before: str | None
    lean_after: str | None
    confidence_before: float
    confidence_after: float
    generation_before: str | None
    generation_after: str | None
    scores_before: dict[str, float]
    scores_after: dict[str, float]
    sentence: str = ""
    scores_sentence: str = ""

    @property
    def changed(self) -> bool:
        return (self.before, self.lean_before) != (self.after, self.lean_after)

    @property
    def label_before(self) -> str:
        return verdict_label(self.before, self.lean_before)

    @property
    def label_after(self) -> str:
        return verdict_label(self.after, self.lean_after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "changed": self.changed,
            "lean_before": self.lean_before,
            "lean_after": self.lean_after,
            "confidence_before": self.confidence_before,
            "confidence_after": self.confidence_after,
            "generation_before": self.generation_before,
            "generation_after": self.generation_after,
            "scores_before": dict(self.scores_before),
            "scores_after": dict(self.scores_after),
            "sentence": self.sentence,
            "scores_sentence": self.scores_sentence,
        }


@dataclass
class VersionInfo:
    file: str
    title: str
    gemeente: str | None
    format: str
    article_count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "title": self.title,
            "gemeente": self.gemeente,
            "format": self.format,
            "article_count": self.article_count,
        }


@dataclass
class RequirementChange:
    """A requirement of a requirement catalogue (e.g. a legal requirement) in both versions."""

    id: str
    catalogue: str
    title: str
    reference: str
    status_before: str  # present | missing | absent | exception | not_applicable ("" if unknown)
    status_after: str
    mandatory_after: bool

    @property
    def change(self) -> str:
        before, after = self.status_before == "present", self.status_after == "present"
        return "added" if after and not before else "removed" if before and not after else "same"

    @property
    def sentence(self) -> str:
        if self.change == "added":
            return f"Het concept regelt nu: {self.title} ({self.reference})."
        if self.change == "removed":
            tail = " Dit is een verplicht onderdeel." if self.mandatory_after else ""
            return f"Het concept regelt niet meer: {self.title} ({self.reference}).{tail}"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "catalogue": self.catalogue, "title": self.title, "reference": self.reference,
                "before": self.status_before, "after": self.status_after, "change": self.change}


def requirement_changes(old, new) -> list[RequirementChange]:
    """Per requirement of the law that applies to either version: its status before and after."""
    changes = []
    for cat_id, new_cat in getattr(new, "requirements", {}).items():
        old_cat = getattr(old, "requirements", {}).get(cat_id)
        before = {r.id: r for r in old_cat.requirements} if old_cat is not None else {}
        groups = {c.group for c in (old_cat, new_cat) if c is not None and c.applicable}
        for r in new_cat.requirements:
            if r.group not in groups:
                continue
            b = before.get(r.id)
            changes.append(RequirementChange(
                id=r.id, catalogue=cat_id, title=r.title, reference=r.reference,
                status_before=b.status if b is not None else "", status_after=r.status,
                mandatory_after=r.mandatory,
            ))
    return changes


@dataclass
class VersionDiff:
    old: VersionInfo
    new: VersionInfo
    verdict: VerdictChange
    elements: list[ElementChange]
    articles: list[ArticleChange]
    summary: list[str]
    ruleset_version: str = ""
    requirements: list[RequirementChange] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for a in self.articles:
            counts[a.kind] += 1
        return counts

    def element(self, element_id: str) -> ElementChange:
        for e in self.elements:
            if e.id == element_id:
                return e
        raise KeyError(element_id)

    def added_elements(self) -> list[str]:
        return [e.id for e in self.elements if e.change == "added"]

    def removed_elements(self) -> list[str]:
        return [e.id for e in self.elements if e.change == "removed"]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in docs/json.md (section "diff")."""
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "verdict": self.verdict.to_dict(),
            "elements": [e.to_dict() for e in self.elements],
            "elements_added": self.added_elements(),
            "elements_removed": self.removed_elements(),
            "requirements": [r.to_dict() for r in self.requirements],
            "requirements_added": [r.id for r in self.requirements if r.change == "added"],
            "requirements_removed": [r.id for r in self.requirements if r.change == "removed"],
            "articles": [a.to_dict() for a in self.articles],
            "counts": self.counts,
            "summary": list(self.summary),
            "ruleset": self.ruleset_version,
            "version": __version__,
        }


# ---------------------------------------------------------------- helpers


def _slug(value: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in value)


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _norm_number(number: str | None) -> str:
    return re.sub(r"\s+", "", (number or "")).rstrip(".").casefold()


def _compare_text(article: Article) -> str:
    return _ws(f"{article.title}\n{article.text}").casefold()


def _similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    from rapidfuzz import fuzz  # here, not at import: every CLI start imports this module

    return fuzz.ratio(a, b, score_cutoff=cutoff * 100) / 100.0


def _article_ref(numbers: list[str], prefix: str = "") -> str:
    """'artikel 3' / 'artikelen 4 en 5' / 'artikelen 4, 5 en 8'."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"{prefix}artikel {numbers[0]}"
    return f"{prefix}artikelen " + ", ".join(numbers[:-1]) + f" en {numbers[-1]}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- redline

# numbers stay whole ("5.000", "2:3"), other words, single punctuation marks, whitespace runs
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+|[^\w\s]|\s+", re.UNICODE)
_LABEL = re.compile(r"^\s*(?:\d+[a-z]?\.|[a-z]{1,2}\.|\d+°|[ivxlc]+\.|[-–•])\s+", re.IGNORECASE)
#: two lines (leden, list items) are redlined word by word from this similarity on;
#: below it the old line is shown deleted and the new one inserted
LINE_MIN = 0.5


class _Out:
    """Collects segments, merging neighbours with the same op."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []

    def emit(self, op: str, text: str) -> None:
        if not text:
            return
        if self.segments and self.segments[-1].op == op:
            self.segments[-1].text += text
        else:
            self.segments.append(Segment(op, text))

    def change(self, old: str, new: str) -> None:
        """A deleted/inserted pair; whitespace they share at both ends stays equal."""
        lead = 0
        while lead < min(len(old), len(new)) and old[lead] == new[lead] and old[lead].isspace():
            lead += 1
        trail = 0
        while (trail < min(len(old), len(new)) - lead and old[-1 - trail] == new[-1 - trail]
               and old[-1 - trail].isspace()):
            trail += 1
        self.emit("equal", new[:lead])
        self.emit("delete", old[lead:len(old) - trail])
        self.emit("insert", new[lead:len(new) - trail])
        self.emit("equal", new[len(new) - trail:])


def _token_key(token: str) -> str:
    if token.isspace():
        return "\n" if "\n" in token else " "
    return token


def _word_redline(old: str, new: str, out: _Out) -> None:
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, [_token_key(t) for t in a], [_token_key(t) for t in b], autojunk=False)
    # raw runs: ("equal", old, new) or ("change", old, new)
    runs: list[list] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if tag == "equal" else "change"
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if runs and runs[-1][0] == kind:
            runs[-1][1] += old_part
            runs[-1][2] += new_part
        else:
            runs.append([kind, old_part, new_part])
    # a run of only whitespace between two changes joins them: "[-x y-][+p q+]", not "[-x-][+p+] [-y-][+q+]"
    merged: list[list] = []
    for run in runs:
        if (run[0] == "change" and len(merged) >= 2 and merged[-1][0] == "equal"
                and merged[-1][2].isspace() and merged[-2][0] == "change"):
            space = merged.pop()
            merged[-1][1] += space[1] + run[1]
            merged[-1][2] += space[2] + run[2]
        else:
            merged.append(run)
    for kind, old_part, new_part in merged:
        if kind == "equal":
            out.emit("equal", new_part)
        else:
            out.change(old_part, new_part)


def _line_key(line: str) -> str:
    return _ws(_LABEL.sub("", line)).casefold()


def _align_lines(a: list[str], b: list[str]) -> list[tuple[int | None, int | None]]:
    """Order-preserving pairing of lines: exact matches (ignoring list labels) anchor, lines in
    between are paired by similarity (a small alignment DP), the rest are deleted/inserted."""
    ka, kb = [_line_key(x) for x in a], [_line_key(x) for x in b]
    result: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [(i1 + k, j1 + k) for k in range(i2 - i1)]
            continue
        n, m = i2 - i1, j2 - j1
        sim = [[_similarity(ka[i1 + i], kb[j1 + j], LINE_MIN) for j in range(m)] for i in range(n)]
        best = [[0.0] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            for j in range(m - 1, -1, -1):
                options = [best[i + 1][j], best[i][j + 1]]
                if sim[i][j] >= LINE_MIN:
                    options.append(best[i + 1][j + 1] + sim[i][j])
                best[i][j] = max(options)
        i = j = 0
        while i < n or j < m:
            if i < n and j < m and sim[i][j] >= LINE_MIN and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
                result.append((i1 + i, j1 + j))
                i += 1
                j += 1
            elif i < n and (j >= m or best[i][j] == best[i + 1][j]):
                result.append((i1 + i, None))
                i += 1
            else:
                result.append((None, j1 + j))
                j += 1
    return result


def redline(old: str, new: str) -> list[Segment]:
    """Word-level redline of ``old`` → ``new``.

    First the lines (leden and list items) are aligned, then each pair of similar lines is
    compared word by word (difflib.SequenceMatcher on word, punctuation and whitespace
    tokens). ``equal`` + ``delete`` segments rebuild the old text and ``equal`` + ``insert``
    the new text (whitespace inside equal runs is taken from the new text).
    """
    out = _Out()
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    for i, j in _align_lines(a, b):
        if i is None:
            out.emit("insert", b[j])
        elif j is None:
            out.emit("delete", a[i])
        else:
            x, y = a[i], b[j]
            x_body, x_end = x.rstrip("\r\n"), x[len(x.rstrip("\r\n")):]
            y_body, y_end = y.rstrip("\r\n"), y[len(y.rstrip("\r\n")):]
            if x_body == y_body:
                out.emit("equal", y_body)
            else:
                _word_redline(x_body, y_body, out)
            if x_end and y_end:
                out.emit("equal", y_end)
            else:
                out.emit("delete", x_end)
                out.emit("insert", y_end)
    return out.segments


# ---------------------------------------------------------------- alignment


def align_articles(old: list[Article], new: list[Article]) -> list[tuple[int | None, int | None, float | None]]:
    """Pairs (old index, new index, similarity); unpaired articles have None on one side.

    Candidates: the same number with similar content, or clearly similar content under any
    number. Chosen greedily by similarity plus a bonus for the same number and title, so an
    identical article always wins over a merely similar one.
    """
    old_text = [_compare_text(a) for a in old]
    new_text = [_compare_text(a) for a in new]
    old_num = [_norm_number(a.number) for a in old]
    new_num = [_norm_number(a.number) for a in new]
    old_title = [_ws(a.title).casefold() for a in old]
    new_title = [_ws(a.title).casefold() for a in new]

    candidates: list[tuple[float, float, int, int]] = []
    for i in range(len(old)):
        for j in range(len(new)):
            same_number = old_num[i] == new_num[j] and old_num[i] != ""
            same_title = old_title[i] != "" and old_title[i] == new_title[j]
            empty = not old[i].leden and not new[j].leden
            if empty:
                # two vervallen/empty articles pair only on their number
                if same_number:
                    candidates.append((1.0 + NUMBER_BONUS, 1.0, i, j))
                continue
            if not old[i].leden or not new[j].leden:
                continue
            cutoff = min(SAME_NUMBER_MIN if same_number else CONTENT_MIN, SAME_TITLE_MIN if same_title else 1.0)
            sim = _similarity(old_text[i], new_text[j], cutoff)
            if sim <= 0.0:
                continue
            ok = (
                (same_number and sim >= SAME_NUMBER_MIN)
                or sim >= CONTENT_MIN
                or (same_title and sim >= SAME_TITLE_MIN)
            )
            if ok:
                score = sim + (NUMBER_BONUS if same_number else 0.0) + (TITLE_BONUS if same_title else 0.0)
                candidates.append((score, sim, i, j))
    candidates.sort(key=lambda c: (-c[0], abs(c[2] - c[3]), c[2], c[3]))

    old_used: dict[int, tuple[int, float]] = {}
    new_used: set[int] = set()
    for _score, sim, i, j in candidates:
        if i in old_used or j in new_used:
            continue
        old_used[i] = (j, sim)
        new_used.add(j)

    pairs: list[tuple[int | None, int | None, float | None]] = [
        (i, j, sim) for i, (j, sim) in sorted(old_used.items())
    ]
    pairs += [(i, None, None) for i in range(len(old)) if i not in old_used]
    pairs += [(None, j, None) for j in range(len(new)) if j not in new_used]
    return pairs


def _in_order(pairs: list[tuple[int, int, bool]]) -> set[tuple[int, int]]:
    """The matched pairs on a longest chain that keeps the order in both versions.

    ``pairs`` are (old index, new index, same number), sorted by old index. Weighted LIS:
    each pair counts 1, a pair that keeps its number a little more, so that of two swapped
    neighbours the renumbered one is called "moved".
    """
    n = len(pairs)
    if not n:
        return set()
    weight = [1.0 + (0.001 if same else 0.0) for _, _, same in pairs]
    best = weight[:]
    prev = [-1] * n
    for k in range(n):
        for m in range(k):
            if pairs[m][1] < pairs[k][1] and best[m] + weight[k] > best[k]:
                best[k] = best[m] + weight[k]
                prev[k] = m
    k = max(range(n), key=lambda x: (best[x], -x))
    chain = set()
    while k >= 0:
        chain.add((pairs[k][0], pairs[k][1]))
        k = prev[k]
    return chain


# ---------------------------------------------------------------- elements


def _evidence_articles(element) -> list[str]:
    """Article numbers with evidence, operative evidence first, in document order of discovery."""
    operative = [e.article for e in element.evidence if e.kind != "definition"]
    definitions = [e.article for e in element.evidence if e.kind == "definition"]
    seen: list[str] = []
    for number in operative + definitions:
        if number not in seen:
            seen.append(number)
    return seen


def _operative_articles(element) -> list[str]:
    seen: list[str] = []
    for e in element.evidence:
        if e.kind != "definition" and e.article not in seen:
            seen.append(e.article)
    return seen


def _element_sentence(change: ElementChange, old_el, new_el) -> str | None:
    phrase_add, phrase_removed, plural = ELEMENT_NL.get(
        change.id, (f"het element ‘{change.title}’", f"het element ‘{change.title}’", False)
    )
    if change.change == "added":
        where = _operative_articles(new_el)[:3]
        if where:
            return f"Dit concept voegt {phrase_add} toe ({_article_ref(where)})."
        where = change.articles_after[:3]
        return f"Dit concept voegt {phrase_add} toe (alleen in de begripsbepalingen, {_article_ref(where)})."
    if change.change == "removed":
        verb = "vervallen" if plural else "vervalt"
        where = (_operative_articles(old_el) or change.articles_before)[:3]
        suffix = f" (was {_article_ref(where)})" if where else ""
        return f"{_cap(phrase_removed)} {verb}{suffix}."
    return None


# ---------------------------------------------------------------- the diff


def _article_elements(result) -> dict[str, list[str]]:
    """Article number → element ids with (operative or definition) evidence there."""
    out: dict[str, list[str]] = {}
    for element in result.verdict.elements:
        for e in element.evidence:
            ids = out.setdefault(e.article, [])
            if element.id not in ids:
                ids.append(element.id)
    return out


def _describe(number: str | None, title: str) -> str:
    return f"Artikel {number}" + (f" ({title})" if title else "")


def _chapter_ref(document: Document, chapter: str | None) -> str:
    if not chapter:
        return ""
    title = document.chapter_title(chapter)
    return f"hoofdstuk {chapter}" + (f" {title}" if title else "")


def _article_summary(change: ArticleChange, new_doc: Document) -> str:
    old = _describe(change.old_number, change.old_title)
    extra = ""
    if change.kind in ("renumbered", "moved", "changed"):
        parts = []
        if change.text_changed:
            parts.append("tekst gewijzigd")
        if change.title_changed:
            parts.append(f"nieuwe titel ‘{change.new_title}’" if change.new_title else "titel vervalt")
        if parts:
            extra = ", " + " en ".join(parts)
    if change.kind == "unchanged":
        return f"{old} is ongewijzigd."
    if change.kind == "changed":
        if change.title_changed:
            title = f"de titel wordt ‘{change.new_title}’" if change.new_title else "de titel vervalt"
            return f"{old} is gewijzigd: " + (f"tekst aangepast en {title}." if change.text_changed else f"{title}.")
        return f"{old} is gewijzigd."
    if change.kind == "renumbered":
        return f"{old} wordt artikel {change.new_number}{extra}."
    if change.kind == "moved":
        chapter = _chapter_ref(new_doc, change.new_chapter)
        where = f"artikel {change.new_number}" + (f" in {chapter}" if chapter else "")
        return f"{old} is verplaatst en wordt {where}{extra}."
    if change.kind == "added":
        return f"{_describe(change.new_number, change.new_title)} is nieuw."
    if change.old_status == "vervallen":
        return f"{_describe(change.old_number, change.old_title)} was al vervallen en komt niet meer voor."
    return f"{old} vervalt."


def _article_text(article: Article) -> str:
    if not article.leden and article.status:
        return f"[{_cap(article.status)}]"
    return article.text


def diff_results(old, new) -> VersionDiff:
    """Compare two CheckResults (old = current version, new = draft)."""
    old_doc: Document = old.document
    new_doc: Document = new.document
    old_elements = _article_elements(old)
    new_elements = _article_elements(new)

    pairs = align_articles(old_doc.articles, new_doc.articles)
    matched = [(i, j, _norm_number(old_doc.articles[i].number) == _norm_number(new_doc.articles[j].number))
               for i, j, _ in pairs if i is not None and j is not None]
    chain = _in_order(matched)

    changes: list[tuple[tuple[float, int], ArticleChange]] = []
    new_pos_of_old: dict[int, int] = {i: j for i, j, _ in matched}
    for i, j, sim in pairs:
        a = old_doc.articles[i] if i is not None else None
        b = new_doc.articles[j] if j is not None else None
        old_text = _article_text(a) if a else ""
        new_text = _article_text(b) if b else ""
        change = ArticleChange(
            kind="",
            old_number=a.number if a else None,
            new_number=b.number if b else None,
            old_title=a.title if a else "",
            new_title=b.title if b else "",
            old_chapter=a.chapter if a else None,
            new_chapter=b.chapter if b else None,
            old_status=a.status if a else None,
            new_status=b.status if b else None,
            similarity=sim,
            elements_before=list(old_elements.get(a.number, [])) if a else [],
            elements_after=list(new_elements.get(b.number, [])) if b else [],
        )
        if a and b:
            change.text_changed = _ws(old_text) != _ws(new_text) or (a.status or "") != (b.status or "")
            change.title_changed = _ws(a.title) != _ws(b.title)
            change.segments = redline(old_text, new_text) if change.text_changed else ([Segment("equal", new_text)] if new_text else [])
            same_number = _norm_number(a.number) == _norm_number(b.number)
            if (i, j) not in chain:
                change.kind = "moved"
            elif not same_number:
                change.kind = "renumbered"
            elif change.text_changed or change.title_changed:
                change.kind = "changed"
            else:
                change.kind = "unchanged"
            key = (float(j), 0)
        elif b:
            change.kind = "added"
            change.segments = [Segment("insert", new_text)] if new_text else []
            key = (float(j), 0)
        else:
            change.kind = "removed"
            change.segments = [Segment("delete", old_text)] if old_text else []
            # after the new position of the nearest earlier old article that stayed in order
            anchor = -1.0
            for k in range(i - 1, -1, -1):
                if k in new_pos_of_old and (k, new_pos_of_old[k]) in chain:
                    anchor = float(new_pos_of_old[k])
                    break
            key = (anchor + 0.5, i)
        change.summary = _article_summary(change, new_doc)
        changes.append((key, change))
    changes.sort(key=lambda kc: kc[0])
    articles = [c for _, c in changes]

    # elements
    old_by_id = {e.id: e for e in old.verdict.elements}
    new_by_id = {e.id: e for e in new.verdict.elements}
    element_changes: list[ElementChange] = []
    for element_id in list(old_by_id) + [x for x in new_by_id if x not in old_by_id]:
        oe, ne = old_by_id.get(element_id), new_by_id.get(element_id)
        base = ne or oe
        change = ElementChange(
            id=element_id,
            model=base.model,
            title=base.title,
            before=bool(oe and oe.present),
            after=bool(ne and ne.present),
            strength_before=oe.strength if oe else 0.0,
            strength_after=ne.strength if ne else 0.0,
            articles_before=_evidence_articles(oe) if oe and oe.present else [],
            articles_after=_evidence_articles(ne) if ne and ne.present else [],
        )
        change.sentence = _element_sentence(change, oe, ne)
        element_changes.append(change)

    # verdict
    ov, nv = old.verdict, new.verdict
    verdict = VerdictChange(
        before=ov.verdict, after=nv.verdict, lean_before=ov.lean, lean_after=nv.lean,
        confidence_before=ov.confidence, confidence_after=nv.confidence,
        generation_before=ov.generation, generation_after=nv.generation,
        scores_before=dict(ov.scores), scores_after=dict(nv.scores),
    )
    if verdict.changed:
        verdict.sentence = f"Het oordeel verandert van {verdict.label_before} in {verdict.label_after}."
    else:
        verdict.sentence = f"Het oordeel blijft {verdict.label_after}."
    verdict.scores_sentence = _scores_sentence(verdict.scores_before, verdict.scores_after)

    summary = [verdict.sentence, verdict.scores_sentence]
    summary += [e.sentence for e in element_changes if e.change == "added" and e.sentence]
    summary += [e.sentence for e in element_changes if e.change == "removed" and e.sentence]
    requirements = requirement_changes(old, new)
    summary += [r.sentence for r in requirements if r.change != "same"]
    for label, result in (("oude", old), ("nieuwe", new)):
        if result.verdict.verdict in ("not_wmo", "amendment"):
            summary.append(
                f"Let op: de {label} versie is {VERDICT_NL[result.verdict.verdict]}; "
                "een vergelijking van de artikelen zegt dan weinig."
            )
    diff = VersionDiff(
        old=_info(old), new=_info(new), verdict=verdict, elements=element_changes,
        articles=articles, summary=summary, ruleset_version=getattr(new, "ruleset_version", ""),
        requirements=requirements,
    )
    summary.append(_counts_sentence(diff.counts))
    return diff


def _info(result) -> VersionInfo:
    d = result.document
    return VersionInfo(file=d.source_name, title=d.title, gemeente=d.gemeente, format=d.format,
                       article_count=len(d.articles))


def _scores_sentence(before: dict[str, float], after: dict[str, float]) -> str:
    parts = []
    for model, label in (("2010", "het gekantelde model 2010"), ("2006", "het model 2006")):
        b, a = round(before.get(model, 0) * 100), round(after.get(model, 0) * 100)
        if a > b:
            parts.append(f"de score voor {label} stijgt van {b}% naar {a}%")
        elif a < b:
            parts.append(f"de score voor {label} daalt van {b}% naar {a}%")
        else:
            parts.append(f"de score voor {label} blijft {a}%")
    return _cap("; ".join(parts)) + "."


def _counts_sentence(counts: dict[str, int]) -> str:
    parts = [f"{counts[k]} {KIND_NL[k]}" for k in ("added", "removed", "changed", "renumbered", "moved", "unchanged") if counts[k]]
    return "Artikelen: " + (", ".join(parts) if parts else "geen") + "."


def diff_files(old_path, new_path, *, rules: list[Path] | None = None, limits=None, wet: str | None = None,
               config_path: Path | None = None) -> VersionDiff:
    """Check both files with the ordinary pipeline and compare them; ``wet`` (--wet) and the
    exceptions of ``config_path`` (--config, else the nearest .verordeningcheck.yaml) as in check."""
    from .options import exceptions_for
    from .pipeline import check, get_ruleset

    ruleset = get_ruleset(rules)
    old = check(old_path, rules=rules, limits=limits, wet=wet, exceptions=exceptions_for(old_path, ruleset, config_path))
    new = check(new_path, rules=rules, limits=limits, wet=wet, exceptions=exceptions_for(new_path, ruleset, config_path))
    return diff_results(old, new)


# ---------------------------------------------------------------- output


def render_diff_html(diff: VersionDiff) -> str:
    """Self-contained Dutch HTML report (templates/diff.html); all text is autoescaped."""
    from .report import _environment

    env = _environment()  # the report's (cached, autoescaped) environment
    anchors_old = {a.old_number: a.anchor for a in diff.articles if a.old_number is not None}
    anchors_new = {a.new_number: a.anchor for a in diff.articles if a.new_number is not None}
    return env.get_template("diff.html").render(
        diff=diff,
        kind_nl=KIND_NL,
        change_nl=CHANGE_NL,
        model_nl=MODEL_NL,
        generation_nl=GENERATION_NL,
        anchors_old=anchors_old,
        anchors_new=anchors_new,
        version=__version__,
    )


_KIND_MARK = {"unchanged": "=", "changed": "~", "renumbered": "#", "moved": ">", "added": "+", "removed": "-"}


def _added_removed_block(heading: str, changes: list, width: int) -> list[str]:
    """'  Elementen:' and a '+'/'-' line per added or removed element or requirement."""
    changed = [c for c in changes if c.change in ("added", "removed")]
    if not changed:
        return []
    lines = ["", f"  {heading}:"]
    for c in changed:
        lines.append(f"    {'+' if c.change == 'added' else '-'} {c.id:<{width}} {c.sentence or ''}")
    return lines


def render_diff_terminal(diff: VersionDiff) -> str:
    v = diff.verdict
    out = [f"Vergelijking: {diff.old.file} → {diff.new.file}"]
    if diff.new.title or diff.old.title:
        out.append(f"  Titel:      {diff.old.title or '(zonder titel)'} → {diff.new.title or '(zonder titel)'}")
    arrow = "→" if v.changed else "(ongewijzigd)"
    out.append(f"  Oordeel:    {v.label_before} {arrow} {v.label_after if v.changed else ''}".rstrip())
    out.append(
        f"  Scores:     model 2010 {round(v.scores_before.get('2010', 0) * 100)}% → {round(v.scores_after.get('2010', 0) * 100)}%, "
        f"model 2006 {round(v.scores_before.get('2006', 0) * 100)}% → {round(v.scores_after.get('2006', 0) * 100)}%"
    )
    out.append(f"  {_counts_sentence(diff.counts)}")
    out += [f"  {s}" for s in diff.summary if s.startswith("Let op")]
    out += _added_removed_block("Elementen", diff.elements, 27)
    out += _added_removed_block("Wettelijke eisen", diff.requirements, 29)
    shown = [a for a in diff.articles if a.kind != "unchanged"]
    if shown:
        out.append("")
        out.append("  Artikelen (ongewijzigde weggelaten):")
        for a in shown:
            numbers = {
                "added": f"art. {a.new_number}",
                "removed": f"art. {a.old_number}",
                "changed": f"art. {a.new_number}",
            }.get(a.kind, f"art. {a.old_number} → {a.new_number}")
            detail = a.label
            if a.kind in ("renumbered", "moved") and a.text_changed:
                detail += ", tekst gewijzigd"
            if a.similarity is not None:
                detail += f" ({a.similarity_pct} gelijk)"
            out.append(f"    {_KIND_MARK[a.kind]} {numbers:<16} {a.title[:40]:<40} {detail}")
    return "\n".join(out)


# ---------------------------------------------------------------- CLI



@click.command("diff")
@click.argument("old", metavar="HUIDIG")
@click.argument("new", metavar="[CONCEPT]", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["terminal", "json", "html"]), default=None,
    help="Uitvoer: kort overzicht (standaard), JSON of een HTML-rapport (standaard bij --output).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Schrijf de uitvoer naar dit bestand; zonder --format wordt dat HTML (of JSON bij .json).")
@wet_option
@config_option
@rules_option
@limit_options
@offline_option
def diff_command(old: str, new: str | None, output_format: str | None, output: Path | None, wet: str | None,
                 config_path: Path | None, rules_dirs: tuple[Path, ...], max_mb: float | None, max_pages: int | None,
                 offline: bool) -> None:
    """Vergelijk twee versies van een verordening: de HUIDIGE met het CONCEPT.

    Toont welke artikelen nieuw, vervallen, gewijzigd, vernummerd of verplaatst zijn, met
    een redline per artikel, en hoe het oordeel en de elementen veranderen.

    HUIDIG en CONCEPT mogen ook CVDR-nummers of links naar de officiële bron zijn; met alleen
    een CVDR-nummer (diff CVDR152048) worden de laatste twee versies vergeleken.
    """
    from .bron import is_remote
    from .report import write_output

    limits = limits_from_options(max_mb=max_mb, max_pages=max_pages)
    source = None
    if new is None or is_remote(old) or is_remote(new):
        from .bron.cli import make_source

        source = make_source(offline, limits)
    if new is None:
        if not is_remote(old):
            raise click.UsageError("geef twee bestanden (HUIDIG en CONCEPT), of één CVDR-nummer om de laatste twee versies te vergelijken.")
        from .bron.cli import last_two

        old, new = last_two(source, old)

    if output_format is None:
        if output is None:
            output_format = "terminal"
        else:
            output_format = "json" if output.suffix.lower() == ".json" else "html"
    if output_format == "html" and output is None:
        raise click.UsageError("bij --format html is --output verplicht, bijvoorbeeld --output vergelijking.html.")
    if output is not None:
        target = output.resolve()
        if target in (Path(old).resolve(), Path(new).resolve()):
            raise click.UsageError("het uitvoerbestand mag niet hetzelfde zijn als een van de invoerbestanden.")
    if source is None:
        diff = diff_files(Path(old), Path(new), rules=list(rules_dirs), limits=limits, wet=wet, config_path=config_path)
    else:
        from .bron.cli import check_argument

        diff = diff_results(*(check_argument(source, arg, rules=list(rules_dirs), limits=limits, wet=wet,
                                                     config_path=config_path) for arg in (old, new)))
    if output_format == "json":
        text = json.dumps(diff.to_dict(), ensure_ascii=False, indent=2)
    elif output_format == "html":
        text = render_diff_html(diff)
    else:
        text = render_diff_terminal(diff)
    if output is None:
        click.echo(text)
        return
    write_output(output, text, "de vergelijking")
    click.echo(f"Vergelijking geschreven naar {output}: {diff.verdict.sentence}", err=True)
