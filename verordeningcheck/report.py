"""Stage 5: reports. Reads a CheckResult only; never the original file.

The HTML report is one self-contained file (inline CSS, no scripts, fonts or images) with
four parts: the summary (verdict and what decided it), the element checklist (in the spirit
of SCP 2013, Table 3.1), the comparison with the model clauses (a word-level redline of each
matching lid against the team's paraphrase of the model clause, and the missing clauses), and
the full ordinance with every finding highlighted in place, with the toelichting apart.

Escaping: every piece of document text passes through :func:`markupsafe.escape` before it
is combined with markup here, and the template autoescapes everything else. Nothing from the
document is ever marked safe as it is.
"""
from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from glob import escape as glob_escape
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from . import __version__
from .labels import FORMAT_NL, KIND_NL, MODEL_NL
from .nlp import fold
from .resources import templates_dir

VERDICT_NL = {
    "old": "Oud model (VNG 2006)",
    "new": "Nieuw model (gekanteld, VNG 2010)",
    "tussenvorm": "Tussenvorm",
    "not_wmo": "Geen Wmo-verordening",
    "amendment": "Wijzigingsverordening",
}
LEAN_NL = {"old": "neigt naar het oude model", "new": "neigt naar het nieuwe model"}
GENERATION_NL = {"vng2006": "VNG-model 2006", "vng2010": "VNG-model 2010 (De Kanteling)", "wmo2015": "Wmo 2015"}
MODEL_HEADING_NL = {
    "2010": "Elementen van het gekantelde model (VNG 2010, De Kanteling)",
    "2006": "Elementen van het oude model (VNG 2006)",
    "tussen": "Kenmerk van een tussenvorm",
}

# Status of an element in the report: css class, mark (readable without colour), label.
STATUS = {
    "ja": ("✓", "aanwezig"),
    "zwak": ("◐", "zwakke aanwijzing, telt niet"),
    "ontkend": ("⊘", "alleen ontkend genoemd"),
    "nee": ("✗", "ontbreekt"),
}

# Short function words: an "equal" run of at most two of these between changes is noise in a
# word diff ("de", "van") and is shown as part of the change, which keeps the redline readable.
_STOPWORDS = frozenset(
    """de het een en of van in op te aan bij met voor door als dat die dit deze is zijn wordt
    worden werd heeft hebben hij zij hem haar niet om tot naar over uit ook dan nog wel kan
    kunnen er zich wat wie waar daar hier dus maar want zo al ze u we""".split()
)
_PUNCT = "\"'“”‘’„«»()[]{}.,;:!?…–—-*_"
_TOKEN = re.compile(r"\S+")

# A lid much longer than the model clause is narrowed to the sentences with findings.
_NARROW_MIN_WORDS = 90
_NARROW_FACTOR = 3.0
_MAX_COMPARISONS = 3
_MAX_LOCATIONS = 4


