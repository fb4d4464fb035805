"""Shapes of real published text that used to give another structure than the HTML they
came from: text copied from a web page, Markdown lists, glued lid numbers, a title on the
line after the article number, the ondertekening under the last lid, spaced article
numbers, and articles quoted by an amendment. Every text here is written for the test."""
from __future__ import annotations

from verordeningcheck.limits import Limits
from verordeningcheck.readers.text import read_text
from verordeningcheck.readers.xml import clean_number, read_xml, split_heading


def _text(source: str, markdown: bool = False):
    name = "proef.md" if markdown else "proef.txt"
    return read_text(source.encode("utf-8"), name, Limits(), markdown=markdown)


def _items(items) -> list:
    return [(i.label, i.text, _items(i.items)) for i in items]


def _leden(article) -> list:
    return [(lid.number, lid.text, _items(lid.items)) for lid in article.leden]


HEAD = """Regeling proefkwekerij

De raad van de gemeente Proefkwekerij;

besluit vast te stellen de volgende regeling:

"""


# -- text copied from a web page ------------------------------------------------


def test_pasted_page_bullets_with_the_label_on_their_own_line():
    doc = _text(HEAD + """Artikel 2 Ondersteuning

  • 1.

    Het college biedt ondersteuning aan wie daarom vraagt.

  • 2.

    Bij de keuze let het college op:

      • a.

        de wensen van de inwoner;

      • b.

        wat de inwoner zelf kan:

          • 1°

            alleen;

          • 2°

            met zijn buren.

  • 3.

    Ook telt mee:

      • -

        de woning;

      • -

        de buurt.
""")
    (article,) = doc.articles
    assert _leden(article) == [
        ("1", "Het college biedt ondersteuning aan wie daarom vraagt.", []),
        ("2", "Bij de keuze let het college op:", [
            ("a.", "de wensen van de inwoner;", []),
            ("b.", "wat de inwoner zelf kan:", [("1°", "alleen;", []), ("2°", "met zijn buren.", [])]),
        ]),
        ("3", "Ook telt mee:", [("-", "de woning;", []), ("-", "de buurt.", [])]),
    ]


def test_pasted_page_letter_spacing_split_first_letters_and_table_rows():
    doc = _text("""Regeling proefkwekerij

De raad van de gemeente Proefkwekerij;

b e s l u i t :

vast te stellen de volgende regeling:

Artikel 1 Woorden

In deze regeling wordt verstaan onder:

  • a.

    o ndersteuning: hulp bij het dagelijks leven;

  • b.

    w ijkteam: de medewerkers die de ondersteuning in de wijk regelen;

  • c.

    u itvoerder: wie namens het wijkteam de hulp biedt; u vindt de uitvoerder op de website.

Artikel 2 Tarieven

De tarieven zijn:

Soort hulp | Tarief |
Begeleiding | 40 euro |
""")
    assert "besluit:" in doc.aanhef
    first, second = doc.articles
    assert [i.text.split(":")[0] for i in first.leden[0].items] == ["ondersteuning", "wijkteam", "uitvoerder"]
    assert "u vindt de uitvoerder" in first.leden[0].items[2].text  # "u" is a word of its own
    assert second.leden[0].text.split("\n") == ["De tarieven zijn:", "Soort hulp | Tarief", "Begeleiding | 40 euro"]


def test_pasted_page_table_of_contents_with_bullets_is_not_read_as_articles():
    doc = _text(HEAD.replace("besluit", "Inhoudsopgave\n\n  • Artikel 1 Eerste\n\n  • Artikel 2 Tweede\n\n"
                             "  • Artikel 3 Derde\n\nbesluit") + """Artikel 1 Eerste

Tekst een.

Artikel 2 Tweede

Tekst twee.

Artikel 3 Derde

Tekst drie.
""")
    assert [(a.number, a.title, a.text) for a in doc.articles] == [
        ("1", "Eerste", "Tekst een."), ("2", "Tweede", "Tekst twee."), ("3", "Derde", "Tekst drie.")]


