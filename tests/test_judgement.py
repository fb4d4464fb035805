"""Judging real-world ordinances: kind from the legal basis, sociaal domein, amendments,
Wmo 2015, real wording, the semantic slips of the matcher and a confidence that means something.

Every text here is written for these tests (fictional municipalities, own wording).
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from verordeningcheck import check
from verordeningcheck.amendments import NEW, OLD, analyse_article, is_instruction
from verordeningcheck.analyse import _split_block, is_negated
from verordeningcheck.cli import main
from verordeningcheck.model import Article, Lid, ListItem
from verordeningcheck.nlp import tokenize


def _check(tmp_path, text: str, name: str = "tekst.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check(path)


# ---------------------------------------------------------------- kind from the legal basis

JEUGD_BODY = """Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. jeugdige: een persoon als bedoeld in artikel 1.1 van de wet;
b. melding: het kenbaar maken van een hulpvraag van een jeugdige of zijn ouders bij het college;
c. ondersteuningsplan: het plan waarin de jeugdhulp voor de jeugdige wordt beschreven.

Artikel 2 Melding van een hulpvraag
1. Een jeugdige of zijn ouders kunnen een hulpvraag melden bij het jeugdteam van de gemeente.
2. Het college bevestigt de ontvangst van de melding schriftelijk.

Artikel 3 Gesprek en onderzoek
1. Na de melding voert een medewerker van het jeugdteam een gesprek met de jeugdige en zijn ouders, bij voorkeur bij hen thuis.
2. In het gesprek wordt geïnventariseerd wat de jeugdige en de ouders zelf en met hun netwerk kunnen doen.
3. De uitkomst van het gesprek wordt vastgelegd in een ondersteuningsplan dat aan de ouders wordt toegezonden.

Artikel 4 Persoonsgebonden budget
Het college verstrekt op verzoek een persoonsgebonden budget als de jeugdige de jeugdhulp zelf wil inkopen.

Artikel 5 Afstemming met andere voorzieningen
1. Het college stemt de jeugdhulp af op voorzieningen op grond van de Wet maatschappelijke ondersteuning 2015, de Participatiewet en de Zorgverzekeringswet.
2. Wordt een ouder ondersteund op grond van de Wmo 2015, dan betrekt het college die ondersteuning bij het ondersteuningsplan.

Artikel 6 Samenloop met de Wmo
Bereikt een jeugdige de leeftijd van achttien jaar, dan zorgt het college voor een tijdige overgang naar maatschappelijke ondersteuning op grond van de Wmo.

Artikel 7 Citeertitel
Deze verordening wordt aangehaald als Verordening jeugdhulp Zeeveld 2016.
"""

JEUGD = (
    "Verordening jeugdhulp Zeeveld 2016\n\n"
    "De raad van de gemeente Zeeveld;\n"
    "gelezen het voorstel van burgemeester en wethouders van 2 februari 2016;\n"
    "gelet op de artikelen 2.9, 2.10, 2.12 en 8.1.1 van de Jeugdwet;\n"
    "besluit vast te stellen de Verordening jeugdhulp Zeeveld 2016.\n\n" + JEUGD_BODY
)


def test_jeugdwet_ordinance_naming_the_wmo_in_afstemming_is_not_wmo(tmp_path):
    verdict = _check(tmp_path, JEUGD).verdict
    assert verdict.kind == "not_wmo"
    assert verdict.verdict == "not_wmo"
    assert verdict.generation is None
    # the basis that decided it: the aanhef's "gelet op ... van de Jeugdwet"
    assert verdict.kind_basis and verdict.kind_basis[0]["where"] == "grondslag"
    assert "Jeugdwet" in verdict.kind_basis[0]["text"]
    assert "aanhef" in verdict.kind_reason and "Jeugdwet" in verdict.kind_reason
    # its melding and gesprek are jeugdhulp, not Wmo elements: shown, but not counted
    melding = verdict.element("melding")
    assert not melding.present and melding.rejected
    assert all("geen Wmo-regeling" in e.reason for e in melding.rejected if e.reason != "ontkend")


def test_jeugdwet_ordinance_without_aanhef_is_not_wmo_by_its_title(tmp_path):
    text = "Verordening jeugdhulp Zeeveld 2016\n\n" + JEUGD_BODY
    verdict = _check(tmp_path, text).verdict
    assert verdict.kind == "not_wmo" and verdict.kind_basis[0]["where"] == "titel"


def test_wmo_mentions_in_afstemming_articles_do_not_make_a_text_wmo(tmp_path):
    # neither aanhef nor title: only the text is left, and its Wmo mentions are in articles
    # whose titles say they attune to other laws
    text = "Regels toegang Zeeveld\n\n" + JEUGD_BODY
    verdict = _check(tmp_path, text).verdict
    assert verdict.kind == "not_wmo"
    assert not verdict.kind_recognised
    assert any("niet herkend" in r for r in verdict.confidence_reasons)


SOCIAAL_DOMEIN = """Verordening sociaal domein Kleidorp 2016

