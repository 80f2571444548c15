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
- Gallery: a script sets src on 500 images, each URL a different one on a local server: 250
  in the markup (half by the src property, half by setAttribute), 125 made by new Image()
  (src set, then appended) and 125 by createElement (appended, then src set); timed around
  its loop and until every image has loaded, the median of 4 rounds on fresh images after
  a first, with the loader on a returning visit and without it: what watching image URLs
  (tracking pixels) costs a page of images.
- Embeds: a page with three iframes pasted as their providers give them (YouTube, a Yandex
  Maps constructor map, Rutube), the providers' hosts answered by routing with a small page
  that reports when it ran (no request leaves 127.0.0.1). Kelisim's page carries them
  unchanged; Klaro's marks them for its contextual consent (data-src, data-name), and
  tarteaucitron's uses its own markup (its youtube service; its generic iframe service for
  Yandex Maps and Rutube, which it does not know). First visit, returning after rejecting
  and after accepting everything, each widget with its own cookie: the widget's files as
  fetched (a file the app does not serve is named, not counted), main thread, own JS and
  CPU as above but over the same page without a widget (whose embeds load), the load event,
  how many provider pages ran and when the last did, and CLS.

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
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

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
# An image gallery: a script sets src on 500 images, half of them in the markup (by the
# property, or by setAttribute), half made by new Image() or createElement and appended
# (src set before and after insertion), every URL a different one on the bench's pixel
# server (PIXELS stands for its origin). 5 rounds on fresh images, each timed around its
# loop and until all its images have loaded; [script ms, loaded ms] in __gallery.
GALLERY_ROUNDS = 5
GALLERY_IMAGES = 500
GALLERY_BODY = (
    "".join(
        f'<div id="g{r}">' + '<img width="4" height="4" alt="">' * (GALLERY_IMAGES // 2) + "</div>"
        for r in range(GALLERY_ROUNDS)
    )
    + f"<script>var HALF = {GALLERY_IMAGES // 2}, ROUNDS = {GALLERY_ROUNDS},"
    " PIXEL = 'PIXELS/pixel.png?';</script>"
    + """<script>
window.__gallery = [];
function gallery(r) {
  var box = document.getElementById('g' + r), images = Array.from(box.children);
  var start = performance.now();
  for (var i = 0; i < HALF; i++) {
    if (i % 2) images[i].src = PIXEL + r + '-' + i;
    else images[i].setAttribute('src', PIXEL + r + '-' + i);
  }
  for (var i = HALF; i < 2 * HALF; i++) {
    var image;
    if (i % 2) {
      image = new Image();
      image.src = PIXEL + r + '-' + i;
      box.appendChild(image);
    } else {
      image = document.createElement('img');
      box.appendChild(image);
      image.src = PIXEL + r + '-' + i;
    }
    images.push(image);
  }
  var script = performance.now() - start;
  return Promise.all(images.map(image => image.complete ? 0 :
    new Promise(done => { image.onload = image.onerror = done; })))
    .then(() => __gallery.push([script, performance.now() - start]));
}
var rounds = Promise.resolve();
for (var r = 0; r < ROUNDS; r++) rounds = rounds.then(gallery.bind(null, r));
</script>"""
)
# 1 x 1 transparent PNG: the gallery's every image.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478"
    "da636000020000050001e9fadcd80000000049454e44ae426082"
)
# Three embeds as their providers give them to paste (a trailer on YouTube, a map from the
# Yandex Maps constructor, a trailer on Rutube): Kelisim's page carries them unchanged. Each
# in a block of its own, as pages put them: inline frames side by side on one line would
# move the first down when the parser reaches the taller second, a layout shift of the
# page's own whenever the parser yields between them.
YOUTUBE = "https://www.youtube.com/embed/dQw4w9WgXcQ"
YANDEX_MAP = "https://yandex.ru/map-widget/v1/?um=constructor%3A5e3c1a2b4d&amp;source=constructor"
RUTUBE = "https://rutube.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4/"
EMBEDS = (
    f'<div><iframe width="560" height="315" src="{YOUTUBE}" title="Трейлер" frameborder="0" '
    'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
    'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
    "allowfullscreen></iframe></div>"
    f'<div><iframe src="{YANDEX_MAP}" width="500" height="400" frameborder="0"></iframe></div>'
    f'<div><iframe width="720" height="405" src="{RUTUBE}" frameBorder="0" '
    'allow="clipboard-write; autoplay" webkitAllowFullScreen mozallowfullscreen '
    "allowFullScreen></iframe></div>"
)
# Klaro's contextual consent (its docs and example config): each iframe's src moved to
# data-src, data-name naming a service of the config; the embeds ask in place only
# (contextualConsentOnly), the notice covers analytics as on the other Klaro page. Klaro's
# Russian has no placeholder texts (0.7.22 shows "[missing translation: ...]"): the config
# gives them, as a Russian site's would.
KLARO_EMBEDS = (
    EMBEDS.replace(f' src="{YOUTUBE}"', f' data-name="youtube" data-src="{YOUTUBE}"')
    .replace(f' src="{YANDEX_MAP}"', f' data-name="yandexmaps" data-src="{YANDEX_MAP}"')
    .replace(f' src="{RUTUBE}"', f' data-name="rutube" data-src="{RUTUBE}"')
)
KLARO_SERVICES = ["ga", "youtube", "yandexmaps", "rutube"]
KLARO_CONFIG = (
    "<script>window.klaroConfig = {services: [{name: 'ga', purposes: ['analytics']},"
    + "".join(
        f" {{name: '{name}', translations: {{zz: {{title: '{title}'}}}},"
        " purposes: ['functional'], contextualConsentOnly: true},"
        for name, title in (
            ("youtube", "YouTube"),
            ("yandexmaps", "Яндекс Карты"),
            ("rutube", "Rutube"),
        )
    )
    + "], translations: {ru: {contextualConsent: {description: 'Загрузить содержимое {title}?',"
    " acceptOnce: 'Да', acceptAlways: 'Всегда', descriptionEmptyStore: 'Чтобы разрешить"
    " {title} навсегда, примите его в {link}.', modalLinkText: 'настройках'}}}}"
    '</script><script defer src="/klaro/dist/klaro.js"></script>'
)
# tarteaucitron knows YouTube (its player rebuilt on youtube-nocookie.com) but neither Yandex
# Maps nor Rutube: those two go through its generic "iframe" service ("Web content", one
# consent for both), whose URL must be in a non-data- "url" attribute.
TARTEAUCITRON_JOBS = ["gtag", "youtube", "iframe"]
TARTEAUCITRON_EMBEDS = (
    '<div class="youtube_player" videoID="dQw4w9WgXcQ" width="560" height="315"></div>'
    f'<div class="tac_iframe" url="{YANDEX_MAP}" width="500" height="400"></div>'
    f'<div class="tac_iframe" url="{RUTUBE}" width="720" height="405"></div>'
    "<script>tarteaucitron.init({}); tarteaucitron.job = tarteaucitron.job || [];"
    + "".join(f" tarteaucitron.job.push('{job}');" for job in TARTEAUCITRON_JOBS)
    + "</script>"
)
# The providers' hosts, stubbed by routing with a page that tells the bench's page it ran;
# any other host but 127.0.0.1 is refused.
NOT_LOCAL = re.compile(r"^(?!http://127\.0\.0\.1[:/])")
EMBED_COUNT = 3
PROVIDER_HOSTS = {"www.youtube.com", "www.youtube-nocookie.com", "yandex.ru", "rutube.ru"}
PROVIDER_PAGE = (
    "<!doctype html><title>provider</title><p>Provider content</p>"
    "<script>parent.postMessage('bench-embed', '*')</script>"
)
# In the page itself (not its frames), before its scripts: when each provider page ran.
EMBED_WATCH = (
    "if (window === top) { window.__embeds = []; addEventListener('message', e => {"
    " if (e.data === 'bench-embed') __embeds.push(performance.now()) }) }"
)
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
    # Embed pages: provider hosts stubbed (PROVIDER_HOSTS), the load event's time (ms from
    # navigation), how many provider pages ran and when the last of them did, requests to
    # the providers and to other hosts (refused) per load, the widget's own files that the
    # app did not serve (URL, status).
    stub_providers: bool = False
    load: list[float] = field(default_factory=list)
    shown: list[int] = field(default_factory=list)
    shown_at: list[float] = field(default_factory=list)
    to_providers: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    failed: list[tuple[str, int]] = field(default_factory=list)

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
            # From the host the browser asked: a release's name depends on the app's URL.
            response = client.get(
                path,
                base_url=f"{parts.scheme}://{parts.netloc}",
                headers={"Accept-Encoding": encoding},
            )
            assert response.status_code == 200, (url, response.status_code)
            assert response.headers.get("Content-Encoding") == encoding, url
            total += len(response.data)
        sizes.append(total)
    return sizes[0], sizes[1]


