"""Small factories for test data; they flush, the caller commits."""

import itertools

from backend.extensions import db
from backend.models import Service, Site
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
    site = create_site(db.session, owner, fields.pop("name", f"Site {n}"), domains, **fields)
    db.session.flush()
    return site


def make_service(site: Site, kind: str, **fields) -> Service:
    service = add_service(site, kind, **fields)
    db.session.flush()
    return service
