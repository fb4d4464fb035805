#!/usr/bin/env python3
"""Speed and memory benchmark of verordeningcheck (targets: docs/performance.md).

Usage::

    python benchmarks/run.py            # full run, about two minutes on two cores
    python benchmarks/run.py --quick    # tiny inputs: a smoke test of this script

Inputs are generated from the project's samples (see ``benchmarks/inputs.py``): a PDF of about
100 pages (the articles of the Wmo samples renumbered as one ordinance, with an
artikelsgewijze toelichting), a 60-article CVDR XML, 40-article HTML and XML ordinances and
200 documents cycled from ``samples/rendered/`` (every format and layout).

Every workload runs in a fresh Python process, stage by stage: load/parse, NLP (tokens and
lemmas), match (rules and markers), score, report (JSON and HTML). Per stage the table shows
the best wall time of ``--repeat`` runs and the peak resident memory of the process during
the stage (Linux: the peak is reset before each stage through /proc/self/clear_refs, so it
is the stage's own peak on top of what the process already holds). The same process then
times the whole ``check()`` and raw pypdfium2 text extraction of the same PDF, which gives
the ratio of the PDF target. Cold runs are fresh ``python -m verordeningcheck check FILE --format
json`` processes, as a user starts them.

Only the standard library and verordeningcheck's own dependencies are used (reportlab, from
the ``test`` extra, renders the PDF).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# speed and memory targets on the 2-core reference machine (docs/performance.md)
TARGET_PDF_RATIO = 3.0  # whole check / raw pypdfium2 extraction
TARGET_PDF_PEAK_MB = 200.0  # 100-page PDF, whole process
TARGET_COLD_SECONDS = 1.5  # 40-article HTML or XML, fresh process
TARGET_BATCH_SPEEDUP = 1.7  # batch --jobs 2 over --jobs 1
TARGET_BATCH_HTML_XML_PER_S = 10.0  # batch of HTML/XML documents on 2 cores


# --------------------------------------------------------------------------- memory


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            match = re.search(rf"^{field}:\s+(\d+) kB", fh.read(), re.M)
    except OSError:
        return None
    return int(match.group(1)) if match else None


class PeakMemory:
    """Peak resident memory of this process during a block (MB).

    On Linux the kernel's high-water mark (VmHWM) is reset before the block; elsewhere
    ru_maxrss is used, which is the peak since the process started (marked ``cumulative``).
    """

    def __init__(self) -> None:
        self.resettable = self._reset()

    @staticmethod
    def _reset() -> bool:
        try:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
                fh.write("5")
            return _status_kb("VmHWM") is not None
        except OSError:
            return False

    def __enter__(self) -> "PeakMemory":
        if self.resettable:
            self._reset()
        self.start_mb = self.current_mb()
        return self

    def __exit__(self, *exc) -> None:
        if self.resettable:
            self.peak_mb = _status_kb("VmHWM") / 1024
        else:
            import resource

            scale = 1024 if sys.platform != "darwin" else 1024 * 1024
            self.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale

    @staticmethod
    def current_mb() -> float:
        rss = _status_kb("VmRSS")
        return rss / 1024 if rss is not None else 0.0


# --------------------------------------------------------------------------- worker


def worker(spec: dict) -> dict:
    """Run one workload stage by stage in this (fresh) process; return the measurements."""
    sys.path.insert(0, str(ROOT))
    paths = [Path(p) for p in spec["paths"]]
    repeat = spec["repeat"]
    out: dict = {"stages": {}, "resettable": PeakMemory().resettable, "repeat": repeat}

    def measure(name: str, func, runs: int = repeat):
        times = []
        peak = 0.0
        result = None
        for _ in range(runs):
            with PeakMemory() as memory:
                started = time.perf_counter()
                result = func()
                times.append(time.perf_counter() - started)
            peak = max(peak, memory.peak_mb)
        out["stages"][name] = {"seconds": min(times), "first": times[0], "peak_mb": peak, "start_mb": memory.start_mb}
        return result

    # start-up: what a fresh process pays before the first document
    with PeakMemory() as memory:
        started = time.perf_counter()
        import verordeningcheck.pipeline  # noqa: F401
        import verordeningcheck.report  # noqa: F401

        imported = time.perf_counter()
        import spacy  # noqa: F401  (timed on its own: the largest single cost)

        spacy_done = time.perf_counter()
        from verordeningcheck import nlp
        from verordeningcheck.pipeline import get_ruleset

        get_ruleset()
        rules_done = time.perf_counter()
        nlp.pipeline()
        ready = time.perf_counter()
    out["startup"] = {
        "import": imported - started,
        "spacy": spacy_done - imported,
        "rules": rules_done - spacy_done,
        "nlp": ready - rules_done,
        "seconds": ready - started,
        "peak_mb": memory.peak_mb,
    }

    from verordeningcheck import analyse as analyse_module
    from verordeningcheck.analyse import analyse
    from verordeningcheck.load import load
    from verordeningcheck.pipeline import CheckResult, check, get_ruleset
    from verordeningcheck.report import render_html
    from verordeningcheck.score import score

    ruleset = get_ruleset()

    def stages() -> None:
        """The pipeline one stage at a time over all documents (freed on return)."""
        documents = measure("load/parse", lambda: [load(p) for p in paths])
        if hasattr(analyse_module, "tokenize_document"):
            tokenized = measure("NLP tokenize", lambda: [analyse_module.tokenize_document(d) for d in documents])
            analyses = measure("match", lambda: [analyse(d, ruleset, t) for d, t in zip(documents, tokenized)])
        else:  # an older verordeningcheck: analyse() tokenises itself; match = analyse - tokenize
            from verordeningcheck.nlp import tokenize

            def tokenize_all():
                for d in documents:
                    tokenize([u.text for u in analyse_module.document_units(d)])
                    tokenize([d.title] + list(d.aanhef))

            measure("NLP tokenize", tokenize_all)
            analyses = measure("match", lambda: [analyse(d, ruleset) for d in documents])
            for field in ("seconds", "first"):
                out["stages"]["match"][field] -= out["stages"]["NLP tokenize"][field]
            out["stages"]["match"]["derived"] = True
        verdicts = measure("score", lambda: [score(a, ruleset) for a in analyses])
        results = [CheckResult(d, a, v, ruleset.version) for d, a, v in zip(documents, analyses, verdicts)]

        def report():
            for result in results:
                json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
                render_html(result)

        try:
            measure("report", report)
        except Exception as exc:  # report.py is work in progress elsewhere: never lose the rest
            out["stages"]["report"] = {"error": f"{type(exc).__name__}: {exc}"}
        out["articles"] = sum(len(d.articles) for d in documents)
        out["verdicts"] = sorted({v.verdict for v in verdicts})

    stages()
    out["documents"] = len(paths)
    out["pages"] = sum(_pdf_pages(p) for p in paths if p.suffix == ".pdf")
    measure("check, whole", lambda: [check(p) for p in paths])

    pdfs = [p for p in paths if p.suffix == ".pdf"]
    if pdfs and spec.get("raw"):
        measure("raw pypdfium2 text", lambda: [_raw_text(p) for p in pdfs], runs=max(3, repeat))
    return out


def _raw_text(path: Path) -> int:
    """The floor: pdfium's plain text of every page, nothing else."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    chars = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return chars


