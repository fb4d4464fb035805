"""The Word reader: paragraphs with style hints, Word's automatic numbering, archive safety.

Every input is made here with python-docx; automatic numbering is added as abstractNum/num
XML to the numbering part, the way Word stores it.
"""
from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from verordeningcheck import load
from verordeningcheck.errors import MalformedDocument, UnsafeDocument
from verordeningcheck.limits import Limits
from verordeningcheck.readers.docx import extract_lines, read_docx

TITLE = "Verordening maatschappelijke ondersteuning Teststad 2024"
AANHEF = [
    "De raad van de gemeente Teststad;",
    "gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;",
    "besluit vast te stellen de volgende verordening:",
]
ARTICLES = [
    (
        "1",
        "Begripsbepalingen",
        [
            ("1", "In deze verordening wordt verstaan onder:", [("a.", "wet: de Wet maatschappelijke ondersteuning 2015;"), ("b.", "melding: het kenbaar maken van een behoefte aan ondersteuning.")]),
            ("2", "Begrippen die niet nader zijn omschreven, hebben de betekenis die de wet eraan geeft.", []),
        ],
    ),
    (
        "2",
        "Melding",
        [
            ("1", "Een melding kan mondeling, schriftelijk of elektronisch worden gedaan.", []),
            ("2", "Het college bevestigt de ontvangst van de melding schriftelijk.", []),
            ("3", "Het gesprek vindt plaats binnen zes weken na de melding.", []),
        ],
    ),
    (
        "3",
        "Onderzoek",
        [
            ("1", "Het college onderzoekt in een gesprek in ieder geval:", [("a.", "de behoeften van de cliënt;"), ("b.", "de mogelijkheden van zijn mantelzorger;"), ("c.", "de inzet van het sociale netwerk.")]),
            ("2", "Het college verstrekt de cliënt een schriftelijk verslag van de uitkomsten van het onderzoek.", []),
        ],
    ),
]
SLOT = "Aldus vastgesteld in de openbare vergadering van 25 januari 2024."


def as_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def typed_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    for line in AANHEF:
        document.add_paragraph(line)
    for number, title, leden in ARTICLES:
        document.add_paragraph(f"Artikel {number} {title}", style="Heading 2")
        for lid, text, items in leden:
            document.add_paragraph(f"{lid}.\t{text}")
            for label, item in items:
                document.add_paragraph(f"{label}\t{item}")
    document.add_paragraph(SLOT)
    document.core_properties.title = TITLE
    document.core_properties.author = "Gemeente Teststad"
    return as_bytes(document)


def add_abstract(document, abstract_id: int, levels: list[tuple[str, str]], extra: str = "") -> None:
    """levels: (numFmt, lvlText) per level, all starting at 1."""
    root = document.part.numbering_part.element
    parts = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{extra}']
    for ilvl, (fmt, text) in enumerate(levels):
        parts.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
        )
    parts.append("</w:abstractNum>")
    element = parse_xml("".join(parts))
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(element)
    else:
        root.append(element)


def add_num(document, num_id: int, abstract_id: int, restart: bool = False) -> None:
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    document.part.numbering_part.element.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>')
    )


def numbered(paragraph, num_id: int, ilvl: int = 0):
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id
    return paragraph


def autonum_docx() -> bytes:
    """The same ordinance with every article, lid and item number from Word's numbering."""
    document = docx.Document()
    add_abstract(document, 900, [("decimal", "Artikel %1")])
    add_abstract(document, 901, [("decimal", "%1."), ("lowerLetter", "%2.")])
    add_num(document, 900, 900)
    document.add_paragraph(TITLE, style="Title")
    for line in AANHEF:
        document.add_paragraph(line)
    for index, (_number, title, leden) in enumerate(ARTICLES):
        numbered(document.add_paragraph(title, style="Heading 2"), 900)
        lid_num = 910 + index
        add_num(document, lid_num, 901, restart=True)  # "restart numbering" for each article
        for _lid, text, items in leden:
            numbered(document.add_paragraph(text), lid_num, 0)
            for _label, item in items:
                numbered(document.add_paragraph(item), lid_num, 1)
    document.add_paragraph(SLOT)
    document.core_properties.title = TITLE
    return as_bytes(document)


