"""A fake of the official source on 127.0.0.1 for the tests (no internet).

It serves, under ``/<official host>/<path>`` (the form ``VERORDENINGCHECK_BRON_SPIEGEL`` gives):

* ``zoekservice.overheid.nl/sru/Search``: SRU searchRetrieve answers shaped like the real CVDR
  ones (docs/bronnen.md): an SRU 1.2 envelope (or 2.0 with ``sru2=True``), per record
  ``gzd/originalData/meta/{owmskern,owmsmantel,cvdripm}`` and ``gzd/enrichedData`` with
  ``organisatietype``, ``publicatieurl_xhtml``, ``publicatieurl_xml``, ``preferred_url``;
  paging by ``startRecord``/``maximumRecords`` with ``nextRecordPosition``;
* ``repository.officiele-overheidspublicaties.nl/cvdr/<work>/<n>/xml/<work>_<n>.xml``;
* ``repository.overheid.nl/sru`` and ``repository.overheid.nl/frbr/...`` for a gemeenteblad.

The regulation texts are the project's own sample renderings (tests/data/bron/README.md).
``server.mode`` switches on a failure: "500", "slow", "malformed", "huge", "diagnostic",
"redirect-away"; ``server.requests`` lists the paths asked.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

DATA = Path(__file__).parent / "data" / "bron"
REPO = "https://repository.officiele-overheidspublicaties.nl/cvdr"


@dataclass
class Version:
    work: str
    number: int
    file: str
    title: str
    creator: str
    in_force: str
    out_of_force: str = ""

    @property
    def identifier(self) -> str:
        return f"{self.work}_{self.number}"

    def data(self) -> bytes:
        return (DATA / self.file).read_bytes()


def catalogue() -> list[Version]:
    """A fictitious regulation with three versions (old, tussenvorm, new), one other
    municipality's regulation, and a regulation that is not about the Wmo."""
    title = "Verordening maatschappelijke ondersteuning Westerdijk"
    return [
        Version("CVDR900001", 1, "westerdijk-2007-cvdr.xml", title, "Westerdijk", "2007-01-01", "2009-12-31"),
        Version("CVDR900001", 2, "grootveen-2009-cvdr.xml", title, "Westerdijk", "2010-01-01", "2011-12-31"),
        Version("CVDR900001", 3, "meerwijk-2011-cvdr.xml", title, "Westerdijk", "2012-01-01"),
        Version("CVDR900002", 1, "meerwijk-2011-cvdr.xml", "Verordening maatschappelijke ondersteuning Meerwijk 2011",
                "Meerwijk", "2011-06-01"),
        Version("CVDR900003", 1, "havenstad-afval-2014-cvdr.xml", "Afvalstoffenverordening Havenstad 2014", "Havenstad",
                "2014-01-01"),
    ]


def record_xml(v: Version, position: int) -> str:
    end = f"<overheidrg:uitwerkingtredingDatum>{v.out_of_force}</overheidrg:uitwerkingtredingDatum>" if v.out_of_force else ""
    return (
        "<srw:record><srw:recordSchema>http://standaarden.overheid.nl/sru/</srw:recordSchema>"
        "<srw:recordPacking>xml</srw:recordPacking><srw:recordData>"
        '<gzd:gzd xmlns:gzd="http://standaarden.overheid.nl/sru"><gzd:originalData>'
        '<overheidrg:meta xmlns:overheidrg="http://standaarden.overheid.nl/cvdr/terms/" xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<overheidrg:owmskern><dcterms:identifier>{v.identifier}</dcterms:identifier>"
        f"<dcterms:title>{escape(v.title)}</dcterms:title><dcterms:language>nl</dcterms:language>"
        '<dcterms:type scheme="overheid:Informatietype">regeling</dcterms:type>'
        f'<dcterms:creator scheme="overheid:Gemeente">{escape(v.creator)}</dcterms:creator>'
        f"<dcterms:modified>{v.in_force}</dcterms:modified></overheidrg:owmskern>"
        f"<overheidrg:owmsmantel><dcterms:subject>maatschappelijke zorg en welzijn</dcterms:subject>"
        f"<dcterms:issued>{v.in_force}</dcterms:issued></overheidrg:owmsmantel>"
        f"<overheidrg:cvdripm><overheidrg:inwerkingtredingDatum>{v.in_force}</overheidrg:inwerkingtredingDatum>{end}"
        "</overheidrg:cvdripm></overheidrg:meta></gzd:originalData>"
        "<gzd:enrichedData><gzd:organisatietype>Gemeente</gzd:organisatietype>"
        f"<gzd:publicatieurl_xhtml>{REPO}/{v.work}/{v.number}/html/{v.identifier}.html</gzd:publicatieurl_xhtml>"
        f"<gzd:publicatieurl_xml>{REPO}/{v.work}/{v.number}/xml/{v.identifier}.xml</gzd:publicatieurl_xml>"
        f"<gzd:preferred_url>https://lokaleregelgeving.overheid.nl/{v.work}/{v.number}</gzd:preferred_url>"
        "</gzd:enrichedData></gzd:gzd></srw:recordData>"
        f"<srw:recordPosition>{position}</srw:recordPosition></srw:record>"
    )


