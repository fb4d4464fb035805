"""Stage 4: element evidence -> element presence -> model scores -> verdict (rules/policy.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .amendments import OPERATIONS_NL
from .analyse import Analysis, Evidence, matches_terms
from .labels import KIND_NL
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
    kind: str = "wmo"  # wmo | sociaal_domein | not_wmo | amendment
    kind_recognised: bool = True  # False: a guess, no legal basis or title decided it
    kind_basis: list[dict] = field(default_factory=list)  # where the deciding markers were found
    kind_reason: str = ""  # Dutch sentence: the kind and what decided it
    confidence_reasons: list[str] = field(default_factory=list)  # Dutch: why the confidence is lower
    changes: list[dict] = field(default_factory=list)  # amendment: per instruction what it changes
    excluded_chapters: list[str] = field(default_factory=list)  # sociaal domein: chapters not judged

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


def element_results(analysis: Analysis, ruleset: RuleSet, moved: dict[int, str] | None = None) -> list[ElementResult]:
    """Presence per catalogue element. ``moved`` maps ids of evidence objects that do not count
    (outside the judged chapters, out of route order) to the Dutch reason why."""
    threshold = float(ruleset.policy["presence_threshold"])
    moved = moved or {}
    results = []
    for element_id, model in CATALOGUE.items():
        element = ruleset.elements.get(element_id)
        evidence = [e for e in analysis.evidence if e.element == element_id and id(e) not in moved]
        rejected = [e for e in analysis.rejected if e.element == element_id]
        for e in analysis.evidence:
            if e.element == element_id and id(e) in moved:
                rejected.append(_rejected_copy(e, moved[id(e)]))
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


def _rejected_copy(e: Evidence, reason: str) -> Evidence:
    from dataclasses import replace

    return replace(e, weight=0.0, reason=reason)


def _position(analysis: Analysis) -> dict[tuple[str, str | None], int]:
    """Document order of each (article, lid)."""
    order: dict[tuple[str, str | None], int] = {}
    for article, lid in analysis.document.iter_leden():
        order.setdefault((article.number, lid.number), len(order))
    return order


def _route_moves(analysis: Analysis, ruleset: RuleSet, moved: dict[int, str]) -> None:
    """Evidence that comes at or after an earlier step of the route (policy ``route_order``)."""
    entries = ruleset.policy.get("route_order") or []
    if not entries:
        return
    order = _position(analysis)
    results = {r.id: r for r in element_results(analysis, ruleset, moved)}
    for entry in entries:
        firsts = []
        for earlier in entry.get("not_after", []):
            result = results.get(earlier)
            if result is None or not result.present:
                continue
            positions = [order.get((e.article, e.lid), 10**9) for e in result.evidence if e.kind in ("operative", "title", "inserted")]
            if positions:
                firsts.append(min(positions))
        if not firsts:
            continue
        first = min(firsts)
        for e in analysis.evidence:
            if e.element == entry["element"] and id(e) not in moved and order.get((e.article, e.lid), -1) >= first:
                moved[id(e)] = entry.get("reason", "volgorde van de procedure")


def _chapter_moves(analysis: Analysis, ruleset: RuleSet, moved: dict[int, str]) -> list[str]:
    """Sociaal domein: evidence in chapters of another law's domain does not count."""
    settings = ruleset.policy.get("sociaal_domein") or {}
    terms = settings.get("exclude_chapters") or []
    keep = settings.get("keep_chapters") or []

    def other_domain(title: str) -> bool:
        return bool(matches_terms(title, terms)) and not (keep and matches_terms(title, keep))

    document = analysis.document
    excluded: dict[str, str] = {}  # article number -> chapter heading
    headings: list[str] = []
    for division in document.divisions:
        if division.kind not in ("hoofdstuk", "afdeling", "titel", "paragraaf") or not division.title:
            continue
        if other_domain(division.title):
            label = f"{division.kind} {division.number} {division.title}".strip()
            headings.append(label)
            for article in document.articles:
                key = article.chapter if division.kind in ("hoofdstuk", "titel", "afdeling") else article.paragraaf
                if key == division.number and (division.kind != "paragraaf" or division.parent in (None, article.chapter)):
                    excluded[article.number] = label
    for article in document.articles:
        if article.number not in excluded and article.title and other_domain(article.title):
            excluded[article.number] = f"artikel {article.number} {article.title}"
    for e in analysis.evidence:
        if e.article in excluded:
            moved[id(e)] = f"buiten de Wmo-hoofdstukken ({excluded[e.article]})"
    return headings


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
        if key == "score_lead" and not all(
            ctx["scores"].get(m, 0) - max([s for k, s in ctx["scores"].items() if k != m] or [0]) > v for m, v in value.items()
        ):
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
        if key == "kind_in" and ctx.get("kind") not in value:
            return False
        if key == "generation_in" and ctx.get("generation") not in value:
            return False
        if key == "kind_recognised" and bool(ctx.get("kind_recognised", True)) != bool(value):
            return False
        if key == "articles_below" and not ctx.get("articles", 0) < value:
            return False
        if key == "instructions_at_least" and not ctx.get("instructions", 0) >= value:
            return False
        if key == "quoted_share_at_least" and not ctx.get("quoted_share", 0.0) >= value:
            return False
        if key == "only_definitions" and not all(e in ctx.get("definition_only", set()) for e in value if e in present):
            return False
    return True


