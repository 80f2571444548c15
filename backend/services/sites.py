"""Creating sites, their services and the people who manage them."""

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import Membership, Role, Service, Site, User
from backend.service_catalog import KINDS
from backend.services import DomainError


def get_or_create_user(session: Session, email: str, password: str) -> tuple[User, bool]:
    """The user with this e-mail, created with this password if new."""
    email = email.strip().lower()
    user = session.scalar(sa.select(User).where(User.email == email))
    if user is not None:
        return user, False
    user = User(email=email)
    user.set_password(password)
    session.add(user)
    return user, True


def is_web_url(url: Any) -> bool:
    """An absolute http(s) URL: what a link shown to visitors may point to."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def create_site(session: Session, owner: User, name: str, domains: list[str], **fields) -> Site:
    """A new site with its owner; domains are host names without scheme or port, policy
    URLs http(s) only."""
    cleaned = sorted({d.strip().lower().rstrip(".") for d in domains if d.strip()})
    if not cleaned or any("/" in d or ":" in d for d in cleaned):
        raise DomainError("Give host names such as example.kz, without scheme or port.")
    policy_urls = fields.get("policy_urls") or {}
    if not all(is_web_url(url) for url in policy_urls.values()):
        raise DomainError("A policy URL starts with https:// or http://.")
    site = Site(name=name, domains=cleaned, **fields)
    site.memberships.append(Membership(user=owner, role=Role.OWNER))
    session.add(site)
    return site


def add_service(site: Site, kind: str, **fields) -> Service:
    """A tracker on a site, in its kind's usual category unless told otherwise."""
    if kind not in KINDS:
        raise DomainError(f"Unknown service kind {kind!r}.")
    fields.setdefault("category", KINDS[kind].default_category)
    service = Service(kind=kind, **fields)
    site.services.append(service)
    return service