@functools.lru_cache(maxsize=None)
def _environment() -> Environment:
    """One Jinja environment per process: templates are compiled once, not per report."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: f"{round(float(v) * 100)}%"
    env.filters["num"] = _number_nl
    return env


def _number_nl(value: float) -> str:
    """1.5 -> "1,5"; 3.0 -> "3" (Dutch decimal comma)."""
    value = round(float(value), 2)
    text = f"{value:g}" if value != int(value) else str(int(value))
    return text.replace(".", ",")


# ---------------------------------------------------------------- highlighting


def highlight(text: str, fragments: Iterable[Any]) -> Markup:
    """Escape ``text`` and wrap each occurrence of a fragment in <mark>.

    A fragment is a string, or a tuple ``(fragment, css_class, title)``: the class and the
    title (a tooltip naming the elements) go on the <mark>. Where fragments overlap, the
    longest wins and the titles of the others are added to it.
    """
    wanted: dict[str, list] = {}
    for raw in fragments:
        if isinstance(raw, str):
            frag, css, title = raw, "", ""
        else:
            frag, css, title = (tuple(raw) + ("", ""))[:3]
        if not frag:
            continue
        entry = wanted.setdefault(frag, [css, []])
        if css and (not entry[0] or css == "vondst"):
            entry[0] = css  # a counting finding outranks a negated one
        if title and title not in entry[1]:
            entry[1].append(title)

    spans: list[list] = []  # [start, end, css, titles]
    for frag in sorted(wanted, key=len, reverse=True):
        css, titles = wanted[frag]
        start = text.find(frag)
        while start >= 0:
            end = start + len(frag)
            overlap = next((s for s in spans if s[0] < end and start < s[1]), None)
            if overlap is None:
                spans.append([start, end, css, list(titles)])
            else:
                overlap[3].extend(t for t in titles if t not in overlap[3])
            start = text.find(frag, end)
    spans.sort()
    out = []
    pos = 0
    for start, end, css, titles in spans:
        out.append(escape(text[pos:start]))
        attrs = Markup("")
        if css:
            attrs += Markup(' class="{}"').format(css)
        if titles:
            attrs += Markup(' title="{}"').format("; ".join(titles))
        out.append(Markup("<mark{}>").format(attrs) + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def anchor(article: str, lid: str | None = None) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in article)
    return f"art-{safe}" + (f"-lid-{''.join(ch if ch.isalnum() else '-' for ch in lid)}" if lid else "")


class Anchors:
    """Unique element ids for every article and lid, and the lookup for evidence links.

    Evidence names an article and lid by number; where a number occurs twice (a badly
    numbered document), links go to the first occurrence. Every link resolves: a lid that
    is not found falls back to its article, an unknown article to the ordinance section.
    """

    FALLBACK = "verordening"

    def __init__(self, document, reserved: Iterable[str] = ()):
        self._used: set[str] = set(reserved)
        self.article_ids: list[str] = []
        self.lid_ids: list[list[str]] = []
        self._article: dict[str, str] = {}
        self._lid: dict[tuple[str, str | None], str] = {}
        self._first_lid: dict[tuple[str, str | None], tuple[int, int]] = {}
        for a_index, article in enumerate(document.articles):
            article_id = self._unique(anchor(article.number))
            self.article_ids.append(article_id)
            self._article.setdefault(article.number, article_id)
            ids = []
            for l_index, lid in enumerate(article.leden):
                base = anchor(article.number, lid.number) if lid.number else anchor(article.number) + "-tekst"
                lid_id = self._unique(base)
                ids.append(lid_id)
                key = (article.number, lid.number)
                if key not in self._lid:
                    self._lid[key] = lid_id
                    self._first_lid[key] = (a_index, l_index)
            self.lid_ids.append(ids)

    def _unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return candidate

    def href(self, article: str, lid: str | None) -> str:
        return "#" + (self._lid.get((article, lid)) or self._article.get(article) or self.FALLBACK)

    def position(self, article: str, lid: str | None) -> tuple[int, int] | None:
        """(article index, lid index) of the first lid with these numbers."""
        return self._first_lid.get((article, lid))


def place(article: str, lid: str | None) -> str:
    return f"art. {article}" + (f" lid {lid}" if lid else "")


# ---------------------------------------------------------------- word-level redline


def _tokens(text: str) -> list[tuple[str, str]]:
    """(word, whitespace before it) for every word of ``text``."""
    out = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append((m.group(), text[pos:m.start()]))
        pos = m.end()
    return out


def _norm(word: str) -> str:
    stripped = word.strip(_PUNCT)
    return fold(stripped or word)


def _sep(separator: str, first: bool) -> Markup:
    if first or not separator:
        return Markup("")
    return Markup("<br>") if "\n" in separator else Markup(" ")


def _words(tokens: list[tuple[str, str]], start: int, end: int) -> Markup:
    """The words ``tokens[start:end]``, escaped, joined as :func:`_sep` joins them.

    Built as plain text and escaped once (words never contain whitespace, so a line break
    can only come from a separator): escaping word by word was most of the report's time."""
    parts = []
    for k in range(start, end):
        word, sep = tokens[k]
        if k > start and sep:
            parts.append("\n" if "\n" in sep else " ")
        parts.append(word)
    return Markup(str(escape("".join(parts))).replace("\n", "<br>"))


