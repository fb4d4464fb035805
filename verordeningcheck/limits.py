"""Resource limits for reading untrusted input, with safe defaults.

Every limit can be overridden with an environment variable
(``VERORDENINGCHECK_MAX_BYTES`` etc.) or, for the CLI, an option.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # raw input size
    max_pages: int = 500  # PDF pages
    max_seconds: float = 60.0  # wall time for reading one PDF
    max_archive_entries: int = 2000  # DOCX zip entries
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # DOCX total uncompressed
    max_compression_ratio: float = 200.0  # per DOCX entry
    max_text_chars: int = 20 * 1024 * 1024  # extracted text

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Limits":
        environ = os.environ if environ is None else environ
        limits = cls()
        changes = {}
        for f in fields(cls):
            value = environ.get(f"VERORDENINGCHECK_{f.name.upper()}")
            if value:
                changes[f.name] = float(value) if f.type in ("float", float) else int(value)
        return replace(limits, **changes) if changes else limits


DEFAULT_LIMITS = Limits()
