"""Published widget files on disk: written on every publish, then read by the web server
(nginx, see docs/deploy.md) or by the app, neither of which asks the database.

Under KELISIM_PUBLISHED_DIR (default: `published/` in the instance folder):
- `w/<key>.js`, `w/<key>/banner.<lang>[.gpc].js`, `w/<key>/texts.<lang>[.gpc].js`: the widget
  files as /w/ serves them, each beside its `.gz` and `.br` for nginx's gzip_static;
- `sites/<key>.json`: the snapshot (config, domains, time zone), not public. It is written
  last, so a snapshot on disk always has its files.

"Publish" is any commit that changes what a site's visitors see: a new site, or one whose
config version rose (models._bump_config_versions). A change committed by another server
(with a folder of its own) or a restored database is caught behind the requests
(delivery.PublishedSites). Files are written only where KELISIM_PUBLIC_URL is set, since
the URLs inside them must never come from a Host header.
"""

import contextlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from backend.delivery import (
    ENCODING_SUFFIXES,
    PublishedSite,
    WidgetTemplates,
    file_path,
    load_site,
)
from backend.extensions import db
from backend.models import Site

log = logging.getLogger(__name__)
SNAPSHOT_FIELDS = ("id", "key", "version", "timezone", "domains", "allow_subdomains", "config")
TO_PUBLISH = "kelisim.publish"
TO_REMOVE = "kelisim.unpublish"


class PublishedFiles:
    """The published folder: each site's widget files and its snapshot."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _snapshot(self, key: str) -> Path:
        return self.directory / "sites" / f"{key}.json"

    def stamp(self, key: str) -> int | None:
        """A value that changes whenever the site is published again; None if it never was."""
        try:
            return self._snapshot(key).stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def read(self, key: str) -> PublishedSite:
        """The site's published snapshot, its files read from disk as they are asked for."""
        data = json.loads(self._snapshot(key).read_bytes())
        data["domains"] = tuple(data["domains"])
        return PublishedSite(**data, source=self.directory)

    def write(self, site: PublishedSite, templates: WidgetTemplates) -> None:
        """Write every file of the site, then its snapshot."""
        for name, language, gpc in widget_files(site.config):
            representation = site.representation(name, templates, language, gpc)
            path = self.directory / file_path(site.key, name, language, gpc)
            _write(path, representation.body)
            for encoding, suffix in ENCODING_SUFFIXES.items():
                _write(path.with_name(f"{path.name}.{suffix}"), getattr(representation, encoding))
        snapshot = {name: getattr(site, name) for name in SNAPSHOT_FIELDS}
        _write(self._snapshot(site.key), json.dumps(snapshot, ensure_ascii=False).encode())

    def remove(self, key: str) -> None:
        """Unpublish a deleted site: its snapshot first, so nothing serves half of it."""
        self._snapshot(key).unlink(missing_ok=True)
        shutil.rmtree(self.directory / "w" / key, ignore_errors=True)
        loader = self.directory / file_path(key, "loader")
        for path in (loader, *(loader.with_name(f"{loader.name}.{s}") for s in ("gz", "br"))):
            path.unlink(missing_ok=True)


def widget_files(config: dict[str, Any]) -> list[tuple[str, str | None, bool]]:
    """(name, language, gpc) of every file a site publishes."""
    files: list[tuple[str, str | None, bool]] = [("loader", None, False)]
    for language in config["languages"]:
        for name in ("banner", "texts"):
            files += [(name, language, False), (name, language, True)]
    return files


def _write(path: Path, data: bytes) -> None:
    """Replace the file at once: a reader sees the old bytes or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # the web server reads them
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def publish_sites(files: PublishedFiles, keys: set[str], removed: set[str]) -> None:
    """Write the files of these sites as the database now has them."""
    base_url = current_app.config["PUBLIC_URL"]
    templates = current_app.extensions["kelisim.templates"]
    with Session(db.engine) as session:
        for key in sorted(keys - removed):
            site = load_site(session, key, base_url)
            if site is not None:
                files.write(site, templates)
    for key in removed:
        files.remove(key)


def _collect(session: Session, flush_context: Any) -> None:
    """Note the sites this flush changed for visitors (published once committed)."""
    for site in (*session.new, *session.dirty):
        if isinstance(site, Site) and (
            site in session.new or sa.inspect(site).attrs.config_version.history.has_changes()
        ):
            session.info.setdefault(TO_PUBLISH, set()).add(site.public_key)
    for site in session.deleted:
        if isinstance(site, Site):
            session.info.setdefault(TO_REMOVE, set()).add(site.public_key)


def _publish_committed(session: Session) -> None:
    keys, removed = session.info.pop(TO_PUBLISH, set()), session.info.pop(TO_REMOVE, set())
    if not (keys or removed) or not has_app_context():
        return
    files: PublishedFiles | None = current_app.extensions.get("kelisim.files")
    if files is None:
        return
    try:
        publish_sites(files, keys, removed)
    except Exception:
        # The change is committed; `flask --app wsgi publish-files` writes the files again.
        log.exception("Could not publish the widget files of %s", ", ".join(sorted(keys)))


def _forget(session: Session) -> None:
    session.info.pop(TO_PUBLISH, None)
    session.info.pop(TO_REMOVE, None)


def init_app(app: Flask) -> PublishedFiles | None:
    """The published folder where PUBLIC_URL is set, and publishing on every commit."""
    files = None
    if app.config["PUBLIC_URL"]:
        directory = app.config["PUBLISHED_DIR"] or Path(app.instance_path) / "published"
        files = app.extensions["kelisim.files"] = PublishedFiles(Path(directory))
    for name, listener in (
        ("after_flush", _collect),
        ("after_commit", _publish_committed),
        ("after_rollback", _forget),
    ):
        if not sa.event.contains(db.session, name, listener):
            sa.event.listen(db.session, name, listener)
    return files
