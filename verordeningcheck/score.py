"""Stage 4: element evidence -> element presence -> model scores -> verdict (rules/policy.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .analyse import Analysis, Evidence
from .ruleset import CATALOGUE, RuleSet


@dataclass
class ElementResult:
    id: str
    model: str
    title: str
    present: bool
    strength: float
    evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "model": self.model,
            "title": self.title,
            "present": self.present,
            "strength": round(self.strength, 3),
            "evidence": [e.to_dict() for e in self.evidence],
            "rejected": [e.to_dict() for e in self.rejected],
        }


@dataclass
class Verdict:
    verdict: str  # old | new | tussenvorm | not_wmo | amendment
    lean: str | None
    confidence: float
    generation: str | None
    scores: dict[str, float]
    explanation: str
    elements: list[ElementResult]
    markers: dict[str, int]
    reasons: list[str] = field(default_factory=list)  # plain-language, Dutch

    def element(self, element_id: str) -> ElementResult:
        for result in self.elements:
            if result.id == element_id:
                return result
        raise KeyError(element_id)

    def present_ids(self) -> set[str]:
        return {e.id for e in self.elements if e.present}


def evidence_strength(evidence: list[Evidence]) -> float:
    """The summed weight of the evidence, each rule counted once per article lid, capped at 1."""
    seen: dict[tuple, float] = {}
    for e in evidence:
        key = (e.rule, e.article, e.lid)
        seen[key] = max(seen.get(key, 0.0), e.weight)
    return min(1.0, sum(seen.values()))


def element_results(analysis: Analysis, ruleset: RuleSet) -> list[ElementResult]:
    threshold = float(ruleset.policy["presence_threshold"])
    results = []
    for element_id, model in CATALOGUE.items():
        element = ruleset.elements.get(element_id)
        evidence = [e for e in analysis.evidence if e.element == element_id]
        rejected = [e for e in analysis.rejected if e.element == element_id]
        strength = evidence_strength(evidence)
        results.append(
            ElementResult(
                id=element_id,
                model=model,
                title=element.title if element else element_id,
                present=strength >= threshold,
                strength=strength,
                evidence=evidence,
                rejected=rejected,
            )
        )
    return results


def model_scores(results: list[ElementResult], policy: dict) -> dict[str, float]:
    weights = policy.get("element_weights", {}) or {}
    scores = {}
    for model in ("2006", "2010"):
        total = sum(weights.get(r.id, 1.0) for r in results if r.model == model)
        present = sum(weights.get(r.id, 1.0) for r in results if r.model == model and r.present)
        scores[model] = round(present / total, 3) if total else 0.0
    return scores


def condition_holds(cond: dict, ctx: dict) -> bool:
    present = ctx["present"]
    for key, value in cond.items():
        if key == "all_present" and not all(e in present for e in value):
            return False
        if key == "any_present" and not any(e in present for e in value):
            return False
        if key == "none_present" and any(e in present for e in value):
            return False
        if key == "decisive" and not all(e in present for e in ctx["decisive"].get(value, ["?"])):
            return False
        if key == "score_at_least" and not all(ctx["scores"].get(m, 0) >= v for m, v in value.items()):
            return False
        if key == "score_below" and not all(ctx["scores"].get(m, 0) < v for m, v in value.items()):
            return False
        if key == "markers_at_least" and not all(ctx["markers"].get(m, 0) >= v for m, v in value.items()):
            return False
        if key == "markers_below" and not all(ctx["markers"].get(m, 0) < v for m, v in value.items()):
            return False
        if key == "verdict_in" and ctx.get("verdict") not in value:
            return False
        if key == "lean_in" and ctx.get("lean") not in value:
            return False
        if key == "any" and not any(condition_holds(c, ctx) for c in value):
            return False
        if key == "year_at_least" and (ctx.get("year") is None or ctx["year"] < value):
            return False
        if key == "year_below" and (ctx.get("year") is None or ctx["year"] >= value):
            return False
    return True


def score(analysis: Analysis, ruleset: RuleSet) -> Verdict:
    policy = ruleset.policy
    results = element_results(analysis, ruleset)
    scores = model_scores(results, policy)
    ctx: dict[str, Any] = {
        "present": {r.id for r in results if r.present},
        "scores": scores,
        "markers": analysis.markers,
        "decisive": policy.get("decisive", {}),
    }
    chosen = policy["verdicts"][-1]
    for entry in policy["verdicts"]:
        if condition_holds(entry.get("when") or {}, ctx):
            chosen = entry
            break
    verdict = chosen["verdict"]
    ctx["verdict"] = verdict

    lean = None
    lean_policy = policy.get("lean", {})
    if verdict in lean_policy.get("applies_to", ["tussenvorm"]):
        margin = float(lean_policy.get("margin", 0.0))
        lean = "new" if scores["2010"] > scores["2006"] + margin else "old"
    ctx["lean"] = lean

    conf = policy["confidence"]
    gap = abs(scores["2010"] - scores["2006"])
    confidence = float(conf["base"].get(verdict, 0.5))
    if verdict in ("old", "new", "tussenvorm"):
        confidence += float(conf["slope"]) * gap
    confidence = round(min(float(conf["max"]), confidence), 2)

    generation = None
    if verdict not in ("not_wmo",):
        for entry in policy.get("generation", []):
            if condition_holds(entry.get("when") or {}, ctx):
                generation = entry["generation"]
                break

    reasons = explain(results, scores, verdict, lean, policy)
    return Verdict(
        verdict=verdict,
        lean=lean,
        confidence=confidence,
        generation=generation,
        scores=scores,
        explanation=chosen.get("explanation", ""),
        elements=results,
        markers=dict(analysis.markers),
        reasons=reasons,
    )


def explain(results: list[ElementResult], scores: dict, verdict: str, lean: str | None, policy: dict) -> list[str]:
    """Short Dutch sentences naming what decided the verdict."""
    by_id = {r.id: r for r in results}
    reasons = []
    for name, ids in (policy.get("decisive") or {}).items():
        for element_id in ids:
            r = by_id.get(element_id)
            if r is None:
                continue
            if r.present:
                first = r.evidence[0]
                where = f"artikel {first.article}" + (f", lid {first.lid}" if first.lid else "")
                reasons.append(f"{r.title}: aanwezig ({where}).")
            elif r.rejected:
                first = r.rejected[0]
                reasons.append(
                    f"{r.title}: alleen ontkend genoemd (artikel {first.article}), telt niet mee."
                )
            else:
                reasons.append(f"{r.title}: niet gevonden in de regeltekst.")
    for model, label in (("2010", "gekanteld model 2010"), ("2006", "model 2006")):
        present = [r.title for r in results if r.model == model and r.present]
        reasons.append(
            f"Score {label}: {round(scores[model] * 100)}% ({len(present)} van "
            f"{sum(1 for r in results if r.model == model)} elementen aanwezig)."
        )
    if lean:
        reasons.append(
            "De tussenvorm neigt naar het " + ("nieuwe model." if lean == "new" else "oude model.")
        )
    return reasons
