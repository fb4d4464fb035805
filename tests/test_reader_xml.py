"""The CVDR / op-xsd XML reader: real reference files, hand-written shapes, safety."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from verordeningcheck import load
from verordeningcheck.errors import EmptyDocument, MalformedDocument, UnsafeDocument, UnsupportedFormat
from verordeningcheck.limits import Limits
from verordeningcheck.readers.xml import read_xml, split_heading

FORMATS = Path(__file__).resolve().parents[2] / "shared" / "formats"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LIMITS = Limits()


def real(name: str) -> bytes:
    path = FORMATS / name
    if not path.is_file():
        pytest.skip(f"reference file {name} not present")
    return path.read_bytes()


def read(data: bytes | str, name: str = "test.xml"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return read_xml(data, name, LIMITS)


# ---------------------------------------------------------------------------
# Real files (WetSuite test data)
# ---------------------------------------------------------------------------


def test_cvdr_example3_chapters_paragrafen_and_articles():
    doc = read(real("wetsuite_cvdr_example3.xml"), "example3.xml")
    assert doc.format == "cvdr-xml"
    assert doc.gemeente == "Someren"
    assert doc.title.startswith("Beleidsregel Wet Bibob voor omgevingsvergunning milieu")
    assert doc.metadata["identifier"] == "CVDR680781_1"
    assert doc.metadata["modified"] == "2019-08-30"
    chapters = [(d.number, d.title) for d in doc.divisions if d.kind == "hoofdstuk"]
    assert chapters == [
        ("1", "Inleiding"),
        ("2", "Wet Bibob"),
        ("3", "Juridisch kader"),
        ("4", "Beleidsuitgangspunten"),
        ("5", "Aanvraag van een Bibob-advies bij het Landelijk Bureau Bibob (LBB)"),
        ("6", "Inwerkingtreding"),
    ]
    paragrafen = [(d.number, d.title, d.parent) for d in doc.divisions if d.kind == "paragraaf"]
    assert paragrafen == [
        ("A", "Bibob-toets bij een aanvraag voor een vergunning", "4"),
        ("B", "Bibob-toets bij een reeds verleende vergunning", "4"),
        ("C", "Uitzondering", "4"),
    ]
    # every artikel has an empty kop: unnumbered, one per chapter, text kept
    assert [a.number for a in doc.articles] == [""] * 6
    assert [a.chapter for a in doc.articles] == ["1", "2", "3", "4", "5", "6"]
    assert any("zonder nummer" in w for w in doc.warnings)
    wet_bibob = doc.articles[1]
    assert len(wet_bibob.leden) == 1 and wet_bibob.leden[0].number is None
    bullets = wet_bibob.leden[0].items
    assert [i.label for i in bullets[:7]] == ["•"] * 7
    assert bullets[0].text == "Drank- en Horecavergunningen;"
    # nested list in chapter 5
    nested = doc.articles[4].leden[0].items[1]
    assert [i.text for i in nested.items][:2] == ["de bedrijfsstructuur;", "de financiering van het bedrijf;"]
    # list items a./b. in chapter 3
    labels = [i.label for i in doc.articles[2].leden[0].items]
    assert labels == ["a.", "b."]
    # structuurtekst under the paragrafen is not an article but reported
    assert sum("buiten een artikel" in w for w in doc.warnings) == 3
    assert doc.aanhef[0] == "Het college van burgemeester en wethouders van de gemeente Someren;"
    assert "D. Blok" in doc.slot
    assert doc.articles[1].location.path == "/cvdr/body/regeling/regeling-tekst/hoofdstuk[2]/artikel"
    assert doc.toelichting == []


def test_cvdr_example2_vervallen_chapters_and_label_with_title():
    doc = read(real("wetsuite_cvdr_example2.xml"), "example2.xml")
    assert doc.gemeente == "Kampen"
    assert doc.title == "Beleidsregels verkeersveiligheid en parkeren"
    assert [(d.kind, d.number, d.title) for d in doc.divisions] == [
        ("hoofdstuk", "1", "Parkeren"),
        ("hoofdstuk", "2", "Hard rijden"),
        ("hoofdstuk", "3", "Bebording"),
        ("hoofdstuk", "4", "Diversen"),
        ("hoofdstuk", "5", "Gehandicaptenparkeerplaatsen"),
    ]
    assert doc.articles == []
    vervallen = [w for w in doc.warnings if "vervallen" in w]
    assert len(vervallen) == 4 and vervallen[0].startswith("Hoofdstuk 1 (Parkeren)")
    assert doc.metadata["source"] == "Reglement verkeersregels en verkeertekens 1990; Parkeerverordening gemeente Kampen"
    with pytest.raises(EmptyDocument):
        load(real("wetsuite_cvdr_example2.xml"), name="example2.xml")


def test_cvdr_example1_table_article():
    doc = read(real("wetsuite_cvdr_example1.xml"), "example1.xml")
    assert doc.gemeente == "Spijkenisse"
    assert doc.metadata["identifier"] == "112779_1"
    assert doc.metadata["uitwerkingtredingDatum"] == "2012-04-25"
    assert len(doc.articles) == 1
    text = doc.articles[0].text
    assert "Maatschappelijke Ondersteuning | WMO zorgverlening | Zie functieautorisatie MO" in text
    assert doc.aanhef[-1] == "Alle binnengemeentelijke afnemers beschikken hooguit over een beperkte gedeeltelijke inzage."
    # metadata text (redactionele toevoeging) never leaks into the regulation text
    assert "Deze regeling volgt op" not in json.dumps(doc.to_dict(), ensure_ascii=False).split('"metadata"')[0]
    assert all("Deze regeling volgt op" not in a.text for a in doc.articles)


def test_op_gmb_xml_notice():
    doc = read(real("wetsuite_gmb.xml"), "gmb.xml")
    assert doc.format == "op-xml"
    assert doc.gemeente == "Oldambt"
    assert doc.title == "Ingediende aanvraag omgevingsvergunning, Zuiderweg 21 Midwolda"
    assert doc.metadata["publicatieblad"] == "GEMEENTEBLAD"
    assert doc.articles == []
    assert any("zakelijke mededeling" in w for w in doc.warnings)


def test_op_bgr_decision_in_aanhef():
    doc = read(real("wetsuite_bgr.xml"), "bgr.xml")
    assert doc.title.startswith("Regeling mandatering bevoegdheden van het dagelijks bestuur")
    assert doc.gemeente is None  # a gemeenschappelijke regeling, not a gemeente
    assert doc.metadata["uitgever"] == "gemeenschappelijke regeling Regio Achterhoek"
    # regeling-tekst is empty; the "Artikel N." headings in the aanhef are recognised
    numbers = [a.number for a in doc.articles]
    assert numbers[:3] == ["1", "2", "3"] and "8" in numbers
    assert doc.article("1").title == "Begripsbepalingen"
    assert doc.aanhef and doc.aanhef[0].startswith("Het dagelijks bestuur en de voorzitter van Regio Achterhoek")
    assert any("aanhef" in w for w in doc.warnings)


# ---------------------------------------------------------------------------
# Hand-written CVDR with lid / lidnr / lijst / definitielijst / toelichting
# ---------------------------------------------------------------------------

CVDR = """<?xml version="1.0" encoding="utf-8"?>
<cvdr xmlns="http://standaarden.overheid.nl/cvdr/terms/" xmlns:dcterms="http://purl.org/dc/terms/"
      xmlns:overheid="http://standaarden.overheid.nl/owms/terms/" xmlns:overheidrg="http://standaarden.overheid.nl/cvdr/meta/">
  <meta><owmskern>
    <dcterms:identifier>CVDR999_1</dcterms:identifier>
    <dcterms:title>Verordening maatschappelijke ondersteuning Proefstad 2010</dcterms:title>
    <dcterms:creator scheme="overheid:Gemeente">Gemeente Proefstad</dcterms:creator>
    <dcterms:modified>2010-01-01</dcterms:modified>
  </owmskern>
  <owmsmantel><dcterms:alternative>Verordening Wmo Proefstad 2010</dcterms:alternative></owmsmantel>
  </meta>
  <body><intitule>Verordening maatschappelijke ondersteuning Proefstad 2010</intitule>
  <regeling>
    <aanhef><preambule><al>De raad van de gemeente Proefstad;</al><al/><al><vet>besluit</vet> vast te stellen:</al></preambule></aanhef>
    <regeling-tekst>
      <hoofdstuk><kop><label>Hoofdstuk</label><nr>I</nr><titel>Algemene bepalingen</titel></kop>
        <artikel><kop><label>Artikel</label><nr>1.</nr><titel>Begripsbepalingen</titel></kop>
          <al>In deze verordening wordt verstaan onder:</al>
          <definitielijst>
            <definitie-item><li.nr>a.</li.nr><term>melding</term><definitie><al>het kenbaar maken van een behoefte aan ondersteuning;</al></definitie></definitie-item>
            <definitie-item><li.nr>b.</li.nr><term>college:</term><definitie><al>burgemeester en wethouders.</al></definitie></definitie-item>
          </definitielijst>
        </artikel>
        <artikel><kop><label>Artikel</label><nr>2</nr><titel>Melding en gesprek</titel></kop>
          <lid><lidnr>1.</lidnr><al>Een melding kan <cursief>mondeling</cursief> worden gedaan.</al></lid>
          <lid><lidnr>2</lidnr><al>Het college voert een gesprek over:</al>
            <lijst type="expliciet">
              <li nr="a."><al>de situatie van de inwoner;</al></li>
              <li nr="b."><al>de mogelijkheden:</al>
                <lijst><li nr="1°"><al>eigen kracht;</al></li><li nr="2°"><al>het sociale netwerk.</al></li></lijst>
              </li>
            </lijst>
          </lid>
          <lid><lidnr>3.</lidnr><al>Zie <extref doc="https://wetten.overheid.nl/">de wet</extref>.</al></lid>
        </artikel>
      </hoofdstuk>
      <hoofdstuk><kop><label>2.Slotbepalingen</label></kop>
        <paragraaf><kop><label>§</label><nr>2.1</nr><titel>Overgangsrecht</titel></kop>
          <artikel><kop><label>Artikel</label><nr>3</nr><titel/></kop><al>[Vervallen]</al></artikel>
          <artikel><kop><label>Artikel</label><nr>4a</nr><titel>Citeertitel</titel></kop>
            <al>Deze verordening wordt aangehaald als Verordening Wmo Proefstad 2010.</al>
            <al>Zij treedt in werking op 1 januari 2010.</al>
          </artikel>
          <artikel><kop><label>Artikel 5 Overgang</label></kop>
            <lijst><li nr="1."><al>Lopende aanvragen worden afgehandeld.</al></li><li nr="2."><al>Het college beslist.</al></li></lijst>
          </artikel>
        </paragraaf>
      </hoofdstuk>
    </regeling-tekst>
    <regeling-sluiting><slotformulering><al>Aldus vastgesteld in de vergadering van 1 december 2009.</al></slotformulering>
      <ondertekening><functie>de griffier,</functie><functie/><functie>de voorzitter,</functie></ondertekening></regeling-sluiting>
    <toelichting><kop><label/><nr/><titel>Toelichting</titel></kop>
      <al><vet>Algemene toelichting</vet></al>
      <al>Deze verordening volgt de kanteling: eerst een melding, dan een gesprek.</al>
      <al><vet>Artikelsgewijze toelichting</vet></al>
      <al>Artikel 2 regelt het gesprek.</al>
    </toelichting>
  </regeling>
  </body>
