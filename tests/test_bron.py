"""The official source (verordeningcheck.bron) against a fake SRU service and repository on
127.0.0.1 (tests/bron_fake.py); no test touches the internet."""
from __future__ import annotations

import io
import json
import time

import pytest
from click.testing import CliRunner

from bron_fake import FakeSource
from verordeningcheck.bron import Client, Source, SourceError, parse_reference
from verordeningcheck.bron.errors import NotFound, Offline, ServiceError
from verordeningcheck.bron.refs import normalize_identifier
from verordeningcheck.bron.sru import build_search_query, parse_page
from verordeningcheck.bron.store import DownloadCache
from verordeningcheck.cli import main


@pytest.fixture
def fake(monkeypatch, tmp_path):
    with FakeSource() as server:
        monkeypatch.setenv("VERORDENINGCHECK_BRON_SPIEGEL", server.url)
        monkeypatch.setenv("VERORDENINGCHECK_CACHE_DIR", str(tmp_path / "cache"))
        yield server


def run(*args):
    return CliRunner().invoke(main, list(args))


def quick_client(**kwargs) -> Client:
    kwargs.setdefault("backoff", 0.01)
    kwargs.setdefault("interval", 0.0)
    return Client(**kwargs)


# ---------------------------------------------------------------- ids and links


@pytest.mark.parametrize("text, kind, work, version", [
    ("CVDR152048", "cvdr", "CVDR152048", None),
    ("cvdr152048/2", "cvdr", "CVDR152048", 2),
    ("CVDR152048_2", "cvdr", "CVDR152048", 2),
    ("https://lokaleregelgeving.overheid.nl/CVDR152048", "cvdr", "CVDR152048", None),
    ("http://lokaleregelgeving.overheid.nl/CVDR152048/3/", "cvdr", "CVDR152048", 3),
    ("https://lokaleregelgeving.overheid.nl/CVDR152048/3?q=wmo#artikel_1", "cvdr", "CVDR152048", 3),
    ("https://repository.officiele-overheidspublicaties.nl/cvdr/CVDR717960/1/xml/CVDR717960_1.xml", "cvdr", "CVDR717960", 1),
    ("https://repository.officiele-overheidspublicaties.nl/CVDR/101112/2/xml/101112_2.xml", "cvdr", "CVDR101112", 2),
    ("gmb-2017-100007", "gmb", "gmb-2017-100007", None),
    ("https://zoek.officielebekendmakingen.nl/gmb-2017-100007.html", "gmb", "gmb-2017-100007", None),
    ("https://zoek.officielebekendmakingen.nl/gmb-2017-100002/metadata.xml", "gmb", "gmb-2017-100002", None),
])
def test_references(text, kind, work, version):
    ref = parse_reference(text)
    assert (ref.kind, ref.work, ref.version) == (kind, work, version)


def test_repository_file_link_of_a_gemeenteblad_is_downloaded_as_given():
    ref = parse_reference("https://repository.overheid.nl/frbr/officielepublicaties/gmb/2026/gmb-2026-104512/1/xml/gmb-2026-104512.xml")
    assert ref.direct_url.endswith("/1/xml/gmb-2026-104512.xml") and ref.direct_url.startswith("https://")


@pytest.mark.parametrize("text, words", [
    ("https://example.org/CVDR152048/2", "geen officiële bron"),
    ("https://lokaleregelgeving.overheid.nl.example.org/CVDR1", "geen officiële bron"),
    ("ftp://lokaleregelgeving.overheid.nl/CVDR1", "https://"),
    ("https://lokaleregelgeving.overheid.nl/zoeken?q=wmo", "wijst niet naar een regeling"),
    ("https://user@lokaleregelgeving.overheid.nl/CVDR1", "ongebruikelijke vorm"),
])
def test_refused_links(text, words):
    with pytest.raises(SourceError, match=words):
        parse_reference(text)


def test_identifier_forms_of_the_service():
    assert normalize_identifier("CVDR112779_1") == ("CVDR112779", 1)
    assert normalize_identifier("112779_1") == ("CVDR112779", 1)
    assert normalize_identifier("1.0:101407_3") == ("CVDR101407", 3)
    assert normalize_identifier("gmb-2017-1") is None


