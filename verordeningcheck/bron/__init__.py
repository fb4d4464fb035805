"""Straight from the official source: check a regulation by CVDR id or link, and its history.

The protocol (SRU search service, publication repositories, record fields) and the public
documents it follows are described in docs/bronnen.md. The network is used only here, and only
when the user gives an id, link or query; files never cause a request.
"""
from __future__ import annotations

from pathlib import Path

from .errors import NotFound, NotWmo, Offline, ServiceError, SourceError, TooManyResults
from .refs import Reference, looks_like_reference, parse_reference

__all__ = [
    "Client", "Fetched", "NotFound", "NotWmo", "Offline", "Reference", "ServiceError", "Source", "SourceError",
    "TooManyResults", "check_fetched", "is_remote", "load_fetched", "looks_like_reference", "parse_reference",
]


def __getattr__(name: str):
    """Client, Source and Fetched on first use: they load urllib/ssl and lxml, which the CLI
    (``is_remote`` on every argument) does not need for local files."""
    if name == "Client":
        from .net import Client

        return Client
    if name in ("Fetched", "Source"):
        from . import source

        return getattr(source, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_remote(argument: str) -> bool:
    """An id or link (not an existing local file of that name)."""
    return looks_like_reference(argument) and not Path(argument).exists()


def load_fetched(fetched: Fetched, limits=None):
    """The Document of a downloaded publication, named by its public link."""
    from ..load import load

    document = load(fetched.data, name=fetched.url, limits=limits)
    document.metadata.update(fetched.metadata())
    return document


def check_fetched(fetched: Fetched, *, rules=None, limits=None, require_wmo: bool = True, wet=None, exceptions=None):
    """Check a downloaded publication; a text that is not a Wmo regulation is an error (NotWmo).
    ``wet`` and ``exceptions`` as for a local file (pipeline.check_document)."""
    from ..pipeline import check_document, get_ruleset

    result = check_document(load_fetched(fetched, limits), get_ruleset(rules), wet=wet, exceptions=exceptions)
    if require_wmo and result.verdict.verdict == "not_wmo":
        title = result.document.title or "zonder titel"
        raise NotWmo(f"dit is geen Wmo-verordening ({title}).", fetched.url)
    return result
