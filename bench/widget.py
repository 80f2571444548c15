"""Benchmark of the widget against peer consent banners: bytes, main-thread time, CLS.

Run by hand (not part of the test suite), from the repository root, on a quiet machine:

    flock /tmp/kelisim-cpu.lock .venv/bin/python bench/widget.py [--runs N] [--no-peers]
        [--before REV]

--before REV also measures the widget files of a git revision (its static/widget/dist,
served by a second app with this backend), first and returning visit, in the same run: a
change's before and after side by side.

Kelisim is served by the real app (SQLite in a temp directory) for the demo site (`make run`:
kk, ru and en, Yandex.Metrica pasted, GA4 managed, the floating button). Peers are
installed from npm into bench/.peers/ (ignored by git): Osano cookieconsent 3,
vanilla-cookieconsent 3, tarteaucitronjs and klaro, each shown with a minimal config.

The method, printed with the results:
- Bytes: what a visitor downloads. For Kelisim, every script the browser fetched from the app on
  the page (loader, banner, ...), fetched again with Accept-Encoding gzip and then br, as the
  app serves them (gzip by Zopfli, brotli 11). For peers, their files compressed the same way.
- Main thread: Chromium's own counters (CDP Performance.getMetrics) of script, style
  recalculation and layout time in the page's renderer, from navigation until the network is
  idle plus 300 ms, summed. Every page is the same small page whose <head> starts with one
  trivial external script, so that the JS engine's and DOM bindings' start-up, which any page
  with a script pays, is charged to no one. A widget's cost is the median over N runs of its
  page minus the median of the page without a widget; runs go round-robin over all pages so
  that the machine's ups and downs fall on all of them alike.
- Own JS: in separate runs, V8's sampling profiler (every 50 us): the time with one of the
  widget's own functions on top of the stack (its JavaScript and the DOM calls it makes),
  median over N runs. Far less noisy than the counters above, and comparable between
  widgets, but it leaves out what the widget makes the browser do afterwards (style,
  layout, paint) and the engine's own start-up.
- Main-thread CPU: in separate runs, a Chrome trace of the page: the CPU time (thread time)
  of every task of the page's main thread from the navigation's commit on, over the same
  window; the median minus the page without a widget's. It counts the same work as the
  whole-page figure and paint besides, but only while the thread runs: time it waits (a
  synchronous call to another process, a busy machine that runs something else) is left
  out. On a shared machine it moves far less than the counters above.
- CLS: layout-shift entries without recent input, summed per page; the worst run.
- Reference row: a page whose only extra is a script reading document.cookie once, which
  every consent widget does on every page view: a floor no widget's returning visit can go
  under on this machine.
- Large page: the returning visit again on a page of about 4500 elements (500 listings),
  against the same page without a widget: what watching the parser costs on a real site.
- Render: a script builds 5600 nodes bottom-up, as a framework does, each appended to its
  detached parent, then the tree to the page; the median render (of 4 after a first) with the
  loader on a returning visit against the page without it: what checking each insertion
  for tracker scripts costs a single-page app.

Budgets (DESIGN.md): first visit <= 8000 B gzip and main thread no more than cookieconsent
v3's (vanilla-cookieconsent) in the same run; returning visit <= 2500 B gzip and no more than
Osano's; CLS 0. The time budgets are judged by the whole-page figure and, beside it, by own
JS; without peers (--no-peers) they are not judged.

--before serves the old revision's widget files with this working tree's backend, which
builds each file's config: when a change moves data between the files (banner.js and
texts.js, say), the "before" rows show the old code with the new configs, not what the old
revision served.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import zopfli.gzip
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.services.demo import ensure_demo  # noqa: E402
from tests import chromium  # noqa: E402

PEERS_DIR = ROOT / "bench" / ".peers"
PROFILER_INTERVAL_US = 50
# Where Chrome's traces have each main-thread task with its thread time, and the navigation's
# commit.
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
# Charged to no one: what any first script on a page pays (JS engine and DOM bindings).
BASELINE_JS = "window.__baseline = document.documentElement.lang;\n"
# A reference, not a widget: what reading the cookies once costs here (a synchronous call to
# the browser's network process), which any consent widget must do on every page view.
COOKIE_JS = "window.__cookie = document.cookie;\n"
PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<script src="/baseline.js"></script>{head}<title>bench</title>
</head><body><main><h1>Кинотеатр</h1><p>Афиша на неделю.</p></main>{body}</body></html>"""
# 500 listings of a cinema's programme: about 4500 elements for the parser to report.
LARGE_BODY = "".join(
    f'<div class="card"><h3>Фильм {i}</h3><p>Сеанс в <b>{i % 24}:00</b>, зал '
    f'<a href="/hall/{i}">{i % 7}</a>.</p><ul><li>2D</li><li>3D</li></ul></div>'
    for i in range(500)
)
# A framework's render: 512 cards (about 5600 nodes) built bottom-up, each node appended to its
# detached parent as it is made, then the tree to the page; 5 renders, their times in __render.
RENDER_BODY = """<script>
function el(tag, kids) {
  var n = document.createElement(tag);
  kids.forEach(k => n.appendChild(typeof k === 'string' ? document.createTextNode(k) : k));
  return n;
}
function card(i) {
  return el('div', [el('h3', ['Film ' + i]), el('p', ['At ', el('b', [i % 24 + ':00']), ' hall ',
    el('a', ['' + i % 7])]), el('ul', [el('li', ['2D']), el('li', ['3D'])])]);
}
function tree(depth, i) {
  return depth ? el('section', [tree(depth - 1, i * 2), tree(depth - 1, i * 2 + 1)]) : card(i);
}
window.__render = [];
for (var r = 0; r < 5; r++) {
  var t = performance.now(), root = tree(9, 0);
  document.body.appendChild(root);
  __render.push(performance.now() - t);
  root.remove();
}
</script>"""
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
        # hideFromBots: its default hides the banner from any browser driven by automation.
        "<script>CookieConsent.run({hideFromBots: false, categories: {necessary: {enabled: true,"
        " readOnly: true}, analytics: {}}, language: {default: 'en', translations: {en: "
        + EN
        + "}}})</script>",
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


