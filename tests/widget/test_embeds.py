"""Embeds and pixels held behind placeholders (issue 18): the providers' real embed codes
(tests/data/embeds/), pasted unchanged into an operator's page, in Chromium with every
provider host stubbed (conftest.embed_stub: a provider's script records that it ran in
window.__embedRuns and builds what the real one builds; a provider's frame says PROVIDER
CONTENT)."""

import json
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.widget.conftest import EMBED_FRAMES

pytestmark = pytest.mark.browser

# Embed codes (tests/data/embeds/<code>.html) -> the provider's name on the placeholder.
FRAMES = {
    "youtube": "YouTube",
    "youtube.nocookie": "YouTube",
    "rutube": "Rutube",
    "vk_video": "VK Video",
    "vk_video.vkvideo": "VK Video",
    "yandex_maps": "Yandex Maps",
    "yandex_maps.ru": "Yandex Maps",
    "2gis.frame": "2GIS",
    "google_maps": "Google Maps",
    "yandex_forms": "Yandex Forms",
}
SCRIPTS = {
    "2gis": "2GIS",
    "yandex_maps.constructor": "Yandex Maps",
    "telegram": "Telegram",
    "telegram.comments": "Telegram",
    "instagram": "Instagram",
    # The player's placeholder stands in its target (<div id="player">): the API is in <head>.
    "youtube.iframe_api": "YouTube",
}
# The layout shifts of the page, summed as CLS counts them (no input excluded: every test's
# clicks are on the placeholders, and a shift they cause counts here).
CLS = """
window.__cls = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => { __cls += entry.value; }))
  .observe({ type: 'layout-shift', buffered: true });
"""


def page_of(site, codes, **params) -> str:
    return site.url("embeds", codes=",".join(codes), **params)


def opened(visit, **options):
    """A visit whose page's requests are logged (v.requested), by the browser's account."""
    v = visit(**options)
    v.requested = []
    v.page.on("request", lambda request: v.requested.append(request.url))
    return v


def frame_requests(v) -> list[str]:
    """Requests for a provider's frame content. (A frame in the page's HTML starts loading
    as the parser inserts it, before any script can take its src away: its request may
    reach the provider, and is cancelled; bench/parsed_frames.py counts how often.)"""
    return [url for url in v.requested if any(part in url for part in EMBED_FRAMES)]


def embed_runs(v) -> list[str]:
    return v.page.evaluate("window.__embedRuns || []")


def placeholder(v, code: str):
    """The element that holds an embed's placeholder: the frame's document, or the
    <kelisim-embed> before a script."""
    box = f"#embed-{code.replace('.', '-')}"
    if code in FRAMES:
        return v.page.frame_locator(f"{box} iframe")
    return v.page.locator(f"{box} kelisim-embed")


def load_button(v, code: str, name: str):
    return placeholder(v, code).get_by_role("button", name=f"Load {name}")


def wait_until(v, done, seconds: float = 10) -> None:
    """Until ``done()`` (the page's frames keep connections open: no network idle)."""
    for _ in range(int(seconds * 10)):
        if done():
            return
        v.page.wait_for_timeout(100)


def grant_in_settings(v, category: str) -> None:
    """Turn a category on in the settings and save, once the decision has been sent."""
    v.page.evaluate("kelisim.open()")
    v.banner().get_by_role("switch", name=category).check()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Save choice").click()


def settle(v) -> None:
    """Let what a click started reach the stubs and the page."""
    v.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("code", [*FRAMES, *SCRIPTS])
