"""The HTML report: structure for every sample, escaping of document text, and a headless
Chromium check (no console errors, no network requests)."""
from __future__ import annotations

import os

import lxml.html
import pytest

from verordeningcheck import check
from verordeningcheck.report import VERDICT_NL, highlight, redline, render_html
from verordeningcheck.ruleset import CATALOGUE

from conftest import SAMPLES, checked, manifest_samples
from browser import CHROMIUM, CHROMIUM_ARGS

SAMPLE_IDS = [s["id"] for s in manifest_samples()]


def markdown_path(sample_id: str):
    return SAMPLES / "rendered" / sample_id / f"{sample_id}.md"


_HTML: dict[str, str] = {}


def report_html(sample_id: str) -> str:
    if sample_id not in _HTML:
        _HTML[sample_id] = render_html(checked(markdown_path(sample_id)))
    return _HTML[sample_id]


def ids_in(tree) -> list[str]:
    return [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]


def assert_self_contained(html: str, tree) -> None:
    assert not tree.xpath("//script"), "the report must not contain <script>"
    assert not tree.xpath("//link"), "the report must not contain <link>"
    assert not tree.xpath("//img | //iframe | //object | //embed | //video | //audio | //source | //form | //base")
    assert not tree.xpath("//@src"), "nothing may be loaded from elsewhere"
    for el in tree.xpath("//*[@*[starts-with(name(), 'on')]]"):
        raise AssertionError(f"event handler attribute on <{el.tag}>")
    for href in tree.xpath("//@href"):
        assert href.startswith("#"), f"only internal links allowed, found {href!r}"
    styles = " ".join(tree.xpath("//style/text()")) + " ".join(tree.xpath("//@style"))
    assert "url(" not in styles and "@import" not in styles and "@font-face" not in styles
    assert "javascript:" not in html.lower()


def assert_links_resolve(tree) -> None:
    ids = ids_in(tree)
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    known = set(ids)
    for href in tree.xpath("//a/@href"):
        assert href[1:] in known, f"link {href} points nowhere"


@pytest.mark.skipif(not SAMPLE_IDS, reason="no samples")
@pytest.mark.parametrize("sample_id", SAMPLE_IDS)
def test_report_structure(sample_id):
    path = markdown_path(sample_id)
    assert path.is_file(), path
    result = checked(path)
    html = report_html(sample_id)
    tree = lxml.html.document_fromstring(html)
    assert tree.get("lang") == "nl"

    # summary with the verdict in Dutch, explanation and reasons
    summary = tree.get_element_by_id("samenvatting")
    text = summary.text_content()
    assert VERDICT_NL[result.verdict.verdict] in text
    assert result.verdict.explanation in " ".join(text.split())
    assert f"{round(result.verdict.confidence * 100)}%" in text
    if result.document.title:
        assert result.document.title in text

    # the checklist: a row for every catalogue element, with a mark and a link to its diff
    checklist = tree.get_element_by_id("checklist")
    for element_id in CATALOGUE:
        rows = checklist.xpath(f".//tr[@id='element-{element_id}']")
        assert len(rows) == 1, element_id
        row = rows[0]
        element = result.verdict.element(element_id)
        status = row.xpath(".//td[contains(@class, 'status')]")[0].text_content()
        assert ("aanwezig" in status) == element.present, element_id
        assert row.xpath(f".//a[@href='#diff-{element_id}']")
        for evidence in element.evidence[:1]:
            assert row.xpath(".//a[starts-with(@href, '#art-')]"), f"{element_id}: no evidence link"
        if element.rejected:
            assert "ontkend" in row.text_content()

    # the diff: a section per element with a redline or a missing-clause marker, and a legend
    diff = tree.get_element_by_id("vergelijking")
    legend = tree.get_element_by_id("legenda")
    assert legend.xpath(".//ins") and legend.xpath(".//del")
    assert "parafrase" in legend.text_content() and "geen officiële VNG-tekst" in " ".join(legend.text_content().split())
    redlines = 0
    for element_id in CATALOGUE:
        section = diff.xpath(f".//*[@id='diff-{element_id}']")
        assert len(section) == 1, element_id
        section = section[0]
        element = result.verdict.element(element_id)
        has_redline = bool(section.xpath(".//ins | .//del"))
        missing = section.xpath(".//*[contains(@class, 'ontbreekt-label')]")
        assert has_redline or missing, element_id
        if element.present:
            assert has_redline and not missing, element_id
            assert section.xpath(".//a[starts-with(@href, '#art-')]")
            redlines += 1
        else:
            assert missing and "ontbreekt" in missing[0].text_content(), element_id
            assert section.xpath(".//blockquote[contains(@class, 'modeltekst')]"), element_id
    assert redlines == len(result.verdict.present_ids())

    # the ordinance: every article and lid anchored, findings highlighted, toelichting apart
    ordinance = tree.get_element_by_id("verordening")
    articles = ordinance.xpath(".//div[contains(concat(' ', @class, ' '), ' artikel ')]")
    assert len(articles) == len(result.document.articles)
    for node, article in zip(articles, result.document.articles):
        assert node.get("id", "").startswith("art-")
        assert len(node.xpath("./div[@class='lid']")) == len(article.leden)
    if result.verdict.present_ids():
        assert ordinance.xpath(".//mark[contains(@class, 'vondst')]")
    if result.document.toelichting:
        toelichting = tree.get_element_by_id("toelichting")
        assert not ordinance.xpath(".//*[@id='toelichting']")
        assert "telt niet mee" in toelichting.text_content()
        assert not toelichting.xpath(".//mark")

    assert_links_resolve(tree)
    assert_self_contained(html, tree)


