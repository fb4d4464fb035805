"""``verordeningcheck serve``: a small web app to check a draft ordinance in a browser.

Flask for the routes and templates (``templates/web_*.html``), waitress as the WSGI server.
Flask and waitress are imported only inside :func:`create_app` and :func:`serve_command`, so
``verordeningcheck check`` does not pay for them at start-up.

Request flow:

1. ``GET /`` shows the upload form (a draft and, optionally, the current version).
2. ``POST /toetsen`` reads the uploads into memory (never a temporary file: see
   ``InMemoryRequest`` in :func:`create_app`), hands the bytes to a :class:`~verordeningcheck.workers.WorkerPool`
   (check *and* HTML rendering run in a worker process with a hard time bound), keeps the
   results in the in-memory :class:`ResultStore` under an unguessable token and answers
   ``303 See Other`` to ``/resultaat/<token>`` (so a reload never uploads again).
3. ``GET /resultaat/<token>`` is the usual HTML report with a bar on top (new check, JSON
   download, the comparison when a current version was given).

Errors are Dutch pages with a 4xx status (400 no file, 413 too large, 422 unreadable file or
time limit exceeded, 404, 405) or 500 (worker crash, bug) and never show a traceback. Nothing
is logged about an upload (no names, no content). User documentation: ``docs/web.md``.
"""
from __future__ import annotations

import io
import json
import os
import re
import sys
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from .errors import VerordeningcheckError, os_reason
from .limits import DEFAULT_LIMITS, Limits
from .options import config_option, max_pages_option, rules_option, wet_option

#: the upload limit of ``serve`` when neither --max-mb nor the environment/config sets one
WEB_DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: results kept in memory: at most this many, each for at most RESULT_TTL seconds
RESULT_ENTRIES = 100
RESULT_TTL = 3600.0
#: and at most this many bytes in total (a report of a very long PDF is a few MB)
RESULT_BYTES = 256 * 1024 * 1024
#: room for the multipart framing and the form fields around the file(s)
_FORM_OVERHEAD = 256 * 1024

ACCEPT = ".pdf,.docx,.html,.htm,.xml,.md,.markdown,.txt"
ACCEPT_MIME = (
    "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "text/html,application/xml,text/xml,text/markdown,text/plain"
)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# the form's "Toetsen aan" choice (value of --wet; "" = the law the ordinance's aanhef and date give)
WET_CHOICES = (("", "Automatisch (uit de aanhef en de datum)"), ("2015", "Wmo 2015"), ("2007", "Wmo 2007"))
# logging, ipaddress, secrets and signal are imported where used: this module is imported by
# every CLI start (for the command), and `verordeningcheck check` must not pay for them


# ---------------------------------------------------------------- worker tasks
# Module-level functions: the pool sends them by name to spawn-started processes. They
# return plain, picklable values.


def check_task(data: bytes, name: str, limits: Limits, rules: tuple[str, ...] = (), keep: bool = False,
               metadata: dict | None = None, wet: str | None = None, exceptions: dict | None = None) -> dict:
    """Check one upload and render its report (in a worker process); ``metadata`` (the source
    link of a publication fetched from the official source) is added to the document; ``wet``
    and ``exceptions`` as in ``check --wet/--config``."""
    from .pipeline import check
    from .report import render_html

    result = check(data, name=name, limits=limits, rules=[Path(r) for r in rules], wet=wet, exceptions=exceptions)
    result.document.metadata.update(metadata or {})
    out = {
        "report": render_html(result),
        "json": json.dumps(result.to_dict(), ensure_ascii=False, indent=2),
        "verdict": result.verdict.verdict,
    }
    if keep:  # needed again for the comparison with the current version
        out["result"] = result
    return out


