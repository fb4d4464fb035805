"""What the user typed: a CVDR id, a gemeenteblad id or a link on one of the official hosts.

Only the forms documented in docs/bronnen.md are recognised; anything else that looks like a
link is refused with a Dutch message (no arbitrary URL is ever fetched).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import SourceError

# Hosts a user link may name (docs/bronnen.md, "Officiële hosts").
LINK_HOSTS = frozenset({
    "lokaleregelgeving.overheid.nl",
    "repository.officiele-overheidspublicaties.nl",
    "zoek.officielebekendmakingen.nl",
    "repository.overheid.nl",
    "zoekservice.overheid.nl",
})
# Hosts the client downloads from (search service and the two publication repositories).
FETCH_HOSTS = frozenset({
    "zoekservice.overheid.nl",
    "repository.officiele-overheidspublicaties.nl",
    "repository.overheid.nl",
    "zoek.officielebekendmakingen.nl",
})

_CVDR = r"(?:CVDR)?(?P<work>\d{1,9})(?:[_/](?P<version>\d{1,4}))?"
_CVDR_ID = re.compile(r"^CVDR(?P<work>\d{1,9})(?:[_/](?P<version>\d{1,4}))?/?$", re.I)
_GMB_ID = re.compile(r"^(?P<id>gmb-\d{4}-\d{1,9})$", re.I)
# lokaleregelgeving.overheid.nl/CVDR401319 (current) and /CVDR401319/1 (one version)
_LRG_PATH = re.compile(r"^/CVDR(?P<work>\d{1,9})(?:/(?P<version>\d{1,4}))?(?:/.*)?$", re.I)
# repository.officiele-overheidspublicaties.nl/cvdr/CVDR717960/1/xml/CVDR717960_1.xml, also the
# older /CVDR/CVDR10324/2/xml/... and /CVDR/101112/2/xml/101112_2.xml forms
_REPO_PATH = re.compile(r"^/cvdr/(?:CVDR)?(?P<work>\d{1,9})/(?P<version>\d{1,4})(?:/.*)?$", re.I)
# zoek.officielebekendmakingen.nl/gmb-2017-100007(.html|.xml|.pdf|/metadata.xml)
_ZOEK_PATH = re.compile(r"^/(?P<id>gmb-\d{4}-\d{1,9})(?:\.(?:html|xml|pdf)|/.*)?$", re.I)
# repository.overheid.nl/frbr/officielepublicaties/gmb/2026/gmb-2026-104512/1/xml/gmb-2026-104512.xml
_FRBR_PATH = re.compile(
    r"^/frbr/officielepublicaties/gmb/\d{4}/(?P<id>gmb-\d{4}-\d{1,9})(?:/(?P<expr>\d{1,4})(?:/(?P<kind>[a-z]+)/[^/]+)?)?/?$",
    re.I,
)


@dataclass(frozen=True)
class Reference:
    """A regulation (``kind="cvdr"``, ``work`` like ``CVDR152048``, optional ``version``) or a
    gemeenteblad publication (``kind="gmb"``, ``work`` like ``gmb-2017-100007``)."""

    kind: str
    work: str
    version: int | None = None
    direct_url: str | None = None  # a repository file link given by the user (downloaded as is)
    given: str = ""

    @property
    def label(self) -> str:
        if self.kind == "cvdr":
            return f"{self.work}/{self.version}" if self.version else self.work
        return self.work

    @property
    def public_url(self) -> str:
        """The page a person opens for this regulation or publication."""
        if self.kind == "cvdr":
            return f"https://lokaleregelgeving.overheid.nl/{self.label}"
        return f"https://zoek.officielebekendmakingen.nl/{self.work}.html"


def looks_like_reference(argument: str) -> bool:
    """True for an id or a link (a link to any host: a wrong host must be refused, not read as a file)."""
    text = argument.strip()
    return bool(_CVDR_ID.match(text) or _GMB_ID.match(text) or re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I))


def parse_reference(argument: str) -> Reference:
    """Parse an id or link; raise SourceError (Dutch) for a host or form that is not supported."""
    text = argument.strip()
    m = _CVDR_ID.match(text)
    if m:
        return _cvdr(m, text)
    m = _GMB_ID.match(text)
    if m:
        return Reference("gmb", m.group("id").lower(), given=text)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:
        raise SourceError("alleen links die met https:// beginnen worden opgehaald.", text)
    if host not in LINK_HOSTS:
        raise SourceError(
            f"{host} is geen officiële bron. Geef een CVDR-nummer of een link naar "
            "lokaleregelgeving.overheid.nl, repository.officiele-overheidspublicaties.nl of "
            "zoek.officielebekendmakingen.nl.",
            text,
        )
    if parts.username or parts.password or (parts.port not in (None, 443, 80)):
        raise SourceError("deze link heeft een ongebruikelijke vorm (gebruiker of poort) en wordt niet opgehaald.", text)
    path = parts.path or "/"
    if host == "lokaleregelgeving.overheid.nl":
        m = _LRG_PATH.match(path)
        if m:
            return _cvdr(m, text)
    elif host == "repository.officiele-overheidspublicaties.nl":
        m = _REPO_PATH.match(path)
        if m:
            return _cvdr(m, text)
    elif host == "zoek.officielebekendmakingen.nl":
        m = _ZOEK_PATH.match(path)
        if m:
            return Reference("gmb", m.group("id").lower(), given=text)
    elif host == "repository.overheid.nl":
        m = _FRBR_PATH.match(path)
        if m:
            direct = None
            if m.group("kind") and m.group("kind").lower() in ("xml", "html"):
                direct = f"https://{host}{path}"
            return Reference("gmb", m.group("id").lower(), direct_url=direct, given=text)
    raise SourceError(
        "deze link wijst niet naar een regeling of een gemeenteblad. Voorbeelden: "
        "https://lokaleregelgeving.overheid.nl/CVDR152048/2 of "
        "https://zoek.officielebekendmakingen.nl/gmb-2017-100007.html.",
        text,
    )


def _cvdr(m: re.Match, given: str) -> Reference:
    version = m.group("version")
    return Reference("cvdr", f"CVDR{int(m.group('work'))}", int(version) if version else None, given=given)


def normalize_identifier(identifier: str) -> tuple[str, int | None] | None:
    """``CVDR152048_2`` / ``152048_2`` / ``1.0:152048_2`` -> ``("CVDR152048", 2)``; None if not a CVDR id.

    The search service and the XML files write the identifier with and without the ``CVDR``
    prefix (docs/bronnen.md); both are accepted here."""
    text = identifier.strip()
    text = re.sub(r"^\d+\.\d+:", "", text)
    m = re.fullmatch(_CVDR, text, re.I)
    if not m:
        return None
    version = m.group("version")
    return f"CVDR{int(m.group('work'))}", int(version) if version else None
