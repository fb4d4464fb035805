"""The rule set: schema, catalogue coverage, and every rule's own examples."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from verordeningcheck.analyse import match_sentence
from verordeningcheck.cli import main
from verordeningcheck.resources import rules_dir
from verordeningcheck.ruleset import CATALOGUE, load_ruleset


def test_lint_passes():
    result = CliRunner().invoke(main, ["rules", "lint"])
    assert result.exit_code == 0, result.output
    assert "Regelset in orde" in result.output


def test_every_catalogue_element_has_rules_with_examples(ruleset):
    assert set(ruleset.catalogues["model"].items) == set(CATALOGUE)
    assert set(ruleset.elements) == {i for c in ruleset.catalogues.values() for i in c.items}
    for element in ruleset.elements.values():
        assert element.rules, element.id
        assert element.reference_text, f"{element.id} has no reference clause"
        for rule in element.rules:
            assert rule.positive and rule.negative, rule.id


def _rule_cases():
    ruleset = load_ruleset()
    for rule in ruleset.rules:
        for sentence in rule.positive:
            yield pytest.param(rule, sentence, True, id=f"{rule.id}+")
        for sentence in rule.negative:
            yield pytest.param(rule, sentence, False, id=f"{rule.id}-")


@pytest.mark.parametrize("rule,sentence,expected", list(_rule_cases()))
def test_rule_examples(rule, sentence, expected):
    matched, negated = match_sentence(sentence, rule)
    assert (matched and not negated) == expected, sentence


def test_rules_test_command_passes():
    result = CliRunner().invoke(main, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert " voorbeelden goed, 0 fout" in result.output


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "regels"
    shutil.copytree(rules_dir(), target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


def test_broken_example_makes_rules_test_fail(tmp_path):
    extra = tmp_path / "extra" / "elements"
    extra.mkdir(parents=True)
    base = yaml.safe_load((rules_dir() / "elements" / "melding.yaml").read_text(encoding="utf-8"))
    rule = dict(base["rules"][0])
    rule["examples"] = {
        "positive": ["De gemeente plant bomen langs de Dorpsstraat."],  # cannot match a melding rule
        "negative": list(base["rules"][0]["examples"]["negative"]),
    }
    override = {k: base[k] for k in ("element", "model", "title", "source")}
    override["rules"] = [rule]
    (extra / "melding.yaml").write_text(yaml.safe_dump(override, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", "--rules", str(extra.parent)])
    assert result.exit_code == 1
    assert "MIS" in result.output and rule["id"] in result.output


def test_lint_reports_unknown_id_duplicate_and_empty_pattern(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    bad = {
        "element": "keukentafel", "model": "2010", "title": "Onbekend", "source": "test",
        "rules": [
            {"id": "keukentafel.a", "title": "a", "weight": 1, "patterns": [{"all": [["gesprek"]]}],
             "examples": {"positive": ["x"], "negative": ["y"]}},
        ],
    }
    dup = {
        "element": "melding", "model": "2010", "title": "Melding", "source": "test",
        "rules": [
            {"id": "melding.dubbel", "title": "a", "weight": 1, "patterns": [{"all": [["melding"]]}],
             "examples": {"positive": ["x"], "negative": ["y"]}},
            {"id": "melding.dubbel", "title": "b", "weight": 1, "patterns": [{"all": [["aanmelding"]]}],
             "examples": {"positive": ["x"], "negative": ["y"]}},
        ],
    }
    empty = {
        "element": "gesprek", "model": "2010", "title": "Gesprek", "source": "test",
        "rules": [
            {"id": "gesprek.leeg", "title": "a", "weight": 1, "patterns": [{"all": [[" "]]}],
             "examples": {"positive": ["x"], "negative": ["y"]}},
        ],
    }
    (extra / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    (extra / "empty.yaml").write_text(yaml.safe_dump(empty), encoding="utf-8")
    (extra / "dup.yaml").write_text(yaml.safe_dump(dup), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "lint", "--rules", str(extra)])
    assert result.exit_code == 1
    assert "onbekend element-id 'keukentafel'" in result.output
    assert "dubbele regel-id 'melding.dubbel'" in result.output
    assert "does not match" in result.output or "lege groep" in result.output


def test_schema_validation_is_remembered_only_for_files_that_passed(tmp_path, monkeypatch):
    """Cold start: a rule file that passed the schema is not validated again (stamp in the
    cache, named by the hash of schema and file); a failing file is validated every time."""
    import jsonschema

    cache = tmp_path / "cache"
    monkeypatch.setenv("VERORDENINGCHECK_CACHE_DIR", str(cache))
    extra = tmp_path / "extra"
    extra.mkdir()
    bad = {"element": "melding", "model": "2010", "title": "Melding", "rules": "geen lijst"}
    (extra / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")

    first = load_ruleset([extra], strict=False)
    stamps = sorted((cache / "valid-rules").iterdir())
    bundled = len(list(rules_dir().glob("*/*.yaml"))) + 1  # every catalogue's files + policy.yaml
    assert len(stamps) == bundled  # not the bad file

    calls = []
    real = jsonschema.Draft202012Validator.iter_errors
    monkeypatch.setattr(jsonschema.Draft202012Validator, "iter_errors",
                        lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    second = load_ruleset([extra], strict=False)
    assert len(calls) == 1  # only the bad file
    assert second.problems == first.problems and any("bad.yaml" in p for p in second.problems)
    assert second.version == first.version

    monkeypatch.setenv("VERORDENINGCHECK_CACHE_DIR", "off")
    calls.clear()
    load_ruleset([extra], strict=False)
    assert len(calls) >= bundled + 1  # (a $ref into another schema may validate in a nested call)
