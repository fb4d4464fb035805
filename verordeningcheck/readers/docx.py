"""Word (.docx) reader: paragraphs in body order, with style hints and Word's automatic numbers.

The archive is checked before anything is decompressed (entry count, total size, compression
ratio, no DTDs in the XML parts). Every paragraph (also inside tables and content controls)
becomes one :class:`Line`; a soft line break inside a paragraph starts a continuation line.
Heading styles (``Title``/``Titel``, ``Heading 1``/``Kop 1``, or any style with an outline
level) give the ``heading`` hint. Automatic numbering (``w:numPr`` on the paragraph or its
style) is computed from ``numbering.xml`` the way Word counts and goes into ``Line.label``;
numbers typed in the text stay in the text.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..errors import LimitExceeded, MalformedDocument, UnsafeDocument
from ..limits import Limits
from ..model import Document, SourceLocation
from .base import Line
from .base import roman as base_roman  # (a local variable here is called roman)
from .frontmatter import letterhead_gemeente
from .structure import build_document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{%s}" % W_NS


def _w(tag: str) -> str:
    return _W + tag


# Subtrees whose text is not part of the visible paragraph text.
_SKIP_IN_PARAGRAPH = {
    _w("pPr"),
    _w("rPr"),
    _w("del"),
    _w("moveFrom"),
    _w("instrText"),
    _w("delText"),
    _w("delInstrText"),
    _w("txbxContent"),
    _w("footnoteReference"),
    _w("endnoteReference"),
    _w("commentReference"),
    _w("drawing"),
    _w("pict"),
    _w("object"),
    "{%s}Fallback" % MC_NS,
}
_CONTAINERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("moveTo")}
_TRUE_VALUES = {None, "1", "true", "on"}

_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)
_SMALL_ENTRY = 64 * 1024  # below this size a high compression ratio is harmless
_XML_HEAD = 2048

_BULLETS = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf0d8": "•",
    "\uf076": "•",
    "\uf0fc": "•",
    "\uf02d": "-",
    "o": "◦",
    "·": "•",
}
_BULLET_LABELS = {"•", "▪", "◦", "-", "–", "—", "*", "·"}
_HEADING_NAME = re.compile(r"^(?:heading|kop|überschrift|titre)\s*[1-9]$")
_TITLE_NAMES = {"title", "titel"}
_CONTENTS_STYLE = re.compile(r"^(?:toc\d|tocheading|inhopg\d|kopvaninhoudsopgave)$")
_MEANINGLESS_TITLES = {"", "title", "titel", "document", "naamloos", "untitled", "microsoft word"}


@dataclass
class DocxText:
    """What the DOCX reader hands to the structurer (exposed for tests and diagnostics)."""

    lines: list[Line]
    title: str | None
    gemeente: str | None
    metadata: dict[str, str]


def read_docx(data: bytes, name: str, limits: Limits) -> Document:
    text = extract_lines(data, name, limits)
    return build_document(
        text.lines, format="docx", name=name, title=text.title, gemeente=text.gemeente, metadata=text.metadata
    )


def extract_lines(data: bytes, name: str, limits: Limits) -> DocxText:
    """One line per paragraph (continuation lines for soft line breaks), with hints and labels."""
    _check_archive(data, name, limits)
    import docx  # python-docx; imported late, it is only needed here

    try:
        word = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, AttributeError) as exc:
        raise MalformedDocument(
            f"het Word-bestand is beschadigd en kan niet worden gelezen ({type(exc).__name__}).", name
        ) from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError etc.
        raise MalformedDocument(
            f"het Word-bestand kan niet worden gelezen ({type(exc).__name__}).", name
        ) from None

    styles = _Styles(_part_element(word.part, "styles"))
    numbering = _Numbering(_part_element(word.part, "numbering"), styles)
    body = getattr(word.element, "body", None)  # None when document.xml has no w:document/w:body
    if body is None:
        raise MalformedDocument(
            "het Word-bestand is beschadigd: de documenttekst (word/document.xml) heeft geen w:body.", name
        )
    lines = _body_lines(body, styles, numbering, name, limits)

    title, gemeente, metadata = _core_properties(word)
    if title and not _title_is_visible(title, lines):
        title = None  # stale properties (a template's title): let the structurer take the visible one
    return DocxText(lines, title, gemeente, metadata)


def _title_is_visible(title: str, lines: list[Line]) -> bool:
    """The properties' title matches the Title paragraph, or else one of the opening paragraphs."""
    hinted = [line.text for line in lines if line.heading == "title"]
    if hinted:
        return _similar(title, hinted[0])
    return any(_similar(title, line.text) for line in lines[:15] if line.text)


