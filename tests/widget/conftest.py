"""Browser fixtures: the app served on a free port, test pages, Chromium with stubbed trackers."""

import json
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import sqlalchemy as sa
from flask import Blueprint, abort, make_response, render_template_string, request

from backend import create_app
from backend.extensions import db
from backend.models import ConsentEvent, FoundTracker, Site
from backend.service_catalog import CATALOG
from tests.chromium import launch as chromium_launch
from tests.factories import make_service, make_site
from tests.live_server import serve

PAGES = Path(__file__).parent / "pages"
# The providers' embed codes (tests/data/embeds/README.md), pasted into pages unchanged.
EMBED_CODES = Path(__file__).parent.parent / "data" / "embeds"
STRICT_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-kelisim-test' https://mc.yandex.ru "
    "https://www.googletagmanager.com; style-src 'self'; img-src 'self'; "
    "connect-src 'self' https://mc.yandex.ru https://www.google-analytics.com"
)
# The strict policy of an operator who allows the providers they embed (and no inline
# style: the placeholders are styled through the CSSOM).
EMBEDS_CSP = (
    STRICT_CSP.replace("script-src 'self'", "script-src 'self' https://telegram.org")
    + "; frame-src https://www.youtube.com https://t.me"
)
# What a page without a Content-Security-Policy allows.
NO_POLICY = "default-src * data: blob: 'unsafe-inline' 'unsafe-eval'"

# How long the slow script waits at most for its page's banner request: no test waits for it
# unless the loader failed to ask for the banner while the page was still loading.
SLOW_SCRIPT_MAX_SECONDS = 30
_banner_asked: dict[str, threading.Event] = defaultdict(threading.Event)
# The services most tests configure: Metrica pasted (with Webvisor), GA4 managed.
TRACKERS = [
    ("yandex_metrica", {"options": {"counter_id": "12345678", "webvisor": True}}),
    ("google_analytics", {"managed": True, "options": {"measurement_id": "G-TEST123"}}),
]


class Arrivals:
    """Counts requests a server has handled, so that a test waits for what pages send rather
    than for a fixed time."""

    def __init__(self) -> None:
        self.count = 0
        self.condition = threading.Condition()

    def arrived(self) -> None:
        with self.condition:
            self.count += 1
            self.condition.notify_all()

    def wait_for(self, read, done, timeout: float = 10.0):
        """What ``read()`` returns once ``done`` says so, read again after each request
        handled (or after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.condition:
                count = self.count
            value = read()
            left = deadline - time.monotonic()
            if done(value) or left <= 0:
                return value
            with self.condition:
                self.condition.wait_for(lambda seen=count: self.count != seen, left)


# Event POSTs the app has answered (it answers once the events are stored), and requests the
# tracker stubs have answered.
_event_posts = Arrivals()
_tracker_requests = Arrivals()
# What the database holds once the pages' events have arrived: wait_for(read, done).
wait_for = _event_posts.wait_for

pages = Blueprint("widget_test_pages", __name__)


@pages.get("/pages/<name>.html")
def page(name: str):
    """A test page with the site's widget tag first in <head>."""
    # csp_embeds: the embeds page under an operator's strict policy.
    path = PAGES / f"{'embeds' if name == 'csp_embeds' else name}.html"
    if not re.fullmatch(r"[a-z_]+", name) or not path.exists():
        abort(404)
    # ?codes=youtube,2gis: those embed codes, each in a <div class="embed">, in that order.
    codes = [code for code in request.args.get("codes", "").split(",") if code]
    if not all(re.fullmatch(r"[a-z0-9_.]+", code) for code in codes):
        abort(404)
    html = render_template_string(
        path.read_text(),
        widget=f"/w/{request.args['site']}.js",
        site=request.args["site"],
        lang=request.args.get("lang", ""),
        codes=[(code, (EMBED_CODES / f"{code}.html").read_text()) for code in codes],
    )
    response = make_response(html)
    # An operator's page, not Kelisim's: with a strict policy of its own, or none at all.
    response.headers["Content-Security-Policy"] = (
        EMBEDS_CSP if name == "csp_embeds" else STRICT_CSP if name.startswith("csp") else NO_POLICY
    )
    return response


@pages.get("/pages/lib/<name>.js")
def first_party_script(name: str):
    """A first-party script for marked-script tests; it records that it ran."""
    body = f"(window.__marked = window.__marked || []).push({name!r});"
    return make_response(body, 200, {"Content-Type": "application/javascript"})


@pages.before_app_request
def note_banner_requests() -> None:
    """Tell a held-up slow script that its page's banner has been asked for."""
    match = re.fullmatch(r"/w/([A-Za-z0-9_-]+)/[0-9a-f-]+/banner\.[a-z]{2}\.js", request.path)
    if match:
        _banner_asked[match.group(1)].set()


