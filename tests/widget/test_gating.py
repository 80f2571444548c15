"""Trackers stay silent until the visitor agrees: pasted snippets, marked scripts, managed
services, Google Consent Mode, Webvisor, and withdrawal."""

import pytest

from backend.service_catalog import CATALOG, KINDS, ServiceKind, url_table
from tests.widget.conftest import OPERATOR_DOMAIN, STUBS, stub_script

pytestmark = pytest.mark.browser

PASTED = [
    ("yandex_metrica", {"options": {"counter_id": "12345678", "webvisor": True}}),
    ("google_analytics", {"options": {"measurement_id": "G-TEST123"}}),
    ("google_tag_manager", {"options": {"container_id": "GTM-TEST1"}}),
    ("meta_pixel", {"options": {"pixel_id": "111222333"}}),
    ("vk_pixel", {"options": {"pixel_id": "3333333"}}),
    ("tiktok_pixel", {"options": {"pixel_id": "TTPIXEL1"}}),
]
ALL_STUBS = {"yandex_metrica", "gtag", "gtm", "meta_pixel", "vk_pixel", "tiktok_pixel"}
# The one request a browser makes on its own: the preload scanner fetches a <script src>
# written in the HTML before any script runs. It is fetched, never run.
PRELOADED = "https://www.googletagmanager.com/gtag/js?id=G-TEST123"


DENIED = {
    "analytics_storage": "denied",
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
}


def assert_silent(v, allowed_requests=()) -> None:
    """No tracker ran, sent a hit or set a cookie; nothing but `allowed_requests` was fetched.
    Asked once the page's network is idle: a tracker let through would have run by then."""
    v.page.wait_for_load_state("networkidle")
    assert v.run_names() == []
    assert v.hits() == []
    assert v.tracker_cookies() == []
    assert [url for url in v.tracker_requests if url not in allowed_requests] == []


def dl(v) -> list:
    """window.dataLayer with gtag's arguments objects turned into lists."""
    return v.page.evaluate(
        "(window.dataLayer || []).map(x => x && x.length !== undefined ? [...x] : x)"
    )


def test_pasted_snippets_are_held_until_accept_then_get_their_queued_calls(make_test_site, visit):
    site = make_test_site(PASTED)
    v = visit()
    v.page.goto(site.url("pasted"))
    v.banner().wait_for()
    assert_silent(v, allowed_requests=[PRELOADED])
    # Metrica's privacy classes are on form fields from the start, those in the form a page
    # script added whole while the page loaded too.
    assert "ym-disable-keys" in v.page.get_attribute("#name", "class")
    assert "ym-disable-keys" in v.page.get_attribute("#built", "class")

    v.page.get_by_role("button", name="Принять все").click()
    v.page.wait_for_function(f"(window.__trackerRuns || []).length >= {len(ALL_STUBS)}")
    runs = {run["name"]: run for run in v.runs()}
    assert set(runs) == ALL_STUBS
    metrica_calls = runs["yandex_metrica"]["queue"]
    assert metrica_calls[0][:2] == [12345678, "init"] and metrica_calls[0][2]["webvisor"] is True
    assert [12345678, "reachGoal", "before-consent"] in metrica_calls
    gtag_calls = runs["gtag"]["queue"]
    assert ["config", "G-TEST123"] in gtag_calls
    assert ["event", "before_consent"] in gtag_calls
    assert [c[1] for c in runs["meta_pixel"]["queue"] if c[0] == "init"] == ["111222333"]
    assert runs["vk_pixel"]["queue"][0]["id"] == "3333333"
    assert ["page"] in runs["tiktok_pixel"]["queue"]
    assert set(v.tracker_cookies()) >= {"_ym_uid", "_ga", "_fbp", "tmr_lvid", "_ttp"}
    assert len(v.wait_for_hits(5)) == 5
    assert v.errors == []


# How pages/inserted.html inserts its tags: each DOM method, a fragment, a parsed subtree.
INSERT_WAYS = [
    "appendChild",
    "insertBefore",
    "replaceChild",
    "append",
    "prepend",
    "before",
    "after",
    "replaceWith",
    "replaceChildren",
    "insertAdjacentElement",
    "fragment",
    "subtree",
]
INSERTED = [f"{way}-{when}" for when in ("loading", "loaded") for way in INSERT_WAYS]


