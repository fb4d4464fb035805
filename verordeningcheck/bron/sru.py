"""The SRU search service of KOOP (zoekservice.overheid.nl / repository.overheid.nl).

Request and response shapes, and which public source documents each, are in docs/bronnen.md.
Responses are read by local element names, so the SRU 1.2 (``http://www.loc.gov/zing/srw/``)
and SRU 2.0 (``http://docs.oasis-open.org/ns/search-ws/sruResponse``) envelopes and the
varying prefixes of the record metadata all work. Responses are parsed with the project's
safe XML parser (no DTD, no entities, no network).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from urllib.parse import urlencode

from lxml import etree

from ..errors import VerordeningcheckError
from ..readers.xml import parse_xml_safely
from .errors import ServiceError
from .refs import normalize_identifier

CVDR_SRU = "https://zoekservice.overheid.nl/sru/Search"
OP_SRU = "https://repository.overheid.nl/sru"
CVDR_REPOSITORY = "https://repository.officiele-overheidspublicaties.nl/cvdr"
PAGE_SIZE = 100  # records per request
MAX_RESPONSE_BYTES = 10 * 1024 * 1024


@dataclass
class Record:
    """One search result: a version of a regulation (CVDR) or a publication (gemeenteblad)."""

    identifier: str  # as the service writes it, e.g. CVDR152048_2 or gmb-2017-100007
    work: str = ""  # CVDR152048 (regulation) or the gmb id
    version: int | None = None
    title: str = ""
    creator: str = ""  # the municipality (or province, water board)
    organisation_type: str = ""
    type: str = ""
    subject: str = ""
    issued: str = ""  # date of the decision
    modified: str = ""
    in_force: str = ""  # inwerkingtredingDatum
    out_of_force: str = ""  # uitwerkingtredingDatum (empty: still in force)
    betreft: str = ""
    published_in: str = ""  # isFormatOf: the gemeenteblad or other publication
    xml_url: str = ""
    html_url: str = ""
    preferred_url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.work}/{self.version}" if self.version else self.work

    @property
    def public_url(self) -> str:
        if self.preferred_url.startswith("https://") or self.preferred_url.startswith("http://"):
            return "https://" + self.preferred_url.split("://", 1)[1]
        if self.work.startswith("CVDR"):
            return f"https://lokaleregelgeving.overheid.nl/{self.label}"
        return f"https://zoek.officielebekendmakingen.nl/{self.work}.html"

    def current_on(self, day: date) -> bool:
        """In force on ``day`` (by the dates in the metadata; a missing start date counts as in force)."""
        iso = day.isoformat()
        if self.in_force and self.in_force[:10] > iso:
            return False
        return not self.out_of_force or self.out_of_force[:10] >= iso

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra", None)
        data["url"] = self.public_url
        return data


@dataclass
class Page:
    records: list[Record]
    total: int
    next_position: int | None


# ---------------------------------------------------------------------------- requests


def search_url(base: str, query: str, start: int = 1, maximum: int = PAGE_SIZE, connection: str = "cvdr") -> str:
    params = {
        "operation": "searchRetrieve",
        "version": "1.2",
        "x-connection": connection,
        "query": query,
        "startRecord": str(start),
        "maximumRecords": str(maximum),
    }
    return f"{base}?{urlencode(params)}"


def cql_term(value: str) -> str:
    """A CQL term in double quotes; quotes and backslashes in the user's text are escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def versions_query(work: str) -> str:
    """All versions of one regulation: ``dcterms.identifier=CVDR152048_*`` (docs/bronnen.md)."""
    return f"dcterms.identifier={work}_*"


def gmb_query(identifier: str) -> str:
    return f"c.product-area==officielepublicaties and dcterms.identifier=={identifier}"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def build_search_query(
    *, words: str = "", gemeente: str = "", since: str = "", until: str = "", title_words: str = ""
) -> str:
    """CQL for ``batch --zoek``/``--gemeente``: free words, title words, municipality and a
    range of in-force dates; every user value is quoted (no CQL injection)."""
    parts = []
    if gemeente.strip():
        parts.append(f"dcterms.creator=={cql_term(gemeente.strip())}")
    if title_words.strip():
        parts.append(f"dcterms.title all {cql_term(title_words.strip())}")
    if words.strip():
        parts.append(f"cql.serverChoice all {cql_term(words.strip())}")
    for value, op in ((since, ">="), (until, "<=")):
        if value:
            if not _DATE.match(value):
                raise VerordeningcheckError(f"ongeldige datum {value!r}; gebruik JJJJ-MM-DD.")
            parts.append(f"overheidrg.inwerkingtredingDatum{op}{value}")
    if not parts:
        raise VerordeningcheckError("geef een zoekvraag (--zoek) of een gemeente (--gemeente).")
    return " and ".join(parts)


