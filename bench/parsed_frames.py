"""How often a frame in a page's HTML reaches its provider before the widget holds it.

A pasted `<iframe src="https://www.youtube.com/embed/...">` starts loading as the parser
inserts it; the loader sees it a moment later (its MutationObserver runs after the parser's
insertion) and gives it a document of its own (srcdoc), which cancels the provider's load.
This counts, in Chromium, how many of those loads had left the browser by then: every
request to a provider host is answered by request routing (nothing leaves the machine) and
counted, over many page loads of an operator page with five pasted frames, before any
choice (the loader downloaded, then from the cache) and without the widget for comparison.
A frame marked as the install guide shows (data-src) is counted too: it must never request.

Run: .venv/bin/python bench/parsed_frames.py [--loads 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.widget import start_app  # noqa: E402
from tests import chromium  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "embeds"
# Google Maps' own code loads lazily: taken without loading="lazy" so that it counts.
PASTED = ["youtube", "rutube", "vk_video", "yandex_maps", "google_maps"]
MARKED = (
    '<iframe data-src="https://www.youtube.com/embed/marked" data-consent="youtube"'
    ' width="560" height="315"></iframe>'
)
PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">{head}
<title>Кинотеатр</title></head><body><h1>Кинотеатр</h1>{body}</body></html>"""


def frames() -> str:
    codes = [(SAMPLES / f"{name}.html").read_text() for name in PASTED]
    return "".join(codes).replace(' loading="lazy"', "") + MARKED


def count(browser, url: str, loads: int, page_html: str) -> tuple[int, int]:
    """(requests to provider hosts, of them the marked frame's) over ``loads`` page loads in
    one browser context (the loader cached after the first)."""
    context = browser.new_context()
    requests: list[str] = []

    def answer(route):
        if route.request.url.startswith("http://kino.example/"):
            return route.fulfill(body=page_html, content_type="text/html")
        requests.append(route.request.url)
        route.fulfill(body="<p>provider</p>", content_type="text/html")

    context.route(lambda url: "127.0.0.1" not in url, answer)
    page = context.new_page()
    for _ in range(loads):
        page.goto(url)
        page.wait_for_timeout(300)
    context.close()
    return len(requests), sum("/embed/marked" in url for url in requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=20)
    loads = parser.parse_args().loads
    with tempfile.TemporaryDirectory() as workdir:
        _, server, base, key, _ = start_app(Path(workdir), "frames")
        tag = f'<script src="{base}/w/{key}.js"></script>'
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            without, _ = count(
                browser, "http://kino.example/", loads, PAGE.format(head="", body=frames())
            )
            with_widget, marked = count(
                browser, "http://kino.example/", loads, PAGE.format(head=tag, body=frames())
            )
            browser.close()
        server.shutdown()
    pasted = len(PASTED) * loads
    print(f"{loads} page loads, {len(PASTED)} pasted frames and 1 marked frame each")
    print(f"  without the widget: {without} provider requests (of {pasted + loads} frames)")
    print(
        f"  with the loader, before any choice: {with_widget - marked} of {pasted} pasted "
        f"frames' requests left the browser before the loader held them "
        f"({(with_widget - marked) / pasted:.0%}); marked frames: {marked}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
