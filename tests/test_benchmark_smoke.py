"""Smoke test of the benchmark script: it runs on tiny inputs and prints its table.

No timing is asserted here (timings belong in docs/performance.md, not in unit tests).
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("reportlab")  # renders the benchmark's PDF (the "test" extra)


def test_benchmark_quick_prints_the_table(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--workdir", str(tmp_path)],
        capture_output=True, text=True, cwd=str(ROOT), timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    header = next(line for line in out.splitlines() if line.startswith("stage"))
    for column in ("best s", "peak MB", "throughput / target"):
        assert column in header
    for row in ("load/parse", "NLP tokenize", "match", "score", "report", "check (warm",
                "raw pypdfium2 text", "ratio check / raw pypdfium2", "-article HTML", "-article CVDR XML"):
        assert row in out, f"row {row!r} missing from:\n{out}"
    assert "docs/s" in out and "pages/s" in out