def test_definitions_as_headed_leden():
    doc = _text(HEAD + """Artikel 1 Begrippen

Lid 1. Wijkteam

Wijkteam: de medewerkers die in een wijk de hulp regelen.

Lid 2. Inwoner

Inwoner: wie in de gemeente woont.

Lid 3. Wet

Wet maatschappelijke ondersteuning 2015.

Lid 4. Overig

Andere woorden hebben de betekenis die de wet eraan geeft.
""")
    (article,) = doc.articles
    assert _leden(article) == [
        ("1", "Wijkteam: de medewerkers die in een wijk de hulp regelen.", []),
        ("2", "Inwoner: wie in de gemeente woont.", []),
        ("3", "Wet\nWet maatschappelijke ondersteuning 2015.", []),  # not "Wet:": the heading stays
        ("4", "Overig\nAndere woorden hebben de betekenis die de wet eraan geeft.", []),
    ]


# -- Markdown lists ----------------------------------------------------------------


def test_markdown_list_items_with_labels_are_items_not_lid_text():
    doc = _text("""# Regeling proefkwekerij

## Artikel 3 Keuze

1. Het college kiest de hulp na overleg met:
   - a. de inwoner;
   - b. zijn mantelzorger, waarbij het let op:
     * 1° de belasting;
     * 2° de wensen.
2. Het college legt de keuze vast.
""", markdown=True)
    (article,) = doc.articles
    assert _leden(article) == [
        ("1", "Het college kiest de hulp na overleg met:", [
            ("a.", "de inwoner;", []),
            ("b.", "zijn mantelzorger, waarbij het let op:", [("1°", "de belasting;", []), ("2°", "de wensen.", [])]),
        ]),
        ("2", "Het college legt de keuze vast.", []),
    ]


# -- lid numbers glued to the text ---------------------------------------------------


def test_lid_number_glued_to_the_text():
    doc = _text(HEAD + """Artikel 4 Termijn

1.Het college beslist binnen acht weken.
2.De termijn kan eenmaal met vier weken worden verlengd; de afstand is 1.5 kilometer.
""")
    assert _leden(doc.articles[0]) == [
        ("1", "Het college beslist binnen acht weken.", []),
        ("2", "De termijn kan eenmaal met vier weken worden verlengd; de afstand is 1.5 kilometer.", []),
    ]


def test_lid_number_glued_to_the_text_in_op_xml():
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<cvdr><body><regeling><regeling-tekst>
<artikel><kop><label>Artikel</label><nr>4</nr><titel>Termijn</titel></kop>
<al>1.Het college beslist binnen acht weken.</al>
<al>2.De termijn kan eenmaal worden verlengd.</al>
</artikel></regeling-tekst></regeling></body></cvdr>"""
    doc = read_xml(xml.encode(), "proef.xml", Limits())
    assert [(lid.number, lid.text) for lid in doc.articles[0].leden] == [
        ("1", "Het college beslist binnen acht weken."), ("2", "De termijn kan eenmaal worden verlengd.")]


# -- the title on the line after the article number ---------------------------------


def test_title_on_the_line_after_the_article_number_without_blank_line():
    doc = _text(HEAD + """Artikel 4.3
Beslistermijn
Het college beslist binnen acht weken
na de aanvraag.
Artikel 4.4
Het college kan een termijn stellen voor het aanleveren van de
stukken.
""")
    assert [(a.number, a.title, a.text) for a in doc.articles] == [
        ("4.3", "Beslistermijn", "Het college beslist binnen acht weken na de aanvraag."),
        ("4.4", "", "Het college kan een termijn stellen voor het aanleveren van de stukken."),
    ]


# -- the ondertekening right under the last lid ------------------------------------


def test_ondertekening_under_the_last_lid_is_slot_not_article_text():
    doc = _text(HEAD + """Artikel 9 Citeertitel
