"""Read tokens for the stats API and shared links to a site's overview: made per site, shown
once, kept only as a hash, revocable; making and revoking them is noted in the audit log."""

import hashlib
import re
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import SITE_KEY_PATTERN, ApiToken, SharedLink, Site, User
from backend.services import DomainError, InvalidInput, UnknownSite
from backend.services.audit import record_change

TOKEN_PREFIX = "kls_"
NAME_MAX = 100


class InvalidToken(DomainError):
    """No token, or one that is unknown or revoked."""


class TokenForAnotherSite(DomainError):
    """A valid token, of another site."""


def token_hash(secret: str) -> str:
    """What is stored of a secret handed out once (a read token, a shared or invitation
    link): enough to recognise it, not to forge it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        message = f"A name has 1 to {NAME_MAX} characters."
        raise InvalidInput(message, fields={"name": message})
    return name


def create_token(session: Session, site: Site, by: User | None, name: str) -> tuple[ApiToken, str]:
    """A new token for the site, made by ``by``, and its secret, which only the caller ever
    sees."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        site=site,
        name=_checked_name(name),
        token_hash=token_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
    )
    session.add(token)
    record_change(session, site, by, "token.create", name=token.name)
    return token, secret


def create_shared_link(
    session: Session, site: Site, by: User | None, name: str, password: str | None
) -> tuple[SharedLink, str]:
    """A new read-only link to the site's overview, made by ``by``, and its secret (the
    link's last part)."""
    secret = secrets.token_urlsafe(24)
    link = SharedLink(site=site, name=_checked_name(name), token_hash=token_hash(secret))
    link.set_password(password)
    session.add(link)
    record_change(session, site, by, "shared_link.create", name=link.name, password=bool(password))
    return link, secret


def shared_links(session: Session, site: Site) -> list[SharedLink]:
    """A site's shared links, newest first, revoked ones too."""
    query = (
        sa.select(SharedLink)
        .where(SharedLink.site_id == site.id)
        .order_by(SharedLink.created_at.desc(), SharedLink.id.desc())
    )
    return list(session.scalars(query))


def shared_link(session: Session, secret: str) -> SharedLink | None:
    """The live (not revoked) link with this secret, if any."""
    return session.scalar(
        sa.select(SharedLink).where(
            SharedLink.token_hash == token_hash(secret), SharedLink.revoked_at.is_(None)
        )
    )


def site_tokens(session: Session, site: Site) -> list[ApiToken]:
    """A site's tokens, newest first, revoked ones too (their names say what was cut off)."""
    query = (
        sa.select(ApiToken)
        .where(ApiToken.site_id == site.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(query))


def revoke_token(
    session: Session, token: ApiToken | SharedLink, by: User | None, now: datetime
) -> bool:
    """Revoke a token or shared link from now on; False if it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now
    action = "token.revoke" if isinstance(token, ApiToken) else "shared_link.revoke"
    record_change(session, token.site, by, action, name=token.name)
    return True


def token_site(session: Session, site_key: str, secret: str | None, today: date) -> Site:
    """The site a request may read with this token, noting the day of use.

    InvalidToken for a missing, unknown or revoked token, UnknownSite for a site key no site
    has, TokenForAnotherSite when the token is another site's."""
    token = None
    if secret and secret.startswith(TOKEN_PREFIX):
        token = session.scalar(
            sa.select(ApiToken).where(
                ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None)
            )
        )
    if token is None:
        raise InvalidToken("Send a valid read token: Authorization: Bearer <token>.")
    site = token.site
    if site.public_key != site_key:
        known = re.fullmatch(SITE_KEY_PATTERN, site_key) and session.scalar(
            sa.select(Site.id).where(Site.public_key == site_key)
        )
        if not known:
            raise UnknownSite(f"No site has the key {site_key!r}.")
        raise TokenForAnotherSite("This token reads another site's stats.")
    if token.last_used_on != today:  # one write a day, not one a request
        token.last_used_on = today
    return site