@dataclass
class Redline:
    reference: Markup  # the model clause, words the ordinance lacks in <del>
    ordinance: Markup  # the ordinance text, words the model lacks in <ins>
    unified: Markup  # one running text with <del> and <ins>
    shared: float  # share of the model clause's words that recur in order (0..1)


def redline(reference: str, text: str) -> Redline:
    """Word-level comparison of a model clause with an ordinance text (difflib on words)."""
    a = _tokens(reference)
    b = _tokens(text)
    a_norm = [_norm(w) for w, _ in a]
    b_norm = [_norm(w) for w, _ in b]
    # function words never anchor a match (they may extend one): fewer spurious "de"/"van" hits
    matcher = SequenceMatcher(lambda w: w in _STOPWORDS, a_norm, b_norm, autojunk=False)
    ops: list[list] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" and (i2 - i1) <= 2 and all(a_norm[k] in _STOPWORDS or not a_norm[k].isalnum() for k in range(i1, i2)):
            if not (i1 == 0 and j1 == 0 and i2 == len(a) and j2 == len(b)):  # not the whole text
                tag = "replace"
        if tag != "equal" and ops and ops[-1][0] != "equal":
            ops[-1] = ["replace", ops[-1][1], i2, ops[-1][3], j2]
        else:
            ops.append([tag, i1, i2, j1, j2])

    # plain strings of already escaped HTML (every word goes through _words), wrapped once
    left: list[str] = []
    right: list[str] = []
    unified: list[str] = []
    shared = 0
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            shared += i2 - i1
        if i2 > i1:
            left.append(_sep(a[i1][1], not left))
            chunk = _words(a, i1, i2)
            left.append(chunk if tag == "equal" else f"<del>{chunk}</del>")
            if tag != "equal":
                unified.append(_sep(a[i1][1], not unified))
                unified.append(f"<del>{chunk}</del>")
        if j2 > j1:
            right.append(_sep(b[j1][1], not right))
            chunk = _words(b, j1, j2)
            right.append(chunk if tag == "equal" else f"<ins>{chunk}</ins>")
            unified.append(_sep(b[j1][1], not unified))
            unified.append(chunk if tag == "equal" else f"<ins>{chunk}</ins>")
    return Redline(
        reference=Markup("".join(left)),
        ordinance=Markup("".join(right)),
        unified=Markup("".join(unified)),
        shared=(shared / len(a)) if a else 0.0,
    )


# ---------------------------------------------------------------- views for the template


@dataclass
class Location:
    href: str
    label: str  # "art. 2.2 lid 1"
    matched: str
    definition: bool
    where: str  # page/line in the source, if known
    reason: str = ""


@dataclass
class Comparison:
    href: str
    label: str
    where: str
    definition: bool
    narrowed: bool  # only the sentences with findings, not the whole lid
    red: Redline


@dataclass
class ElementView:
    id: str
    model: str
    model_label: str
    title: str
    description: str
    source: str
    status: str  # ja | zwak | ontkend | nee
    mark: str
    status_label: str
    strength: float
    weight: float
    decisive: bool
    reference_label: str
    reference_text: str
    locations: list[Location] = field(default_factory=list)
    more_locations: int = 0
    rejected: list[Location] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    more_comparisons: int = 0


@dataclass
class LidView:
    id: str
    number: str | None
    text: Markup
    items: list[Markup]
    tags: list[tuple[str, str, str]]  # (href, element title, css class)


@dataclass
class ArticleView:
    id: str
    number: str
    title: str
    status: str | None
    headings: list[str]  # chapter / paragraaf headings that start before this article
    leden: list[LidView]
    has_findings: bool


def _status(element) -> str:
    if element.present:
        return "ja"
    if element.evidence:
        return "zwak"
    if element.rejected:
        return "ontkend"
    return "nee"


