"""The web app (`verordeningcheck serve`): pages, errors, downloads, the comparison,
security headers and escaping with Flask's test client; and the real server (waitress, worker
processes) in a subprocess: a browser session in headless Chromium, 20 concurrent uploads,
hostile uploads, a clean private temp dir and no file names in its log."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lxml.html
import pytest

pytest.importorskip("flask")
pytest.importorskip("waitress")

from verordeningcheck.errors import InputError  # noqa: E402
from verordeningcheck.limits import Limits  # noqa: E402
from verordeningcheck.report import LEAN_NL, VERDICT_NL  # noqa: E402
from verordeningcheck.web import CSP, ResultStore, Stored, _is_loopback, create_app, display_name  # noqa: E402
from verordeningcheck.workers import CheckTimeout, WorkerCrashed, WorkerPool  # noqa: E402

from conftest import ROOT, SAMPLES, manifest_samples, renderings  # noqa: E402
from browser import CHROMIUM, CHROMIUM_ARGS

EXPECTED = {s["id"]: (s["verdict"], s.get("lean")) for s in manifest_samples()}
CURRENT = SAMPLES / "rendered" / "westerdijk-2007" / "westerdijk-2007-inline.pdf"
DRAFT = SAMPLES / "revisions" / "rendered" / "westerdijk-2013-concept" / "westerdijk-2013-concept-inline.pdf"
MAX_BYTES = 2 * 1024 * 1024  # small, so the 413 tests need little memory
XXE = b'<?xml version="1.0"?><!DOCTYPE cvdr [<!ENTITY x SYSTEM "file:///etc/passwd">]><cvdr>&x;</cvdr>'
GARBAGE = bytes(range(256)) * 64
TRACEBACK_WORDS = ("Traceback", 'File "', "Error:", "Exception", "werkzeug", "site-packages")


def pdf(sample_id: str) -> Path:
    return SAMPLES / "rendered" / sample_id / f"{sample_id}-inline.pdf"


def zip_bomb() -> bytes:
    """A real sample .docx with a 60 MB entry of zeros (about 60 kB compressed)."""
    source = SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011-typed.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in original.infolist():
            bomb.writestr(item, original.read(item.filename))
        bomb.writestr("word/media/image1.bin", bytes(60 * 1024 * 1024))
    return out.getvalue()


def assert_secure_headers(response_headers) -> None:
    assert response_headers["Content-Security-Policy"] == CSP
    assert "default-src 'none'" in CSP and "form-action 'self'" in CSP
    assert response_headers["X-Content-Type-Options"] == "nosniff"
    assert response_headers["Referrer-Policy"] == "no-referrer"


def assert_no_traceback(text: str) -> None:
    for word in TRACEBACK_WORDS:
        assert word not in text, f"{word!r} on an error page"


# ================================================================ Flask test client


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(1, Limits(max_check_seconds=60)) as pool:
        pool.warm()
        yield pool


@pytest.fixture(scope="module")
def client(pool):
    app = create_app(Limits(max_bytes=MAX_BYTES, max_check_seconds=60), pool)
    return app.test_client()


def upload(client, path_or_bytes, name: str | None = None, current=None, current_name: str | None = None):
    data = {}
    content = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    data["bestand"] = (io.BytesIO(content), name or getattr(path_or_bytes, "name", "bestand"))
    if current is not None:
        current_content = current.read_bytes() if isinstance(current, Path) else current
        data["huidig"] = (io.BytesIO(current_content), current_name or getattr(current, "name", "huidig"))
    return client.post("/toetsen", data=data, content_type="multipart/form-data")


def follow(client, response):
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert re.fullmatch(r"/resultaat/[A-Za-z0-9_-]{43}", location), location
    page = client.get(location)
    assert page.status_code == 200
    return location, page


def test_upload_page_is_dutch_with_a_form_for_every_format(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_secure_headers(response.headers)
    html = response.get_data(as_text=True)
    tree = lxml.html.document_fromstring(html)
    assert tree.get("lang") == "nl"
    assert tree.findtext(".//h1") == "Wmo-verordening toetsen"
    form = tree.xpath("//form")[0]
    assert form.get("method") == "post" and form.get("enctype") == "multipart/form-data"
    assert form.get("action") == "/toetsen"
    draft = form.xpath(".//input[@name='bestand']")[0]
    assert draft.get("type") == "file"  # not required: a CVDR number or link may be given instead
    assert form.xpath(".//input[@name='link']")[0].get("type") == "text"
    for suffix in (".pdf", ".html", ".xml", ".docx", ".md", ".txt"):
        assert suffix in draft.get("accept").split(","), suffix
    current = form.xpath(".//input[@name='huidig']")[0]
    assert current.get("required") is None  # the comparison is optional
    for field in (draft, current):  # every field has a visible label
        assert tree.xpath(f"//label[@for='{field.get('id')}']")
    text = tree.text_content()
    for phrase in ("Oud model", "Nieuw model", "Tussenvorm", "inventarisatiefase", "Huidige versie",
                   "hoogstens 2 MB", "500 pagina's", "60 seconden", "niet gelogd"):
        assert phrase in text, phrase
    assert not tree.xpath("//script | //link | //img | //@src")  # self-contained, no JavaScript


@pytest.mark.parametrize("sample_id", ["meerwijk-2011", "westerdijk-2007", "zuiderbroek-2012"])
def test_pdf_upload_gives_the_report_and_the_json(client, sample_id):
    verdict, lean = EXPECTED[sample_id]
    location, page = follow(client, upload(client, pdf(sample_id)))
    assert_secure_headers(page.headers)
    assert page.headers["Cache-Control"] == "no-store"
    tree = lxml.html.document_fromstring(page.get_data(as_text=True))
    label = tree.xpath("//p[@class='oordeel-label']")[0].text_content()
    assert VERDICT_NL[verdict] in label
    if lean:
        assert LEAN_NL[lean] in label
    for wrong in set(VERDICT_NL) - {verdict}:
        assert VERDICT_NL[wrong] not in label
    # the bar: back to the form, the downloads
    bar = tree.xpath("//nav[@class='vc-balk']")[0]
    links = {a.text_content().strip(): a.get("href") for a in bar.iter("a")}
    assert links["← Nieuwe toetsing"] == "/"
    json_link = links["Resultaat downloaden (JSON)"]
    assert json_link == location + "/resultaat.json"
    download = client.get(json_link)
    assert download.status_code == 200
    assert download.mimetype == "application/json"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"{sample_id}-inline-toetsing.json" in disposition
    data = json.loads(download.get_data(as_text=True))
    assert (data["verdict"], data["lean"]) == (verdict, lean)
    assert data["file"] == pdf(sample_id).name
    report = client.get(links["Rapport downloaden (HTML)"])
    assert report.headers["Content-Disposition"].startswith("attachment;")
    assert "vc-balk" not in report.get_data(as_text=True)  # the downloaded report has no web bar
    assert VERDICT_NL[verdict] in report.get_data(as_text=True)


def test_results_cannot_be_reached_by_guessing(client):
    first, _ = follow(client, upload(client, SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md"))
    second, _ = follow(client, upload(client, SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md"))
    assert first != second
    for guess in ("/resultaat/" + secrets.token_urlsafe(32), "/resultaat/1", "/resultaat/../../etc/passwd",
                  "/resultaat/" + secrets.token_urlsafe(32) + "/resultaat.json", first + "x"):
        response = client.get(guess)
        assert response.status_code == 404, guess
    missing = client.get("/resultaat/" + secrets.token_urlsafe(32))
    assert "niet (meer) beschikbaar" in missing.get_data(as_text=True)
    assert client.get(first + "/vergelijking").status_code == 404  # no comparison was asked for


def test_the_comparison_with_the_current_version(client):
    response = upload(client, DRAFT, current=CURRENT)
    location, page = follow(client, response)
    tree = lxml.html.document_fromstring(page.get_data(as_text=True))
    assert VERDICT_NL["new"] in tree.xpath("//p[@class='oordeel-label']")[0].text_content()
    bar = tree.xpath("//nav[@class='vc-balk']")[0]
    assert "Vergelijking met de huidige versie" in bar.text_content()
    links = {a.text_content().strip(): a.get("href") for a in bar.iter("a")}
    diff_page = client.get(links["Bekijk de vergelijking"])
    assert diff_page.status_code == 200
    diff_tree = lxml.html.document_fromstring(diff_page.get_data(as_text=True))
    assert diff_tree.findtext(".//h1") == "Vergelijking van twee versies"
    diff_text = diff_tree.text_content()
    assert CURRENT.name in diff_text and DRAFT.name in diff_text
    assert "Dit concept voegt een melding toe" in diff_text
    diff_links = {a.text_content().strip(): a.get("href") for a in diff_tree.xpath("//nav[@class='vc-balk']//a")}
    assert diff_links["Rapport van het concept"] == location
    download = client.get(diff_links["Vergelijking downloaden (JSON)"])
    assert download.headers["Content-Disposition"].startswith("attachment;")
    diff = json.loads(download.get_data(as_text=True))
    assert (diff["verdict"]["before"], diff["verdict"]["after"]) == ("old", "new")
    assert {"melding", "gesprek"} <= set(diff["elements_added"])
    assert (diff["old"]["file"], diff["new"]["file"]) == (CURRENT.name, DRAFT.name)


def test_an_unreadable_current_version_is_named_on_the_error_page(client):
    response = upload(client, DRAFT, current=b"", current_name="huidig-leeg.txt")
    assert response.status_code == 422
    text = lxml.html.document_fromstring(response.get_data(as_text=True)).text_content()
    assert "Huidige versie: huidig-leeg.txt" in text and "leeg" in text


BAD_UPLOADS = [
    # (file name, content, status, Dutch fragment)
    ("leeg.pdf", b"", 422, "Het bestand is leeg"),
    ("binair.txt", GARBAGE, 422, "kan niet worden getoetst"),
    ("plaatje.png", b"\x89PNG\r\n\x1a\n" + GARBAGE, 422, "kan niet worden getoetst"),
    ("kapot.docx", b"PK\x03\x04garbage-not-a-zip" * 10, 422, "kan niet worden getoetst"),
    ("xxe.xml", XXE, 422, "kan niet worden getoetst"),
    ("brief.txt", "Dit is een brief over de verbouwing van het gemeentehuis.\n".encode(), 422, "geen artikelen"),
]


@pytest.mark.parametrize("name,content,status,fragment", BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_uploads_get_a_dutch_error_page(client, name, content, status, fragment):
    response = upload(client, content, name=name)
    assert response.status_code == status
    assert_secure_headers(response.headers)
    html = response.get_data(as_text=True)
    tree = lxml.html.document_fromstring(html)
    assert tree.get("lang") == "nl"
    text = tree.text_content()
    assert fragment in text
    assert f"Bestand: {name}" in text
    assert tree.xpath("//a[@href='/' and contains(., 'Terug naar het uploadformulier')]")
    assert_no_traceback(html)


def test_every_http_error_has_a_dutch_page(client):
    cases = [
        (client.post("/toetsen", data={}, content_type="multipart/form-data"), 400, "Geen bestand gekozen"),
        (client.post("/toetsen", data={"bestand": (io.BytesIO(b""), "")}, content_type="multipart/form-data"),
         400, "Geen bestand gekozen"),
        (client.get("/bestaat-niet"), 404, "Pagina niet gevonden"),
        (client.get("/toetsen"), 405, "Dit kan hier niet"),
        (client.delete("/"), 405, "Dit kan hier niet"),
        (upload(client, b"x" * (MAX_BYTES + 1), name="groot.txt"), 413, "te groot"),
        (upload(client, b"x" * (2 * MAX_BYTES + 300 * 1024), name="heel-groot.txt"), 413, "te groot"),
    ]
    for response, status, fragment in cases:
        assert response.status_code == status, (status, fragment)
        html = response.get_data(as_text=True)
        assert fragment in html, fragment
        assert f"Foutcode {status}" in html
        assert_secure_headers(response.headers)
        assert_no_traceback(html)
    assert "POST" in cases[3][0].headers["Allow"] and "GET" not in cases[3][0].headers["Allow"]
    assert "hoogstens 2 MB" in cases[5][0].get_data(as_text=True)


def test_script_in_a_file_name_is_escaped(client):
    name = "<script>alert(1)<img src=x onerror=alert(1)>.txt"  # browsers send no / or " in a name
    response = upload(client, GARBAGE, name=name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;img" in html
    tree = lxml.html.document_fromstring(html)
    assert not tree.xpath("//script | //img | //@onerror")
    assert f"Bestand: {name}" in tree.text_content()
    # a readable document under that name: the report shows the name as text
    markdown = SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md"
    _, page = follow(client, upload(client, markdown, name=name.replace(".txt", ".md")))
    tree = lxml.html.document_fromstring(page.get_data(as_text=True))
    assert not tree.xpath("//script | //img | //@onerror")
    assert "<script>alert" in tree.text_content()


def test_large_uploads_stay_in_memory(client, monkeypatch):
    """werkzeug spools file parts over 500 kB to a temporary file; the app must not."""
    import werkzeug.formparser

    def no_temp_files(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_temp_files)
    text = (SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.txt").read_bytes()
    big = text + b"\n" + b"Een regel opvulling zonder betekenis.\n" * 30_000  # about 1.1 MB
    assert len(big) > 1024 * 1024
    _, page = follow(client, upload(client, big, name="groot.txt"))
    assert VERDICT_NL["new"] in page.get_data(as_text=True)


class FakePool:
    def __init__(self, exc):
        self.exc = exc

    def run(self, func, *args, **kwargs):
        raise self.exc


@pytest.mark.parametrize(
    "exc,status,fragment",
    [
        (CheckTimeout("de controle duurde langer dan 60 seconden en is afgebroken."), 422, "De controle duurde langer"),
        (WorkerCrashed("het controleproces is onverwacht gestopt."), 500, "Het controleproces is onverwacht gestopt"),
        (RuntimeError("geheim.pdf: Traceback (most recent call last)"), 500, "Interne fout"),
        (InputError("het bestand is beschadigd.", "x.pdf"), 422, "Het bestand is beschadigd"),
    ],
    ids=["timeout", "crash", "bug", "input"],
)
def test_timeouts_crashes_and_bugs(exc, status, fragment):
    client = create_app(Limits(max_bytes=MAX_BYTES), FakePool(exc)).test_client()
    response = upload(client, b"Artikel 1\n\nTekst.\n", name="geheim.txt")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert fragment in html
    assert "Terug naar het uploadformulier" in html
    assert_no_traceback(html)
    if isinstance(exc, RuntimeError):
        assert "geheim.pdf" not in html  # an internal error's message is never shown
    # the app goes on
    assert client.get("/").status_code == 200


def test_a_real_timeout_gives_422_and_the_app_goes_on():
    """A worker that does not answer in time is killed and replaced: a Dutch 422 page."""
    limits = Limits(max_bytes=MAX_BYTES, max_check_seconds=0.001)
    with WorkerPool(1, limits) as slow_pool:
        slow_pool.warm()
        client = create_app(limits, slow_pool).test_client()
        started = time.monotonic()
        response = upload(client, pdf("meerwijk-2011"))
        assert time.monotonic() - started < 10
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Het toetsen duurde te lang" in html and "langer dan 0,001 seconden" in html
        assert_no_traceback(html)
        assert client.get("/").status_code == 200


def test_result_store_is_bounded_and_expires():
    now = [0.0]
    store = ResultStore(max_entries=3, ttl=60, max_bytes=10_000, clock=lambda: now[0])

    def item(size=10):
        return Stored(report="r" * size, json="{}", stem="x", verdict="new")

    tokens = [store.put(item()) for _ in range(4)]
    assert len(set(tokens)) == 4 and all(len(t) == 43 for t in tokens)
    assert store.get(tokens[0]) is None  # the oldest went first
    assert store.get(tokens[1]) is not None  # ... and using one keeps it
    store.put(item())
    assert store.get(tokens[2]) is None and store.get(tokens[1]) is not None
    now[0] = 61
    assert store.get(tokens[1]) is None and len(store) == 0  # an hour later: gone
    big = store.put(item(6000))
    store.put(item(6000))
    assert store.get(big) is None  # over max_bytes: the oldest goes
    assert store.get("../etc/passwd") is None and store.get("") is None


def test_display_name_keeps_only_the_base_name():
    assert display_name("C:\\Users\\ambtenaar\\concept.pdf") == "concept.pdf"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("a\x00b\nc.pdf") == "abc.pdf"
    assert display_name("") == "bestand"
    assert len(display_name("x" * 1000)) == 200


def test_check_does_not_import_flask():
    code = "import sys, verordeningcheck.cli; print(sorted(m for m in ('flask', 'waitress', 'werkzeug') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_a_port_in_use_is_a_dutch_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([sys.executable, "-m", "verordeningcheck", "serve", "--port", str(port), "--jobs", "1"],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2
    assert f"verordeningcheck: fout: kan niet luisteren op 127.0.0.1:{port}" in out.stderr
    assert "(dit adres en deze poort zijn al in gebruik). Kies een andere poort met --port" in out.stderr
    assert "Traceback" not in out.stderr
    assert "Controleprocessen" not in out.stderr  # the port is taken before any worker starts


def test_only_loopback_addresses_count_as_local():
    assert all(_is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(_is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "verordeningcheck.example"))


# ================================================================ the real server


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, tmpdir: Path, log: Path):
        self.proc, self.url, self.tmpdir, self.log = proc, url, tmpdir, log


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python -m verordeningcheck serve --port 0` with its own, fresh TMPDIR."""
    base = tmp_path_factory.mktemp("server")
    tmpdir = base / "tmp"
    tmpdir.mkdir()
    log = base / "stderr.log"
    env = dict(os.environ, TMPDIR=str(tmpdir), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "verordeningcheck", "serve", "--port", "0", "--jobs", "2", "--max-mb", "5"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
        )
    try:
        line = proc.stdout.readline()  # printed after the workers are warm and the port is bound
        match = re.fullmatch(r"verordeningcheck draait op (http://127\.0\.0\.1:(\d+)/)\n", line)
        assert match, f"unexpected start line {line!r}; stderr: {log.read_text()}"
        assert int(match.group(2)) > 0
        yield Server(proc, match.group(1), tmpdir, log)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, log.read_text()
    assert "gestopt" in log.read_text()


