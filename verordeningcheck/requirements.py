"""Stage 4b: requirement catalogues (kind "requirements", e.g. rules/wettelijk): which group
(law) applies, and per requirement whether the regulation text regulates it.

Everything that decides is data in the catalogue's catalogue.yaml (``select``: which law,
``not_applicable``) and in its requirement files (``obligation``); this module only evaluates
it, the same way for every requirement catalogue (a municipality's own ``--rules`` folder can
add one). Exceptions (``.verordeningcheck.yaml``, see :mod:`verordeningcheck.repoconfig`) turn a
missing requirement into an accepted one with the reason the user recorded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .analyse import Analysis, Evidence
from .model import Document
from .ruleset import Catalogue, RuleSet
from .score import Verdict, condition_holds, evidence_strength

PRESENT = "present"
MISSING = "missing"  # mandatory and not regulated in the text
ABSENT = "absent"  # optional (facultatief, or verplicht_als whose condition does not hold) and not regulated
NOT_APPLICABLE = "not_applicable"  # another law applies, or the document is no (full) Wmo ordinance
EXCEPTION = "exception"  # mandatory, not in the text, but recorded as regulated elsewhere

# a requirement found only in the begripsbepalingen, where its catalogue does not count those
DEFINITION_ONLY_NOTE = "alleen als begrip gedefinieerd"


@dataclass
class RequirementResult:
    id: str
    catalogue: str
    group: str  # the law the requirement belongs to ("2007" | "2015" | a municipality's own)
    title: str
    description: str
    obligation: str  # verplicht | facultatief | verplicht_als
    condition: str | None
    mandatory: bool  # effective: verplicht, or verplicht_als with its condition present
    present: bool
    status: str
    strength: float
    law: dict[str, Any]
    evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)
    exception: str | None = None  # the reason recorded in .verordeningcheck.yaml
    exception_source: str | None = None

    @property
    def note(self) -> str | None:
        """Why a requirement with evidence is still not regulated: the evidence is definitions only."""
        if self.present or self.status == NOT_APPLICABLE or not self.evidence:
            return None
        return DEFINITION_ONLY_NOTE if all(e.kind == "definition" for e in self.evidence) else None

    @property
    def model(self) -> str:  # the same attribute name as an ElementResult (CI messages)
        return self.group

    @property
    def reference(self) -> str:
        return str(self.law.get("reference", ""))

    @property
    def short_reference(self) -> str:
        """'art. 2.1.6' / 'art. 2.1.3 lid 2 onder a' (the law's name left out)."""
        ref = self.reference
        match = re.search(r"\bart\..*$", ref)
        return match.group(0) if match else ref

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "catalogue": self.catalogue,
            "law": self.group,
            "title": self.title,
            "obligation": self.obligation,
            "condition": self.condition,
            "mandatory": self.mandatory,
            "present": self.present,
            "status": self.status,
            "strength": round(self.strength, 3),
            "reference": {
                "text": self.reference,
                "article": self.law.get("article"),
                "lid": self.law.get("lid"),
                "onderdeel": self.law.get("onderdeel"),
                "law_text": self.law.get("text", ""),
                **({"note": self.law["note"]} if self.law.get("note") else {}),
            },
            "evidence": [e.to_dict() for e in self.evidence],
            "rejected": [e.to_dict() for e in self.rejected],
            "exception": (
                {"reason": self.exception, "source": self.exception_source} if self.exception is not None else None
            ),
            "note": self.note,
        }


@dataclass
class CatalogueResult:
    catalogue: str
    title: str
    applicable: bool
    group: str | None  # the law that applies
    group_info: dict[str, Any]
    basis: str  # why this law (Dutch)
    overridden: bool  # chosen by the user (--wet)
    requirements: list[RequirementResult]

    @property
    def law_title(self) -> str:
        return str(self.group_info.get("title", self.group or ""))

    @property
    def mandatory(self) -> list[RequirementResult]:
        return [r for r in self.requirements if r.mandatory]

    @property
    def missing(self) -> list[RequirementResult]:
        return [r for r in self.requirements if r.status == MISSING]

    @property
    def exceptions(self) -> list[RequirementResult]:
        return [r for r in self.requirements if r.status == EXCEPTION]

    def summary(self) -> str:
        """'Wettelijke eisen Wmo 2015: 8 van 9 verplichte onderdelen geregeld; ontbreekt: ...' (Dutch)."""
        if not self.applicable:
            return f"{self.title}: niet van toepassing ({self.basis})."
        mandatory = self.mandatory
        regulated = [r for r in mandatory if r.status == PRESENT]
        text = f"{self.title} {self.law_title}: {len(regulated)} van {len(mandatory)} verplichte onderdelen geregeld"
        if self.exceptions:
            text += f", {len(self.exceptions)} elders geregeld (uitzondering)"
        if self.missing:
            text += "; ontbreekt: " + ", ".join(f"{r.title.lower() if _plain(r.title) else r.title} ({r.short_reference})" for r in self.missing)
        return text

    def to_dict(self) -> dict[str, Any]:
        info = self.group_info
        return {
            "catalogue": self.catalogue,
            "title": self.title,
            "applicable": self.applicable,
            "law": self.group,
            "law_title": self.law_title if self.group else None,
            "law_name": info.get("name"),
            "law_identifier": info.get("identifier"),
            "law_text_version": " ".join(str(info.get("text_version", "")).split()) or None,
            "law_source": info.get("source"),
            "basis": self.basis,
            "overridden": self.overridden,
            "summary": self.summary(),
            "counts": {
                "mandatory": len(self.mandatory),
                "present": sum(1 for r in self.mandatory if r.status == PRESENT),
                "missing": len(self.missing),
                "exceptions": len(self.exceptions),
            },
            "missing": [r.id for r in self.missing],
            "requirements": [r.to_dict() for r in self.requirements if r.group == self.group or not self.group],
        }


