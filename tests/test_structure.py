"""The line structurer: headings, leden, list items, slot and toelichting from plain text."""
from verordeningcheck import load
from verordeningcheck.readers.structure import join_lines

TEXT = """Verordening voorzieningen maatschappelijke ondersteuning Proefdorp 2008

De raad van de gemeente Proefdorp;
gelet op artikel 5 van de Wet maatschappelijke ondersteuning;
besluit vast te stellen de volgende verordening:

HOOFDSTUK I ALGEMENE BEPALINGEN

Artikel 1 Begripsbepalingen
In deze verordening wordt verstaan onder:
a. wet: de Wet maatschappelijke ondersteuning;
b. college: burgemeester en wethouders van de gemeente
Proefdorp;
c. aanvraag: een verzoek om een individuele voor-
ziening.

Artikel 2
Aanvraag

1. Een aanvraag wordt ingediend op een daartoe door het college vastgesteld formulier,
als bedoeld in artikel
3. Dat formulier is bij het loket verkrijgbaar.
2. Het college kan de aanvrager verzoeken:
1° inlichtingen te verstrekken;
2° een onderzoek te ondergaan.
3. Artikel 4 van de wet is van toepassing.

Artikel 3. Vervallen

Art. 4 - Primaat
Het college verstrekt een woonvoorziening alleen als verhuizing naar de woon- en
leefomgeving van de Wmo-
raad niet mogelijk is.

Hoofdstuk 2: Slot

Artikel 12a Citeertitel
Deze verordening wordt aangehaald als: Verordening Wmo Proefdorp 2008.

Aldus vastgesteld in de openbare vergadering van 12 maart 2008.
De griffier, de voorzitter,

Toelichting

Algemeen

De kanteling komt later. Er komt een melding en een keukentafelgesprek.

Artikel 1
Spreekt voor zich.
"""


def _doc(tmp_path, text=TEXT, name="v.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load(path)


def test_articles_in_order_with_numbers_as_written(tmp_path):
    doc = _doc(tmp_path)
    assert [a.number for a in doc.articles] == ["1", "2", "3", "4", "12a"]
    assert [a.title for a in doc.articles] == ["Begripsbepalingen", "Aanvraag", "", "Primaat", "Citeertitel"]
    assert doc.articles[2].status == "vervallen"
    assert [a.chapter for a in doc.articles] == ["I", "I", "I", "I", "2"]
    assert doc.title.startswith("Verordening voorzieningen")
    assert doc.gemeente == "Proefdorp"


def test_leden_and_items_stay_together(tmp_path):
    doc = _doc(tmp_path)
    art1, art2 = doc.articles[0], doc.articles[1]
    assert [i.label for i in art1.leden[0].items] == ["a.", "b.", "c."]
    assert art1.leden[0].items[2].text == "aanvraag: een verzoek om een individuele voorziening."
    assert [l.number for l in art2.leden] == ["1", "2", "3"]
    # a wrapped reference ("artikel" + "3.") is not mistaken for lid 3
    assert "als bedoeld in artikel 3. Dat formulier" in art2.leden[0].text
    assert [i.label for i in art2.leden[1].items] == ["1°", "2°"]
    assert art2.leden[2].text == "Artikel 4 van de wet is van toepassing."


def test_hyphenation_rules(tmp_path):
    doc = _doc(tmp_path)
    text = doc.article("4").text
    assert "woon- en leefomgeving" in text
    assert "Wmo-raad" in text
    assert join_lines("maatschap-", "pelijke") == "maatschappelijke"
    assert join_lines("Noord-", "Brabant") == "Noord-Brabant"
    assert join_lines("zee-", "egel") == "zee-egel"


def test_toelichting_and_slot_are_not_articles(tmp_path):
    doc = _doc(tmp_path)
    assert all("kanteling" not in a.text.lower() for a in doc.articles)
    assert "keukentafelgesprek" in doc.toelichting_text
    assert doc.slot[0].startswith("Aldus vastgesteld")
    assert len(doc.articles) == 5  # "Artikel 1" in the toelichting is no new article


def test_artikelsgewijze_toelichting_entry_that_wraps_is_a_paragraph(tmp_path):
    """A toelichting entry that starts on the article's line and wraps ("Artikel 4. De aanvraag
    wordt op ... geeft" + "de aanvrager aan ...") is the explanation of that article, not a
    section heading; a short title above a paragraph stays a heading."""
    text = TEXT.split("Toelichting")[0] + (
        "Toelichting\n\n"
        "Artikel 2. De aanvraag wordt op een formulier gedaan waarop de aanvrager ook\n"
        "aangeeft welke voorziening hij wenst.\n\n"
        "Artikel 4 Primaat\n"
        "verhuizen gaat voor woningaanpassing, tenzij dat niet redelijk is.\n"
    )
    doc = _doc(tmp_path, text)
    sections = {s.heading.split(" — ")[-1]: s.paragraphs for s in doc.toelichting}
    assert sections["Artikel 2"] == [
        "De aanvraag wordt op een formulier gedaan waarop de aanvrager ook aangeeft welke voorziening hij wenst."
    ]
    assert sections["Artikel 4 Primaat"] == ["verhuizen gaat voor woningaanpassing, tenzij dat niet redelijk is."]


def test_markdown_headings(tmp_path):
    md = (
        "# Verordening Wmo Proefdorp\n\nDe raad van de gemeente Proefdorp;\n\n"
        "## Hoofdstuk 1. Algemeen\n\n### Artikel 1.1 Begrippen\n\n1. In deze verordening wordt verstaan onder:\n\n"
        "   a. **college**: burgemeester en wethouders;\n   b. wet: de Wet maatschappelijke ondersteuning.\n\n"
        "2. Begrippen uit de wet hebben dezelfde betekenis.\n\n### Artikel 1.2 Melding\n\nEen inwoner kan zich melden.\n\n"
        "## Toelichting\n\nDit is uitleg.\n"
    )
    doc = _doc(tmp_path, md, "v.md")
    assert doc.format == "markdown"
    assert [a.number for a in doc.articles] == ["1.1", "1.2"]
    assert doc.title == "Verordening Wmo Proefdorp"
    assert doc.articles[0].leden[0].items[0].text == "college: burgemeester en wethouders;"
    assert doc.toelichting_text.endswith("Dit is uitleg.")


def test_roman_and_letter_items_are_told_apart(tmp_path):
    text = (
        "Verordening Wmo Proefdorp\n\nArtikel 1 Begrippen\n\nIn deze verordening wordt verstaan onder:\n"
        "g. gezin: de leefeenheid;\nh. huisgenoot: een persoon die in de woning woont;\n"
        "i. inkomen: het inkomen als bedoeld in:\ni. de Participatiewet;\nii. de Wet op de zorgtoeslag;\n"
        "iii. de Algemene Ouderdomswet;\nj. jaar: een kalenderjaar.\n"
    )
    doc = _doc(tmp_path, text)
    items = doc.articles[0].leden[0].items
    assert [i.label for i in items] == ["g.", "h.", "i.", "j."]
    assert [i.label for i in items[2].items] == ["i.", "ii.", "iii."]
