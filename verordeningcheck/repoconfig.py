""".verordeningcheck.yaml: per-repository settings, found next to the checked file or in a
folder above it (up to the root of the git repository). Today it records exceptions to the
requirement catalogues: a requirement regulated elsewhere ("geregeld in de Verordening
cliëntenparticipatie"), with the reason the report and CI show. User documentation:
docs/wettelijke-eisen.md.

    uitzonderingen:
      wmo15_betrekken_ingezetenen:
        reden: Geregeld in de Verordening cliëntenparticipatie sociaal domein 2015.
        bestanden: ["wmo/*.md"]      # optional: only for these files (patterns relative to this file)
      wmo15_medezeggenschap: Geregeld in de inkoopvoorwaarden.   # short form: only the reason

A file that cannot be read, or an exception without a reason or for an unknown requirement id,
is a :class:`~verordeningcheck.errors.ConfigError` (exit 2), never silently ignored.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError, os_reason

FILE_NAME = ".verordeningcheck.yaml"
_MAX_BYTES = 1_000_000


@dataclass
class Exception_:
    requirement: str
    reason: str
    files: tuple[str, ...] = ()  # glob patterns relative to the config file's folder; () = all


@dataclass
class RepoConfig:
    path: Path
    exceptions: list[Exception_] = field(default_factory=list)

    def exceptions_for(self, file: str | os.PathLike | None) -> dict[str, dict]:
        """requirement id -> {reason, source} for one checked file."""
        found: dict[str, dict] = {}
        relative = None
        if file is not None:
            try:
                relative = Path(os.path.abspath(file)).relative_to(self.path.parent.resolve()).as_posix()
            except ValueError:
                relative = Path(file).name
        for exc in self.exceptions:
            if exc.files and (relative is None or not any(fnmatch.fnmatch(relative, p) for p in exc.files)):
                continue
            found[exc.requirement] = {"reason": exc.reason, "source": str(self.path)}
        return found


def find(start: str | os.PathLike) -> Path | None:
    """The nearest .verordeningcheck.yaml in the folder of ``start`` or above, stopping at the
    root of a git repository (a folder with .git) or of the file system."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    while True:
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def load(path: str | os.PathLike, known_ids: set[str] | None = None) -> RepoConfig:
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()[: _MAX_BYTES + 1]
    except FileNotFoundError:
        raise ConfigError("het bestand met uitzonderingen bestaat niet.", source) from None
    except OSError as exc:
        raise ConfigError(f"het bestand met uitzonderingen kan niet worden gelezen ({os_reason(exc)}).", source) from None
    if len(raw) > _MAX_BYTES:
        raise ConfigError("het bestand is te groot (meer dan 1 MB).", source)
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except UnicodeDecodeError:
        raise ConfigError("het bestand is geen UTF-8-tekst.", source) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"het bestand is geen geldige YAML ({exc}).", source) from None
    if not isinstance(data, dict):
        raise ConfigError("verwacht een YAML-woordenboek met 'uitzonderingen:'.", source)
    unknown_keys = sorted(set(data) - {"uitzonderingen"})
    if unknown_keys:
        raise ConfigError(f"onbekende sleutel '{unknown_keys[0]}'; bekend is alleen 'uitzonderingen'.", source)
    table = data.get("uitzonderingen") or {}
    if not isinstance(table, dict):
        raise ConfigError("'uitzonderingen' moet per eis-id een reden geven (eis-id: reden).", source)
    config = RepoConfig(path.resolve())
    for requirement, value in table.items():
        requirement = str(requirement)
        if known_ids is not None and requirement not in known_ids:
            raise ConfigError(
                f"onbekende eis '{requirement}' bij 'uitzonderingen' (zie docs/wettelijke-eisen.md voor de id's).", source
            )
        files: tuple[str, ...] = ()
        if isinstance(value, dict):
            extra = sorted(set(value) - {"reden", "bestanden"})
            if extra:
                raise ConfigError(f"{requirement}: onbekende sleutel '{extra[0]}' (gebruik 'reden' en 'bestanden').", source)
            reason = value.get("reden")
            patterns = value.get("bestanden") or []
            if isinstance(patterns, str):
                patterns = [patterns]
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                raise ConfigError(f"{requirement}: 'bestanden' moet een lijst van patronen zijn.", source)
            files = tuple(patterns)
        else:
            reason = value
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{requirement}: geef een reden, bijvoorbeeld 'Geregeld in de Verordening ...'.", source)
        config.exceptions.append(Exception_(requirement, " ".join(reason.split()), files))
    return config


def exceptions_for_file(
    file: str | os.PathLike | None, known_ids: set[str], explicit: str | os.PathLike | None = None
) -> dict[str, dict]:
    """The exceptions that apply to ``file``: from ``explicit`` (--config) or the nearest
    .verordeningcheck.yaml. {} when there is none."""
    path = Path(explicit) if explicit is not None else (find(file) if file is not None else None)
    if path is None:
        return {}
    return load(path, known_ids).exceptions_for(file)