def diff_task(data: bytes, name: str, draft, limits: Limits, rules: tuple[str, ...] = (), wet: str | None = None,
              exceptions: dict | None = None) -> dict:
    """Check the current version and compare it with the (already checked) draft."""
    from .pipeline import check
    from .versiondiff import diff_results, render_diff_html

    current = check(data, name=name, limits=limits, rules=[Path(r) for r in rules], wet=wet, exceptions=exceptions)
    diff = diff_results(current, draft)
    return {
        "html": render_diff_html(diff),
        "json": json.dumps(diff.to_dict(), ensure_ascii=False, indent=2),
        "sentence": diff.verdict.sentence,
    }


# ---------------------------------------------------------------- result store


@dataclass
class Stored:
    """What one check leaves behind, in memory only."""

    report: str
    json: str
    stem: str  # for the download names
    verdict: str
    diff_html: str | None = None
    diff_json: str | None = None
    diff_sentence: str | None = None
    created: float = 0.0

    @property
    def size(self) -> int:
        return sum(len(x) for x in (self.report, self.json, self.diff_html or "", self.diff_json or ""))


class ResultStore:
    """A bounded, thread-safe, in-memory LRU of results keyed by unguessable tokens.

    At most ``max_entries`` results and ``max_bytes`` characters; a result expires
    ``ttl`` seconds after it was made. Nothing is ever written to disk.
    """

    def __init__(self, max_entries: int = RESULT_ENTRIES, ttl: float = RESULT_TTL,
                 max_bytes: int = RESULT_BYTES, clock=time.monotonic):
        self.max_entries = max_entries
        self.ttl = ttl
        self.max_bytes = max_bytes
        self._clock = clock
        self._items: OrderedDict[str, Stored] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, item: Stored) -> str:
        import secrets

        token = secrets.token_urlsafe(32)
        with self._lock:
            item.created = self._clock()
            self._items[token] = item
            self._bytes += item.size
            self._expire()
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                _, old = self._items.popitem(last=False)
                self._bytes -= old.size
        return token

    def get(self, token: str) -> Stored | None:
        if not _TOKEN.fullmatch(token or ""):
            return None
        with self._lock:
            self._expire()
            item = self._items.get(token)
            if item is not None:
                self._items.move_to_end(token)
            return item

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)

    def _expire(self) -> None:
        deadline = self._clock() - self.ttl
        for token in [t for t, item in self._items.items() if item.created <= deadline]:
            self._bytes -= self._items.pop(token).size


# ---------------------------------------------------------------- helpers