</cvdr>
"""


def test_handwritten_cvdr_structure():
    doc = read(CVDR, "proefstad.xml")
    assert doc.title == "Verordening maatschappelijke ondersteuning Proefstad 2010"
    assert doc.gemeente == "Proefstad"
    assert doc.metadata["citeertitel"] == "Verordening Wmo Proefstad 2010"
    assert [(d.kind, d.number, d.title, d.parent) for d in doc.divisions] == [
        ("hoofdstuk", "I", "Algemene bepalingen", None),
        ("hoofdstuk", "2", "Slotbepalingen", None),
        ("paragraaf", "2.1", "Overgangsrecht", "2"),
    ]
    assert [(a.number, a.title, a.chapter, a.paragraaf, a.status) for a in doc.articles] == [
        ("1", "Begripsbepalingen", "I", None, None),
        ("2", "Melding en gesprek", "I", None, None),
        ("3", "", "2", "2.1", "vervallen"),
        ("4a", "Citeertitel", "2", "2.1", None),
        ("5", "Overgang", "2", "2.1", None),
    ]
    art1 = doc.article("1")
    assert art1.leden[0].number is None
    assert art1.leden[0].text == "In deze verordening wordt verstaan onder:"
    assert [(i.label, i.text) for i in art1.leden[0].items] == [
        ("a.", "melding: het kenbaar maken van een behoefte aan ondersteuning;"),
        ("b.", "college: burgemeester en wethouders."),
    ]
    art2 = doc.article("2")
    assert [l.number for l in art2.leden] == ["1", "2", "3"]
    assert art2.leden[0].text == "Een melding kan mondeling worden gedaan."
    assert art2.leden[2].text == "Zie de wet."
    items = art2.lid("2").items
    assert [(i.label, i.text) for i in items] == [("a.", "de situatie van de inwoner;"), ("b.", "de mogelijkheden:")]
    assert [(i.label, i.text) for i in items[1].items] == [("1°", "eigen kracht;"), ("2°", "het sociale netwerk.")]
    assert art2.lid("2").location.path == "/cvdr/body/regeling/regeling-tekst/hoofdstuk[1]/artikel[2]/lid[2]"
    assert art2.location.path == "/cvdr/body/regeling/regeling-tekst/hoofdstuk[1]/artikel[2]"
    assert doc.article("3").leden == []
    art4 = doc.article("4a")
    assert len(art4.leden) == 1 and art4.leden[0].number is None
    assert art4.leden[0].text.splitlines() == [
        "Deze verordening wordt aangehaald als Verordening Wmo Proefstad 2010.",
        "Zij treedt in werking op 1 januari 2010.",
    ]
    # leden written as a numbered list directly in the artikel
    art5 = doc.article("5")
    assert [(l.number, l.text) for l in art5.leden] == [
        ("1", "Lopende aanvragen worden afgehandeld."),
        ("2", "Het college beslist."),
    ]
    assert doc.aanhef == ["De raad van de gemeente Proefstad;", "besluit vast te stellen:"]
    assert doc.slot == ["Aldus vastgesteld in de vergadering van 1 december 2009.", "de griffier,", "de voorzitter,"]
    # the toelichting is separate and never part of an article
    assert [(s.heading, s.paragraphs) for s in doc.toelichting] == [
        ("Algemene toelichting", ["Deze verordening volgt de kanteling: eerst een melding, dan een gesprek."]),
        ("Artikelsgewijze toelichting", ["Artikel 2 regelt het gesprek."]),
    ]
    assert all("kanteling" not in a.text for a in doc.articles)


def test_handwritten_cvdr_through_load():
    doc = load(CVDR.encode("utf-8"), name="proefstad.xml")
    assert doc.format == "cvdr-xml" and doc.source_name == "proefstad.xml"
    assert len(doc.articles) == 5


def test_toelichting_as_sibling_of_regeling():
    start, end = CVDR.index("<toelichting>"), CVDR.index("</toelichting>") + len("</toelichting>")
    xml = CVDR[:start] + CVDR[end:]
    xml = xml.replace(
        "</regeling>",
        "</regeling><toelichting><al>Een toelichting als zuster van de regeling.</al></toelichting>",
    )
    doc = read(xml)
    assert [(s.heading, s.paragraphs) for s in doc.toelichting] == [
        ("Toelichting", ["Een toelichting als zuster van de regeling."])
    ]
    assert all("zuster" not in a.text for a in doc.articles)


def test_leden_typed_as_numbered_paragraphs():
    xml = """<cvdr><body><regeling><regeling-tekst>
      <artikel><kop><label>Artikel</label><nr>7</nr><titel>Beslissing</titel></kop>
        <al>1. Het college beslist binnen acht weken.</al>
        <al>2. Het college kan de termijn verlengen met:</al>
        <lijst><li nr="a."><al>vier weken;</al></li><li nr="b."><al>zes weken.</al></li></lijst>
        <al>3. De aanvrager wordt ingelicht.</al>
      </artikel>
      <artikel><kop><label>Artikel</label><nr>8</nr></kop>
        <al>Onder dit artikel wordt verstaan:</al><al>1. niet een lid maar een opsomming;</al>
      </artikel>
      <wijzig-artikel><kop><label>Artikel</label><nr>II</nr></kop><al>Artikel 3 vervalt.</al></wijzig-artikel>
    </regeling-tekst></regeling></body></cvdr>"""
    doc = read(xml)
    art7 = doc.article("7")
    assert [(l.number, l.text) for l in art7.leden] == [
        ("1", "Het college beslist binnen acht weken."),
        ("2", "Het college kan de termijn verlengen met:"),
        ("3", "De aanvrager wordt ingelicht."),
    ]
    assert [i.label for i in art7.lid("2").items] == ["a.", "b."]
    art8 = doc.article("8")
    assert [l.number for l in art8.leden] == [None]
    assert doc.article("II").leden[0].text == "Artikel 3 vervalt."


# ---------------------------------------------------------------------------
# Hand-written op-xsd regulation (gemeenteblad) with li.nr children
# ---------------------------------------------------------------------------

OP_REGELING = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata><meta name="OVERHEIDop.externMetadataRecord" content="https://example.invalid/gmb-2012-1/metadata.xml"/></metadata>
  <kop><titel>GEMEENTEBLAD</titel><subtitel>Officiële uitgave van de gemeente Voorbeeldrijk</subtitel></kop>
  <gemeenteblad><kop><titel>Verordening Wmo Voorbeeldrijk 2012</titel></kop>
    <regeling>
      <aanhef><preambule><al>De raad van de gemeente Voorbeeldrijk;</al></preambule></aanhef>
      <regeling-tekst>
        <artikel><kop><label>Artikel</label><nr>1</nr><titel>Begrippen</titel></kop>
          <lid><lidnr>1.</lidnr><al>In deze verordening wordt verstaan onder:</al>
            <lijst><li><li.nr>a.</li.nr><al><nadruk type="vet">melding</nadruk>: een verzoek;</al></li>
                   <li><li.nr>b.</li.nr><al>gesprek: een onderzoek.</al></li></lijst>
          </lid>
          <lid><lidnr>2.</lidnr><al>Overige begrippen hebben de betekenis uit de wet.</al></lid>
        </artikel>
        <artikel><kop><label>Artikel</label><nr>2</nr><titel>Vervallen</titel></kop></artikel>
      </regeling-tekst>
    </regeling>
  </gemeenteblad>
</officiele-publicatie>
"""