De raad van de gemeente Kleidorp;
gelet op de artikelen 2.1.3, 2.1.4, 2.1.6 en 2.6.6 van de Wet maatschappelijke ondersteuning 2015, de artikelen 2.9 en 2.10 van de Jeugdwet en artikel 8a van de Participatiewet;
besluit vast te stellen de Verordening sociaal domein Kleidorp 2016.

Hoofdstuk 1 Algemene bepalingen

Artikel 1.1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. cliënt: een inwoner die ondersteuning, jeugdhulp of een voorziening vraagt;
b. melding: het kenbaar maken van een hulpvraag bij het college.

Hoofdstuk 2 Toegang

Artikel 2.1 Melding
1. Een inwoner kan zijn hulpvraag melden bij het sociaal team.
2. Het college bevestigt de melding schriftelijk en maakt binnen een week een afspraak voor een gesprek.

Artikel 2.2 Gesprek en onderzoek
1. Na de melding voert het college met de cliënt een gesprek waarin zijn hele situatie wordt geïnventariseerd.
2. In het gesprek wordt eerst besproken wat de cliënt zelf en met hulp van zijn netwerk kan oplossen.
3. Het onderzoek is binnen zes weken na de melding afgerond.

Artikel 2.3 Aanvraag
Na het onderzoek kan de cliënt een aanvraag indienen voor een maatwerkvoorziening.

Hoofdstuk 3 Maatschappelijke ondersteuning

Artikel 3.1 Maatwerkvoorziening
Het college verstrekt een maatwerkvoorziening als de cliënt zijn zelfredzaamheid niet op eigen kracht of met een algemene voorziening kan bereiken.

Hoofdstuk 4 Jeugdhulp

Artikel 4.1 Huisbezoek bij jeugdigen
Het gesprek met een jeugdige en zijn ouders vindt bij voorkeur plaats tijdens een huisbezoek.

Artikel 4.2 Verhuizing
Bij een jeugdige met een beperking gaat verhuizing naar een geschikte woning voor boven het aanpassen van de woning.

Hoofdstuk 5 Participatie