Deze regeling heet Regeling proefkwekerij.
Zo vastgesteld door de raad op 4 april 2016.
De griffier, De voorzitter,
P. Jansen     K. de Vries
""")
    assert doc.articles[-1].text == "Deze regeling heet Regeling proefkwekerij."
    assert doc.slot[0] == "Zo vastgesteld door de raad op 4 april 2016."


def test_signature_lines_without_closing_formula_end_the_regulation():
    doc = _text(HEAD + """Artikel 9 Slot

Deze regeling treedt in werking op 1 mei 2016.

de griffier,

de burgemeester,
""")
    assert doc.articles[-1].text == "Deze regeling treedt in werking op 1 mei 2016."
    assert doc.slot == ["de griffier,", "de burgemeester,"]


def test_a_wrapped_sentence_starting_with_vastgesteld_stays_in_the_lid():
    doc = _text(HEAD + """Artikel 9 Bedragen
De bedragen worden jaarlijks door het college
vastgesteld op 1 januari van elk jaar.
""")
    assert doc.articles[-1].text == "De bedragen worden jaarlijks door het college vastgesteld op 1 januari van elk jaar."
    assert doc.slot == []


# -- article numbers printed with a space ------------------------------------------


def test_article_number_printed_with_a_space():
    doc = _text(HEAD + """Artikel 19 b. Scootmobiel

Tekst over de scootmobiel.

Artikel 19 c

Tekst zonder titel.

Artikel 20 en 21 van de wet zijn van toepassing.
""")
    assert [(a.number, a.title) for a in doc.articles] == [("19b", "Scootmobiel"), ("19c", "")]
    assert split_heading("Artikel 19 b. Scootmobiel") == ("artikel", "19b", "Scootmobiel")
    assert split_heading("Artikel 5 en 6") == ("artikel", "5", "en 6")
    assert clean_number("19 b.") == "19b"


# -- articles quoted by an amendment -----------------------------------------------


AMENDMENT = """Wijziging regeling proefkwekerij

De raad van de gemeente Proefkwekerij;

besluit vast te stellen de volgende wijziging:

Artikel I

De Regeling proefkwekerij wordt als volgt gewijzigd:

A

Na artikel 2 wordt een artikel ingevoegd, luidende:

Artikel 2a Wijkteam
1. Het college stelt wijkteams in.
2. Een wijkteam bestaat uit:
a. een consulent;
b. een maatschappelijk werker.

Artikel 2b Werkgebied
1. Elk wijkteam werkt in een deel van de gemeente.

B

Artikel 5 komt te luiden:

Artikel 5 Beslissing
1. Het college beslist binnen zes weken.

Artikel II

Deze wijziging treedt in werking op 1 juni 2016.
"""


def test_quoted_articles_stay_inside_the_amending_article():
    doc = _text(AMENDMENT)
    assert [a.number for a in doc.articles] == ["I", "II"]
    (lid,) = doc.articles[0].leden
    assert lid.text == "De Regeling proefkwekerij wordt als volgt gewijzigd:"
    assert _items(lid.items) == [
        ("A", "Na artikel 2 wordt een artikel ingevoegd, luidende:", [
            ("Artikel 2a", "Wijkteam", [
                ("1.", "Het college stelt wijkteams in.", []),
                ("2.", "Een wijkteam bestaat uit:", [("a.", "een consulent;", []), ("b.", "een maatschappelijk werker.", [])]),
            ]),
            ("Artikel 2b", "Werkgebied", [("1.", "Elk wijkteam werkt in een deel van de gemeente.", [])]),
        ]),
        ("B", "Artikel 5 komt te luiden:", [
            ("Artikel 5", "Beslissing", [("1.", "Het college beslist binnen zes weken.", [])]),
        ]),
    ]
    assert "Artikel 2a Wijkteam" in doc.articles[0].text  # readable in the article text


def test_an_article_ending_with_a_colon_does_not_swallow_the_next_article():
    doc = _text(HEAD + """Artikel 3 Voorzieningen

