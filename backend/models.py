"""Database models: sites and their services, policy versions, anonymized consent events,
daily aggregates, and dashboard users with their site roles."""

import enum
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from backend.extensions import db

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite autoincrements INTEGER only

LANGUAGES = ("kk", "ru", "en")  # what the banner and the dashboard speak
CATEGORIES = ("necessary", "analytics", "marketing", "functional")
OPTIONAL_CATEGORIES = CATEGORIES[1:]
ACTIONS = ("shown", "accept_all", "reject_all", "custom", "withdraw", "gpc")
DECISIONS = ("accept_all", "reject_all", "custom")
# Where a decision was made: the banner's layers, or an embed's placeholder ("always allow").
LAYERS = ("first", "settings", "placeholder")
SIGNALS = ("none", "gpc", "dnt")
MAX_CONSENT_DAYS = 395  # 13 months, the longest a decision may be kept
# What tells one decision from another: the visitor, the action and its expiry, which holds
# the second the decision was made (the widget sends an expiry with every decision; two of
# one visitor's decisions with the same action in the same second are the same click).
DECISION_COLUMNS = ("site_id", "consent_hash", "action", "expires_at")


class UTCDateTime(sa.TypeDecorator):
    """A moment in UTC, read back aware on SQLite too (which keeps no time zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("Naive datetimes are ambiguous; pass an aware one.")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


# Public keys are URL-safe base64 (token_urlsafe); anything else cannot name a site, and is
# turned away before it reaches the database (PostgreSQL rejects NUL bytes with an error).
SITE_KEY_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
# The largest integer PostgreSQL's `integer` holds: every id and version column.
MAX_INT = 2**31 - 1


def new_public_key() -> str:
    """A site's public key: 16 URL-safe characters, never a leading "-", which a command
    line would take for an option (`flask site export KEY`: one key in 64 did)."""
    while (key := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return key


class Site(db.Model):
    """A website that embeds the widget, with its operator details and banner settings."""

    __tablename__ = "sites"
    __table_args__ = (
        sa.CheckConstraint(f"consent_days BETWEEN 1 AND {MAX_CONSENT_DAYS}", name="consent_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_key)
    name: Mapped[str] = mapped_column(sa.String(200))
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    allow_subdomains: Mapped[bool] = mapped_column(default=False)

    legal_name: Mapped[str] = mapped_column(sa.String(300), default="")
    bin: Mapped[str] = mapped_column(sa.String(12), default="")
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    policy_urls: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["kk", "ru", "en"])
    default_language: Mapped[str] = mapped_column(sa.String(8), default="ru")
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    appearance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    respect_dnt: Mapped[bool] = mapped_column(default=False)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Almaty")

    consent_days: Mapped[int] = mapped_column(default=182)
    retention_months: Mapped[int] = mapped_column(default=36)
    policy_version: Mapped[int] = mapped_column(default=1)
    # A decision made under an older policy version than this one must be asked again.
    reconsent_from: Mapped[int] = mapped_column(default=1)
    # Rises whenever what the widget shows, or the snapshot it is served from, changes:
    # the number of the site's banner version (services/versions.publish_changes).
    config_version: Mapped[int] = mapped_column(default=1)
    # Rises with every write of this row (SQLAlchemy's version counter), so a form saved over
    # someone else's newer change is noticed; a change of a service visitors see raises
    # config_version, and so this too.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    services: Mapped[list["Service"]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="Service.position, Service.id"
    )
    policies: Mapped[list["PolicyVersion"]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="PolicyVersion.version"
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="site", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": revision}

    def publish_policy(self, requires_consent: bool, note: str = "") -> "PolicyVersion":
        """Publish the next policy version; a significant one asks every visitor again."""
        policy = PolicyVersion(
            version=self.policy_version + 1, requires_consent=requires_consent, note=note
        )
        self.policies.append(policy)
        self.policy_version = policy.version
        if requires_consent:
            self.reconsent_from = policy.version
        return policy


def host_matches(hostname: str | None, domains: Sequence[str], allow_subdomains: bool) -> bool:
    """A host is one of the domains, or below one of them where subdomains are allowed."""
    if not hostname:
        return False
    hostname = hostname.lower().rstrip(".")
    return any(
        hostname == domain or (allow_subdomains and hostname.endswith("." + domain))
        for domain in domains
    )


class Service(db.Model):
    """A tracker or other third-party service on a site, gated by one consent category."""

    __tablename__ = "services"
    __table_args__ = (sa.UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    # The name pages use in data-consent="…" and the widget uses in decisions.
    slug: Mapped[str] = mapped_column(sa.String(64))
    category: Mapped[str] = mapped_column(sa.String(16))
    # True: the widget loads the service itself; False: the operator's own snippet is held.
    managed: Mapped[bool] = mapped_column(default=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)

    site: Mapped[Site] = relationship(back_populates="services")


@event.listens_for(Service, "init")
def _default_slug(target: Service, args: tuple, kwargs: dict) -> None:
    kwargs.setdefault("slug", kwargs.get("kind"))


class PolicyVersion(db.Model):
    """A published version of a site's privacy policy."""

    __tablename__ = "policy_versions"
    __table_args__ = (sa.UniqueConstraint("site_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    version: Mapped[int]
    requires_consent: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    site: Mapped[Site] = relationship(back_populates="policies")


class ConsentEvent(db.Model):
    """One anonymized consent event: exactly the fields DESIGN.md allows, nothing more."""

    __tablename__ = "consent_events"
    __table_args__ = (
        sa.Index("ix_consent_events_site_created", "site_id", "created_at"),
        # One row per decision, however often it is sent and by however many workers at
        # once: a decision sent again because its answer never came may reach another
        # worker while the first send still waits in an uncommitted batch, and only the
        # database sees both. NULLs are distinct, so events without an expiry or a consent
        # hash ('shown') are never refused. Its first two columns find a visitor's events
        # (receipts), so an insert updates no more indexes than before (a partial index
        # beside it was dearer: bench/README.md, "The decision index").
        sa.Index("uq_consent_events_decision", *DECISION_COLUMNS, unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(sa.String(16))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    policy_version: Mapped[int]
    banner_version: Mapped[int]
    texts_hash: Mapped[str | None] = mapped_column(sa.String(64))
    language: Mapped[str] = mapped_column(sa.String(8))
    layer: Mapped[str] = mapped_column(sa.String(16))
    signal: Mapped[str] = mapped_column(sa.String(8))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    device_class: Mapped[str] = mapped_column(sa.String(16))
    # HMAC of the visitor's random consent ID; the ID itself is never stored. None for an
    # impression ("shown"): the ID is made with the first decision.
    consent_hash: Mapped[str | None] = mapped_column(sa.String(64))


# What daily rows counted before they were kept per version, layer and signal, from events
# purged since: such counts stay, under these values (0 is no version a site publishes).
UNKNOWN_VERSION = 0
UNKNOWN = "unknown"
# What a daily row is counted by, besides its site and local day.
DIMENSIONS = (
    "language", "device_class", "policy_version", "banner_version", "layer", "signal",
)  # fmt: skip
# The periods stats are summed by ("total": the whole range asked for).
INTERVALS = ("day", "week", "month", "total")


class DailyStat(db.Model):
    """Event counts per site, local day, language, device class, policy and banner version,
    layer and signal; holds no identifiers."""

    __tablename__ = "daily_stats"
    __table_args__ = (
        sa.UniqueConstraint(
            "site_id", "day", "language", "device_class", "policy_version", "banner_version",
            "layer", "signal", name="uq_daily_stats_key",
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    day: Mapped[date]
    language: Mapped[str] = mapped_column(sa.String(8))
    device_class: Mapped[str] = mapped_column(sa.String(16))
    policy_version: Mapped[int]
    banner_version: Mapped[int]
    layer: Mapped[str] = mapped_column(sa.String(16))
    signal: Mapped[str] = mapped_column(sa.String(8))
    shown: Mapped[int] = mapped_column(default=0)
    accept_all: Mapped[int] = mapped_column(default=0)
    reject_all: Mapped[int] = mapped_column(default=0)
    custom: Mapped[int] = mapped_column(default=0)
    withdraw: Mapped[int] = mapped_column(default=0)
    gpc: Mapped[int] = mapped_column(default=0)
    # Decisions (accept_all, reject_all, custom) that granted the category.
    granted_analytics: Mapped[int] = mapped_column(default=0)
    granted_marketing: Mapped[int] = mapped_column(default=0)
    granted_functional: Mapped[int] = mapped_column(default=0)


class ApiToken(db.Model):
    """A named read token with which analysts' scripts fetch one site's stats.

    Only a hash is kept: the token itself is shown once, when it is made."""

    __tablename__ = "api_tokens"
    __table_args__ = (sa.Index("ix_api_tokens_site", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    # SHA-256 of the token: tokens are 256 random bits, so a fast hash cannot be guessed back.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The token's first characters, so that people tell their tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_on: Mapped[date | None]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    site: Mapped[Site] = relationship()


class SharedLink(db.Model):
    """A read-only link to a site's overview for people without an account, optionally
    behind a password; only hashes of the link's secret and of the password are kept."""

    __tablename__ = "shared_links"
    __table_args__ = (sa.Index("ix_shared_links_site", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    site: Mapped[Site] = relationship()

    def set_password(self, password: str | None) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method) if password else None

    def check_password(self, password: str) -> bool:
        return self.password_hash is None or check_password_hash(self.password_hash, password)


class Role(enum.StrEnum):
    """What a member may do on a site; each role may do everything the ones below it may."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"

    @property
    def rank(self) -> int:
        return ROLE_RANKS[self]

    def allows(self, needed: "Role") -> bool:
        return self.rank >= needed.rank


ROLE_RANKS = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person who signs in to the dashboard."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # The dashboard's language this user chose (kk, ru, en); None: the browser's.
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # Part of every session's user id (get_id): a new one ends all the user's sessions.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """Flask-Login's "alternative id": sessions opened before a password change no
        longer match it."""
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        """Set a new password; every session signed in with the old one ends."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()
        self.password_changed_at = utcnow()

    def end_sessions(self) -> None:
        """End every session of this user: a copy of a session cookie opens nothing more.
        (Sessions are signed cookies; the token they carry is what the server can take
        back.)"""
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Membership(db.Model):
    """A user's role on one site."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=16))

    user: Mapped[User] = relationship(back_populates="memberships")
    site: Mapped[Site] = relationship(back_populates="memberships")


class AuditEntry(db.Model):
    """Who changed what on a site, and when; owners read these in the dashboard."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_site_created", "site_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    # Kept when the user is deleted: the entry still says what happened.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A dotted name such as "site.update", "service.add", "member.invite".
    action: Mapped[str] = mapped_column(sa.String(64))
    # What changed: field names with old and new values, or the object concerned.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    site: Mapped[Site] = relationship()
    user: Mapped[User | None] = relationship()


class Invitation(db.Model):
    """A link that lets one person join a site with a role, once, until it expires."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the token in the link: the token is shown once to the owner, never stored,
    # so a copy of the database lets nobody join a site.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # When set, only the account with this e-mail may accept.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=16))
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    site: Mapped[Site] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: datetime) -> str:
        """ "pending" while it can be accepted, else "accepted", "revoked" or "expired"."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "pending" if now < self.expires_at else "expired"


class BannerVersion(db.Model):
    """What visitors were shown at one config version of a site: the public config and the
    texts of each language with their hashes. Written once, never changed; kept while any
    event refers to it (retention keeps them all, see backend/services/retention.py)."""

    __tablename__ = "banner_versions"
    __table_args__ = (sa.UniqueConstraint("site_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    # The site's config_version when published: what events carry as banner_version.
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who made the change, as the audit log of the same transaction says (None: the system).
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The public config without texts and without the URLs of the server that served it.
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)
    texts_hash: Mapped[dict[str, str]] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()


class RefusedOrigin(db.Model):
    """Events refused because their page's host is not one of the site's domains, counted
    per local day and host so the owner can see them. Never an IP, a path or a query."""

    __tablename__ = "refused_origins"
    __table_args__ = (sa.UniqueConstraint("site_id", "day", "host"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    day: Mapped[date]
    # The Origin's host name ("" when the request carried no usable Origin).
    host: Mapped[str] = mapped_column(sa.String(253))
    count: Mapped[int] = mapped_column(default=0)


class FoundTracker(db.Model):
    """Known trackers that the widget held on a site's pages though the site does not
    configure them, counted per local day and catalog kind (never a URL) for the owner."""

    __tablename__ = "found_trackers"
    __table_args__ = (sa.UniqueConstraint("site_id", "day", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(32))
    # Banners shown that reported the kind.
    count: Mapped[int] = mapped_column(default=0)


class DocumentInputs(db.Model):
    """What only a site's owner knows for its documents (privacy policy, consent, cookie
    declaration): where the site is hosted, its forms, its protection measures, how it
    answers requests, and sections of its own. Everything else comes from the site."""

    __tablename__ = "document_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), unique=True)
    hosting_provider: Mapped[str] = mapped_column(sa.String(300), default="")
    # An ISO 3166 alpha-2 code in lower case ("kz"), "" while unknown.
    hosting_country: Mapped[str] = mapped_column(sa.String(2), default="")
    hosting_city: Mapped[str] = mapped_column(sa.String(100), default="")
    # The operator's phone for requests (the e-mail is the site's contact_email).
    contact_phone: Mapped[str] = mapped_column(sa.String(50), default="")
    # [{"name", "fields": [data kinds], "purpose", "storage_months", "recipients"}]
    forms: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Protection measures, as the keys the documents' texts name.
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The subject line requests about personal data are to carry, and the days they take.
    request_subject: Mapped[str] = mapped_column(sa.String(200), default="")
    request_days: Mapped[int | None]
    # [{"language", "title", "text"}]: sections the owner adds to the policy in one language.
    extra_sections: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Rises with every write, so a form saved over someone else's newer change is noticed.
    revision: Mapped[int] = mapped_column(default=1)

    site: Mapped[Site] = relationship()

    __mapper_args__ = {"version_id_col": revision}
