"""Debian's Chromium as the browser tests and the widget benchmark drive it
(headless, through Playwright; nothing is downloaded: .ci/run installs it with apt)."""
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
