"""The banner as a visitor sees it: layers, decisions, storage, languages, the JS API."""

import time

import pytest

from backend.banner_texts import texts_for
from backend.services.publishing import texts_hash
from tests.widget.conftest import TRACKERS

pytestmark = pytest.mark.browser


def test_first_visit_shows_banner_and_accept_all_is_stored_and_recorded(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    posts = v.event_posts()
    v.page.goto(site.url(lang="ru"))
    banner = v.banner()
    banner.wait_for()
    assert v.page.get_by_role("button", name="Принять все").is_visible()
    # Before a choice: no request of the banner's own, and nothing identifying in the browser
    # (a session cookie with the same value for everyone marks the impression as counted).
    assert posts == []
    cookies = {c["name"]: c for c in v.context.cookies()}
    assert set(cookies) == {"kelisim_shown"}
    assert cookies["kelisim_shown"]["value"] == "1" and cookies["kelisim_shown"]["expires"] == -1

    with v.page.expect_response("**/api/v1/events") as answer:
        v.page.get_by_role("button", name="Принять все").click()
    assert answer.value.status == 202
    assert not banner.is_visible()
    # The impression went with the decision, in one request.
    assert len(posts) == 1
    events = site.events()
    assert [e.action for e in events] == ["shown", "accept_all"]
    assert events[0].consent_hash is None, "an impression carries no identifier"
    accept = events[1]
    assert accept.categories == ["analytics", "functional", "marketing"]
    assert accept.services == ["google_analytics", "yandex_metrica", "yandex_metrica.webvisor"]
    assert accept.language == "ru" and accept.layer == "first" and accept.signal == "none"
    assert accept.policy_version == 1 and accept.texts_hash and accept.expires_at
    cookie = v.cookie()
    assert cookie["a"] == "accept_all" and cookie["c"] == "analytics|marketing|functional"
    assert v.page.evaluate("kelisim.accepted('analytics') && kelisim.accepted('yandex_metrica')")

    assert len(accept.consent_hash) == 64 and cookie["id"] not in accept.consent_hash
    assert "kelisim_shown" not in {c["name"] for c in v.context.cookies()}

    scripts = []
    v.page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    v.page.reload()
    v.page.wait_for_load_state("load")
    assert v.page.locator("kelisim-ui").count() == 0, "a returning visitor gets no banner"
    assert v.page.get_by_role("button", name="Cookie").is_visible() is False
    assert [url for url in scripts if "/w/" in url] == [f"{site.base}/w/{site.key}.js"]
    assert len(posts) == 1
    assert v.errors == []


@pytest.mark.parametrize("leaving", ["navigates away", "closes the page"])
def test_a_visitor_who_leaves_without_deciding_is_counted_as_shown(make_test_site, visit, leaving):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url(lang="ru"))
    v.banner().wait_for()
    assert site.events() == []
    if leaving == "navigates away":
        v.page.goto("about:blank")
    else:
        v.page.close()
    [shown] = site.wait_for_events(1)
    assert (shown.action, shown.language, shown.consent_hash) == ("shown", "ru", None)
    assert {c["name"] for c in v.context.cookies()} == {"kelisim_shown"}


def test_an_undecided_visitor_is_one_impression_per_browser_session(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    posts = v.event_posts()
    for _ in range(3):
        v.page.goto(site.url(lang="en"))
        v.banner().wait_for()
    # Each later page shows the banner again and counts no new impression.
    assert [e.action for e in site.wait_for_events(1)] == ["shown"]
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Reject all").click()
    assert site.actions() == ["shown", "reject_all"]
    # The impression went by beacon when the first page was left: the decision goes alone.
    assert '"shown"' not in posts[-1]

    # The decision ends the undecided stretch: when a new policy asks again, in the same
    # session, its banner is an impression of its own.
    site.publish_policy(requires_consent=True)
    v.page.goto(site.url(lang="en"))
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    assert site.actions() == ["shown", "reject_all", "shown", "accept_all"]
    assert v.errors == []


def test_banner_downloads_while_the_page_is_still_loading(make_test_site, visit):
    """On a first visit the loader asks for banner.js at once, so a page held up by a slow
    script shows the banner as soon as it is parsed, not one round trip later.

    The slow script is held until the banner has been asked for: no race with the clock."""
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url("slow", lang="ru"))
    v.banner().wait_for()
    # The banner was asked for while the page's own script still held up the parser.
    assert v.page.evaluate("window.__slow") is True
    assert v.errors == []