def _pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


RAW_SCRIPT = (
    "import sys, pypdfium2 as pdfium\n"
    "pdf = pdfium.PdfDocument(sys.argv[1])\n"
    "for i in range(len(pdf)):\n"
    "    page = pdf[i]; textpage = page.get_textpage(); textpage.get_text_range(); textpage.close(); page.close()\n"
)


# --------------------------------------------------------------------------- driver


def run_worker(spec: dict) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
        capture_output=True, text=True, env=env, cwd=str(ROOT),
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed_process(args: list[str], env_extra: dict | None = None, cpus: set[int] | None = None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one fresh process (stdout discarded); ``cpus``
    restricts it (and the processes it starts) to those CPUs."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.update(env_extra or {})
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=str(ROOT),
                            preexec_fn=pin)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    else:  # pragma: no cover - not on Linux/macOS
        proc.wait()
        elapsed = time.perf_counter() - started
        peak = float("nan")
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr}")
    return elapsed, peak


def cold_check(path: Path, runs: int, env_extra: dict | None = None) -> dict:
    args = [sys.executable, "-m", "verordeningcheck", "check", str(path), "--format", "json"]
    times, peaks = zip(*(timed_process(args, env_extra) for _ in range(runs)))
    return {"best": min(times), "median": statistics.median(times), "peak_mb": max(peaks), "runs": runs}


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            found = re.search(r"^model name\s*:\s*(.+)$", fh.read(), re.M)
            cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            total = int(re.search(r"MemTotal:\s+(\d+)", fh.read()).group(1))
            memory = f", {total / 1024 / 1024:.1f} GB RAM"
    except (OSError, AttributeError):
        pass
    versions = []
    for name in ("spacy", "spacy-lookups-data", "pypdfium2", "lxml"):
        try:
            from importlib.metadata import version

            versions.append(f"{name} {version(name)}")
        except Exception:
            pass
    return (f"{os.cpu_count()} CPUs ({cpu}){memory}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; " + ", ".join(versions))


