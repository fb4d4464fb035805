"""The HTML reader: officielebekendmakingen pages, lokaleregelgeving pages, plain HTML."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from verordeningcheck import load
from verordeningcheck.errors import EmptyDocument
from verordeningcheck.limits import Limits
from verordeningcheck.readers.html import read_html

FORMATS = Path(__file__).resolve().parents[2] / "shared" / "formats"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LIMITS = Limits()

CHROME_WORDS = [
    "__VIEWSTATE",
    "__EVENTVALIDATION",
    "Snelzoeken",
    "Overheidsinformatie",
    "Particulieren",
    "Ondernemers",
    "Skip navigatie",
    "Start van deze pagina",
    "Toon volledige inhoudsopgave",
    "Terug naar bekendmakingen",
    "wegwijzer",
    "Sitemap",
    "Jaargang",
    "Authentieke versie downloaden",
    "GetReferendumLinks",
    "NREUMQ",
    "Antwoord voor Bedrijven",
]


def read(data: bytes | str, name: str = "test.html"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return read_html(data, name, LIMITS)


def dump(doc) -> str:
    """The document as read, without the leesverantwoording (which lists the chrome left out)."""
    data = doc.to_dict()
    data.pop("dropped")
    return json.dumps(data, ensure_ascii=False)


# ---------------------------------------------------------------------------
# (a) officielebekendmakingen
# ---------------------------------------------------------------------------


def test_real_gmb_html_notice_without_chrome():
    path = FORMATS / "wetsuite_gmb.html"
    if not path.is_file():
        pytest.skip("reference file wetsuite_gmb.html not present")
    doc = read(path.read_bytes(), "gmb.html")
    assert doc.title == "Bekendmaking Wet op de kansspelen St. Inloophuis Velp Zuid"
    assert doc.gemeente == "Rheden"
    assert doc.metadata["identifier"] == "gmb-2017-100007"
    assert doc.metadata["available"] == "2017-06-14"
    assert doc.articles == []  # a notice, not an ordinance
    assert any("zakelijke mededeling" in w for w in doc.warnings)
    out = dump(doc)
    for word in CHROME_WORDS:
        assert word not in out, word


GEMEENTEBLAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"[]>
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta name="DC.title" content="Verordening Wmo Voorbeeldrijk 2012" />
<meta name="DC.creator" content="Voorbeeldrijk" scheme="OVERHEID.Gemeente" />
<meta name="DC.identifier" content="gmb-2012-4711" scheme="OVERHEIDop.GmbID" />
<script src="/x.js" type="text/javascript" /><script type="text/javascript">var secret = "Artikel 99";</script>
</head><body><form id="mainForm" action="x.html" method="post">
<div class="aspNetHidden"><input id="__VIEWSTATE" name="__VIEWSTATE" type="hidden" value="abc" /></div>
<div id="ServiceNavigatie"><ul class="hoofd-navigatie"><li><a href="/">Home</a></li><li><a href="/p">Particulieren</a></li></ul></div>
<ul class="toc"><li><a href="#id1">Artikel 1 Begrippen</a></li></ul>
<div id="broodtekst"><div class="officiele-publicatie"><div class="_p_gemeenteblad"><a name="id1-3"><!----></a>
<p class="staatscourant_kop _p_single-kop-titel">Verordening Wmo Voorbeeldrijk 2012</p>
<div class="_p_regeling">
 <div class="_p_aanhef"><div class="_p_preambule"><p class="common-al _p_common-al">De raad van de gemeente Voorbeeldrijk;</p></div></div>
 <div class="_p_regeling-tekst">
  <div class="_p_hoofdstuk"><p class="hoofdstuk_kop _p_hoofdstuk-kop"><span class="_p_label">Hoofdstuk</span> <span class="_p_nr">1</span> <span class="_p_titel">Algemeen</span></p>
   <div class="_p_artikel"><p class="artikel_kop _p_artikel-kop"><span class="_p_label">Artikel</span> <span class="_p_nr">1</span> <span class="_p_titel">Begrippen</span></p>
    <div class="_p_lid"><span class="_p_lidnr">1.</span><p class="common-al _p_common-al">In deze verordening wordt verstaan onder:</p>
     <div class="_p_lijst"><div class="_p_li"><span class="_p_li-nr">a.</span><p class="common-al _p_common-al">melding: een verzoek om ondersteuning;</p></div>
      <div class="_p_li"><span class="_p_li-nr">b.</span><p class="common-al _p_common-al">gesprek: een onderzoek.</p>
       <div class="_p_lijst"><div class="_p_li"><span class="_p_li-nr">1°</span><p class="common-al _p_common-al">thuis;</p></div></div></div></div>
    </div>
    <div class="_p_lid"><span class="_p_lidnr">2.</span><p class="common-al _p_common-al">Overige begrippen volgen de wet.</p></div>
   </div>
   <div class="_p_artikel"><p class="artikel_kop _p_artikel-kop"><span class="_p_label">Artikel</span> <span class="_p_nr">2</span></p>
    <p class="common-al _p_common-al">[Vervallen]</p></div>
  </div>
 </div>
 <div class="_p_regeling-sluiting"><div class="_p_slotformulering"><p class="common-al _p_common-al">Aldus vastgesteld op 1 maart 2012.</p></div>
  <div class="_p_ondertekening"><p class="_p_functie">de griffier,</p><p class="_p_functie">de voorzitter,</p></div><p class="_p_last-al">&#160;</p></div>
 <div class="_p_toelichting"><p class="toelichting_kop _p_toelichting-kop">Toelichting</p>
  <div class="_p_divisie"><p class="divisie_kop _p_divisie-kop">Algemene toelichting</p>
   <div class="_p_tekst"><p class="common-al _p_common-al">De kanteling staat centraal.</p></div></div></div>
</div></div></div></div>
<div class="footer"><p>E-overheid bouwt mee aan betere dienstverlening</p></div>
</form></body></html>
"""


