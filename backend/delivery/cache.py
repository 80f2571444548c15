"""Each process's cache of the sites' snapshots, so a widget GET costs no database query."""

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backend.delivery.files import PublishedFiles, release_version
from backend.delivery.publisher import Publisher
from backend.delivery.snapshot import PublishedSite, load_site
from backend.delivery.templates import WidgetTemplates
from backend.models import Site

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    checked: float  # time.monotonic() of the last check
    site: PublishedSite


class PublishedSites:
    """Per-process cache of snapshots, checked every `ttl` seconds against the published
    folder (no database involved) or, where there is none, the database; a new config
    version replaces the snapshot.

    A release the loader names but that is no longer current comes from the folder, or,
    without one, from the snapshots this process replaced lately. Without a folder
    (development without PUBLIC_URL) snapshots are kept per base URL, which then comes from
    the Host header, so the cache is bounded: made-up hosts evict the least recently used
    entries instead of growing the process without end."""

    def __init__(
        self,
        ttl: float,
        templates: WidgetTemplates,
        files: PublishedFiles | None = None,
        publisher: Publisher | None = None,
        max_entries: int = 1024,
    ) -> None:
        self.ttl = ttl
        self.templates = templates
        self.files = files
        self.publisher = publisher
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._replaced: OrderedDict[tuple[str, str], PublishedSite] = OrderedDict()
        # Config versions this process committed that its folder may not have yet.
        self._committed: dict[str, int] = {}
        self._lock = threading.Lock()  # request threads share the cache (gunicorn gthread)

    def committed(self, key: str, version: int) -> None:
        """This process committed ``version`` of the site: serve it, not older files."""
        with self._lock:
            self._committed[key] = max(version, self._committed.get(key, 0))
            for (entry_key, _base_url), entry in self._entries.items():
                if entry_key == key:
                    entry.checked = float("-inf")  # checked again on its next use

    def get(self, engine: sa.Engine, key: str, base_url: str) -> PublishedSite | None:
        """The site's current snapshot, from the cache, its published folder or the
        database; None for an unknown key.

        The database is read in a session of its own, closed at once: a request that then
        waits for its events to be committed must not hold a connection the commit needs."""
        now = time.monotonic()
        cache_key = (key, base_url)
        entry = self._entries.get(cache_key)
        if entry and now - entry.checked < self.ttl:
            return entry.site
        if self.files is not None:
            site = self._from_folder(key, entry)
            if site is not None:
                self._keep(cache_key, site, now)
                return site
        with Session(engine) as session:
            if entry:
                query = sa.select(Site.config_version).where(Site.public_key == key)
                try:
                    version = session.scalar(query)
                except SQLAlchemyError:
                    # A database that is down or silent (each wait is bounded) must not
                    # stop the banner: the snapshot this process has is served, and the
                    # next request asks again.
                    log.warning("Serving site %s as cached: database unavailable", key)
                    return entry.site
                if version == entry.site.version:
                    self._keep(cache_key, entry.site, now)
                    return entry.site
            site = load_site(session, key, base_url, self.templates)
        if site is None:
            with self._lock:
                self._entries.pop(cache_key, None)
            return None
        if self.publisher is not None:
            self.publisher.publish(key)  # not in the folder yet: written behind the request
        if self.ttl > 0:
            self._keep(cache_key, site, now)
        return site

    def _from_folder(self, key: str, entry: _Entry | None) -> PublishedSite | None:
        """The current release on disk, unless this process committed a later version."""
        assert self.files is not None and self.publisher is not None
        release = self.files.current(key)
        if release is None:
            return None
        committed = self._committed.get(key)
        if committed is not None:
            if release_version(release) < committed:
                return None
            with self._lock:
                self._committed.pop(key, None)
        site = entry.site if entry and entry.site.release == release else None
        site = site or self.files.read(key, release)
        if site is not None:
            # Another server, or a restored database, may have changed the site since:
            # the database is asked behind the request, never in front of it.
            self.publisher.check(key, site.version)
        return site

    def release(
        self, engine: sa.Engine, key: str, base_url: str, release: str
    ) -> PublishedSite | None:
        """The snapshot of one release of the site, current or left lately; None if it
        is unknown here."""
        site = self.get(engine, key, base_url)
        if site is None or site.release == release:
            return site
        if self.files is not None:
            return self.files.read(key, release)
        return self._replaced.get((key, release))

    def _keep(self, cache_key: tuple[str, str], site: PublishedSite, now: float) -> None:
        with self._lock:
            entry = self._entries.get(cache_key)
            if entry is not None and entry.site is not site:
                self._replaced[(site.key, entry.site.release)] = entry.site
                while len(self._replaced) > self.max_entries:
                    self._replaced.popitem(last=False)
            self._entries[cache_key] = _Entry(now, site)
            self._entries.move_to_end(cache_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