def test_evidence_links_point_at_the_evidence_lid():
    if not SAMPLE_IDS:
        pytest.skip("no samples")
    sample_id = "zuiderbroek-2012" if "zuiderbroek-2012" in SAMPLE_IDS else SAMPLE_IDS[0]
    result = checked(markdown_path(sample_id))
    tree = lxml.html.document_fromstring(report_html(sample_id))
    squash = lambda text: " ".join(text.split())  # noqa: E731
    for element in result.verdict.elements:
        row = tree.get_element_by_id(f"element-{element.id}")
        for href in row.xpath(".//a[starts-with(@href, '#art-')]/@href"):
            target = squash(tree.get_element_by_id(href[1:]).text_content())
            assert any(squash(e.text) in target for e in element.evidence + element.rejected), (element.id, href)


HOSTILE = (
    "Verordening maatschappelijke ondersteuning <i>Proefdorp</i> 2012\n\n"
    "De raad van de gemeente Proefdorp;\n\n"
    "gelet op de Wet maatschappelijke ondersteuning;\n\n"
    "besluit vast te stellen de volgende verordening:\n\n"
    "Artikel 1 Melding <img src=x onerror=alert(2)>\n\n"
    "1. Een belanghebbende kan een melding doen bij het college <script>alert(1)</script> van zijn hulpvraag.\n\n"
    "2. Na de melding voert het college een gesprek met de belanghebbende <b>vet</b> voordat een aanvraag "
    "wordt ingediend.\n\n"
    "Artikel 2 Citeertitel\n\n"
    "Deze verordening wordt aangehaald als Verordening Wet maatschappelijke ondersteuning Proefdorp "
    "<a href=\"https://example.org/\">link</a>.\n\n"
    "Toelichting\n\n"
    "Uitleg <style>body{display:none}</style> over de kanteling.\n"
)


def test_document_markup_is_shown_as_text(tmp_path):
    path = tmp_path / "onveilig.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    result = check(path)
    html = render_html(result)
    tree = lxml.html.document_fromstring(html)
    assert not tree.xpath("//script")
    assert not tree.xpath("//b | //img | //i")
    assert len(tree.xpath("//style")) == 1  # only the report's own stylesheet
    assert not tree.xpath("//a[starts-with(@href, 'http')]")
    body = tree.xpath("//body")[0].text_content()
    assert "<script>alert(1)</script>" in body
    assert "<b>vet</b>" in body
    assert "<img src=x onerror=alert(2)>" in body
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    # the lid text is found as evidence and highlighted, still escaped inside the <mark>
    lid = tree.get_element_by_id("art-1-lid-1")
    assert "<script>alert(1)</script>" in lid.text_content()
    assert_links_resolve(tree)
    assert_self_contained(html, tree)


