"""Real published ordinances (samples/real/): provenance, loading, and the eval command on them.

The labels themselves are NOT asserted here; docs/evaluation.md ("Current numbers") records what
the checker reaches. What is asserted: every file is
what SOURCES.yaml says it is, every label is well-formed, every file loads or stops with the
documented Dutch error, and `eval` reports every measure. The evaluation mechanism itself is
tested on made-up results so that it can fail.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner

from verordeningcheck.cli import main
from verordeningcheck.errors import EmptyDocument, InputError
from verordeningcheck.evaluate import MEASURES, evaluate_manifest, render_table
from verordeningcheck.load import load
from verordeningcheck.ruleset import CATALOGUE

from conftest import SAMPLES, checked

REAL = SAMPLES / "real"
LABELS = REAL / "labels.yaml"
NOT_DOCUMENTS = {"README.md", "SOURCES.yaml", "labels.yaml"}


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


SOURCES = _yaml(REAL / "SOURCES.yaml")["documents"]
DOCS = _yaml(LABELS)["documents"]
FILES = sorted(p for p in REAL.iterdir() if p.is_file() and p.name not in NOT_DOCUMENTS)


def test_the_set_has_at_least_fifteen_documents_each_with_sources_and_labels():
    assert len(FILES) >= 15
    assert sorted(s["file"] for s in SOURCES) == [p.name for p in FILES]
    assert sorted(d["file"] for d in DOCS) == [p.name for p in FILES]
    assert [s["id"] for s in SOURCES] == [d["id"] for d in DOCS]
    assert all(Path(d["file"]).stem == d["id"] for d in DOCS)


@pytest.mark.parametrize("source", SOURCES, ids=[s["id"] for s in SOURCES])
def test_sources_entry_matches_the_file_byte_for_byte(source):
    data = (REAL / source["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"]
    assert len(data) == source["bytes"]
    assert source["source"].get("url") or {"repository", "path", "commit"} <= set(source["source"])
    assert source["retrieved"] and source["what"] and isinstance(source["complete"], bool)
    name = source["file"]
    assert name == name.lower() and name.isascii() and " " not in name


KINDS = {"wmo", "sociaal_domein", "not_wmo", "amendment"}
VERDICTS = {"old", "new", "tussenvorm", "not_wmo", "amendment", None}


@pytest.mark.parametrize("label", DOCS, ids=[d["id"] for d in DOCS])
def test_label_is_well_formed(label):
    assert isinstance(label["title"], str) and label["title"].strip()
    assert label["gemeente"] is None or label["gemeente"].strip()
    assert label["kind"] in KINDS
    assert label["wet"] in ("2007", "2015", None)
    assert label["generation"] in ("vng2006", "vng2010", "wmo2015", None)
    assert label["verdict"] in VERDICTS
    assert label["lean"] in ("old", "new", None) and (label["lean"] is None or label["verdict"] == "tussenvorm")
    assert all(isinstance(n, str) for n in label["articles"])
    assert isinstance(label["complete"], bool) and label["notes"].strip()
    for key in ("present", "absent"):
        assert set(label.get(key) or []) <= set(CATALOGUE), key
    assert not set(label.get("present") or []) & set(label.get("absent") or [])
    if label.get("load_error"):
        assert label["articles"] == [], "a documented refusal is only right when no article is visible"
        assert label["load_error"] == "EmptyDocument"
    source = next(s for s in SOURCES if s["id"] == label["id"])
    assert source["complete"] == label["complete"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_file_loads_or_stops_with_the_documented_dutch_error(path):
    try:
        document = load(path)
    except InputError as exc:
        # The documented refusal (docs/limits.md): a Dutch message that names the file.
        message = exc.user_message()
        assert str(path) in message
        assert isinstance(exc, EmptyDocument) and "geen artikelen gevonden" in message, message
        return
    assert document.articles, "a loaded document has at least one article"
    result = checked(path)  # the whole pipeline runs on the real text without a traceback
    assert result.verdict.verdict in VERDICTS - {None}


@pytest.fixture(scope="module")
def real_eval():
    result = CliRunner().invoke(main, ["eval", str(LABELS), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return json.loads(result.output)


def test_eval_on_the_real_set_reports_every_measure(real_eval):
    assert real_eval["documents"] == len(DOCS)
    assert set(real_eval["measures"]) == set(MEASURES)
    for key, m in real_eval["measures"].items():
        labelled = [d for d in DOCS if (key in d if key in ("title", "gemeente", "articles") else d.get(key))]
        assert 0 < m["total"] <= len(labelled), key
        assert 0 <= m["right"] <= m["total"]
    assert real_eval["verdicts"]["total"] >= 1
    assert 0.0 <= real_eval["element_precision"] <= 1.0 and 0.0 <= real_eval["element_recall"] <= 1.0
    assert len(real_eval["rows"]) == len(DOCS)


def test_eval_table_on_the_real_set_names_each_measure_in_dutch():
    result = CliRunner().invoke(main, ["eval", str(LABELS)])
    for label in ["Oordeel juist", *MEASURES.values(), "Elementen", "Verwarringsmatrix"]:
        assert label in result.output, label


# ---------------------------------------------------------------- the mechanism, on made-up results


def _result(title="", gemeente=None, articles=("1",), verdict="new", lean=None, generation=None, present=(), kind=None):
    verdict_ns = SimpleNamespace(verdict=verdict, lean=lean, generation=generation, present_ids=lambda: set(present),
                                 confidence=0.9)
    if kind is not None:
        verdict_ns.kind = kind
    document = SimpleNamespace(title=title, gemeente=gemeente, articles=[SimpleNamespace(number=n) for n in articles])
    return SimpleNamespace(document=document, verdict=verdict_ns)


LABELS_TEXT = """
documents:
  - id: a
    file: a.txt
    title: Verordening  Proefzorg Oostermeer 2013
    gemeente: Oostermeer aan Zee
    kind: wmo
    generation: vng2010
    articles: ["1", "2a"]
    verdict: new
    lean: null
    present: [melding]
    absent: [aanvraag_startpunt]
  - id: b
    file: b.txt
    title: Jeugdregeling Westervoort-Noord
    title_alternatives: [Regeling jeugdhulp Westervoort-Noord]
    gemeente: null
    kind: not_wmo
    generation: null
    articles: ["I"]
    verdict: null
    lean: null
  - id: c
    file: c.txt
    title: Verordening zonder artikelen
    gemeente: Zuidplas
    kind: wmo
    articles: []
    verdict: new
    lean: null
    load_error: EmptyDocument
  - id: d
    file: d.txt
    title: Verordening die niet te lezen is
    gemeente: Zuidplas
    kind: sociaal_domein
    articles: ["1"]
    verdict: old
    lean: null
