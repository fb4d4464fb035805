"""The legal options (--wet, --config / .verordeningcheck.yaml) work the same wherever a check
can be asked for: check, batch, diff, serve and official-source inputs (ids and links)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from verordeningcheck.cli import main

TEXT = """\
Verordening sociale ondersteuning Kleindorp 2017

De raad van de gemeente Kleindorp;
gelet op artikel 2.1.3 van de Wet maatschappelijke ondersteuning 2015;
besluit vast te stellen de volgende verordening:

Artikel 1 Hulpvraag
1. Wie ondersteuning nodig heeft, meldt dat bij het college.
2. Na de melding onderzoekt het college samen met de inwoner wat hij zelf en met zijn omgeving kan.

Artikel 2 Maatwerk
De inwoner krijgt een maatwerkvoorziening als hij met eigen kracht en zijn netwerk niet voldoende zelfredzaam is.

Artikel 3 Klachten
Aanbieders hebben een klachtenregeling voor hun cliënten.

Artikel 4 Inwerkingtreding
Deze verordening treedt in werking op 1 maart 2017.

Aldus vastgesteld in de vergadering van 20 februari 2017.
"""

REASON = "Geregeld in de Verordening mantelzorg Kleindorp."


def write(folder: Path, name: str = "kleindorp.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TEXT, encoding="utf-8")
    return path


def settings(folder: Path) -> Path:
    """An exception file outside the checked file's folder (found only through --config)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "instellingen.yaml"
    path.write_text(f"uitzonderingen:\n  wmo15_mantelzorgwaardering: {REASON}\n", encoding="utf-8")
    return path


def statuses(legal: dict) -> dict:
    return {r["id"]: r["status"] for r in legal["requirements"]}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_batch_takes_the_law_and_an_exception_file(tmp_path):
    folder = tmp_path / "stukken"
    (folder / ".git").mkdir(parents=True)
    write(folder)
    out = tmp_path / "overzicht"
    assert invoke("batch", folder, "-o", out, "--jobs", "1").exit_code == 0
    row = next(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert row["wettelijk_wet"] == "2015" and row["wmo15_mantelzorgwaardering"] == "missing"

    config = settings(tmp_path / "elders")
    result = invoke("batch", folder, "-o", out, "--jobs", "1", "--config", config)
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert row["wmo15_mantelzorgwaardering"] == "exception"  # not served from the cache of the first run

    result = invoke("batch", folder, "-o", out, "--jobs", "1", "--wet", "2007")
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert row["wettelijk_wet"] == "2007" and row.get("wmo15_mantelzorgwaardering") in (None, "not_applicable")


def test_diff_takes_the_law_and_an_exception_file(tmp_path):
    old = write(tmp_path / "a", "huidig.txt")
    new = write(tmp_path / "a", "concept.txt")

    def requirements(*extra):
        data = json.loads(invoke("diff", old, new, "--format", "json", *extra).output)
        return {r["id"]: (r["before"], r["after"]) for r in data["requirements"]}

    assert requirements("--wet", "2007")["wmo07_toegang"] == ("present", "present")
    assert "wmo15_mantelzorgwaardering" not in requirements("--wet", "2007")
    assert requirements()["wmo15_mantelzorgwaardering"] == ("missing", "missing")
    with_config = requirements("--config", settings(tmp_path / "b"))
    assert with_config["wmo15_mantelzorgwaardering"] == ("exception", "exception")


class _RecordingPool:
    """Runs the worker tasks in this process and remembers their arguments."""

    def __init__(self):
        self.calls = []

    def run(self, func, *args, **kwargs):
        self.calls.append((func.__name__, args))
        return func(*args, **kwargs)


def test_the_web_form_lets_the_user_choose_the_law(tmp_path):
    from verordeningcheck.web import create_app

    from verordeningcheck.options import exceptions_for
    from verordeningcheck.pipeline import get_ruleset

    pool = _RecordingPool()
    app = create_app(pool=pool, exceptions=exceptions_for(None, get_ruleset(), settings(tmp_path)))
    client = app.test_client()
    form = client.get("/").get_data(as_text=True)
    assert '<select id="wet" name="wet"' in form
    assert '<option value="" selected>Automatisch' in form

    def submit(**fields):
        data = {"bestand": (io.BytesIO(TEXT.encode("utf-8")), "kleindorp.txt"), **fields}
        response = client.post("/toetsen", data=data, content_type="multipart/form-data")
        assert response.status_code == 303, response.get_data(as_text=True)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        token = response.headers["Location"].rstrip("/").split("/")[-1]
        return page, json.loads(client.get(f"/resultaat/{token}/resultaat.json").get_data(as_text=True))

    page, data = submit()
    assert data["legal"]["law"] == "2015" and "Wettelijke eisen" in page
    assert statuses(data["legal"])["wmo15_mantelzorgwaardering"] == "exception" and REASON in page
    _, data = submit(wet="2007")
    assert data["legal"]["law"] == "2007"
    assert pool.calls[-1][1][6] == "2007"
    response = client.post("/toetsen", data={"bestand": (io.BytesIO(TEXT.encode()), "k.txt"), "wet": "1994"},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "Onbekende wet" in response.get_data(as_text=True)


def test_serve_default_law_is_preselected_in_the_form():
    from verordeningcheck.web import create_app

    form = create_app(pool=_RecordingPool(), wet="2015").test_client().get("/").get_data(as_text=True)
    assert '<option value="2015" selected>' in form and '<option value="" selected>' not in form


def test_serve_stops_on_a_broken_exception_file(tmp_path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("uitzonderingen:\n  wmo15_bestaat_niet: Ergens.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--config", str(bad), "--port", "0"])
    assert result.exit_code == 2 and "onbekende eis 'wmo15_bestaat_niet'" in result.output


def test_an_id_from_the_official_source_takes_the_law_and_the_exceptions(monkeypatch, tmp_path):
    from bron_fake import FakeSource

    with FakeSource() as server:
        monkeypatch.setenv("VERORDENINGCHECK_BRON_SPIEGEL", server.url)
        monkeypatch.setenv("VERORDENINGCHECK_CACHE_DIR", str(tmp_path / "cache"))
        plain = json.loads(invoke("check", "CVDR900001/3", "--format", "json").output)["legal"]
        chosen = json.loads(invoke("check", "CVDR900001/3", "--format", "json", "--wet", "2015").output)["legal"]
        assert plain["law"] == "2007" and not plain["overridden"]  # a 2007-2014 ordinance in the fake service
        assert chosen["law"] == "2015" and chosen["overridden"]
        missing = [i for i, s in statuses(chosen).items() if s == "missing"]
        assert missing, chosen
        config = tmp_path / "uitzonderingen.yaml"
        config.write_text("uitzonderingen:\n" + "".join(f"  {i}: {REASON}\n" for i in missing), encoding="utf-8")
        excused = json.loads(invoke("check", "CVDR900001/3", "--format", "json", "--wet", "2015", "--config", config
                                  ).output)["legal"]
        assert all(statuses(excused)[i] == "exception" for i in missing)
        # without --config: the .verordeningcheck.yaml of the folder the command runs in
        (tmp_path / ".git").mkdir()
        config.rename(tmp_path / ".verordeningcheck.yaml")
        monkeypatch.chdir(tmp_path)
        found = json.loads(invoke("check", "CVDR900001/3", "--format", "json", "--wet", "2015").output)["legal"]
        assert all(statuses(found)[i] == "exception" for i in missing)