def multipart(files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----verordeningcheck" + secrets.token_hex(12)
    body = io.BytesIO()
    for field, (name, content) in files.items():
        body.write(f"--{boundary}\r\n".encode())
        body.write(f'Content-Disposition: form-data; name="{field}"; filename="{name}"\r\n'.encode())
        body.write(b"Content-Type: application/octet-stream\r\n\r\n")
        body.write(content)
        body.write(b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def post_upload(url: str, name: str, content: bytes, timeout: float = 120) -> tuple[int, str, str]:
    """POST one file; follow the 303 to the result. Returns (status, final url, page)."""
    body, content_type = multipart({"bestand": (name, content)})
    request = urllib.request.Request(url + "toetsen", data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.geturl(), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, url + "toetsen", exc.read().decode("utf-8")


def get_json(url: str) -> tuple[dict, str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read().decode("utf-8")), response.headers["Content-Disposition"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def concurrent_samples(count: int = 20) -> list[tuple[str, Path]]:
    """``count`` different files: the municipalities in turn, a different rendering each time."""
    ids = sorted(EXPECTED)
    chosen = []
    for i in range(count):
        sample_id = ids[i % len(ids)]
        files = renderings(sample_id)
        used = {p for _, p in chosen}
        start = i * 7 + i // len(ids)
        pick = next(files[(start + k) % len(files)] for k in range(len(files)) if files[(start + k) % len(files)] not in used)
        chosen.append((sample_id, pick))
    assert len({p for _, p in chosen}) == count
    return chosen


def test_20_concurrent_uploads_all_get_the_right_verdict(server):
    chosen = concurrent_samples(20)
    before = {p: sha256(p) for _, p in chosen}

    def one(item):
        sample_id, path = item
        status, final, page = post_upload(server.url, path.name, path.read_bytes())
        assert status == 200, (path.name, status, page[:300])
        assert re.fullmatch(re.escape(server.url) + r"resultaat/[A-Za-z0-9_-]{43}", final), final
        data, disposition = get_json(final + "/resultaat.json")
        assert disposition.startswith("attachment;")
        return sample_id, path, page, data

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as executor:
        results = list(executor.map(one, chosen))
    elapsed = time.monotonic() - started
    print(f"\n20 concurrent uploads: {elapsed:.2f} s")
    for sample_id, path, page, data in results:
        verdict, lean = EXPECTED[sample_id]
        assert (data["verdict"], data["lean"]) == (verdict, lean), path.name
        assert data["file"] == path.name
        assert VERDICT_NL[verdict] in page, path.name
    assert {p: sha256(p) for _, p in chosen} == before  # inputs are never changed
    assert elapsed < 60


def test_hostile_uploads_do_not_hurt_the_server(server):
    hostile = [
        ("bom.docx", zip_bomb(), "zip-bom"),
        ("rommel.txt", GARBAGE, "kan niet worden getoetst"),
        ("xxe.xml", XXE, "kan niet worden getoetst"),
        ("leeg.pdf", b"", "leeg"),
        ("afgekapt.pdf", pdf("meerwijk-2011").read_bytes()[:5000], "kan niet worden getoetst"),
    ]
    for name, content, fragment in hostile:
        status, _, page = post_upload(server.url, name, content)
        assert status == 422, (name, status, page[:300])
        assert fragment in page, name
        assert "Terug naar het uploadformulier" in page
        assert_no_traceback(page)
        assert "root:" not in page  # the external entity was never read
    # too large for --max-mb 5
    status, _, page = post_upload(server.url, "groot.txt", b"Artikel 1\n" * (600 * 1024))
    assert status == 413 and "hoogstens 5 MB" in page
    # unknown page and wrong method on the real server
    for url, method, status_expected in ((server.url + "niets", "GET", 404), (server.url + "toetsen", "GET", 405)):
        try:
            urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=30)
            raise AssertionError(url)
        except urllib.error.HTTPError as exc:
            assert exc.code == status_expected
            assert_no_traceback(exc.read().decode())
    # still up, and right
    status, final, page = post_upload(server.url, "meerwijk.pdf", pdf("meerwijk-2011").read_bytes())
    assert status == 200 and VERDICT_NL["new"] in page
    assert server.proc.poll() is None


def test_browser_session(server):
    """Headless Chromium: upload a PDF, see the verdict, download the JSON, upload a bad file
    and see the error page, then upload a good file again."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    good = pdf("zuiderbroek-2012")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            problems, foreign = [], []
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith(server.url) else foreign.append(r.url))

            page.goto(server.url)
            sync_api.expect(page.locator("h1")).to_have_text("Wmo-verordening toetsen")
            page.get_by_label("Verordening of concept").set_input_files(str(good))
            page.get_by_role("button", name="Toetsen").click()
            page.wait_for_url(re.compile(r".*/resultaat/[A-Za-z0-9_-]{43}$"))
            label = page.locator("p.oordeel-label")
            sync_api.expect(label).to_contain_text(VERDICT_NL["tussenvorm"])
            sync_api.expect(label).to_contain_text(LEAN_NL["new"])
            # the legal requirements on the result page: the law chosen automatically (2012: Wmo 2007)
            section = page.locator("#eisen-wettelijk")
            sync_api.expect(section).to_be_visible()
            sync_api.expect(section.locator("h2")).to_contain_text("Wettelijke eisen Wmo 2007")
            marks = section.locator(".eisen-tabel td.status .teken").all_inner_texts()
            assert marks and {m.strip() for m in marks} <= {"✓", "✗", "~", "·"}, marks
            sync_api.expect(section.locator("blockquote.wettekst").first).to_be_visible()

            with page.expect_download() as info:
                page.get_by_role("link", name="Resultaat downloaden (JSON)").click()
            download = info.value
            assert download.suggested_filename == "zuiderbroek-2012-inline-toetsing.json"
            data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
            assert (data["verdict"], data["lean"]) == ("tussenvorm", "new")

            page.get_by_role("link", name="← Nieuwe toetsing").click()
            page.wait_for_url(server.url)
            page.get_by_label("Verordening of concept").set_input_files(
                files=[{"name": "kapot.txt", "mimeType": "text/plain", "buffer": GARBAGE}]
            )
            with page.expect_response(lambda r: r.url.endswith("/toetsen")) as response_info:
                page.get_by_role("button", name="Toetsen").click()
            assert response_info.value.status == 422
            sync_api.expect(page.locator("h1")).to_have_text("Dit bestand kan niet worden getoetst")
            sync_api.expect(page.locator(".fout")).to_contain_text("kapot.txt")

            page.get_by_role("link", name="Terug naar het uploadformulier").click()
            page.get_by_label("Verordening of concept").set_input_files(str(pdf("meerwijk-2011")))
            law_choice = page.get_by_label("Wettelijke eisen toetsen aan")
            sync_api.expect(law_choice).to_have_value("")  # automatic by default
            law_choice.select_option("2015")
            page.get_by_role("button", name="Toetsen").click()
            page.wait_for_url(re.compile(r".*/resultaat/[A-Za-z0-9_-]{43}$"))
            sync_api.expect(page.locator("p.oordeel-label")).to_contain_text(VERDICT_NL["new"])
            section = page.locator("#eisen-wettelijk")
            sync_api.expect(section.locator("h2")).to_contain_text("Wettelijke eisen Wmo 2015")
            sync_api.expect(section.locator("tr.eis-missing .teken").first).to_have_text("✗")
            # the report's own links still work under /resultaat/...
            page.get_by_role("link", name="De verordening").first.click()
            assert page.url.endswith("#verordening")
            # Chromium reports the 422 of the error page itself; anything else (a CSP violation,
            # a script error) is a problem
            expected = "Failed to load resource: the server responded with a status of 422"
            assert [m for m in problems if not m.startswith(expected)] == [], problems
            assert len(problems) <= 1, problems
            assert not foreign, foreign
        finally:
            browser.close()


def test_server_left_nothing_behind(server):
    """Runs after the uploads above: no temporary files, no file names in the log."""
    assert list(server.tmpdir.iterdir()) == []
    log = server.log.read_text()
    for name in ("meerwijk", "zuiderbroek", "kapot.txt", "bom.docx", "xxe.xml", "rommel.txt", "westerdijk"):
        assert name not in log, name
    assert "Traceback" not in log


def test_download_names_keep_accented_letters_with_an_ascii_fallback(client):
    from urllib.parse import unquote

    response = upload(client, pdf("meerwijk-2011"), name="Súdwest-Fryslân Wmo één.pdf")
    assert response.status_code == 303
    download = client.get(response.headers["Location"] + "/resultaat.json")
    disposition = download.headers["Content-Disposition"]
    ascii_part, _, utf8_part = disposition.partition("; filename*=UTF-8''")
    assert ascii_part == 'attachment; filename="Sudwest-Fryslan-Wmo-een-toetsing.json"'
    assert unquote(utf8_part) == "Súdwest-Fryslân-Wmo-één-toetsing.json"
    assert disposition.isascii()


def test_the_result_page_shows_the_legal_requirements(client):
    text = (
        "Verordening maatschappelijke ondersteuning Webdorp 2016\n\n"
        "De raad van de gemeente Webdorp;\n"
        "gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;\n"
        "besluit vast te stellen de volgende verordening:\n\n"
        "Artikel 1 Melding\nEen inwoner kan zijn hulpvraag melden bij het college.\n\n"
        "Artikel 2 Maatwerkvoorziening\n"
        "Een inwoner komt in aanmerking voor een maatwerkvoorziening als hij zich niet zelf kan redden.\n"
    ).encode("utf-8")
    _location, page = follow(client, upload(client, text, name="webdorp.txt"))
    html = page.get_data(as_text=True)
    assert 'id="eisen-wettelijk"' in html and "Wettelijke eisen Wmo 2015" in html
    assert "jaarlijkse blijk van waardering" in html  # the law text beside the ordinance
    data = json.loads(client.get(_location + "/resultaat.json").get_data(as_text=True))
    assert data["legal"]["law"] == "2015" and "wmo15_mantelzorgwaardering" in data["legal"]["missing"]