De voorzieningen worden als volgt opgenomen:

Artikel 4 Aanvraag

Een aanvraag is schriftelijk.

Artikel 4.1 Zie ook

De bepalingen worden vervangen door:

Artikel 4.2 Slot

Einde.
""")
    assert [a.number for a in doc.articles] == ["3", "4", "4.1", "4.2"]


# -- a whole regulation flattened onto one line ------------------------------------


def test_text_flattened_onto_one_line_is_cut_at_headings_leden_and_items():
    line = (
        "Regeling proefkwekerij De raad van de gemeente Proefkwekerij; besluit vast te stellen de "
        "volgende regeling: Inhoud Artikel 1 Woorden ... 2 Artikel 2 Hulp ... 3 "
        "HOOFDSTUK 1 ALGEMENE BEPALINGEN Artikel 1 Woorden In deze regeling wordt verstaan onder: "
        "a. wijkteam: de medewerkers die in een wijk de hulp regelen; b. inwoner: wie in de gemeente "
        "woont, zoals bedoeld in artikel 2 van de wet. Artikel 2 Hulp bij het huishouden 1. Het college "
        "biedt hulp aan wie dat nodig heeft. 2. Bij de keuze let het college op: - de woning; - de buurt. "
        "Artikel 3 Slot Deze regeling heet Regeling proefkwekerij."
    )
    doc = _text(line + "\n")
    assert [(a.number, a.title) for a in doc.articles] == [("1", "Woorden"), ("2", "Hulp bij het huishouden"), ("3", "Slot")]
    assert _leden(doc.articles[0]) == [(None, "In deze regeling wordt verstaan onder:", [
        ("a.", "wijkteam: de medewerkers die in een wijk de hulp regelen;", []),
        ("b.", "inwoner: wie in de gemeente woont, zoals bedoeld in artikel 2 van de wet.", []),
    ])]
    assert _leden(doc.articles[1]) == [
        ("1", "Het college biedt hulp aan wie dat nodig heeft.", []),
        ("2", "Bij de keuze let het college op:", [("-", "de woning;", []), ("-", "de buurt.", [])]),
    ]
    assert [d.title for d in doc.divisions] == ["ALGEMENE BEPALINGEN"]


def test_paragraphs_of_an_amending_onderdeel_stay_with_its_letter():
    doc = _text(HEAD.replace("regeling:", "wijziging:") + """Artikel I

A

In artikel 1 vervalt onderdeel c.

In artikel 1, onderdeel d, wordt 'inwoner' vervangen door 'ingezetene'.

B

Artikel 7 vervalt.

Artikel 8 vervalt.

Artikel II

Deze wijziging treedt in werking op 1 juni 2016.
""")
    (lid,) = doc.articles[0].leden
    assert _items(lid.items) == [
        ("A", "In artikel 1 vervalt onderdeel c.", [
            ("", "In artikel 1, onderdeel d, wordt 'inwoner' vervangen door 'ingezetene'.", [])]),
        ("B", "Artikel 7 vervalt.", [("", "Artikel 8 vervalt.", [])]),
    ]
    assert [a.number for a in doc.articles] == ["I", "II"]


def test_headed_leden_set_as_html_headings():
    from verordeningcheck.readers.html import read_html

    page = """<html><head><title>Regeling proef</title></head><body><main>
