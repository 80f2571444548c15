"""A pasted Top@Mail.ru counter, held: it waits for its own service's category, although the
loader takes its script (shared with the VK Ads pixel) for VK's."""

import pytest

pytestmark = pytest.mark.browser


def test_a_held_top_mail_ru_counter_runs_once_analytics_is_allowed(make_test_site, visit):
    site = make_test_site([("top_mail_ru", {"slug": "top", "options": {"counter_id": "3162545"}})])
    v = visit()
    v.page.goto(site.url("pasted"))
    v.banner().wait_for()
    v.page.wait_for_load_state("networkidle")
    assert "vk_pixel" not in v.run_names()  # the stub of top-fwz1.mail.ru/js/code.js
    v.page.get_by_role("button", name="Настройки").click()
    v.page.get_by_role("switch", name="Аналитические").check()
    v.page.get_by_role("button", name="Сохранить выбор").click()
    # Analytics only, no marketing: before, the tag waited for marketing (VK's category).
    v.page.wait_for_function("(window.__trackerRuns || []).some(r => r.name === 'vk_pixel')")
    assert v.cookie()["c"] == "analytics"
    assert v.errors == []
