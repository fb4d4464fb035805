"""Load, validate and merge rule files (rules/ plus optional municipal overrides)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .cache import cache_dir, touch_stamp
from .errors import RulesError
from .resources import rules_dir

# The catalogues (docs/rules.md, "Catalogi"): each is a folder of rule files with a
# catalogue.yaml that names it, its kind and its stable item ids. The bundled ones are the model
# catalogue (rules/elements, VNG 2006/2010 elements) and the law catalogue (rules/wettelijk, what
# the Wmo requires an ordinance to regulate); a municipality's --rules folder can add more.
CATALOGUE_FILE = "catalogue.yaml"
MODEL_CATALOGUE = "model"


def _bundled_catalogue_items(folder: str) -> dict[str, str]:
    path = rules_dir() / folder / CATALOGUE_FILE
    with open(path, "rb") as fh:
        data = yaml.load(fh.read(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(k): str(v) for k, v in (data.get("items") or {}).items()}


# The element ids of the model catalogue (shared/DOMAIN.md) and their model. Rules must use exactly these.
CATALOGUE: dict[str, str] = _bundled_catalogue_items("elements")


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
    catalogue: str = MODEL_CATALOGUE
    # requirement catalogues: "verplicht" | "facultatief" | "verplicht_als" (then ``condition``)
    obligation: str = ""
    condition: str | None = None
    law: dict[str, Any] = field(default_factory=dict)  # article, lid, onderdeel, reference, text

    @property
    def group(self) -> str:
        """The item's group within its catalogue: the model of an element, the law of a requirement."""
        return self.model


@dataclass
class Catalogue:
    """A catalogue of items (elements or requirements), described by its catalogue.yaml."""

    id: str
    kind: str  # "model" (elements that decide the verdict) | "requirements" (present/missing per item)
    title: str
    folder: str
    items: dict[str, str]  # item id -> group (model "2006"/"2010"/"tussen", or law "2007"/"2015")
    description: str = ""
    item_schema: str = "rule-file.schema.json"
    groups: list[dict[str, Any]] = field(default_factory=list)  # requirements: the groups (laws) described
    select: list[dict[str, Any]] = field(default_factory=list)  # requirements: which group applies, in order
    exclude: tuple[tuple[str, ...], ...] = ()  # term groups that exclude a sentence for every rule here
    not_applicable: dict[str, Any] = field(default_factory=dict)  # condition under which nothing applies
    presence_threshold: float | None = None
    # what evidence inside a definitions article counts for, for this catalogue's items, instead
    # of policy.yaml's definition_factor / definition_factor_alone (None: those)
    definition_factor: float | None = None
    file: str = ""

    def group_info(self, group: str | None) -> dict[str, Any]:
        for entry in self.groups:
            if str(entry.get("group")) == str(group):
                return entry
        return {}


@dataclass
class RuleSet:
    elements: dict[str, Element]  # the items of every catalogue, by id
    policy: dict[str, Any]
    markers: dict[str, Any]
    version: str  # content hash of all rule files, for caches and reports
    problems: list[str] = field(default_factory=list)
    catalogues: dict[str, Catalogue] = field(default_factory=dict)

    def items(self, catalogue: str) -> list[Element]:
        """The items of one catalogue, in the catalogue's order."""
        cat = self.catalogues.get(catalogue)
        if cat is None:
            return []
        return [self.elements[i] for i in cat.items if i in self.elements]

    def requirement_catalogues(self) -> list[Catalogue]:
        return [c for c in self.catalogues.values() if c.kind == "requirements"]

    def definition_factors(self) -> dict[str, float]:
        """item id -> the definition factor its catalogue sets (only catalogues that set one)."""
        return {
            item: float(cat.definition_factor)
            for cat in self.catalogues.values() if cat.definition_factor is not None
            for item in cat.items
        }

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

    validator = jsonschema.Draft202012Validator(schema, registry=_schema_registry())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(bestand)"
        problems.append(f"{path}: {where}: {error.message}")
    if stamp is not None and not problems:
        touch_stamp(stamp)
    return problems