def test_op_regeling_with_li_nr():
    doc = read(OP_REGELING, "gmb.xml")
    assert doc.format == "op-xml"
    assert doc.gemeente == "Voorbeeldrijk"
    assert doc.title == "Verordening Wmo Voorbeeldrijk 2012"
    art1 = doc.article("1")
    assert [l.number for l in art1.leden] == ["1", "2"]
    assert [(i.label, i.text) for i in art1.lid("1").items] == [("a.", "melding: een verzoek;"), ("b.", "gesprek: een onderzoek.")]
    art2 = doc.article("2")
    assert art2.status == "vervallen" and art2.title == "" and art2.leden == []
    assert art1.lid("2").location.path == "/officiele-publicatie/gemeenteblad/regeling/regeling-tekst/artikel[1]/lid[2]"


# ---------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Artikel 3. Titel", ("artikel", "3", "Titel")),
        ("1.Parkeren", (None, "1", "Parkeren")),
        ("1.", (None, "1", "")),
        ("§ 2 Titel", ("paragraaf", "2", "Titel")),
        ("Hoofdstuk II - Titel", ("hoofdstuk", "II", "Titel")),
        ("Artikel 2:3 Aanvraag", ("artikel", "2:3", "Aanvraag")),
        ("Artikel 12a", ("artikel", "12a", "")),
        ("A. Bibob-toets", (None, "A", "Bibob-toets")),
        ("Inleiding", (None, None, "Inleiding")),
        ("Artikelsgewijze toelichting", (None, None, "Artikelsgewijze toelichting")),
    ],
)
def test_split_heading(text, expected):
    assert split_heading(text) == expected


