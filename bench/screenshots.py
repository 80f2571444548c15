"""Screenshots of every dashboard page, to look at by eye: sign-in pages, the sites list, each
tab of a site and its sub-pages, a form with errors, an error page, and the banner editor
while typing (its preview in view), in each language at desktop and phone width.

Run by hand (not part of the test suite), from the repository root:

    .venv/bin/python bench/screenshots.py [--out /work/shots] [--languages kk,ru] [--only banner]

The app runs on a temporary SQLite file with the demo site, a month of consent events, an
editor and an API token, served on 127.0.0.1; Debian's Chromium (tests/chromium.py) takes
full-page PNGs named <language>-<width>-<page>.png (a tall page in slices, …-1.png, …). The
banner editor is also taken as the viewport shows it while a field deep in the form is being
typed into (…-banner-typing.png), and on a phone the site's tabs unfolded (…-site-menu.png).
Nothing here is a test: it prints what it took, and the shots are to be opened and judged.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.extensions import db  # noqa: E402
from backend.models import DocumentInputs, FoundTracker, Membership, Role, Site  # noqa: E402
from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD  # noqa: E402
from backend.services.sites import add_service, get_or_create_user  # noqa: E402
from backend.services.tokens import create_token  # noqa: E402
from tests import chromium  # noqa: E402
from tests.factories import demo_app, record_event  # noqa: E402
from tests.live_server import serve  # noqa: E402

WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
LOCALES = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}
SIGNED_OUT = {"login": "/login", "signup": "/signup", "forgot": "/forgot"}
SITE_PAGES = {
    "overview": "",
    "settings": "/settings",
    "delete": "/delete",
    "trackers": "/trackers",
    "trackers-new": "/trackers/new",
    "trackers-metrica": "/trackers/new/yandex_metrica",
    "trackers-2gis": "/trackers/new/2gis",
    "banner": "/banner",
    "versions": "/versions",
    "version-1": "/versions/1",
    "install": "/install",
    "members": "/members",
    "receipts": "/receipts",
    "audit": "/audit",
    "tokens": "/tokens",
    "documents": "/documents",
    "documents-policy-kk": "/documents/privacy-policy?lang=kk",
    "documents-policy-ru": "/documents/privacy-policy?lang=ru",
    "documents-policy-en": "/documents/privacy-policy?lang=en",
    "documents-consent-kk": "/documents/consent?lang=kk",
    "documents-cookies-ru": "/documents/cookies?lang=ru",
}
ALMATY = ZoneInfo("Asia/Almaty")


def make_app(directory: str):
    """The app on a fresh SQLite file: the demo site with events, an editor and a token."""
    app, key = demo_app(directory)
    with app.app_context():
        site = db.session.scalar(sa.select(Site).where(Site.public_key == key))
        editor, _ = get_or_create_user(db.session, "aigerim.editor@demo-kino.kz", DEMO_PASSWORD)
        db.session.add(Membership(user=editor, site=site, role=Role.EDITOR))
        create_token(db.session, site, None, "Power BI")
        # Embedded content: a provider the site configures, and what its pages showed that
        # it does not (an embed, a pixel of a configured tracker's, LiveInternet's counter).
        add_service(site, "youtube", slug="trailers")
        found_day = datetime.now(ALMATY).date()
        for kind, count in (("2gis", 41), ("liveinternet", 17), ("telegram", 3)):
            db.session.add(FoundTracker(site_id=site.id, day=found_day, kind=kind, count=count))
        # What the owner filled in for the documents: hosting in Kazakhstan, a feedback form.
        db.session.add(
            DocumentInputs(
                site_id=site.id,
                hosting_provider="ТОО «PS Internet Company»",
                hosting_country="kz",
                hosting_city="Алматы",
                contact_phone="+7 727 355 00 00",
                forms=[
                    {
                        "name": "Обратная связь",
                        "fields": ["name", "phone", "email", "message"],
                        "purpose": "feedback",
                        "storage_months": 36,
                        "recipients": "",
                    }
                ],
                measures=["tls", "access", "backups"],
                request_subject="Персональные данные",
                request_days=10,
            )
        )
        db.session.flush()
        chance = random.Random(17)
        today = datetime.now(ALMATY).replace(hour=12, minute=0, second=0, microsecond=0)
        for days_ago in range(60):
            moment = today - timedelta(days=days_ago)
            for _ in range(chance.randint(3, 9)):
                language = chance.choice(("kk", "ru", "ru"))
                device = chance.choice(("desktop", "mobile", "mobile"))
                record_event(site, moment, device=device, action="shown", language=language)
                action = chance.choice(("accept_all", "accept_all", "reject_all", None))
                if action:
                    record_event(site, moment, device=device, action=action, language=language)
        db.session.commit()
        return app, site.public_key


def shoot(page, out: Path, name: str, full_page: bool = True) -> None:
    """The page as PNGs small enough to look at: a tall page in slices, <name>-1.png, …"""
    viewport = page.viewport_size
    if not full_page:
        page.screenshot(path=str(out / f"{name}.png"))
        print(out / f"{name}.png")
        return
    height = page.evaluate("document.documentElement.scrollHeight")
    slice_height = 1600 if viewport["width"] > 600 else 1100
    count = -(-height // slice_height)
    for index in range(count):
        top = index * slice_height
        size = {"width": viewport["width"], "height": min(slice_height, height - top)}
        clip = {"x": 0, "y": top, **size}
        path = out / (f"{name}.png" if count == 1 else f"{name}-{index + 1}.png")
        page.screenshot(path=str(path), full_page=True, clip=clip)
        print(path)


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("[name=email]", DEMO_EMAIL)
    page.fill("[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/dashboard/")


def banner_while_typing(page, base: str, key: str, language: str, width: str, out: Path) -> None:
    """The editor as the screen shows it while a field deep in the form takes a new text."""
    page.goto(f"{base}/dashboard/sites/{key}/banner")
    page.select_option("select[name=preview_language]", language)
    if width == "390":
        page.locator(".preview-toggle").click()
    page.locator(f"fieldset[lang={language}] details summary").click()
    field = page.locator(f"#texts_{language}-data_collected")
    field.focus()
    field.fill("")
    page.keyboard.type("Cookie · 17")
    frame = page.frame_locator("iframe[name=banner-preview]")
    frame.locator("kelisim-ui").get_by_text("Cookie · 17").wait_for(timeout=20_000)
    shoot(page, out, f"{language}-{width}-banner-typing", full_page=False)


# A configuration file with a problem in a deep place and one in the rules of the site.
BAD_CONFIG = (
    b'{"format": 1, "site": {"name": "Arman", "domains": ["https://arman.kz/"], '
    b'"allow_subdomains": false, "timezone": "Asia/Almaty"}, "operator": {"legal_name": "", '
    b'"bin": "123", "address": "", "contact_email": "", "policy_urls": {}}, "languages": '
    b'["kk", "ru"], "default_language": "ru", "consent": {"days": 182, "retention_months": '
    b'36}, "banner": {"position": "bottom", "accent": "#1f5fbf", "floating_button": false, '
    b'"respect_dnt": false, "texts": {}}, "services": [{"kind": "yandex_metrica", "id": '
    b'"metrica", "category": "analytics", "managed": false, "options": {"counter_id": '
    b'"12ab"}}]}'
)


def import_bad_file(page, url: str) -> None:
    """The page after its import form was sent a file with problems."""
    page.goto(url)
    form = page.locator("form[enctype='multipart/form-data']")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "kelisim.json", "mimeType": "application/json", "buffer": BAD_CONFIG}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="/work/shots", type=Path)
    parser.add_argument("--languages", default="kk,ru")
    parser.add_argument("--only", help="only pages whose name contains this")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    wanted = lambda name: not args.only or args.only in name  # noqa: E731
    directory = tempfile.mkdtemp(prefix="kelisim-shots-")
    app, key = make_app(directory)
    with serve(app) as base, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        for language in args.languages.split(","):
            for width, viewport in WIDTHS.items():
                context = browser.new_context(locale=LOCALES[language], viewport=viewport)
                page = context.new_page()
                for name, path in SIGNED_OUT.items():
                    if wanted(name):
                        page.goto(f"{base}{path}")
                        shoot(page, args.out, f"{language}-{width}-{name}")
                if wanted("login-error"):
                    page.goto(f"{base}/login")
                    page.fill("[name=email]", DEMO_EMAIL)
                    page.fill("[name=password]", "wrong-password-0")
                    page.locator("main form button[type=submit]").click()
                    page.wait_for_load_state()
                    shoot(page, args.out, f"{language}-{width}-login-error")
                sign_in(page, base)
                pages = {
                    "sites": "/dashboard/",
                    "sites-new": "/dashboard/sites/new",
                    "account": "/account",
                    "not-found": "/dashboard/sites/no-such-site",
                    **{
                        f"site-{name}": f"/dashboard/sites/{key}{path}"
                        for name, path in SITE_PAGES.items()
                    },
                }
                for name, path in pages.items():
                    if wanted(name):
                        page.goto(f"{base}{path}")
                        shoot(page, args.out, f"{language}-{width}-{name}")
                if wanted("sites-new-errors"):
                    page.goto(f"{base}/dashboard/sites/new")
                    page.locator("main form button[type=submit]").click()
                    page.wait_for_load_state()
                    shoot(page, args.out, f"{language}-{width}-sites-new-errors")
                if wanted("documents-errors"):
                    page.goto(f"{base}/dashboard/sites/{key}/documents")
                    page.fill("[name=contact_phone]", "call me")
                    page.fill("[name=forms-0-storage_months]", "0")
                    page.locator("main form button[type=submit]").click()
                    page.wait_for_load_state()
                    shoot(page, args.out, f"{language}-{width}-documents-errors")
                for name, path in (
                    ("site-settings-import-errors", f"/dashboard/sites/{key}/settings"),
                    ("sites-import-errors", "/dashboard/"),
                ):
                    if wanted(name):
                        import_bad_file(page, f"{base}{path}")
                        shoot(page, args.out, f"{language}-{width}-{name}")
                if wanted("site-menu") and width == "390":
                    page.goto(f"{base}/dashboard/sites/{key}/receipts")
                    page.locator(".menu-toggle").click()
                    shoot(page, args.out, f"{language}-{width}-site-menu", full_page=False)
                if wanted("banner-typing"):
                    banner_while_typing(page, base, key, language, width, args.out)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
