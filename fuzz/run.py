"""Long fuzz run: mutated sample ordinances through ``load`` and ``check``, per format.

    python fuzz/run.py --seconds 60                 # one minute per format (7 formats)
    python fuzz/run.py --formats pdf,cvdr --seconds 300 --timeout 30
    python fuzz/run.py --seconds 30 --json fuzz/last-run.json

Inputs are drawn by hypothesis (the strategies in ``fuzz/strategies.py``, with larger
bounds than the test suite: longer lines, deeper nesting, more operations) and run in a
worker process with a hard time bound (``--timeout``) and a memory limit, so a hang or a
crash in a C library is counted instead of stopping the run. At the end it prints, per
format, the number of inputs tried and how many gave a result, a documented error
(``VerordeningcheckError``), an unexpected exception, a hang or a crash. Inputs with an
unacceptable outcome (and acceptable ones slower than ``--slow`` seconds) are written to
``fuzz/findings/``: the input, and a ``.about.txt`` with the mutation and the traceback.
Exit code 1 when there was any unacceptable outcome.

Record the last run in ``docs/robustness.md``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from harness import Worker  # noqa: E402
from strategies import ALL_FORMATS, inputs  # noqa: E402

FINDINGS = HERE / "findings"
STATUSES = ("ok", "expected", "unexpected", "hang", "crash", "slow")


def fuzz_format(fmt: str, seconds: float, worker: Worker, args, stats, codes, slowest) -> None:
    deadline = time.monotonic() + seconds
    batch = 0
    while time.monotonic() < deadline:
        @settings(
            max_examples=args.batch,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @seed(args.seed * 1_000_000 + zlib.crc32(fmt.encode()) % 1000 * 1000 + batch)  # differs per format
        @given(inputs(fmt, max_repeat=args.max_repeat, max_depth=args.max_depth, max_ops=args.max_ops,
                      max_line=args.max_line))
        def one(example):
            if time.monotonic() > deadline:
                return
            data, name, description = example
            started = time.monotonic()
            outcome = worker.run(data, name, args.mode)
            elapsed = time.monotonic() - started
            stats[fmt][outcome.status] += 1
            stats[fmt]["tried"] += 1
            if outcome.status == "expected":
                codes[fmt][outcome.code] += 1
            if elapsed > slowest[fmt][0]:
                slowest[fmt] = (elapsed, len(data), description[:200])
            if not outcome.acceptable:
                _save(fmt, data, name, description, outcome)
                print(f"  !! {fmt}: {outcome.status}: {outcome.detail.splitlines()[0] if outcome.detail else ''}",
                      flush=True)
            elif elapsed > args.slow:
                stats[fmt]["slow"] += 1
                _save(f"slow-{fmt}", data, name, description, outcome, elapsed)

        one()
        batch += 1


def _save(fmt: str, data: bytes, name: str, description: str, outcome, elapsed: float | None = None) -> None:
    """``findings/<fmt>-NNN<suffix>`` (the input) and ``findings/<fmt>-NNN.about.txt`` (what happened)."""
    FINDINGS.mkdir(exist_ok=True)
    n = len(list(FINDINGS.glob(f"{fmt}-*.about.txt"))) + 1
    stem = f"{fmt}-{n:03d}"
    (FINDINGS / f"{stem}{Path(name).suffix or '.bin'}").write_bytes(data)
    (FINDINGS / f"{stem}.about.txt").write_text(
        f"name: {name}\nstatus: {outcome.status}\n"
        + (f"seconds: {elapsed:.1f}\n" if elapsed is not None else "")
        + f"mutation: {description}\n\n{outcome.detail}\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default=",".join(ALL_FORMATS), help="comma-separated: " + ",".join(ALL_FORMATS))
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget per format")
    parser.add_argument("--timeout", type=float, default=30.0, help="hard time bound per input (s)")
    parser.add_argument("--mode", choices=["load", "check"], default="check")
    parser.add_argument("--max-repeat", type=int, default=200_000, help="longest inserted line (repetitions)")
    parser.add_argument("--max-depth", type=int, default=400, help="deepest inserted nesting")
    parser.add_argument("--max-ops", type=int, default=10, help="most mutations per input")
    parser.add_argument("--batch", type=int, default=100, help="examples per hypothesis run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=5.0, help="save acceptable inputs slower than this (s)")
    parser.add_argument("--max-line", type=int, default=1_000_000, help="longest inserted line (characters)")
    parser.add_argument("--json", type=Path, default=None, help="also write the counts as JSON")
    args = parser.parse_args(argv)

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    stats: dict[str, Counter] = defaultdict(Counter)
    codes: dict[str, Counter] = defaultdict(Counter)
    slowest: dict[str, tuple] = defaultdict(lambda: (0.0, 0, ""))
    started = time.monotonic()
    with Worker(timeout=args.timeout) as worker:
        for fmt in formats:
            print(f"fuzzing {fmt} for {args.seconds:g} s ...", flush=True)
            fuzz_format(fmt, args.seconds, worker, args, stats, codes, slowest)
    elapsed = time.monotonic() - started

    header = f"{'format':<10}{'tried':>8}" + "".join(f"{s:>12}" for s in STATUSES)
    print()
    print(header)
    total = Counter()
    for fmt in formats:
        row = stats[fmt]
        total.update(row)
        print(f"{fmt:<10}{row['tried']:>8}" + "".join(f"{row[s]:>12}" for s in STATUSES))
    print(f"{'total':<10}{total['tried']:>8}" + "".join(f"{total[s]:>12}" for s in STATUSES))
    bad = total["unexpected"] + total["hang"] + total["crash"]
    print(f"\n{total['tried']} inputs in {elapsed:.0f} s; unexpected exceptions: {total['unexpected']}, "
          f"hangs: {total['hang']}, crashes: {total['crash']}")
    for fmt in formats:
        top = ", ".join(f"{code} {n}" for code, n in codes[fmt].most_common(6))
        print(f"  {fmt}: documented errors: {top or '-'}; slowest input {slowest[fmt][0]:.1f} s ({slowest[fmt][1]} bytes)")
    if args.json:
        args.json.write_text(json.dumps({
            "command": " ".join(["python", "fuzz/run.py"] + (argv if argv is not None else sys.argv[1:])),
            "seconds": round(elapsed),
            "formats": {f: dict(stats[f]) for f in formats},
            "error_codes": {f: dict(codes[f]) for f in formats},
            "slowest": {f: {"seconds": round(slowest[f][0], 2), "bytes": slowest[f][1], "input": slowest[f][2]}
                        for f in formats},
        }, indent=2), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
