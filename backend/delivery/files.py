"""The published folder: each site's releases on disk, which the web server (nginx, see
docs/deploy.md) or the app serves without asking the database.

Under KELISIM_PUBLISHED_DIR (default: `published/` in the instance folder):
- `w/<key>/<release>/loader.js`, `banner.<lang>.js`, `texts.<lang>.js`: the widget files,
  each beside its `.gz` and `.br` for nginx's gzip_static;
- `w/<key>/<release>/site.json`: the snapshot (config, domains, time zone), not public;
- `w/<key>/current`: a symbolic link to the release the loader URL (/w/<key>.js) serves.

A release is written whole into a folder of its own, then `current` is pointed at it by one
rename: a reader sees the old files or the new ones, never a new file beside a stale
compressed copy, nor a new loader beside an old banner. A release `current` has left is kept
for a day (KEEP_SECONDS), while loaders cached in browsers may still ask for its banner.
Files are written only where KELISIM_PUBLIC_URL is set: the URLs inside them must never come
from a Host header.
"""

import contextlib
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from backend.delivery.compression import Representation
from backend.delivery.snapshot import PublishedSite
from backend.delivery.templates import WidgetTemplates

CURRENT = "current"
SNAPSHOT = "site.json"
KEEP_SECONDS = 86400
# A folder left by a writer that died before it could rename it.
ABANDONED_SECONDS = 3600


def release_version(release: str) -> int:
    return int(release.partition("-")[0])


class PublishedFiles:
    """The published folder: each site's releases, and which one is current."""

    def __init__(self, directory: Path, templates: WidgetTemplates) -> None:
        self.directory = directory
        self.templates = templates

    def _site_folder(self, key: str) -> Path:
        return self.directory / "w" / key

    def current(self, key: str) -> str | None:
        """The name of the site's current release; None if it was never published."""
        try:
            return os.readlink(self._site_folder(key) / CURRENT)
        except OSError:
            return None

    def read(self, key: str, release: str) -> PublishedSite | None:
        """A release's snapshot, its files read from disk as they are asked for; None if
        the release is not (or no longer) on disk."""
        folder = self._site_folder(key) / release
        try:
            data = (folder / SNAPSHOT).read_bytes()
        except OSError:
            return None
        return PublishedSite.from_snapshot(data, self.templates, folder)

    def write(self, site: PublishedSite) -> bool:
        """Write the site's release, unless it is on disk already, and make it current;
        False (and nothing made current) when a newer release is current already."""
        site_folder = self._site_folder(site.key)
        site_folder.mkdir(parents=True, exist_ok=True)
        folder = site_folder / site.release
        if not (folder / SNAPSHOT).exists():
            self._write_release(site, folder)
        current = self.current(site.key)
        if current == site.release:
            return True
        if current is not None and release_version(current) > site.version:
            return False  # another writer was quicker with a later change
        link = site_folder / f".{CURRENT}-{secrets.token_hex(4)}"
        os.symlink(site.release, link)
        os.replace(link, site_folder / CURRENT)
        if current is not None:
            with contextlib.suppress(FileNotFoundError):
                os.utime(site_folder / current)  # left now: kept from now on
        self._prune(site_folder, keep={site.release})
        return True

    def _write_release(self, site: PublishedSite, folder: Path) -> None:
        """Every file of the release and its snapshot, in a folder renamed into place."""
        temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".new-"))
        try:
            for name in site.file_names():
                file = site.file(name)
                assert file is not None
                Representation(file.body, thorough=True).write(temporary / name)
            (temporary / SNAPSHOT).write_bytes(site.snapshot())
            for path in temporary.iterdir():
                path.chmod(0o644)  # the web server reads them
            temporary.chmod(0o755)
            os.rename(temporary, folder)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            # Another process wrote the same release first: its files are these bytes.
            if not (folder / SNAPSHOT).exists():
                raise

    def _prune(self, site_folder: Path, keep: set[str]) -> None:
        """Remove the releases left more than a day ago and abandoned folders."""
        now = time.time()
        for path in site_folder.iterdir():
            if path.name == CURRENT or path.name in keep:
                continue
            limit = ABANDONED_SECONDS if path.name.startswith(".") else KEEP_SECONDS
            with contextlib.suppress(FileNotFoundError):
                if now - path.lstat().st_mtime <= limit:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()

    def site_keys(self) -> set[str]:
        """The keys of the sites with a folder here."""
        folder = self.directory / "w"
        if not folder.exists():
            return set()
        return {path.name for path in folder.iterdir() if path.is_dir()}

    def remove(self, key: str) -> None:
        """Unpublish a deleted site: `current` first, so nothing serves half of it."""
        site_folder = self._site_folder(key)
        with contextlib.suppress(FileNotFoundError):
            (site_folder / CURRENT).unlink()
        shutil.rmtree(site_folder, ignore_errors=True)

    def remove_earlier_layout(self) -> int:
        """Delete what versions before releases published (w/<key>.js and w/<key>/*.js
        with their compressed copies, sites/*.json); the number of files removed."""
        legacy = [*self.directory.glob("w/*.js*"), *self.directory.glob("w/*/*.js*")]
        legacy += self.directory.glob("sites/*.json")
        for path in legacy:
            path.unlink()
        with contextlib.suppress(OSError):
            (self.directory / "sites").rmdir()
        return len(legacy)
