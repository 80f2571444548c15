"""Isolation, signals, accessibility and resilience: CSP, hostile CSS, GPC, keyboard, axe,
a backend that is down, layout shift."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.widget.conftest import TRACKERS

pytestmark = pytest.mark.browser


def test_strict_csp_page_works(make_test_site, visit):
    site = make_test_site(TRACKERS, appearance={"floating_button": True})
    v = visit()
    violations = []
    v.page.on(
        "console", lambda m: "Content Security Policy" in m.text and violations.append(m.text)
    )
    response = v.page.goto(site.url("csp"))
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    banner = v.banner()
    banner.wait_for()
    # Styled by the constructed stylesheet although style-src forbids inline styles.
    assert banner.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    # Not wait_for_function, which would need 'unsafe-eval' on this page: GA's stub sends its
    # hit once it has run, and the marked inline script runs as the decision is applied.
    with v.page.expect_request("**/g/collect"), v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    assert v.page.evaluate("window.__marked") == ["inline-with-nonce"]
    assert v.run_names() == ["gtag"]
    assert site.actions() == ["shown", "accept_all"]
    # The floating button is styled too, and stays put whatever the page scrolls.
    fab = v.page.get_by_role("button", name="Cookie settings")
    assert fab.is_visible()
    assert fab.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(34, 34, 34)"
    assert v.page.locator("kelisim-fab").evaluate("e => getComputedStyle(e).position") == "fixed"
    assert violations == [] and v.errors == []


def in_view(page, locator) -> bool:
    box, view = locator.bounding_box(), page.viewport_size
    return box["y"] >= 0 and box["y"] + box["height"] <= view["height"]


def test_hostile_host_css_neither_breaks_the_banner_nor_is_touched_by_it(make_test_site, visit):
    site = make_test_site(TRACKERS, appearance={"floating_button": True})
    v = visit()
    v.page.goto(site.url("hostile"))
    text_style = "e => { const s = getComputedStyle(e); return [s.color, s.fontSize, s.margin] }"
    banner = v.banner()
    banner.wait_for()
    assert v.page.eval_on_selector("#text", text_style) == ["rgb(10, 20, 30)", "16px", "10px"]
    accept = v.page.get_by_role("button", name="Accept all")
    assert accept.is_visible() and in_view(v.page, accept)
    box = accept.bounding_box()
    assert box["height"] >= 44 and box["width"] > 100
    assert accept.evaluate("e => getComputedStyle(e).fontSize") == "15px"
    # Fully opaque, whatever the page says of opacity (the banner has no fade-in).
    assert banner.evaluate("e => getComputedStyle(e).opacity") == "1"
    with v.page.expect_response("**/api/v1/events"):
        accept.click()
    assert site.actions()[-1] == "accept_all"
    assert in_view(v.page, v.page.get_by_role("button", name="Cookie settings"))


def test_gpc_is_an_automatic_reject_the_visitor_can_override(make_test_site, visit):
    site = make_test_site(TRACKERS)
    # A browser with GPC says so to scripts and in a header on every request.
    v = visit(
        init_script="Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})",
        extra_http_headers={"Sec-GPC": "1"},
    )
    with v.page.expect_response("**/api/v1/events"):
        v.page.goto(site.url(lang="en"))
    events = site.events()
    assert [(e.action, e.signal, e.categories) for e in events] == [("gpc", "gpc", [])]
    assert v.banner().count() == 0
    v.page.wait_for_load_state("networkidle")
    assert v.run_names() == [] and v.tracker_requests == []

    v.page.click("#cookie-link")  # any element with data-kelisim-open
    v.page.get_by_text("Global Privacy Control").wait_for()
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Accept all").click()
    events = site.events()
    assert (events[-1].action, events[-1].signal) == ("accept_all", "gpc")
    v.page.reload()
    v.page.wait_for_function("(window.__trackerRuns || []).length === 1")
    assert len(site.events()) == 2


DNT = "Object.defineProperty(navigator, 'doNotTrack', {get: () => '1'})"


@pytest.mark.parametrize("respect_dnt", [True, False], ids=["site respects DNT", "site ignores"])
def test_do_not_track_rejects_only_where_the_site_enables_it(make_test_site, visit, respect_dnt):
    site = make_test_site(TRACKERS, respect_dnt=respect_dnt)
    v = visit(init_script=DNT)
    v.page.goto(site.url(lang="en"))
    if respect_dnt:
        # An automatic reject, recorded with its signal; no banner, no tracker.
        events = site.wait_for_events(1)
        assert [(e.action, e.signal) for e in events] == [("reject_all", "dnt")]
        assert v.banner().count() == 0
        assert v.cookie()["a"] == "reject_all" and v.cookie()["g"] == "dnt"
    else:
        # DNT alone is no decision here: the visitor is asked like anyone else.
        v.banner().wait_for()
    v.page.wait_for_load_state("networkidle")
    assert v.run_names() == [] and v.tracker_requests == []
    if not respect_dnt:
        v.page.goto("about:blank")  # left undecided: the impression goes by beacon
        events = site.wait_for_events(1)
        assert [(e.action, e.signal) for e in events] == [("shown", "none")]


def test_keyboard_only_flow(make_test_site, visit):
    site = make_test_site(TRACKERS, appearance={"floating_button": True})
    v = visit()
    v.page.goto(site.url(lang="en"))
    v.banner().wait_for()
    focused = "document.activeElement.shadowRoot?.activeElement?.textContent || ''"
    outline = "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth] }"
    # Focus moves into the dialog once it is drawn (screen readers start there), which draws
    # no frame round the banner; the next Tabs reach the switcher and the buttons, each with a
    # visible ring.
    v.page.wait_for_function("document.activeElement.tagName === 'KELISIM-UI'", timeout=2000)
    assert (
        v.page.evaluate("document.activeElement.shadowRoot.activeElement.getAttribute('role')")
        == "dialog"
    )
    assert v.banner().evaluate(outline)[0] == "none"
    names = []
    for _ in range(5):
        v.page.keyboard.press("Tab")
        names.append(v.page.evaluate(focused))
        control = v.page.evaluate_handle("document.activeElement.shadowRoot.activeElement")
        assert control.evaluate(outline) == ["solid", "3px"]
    assert "Accept all" in names and "Reject all" in names and "Settings" in names
    while v.page.evaluate(focused) != "Settings":
        v.page.keyboard.press("Shift+Tab")
    v.page.keyboard.press("Enter")
    v.page.get_by_role("switch", name="Analytics").wait_for()
    v.page.keyboard.press("Escape")  # back to the first layer, nothing decided
    assert v.page.get_by_role("button", name="Settings").is_visible()
    assert site.actions() == []
    v.page.get_by_role("button", name="Settings").focus()
    v.page.keyboard.press("Enter")
    role = "document.activeElement.shadowRoot?.activeElement?.getAttribute('role')"
    while v.page.evaluate(role) != "switch":  # the first optional category: Analytics
        v.page.keyboard.press("Tab")
    v.page.keyboard.press("Space")
    while v.page.evaluate(focused) != "Save choice":
        v.page.keyboard.press("Tab")
    with v.page.expect_response("**/api/v1/events"):
        v.page.keyboard.press("Enter")
    events = site.events()
    assert events[-1].action == "custom" and events[-1].categories == ["analytics"]
    assert v.banner().is_hidden()
    # Re-opened from a link by keyboard: focus goes into the dialog, Escape brings it back.
    v.page.focus("#cookie-link")
    v.page.keyboard.press("Enter")
    assert v.page.evaluate("document.activeElement.tagName") == "KELISIM-UI"
    assert v.page.get_by_role("switch", name="Analytics").is_checked()
    v.page.keyboard.press("Escape")
    assert v.banner().is_hidden()
    assert v.page.evaluate("document.activeElement.id") == "cookie-link"
    # And from the floating button: focus comes back to the button itself.
    fab = v.page.get_by_role("button", name="Cookie settings", exact=True)
    fab.focus()
    v.page.keyboard.press("Enter")
    assert v.page.get_by_role("switch", name="Analytics").is_visible()
    v.page.keyboard.press("Escape")
    assert v.banner().is_hidden()
    assert fab.evaluate("e => e.getRootNode().activeElement === e")


def test_focus_moving_in_late_leaves_a_control_the_visitor_already_reached(make_test_site, visit):
    site = make_test_site(TRACKERS)
    # Frames come late (a busy page): the banner is shown before focus moves into it. Once
    # the banner's frame has come and its task after it has run, __framed is set.
    v = visit(
        init_script="window.requestAnimationFrame = (fn) => setTimeout(() => { fn();"
        " setTimeout(() => { window.__framed = true; }); }, 600)"
    )
    v.page.goto(site.url(lang="en"))
    v.banner().wait_for()
    reject = v.page.get_by_role("button", name="Reject all")
    reject.focus()
    v.page.wait_for_function("window.__framed === true")
    assert reject.evaluate("e => e.getRootNode().activeElement === e")
    with v.page.expect_response("**/api/v1/events"):
        v.page.keyboard.press("Enter")
    assert site.actions()[-1] == "reject_all"


@pytest.mark.parametrize("layer", ["first", "settings"])
def test_axe_finds_no_serious_violation(make_test_site, visit, layer):
    site = make_test_site(TRACKERS)
    v = visit()
    v.page.goto(site.url(lang="kk"))
    v.banner().wait_for()
    if layer == "settings":
        v.page.get_by_role("button", name="Баптаулар").click()
        v.page.get_by_role("switch").first.wait_for()
    results = Axe().run(v.page, context={"include": [["kelisim-ui"]]})
    serious = [
        (violation["id"], violation["impact"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_backend_down_banner_still_works_without_retries_or_errors(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit()
    posts = []

    def refuse(route):
        posts.append(route.request.url)
        route.fulfill(status=500, body="down")

    v.page.route("**/api/v1/events", refuse)
    v.page.goto(site.url(lang="en"))
    with v.page.expect_response("**/api/v1/events"):
        v.page.get_by_role("button", name="Reject all").click()
    v.page.wait_for_load_state("networkidle")
    assert len(posts) == 1, "one attempt for the impression and the decision, no retry"
    assert v.cookie()["a"] == "reject_all"
    v.page.unroute("**/api/v1/events")
    v.page.route("**/api/v1/events", lambda route: route.abort("connectionrefused"))
    v.page.evaluate("kelisim.open()")
    v.page.get_by_role("button", name="Accept all").click()
    v.page.wait_for_function("(window.__trackerRuns || []).length === 1")
    assert v.errors == []
    assert site.events() == []


@pytest.mark.parametrize("position", ["bottom", "top", "center"])
def test_banner_sits_where_the_site_puts_it(make_test_site, visit, position):
    site = make_test_site(TRACKERS, appearance={"position": position})
    v = visit(viewport={"width": 1200, "height": 800})
    v.page.goto(site.url(lang="en"))
    box = v.banner().bounding_box()
    middle = box["y"] + box["height"] / 2
    expected = {"bottom": 800 - 12 - box["height"] / 2, "top": 12 + box["height"] / 2}
    assert middle == pytest.approx(expected.get(position, 400), abs=1)
    assert box["width"] == 960 and box["x"] == 120  # at most 960px wide, centred
    overlay = v.page.locator("kelisim-ui").evaluate("e => getComputedStyle(e).backgroundColor")
    assert (overlay != "rgba(0, 0, 0, 0)") == (position == "center")  # the page dimmed behind


def test_banner_causes_no_layout_shift(make_test_site, visit):
    site = make_test_site(TRACKERS)
    v = visit(
        # CLS as browsers define it: shifts right after the visitor's own input do not count.
        init_script="window.__cls = 0; new PerformanceObserver(l => l.getEntries()"
        ".forEach(e => { if (!e.hadRecentInput) window.__cls += e.value }))"
        ".observe({type: 'layout-shift', buffered: true})"
    )
    v.page.goto(site.url(lang="en"))
    before = v.page.eval_on_selector("#text", "e => e.getBoundingClientRect().top")
    v.banner().wait_for()
    assert v.page.locator("kelisim-ui").evaluate("e => getComputedStyle(e).position") == "fixed"
    v.page.get_by_role("button", name="Settings").click()
    v.page.get_by_role("button", name="Back").click()
    v.page.get_by_role("button", name="Reject all").click()
    # Layout shifts are reported as frames are drawn: two frames after the banner went.
    v.page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert v.page.eval_on_selector("#text", "e => e.getBoundingClientRect().top") == before
    assert v.page.evaluate("window.__cls") == 0