"""


def _evaluate(tmp_path, results):
    manifest = tmp_path / "labels.yaml"
    manifest.write_text(LABELS_TEXT, encoding="utf-8")

    def check_file(path):
        outcome = results[path.name]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return evaluate_manifest(manifest, check_file=check_file)


def test_eval_counts_each_labelled_measure_and_only_those(tmp_path):
    report = _evaluate(tmp_path, {
        # title differs only in case and whitespace; gemeente cut to its first word; articles right;
        # element outside present/absent (gesprek) is not judged
        "a.txt": _result("verordening proefzorg\nOostermeer 2013", "Oostermeer", ["1", "2a"], "new",
                         generation="vng2010", present={"melding", "gesprek"}),
        # the alternative title is accepted; no gemeente expected and none found; kind derived from not_wmo
        "b.txt": _result("Regeling jeugdhulp Westervoort-Noord", None, ["I"], "not_wmo"),
        "c.txt": EmptyDocument("er zijn geen artikelen gevonden.", "c.txt"),
        "d.txt": InputError("het bestand kan niet worden gelezen.", "d.txt"),
    })
    m = report["measures"]
    assert m["title"] == {"right": 2, "total": 3}      # c's expected refusal judges only its articles
    assert m["gemeente"] == {"right": 1, "total": 3}
    assert m["articles"] == {"right": 3, "total": 4}   # c: [] expected and refused, d: unreadable
    assert m["kind"] == {"right": 2, "total": 3}       # d's unexpected refusal misses its labelled kind
    assert m["generation"] == {"right": 1, "total": 1}  # null generation is not judged
    assert report["verdicts"] == {"right": 1, "total": 2}  # b has no verdict label; c refused as expected
    assert report["element_precision"] == 1.0 and report["element_recall"] == 1.0
    assert report["per_element"]["gesprek"]["fp"] == 0
    table = render_table(report)
    assert "gemeente: verwacht 'Oostermeer aan Zee', gevonden 'Oostermeer'" in table
    assert "d.txt: d.txt: het bestand kan niet worden gelezen." in table
    assert "Verwachte foutmelding" in table and "c.txt: er zijn geen artikelen gevonden." in table
    assert "Titel juist:     66.7% (2/3)" in table


def test_eval_uses_the_kind_the_checker_reports_when_it_has_one(tmp_path):
    results = {
        "a.txt": _result("Verordening Proefzorg Oostermeer 2013", "Oostermeer aan Zee", ["1", "2a"], kind="sociaal_domein"),
        "b.txt": _result("Jeugdregeling Westervoort-Noord", "Westervoort", ["I"], "not_wmo", kind="not_wmo"),
        "c.txt": _result("Verordening zonder artikelen", "Zuidplas", ["1"]),
        "d.txt": _result("Verordening die niet te lezen is", "Zuidplas", ["1"], "old", kind="sociaal_domein"),
    }
    report = _evaluate(tmp_path, results)
    assert report["measures"]["kind"] == {"right": 3, "total": 4}  # a wrong (reported), c derived wmo right
    assert report["measures"]["gemeente"] == {"right": 3, "total": 4}  # b: none expected, one found
    assert report["measures"]["articles"] == {"right": 3, "total": 4}  # c: no article expected, one found
    rows = {r["id"]: r for r in report["rows"]}
    assert "soort: verwacht wmo, gevonden sociaal_domein" in rows["a"]["failures"]