def generate(workdir: Path, quick: bool) -> dict:
    sys.path.insert(0, str(HERE))
    import inputs

    render = inputs.load_renderer()
    sizes = dict(pdf=12, pdf_toel=1, xml=10, cold=8, mixed=6) if quick else \
        dict(pdf=270, pdf_toel=2, xml=60, cold=40, mixed=200)
    files = {
        "pdf": inputs.write_pdf(render, inputs.long_ordinance(render, sizes["pdf"], sizes["pdf_toel"]),
                                workdir / f"ordinance-{sizes['pdf']}-articles.pdf"),
        "xml": inputs.write_cvdr(render, inputs.long_ordinance(render, sizes["xml"], 1),
                                 workdir / f"ordinance-{sizes['xml']}-articles-cvdr.xml"),
        "cold_html": inputs.write_html(render, inputs.long_ordinance(render, sizes["cold"], 1),
                                       workdir / f"ordinance-{sizes['cold']}-articles.html"),
        "cold_xml": inputs.write_cvdr(render, inputs.long_ordinance(render, sizes["cold"], 1),
                                      workdir / f"ordinance-{sizes['cold']}-articles-cvdr.xml"),
    }
    files["mixed"] = inputs.mixed_documents(sizes["mixed"])
    files["sizes"] = sizes
    return files


def batch_inputs(workdir: Path, files: list[Path], count: int, name: str) -> Path:
    """``count`` files cycled from ``files``, copied under unique names into one directory."""
    folder = workdir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(count):
        source = files[i % len(files)]
        shutil.copyfile(source, folder / f"{i:04d}-{source.name}")
    return folder


def batch_run(folder: Path, jobs: int, workdir: Path, one_core: bool = False) -> dict:
    """One fresh ``verordeningcheck batch`` process over ``folder`` with an empty output
    directory (nothing cached): wall time including the start of the worker processes.
    ``one_core``: the batch process and its workers may use only the first CPU."""
    output = workdir / f"batch-out-{folder.name}-{jobs}"
    shutil.rmtree(output, ignore_errors=True)
    args = [sys.executable, "-m", "verordeningcheck", "batch", str(folder), "--output", str(output),
            "--jobs", str(jobs)]
    cpus = {min(os.sched_getaffinity(0))} if one_core and hasattr(os, "sched_setaffinity") else None
    seconds, peak = timed_process(args, cpus=cpus)
    with open(output / "results.json", encoding="utf-8") as fh:
        data = json.load(fh)
    rows = data["files"]
    documents = len(rows)
    failed = sum(1 for row in rows if row.get("status") != "ok")
    shutil.rmtree(output, ignore_errors=True)
    return {"seconds": seconds, "peak_mb": peak, "documents": documents, "failed": failed, "jobs": jobs,
            "cores": 1 if cpus else len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()}


