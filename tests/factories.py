"""Small factories for test data; they flush, the caller commits."""

import itertools
import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from backend import create_app
from backend.extensions import db
from backend.models import Service, Site
from backend.schemas.public import EventSchema
from backend.services.consent import EventRow, event_rows, record_events
from backend.services.demo import ensure_demo
from backend.services.sites import add_service, create_site, get_or_create_user

_numbers = itertools.count(1)
IN_SIX_MONTHS = (datetime.now(UTC) + timedelta(days=182)).replace(microsecond=0).isoformat()
EVENT = EventSchema()


def demo_app(directory: str):
    """The app on a fresh SQLite file in ``directory`` with the demo site, as the browser
    tests and bench/screenshots.py serve it; returns the app and the demo site's key."""
    app = create_app(
        {
            "SECRET_KEY": "demo-app-secret-key-for-tests-0123456789-abcdef",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/kelisim.sqlite3",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    with app.app_context():
        db.create_all()
        _, site = ensure_demo(db.session)
        db.session.commit()
        return app, site.public_key


def make_site(**fields) -> Site:
    """A site with an owner and complete operator details; any field can be overridden."""
    n = next(_numbers)
    owner, _ = get_or_create_user(db.session, f"owner{n}@example.kz", "owner-password")
    fields.setdefault("legal_name", f"ТОО «Оператор {n}»")
    fields.setdefault("bin", "150440012344")
    fields.setdefault("address", "Астана, ул. Мәңгілік Ел, 1")
    fields.setdefault("contact_email", f"privacy{n}@example.kz")
    fields.setdefault("policy_urls", {"ru": "https://example.kz/privacy"})
    domains = fields.pop("domains", [f"site{n}.example.kz"])
    site = create_site(
        db.session, owner, fields.pop("name", f"Site {n}"), domains, by=None, **fields
    )
    db.session.flush()
    return site


def make_service(site: Site, kind: str, **fields) -> Service:
    service = add_service(site, kind, **fields)
    db.session.flush()
    return service


def make_event(for_site: Site, **fields) -> dict:
    """A consent event as the widget sends it (JSON values): a new visitor's "Accept all" on
    the first layer in Kazakh, granting analytics and marketing (and the site's services,
    the only ones the API accepts) for six months; any field can be overridden, "site" too."""
    return {
        "site": for_site.public_key,
        "consent_id": str(uuid.uuid4()),
        "action": "accept_all",
        "categories": ["necessary", "analytics", "marketing"],
        "services": [service.slug for service in for_site.services],
        "policy_version": 1,
        "banner_version": 1,
        "texts_hash": "a" * 64,
        "language": "kk",
        "layer": "first",
        "signal": "none",
        "expires_at": IN_SIX_MONTHS,
    } | fields


def make_event_rows(
    site: Site, *events: dict, device: str = "desktop", now: datetime | None = None
) -> list[EventRow]:
    """The consent_events rows of make_event() bodies, validated and anonymized as the API
    does it, received at ``now``."""
    return event_rows(
        {site.public_key: site.id},
        [EVENT.load(event) for event in events],
        device=device,
        id_key=b"k",
        now=now or datetime.now(UTC),
    )


def record_event(site: Site, at: datetime, device: str = "desktop", **fields) -> None:
    """Record one consent event at a moment, through the event writer's own path (no commit)."""
    rows = make_event_rows(site, make_event(site, **fields), device=device, now=at)
    record_events(db.session.connection(), rows, {site.id: site.timezone})


def release_path(client, site_key: str, file: str) -> str:
    """The path of one of the files the site's loader fetches (banner.<lang>.js,
    texts.<lang>.js), in the release the loader names."""
    return urlsplit(loader_files(client.get(f"/w/{site_key}.js").data)).path + file


def loader_files(loader: bytes) -> str:
    """The folder URL a loader fetches its banner and texts from (its config's files, under a
    short key)."""
    return re.search(rb'"(https?://[^"]+/w/[^"/]+/[^"/]+/)"', loader).group(1).decode()


# Rows written straight into the tables, for tests that migrate a database from an older
# revision (0002_dashboard on): the models and services describe only the newest tables.
SITE_ROW = {
    "id": 1, "public_key": "k", "name": "s", "domains": [], "allow_subdomains": False,
    "legal_name": "", "bin": "", "address": "", "contact_email": "", "policy_urls": {},
    "languages": ["ru"], "default_language": "ru", "texts": {}, "appearance": {},
    "respect_dnt": False, "timezone": "Asia/Almaty", "consent_days": 182,
    "retention_months": 36, "policy_version": 1, "reconsent_from": 1, "config_version": 1,
    "revision": 1, "created_at": datetime(2026, 1, 1, tzinfo=UTC),
}  # fmt: skip


def make_event_row(created_at: datetime, **fields) -> dict:
    """A consent_events row of SITE_ROW's site, its columns as of revision 0002_dashboard."""
    return {
        "site_id": 1, "created_at": created_at, "action": "accept_all",
        "categories": ["analytics"], "services": [], "policy_version": 2, "banner_version": 5,
        "texts_hash": None, "language": "ru", "layer": "first", "signal": "none",
        "expires_at": None, "device_class": "mobile", "consent_hash": "h",
    } | fields  # fmt: skip