def envelope(records: list[str], total: int, next_position: int | None, sru2: bool = False) -> str:
    ns = "http://docs.oasis-open.org/ns/search-ws/sruResponse" if sru2 else "http://www.loc.gov/zing/srw/"
    nxt = f"<srw:nextRecordPosition>{next_position}</srw:nextRecordPosition>" if next_position else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><srw:searchRetrieveResponse xmlns:srw="{ns}">'
        f"<srw:version>{'2.0' if sru2 else '1.2'}</srw:version><srw:numberOfRecords>{total}</srw:numberOfRecords>"
        f"<srw:records>{''.join(records)}</srw:records>{nxt}</srw:searchRetrieveResponse>"
    )


GMB_RECORD = (
    '<?xml version="1.0" encoding="UTF-8"?><sru:searchRetrieveResponse xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse" '
    'xmlns:gzd="http://standaarden.overheid.nl/sru" xmlns:dcterms="http://purl.org/dc/terms/">'
    "<sru:version>2.0</sru:version><sru:numberOfRecords>1</sru:numberOfRecords><sru:records><sru:record>"
    "<sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema><sru:recordData><gzd:gzd><gzd:originalData>"
    "<meta><owmskern><dcterms:identifier>gmb-2011-90001</dcterms:identifier>"
    "<dcterms:title>Verordening maatschappelijke ondersteuning Meerwijk 2011</dcterms:title>"
    "<dcterms:creator>Meerwijk</dcterms:creator></owmskern></meta></gzd:originalData><gzd:enrichedData>"
    "<gzd:preferredUrl>https://zoek.officielebekendmakingen.nl/gmb-2011-90001.html</gzd:preferredUrl>"
    '<gzd:itemUrl manifestation="html">https://repository.overheid.nl/frbr/officielepublicaties/gmb/2011/gmb-2011-90001/1/html/gmb-2011-90001.html</gzd:itemUrl>'
    "</gzd:enrichedData></gzd:gzd></sru:recordData></sru:record></sru:records></sru:searchRetrieveResponse>"
)


