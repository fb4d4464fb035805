"""CSV for Dutch Excel, shared by batch, geschiedenis and a repository search: texts from
documents or the network never become formulas and stay on one line."""
from __future__ import annotations

import csv
import io

from verordeningcheck import excel
from verordeningcheck.bron.history import History, VersionRow, render_csv


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_cells_are_never_formulas_and_numbers_use_a_decimal_comma():
    assert excel.cell("=SOM(A1)") == "'=SOM(A1)"
    assert excel.cell("@gemeente") == "'@gemeente"
    assert excel.cell("regel een\nregel twee") == "regel een regel twee"
    assert excel.cell(None) == "" and excel.dutch_number(None) == ""
    assert excel.dutch_number(0.5) == "0,50"
    assert _rows(excel.render(["a", "b"], [["x;y", "1,00"]])) == [["a", "b"], ["x;y", "1,00"]]


def test_history_csv_escapes_a_title_and_an_error_from_the_source():
    row = VersionRow(label="CVDR1/1", version=1, url="https://lokaleregelgeving.overheid.nl/CVDR1/1",
                     title="=HYPERLINK(\"x\")\nVerordening", verdict="new", score_2010=0.75,
                     error="-fout van de dienst")
    history = History(work="CVDR1", title="t", gemeente="g", url="", rows=[row], kanteling=None, kanteling_text="")
    header, values = _rows(render_csv(history))
    got = dict(zip(header, values))
    assert got[header[2]] == "'=HYPERLINK(\"x\") Verordening"
    assert "0,75" in values
    assert values[-1] == "'-fout van de dienst"