<h1>Regeling proefkwekerij</h1>
<p>De raad van de gemeente Proefkwekerij;</p>
<p>besluit vast te stellen de volgende regeling:</p>
<h4>Artikel 1 Begrippen</h4>
<h5>Lid 1. Wijkteam</h5>
<p>Wijkteam: de medewerkers die in een wijk de hulp regelen.</p>
<h5>Lid 2. Inwoner</h5>
<p>Inwoner: wie in de gemeente woont.</p>
<h4>Artikel 2 Slot</h4>
<p>Deze regeling heet Regeling proefkwekerij.</p>
</main></body></html>"""
    doc = read_html(page.encode(), "proef.html", Limits())
    assert [(lid.number, lid.text) for lid in doc.articles[0].leden] == [
        ("1", "Wijkteam: de medewerkers die in een wijk de hulp regelen."), ("2", "Inwoner: wie in de gemeente woont.")]
    assert doc.divisions == []


def test_lid_numbers_on_a_line_of_their_own_without_bullets():
    doc = _text(HEAD + """Artikel 4 Termijn

1.

Het college beslist binnen acht weken.

2.

De termijn kan eenmaal worden verlengd met:

a.

vier weken;

b.

zes weken als advies nodig is.
""")
    assert _leden(doc.articles[0]) == [
        ("1", "Het college beslist binnen acht weken.", []),
        ("2", "De termijn kan eenmaal worden verlengd met:", [("a.", "vier weken;", []), ("b.", "zes weken als advies nodig is.", [])]),
    ]


def test_short_table_of_contents_of_an_amendment_is_dropped():
    doc = _text("""Wijziging regeling proefkwekerij

  • Artikel I

  • Artikel II

  • Toelichting

De raad van de gemeente Proefkwekerij;

besluit vast te stellen de volgende wijziging:

Artikel I

De Regeling proefkwekerij wordt als volgt gewijzigd:

  • A

    Artikel 7 vervalt.

Artikel II

Deze wijziging treedt in werking op 1 juni 2016.

Toelichting

Artikel I regelt de wijziging.
""")
    assert [(a.number, a.text) for a in doc.articles] == [
        ("I", "De Regeling proefkwekerij wordt als volgt gewijzigd:\nA Artikel 7 vervalt."),
        ("II", "Deze wijziging treedt in werking op 1 juni 2016."),
    ]
    assert doc.toelichting and "Artikel I regelt de wijziging." in doc.toelichting_text


def test_onderdeel_letters_on_their_own_line_without_blank_lines():
    doc = _text(HEAD.replace("regeling:", "wijziging:") + """Artikel I
De Regeling proefkwekerij wordt als volgt gewijzigd:
A
Artikel 5 komt te luiden:
Artikel 5 Beslissing
Het college beslist binnen zes weken na de aanvraag; het kan die termijn eenmaal
verlengen.
B
Artikel 6 vervalt.
Artikel II
Deze wijziging treedt in werking op 1 juni 2016.
""")
    assert [a.number for a in doc.articles] == ["I", "II"]
    (lid,) = doc.articles[0].leden
    assert _items(lid.items) == [
        ("A", "Artikel 5 komt te luiden:", [("Artikel 5", "Beslissing", [
            ("", "Het college beslist binnen zes weken na de aanvraag; het kan die termijn eenmaal verlengen.", [])])]),
        ("B", "Artikel 6 vervalt.", []),
    ]


def test_quoted_article_heading_at_the_end_of_the_instruction_line():
    doc = _text(HEAD.replace("regeling:", "wijziging:") + """Artikel I

Na artikel 2 wordt een artikel ingevoegd, luidende: Artikel 2a Wijkteam

1. Het college stelt wijkteams in.

2. Een wijkteam werkt in een deel van de gemeente.

Artikel II

De Regeling proefkwekerij wordt als volgt gewijzigd:

A. Na artikel 4 wordt een artikel ingevoegd, luidende: Artikel 4a Klachten
   1. Een inwoner kan een klacht indienen.
   2. Het college beslist binnen zes weken op de klacht.
B. Artikel 5 vervalt.

Artikel III

