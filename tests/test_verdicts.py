"""Verdicts and evidence on the team's samples, in every rendering."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from verordeningcheck.cli import main
from verordeningcheck.evaluate import evaluate_manifest

from conftest import HELDOUT, SAMPLES, checked, manifest_samples, renderings

SAMPLES_BY_ID = {s["id"]: s for s in manifest_samples()}
CASES = [(s["id"], path) for s in manifest_samples() for path in renderings(s["id"])]


@pytest.mark.parametrize("sample_id,path", CASES, ids=[p.name for _, p in CASES])
def test_verdict_and_lean_in_every_rendering(sample_id, path):
    expected = SAMPLES_BY_ID[sample_id]
    verdict = checked(path).verdict
    assert verdict.verdict == expected["verdict"], verdict.reasons
    assert verdict.lean == expected.get("lean")
    if expected.get("generation") is not None:
        assert verdict.generation == expected["generation"]


@pytest.mark.parametrize("sample_id,path", CASES, ids=[p.name for _, p in CASES])
def test_every_finding_points_to_real_article_and_lid(sample_id, path):
    result = checked(path)
    document = result.document
    for element in result.verdict.elements:
        for evidence in element.evidence + element.rejected:
            article = document.article(evidence.article)
            assert article is not None, evidence
            lid = article.lid(evidence.lid)
            assert lid is not None, evidence
            if evidence.kind == "title":  # an article title, located at the article's first lid
                assert evidence.text == article.title and lid is article.leden[0], evidence
            else:
                assert evidence.text in lid.full_text(), evidence
            assert evidence.matched, evidence


def _source_md(sample_id):
    return next(p for p in renderings(sample_id) if p.suffix == ".md")


def test_old_ordinance_with_kanteling_toelichting_stays_old():
    # hoogmeer-2008: the toelichting discusses De Kanteling, melding and keukentafelgesprek
    result = checked(_source_md("hoogmeer-2008"))
    assert "kanteling" in result.document.toelichting_text.lower()
    assert result.verdict.verdict == "old"
    assert not result.verdict.element("melding").present
    assert not result.verdict.element("gesprek").present


def test_negated_melding_and_gesprek_do_not_count():
    # lindenwaard-2009, art. 2:2: a melding "wordt niet als aanvraag aangemerkt", "geen afzonderlijk gesprek"
    result = checked(_source_md("lindenwaard-2009"))
    assert result.verdict.verdict == "old"
    for element_id in ("melding", "gesprek"):
        element = result.verdict.element(element_id)
        assert not element.present
        assert all(e.article != "2:2" for e in element.evidence)


NEGATED = """Verordening maatschappelijke ondersteuning Proefdorp 2012

De raad van de gemeente Proefdorp;
gelet op de Wet maatschappelijke ondersteuning;

Artikel 1 Melding
1. Een inwoner die ondersteuning nodig heeft, kan zich melden bij het college.
2. Het college bevestigt de ontvangst van de melding schriftelijk.

Artikel 2 Gesprek
1. Na de melding vindt geen gesprek plaats waarin de situatie van de inwoner wordt geïnventariseerd.
2. Het college voert met de inwoner geen keukentafelgesprek over zijn situatie voordat hij een aanvraag indient.

Artikel 3 Aanvraag
De inwoner dient een aanvraag in op een formulier.
"""


def test_negated_gesprek_is_reported_but_not_counted(tmp_path):
    from verordeningcheck import check

    path = tmp_path / "proefdorp.txt"
    path.write_text(NEGATED, encoding="utf-8")
    verdict = check(path).verdict
    gesprek = verdict.element("gesprek")
    assert not gesprek.present and not gesprek.evidence
    assert {(e.article, e.lid) for e in gesprek.rejected} == {("2", "1"), ("2", "2")}
    assert all(e.reason == "ontkend" for e in gesprek.rejected)
    assert verdict.element("melding").present
    assert verdict.verdict != "new"  # without the gesprek there is no inventarisatiefase


def test_non_wmo_and_amendment():
    assert checked(_source_md("havenstad-afval-2014")).verdict.verdict == "not_wmo"
    assert checked(_source_md("westerdijk-wijziging-2011")).verdict.verdict == "amendment"


def test_wmo2015_is_never_old():
    result = checked(_source_md("zuiderhaven-2015"))
    assert result.verdict.verdict == "new"
    assert result.verdict.generation == "wmo2015"


def test_evaluation_meets_targets():
    report = evaluate_manifest(SAMPLES / "manifest.yaml", check_file=checked)
    assert report["documents"] == len(CASES)
    assert report["verdict_accuracy"] == 1.0
    assert report["lean_accuracy"] == 1.0
    assert report["element_f1"] >= 0.95, {k: v for k, v in report["per_element"].items() if v["f1"] < 1}


def test_eval_command_prints_table():
    result = CliRunner().invoke(main, ["eval", str(SAMPLES / "manifest.yaml"), "--renderings", "md"])
    assert "Oordeel juist" in result.output
    assert "Verwarringsmatrix" in result.output


def test_heldout_set_meets_targets():
    """Ordinances written without sight of the rules (see docs/evaluation.md)."""
    report = evaluate_manifest(HELDOUT / "manifest.yaml", check_file=checked)
    assert report["documents"] == sum(len(renderings(s["id"], HELDOUT)) for s in manifest_samples(HELDOUT))
    assert report["verdict_accuracy"] == 1.0
    assert report["lean_accuracy"] == 1.0
    assert report["element_f1"] >= 0.95
