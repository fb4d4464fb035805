"""The worker pool used by batch and the web app: results, errors, hangs and crashes."""
from __future__ import annotations

import os
import time

import pytest

from conftest import SAMPLES
from verordeningcheck import check
from verordeningcheck.errors import EmptyDocument, LimitExceeded
from verordeningcheck.limits import Limits
from verordeningcheck.workers import CheckTimeout, WorkerCrashed, WorkerError, WorkerPool


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(1, Limits(max_check_seconds=20)) as pool:
        yield pool


def test_a_check_in_a_worker_gives_the_same_result_as_in_process(pool):
    path = SAMPLES / "rendered" / "meerwijk-2011" / "meerwijk-2011-inline.pdf"
    data = path.read_bytes()
    in_worker = pool.run(check, data, name=path.name)
    assert in_worker.to_dict() == check(data, name=path.name).to_dict()


def test_a_documented_error_comes_back_with_its_class_and_source(pool):
    with pytest.raises(EmptyDocument) as info:
        pool.run(check, b"   \n", name="leeg.txt")
    assert info.value.source == "leeg.txt"
    assert "leeg" in info.value.user_message()


def test_a_bug_in_a_worker_is_not_mistaken_for_a_documented_error(pool):
    with pytest.raises(WorkerError) as info:
        pool.run(int, "geen getal")
    assert "ValueError" in str(info.value)


def test_a_hang_is_stopped_and_the_pool_goes_on(pool):
    started = time.monotonic()
    with pytest.raises(CheckTimeout) as info:
        pool.run(time.sleep, 30, timeout=1.5)
    assert time.monotonic() - started < 10
    assert isinstance(info.value, LimitExceeded)  # a limit: exit 2, a failed row, a 4xx page
    assert "langer dan 1,5 seconden" in info.value.user_message()
    assert pool.run(sum, [1, 2, 3]) == 6


def test_a_crashed_worker_is_replaced(pool):
    with pytest.raises(WorkerCrashed):
        pool.run(os._exit, 7)
    assert pool.run(sum, [4, 5]) == 9


def test_a_broken_rule_set_stops_the_pool_with_the_rules_error(tmp_path):
    from verordeningcheck.errors import RulesError

    broken = tmp_path / "regels"
    (broken / "elements").mkdir(parents=True)
    (broken / "elements" / "melding.yaml").write_text("element: melding\nrules: [", encoding="utf-8")
    with WorkerPool(1, rules_dirs=[broken]) as pool:
        with pytest.raises(RulesError):
            pool.run(sum, [1])


def test_a_pool_whose_workers_cannot_start_fails_fast_instead_of_starting_one_per_task():
    from verordeningcheck.workers import WorkerStartError

    with WorkerPool(1, start_timeout=0.01) as pool:  # no worker starts in 10 ms
        with pytest.raises(WorkerStartError) as first:
            pool.run(sum, [1])
        started = time.monotonic()
        for _ in range(20):
            with pytest.raises(WorkerStartError) as again:
                pool.run(sum, [1])
        assert time.monotonic() - started < 1.0  # no new process per task
        assert again.value is first.value
        assert "startte niet op tijd" in first.value.user_message()
