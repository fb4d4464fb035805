"""The law catalogue (rules/wettelijk) and requirement catalogues in general: loading (also a
municipality's own third catalogue), obligations, which law applies, every output format, the CI
policy --fail-on wettelijk and exceptions recorded in .verordeningcheck.yaml. The ordinances
here are written for these tests."""
from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from verordeningcheck.cli import main
from verordeningcheck.pipeline import check, check_document, get_ruleset
from verordeningcheck.load import load
from verordeningcheck.ruleset import load_ruleset

BASE = """\
Verordening maatschappelijke ondersteuning Proefdorp 2016

De raad van de gemeente Proefdorp;
{gelet}
besluit vast te stellen de volgende verordening:

Artikel 1 Melding en onderzoek
1. Een inwoner kan zijn hulpvraag melden bij het college.
2. Het college voert na de melding een gesprek met de inwoner over zijn situatie.

Artikel 2 Toegang tot een maatwerkvoorziening
Een inwoner komt in aanmerking voor een maatwerkvoorziening als hij zich met zijn netwerk niet voldoende kan redden.

Artikel 3 Budget
Het pgb bedraagt ten hoogste de prijs van de zorg in natura en is toereikend.

Artikel 4 Eisen aan aanbieders
1. Aanbieders voldoen aan de kwaliteitseisen van het college.
2. Iedere aanbieder heeft een klachtenregeling voor cliënten en regelt de medezeggenschap van cliënten over voorgenomen besluiten.
3. Het college stelt een prijs vast die in goede verhouding staat tot de kwaliteit van de voorziening.

Artikel 5 Adviesraad
{participatie}

Artikel 6 Misbruik
Het college treft maatregelen tegen misbruik van de wet.
{extra}
Artikel 9 Slot
Deze verordening treedt in werking op 1 januari 2016.

Aldus vastgesteld in de vergadering van {datum}.
"""

GELET_2015 = "gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;"
PARTICIPATIE = ("Het college betrekt inwoners en cliënten bij het beleid via een adviesraad, die gevraagd en "
                "ongevraagd advies geeft over beleidsvoorstellen.")
WAARDERING = "\nArtikel 7 Mantelzorg\nHet college geeft mantelzorgers ieder jaar een blijk van waardering.\n"


def ordinance(tmp_path: Path, name: str = "proef.txt", *, gelet: str = GELET_2015, participatie: str = PARTICIPATIE,
              extra: str = "", datum: str = "10 december 2015") -> Path:
    path = tmp_path / name
    path.write_text(BASE.format(gelet=gelet, participatie=participatie, extra=extra, datum=datum), encoding="utf-8")
    return path


def legal(result):
    return {r.id: r for r in result.legal.requirements}