def test_trackers_inserted_by_any_dom_method_are_held_then_run_with_their_handlers(
    make_test_site, visit
):
    # A managed service gives the loader a script URL of its own to compare each tag with.
    site = make_test_site(
        [("google_analytics", {"managed": True, "options": {"measurement_id": "G-MANAGED"}})]
    )
    v = visit()
    v.page.goto(site.url("inserted"))
    v.banner().wait_for()
    assert_silent(v)  # not even requested

    v.page.get_by_role("button", name="Accept all").click()
    v.page.wait_for_function(f"window.__loaded.length >= {len(INSERTED)}")
    ran = sorted(run["url"].split("via=")[1] for run in v.runs() if "via=" in run["url"])
    assert ran == sorted(INSERTED), "each tag ran once"
    # Released tags are the page's own elements: their onload handlers fire.
    assert sorted(v.page.evaluate("window.__loaded")) == sorted(INSERTED)
    assert v.page.evaluate("window.__svg") is True
    assert v.errors == []


def test_consent_mode_defaults_come_before_any_google_tag_and_follow_the_decision(
    make_test_site, visit
):
    site = make_test_site(PASTED)
    v = visit()
    v.page.goto(site.url("pasted"))
    v.banner().wait_for()
    layer = dl(v)
    assert layer[0] == ["consent", "default", DENIED], "defaults first, before gtag/GTM calls"

    v.page.get_by_role("button", name="Настройки").click()
    v.page.get_by_role("switch", name="Аналитические").check()
    v.page.get_by_role("button", name="Сохранить выбор").click()
    layer = dl(v)
    assert ["consent", "update", {**DENIED, "analytics_storage": "granted"}] in layer
    update = next(x for x in layer if isinstance(x, dict) and x.get("event") == "kelisim_consent")
    assert update["kelisim_categories"] == ["analytics"]
    v.page.wait_for_function("(window.__trackerRuns || []).length >= 3")
    # Analytics only: Metrica, GA and GTM run; the marketing pixels stay held.
    assert set(v.run_names()) == {"yandex_metrica", "gtag", "gtm"}
    held = "[...document.scripts].filter(s => s.type === 'javascript/blocked').map(s => s.src)"
    assert sorted(url.split("/")[2] for url in v.page.evaluate(held)) == [
        "analytics.tiktok.com", "connect.facebook.net", "top-fwz1.mail.ru",
    ]  # fmt: skip


def test_a_google_tag_the_site_did_not_configure_gets_consent_mode_first(make_test_site, visit):
    # The snippets pasted on a site that lists only Metrica: GTM's comes first and queues its
    # start event before it inserts gtm.js.
    site = make_test_site([("yandex_metrica", {"options": {"counter_id": "12345678"}})])
    v = visit()
    v.page.goto(site.url("pasted"))
    v.banner().wait_for()
    layer = dl(v)
    assert layer[0] == ["consent", "default", DENIED], "before GTM's own start event"
    assert layer[1]["event"] == "gtm.js"

    v.page.get_by_role("button", name="Настройки").click()
    v.page.get_by_role("switch", name="Аналитические").check()
    v.page.get_by_role("button", name="Сохранить выбор").click()
    v.page.wait_for_function("(window.__trackerRuns || []).length >= 3")
    queue = next(run for run in v.runs() if run["name"] == "gtm")["queue"]
    assert queue[0] == ["consent", "default", DENIED]
    assert ["consent", "update", {**DENIED, "analytics_storage": "granted"}] in queue

    # The next page: GTM runs at once, its queue led by the stored choice.
    v.page.reload()
    v.page.wait_for_function("(window.__trackerRuns || []).length >= 3")
    queue = next(run for run in v.runs() if run["name"] == "gtm")["queue"]
    assert queue[0] == ["consent", "default", {**DENIED, "analytics_storage": "granted"}]
    assert v.errors == []