@pages.after_app_request
def note_event_posts(response):
    """Wake the tests that wait for what pages sent."""
    if request.path == "/api/v1/events" and request.method == "POST":
        _event_posts.arrived()
    return response


@pages.get("/pages/slow.js")
def slow_script():
    """A parser-blocking script that holds the page up until the page's banner has been
    asked for (as a slow third-party script would, without a race against the clock);
    ``window.__slow`` says whether that happened while it held the page."""
    asked = _banner_asked[request.args["site"]].wait(SLOW_SCRIPT_MAX_SECONDS)
    body = f"window.__slow = {'true' if asked else 'false'};"
    return make_response(body, 200, {"Content-Type": "application/javascript"})


@pytest.fixture(scope="session")
def widget_app():
    """The real app on a temporary SQLite file, plus the test pages."""
    directory = tempfile.mkdtemp(prefix="kelisim-widget-")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "widget-test-secret-key-that-is-long-enough-0123",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/kelisim.sqlite3",
            "RATELIMIT_ENABLED": False,
            "WIDGET_CACHE_SECONDS": 0,
            "WIDGET_MAX_AGE": 0,
        }
    )
    app.register_blueprint(pages, url_prefix="/test")
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture(scope="session")
def server(widget_app):
    """The app served over HTTP on 127.0.0.1 in a background thread."""
    with serve(widget_app) as base:
        yield base


@dataclass
class SiteHandle:
    """A site under test: its key, and helpers to read what its pages recorded."""

    app: object
    base: str
    key: str
    id: int

    def url(self, page: str = "plain", **params) -> str:
        query = "".join(f"&{k}={v}" for k, v in params.items())
        return f"{self.base}/test/pages/{page}.html?site={self.key}{query}"

    def events(self) -> list[ConsentEvent]:
        with self.app.app_context():
            rows = db.session.scalars(
                sa.select(ConsentEvent)
                .where(ConsentEvent.site_id == self.id)
                .order_by(ConsentEvent.id)
            ).all()
            db.session.expunge_all()
            return list(rows)

    def found(self) -> dict[str, int]:
        """The trackers its shown banners found unconfigured: kind → count."""
        with self.app.app_context():
            rows = db.session.execute(
                sa.select(FoundTracker.kind, FoundTracker.count).where(
                    FoundTracker.site_id == self.id
                )
            )
            return dict(rows.all())

    def actions(self) -> list[str]:
        return [event.action for event in self.events()]

    def wait_for_events(self, count: int) -> list[ConsentEvent]:
        """Its events once the database holds ``count`` of them: pages send them
        asynchronously (beacons, and fetches a test does not wait for)."""
        return wait_for(self.events, lambda events: len(events) >= count)

    def update(self, **fields) -> None:
        with self.app.app_context():
            site = db.session.get(Site, self.id)
            for name, value in fields.items():
                setattr(site, name, value)
            db.session.commit()

    def publish_policy(self, requires_consent: bool) -> None:
        with self.app.app_context():
            db.session.get(Site, self.id).publish_policy(requires_consent)
            db.session.commit()


@pytest.fixture
def make_test_site(widget_app, server):
    """Create a site on 127.0.0.1 with the given services: [(kind, {fields})]."""

    def make(services=(), **fields) -> SiteHandle:
        fields.setdefault("domains", ["127.0.0.1", "localhost"])
        fields.setdefault(
            "policy_urls",
            {lang: f"https://example.kz/{lang}/privacy" for lang in ("kk", "ru", "en")},
        )
        with widget_app.app_context():
            site = make_site(**fields)
            for kind, service_fields in services:
                make_service(site, kind, **service_fields)
            db.session.commit()
            return SiteHandle(widget_app, server, site.public_key, site.id)

    return make