def run(*args, cwd=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# ---------------------------------------------------------------- catalogue as data


def test_law_catalogue_keeps_the_law_text_with_its_source():
    ruleset = get_ruleset()
    catalogue = ruleset.catalogues["wettelijk"]
    assert catalogue.kind == "requirements" and ruleset.catalogues["model"].kind == "model"
    for group in ("2007", "2015"):
        info = catalogue.group_info(group)
        assert info["identifier"].startswith("BWBR") and "laws-markdown" in info["text_version"]
    items = ruleset.items("wettelijk")
    assert len(items) == 17
    for item in items:
        assert item.law["text"] and item.law["reference"].startswith(("Wmo 2007", "Wmo 2015")), item.id
        assert item.obligation in ("verplicht", "facultatief", "verplicht_als")
    assert ruleset.elements["wmo15_kostprijs"].condition == "wmo15_bijdrage"
    assert "jaarlijkse blijk van waardering" in ruleset.elements["wmo15_mantelzorgwaardering"].law["text"]


def _third_catalogue(folder: Path, *, bad_item: bool = False) -> Path:
    cat = folder / "eigen"
    cat.mkdir(parents=True)
    (cat / "catalogue.yaml").write_text(textwrap.dedent("""\
        catalogue: eigen
        kind: requirements
        title: Eigen eisen Proefdorp
        item_schema: requirement-file.schema.json
        items:
          eigen_wijkteam: gemeente
        groups:
          - group: gemeente
            title: gemeentelijk beleid
        select:
          - group: gemeente
            when: {}
        not_applicable:
          verdict_in: [not_wmo]
        """), encoding="utf-8")
    item_id = "eigen_onbekend" if bad_item else "eigen_wijkteam"
    (cat / f"{item_id}.yaml").write_text(textwrap.dedent(f"""\
        id: {item_id}
        wet: gemeente
        title: Het wijkteam voert het onderzoek
        source: Beleidsplan Proefdorp 2016
        obligation: verplicht
        law:
          article: "3.2"
          reference: Beleidsplan Proefdorp 2016 par. 3.2
          text: Het onderzoek na een melding wordt door het wijkteam gedaan.
        rules:
          - id: {item_id}.wijkteam
            title: Wijkteam doet onderzoek
            weight: 1.0
            patterns:
              - all:
                  - [wijkteam, "*wijkteam"]
                  - [onderzoek, gesprek, "*onderzoek"]
            examples:
              positive: ["Het wijkteam voert het onderzoek uit."]
              negative: ["Het college beslist op de aanvraag."]
        """), encoding="utf-8")
    return folder


def test_a_municipality_adds_a_third_catalogue_handled_like_the_others(tmp_path):
    rules = _third_catalogue(tmp_path / "regels")
    ruleset = load_ruleset([rules])
    assert set(ruleset.catalogues) == {"model", "wettelijk", "eigen"}
    assert [c.id for c in ruleset.requirement_catalogues()] == ["wettelijk", "eigen"]

    result = check(ordinance(tmp_path), rules=[rules])
    eigen = result.requirements["eigen"]
    assert eigen.applicable and eigen.group == "gemeente"
    assert eigen.requirements[0].status == "missing"  # the test ordinance has no wijkteam

    lint = run("rules", "lint", "--rules", rules)
    assert lint.exit_code == 0 and "Regelset in orde" in lint.output
    assert "catalogi: model (23), wettelijk (17), eigen (1)" in lint.output
    tested = run("rules", "test", "--rules", rules)
    assert tested.exit_code == 0, tested.output

    out = run("check", ordinance(tmp_path), "--rules", rules, "--format", "json")
    data = json.loads(out.output)
    assert set(data["catalogues"]) == {"wettelijk", "eigen"}
    assert data["catalogues"]["eigen"]["missing"] == ["eigen_wijkteam"]
    failed = run("check", ordinance(tmp_path), "--rules", rules, "--fail-on", "eigen")
    assert failed.exit_code == 1 and "eigen_wijkteam" in failed.output
    assert "Eigen eisen Proefdorp gemeentelijk beleid: 0 van 1" in failed.output


def test_an_item_that_is_not_in_its_catalogue_is_a_lint_problem(tmp_path):
    rules = _third_catalogue(tmp_path / "regels", bad_item=True)
    result = run("rules", "lint", "--rules", rules)
    assert result.exit_code == 1
    assert "eigen_onbekend" in result.output and "catalogus 'eigen'" in result.output


# ---------------------------------------------------------------- obligations and law


def test_verplicht_als_applies_only_when_the_other_requirement_is_regulated(tmp_path):
    without = legal(check(ordinance(tmp_path)))
    assert without["wmo15_bijdrage"].status == "absent" and not without["wmo15_bijdrage"].mandatory
    assert without["wmo15_kostprijs"].status == "absent" and not without["wmo15_kostprijs"].mandatory

    bijdrage = "\nArtikel 8 Bijdrage\nDe inwoner is voor een maatwerkvoorziening een bijdrage in de kosten verschuldigd.\n"
    with_contribution = legal(check(ordinance(tmp_path, "bijdrage.txt", extra=bijdrage)))
    assert with_contribution["wmo15_bijdrage"].status == "present"
    assert with_contribution["wmo15_kostprijs"].mandatory and with_contribution["wmo15_kostprijs"].status == "missing"
    assert with_contribution["wmo15_bijdrage_opvang"].status == "missing"


def test_a_negated_contribution_is_no_contribution(tmp_path):
    geen = "\nArtikel 8 Geen bijdrage\nVoor een maatwerkvoorziening is geen bijdrage in de kosten verschuldigd.\n"
    result = legal(check(ordinance(tmp_path, extra=geen)))
    assert not result["wmo15_bijdrage"].present and not result["wmo15_kostprijs"].mandatory


def test_a_referral_to_another_ordinance_does_not_regulate_the_matter(tmp_path):
    referral = ("De wijze waarop inwoners en cliënten bij het beleid worden betrokken, is geregeld in de "
                "Verordening adviesraad sociaal domein Proefdorp 2015.")
    result = legal(check(ordinance(tmp_path, participatie=referral)))
    assert result["wmo15_betrekken_ingezetenen"].status == "missing"


@pytest.mark.parametrize("gelet, datum, law", [
    (GELET_2015, "10 december 2015", "2015"),
    (GELET_2015, "12 november 2014", "2015"),  # adopted in 2014 under the Wmo 2015
    ("gelet op artikel 5 van de Wet maatschappelijke ondersteuning;", "24 maart 2011", "2007"),
    ("gelet op artikel 149 van de Gemeentewet en de Wmo;", "3 februari 2017", "2015"),  # no year: the date decides
    ("gelet op artikel 149 van de Gemeentewet en de Wmo;", "3 februari 2012", "2007"),
])
def test_the_law_follows_from_the_legal_basis_and_the_date(tmp_path, gelet, datum, law):
    result = check(ordinance(tmp_path, gelet=gelet, datum=datum))
    assert result.legal.applicable and result.legal.group == law, result.legal.basis
    assert {r.group for r in result.legal.requirements if r.status != "not_applicable"} == {law}


def test_wet_option_overrides_the_law(tmp_path):
    path = ordinance(tmp_path)
    data = json.loads(run("check", path, "--wet", "2007", "--format", "json").output)
    assert data["legal"]["law"] == "2007" and data["legal"]["overridden"] is True
    assert [r["id"] for r in data["legal"]["requirements"]] == ["wmo07_toegang", "wmo07_afstemming", "wmo07_vormen"]
    assert run("check", path, "--wet", "2010").exit_code == 2


def test_no_legal_check_for_a_document_that_is_no_wmo_ordinance(tmp_path):
    path = tmp_path / "afval.txt"
    path.write_text(textwrap.dedent("""\
        Afvalstoffenverordening Proefdorp 2016

        De raad van de gemeente Proefdorp;
        gelet op artikel 10.23 van de Wet milieubeheer;
        besluit:

        Artikel 1 Inzameling
        Het college wijst de inzamelmiddelen voor huishoudelijke afvalstoffen aan.

        Artikel 2 Aanbieden
        Huishoudelijk restafval wordt aangeboden in een container van de gemeente.
        """), encoding="utf-8")
    result = check(path)
    assert result.verdict.verdict == "not_wmo"
    assert not result.legal.applicable and all(r.status == "not_applicable" for r in result.legal.requirements)
    assert run("check", path, "--fail-on", "wettelijk").exit_code == 0


# ---------------------------------------------------------------- outputs


def test_every_output_format_shows_the_legal_requirements(tmp_path):
    path = ordinance(tmp_path)
    terminal = run("check", path).output
    assert ("Wettelijke eisen Wmo 2015: 8 van 9 verplichte onderdelen geregeld; ontbreekt: jaarlijkse waardering "
            "mantelzorgers (art. 2.1.6)") in terminal
    assert "✓ wmo15_klachtenregeling" in terminal and "art. 4 lid 2" in terminal

    data = json.loads(run("check", path, "--format", "json").output)
    requirement = {r["id"]: r for r in data["legal"]["requirements"]}
    assert data["legal"]["law"] == "2015" and data["legal"]["missing"] == ["wmo15_mantelzorgwaardering"]
    assert requirement["wmo15_mantelzorgwaardering"]["status"] == "missing"
    assert requirement["wmo15_mantelzorgwaardering"]["reference"]["article"] == "2.1.6"
    evidence = requirement["wmo15_klachtenregeling"]["evidence"][0]
    assert evidence["article"] == "4" and evidence["lid"] == "2" and "klachtenregeling" in evidence["matched"]

    html_path = tmp_path / "rapport.html"
    assert run("check", path, "--format", "html", "-o", html_path).exit_code == 0
    html = html_path.read_text(encoding="utf-8")
    assert 'id="eisen-wettelijk"' in html and html.index('id="eisen-wettelijk"') < html.index('id="checklist"')
    assert "jaarlijkse blijk van waardering voor de mantelzorgers" in html  # the law's text, beside the article

    sarif = json.loads(run("check", path, "--format", "sarif").output)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "wmo15_mantelzorgwaardering"]
    assert results and results[0]["level"] == "warning" and "Wmo 2015 art. 2.1.6" in results[0]["message"]["text"]

    junit = run("check", path, "--format", "junit").output
    assert 'name="wettelijk: wmo15_mantelzorgwaardering"' in junit and "Wmo 2015 art. 2.1.6" in junit

    github = run("check", path, "--format", "github").output
    assert "::warning" in github and "wmo15_mantelzorgwaardering" in github and "art. 2.1.6" in github