def test_the_banner_reports_pasted_trackers_the_site_does_not_configure(make_test_site, visit):
    # Every snippet pasted on a site that lists only Metrica: the owner learns of the others
    # (Top@Mail.ru's counter is VK's script), by kind only, once per banner shown.
    site = make_test_site([("yandex_metrica", {"options": {"counter_id": "12345678"}})])
    v = visit()
    v.page.goto(site.url("pasted"))
    v.banner().wait_for()
    unconfigured = ["google_analytics", "google_tag_manager", "meta_pixel", "tiktok_pixel"]
    expected = dict.fromkeys([*unconfigured, "vk_pixel"], 1)
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Принять все").click()
    assert site.found() == expected  # with the impression
    assert site.actions() == ["shown", "accept_all"]
    posts = v.event_posts()
    v.page.reload()
    v.page.wait_for_load_state("networkidle")
    assert posts == [] and site.found() == expected  # no banner, nothing reported again
    assert v.errors == []


def test_reject_then_reload_keeps_every_tracker_silent(make_test_site, visit):
    site = make_test_site(PASTED)
    v = visit()
    v.page.goto(site.url("pasted"))
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Отклонить все").click()
    v.page.reload()
    assert_silent(v, allowed_requests=[PRELOADED])
    assert v.page.evaluate("window['ga-disable-G-TEST123'] && window.disableYaCounter12345678")
    assert v.cookie()["a"] == "reject_all"
    assert site.actions() == ["shown", "reject_all"]
    assert v.errors == []


def test_withdrawal_deletes_tracker_data_sets_opt_outs_and_reloads(make_test_site, visit):
    site = make_test_site(PASTED)
    v = visit()
    v.page.goto(site.url("pasted"))
    v.page.get_by_role("button", name="Принять все").click()
    v.page.wait_for_function(f"(window.__trackerRuns || []).length >= {len(ALL_STUBS)}")
    assert v.page.evaluate("localStorage.getItem('_ym_uid')") == "1"
    assert "_ym_uid" in v.tracker_cookies()

    v.page.evaluate("kelisim.open()")
    receipt_id = v.cookie()["id"]
    v.page.get_by_text(receipt_id).wait_for()  # the receipt shows the consent ID
    # Every hit the accepted trackers sent has reached the stubs before they are forgotten:
    # one sent late would count as the withdrawn page's.
    v.wait_for_hits(len([hit for name, _, hit in STUBS.values() if hit and name in v.run_names()]))
    v.tracker_requests.clear()
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Отозвать согласие").click()
    assert_silent(v, allowed_requests=[PRELOADED])
    assert v.page.evaluate("localStorage.getItem('_ym_uid')") is None
    assert v.page.evaluate("window['ga-disable-G-TEST123'] && window.disableYaCounter12345678")
    assert v.page.locator("kelisim-ui").count() == 0
    assert v.cookie()["a"] == "withdraw" and v.cookie()["id"] == receipt_id
    assert [e.action for e in site.wait_for_events(3)] == ["shown", "accept_all", "withdraw"]
    assert site.events()[-1].categories == [] and site.events()[-1].layer == "settings"


def test_marked_scripts_run_only_for_their_category_or_service(make_test_site, visit):
    site = make_test_site([("yandex_metrica", {"options": {"counter_id": "1"}})])
    v = visit()
    v.page.goto(site.url("marked"))
    v.banner().wait_for()
    assert_silent(v)  # not even the marked library was requested
    assert v.page.evaluate("window.__marked || []") == []

    v.page.get_by_role("button", name="Настройки").click()
    v.page.get_by_role("switch", name="Аналитические").check()
    v.page.get_by_role("button", name="Сохранить выбор").click()
    v.page.wait_for_function("(window.__marked || []).length >= 3")
    assert sorted(v.page.evaluate("window.__marked")) == [
        "analytics",
        "by-service-name",
        "inline-analytics",
    ]
    assert v.tracker_requests == [], "the marketing script is still not requested"

    # Every later page runs the granted marked scripts at once, and still not the others.
    v.page.reload()
    v.page.wait_for_function("(window.__marked || []).length >= 3")
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("kelisim-ui").count() == 0
    assert sorted(v.page.evaluate("window.__marked")) == [
        "analytics",
        "by-service-name",
        "inline-analytics",
    ]
    assert v.tracker_requests == []
    assert v.errors == []


