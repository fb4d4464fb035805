"""Turn a sequence of text lines into a structured :class:`Document`.

Used by every line-oriented reader (PDF, DOCX, Markdown, plain text, generic HTML). The
recogniser works on the *structure* of Dutch regulation text, not on any sample's wording:

* headings: ``Hoofdstuk 2``/``HOOFDSTUK II``/``Afdeling 1``, ``§ 3``/``Paragraaf 3.1``,
  ``Artikel 3``/``Art. 3``/``Artikel 2.3``/``Artikel 2:3``/``Artikel 12a``/``Artikel IV``, with
  the title on the same line (after a space, ``.``, ``:`` or a dash) or on the next line;
* leden: ``1.``/``1``/``lid 1`` in sequence; list items ``a.``/``a)``/``1°``/``i.``/bullets,
  nested, kept with their lid;
* the slot (``Aldus vastgesteld ...``), bijlagen, and the toelichting, which never ends up
  inside an article;
* physical lines of one block are joined, and words hyphenated at a line end are rejoined.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..model import Article, Division, Document, Lid, ListItem, Section, SourceLocation
from .base import Line
from .frontmatter import (
    AANHEF_START,
    MONTHS,
    TITLE_WORDS,
    FrontMatter,
    add_dropped,
    choose_title,
    citeertitel_in_brackets,
    clean_title,
    find_gemeente,
    readable_title,
    strip_chrome,
)

# "19b", and "19 b" as some pages print it (one lower-case letter after a space, not the
# start of a word: "Artikel 5 en 6" stays article 5); _heading_tuple removes the space
NUMBER = r"(?:[0-9]+(?:[.:][0-9]+)*(?:[a-zA-Z]|\s[a-z](?![\w'’]))?|[IVXLC]+)"
SEP = r"(?:\s*[.:]\s*|\s+[-–—]\s+|\s+)"

_ARTICLE = re.compile(rf"^(?:Artikel|ARTIKEL|Art\.|ART\.)\s*({NUMBER})\b\.?(?:{SEP}(.*))?$")
_CHAPTER = re.compile(
    rf"^(Hoofdstuk|HOOFDSTUK|Afdeling|AFDELING|Titel|TITEL|Deel|DEEL)\s+({NUMBER})\b\.?(?:{SEP}(.*))?$"
)
_PARAGRAAF = re.compile(rf"^(?:§|Paragraaf|PARAGRAAF|Par\.)\s*({NUMBER})\b\.?(?:{SEP}(.*))?$")
# "1. Het", "1 Het", "1.Het" (the number glued to the text, as gemeenteblad pages have it), and
# a number alone ("1." above a list)
_LID = re.compile(r"^(?:lid\s+)?([0-9]{1,2})(?:\.\s+|\.(?=[A-Z„\"‘])|\s+(?=[A-Z(„\"'‘])|\.$)(.*)$", re.S)
# an inserted lid: "3a. Heeft de inwoner ..." (accepted only right after lid 3: _inserted_lid)
_LETTERED_LID = re.compile(r"^([0-9]{1,2}[a-z])\.\s+(?=[A-Z(„\"‘])(.*)$", re.S)
# a headed lid: "Lid 5. Aanmelding" (a definition whose text starts with the term again)
_HEADED_LID = re.compile(r"^(?:Lid|LID|lid)\s+([0-9]{1,2})\.?\s+(.+)$", re.S)
_ITEM = re.compile(
    r"^(?:(?P<letter>[a-z]{1,2})[.)]|(?P<upper>[A-Z])(?:[.)]|(?=\s+[A-Z„\"‘]))|(?P<grade>[0-9]{1,2}°)|(?P<roman>(?:i{1,3}|iv|vi{0,3}|ix|x))[.)]"
    r"|(?P<num>[0-9]{1,2})[.)]|(?P<bullet>[•\-–—·▪●○◦*]))\s+(?P<text>.*)$",
    re.S,
)
_TOELICHTING = re.compile(
    r"^(?:(?:algemene|artikelsgewijze|artikelgewijze|nota\s+van)\s+)?toelichting\b", re.I
)
_SLOT = re.compile(
    r"^(?:(?:aldus|zo|als\s+zodanig)\s+)?(?:vastgesteld|besloten|gedaan)\b.*"
    rf"(?:vergadering|zitting|d\.d\.|datum|\bop\s+\d|\b\d{{1,2}}\s+{MONTHS}\s+\d{{4}}|\b\d{{1,2}}-\d{{1,2}}-\d{{4}})",
    re.I,
)
# The ondertekening without a closing formula: a heading "Ondertekening", or signature lines
# ("De griffier,", "de griffier, de voorzitter,", "De secretaris, De burgemeester,").
_SIGNATORY = r"(?:de\s+)?(?:griffier|voorzitter|secretaris|gemeentesecretaris|burgemeester|loco-?burgemeester|raadsgriffier)"
_SIGNATURE = re.compile(rf"^(?:ondertekening|{_SIGNATORY}\s*,?(?:\s+{_SIGNATORY}\s*,?)*)$", re.I)
_BIJLAGE = re.compile(r"^(?:Bijlage|BIJLAGE)\b(?:\s+[0-9IVX]+[a-z]?)?\b", re.S)
_VERVALLEN = re.compile(r"^[\[(]?\s*(?:vervallen|vervalt)\s*[\])]?\.?$", re.I)
_WS = re.compile(r"\s+")
_VOWEL_PAIRS = {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "oe", "oi", "oo", "ou", "ui", "uu", "ij"}
_NO_JOIN_NEXT = {"en", "of", "tot", "dan", "noch", "als", "and"}
# closed-class words that end in one of _NO_JOIN_NEXT and are hyphenated at a line end
_JOINED_FUNCTION_WORDS = {"zoals", "alsmede", "alsook", "alsnog", "alsdan", "zodanig", "totdat", "wanneer"}


# Invisible format characters (bidi marks, embeddings and isolates, zero-width characters,
# word joiner, BOM, soft hyphen): text pasted from web pages and Word carries them, and one
# before "Artikel 1" hid the heading (no articles found). A soft hyphen at the end of a line
# is kept: join_lines reads it as a word broken across lines.
_INVISIBLE = re.compile(
    "[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
    "|\u00ad(?!\\s*$)"
)


def _visible(line: Line) -> Line:
    """The line without invisible format characters (a new Line only when something changed)."""
    if _INVISIBLE.search(line.text) is None:
        return line
    return replace(line, text=_INVISIBLE.sub("", line.text))


def normalize_ws(text: str) -> str:
    return _WS.sub(" ", text.replace("\u00ad", "")).strip()


_ONSETS = {"", "bl", "br", "ch", "chr", "dr", "dw", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "kw", "pl", "pr",
           "sch", "schr", "sj", "sl", "sm", "sn", "sp", "spl", "spr", "st", "str", "sw", "th", "tr", "tw", "vl",
           "vr", "wr", "zw"}
_CODAS = {"", "ch", "cht", "ft", "gt", "kt", "ld", "lf", "lg", "lk", "lm", "lp", "ls", "lt", "mp", "ms", "mt", "nd",
          "ng", "nk", "ns", "nt", "pt", "rd", "rf", "rg", "rk", "rm", "rn", "rp", "rs", "rt", "sk", "sp", "st", "ts",
          "ds", "ks", "ps", "ngs", "nst", "rst", "lst"}
_WORD_RE = re.compile(r"[^\W\d_][\w\-]*")


def _pronounceable(fragment: str) -> bool:
    """Could this be the first syllable(s) of a hyphenated word (not an acronym like "Wmo" or "Awb")?"""
    f = fragment.lower()
    m = re.fullmatch(r"([^aeiouy]*)(?:[aeiouyéëèïöü]+[^aeiouy]*)*?[aeiouyéëèïöü]+([^aeiouy]*)", f)
    if not m:
        return False
    onset, coda = m.group(1), m.group(2)
    return (len(onset) <= 1 or onset in _ONSETS) and (len(coda) <= 1 or coda in _CODAS)


def join_lines(previous: str, nxt: str, vocabulary: set[str] | None = None) -> str:
    """Join two physical lines of one block, rejoining a word hyphenated at the line end.

    ``vocabulary`` (lower-case words of the whole document) settles doubtful cases: a word
    that occurs elsewhere unbroken ("besluit") is joined, one that occurs with its hyphen
    ("wmo-raad") keeps it.
    """
    previous = previous.rstrip()
    nxt = nxt.lstrip()
    if not previous:
        return nxt
    if not nxt:
        return previous
    if previous.endswith("\u00ad"):  # soft hyphen: always a break inside a word
        return previous[:-1] + nxt
    if len(previous) >= 2 and previous[-1] in "-\u2010" and previous[-2].isalpha():
        first_word = re.match(r"[^\s,;:.]+", nxt)
        word = first_word.group(0) if first_word else ""
        # the word part before the hyphen, as re.search(r"(\w+)[-\u2010]$") finds it, but
        # looking only at the end of the text (the text so far can be long)
        start = len(previous) - 1
        while start > 0 and (previous[start - 1].isalnum() or previous[start - 1] == "_"):
            start -= 1
        fragment = previous[start:-1]
        if word and word[0].islower():
            if vocabulary:
                if (fragment + word).lower() in vocabulary:
                    return previous[:-1] + nxt
                if f"{fragment}-{word}".lower() in vocabulary:
                    return previous[:-1] + "-" + nxt
            if word.lower() in _NO_JOIN_NEXT and (fragment + word).lower() not in _JOINED_FUNCTION_WORDS:
                return previous + " " + nxt  # "woon- en leefomgeving"
            before = previous[-2]
            if before.isupper() or (fragment[:1].isupper() and not _pronounceable(fragment)):
                return previous[:-1] + "-" + nxt  # "Wmo-" + "raad", "AOW-" + "leeftijd" keep their hyphen
            if (before.lower() + word[0]) in _VOWEL_PAIRS:
                return previous[:-1] + "-" + nxt  # "zee-egel": the hyphen is part of the word
            return previous[:-1] + nxt
        if word and word[0].isupper():
            return previous + nxt  # "Noord-" + "Brabant"
    return previous + " " + nxt


@dataclass
class _Block:
    text: str
    location: SourceLocation
    heading: str | None = None
    bold: bool = False
    label: str | None = None
    line_count: int = 1


_MARKER_START = re.compile(
    r"^(?:[0-9]{1,2}[a-z]?\.\s|[0-9]{1,2}\.(?=[A-Z„\"‘][a-z])|lid\s+[0-9]{1,2}\b|Lid\s+[0-9]{1,2}\.?\s+[A-Z]|[a-z]{1,2}[.)]\s|[A-Z][.)]?\s+(?=[A-Z„\"‘])|[0-9]{1,2}°\s|(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]\s|[•·▪●○◦]\s)"
)
_REFERENCE_END = re.compile(r"\b(?:artikel|artikelen|lid|leden|onder|onderdeel|sub|hoofdstuk|paragraaf|§)$", re.I)


def _ends_with_hyphenated_letter(text: str) -> bool:
    r"""``re.search(r"[^\W\d_][-\u2010]$", text.rstrip())``, looking only at the end."""
    text = text.rstrip()
    return len(text) >= 2 and text[-1] in "-\u2010" and text[-2].isalnum() and not text[-2].isdecimal()


def _reference_end(text: str) -> bool:
    """``_REFERENCE_END.search(text)``: the words are at most 9 letters and end the text, so
    only its end is searched (\\b still sees the character before)."""
    return _REFERENCE_END.search(text, max(0, len(text) - 16)) is not None


def _is_structural_start(line: Line, previous: Line | None = None) -> bool:
    text = line.text.strip()
    if line.heading or line.label or _is_heading_text(text):
        return True
    if previous is not None and _ends_with_hyphenated_letter(previous.text):
        return False  # "werkwij-" + "ze. Het college": the rest of a hyphenated word
    if (previous is None or previous.text.rstrip().endswith((".", ";", ":", "]", ")"))) and (
        _SLOT.match(text) or _SIGNATURE.match(text)
    ):
        return True  # a printed page sets the ondertekening right under the last lid
    if _MARKER_START.match(text):
        if previous is None:
            return True
        before = previous.text.strip()
        if text[2:3] in ".)" and text[:2].isalpha() and text[:2].islower() and not before.endswith((".", ":", ";")):
            return False  # "... even doeltreffend" + "is. Het tarief ...": a word, not label "is."
        # "... bedoeld in artikel" + "3. Het college": a wrapped reference, not a new lid
        return not _reference_end(before)
    if text[:2] in ("- ", "– ") and previous is not None and previous.text.rstrip().endswith((":", ";")):
        return True  # "... verstaan onder:" + "- belanghebbende: ...": a dash item
    return False


def merge_blocks(lines: list[Line]) -> list[_Block]:
    """Join physical lines into blocks (paragraphs)."""
    blocks: list[_Block] = []
    parts: list[str] = []  # the text of the last block, in pieces
    last_line: Line | None = None
    lines = [_visible(line) for line in lines]
    # one pass over the whole text (a findall per line cost 4 ms per 1,000 lines)
    all_text = "\n".join(line.text for line in lines).lower()
    all_words = _WORD_RE.findall(all_text)
    vocabulary = {w for w in set(all_words) if not w.endswith("-")}
    title_block: _Block | None = None  # a one-line block right after a heading without title
    previous_bare = False  # the last block is a heading without a title ("Artikel 4.3")
    after_lone = False  # the last line is a label on a line of its own
    for line in lines:
        text = line.text.replace("\u00a0", " ").replace("\t", " ").strip()
        if not text and not line.label:
            last_line = None  # an empty line ends the block
            continue
        start_new = (
            line.block_start
            or last_line is None
            or not blocks
            or _is_structural_start(line, last_line)
            or (last_line is not None and (last_line.heading or last_line.label) and line.bold != last_line.bold)
        )
        if not start_new and last_line is not None and _is_heading_text(last_line.text) and not (
            last_line.bold and line.bold
        ) and not last_line.text.rstrip().endswith(("-", "\u2010")):
            start_new = True  # a heading line ends its block unless the title wraps in the same style
        lone = (
            len(text) <= 4
            and _LONE_LABEL.match(text) is not None
            and (last_line is None or last_line.text.rstrip().endswith((".", ":", ";")))
        )  # "A" on a line of its own after a sentence, above an onderdeel (see _join_lone_labels)
        if not start_new and (lone or after_lone):
            start_new = True
        after_lone = lone
        if (
            not start_new
            and title_block is not None
            and blocks[-1] is title_block
            and title_block.line_count == 1
            and _title_line(parts[-1])
            and (text[:1].isupper() or _MARKER_START.match(text))
        ):
            # "Artikel 4.3" / "Aanvraag" / "In deze verordening ...": the title on the line after
            # the heading, then the text; without a blank line between them
            start_new = True
        if start_new:
            if blocks:
                blocks[-1].text = "".join(parts)
            blocks.append(_Block(text, line.location, line.heading, line.bold, line.label))
            parts = [text]
            title_block = blocks[-1] if previous_bare else None
            previous_bare = _is_bare_heading(text)
        else:
            # join_lines looks only at the end of the text so far: join onto the last piece
            # (re-joining the whole block for every line was quadratic: 160,000 lines, 60 s)
            joined = join_lines(parts[-1], text, vocabulary)
            if len(joined) > 4096:
                parts[-1:] = [joined[:-1024], joined[-1024:]]
            else:
                parts[-1] = joined
            blocks[-1].line_count += 1
        last_line = line
    if blocks:
        blocks[-1].text = "".join(parts)
    splits = _SplitWords(all_text, all_words, vocabulary)
    for block in blocks:
        block.text = splits.join(normalize_ws(block.text))  # also drops a soft hyphen no line followed
    return blocks


# "a lgemeen": a word split after its first letter (a styled first letter on a web page). The
# pattern starts with a literal space (searched for with the text prefixed by one): about seven
# times faster than a look-behind, and it runs over every block.
_SPLIT_WORD = re.compile(r" ([A-Za-z]) ([a-zà-öø-ÿ]{2,})\b")


def _possible_onset(fragment: str) -> bool:
    """Can a Dutch word start like this? ("lgemeen", "ndersteuning" cannot)"""
    i = 0
    while i < len(fragment) and fragment[i] not in "aeiouyéëèïöü":
        i += 1
    return i <= 1 or fragment[:i] in _ONSETS


_PREFIX = 5  # letters of a word that another word of the document must start with


class _SplitWords:
    """Rejoins words split after their first letter ("a lgemeen" -> "algemeen").

    A split is rejoined when the rest cannot start a Dutch word, or when the whole word occurs
    unbroken elsewhere in the document (or another word starts like it) while the rest never
    stands on its own ("o nderzoek" with "onderzoek" elsewhere; "u kunt" stays). Which splits
    to rejoin is decided once for the whole text (lower case); blocks are only rewritten when
    there is one.
    """

    def __init__(self, text: str, words: list[str], vocabulary: set[str]):
        splits = _SPLIT_WORD.findall(" " + text.replace("\n", " "))
        self._pairs: set[tuple[str, str]] = set()
        if not splits:
            return
        standalone: Counter | None = None
        prefixes: set[str] | None = None
        for letter, rest in set(splits):
            joined = letter + rest
            if not _possible_onset(rest) and _pronounceable(joined):
                self._pairs.add((letter, rest))
                continue
            if joined not in vocabulary:
                if prefixes is None:
                    prefixes = {w[:_PREFIX] for w in vocabulary if len(w) >= _PREFIX}
                if joined[:_PREFIX] not in prefixes:
                    continue
            if standalone is None:
                standalone = Counter(words)
                standalone.subtract(r for _, r in splits)  # the splits themselves do not count
            if standalone.get(rest, 0) <= 0:
                self._pairs.add((letter, rest))  # "c liëntondersteuning" beside "cliënt" elsewhere

    def join(self, text: str) -> str:
        if not self._pairs or " " not in text:
            return text
        return _SPLIT_WORD.sub(self._fix, " " + text)[1:]

    def _fix(self, m: re.Match) -> str:
        letter, rest = m.group(1), m.group(2)
        if (letter.lower(), rest) in self._pairs:
            return " " + letter + rest
        return m.group(0)


_TITLE_END_WORDS = frozenset(
    "de het een van in op voor met te aan bij en of om door over tot uit als dat die naar onder "
    "tegen per der des is zijn wordt worden kan".split()
)


_HEADING_INITIALS = frozenset("AHTDP§")  # the first letters of _ARTICLE, _CHAPTER and _PARAGRAAF


def _is_bare_heading(text: str) -> bool:
    """"Artikel 4.3", "Hoofdstuk 2", "§ 1": a heading whose title (if any) follows on the next line."""
    if text[:1] not in _HEADING_INITIALS:
        return False
    for rx in (_ARTICLE, _CHAPTER, _PARAGRAAF):
        m = rx.match(text)
        if m:
            return not (m.groups()[-1] or "").strip(" .:-–—")
    return False


def _title_line(text: str) -> bool:
    """A whole heading title on one line: short, no closing punctuation, not ending in a word
    that needs a continuation ("... van de" goes on on the next line)."""
    words = text.split()
    return (
        0 < len(words) <= 10
        and _looks_like_title(text)
        and not text.endswith((".", ";", ",", ":", "-", "\u2010"))
        and words[-1].lower() not in _TITLE_END_WORDS
        and not _MARKER_START.match(text)
    )


def _is_heading_text(text: str) -> bool:
    """A heading line: "Artikel 3", "Artikel 3 Aanvraag" (not "Artikel 3 van de wet bepaalt ...")."""
    text = text.strip()
    for rx in (_ARTICLE, _CHAPTER, _PARAGRAAF):
        m = rx.match(text)
        if m:
            title = (m.groups()[-1] or "").strip().strip("-–—").strip()
            return not title or _looks_like_title(title) or bool(_VERVALLEN.match(title))
    return False


def _looks_like_title(text: str) -> bool:
    """A heading title: short, starts upper-case (or a bracket), no sentence punctuation at the end."""
    if not text:
        return False
    words = text.split()
    if len(words) > 16:
        return False
    if text[0].islower():
        return False
    if text.endswith((";", ",", ":")):
        return False
    if text.endswith(".") and len(words) > 6:
        return False
    return True


def _match_heading(block: _Block):
    """Return (kind, number, title) for a heading block, or None."""
    text = block.text
    label = (block.label or "").strip()
    if label and _LONE_LABEL.match(label):
        return None  # a labelled list item or onderdeel, whatever its text says
    if label:
        combined = f"{label} {text}".strip()
        for kind, rx in (("artikel", _ARTICLE), ("hoofdstuk", _CHAPTER), ("paragraaf", _PARAGRAAF)):
            m = rx.match(label)
            if m:
                m2 = rx.match(combined)
                if m2:
                    return _heading_tuple(kind, m2)
        # a list item ("E  Artikel 7 vervalt."): its text is the item's content, as it is when
        # the label and the text come on one line
        return None
    for kind, rx in (("artikel", _ARTICLE), ("hoofdstuk", _CHAPTER), ("paragraaf", _PARAGRAAF)):
        m = rx.match(text)
        if m:
            result = _heading_tuple(kind, m)
            if result is None:
                continue
            _, _, title = result
            if title and not (_looks_like_title(title) or _VERVALLEN.match(title)):
                continue  # "Artikel 4 van de wet ..." is a sentence, not a heading
            return result
    return None


def _heading_tuple(kind: str, m: re.Match):
    if kind == "hoofdstuk":
        word, number, title = m.group(1), m.group(2), m.group(3) or ""
        kind = {"afdeling": "afdeling", "titel": "titel", "deel": "deel"}.get(word.lower(), "hoofdstuk")
    else:
        number, title = m.group(1), m.group(2) or ""
    title = title.strip().strip("-–—").strip()
    if title.endswith(".") and not title.endswith("..") and len(title.split()) <= 6:
        title = title[:-1].rstrip()
    return kind, "".join(number.split()).rstrip(".:"), title


# "Inhoudsopgave", also with the text of the page's show/hide button ("Inhoudsopgave verberg")
_TOC_HEADING = re.compile(
    r"^(?:inhoudsopgave|inhoud|inhoudsoverzicht)(?:\s+(?:verberg|verbergen|toon|tonen|weergeven|open|sluiten|inklappen|uitklappen))?$",
    re.I,
)


def _toc_member(block: _Block) -> str | None:
    """'heading' for an article/chapter heading, 'title' for a short line that may be a heading title."""
    text = block.text
    if _is_heading_text(text) and _match_heading(block) is not None:
        return "heading"
    if _TOELICHTING.match(text) and len(text.split()) <= 4:
        return "heading"
    if len(text.split()) <= 10 and _looks_like_title(text) and not text.endswith(".") and not _VERVALLEN.match(text):
        return "title"
    return None


def _drop_table_of_contents(blocks: list[_Block]) -> list[_Block]:
    """Remove a table of contents: a run of headings (each maybe with a title line) without body text.

    Printed web pages and Word documents list every article heading before the text; kept,
    those would become empty duplicate articles (and a "Toelichting" entry would end the
    regulation early). A run starts at a heading; a short title line may follow each heading.
    """
    keep = [True] * len(blocks)
    kinds: dict[int, str | None] = {}  # _toc_member per block: a block is looked at up to twice
    headed_cache: dict = {}  # for _headed_again

    def member(index: int) -> str | None:
        if index not in kinds:
            kinds[index] = _toc_member(blocks[index])
        return kinds[index]

    i = 0
    while i < len(blocks):
        if blocks[i].heading == "title" or member(i) != "heading":
            i += 1
            continue
        j = i
        articles = 0
        numbers: list[str] = []
        previous = None
        ends_in_toelichting = False
        while j < len(blocks) and blocks[j].heading != "title":
            kind = member(j)
            if kind is None or (kind == "title" and previous != "heading"):
                break
            if kind == "heading" and _TOELICHTING.match(blocks[j].text):
                ends_in_toelichting = True  # the last entry of a contents list
                j += 1
                break
            if kind == "heading" and _ARTICLE.match(blocks[j].text):
                heading = _match_heading(blocks[j])
                if heading and not _VERVALLEN.match(heading[2] or "x"):
                    articles += 1
                    numbers.append(heading[1])
            previous = kind
            j += 1
        announced = i > 0 and _TOC_HEADING.match(blocks[i - 1].text)  # "Inhoudsopgave" right before the run
        # a "Toelichting" heading straight after article headings without any text: a contents list
        if (
            articles >= 3 or (announced and articles >= 1) or (articles >= 2 and ends_in_toelichting)
            or (articles == 2 and _headed_again(blocks, j, numbers, headed_cache))
        ):
            start = i - 1 if announced else i
            for k in range(start, j):
                keep[k] = False
        i = max(j, i + 1)
    if all(keep):
        return blocks
    return [b for b, k in zip(blocks, keep) if k]


def _headed_again(blocks: list[_Block], start: int, numbers: list[str], cache: dict) -> bool:
    """Do these article numbers head articles with text further on (a short table of contents,
    "Artikel I" / "Artikel II" of an amendment, listed before the text)?

    The last place where each number heads an article with text is found in one pass over the
    blocks, the first time a run asks (``cache``), so many short runs stay linear.
    """
    if "last" not in cache:
        last: dict[str, int] = {}
        for index in range(len(blocks) - 1):
            block = blocks[index]
            if block.text[:1] in _HEADING_INITIALS and _ARTICLE.match(block.text):
                heading = _match_heading(block)
                if heading and _toc_member(blocks[index + 1]) is None:
                    last[heading[1]] = index
        cache["last"] = last
    last = cache["last"]
    return all(last.get(number, -1) >= start for number in numbers)


@dataclass
class _State:
    doc: Document
    mode: str = "front"  # front | body | slot | toelichting
    chapter: str | None = None
    paragraaf: str | None = None
    article: Article | None = None
    lid: Lid | None = None
    item_stack: list[tuple[str, ListItem]] = field(default_factory=list)  # (style, item)
    awaiting_title: Division | Article | None = None
    seen_numbers: set = field(default_factory=set)
    headed_lid: Lid | None = None  # a lid just opened by "Lid 5. Aanmelding" (see _lid_marker)
    quoting: bool = False  # inside text quoted by an amending article (see _quoted_heading)
    # text appended to a lid or list item, joined when the article closes (see _append_text)
    pending: dict[int, tuple[Lid | ListItem, list[str]]] = field(default_factory=dict)


_LONE_LABEL = re.compile(r"^(?:[A-Z]|[A-Z][.)]|[a-z]{1,2}[.)]|[0-9]{1,2}[.)]|[0-9]{1,2}°)$")
_LONE_UPPER = re.compile(r"^[A-Z]$")
_UPPER_ITEM = re.compile(r"^(?P<upper>[A-Z])\s+(?P<text>.*)$", re.S)


def _join_lone_labels(blocks: list[_Block]) -> list[_Block]:
    """A label on a line of its own ("A" above an onderdeel of an amending article, "1."
    above a lid) labels the paragraph that follows it."""
    out: list[_Block] = []
    pending: _Block | None = None
    in_body = False  # only between the first heading and the toelichting
    for block in blocks:
        if not in_body:
            in_body = block.heading in ("artikel", "hoofdstuk", "paragraaf") or _match_heading(block) is not None
            out.append(block)
            continue
        if block.heading == "toelichting" or _TOELICHTING.match(block.text):
            in_body = False
        if pending is not None:
            # an onderdeel letter labels even a line that reads like a heading ("B" + "Artikel 7 vervalt.")
            if block.label is None and block.heading is None and (
                _LONE_UPPER.match(pending.text) or _match_heading(block) is None
            ):
                block = replace(block, label=pending.text, location=pending.location)
            else:
                out.append(pending)
            pending = None
        if block.label is None and block.heading is None and len(block.text) <= 4 and _LONE_LABEL.match(block.text):
            pending = block
            continue
        out.append(block)
    if pending is not None:
        out.append(pending)
    return out


def _item_style(m: re.Match) -> str:
    groups = m.groupdict()
    for style in ("letter", "upper", "grade", "roman", "num", "bullet"):
        if groups.get(style):
            return style
    return "bullet"


def _item_label(m: re.Match) -> str:
    raw = m.group(0)[: m.start("text")].strip()
    return raw


# -- text flattened onto one line --------------------------------------------------------
# A PDF transcription or a copied page can hold a whole regulation on one line: "... 2011
# HOOFDSTUK 1 ALGEMENE BEPALINGEN Artikel 1.1 Begripsbepalingen In deze verordening wordt
# verstaan onder: a. wet: ...; b. college: ...". Such a line is cut before headings, leden
# and list items whose numbers follow each other.

_FLAT_MIN = 300  # a line this long may be flattened text
_FLAT_KEYWORDS = "Artikel|ARTIKEL|artikel|Hoofdstuk|HOOFDSTUK|hoofdstuk|Paragraaf|PARAGRAAF|paragraaf"
_FLAT_HEADING = re.compile(rf"(?<=\s)(?P<kw>{_FLAT_KEYWORDS})\s+(?P<nr>{NUMBER})\b\.?\s+(?=[A-Z(])")
# a transcribed page that opens with a heading ("2 HOOFDSTUK 1. ALGEMEEN artikel 1. Begrippen ..."):
# cut like a long line, however short the page is (the last page of a stored beginning)
_PAGE_HEADED = re.compile(rf"^[0-9]{{1,3}}\s+(?:{_FLAT_KEYWORDS})\s")
_PAGE_NUMBER_ONLY = re.compile(r"^[0-9]{1,3}$")
_FLAT_LID = re.compile(r"(?<=[.:;]\s)(?P<nr>[0-9]{1,2})\.\s+(?=[A-Z(„\"‘])")
_FLAT_ITEM = re.compile(r"(?<=[.:;]\s)(?:(?P<letter>[a-z])[.)]|(?P<dash>[-–]))\s+(?=\S)")
# words that start the text of an article after its title ("Begripsbepalingen In deze ...")
_TEXT_STARTERS = frozenset(
    "De Het Een In Op Voor Bij Als Indien Wanneer Onder Deze Dit Dat Degene Iedere Ieder Elke Elk "
    "Er Zij Hij Aan Met Tot Na Om Van Door Uit Ter Zo Binnen Tenzij Onverminderd Niet Geen Alle "
    "Burgemeester Gedeputeerde Ten Zolang Zodra Voordat Nadat Wie Wat Teneinde".split()
)
_FIRST_NUMBERS = frozenset({"1", "1.1", "1:1", "I"})
_TOC_ENTRY_END = re.compile(r"(?:\.{2,}|…|\s)\s*[0-9]{1,3}\s*$")
_FLAT_LABEL = re.compile(r"^(?:[0-9]{1,2}|[a-z])[.)]$|^[-–]$")


def _unflatten(lines: list[Line], toc: list[Line] | None = None) -> list[Line]:
    """Cut flattened lines; a flattened table of contents (three or more entries ending in a
    page number) is cut out and put in ``toc`` (the caller reports it)."""
    if not any(len(line.text) > _FLAT_MIN for line in lines):
        return lines
    out: list[Line] = []
    last: dict[str, str | None] = {"artikel": None, "hoofdstuk": None, "paragraaf": None}
    lower_toc: set[str] = set()  # kinds the document's own table of contents writes in lower case
    for line in lines:
        if (len(line.text) <= _FLAT_MIN and not _PAGE_HEADED.match(line.text)) or line.heading or line.label:
            out.append(line)
            continue
        cuts = []  # (start, heading end, kind)
        entries: list[tuple[int, int]] = []  # table-of-contents entries (start, end) in a row
        matches = list(_FLAT_HEADING.finditer(line.text))
        for i, m in enumerate(matches):
            kind = m.group("kw").lower()  # "artikel", "hoofdstuk" or "paragraaf"
            lower = m.group("kw").islower()
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line.text)
            following = line.text[m.end(): end]
            if i + 1 < len(matches) and len(following) < 160 and _TOC_ENTRY_END.search(following):
                # "Artikel 4. Aanmelding ... 6" before the next entry: a table of contents (at the
                # end of a line the number can be a page footer: "... studietoeslag Gemeenteblad nr. 23 1")
                if lower:
                    lower_toc.add(kind)
                if not cuts and (not entries or entries[-1][1] == m.start()):
                    entries.append((m.start(), end))
                continue
            if lower and not _lower_heading(line.text, m, kind, cuts, lower_toc):
                continue  # "als bedoeld in artikel 1. De aanvraag ...": a reference
            number = "".join(m.group("nr").split()).rstrip(".:")
            previous = last[kind]
            if number in _FIRST_NUMBERS or (previous is not None and _successor_number(previous, number)):
                last[kind] = number
                cuts.append((m.start(), m.end(), kind))
        text = line.text
        if toc is not None and len(entries) >= 3:
            start, end = entries[0][0], entries[-1][1]
            rest_end = cuts[0][0] if cuts else len(text)
            rest = text[end:rest_end]
            if len(rest) < 200 and _TOC_ENTRY_END.search(rest):
                end = rest_end  # the last entries ("... Citeertitel 16 TOELICHTING 17")
            toc.append(replace(line, text=text[start:end].strip()))
            text = text[:start] + text[end:]
            cuts = [(a - (end - start), b - (end - start), k) for a, b, k in cuts]
            line = replace(line, text=text)
        if not cuts:
            if text.strip():
                out.append(line)
            continue
        pieces = [(0, cuts[0][0], False)] + [
            (start, cuts[i + 1][0] if i + 1 < len(cuts) else len(text), True) for i, (start, _, _) in enumerate(cuts)
        ]
        page = ""  # a page number alone before the first heading stays in front of it (strip_chrome drops it)
        for start, end, is_heading in pieces:
            piece = text[start:end].strip()
            if not piece:
                continue
            if not is_heading:
                if start == 0 and _PAGE_NUMBER_ONLY.match(piece):
                    page = piece + " "
                else:
                    out.append(replace(line, text=piece))
                continue
            heading, body = _split_flat_heading(piece)
            heading = heading[:1].upper() + heading[1:]  # "artikel 1. Begrippen" -> "Artikel 1. Begrippen"
            out.append(replace(line, text=page + heading, block_start=True if not page else line.block_start))
            page = ""
            for part in _split_flat_body(body):
                out.append(replace(line, text=part, block_start=True))
    return out


def _lower_heading(text: str, m: re.Match, kind: str, cuts: list, lower_toc: set[str]) -> bool:
    """Is a lower-case "artikel 1. Begrippen" in flattened text a heading?

    Only where the document writes its headings that way: straight after a chapter or
    paragraaf heading and its title ("HOOFDSTUK 1. BEGRIPPEN artikel 1. Begrippen"), or, when
    its own table of contents lists lower-case headings, at the start of a page or after the
    end of a sentence ("... wordt verstaan onder: ...; artikel 2. Melding ..."). A reference
    ("als bedoeld in artikel 1. De aanvraag", "artikel 4 van de wet") does neither; nor is a
    heading followed by the words that start a sentence ("artikel 1. De aanvraag ...").
    """
    first_word = text[m.end():m.end() + 40].split(" ", 1)[0]
    if first_word in _TEXT_STARTERS or _FLAT_LABEL.match(first_word):
        return False
    # (only a few characters before the match are looked at: a line can hold thousands of matches)
    if kind == "artikel" and cuts and cuts[-1][2] != "artikel":
        start, head_end, _ = cuts[-1]
        if m.start() - head_end < 200 and text[head_end:m.start()].strip() and not _split_flat_heading(
            text[start:m.start()].strip()
        )[1]:
            return True  # the chapter heading's title, then this heading
    if kind not in lower_toc:
        return False
    before = text[max(0, m.start() - 8): m.start()].rstrip()
    if m.start() <= 8 and (not before or _PAGE_NUMBER_ONLY.match(before)):
        return True  # the start of a transcribed page
    return before.endswith((".", ";", ":"))


def _split_flat_heading(piece: str) -> tuple[str, str]:
    """"Artikel 1.1 Begripsbepalingen In deze ..." -> ("Artikel 1.1 Begripsbepalingen", "In deze ...")."""
    m = _FLAT_HEADING.match(" " + piece, 1)
    head_end = m.end() - 1 if m else 0
    words = piece[head_end:].split(" ")
    title: list[str] = []
    upper_title = bool(words) and words[0].isupper() and len(words[0]) > 1
    first_lid = next(  # not "... als bedoeld in artikel 1. De ...": a reference, not lid 1
        (k for k, word in enumerate(words[:13]) if word == "1." and not (k and _REFERENCE_END.search(words[k - 1]))),
        None,
    )
    if first_lid:  # "De hoogte en duur van de toeslag 1. De hoogte ...": the title ends at lid 1
        title_text = " ".join(words[:first_lid])
        return (piece[:head_end].rstrip() + " " + title_text).strip(), " ".join(words[first_lid:]).strip()
    for word in words[:12]:
        if not word:
            continue
        if title and (
            word in _TEXT_STARTERS
            or _FLAT_LABEL.match(word)
            or (upper_title and not word.isupper())
            or (not upper_title and word.isupper() and len(word) > 1 and word.isalpha())
        ):
            break
        if not title and (word in _TEXT_STARTERS or _FLAT_LABEL.match(word)):
            break
        title.append(word)
    else:
        if len(words) > 12:
            title = []  # no end of a title found: the heading has none
    title_text = " ".join(title)
    heading = (piece[:head_end].rstrip() + " " + title_text).strip()
    body = piece[head_end:].strip()[len(title_text):].strip()
    return heading, body


def _split_flat_body(body: str) -> list[str]:
    """Cut an article's flattened text before leden ("1. ", "2. ", ...) and list items ("a. ",
    "b. ", ... or "- ") that follow each other."""
    if not body:
        return []
    cuts: list[int] = []
    expected_lid = 2 if re.match(r"1\.\s", body) else 1  # the text starts with lid 1
    expected_letter = "a"
    for m in _FLAT_LID.finditer(body):
        if int(m.group("nr")) == expected_lid:
            cuts.append(m.start())
            expected_lid += 1
    for m in _FLAT_ITEM.finditer(body):
        letter = m.group("letter")
        if m.group("dash") or letter == expected_letter:
            cuts.append(m.start())
            if letter:
                expected_letter = chr(ord(letter) + 1)
        elif letter == "a":  # a new list restarts the letters
            cuts.append(m.start())
            expected_letter = "b"
    if not cuts:
        return [body]
    cuts = sorted(set(cuts))
    starts = [0] + cuts
    ends = cuts + [len(body)]
    return [body[a:b].strip() for a, b in zip(starts, ends) if body[a:b].strip()]


def build_document(
    lines: list[Line],
    *,
    format: str,
    name: str,
    title: str | None = None,
    gemeente: str | None = None,
    metadata: dict[str, str] | None = None,
) -> Document:
    doc = Document(format=format, source_name=name, metadata=dict(metadata or {}))
    toc_lines: list[Line] = []
    lines = _unflatten(lines, toc_lines)
    lines, front_info = strip_chrome(lines, known=doc.metadata)
    doc.dropped.extend(front_info.dropped)
    for line in toc_lines:
        add_dropped(doc.dropped, "toc", line.text, line.location)
    for key, value in front_info.metadata.items():
        doc.metadata.setdefault(key, value)
    merged = merge_blocks(lines)
    blocks = _drop_table_of_contents(merged)
    if len(blocks) != len(merged):
        kept_ids = {id(b) for b in blocks}
        for block in merged:
            if id(block) not in kept_ids:
                add_dropped(doc.dropped, "toc", block.text, block.location)
    blocks = _join_lone_labels(blocks)
    state = _State(doc)
    front: list[_Block] = []
    toel_section: Section | None = None

    for index, block in enumerate(blocks):
        text = block.text
        if state.mode == "toelichting":
            toel_section = _add_toelichting(doc, toel_section, block)
            continue

        if block.heading == "toelichting" or (
            _TOELICHTING.match(text) and len(text.split()) <= 16 and not text.endswith((";", ","))
            and (state.mode != "front" or doc.articles)
        ):
            state.mode = "toelichting"
            toel_section = Section(heading=text, location=block.location)
            doc.toelichting.append(toel_section)
            continue

        heading = _match_heading(block) if block.heading != "title" else None
        if heading and state.article is not None and _ROMAN_NUMBER.match(state.article.number) and (
            heading[0] == "artikel" and not _ROMAN_NUMBER.match(heading[1]) and _VERVALLEN.match(heading[2] or "x")
        ):
            heading = None  # "Artikel 7 vervalt." in an amending article: an instruction, not an article
        if heading:
            kind, number, htitle = heading
            if kind == "artikel" and state.mode == "slot" and number in state.seen_numbers:
                # an article list repeated after the slot: artikelsgewijze toelichting
                state.mode = "toelichting"
                toel_section = Section(heading=text, location=block.location)
                doc.toelichting.append(toel_section)
                continue
            state.awaiting_title = None
            if state.mode == "body" and _quoted_heading(state, number):
                # "Na artikel 4 wordt een artikel ingevoegd, luidende:" + "Artikel 4a Melding":
                # the new text is part of the amending article, not an article of the document
                label = f"{kind.capitalize()} {number}"
                _add_item(state, "quoted", label, htitle, block)
                state.quoting = True
                continue
            if kind == "artikel":
                _start_article(state, number, htitle, block)
            else:
                _start_division(state, kind, number, htitle, block)
            state.mode = "body"
            continue

        if state.mode == "front":
            front.append(block)
            continue

        # a title on the line after its heading
        if state.awaiting_title is not None:
            target = state.awaiting_title
            state.awaiting_title = None
            if isinstance(target, Article) and _VERVALLEN.match(text):
                target.status = "vervallen"
                continue
            if (
                _looks_like_title(text)
                and not text.endswith(".")
                and not _LID.match(text)
                and not _ITEM.match(text)
                and not _INLINE_QUOTED_HEADING.search(text)  # "... luidende: Artikel 2a Wijkteam"
            ):
                target.title = text
                continue

        if block.heading in ("heading", "hoofdstuk", "paragraaf") and _looks_like_title(text) and not (
            state.article is not None and _HEADED_LID.match(text)
        ):  # "Lid 5. Aanmelding" set as a heading is a headed lid (see _lid_marker), not a division
            # an unnumbered heading (e.g. a Markdown "## Slotbepalingen"): a division without number
            _close_article(state)
            state.doc.divisions.append(Division("kop", "", text, parent=state.chapter, location=block.location))
            continue

        if _SLOT.match(text) or _SIGNATURE.match(text) or (
            state.mode != "slot" and _BIJLAGE.match(text) and len(text.split()) <= 12
        ):
            state.mode = "slot"
            _close_article(state)
            doc.slot.append(text)
            continue
        if state.mode == "slot":
            doc.slot.append(text)
            continue

        if state.article is None:
            # text between a chapter heading and its first article
            doc.warnings.append(f"Tekst buiten een artikel genegeerd: {text[:80]}")
            continue
        _add_article_text(state, block)

    _close_article(state)
    _finish_front(doc, front, title, gemeente, front_info)
    return doc


def _add_toelichting(doc: Document, section: Section | None, block: _Block) -> Section:
    text = block.text
    is_heading = (
        block.heading is not None
        or (block.bold and len(text.split()) <= 14 and not text.endswith((".", ";", ",")))
        or (_match_heading(block) is not None)
    )
    if section is not None and not is_heading and not section.paragraphs and text[:1].islower():
        # "Artikel 7.3. De hardheidsclausule biedt het college ... maatwerk te" + "leveren waar
        # ...": an explanation that starts on the article's line and wraps, not a heading
        before, joiner, last = section.heading.rpartition(" — ")  # "Toelichting — Artikel 7.3. ..."
        m = _ARTICLE.match(last)
        if m and len((m.group(2) or "").split()) >= 6:
            section.heading = before + joiner + last[: m.start(2)].rstrip(" .:-–—")
            section.paragraphs.append(f"{m.group(2).strip()} {text}")
            return section
    if section is None or (is_heading and section.paragraphs):
        section = Section(heading=text if is_heading else "", location=block.location)
        if not is_heading:
            section.paragraphs.append(text)
        doc.toelichting.append(section)
        return section
    if is_heading and not section.paragraphs and section.heading:
        section.heading = f"{section.heading} — {text}"
        return section
    section.paragraphs.append(text)
    return section


def _start_division(state: _State, kind: str, number: str, title: str, block: _Block) -> None:
    _close_article(state)
    if kind == "paragraaf":
        state.paragraaf = number
        division = Division(kind, number, title, parent=state.chapter, location=block.location)
    else:
        state.chapter = number
        state.paragraaf = None
        division = Division(kind, number, title, location=block.location)
    state.doc.divisions.append(division)
    if not title:
        state.awaiting_title = division


def _start_article(state: _State, number: str, title: str, block: _Block) -> None:
    _close_article(state)
    article = Article(
        number=number,
        title="" if _VERVALLEN.match(title or "x") else title,
        chapter=state.chapter,
        paragraaf=state.paragraaf,
        location=block.location,
    )
    if title and _VERVALLEN.match(title):
        article.status = "vervallen"
    state.article = article
    state.seen_numbers.add(number)
    state.doc.articles.append(article)
    if not title:
        state.awaiting_title = article


def _append_text(state: _State, target: Lid | ListItem, text: str) -> None:
    """Append a paragraph to a lid ("\\n") or a list item (" ") in linear time.

    ``target.text = target.text + ...`` copies the whole text on every paragraph: quadratic
    in the paragraphs of one lid (7.7 MB of short paragraphs took 50 s). The pieces are
    kept in ``state.pending`` and joined by :func:`_flush_text`; meanwhile only the end of
    the text is looked at (:func:`_ends_with`).
    """
    entry = state.pending.get(id(target))
    if entry is None:
        entry = state.pending[id(target)] = (target, [target.text] if target.text else [])
    pieces = entry[1]
    if isinstance(target, Lid) and (not pieces or pieces == [""]):
        pieces[:] = [text]  # as f"{lid.text}\n{text}" if lid.text else text
    else:
        pieces.append(text)


def _ends_with(state: _State, target: Lid | ListItem, suffixes: str | tuple[str, ...]) -> bool:
    """``target.text.rstrip().endswith(suffixes)``, also while text is pending."""
    entry = state.pending.get(id(target))
    if entry is None:
        return target.text.rstrip().endswith(suffixes)
    for piece in reversed(entry[1]):
        piece = piece.rstrip()
        if piece:
            return piece.endswith(suffixes)
    return "".endswith(suffixes)


def _flush_text(state: _State) -> None:
    for target, pieces in state.pending.values():
        if isinstance(target, Lid):
            target.text = "\n".join(pieces)
        else:  # as f"{item.text} {text}".strip() for each paragraph
            target.text = " ".join(piece for piece in pieces if piece).strip()
    state.pending.clear()


def _close_article(state: _State) -> None:
    _flush_text(state)
    article = state.article
    if article is not None:
        if len(article.leden) == 1 and _VERVALLEN.match(article.leden[0].full_text()):
            article.status = "vervallen"
            article.leden = []
        if article.title and _VERVALLEN.match(article.title):
            article.status = "vervallen"
    state.article = None
    state.lid = None
    state.item_stack = []
    state.quoting = False


def _lid_marker(block: _Block):
    """(number, rest, heading) if the block starts with a lid number (typed or automatic);
    ``heading`` is the title of a headed lid ("Lid 5. Aanmelding"), else None."""
    if block.label:
        m = re.match(r"^(?:lid\s+)?\(?([0-9]{1,2}[a-z]?)[.)]?$", block.label.strip())
        if m:
            return m.group(1), block.text, None
        return None
    m = _HEADED_LID.match(block.text)
    if m and _title_line(m.group(2)):
        return m.group(1), m.group(2), m.group(2)
    m = _LID.match(block.text) or _LETTERED_LID.match(block.text)
    if m:
        return m.group(1), m.group(2).strip(), None
    return None


def _item_marker(block: _Block):
    if block.label:
        label = re.sub(r"^\((\w{1,3})\)$", r"\1)", block.label.strip())  # "(a)" -> "a)"
        m = _ITEM.match(label + " " + block.text)
        if m is None and _LONE_UPPER.match(label):
            m = _UPPER_ITEM.match(label + " " + block.text)  # "A" + "de tekst": an onderdeel
    else:
        m = _ITEM.match(block.text)
    return m


def _add_article_text(state: _State, block: _Block) -> None:
    article = state.article
    assert article is not None
    lid_marker = _lid_marker(block)
    item_match = _item_marker(block)
    in_list = bool(state.item_stack)
    list_open = bool(state.lid and (_ends_with(state, state.lid, ":") or in_list))

    headed, state.headed_lid = state.headed_lid, None
    if lid_marker is not None:
        number, rest, lid_heading = lid_marker
        expected = _next_lid_number(article)
        if not number.isdigit() or not _numbered_item(state, number, expected, list_open, in_list):
            if number == expected or (not article.leden and number == "1") or _inserted_lid(article, number) or (
                not list_open
                and number.isdigit()
                and article.leden
                and article.leden[-1].number is not None
                and int(number) > int(expected)
            ):
                _close_items(state)
                lid = Lid(number=number, text=rest, location=block.location)
                article.leden.append(lid)
                state.lid = lid
                if lid_heading:
                    state.headed_lid = lid
                return

    if item_match is not None and (list_open or in_list or state.lid is not None or not article.leden):
        style = _item_style(item_match)
        if style == "num" and not list_open and not (
            state.lid is not None and _INLINE_QUOTED_HEADING.search(_tail(state, state.lid))
        ):
            pass  # a numbered sentence without an introducing colon is lid text
        else:
            _add_item(state, style, _item_label(item_match), item_match.group("text").strip(), block)
            return

    # ordinary paragraph text
    if headed is not None and headed is state.lid and not headed.items and not state.pending.get(id(headed)) and (
        block.text[: len(headed.text)].lower() == headed.text.lower()
        and block.text[len(headed.text):].lstrip().startswith(":")
    ):
        # "Lid 5. Aanmelding" + "Aanmelding: het melden ...": a definition as a headed lid;
        # the heading repeats the term the text starts with
        headed.text = block.text
        return
    if state.lid is None:
        lid = Lid(number=None, text=block.text, location=block.location)
        article.leden.append(lid)
        state.lid = lid
        return
    if state.item_stack and state.item_stack[-1][0] == "quoted":
        quoted = state.item_stack[-1][1]
        if not quoted.text and id(quoted) not in state.pending and _title_line(block.text):
            quoted.text = block.text  # "Artikel 3a" / "Melding": the title below the heading
        else:
            _add_item(state, "para", "", block.text, block)  # the text of the quoted article
        return
    if state.item_stack and not _ends_with(state, state.item_stack[-1][1], (".", ";", ":")):
        # continuation of the last list item (a paragraph break inside an item)
        _append_text(state, state.item_stack[-1][1], block.text)
        return
    lid = state.lid
    if state.item_stack and state.item_stack[0][0] == "upper" and _ROMAN_NUMBER.match(article.number):
        # a further paragraph of an amending onderdeel ("A" + its instructions): part of the
        # onderdeel until the next onderdeel letter
        del state.item_stack[1:]
        state.item_stack[0][1].items.append(ListItem(label="", text=block.text))
        return
    if state.item_stack or lid.items:
        # a closing paragraph after the list stays in order with the list
        _close_items(state)
        lid.items.append(ListItem(label="", text=block.text))
    else:
        _append_text(state, lid, block.text)


def _inserted_lid(article: Article, number: str) -> bool:
    """"3a" right after lid 3 (or "3b" after "3a"): a lid inserted by a later amendment."""
    m = re.fullmatch(r"([0-9]{1,2})([a-z])", number)
    if not m or not article.leden or article.leden[-1].number is None:
        return False
    last = article.leden[-1].number
    previous = m.group(1) if m.group(2) == "a" else m.group(1) + chr(ord(m.group(2)) - 1)
    return last == previous


def _next_lid_number(article: Article) -> str:
    numbered = [l for l in article.leden if l.number and l.number.isdigit()]
    if not numbered:
        return "1"
    return str(int(numbered[-1].number) + 1)


def _numbered_item(state: _State, number: str, expected: str, list_open: bool, in_list: bool) -> bool:
    """Is a "N." marker a numbered list item rather than a new lid?"""
    if in_list and any(style == "quoted" for style, _ in state.item_stack):
        return True  # the leden of a quoted article
    last = state.item_stack[-1][1] if in_list else state.lid
    if number == "1" and last is not None and _INLINE_QUOTED_HEADING.search(_tail(state, last)):
        return True  # "... ingevoegd, luidende: Artikel 3a Melding" + "1. ...": its quoted leden
    if not list_open:
        return False
    if not in_list:
        # "1." right after a lid that ends with ":" starts a numbered list
        return number == "1" and expected != "1"
    if _ends_with(state, state.item_stack[-1][1], ":"):
        return True  # the last item introduces a sublist (e.g. quoted leden in an amendment)
    for depth in range(len(state.item_stack) - 1, -1, -1):
        style, item = state.item_stack[depth]
        if style != "num":
            continue
        m = re.match(r"(\d+)", item.label)
        if not m or int(number) != int(m.group(1)) + 1:
            return False
        # a nested numbered list continues; a top-level one only while its items stay open
        return depth > 0 or not _ends_with(state, item, ".")
    return False


def _close_items(state: _State) -> None:
    state.item_stack = []


_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _resolve_style(stack: list[tuple[str, ListItem]], style: str, label: str) -> str:
    """"i."/"ii."/"v." are letters after "h."/"u." but roman numerals in a roman list."""
    key = label.rstrip(".)").lower()
    if style not in ("letter", "roman") or key not in _ROMANS:
        return style

    def expects(wanted: str) -> bool:
        for s, item in reversed(stack):
            if s == wanted:
                prev = item.label.rstrip(".)").lower()
                if wanted == "roman":
                    return prev in _ROMANS and _ROMANS.index(prev) + 1 < len(_ROMANS) and _ROMANS[_ROMANS.index(prev) + 1] == key
                return len(prev) == 1 and len(key) == 1 and ord(key) == ord(prev) + 1
        return False

    if expects("roman"):
        return "roman"
    if expects("letter"):
        return "letter"
    return "roman" if key == "i" or style == "roman" else style


# the end of an instruction that introduces quoted text: "... komt te luiden:", "... wordt
# ingevoegd, luidende:", "... wordt vervangen door:", "... worden toegevoegd:"
_QUOTE_INTRO = re.compile(
    r"\b(?:luiden|luidende|luidt|ingevoegd|toegevoegd|vervangen(?:\s+door)?|gewijzigd|opgenomen|volgt)\b[^.;:]{0,80}:$",
    re.I,
)
# in an article numbered like the regulation's own articles only the unmistakable words count
_STRONG_QUOTE_INTRO = re.compile(r"\b(?:luiden|luidende|luidt|ingevoegd|toegevoegd|vervangen)\b", re.I)
_ROMAN_NUMBER = re.compile(r"^[IVXLC]+$")
# an instruction that ends with the heading of the article it quotes, on the same line
_INLINE_QUOTED_HEADING = re.compile(
    r"\b(?:luiden|luidende|luidt|ingevoegd|toegevoegd|vervangen(?:\s+door)?)\s*:\s*[„\"‘]?\s*"
    r"(?:Artikel|Hoofdstuk|Paragraaf|§)\s+[0-9]+[0-9.:]*[a-z]?\.?(?:\s+[^\s.;:]+){0,10}$"
)
_ARABIC_NUMBER = re.compile(r"^(\d+)(?:[.:](\d+))?([a-z]?)$")


def _tail(state: _State, target: Lid | ListItem, size: int = 200) -> str:
    """The last ``size`` characters of a lid's or item's text, also while text is pending."""
    entry = state.pending.get(id(target))
    pieces = entry[1] if entry is not None else [target.text]
    out = ""
    for piece in reversed(pieces):
        out = piece + " " + out if out else piece
        if len(out) >= size:
            break
    return out[-size:].rstrip()


def _quoted_heading(state: _State, number: str) -> bool:
    """Is a heading inside an amending article quoted text rather than the next article?

    It is when the amending article's text so far ends with an instruction that introduces
    new text ("komt te luiden:", "wordt ingevoegd, luidende:"), or while such quoted text goes
    on, until a heading that continues the amending articles' own numbering ("Artikel II"
    after "Artikel I", "Artikel 2" after "Artikel 1").
    """
    article = state.article
    if article is None or _successor_number(article.number, number):
        return False
    if state.quoting:
        return True
    target = state.item_stack[-1][1] if state.item_stack else state.lid
    if target is None:
        return False
    tail = _tail(state, target)
    m = _QUOTE_INTRO.search(tail)
    if m is None:
        return False
    return bool(_ROMAN_NUMBER.match(article.number)) or _STRONG_QUOTE_INTRO.search(tail) is not None


def _successor_number(current: str, number: str) -> bool:
    """Could ``number`` be the article after ``current`` in the document's own numbering?"""
    if _ROMAN_NUMBER.match(current):
        return bool(_ROMAN_NUMBER.match(number))  # amending articles are I, II, ...; quoted ones are not
    a, b = _ARABIC_NUMBER.match(current), _ARABIC_NUMBER.match(number)
    if not a or not b:
        return False
    (c1, c2, c_letter), (n1, n2, n_letter) = a.groups(), b.groups()
    if (c1, c2) == (n1, n2):
        return n_letter > c_letter  # "4" -> "4a", "4a" -> "4b"
    if c2 is None and n2 is None:
        return int(n1) == int(c1) + 1
    if c2 is not None and n2 is not None:
        return (n1 == c1 and int(n2) == int(c2) + 1) or (int(n1) == int(c1) + 1 and int(n2) <= 1)
    return False