Artikel 5.1 Tegenprestatie
Het college kan van een uitkeringsgerechtigde een tegenprestatie vragen voor anderen in de buurt.
"""


def test_sociaal_domein_is_judged_on_its_wmo_and_toegang_chapters(tmp_path):
    verdict = _check(tmp_path, SOCIAAL_DOMEIN).verdict
    assert verdict.kind == "sociaal_domein"
    assert {b["marker"] for b in verdict.kind_basis} >= {"basis_wmo", "basis_jeugdwet"}
    assert verdict.verdict == "new"
    assert verdict.generation == "wmo2015"
    # the Jeugdhulp chapter's home visit and preference for moving are not Wmo elements here
    for element_id in ("huisbezoek", "primaat_verhuizing"):
        element = verdict.element(element_id)
        assert not element.present
        assert element.rejected and all("Jeugdhulp" in e.reason for e in element.rejected)
    assert any("Jeugdhulp" in c for c in verdict.excluded_chapters)
    assert any("Participatie" in c for c in verdict.excluded_chapters)
    assert verdict.element("melding").present and verdict.element("gesprek").present


def test_sociaal_domein_article_about_jeugdhulp_outside_a_jeugd_chapter_does_not_count(tmp_path):
    text = SOCIAAL_DOMEIN.replace("Artikel 2.3 Aanvraag", "Artikel 2.4 Huisbezoek bij jeugdhulp\n"
                                  "Het gesprek over jeugdhulp vindt bij voorkeur plaats tijdens een huisbezoek.\n\n"
                                  "Artikel 2.3 Aanvraag")
    huisbezoek = _check(tmp_path, text).verdict.element("huisbezoek")
    assert not huisbezoek.present
    assert any("Huisbezoek bij jeugdhulp" in e.reason for e in huisbezoek.rejected)


def test_jeugdhulp_ordinance_citing_the_wmo_for_a_detail_is_not_wmo(tmp_path):
    text = JEUGD.replace("van de Jeugdwet;", "van de Jeugdwet en artikel 2.1.4 van de Wet maatschappelijke ondersteuning 2015;")
    verdict = _check(tmp_path, text).verdict
    assert verdict.kind == "not_wmo"
    assert {b["where"] for b in verdict.kind_basis} == {"grondslag", "titel"}


# ---------------------------------------------------------------- amendments

AMENDMENT = """Besluit van de raad van de gemeente Heidebeek houdende aanpassing van de Wmo-verordening

De raad van de gemeente Heidebeek;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;
besluit:

Artikel I
De Verordening maatschappelijke ondersteuning Heidebeek 2009 wordt als volgt gewijzigd:
A. In artikel 1 wordt de begripsomschrijving „aanvraag: het verzoek van een belanghebbende om een voorziening, gedaan op het formulier waarop hij aangeeft welke voorziening hij wenst” vervangen door „melding: het kenbaar maken aan het college dat een inwoner ondersteuning nodig heeft, zonder dat om een bepaalde voorziening wordt gevraagd”.
B. Artikel 4 komt te luiden:
1. Een inwoner met een hulpvraag meldt zich bij het Wmo-loket.
2. Na de melding voert een consulent met de inwoner een keukentafelgesprek over zijn hele situatie, voordat een aanvraag wordt gedaan.
C. Artikel 9 vervalt.
D. In artikel 12 wordt „de aanvrager” vervangen door „de inwoner”.