@lru_cache(maxsize=1)
def _schema_registry():
    """The bundled schemas by their $id, so that one schema can refer to another's definitions
    (a requirement file's rules are rules as in rule-file.schema.json). Built once: the bundled
    schemas do not change while the program runs, and a Registry is immutable."""
    from referencing import Registry, Resource

    registry = Registry()
    for path in sorted((rules_dir() / "schema").glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(contents.get("$id", path.name), Resource.from_contents(contents))
    return registry


def _validation_stamp(schema: dict, raw: bytes) -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    key = hashlib.sha256(json.dumps(schema, sort_keys=True).encode("utf-8") + b"\0" + raw).hexdigest()
    return base / "valid-rules" / key


_SPECIAL_FILES = ("policy.yaml", "markers.yaml", CATALOGUE_FILE)


def load_ruleset(extra_dirs: list[Path] | None = None, *, strict: bool = True) -> RuleSet:
    """Load the bundled rules, then each extra directory (overrides by rule id).

    Every directory may hold catalogue folders (a folder with a ``catalogue.yaml``, or named
    like a catalogue folder already known: ``elements/`` is the model catalogue, ``wettelijk/``
    the law catalogue) and, for a municipality's own folder, element files at its top.
    With ``strict`` any problem raises :class:`RulesError`; otherwise problems are
    collected in ``RuleSet.problems`` (used by ``rules lint``).
    """
    base = rules_dir()
    dirs = [base] + [Path(d) for d in (extra_dirs or [])]
    schemas: dict[str, dict] = {}
    policy_schema = _schema("policy.schema.json")
    catalogue_schema = _schema("catalogue.schema.json")
    problems: list[str] = []
    elements: dict[str, Element] = {}
    catalogues: dict[str, Catalogue] = {}
    rule_origin: dict[str, str] = {}
    digest = hashlib.sha256()
    policy: dict[str, Any] = {}
    markers: dict[str, Any] = {}

    def schema_for(name: str) -> dict | None:
        if name not in schemas:
            try:
                schemas[name] = _schema(name)
            except OSError:
                return None
        return schemas[name]

    for index, directory in enumerate(dirs):
        if not directory.is_dir():
            problems.append(f"{directory}: map met regels niet gevonden")
            continue
        # (catalogue id or None = decide per file, path) for every item file of this directory
        item_files: list[tuple[str | None, Path]] = []
        folders = sorted(p for p in directory.iterdir() if p.is_dir() and p.name != "schema")
        for folder in folders:
            cat_id = None
            cat_path = folder / CATALOGUE_FILE
            if cat_path.is_file():
                data, raw = _read_yaml(cat_path)
                digest.update(raw)
                cat_problems = validate_file(cat_path, data, catalogue_schema, raw)
                problems.extend(cat_problems)
                if cat_problems or not isinstance(data, dict):
                    continue
                cat_id = _merge_catalogue(catalogues, data, folder, cat_path, problems)
                markers = _deep_merge(markers, data.get("markers") or {})
            else:
                cat_id = next((c.id for c in catalogues.values() if c.folder == folder.name), None)
            if cat_id is None:
                continue
            item_files += [(cat_id, p) for p in sorted(folder.glob("*.yaml")) if p.name != CATALOGUE_FILE]
        if index > 0:
            item_files += [(None, p) for p in sorted(directory.glob("*.yaml")) if p.name not in _SPECIAL_FILES]
        if index > 0 and not item_files and not any((directory / n).is_file() for n in ("policy.yaml", "markers.yaml")):
            problems.append(
                f"{directory}: de map bevat geen regelbestanden (*.yaml, elements/*.yaml, policy.yaml of "
                "markers.yaml); is het de goede map?"
            )
            continue
        seen_in_dir: dict[str, str] = {}
        for cat_id, path in item_files:
            data, raw = _read_yaml(path)
            digest.update(raw)
            if cat_id is None:  # a file at the top of a municipal folder: its id says where it belongs
                key = data.get("element", data.get("id")) if isinstance(data, dict) else None
                found = next((c for c in catalogues.values() if key in c.items), None)
                cat_id = found.id if found is not None else MODEL_CATALOGUE
            catalogue = catalogues.get(cat_id)
            if catalogue is None:
                problems.append(f"{path}: catalogus '{cat_id}' is niet beschreven (catalogue.yaml ontbreekt)")
                continue
            schema = schema_for(catalogue.item_schema)
            if schema is None:
                problems.append(f"{path}: onbekend schema '{catalogue.item_schema}' in catalogus '{cat_id}'")
                continue
            file_problems = validate_file(path, data, schema, raw)
            problems.extend(file_problems)
            if file_problems or not isinstance(data, dict):
                continue
            element_id = data.get("element", data.get("id"))
            group = str(data.get("model", data.get("wet", "")))
            if element_id not in catalogue.items:
                what = "de elementencatalogus" if catalogue.kind == "model" else f"catalogus '{catalogue.id}'"
                problems.append(f"{path}: onbekend element-id '{element_id}' (niet in {what})")
                continue
            if group != catalogue.items[element_id]:
                problems.append(
                    f"{path}: element '{element_id}' hoort bij {'model' if catalogue.kind == 'model' else 'groep'} "
                    f"{catalogue.items[element_id]}, niet {group}"
                )
            element = elements.get(element_id)
            if element is None:
                element = Element(id=element_id, model=group, title=data["title"], file=str(path), catalogue=cat_id)
                elements[element_id] = element
            element.title = data.get("title", element.title)
            element.description = data.get("description", element.description)
            element.source = data.get("source", element.source)
            if "reference" in data:
                element.reference_label = data["reference"]["label"]
                element.reference_text = " ".join(data["reference"]["text"].split())
            if "obligation" in data:
                obligation = data["obligation"]
                if isinstance(obligation, dict):
                    element.obligation, element.condition = "verplicht_als", obligation["verplicht_als"]
                else:
                    element.obligation, element.condition = obligation, None
            if "law" in data:
                law = dict(data["law"])
                law["text"] = " ".join(str(law.get("text", "")).split())
                element.law = law
                element.reference_label = element.reference_label or law.get("reference", "")
                element.reference_text = element.reference_text or law["text"]
            for raw_rule in data.get("rules", []):
                rule = _make_rule(raw_rule, element_id, data, path, problems, catalogue.exclude)
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
        for name in ("policy.yaml", "markers.yaml"):
            path = directory / name
            if path.is_file():
                data, raw = _read_yaml(path)
                digest.update(raw)
                if name == "policy.yaml":
                    problems.extend(validate_file(path, data, policy_schema, raw))
                    policy = _deep_merge(policy, data or {})
                else:
                    markers = _deep_merge(markers, data or {})

    for catalogue in catalogues.values():
        for element_id in catalogue.items:
            if element_id not in elements or not elements[element_id].rules:
                problems.append(f"element '{element_id}' heeft geen regels")
        for element_id in catalogue.items:
            element = elements.get(element_id)
            if element is not None and element.condition and element.condition not in catalogue.items:
                problems.append(
                    f"{element.file}: verplicht_als '{element.condition}' staat niet in catalogus '{catalogue.id}'"
                )
    if MODEL_CATALOGUE not in catalogues:
        problems.append(f"de modelcatalogus ontbreekt (elements/{CATALOGUE_FILE})")
    if not policy:
        problems.append("policy.yaml ontbreekt")
    if strict and problems:
        raise RulesError("de regelset is ongeldig:\n  " + "\n  ".join(problems))
    return RuleSet(elements, policy, markers, digest.hexdigest()[:12], problems, catalogues)


def _merge_catalogue(catalogues: dict[str, Catalogue], data: dict, folder: Path, path: Path, problems: list[str]) -> str:
    """Add the catalogue described by ``data`` (a catalogue.yaml), or extend one of the same id."""
    cat_id = data["catalogue"]
    items = {str(k): str(v) for k, v in (data.get("items") or {}).items()}
    existing = catalogues.get(cat_id)
    if existing is None:
        catalogues[cat_id] = Catalogue(
            id=cat_id,
            kind=data["kind"],
            title=data["title"],
            folder=folder.name,
            items=items,
            description=" ".join(str(data.get("description", "")).split()),
            item_schema=data.get("item_schema", "rule-file.schema.json"),
            groups=list(data.get("groups") or []),
            select=list(data.get("select") or []),
            exclude=_groups(data.get("exclude") or []),
            not_applicable=dict(data.get("not_applicable") or {}),
            presence_threshold=data.get("presence_threshold"),
            definition_factor=data.get("definition_factor"),
            file=str(path),
        )
        return cat_id
    if data["kind"] != existing.kind:
        problems.append(f"{path}: catalogus '{cat_id}' is van soort {existing.kind}, niet {data['kind']}")
    existing.items.update(items)  # a municipality may add items to a catalogue
    existing.title = data.get("title", existing.title)
    if "description" in data:
        existing.description = " ".join(str(data["description"]).split())
    if "groups" in data:
        existing.groups = list(data["groups"])
    if "select" in data:
        existing.select = list(data["select"])
    if "exclude" in data:
        existing.exclude = _groups(data["exclude"])
    if "not_applicable" in data:
        existing.not_applicable = dict(data["not_applicable"])
    if "definition_factor" in data:
        existing.definition_factor = data["definition_factor"]
    return cat_id


def _groups(raw: list) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(t.strip() for t in g if t.strip()) for g in raw if any(t.strip() for t in g))


def _make_rule(
    raw: dict, element_id: str, data: dict, path: Path, problems: list[str], exclude: tuple = ()
) -> Rule | None:
    patterns = []
    for i, p in enumerate(raw["patterns"]):
        groups = tuple(tuple(t.strip() for t in g if t.strip()) for g in p["all"])
        if any(not g for g in groups):
            problems.append(f"{path}: regel '{raw['id']}': patroon {i + 1} heeft een lege groep")
            return None
        none = tuple(tuple(t.strip() for t in g if t.strip()) for g in p.get("none", [])) + tuple(exclude)
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
