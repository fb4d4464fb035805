"""The PDF reader: clean lines from pdfium, page furniture removed, errors in Dutch.

Every input is made here with reportlab, laid out line by line so that the tests control
exactly what is on each page: running headers and footers, page numbers, a browser's print
margins, hyphenated line ends, headings with the title on the same or the next line.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from verordeningcheck import load
from verordeningcheck.errors import EncryptedDocument, LimitExceeded, MalformedDocument, NeedsOCR
from verordeningcheck.limits import Limits
from verordeningcheck.readers.pdf import extract_lines, read_pdf

TITLE = "Verordening maatschappelijke ondersteuning Teststad 2024"
AANHEF = [
    "De raad van de gemeente Teststad;",
    "gelezen het voorstel van burgemeester en wethouders van 9 januari 2024;",
    "gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;",
    "besluit vast te stellen de volgende verordening:",
]
TOPICS = [
    ("Begripsbepalingen", "de begrippen die in deze verordening worden gebruikt"),
    ("Melding", "de melding van een behoefte aan maatschappelijke ondersteuning"),
    ("Gesprek", "het gesprek met de cliënt en zijn mantelzorger over de situatie"),
    ("Verslag", "het schriftelijke verslag van het gesprek dat aan de cliënt wordt gezonden"),
    ("Aanvraag", "de aanvraag om een maatwerkvoorziening na het gesprek"),
    ("Beschikking", "de beschikking waarin het college de maatwerkvoorziening vastlegt"),
    ("Persoonsgebonden budget", "het persoonsgebonden budget en de voorwaarden voor de besteding"),
    ("Hardheidsclausule", "het afwijken van deze verordening in bijzondere gevallen"),
    ("Citeertitel", "de naam waaronder deze verordening kan worden aangehaald"),
]


def lid_text(article: int, lid: int) -> str:
    subject = TOPICS[article - 1][1]
    return (
        f"Het college regelt in dit lid, het {['eerste', 'tweede', 'derde'][lid - 1]} van artikel {article}, "
        f"{subject}, zodat de inwoner weet waar hij aan toe is en welke stappen het college zet voordat "
        f"een besluit wordt genomen over de ondersteuning die hij nodig heeft."
    )


EXPECTED = [
    (str(n), title, [(str(lid), lid_text(n, lid)) for lid in (1, 2, 3)])
    for n, (title, _subject) in enumerate(TOPICS, start=1)
]
NOISE = ("Pagina", "Teststad 2024 -", "lokaleregelgeving", "14:02", "Lokale wet-")


# --------------------------------------------------------------------------- a tiny layout engine


@dataclass
class Para:
    kind: str  # title | heading | text | lid | item
    text: str | list[str]  # a list is taken as pre-broken lines
    label: str = ""


@dataclass
class Layout:
    header: str | None = None  # may contain {page} and {total}
    footer: str | None = None
    header_y: float = A4[1] - 36
    footer_y: float = 30
    header_size: float = 8
    title_meta: str | None = None
    encrypt: object = None
    font_size: float = 10
    leading: float = 13
    space: float = 7
    page_break_before: set[int] = field(default_factory=set)


def ordinance(layout_kind: str = "inline") -> list[Para]:
    paras = [Para("title", TITLE)] + [Para("text", line) for line in AANHEF]
    for number, title, leden in EXPECTED:
        if layout_kind == "inline":
            paras.append(Para("heading", f"Artikel {number} {title}"))
        else:
            paras.append(Para("heading", [f"Artikel {number}", title]))
        for lid, text in leden:
            paras.append(Para("lid", text, label=f"{lid}."))
    paras.append(Para("text", "Aldus vastgesteld in de openbare vergadering van 25 januari 2024."))
    paras.append(Para("text", "De raad voornoemd,"))
    return paras


def make_pdf(paras: list[Para], layout: Layout | None = None) -> bytes:
    layout = layout or Layout()
    width, height = A4
    left, right, top, bottom = 72, width - 72, height - 72, 72
    pages: list[list[tuple]] = [[]]
    y = top

    def new_page():
        nonlocal y
        pages.append([])
        y = top

    for index, para in enumerate(paras):
        if index in layout.page_break_before and pages[-1]:
            new_page()
        font, size = "Helvetica", layout.font_size
        if para.kind == "title":
            font, size = "Helvetica-Bold", 16
        elif para.kind == "heading":
            font = "Helvetica-Bold"
        elif para.kind == "small":  # e.g. a web site's footer
            size = layout.font_size * 0.8
        elif para.kind == "gap":
            y -= float(para.text)
            continue
        indent = 18 if para.kind in ("lid", "item") else 0
        if isinstance(para.text, list):
            wrapped = list(para.text)
        else:
            wrapped = simpleSplit(para.text, font, size, right - left - indent)
        leading = layout.leading * size / layout.font_size
        for number, line in enumerate(wrapped):
            if y - leading < bottom:
                new_page()
            y -= leading
            if number == 0 and para.label:
                pages[-1].append((left, y, para.label, font, size))
            pages[-1].append((left + indent, y, line, font, size))
        y -= layout.space

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt=layout.encrypt)
    if layout.title_meta is not None:
        c.setTitle(layout.title_meta)
    total = len(pages)
    for page_number, ops in enumerate(pages, start=1):
        if layout.header:
            c.setFont("Helvetica", layout.header_size)
            c.drawString(left, layout.header_y, layout.header.format(page=page_number, total=total))
        for x, y, text, font, size in ops:
            c.setFont(font, size)
            c.drawString(x, y, text)
        if layout.footer:
            c.setFont("Helvetica", layout.header_size)
            c.drawCentredString(width / 2, layout.footer_y, layout.footer.format(page=page_number, total=total))
        c.showPage()
    c.save()
    return out.getvalue()


def articles_of(document):
    return [
        (a.number, a.title, [(lid.number, re.sub(r"\s+", " ", lid.full_text()).strip()) for lid in a.leden])
        for a in document.articles
    ]


def all_text(document) -> str:
    parts = [document.title, *document.aanhef, *document.slot]
    for article in document.articles:
        parts.append(article.title)
        parts.extend(lid.full_text() for lid in article.leden)
    return "\n".join(parts)


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("layout_kind", ["inline", "nextline"])
@pytest.mark.parametrize("space", [7, 0], ids=["paragraph-space", "no-paragraph-space"])
def test_both_heading_layouts_give_the_articles(layout_kind, space):
    # without extra space between paragraphs, a line that ends early still ends its paragraph
    data = make_pdf(ordinance(layout_kind), Layout(space=space))
    document = read_pdf(data, "test.pdf", Limits())
    assert document.format == "pdf"
    assert articles_of(document) == EXPECTED
    assert document.title == TITLE
    assert document.aanhef == AANHEF
    assert document.slot[0].startswith("Aldus vastgesteld")
    assert int(document.metadata["pages"]) >= 2


def test_running_header_footer_and_page_numbers_are_removed():
    layout = Layout(header=TITLE, footer="Pagina {page} van {total}")
    data = make_pdf(ordinance(), layout)
    document = read_pdf(data, "test.pdf", Limits())
    assert articles_of(document) == EXPECTED
    text = all_text(document)
    assert "Pagina" not in text
    # the small running title is gone; the real title is kept once
    assert document.title == TITLE
    assert all(TITLE not in lid.full_text() for _article, lid in document.iter_leden())


@pytest.mark.parametrize("footer", ["- {page} -", "{page}", "{page}/{total}", "blz. {page}"])
def test_bare_page_numbers_are_removed(footer):
    document = read_pdf(make_pdf(ordinance(), Layout(footer=footer)), "test.pdf", Limits())
    assert articles_of(document) == EXPECTED


def test_browser_print_margins_are_removed():
    layout = Layout(
        header="23-11-2026 14:02   Verordening Wmo Teststad 2024 - Lokale wet- en regelgeving",
        footer="https://lokaleregelgeving.overheid.nl/CVDR645123/1   {page}/{total}",
        header_y=A4[1] - 20,
        footer_y=16,
    )
    document = read_pdf(make_pdf(ordinance(), layout), "test.pdf", Limits())
    assert articles_of(document) == EXPECTED
    text = all_text(document)
    for noise in NOISE:
        assert noise not in text


def test_browser_print_margins_on_a_single_page_are_removed():
    # one page: nothing repeats, so the patterns alone must recognise the margins
    paras = [Para("title", TITLE), Para("heading", "Artikel 1 Citeertitel"), Para("text", "Deze verordening heet kort.")]
    layout = Layout(
        header="11/23/26, 2:02 PM   Verordening Wmo Teststad 2024 | Lokale wet- en regelgeving",
        footer="https://lokaleregelgeving.overheid.nl/CVDR645123/1   1/1",
        header_y=A4[1] - 20,
        footer_y=16,
    )
    lines = extract_lines(make_pdf(paras, layout), "test.pdf", Limits()).lines
    assert " ".join(line.text for line in lines) == f"{TITLE} Artikel 1 Citeertitel Deze verordening heet kort."


SITE_FOOTER = ["Over deze site   Privacy   Cookies   Toegankelijkheid   Contact",
               "Overheid.nl is de wegwijzer naar informatie en diensten van alle overheden."]
BROWSER = dict(
    header="23-11-2026 14:02   Verordening Wmo Teststad 2024 - Lokale wet- en regelgeving",
    footer="https://lokaleregelgeving.overheid.nl/CVDR645123/1   {page}/{total}",
    header_y=A4[1] - 20,
    footer_y=16,
)


@pytest.mark.parametrize(
    "browser, gap, kept",
    [(True, "60", False), (False, "60", True), (True, "0", True)],
    ids=["printed-web-page", "not-a-printed-web-page", "not-set-apart"],
)
def test_site_footer_of_a_printed_web_page_is_dropped(browser, gap, kept):
    """Small lines set apart at the very end of a printed web page are the site's footer;
    without the browser's URL margin, or without the gap, they are kept."""
    paras = ordinance() + [Para("gap", gap)] + [Para("small", line) for line in SITE_FOOTER]
    layout = Layout(**BROWSER) if browser else Layout()
    document = read_pdf(make_pdf(paras, layout), "test.pdf", Limits())
    assert articles_of(document) == EXPECTED
    text = all_text(document) + "\n" + document.toelichting_text
    assert ("wegwijzer" in text) is kept
    assert ("Privacy" in text) is kept
    assert "De raad voornoemd," in text
    assert not document.warnings


