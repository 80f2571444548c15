"""The demo: a site with Yandex.Metrica and GA4 and a sign-in, so a newcomer sees it work."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import Membership, Site, User
from backend.services.sites import add_service, create_site, get_or_create_user

DEMO_EMAIL = "demo@kelisim.local"
DEMO_PASSWORD = "kelisim-demo"
DEMO_SITE_NAME = "Kelisim demo cinema"


def demo_site(session: Session) -> Site | None:
    """The demo site: the one of its name that the demo user belongs to (anyone may give a
    site that name), None until `flask demo` has made it."""
    return session.scalar(
        sa.select(Site)
        .join(Membership, Membership.site_id == Site.id)
        .join(User, User.id == Membership.user_id)
        .where(Site.name == DEMO_SITE_NAME, User.email == DEMO_EMAIL)
        .order_by(Site.id)
        .limit(1)
    )


def ensure_demo(session: Session) -> tuple[User, Site]:
    """The demo user and site, created on first call and left as they are afterwards."""
    user, _ = get_or_create_user(session, DEMO_EMAIL, DEMO_PASSWORD)
    site = demo_site(session)
    if site is not None:
        return user, site
    site = create_site(
        session,
        user,
        DEMO_SITE_NAME,
        ["127.0.0.1", "localhost"],
        legal_name="ТОО «Демо Кино»",
        bin="150440012344",
        address="Алматы, пр. Абая, 1",
        contact_email="privacy@demo-kino.kz",
        policy_urls={
            "kk": "https://demo-kino.kz/kk/privacy",
            "ru": "https://demo-kino.kz/ru/privacy",
            "en": "https://demo-kino.kz/en/privacy",
        },
        appearance={"floating_button": True},
        by=None,
    )
    # The page pastes Metrica's own snippet (held by auto-blocking); GA4 is loaded by Kelisim
    # in basic Consent Mode: nothing reaches Google before consent (advanced mode would ping).
    add_service(site, "yandex_metrica", options={"counter_id": "98765432", "webvisor": True})
    add_service(
        site,
        "google_analytics",
        managed=True,
        options={"measurement_id": "G-DEMO123456", "consent_mode": "basic"},
    )
    return user, site
