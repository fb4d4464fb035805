"""Reader for HTML ordinances.

Three kinds of page are recognised:

(a) zoek.officielebekendmakingen.nl publications: only ``div.officiele-publicatie`` is read.
    Its ``_p_<name>`` class names are the op-xsd element names, so the div is rebuilt as an
    op-xsd element tree and mapped by the same :class:`~.xml.RegelingMapper` as the XML.
(b) lokaleregelgeving.overheid.nl pages and (c) other municipal HTML: site chrome is removed
    (header, navigation, footer, breadcrumbs, search forms, cookie banners, scripts, tables of
    contents), the metadata table ("Organisatie", "Citeertitel", ...) is read and removed,
    and the remaining content is turned into :class:`~.base.Line` objects in document order
    for :func:`~.structure.build_document`.

The page is parsed with ``lxml.html`` (libxml2's forgiving HTML parser) without network
access; scripts are dropped before anything is read and are never executed.
"""
from __future__ import annotations

import codecs
import re
from typing import Iterator

import lxml.html
from lxml import etree

from ..errors import EmptyDocument, LimitExceeded, MalformedDocument
from ..limits import Limits
from ..model import Document, SourceLocation
from .base import Line, roman
from .frontmatter import METADATA_LABELS, add_dropped, chrome_kind, strip_site_suffix
from .xml import ElementPaths, RegelingMapper, finish_document, map_op_publication, normalize_space

__all__ = ["read_html"]

# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def _decode(data: bytes) -> str:
    """Decode the page: BOM, then a declared charset, then UTF-8, then Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    for rx in (_CHARSET_RE, _XML_ENCODING_RE):
        m = rx.search(head)
        if m:
            try:
                codec = codecs.lookup(m.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                continue
            if codec.name not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):  # a lie in an 8-bit file
                try:
                    return data.decode(codec.name)
                except UnicodeDecodeError:
                    break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# Characters that XML forbids (control characters, U+FFFE/U+FFFF): libxml2's HTML parser keeps
# them, also from references like "&#1;", but lxml refuses to assign them to an element
# (ValueError) when text is moved (_remove) or copied into the tree rebuilt for a publication.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NOT_XML_SPACE = re.compile("[\x0b\x0c]")
# ``_p_<name>`` classes become element names; anything else is not a known element anyway.
_TAG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


def _xml_text(text: str | None) -> str | None:
    """``text`` without characters lxml cannot store (vertical tab and form feed become spaces)."""
    if text and (_NOT_XML.search(text) or _NOT_XML_SPACE.search(text)):
        return _NOT_XML_SPACE.sub(" ", _NOT_XML.sub("", text))
    return text


def _parse(data: bytes, name: str) -> etree._Element:
    text = _decode(data)
    if not text.strip():
        raise EmptyDocument("het HTML-bestand is leeg.", name)
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        recover=True,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise MalformedDocument(f"het HTML-bestand kan niet worden gelezen: {exc}", name) from None
    if root is None:
        raise MalformedDocument("het HTML-bestand bevat geen elementen.", name)
    if any("excessive depth" in (entry.message or "").lower() for entry in parser.error_log):
        # the parser would silently drop everything below that depth
        raise LimitExceeded("het HTML-bestand is te diep genest (meer dan 256 niveaus).", name)
    return root


# Never read, never kept: active or non-text content.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "audio", "video", "source", "track", "link", "base",
)


def _drop_active_content(root: etree._Element) -> None:
    for el in list(root.iter(*_DROP_TAGS)):
        _remove(el)


def _remove(el: etree._Element) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:
        if previous is not None:
            previous.tail = _xml_text((previous.tail or "") + tail)
        else:
            parent.text = _xml_text((parent.text or "") + tail)


def _classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


# ---------------------------------------------------------------------------
# Head metadata
# ---------------------------------------------------------------------------

_META_KEYS = {
    "dc.title": "title",
    "dc.identifier": "identifier",
    "dcterms.identifier": "identifier",
    "dc.creator": "creator",
    "dcterms.creator": "creator",
    "overheid.authority": "authority",
    "dcterms.modified": "modified",
    "dcterms.available": "available",
    "dcterms.issued": "issued",
    "overheidop.publicationname": "publicatieblad",
    "dc.type": "type",
    "overheid.category": "category",
}


def _head_metadata(root: etree._Element) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or "").strip()
        content = normalize_space(meta.get("content"))
        if not key or not content:
            continue
        mapped = _META_KEYS.get(key.lower())
        if mapped:
            values.setdefault(mapped, []).append(content)
    return {k: "; ".join(dict.fromkeys(v)) for k, v in values.items()}


def _gemeente_from(value: str | None) -> str | None:
    value = normalize_space(value)
    if not value:
        return None
    return re.sub(r"^gemeente\s+", "", value, flags=re.I) or None


def _page_title(root: etree._Element) -> str:
    title_el = root.find(".//title")
    if title_el is None:
        return ""
    return strip_site_suffix(normalize_space(title_el.text_content()))


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def read_html(data: bytes, name: str, limits: Limits) -> Document:
    """Read an HTML page with an ordinance into a :class:`Document`."""
    if len(data) > limits.max_bytes:
        raise LimitExceeded("het bestand is te groot.", name)
    root = _parse(data, name)
    # paths are those of the page as served, computed before anything is removed
    paths = ElementPaths(root)
    _drop_active_content(root)
    head = _head_metadata(root)
    publication = next(
        (el for el in root.iter("div") if "officiele-publicatie" in _classes(el)), None
    )
    if publication is not None:
        return _read_publication(paths, publication, head, name, limits)
    return _read_generic(paths, root, head, name, limits)


# ---------------------------------------------------------------------------
# (a) officielebekendmakingen: rebuild the op-xsd tree from the _p_ classes
# ---------------------------------------------------------------------------

_P_ALIASES = {
    "common-al": "al",
    "last-al": "al",
    "first-al": "al",
    "single-kop-titel": "kop",
    "li-nr": "li.nr",
    "li_nr": "li.nr",
    "linr": "li.nr",
    "lid-nr": "lidnr",
    "lid_nr": "lidnr",
}
_HTML_TO_OP = {
    "p": "al",
    "ol": "lijst",
    "ul": "lijst",
    "li": "li",
    "table": "table",
    "tr": "row",
    "td": "entry",
    "th": "entry",
    "strong": "vet",
    "b": "vet",
    "em": "cursief",
    "i": "cursief",
    "br": "br",
    "sup": "sup",
    "sub": "sub",
    "h1": "kop", "h2": "kop", "h3": "kop", "h4": "kop", "h5": "kop", "h6": "kop",
}
_SRC_PATH = "data-src-path"
_SRC_LINE = "data-src-line"


def _op_name(el: etree._Element) -> str | None:
    for cls in _classes(el):
        if cls.startswith("_p_") and len(cls) > 3:
            name = cls[3:].lower()
            name = _P_ALIASES.get(name, name)
            if name.endswith("-kop") or name.endswith("_kop"):
                return "kop"
            if name.endswith("-al") and name not in ("regeling-al",):
                return "al"
            if not _TAG_NAME.match(name):
                continue  # "_p_tit–el": not an element name (damaged or hostile page)
            return name
    return _HTML_TO_OP.get(el.tag if isinstance(el.tag, str) else "")


def _rebuild(html_el: etree._Element, paths: ElementPaths) -> etree._Element:
    """An op-xsd-like element tree for ``div.officiele-publicatie`` (tags from ``_p_`` classes)."""
    root = etree.Element("officiele-publicatie")
    root.set(_SRC_PATH, _xml_text(paths(html_el)))  # tag names may hold control characters
    if html_el.sourceline:
        root.set(_SRC_LINE, str(html_el.sourceline))
    _append_text(root, html_el.text)
    for child in html_el:
        _convert(child, root, paths)
    return root


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = _xml_text((last.tail or "") + text)
    else:
        parent.text = _xml_text((parent.text or "") + text)


def _convert(el: etree._Element, parent: etree._Element, paths: ElementPaths) -> None:
    if not isinstance(el.tag, str):
        _append_text(parent, el.tail)
        return
    if el.tag in ("input", "button", "select", "textarea", "img") or "verberg" in _classes(el):
        _append_text(parent, el.tail)
        return
    name = _op_name(el)
    if name is None:
        # transparent wrapper (div without class, span, a): keep its text in place
        _append_text(parent, el.text)
        for child in el:
            _convert(child, parent, paths)
        _append_text(parent, el.tail)
        return
    node = etree.SubElement(parent, name)
    node.set(_SRC_PATH, _xml_text(paths(el)))
    if el.sourceline:
        node.set(_SRC_LINE, str(el.sourceline))
    if el.tag in ("ol", "ul") and name == "lijst":
        counter = _ListCounter(el)
        node.text = _xml_text(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag == "li":
                label = counter.next(child)
                li = _convert_li(child, node, paths, label)
                li.tail = _xml_text(child.tail)
            else:
                _convert(child, node, paths)
    else:
        node.text = _xml_text(el.text)
        for child in el:
            _convert(child, node, paths)
    node.tail = _xml_text(el.tail)


def _convert_li(el: etree._Element, parent: etree._Element, paths: ElementPaths, label: str | None):
    node = etree.SubElement(parent, "li")
    node.set(_SRC_PATH, _xml_text(paths(el)))
    if el.sourceline:
        node.set(_SRC_LINE, str(el.sourceline))
    if label and not _starts_with_label(normalize_space(el.text_content())):
        node.set("nr", label)
    node.text = _xml_text(el.text)
    for child in el:
        _convert(child, node, paths)
    return node


def _read_publication(
    paths: ElementPaths, div: etree._Element, head: dict[str, str], name: str, limits: Limits
) -> Document:
    document = Document(format="html", source_name=name)
    document.metadata.update(head)
    document.title = head.get("title", "")
    document.gemeente = _gemeente_from(head.get("creator") or head.get("authority"))
    op_root = _rebuild(div, paths)

    def locate(el: etree._Element) -> SourceLocation:
        line = el.get(_SRC_LINE)
        return SourceLocation(path=el.get(_SRC_PATH), line=int(line) if line else None)

    mapper = RegelingMapper(document, locate)
    map_op_publication(op_root, mapper)
    finish_document(mapper, name, limits)
    return document


# ---------------------------------------------------------------------------
# (b)/(c) lokaleregelgeving and other HTML: strip chrome, then lines
# ---------------------------------------------------------------------------

_CHROME_ROLES = {
    "navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog", "menu", "menubar",
    "toolbar",
}
_CHROME_TOKEN_RE = re.compile(
    r"^(?:site-?|page-?|main-?|global-?)?(?:header|footer|nav|navbar|navigation|menu|menubar|sidebar|"
    r"breadcrumbs?|broodkruimels?|kruimelpad|crumbs?|skip-?links?|skiplinks?|skip|toc|"
    r"inhoudsopgave|inhouds-opgave|table-of-contents|search|zoeken|zoek|searchbox|share|social|"
    r"cookie.*|cookiebar|consent|banner|tekstueel|verberg|hidden|aspnethidden|print-?button|"
    r"servicenavigatie|service-navigatie|hoofd-navigatie|nav-main|footer-links|feedback)$",
    re.I,
)
_CHROME_CONTAINS_RE = re.compile(r"cookie|breadcrumb|broodkruimel|inhoudsopgave|skiplink|navigatie", re.I)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# label in the metadata table -> metadata key (the vocabulary is shared with the text readers,
# where a flattened table glues the labels to their values)
_TABLE_KEYS = METADATA_LABELS


def _is_chrome(el: etree._Element) -> bool:
    tag = el.tag
    if tag in ("nav", "aside", "button", "input", "select", "textarea", "label", "dialog", "menu"):
        return True
    if tag in ("header", "footer"):
        return not any(a.tag in ("article", "section") for a in el.iterancestors())
    if tag == "form":
        role = (el.get("role") or "").lower()
        marker = " ".join([el.get("id") or "", el.get("class") or "", el.get("action") or ""])
        return role == "search" or bool(re.search(r"search|zoek", marker, re.I))
    role = (el.get("role") or "").lower()
    if role in _CHROME_ROLES:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    if _HIDDEN_STYLE_RE.search(el.get("style") or ""):
        return True
    tokens = _classes(el) + ([el.get("id")] if el.get("id") else [])
    for token in tokens:
        if _CHROME_TOKEN_RE.match(token) or _CHROME_CONTAINS_RE.search(token):
            return True
    return False


def _note_dropped(dropped: list | None, kind: str, el: etree._Element, paths: ElementPaths | None) -> None:
    """Record the text of ``el``, about to be removed, in ``dropped`` (when given)."""
    if dropped is not None:
        location = SourceLocation(path=paths(el), line=el.sourceline) if paths else None
        add_dropped(dropped, kind, normalize_space(el.text_content()), location)


def _strip_chrome(root: etree._Element, content: etree._Element, dropped: list | None = None,
                  paths: ElementPaths | None = None) -> None:
    """Remove site chrome; never the content element or one of its ancestors. What is removed
    (with text) is recorded in ``dropped``."""
    protected = {content, *content.iterancestors()}
    removed: set = set()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el in protected:
            continue
        if _is_chrome(el) or (el.tag in ("ul", "ol") and _is_link_list(el)):
            if not any(a in removed for a in el.iterancestors()):
                _note_dropped(dropped, "site-chrome", el, paths)
            removed.add(el)
            _remove(el)


def _is_link_list(el: etree._Element) -> bool:
    """A list whose every item is just one link: navigation, not regulation text."""
    items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
    if len(items) < 2:
        return False
    for li in items:
        links = li.findall(".//a")
        if len(links) != 1 or not links[0].get("href"):
            return False
        if normalize_space(li.text_content()) != normalize_space(links[0].text_content()):
            return False
    return True


def _cell_text(cell: etree._Element) -> str:
    parts: list[str] = []
    for piece in _text_pieces(cell):
        parts.append(piece)
    text = "".join(parts)
    lines = [normalize_space(x) for x in text.split("\n")]
    return "; ".join(x for x in lines if x)


def _text_pieces(el: etree._Element) -> Iterator[str]:
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            if child.tag == "br":
                yield "\n"
            else:
                if child.tag in _BLOCK_TAGS:
                    yield "\n"
                yield from _text_pieces(child)
                if child.tag in _BLOCK_TAGS:
                    yield "\n"
        if child.tail:
            yield child.tail


def _metadata_tables(root: etree._Element, dropped: list | None = None,
                     paths: ElementPaths | None = None) -> dict[str, str]:
    """Read and remove metadata tables (and definition lists) with rows such as
    "Organisatie", "Citeertitel", "Inwerkingtredingsdatum"; each removed one is recorded in
    ``dropped``."""
    found: dict[str, str] = {}
    for table in list(root.iter("table")):
        rows = [r for r in table.iter("tr")]
        pairs: list[tuple[str, str]] = []
        for row in rows:
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if len(cells) >= 2:
                pairs.append((_label_key(_cell_text(cells[0])), _cell_text(cells[1])))
        known = [(k, v) for k, v in pairs if k in _TABLE_KEYS]
        if len(known) >= 2:
            for key, value in known:
                if value:
                    found.setdefault(_TABLE_KEYS[key], value)
            _note_dropped(dropped, "metadata-table", table, paths)
            _remove(table)
            continue
        # a horizontal table: header row of labels, values in the next row
        if len(rows) >= 2:
            header = [_label_key(_cell_text(c)) for c in rows[0] if isinstance(c.tag, str)]
            if sum(1 for h in header if h in _TABLE_KEYS) >= 2:
                values = [_cell_text(c) for c in rows[1] if isinstance(c.tag, str)]
                for key, value in zip(header, values):
                    if key in _TABLE_KEYS and value:
                        found.setdefault(_TABLE_KEYS[key], value)
                _note_dropped(dropped, "metadata-table", table, paths)
                _remove(table)
    for dl in list(root.iter("dl")):
        terms = [_label_key(_cell_text(dt)) for dt in dl if isinstance(dt.tag, str) and dt.tag == "dt"]
        if sum(1 for t in terms if t in _TABLE_KEYS) >= 2:
            current = None
            for child in dl:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "dt":
                    current = _label_key(_cell_text(child))
                elif child.tag == "dd" and current in _TABLE_KEYS:
                    value = _cell_text(child)
                    if value:
                        found.setdefault(_TABLE_KEYS[current], value)
            _note_dropped(dropped, "metadata-table", dl, paths)
            _remove(dl)
    return found


def _label_key(text: str) -> str:
    return normalize_space(text).rstrip(":").strip().lower()


def _main_content(root: etree._Element) -> etree._Element:
    for el in root.iter("main"):
        return el
    for el in root.iter():
        if isinstance(el.tag, str) and (el.get("role") or "").lower() == "main":
            return el
    for wanted in ("content", "main-content", "maincontent", "main", "inhoud", "regeling", "broodtekst"):
        for el in root.iter():
            if isinstance(el.tag, str) and (el.get("id") or "").lower() == wanted and el.tag != "input":
                return el
    body = root.find("body")
    return body if body is not None else root


def _read_generic(
    paths: ElementPaths, root: etree._Element, head: dict[str, str], name: str, limits: Limits
) -> Document:
    page_title = _page_title(root)
    dropped: list = []
    table_meta = _metadata_tables(root, dropped, paths)
    content = _main_content(root)
    _strip_chrome(root, content, dropped, paths)

    metadata: dict[str, str] = {}
    metadata.update(head)
    metadata.update(table_meta)
    if "alternative" in metadata:
        metadata["citeertitel"] = metadata["alternative"]
    gemeente = _gemeente_from(table_meta.get("creator") or head.get("creator") or head.get("authority"))

    walker = _LineWalker(paths)
    walker.walk(content)
    lines = walker.finish()
    # the metadata title ranks first in the structurer; the page's own heading is a hint
    first_h1 = next((l for l in lines if l.heading == "title"), None)
    title = first_h1.text if first_h1 is not None else page_title
    total = sum(len(l.text) for l in lines)
    if total > limits.max_text_chars:
        raise LimitExceeded(
            f"de tekst van het document is te lang ({total} tekens; de grens is {limits.max_text_chars}).", name
        )

    from .structure import build_document

    document = build_document(
        lines, format="html", name=name, title=title or None, gemeente=gemeente, metadata=metadata
    )
    document.source_name = name
    document.dropped[:0] = dropped
    _restore_aanhef(document, lines)
    return document


def _restore_aanhef(document: Document, lines: list[Line]) -> None:
    """Keep a title-like line at the end of the aanhef ("besluit vast te stellen de volgende
    verordening:" + the title): the structurer drops every line equal to the title, but only
    the leading title lines (page heading, intitulé) are not aanhef."""
    if not document.aanhef and not lines:
        return
    title = normalize_space(document.title)
    front: list[str] = []
    started = False
    for line in lines:
        text = normalize_space(line.text)
        structural = _ARTICLE_RE.match(text) or _CHAPTER_RE.match(text) or _PARAGRAAF_RE.match(text)
        if structural or line.heading in ("artikel", "hoofdstuk", "paragraaf", "toelichting"):
            break
        if line.heading == "title" or (not started and text == title) or chrome_kind(text) is not None:
            continue  # the title, or page chrome the structurer left out
        started = True
        front.append(text)
    current = [normalize_space(p) for p in document.aanhef]
    if front != current and [p for p in front if p != title] == [p for p in current if p != title]:
        document.aanhef = front


# ---------------------------------------------------------------------------
# Line walker
# ---------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "html",
        "legend", "noscript", "colgroup", "col",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOLD_TAGS = frozenset({"b", "strong"})
_BOLD_STYLE_RE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)

_LABEL_ONLY_RE = re.compile(
    r"^(?:(?:lid\s+)?\d{1,3}[a-z]?[.)]?|[a-z]{1,2}[.)]|\d{1,3}°|[ivxlc]{1,6}[.)]|[•·▪◦●\-–—*])$", re.I
)
_LABEL_PREFIX_RE = re.compile(
    r"^(?:(?:lid\s+)?\d{1,3}[a-z]?[.)]|[a-z]{1,2}[.)]|\d{1,3}°|[ivxlc]{1,6}[.)]|[•·▪◦●\-–—*])(?:\s|$)", re.I
)
# in a <dt> also a bare "A" or "IV" is an enumeration label ("A. Artikel 1 wordt ...")
_DT_LABEL_RE = re.compile(r"^(?:[A-Za-z]{1,2}|[IVXLC]{1,6}|\d{1,3}[a-z]?)[.)]?$")
_ARTICLE_RE = re.compile(r"^(?:artikel|art\.)\s*(?:\d|[IVXLC]+\b)", re.I)
_CHAPTER_RE = re.compile(r"^(?:hoofdstuk|afdeling|titel|deel)\s+(?:\d|[IVXLC]+\b)", re.I)
_PARAGRAAF_RE = re.compile(r"^(?:§|paragraaf|par\.)\s*(?:\d|[IVXLC]+\b)", re.I)
_TOELICHTING_RE = re.compile(
    r"^(?:(?:algemene|artikelsgewijze|artikelgewijze|nota\s+van|memorie\s+van)\s+)?toelichting\b", re.I
)


def _starts_with_label(text: str) -> bool:
    return bool(_LABEL_PREFIX_RE.match(text))


def _heading_hint(text: str) -> str:
    if _ARTICLE_RE.match(text):
        return "artikel"
    if _CHAPTER_RE.match(text):
        return "hoofdstuk"
    if _PARAGRAAF_RE.match(text):
        return "paragraaf"
    if _TOELICHTING_RE.match(text) and len(text.split()) <= 8:
        return "toelichting"
    return "heading"


class _ListCounter:
    """Computes the visible label of each ``<li>`` of an ``<ol>``/``<ul>``."""

    def __init__(self, el: etree._Element):
        self.ordered = el.tag == "ol"
        style = (el.get("style") or "").lower()
        m = re.search(r"list-style(?:-type)?\s*:\s*([a-z-]+)", style)
        css = m.group(1) if m else ""
        kind = el.get("type") or ""
        if css in ("lower-alpha", "lower-latin"):
            kind = "a"
        elif css in ("upper-alpha", "upper-latin"):
            kind = "A"
        elif css == "lower-roman":
            kind = "i"
        elif css == "upper-roman":
            kind = "I"
        elif css == "decimal":
            kind = "1"
        elif css == "none":
            kind = "none"
        elif css in ("disc", "circle", "square"):
            kind = "bullet"
        if not kind:
            kind = "1" if self.ordered else "bullet"
        self.kind = kind
        try:
            self.value = int(el.get("start") or 1) - 1
        except ValueError:
            self.value = 0

    def next(self, li: etree._Element) -> str | None:
        try:
            self.value = int(li.get("value")) if li.get("value") else self.value + 1
        except ValueError:
            self.value += 1
        kind = self.kind
        if kind == "none":
            return None
        if kind == "bullet":
            return "•"
        n = max(self.value, 1)
        if kind == "a":
            return _letters(n) + "."
        if kind == "A":
            return _letters(n).upper() + "."
        if kind == "i":
            return roman(n).lower() + "."
        if kind == "I":
            return roman(n) + "."
        return f"{n}."


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


class _LineWalker:
    """Turns block elements into Lines in document order."""

    def __init__(self, paths: ElementPaths):
        self.paths = paths
        self.lines: list[Line] = []
        self.pending_label: str | None = None
        self.depth = 0
        self.seen_h1 = False

    def finish(self) -> list[Line]:
        lines = self.lines
        # "Toelichting" directly followed by "Algemene toelichting": one heading, not two
        result: list[Line] = []
        for i, line in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if (
                line.heading == "toelichting"
                and normalize_space(line.text).lower() == "toelichting"
                and nxt is not None
                and nxt.heading is not None
                and _TOELICHTING_RE.match(nxt.text)
            ):
                nxt.heading = "toelichting"
                continue
            result.append(line)
        return result

    def location(self, el: etree._Element) -> SourceLocation:
        return SourceLocation(path=self.paths(el), line=el.sourceline)

    def emit(self, el: etree._Element, text: str, *, heading: str | None = None, bold: bool = False,
             block_start: bool = True) -> None:
        text = normalize_space(text)
        label = self.pending_label
        if not text:
            return
        if label is not None:
            self.pending_label = None
            if heading is not None:
                text = f"{label} {text}"
                label = None
        self.lines.append(
            Line(
                text=text,
                location=self.location(el),
                block_start=block_start,
                heading=heading,
                bold=bold,
                label=label,
                indent=float(self.depth) if self.depth else None,
            )
        )

    def walk(self, el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            return
        tag = el.tag
        if tag in _HEADINGS:
            text = normalize_space(_inline_text(el))
            if not text:
                return
            hint = _heading_hint(text)
            if tag == "h1" and not self.seen_h1 and hint == "heading":
                hint = "title"
            if tag == "h1":
                self.seen_h1 = True
            self.emit(el, text, heading=hint, bold=True)
        elif tag in ("ul", "ol", "menu", "dir"):
            self.walk_list(el)
        elif tag == "dl":
            self.walk_dl(el)
        elif tag == "table":
            self.walk_table(el)
        elif tag == "pre":
            first = True
            for part in _inline_text(el).split("\n"):
                if part.strip():
                    self.emit(el, part, block_start=first)
                    first = False
                else:
                    first = True  # a blank line in preformatted text ends a paragraph
        elif tag == "hr":
            return
        else:
            self.walk_mixed(el)

    def walk_mixed(self, el: etree._Element) -> None:
        """A block that may mix inline text with nested blocks."""
        segments: list[tuple[str, bool]] = []
        if el.text:
            segments.append((el.text, _is_bold_el(el)))
        for child in el:
            if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                self.flush(el, segments, before_block=True)
                segments = []
                self.walk(child)
            elif isinstance(child.tag, str):
                segments.extend(_styled(child, _is_bold_el(el)))
            if child.tail:
                segments.append((child.tail, _is_bold_el(el)))
        self.flush(el, segments, before_block=False)

    def flush(self, el: etree._Element, segments: list[tuple[str, bool]], before_block: bool) -> None:
        text = "".join(s for s, _ in segments)
        if not normalize_space(text):
            return
        if before_block and _LABEL_ONLY_RE.match(normalize_space(text)):
            # a label in its own element ("<span class='lidnr'>1.</span><p>...</p>")
            self.pending_label = normalize_space(text)
            return
        # split at <br> (marked as "\n" by _styled): a hard line break starts a new block, so
        # that signature lines ("de griffier,<br>de voorzitter,") stay separate lines
        parts: list[list[tuple[str, bool]]] = [[]]
        for s, b in segments:
            pieces = s.split("\n") if s != "\n" else ["", ""]
            for i, piece in enumerate(pieces):
                if i:
                    parts.append([])
                parts[-1].append((piece, b))
        for part in parts:
            line_text = normalize_space("".join(s for s, _ in part))
            if not line_text:
                continue
            visible = [(s, b) for s, b in part if normalize_space(s).strip(":;.,")]
            bold = bool(visible) and all(b for _, b in visible)
            self.emit(el, line_text, bold=bold)

    def walk_list(self, el: etree._Element) -> None:
        counter = _ListCounter(el)
        self.depth += 1
        try:
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                if child.tag != "li":
                    self.walk(child)
                    continue
                label = counter.next(child)
                own = normalize_space(child.text_content())
                self.pending_label = label if label and not _starts_with_label(own) else None
                self.walk_mixed(child)
                self.pending_label = None
        finally:
            self.depth -= 1

    def walk_dl(self, el: etree._Element) -> None:
        self.depth += 1
        try:
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "dt":
                    text = normalize_space(_inline_text(child))
                    if _LABEL_ONLY_RE.match(text) or _DT_LABEL_RE.match(text):
                        self.pending_label = text
                    elif text:
                        self.pending_label = None
                        self.emit(child, text, bold=True)
                elif child.tag == "dd":
                    self.walk_mixed(child)
                    self.pending_label = None
                else:
                    self.walk(child)
        finally:
            self.depth -= 1
            self.pending_label = None

    def walk_table(self, el: etree._Element) -> None:
        for row in el.iter("tr"):
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
            texts = [_cell_text(c) for c in cells]
            text = " | ".join(t for t in texts if t)
            if text:
                self.emit(row, text)
        caption = el.find("caption")
        if caption is not None and not list(el.iter("tr")):
            self.emit(caption, _inline_text(caption))


def _is_bold_el(el: etree._Element) -> bool:
    return el.tag in _BOLD_TAGS or bool(_BOLD_STYLE_RE.search(el.get("style") or ""))


def _styled(el: etree._Element, bold: bool) -> Iterator[tuple[str, bool]]:
    """Inline text of ``el`` as (text, bold) pieces; ``<br>`` becomes "\\n"."""
    if el.tag == "br":
        yield "\n", bold
        return
    bold = bold or _is_bold_el(el)
    if el.text:
        yield el.text, bold
    for child in el:
        if isinstance(child.tag, str):
            if child.tag in _BLOCK_TAGS:
                yield "\n", bold
                yield from _styled(child, bold)
                yield "\n", bold
            else:
                yield from _styled(child, bold)
        if child.tail:
            yield child.tail, bold


def _inline_text(el: etree._Element) -> str:
    text = "".join(s for s, _ in _styled(el, False))
    return "\n".join(normalize_space(x) for x in text.split("\n") if normalize_space(x)) if "\n" in text else text
