"""From an id, link or query to the official publication(s): search, pick, download.

Everything goes through :class:`~verordeningcheck.bron.net.Client` (allow-list, cache, limits).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import NotFound, ServiceError, SourceError, TooManyResults
from .net import Client, check_url
from .refs import Reference, parse_reference
from .sru import (
    CVDR_SRU,
    MAX_RESPONSE_BYTES,
    OP_SRU,
    PAGE_SIZE,
    Record,
    cvdr_xml_url,
    gmb_query,
    parse_page,
    search_url,
    versions_query,
)

MAX_VERSIONS = 500  # one regulation with more versions than this is not plausible


@dataclass
class Fetched:
    """A downloaded publication: its bytes, the link to show, and its search record."""

    data: bytes
    url: str  # the public page (lokaleregelgeving / zoek.officielebekendmakingen)
    download_url: str  # the file that was read (repository)
    record: Record | None
    reference: Reference | None = None

    @property
    def label(self) -> str:
        return self.url

    def metadata(self) -> dict[str, str]:
        """Added to ``Document.metadata`` so every output can name the source."""
        meta = {"bron_url": self.url, "bron_bestand": self.download_url}
        if self.record is not None:
            meta["bron_id"] = self.record.label
            if self.record.in_force:
                meta["bron_geldig_vanaf"] = self.record.in_force
            if self.record.out_of_force:
                meta["bron_geldig_tot"] = self.record.out_of_force
        return meta


class Source:
    def __init__(self, client: Client | None = None):
        self.client = client or Client()

    # ------------------------------------------------------------------ search

    def search(self, query: str, *, base: str = CVDR_SRU, connection: str = "cvdr", limit: int = 2000) -> list[Record]:
        """Every record for a CQL query, page by page; more than ``limit`` is an error
        (TooManyResults) before anything else is downloaded."""
        records: list[Record] = []
        start = 1
        total = None
        seen_starts = set()
        while True:
            url = search_url(base, query, start=start, maximum=PAGE_SIZE, connection=connection)
            page = parse_page(self.client.get(url, max_bytes=MAX_RESPONSE_BYTES, reuse=False), url)
            if total is None:
                total = page.total
                if total > limit:
                    raise TooManyResults(
                        f"de zoekvraag geeft {total} resultaten; de grens is {limit}. Maak de zoekvraag "
                        "nauwkeuriger (gemeente, titelwoorden, datums) of verhoog --max-resultaten.",
                        query,
                    )
            records.extend(page.records)
            seen_starts.add(start)
            if not page.records or len(records) >= total:
                break
            following = page.next_position or start + len(page.records)
            if following in seen_starts or following <= start:  # a service that does not advance
                break
            start = following
        return records

    def versions(self, work: str) -> list[Record]:
        """All versions of one regulation, oldest first (by version number)."""
        records = [
            r for r in self.search(versions_query(work), limit=MAX_VERSIONS) if r.work == work and r.version is not None
        ]
        unique: dict[int, Record] = {}
        for record in records:
            unique.setdefault(record.version, record)
        if not unique:
            raise NotFound(f"de regeling {work} is niet gevonden in de CVDR-databank.", work)
        return [unique[v] for v in sorted(unique)]

    # ------------------------------------------------------------------ pick and download

    def record_for(self, reference: Reference) -> Record:
        """The search record of one version: the given one, or the current (else newest) one."""
        versions = self.versions(reference.work)
        if reference.version is not None:
            for record in versions:
                if record.version == reference.version:
                    return record
            known = ", ".join(str(r.version) for r in versions)
            raise NotFound(f"versie {reference.version} van {reference.work} bestaat niet (wel: {known}).", reference.given)
        return current_version(versions)

    def fetch_record(self, record: Record) -> Fetched:
        url = record.xml_url or (cvdr_xml_url(record.work, record.version) if record.version else "")
        if not url:
            raise ServiceError(f"het zoekresultaat voor {record.label} noemt geen XML-bestand.", record.identifier)
        url = _https(url)
        check_url(url)
        return Fetched(self.client.get(url), record.public_url, url, record)

    def fetch(self, argument: str | Reference) -> Fetched:
        reference = argument if isinstance(argument, Reference) else parse_reference(argument)
        if reference.kind == "cvdr":
            fetched = self.fetch_record(self.record_for(reference))
        else:
            fetched = self.fetch_gmb(reference)
        fetched.reference = reference
        return fetched

    def fetch_gmb(self, reference: Reference) -> Fetched:
        if reference.direct_url:
            return Fetched(self.client.get(reference.direct_url), reference.public_url, reference.direct_url, None)
        query = gmb_query(reference.work)
        records = [r for r in self.search(query, base=OP_SRU, connection="officielepublicaties", limit=20)
                   if r.identifier.lower() == reference.work]
        if not records:
            raise NotFound(f"de publicatie {reference.work} is niet gevonden bij de officiële bekendmakingen.", reference.given)
        record = records[0]
        url = record.xml_url or record.html_url
        if not url:
            raise ServiceError(f"het zoekresultaat voor {reference.work} noemt geen XML- of HTML-bestand.", reference.given)
        url = _https(url)
        check_url(url)
        return Fetched(self.client.get(url), record.public_url, url, record)


def current_version(versions: list[Record], today: date | None = None) -> Record:
    """The version in force today; else the newest."""
    today = today or date.today()
    in_force = [r for r in versions if r.current_on(today)]
    return (in_force or versions)[-1]


def _https(url: str) -> str:
    if url.startswith("http://"):
        return "https://" + url[len("http://"):]
    if not url.startswith("https://"):
        raise SourceError("het zoekresultaat verwijst naar een ongeldig adres.", url)
    return url