Artikel II
Dit besluit treedt in werking op 1 januari 2013.
"""


def test_amendment_quoting_old_definitions_is_an_amendment(tmp_path):
    result = _check(tmp_path, AMENDMENT)
    verdict = result.verdict
    # no "wijziging" in the title: the instructions and their quoted text make it an amendment
    assert verdict.kind == "amendment" and verdict.verdict == "amendment"
    assert verdict.generation == "vng2010"  # the generation its inserted text shows
    changes = {c["label"]: c for c in verdict.changes}
    assert changes["A"]["operation"] == "replace"
    assert "melding" in changes["A"]["adds"]
    assert "aanvraag_startpunt" in changes["A"]["removes"]
    assert {"melding", "gesprek"} <= set(changes["B"]["adds"])
    assert changes["C"]["operation"] == "repeal" and changes["C"]["target"].lower() == "artikel 9"
    # the quoted old definition does not count as the amendment's own text
    old = verdict.element("aanvraag_startpunt")
    assert not old.present and old.rejected and all(e.reason == "vervangen" for e in old.rejected)
    data = result.to_dict()
    assert data["kind"] == "amendment" and [c["label"] for c in data["changes"]] == ["A", "B", "C", "D"]


def test_quoted_text_is_found_whatever_structure_the_reader_gave():
    # the same instruction given as one lid with the quoted article as list items, or inline
    as_items = Article("I", leden=[Lid(None, "Artikel 3 komt te luiden:", [
        ListItem("1.", "Een inwoner kan zich melden bij het college."),
        ListItem("2.", "Het college voert daarna een gesprek met hem."),
    ])])
    quotes = analyse_article(as_items)
    assert [s.role for s in quotes.blocks[(0, (0,))]] == [NEW]
    assert [s.role for s in quotes.blocks[(0, (1,))]] == [NEW]
    as_leden = Article("I", leden=[
        Lid("1", "Artikel 3 komt te luiden:"), Lid("2", "Een inwoner kan zich melden bij het college."),
    ])
    assert analyse_article(as_leden).blocks[(1, ())][0].role == NEW
    inline = Article("I", leden=[Lid(None, "In artikel 2 wordt „het formulier” vervangen door „de melding”.")])
    roles = [(s.role, s.text) for s in analyse_article(inline).blocks[(0, ())] if s.role]
    assert roles == [(OLD, "het formulier"), (NEW, "de melding")]
    removed = Article("I", leden=[Lid(None, "In artikel 8 vervalt de zinsnede „na het gesprek”.")])
    assert [s.role for s in analyse_article(removed).blocks[(0, ())] if s.role] == [OLD]
    quoted_then_repealed = Article("I", leden=[Lid(None, "Onderdeel b van artikel 1, luidende „b. aanvraag: een verzoek”, vervalt.")])
    assert [s.role for s in analyse_article(quoted_then_repealed).blocks[(0, ())] if s.role] == [OLD]


def test_instructions_are_told_from_ordinary_sentences():
    assert is_instruction("Na artikel 3 wordt een artikel ingevoegd, luidende:")
    assert is_instruction("Het tweede lid vervalt.")
    assert not is_instruction("Het recht op een persoonsgebonden budget vervalt als bedoeld in artikel 5.")
    assert not is_instruction("Een hulpmiddel wordt vervangen als het niet meer voldoet, zie artikel 12.")


# ---------------------------------------------------------------- Wmo 2015

WMO2015_BEGINNING = """Verordening maatschappelijke ondersteuning Duinhoven 2015

De raad van de gemeente Duinhoven;
gelet op de artikelen 2.1.3, 2.1.4, 2.1.6, 2.3.6 en 2.6.6 van de Wet maatschappelijke ondersteuning 2015;
besluit vast te stellen de Verordening maatschappelijke ondersteuning Duinhoven 2015.

Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. aanvraag: een aanvraag als bedoeld in artikel 4:1 van de Algemene wet bestuursrecht;
b. college: het college van burgemeester en wethouders.
"""


def test_wmo2015_from_the_aanhef_is_never_old_even_with_only_the_beginning(tmp_path):
    verdict = _check(tmp_path, WMO2015_BEGINNING).verdict
    assert verdict.generation == "wmo2015"
    assert verdict.verdict == "new"
    assert verdict.confidence < 0.5
    assert any("artikel" in r for r in verdict.confidence_reasons)


# ---------------------------------------------------------------- real wording

AANMELDING = """Verordening maatschappelijke ondersteuning Lindehoek 2012

De raad van de gemeente Lindehoek;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;
besluit vast te stellen de Verordening maatschappelijke ondersteuning Lindehoek 2012.

Artikel 1 Begrippen
In deze verordening wordt verstaan onder:
a. aanmelding: het kenbaar maken van een hulpvraag bij het Wmo-loket, zonder dat om een voorziening wordt gevraagd;
b. screening: het korte eerste gesprek bij de aanmelding;
c. keukentafelgesprek: het gesprek waarin de hele situatie van de inwoner in kaart wordt gebracht.

