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

from . import amendments
from .amendments import NEW, OLD, OWN, Instruction
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
# finite verbs that begin the predicate of a subject clause ("..., wordt niet meer toegepast")
_FINITE_VERBS = {
    "is", "zijn", "wordt", "worden", "geldt", "gelden", "blijft", "blijven", "vervalt", "vervallen", "vindt",
    "vinden", "komt", "komen", "kan", "kunnen", "mag", "mogen", "moet", "moeten", "heeft", "hebben", "zal",
    "zullen", "gaat", "gaan", "staat", "staan", "speelt", "spelen", "maakt", "maken", "dient", "dienen",
}
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
    role: str = OWN  # amendments.OWN | NEW (quoted text an amendment inserts) | OLD (quoted text it replaces)
    instruction: int | None = None  # the amending instruction that quotes this text
    title: bool = False  # the article's title (located at its first lid)


@dataclass
class Evidence:
    element: str
    rule: str
    article: str
    lid: str | None
    text: str  # the sentence or list item, verbatim from the lid
    matched: str  # the matched words
    kind: str  # "operative" | "definition" | "title" | "inserted" | "replaced"
    weight: float
    location: SourceLocation
    context: str = ""
    reason: str = ""  # for rejected evidence: why it does not count
    instruction: int | None = None  # for quoted amendment text: the instruction that quotes it

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
        if self.instruction is not None:
            data["instruction"] = self.instruction
        return data


@dataclass
class Analysis:
    document: Document
    evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)
    markers: dict[str, int] = field(default_factory=dict)
    marker_hits: dict[str, list["MarkerHit"]] = field(default_factory=dict)
    instructions: list[Instruction] = field(default_factory=list)
    unit_count: int = 0  # matching units of the regulation text (own words and quoted text)
    quoted_units: int = 0  # of which quoted amendment text


@dataclass
class MarkerHit:
    """Where a document marker was found: the basis of the kind, generation, ..."""

    where: str  # "titel" | "aanhef" | "grondslag" | "artikel"
    text: str  # the sentence, title or aanhef passage
    matched: str  # the words that matched
    article: str | None = None
    lid: str | None = None

    def to_dict(self) -> dict:
        data = {"where": self.where, "text": self.text, "matched": self.matched}
        if self.article is not None:
            data["article"] = self.article
            data["lid"] = self.lid
        return data

    def describe(self) -> str:
        """Dutch: where it was found ('de aanhef', 'artikel 3, lid 2')."""
        if self.where == "artikel":
            return f"artikel {self.article}" + (f", lid {self.lid}" if self.lid else "")
        return {"titel": "de titel", "aanhef": "de aanhef", "grondslag": "de aanhef (grondslag)"}.get(self.where, self.where)


# ---------------------------------------------------------------- term matching

# the endings a suffix term ("*gesprek") allows after its core, "" included
_INFLECTIONS = ("", "e", "en", "s", "n", "es", "ken", "pen", "ten", "len", "nen", "ren", "ers", "er", "d", "t")
_INFLECTION_RE = "(?:" + "|".join(_INFLECTIONS[1:]) + ")?"  # the same endings in a regex
_WORD_PARTS = re.compile(r"[/\-]")
_PARTICLES = {"in", "aan", "af", "bij", "door", "mee", "na", "op", "over", "toe", "uit", "voor", "terug", "samen",
              "vast", "weg", "om", "neer", "tegen", "vooraf", "binnen", "achter"}
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
        # a separable verb split by "te" ("in te zetten", "bij te dragen"): also the whole verb
        if lower == "te" and 0 < i < len(tokens) - 1 and tokens[i - 1].lower in _PARTICLES:
            particle, verb = tokens[i - 1].lower, tokens[i + 1]
            for whole in {particle + verb.lower, particle + verb.lemma}:
                words.setdefault(whole, set()).add(i + 1)
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
    end = _predicate_end(tokens, start, end)
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


