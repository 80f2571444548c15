"""The dashboard in a real Chromium: signing in by keyboard, and no serious or critical
accessibility violation (axe) on any page, at desktop and phone width."""

import tempfile

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from backend import create_app
from backend.extensions import db
from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo
from tests.chromium import launch as chromium_launch
from tests.live_server import serve

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def live():
    """The app on a temporary SQLite file with the demo site, served on 127.0.0.1; yields
    its base URL and the demo site's key."""
    directory = tempfile.mkdtemp(prefix="kelisim-dashboard-")
    app = create_app(
        {
            "SECRET_KEY": "dashboard-browser-test-secret-key-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/kelisim.sqlite3",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    with app.app_context():
        db.create_all()
        _, site = ensure_demo(db.session)
        db.session.commit()
        key = site.public_key
    with serve(app) as base:
        yield app, base, key


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = chromium_launch(playwright)
        yield chromium
        chromium.close()


def dashboard_pages(app, site_key: str) -> list[str]:
    """Every GET page of the dashboard that needs at most a site key."""
    with app.test_request_context():
        return sorted(
            app.url_for(rule.endpoint, **({"site_key": site_key} if rule.arguments else {}))
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("dashboard.")
            and "GET" in rule.methods
            and not set(rule.arguments) - {"site_key"}
        )


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
    _, base, _ = live
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in_by_keyboard(page, base)
    yield page
    context.close()


def test_signing_in_by_keyboard_reaches_the_sites(signed_in_page):
    expect(signed_in_page.get_by_role("link", name="Kelisim demo cinema")).to_be_visible()
    expect(signed_in_page.locator("html")).to_have_attribute("lang", "ru")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_dashboard_page_has_a_serious_accessibility_violation(signed_in_page, live, width):
    app, base, key = live
    signed_in_page.set_viewport_size(WIDTHS[width])
    problems = {}
    for path in dashboard_pages(app, key) + ["/login"]:
        if path == "/login":
            signed_in_page.context.clear_cookies()
        signed_in_page.goto(f"{base}{path}")
        results = Axe().run(signed_in_page)
        serious = [
            f"{v['id']}: {v['help']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
        # Nothing wider than the viewport: no sideways scrolling on a phone.
        overflow = signed_in_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow} px wider than the {width} viewport"
    assert problems == {}