def articles_of(document):
    def items(item_list):
        return [(item.label, item.text) for item in item_list]

    return [
        (a.number, a.title, [(lid.number, re.sub(r"\s+", " ", lid.text).strip(), items(lid.items)) for lid in a.leden])
        for a in document.articles
    ]


# --------------------------------------------------------------------------- structure


def test_typed_numbers_give_the_articles():
    document = read_docx(typed_docx(), "test.docx", Limits())
    assert document.format == "docx"
    assert articles_of(document) == ARTICLES
    assert document.title == TITLE
    assert document.aanhef == AANHEF
    assert document.slot == [SLOT]
    assert document.gemeente == "Teststad"


def test_automatic_numbering_gives_the_same_articles():
    document = read_docx(autonum_docx(), "test.docx", Limits())
    assert articles_of(document) == ARTICLES
    assert document.title == TITLE


def test_automatic_numbers_are_labels_and_typed_numbers_stay_in_the_text():
    auto = extract_lines(autonum_docx(), "test.docx", Limits()).lines
    typed = extract_lines(typed_docx(), "test.docx", Limits()).lines
    assert [line.label for line in auto if line.label] == [
        "Artikel 1", "1.", "a.", "b.", "2.",
        "Artikel 2", "1.", "2.", "3.",
        "Artikel 3", "1.", "a.", "b.", "c.", "2.",
    ]
    assert all(line.label is None for line in typed)
    assert any(line.text.startswith("1.\tIn deze verordening") for line in typed)
    heading = next(line for line in auto if line.label == "Artikel 2")
    assert heading.text == "Melding" and heading.heading == "heading" and heading.indent == 0.0
    item = next(line for line in auto if line.label == "c.")
    assert item.indent == 1.0


def test_style_hints_and_locations():
    lines = extract_lines(typed_docx(), "test.docx", Limits()).lines
    assert lines[0].heading == "title" and lines[0].text == TITLE
    assert all(line.block_start for line in lines)
    heading = next(line for line in lines if line.text == "Artikel 2 Melding")
    assert heading.heading == "heading" and heading.bold
    assert [line.location.line for line in lines] == list(range(1, len(lines) + 1))


