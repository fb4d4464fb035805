"""Debian's Chromium for the browser tests and the documentation screenshots.

Playwright drives /usr/bin/chromium (installed by ``.ci/run`` when missing); ``playwright
install`` is never run. The flags keep Chromium off the network: without the
background-networking flags it tries to reach Google's hosts at every start.
"""
from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
