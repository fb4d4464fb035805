"""Stage 3: match the rule set against the regulation text, sentence by sentence.

Only article text counts (never the aanhef, slot or toelichting). Each lid is split into
sentences; each list item is matched together with the sentence that introduces it, so a
rule can combine "Bij het onderzoek betrekt het college:" with "c. de mantelzorger".
Negated matches are kept apart as *rejected* evidence, so reports can explain them.

Speed (docs/performance.md): wildcard terms are resolved once per document against its
distinct words, an inverted index (a bit per unit) finds the units where every ``all``
group of a pattern can occur, and only those run the exact matcher below, whose results
are the same as matching every unit against every rule.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Article, Document, Lid, ListItem, SourceLocation
from .nlp import Token, fold, gc_paused, tokenize, tokenize_extended
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

# the endings a suffix term ("*gesprek") allows after its core, "" included
_INFLECTIONS = ("", "e", "en", "s", "n", "es", "ken", "pen", "ten", "len", "nen", "ren", "ers", "er", "d", "t")
_INFLECTION_RE = "(?:" + "|".join(_INFLECTIONS[1:]) + ")?"  # the same endings in a regex
_WORD_PARTS = re.compile(r"[/\-]")
_EMPTY: frozenset[int] = frozenset()


@lru_cache(maxsize=200_000)
def _word_matches(term: str, word: str) -> bool:
    """The definition of a term part matching a word (docs/rules.md, "Termen")."""
    if term.startswith("="):
        return word == term[1:]
    prefix = term.endswith("*")
    suffix = term.startswith("*")
    core = term.strip("*")
    if prefix and suffix:
        return core in word
    if suffix:
        return re.fullmatch(rf".*{re.escape(core)}{_INFLECTION_RE}", word) is not None
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


def _unit_words(tokens: tuple[Token, ...]) -> dict[str, set[int]]:
    """Positions of each surface form, lemma and word part in a unit's tokens."""
    words: dict[str, set[int]] = {}
    for i, token in enumerate(tokens):
        lower = token.lower
        positions = words.get(lower)
        if positions is None:
            words[lower] = {i}
        else:
            positions.add(i)
        if token.lemma != lower:
            positions = words.get(token.lemma)
            if positions is None:
                words[token.lemma] = {i}
            else:
                positions.add(i)
        # "zorgaanbieder/huisarts", "in- en uitgang": also index the parts
        if "/" in lower or "-" in lower:
            for part in _WORD_PARTS.split(lower):
                if part:
                    words.setdefault(part, set()).add(i)
    return words