def _lid_groups(evidence: list) -> list[tuple[tuple[str, str | None], list]]:
    """Evidence grouped per (article, lid), strongest and operative first."""
    groups: dict[tuple[str, str | None], list] = {}
    for e in evidence:
        groups.setdefault((e.article, e.lid), []).append(e)

    def strength(item):
        _key, items = item
        per_rule: dict[str, float] = {}
        for e in items:
            per_rule[e.rule] = max(per_rule.get(e.rule, 0.0), e.weight)
        operative = any(e.kind != "definition" for e in items)
        return (not operative, -sum(per_rule.values()))

    ordered = list(groups.items())
    ordered.sort(key=strength)  # stable: document order among equals
    return ordered


def _comparison_text(document, anchors: Anchors, key, items, reference: str) -> tuple[str, bool]:
    position = anchors.position(*key)
    lid = document.articles[position[0]].leden[position[1]] if position else None
    full = lid.full_text() if lid is not None else ""
    limit = max(_NARROW_MIN_WORDS, _NARROW_FACTOR * len(reference.split()))
    if full and len(full.split()) <= limit:
        return full, False
    parts: list[str] = []
    for e in items:
        for piece in (e.context, e.text):
            if piece and piece not in parts:
                parts.append(piece)
    return "\n".join(parts) or full, True


def _element_views(result, ruleset, anchors: Anchors) -> list[ElementView]:
    document = result.document
    policy = ruleset.policy or {}
    weights = policy.get("element_weights", {}) or {}
    decisive = {e for ids in (policy.get("decisive") or {}).values() for e in ids}
    views = []
    for element in result.verdict.elements:
        rule_element = ruleset.elements.get(element.id)
        status = _status(element)
        mark, label = STATUS[status]
        reference_text = rule_element.reference_text if rule_element else ""
        view = ElementView(
            id=element.id,
            model=element.model,
            model_label=MODEL_NL.get(element.model, element.model),
            title=element.title,
            description=rule_element.description if rule_element else "",
            source=rule_element.source if rule_element else "",
            status=status,
            mark=mark,
            status_label=label,
            strength=element.strength,
            weight=float(weights.get(element.id, 1.0)),
            decisive=element.id in decisive,
            reference_label=(rule_element.reference_label if rule_element else "")
            or "Parafrase van het team (geen officiële VNG-tekst)",
            reference_text=reference_text,
        )
        groups = _lid_groups(element.evidence)
        for key, items in groups[:_MAX_LOCATIONS]:
            first = items[0]
            view.locations.append(
                Location(
                    href=anchors.href(*key),
                    label=place(*key),
                    matched=first.matched,
                    definition=all(e.kind == "definition" for e in items),
                    where=first.location.describe() if first.location else "",
                )
            )
        view.more_locations = max(0, len(groups) - _MAX_LOCATIONS)
        seen_rejected = set()
        for e in element.rejected:
            if (e.article, e.lid) in seen_rejected:
                continue
            seen_rejected.add((e.article, e.lid))
            view.rejected.append(
                Location(
                    href=anchors.href(e.article, e.lid),
                    label=place(e.article, e.lid),
                    matched=e.matched,
                    definition=e.kind == "definition",
                    where=e.location.describe() if e.location else "",
                    reason=e.reason,
                )
            )
        if reference_text:
            for key, items in groups[:_MAX_COMPARISONS]:
                text, narrowed = _comparison_text(document, anchors, key, items, reference_text)
                view.comparisons.append(
                    Comparison(
                        href=anchors.href(*key),
                        label=place(*key),
                        where=items[0].location.describe() if items[0].location else "",
                        definition=all(e.kind == "definition" for e in items),
                        narrowed=narrowed,
                        red=redline(reference_text, text),
                    )
                )
            view.more_comparisons = max(0, len(groups) - _MAX_COMPARISONS)
        views.append(view)
    return views