# ---------------------------------------------------------------------------- responses


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _first_text(el, name: str) -> str:
    for node in el.iter():
        if _local(node) == name:
            text = " ".join("".join(node.itertext()).split())
            if text:
                return text
    return ""


def parse_page(data: bytes, url: str) -> Page:
    """Parse one searchRetrieve response; a diagnostic or an unreadable answer is a ServiceError."""
    try:
        root = parse_xml_safely(data, url)
    except VerordeningcheckError:
        raise ServiceError("de zoekdienst gaf een onleesbaar antwoord (geen geldige XML).", url) from None
    if _local(root) == "diagnostics" or any(_local(n) == "diagnostic" for n in root.iter()):
        message = _first_text(root, "message") or "onbekende fout"
        details = _first_text(root, "details")
        raise ServiceError(
            f"de zoekdienst kon de zoekvraag niet uitvoeren: {message}" + (f" ({details})" if details else ""), url
        )
    if _local(root) != "searchRetrieveResponse":
        raise ServiceError(f"onverwacht antwoord van de zoekdienst (<{_local(root)}>).", url)
    total_text = _first_text(root, "numberOfRecords")
    if not total_text.isdigit():
        raise ServiceError("het antwoord van de zoekdienst noemt geen aantal resultaten.", url)
    next_text = ""
    for child in root:
        if _local(child) == "nextRecordPosition":
            next_text = (child.text or "").strip()
    records = []
    for records_el in _children(root, "records"):
        for record_el in _children(records_el, "record"):
            record = _record(record_el)
            if record is not None:
                records.append(record)
    return Page(records, int(total_text), int(next_text) if next_text.isdigit() else None)


def _record(record_el) -> Record | None:
    gzd = next((n for n in record_el.iter() if _local(n) == "gzd"), None)
    if gzd is None:
        return None
    original = next((n for n in gzd if _local(n) == "originalData"), None)
    enriched = next((n for n in gzd if _local(n) == "enrichedData"), None)
    if original is None:
        return None
    identifier = _first_text(original, "identifier")
    if not identifier:
        return None
    record = Record(identifier=identifier)
    normalized = normalize_identifier(identifier)
    if normalized:
        record.work, record.version = normalized
    else:
        record.work = identifier
    record.title = _first_text(original, "title")
    record.creator = _first_text(original, "creator")
    record.type = _first_text(original, "type")
    record.subject = _first_text(original, "subject")
    record.issued = _first_text(original, "issued")
    record.modified = _first_text(original, "modified")
    record.in_force = _first_text(original, "inwerkingtredingDatum")
    record.out_of_force = _first_text(original, "uitwerkingtredingDatum")
    record.betreft = _first_text(original, "betreft")
    record.published_in = _first_text(original, "isFormatOf")
    if enriched is not None:
        record.organisation_type = _first_text(enriched, "organisatietype")
        record.xml_url = _first_text(enriched, "publicatieurl_xml")
        record.html_url = _first_text(enriched, "publicatieurl_xhtml")
        record.preferred_url = _first_text(enriched, "preferred_url") or _first_text(enriched, "preferredUrl")
        for node in enriched:
            if _local(node) == "itemUrl":
                kind = (node.get("manifestation") or "").lower()
                text = (node.text or "").strip()
                if kind == "xml" and not record.xml_url:
                    record.xml_url = text
                elif kind == "html" and not record.html_url:
                    record.html_url = text
        if not record.xml_url:
            url = _first_text(enriched, "url")
            if url.lower().endswith(".xml"):
                record.xml_url = url
    if not record.organisation_type:
        record.organisation_type = _first_text(original, "organisatietype")
    return record


def cvdr_xml_url(work: str, version: int) -> str:
    """The repository address of one version when the search result has none (docs/bronnen.md)."""
    return f"{CVDR_REPOSITORY}/{work}/{version}/xml/{work}_{version}.xml"