def bench_batch(workdir: Path, mixed: list[Path], quick: bool) -> dict:
    html_xml = sorted(p for p in (ROOT / "samples" / "rendered").glob("*/*")
                      if p.suffix in (".html", ".xml"))
    count = 6 if quick else 200
    results = {}
    for key, files in (("mixed", mixed), ("html_xml", html_xml)):
        folder = batch_inputs(workdir, files, count, f"batch-{key}")
        results[key] = {
            "single": batch_run(folder, 1, workdir, one_core=True),  # single-core throughput
            1: batch_run(folder, 1, workdir),
            2: batch_run(folder, 2, workdir),
        }
    # marginal throughput: the extra time for the second half of the files, which leaves out
    # what every run pays once (starting Python and the workers, writing the summary)
    half = batch_inputs(workdir, html_xml, count // 2, "batch-html_xml-half")
    results["html_xml"]["single_half"] = batch_run(half, 1, workdir, one_core=True)
    results["html_xml"]["two_half"] = batch_run(half, 2, workdir)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs, one run each (smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per stage, best counts (default 3; quick 1)")
    parser.add_argument("--cold-runs", type=int, default=None, help="fresh processes per cold check (default 5; quick 1)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated inputs here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0

    repeat = args.repeat or (1 if args.quick else 3)
    cold_runs = args.cold_runs or (1 if args.quick else 5)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="verordeningcheck-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        files = generate(workdir, args.quick)
        sizes = files["sizes"]
        workloads = {
            "pdf": run_worker({"paths": [str(files["pdf"])], "repeat": repeat, "raw": True}),
            "xml": run_worker({"paths": [str(files["xml"])], "repeat": repeat}),
            "mixed": run_worker({"paths": [str(p) for p in files["mixed"]], "repeat": 1}),
        }
        cold = {
            "html": cold_check(files["cold_html"], cold_runs),
            "xml": cold_check(files["cold_xml"], cold_runs),
            "pdf": cold_check(files["pdf"], max(1, cold_runs // 2 + 1)),
        }
        if not args.quick:  # a second of extra time that a smoke test does not need
            with tempfile.TemporaryDirectory(prefix="verordeningcheck-cache-") as empty:
                cold["xml_empty_cache"] = cold_check(files["cold_xml"], 1, {"VERORDENINGCHECK_CACHE_DIR": empty})
        raw_times = [timed_process([sys.executable, "-c", RAW_SCRIPT, str(files["pdf"])])
                     for _ in range(max(1, cold_runs // 2 + 1))]
        cold["raw_pdf"] = {"best": min(t for t, _ in raw_times), "peak_mb": max(m for _, m in raw_times)}
        batch = bench_batch(workdir, files["mixed"], args.quick)
        print(render_table(workloads, cold, sizes, args.quick, time.perf_counter() - started, batch))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


# --------------------------------------------------------------------------- the table


def render_table(workloads: dict, cold: dict, sizes: dict, quick: bool, total_seconds: float,
                 batch: dict | None = None) -> str:
    rows: list[tuple[str, ...]] = []
    pdf = workloads["pdf"]
    pages = pdf["pages"] or 1
    titles = {
        "pdf": f"{pdf['pages']}-page PDF ({pdf['articles']} articles + toelichting)",
        "xml": f"{workloads['xml']['articles']}-article CVDR XML",
        "mixed": f"{workloads['mixed']['documents']} mixed documents (samples/rendered, all formats)",
    }
    for key in ("pdf", "xml", "mixed"):
        data = workloads[key]
        docs = data["documents"]
        rows.append((f"[{titles[key]}]", "", "", "", "", ""))
        if key == "pdf":
            s = data["startup"]
            rows.append(("  start-up (fresh process, before the first document)", f"{s['seconds']:.3f}", "",
                         f"{s['peak_mb']:.0f}", "",
                         f"imports {s['import']:.2f} + import spacy {s['spacy']:.2f} + rules {s['rules']:.2f}"
                         f" + NLP {s['nlp']:.2f}"))
        for stage in ("load/parse", "NLP tokenize", "match", "score", "report", "check, whole", "raw pypdfium2 text"):
            m = data["stages"].get(stage)
            if m is None:
                continue
            if "error" in m:
                rows.append((f"  {stage}", "error", "", "", "", m["error"][:60]))
                continue
            seconds = m["seconds"]
            rate = ""
            if key == "pdf" and stage in ("load/parse", "check, whole", "raw pypdfium2 text"):
                rate = f"{pages / seconds:.0f} pages/s"
            elif key != "pdf" and stage in ("load/parse", "check, whole"):
                rate = f"{docs / seconds:.1f} docs/s"
            label = "check (warm, load→score)" if stage == "check, whole" else stage
            if m.get("derived"):
                label += " (analyse − tokenize)"
            first = f"{m['first']:.3f}" if data["repeat"] > 1 or stage == "raw pypdfium2 text" else ""
            rows.append((f"  {label}", f"{seconds:.3f}", first, f"{m['peak_mb']:.0f}",
                         f"+{max(0.0, m['peak_mb'] - m['start_mb']):.0f}", rate))
        if key == "pdf":
            ratio = data["stages"]["check, whole"]["seconds"] / data["stages"]["raw pypdfium2 text"]["seconds"]
            rows.append(("  ratio check / raw pypdfium2 (same process, best runs)", f"{ratio:.1f}x", "", "", "",
                         _verdict(ratio <= TARGET_PDF_RATIO, f"target <= {TARGET_PDF_RATIO:g}x")))
    rows.append(("[cold: fresh process, python -m verordeningcheck check FILE --format json]", "", "", "", "", ""))
    for key, label in (("html", f"{sizes['cold']}-article HTML (lokaleregelgeving)"),
                       ("xml", f"{sizes['cold']}-article CVDR XML")):
        c = cold[key]
        rows.append((f"  {label}, best of {c['runs']}", f"{c['best']:.2f}", f"{c['median']:.2f}",
                     f"{c['peak_mb']:.0f}", "",
                     _verdict(c["best"] <= TARGET_COLD_SECONDS, f"target <= {TARGET_COLD_SECONDS:g} s")))
    c = cold.get("xml_empty_cache")
    if c is not None:
        rows.append(("  same XML, empty lemma cache (first run on a machine)", f"{c['best']:.2f}", "",
                     f"{c['peak_mb']:.0f}", "", "builds the SQLite lemma cache"))
    c, raw = cold["pdf"], cold["raw_pdf"]
    rows.append((f"  {pdf['pages']}-page PDF, best of {c['runs']}", f"{c['best']:.2f}", f"{c['median']:.2f}",
                 f"{c['peak_mb']:.0f}", "",
                 _verdict(c["peak_mb"] <= TARGET_PDF_PEAK_MB, f"peak target <= {TARGET_PDF_PEAK_MB:g} MB")))
    rows.append(("  same PDF, raw pypdfium2 text in a fresh process", f"{raw['best']:.2f}", "",
                 f"{raw['peak_mb']:.0f}", "",
                 f"cold ratio {c['best'] / raw['best']:.1f}x"))
    if batch:
        rows.append(("[batch: fresh `batch` process, nothing cached; 1 core = pinned]",
                     "", "", "", "", ""))
        for key, label in (("mixed", "mixed docs + reports"),
                           ("html_xml", "HTML/XML docs + reports")):
            single, two = batch[key]["single"], batch[key][2]
            for run in (single, batch[key][1], two):
                rate = run["documents"] / run["seconds"]
                note = f"{rate:.1f} docs/s"
                if run["failed"]:
                    note += f", {run['failed']} failed"
                if key == "html_xml" and run["jobs"] == 2:
                    note += "; " + _verdict(rate >= TARGET_BATCH_HTML_XML_PER_S,
                                            f"target >= {TARGET_BATCH_HTML_XML_PER_S:g} docs/s")
                cores = "1 core" if run["cores"] == 1 else f"{run['cores']} cores"
                rows.append((f"  {run['documents']} {label}, {cores}, --jobs {run['jobs']}", f"{run['seconds']:.2f}", "",
                             f"{run['peak_mb']:.0f}", "", note))
            speedup = single["seconds"] / two["seconds"]
            rows.append((f"  speed-up, whole run: 2 cores --jobs 2 over 1 core ({key})", f"{speedup:.2f}x", "", "",
                         "", _verdict(speedup >= TARGET_BATCH_SPEEDUP, f"target >= {TARGET_BATCH_SPEEDUP:g}x")))
        runs = batch["html_xml"]
        extra = runs["single"]["documents"] - runs["single_half"]["documents"]
        marginal_one = extra / max(1e-9, runs["single"]["seconds"] - runs["single_half"]["seconds"])
        marginal_two = extra / max(1e-9, runs[2]["seconds"] - runs["two_half"]["seconds"])
        rows.append((f"  marginal throughput ({runs['single_half']['documents']} -> {runs['single']['documents']}"
                     " HTML/XML files), 1 core", "", "", "", "", f"{marginal_one:.1f} docs/s"))
        rows.append(("  marginal throughput, same, 2 cores --jobs 2", "", "", "", "",
                     f"{marginal_two:.1f} docs/s"))
        ratio = marginal_two / marginal_one
        rows.append(("  speed-up of the marginal throughput (start-up and summary left out)", f"{ratio:.2f}x", "",
                     "", "", _verdict(ratio >= TARGET_BATCH_SPEEDUP, f"target >= {TARGET_BATCH_SPEEDUP:g}x")))

    header = ("stage", "best s", "1st/med s", "peak MB", "+MB", "throughput / target")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(6)]

    def line(r):
        return "  ".join([r[0].ljust(widths[0])] + [r[i].rjust(widths[i]) for i in (1, 2, 3, 4)] + [r[5]]).rstrip()

    out = [
        f"verordeningcheck benchmark{' (--quick: tiny inputs, not for comparison)' if quick else ''}",
        f"machine: {machine()}",
        f"verdicts: pdf {','.join(workloads['pdf']['verdicts'])}; xml {','.join(workloads['xml']['verdicts'])}; "
        f"mixed {','.join(workloads['mixed']['verdicts'])}",
        "best s: best of the runs; 1st/med s: first run (caches cold) or, for fresh processes, the median; "
        "peak MB: process peak RSS during the stage"
        + ("" if workloads["pdf"]["resettable"] else " (cumulative: peak could not be reset)")
        + "; +MB: above the RSS at the stage's start",
        "",
        line(header),
        line(tuple("-" * w for w in widths)),
    ]
    out += [line(r) for r in rows]
    out.append("")
    out.append(f"total benchmark time {total_seconds:.0f} s")
    return "\n".join(out)


def _verdict(ok: bool, target: str) -> str:
    return f"{target}: {'met' if ok else 'NOT met'}"


if __name__ == "__main__":
    sys.exit(main())