def test_line_hints_blocks_bold_title_and_locations():
    lines = extract_lines(make_pdf(ordinance("nextline")), "test.pdf", Limits()).lines
    # the title wraps at 16 pt: the first line carries the hint, the second continues it
    assert lines[0].heading == "title" and lines[0].bold and lines[0].block_start
    assert lines[1].heading is None and lines[1].block_start is False
    assert f"{lines[0].text} {lines[1].text}" == TITLE
    heading = next(i for i, line in enumerate(lines) if line.text == "Artikel 2")
    assert lines[heading].bold and lines[heading].block_start
    assert lines[heading + 1].text == "Melding" and lines[heading + 1].bold
    lid = lines[heading + 2]
    assert lid.text.startswith("1. Het college") and lid.block_start and not lid.bold
    # the wrapped continuation of a lid continues its block
    assert lines[heading + 3].block_start is False
    assert all(line.location.page >= 1 and line.location.line >= 1 for line in lines)
    assert lines[0].location.page == 1 and lines[0].location.line == 1
    assert lines[-1].location.page >= 3


def test_lid_continues_across_a_page_break():
    document = read_pdf(make_pdf(ordinance(), Layout(header=TITLE)), "test.pdf", Limits())
    pages = {lid.location.page for _a, lid in document.iter_leden()}
    assert len(pages) >= 3
    assert articles_of(document) == EXPECTED  # no lid was cut in two at a page end


