"""Checks in worker processes with a hard time bound: for ``batch`` and the web app.

A check runs in Python and C libraries (pdfium, lxml) that cannot be interrupted from a
thread. :class:`WorkerPool` keeps a few long-lived worker processes (the rule set and the
NLP pipeline loaded once in each) and hands each task to an idle one. When a task takes
longer than ``limits.max_check_seconds`` or kills its process, the worker is replaced and
the caller gets a Dutch :class:`~verordeningcheck.errors.VerordeningcheckError`
(:class:`CheckTimeout` or :class:`WorkerCrashed`): the pool, and the server or batch that
uses it, goes on.

Tasks are module-level functions (they are sent by name to ``spawn``-started processes) and
must return picklable values. A :class:`VerordeningcheckError` raised in a worker is raised
again in the caller with the same class, message and source. ``run`` is thread-safe: the web
server calls it from its request threads, ``batch`` from one thread per worker.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from . import errors
from .errors import VerordeningcheckError
from .limits import Limits


class CheckTimeout(errors.LimitExceeded):
    code = "timeout"


class WorkerCrashed(VerordeningcheckError):
    """The worker process died (a crash in a C library, or out of memory)."""

    code = "crash"
    exit_code = 3


class WorkerStartError(WorkerCrashed):
    """No worker process could be started: a problem of the installation or the calling
    program (e.g. a script without ``if __name__ == "__main__":``), not of one file."""

    code = "worker_start"


@dataclass(frozen=True)
class _Failure:
    """An exception from a worker, in a form that always pickles."""

    cls_name: str
    message: str
    source: str | None
    expected: bool  # a VerordeningcheckError (else: an internal error, with a traceback)
    detail: str = ""

    def exception(self) -> Exception:
        if self.expected:
            cls = getattr(errors, self.cls_name, None)
            if not (isinstance(cls, type) and issubclass(cls, VerordeningcheckError)):
                cls = VerordeningcheckError
            return cls(self.message, self.source)
        return WorkerError(self.cls_name, self.message, self.detail)


class WorkerError(RuntimeError):
    """An unexpected exception in a worker (a bug): the caller reports an internal error."""

    def __init__(self, cls_name: str, message: str, detail: str):
        super().__init__(f"{cls_name}: {message}")
        self.cls_name = cls_name
        self.detail = detail


def _warm_up(rules_dirs: tuple[str, ...]) -> None:
    from pathlib import Path

    from .nlp import pipeline
    from .pipeline import get_ruleset

    get_ruleset([Path(d) for d in rules_dirs])
    pipeline()
    # what the first task would otherwise load: every reader, the report templates
    from . import load  # noqa: F401
    from .readers import docx, html, pdf, text, xml  # noqa: F401
    from .report import _environment

    environment = _environment()
    for name in ("report.html", "diff.html"):
        environment.get_template(name)


def _serve(conn, memory_limit: int | None, rules_dirs: tuple[str, ...]) -> None:
    # Ctrl+C reaches the whole process group; the parent stops its workers itself, so a
    # worker ignores SIGINT (else every worker would print a KeyboardInterrupt traceback)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    try:
        _warm_up(rules_dirs)
        conn.send(("ready", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("failed", _failure(exc)))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        func, args, kwargs = message
        try:
            value = func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the caller
            conn.send(("error", _failure(exc)))
        else:
            try:
                conn.send(("ok", value))
            except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable value
                conn.send(("error", _failure(exc)))


def _failure(exc: BaseException) -> _Failure:
    if isinstance(exc, VerordeningcheckError):
        return _Failure(type(exc).__name__, exc.message, exc.source, True)
    if isinstance(exc, MemoryError):
        return _Failure("LimitExceeded", "te weinig geheugen om dit bestand te verwerken.", None, True)
    return _Failure(type(exc).__name__, str(exc)[:500], None, False, traceback.format_exc(limit=-8))


class _Worker:
    def __init__(self, ctx, memory_limit: int | None, rules_dirs: tuple[str, ...], start_timeout: float,
                 wait: bool = True):
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, memory_limit, rules_dirs), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.start_timeout = start_timeout
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Wait until the process has loaded everything (raises when it cannot start)."""
        parent, start_timeout = self.conn, self.start_timeout
        try:
            if not parent.poll(start_timeout):
                self.kill()
                raise WorkerStartError("het controleproces startte niet op tijd.")
            status, failure = parent.recv()
        except (EOFError, OSError):  # the process died while starting
            self.kill()
            raise WorkerStartError(
                f"het controleproces kon niet starten (afsluitcode {self.proc.exitcode}). Gebruikt u "
                "verordeningcheck vanuit een eigen Python-script, zet de aanroep dan onder "
                "'if __name__ == \"__main__\":'; anders: meld dit probleem."
            ) from None
        if status != "ready":
            self.kill()
            raise failure.exception()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """``processes`` worker processes; :meth:`run` runs one task on an idle worker.

    Workers start lazily (the first ``run`` that finds none idle starts one, up to
    ``processes``), so a pool that is never used costs nothing.
    """

    def __init__(
        self,
        processes: int | None = None,
        limits: Limits | None = None,
        rules_dirs: list | tuple = (),
        memory_limit: int | None = 3 * 1024**3,
        start_timeout: float = 120.0,
    ):
        self.processes = max(1, processes or os.cpu_count() or 1)
        self.limits = limits or Limits.from_env()
        self.rules_dirs = tuple(str(d) for d in rules_dirs)
        self.memory_limit = memory_limit
        self.start_timeout = start_timeout
        self._ctx = mp.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(self.processes)
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = 0  # workers started successfully
        self._broken: WorkerStartError | None = None  # set when workers cannot be started at all

    # ---------------------------------------------------------------- running tasks

    def run(self, func: Callable[..., Any], *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Run ``func(*args, **kwargs)`` in a worker; return its value or raise its error."""
        timeout = self.limits.max_check_seconds if timeout is None else timeout
        with self._slots:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            worker = self._take()
            try:
                worker.conn.send((func, args, kwargs))
                answered = worker.conn.poll(timeout)
                if answered:
                    status, value = worker.conn.recv()
            except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
                answered = False  # the process died: a crash, not a hang
                worker.proc.join(2)
            if answered:
                self._idle.put(worker)
                if status == "ok":
                    return value
                raise value.exception()
            hung = worker.proc.is_alive()
            self._discard(worker)
            if hung:
                seconds = f"{timeout:g}".replace(".", ",")  # Dutch decimal comma
                raise CheckTimeout(f"de controle duurde langer dan {seconds} seconden en is afgebroken.")
            raise WorkerCrashed(
                "het controleproces is onverwacht gestopt (mogelijk te weinig geheugen of een "
                "beschadigd bestand)."
            )

    def warm(self, count: int | None = None) -> None:
        """Start ``count`` workers now (default: all), e.g. before a server accepts requests.

        The processes start together (each takes about a second to load spaCy and the rules)
        and are waited for afterwards."""
        if self._broken is not None:
            raise self._broken
        starting = [
            _Worker(self._ctx, self.memory_limit, self.rules_dirs, self.start_timeout, wait=False)
            for _ in range(min(count or self.processes, self.processes))
        ]
        ready: list[_Worker] = []
        try:
            for worker in starting:
                worker.wait_ready()
                ready.append(worker)
        except BaseException as exc:
            for worker in starting:
                worker.kill()
            if isinstance(exc, WorkerStartError) and not self._started:
                self._broken = exc
            raise
        with self._lock:
            self._all.update(ready)
            self._started += len(ready)
        for worker in ready:
            self._idle.put(worker)

    def _take(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return self._start()

    def _start(self) -> _Worker:
        if self._broken is not None:
            raise self._broken
        try:
            worker = _Worker(self._ctx, self.memory_limit, self.rules_dirs, self.start_timeout)
        except WorkerStartError as exc:
            if not self._started:  # never worked: do not start a process for every task
                self._broken = exc
            raise
        with self._lock:
            self._all.add(worker)
            self._started += 1
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    # ---------------------------------------------------------------- lifetime

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:  # ask all to stop, then wait for them together
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 2.0
        for worker in workers:
            worker.proc.join(max(0.0, deadline - time.monotonic()))
            worker.kill()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