@pytest.mark.parametrize(
    ("html_lang", "browser_locale", "expected", "accept"),
    [
        ("kk", "en-US", "kk", "Барлығын қабылдау"),  # <html lang> first
        ("", "kz", "kk", "Барлығын қабылдау"),  # kz is Kazakh
        ("", "ru-KZ", "ru", "Принять все"),  # a region is ignored
        ("", "en-GB", "en", "Accept all"),
        ("de", "fr-FR", "ru", "Принять все"),  # neither: the site's default
    ],
)
def test_language_detection_order(
    make_test_site, visit, html_lang, browser_locale, expected, accept
):
    site = make_test_site(TRACKERS)
    v = visit(locale=browser_locale)
    v.page.goto(site.url(lang=html_lang))
    assert v.page.get_by_role("button", name=accept, exact=True).is_visible()
    assert v.banner().get_attribute("lang") == expected
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name=accept, exact=True).click()
    assert [e.language for e in site.events()] == [expected, expected]


def expected_texts_hash(site, language: str) -> str:
    """The hash of the texts a visitor sees in `language`, as the server computes it."""
    with site.app.app_context():
        return texts_hash(texts_for(language))


def test_banner_download_carries_one_language_and_the_switcher_loads_another(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    scripts = []
    v.page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    with v.page.expect_response(lambda r: "/banner." in r.url) as banner_response:
        v.page.goto(site.url(lang="ru"))
    body = banner_response.value.text()
    assert "Принять все" in body
    assert "Барлығын қабылдау" not in body and "Accept all" not in body

    v.page.get_by_role("combobox", name="Язык").select_option("kk")
    v.page.get_by_role("heading", name="Біз cookie файлдарын пайдаланамыз").wait_for()
    assert v.page.get_by_role("button", name="Барлығын қабылдау").is_visible()
    # Focus stays on the switcher, so a keyboard user can go on choosing.
    assert v.page.evaluate("document.activeElement.shadowRoot.activeElement.tagName") == "SELECT"
    v.page.get_by_role("combobox", name="Тіл").select_option("ru")
    v.page.get_by_role("heading", name="Мы используем файлы cookie").wait_for()
    v.page.get_by_role("combobox", name="Язык").select_option("kk")
    v.page.get_by_role("button", name="Баптаулар").click()
    v.page.get_by_text("Яндекс Метрика", exact=True).click()  # the catalog's name in Kazakh
    assert v.page.get_by_text("Ресей").is_visible()  # the services' details in Kazakh too
    assert len([url for url in scripts if "/texts." in url]) == 1, "each language loads once"

    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Барлығынан бас тарту").click()
    events = site.events()
    assert [(e.action, e.language) for e in events] == [("shown", "ru"), ("reject_all", "kk")]
    # Each event carries the hash of the texts on screen when it happened.
    assert events[0].texts_hash == expected_texts_hash(site, "ru")
    assert events[1].texts_hash == expected_texts_hash(site, "kk")
    assert v.cookie()["l"] == "kk"
    assert v.errors == []


def test_switching_language_with_the_backend_down_keeps_the_banner_working(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.route("**/texts.*.js", lambda route: route.abort("connectionrefused"))
    v.page.goto(site.url(lang="en"))
    v.page.get_by_role("combobox", name="Language").select_option("ru")
    v.page.wait_for_function(
        "document.querySelector('kelisim-ui').shadowRoot.querySelector('select').value === 'en'"
    )
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    events = site.events()
    assert [(e.action, e.language) for e in events] == [("shown", "en"), ("accept_all", "en")]
    assert v.errors == []


def test_settings_come_with_texts_js_and_without_it_the_first_layer_still_decides(
    make_test_site, visit
):
    site = make_test_site(TRACKERS)
    v = visit()
    texts = []
    v.page.on("request", lambda r: "/texts." in r.url and texts.append(r.url))
    v.page.goto(site.url(lang="en"))
    v.banner().wait_for()
    assert texts == [], "a visitor who decides on the first layer downloads no more"
    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("switch", name="Analytics").wait_for()
    v.page.get_by_role("button", name="Back").click()
    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("switch", name="Analytics").wait_for()
    assert len(texts) == 1, "loaded once"
    assert texts[0].endswith("/texts.en.js"), "in the banner's language"

    # Backend down when the settings are opened: the first layer stays, and decides. (A new
    # browser session: the first page's impression went by beacon when it was left.)
    v.context.clear_cookies()
    v.page.route("**/texts.*.js", lambda route: route.abort("connectionrefused"))
    v.page.reload()
    with v.page.expect_event("requestfailed", lambda r: "/texts." in r.url):
        v.page.get_by_role("button", name="Settings").click()
    assert v.page.get_by_role("switch").count() == 0
    assert v.page.get_by_role("button", name="Reject all").is_visible()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Reject all").click()
    events = site.wait_for_events(3)
    assert [e.action for e in events] == ["shown", "shown", "reject_all"]
    assert v.errors == []


def test_accept_and_reject_have_equal_size_weight_and_contrast(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url(lang="en"))
    style = (
        "e => { const s = getComputedStyle(e), r = e.getBoundingClientRect();"
        " return [r.width, r.height, s.fontSize, s.fontWeight, s.color, s.backgroundColor,"
        " s.borderColor] }"
    )
    accept = v.page.get_by_role("button", name="Accept all").evaluate(style)
    reject = v.page.get_by_role("button", name="Reject all").evaluate(style)
    # Same box (to layout rounding, 1/64 px), same font, same colours.
    assert accept[0] == pytest.approx(reject[0], abs=0.1) and accept[1] == reject[1]
    assert accept[2:] == reject[2:]


def test_settings_layer_names_services_operator_requests_and_receipt(make_test_site, visit):
    site = make_test_site(
        TRACKERS,
        legal_name="ТОО «Демо Кино»",
        contact_email="dpo@kino.kz",
        appearance={"floating_button": True},
    )
    v = visit()
    v.page.goto(site.url(lang="en"))
    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("button", name="Save choice").wait_for()  # its texts from texts.js
    switches = v.page.get_by_role("switch")
    assert switches.count() == 4  # analytics, webvisor, marketing, functional: all off
    assert [switches.nth(i).is_checked() for i in range(4)] == [False] * 4
    v.page.get_by_text("Yandex.Metrica", exact=True).click()  # each service's details
    v.page.get_by_text("Google Analytics 4", exact=True).click()
    for text in ("Yandex LLC", "Russia", "_ym_uid", "up to 1 year", "Google LLC"):
        assert v.page.get_by_text(text).first.is_visible(), text
    assert v.page.get_by_text("ТОО «Демо Кино»").first.is_visible()
    assert v.page.get_by_text("150440012344").first.is_visible()
    withdraw = v.page.get_by_role("link", name="Withdraw consent by e-mail", exact=True)
    assert withdraw.get_attribute("href") == (
        "mailto:dpo@kino.kz?subject=Withdrawal%20of%20consent%20to%20personal%20data%20processing"
    )
    assert v.page.get_by_role("link", name="Delete my data").is_visible()
    # Consent term, recipients and the border crossing are named on the first layer.
    v.page.get_by_role("button", name="Back").click()
    for text in ("182 days", "Google LLC", "Russia, USA"):
        assert v.page.get_by_text(text).is_visible(), text

    v.page.get_by_role("button", name="Accept all").click()
    v.page.get_by_role("button", name="Cookie settings").click()  # the floating button
    receipt = v.page.get_by_text(v.cookie()["id"])
    assert receipt.is_visible()
    assert v.page.get_by_role("switch", name="Analytics").is_checked()


def test_a_site_without_the_floating_button_gets_none_of_its_code_and_works(make_test_site, visit):
    site = make_test_site(TRACKERS)  # the button off, as a new site has it
    v = visit()
    with v.page.expect_response(f"**/w/{site.key}.js") as loader:
        v.page.goto(site.url(lang="en"))
    assert b"kelisim-fab" not in loader.value.body()
    v.banner().wait_for()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    assert site.actions() == ["shown", "accept_all"]
    assert v.page.locator("kelisim-ui").count() == 0
    # A returning visit: no button, and the settings still open from the page.
    v.page.reload()
    v.page.wait_for_load_state("load")
    v.page.evaluate("kelisim.open()")
    v.page.get_by_text(v.cookie()["id"]).wait_for()  # the receipt, in the settings
    assert v.page.locator("kelisim-fab").count() == 0
    assert v.errors == []


# The settings layer's own buttons, in Russian.
SETTINGS_BUTTONS = ("Принять все", "Отклонить все", "Сохранить выбор", "Назад")


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_the_settings_layers_buttons_stay_in_view_and_unclipped(
    make_test_site, visit, width, height
):
    # A long settings layer: services, the operator, the requests.
    site = make_test_site(TRACKERS, legal_name="ТОО «Демо Кино»", contact_email="dpo@kino.kz")
    v = visit(viewport={"width": width, "height": height})
    v.page.goto(site.url(lang="ru"))
    v.page.get_by_role("button", name="Настройки").click()
    v.page.get_by_role("button", name="Сохранить выбор").wait_for()
    dialog = v.banner().bounding_box()
    assert dialog["y"] >= 0 and dialog["y"] + dialog["height"] <= height
    for name in SETTINGS_BUTTONS:
        button = v.page.get_by_role("button", name=name, exact=True)
        box = button.bounding_box()
        # On screen without scrolling, inside the dialog, and its text not cut.
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, name
        assert (
            dialog["y"] <= box["y"] and box["y"] + box["height"] <= dialog["y"] + dialog["height"]
        ), name
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth"), name
        # Nothing covers it: a tap at its centre reaches it.
        assert button.evaluate(
            "b => { const r = b.getBoundingClientRect(); return b.getRootNode()"
            ".elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b }"
        ), name


def test_the_mail_request_and_the_withdraw_button_are_named_apart(make_test_site, visit):
    site = make_test_site(TRACKERS, legal_name="ТОО «Демо Кино»", contact_email="dpo@kino.kz")
    v = visit()
    v.page.goto(site.url(lang="ru"))
    v.page.get_by_role("button", name="Принять все").click()
    v.page.evaluate("kelisim.open()")
    button = v.page.get_by_role("button", name="Отозвать согласие", exact=True)
    link = v.page.locator("kelisim-ui a[href*='subject=']").first
    button.wait_for()  # the settings' texts come with texts.js
    assert link.inner_text() == "Отозвать согласие письмом"
    # The services by their names in Russian, never in Latin letters beside them.
    dialog = v.banner().inner_text()
    assert "Яндекс Метрика" in dialog and "Yandex" not in dialog


def test_policy_requiring_consent_brings_the_banner_back(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url(lang="en"))
    v.page.get_by_role("button", name="Accept all").click()
    site.publish_policy(requires_consent=False)
    v.page.reload()
    v.page.wait_for_load_state("load")
    assert v.page.locator("kelisim-ui").count() == 0, "a minor policy change asks nothing"
    site.publish_policy(requires_consent=True)
    v.page.reload()
    v.banner().wait_for()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Reject all").click()
    events = site.wait_for_events(4)
    assert [(e.policy_version, e.action) for e in events] == [
        (1, "shown"),
        (1, "accept_all"),
        (3, "shown"),
        (3, "reject_all"),
    ]
    assert v.cookie()["p"] == "3"


def test_expired_decision_brings_the_banner_back(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    past = int(time.time()) - 10
    v.context.add_cookies(
        [
            {
                "name": "kelisim",
                "value": f"v=1&id=0b0e8d6c-3c56-4d7e-9a51-5f3c0e0f5a11&t={past - 100}&x={past}"
                "&p=1&b=1&a=accept_all&g=none&l=en&c=analytics&s=google_analytics",
                "url": site.base,
            }
        ]
    )
    v.page.goto(site.url(lang="en"))
    v.banner().wait_for()
    assert v.page.evaluate("kelisim.accepted('analytics')") is False
    v.page.wait_for_load_state("networkidle")
    assert v.run_names() == [] and v.tracker_requests == []


def test_mangled_cookie_counts_as_a_first_visit(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    future = int(time.time()) + 86400
    v.context.add_cookies(
        [
            {
                # "%E0%A4%A" is a broken escape: the value cannot be decoded.
                "name": "kelisim",
                "value": f"v=1&id=%E0%A4%A&t=1&x={future}&p=1&b=1&a=accept_all&c=analytics",
                "url": site.base,
            }
        ]
    )
    v.page.goto(site.url(lang="en"))
    v.banner().wait_for()
    assert v.page.evaluate("kelisim.accepted('analytics')") is False
    assert v.errors == []


def test_javascript_api(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url(lang="en"))
    v.page.evaluate(
        "window.__changes = [];"
        "kelisim.on('change', d => __changes.push(['on', d.action, d.categories]));"
        "document.addEventListener('kelisim:change', e => __changes.push(['dom', e.detail.action]))"
    )
    assert v.page.evaluate("kelisim.accepted('analytics')") is False
    assert v.page.evaluate("kelisim.accepted('necessary')") is True
    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("switch", name="Marketing").check()
    v.page.get_by_role("button", name="Save choice").click()
    assert v.page.evaluate("__changes") == [["on", "custom", ["marketing"]], ["dom", "custom"]]
    assert v.page.evaluate("[kelisim.accepted('marketing'), kelisim.accepted('analytics')]") == [
        True,
        False,
    ]
    v.page.evaluate("kelisim.open()")
    assert v.page.get_by_role("switch", name="Marketing").is_checked()
    with v.page.expect_navigation():
        v.page.evaluate("kelisim.reset()")
    v.banner().wait_for()
    assert v.page.evaluate("kelisim.accepted('marketing')") is False
    assert v.errors == []


def test_a_decision_that_revokes_a_category_is_recorded_as_a_withdrawal(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url(lang="en"))
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()

    v.page.evaluate("kelisim.open()")
    v.page.get_by_role("switch", name="Marketing").uncheck()
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Save choice").click()
    withdrawal = site.wait_for_events(3)[-1]
    assert withdrawal.action == "withdraw" and withdrawal.layer == "settings"
    assert withdrawal.categories == ["analytics", "functional"], "what stays granted"
    assert "yandex_metrica" in withdrawal.services
    assert v.cookie()["a"] == "withdraw" and v.cookie()["c"] == "analytics|functional"

    # Granting more takes nothing back: a custom decision.
    v.page.evaluate("kelisim.open()")
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Save choice").click()
    assert [e.action for e in site.events()][2:] == ["withdraw", "custom"]
    assert v.errors == []


def test_a_decision_the_server_did_not_acknowledge_is_sent_once_more_later(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.route("**/api/v1/events", lambda route: route.fulfill(status=503, body="down"))
    v.page.goto(site.url(lang="en"))
    with v.page.expect_response("**/api/v1/events") as refused:
        v.page.get_by_role("button", name="Reject all").click()
    assert refused.value.status == 503
    v.page.unroute("**/api/v1/events")
    # The decision is kept for a later page; the impression sent with it is not sent again
    # (the server could not tell a copy from another impression).
    assert site.events() == []
    assert "kelisim_unsent" in {c["name"] for c in v.context.cookies()}

    posts = v.event_posts()
    v.page.goto(site.url("marked", lang="en"))  # a later page view
    assert [e.action for e in site.wait_for_events(1)] == ["reject_all"]
    assert site.events()[0].categories == [] and len(posts) == 1
    # Once, and never again: the next page has nothing to send, and no banner to load.
    assert "kelisim_unsent" not in {c["name"] for c in v.context.cookies()}
    scripts = []
    v.page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    v.page.reload()
    v.page.wait_for_load_state("load")
    assert [url for url in scripts if "/w/" in url] == [f"{site.base}/w/{site.key}.js"]
    assert len(posts) == 1
    assert site.actions() == ["reject_all"]
    assert v.errors == []