def test_before_any_choice_and_after_reject_an_embed_is_a_placeholder_naming_its_provider(
    make_test_site, visit, code
):
    site = make_test_site()
    name = {**FRAMES, **SCRIPTS}[code]
    v = opened(visit, init_script=CLS)
    v.page.goto(page_of(site, [code], lang="en"))
    for state in ("before any choice", "after Reject all"):
        load = load_button(v, code, name)
        load.wait_for()
        box = placeholder(v, code)
        assert box.get_by_role("button", name=f"Always allow {name}").is_visible(), state
        policy = box.get_by_role("link", name="Privacy policy of")
        assert policy.get_attribute("href").startswith("https://"), state
        assert "sends data about your visit" in box.locator(".card").inner_text()
        settle(v)
        # Nothing of the provider ran or was shown, and the page had no error.
        assert embed_runs(v) == [], state
        if code in FRAMES:
            frame = v.page.locator(f"#embed-{code.replace('.', '-')} iframe")
            assert frame.evaluate("e => e.contentDocument.URL") == "about:srcdoc"
            assert "PROVIDER CONTENT" not in placeholder(v, code).locator("body").inner_text()
        else:
            assert frame_requests(v) == [], state
        assert v.errors == [], state
        # A frame is its own placeholder; a script's comes with embed.js, after the page's
        # first paint, into the box the loader kept for it: nothing moves. (A page using
        # YouTube's iframe API builds its players when the API calls it back, after its
        # first paint, with or without Kelisim: their placeholders too, in an empty target.)
        cls = v.page.evaluate("__cls")
        assert cls < 0.1 if code == "youtube.iframe_api" else cls == 0, state
        if state == "before any choice":
            with v.page.expect_response("**/api/v1/events"):
                v.page.get_by_role("button", name="Reject all").click()
            v.page.reload()
    assert site.actions() == ["shown", "reject_all"]


def test_a_frame_keeps_its_box_and_loading_it_moves_nothing(make_test_site, visit):
    site = make_test_site()
    v = opened(visit, init_script=CLS)
    v.page.goto(page_of(site, ["youtube", "rutube"], lang="en"))
    load = load_button(v, "youtube", "YouTube")
    load.wait_for()
    frame = v.page.locator("#embed-youtube iframe")
    assert frame.bounding_box()["width"] == 560 and frame.bounding_box()["height"] == 315
    text_before = v.page.locator("#after").bounding_box()
    load.click()
    v.page.wait_for_function(
        "document.querySelector('#embed-youtube iframe').src.includes('youtube.com/embed')"
    )
    settle(v)
    # One click plays: the provider's autoplay parameter; focus is in the player.
    assert frame.get_attribute("src").endswith("?si=Xq3b7Kc2LmN0pQrS&autoplay=1")
    assert frame.evaluate("e => document.activeElement === e")
    assert (
        v.page.frame_locator("#embed-youtube iframe").get_by_text("PROVIDER CONTENT").is_visible()
    )
    assert v.page.locator("#after").bounding_box() == text_before
    assert v.page.evaluate("__cls") == 0
    # Only that one: the other embed is still a placeholder, and nothing was recorded.
    assert frame.get_attribute("src") in frame_requests(v)
    assert not [url for url in frame_requests(v) if "rutube" in url and "autoplay" in url]
    assert load_button(v, "rutube", "Rutube").is_visible()
    # Not remembered: the next page holds it again; the first page's impression is all
    # that was recorded.
    v.page.reload()
    load_button(v, "youtube", "YouTube").wait_for()
    assert frame.evaluate("e => e.contentDocument.URL") == "about:srcdoc"
    assert [event.action for event in site.wait_for_events(1)] == ["shown"]
    assert "kelisim" not in v.cookie() and v.cookie() == {}


