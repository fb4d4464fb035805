"""CI output for ``verordeningcheck check``: policy (exit codes), SARIF, JUnit, GitHub, compact terminal.

Everything here reads finished :class:`~verordeningcheck.pipeline.CheckResult` objects (or the
input error of a file that could not be read); nothing re-reads the original files.

Policy (``--fail-on`` and ``--require``):

* ``--fail-on none`` (default): the verdict never fails the policy;
* ``--fail-on old``: a file whose verdict is ``old`` fails;
* ``--fail-on tussenvorm``: a file whose verdict is ``old`` or ``tussenvorm`` fails;
* ``--require ID``: a Wmo ordinance (verdict old, tussenvorm or new) in which element ID is
  not present fails; ID may also be a requirement of a requirement catalogue (e.g.
  ``wmo15_mantelzorgwaardering``), which fails when it is missing under the law that applies;
* ``--fail-on CATALOGUE`` (e.g. ``--fail-on wettelijk``, repeatable with a verdict value): a file
  in which a mandatory requirement of that catalogue is missing fails. A requirement recorded
  as an exception in ``.verordeningcheck.yaml`` is not missing.

Missing mandatory requirements are always findings (with the law reference): errors when the
policy fails on them, warnings otherwise.

A document that is no Wmo ordinance (``not_wmo``) or is an amending ordinance (``amendment``)
never fails the policy; required elements are reported as not applicable for it.

Exit codes: 0 clean, 1 policy failed, 2 input or usage error (an input error wins over a
policy failure: the run is incomplete).
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote
from xml.etree import ElementTree as ET

from . import __version__
from .errors import InputError, VerordeningcheckError

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".xml", ".html", ".htm", ".md", ".markdown", ".txt")
WMO_VERDICTS = ("old", "tussenvorm", "new")
FORMATS_WITH_LINES = ("text", "markdown", "html")  # location.line is a line of the file itself

VERDICT_RULE = "verdict"
INPUT_RULE = "invoerfout"

EXIT_OK = 0
EXIT_POLICY = 1
EXIT_INPUT = 2

from . import labels  # noqa: E402
from .labels import VERDICT_NL  # noqa: E402

VERDICT_SHORT_NL = {"old": "oud", "new": "nieuw", "tussenvorm": "tussenvorm", "not_wmo": "geen Wmo", "amendment": "wijziging"}
MODEL_NL = {"2006": "model 2006", "2010": "model 2010", "tussen": "tussenvorm"}

# Where a failing verdict is anchored (the first present element with evidence).
_VERDICT_ANCHORS = {
    "old": ("aanvraag_startpunt", "samenhangende_afstemming", "primaat_collectief", "vier_domeinen", "icf_verplicht"),
    "tussenvorm": ("hulpvraag_inventarisatie", "melding", "gesprek", "aanvraag_startpunt"),
}


# ---------------------------------------------------------------- policy


@dataclass(frozen=True)
class Policy:
    fail_on: str = "none"
    require: tuple[str, ...] = ()
    fail_catalogues: tuple[str, ...] = ()  # requirement catalogues whose missing mandatory items fail

    def requirement_fails(self, requirement) -> bool:
        return requirement.catalogue in self.fail_catalogues or requirement.id in self.require

    def verdict_fails(self, verdict: str) -> bool:
        if self.fail_on == "old":
            return verdict == "old"
        if self.fail_on == "tussenvorm":
            return verdict in ("old", "tussenvorm")
        return False

    @property
    def active(self) -> bool:
        return self.fail_on != "none" or bool(self.require) or bool(self.fail_catalogues)

    def describe(self) -> str:
        parts = []
        if self.fail_on != "none":
            parts.append(f"--fail-on {self.fail_on}")
        parts.extend(f"--fail-on {catalogue}" for catalogue in self.fail_catalogues)
        parts.extend(f"--require {element_id}" for element_id in self.require)
        return " ".join(parts) or "geen beleid"


@dataclass
class Outcome:
    """One input file: its result or its input error, and how it fares against the policy."""

    path: str
    result: Any = None  # CheckResult
    error: VerordeningcheckError | None = None
    seconds: float = 0.0
    verdict_failed: bool = False
    missing: list = field(default_factory=list)  # ElementResult / RequirementResult that fail the policy
    not_applicable: bool = False  # required elements are not judged (not_wmo / amendment)
    warnings: list = field(default_factory=list)  # RequirementResult missing but not failing the policy

    @property
    def failed(self) -> bool:
        return self.error is None and (self.verdict_failed or bool(self.missing))

    @property
    def error_message(self) -> str:
        if self.error is None:
            return ""
        return self.error.message if isinstance(self.error, VerordeningcheckError) else str(self.error)


def judge(outcome: Outcome, policy: Policy) -> Outcome:
    """Fill in the policy fields of ``outcome``."""
    outcome.verdict_failed = False
    outcome.missing = []
    outcome.warnings = []
    outcome.not_applicable = False
    if outcome.result is None:
        return outcome
    verdict = outcome.result.verdict
    outcome.verdict_failed = policy.verdict_fails(verdict.verdict)
    for requirement in missing_requirements(outcome.result):
        (outcome.missing if policy.requirement_fails(requirement) else outcome.warnings).append(requirement)
    if verdict.verdict not in WMO_VERDICTS:
        outcome.not_applicable = bool(policy.require)
        return outcome
    element_ids = {e.id for e in verdict.elements}
    for element_id in policy.require:
        if element_id not in element_ids:
            continue  # a requirement id: judged above with its catalogue's law
        element = verdict.element(element_id)
        if not element.present:
            outcome.missing.append(element)
    return outcome


def missing_requirements(result) -> list:
    """The mandatory requirements (of every requirement catalogue) missing from a result."""
    from .requirements import MISSING

    return [r for cat in getattr(result, "requirements", {}).values() for r in cat.requirements if r.status == MISSING]


def exception_requirements(result) -> list:
    from .requirements import EXCEPTION

    return [r for cat in getattr(result, "requirements", {}).values() for r in cat.requirements if r.status == EXCEPTION]


def exit_code(outcomes: Iterable[Outcome]) -> int:
    outcomes = list(outcomes)
    if any(o.error is not None for o in outcomes):
        return EXIT_INPUT
    if any(o.failed for o in outcomes):
        return EXIT_POLICY
    return EXIT_OK


# ---------------------------------------------------------------- inputs


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def expand_inputs(arguments: Iterable[str]) -> tuple[list, bool]:
    """Expand FILE arguments: files as given, directories (supported files directly in them,
    sorted), glob patterns (``*``, ``?``, ``[...]``, ``**``; expanded here so that they also work
    in shells that do not expand them, such as cmd.exe and PowerShell).

    Returns ``(entries, single)``: in argument order, a path (str) per file to check, without
    duplicates, or an error :class:`Outcome` for an argument that yields no file; and whether the
    call was exactly one plain file (which keeps the single-file output shapes).
    """
    arguments = list(arguments)
    entries: list = []
    seen: set[str] = set()
    plain_files = 0
    failed = False

    def add(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            entries.append(path)

    for argument in arguments:
        candidate = Path(argument)
        if candidate.is_dir():
            found = sorted(
                (p for p in candidate.iterdir() if p.is_file() and supported(p)), key=lambda p: p.name
            )
            if not found:
                failed = True
                entries.append(Outcome(argument, error=InputError(
                    "deze map bevat geen ondersteunde bestanden (" + ", ".join(SUPPORTED_SUFFIXES) + ").", argument
                )))
            for p in found:
                add(str(p))
        elif candidate.exists() or not glob.has_magic(argument):
            plain_files += 1
            add(argument)  # a missing file is reported by load() with the usual message
        else:
            found = sorted(
                (p for p in glob.glob(argument, recursive=True) if os.path.isfile(p) and supported(Path(p)))
            )
            if not found:
                failed = True
                entries.append(Outcome(argument, error=InputError(
                    "geen ondersteunde bestanden gevonden voor dit patroon.", argument
                )))
            for p in found:
                add(p)
    single = len(arguments) == 1 and plain_files == 1 and not failed
    return entries, single


# ---------------------------------------------------------------- helpers


def artifact_uri(path: str) -> str:
    """A relative URI reference for ``path`` as given (POSIX separators, percent-encoded);
    a link (a regulation fetched from the official source) as it is."""
    if "://" in path:
        return path
    p = Path(path)
    if p.is_absolute():
        try:
            rel = p.resolve().relative_to(Path.cwd().resolve())
        except (ValueError, OSError):
            return p.resolve().as_uri()
        return quote(rel.as_posix(), safe="/")
    return quote(p.as_posix(), safe="/")


def display_path(path: str) -> str:
    """The path with forward slashes (GitHub annotations and JUnit); a link as it is."""
    if "://" in path:
        return path
    return Path(path).as_posix() if not Path(path).is_absolute() else str(path)


def where(evidence) -> str:
    """'artikel 4 lid 2' (Dutch)."""
    text = f"artikel {evidence.article}"
    if evidence.lid:
        text += f" lid {evidence.lid}"
    return text


def file_line(result, evidence) -> int | None:
    """The 1-based line in the file itself, or None when the format has no usable lines."""
    if result.document.format in FORMATS_WITH_LINES and evidence.location.line:
        return int(evidence.location.line)
    return None


def _place(result, evidence) -> str:
    """'artikel 4 lid 2, pagina 3' / '..., regel 67'."""
    text = where(evidence)
    loc = evidence.location
    if loc.page is not None:
        text += f", pagina {loc.page}"
    line = file_line(result, evidence)
    if line:
        text += f", regel {line}"
    return text


def _quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"„{text}”"


def verdict_label(verdict) -> str:
    return labels.verdict_label(verdict.verdict, verdict.lean)


def _distinct_evidence(evidence: list, limit: int = 5) -> list:
    out, seen = [], set()
    for e in evidence:
        key = (e.article, e.lid)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
        if len(out) >= limit:
            break
    return out


def verdict_anchor(result):
    """The evidence a failing verdict is best shown at (or None: the file as a whole)."""
    verdict = result.verdict
    for element_id in _VERDICT_ANCHORS.get(verdict.verdict, ()):
        try:
            element = verdict.element(element_id)
        except KeyError:
            continue
        if element.present and element.evidence:
            return element.evidence[0]
    return None


def verdict_message(outcome: Outcome, policy: Policy) -> str:
    v = outcome.result.verdict
    text = f"Oordeel: {verdict_label(v)} (zekerheid {round(v.confidence * 100)}%)."
    if outcome.verdict_failed:
        forbidden = "een verordening naar het oude model" if policy.fail_on == "old" else "een oude verordening of een tussenvorm"
        text += f" Het beleid (--fail-on {policy.fail_on}) staat {forbidden} niet toe."
    if v.explanation:
        text += " " + v.explanation
    return text


def requirement_message(requirement) -> str:
    """'Wettelijke eis ontbreekt: Jaarlijkse waardering mantelzorgers (wmo15_..., Wmo 2015 art. 2.1.6). ...'"""
    if requirement.status == "exception":
        return (
            f"Wettelijke eis elders geregeld: {requirement.title} ({requirement.id}, {requirement.reference}). "
            f"Uitzondering: {requirement.exception}"
        )
    text = f"Wettelijke eis ontbreekt: {requirement.title} ({requirement.id}, {requirement.reference})."
    if requirement.rejected:
        text += f" Het wordt alleen ontkend genoemd ({where(requirement.rejected[0])}); dat telt niet mee."
    else:
        text += " Het is niet gevonden in de regeltekst (de toelichting telt niet mee)."
    if requirement.law.get("text"):
        text += f" Wettekst: {_quote(requirement.law['text'], 400)}"
    text += " Is het in een andere verordening geregeld? Leg dat vast in .verordeningcheck.yaml."
    return text


def is_requirement(item) -> bool:
    return hasattr(item, "obligation")


def missing_message(element, ruleset=None) -> str:
    if is_requirement(element):
        return requirement_message(element)
    text = f"Vereist element ontbreekt: {element.title} ({element.id}, {MODEL_NL.get(element.model, element.model)})."
    if element.rejected:
        text += f" Het wordt alleen ontkend genoemd ({where(element.rejected[0])}); dat telt niet mee."
    else:
        text += " Het is niet gevonden in de regeltekst (de toelichting telt niet mee)."
    description = _element_description(element.id, ruleset)
    if description:
        text += " " + description
    return text


def present_message(result, element) -> str:
    places = "; ".join(f"{_place(result, e)}: {_quote(e.text)}" for e in _distinct_evidence(element.evidence, 3))
    return f"{element.title} ({element.id}) gevonden in {places}."


def input_error_message(outcome: Outcome) -> str:
    return f"Het bestand kan niet worden gelezen: {outcome.error_message}"


def _element_description(element_id: str, ruleset) -> str:
    if ruleset is None:
        return ""
    element = ruleset.elements.get(element_id)
    return " ".join(element.description.split()) if element and element.description else ""


def _catalogue():
    from .ruleset import CATALOGUE

    return CATALOGUE


# ---------------------------------------------------------------- SARIF 2.1.0


def _sarif_rules(ruleset) -> list[dict]:
    rules = [
        {
            "id": VERDICT_RULE,
            "name": "Oordeel",
            "shortDescription": {"text": "Het oordeel (oud, tussenvorm, nieuw) valt buiten het beleid (--fail-on)."},
            "fullDescription": {"text": (
                "De verordening volgt een model dat het ingestelde beleid niet toestaat: bij --fail-on old "
                "het VNG-model 2006 (oud), bij --fail-on tussenvorm ook een tussenvorm zonder expliciete "
                "inventarisatiefase (melding en gesprek vóór de aanvraag)."
            )},
            "help": {"text": "Zie de README van verordeningcheck, tabel 'Oordelen'."},
            "properties": {"tags": ["wmo", "oordeel"]},
        },
        {
            "id": INPUT_RULE,
            "name": "Invoerfout",
            "shortDescription": {"text": "Het bestand kan niet als verordening worden gelezen."},
            "fullDescription": {"text": (
                "Het bestand is leeg, beschadigd, beveiligd, een gescande PDF zonder tekstlaag, onveilige "
                "XML, te groot, of bevat geen artikelen. Het is niet getoetst."
            )},
            "properties": {"tags": ["invoer"]},
        },
    ]
    for element_id, model in _catalogue().items():
        element = ruleset.elements.get(element_id) if ruleset is not None else None
        title = element.title if element else element_id
        rule: dict[str, Any] = {
            "id": element_id,
            "name": "".join(part.capitalize() for part in element_id.split("_")),
            "shortDescription": {"text": f"{title} ({MODEL_NL.get(model, model)})"},
        }
        if element is not None and element.description:
            rule["fullDescription"] = {"text": " ".join(element.description.split())}
            help_text = " ".join(element.description.split())
            if element.source:
                help_text += f" Bron: {element.source}."
            rule["help"] = {"text": help_text}
        rule["properties"] = {"model": model, "tags": ["wmo", f"model-{model}"]}
        rules.append(rule)
    if ruleset is not None:
        for catalogue in ruleset.requirement_catalogues():
            for item in ruleset.items(catalogue.id):
                rules.append(_sarif_requirement_rule(catalogue, item))
    return rules


def _sarif_requirement_rule(catalogue, item) -> dict:
    reference = item.law.get("reference", "")
    help_text = " ".join(item.description.split())
    if item.law.get("text"):
        help_text += f" Wettekst ({reference}): {item.law['text']}"
    return {
        "id": item.id,
        "name": "".join(part.capitalize() for part in item.id.split("_")),
        "shortDescription": {"text": f"{item.title} ({reference})"},
        "fullDescription": {"text": " ".join(item.description.split()) or item.title},
        "help": {"text": help_text or item.title},
        "properties": {
            "catalogue": catalogue.id,
            "law": item.group,
            "reference": reference,
            "obligation": item.obligation,
            "tags": ["wmo", catalogue.id],
        },
    }


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _sarif_location(outcome: Outcome, artifact_index: int, evidence=None) -> dict:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(outcome.path), "index": artifact_index}}
    location: dict[str, Any] = {"physicalLocation": physical}
    if evidence is None:
        return location
    result = outcome.result
    line = file_line(result, evidence)
    if line:
        physical["region"] = {"startLine": line}  # no snippet: the lid text is not the file's line verbatim
    logical: dict[str, Any] = {"name": where(evidence), "fullyQualifiedName": where(evidence), "kind": "artikel"}
    location["logicalLocations"] = [logical]
    properties: dict[str, Any] = {}
    if evidence.location.page is not None:
        properties["page"] = evidence.location.page
    if evidence.location.path:
        properties["path"] = evidence.location.path
    if line is None and evidence.location.line is not None:
        # PDF: line on the page; DOCX: paragraph number. Not a line of the file.
        properties["lineInSource"] = evidence.location.line
    if properties:
        location["properties"] = properties
    location["message"] = {"text": f"{_place(result, evidence)}: {_quote(evidence.text)}"}
    return location


def render_sarif(outcomes: list[Outcome], policy: Policy, ruleset=None, *, notes: bool = False) -> str:
    """One SARIF 2.1.0 log with one run for all files."""
    rules = _sarif_rules(ruleset)
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    artifacts: list[dict] = []
    results: list[dict] = []
    notifications: list[dict] = []

    def add_result(rule_id: str, level: str, message: str, outcome: Outcome, index: int, evidence_list: list, key: str,
                   suppression: str | None = None) -> None:
        if rule_id not in rule_index:  # an item of a catalogue the log's rule list was not made with
            rule_index[rule_id] = len(rules)
            rules.append({"id": rule_id, "shortDescription": {"text": rule_id}})
        locations = [_sarif_location(outcome, index, e) for e in evidence_list] or [_sarif_location(outcome, index)]
        entry = {
            "ruleId": rule_id,
            "ruleIndex": rule_index[rule_id],
            "level": level,
            "message": {"text": message},
            "locations": locations,
            "partialFingerprints": {"verordeningcheck/v1": _fingerprint(artifact_uri(outcome.path), rule_id, key)},
        }
        if suppression is not None:
            entry["suppressions"] = [{"kind": "external", "status": "accepted", "justification": suppression}]
        results.append(entry)

    for outcome in outcomes:
        index = len(artifacts)
        artifact: dict[str, Any] = {"location": {"uri": artifact_uri(outcome.path)}}
        if outcome.error is not None:
            artifact["properties"] = {"error": outcome.error_message}
            artifacts.append(artifact)
            notifications.append({
                "level": "error",
                "message": {"text": f"{outcome.path}: {outcome.error_message}"},
                "locations": [_sarif_location(outcome, index)],
            })
            add_result(INPUT_RULE, "error", input_error_message(outcome), outcome, index, [], "input")
            continue
        result = outcome.result
        v = result.verdict
        artifact["properties"] = {
            "verdict": v.verdict,
            "lean": v.lean,
            "confidence": v.confidence,
            "generation": v.generation,
            "format": result.document.format,
            "title": result.document.title,
            "gemeente": result.document.gemeente,
        }
        artifacts.append(artifact)
        if outcome.verdict_failed:
            anchor = verdict_anchor(result)
            add_result(VERDICT_RULE, "error", verdict_message(outcome, policy), outcome, index,
                       [anchor] if anchor is not None else [], v.verdict)
        elif notes:
            add_result(VERDICT_RULE, "note", verdict_message(outcome, policy), outcome, index, [], v.verdict)
        for element in outcome.missing:
            add_result(element.id, "error", missing_message(element, ruleset), outcome, index,
                       _distinct_evidence(element.rejected, 1), "missing")
        for requirement in outcome.warnings:
            add_result(requirement.id, "warning", requirement_message(requirement), outcome, index,
                       _distinct_evidence(requirement.rejected, 1), "missing")
        for requirement in exception_requirements(result):
            add_result(requirement.id, "note", requirement_message(requirement), outcome, index, [], "missing",
                       suppression=requirement.exception)
        if notes:
            for element in v.elements:
                if element.present:
                    add_result(element.id, "note", present_message(result, element), outcome, index,
                               _distinct_evidence(element.evidence), "present")

    invocation: dict[str, Any] = {
        "executionSuccessful": not notifications,
        "exitCode": exit_code(outcomes),
        "properties": {"policy": policy.describe()},
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "verordeningcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "language": "nl-NL",
                "rules": rules,
            }},
            "invocations": [invocation],
            "artifacts": artifacts,
            "results": results,
            "language": "nl-NL",
            "properties": {"ruleset": _ruleset_version(outcomes)},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def _ruleset_version(outcomes: list[Outcome]) -> str | None:
    for outcome in outcomes:
        if outcome.result is not None:
            return outcome.result.ruleset_version
    return None


# ---------------------------------------------------------------- JUnit XML

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: Any) -> str:
    """Text safe for XML 1.0 (control characters from PDFs removed)."""
    return _XML_INVALID.sub("", "" if text is None else str(text))


def render_junit(outcomes: list[Outcome], policy: Policy, ruleset=None) -> str:
    """JUnit XML: a testsuite per file, a testcase per catalogue element and one for the verdict."""
    root = ET.Element("testsuites", name="verordeningcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for outcome in outcomes:
        name = display_path(outcome.path)
        suite = ET.SubElement(root, "testsuite", name=_x(name))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

        def case(case_name: str) -> ET.Element:
            counts["tests"] += 1
            return ET.SubElement(suite, "testcase", name=case_name, classname=_x(name), file=_x(name), time="0")

        if outcome.error is not None:
            tc = case("invoer")
            tc.set("time", f"{outcome.seconds:.3f}")
            err = ET.SubElement(tc, "error", type=INPUT_RULE, message=_x(input_error_message(outcome)))
            err.text = _x(f"{outcome.path}: {outcome.error_message}")
            counts["errors"] += 1
        else:
            result = outcome.result
            v = result.verdict
            props = ET.SubElement(suite, "properties")
            for key, value in (
                ("oordeel", v.verdict), ("neiging", v.lean or ""), ("zekerheid", f"{v.confidence:.2f}"),
                ("generatie", v.generation or ""), ("formaat", result.document.format),
                ("titel", result.document.title), ("gemeente", result.document.gemeente or ""),
                ("beleid", policy.describe()),
            ):
                ET.SubElement(props, "property", name=key, value=_x(value))
            tc = case(f"oordeel (--fail-on {policy.fail_on})")
            tc.set("time", f"{outcome.seconds:.3f}")
            if outcome.verdict_failed:
                failure = ET.SubElement(tc, "failure", type="beleid", message=_x(verdict_message(outcome, policy)))
                failure.text = _x("\n".join(v.reasons))
                counts["failures"] += 1
            else:
                out = ET.SubElement(tc, "system-out")
                out.text = _x(verdict_message(outcome, policy) + "\n" + "\n".join(v.reasons))
            missing = {e.id for e in outcome.missing}
            for element in v.elements:
                tc = case(element.id)
                required = element.id in policy.require
                if required and outcome.not_applicable:
                    ET.SubElement(tc, "skipped", message=_x(
                        f"Niet van toepassing: het document is {VERDICT_NL.get(v.verdict, v.verdict)}."))
                    counts["skipped"] += 1
                elif element.id in missing:
                    failure = ET.SubElement(tc, "failure", type="ontbrekend-element",
                                            message=_x(missing_message(element, ruleset)))
                    failure.text = _x(f"{element.title}: vereist met --require {element.id}, niet aanwezig.")
                    counts["failures"] += 1
                else:
                    out = ET.SubElement(tc, "system-out")
                    if element.present:
                        out.text = _x("aanwezig: " + present_message(result, element))
                    else:
                        out.text = _x(f"niet gevonden: {element.title} ({MODEL_NL.get(element.model, element.model)}); niet vereist.")
            failing = {id(r) for r in outcome.missing}
            for catalogue in result.requirements.values():
                if not catalogue.applicable:  # one skipped case for the catalogue as a whole
                    tc = case(catalogue.catalogue)
                    ET.SubElement(tc, "skipped", message=_x(f"Niet van toepassing: {catalogue.basis}."))
                    counts["skipped"] += 1
                    continue
                for requirement in catalogue.requirements:
                    if requirement.group != catalogue.group:
                        continue  # another law's requirement
                    tc = case(f"{catalogue.catalogue}: {requirement.id}")
                    if id(requirement) in failing:
                        failure = ET.SubElement(tc, "failure", type="wettelijke-eis",
                                                message=_x(requirement_message(requirement)))
                        failure.text = _x(f"{requirement.title}: {requirement.reference}; beleid {policy.describe()}.")
                        counts["failures"] += 1
                    elif requirement.status == "not_applicable":
                        ET.SubElement(tc, "skipped", message=_x(f"Niet van toepassing: {catalogue.basis}."))
                        counts["skipped"] += 1
                    else:
                        out = ET.SubElement(tc, "system-out")
                        if requirement.status == "present":
                            first = requirement.evidence[0]
                            out.text = _x(f"geregeld in {_place(result, first)}: {_quote(first.text)} ({requirement.reference})")
                        elif requirement.status == "missing":
                            out.text = _x("waarschuwing: " + requirement_message(requirement))
                        elif requirement.status == "exception":
                            out.text = _x(requirement_message(requirement))
                        else:
                            out.text = _x(f"niet geregeld; {requirement.obligation}, dus niet vereist ({requirement.reference}).")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{outcome.seconds:.3f}")
        total_time += outcome.seconds
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- GitHub workflow commands


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(kind: str, message: str, *, file: str | None = None, line: int | None = None, title: str | None = None) -> str:
    props = []
    if file:
        props.append(f"file={_gh_property(file)}")
    if line:
        props.append(f"line={int(line)}")
    if title:
        props.append(f"title={_gh_property(title)}")
    head = f"::{kind}" + (" " + ",".join(props) if props else "")
    return f"{head}::{_gh_data(message)}"


def render_github(outcomes: list[Outcome], policy: Policy, ruleset=None, *, notes: bool = False) -> str:
    """GitHub Actions annotations: ::error for policy violations and input errors, ::notice otherwise."""
    lines = []
    for outcome in outcomes:
        name = display_path(outcome.path)
        if outcome.error is not None:
            lines.append(github_command("error", input_error_message(outcome), file=name,
                                        title="verordeningcheck: invoerfout"))
            continue
        result = outcome.result
        v = result.verdict
        if outcome.verdict_failed:
            anchor = verdict_anchor(result)
            message = verdict_message(outcome, policy)
            if anchor is not None:
                message += f" Zie {_place(result, anchor)}."
            lines.append(github_command(
                "error", message, file=name, line=file_line(result, anchor) if anchor is not None else None,
                title=f"verordeningcheck: oordeel {VERDICT_SHORT_NL.get(v.verdict, v.verdict)}",
            ))
        else:
            lines.append(github_command("notice", verdict_message(outcome, policy), file=name,
                                        title=f"verordeningcheck: oordeel {VERDICT_SHORT_NL.get(v.verdict, v.verdict)}"))
        for element in outcome.missing:
            rejected = element.rejected[0] if element.rejected else None
            lines.append(github_command(
                "error", missing_message(element, ruleset), file=name,
                line=file_line(result, rejected) if rejected is not None else None,
                title=f"verordeningcheck: {element.id} ontbreekt",
            ))
        for requirement in outcome.warnings:
            lines.append(github_command("warning", requirement_message(requirement), file=name,
                                        title=f"verordeningcheck: {requirement.id} ontbreekt"))
        for requirement in exception_requirements(result):
            lines.append(github_command("notice", requirement_message(requirement), file=name,
                                        title=f"verordeningcheck: {requirement.id} elders geregeld"))
        if notes:
            for element in v.elements:
                if element.present and element.evidence:
                    first = element.evidence[0]
                    lines.append(github_command("notice", present_message(result, element), file=name,
                                                line=file_line(result, first), title=f"verordeningcheck: {element.id}"))
    return "\n".join(lines)


# ---------------------------------------------------------------- terminal


def policy_lines(outcome: Outcome, policy: Policy, indent: str = "  ") -> list[str]:
    """Dutch lines on how one file fares against the policy ([] when there is no policy)."""
    if not policy.active or outcome.result is None:
        return []
    v = outcome.result.verdict
    lines = []
    if outcome.verdict_failed:
        lines.append(f"{indent}✗ beleid --fail-on {policy.fail_on}: oordeel {VERDICT_SHORT_NL.get(v.verdict, v.verdict)} is niet toegestaan")
    for element in outcome.missing:
        if is_requirement(element):
            lines.append(f"{indent}✗ wettelijke eis ontbreekt: {element.id} ({element.title}, {element.reference})")
        else:
            lines.append(f"{indent}✗ vereist element ontbreekt: {element.id} ({element.title})")
    if outcome.not_applicable:
        lines.append(f"{indent}- vereiste elementen niet van toepassing: {VERDICT_NL.get(v.verdict, v.verdict)}")
    if not lines:
        lines.append(f"{indent}✓ voldoet aan het beleid ({policy.describe()})")
    return lines


def render_compact(outcomes: list[Outcome], policy: Policy) -> str:
    """One line per file (plus policy violations), then a summary."""
    out = []
    width = min(60, max((len(display_path(o.path)) for o in outcomes), default=0))
    counts: dict[str, int] = {}
    for outcome in outcomes:
        name = display_path(outcome.path)
        if outcome.error is not None:
            out.append(f"! {name:<{width}}  fout: {outcome.error_message}")
            counts["fout"] = counts.get("fout", 0) + 1
            continue
        v = outcome.result.verdict
        mark = "✗" if outcome.failed else "✓"
        label = verdict_label(v)
        line = f"{mark} {name:<{width}}  {label} (zekerheid {round(v.confidence * 100)}%)"
        first = outcome.result.document.gemeente
        if first:
            line += f", {first}"
        out.append(line)
        short = VERDICT_SHORT_NL.get(v.verdict, v.verdict)
        counts[short] = counts.get(short, 0) + 1
        for catalogue in outcome.result.requirements.values():
            if catalogue.applicable:
                out.append(f"    {catalogue.summary()}")
        if outcome.failed or outcome.not_applicable:
            out.extend(line for line in policy_lines(outcome, policy, indent="    ") if not line.strip().startswith("✓"))
    failed = sum(1 for o in outcomes if o.failed)
    summary = f"{len(outcomes)} bestand" + ("en" if len(outcomes) != 1 else "")
    if counts:
        summary += ": " + ", ".join(f"{n} {k}" for k, n in counts.items())
    if policy.active:
        summary += f"; beleid ({policy.describe()}): " + (
            f"{failed} {'bestand voldoet' if failed == 1 else 'bestanden voldoen'} niet" if failed else "alles voldoet"
        )
    out.append("")
    out.append(summary + ".")
    return "\n".join(out)


# ---------------------------------------------------------------- JSON / HTML helpers


def json_entry(outcome: Outcome) -> dict[str, Any]:
    if outcome.error is not None:
        code = outcome.error.code if isinstance(outcome.error, VerordeningcheckError) else "error"
        return {"file": outcome.path, "error": {"code": code, "message": outcome.error_message}}
    return outcome.result.to_dict()


def report_names(paths: list[str]) -> dict[str, str]:
    """A distinct ``<name>.html`` per input path, for an output directory of HTML reports."""
    names: dict[str, str] = {}
    used: set[str] = set()
    stems: dict[str, int] = {}
    def local(path: str) -> str:  # a link: its path, e.g. CVDR152048_2
        return re.sub(r"^[a-z]+://[^/]+/", "", path).strip("/").replace("/", "_") if "://" in path else path

    for path in paths:
        stem = Path(local(path)).stem or "rapport"
        stems[stem.lower()] = stems.get(stem.lower(), 0) + 1
    for path in paths:
        p = Path(local(path))
        stem = p.stem or "rapport"
        base = stem if stems[stem.lower()] == 1 else f"{stem}-{p.suffix.lstrip('.').lower() or 'bestand'}"
        base = re.sub(r"[^\w.\-]+", "_", base)
        candidate, n = base, 2
        while candidate.lower() in used:
            candidate = f"{base}-{n}"
            n += 1
        used.add(candidate.lower())
        names[path] = candidate + ".html"
    return names
