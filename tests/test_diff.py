"""Version diff (`verordeningcheck diff OLD NEW`): alignment, redline, element and verdict
changes, HTML/JSON/terminal output, and the demonstration on westerdijk-2007 against its
team-written revised draft (samples/revisions/westerdijk-2013-concept.yaml)."""
from __future__ import annotations

import json
import re

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from verordeningcheck.cli import main
from verordeningcheck.model import Article, Lid
from verordeningcheck.ruleset import CATALOGUE
from verordeningcheck.versiondiff import (
    KINDS,
    align_articles,
    diff_results,
    redline,
    render_diff_html,
    render_diff_terminal,
)

from conftest import SAMPLES, checked

OLD_MD = SAMPLES / "rendered" / "westerdijk-2007" / "westerdijk-2007.md"
OLD_PDF = SAMPLES / "rendered" / "westerdijk-2007" / "westerdijk-2007-inline.pdf"
NEW_MD = SAMPLES / "revisions" / "rendered" / "westerdijk-2013-concept" / "westerdijk-2013-concept.md"
NEW_PDF = SAMPLES / "revisions" / "rendered" / "westerdijk-2013-concept" / "westerdijk-2013-concept-inline.pdf"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def diff():
    return diff_results(checked(OLD_MD), checked(NEW_PDF))


def by_old(diff, number):
    return next(a for a in diff.articles if a.old_number == number)


def by_new(diff, number):
    return next(a for a in diff.articles if a.new_number == number)


# ---------------------------------------------------------------- the demonstration


def test_revised_draft_adds_inventarisatiefase_elements(diff):
    added = set(diff.added_elements())
    assert {"melding", "gesprek", "gesprek_situaties", "eigen_kracht", "mantelzorg", "verslag",
            "verslag_als_aanvraag", "huisbezoek", "icf_facultatief"} <= added
    melding = diff.element("melding")
    assert (melding.before, melding.after, melding.change) == (False, True, "added")
    assert "3" in melding.articles_after
    assert melding.sentence.startswith("Dit concept voegt een melding toe (artikel")
    assert "3" in melding.sentence


def test_revised_draft_removes_old_model_elements(diff):
    removed = set(diff.removed_elements())
    assert {"samenhangende_afstemming", "icf_verplicht", "aanvraag_startpunt"} <= removed
    afstemming = diff.element("samenhangende_afstemming")
    assert (afstemming.before, afstemming.after) == (True, False)
    assert afstemming.sentence == "De samenhangende afstemming vervalt (was artikel 7)."
    # what stays, stays
    for kept in ("primaat_collectief", "primaat_verhuizing", "vier_domeinen"):
        assert diff.element(kept).change == "kept"
    assert diff.element("acht_resultaten").change == "absent"
    assert {e.id for e in diff.elements} == set(CATALOGUE)


def test_verdict_changes_from_old_to_new(diff):
    v = diff.verdict
    assert (v.before, v.after, v.changed) == ("old", "new", True)
    assert v.scores_after["2010"] > v.scores_before["2010"]
    assert v.scores_after["2006"] < v.scores_before["2006"]
    assert v.generation_before == "vng2006" and v.generation_after == "vng2010"
    assert diff.summary[0] == "Het oordeel verandert van oud (VNG-model 2006) in nieuw (gekanteld, VNG-model 2010)."
    assert any("stijgt" in s and "2010" in s for s in diff.summary)


def test_added_and_removed_articles(diff):
    for number, title in (("3", "Melding"), ("4", "Gesprek"), ("5", "Verslag")):
        article = by_new(diff, number)
        assert (article.kind, article.old_number, article.new_title) == ("added", None, title)
        assert [s.op for s in article.segments] == ["insert"]
    afstemming = by_old(diff, "7")
    assert (afstemming.kind, afstemming.new_number) == ("removed", None)
    assert afstemming.summary == "Artikel 7 (Samenhangende afstemming) vervalt."
    assert "samenhangende_afstemming" in afstemming.elements_before
    assert by_old(diff, "12").kind == "removed"  # was already vervallen
    assert "al vervallen" in by_old(diff, "12").summary


