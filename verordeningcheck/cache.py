"""The user cache directory (lemma table, rule validation stamps), shared by the modules.

``VERORDENINGCHECK_CACHE_DIR`` sets it; ``off`` (or ``0``, ``no``, ``false``, empty) disables
every cache. Without it: ``$XDG_CACHE_HOME/verordeningcheck`` (``~/.cache/verordeningcheck``),
or ``%LOCALAPPDATA%\\verordeningcheck\\Cache`` on Windows. Everything in it can be rebuilt:
deleting the directory only costs time.
"""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CACHE_ENV = "VERORDENINGCHECK_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache directory (not created), or ``None`` when caching is off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None and configured.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "verordeningcheck" / "Cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "verordeningcheck"


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temp file beside ``path`` (its folder created) for the block to write; renamed onto
    ``path`` when the block ends, removed when it raises: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`replacing`."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def touch_stamp(path: Path) -> None:
    """Create an empty marker file atomically; a cache that cannot be written is ignored."""
    try:
        with replacing(path):
            pass
    except OSError:
        pass
