"""``verordeningcheck batch``: check many ordinances in parallel, with a cache.

Outputs in OUTDIR (user documentation: ``docs/batch.md``):

* ``results.csv`` (for Dutch Excel: UTF-8 with BOM, ``;`` separator, decimal comma) and
  ``results.json`` (per file the object of ``CheckResult.to_dict()`` plus the batch fields);
* ``index.html``: the overview (element matrix in the spirit of SCP 2013, Table 3.1, the
  verdict distribution, the documents, the failed files);
* ``rapporten/<name>.html``: the HTML report of every document;
* ``.cache/``: one JSON entry (and the report) per checked file, written atomically as each
  file finishes. The key is the SHA-256 of the content, the path relative to the input root,
  the rule-set version, the package version and the limits, so a rerun (or a run after an
  interruption) checks only what changed. The summary files are rebuilt from the cache at the
  end of every run.

Every check and every report is made in a worker process of
:class:`~verordeningcheck.workers.WorkerPool` (also with ``--jobs 1``), so the time bound
``limits.max_check_seconds`` always holds and a crash in a C library costs one row, not the
batch. One thread per worker process reads and hashes the files and hands them over.
"""
from __future__ import annotations

import fnmatch
import glob
import hashlib
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable
from urllib.parse import quote

import click

from . import __version__
from .ci_formats import SUPPORTED_SUFFIXES, supported  # the same files as `check` with a directory
from . import excel
from .excel import cell as _cell, dutch_number as _dutch_number
from .errors import ConfigError, InputError, OutputError, RulesError, VerordeningcheckError, os_reason
from .limits import Limits, limits_from_options
from .options import config_option, limit_options, rules_option, wet_option
from .bron.cli import search_inputs, search_options
from .ruleset import CATALOGUE

OUTPUT_FILES = ("index.html", "results.csv", "results.json")
REPORTS_DIR = "rapporten"
CACHE_DIR = ".cache"
CACHE_FORMAT = 1  # bump when the shape of a cache entry changes

EXIT_OK = 0
EXIT_FAILED = 1  # some files could not be checked (failed rows)
EXIT_USAGE = 2

# Batch fields first, then one column per element (catalogue order).
CSV_FIELDS = (
    "file", "gemeente", "title", "format", "verdict", "lean", "confidence", "generation",
    "status", "error", "sha256", "report", "source_url",
)

# Order of the verdicts in the matrix, the chart and the summary.
VERDICT_ORDER = (("new", None), ("tussenvorm", "new"), ("tussenvorm", "old"), ("tussenvorm", None),
                 ("old", None), ("amendment", None), ("not_wmo", None))
VERDICT_SHORT = {
    ("new", None): "nieuw",
    ("tussenvorm", "new"): "tussen→nieuw",
    ("tussenvorm", "old"): "tussen→oud",
    ("tussenvorm", None): "tussenvorm",
    ("old", None): "oud",
    ("amendment", None): "wijziging",
    ("not_wmo", None): "geen Wmo",
}
VERDICT_LONG = {
    ("new", None): "Nieuw model (gekanteld, VNG 2010)",
    ("tussenvorm", "new"): "Tussenvorm, neigt naar nieuw",
    ("tussenvorm", "old"): "Tussenvorm, neigt naar oud",
    ("tussenvorm", None): "Tussenvorm",
    ("old", None): "Oud model (VNG 2006)",
    ("amendment", None): "Wijzigingsverordening",
    ("not_wmo", None): "Geen Wmo-verordening",
}
_TMP_FILE = re.compile(r"^\..+\.tmp$")  # what report.write_atomic leaves behind when killed
CACHE_TAG = "CACHEDIR.TAG"  # https://bford.info/cachedir/ : backup tools skip the cache
_CACHE_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# Cache van verordeningcheck batch; mag worden verwijderd (dan wordt alles opnieuw getoetst).\n"
)
_CACHE_FILE = re.compile(r"^[0-9a-f]{32}\.(json|html)$")


class BatchUsageError(VerordeningcheckError):
    """The command cannot run as given (nothing found, output inside the input, ...): exit 2."""

    code = "usage"


class _Cancelled(Exception):
    pass


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class InputFile:
    path: str  # absolute path, as found (symbolic links not resolved)
    rel: str  # path relative to the input root, with "/" separators
    report: str  # file name of its report in rapporten/


