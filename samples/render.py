#!/usr/bin/env python3
"""Render the sample ordinances into every format and layout users bring.

Usage::

    python samples/render.py [ID ...] [--sources DIR] [--out DIR]
                             [--formats md,txt,...] [--no-browser]

Every ``sources/<id>.yaml`` (see ``README.md`` for the format) becomes
``rendered/<id>/`` with:

==========================  ================================================
``<id>.md``                 Markdown as kept in a legal git repository
``<id>.txt``                plain text, hard-wrapped, typed numbers
``<id>-pasted.txt``         the lokaleregelgeving page selected in a browser, saved as text
``<id>-cvdr.xml``           CVDR XML (lokaleregelgeving export)
``<id>-lokaleregelgeving.html``  a lokaleregelgeving.overheid.nl page
``<id>-gemeenteblad.html``  a zoek.officielebekendmakingen.nl XHTML page
``<id>-inline.pdf``         reportlab, "Artikel 3. Aanvraag" on one line
``<id>-nextline.pdf``       reportlab, Times, title on the line after "Artikel 3"
``<id>-browser.pdf``        the lokaleregelgeving page printed by headless Chromium
``<id>-typed.docx``         Word, numbers typed in the text
``<id>-autonum.docx``       Word, numbers from automatic list numbering
==========================  ================================================

Every rendering carries exactly the text of the source: the noise added for
realism (site chrome, running headers, hyphenation, empty paragraphs) never
changes a word of the regulation or its toelichting. Output is deterministic:
the same source gives byte-identical files (the browser PDF only when
``faketime`` is installed, since Chromium stamps the print date).

Dependencies: pyyaml, lxml, reportlab, python-docx, pyphen (hyphenation);
Chromium (Debian package ``chromium``) and optionally ``faketime`` for the
browser print.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import html
import http.server
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Union
from xml.sax.saxutils import escape as xml_escape

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCES = HERE / "sources"
DEFAULT_OUT = HERE / "rendered"

FORMATS = (
    "md", "txt", "pasted", "cvdr", "lokaleregelgeving", "gemeenteblad",
    "inline", "nextline", "browser", "typed", "autonum",
)


# =============================================================================
# Model and loading
# =============================================================================


class SourceError(ValueError):
    """A source file does not follow the format in samples/README.md."""


@dataclass
class Item:
    label: str
    text: str
    items: list["Item"] = field(default_factory=list)


@dataclass
class Lid:
    number: str | None
    text: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Article:
    number: str
    title: str
    status: str | None
    leden: list[Lid]

    @property
    def vervallen(self) -> bool:
        return (self.status or "").lower() == "vervallen"


@dataclass
class Paragraaf:
    number: str
    title: str
    children: list[Article]


@dataclass
class Chapter:
    number: str
    title: str
    children: list[Union[Paragraaf, Article]]


Node = Union[Chapter, Paragraaf, Article]


@dataclass
class ToelichtingSection:
    heading: str
    paragraphs: list[str]


@dataclass
class Ordinance:
    id: str
    title: str
    citeertitel: str
    gemeente: str
    date: dt.date
    kind: str
    numbering: str
    aanhef: list[str]
    body: list[Node]
    slot: list[str]
    toelichting: list[ToelichtingSection]

    def articles(self) -> Iterator[Article]:
        for node in walk(self.body):
            if isinstance(node, Article):
                yield node

    def chapters(self) -> list[Chapter]:
        return [n for n in self.body if isinstance(n, Chapter)]


def walk(nodes: list[Node]) -> Iterator[Node]:
    """All structural nodes in document order (pre-order)."""
    for node in nodes:
        yield node
        if isinstance(node, (Chapter, Paragraaf)):
            yield from walk(node.children)


def _text(value, where: str, required: bool = True) -> str:
    if value is None:
        if required:
            raise SourceError(f"{where}: missing text")
        return ""
    if isinstance(value, (dict, list)):
        raise SourceError(f"{where}: expected text, got {type(value).__name__}")
    return " ".join(str(value).split()) if "\n" in str(value) else str(value).strip()


def _number(value, where: str) -> str:
    if value is None or str(value).strip() == "":
        raise SourceError(f"{where}: missing number")
    return str(value).strip()


def _items(raw, where: str) -> list[Item]:
    result = []
    for i, entry in enumerate(raw or [], 1):
        w = f"{where}/item {i}"
        if not isinstance(entry, dict):
            raise SourceError(f"{w}: expected a mapping")
        result.append(Item(label=_text(entry.get("label"), w + " label"),
                           text=_text(entry.get("text"), w),
                           items=_items(entry.get("items"), w)))
    return result


def _article(raw: dict, where: str) -> Article:
    number = _number(raw.get("number"), where)
    w = f"{where}/artikel {number}"
    leden = []
    for i, entry in enumerate(raw.get("leden") or [], 1):
        lw = f"{w}/lid {i}"
        if not isinstance(entry, dict):
            raise SourceError(f"{lw}: expected a mapping")
        num = entry.get("number")
        leden.append(Lid(number=None if num is None or str(num).strip() == "" else str(num).strip(),
                         text=_text(entry.get("text"), lw, required=False),
                         items=_items(entry.get("items"), lw)))
    article = Article(number=number, title=_text(raw.get("title"), w, required=False),
                      status=raw.get("status"), leden=leden)
    if not article.vervallen and not leden:
        raise SourceError(f"{w}: an article that is not vervallen needs leden")
    return article


def _children(raw: dict, where: str, allow_paragrafen: bool = True) -> list:
    children: list = [_article(a, where) for a in raw.get("articles") or []]
    if allow_paragrafen:
        for p in raw.get("paragrafen") or []:
            number = _number(p.get("number"), where)
            pw = f"{where}/paragraaf {number}"
            children.append(Paragraaf(number=number, title=_text(p.get("title"), pw, False),
                                      children=_children(p, pw, allow_paragrafen=False)))
    return children


def load_source(path: Path) -> Ordinance:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SourceError(f"{path}: expected a mapping at the top")
    where = path.name
    for key in ("id", "title", "gemeente", "date", "kind", "numbering"):
        if key not in data:
            raise SourceError(f"{where}: missing '{key}'")
    date = data["date"]
    if isinstance(date, dt.datetime):
        date = date.date()
    elif not isinstance(date, dt.date):
        date = dt.date.fromisoformat(str(date))
    if data.get("chapters"):
        body: list[Node] = []
        for c in data["chapters"]:
            number = _number(c.get("number"), where)
            cw = f"{where}/hoofdstuk {number}"
            body.append(Chapter(number=number, title=_text(c.get("title"), cw, False),
                                children=_children(c, cw)))
    else:
        body = _children(data, where)
    if not body:
        raise SourceError(f"{where}: no chapters or articles")
    title = _text(data["title"], where)
    return Ordinance(
        id=str(data["id"]), title=title,
        citeertitel=_text(data.get("citeertitel"), where, False) or title,
        gemeente=_text(data["gemeente"], where), date=date,
        kind=str(data["kind"]), numbering=str(data["numbering"]),
        aanhef=[_text(a, where + "/aanhef") for a in data.get("aanhef") or []],
        body=body,
        slot=[str(s).rstrip() for s in data.get("slot") or []],
        toelichting=[ToelichtingSection(heading=_text(t.get("heading"), where + "/toelichting", False),
                                        paragraphs=[_text(p, where + "/toelichting")
                                                    for p in t.get("paragraphs") or []])
                     for t in data.get("toelichting") or []],
    )


# =============================================================================
# Derived publication metadata (deterministic, fictional)
# =============================================================================

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli",
          "augustus", "september", "oktober", "november", "december")

# Keywords in a title -> CVDR "onderwerp" (for non-Wmo samples).
SUBJECTS = (
    ("afval", "milieu"),
    ("jeugd", "jeugd"),
    ("politie", "openbare orde en veiligheid"),
    ("apv", "openbare orde en veiligheid"),
    ("parkeer", "ruimtelijke ordening, verkeer en vervoer"),
    ("bijstand", "werk en sociale zekerheid"),
    ("participatie", "werk en sociale zekerheid"),
    ("belasting", "financiën"),
    ("heffing", "financiën"),
)


def long_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


def stable_hash(*parts: str) -> int:
    return int(hashlib.sha256(":".join(parts).encode("utf-8")).hexdigest(), 16)


def rng(o: Ordinance, salt: str) -> random.Random:
    """A random generator for layout noise, fixed per ordinance and rendering."""
    return random.Random(stable_hash(o.id, salt))


@dataclass(frozen=True)
class Publication:
    cvdr_number: int          # 6xxxxx -> CVDR6xxxxx
    published: dt.date        # publication in the gemeenteblad
    in_force: dt.date
    gmb_number: int           # national officielebekendmakingen number
    blad_nr: int              # local "Gemeenteblad 2011, nr. 45"
    subject: str
    eigen_onderwerp: str
    grondslagen: tuple[str, ...]
    kenmerk: str

    @property
    def cvdr_id(self) -> str:
        return f"CVDR{self.cvdr_number}"

    @property
    def gmb_id(self) -> str:
        return f"gmb-{self.published.year}-{self.gmb_number}"


def publication(o: Ordinance) -> Publication:
    h = stable_hash(o.id, "publication")
    published = o.date + dt.timedelta(days=6 + h % 15)
    if o.date.year < 2015:  # older ordinances mostly start on the first of a month
        nxt = published.replace(day=1) + dt.timedelta(days=32)
        in_force = nxt.replace(day=1)
    else:
        in_force = published + dt.timedelta(days=1)
    lowered = o.title.lower()
    if o.kind in ("wmo", "amendment"):
        subject = "maatschappelijke zorg en welzijn"
        eigen = "Wmo"
        if o.date.year >= 2015:
            basis = ("Wet maatschappelijke ondersteuning 2015, art. 2.1.3",
                     "Wet maatschappelijke ondersteuning 2015, art. 2.1.4")
        else:
            basis = ("Wet maatschappelijke ondersteuning, art. 5",
                     "Wet maatschappelijke ondersteuning, art. 6")
    else:
        subject = next((s for key, s in SUBJECTS if key in lowered), "bestuur en recht")
        eigen = ""
        basis = ("Gemeentewet, art. 147", "Gemeentewet, art. 149")
    return Publication(
        cvdr_number=600000 + h % 100000,
        published=published,
        in_force=in_force,
        gmb_number=10000 + (h >> 20) % 190000,
        blad_nr=1 + (h >> 40) % 140,
        subject=subject,
        eigen_onderwerp=eigen,
        grondslagen=basis,
        kenmerk=f"{o.date.year}/{(h >> 60) % 90000 + 10000}",
    )


# =============================================================================
# Shared text helpers
# =============================================================================


def dotted(number: str) -> str:
    """'3' -> '3.'; numbers with their own separators ('2.3', '2:3') stay as they are."""
    if number.endswith(".") or "." in number or ":" in number:
        return number
    return number + "."


def spaced(number: str) -> str:
    """'12a' -> '12 a': some publications print the letter of an inserted article apart."""
    return re.sub(r"^([0-9.:]*[0-9])([a-z])$", r"\1 \2", number)


def lid_label(number: str) -> str:
    return number if number.endswith(".") else number + "."


def heading(label: str, title: str, sep: str = " ") -> str:
    return f"{label}{sep}{title}" if title else label.rstrip(".")


def split_signature(line: str) -> list[str]:
    """Signature lines use runs of spaces as columns ('de griffier,   de voorzitter,')."""
    return [part for part in re.split(r"\s{3,}", line.strip()) if part]


def slug(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", number).strip("_") or "x"


def roman_to_int(value: str) -> int | None:
    if not re.fullmatch(r"[IVXLC]+", value):
        return None
    numerals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(value):
        v = numerals[ch]
        total += -v if i + 1 < len(value) and numerals[value[i + 1]] > v else v
    return total


def int_to_roman(n: int) -> str:
    out = ""
    for value, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
                       (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def int_to_letter(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


# =============================================================================
# Markdown
# =============================================================================


def render_markdown(o: Ordinance) -> str:
    """Markdown as kept in a legal git repository. The list items of a lid are a Markdown list
    right under the lid's sentence ("- a. ...", "* a. ..." or, in some repositories, the label
    alone, indented); nested items are nested list items. Which one is fixed per sample."""
    lines: list[str] = [f"# {o.title}", ""]
    for para in o.aanhef:
        lines += [para, ""]
    bullet = rng(o, "markdown").choice(["-", "*", ""])

    def items(entries: list[Item], depth: int) -> None:
        for item in entries:
            if not bullet or item.label in ("-", "–"):
                lines.append(f"{'   ' * depth}{item.label} {item.text}")
            else:
                lines.append(f"{'  ' * (depth - 1)}{bullet} {item.label} {item.text}")
            items(item.items, depth + 1)

    def node(n: Node, level: int) -> None:
        hashes = "#" * min(level, 6)
        if isinstance(n, Chapter):
            lines.extend([f"{hashes} {heading(f'Hoofdstuk {n.number}', n.title, ' - ')}", ""])
        elif isinstance(n, Paragraaf):
            lines.extend([f"{hashes} {heading(f'Paragraaf {n.number}', n.title, ' - ')}", ""])
        else:
            lines.extend([f"{hashes} {heading(f'Artikel {n.number}', n.title, ' - ')}", ""])
            if n.vervallen:
                lines.extend(["[Vervallen]", ""])
                return
            for lid in n.leden:
                text = f"{lid_label(lid.number)} {lid.text}" if lid.number else lid.text
                if text:
                    lines.append(text)
                items(lid.items, 1)
                lines.append("")
            return
        for child in n.children:
            node(child, level + 1)

    for n in o.body:
        node(n, 2)
    for line in o.slot:
        lines += [line, ""]
    if o.toelichting:
        lines += ["## Toelichting", ""]
        for section in o.toelichting:
            if section.heading:
                lines += [f"### {section.heading}", ""]
            for para in section.paragraphs:
                lines += [para, ""]
    return "\n".join(lines).rstrip() + "\n"


# =============================================================================
# Plain text
# =============================================================================

TXT_WIDTH = 78


def render_text(o: Ordinance) -> str:
    out: list[str] = []

    def para(text: str, first: str = "", rest: str | None = None) -> None:
        rest = " " * len(first) if rest is None else rest
        out.append(textwrap.fill(text, TXT_WIDTH, initial_indent=first, subsequent_indent=rest,
                                 break_long_words=False, break_on_hyphens=False))

    def items(entries: list[Item], indent: int) -> None:
        for item in entries:
            prefix = " " * indent + item.label + " "
            para(item.text, prefix, " " * (indent + max(len(item.label) + 1, 3)))
            items(item.items, indent + 3)

    # some documents put the article title on the line below "Artikel 4.3", the text right under it
    title_below = rng(o, "text").random() < 0.5
    out += [o.title, ""]
    for p in o.aanhef:
        para(p)
        out.append("")
    for n in walk(o.body):
        if isinstance(n, Chapter):
            out += ["", heading(f"Hoofdstuk {n.number}", n.title), ""]
        elif isinstance(n, Paragraaf):
            out += [heading(f"Paragraaf {n.number}", n.title), ""]
        else:
            if title_below and n.title:
                out += [f"Artikel {n.number}", n.title]  # the text follows without a blank line
            else:
                out += [heading(f"Artikel {n.number}", n.title), ""]
            if n.vervallen:
                out += ["[Vervallen]", ""]
                continue
            for lid in n.leden:
                if lid.number:
                    para(lid.text, lid_label(lid.number) + " ", "   ")
                elif lid.text:
                    para(lid.text)
                items(lid.items, 3)
                out.append("")
    if title_below:
        del out[-1]  # the ondertekening right under the last lid
    else:
        out.append("")
    out.extend(o.slot)
    if o.toelichting:
        out += ["", "", "TOELICHTING", ""]
        for section in o.toelichting:
            if section.heading:
                out += [section.heading, ""]
            for p in section.paragraphs:
                para(p)
                out.append("")
    return "\n".join(out).rstrip() + "\n"


# =============================================================================
# Text pasted from a web page
# =============================================================================

PASTE_SPLIT_RATE = 0.35  # share of definition terms whose first letter comes apart


def _paste_split(text: str, noise: random.Random) -> str:
    """Now and then a definition term split after its first letter ("a lgemeen ..."), as a
    page that styles the first letter of a term gives it when copied."""
    term, sep, rest = text.partition(":")
    first = term.split(" ", 1)[0]
    if sep and len(term.split()) <= 5 and len(first) >= 5 and first.isalpha() and first.islower() \
            and noise.random() < PASTE_SPLIT_RATE:
        return f"{first[0]} {text[1:]}"
    return text


def _letter_spaced(word: str) -> str:
    return " ".join(word)


def render_pasted(o: Ordinance) -> str:
    """The lokaleregelgeving page as a user gets it by selecting it in a browser and saving
    it as text (or pasting it): every paragraph separated by a blank line; a lid or list item
    as a bullet with its label on a line of its own and the text indented below it; the
    metadata table as rows of cells ending in " |"; the table of contents as a bulleted list;
    "besluit" letter-spaced; now and then a definition term split after its first letter."""
    pub = publication(o)
    noise = rng(o, "pasted")
    # copied from the lokaleregelgeving page, or from the Gemeenteblad page of the same text
    # ("Gemeente X – title" heading, no metadata, lid numbers on a line of their own)
    gemeenteblad = noise.random() < 0.4
    out: list[str] = []

    def para(text: str, indent: int = 0) -> None:
        out.extend([" " * indent + text, ""])

    def items(entries: list[Item], indent: int) -> None:
        for item in entries:
            para(f"• {item.label}", indent)
            para(_paste_split(item.text, noise), indent + 2)
            items(item.items, indent + 4)

    if gemeenteblad:
        return _render_pasted_gemeenteblad(o, para, items, out, noise)
    para(o.title)
    para(f"Geldend van {short_date(pub.in_force)} t/m heden")
    para("Regelingsgegevens")
    for key, value, _ in page_metadata(o, pub):
        out.append(f"{key} | {value} |" if value else f"{key} |")
    out.append("")
    para("Inhoudsopgave verberg")
    for n in walk(o.body):
        if isinstance(n, Chapter):
            para(f"• {heading(f'Hoofdstuk {n.number}', n.title)}", 2)
        elif isinstance(n, Paragraaf):
            para(f"• {heading(f'§ {n.number}', n.title)}", 6)
        else:
            para(f"• {heading(f'Artikel {n.number}', n.title)}", 6 if o.chapters() else 2)
    if o.toelichting:
        para("• Toelichting", 2)
    para(o.title)
    for text in o.aanhef:
        _paste_aanhef(text, para, noise)
    _paste_regulation(o, para, items, bulleted=True)
    return "\n".join(out).rstrip() + "\n"


def _paste_regulation(o: Ordinance, para: Callable, items: Callable, bulleted: bool) -> None:
    """Headings, leden, slot and toelichting as copied text. A lid number is a bullet with the
    number (``bulleted``, lokaleregelgeving) or the number alone (Gemeenteblad), each on a line
    of its own with the text below it."""
    for n in walk(o.body):
        if isinstance(n, Chapter):
            para(heading(f"Hoofdstuk {n.number}", n.title))
        elif isinstance(n, Paragraaf):
            para(heading(f"§ {n.number}", n.title))
        else:
            para(heading(f"Artikel {n.number}", n.title))
            if n.vervallen:
                para("[Vervallen]")
                continue
            for lid in n.leden:
                indent = 4 if lid.number and bulleted else 0
                if lid.number:
                    para(f"• {lid_label(lid.number)}" if bulleted else lid_label(lid.number), indent // 2)
                if lid.text:
                    para(lid.text, indent)
                items(lid.items, indent + 2)
    for line in o.slot:
        para(" ".join(split_signature(line)))  # a browser collapses the columns' spaces
    if o.toelichting:
        para("Toelichting")
        for section in o.toelichting:
            if section.heading:
                para(section.heading)
            for p in section.paragraphs:
                para(p)


def _paste_aanhef(text: str, para: Callable, noise: random.Random) -> None:
    """An aanhef paragraph; "besluit" mostly letter-spaced on a line of its own."""
    word, space, rest = text.partition(" ")
    if word.lower() == "besluit" and space and noise.random() < 0.8:
        para(_letter_spaced(word.lower()) + " :")
        para(rest)
    else:
        para(text)


def _render_pasted_gemeenteblad(o: Ordinance, para: Callable, items: Callable, out: list[str],
                                noise: random.Random) -> str:
    para(f"Gemeente {o.gemeente} – {o.title}")
    for text in o.aanhef:
        _paste_aanhef(text, para, noise)
        out.extend([" ", ""])  # the empty paragraphs of the page come through as a space
    _paste_regulation(o, para, items, bulleted=False)
    return "\n".join(out).rstrip() + "\n"


# =============================================================================
# CVDR XML
# =============================================================================

CVDR_NS = "http://standaarden.overheid.nl/cvdr/terms/"
DCTERMS_NS = "http://purl.org/dc/terms/"
OWMS_NS = "http://standaarden.overheid.nl/owms/terms/"
CVDRMETA_NS = "http://standaarden.overheid.nl/cvdr/meta/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def render_cvdr(o: Ordinance) -> bytes:
    from lxml import etree

    pub = publication(o)
    noise = rng(o, "cvdr")

    def el(parent, tag: str, text: str | None = None, ns: str = CVDR_NS, **attrs):
        node = etree.SubElement(parent, f"{{{ns}}}{tag}")
        for key, value in attrs.items():
            node.set(key, value)
        if text is not None:
            node.text = text
        return node

    def dc(parent, tag: str, text: str, **attrs):
        return el(parent, tag, text, DCTERMS_NS, **attrs)

    root = etree.Element(f"{{{CVDR_NS}}}cvdr", nsmap={
        None: CVDR_NS, "dcterms": DCTERMS_NS, "overheid": OWMS_NS,
        "overheidrg": CVDRMETA_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation",
             "http://standaarden.overheid.nl/cvdr/terms/  "
             "http://decentrale.regelgeving.overheid.nl/cvdr/xsd/cvdr.xsd")
    root.append(etree.Comment("export0.92"))

    meta = etree.SubElement(root, f"{{{CVDR_NS}}}meta", nsmap={
        "msxsl": "urn:schemas-microsoft-com:xslt", "xhtml": "http://www.w3.org/1999/xhtml"})
    kern = el(meta, "owmskern")
    dc(kern, "identifier", f"{pub.cvdr_id}_1")
    dc(kern, "title", o.title)
    dc(kern, "language", "nl")
    dc(kern, "type", "regeling", scheme="overheid:Informatietype")
    dc(kern, "creator", o.gemeente, scheme="overheid:Gemeente")
    dc(kern, "modified", pub.in_force.isoformat())
    mantel = el(meta, "owmsmantel")
    dc(mantel, "isFormatOf", pub.gmb_id,
       resourceIdentifier=f"https://zoek.officielebekendmakingen.nl/{pub.gmb_id}")
    dc(mantel, "alternative", o.citeertitel)
    for basis in pub.grondslagen:
        dc(mantel, "source", basis, resourceIdentifier="")
    el(mantel, "isRatifiedBy", "gemeenteraad", OWMS_NS, scheme="overheid:BestuursorgaanGemeente")
    dc(mantel, "subject", pub.subject)
    dc(mantel, "issued", o.date.isoformat())
    dc(mantel, "rights", "De tekst in dit document is vrij van auteursrecht en\n"
                         "                    databankrecht")
    ipm = el(meta, "cvdripm")
    el(ipm, "inwerkingtredingDatum", pub.in_force.isoformat(), CVDRMETA_NS)
    el(ipm, "betreft", "wijziging" if o.kind == "amendment" else "Nieuwe regeling", CVDRMETA_NS)
    el(ipm, "kenmerk", pub.kenmerk, CVDRMETA_NS)
    el(el(ipm, "gedelegeerdeRegelgeving", ns=CVDRMETA_NS), "al", "Geen.")
    el(el(ipm, "redactioneleToevoeging", ns=CVDRMETA_NS), "al", "Geen.")

    body = el(root, "body")
    intitule = f"\n       {o.title} \n    " if noise.random() < 0.3 else o.title
    el(body, "intitule", intitule)
    regeling = el(body, "regeling")

    preambule = el(el(regeling, "aanhef"), "preambule")
    if not o.aanhef:
        el(preambule, "al")
    blank_lines = noise.random() < 0.75  # most exports separate the aanhef with <al/>
    for i, para in enumerate(o.aanhef):
        if i and blank_lines:
            el(preambule, "al")
        el(preambule, "al", para)

    def lijst(parent, entries: list[Item]) -> None:
        if not entries:
            return
        node = el(parent, "lijst", type="expliciet")
        for item in entries:
            li = el(node, "li", nr=item.label)
            el(li, "al", item.text)
            lijst(li, item.items)

    def kop(parent, label: str, nr: str, titel: str) -> None:
        k = el(parent, "kop")
        el(k, "label", label or None)
        el(k, "nr", nr or None)
        el(k, "titel", titel or None)

    def article(parent, a: Article) -> None:
        node = el(parent, "artikel")
        kop(node, "Artikel", a.number, a.title)
        if a.vervallen:
            el(node, "al", "[Vervallen]")
            return
        for lid in a.leden:
            if lid.number:
                lnode = el(node, "lid")
                el(lnode, "lidnr", lid.number)
                el(lnode, "al", lid.text or None)
                lijst(lnode, lid.items)
            else:
                if lid.text:
                    el(node, "al", lid.text)
                lijst(node, lid.items)
        if noise.random() < 0.25:
            el(node, "al")

    def structure(parent, n: Node) -> None:
        if isinstance(n, Article):
            article(parent, n)
            return
        tag, label = ("hoofdstuk", "Hoofdstuk") if isinstance(n, Chapter) else ("paragraaf", "§")
        node = el(parent, tag)
        kop(node, label, n.number, n.title)
        for child in n.children:
            structure(node, child)

    tekst = el(regeling, "regeling-tekst")
    for n in o.body:
        structure(tekst, n)

    sluiting = el(regeling, "regeling-sluiting")
    slotformulering = el(sluiting, "slotformulering")
    if o.slot:
        el(slotformulering, "al", o.slot[0])
    else:
        sluiting.insert(0, etree.Comment(
            "ontbrekende slotformulering die wel verplicht is in CVDR dus leeg neergezet"))
        el(slotformulering, "al")
    if len(o.slot) > 1:
        ondertekening = el(sluiting, "ondertekening")
        for i, line in enumerate(o.slot[1:]):
            if i and noise.random() < 0.5:
                el(ondertekening, "functie")
            el(ondertekening, "functie", line)

    if o.toelichting:
        toelichting = el(regeling, "toelichting")
        kop(toelichting, "", "", "Toelichting")
        for section in o.toelichting:
            if section.heading:
                el(el(toelichting, "al"), "vet", section.heading)
            for para in section.paragraphs:
                el(toelichting, "al", para)
            el(toelichting, "al")

    xml = etree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>' + xml).encode("utf-8")


# =============================================================================
# lokaleregelgeving.overheid.nl page (HTML5)
# =============================================================================

LRG_STYLE = """
    :root { --blauw: #154273; --lichtblauw: #e5f0f9; --grijs: #696969; }
    body { margin: 0; font-family: "RijksoverheidSansWebText", Verdana, Arial, sans-serif;
           font-size: 15px; line-height: 1.5; color: #000; }
    .container { max-width: 980px; margin: 0 auto; padding: 0 16px; }
    .skiplinks a, .visually-hidden { position: absolute; left: -9999px; }
    .header { border-bottom: 4px solid var(--blauw); padding: 12px 0 0; }
    .header__logo { display: inline-block; color: var(--blauw); text-decoration: none; }
    .header__logo strong { display: block; font-size: 22px; }
    .header__logo span { font-size: 13px; color: var(--grijs); }
    .nav-main ul { list-style: none; margin: 10px 0 0; padding: 0; display: flex; gap: 18px; }
    .nav-main a { color: var(--blauw); font-weight: bold; text-decoration: none; }
    .search { margin: 10px 0; display: flex; gap: 6px; }
    .search input { flex: 1; padding: 4px 6px; border: 1px solid #888; }
    .search button { background: var(--blauw); color: #fff; border: 0; padding: 4px 12px; }
    .breadcrumb { font-size: 13px; color: var(--grijs); margin: 10px 0; }
    .breadcrumb ol { display: inline; list-style: none; padding: 0; }
    .breadcrumb li { display: inline; }
    .breadcrumb li + li::before { content: " \\203A  "; }
    h1 { color: var(--blauw); font-size: 26px; line-height: 1.25; }
    .regeling-status { background: var(--lichtblauw); padding: 6px 10px; }
    table.table--metadata { border-collapse: collapse; width: 100%; margin: 12px 0 24px; }
    table.table--metadata caption { text-align: left; font-weight: bold; padding: 4px 0; }
    table.table--metadata th, table.table--metadata td { border-bottom: 1px solid #ccc;
           text-align: left; vertical-align: top; padding: 4px 8px 4px 0; font-size: 14px; }
    table.table--metadata th { width: 32%; font-weight: normal; color: var(--grijs); }
    .toc { background: #f3f3f3; padding: 8px 16px; margin-bottom: 24px; }
    .toc ul { list-style: none; padding-left: 0; margin: 0; }
    .toc ul ul { padding-left: 18px; }
    .toc a { color: var(--blauw); }
    .regeling h2 { font-size: 19px; margin: 28px 0 8px; color: var(--blauw); }
    .regeling h3 { font-size: 17px; margin: 20px 0 6px; }
    .regeling h4 { font-size: 15px; margin: 18px 0 4px; }
    ul.leden { list-style: none; padding-left: 0; margin: 0; }
    li.lid { position: relative; padding-left: 2.2em; margin-bottom: 6px; }
    li.lid > .lidnr { position: absolute; left: 0; }
    li.lid > p { margin: 0; }
    dl.lijst { display: grid; grid-template-columns: 2.2em 1fr; margin: 4px 0; }
    dl.lijst dt { grid-column: 1; }
    dl.lijst dd { grid-column: 2; margin: 0; }
    dl.lijst dt.kop { grid-column: 1 / span 2; font-weight: bold; }
    dl.lijst dt.kop + dd { grid-column: 1 / span 2; }
    dl.lijst dt.kop + dd > p { font-weight: bold; }
    dl.lijst dd p { margin: 0; }
    .aanhef p, .slotformulering p { margin: 0 0 8px; }
    .toelichting { border-top: 1px solid #ccc; margin-top: 32px; }
    .footer { background: var(--blauw); color: #fff; margin-top: 40px; padding: 20px 0; font-size: 13px; }
    .footer a { color: #fff; }
    .footer ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 16px; }
    @media print { .search button, .skiplinks, .js-toc-toggle { display: none; } }
"""

LRG_SCRIPT = """
    (function () {
      document.documentElement.className = document.documentElement.className.replace('no-js', 'js');
      var toggle = document.querySelector('.js-toc-toggle');
      if (toggle) {
        toggle.addEventListener('click', function () {
          var list = document.getElementById('toc-list');
          var open = toggle.getAttribute('aria-expanded') === 'true';
          toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
          list.hidden = open;
        });
      }
    })();
"""


def page_metadata(o: Ordinance, pub: Publication) -> list[tuple[str, str, str | None]]:
    """The "Regelingsgegevens" of a lokaleregelgeving page: (label, text, html or None)."""
    e = html.escape
    return [
        ("Organisatie", f"Gemeente {o.gemeente}", None),
        ("Organisatietype", "Gemeente", None),
        ("Officiële naam regeling", o.title, None),
        ("Citeertitel", o.citeertitel, None),
        ("Vastgesteld door", "gemeenteraad", None),
        ("Onderwerp", pub.subject, None),
        ("Eigen onderwerp", pub.eigen_onderwerp, None),
        ("Grondslag", "; ".join(pub.grondslagen), "<br>".join(e(g) for g in pub.grondslagen)),
        ("Overgangsregeling", "Geen", None),
        ("Inwerkingtredingsdatum", short_date(pub.in_force), None),
        ("Datum ondertekening", short_date(o.date), None),
        ("Bronnen", f"Bron bekendmaking: Gemeenteblad {pub.published.year}, {pub.gmb_number}; "
                    f"Kenmerk voorstel: {pub.kenmerk}",
         f'Bron bekendmaking: <a href="https://zoek.officielebekendmakingen.nl/'
         f'{pub.gmb_id}">Gemeenteblad {pub.published.year}, {pub.gmb_number}</a>'
         f'<br>Kenmerk voorstel: {e(pub.kenmerk)}'),
    ]


QUOTED_HEADING = re.compile(r"^(?:Artikel|Hoofdstuk|Paragraaf|§)\s")


def render_lokaleregelgeving(o: Ordinance) -> str:
    pub = publication(o)
    e = html.escape
    url_path = f"/{pub.cvdr_id}/1"
    toc: list[str] = []
    body: list[str] = []
    used_ids: set[str] = set()

    def anchor(kind: str, number: str) -> str:
        base = f"{kind}_{slug(number)}"
        candidate, i = base, 2
        while candidate in used_ids:
            candidate, i = f"{base}_{i}", i + 1
        used_ids.add(candidate)
        return candidate

    def lijst(entries: list[Item], indent: str) -> None:
        if not entries:
            return
        body.append(f'{indent}<dl class="lijst">')
        for item in entries:
            # a heading quoted by an amendment ("Artikel 3a") is too wide for the label column
            cls = ' class="kop"' if QUOTED_HEADING.match(item.label) else ""
            body.append(f"{indent}  <dt{cls}>{e(item.label)}</dt>")
            body.append(f"{indent}  <dd><p>{e(item.text)}</p>")
            lijst(item.items, indent + "    ")
            body.append(f"{indent}  </dd>")
        body.append(f"{indent}</dl>")

    def article(a: Article) -> None:
        aid = anchor("artikel", a.number)
        text = heading(f"Artikel {a.number}", a.title)
        toc.append(f'<li><a href="#{aid}">{e(text)}</a></li>')
        body.append('        <div class="artikel">')
        body.append(f'          <h4 id="{aid}">{e(text)}</h4>')
        if a.vervallen:
            body.append("          <p>[Vervallen]</p>")
        else:
            numbered = [lid for lid in a.leden if lid.number]
            if numbered:
                body.append('          <ul class="leden">')
            for lid in a.leden:
                if lid.number:
                    body.append(f'            <li class="lid" id="{aid}_lid_{slug(lid.number)}">'
                                f'<span class="lidnr">{e(lid_label(lid.number))}</span>')
                    if lid.text:
                        body.append(f"              <p>{e(lid.text)}</p>")
                    lijst(lid.items, "              ")
                    body.append("            </li>")
                else:
                    if lid.text:
                        body.append(f"          <p>{e(lid.text)}</p>")
                    lijst(lid.items, "          ")
            if numbered:
                body.append("          </ul>")
        body.append("        </div>")

    def structure(n: Node) -> None:
        if isinstance(n, Article):
            article(n)
            return
        if isinstance(n, Chapter):
            nid, tag, text = anchor("hoofdstuk", n.number), "h2", heading(f"Hoofdstuk {n.number}", n.title)
        else:
            nid, tag, text = anchor("paragraaf", n.number), "h3", heading(f"§ {n.number}", n.title)
        toc.append(f'<li><a href="#{nid}">{e(text)}</a><ul>')
        body.append(f'        <{tag} id="{nid}">{e(text)}</{tag}>')
        for child in n.children:
            structure(child)
        toc.append("</ul></li>")

    for n in o.body:
        structure(n)

    metadata = [
        (key, html_value if html_value is not None else e(value))
        for key, value, html_value in page_metadata(o, pub)
    ]
    meta_rows = "\n".join(
        f'            <tr><th scope="row">{e(k)}</th><td>{v}</td></tr>'
        for k, v in metadata)

    aanhef = "\n".join(f"          <p>{e(p)}</p>" for p in o.aanhef)
    slot = "\n".join(f"          <p>{e(line)}</p>" for line in o.slot)
    toelichting = ""
    if o.toelichting:
        toc.append('<li><a href="#toelichting">Toelichting</a></li>')
        parts = ['      <div class="toelichting regeling" id="toelichting">',
                 "        <h2>Toelichting</h2>"]
        for section in o.toelichting:
            if section.heading:
                parts.append(f"        <h3>{e(section.heading)}</h3>")
            parts.extend(f"        <p>{e(p)}</p>" for p in section.paragraphs)
        parts.append("      </div>")
        toelichting = "\n".join(parts)

    return f"""<!DOCTYPE html>
<html lang="nl" class="no-js">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(o.citeertitel)} | Lokale wet- en regelgeving</title>
  <meta name="DC.identifier" content="{pub.cvdr_id}/1">
  <meta name="DC.title" content="{e(o.title)}">
  <meta name="DC.creator" content="{e(o.gemeente)}">
  <meta name="DCTERMS.modified" content="{pub.in_force.isoformat()}">
  <link rel="canonical" href="https://lokaleregelgeving.overheid.nl{url_path}">
  <link rel="stylesheet" href="/static/css/lrg.css">
  <link rel="icon" href="/static/img/favicon.ico">
  <style>{LRG_STYLE}  </style>
</head>
<body>
  <div class="skiplinks"><a href="#content">Direct naar content</a></div>
  <header class="header">
    <div class="container">
      <a class="header__logo" href="https://www.overheid.nl" title="Naar de homepage van Overheid.nl"><strong>Overheid.nl</strong><span>Lokale wet- en regelgeving</span></a>
      <nav class="nav-main" aria-label="Hoofdnavigatie">
        <ul>
          <li><a href="/">Home</a></li>
          <li><a href="/zoeken">Zoeken</a></li>
          <li><a href="/uitgebreid-zoeken">Uitgebreid zoeken</a></li>
          <li><a href="/help">Help</a></li>
          <li><a href="https://www.overheid.nl/contact">Contact</a></li>
        </ul>
      </nav>
      <form class="search" action="/zoeken/resultaat" method="get" role="search">
        <label for="search-q" class="visually-hidden">Zoeken in lokale regelgeving</label>
        <input id="search-q" name="q" type="search" placeholder="Zoek in lokale wet- en regelgeving">
        <button type="submit">Zoeken</button>
      </form>
    </div>
  </header>
  <div class="container">
    <div class="breadcrumb">U bevindt zich hier:
      <ol>
        <li><a href="https://www.overheid.nl">Home</a></li>
        <li><a href="/">Lokale wet- en regelgeving</a></li>
        <li><a href="/zoeken/resultaat">Zoekresultaten</a></li>
        <li>{e(o.citeertitel)}</li>
      </ol>
    </div>
    <main id="content">
      <h1>{e(o.title)}</h1>
      <p class="regeling-status">Geldend van {short_date(pub.in_force)} t/m heden</p>
      <table class="table--metadata">
        <caption>Regelingsgegevens</caption>
        <tbody>
{meta_rows}
        </tbody>
      </table>
      <nav class="toc" aria-labelledby="toc-heading">
        <h2 id="toc-heading">Inhoudsopgave <button class="js-toc-toggle" type="button" aria-expanded="true">verberg</button></h2>
        <ul id="toc-list">{"".join(toc)}</ul>
      </nav>
      <div class="regeling">
        <h2 class="intitule">{e(o.title)}</h2>
        <div class="aanhef">
{aanhef}
        </div>
{chr(10).join(body)}
        <div class="slotformulering">
{slot}
        </div>
      </div>
{toelichting}
    </main>
  </div>
  <footer class="footer">
    <div class="container">
      <ul>
        <li><a href="https://www.overheid.nl/over-deze-site">Over deze site</a></li>
        <li><a href="https://www.overheid.nl/privacy">Privacy</a></li>
        <li><a href="https://www.overheid.nl/cookies">Cookies</a></li>
        <li><a href="https://www.overheid.nl/toegankelijkheid">Toegankelijkheid</a></li>
        <li><a href="https://www.overheid.nl/contact">Contact</a></li>
      </ul>
      <p>Overheid.nl is de wegwijzer naar informatie en diensten van alle overheden.</p>
    </div>
  </footer>
  <script>{LRG_SCRIPT}  </script>
</body>
</html>
"""


# =============================================================================
# zoek.officielebekendmakingen.nl gemeenteblad page (XHTML 1.0, 2017 shape)
# =============================================================================


@dataclass
class PNode:
    """One element of the op-xsd -> HTML rendering.

    ``tag`` "div" or "p" gets an ``<a name="id...">`` anchor as first child;
    ``tag`` None renders only such an anchor (like the real ``kop`` wrapper);
    ``tag`` "span" is inline and has no anchor. ``html`` is pre-escaped content.
    """

    tag: str | None
    cls: str = ""
    html: str = ""
    children: list["PNode"] = field(default_factory=list)
    toc: str | None = None


def _al(text: str) -> PNode:
    return PNode("p", "common-al _p_common-al", html.escape(text) if text else "\u00a0")


def _kop(kind: str, label: str, nr: str, titel: str, toc: bool = True) -> PNode:
    parts = [f'<span class="_p_label">{html.escape(label)}</span>'] if label else []
    if nr:
        parts.append(f'<span class="_p_nr">{html.escape(nr)}</span>')
    if titel:
        parts.append(f'<span class="_p_titel">{html.escape(titel)}</span>')
    text = " ".join(parts)
    return PNode("p", f"{kind}_kop _p_{kind}-kop", text,
                 toc=heading(f"{label} {nr}".strip(), titel) if toc else None)


def _p_lijst(entries: list[Item]) -> PNode:
    node = PNode("div", "_p_lijst")
    for item in entries:
        li = PNode("div", "_p_li", children=[PNode("span", "_p_li-nr", html.escape(item.label)),
                                             _al(item.text)])
        if item.items:
            li.children.append(_p_lijst(item.items))
        node.children.append(li)
    return node


def _serialize_pnode(node: PNode, path: list[int], depth: int, out: list[str],
                     toc: list[tuple[str, str, int]]) -> None:
    name = "id" + "-".join(str(p) for p in path)
    ind = "\n" + "  " * depth
    anchor = f'<a name="{name}"><!----></a>'
    if node.toc:
        toc.append((name, node.toc, depth))
    if node.tag == "span":
        out.append(f'<span class="{node.cls}">{node.html}</span>')
        return
    if node.tag == "p":
        out.append(f'{ind}<p class="{node.cls}">{anchor}{node.html}</p>')
        return
    if node.tag is None:
        out.append(f"{ind}{anchor}")
    else:
        out.append(f'{ind}<div class="{node.cls}">{anchor}')
    index = 0
    for child in node.children:
        if child.tag == "span":
            _serialize_pnode(child, path, depth + 1, out, toc)
        else:
            index += 1
            _serialize_pnode(child, path + [index], depth + (0 if node.tag is None else 1), out, toc)
    if node.tag is not None:
        out.append(f"{ind}</div>")


def render_gemeenteblad(o: Ordinance) -> str:
    pub = publication(o)
    noise = rng(o, "gemeenteblad")
    e = html.escape

    # some municipalities type the lid numbers into the text, glued to it ("1.In het ..."),
    # instead of marking them up as lid numbers
    glued = noise.random() < 0.5

    def article(a: Article) -> PNode:
        node = PNode("div", "_p_artikel", children=[_kop("artikel", "Artikel", spaced(a.number), a.title)])
        if a.vervallen:
            node.children.append(_al("[Vervallen]"))
            return node
        for lid in a.leden:
            if lid.number and glued and lid.text and lid.text[:1].isupper():
                node.children.append(_al(f"{lid_label(lid.number)}{lid.text}"))
                if lid.items:
                    node.children.append(_p_lijst(lid.items))
            elif lid.number:
                lnode = PNode("div", "_p_lid", children=[
                    PNode("span", "_p_lidnr", e(lid_label(lid.number)))])
                if lid.text:
                    lnode.children.append(_al(lid.text))
                if lid.items:
                    lnode.children.append(_p_lijst(lid.items))
                node.children.append(lnode)
            else:
                if lid.text:
                    node.children.append(_al(lid.text))
                if lid.items:
                    node.children.append(_p_lijst(lid.items))
        return node

    def structure(n: Node) -> PNode:
        if isinstance(n, Article):
            return article(n)
        if isinstance(n, Chapter):
            node = PNode("div", "_p_hoofdstuk", children=[_kop("hoofdstuk", "Hoofdstuk", n.number, n.title)])
        else:
            node = PNode("div", "_p_paragraaf", children=[_kop("paragraaf", "§", n.number, n.title)])
        node.children.extend(structure(c) for c in n.children)
        return node

    preambule = PNode("div", "_p_preambule")
    for i, para in enumerate(o.aanhef):
        if i and noise.random() < 0.4:
            preambule.children.append(_al(""))
        preambule.children.append(_al(para))
    regeling = PNode("div", "_p_regeling", children=[
        PNode("div", "_p_aanhef", children=[preambule], toc="Aanhef"),
        PNode("div", "_p_regeling-tekst", children=[structure(n) for n in o.body]),
    ])
    sluiting = PNode("div", "_p_regeling-sluiting", toc="Ondertekening")
    if o.slot:
        sluiting.children.append(PNode("div", "_p_slotformulering", children=[_al(o.slot[0])]))
    if len(o.slot) > 1:
        sluiting.children.append(PNode("div", "_p_ondertekening", children=[
            PNode("p", "_p_functie", e(line)) for line in o.slot[1:]]))
    sluiting.children.append(PNode("p", "_p_last-al", "\u00a0"))
    regeling.children.append(sluiting)
    if o.toelichting:
        toel = PNode("div", "_p_toelichting", children=[
            PNode("p", "toelichting_kop _p_toelichting-kop", "Toelichting", toc="Toelichting")])
        for section in o.toelichting:
            divisie = PNode("div", "_p_divisie")
            if section.heading:
                divisie.children.append(PNode("p", "divisie_kop _p_divisie-kop", e(section.heading)))
            divisie.children.append(PNode("div", "_p_tekst", children=[_al(p) for p in section.paragraphs]))
            toel.children.append(divisie)
        regeling.children.append(toel)
    blad = PNode("div", "_p_gemeenteblad", children=[
        PNode(None, children=[PNode("p", "staatscourant_kop _p_single-kop-titel", e(o.title))]),
        regeling,
    ])

    out: list[str] = []
    toc_entries: list[tuple[str, str, int]] = []
    _serialize_pnode(blad, [1, 3], 1, out, toc_entries)
    document = "".join(out).lstrip()
    first = ' class="first"'
    toc_items = "".join(
        f'<li{first if i == 0 else ""}><a href="#{name}">{e(label)}</a></li>'
        for i, (name, label, _) in enumerate(toc_entries))

    gmb = pub.gmb_id
    year = pub.published.year
    viewstate = hashlib.sha256(f"{o.id}:viewstate".encode()).digest() * 3
    viewstate_b64 = base64.b64encode(b"\x03\x0f" + viewstate[:88]).decode()
    title = e(o.title)
    category = "Zorg en gezondheid | Maatschappelijke ondersteuning" if o.kind != "non_wmo" \
        else "Bestuur | Organisatie en beleid"
    return f'''<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"[]><html lang="nl" xml:lang="nl" xmlns="http://www.w3.org/1999/xhtml"><head id="Head1"><meta content="text/html; charset=utf-8" http-equiv="Content-Type" /><!--
            Versienummer van conversiescript: CONVERT_VERSION_NUMBER
          --><meta content="nl-nl" http-equiv="content-language" /><meta content="text/css" http-equiv="content-style-type" /><meta content="text/javascript" http-equiv="content-script-type" /><meta name="DC.title" content="{title}" /><meta name="OVERHEIDop.doctype" content="Officiële Publicaties, versie 1.1" /><meta name="OVERHEIDop.publicationName" content="Gemeenteblad" /><meta name="OVERHEIDop.jaargang" content="{year}" scheme="DCTERMS.W3CDTF" /><meta name="DCTERMS.available" content="{pub.published.isoformat()}" scheme="DCTERMS.W3CDTF" /><meta name="OVERHEIDop.publicationIssue" content="{pub.gmb_number}" /><meta name="DC.identifier" content="{gmb}" scheme="OVERHEIDop.GmbID" /><meta name="OVERHEID.category" content="{category}" scheme="OVERHEID.TaxonomieBeleidsagenda" /><meta name="OVERHEID.organisationType" content="gemeente" scheme="OVERHEID.Organisatietype" /><meta name="DC.type" content="officiële publicatie" scheme="OVERHEID.Informatietype" /><meta name="DCTERMS.language" content="nl" scheme="DCTERMS.RFC4646" /><meta name="DC.creator" content="{e(o.gemeente)}" scheme="OVERHEID.Gemeente" /><meta name="DC.type" content="Regelingen | verordening" scheme="OVERHEIDgvop.Informatietype" /><meta name="OVERHEID.authority" content="{e(o.gemeente)}" scheme="OVERHEID.Gemeente" /><meta name="DCTERMS.publisher" content="{e(o.gemeente)}" scheme="OVERHEID.Gemeente" /><title>{title}</title><link href="http://purl.org/dc/elements/1.1/" rel="schema.DC" /><link href="http://purl.org/dc/terms/" rel="schema.DCTERMS" /><link href="/Static/Stylesheets/framework.css" rel="stylesheet" type="text/css" /><link href="/Static/Stylesheets/default-publicaties.css" rel="stylesheet" type="text/css" /><!--[if IE 7]><link rel="stylesheet" href="/{{$cssfolder}}Static/Stylesheets/ie7-publicaties-correcties.css" type="text/css" /><![endif]--><link href="/Static/Stylesheets/publicaties/op.css" rel="stylesheet" type="text/css" /><link href="/Static/Stylesheets/publicaties/op-list.css" rel="stylesheet" type="text/css" /><link href="/Static/Stylesheets/publicaties/op-table.css" rel="stylesheet" type="text/css" /><link href="/Static/Stylesheets/publicaties/op-noten.css" rel="stylesheet" type="text/css" /><link href="Static/Stylesheets/Publicaties/gemeenteblad.css" id="publicatieStyleSheetLink" rel="stylesheet" type="text/css" /><link href="/Static/Stylesheets/tekstgrootte3.css" rel="stylesheet" type="text/css" /><script src="/Static/Scripts/jquery-1.3.2.min.js" type="text/javascript" /><script src="/Static/Scripts/library.js" type="text/javascript" /><script src="/Static/Scripts/default.js" type="text/javascript" /><script src="/Static/Scripts/publicaties.js" type="text/javascript" /><script type="text/javascript">
       $(document).ready(function () {{
           GetReferendumLinks("{gmb}", GetReferendumLinksSucceeded, GetReferendumLinksFailed);
        }});
         </script></head><body><form action="{gmb}.html" id="mainForm" method="post"><div class="aspNetHidden"><input id="__VIEWSTATE" name="__VIEWSTATE" type="hidden" value="{viewstate_b64}" /></div><div><input id="teruglinkHiddenField" name="teruglinkHiddenField" type="hidden" /></div><!-- ................. Seriele navigatie / --><p class="tekstueel"><!-- Markeer top --><a id="top" name="top">Start van deze pagina</a><br /><!-- Direct naar Inhoud-link --><a href="#Inhoud">Skip navigatie, ga direct naar de Inhoud</a></p><!-- .................. / Seriele navigatie --><!-- ................. #PaginaContainer / --><div id="PaginaContainer"><!-- ................. kop / --><div class="header"><!-- ................. Logo / --><h1><a href="http://www.overheid.nl" title="Overheid.nl - de wegwijzer naar informatie en diensten van alle overheden"><img alt="Overheid.nl - de wegwijzer naar informatie en diensten van alle overheden." src="/Static/Afbeeldingen/logos/overheid.nl.png" /></a></h1><p>
        De wegwijzer naar informatie en diensten van alle overheden
    </p><!-- ................. / Logo --><!-- ................. tekst-grootte / --><dl><dt>Tekstgrootte</dt><dd><a class="tekst-kleiner" href="https://zoek.officielebekendmakingen.nl/{gmb}.html?grootte=2" title="Schermteksten verkleinen">—</a><a class="tekst-groter" href="https://zoek.officielebekendmakingen.nl/{gmb}.html?grootte=4" title="Schermteksten vergroten">+</a></dd></dl><!-- ................. / tekst-grootte --></div><!-- ................. / kop --><hr class="tekstueel" /><!-- ................. #ServiceNavigatie / --><div id="ServiceNavigatie"><ul class="hoofd-navigatie"><li><a href="http://www.overheid.nl/"><strong>Home</strong></a></li><li><a href="http://www.overheid.nl/overzicht/"><strong>Particulieren</strong></a></li><li><a href="http://www.overheid.nl/ondernemers/"><strong>Ondernemers</strong></a></li><li><a class="active" href="http://www.overheid.nl/overheidsinformatie/"><strong>Overheidsinformatie</strong></a></li></ul><ul class="service-navigatie"><li><a href="http://www.overheid.nl/overdesite/">Over deze site</a></li><li><a href="http://www.overheid.nl/contact/oep/" title="Neem bij vragen contact op">Contact</a></li><li><a href="http://www.overheid.nl/english/">English</a></li><li><a href="http://www.overheid.nl/help/oep/" title="Informatie over het raadpleeg systeem">Help</a></li><li><a href="http://www.overheid.nl/sitemap/">Sitemap</a></li></ul></div><!-- ................. / #ServiceNavigatie --><!-- ................. #Inhoud / --><div id="Inhoud"><!-- ................. .titel-balk / --><div class="titel-balk"><!-- ................. .zoeken / --><div class="zoeken"><strong class="tekstueel">Snelzoeken</strong><!--fieldset--><strong><label for="Zoek">Snelzoeken</label><a class="info" href="/#SnelzoekenInfo" title="Meer informatie" /></strong><input class="tekst geen-focus zoekveld" id="Zoek" name="Zoek" onkeydown="OverheidNl.keyIsPressed(event, 'imgZoekBtn');" onmouseup="return false;" type="text" /><input alt="Zoek in officiële bekendmakingen" class="zoek-button" id="imgZoekBtn" name="imgZoekBtn" src="Static/Afbeeldingen/buttons/zoek.gif" type="image" /><!--/fieldset--></div><!-- ................. / .zoeken --><div class="titel"><div class="broodkruimels"><a href="http://www.overheid.nl">Home</a><a href="http://www.overheid.nl/overheidsinformatie/">Overheidsinformatie</a><a href="/" id="hlOfficieleBekendmakingen">Officiële bekendmakingen</a></div><strong class="titel-tekst"><a href="/">Officiële bekendmakingen: Zoeken</a></strong></div></div><!-- ................. / .titel-balk --><hr class="tekstueel" /><!-- ................. .resultaat-navigatie / --><div class="resultaat-navigatie" id="ResultaatNavigatie"><div class="linker-kolom"><a class="terug" href="/" id="terugHyperlink">Terug naar bekendmakingen</a></div></div><!-- ................. / .resultaat-navigatie --><!-- ................. .logo-nummer / --><div class="logo-nummer" id="LogoNummer"><div class="logo-blok"><img alt="algLogo" id="algLogo" src="Static/Afbeeldingen/logos/geenlogo.gif" style="height:80px;width:229px;" /><img alt="Gemeenteblad" id="imgTypeLogo" src="Static/Afbeeldingen/logos/gemeenteblad.gif" style="height:80px;width:415px;" /></div><div class="nummer">
                Jaargang {year}<br />
                Nr. {pub.gmb_number}<br /><br />
                Gepubliceerd op {pub.published.isoformat()}</div></div><!-- ................. / .logo-nummer --><!-- ................. .inhoud / --><div class="inhoud"><div id="left-column"><div class="inhouds-opgave" id="KorteInhoudsOpgave"><a class="toon-opgave verberg" href="#VolledigeInhoudsOpgave" id="ToonVolledigeOpgaveLink"><strong>Toon volledige inhoudsopgave</strong></a><ul class="toc">{toc_items}</ul><div class="actie-lijst"><div id="ResultBWBLinks" /></div><div class="actie-lijst"><div id="ResultsReferendumLinks" /><input class="verberg" id="btnGetReferendumLinks" name="btnGetReferendumLinks" type="submit" value="Toon Referendum links" /></div></div></div><div id="main-column"><div id="broodtekst"><h1><br /><br /></h1><div class="officiele-publicatie" lang="nl" xml:lang="nl">{document}</div></div><!-- ................. #VolledigeInhoudsOpgave / --><div class="verberg" id="VolledigeInhoudsOpgave"><div class="kop"><h1 id="VolledigeInhoudsOpgaveKop">Inhoudsopgave</h1></div><div id="InhoudsOpgave"><ul class="toc">{toc_items}</ul></div></div><!-- ................. / #VolledigeInhoudsOpgave / --></div><div id="right-column"><div class="actie-lijst transparant"><h2>
                                Acties</h2><ul><li id="liPdfLink"><a class="downloadPdf" href="{gmb}.pdf" id="downloadPdfHyperLink" title="Authentieke versie downloaden (pdf)">Authentieke versie downloaden (pdf)</a></li><li id="liOdtLink"><a class="downloadOdt" href="{gmb}.odt" id="downloadOdtHyperLink" title="Odt-formaat downloaden">Odt-formaat downloaden</a></li><li id="liXmlLink"><a class="downloadXml" href="{gmb}.xml" id="downloadXmlHyperLink" title="Xml-formaat downloaden">Xml-formaat downloaden</a></li><li id="liTech"><a href="{gmb}" id="technischeInfoHyperlink" title="Status pagina">Technische informatie</a></li><li id="liPerma"><a href="{gmb}.html" id="permaHyperlink" title="Permanente link naar deze publicatie">Permanente link</a></li></ul></div></div></div><!-- ................. /.inhoud --></div><!-- ................. /#Inhoud --><hr class="tekstueel" /><div class="footer"><p>
                E-overheid bouwt mee aan betere dienstverlening met minder regeldruk
            </p><p>
                Overheid.nl werkt samen met: <a href="http://www.antwoordvoorbedrijven.nl/">Antwoord
                    voor Bedrijven</a> |  <a href="http://rijksoverheid.nl">Rijksoverheid.nl</a></p></div></div><!-- ................. / #PaginaContainer --><div class="info-tekst verberg" id="SnelzoekenInfo"><div class="infoActiveHidden">SnelzoekenInfo</div><p class="infoActive"><strong class="infoActive">Snelzoeken</strong><br />U kunt dit veld gebruiken om te zoeken op<br />
–een vrije zoekterm voor het zoeken op tekst (bijvoorbeeld "milieu")<br />
–een betekenisvolle zoekterm voor het zoeken naar specifieke publicaties (bijvoorbeeld dossiernummer '32123' of 'trb 2009 16').<br />
U kunt termen combineren door EN te zetten tussen de termen (blg 32123 EN milieu).<br /></p></div></form></body></html>'''


# =============================================================================
# PDFs (reportlab)
# =============================================================================


@dataclass(frozen=True)
class PdfLayout:
    """Everything that differs between the two reportlab layouts."""

    name: str
    font: str
    bold: str
    italic: str
    bold_italic: str
    size: float
    leading: float
    alignment: int
    margins: tuple[float, float, float, float]  # left, right, top, bottom (pt)
    title_on_next_line: bool
    toelichting_new_page: bool
    indent: float
    decorate: Callable  # (canvas, doc_info, page, pages) -> None


def _counting_canvas(decorate: Callable, info: dict):
    """A canvas class that knows the page count when it draws headers/footers."""
    from reportlab.pdfgen import canvas

    class CountingCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for number, state in enumerate(self._page_states, 1):
                self.__dict__.update(state)
                decorate(self, info, number, total)
                super().showPage()
            super().save()

    return CountingCanvas


def _decorate_inline(c, info: dict, page: int, pages: int) -> None:
    from reportlab.lib.pagesizes import A4

    width, height = A4
    c.saveState()
    c.setFont("Helvetica", 7.5)
    c.setFillGray(0.35)
    c.drawString(info["left"], height - 40, info["title"])
    c.setLineWidth(0.4)
    c.setStrokeGray(0.6)
    c.line(info["left"], height - 44, width - info["right"], height - 44)
    c.drawRightString(width - info["right"], 34, f"Pagina {page} van {pages}")
    c.restoreState()


def _decorate_nextline(c, info: dict, page: int, pages: int) -> None:
    from reportlab.lib.pagesizes import A4

    width, height = A4
    c.saveState()
    c.setFont("Times-Roman", 9)
    c.drawString(info["left"], height - 48, f"Gemeente {info['gemeente']}")
    c.drawRightString(width - info["right"], height - 48, info["blad"])
    c.setFont("Times-Roman", 10)
    c.drawCentredString(width / 2, 36, f"- {page} -")
    c.restoreState()


def _pdf_layouts():
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.units import mm

    return {
        "inline": PdfLayout("inline", "Helvetica", "Helvetica-Bold", "Helvetica-Oblique",
                            "Helvetica-BoldOblique", 10, 13.5, TA_JUSTIFY,
                            (25 * mm, 25 * mm, 24 * mm, 22 * mm), False, True, 18, _decorate_inline),
        "nextline": PdfLayout("nextline", "Times-Roman", "Times-Bold", "Times-Italic",
                              "Times-BoldItalic", 11, 14.2, TA_LEFT,
                              (32 * mm, 22 * mm, 28 * mm, 24 * mm), True, False, 22, _decorate_nextline),
    }


def render_pdf(o: Ordinance, layout_name: str, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle, CondPageBreak)

    lay: PdfLayout = _pdf_layouts()[layout_name]
    pub = publication(o)
    left, right, top, bottom = lay.margins
    hyph = dict(hyphenationLang="nl_NL", embeddedHyphenation=1, uriWasteReduce=0.3)
    body = ParagraphStyle("body", fontName=lay.font, fontSize=lay.size, leading=lay.leading,
                          alignment=lay.alignment, spaceAfter=4, **hyph)
    st = {
        "title": ParagraphStyle("title", parent=body, fontName=lay.bold, fontSize=lay.size + 5,
                                leading=lay.size + 9, alignment=0, spaceAfter=14, hyphenationLang=""),
        "chapter": ParagraphStyle("chapter", parent=body, fontName=lay.bold, fontSize=lay.size + 2.5,
                                  leading=lay.size + 5, spaceBefore=16, spaceAfter=6, alignment=0,
                                  keepWithNext=1, hyphenationLang=""),
        "paragraaf": ParagraphStyle("paragraaf", parent=body, fontName=lay.bold_italic,
                                    fontSize=lay.size + 0.5, spaceBefore=10, spaceAfter=4, alignment=0,
                                    keepWithNext=1, hyphenationLang=""),
        "article": ParagraphStyle("article", parent=body, fontName=lay.bold, fontSize=lay.size + 0.5,
                                  spaceBefore=10, spaceAfter=3, alignment=0, keepWithNext=1,
                                  hyphenationLang=""),
        "chapter_title": ParagraphStyle("chapter_title", parent=body, fontName=lay.bold,
                                        fontSize=lay.size + 1.5, spaceAfter=6, alignment=0,
                                        keepWithNext=1, hyphenationLang=""),
        "article_title": ParagraphStyle("article_title", parent=body, fontName=lay.italic,
                                        spaceAfter=4, alignment=0, keepWithNext=1, hyphenationLang=""),
        "body": body,
        "lid": ParagraphStyle("lid", parent=body, leftIndent=lay.indent, bulletIndent=0,
                              bulletFontName=lay.font, bulletFontSize=lay.size),
        "toel_heading": ParagraphStyle("toel_heading", parent=body, fontName=lay.bold,
                                       fontSize=lay.size + 0.5, spaceBefore=10, spaceAfter=4,
                                       alignment=0, keepWithNext=1, hyphenationLang=""),
    }

    def item_style(depth: int) -> ParagraphStyle:
        return ParagraphStyle(f"item{depth}", parent=body, leftIndent=lay.indent * (depth + 1),
                              bulletIndent=lay.indent * depth, bulletFontName=lay.font,
                              bulletFontSize=lay.size, spaceAfter=2)

    x = xml_escape
    flow: list = [Paragraph(x(o.title), st["title"])]
    for para in o.aanhef:
        flow.append(Paragraph(x(para), body))

    def items(entries: list[Item], depth: int) -> None:
        for item in entries:
            flow.append(Paragraph(x(item.text), item_style(depth), bulletText=item.label))
            items(item.items, depth + 1)

    def two_line(style_key: str, label: str, title: str) -> None:
        if lay.title_on_next_line:
            flow.append(Paragraph(x(label), st[style_key]))
            if title:
                title_key = "chapter_title" if style_key == "chapter" else "article_title"
                flow.append(Paragraph(x(title), st[title_key]))
        else:
            flow.append(Paragraph(x(heading(label, title)), st[style_key]))

    for n in walk(o.body):
        if isinstance(n, Chapter):
            if lay.title_on_next_line:
                two_line("chapter", f"HOOFDSTUK {n.number}", n.title)
            else:
                two_line("chapter", f"Hoofdstuk {dotted(n.number)}", n.title)
        elif isinstance(n, Paragraaf):
            two_line("paragraaf", f"§ {dotted(n.number)}" if not lay.title_on_next_line
                     else f"Paragraaf {n.number}", n.title)
        else:
            label = f"Artikel {dotted(spaced(n.number))}" if not lay.title_on_next_line else f"Artikel {n.number}"
            flow.append(CondPageBreak(lay.leading * 4))
            two_line("article", label, n.title)
            if n.vervallen:
                flow.append(Paragraph("[Vervallen]", body))
                continue
            for lid in n.leden:
                if lid.number:
                    flow.append(Paragraph(x(lid.text), st["lid"], bulletText=lid_label(lid.number)))
                elif lid.text:
                    flow.append(Paragraph(x(lid.text), body))
                items(lid.items, 1)

    if o.slot:
        # a printed page often sets the closing formula right under the last lid
        if rng(o, f"pdf-slot-{layout_name}").random() < 0.5:
            flow.append(Spacer(1, lay.leading))
        for line in o.slot:
            columns = split_signature(line)
            if len(columns) > 1:
                width = A4[0] - left - right
                table = Table([[Paragraph(x(col), ParagraphStyle("sig", parent=body, alignment=0))
                                for col in columns]], colWidths=[width / len(columns)] * len(columns))
                table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("TOPPADDING", (0, 0), (-1, -1), 0)]))
                flow.append(table)
            else:
                flow.append(Paragraph(x(line), ParagraphStyle("slot", parent=body, alignment=0)))

    if o.toelichting:
        if lay.toelichting_new_page:
            flow.append(PageBreak())
        else:
            flow.append(Spacer(1, lay.leading * 2))
        flow.append(Paragraph("Toelichting", st["chapter"]))
        for section in o.toelichting:
            if section.heading:
                flow.append(Paragraph(x(section.heading), st["toel_heading"]))
            for para in section.paragraphs:
                flow.append(Paragraph(x(para), body))

    info = {"title": o.title, "gemeente": o.gemeente, "left": left, "right": right,
            "blad": f"Gemeenteblad {pub.published.year}, nr. {pub.blad_nr}"}
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=left, rightMargin=right,
                            topMargin=top, bottomMargin=bottom, title=o.title,
                            author=f"Gemeente {o.gemeente}", subject=o.citeertitel, invariant=1)
    doc.build(flow, canvasmaker=_counting_canvas(lay.decorate, info))


# =============================================================================
# Browser print (headless Chromium)
# =============================================================================


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _PageHandler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server API)
        page = self.pages.get(self.path.split("?")[0].rstrip("/"))
        if page is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format, *args):  # noqa: A002 (silence the access log)
        pass


def render_browser_pdf(o: Ordinance, page_html: str, path: Path, chromium: str) -> None:
    """Print the lokaleregelgeving page as a user would, with Chromium's header and footer."""
    pub = publication(o)
    url_path = f"/{pub.cvdr_id}/1"
    handler = type("Handler", (_PageHandler,), {"pages": {url_path: page_html.encode("utf-8")}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The print date in Chromium's header: a fixed, plausible moment per sample.
    printed = dt.datetime(2024, 3, 4, 9, 0) + dt.timedelta(
        days=stable_hash(o.id, "printed") % 300, minutes=stable_hash(o.id, "minute") % 480)
    try:
        with tempfile.TemporaryDirectory(prefix="render-chromium-") as profile:
            out = Path(profile) / "out.pdf"
            cmd = [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--lang=nl-NL",
                f"--host-resolver-rules=MAP lokaleregelgeving.overheid.nl 127.0.0.1:{port}",
                f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                f"http://lokaleregelgeving.overheid.nl{url_path}",
            ]
            env = dict(os.environ, LANG="nl_NL.UTF-8", LANGUAGE="nl", TZ="Europe/Amsterdam")
            faketime = shutil.which("faketime")
            if faketime:
                cmd = [faketime, "-f", "@" + printed.strftime("%Y-%m-%d %H:%M:%S") + " x0.01"] + cmd
            else:
                print("  warning: faketime not installed; the browser PDF carries today's date",
                      file=sys.stderr)
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
            if result.returncode != 0 or not out.exists():
                raise RuntimeError(f"chromium failed ({result.returncode}): {result.stderr[-800:]}")
            path.write_bytes(out.read_bytes())
    finally:
        server.shutdown()
        server.server_close()


# =============================================================================
# DOCX (python-docx)
# =============================================================================

DOCX_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # what Word itself writes into its zip entries


def _docx_core(doc, o: Ordinance, author: str, revision: int) -> None:
    cp = doc.core_properties
    created = dt.datetime.combine(o.date - dt.timedelta(days=40), dt.time(9, 12))
    cp.author = author
    cp.last_modified_by = author
    cp.title = o.title
    cp.subject = o.citeertitel
    cp.keywords = ""
    cp.comments = ""
    cp.category = ""
    cp.created = created
    cp.modified = created + dt.timedelta(days=30, hours=5, minutes=41)
    cp.last_printed = created + dt.timedelta(days=30, hours=6)
    cp.revision = revision


def _save_docx(doc, path: Path) -> None:
    """Save with fixed zip entry dates so that identical input gives identical bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.docx"
        doc.save(str(raw))
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=DOCX_ZIP_DATE)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16
                dst.writestr(entry, src.read(info.filename))


def _hanging(paragraph, left_cm: float, hang_cm: float = 1.0) -> None:
    from docx.shared import Cm

    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(left_cm)
    fmt.first_line_indent = Cm(-hang_cm)
    fmt.tab_stops.add_tab_stop(Cm(left_cm))
    fmt.space_after = Cm(0.1)


def _signature_line(line: str) -> str:
    return "\t\t".join(split_signature(line)) if len(split_signature(line)) > 1 else line


def render_docx_typed(o: Ordinance, path: Path) -> None:
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph(o.title, style="Title")
    for para in o.aanhef:
        doc.add_paragraph(para)

    def items(entries: list[Item], depth: int) -> None:
        for item in entries:
            _hanging(doc.add_paragraph(f"{item.label}\t{item.text}"), 1.0 + depth)
            items(item.items, depth + 1)

    in_paragraaf = False
    for n in walk(o.body):
        if isinstance(n, Chapter):
            in_paragraaf = False
            doc.add_paragraph(heading(f"Hoofdstuk {dotted(n.number)}", n.title), style="Heading 1")
        elif isinstance(n, Paragraaf):
            in_paragraaf = True
            doc.add_paragraph(heading(f"§ {n.number}", n.title), style="Heading 2")
        else:
            style = "Heading 3" if in_paragraaf else "Heading 2"
            doc.add_paragraph(heading(f"Artikel {dotted(n.number)}", n.title), style=style)
            if n.vervallen:
                doc.add_paragraph("[Vervallen]")
                continue
            for lid in n.leden:
                if lid.number:
                    _hanging(doc.add_paragraph(f"{lid_label(lid.number)}\t{lid.text}"), 1.0)
                elif lid.text:
                    doc.add_paragraph(lid.text)
                items(lid.items, 1)
    for line in o.slot:
        doc.add_paragraph(_signature_line(line))
    if o.toelichting:
        head = doc.add_paragraph("Toelichting", style="Heading 1")
        head.paragraph_format.page_break_before = True
        for section in o.toelichting:
            if section.heading:
                doc.add_paragraph(section.heading, style="Heading 2")
            for para in section.paragraphs:
                doc.add_paragraph(para)
    _docx_core(doc, o, f"Griffie {o.gemeente}", 7)
    _save_docx(doc, path)


# --- automatic numbering ------------------------------------------------------


@dataclass
class NumLevel:
    fmt: str          # decimal | upperRoman | lowerLetter
    text: str         # lvlText, e.g. "Artikel %1", "%2."
    left: int = 0     # twips
    hanging: int = 0
    suffix: str = "tab"
    is_lgl: bool = False  # show higher levels as arabic numbers ("Artikel %1.%2")


def _format_counter(value: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return int_to_roman(value)
    if fmt == "lowerLetter":
        return int_to_letter(value)
    return str(value)


class ListSimulation:
    """Predicts what Word shows for a paragraph in a list, to decide numbered vs typed.

    Word advances the counter of a level for every paragraph on that level and
    restarts the deeper levels; a typed paragraph (without numPr) changes nothing.
    """

    def __init__(self, levels: list[NumLevel]):
        self.levels = levels
        self.counters = [0] * len(levels)

    def predict(self, ilvl: int) -> str:
        counters = self.counters[:]
        counters[ilvl] += 1
        text = self.levels[ilvl].text
        for i in range(ilvl + 1):
            fmt = "decimal" if (self.levels[ilvl].is_lgl and i < ilvl) else self.levels[i].fmt
            text = text.replace(f"%{i + 1}", _format_counter(counters[i], fmt))
        return text

    def advance(self, ilvl: int) -> None:
        self.counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(self.levels)):
            self.counters[deeper] = 0


class WordNumbering:
    """Adds abstractNum/num definitions to the document's numbering part."""

    def __init__(self, doc):
        self.root = doc.part.numbering_part.element
        from docx.oxml.ns import qn

        self._qn = qn
        self.next_abstract = 1 + max((int(a.get(qn("w:abstractNumId")))
                                      for a in self.root.findall(qn("w:abstractNum"))), default=-1)
        self.next_num = 1 + max((int(n.get(qn("w:numId")))
                                 for n in self.root.findall(qn("w:num"))), default=0)

    def add_abstract(self, levels: list[NumLevel], nsid: int) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        aid = self.next_abstract
        self.next_abstract += 1
        parts = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">',
                 f'<w:nsid w:val="{nsid:08X}"/>',
                 f'<w:multiLevelType w:val="{"multilevel" if len(levels) > 1 else "singleLevel"}"/>',
                 f'<w:tmpl w:val="{(nsid * 7919) & 0xFFFFFFFF:08X}"/>']
        for i, lvl in enumerate(levels):
            # Child order is fixed by the schema: start, numFmt, isLgl, suff, lvlText, lvlJc, pPr.
            parts.append(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{lvl.fmt}"/>')
            if lvl.is_lgl:
                parts.append("<w:isLgl/>")
            if lvl.suffix != "tab":
                parts.append(f'<w:suff w:val="{lvl.suffix}"/>')
            parts.append(f'<w:lvlText w:val="{lvl.text}"/><w:lvlJc w:val="left"/>')
            if lvl.left or lvl.hanging:
                parts.append(f'<w:pPr><w:ind w:left="{lvl.left}" w:hanging="{lvl.hanging}"/></w:pPr>')
            parts.append("</w:lvl>")
        parts.append("</w:abstractNum>")
        element = parse_xml("".join(parts))
        first_num = self.root.find(self._qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.root.append(element)
        return aid

    def add_num(self, abstract_id: int, restart_levels: int = 0) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        nid = self.next_num
        self.next_num += 1
        overrides = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>'
                            for i in range(restart_levels))
        self.root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}">'
                                   f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'))
        return nid


def _set_numpr(paragraph, num_id: int, ilvl: int) -> None:
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


def _has_numpr(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def render_docx_autonum(o: Ordinance, path: Path) -> None:
    """Word document whose chapter/article/lid/item numbers come from numbering.xml."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    numbering = WordNumbering(doc)
    base_nsid = stable_hash(o.id, "nsid") & 0x0FFFFFFF

    chapters = o.chapters()
    chapter_fmt = "upperRoman" if chapters and all(roman_to_int(c.number) for c in chapters) else "decimal"
    articles = list(o.articles())
    article_fmt = "upperRoman" if articles and roman_to_int(articles[0].number) == 1 else "decimal"
    separator = {"chaptered": ".", "colon": ":"}.get(o.numbering)

    # Headings: chapters and articles. Chaptered/colon numbering ("Artikel 2.3") is one
    # two-level list; plain numbering keeps articles counting on across chapters.
    if separator and chapters:
        head_levels = [NumLevel(chapter_fmt, "Hoofdstuk %1", suffix="space"),
                       NumLevel("decimal", f"Artikel %1{separator}%2", suffix="space", is_lgl=True)]
        head_num = numbering.add_num(numbering.add_abstract(head_levels, base_nsid))
        chapter_list = (head_num, 0, ListSimulation(head_levels))
        article_list = (head_num, 1, chapter_list[2])
    else:
        ch_levels = [NumLevel(chapter_fmt, "Hoofdstuk %1", suffix="space")]
        art_levels = [NumLevel(article_fmt, "Artikel %1", suffix="space")]
        chapter_list = (numbering.add_num(numbering.add_abstract(ch_levels, base_nsid)), 0,
                        ListSimulation(ch_levels))
        article_list = (numbering.add_num(numbering.add_abstract(art_levels, base_nsid + 1)), 0,
                        ListSimulation(art_levels))

    lid_levels = [NumLevel("decimal", "%1.", 567, 567),
                  NumLevel("lowerLetter", "%2.", 1134, 567),
                  NumLevel("decimal", "%3°", 1701, 567)]
    lid_abstract = numbering.add_abstract(lid_levels, base_nsid + 2)

    def numbered_or_typed(paragraph, wanted: str, typed_text: str, lst, text: str) -> None:
        num_id, ilvl, sim = lst
        if sim.predict(ilvl) == wanted:
            sim.advance(ilvl)
            _set_numpr(paragraph, num_id, ilvl)
            paragraph.add_run(text)
        else:
            paragraph.add_run(typed_text)

    doc.add_paragraph(o.title, style="Title")
    for para in o.aanhef:
        doc.add_paragraph(para)

    in_paragraaf = False
    for n in walk(o.body):
        if isinstance(n, Chapter):
            in_paragraaf = False
            p = doc.add_paragraph(style="Heading 1")
            numbered_or_typed(p, f"Hoofdstuk {n.number}", heading(f"Hoofdstuk {n.number}", n.title),
                              chapter_list, n.title)
            continue
        if isinstance(n, Paragraaf):
            in_paragraaf = True
            doc.add_paragraph(heading(f"§ {n.number}", n.title), style="Heading 2")
            continue
        p = doc.add_paragraph(style="Heading 3" if in_paragraaf else "Heading 2")
        numbered_or_typed(p, f"Artikel {n.number}", heading(f"Artikel {n.number}", n.title),
                          article_list, n.title)
        if n.vervallen:
            doc.add_paragraph("[Vervallen]")
            continue
        # Leden and items restart per article: a new w:num with startOverride per level.
        lid_list = (numbering.add_num(lid_abstract, restart_levels=len(lid_levels)), 0,
                    ListSimulation(lid_levels))

        def items(entries: list[Item], depth: int) -> None:
            for item in entries:
                q = doc.add_paragraph()
                if depth < len(lid_levels):
                    numbered_or_typed(q, item.label, f"{item.label}\t{item.text}",
                                      (lid_list[0], depth, lid_list[2]), item.text)
                else:
                    q.add_run(f"{item.label}\t{item.text}")
                if not _has_numpr(q):
                    _hanging(q, 1.0 * (depth + 1))
                items(item.items, depth + 1)

        for lid in n.leden:
            if lid.number:
                q = doc.add_paragraph()
                numbered_or_typed(q, lid_label(lid.number), f"{lid_label(lid.number)}\t{lid.text}",
                                  lid_list, lid.text)
                if not _has_numpr(q):
                    _hanging(q, 1.0)
            elif lid.text:
                doc.add_paragraph(lid.text)
            items(lid.items, 1)

    for line in o.slot:
        doc.add_paragraph(_signature_line(line))
    if o.toelichting:
        doc.add_page_break()
        doc.add_paragraph("Toelichting", style="Heading 1")
        for section in o.toelichting:
            if section.heading:
                doc.add_paragraph(section.heading, style="Heading 2")
            for para in section.paragraphs:
                doc.add_paragraph(para)
    _docx_core(doc, o, "beleidsmedewerker Wmo", 12)
    _save_docx(doc, path)


# =============================================================================
# Driver
# =============================================================================


def render(o: Ordinance, out_dir: Path, formats: set[str], chromium: str | None) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    def target(suffix: str) -> Path:
        path = out_dir / f"{o.id}{suffix}"
        written.append(path.name)
        return path

    if "md" in formats:
        target(".md").write_text(render_markdown(o), encoding="utf-8")
    if "txt" in formats:
        target(".txt").write_text(render_text(o), encoding="utf-8")
    if "pasted" in formats:
        target("-pasted.txt").write_text(render_pasted(o), encoding="utf-8")
    if "cvdr" in formats:
        target("-cvdr.xml").write_bytes(render_cvdr(o))
    page = render_lokaleregelgeving(o)
    if "lokaleregelgeving" in formats:
        target("-lokaleregelgeving.html").write_text(page, encoding="utf-8")
    if "gemeenteblad" in formats:
        target("-gemeenteblad.html").write_text(render_gemeenteblad(o), encoding="utf-8")
    if "inline" in formats:
        render_pdf(o, "inline", target("-inline.pdf"))
    if "nextline" in formats:
        render_pdf(o, "nextline", target("-nextline.pdf"))
    if "browser" in formats:
        if chromium:
            render_browser_pdf(o, page, out_dir / f"{o.id}-browser.pdf", chromium)
            written.append(f"{o.id}-browser.pdf")
        else:
            print(f"  warning: Chromium not found; {o.id}-browser.pdf not (re)rendered",
                  file=sys.stderr)
    if "typed" in formats:
        render_docx_typed(o, target("-typed.docx"))
    if "autonum" in formats:
        render_docx_autonum(o, target("-autonum.docx"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="source ids to render (default: all)")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated subset of: " + ", ".join(FORMATS))
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium print")
    args = parser.parse_args(argv)

    formats = {f.strip() for f in args.formats.split(",") if f.strip()}
    unknown = formats - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    if args.no_browser:
        formats.discard("browser")
    chromium = find_chromium() if "browser" in formats else None

    paths = sorted(args.sources.glob("*.yaml"))
    if args.ids:
        wanted = set(args.ids)
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            parser.error(f"no source for: {', '.join(sorted(missing))}")
    if not paths:
        print(f"no sources in {args.sources}", file=sys.stderr)
        return 1

    failures = 0
    for path in paths:
        try:
            ordinance = load_source(path)
            if ordinance.id != path.stem:
                raise SourceError(f"{path.name}: id '{ordinance.id}' differs from the file name")
            written = render(ordinance, args.out / ordinance.id, formats, chromium)
            print(f"{ordinance.id}: {len(written)} files")
        except Exception as exc:  # report every broken source, then fail
            failures += 1
            print(f"{path.name}: ERROR {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