def test_fail_on_wettelijk_exits_1_with_the_law_reference(tmp_path):
    path = ordinance(tmp_path)
    result = run("check", path, "--fail-on", "wettelijk")
    assert result.exit_code == 1
    assert "wettelijke eis ontbreekt: wmo15_mantelzorgwaardering" in result.output and "Wmo 2015 art. 2.1.6" in result.output
    sarif = json.loads(run("check", path, "--fail-on", "wettelijk", "--format", "sarif").output)
    failing = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    assert [r["ruleId"] for r in failing] == ["wmo15_mantelzorgwaardering"]
    assert run("check", path, "--require", "wmo15_mantelzorgwaardering").exit_code == 1
    assert run("check", path, "--require", "wmo15_klachtenregeling").exit_code == 0
    assert run("check", path, "--require", "wmo15_bestaat_niet").exit_code == 2
    assert run("check", path, "--fail-on", "vaag").exit_code == 2
    complete = ordinance(tmp_path, "compleet.txt", extra=WAARDERING)
    assert run("check", complete, "--fail-on", "wettelijk", "--fail-on", "old").exit_code == 0


def test_an_exception_in_verordeningcheck_yaml_passes_and_shows_its_reason(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "wmo").mkdir()
    path = ordinance(repo / "wmo")
    reason = "Geregeld in de Mantelzorgregeling Proefdorp 2016."
    (repo / ".verordeningcheck.yaml").write_text(
        f"uitzonderingen:\n  wmo15_mantelzorgwaardering:\n    reden: {reason}\n", encoding="utf-8")

    result = run("check", path, "--fail-on", "wettelijk")
    assert result.exit_code == 0, result.output
    assert f"elders geregeld: {reason}" in result.output
    assert "9 van 9 verplichte" not in result.output and "1 elders geregeld" in result.output
    html_path = tmp_path / "rapport.html"
    run("check", path, "--format", "html", "-o", html_path)
    assert reason in html_path.read_text(encoding="utf-8")
    sarif = json.loads(run("check", path, "--format", "sarif", "--fail-on", "wettelijk").output)
    noted = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "wmo15_mantelzorgwaardering"]
    assert noted[0]["level"] == "note" and noted[0]["suppressions"][0]["justification"] == reason

    # only for the files it names
    (repo / ".verordeningcheck.yaml").write_text(
        f"uitzonderingen:\n  wmo15_mantelzorgwaardering:\n    reden: {reason}\n    bestanden: [andere/*.txt]\n",
        encoding="utf-8")
    assert run("check", path, "--fail-on", "wettelijk").exit_code == 1


