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


def text_to_lines(text: str, markdown: bool) -> list[Line]:
    lines: list[Line] = []
    raw_lines = text.splitlines()
    blank = True
    seen_heading = False
    for number, raw in enumerate(raw_lines, start=1):
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        location = SourceLocation(line=number)
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
            stripped = _MD_BULLET.sub("• ", stripped)
            stripped = _strip_markdown(stripped)
        indent = len(raw) - len(raw.lstrip(" "))
        lines.append(Line(stripped, location, block_start=blank, indent=float(indent)))
        blank = False
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
