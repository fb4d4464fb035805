"""Locate the bundled rules and templates, installed or in a source checkout.

Installed (``pip install .``) they live inside the package (``verordeningcheck/rules``,
``verordeningcheck/templates``, mapped by setup.cfg); in a source checkout they are the
top-level ``rules/`` and ``templates/`` folders.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled_dir(name: str) -> Path:
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def rules_dir() -> Path:
    return _bundled_dir("rules")


def templates_dir() -> Path:
    return _bundled_dir("templates")