def test_search_query_quotes_user_text():
    query = build_search_query(gemeente='Den "Haag" or x', words="wmo", since="2010-01-01")
    assert 'dcterms.creator=="Den \\"Haag\\" or x"' in query
    assert "overheidrg.inwerkingtredingDatum>=2010-01-01" in query
    with pytest.raises(Exception, match="JJJJ-MM-DD"):
        build_search_query(words="wmo", since="gisteren")


# ---------------------------------------------------------------- SRU responses


def test_sru_12_and_20_envelopes_read_alike():
    from bron_fake import catalogue, envelope, record_xml

    v = catalogue()[0]
    for sru2 in (False, True):
        page = parse_page(envelope([record_xml(v, 1)], 7, 2, sru2).encode(), "x")
        assert page.total == 7 and page.next_position == 2
        record = page.records[0]
        assert (record.work, record.version, record.creator) == ("CVDR900001", 1, "Westerdijk")
        assert record.xml_url.endswith("/CVDR900001/1/xml/CVDR900001_1.xml")
        assert record.public_url == "https://lokaleregelgeving.overheid.nl/CVDR900001/1"
        assert record.out_of_force == "2009-12-31"


def test_diagnostic_and_garbage_are_service_errors():
    diag = (b'<srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/"><srw:diagnostics>'
            b'<d:diagnostic xmlns:d="http://www.loc.gov/zing/srw/diagnostic/"><d:message>Query syntax error</d:message>'
            b'</d:diagnostic></srw:diagnostics></srw:searchRetrieveResponse>')
    with pytest.raises(ServiceError, match="Query syntax error"):
        parse_page(diag, "x")
    with pytest.raises(ServiceError, match="onleesbaar"):
        parse_page(b"<html><body>Onderhoud</body>", "x")
    with pytest.raises(ServiceError, match="geen aantal"):
        parse_page(b'<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"/>', "x")
    with pytest.raises(ServiceError):  # entities are refused like in files
        parse_page(b'<!DOCTYPE x [<!ENTITY e "boom">]><searchRetrieveResponse>&e;</searchRetrieveResponse>', "x")


# ---------------------------------------------------------------- client and source


def test_versions_are_paged_and_sorted(fake):
    source = Source(quick_client())
    versions = source.versions("CVDR900001")
    assert [v.version for v in versions] == [1, 2, 3]
    searches = [r for r in fake.requests if "/sru/Search" in r]
    assert len(searches) == 2  # pages of two: startRecord=1, then the nextRecordPosition 3
    assert "startRecord=3" in searches[1]


def test_current_version_is_the_one_in_force(fake):
    record = Source(quick_client()).record_for(parse_reference("CVDR900001"))
    assert record.version == 3


def test_not_found_and_unknown_version(fake):
    source = Source(quick_client())
    with pytest.raises(NotFound, match="niet gevonden"):
        source.fetch("CVDR123")
    with pytest.raises(NotFound, match=r"versie 9 .*wel: 1, 2, 3"):
        source.fetch("CVDR900001/9")


def test_server_error_is_retried_then_reported(fake):
    fake.mode = "500"
    client = quick_client(retries=2)
    with pytest.raises(ServiceError, match="HTTP 500"):
        Source(client).fetch("CVDR900001")
    assert client.requests == 3


def test_timeout(fake):
    fake.mode = "slow"
    client = quick_client(timeout=0.3, retries=1)
    started = time.monotonic()
    with pytest.raises(ServiceError, match="antwoordt niet binnen"):
        Source(client).fetch("CVDR900001")
    assert time.monotonic() - started < 2.5
    assert client.requests == 2


def test_malformed_answer(fake):
    fake.mode = "malformed"
    with pytest.raises(ServiceError, match="onleesbaar"):
        Source(quick_client()).fetch("CVDR900001")


def test_huge_answer_is_cut_off(fake):
    fake.mode = "huge"
    with pytest.raises(SourceError, match="te groot"):
        Source(quick_client()).fetch("CVDR900001")


def test_redirect_to_another_host_is_refused(fake):
    fake.mode = "redirect-away"
    with pytest.raises(SourceError, match="example.org"):
        Source(quick_client()).fetch("CVDR900001")