def test_gemeenteblad_regulation_maps_p_classes():
    doc = read(GEMEENTEBLAD, "gmb-2012-4711.html")
    assert doc.format == "html"
    assert doc.title == "Verordening Wmo Voorbeeldrijk 2012"
    assert doc.gemeente == "Voorbeeldrijk"
    assert [(d.kind, d.number, d.title) for d in doc.divisions] == [("hoofdstuk", "1", "Algemeen")]
    assert [(a.number, a.title, a.chapter, a.status) for a in doc.articles] == [
        ("1", "Begrippen", "1", None),
        ("2", "", "1", "vervallen"),
    ]
    art1 = doc.article("1")
    assert [(l.number, l.text) for l in art1.leden] == [
        ("1", "In deze verordening wordt verstaan onder:"),
        ("2", "Overige begrippen volgen de wet."),
    ]
    items = art1.lid("1").items
    assert [(i.label, i.text) for i in items] == [("a.", "melding: een verzoek om ondersteuning;"), ("b.", "gesprek: een onderzoek.")]
    assert [(i.label, i.text) for i in items[1].items] == [("1°", "thuis;")]
    assert doc.aanhef == ["De raad van de gemeente Voorbeeldrijk;"]
    assert doc.slot == ["Aldus vastgesteld op 1 maart 2012.", "de griffier,", "de voorzitter,"]
    assert [(s.heading, s.paragraphs) for s in doc.toelichting] == [("Algemene toelichting", ["De kanteling staat centraal."])]
    # locations point into the HTML page, with line numbers
    loc = art1.lid("2").location
    assert loc.path.startswith("/html/body/form/div") and loc.path.endswith("div[2]")
    assert loc.line is not None and loc.line > 1
    out = dump(doc)
    for word in ("__VIEWSTATE", "Particulieren", "E-overheid", "secret", "Artikel 99"):
        assert word not in out


