"""Evaluate readers and judgement against a manifest of expected results.

One mechanism for every set: the sample manifests (``samples:``, one entry per ordinance,
checked in each of its renderings) and label files of real documents (``documents:``, one
entry per file, ``file:``). Every measure is counted only where the entry labels it: verdict
and lean, kind, generation, title, gemeente, article numbers, and element presence over the
element ids an entry lists in ``present`` / ``absent``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .readers.structure import normalize_ws
from .pipeline import check_document, get_ruleset
from .load import load
from .ruleset import CATALOGUE

VERDICTS = ["old", "tussenvorm", "new", "not_wmo", "amendment"]


def default_manifest() -> Path:
    for candidate in (Path.cwd() / "samples" / "manifest.yaml", Path(__file__).resolve().parent.parent / "samples" / "manifest.yaml"):
        if candidate.is_file():
            return candidate
    raise InputError("geen manifest gevonden; geef het pad op (bijvoorbeeld samples/manifest.yaml).")


def load_manifest(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"manifest kan niet worden gelezen: {exc}", str(path)) from None
    samples = (data.get("samples", data.get("documents")) if isinstance(data, dict) else None)
    if not isinstance(samples, list):
        raise InputError("manifest heeft geen lijst 'samples' of 'documents'.", str(path))
    return samples


def sample_files(manifest: Path, sample: dict, renderings: str) -> list[Path]:
    if sample.get("files"):
        return [manifest.parent / f for f in sample["files"]]
    if sample.get("file"):
        return [manifest.parent / sample["file"]]
    folder = manifest.parent / "rendered" / sample["id"]
    files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    if renderings not in ("all", ""):
        wanted = [w.strip() for w in renderings.split(",") if w.strip()]
        files = [f for f in files if any(w in f.name for w in wanted)]
    return files


# Confidence bands for the calibration table: [low, high).
BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)]

# Measures counted per document where its entry labels them; Dutch names for the table.
MEASURES = {
    "title": "Titel juist",
    "gemeente": "Gemeente juist",
    "articles": "Artikelen juist",
    "kind": "Soort juist",
    "generation": "Generatie juist",
}


def _same_text(found: str | None, accepted: list[str | None]) -> bool:
    """Equal after normalising whitespace and case only (None and "" both mean: none)."""
    def norm(value: str | None) -> str:
        return normalize_ws(value or "").casefold()

    return norm(found) in {norm(a) for a in accepted}


def _accepted(sample: dict, key: str) -> list:
    return [sample[key], *(sample.get(f"{key}_alternatives") or [])]


def found_kind(result) -> tuple[str | None, bool]:
    """The kind the checker reports, and whether it had to be derived from the verdict.

    Until the scorer reports a kind of its own, ``not_wmo`` / ``amendment`` verdicts give
    that kind and every other verdict ``wmo`` (so ``sociaal_domein`` cannot be right yet).
    """
    kind = getattr(result.verdict, "kind", None)
    if isinstance(kind, dict):
        kind = kind.get("kind")
    if kind:
        return str(kind), False
    verdict = result.verdict.verdict
    return (verdict if verdict in ("not_wmo", "amendment") else "wmo"), True


def _labelled(sample: dict, key: str) -> bool:
    """Title, gemeente and articles count wherever the key is given (null = none expected);
    kind and generation only when given a value (null = not judged, as for verdicts)."""
    if key in ("title", "gemeente", "articles"):
        return key in sample
    return sample.get(key) is not None


def _measure(sample: dict, result) -> dict[str, tuple[bool, str]]:
    """Per labelled reader/judgement measure: (right, Dutch description of a miss)."""
    document = result.document
    out: dict[str, tuple[bool, str]] = {}
    if _labelled(sample, "title"):
        ok = _same_text(document.title, _accepted(sample, "title"))
        out["title"] = (ok, f"titel: verwacht {sample['title']!r}, gevonden {document.title!r}")
    if _labelled(sample, "gemeente"):
        ok = _same_text(document.gemeente, _accepted(sample, "gemeente"))
        out["gemeente"] = (ok, f"gemeente: verwacht {sample['gemeente']!r}, gevonden {document.gemeente!r}")
    if _labelled(sample, "articles"):
        numbers = [a.number for a in document.articles]
        expected = [str(n) for n in sample["articles"]]
        out["articles"] = (numbers == expected, f"artikelen: verwacht {expected}, gevonden {numbers}")
    if _labelled(sample, "kind"):
        kind, derived = found_kind(result)
        note = " (afgeleid van het oordeel)" if derived else ""
        out["kind"] = (kind == sample["kind"], f"soort: verwacht {sample['kind']}, gevonden {kind}{note}")
    if _labelled(sample, "generation"):
        generation = result.verdict.generation
        out["generation"] = (
            generation == sample["generation"],
            f"generatie: verwacht {sample['generation']}, gevonden {generation}",
        )
    return out


def _element_universe(sample: dict) -> set[str] | None:
    """The element ids this entry judges: those it lists as present or absent (None: none)."""
    if "present" not in sample and "absent" not in sample:
        return None
    return set(sample.get("present") or []) | set(sample.get("absent") or [])


def evaluate_manifest(
    manifest: Path | None, *, renderings: str = "all", rules: list[Path] | None = None, check_file=None
) -> dict:
    """Evaluate every file listed by the manifest. ``check_file(path)`` may supply cached results."""
    manifest = manifest or default_manifest()
    samples = load_manifest(manifest)
    ruleset = get_ruleset(rules)
    if check_file is None:
        def check_file(path):
            return check_document(load(path), ruleset)
    rows = []
    confusion: dict[str, Counter] = defaultdict(Counter)
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    right: Counter = Counter()
    counted: Counter = Counter()
    verdict_ok = verdict_total = lean_ok = lean_total = total = 0
    bands = [{"low": lo, "high": min(hi, 1.0), "documents": 0, "right": 0} for lo, hi in BANDS]
    # legal requirements (samples with legal_present / legal_absent), and which law was chosen
    legal_tp: Counter = Counter()
    legal_fp: Counter = Counter()
    legal_fn: Counter = Counter()
    law_ok = law_total = legal_docs = 0
    for sample in samples:
        expected_verdict = sample.get("verdict")
        for path in sample_files(manifest, sample, renderings):
            total += 1
            try:
                result = check_file(path)
            except InputError as exc:
                expected_error = sample.get("load_error")
                if expected_error and type(exc).__name__ == expected_error:
                    # The documented refusal the label expects: only the article count is judged.
                    if _labelled(sample, "articles"):
                        counted["articles"] += 1
                        right["articles"] += not sample["articles"]
                    rows.append({"id": sample["id"], "file": path.name, "ok": True, "expected_error": exc.user_message()})
                    continue
                for key in MEASURES:  # an unexpected refusal misses every labelled measure
                    if _labelled(sample, key):
                        counted[key] += 1
                if expected_verdict:
                    verdict_total += 1
                    confusion[expected_verdict]["fout"] += 1
                rows.append({"id": sample["id"], "file": path.name, "ok": False, "error": exc.user_message()})
                continue
            v = result.verdict
            checks = _measure(sample, result)
            failures = []
            for key, (is_right, miss) in checks.items():
                counted[key] += 1
                right[key] += is_right
                if not is_right:
                    failures.append(miss)
            ok = True
            if expected_verdict:
                verdict_total += 1
                confusion[expected_verdict][v.verdict] += 1
                ok = v.verdict == expected_verdict
                verdict_ok += ok
            if sample.get("lean"):
                lean_total += 1
                lean_ok += v.lean == sample["lean"]
                ok = ok and v.lean == sample["lean"]
            confidence = getattr(v, "confidence", None)
            if expected_verdict and confidence is not None:
                # calibration: how often a judgement at this confidence is right (verdict, lean, kind)
                judged_right = ok and "kind" not in {k for k, (r, _) in checks.items() if not r}
                for band, (lo, hi) in zip(bands, BANDS):
                    if lo <= confidence < hi:
                        band["documents"] += 1
                        band["right"] += judged_right
            present = v.present_ids()
            universe = _element_universe(sample)
            missed: list[str] = []
            extra: list[str] = []
            if universe is not None:
                expected = set(sample.get("present") or [])
                missed = sorted(expected - present)
                extra = sorted((present & universe) - expected)
                for element_id in CATALOGUE:
                    if element_id not in universe:
                        continue
                    if element_id in present and element_id in expected:
                        tp[element_id] += 1
                    elif element_id in present:
                        fp[element_id] += 1
                    elif element_id in expected:
                        fn[element_id] += 1
            legal_missed: list[str] = []
            legal_extra: list[str] = []
            labelled = set(sample.get("legal_present") or []) | set(sample.get("legal_absent") or [])
            if labelled:
                legal_docs += 1
                found = {
                    r.id for cat in result.requirements.values() for r in cat.requirements if r.present
                }
                wanted = set(sample.get("legal_present") or [])
                for requirement_id in sorted(labelled):
                    if requirement_id in found and requirement_id in wanted:
                        legal_tp[requirement_id] += 1
                    elif requirement_id in found:
                        legal_fp[requirement_id] += 1
                        legal_extra.append(requirement_id)
                    elif requirement_id in wanted:
                        legal_fn[requirement_id] += 1
                        legal_missed.append(requirement_id)
            law = None
            if sample.get("wet") and getattr(result, "legal", None) is not None and result.legal.applicable:
                law_total += 1
                law = result.legal.group
                law_ok += law == str(sample["wet"])
            rows.append(
                {
                    "id": sample["id"],
                    "file": path.name,
                    "legal_missed": legal_missed,
                    "legal_extra": legal_extra,
                    "expected_law": sample.get("wet"),
                    "law": law,
                    "expected": expected_verdict,
                    "verdict": v.verdict,
                    "expected_lean": sample.get("lean"),
                    "lean": v.lean,
                    "ok": ok and not failures,
                    "missed": missed,
                    "extra": extra,
                    "failures": failures,
                }
            )
    per_element = {}
    for element_id in CATALOGUE:
        p_den = tp[element_id] + fp[element_id]
        r_den = tp[element_id] + fn[element_id]
        precision = tp[element_id] / p_den if p_den else 1.0
        recall = tp[element_id] / r_den if r_den else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_element[element_id] = {
            "tp": tp[element_id], "fp": fp[element_id], "fn": fn[element_id],
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
        }
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = all_tp / (all_tp + all_fp) if all_tp + all_fp else 1.0
    micro_r = all_tp / (all_tp + all_fn) if all_tp + all_fn else 1.0
    micro_f1 = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    per_requirement = {}
    for requirement_id in sorted(set(legal_tp) | set(legal_fp) | set(legal_fn)):
        t, f_p, f_n = legal_tp[requirement_id], legal_fp[requirement_id], legal_fn[requirement_id]
        per_requirement[requirement_id] = {
            "tp": t, "fp": f_p, "fn": f_n,
            "precision": round(t / (t + f_p), 3) if t + f_p else 1.0,
            "recall": round(t / (t + f_n), 3) if t + f_n else 1.0,
        }
    l_tp, l_fp, l_fn = sum(legal_tp.values()), sum(legal_fp.values()), sum(legal_fn.values())
    return {
        "manifest": str(manifest),
        "legal_precision": round(l_tp / (l_tp + l_fp), 4) if l_tp + l_fp else None,
        "legal_recall": round(l_tp / (l_tp + l_fn), 4) if l_tp + l_fn else None,
        "legal_documents": legal_docs,
        "law_accuracy": round(law_ok / law_total, 4) if law_total else None,
        "per_requirement": per_requirement,
        "documents": total,
        "verdict_accuracy": round(verdict_ok / verdict_total, 4) if verdict_total else 1.0,
        "verdicts": {"right": verdict_ok, "total": verdict_total},
        "lean_accuracy": round(lean_ok / lean_total, 4) if lean_total else 1.0,
        "measures": {key: {"right": right[key], "total": counted[key]} for key in MEASURES if counted[key]},
        "kind_accuracy": round(right["kind"] / counted["kind"], 4) if counted["kind"] else 1.0,
        "calibration": [
            dict(band, accuracy=round(band["right"] / band["documents"], 4) if band["documents"] else None)
            for band in bands
        ],
        "element_precision": round(micro_p, 4),
        "element_recall": round(micro_r, 4),
        "element_f1": round(micro_f1, 4),
        "per_element": per_element,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "rows": rows,
    }


def render_table(report: dict) -> str:
    out = [f"Evaluatie van {report['documents']} documenten ({report['manifest']})", ""]
    verdicts = report.get("verdicts") or {}
    counts = f" ({verdicts['right']}/{verdicts['total']})" if verdicts.get("total") != report["documents"] else ""
    out.append(f"  Oordeel juist:   {report['verdict_accuracy']:.1%}{counts}")
    out.append(f"  Neiging juist:   {report['lean_accuracy']:.1%}")
    for key, label in MEASURES.items():
        m = report.get("measures", {}).get(key)
        if m:
            out.append(f"  {label + ':':<17}{m['right'] / m['total']:.1%} ({m['right']}/{m['total']})")
    out.append(
        f"  Elementen:       precisie {report['element_precision']:.3f}, recall {report['element_recall']:.3f}, "
        f"F1 {report['element_f1']:.3f}"
    )
    out.append("")
    out.append(f"  {'element':<27} {'prec':>6} {'recall':>6} {'F1':>6}   tp  fp  fn")
    for element_id, m in report["per_element"].items():
        out.append(
            f"  {element_id:<27} {m['precision']:>6.2f} {m['recall']:>6.2f} {m['f1']:>6.2f}  {m['tp']:>3} {m['fp']:>3} {m['fn']:>3}"
        )
    if report.get("per_requirement"):
        out.append("")
        out.append(
            f"  Wettelijke eisen: precisie {report['legal_precision']:.3f}, recall {report['legal_recall']:.3f}"
            + (f"; juiste wet {report['law_accuracy']:.1%}" if report.get("law_accuracy") is not None else "")
        )
        out.append(f"  {'eis':<29} {'prec':>6} {'recall':>6}   tp  fp  fn")
        for requirement_id, m in report["per_requirement"].items():
            out.append(
                f"  {requirement_id:<29} {m['precision']:>6.2f} {m['recall']:>6.2f}  {m['tp']:>3} {m['fp']:>3} {m['fn']:>3}"
            )
    out.append("")
    out.append("  Kalibratie (hoe vaak oordeel, neiging en soort juist zijn per zekerheid)")
    for band in report.get("calibration", []):
        accuracy = "—" if band["accuracy"] is None else f"{band['accuracy']:.0%}"
        out.append(
            f"    zekerheid {band['low']:.0%}–{band['high']:.0%}: {band['documents']:>4} {'document' if band['documents'] == 1 else 'documenten'}, "
            f"{band['right']:>4} juist ({accuracy})"
        )
    out.append("")
    columns = VERDICTS + ["fout"]
    out.append("  Verwarringsmatrix (rij = verwacht, kolom = gevonden)")
    out.append("  " + " " * 12 + "".join(f"{c:>11}" for c in columns))
    for expected in VERDICTS:
        counts = report["confusion"].get(expected)
        if not counts:
            continue
        out.append("  " + f"{expected:<12}" + "".join(f"{counts.get(c, 0):>11}" for c in columns))
    legal_wrong = [r for r in report["rows"] if r.get("legal_missed") or r.get("legal_extra")
                   or (r.get("expected_law") and r.get("law") and str(r["expected_law"]) != r["law"])]
    if legal_wrong:
        out.append("")
        out.append("  Afwijkingen wettelijke eisen:")
        for r in legal_wrong:
            out.append(f"    {r['file']}: wet {r.get('law')} (verwacht {r.get('expected_law')}); "
                       f"mist {r['legal_missed']}, extra {r['legal_extra']}")
    wrong = [r for r in report["rows"] if not r.get("ok")]
    if wrong:
        out.append("")
        out.append("  Afwijkingen:")
        for r in wrong:
            if "error" in r:
                out.append(f"    {r['file']}: {r['error']}")
                continue
            parts = []
            verdict_wrong = r.get("expected") and r["verdict"] != r["expected"]
            lean_wrong = r.get("expected_lean") and r.get("lean") != r["expected_lean"]
            if verdict_wrong or lean_wrong:
                detail = f"verwacht {r['expected']}" + (f"/{r['expected_lean']}" if r.get("expected_lean") else "")
                detail += f", gevonden {r['verdict']}" + (f"/{r['lean']}" if r.get("lean") else "")
                parts.append(detail)
            parts.extend(r.get("failures") or [])
            if r.get("missed") or r.get("extra"):
                parts.append(f"mist {r['missed']}, extra {r['extra']}")
            out.append(f"    {r['file']}: " + "; ".join(parts))
    expected_errors = [r for r in report["rows"] if r.get("expected_error")]
    if expected_errors:
        out.append("")
        out.append("  Verwachte foutmelding (het bestand toont geen artikel):")
        for r in expected_errors:
            out.append(f"    {r['expected_error']}")
    return "\n".join(out)
