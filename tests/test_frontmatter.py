"""Front matter: page chrome is left out and reported, the title and the gemeente are those the
regulation gives itself (readers/frontmatter.py, used by every reader).

Every text here is written for these tests (invented municipalities), shaped like what users
bring: a saved or pasted web page, a download site's transcription, a Gemeenteblad, a PDF.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from verordeningcheck.cli import main
from verordeningcheck.load import load
from verordeningcheck.readers.frontmatter import (
    chrome_kind,
    choose_title,
    citeertitel_in_brackets,
    find_gemeente,
    label_line,
    readable_title,
    title_from_besluit,
)

BODY = """
De raad van de gemeente Vlietburg;

gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;

besluit vast te stellen de Verordening cliëntondersteuning Vlietburg 2016.

Artikel 1 Begrippen
In deze verordening wordt verstaan onder cliënt: degene die zich meldt bij het college.

Artikel 2 Melding
Een inwoner kan zich melden bij het college voor ondersteuning bij de Wmo-voorziening.
"""
TITLE = "Verordening cliëntondersteuning Vlietburg 2016"


def read_text(text: str, name: str = "pagina.txt"):
    return load(text.encode("utf-8"), name=name)


def kinds(document) -> set[str]:
    return {d.kind for d in document.dropped}


def regulation_text(document) -> str:
    data = document.to_dict()
    data.pop("dropped")
    return json.dumps(data, ensure_ascii=False)


# ----------------------------------------------------------------------------- chrome kinds


@pytest.mark.parametrize(
    "line, kind",
    [
        ("Regeling vervallen per 01-03-2019", "status"),
        ("Deze regeling is vervallen.", "status"),
        ("Geldend van 15-06-2016 t/m 28-02-2019", "status"),
        ("Geldend vanaf 1 maart 2019", "status"),
        ("Geldend van 01-09-2020 t/m heden met terugwerkende kracht vanaf 01-07-2020", "status"),
        ("Regeling geldend op 12-04-2021", "status"),
        ("Deze regeling is geldig tot de volgende wijziging in werking treedt", "status"),
        ("Dit is een historische versie van deze regeling", "status"),
        ("U bevindt zich hier: Start › Regelgeving › Zorg", "status"),
        ("Permanente link naar deze versie", "link"),
        ("Naar de actuele versie van de regeling", "link"),
        ("Naar de door u bekeken versie", "link"),
        ("Toon relaties in LiDO", "link"),
        ("Ziet u een fout in deze regeling? Laat het ons weten via het formulier.", "feedback"),
        ("Meld het ons via het contactformulier", "feedback"),
        ("GEMEENTEBLAD", "gemeenteblad"),
        ("Officiële uitgave van de gemeente Vlietburg.", "gemeenteblad"),
        ("Nr. 104477 14 juli 2016", "gemeenteblad"),
        ("Gemeente Vlietburg – Verordening cliëntondersteuning Vlietburg 2016", "gemeenteblad"),
        ("Maat: px", "viewer"),
        ("Weergave met pagina beginnen:", "viewer"),
        ('Download "Raadsvoorstel cliëntondersteuning 2016"', "viewer"),
        ("Transcriptie", "viewer"),
        ("Pagina 3 van 11", "page-number"),
        ("- 7 -", "page-number"),
        ("raadsbesluit_clientondersteuning_definitief.pdf", "file-name"),
        ("Microsoft Word - bijlage 2 verordening.doc", "file-name"),
        ("Overheid.nl", "site-chrome"),
        ("Home Zoeken Contact", "site-chrome"),
    ],
)
def test_each_kind_of_chrome_is_left_out_and_reported(line, kind):
    assert chrome_kind(line) == kind
    document = read_text(line + "\n" + BODY)
    assert document.title == TITLE
    assert document.gemeente == "Vlietburg"
    assert [a.number for a in document.articles] == ["1", "2"]
    assert line not in regulation_text(document)
    reported = [d for d in document.dropped if d.kind == kind]
    assert reported and reported[0].location.line == 1
    assert reported[0].reason  # a Dutch explanation for the user


@pytest.mark.parametrize(
    "line",
    [
        "Verordening cliëntondersteuning Vlietburg 2016",
        "De raad van de gemeente Vlietburg;",
        "Artikel 3 Permanente link met de zorgaanbieder",
        "Het college meldt het ons eerst.",
        "Onderwerp van het gesprek zijn de behoeften van de cliënt.",
        "Organisatie van de ondersteuning",
        "2. De aanvraag wordt binnen acht weken afgehandeld.",
    ],
)
def test_text_of_the_regulation_is_not_chrome(line):
    assert chrome_kind(line) is None
    assert label_line(line) is None or label_line(line).key in ("subject", "creator")


def test_chrome_between_the_articles_only_where_it_cannot_be_regulation_text():
    text = BODY.replace(
        "Artikel 2 Melding",
        "Pagina 2 van 4\nArtikel 2 Melding",
    ) + "\nArtikel 3 Slot\nDeze verordening treedt in werking op 1 januari 2017.\nOverheid.nl\n"
    document = read_text(text)
    assert "page-number" in kinds(document)
    assert "Pagina 2 van 4" not in document.article("1").text
    # a site name is only chrome in the front matter; at the end it stays (and is seen)
    assert "Overheid.nl" in document.article("3").text


def test_a_saved_repository_page_keeps_only_the_regulation():
    page = """Ziet u een fout in deze regeling? Meld het ons op een.adres@example.nl!