class _Vocabulary:
    """The distinct words of a document, to resolve wildcard term parts once per document.

    Equivalent to testing every word with :func:`_word_matches`: a prefix part is a range of
    the sorted words, a suffix part ranges of the sorted reversed words (one per allowed
    ending), an infix part a scan.
    """

    def __init__(self, words) -> None:
        self.words = sorted(set(words))
        self._reversed: list[str] | None = None
        self._cache: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}

    def matching(self, part: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """The words that ``part`` (a folded term part with "*") matches, as tuple and set."""
        found = self._cache.get(part)
        if found is None:
            words = tuple(self._match(part))
            found = self._cache[part] = (words, frozenset(words))
        return found

    def _match(self, part: str) -> list[str]:
        prefix = part.endswith("*")
        suffix = part.startswith("*")
        core = part.strip("*")
        if part.startswith("=") or "*" in core or not (prefix or suffix):
            return [word for word in self.words if _word_matches(part, word)]
        if prefix and suffix:
            return [word for word in self.words if core in word]
        if prefix:
            return _starting_with(self.words, core)
        if self._reversed is None:
            self._reversed = sorted(word[::-1] for word in self.words)
        found: set[str] = set()
        for ending in _INFLECTIONS:
            found.update(reverse[::-1] for reverse in _starting_with(self._reversed, (core + ending)[::-1]))
        # the definition is a regular expression: its "." does not match a line break
        return [word for word in found if "\n" not in word]


def _starting_with(ordered: list[str], start: str) -> list[str]:
    i = bisect_left(ordered, start)
    found = []
    while i < len(ordered) and ordered[i].startswith(start):
        found.append(ordered[i])
        i += 1
    return found


class _UnitIndex:
    """Positions of each surface form and lemma in a unit's tokens."""

    def __init__(
        self,
        tokens: tuple[Token, ...],
        vocabulary: _Vocabulary | None = None,
        words: dict[str, set[int]] | None = None,
    ):
        self.tokens = tokens
        self.words = _unit_words(tokens) if words is None else words
        self._vocabulary = vocabulary  # the document's words (default: this unit's own)
        self._cache: dict[str, list[tuple[int, int]]] = {}
        self._group_cache: dict[tuple[str, ...], list[tuple[int, int]]] = {}

    def _single(self, part: str) -> set[int] | frozenset[int]:
        if part.startswith("="):
            return self.words.get(part[1:], _EMPTY)
        if "*" in part:
            if self._vocabulary is None:
                self._vocabulary = _Vocabulary(self.words)
            matching, matching_set = self._vocabulary.matching(part)
            words = self.words
            found: set[int] = set()
            if len(matching) <= len(words):
                for word in matching:
                    positions = words.get(word)
                    if positions:
                        found |= positions
            else:
                for word, positions in words.items():
                    if word in matching_set:
                        found |= positions
            return found
        return self.words.get(part, _EMPTY)

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
            elif first:
                sets = [self._single(p) for p in parts[1:]]
                for i in sorted(first):
                    if all((i + k + 1) in s for k, s in enumerate(sets)):
                        result.append((i, i + len(parts) - 1))
        self._cache[term] = result
        return result

    def group_positions(self, group: tuple[str, ...]) -> list[tuple[int, int]]:
        result = self._group_cache.get(group)
        if result is None:
            cache = self._cache
            found: list[tuple[int, int]] = []
            for term in group:
                positions = cache.get(term)
                if positions is None:
                    positions = self.positions(term)
                if positions:
                    found.extend(positions)
            result = self._group_cache[group] = sorted(set(found)) if found else []
        return result

    def has_any(self, group: tuple[str, ...]) -> bool:
        """``bool(self.group_positions(group))``, stopping at the first term found."""
        return any(self.positions(term) for term in group)


class _DocumentIndex:
    """Which units can match a term: an inverted index from word to units (a bit per unit).

    A unit's bit is set for a term when each of the term's parts occurs in the unit; a
    pattern can only match a unit whose bit is set for some term of every ``all`` group,
    so the (exact) matcher runs only on those units.
    """

    def __init__(self, unit_words: list[dict[str, set[int]]], vocabulary: _Vocabulary) -> None:
        postings: dict[str, int] = {}
        for i, words in enumerate(unit_words):
            bit = 1 << i
            for word in words:
                postings[word] = postings.get(word, 0) | bit
        self._postings = postings
        self._vocabulary = vocabulary
        self._parts: dict[str, int] = {}
        self._groups: dict[tuple[str, ...], int] = {}

    def _part(self, part: str) -> int:
        mask = self._parts.get(part)
        if mask is None:
            postings = self._postings
            if part.startswith("="):
                mask = postings.get(part[1:], 0)
            elif "*" in part:
                mask = 0
                for word in self._vocabulary.matching(part)[0]:
                    mask |= postings.get(word, 0)
            else:
                mask = postings.get(part, 0)
            self._parts[part] = mask
        return mask

    def group(self, group: tuple[str, ...]) -> int:
        """Units in which some term of the group may occur."""
        mask = self._groups.get(group)
        if mask is None:
            mask = 0
            for term in group:
                parts = _fold_term(term)
                if not parts:
                    continue
                term_mask = self._part(parts[0])
                for part in parts[1:]:
                    if not term_mask:
                        break
                    term_mask &= self._part(part)
                mask |= term_mask
            self._groups[group] = mask
        return mask

    def pattern(self, pattern: Pattern) -> int:
        """Units in which every ``all`` group of the pattern may match."""
        mask = -1
        for group in pattern.all:
            mask &= self.group(group)
            if not mask:
                return 0
        return mask if mask != -1 else 0


def _bits(mask: int) -> list[int]:
    """The positions of the set bits of a non-negative int, ascending."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def match_pattern(index: _UnitIndex, pattern: Pattern) -> tuple[int, int, int] | None:
    """Return (anchor_token, span_start, span_end) of the tightest match, or None."""
    groups = []
    for group in pattern.all:  # the anchor first: most sentences fail here, cheaply
        positions = index.group_positions(group)
        if not positions:
            return None
        groups.append(positions)
    for group in pattern.none:
        if index.has_any(group):
            return None
    best = None
    # the longest span of each other group bounds where its nearest span can be (_nearest)
    others = [(other, max(end - start for start, end in other)) for other in groups[1:]]
    for anchor in groups[0]:
        lo, hi = anchor
        for other, longest in others:
            nearest = _nearest(other, anchor, longest)
            lo, hi = min(lo, nearest[0]), max(hi, nearest[1])
        if pattern.window is not None and hi - lo > pattern.window:
            continue
        if best is None or (hi - lo) < (best[2] - best[1]):
            best = (anchor[0], lo, hi)
    return best


def _distance(span: tuple[int, int], anchor: tuple[int, int]) -> int:
    return min(abs(span[0] - anchor[1]), abs(anchor[0] - span[1]))


def _nearest(spans: list[tuple[int, int]], anchor: tuple[int, int], longest: int) -> tuple[int, int]:
    """``min(spans, key=distance to anchor)`` (the first nearest span), without a full scan.

    ``spans`` is sorted and no span is longer than ``longest``. A span at distance d at most
    D starts in [anchor start - D - longest, anchor end + D]; D is the distance of the spans
    on either side of the anchor's end, so the nearest spans are all in that slice, which
    keeps a sentence with thousands of hits linear instead of quadratic.
    """
    if len(spans) <= 8:
        return min(spans, key=lambda span: _distance(span, anchor))
    a_lo, a_hi = anchor
    j = bisect_left(spans, (a_hi,))
    bound = min(_distance(spans[k], anchor) for k in (j - 1, j) if 0 <= k < len(spans))
    start = bisect_left(spans, (a_lo - bound - longest,))
    end = bisect_left(spans, (a_hi + bound + 1,))
    return min(spans[start:end], key=lambda span: _distance(span, anchor))


def is_negated(tokens: tuple[Token, ...], anchor: int) -> bool:
    """Is the anchor token in a negated clause? (see docs/rules.md, "Ontkenning")."""
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


@dataclass
class Tokenized:
    """The NLP stage of an analysis: the matching units and their tokens."""

    units: list[Unit]
    tokens: list[tuple[Token, ...]]  # per unit
    head_tokens: list[tuple[Token, ...]]  # title, then each aanhef paragraph


def tokenize_document(document: Document) -> Tokenized:
    units = document_units(document)
    # a list item's unit repeats its introducing sentence (an earlier unit): tokenise it once
    first: dict[str, int] = {}
    bases: list[int | None] = []
    for i, unit in enumerate(units):
        bases.append(first.get(unit.context) if unit.context else None)
        first.setdefault(unit.text, i)
    token_lists = tokenize_extended([u.text for u in units], bases)
    head_tokens = tokenize([document.title] + list(document.aanhef))
    return Tokenized(units, token_lists, head_tokens)


def analyse(document: Document, ruleset: RuleSet, tokenized: Tokenized | None = None) -> Analysis:
    """Match the rule set against the document (``tokenized``: its NLP stage, if done already)."""
    tokenized = tokenized or tokenize_document(document)
    with gc_paused():  # many small sets and dicts, no cycles (see nlp.gc_paused)
        return _analyse(document, ruleset, tokenized)


def _analyse(document: Document, ruleset: RuleSet, tokenized: Tokenized) -> Analysis:
    units, token_lists = tokenized.units, tokenized.tokens
    analysis = Analysis(document)
    definition_factor = float(ruleset.policy.get("definition_factor", 0.3))
    rules = ruleset.rules

    unit_words = [_unit_words(tokens) for tokens in token_lists]
    vocabulary = _Vocabulary(word for words in unit_words for word in words)
    index = _DocumentIndex(unit_words, vocabulary)
    # candidates[unit] = [(rule number, [patterns that may match]), ...] in rule order
    candidates: list[list[tuple[int, list[Pattern]]]] = [[] for _ in units]
    for number, rule in enumerate(rules):
        for pattern in rule.patterns:
            for i in _bits(index.pattern(pattern)):
                entries = candidates[i]
                if entries and entries[-1][0] == number:
                    entries[-1][1].append(pattern)
                else:
                    entries.append((number, [pattern]))

    for i, (unit, tokens) in enumerate(zip(units, token_lists)):
        if not candidates[i]:
            continue
        unit_index = _UnitIndex(tokens, vocabulary, unit_words[i])
        for number, patterns in candidates[i]:
            rule = rules[number]
            found = _match_patterns(unit_index, rule, patterns)
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
    analysis.markers = count_markers(ruleset, tokenized.head_tokens, token_lists, index, vocabulary, unit_words)
    return analysis


def _match_rule(index: _UnitIndex, rule: Rule) -> tuple[tuple[int, int, int], bool] | None:
    """The first hit of any pattern that is not negated, else the first negated hit.

    Returns ((anchor, start, end), negated) or None.
    """
    return _match_patterns(index, rule, rule.patterns)


def _match_patterns(index: _UnitIndex, rule: Rule, patterns) -> tuple[tuple[int, int, int], bool] | None:
    """:func:`_match_rule` over ``patterns``, a subsequence of the rule's patterns that
    contains every pattern that can match this unit (the others would return None)."""
    negated_hit = None
    for pattern in patterns:
        hit = match_pattern(index, pattern)
        if hit is None:
            continue
        negated = rule.negation == "exclude" and is_negated(index.tokens, hit[0])
        if not negated:
            return hit, False
        if negated_hit is None:
            negated_hit = hit
    return (negated_hit, True) if negated_hit is not None else None


def count_markers(
    ruleset: RuleSet,
    head_tokens,
    token_lists,
    index: "_DocumentIndex",
    vocabulary: "_Vocabulary",
    unit_words: list,
) -> dict[str, int]:
    """Document-level markers from rules/markers.yaml: counts of units matching each marker
    (in the title and aanhef, ``head_tokens``, and in the matching units, with the
    analysis's index)."""
    counts: dict[str, int] = {}
    head_indexes = [_UnitIndex(tokens) for tokens in head_tokens]
    for name, spec in (ruleset.markers or {}).items():
        terms = tuple(spec.get("terms", []))
        if not terms:
            continue
        where = spec.get("in", "all")
        total = 0
        if where in ("all", "head", "title"):
            for head in head_indexes[:1] if where == "title" else head_indexes:
                if head.has_any(terms):
                    total += 1
        if where in ("all", "articles"):
            for i in _bits(index.group(terms)):
                if _UnitIndex(token_lists[i], vocabulary, unit_words[i]).has_any(terms):
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