# words that make a negated statement a situation (a condition, a choice, a possibility) rather
# than a blanket denial: "kan afzien van een gesprek", "blijft achterwege als", "wenst geen gesprek"
_CONDITION_WORDS = {
    "kan", "kunnen", "mag", "mogen", "indien", "als", "wanneer", "tenzij", "behalve", "voor zover", "mits",
    "wenst", "wensen", "wil", "willen", "verzoek", "verzoekt", "weigert", "weigeren", "afzien", "afziet",
    "eenvoudige", "eerder", "ongewijzigd", "ongewijzigde", "situatie", "omstandigheden", "dan", "zolang",
}


def _has_condition(tokens: tuple[Token, ...]) -> bool:
    """Does the sentence state a condition, choice or possibility (see ``negation: situational``)?"""
    return any(t.lower in _CONDITION_WORDS or t.lemma in _CONDITION_WORDS for t in tokens)


def _predicate_end(tokens: tuple[Token, ...], start: int, end: int) -> int:
    """Extend a clause that is the subject of a predicate after a parenthetical part.

    "Het primaat van het collectief vervoer, bedoeld in artikel 9, is niet langer van
    toepassing": the anchor's clause ends at the comma, its predicate (with the negation) comes
    after the parenthetical "bedoeld in artikel 9". When the anchor's clause has no verb of its
    own, the comma-separated parts that follow are skipped up to the first that starts with a
    finite verb; that part belongs to the clause.
    """
    if any(t.lower in _FINITE_VERBS for t in tokens[start:end + 1]):
        return end
    i = end + 1
    for _ in range(3):  # at most a few parenthetical parts
        if i >= len(tokens) or tokens[i].lower != ",":
            return end
        j = i + 1
        if j < len(tokens) and tokens[j].lower in _FINITE_VERBS:
            k = j
            while k + 1 < len(tokens) and tokens[k + 1].lower not in _CLAUSE_BREAK:
                k += 1
            return k
        k = j
        while k < len(tokens) and tokens[k].lower not in _CLAUSE_BREAK:
            k += 1
        i = k
    return end


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


# an enumeration label at the start of a sentence or item ("7°", "c.", "2)", "-")
_LABEL_START = re.compile(r"^(?:\d+°|\d+[.)]|[a-z]{1,2}[.)]|[ivx]+[.)]|[-•–])\s+\S")
_DEGREE_LABEL = re.compile(r"^\d+°$")
# inline enumeration after a colon: "... onder: a. x; b. y; c. z."
_INLINE_ITEM = re.compile(r";\s+(?=(?:[a-z]|\d+°?|\d+)[.)°]\s)")


def _split_block(text: str) -> list[tuple[str, str]]:
    """(sentence, introducing sentence) pairs of a lid or item text.

    Sentences that are enumeration items ("7° zich zelf in te zetten voor anderen", "b. de
    mantelzorger") are units like list items: they get the last sentence ending with ":" before
    them as their introduction. An enumeration written inline after a colon ("onder: a. x;
    b. y.") is split into its items the same way.
    """
    pairs: list[tuple[str, str]] = []
    intro = ""
    for sentence in split_sentences(text):
        head, colon, rest = sentence.partition(": ")
        pieces = _INLINE_ITEM.split(rest) if colon and _LABEL_START.match(rest) else []
        if len(pieces) >= 2:
            pairs.append((sentence, intro if _LABEL_START.match(sentence) else ""))
            for piece in pieces:
                pairs.append((piece, head + ":"))
            continue
        if _LABEL_START.match(sentence) and intro:
            pairs.append((sentence, intro))
        else:
            pairs.append((sentence, ""))
        if sentence.rstrip().endswith(":"):
            intro = sentence
    return pairs


def _unit(article: Article, lid: Lid, sentence: str, context: str, definition: bool, role: str, instruction) -> Unit:
    text = f"{context} {sentence}".strip() if context else sentence
    return Unit(article, lid, text, sentence, context, definition, role, instruction)


def _block_units(article, lid, text, segments, definition, out: list[Unit]) -> str:
    """Units of one lid or item text; returns its last sentence (the introduction of its items)."""
    last = ""
    for segment_text, role, instruction in segments if segments is not None else [(text, OWN, None)]:
        for sentence, context in _split_block(segment_text):
            out.append(_unit(article, lid, sentence, context, definition, role, instruction))
            last = sentence
    return last