def test_renumbered_articles_recognised_by_content(diff):
    aanvraag = by_old(diff, "4")
    assert (aanvraag.kind, aanvraag.new_number, aanvraag.text_changed) == ("renumbered", "6", True)
    assert aanvraag.summary.startswith("Artikel 4 (Aanvraag) wordt artikel 6")
    beschikking = by_old(diff, "9")
    assert (beschikking.kind, beschikking.new_number, beschikking.text_changed) == ("renumbered", "10", False)
    # same number, different content: old 19 (pgb) is new 20, not the new 19
    assert by_old(diff, "19").new_number == "20"
    assert by_old(diff, "19").kind == "renumbered"


def test_moved_articles_recognised_by_content(diff):
    vormen = by_old(diff, "3")  # new article 3 is the melding: same number, other content
    assert (vormen.kind, vormen.new_number) == ("moved", "19")
    assert vormen.new_chapter == "7"
    assert "verplaatst" in vormen.summary
    nadere = by_old(diff, "22")
    assert (nadere.kind, nadere.new_number) == ("moved", "25")


def test_unchanged_and_changed_articles(diff):
    unchanged = by_old(diff, "13")
    assert (unchanged.kind, unchanged.new_number, unchanged.text_changed) == ("unchanged", "13", False)
    assert unchanged.similarity == pytest.approx(1.0)
    changed = by_old(diff, "1")
    assert (changed.kind, changed.new_number) == ("changed", "1")
    ops = {s.op for s in changed.segments}
    assert {"equal", "insert", "delete"} <= ops
    inserted = " ".join(s.text for s in changed.segments if s.op == "insert")
    deleted = " ".join(s.text for s in changed.segments if s.op == "delete")
    assert "melding: het kenbaar maken" in inserted
    assert "ICF-classificatie" in deleted
    advies = by_old(diff, "6")  # ICF: obligation becomes optional, word by word
    inserted = [s.text for s in advies.segments if s.op == "insert"]
    deleted = [s.text for s in advies.segments if s.op == "delete"]
    assert any("desgewenst" in t for t in inserted)
    assert "5.000" in deleted and "7.500" in inserted


def test_every_article_appears_once_and_segments_rebuild_both_texts(diff):
    old_doc, new_doc = checked(OLD_MD).document, checked(NEW_PDF).document
    assert sorted(a.old_number for a in diff.articles if a.old_number) == sorted(a.number for a in old_doc.articles)
    assert sorted(a.new_number for a in diff.articles if a.new_number) == sorted(a.number for a in new_doc.articles)
    ws = lambda t: " ".join(t.split())  # noqa: E731
    for a in diff.articles:
        assert a.kind in KINDS
        if a.old_number and old_doc.article(a.old_number).leden:
            assert ws(a.old_text) == ws(old_doc.article(a.old_number).text)
        if a.new_number:
            assert ws(a.new_text) == ws(new_doc.article(a.new_number).text)
    counts = diff.counts
    assert counts["added"] == 3 and counts["removed"] == 2 and counts["moved"] == 2
    assert sum(counts.values()) == len(diff.articles)


def test_same_result_across_formats():
    """PDF against Markdown gives the same alignment as Markdown against PDF."""
    d = diff_results(checked(OLD_PDF), checked(NEW_MD))
    assert (d.verdict.before, d.verdict.after) == ("old", "new")
    kinds = {(a.old_number, a.new_number): a.kind for a in d.articles}
    assert kinds[("4", "6")] == "renumbered"
    assert kinds[("3", "19")] == "moved"
    assert kinds[("7", None)] == "removed"
    assert kinds[(None, "3")] == "added"
    assert kinds[("13", "13")] == "unchanged"


# ---------------------------------------------------------------- HTML


def test_html_is_wellformed_with_legend_and_no_script(diff):
    html = render_diff_html(diff)
    tree = lxml.html.document_fromstring(html)
    assert tree.xpath("//script") == []
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # no external resources
    assert tree.xpath("//section[@id='legenda']//ins") and tree.xpath("//section[@id='legenda']//del")
    for section in ("samenvatting", "legenda", "elementen", "artikelen", "wijzigingen"):
        assert tree.xpath(f"//section[@id='{section}']"), section
    for element_id in CATALOGUE:
        assert tree.xpath(f"//tr[@id='element-{element_id}']"), element_id
    ids = set(tree.xpath("//@id"))
    for href in tree.xpath("//a/@href"):
        assert href.startswith("#") and href[1:] in ids, href
    text = tree.text_content()
    assert "Dit concept voegt een melding toe" in text
    assert "De samenhangende afstemming vervalt" in text
    # the redline marks changes inside the changed articles
    assert tree.xpath("//section[@id='wijzigingen']//div[@class='redline']/ins")
    assert tree.xpath("//section[@id='wijzigingen']//div[@class='redline']/del")


