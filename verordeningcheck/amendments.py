"""Amending instructions and the text they quote, found in the text itself (any format).

An amendment ("wijzigingsverordening") consists of instructions ("Artikel 4 komt te luiden:",
"Na artikel 3 wordt een artikel ingevoegd, luidende: ...", "In artikel 8 vervalt het woord
„volledige”") followed or accompanied by quoted text. That quoted text is not the document's own
regulation: new text (what is inserted or becomes the wording) says what the amendment adds,
old text (what is replaced or removed) says what it takes away.

The reader may give the quoted articles as list items under the instruction, as further leden or
items at the same level, or inline between quotation marks; this module works on the text of
the blocks (lid texts and list items in document order) and so on whatever structure a reader
produced.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Article, ListItem

# roles of a piece of text
OWN = ""  # the document's own words (including the instructions themselves)
NEW = "new"  # quoted text that is inserted or becomes the new wording
OLD = "old"  # quoted text that is replaced or removed

_VERB = (
    r"(?:wordt|worden)\b[^;]*?\b(?:gewijzigd|ingevoegd|toegevoegd|vervangen|vernummerd|verletterd|geschrapt|"
    r"omgenummerd)\b|(?:komt|komen)\s+(?:als\s+volgt\s+)?te\s+(?:luiden|vervallen)\b|\bvervalt\b|\bvervallen\b"
)
_TARGET = (
    r"(?:artikel|artikelen|hoofdstuk|paragraaf|afdeling|onderdeel|onderdelen|lid|leden|begrips\w*|definitie\w*|"
    r"bijlage|aanhef|titel|citeertitel|zinsnede|woord|woorden|zin)\b"
)
# an instruction names what it changes first ("Artikel 4 komt te luiden", "In artikel 1 wordt ...",
# "Na artikel 3 wordt ...", "Het derde lid vervalt"), then the change
_INSTRUCTION = re.compile(
    rf"(?is)^(?:[A-Z]{{1,2}}\.?\s+|\d+[.°)]\s+)?(?:(?:in|na|aan|voor|onder|tussen|achter|bij)\s+)?"
    rf"(?:(?:het|de|een)\s+)?(?:[\w-]+\s+){{0,2}}?{_TARGET}.*?(?:{_VERB})"
)
# an instruction whose quoted text follows it (after the colon)
_OPENS_QUOTE = re.compile(
    r"(?is)(?:komt|komen)\s+(?:als\s+volgt\s+)?te\s+luiden|luidende|\bluidt\b|vervangen\s+door|(?:wordt|worden)\b[^.;]*\b(?:ingevoegd|toegevoegd)"
)
_OPENS_SUBINSTRUCTIONS = re.compile(r"(?i)\bals\s+volgt\s+gewijzigd|\bgewijzigd\s+als\s+volgt")
_ENDS_WITH_COLON = re.compile(r":\s*$")
# quotation marks as used in Dutch legislation („…”, “…”, "…", ‘…’)
_QUOTE = re.compile(r"[„“\"‘'](?P<body>[^„“”\"‘’']{2,}?)[”\"’']")
_AFTER_COLON = re.compile(r"(?:komt|komen)\s+(?:als\s+volgt\s+)?te\s+luiden|luidende|vervangen\s+door|gewijzigd\s+in|ingevoegd|toegevoegd", re.I)
_REMOVING = re.compile(r"(?i)\bvervalt\b|\bvervallen\b|\bgeschrapt\b|(?:komt|komen)\s+te\s+vervallen")
_REPLACED_BY = re.compile(r"(?i)\bvervangen\s+door\b|\bgewijzigd\s+in\b")
_VERBS_AROUND_QUOTE = re.compile(
    r"(?i)vervangen\s+door|gewijzigd\s+in|vervalt|vervallen|geschrapt|ingevoegd|toegevoegd|luidende|te\s+luiden"
)
_ONDERDEEL_LABEL = re.compile(r"^(?:[A-Z]{1,2}|[IVXLC]+)\.?$")
_TARGET_TEXT = re.compile(
    r"(?i)\b(?:artikel(?:en)?\s+[\w.:]+(?:\s*,\s*\w+\s+lid)?(?:\s*,\s*onderdeel\s+\w+)?|hoofdstuk\s+[\w.]+|"
    r"paragraaf\s+[\w.]+|onderdeel\s+\w+|(?:het\s+)?\w+\s+lid)"
)

OPERATIONS_NL = {
    "replace": "vervangt tekst",
    "insert": "voegt tekst in",
    "repeal": "laat tekst vervallen",
    "change": "wijzigt",
}


@dataclass
class Instruction:
    """One amending instruction (an onderdeel of an amending article)."""

    number: int
    article: str
    lid: str | None
    label: str  # the onderdeel label path as written ("A", "B.1"), "" when none
    text: str  # the instruction's own words
    operation: str  # replace | insert | repeal | change
    target: str  # what it changes ("artikel 4", "artikel 1, eerste lid"), "" when not named

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "article": self.article,
            "lid": self.lid,
            "label": self.label,
            "text": self.text,
            "operation": self.operation,
            "target": self.target,
        }


@dataclass
class Segment:
    text: str
    role: str
    instruction: int | None = None


@dataclass
class ArticleQuotes:
    """Roles per block of an article: ``blocks[(lid index, item path)]`` -> segments."""

    blocks: dict[tuple[int, tuple[int, ...]], list[Segment]] = field(default_factory=dict)
    instructions: list[Instruction] = field(default_factory=list)
    open_quote: int | None = None  # an instruction whose quoted text may go on after the article
    open_role: str = NEW


def is_instruction(text: str) -> bool:
    return bool(_INSTRUCTION.match(text.strip()))


def _operation(text: str) -> str:
    if _REPLACED_BY.search(text) or re.search(r"(?i)(?:komt|komen)\s+(?:als\s+volgt\s+)?te\s+luiden|\bluidt\b", text):
        return "replace"
    if re.search(r"(?i)ingevoegd|toegevoegd|luidende", text):
        return "insert"
    if _REMOVING.search(text):
        return "repeal"
    return "change"


def _inline_segments(text: str, instruction: int | None) -> list[Segment]:
    """Split an instruction's text into its own words and the quoted text it carries."""
    segments: list[Segment] = []
    pos = 0
    matches = list(_QUOTE.finditer(text))
    # "onderdeel b, luidende „...”, vervalt": every quote of a repealing instruction is old text
    repealing = _operation(text) == "repeal"
    for m in matches:
        if m.start() > pos:
            segments.append(Segment(text[pos:m.start()], OWN, instruction))
        before, after = text[:m.start()], text[m.end():]
        role = NEW
        after_verb = re.search(_VERBS_AROUND_QUOTE, after)
        before_verbs = list(re.finditer(_VERBS_AROUND_QUOTE, before))
        if repealing:
            role = OLD
        elif after_verb and re.match(r"(?i)vervangen|vervalt|vervallen|geschrapt|gewijzigd", after_verb.group(0)):
            role = OLD  # "„x” wordt vervangen door ..." / "„x” vervalt"
        elif before_verbs and re.match(r"(?i)vervalt|vervallen|geschrapt", before_verbs[-1].group(0)):
            role = OLD  # "vervalt het woord „x”"
        segments.append(Segment(m.group("body"), role, instruction))
        pos = m.end()
    if not matches:
        # no quotation marks: the new wording follows the colon ("komt te luiden: 3. De adviseur ...")
        opener = _AFTER_COLON.search(text)
        colon = text.find(":", opener.end()) if opener else -1
        if colon >= 0 and text[colon + 1:].strip():
            role = OLD if _operation(text[:colon]) == "repeal" else NEW
            return [Segment(text[:colon + 1], OWN, instruction), Segment(text[colon + 1:], role, instruction)]
    if pos < len(text):
        segments.append(Segment(text[pos:], OWN, instruction))
    return [s for s in segments if s.text.strip()]