class TrackerStubs(BaseHTTPRequestHandler):
    """Every tracker host, answered over HTTPS on 127.0.0.1: stub scripts for script URLs,
    204 for hits. Each request is recorded."""

    requests: list[str] = []

    def answer(self) -> None:
        url = f"https://{self.headers['Host']}{self.path}"
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.requests.append(url)
        content_type, body = embed_stub(url) or ("application/javascript", stub_script(url))
        self.send_response(204 if body is None else 200)
        self.send_header("Content-Type", content_type)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body.encode()) if body else 0))
        self.end_headers()
        if body:
            self.wfile.write(body.encode())
        _tracker_requests.arrived()

    do_GET = do_POST = answer

    def log_message(self, *args) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """The stubs' server: a connection the browser drops (a frame's load the widget
    cancels) is no error worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ssl.SSLError | ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def tracker_port(tmp_path_factory):
    """An HTTPS server with a throw-away certificate standing in for every tracker host.
    (Request interception would do, but Chromium loses some sendBeacon calls under it.)"""
    directory = tmp_path_factory.mktemp("tls")
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=kelisim-tracker-stubs"],
        check=True,
        capture_output=True,
    )
    httpd = QuietServer(("127.0.0.1", 0), TrackerStubs)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    # The handshake in each request's own thread (on its first read), not in the thread
    # that accepts: a connection the browser gives up on half-way (a frame whose load the
    # widget cancels) would hold up every request after it.
    httpd.socket = context.wrap_socket(
        httpd.socket, server_side=True, do_handshake_on_connect=False
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join()
    httpd.server_close()


# A made-up operator domain served by the app, for parent-domain cookies and plain-http pages.
OPERATOR_DOMAIN = "kino.test"


@pytest.fixture(scope="session")
def browser(playwright, tracker_port, server):
    """Chromium in which *.kino.test is the app and every other host but 127.0.0.1 resolves
    to the tracker stubs, so nothing leaves the machine."""
    app_port = server.rsplit(":", 1)[1]
    rules = (
        f"MAP *.{OPERATOR_DOMAIN} 127.0.0.1:{app_port}, "
        f"MAP * 127.0.0.1:{tracker_port}, EXCLUDE 127.0.0.1, EXCLUDE localhost"
    )
    chromium = chromium_launch(playwright, f"--host-resolver-rules={rules}")
    yield chromium
    chromium.close()


# Tracker script URLs -> (name recorded when the stub runs, cookie it sets, hit it sends).
STUBS = {
    "mc.yandex.ru/metrika/tag.js": ("yandex_metrica", "_ym_uid", "https://mc.yandex.ru/watch/1"),
    "googletagmanager.com/gtag/js": ("gtag", "_ga", "https://www.google-analytics.com/g/collect"),
    "googletagmanager.com/gtm.js": ("gtm", "", ""),
    "connect.facebook.net": ("meta_pixel", "_fbp", "https://www.facebook.com/tr/?ev=PageView"),
    "top-fwz1.mail.ru/js/code.js": ("vk_pixel", "tmr_lvid", "https://top-fwz1.mail.ru/counter"),
    "vk.com/js/api/openapi.js": ("vk_openapi", "", ""),
    "mc.yandex.ru/metrika/watch.js": ("metrica_watch", "", ""),
    "google-analytics.com/ga.js": ("ga_js", "", ""),
    "google-analytics.com/analytics.js": ("analytics_js", "", ""),
    "analytics.tiktok.com/i18n": (
        "tiktok_pixel",
        "_ttp",
        "https://analytics.tiktok.com/api/v2/pixel",
    ),
    "cdn.example.com/": ("custom", "", ""),
    # The made-up kind of tests that add one to the catalog.
    "ads.acme.test/": ("acme_ads", "_acme", "https://ads.acme.test/hit"),
}
TRACKER_COOKIES = ("_ym", "_ga", "_gid", "_fb", "tmr_", "_tt", "ttcsid", "_acme")


def stub_script(url: str) -> str | None:
    """A stand-in for a tracker's script: it records that it ran (with the calls queued for
    it), sets its cookie and sends a hit, as the real one would."""
    for part, (name, cookie, hit) in STUBS.items():
        if part in url:
            source = (PAGES / "stub_tracker.js").read_text()
            for token, value in (("NAME", name), ("COOKIE", cookie), ("HIT", hit)):
                source = source.replace(f"__{token}__", json.dumps(value))
            return source
    return None


# Embed providers' scripts -> what the stand-in does: each records that it ran in
# window.__embedRuns and builds what the real one builds (a frame, a map), where it does.
EMBED_SCRIPTS = {
    # The iframe API calls the page's onYouTubeIframeAPIReady; YT.Player puts the player's
    # frame in place of the element it names.
    "youtube.com/iframe_api": """
        window.YT = {Player: function (id, options) {
          var frame = document.createElement('iframe');
          frame.src = 'https://www.youtube.com/embed/' + options.videoId;
          frame.width = options.width; frame.height = options.height;
          document.getElementById(id).replaceWith(frame);
        }};
        if (window.onYouTubeIframeAPIReady) onYouTubeIframeAPIReady();""",
    # DGWidgetLoader builds the firm's map frame after the script that called it.
    "widgets.2gis.com/js/DGWidgetLoader.js": """
        window.DGWidgetLoader = function (options) {
          __embedRuns.push('2gis-built');
          var frame = document.createElement('iframe');
          frame.src = 'https://widgets.2gis.com/widget?type=firmsonmap&org=' + options.org[0].id;
          frame.width = options.width; frame.height = options.height;
          document.currentScript.after(frame);
        };""",
    # The constructor writes its map where its script is.
    "api-maps.yandex.ru/services/constructor/": """
        var map = document.createElement('div');
        map.className = 'ymaps-map'; map.textContent = 'PROVIDER CONTENT';
        document.currentScript.before(map);""",
    # The post's frame in place of the script's place.
    "telegram.org/js/telegram-widget.js": """
        var post = document.createElement('iframe');
        post.src = 'https://t.me/' + document.currentScript.dataset.telegramPost + '?embed=1';
        document.currentScript.before(post);""",
    "instagram.com/embed.js": """
        document.querySelectorAll('blockquote.instagram-media').forEach(function (quote) {
          var frame = document.createElement('iframe');
          frame.src = quote.dataset.instgrmPermalink + 'embed';
          quote.replaceWith(frame);
        });""",
    "forms.yandex.ru/_static/embed.js": "",
}
# What a provider's frame content is: the catalog's frame URLs, and the frames the
# stand-ins above build for Telegram and Instagram.
EMBED_FRAMES = tuple(part for kind in CATALOG.values() for part in kind.frame_parts) + (
    "t.me/",
    "instagram.com/p/",
)


def embed_stub(url: str) -> tuple[str, str] | None:
    """An embed provider's script (JavaScript) or frame (HTML that says PROVIDER CONTENT),
    or None for anything else (a tracker's)."""
    for part, code in EMBED_SCRIPTS.items():
        if part in url:
            name = json.dumps(part)
            body = f"(window.__embedRuns = window.__embedRuns || []).push({name});{code}"
            return "application/javascript", body
    if any(part in url for part in EMBED_FRAMES):
        return "text/html", "<!doctype html><title>Provider</title><p>PROVIDER CONTENT</p>"
    return None


@dataclass
class Visit:
    """A fresh browser context with trackers stubbed and everything they did recorded."""

    context: object
    page: object
    tracker_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def runs(self) -> list[dict]:
        return self.page.evaluate("window.__trackerRuns || []")

    def run_names(self) -> list[str]:
        return [run["name"] for run in self.runs()]

    def hits(self) -> list[str]:
        """Tracker requests that are not a script download: beacons, pixels, XHR."""
        return [url for url in self.tracker_requests if stub_script(url) is None]

    def wait_for_hits(self, count: int) -> list[str]:
        """The hits once the trackers have sent ``count`` of them."""
        return _tracker_requests.wait_for(self.hits, lambda hits: len(hits) >= count)

    def tracker_cookies(self) -> list[str]:
        return [c["name"] for c in self.context.cookies() if c["name"].startswith(TRACKER_COOKIES)]

    def write_cookies(self, *written: tuple[str, str]) -> set[tuple[str, str]]:
        """Set cookies (name, domain) as a tracker's script does, by `document.cookie`; the
        browser's store, which `context.cookies()` reads, has them a moment later: returns
        every (name, domain) it holds once it has these."""
        for name, domain in written:
            self.page.evaluate(f"document.cookie = '{name}=1; path=/; domain={domain}'")
        deadline = time.monotonic() + 10
        while True:
            held = {(c["name"], c["domain"]) for c in self.context.cookies()}
            if set(written) <= held or time.monotonic() > deadline:
                return held

    def cookie(self) -> dict[str, str]:
        """The widget's own cookie, parsed as the README tells an operator's server to."""
        for c in self.context.cookies():
            if c["name"] == "kelisim":
                return dict(parse_qsl(c["value"]))
        return {}

    def banner(self):
        return self.page.locator("kelisim-ui [role=dialog]")

    def event_posts(self) -> list[str]:
        """The bodies of the event requests the page makes from now on (fetch and beacons)."""
        bodies: list[str] = []
        self.page.on(
            "request",
            lambda r: r.url.endswith("/api/v1/events") and bodies.append(r.post_data or ""),
        )
        return bodies


@pytest.fixture
def visit(browser):
    """Open pages in a fresh context; tracker requests are answered by the stubs."""
    created = []

    def open_context(init_script: str | None = None, **context_options) -> Visit:
        context = browser.new_context(ignore_https_errors=True, **context_options)
        page = context.new_page()
        TrackerStubs.requests.clear()
        v = Visit(context, page, TrackerStubs.requests)
        if init_script:
            context.add_init_script(init_script)
        page.on("pageerror", lambda error: v.errors.append(str(error)))
        created.append(context)
        return v

    yield open_context
    for context in created:
        context.close()