@dataclass
class Row:
    """One input file: its result or the reason it failed."""

    file: str
    status: str  # "ok" | "fout"
    sha256: str | None = None
    report: str | None = None  # "rapporten/<name>.html" for a checked file
    error_code: str | None = None
    error: str | None = None  # Dutch message for a failed file
    result: dict[str, Any] | None = None  # CheckResult.to_dict()
    element_status: dict[str, str] = field(default_factory=dict)  # id -> ja | zwak | ontkend | nee
    from_cache: bool = False
    cache_key: str | None = None  # the key its cache entry was stored under (with its exceptions)
    source_url: str | None = None  # the public link of a file downloaded by batch --zoek/--gemeente

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def get(self, key: str) -> Any:
        return (self.result or {}).get(key)

    @property
    def verdict_key(self) -> tuple[str, str | None] | None:
        if not self.ok:
            return None
        verdict = self.get("verdict")
        lean = self.get("lean") if verdict == "tussenvorm" else None
        return (verdict, lean)

    def to_json(self) -> dict[str, Any]:
        """The object of ``CheckResult.to_dict()`` with the batch fields (or, for a failed file,
        the batch fields and ``error: {code, message}``, as ``check --format json`` does)."""
        data: dict[str, Any] = {}
        if self.result is not None:
            data.update(self.result)
        data.update(
            file=self.file,
            status=self.status,
            sha256=self.sha256,
            report=self.report,
            element_status=dict(self.element_status),
            error=None if self.ok else {"code": self.error_code, "message": self.error},
            source_url=self.source_url or data.get("source_url"),
        )
        return data


@dataclass
class BatchSummary:
    output: Path
    rows: list[Row]
    checked: int  # files checked in this run (not from the cache)
    cached: int  # files taken from the cache
    seconds: float
    root: str
    elements: list[str]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if not row.ok)

    @property
    def verdicts(self) -> Counter:
        return Counter(row.verdict_key for row in self.rows if row.ok)

    @property
    def index(self) -> Path:
        return self.output / "index.html"

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_OK


# ---------------------------------------------------------------- discovery