def _ordinance(extra: str = "") -> str:
    return (
        "Verordening maatschappelijke ondersteuning Proefdorp 2011\n\n"
        "De raad van de gemeente Proefdorp;\n\ngelet op de Wet maatschappelijke ondersteuning;\n\n"
        "Artikel 1 Aanvraag\n\n1. Een aanvraag voor een voorziening op grond van de Wet maatschappelijke "
        "ondersteuning wordt ingediend op een door het college vastgesteld aanvraagformulier.\n\n"
        f"2. Het college bevestigt de ontvangst van de aanvraag schriftelijk.{extra}\n\n"
        "Artikel 2 Citeertitel\n\nDeze verordening heet Verordening Wmo Proefdorp 2011.\n"
    )


def test_html_escapes_document_text(tmp_path):
    old = tmp_path / "oud.txt"
    new = tmp_path / "nieuw.txt"
    old.write_text(_ordinance(), encoding="utf-8")
    new.write_text(_ordinance("\n\n3. Zie <script>alert(1)</script> en <b>vet</b> & meer."), encoding="utf-8")
    out = tmp_path / "diff.html"
    result = run("diff", old, new, "--output", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<b>vet</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tree = lxml.html.document_fromstring(html)
    assert tree.xpath("//script") == [] and tree.xpath("//b") == []
    assert "<script>alert(1)</script>" in tree.text_content()
    assert "&" in tree.text_content()


# ---------------------------------------------------------------- JSON and CLI


def test_json_shape():
    result = run("diff", OLD_MD, NEW_MD, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"old", "new", "verdict", "elements", "elements_added", "elements_removed",
                         "requirements", "requirements_added", "requirements_removed",
                         "articles", "counts", "summary", "ruleset", "version"}
    assert set(data["old"]) == {"file", "title", "gemeente", "format", "article_count"}
    assert set(data["verdict"]) == {
        "before", "after", "changed", "lean_before", "lean_after", "confidence_before", "confidence_after",
        "generation_before", "generation_after", "scores_before", "scores_after", "sentence", "scores_sentence"}
    assert (data["verdict"]["before"], data["verdict"]["after"], data["verdict"]["changed"]) == ("old", "new", True)
    assert set(data["elements"][0]) == {"id", "model", "title", "before", "after", "change", "strength_before",
                                        "strength_after", "articles_before", "articles_after", "sentence"}
    assert [e["id"] for e in data["elements"]] == list(CATALOGUE)
    assert "melding" in data["elements_added"] and "samenhangende_afstemming" in data["elements_removed"]
    assert set(data["articles"][0]) == {
        "kind", "old_number", "new_number", "old_title", "new_title", "old_chapter", "new_chapter",
        "old_status", "new_status", "similarity", "text_changed", "title_changed", "elements_before",
        "elements_after", "segments", "summary"}
    assert set(data["counts"]) == set(KINDS)
    for article in data["articles"]:
        assert {s["op"] for s in article["segments"]} <= {"equal", "insert", "delete"}
        assert all(set(s) == {"op", "text"} for s in article["segments"])


def test_json_written_with_output(tmp_path):
    out = tmp_path / "diff.json"
    result = run("diff", OLD_MD, NEW_MD, "--format", "json", "--output", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"]["after"] == "new"


def test_terminal_summary_is_default(diff):
    result = run("diff", OLD_MD, NEW_MD)
    assert result.exit_code == 0, result.output
    assert "Oordeel:    oud (VNG-model 2006) → nieuw (gekanteld, VNG-model 2010)" in result.output
    assert "+ melding" in result.output and "- samenhangende_afstemming" in result.output
    assert "art. 4 → 6" in result.output
    text = render_diff_terminal(diff)
    assert "verplaatst" in text and "vernummerd" in text


def test_output_without_format_writes_html(tmp_path):
    out = tmp_path / "vergelijking.html"
    result = run("diff", OLD_MD, NEW_MD, "--output", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".*.tmp"))


def test_missing_file_exits_2(tmp_path):
    result = run("diff", OLD_MD, tmp_path / "bestaat-niet.md")
    assert result.exit_code == 2
    assert "niet gevonden" in result.output
    assert "Traceback" not in result.output


def test_html_format_requires_output():
    result = run("diff", OLD_MD, NEW_MD, "--format", "html")
    assert result.exit_code == 2
    assert "--output" in result.output


def test_output_may_not_overwrite_input(tmp_path):
    copy = tmp_path / "oud.md"
    copy.write_text(OLD_MD.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("diff", copy, NEW_MD, "--output", copy)
    assert result.exit_code == 2
    assert copy.read_text(encoding="utf-8") == OLD_MD.read_text(encoding="utf-8")


# ---------------------------------------------------------------- units


def _article(number: str, text: str, title: str = "") -> Article:
    return Article(number=number, title=title, leden=[Lid(number=None, text=text)])


def test_align_prefers_content_over_number():
    old = [_article("1", "Het college verstrekt een rolstoel aan wie daarop is aangewezen."),
           _article("2", "Deze verordening treedt in werking op 1 januari 2008.")]
    new = [_article("1", "Een melding kan telefonisch of schriftelijk worden gedaan bij het loket."),
           _article("2", "Het college verstrekt een rolstoel aan wie daarop dagelijks is aangewezen."),
           _article("3", "Deze verordening treedt in werking op 1 januari 2008.")]
    pairs = {(i, j) for i, j, _ in align_articles(old, new)}
    assert pairs == {(0, 1), (1, 2), (None, 0)}


def test_align_swap_marks_one_article_moved():
    texts = [
        "Het college bevestigt de ontvangst van de melding schriftelijk.",
        "Een rolstoelvoorziening wordt verstrekt bij dagelijks gebruik van een rolstoel.",
        "De eigen bijdrage wordt vastgesteld en geïnd door het Centraal Administratie Kantoor.",
        "Deze verordening wordt aangehaald als Verordening Wmo Proefdorp.",
    ]
    old = [_article(str(k + 1), t) for k, t in enumerate(texts)]
    new = [_article(str(k + 1), t) for k, t in enumerate([texts[0], texts[2], texts[3], texts[1]])]
    from verordeningcheck.versiondiff import _in_order

    matched = [(i, j, old[i].number == new[j].number) for i, j, _ in align_articles(old, new) if i is not None and j is not None]
    assert len(matched) == 4
    chain = _in_order(sorted(matched))
    moved = [(i, j) for i, j, _ in matched if (i, j) not in chain]
    assert moved == [(1, 3)]


def test_redline_words():
    segments = redline("1. Het college vraagt advies aan een adviseur.", "1. Het college kan advies vragen aan een adviseur.")
    assert [(s.op, s.text.strip()) for s in segments] == [
        ("equal", "1. Het college"), ("delete", "vraagt"), ("insert", "kan"), ("equal", "advies"),
        ("insert", "vragen"), ("equal", "aan een adviseur."),
    ]


def test_redline_keeps_whole_list_items():
    old = "1. Onder:\na. wet: de wet;\nb. college: het college."
    new = "1. Onder:\na. wet: de wet;\nb. melding: een melding;\nc. college: het college."
    segments = redline(old, new)
    assert ("insert", "b. melding: een melding;\n") in [(s.op, s.text) for s in segments]


_words = st.lists(st.sampled_from(["de", "het", "college", "aanvraag", "melding", ",", ".", "5.000", "a.", "1."]),
                  max_size=25)
_joiners = st.sampled_from([" ", " ", "\n", "  "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_words, _joiners), max_size=4), st.lists(st.tuples(_words, _joiners), max_size=4))
def test_redline_rebuilds_both_texts(old_parts, new_parts):
    old = "".join(" ".join(w) + j for w, j in old_parts)
    new = "".join(" ".join(w) + j for w, j in new_parts)
    segments = redline(old, new)
    rebuilt_new = "".join(s.text for s in segments if s.op != "delete")
    rebuilt_old = "".join(s.text for s in segments if s.op != "insert")
    assert rebuilt_new == new
    assert rebuilt_old.split() == old.split()
    assert all(s.text for s in segments)
    assert all(a.op != b.op for a, b in zip(segments, segments[1:]))
