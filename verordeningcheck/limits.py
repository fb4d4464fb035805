"""Resource limits for reading untrusted input, with safe defaults.

Every limit can be set, from low to high precedence, in

1. a TOML configuration file named by ``VERORDENINGCHECK_CONFIG``, in a ``[limits]`` table::

       [limits]
       max_bytes = 20_000_000      # or: max_mb = 20
       max_pages = 200
       max_seconds = 30

2. an environment variable per limit: ``VERORDENINGCHECK_MAX_BYTES``, ``VERORDENINGCHECK_MAX_PAGES``, ...
   (and ``VERORDENINGCHECK_MAX_MB`` as a convenience for ``max_bytes``);
3. for the CLI, the options ``--max-mb`` and ``--max-pages``.

An invalid value, an unknown key or an unreadable configuration file raises
:class:`~verordeningcheck.errors.ConfigError` with a Dutch message (exit code 2 in the CLI).
User documentation: ``docs/limits.md``.
"""
from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError, os_reason

CONFIG_ENV = "VERORDENINGCHECK_CONFIG"
ENV_PREFIX = "VERORDENINGCHECK_"
_MB = 1024 * 1024
_MAX_CONFIG_BYTES = _MB  # a settings file, not data: refuse /dev/zero and the like


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # raw input size
    max_pages: int = 500  # PDF pages
    max_seconds: float = 60.0  # wall time for reading one PDF
    max_archive_entries: int = 2000  # DOCX zip entries
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # DOCX total uncompressed
    max_compression_ratio: float = 200.0  # per DOCX entry
    max_text_chars: int = 20 * 1024 * 1024  # extracted text
    max_check_seconds: float = 120.0  # wall time for one whole check in batch and the web app

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        """Defaults, then the config file in ``VERORDENINGCHECK_CONFIG``, then the environment."""
        environ = os.environ if environ is None else environ
        limits = cls()
        config = environ.get(CONFIG_ENV, "").strip()
        if config:
            limits = replace(limits, **_config_changes(Path(config)))
        return replace(limits, **_env_changes(environ))

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Limits":
        """Defaults overridden by the ``[limits]`` table of one TOML file (no environment)."""
        return replace(cls(), **_config_changes(Path(path)))


DEFAULT_LIMITS = Limits()


def limits_from_options(base: Limits | None = None, **options: Any) -> Limits:
    """The limits from the environment (or ``base``) with command-line options applied.

    ``options`` uses the setting names (``max_mb``, ``max_pages``, ``max_check_seconds``...);
    ``None`` means "not given". Values are validated like the config file: a Dutch
    :class:`ConfigError` names the option (``--max-mb``) when one is 0, negative or no number.
    """
    limits = Limits.from_env() if base is None else base
    changes: dict[str, Any] = {}
    for key, value in options.items():
        if value is None:
            continue
        option = "--" + key.replace("_", "-")
        field_name, number = _convert(key, value, "de waarde", option)
        changes[field_name] = number
    return replace(limits, **changes) if changes else limits

_FIELDS = {f.name: f for f in fields(Limits)}
_INTEGER = {name for name, f in _FIELDS.items() if f.type in ("int", int)}
# Convenience spellings in megabytes (the CLI's --max-mb), converted to bytes.
_MB_ALIASES = {"max_mb": "max_bytes", "max_uncompressed_mb": "max_uncompressed_bytes"}


def _config_changes(path: Path) -> dict[str, Any]:
    source = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_CONFIG_BYTES + 1)
        if len(raw) > _MAX_CONFIG_BYTES:
            raise ConfigError("het configuratiebestand is te groot (meer dan 1 MB).", source)
        config = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"het configuratiebestand bestaat niet (ingesteld met {CONFIG_ENV}).", source
        ) from None
    except IsADirectoryError:
        raise ConfigError("dit is een map, geen configuratiebestand.", source) from None
    except PermissionError:
        raise ConfigError("geen leesrechten voor het configuratiebestand.", source) from None
    except UnicodeDecodeError:
        raise ConfigError("het configuratiebestand is geen UTF-8-tekst.", source) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"het configuratiebestand is geen geldige TOML ({exc}).", source) from None
    except OSError as exc:
        raise ConfigError(f"het configuratiebestand kan niet worden gelezen ({os_reason(exc)}).", source) from None
    misplaced = sorted(k for k in config if k in _FIELDS or k in _MB_ALIASES)
    if misplaced:
        raise ConfigError(
            f"'{misplaced[0]}' staat niet in de tabel [limits]; zet de regel '[limits]' erboven.", source
        )
    table = config.get("limits", {})
    if not isinstance(table, dict):
        raise ConfigError("'limits' moet een tabel zijn: schrijf '[limits]' op een eigen regel.", source)
    changes: dict[str, Any] = {}
    for key, value in table.items():
        field_name, number = _convert(key, value, f"[limits] {key}", source)
        if field_name in changes:
            raise ConfigError(
                f"de grens {field_name} staat twee keer in [limits] (ook als {key}); kies er één.", source
            )
        changes[field_name] = number
    return changes


def _env_changes(environ: Mapping[str, str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in list(_FIELDS) + list(_MB_ALIASES):
        variable = ENV_PREFIX + key.upper()
        raw = environ.get(variable, "").strip()
        if not raw:
            continue
        field_name, number = _convert(key, raw, "de waarde", variable)
        if field_name in changes:
            other = ENV_PREFIX + field_name.upper()
            raise ConfigError(f"{other} en {variable} zijn allebei gezet; kies er één.")
        changes[field_name] = number
    return changes


def _convert(key: str, value: Any, label: str, source: str) -> tuple[str, int | float]:
    """Validate one setting; return (field name, value in the field's unit)."""
    if key in _MB_ALIASES:
        field_name, scale, integer = _MB_ALIASES[key], _MB, False
    elif key in _FIELDS:
        field_name, scale, integer = key, 1, key in _INTEGER
    else:
        known = ", ".join(sorted(list(_FIELDS) + list(_MB_ALIASES)))
        raise ConfigError(f"onbekende grens '{key}'. Bekende grenzen: {known}.", source)
    number = _number(value, integer, label, source)
    if not math.isfinite(number) or number <= 0:
        raise ConfigError(f"{label} moet een getal groter dan 0 zijn (gekregen: {value!r}).", source)
    if scale != 1:
        number = int(number * scale)
        if number <= 0:
            raise ConfigError(f"{label} is te klein (gekregen: {value!r}).", source)
    elif field_name in _INTEGER:
        number = int(number)
    return field_name, number


def _number(value: Any, integer: bool, label: str, source: str) -> float:
    kind = "een geheel getal" if integer else "een getal"
    if isinstance(value, bool):
        raise ConfigError(f"{label} moet {kind} zijn, geen true/false.", source)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if integer and not value.is_integer():
            raise ConfigError(f"{label} moet {kind} zijn (gekregen: {value!r}).", source)
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            number = int(text) if integer else float(text)
        except ValueError:
            raise ConfigError(f"{label} moet {kind} zijn (gekregen: {value!r}).", source) from None
        return number
    raise ConfigError(f"{label} moet {kind} zijn (gekregen: {value!r}).", source)
