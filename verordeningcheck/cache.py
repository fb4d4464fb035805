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
from pathlib import Path

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


def touch_stamp(path: Path) -> None:
    """Create an empty marker file atomically; a cache that cannot be written is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.replace(tmp, path)
    except OSError:
        pass
