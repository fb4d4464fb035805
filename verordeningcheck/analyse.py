"""Stage 3: match the rule set against the regulation text, sentence by sentence.

Only article text counts (never the aanhef, slot or toelichting). Each lid is split into
sentences; each list item is matched together with the sentence that introduces it, so a
rule can combine "Bij het onderzoek betrekt het college:" with "c. de mantelzorger".
Negated matches are kept apart as *rejected* evidence, so reports can explain them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Article, Document, Lid, ListItem, SourceLocation
from .nlp import Token, fold, tokenize
from .ruleset import Pattern, Rule, RuleSet

_ABBREVIATIONS = {"art", "o.a", "bijv", "jo", "nr", "m.b.t", "i.v.m", "e.d", "enz", "resp", "z.s.m", "lid", "sub", "t.a.v", "c.q", "d.w.z", "e.a"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z„\"‘(\[])")
_DEFINITION_TITLE = re.compile(r"begrip|definitie", re.I)
_DEFINITION_INTRO = re.compile(r"in deze verordening (?:en de daarop berustende bepalingen )?wordt (?:verstaan|begrepen) onder", re.I)

_CLAUSE_BREAK = {";", ":", ",", "tenzij", "indien", "wanneer", "als", "omdat", "zodat", "nadat", "voordat", "behalve", "maar", "doch", "waarbij", "mits"}
_NEAR_NEGATORS = {"geen", "zonder"}
_CLAUSE_NEGATORS = {"niet", "nooit", "noch", "achterwege", "vervalt", "afzien", "afgezien"}
_NOT_NEGATING_AFTER = {"als", "tot", "alleen", "uitsluitend", "eerder", "later", "zijnde", "onder"}


@dataclass(frozen=True)
class Unit:
    """A matching unit: one sentence of a lid, or one list item with its introduction."""

    article: Article
    lid: Lid
    text: str  # the analysed text
    quote: str  # the part that occurs verbatim in the lid text (shown as evidence)
    context: str  # introducing sentence for a list item ("" otherwise)
    definition: bool


@dataclass
class Evidence:
    element: str
    rule: str
    article: str
    lid: str | None
    text: str  # the sentence or list item, verbatim from the lid
    matched: str  # the matched words
    kind: str  # "operative" | "definition"
    weight: float
    location: SourceLocation
    context: str = ""
    reason: str = ""  # for rejected evidence: why it does not count

    def to_dict(self) -> dict:
        data = {
            "article": self.article,
            "lid": self.lid,
            "text": self.text,
            "matched": self.matched,
            "rule": self.rule,
            "kind": self.kind,
            "weight": round(self.weight, 3),
            "location": self.location.to_dict(),
        }
        if self.context:
            data["context"] = self.context
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass
class Analysis:
    document: Document
    evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)
    markers: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- term matching


@lru_cache(maxsize=200_000)
def _word_matches(term: str, word: str) -> bool:
    if term.startswith("="):
        return word == term[1:]
    prefix = term.endswith("*")
    suffix = term.startswith("*")
    core = term.strip("*")
    if prefix and suffix:
        return core in word
    if suffix:
        return re.fullmatch(rf".*{re.escape(core)}(?:e|en|s|n|es|ken|pen|ten|len|nen|ren|ers|er|d|t)?", word) is not None
    if prefix:
        return word.startswith(core)
    return word == core


@lru_cache(maxsize=50_000)
def _fold_term(term: str) -> tuple[str, ...]:
    exact = term.startswith("=")
    parts = fold(term[1:] if exact else term).split()
    if exact:
        parts = ["=" + p for p in parts]
    return tuple(parts)


class _UnitIndex:
    """Positions of each surface form and lemma in a unit's tokens."""

    def __init__(self, tokens: tuple[Token, ...]):
        self.tokens = tokens
        self.words: dict[str, set[int]] = {}
        for i, token in enumerate(tokens):
            self.words.setdefault(token.lower, set()).add(i)
            self.words.setdefault(token.lemma, set()).add(i)
            # "zorgaanbieder/huisarts", "in- en uitgang": also index the parts
            if "/" in token.lower or "-" in token.lower:
                for part in re.split(r"[/\-]", token.lower):
                    if part:
                        self.words.setdefault(part, set()).add(i)
        self._cache: dict[str, list[tuple[int, int]]] = {}

    def _single(self, part: str) -> set[int]:
        if part.startswith("=") or "*" in part:
            found: set[int] = set()
            for word, positions in self.words.items():
                if _word_matches(part, word):
                    found |= positions
            return found
        return self.words.get(part, set())

    def positions(self, term: str) -> list[tuple[int, int]]:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        parts = _fold_term(term)
        result: list[tuple[int, int]] = []
        if parts:
            first = self._single(parts[0])
            if len(parts) == 1:
                result = [(i, i) for i in sorted(first)]
            else:
                sets = [self._single(p) for p in parts[1:]]
                for i in sorted(first):
                    if all((i + k + 1) in s for k, s in enumerate(sets)):
                        result.append((i, i + len(parts) - 1))
        self._cache[term] = result
        return result

    def group_positions(self, group: tuple[str, ...]) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for term in group:
            found.extend(self.positions(term))
        return sorted(set(found))