def _grouped(views: list[ElementView]) -> list[tuple[str, str, list[ElementView]]]:
    groups = []
    for model in ("2010", "2006", "tussen"):
        members = [v for v in views if v.model == model]
        if members:
            groups.append((model, MODEL_HEADING_NL[model], members))
    other = [v for v in views if v.model not in MODEL_HEADING_NL]
    if other:
        groups.append(("overig", "Overige elementen", other))
    return groups


def _findings(result) -> dict[tuple[str, str | None], list[tuple[str, str, str, str]]]:
    """(article, lid) -> [(text, css class, element id, element title)]."""
    found: dict[tuple[str, str | None], list[tuple[str, str, str, str]]] = {}
    for element in result.verdict.elements:
        for e in element.evidence:
            css = "vondst" if element.present else "zwak"
            found.setdefault((e.article, e.lid), []).append((e.text, css, element.id, element.title))
        for e in element.rejected:
            found.setdefault((e.article, e.lid), []).append((e.text, "ontkend", element.id, element.title))
    return found


def _article_views(document, anchors: Anchors, findings) -> list[ArticleView]:
    views = []
    chapter = paragraaf = None
    for a_index, article in enumerate(document.articles):
        headings = []
        if article.chapter and article.chapter != chapter:
            title = document.chapter_title(article.chapter)
            headings.append(f"Hoofdstuk {article.chapter}" + (f" {title}" if title else ""))
            paragraaf = None
        chapter = article.chapter or chapter
        if article.paragraaf and article.paragraaf != paragraaf:
            title = next(
                (
                    d.title
                    for d in document.divisions
                    if d.kind == "paragraaf" and d.number == article.paragraaf and d.parent in (None, article.chapter)
                ),
                "",
            )
            headings.append(f"§ {article.paragraaf}" + (f" {title}" if title else ""))
        paragraaf = article.paragraaf or paragraaf
        leden = []
        has_findings = False
        for l_index, lid in enumerate(article.leden):
            own = findings.get((article.number, lid.number), []) if anchors.position(article.number, lid.number) == (a_index, l_index) else []
            fragments = []
            tags: dict[str, tuple[str, str, str]] = {}
            for text, css, element_id, title in own:
                label = title if css == "vondst" else f"{title} ({'ontkend' if css == 'ontkend' else 'zwak'})"
                fragments.append((text, css, label))
                if element_id not in tags or css == "vondst":
                    tags[element_id] = (f"#diff-{element_id}", title, css)
            has_findings = has_findings or bool(own)
            leden.append(
                LidView(
                    id=anchors.lid_ids[a_index][l_index],
                    number=lid.number,
                    text=highlight(lid.text, fragments),
                    items=[highlight(item.full_text(), fragments) for item in lid.items],
                    tags=list(tags.values()),
                )
            )
        views.append(
            ArticleView(
                id=anchors.article_ids[a_index],
                number=article.number,
                title=article.title,
                status=article.status,
                headings=headings,
                leden=leden,
                has_findings=has_findings,
            )
        )
    return views


@dataclass
class RequirementView:
    id: str
    title: str
    description: str
    status: str  # present | missing | absent | exception | not_applicable
    mark: str
    status_label: str
    obligation_label: str
    reference: str
    law_text: str
    law_note: str
    exception: str | None
    exception_source: str | None
    locations: list[Location] = field(default_factory=list)
    comparison: Comparison | None = None
    comparison_text: Markup | None = None
    note: str | None = None  # "alleen als begrip gedefinieerd"


@dataclass
class RequirementSection:
    id: str  # catalogue id
    title: str
    summary: str
    applicable: bool
    law_title: str
    law_name: str
    law_version: str
    law_source: str
    basis: str
    overridden: bool
    requirements: list[RequirementView]
    counts: dict


REQUIREMENT_MARKS = {
    "present": ("✓", "geregeld"),
    "missing": ("✗", "ontbreekt"),
    "exception": ("✓", "elders geregeld"),
    "absent": ("·", "niet geregeld (niet verplicht)"),
    "not_applicable": ("–", "niet van toepassing"),
}


