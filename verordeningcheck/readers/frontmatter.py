"""The front matter of a regulation: page chrome, glued metadata, title and gemeente.

Real published texts do not start with the regulation. A page of lokaleregelgeving or the
CVDR repository, saved or pasted, opens with status lines ("Regeling vervallen per ...",
"Geldend van ... t/m ..."), links ("Permanente link", "Naar de actuele versie ..."), a
feedback line ("Ziet u een fout in deze regeling? ..."), and a metadata block whose labels,
once the table is flattened, are glued to their values ("CiteertitelVerordening ...",
"OrganisatieOosterhout"). A Gemeenteblad opens with "GEMEENTEBLAD", "Officiële uitgave van de
gemeente X", "Nr. 12345 ..." and "Gemeente X – <title>"; a download site with "Maat: px",
"Download "..."" and "Transcriptie"; a converted file with its file name.

This module recognises those *kinds* of chrome (the patterns and the label vocabulary are
data, below), reports what it drops (:class:`~verordeningcheck.model.Dropped`, the
leesverantwoording), keeps the metadata values, and chooses the title and the gemeente the
way a reader of the page would: the regulation's own name (metadata, intitulé, besluit, first
heading) and the municipality that adopts it, not one the text merely mentions.

Used by the structurer (every line-oriented reader) and by the HTML and XML readers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from ..model import Dropped, SourceLocation
from .base import Line

# --------------------------------------------------------------------------- vocabulary (data)

# Why a piece of text was left out, per kind (shown to the user in the leesverantwoording).
REASONS: dict[str, str] = {
    "status": "geldigheidsregel van de website",
    "link": "link of knop van de website",
    "feedback": "meldregel van de website",
    "metadata": "gegevens van de regeling (metadata van de website)",
    "metadata-table": "tabel met gegevens van de regeling (metadata van de website)",
    "gemeenteblad": "kop van het Gemeenteblad",
    "letterhead": "briefhoofd (naam van de gemeente boven de tekst)",
    "viewer": "opmaak van de download- of leessite",
    "page-number": "paginanummer",
    "page-footer": "voettekst van de pagina (naam van het blad, nummer en paginanummer)",
    "file-name": "bestandsnaam",
    "running-header": "kop- of voettekst die op elke pagina terugkomt",
    "print-margin": "kop- of voettekst van de browser (afgedrukte webpagina)",
    "site-footer": "voettekst van de website",
    "site-chrome": "navigatie of opmaak van de website",
    "rotated": "gedraaide tekst in de marge",
    "toc": "inhoudsopgave",
    "front": "tekst boven de regeling die geen titel of aanhef is",
    "reference": "kenmerk of nummer van het stuk",
}

# Metadata labels of lokaleregelgeving / CVDR pages -> metadata key (shared with the HTML
# reader's metadata tables). "distinctive" labels are recognised on their own; the others
# (ordinary words such as "Onderwerp") only next to another label or inside a metadata block.
METADATA_LABELS: dict[str, str] = {
    "organisatie": "creator",
    "organisatietype": "organisatietype",
    "officiële naam regeling": "title",
    "officiele naam regeling": "title",
    "citeertitel": "alternative",
    "vastgesteld door": "isRatifiedBy",
    "onderwerp": "subject",
    "eigen onderwerp": "eigenOnderwerp",
    "grondslag": "source",
    "wettelijke grondslag": "source",
    "wettelijke grondslagen": "source",
    "wettelijke grondslag(en) van de regeling": "source",
    "overgangsregeling": "overgangsregeling",
    "inwerkingtredingsdatum": "inwerkingtredingDatum",
    "datum inwerkingtreding": "inwerkingtredingDatum",
    "inwerkingtreding": "inwerkingtredingDatum",
    "datum uitwerkingtreding": "uitwerkingtredingDatum",
    "uitwerkingtredingsdatum": "uitwerkingtredingDatum",
    "terugwerkende kracht tot en met": "terugwerkendeKracht",
    "terugwerkende kracht": "terugwerkendeKracht",
    "datum ondertekening": "issued",
    "datum vaststelling": "issued",
    "betreft": "betreft",
    "kenmerk voorstel": "kenmerk",
    "kenmerk": "kenmerk",
    "bron bekendmaking": "isFormatOf",
    "bronnen": "bronnen",
    "opmerkingen": "opmerkingen",
    "datum publicatie": "available",
    "publicatiedatum": "available",
    "jaargang en nummer": "publicatienummer",
    "rubriek": "rubriek",
}
_DISTINCTIVE_LABELS = {
    "officiële naam regeling", "officiele naam regeling", "citeertitel", "organisatietype",
    "datum inwerkingtreding", "inwerkingtredingsdatum", "datum uitwerkingtreding", "uitwerkingtredingsdatum",
    "terugwerkende kracht tot en met", "datum ondertekening", "bron bekendmaking", "kenmerk voorstel",
    "eigen onderwerp",
}
_TITLE_KEYS = ("title", "alternative")

MONTHS = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
_DATE = rf"(?:\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+{MONTHS}\s+\d{{4}}|heden)"


@dataclass(frozen=True)
class _Chrome:
    kind: str
    pattern: re.Pattern
    anywhere: bool  # also after the regulation text has begun (else only in the front matter)


def _rx(text: str) -> re.Pattern:
    return re.compile(rf"(?:{text})", re.I)


# Each pattern must match a whole line (normalised white space).
CHROME: tuple[_Chrome, ...] = (
    # status lines of the publishing site
    _Chrome("status", _rx(rf"(?:deze\s+)?regeling\s+(?:is\s+)?(?:vervallen|ingetrokken)(?:\s+(?:per|met\s+ingang\s+van|op|sinds)\s+{_DATE})?\.?"), True),
    _Chrome("status", _rx(rf"(?:regeling\s+)?(?:geldend|geldig)\s+(?:van|vanaf|per|op|tot|sinds)\s+{_DATE}(?:\s+(?:t/?m|tot\s+en\s+met|tot)\s+{_DATE})?"
                          rf"(?:,?\s+met\s+terugwerkende\s+kracht\s+(?:vanaf|tot(?:\s+en\s+met)?|per)\s+{_DATE})?\.?"), True),
    _Chrome("status", _rx(r"deze\s+(?:regeling|versie)\s+is\s+(?:geldig|niet\s+meer\s+geldig|vervallen|nog\s+niet\s+in\s+werking|de\s+actuele)\b.{0,160}"), True),
    _Chrome("status", _rx(r"dit\s+is\s+(?:de|een)\s+(?:actuele|historische|toekomstige|vervallen|niet\s+meer\s+geldende)\s+versie\b.{0,160}"), True),
    _Chrome("status", _rx(r"u\s+(?:bevindt\s+zich|bent)\s+hier\s*:?.{0,200}"), True),
    # links and buttons
    _Chrome("link", _rx(r"permanente\s+link\b.{0,200}"), True),
    _Chrome("link", _rx(r"naar\s+de\s+(?:actuele|geldende|vorige|volgende|eerste|laatste|huidige|door\s+u\s+bekeken)\s+versie\b.{0,160}"), True),
    _Chrome("link", _rx(r"(?:toon\s+relaties\s+in\s+lido|vergelijk\s+met\s+(?:een\s+)?andere\s+versies?|bekijk\s+(?:de\s+)?(?:actuele|geldende|andere)\s+versies?.{0,80}|(?:deze\s+)?(?:pagina|regeling)\s+(?:printen|afdrukken|delen|downloaden)|printen|afdrukken|print\s+deze\s+(?:pagina|regeling))"), True),
    _Chrome("link", _rx(r"(?:https?://|www\.)\S+"), False),
    # the publishing site's name and menu on a printed or saved page
    _Chrome("site-chrome", _rx(r"overheid\.nl|(?:zoek\s+in\s+)?lokale\s+wet-\s+en\s+regelgeving|offici[eë]le\s+bekendmakingen"), False),
    # the menu of the government's publication sites, as a saved page keeps its descriptions
    _Chrome("site-chrome", _rx(r"zoals\s+vergunningen,\s+bouwplannen\s+en\s+lokale\s+regelgeving\.?|"
                               r"adressen\s+en\s+contactpersonen\s+van\s+overheidsorganisaties\.?"), False),
    _Chrome("site-chrome", _rx(r"(?:home|zoeken|contact|help|inloggen|menu)(?:\s+(?:home|zoeken|uitgebreid\s+zoeken|contact|help|inloggen|menu|english|over\s+ons))+"), False),
    # feedback line of the publishing site
    _Chrome("feedback", _rx(r"ziet\s+u\s+een\s+fout\b.{0,200}"), True),
    _Chrome("feedback", _rx(r"meld\s+het\s+ons\b.{0,160}"), True),
    _Chrome("feedback", _rx(r"heeft\s+u\s+een\s+(?:vraag|opmerking)\s+over\s+deze\s+regeling\b.{0,160}"), True),
    # Gemeenteblad heading
    _Chrome("gemeenteblad", _rx(r"gemeenteblad(?:\s+van\s+(?:de\s+)?(?:gemeente\s+)?.{1,60})?"), False),
    _Chrome("gemeenteblad", _rx(r"offici[eë]le\s+uitgave\s+van\s+(?:de\s+|het\s+)?.{2,80}"), False),
    _Chrome("gemeenteblad", _rx(rf"(?:nr\.?|nummer)\s*\d{{2,9}}\b(?:\s*,?\s*{_DATE})?\.?"), False),
    _Chrome("gemeenteblad", _rx(r"gmb-\d{4}-\d+"), False),
    # download / viewer / transcription sites
    _Chrome("viewer", _rx(r"maat\s*:\s*px"), True),
    _Chrome("viewer", _rx(r"weergave\s+met\s+pagina\s+beginnen\s*:?"), True),
    _Chrome("viewer", _rx(r"start\s+met\s+het\s+tonen\s+van\s+pagina\s*:?"), True),
    _Chrome("viewer", _rx(r"download\s+[\"“„'‘].{0,300}"), True),
    _Chrome("viewer", _rx(r"transcriptie"), True),
    _Chrome("viewer", _rx(r"save\s+this\s+pdf\s+as\s*:?(?:\s+(?:word|png|txt|jpg|pdf))*"), True),
    _Chrome("viewer", _rx(r"(?:word|png|txt|jpg|pdf)(?:\s+(?:word|png|txt|jpg|pdf)){2,}"), True),
    # a reference number of the document on a line of its own ("Ons kenmerk: 2021/123",
    # "Zaaknummer: Z-15-0042", an empty "Registratienummer:" field of a page); "Kenmerk voorstel"
    # is a metadata label and stays one
    _Chrome("reference", _rx(r"(?:(?:ons|uw)\s+kenmerk|zaaknummer|registratienummer|documentnummer|corsanummer|"
                             r"besluitnummer|raadsbesluitnummer|dossiernummer|volgnummer)\s*:?\s*(?:[\w./-]*\d[\w./-]*)?"), False),
    # page numbers in the text
    _Chrome("page-number", _rx(r"(?:pagina|blz\.?|page|blad)\s*\d{1,4}(?:\s*(?:van|/|of)\s*\d{1,4})?"), True),
    _Chrome("page-number", _rx(r"[-–—]\s*\d{1,4}\s*[-–—]"), True),
    _Chrome("page-number", _rx(r"\d{1,4}\s*/\s*\d{1,4}"), True),
    # a file name as the first line (a converted file, a printed attachment)
    _Chrome("file-name", _rx(r"microsoft\s+(?:word|excel|powerpoint)\s*-\s*.{1,200}"), False),
    _Chrome("file-name", _rx(r"[^\s/\\][^/\\]{0,150}\.(?:pdf|docx?|dotx?|odt|rtf|txt|html?|xlsx?)"), False),
    _Chrome("file-name", _rx(r"(?:untitled|naamloos)(?:[-_ ]?\d+)?"), False),
)

# kinds whose text runs on: a long line of them may wrap onto the next line
_WRAPPING_KINDS = {"status", "link", "feedback", "metadata", "viewer", "gemeenteblad"}

# headings of the metadata block of a lokaleregelgeving / CVDR page
_SECTION_START = _rx(
    r"wetstechnische\s+informatie|gegevens\s+van\s+de\s+regeling|regelingsgegevens|"
    r"overzicht\s+van\s+(?:in\s+de\s+tekst\s+)?verwerkte\s+wijzigingen|"
    r"opmerkingen\s+met\s+betrekking\s+tot\s+de\s+regeling|"
    r"wettelijke\s+grondslag(?:\(en\)|en)?\b.{0,120}|"
    r"regelgeving\s+die\s+op\s+deze\s+regeling\s+is\s+gebaseerd.{0,80}|"
    r"relaties?\s+(?:met|tot)\s+andere\s+regelingen"
)
_SECTION_END = _rx(r"tekst\s+van\s+de\s+regeling")
_TOC_HEADING = _rx(r"inhoudsopgave|inhoud|inhoudsoverzicht")
_INTITULE = _rx(r"intitul[ée]e?\s*:?")

_GEMEENTEBLAD_TITLE = re.compile(
    r"^(?:Gemeente|GEMEENTE)\s+(?P<who>.+?)\s+[–—-]\s+(?P<title>\S.{3,})$"
)
# the Gemeenteblad heading run into the first line of a transcribed page: "GEMEENTEBLAD
# Officiële uitgave van gemeente X. Nr 12345 12 januari 2015 <title> ..."
_HEADING_PREFIX = re.compile(
    rf"^(?:(?:GEMEENTEBLAD|Gemeenteblad|CVDR)\.?\s+)?"
    rf"(?:(?P<uitgave>[Oo]ffici[eë]le\s+uitgave\s+van\s+(?:de\s+|het\s+)?(?:gemeente\s+)?(?P<who>[^.]{{2,60}}?))\.\s+)?"
    rf"(?:(?:Nr|NR|nr)\.?(?:\s*[\w/-]*\d[\w/-]*)?(?:\s*,?\s*(?:\d{{1,2}}\s+)?{MONTHS}\s+\d{{4}})?\.?\s+)?"
    rf"(?=\S)"
)
_UITGAVE = re.compile(r"offici[eë]le\s+uitgave\s+van\s+(?:de\s+|het\s+)?(?:gemeente\s+)?(?P<who>[^.]+?)\.?(?:\s|$)", re.I)
_LETTERHEAD = re.compile(r"^(?:de\s+)?gemeente\s+(?P<who>.{2,60})$", re.I)

_STRUCTURAL = re.compile(
    r"^(?:artikel|art\.|hoofdstuk|afdeling|paragraaf|§)\s*(?:\d|[IVXLC]+\b)", re.I
)
AANHEF_START = re.compile(
    r"^(?:de\s+(?:gemeente)?raad|het\s+college|burgemeester\s+en\s+wethouders|de\s+burgemeester|"
    r"het\s+algemeen\s+bestuur|het\s+dagelijks\s+bestuur)\b",
    re.I,
)
_WS = re.compile(r"\s+")

# a heading glued to the text before it ("... in het kader van de WmoHoofdstuk 1 Algemene bepalingen")
_GLUED_HEADING = re.compile(r"(?<=[a-zà-ÿ)])(?=(?:Hoofdstuk|HOOFDSTUK|Artikel|ARTIKEL|Paragraaf|PARAGRAAF)\s*(?:\d|[IVX]+\b))")

# transcription sites put the page number before the first line of each page ("2 Hoofdstuk 1 ...")
_PAGE_PREFIX = re.compile(r"^(\d{1,3})\s+(?=\S)")
# a publication's page footer at the end of a page's text: the name of the blad, its number
# (maybe a year before it, a date after it) and the page number: "... Gemeenteblad nr. 23 1",
# "... Gemeenteblad 2016 nr. 4411 3 februari 2016 2". A citation in running text has no page
# number after it ("bekendgemaakt in Gemeenteblad 2016, nr. 4411.").
_PUBLICATION = (
    r"(?:Gemeenteblad|GEMEENTEBLAD|Staatscourant|STAATSCOURANT|Provinciaal\s+[Bb]lad|PROVINCIAAL\s+BLAD|"
    r"Waterschapsblad|WATERSCHAPSBLAD|Blad\s+gemeenschappelijke\s+regeling)"
)
_PAGE_FOOTER = re.compile(
    rf"(?:^|\s)(?P<footer>{_PUBLICATION}(?:\s+(?:19|20)\d\d)?\s*,?\s+(?:[Nn]r\.?|NR\.?|nummer)\s*\d{{1,9}}"
    rf"(?:\s*,?\s+{_DATE})?\s+(?P<page>\d{{1,3}}))\s*$"
)
_FOOTER_TAIL = 160  # characters at the end of a line looked at for a footer


def _norm(text: str) -> str:
    if not ("  " in text or "\t" in text or "\u00a0" in text or "\n" in text or "\r" in text):
        return text.strip()  # the common case, without a regular expression
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def _combined(entries: list[tuple[int, _Chrome]]) -> re.Pattern:
    """One pattern for many kinds (one regex call per line instead of one per kind): the
    name of the group that matched is ``k<index into CHROME>``."""
    return re.compile(
        "|".join(f"(?P<k{index}>{chrome.pattern.pattern})" for index, chrome in entries), re.I
    )


_CHROME_FRONT = _combined(list(enumerate(CHROME)))
_CHROME_ANYWHERE = _combined([(i, c) for i, c in enumerate(CHROME) if c.anywhere])


def chrome_kind(text: str, *, front: bool = True) -> str | None:
    """The kind of page chrome this whole line is, or None (``front``: also the kinds that
    only occur before the regulation text, such as a file name or the Gemeenteblad heading)."""
    return _chrome_kind(_norm(text), front)


def _chrome_kind(text: str, front: bool) -> str | None:
    if not text or len(text) > 400:
        return None
    m = (_CHROME_FRONT if front else _CHROME_ANYWHERE).fullmatch(text)
    if m:
        return CHROME[int(m.lastgroup[1:])].kind
    if front and _GEMEENTEBLAD_TITLE.match(text) and _name_like(_GEMEENTEBLAD_TITLE.match(text).group("who")):
        return "gemeenteblad"
    return None


def _name_like(text: str) -> bool:
    return bool(re.fullmatch(_NAME, text.strip()))


# --------------------------------------------------------------------------- glued labels

_LABEL_ALTERNATION = "|".join(
    r"\s+".join(re.escape(word) for word in label.split())
    for label in sorted(METADATA_LABELS, key=len, reverse=True)
)
_LABEL_LINE = re.compile(rf"^(?P<label>{_LABEL_ALTERNATION})(?P<sep>\s*[:|\t]\s*|\s+|)(?P<value>.*)$", re.I)


@dataclass
class LabelMatch:
    label: str  # lower case, as in METADATA_LABELS
    key: str
    value: str
    separated: bool  # ":" "|" or a tab between label and value (not glued, not only a space)


def label_line(text: str) -> LabelMatch | None:
    """A metadata label with its value on one line: "CiteertitelVerordening ...",
    "Organisatie: Oosterhout", "Vastgesteld doorgemeenteraad", or the label alone."""
    text = _norm(text)
    m = _LABEL_LINE.match(text)
    if not m:
        return None
    label = _WS.sub(" ", m.group("label")).lower()
    value = m.group("value").strip().strip("|").strip()
    sep = m.group("sep")
    if not sep and value and not m.group("label")[0].isupper():
        return None  # a glued label is written as on the page: "Citeertitel..."
    if value and label not in ("officiële naam regeling", "officiele naam regeling", "citeertitel", "opmerkingen"):
        if len(value.split()) > 14:
            return None  # a sentence, not a metadata value
    if value and len(value.split()) > 40:
        return None
    return LabelMatch(label, METADATA_LABELS[label], value, bool(sep.strip()))


# --------------------------------------------------------------------------- stripping


@dataclass
class FrontMatter:
    """What :func:`strip_chrome` found besides the text it keeps."""

    dropped: list[Dropped] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    intitule: SourceLocation | None = None  # location of the line after "Intitulé"
    heading_titles: list[str] = field(default_factory=list)  # "Gemeente X – <title>"
    publishers: list[str] = field(default_factory=list)  # gemeente from the Gemeenteblad heading
    viewer_titles: list[str] = field(default_factory=list)  # a download site's name for the document
    # front lines that read as a regulation's name (pasted page text joins its lines into blocks)
    line_titles: list[str] = field(default_factory=list)


def add_dropped(dropped: list[Dropped], kind: str, text: str, location: SourceLocation | None = None) -> None:
    """Record a dropped piece; the same text of the same kind again only raises its count."""
    text = _norm(text)
    if not text:
        return
    if len(text) > 200:
        text = text[:199].rstrip() + "…"
    for entry in dropped:
        if entry.kind == kind and entry.text == text:
            entry.count += 1
            return
    dropped.append(Dropped(kind=kind, reason=REASONS.get(kind, kind), text=text,
                           location=location or SourceLocation()))


def _front_end(lines: list[Line]) -> int:
    """Index of the first line of the regulation proper (a structural heading), at most 400."""
    for index, line in enumerate(lines[:400]):
        if line.heading in ("artikel", "hoofdstuk", "paragraaf") or _STRUCTURAL.match(line.text.strip()):
            return index
        if line.label and _STRUCTURAL.match(line.label.strip()):  # Word's automatic numbering: "Artikel 1.1"
            return index
    return min(len(lines), 400)


def strip_chrome(lines: list[Line], known: dict[str, str] | None = None) -> tuple[list[Line], FrontMatter]:
    """Drop page chrome from the lines of a document; keep metadata values found on the way.

    In the front matter (before the first article or chapter heading) every kind is dropped,
    including the metadata block: from a heading such as "Gegevens van de regeling" up to
    "Tekst van de regeling", the intitulé, the aanhef or the title named in the metadata, and
    runs of label lines ("CiteertitelVerordening ..."). After it only the kinds that cannot be
    regulation text are (status, links, feedback, viewer, page numbers).
    """
    info = FrontMatter()
    lines = _split_glued_headings(lines, _front_end(lines))
    lines = _drop_viewer_title(lines, info)
    front_end = _front_end(lines)
    known_titles = {_norm(v).lower() for k, v in (known or {}).items() if k in _TITLE_KEYS and v}
    labels = [label_line(line.text) if i < front_end else None for i, line in enumerate(lines)]

    def accepted(i: int) -> bool:
        m = labels[i]
        if m is None:
            return False
        if m.label in _DISTINCTIVE_LABELS and (m.value or m.separated):
            return True
        neighbours = [labels[j] for j in (i - 1, i + 1) if 0 <= j < len(labels)]
        return bool(m.value) and any(n is not None and n.value for n in neighbours)

    kept: list[Line] = []
    in_section = False
    await_intitule = False
    pending_label: LabelMatch | None = None  # a label alone on its line, value on the next
    previous_was_bare_label = False
    transcription = False
    page_counter = 0
    start_next = False
    table_columns: list[str | None] | None = None  # a flattened metadata table: its header row
    seen_aanhef = False

    last_drop: list = [None]  # (kind, text, metadata key or None) of the line dropped just before

    def drop(line: Line, kind: str, key: str | None = None) -> None:
        nonlocal start_next
        add_dropped(info.dropped, kind, line.text, line.location)
        start_next = start_next or line.block_start or kind != "page-number"
        last_drop[0] = (kind, _norm(line.text), key)

    def continues_drop(line: Line, text: str) -> bool:
        """A wrapped line of the line dropped just before (PDF, hard-wrapped text)."""
        previous = last_drop[0]
        if previous is None or line.block_start or line.heading:
            return False
        kind, before, _ = previous
        # a physical line of a PDF may go on with any word; a line of text only with one that
        # cannot start a paragraph (pasted page text has one paragraph per line)
        if line.location.page is None and not (text[:1].islower() or text[:1].isdigit()):
            return False
        return (
            "|" not in text
            and kind in _WRAPPING_KINDS
            and len(before) >= 40
            and not before.endswith((".", "!", "?", ":"))
            and len(text.split()) <= 12
            and not AANHEF_START.match(text)
        )

    def keep(line: Line) -> None:
        nonlocal start_next
        if start_next and not line.block_start:
            line = replace(line, block_start=True)
        start_next = False
        kept.append(line)

    for i, line in enumerate(lines):
        text = _norm(line.text)
        front = i < front_end
        if not text:
            keep(line)
            continue
        if transcription:
            m = _PAGE_PREFIX.match(text)
            if m and int(m.group(1)) == page_counter + 1 and line.block_start:
                page_counter += 1
                add_dropped(info.dropped, "page-number", f"{m.group(1)} (paginanummer van de leessite)", line.location)
                line = replace(line, text=line.text.lstrip()[m.end():])
                text = _norm(line.text)
        footer = _PAGE_FOOTER.search(text, max(0, len(text) - _FOOTER_TAIL))
        if footer and (not transcription or int(footer.group("page")) == page_counter):
            # in a transcription the footer gives the number of the page it ends
            add_dropped(info.dropped, "page-footer", footer.group("footer"), line.location)
            text = text[: footer.start("footer")].rstrip()
            if not text:
                continue
            line = replace(line, text=text)
        kind = _chrome_kind(text, front)
        if kind is not None:
            if kind == "viewer" and text.lower() == "transcriptie":
                transcription = True
            _note_publisher(info, text)
            drop(line, kind)
            continue
        if not front:
            last_drop[0] = None
            keep(line)
            continue
        prefix = _heading_prefix(text)
        if prefix:
            add_dropped(info.dropped, "gemeenteblad", prefix, line.location)
            _note_publisher(info, prefix)
            line = replace(line, text=line.text.lstrip()[len(prefix):].lstrip())
            text = _norm(line.text)
        if await_intitule:
            await_intitule = False
            if label_line(text) is None and not _SECTION_START.fullmatch(text):
                info.intitule = line.location
                last_drop[0] = None
                keep(line)
                continue
        if _INTITULE.fullmatch(text):
            in_section = False
            await_intitule = True
            drop(line, "metadata")
            continue
        if _SECTION_END.fullmatch(text):
            in_section = False
            drop(line, "metadata")
            continue
        if _SECTION_START.fullmatch(text):
            in_section = True
            pending_label = None
            drop(line, "metadata")
            continue
        m = labels[i]
        if m is not None and (in_section or accepted(i)):
            owns_value = False
            if m.value:
                owns_value = m.key not in info.metadata
                info.metadata.setdefault(m.key, m.value)
                pending_label = None
            else:
                pending_label = None if previous_was_bare_label else m
            previous_was_bare_label = not m.value
            drop(line, "metadata", m.key if owns_value else None)
            continue
        if continues_drop(line, text):
            kind, before, key = last_drop[0]
            entry = info.dropped[-1]
            entry.text = _norm(f"{entry.text} {text}")
            if key and info.metadata.get(key) is not None:
                info.metadata[key] = _norm(f"{info.metadata[key]} {text}")
            last_drop[0] = (kind, _norm(f"{before} {text}"), key)
            continue
        cells = _cells(text)
        if cells is not None:
            header = [METADATA_LABELS.get(_norm(c).lower().rstrip(":")) for c in cells]
            if sum(1 for h in header if h) >= 2:
                table_columns = header
                drop(line, "metadata")
                continue
            if table_columns is not None and (
                _TABLE_RULE.fullmatch(text) or 0 <= len(table_columns) - len(cells) <= 1
            ):
                # a row one cell short lost its empty first cell when the table was flattened
                columns = table_columns[len(table_columns) - len(cells):]
                for key, value in zip(columns, cells):
                    if key and value and not _TABLE_RULE.fullmatch(value):
                        info.metadata.setdefault(key, value)
                drop(line, "metadata")
                continue
        table_columns = None
        if in_section:
            if AANHEF_START.match(text) or _TOC_HEADING.fullmatch(text) or text.lower() in known_titles or _norm(text).lower() in {
                _norm(v).lower() for k, v in info.metadata.items() if k in _TITLE_KEYS
            }:
                in_section = False
                last_drop[0] = None
                keep(line)
                continue
            if pending_label is not None:
                info.metadata.setdefault(pending_label.key, text)
            pending_label = None
            previous_was_bare_label = False
            drop(line, "metadata")
            continue
        pending_label = None
        previous_was_bare_label = False
        letterhead = letterhead_gemeente(text)
        if letterhead:
            info.publishers.append(letterhead)
            drop(line, "letterhead")
            continue
        last_drop[0] = None
        if not line.block_start and text[:1].isupper() and AANHEF_START.match(text) and kept:
            line = replace(line, block_start=True)  # "De raad van ..." starts the aanhef, also in pasted text
        if AANHEF_START.match(text):
            seen_aanhef = True
        elif not seen_aanhef and (_reads_as_title(text) or citeertitel_in_brackets(text)):
            info.line_titles.append(text)  # a long official name only with its citeertitel
        keep(line)
    return kept, info


_TABLE_RULE = re.compile(r"[-|:\s]{3,}")


def _cells(text: str) -> list[str] | None:
    """The cells of a table row flattened to text ("a | b | c |"), or None."""
    if text.count("|") < 2:
        return None
    return [c.strip() for c in text.strip().strip("|").split("|")]


def _heading_prefix(text: str) -> str | None:
    """The Gemeenteblad heading at the start of a line that goes on with other text."""
    m = _HEADING_PREFIX.match(text)
    if not m or not m.group(0).strip():
        return None
    prefix = m.group(0)
    if not (m.group("uitgave") or re.search(r"\b(?:Nr|NR|nr)\b", prefix) or prefix.startswith("GEMEENTEBLAD")):
        return None
    return prefix.rstrip()


def _drop_viewer_title(lines: list[Line], info: FrontMatter) -> list[Line]:
    """A download or transcription site puts the document's first words above its viewer
    ("HOOFDSTUK 1 ALGEMENE BEPALINGEN", then "Maat: px", "Download "..."", "Transcriptie"):
    that line is the site's, not the document's (kept as the last title hint)."""
    first_viewer = next(
        (i for i, line in enumerate(lines[:12]) if _chrome_kind(_norm(line.text), True) == "viewer"), None
    )
    if not first_viewer or not any(
        _norm(line.text).lower() == "transcriptie" or _norm(line.text).lower().startswith("download")
        for line in lines[first_viewer:first_viewer + 12]
    ):
        return lines
    for line in lines[:first_viewer]:
        if _norm(line.text):
            add_dropped(info.dropped, "viewer", line.text, line.location)
            info.viewer_titles.append(_norm(line.text))
    rest = lines[first_viewer:]
    if rest and not rest[0].block_start:
        rest[0] = replace(rest[0], block_start=True)
    return rest


def _split_glued_headings(lines: list[Line], front_end: int) -> list[Line]:
    """Split a heading glued to the text before it in the front matter ("... WmoHoofdstuk 1
    Algemene bepalingen") into two lines."""
    out: list[Line] = []
    for index, line in enumerate(lines):
        m = _GLUED_HEADING.search(line.text) if index <= front_end else None
        if m and m.start() > 0:
            out.append(replace(line, text=line.text[: m.start()]))
            out.append(replace(line, text=line.text[m.start():], block_start=True))
        else:
            out.append(line)
    return out


def letterhead_gemeente(text: str | None) -> str | None:
    """The municipality of a line that is only its name: "Gemeente Bergen op Zoom"."""
    m = _LETTERHEAD.match(_norm(text or ""))
    if m and _name_like(m.group("who")):
        return m.group("who").strip()
    return None


def _note_publisher(info: FrontMatter, text: str) -> None:
    m = _UITGAVE.search(text)
    if m and _name_like(m.group("who")):
        info.publishers.append(m.group("who").strip())
        return
    m = _GEMEENTEBLAD_TITLE.match(text)
    if m and _name_like(m.group("who")):
        info.publishers.append(m.group("who").strip())
        info.heading_titles.append(m.group("title").strip())


# --------------------------------------------------------------------------- title

TITLE_WORDS = re.compile(
    r"\b(?:\w*verordening|regeling|besluit|reglement|beleidsregels?|nadere\s+regels)\b", re.I
)
_BESLUIT = re.compile(
    r"\bvast\s+te\s+stellen\s*:?\s*(?:(?:de|het)\b\s*:?\s*)?(?:(?:hierna\s+)?(?:na)?volgende\s+"
    r"(?:verordening|regeling|besluit|beleidsregels?|nadere\s+regels|wijziging)?\s*:?\s*)?(?P<rest>.*)$",
    re.I | re.S,
)
# "... heeft op 10 november 2016 besloten de Verordening X vast te stellen"
_BESLOTEN = re.compile(
    r"\bbe(?:sluit|sloten)\b[^.;:]{0,80}?\b(?:de|het)\s+(?P<rest>[A-Z][^;:]{3,200}?)\s+vast\s+te\s+stellen\b"
)
_BESLUIT_CUT = re.compile(
    r"\s+(?:Hoofdstuk|HOOFDSTUK|Artikel|ARTIKEL|Paragraaf|PARAGRAAF|§)\s*(?:\d|[IVX]+\b)"
    r"|\s+(?:Inhoudsopgave|INHOUDSOPGAVE|De\s+raad)\b|\s+(?:luidende|luidend|die\s+luidt|"
    r"als\s+volgt)\b|;|,\s+(?:onder|met|waarbij|zulks|en\s+in\s+te\s+trekken)\b|\s+\d\.\s+in\s+te\s+trekken\b",
)
# short words that stay lower case in a sentence-case title (unless the document writes them otherwise)
_KEEP_CASE = {"wmo": "Wmo", "awb": "Awb", "pgb": "pgb", "bw": "BW", "cak": "CAK", "ciz": "CIZ"}


# the besluit word on a paragraph of its own ("BESLUIT:", "b e s l u i t :", "besluiten:")
_BESLUIT_WORD = re.compile(r"^\s*(?:b\s*e\s*s\s*l\s*u\s*i\s*t(?:\s*e\s*n)?)\s*:?\s*$", re.I)
# the paragraph after it: "de Verordening X vast te stellen."
_ADOPTED_NEXT = re.compile(r"^\s*(?:de|het)\s+(?P<rest>[A-Z][^;:]{3,200}?)\s+vast\s+te\s+stellen\b")


def title_from_besluit(texts: list[str]) -> str | None:
    """The title named in the besluit: "besluit: vast te stellen de Verordening X" or "...
    de volgende verordening:" followed by the title in the next paragraph, or "BESLUIT:" on its
    own followed by "de Verordening X vast te stellen"."""
    for index, text in enumerate(texts):
        patterns = [_BESLUIT, _BESLOTEN]
        if index and _BESLUIT_WORD.match(texts[index - 1]):
            patterns.append(_ADOPTED_NEXT)
        for pattern in patterns:
            m = pattern.search(text)
            if not m:
                continue
            rest = m.group("rest").strip()
            if not rest and index + 1 < len(texts):
                rest = texts[index + 1].strip()
            cut = _BESLUIT_CUT.search(rest)
            if cut:
                rest = rest[: cut.start()]
            rest = rest.strip().strip("“”\"'‘’„").strip().rstrip(".:;,").strip().strip("“”\"'‘’„").strip()
            rest = citeertitel_in_brackets(rest) or rest
            if _plausible_title(rest):
                return rest
    return None


def citeertitel_in_brackets(title: str | None) -> str | None:
    """The citeertitel an official name carries in brackets at its end: "Verordening van de raad
    ... houdende regels omtrent X (Verordening X 2020)" -> "Verordening X 2020". Brackets may be
    nested ("(Beleidsregel tot wijziging ... (2e wijziging))"). None when there is none."""
    text = _norm(title or "").rstrip(".")
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            inner, outer = text[index + 1:-1].strip(), text[:index].strip()
            if (
                len(inner.split()) >= 2 and inner[:1].isupper() and TITLE_WORDS.search(inner)
                and TITLE_WORDS.search(outer) and len(outer.split()) >= 4
            ):
                return inner
            return None
    return None


def choose_title(
    *, metadata: dict[str, str], intitule: str | None, besluit: list[str], hints: Iterable[str | None]
) -> str | None:
    """The regulation's own name, in order of trust: the metadata (officiële naam, then
    citeertitel), the intitulé, the title the besluit adopts, then the first heading-like
    line that is not chrome (``hints``, best first)."""
    for key in _TITLE_KEYS:
        value = clean_title(metadata.get(key))
        if value and (TITLE_WORDS.search(value) or len(value.split()) >= 3):
            return value  # not a page name such as "Home" or "Zoeken"
    value = clean_title(intitule)
    if value:
        return citeertitel_in_brackets(value) or value
    value = title_from_besluit(besluit)
    if value:
        # the besluit may leave out the year the heading gives ("... Lingewaard" / "... Lingewaard 2018")
        for hint in hints:
            hint = clean_title(hint)
            if hint and _norm(hint).lower().startswith(_norm(value).lower() + " ") and re.fullmatch(
                r"\s*(?:\(?\d{4}\)?|[IVX]+)\.?", hint[len(_norm(value)):].strip() or "x"
            ):
                return hint.rstrip(".")
        return value
    for hint in hints:
        value = clean_title(hint)
        if value and value.rstrip("."):
            return citeertitel_in_brackets(value) or value.rstrip(".")
    return None


def _reads_as_title(text: str) -> bool:
    """A line that names a regulation: a regulation word, short, no sentence or clause end."""
    return (
        text[:1].isupper()
        and len(text.split()) <= 25
        and not text.endswith((":", ";", ","))
        and bool(TITLE_WORDS.search(text))
    )


def _plausible_title(text: str) -> bool:
    if not text or not (text[0].isupper() or text[0].isdigit()):
        return False
    words = text.split()
    if len(words) > 30:
        return False
    return bool(TITLE_WORDS.search(text)) or len(words) <= 10


_SITE_SUFFIX = re.compile(r"overheid|regelgeving|bekendmaking|gemeente\b", re.I)


def strip_site_suffix(title: str) -> str:
    """A page title without the site's name: "Citeertitel | Lokale wet- en regelgeving",
    "... - Overheid.nl", "... | Gemeente X"."""
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and _SITE_SUFFIX.search(parts[-1]):
        return " - ".join(parts[:-1])
    return title


# a page title with the site's name in front: "Gemeente X | Verordening ..."
_SITE_NAME_PREFIX = re.compile(r"^(?:(?:de\s+)?gemeente\s+[^|]{2,60}?|[^|]{0,60}(?:overheid|regelgeving)[^|]{0,30}?)\s+\|\s+(?=\S)", re.I)
# a site's label for the kind of document in front of a title that names its own kind:
# "Regeling Verordening individuele studietoeslag" (the title is "Verordening ...")
_SITE_KIND_PREFIX = re.compile(
    r"^(?:Regeling|Document|Publicatie|Titel)\s*:?\s+(?=(?:\w*[Vv]erordening|Besluit|Reglement|Beleidsregels?|Nadere\s+regels|Regeling)\b)"
)
# a case number glued to the end of a title ("... WestlandZaaknummer: 2160970")
_TRAILING_REFERENCE = re.compile(
    r"\s*(?:Zaaknummer|Kenmerk|Registratienummer|Documentnummer|Corsanummer|Raadsbesluit(?:nummer)?|Besluitnummer)"
    r"\s*:?\s*[\w./-]*\d[\w./-]*\.?$"
)


def clean_title(title: str | None) -> str | None:
    """A reader's title without chrome: None for a file name or status line, the title part of
    "Gemeente X – <title>", the site suffix of a page title and a glued case number dropped."""
    if not title:
        return None
    title = _TRAILING_REFERENCE.sub("", strip_site_suffix(_norm(title)))
    title = _SITE_KIND_PREFIX.sub("", _SITE_NAME_PREFIX.sub("", title))
    prefix = _heading_prefix(title)
    if prefix:
        title = title[len(prefix):].strip()
    m = _GEMEENTEBLAD_TITLE.match(title)
    if m and _name_like(m.group("who")):
        title = m.group("title").strip()
    if chrome_kind(title) is not None:
        return None
    return title or None


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(1 for c in letters if c.isupper()) >= 0.8 * len(letters) and len(text.split()) >= 2


def readable_title(title: str, vocabulary: str = "", gemeente: str | None = None) -> str:
    """An ALL-CAPS title in sentence case, keeping proper names: the gemeente as it is named,
    words the document writes with a capital inside a sentence ("Wmo", "Wet"), and a few
    abbreviations. Titles that are not in capitals are returned as they are."""
    if not is_all_caps(title):
        return title
    proper = _proper_forms(vocabulary)
    words = title.lower().split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        core = word.strip("()[],.:;“”\"'")
        form = proper.get(core) or _KEEP_CASE.get(core)
        if form:
            word = word.replace(core, form, 1)
        elif index == 0:
            word = word[:1].upper() + word[1:]
        out.append(word)
    result = " ".join(out)
    if gemeente:
        result = re.sub(re.escape(gemeente), lambda m: gemeente, result, flags=re.I)
    else:
        # the words after "gemeente" are its name: "GEMEENTE HARDINXVELD-GIESSENDAM"
        result = _LOWER_NAME.sub(lambda m: m.group(1) + _name_case(m.group(2)), result)
    return result


_LOWER_NAME = re.compile(r"(\bgemeente\s+)((?:['’]s-)?[^\W\d_][\w'’-]*(?:\s+(?!\d)[^\W\d_][\w'’-]*){0,3})")
_LOWER_PARTICLES = {"aan", "den", "de", "der", "op", "in", "van", "bij", "ter", "ten", "en", "het"}


def _name_case(words: str) -> str:
    """A municipality's name written in lower case, with its capitals back."""
    out = []
    for index, word in enumerate(words.split(" ")):
        if index and word in _LOWER_PARTICLES:
            out.append(word)
            continue
        out.append("-".join(
            part if part in ("'s", "’s") or (i and part in _LOWER_PARTICLES) else part[:1].upper() + part[1:]
            for i, part in enumerate(word.split("-"))
        ))
    return " ".join(out)


def _proper_forms(text: str) -> dict[str, str]:
    """Words the text writes with a capital (or in mixed case) inside a sentence more often
    than in lower case: lower-case word -> its written form."""
    capital: dict[str, dict[str, int]] = {}
    lower: dict[str, int] = {}
    for m in re.finditer(r"(?<=[^\s.:;!?\n]\s)([^\W\d_][\w'’-]*)", text[:400_000]):
        word = m.group(1)
        key = word.lower()
        if word == key:
            lower[key] = lower.get(key, 0) + 1
        elif not word.isupper() or len(word) <= 4:
            capital.setdefault(key, {}).setdefault(word, 0)
            capital[key][word] += 1
    forms = {}
    for key, spellings in capital.items():
        form, count = max(spellings.items(), key=lambda item: item[1])
        if count > lower.get(key, 0):
            forms[key] = form
    return forms


# --------------------------------------------------------------------------- gemeente

# A municipality's name: capitalised words, joined by hyphens or by particles ("Bergen op
# Zoom", "Alphen aan den Rijn"), maybe "'s-" in front ("'s-Hertogenbosch") and a province in
# brackets behind ("Bergen (NH)"). Words that start the next clause are not part of it.
_STOP_WORDS = (
    r"(?:Gelet|Gezien|Gehoord|Overwegende|Besluit|BESLUIT|Stuknummer|Raadsvergadering|Nr|Nummer|Onderwerp|"
    r"Registratienummer|Zaaknummer|Datum|Kenmerk|Gemeenteblad|Verordening|Regeling|Besluiten|State)\b"
)
_NAME_WORD = rf"(?!{_STOP_WORDS})(?:['’]s-|['’]t\s)?[A-ZÀ-ÖØ-Þ][\w'’]*+(?:-[\w'’]++)*+"
_PARTICLE = r"(?:aan|den|de|der|op|in|van|bij|ter|ten|en|het|a/d)"
_NAME = (
    rf"{_NAME_WORD}(?:(?:\s+{_PARTICLE})*+\s+{_NAME_WORD})*+"
    rf"(?:(?:,\s+{_NAME_WORD})++\s+en\s+{_NAME_WORD})?"  # "Hoeven, Velde en Broek"
    rf"(?:\s*\([A-Z][\w.\-]*(?:\s[\w.\-]+)?\))?"
)

_ADOPTING = re.compile(
    rf"(?i:\b(?:de\s+)?(?:gemeente)?raad\s+(?:van\s+(?:de\s+)?gemeente|der\s+gemeente|van))\s+(?P<name>{_NAME})"
)
_COLLEGE = re.compile(
    rf"(?i:\b(?:college\s+van\s+burgemeester\s+en\s+wethouders|burgemeester\s+en\s+wethouders|college|burgemeester)"
    rf"\s+(?:van\s+(?:de\s+)?gemeente|der\s+gemeente))\s+(?P<name>{_NAME})"
)
_IN_TITLE = re.compile(rf"(?i:\bgemeente)\s+(?P<name>{_NAME})")
# a regulation of the municipality that the aanhef builds on: "gelet op artikel 1.3 van de
# Verordening maatschappelijke ondersteuning gemeente X 2015" (a college regulation rests on
# its own council's ordinance)
_CITED_OWN = re.compile(
    rf"(?i:\b(?:\w*verordening|regeling|beleidsregels?|besluit)\b)[^;:()]{{0,120}}?(?i:\bgemeente)\s+(?P<name>{_NAME})"
)


def strip_gemeente_prefix(value: str | None) -> str | None:
    value = _norm(value or "")
    value = re.sub(r"^(?:de\s+)?gemeente\s+", "", value, flags=re.I).strip()
    return value or None


def _first(pattern: re.Pattern, texts: Iterable[str]) -> str | None:
    for text in texts:
        m = pattern.search(text)
        if m:
            name = m.group("name").strip()
            if name.lower() not in ("de", "het", "deze"):
                return name
    return None


def find_gemeente(
    *,
    metadata: str | None = None,
    front: Iterable[str] = (),
    slot: Iterable[str] = (),
    publishers: Iterable[str] = (),
    title: str = "",
    grounds: Iterable[str] = (),
) -> str | None:
    """The municipality that adopts the regulation, in order of trust: the metadata (creator,
    "Organisatie"), the raad that adopts it ("De raad van de gemeente X" in the aanhef or the
    slot), the Gemeenteblad that publishes it, its college, "gemeente X" in the title, and
    last the municipality of the regulation the aanhef builds on (``grounds``: the texts of
    the aanhef; "gelet op ... de Verordening ... gemeente X"). A municipality the text only
    mentions elsewhere is never taken."""
    front, slot, publishers = list(front), list(slot), list(publishers)
    found = strip_gemeente_prefix(metadata)
    if found:
        return found
    for candidate in (
        _first(_ADOPTING, front + slot),
        next((strip_gemeente_prefix(p) for p in publishers if p), None),
        _first(_COLLEGE, front + slot),
        _first(_IN_TITLE, [title]),
        _first(_CITED_OWN, _grounds(list(grounds))),
    ):
        if candidate:
            return candidate
    return None


_GELET_OP = re.compile(r"\bgelet\s+op\b", re.I)
_CLAUSE_END = re.compile(r"^(?:gezien|gehoord|gelezen|overwegende|besluit|b\s*e\s*s\s*l\s*u\s*i\s*t)\b", re.I)


def _grounds(texts: list[str]) -> list[str]:
    """The "gelet op" part of an aanhef: from the paragraph that says "gelet op" up to the next
    clause (gezien, gehoord, overwegende, besluit); the listed grounds may be paragraphs of their own."""
    out: list[str] = []
    inside = False
    for text in texts:
        m = _GELET_OP.search(text)
        if m:
            inside = True
            out.append(text[m.start():])
            continue
        if inside and _CLAUSE_END.match(text.strip()):
            inside = False
        if inside:
            out.append(text)
    return out
