"""Plain text and Markdown reader (legal repositories under version control)."""
from __future__ import annotations

import re
import unicodedata

from ..errors import LimitExceeded, MalformedDocument
from ..limits import Limits
from ..model import Document, SourceLocation
from .base import Line
from .structure import build_document

# The closing "###" of an ATX heading is stripped in Python (_heading_text): the regex
# "(.*?)\s*#*\s*$" it replaces took cubic time on a heading line with a long run of spaces.
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_BULLET = re.compile(r"^[*+]\s+")
# A bullet before a typed label: "- a. tekst" (Markdown list), "• 1." (a list item of a web page,
# copied as text: the bullet and the label on their own line, the text indented below it).
_BULLET = r"[•·▪●○◦*+\-–]"
_LABEL = r"(?:[a-z]{1,2}[.)]|[0-9]{1,2}[a-z]?[.)°]|[0-9]{1,2}°\.?|(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]|[A-Z][.)]?|[Ll]id\s+[0-9]{1,2}\.?)"
_BULLET_LABEL = re.compile(rf"^{_BULLET}\s+(?:({_LABEL})(?:\s+(.*))?|([\-–]))$")
# a bullet before a heading: the table of contents of a web page copied as text
_BULLET_HEADING = re.compile(
    r"^[•·▪●○◦]\s+(?=(?:Artikel|ARTIKEL|Hoofdstuk|HOOFDSTUK|Paragraaf|§|Afdeling|Titel|Toelichting|TOELICHTING|Bijlage)\b)"
)
# a table row copied as text: its cells end in " |" (one row per line, or one cell per line)
_TABLE_CELL = re.compile(r"^(.*?)\s*\|$")
# a letter-spaced heading: "b e s l u i t :", "T O E L I C H T I N G"
_LETTER_SPACED = re.compile(r"^(?:\w ){3,}\w(?: ?[:;,.])?$")
# Emphasis and link text stop at the next delimiter ("[^*]", "[^\[\]]", "[^()\s]"): with ".+?"
# a long line of unclosed "*a " or "[a" took quadratic time (minutes for a few hundred kB).
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?!\w)")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def decode_text(data: bytes, name: str) -> str:
    """Decode text input: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:65536]:
            raise MalformedDocument(
                "dit lijkt geen tekstbestand: het bevat binaire gegevens. "
                "Lever de verordening aan als PDF, Word (.docx), HTML, XML, Markdown of platte tekst.",
                name,
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    if sample:
        control = sum(
            1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"
        )
        replacement = sample.count("\ufffd")
        if (control + replacement) / len(sample) > 0.02:
            raise MalformedDocument(
                "dit lijkt geen tekstbestand: het bevat binaire gegevens. "
                "Lever de verordening aan als PDF, Word (.docx), HTML, XML, Markdown of platte tekst.",
                name,
            )
    return text


def _heading_text(text: str) -> str:
    """Heading text without the optional closing sequence of "#" (linear time)."""
    return text.rstrip().rstrip("#").rstrip()


def _strip_markdown(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return text.replace("`", "")


def _unspace(text: str) -> str:
    """"b e s l u i t :" -> "besluit:" (a heading set with letter spacing)."""
    return text.replace(" ", "") if _LETTER_SPACED.match(text) else text


def text_to_lines(text: str, markdown: bool) -> list[Line]:
    lines: list[Line] = []
    raw_lines = text.splitlines()
    blank = True
    seen_heading = False
    label: str | None = None  # a list label on a line of its own ("• a."), for the next line
    cells: list[str] = []  # the cells of a table row copied as text
    cells_line: list[str] = []  # the cells on the last line of that row
    for number, raw in enumerate(raw_lines, start=1):
        stripped = raw.strip()
        if cells and not stripped.endswith("|"):
            lines[-1].text = " | ".join(c for c in cells if c)
            cells = []
        if not stripped:
            blank = blank or label is None
            continue
        location = SourceLocation(line=number)
        m = _TABLE_CELL.match(stripped) if stripped.endswith("|") and not markdown else None
        if m:
            row = [c.strip() for c in m.group(1).split(" | ")]
            if cells and not blank and len(row) == 1 and len(cells_line) == 1:
                cells.extend(row)  # one cell per line: the row goes on (joined when it ends)
            else:
                if cells:
                    lines[-1].text = " | ".join(c for c in cells if c)
                cells = list(row)
                lines.append(Line(" | ".join(c for c in cells if c), location, block_start=True))
            cells_line = row
            blank = False
            continue
        if len(stripped) <= 60 and stripped[1:2] == " ":
            stripped = _unspace(stripped)
        bullet = _BULLET_LABEL.match(stripped) if stripped[0] in "•·▪●○◦*+-–" else None
        if bullet and bullet.group(3):  # "• -": a dash item, its text on the next line
            if label is not None:
                lines.append(Line(label, location, block_start=True))
            label = bullet.group(3)
            continue
        if bullet is None and stripped[0] in "•·▪●○◦":
            heading = _BULLET_HEADING.match(stripped)
            if heading:
                stripped = stripped[heading.end():]
                blank = True
        if bullet:
            if bullet.group(2):
                stripped = f"{bullet.group(1)} {bullet.group(2)}"  # "- a. tekst" -> "a. tekst"
                blank = True  # a list item is a paragraph of its own
            else:
                if label is not None:  # two labels in a row: the first has no text of its own
                    lines.append(Line(label, location, block_start=True))
                label = bullet.group(1)
                continue
        if label is not None:
            stripped = f"{label} {stripped}"
            label, blank = None, True
        if markdown:
            if _MD_SETEXT.match(stripped) and lines and not blank:
                lines[-1].heading = "title" if stripped.startswith("=") and not seen_heading else "heading"
                seen_heading = True
                blank = True
                continue
            if stripped in ("---", "***", "___"):
                blank = True
                continue
            m = _MD_HEADING.match(stripped)
            if m:
                level = len(m.group(1))
                hint = "title" if level == 1 and not seen_heading else "heading"
                seen_heading = True
                lines.append(Line(_strip_markdown(_heading_text(m.group(2))), location, block_start=True, heading=hint))
                blank = True
                continue
            if stripped.startswith(">"):
                stripped = stripped.lstrip("> ").strip()
            if stripped[:2] in ("- ", "* ", "+ "):
                blank = True  # a Markdown list item is a paragraph of its own
            stripped = _MD_BULLET.sub("• ", stripped)
            stripped = _strip_markdown(stripped)
        indent = len(raw) - len(raw.lstrip(" "))
        lines.append(Line(stripped, location, block_start=blank, indent=float(indent)))
        blank = False
    if label is not None:
        lines.append(Line(label, SourceLocation(line=len(raw_lines)), block_start=True))
    if cells:
        lines[-1].text = " | ".join(c for c in cells if c)
    return lines


def read_text(data: bytes, name: str, limits: Limits, markdown: bool = False) -> Document:
    text = decode_text(data, name)
    if len(text) > limits.max_text_chars:
        raise LimitExceeded(
            f"de tekst is te lang ({len(text):,} tekens; de grens is {limits.max_text_chars:,}).".replace(",", "."),
            name,
        )
    lines = text_to_lines(text, markdown)
    return build_document(lines, format="markdown" if markdown else "text", name=name)
