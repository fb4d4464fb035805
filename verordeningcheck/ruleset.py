"""Load, validate and merge rule files (rules/ plus optional municipal overrides)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .cache import cache_dir, touch_stamp
from .errors import RulesError
from .resources import rules_dir

# The catalogue of element ids (shared/DOMAIN.md). Rules must use exactly these.
CATALOGUE: dict[str, str] = {
    "melding": "2010",
    "gesprek": "2010",
    "gesprek_situaties": "2010",
    "acht_resultaten": "2010",
    "eigen_kracht": "2010",
    "mantelzorg": "2010",
    "wederkerigheid": "2010",
    "verslag": "2010",
    "verslag_als_aanvraag": "2010",
    "scheiding_functies": "2010",
    "brede_beoordeling": "2010",
    "verantwoordelijkheidsladder": "2010",
    "huisbezoek": "2010",
    "lijst_onderwerpen": "2010",
    "sociale_kaart": "2010",
    "icf_facultatief": "2010",
    "aanvraag_startpunt": "2006",
    "samenhangende_afstemming": "2006",
    "primaat_collectief": "2006",
    "primaat_verhuizing": "2006",
    "vier_domeinen": "2006",
    "icf_verplicht": "2006",
    "hulpvraag_inventarisatie": "tussen",
}


@dataclass(frozen=True)
class Pattern:
    all: tuple[tuple[str, ...], ...]
    none: tuple[tuple[str, ...], ...] = ()
    window: int | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    element: str
    title: str
    weight: float
    patterns: tuple[Pattern, ...]
    negation: str = "exclude"
    scope: str = "regeling"
    source: str = ""
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    file: str = ""


@dataclass
class Element:
    id: str
    model: str
    title: str
    description: str = ""
    source: str = ""
    reference_label: str = ""
    reference_text: str = ""
    rules: list[Rule] = field(default_factory=list)
    file: str = ""


@dataclass
class RuleSet:
    elements: dict[str, Element]
    policy: dict[str, Any]
    markers: dict[str, Any]
    version: str  # content hash of all rule files, for caches and reports
    problems: list[str] = field(default_factory=list)

    @property
    def rules(self) -> list[Rule]:
        return [rule for element in self.elements.values() for rule in element.rules]


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # ~10x faster rule loading at start-up


def _read_yaml(path: Path) -> tuple[Any, bytes]:
    """The parsed file and its bytes (read once: the bytes also go into the rule-set version
    and the validation stamp)."""
    try:
        raw = path.read_bytes()
        return yaml.load(raw, Loader=_YAML_LOADER), raw  # safe loader; the C one when libyaml is present
    except yaml.YAMLError as exc:
        raise RulesError(f"ongeldige YAML: {exc}", str(path)) from None
    except OSError as exc:
        raise RulesError(f"kan regelbestand niet lezen: {exc}", str(path)) from None


def _schema(name: str) -> dict:
    with open(rules_dir() / "schema" / name, encoding="utf-8") as fh:
        return json.load(fh)


def validate_file(path: Path, data: Any, schema: dict, raw: bytes | None = None) -> list[str]:
    """Schema problems of one rule file (Dutch-prefixed, one line each).

    With ``raw`` (the file's bytes), a file that passed with this very schema before is not
    validated again: a stamp named by the hash of schema and bytes is kept in the user cache
    (``cache.cache_dir``). Validating the 24 bundled files cost a cold start about 0.2 s.
    """
    stamp = _validation_stamp(schema, raw) if raw is not None else None
    if stamp is not None and stamp.exists():
        return []
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(bestand)"
        problems.append(f"{path}: {where}: {error.message}")
    if stamp is not None and not problems:
        touch_stamp(stamp)
    return problems


def _validation_stamp(schema: dict, raw: bytes) -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    key = hashlib.sha256(json.dumps(schema, sort_keys=True).encode("utf-8") + b"\0" + raw).hexdigest()
    return base / "valid-rules" / key


def load_ruleset(extra_dirs: list[Path] | None = None, *, strict: bool = True) -> RuleSet:
    """Load the bundled rules, then each extra directory (overrides by rule id).

    With ``strict`` any problem raises :class:`RulesError`; otherwise problems are
    collected in ``RuleSet.problems`` (used by ``rules lint``).
    """
    base = rules_dir()
    dirs = [base] + [Path(d) for d in (extra_dirs or [])]
    schema = _schema("rule-file.schema.json")
    policy_schema = _schema("policy.schema.json")
    problems: list[str] = []
    elements: dict[str, Element] = {}
    rule_origin: dict[str, str] = {}
    digest = hashlib.sha256()
    policy: dict[str, Any] = {}
    markers: dict[str, Any] = {}

    for index, directory in enumerate(dirs):
        if not directory.is_dir():
            problems.append(f"{directory}: map met regels niet gevonden")
            continue
        element_files = sorted((directory / "elements").glob("*.yaml")) if (directory / "elements").is_dir() else []
        element_files += sorted(p for p in directory.glob("*.yaml") if p.name not in ("policy.yaml", "markers.yaml"))
        if index > 0 and not element_files and not any((directory / n).is_file() for n in ("policy.yaml", "markers.yaml")):
            problems.append(
                f"{directory}: de map bevat geen regelbestanden (*.yaml, elements/*.yaml, policy.yaml of "
                "markers.yaml); is het de goede map?"
            )
            continue
        seen_in_dir: dict[str, str] = {}
        for path in element_files:
            data, raw = _read_yaml(path)
            digest.update(raw)
            file_problems = validate_file(path, data, schema, raw)
            problems.extend(file_problems)
            if file_problems or not isinstance(data, dict):
                continue
            element_id = data["element"]
            if element_id not in CATALOGUE:
                problems.append(f"{path}: onbekend element-id '{element_id}' (niet in de elementencatalogus)")
                continue
            if data["model"] != CATALOGUE[element_id]:
                problems.append(
                    f"{path}: element '{element_id}' hoort bij model {CATALOGUE[element_id]}, niet {data['model']}"
                )
            element = elements.get(element_id)
            if element is None:
                element = Element(id=element_id, model=data["model"], title=data["title"], file=str(path))
                elements[element_id] = element
            element.title = data.get("title", element.title)
            element.description = data.get("description", element.description)
            element.source = data.get("source", element.source)
            if "reference" in data:
                element.reference_label = data["reference"]["label"]
                element.reference_text = " ".join(data["reference"]["text"].split())
            for raw in data.get("rules", []):
                rule = _make_rule(raw, element_id, data, path, problems)
                if rule is None:
                    continue
                if rule.id in seen_in_dir:
                    problems.append(f"{path}: dubbele regel-id '{rule.id}' (ook in {seen_in_dir[rule.id]})")
                    continue
                seen_in_dir[rule.id] = str(path)
                if not rule.id.startswith(element_id + "."):
                    problems.append(f"{path}: regel-id '{rule.id}' moet beginnen met '{element_id}.'")
                if rule.id in rule_origin and index == 0:
                    problems.append(f"{path}: dubbele regel-id '{rule.id}' (ook in {rule_origin[rule.id]})")
                    continue
                # an override (later directory) replaces the rule with the same id wherever it was
                for other in elements.values():
                    other.rules = [r for r in other.rules if r.id != rule.id]
                element.rules.append(rule)
                rule_origin[rule.id] = str(path)
        for name, target in (("policy.yaml", "policy"), ("markers.yaml", "markers")):
            path = directory / name
            if path.is_file():
                data, raw = _read_yaml(path)
                digest.update(raw)
                if name == "policy.yaml":
                    problems.extend(validate_file(path, data, policy_schema, raw))
                    policy = _deep_merge(policy, data or {})
                else:
                    markers = _deep_merge(markers, data or {})

    for element_id in CATALOGUE:
        if element_id not in elements or not elements[element_id].rules:
            problems.append(f"element '{element_id}' heeft geen regels")
    if not policy:
        problems.append("policy.yaml ontbreekt")
    if strict and problems:
        raise RulesError("de regelset is ongeldig:\n  " + "\n  ".join(problems))
    return RuleSet(elements, policy, markers, digest.hexdigest()[:12], problems)


def _make_rule(raw: dict, element_id: str, data: dict, path: Path, problems: list[str]) -> Rule | None:
    patterns = []
    for i, p in enumerate(raw["patterns"]):
        groups = tuple(tuple(t.strip() for t in g if t.strip()) for g in p["all"])
        if any(not g for g in groups):
            problems.append(f"{path}: regel '{raw['id']}': patroon {i + 1} heeft een lege groep")
            return None
        none = tuple(tuple(t.strip() for t in g if t.strip()) for g in p.get("none", []))
        patterns.append(Pattern(groups, none, p.get("window")))
    examples = raw.get("examples", {})
    return Rule(
        id=raw["id"],
        element=element_id,
        title=raw["title"],
        weight=float(raw["weight"]),
        patterns=tuple(patterns),
        negation=raw.get("negation", "exclude"),
        scope=raw.get("scope", "regeling"),
        source=raw.get("source", data.get("source", "")),
        positive=tuple(examples.get("positive", [])),
        negative=tuple(examples.get("negative", [])),
        file=str(path),
    )


def _deep_merge(base: dict, override: dict) -> dict:
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _deep_merge(result[key], value)
        else:
            result[key] = value
    return result
