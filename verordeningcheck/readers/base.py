"""Shared types for readers.

Line-oriented readers (PDF, DOCX, Markdown, plain text) turn their input into a list
of :class:`Line` objects and hand them to :func:`verordeningcheck.readers.structure.build_document`,
which recognises aanhef, chapters, articles, leden, list items, slot and toelichting.
Tree-oriented readers (CVDR XML, gemeenteblad HTML) build the Document directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import SourceLocation


@dataclass
class Line:
    """One physical line (PDF) or paragraph (DOCX, Markdown, text) of the source.

    ``heading`` is an explicit structural hint from the source: "title", "hoofdstuk",
    "paragraaf", "artikel", "toelichting" or a generic "heading" (a Markdown ``#`` or a Word
    heading style whose level is unknown). ``None`` means: decide from the text.
    ``block_start`` says that a paragraph break precedes this line (blank line in text, new
    ``<p>`` / Word paragraph, extra vertical space in a PDF). ``bold`` is a font hint.
    ``label`` is an automatic number that is not part of ``text`` (Word numbering), e.g.
    "Artikel 3", "2." or "a.".
    """

    text: str
    location: SourceLocation = field(default_factory=SourceLocation)
    block_start: bool = True
    heading: str | None = None
    bold: bool = False
    label: str | None = None
    indent: float | None = None  # left offset (pt for PDF, level for lists) when known


def roman(value: int) -> str:
    """An upper-case Roman numeral; decimal from 4000 on (and for 0 or less): a list start
    value from the input can be huge, and would otherwise build billions of "M"s."""
    if value <= 0 or value >= 4000:
        return str(value)
    out = ""
    for amount, symbol in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while value >= amount:
            out += symbol
            value -= amount
    return out
