"""Hostile and broken input beyond the per-reader tests.

Already covered elsewhere: XXE, billion laughs, external DTD (test_reader_xml), zip bomb and
DTD in a .docx (test_reader_docx), encrypted, truncated and image-only PDF (test_reader_pdf),
empty file and binary garbage named .txt (test_cli). Here: a 50 MB text file, HTML with
scripts, UTF-16 and cp1252 text, very long lines, bidi and zero-width characters, deeply
nested XML/HTML, limits from a config file, inputs unchanged by the CLI, and reports that
are never left truncated when the process is killed.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from verordeningcheck import check, load
from verordeningcheck.cli import main
from verordeningcheck.errors import (
    ConfigError,
    InputError,
    LimitExceeded,
    MalformedDocument,
    VerordeningcheckError,
)
from verordeningcheck.limits import Limits

from conftest import ROOT, SAMPLES

SAMPLE = "meerwijk-2011"
SAMPLE_DIR = SAMPLES / "rendered" / SAMPLE
VERDICTS = {"old", "new", "tussenvorm", "not_wmo", "amendment"}

TEXT = (
    "Verordening maatschappelijke ondersteuning Proefdorp 2011\n\n"
    "De raad van de gemeente Proefdorp;\n\ngelet op de Wet maatschappelijke ondersteuning;\n\n"
    "Artikel 1 Melding\n\n1. Een inwoner kan zich melden bij het college.\n\n"
    "2. Het college bevestigt de melding schriftelijk.\n\n"
    "Artikel 2 Gesprek\n\nHet college voert binnen zes weken na de melding een gesprek met de cliënt "
    "over zijn behoeften, persoonskenmerken en voorkeuren; de eigen bijdrage is € 25,– per maand.\n\n"
    "Artikel 3 Citeertitel\n\nDeze verordening heet ‘Verordening Wmo Proefdorp 2011’.\n"
)
EXPECTED_ARTICLES = [("1", "Melding"), ("2", "Gesprek"), ("3", "Citeertitel")]


def articles(document) -> list[tuple[str, str]]:
    return [(a.number, a.title) for a in document.articles]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_well_formed(result) -> None:
    assert result.document.articles
    assert result.verdict.verdict in VERDICTS
    assert 0.0 <= result.verdict.confidence <= 1.0
    json.dumps(result.to_dict(), ensure_ascii=False)


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


# --------------------------------------------------------------------------- a 50 MB text file


def _write_big_text(path: Path, size: int) -> None:
    chunk = (SAMPLE_DIR / f"{SAMPLE}.txt").read_bytes()
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            piece = chunk[: size - written]
            fh.write(piece)
            written += len(piece)


def test_50_mb_text_file_is_rejected_quickly_with_bounded_memory(tmp_path):
    """50 MB is under the size limit (50 MiB) but over the text limit (20 Mi characters):
    read once, decoded once, rejected in well under a second or two, memory ~3x the file."""
    path = tmp_path / "groot.txt"
    size = 50 * 1000 * 1000
    _write_big_text(path, size)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(LimitExceeded) as info:
            load(path, limits=Limits())
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "te lang" in info.value.message and str(path) in info.value.user_message()
    assert elapsed < 15, elapsed
    # bytes + the decoded text (two bytes a character for text with ’ or ë) and no more
    assert peak < 3.5 * size, peak / size


def test_file_over_the_size_limit_is_not_even_read(tmp_path):
    path = tmp_path / "te-groot.txt"
    _write_big_text(path, 51 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as info:
            load(path, limits=Limits())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "te groot" in info.value.message
    assert peak < 1024 * 1024  # stat() only


def test_50_mb_text_file_through_the_cli_exits_2(tmp_path):
    path = tmp_path / "groot.txt"
    _write_big_text(path, 50 * 1000 * 1000)
    before = sha256(path)
    result = run_cli("check", str(path))
    assert result.exit_code == 2, result.output
    assert "te lang" in result.output and "Traceback" not in result.output
    result = run_cli("parse", str(path), "--max-mb", "10")
    assert result.exit_code == 2 and "te groot" in result.output
    assert sha256(path) == before


def test_large_text_within_the_limits_is_read(tmp_path):
    """About 5 MB of ordinance text (200 copies) is read, not rejected, in reasonable time."""
    path = tmp_path / "lang.txt"
    _write_big_text(path, 5 * 1000 * 1000)
    started = time.monotonic()
    document = load(path)
    assert document.articles
    assert time.monotonic() - started < 30


# --------------------------------------------------------------------------- HTML with scripts

MARKER = "SCRIPT_MARKER_7f3a"
SCRIPTS = f"""
<script>document.write('{MARKER}-write'); fetch('http://example.invalid/?{MARKER}');</script>
<script src="http://example.invalid/{MARKER}.js"></script>
<noscript>{MARKER}-noscript</noscript>
<style>body::after {{ content: '{MARKER}-style'; }}</style>
<iframe srcdoc="<p>{MARKER}-iframe</p>"></iframe>
<template><p>Artikel 99 {MARKER}-template</p></template>
<svg><script>alert('{MARKER}-svg')</script></svg>
"""

PLAIN_HTML = f"""<!DOCTYPE html>
<html><head><title>Verordening Wmo Proefdorp 2011</title>{SCRIPTS}</head>
<body onload="alert('{MARKER}-onload')">
<h1>Verordening maatschappelijke ondersteuning Proefdorp 2011</h1>
<p>De raad van de gemeente Proefdorp;</p>
<h2>Artikel 1 Melding</h2>{SCRIPTS}
<ol><li onclick="alert('{MARKER}-onclick')">Een inwoner kan zich melden bij het college.<script>x='{MARKER}-inline'</script></li>
<li>Het college bevestigt de melding <a href="javascript:alert('{MARKER}-href')">schriftelijk</a>.</li></ol>
<h2>Artikel 2 Citeertitel</h2>
<p>Deze verordening heet Verordening Wmo Proefdorp 2011.</p>{SCRIPTS}
</body></html>
"""


def _with_scripts(html: str) -> str:
    html = html.replace("</head>", SCRIPTS + "</head>", 1)
    html = html.replace("<body", f"<body onload=\"alert('{MARKER}')\"", 1)
    # a script inside the ordinance text itself, after every article heading's paragraph
    return html.replace("</p>", f"<script>alert('{MARKER}')</script></p>", 20)


@pytest.mark.parametrize("kind", ["plain", "lokaleregelgeving", "gemeenteblad"])
def test_html_scripts_are_never_kept(tmp_path, kind):
    if kind == "plain":
        html = PLAIN_HTML
    else:
        html = _with_scripts((SAMPLE_DIR / f"{SAMPLE}-{kind}.html").read_text(encoding="utf-8"))
    path = tmp_path / f"{kind}.html"
    path.write_text(html, encoding="utf-8")
    assert html.count(MARKER) >= 8

    document = load(path)
    assert len(document.articles) >= 2
    assert MARKER not in json.dumps(document.to_dict(), ensure_ascii=False)
    if kind == "plain":
        assert articles(document) == [("1", "Melding"), ("2", "Citeertitel")]
        assert "Een inwoner kan zich melden bij het college." in document.articles[0].text

    for args in (["parse", str(path), "--format", "json"], ["check", str(path), "--format", "json"]):
        result = run_cli(*args)
        assert result.exit_code == 0, result.output
        assert MARKER not in result.output
    report = tmp_path / "rapport.html"
    result = run_cli("check", str(path), "--format", "html", "--output", str(report))
    assert result.exit_code == 0, result.output
    assert MARKER not in report.read_text(encoding="utf-8")
    assert not (tmp_path / f"{MARKER}-write").exists()


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_encodings_are_decoded(tmp_path, encoding, bom, suffix):
    text = TEXT if suffix == ".txt" else "# " + TEXT
    path = tmp_path / f"v{suffix}"
    path.write_bytes(bom + text.encode(encoding))
    document = load(path)
    assert articles(document) == EXPECTED_ARTICLES
    body = document.articles[1].text
    assert "cliënt" in body and "€ 25,–" in body
    assert "Verordening Wmo Proefdorp 2011" in document.articles[2].text
    assert "\ufffd" not in json.dumps(document.to_dict(), ensure_ascii=False)


def test_sample_ordinance_in_utf16_and_cp1252_gives_the_same_document(tmp_path):
    source = (SAMPLE_DIR / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    reference = load(SAMPLE_DIR / f"{SAMPLE}.txt").to_dict()
    for encoding in ("utf-16", "cp1252"):
        path = tmp_path / f"{SAMPLE}.txt"
        path.write_bytes(source.encode(encoding))
        assert load(path).to_dict()["articles"] == reference["articles"], encoding


def test_utf16_without_bom_is_a_clear_error_not_garbage():
    with pytest.raises(MalformedDocument) as info:
        load(TEXT.encode("utf-16-le"), name="zonder-bom.txt")
    assert "binaire gegevens" in info.value.message


def test_utf16_html_and_xml_are_decoded():
    html = PLAIN_HTML.replace(SCRIPTS, "")
    assert articles(load(b"\xff\xfe" + html.encode("utf-16-le"), name="v.html"))[0] == ("1", "Melding")
    xml = (SAMPLE_DIR / f"{SAMPLE}-cvdr.xml").read_text(encoding="utf-8")
    xml = xml.replace('encoding="utf-8"', 'encoding="UTF-16"', 1).replace("encoding='utf-8'", "encoding='UTF-16'", 1)
    reference = load(SAMPLE_DIR / f"{SAMPLE}-cvdr.xml")
    assert articles(load(xml.encode("utf-16"), name="v.xml")) == articles(reference)


# --------------------------------------------------------------------------- very long lines


def _timed_load(data: bytes, name: str, seconds: float = 10.0):
    started = time.monotonic()
    try:
        return load(data, name=name)
    finally:
        assert time.monotonic() - started < seconds, f"{name}: {time.monotonic() - started:.1f} s"


def test_very_long_lines_are_read_in_linear_time():
    words = "de inwoner meldt zich bij het college " * 30_000  # ~1.1 MB, one sentence on one line
    sentences = "De inwoner meldt zich. Het college antwoordt. " * 25_000  # ~1.1 MB on one line
    token = "x" * 1_500_000  # one 1.5 MB "word"
    for long_line in (words, sentences):
        text = TEXT.replace("Het college bevestigt", long_line + "Het college bevestigt").replace(
            "Artikel 3 Citeertitel", token + "\n\nArtikel 3 Citeertitel"
        )
        for suffix in (".txt", ".md"):
            document = _timed_load(text.encode("utf-8"), "lang" + suffix)
            assert articles(document) == EXPECTED_ARTICLES
            assert len(document.articles[0].text) > 1_000_000
    started = time.monotonic()
    result = check(text.encode("utf-8"), name="lang.txt")  # the long line of sentences
    assert_well_formed(result)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    "line",
    [
        "# Artikel 1" + " " * 200_000 + "x",  # was cubic (heading regex)
        "*a " * 100_000,  # was quadratic (emphasis regex)
        "[a" * 100_000,  # was quadratic (link regex)
        "[a](" * 100_000,
        "De raad van de gemeente " + "A-" * 5_000 + "!",  # was exponential (gemeente regex)
        "_" * 500_000,
        "\u202e\u200b" * 200_000,
    ],
    ids=["md-heading-spaces", "md-emphasis", "md-link", "md-link-paren", "gemeente", "underscores", "bidi-zw"],
)
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_pathological_long_lines_do_not_hang(line, suffix):
    text = TEXT.replace("Artikel 2 Gesprek", line + "\n\nArtikel 2 Gesprek")
    document = _timed_load(text.encode("utf-8"), "v" + suffix, seconds=5.0)
    assert ("3", "Citeertitel") in articles(document)


@pytest.mark.parametrize(
    "body",
    [
        "Een inwoner meldt zich bij het college\n\n" * 320_000,  # 320,000 paragraphs in one lid
        "een inwoner meldt zich bij het\n" * 320_000,  # 320,000 lines in one paragraph
        "a. een melding\n\n" + "die verder gaat\n\n" * 250_000,  # one list item continued by paragraphs
    ],
    ids=["paragraphs-in-a-lid", "lines-in-a-paragraph", "item-continuations"],
)
def test_text_of_one_article_is_built_in_linear_time(body):
    """The structurer re-joined the whole lid or block for every paragraph or line:
    quadratic (7.7 MB of short paragraphs: 50 s; 160,000 lines in one paragraph: 60 s)."""
    text = "Artikel 1 Melding\n\nHet college regelt:\n\n" + body + "Artikel 2 Slot\n\nDeze verordening heet X.\n"
    document = _timed_load(text.encode("utf-8"), "v.txt", seconds=20.0)
    assert [a.number for a in document.articles] == ["1", "2"]
    assert len(document.articles[0].text) > len(body) // 2


def test_xml_prolog_full_of_unclosed_comments_is_checked_quickly():
    """The DOCTYPE check strips comments before the root; that was quadratic in the prolog."""
    xml = b'<?xml version="1.0"?>' + b"<!--" * 200_000 + b'<!DOCTYPE cvdr [<!ENTITY a "b">]><cvdr/>'
    started = time.monotonic()
    with pytest.raises(InputError):
        load(xml, name="v.xml")
    assert time.monotonic() - started < 5


def test_check_is_fast_on_a_long_sentence():
    """One 300 kB sentence: rule matching used to be quadratic in the words of a sentence."""
    text = TEXT.replace("Artikel 3", "de inwoner meldt zich bij het college " * 8_000 + "\n\nArtikel 3")
    started = time.monotonic()
    assert_well_formed(check(text.encode("utf-8"), name="zin.txt"))
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(
    "replace",
    [
        ("Artikel 3", "€" * 8_000 + "\n\nArtikel 3"),
        # a title of 200,000 "?" (zero-width spaces saved as cp1252): spaCy's affix splitting
        # copies the rest of a chunk per character (13 s before chunks were cut at 1,000)
        ("Artikel 3", "(" * 100_000 + "%" * 100_000 + "\n\nArtikel 3"),
    ],
    ids=["8000-euro-signs", "200000-brackets-and-percents"],
)
def test_check_is_fast_on_a_long_run_of_affix_characters(tmp_path, replace):
    path = tmp_path / "euro.txt"
    path.write_text(TEXT.replace(*replace), encoding="utf-8")
    assert len(load(path).articles) == 3  # reading is fast; the analysis is not
    code = "import sys; from verordeningcheck import check; check(sys.argv[1])"
    try:  # a linear check takes well under 5 s
        subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, timeout=8, check=True, capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail("check() took more than 8 s")


# --------------------------------------------------------------------------- bidi and zero-width characters

INVISIBLE = {
    "LRM": "\u200e", "RLM": "\u200f", "ALM": "\u061c", "RLO": "\u202e", "PDF": "\u202c", "RLI": "\u2067",
    "PDI": "\u2069", "ZWSP": "\u200b", "ZWNJ": "\u200c", "ZWJ": "\u200d", "WJ": "\u2060", "BOM": "\ufeff",
    "SHY": "\u00ad",
}


@pytest.mark.parametrize("mark", list(INVISIBLE.values()), ids=list(INVISIBLE))
@pytest.mark.parametrize("where", ["line-start", "line-end", "inside-keyword"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_invisible_characters_do_not_hide_articles(mark, where, suffix):
    """A bidi mark or zero-width character next to "Artikel 1" (text pasted from a web page or
    Word) used to hide the heading: no articles found. Now the marks are dropped."""
    if where == "line-start":
        text = TEXT.replace("Artikel", mark + "Artikel").replace("\n1. ", "\n" + mark + "1. ")
    elif where == "line-end":
        text = TEXT.replace(" Melding\n", " Melding" + mark + "\n").replace("Citeertitel\n", "Citeertitel" + mark + "\n")
    else:
        text = TEXT.replace("Artikel 1", "Arti" + mark + "kel" + mark + " 1").replace("Artikel 2", "Artikel " + mark + "2")
    document = load(text.encode("utf-8"), name="v" + suffix)
    assert articles(document) == EXPECTED_ARTICLES
    assert [lid.number for lid in document.articles[0].leden if lid.number] == ["1", "2"]
    assert mark not in json.dumps(document.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("kind", ["cvdr.xml", "lokaleregelgeving.html", "gemeenteblad.html"])
def test_invisible_characters_in_markup(kind):
    path = SAMPLE_DIR / f"{SAMPLE}-{kind}"
    reference = articles(load(path))
    raw = path.read_text(encoding="utf-8")
    for mark in ("\u200f", "\u202e", "\u200b", "\ufeff", "\u2060"):
        document = load(raw.replace("Artikel ", mark + "Artikel" + mark + " ").encode("utf-8"), name=path.name)
        assert articles(document) == reference, repr(mark)


def test_rtl_text_and_combining_marks_are_kept_and_checked():
    """Visible right-to-left text and combining marks are content: kept, and check() copes."""
    text = TEXT.replace("zijn behoeften", "zijn behoeften (مثال, דוגמה) en cli\u0065\u0308nt")
    result = check(text.encode("utf-8"), name="v.txt")
    assert_well_formed(result)
    assert "مثال" in result.document.articles[1].text


# --------------------------------------------------------------------------- deeply nested XML and HTML


def _cvdr(article_body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><cvdr><body><regeling><regeling-tekst>'
        "<artikel><kop><label>Artikel</label><nr>1</nr><titel>Melding</titel></kop>"
        f"{article_body}</artikel>"
        "<artikel><kop><label>Artikel</label><nr>2</nr><titel>Citeertitel</titel></kop>"
        "<al>Deze verordening heet Verordening Wmo Proefdorp 2011.</al></artikel>"
        "</regeling-tekst></regeling></body></cvdr>"
    ).encode("utf-8")


@pytest.mark.parametrize(
    "body",
    [
        "<lijst><li><al>a. melding</al>" * 120 + "</li></lijst>" * 120,
        "<al>" + "<vet>" * 240 + "Een inwoner meldt zich." + "</vet>" * 240 + "</al>",
        "<lid><lidnr>1</lidnr>" + "<lijst><li>" * 110 + "<al>diep</al>" + "</li></lijst>" * 110 + "</lid>",
        "<al>" + "<noot>" * 240 + "voetnoot" + "</noot>" * 240 + "</al>",
        "<hoofdstuk>" * 240 + "<al>tekst</al>" + "</hoofdstuk>" * 240,
    ],
    ids=["lijst-li", "vet", "lid-lijst", "noot", "hoofdstuk"],
)
def test_deeply_nested_xml_is_read_or_refused_cleanly(body):
    data = _cvdr(body)
    started = time.monotonic()
    try:
        result = check(data, name="diep.xml")
    except VerordeningcheckError as exc:
        assert exc.message
    else:
        assert_well_formed(result)
        assert "2" in [a.number for a in result.document.articles]
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("depth", [255, 5_000, 100_000])
def test_nesting_beyond_the_parser_limit_is_refused(depth):
    data = _cvdr("<al>" + "<vet>" * depth + "x" + "</vet>" * depth + "</al>")
    started = time.monotonic()
    try:
        load(data, name="diep.xml")
    except VerordeningcheckError:
        pass
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("tag", ["div", "ol", "blockquote", "span", "table"])
def test_deeply_nested_html_is_read_or_refused_cleanly(tag):
    inner = {"ol": ("<ol><li>", "</li></ol>"), "table": ("<table><tr><td>", "</td></tr></table>")}.get(
        tag, (f"<{tag}>", f"</{tag}>")
    )
    html = PLAIN_HTML.replace(SCRIPTS, "").replace(
        "<h2>Artikel 2", inner[0] * 240 + "diep" + inner[1] * 240 + "<h2>Artikel 2"
    )
    started = time.monotonic()
    try:
        result = check(html.encode("utf-8"), name="diep.html")
    except VerordeningcheckError as exc:
        assert exc.message
    else:
        assert_well_formed(result)
    assert time.monotonic() - started < 20


# --------------------------------------------------------------------------- limits: environment and config file


def test_limits_from_a_config_file_and_the_environment(tmp_path):
    config = tmp_path / "verordeningcheck.toml"
    config.write_text(
        "# grenzen voor de server\n[limits]\nmax_mb = 2\nmax_pages = 40\nmax_seconds = 12.5\n"
        "max_text_chars = 1_000_000\n\n[other]\nignored = true\n",
        encoding="utf-8",
    )
    limits = Limits.from_env({"VERORDENINGCHECK_CONFIG": str(config)})
    assert (limits.max_bytes, limits.max_pages, limits.max_seconds, limits.max_text_chars) == (
        2 * 1024 * 1024, 40, 12.5, 1_000_000
    )
    assert limits.max_archive_entries == Limits().max_archive_entries
    # the environment wins over the file
    limits = Limits.from_env({"VERORDENINGCHECK_CONFIG": str(config), "VERORDENINGCHECK_MAX_PAGES": "7"})
    assert limits.max_pages == 7 and limits.max_seconds == 12.5
    assert Limits.from_env({"VERORDENINGCHECK_MAX_BYTES": "1000"}).max_bytes == 1000
    assert Limits.from_env({"VERORDENINGCHECK_MAX_MB": "1.5"}).max_bytes == int(1.5 * 1024 * 1024)
    assert Limits.from_env({}) == Limits()
    assert Limits.from_file(config).max_pages == 40


@pytest.mark.parametrize(
    "content,fragment",
    [
        ("max_pages = 3\n", "staat niet in de tabel [limits]"),
        ("[limits]\nmax_pagez = 3\n", "onbekende grens 'max_pagez'"),
        ("[limits\n", "geen geldige TOML"),
        ("[limits]\nmax_pages = 2.5\n", "geheel getal"),
        ("[limits]\nmax_pages = -1\n", "groter dan 0"),
        ("[limits]\nmax_seconds = 0\n", "groter dan 0"),
        ("[limits]\nmax_seconds = nan\n", "groter dan 0"),
        ("[limits]\nmax_pages = true\n", "true/false"),
        ("[limits]\nmax_pages = \"veel\"\n", "geheel getal"),
        ("[limits]\nmax_mb = 2\nmax_bytes = 10\n", "twee keer"),
        ("limits = 3\n", "moet een tabel zijn"),
    ],
)
def test_invalid_config_file_is_a_clear_dutch_error(tmp_path, content, fragment):
    config = tmp_path / "fout.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Limits.from_env({"VERORDENINGCHECK_CONFIG": str(config)})
    assert fragment in info.value.message
    assert str(config) in info.value.user_message()


@pytest.mark.parametrize(
    "environ,fragment",
    [
        ({"VERORDENINGCHECK_MAX_PAGES": "abc"}, "geheel getal"),
        ({"VERORDENINGCHECK_MAX_SECONDS": "-5"}, "groter dan 0"),
        ({"VERORDENINGCHECK_MAX_BYTES": "inf"}, "geheel getal"),
        ({"VERORDENINGCHECK_MAX_COMPRESSION_RATIO": "inf"}, "groter dan 0"),
        ({"VERORDENINGCHECK_MAX_MB": "1", "VERORDENINGCHECK_MAX_BYTES": "5"}, "allebei"),
        ({"VERORDENINGCHECK_CONFIG": "/bestaat/niet.toml"}, "bestaat niet"),
        ({"VERORDENINGCHECK_CONFIG": "/dev/zero"}, "te groot"),
        ({"VERORDENINGCHECK_CONFIG": "/"}, "map"),
    ],
)
def test_invalid_environment_is_a_clear_dutch_error(environ, fragment):
    with pytest.raises(ConfigError) as info:
        Limits.from_env(environ)
    assert fragment in info.value.message


def test_config_errors_exit_2_in_the_cli(tmp_path, monkeypatch):
    path = tmp_path / "v.txt"
    path.write_text(TEXT, encoding="utf-8")
    config = tmp_path / "fout.toml"
    config.write_text("[limits]\nmax_pages = 'veel'\n", encoding="utf-8")
    monkeypatch.setenv("VERORDENINGCHECK_CONFIG", str(config))
    for command in ("parse", "check"):
        result = run_cli(command, str(path))
        assert result.exit_code == 2, result.output
        assert "fout.toml" in result.output and "geheel getal" in result.output
        assert "Traceback" not in result.output
    config.write_text("[limits]\nmax_bytes = 100\n", encoding="utf-8")  # the file is too big
    result = run_cli("parse", str(path))
    assert result.exit_code == 2 and "te groot" in result.output
    monkeypatch.delenv("VERORDENINGCHECK_CONFIG")
    monkeypatch.setenv("VERORDENINGCHECK_MAX_PAGES", "nul")
    result = run_cli("parse", str(path))
    assert result.exit_code == 2 and "VERORDENINGCHECK_MAX_PAGES" in result.output


# --------------------------------------------------------------------------- inputs are never changed


def _every_format() -> list[Path]:
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.is_file())


def test_input_checksums_are_unchanged_by_check_and_parse(tmp_path):
    """Every rendering of one sample (PDF x3, DOCX x2, CVDR XML, HTML x2, Markdown, text), copied
    to a directory and made read-only: parse and check (terminal, JSON, HTML report) leave every
    byte, the mode and the directory listing as they were."""
    inputs = tmp_path / "invoer"
    inputs.mkdir()
    for source in _every_format():
        (inputs / source.name).write_bytes(source.read_bytes())
    files = sorted(inputs.iterdir())
    assert {p.suffix for p in files} >= {".pdf", ".docx", ".xml", ".html", ".md", ".txt"}
    for path in files:
        path.chmod(0o444)
    before = {p.name: (sha256(p), p.stat().st_mode, p.stat().st_mtime_ns) for p in files}
    out = tmp_path / "uit"
    out.mkdir()
    try:
        for path in files:
            for args in (
                ["parse", str(path)],
                ["parse", str(path), "--format", "json"],
                ["check", str(path)],
                ["check", str(path), "--format", "json", "--output", str(out / f"{path.name}.json")],
                ["check", str(path), "--format", "html", "--output", str(out / f"{path.name}.html")],
            ):
                result = run_cli(*args)
                assert result.exit_code == 0, (args, result.output)
        after = {p.name: (sha256(p), p.stat().st_mode, p.stat().st_mtime_ns) for p in sorted(inputs.iterdir())}
        assert after == before
        assert sorted(p.name for p in out.iterdir()) == sorted(
            f"{p.name}.{ext}" for p in files for ext in ("json", "html")
        )
    finally:
        for path in files:
            path.chmod(0o644)


def test_input_checksums_are_unchanged_after_an_error(tmp_path):
    """Files that fail (broken, unsafe, too big) are not changed either."""
    broken = {
        "kapot.pdf": (SAMPLE_DIR / f"{SAMPLE}-inline.pdf").read_bytes()[:5000],
        "xxe.xml": b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><cvdr>&x;</cvdr>',
        "bom.docx": b"PK\x03\x04" + b"\x00" * 100,
        "leeg.md": b"   \n",
        "binair.txt": bytes(range(256)) * 10,
    }
    for name, data in broken.items():
        path = tmp_path / name
        path.write_bytes(data)
        before = sha256(path)
        for command in ("parse", "check"):
            result = run_cli(command, str(path), "--max-mb", "1")
            assert result.exit_code == 2, (name, result.output)
        assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(broken)


# --------------------------------------------------------------------------- killed while writing a report

_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from verordeningcheck.report import write_atomic

    target, size, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    body = "<p>" + "x" * 96 + "</p>\\n"
    content = "<!DOCTYPE html><html><body>\\n" + body * (size // len(body)) + "</body></html>\\n"
    if mode == "stall":  # a slow disk: the temp file is written, fsync never returns
        real = os.fsync
        def stalled(fd):
            print("fsync", flush=True)
            time.sleep(60)
            real(fd)
        os.fsync = stalled
    print("start", flush=True)
    write_atomic(target, content)
    print("done", flush=True)
    """
)


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"<!DOCTYPE html>") and data.endswith(b"</body></html>\n")