Lindewijk

Verordening sociale ondersteuning Lindewijk 2014

Wetstechnische informatie

Gegevens van de regeling
OrganisatieLindewijk
OrganisatietypeGemeente
Officiële naam regelingVerordening sociale ondersteuning Lindewijk 2014
CiteertitelVerordening sociale ondersteuning 2014
Vastgesteld doorgemeenteraad
Onderwerpzorg en welzijn
Eigen onderwerp

Opmerkingen met betrekking tot de regeling

Vervangt de verordening uit 2012 per de eerste dag na bekendmaking.

Overzicht van in de tekst verwerkte wijzigingen

Datum inwerkingtreding

Betreft

01-02-201401-02-2014nieuwe regeling

Tekst van de regeling

Intitulé

Verordening sociale ondersteuning Lindewijk 2014

De raad van de gemeente Lindewijk;

besluit:

Artikel 1 Begrippen
In deze verordening wordt verstaan onder melding: het verzoek om ondersteuning.
"""
    document = read_text(page)
    assert document.title == "Verordening sociale ondersteuning Lindewijk 2014"
    assert document.gemeente == "Lindewijk"
    assert document.metadata["citeertitel"] == "Verordening sociale ondersteuning 2014"
    assert document.metadata["isRatifiedBy"] == "gemeenteraad"
    assert document.metadata["subject"] == "zorg en welzijn"
    assert document.aanhef == ["De raad van de gemeente Lindewijk;", "besluit:"]
    text = regulation_text(document).split('"metadata"')[0] + json.dumps(document.aanhef, ensure_ascii=False)
    for chrome in ("Ziet u een fout", "Wetstechnische", "Vervangt de verordening", "nieuwe regeling", "Intitulé"):
        assert chrome not in text, chrome
    assert {"feedback", "metadata", "letterhead"} <= kinds(document)


# ----------------------------------------------------------------------------- glued labels


@pytest.mark.parametrize(
    "line, key, value",
    [
        ("CiteertitelWmo-verordening Lindewijk", "alternative", "Wmo-verordening Lindewijk"),
        ("Officiële naam regelingverordening jeugdhulp Lindewijk", "title", "verordening jeugdhulp Lindewijk"),
        ("OrganisatietypeGemeente", "organisatietype", "Gemeente"),
        ("Vastgesteld doorgemeenteraad", "isRatifiedBy", "gemeenteraad"),
        ("Datum inwerkingtreding01-01-2015", "inwerkingtredingDatum", "01-01-2015"),
        ("Citeertitel: Wmo-verordening Lindewijk", "alternative", "Wmo-verordening Lindewijk"),
        ("Organisatie | Gemeente Lindewijk |", "creator", "Gemeente Lindewijk"),
    ],
)
def test_glued_label_lines(line, key, value):
    m = label_line(line)
    assert m is not None and (m.key, m.value) == (key, value)


def test_glued_labels_without_a_block_heading_are_metadata_when_they_come_in_a_run():
    text = "OrganisatieZandhoven\nOrganisatietypeGemeente\nOnderwerpzorg\n\n" + BODY.replace("Vlietburg", "Zandhoven")
    document = read_text(text)
    assert document.gemeente == "Zandhoven"
    assert document.metadata["subject"] == "zorg"
    assert "Onderwerpzorg" not in regulation_text(document)


def test_a_single_ordinary_word_label_is_not_taken_for_metadata():
    text = "Onderwerpen voor de raad\n" + BODY
    document = read_text(text)
    assert "subject" not in document.metadata
    assert not any(d.kind == "metadata" for d in document.dropped)


def test_a_flattened_publication_table_gives_the_organisation():
    text = "Publicatiedatum | Organisatie | Rubriek |\n---|---|---|\n12-05-2016 | Kleidorp | Verordeningen |\n" + BODY.replace(
        "De raad van de gemeente Vlietburg;", "De raad;"
    )
    document = read_text(text)
    assert document.metadata["creator"] == "Kleidorp"
    assert document.gemeente == "Kleidorp"


# ----------------------------------------------------------------------------- title


def test_title_precedence_metadata_intitule_besluit_heading():
    besluit = ["De raad van de gemeente Vlietburg;", "besluit vast te stellen de Verordening C;"]
    hints = ["Verordening D"]
    assert choose_title(metadata={"title": "Verordening A", "alternative": "Verordening A2"}, intitule="Verordening B",
                        besluit=besluit, hints=hints) == "Verordening A"
    assert choose_title(metadata={"alternative": "Verordening A2"}, intitule="Verordening B",
                        besluit=besluit, hints=hints) == "Verordening A2"
    assert choose_title(metadata={}, intitule="Verordening B", besluit=besluit, hints=hints) == "Verordening B"
    assert choose_title(metadata={}, intitule=None, besluit=besluit, hints=hints) == "Verordening C"
    assert choose_title(metadata={}, intitule=None, besluit=[], hints=[None, "Regeling vervallen per 01-01-2015",
                                                                      "Verordening D."]) == "Verordening D"


@pytest.mark.parametrize(
    "texts, title",
    [
        (["besluit vast te stellen de volgende verordening:", "Verordening maatwerk Kleidorp 2018"],
         "Verordening maatwerk Kleidorp 2018"),
        (["besluit: vast te stellen de Verordening maatwerk Kleidorp 2018."], "Verordening maatwerk Kleidorp 2018"),
        (["besluit: 1. in te trekken de Verordening maatwerk Kleidorp 2014; 2. vast te stellen de Verordening "
          "maatwerk Kleidorp 2018 Hoofdstuk 1 Algemeen Artikel 1 ..."], "Verordening maatwerk Kleidorp 2018"),
        (["vast te stellen het Besluit maatwerk Kleidorp, luidende als volgt:"], "Besluit maatwerk Kleidorp"),
        (["De raad heeft op 3 mei 2018 besloten de Verordening maatwerk Kleidorp 2018 vast te stellen."],
         "Verordening maatwerk Kleidorp 2018"),
        (["overwegende dat het nodig is de regels opnieuw vast te stellen, gelet op de wet;"], None),
    ],
)
def test_title_from_the_besluit(texts, title):
    assert title_from_besluit(texts) == title


def test_the_besluit_title_takes_the_year_the_heading_adds():
    assert choose_title(metadata={}, intitule=None, besluit=["vast te stellen de Verordening maatwerk Kleidorp"],
                        hints=["Verordening maatwerk Kleidorp 2018"]) == "Verordening maatwerk Kleidorp 2018"


def test_title_from_a_transcribed_gemeenteblad_page():
    page = """GEMEENTEBLAD. Nr Verordening jeugdhulp Zandhoven 2016