def _obligation_label(requirement) -> str:
    if requirement.obligation == "verplicht_als":
        state = "verplicht" if requirement.mandatory else "niet verplicht"
        return f"verplicht als {requirement.condition} geregeld is ({state})"
    return requirement.obligation


def _requirement_sections(result, anchors: Anchors) -> list[RequirementSection]:
    """One section per requirement catalogue (rules/wettelijk and any own catalogue)."""
    sections = []
    for catalogue in result.requirements.values():
        views = []
        for r in catalogue.requirements:
            if catalogue.applicable and r.group != catalogue.group:
                continue
            mark, label = REQUIREMENT_MARKS.get(r.status, ("·", r.status))
            view = RequirementView(
                id=r.id, title=r.title, description=r.description, status=r.status, mark=mark,
                status_label=label, obligation_label=_obligation_label(r), reference=r.reference,
                law_text=r.law.get("text", ""), law_note=" ".join(str(r.law.get("note", "")).split()),
                exception=r.exception, exception_source=r.exception_source, note=r.note,
            )
            groups = _lid_groups(r.evidence)
            for key, items in groups[:_MAX_LOCATIONS]:
                first = items[0]
                view.locations.append(Location(
                    href=anchors.href(*key), label=place(*key), matched=first.matched,
                    definition=all(e.kind == "definition" for e in items),
                    where=first.location.describe() if first.location else "",
                ))
            if groups and view.law_text:
                key, items = groups[0]
                text, narrowed = _comparison_text(result.document, anchors, key, items, view.law_text)
                view.comparison = Comparison(
                    href=anchors.href(*key), label=place(*key),
                    where=items[0].location.describe() if items[0].location else "",
                    definition=all(e.kind == "definition" for e in items), narrowed=narrowed,
                    red=redline(view.law_text, text),
                )
                view.comparison_text = highlight(text, [(e.text, "vondst", r.title) for e in items])
            views.append(view)
        info = catalogue.group_info
        sections.append(RequirementSection(
            id=catalogue.catalogue, title=catalogue.title, summary=catalogue.summary(),
            applicable=catalogue.applicable, law_title=catalogue.law_title if catalogue.group else "",
            law_name=str(info.get("name", "")), law_version=" ".join(str(info.get("text_version", "")).split()),
            law_source=str(info.get("source", "")), basis=catalogue.basis, overridden=catalogue.overridden,
            requirements=views,
            counts={status: sum(1 for v in views if v.status == status) for status in REQUIREMENT_MARKS},
        ))
    return sections


_SCALE = [
    ("old", None, "Oud model (2006)"),
    ("tussenvorm", "old", "Tussenvorm, neigt naar oud"),
    ("tussenvorm", "new", "Tussenvorm, neigt naar nieuw"),
    ("new", None, "Nieuw model (2010)"),
]