def _writer(tmp_path: Path, target: Path, size: int, mode: str) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, str(script), str(target), str(size), mode],
                            stdout=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("existing", [False, True], ids=["new-report", "replacing-a-report"])
def test_report_killed_in_fsync_is_never_truncated(tmp_path, existing):
    target = tmp_path / "rapport.html"
    old = "<!DOCTYPE html><html><body>\n<p>vorige versie</p>\n</body></html>\n"
    if existing:
        target.write_text(old, encoding="utf-8")
    proc = _writer(tmp_path, target, 5 * 1024 * 1024, "stall")
    try:
        assert proc.stdout.readline().strip() == "start"
        assert proc.stdout.readline().strip() == "fsync"  # the temp file holds the report, not yet renamed
        temps = list(tmp_path.glob(".rapport.html.*.tmp"))
        assert temps, "write_atomic writes beside the target"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    if existing:
        assert target.read_text(encoding="utf-8") == old
    else:
        assert not target.exists()


def test_leftover_temp_files_of_a_killed_write_are_removed_later(tmp_path):
    """A SIGKILL leaves a hidden .tmp beside the report; the next write of the same report
    removes leftovers older than an hour (a younger one may belong to a running writer)."""
    from verordeningcheck.report import write_atomic

    target = tmp_path / "rapport [1].html"  # glob characters in the name
    old = tmp_path / ".rapport [1].html.abc123.tmp"
    young = tmp_path / ".rapport [1].html.def456.tmp"
    other = tmp_path / ".ander.html.abc123.tmp"
    for leftover in (old, young, other):
        leftover.write_text("<!DOCTYPE html><html><body><p>half", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    for leftover in (old, other):
        os.utime(leftover, (two_hours_ago, two_hours_ago))
    write_atomic(target, "<!DOCTYPE html><html></html>\n")
    assert target.read_text(encoding="utf-8") == "<!DOCTYPE html><html></html>\n"
    assert not old.exists()
    assert young.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, young.name, other.name])