def match_pattern(index: _UnitIndex, pattern: Pattern) -> tuple[int, int, int] | None:
    """Return (anchor_token, span_start, span_end) of the tightest match, or None."""
    groups = []
    for group in pattern.all:  # the anchor first: most sentences fail here, cheaply
        positions = index.group_positions(group)
        if not positions:
            return None
        groups.append(positions)
    for group in pattern.none:
        if index.group_positions(group):
            return None
    best = None
    for anchor in groups[0]:
        lo, hi = anchor
        for other in groups[1:]:
            nearest = min(other, key=lambda p: min(abs(p[0] - anchor[1]), abs(anchor[0] - p[1])))
            lo, hi = min(lo, nearest[0]), max(hi, nearest[1])
        if pattern.window is not None and hi - lo > pattern.window:
            continue
        if best is None or (hi - lo) < (best[2] - best[1]):
            best = (anchor[0], lo, hi)
    return best


def is_negated(tokens: tuple[Token, ...], anchor: int) -> bool:
    """Is the anchor token in a negated clause? (see docs/rules.md, "Negation")."""
    start = anchor
    while start > 0 and tokens[start - 1].lower not in _CLAUSE_BREAK:
        start -= 1
    end = anchor
    while end + 1 < len(tokens) and tokens[end + 1].lower not in _CLAUSE_BREAK:
        end += 1
    for i in range(start, end + 1):
        word = tokens[i].lower
        if word in _NEAR_NEGATORS and 0 < anchor - i <= 3:
            return True
        if word in _CLAUSE_NEGATORS:
            nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
            if word == "niet" and nxt in _NOT_NEGATING_AFTER:
                continue
            if word == "niet" and i >= 2 and tokens[i - 1].lower == "dan" and tokens[i - 2].lower == "al":
                continue  # "al dan niet": whether or not
            return True
        if word in ("af", "afzien") and any(t.lemma == "zien" or t.lower in ("ziet", "zien", "zag") for t in tokens[start:end + 1]):
            return True
    return False


# ---------------------------------------------------------------- units


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        pieces = _SENTENCE_END.split(paragraph)
        buffer = ""
        for piece in pieces:
            buffer = f"{buffer} {piece}".strip() if buffer else piece
            last_word = buffer.rsplit(" ", 1)[-1].rstrip(".").lower()
            if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
                continue
            sentences.append(buffer)
            buffer = ""
        if buffer:
            sentences.append(buffer)
    return sentences


def _is_definitions(article: Article) -> bool:
    if _DEFINITION_TITLE.search(article.title or ""):
        return True
    first = article.leden[0].text if article.leden else ""
    return bool(_DEFINITION_INTRO.search(first))


