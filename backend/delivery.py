"""Delivery of what sites publish: each site's snapshot and its widget files, built from the
templates in static/widget/dist/, compressed once, tagged with strong ETags and answered as
the client accepts them.

Building them costs database queries and compression, so each process keeps them for a few
seconds (WIDGET_CACHE_SECONDS) and rebuilds only when the site's config version has moved.
"""

import contextlib
import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import brotli
import sqlalchemy as sa
import zopfli.gzip
from flask import Response, request
from sqlalchemy.orm import Session, selectinload
from werkzeug.http import parse_accept_header

from backend.models import Site, host_matches
from backend.services.publishing import (
    banner_config,
    first_layer_config,
    loader_config,
    public_config,
)

if TYPE_CHECKING:
    from backend.published_files import PublishedFiles

log = logging.getLogger(__name__)
TOKEN = re.compile(rb"__KELISIM_([A-Z]+)__")
ENCODING_SUFFIXES = {"gzip": "gz", "br": "br"}


def file_path(key: str, name: str, language: str | None = None, gpc: bool = False) -> str:
    """Where a widget file is published, relative to the published folder; the layout
    mirrors the URL (/w/<key>.js, /w/<key>/banner.js?l=kk) so a web server can map one to
    the other."""
    if name == "loader":
        return f"w/{key}.js"
    return f"w/{key}/{name}.{language}{'.gpc' if gpc else ''}.js"


@dataclass
class Representation:
    """One response body, compressed on first use into whatever encodings clients ask for."""

    body: bytes

    @classmethod
    def read(cls, path: Path) -> "Representation":
        """A published file, with the .gz and .br written beside it."""
        representation = cls(path.read_bytes())
        for encoding in ("gzip", "br"):
            compressed = path.with_name(f"{path.name}.{ENCODING_SUFFIXES[encoding]}")
            with contextlib.suppress(FileNotFoundError):
                # Set where cached_property keeps its value: no compression on first use.
                representation.__dict__[encoding] = compressed.read_bytes()
        return representation

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()[:32]

    @cached_property
    def gzip(self) -> bytes:
        # Zopfli writes standard gzip about 1 % smaller than zlib's level 9: some 25 B off
        # the loader every page view downloads, for 15-40 ms once per file and snapshot.
        return zopfli.gzip.compress(self.body)

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
    # The folder its widget files were published to, read instead of built; None: build.
    source: Path | None = None
    _files: dict[str, Representation] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, site: Site, config: dict[str, Any]) -> "PublishedSite":
        """A snapshot of ``site`` showing ``config`` (its public config, or a draft's)."""
        return cls(
            id=site.id,
            key=site.public_key,
            version=site.config_version,
            timezone=site.timezone,
            domains=tuple(site.domains),
            allow_subdomains=site.allow_subdomains,
            config=config,
        )

    def origin_allowed(self, hostname: str | None) -> bool:
        return host_matches(hostname, self.domains, self.allow_subdomains)

    def language(self, wanted: str | None) -> str:
        """``wanted`` if the site offers it, else the site's default language."""
        return wanted if wanted in self.config["languages"] else self.config["default_language"]

    def representation(
        self,
        name: str,
        templates: "WidgetTemplates",
        language: str | None = None,
        gpc: bool = False,
    ) -> Representation:
        """The config JSON, the loader, or the banner (or its texts) in one language, for a
        browser with or without Global Privacy Control, each built once per snapshot."""
        key = f"{name}:{language}:{gpc}" if language else name
        if key not in self._files and self.source is not None and name != "config":
            with contextlib.suppress(FileNotFoundError):
                path = self.source / file_path(self.key, name, language, gpc)
                self._files[key] = Representation.read(path)
        if key not in self._files:
            if name == "config":
                body = json_bytes(self.config)
            elif name == "loader":
                managed = (s["kind"] for s in self.config["services"] if s["managed"])
                body = templates.render("kelisim.js", loader_config(self.config), managed)
            else:  # "banner" (its first layer) or "texts" (all of a language)
                pack = first_layer_config if name == "banner" else banner_config
                body = templates.render(f"{name}.js", pack(self.config, language, gpc))
            self._files[key] = Representation(body)
        return self._files[key]


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class WidgetTemplates:
    """The built widget files (static/widget/dist/), with tokens where each site's parts go:
    __KELISIM_CONFIG__ (every file) and __KELISIM_MANAGED__ (the loader: the first calls of
    the managed services' vendors, from managed/<kind>.js)."""

    def __init__(self, directory: Path, reload: bool) -> None:
        self.directory = directory
        self.reload = reload
        self._cache: dict[str, list[bytes]] = {}

    def _read(self, name: str) -> bytes:
        return (self.directory / name).read_bytes().strip()

    def _parts(self, name: str) -> list[bytes]:
        """The file split at its tokens: text, token name, text, token name, ..., text."""
        if self.reload or name not in self._cache:
            self._cache[name] = TOKEN.split(self._read(name))
        return self._cache[name]

    def render(self, name: str, config: dict[str, Any], managed: Iterable[str] = ()) -> bytes:
        values = {b"CONFIG": json_bytes(config), b"MANAGED": self.managed(managed)}
        parts = self._parts(name)
        return b"".join(values[part] if i % 2 else part for i, part in enumerate(parts))

    def managed(self, kinds: Iterable[str]) -> bytes:
        """A JavaScript object of the vendors' first calls, one function per kind."""
        entries = [
            kind.encode() + b":" + self._parts(f"managed/{kind}.js")[0]
            for kind in sorted(set(kinds))
            if (self.directory / "managed" / f"{kind}.js").exists()
        ]
        return b"{" + b",".join(entries) + b"}"