def test_hyphenated_line_end_is_split_for_the_structurer():
    paras = [
        Para("title", TITLE),
        Para("heading", "Artikel 1 Doel"),
        Para("text", ["Deze verordening regelt de maatschap-", "pelijke ondersteuning van inwoners."]),
    ]
    data = make_pdf(paras)
    lines = extract_lines(data, "test.pdf", Limits()).lines
    texts = [line.text for line in lines]
    assert "Deze verordening regelt de maatschap-" in texts
    continuation = lines[texts.index("pelijke ondersteuning van inwoners.")]
    assert continuation.block_start is False
    document = read_pdf(data, "test.pdf", Limits())
    assert "maatschappelijke ondersteuning" in document.articles[0].text


def test_label_column_drawn_after_the_text_is_read_in_order():
    # a browser draws a table's number column after the text column: read by position
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, 700, "Artikel 1 Melding")
    c.setFont("Helvetica", 10)
    c.drawString(96, 680, "Een inwoner kan een behoefte aan ondersteuning melden.")
    c.drawString(96, 660, "Het college bevestigt de melding schriftelijk.")
    c.drawString(72, 680, "1.")
    c.drawString(72, 660, "2.")
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, 720, "Verordening Wmo Teststad")
    c.showPage()
    c.save()
    lines = extract_lines(out.getvalue(), "test.pdf", Limits()).lines
    assert [line.text for line in lines] == [
        "Verordening Wmo Teststad",
        "Artikel 1 Melding",
        "1. Een inwoner kan een behoefte aan ondersteuning melden.",
        "2. Het college bevestigt de melding schriftelijk.",
    ]