# ---------------------------------------------------------------------------
# (b) lokaleregelgeving.overheid.nl page
# ---------------------------------------------------------------------------

LOKALEREGELGEVING = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Verordening Wmo Lindehof 2011 | Lokale wet- en regelgeving</title>
<script>window.dataLayer = []; document.write("Artikel 42 Ingevoegd");</script>
</head><body>
<div id="cookieconsent" class="cookie-notice"><p>Wij gebruiken cookies om de site te verbeteren.</p><a href="/ok">Akkoord</a></div>
<a class="skiplink" href="#main">Direct naar inhoud</a>
<header class="site-header"><a href="/">Overheid.nl</a>
 <form role="search" action="/zoeken"><label for="q">Zoeken</label><input id="q" name="q"><button>Zoek</button></form>
 <nav><ul><li><a href="/">Home</a></li><li><a href="/uitgebreid">Uitgebreid zoeken</a></li></ul></nav></header>
<nav aria-label="Kruimelpad" class="breadcrumbs"><ol><li><a href="/">Home</a></li><li><a href="/lrg">Lokale regelgeving</a></li></ol></nav>
<main id="main">
 <h1>Verordening maatschappelijke ondersteuning Lindehof 2011</h1>
 <p>Geldend van 01-01-2011 t/m heden</p>
 <table class="metadata"><tr><th>Organisatie</th><td>Gemeente Lindehof</td></tr>
  <tr><th>Officiële naam regeling</th><td>Verordening maatschappelijke ondersteuning Lindehof 2011</td></tr>
  <tr><th>Citeertitel</th><td>Verordening Wmo Lindehof 2011</td></tr>
  <tr><th>Inwerkingtredingsdatum</th><td>01-01-2011</td></tr></table>
 <ul class="links"><li><a href="/lido">Toon relaties in LiDO</a></li><li><a href="/perma">Maak een permanente link</a></li></ul>
 <div class="inhoudsopgave"><h2>Inhoudsopgave</h2><ul><li>Artikel 1 Begrippen</li></ul></div>
 <div class="regeling">
  <p>De raad van de gemeente Lindehof;</p>
  <p>besluit vast te stellen:</p>
  <div class="artikel"><h3>Artikel 1 Begrippen</h3>
   <p>In deze verordening wordt verstaan onder:</p>
   <ol type="a"><li>melding: een verzoek;</li><li>gesprek: een onderzoek.</li></ol></div>
  <div class="artikel"><h3>Artikel 2 Gesprek</h3>
   <p>1. Het college voert een gesprek.</p>
   <p>2. Het gesprek gaat over:</p>
   <ul><li>eigen kracht;</li><li>mantelzorg.</li></ul></div>
  <p>Aldus vastgesteld in de openbare vergadering van 16 december 2010.</p>
 </div>
