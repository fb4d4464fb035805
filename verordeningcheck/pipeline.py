"""The straight line: load -> parse -> analyse -> score. Returns a CheckResult."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .analyse import Analysis, analyse
from .limits import Limits
from .load import load
from .model import Document
from .ruleset import RuleSet, load_ruleset
from .requirements import CatalogueResult, assess
from .score import Verdict, score

LEGAL_CATALOGUE = "wettelijk"  # the law catalogue, also given as "legal" in JSON

_RULESETS: dict[tuple, RuleSet] = {}


def get_ruleset(extra_dirs: list[Path] | None = None) -> RuleSet:
    key = tuple(str(Path(d).resolve()) for d in (extra_dirs or []))
    if key not in _RULESETS:
        _RULESETS[key] = load_ruleset(list(extra_dirs or []))
    return _RULESETS[key]


def ruleset_for(result: "CheckResult") -> RuleSet:
    """The loaded rule set a result was made with (e.g. with ``--rules``), else the bundled one."""
    for candidate in list(_RULESETS.values()):
        if candidate.version == result.ruleset_version:
            return candidate
    return get_ruleset()


@dataclass
class CheckResult:
    document: Document
    analysis: Analysis
    verdict: Verdict
    ruleset_version: str
    requirements: dict[str, CatalogueResult] = field(default_factory=dict)  # per requirement catalogue

    @property
    def legal(self) -> CatalogueResult | None:
        """The result of the law catalogue (rules/wettelijk), if the rule set has it."""
        return self.requirements.get(LEGAL_CATALOGUE)

    def to_dict(self) -> dict[str, Any]:
        v = self.verdict
        d = self.document
        return {
            "file": d.source_name,
            "title": d.title,
            "gemeente": d.gemeente,
            "format": d.format,
            "verdict": v.verdict,
            "lean": v.lean,
            "kind": v.kind,
            "kind_recognised": v.kind_recognised,
            "kind_basis": list(v.kind_basis),
            "kind_reason": v.kind_reason,
            "confidence": v.confidence,
            "confidence_reasons": list(v.confidence_reasons),
            "generation": v.generation,
            "scores": dict(v.scores),
            "explanation": v.explanation,
            "reasons": list(v.reasons),
            "elements": [e.to_dict() for e in v.elements],
            "markers": dict(v.markers),
            "changes": list(v.changes),
            "excluded_chapters": list(v.excluded_chapters),
            "legal": self.legal.to_dict() if self.legal is not None else None,
            "catalogues": {cat_id: r.to_dict() for cat_id, r in self.requirements.items()},
            "article_count": len(d.articles),
            "ruleset": self.ruleset_version,
            "version": __version__,
            **({"source_url": d.metadata["bron_url"]} if d.metadata.get("bron_url") else {}),
        }


def check_document(
    document: Document,
    ruleset: RuleSet | None = None,
    *,
    wet: str | None = None,
    exceptions: dict[str, dict] | None = None,
) -> CheckResult:
    """Analyse and judge one document. ``wet``: the law to check against instead of the one the
    document's legal basis and date give (``--wet``); ``exceptions``: requirement id -> {reason,
    source} recorded as regulated elsewhere (``.verordeningcheck.yaml``)."""
    ruleset = ruleset or get_ruleset()
    analysis = analyse(document, ruleset)
    verdict = score(analysis, ruleset)
    groups = {}
    if wet is not None:
        groups = {c.id: str(wet) for c in ruleset.requirement_catalogues() if str(wet) in set(c.items.values())}
    requirements = assess(analysis, ruleset, verdict, groups=groups, exceptions=exceptions)
    return CheckResult(document, analysis, verdict, ruleset.version, requirements)


def check(
    source: str | os.PathLike | bytes,
    *,
    name: str | None = None,
    rules: list[Path] | None = None,
    limits: Limits | None = None,
    wet: str | None = None,
    exceptions: dict[str, dict] | None = None,
) -> CheckResult:
    """Check one ordinance (path or bytes). Raises InputError for unreadable input."""
    document = load(source, name=name, limits=limits)
    return check_document(document, get_ruleset(rules), wet=wet, exceptions=exceptions)
