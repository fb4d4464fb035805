"""PDF reader: text with positions from pdfium, cleaned into lines for the structurer.

Per page, pdfium's own text extraction (``FPDFText_GetText``) gives the text in content
order with line breaks; for every line only a handful of raw calls fetch the position,
font size and font name of its first character and the right edge of its last one. That
keeps reading close to the speed of plain text extraction. The lines are then cleaned:

* running headers and footers (lines near the top or bottom edge that repeat on many pages,
  digits ignored), page numbers ("3", "- 3 -", "Pagina 3 van 12") and the header and footer
  a browser prints (date and page title, URL and page counter) are removed;
* text that is not horizontal (a margin stamp printed vertically) is dropped;
* reading order: content order when it runs top to bottom (or the page has two columns),
  else by position; pieces on one baseline are joined ("1." drawn apart from its text);
* a word hyphenated at a line end, which pdfium glues to the next line, is split back into
  two physical lines so that the structurer decides how to rejoin it;
* ``block_start`` marks a new paragraph: extra vertical space, a change of font size, a jump
  in reading order, or a previous line that ended early (the next line's first word would
  have fitted on it).
"""
from __future__ import annotations

import ctypes
import math
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import EncryptedDocument, LimitExceeded, MalformedDocument, NeedsOCR
from ..limits import Limits
from ..model import Document, Dropped, SourceLocation
from ..nlp import gc_paused
from .base import Line
from .frontmatter import add_dropped
from .structure import build_document

# pdfium load error codes (fpdfview.h)
_ERR_PASSWORD = 4
_ERR_SECURITY = 5

_LINE_BREAK = re.compile("\r\n|\r|\n|\ufffe")  # pdfium writes U+FFFE for a line-end hyphen
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
        "\x02": "-",
    }
)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|extrabold|ultrabold|[-,]bd\b|\bbd$", re.I)
_FORCE_BOLD_FLAG = 1 << 18

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|blad|p\.)\s*)?\d{1,4}"
    r"(?:\s*(?:/|van|of|\|)\s*\d{1,4})?(?:\s*[-–—])?$",
    re.I,
)
# a browser's print header ("23-11-2026 14:02  Titel", "11/23/26, 8:22 PM  Titel") and footer (URL + "3/7")
_PRINT_HEADER = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?\b")
_PAGE_COUNTER = re.compile(r"\s+\d{1,4}\s*/\s*\d{1,4}$")
_PRINT_FOOTER = re.compile(r"^(?:https?://|file:/|www\.)\S*(?:\s+\d{1,4}\s*/\s*\d{1,4})?$", re.I)
# headings that may legitimately start several pages at the same height
_STRUCTURAL = re.compile(r"^(?:artikel|art\.|hoofdstuk|afdeling|paragraaf|§|titel)\s*[0-9ivxlc]", re.I)

_TITLE_WORDS = re.compile(r"\b(?:verordening|regeling|reglement|besluit|beleidsregels?|wijzigingsverordening)", re.I)

_TOP_BAND = 0.12  # fraction of the page height where running headers live
_BOTTOM_BAND = 0.12

_MEANINGLESS_TITLES = {
    "untitled",
    "(unspecified)",
    "unspecified",
    "naamloos",
    "document",
    "titel",
    "title",
    "microsoft word",
    "powerpoint presentation",
    "anonymous",
    "(anonymous)",
}
_TITLE_SUFFIX = re.compile(
    r"\s*[-–|]\s*(?:lokale wet- en regelgeving|overheid\.nl|officiële bekendmakingen|"
    r"officielebekendmakingen\.nl|lokaleregelgeving\.overheid\.nl)\s*$",
    re.I,
)


@dataclass
class _PdfLine:
    text: str
    page: int
    x: float  # origin of the first character (pt)
    y: float  # baseline of the first character (pt, upwards)
    right: float  # right edge of the last character
    first_word_right: float  # right edge of the first word
    size: float
    bold: bool
    hyphen_end: bool = False  # pdfium saw a hyphenated word at the end of this line
    body: bool = False  # in the body text size (set by _to_lines)


@dataclass
class _Page:
    number: int
    top: float
    bottom: float
    lines: list[_PdfLine]


