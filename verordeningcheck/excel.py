"""CSV for Dutch Excel, shared by batch (results.csv), geschiedenis (geschiedenis.csv) and a
repository search (bronnen.csv): ``;`` as separator, decimal comma, UTF-8 with BOM, and every
text cell on one line and never read as a formula (CSV injection: titles and error texts can
come from documents or the network)."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A text cell for Excel: one line, and never read as a formula."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def dutch_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".replace(".", ",")


def render(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """The whole file as text, BOM first; the caller makes each value a cell (or a number)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(list(header))
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()
