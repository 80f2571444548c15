"""The dashboard's layout in a real Chromium, in Kazakh and Russian at desktop (1280 × 900) and
phone (390 × 844) width: the banner editor's preview in view while a deep field is typed into,
the site's tabs in groups that keep one layout from page to page, and the overview's tables
and chart readable on a phone."""

import pytest
from playwright.sync_api import expect

from backend.extensions import db
from backend.models import Membership, Role, Site
from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD
from backend.services.sites import get_or_create_user
from backend.services.tokens import create_token
from tests.dashboard.conftest import PASSWORD, seed, today

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCALES = {"kk": "kk-KZ", "ru": "ru-RU"}
TYPED = "Жинақталатын деректер: тек 17 бет"


@pytest.fixture
def open_page(browser, live):
    """open_page(language, viewport) -> a page signed in as the demo owner."""
    _, base, _ = live
    contexts = []

    def opened(language: str, viewport: dict):
        context = browser.new_context(locale=LOCALES[language], viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("[name=email]", DEMO_EMAIL)
        page.fill("[name=password]", DEMO_PASSWORD)
        page.press("[name=password]", "Enter")
        page.wait_for_url(f"{base}/dashboard/")
        return page

    yield opened
    for context in contexts:
        context.close()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, f"{locator} is not shown"
    return found


def type_deep_in_the_banner_editor(page, language: str):
    """In the open editor, preview ``language`` and type into that language's "data
    collected" text, in the closed section of its fieldset (far down the form); returns the
    field and the preview's frame."""
    page.select_option("select[name=preview_language]", language)
    page.locator(f"fieldset[lang={language}] details summary").click()
    field = page.locator(f"#texts_{language}-data_collected")
    field.focus()
    page.keyboard.type(TYPED)
    frame = page.frame_locator("iframe[name=banner-preview]")
    expect(frame.locator("kelisim-ui").get_by_text(TYPED, exact=False)).to_be_visible(
        timeout=20_000
    )
    return field, page.locator("iframe[name=banner-preview]")


@pytest.mark.parametrize("language", LOCALES)
def test_at_1280_the_preview_stays_beside_a_deep_field_while_it_is_typed_into(
    open_page, live, language
):
    _, base, key = live
    page = open_page(language, DESKTOP)
    page.goto(f"{base}/dashboard/sites/{key}/banner")
    field, frame = type_deep_in_the_banner_editor(page, language)
    field_box, frame_box = box(field), box(frame)
    # Deep in the form: the page has scrolled far past where the preview's column starts.
    assert page.evaluate("window.scrollY") > 1500
    # The whole preview is on the screen, beside the field (not above or below it).
    assert frame_box["y"] >= 0 and frame_box["y"] + frame_box["height"] <= DESKTOP["height"]
    assert frame_box["x"] >= field_box["x"] + field_box["width"]
    assert frame_box["x"] + frame_box["width"] <= DESKTOP["width"]
    # At a visitor's phone width, at its real size.
    assert frame.evaluate("f => f.clientWidth") == 390
    assert frame_box["width"] == pytest.approx(390, abs=1)


@pytest.mark.parametrize("language", LOCALES)
def test_on_a_phone_the_docked_preview_shows_the_typing_under_the_field(open_page, live, language):
    _, base, key = live
    page = open_page(language, PHONE)
    page.goto(f"{base}/dashboard/sites/{key}/banner")
    toggle = page.locator(".preview-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    field, frame = type_deep_in_the_banner_editor(page, language)
    field_box, frame_box = box(field), box(frame)
    # The field above the dock, the preview's frame inside the screen below it.
    assert field_box["y"] >= 0 and field_box["y"] + field_box["height"] <= frame_box["y"]
    assert frame_box["y"] + frame_box["height"] <= PHONE["height"] + 1
    assert frame_box["x"] >= 0 and frame_box["x"] + frame_box["width"] <= PHONE["width"]
    # At the phone width the visitor has, scaled by no more than the page's margins.
    assert frame.evaluate("f => f.clientWidth") == 390
    assert frame_box["width"] >= 350


SITE_PAGES = ["", "/settings", "/trackers", "/banner", "/documents", "/install", "/versions"]
SITE_PAGES += ["/receipts", "/audit", "/members", "/tokens", "/trackers/new", "/versions/1"]
SITE_PAGES += ["/documents/cookies?lang=kk"]


def nav_layout(page) -> dict:
    """Where the site's tabs stand: the nav's height and each tab's place and size."""
    return page.evaluate(
        """() => {
          const nav = document.querySelector('nav.site-nav');
          const tabs = [...nav.querySelectorAll('a')].map(a => {
            const r = a.getBoundingClientRect();
            return [a.textContent, Math.round(r.x), Math.round(r.y), Math.round(r.width),
                    getComputedStyle(a).fontWeight];
          });
          return {height: Math.round(nav.getBoundingClientRect().height), tabs};
        }"""
    )


@pytest.mark.parametrize("language", LOCALES)
def test_at_1280_the_tabs_stand_in_one_row_in_groups_and_never_move(open_page, live, language):
    _, base, key = live
    page = open_page(language, DESKTOP)
    layouts = {}
    for path in SITE_PAGES:
        page.goto(f"{base}/dashboard/sites/{key}{path}")
        layouts[path] = nav_layout(page)
        current = page.locator("nav.site-nav a[aria-current]")
        if path.count("/") < 2:  # a tab's own page, not one under it
            expect(current).to_have_attribute("aria-current", "page")
        expect(current).to_have_count(1)
    first = layouts[""]
    assert len(first["tabs"]) == 11
    assert len({y for _, _, y, _, _ in first["tabs"]}) == 1, first["tabs"]
    # The same tabs at the same places, the same weight, whichever is current.
    assert all(layout == first for layout in layouts.values()), layouts
    groups = page.locator("nav.site-nav ul")
    expect(groups).to_have_count(3)
    for index in range(3):
        expect(groups.nth(index)).to_have_attribute("aria-labelledby", f"site-sections-{index + 1}")
    label = page.locator("nav.site-nav").get_attribute("aria-label")
    expect(page.get_by_role("navigation", name=label, exact=True)).to_have_count(1)


@pytest.mark.parametrize("language", LOCALES)
def test_on_a_phone_the_tabs_fold_behind_a_button_that_names_the_current_one(
    open_page, live, language
):
    _, base, key = live
    page = open_page(language, PHONE)
    heights = set()
    for path in SITE_PAGES:
        page.goto(f"{base}/dashboard/sites/{key}{path}")
        heights.add(nav_layout(page)["height"])
    assert len(heights) == 1 and heights.pop() < 80
    page.goto(f"{base}/dashboard/sites/{key}/receipts")
    toggle = page.locator("nav.site-nav .menu-toggle")
    current = page.locator("nav.site-nav a[aria-current=page]")
    expect(current).to_be_hidden()
    expect(toggle).to_contain_text(current.text_content())
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    tabs = page.locator("nav.site-nav a")
    expect(tabs).to_have_count(11)
    for index in range(11):
        tab = box(tabs.nth(index))
        assert tab["x"] >= 0 and tab["x"] + tab["width"] <= PHONE["width"]
    page.locator("nav.site-nav a[href$='/members']").click()
    page.wait_for_url("**/members")


@pytest.mark.parametrize("language", LOCALES)
def test_on_a_phone_the_header_takes_two_rows(open_page, language):
    """The name and the languages share the first row, the account's links the second."""
    page = open_page(language, PHONE)
    brand, languages = box(page.locator(".topbar .brand")), box(page.locator(".topbar .languages"))
    account = box(page.locator(".topbar nav"))
    assert abs(brand["y"] + brand["height"] / 2 - (languages["y"] + languages["height"] / 2)) < 8
    assert account["y"] >= brand["y"] + brand["height"]
    assert box(page.locator(".topbar"))["height"] < 100


@pytest.fixture
def counted(live):
    """A month of banners and decisions of the demo site, in Kazakh and Russian, on both
    kinds of device, so that every table of the overview has rows."""
    app, _, key = live
    with app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.public_key == key))
        day = today()
        seed(site, day, 40, 25, language="kk", device="mobile")
        seed(site, day, 30, 12, language="ru", device="desktop")
        db.session.commit()


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_overview_shows_every_figure_and_chart_labels_of_11_px_or_more(
    open_page, live, counted, language, viewport
):
    _, base, key = live
    page = open_page(language, viewport)
    page.goto(f"{base}/dashboard/sites/{key}")
    tables = page.locator("main table.stats:not(.series)")
    expect(tables).to_have_count(4)
    # Every cell of every table inside the screen's width, none cut by a scrolling box.
    cut = page.evaluate(
        """width => [...document.querySelectorAll('main table.stats:not(.series) :is(th, td)')]
          .filter(cell => {
            const r = cell.getBoundingClientRect();
            const box = cell.closest('.scroll');
            return r.left < 0 || r.right > width || r.width === 0
              || (box && box.scrollWidth > box.clientWidth);
          }).map(cell => cell.textContent.trim())""",
        viewport["width"],
    )
    assert cut == []
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text')].map(text =>
          parseFloat(getComputedStyle(text).fontSize) * text.ownerSVGElement.getScreenCTM().a)"""
    )
    assert sizes and min(sizes) >= 11, sizes
    # The period's two days side by side, at both widths (on a phone they took two rows).
    assert box(page.locator("main [name=start]"))["y"] == box(page.locator("main [name=end]"))["y"]


@pytest.fixture
def team(live):
    """An editor and an API token on the demo site, so that every list has a row."""
    app, _, key = live
    with app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.public_key == key))
        if len(site.memberships) == 1:
            editor, _ = get_or_create_user(db.session, "aigerim.editor@demo-kino.kz", PASSWORD)
            db.session.add(Membership(user=editor, site=site, role=Role.EDITOR))
            create_token(db.session, site, None, "Power BI")
            db.session.commit()


@pytest.mark.parametrize("language", LOCALES)
def test_on_a_phone_the_stacked_lists_name_each_value(open_page, live, team, language):
    _, base, key = live
    page = open_page(language, PHONE)
    site = f"/dashboard/sites/{key}"
    for path, cells in (
        ("/dashboard/", "td:not(:first-child)"),
        (f"{site}/trackers", "table.trackers tr:not(.note) td:nth-child(-n+4):not(:first-child)"),
        (f"{site}/members", "table.members td:nth-child(2)"),
        (f"{site}/tokens", "table td:nth-child(-n+3):not(:first-child)"),
    ):
        page.goto(f"{base}{path}")
        labels = page.evaluate(
            """selector => [...document.querySelectorAll(selector)].map(cell =>
              getComputedStyle(cell, '::before').content)""",
            f"main {cells}",
        )
        assert labels and all(label not in ("none", "normal", '""') for label in labels), path
    # The e-mail of a member on a line of its own, not broken at its hyphen.
    page.goto(f"{base}{site}/members")
    email = page.locator("main table.members td:first-child", has_text="editor@")
    assert box(email)["height"] < 40


def test_at_1280_a_tracker_id_stands_on_one_line(open_page, live):
    _, base, key = live
    page = open_page("ru", DESKTOP)
    page.goto(f"{base}/dashboard/sites/{key}/trackers")
    ga4 = page.locator("main table.trackers code", has_text="G-DEMO123456")
    assert ga4.evaluate("code => code.getClientRects().length") == 1