@pytest.mark.parametrize("content, message", [
    ("uitzonderingen:\n  wmo15_bestaat_niet: Ergens anders.\n", "onbekende eis 'wmo15_bestaat_niet'"),
    ("uitzonderingen:\n  wmo15_mantelzorgwaardering:\n    bestanden: ['*.txt']\n", "geef een reden"),
    ("uitzonderingen: [\n", "geen geldige YAML"),
])
def test_a_broken_exception_file_is_a_clear_error(tmp_path, content, message):
    (tmp_path / ".git").mkdir()
    path = ordinance(tmp_path)
    (tmp_path / ".verordeningcheck.yaml").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and message in result.output and ".verordeningcheck.yaml" in result.output


def test_diff_names_the_requirements_a_draft_adds_or_drops(tmp_path):
    old = ordinance(tmp_path, "huidig.txt")
    new = ordinance(tmp_path, "concept.txt", extra=WAARDERING)
    data = json.loads(run("diff", old, new, "--format", "json").output)
    assert data["requirements_added"] == ["wmo15_mantelzorgwaardering"] and data["requirements_removed"] == []
    back = run("diff", new, old).output
    assert "- wmo15_mantelzorgwaardering" in back and "Dit is een verplicht onderdeel." in back


def test_batch_has_columns_and_a_matrix_block_for_the_requirements(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    ordinance(folder, "a.txt")
    ordinance(folder, "b.txt", extra=WAARDERING)
    out = tmp_path / "uit"
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Wettelijke eisen: 1 van 2 getoetste verordeningen" in result.output
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";")}
    assert rows["a.txt"]["wettelijk_ontbreekt"] == "wmo15_mantelzorgwaardering" and rows["b.txt"]["wettelijk_ontbreekt"] == ""
    assert rows["a.txt"]["wmo15_mantelzorgwaardering"] == "missing" and rows["b.txt"]["wmo15_mantelzorgwaardering"] == "present"
    assert rows["a.txt"]["wettelijk_wet"] == "2015"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="eisen-blok"' in index and "cel eis-missing" in index


def test_check_document_accepts_law_and_exceptions_directly(tmp_path):
    document = load(ordinance(tmp_path))
    result = check_document(document, wet="2015",
                            exceptions={"wmo15_mantelzorgwaardering": {"reason": "elders", "source": "test"}})
    assert legal(result)["wmo15_mantelzorgwaardering"].status == "exception"
    assert result.legal.missing == []


def test_batch_respects_the_exceptions_of_the_repository(tmp_path):
    folder = tmp_path / "repo"
    (folder / ".git").mkdir(parents=True)
    ordinance(folder, "a.txt")
    out = tmp_path / "uit"
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    (folder / ".verordeningcheck.yaml").write_text(
        "uitzonderingen:\n  wmo15_mantelzorgwaardering: Geregeld in de Mantelzorgregeling.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0]["wmo15_mantelzorgwaardering"] == "exception" and rows[0]["wettelijk_ontbreekt"] == ""
    report = next((out / "rapporten").glob("*.html")).read_text(encoding="utf-8")
    assert "Geregeld in de Mantelzorgregeling." in report
