"""``verordeningcheck geschiedenis``: every version of one regulation, each checked, as a
timeline (HTML with a chart of the 2006/2010 scores, CSV and JSON beside it).

Outputs only read the CheckResults; nothing here knows rules or formats.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__, excel
from ..excel import cell, dutch_number
from ..errors import VerordeningcheckError
from ..labels import VERDICT_NL, verdict_label

VERDICT_SHORT = {("new", None): "nieuw", ("tussenvorm", "new"): "tussen → nieuw", ("tussenvorm", "old"): "tussen → oud",
                 ("tussenvorm", None): "tussenvorm", ("old", None): "oud", ("amendment", None): "wijziging",
                 ("not_wmo", None): "geen Wmo"}
from .errors import NotWmo, Offline, SourceError
from .source import Source

WMO_VERDICTS = ("old", "new", "tussenvorm")


@dataclass
class VersionRow:
    label: str  # CVDR152048/2
    version: int
    url: str
    title: str = ""
    in_force: str = ""
    out_of_force: str = ""
    betreft: str = ""
    verdict: str = ""
    lean: str | None = None
    verdict_text: str = ""
    score_2006: float | None = None
    score_2010: float | None = None
    generation: str | None = None
    present: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    legal_present: list[str] | None = None
    legal_added: list[str] = field(default_factory=list)
    legal_dropped: list[str] = field(default_factory=list)
    report: str = ""  # relative link to the version's report
    error: str = ""
    result: Any = None  # CheckResult (not serialised)

    def to_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "result"}
        if self.legal_present is None:
            for key in ("legal_present", "legal_added", "legal_dropped"):
                data.pop(key)
        return data


@dataclass
class History:
    work: str
    title: str
    gemeente: str
    url: str
    rows: list[VersionRow]
    kanteling: VersionRow | None  # the first Wmo version judged "new" after one that was not
    kanteling_text: str

    def to_dict(self) -> dict:
        return {
            "regeling": self.work,
            "title": self.title,
            "gemeente": self.gemeente,
            "url": self.url,
            "kanteling": self.kanteling.label if self.kanteling else None,
            "kanteling_text": self.kanteling_text,
            "versions": [row.to_dict() for row in self.rows],
            "version": __version__,
        }


def legal_ids(result_dict: dict) -> list[str] | None:
    """Ids of the legal requirements the text regulates, if the result has a ``legal`` part
    (added on another branch); read generically: items with an ``id`` that are present."""
    legal = result_dict.get("legal")
    if legal is None:
        return None
    items = legal
    if isinstance(legal, dict):
        items = legal.get("requirements") or legal.get("items") or [
            {"id": key, **(value if isinstance(value, dict) else {"present": value})} for key, value in legal.items()
        ]
    present = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or "id" not in item:
            continue
        status = str(item.get("status", "")).lower()
        if item.get("present") is True or status in ("present", "regulated", "geregeld", "aanwezig", "ok"):
            present.append(str(item["id"]))
    return present


def build_history(source: Source, work: str, *, rules=None, limits=None, progress=None) -> History:
    """Check every version of ``work`` (a CVDR id without version)."""
    from . import load_fetched
    from ..pipeline import check_document, get_ruleset

    ruleset = get_ruleset(rules)
    records = source.versions(work)
    rows: list[VersionRow] = []
    for index, record in enumerate(records):
        row = VersionRow(record.label, record.version, record.public_url, record.title, record.in_force,
                         record.out_of_force, record.betreft)
        try:
            fetched = source.fetch_record(record)
            result = check_document(load_fetched(fetched, limits), ruleset)
        except Offline:
            raise  # no network: nothing sensible to show
        except VerordeningcheckError as exc:
            row.error = exc.message
            rows.append(row)
            if progress:
                progress(index + 1, len(records), row)
            continue
        v = result.verdict
        row.result = result
        row.title = result.document.title or row.title
        row.verdict, row.lean = v.verdict, v.lean
        row.verdict_text = verdict_label(v.verdict, v.lean)
        row.score_2006, row.score_2010 = float(v.scores.get("2006", 0.0)), float(v.scores.get("2010", 0.0))
        row.generation = v.generation
        row.present = [e.id for e in v.elements if e.present]
        row.legal_present = legal_ids(result.to_dict())
        rows.append(row)
        if progress:
            progress(index + 1, len(records), row)
    checked = [r for r in rows if not r.error]
    if not checked:
        raise SourceError(f"geen enkele versie van {work} kon worden getoetst ({rows[-1].error}).", work)
    if not any(r.verdict in WMO_VERDICTS for r in checked):
        raise NotWmo(f"geen van de {len(rows)} versies is een Wmo-verordening ({checked[-1].title}).", work)
    previous = None
    for row in checked:
        if previous is not None:
            row.added = [e for e in row.present if e not in previous.present]
            row.dropped = [e for e in previous.present if e not in row.present]
            if row.legal_present is not None and previous.legal_present is not None:
                row.legal_added = [e for e in row.legal_present if e not in previous.legal_present]
                row.legal_dropped = [e for e in previous.legal_present if e not in row.legal_present]
        previous = row
    kanteling, text = _kanteling(checked)
    last = checked[-1]
    gemeente = last.result.document.gemeente or (records[-1].creator if records else "")
    return History(work, last.title, gemeente or "", f"https://lokaleregelgeving.overheid.nl/{work}", rows, kanteling, text)


def _kanteling(rows: list[VersionRow]) -> tuple[VersionRow | None, str]:
    wmo = [r for r in rows if r.verdict in WMO_VERDICTS]
    for before, row in zip(wmo, wmo[1:]):
        if row.verdict == "new" and before.verdict != "new":
            since = f" (in werking vanaf {_date_nl(row.in_force)})" if row.in_force else ""
            return row, f"Gekanteld in versie {row.version}{since}: van {before.verdict_text} naar {row.verdict_text}."
    if wmo and wmo[0].verdict == "new":
        return None, f"Al gekanteld in de eerste beschikbare versie ({wmo[0].label})."
    if wmo:
        return None, f"Niet gekanteld: de laatste versie is {wmo[-1].verdict_text}."
    return None, "Geen Wmo-versies."


def _date_nl(iso: str) -> str:
    if len(iso) >= 10 and iso[4] == "-" and iso[7] == "-":
        return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}"
    return iso


# ---------------------------------------------------------------------------- outputs


CSV_FIELDS = ("versie", "url", "titel", "geldig_vanaf", "geldig_tot", "oordeel", "neiging", "score_2006",
              "score_2010", "generatie", "elementen", "toegevoegd", "vervallen", "wettelijk_toegevoegd",
              "wettelijk_vervallen", "fout")


def render_csv(history: History) -> str:
    """For Dutch Excel like batch's results.csv (see :mod:`verordeningcheck.excel`)."""
    return excel.render(CSV_FIELDS, ([
        cell(r.label), cell(r.url), cell(r.title), cell(r.in_force), cell(r.out_of_force), cell(r.verdict),
        cell(r.lean), dutch_number(r.score_2006), dutch_number(r.score_2010), cell(r.generation),
        " ".join(r.present), " ".join(r.added), " ".join(r.dropped),
        " ".join(r.legal_added), " ".join(r.legal_dropped), cell(r.error),
    ] for r in history.rows))


