"""``batch --zoek`` / ``--gemeente``: search the CVDR repository and download what it finds
into a folder that the ordinary batch then checks (with its cache, resume and matrix)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import excel
from ..cache import write_bytes_atomic
from ..excel import cell
from ..errors import OutputError, os_reason
from .errors import NotFound, Offline, SourceError
from .source import Source, current_version
from .sru import Record, build_search_query

SOURCES_DIR = "bronnen"  # inside the batch output folder
INDEX_FILE = "bronnen.csv"


@dataclass
class Downloaded:
    record: Record
    path: Path | None
    error: str = ""


def select(records: list[Record], all_versions: bool, today: date | None = None) -> list[Record]:
    """Per regulation the version in force (else the newest), or every version."""
    by_work: dict[str, list[Record]] = {}
    for record in records:
        if record.version is None:
            continue
        by_work.setdefault(record.work, []).append(record)
    chosen = []
    for work in sorted(by_work, key=lambda w: (by_work[w][0].creator.lower(), w)):
        versions = sorted({r.version: r for r in by_work[work]}.values(), key=lambda r: r.version)
        chosen.extend(versions if all_versions else [current_version(versions, today)])
    return chosen


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("_") or "onbekend"


def download_search(
    source: Source, folder: Path, *, words: str = "", gemeente: str = "", title: str = "", since: str = "",
    until: str = "", all_versions: bool = False, limit: int = 2000, progress=None,
) -> list[Downloaded]:
    """Search, then download each chosen version to ``folder/<gemeente>/<CVDR…_n>.xml`` (atomic
    writes; a file already there is kept) and write ``folder/bronnen.csv`` (id, link, title)."""
    query = build_search_query(words=words, gemeente=gemeente, title_words=title, since=since, until=until)
    records = select(source.search(query, limit=limit), all_versions)
    if not records:
        raise NotFound("de zoekvraag geeft geen regelingen.", query)
    done: list[Downloaded] = []
    for index, record in enumerate(records):
        target = folder / _safe(record.creator or "onbekend") / f"{record.work}_{record.version}.xml"
        try:
            if not target.is_file():
                fetched = source.fetch_record(record)
                try:
                    write_bytes_atomic(target, fetched.data)
                except OSError as exc:
                    raise OutputError(f"kan het bestand niet opslaan ({os_reason(exc)}).", str(target)) from None
            done.append(Downloaded(record, target))
        except Offline:
            raise
        except SourceError as exc:
            done.append(Downloaded(record, None, exc.message))
        if progress:
            progress(index + 1, len(records), done[-1])
    text = excel.render(
        ("id", "url", "gemeente", "titel", "geldig_vanaf", "geldig_tot", "bestand", "fout"),
        ([cell(item.record.label), cell(item.record.public_url), cell(item.record.creator), cell(item.record.title),
          cell(item.record.in_force), cell(item.record.out_of_force),
          cell(item.path.relative_to(folder).as_posix() if item.path else ""), cell(item.error)] for item in done),
    )
    try:
        write_bytes_atomic(folder / INDEX_FILE, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"kan de lijst niet opslaan ({os_reason(exc)}).", str(folder / INDEX_FILE)) from None
    return done


def source_links(paths) -> dict[str, str]:
    """path -> public link, for the files a search downloaded: read from the ``bronnen.csv``
    in a folder above each path (columns ``url`` and ``bestand``). Only http(s) links count;
    an unreadable index is skipped (the links are a convenience, the files are checked anyway)."""
    indexes: dict[Path, dict[Path, str]] = {}

    def index_of(folder: Path) -> dict[Path, str]:
        if folder not in indexes:
            links: dict[Path, str] = {}
            try:
                text = (folder / INDEX_FILE).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
            for entry in csv.DictReader(io.StringIO(text), delimiter=";") if text else ():
                url, name = (entry.get("url") or "").strip(), (entry.get("bestand") or "").strip()
                if name and url.startswith(("https://", "http://")):
                    links[(folder / name).resolve()] = url
            indexes[folder] = links
        return indexes[folder]

    found = {}
    for path in paths:
        resolved = Path(path).resolve()
        for folder in resolved.parents:
            url = index_of(folder).get(resolved)
            if url:
                found[str(path)] = url
                break
    return found
