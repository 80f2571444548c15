"""Small factories for test data; they flush, the caller commits."""

import itertools
import re
import uuid
from datetime import datetime
from urllib.parse import urlsplit

from backend.extensions import db
from backend.models import Service, Site
from backend.services.consent import event_rows, record_events
from backend.services.sites import add_service, create_site, get_or_create_user

_numbers = itertools.count(1)


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


def record_event(site: Site, at: datetime, device: str = "desktop", **fields) -> None:
    """Record one consent event at a moment, through the event writer's own path (no commit)."""
    event = {
        "site": site.public_key, "consent_id": uuid.uuid4(), "action": "accept_all",
        "categories": ["necessary", "analytics"], "services": [], "policy_version": 1,
        "banner_version": 1, "texts_hash": "a" * 64, "language": "ru", "layer": "first",
        "signal": "none", "expires_at": None,
    } | fields  # fmt: skip
    rows = event_rows({site.public_key: site.id}, [event], device=device, id_key=b"k", now=at)
    record_events(db.session.connection(), rows, {site.id: site.timezone})


def release_path(client, site_key: str, file: str) -> str:
    """The path of one of the files the site's loader fetches (banner.<lang>.js,
    texts.<lang>.js), in the release the loader names."""
    loader = client.get(f"/w/{site_key}.js").data.decode()
    files = re.search(r'"files":"([^"]+)"', loader).group(1)
    return urlsplit(files).path + file
