"""The install page's copy button, in a real browser: it copies the tag a site pastes."""

from playwright.sync_api import expect

from backend.extensions import db
from backend.models import Membership, Role
from backend.services.sites import get_or_create_user
from tests.factories import make_site


def test_the_copy_button_puts_the_install_tag_on_the_clipboard(widget_app, server, browser):
    with widget_app.app_context():
        user, _ = get_or_create_user(db.session, "copy@arman.kz", "copy-password")
        site = make_site(name="Копия", domains=["arman.kz"])
        db.session.add(Membership(user=user, site=site, role=Role.VIEWER))
        db.session.commit()
        key = site.public_key
    context = browser.new_context(locale="ru", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "copy@arman.kz")
    page.fill("input[name=password]", "copy-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")

    page.goto(f"{server}/dashboard/sites/{key}/install")
    page.get_by_role("button", name="Скопировать тег").click()

    expect(page.get_by_role("status")).to_have_text("Скопировано.")
    assert page.evaluate("navigator.clipboard.readText()") == (
        f'<script src="{server}/w/{key}.js"></script>'
    )
    context.close()