def test_report_killed_mid_write_is_never_truncated(tmp_path):
    """SIGKILL at several moments while a 100 MB report is written: the target is absent or
    complete, never a prefix (a leftover hidden .tmp file is allowed)."""
    size = 100 * 1024 * 1024
    caught_mid_write = 0
    for attempt, delay in enumerate((0.0, 0.05, 0.2)):
        target = tmp_path / f"rapport-{attempt}.html"
        proc = _writer(tmp_path, target, size, "plain")
        try:
            assert proc.stdout.readline().strip() == "start"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not list(tmp_path.glob(f".{target.name}.*.tmp")):
                time.sleep(0.001)
            time.sleep(delay)
            temps = list(tmp_path.glob(f".{target.name}.*.tmp"))
            size_at_kill = temps[0].stat().st_size if temps else None
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
        if size_at_kill is not None and size_at_kill < size:
            caught_mid_write += 1
        assert not target.exists() or _complete(target), f"truncated report after kill {attempt}"
        for leftover in tmp_path.glob(f".{target.name}.*.tmp"):
            leftover.unlink()  # hidden temp file of the killed writer: never mistaken for the report
    assert caught_mid_write >= 1  # the kill really happened while the report was being written


def test_cli_report_killed_at_random_moments_is_absent_or_complete(tmp_path):
    """The real command: ``check --format html -o`` killed at several moments."""
    source = SAMPLE_DIR / f"{SAMPLE}-typed.docx"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "verordeningcheck", "check", str(source), "--format", "html"]
    started = time.monotonic()
    reference = tmp_path / "volledig.html"
    subprocess.run(command + ["--output", str(reference)], env=env, check=True, capture_output=True, timeout=300)
    duration = time.monotonic() - started
    expected = reference.read_bytes()
    for n, fraction in enumerate((0.5, 0.8, 0.95)):
        target = tmp_path / f"rapport-{n}.html"
        proc = subprocess.Popen(command + ["--output", str(target)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert not target.exists() or target.read_bytes() == expected


# --------------------------------------------------------------------------- regressions found by fuzzing


def _docx_with(document_xml=None, transform=None) -> bytes:
    import io
    import zipfile

    source = (SAMPLE_DIR / f"{SAMPLE}-typed.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "word/document.xml":
                part = document_xml if document_xml is not None else transform(part)
            zout.writestr(info.filename, part)
    return out.getvalue()


def test_docx_dtd_after_a_long_comment_is_refused():
    """The DTD check read only the first 2 kB of each part: a longer comment slipped past."""
    def add_dtd(part: bytes) -> bytes:
        end = part.index(b"?>") + 2
        doctype = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        return part[:end] + b"<!--" + b"x" * 100_000 + b"-->" + doctype + part[end:]

    from verordeningcheck.errors import UnsafeDocument

    with pytest.raises(UnsafeDocument):
        load(_docx_with(transform=add_dtd), name="lang-commentaar.docx")


def test_docx_with_a_corrupt_deflate_stream_is_malformed():
    """zlib.error while reading a part escaped as an unexpected exception."""
    import io
    import zipfile

    data = bytearray((SAMPLE_DIR / f"{SAMPLE}-typed.docx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(40, 60):
        data[start + offset] ^= 0x5A
    with pytest.raises(MalformedDocument):
        load(bytes(data), name="kapot.docx")


@pytest.mark.parametrize(
    "document_xml",
    [
        b'<?xml version="1.0"?><w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    ],
    ids=["wrong-root", "no-body"],
)
def test_docx_without_a_body_is_malformed(document_xml):
    """AttributeError / TypeError escaped when word/document.xml had no w:body."""
    with pytest.raises(MalformedDocument):
        load(_docx_with(document_xml=document_xml), name="leeg-lijf.docx")


def test_gemeenteblad_html_with_control_characters_and_odd_class_names():
    """Control characters (ValueError from lxml) and '_p_' classes that are no element name
    (ValueError: Invalid tag name) escaped from the gemeenteblad reader."""
    path = SAMPLE_DIR / f"{SAMPLE}-gemeenteblad.html"
    reference = articles(load(path))
    html = path.read_text(encoding="utf-8")
    html = html.replace("Artikel ", "Artikel\x01\x02 \x0b", 5).replace('class="_p_', 'class="_p_tit\u2013el _p_', 3)
    assert articles(load(html.encode("utf-8"), name=path.name)) == reference


@pytest.mark.parametrize("kind", ["plain", "gemeenteblad"])
def test_html_character_references_to_control_characters(kind):
    """'&#1;' and '&#xFFFE;' become characters lxml cannot store: moving the tail of a removed
    <script> (generic pages) or copying text into the rebuilt tree (gemeenteblad) raised ValueError."""
    junk = "&#1;&#8;&#xFFFE;&#xFFFF;&#11;&#12;&#0;"
    if kind == "plain":
        html = PLAIN_HTML.replace("</script></li>", f"</script>{junk}</li>")
    else:
        html = (SAMPLE_DIR / f"{SAMPLE}-gemeenteblad.html").read_text(encoding="utf-8")
        html = html.replace("Artikel ", f"Artikel{junk} ", 10).replace("</p>", f"<script>x</script>{junk}</p>", 10)
    document = load(html.encode("utf-8"), name=f"{kind}.html")
    assert len(document.articles) >= 2
    text = json.dumps(document.to_dict(), ensure_ascii=False)
    assert "\x01" not in text and "\ufffe" not in text


def test_gemeenteblad_html_with_control_characters_in_tag_names():
    """'<span\\x07x>' gives a tag name with a control character; it went into the element path
    stored on the rebuilt tree (ValueError)."""
    path = SAMPLE_DIR / f"{SAMPLE}-gemeenteblad.html"
    html = path.read_text(encoding="utf-8").replace('<span class="_p_label"', '<span?\x07G\u00f9 class="_p_label"', 3)
    assert "\x07" in html
    document = load(html.encode("utf-8"), name=path.name)
    assert len(document.articles) >= 2


@pytest.mark.parametrize("kind", ["i", "I", "a"])
def test_html_list_with_an_absurd_start_value(kind):
    """<ol type="i" start="10000000000000"> built a Roman numeral of billions of "M"s (hang)."""
    html = PLAIN_HTML.replace(SCRIPTS, "").replace("<ol>", f'<ol type="{kind}" start="10000000000000">')
    html = html.replace("<li>Het college", '<li value="99999999999999999999">Het college')
    started = time.monotonic()
    document = load(html.encode("utf-8"), name="start.html")
    assert articles(document)[0] == ("1", "Melding")
    assert time.monotonic() - started < 5


def test_docx_numbering_with_an_absurd_start_value():
    """Word letter numbering repeats the letter after z ("aa"); w:start="10000000000" made a
    label of 400 million letters."""
    import io
    import re as _re
    import zipfile

    source = (SAMPLE_DIR / f"{SAMPLE}-autonum.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "word/numbering.xml":
                part = _re.sub(rb'<w:start w:val="\d+"/>', b'<w:start w:val="10000000000"/>', part)
                part = _re.sub(rb'<w:numFmt w:val="\w+"/>', b'<w:numFmt w:val="lowerLetter"/>', part)
                assert b"10000000000" in part
            zout.writestr(info.filename, part)
    tracemalloc.start()
    started = time.monotonic()
    try:
        try:
            load(out.getvalue(), name="start.docx")
        except VerordeningcheckError:
            pass
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 10
    assert peak < 200 * 1024 * 1024