Maat: px
Weergave met pagina beginnen:

Download "GEMEENTEBLAD. Nr Verordening jeugdhulp Zandhoven 2016"

Transcriptie

1 GEMEENTEBLAD Officiële uitgave van gemeente Zandhoven. Nr 4411 februari 2016 Verordening jeugdhulp Zandhoven 2016

Artikel 1 Begrippen
In deze verordening wordt verstaan onder jeugdige: een persoon jonger dan achttien jaar.

2 Artikel 2 Toegang
Het college beslist binnen acht weken.
"""
    document = read_text(page)
    assert document.title == "Verordening jeugdhulp Zandhoven 2016"
    assert document.gemeente == "Zandhoven"
    assert [a.number for a in document.articles] == ["1", "2"]
    assert {"viewer", "gemeenteblad", "page-number"} <= kinds(document)


def test_all_caps_title_is_made_readable_keeping_proper_names():
    text = """VERORDENING MAATSCHAPPELIJKE ONDERSTEUNING GEMEENTE OUDE VEENSTREEK 2016

De raad van de gemeente Oude Veenstreek;

gelet op de Wmo 2015 en de Algemene wet bestuursrecht;

besluit:

Artikel 1 Begrippen
In deze verordening wordt verstaan onder Wmo: de Wet maatschappelijke ondersteuning 2015.
"""
    document = read_text(text)
    assert document.title == "Verordening maatschappelijke ondersteuning gemeente Oude Veenstreek 2016"
    assert document.gemeente == "Oude Veenstreek"


def test_readable_title_of_hyphenated_and_abbreviated_words():
    assert readable_title("WMO-VERORDENING 'S-GRAVENWAARD 2015", "", "'s-Gravenwaard") == "Wmo-verordening 's-Gravenwaard 2015"
    assert readable_title("Verordening Wmo Kleidorp", "", "Kleidorp") == "Verordening Wmo Kleidorp"  # not in capitals


def test_file_name_and_gemeenteblad_heading_are_not_the_title_of_a_pdf_like_text():
    text = "wmo_verordening_2016_DEF.pdf\nGemeente Vlietburg – Verordening cliëntondersteuning Vlietburg 2016\n" + BODY.replace(
        "besluit vast te stellen de Verordening cliëntondersteuning Vlietburg 2016.", "besluit:"
    )
    document = read_text(text)
    assert document.title == TITLE
    assert {"file-name", "gemeenteblad"} <= kinds(document)


# ----------------------------------------------------------------------------- gemeente


@pytest.mark.parametrize(
    "aanhef, gemeente",
    [
        ("De raad van de gemeente De Hoeve;", "De Hoeve"),
        ("De raad van de gemeente Oude Veenstreek, gelet op ...", "Oude Veenstreek"),
        ("De raad van de gemeente 's-Gravenwaard;", "'s-Gravenwaard"),
        ("De raad van de gemeente Lytse-Fryslân;", "Lytse-Fryslân"),
        ("De raad van de gemeente Bergen (ZH);", "Bergen (ZH)"),
        ("De raad van de gemeente Sint-Annadal;", "Sint-Annadal"),
        ("De raad van de gemeente Rijswaard aan den Dijk;", "Rijswaard aan den Dijk"),
        ("De gemeenteraad van Midden-Kleiland;", "Midden-Kleiland"),
        ("De Raad van de Gemeente Den Hoorn; gelezen het voorstel", "Den Hoorn"),
        ("De raad van de gemeente Hoeven, Velde en Broek;", "Hoeven, Velde en Broek"),
        ("De raad van de gemeente Kleidorp, Gelet op de wet;", "Kleidorp"),
    ],
)
def test_multi_word_gemeente_names(aanhef, gemeente):
    assert find_gemeente(front=[aanhef]) == gemeente
    document = read_text(BODY.replace("De raad van de gemeente Vlietburg;", aanhef))
    assert document.gemeente == gemeente


def test_the_adopting_municipality_wins_over_one_the_text_mentions():
    aanhef = [
        "gezien het advies van de gemeente Lekdonk over de regionale inkoop;",
        "De raad van de gemeente Rijnwaarde;",
        "gelet op de samenwerking met het college van burgemeester en wethouders van de gemeente Lekdonk;",
    ]
    assert find_gemeente(front=aanhef) == "Rijnwaarde"
    # the publisher and the college count only when no raad adopts it
    assert find_gemeente(front=aanhef[2:], publishers=["Maasdal"]) == "Maasdal"
    assert find_gemeente(front=aanhef[2:]) == "Lekdonk"
    # metadata (creator, "Organisatie") first
    assert find_gemeente(metadata="Gemeente Oude Veenstreek", front=aanhef) == "Oude Veenstreek"


def test_a_municipality_only_mentioned_in_an_article_is_not_the_gemeente():
    text = BODY.replace("De raad van de gemeente Vlietburg;", "De raad;").replace(
        "bij het college.", "bij het college, ook als hij woont in de gemeente Lekdonk."
    ).replace("Verordening cliëntondersteuning Vlietburg 2016", "Verordening cliëntondersteuning 2016")
    document = read_text(text)
    assert document.gemeente is None


def test_title_names_the_gemeente_when_nothing_else_does():
    text = BODY.replace("De raad van de gemeente Vlietburg;", "De raad;").replace(
        "Vlietburg 2016", "gemeente Zandhoven 2016"
    )
    assert read_text(text).gemeente == "Zandhoven"


# ----------------------------------------------------------------------------- leesverantwoording


PAGE = "Regeling vervallen per 01-03-2019\nPermanente link\nZiet u een fout in deze regeling? Meld het ons!\n" + BODY


def test_parse_json_lists_what_was_left_out(tmp_path):
    path = tmp_path / "opgeslagen-pagina.txt"
    path.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == TITLE
    assert [(d["kind"], d["text"], d["location"]) for d in data["dropped"]] == [
        ("status", "Regeling vervallen per 01-03-2019", {"line": 1}),
        ("link", "Permanente link", {"line": 2}),
        ("feedback", "Ziet u een fout in deze regeling? Meld het ons!", {"line": 3}),
    ]
    assert all(d["reason"] and d["count"] == 1 for d in data["dropped"])
    assert "warnings" in data


def test_parse_outline_shows_the_leesverantwoording(tmp_path):
    path = tmp_path / "opgeslagen-pagina.txt"
    path.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "Leesverantwoording: 3 stukken tekst weggelaten" in result.output
    assert "geldigheidsregel van de website: “Regeling vervallen per 01-03-2019” (regel 1)" in result.output


def test_report_has_an_escaped_leesverantwoording(tmp_path):
    from verordeningcheck.pipeline import check_document as check
    from verordeningcheck.report import render_html

    hostile = 'Download "<script>alert(1)</script> & <b>vet</b>"'
    result = check(read_text(hostile + "\n" + PAGE))
    html = render_html(result)
    assert 'id="leesverantwoording"' in html and 'href="#leesverantwoording"' in html
    assert "Leesverantwoording" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html
    assert "geldigheidsregel van de website" in html
    assert "<details class=\"leesverantwoording\" open>" in html  # short: open


def test_report_collapses_a_long_leesverantwoording_and_says_when_nothing_was_left_out():
    from verordeningcheck.pipeline import check_document as check
    from verordeningcheck.report import render_html

    many = "".join(f"Download \"bijlage {n}\"\n" for n in range(12))
    html = render_html(check(read_text(many + BODY)))
    assert "<details class=\"leesverantwoording\">" in html
    assert "12 stukken tekst" in html
    html = render_html(check(read_text(BODY)))
    assert "Er is geen tekst weggelaten" in html


def test_pdf_running_headers_are_counted_once_in_the_leesverantwoording():
    from verordeningcheck.model import Dropped
    from verordeningcheck.readers.frontmatter import add_dropped

    dropped: list[Dropped] = []
    for page in range(1, 6):
        add_dropped(dropped, "running-header", "Verordening Wmo Kleidorp #", None)
    add_dropped(dropped, "page-number", "Pagina # van #", None)
    assert [(d.kind, d.count) for d in dropped] == [("running-header", 5), ("page-number", 1)]


# ----------------------------------------------------------------------------- XML readers


def test_cvdr_xml_without_metadata_takes_the_intitule_readable_and_the_adopting_raad():
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<cvdr><body>
  <intitule>VERORDENING MAATWERK OUDE VEENSTREEK 2017</intitule>
  <regeling>
    <aanhef><al>De raad van de gemeente Oude Veenstreek;</al>
      <al>gezien het advies van het college van burgemeester en wethouders van de gemeente Lekdonk;</al>
      <al>besluit:</al></aanhef>
    <regeling-tekst>
      <artikel><kop><label>Artikel</label><nr>1</nr><titel>Melding</titel></kop>
        <al>Een inwoner meldt zich bij het college van Oude Veenstreek voor ondersteuning uit de Wmo.</al></artikel>
    </regeling-tekst>
  </regeling>
</body></cvdr>
"""
    document = load(xml.encode("utf-8"), name="maatwerk.xml")
    assert document.gemeente == "Oude Veenstreek"
    assert document.title == "Verordening maatwerk Oude Veenstreek 2017"