Artikel 2 Aanmelding
1. Een inwoner met beperkingen kan zijn hulpvraag aanmelden bij het Wmo-loket.
2. Een aanmelding is geen aanvraag.

Artikel 3 Screening
Na de aanmelding houdt een medewerker van het Wmo-loket binnen vijf werkdagen een screening van de hulpvraag.

Artikel 4 Keukentafelgesprek
1. Na de screening voert een consulent met de inwoner een keukentafelgesprek, bij voorkeur bij de inwoner thuis.
2. In het keukentafelgesprek wordt eerst nagegaan wat de inwoner zelf of met hulp van zijn familie en buren kan doen.
3. Het gesprek vindt in elk geval plaats wanneer de inwoner zich voor het eerst aanmeldt.
4. Van het gesprek maakt de consulent een verslag dat hij binnen tien werkdagen aan de inwoner toezendt.

Artikel 5 Aanvraag
Na het keukentafelgesprek kan de inwoner een aanvraag indienen.
"""


def test_aanmelding_and_screening_based_ordinance_is_new(tmp_path):
    verdict = _check(tmp_path, AANMELDING).verdict
    assert verdict.kind == "wmo" and verdict.verdict == "new"
    assert verdict.generation == "vng2010"
    melding, gesprek = verdict.element("melding"), verdict.element("gesprek")
    assert melding.present and any(e.article == "2" for e in melding.evidence)
    assert gesprek.present and any(e.article == "3" for e in gesprek.evidence)  # the screening
    assert not verdict.element("aanvraag_startpunt").present


# ---------------------------------------------------------------- semantic slips

def _negated(sentence: str, word: str) -> bool:
    tokens = tokenize([sentence])[0]
    return is_negated(tokens, next(i for i, t in enumerate(tokens) if t.lower == word))


def test_negation_that_follows_its_object_after_a_parenthetical():
    assert _negated("Het primaat van het collectief vervoer, bedoeld in artikel 9, is niet langer van toepassing.", "primaat")
    assert _negated("De ladder van verantwoordelijkheden, zoals vastgesteld in 2011, wordt niet meer toegepast.", "ladder")
    assert not _negated("Het primaat van het collectief vervoer, bedoeld in artikel 9, blijft van toepassing.", "primaat")
    assert not _negated("Een melding, die ook telefonisch kan worden gedaan, wordt vastgelegd.", "melding")


PRIMAAT_OFF = """Verordening maatschappelijke ondersteuning Beekzande 2013

De raad van de gemeente Beekzande;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 1 Melding
Een inwoner kan zijn hulpvraag melden bij het college.

Artikel 2 Gesprek
Na de melding voert het college met de inwoner een gesprek over zijn situatie voordat hij een aanvraag indient.

Artikel 3 Overgang
De voorrang van algemene voorzieningen boven individuele voorzieningen, zoals geregeld in de vorige verordening, is niet langer van toepassing.
"""


def test_a_principle_no_longer_applied_does_not_count(tmp_path):
    element = _check(tmp_path, PRIMAAT_OFF).verdict.element("primaat_collectief")
    assert not element.present
    assert element.rejected and element.rejected[0].article == "3"


GEEN_GESPREK = """Verordening voorzieningen maatschappelijke ondersteuning Molenveld 2008

De raad van de gemeente Molenveld;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 1 Aanvraag
1. Wie een voorziening wil ontvangen, dient daartoe een aanvraag in bij het college.
2. Aan de aanvraag gaat geen gesprek vooraf.

Artikel 2 Beslissing
Het college beslist binnen acht weken op de aanvraag.
"""


def test_blanket_denial_of_the_gesprek_is_evidence_against_it_never_a_situation(tmp_path):
    verdict = _check(tmp_path, GEEN_GESPREK).verdict
    situaties = verdict.element("gesprek_situaties")
    assert not situaties.present and not situaties.evidence
    gesprek = verdict.element("gesprek")
    assert not gesprek.present and any(e.article == "1" and e.lid == "2" for e in gesprek.rejected)


ROUTE = """Verordening maatschappelijke ondersteuning Ooievaart 2012