# where a reader ran an onderdeel into the line before it: "... gewijzigd: A Artikel 2.3 komt ..."
_RUN_IN_ONDERDEEL = re.compile(
    r"(?<=[:;.])\s+(?=(?:[A-Z]{1,2}|[IVX]+)\.?\s+(?:In|Na|Aan|Voor|Onder|Artikel|Het|De|Hoofdstuk|Paragraaf|Onderdeel)\b)"
)


_RUN_IN_LABEL = re.compile(r"^([A-Z]{1,2}|[IVX]+)\.?\s+(?=\S)")


def _pieces(text: str) -> list[str]:
    """The lines of a text, and within a line the onderdelen a reader ran together."""
    pieces = []
    for line in text.split("\n"):
        pieces.extend(_RUN_IN_ONDERDEEL.split(line))
    return pieces


def _blocks(article: Article):
    """(lid index, item path, line, depth, label, text) for each line of each lid text and list
    item, in order (a reader may give several instructions as lines of one lid)."""
    for li, lid in enumerate(article.leden):
        for n, line in enumerate(_pieces(lid.text)):
            yield li, (), n, 0, (lid.number or "") if n == 0 else "", line
        yield from _item_blocks(li, lid.items, (), 1)


def _item_blocks(li: int, items: list[ListItem], path: tuple[int, ...], depth: int):
    for i, item in enumerate(items):
        for n, line in enumerate(_pieces(item.text)):
            yield li, path + (i,), n, depth, (item.label.rstrip(".") if item.label else "") if n == 0 else "", line
        yield from _item_blocks(li, item.items, path + (i,), depth + 1)