def test_op_xml_reports_the_gemeenteblad_heading_and_strips_it_from_the_title():
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie>
  <kop><titel>GEMEENTEBLAD</titel><subtitel>Officiële uitgave van de gemeente Sint-Annadal.</subtitel></kop>
  <gemeenteblad>
    <kop><titel>Gemeente Sint-Annadal – Verordening maatwerk Sint-Annadal 2017</titel></kop>
    <regeling>
      <regeling-tekst>
        <artikel><kop><label>Artikel</label><nr>1</nr><titel>Melding</titel></kop>
          <al>Een inwoner meldt zich bij het college.</al></artikel>
      </regeling-tekst>
    </regeling>
  </gemeenteblad>
</officiele-publicatie>
"""
    document = load(xml.encode("utf-8"), name="gmb.xml")
    assert document.gemeente == "Sint-Annadal"
    assert document.title == "Verordening maatwerk Sint-Annadal 2017"
    assert [(d.kind, d.text) for d in document.dropped] == [
        ("gemeenteblad", "GEMEENTEBLAD"),
        ("gemeenteblad", "Officiële uitgave van de gemeente Sint-Annadal."),
    ]


def test_a_page_name_in_the_metadata_is_not_the_title():
    assert choose_title(metadata={"title": "Home | Gemeente Kleidorp"}, intitule=None,
                        besluit=["vast te stellen de Verordening maatwerk Kleidorp 2018"], hints=[]) == (
        "Verordening maatwerk Kleidorp 2018")


def test_a_case_number_glued_to_the_intitule_is_not_part_of_the_title():
    page = """Permanente link