De raad van de gemeente Ooievaart;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 1 Melding
1. Een inwoner die ondersteuning nodig heeft, meldt zich bij het college.
2. Het college bevestigt de ontvangst van de melding.

Artikel 2 Gesprek
Na de melding voert het college met de inwoner een gesprek waarin zijn situatie wordt geïnventariseerd.

Artikel 3 Aanvraagformulier
1. Wie een voorziening wil ontvangen, dient daartoe een aanvraag in.
2. De aanvraag wordt gedaan op het aanvraagformulier dat het college vaststelt.
"""


def test_aanvraag_startpunt_depends_on_the_order_of_the_procedure(tmp_path):
    verdict = _check(tmp_path, ROUTE).verdict
    element = verdict.element("aanvraag_startpunt")
    assert not element.present
    assert element.rejected and all("melding of gesprek" in e.reason for e in element.rejected)
    # the same aanvraag article first, with the melding of changes only afterwards: the route starts there
    reordered = ROUTE.replace("Artikel 1 Melding\n1. Een inwoner die ondersteuning nodig heeft, meldt zich bij het college.\n"
                              "2. Het college bevestigt de ontvangst van de melding.\n\nArtikel 2 Gesprek\n"
                              "Na de melding voert het college met de inwoner een gesprek waarin zijn situatie wordt geïnventariseerd.\n\n", "")
    assert _check(tmp_path, reordered, "eerst-aanvraag.txt").verdict.element("aanvraag_startpunt").present


TITLE = """Verordening voorzieningen maatschappelijke ondersteuning Wilgenrode 2007

De raad van de gemeente Wilgenrode;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 7 Samenhangende afstemming
1. Bij de beoordeling van een aanvraag houdt het college rekening met:
a. de gezondheid van de aanvrager;
b. de woonsituatie van de aanvrager;
c. de sociale omstandigheden van de aanvrager.
2. Het college legt zijn overwegingen vast in het besluit.
"""


def test_article_title_is_evidence_located_at_the_first_lid(tmp_path):
    element = _check(tmp_path, TITLE).verdict.element("samenhangende_afstemming")
    assert element.present
    titles = [e for e in element.evidence if e.kind == "title"]
    assert titles and titles[0].article == "7" and titles[0].lid == "1"
    assert titles[0].text == "Samenhangende afstemming"


def test_nested_items_are_units_with_their_introduction():
    # "7°" items a reader put on lines of the lettered item, after its colon
    pairs = _split_block("wat de inwoner kan doen, door:\n6° mantelzorg te verlenen;\n7° zich zelf in te zetten voor anderen.")
    assert pairs[2] == ("7° zich zelf in te zetten voor anderen.", "wat de inwoner kan doen, door:")
    # an inline enumeration after a colon is split into items
    inline = _split_block("In het gesprek komt aan de orde: a. de wensen van de inwoner; b. wat hij voor anderen kan doen.")
    assert ("b. wat hij voor anderen kan doen.", "In het gesprek komt aan de orde:") in inline


NESTED = """Verordening maatschappelijke ondersteuning Rietkamp 2012

De raad van de gemeente Rietkamp;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 5 Onderwerpen van het gesprek
In het gesprek komen aan de orde:
a. de situatie van de inwoner;
b. de mogelijkheden van de inwoner om:
1° zijn hulpvraag zelf op te lossen;
2° zich zelf in te zetten voor anderen.
"""


def test_nested_degree_item_is_matched(tmp_path):
    element = _check(tmp_path, NESTED).verdict.element("wederkerigheid")
    assert element.present and element.evidence[0].article == "5"


# ---------------------------------------------------------------- confidence

def test_confidence_is_lower_with_a_dutch_reason_when_evidence_is_only_definitions(tmp_path):
    text = """Verordening maatschappelijke ondersteuning Zandwijk 2012

