"""Failures of the official source (Dutch messages, exit code 2 like every expected error)."""
from __future__ import annotations

from ..errors import VerordeningcheckError


class SourceError(VerordeningcheckError):
    """An id, link or query that cannot be used, or a download that failed."""

    code = "source"


class NotFound(SourceError):
    code = "not_found"


class Offline(SourceError):
    """No network (or ``--offline``) and nothing usable in the cache."""

    code = "offline"


class ServiceError(SourceError):
    """The search service or the repository answered with an error or something unreadable."""

    code = "service"


class TooManyResults(SourceError):
    code = "too_many"


class NotWmo(SourceError):
    code = "not_wmo"