Naar de actuele versie van de regeling
Verordening maatwerk Kleidorp 2020
Geldend van 01-09-2020 t/m heden met terugwerkende kracht vanaf 01-07-2020
Intitulé
Verordening maatwerk Kleidorp 2020Zaaknummer: 88123
De raad van de gemeente Kleidorp;
besluit:
Artikel 1 Melding
Een inwoner meldt zich bij het college.
"""
    document = read_text(page)
    assert document.title == "Verordening maatwerk Kleidorp 2020"
    assert document.gemeente == "Kleidorp"
    assert [d.kind for d in document.dropped][:4] == ["link", "link", "status", "metadata"]


def test_a_download_sites_name_for_the_document_is_not_its_first_heading():
    page = """HOOFDSTUK 1 BEGRIPPEN

Maat: px
Weergave met pagina beginnen:

Download "HOOFDSTUK 1 BEGRIPPEN"

Transcriptie

1 VERORDENING MAATWERK De raad van de gemeente Kleidorp, gelet op de wet, Besluit Vast te stellen de Verordening Maatwerk Gemeente Kleidorp 2012

HOOFDSTUK 1 BEGRIPPEN

Artikel 1.1 Begrippen
In deze verordening wordt verstaan onder wet: de Wet maatschappelijke ondersteuning.
"""
    document = read_text(page)
    assert document.title == "Verordening Maatwerk Gemeente Kleidorp 2012"
    assert document.gemeente == "Kleidorp"
    assert document.dropped[0].kind == "viewer" and document.dropped[0].text == "HOOFDSTUK 1 BEGRIPPEN"
    assert [a.number for a in document.articles] == ["1.1"]


def test_an_all_caps_title_gives_the_gemeente_its_capitals_back():
    assert readable_title("VERORDENING MAATWERK 2014 GEMEENTE SINT-ANNADAL AAN DE VECHT") == (
        "Verordening maatwerk 2014 gemeente Sint-Annadal aan de Vecht")
    text = "VERORDENING MAATWERK 2014 GEMEENTE LEK-EN-DIJKWAARD\n\nArtikel 1 Melding\nEen inwoner meldt zich.\n"
    document = read_text(text)
    assert document.title == "Verordening maatwerk 2014 gemeente Lek-en-Dijkwaard"
    assert document.gemeente == "Lek-en-Dijkwaard"


def test_the_gemeenteblad_prefix_of_a_download_sites_title_is_not_part_of_the_title():
    assert choose_title(metadata={}, intitule=None, besluit=[],
                        hints=["GEMEENTEBLAD. Nr Verordening maatwerk Kleidorp 2016"]) == "Verordening maatwerk Kleidorp 2016"
    assert choose_title(metadata={}, intitule=None, besluit=[],
                        hints=["CVDR. Nr. CVDR100200_1. Verordening maatwerk 2016"]) == "Verordening maatwerk 2016"


def test_pasted_page_text_without_blank_lines_keeps_its_title_line():
    page = """Gemeenteblad van Kleidorp