def display_name(filename: str | None) -> str:
    """The base name of an uploaded file as the browser sent it, for display and format
    detection: no directories, no control characters, at most 200 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip()
    return name[:200] or "bestand"


def _download_stem(name: str) -> str:
    """The upload's name without extension, safe in a header and a file system (letters
    with accents kept: "Súdwest-Fryslân Wmo" -> "Súdwest-Fryslân-Wmo")."""
    stem = Path(name).stem if "." in name else name
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-._")
    return stem[:80] or "verordening"


def _mb(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}".replace(".", ",")


def _web_limits(limits: Limits) -> Limits:
    """The upload limit of the web app is 20 MB unless the environment or the config file set
    one (the library's default, 50 MB, is for files the user has at hand)."""
    if limits.max_bytes == DEFAULT_LIMITS.max_bytes:
        return replace(limits, max_bytes=WEB_DEFAULT_MAX_BYTES)
    return limits


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


_BODY = re.compile(r"<body[^>]*>", re.I)


def _with_bar(page: str, bar: str) -> str:
    """Insert the web bar (its own <style> and <nav>) at the top of a rendered report.

    The first ``</head>`` and ``<body>`` of the report are its own tags: all document text in
    a report is escaped, so it cannot contain them literally.
    """
    style, _, nav = bar.partition("<!-- bar -->")
    head_end = page.find("</head>")
    if head_end >= 0:
        page = page[:head_end] + style + page[head_end:]
    body = _BODY.search(page)
    at = body.end() if body else 0
    return page[:at] + nav + page[at:]


# ---------------------------------------------------------------- the app


def create_app(limits: Limits | None = None, pool=None, *, rules_dirs=(), store: ResultStore | None = None,
               wet: str | None = None, exceptions: dict | None = None):
    """The Flask application. ``pool`` is a :class:`WorkerPool` (made on first use if omitted,
    e.g. under ``waitress-serve --call``); tests may pass anything with a ``run`` method.
    ``wet``: the law chosen in the form by default (None: from the ordinance itself);
    ``exceptions``: those of ``serve --config`` (requirement id -> {reason, source}), applied to
    every check."""
    import logging

    import flask
    from flask import Flask, Response, redirect, render_template, request, url_for
    from flask.wrappers import Request
    from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

    from .resources import templates_dir
    from .workers import CheckTimeout, WorkerCrashed, WorkerPool

    if limits is None:
        limits = _web_limits(Limits.from_env())
    rules = tuple(str(d) for d in rules_dirs)
    exceptions = dict(exceptions or {})
    store = store if store is not None else ResultStore()
    state: dict[str, Any] = {"pool": pool}
    pool_lock = threading.Lock()

    def get_pool():
        with pool_lock:
            if state["pool"] is None:
                state["pool"] = WorkerPool(limits=limits, rules_dirs=rules)
            return state["pool"]

    class InMemoryRequest(Request):
        """Uploads stay in memory: werkzeug would spool parts over 500 kB to a temp file."""

        def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
            return io.BytesIO()

    app = Flask(__name__, template_folder=str(templates_dir()), static_folder=None)
    app.request_class = InMemoryRequest
    # two files of max_bytes each plus the form around them; a single file over max_bytes
    # is refused below with the same 413 page
    app.config["MAX_CONTENT_LENGTH"] = 2 * limits.max_bytes + _FORM_OVERHEAD
    app.config["MAX_FORM_PARTS"] = 20
    app.config["TEMPLATES_AUTO_RELOAD"] = False
    app.jinja_env.autoescape = True
    app.extensions["verordeningcheck"] = {"limits": limits, "store": store, "get_pool": get_pool}

    facts = {
        "max_mb": _mb(limits.max_bytes),
        "max_pages": limits.max_pages,
        "max_seconds": _seconds(limits.max_check_seconds),
        "accept": ACCEPT + "," + ACCEPT_MIME,
        "ttl_minutes": round(store.ttl / 60),
        "wet_default": wet or "",
        "wet_choices": WET_CHOICES,
        "exceptions": exceptions,
    }

    def page(template: str, status: int = 200, **context) -> Response:
        return Response(render_template(template, **facts, **context), status=status,
                        mimetype="text/html")

    def error(status: int, title: str, message: str, *, name: str | None = None,
              role: str | None = None, hint: str | None = None) -> Response:
        return page("web_error.html", status, status_code=status, title=title, message=message,
                    name=name, role=role, hint=hint)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------ pages

    @app.get("/")
    def upload():
        return page("web_upload.html")

    @app.post("/toetsen")
    def toetsen():
        draft = request.files.get("bestand")
        link = (request.form.get("link") or "").strip()
        fetched = None
        if link and draft is not None and draft.filename:
            return error(400, "Bestand én link gekozen",
                         "Kies een bestand óf geef een CVDR-nummer of link, niet allebei.")
        if link:
            from .bron import Source, SourceError, parse_reference

            try:
                fetched = Source().fetch(parse_reference(link[:500]))
            except SourceError as exc:
                return error(422, "Deze regeling kan niet worden opgehaald", _sentence(exc.message))
        elif draft is None or not draft.filename:
            return error(400, "Geen bestand gekozen",
                         "Kies eerst het bestand met de verordening die u wilt toetsen, of geef een CVDR-nummer of link.")
        chosen_wet = request.form.get("wet", wet or "")
        if chosen_wet not in dict(WET_CHOICES):
            return error(400, "Onbekende wet", "Kies bij 'Toetsen aan' automatisch, Wmo 2007 of Wmo 2015.")
        chosen_wet = chosen_wet or None
        current = request.files.get("huidig")
        if current is not None and not current.filename:
            current = None
        uploads = []
        if fetched is not None:
            uploads.append(("concept", fetched.url, fetched.data))
        for role, upload_ in (("concept", draft), ("huidige versie", current)):
            if upload_ is None or (role == "concept" and fetched is not None):
                continue
            name = display_name(upload_.filename)
            data = upload_.stream.getvalue() if isinstance(upload_.stream, io.BytesIO) else upload_.read()
            if len(data) > limits.max_bytes:
                return too_large(name=name, role=role)
            uploads.append((role, name, data))
        (_, name, data), compare = uploads[0], uploads[1] if len(uploads) > 1 else None
        pool_ = get_pool()
        role = "concept"
        try:
            done = pool_.run(check_task, data, name, limits, rules, compare is not None,
                             fetched.metadata() if fetched is not None else None, chosen_wet, exceptions)
            diff = None
            if compare is not None:
                role, current_name, current_data = compare
                diff = pool_.run(diff_task, current_data, current_name, done.pop("result"), limits, rules,
                                 chosen_wet, exceptions)
        except CheckTimeout as exc:
            return error(422, "Het toetsen duurde te lang", _sentence(exc.message), name=_failed_name(exc, uploads, role),
                         role=role, hint="Probeer een kleiner bestand, of vraag de beheerder de tijdgrens te verhogen.")
        except WorkerCrashed as exc:
            return error(500, "Het toetsen is mislukt", _sentence(exc.message), name=_failed_name(exc, uploads, role),
                         role=role, hint="Probeer het nog eens. Lukt het dan weer niet, meld het bestand dan aan de beheerder.")
        except VerordeningcheckError as exc:  # InputError, LimitExceeded, ...
            return error(422, "Dit bestand kan niet worden getoetst", _sentence(exc.message),
                         name=_failed_name(exc, uploads, role), role=role, hint=_hint(exc))
        stored = Stored(report=done["report"], json=done["json"], stem=_download_stem(fetched.record.label.replace("/", "_") if fetched is not None and fetched.record else name), verdict=done["verdict"])
        if diff is not None:
            stored.diff_html, stored.diff_json, stored.diff_sentence = diff["html"], diff["json"], diff["sentence"]
        token = store.put(stored)
        target = url_for("resultaat", token=token)
        response = redirect(target, code=303)  # POST/redirect/GET: a reload never uploads again
        response.set_data(render_template("web_redirect.html", target=target))
        return response

    def stored_or_404(token: str) -> Stored:
        item = store.get(token)
        if item is None:
            flask.abort(404, description="resultaat")
        return item

    def bar(token: str, item: Stored, current: str) -> str:
        return render_template("web_bar.html", token=token, item=item, current=current, **facts)

    @app.get("/resultaat/<token>")
    def resultaat(token: str):
        item = stored_or_404(token)
        return Response(_with_bar(item.report, bar(token, item, "rapport")), mimetype="text/html")

    @app.get("/resultaat/<token>/vergelijking")
    def vergelijking(token: str):
        item = stored_or_404(token)
        if item.diff_html is None:
            flask.abort(404, description="resultaat")
        return Response(_with_bar(item.diff_html, bar(token, item, "vergelijking")), mimetype="text/html")

    def attachment(content: str, mimetype: str, filename: str) -> Response:
        response = Response(content, mimetype=mimetype)
        # an ASCII fallback, and the real name for browsers that read RFC 6266's filename*
        ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "verordening"
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
        )
        return response

    @app.get("/resultaat/<token>/rapport.html")
    def rapport_download(token: str):
        item = stored_or_404(token)
        return attachment(item.report, "text/html", f"{item.stem}-rapport.html")

    @app.get("/resultaat/<token>/resultaat.json")
    def json_download(token: str):
        item = stored_or_404(token)
        return attachment(item.json, "application/json", f"{item.stem}-toetsing.json")

    @app.get("/resultaat/<token>/vergelijking.json")
    def diff_json_download(token: str):
        item = stored_or_404(token)
        if item.diff_json is None:
            flask.abort(404, description="resultaat")
        return attachment(item.diff_json, "application/json", f"{item.stem}-vergelijking.json")

    # ------------------------------------------------------------ errors

    def too_large(name: str | None = None, role: str | None = None) -> Response:
        return error(413, "Het bestand is te groot",
                     f"Een bestand mag hier hoogstens {_mb(limits.max_bytes)} MB zijn.", name=name, role=role,
                     hint="Is het een PDF met veel afbeeldingen? Sla de verordening dan op als Word-bestand "
                          "of als PDF met alleen tekst.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, RequestEntityTooLarge):
            return too_large()
        if exc.code == 404:
            if exc.description == "resultaat":
                return error(404, "Dit resultaat is niet (meer) beschikbaar",
                             f"Een resultaat blijft {facts['ttl_minutes']} minuten bewaard, alleen in het "
                             "geheugen van de server. Daarna, of na een herstart, is het weg.",
                             hint="Toets het bestand opnieuw.")
            return error(404, "Pagina niet gevonden", "Deze pagina bestaat niet.")
        if isinstance(exc, MethodNotAllowed):
            response = error(405, "Dit kan hier niet",
                             "Deze pagina is niet bedoeld voor deze handeling (HTTP-methode "
                             f"{request.method}). Begin op het uploadformulier.")
            if exc.valid_methods:
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response
        if exc.code == 400:
            return error(400, "Onjuist verzoek", "De server kon dit verzoek niet lezen. Probeer het opnieuw vanaf het "
                                                  "uploadformulier.")
        code = exc.code or 500
        return error(code, "Er ging iets mis", f"De server kon dit verzoek niet afhandelen (HTTP {code}).")

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        # never the message or traceback: either could contain a file name or document text
        # (the endpoint name, not the path: a result path holds its secret token)
        logging.getLogger("verordeningcheck.web").error("interne fout bij %s %s: %s", request.method, request.endpoint or "?", type(exc).__name__)
        return error(500, "Interne fout",
                     "Er ging iets mis in de server. Uw bestand is niet bewaard.",
                     hint="Probeer het nog eens. Blijft dit gebeuren, meld het dan aan de beheerder.")

    return app


def _sentence(message: str) -> str:
    """Dutch error messages start in lower case ("het bestand is leeg."): capitalise."""
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message


def _failed_name(exc: VerordeningcheckError, uploads, role: str) -> str:
    for upload_role, name, _ in uploads:
        if upload_role == role:
            return name
    return exc.source or ""


def _hint(exc: VerordeningcheckError) -> str | None:
    """A next step for the user, unless the message already gives one."""
    code = getattr(exc, "code", "")
    if code == "timeout" or "PDF" in exc.message or "Word" in exc.message:
        return None
    if code == "encrypted":
        return "Haal de beveiliging van het bestand af en probeer het opnieuw."
    if code in ("empty", "unsupported", "malformed", "input"):
        return ("Kies de verordening zelf, als PDF (met tekst), Word (.docx), HTML, XML (CVDR), Markdown "
                "of platte tekst.")
    return "Controleer of dit het goede bestand is."


# ---------------------------------------------------------------- CLI


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adres waarop de server luistert. Alleen deze computer: 127.0.0.1; voor anderen: 0.0.0.0 "
                   "(liefst achter een reverse proxy).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Poort; 0 kiest een vrije poort.")
