"""Locate the bundled rules and templates, installed or in a source checkout."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _bundled_dir(package: str, source_dir: str) -> Path:
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir() and any(path.iterdir()):
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return _SOURCE_ROOT / source_dir


def rules_dir() -> Path:
    return _bundled_dir("verordeningcheck.rules", "rules")


def templates_dir() -> Path:
    return _bundled_dir("verordeningcheck.templates", "templates")