</main>
<footer><ul><li><a href="/privacy">Privacy</a></li><li><a href="/cookies">Cookies</a></li></ul><p>Overheid.nl is de wegwijzer</p></footer>
</body></html>
"""


def test_lokaleregelgeving_page_without_chrome():
    doc = read(LOKALEREGELGEVING, "CVDR1234_1.html")
    assert doc.gemeente == "Lindehof"
    assert doc.title == "Verordening maatschappelijke ondersteuning Lindehof 2011"
    assert doc.metadata["citeertitel"] == "Verordening Wmo Lindehof 2011"
    assert doc.metadata["inwerkingtredingDatum"] == "01-01-2011"
    assert [(a.number, a.title) for a in doc.articles] == [("1", "Begrippen"), ("2", "Gesprek")]
    art1 = doc.article("1")
    assert [(i.label, i.text) for i in art1.leden[0].items] == [("a.", "melding: een verzoek;"), ("b.", "gesprek: een onderzoek.")]
    art2 = doc.article("2")
    assert [l.number for l in art2.leden] == ["1", "2"]
    assert [(i.label, i.text) for i in art2.lid("2").items] == [("•", "eigen kracht;"), ("•", "mantelzorg.")]
    assert doc.aanhef == ["De raad van de gemeente Lindehof;", "besluit vast te stellen:"]
    assert doc.slot == ["Aldus vastgesteld in de openbare vergadering van 16 december 2010."]
    out = dump(doc)
    for word in ("cookies", "Akkoord", "Kruimelpad", "Uitgebreid zoeken", "Direct naar inhoud", "LiDO",
                 "permanente link", "Inhoudsopgave", "Geldend van", "wegwijzer", "Privacy", "dataLayer", "Artikel 42"):
        assert word not in out, word
    # ... and the leesverantwoording says what was left out, and why
    left_out = {(d.kind, d.text) for d in doc.dropped}
    assert ("status", "Geldend van 01-01-2011 t/m heden") in left_out
    assert any(kind == "site-chrome" and "Cookies" in text for kind, text in left_out)
    assert any(kind == "metadata-table" and "Citeertitel" in text for kind, text in left_out)
    assert art2.location.path.startswith("/html/body/main/div")
    assert art2.location.line is not None


# ---------------------------------------------------------------------------
# (c) plain municipal HTML
# ---------------------------------------------------------------------------

PLAIN = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Verordening Wmo Proefdorp 2012 - Gemeente Proefdorp</title>
<script>document.write("Artikel 99 Kwaadaardig"); alert("x")</script>
<style>body { color: red }</style></head>
<body>
<div class="cookie-banner">Deze website gebruikt cookies. <button>Akkoord</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/bestuur">Bestuur</a></li></ul></nav></header>
<div id="content">
<h1>Verordening maatschappelijke ondersteuning Proefdorp 2012</h1>
<p>De raad van de gemeente Proefdorp;</p>
<p>besluit vast te stellen de volgende verordening:</p>
<h2>Hoofdstuk 1 Algemeen</h2>
<h3>Artikel 1 Begripsbepalingen</h3>
<p>In deze verordening wordt verstaan onder:</p>
<ol type="a">
 <li>melding: het kenbaar maken van een behoefte aan ondersteuning;</li>
 <li>gesprek: het onderzoek naar de situatie van de inwoner.</li>
</ol>
<h3>Artikel 2 Melding</h3>
<ol>
 <li>Een inwoner kan zich melden bij het college.</li>
 <li>Het college bespreekt:
   <ol type="a"><li>de eigen kracht;</li><li>het sociale netwerk.</li></ol>
 </li>
</ol>
<h3>Artikel 3</h3>
<p>[Vervallen]</p>
<h2>Hoofdstuk 2 Slot</h2>
<h3>Artikel 4 Citeertitel</h3>
<p>Deze verordening heet Verordening Wmo Proefdorp 2012.</p>
<p>Aldus vastgesteld in de openbare vergadering van 5 maart 2012.<br>de griffier,<br>de voorzitter,</p>
<h2>Toelichting</h2>
<h3>Algemene toelichting</h3>
<p>Deze verordening volgt de kanteling.</p>
<noscript>Zet javascript aan</noscript>
<div style="display:none">Verborgen tekst</div>
</div>
<footer><p>Gemeente Proefdorp, Postbus 1</p></footer>
</body></html>
"""