def test_highlight_and_redline_escape():
    text = 'Het college <script>x()</script> & "de" melding'
    marked = str(highlight(text, [("melding", "vondst", 'Melding "als" <startpunt>'), "<script>"]))
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert 'title="Melding &#34;als&#34; &lt;startpunt&gt;"' in marked
    assert '<mark class="vondst"' in marked
    red = redline("Het college <b>doet</b> een melding.", "Het college <i>voert</i> een melding <u>uit</u>.")
    for part in (red.reference, red.ordinance, red.unified):
        assert "<b>" not in str(part) and "<i>" not in str(part) and "<u>" not in str(part)
    assert "<del>" in str(red.reference) and "<ins>" in str(red.ordinance)
    assert "&lt;i&gt;voert&lt;/i&gt;" in str(red.ordinance)


def test_redline_marks_word_changes():
    red = redline(
        "Het college voert een gesprek met de belanghebbende.",
        "Het college voert een keukentafelgesprek met de belanghebbende en zijn mantelzorger.",
    )
    assert str(red.reference).startswith("Het college voert een <del>gesprek</del>")
    assert "<ins>keukentafelgesprek</ins>" in str(red.ordinance)
    assert "<ins>en zijn mantelzorger.</ins>" in str(red.ordinance) or "mantelzorger" in str(red.ordinance)
    assert 0.5 < red.shared < 1.0
    same = redline("Een melding is geen aanvraag.", "Een melding is geen aanvraag.")
    assert "<del>" not in str(same.reference) and "<ins>" not in str(same.ordinance)
    assert same.shared == 1.0


# ---------------------------------------------------------------- headless Chromium


def _playwright():
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} is niet geïnstalleerd")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is niet geïnstalleerd")
    return sync_playwright


@pytest.mark.skipif(not SAMPLE_IDS, reason="no samples")
def test_report_in_headless_chromium(tmp_path):
    sync_playwright = _playwright()
    sample_id = "zuiderbroek-2012" if "zuiderbroek-2012" in SAMPLE_IDS else SAMPLE_IDS[0]
    path = tmp_path / "rapport.html"
    path.write_text(report_html(sample_id), encoding="utf-8")
    url = path.resolve().as_uri()
    # the same ordinance held against the other law: requirements it does not regulate (✗)
    other = check(markdown_path(sample_id), wet="2015")
    other_path = tmp_path / "rapport-2015.html"
    other_path.write_text(render_html(other), encoding="utf-8")
    missing = other.legal.missing[0]
    law_words = " ".join(missing.law["text"].split())[:60]
    legal_seen: dict = {}
    console: list = []
    page_errors: list = []
    requests: list[str] = []
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except Exception as exc:  # a browser that cannot start here is an environment problem
            pytest.skip(f"Chromium start niet: {exc}")
        try:
            context = browser.new_context(java_script_enabled=True, viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.on("console", lambda msg: console.append((msg.type, msg.text)))
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(url, wait_until="load")
            page.wait_for_timeout(300)
            title = page.title()
            heading = page.inner_text("#samenvatting .oordeel-label")
            has_script = page.evaluate("document.scripts.length")
            internal = page.evaluate(
                "Array.from(document.querySelectorAll('a[href^=\"#\"]')).every("
                "a => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))) !== null)"
            )
            legal_seen["visible"] = page.is_visible("#eisen-wettelijk")
            legal_seen["heading"] = page.inner_text("#eisen-wettelijk h2")
            legal_seen["marks"] = page.eval_on_selector_all(
                "#eisen-wettelijk .eisen-tabel td.status .teken", "els => els.map(e => e.textContent.trim())")
            legal_seen["before_model"] = page.evaluate(
                "(document.getElementById('eisen-wettelijk').compareDocumentPosition("
                "document.getElementById('checklist')) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0")
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            # the other law: a ✗ row and the law's own text beside it, visible on screen
            page.emulate_media(media="screen")
            page.goto(other_path.resolve().as_uri(), wait_until="load")
            row = page.locator(f"#eis-{missing.id}")
            legal_seen["other_heading"] = page.inner_text("#eisen-wettelijk h2")
            legal_seen["missing_row_visible"] = row.is_visible()
            legal_seen["missing_mark"] = row.locator("td.status .teken").inner_text().strip()
            law = page.locator(f"#eis-tekst-{missing.id} blockquote.wettekst")
            legal_seen["law_visible"] = law.is_visible()
            legal_seen["law_text"] = " ".join(law.inner_text().split())
        finally:
            browser.close()
    assert not [m for m in console if m[0] in ("error", "warning")], console
    assert not page_errors, page_errors
    assert requests == [url, other_path.resolve().as_uri()], requests
    # the "Wettelijke eisen" section, before the model comparison, with a mark per requirement
    assert legal_seen["visible"] and legal_seen["heading"].startswith("Wettelijke eisen Wmo 2007"), legal_seen
    assert legal_seen["marks"] and set(legal_seen["marks"]) <= {"✓", "✗", "~", "·"} and "✓" in legal_seen["marks"]
    assert legal_seen["before_model"]
    assert legal_seen["other_heading"].startswith("Wettelijke eisen Wmo 2015")
    assert legal_seen["missing_row_visible"] and legal_seen["missing_mark"] == "✗"
    assert legal_seen["law_visible"] and legal_seen["law_text"].startswith(law_words), legal_seen["law_text"]
    assert "Toetsing" in title
    assert "Oordeel" in heading
    assert has_script == 0
    assert internal
    assert pdf.startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) >= 2
        width, height = document[0].get_size()
        assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 in points
    finally:
        document.close()


