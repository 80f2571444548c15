"""Banner versions: what visitors were shown at each config version of a site, kept as proof
that an event's banner_version and texts_hash stand for these exact words."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer, selectinload

from backend.models import BannerVersion, ConsentEvent, Site
from backend.services.publishing import (
    banner_config,
    operator_line,
    public_config,
    shown_appearance,
)

# The banner's texts a receipt shows, in the order the visitor met them.
RECEIPT_TEXTS = ("title", "description", "accept_all", "reject_all", "settings", "save")


def publish_changes(
    session: Session, site: Site, user_id: int | None = None, snapshot_moved: bool = False
) -> bool:
    """Publish a banner version of the site's config if its visitors would now see other
    words or settings than its current version has (or it has none yet), or if what else
    its snapshot carries moved (``snapshot_moved``: domains, time zone); True if one was
    published, under a config version one higher than before (a new site's first: 1).

    The one step every publish goes through: backend/publication.py calls it before every
    commit that touched a site, `flask publish-versions` after an upgrade (the default
    texts come from the catalogs, so an upgrade can change the words visitors see). Needs
    an app context (the default texts are translated with flask-babel)."""
    current = session.scalar(
        sa.select(BannerVersion)
        .where(BannerVersion.site_id == site.id, BannerVersion.version == site.config_version)
        .options(defer(BannerVersion.texts))
    )
    config, texts, hashes = _published_now(site)
    if current is not None:
        if not snapshot_moved and (config, hashes) == (current.config, current.texts_hash):
            return False
        site.config_version += 1
        config["version"] = site.config_version
    version = BannerVersion(site_id=site.id, version=site.config_version, user_id=user_id)
    version.config, version.texts, version.texts_hash = config, texts, hashes
    session.add(version)
    return True


def _published_now(site: Site) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The site's public config as its widget would serve it now: config, texts, hashes."""
    config = public_config(site, base_url="")
    del config["api"]  # where the widget was served from is the server's, not the site's
    return config, config.pop("texts"), config.pop("texts_hash")


def republish_outdated(session: Session) -> list[Site]:
    """Publish a banner version of every site whose widget would now show something else
    than its current version says (run after each upgrade: the migrate step of the
    Makefile does); the sites published."""
    sites = session.scalars(sa.select(Site).options(selectinload(Site.services)))
    return [site for site in sites if publish_changes(session, site)]


# Config keys that name the version rather than say what visitors see.
IDENTITY_KEYS = {"site", "version"}


def changed_parts(before: BannerVersion, after: BannerVersion) -> list[str]:
    """What differs from the version before: config keys, and "texts:<language>" for each
    language whose texts changed. Empty when nothing a visitor sees changed."""
    keys = sorted((set(before.config) | set(after.config)) - IDENTITY_KEYS)
    parts = [
        key
        for key in keys
        if _seen(key, before.config.get(key)) != _seen(key, after.config.get(key))
    ]
    languages = sorted(set(before.texts_hash) | set(after.texts_hash))
    parts += [
        f"texts:{lang}"
        for lang in languages
        if before.texts_hash.get(lang) != after.texts_hash.get(lang)
    ]
    return parts


def _seen(key: str, value: Any) -> Any:
    """A config value as visitors meet it: an appearance with its defaults filled in (older
    versions stored only what the owner had set, later ones every key of the form)."""
    return shown_appearance(value or {}) if key == "appearance" else value


def changes_of(
    session: Session, site: Site, versions: Sequence[BannerVersion]
) -> list[list[str] | None]:
    """What each of consecutive versions (newest first) changed from the one before it;
    None for the site's first version. One query, for the version before the oldest."""
    if not versions:
        return []
    before_oldest = session.scalar(
        sa.select(BannerVersion)
        .where(BannerVersion.site_id == site.id, BannerVersion.version < versions[-1].version)
        .options(defer(BannerVersion.texts))
        .order_by(BannerVersion.version.desc())
        .limit(1)
    )
    previous = [*versions[1:], before_oldest]
    return [
        None if before is None else changed_parts(before, version)
        for version, before in zip(versions, previous, strict=True)
    ]


def banner_texts(version: BannerVersion, language: str) -> dict[str, str]:
    """The texts of the banner as visitors of this version saw them in ``language``: the
    main ones as the owner wrote or left them, and the legal notice and the operator line
    as the server filled them in."""
    texts = version.texts[language]
    config = {**version.config, "texts": version.texts, "texts_hash": version.texts_hash}
    pack = banner_config({**config, "api": ""}, language)
    shown = {key: texts[key] for key in RECEIPT_TEXTS if key in texts}
    shown["legal"] = pack["legal"]
    shown["operator"] = operator_line(texts, config["operator"])
    return shown


@dataclass
class ReceiptLine:
    """One event of a visitor's history, with the banner version it was made on."""

    event: ConsentEvent
    version: BannerVersion | None
    texts: dict[str, str] | None

    @property
    def hash_matches(self) -> bool:
        """The texts the browser said it showed are the texts this version has."""
        return self.version is not None and self.event.texts_hash == self.version.texts_hash.get(
            self.event.language
        )


def resolve_receipt(
    session: Session, site: Site, events: Sequence[ConsentEvent]
) -> list[ReceiptLine]:
    """Each event of a receipt with its banner version and the texts in its language (one
    query for all the versions)."""
    numbers = {event.banner_version for event in events}
    versions = {
        version.version: version
        for version in session.scalars(
            sa.select(BannerVersion).where(
                BannerVersion.site_id == site.id, BannerVersion.version.in_(numbers)
            )
        )
    }
    lines = []
    for event in events:
        version = versions.get(event.banner_version)
        texts: dict[str, Any] | None = None
        if version is not None and event.language in version.texts:
            texts = banner_texts(version, event.language)
        lines.append(ReceiptLine(event, version, texts))
    return lines