# --------------------------------------------------------------------------- archive safety


def _check_archive(data: bytes, name: str, limits: Limits) -> None:
    """Reject archive bombs and XML with DTDs before python-docx decompresses anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise MalformedDocument("het Word-bestand is beschadigd (geen geldig ZIP-archief).", name) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_archive_entries:
            raise UnsafeDocument(
                f"het Word-bestand bevat te veel onderdelen ({len(entries)}; de grens is "
                f"{limits.max_archive_entries}) en wordt uit veiligheidsoverwegingen niet geopend.",
                name,
            )
        total = sum(entry.file_size for entry in entries)
        if total > limits.max_uncompressed_bytes:
            raise UnsafeDocument(
                f"het Word-bestand is uitgepakt te groot ({total / 1048576:.0f} MB; de grens is "
                f"{limits.max_uncompressed_bytes / 1048576:.0f} MB) en wordt uit veiligheidsoverwegingen "
                "niet geopend (mogelijk een zip-bom).",
                name,
            )
        for entry in entries:
            if entry.file_size <= _SMALL_ENTRY:
                continue
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise UnsafeDocument(
                    f"het Word-bestand bevat een onderdeel dat extreem sterk is gecomprimeerd "
                    f"({entry.filename}: factor {ratio:.0f}; de grens is {limits.max_compression_ratio:g}) "
                    "en wordt uit veiligheidsoverwegingen niet geopend (mogelijk een zip-bom).",
                    name,
                )
        if "word/document.xml" not in archive.namelist() and "[Content_Types].xml" not in archive.namelist():
            raise MalformedDocument("dit ZIP-archief is geen Word-document (.docx).", name)
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(entry) as stream:
                    has_dtd = _has_dtd(stream)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
                raise MalformedDocument(
                    f"het Word-bestand is beschadigd ({entry.filename} kan niet worden uitgepakt).", name
                ) from None
            if has_dtd:
                raise UnsafeDocument(
                    f"het Word-bestand bevat een DTD of entiteiten ({entry.filename}); "
                    "dat komt in normale Word-bestanden niet voor en wordt uit veiligheidsoverwegingen geweigerd.",
                    name,
                )


# "<!DOCTYPE" and "<!ENTITY" as raw bytes (UTF-8 or UTF-16 parts): in text they would be escaped
# ("&lt;!DOCTYPE"), so anywhere in a part they are a declaration. The whole part is scanned:
# checking only its first 2 kB let a long comment before the DOCTYPE slip past.
_DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_MARKER_OVERLAP = max(len(marker) for marker in _DTD_MARKERS) - 1


def _has_dtd(stream) -> bool:
    tail = b""
    while True:
        chunk = stream.read(_XML_HEAD * 32)
        if not chunk:
            return False
        window = tail + chunk
        if any(marker in window for marker in _DTD_MARKERS):
            return True
        tail = window[-_MARKER_OVERLAP:]


def _part_element(document_part, kind: str):
    """The parsed XML root of the styles or numbering part, or None when absent."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    reltype = RT.STYLES if kind == "styles" else RT.NUMBERING
    try:
        part = document_part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:  # a part python-docx did not parse: parse it ourselves, safely
        return etree.fromstring(part.blob, _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None


# --------------------------------------------------------------------------- styles


@dataclass
class _Style:
    style_id: str
    name: str
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    bold: bool | None = None


class _Styles:
    def __init__(self, root) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for element in root.iterfind(_w("style")):
            style_id = element.get(_w("styleId")) or ""
            name_el = element.find(_w("name"))
            style = _Style(style_id, (name_el.get(_w("val")) if name_el is not None else "") or "")
            based = element.find(_w("basedOn"))
            if based is not None:
                style.based_on = based.get(_w("val"))
            ppr = element.find(_w("pPr"))
            if ppr is not None:
                numpr = ppr.find(_w("numPr"))
                if numpr is not None:
                    style.num_id = _val(numpr.find(_w("numId")))
                    style.ilvl = _int(_val(numpr.find(_w("ilvl"))))
                style.outline = _int(_val(ppr.find(_w("outlineLvl"))))
            rpr = element.find(_w("rPr"))
            if rpr is not None:
                style.bold = _toggle(rpr.find(_w("b")))
            self.styles[style_id] = style
            if element.get(_w("type")) == "paragraph" and element.get(_w("default")) in ("1", "true"):
                self.default_paragraph = style_id

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def heading_hint(self, style_id: str | None) -> str | None:
        for style in self.chain(style_id):
            for label in (style.name, style.style_id):
                key = label.strip().lower()
                if key in _TITLE_NAMES:
                    return "title"
                if _HEADING_NAME.match(key) or _HEADING_NAME.match(re.sub(r"(\D)(\d)$", r"\1 \2", key)):
                    return "heading"
            if style.outline is not None and 0 <= style.outline <= 8:
                return "heading"
        return None

    def is_contents(self, style_id: str | None) -> bool:
        """A table-of-contents entry or its heading ("toc 1", "Inhopg 1", "TOC Heading")."""
        style = self.styles.get(style_id or "")
        if style is None:
            return False
        return any(_CONTENTS_STYLE.match(re.sub(r"\s+", "", label.lower())) for label in (style.name, style.style_id))

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None

    def bold(self, style_id: str | None) -> bool | None:
        for style in self.chain(style_id):
            if style.bold is not None:
                return style.bold
        return None


# --------------------------------------------------------------------------- numbering


@dataclass
class _Level:
    start: int = 0
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None
    legal: bool = False
    style: str | None = None


@dataclass
class _Abstract:
    levels: dict[int, _Level] = field(default_factory=dict)
    num_style_link: str | None = None


@dataclass
class _Num:
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, _Level] = field(default_factory=dict)