def _plain(title: str) -> bool:
    """Lower-case the first letter in a running sentence unless the title starts with an abbreviation."""
    first = title.split(" ", 1)[0]
    return not (first.isupper() or any(c.isdigit() for c in first))


# ---------------------------------------------------------------- adoption year

_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_ADOPTED = re.compile(r"vastgesteld|vergadering|besloten|ondertekend|ondertekening", re.I)
_METADATA_DATE_KEYS = ("issued", "datum_ondertekening", "ondertekening", "vastgesteld", "besluitdatum", "date")


def adoption_year(document: Document) -> int | None:
    """The year the ordinance was adopted, as far as the document says: metadata, the closing
    formula ("Aldus vastgesteld in de vergadering van 24 maart 2011"), the aanhef, the title."""
    for key, value in document.metadata.items():
        if any(k in key.lower() for k in _METADATA_DATE_KEYS):
            match = _YEAR.search(str(value))
            if match:
                return int(match.group(1))
    for line in document.slot:
        if _ADOPTED.search(line):
            match = _YEAR.search(line)
            if match:
                return int(match.group(1))
    for line in document.aanhef:
        if re.search(r"voorstel|gelezen", line, re.I):
            years = _YEAR.findall(line)
            if years:
                return int(years[-1])
    years = _YEAR.findall(document.title or "")
    return int(years[-1]) if years else None


# ---------------------------------------------------------------- assessment


def select_group(catalogue: Catalogue, ctx: dict) -> tuple[str | None, str]:
    for entry in catalogue.select:
        if condition_holds(entry.get("when") or {}, ctx):
            return str(entry["group"]), str(entry.get("basis", ""))
    groups = sorted(set(catalogue.items.values()))
    return (groups[0] if len(groups) == 1 else None), ""


def assess_catalogue(
    catalogue: Catalogue,
    analysis: Analysis,
    ruleset: RuleSet,
    verdict: Verdict,
    *,
    group: str | None = None,
    exceptions: dict[str, dict] | None = None,
) -> CatalogueResult:
    """Judge one requirement catalogue; ``group`` overrides the law (``--wet``)."""
    exceptions = exceptions or {}
    threshold = float(
        catalogue.presence_threshold if catalogue.presence_threshold is not None
        else ruleset.policy.get("presence_threshold", 0.5)
    )
    ctx: dict[str, Any] = {
        "present": verdict.present_ids(),
        "scores": verdict.scores,
        "markers": analysis.markers,
        "verdict": verdict.verdict,
        "lean": verdict.lean,
        "year": adoption_year(analysis.document),
    }
    applicable = not (catalogue.not_applicable and condition_holds(catalogue.not_applicable, ctx))
    overridden = group is not None
    if overridden:
        basis = "gekozen met --wet"
        if str(group) not in set(catalogue.items.values()):
            group = None
    else:
        group, basis = select_group(catalogue, ctx)
    if not applicable:
        from .labels import VERDICT_NL

        label = VERDICT_NL.get(verdict.verdict, verdict.verdict)
        label = label[:1].lower() + label[1:]
        basis = f"het document is {label if label.startswith('geen ') else 'een ' + label}"

    found: dict[str, tuple[bool, float, list, list]] = {}
    for item in ruleset.items(catalogue.id):
        evidence = [e for e in analysis.evidence if e.element == item.id]
        rejected = [e for e in analysis.rejected if e.element == item.id]
        strength = evidence_strength(evidence)
        found[item.id] = (strength >= threshold, strength, evidence, rejected)

    results = []
    for item in ruleset.items(catalogue.id):
        present, strength, evidence, rejected = found[item.id]
        in_force = applicable and item.group == group
        if item.obligation == "verplicht":
            mandatory = in_force
        elif item.obligation == "verplicht_als":
            mandatory = in_force and bool(item.condition) and found.get(item.condition, (False,))[0]
        else:
            mandatory = False
        exception = exceptions.get(item.id) if in_force else None
        if not in_force:
            status = NOT_APPLICABLE
        elif present:
            status = PRESENT
        elif mandatory and exception is not None:
            status = EXCEPTION
        elif mandatory:
            status = MISSING
        else:
            status = ABSENT
        results.append(RequirementResult(
            id=item.id,
            catalogue=catalogue.id,
            group=item.group,
            title=item.title,
            description=item.description,
            obligation=item.obligation or "verplicht",
            condition=item.condition,
            mandatory=mandatory,
            present=present,
            status=status,
            strength=strength,
            law=dict(item.law),
            evidence=evidence,
            rejected=rejected,
            exception=exception.get("reason") if exception is not None else None,
            exception_source=exception.get("source") if exception is not None else None,
        ))
    return CatalogueResult(
        catalogue=catalogue.id,
        title=catalogue.title,
        applicable=applicable,
        group=group if applicable else None,
        group_info=catalogue.group_info(group) if applicable else {},
        basis=basis,
        overridden=overridden,
        requirements=results,
    )


def assess(
    analysis: Analysis,
    ruleset: RuleSet,
    verdict: Verdict,
    *,
    groups: dict[str, str] | None = None,
    exceptions: dict[str, dict] | None = None,
) -> dict[str, CatalogueResult]:
    """Every requirement catalogue of the rule set, by catalogue id."""
    groups = groups or {}
    return {
        catalogue.id: assess_catalogue(
            catalogue, analysis, ruleset, verdict, group=groups.get(catalogue.id), exceptions=exceptions
        )
        for catalogue in ruleset.requirement_catalogues()
    }