def _item_units(article: Article, lid: Lid, items: list[ListItem], intro: str, definition: bool, out: list[Unit]) -> None:
    for item in items:
        item_text = f"{item.label} {item.text}".strip() if item.label else item.text
        out.append(Unit(article, lid, f"{intro} {item.text}".strip(), item_text, intro, definition))
        if item.items:
            _item_units(article, lid, item.items, f"{intro} {item.text}".strip(), definition, out)


def document_units(document: Document) -> list[Unit]:
    units: list[Unit] = []
    for article in document.articles:
        if article.status == "vervallen":
            continue
        definition = _is_definitions(article)
        for lid in article.leden:
            sentences = split_sentences(lid.text)
            for sentence in sentences:
                units.append(Unit(article, lid, sentence, sentence, "", definition))
            intro = sentences[-1] if sentences else ""
            _item_units(article, lid, lid.items, intro, definition, units)
    return units


# ---------------------------------------------------------------- analysis


def analyse(document: Document, ruleset: RuleSet) -> Analysis:
    units = document_units(document)
    token_lists = tokenize([u.text for u in units])
    analysis = Analysis(document)
    definition_factor = float(ruleset.policy.get("definition_factor", 0.3))
    rules = ruleset.rules
    for unit, tokens in zip(units, token_lists):
        index = _UnitIndex(tokens)
        for rule in rules:
            found = _match_rule(index, rule)
            if found is None:
                continue
            (anchor, lo, hi), negated = found
            matched = unit.text[tokens[lo].start:tokens[hi].end]
            evidence = Evidence(
                element=rule.element,
                rule=rule.id,
                article=unit.article.number,
                lid=unit.lid.number,
                text=unit.quote,
                matched=matched,
                kind="definition" if unit.definition else "operative",
                weight=rule.weight * (definition_factor if unit.definition else 1.0),
                location=unit.lid.location if unit.lid.location != SourceLocation() else unit.article.location,
                context=unit.context,
            )
            if negated:
                evidence.reason = "ontkend"
                evidence.weight = 0.0
                analysis.rejected.append(evidence)
            else:
                analysis.evidence.append(evidence)
    analysis.markers = count_markers(document, ruleset, units, token_lists)
    return analysis


def _match_rule(index: _UnitIndex, rule: Rule) -> tuple[tuple[int, int, int], bool] | None:
    """The first hit of any pattern that is not negated, else the first negated hit.

    Returns ((anchor, start, end), negated) or None.
    """
    negated_hit = None
    for pattern in rule.patterns:
        hit = match_pattern(index, pattern)
        if hit is None:
            continue
        negated = rule.negation == "exclude" and is_negated(index.tokens, hit[0])
        if not negated:
            return hit, False
        if negated_hit is None:
            negated_hit = hit
    return (negated_hit, True) if negated_hit is not None else None


def count_markers(document: Document, ruleset: RuleSet, units: list[Unit], token_lists) -> dict[str, int]:
    """Document-level markers from rules/markers.yaml: counts of units matching each marker."""
    counts: dict[str, int] = {}
    head_texts = [document.title] + list(document.aanhef)
    head_tokens = tokenize(head_texts)
    for name, spec in (ruleset.markers or {}).items():
        terms = tuple(spec.get("terms", []))
        if not terms:
            continue
        where = spec.get("in", "all")
        pool = []
        if where in ("all", "head", "title"):
            pool.extend(head_tokens[:1] if where == "title" else head_tokens)
        if where in ("all", "articles"):
            pool.extend(token_lists)
        total = 0
        for tokens in pool:
            index = _UnitIndex(tokens)
            if index.group_positions(terms):
                total += 1
        counts[name] = total
    return counts


def match_sentence(text: str, rule: Rule) -> tuple[bool, bool]:
    """(matched, negated) for one example sentence (used by ``rules test``)."""
    tokens = tokenize([text])[0]
    found = _match_rule(_UnitIndex(tokens), rule)
    if found is None:
        return False, False
    return True, found[1]