class _CharReader:
    """Raw pdfium calls with reused ctypes buffers and a cache of bold fonts (one per document)."""

    def __init__(self) -> None:
        self._x = ctypes.c_double()
        self._y = ctypes.c_double()
        self._left = ctypes.c_double()
        self._right = ctypes.c_double()
        self._bottom = ctypes.c_double()
        self._top = ctypes.c_double()
        self._flags = ctypes.c_int()
        self._name = ctypes.create_string_buffer(128)
        self._font_cache: dict[tuple[bytes, int], bool] = {}

    def identity_map(self, handle, length: int) -> bool:
        """Whether text indexes equal char indexes on this page (no inserted or excluded chars)."""
        if pdfium_c.FPDFText_CountChars(handle) != length:
            return False
        return all(
            pdfium_c.FPDFText_GetCharIndexFromTextIndex(handle, i) == i for i in {0, length // 2, length - 1}
        )

    def char_index(self, handle, text_index: int) -> int:
        index = pdfium_c.FPDFText_GetCharIndexFromTextIndex(handle, text_index)
        return index if index >= 0 else text_index

    def origin(self, handle, index: int) -> tuple[float, float]:
        if pdfium_c.FPDFText_GetCharOrigin(handle, index, self._x, self._y):
            return self._x.value, self._y.value
        self.box(handle, index)
        return self._left.value, self._bottom.value

    def right(self, handle, index: int) -> float:
        self.box(handle, index)
        return self._right.value

    def box(self, handle, index: int) -> None:
        if not pdfium_c.FPDFText_GetCharBox(handle, index, self._left, self._right, self._bottom, self._top):
            self._left.value = self._right.value = self._bottom.value = self._top.value = 0.0

    def font(self, handle, index: int) -> tuple[float, bool]:
        size = pdfium_c.FPDFText_GetFontSize(handle, index)
        length = pdfium_c.FPDFText_GetFontInfo(handle, index, self._name, len(self._name), self._flags)
        name = self._name.value if 0 < length <= len(self._name) else b""
        key = (name, self._flags.value)
        bold = self._font_cache.get(key)
        if bold is None:
            font_name = name.decode("latin-1").split("+", 1)[-1]
            bold = bool(_BOLD_FONT.search(font_name)) or bool(self._flags.value & _FORCE_BOLD_FLAG)
            if not bold:
                weight = pdfium_c.FPDFText_GetFontWeight(handle, index)
                bold = weight >= 600
            self._font_cache[key] = bold
        return size, bold

    def angle(self, handle, index: int) -> float:
        return pdfium_c.FPDFText_GetCharAngle(handle, index)


@dataclass
class PdfText:
    """What the PDF reader hands to the structurer (exposed for tests and diagnostics)."""

    lines: list[Line]
    title: str | None
    metadata: dict[str, str]
    warnings: list[str]
    dropped: list[Dropped] = field(default_factory=list)  # margins, page numbers, stamps left out


def read_pdf(data: bytes, name: str, limits: Limits) -> Document:
    with gc_paused():  # thousands of small line objects, no cycles (see nlp.gc_paused)
        text = extract_lines(data, name, limits)
        document = build_document(text.lines, format="pdf", name=name, title=text.title, metadata=text.metadata)
    document.warnings.extend(text.warnings)
    document.dropped[:0] = text.dropped
    return document


def extract_lines(data: bytes, name: str, limits: Limits) -> PdfText:
    """Clean lines in reading order with layout hints, plus title and metadata."""
    started = time.monotonic()
    _check_complete(data, name)
    pdf = _open(data, name)
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise MalformedDocument("het PDF-bestand bevat geen pagina's.", name)
        if page_count > limits.max_pages:
            raise LimitExceeded(
                f"de PDF heeft te veel pagina's ({page_count}; de grens is {limits.max_pages}).", name
            )
        metadata = _metadata(pdf, page_count)
        dropped: list[Dropped] = []
        pages = _extract_pages(pdf, page_count, name, limits, started, dropped)
    finally:
        pdf.close()

    for page in pages:
        page.lines = _reading_order(page.lines)
    printed = _printed_web_page(pages)
    _remove_running_lines(pages, dropped)
    empty_pages = [page.number for page in pages if not page.lines]
    if printed:
        _remove_site_footer(pages, dropped)
    if len(empty_pages) == len(pages):
        raise NeedsOCR(
            "de PDF bevat geen tekstlaag (gescande pagina's); herken de tekst eerst met OCR "
            "(bijvoorbeeld met ocrmypdf) of lever de verordening aan als Word-, HTML- of tekstbestand.",
            name,
        )
    lines, title_text = _to_lines(pages)
    title = _choose_title(metadata.pop("pdf_title", ""), title_text)
    warnings = []
    if empty_pages:
        listed = ", ".join(str(n) for n in empty_pages[:10]) + (" ..." if len(empty_pages) > 10 else "")
        warnings.append(
            f"{'Pagina' if len(empty_pages) == 1 else 'Pagina’s'} {listed} zonder tekst "
            "(gescand?); wat daarop staat is niet gelezen."
        )
    return PdfText(lines, title, metadata, warnings, dropped)


# --------------------------------------------------------------------------- opening


def _check_complete(data: bytes, name: str) -> None:
    if b"%PDF-" not in data[:1024]:
        raise MalformedDocument("dit is geen geldig PDF-bestand (de PDF-kop ontbreekt).", name)
    tail = data.rstrip(b"\x00\t\n\r\f ")[-4096:]
    if b"%%EOF" not in tail:
        raise MalformedDocument(
            "het PDF-bestand is onvolledig of beschadigd (het einde ontbreekt); "
            "download of exporteer het bestand opnieuw.",
            name,
        )


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (_ERR_PASSWORD, _ERR_SECURITY):
            raise EncryptedDocument(
                "het PDF-bestand is beveiligd met een wachtwoord; verwijder de beveiliging "
                "(of sla een onbeveiligde kopie op) en probeer het opnieuw.",
                name,
            ) from None
        raise MalformedDocument(
            "het PDF-bestand is beschadigd en kan niet worden gelezen; exporteer het opnieuw.", name
        ) from None


def _metadata(pdf: pdfium.PdfDocument, page_count: int) -> dict[str, str]:
    metadata = {"pages": str(page_count)}
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # broken info dictionary: metadata is optional
        return metadata
    for key, target in (("Author", "author"), ("Creator", "creator"), ("Producer", "producer")):
        value = _SPACES.sub(" ", info.get(key, "")).strip()
        if value and value.lower() not in _MEANINGLESS_TITLES:
            metadata[target] = value
    metadata["pdf_title"] = info.get("Title", "")
    return metadata


# --------------------------------------------------------------------------- extraction


def _extract_pages(
    pdf, page_count: int, name: str, limits: Limits, started: float, dropped: list[Dropped] | None = None
) -> list[_Page]:
    reader = _CharReader()
    pages: list[_Page] = []
    total_chars = 0
    for index in range(page_count):
        if time.monotonic() - started > limits.max_seconds:
            raise LimitExceeded(
                f"het lezen van de PDF duurt te lang (meer dan {limits.max_seconds:g} seconden, "
                f"gestopt bij pagina {index + 1} van {page_count}).",
                name,
            )
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            raise MalformedDocument(
                f"pagina {index + 1} van het PDF-bestand is beschadigd en kan niet worden gelezen.", name
            ) from None
        try:
            _left, bottom, _right, top = page.get_cropbox()
            try:
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                raise MalformedDocument(
                    f"pagina {index + 1} van het PDF-bestand is beschadigd en kan niet worden gelezen.", name
                ) from None
            try:
                text = textpage.get_text_range()
                total_chars += len(text)
                if total_chars > limits.max_text_chars:
                    raise LimitExceeded(
                        f"de PDF bevat te veel tekst (meer dan {limits.max_text_chars:,} tekens).".replace(",", "."),
                        name,
                    )
                lines = _page_lines(textpage.raw, text, index + 1, reader, dropped)
            finally:
                textpage.close()
        finally:
            page.close()
        pages.append(_Page(index + 1, max(top, bottom), min(top, bottom), lines))
    return pages


def _page_lines(
    handle, text: str, page_number: int, reader: _CharReader, dropped: list[Dropped] | None = None
) -> list[_PdfLine]:
    if not text or text.isspace():
        return []
    offsets = _utf16_offsets(text) if _ASTRAL.search(text) else None
    identity = offsets is None and reader.identity_map(handle, len(text))
    lines: list[_PdfLine] = []
    suspects: list[tuple[int, int]] = []
    start = 0
    breaks = [(m.start(), m.end(), m.group() == "\ufffe") for m in _LINE_BREAK.finditer(text)]
    breaks.append((len(text), len(text), False))
    for end, next_start, hyphen in breaks:
        segment = text[start:end]
        stripped = segment.strip()
        if stripped:
            first = start + len(segment) - len(segment.lstrip())
            last = end if hyphen else start + len(segment.rstrip()) - 1
            space = stripped.find(" ")
            word_end = first + (space if space > 0 else len(stripped)) - 1
            if offsets is not None:
                first, last, word_end = offsets[first], offsets[last], offsets[word_end]
            if not identity:
                first, last, word_end = (reader.char_index(handle, i) for i in (first, last, word_end))
            x, y = reader.origin(handle, first)
            size, bold = reader.font(handle, first)
            right = reader.right(handle, last)
            word_right = reader.right(handle, word_end) if word_end != last else right
            clean = stripped.translate(_LIGATURES)
            if hyphen:
                clean += "-"
            line = _PdfLine(clean, page_number, x, y, right, word_right, size, bold, hyphen)
            if len(clean) >= 4 and right - x < 0.2 * size * len(clean):
                suspects.append((len(lines), first))  # too narrow for its text: perhaps vertical
            lines.append(line)
        start = next_start
    if suspects:
        kept = _drop_rotated(lines, suspects, reader, handle)
        if dropped is not None and len(kept) != len(lines):
            kept_ids = {id(line) for line in kept}
            for line in lines:
                if id(line) not in kept_ids:
                    add_dropped(dropped, "rotated", line.text, SourceLocation(page=line.page))
        lines = kept
    return lines


def _utf16_offsets(text: str) -> list[int]:
    """UTF-16 index of every character (pdfium counts astral characters twice)."""
    offsets = []
    position = 0
    for char in text:
        offsets.append(position)
        position += 2 if ord(char) > 0xFFFF else 1
    offsets.append(position)
    return offsets


def _drop_rotated(lines: list[_PdfLine], suspects, reader: _CharReader, handle) -> list[_PdfLine]:
    """Drop lines that are not horizontal (a vertical stamp in the margin), unless all are."""
    rotated = {index for index, char in suspects if abs(math.sin(reader.angle(handle, char))) > 0.2}
    if not rotated or len(rotated) == len(lines):
        return lines
    return [line for index, line in enumerate(lines) if index not in rotated]


# --------------------------------------------------------------------------- running headers


def _noise_key(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", text.lower())).strip()


def _band(page: _Page, line: _PdfLine) -> str | None:
    height = page.top - page.bottom
    if height <= 0:
        return None
    if line.y >= page.top - _TOP_BAND * height:
        return "top"
    if line.y <= page.bottom + _BOTTOM_BAND * height:
        return "bottom"
    return None


def _remove_running_lines(pages: list[_Page], dropped: list[Dropped] | None = None) -> None:
    """Remove running headers/footers, page numbers and browser print margins in place.

    Per page, lines are examined from the top edge down and from the bottom edge up while
    they lie in the margin band; the walk stops at the first line that is not noise, so a
    body line is never removed from between two kept lines.
    """
    text_pages = [page for page in pages if page.lines]
    occurrences: dict[tuple[str, str], list[tuple[int, float, float]]] = defaultdict(list)
    for page in text_pages:
        for line in page.lines:
            band = _band(page, line)
            if band is not None:
                occurrences[(band, _noise_key(line.text))].append((page.number, line.y, line.size))

    needed = max(2, math.ceil(0.4 * len(text_pages)))

    def noise_kind(line: _PdfLine, band: str) -> str | None:
        text = line.text
        if _PAGE_NUMBER.match(text):
            return "page-number"
        if _PRINT_FOOTER.match(text) or (band == "top" and _PRINT_HEADER.match(text)):
            return "print-margin"
        if _STRUCTURAL.match(text):
            return None
        pages_seen = {
            number
            for number, y, size in occurrences[(band, _noise_key(text))]
            if abs(y - line.y) <= 6 and abs(size - line.size) <= 0.6
        }
        return "running-header" if len(pages_seen) >= needed else None

    for page in text_pages:
        noise: set[int] = set()
        by_height = sorted(page.lines, key=lambda line: -line.y)
        for band, ordered in (("top", by_height), ("bottom", by_height[::-1])):
            for line in ordered:
                kind = noise_kind(line, band) if _band(page, line) == band else None
                if kind is None:
                    break
                if id(line) not in noise and dropped is not None:
                    # a repeated header is counted, not listed per page: digits (page numbers) as "#"
                    text = _DIGITS.sub("#", line.text) if kind != "print-margin" else _PAGE_COUNTER.sub("", line.text)
                    add_dropped(dropped, kind, text, SourceLocation(page=page.number))
                noise.add(id(line))
        if noise:
            page.lines = [line for line in page.lines if id(line) not in noise]


_MAX_SITE_FOOTER_LINES = 6


def _printed_web_page(pages: list[_Page]) -> bool:
    """A web page printed by a browser: the URL in the bottom margin of most pages."""
    text_pages = [page for page in pages if page.lines]
    with_url = sum(
        1 for page in text_pages
        if any(_band(page, line) == "bottom" and _PRINT_FOOTER.match(line.text) and "/" in line.text
               for line in page.lines)
    )
    return bool(text_pages) and with_url >= max(1, len(text_pages) // 2)


def _remove_site_footer(pages: list[_Page], dropped: list[Dropped] | None = None) -> None:
    """Drop the footer of the web site (links, a slogan) from the end of a printed page.

    At the bottom of the last page: at most a few lines in a smaller font than the body
    text, set apart from the text above by a gap of more than two and a half lines. Web
    sites put their footer there ("Over deze site  Privacy  Contact ..."); kept, it would
    end the last section of the toelichting. A footer can start at the bottom of one page
    and end on the next: a last page holding nothing but such lines is emptied and the page
    before it is looked at too. Only for printed web pages (the browser's URL in the bottom
    margin), and never text in the body size.
    """
    text_pages = [page for page in pages if page.lines]
    if not text_pages:
        return
    body = _body_size([line for page in text_pages for line in page.lines])
    smaller = body - max(0.6, 0.06 * body)
    budget = _MAX_SITE_FOOTER_LINES
    for page in reversed(text_pages):
        bottom_up = sorted(page.lines, key=lambda line: line.y)
        footer: list[_PdfLine] = []
        for line in bottom_up:
            if line.size >= smaller or len(footer) >= budget:
                break
            footer.append(line)
        if not footer:
            return
        if len(footer) < len(page.lines):
            above = bottom_up[len(footer)]
            if above.size < smaller or above.y - footer[-1].y < 2.5 * body:
                return  # more small lines than a footer has, or not set apart from the text
            _note_lines(dropped, "site-footer", footer)
            removed = {id(line) for line in footer}
            page.lines = [line for line in page.lines if id(line) not in removed]
            return
        _note_lines(dropped, "site-footer", footer)
        page.lines = []  # the page holds only the end of the footer
        budget -= len(footer)


def _note_lines(dropped: list[Dropped] | None, kind: str, lines: list[_PdfLine]) -> None:
    if dropped is not None:
        for line in sorted(lines, key=lambda line: -line.y):
            add_dropped(dropped, kind, line.text, SourceLocation(page=line.page))


# --------------------------------------------------------------------------- reading order


def _reading_order(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Lines top to bottom, fragments on one baseline joined ("1." + "Het college ...").

    Content order is kept when it already runs top to bottom, or when the page has two
    columns of running text (sorting by height would interleave them); otherwise (a browser
    that draws a table's number column after its text column) the page is sorted by position.
    """
    if len(lines) < 2:
        return lines
    jumps = sum(1 for a, b in zip(lines, lines[1:]) if b.y > a.y + 0.5 * min(a.size, b.size))
    if jumps and not _two_columns(lines):
        lines = sorted(lines, key=lambda line: (-line.y, line.x))
    merged: list[_PdfLine] = [lines[0]]
    for line in lines[1:]:
        last = merged[-1]
        if abs(last.y - line.y) <= 0.3 * min(last.size, line.size) and line.x >= last.right - 1.0:
            merged[-1] = _join_fragments(last, line)
        else:
            merged.append(line)
    return merged


def _join_fragments(left: _PdfLine, right: _PdfLine) -> _PdfLine:
    label_only = len(left.text) <= 4  # "1.", "a.", "2°": the line's size and weight are the text's
    return _PdfLine(
        text=f"{left.text} {right.text}",
        page=left.page,
        x=left.x,
        y=left.y,
        right=right.right,
        first_word_right=left.first_word_right,
        size=right.size if label_only else left.size,
        bold=right.bold if label_only else left.bold,
        hyphen_end=right.hyphen_end,
    )


def _two_columns(lines: list[_PdfLine]) -> bool:
    """Several baselines carry two long pieces of text side by side."""
    by_row: dict[int, list[_PdfLine]] = defaultdict(list)
    for line in lines:
        by_row[round(line.y)].append(line)
    pairs = 0
    for row in by_row.values():
        if len(row) < 2:
            continue
        long_pieces = sorted((l for l in row if len(l.text) >= 25), key=lambda l: l.x)
        if any(b.x > a.right + 5 for a, b in zip(long_pieces, long_pieces[1:])):
            pairs += 1
    return pairs >= 5


# --------------------------------------------------------------------------- lines and hints


def _to_lines(pages: list[_Page]) -> tuple[list[Line], str]:
    all_lines = [line for page in pages for line in page.lines]
    body_size = _body_size(all_lines)
    tolerance = max(0.6, 0.06 * body_size)
    for line in all_lines:
        line.body = abs(line.size - body_size) <= tolerance
    leading = _leading(pages, body_size)
    # the text block's right edge: per document, shifted with the page's left margin (mirrored
    # margins), widened by the page's own long lines
    default_right = _percentile([l.right for l in all_lines if l.body] or [0.0], 0.9)
    default_left = _percentile([l.x for l in all_lines if l.body] or [0.0], 0.1)
    title_lines = _title_lines(pages, body_size)
    title_text = " ".join(line.text for line in title_lines)
    title_ids = {id(line) for line in title_lines}

    result: list[Line] = []
    previous: _PdfLine | None = None
    previous_right_margin = default_right
    for page in pages:
        if not page.lines:
            continue
        body_rights = [l.right for l in page.lines if l.body]
        body_lefts = [l.x for l in page.lines if l.body] or [page.lines[0].x]
        left_margin = _mode([round(x) for x in body_lefts])
        right_margin = default_right + (_percentile(body_lefts, 0.1) - default_left)
        if len(body_rights) >= 5:
            right_margin = max(right_margin, _percentile(body_rights, 0.9))
        for number, line in enumerate(page.lines, start=1):
            if previous is None:
                block_start = True
            elif previous.page == line.page:
                block_start = _starts_block(previous, line, leading, body_size, right_margin)
            else:
                block_start = _starts_block_after_page_break(previous, line, previous_right_margin)
            heading = None
            if id(line) in title_ids:
                if previous is not None and id(previous) in title_ids:
                    block_start = False
                else:
                    heading = "title"
                    block_start = True
            result.append(
                Line(
                    text=line.text,
                    location=SourceLocation(page=line.page, line=number),
                    block_start=block_start,
                    heading=heading,
                    bold=line.bold,
                    indent=round(line.x - left_margin, 1),
                )
            )
            previous = line
        previous_right_margin = right_margin
    return result, title_text


def _same_size(size: float, reference: float) -> bool:
    return abs(size - reference) <= max(0.6, 0.06 * reference)


def _body_size(lines: list[_PdfLine]) -> float:
    weights: Counter = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    size = weights.most_common(1)[0][0] if weights else 10.0
    return size if size > 0 else 10.0


def _leading(pages: list[_Page], body_size: float) -> float:
    """The normal distance between baselines of body text lines."""
    gaps: Counter = Counter()
    for page in pages:
        for previous, line in zip(page.lines, page.lines[1:]):
            if previous.body and line.body:
                dy = previous.y - line.y
                if 0.8 * body_size <= dy <= 2.5 * body_size:
                    gaps[round(dy * 2) / 2] += 1
    if not gaps:
        return 1.2 * body_size
    most = gaps.most_common(1)[0][1]
    # the smallest spacing that is about as common as the most common one (line spacing < paragraph spacing)
    return min(gap for gap, count in gaps.items() if count >= 0.5 * most)


def _starts_block(previous: _PdfLine, line: _PdfLine, leading: float, body_size: float, right_margin: float) -> bool:
    dy = previous.y - line.y
    size = max(previous.size, line.size)
    if dy < 0.5 * min(previous.size, line.size):
        return True  # same baseline (another column or cell) or a jump upwards
    if abs(previous.size - line.size) > max(0.6, 0.06 * size):
        return True
    expected = leading * size / body_size if body_size else leading
    if dy > expected * 1.2 + 1.0:
        return True
    if previous.hyphen_end:
        return False
    return _ended_early(previous, line, right_margin)


def _starts_block_after_page_break(previous: _PdfLine, line: _PdfLine, right_margin: float) -> bool:
    if previous.hyphen_end:
        return False
    if abs(previous.size - line.size) > max(0.6, 0.06 * max(previous.size, line.size)):
        return True
    return _ended_early(previous, line, right_margin)


def _ended_early(previous: _PdfLine, line: _PdfLine, right_margin: float) -> bool:
    """The previous line stopped although the next line's first word would have fitted."""
    room = right_margin - previous.right
    word = max(line.first_word_right - line.x, 0.0)
    return room > word + 0.6 * previous.size


def _title_lines(pages: list[_Page], body_size: float) -> list[_PdfLine]:
    """The title on the first page with text: a run of lines in large type (at least 1.25 × body).

    The first run that names a regulation ("Verordening ...", "Regeling ...") wins, else the run
    in the largest type, so that a letterhead such as "Gemeente Teststad" is not taken.
    """
    page = next((page for page in pages if page.lines), None)
    if page is None:
        return []
    runs: list[list[_PdfLine]] = []
    for line in page.lines:
        large = line.size >= 1.25 * body_size and len(line.text) >= 3 and not _STRUCTURAL.match(line.text)
        if not large:
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs or (runs[-1] and not _same_size(line.size, runs[-1][-1].size)) or len(runs[-1]) >= 4:
            runs.append([])
        runs[-1].append(line)
    runs = [run for run in runs if run]
    if not runs:
        return []
    named = [run for run in runs if _TITLE_WORDS.search(" ".join(line.text for line in run))]
    if named:
        return named[0]
    return max(runs, key=lambda run: run[0].size)


def _choose_title(meta_title: str, visual_title: str) -> str | None:
    """The metadata title when meaningful and not contradicted by the title on the first page."""
    title = _TITLE_SUFFIX.sub("", _SPACES.sub(" ", meta_title or "")).strip()
    if not _meaningful_title(title):
        return None
    if visual_title:
        a, b = _noise_key(title), _noise_key(visual_title.replace("- ", "-"))
        if not (a in b or b in a):
            return None  # let the structurer take the visible title
    return title


def _meaningful_title(title: str) -> bool:
    if len(title) < 4 or not re.search(r"[A-Za-zÀ-ÿ]{3}", title):
        return False
    lowered = title.lower()
    if lowered in _MEANINGLESS_TITLES or lowered.startswith("microsoft word - "):
        return False
    if re.search(r"\.(?:docx?|pdf|odt|rtf|txt|html?|dotx?)$", lowered) or re.match(r"^(?:document|naamloos)\s*\d*$", lowered):
        return False
    return True


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * (len(ordered) - 1) + 0.5))]


def _mode(values: list[int]) -> int:
    return Counter(values).most_common(1)[0][0]
