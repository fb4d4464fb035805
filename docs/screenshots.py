"""Make the screenshots in docs/ with Playwright and the system Chromium.

    python docs/screenshots.py            # all screenshots
    python docs/screenshots.py batch      # only the named ones

One function per screenshot, registered in SCREENSHOTS; each gets a Playwright browser and
the directory to write to. Uses /usr/bin/chromium (never ``playwright install``), offline:
the pages are local files without external resources.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS as _ARGS  # noqa: E402  (the tests' Chromium flags)

CHROMIUM_ARGS = _ARGS + ["--font-render-hinting=none"]  # steadier glyphs in the pictures


def batch(browser, out: Path) -> Path:
    """docs/batch.png: index.html of ``batch`` over the 13 lokaleregelgeving.nl renderings."""
    from verordeningcheck.batch import run_batch

    pattern = str(ROOT / "samples" / "rendered" / "*" / "*-lokaleregelgeving.html")
    with tempfile.TemporaryDirectory() as tmp:
        summary = run_batch([pattern], Path(tmp) / "overzicht", jobs=2)
        # tall enough that the matrix does not scroll inside its frame; the picture ends below it
        page = browser.new_page(viewport={"width": 1100, "height": 2600}, device_scale_factor=1)
        page.goto(summary.index.resolve().as_uri(), wait_until="load")
        box = page.locator(".matrix-kader").bounding_box()
        target = out / "batch.png"
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1100, "height": box["y"] + box["height"] + 16})
        page.close()
    return target


# ---------------------------------------------------------------- the web app (serve)

_SERVER: dict = {}


def _web_url() -> str:
    """Start ``verordeningcheck serve --port 0`` once (stopped when this script ends)."""
    if "url" not in _SERVER:
        import atexit
        import re
        import subprocess

        proc = subprocess.Popen(
            [sys.executable, "-m", "verordeningcheck", "serve", "--port", "0", "--jobs", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        atexit.register(lambda: (proc.terminate(), proc.wait(20)))
        line = proc.stdout.readline()
        match = re.search(r"(http://\S+/)", line)
        if not match:
            raise RuntimeError(f"serve did not start: {line!r}")
        _SERVER["url"] = match.group(1)
    return _SERVER["url"]


def _dutch_browser(browser):
    """A second Chromium with a Dutch user interface ("Bestand kiezen")."""
    import os

    return browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env={**os.environ, "LANGUAGE": "nl"}
    )


def upload(browser, out: Path) -> Path:
    """docs/upload.png: the upload page of ``verordeningcheck serve``."""
    dutch = _dutch_browser(browser)  # Chromium labels the file inputs in its own UI language
    try:
        page = dutch.new_page(viewport={"width": 1000, "height": 1250}, device_scale_factor=1, locale="nl-NL")
        page.goto(_web_url(), wait_until="load")
        target = out / "upload.png"
        page.screenshot(path=str(target), full_page=True)
    finally:
        dutch.close()
    return target


def resultaat(browser, out: Path) -> Path:
    """docs/resultaat.png: the result page after uploading a sample PDF (top of the page)."""
    page = browser.new_page(viewport={"width": 1200, "height": 1100}, device_scale_factor=1, locale="nl-NL")
    page.goto(_web_url(), wait_until="load")
    page.set_input_files("#bestand", str(ROOT / "samples" / "rendered" / "meerwijk-2011" / "meerwijk-2011-inline.pdf"))
    page.click("button[type=submit]")
    page.wait_for_url("**/resultaat/*", wait_until="load")
    target = out / "resultaat.png"
    page.screenshot(path=str(target), full_page=False)
    page.close()
    return target


def geschiedenis(browser, out: Path) -> Path:
    """docs/geschiedenis.png: ``geschiedenis CVDR900001`` against the tests' fake official
    source (tests/bron_fake.py: three versions made of the team's own samples)."""
    import os

    from bron_fake import FakeSource
    from verordeningcheck.bron import Client, Source
    from verordeningcheck.bron.history import build_history, write_history

    with tempfile.TemporaryDirectory() as tmp, FakeSource() as fake:
        os.environ["VERORDENINGCHECK_BRON_SPIEGEL"] = fake.url
        from verordeningcheck.bron.store import DownloadCache

        source = Source(Client(cache=DownloadCache(Path(tmp) / "cache")))
        history = build_history(source, "CVDR900001")
        write_history(history, Path(tmp) / "geschiedenis")
        page = browser.new_page(viewport={"width": 1000, "height": 2400}, device_scale_factor=1)
        page.goto((Path(tmp) / "geschiedenis" / "geschiedenis.html").resolve().as_uri(), wait_until="load")
        box = page.locator("table.tijdlijn").bounding_box()
        target = out / "geschiedenis.png"
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1000, "height": box["y"] + box["height"] + 16})
        page.close()
    return target


SCREENSHOTS = {
    "geschiedenis": geschiedenis,
    "batch": batch,
    "upload": upload,
    "resultaat": resultaat,
}


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    names = (argv if argv is not None else sys.argv[1:]) or list(SCREENSHOTS)
    unknown = [n for n in names if n not in SCREENSHOTS]
    if unknown:
        print(f"onbekende schermafdruk: {', '.join(unknown)}; kies uit {', '.join(SCREENSHOTS)}", file=sys.stderr)
        return 2
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name in names:
                print(f"{name}: {SCREENSHOTS[name](browser, DOCS)}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