De raad van de gemeente Zandwijk;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. melding: het kenbaar maken van een hulpvraag bij het college, die geen aanvraag is;
b. gesprek: het contact na een melding waarin de hele situatie van de inwoner wordt geïnventariseerd.
"""
    full = _check(tmp_path, AANMELDING, "volledig.txt").verdict
    verdict = _check(tmp_path, text).verdict
    assert verdict.verdict == "new"
    assert verdict.confidence < full.confidence - 0.3
    assert any("begripsbepalingen" in r for r in verdict.confidence_reasons)
    assert any("1 artikel" in r for r in verdict.confidence_reasons)


def test_kind_and_basis_in_json_and_terminal(tmp_path):
    path = tmp_path / "jeugd.txt"
    path.write_text(JEUGD, encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    data = json.loads(out.output)
    assert data["kind"] == "not_wmo" and data["kind_basis"][0]["where"] == "grondslag"
    assert "Jeugdwet" in data["kind_reason"]
    terminal = CliRunner().invoke(main, ["check", str(path)]).output
    assert "Soort:      geen Wmo-verordening" in terminal


def test_amendment_changes_in_the_report(tmp_path):
    from verordeningcheck.report import render_html

    html = render_html(_check(tmp_path, AMENDMENT))
    assert "Wat deze wijziging verandert" in html
    assert "Melding als startpunt" in html


@pytest.mark.parametrize("manifest", ["manifest.yaml", "heldout/manifest.yaml"])
def test_eval_reports_kind_and_calibration(manifest):
    from conftest import SAMPLES, checked
    from verordeningcheck.evaluate import evaluate_manifest, render_table

    report = evaluate_manifest(SAMPLES / manifest, renderings="md", check_file=checked)
    assert report["kind_accuracy"] == 1.0
    assert sum(band["documents"] for band in report["calibration"]) == report["documents"]
    assert "Kalibratie" in render_table(report)


def test_old_without_any_element_says_it_is_only_the_default(tmp_path):
    text = """Verordening maatschappelijke ondersteuning Veenhorst 2011