# ---------------------------------------------------------------------------
# Safety and errors
# ---------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE cvdr [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<cvdr xmlns="http://standaarden.overheid.nl/cvdr/terms/"><body><regeling><regeling-tekst>
<artikel><kop><label>Artikel</label><nr>1</nr></kop><al>&e;</al></artikel>
</regeling-tekst></regeling></body></cvdr>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<cvdr><body><regeling><regeling-tekst><artikel><kop><nr>1</nr></kop><al>&lol9;</al></artikel></regeling-tekst></regeling></body></cvdr>"""


def test_xxe_is_rejected_and_never_read():
    with pytest.raises(UnsafeDocument) as info:
        read(XXE)
    assert "DOCTYPE" in info.value.message
    assert "root:" not in str(info.value)
    with pytest.raises(UnsafeDocument) as info:
        load(XXE, name="xxe.xml")
    assert "root:" not in info.value.user_message()


def test_xxe_in_utf16_is_rejected():
    data = XXE.decode("ascii").replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(UnsafeDocument):
        read(data.encode("utf-16"))


def test_billion_laughs_is_rejected_quickly():
    start = time.monotonic()
    with pytest.raises(UnsafeDocument):
        read(BILLION_LAUGHS)
    assert time.monotonic() - start < 2.0


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE cvdr SYSTEM "http://example.invalid/cvdr.dtd">',
        '<!DOCTYPE cvdr PUBLIC "-//X//DTD Y//EN" "cvdr.dtd">',
        '<!DOCTYPE cvdr [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>',
    ],
)
def test_external_dtd_is_rejected(doctype):
    data = f'<?xml version="1.0"?>{doctype}<cvdr><body/></cvdr>'
    with pytest.raises(UnsafeDocument):
        read(data)


def test_plain_doctype_without_entities_is_accepted():
    data = CVDR.replace('<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE cvdr>')
    doc = read(data)
    assert len(doc.articles) == 5


def test_malformed_xml_reports_line():
    data = b'<?xml version="1.0"?>\n<cvdr>\n<body>\n<regeling>\n</body>\n</cvdr>'
    with pytest.raises(MalformedDocument) as info:
        read(data)
    assert info.value.message.startswith("het XML-bestand is niet goed gevormd (regel 5)")


def test_unknown_root_is_unsupported():
    with pytest.raises(UnsupportedFormat) as info:
        read(b"<?xml version='1.0'?><rss><channel/></rss>")
    assert "<rss>" in info.value.message


def test_undefined_entity_is_malformed_not_expanded():
    with pytest.raises(MalformedDocument):
        read(b"<cvdr><body>&passwd;</body></cvdr>")


# ---------------------------------------------------------------------------
# Team samples: the CVDR rendering reproduces the source
# ---------------------------------------------------------------------------


def _rendered_cvdr() -> list[Path]:
    folder = SAMPLES / "rendered"
    return sorted(folder.glob("*/*-cvdr.xml")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _rendered_cvdr(), ids=lambda p: p.parent.name)
def test_samples_cvdr_reproduce_source(path):
    yaml = pytest.importorskip("yaml")
    sample_compare = pytest.importorskip("sample_compare")
    source_path = SAMPLES / "sources" / f"{path.parent.name}.yaml"
    if not source_path.is_file():
        pytest.skip("no source for this rendering")
    source = yaml.safe_load(source_path.read_text(encoding="utf-8"))
    doc = read(path.read_bytes(), path.name)
    assert sample_compare.differences(doc, source) == []
    norm = sample_compare.norm
    assert doc.gemeente == source["gemeente"]
    assert norm(doc.title) == norm(source["title"])
    assert [norm(p) for p in doc.aanhef] == [norm(p) for p in source.get("aanhef") or []]
    expected_toelichting = [
        (norm(s.get("heading")), [norm(p) for p in s.get("paragraphs") or []]) for s in source.get("toelichting") or []
    ]
    assert [(norm(s.heading), [norm(p) for p in s.paragraphs]) for s in doc.toelichting] == expected_toelichting


def test_too_deep_xml_is_refused():
    from verordeningcheck.errors import LimitExceeded

    xml = "<cvdr><body>" + "<hoofdstuk>" * 300 + "</hoofdstuk>" * 300 + "</body></cvdr>"
    with pytest.raises(LimitExceeded):
        read(xml)


def test_text_limit():
    from verordeningcheck.errors import LimitExceeded

    with pytest.raises(LimitExceeded):
        read_xml(CVDR.encode("utf-8"), "proefstad.xml", Limits(max_text_chars=100))