def _add_item(state: _State, style: str, label: str, text: str, block: _Block) -> None:
    article = state.article
    assert article is not None
    if state.lid is None:
        lid = Lid(number=None, text="", location=block.location)
        article.leden.append(lid)
        state.lid = lid
    item = ListItem(label=label, text=text)
    stack = state.item_stack
    style = _resolve_style(stack, style, label)
    # pop to the level that uses this style
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == style:
            del stack[depth:]
            break
    if stack:
        stack[-1][1].items.append(item)
    else:
        state.lid.items.append(item)
    stack.append((style, item))
    if state.quoting and style != "quoted" and not any(s == "quoted" for s, _ in stack):
        state.quoting = False  # the next onderdeel of the amending article ends the quotation


def _finish_front(
    doc: Document, front: list[_Block], title: str | None, gemeente: str | None, info: FrontMatter
) -> None:
    """Aanhef, gemeente and title from the text before the first heading (chrome is gone)."""
    if "alternative" in doc.metadata:
        doc.metadata.setdefault("citeertitel", doc.metadata["alternative"])
    texts = [b.text for b in front]
    aanhef_start = next((i for i, b in enumerate(front) if AANHEF_START.match(b.text)), None)
    doc.gemeente = find_gemeente(
        metadata=gemeente or info.metadata.get("creator"),
        front=texts,
        slot=doc.slot,
        publishers=info.publishers,
    )
    intitule = next((b.text for b in front if info.intitule is not None and b.location == info.intitule), None)
    candidates = front[:aanhef_start] if aanhef_start else front
    not_name = {normalize_ws(n).lower() for n in (doc.gemeente, f"gemeente {doc.gemeente}") if n and doc.gemeente}
    headings = [b for b in candidates if normalize_ws(b.text).lower() not in not_name]
    hinted = [b.text for b in headings if b.heading == "title"]
    named = [b.text for b in headings if TITLE_WORDS.search(b.text) and _looks_like_title(b.text)
             and len(b.text.split()) <= 25]
    plain = [b.text for b in headings if _looks_like_title(b.text)]
    chosen = choose_title(
        metadata=doc.metadata,
        intitule=intitule,
        besluit=texts,
        hints=[clean_title(title)] + info.heading_titles + hinted + named + info.line_titles + plain
        + info.viewer_titles,
    )
    vocabulary = "\n".join(texts[:200] + [a.text for a in doc.articles[:60]])
    doc.title = readable_title(chosen, vocabulary, doc.gemeente) if chosen else ""
    if not doc.gemeente:
        doc.gemeente = find_gemeente(title=doc.title, grounds=texts)
    own = {normalize_ws(t) for t in (doc.title, chosen, intitule) if t}  # the title's own lines
    if aanhef_start is not None:
        doc.aanhef = texts[aanhef_start:]
        # what stands above the aanhef and is not the title is reported, not silently lost
        for block in front[:aanhef_start]:
            # an official name whose citeertitel in brackets became the title is the title's line
            if normalize_ws(block.text) not in own and normalize_ws(citeertitel_in_brackets(block.text) or "") not in own:
                kind = "letterhead" if normalize_ws(block.text).lower() in not_name else "front"
                add_dropped(doc.dropped, kind, block.text, block.location)
    else:
        # leading title lines (the title, repeated) are not aanhef
        doc.aanhef = [t for t in texts if normalize_ws(t) not in own]
