"""The banner editor's preview in Chromium: the real widget, built from what is in the form
before it is saved, in each language and width, recording nothing."""

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import ConsentEvent, Membership, Role, Site
from backend.services.sites import get_or_create_user
from tests.factories import make_site

pytestmark = pytest.mark.browser

PASSWORD = "preview password"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def editor_page(widget_app, server, visit):
    """An editor signed in, on the banner editor of a site with saved Kazakh texts."""
    with widget_app.app_context():
        # On the test server's host: the events API would take events from the preview.
        site = make_site(domains=["127.0.0.1"], texts={"kk": {"title": "Ескі тақырып"}})
        user, _ = get_or_create_user(db.session, f"editor-{site.public_key}@arman.kz", PASSWORD)
        db.session.add(Membership(user=user, site=site, role=Role.EDITOR))
        db.session.commit()
        key, site_id, email = site.public_key, site.id, user.email
    v = visit()
    page = v.page
    page.goto(f"{server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{server}/dashboard/")
    page.goto(f"{server}/dashboard/sites/{key}/banner")
    return v, site_id


def saved_texts(widget_app, site_id: int) -> dict:
    with widget_app.app_context():
        return db.session.get(Site, site_id).texts


def preview_title(page):
    return page.frame_locator("iframe[name=banner-preview]").locator("kelisim-ui h2")


def phone_preview(page, language: str):
    """The preview at phone width in ``language``, scrolled into view so that its controls
    can be clicked."""
    page.select_option("select[name=preview_width]", "phone")
    page.select_option("select[name=preview_language]", language)
    page.locator("iframe[name=banner-preview]").scroll_into_view_if_needed()
    return page.frame_locator("iframe[name=banner-preview]")


def test_the_preview_shows_the_unsaved_kazakh_title_and_the_database_keeps_the_old(
    widget_app, editor_page
):
    v, site_id = editor_page
    page = v.page
    page.select_option("select[name=preview_language]", "kk")
    page.fill("#texts_kk-title", "Жаңа тақырып")
    title = preview_title(page)
    title.filter(has_text="Жаңа тақырып").wait_for()
    assert saved_texts(widget_app, site_id) == {"kk": {"title": "Ескі тақырып"}}
    # The reset control empties the field: the preview shows the default again.
    page.click("button[data-reset='texts_kk-title']")
    title.filter(has_text="Біз cookie файлдарын пайдаланамыз").wait_for()
    assert v.errors == []


def test_owner_text_stays_text_in_the_preview(widget_app, editor_page):
    v, _site_id = editor_page
    page = v.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.select_option("select[name=preview_language]", "kk")
    page.fill("#texts_kk-title", HOSTILE)
    title = preview_title(page)
    title.filter(has_text=HOSTILE).wait_for()
    frame = page.frame_locator("iframe[name=banner-preview]")
    assert frame.locator("kelisim-ui img").count() == 0
    assert dialogs == []


@pytest.mark.parametrize(("language", "accept"), [("ru", "Принять все"), ("en", "Accept all")])
def test_each_language_and_the_phone_width(editor_page, language, accept):
    v, _site_id = editor_page
    page = v.page
    page.select_option("select[name=preview_width]", "phone")
    page.select_option("select[name=preview_language]", language)
    frame = page.frame_locator("iframe[name=banner-preview]")
    frame.locator("kelisim-ui button", has_text=accept).first.wait_for()
    assert page.locator("iframe[name=banner-preview]").evaluate("f => f.clientWidth") == 390


def test_a_choice_made_in_the_preview_is_not_recorded(widget_app, editor_page):
    v, site_id = editor_page
    page = v.page
    frame = phone_preview(page, "en")

    def decision(request) -> bool:
        return request.url.endswith("/api/v1/events") and '"accept_all"' in (
            request.post_data or ""
        )

    with page.expect_request(decision) as sent:
        frame.locator("kelisim-ui button", has_text="Accept all").first.click()
    # To the preview's sink, which answers 204 and stores nothing, not to the events API.
    assert "/banner/preview/" in sent.value.url
    frame.locator("kelisim-ui").wait_for(state="detached")
    with widget_app.app_context():
        events = sa.select(ConsentEvent).where(ConsentEvent.site_id == site_id)
        assert db.session.scalars(events).all() == []
    # Nothing of the preview's decision reaches the dashboard's cookies.
    assert "kelisim" not in {c["name"] for c in v.context.cookies()}


def test_a_colour_the_banner_refuses_is_explained_in_the_preview(editor_page):
    v, _site_id = editor_page
    page = v.page
    page.fill("input[name=accent]", "#ffff00")
    frame = page.frame_locator("iframe[name=banner-preview]")
    frame.locator(".errors li", has_text="3.0:1").wait_for()
    page.fill("input[name=accent]", "#1e6b34")
    frame.locator("kelisim-ui h2").wait_for()


def test_the_preview_opens_the_settings_layer_with_its_unsaved_texts(widget_app, editor_page):
    # The settings layer's texts come with texts.js, which the preview serves from the form
    # too.
    v, site_id = editor_page
    page = v.page
    page.locator("fieldset[lang=ru] summary").click()
    page.fill("#texts_ru-analytics_title", "Статистика посещений")
    # Changed last: a preview with this title was built from the form with both texts.
    page.fill("#texts_ru-title", "Новый заголовок")
    frame = phone_preview(page, "ru")  # opened last: the open section moved the page
    preview_title(page).filter(has_text="Новый заголовок").wait_for()
    frame.get_by_role("button", name="Настройки").click()
    frame.get_by_role("switch", name="Статистика посещений").wait_for()
    assert "ru" not in saved_texts(widget_app, site_id)
    assert v.errors == []