def test_always_allow_is_a_recorded_decision_and_remembered(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(page_of(site, ["youtube", "youtube.nocookie", "rutube"], lang="en"))
    allow = placeholder(v, "youtube").get_by_role("button", name="Always allow YouTube")
    allow.wait_for()
    with v.page.expect_response("**/api/v1/events"):
        allow.click()
    settle(v)
    # Both YouTube embeds load; Rutube waits.
    for code in ("youtube", "youtube.nocookie"):
        frame = v.page.locator(f"#embed-{code.replace('.', '-')} iframe")
        assert "/embed/" in frame.get_attribute("src") and not frame.get_attribute("srcdoc")
    assert load_button(v, "rutube", "Rutube").is_visible()
    events = site.wait_for_events(2)
    decision = events[-1]
    assert (decision.action, decision.layer) == ("custom", "placeholder")
    assert (decision.categories, decision.services) == ([], ["youtube"])
    assert v.cookie()["s"] == "youtube"
    # The banner is gone (the choice was made), and the next page loads YouTube at once.
    assert v.banner().count() == 0
    v.page.reload()
    settle(v)
    assert (
        v.page.locator("#embed-youtube iframe")
        .get_attribute("src")
        .startswith("https://www.youtube.com/embed/")
    )
    assert load_button(v, "rutube", "Rutube").is_visible()
    # A later choice in the settings keeps it unless the visitor turns it off.
    v.page.evaluate("kelisim.open()")
    switch = v.page.get_by_role("switch", name="Always allow YouTube")
    assert switch.is_checked()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Save choice").click()
    assert site.wait_for_events(3)[-1].services == ["youtube"]
    assert site.events()[-1].action == "custom"


def test_two_always_allows_in_one_second_are_two_recorded_decisions(make_test_site, visit):
    """Decisions are told apart by their expiry, in seconds: the second of two clicks within
    a second is recorded too (a second later), not taken for the first sent again."""
    site = make_test_site()
    v = opened(visit)
    # Both clicks in one second: the page's clock stands still.
    v.page.clock.set_fixed_time(datetime.now(UTC))
    v.page.goto(page_of(site, ["youtube", "rutube"], lang="en"))
    youtube = placeholder(v, "youtube").get_by_role("button", name="Always allow YouTube")
    rutube = placeholder(v, "rutube").get_by_role("button", name="Always allow Rutube")
    rutube.wait_for()
    youtube.wait_for()
    with v.page.expect_response("**/api/v1/events"):
        youtube.click()
        rutube.click()
    events = site.wait_for_events(3)
    assert [(event.action, sorted(event.services)) for event in events[1:]] == [
        ("custom", ["youtube"]),
        ("custom", ["rutube", "youtube"]),
    ]
    assert events[2].expires_at > events[1].expires_at
    assert sorted(v.cookie()["s"].split("|")) == ["rutube", "youtube"]


def test_accept_all_loads_every_embed_and_builds_2gis_once(make_test_site, visit):
    site = make_test_site()
    v = opened(visit, init_script=CLS)
    codes = [*FRAMES, *SCRIPTS]
    v.page.goto(page_of(site, codes, lang="en"))
    load_button(v, "2gis", "2GIS").wait_for()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    v.page.wait_for_function("(window.__embedRuns || []).includes('2gis-built')")
    settle(v)
    runs = embed_runs(v)
    assert runs.count("2gis-built") == 1
    assert sorted(set(runs) - {"2gis-built"}) == sorted(
        [
            "widgets.2gis.com/js/DGWidgetLoader.js",
            "api-maps.yandex.ru/services/constructor/",
            "telegram.org/js/telegram-widget.js",
            "instagram.com/embed.js",
            "forms.yandex.ru/_static/embed.js",
            "youtube.com/iframe_api",
        ]
    )
    # Every frame shows its provider's content, 2GIS's built one once; no placeholder is left.
    assert v.page.locator("kelisim-embed").count() == 0
    # Google Maps' code loads lazily (loading="lazy"), and still does: once scrolled to.
    assert not [url for url in frame_requests(v) if "google.com/maps" in url]
    for code in FRAMES:
        v.page.locator(f"#embed-{code.replace('.', '-')} iframe").scroll_into_view_if_needed()
        placeholder(v, code).get_by_text("PROVIDER CONTENT").wait_for()
    built = [url for url in frame_requests(v) if "type=firmsonmap&org=" in url]
    assert len(built) == 1
    assert v.page.locator("#embed-2gis iframe").count() == 1
    assert v.page.locator("#embed-telegram iframe").get_attribute("src").startswith("https://t.me/")
    assert v.errors == []
    # The accepted choice released the frames in their boxes: no frame moved.
    assert v.page.evaluate("__cls") == 0
    # The next page loads them without a placeholder.
    v.page.reload()
    v.page.wait_for_function("(window.__embedRuns || []).includes('2gis-built')")
    assert v.page.locator("kelisim-embed").count() == 0


def test_load_this_one_builds_a_script_embed_once(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(page_of(site, ["2gis", "telegram"], lang="en"))
    load_button(v, "2gis", "2GIS").click()
    v.page.wait_for_function("(window.__embedRuns || []).includes('2gis-built')")
    settle(v)
    assert embed_runs(v) == ["widgets.2gis.com/js/DGWidgetLoader.js", "2gis-built"]
    # The frame 2GIS's script builds for it loads without a second click, after its script.
    frame = v.page.locator("#embed-2gis iframe")
    assert frame.get_attribute("src").startswith("https://widgets.2gis.com/widget")
    assert frame.evaluate("e => e.previousElementSibling.localName") == "script"
    assert load_button(v, "telegram", "Telegram").is_visible()
    assert v.errors == [] and site.actions() == [] and v.cookie() == {}


def test_a_player_of_youtubes_iframe_api_loads_from_its_placeholder(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(page_of(site, ["youtube.iframe_api", "rutube"], lang="en"))
    load = load_button(v, "youtube.iframe_api", "YouTube")
    load.wait_for()
    # In the player's place, as big as the page asked the player to be.
    box = v.page.locator("#player kelisim-embed").bounding_box()
    assert (box["width"], box["height"]) == (640, 390)
    assert embed_runs(v) == [] and not [url for url in frame_requests(v) if "youtube" in url]
    load.click()
    v.page.wait_for_function("document.querySelector('iframe[src*=\"/embed/M7lc1UVf-VE\"]')")
    # The real API built the page's player once, in its place; nothing else loaded.
    assert embed_runs(v) == ["youtube.com/iframe_api"]
    assert v.page.locator("#embed-youtube-iframe_api iframe").count() == 1
    assert load_button(v, "rutube", "Rutube").is_visible()
    assert v.errors == [] and site.actions() == []


def test_embeds_inserted_after_load_are_held_then_loaded(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(site.url("plain", lang="en"))
    v.banner().wait_for()
    # A lightbox's player by innerHTML, a single-page app's by appendChild, a frame given
    # its src once in the page, and the YouTube iframe API.
    v.page.evaluate(
        """() => {
        const box = document.createElement('div');
        box.id = 'lightbox';
        box.innerHTML = '<div><iframe width="640" height="360"'
          + ' src="https://www.youtube.com/embed/abc"></iframe></div>';
        document.body.append(box);
        const map = document.createElement('iframe');
        map.id = 'map';
        map.src = 'https://yandex.kz/map-widget/v1/?ll=76.9,43.2&z=16';
        document.body.appendChild(map);
        const later = document.createElement('iframe');
        later.id = 'later';
        document.body.appendChild(later);
        later.setAttribute('src', 'https://rutube.ru/play/embed/xyz/');
        document.body.insertAdjacentHTML('beforeend', '<div id="player"></div>');
        window.onYouTubeIframeAPIReady = () => new YT.Player('player', {
          width: 320, height: 180, videoId: 'api'
        });
        const api = document.createElement('script');
        api.src = 'https://www.youtube.com/iframe_api';
        document.head.appendChild(api);
      }"""
    )
    # (Read from each frame's document: Playwright can lose track of a frame whose first
    # load was cancelled, though the page shows it as it should.)
    for selector, name in (("#lightbox iframe", "YouTube"), ("#map", "Yandex Maps"),
                           ("#later", "Rutube")):  # fmt: skip
        v.page.wait_for_function(
            "([selector, name]) => [...document.querySelector(selector).contentDocument"
            "?.querySelectorAll('button') || []].some((b) => b.textContent === 'Load ' + name)",
            arg=[selector, name],
        )
    settle(v)
    assert frame_requests(v) == [] and embed_runs(v) == []
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    v.page.wait_for_function("document.querySelectorAll('iframe[src*=\"/embed/api\"]').length")
    wait_until(v, lambda: len(frame_requests(v)) >= 4)
    assert embed_runs(v) == ["youtube.com/iframe_api"]
    assert sorted(url.split("?")[0] for url in frame_requests(v)) == sorted(
        [
            "https://www.youtube.com/embed/abc",
            "https://www.youtube.com/embed/api",
            "https://yandex.kz/map-widget/v1/",
            "https://rutube.ru/play/embed/xyz/",
        ]
    )
    assert v.errors == []


def test_withdrawal_brings_the_placeholders_back(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(page_of(site, ["youtube", "2gis"], lang="en"))
    load_button(v, "youtube", "YouTube").wait_for()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    v.page.wait_for_function("(window.__embedRuns || []).includes('2gis-built')")
    v.page.evaluate("kelisim.open()")
    # The settings name the embeds under their category, and say what withdrawal can do.
    settings = v.banner()
    functional = settings.get_by_role("region", name="Functional")
    functional.get_by_text("YouTube", exact=True).wait_for()
    assert functional.get_by_text("2GIS", exact=True).is_visible()
    assert functional.get_by_role("switch", name="Always allow YouTube").is_visible()
    assert "can only be deleted in your browser" in functional.inner_text()
    with v.page.expect_event("load"):
        v.page.get_by_role("button", name="Withdraw consent").click()
    load_button(v, "youtube", "YouTube").wait_for()
    load_button(v, "2gis", "2GIS").wait_for()
    assert site.actions() == ["shown", "accept_all", "withdraw"]


def test_marked_embeds_request_nothing_before_consent(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(site.url("plain", lang="en"))
    # Every request the page makes to another host, by the browser's account.
    requested = []
    v.page.on("request", lambda r: "127.0.0.1" not in r.url and requested.append(r.url))
    v.page.evaluate(
        """() => document.body.insertAdjacentHTML('beforeend',
        '<iframe id="marked" data-src="https://www.youtube.com/embed/marked" data-consent="youtube"'
        + ' width="320" height="180" title="Trailer" data-poster="/favicon.ico"></iframe>'
        + '<iframe id="other" data-src="https://video.example.kz/embed/1" data-consent="marketing"'
        + ' width="320" height="180"></iframe>'
        + '<img id="pixel" data-src="https://counter.yadro.ru/hit?marked" data-consent="analytics"'
        + ' width="1" height="1" alt="">')"""
    )
    card = v.page.frame_locator("#marked").locator(".card")
    card.get_by_role("button", name="Load YouTube").wait_for()
    assert card.locator(".name").inner_text() == "YouTube: Trailer"
    # The operator's own poster, behind a dark veil for the text; never the provider's.
    assert "favicon.ico" in card.evaluate("e => getComputedStyle(e).backgroundImage")
    other = v.page.frame_locator("#other").locator(".card")
    assert "video.example.kz" in other.inner_text()
    settle(v)
    assert requested == []
    with (
        v.page.expect_request("https://video.example.kz/embed/1"),
        v.page.expect_request("https://www.youtube.com/embed/marked"),
        v.page.expect_request("https://counter.yadro.ru/hit?marked"),
    ):
        v.page.get_by_role("button", name="Accept all").click()
    assert sorted(requested) == [
        "https://counter.yadro.ru/hit?marked",
        "https://video.example.kz/embed/1",
        "https://www.youtube.com/embed/marked",
    ]
    # Marked and granted on the next page: loaded as the page is parsed, no placeholder.
    v.page.reload()
    v.page.evaluate(
        """() => document.body.insertAdjacentHTML('beforeend',
        '<iframe id="marked" data-src="https://www.youtube.com/embed/marked"'
        + ' data-consent="youtube"></iframe>')"""
    )
    v.page.wait_for_function("document.querySelector('#marked').src.includes('/embed/marked')")


@pytest.mark.parametrize(
    ("code", "hit", "category"),
    [
        ("liveinternet", "counter.yadro.ru/hit", "Analytics"),
        ("liveinternet.write", "counter.yadro.ru/hit", "Analytics"),
        ("vk_retargeting_image", "vk.com/rtrg", "Marketing"),
        ("top_mail_ru_image.rating", "top.mail.ru/counter", "Analytics"),
    ],
)
def test_a_pixels_hit_waits_for_its_category_and_is_sent_once(
    make_test_site, visit, code, hit, category
):
    site = make_test_site()
    v = opened(visit)
    # What the page asks for, by the browser's account: two of the codes write their image
    # with a scheme-relative or http:// URL, which the (https) stubs never see answered.
    hits = []
    v.page.on("request", lambda request: hit in request.url and hits.append(request.url))
    v.page.goto(page_of(site, [code], lang="en"))
    v.banner().wait_for()
    settle(v)
    assert hits == []
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Reject all").click()
    v.page.reload()
    settle(v)
    assert hits == []
    # Granted in the settings: the held hit leaves, once.
    v.page.evaluate("kelisim.open()")
    v.banner().get_by_role("switch", name=category).check()
    with v.page.expect_request(lambda request: hit in request.url):
        v.page.get_by_role("button", name="Save choice").click()
    settle(v)
    assert len(hits) == 1
    assert v.errors == []


def test_a_page_without_embeds_never_fetches_the_placeholders(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    fetched = []
    v.page.on("request", lambda request: fetched.append(request.url))
    v.page.goto(site.url("plain", lang="en"))
    v.banner().wait_for()
    settle(v)
    assert not any("/embed." in url for url in fetched)
    v.page.goto(page_of(site, ["youtube"], lang="en"))
    load_button(v, "youtube", "YouTube").wait_for()
    assert any(url.endswith("/embed.en.js") for url in fetched)


def test_placeholders_work_under_a_strict_csp(make_test_site, visit):
    site = make_test_site()
    v = opened(visit)
    violations = []
    v.page.on(
        "console", lambda m: "Content Security Policy" in m.text and violations.append(m.text)
    )
    v.page.goto(site.url("csp_embeds", codes="youtube,telegram", lang="en"))
    card = v.page.frame_locator("#embed-youtube iframe").locator(".card")
    card.get_by_role("button", name="Load YouTube").wait_for()
    # Styled by the constructed stylesheets, in the frame and in the shadow root.
    assert card.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(241, 241, 241)"
    post = v.page.locator("#embed-telegram kelisim-embed .card")
    assert post.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(241, 241, 241)"
    assert violations == [] and v.errors == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_placeholders_speak_the_visitors_language_and_pass_axe(make_test_site, visit, lang):
    site = make_test_site()
    v = opened(visit)
    v.page.goto(page_of(site, ["youtube", "2gis"], lang=lang))
    frame_card = v.page.frame_locator("#embed-youtube iframe").locator(".card")
    frame_card.get_by_role("button").first.wait_for()
    words = {"kk": "жүктеу", "ru": "Загрузить", "en": "Load"}[lang]
    assert words.lower() in frame_card.get_by_role("button").first.inner_text().lower()
    assert frame_card.get_attribute("lang") == lang
    for target in (v.page, v.page.frames[1]):
        results = Axe().run(target)
        serious = [
            (violation["id"], violation["impact"], json.dumps(violation["nodes"])[:300])
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert serious == []
    # Keyboard: Tab reaches the frame's buttons; Enter on "load" puts focus in the player.
    button = frame_card.get_by_role("button").first
    button.focus()
    v.page.keyboard.press("Enter")
    v.page.wait_for_function(
        "document.activeElement === document.querySelector('#embed-youtube iframe')"
    )


def test_an_embed_the_site_configured_waits_for_its_service_under_the_owners_words(
    make_test_site, visit
):
    # The owner has YouTube as a service of their own, in Marketing, named their way.
    site = make_test_site(
        [("youtube", {"category": "marketing", "options": {"info": {"en": {"name": "Trailers"}}}})]
    )
    v = opened(visit)
    v.page.goto(page_of(site, ["youtube", "rutube"], lang="en"))
    load_button(v, "youtube", "Trailers").wait_for()
    # Functional (YouTube's usual category) grants Rutube, not the owner's YouTube service.
    grant_in_settings(v, "Functional")
    v.page.wait_for_function(
        "document.querySelector('#embed-rutube iframe').src.includes('rutube.ru/play/embed/')"
    )
    assert load_button(v, "youtube", "Trailers").is_visible()
    # Marketing grants it, by its service. (A second second: the server stores one decision
    # of an action and expiry per visitor, so that a resent one counts once.)
    v.page.wait_for_timeout(1100)
    grant_in_settings(v, "Marketing")
    v.page.wait_for_function(
        "document.querySelector('#embed-youtube iframe').src.includes('youtube.com/embed/')"
    )
    events = site.wait_for_events(3)
    assert [(e.action, e.categories, e.services) for e in events[1:]] == [
        ("custom", ["functional"], []),
        ("custom", ["functional", "marketing"], ["youtube"]),
    ]
    assert v.errors == []