def decide_kind(analysis: Analysis, policy: dict, ctx: dict) -> tuple[str, bool, list[dict], str]:
    """(kind, recognised, basis, Dutch sentence) from the policy's ``kinds`` list."""
    for entry in policy.get("kinds") or [{"kind": "wmo", "when": {}}]:
        if condition_holds(entry.get("when") or {}, ctx):
            kind = entry["kind"]
            recognised = bool(entry.get("recognised", True))
            basis = []
            for marker in entry.get("basis", []):
                for hit in analysis.marker_hits.get(marker, [])[:2]:
                    basis.append({"marker": marker, **hit.to_dict(), "place": hit.describe()})
            return kind, recognised, basis, _kind_sentence(recognised, basis)
    return "wmo", False, [], _kind_sentence(False, [])


def _kind_sentence(recognised: bool, basis: list[dict]) -> str:
    """What decided the kind, in Dutch; outputs show it beside the kind's own label."""
    if not basis:
        return "Niet herkend aan grondslag of titel."
    first = basis[0]
    how = "Herkend aan" if recognised else "Geschat op grond van"
    return f"{how} {first['place']}: “{first['matched']}” in “{_short(first['text'])}”."


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _early_generation(policy: dict, ctx: dict) -> str | None:
    """The generation decided by the entries before the first that needs the verdict."""
    for entry in policy.get("generation", []):
        when = entry.get("when") or {}
        if "verdict_in" in when or "lean_in" in when:
            return None
        if condition_holds(when, ctx):
            return entry["generation"]
    return None


def _definition_only(results: list[ElementResult]) -> set[str]:
    return {
        r.id for r in results
        if r.present and r.evidence and all(e.kind == "definition" for e in r.evidence)
    }


def amendment_changes(analysis: Analysis, results: list[ElementResult]) -> list[dict]:
    """Per amending instruction: what it changes and which elements its quoted text adds or removes."""
    added: dict[int, set[str]] = {}
    removed: dict[int, set[str]] = {}
    for r in results:
        for e in r.evidence:
            if e.kind == "inserted" and e.instruction is not None:
                added.setdefault(e.instruction, set()).add(r.id)
        for e in r.rejected:
            if e.kind == "replaced" and e.instruction is not None and e.reason == "vervangen":
                removed.setdefault(e.instruction, set()).add(r.id)
    order = list(CATALOGUE)
    changes = []
    for instruction in analysis.instructions:
        data = instruction.to_dict()
        data["operation_nl"] = OPERATIONS_NL.get(instruction.operation, instruction.operation)
        data["adds"] = sorted(added.get(instruction.number, ()), key=order.index)
        data["removes"] = sorted(removed.get(instruction.number, ()), key=order.index)
        changes.append(data)
    return changes


def score(analysis: Analysis, ruleset: RuleSet) -> Verdict:
    policy = ruleset.policy
    document = analysis.document
    articles = sum(1 for a in document.articles if a.status != "vervallen")
    ctx: dict[str, Any] = {
        "present": set(),
        "scores": {},
        "markers": analysis.markers,
        "decisive": policy.get("decisive", {}),
        "articles": articles,
        "quoted_share": analysis.quoted_units / analysis.unit_count if analysis.unit_count else 0.0,
        "instructions": len(analysis.instructions),
    }
    kind, recognised, basis, kind_reason = decide_kind(analysis, policy, ctx)
    ctx["kind"], ctx["kind_recognised"] = kind, recognised

    moved: dict[int, str] = {}
    if kind not in policy.get("element_kinds", ["wmo", "sociaal_domein", "amendment"]):
        for e in analysis.evidence:
            moved[id(e)] = f"geen Wmo-regeling ({KIND_NL.get(kind, kind)})"
    excluded = _chapter_moves(analysis, ruleset, moved) if kind == "sociaal_domein" else []
    _route_moves(analysis, ruleset, moved)
    results = element_results(analysis, ruleset, moved)
    scores = model_scores(results, policy)
    ctx["present"] = {r.id for r in results if r.present}
    ctx["scores"] = scores
    ctx["definition_only"] = _definition_only(results)
    early = _early_generation(policy, ctx) if kind not in ("not_wmo",) else None
    ctx["generation"] = early

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

    generation = early
    if generation is None and verdict not in ("not_wmo",) and kind != "not_wmo":
        for entry in policy.get("generation", []):
            if condition_holds(entry.get("when") or {}, ctx):
                generation = entry["generation"]
                break
    ctx["generation"] = generation

    confidence, confidence_reasons = _confidence(policy, ctx, verdict, scores, articles)
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
        reasons=[kind_reason] + reasons + confidence_reasons,
        kind=kind,
        kind_recognised=recognised,
        kind_basis=basis,
        kind_reason=kind_reason,
        confidence_reasons=confidence_reasons,
        changes=amendment_changes(analysis, results) if kind == "amendment" else [],
        excluded_chapters=excluded,
    )


def _confidence(policy: dict, ctx: dict, verdict: str, scores: dict, articles: int) -> tuple[float, list[str]]:
    conf = policy["confidence"]
    gap = abs(scores["2010"] - scores["2006"])
    confidence = float(conf["base"].get(verdict, 0.5))
    if verdict in ("old", "new", "tussenvorm"):
        confidence += float(conf["slope"]) * gap
    confidence = min(float(conf["max"]), confidence)
    why = []
    for penalty in conf.get("penalties", []):
        if condition_holds(penalty.get("when") or {}, ctx):
            confidence -= float(penalty.get("minus", 0.0))
            reason = penalty.get("reason", "")
            if reason:
                why.append(reason.format(articles=articles, articles_word="artikel" if articles == 1 else "artikelen"))
    confidence = max(float(conf.get("min", 0.0)), confidence)
    return round(confidence, 2), why


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