def test_duplicate_numbers_and_empty_document_render():
    from verordeningcheck.model import Article, Document, Lid
    from verordeningcheck.pipeline import check_document

    lid = "Een belanghebbende kan een melding doen bij het college van zijn hulpvraag op grond van de Wet maatschappelijke ondersteuning."
    document = Document(
        title="Verordening maatschappelijke ondersteuning Dubbeldorp",
        gemeente="Dubbeldorp",
        format="text",
        source_name="dubbel.txt",
        articles=[
            Article("1", "Melding", leden=[Lid("1", lid), Lid("1", lid)]),
            Article("1", "Nogmaals", leden=[Lid(None, lid)]),
            Article("1.1", "", leden=[Lid(None, "Wet maatschappelijke ondersteuning.")]),
            Article("1-1", "", leden=[Lid(None, "Tekst.")]),
        ],
    )
    for doc in (document, Document(source_name="leeg.txt", format="text")):
        html = render_html(check_document(doc))
        tree = lxml.html.document_fromstring(html)
        assert_links_resolve(tree)
        assert_self_contained(html, tree)
        assert len(tree.xpath("//div[contains(concat(' ', @class, ' '), ' artikel ')]")) == len(doc.articles)
        for element_id in CATALOGUE:
            assert tree.get_element_by_id(f"element-{element_id}") is not None
            assert tree.get_element_by_id(f"diff-{element_id}") is not None


def test_report_uses_the_reference_from_extra_rules(tmp_path):
    """A municipality's own reference text (--rules) is what the redline compares against."""
    rules = tmp_path / "regels"
    (rules / "elements").mkdir(parents=True)
    (rules / "elements" / "melding.yaml").write_text(
        "element: melding\n"
        "model: \"2010\"\n"
        "title: Melding als startpunt\n"
        "source: eigen tekst\n"
        "reference:\n"
        "  label: Eigen referentietekst van de gemeente\n"
        "  text: Officiële tekst <b>van</b> de gemeente over de melding.\n"
        "rules: []\n",
        encoding="utf-8",
    )
    sample_id = "zuiderbroek-2012" if "zuiderbroek-2012" in SAMPLE_IDS else (SAMPLE_IDS or [None])[0]
    if sample_id is None:
        pytest.skip("no samples")
    result = check(markdown_path(sample_id), rules=[rules])
    html = render_html(result)
    section = lxml.html.document_fromstring(html).get_element_by_id("diff-melding")
    assert "Officiële tekst <b>van</b> de gemeente over de melding." in " ".join(section.text_content().split())
    assert "Eigen referentietekst van de gemeente" in section.text_content()


def test_written_report_is_readable_like_any_new_file(tmp_path):
    from verordeningcheck.report import write_atomic

    target = tmp_path / "rapport.html"
    write_atomic(target, "<!DOCTYPE html><title>x</title>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in tmp_path.iterdir() if p.name != "rapport.html"]
