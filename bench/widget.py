"""Benchmark of the widget against peer consent banners: bytes, main-thread time, CLS.

Run by hand (not part of the test suite), from the repository root:

    .venv/bin/python bench/widget.py [--runs N] [--no-peers]

Kelisim is served by the real app (SQLite in a temp directory) for a demo site with kk, ru and
en and two trackers (Yandex.Metrica pasted, GA4 managed). Peers are installed from npm into
bench/.peers/ (ignored by git): Osano cookieconsent 3, vanilla-cookieconsent 3, tarteaucitronjs
and klaro, each shown with a minimal config. For each it prints the bytes a visitor downloads
(gzip -9 and brotli 11), the main-thread task time over the same page without a banner (median
of N runs, Chromium's own TaskDuration metric) and the cumulative layout shift. Main-thread
figures are noisy on a shared machine (the blank page alone varies by tens of ms): run it when
nothing else is busy, with --runs 15 or more, and compare rows of the same run. Kelisim's
returning visit (a valid decision in the cookie) is measured too. Budgets (DESIGN.md): first
visit <= 8 KB gzip, returning <= 2.5 KB gzip and <= 1 ms, banner shown in <= 5 ms, CLS 0.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import brotli
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from tests.factories import make_service, make_site  # noqa: E402

PEERS_DIR = ROOT / "bench" / ".peers"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">{head}<title>bench</title>
</head><body><main><h1>Кинотеатр</h1><p>Афиша на неделю.</p></main>{body}</body></html>"""
CLS = (
    "window.__cls = 0; new PerformanceObserver(l => l.getEntries().forEach(e => {"
    " if (!e.hadRecentInput) window.__cls += e.value })).observe({type: 'layout-shift',"
    " buffered: true})"
)
EN = (
    "{consentModal: {title: 'We use cookies', description: 'Analytics only with consent.',"
    " acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all'},"
    " preferencesModal: {title: 'Settings', sections: []}}"
)
# name -> (npm package, files a visitor downloads, <head> markup, <body> markup)
PEERS = {
    "Osano cookieconsent": (
        "cookieconsent@3",
        ["cookieconsent/build/cookieconsent.min.js", "cookieconsent/build/cookieconsent.min.css"],
        '<link rel="stylesheet" href="/cookieconsent/build/cookieconsent.min.css">'
        '<script src="/cookieconsent/build/cookieconsent.min.js"></script>',
        "<script>window.cookieconsent.initialise({})</script>",
    ),
    "vanilla-cookieconsent": (
        "vanilla-cookieconsent@3",
        [
            "vanilla-cookieconsent/dist/cookieconsent.umd.js",
            "vanilla-cookieconsent/dist/cookieconsent.css",
        ],
        '<link rel="stylesheet" href="/vanilla-cookieconsent/dist/cookieconsent.css">'
        '<script src="/vanilla-cookieconsent/dist/cookieconsent.umd.js"></script>',
        "<script>CookieConsent.run({categories: {necessary: {enabled: true, readOnly: true},"
        " analytics: {}}, language: {default: 'en', translations: {en: " + EN + "}}})</script>",
    ),
    "tarteaucitronjs": (
        "tarteaucitronjs",
        [
            "tarteaucitronjs/tarteaucitron.min.js",
            "tarteaucitronjs/tarteaucitron.services.min.js",
            "tarteaucitronjs/lang/tarteaucitron.ru.min.js",
            "tarteaucitronjs/css/tarteaucitron.min.css",
        ],
        '<script src="/tarteaucitronjs/tarteaucitron.min.js"></script>',
        "<script>tarteaucitron.init({}); (tarteaucitron.job = tarteaucitron.job || [])"
        ".push('gtag');</script>",
    ),
    "klaro": (
        "klaro",
        ["klaro/dist/klaro.js"],
        "<script>window.klaroConfig = {services: [{name: 'ga', purposes: ['analytics']}]}"
        '</script><script defer src="/klaro/dist/klaro.js"></script>',
        "",
    ),
}


def sizes(bodies: list[bytes]) -> tuple[int, int]:
    """gzip -9 and brotli 11 bytes, each file compressed on its own as a server would."""
    return (
        sum(len(gzip.compress(b, 9)) for b in bodies),
        sum(len(brotli.compress(b, quality=11)) for b in bodies),
    )


def serve(directory: Path, pages: dict[str, str]) -> tuple[str, object]:
    """A static server for the peers' files and the bench pages."""
    for name, html in pages.items():
        (directory / name).write_text(html)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}", httpd