class FakeSource:
    def __init__(self, versions: list[Version] | None = None, sru2: bool = False):
        self.versions = versions or catalogue()
        self.sru2 = sru2
        self.mode = ""
        self.requests: list[str] = []
        self.page_sizes: list[int] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                owner.requests.append(self.path)
                try:
                    status, body, ctype = owner.answer(self.path)
                except BrokenPipeError:
                    return
                if status in (301, 302):
                    self.send_response(status)
                    self.send_header("Location", body.decode())
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # ----------------------------------------------------------------- routing

    def answer(self, raw_path: str) -> tuple[int, bytes, str]:
        parts = urlsplit(raw_path)
        host, _, path = parts.path.lstrip("/").partition("/")
        path = "/" + path
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if self.mode == "500":
            return 500, b"<html>Internal Server Error</html>", "text/html"
        if self.mode == "slow":
            time.sleep(3)
        if self.mode == "malformed":
            return 200, b"<?xml version='1.0'?><srw:searchRetrieveResponse xmlns:srw='x'><unclosed>", "text/xml"
        if self.mode == "huge":
            return 200, b"<x>" + b"a" * (12 * 1024 * 1024) + b"</x>", "text/xml"
        if self.mode == "redirect-away":
            return 302, b"https://example.org/elders.xml", "text/plain"
        if host == "zoekservice.overheid.nl" and path == "/sru/Search":
            return self.search(params)
        if host == "repository.officiele-overheidspublicaties.nl":
            m = re.fullmatch(r"/cvdr/(CVDR\d+)/(\d+)/xml/(CVDR\d+)_(\d+)\.xml", path)
            if m:
                for v in self.versions:
                    if v.work == m.group(1) and v.number == int(m.group(2)):
                        return 200, v.data(), "application/xml"
            return 404, b"not found", "text/plain"
        if host == "repository.overheid.nl" and path == "/sru":
            if "gmb-2011-90001" in params.get("query", ""):
                return 200, GMB_RECORD.encode(), "text/xml"
            return 200, envelope([], 0, None, True).encode(), "text/xml"
        if host == "repository.overheid.nl" and path.endswith("/gmb-2011-90001.html"):
            return 200, (DATA / "meerwijk-2011-gemeenteblad.html").read_bytes(), "text/html"
        return 404, b"not found", "text/plain"

    def search(self, params: dict) -> tuple[int, bytes, str]:
        query = params.get("query", "")
        if params.get("x-connection") != "cvdr" or params.get("operation") != "searchRetrieve":
            return 400, b"bad request", "text/plain"
        if self.mode == "diagnostic":
            body = ('<?xml version="1.0"?><srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/" '
                    'xmlns:diag="http://www.loc.gov/zing/srw/diagnostic/"><srw:numberOfRecords>0</srw:numberOfRecords>'
                    "<srw:diagnostics><diag:diagnostic><diag:uri>info:srw/diagnostic/1/10</diag:uri>"
                    "<diag:message>Query syntax error</diag:message></diag:diagnostic></srw:diagnostics>"
                    "</srw:searchRetrieveResponse>")
            return 200, body.encode(), "text/xml"
        found = self.matching(query)
        start = int(params.get("startRecord", "1"))
        size = min(int(params.get("maximumRecords", "10")), 2)  # small pages: the client must page
        self.page_sizes.append(size)
        chunk = found[start - 1:start - 1 + size]
        following = start + size if start - 1 + size < len(found) else None
        records = [record_xml(v, start + i) for i, v in enumerate(chunk)]
        return 200, envelope(records, len(found), following, self.sru2).encode(), "text/xml"

    def matching(self, query: str) -> list[Version]:
        m = re.fullmatch(r"dcterms\.identifier=(CVDR\d+)_\*", query)
        if m:
            return [v for v in self.versions if v.work == m.group(1)]
        found = list(self.versions)
        m = re.search(r'dcterms\.creator=="([^"]*)"', query)
        if m:
            found = [v for v in found if v.creator.lower() == m.group(1).lower()]
        m = re.search(r'cql\.serverChoice all "([^"]*)"', query)
        if m:
            words = m.group(1).lower().split()
            found = [v for v in found if all(w in v.title.lower() for w in words)]
        m = re.search(r'dcterms\.title all "([^"]*)"', query)
        if m:
            words = m.group(1).lower().split()
            found = [v for v in found if all(w in v.title.lower() for w in words)]
        m = re.search(r"overheidrg\.inwerkingtredingDatum>=(\S+)", query)
        if m:
            found = [v for v in found if v.in_force >= m.group(1)]
        m = re.search(r"overheidrg\.inwerkingtredingDatum<=(\S+)", query)
        if m:
            found = [v for v in found if v.in_force <= m.group(1)]
        return found
