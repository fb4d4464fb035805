"""A definition alone does not regulate: a legal requirement found only in the
begripsbepalingen is not "geregeld" (rules/wettelijk/catalogue.yaml: definition_factor 0),
also when a text has nothing but definitions, where the model catalogue does count them."""
from __future__ import annotations

import json

from click.testing import CliRunner

from verordeningcheck.cli import main
from verordeningcheck.pipeline import check

HEAD = """\
Verordening maatschappelijke ondersteuning Duinwijk 2019

De raad van de gemeente Duinwijk;
gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;
besluit vast te stellen de volgende verordening:

Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. bijdrage in de kosten: het bedrag dat een cliënt betaalt voor een maatwerkvoorziening;
b. mantelzorgwaardering: de jaarlijkse blijk van waardering van het college voor mantelzorgers;
c. melding: het kenbaar maken van een hulpvraag bij het college, waarna het college een gesprek voert.
"""

RULES = """
Artikel 2 Eigen bijdrage
De cliënt is voor een maatwerkvoorziening een bijdrage in de kosten verschuldigd, vast te stellen door het college.

Artikel 3 Mantelzorg
Het college geeft mantelzorgers van inwoners jaarlijks een blijk van waardering.
"""


def requirements(result) -> dict:
    return {r.id: r for r in result.legal.requirements}


def test_definitions_alone_do_not_regulate_a_legal_requirement(tmp_path):
    path = tmp_path / "begrippen.txt"
    path.write_text(HEAD, encoding="utf-8")  # nothing but definitions, like the first page of a document
    result = check(path)
    found = requirements(result)
    assert found["wmo15_bijdrage"].evidence and not found["wmo15_bijdrage"].present
    assert found["wmo15_bijdrage"].note == "alleen als begrip gedefinieerd"
    assert found["wmo15_mantelzorgwaardering"].status == "missing"
    assert found["wmo15_mantelzorgwaardering"].note == "alleen als begrip gedefinieerd"
    # the model catalogue still lets definitions count when there is nothing else
    assert next(e for e in result.verdict.elements if e.id == "melding").present


def test_the_same_terms_in_articles_regulate_and_have_no_note(tmp_path):
    path = tmp_path / "geregeld.txt"
    path.write_text(HEAD + RULES, encoding="utf-8")
    found = requirements(check(path))
    for rid in ("wmo15_bijdrage", "wmo15_mantelzorgwaardering"):
        assert found[rid].status == "present" and found[rid].note is None
        assert all(e.article != "1" for e in found[rid].evidence if e.weight > 0)


def test_the_note_is_shown_in_json_terminal_and_report(tmp_path):
    path = tmp_path / "begrippen.txt"
    path.write_text(HEAD, encoding="utf-8")
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["check", str(path), "--format", "json"]).output)
    notes = {r["id"]: r["note"] for r in data["legal"]["requirements"]}
    assert notes["wmo15_mantelzorgwaardering"] == "alleen als begrip gedefinieerd" and notes["wmo15_misbruik"] is None
    terminal = runner.invoke(main, ["check", str(path)]).output
    line = next(x for x in terminal.splitlines() if "wmo15_mantelzorgwaardering" in x)
    assert line.lstrip().startswith("✗") and "alleen als begrip gedefinieerd" in line
    report = tmp_path / "r.html"
    runner.invoke(main, ["check", str(path), "--format", "html", "-o", str(report)])
    html = report.read_text(encoding="utf-8")
    row = html[html.index('id="eis-wmo15_mantelzorgwaardering"'):]
    row = row[:row.index("</tr>")]
    assert "✗" in row and "alleen als begrip gedefinieerd" in row
