from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


HELDOUT = SAMPLES / "heldout"


def manifest_samples(base: Path = SAMPLES) -> list[dict]:
    path = base / "manifest.yaml"
    if not path.is_file():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8"))["samples"]


def sample_source(sample_id: str, base: Path = SAMPLES) -> dict:
    return yaml.safe_load((base / "sources" / f"{sample_id}.yaml").read_text(encoding="utf-8"))


def renderings(sample_id: str, base: Path = SAMPLES) -> list[Path]:
    folder = base / "rendered" / sample_id
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@pytest.fixture(scope="session")
def ruleset():
    from verordeningcheck.pipeline import get_ruleset

    return get_ruleset()


_RESULTS: dict = {}


def checked(path: Path):
    """check() a file once per test session."""
    from verordeningcheck import check

    key = str(path)
    if key not in _RESULTS:
        _RESULTS[key] = check(path)
    return _RESULTS[key]