def test_plain_html_structure():
    doc = read(PLAIN, "proefdorp.html")
    assert doc.title == "Verordening maatschappelijke ondersteuning Proefdorp 2012"
    assert doc.gemeente == "Proefdorp"
    assert [(d.kind, d.number, d.title) for d in doc.divisions] == [("hoofdstuk", "1", "Algemeen"), ("hoofdstuk", "2", "Slot")]
    assert [(a.number, a.title, a.chapter, a.status) for a in doc.articles] == [
        ("1", "Begripsbepalingen", "1", None),
        ("2", "Melding", "1", None),
        ("3", "", "1", "vervallen"),
        ("4", "Citeertitel", "2", None),
    ]
    # <ol type="a"> items get their computed labels
    assert [(i.label, i.text) for i in doc.article("1").leden[0].items] == [
        ("a.", "melding: het kenbaar maken van een behoefte aan ondersteuning;"),
        ("b.", "gesprek: het onderzoek naar de situatie van de inwoner."),
    ]
    # <ol> directly under an article gives numbered leden, a nested <ol type="a"> their items
    art2 = doc.article("2")
    assert [(l.number, l.text) for l in art2.leden] == [
        ("1", "Een inwoner kan zich melden bij het college."),
        ("2", "Het college bespreekt:"),
    ]
    assert [(i.label, i.text) for i in art2.lid("2").items] == [("a.", "de eigen kracht;"), ("b.", "het sociale netwerk.")]
    assert art2.lid("2").location.path == "/html/body/div[2]/ol[2]/li[2]"  # as in the page, chrome included
    assert art2.lid("2").location.line == 22
    assert doc.slot == ["Aldus vastgesteld in de openbare vergadering van 5 maart 2012.", "de griffier,", "de voorzitter,"]
    assert [(s.heading, s.paragraphs) for s in doc.toelichting] == [
        ("Algemene toelichting", ["Deze verordening volgt de kanteling."])
    ]
    assert all("kanteling" not in a.text for a in doc.articles)
    out = dump(doc)
    for word in ("Kwaadaardig", "alert", "color: red", "cookies", "Akkoord", "Bestuur", "Postbus", "javascript", "Verborgen"):
        assert word not in out, word


def test_plain_html_through_load():
    doc = load(PLAIN.encode("utf-8"), name="proefdorp.html")
    assert doc.format == "html" and len(doc.articles) == 4


def test_windows_1252_without_charset():
    html = "<html><body><h3>Artikel 1 Beëindiging</h3><p>Het college beëindigt de voorziening.</p></body></html>"
    doc = read(html.encode("cp1252"))
    assert doc.article("1").title == "Beëindiging"
    assert doc.article("1").leden[0].text == "Het college beëindigt de voorziening."


def _captured_lines(monkeypatch, html: str):
    """The Lines the reader hands to the structurer (its contract, independent of the
    structurer's own heuristics)."""
    from verordeningcheck.readers import structure

    captured = {}
    real_build = structure.build_document

    def spy(lines, **kwargs):
        captured["lines"] = list(lines)
        captured["kwargs"] = kwargs
        return real_build(lines, **kwargs)

    monkeypatch.setattr(structure, "build_document", spy)
    read(html)
    return captured["lines"], captured["kwargs"]


def test_lines_contract(monkeypatch):
    lines, kwargs = _captured_lines(monkeypatch, PLAIN)
    assert kwargs["format"] == "html"
    assert kwargs["title"] == "Verordening maatschappelijke ondersteuning Proefdorp 2012"
    by_text = {line.text: line for line in lines}
    assert by_text["Verordening maatschappelijke ondersteuning Proefdorp 2012"].heading == "title"
    assert by_text["Hoofdstuk 1 Algemeen"].heading == "hoofdstuk"
    assert by_text["Artikel 2 Melding"].heading == "artikel"
    # "Toelichting" followed by "Algemene toelichting" becomes one toelichting heading
    assert "Toelichting" not in by_text
    assert by_text["Algemene toelichting"].heading == "toelichting"
    item = by_text["de eigen kracht;"]
    assert item.label == "a." and item.indent == 2.0
    assert by_text["Een inwoner kan zich melden bij het college."].label == "1."
    assert all(line.block_start for line in lines)
    assert all(line.location.path and line.location.line for line in lines)
    assert not any("Kwaadaardig" in line.text or "cookies" in line.text for line in lines)


