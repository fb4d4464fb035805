"""Property-based fuzzing: mutated sample ordinances through ``load`` and ``check``.

For every format a hypothesis strategy takes a rendering from ``samples/rendered`` and
mutates it (byte flips, truncation, Unicode insertion including bidi marks and zero-width
characters, very long lines, re-encoding; random nesting, duplication, moving and renaming
of elements in CVDR XML, HTML and word/document.xml; hostile numbers and operators in PDF
content streams). The property: ``load`` and ``check`` return a well-formed result (a list
of articles, a verdict in the allowed set, JSON-serialisable) or raise
:class:`~verordeningcheck.errors.VerordeningcheckError` -- never another exception, never a
hang. Every input runs in a worker process with a hard time bound, so a hang or a crash in
pdfium or libxml2 fails the test instead of stopping the suite.

The strategies and the worker live in ``fuzz/`` and are shared with the long run
``python fuzz/run.py`` (see docs/robustness.md). Bounded for CI: 40 examples per format,
lines up to 2,000 characters (longer runs of some characters hit a known quadratic case in
the analysis, see test_hostile.py::test_check_is_fast_on_a_long_run_of_currency_signs).
"""
from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import ROOT

sys.path.insert(0, str(ROOT / "fuzz"))

from harness import Worker  # noqa: E402
from mutators import mutate, seed_bytes, seed_paths  # noqa: E402
from strategies import ALL_FORMATS, inputs  # noqa: E402

PER_EXAMPLE_SECONDS = 30.0  # hard bound per input; a normal input takes well under a second
EXAMPLES = {"random": 60}  # cheap: random bytes are rejected at once

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def worker():
    with Worker(timeout=PER_EXAMPLE_SECONDS) as w:
        yield w


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_mutated_input_gives_a_result_or_a_documented_error(fmt, worker):
    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES.get(fmt, 40))
    @given(inputs(fmt, max_repeat=2_000, max_depth=300, max_ops=5, max_line=2_000))
    def property_holds(example):
        data, name, description = example
        outcome = worker.run(data, name, "check")
        assert outcome.acceptable, f"{outcome.status} for {name} ({len(data)} bytes): {description}\n{outcome.detail}"

    property_holds()


# --------------------------------------------------------------------------- the machinery itself


def test_worker_reports_results_documented_errors_and_hangs():
    with Worker(timeout=20.0) as w:
        sample = seed_paths("markdown")[0]
        assert w.run(sample.read_bytes(), sample.name).status == "ok"
        outcome = w.run(b"\x00\x01\x02" * 100, "rommel.txt")
        assert (outcome.status, outcome.code) == ("expected", "malformed")
        # a mutation that nests an element past libxml2's depth limit gives the documented error
        cvdr = seed_paths("cvdr")[0]
        deep = mutate("cvdr", seed_bytes(cvdr), [("t_nest", 40, "vet", 300)])
        outcome = w.run(deep, cvdr.name)
        assert (outcome.status, outcome.code) == ("expected", "limit"), outcome
    with Worker(timeout=0.001) as w:  # no input is checked in a millisecond: counted as a hang
        outcome = w.run(seed_paths("pdf")[0].read_bytes(), "x.pdf")
        assert outcome.status == "hang"


@pytest.mark.parametrize("fmt", [f for f in ALL_FORMATS if f != "random"])
def test_every_format_has_seeds_that_load(fmt):
    paths = seed_paths(fmt)
    assert paths, f"no samples for {fmt} under samples/rendered"
    from verordeningcheck import load

    assert load(seed_bytes(paths[0]), name=paths[0].name).articles  # PDFs are inflated for mutation
