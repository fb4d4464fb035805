"""``verordeningcheck batch``: the whole samples folder against the manifests, the overview,
failed files, the cache (rerun, changed file, interrupted run), untouched inputs, usage errors."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import lxml.html
import pytest
from click.testing import CliRunner

from conftest import HELDOUT, ROOT, SAMPLES, manifest_samples, renderings
from verordeningcheck.batch import CSV_FIELDS, REPORTS_DIR, discover, run_batch
from verordeningcheck.cli import main
from verordeningcheck.limits import Limits
from verordeningcheck.ruleset import CATALOGUE

ELEMENTS = list(CATALOGUE)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV for Excel starts with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8")[1:]), delimiter=";"))


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["batch", *args], env=env)


def tree(path: Path):
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the whole samples folder


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory):
    """``batch samples/ --jobs 2`` once for the module (it takes a while)."""
    before = digests(SAMPLES)
    out = tmp_path_factory.mktemp("samples") / "overzicht"
    result = invoke(str(SAMPLES), "--output", str(out), "--jobs", "2")
    return SimpleNamespace(out=out, result=result, before=before, after=digests(SAMPLES),
                           rows={row["file"]: row for row in read_csv(out / "results.csv")})


def expected_files() -> list[tuple[str, dict]]:
    files = []
    for base in (SAMPLES, HELDOUT):
        for sample in manifest_samples(base):
            for path in renderings(sample["id"], base):
                files.append((path.relative_to(SAMPLES).as_posix(), sample))
    return files


def test_samples_batch_writes_the_outputs_and_exits_1_for_the_readmes(samples_run):
    out = samples_run.out
    for name in ("index.html", "results.csv", "results.json"):
        assert (out / name).is_file(), name
    # README.md files are no ordinances: failed rows with a Dutch message, the rest goes on
    # (samples/real/ holds real page beginnings; tests/test_real_documents.py covers those)
    failed = {f: r for f, r in samples_run.rows.items() if r["status"] == "fout" and not f.startswith("real/")}
    assert failed and all(Path(f).name == "README.md" for f in failed), sorted(failed)
    assert all("geen artikelen gevonden" in r["error"] for r in failed.values())
    assert samples_run.result.exit_code == 1, samples_run.result.output
    assert "mislukt" in samples_run.result.output and "index.html" in samples_run.result.output


def test_samples_batch_matches_the_manifests(samples_run):
    rows = samples_run.rows
    files = expected_files()
    assert len(files) >= 180
    header = list(next(iter(rows.values())).keys())
    assert header[: len(CSV_FIELDS) + len(ELEMENTS)] == list(CSV_FIELDS) + ELEMENTS
    # then the legal requirements: the law, the missing ids, one column per requirement
    assert header[len(CSV_FIELDS) + len(ELEMENTS):][:2] == ["wettelijk_wet", "wettelijk_ontbreekt"]
    assert "wmo15_mantelzorgwaardering" in header and "wmo07_toegang" in header
    wrong = []
    for rel, sample in files:
        row = rows.get(rel)
        assert row is not None, f"{rel} missing from results.csv"
        assert row["status"] == "ok", (rel, row["error"])
        if (row["verdict"], row["lean"]) != (sample["verdict"], sample["lean"] or ""):
            wrong.append((rel, row["verdict"], row["lean"], sample["verdict"], sample["lean"]))
        for element_id in sample.get("present", []):
            if row[element_id] != "ja":
                wrong.append((rel, element_id, row[element_id], "expected ja"))
        for element_id in sample.get("absent", []):
            if row[element_id] == "ja":
                wrong.append((rel, element_id, "ja", "expected absent"))
        assert set(row[e] for e in ELEMENTS) <= {"ja", "zwak", "ontkend", "nee"}
        assert row["sha256"] == hashlib.sha256((SAMPLES / rel).read_bytes()).hexdigest()
        assert "," in row["confidence"] or row["confidence"] in ("0", "1"), row["confidence"]  # decimal comma
    assert not wrong, wrong[:20]


def test_results_json_has_the_full_check_result_per_file(samples_run):
    from verordeningcheck import check

    data = json.loads((samples_run.out / "results.json").read_text(encoding="utf-8"))
    assert data["elements"] == ELEMENTS
    by_file = {entry["file"]: entry for entry in data["files"]}
    assert set(by_file) == set(samples_run.rows)
    rel = "rendered/meerwijk-2011/meerwijk-2011-cvdr.xml"
    entry = by_file[rel]
    expected = check((SAMPLES / rel).read_bytes(), name=rel).to_dict()
    assert {k: entry[k] for k in expected} == expected  # the object of CheckResult.to_dict()
    assert entry["status"] == "ok" and entry["error"] is None and entry["report"].startswith(REPORTS_DIR + "/")
    assert entry["element_status"] == {e: samples_run.rows[rel][e] for e in ELEMENTS}
    failed = by_file["README.md"]
    assert failed["status"] == "fout" and failed["error"]["code"] == "empty" and "artikelen" in failed["error"]["message"]
    assert data["counts"]["failed"] == sum(1 for r in samples_run.rows.values() if r["status"] == "fout")


def test_index_matrix_has_a_column_per_document_and_a_row_per_element(samples_run):
    out = samples_run.out
    doc = tree(out / "index.html")
    ok = [r for r in samples_run.rows.values() if r["status"] == "ok"]
    matrix = doc.xpath("//table[contains(@class, 'matrix')]")[0]
    heads = matrix.xpath("./thead/tr/th[contains(@class, 'doc')]")
    assert len(heads) == len(ok)
    row_ids = matrix.xpath(".//th[@scope='row']/span[@class='element-id']/text()")
    assert row_ids[: len(ELEMENTS)] == ELEMENTS
    # then a block with the legal requirements (rules/wettelijk), Wmo 2007 and Wmo 2015
    assert "wmo07_toegang" in row_ids[len(ELEMENTS):] and "wmo15_mantelzorgwaardering" in row_ids[len(ELEMENTS):]
    for element_row in matrix.xpath(".//tr[th/span[@class='element-id']]"):
        cells = element_row.xpath("./td")
        assert len(cells) == len(ok)
        # a mark, not only a colour
        assert all(c.text_content().strip() in ("✓", "◐", "⊘", "✗", "·", "–") for c in cells)
    # every column head and every document links to an existing report
    links = matrix.xpath("./thead//a/@href") + doc.xpath("//table[contains(@class, 'documenten')]//a/@href")
    assert len(links) == 2 * len(ok)
    for href in links:
        assert href.startswith(REPORTS_DIR + "/") and (out / unquote(href)).is_file(), href
    assert len(list((out / REPORTS_DIR).glob("*.html"))) == len(ok)
    # the failed files with their message, and the verdict chart
    failures = doc.get_element_by_id("fouten").text_content()
    assert "README.md" in failures and "geen artikelen gevonden" in failures
    assert len(doc.xpath("//*[@id='verdeling']//div[@class='staaf']")) >= 4
    # self-contained: no scripts, nothing loaded from elsewhere
    assert not doc.xpath("//script | //link | //img | //iframe | //@src")
    assert "url(" not in " ".join(doc.xpath("//style/text()"))


def test_batch_does_not_change_or_add_input_files(samples_run):
    assert samples_run.after == samples_run.before


# ---------------------------------------------------------------- broken files, escaping


def _meerwijk_body() -> str:
    return (SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md").read_text(encoding="utf-8").split("\n", 1)[1]


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("gemengd")
    inp = base / "invoer"
    inp.mkdir()
    shutil.copy(SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011-cvdr.xml", inp / "goed.xml")
    evil_title = '=1+1 <script>alert("x")</script> Verordening Meerwijk 2011'
    # the title as the regulation names itself (after the besluit), so the reader keeps it
    body = _meerwijk_body().replace("Verordening maatschappelijke ondersteuning Meerwijk 2011", evil_title)
    (inp / "kwaad<b>.md").write_text(f"# {evil_title}\n{body}", encoding="utf-8")
    (inp / "leeg.txt").write_text("", encoding="utf-8")
    pdf = (SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011-inline.pdf").read_bytes()
    (inp / "afgebroken.pdf").write_bytes(pdf[: len(pdf) // 3])
    (inp / "notities.yaml").write_text("geen: verordening\n", encoding="utf-8")  # not a supported extension
    result = invoke(str(inp), "-o", str(base / "uit"), "--jobs", "2")
    return SimpleNamespace(inp=inp, out=base / "uit", result=result, title=evil_title,
                           rows={r["file"]: r for r in read_csv(base / "uit" / "results.csv")})


def test_a_broken_file_becomes_a_failed_row_and_the_others_succeed(mixed_run):
    rows = mixed_run.rows
    assert set(rows) == {"goed.xml", "kwaad<b>.md", "leeg.txt", "afgebroken.pdf"}  # .yaml is ignored
    assert rows["goed.xml"]["status"] == "ok" and rows["goed.xml"]["verdict"] == "new"
    assert rows["kwaad<b>.md"]["status"] == "ok"
    assert rows["leeg.txt"]["status"] == "fout" and "leeg" in rows["leeg.txt"]["error"]
    assert rows["afgebroken.pdf"]["status"] == "fout" and rows["afgebroken.pdf"]["error"]
    for name in ("leeg.txt", "afgebroken.pdf"):
        assert rows[name]["verdict"] == "" and all(rows[name][e] == "" for e in ELEMENTS)
    assert mixed_run.result.exit_code == 1  # documented: 1 when some files could not be checked
    assert "2 mislukt" in mixed_run.result.output
    failures = tree(mixed_run.out / "index.html").get_element_by_id("fouten").text_content()
    assert "leeg.txt" in failures and "afgebroken.pdf" in failures and "het bestand is leeg" in failures


def test_document_text_and_file_names_are_escaped_everywhere(mixed_run):
    html = (mixed_run.out / "index.html").read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(html)
    assert not doc.xpath("//script | //b")
    assert mixed_run.title in doc.text_content()  # shown literally
    assert "&lt;script&gt;" in html and "kwaad&lt;b&gt;.md" in html
    # the report name is made safe; the per-document report escapes as well
    report = mixed_run.out / unquote(doc.xpath("//table[contains(@class,'documenten')]//a[contains(., 'kwaad')]/@href")[0])
    assert report.is_file() and "<" not in report.name
    assert not tree(report).xpath("//script")
    # a title that starts with "=" is not an Excel formula in the CSV
    assert mixed_run.rows["kwaad<b>.md"]["title"] == "'" + mixed_run.title


# ---------------------------------------------------------------- cache and rerun


def test_rerun_takes_everything_from_the_cache_and_a_changed_file_is_checked_again(tmp_path):
    inp = tmp_path / "invoer"
    inp.mkdir()
    for name in ("meerwijk-2011.md", "meerwijk-2011-cvdr.xml", "meerwijk-2011-lokaleregelgeving.html"):
        shutil.copy(SAMPLES / "rendered" / "meerwijk-2011" / name, inp / name)
    out = inp / "overzicht"  # inside the input directory: batch must skip it when scanning
    first = run_batch([str(inp)], out, jobs=2)
    assert (first.total, first.checked, first.cached, first.failed, first.exit_code) == (3, 3, 0, 0, 0)
    csv_1 = (out / "results.csv").read_bytes()
    index_1 = (out / "index.html").read_bytes()

    second = run_batch([str(inp)], out, jobs=2)
    assert (second.total, second.checked, second.cached) == (3, 0, 3)  # its own output was not scanned
    assert (out / "results.csv").read_bytes() == csv_1
    assert (out / "index.html").read_bytes() == index_1

    md = inp / "meerwijk-2011.md"
    md.write_text(md.read_text(encoding="utf-8").replace("ondersteuning Meerwijk 2011", "ondersteuning Meerwijk 2011 (gewijzigd)"), encoding="utf-8")
    third = run_batch([str(inp)], out, jobs=2)
    assert (third.checked, third.cached) == (1, 2)
    rows = {r["file"]: r for r in read_csv(out / "results.csv")}
    assert "(gewijzigd)" in rows["meerwijk-2011.md"]["title"]
    assert rows["meerwijk-2011.md"]["sha256"] == hashlib.sha256(md.read_bytes()).hexdigest()

    forced = run_batch([str(inp)], out, jobs=2, recheck=True)
    assert (forced.checked, forced.cached) == (3, 0)
    # the cache holds only the current entries: one JSON and one report per file
    assert sorted(p.suffix for p in (out / ".cache").iterdir() if p.suffix in (".html", ".json")) == [".html"] * 3 + [".json"] * 3

    # the output of this batch is never input of another one (other --output, or a pattern)
    files, _root = discover([str(inp)], inp / "ander")
    assert [f.rel for f in files] == sorted(p.name for p in inp.iterdir() if p.is_file())
    files, _root = discover([str(inp / "**" / "*.html")], tmp_path / "elders")
    assert [f.rel for f in files] == ["meerwijk-2011-lokaleregelgeving.html"]


def test_a_timeout_is_a_failed_row_and_is_not_cached(tmp_path):
    inp = tmp_path / "a.xml"
    shutil.copy(SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011-cvdr.xml", inp)
    summary = run_batch([str(inp)], tmp_path / "uit", jobs=1, limits=Limits(max_check_seconds=0.001))
    row = summary.rows[0]
    assert row.status == "fout" and "duurde langer" in row.error and summary.exit_code == 1
    assert not list((tmp_path / "uit" / ".cache").glob("*.json"))


# ---------------------------------------------------------------- interrupted run


def _complete(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        json.loads(text)
        return True
    if path.suffix == ".html":
        return text.rstrip().endswith("</html>")
    return True


def test_an_interrupted_batch_resumes_and_ends_like_an_uninterrupted_one(tmp_path):
    inp = tmp_path / "invoer"
    for sample in ("meerwijk-2011", "westerdijk-2007", "zuiderbroek-2012"):
        shutil.copytree(SAMPLES / "rendered" / sample, inp / sample)
    total = len([p for p in inp.rglob("*") if p.is_file()])
    out = tmp_path / "uit"
    command = [sys.executable, "-m", "verordeningcheck", "batch", str(inp), "-o", str(out), "--jobs", "1"]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own process group: the worker is killed too
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob(".cache/*.json")):
            assert proc.poll() is None, "batch ended before it could be interrupted"
            assert time.monotonic() < deadline, "no cached result after 60 s"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    done = len(list((out / ".cache").glob("*.json")))
    assert 1 <= done < total, (done, total)
    assert not (out / "index.html").exists()
    for path in out.rglob("*"):  # nothing half-written without the .tmp marker
        if path.is_file() and not path.name.endswith(".tmp") and path.name != "lock":
            assert _complete(path), path

    resumed = run_batch([str(inp)], out, jobs=2)
    assert resumed.cached >= done and resumed.checked == total - resumed.cached
    assert not [p for p in out.rglob("*.tmp")]

    reference = run_batch([str(inp)], tmp_path / "referentie", jobs=2)
    assert reference.checked == total
    for name in ("results.csv", "results.json", "index.html"):
        assert (out / name).read_bytes() == (tmp_path / "referentie" / name).read_bytes(), name
    assert digests(out / REPORTS_DIR) == digests(tmp_path / "referentie" / REPORTS_DIR)


# ---------------------------------------------------------------- usage errors


def test_usage_errors_exit_2_with_a_dutch_message(tmp_path):
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "notities.yaml").write_text("a: 1\n", encoding="utf-8")
    result = invoke(str(empty), "-o", str(tmp_path / "uit"))
    assert result.exit_code == 2 and "geen ondersteunde bestanden" in result.output

    result = invoke(str(tmp_path / "*.pdf"), "-o", str(tmp_path / "uit"))
    assert result.exit_code == 2 and "geen ondersteunde bestanden gevonden" in result.output

    result = invoke(str(tmp_path / "bestaat-niet"), "-o", str(tmp_path / "uit"))
    assert result.exit_code == 2 and "niet gevonden" in result.output

    source = tmp_path / "verordening.md"
    shutil.copy(SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011.md", source)
    before = source.read_bytes()
    result = invoke(str(source), "-o", str(source))
    assert result.exit_code == 2 and "mag niet een invoerbestand zijn" in result.output
    result = invoke(str(tmp_path), "-o", str(tmp_path))
    assert result.exit_code == 2 and "ook een invoermap" in result.output
    assert source.read_bytes() == before

    result = invoke(str(source), "-o", str(tmp_path / "uit"), "--jobs", "0")
    assert result.exit_code == 2

    # a settings problem stops the batch before any file (exit 2), not a failed row per file
    result = invoke(str(source), "-o", str(tmp_path / "uit"), env={"VERORDENINGCHECK_MAX_PAGES": "veel"})
    assert result.exit_code == 2 and "VERORDENINGCHECK_MAX_PAGES" in result.output
    assert not (tmp_path / "uit").exists()


def test_discovery_recurses_skips_hidden_and_unsupported_files_and_honours_exclude(tmp_path):
    files, root = discover([str(SAMPLES)], tmp_path / "uit", exclude=["README.md", "heldout/*"])
    rels = [f.rel for f in files]
    assert root == str(SAMPLES)
    assert rels == sorted(rels) and len(rels) == len(set(rels))
    assert not [r for r in rels if r.endswith((".yaml", ".py")) or Path(r).name == "README.md" or r.startswith("heldout/")]
    rendered = sum(1 for p in (SAMPLES / "rendered").rglob("*") if p.is_file() and not p.name.startswith("."))
    assert len([r for r in rels if r.startswith("rendered/")]) == rendered >= 130
    assert "revisions/rendered/westerdijk-2013-concept/westerdijk-2013-concept.md" in rels
    names = [f.report for f in files]
    assert len(set(n.lower() for n in names)) == len(names)  # one distinct report per file
