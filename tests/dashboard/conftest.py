"""Dashboard fixtures: CSRF on as in production, a site with a member of every role, an
outsider who owns another site, and clients signed in as each of them; every route with the
least role that may use it; events on a day; the demo served to a real Chromium."""

import re
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from backend.extensions import db
from backend.models import Membership, Role
from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD
from backend.services.sites import get_or_create_user
from tests.chromium import launch as chromium_launch
from tests.factories import demo_app, make_site, record_event
from tests.live_server import serve

PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


class OwnContextClient(FlaskClient):
    """Each request in an app context of its own, as under a real server: the test's context
    would otherwise lend every request the same `g` (and so one CSRF token that was never
    put in the session) and the same database session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = OwnContextClient
    return app.test_client()


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on the page at ``url``, as a browser would send it."""
    response = client.get(url)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({response.status_code})"
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the form, CSRF token included."""
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )


@pytest.fixture
def people(app) -> dict:
    """A site with an owner, an editor and a viewer, and an outsider who owns another site."""
    site = make_site(name="Кинотеатр «Арман»", domains=["arman.kz"])
    other = make_site(name="Other agency site", domains=["other.kz"])
    users = {}
    for role in Role:
        user, _ = get_or_create_user(db.session, f"{role.value}@arman.kz", PASSWORD)
        db.session.add(Membership(user=user, site=site, role=role))
        users[role.value] = user
    outsider, _ = get_or_create_user(db.session, "outsider@other.kz", PASSWORD)
    db.session.add(Membership(user=outsider, site=other, role=Role.OWNER))
    users["outsider"] = outsider
    db.session.commit()
    return {"site": site, "other": other, **users}


@pytest.fixture
def signed_in(app, people):
    """signed_in(who) -> a test client signed in as people[who]; "anonymous" signs nobody in."""

    def client_for(who: str):
        app.test_client_class = OwnContextClient
        client = app.test_client()
        if who != "anonymous":
            response = sign_in(client, people[who].email)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return client_for


# (method, URL with {site} for the site's key, least role; None: any signed-in user)
ROUTES = [
    ("GET", "/dashboard/", None),
    ("GET", "/dashboard/sites/{site}", Role.VIEWER),
    ("GET", "/account", None),
    ("GET", "/dashboard/sites/new", None),
    ("GET", "/dashboard/sites/{site}/settings", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/config.json", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/delete", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/members", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/versions", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/versions/1", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/install", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/receipts", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/audit", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/trackers", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/trackers/new", Role.EDITOR),
    ("GET", "/dashboard/sites/{site}/trackers/new/yandex_metrica", Role.EDITOR),
    ("GET", "/dashboard/sites/{site}/banner", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/documents", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/documents/privacy-policy?lang=kk", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/tokens", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/stats.csv?from=2026-11-01&to=2026-11-30", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/events.csv?from=2026-11-01&to=2026-11-30", Role.OWNER),
]
PEOPLE = ["owner", "editor", "viewer", "outsider", "anonymous"]


def expected_status(who: str, least: Role | None, ok: int) -> int:
    if who == "anonymous":
        return 302  # to the sign-in page
    if least is None:
        return ok
    if who == "outsider":
        return 404  # another site's member does not learn that this site exists
    return ok if Role(who).allows(least) else 403


def form_inputs(html: str) -> Iterator[tuple[str, str]]:
    """(name, value) of the form's inputs, textareas and selected options."""
    for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html):
        yield name, unescape(value)
    for name, value in re.findall(
        r'<textarea[^>]*?name="([^"]+)"[^>]*>\s?(.*?)</textarea>', html, re.S
    ):
        yield name, unescape(value)
    for name, body in re.findall(r'<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body) or re.search(
            r'<option value="([^"]*)"', body
        )
        yield name, unescape(chosen.group(1))


class _FormReader(HTMLParser):
    """Reads what a browser would send for each form on a page: its enabled controls,
    checked boxes only, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.inside = False
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append([])
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button"):
                self.forms[-1].append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.forms[-1].append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            first = [value for value, _selected in self.options[:1]]
            self.forms[-1] += [(self.select, value) for value in chosen or first]
            self.select = None
        elif tag == "form":
            self.inside = False


def form_as_sent(html: str) -> dict[str, str | list[str]]:
    """The page's main form (the one with the most controls) as a browser sends it when
    saved untouched: a name given twice (boxes of one list) maps to the list of values."""
    reader = _FormReader()
    reader.feed(html)
    sent: dict[str, str | list[str]] = {}
    for name, value in max(reader.forms, key=len):
        if name in sent:
            previous = sent[name]
            sent[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            sent[name] = value
    return sent


# Figures: events on a day of the site's time zone, pages read in English

EN = {"Accept-Language": "en"}
ALMATY = ZoneInfo("Asia/Almaty")


def today() -> date:
    return datetime.now(ALMATY).date()


def seed(site, day: date, shown: int, accepted: int, language: str = "ru", device="desktop"):
    """``shown`` banners and ``accepted`` acceptances at noon of ``day`` (no commit)."""
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=ALMATY)
    for _ in range(shown):
        record_event(site, moment, device=device, action="shown", language=language)
    for _ in range(accepted):
        record_event(site, moment, device=device, action="accept_all", language=language)


def text(response) -> str:
    """The response's page, its white space collapsed."""
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# In a real Chromium


@pytest.fixture(scope="module")
def live():
    """The app on a temporary SQLite file with the demo site, served on 127.0.0.1; yields
    its base URL and the demo site's key."""
    app, key = demo_app(tempfile.mkdtemp(prefix="kelisim-dashboard-"))
    with serve(app) as base:
        yield app, base, key


@pytest.fixture(scope="module")
def browser(playwright):
    chromium = chromium_launch(playwright)
    yield chromium
    chromium.close()


def sign_in_by_keyboard(page, base: str) -> None:
    """Sign in as the demo owner using nothing but the keyboard."""
    page.goto(f"{base}/login")
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.name") != "email":
        page.keyboard.press("Tab")
    page.keyboard.type(DEMO_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.fixture
def signed_in_page(browser, live):
    """The demo owner, signed in by keyboard, reading Russian, with the clipboard allowed."""
    _, base, _ = live
    context = browser.new_context(locale="ru-RU", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in_by_keyboard(page, base)
    yield page
    context.close()
