"""The Document model: one structured ordinance, whatever format it came from.

Readers produce a :class:`Document`; every later stage (analysis, scoring,
reports) reads only this model and never the original file.
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any, Iterator


@dataclass(frozen=True)
class SourceLocation:
    """Where a piece of text came from in the original file.

    ``page`` is set for PDF (1-based), ``line`` for text-like formats (1-based,
    in the extracted text for DOCX paragraphs: paragraph index), ``path`` for
    XML/HTML (an element path such as ``/cvdr/body/regeling/.../artikel[3]/lid[2]``).
    """

    page: int | None = None
    line: int | None = None
    path: str | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"pagina {self.page}")
        if self.line is not None:
            parts.append(f"regel {self.line}")
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class ListItem:
    """An item of an enumeration inside a lid ("a.", "1°", "•")."""

    label: str
    text: str
    items: list["ListItem"] = field(default_factory=list)

    def full_text(self) -> str:
        parts = [f"{self.label} {self.text}".strip()]
        parts.extend(item.full_text() for item in self.items)
        return "\n".join(parts)


@dataclass
class Lid:
    """A lid (numbered paragraph) of an article.

    ``number`` is None for an article without numbered leden (its text is one
    unnumbered lid). ``text`` is the lid's own sentence(s) without the list
    items; ``items`` keeps the enumeration that belongs to this lid.
    """

    number: str | None
    text: str
    items: list[ListItem] = field(default_factory=list)
    location: SourceLocation = field(default_factory=SourceLocation)

    def full_text(self) -> str:
        parts = [self.text] if self.text else []
        parts.extend(item.full_text() for item in self.items)
        return "\n".join(parts)


@dataclass
class Article:
    number: str
    title: str = ""
    status: str | None = None  # e.g. "vervallen"
    chapter: str | None = None  # number of the enclosing chapter, as written
    paragraaf: str | None = None  # number of the enclosing paragraaf, as written
    leden: list[Lid] = field(default_factory=list)
    location: SourceLocation = field(default_factory=SourceLocation)

    @property
    def text(self) -> str:
        return "\n".join(lid_text for lid_text in (self._lid_line(l) for l in self.leden) if lid_text)

    @staticmethod
    def _lid_line(lid: Lid) -> str:
        body = lid.full_text()
        if lid.number and body:
            return f"{lid.number}. {body}"
        return body

    def lid(self, number: str | None) -> Lid | None:
        for lid in self.leden:
            if lid.number == number:
                return lid
        return None


@dataclass
class Division:
    """A chapter (hoofdstuk) or paragraaf heading."""

    kind: str  # "hoofdstuk" | "paragraaf" | "afdeling" | "titel"
    number: str
    title: str = ""
    parent: str | None = None  # number of the enclosing chapter for a paragraaf
    location: SourceLocation = field(default_factory=SourceLocation)


@dataclass
class Section:
    """A block of prose outside the articles (toelichting part, slot)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    location: SourceLocation = field(default_factory=SourceLocation)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Dropped:
    """A piece of the source the reader left out as page chrome (the leesverantwoording).

    ``kind`` is a stable English id ("status", "metadata", "running-header", "toc", ...),
    ``reason`` the Dutch explanation shown to the user, ``text`` the text left out (shortened
    when long), ``location`` where it was (the first place for a repeated text) and ``count``
    how often the same text of the same kind was left out (a running header on every page).
    """

    kind: str
    reason: str
    text: str
    location: SourceLocation = field(default_factory=SourceLocation)
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "reason": self.reason,
            "text": self.text,
            "count": self.count,
            "location": self.location.to_dict(),
        }


@dataclass
class Document:
    title: str = ""
    gemeente: str | None = None
    format: str = ""  # "pdf" | "html" | "cvdr-xml" | "op-xml" | "docx" | "markdown" | "text"
    source_name: str = ""
    aanhef: list[str] = field(default_factory=list)
    divisions: list[Division] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    slot: list[str] = field(default_factory=list)
    toelichting: list[Section] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # left out as page chrome

    def iter_leden(self) -> Iterator[tuple[Article, Lid]]:
        for article in self.articles:
            for lid in article.leden:
                yield article, lid

    def article(self, number: str) -> Article | None:
        for article in self.articles:
            if article.number == number:
                return article
        return None

    def chapter_title(self, number: str | None) -> str:
        for division in self.divisions:
            if division.kind == "hoofdstuk" and division.number == number:
                return division.title
        return ""

    @property
    def toelichting_text(self) -> str:
        return "\n\n".join(
            "\n".join(([s.heading] if s.heading else []) + s.paragraphs) for s in self.toelichting
        )

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in docs/json.md."""
        return {
            "title": self.title,
            "gemeente": self.gemeente,
            "format": self.format,
            "source": self.source_name,
            "metadata": dict(self.metadata),
            "aanhef": list(self.aanhef),
            "chapters": [
                {
                    "kind": d.kind,
                    "number": d.number,
                    "title": d.title,
                    "parent": d.parent,
                    "location": d.location.to_dict(),
                }
                for d in self.divisions
            ],
            "articles": [
                {
                    "number": a.number,
                    "title": a.title,
                    "status": a.status,
                    "chapter": a.chapter,
                    "paragraaf": a.paragraaf,
                    "location": a.location.to_dict(),
                    "leden": [
                        {
                            "number": lid.number,
                            "text": lid.full_text(),
                            "items": [_item_dict(i) for i in lid.items],
                            "location": lid.location.to_dict(),
                        }
                        for lid in a.leden
                    ],
                    "text": a.text,
                }
                for a in self.articles
            ],
            "slot": list(self.slot),
            "toelichting": self.toelichting_text,
            "toelichting_sections": [
                {"heading": s.heading, "paragraphs": list(s.paragraphs), "location": s.location.to_dict()}
                for s in self.toelichting
            ],
            "warnings": list(self.warnings),
            "dropped": [d.to_dict() for d in self.dropped],
        }


def _item_dict(item: ListItem) -> dict[str, Any]:
    return {"label": item.label, "text": item.text, "items": [_item_dict(i) for i in item.items]}
