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
    # a manifest of the team's samples ("samples:") or real documents' labels ("documents:" or a list)
    samples = data if isinstance(data, list) else (data.get("samples") or data.get("documents")) if isinstance(data, dict) else None
    if not isinstance(samples, list):
        raise InputError("manifest heeft geen lijst 'samples'.", str(path))
    return samples


# confidence bands for the calibration table: [low, high)
BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)]


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
    kind_ok = kind_total = generation_ok = generation_total = 0
    bands = [{"low": lo, "high": min(hi, 1.0), "documents": 0, "right": 0} for lo, hi in BANDS]
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
            kind_right = True
            if sample.get("kind"):
                kind_total += 1
                kind_right = v.kind == sample["kind"]
                kind_ok += kind_right
            if sample.get("generation"):
                generation_total += 1
                generation_ok += v.generation == sample["generation"]
            right = ok and kind_right and (not sample.get("lean") or v.lean == sample["lean"])
            for band, (lo, hi) in zip(bands, BANDS):
                if lo <= v.confidence < hi:
                    band["documents"] += 1
                    band["right"] += right
            present = v.present_ids()
            expected = set(sample.get("present") or [])
            # the ids the labels speak about: all for a full label, else those listed
            judged = expected | set(sample.get("absent") or [])
            missed, extra = sorted(expected - present), sorted((present - expected) & judged)
            for element_id in CATALOGUE:
                if element_id not in judged:
                    continue
                if element_id in present and element_id in expected:
                    tp[element_id] += 1
                elif element_id in present:
                    fp[element_id] += 1
                elif element_id in expected:
                    fn[element_id] += 1
            rows.append(
                {
                    "id": sample["id"],
                    "file": path.name,
                    "expected": sample["verdict"],
                    "verdict": v.verdict,
                    "expected_lean": sample.get("lean"),
                    "lean": v.lean,
                    "expected_kind": sample.get("kind"),
                    "kind": v.kind,
                    "confidence": v.confidence,
                    "ok": right,
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
    return {
        "manifest": str(manifest),
        "documents": total,
        "verdict_accuracy": round(verdict_ok / total, 4) if total else 0.0,
        "lean_accuracy": round(lean_ok / lean_total, 4) if lean_total else 1.0,
        "kind_accuracy": round(kind_ok / kind_total, 4) if kind_total else 1.0,
        "generation_accuracy": round(generation_ok / generation_total, 4) if generation_total else 1.0,
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
    out.append(f"  Oordeel juist:   {report['verdict_accuracy']:.1%}")
    out.append(f"  Neiging juist:   {report['lean_accuracy']:.1%}")
    out.append(f"  Soort juist:     {report['kind_accuracy']:.1%}")
    out.append(f"  Generatie juist: {report['generation_accuracy']:.1%}")
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
    out.append("")
    out.append("  Kalibratie (hoe vaak het oordeel juist is per zekerheid)")
    for band in report["calibration"]:
        accuracy = "—" if band["accuracy"] is None else f"{band['accuracy']:.0%}"
        out.append(
            f"    zekerheid {band['low']:.0%}–{band['high']:.0%}: {band['documents']:>4} documenten, "
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
                if r.get("expected_kind") and r["expected_kind"] != r.get("kind"):
                    detail += f"; soort verwacht {r['expected_kind']}, gevonden {r['kind']}"
                out.append(f"    {r['file']}: {detail}; mist {r['missed']}, extra {r['extra']}")
    return "\n".join(out)