De raad van de gemeente Veenhorst;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;

Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. college: het college van burgemeester en wethouders;
b. wet: de Wet maatschappelijke ondersteuning.
"""
    verdict = _check(tmp_path, text).verdict
    assert verdict.verdict == "old"
    assert verdict.confidence <= 0.2
    assert any("gebrek aan bewijs" in r for r in verdict.confidence_reasons)


def _document(title: str, aanhef: list[str], articles: list[Article]):
    from verordeningcheck.model import Document

    return Document(title=title, format="text", source_name="opgebouwd", aanhef=aanhef, articles=articles)


def test_quoted_article_that_a_reader_split_off_stays_quoted():
    from verordeningcheck.pipeline import check_document

    # a reader that gives the inserted article 3a as an article of its own after Artikel I
    document = _document("Wijzigingsverordening Wmo Ellemeer 2012", ["gelet op artikel 5 van de Wet maatschappelijke ondersteuning;"], [
        Article("I", leden=[Lid(None, "Na artikel 3 wordt een artikel ingevoegd, luidende:")]),
        Article("3a", title="Melding", leden=[Lid("1", "Een inwoner kan zijn hulpvraag melden bij het college."),
                                              Lid("2", "Een melding is geen aanvraag.")]),
        Article("II", leden=[Lid(None, "Deze verordening treedt in werking op 1 januari 2013.")]),
    ])
    verdict = check_document(document).verdict
    assert verdict.kind == "amendment"
    melding = verdict.element("melding")
    assert melding.present and all(e.kind == "inserted" and e.instruction == 0 for e in melding.evidence)
    assert verdict.changes[0]["adds"] == ["melding"]


def test_repealed_article_line_inside_an_amendment_is_an_instruction():
    from verordeningcheck.pipeline import check_document

    # a reader that read "Artikel 4.1 vervalt." inside Artikel I as a repealed article
    document = _document("Wijzigingsbesluit Wmo Oudeveen 2016", ["gelet op de Wet maatschappelijke ondersteuning 2015;"], [
        Article("I", leden=[Lid(None, "De verordening wordt als volgt gewijzigd: A Artikel 2.3 komt als volgt te luiden:")]),
        Article("2.3", title="Onderzoek", leden=[Lid(None, "Binnen zes weken na de melding voert het college een gesprek met de cliënt.")]),
        Article("4.1", status="vervallen"),
        Article("II", leden=[Lid(None, "Dit besluit treedt in werking op 1 juli 2016.")]),
    ])
    verdict = check_document(document).verdict
    assert verdict.kind == "amendment"
    changes = {(c["label"], c["operation"], c["target"].lower()) for c in verdict.changes}
    assert ("A", "replace", "artikel 2.3") in changes and ("", "repeal", "artikel 4.1") in changes
    assert any(c["operation"] == "replace" and "gesprek" in c["adds"] for c in verdict.changes)


def test_wmo2015_from_the_year_in_the_title_when_the_aanhef_is_missing(tmp_path):
    text = """Verordening maatschappelijke ondersteuning Hoogwoud 2019

Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. college: het college van burgemeester en wethouders;
b. wet: de wet.
"""
    verdict = _check(tmp_path, text).verdict
    assert verdict.kind == "wmo" and verdict.generation == "wmo2015" and verdict.verdict == "new"
    older = _check(tmp_path, text.replace("2019", "2013"), "ouder.txt").verdict
    assert older.generation != "wmo2015" and older.verdict == "old"


def test_sociaal_domein_keeps_a_shared_toegang_chapter_that_names_jeugdhulp(tmp_path):
    text = SOCIAAL_DOMEIN.replace("Hoofdstuk 2 Toegang", "Hoofdstuk 2 Toegang tot ondersteuning en jeugdhulp")
    verdict = _check(tmp_path, text).verdict
    assert verdict.element("melding").present and verdict.element("gesprek").present
    assert not any("Toegang" in c for c in verdict.excluded_chapters)


def test_instruction_komt_als_volgt_te_luiden():
    article = Article("I", leden=[Lid(None, "Artikel 2.3 komt als volgt te luiden:", [
        ListItem("1.", "Na de melding voert het college een gesprek."),
    ])])
    quotes = analyse_article(article)
    assert quotes.instructions[0].operation == "replace"
    assert quotes.blocks[(0, (0,))][0].role == NEW


def test_wmo2015_article_numbers_in_the_aanhef_make_a_wmo_ordinance(tmp_path):
    text = WMO2015_BEGINNING.replace("van de Wet maatschappelijke ondersteuning 2015;", "van de wet;")
    verdict = _check(tmp_path, text).verdict
    assert verdict.kind == "wmo" and verdict.generation == "wmo2015" and verdict.verdict == "new"


def test_every_real_document_that_loads_is_judged_as_labelled():
    """The real set (samples/real/labels.yaml): kind, verdict, lean and generation wherever a
    document loads and its label gives them (loading is the readers' part, tested elsewhere)."""
    import yaml
    from conftest import SAMPLES, checked
    from verordeningcheck.errors import InputError

    labels = yaml.safe_load((SAMPLES / "real" / "labels.yaml").read_text(encoding="utf-8"))["documents"]
    judged = 0
    for label in labels:
        try:
            verdict = checked(SAMPLES / "real" / label["file"]).verdict
        except InputError:
            continue
        judged += 1
        for key in ("kind", "verdict", "lean", "generation"):
            if label.get(key) is not None:
                assert getattr(verdict, key) == label[key], (label["id"], key)
    assert judged >= 12