def _item_units(article, lid, li, items, intro, intro_role, path, quotes, definition, out: list[Unit]) -> None:
    previous: ListItem | None = None
    for i, item in enumerate(items):
        segments = _segments(quotes, (li, path + (i,)))
        role = segments[0][1] if segments else OWN
        item_intro = intro if role == intro_role else ""  # an instruction does not introduce its quoted text
        label = (item.label or "").strip()
        if (
            previous is not None
            and _DEGREE_LABEL.match(label)
            and not _DEGREE_LABEL.match((previous.label or "").strip())
            and previous.text.rstrip().endswith(":")
        ):
            # "7°" items a reader gave as siblings of the lettered item that introduces them
            item_intro = f"{item_intro} {previous.text}".strip()
        else:
            previous = item if not _DEGREE_LABEL.match(label) else previous
        if segments is None or len(segments) == 1:
            item_text = f"{item.label} {item.text}".strip() if item.label else item.text
            for sentence, context in _split_block(item.text):
                context = f"{item_intro} {context}".strip() if context else item_intro
                quote = item_text if sentence == item.text else sentence
                out.append(Unit(article, lid, f"{context} {sentence}".strip(), quote, context, definition, role,
                                segments[0][2] if segments else None))
        else:
            _block_units(article, lid, item.text, segments, definition, out)
        if item.items:
            _item_units(article, lid, li, item.items, f"{item_intro} {item.text}".strip(), role, path + (i,), quotes,
                        definition, out)


def _segments(quotes, key):
    found = quotes.blocks.get(key) if quotes is not None else None
    if found is None:
        return None
    return [(s.text.strip(), s.role, s.instruction) for s in found if s.text.strip()]


def document_units(document: Document, instructions: list[Instruction] | None = None) -> list[Unit]:
    """The matching units of the regulation text; ``instructions`` collects amending instructions."""
    units: list[Unit] = []
    found: list[Instruction] = []
    amending: Article | None = None  # the amending article whose quoted text is still open
    open_quote: amendments.ArticleQuotes | None = None
    for article in document.articles:
        if article.status == "vervallen":
            if amending is not None and found and amendments.continues_quote(amending, article):
                # "Artikel 4.1 vervalt." inside an amendment, read by the reader as a repealed article
                found.append(amendments.repeal_of(article, len(found)))
            continue
        definition = _is_definitions(article)
        if open_quote is not None and amendments.continues_quote(amending, article):
            quotes = amendments.quoted_article(article, open_quote.open_quote, open_quote.open_role)
        else:
            quotes = amendments.analyse_article(article, len(found))
            found.extend(quotes.instructions)
            amending = article
        open_quote = quotes if quotes.open_quote is not None else None
        title_role, title_instruction = OWN, None
        if not quotes.blocks:
            quotes = None
        elif not quotes.instructions:  # a quoted article: its title is quoted too
            title_role, title_instruction = quotes.open_role, quotes.open_quote
        if article.title and article.leden:
            first = article.leden[0]
            units.append(Unit(article, first, article.title, article.title, "", definition, title_role,
                              title_instruction, title=True))
        for li, lid in enumerate(article.leden):
            segments = _segments(quotes, (li, ()))
            intro = _block_units(article, lid, lid.text, segments, definition, units)
            intro_role = segments[-1][1] if segments else OWN
            _item_units(article, lid, li, lid.items, intro, intro_role, (), quotes, definition, units)
    if instructions is not None:
        instructions.extend(found)
    return units


# ---------------------------------------------------------------- analysis


@dataclass
class Tokenized:
    """The NLP stage of an analysis: the matching units and their tokens."""

    units: list[Unit]
    tokens: list[tuple[Token, ...]]  # per unit
    head_tokens: list[tuple[Token, ...]]  # title, then each aanhef paragraph
    instructions: list[Instruction] = field(default_factory=list)  # amending instructions, in order


def tokenize_document(document: Document) -> Tokenized:
    instructions: list[Instruction] = []
    units = document_units(document, instructions)
    # a list item's unit repeats its introducing sentence (an earlier unit): tokenise it once
    first: dict[str, int] = {}
    bases: list[int | None] = []
    for i, unit in enumerate(units):
        bases.append(first.get(unit.context) if unit.context else None)
        first.setdefault(unit.text, i)
    token_lists = tokenize_extended([u.text for u in units], bases)
    head_tokens = tokenize([document.title] + list(document.aanhef))
    return Tokenized(units, token_lists, head_tokens, instructions)


