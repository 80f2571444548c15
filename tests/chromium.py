"""Debian's Chromium as the browser tests and bench/widget.py start it (Playwright cannot
download a browser here); KELISIM_CHROMIUM names another binary on other machines."""

import os

# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses.
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch(playwright, *extra_args: str):
    """A headless Chromium browser."""
    return playwright.chromium.launch(
        executable_path=os.environ.get("KELISIM_CHROMIUM", "/usr/bin/chromium"),
        args=[*ARGS, *extra_args],
    )
