"""Run ``load`` and ``check`` on untrusted bytes in a worker process, with a hard time bound.

The worker is the package's own (``verordeningcheck.workers``): it survives many inputs;
when an input hangs (no answer within ``timeout`` seconds) or kills the process (a crash in
a C library), the worker is replaced and the input is reported as ``hang`` or ``crash``. The outcome of one input is one of

* ``ok``          -- ``load`` and ``check`` returned a well-formed result;
* ``expected``    -- a documented :class:`~verordeningcheck.errors.VerordeningcheckError`;
* ``unexpected``  -- any other exception, or a malformed result (``detail`` says which);
* ``hang`` / ``crash``.

Only ``ok`` and ``expected`` are acceptable.
"""
from __future__ import annotations

import json
import math
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


# --------------------------------------------------------------------------- in the parent


class Worker:
    """One worker process of :class:`verordeningcheck.workers.WorkerPool` (the same one that
    ``batch`` and ``serve`` use), replaced after a hang or crash; :meth:`run` turns the pool's
    errors into outcomes."""

    def __init__(self, timeout: float = 20.0, memory_limit: int | None = 4 * 1024**3, start_timeout: float = 120.0):
        from verordeningcheck.workers import WorkerPool

        self.timeout = timeout
        self._pool = WorkerPool(1, memory_limit=memory_limit, start_timeout=start_timeout)

    def run(self, data: bytes, name: str, mode: str = "check") -> Outcome:
        from verordeningcheck.workers import CheckTimeout, WorkerCrashed, WorkerStartError

        try:
            status, code, detail = self._pool.run(run_one, data, name, mode, timeout=self.timeout)
        except WorkerStartError:
            raise
        except CheckTimeout:
            return Outcome("hang", f"no answer within {self.timeout:g} s")
        except WorkerCrashed as exc:
            return Outcome("crash", exc.message)
        return Outcome(status, detail, code)

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