def test_table_of_contents_is_dropped():
    paras = [Para("title", TITLE), Para("heading", "Inhoudsopgave")]
    paras += [Para("text", f"Artikel {n} {title}") for n, title, _ in EXPECTED]
    paras += [Para("text", "Toelichting")]
    paras += ordinance()[1:]
    document = read_pdf(make_pdf(paras), "test.pdf", Limits())
    assert articles_of(document) == EXPECTED


def test_vertical_margin_stamp_is_dropped():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, "Artikel 1 Citeertitel")
    c.drawString(72, 687, "Deze verordening heet Verordening Wmo Teststad 2024.")
    c.saveState()
    c.translate(30, 300)
    c.rotate(90)
    c.drawString(0, 0, "Gemeenteblad 2024 nr. 12345 - officiële uitgave")
    c.restoreState()
    c.showPage()
    c.save()
    texts = [line.text for line in extract_lines(out.getvalue(), "test.pdf", Limits()).lines]
    assert texts == ["Artikel 1 Citeertitel", "Deze verordening heet Verordening Wmo Teststad 2024."]


def test_ligatures_and_spaces_are_normalised():
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # has the ffi ligature glyph
    if not font_path.is_file():
        pytest.skip("DejaVuSans.ttf is not installed")
    pdfmetrics.registerFont(TTFont("DejaVuTest", str(font_path)))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("DejaVuTest", 10)
    c.drawString(72, 700, "financi\u00eble e\ufb03ci\u00ebntie\u00a0nu")
    c.showPage()
    c.save()
    texts = [line.text for line in extract_lines(out.getvalue(), "test.pdf", Limits()).lines]
    assert texts == ["financiële efficiëntie nu"]


def test_two_column_page_keeps_column_order():
    left_column = [f"Links regel {n} van de eerste kolom met lopende tekst." for n in range(1, 9)]
    right_column = [f"Rechts regel {n} van de tweede kolom met lopende tekst." for n in range(1, 9)]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 8)
    for column, x in ((left_column, 40), (right_column, 310)):
        for row, text in enumerate(column):
            c.drawString(x, 700 - 11 * row, text)
    c.showPage()
    c.save()
    texts = [line.text for line in extract_lines(out.getvalue(), "test.pdf", Limits()).lines]
    assert texts == left_column + right_column


def test_letterhead_in_large_type_is_not_the_title():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 24)
    c.drawString(72, 780, "Gemeente Teststad")
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 720, "Verordening Wmo Teststad 2024")
    c.setFont("Helvetica", 10)
    c.drawString(72, 690, "De raad van de gemeente Teststad;")
    c.drawString(72, 660, "Artikel 1 Citeertitel")
    c.drawString(72, 647, "Deze verordening heet Verordening Wmo Teststad 2024.")
    c.showPage()
    c.save()
    lines = extract_lines(out.getvalue(), "test.pdf", Limits()).lines
    assert [line.text for line in lines if line.heading == "title"] == ["Verordening Wmo Teststad 2024"]


# --------------------------------------------------------------------------- title and metadata


def test_meaningful_metadata_title_is_used_and_meaningless_one_ignored():
    paras = ordinance()
    meaningful = extract_lines(make_pdf(paras, Layout(title_meta=TITLE + " - Lokale wet- en regelgeving")), "t.pdf", Limits())
    assert meaningful.title == TITLE
    for junk in ("Microsoft Word - concept_v3.docx", "untitled", "verordening.pdf", ""):
        assert extract_lines(make_pdf(paras, Layout(title_meta=junk)), "t.pdf", Limits()).title is None
    # a metadata title that contradicts the visible title is not trusted
    stale = extract_lines(make_pdf(paras, Layout(title_meta="Raadsvoorstel 2023-17 jeugdhulp")), "t.pdf", Limits())
    assert stale.title is None


# --------------------------------------------------------------------------- errors and limits


def test_encrypted_pdf_is_refused_in_dutch():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = make_pdf(ordinance(), Layout(encrypt=StandardEncryption("geheim", ownerPassword="eigenaar")))
    with pytest.raises(EncryptedDocument) as info:
        read_pdf(data, "test.pdf", Limits())
    assert "wachtwoord" in info.value.message