Deze wijziging treedt in werking op 1 juni 2016.
""")
    assert [a.number for a in doc.articles] == ["I", "II", "III"]
    assert _leden(doc.articles[0]) == [(None, "Na artikel 2 wordt een artikel ingevoegd, luidende: Artikel 2a Wijkteam", [
        ("1.", "Het college stelt wijkteams in.", []), ("2.", "Een wijkteam werkt in een deel van de gemeente.", [])])]
    assert _items(doc.articles[1].leden[0].items) == [
        ("A.", "Na artikel 4 wordt een artikel ingevoegd, luidende: Artikel 4a Klachten", [
            ("1.", "Een inwoner kan een klacht indienen.", []),
            ("2.", "Het college beslist binnen zes weken op de klacht.", [])]),
        ("B.", "Artikel 5 vervalt.", []),
    ]


def test_inserted_lid_with_a_letter_follows_its_lid():
    doc = _text(HEAD + """Artikel 6 Onderzoek

1. Het college onderzoekt de hulpvraag.
2. In het onderzoek komt aan de orde:
   a. wat de inwoner zelf kan;
   b. wat zijn omgeving kan.
2a. Heeft de inwoner een plan gemaakt, dan betrekt het college dat plan bij het onderzoek.
3. Het college legt de uitkomst vast.
""")
    assert [(lid.number, len(lid.items)) for lid in doc.articles[0].leden] == [("1", 0), ("2", 2), ("2a", 0), ("3", 0)]


def test_two_letter_word_at_a_line_start_is_not_a_list_label():
    doc = _text(HEAD + """Artikel 6 Budget
1. Een inwoner kan hulp inkopen bij iemand uit zijn netwerk, als dat even doeltreffend
is. Het tarief is gelijk aan het minimumloon.
2. Het college kan nadere regels stellen.
""")
    assert _leden(doc.articles[0]) == [
        ("1", "Een inwoner kan hulp inkopen bij iemand uit zijn netwerk, als dat even doeltreffend is. "
              "Het tarief is gelijk aan het minimumloon.", []),
        ("2", "Het college kan nadere regels stellen.", []),
    ]


def test_markdown_dash_items_after_the_lid_sentence():
    doc = _text("""# Regeling proefkwekerij

## Artikel 1 Begrippen