def analyse(document: Document, ruleset: RuleSet, tokenized: Tokenized | None = None) -> Analysis:
    """Match the rule set against the document (``tokenized``: its NLP stage, if done already)."""
    tokenized = tokenized or tokenize_document(document)
    with gc_paused():  # many small sets and dicts, no cycles (see nlp.gc_paused)
        return _analyse(document, ruleset, tokenized)


def _analyse(document: Document, ruleset: RuleSet, tokenized: Tokenized) -> Analysis:
    units, token_lists = tokenized.units, tokenized.tokens
    analysis = Analysis(document)
    policy = ruleset.policy
    factors = {
        "definition": float(policy.get("definition_factor", 0.3)),
        "title": float(policy.get("title_factor", 0.5)),
        "inserted": float(policy.get("inserted_factor", 1.0)),
        "replaced": 0.0,
        "operative": 1.0,
    }
    if not any(not u.definition and not u.title and u.role == OWN for u in units):
        # only definitions are there (the beginning of a page, an extract): there is no article
        # that could use or leave unused a defined term, so the definitions are all the evidence
        factors["definition"] = float(policy.get("definition_factor_alone", factors["definition"]))
    own_definition_factor = ruleset.definition_factors()  # a catalogue's own setting wins (both cases)
    rules = ruleset.rules
    analysis.instructions = list(tokenized.instructions)
    analysis.unit_count = sum(1 for u in units if not u.title)
    analysis.quoted_units = sum(1 for u in units if u.role != OWN and not u.title)

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
            kind = _evidence_kind(unit)
            evidence = Evidence(
                element=rule.element,
                rule=rule.id,
                article=unit.article.number,
                lid=unit.lid.number,
                text=unit.quote,
                matched=matched,
                kind=kind,
                weight=rule.weight * (own_definition_factor.get(rule.element, factors[kind])
                                      if kind == "definition" else factors[kind]),
                location=unit.lid.location if unit.lid.location != SourceLocation() else unit.article.location,
                context=unit.context,
                instruction=unit.instruction,
            )
            if negated or kind == "replaced":
                evidence.reason = "ontkend" if negated else "vervangen"
                evidence.weight = 0.0
                analysis.rejected.append(evidence)
            else:
                analysis.evidence.append(evidence)
    analysis.markers, analysis.marker_hits = count_markers(
        ruleset, tokenized.head_tokens, token_lists, index, vocabulary, unit_words, units, document
    )
    return analysis


def _evidence_kind(unit: Unit) -> str:
    if unit.role == NEW:
        return "inserted"
    if unit.role == OLD:
        return "replaced"
    if unit.title:
        return "title"
    return "definition" if unit.definition else "operative"


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
        if rule.negation == "exclude":
            negated = is_negated(index.tokens, hit[0])
        elif rule.negation == "situational":
            negated = is_negated(index.tokens, hit[0]) and not _has_condition(index.tokens)
        else:
            negated = False
        if not negated:
            return hit, False
        if negated_hit is None:
            negated_hit = hit
    return (negated_hit, True) if negated_hit is not None else None


_BASIS_START = ("gelet", "op")
_BASIS_END = {";", "gelet", "gezien", "gehoord", "gelezen", "overwegende", "besluit", "besluiten", "heeft", "hebben"}