def serve_pixels() -> tuple[str, object]:
    """The gallery's images: the same PNG for any path, on connections kept alive (the
    static server below closes each after one response, which would make the gallery wait
    for a new connection per image)."""

    class Pixel(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go in two writes: without this, each response on a kept-alive
        # connection waits for the client's delayed ACK (40 ms).
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PIXEL_PNG)))
            self.end_headers()
            self.wfile.write(PIXEL_PNG)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pixel)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}", httpd


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
    """A page in a new browser context holding the case's cookie, with a DevTools session;
    on an embed page, requests leaving 127.0.0.1 are routed: a provider's host answers with
    PROVIDER_PAGE, any other is refused, and both are counted on the case."""
    context = browser.new_context()
    counts = {"providers": 0, "refused": 0}

    def stub(route) -> None:
        if urlsplit(route.request.url).hostname in PROVIDER_HOSTS:
            counts["providers"] += 1
            route.fulfill(status=200, content_type="text/html", body=PROVIDER_PAGE)
        else:
            counts["refused"] += 1
            route.abort()

    try:
        if case.cookie:
            context.add_cookies([case.cookie])
        if case.stub_providers:
            context.route(NOT_LOCAL, stub)
        page = context.new_page()
        yield page, context.new_cdp_session(page)
    finally:
        context.close()
        if case.stub_providers:
            case.to_providers.append(counts["providers"])
            case.refused.append(counts["refused"])


