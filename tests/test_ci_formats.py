"""CI integration of `check`: SARIF (validated against the vendored SARIF 2.1.0 schema), JUnit XML,
GitHub workflow commands, several files and globs, policy exit codes, and the pre-commit hook."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from verordeningcheck.cli import main
from verordeningcheck.ruleset import CATALOGUE

from conftest import ROOT, SAMPLES

DATA = Path(__file__).parent / "data"
RENDERED = SAMPLES / "rendered"

OLD_MD = RENDERED / "westerdijk-2007" / "westerdijk-2007.md"
OLD_PDF = RENDERED / "westerdijk-2007" / "westerdijk-2007-inline.pdf"
OLD_XML = RENDERED / "westerdijk-2007" / "westerdijk-2007-cvdr.xml"
NEW_MD = RENDERED / "meerwijk-2011" / "meerwijk-2011.md"
NEW_TXT = RENDERED / "meerwijk-2011" / "meerwijk-2011.txt"
TUSSEN_MD = RENDERED / "zuiderbroek-2012" / "zuiderbroek-2012.md"
AMENDMENT_MD = RENDERED / "westerdijk-wijziging-2011" / "westerdijk-wijziging-2011.md"
NOT_WMO_MD = RENDERED / "havenstad-afval-2014" / "havenstad-afval-2014.md"

pytestmark = pytest.mark.skipif(not OLD_MD.is_file(), reason="sample renderings missing (run samples/render.py)")


def run(*args, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, ["check", *map(str, args)])
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, ["check", *map(str, args)])
    finally:
        os.chdir(old)


def rel(path: Path) -> str:
    """The path relative to the project root, as a CI job would pass it."""
    return path.relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# ---------------------------------------------------------------- SARIF


def test_sarif_validates_and_reports_policy_violations(sarif_validator):
    files = [rel(OLD_MD), rel(OLD_PDF), rel(OLD_XML), rel(NEW_MD)]
    result = run(*files, "--format", "sarif", "--fail-on", "old", "--require", "melding", cwd=ROOT)
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    assert_valid_sarif(sarif_validator, log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "verordeningcheck"
    assert "informationUri" not in driver
    rule_ids = [r["id"] for r in driver["rules"]]
    assert set(CATALOGUE) <= set(rule_ids)
    assert "verdict" in rule_ids
    assert len(rule_ids) == len(set(rule_ids))
    by_id = {r["id"]: r for r in driver["rules"]}
    assert by_id["melding"]["shortDescription"]["text"].startswith("Melding")
    assert [a["location"]["uri"] for a in run_["artifacts"]] == files

    results = run_["results"]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["locations"] and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] in files
        assert r["level"] == "error"  # no notes without --evidence
    verdicts = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in results if r["ruleId"] == "verdict"}
    missing = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in results if r["ruleId"] == "melding"}
    old_files = files[:3]
    assert set(verdicts) == set(old_files)  # the new sample passes --fail-on old
    assert set(missing) == set(old_files)  # and has a melding
    assert "oud" in verdicts[rel(OLD_MD)]["message"]["text"]
    assert "Melding" in missing[rel(OLD_MD)]["message"]["text"]

    # Markdown: a real line of the file, pointing at the aanvraag article
    md_location = verdicts[rel(OLD_MD)]["locations"][0]
    line = md_location["physicalLocation"]["region"]["startLine"]
    source_lines = OLD_MD.read_text(encoding="utf-8").splitlines()
    assert "aanvraag" in source_lines[line - 1].lower()
    assert md_location["logicalLocations"][0]["name"].startswith("artikel ")
    # PDF (and XML): no lines in the file, so a logical location "artikel X lid Y" instead
    for path in (rel(OLD_PDF), rel(OLD_XML)):
        location = verdicts[path]["locations"][0]
        assert "region" not in location["physicalLocation"]
        assert re.fullmatch(r"artikel \S+( lid \S+)?", location["logicalLocations"][0]["name"])
    assert "page" in verdicts[rel(OLD_PDF)]["locations"][0]["properties"]


def test_sarif_clean_run_with_evidence_notes(sarif_validator):
    result = run(NEW_MD, TUSSEN_MD, "--format", "sarif", "--fail-on", "old", "--evidence")
    assert result.exit_code == 0, result.output
    log = json.loads(result.stdout)
    assert_valid_sarif(sarif_validator, log)
    results = log["runs"][0]["results"]
    # notes, and warnings only for missing legal requirements (the policy does not fail on them)
    assert results and all(r["level"] == "note" or r["ruleId"].startswith("wmo") for r in results)
    assert all(r["level"] in ("note", "warning") for r in results)
    notes = [r for r in results if r["ruleId"] == "melding"]
    assert notes, "a present melding is reported as a note with its evidence"
    location = notes[0]["locations"][0]
    assert location["physicalLocation"]["region"]["startLine"] >= 1
    assert location["message"]["text"].startswith("artikel ") and "„" in location["message"]["text"]
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_reports_unreadable_file_and_exits_2(sarif_validator, tmp_path):
    missing = tmp_path / "bestaat-niet.pdf"
    result = run(OLD_MD, missing, "--format", "sarif", "--fail-on", "old")
    assert result.exit_code == 2, result.output
    assert "bestand niet gevonden" in result.stderr
    log = json.loads(result.stdout)
    assert_valid_sarif(sarif_validator, log)
    run_ = log["runs"][0]
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    assert "bestand niet gevonden" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    errors = [r for r in run_["results"] if r["ruleId"] == "invoerfout"]
    assert len(errors) == 1
    assert errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("bestaat-niet.pdf")
    assert any(r["ruleId"] == "verdict" for r in run_["results"])  # the readable file is still judged


def test_sarif_output_file_is_written(tmp_path, sarif_validator):
    target = tmp_path / "resultaat.sarif"
    result = run(OLD_MD, NEW_MD, "--format", "sarif", "--output", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert_valid_sarif(sarif_validator, json.loads(target.read_text(encoding="utf-8")))
    assert [p.name for p in tmp_path.iterdir()] == ["resultaat.sarif"]  # no temp files left


# ---------------------------------------------------------------- JUnit


def test_junit_structure(tmp_path):
    missing = tmp_path / "weg.md"
    result = run(OLD_MD, NEW_MD, AMENDMENT_MD, missing, "--format", "junit", "--fail-on", "old", "--require", "melding")
    assert result.exit_code == 2, result.output
    root = etree.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [OLD_MD.as_posix(), NEW_MD.as_posix(), AMENDMENT_MD.as_posix(), missing.as_posix()]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors")) == len(suite.findall("testcase/error"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))
        for case in cases:
            assert case.get("name") and case.get("classname")
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in suites)

    old, new, amendment, unreadable = suites
    names = [c.get("name") for c in old.findall("testcase")]
    assert [n for n in names if ":" not in n] == ["oordeel (--fail-on old)"] + list(CATALOGUE)
    # then one testcase per legal requirement of the law that applies (old sample: Wmo 2007)
    assert [n for n in names if ":" in n] == ["wettelijk: wmo07_toegang", "wettelijk: wmo07_afstemming", "wettelijk: wmo07_vormen"]
    failed = {c.get("name") for c in old.findall("testcase") if c.find("failure") is not None}
    assert failed == {"oordeel (--fail-on old)", "melding"}
    assert new.get("failures") == "0" and new.get("errors") == "0"
    skipped = [c.get("name") for c in amendment.findall("testcase") if c.find("skipped") is not None]
    # required elements and the legal requirements do not apply to an amending ordinance
    assert skipped == ["melding", "wettelijk"]
    assert amendment.get("failures") == "0"
    assert unreadable.get("errors") == "1"
    assert "niet gevonden" in unreadable.find("testcase/error").get("message")
    properties = {p.get("name"): p.get("value") for p in old.findall("properties/property")}
    assert properties["oordeel"] == "old"


def test_junit_clean():
    result = run(NEW_MD, NEW_TXT, "--format", "junit", "--fail-on", "tussenvorm")
    assert result.exit_code == 0, result.output
    root = etree.fromstring(result.stdout.encode("utf-8"))
    assert root.get("failures") == "0" and root.get("errors") == "0"
    assert len(root.findall("testsuite")) == 2
    legal = sum(1 for c in root.iter("testcase") if c.get("name", "").startswith("wettelijk: "))
    assert legal > 0
    assert int(root.get("tests")) == 2 * (len(CATALOGUE) + 1) + legal


# ---------------------------------------------------------------- GitHub


GH_COMMAND = re.compile(
    r"^::(error|warning|notice)"
    r"(?: (?P<props>(?:file|line|endLine|col|endColumn|title)=[^,:\r\n]*(?:,(?:file|line|endLine|col|endColumn|title)=[^,:\r\n]*)*))?"
    r"::(?P<message>[^\r\n]*)$"
)


def test_github_annotations(tmp_path):
    missing = tmp_path / "weg.pdf"
    result = run(rel(OLD_MD), rel(OLD_PDF), rel(NEW_MD), str(missing), "--format", "github",
                 "--fail-on", "old", "--require", "melding", cwd=ROOT)
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    assert lines
    parsed = []
    for line in lines:
        m = GH_COMMAND.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in m.group("props").split(",")) if m.group("props") else {}
        parsed.append((m.group(1), props, m.group("message")))
    errors = [(props, message) for kind, props, message in parsed if kind == "error"]
    notices = [(props, message) for kind, props, message in parsed if kind == "notice"]
    by_file: dict[str, list] = {}
    for props, message in errors:
        by_file.setdefault(props["file"], []).append((props, message))
    assert len(by_file[rel(OLD_MD)]) == 2  # verdict + missing melding
    verdict_props = [p for p, m in by_file[rel(OLD_MD)] if m.startswith("Oordeel")][0]
    assert int(verdict_props["line"]) >= 1
    assert "%3A" in verdict_props["title"]  # ':' escaped in a property
    assert all("line" not in p for p, _ in by_file[rel(OLD_PDF)])  # a PDF has no lines
    assert any("artikel" in m for _, m in by_file[rel(OLD_PDF)])
    assert any("niet gevonden" in m for _, m in by_file[missing.as_posix()])
    assert [p["file"] for p, _ in notices] == [rel(NEW_MD)]
    assert "%25" in notices[0][1]  # '%' escaped in the message ("zekerheid 98%")


def test_github_escaping():
    from verordeningcheck.ci_formats import github_command

    line = github_command("error", "50% klaar\nregel 2", file="a,b:c.md", line=3, title="x: y")
    assert line == "::error file=a%2Cb%3Ac.md,line=3,title=x%3A y::50%25 klaar%0Aregel 2"


# ---------------------------------------------------------------- terminal, JSON, globs, directories


def test_terminal_single_file_keeps_its_look():
    result = run(OLD_MD)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{OLD_MD}: ")
    assert "  Oordeel:    oud (VNG-model 2006)" in result.stdout
    assert "beleid" not in result.stdout


def test_terminal_compact_for_several_files():
    result = run(OLD_MD, NEW_MD, TUSSEN_MD, "--fail-on", "tussenvorm")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("✗ ") and "oud (VNG-model 2006)" in lines[0]
    assert any(line.startswith("✓ ") and "nieuw" in line for line in lines)
    assert any("tussenvorm" in line and line.startswith("✗ ") for line in lines)
    assert lines[-1].startswith("3 bestanden:")
    assert "2 bestanden voldoen niet" in lines[-1]


def test_json_single_object_and_list_for_several():
    single = run(NEW_MD, "--format", "json")
    assert single.exit_code == 0
    assert isinstance(json.loads(single.stdout), dict)
    several = run(NEW_MD, OLD_MD, "--format", "json")
    assert several.exit_code == 0
    data = json.loads(several.stdout)
    assert isinstance(data, list) and [d["verdict"] for d in data] == ["new", "old"]
    assert set(data[0]) == set(json.loads(single.stdout))


def test_glob_is_expanded_by_the_program():
    pattern = str(RENDERED / "*" / "*-2011.md")  # quoted: no shell expands it
    result = run(pattern, "--format", "json")
    assert result.exit_code == 0, result.output
    files = [Path(d["file"]).name for d in json.loads(result.stdout)]
    assert files == sorted(p.name for p in RENDERED.glob("*/*-2011.md"))
    assert "meerwijk-2011.md" in files and len(files) >= 2


def test_recursive_glob_and_directory(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(OLD_MD, tmp_path / "oud.md")
    shutil.copy(NEW_MD, tmp_path / "sub" / "nieuw.md")
    (tmp_path / "notities.yaml").write_text("geen: verordening\n", encoding="utf-8")
    folder = run(tmp_path, "--format", "json")
    assert folder.exit_code == 0, folder.output
    assert [Path(d["file"]).name for d in json.loads(folder.stdout)] == ["oud.md"]  # not recursive, no .yaml
    recursive = run(str(tmp_path / "**" / "*.md"), "--format", "json", "--fail-on", "old")
    assert recursive.exit_code == 1
    assert sorted(Path(d["file"]).name for d in json.loads(recursive.stdout)) == ["nieuw.md", "oud.md"]


def test_glob_without_matches_is_an_input_error(tmp_path):
    pattern = str(tmp_path / "*.pdf")
    result = run(pattern, NEW_MD)
    assert result.exit_code == 2
    assert "geen ondersteunde bestanden gevonden" in result.output
    data = json.loads(run(pattern, NEW_MD, "--format", "json").stdout)
    assert data[0]["file"] == pattern and data[0]["error"]["code"] == "input"  # in argument order
    assert data[1]["verdict"] == "new"
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert run(empty).exit_code == 2


def test_html_reports_never_overwrite_an_input(tmp_path):
    source = tmp_path / "meerwijk.html"
    shutil.copy(RENDERED / "meerwijk-2011" / "meerwijk-2011-lokaleregelgeving.html", source)
    shutil.copy(OLD_MD, tmp_path / "oud.md")
    before = source.read_bytes()
    result = run(source, tmp_path / "oud.md", "--format", "html", "--output", tmp_path)
    assert result.exit_code == 2
    assert "overschrijven" in result.output
    assert source.read_bytes() == before


def test_html_several_files_into_directory(tmp_path):
    out = tmp_path / "rapporten"
    result = run(OLD_MD, RENDERED / "westerdijk-2007" / "westerdijk-2007.txt", NEW_MD, "--format", "html", "--output", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["meerwijk-2011.html", "westerdijk-2007-md.html", "westerdijk-2007-txt.html"]
    assert all((out / n).read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html") for n in names)


# ---------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    "files,options,code",
    [
        ([OLD_MD], [], 0),
        ([OLD_MD], ["--fail-on", "none"], 0),
        ([OLD_MD], ["--fail-on", "old"], 1),
        ([OLD_MD], ["--require", "melding"], 1),
        ([NEW_MD], ["--fail-on", "tussenvorm", "--require", "melding", "--require", "gesprek"], 0),
        ([TUSSEN_MD], ["--fail-on", "old"], 0),
        ([TUSSEN_MD], ["--fail-on", "tussenvorm"], 1),
        ([OLD_MD], ["--require", "aanvraag_startpunt"], 0),
        ([NOT_WMO_MD, AMENDMENT_MD], ["--fail-on", "tussenvorm", "--require", "melding"], 0),
        ([NEW_MD, OLD_MD], ["--fail-on", "old"], 1),
    ],
    ids=["old-no-policy", "old-none", "old-fail-on-old", "old-require-melding", "new-strict", "tussen-fail-on-old",
         "tussen-fail-on-tussenvorm", "old-require-present", "not-wmo-amendment-never-fail", "one-of-two-old"],
)
def test_exit_codes_follow_the_policy(files, options, code):
    for output_format in ("terminal", "sarif"):
        result = run(*files, *options, "--format", output_format)
        assert result.exit_code == code, (output_format, result.output)


def test_missing_file_among_several_exits_2_and_is_reported(tmp_path):
    missing = tmp_path / "ontbreekt.md"
    result = run(NEW_MD, missing)
    assert result.exit_code == 2
    assert f"! {missing.as_posix()}" in result.stdout
    assert "bestand niet gevonden" in result.stdout
    assert "bestand niet gevonden" in result.stderr
    assert "meerwijk-2011.md" in result.stdout  # the readable file is still reported
    data = json.loads(run(NEW_MD, missing, "--format", "json").stdout)
    assert data[1] == {"file": str(missing), "error": {"code": "input", "message": "bestand niet gevonden."}}


def test_unknown_require_is_a_usage_error():
    result = run(OLD_MD, "--require", "bestaat_niet")
    assert result.exit_code == 2
    assert "bestaat_niet" in result.output and "melding" in result.output
    assert "Traceback" not in result.output


def test_single_unreadable_file_keeps_its_message(tmp_path):
    path = tmp_path / "leeg.txt"
    path.write_bytes(b"")
    result = run(path, "--fail-on", "old")
    assert result.exit_code == 2
    assert "leeg" in result.stderr and str(path) in result.stderr


# ---------------------------------------------------------------- pre-commit


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for h in hooks}["verordeningcheck"]
    assert hook["language"] == "python"
    assert hook["entry"] == "verordeningcheck check --fail-on old"
    files = re.compile(hook["files"])
    exclude = re.compile(hook["exclude"])
    for name in ("verordeningen/wmo.md", "a.txt", "b.XML", "c.html", "d.docx", "e.pdf"):
        assert files.search(name) and not exclude.search(name), name
    assert not files.search("setup.cfg")
    assert exclude.search("README.md")


def _git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo(tmp_path):
    """`pre-commit try-repo` installs the hook (pip) and runs it on a folder of samples.

    Slow (about a minute: pre-commit builds a virtualenv with `pip install` of this project) and
    needs a package index; skipped when pre-commit is missing or the environment cannot be built.
    """
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        try:
            import pre_commit as _  # noqa: F401
        except ImportError:
            pytest.skip("pre-commit is not installed")
        command = [sys.executable, "-m", "pre_commit"]
    else:
        command = [pre_commit]
    # try-repo reads committed files only: commit a copy of the working tree
    hook_repo = tmp_path / "hook"
    shutil.copytree(ROOT, hook_repo, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", ".benchmarks", "*.egg-info", "build", "dist"))
    _git("init", "-q", cwd=hook_repo)
    _git("add", "-A", cwd=hook_repo)
    _git("commit", "-q", "-m", "hook", cwd=hook_repo)
    legal = tmp_path / "regelgeving"
    (legal / "verordeningen").mkdir(parents=True)
    for sample in (OLD_MD, NEW_MD, TUSSEN_MD):
        shutil.copy(sample, legal / "verordeningen" / sample.name)
    (legal / "README.md").write_text("# Regelgeving van de gemeente\n", encoding="utf-8")
    _git("init", "-q", cwd=legal)
    _git("add", "-A", cwd=legal)
    _git("commit", "-q", "-m", "verordeningen", cwd=legal)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), PRE_COMMIT_COLOR="never")
    env.pop("PYTHONPATH", None)
    try:
        proc = subprocess.run([*command, "try-repo", str(hook_repo), "verordeningcheck", "--all-files"],
                              cwd=legal, env=env, capture_output=True, text=True, timeout=1200)
    except subprocess.TimeoutExpired:
        pytest.skip("pre-commit try-repo took longer than 20 minutes (building the hook environment)")
    output = proc.stdout + proc.stderr
    offline = ("No matching distribution", "Could not find a version", "Failed to establish a new connection",
               "Temporary failure in name resolution", "Network is unreachable", "Read timed out", "ConnectTimeout")
    if "An unexpected error has occurred" in output and any(sign in output for sign in offline):
        pytest.skip("pre-commit could not build the hook environment (no package index):\n" + output[-2000:])
    assert proc.returncode == 1, output
    assert "verordeningcheck" in output and "Failed" in output
    assert re.search(r"✗ verordeningen/westerdijk-2007\.md\s+oud", output), output
    assert re.search(r"✓ verordeningen/meerwijk-2011\.md\s+nieuw", output), output
    assert "README.md" not in output.split("Failed", 1)[1]  # excluded by the hook
    assert "3 bestanden" in output