def render_json(history: History) -> str:
    return json.dumps(history.to_dict(), ensure_ascii=False, indent=2)


def chart_svg(history: History, width: int = 760, height: int = 260) -> dict:
    """Coordinates for the score chart (drawn by the template as inline SVG)."""
    rows = [r for r in history.rows if not r.error]
    left, right, top, bottom = 48, 16, 16, 56
    pad = 60  # room for the labels under the first and the last version
    inner_w, inner_h = width - left - right - 2 * pad, height - top - bottom
    n = max(1, len(rows) - 1)
    points = []
    for i, r in enumerate(rows):
        x = left + pad + (inner_w * i / n if len(rows) > 1 else inner_w / 2)
        points.append({
            "x": round(x, 1),
            "y2006": round(top + inner_h * (1 - (r.score_2006 or 0)), 1),
            "y2010": round(top + inner_h * (1 - (r.score_2010 or 0)), 1),
            "row": r,
            "short": VERDICT_SHORT.get((r.verdict, r.lean), VERDICT_SHORT.get((r.verdict, None), r.verdict)),
        })
    return {
        "width": width, "height": height, "left": left, "top": top, "bottom": height - bottom, "right": width - right,
        "points": points,
        "line2006": " ".join(f"{p['x']},{p['y2006']}" for p in points),
        "line2010": " ".join(f"{p['x']},{p['y2010']}" for p in points),
        "grid": [{"y": round(top + inner_h * (1 - f), 1), "label": f"{round(f * 100)}%"} for f in (0, 0.25, 0.5, 0.75, 1)],
    }


def render_html(history: History, element_titles: dict[str, str] | None = None) -> str:
    from ..report import _environment

    env = _environment()
    return env.get_template("geschiedenis.html").render(
        history=history,
        chart=chart_svg(history),
        titles=element_titles or {},
        verdict_nl=VERDICT_NL,
        date_nl=_date_nl,
        version=__version__,
    )


def write_history(history: History, output: Path, *, rules=None, reports: bool = True) -> list[Path]:
    """Write geschiedenis.html/.csv/.json and a report per version into ``output``; every file
    is made in memory first and written atomically."""
    from ..errors import OutputError, os_reason
    from ..pipeline import get_ruleset
    from ..report import render_html as render_report, write_output

    texts: dict[str, str] = {}
    if reports:
        for row in history.rows:
            if row.result is not None:
                row.report = f"rapporten/{row.label.replace('/', '_')}.html"
                texts[row.report] = render_report(row.result)
    titles = {e.id: e.title for e in get_ruleset(rules).elements.values()}
    texts["geschiedenis.html"] = render_html(history, titles)
    texts["geschiedenis.csv"] = render_csv(history)
    texts["geschiedenis.json"] = render_json(history)
    try:
        (output / "rapporten" if reports else output).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"kan de map niet maken ({os_reason(exc)}).", str(output)) from None
    written = []
    for name, text in texts.items():
        write_output(output / name, text, "de geschiedenis")
        written.append(output / name)
    return written
