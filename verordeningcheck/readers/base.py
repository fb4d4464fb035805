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
