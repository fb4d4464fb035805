"""Evaluate verdicts and element detection against a manifest of expected results."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
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
    samples = data.get("samples") if isinstance(data, dict) else None
    if not isinstance(samples, list):
        raise InputError("manifest heeft geen lijst 'samples'.", str(path))
    return samples


def sample_files(manifest: Path, sample: dict, renderings: str) -> list[Path]:
    if sample.get("files"):
        return [manifest.parent / f for f in sample["files"]]
    folder = manifest.parent / "rendered" / sample["id"]
    files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    if renderings not in ("all", ""):
        wanted = [w.strip() for w in renderings.split(",") if w.strip()]
        files = [f for f in files if any(w in f.name for w in wanted)]
    return files


def evaluate_manifest(
    manifest: Path | None, *, renderings: str = "all", rules: list[Path] | None = None, check_file=None
) -> dict:
    """Evaluate every rendering listed by the manifest. ``check_file(path)`` may supply cached results."""
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
    verdict_ok = lean_ok = lean_total = total = 0
    # legal requirements (samples with legal_present / legal_absent), and which law was chosen
    legal_tp: Counter = Counter()
    legal_fp: Counter = Counter()
    legal_fn: Counter = Counter()
    law_ok = law_total = legal_docs = 0
    for sample in samples:
        for path in sample_files(manifest, sample, renderings):
            try:
                result = check_file(path)
            except InputError as exc:
                rows.append({"id": sample["id"], "file": path.name, "error": exc.user_message()})
                total += 1
                confusion[sample["verdict"]]["fout"] += 1
                continue
            v = result.verdict
            total += 1
            confusion[sample["verdict"]][v.verdict] += 1
            ok = v.verdict == sample["verdict"]
            verdict_ok += ok
            if sample.get("lean"):
                lean_total += 1
                lean_ok += v.lean == sample["lean"]
            present = v.present_ids()
            expected = set(sample.get("present") or [])
            missed, extra = sorted(expected - present), sorted(present - expected)
            for element_id in CATALOGUE:
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
                    "expected": sample["verdict"],
                    "verdict": v.verdict,
                    "expected_lean": sample.get("lean"),
                    "lean": v.lean,
                    "ok": ok and (not sample.get("lean") or v.lean == sample["lean"]),
                    "missed": missed,
                    "extra": extra,
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
        "verdict_accuracy": round(verdict_ok / total, 4) if total else 0.0,
        "lean_accuracy": round(lean_ok / lean_total, 4) if lean_total else 1.0,
        "element_precision": round(micro_p, 4),
        "element_recall": round(micro_r, 4),
        "element_f1": round(micro_f1, 4),
        "per_element": per_element,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "rows": rows,
    }


def render_table(report: dict) -> str:
    out = [f"Evaluatie van {report['documents']} documenten ({report['manifest']})", ""]
    out.append(f"  Oordeel juist:   {report['verdict_accuracy']:.1%}")
    out.append(f"  Neiging juist:   {report['lean_accuracy']:.1%}")
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
            else:
                detail = f"verwacht {r['expected']}" + (f"/{r['expected_lean']}" if r.get("expected_lean") else "")
                detail += f", gevonden {r['verdict']}" + (f"/{r['lean']}" if r.get("lean") else "")
                out.append(f"    {r['file']}: {detail}; mist {r['missed']}, extra {r['extra']}")
    return "\n".join(out)