def render_html(result, ruleset=None) -> str:
    """The HTML report of a CheckResult; ``ruleset`` (for the model clauses) defaults to the
    rule set the result was made with."""
    if ruleset is None:
        from .pipeline import ruleset_for

        ruleset = ruleset_for(result)
    v = result.verdict
    document = result.document
    anchors = Anchors(
        document,
        reserved=["inhoud", "samenvatting", "checklist", "vergelijking", "legenda", "verordening", "toelichting",
                  "leesverantwoording"]
        + [f"element-{e.id}" for e in v.elements]
        + [f"diff-{e.id}" for e in v.elements]
        + [f"eisen-{c}" for c in result.requirements]
        + [f"eis-{r.id}" for c in result.requirements.values() for r in c.requirements],
    )
    requirement_sections = _requirement_sections(result, anchors)
    views = _element_views(result, ruleset, anchors)
    groups = _grouped(views)
    articles = _article_views(document, anchors, _findings(result))
    counts = {status: sum(1 for view in views if view.status == status) for status in STATUS}
    model_counts = {
        model: (sum(1 for e in v.elements if e.model == model and e.present), sum(1 for e in v.elements if e.model == model))
        for model in ("2010", "2006")
    }
    decisive = [view for view in views if view.decisive]
    # the decisive elements are listed with their marks; their sentences in verdict.reasons
    # ("Melding als startpunt: niet gevonden ...") would repeat that list
    on_scale = v.verdict in ("old", "new", "tussenvorm")  # the template lists them only then
    decisive_prefixes = tuple(f"{view.title}:" for view in decisive) if on_scale else ()
    shown_apart = {getattr(v, "kind_reason", "")} | set(getattr(v, "confidence_reasons", []))
    other_reasons = [
        r for r in v.reasons if r not in shown_apart and not (decisive_prefixes and r.startswith(decisive_prefixes))
    ]
    titles = {e.id: e.title for e in v.elements}
    changes = [
        dict(
            change,
            adds_titles=[titles.get(i, i) for i in change.get("adds", [])],
            removes_titles=[titles.get(i, i) for i in change.get("removes", [])],
        )
        for change in getattr(v, "changes", [])
    ]
    scale = [
        {"label": label, "current": v.verdict == verdict and (lean is None or v.lean == lean)}
        for verdict, lean, label in _SCALE
    ]
    env = _environment()
    template = env.get_template("report.html")
    return template.render(
        document=document,
        verdict=v,
        verdict_label=VERDICT_NL.get(v.verdict, v.verdict),
        lean_label=LEAN_NL.get(v.lean or "", ""),
        kind_label=KIND_NL.get(getattr(v, "kind", ""), getattr(v, "kind", "")),
        changes=changes,
        generation_label=GENERATION_NL.get(v.generation or "", "niet van toepassing" if v.verdict == "not_wmo" else "onbekend"),
        format_label=FORMAT_NL.get(document.format, document.format or "onbekend"),
        source_label=Path(document.source_name).name if document.source_name else "",
        source_url=document.metadata.get("bron_url", ""),
        groups=groups,
        decisive=decisive,
        other_reasons=other_reasons,
        counts=counts,
        model_counts=model_counts,
        scale=scale,
        on_scale=on_scale,
        status_marks=STATUS,
        articles=articles,
        requirement_sections=requirement_sections,
        version=__version__,
        ruleset_version=result.ruleset_version,
    )


def _read_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# read once, at import (single-threaded): os.umask cannot be read without setting it, and a
# moment of umask 0 would affect files that other threads create meanwhile
_UMASK = _read_umask()
_STALE_TEMP_SECONDS = 3600


def write_atomic(path: Path, content: str, *, clean_stale: bool = True) -> None:
    """Write to a temp file beside ``path`` and rename: never a truncated report.

    A process killed meanwhile (SIGKILL, power loss) can leave only a hidden
    ``.<name>.*.tmp`` beside the target; such leftovers older than an hour are removed by
    the next successful write of the same file (``clean_stale``; ``batch``, which writes
    thousands of files into one folder, sweeps its folders once at start instead).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp creates the file 0600; a report is meant to be shared: use the mode of the
        # file it replaces, or the usual mode for a new file (0666 less the umask)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_UMASK
        try:
            os.fchmod(fd, mode)
        except (AttributeError, OSError):  # not on every platform
            pass
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if clean_stale:
        _remove_stale_temp_files(directory, path.name)


def write_output(path: Path, content: str, what: str = "het rapport") -> None:
    """:func:`write_atomic` for the CLI: a file that cannot be written is a Dutch
    :class:`~verordeningcheck.errors.OutputError` naming ``what`` (exit 2)."""
    from .errors import OutputError, os_reason

    try:
        write_atomic(path, content)
    except OSError as exc:
        raise OutputError(f"kan {what} niet schrijven ({os_reason(exc)}).", str(path)) from None


def _remove_stale_temp_files(directory: Path, name: str) -> None:
    import time

    cutoff = time.time() - _STALE_TEMP_SECONDS
    try:
        leftovers = list(directory.glob(f".{glob_escape(name)}.*.tmp"))
    except OSError:
        return
    for leftover in leftovers:
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass
