"""Creating, changing and deleting sites, their services and the people who manage them.

Each change is noted in the site's audit log here, with the person who made it (None: the
command line or the system), so that no caller can forget to."""

import re
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from backend.models import Membership, PolicyVersion, Role, Service, Site, User
from backend.service_catalog import KINDS
from backend.services import InvalidInput
from backend.services.audit import changed_fields, record_change


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


def web_address_problem(url: Any) -> LazyString | None:
    """What is wrong with a link shown to visitors (a policy's address), or None: a
    javascript: or data: link never reaches a banner."""
    if not is_web_url(url):
        return _l("Give a web address starting with https:// or http://.")
    return None


HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def host_name(text: str) -> str:
    """A domain as the widget compares it with a page's host: lower case, punycode for
    Cyrillic and other international names (the browser's Origin carries punycode)."""
    name = text.strip().lower().rstrip(".")
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_name = ""
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or not all(HOST_LABEL.fullmatch(label) for label in labels):
        raise InvalidInput(
            f"{text.strip()!r} is not a host name such as example.kz (no scheme, port or path)."
        )
    return ascii_name


def create_site(
    session: Session, owner: User, name: str, domains: list[str], *, by: User | None, **fields
) -> Site:
    """A new site with its owner, made by ``by``; domains are host names without scheme or
    port, policy URLs http(s) only."""
    cleaned = sorted({host_name(d) for d in domains if d.strip()})
    if not cleaned:
        raise InvalidInput("Give host names such as example.kz, without scheme or port.")
    _check_policy_urls(fields.get("policy_urls") or {})
    site = Site(name=name, domains=cleaned, **fields)
    site.memberships.append(Membership(user=owner, role=Role.OWNER))
    session.add(site)
    record_change(session, site, by, "site.create", name=site.name, domains=site.domains)
    return site


def add_service(site: Site, kind: str, **fields) -> Service:
    """A tracker on a site, in its kind's usual category unless told otherwise."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown service kind {kind!r}.")
    fields.setdefault("category", KINDS[kind].default_category)
    service = Service(kind=kind, **fields)
    site.services.append(service)
    return service


def _check_policy_urls(policy_urls: dict[str, str]) -> None:
    if not all(is_web_url(url) for url in policy_urls.values()):
        raise InvalidInput("A policy URL starts with https:// or http://.")


def update_site(session: Session, site: Site, by: User | None, **values: Any) -> dict[str, list]:
    """Set the site's settings; returns the ones that changed as {field: [old, new]}."""
    _check_policy_urls(values.get("policy_urls") or {})
    before = {name: getattr(site, name) for name in values}
    changes = changed_fields(before, values)
    for name in changes:
        setattr(site, name, values[name])
    if changes:
        record_change(session, site, by, "site.update", fields=changes)
    return changes


def publish_policy(
    session: Session, site: Site, by: User | None, requires_consent: bool, note: str = ""
) -> PolicyVersion:
    """Publish the site's next policy version; one that requires new consent asks every
    visitor again."""
    policy = site.publish_policy(requires_consent, note)
    record_change(
        session, site, by, "policy.publish", version=policy.version,
        requires_consent=policy.requires_consent, note=policy.note,
    )  # fmt: skip
    return policy


def delete_site(session: Session, site: Site) -> None:
    """Delete the site for good, with its consent events, daily aggregates, versions, members
    and invitations (the foreign keys cascade), so its widget answers 404 from then on."""
    session.delete(site)