| Datum publicatie | Organisatie | Jaargang en nummer | Rubriek |
|---|---|---|---|
| Kleidorp | Gemeenteblad 2023, 51234 | Verordeningen |
Zoals vergunningen, bouwplannen en lokale regelgeving.
Adressen en contactpersonen van overheidsorganisaties.
Beleidsregels maatwerk Kleidorp 2023
Het college heeft deze regels gesteld om de toegang tot maatwerk duidelijk te maken.
Artikel 1 Melding
Een inwoner meldt zich bij het college.
"""
    document = read_text(page)
    assert document.title == "Beleidsregels maatwerk Kleidorp 2023"
    assert document.gemeente == "Kleidorp"
    assert sum(1 for d in document.dropped if d.kind == "site-chrome") == 2


def test_html_page_with_a_status_line_keeps_the_title_named_at_the_end_of_its_aanhef():
    html = """<html><head><title>Verordening maatwerk Kleidorp 2019</title></head><body><main>
<h1>Verordening maatwerk Kleidorp 2019</h1>
<p>Geldend van 01-01-2019 t/m heden</p>
<p>Gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;</p>
<p>besluit de raad vast te stellen de volgende verordening:</p>
<p>Verordening maatwerk Kleidorp 2019</p>
<h3>Artikel 1 Melding</h3><p>Een inwoner meldt zich bij het college.</p>
</main></body></html>"""
    document = load(html.encode("utf-8"), name="pagina.html")
    assert document.title == "Verordening maatwerk Kleidorp 2019"
    assert document.aanhef == ["Gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;",
                               "besluit de raad vast te stellen de volgende verordening:",
                               "Verordening maatwerk Kleidorp 2019"]
    assert [d.kind for d in document.dropped] == ["status"]


# --------------------------------------------------------------------------- batch 2 of real pages


def test_a_reference_number_line_above_the_aanhef_is_chrome_not_the_title():
    for line in ("Ons kenmerk: 2020/4471", "Uw kenmerk: ZK-19-0081", "Zaaknummer 551234", "Registratienummer:"):
        assert chrome_kind(line) == "reference", line
    assert chrome_kind("Kenmerk voorstel") is None  # a metadata label, not a reference line
    page = """Regeling van het college van burgemeester en wethouders van de gemeente Rietmond over de toegang tot hulpmiddelen en de beoordeling van aanvragen door inwoners die zelf geen vervoer kunnen regelen (Regeling hulpmiddelen Rietmond 2021)

