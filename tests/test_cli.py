"""CLI behaviour: JSON shape, outline, Dutch errors with exit code 2 and no traceback."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from verordeningcheck.cli import main

from conftest import ROOT, SAMPLES, manifest_samples, renderings

TEXT = (
    "Verordening maatschappelijke ondersteuning Proefdorp 2011\n\n"
    "De raad van de gemeente Proefdorp;\n\ngelet op de Wet maatschappelijke ondersteuning;\n\n"
    "Artikel 1 Melding\n\n1. Een inwoner kan zich melden bij het college.\n\n"
    "2. Het college bevestigt de melding schriftelijk.\n\n"
    "Artikel 2 Citeertitel\n\nDeze verordening heet Verordening Wmo Proefdorp 2011.\n\n"
    "Toelichting\n\nUitleg over de kanteling.\n"
)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_parse_json_shape(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run("parse", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("title", "gemeente", "format", "toelichting", "articles"):
        assert key in data
    first = data["articles"][0]
    assert set(["number", "title", "status", "chapter", "leden", "text"]) <= set(first)
    assert first["leden"][1] == {**first["leden"][1], "number": "2", "text": "Het college bevestigt de melding schriftelijk."}
    assert data["toelichting"].startswith("Toelichting")
    assert data["gemeente"] == "Proefdorp"


def test_parse_outline_is_dutch(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run("parse", str(path))
    assert result.exit_code == 0
    assert "Artikel 1 Melding (2 leden)" in result.output
    assert "Toelichting" in result.output


@pytest.mark.parametrize(
    "name,content,fragment",
    [
        ("leeg.txt", b"", "leeg"),
        ("spaties.txt", b"   \n\n  ", "leeg"),
        ("rommel.txt", bytes(range(256)) * 40, "binaire gegevens"),
        ("oud.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
        ("archief.docx", b"PK\x03\x04garbage-not-a-zip" * 10, "dit Word-bestand (.docx) is beschadigd"),
        ("archief.zip", b"PK\x03\x04garbage-not-a-zip" * 10, "dit ZIP-bestand is beschadigd"),
        ("rommel.pdf", bytes(range(256)) * 40, "geen geldig PDF-bestand (de PDF-kop ontbreekt)"),
        ("rommel.docx", bytes(range(256)) * 40, "geen geldig Word-bestand (.docx)"),
        ("geen-verordening.txt", "Dit is een brief over de verbouwing van het gemeentehuis.\n".encode(), "geen artikelen"),
    ],
    ids=["leeg", "spaties", "binair", "doc", "kapotte-docx", "kapotte-zip", "rommel-pdf", "rommel-docx",
         "geen-artikelen"],
)
def test_bad_input_exits_2_with_dutch_message(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    before = path.read_bytes()
    for command in ("parse", "check"):
        result = run(command, str(path))
        assert result.exit_code == 2, result.output
        assert fragment in result.output
        assert str(path) in result.output
        assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_missing_file(tmp_path):
    result = run("parse", str(tmp_path / "bestaat-niet.pdf"))
    assert result.exit_code == 2
    assert "bestand niet gevonden" in result.output


def test_check_json_covers_every_element(tmp_path):
    from verordeningcheck.ruleset import CATALOGUE

    path = tmp_path / "v.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("verdict", "lean", "confidence", "generation", "scores", "elements"):
        assert key in data
    assert [e["id"] for e in data["elements"]] == list(CATALOGUE)
    for element in data["elements"]:
        assert set(["id", "model", "present", "evidence"]) <= set(element)


@pytest.mark.skipif(shutil.which("verordeningcheck") is None and not (Path(sys.executable).parent / "verordeningcheck").exists(),
                    reason="console script not installed")
def test_installed_command_works_from_any_directory(tmp_path):
    exe = Path(sys.executable).parent / "verordeningcheck"
    if not exe.exists():
        exe = Path(shutil.which("verordeningcheck"))
    samples = manifest_samples()
    files = renderings(samples[0]["id"]) if samples else []
    target = tmp_path / "v.txt"
    target.write_text(TEXT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for path in [target] + files[:1]:
        proc = subprocess.run([str(exe), "check", str(path), "--format", "json"], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["verdict"]
    # the installed package carries its templates, rules and click's Dutch catalogue
    proc = subprocess.run([str(exe), "check", "--bestaat-niet"], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2 and "Fout: Onbekende optie" in proc.stderr, proc.stderr


@pytest.mark.parametrize("option", [["--max-mb", "0"], ["--max-mb", "-2"], ["--max-pages", "0"]])
def test_limit_options_must_be_positive(option):
    sample = SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md"
    result = run("check", str(sample), *option)
    assert result.exit_code == 2
    assert f"{option[0]}: de waarde moet een getal groter dan 0 zijn" in result.output


def test_compiled_click_catalogue_matches_its_source():
    """messages.mo is compiled from messages.po (python -m verordeningcheck.i18n)."""
    from verordeningcheck import i18n

    assert i18n.MO_FILE.read_bytes() == i18n.build()


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--help"], ["Gebruik:", "[OPTIES] OPDRACHT [ARGUMENTEN]...", "Opties:", "Opdrachten:",
                      "Toon deze hulptekst en stop."]),
        (["check", "--help"], ["Gebruik:", "check [OPTIES] BESTAND..."]),
        (["check", "--format", "compact", "x.pdf"], ["Fout: Ongeldige waarde voor '--format'", "is niet een van"]),
        (["chekc"], ["Fout: Onbekende opdracht 'chekc'. Bedoelt u 'check'?"]),
        (["check", "--max-pages", "veel", "x.pdf"], ["is geen geldig getal"]),
        (["check"], ["Fout: Ontbrekend argument"]),
        (["diff", "a.pdf"], ["Fout: geef twee bestanden (HUIDIG en CONCEPT)"]),
    ],
    ids=["help", "check-help", "bad-choice", "unknown-command", "bad-number", "no-file", "diff-one-file"],
)
def test_click_texts_are_dutch(args, expected):
    result = run(*args)
    output = result.output
    for fragment in expected:
        assert fragment in output, output
    for english in ("Usage:", "Error:", "Options:", "Invalid value", "Missing argument", "Show this message"):
        assert english not in output, output
    assert result.exit_code == (0 if "--help" in args else 2)


def test_a_report_that_cannot_be_written_exits_2_in_dutch(tmp_path):
    sample = SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md"
    target = tmp_path / "bestaat-niet" / "rapport.html"
    result = run("check", str(sample), "--format", "html", "-o", str(target))
    assert result.exit_code == 2  # not 1: that means "policy violated" to a CI job
    assert "kan het rapport niet schrijven (de map of het bestand bestaat niet)" in result.output
    assert not target.parent.exists()


def test_rules_directory_without_rule_files_is_an_error(tmp_path):
    sample = SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md"
    result = run("check", str(sample), "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert "de map bevat geen regelbestanden" in result.output


def test_a_closed_pipe_ends_quietly():
    """`verordeningcheck rules test -v | head -1`: no "interne fout" when the reader stops."""
    code = subprocess.run(
        f"{sys.executable} -m verordeningcheck rules test -v | head -1", shell=True, cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )
    assert code.stdout.startswith("ok ")
    assert "interne fout" not in code.stderr and "Traceback" not in code.stderr, code.stderr


def test_one_html_file_name_for_several_reports_is_a_usage_error(tmp_path):
    folder = SAMPLES / "rendered" / "meerwijk-2011"
    result = run("check", str(folder), "--format", "html", "-o", str(tmp_path / "een.html"))
    assert result.exit_code == 2
    assert "is --output een map" in result.output
    assert not (tmp_path / "een.html").exists()