class PublishedSites:
    """Per-process cache of PublishedSite snapshots, checked every `ttl` seconds against
    the published files (no database involved) or, where there are none, the database; a
    new config version replaces the snapshot.

    Without files (development without PUBLIC_URL) snapshots are kept per base URL, which
    then comes from the Host header, so the cache is bounded: made-up hosts evict the least
    recently used entries instead of growing the process without end."""

    def __init__(
        self,
        ttl: float,
        templates: "WidgetTemplates",
        files: "PublishedFiles | None" = None,
        max_entries: int = 1024,
    ) -> None:
        self.ttl = ttl
        self.templates = templates
        self.files = files
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._lock = threading.Lock()  # request threads share the cache (gunicorn gthread)
        self._refreshing: set[str] = set()  # keys being compared with the database

    def get(self, engine: sa.Engine, key: str, base_url: str) -> PublishedSite | None:
        """The site's snapshot, from the cache, its published files or the database; None
        for an unknown key. A site found only in the database is published on the way.

        The database is read in a session of its own, closed at once: a request that then
        waits for its events to be committed must not hold a connection the commit needs."""
        now = time.monotonic()
        cache_key = (key, base_url)
        entry = self._entries.get(cache_key)
        if entry and now - entry.checked < self.ttl:
            return entry.site
        if self.files is not None:
            stamp = self.files.stamp(key)
            if stamp is not None:
                if entry is None or entry.stamp != stamp:
                    entry = _Entry(now, self.files.read(key), stamp)
                self._keep(cache_key, _Entry(now, entry.site, stamp))
                # Another server, or a restored database, may have changed the site since:
                # the database is asked behind the request, never in front of it.
                self._refresh_in_background(engine, key, base_url, entry.site.version)
                return entry.site
        with Session(engine) as session:
            if entry:
                query = sa.select(Site.config_version).where(Site.public_key == key)
                if session.scalar(query) == entry.site.version:
                    self._keep(cache_key, _Entry(now, entry.site))
                    return entry.site
            published = load_site(session, key, base_url)
        if published is None:
            self._entries.pop(cache_key, None)
            return None
        if self.files is not None:
            self.files.write(published, self.templates)
        if self.ttl > 0:
            self._keep(cache_key, _Entry(now, published))
        return published

    def _refresh_in_background(
        self, engine: sa.Engine, key: str, base_url: str, version: int
    ) -> None:
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)
        threading.Thread(
            target=self._refresh,
            args=(engine, key, base_url, version),
            name="kelisim-publish",
            daemon=True,
        ).start()

    def _refresh(self, engine: sa.Engine, key: str, base_url: str, version: int) -> None:
        """Publish the site again if the database has moved past its files (or unpublish
        it if the database no longer has it); with the database down, keep the files."""
        assert self.files is not None
        try:
            with Session(engine) as session:
                query = sa.select(Site.config_version).where(Site.public_key == key)
                current = session.scalar(query)
                if current is None:
                    self.files.remove(key)
                elif current != version:
                    site = load_site(session, key, base_url)
                    if site is not None:
                        self.files.write(site, self.templates)
        except Exception:
            log.warning("Could not compare the files of site %s with the database", key)
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _keep(self, cache_key: tuple[str, str], entry: "_Entry") -> None:
        with self._lock:
            self._entries[cache_key] = entry
            self._entries.move_to_end(cache_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


@dataclass
class _Entry:
    checked: float  # time.monotonic() of the last check
    site: PublishedSite
    stamp: int | None = None  # of the published snapshot file it was read from


def load_site(session: Session, key: str, base_url: str) -> PublishedSite | None:
    """The site's snapshot, from the database."""
    site = session.scalar(
        sa.select(Site).where(Site.public_key == key).options(selectinload(Site.services))
    )
    if site is None:
        return None
    return PublishedSite.of(site, public_config(site, base_url))


@lru_cache(maxsize=256)
def preferred_encoding(accept_encoding: str) -> str:
    """br, gzip or identity, as an Accept-Encoding header allows (browsers send a handful
    of distinct headers, so each is parsed once)."""
    accepted = parse_accept_header(accept_encoding)
    return next((name for name in ("br", "gzip") if accepted[name]), "identity")


def cached_response(representation: Representation, mimetype: str, max_age: int) -> Response:
    """A publicly cacheable answer, compressed as the client accepts, with a strong ETag
    per encoding and a 304 when the client already holds it."""
    encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
    etag = f"{representation.digest}-{encoding}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        body = {"br": representation.br, "gzip": representation.gzip}.get(
            encoding, representation.body
        )
        response = Response(body, mimetype=mimetype)
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Vary"] = "Accept-Encoding"
    return response