@dataclass
class Case:
    """One page measured: its runs' main-thread times (ms) and layout shifts."""

    name: str
    page: str
    cookie: dict | None = None
    script: list[float] = field(default_factory=list)
    style_layout: list[float] = field(default_factory=list)
    shifts: list[float] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    own_js: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    # The URLs of the widget's own scripts start with one of these.
    scripts: tuple[str, ...] = ()
    # The page without a widget it is compared with, when not the small one.
    baseline: Case | None = None

    @property
    def total(self) -> list[float]:
        return [s + o for s, o in zip(self.script, self.style_layout, strict=True)]


def compressed(bodies: list[bytes]) -> tuple[int, int]:
    """gzip (by Zopfli, as the app does) and brotli 11 bytes, each file compressed on its own
    as a server would."""
    return (
        sum(len(zopfli.gzip.compress(b)) for b in bodies),
        sum(len(brotli.compress(b, quality=11)) for b in bodies),
    )


def served(client, urls: list[str]) -> tuple[int, int]:
    """The bytes the app sends for these URLs, with gzip and with brotli."""
    sizes = []
    for encoding in ("gzip", "br"):
        total = 0
        for url in urls:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = client.get(path, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200, (url, response.status_code)
            assert response.headers.get("Content-Encoding") == encoding, url
            total += len(response.data)
        sizes.append(total)
    return sizes[0], sizes[1]


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


@contextlib.contextmanager
def fresh_page(browser, case: Case):
    """A page in a new browser context holding the case's cookie, with a DevTools session."""
    context = browser.new_context()
    try:
        if case.cookie:
            context.add_cookies([case.cookie])
        page = context.new_page()
        yield page, context.new_cdp_session(page)
    finally:
        context.close()


def load(page, base: str, case: Case) -> None:
    """Open the case's page and wait until the network is idle, then 300 ms more."""
    page.goto(f"{base}/{case.page}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def measure_once(browser, base: str, case: Case) -> None:
    """Load the case's page and record its main-thread counters and layout shifts."""
    with fresh_page(browser, case) as (page, cdp):
        page.add_init_script(CLS)
        fetched = []
        # The widget's own downloads, by the URL prefixes of its scripts.
        own = case.scripts
        page.on(
            "request",
            lambda r: r.method == "GET" and r.url.startswith(own) and fetched.append(r.url),
        )
        cdp.send("Performance.enable")
        load(page, base, case)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        case.script.append(metrics["ScriptDuration"] * 1000)
        case.style_layout.append(
            (metrics["RecalcStyleDuration"] + metrics["LayoutDuration"]) * 1000
        )
        case.shifts.append(page.evaluate("window.__cls"))
        case.fetched = case.fetched or fetched


def profile_once(browser, base: str, case: Case) -> None:
    """Load the case's page under V8's sampling profiler and record its own scripts' time."""
    with fresh_page(browser, case) as (page, cdp):
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": PROFILER_INTERVAL_US})
        cdp.send("Profiler.start")
        load(page, base, case)
        profile = cdp.send("Profiler.stop")["profile"]
    samples = sum(
        node.get("hitCount", 0)
        for node in profile["nodes"]
        if node["callFrame"]["url"].startswith(case.scripts)
    )
    case.own_js.append(samples * PROFILER_INTERVAL_US / 1000)


def trace_once(browser, base: str, case: Case) -> None:
    """Load the case's page under Chrome's tracing and record its main thread's CPU time."""
    with fresh_page(browser, case) as (page, _):
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        load(page, base, case)
        events = json.loads(browser.stop_tracing())["traceEvents"]
    url = f"{base}/{case.page}"
    commit = next(
        e for e in events if e.get("name") == "CommitLoad" and e["args"]["data"]["url"] == url
    )
    thread, start = (commit["pid"], commit["tid"]), commit["ts"]
    case.cpu.append(
        sum(
            e.get("tdur", 0)
            for e in events
            if e.get("name") == "RunTask"
            and (e.get("pid"), e.get("tid")) == thread
            and e.get("ts", 0) >= start
        )
        / 1000
    )


def render_once(browser, base: str, case: Case) -> float:
    """Load a render page and return the median time of its renders after the first, in ms."""
    with fresh_page(browser, case) as (page, _):
        page.goto(f"{base}/{case.page}")
        page.wait_for_function("window.__render && __render.length === 5")
        return statistics.median(page.evaluate("__render")[1:])


def demo_site(app) -> tuple[str, int]:
    """The demo site `make run` creates, which the budgets are stated for."""
    with app.app_context():
        db.create_all()
        _, site = ensure_demo(db.session)
        db.session.commit()
        return site.public_key, site.config_version


def start_app(workdir: Path, name: str, dist: Path | None = None):
    """The real app on SQLite with the demo site, served on a free port; ``dist``: the widget
    files it serves, if not the working tree's."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/{name}.sqlite3",
        "RATELIMIT_ENABLED": False,
        "WIDGET_CACHE_SECONDS": 60,
    }
    if dist:
        config["WIDGET_DIST"] = dist
    app = create_app(config)
    key, version = demo_site(app)

    class QuietApp(WSGIRequestHandler):
        def log_request(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietApp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.server_port}", key, version


def spread(values: list[float]) -> float:
    """The interquartile range."""
    quartiles = statistics.quantiles(values, n=4)
    return quartiles[2] - quartiles[0]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--before", metavar="REV", help="also measure this revision's dist")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kelisim-bench-"))
    app, app_server, app_url, key, version = start_app(workdir, "bench")
    tag = f'<script src="{app_url}/w/{key}.js"></script>'
    if args.before:
        dist = workdir / "before"
        dist.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.before, "static/widget/dist"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dist)], input=archive, check=True)
        before_app, before_server, before_url, before_key, _ = start_app(
            workdir, "before", dist / "static" / "widget" / "dist"
        )
    pages = {
        "blank.html": PAGE.format(head="", body=""),
        "kelisim.html": PAGE.format(head=tag, body=""),
        "cookie.html": PAGE.format(head='<script src="/cookie.js"></script>', body=""),
        "large-blank.html": PAGE.format(head="", body=LARGE_BODY),
        "large-kelisim.html": PAGE.format(head=tag, body=LARGE_BODY),
        "render-blank.html": PAGE.format(head="", body=RENDER_BODY),
        "render-kelisim.html": PAGE.format(head=tag, body=RENDER_BODY),
    }
    if args.before:
        before_tag = f'<script src="{before_url}/w/{before_key}.js"></script>'
        pages["before.html"] = PAGE.format(head=before_tag, body="")
    directory = workdir
    if not args.no_peers:
        PEERS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PEERS_DIR)]
            + [package for package, *_ in PEERS.values()],
            check=True,
            capture_output=True,
        )
        directory = PEERS_DIR / "node_modules"
        for name, (_, _, head, body) in PEERS.items():
            pages[f"{name.split()[0].lower()}.html"] = PAGE.format(head=head, body=body)
    (directory / "baseline.js").write_text(BASELINE_JS)
    (directory / "cookie.js").write_text(COOKIE_JS)
    base, httpd = serve(directory, pages)

    now = int(time.time())
    decided = {
        "name": "kelisim",
        "url": base,
        "value": f"v=1&id=0b0e8d6c-3c56-4d7e-9a51-5f3c0e0f5a11&t={now}&x={now + 86400}&p=1"
        f"&b={version}&a=reject_all&g=none&l=ru&c=&s=",
    }
    baseline = Case("Page without a widget", "blank.html")
    first = Case("Kelisim, first visit", "kelisim.html", scripts=(app_url,))
    returning = Case("Kelisim, returning", "kelisim.html", decided, scripts=(app_url,))
    cookie = Case("(reference) cookie read", "cookie.html", decided, scripts=(f"{base}/cookie",))
    large_baseline = Case("Large page without a widget", "large-blank.html")
    large = Case(
        "Kelisim, returning, large page",
        "large-kelisim.html",
        decided,
        scripts=(app_url,),
        baseline=large_baseline,
    )
    peers = [
        Case(n, f"{n.split()[0].lower()}.html", scripts=tuple(f"{base}/{f}" for f in PEERS[n][1]))
        for n in ([] if args.no_peers else PEERS)
    ]
    before = []
    if args.before:
        before = [
            Case(f"{args.before[:10]}, first", "before.html", scripts=(before_url,)),
            Case(f"{args.before[:10]}, returning", "before.html", decided, scripts=(before_url,)),
        ]
    measured = [first, returning, *before, cookie, large, *peers]
    cases = [baseline, large_baseline, *measured]
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        measure_once(browser, base, Case("warm-up", "blank.html"))  # not counted
        for _ in range(args.runs):
            for case in cases:
                measure_once(browser, base, case)
        for _ in range(args.runs):
            for case in measured:
                profile_once(browser, base, case)
        for _ in range(args.runs):
            for case in cases:
                trace_once(browser, base, case)
        renders = [
            (Case("render", "render-blank.html"), []),
            (Case("render", "render-kelisim.html", decided), []),
        ]
        for _ in range(args.runs):
            for case, times in renders:
                times.append(render_once(browser, base, case))
        browser.close()
    httpd.shutdown()
    app_server.shutdown()
    if args.before:
        before_server.shutdown()

    client = app.test_client()
    sizes = {first.name: served(client, first.fetched)}
    sizes[returning.name] = sizes[large.name] = served(client, returning.fetched)
    for case in before:
        sizes[case.name] = served(before_app.test_client(), case.fetched)
    sizes[cookie.name] = compressed([COOKIE_JS.encode()])
    for case in peers:
        files = [PEERS_DIR / "node_modules" / file for file in PEERS[case.name][1]]
        sizes[case.name] = compressed([file.read_bytes() for file in files])

    median = statistics.median
    print(__doc__[__doc__.index("The method") :].split("\nBudgets")[0].rstrip())
    print(
        f"\nMain thread: median of {args.runs} runs minus the page without a widget "
        f"({median(baseline.total):.1f} ms: script {median(baseline.script):.2f}, style and "
        f"layout {median(baseline.style_layout):.1f}; its runs spread over "
        f"{spread(baseline.total):.1f} ms between the quartiles, the noise to read the rows "
        "against; the large page without a widget: "
        f"{median(large_baseline.total):.1f} ms). Kelisim downloads: "
        + ", ".join(urlsplit(u).path for u in first.fetched)
        + "\n"
    )
    print(
        f"{'':30} {'gzip B':>7} {'brotli B':>8} {'main thread ms':>15} {'(script':>8} "
        f"{'style+layout)':>14} {'own JS ms':>10} {'CPU ms':>7} {'CLS':>6}"
    )
    rows = {}
    cpu = {}
    for case in measured:
        gz, br = sizes[case.name]
        without = case.baseline or baseline
        ms = median(case.total) - median(without.total)
        script = median(case.script) - median(without.script)
        other = median(case.style_layout) - median(without.style_layout)
        rows[case.name] = (gz, ms, max(case.shifts))
        cpu[case.name] = median(case.cpu) - median(without.cpu)
        print(
            f"{case.name:30} {gz:7d} {br:8d} {ms:15.1f} {script:8.1f} {other:14.1f} "
            f"{median(case.own_js):10.2f} {cpu[case.name]:7.1f} {max(case.shifts):6.3f}"
        )
    (first_gz, first_ms, first_cls), (back_gz, back_ms, back_cls) = (
        rows[first.name],
        rows[returning.name],
    )
    render_blank, render_kelisim = (median(times) for _, times in renders)
    print(
        f"\nA framework-style render of 5600 nodes (appendChild into detached parents): "
        f"{render_blank:.1f} ms without a widget, {render_kelisim:.1f} ms with Kelisim's loader "
        f"({render_kelisim / render_blank:.2f} times)"
    )

    # Time budgets (DESIGN.md) are peers' figures of the same run: the first visit against
    # cookieconsent v3's, the returning visit against Osano's, by the whole page's counters
    # and, beside them, by the widget's own JavaScript alone and the main thread's CPU time.
    def against(ours: Case, ms: float, peer_name: str) -> str:
        if peer_name not in rows:
            return f"not judged (no {peer_name} in this run)"
        peer = next(case for case in peers if case.name == peer_name)
        peer_ms = rows[peer_name][1]
        own, peer_own = median(ours.own_js), median(peer.own_js)
        ours_cpu, peer_cpu = cpu[ours.name], cpu[peer_name]
        return (
            f"<= {peer_name}'s {peer_ms:.1f} ms: {verdict(ms <= peer_ms)} (own JS "
            f"{own:.2f} <= {peer_own:.2f}: {verdict(own <= peer_own)}; CPU {ours_cpu:.1f} <= "
            f"{peer_cpu:.1f}: {verdict(ours_cpu <= peer_cpu)})"
        )

    print(
        f"\nBudgets: first visit <= 8000 B gzip: {verdict(first_gz <= 8000)}, "
        f"{against(first, first_ms, 'vanilla-cookieconsent')}; returning <= 2500 B gzip: "
        f"{verdict(back_gz <= 2500)}, {against(returning, back_ms, 'Osano cookieconsent')}; "
        f"CLS 0: {verdict(first_cls == back_cls == 0)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