def test_documents_come_from_the_cache_the_second_time(fake, tmp_path):
    cache = DownloadCache(tmp_path / "c")
    Source(quick_client(cache=cache)).fetch("CVDR900001/2")
    downloads = [r for r in fake.requests if r.endswith(".xml")]
    Source(quick_client(cache=cache)).fetch("CVDR900001/2")
    assert [r for r in fake.requests if r.endswith(".xml")] == downloads  # not asked again
    count, size = cache.size()
    assert count >= 2 and size > 10_000


def test_offline_uses_only_the_cache(fake, tmp_path):
    cache = DownloadCache(tmp_path / "c")
    first = Source(quick_client(cache=cache)).fetch("CVDR900001/2")
    asked = len(fake.requests)
    again = Source(quick_client(cache=cache, offline=True)).fetch("CVDR900001/2")
    assert again.data == first.data and len(fake.requests) == asked
    with pytest.raises(Offline, match="niet in de cache"):
        Source(quick_client(cache=cache, offline=True)).fetch("CVDR900002")


# ---------------------------------------------------------------- command line


def test_check_by_id_names_the_source_in_every_format(fake, tmp_path):
    link = "https://lokaleregelgeving.overheid.nl/CVDR900001/1"
    result = run("check", "CVDR900001/1")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(link) and "oud" in result.output
    data = json.loads(run("check", link, "--format", "json").output)
    assert data["verdict"] == "old" and data["file"] == link and data["source_url"] == link
    for fmt in ("sarif", "junit", "github"):
        out = run("check", "CVDR900001/1", "--format", fmt).output
        assert (link if fmt != "github" else "https%3A//lokaleregelgeving.overheid.nl/CVDR900001/1") in out, fmt
    report = tmp_path / "rapport.html"
    assert run("check", "CVDR900001/1", "--format", "html", "-o", str(report)).exit_code == 0
    assert f'<a href="{link}">' in report.read_text(encoding="utf-8")