def test_localized_heading_styles_and_table_paragraphs():
    document = docx.Document()
    styles = document.styles
    kop = styles.add_style("Kop 1", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    kop.font.bold = True
    titel = styles.add_style("Titel", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph(TITLE, style=titel)
    document.add_paragraph("Hoofdstuk 1 Algemeen", style=kop)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Artikel 1 Begrippen"
    table.cell(0, 1).text = "In deze verordening wordt verstaan onder wet: de Wmo 2015."
    document.add_paragraph("Artikel 2 Slot")
    lines = extract_lines(as_bytes(document), "test.docx", Limits()).lines
    assert [(line.text, line.heading) for line in lines] == [
        (TITLE, "title"),
        ("Hoofdstuk 1 Algemeen", "heading"),
        ("Artikel 1 Begrippen", None),
        ("In deze verordening wordt verstaan onder wet: de Wmo 2015.", None),
        ("Artikel 2 Slot", None),
    ]
    assert lines[1].bold


def test_soft_line_break_starts_a_continuation_line_and_hidden_text_is_skipped():
    document = docx.Document()
    paragraph = document.add_paragraph("Artikel 4")
    paragraph.add_run().add_break()
    paragraph.add_run("Aanvraag")
    hidden = paragraph.add_run(" verborgen")
    hidden.font.hidden = True
    lines = extract_lines(as_bytes(document), "test.docx", Limits()).lines
    assert [(line.text, line.block_start) for line in lines] == [("Artikel 4", True), ("Aanvraag", False)]
    assert lines[0].location == lines[1].location


def test_tracked_deletions_and_field_codes_are_not_text():
    document = docx.Document()
    paragraph = document.add_paragraph("Het college ")
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="x"><w:r><w:delText>niet </w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="x"><w:r><w:t>beslist </w:t></w:r></w:ins>')
    )
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText> PAGE </w:instrText></w:r>'))
    paragraph.add_run("binnen acht weken.")
    lines = extract_lines(as_bytes(document), "test.docx", Limits()).lines
    assert lines[0].text == "Het college beslist binnen acht weken."


def test_table_of_contents_paragraphs_are_skipped():
    document = docx.Document()
    toc = document.styles.add_style("toc 1", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Artikel 1 Begrippen\t3", style=toc)
    document.add_paragraph("Artikel 1 Begrippen")
    lines = extract_lines(as_bytes(document), "test.docx", Limits()).lines
    assert [line.text for line in lines] == ["Artikel 1 Begrippen"]


# --------------------------------------------------------------------------- Word numbering rules


def labels(document) -> list[str | None]:
    return [line.label for line in extract_lines(as_bytes(document), "test.docx", Limits()).lines]


def test_numbering_formats_and_multilevel_text():
    document = docx.Document()
    add_abstract(
        document,
        800,
        [("upperRoman", "Hoofdstuk %1"), ("decimal", "Artikel %1.%2"), ("lowerRoman", "%3)"), ("upperLetter", "%4.")],
    )
    add_num(document, 800, 800)
    for ilvl in (0, 1, 1, 2, 2, 3, 0, 1, 2):
        numbered(document.add_paragraph("tekst"), 800, ilvl)
    assert labels(document) == [
        "Hoofdstuk I", "Artikel I.1", "Artikel I.2", "i)", "ii)", "A.", "Hoofdstuk II", "Artikel II.1", "i)",
    ]


def test_legal_numbering_letters_past_z_and_start_value():
    document = docx.Document()
    root = document.part.numbering_part.element
    root.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="810">'
            '<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/>'
            '<w:lvlText w:val="Artikel %1.%2"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="25"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    add_num(document, 810, 810)
    for ilvl in (1, 2, 2, 2, 0, 1):
        numbered(document.add_paragraph("tekst"), 810, ilvl)
    # level 0 was not used before the first article: it shows its start value (3), and its
    # first own paragraph still starts at that value, as in Word
    assert labels(document) == ["Artikel 3.1", "y.", "z.", "aa.", "III", "Artikel 3.1"]


def test_counters_are_shared_per_abstract_num_unless_restarted():
    document = docx.Document()
    add_abstract(document, 820, [("decimal", "%1."), ("lowerLetter", "%2.")])
    add_num(document, 821, 820)
    add_num(document, 822, 820)  # same list continued (Word's "continue numbering")
    add_num(document, 823, 820, restart=True)  # "restart numbering at 1"
    plan = [(821, 0), (821, 0), (822, 0), (822, 1), (823, 0), (823, 1), (823, 1), (821, 0)]
    for num_id, ilvl in plan:
        numbered(document.add_paragraph("tekst"), num_id, ilvl)
    assert labels(document) == ["1.", "2.", "3.", "a.", "1.", "a.", "b.", "2."]


def test_lower_levels_restart_unless_lvl_restart_says_never():
    document = docx.Document()
    root = document.part.numbering_part.element
    root.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="830">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Hoofdstuk %1"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlRestart w:val="0"/>'
            '<w:lvlText w:val="Artikel %2"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    add_num(document, 830, 830)
    for ilvl in (0, 1, 2, 2, 1, 2, 0, 1, 2):
        numbered(document.add_paragraph("tekst"), 830, ilvl)
    assert labels(document) == [
        "Hoofdstuk 1", "Artikel 1", "1.", "2.", "Artikel 2", "1.", "Hoofdstuk 2", "Artikel 3", "1.",
    ]


def test_numbering_through_the_paragraph_style_and_bullets():
    document = docx.Document()
    add_abstract(document, 840, [("decimal", "Artikel %1")])
    add_abstract(document, 841, [("bullet", "\uf0b7"), ("bullet", "o")])
    add_num(document, 840, 840)
    add_num(document, 841, 841)
    style = document.styles.add_style("Artikelkop", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="840"/></w:numPr>')
    )
    document.add_paragraph("Melding", style=style)
    document.add_paragraph("Gesprek", style=style)
    numbered(document.add_paragraph("een punt"), 841, 0)
    numbered(document.add_paragraph("een subpunt"), 841, 1)
    cancelled = document.add_paragraph("Zonder nummer", style=style)
    numbered(cancelled, 0)  # numId 0 switches the style's numbering off
    assert labels(document) == ["Artikel 1", "Artikel 2", "•", "◦", None]


def test_empty_numbered_paragraph_counts_but_is_not_a_line():
    document = docx.Document()
    add_abstract(document, 850, [("decimal", "%1.")])
    add_num(document, 850, 850)
    numbered(document.add_paragraph("eerste"), 850)
    numbered(document.add_paragraph(""), 850)
    numbered(document.add_paragraph("derde"), 850)
    lines = extract_lines(as_bytes(document), "test.docx", Limits()).lines
    assert [(line.label, line.text) for line in lines] == [("1.", "eerste"), ("2.", ""), ("3.", "derde")]


# --------------------------------------------------------------------------- properties


def test_meaningless_or_contradicting_core_title_is_not_used():
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.core_properties.title = "Document1"
    assert extract_lines(as_bytes(document), "t.docx", Limits()).title is None
    document.core_properties.title = "Sjabloon raadsvoorstel"
    assert extract_lines(as_bytes(document), "t.docx", Limits()).title is None
    document.core_properties.title = TITLE
    assert extract_lines(as_bytes(document), "t.docx", Limits()).title == TITLE
    # without a Title paragraph the properties' title must appear among the opening paragraphs
    plain = docx.Document()
    plain.add_paragraph("Verordening Wmo Teststad 2024")
    plain.add_paragraph("Artikel 1 Citeertitel")
    plain.core_properties.title = "Verordening Wmo Teststad 2024"
    assert extract_lines(as_bytes(plain), "t.docx", Limits()).title == "Verordening Wmo Teststad 2024"
    plain.core_properties.title = "Sjabloon raadsvoorstel"
    assert extract_lines(as_bytes(plain), "t.docx", Limits()).title is None


# --------------------------------------------------------------------------- archive safety and errors


def rebuilt(data: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def test_zip_bomb_is_refused_without_decompressing_it(monkeypatch):
    bomb_name = "word/media/image1.bin"
    data = rebuilt(typed_docx(), extra={bomb_name: bytes(60 * 1024 * 1024)})
    original_open = zipfile.ZipFile.open

    def guarded_open(self, name, *args, **kwargs):
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if filename == bomb_name:
            raise AssertionError("the bomb was decompressed")
        return original_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", guarded_open)
    with pytest.raises(UnsafeDocument) as info:
        read_docx(data, "bom.docx", Limits())
    assert "zip-bom" in info.value.message


def test_total_uncompressed_size_and_entry_count_limits():
    data = typed_docx()
    with pytest.raises(UnsafeDocument):
        read_docx(data, "t.docx", Limits(max_uncompressed_bytes=10_000))
    with pytest.raises(UnsafeDocument) as info:
        read_docx(data, "t.docx", Limits(max_archive_entries=3))
    assert "onderdelen" in info.value.message


def test_dtd_in_a_part_is_refused():
    data = typed_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    declaration, rest = xml.split(b"?>", 1)
    evil = declaration + b'?><!DOCTYPE w:document [<!ENTITY lol "lol">]>' + rest
    with pytest.raises(UnsafeDocument) as info:
        read_docx(rebuilt(data, replace={"word/document.xml": evil}), "t.docx", Limits())
    assert "DTD" in info.value.message


def test_broken_archives_are_malformed():
    data = typed_docx()
    with pytest.raises(MalformedDocument):
        read_docx(data[: len(data) // 2], "t.docx", Limits())
    with pytest.raises(MalformedDocument):
        read_docx(rebuilt(data, replace={"word/document.xml": b"<w:document><unclosed"}), "t.docx", Limits())


def test_text_limit():
    with pytest.raises(Exception) as info:
        read_docx(typed_docx(), "t.docx", Limits(max_text_chars=100))
    assert info.value.code == "limit"


def test_load_dispatches_docx_bytes():
    document = load(autonum_docx(), name="teststad.docx")
    assert document.format == "docx" and [a.number for a in document.articles] == ["1", "2", "3"]
