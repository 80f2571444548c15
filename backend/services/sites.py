"""Creating sites, their services and the people who manage them."""

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


def create_site(session: Session, owner: User, name: str, domains: list[str], **fields) -> Site:
    """A new site with its owner; domains are host names without scheme or port."""
    cleaned = sorted({d.strip().lower().rstrip(".") for d in domains if d.strip()})
    if not cleaned or any("/" in d or ":" in d for d in cleaned):
        raise DomainError("Give host names such as example.kz, without scheme or port.")
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
