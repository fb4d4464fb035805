"""Reader for CVDR XML (lokaleregelgeving) and officielebekendmakingen op-xsd XML.

Both formats share the element vocabulary of Dutch legislation (``regeling``, ``aanhef``,
``regeling-tekst``, ``hoofdstuk``, ``artikel``, ``lid``, ``al``, ``lijst``/``li``), so one
:class:`RegelingMapper` maps a namespace-free element tree onto the :class:`Document`
model. The gemeenteblad HTML reader reuses that mapper on a tree rebuilt from the
``_p_`` class names of the page.

Parsing is safe by construction: no entity resolution, no DTD loading, no network, and
any document that declares entities or an external DTD is rejected before the parse.

Metadata keys (shared with the HTML reader): ``identifier``, ``type``, ``modified``,
``alternative`` (citeertitel, also copied to ``citeertitel``), ``isFormatOf`` (where it
was published), ``source`` (legal basis, ``; ``-joined), ``isRatifiedBy``, ``subject``,
``issued``, ``inwerkingtredingDatum``, ``uitwerkingtredingDatum``, ``betreft``,
``kenmerk``, ``publicatieblad`` / ``uitgever`` (op-xsd).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from lxml import etree

from ..errors import LimitExceeded, MalformedDocument, UnsafeDocument, UnsupportedFormat
from ..limits import Limits
from ..model import Article, Division, Document, Lid, ListItem, Section, SourceLocation
from .base import Line
from .frontmatter import add_dropped, clean_title, find_gemeente, readable_title, title_from_besluit

__all__ = ["read_xml", "RegelingMapper", "ElementPaths", "normalize_space", "split_heading"]

# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

_WS = re.compile(r"\s+")
# Invisible format characters: soft hyphen, zero-width characters, bidi marks, embeddings and
# isolates, word joiner, BOM (one before "Artikel" would hide the keyword).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"),
    None,
)


def normalize_space(text: str | None) -> str:
    """Collapse all whitespace (including no-break spaces) to single spaces and strip."""
    if not text:
        return ""
    return _WS.sub(" ", text.translate(_INVISIBLE).replace("\u00a0", " ")).strip()


# Inline markup: its text belongs to the enclosing paragraph.
INLINE_TAGS = frozenset(
    {
        "vet", "cursief", "onderstreept", "nadruk", "extref", "intref", "sup", "sub", "inf",
        "br", "span", "a", "strong", "b", "em", "i", "u", "sc", "hoofdletter", "keyword",
        "term-ref", "fnref", "omissie",
    }
)
# Elements whose text is never part of a paragraph's running text.
_EXCLUDED_FROM_INLINE = frozenset({"noot", "lidnr", "li.nr", "meta-data", "redactie-meta"})
_BOLD_TAGS = frozenset({"vet", "strong", "b"})
_IGNORED_TAGS = frozenset({"meta-data", "jcr", "brondata", "redactie-meta", "plaatje", "illustratie"})

_NUMBER = r"\d+(?:[a-zA-Z](?![a-zA-Z]))?(?:[.:]\d+(?:[a-zA-Z](?![a-zA-Z]))?)*"
_ROMAN = r"[IVXLCDM]+(?![A-Za-z0-9])"
_LETTER = r"[A-Z](?![A-Za-z0-9])"
_NUM_RE = re.compile(rf"(?:{_NUMBER}|{_ROMAN}|{_LETTER})")
_KEYWORD_RE = re.compile(
    r"(?P<kw>artikel|art\.?|hoofdstuk|hfdst\.|paragraaf|par\.|§|afdeling|titeldeel|titel|deel)"
    r"(?=[\s\d§]|$|[IVXLCDM]+\b)\s*",
    re.I,
)
_KEYWORD_KIND = {
    "artikel": "artikel", "art.": "artikel", "art": "artikel",
    "hoofdstuk": "hoofdstuk", "hfdst.": "hoofdstuk",
    "paragraaf": "paragraaf", "par.": "paragraaf", "§": "paragraaf",
    "afdeling": "afdeling", "titeldeel": "titel", "titel": "titel", "deel": "titel",
}
_VERVALLEN_RE = re.compile(r"^\[?\s*(?:vervallen|is vervallen|\.\.\.\s*vervallen)\s*\.?\s*\]?\.?$", re.I)
# "1. Het", "1) Het", and "1.Het" (the number glued to the text, as gemeenteblad pages have it)
_LID_PREFIX_RE = re.compile(r"^(\d{1,3}[a-z]?)(?:[.)]\s+(?=\S)|\.(?=[A-Z„\"‘][a-z]))")
# "19 b" after a keyword: an article number printed with a space before its letter
_SPACED_LETTER_RE = re.compile(r"^(\d+) ([a-z])(?![\w'’])")
_ITEM_PREFIX_RE = re.compile(
    r"^((?:[a-z]{1,2}|\d{1,3}[a-z]?|[ivxlc]{1,5})[.)]|\d{1,3}°|[•·▪◦●\-–—*])\s+(?=\S)"
)


def split_heading(text: str) -> tuple[str | None, str | None, str]:
    """Split a heading such as ``"Artikel 3. Titel"``, ``"1.Parkeren"``, ``"§ 2 Titel"``,
    ``"A. Titel"`` or ``"Hoofdstuk II - Titel"`` into (kind, number, title).

    ``kind`` is "artikel", "hoofdstuk", "paragraaf", "afdeling", "titel" or None;
    ``number`` is None when the heading has no number (then ``title`` is the whole text).
    """
    text = normalize_space(text)
    rest = text
    kind = None
    m = _KEYWORD_RE.match(text)
    if m:
        kind = _KEYWORD_KIND.get(m.group("kw").lower())
        rest = text[m.end():]
    n = _NUM_RE.match(rest)
    if n:
        number = n.group(0)
        spaced = _SPACED_LETTER_RE.match(rest)
        # "Artikel 19 b", or a kop's nr "19 b" alone
        if spaced and spaced.group(1) == number and (kind is not None or spaced.end() == len(rest)):
            n = spaced
            number = spaced.group(1) + spaced.group(2)
        after = rest[n.end():]
        separated = not after or after[0] in " .:)-–—,\t"
        if kind is None:
            # Without a keyword only "1 Titel", "1.Titel", "A. Titel", "II. Titel" count.
            if number[0].isdigit():
                ok = separated or after[:1] == "."
            else:
                ok = after[:1] in (".", ")") or (not after and len(number) > 1)
        else:
            ok = separated
        if ok:
            title = after.lstrip(" .:)-–—\t").strip()
            return kind, clean_number(number), title
    if kind is not None and not rest:
        return kind, None, ""
    return None, None, text


_KEYWORD_ONLY_RE = re.compile(
    r"^(artikel|art\.?|hoofdstuk|hfdst\.|paragraaf|par\.|§|afdeling|titeldeel|titel|deel)\.?$", re.I
)


def _keyword_only(label: str) -> str | None:
    """The kind when ``label`` is only a keyword ("Artikel", "§"), else None."""
    m = _KEYWORD_ONLY_RE.match(normalize_space(label))
    return _KEYWORD_KIND.get(m.group(1).lower()) if m else None


def clean_number(number: str | None) -> str:
    """Normalise a written number: strip spaces and a trailing dot ("1." -> "1")."""
    number = normalize_space(number)
    m = _KEYWORD_RE.match(number)
    if m:
        number = number[m.end():]
    number = number.rstrip(".:").strip()
    spaced = _SPACED_LETTER_RE.match(number)
    if spaced and spaced.end() == len(number):
        number = spaced.group(1) + spaced.group(2)  # "19 b" -> "19b"
    return number


@dataclass
class Block:
    """A paragraph-like piece of text found by :func:`RegelingMapper.iter_blocks`."""

    kind: str  # "p" | "item" | "heading"
    text: str
    element: etree._Element
    label: str = ""
    depth: int = 0
    bold: bool = False


# ---------------------------------------------------------------------------
# The mapper (shared by XML and gemeenteblad HTML)
# ---------------------------------------------------------------------------

Locator = Callable[[etree._Element], SourceLocation]


class RegelingMapper:
    """Maps a namespace-free tree with CVDR/op-xsd element names onto a Document."""

    def __init__(self, document: Document, locate: Locator):
        self.doc = document
        self.locate = locate
        # the element each ListItem came from (the item itself is kept to pin its id)
        self._item_source: dict[int, tuple[ListItem, etree._Element]] = {}

    # -- text extraction -------------------------------------------------

    def inline_text(self, el: etree._Element, *, skip_blocks: bool = True) -> str:
        return normalize_space("".join(self._inline_parts(el, skip_blocks)))

    def _inline_parts(self, el: etree._Element, skip_blocks: bool) -> Iterator[str]:
        if el.text:
            yield el.text
        for child in el:
            if isinstance(child.tag, str):
                tag = child.tag
                if tag == "br":
                    yield " "
                elif tag in _EXCLUDED_FROM_INLINE or tag in _IGNORED_TAGS:
                    pass
                elif skip_blocks and tag not in INLINE_TAGS:
                    yield " "
                else:
                    yield from self._inline_parts(child, skip_blocks)
            if child.tail:
                yield child.tail

    def is_bold(self, el: etree._Element) -> bool:
        """True when all visible text of ``el`` sits inside bold markup."""
        plain = bold = 0
        for text, is_bold in self._styled_parts(el, False):
            n = len(text.strip(" \t\r\n\u00a0:;.,"))
            if n:
                if is_bold:
                    bold += n
                else:
                    plain += n
        return bold > 0 and plain == 0

    def _styled_parts(self, el: etree._Element, bold: bool) -> Iterator[tuple[str, bool]]:
        if el.text:
            yield el.text, bold
        for child in el:
            if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
                child_bold = bold or child.tag in _BOLD_TAGS or (
                    child.tag == "nadruk" and child.get("type", "vet") == "vet"
                )
                yield from self._styled_parts(child, child_bold)
            if child.tail:
                yield child.tail, bold

    def has_block_children(self, el: etree._Element) -> bool:
        return any(
            isinstance(c.tag, str) and c.tag not in INLINE_TAGS and c.tag not in _EXCLUDED_FROM_INLINE
            for c in el
        )

    def iter_blocks(self, el: etree._Element, depth: int = 0) -> Iterator[Block]:
        """Yield the paragraphs, list items and headings under ``el`` in document order."""
        return self.blocks_of(list(el), depth)

    def iter_blocks_of(self, el: etree._Element, depth: int = 0) -> Iterator[Block]:
        """Blocks of ``el`` itself (a paragraph, list, table or container)."""
        return self.blocks_of([el], depth)

    def blocks_of(self, elements: Iterable[etree._Element], depth: int = 0) -> Iterator[Block]:
        for child in elements:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag in _IGNORED_TAGS or tag in ("lidnr", "li.nr", "toelichting"):
                continue  # a toelichting is collected separately, never mixed into other text
            if tag == "lijst":
                yield from self._list_blocks(child, depth)
            elif tag == "definitielijst":
                for item in self.definition_items(child):
                    yield from self._item_blocks(item, child, depth)
            elif tag in ("table", "tabel"):
                for row_el, text in self.table_rows(child):
                    yield Block("p", text, row_el, depth=depth)
            elif tag in ("kop", "tussenkop", "titel", "subtitel"):
                text = self.kop_text(child)
                if text:
                    yield Block("heading", text, child, depth=depth, bold=True)
            elif tag == "noot":
                yield from self.iter_blocks(child, depth)
            elif self.has_block_children(child):
                own = self.inline_text(child)
                if own:
                    yield Block("p", own, child, depth=depth, bold=self.is_bold(child))
                yield from self.iter_blocks(child, depth)
            else:
                text = self.inline_text(child)
                if text:
                    yield Block("p", text, child, depth=depth, bold=self.is_bold(child))
                for noot in child.iter("noot"):
                    yield from self.iter_blocks(noot, depth)

    def _list_blocks(self, lijst: etree._Element, depth: int) -> Iterator[Block]:
        for item in self.list_items(lijst):
            yield from self._item_blocks(item, lijst, depth)

    def _item_blocks(self, item: ListItem, el: etree._Element, depth: int) -> Iterator[Block]:
        source = self._item_source.get(id(item))
        if source is not None and source[0] is item:
            el = source[1]
        yield Block("item", item.text, el, label=item.label, depth=depth)
        for sub in item.items:
            yield from self._item_blocks(sub, el, depth + 1)

    def table_rows(self, table: etree._Element) -> Iterator[tuple[etree._Element, str]]:
        for row in table.iter("row", "tr"):
            cells = []
            for entry in row:
                if isinstance(entry.tag, str) and entry.tag in ("entry", "td", "th"):
                    parts = [b.text if not b.label else f"{b.label} {b.text}" for b in self.iter_blocks(entry)]
                    if not parts:
                        parts = [self.inline_text(entry)]
                    text = normalize_space(" ".join(parts))
                    if text:
                        cells.append(text)
            if cells:
                yield row, " | ".join(cells)

    def kop_text(self, kop: etree._Element) -> str:
        parts = []
        for child in kop:
            if isinstance(child.tag, str) and child.tag in ("label", "nr", "titel"):
                parts.append(self.inline_text(child))
        if parts:
            return normalize_space(" ".join(p for p in parts if p))
        return self.inline_text(kop, skip_blocks=False)

    # -- lists -----------------------------------------------------------

    def list_items(self, lijst: etree._Element) -> list[ListItem]:
        items: list[ListItem] = []
        default_label = "•" if lijst.get("type") in ("ongemarkeerd", "bullet", "disc") else ""
        for li in lijst:
            if not isinstance(li.tag, str):
                continue
            if li.tag == "li":
                items.append(self.list_item(li, default_label))
            elif li.tag == "lijst":  # a malformed nested list directly in a list
                sub = self.list_items(li)
                if items:
                    items[-1].items.extend(sub)
                else:
                    items.extend(sub)
            elif li.tag in ("al", "lijst-aanhef", "lijstaanhef"):
                text = self.inline_text(li)
                if text:
                    items.append(ListItem(label="", text=text))
        return items

    def list_item(self, li: etree._Element, default_label: str = "") -> ListItem:
        label = normalize_space(li.get("nr"))
        if not label:
            nr = _first_own(li, "li.nr", stop=("lijst", "definitielijst"))
            if nr is not None:
                label = self.inline_text(nr, skip_blocks=False)
        texts: list[str] = []
        sub_items: list[ListItem] = []
        has_blocks = self.has_block_children(li)
        if not has_blocks:
            text = self.inline_text(li)
            if text:
                texts.append(text)
        else:
            own = self.inline_text(li)
            if own:
                texts.append(own)
            for child in li:
                if not isinstance(child.tag, str) or child.tag in ("li.nr", "lidnr") or child.tag in _IGNORED_TAGS:
                    continue
                if child.tag == "lijst":
                    sub_items.extend(self.list_items(child))
                elif child.tag == "definitielijst":
                    sub_items.extend(self.definition_items(child))
                elif child.tag in ("table", "tabel"):
                    texts.extend(t for _, t in self.table_rows(child))
                elif child.tag == "toelichting":
                    continue
                else:
                    for block in self.iter_blocks_of(child):
                        if block.kind == "item":
                            _add_item_block(sub_items, block)
                        else:
                            texts.append(block.text)
        text = normalize_space(" ".join(texts))
        if not label:
            m = _ITEM_PREFIX_RE.match(text)
            if m:
                label, text = m.group(1), text[m.end():]
            else:
                label = default_label
        item = ListItem(label=label, text=text, items=sub_items)
        self._item_source[id(item)] = (item, li)
        return item

    def definition_items(self, dl: etree._Element) -> list[ListItem]:
        items: list[ListItem] = []
        for entry in dl:
            if not isinstance(entry.tag, str) or entry.tag not in ("definitie-item", "li"):
                continue
            nr = _first_own(entry, "li.nr", stop=("lijst",))
            label = self.inline_text(nr, skip_blocks=False) if nr is not None else ""
            term_el = entry.find("term")
            term = self.inline_text(term_el) if term_el is not None else ""
            definition_parts: list[str] = []
            sub_items: list[ListItem] = []
            definitions = entry.findall("definitie")
            if definitions:
                blocks = self.blocks_of(definitions)
            else:
                blocks = self.iter_blocks(entry)
            for block in blocks:
                if block.element is term_el:
                    continue
                if block.kind == "item":
                    _add_item_block(sub_items, block)
                else:
                    definition_parts.append(block.text)
            definition = normalize_space(" ".join(definition_parts))
            if term and definition:
                sep = "" if term.endswith(":") or definition[:1] in ":," else ":"
                text = f"{term}{sep} {definition}"
            else:
                text = term or definition
            item = ListItem(label=label, text=text, items=sub_items)
            self._item_source[id(item)] = (item, entry)
            items.append(item)
        return items

    # -- headings --------------------------------------------------------

    def parse_kop(self, kop: etree._Element | None) -> tuple[str | None, str | None, str]:
        """(kind, number, title) from a ``kop`` with label/nr/titel or with plain text."""
        if kop is None:
            return None, None, ""
        children = {c.tag: c for c in kop if isinstance(c.tag, str) and c.tag in ("label", "nr", "titel")}
        if not children:
            return split_heading(self.inline_text(kop, skip_blocks=False))
        label = self.inline_text(children["label"]) if "label" in children else ""
        nr = self.inline_text(children["nr"]) if "nr" in children else ""
        titel = self.inline_text(children["titel"]) if "titel" in children else ""
        label_kind = _keyword_only(label)
        if nr:
            kind, number, rest = split_heading(nr)
            if number is None:
                number, rest = clean_number(nr), ""
            return kind or label_kind, number, normalize_space(f"{rest} {titel}")
        if label_kind:  # "Artikel" with an empty nr
            return label_kind, None, titel
        # the number may be packed into the label ("1.Parkeren", "Artikel 3") or the titel
        return split_heading(f"{label} {titel}")

    # -- regulation body -------------------------------------------------

    def map_regeling(self, regeling: etree._Element) -> None:
        """Map one ``regeling`` (aanhef, regeling-tekst, regeling-sluiting, toelichting)."""
        for child in regeling:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag in ("aanhef", "afkondiging", "considerans", "preambule"):
                self.doc.aanhef.extend(self._block_lines(child))
            elif tag in ("regeling-tekst", "lichaam", "wettekst"):
                self.map_container(child, [])
            elif tag in ("regeling-sluiting", "slotformulering", "ondertekening", "sluiting"):
                self.doc.slot.extend(self._block_lines(child))
            elif tag == "toelichting" or tag in ("nota-toelichting", "artikelsgewijze-toelichting"):
                self.map_toelichting(child)
            elif tag == "bijlage":
                self.map_bijlage(child)
            elif tag in ("artikel", "wijzig-artikel"):
                self.map_container(regeling, [], only=child)
            elif tag in ("kop", "intitule", "citeertitel", "meta-data"):
                continue
            elif tag in _DIVISION_TAGS:
                self.map_container(regeling, [], only=child)

    def _block_lines(self, el: etree._Element) -> list[str]:
        lines = []
        for block in self.iter_blocks(el):
            text = f"{block.label} {block.text}".strip() if block.kind == "item" else block.text
            if text:
                lines.append(text)
        return lines

    def map_container(self, el: etree._Element, stack: list[Division], only: etree._Element | None = None) -> None:
        children = [only] if only is not None else list(el)
        for child in children:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag in ("artikel", "wijzig-artikel"):
                self.doc.articles.append(self.map_article(child, stack))
            elif tag in _DIVISION_TAGS:
                kind_hint, number, title = self.parse_kop(child.find("kop"))
                kind = _DIVISION_TAGS[tag] or (kind_hint if kind_hint in _DIVISION_KINDS else "paragraaf")
                if number is None:
                    number = ""
                if _is_toelichting_heading(title) and not number:
                    self.map_toelichting(child)
                    continue
                division = Division(
                    kind=kind,
                    number=number,
                    title=title,
                    parent=stack[-1].number if stack else None,
                    location=self.locate(child),
                )
                self.doc.divisions.append(division)
                self.map_container(child, stack + [division])
            elif tag == "structuurtekst" or tag in ("al", "lijst", "table", "tussenkop"):
                self._loose_text(child, stack)
            elif tag == "toelichting":
                self.map_toelichting(child)
            elif tag == "bijlage":
                self.map_bijlage(child)
            elif tag in ("kop", "meta-data") or tag in _IGNORED_TAGS:
                continue
            elif self.has_block_children(child):
                self.map_container(child, stack)
            else:
                self._loose_text(child, stack)

    def _loose_text(self, el: etree._Element, stack: list[Division]) -> None:
        blocks = [b for b in self.iter_blocks_of(el) if b.text]
        if not blocks:
            return
        where = _describe_division(stack[-1]) if stack else "de regelingtekst"
        text = normalize_space(" ".join(b.text for b in blocks))
        if _VERVALLEN_RE.match(text):
            self.doc.warnings.append(f"{_capitalize(where)} is vervallen.")
            return
        words = len(text.split())
        self.doc.warnings.append(
            f"{_capitalize(where)} bevat tekst buiten een artikel ({words} woorden, "
            f"{self.locate(el).describe()}); die tekst is niet als artikel gelezen."
        )

    def map_article(self, el: etree._Element, stack: list[Division]) -> Article:
        _, number, title = self.parse_kop(el.find("kop"))
        if number is None:
            number = ""
        article = Article(
            number=number,
            title=title,
            chapter=_nearest(stack, ("hoofdstuk",)),
            paragraaf=_nearest(stack, ("paragraaf", "afdeling")),
            location=self.locate(el),
        )
        has_lid_elements = any(isinstance(c.tag, str) and c.tag == "lid" for c in el)
        current: Lid | None = None
        paragraphs: dict[int, list[str]] = {}

        def open_lid(number: str | None, where: etree._Element) -> Lid:
            lid = Lid(number=number, text="", location=self.locate(where))
            article.leden.append(lid)
            paragraphs[id(lid)] = []
            return lid

        content = [
            c for c in el if isinstance(c.tag, str) and c.tag not in ("kop", "meta-data") and c.tag not in _IGNORED_TAGS
        ]
        leden_as_list = not has_lid_elements and self._list_is_leden(content)
        expected = 1
        for child in content:
            tag = child.tag
            if tag == "lid":
                lid = self.map_lid(child)
                article.leden.append(lid)
                current = None
                continue
            if tag == "toelichting":
                self.map_toelichting(child)
                continue
            if tag == "lijst" and leden_as_list:
                for li in child:
                    if isinstance(li.tag, str) and li.tag == "li":
                        item = self.list_item(li)
                        lid = open_lid(clean_number(item.label) or None, li)
                        paragraphs[id(lid)].append(item.text)
                        lid.items.extend(item.items)
                current = None
                continue
            if tag == "lijst":
                if current is None:
                    current = open_lid(None, child)
                current.items.extend(self.list_items(child))
                continue
            if tag == "definitielijst":
                if current is None:
                    current = open_lid(None, child)
                current.items.extend(self.definition_items(child))
                continue
            for block in self.iter_blocks_of(child):
                text = block.text
                if block.kind == "item":
                    if current is None:
                        current = open_lid(None, child)
                    _add_item_block(current.items, block)
                    continue
                # "1. ...", "2. ..." paragraphs are leden when no unnumbered text precedes them
                m = _LID_PREFIX_RE.match(text) if not has_lid_elements else None
                has_intro = current is not None and current.number is None and bool(
                    paragraphs[id(current)] or current.items
                )
                if m and m.group(1) == str(expected) and not has_intro:
                    current = open_lid(m.group(1), child)
                    paragraphs[id(current)].append(text[m.end():])
                    expected += 1
                    continue
                if current is None:
                    current = open_lid(None, child)
                paragraphs[id(current)].append(text)
        for lid in article.leden:
            if id(lid) in paragraphs:
                lid.text = "\n".join(p for p in paragraphs[id(lid)] if p)
        article.leden = [l for l in article.leden if l.text or l.items or l.number]
        self._apply_vervallen(el, article)
        return article

    def _list_is_leden(self, content: list[etree._Element]) -> bool:
        """True when an artikel without ``lid`` elements holds its leden as a numbered list
        ("1.", "2.", ...) that is the first content of the article."""
        for child in content:
            if child.tag == "lijst":
                labels = []
                for li in child:
                    if isinstance(li.tag, str) and li.tag == "li":
                        labels.append(clean_number(self.list_item(li).label))
                return len(labels) >= 1 and labels == [str(i) for i in range(1, len(labels) + 1)]
            if self.inline_text(child) or self.has_block_children(child):
                return False
        return False

    def map_lid(self, el: etree._Element) -> Lid:
        nr_el = _first_own(el, "lidnr", stop=("lijst", "definitielijst", "lid"))
        number = clean_number(self.inline_text(nr_el, skip_blocks=False)) if nr_el is not None else ""
        texts: list[str] = []
        items: list[ListItem] = []
        for child in el:
            if not isinstance(child.tag, str) or child.tag in ("lidnr", "meta-data") or child.tag in _IGNORED_TAGS:
                continue
            if child.tag == "lijst":
                items.extend(self.list_items(child))
            elif child.tag == "definitielijst":
                items.extend(self.definition_items(child))
            elif child.tag in ("table", "tabel"):
                texts.extend(t for _, t in self.table_rows(child))
            elif child.tag == "toelichting":
                self.map_toelichting(child)
            else:
                for block in self.iter_blocks_of(child):
                    if block.kind == "item":
                        _add_item_block(items, block)
                    else:
                        texts.append(block.text)
        own = self.inline_text(el)
        if own:
            texts.insert(0, own)
        text = "\n".join(t for t in texts if t)
        if not number:
            m = _LID_PREFIX_RE.match(text)
            if m:
                number, text = m.group(1), text[m.end():]
        lid = Lid(number=number or None, text=text, items=items, location=self.locate(el))
        if (el.get("status") or "").lower() == "vervallen" and not text:
            lid.text = "[Vervallen]"
        return lid

    def _apply_vervallen(self, el: etree._Element, article: Article) -> None:
        status = (el.get("status") or "").lower()
        body = normalize_space(" ".join(l.full_text() for l in article.leden))
        title_vervallen = bool(_VERVALLEN_RE.match(article.title)) if article.title else False
        if status == "vervallen" or (body and _VERVALLEN_RE.match(body)) or (title_vervallen and not body):
            article.status = "vervallen"
            if not body or _VERVALLEN_RE.match(body):
                article.leden = []
            if title_vervallen:
                article.title = ""

    # -- toelichting and bijlagen ------------------------------------------

    def map_toelichting(self, el: etree._Element) -> None:
        _, _, heading = self.parse_kop(el.find("kop"))
        heading = heading or "Toelichting"
        current = Section(heading=heading, location=self.locate(el))
        sections = [current]
        for block in self._toelichting_blocks(el):
            text = f"{block.label} {block.text}".strip() if block.kind == "item" else block.text
            if not text:
                continue
            if block.kind == "heading" or (block.bold and len(text) <= 120 and block.kind == "p"):
                current = Section(heading=text, location=self.locate(block.element))
                sections.append(current)
            else:
                current.paragraphs.append(text)
        kept = [s for i, s in enumerate(sections) if s.paragraphs or i == len(sections) - 1]
        self.doc.toelichting.extend(s for s in kept if s.paragraphs or s.heading)

    def _toelichting_blocks(self, el: etree._Element) -> Iterator[Block]:
        for child in el:
            if not isinstance(child.tag, str) or child.tag == "kop":
                continue
            if child.tag in _DIVISION_TAGS or child.tag in ("divisie", "artikel", "toelichting"):
                kop = child.find("kop")
                if kop is not None:
                    text = self.kop_text(kop)
                    if text:
                        yield Block("heading", text, kop, bold=True)
                yield from self._toelichting_blocks(child)
            else:
                yield from self.iter_blocks_of(child)

    def map_bijlage(self, el: etree._Element) -> None:
        _, _, title = self.parse_kop(el.find("kop"))
        if _is_toelichting_heading(title):
            self.map_toelichting(el)
            return
        name = f"bijlage '{title}'" if title else "een bijlage"
        self.doc.warnings.append(
            f"Het document bevat {name} ({self.locate(el).describe()}); bijlagen worden niet als artikelen gelezen."
        )

    # -- lines for the text structurer ---------------------------------------

    def lines_from(self, elements: Iterable[etree._Element]) -> list[Line]:
        """The text of ``elements`` as Lines for :func:`~.structure.build_document`."""
        lines: list[Line] = []
        for block in self.blocks_of(elements):
            if not block.text:
                continue
            location = self.locate(block.element)
            if block.kind == "item":
                label = block.label or None
                lines.append(Line(text=block.text, location=location, label=label, indent=float(block.depth + 1)))
            else:
                heading = "heading" if block.kind == "heading" else None
                lines.append(Line(text=block.text, location=location, heading=heading, bold=block.bold))
        return lines


_DIVISION_KINDS = ("hoofdstuk", "paragraaf", "afdeling", "titel")
_DIVISION_TAGS = {
    "hoofdstuk": "hoofdstuk",
    "paragraaf": "paragraaf",
    "sub-paragraaf": "paragraaf",
    "subparagraaf": "paragraaf",
    "afdeling": "afdeling",
    "titeldeel": "titel",
    "deel": "titel",
    "boek": "titel",
    "divisie": None,
}


def _first_own(el: etree._Element, tag: str, stop: tuple[str, ...]) -> etree._Element | None:
    """First descendant ``tag`` of ``el`` that is not inside a nested ``stop`` element."""
    stack = [c for c in el if isinstance(c.tag, str)]
    while stack:
        node = stack.pop(0)
        if node.tag == tag:
            return node
        if node.tag in stop:
            continue
        stack[0:0] = [c for c in node if isinstance(c.tag, str)]
    return None


def _add_item_block(items: list[ListItem], block: Block) -> None:
    """Append a list-item block to ``items``, nesting it under the last item by depth."""
    target = items
    for _ in range(block.depth):
        if not target:
            break
        target = target[-1].items
    target.append(ListItem(block.label, block.text))


def _outermost(root: etree._Element, tag: str) -> list[etree._Element]:
    """``tag`` elements under ``root`` that are not inside another ``tag`` element."""
    return [el for el in root.iter(tag) if not any(a.tag == tag for a in el.iterancestors())]


def _nearest(stack: list[Division], kinds: tuple[str, ...]) -> str | None:
    for division in reversed(stack):
        if division.kind in kinds:
            return division.number or None
    return None


def _describe_division(division: Division) -> str:
    name = division.kind
    if division.number:
        name += f" {division.number}"
    if division.title:
        name += f" ({division.title})"
    return name


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


_TOELICHTING_HEADINGS = (
    "toelichting", "algemene toelichting", "artikelsgewijze toelichting", "artikelgewijze toelichting",
    "memorie van toelichting", "nota van toelichting",
)


def _is_toelichting_heading(title: str) -> bool:
    t = normalize_space(title).lower()
    return t.startswith(_TOELICHTING_HEADINGS)


# ---------------------------------------------------------------------------
# Safe parsing
# ---------------------------------------------------------------------------

_UNSAFE_MESSAGE = (
    "het XML-bestand bevat een DOCTYPE met entiteiten of een externe DTD; "
    "die worden om veiligheidsredenen niet verwerkt."
)
_DOCTYPE_RE = re.compile(r"<!DOCTYPE\b(?P<body>(?:[^\[>]|\[[^\]]*\])*)>?", re.I | re.S)


def _prolog_text(data: bytes) -> str:
    """The start of the document as text, good enough to find a DOCTYPE in any encoding."""
    head = data[: 1024 * 1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return head.decode("utf-32", errors="ignore")
    if len(head) > 1 and head[0] == 0 and head[1] != 0:
        return head.decode("utf-16-be", errors="ignore")
    if len(head) > 1 and head[1] == 0 and head[0] != 0:
        return head.decode("utf-16-le", errors="ignore")
    return head.decode("latin-1")


def _without_comments_and_pis(text: str) -> str:
    """``text`` without ``<!-- -->`` comments and ``<? ?>`` processing instructions.

    A linear scan: the regex ``<!--.*?-->|<\\?.*?\\?>`` it replaces took quadratic time on a
    prolog full of unclosed ``<!--`` (half a minute for 128 kB). An unclosed comment or
    instruction runs to the end of the text, as it would for an XML parser.
    """
    out: list[str] = []
    pos = 0
    comment = pi = -2  # next "<!--" / "<?" at or after pos (-1: none left), found lazily
    while pos < len(text):
        if -1 < comment < pos or comment == -2:
            comment = text.find("<!--", pos)
        if -1 < pi < pos or pi == -2:
            pi = text.find("<?", pos)
        if comment < 0 and pi < 0:
            break
        start = comment if pi < 0 or (comment >= 0 and comment < pi) else pi
        out.append(text[pos:start])
        if start == comment:
            end = text.find("-->", start + 4)
            pos = len(text) if end < 0 else end + 3
        else:
            end = text.find("?>", start + 2)
            pos = len(text) if end < 0 else end + 2
    else:
        return "".join(out)
    out.append(text[pos:])
    return "".join(out)


def _reject_unsafe_prolog(data: bytes, name: str) -> None:
    text = _prolog_text(data)
    # Only the prolog can declare a DTD: look before the first element start tag.
    m = _DOCTYPE_RE.search(text)
    if m is None:
        return
    before = text[: m.start()]
    if re.search(r"<[A-Za-z_]", _without_comments_and_pis(before)):
        return  # "<!DOCTYPE" appears after the root start tag: text, not a declaration
    body = m.group("body")
    if re.search(r"<!ENTITY|\bSYSTEM\b|\bPUBLIC\b|%\s*[\w.-]+\s*;", body, re.I):
        raise UnsafeDocument(_UNSAFE_MESSAGE, name)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def parse_xml_safely(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML; raise UnsafeDocument / MalformedDocument with a Dutch message."""
    _reject_unsafe_prolog(data, name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        detail = normalize_space(exc.msg or str(exc))
        if "excessive depth" in detail.lower():
            raise LimitExceeded("het XML-bestand is te diep genest (meer dan 256 niveaus).", name) from None
        where = f" (regel {line})" if line else ""
        raise MalformedDocument(f"het XML-bestand is niet goed gevormd{where}: {detail}", name) from None
    except ValueError as exc:  # e.g. unsupported encoding declarations
        raise MalformedDocument(f"het XML-bestand kan niet worden gelezen: {exc}", name) from None
    if root is None:
        raise MalformedDocument("het XML-bestand bevat geen elementen.", name)
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if docinfo.system_url or docinfo.public_id or (dtd is not None and any(True for _ in dtd.iterentities())):
        raise UnsafeDocument(_UNSAFE_MESSAGE, name)
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise UnsafeDocument(_UNSAFE_MESSAGE, name)
    return root


class ElementPaths:
    """Element paths like ``/cvdr/body/regeling/regeling-tekst/hoofdstuk[2]/artikel`` (the
    form of ``getpath``: an index only where siblings share the name), computed once for
    the whole tree instead of per element (``getpath`` counts siblings on every call)."""

    def __init__(self, root: etree._Element):
        self._paths: dict[etree._Element, str] = {root: f"/{root.tag}"}
        stack = [root]
        while stack:
            parent = stack.pop()
            base = self._paths[parent]
            children = [c for c in parent if isinstance(c.tag, str)]
            counts: dict[str, int] = {}
            for child in children:
                counts[child.tag] = counts.get(child.tag, 0) + 1
            seen: dict[str, int] = {}
            for child in children:
                tag = child.tag
                if counts[tag] > 1:
                    seen[tag] = seen.get(tag, 0) + 1
                    self._paths[child] = f"{base}/{tag}[{seen[tag]}]"
                else:
                    self._paths[child] = f"{base}/{tag}"
                stack.append(child)

    def __call__(self, el: etree._Element) -> str:
        path = self._paths.get(el)
        if path is None:  # an element added after indexing
            path = el.getroottree().getpath(el)
        return path


def strip_namespaces(root: etree._Element) -> None:
    """Replace every element name by its local name, so paths read ``/cvdr/body/...``."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = etree.QName(el).localname
    etree.cleanup_namespaces(root)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

_CVDR_META = {
    "identifier": "identifier",
    "title": "title",
    "type": "type",
    "modified": "modified",
    "alternative": "alternative",
    "isFormatOf": "isFormatOf",
    "source": "source",
    "isRatifiedBy": "isRatifiedBy",
    "subject": "subject",
    "issued": "issued",
    "inwerkingtredingDatum": "inwerkingtredingDatum",
    "uitwerkingtredingDatum": "uitwerkingtredingDatum",
    "betreft": "betreft",
    "kenmerk": "kenmerk",
}


def read_xml(data: bytes, name: str, limits: Limits) -> Document:
    """Read CVDR XML or op-xsd (gemeenteblad) XML into a :class:`Document`."""
    if len(data) > limits.max_bytes:
        raise LimitExceeded("het bestand is te groot.", name)
    root = parse_xml_safely(data, name)
    strip_namespaces(root)
    paths = ElementPaths(root)

    def locate(el: etree._Element) -> SourceLocation:
        return SourceLocation(path=paths(el))

    tag = root.tag
    if tag == "cvdr":
        document = Document(format="cvdr-xml", source_name=name)
        mapper = RegelingMapper(document, locate)
        _read_cvdr(root, mapper)
    elif tag == "officiele-publicatie":
        document = Document(format="op-xml", source_name=name)
        mapper = RegelingMapper(document, locate)
        map_op_publication(root, mapper)
    else:
        raise UnsupportedFormat(
            f"onbekend XML-formaat (hoofdelement <{tag}>); verwacht wordt CVDR-XML (<cvdr>) "
            "of een officiële bekendmaking (<officiele-publicatie>).",
            name,
        )
    finish_document(mapper, name, limits)
    return document


def _read_cvdr(root: etree._Element, mapper: RegelingMapper) -> None:
    doc = mapper.doc
    meta = root.find("meta")
    if meta is not None:
        values: dict[str, list[str]] = {}
        for el in meta.iter():
            if not isinstance(el.tag, str) or el.tag not in _CVDR_META:
                continue
            text = mapper.inline_text(el)
            if text:
                values.setdefault(_CVDR_META[el.tag], []).append(text)
        for key, vals in values.items():
            doc.metadata[key] = "; ".join(dict.fromkeys(vals))
        creator = meta.find("owmskern/creator")
        if creator is not None:
            doc.gemeente = _strip_gemeente(mapper.inline_text(creator)) or None
        if "alternative" in doc.metadata:
            doc.metadata["citeertitel"] = doc.metadata["alternative"]
        doc.title = doc.metadata.get("title", "")
    body = root.find("body")
    if body is None:
        return
    if not doc.title:
        intitule = body.find("intitule")
        if intitule is not None:
            doc.title = mapper.inline_text(intitule)
    regelingen = _outermost(body, "regeling")
    for regeling in regelingen:
        mapper.map_regeling(regeling)
    if regelingen and not doc.articles:
        _structure_fallback(mapper, [c for r in regelingen for c in r if c.tag != "kop"])
    # toelichting or bijlagen outside the regeling (siblings in body)
    for child in body:
        if isinstance(child.tag, str) and child.tag == "toelichting":
            mapper.map_toelichting(child)
        elif isinstance(child.tag, str) and child.tag == "bijlage":
            mapper.map_bijlage(child)
    for child in root:
        if isinstance(child.tag, str) and child.tag == "toelichting":
            mapper.map_toelichting(child)


_UITGAVE_RE = re.compile(r"offici[eë]le\s+uitgave\s+van\s+(?:de\s+|het\s+)?(?P<who>.+?)\s*\.?$", re.I)


def map_op_publication(root: etree._Element, mapper: RegelingMapper) -> None:
    """Map an op-xsd ``officiele-publicatie`` tree (from XML or rebuilt from HTML)."""
    doc = mapper.doc
    metadata = root.find("metadata")
    if metadata is not None:
        for meta in metadata.iter("meta"):
            key, value = meta.get("name"), normalize_space(meta.get("content"))
            if key and value:
                doc.metadata[key] = value
    kop = root.find("kop")
    if kop is not None:
        titel = kop.find("titel")
        if titel is not None and mapper.inline_text(titel):
            doc.metadata["publicatieblad"] = mapper.inline_text(titel)
            add_dropped(doc.dropped, "gemeenteblad", mapper.inline_text(titel), mapper.locate(titel))
        subtitel = kop.find("subtitel")
        if subtitel is not None:
            add_dropped(doc.dropped, "gemeenteblad", mapper.inline_text(subtitel), mapper.locate(subtitel))
            m = _UITGAVE_RE.search(mapper.inline_text(subtitel))
            if m:
                who = m.group("who")
                doc.metadata["uitgever"] = who
                g = re.match(r"gemeente\s+(.+)$", who, re.I)
                if g and not doc.gemeente:
                    doc.gemeente = g.group(1).strip()
    publication = next(
        (c for c in root if isinstance(c.tag, str) and c.tag not in _FLAT_TAGS | {"metadata", "kop", "meta"}),
        None,
    )
    if publication is None:
        # flat text without a publication element (an HTML page without _p_ containers)
        flat = [
            c for c in root
            if isinstance(c.tag, str) and c.tag not in ("metadata", "meta")
            and not (c.tag == "kop" and c.find("subtitel") is not None)
        ]
        if not doc.title:
            first_kop = next((c for c in flat if c.tag == "kop"), None)
            if first_kop is not None:
                doc.title = mapper.kop_text(first_kop)
        _structure_fallback(
            mapper, flat, "De publicatie is niet per artikel opgemaakt; de artikelen zijn uit de tekst herkend."
        )
        if not doc.articles:
            doc.warnings.append("De publicatie bevat geen regeling met artikelen.")
        return
    pub_kop = publication.find("kop")
    if pub_kop is not None and not doc.title:
        _, _, title = mapper.parse_kop(pub_kop)
        doc.title = title or mapper.kop_text(pub_kop)
    regelingen = _outermost(publication, "regeling")
    for regeling in regelingen:
        if not doc.title:
            kop_el = regeling.find("kop")
            if kop_el is not None:
                doc.title = mapper.kop_text(kop_el)
        mapper.map_regeling(regeling)
    for child in publication:
        if isinstance(child.tag, str) and child.tag == "toelichting":
            mapper.map_toelichting(child)
    if not regelingen:
        kinds = sorted({c.tag for c in publication if isinstance(c.tag, str) and c.tag != "kop"})
        if "zakelijke-mededeling" in kinds:
            doc.warnings.append("Dit is een zakelijke mededeling (bekendmaking), geen regeling met artikelen.")
        else:
            doc.warnings.append("De publicatie bevat geen regeling (geen <regeling>-element).")
        # a regulation may still be written as plain text; let the structurer try
        rest = [c for c in root if isinstance(c.tag, str) and c.tag not in ("metadata", "kop", "meta")]
        _structure_fallback(mapper, [c for c in publication if c is not pub_kop] + rest[1:])
    elif not doc.articles:
        _structure_fallback(mapper, [c for r in regelingen for c in r if c.tag != "kop"])


# elements that are text, not a publication container (as rebuilt from HTML paragraphs)
_FLAT_TAGS = INLINE_TAGS | {"al", "lijst", "li", "table", "tabel", "row", "entry", "definitielijst"}
_ARTICLE_LINE_RE = re.compile(r"^\s*(?:artikel|art\.)\s*(?:\d|[IVX]+\b)", re.I)


_FALLBACK_NOTE = (
    "De artikelen staan niet als artikelen in de regelingtekst maar als losse tekst "
    "(bijvoorbeeld in de aanhef); ze zijn uit die tekst herkend."
)


def _structure_fallback(
    mapper: RegelingMapper, elements: list[etree._Element], note: str = _FALLBACK_NOTE
) -> None:
    """When no ``artikel`` elements exist but the text has "Artikel 1" headings (the whole
    decision sits in the aanhef, as in bgr-2024-715), hand the text to the structurer."""
    lines = mapper.lines_from(elements)
    if sum(1 for line in lines if _ARTICLE_LINE_RE.match(line.text)) == 0:
        return
    try:
        from .structure import build_document
    except ImportError:  # pragma: no cover - the structurer is part of the package
        mapper.doc.warnings.append("De artikelen staan als losse tekst in het document; ze zijn niet herkend.")
        return
    doc = mapper.doc
    built = build_document(
        lines, format=doc.format, name=doc.source_name, title=doc.title or None,
        gemeente=doc.gemeente, metadata=dict(doc.metadata),
    )
    doc.aanhef = built.aanhef
    doc.divisions = built.divisions
    doc.articles = built.articles
    doc.slot = built.slot
    doc.toelichting = doc.toelichting + [s for s in built.toelichting if s not in doc.toelichting]
    doc.warnings.append(note)
    doc.warnings.extend(w for w in built.warnings if w not in doc.warnings)
    if not doc.gemeente and built.gemeente:
        doc.gemeente = built.gemeente


def _finish_names(doc: Document) -> None:
    """The title without chrome ("Gemeente X – ...", a file name), from the besluit when the
    kop gives none, readable when in capitals; the gemeente from the adopting raad when the
    metadata names none."""
    if not doc.gemeente:
        doc.gemeente = find_gemeente(
            metadata=doc.metadata.get("DC.creator") or doc.metadata.get("OVERHEID.authority"),
            front=doc.aanhef, slot=doc.slot,
        )
    title = clean_title(doc.title) or title_from_besluit(doc.aanhef) or ""
    vocabulary = "\n".join(doc.aanhef + [a.text for a in doc.articles[:60]])
    doc.title = readable_title(title, vocabulary, doc.gemeente) if title else ""
    if not doc.gemeente:
        doc.gemeente = find_gemeente(title=doc.title, grounds=doc.aanhef)


def _strip_gemeente(value: str) -> str:
    value = normalize_space(value)
    return re.sub(r"^gemeente\s+", "", value, flags=re.I)


def finish_document(mapper: RegelingMapper, name: str, limits: Limits) -> None:
    """Final checks shared by the tree readers: title and gemeente as the regulation names
    itself, size limit and notes on numbering."""
    doc = mapper.doc
    _finish_names(doc)
    total = sum(len(a.text) for a in doc.articles) + sum(len(p) for p in doc.aanhef) + sum(
        len(s.text) for s in doc.toelichting
    )
    if total > limits.max_text_chars:
        raise LimitExceeded(
            f"de tekst van het document is te lang ({total} tekens; de grens is {limits.max_text_chars}).", name
        )
    unnumbered = sum(1 for a in doc.articles if not a.number)
    if unnumbered:
        doc.warnings.append(
            f"{unnumbered} artikel(en) zonder nummer (lege kop); ze zijn meegenomen met een leeg artikelnummer."
        )