def test_check_several_ids_to_a_folder_of_reports(fake, tmp_path):
    out = tmp_path / "rapporten"
    result = run("check", "CVDR900001/1", "CVDR900001/3", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["CVDR900001_1.html", "CVDR900001_3.html"]


def test_parse_a_gemeenteblad_link(fake):
    result = run("parse", "https://zoek.officielebekendmakingen.nl/gmb-2011-90001.html")
    assert result.exit_code == 0, result.output
    assert "bron: https://zoek.officielebekendmakingen.nl/gmb-2011-90001.html" in result.output
    assert "Artikel 1.1" in result.output


def test_failures_are_dutch_with_exit_2(fake):
    result = run("check", "CVDR900003")
    assert result.exit_code == 2 and "geen Wmo-verordening" in result.output
    result = run("check", "CVDR424242")
    assert result.exit_code == 2 and "niet gevonden" in result.output
    asked = len(fake.requests)
    result = run("check", "https://example.org/verordening.xml")
    assert result.exit_code == 2 and "geen officiële bron" in result.output
    assert len(fake.requests) == asked  # nothing was fetched


def test_files_never_use_the_network(fake):
    result = run("check", "tests/data/bron/meerwijk-2011-cvdr.xml")
    assert result.exit_code == 0
    assert fake.requests == []


def test_no_network_answers_at_once_and_offline_uses_the_cache(fake, monkeypatch):
    assert run("check", "CVDR900001/2").exit_code == 0  # fills the cache
    import socket

    with socket.socket() as s:  # a port on which nothing listens: "no network"
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("VERORDENINGCHECK_BRON_SPIEGEL", f"http://127.0.0.1:{closed}")
    started = time.monotonic()
    result = run("check", "CVDR900002")
    assert result.exit_code == 2 and "geen verbinding" in result.output
    assert time.monotonic() - started < 3
    result = run("check", "CVDR900001/2", "--offline")
    assert result.exit_code == 0, result.output
    assert "tussenvorm" in result.output
    result = run("check", "CVDR900002", "--offline")
    assert result.exit_code == 2 and "niet in de cache" in result.output


# ---------------------------------------------------------------- geschiedenis


def test_geschiedenis_timeline(fake, tmp_path):
    out = tmp_path / "gesch"
    result = run("geschiedenis", "https://lokaleregelgeving.overheid.nl/CVDR900001", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Gekanteld in versie 3" in result.output
    data = json.loads((out / "geschiedenis.json").read_text(encoding="utf-8"))
    assert [v["verdict"] for v in data["versions"]] == ["old", "tussenvorm", "new"]
    assert data["kanteling"] == "CVDR900001/3"
    third = data["versions"][2]
    assert "melding" in third["added"] and "aanvraag_startpunt" in third["dropped"]
    # the legal requirements (rules/wettelijk) regulated per version, and what each version adds or drops
    assert all(isinstance(v["legal_present"], list) for v in data["versions"])
    assert "wmo07_vormen" in data["versions"][0]["legal_present"]
    assert isinstance(third["legal_added"], list) and isinstance(third["legal_dropped"], list)
    html = (out / "geschiedenis.html").read_text(encoding="utf-8")
    assert "<svg" in html and "polyline" in html and "gekanteld" in html
    assert 'href="rapporten/CVDR900001_3.html"' in html and (out / "rapporten" / "CVDR900001_3.html").is_file()
    csv_text = (out / "geschiedenis.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("versie;url;")
    assert "CVDR900001/2;https://lokaleregelgeving.overheid.nl/CVDR900001/2" in csv_text


def test_geschiedenis_of_a_regulation_that_is_not_wmo_writes_nothing(fake, tmp_path):
    out = tmp_path / "gesch"
    result = run("geschiedenis", "CVDR900003", "-o", str(out))
    assert result.exit_code == 2 and "geen van de 1 versies is een Wmo-verordening" in result.output
    assert not out.exists()


def test_legal_requirements_are_read_generically():
    from verordeningcheck.bron.history import legal_ids

    assert legal_ids({}) is None
    assert legal_ids({"legal": [{"id": "a", "present": True}, {"id": "b", "present": False}]}) == ["a"]
    assert legal_ids({"legal": {"requirements": [{"id": "c", "status": "regulated"}, {"id": "d", "status": "absent"}]}}) == ["c"]
    assert legal_ids({"legal": {"e": True, "f": False}}) == ["e"]


# ---------------------------------------------------------------- diff


def test_diff_of_one_id_compares_the_last_two_versions(fake):
    result = run("diff", "CVDR900001", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["old"]["file"] == "https://lokaleregelgeving.overheid.nl/CVDR900001/2"
    assert data["new"]["file"] == "https://lokaleregelgeving.overheid.nl/CVDR900001/3"


def test_diff_of_an_id_and_a_file(fake):
    result = run("diff", "CVDR900001/1", "tests/data/bron/meerwijk-2011-cvdr.xml")
    assert result.exit_code == 0, result.output
    assert "https://lokaleregelgeving.overheid.nl/CVDR900001/1" in result.output


def test_diff_needs_two_files_or_an_id(fake):
    result = run("diff", "tests/data/bron/meerwijk-2011-cvdr.xml")
    assert result.exit_code == 2 and "één CVDR-nummer" in result.output


# ---------------------------------------------------------------- batch --zoek


def test_batch_search_by_municipality(fake, tmp_path):
    out = tmp_path / "overzicht"
    result = run("batch", "--gemeente", "Westerdijk", "-o", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (out / "bronnen" / "Westerdijk" / "CVDR900001_3.xml").is_file()
    assert not (out / "bronnen" / "Westerdijk" / "CVDR900001_1.xml").exists()  # only the version in force
    index = (out / "bronnen" / "bronnen.csv").read_text(encoding="utf-8-sig")
    assert "CVDR900001/3;https://lokaleregelgeving.overheid.nl/CVDR900001/3;Westerdijk" in index
    files = json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]
    assert [f["verdict"] for f in files] == ["new"]
    # a second run: documents come from the download cache and the batch cache
    asked = [r for r in fake.requests if r.endswith(".xml")]
    again = run("batch", "--gemeente", "Westerdijk", "-o", str(out), "--jobs", "1", "--alle-versies")
    assert again.exit_code == 0, again.output
    assert len(list((out / "bronnen" / "Westerdijk").glob("*.xml"))) == 3
    assert len([r for r in fake.requests if r.endswith(".xml")]) == len(asked) + 2  # only the two new versions


def test_batch_search_with_too_many_results(fake, tmp_path):
    result = run("batch", "--zoek", "verordening", "--max-resultaten", "2", "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "de grens is 2" in result.output
    assert not (tmp_path / "o" / "index.html").exists()


def test_batch_search_without_hits(fake, tmp_path):
    result = run("batch", "--gemeente", "Nergenshuizen", "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "geen regelingen" in result.output


# ---------------------------------------------------------------- web app


class InlinePool:
    """Runs the worker task in this process (the fetching happens in the web process anyway)."""

    def run(self, func, *args):
        return func(*args)


def test_web_app_checks_a_link_and_refuses_other_hosts(fake):
    from verordeningcheck.limits import Limits
    from verordeningcheck.web import create_app

    client = create_app(Limits(), InlinePool()).test_client()
    response = client.post("/toetsen", data={"link": "https://lokaleregelgeving.overheid.nl/CVDR900001/3"},
                           content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="https://lokaleregelgeving.overheid.nl/CVDR900001/3"' in page
    asked = len(fake.requests)
    refused = client.post("/toetsen", data={"link": "http://127.0.0.1:1/geheim"}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "geen officiële bron" in refused.get_data(as_text=True)
    assert len(fake.requests) == asked
    both = client.post("/toetsen", data={"link": "CVDR900001", "bestand": (io.BytesIO(b"Artikel 1"), "a.txt")},
                       content_type="multipart/form-data")
    assert both.status_code == 400


def test_search_answer_from_the_cache_when_the_network_is_gone(fake, tmp_path):
    import socket

    cache = DownloadCache(tmp_path / "c")
    Source(quick_client(cache=cache)).fetch("CVDR900001")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    notices = []
    client = quick_client(cache=cache, mirror=f"http://127.0.0.1:{closed}", notify=notices.append)
    fetched = Source(client).fetch("CVDR900001")
    assert fetched.record.version == 3
    assert notices and "geen verbinding" in notices[0] and "cache" in notices[0]


def test_unknown_host_name_answers_at_once(fake, monkeypatch):
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    started = time.monotonic()
    result = run("check", "CVDR900001")
    assert result.exit_code == 2
    assert "geen verbinding" in result.output and "naam van de server is niet te vinden" in result.output
    assert time.monotonic() - started < 2


def test_a_bad_mirror_setting_is_a_dutch_error(monkeypatch):
    monkeypatch.setenv("VERORDENINGCHECK_BRON_SPIEGEL", "geen-adres")
    result = run("check", "CVDR900001")
    assert result.exit_code == 2 and "VERORDENINGCHECK_BRON_SPIEGEL" in result.output


def test_geschiedenis_in_the_terminal(fake, tmp_path):
    result = run("geschiedenis", "CVDR900001", "-o", str(tmp_path / "g"))
    lines = result.output.splitlines()
    table = [line for line in lines if line.startswith("  versie ")]
    assert [line.split()[1] for line in table if "%" in line] == ["1", "2", "3"]
    assert "+melding" in table[-1] and "-aanvraag_startpunt" in table[-1]


def test_batch_search_gives_the_public_link_of_each_document(fake, tmp_path):
    import csv

    out = tmp_path / "zoekresultaat"
    result = run("batch", "--gemeente", "Westerdijk", "-o", str(out), "--jobs", "1", "--alle-versies")
    assert result.exit_code == 0, result.output
    base = "https://lokaleregelgeving.overheid.nl/"
    rows = list(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    links = {r["file"].rsplit("/", 1)[-1]: r["source_url"] for r in rows}
    assert links == {f"CVDR900001_{n}.xml": f"{base}CVDR900001/{n}" for n in (1, 2, 3)}, links
    files = json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]
    assert {f["file"].rsplit("/", 1)[-1]: f["source_url"] for f in files} == links
    index = (out / "index.html").read_text(encoding="utf-8")
    for link in links.values():
        assert f'<a class="bron" href="{link}">officiële bron</a>' in index
    # a folder that did not come from a search has no links
    plain = tmp_path / "gewoon"
    plain.mkdir()
    (plain / "a.xml").write_bytes((out / "bronnen" / "Westerdijk" / "CVDR900001_3.xml").read_bytes())
    again = run("batch", str(plain), "-o", str(tmp_path / "uit2"), "--jobs", "1")
    assert again.exit_code == 0, again.output
    row = next(csv.DictReader(io.StringIO((tmp_path / "uit2" / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert row["source_url"] == "" and 'class="bron"' not in (tmp_path / "uit2" / "index.html").read_text(encoding="utf-8")
