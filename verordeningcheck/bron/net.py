"""A careful HTTP client for the official hosts: HTTPS only, an allow-list of hosts, timeouts,
a few retries with backoff, a polite pause between requests, an identifying User-Agent, size
limits, and the content-addressed download cache (store.py).

Only the standard library (urllib): a handful of GET requests does not justify a dependency.

``VERORDENINGCHECK_BRON_SPIEGEL`` names a mirror (or caching proxy) of the official hosts: a
request for ``https://HOST/PATH?QUERY`` then goes to ``<mirror>/HOST/PATH?QUERY``. The URLs
that are checked, cached and shown stay the official ones.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Callable
from urllib.parse import urlsplit

from .. import __version__
from ..errors import ConfigError
from .errors import NotFound, Offline, ServiceError, SourceError
from .refs import FETCH_HOSTS
from .store import DownloadCache

MIRROR_ENV = "VERORDENINGCHECK_BRON_SPIEGEL"
USER_AGENT = f"verordeningcheck/{__version__} (toetsing van Wmo-verordeningen; Python-urllib)"
MB = 1024 * 1024

_last_request: dict[str, float] = {}
_rate_lock = threading.Lock()


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB".replace(".", ",")


def mirror_from_env() -> str | None:
    value = os.environ.get(MIRROR_ENV, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("de spiegel moet een http- of https-adres zijn, bijvoorbeeld https://proxy.example/.", MIRROR_ENV)
    return value.rstrip("/")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed host over HTTPS (or within the mirror)."""

    def __init__(self, mirror: str | None):
        super().__init__()
        self.mirror = mirror

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if self.mirror and newurl.startswith(self.mirror + "/"):
            return super().redirect_request(req, fp, code, msg, headers, newurl)
        parts = urlsplit(newurl)
        if parts.scheme != "https" or (parts.hostname or "").lower() not in FETCH_HOSTS:
            raise SourceError(f"de bron verwijst door naar {parts.hostname or newurl}, dat geen officiële bron is.", req.full_url)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Client:
    """GET requests to the official hosts, with the download cache.

    ``offline``: use only the cache. ``notify``: receives Dutch notices (e.g. "gegevens uit de
    cache") for the user; by default they go to stderr."""

    def __init__(
        self,
        *,
        offline: bool = False,
        cache: DownloadCache | None = None,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        interval: float = 0.5,
        max_bytes: int = 50 * MB,
        mirror: str | None | bool = True,
        notify: Callable[[str], None] | None = None,
    ):
        self.offline = offline
        self.cache = cache if cache is not None else DownloadCache()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.interval = interval
        self.max_bytes = max_bytes
        self.mirror = mirror_from_env() if mirror is True else (mirror or None)
        self.notify = notify or (lambda message: print(f"verordeningcheck: {message}", file=sys.stderr))
        self.requests = 0  # network requests made (for tests and the cost estimate)
        self._opener = urllib.request.build_opener(_Redirects(self.mirror))

    # ------------------------------------------------------------------ public

    def get(self, url: str, *, max_bytes: int | None = None, reuse: bool = True) -> bytes:
        """The body of ``url`` (an official https URL).

        ``reuse=True`` (a published document, which never changes): a cached copy is used
        without asking the network. ``reuse=False`` (search results, which change): the network
        is asked; when it cannot be reached, a cached answer is used with a notice."""
        check_url(url)
        limit = max_bytes or self.max_bytes
        cached = self.cache.get(url)
        if cached is not None and (reuse or self.offline):
            return cached.data
        if self.offline:
            raise Offline(
                "staat niet in de cache en --offline is gekozen; draai de opdracht eerst één keer met internetverbinding."
                if self.cache.enabled else "de cache staat uit (VERORDENINGCHECK_CACHE_DIR), dus --offline kan niets gebruiken.",
                url,
            )
        try:
            data = self._fetch(url, limit)
        except Offline:
            if cached is not None:
                stamp = time.strftime("%d-%m-%Y %H:%M", time.localtime(cached.fetched))
                self.notify(f"geen verbinding; het zoekresultaat uit de cache van {stamp} wordt gebruikt.")
                return cached.data
            raise
        self.cache.put(url, data)
        return data

    # ------------------------------------------------------------------ internals

    def _physical(self, url: str) -> str:
        if not self.mirror:
            return url
        parts = urlsplit(url)
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        return f"{self.mirror}/{parts.hostname}{rest}"

    def _pause(self, host: str) -> None:
        with _rate_lock:
            now = time.monotonic()
            wait = _last_request.get(host, -1e9) + self.interval - now
            if wait > 0:
                time.sleep(wait)
            _last_request[host] = time.monotonic()

    def _fetch(self, url: str, limit: int) -> bytes:
        host = urlsplit(url).hostname or url
        attempt = 0
        while True:
            try:
                return self._once(url, host, limit)
            except _Retry as retry:
                attempt += 1
                if attempt > self.retries:
                    raise retry.error from None
                delay = retry.after if retry.after is not None else self.backoff * (2 ** (attempt - 1))
                time.sleep(min(delay, 30.0))

    def _once(self, url: str, host: str, limit: int) -> bytes:
        self._pause(host)
        request = urllib.request.Request(
            self._physical(url),
            headers={"User-Agent": USER_AGENT, "Accept": "application/xml, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"},
        )
        self.requests += 1
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > limit:
                    raise SourceError(f"het antwoord van {host} is te groot ({_mb(int(length))}; de grens is {_mb(limit)}).", url)
                chunks, total = [], 0
                while True:
                    chunk = response.read(64 * 1024)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > limit:
                        raise SourceError(f"het antwoord van {host} is te groot (meer dan {_mb(limit)}).", url)
                    chunks.append(chunk)
                return b"".join(chunks)
        except urllib.error.HTTPError as exc:
            status = exc.code
            exc.close()
            if status in (404, 410):
                raise NotFound(f"niet gevonden bij {host} (HTTP {status}).", url) from None
            if status == 429 or status >= 500:
                after = exc.headers.get("Retry-After") if exc.headers else None
                raise _Retry(
                    ServiceError(f"{host} gaf een foutmelding (HTTP {status}); probeer het later opnieuw.", url),
                    float(after) if after and after.isdigit() else None,
                ) from None
            raise ServiceError(f"{host} weigerde het verzoek (HTTP {status}).", url) from None
        except (TimeoutError, socket.timeout):
            raise _Retry(ServiceError(f"{host} antwoordt niet binnen {self.timeout:g} seconden; probeer het later opnieuw.", url)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _Retry(ServiceError(f"{host} antwoordt niet binnen {self.timeout:g} seconden; probeer het later opnieuw.", url)) from None
            if isinstance(reason, SourceError):
                raise reason from None
            raise Offline(
                f"geen verbinding met {host} ({_reason(reason)}). Controleer de internetverbinding; "
                "met --offline wordt alleen gebruikt wat al in de cache staat.",
                url,
            ) from None
        except (ConnectionResetError, ConnectionAbortedError) as exc:
            raise _Retry(ServiceError(f"de verbinding met {host} werd verbroken ({_reason(exc)}).", url)) from None
        except OSError as exc:
            raise Offline(f"geen verbinding met {host} ({_reason(exc)}).", url) from None


class _Retry(Exception):
    def __init__(self, error: SourceError, after: float | None = None):
        super().__init__(error.message)
        self.error = error
        self.after = after


def _reason(reason) -> str:
    if isinstance(reason, socket.gaierror):
        return "de naam van de server is niet te vinden; is er internet?"
    if isinstance(reason, ConnectionRefusedError):
        return "verbinding geweigerd"
    if isinstance(reason, OSError) and reason.errno in (101, 113):  # ENETUNREACH, EHOSTUNREACH
        return "het netwerk is niet bereikbaar"
    return str(getattr(reason, "strerror", None) or reason)


def check_url(url: str) -> None:
    """Refuse anything but https on the download hosts (a defensive second check)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "").lower() not in FETCH_HOSTS:
        raise SourceError(f"{parts.hostname or url} is geen officiële bron; er wordt niets opgehaald.", url)
