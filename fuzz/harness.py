"""Run ``load`` and ``check`` on untrusted bytes in a worker process, with a hard time bound.

A worker process survives many inputs; when an input hangs (no answer within ``timeout``
seconds) or kills the process (a crash in a C library), the worker is replaced and the
input is reported as ``hang`` or ``crash``. The outcome of one input is one of

* ``ok``          -- ``load`` and ``check`` returned a well-formed result;
* ``expected``    -- a documented :class:`~verordeningcheck.errors.VerordeningcheckError`;
* ``unexpected``  -- any other exception, or a malformed result (``detail`` says which);
* ``hang`` / ``crash``.

Only ``ok`` and ``expected`` are acceptable.
"""
from __future__ import annotations

import json
import math
import multiprocessing as mp
import traceback
from dataclasses import dataclass

VERDICTS = {"old", "new", "tussenvorm", "not_wmo", "amendment"}
LEANS = {None, "old", "new"}
GENERATIONS = {None, "vng2006", "vng2010", "wmo2015"}
ACCEPTABLE = ("ok", "expected")


@dataclass
class Outcome:
    status: str
    detail: str = ""
    code: str = ""

    @property
    def acceptable(self) -> bool:
        return self.status in ACCEPTABLE


# --------------------------------------------------------------------------- in the worker


def validate_document(document) -> list[str]:
    problems = []
    if not isinstance(document.articles, list) or not document.articles:
        problems.append("document.articles is not a non-empty list")
    for article in document.articles:
        if not isinstance(article.number, str) or not isinstance(article.text, str):
            problems.append(f"article {article.number!r}: number/text not str")
        if not isinstance(article.leden, list):
            problems.append(f"article {article.number!r}: leden not a list")
    try:
        json.dumps(document.to_dict(), ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001 - any failure is a finding
        problems.append(f"document.to_dict() not JSON-serialisable: {type(exc).__name__}: {exc}")
    return problems


def validate_result(result) -> list[str]:
    v = result.verdict
    problems = validate_document(result.document)
    if v.verdict not in VERDICTS:
        problems.append(f"verdict {v.verdict!r} not in {sorted(VERDICTS)}")
    if v.lean not in LEANS:
        problems.append(f"lean {v.lean!r}")
    if v.generation not in GENERATIONS:
        problems.append(f"generation {v.generation!r}")
    if not (isinstance(v.confidence, (int, float)) and 0.0 <= v.confidence <= 1.0 and math.isfinite(v.confidence)):
        problems.append(f"confidence {v.confidence!r}")
    if not isinstance(v.elements, list):
        problems.append("elements not a list")
    try:
        json.dumps(result.to_dict(), ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"result.to_dict() not JSON-serialisable: {type(exc).__name__}: {exc}")
    return problems


def run_one(data: bytes, name: str, mode: str = "check") -> tuple[str, str, str]:
    """``load`` (and for mode "check" also ``check``) on ``data``; returns (status, code, detail)."""
    from verordeningcheck import check, load
    from verordeningcheck.errors import VerordeningcheckError

    try:
        document = load(data, name=name)
        problems = validate_document(document)
        if not problems and mode == "check":
            problems = validate_result(check(data, name=name))
    except VerordeningcheckError as exc:
        if not isinstance(exc.message, str) or not exc.message:
            return "unexpected", exc.code, f"{type(exc).__name__} without a message"
        return "expected", exc.code, exc.user_message()[:300]
    except BaseException as exc:  # noqa: BLE001 - the point is to catch everything
        tb = traceback.format_exc(limit=-6)
        return "unexpected", type(exc).__name__, f"{type(exc).__name__}: {str(exc)[:300]}\n{tb}"
    if problems:
        return "unexpected", "malformed-result", "; ".join(problems)[:1000]
    return "ok", "", ""


def _serve(conn, memory_limit: int | None) -> None:
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    from verordeningcheck.pipeline import get_ruleset
    from verordeningcheck.nlp import pipeline

    get_ruleset()
    pipeline()  # load spaCy before the first timed input
    conn.send(("ready", "", ""))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        data, name, mode = message
        conn.send(run_one(data, name, mode))


# --------------------------------------------------------------------------- in the parent


class Worker:
    """One worker process; :meth:`run` restarts it after a hang or crash."""

    def __init__(self, timeout: float = 20.0, memory_limit: int | None = 4 * 1024**3, start_timeout: float = 120.0):
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.start_timeout = start_timeout
        self._ctx = mp.get_context("spawn")
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child, self.memory_limit), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(self.start_timeout):
            self.close()
            raise RuntimeError("fuzz worker did not start")
        parent.recv()

    def run(self, data: bytes, name: str, mode: str = "check") -> Outcome:
        if self._proc is None or not self._proc.is_alive():
            self._start()
        try:
            self._conn.send((data, name, mode))
            if self._conn.poll(self.timeout):
                status, code, detail = self._conn.recv()
                return Outcome(status, detail, code)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            pass
        alive = self._proc.is_alive()
        exitcode = self._proc.exitcode
        self._kill()
        if alive:
            return Outcome("hang", f"no answer within {self.timeout:g} s")
        return Outcome("crash", f"worker exited with code {exitcode}")

    def _kill(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
        if self._proc is not None:
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = None
        self._conn = None

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            try:
                self._conn.send(None)
                self._proc.join(5)
            except (BrokenPipeError, OSError):
                pass
        self._kill()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