Ons kenmerk: 2020/4471

Het college van burgemeester en wethouders van de gemeente Rietmond,

besluit:

Artikel 1 Begrippen
In deze regeling wordt verstaan onder hulpmiddel: een voorziening die het college verstrekt.
"""
    document = read_text(page)
    assert document.title == "Regeling hulpmiddelen Rietmond 2021"
    assert [d.kind for d in document.dropped if d.kind == "reference"] == ["reference"]


def test_the_citeertitel_in_brackets_after_a_long_official_name_is_the_title():
    long_name = ("Beleidsregel van het college van burgemeester en wethouders van de gemeente Rietmond houdende "
                 "bepalingen over de wijziging van de Beleidsregel hulpmiddelen gemeente Rietmond 2019 "
                 "(Beleidsregel tot wijziging van de Beleidsregel hulpmiddelen gemeente Rietmond 2019 (2e wijziging))")
    assert citeertitel_in_brackets(long_name) == (
        "Beleidsregel tot wijziging van de Beleidsregel hulpmiddelen gemeente Rietmond 2019 (2e wijziging)")
    assert title_from_besluit(["besluit:", "vast te stellen de", long_name]) == (
        "Beleidsregel tot wijziging van de Beleidsregel hulpmiddelen gemeente Rietmond 2019 (2e wijziging)")
    # a year or a short remark in brackets is part of the title, not a citeertitel
    assert citeertitel_in_brackets("Verordening hulpmiddelen Rietmond (2021)") is None
    assert citeertitel_in_brackets("Verordening hulpmiddelen Rietmond (tweede wijziging)") is None


def test_the_besluit_word_on_its_own_paragraph_then_the_adopted_title():
    texts = ["De raad van de gemeente Rietmond;", "BESLUIT:",
             "de Verordening vervoersvoorzieningen Rietmond vast te stellen."]
    assert title_from_besluit(texts) == "Verordening vervoersvoorzieningen Rietmond"
    letter_spaced = ["Het college,", "b e s l u i t :", "het Besluit vervoersvoorzieningen Rietmond vast te stellen"]
    assert title_from_besluit(letter_spaced) == "Besluit vervoersvoorzieningen Rietmond"
    # without the besluit word before it, a sentence of the toelichting is not a besluit
    assert title_from_besluit(["Wij stellen voor", "de Verordening X Rietmond vast te stellen."]) is None


def test_a_municipal_sites_name_and_kind_label_before_the_title_are_left_out():
    page = """gemeente Rietmond | Verordening vervoersvoorzieningen Rietmond

Regeling Verordening vervoersvoorzieningen Rietmond

De raad van de gemeente Rietmond;

besluit:

Artikel 1.
Het college verstrekt vervoersvoorzieningen op aanvraag.
"""
    document = read_text(page)
    assert document.title == "Verordening vervoersvoorzieningen Rietmond"
    assert document.gemeente == "Rietmond"
    assert choose_title(metadata={}, intitule=None, besluit=[],
                        hints=["Regeling Beleidsregels vervoer 2022"]) == "Beleidsregels vervoer 2022"
    # a title that starts with "Regeling" of its own is kept
    assert choose_title(metadata={}, intitule=None, besluit=[],
                        hints=["Regeling vervoersvoorzieningen Rietmond 2022"]) == "Regeling vervoersvoorzieningen Rietmond 2022"


def test_a_college_regulation_takes_its_gemeente_from_the_ordinance_it_rests_on():
    page = """Nadere regels vervoer 2019

HET COLLEGE VAN BURGEMEESTER EN WETHOUDERS,

gelet op:

artikel 4, tweede lid, van de Verordening vervoersvoorzieningen gemeente Sint-Rietmond aan Zee 2018,

het Beleidsplan vervoer 2018-2020,

besluit:

Artikel 1 Doelgroep
Het college verstrekt vervoersvoorzieningen aan inwoners die niet zelf kunnen reizen.
"""
    document = read_text(page)
    assert document.gemeente == "Sint-Rietmond aan Zee"
    # the adopting raad stays first, and a municipality named outside the "gelet op" is not taken
    assert find_gemeente(front=["De raad van de gemeente Kleidorp;",
                                "gelet op de Verordening vervoer gemeente Rietmond 2018;"]) == "Kleidorp"
    assert find_gemeente(title="", grounds=["Het college heeft de Verordening vervoer gemeente Rietmond 2018 gezien."]) is None
    assert find_gemeente(title="", grounds=["gelet op de Verordening vervoer gemeente Rietmond 2018;"]) == "Rietmond"


def test_a_page_footer_at_the_end_of_a_transcribed_page_is_left_out_and_reported():
    page = """Regeling reiskosten Kleidorp

Maat: px
Weergave met pagina beginnen:

Download "Regeling reiskosten Kleidorp"

Transcriptie

1 Raadsbesluit De raad van de gemeente Kleidorp; gelet op artikel 8 van de Participatiewet; besluit vast te stellen de: Regeling reiskosten Kleidorp Artikel 1 Begrippen In deze regeling wordt verstaan onder: - college: het college van burgemeester en wethouders van Kleidorp Artikel 2 Aanvraag Een aanvraag wordt ingediend met het formulier van het college, als bekendgemaakt in Gemeenteblad 2016, nr. 4411. Artikel 3 Hoogte van de vergoeding Gemeenteblad nr. 57 1

2 De vergoeding is gelijk aan de prijs van een treinkaartje tweede klas voor de kortste reis tussen het woonadres en de plaats van de opleiding, ook als de aanvrager met de fiets, de auto of de bus reist, en wordt per maand berekend. Artikel 4 Betaling Het college betaalt de vergoeding binnen vier weken uit. Gemeenteblad 2016 nr. 57 3 februari 2016 2
"""
    document = read_text(page)
    assert [(a.number, a.title) for a in document.articles] == [
        ("1", "Begrippen"), ("2", "Aanvraag"), ("3", "Hoogte van de vergoeding"), ("4", "Betaling")]
    footers = [(d.text, d.location.line) for d in document.dropped if d.kind == "page-footer"]
    assert footers == [("Gemeenteblad nr. 57 1", 10), ("Gemeenteblad 2016 nr. 57 3 februari 2016 2", 12)]
    # a citation of the Gemeenteblad in the text is no footer
    assert document.articles[1].leden[0].text.endswith("als bekendgemaakt in Gemeenteblad 2016, nr. 4411.")
    assert document.articles[3].leden[0].text == "Het college betaalt de vergoeding binnen vier weken uit."


def test_a_footer_with_another_page_number_than_the_transcribed_page_stays_text():
    page = """Regeling reiskosten Kleidorp

Transcriptie

1 Regeling reiskosten Kleidorp De raad van de gemeente Kleidorp; besluit vast te stellen de Regeling reiskosten Kleidorp.

Artikel 1 Bekendmaking
Het college maakt de bedragen bekend in het Gemeenteblad nr. 57 8
"""
    document = read_text(page)
    assert not [d for d in document.dropped if d.kind == "page-footer"]
    assert document.articles[0].leden[0].text.endswith("in het Gemeenteblad nr. 57 8")