@click.option("--max-mb", type=float, default=None, help="Maximale grootte van een upload in MB (standaard 20).")
@max_pages_option
@click.option("--max-check-seconds", type=float, default=None,
              help="Maximale rekentijd voor één toetsing in seconden (standaard 120).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Aantal controleprocessen dat tegelijk toetst (standaard het aantal processorkernen, hoogstens 4).")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="Aantal verzoeken dat de server tegelijk afhandelt (standaard jobs + 4).")
@wet_option
@config_option
@rules_option
def serve_command(host: str, port: int, max_mb: float | None, max_pages: int | None,
                  max_check_seconds: float | None, jobs: int | None, threads: int | None,
                  wet: str | None, config_path: Path | None, rules_dirs: tuple[Path, ...]) -> None:
    """Start een webpagina waarop u een (concept)verordening kunt uploaden en toetsen.

    Standaard alleen bereikbaar vanaf deze computer: http://127.0.0.1:8000/. Stop met Ctrl+C.
    """
    import logging
    import signal

    from waitress.server import create_server

    from .limits import limits_from_options
    from .workers import WorkerPool

    limits = limits_from_options(max_mb=max_mb, max_pages=max_pages, max_check_seconds=max_check_seconds)
    if max_mb is None:
        limits = _web_limits(limits)
    jobs = jobs or max(1, min(os.cpu_count() or 1, 4))
    threads = threads or jobs + 4
    if host == "localhost":
        host = "127.0.0.1"  # one socket (waitress would bind ::1 and 127.0.0.1 separately)

    # waitress: no access log exists; keep its own messages (queue depth, socket errors)
    # at warning level, without request details
    logging.basicConfig(level=logging.WARNING, format="verordeningcheck: %(message)s")

    exceptions = {}
    if config_path is not None:  # a bad file stops here (ConfigError, exit 2), before any process starts
        from .options import exceptions_for
        from .pipeline import get_ruleset

        exceptions = exceptions_for(None, get_ruleset(list(rules_dirs)), config_path)
    pool = WorkerPool(jobs, limits, rules_dirs=rules_dirs)  # processes start in warm(), below

    def stop(signum, frame):  # SIGTERM: stop like Ctrl+C, so the workers are stopped too
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        app = create_app(limits, pool, rules_dirs=rules_dirs, wet=wet, exceptions=exceptions)
        request_limit = app.config["MAX_CONTENT_LENGTH"]
        try:
            server = create_server(
                app, host=host, port=port, threads=threads, ident="verordeningcheck",
                # keep request and response bodies in memory, never in a temporary file
                inbuf_overflow=request_limit + 1024 * 1024,
                outbuf_overflow=64 * 1024 * 1024,
                # the body limit is checked by the app (a Dutch 413 page); waitress only refuses
                # what is far over it
                max_request_body_size=2 * request_limit,
                connection_limit=max(32, 4 * threads),
                channel_timeout=max(120, int(limits.max_check_seconds) * 2 + 30),
            )
        except OSError as exc:
            raise VerordeningcheckError(  # the CLI prints "verordeningcheck: fout: ..." and exits 2
                f"kan niet luisteren op {host}:{port} ({os_reason(exc)}). "
                "Kies een andere poort met --port (of een ander adres met --host)."
            ) from None
        # the port is taken (an error above comes before any process is started); now the
        # workers, before the first request, so that no visitor waits for spaCy to load
        click.echo(f"Controleprocessen starten ({jobs})...", err=True)
        pool.warm()
        url = _url(host, server.effective_port)
        click.echo(f"verordeningcheck draait op {url}")
        if not _is_loopback(host):
            click.echo(
                f"Let op: de server luistert op {host} en is dus bereikbaar vanaf andere computers. "
                "Er is geen inlog: zet de server achter een reverse proxy met toegangscontrole en HTTPS "
                "(zie docs/web.md).",
                err=True,
            )
        click.echo("Stop met Ctrl+C.", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            server.run()  # returns after Ctrl+C or SIGTERM (waitress stops its threads)
        finally:
            server.close()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        pool.close()
    click.echo("verordeningcheck is gestopt.", err=True)


__all__ = ["create_app", "serve_command", "ResultStore", "check_task", "diff_task"]
