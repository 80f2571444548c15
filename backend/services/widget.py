"""What a site publishes to visitors: its public config and the widget files built from it.

Building them costs database queries and compression, so each process keeps them for a few
seconds (WIDGET_CACHE_SECONDS) and rebuilds only when the site's config version has moved.
"""

import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import brotli
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from backend.banner_texts import texts_for
from backend.models import Service, Site, host_matches
from backend.schemas.public import SiteConfigSchema
from backend.service_catalog import describe

CONFIG_TOKEN = b"__KELISIM_CONFIG__"
# What the banner shows; the loader, which every page view downloads, does without it.
BANNER_ONLY_FIELDS = ("operator", "texts", "texts_hash")
INFO_FIELDS = ("name", "provider", "country", "purpose", "term")


@dataclass
class Representation:
    """One response body, compressed on first use into whatever encodings clients ask for."""

    body: bytes

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()[:32]

    @cached_property
    def gzip(self) -> bytes:
        return gzip.compress(self.body, compresslevel=9, mtime=0)

    @cached_property
    def br(self) -> bytes:
        return brotli.compress(self.body, quality=11)


@dataclass(eq=False)  # compared and hashed by identity: one snapshot, one object
class PublishedSite:
    """A snapshot of one site as visitors see it, at one config version."""

    id: int
    key: str
    version: int
    timezone: str
    domains: tuple[str, ...]
    allow_subdomains: bool
    config: dict[str, Any]
    _files: dict[str, Representation] = field(default_factory=dict, repr=False)

    def origin_allowed(self, hostname: str | None) -> bool:
        return host_matches(hostname, self.domains, self.allow_subdomains)

    def representation(self, name: str, templates: "WidgetTemplates") -> Representation:
        """The loader script, the banner script or the config JSON, built once per snapshot."""
        if name not in self._files:
            if name == "config":
                body = json_bytes(self.config)
            elif name == "loader":
                body = templates.render("kelisim.js", loader_config(self.config))
            else:
                body = templates.render("banner.js", self.config)
            self._files[name] = Representation(body)
        return self._files[name]


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def texts_hash(texts: dict[str, str]) -> str:
    """A fingerprint of the exact texts shown, stored with each event as proof."""
    canonical = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def public_config(site: Site, base_url: str) -> dict[str, Any]:
    """Everything the widget needs, and nothing an owner would not publish."""
    base_url = base_url.rstrip("/")
    texts = {lang: texts_for(lang, site.texts.get(lang)) for lang in site.languages}
    return SiteConfigSchema().dump(
        {
            "site": site.public_key,
            "version": site.config_version,
            "api": f"{base_url}/api/v1",
            "banner": f"{base_url}/w/{site.public_key}/banner.js?v={site.config_version}",
            "languages": list(site.languages),
            "default_language": site.default_language,
            "policy": {"version": site.policy_version, "reconsent_from": site.reconsent_from},
            "consent_days": site.consent_days,
            "respect_dnt": site.respect_dnt,
            "appearance": dict(site.appearance),
            "operator": {
                "name": site.legal_name,
                "bin": site.bin,
                "address": site.address,
                "email": site.contact_email,
                "policy_urls": dict(site.policy_urls),
            },
            "services": [_service_config(service, site.languages) for service in site.services],
            "texts": texts,
            "texts_hash": {lang: texts_hash(t) for lang, t in texts.items()},
        }
    )


def _service_config(service: Service, languages: list[str]) -> dict[str, Any]:
    options = dict(service.options)
    info = {}
    for lang in languages:
        described = describe(service.kind, lang)
        # A custom service brings its own description in its options.
        info[lang] = {key: options.get(key) or described[key] for key in INFO_FIELDS}
    cookies = options.pop("cookies", None) or list(describe(service.kind, languages[0])["cookies"])
    for key in INFO_FIELDS:
        options.pop(key, None)
    return {
        "id": service.slug,
        "kind": service.kind,
        "category": service.category,
        "managed": service.managed,
        "options": options,
        "cookies": cookies,
        "info": info,
    }


def loader_config(config: dict[str, Any]) -> dict[str, Any]:
    """The part of the config every page view needs: gating, not banner texts."""
    slim = {key: value for key, value in config.items() if key not in BANNER_ONLY_FIELDS}
    slim["services"] = [
        {key: value for key, value in service.items() if key != "info"}
        for service in config["services"]
    ]
    return slim


class WidgetTemplates:
    """The built widget files, each with one token where the config goes."""

    def __init__(self, directory: Path, reload: bool) -> None:
        self.directory = directory
        self.reload = reload
        self._cache: dict[str, tuple[bytes, bytes]] = {}

    def render(self, name: str, config: dict[str, Any]) -> bytes:
        if self.reload or name not in self._cache:
            source = (self.directory / name).read_bytes()
            head, _, tail = source.partition(CONFIG_TOKEN)
            self._cache[name] = (head, tail)
        head, tail = self._cache[name]
        return head + json_bytes(config) + tail


class PublishedSites:
    """Per-process cache of PublishedSite snapshots, checked against the database every
    `ttl` seconds; a new config version replaces the snapshot.

    Snapshots are kept per base URL, which comes from the Host header unless PUBLIC_URL is
    set, so the cache is bounded: made-up hosts evict the least recently used entries
    instead of growing the process without end."""

    def __init__(self, ttl: float, max_entries: int = 1024) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], tuple[float, PublishedSite]] = OrderedDict()
        self._lock = threading.Lock()  # request threads share the cache (gunicorn gthread)

    def get(self, engine: sa.Engine, key: str, base_url: str) -> PublishedSite | None:
        """The site's snapshot, from the cache or the database; None for an unknown key.

        The database is read in a session of its own, closed at once: a request that then
        waits for its events to be committed must not hold a connection the commit needs."""
        now = time.monotonic()
        cache_key = (key, base_url)
        entry = self._entries.get(cache_key)
        if entry and now - entry[0] < self.ttl:
            return entry[1]
        with Session(engine) as session:
            if entry:
                query = sa.select(Site.config_version).where(Site.public_key == key)
                if session.scalar(query) == entry[1].version:
                    self._keep(cache_key, now, entry[1])
                    return entry[1]
            published = self._load(session, key, base_url)
        if published is None:
            self._entries.pop(cache_key, None)
        elif self.ttl > 0:
            self._keep(cache_key, now, published)
        return published

    def _keep(self, cache_key: tuple[str, str], now: float, published: PublishedSite) -> None:
        with self._lock:
            self._entries[cache_key] = (now, published)
            self._entries.move_to_end(cache_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    @staticmethod
    def _load(session: Session, key: str, base_url: str) -> PublishedSite | None:
        site = session.scalar(
            sa.select(Site).where(Site.public_key == key).options(selectinload(Site.services))
        )
        if site is None:
            return None
        return PublishedSite(
            id=site.id,
            key=site.public_key,
            version=site.config_version,
            timezone=site.timezone,
            domains=tuple(site.domains),
            allow_subdomains=site.allow_subdomains,
            config=public_config(site, base_url),
        )