def test_ol_start_and_roman_labels(monkeypatch):
    html = """<html><body><h3>Artikel 1 Aanvraag</h3><p>Het college beslist binnen:</p>
    <ol type="i" start="2"><li>acht weken;</li><li value="7">twaalf weken.</li></ol>
    <ul style="list-style-type: none"><li>zonder teken</li></ul>
    <ol><li>1. Het nummer staat al in de tekst.</li></ol></body></html>"""
    lines, _ = _captured_lines(monkeypatch, html)
    labels = {line.text: line.label for line in lines}
    assert labels["acht weken;"] == "ii."
    assert labels["twaalf weken."] == "vii."
    assert labels["zonder teken"] is None
    assert labels["1. Het nummer staat al in de tekst."] is None


def test_empty_html():
    with pytest.raises(EmptyDocument):
        read(b"   ")


# ---------------------------------------------------------------------------
# Team samples: the HTML renderings reproduce the source
# ---------------------------------------------------------------------------


def _rendered_html() -> list[Path]:
    folder = SAMPLES / "rendered"
    if not folder.is_dir():
        return []
    return sorted(list(folder.glob("*/*-lokaleregelgeving.html")) + list(folder.glob("*/*-gemeenteblad.html")))


@pytest.mark.parametrize("path", _rendered_html(), ids=lambda p: p.name)
def test_samples_html_reproduce_source(path):
    yaml = pytest.importorskip("yaml")
    sample_compare = pytest.importorskip("sample_compare")
    sample_id = path.parent.name
    source_path = SAMPLES / "sources" / f"{sample_id}.yaml"
    if not source_path.is_file():
        pytest.skip("no source for this rendering")
    source = yaml.safe_load(source_path.read_text(encoding="utf-8"))
    doc = read(path.read_bytes(), path.name)
    assert sample_compare.differences(doc, source) == []
    norm = sample_compare.norm
    assert doc.gemeente == source["gemeente"]
    assert norm(doc.title) == norm(source["title"])
    assert [norm(p) for p in doc.aanhef] == [norm(p) for p in source.get("aanhef") or []]
    assert [norm(p) for p in doc.slot] == [norm(p) for p in source.get("slot") or []]
    expected_toelichting = [
        (norm(s.get("heading")), [norm(p) for p in s.get("paragraphs") or []]) for s in source.get("toelichting") or []
    ]
    assert [(norm(s.heading), [norm(p) for p in s.paragraphs]) for s in doc.toelichting] == expected_toelichting
    out = dump(doc)
    for word in ("__VIEWSTATE", "Hoofdnavigatie", "Zoekresultaten", "Regelingsgegevens", "Direct naar content", "Snelzoeken"):
        assert word not in out, word


def test_officiele_publicatie_without_p_classes_falls_back_to_text():
    html = """<html><head><meta name="DC.creator" content="Zwolle"><meta name="DC.title" content="Verordening X"></head>
<body><nav>Menu</nav><div class="officiele-publicatie"><h1>Verordening X</h1>
<p>De raad van de gemeente Zwolle;</p><p>besluit:</p>
<div class="artikel"><h4>Artikel 1 Begrippen</h4><p>1. Het college beslist.</p><p>2. De raad:</p>
<ol type="a"><li>kijkt;</li><li>luistert.</li></ol></div>
<div class="artikel"><h4>Artikel 2</h4><p>Slot.</p></div></div></body></html>"""
    doc = read(html)
    assert doc.gemeente == "Zwolle" and doc.title == "Verordening X"
    assert [a.number for a in doc.articles] == ["1", "2"]
    assert [(l.number, l.text) for l in doc.article("1").leden] == [("1", "Het college beslist."), ("2", "De raad:")]
    assert [(i.label, i.text) for i in doc.article("1").lid("2").items] == [("a.", "kijkt;"), ("b.", "luistert.")]
    assert doc.aanhef == ["De raad van de gemeente Zwolle;", "besluit:"]
    assert "Menu" not in dump(doc)


def test_too_deep_html_is_refused_not_truncated():
    from verordeningcheck.errors import LimitExceeded

    html = "<html><body>" + "<div>" * 300 + "<h3>Artikel 1 X</h3><p>tekst</p>" + "</div>" * 300 + "</body></html>"
    with pytest.raises(LimitExceeded):
        read(html)