class _Numbering:
    """Word's list numbering: counters shared per abstractNum, restarts by startOverride and lvlRestart."""

    def __init__(self, root, styles: _Styles) -> None:
        self.abstracts: dict[str, _Abstract] = {}
        self.nums: dict[str, _Num] = {}
        self.styles = styles
        self.counters: dict[str, list[int | None]] = {}
        self.pending_start: dict[str, dict[int, int]] = {}
        self.used_nums: set[str] = set()
        if root is None:
            return
        for element in root.iterfind(_w("abstractNum")):
            abstract = _Abstract(num_style_link=_val(element.find(_w("numStyleLink"))))
            for lvl in element.iterfind(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")))
                if ilvl is not None and 0 <= ilvl <= 8:
                    abstract.levels[ilvl] = _parse_level(lvl)
            self.abstracts[element.get(_w("abstractNumId")) or ""] = abstract
        for element in root.iterfind(_w("num")):
            abstract_id = _val(element.find(_w("abstractNumId")))
            if abstract_id is None:
                continue
            num = _Num(abstract_id)
            for override in element.iterfind(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")))
                if ilvl is None or not 0 <= ilvl <= 8:
                    continue
                start = _int(_val(override.find(_w("startOverride"))))
                if start is not None:
                    num.start_overrides[ilvl] = start
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    num.level_overrides[ilvl] = _parse_level(lvl)
                    if start is None and lvl.find(_w("start")) is not None:
                        num.start_overrides[ilvl] = num.level_overrides[ilvl].start
            self.nums[element.get(_w("numId")) or ""] = num

    def _resolve(self, num_id: str) -> tuple[str, _Abstract] | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        abstract_id = num.abstract_id
        abstract = self.abstracts.get(abstract_id)
        for _ in range(3):  # follow numStyleLink to the abstractNum that holds the levels
            if abstract is None or not abstract.num_style_link or abstract.levels:
                break
            linked_num, _ilvl = self.styles.numbering(abstract.num_style_link)
            linked = self.nums.get(linked_num or "")
            if linked is None:
                break
            abstract_id = linked.abstract_id
            abstract = self.abstracts.get(abstract_id)
        if abstract is None:
            return None
        return abstract_id, abstract

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        resolved = self._resolve(num_id)
        if resolved and style_id:
            for ilvl, level in resolved[1].levels.items():
                if level.style == style_id:
                    return ilvl
        return 0

    def next_label(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """Advance the list of ``num_id`` at level ``ilvl``; return (label, is_bullet)."""
        resolved = self._resolve(num_id)
        if resolved is None:
            return None, False
        abstract_id, abstract = resolved
        num = self.nums[num_id]
        levels = {**abstract.levels, **num.level_overrides}
        if ilvl not in levels:
            return None, False
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        pending = self.pending_start.setdefault(abstract_id, {})
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for level, start in num.start_overrides.items():
                counters[level] = None
                pending[level] = start
        level = levels[ilvl]
        if counters[ilvl] is None:
            counters[ilvl] = pending.pop(ilvl, level.start)
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            limit = deeper if restart is None else restart
            if ilvl < limit:
                counters[deeper] = None
        if level.fmt == "bullet":
            return _bullet(level.text or ""), True
        if level.text is None:
            return None, False

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            ref = levels.get(index)
            if ref is None:
                return ""
            count = counters[index]
            if count is None:
                count = pending.get(index, ref.start)
            fmt = "decimal" if level.legal and index < ilvl else ref.fmt
            return _format_number(count, fmt)

        label = re.sub(r"%([1-9])", value, level.text).strip()
        return (label or None), False


def _parse_level(element) -> _Level:
    level = _Level()
    start = _int(_val(element.find(_w("start"))))
    if start is not None:
        level.start = start
    fmt = _val(element.find(_w("numFmt")))
    if fmt:
        level.fmt = fmt
    text_el = element.find(_w("lvlText"))
    if text_el is not None:
        level.text = text_el.get(_w("val")) or ""
    level.restart = _int(_val(element.find(_w("lvlRestart"))))
    level.legal = _toggle(element.find(_w("isLgl"))) or False
    level.style = _val(element.find(_w("pStyle")))
    return level


def _bullet(text: str) -> str:
    text = text.strip()
    if not text:
        return "•"
    mapped = _BULLETS.get(text)
    if mapped:
        return mapped
    if text in _BULLET_LABELS or text in ("●", "○"):
        return text
    return "•"


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        if value <= 0 or value > 26 * 100:  # w:start="10000000000" would repeat a letter 400 million times
            return str(value)
        # Word repeats the letter after z: aa, bb, ...
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = base_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        return f"{value}e"
    if fmt == "none":
        return ""
    return str(value)


# --------------------------------------------------------------------------- body


def _body_lines(body, styles: _Styles, numbering: _Numbering, name: str, limits: Limits) -> list[Line]:
    lines: list[Line] = []
    total = 0
    for index, paragraph in enumerate(_iter_paragraphs(body), start=1):
        ppr = paragraph.find(_w("pPr"))
        style_id = _val(ppr.find(_w("pStyle"))) if ppr is not None else None
        style_id = style_id or styles.default_paragraph
        if styles.is_contents(style_id):
            continue  # the table of contents would read as a list of empty articles
        label, level = _paragraph_number(ppr, style_id, styles, numbering)
        heading = styles.heading_hint(style_id)
        if heading is None and ppr is not None:
            outline = _int(_val(ppr.find(_w("outlineLvl"))))
            if outline is not None and 0 <= outline <= 8:
                heading = "heading"
        text, bold = _paragraph_text(paragraph, styles, styles.bold(style_id))
        total += len(text)
        if total > limits.max_text_chars:
            raise LimitExceeded(
                f"het Word-bestand bevat te veel tekst (meer dan {limits.max_text_chars:,} tekens).".replace(",", "."),
                name,
            )
        parts = [part.strip() for part in text.split("\n")]
        if not any(parts) and not (label and label not in _BULLET_LABELS):
            continue
        parts = [part for part in parts if part] or [""]
        location = SourceLocation(line=index)
        for position, part in enumerate(parts):
            first = position == 0
            lines.append(
                Line(
                    text=part,
                    location=location,
                    block_start=first,
                    heading=heading if first else None,
                    bold=bold,
                    label=label if first else None,
                    indent=float(level) if level is not None else None,
                )
            )
    return lines


def _iter_paragraphs(container):
    """Paragraphs in body order, descending into tables and content controls (not text boxes)."""
    stack = [iter(container)]
    while stack:
        try:
            element = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        tag = element.tag
        if tag == _w("p"):
            yield element
        elif tag in (_w("tbl"), _w("tr"), _w("tc")) or tag in _CONTAINERS:
            stack.append(iter(element))


def _paragraph_number(ppr, style_id, styles: _Styles, numbering: _Numbering) -> tuple[str | None, int | None]:
    num_id, ilvl = styles.numbering(style_id)
    from_style = num_id is not None
    numpr = ppr.find(_w("numPr")) if ppr is not None else None
    if numpr is not None:
        direct_num = _val(numpr.find(_w("numId")))
        direct_ilvl = _int(_val(numpr.find(_w("ilvl"))))
        if direct_num is not None:
            num_id = direct_num
            from_style = False
        if direct_ilvl is not None:
            ilvl = direct_ilvl
    if num_id is None or num_id == "0":
        return None, None
    if ilvl is None:
        ilvl = numbering.level_for_style(num_id, style_id) if from_style else 0
    ilvl = min(max(ilvl, 0), 8)
    label, _bullet_label = numbering.next_label(num_id, ilvl)
    return label, ilvl


def _paragraph_text(paragraph, styles: _Styles, style_bold: bool | None) -> tuple[str, bool]:
    """Visible text of a paragraph and whether all of its text is bold."""
    pieces: list[str] = []
    all_bold = True
    has_text = False
    stack = [iter(paragraph)]
    while stack:
        try:
            element = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
            continue
        if tag == _w("r"):
            rpr = element.find(_w("rPr"))
            if rpr is not None and _toggle(rpr.find(_w("vanish"))):
                continue  # hidden text
            bold = _toggle(rpr.find(_w("b"))) if rpr is not None else None
            if bold is None and rpr is not None:
                bold = styles.bold(_val(rpr.find(_w("rStyle"))))
            if bold is None:
                bold = bool(style_bold)
            for child in element:
                ctag = child.tag
                if ctag == _w("t"):
                    text = child.text or ""
                    pieces.append(text)
                    if text.strip():
                        has_text = True
                        all_bold = all_bold and bold
                elif ctag in (_w("tab"), _w("ptab")):
                    pieces.append("\t")
                elif ctag in (_w("br"), _w("cr")):
                    if child.get(_w("type")) not in ("page", "column"):
                        pieces.append("\n")
                elif ctag == _w("noBreakHyphen"):
                    pieces.append("-")
                elif ctag == _w("sym"):
                    pieces.append(_symbol(child.get(_w("char"))))
                elif ctag == "{%s}AlternateContent" % MC_NS:
                    stack.append(iter(child))
        elif tag == "{%s}AlternateContent" % MC_NS or tag == "{%s}Choice" % MC_NS:
            stack.append(iter(element))
        else:
            # hyperlinks, fields, smart tags, insertions, content controls inside the paragraph
            stack.append(iter(element))
    text = "".join(pieces).replace("\u00a0", " ").replace("\u00ad", "")
    return text, has_text and all_bold


def _symbol(code: str | None) -> str:
    if not code:
        return ""
    try:
        char = chr(int(code, 16))
    except ValueError:
        return ""
    return _BULLETS.get(char, "" if "\ue000" <= char <= "\uf8ff" else char)


# --------------------------------------------------------------------------- properties


def _core_properties(word) -> tuple[str | None, str | None, dict[str, str]]:
    metadata: dict[str, str] = {}
    try:
        core = word.core_properties
        title = (core.title or "").strip()
        author = (core.author or "").strip()
        fields = [core.author, core.category, core.subject, core.keywords, core.last_modified_by]
        created, modified = core.created, core.modified
    except Exception:  # broken docProps/core.xml: properties are optional
        return None, None, metadata
    if author:
        metadata["author"] = author
    if created:
        metadata["created"] = created.date().isoformat()
    if modified:
        metadata["modified"] = modified.date().isoformat()
    gemeente = None
    for value in fields:
        gemeente = letterhead_gemeente(value)
        if gemeente:
            break
    title = re.sub(r"\s+", " ", title)
    if title.lower() in _MEANINGLESS_TITLES or re.search(r"\.(?:docx?|dotx?|pdf)$", title.lower()) or len(title) < 4:
        title = None
    return title or None, gemeente, metadata


def _similar(a: str, b: str) -> bool:
    a, b = (re.sub(r"\s+", " ", s).strip().lower() for s in (a, b))
    return a in b or b in a


# --------------------------------------------------------------------------- XML helpers


def _val(element) -> str | None:
    return element.get(_w("val")) if element is not None else None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _toggle(element) -> bool | None:
    """A Word on/off property: absent → None; ``<w:b/>`` or val true → True; val false → False."""
    if element is None:
        return None
    return element.get(_w("val")) in _TRUE_VALUES
