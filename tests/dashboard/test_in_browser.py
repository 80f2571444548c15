"""The dashboard in a real Chromium: an owner's whole journey by keyboard, from signing in to
the new title on the operator's page, and no serious or critical accessibility violation
(axe) on any page, at desktop and phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.dashboard.conftest import sign_in_by_keyboard

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def dashboard_pages(app, site_key: str) -> list[str]:
    """Every GET page of the dashboard that needs at most a site key (downloads, such as
    events.csv, are files: asked without their query they answer the API's JSON error)."""
    with app.test_request_context():
        return sorted(
            app.url_for(rule.endpoint, **({"site_key": site_key} if rule.arguments else {}))
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("dashboard.")
            and "GET" in rule.methods
            and not set(rule.arguments) - {"site_key"}
            and "." not in rule.rule.rsplit("/", 1)[-1]
        )


def press(locator, key: str = "Enter") -> None:
    """Reach a control and use it with the keyboard, as someone without a mouse would."""
    locator.focus()
    locator.page.keyboard.press(key)


def type_into(locator, text: str) -> None:
    locator.focus()
    locator.page.keyboard.press("ControlOrMeta+A")
    locator.page.keyboard.type(text)


def test_an_owner_sets_up_a_site_by_keyboard_and_visitors_see_the_new_kazakh_title(browser, live):
    """Sign in, create a site, add Metrica, change the Kazakh title, see it in the preview,
    save it, and find it on the operator's page in Kazakh."""
    _, base, _ = live
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in_by_keyboard(page, base)
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    press(page.locator("main a[href$='/dashboard/sites/new']"))
    type_into(page.locator("main [name=name]"), "«Арман» кинотеатры")
    type_into(page.locator("main [name=domains]"), "127.0.0.1")
    press(page.locator("main form button[type=submit]"))
    page.wait_for_url("**/settings")
    key = page.url.split("/sites/")[1].split("/")[0]

    press(page.locator(f"nav a[href$='/sites/{key}/trackers']"))
    press(page.locator("main a[href$='/trackers/new']"))
    press(page.locator("main a[href$='/trackers/new/yandex_metrica']"))
    type_into(page.locator("main [name=vendor_id]"), "98765432")
    press(page.locator("main form button[type=submit]").first)
    expect(page.locator("main table")).to_contain_text("98765432")

    press(page.locator(f"nav a[href$='/sites/{key}/banner']"))
    # A native select, which the keyboard operates; the new site's default language is ru.
    page.locator("select[name=preview_language]").select_option("kk")
    type_into(page.locator("#texts_kk-title"), "Біз сіздің келісіміңізді сұраймыз")
    preview = page.frame_locator("iframe[name=banner-preview]").locator("kelisim-ui h2")
    # Typing key by key on a busy machine is slow; the preview follows a pause in typing.
    expect(preview).to_have_text("Біз сіздің келісіміңізді сұраймыз", timeout=20_000)
    press(page.locator("#banner-form button[type=submit]:not(#preview-button)"))
    expect(page.locator("#texts_kk-title")).to_have_value("Біз сіздің келісіміңізді сұраймыз")

    visitor = browser.new_context(locale="kk-KZ")
    operator_page = visitor.new_page()
    # The operator's page, with the snippet pasted, answered by the browser itself at an
    # address of the site's domain no route of Kelisim's serves (/demo/ serves the demo site
    # only; another port of 127.0.0.1 would be a private-network request to Chromium).
    operator = f"{base}/an-operators-page"
    body = f'<!doctype html><html lang="kk"><head><script src="{base}/w/{key}.js"></script>'
    operator_page.route(
        operator,
        lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=body),
    )
    operator_page.goto(operator)
    expect(operator_page.locator("kelisim-ui h2")).to_have_text("Біз сіздің келісіміңізді сұраймыз")
    visitor.close()
    context.close()


def test_signing_in_by_keyboard_reaches_the_sites(signed_in_page):
    expect(signed_in_page.get_by_role("link", name="Kelisim demo cinema")).to_be_visible()
    expect(signed_in_page.locator("html")).to_have_attribute("lang", "ru")


def test_the_copy_button_puts_the_install_tag_on_the_clipboard(signed_in_page, live):
    _, base, key = live
    signed_in_page.goto(f"{base}/dashboard/sites/{key}/install")
    signed_in_page.get_by_role("button", name="Скопировать тег").click()
    expect(signed_in_page.get_by_role("status")).to_have_text("Скопировано.")
    copied = signed_in_page.evaluate("navigator.clipboard.readText()")
    assert copied == f'<script src="{base}/w/{key}.js"></script>'


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


def test_two_colleagues_saving_the_settings_keep_each_others_change(browser, live):
    """Two people open the settings; the first saves a new address, the second, later, a
    new legal name: the second sees the new address listed and in the form, and saving
    again keeps both."""
    _, base, key = live
    url = f"{base}/dashboard/sites/{key}/settings"
    pages = []
    for _ in range(2):
        context = browser.new_context(locale="ru-RU")
        page = context.new_page()
        sign_in_by_keyboard(page, base)
        page.goto(url)
        pages.append(page)
    first, second = pages
    save = "form.site-form button[type=submit]"

    first.fill("#address", "Астана, ул. Сарайшық, 5")
    first.click(save)
    expect(first.locator(".flash-success")).to_be_visible()

    second.fill("#legal_name", "ТОО «Второй»")
    second.click(save)
    changes = second.locator(".colleague-changes")
    expect(changes).to_contain_text("Адрес оператора")
    expect(changes).to_contain_text("Сейчас: Астана, ул. Сарайшық, 5")
    expect(second.locator("#address")).to_have_value("Астана, ул. Сарайшық, 5")
    expect(second.locator("#legal_name")).to_have_value("ТОО «Второй»")
    second.click(save)
    expect(second.locator(".flash-success")).to_be_visible()
    second.goto(url)
    expect(second.locator("#address")).to_have_value("Астана, ул. Сарайшық, 5")
    expect(second.locator("#legal_name")).to_have_value("ТОО «Второй»")
    for page in pages:
        page.context.close()