def basis_spans(tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the legal basis in an aanhef paragraph: from "gelet op" to
    the next ";" or the next part of the aanhef (gezien, gehoord, overwegende, besluit)."""
    spans = []
    i = 0
    while i + 1 < len(tokens):
        if tokens[i].lower == _BASIS_START[0] and tokens[i + 1].lower == _BASIS_START[1]:
            j = i + 2
            while j < len(tokens) and tokens[j].lower not in _BASIS_END:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _first_span(index: _UnitIndex, terms: tuple[str, ...]) -> tuple[int, int] | None:
    found = [span for term in terms for span in index.positions(term)]
    return min(found) if found else None


def _text_of(text: str, tokens, lo: int, hi: int) -> str:
    return text[tokens[lo].start:tokens[hi].end]


def count_markers(
    ruleset: RuleSet,
    head_tokens,
    token_lists,
    index: "_DocumentIndex",
    vocabulary: "_Vocabulary",
    unit_words: list,
    units: list[Unit] | None = None,
    document: Document | None = None,
) -> tuple[dict[str, int], dict[str, list[MarkerHit]]]:
    """Document-level markers from rules/markers.yaml: counts of units matching each marker
    and where they were found (``in``: title, aanhef, basis = the "gelet op" part of the
    aanhef, articles, head = title and aanhef, all). Quoted text an amendment replaces never
    counts; ``skip_articles`` names article titles whose text does not count (e.g. afstemming
    articles that name other laws)."""
    counts: dict[str, int] = {}
    hits: dict[str, list[MarkerHit]] = {}
    head_texts = ([document.title] + list(document.aanhef)) if document is not None else []
    head_indexes = [_UnitIndex(tokens) for tokens in head_tokens]
    basis: list[tuple[_UnitIndex, str, tuple]] = []
    for p, tokens in enumerate(head_tokens[1:], start=1):
        for lo, hi in basis_spans(tokens):
            piece = tokens[lo:hi]
            text = head_texts[p] if p < len(head_texts) else ""
            basis.append((_UnitIndex(piece), text, piece))
    skip_cache: dict[tuple, set[str]] = {}
    for name, spec in (ruleset.markers or {}).items():
        terms = tuple(spec.get("terms", []))
        if not terms:
            continue
        where = spec.get("in", "all")
        total = 0
        found: list[MarkerHit] = []
        if where in ("all", "head", "title", "aanhef"):
            places = list(enumerate(head_indexes))
            if where == "title":
                places = places[:1]
            elif where == "aanhef":
                places = places[1:]
            for p, head in places:
                span = _first_span(head, terms)
                if span is not None:
                    total += 1
                    text = head_texts[p] if p < len(head_texts) else ""
                    found.append(MarkerHit("titel" if p == 0 else "aanhef", text, _text_of(text, head.tokens, *span) if text else ""))
        if where == "basis":
            for head, text, piece in basis:
                span = _first_span(head, terms)
                if span is not None:
                    total += 1
                    passage = text[piece[0].start:piece[-1].end] if text else ""
                    found.append(MarkerHit("grondslag", passage, _text_of(text, piece, *span) if text else ""))
        if where in ("all", "articles"):
            skip_terms = tuple(spec.get("skip_articles", []))
            skipped = _skipped_articles(units, skip_terms, skip_cache) if skip_terms and units else set()
            for i in _bits(index.group(terms)):
                unit = units[i] if units is not None else None
                if unit is not None and (unit.role == OLD or unit.article.number in skipped):
                    continue
                unit_index = _UnitIndex(token_lists[i], vocabulary, unit_words[i])
                span = _first_span(unit_index, terms)
                if span is not None:
                    total += 1
                    if unit is not None:
                        found.append(MarkerHit("artikel", unit.quote, _text_of(unit.text, token_lists[i], *span),
                                               unit.article.number, unit.lid.number))
        counts[name] = total
        hits[name] = found
    return counts, hits


def _skipped_articles(units: list[Unit], terms: tuple[str, ...], cache: dict) -> set[str]:
    """Numbers of the articles whose title contains one of ``terms``."""
    if terms not in cache:
        titles = {u.article.number: u.article.title for u in units if u.article.title}
        numbers = list(titles)
        tokenized = tokenize([titles[n] for n in numbers]) if numbers else []
        cache[terms] = {n for n, tokens in zip(numbers, tokenized) if _UnitIndex(tokens).has_any(terms)}
    return cache[terms]


def matches_terms(text: str, terms) -> str | None:
    """The words of ``text`` that match one of ``terms`` (term syntax of docs/rules.md), or None."""
    tokens = tokenize([text])[0]
    span = _first_span(_UnitIndex(tokens), tuple(terms))
    return _text_of(text, tokens, *span) if span is not None else None


def match_sentence(text: str, rule: Rule) -> tuple[bool, bool]:
    """(matched, negated) for one example sentence (used by ``rules test``)."""
    tokens = tokenize([text])[0]
    found = _match_rule(_UnitIndex(tokens), rule)
    if found is None:
        return False, False
    return True, found[1]