def measure(browser, url: str, runs: int, cookie: dict | None = None) -> tuple[float, float]:
    """Median main-thread task time (ms) of a page, and its largest CLS."""
    times, shifts = [], []
    for _ in range(runs):
        context = browser.new_context()
        if cookie:
            context.add_cookies([cookie])
        context.add_init_script(CLS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        times.append(metrics["TaskDuration"] * 1000)
        shifts.append(page.evaluate("window.__cls"))
        context.close()
    return statistics.median(times), max(shifts)


def demo_site(app) -> tuple[str, int]:
    with app.app_context():
        db.create_all()
        site = make_site(
            name="Demo Kino",
            legal_name="ТОО «Демо Кино»",
            domains=["127.0.0.1"],
            appearance={"floating_button": True},
            policy_urls={
                lang: f"https://kino.example.kz/{lang}/privacy" for lang in ("kk", "ru", "en")
            },
        )
        make_service(site, "yandex_metrica", options={"counter_id": "12345678", "webvisor": True})
        make_service(
            site,
            "google_analytics",
            managed=True,
            options={"measurement_id": "G-DEMO1", "consent_mode": "basic"},
        )
        db.session.commit()
        return site.public_key, site.config_version


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kelisim-bench-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.sqlite3",
            "RATELIMIT_ENABLED": False,
            "WIDGET_CACHE_SECONDS": 60,
        }
    )
    key, version = demo_site(app)

    class QuietApp(WSGIRequestHandler):
        def log_request(self, *args) -> None:
            pass

    app_server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietApp)
    threading.Thread(target=app_server.serve_forever, daemon=True).start()
    app_url = f"http://127.0.0.1:{app_server.server_port}"
    client = app.test_client()
    loader = client.get(f"/w/{key}.js").data
    banner = client.get(f"/w/{key}/banner.js?v={version}").data

    rows = []
    pages = {
        "blank.html": PAGE.format(head="", body=""),
        "kelisim.html": PAGE.format(head=f'<script src="{app_url}/w/{key}.js"></script>', body=""),
    }
    if not args.no_peers:
        PEERS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PEERS_DIR)]
            + [package for package, *_ in PEERS.values()],
            check=True,
            capture_output=True,
        )
        for name, (_, _, head, body) in PEERS.items():
            pages[f"{name.split()[0].lower()}.html"] = PAGE.format(head=head, body=body)
    base, httpd = serve(PEERS_DIR / "node_modules" if not args.no_peers else workdir, pages)

    now = int(time.time())
    decided = {
        "name": "kelisim",
        "url": base,
        "value": f"v=1&id=0b0e8d6c-3c56-4d7e-9a51-5f3c0e0f5a11&t={now}&x={now + 86400}&p=1"
        f"&b={version}&a=reject_all&g=none&l=ru&c=&s=",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("KELISIM_CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        blank, _ = measure(browser, f"{base}/blank.html", args.runs)
        first_ms, first_cls = measure(browser, f"{base}/kelisim.html", args.runs)
        back_ms, back_cls = measure(browser, f"{base}/kelisim.html", args.runs, decided)
        rows.append(("Kelisim, first visit", *sizes([loader, banner]), first_ms - blank, first_cls))
        rows.append(("Kelisim, returning", *sizes([loader]), back_ms - blank, back_cls))
        if not args.no_peers:
            for name, (_, files, _, _) in PEERS.items():
                bodies = [(PEERS_DIR / "node_modules" / f).read_bytes() for f in files]
                ms, cls = measure(browser, f"{base}/{name.split()[0].lower()}.html", args.runs)
                rows.append((name, *sizes(bodies), ms - blank, cls))
        browser.close()
    httpd.shutdown()
    app_server.shutdown()

    print(f"{'':28} {'gzip B':>8} {'brotli B':>9} {'main thread ms':>15} {'CLS':>6}")
    for name, gz, br, ms, cls in rows:
        print(f"{name:28} {gz:8d} {br:9d} {ms:15.1f} {cls:6.3f}")
    first, returning = rows[0], rows[1]
    print(
        "\nBudgets: first visit <= 8000 B gzip: "
        f"{'ok' if first[1] <= 8000 else 'MISSED'}; returning <= 2500 B gzip: "
        f"{'ok' if returning[1] <= 2500 else 'MISSED'}; CLS 0: "
        f"{'ok' if first[4] == 0 and returning[4] == 0 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