MANAGED = [
    ("yandex_metrica", {"managed": True, "options": {"counter_id": "777", "webvisor": True}}),
    ("google_analytics", {"managed": True, "options": {"measurement_id": "G-MANAGED"}}),
    ("google_tag_manager", {"managed": True, "options": {"container_id": "GTM-MANAGED"}}),
    ("meta_pixel", {"managed": True, "options": {"pixel_id": "444"}}),
    ("vk_pixel", {"managed": True, "options": {"pixel_id": "555"}}),
    ("tiktok_pixel", {"managed": True, "options": {"pixel_id": "TT666"}}),
    (
        "custom",
        {
            "managed": True,
            "slug": "chat",
            "category": "functional",
            "options": {"src": "https://cdn.example.com/chat.js", "name": "Chat"},
        },
    ),
]


def test_managed_services_load_with_their_options_only_once_granted(make_test_site, visit):
    site = make_test_site(MANAGED)
    v = visit()
    v.page.goto(site.url("managed"))
    v.banner().wait_for()
    assert_silent(v)  # no library requested at all

    # Analytics and marketing, but no Webvisor and no functional.
    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("switch", name="Analytics").check()
    v.page.get_by_role("switch", name="Marketing").check()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Save choice").click()
    v.page.wait_for_function("(window.__trackerRuns || []).length >= 6")
    runs = {run["name"]: run for run in v.runs()}
    assert set(runs) == ALL_STUBS
    assert runs["yandex_metrica"]["queue"][0][:2] == ["777", "init"]
    assert runs["yandex_metrica"]["queue"][0][2]["webvisor"] is False
    assert ["config", "G-MANAGED"] in runs["gtag"]["queue"]
    assert "id=GTM-MANAGED" in runs["gtm"]["url"]
    assert ["init", "444"] in runs["meta_pixel"]["queue"]
    assert runs["vk_pixel"]["queue"][0]["id"] == "555"
    assert "sdkid=TT666" in runs["tiktok_pixel"]["url"]
    assert not any("cdn.example.com" in url for url in v.tracker_requests)
    event = site.events()[-1]
    assert event.action == "custom" and event.layer == "settings"
    assert event.categories == ["analytics", "marketing"]
    assert "yandex_metrica.webvisor" not in event.services and "chat" not in event.services
    # Fields stay private in session recordings whatever was chosen, those a page script adds
    # later too (a form rendered by a single-page app, say).
    assert "ym-hide-content" in v.page.get_attribute("#email", "class")
    v.page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div><form><p><textarea id=late>"
        "</textarea></p></form></div>')"
    )
    v.page.wait_for_function(
        "document.getElementById('late').classList.contains('ym-disable-keys')", timeout=5000
    )


def test_withdrawal_deletes_cookies_on_parent_domains_of_a_plain_http_site(
    make_test_site, visit, server
):
    host = f"www.{OPERATOR_DOMAIN}"
    site = make_test_site(PASTED, domains=[host])
    origin = server.replace("127.0.0.1", host)
    v = visit()
    v.page.goto(f"{origin}/test/pages/pasted.html?site={site.key}")
    v.page.get_by_role("button", name="Принять все").click()
    v.page.wait_for_function(
        "(window.__trackerRuns || []).some(run => run.name === 'yandex_metrica')"
    )
    # Metrica sets its cookies on the registrable domain, so that subdomains share them.
    domains = v.write_cookies(("_ym_d", f".{OPERATOR_DOMAIN}"), ("_ym_isad", host))
    assert ("_ym_d", f".{OPERATOR_DOMAIN}") in domains and ("_ym_uid", host) in domains

    v.page.evaluate("kelisim.open()")
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Отозвать согласие").click()
    assert v.tracker_cookies() == []
    # Plain http has no crypto.randomUUID; the consent ID is still a random UUID v4.
    assert v.page.evaluate("window.isSecureContext") is False
    consent_id = v.cookie()["id"]
    assert consent_id[14] == "4" and consent_id[19] in "89ab" and len(consent_id) == 36
    assert [e.action for e in site.wait_for_events(3)] == ["shown", "accept_all", "withdraw"]