def analyse_article(article: Article, first_number: int = 0) -> ArticleQuotes:
    """The roles of the text in one article and the instructions it gives.

    An article without any instruction gets no entries (all its text is its own).
    """
    result = ArticleQuotes()
    quote_depth: int | None = None  # depth of the instruction whose quoted text we are in
    quote_instruction: int | None = None
    labels: list[str] = []
    label_stack: dict[int, str] = {}
    for li, path, line, depth, label, text in _blocks(article):
        key = (li, path)
        stripped = text.strip()
        if quote_depth is not None:
            inside = depth > quote_depth or (
                not is_instruction(stripped) and not (label and _ONDERDEEL_LABEL.match(label) and depth <= quote_depth)
            )
            if inside:
                role = NEW if _operation_of(result, quote_instruction) != "repeal" else OLD
                result.blocks.setdefault(key, []).append(Segment(text, role, quote_instruction))
                continue
            quote_depth = quote_instruction = None
        if not stripped or not is_instruction(stripped):
            result.blocks.setdefault(key, []).append(Segment(text, OWN, None))
            continue
        label_stack[depth] = label
        for d in list(label_stack):
            if d > depth:
                del label_stack[d]
        labels = [label_stack[d] for d in sorted(label_stack) if label_stack[d] and d > 0]
        run_in = _RUN_IN_LABEL.match(stripped)
        if run_in and not labels:
            labels = [run_in.group(1)]  # "A Artikel 2.3 komt ..." with the label in the text
        number = first_number + len(result.instructions)
        segments = _inline_segments(text, number)
        own_text = " ".join(s.text.strip() if s.role == OWN else "„…”" for s in segments).strip() or stripped
        target = _TARGET_TEXT.search(own_text)
        result.instructions.append(
            Instruction(
                number=number,
                article=article.number,
                lid=article.leden[li].number,
                label=".".join(labels),
                text=own_text,
                operation=_operation(own_text),
                target=target.group(0) if target else "",
            )
        )
        result.blocks.setdefault(key, []).extend(segments)
        if _ENDS_WITH_COLON.search(stripped) and _OPENS_QUOTE.search(stripped) and not _OPENS_SUBINSTRUCTIONS.search(stripped):
            quote_depth, quote_instruction = depth, number
    if quote_depth is not None:
        result.open_quote = quote_instruction
        result.open_role = NEW if _operation_of(result, quote_instruction) != "repeal" else OLD
    if not result.instructions:
        result.blocks = {}
    return result


_ROMAN = re.compile(r"^[IVXLC]+$")


def continues_quote(amending: Article, following: Article) -> bool:
    """Is ``following`` quoted text a reader split off the amending article before it?

    An amendment numbers its own articles with Roman numerals (I, II) and quotes articles of
    the amended ordinance (3a, 4); a reader that does not keep a quoted article inside the
    instruction gives it as an article of its own, numbered in the other style.
    """
    return bool(_ROMAN.match(amending.number)) and not _ROMAN.match(following.number)


def repeal_of(article: Article, number: int) -> Instruction:
    """The instruction that an article given as repealed inside an amendment stands for."""
    return Instruction(
        number=number, article=article.number, lid=None, label="", text=f"Artikel {article.number} vervalt.",
        operation="repeal", target=f"artikel {article.number}",
    )


def quoted_article(article: Article, instruction: int, role: str = NEW) -> ArticleQuotes:
    """All text of ``article`` as quoted text of ``instruction``."""
    result = ArticleQuotes()
    for li, path, _line, _depth, _label, text in _blocks(article):
        result.blocks.setdefault((li, path), []).append(Segment(text, role, instruction))
    result.open_quote, result.open_role = instruction, role
    return result


def _operation_of(result: ArticleQuotes, number: int | None) -> str:
    for instruction in result.instructions:
        if instruction.number == number:
            return instruction.operation
    return "change"