In deze regeling wordt verstaan onder:
- wijkteam: de medewerkers die in een wijk de hulp regelen;
- inwoner: wie in de gemeente woont.
""", markdown=True)
    assert _leden(doc.articles[0]) == [(None, "In deze regeling wordt verstaan onder:", [
        ("-", "wijkteam: de medewerkers die in een wijk de hulp regelen;", []),
        ("-", "inwoner: wie in de gemeente woont.", []),
    ])]


def test_many_short_heading_runs_are_read_in_linear_time():
    """Every run of two article headings asks whether both head articles further on; that was
    a scan over the rest of the text per run (8,000 runs: 171 s). Now one pass in all."""
    import time

    parts = [HEAD]
    for k in range(6000):
        parts.append(f"Artikel {2 * k + 1} Eerste\n\nArtikel {2 * k + 2} Tweede\n\nDe tekst van dit artikel is een zin.\n\n")
    started = time.monotonic()
    doc = _text("".join(parts))
    assert len(doc.articles) == 12000
    assert time.monotonic() - started < 15


def test_a_long_table_copied_one_cell_per_line_is_read_in_linear_time():
    import time

    from verordeningcheck.readers.text import text_to_lines

    text = "Artikel 1 Tarieven\n\n" + "cel |\n" * 200_000 + "Einde.\n"
    started = time.monotonic()
    lines = text_to_lines(text, False)
    assert time.monotonic() - started < 10
    assert [line.text[:11] for line in lines] == ["Artikel 1 T", "cel | cel |", "Einde."]


def test_flattened_lines_with_a_page_footer_and_a_title_starting_with_de():
    first = ("Regeling proefkwekerij De raad van de gemeente Proefkwekerij; besluit vast te stellen de volgende "
             "regeling: Artikel 1 Begrippen In deze regeling wordt verstaan onder: a. wijkteam: de medewerkers "
             "die in een wijk de hulp regelen; b. inwoner: wie in de gemeente woont. Artikel 2 Aanvraag Een "
             "aanvraag wordt schriftelijk ingediend bij het college. Artikel 3 Beslissing Gemeenteblad nr. 12 1")
    second = ("2 Het college beslist binnen acht weken op de aanvraag en stuurt de beslissing aan de inwoner toe. "
              "Artikel 4 De hoogte van de bijdrage 1. De bijdrage is ten hoogste honderd euro per maand. 2. Het "
              "college kan de bijdrage jaarlijks aanpassen aan de prijzen van dat jaar, en maakt de nieuwe "
              "bedragen voor het begin van dat jaar bekend in het gemeenteblad en op de website.")
    doc = _text(first + "\n" + second + "\n")
    assert [a.number for a in doc.articles] == ["1", "2", "3", "4"]
    assert doc.articles[3].title == "De hoogte van de bijdrage"
    assert [lid.number for lid in doc.articles[3].leden] == ["1", "2"]


# -- lower-case article headings in a transcription ---------------------------------

_VIEWER = "Regeling proefkwekerij 2020\n\nMaat: px\nWeergave met pagina beginnen:\n\nTranscriptie\n\n"
# a table of contents flattened onto the first page, its headings in lower case
_LOWER_TOC = (
    "1 Regeling proefkwekerij 2020 HOOFDSTUK 1. ALGEMEEN 2 artikel 1. Woorden 2 artikel 2. Hulp 2 "
    "HOOFDSTUK 2. AANVRAAG 3 artikel 3. Aanvraag 3 artikel 4. Beslissing 3 artikel 5. Termijn 4 "
    "artikel 6. Bezwaar 4 HOOFDSTUK 3. KWALITEIT EN KLACHTEN 5 artikel 7. Eisen aan de hulp 5 artikel 8. "
    "Klachten 5 HOOFDSTUK 4. SLOT 6 artikel 9. Intrekking van de oude regeling 6 artikel 10. Citeertitel 6 "
    "TOELICHTING 7"
)


def test_lower_case_article_heading_after_a_chapter_heading_on_a_short_page():
    doc = _text(_VIEWER + _LOWER_TOC + "\n\n2 HOOFDSTUK 1. ALGEMEEN artikel 1. Woorden 1. In deze regeling\n")
    assert [(a.number, a.title) for a in doc.articles] == [("1", "Woorden")]
    assert [d.title for d in doc.divisions] == ["ALGEMEEN"]
    assert [lid.text for lid in doc.articles[0].leden] == ["In deze regeling"]
    # the page number in front of the page is reported, not read as text
    assert [d.text for d in doc.dropped if d.kind == "page-number"] == [
        "1 (paginanummer van de leessite)", "2 (paginanummer van de leessite)"]


def test_lower_case_headings_follow_each_other_where_the_contents_write_them_so():
    page = (
        "2 HOOFDSTUK 1. ALGEMEEN artikel 1. Woorden In deze regeling wordt verstaan onder: a. wijkteam: "
        "de medewerkers die in een wijk de hulp regelen; b. inwoner: wie in de gemeente woont. artikel 2. "
        "Hulp 1. Het college biedt hulp aan wie dat nodig heeft, als bedoeld in artikel 1. De hulp is "
        "gratis. 2. De hulp duurt zo kort als het kan; artikel 4 van de wet blijft van kracht, en voor "
        "een herhaling geldt artikel 3. Aanvragen daarvoor gaan voor. artikel 3. "
        "Aanvraag Een aanvraag wordt schriftelijk ingediend, zoals bedoeld in artikel 4. Het college "
        "stuurt een ontvangstbewijs."
    )
    doc = _text(_VIEWER + _LOWER_TOC + "\n\n" + page + "\n")
    assert [(a.number, a.title) for a in doc.articles] == [("1", "Woorden"), ("2", "Hulp"), ("3", "Aanvraag")]
    assert [lid.number for lid in doc.articles[1].leden] == ["1", "2"]
    # the references stay in the text of their lid
    assert "als bedoeld in artikel 1. De hulp is gratis." in doc.articles[1].leden[0].text
    assert doc.articles[1].leden[1].text.endswith("geldt artikel 3. Aanvragen daarvoor gaan voor.")
    assert doc.articles[2].leden[0].text.endswith("zoals bedoeld in artikel 4. Het college stuurt een ontvangstbewijs.")


def test_lower_case_article_references_are_no_headings_without_that_style():
    # a flattened text with capitalised headings and no table of contents: a lower-case
    # "artikel 3. Aanvraag" after a full stop is a reference in running text, not a heading
    line = (
        "Regeling proefkwekerij De raad van de gemeente Proefkwekerij; besluit vast te stellen de "
        "volgende regeling: Artikel 1 Woorden In deze regeling wordt verstaan onder: a. wijkteam: de "
        "medewerkers die in een wijk de hulp regelen; b. inwoner: wie in de gemeente woont. Artikel 2 "
        "Hulp Het college biedt hulp als bedoeld in artikel 1. De hulp is gratis. Zie ook het "
        "volgende. artikel 3. Aanvraag en beslissing staan in de Algemene wet bestuursrecht; artikel 4 "
        "van de wet blijft van kracht."
    )
    doc = _text(line + "\n")
    assert [(a.number, a.title) for a in doc.articles] == [("1", "Woorden"), ("2", "Hulp")]
    assert doc.articles[1].leden[0].text.endswith("artikel 4 van de wet blijft van kracht.")


def test_a_lower_case_heading_needs_a_title_not_the_start_of_a_sentence():
    page = ("2 HOOFDSTUK 1. ALGEMEEN artikel 1. Woorden Een wijkteam is de groep medewerkers van de wijk. "
            "Zie daarvoor artikel 2. De wijk is het gebied van het team. artikel 2. Het college regelt de hulp.")
    doc = _text(_VIEWER + _LOWER_TOC + "\n\n" + page + "\n")
    assert [(a.number, a.title) for a in doc.articles] == [("1", "Woorden")]


def test_a_flattened_table_of_contents_is_left_out_and_reported():
    doc = _text(_VIEWER + _LOWER_TOC + "\n\n2 HOOFDSTUK 1. ALGEMEEN artikel 1. Woorden 1. In deze regeling\n")
    toc = [d for d in doc.dropped if d.kind == "toc"]
    assert len(toc) == 1 and toc[0].location.line == 8
    assert toc[0].text.startswith("HOOFDSTUK 1. ALGEMEEN 2 artikel 1. Woorden 2")
    assert toc[0].text.endswith("…")  # shortened in the report
    # what goes before the contents stays: the title of the regulation
    assert doc.title == "Regeling proefkwekerij 2020"
    # the contents are left out up to their last entry ("... Citeertitel 6 TOELICHTING 7")
    assert not any("artikel 2. Hulp" in line or "TOELICHTING" in line for line in doc.aanhef)


def test_two_headings_ending_in_a_number_are_no_table_of_contents():
    line = (
        "Regeling proefkwekerij De raad van de gemeente Proefkwekerij; besluit vast te stellen de "
        "volgende regeling: Artikel 1 Woorden In deze regeling wordt verstaan onder wijkteam: de "
        "medewerkers in wijk 3 Artikel 2 Hulp Het college biedt hulp aan wie dat nodig heeft, in de "
        "wijken 1 tot en met 4 Artikel 3 Slot Deze regeling heet Regeling proefkwekerij en geldt voor "
        "alle wijken van de gemeente en voor iedere inwoner van de gemeente."
    )
    doc = _text(line + "\n")
    assert not [d for d in doc.dropped if d.kind == "toc"]