def test_withdrawal_deletes_cookies_of_pasted_trackers_the_site_did_not_configure(
    make_test_site, visit, server
):
    # Nothing configured: every pasted snippet (TikTok, VK / Top@Mail.ru, ...) is held by
    # category, and the catalog says which cookies each sets.
    host = f"www.{OPERATOR_DOMAIN}"
    site = make_test_site([], domains=[host])
    v = visit()
    v.page.goto(f"{server.replace('127.0.0.1', host)}/test/pages/pasted.html?site={site.key}")
    v.page.get_by_role("button", name="Принять все").click()
    v.page.wait_for_function(f"(window.__trackerRuns || []).length >= {len(ALL_STUBS)}")
    # The pixels set theirs on the registrable domain too, so that subdomains share them;
    # TikTok's newer session cookies, one per pixel code, likewise.
    shared = ("_ttp", "tmr_lvid", "_ym_d", "ttcsid", "ttcsid_C4ABC123")
    domains = v.write_cookies(*((name, f".{OPERATOR_DOMAIN}") for name in shared))
    assert {("_ttp", host), ("_ttp", f".{OPERATOR_DOMAIN}"), ("tmr_lvid", host)} <= domains
    assert ("ttcsid_C4ABC123", f".{OPERATOR_DOMAIN}") in domains

    v.page.evaluate("kelisim.open()")
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Отозвать согласие").click()
    v.page.wait_for_load_state("networkidle")
    assert v.tracker_cookies() == []
    assert v.page.evaluate("localStorage.getItem('_ym_uid')") is None
    assert [e.action for e in site.wait_for_events(3)] == ["shown", "accept_all", "withdraw"]


def test_a_google_tag_that_ran_before_the_loader_processes_its_queue_once(make_test_site, visit):
    # GA configured, so the loader sets Consent Mode at once, after GTM has run.
    site = make_test_site(
        [("google_analytics", {"managed": True, "options": {"measurement_id": "G-TEST123"}})]
    )
    v = visit()
    v.page.goto(site.url("google_first"))
    v.banner().wait_for()
    processed = v.page.evaluate("window.__processed")
    assert [x for x in processed if isinstance(x, dict) and x.get("event") == "gtm.js"] != []
    assert [x.get("event") for x in processed if isinstance(x, dict)].count("gtm.js") == 1
    assert ["consent", "default", DENIED] in processed, "defaults still reach the tag"
    assert v.errors == []


# What pages/paths.html holds: older snippets by their stub's name, and Metrica's tag by the
# rarer DOM paths.
OLDER_SNIPPETS = {"ga_js", "analytics_js", "metrica_watch", "vk_openapi"}
RARER_PATHS = [
    "insertNode",
    "shadow_append",
    "shadow_prepend",
    "src_after_insertion",
    "setAttribute_after_insertion",
]


def test_older_snippets_and_rarer_insertion_paths_are_held_until_accept(make_test_site, visit):
    site = make_test_site([])
    v = visit()
    v.page.goto(site.url("paths"))
    v.banner().wait_for()
    assert_silent(v)  # not even requested

    v.page.get_by_role("button", name="Accept all").click()
    expected = len(OLDER_SNIPPETS) + len(RARER_PATHS)
    v.page.wait_for_function(f"(window.__trackerRuns || []).length >= {expected}")
    names = [run["name"] for run in v.runs()]
    assert set(names) - {"yandex_metrica"} == OLDER_SNIPPETS
    assert sorted(v.page.evaluate("window.__loaded")) == sorted(RARER_PATHS)
    assert len(names) == expected, "each tag ran once"
    assert v.page.evaluate("window.__vkHit") is True, "openapi's onload handler still runs"
    assert v.errors == []


# How many gtag.js elements the page holds that a browser runs.
RUNNABLE_GTAG = (
    "[...document.scripts].filter(s => s.src.includes('/gtag/js')"
    " && !['javascript/blocked', 'text/plain'].includes(s.type)).length"
)