def _glob_root(pattern: str) -> str:
    """The directory part of a pattern before its first wildcard."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return os.path.abspath(os.path.join(*fixed)) if fixed else os.path.abspath(".")


def _key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _is_batch_output(directory: str) -> bool:
    """An output directory of an earlier batch (its reports are no ordinances)."""
    return os.path.isfile(os.path.join(directory, CACHE_DIR, CACHE_TAG)) and os.path.isfile(
        os.path.join(directory, "results.json")
    )


def _excluded(rel: str, patterns: Iterable[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def discover(arguments: Iterable[str], output: Path, exclude: Iterable[str] = ()) -> tuple[list[InputFile], str]:
    """The files to check, in a stable order, and the input root their paths are relative to.

    Directories are searched recursively for supported files (hidden files and directories,
    and the output directory, are skipped); patterns are expanded here (``**`` for any depth);
    a file named as such is always taken. Raises :class:`BatchUsageError` (Dutch) when an
    argument finds nothing or the output directory would mix with the input.
    """
    arguments = list(arguments)
    exclude = tuple(exclude)
    if not arguments:
        raise BatchUsageError("geef minstens één bestand, map of patroon.")
    out_key = _key(str(output))
    own_dirs = (_key(str(output / REPORTS_DIR)), _key(str(output / CACHE_DIR)))
    own_files = {_key(str(output / name)) for name in OUTPUT_FILES}

    def inside(key: str, directory: str) -> bool:
        return key == directory or key.startswith(directory.rstrip(os.sep) + os.sep)

    def generated(key: str) -> bool:
        """An output of batch in OUTDIR (never read as input)."""
        return key in own_files or any(inside(key, d) for d in own_dirs)

    found: list[tuple[str, str]] = []  # (absolute path, key)
    roots: list[str] = []
    for argument in arguments:
        candidate = Path(argument)
        if candidate.is_dir():
            directory = os.path.abspath(argument)
            if _key(directory) == out_key:
                raise BatchUsageError(
                    f"de uitvoermap {output} is ook een invoermap; kies een andere map bij --output.", argument
                )
            if generated(_key(directory)) or _is_batch_output(directory):
                raise BatchUsageError("deze map is uitvoer van batch; kies een andere invoermap.", argument)
            roots.append(directory)
            hits = []
            for current, dirs, files in os.walk(directory):
                # hidden directories, the output directory (when it lies inside the input) and the
                # output directories of earlier batches are skipped
                dirs[:] = sorted(
                    d for d in dirs
                    if not _hidden(d) and _key(os.path.join(current, d)) != out_key
                    and not _is_batch_output(os.path.join(current, d))
                )
                for name in files:
                    if not supported(Path(name)):
                        continue
                    path = os.path.join(current, name)
                    key = _key(path)
                    if generated(key) or not os.path.isfile(path):
                        continue
                    hits.append((path, key))
            if not hits:
                raise BatchUsageError(
                    "deze map bevat geen ondersteunde bestanden (" + " ".join(SUPPORTED_SUFFIXES) + ").", argument
                )
            found.extend(hits)
        elif candidate.exists() or not glob.has_magic(argument):
            if not candidate.exists():
                raise BatchUsageError("bestand of map niet gevonden.", argument)
            path = os.path.abspath(argument)
            key = _key(path)
            if key == out_key:
                raise BatchUsageError("de uitvoermap mag niet een invoerbestand zijn; kies een andere map bij --output.", argument)
            if generated(key):
                raise BatchUsageError("dit bestand is uitvoer van batch in de uitvoermap; kies een ander bestand of een andere --output.", argument)
            roots.append(os.path.dirname(path))
            found.append((path, key))
        else:
            hits = []
            glob_root = _glob_root(argument)
            for match in sorted(glob.glob(argument, recursive=True)):
                if not os.path.isfile(match) or not supported(Path(match)):
                    continue
                path = os.path.abspath(match)
                key = _key(path)
                if generated(key) or (inside(key, out_key) and not inside(_key(glob_root), out_key)):
                    continue  # the output directory is skipped when a pattern reaches into it
                below = Path(os.path.relpath(path, glob_root)).parts
                if any(_hidden(part) for part in below):
                    continue
                if any(_is_batch_output(os.path.join(glob_root, *below[:i])) for i in range(len(below))):
                    continue
                hits.append((path, key))
            if not hits:
                raise BatchUsageError("geen ondersteunde bestanden gevonden voor dit patroon.", argument)
            roots.append(glob_root)
            found.extend(hits)

    try:
        root = os.path.commonpath(roots)
    except ValueError:  # different drives (Windows): absolute paths
        root = ""
    seen: set[str] = set()
    unique: list[tuple[str, str]] = []
    for path, key in found:
        if key in seen:
            continue
        seen.add(key)
        rel = Path(os.path.relpath(path, root)).as_posix() if root else Path(path).as_posix()
        # a file name that is not valid UTF-8 (possible on Linux) is shown with U+FFFD; the file
        # itself is read by its real path
        rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if exclude and _excluded(rel, exclude):
            continue
        unique.append((path, rel))
    if not unique:
        raise BatchUsageError("niets te toetsen: alle gevonden bestanden vallen onder --exclude.")
    unique.sort(key=lambda item: item[1])
    names = report_names([rel for _path, rel in unique])
    return [InputFile(path, rel, names[rel]) for path, rel in unique], root


def report_names(rels: list[str]) -> dict[str, str]:
    """A stable, distinct report file name per relative path: ``<stem>-<ext>.html``, with a
    short hash of the path when two files would get the same name (case-insensitively)."""

    def base(rel: str) -> str:
        p = PurePosixPath(rel)
        ext = p.suffix.lstrip(".").lower()
        stem = p.stem if p.suffix else p.name
        name = f"{stem}-{ext}" if ext else stem
        name = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "rapport"
        return name[:100]

    counts = Counter(base(rel).lower() for rel in rels)
    names = {}
    for rel in rels:
        name = base(rel)
        if counts[name.lower()] > 1:
            name = f"{name}-{hashlib.sha256(rel.encode('utf-8')).hexdigest()[:8]}"
        names[rel] = name + ".html"
    return names


# ---------------------------------------------------------------- the worker task


def check_task(data: bytes, name: str, limits: Limits, rules_dirs: tuple[str, ...],
               exceptions: dict[str, dict] | None = None, wet: str | None = None) -> tuple[dict, dict, str]:
    """Runs in a worker process: check the bytes of one file and render its report.

    Returns ``(CheckResult.to_dict(), {element id: status}, report HTML)`` (all picklable);
    the status is the report's own vocabulary (``report._status``: ja, zwak, ontkend, nee).
    """
    from .pipeline import check
    from .report import _status, render_html

    result = check(data, name=name, rules=[Path(d) for d in rules_dirs] or None, limits=limits, exceptions=exceptions,
                   wet=wet)
    statuses = {element.id: _status(element) for element in result.verdict.elements}
    return result.to_dict(), statuses, render_html(result)


# ---------------------------------------------------------------- cache


class _Cache:
    """``OUTDIR/.cache``: ``<key>.json`` (the row) and ``<key>.html`` (its report)."""

    def __init__(self, directory: Path, salt: dict[str, Any]):
        self.directory = directory
        self.salt = salt
        self.used: set[str] = set()
        self._lock_file = None

    def key(self, sha: str, rel: str, exceptions: dict | None = None, wet: str | None = None) -> str:
        extra = {"exceptions": exceptions} if exceptions else {}  # .verordeningcheck.yaml changes the result
        if wet:
            extra["wet"] = wet  # so does --wet
        payload = json.dumps(dict(self.salt, sha256=sha, file=rel, **extra), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(payload.encode("ascii")).hexdigest()[:32]

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / CACHE_TAG
        if not tag.is_file():
            _write_file(tag, _CACHE_TAG_TEXT)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on Windows: no lock
            return
        fh = open(self.directory / "lock", "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise BatchUsageError(
                "er draait al een batch met deze uitvoermap; wacht tot die klaar is of kies een andere --output.",
                str(self.directory.parent),
            ) from None
        self._lock_file = fh

    def close(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def load(self, key: str) -> dict | None:
        path = self.directory / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("cache_format") != CACHE_FORMAT or entry.get("key") != key:
            return None
        if entry.get("status") == "ok" and not (self.directory / f"{key}.html").is_file():
            return None
        self.used.add(key)
        return entry

    def store(self, key: str, entry: dict, html: str | None) -> None:
        if html is not None:
            _write_file(self.directory / f"{key}.html", html)  # the report first: the JSON marks it complete
        _write_file(self.directory / f"{key}.json", json.dumps(dict(entry, key=key, cache_format=CACHE_FORMAT), ensure_ascii=False))
        self.used.add(key)

    def report(self, key: str) -> str:
        return (self.directory / f"{key}.html").read_text(encoding="utf-8")

    def prune(self) -> None:
        """Remove entries this run did not use (old versions of changed files)."""
        for path in self.directory.iterdir():
            if _CACHE_FILE.match(path.name) and path.name.split(".")[0] not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass


def _remove_temp_files(output: Path) -> None:
    """Temp files of write_atomic left by an interrupted run (SIGKILL): never a result. In
    OUTDIR itself only those of the summary files (the directory may hold other files)."""
    own = tuple(f".{name}." for name in OUTPUT_FILES)
    for directory, prefixes in ((output, own), (output / REPORTS_DIR, ("",)), (output / CACHE_DIR, ("",))):
        try:
            entries = list(directory.iterdir())
        except OSError:
            continue
        for path in entries:
            if _TMP_FILE.match(path.name) and path.name.startswith(prefixes) and path.is_file():
                try:
                    path.unlink()
                except OSError:
                    pass


# ---------------------------------------------------------------- running


def run_batch(
    inputs: Iterable[str],
    output: str | os.PathLike,
    *,
    jobs: int | None = None,
    rules_dirs: Iterable[str | os.PathLike] = (),
    limits: Limits | None = None,
    recheck: bool = False,
    exclude: Iterable[str] = (),
    progress: Callable[[Row | None, int, int], None] | None = None,
    wet: str | None = None,
    config_path: str | os.PathLike | None = None,
) -> BatchSummary:
    """Check every ordinance in ``inputs`` (files, directories, patterns); write the outputs
    to ``output``; return a :class:`BatchSummary`.

    Raises :class:`BatchUsageError` (nothing found, bad output directory), ``ConfigError`` or
    ``RulesError`` (settings, not one file). A file that cannot be checked is a failed row.
    ``progress(row, done, total)`` is called from the calling thread once before the first
    file (``row`` None, ``done`` 0) and after each file. ``wet`` and ``config_path`` are
    ``--wet`` and ``--config`` of check (else each file's nearest .verordeningcheck.yaml).
    """
    from .pipeline import get_ruleset
    started = time.monotonic()
    output = Path(output)
    limits = limits or Limits.from_env()
    rules_dirs = tuple(str(Path(d).resolve()) for d in rules_dirs)
    ruleset = get_ruleset([Path(d) for d in rules_dirs])  # a broken rule set stops here (RulesError)
    files, root = discover(inputs, output, exclude)
    if output.exists() and not output.is_dir():
        raise BatchUsageError("bestaat al en is geen map; geef bij --output een (nieuwe) map.", str(output))
    jobs = max(1, jobs or available_cores())

    try:
        (output / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchUsageError(f"kan de uitvoermap niet maken ({os_reason(exc)}).", str(output)) from None
    cache = _Cache(output / CACHE_DIR, {
        "format": CACHE_FORMAT,
        "version": __version__,
        "ruleset": ruleset.version,
        "limits": asdict(limits),
    })
    try:
        cache.open()
    except OSError as exc:
        raise OutputError(f"kan de cache niet openen ({os_reason(exc)}).", str(output)) from None
    try:
        _remove_temp_files(output)
        rows, closing = _check_all(files, cache, limits, rules_dirs, jobs, recheck, progress,
                                   wet=wet, config_path=config_path)
        try:
            from .bron.search import source_links

            links = source_links(item.path for item in files)  # bronnen.csv of batch --zoek/--gemeente
            for item, row in zip(files, rows):
                row.source_url = links.get(item.path)
            cached = sum(1 for row in rows if row.from_cache)
            summary = BatchSummary(output, rows, len(rows) - cached, cached, 0.0, root, list(CATALOGUE))
            _write_outputs(summary, files, cache, ruleset)
            cache.prune()
        finally:
            closing.join()
    finally:
        cache.close()
    summary.seconds = time.monotonic() - started
    return summary


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _write_file(path: Path, text: str) -> None:
    """``report.write_atomic`` without its sweep for leftovers beside the target: run_batch
    removes all leftovers of killed runs once at start (``_remove_temp_files``); a sweep per
    write would list rapporten/ and .cache/ once per file, quadratic in the batch."""
    from .report import write_atomic

    write_atomic(path, text, clean_stale=False)


def _writing(func, target, *args) -> None:
    try:
        func(target, *args)
    except OSError as exc:
        where = target if isinstance(target, Path) else "de cache"
        raise OutputError(f"kan niet schrijven in de uitvoermap ({where}: {os_reason(exc)}).") from None


def available_cores() -> int:
    """The cores this process may use (respects CPU affinity, e.g. in a container)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _failed_row(item: InputFile, exc: BaseException, sha: str | None) -> Row:
    if isinstance(exc, VerordeningcheckError):
        code, message = exc.code, exc.message
    else:
        name = getattr(exc, "cls_name", type(exc).__name__)
        detail = str(exc)
        code = "internal"
        message = f"interne fout bij het toetsen ({detail if name in detail else f'{name}: {detail}'}); meld dit probleem."
    return Row(file=item.rel, status="fout", sha256=sha, error_code=code, error=" ".join(str(message).split()))


def _row_from_entry(item: InputFile, entry: dict, from_cache: bool) -> Row:
    return Row(
        file=item.rel,
        status=entry["status"],
        sha256=entry.get("sha256"),
        report=f"{REPORTS_DIR}/{item.report}" if entry["status"] == "ok" else None,
        error_code=entry.get("error_code"),
        error=entry.get("error"),
        result=entry.get("result"),
        element_status=dict(entry.get("element_status") or {}),
        from_cache=from_cache,
    )


def _check_all(files, cache: _Cache, limits: Limits, rules_dirs, jobs: int, recheck: bool, progress, *,
               wet: str | None = None, config_path=None):
    from .load import read_input
    from .workers import CheckTimeout, WorkerCrashed, WorkerError, WorkerPool, WorkerStartError

    reports = cache.directory.parent / REPORTS_DIR

    from .pipeline import get_ruleset
    from .repoconfig import exceptions_for_file

    ruleset = get_ruleset([Path(d) for d in rules_dirs])
    known_requirements = {i for c in ruleset.requirement_catalogues() for i in c.items}
    stop = threading.Event()
    pool = WorkerPool(jobs, limits, rules_dirs)

    def one(item: InputFile) -> Row:
        if stop.is_set():
            raise _Cancelled()
        try:
            data, _name = read_input(item.path, limits)
        except InputError as exc:
            return _failed_row(item, exc, None)
        sha = hashlib.sha256(data).hexdigest()
        exceptions = exceptions_for_file(item.path, known_requirements, config_path)  # ConfigError stops
        key = cache.key(sha, item.rel, exceptions, wet)
        if not recheck:
            hit = cache.load(key)
            if hit is not None:
                row = _row_from_entry(item, hit, True)
                row.cache_key = key
                return row
        if stop.is_set():
            raise _Cancelled()
        try:
            result, statuses, html = pool.run(check_task, data, item.rel, limits, rules_dirs, exceptions, wet)
        except (ConfigError, RulesError, WorkerStartError):  # settings, or no worker can start: stop
            raise
        except (CheckTimeout, WorkerCrashed, WorkerError) as exc:  # may pass on a retry: not cached
            if stop.is_set():
                raise _Cancelled() from None
            return _failed_row(item, exc, sha)
        except VerordeningcheckError as exc:  # the content cannot be read: the same next time
            row = _failed_row(item, exc, sha)
            _writing(cache.store, key, {"status": "fout", "sha256": sha, "error_code": row.error_code, "error": row.error}, None)
            return row
        except RuntimeError:
            if stop.is_set():
                raise _Cancelled() from None
            raise
        entry = {"status": "ok", "sha256": sha, "result": result, "element_status": statuses}
        _writing(cache.store, key, entry, html)
        _writing(_write_file, reports / item.report, html)  # now, in parallel; checked again at the end
        row = _row_from_entry(item, entry, False)
        row.cache_key = key
        return row

    rows: dict[str, Row] = {}
    # two threads per worker: while one writes a finished report and reads the next file, the
    # other keeps the worker busy (with one, each worker idled during that parent-side work)
    executor = ThreadPoolExecutor(max_workers=min(2 * jobs, len(files)), thread_name_prefix="batch")
    try:
        # largest files first: the last ones to finish are small, so no worker idles at the end
        order = sorted(files, key=lambda item: -_size(item.path))
        pending = {executor.submit(one, item): item for item in order}
        if progress is not None:
            progress(None, 0, len(files))
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                row = future.result()  # ConfigError / RulesError stop the batch
                rows[item.rel] = row
                if progress is not None:
                    progress(row, len(rows), len(files))
    except BaseException:
        stop.set()
        executor.shutdown(wait=False, cancel_futures=True)
        pool.close()
        raise
    executor.shutdown(wait=True)
    # stopping the workers takes a moment (each process tears down its libraries): let that
    # happen while the summary files are written; run_batch joins the thread at the end
    closing = threading.Thread(target=pool.close, name="batch-close", daemon=True)
    closing.start()
    return [rows[item.rel] for item in files], closing


# ---------------------------------------------------------------- outputs


def requirement_status(row: Row) -> dict[str, str]:
    """requirement id -> status (present | missing | absent | exception | not_applicable) of
    every requirement catalogue in a row's result, for the law that applies."""
    found: dict[str, str] = {}
    for catalogue in ((row.result or {}).get("catalogues") or {}).values():
        for requirement in catalogue.get("requirements") or []:
            found[requirement["id"]] = requirement["status"]
    return found


def requirement_columns(summary: BatchSummary) -> list[tuple[str, list[str]]]:
    """(catalogue id, requirement ids in catalogue order) for every requirement catalogue seen."""
    columns: dict[str, list[str]] = {}
    for row in summary.rows:
        for cat_id, catalogue in ((row.result or {}).get("catalogues") or {}).items():
            ids = columns.setdefault(cat_id, [])
            for requirement in catalogue.get("requirements") or []:
                if requirement["id"] not in ids:
                    ids.append(requirement["id"])
    return list(columns.items())


def render_csv(summary: BatchSummary) -> str:
    legal = requirement_columns(summary)
    legal_head = []
    for cat_id, ids in legal:  # per requirement catalogue: the law, the missing ids, then each requirement
        legal_head += [f"{cat_id}_wet", f"{cat_id}_ontbreekt"] + ids
    rows = []
    for row in summary.rows:
        values = [
            _cell(row.file), _cell(row.get("gemeente")), _cell(row.get("title")), _cell(row.get("format")),
            _cell(row.get("verdict")), _cell(row.get("lean")), _dutch_number(row.get("confidence")),
            _cell(row.get("generation")), row.status, _cell(row.error), row.sha256 or "", _cell(row.report),
            _cell(row.source_url),
        ]
        values += [row.element_status.get(element_id, "") for element_id in summary.elements]
        statuses = requirement_status(row)
        for cat_id, ids in legal:
            catalogue = ((row.result or {}).get("catalogues") or {}).get(cat_id) or {}
            values += [_cell(catalogue.get("law")), _cell(" ".join(catalogue.get("missing") or []))]
            values += [statuses.get(requirement_id, "") for requirement_id in ids]
        rows.append(values)
    return excel.render(list(CSV_FIELDS) + summary.elements + legal_head, rows)


def render_json(summary: BatchSummary, ruleset) -> str:
    data = {
        "tool": "verordeningcheck",
        "version": __version__,
        "ruleset": ruleset.version,
        "root": summary.root,
        "elements": summary.elements,
        "counts": _counts(summary),
        "files": [row.to_json() for row in summary.rows],
    }
    # one file object per line: readable, and the C encoder (indent= would use the slow one)
    files = data.pop("files")
    head = json.dumps(data, ensure_ascii=False, indent=2)
    body = ",\n".join("    " + json.dumps(f, ensure_ascii=False) for f in files)
    return head[:-2] + ',\n  "files": [\n' + body + ("\n  ]\n}\n" if body else "]\n}\n")


def _counts(summary: BatchSummary) -> dict[str, Any]:
    verdicts = Counter(row.get("verdict") for row in summary.rows if row.ok)
    return {
        "files": summary.total,
        "ok": summary.total - summary.failed,
        "failed": summary.failed,
        "verdicts": {k: verdicts[k] for k in ("old", "tussenvorm", "new", "not_wmo", "amendment") if verdicts[k]},
    }


def _verdict_rank(key) -> int:
    try:
        return VERDICT_ORDER.index(key)
    except ValueError:
        return len(VERDICT_ORDER)


def render_index(summary: BatchSummary, ruleset) -> str:
    from .labels import FORMAT_NL, GENERATION_NL
    from .report import MODEL_HEADING_NL, REQUIREMENT_MARKS, STATUS, _environment

    documents = []
    for number, row in enumerate(summary.rows, start=1):
        if not row.ok:
            continue
        name = PurePosixPath(row.file).name
        key = row.verdict_key
        documents.append({
            "number": number,
            "row": row,
            "file": row.file,
            "name": name,
            "label": row.get("gemeente") or name,
            "has_gemeente": bool(row.get("gemeente")),
            "title": row.get("title") or "",
            "format": FORMAT_NL.get(row.get("format") or "", row.get("format") or ""),
            "verdict_key": "-".join(k for k in key if k),
            "verdict_short": VERDICT_SHORT.get(key, str(key[0])),
            "verdict_long": VERDICT_LONG.get(key, str(key[0])),
            "confidence": row.get("confidence") or 0.0,
            "generation": GENERATION_NL.get(row.get("generation") or "", "—"),
            "href": quote(row.report),  # ok rows always have their report
            "source_url": row.source_url,
            "status": row.element_status,
            "legal": requirement_status(row),
        })
    columns = sorted(documents, key=lambda d: (_verdict_rank(d["row"].verdict_key), d["file"]))
    labels = Counter(d["label"] for d in columns)
    for d in columns:  # the file name in the column head only where the municipality is not enough
        d["show_name"] = d["has_gemeente"] and labels[d["label"]] > 1

    element_rows = []
    for element_id in summary.elements:
        element = ruleset.elements.get(element_id)
        model = element.model if element else ""
        present = sum(1 for d in columns if d["status"].get(element_id) == "ja")
        element_rows.append({"id": element_id, "model": model, "title": element.title if element else element_id,
                             "present": present})
    groups = []
    for model in ("2010", "2006", "tussen"):
        members = [e for e in element_rows if e["model"] == model]
        if members:
            groups.append((MODEL_HEADING_NL[model], members))
    other = [e for e in element_rows if e["model"] not in MODEL_HEADING_NL]
    if other:
        groups.append(("Overige elementen", other))

    requirement_groups = []  # the requirement catalogues (Wettelijke eisen) as further row groups
    for cat_id, ids in requirement_columns(summary):
        catalogue = ruleset.catalogues.get(cat_id)
        members = []
        for requirement_id in ids:
            item = ruleset.elements.get(requirement_id)
            members.append({
                "id": requirement_id,
                "title": item.title if item else requirement_id,
                "reference": item.law.get("reference", "") if item else "",
                "present": sum(1 for d in columns if d["legal"].get(requirement_id) in ("present", "exception")),
                "applies": sum(1 for d in columns if d["legal"].get(requirement_id, "not_applicable") != "not_applicable"),
            })
        requirement_groups.append((catalogue.title if catalogue else cat_id, members))

    verdicts = summary.verdicts
    distribution = [
        {"key": "-".join(k for k in key if k), "label": VERDICT_LONG[key], "short": VERDICT_SHORT[key],
         "count": verdicts.get(key, 0)}
        for key in VERDICT_ORDER if verdicts.get(key, 0) or key[1] is not None or key[0] in ("old", "new")
    ]
    if summary.failed:
        distribution.append({"key": "fout", "label": "Niet getoetst (fout)", "short": "fout", "count": summary.failed})
    largest = max([d["count"] for d in distribution] + [1])
    for d in distribution:
        d["percent"] = round(100 * d["count"] / summary.total) if summary.total else 0
        d["width"] = round(100 * d["count"] / largest, 1)

    failures = [
        {"number": number, "file": row.file, "message": row.error or "onbekende fout"}
        for number, row in enumerate(summary.rows, start=1) if not row.ok
    ]
    env = _environment()
    template = env.get_template("batch_index.html")
    return template.render(
        summary=summary,
        documents=documents,
        columns=columns,
        groups=groups,
        distribution=distribution,
        failures=failures,
        status_marks=STATUS,
        requirement_groups=requirement_groups,
        requirement_marks=REQUIREMENT_MARKS,
        verdict_legend=[(VERDICT_SHORT[k], VERDICT_LONG[k]) for k in VERDICT_ORDER if k != ("tussenvorm", None)],
        root=summary.root,
        version=__version__,
        ruleset_version=ruleset.version,
    )


def _write_outputs(summary: BatchSummary, files: list[InputFile], cache: _Cache, ruleset) -> None:
    reports = summary.output / REPORTS_DIR
    wanted = set()
    for item, row in zip(files, summary.rows):
        if not row.ok:
            continue
        target = reports / item.report
        wanted.add(item.report)
        if not row.from_cache:
            continue  # written as the file finished
        html = cache.report(row.cache_key or cache.key(row.sha256, item.rel))
        try:
            if target.read_text(encoding="utf-8") == html:
                continue
        except OSError:
            pass
        _writing(_write_file, target, html)
    for path in reports.iterdir():  # reports of files that are no longer part of the batch
        if path.suffix == ".html" and path.name not in wanted and path.is_file():
            try:
                path.unlink()
            except OSError:
                pass
    _writing(_write_file, summary.output / "results.csv", render_csv(summary))
    _writing(_write_file, summary.output / "results.json", render_json(summary, ruleset))
    _writing(_write_file, summary.output / "index.html", render_index(summary, ruleset))


# ---------------------------------------------------------------- command line


def summary_lines(summary: BatchSummary) -> list[str]:
    def plural(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    seconds = f"{summary.seconds:.1f}".replace(".", ",")  # Dutch decimal comma
    lines = [
        f"{plural(summary.total, 'bestand', 'bestanden')}: {summary.checked} getoetst, "
        f"{summary.cached} uit de cache, {summary.failed} mislukt ({seconds} s)."
    ]
    verdicts = summary.verdicts
    parts = [f"{VERDICT_SHORT[key]} {verdicts[key]}" for key in VERDICT_ORDER if verdicts.get(key)]
    if parts:
        lines.append("Oordelen: " + ", ".join(parts) + ".")
    for cat_id, _ids in requirement_columns(summary):
        checked = [row for row in summary.rows if ((row.result or {}).get("catalogues") or {}).get(cat_id, {}).get("applicable")]
        short = [row for row in checked if row.result["catalogues"][cat_id].get("missing")]
        title = next((row.result["catalogues"][cat_id].get("title") for row in checked), cat_id)
        if checked:
            lines.append(
                f"{title}: {len(checked) - len(short)} van {len(checked)} getoetste verordeningen regelen alle "
                f"verplichte onderdelen" + (f"; bij {len(short)} ontbreekt er minstens één." if short else ".")
            )
    if summary.failed:
        lines.append(f"Mislukt: {summary.failed} (zie de foutmeldingen in het overzicht en in results.csv).")
    lines.append(f"Overzicht: {summary.index} (ook results.csv, results.json en {REPORTS_DIR}/).")
    return lines


@click.command("batch")
@click.argument("inputs", nargs=-1, required=False, metavar="MAP_OF_PATROON...")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Map voor het overzicht (index.html), results.csv, results.json en de rapporten.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Aantal bestanden tegelijk (standaard: het aantal processorkernen).")
@click.option("--recheck", is_flag=True, default=False,
              help="Toets alle bestanden opnieuw, ook als ze sinds de vorige keer niet veranderd zijn.")
@click.option("--exclude", multiple=True, metavar="PATROON",
              help="Sla bestanden over waarvan het pad (vanaf de invoermap) of de naam op dit patroon lijkt, "
                   "bijvoorbeeld --exclude README.md of --exclude 'concepten/*' (herhaalbaar).")
@wet_option
@config_option
@rules_option
@limit_options
@click.option("--max-check-seconds", type=float, default=None,
              help="Maximale tijd in seconden voor het toetsen van één bestand (standaard 120); "
                   "daarna wordt het afgebroken en als fout gemeld.")
@search_options
def batch_command(inputs: tuple[str, ...], output: Path, jobs: int | None, recheck: bool, exclude: tuple[str, ...],
                  wet: str | None, config_path: Path | None, rules_dirs: tuple[Path, ...], max_mb: float | None, max_pages: int | None,
                  max_check_seconds: float | None, **search) -> None:
    """Toets een hele map met verordeningen tegelijk en maak een overzicht.

    MAP_OF_PATROON is een map (die met submappen wordt doorzocht), een bestand of een patroon
    zoals 'verordeningen/**/*.pdf'. In de uitvoermap komen index.html (het overzicht),
    results.csv (voor Excel), results.json en per document een rapport in rapporten/.
    Een tweede keer toetst alleen de bestanden die veranderd zijn.

    Met --zoek en/of --gemeente worden de regelingen uit de CVDR-databank gehaald (in
    bronnen/ in de uitvoermap, met bronnen.csv: de link per bestand) en getoetst.

    Afsluitcode: 0 alle bestanden getoetst, 1 een of meer bestanden konden niet worden
    getoetst (ze staan in het overzicht), 2 de opdracht is onjuist of er is niets gevonden.
    """
    limits = limits_from_options(max_mb=max_mb, max_pages=max_pages, max_check_seconds=max_check_seconds)
    if search["zoek"] or search["gemeente"] or search["titel"]:
        inputs = tuple(inputs) + (search_inputs(output, limits=limits, **search),)
    bar = None

    def progress(row: Row | None, done: int, total: int) -> None:
        nonlocal bar
        if row is None:
            bar = click.progressbar(length=total, label="Toetsen", file=sys.stderr, show_pos=True, show_eta=False, width=30)  # no ETA: the start-up made it minutes too high
            bar.__enter__()
        else:
            bar.update(1)

    try:
        summary = run_batch(inputs, output, jobs=jobs, rules_dirs=rules_dirs, limits=limits, recheck=recheck,
                            exclude=exclude, progress=progress if sys.stderr.isatty() else None,
                            wet=wet, config_path=config_path)
    except KeyboardInterrupt:
        if bar is not None:
            bar.__exit__(None, None, None)
            bar = None
        click.echo("\nverordeningcheck: afgebroken. Wat al getoetst is, staat in de cache: draai dezelfde "
                   "opdracht opnieuw om verder te gaan.", err=True)
        raise click.exceptions.Exit(130) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in summary_lines(summary):
        click.echo(line, err=True)
    if summary.exit_code:
        raise click.exceptions.Exit(summary.exit_code)