def load(page, base: str, case: Case) -> None:
    """Open the case's page and wait until the network is idle, then 300 ms more."""
    page.goto(f"{base}/{case.page}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def measure_once(browser, base: str, case: Case) -> None:
    """Load the case's page and record its main-thread counters, layout shifts and load
    event; on an embed page, also which provider pages ran."""
    with fresh_page(browser, case) as (page, cdp):
        page.add_init_script(CLS)
        if case.stub_providers:
            page.add_init_script(EMBED_WATCH)
        fetched, failed = [], []
        # The widget's own downloads, by the URL prefixes of its scripts; a file the app does
        # not serve (one a newer loader asks for from an older backend) is noted apart.
        own = case.scripts

        def downloaded(response) -> None:
            if response.request.method == "GET" and response.url.startswith(own):
                if response.ok:
                    fetched.append(response.url)
                else:
                    failed.append((response.url, response.status))

        page.on("response", downloaded)
        cdp.send("Performance.enable")
        load(page, base, case)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        case.script.append(metrics["ScriptDuration"] * 1000)
        case.style_layout.append(
            (metrics["RecalcStyleDuration"] + metrics["LayoutDuration"]) * 1000
        )
        case.shifts.append(page.evaluate("window.__cls"))
        case.load.append(
            page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        )
        if case.stub_providers:
            shown = page.evaluate("window.__embeds")
            case.shown.append(len(shown))
            if len(shown) >= EMBED_COUNT:
                case.shown_at.append(shown[EMBED_COUNT - 1])
        case.fetched = case.fetched or fetched
        case.failed = case.failed or failed


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


def gallery_once(browser, base: str, case: Case) -> tuple[float, float]:
    """Load a gallery page and return the median time of its rounds after the first, in ms:
    the script's loop, and until all the round's images have loaded."""
    with fresh_page(browser, case) as (page, _):
        page.goto(f"{base}/{case.page}")
        page.wait_for_function(f"window.__gallery && __gallery.length === {GALLERY_ROUNDS}")
        rounds = page.evaluate("__gallery")[1:]
        return (
            statistics.median(script for script, _ in rounds),
            statistics.median(loaded for _, loaded in rounds),
        )


def demo_site(app) -> tuple[str, int]:
    """The demo site `make run` creates, which the budgets are stated for."""
    with app.app_context():
        db.create_all()
        _, site = ensure_demo(db.session)
        db.session.commit()
        return site.public_key, site.config_version


def klaro_cookie(services: list[str], consent: bool) -> str:
    """Klaro's cookie as it writes it: its consents as JSON, URI-encoded."""
    return quote(json.dumps(dict.fromkeys(services, consent), separators=(",", ":")), safe="")


def tarteaucitron_cookie(services: list[str], consent: bool) -> str:
    """tarteaucitron's cookie as it writes it: !<service>=true|false for each."""
    return "".join(f"!{service}={str(consent).lower()}" for service in services)


def accept_all_services(app) -> list[str]:
    """The services banner.js stores for "Accept all" on the demo site: every one not
    necessary, with its Webvisor choice where it has one."""
    with app.app_context():
        _, site = ensure_demo(db.session)
        return [
            key
            for service in site.services
            if service.category != "necessary"
            for key in (
                [service.slug, f"{service.slug}.webvisor"]
                if service.options.get("webvisor")
                else [service.slug]
            )
        ]


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
    pixels, pixel_server = serve_pixels()
    gallery = GALLERY_BODY.replace("PIXELS", pixels)
    pages = {
        "blank.html": PAGE.format(head="", body=""),
        "kelisim.html": PAGE.format(head=tag, body=""),
        "cookie.html": PAGE.format(head='<script src="/cookie.js"></script>', body=""),
        "large-blank.html": PAGE.format(head="", body=LARGE_BODY),
        "large-kelisim.html": PAGE.format(head=tag, body=LARGE_BODY),
        "render-blank.html": PAGE.format(head="", body=RENDER_BODY),
        "render-kelisim.html": PAGE.format(head=tag, body=RENDER_BODY),
        "gallery-blank.html": PAGE.format(head="", body=gallery),
        "gallery-kelisim.html": PAGE.format(head=tag, body=gallery),
        "embeds-blank.html": PAGE.format(head="", body=EMBEDS),
        "embeds-kelisim.html": PAGE.format(head=tag, body=EMBEDS),
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
        pages["embeds-klaro.html"] = PAGE.format(head=KLARO_CONFIG, body=KLARO_EMBEDS)
        pages["embeds-tarteaucitron.html"] = PAGE.format(
            head=PEERS["tarteaucitronjs"][2], body=TARTEAUCITRON_EMBEDS
        )
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

    # The page with three embeds: first visit, returning after rejecting everything, and
    # returning after accepting everything (Kelisim's "Accept all"; the peers' every
    # service, the embeds' included), each widget with its own cookie as it writes it.
    def cookie_of(name: str, value: str) -> dict:
        return {"name": name, "url": base, "value": value}

    accepted = cookie_of(
        "kelisim",
        decided["value"].split("&a=")[0]
        + "&a=accept_all&g=none&l=ru&c=analytics|marketing|functional&s="
        + "|".join(accept_all_services(app)),
    )
    embeds_baseline = Case("Embeds page without a widget", "embeds-blank.html")
    embed_widgets = [("Kelisim", "embeds-kelisim.html", (app_url,), decided, accepted)]
    if not args.no_peers:
        for widget, page, scripts, services, cookie_name, encode in (
            ("Klaro", "embeds-klaro.html", "klaro/", KLARO_SERVICES, "klaro", klaro_cookie),
            (
                "tarteaucitronjs",
                "embeds-tarteaucitron.html",
                "tarteaucitronjs/",
                TARTEAUCITRON_JOBS,
                "tarteaucitron",
                tarteaucitron_cookie,
            ),
        ):
            embed_widgets.append(
                (
                    widget,
                    page,
                    (f"{base}/{scripts}",),
                    cookie_of(cookie_name, encode(services, False)),
                    cookie_of(cookie_name, encode(services, True)),
                )
            )
    embed_measured = [
        Case(
            f"{widget}, {visit}",
            page,
            cookie,
            scripts=scripts,
            baseline=embeds_baseline,
        )
        for widget, page, scripts, rejected, accepted_all in embed_widgets
        for visit, cookie in (
            ("first visit", None),
            ("returning, rejected", rejected),
            ("returning, accepted", accepted_all),
        )
    ]
    embed_cases = [embeds_baseline, *embed_measured]
    for case in embed_cases:
        case.stub_providers = True
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        measure_once(browser, base, Case("warm-up", "blank.html"))  # not counted
        for _ in range(args.runs):
            for case in cases + embed_cases:
                measure_once(browser, base, case)
        for _ in range(args.runs):
            for case in measured + embed_measured:
                profile_once(browser, base, case)
        for _ in range(args.runs):
            for case in cases + embed_cases:
                trace_once(browser, base, case)
        # Each a page without the loader and with it (returning): [(case, [figures])].
        renders = [
            (Case("render", "render-blank.html"), []),
            (Case("render", "render-kelisim.html", decided), []),
        ]
        galleries = [
            (Case("gallery", "gallery-blank.html"), []),
            (Case("gallery", "gallery-kelisim.html", decided), []),
        ]
        for _ in range(args.runs):
            for once, pair in ((render_once, renders), (gallery_once, galleries)):
                for case, figures in pair:
                    figures.append(once(browser, base, case))
        browser.close()
    httpd.shutdown()
    pixel_server.shutdown()
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
    # The embed pages' widget files, as the browser fetched them.
    embed_sizes = {}
    for case in embed_measured:
        if case.scripts == (app_url,):
            embed_sizes[case.name] = served(client, case.fetched)
        else:
            files = [PEERS_DIR / "node_modules" / urlsplit(u).path[1:] for u in case.fetched]
            embed_sizes[case.name] = compressed([file.read_bytes() for file in files])

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
    (script_blank, loaded_blank), (script_kelisim, loaded_kelisim) = (
        (median(script for script, _ in times), median(loaded for _, loaded in times))
        for _, times in galleries
    )
    print(
        f"An image gallery that sets src on {GALLERY_IMAGES} images (half in the markup, by "
        "src or setAttribute; half made by new Image() or createElement and appended): its "
        f"script {script_blank:.2f} ms without a widget, {script_kelisim:.2f} ms with Kelisim's "
        f"loader ({script_kelisim / script_blank:.2f} times); all its images loaded after "
        f"{loaded_blank:.0f} and {loaded_kelisim:.0f} ms "
        f"({loaded_kelisim / loaded_blank:.2f} times)"
    )

    print(
        f"\nA page with {EMBED_COUNT} embeds (YouTube, Yandex Maps and Rutube iframes; the "
        "providers' hosts stubbed by routing): main thread, own JS and CPU over the same page "
        f"without a widget, which loads them all ({median(embeds_baseline.total):.1f} ms, its "
        f"runs {spread(embeds_baseline.total):.1f} ms apart between the quartiles; load event "
        f"at {median(embeds_baseline.load):.0f} ms; CPU {median(embeds_baseline.cpu):.1f} ms; "
        f"CLS {max(embeds_baseline.shifts):.3f}). "
        "Kelisim's page pastes the iframes unchanged; Klaro's moves each src to data-src with "
        "data-name (contextual consent only); tarteaucitron's uses its youtube service and, "
        "for Yandex Maps and Rutube, which it does not know, its generic iframe service. "
        "Load: the load event, ms from navigation; embeds: provider pages that ran (and "
        "requests that reached a provider), when the last of them ran.\n"
    )
    print(
        f"{'':36} {'gzip B':>7} {'brotli B':>8} {'main thread ms':>15} {'own JS ms':>10} "
        f"{'CPU ms':>7} {'load ms':>8} {'embeds (reqs)':>14} {'shown ms':>9} {'CLS':>6}"
    )
    for case in embed_measured:
        gz, br = embed_sizes[case.name]
        ms = median(case.total) - median(embeds_baseline.total)
        case_cpu = median(case.cpu) - median(embeds_baseline.cpu)
        shown = f"{median(case.shown):g} ({median(case.to_providers):g})"
        shown_at = f"{median(case.shown_at):9.0f}" if case.shown_at else f"{'-':>9}"
        print(
            f"{case.name:36} {gz:7d} {br:8d} {ms:15.1f} {median(case.own_js):10.2f} "
            f"{case_cpu:7.1f} {median(case.load):8.0f} {shown:>14} {shown_at} "
            f"{max(case.shifts):6.3f}"
        )
    for case in embed_measured:
        notes = []
        if case.scripts == (app_url,):
            notes.append("downloads " + ", ".join(urlsplit(u).path for u in case.fetched))
        if case.failed:
            notes.append(
                "not served by this app: "
                + ", ".join(f"{urlsplit(u).path} ({status})" for u, status in case.failed)
            )
        if any(case.refused):
            notes.append(f"{max(case.refused)} request(s) to other hosts refused")
        if notes:
            print(f"  {case.name}: " + "; ".join(notes))

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
    back_br = sizes[returning.name][1]
    print(
        "\nEmbeds and pixels (issue 18): on the page without embeds, the returning visit "
        f"downloads {back_gz} B gzip ({back_br} B brotli) and costs {back_ms:.1f} ms of main "
        f"thread (the page without a widget's runs {spread(baseline.total):.1f} ms apart "
        f"between the quartiles), own JS {median(returning.own_js):.2f} ms, CPU "
        f"{cpu[returning.name]:.1f} ms; with the loader, the render takes "
        f"{render_kelisim / render_blank:.2f} times its time without it, the gallery's script "
        f"{script_kelisim / script_blank:.2f} times and its images' loading "
        f"{loaded_kelisim / loaded_blank:.2f} times."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