def test_pdf_with_only_an_owner_password_is_read():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = make_pdf(ordinance(), Layout(encrypt=StandardEncryption("", ownerPassword="eigenaar", canModify=0)))
    assert articles_of(read_pdf(data, "test.pdf", Limits())) == EXPECTED


@pytest.mark.parametrize("fraction", [0.3, 0.7, 0.995])
def test_truncated_pdf_is_malformed(fraction):
    data = make_pdf(ordinance())
    with pytest.raises(MalformedDocument):
        read_pdf(data[: int(len(data) * fraction)], "test.pdf", Limits())


def test_garbage_after_the_header_is_malformed():
    with pytest.raises(MalformedDocument):
        read_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n", "test.pdf", Limits())


def test_image_only_pdf_needs_ocr():
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = Image.new("L", (200, 100), color=200)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for _page in range(2):
        c.drawImage(ImageReader(picture), 72, 400, width=400, height=200)
        c.rect(72, 100, 300, 200, fill=1)
        c.showPage()
    c.save()
    with pytest.raises(NeedsOCR) as info:
        read_pdf(out.getvalue(), "scan.pdf", Limits())
    assert "OCR" in info.value.message and "tekstlaag" in info.value.message


def test_scanned_pages_with_only_a_page_number_need_ocr():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in (1, 2, 3):
        c.rect(72, 100, 300, 500, fill=1)
        c.setFont("Helvetica", 8)
        c.drawCentredString(A4[0] / 2, 30, f"Pagina {page} van 3")
        c.showPage()
    c.save()
    with pytest.raises(NeedsOCR):
        read_pdf(out.getvalue(), "scan.pdf", Limits())


def test_a_page_without_text_gives_a_warning():
    paras = ordinance()
    data = make_pdf(paras)
    # append a blank (scanned) page by building the document again with an empty last page
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, 700, "Artikel 1 Citeertitel")
    c.setFont("Helvetica", 10)
    c.drawString(72, 687, "Deze verordening heet Verordening Wmo Teststad 2024.")
    c.showPage()
    c.rect(72, 100, 300, 500, fill=1)
    c.showPage()
    c.save()
    document = read_pdf(out.getvalue(), "test.pdf", Limits())
    assert [a.number for a in document.articles] == ["1"]
    assert any("Pagina 2" in warning for warning in document.warnings)
    assert data  # the plain document has no such warning
    assert not read_pdf(data, "test.pdf", Limits()).warnings


def test_page_limit():
    data = make_pdf(ordinance())
    with pytest.raises(LimitExceeded) as info:
        read_pdf(data, "test.pdf", Limits(max_pages=2))
    assert "pagina" in info.value.message


def test_time_limit_is_checked_between_pages():
    with pytest.raises(LimitExceeded) as info:
        read_pdf(make_pdf(ordinance()), "test.pdf", Limits(max_seconds=0))
    assert "te lang" in info.value.message


def test_text_limit():
    with pytest.raises(LimitExceeded):
        read_pdf(make_pdf(ordinance()), "test.pdf", Limits(max_text_chars=1000))


def test_load_dispatches_pdf_bytes():
    document = load(make_pdf(ordinance()), name="teststad.pdf")
    assert document.format == "pdf" and document.source_name == "teststad.pdf"
    assert [a.number for a in document.articles] == [n for n, _t, _l in EXPECTED]


def test_sample_web_pages_printed_by_chromium_lose_the_site_footer():
    """The browser renderings of every sample (Chromium's print of a lokaleregelgeving page;
    in one held-out sample the site footer starts on one page and ends on the next)."""
    import glob
    import json

    from conftest import ROOT

    files = sorted(glob.glob(str(ROOT / "samples" / "rendered" / "*" / "*-browser.pdf"))
                   + glob.glob(str(ROOT / "samples" / "heldout" / "rendered" / "*" / "*-browser.pdf")))
    assert len(files) >= 18
    for path in files:
        document = load(path)
        data = document.to_dict()
        dropped = data.pop("dropped")
        text = json.dumps(data, ensure_ascii=False)
        assert "Over deze site" not in text and "wegwijzer naar informatie" not in text, path
        # the leesverantwoording names what was left out
        assert any(d["kind"] == "site-footer" and "Over deze site" in d["text"] for d in dropped), path
        assert not document.warnings, (path, document.warnings)