def test_a_managed_service_the_page_also_pastes_runs_once(make_test_site, visit):
    site = make_test_site(
        [("google_analytics", {"managed": True, "options": {"measurement_id": "G-TEST123"}})]
    )
    v = visit()
    v.page.goto(site.url("pasted"))
    v.page.get_by_role("button", name="Принять все").click()
    # The page's own copy, released, and no copy of the widget's beside it.
    for visit_number in ("first", "returning"):
        v.page.wait_for_function("(window.__trackerRuns || []).some(run => run.name === 'gtag')")
        v.page.wait_for_load_state("networkidle")
        assert v.page.evaluate(RUNNABLE_GTAG) == 1, visit_number
        gtag_runs = [run for run in v.runs() if run["name"] == "gtag"]
        assert len(gtag_runs) == 1, visit_number
        configs = [x for x in dl(v) if isinstance(x, list) and x[:2] == ["config", "G-TEST123"]]
        assert len(configs) == 1, f"{visit_number}: one page view"
        v.page.reload()
    assert v.errors == []


@pytest.mark.parametrize("consent", ["analytics", "google_analytics"])
def test_a_managed_service_the_page_also_marks_runs_once(make_test_site, visit, consent):
    site = make_test_site(
        [("google_analytics", {"managed": True, "options": {"measurement_id": "G-TEST123"}})]
    )
    v = visit()
    # Google's tag answered by request routing here, so that every request for it is counted
    # (a stub that records that it ran; nothing leaves the machine).
    requested = []

    def google_tag(route) -> None:
        requested.append(route.request.url)
        route.fulfill(body=stub_script(route.request.url), content_type="text/javascript")

    v.page.route("https://www.googletagmanager.com/**", google_tag)
    v.page.goto(site.url("marked_google", consent=consent))
    v.page.get_by_role("button", name="Принять все").click()
    for visit_number in ("first", "returning"):
        v.page.wait_for_function("(window.__trackerRuns || []).some(run => run.name === 'gtag')")
        v.page.wait_for_load_state("networkidle")
        assert requested == ["https://www.googletagmanager.com/gtag/js?id=G-TEST123"], visit_number
        # The page's own copy, released, and no copy of the widget's beside it.
        assert v.page.evaluate(RUNNABLE_GTAG) == 1, visit_number
        assert v.run_names().count("gtag") == 1, visit_number
        configs = [x for x in dl(v) if isinstance(x, list) and x[:2] == ["config", "G-TEST123"]]
        assert len(configs) == 1, f"{visit_number}: one page view"
        requested.clear()
        v.page.reload()
    assert v.errors == []


# A kind of tracker that only the catalog knows: no widget file names it.
ACME = ServiceKind(
    kind="acme_ads",
    name="Acme Ads",
    default_category="marketing",
    provider="Acme LLP",
    country="Kazakhstan",
    cookies=("_acme",),
    purpose="Shows ads.",
    term="1 day",
    option_fields=("pixel_id",),
    url_parts=("ads.acme.test/",),
)


def test_a_kind_added_to_the_catalog_alone_is_held_under_the_catalogs_category(
    make_test_site, visit, monkeypatch, request
):
    monkeypatch.setitem(KINDS, ACME.kind, ACME)
    monkeypatch.setitem(CATALOG, ACME.kind, ACME)
    # The loader's table is built once per process from the catalog: again, with it, and
    # again without it after the test.
    url_table.cache_clear()
    request.addfinalizer(url_table.cache_clear)
    site = make_test_site([])
    v = visit()
    v.page.goto(site.url("made_up"))
    v.banner().wait_for()
    tag_type = "document.getElementById('acme-tag').type"
    assert v.page.evaluate(tag_type) == "javascript/blocked"
    assert v.tracker_requests == [], "held before the browser could fetch it"

    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("switch", name="Analytics").check()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Save choice").click()
    assert v.page.evaluate("kelisim.accepted('analytics')")
    assert v.page.evaluate(tag_type) == "javascript/blocked", "analytics is not its category"
    # The owner learns of it with the banner's impression, by its catalog kind.
    assert site.found() == {"acme_ads": 1}

    v.page.evaluate("kelisim.open()")
    v.page.get_by_role("switch", name="Marketing").check()
    v.page.get_by_role("button", name="Save choice").click()
    v.page.wait_for_function("(window.__trackerRuns || []).some(r => r.name === 'acme_ads')")
    assert v.runs()[0]["queue"] == [["track", "PageView"]], "its queued call reached it"
    assert v.errors == []
