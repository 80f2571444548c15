"""The worker that writes sites' releases to the published folder behind the requests.

Compressing a site's files for good takes a few hundred milliseconds: no request waits for
it. A commit that changed what visitors see hands the site to this process's worker thread
(backend/publication.py); so does a request that finds the folder behind the database (a
change committed by another server, a restored database). Meanwhile the process serves the
change from memory (delivery/cache.py), so nobody sees the old files after the save.
"""

import atexit
import logging
import os
import threading

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from backend.delivery.files import PublishedFiles
from backend.delivery.snapshot import load_site
from backend.extensions import db
from backend.models import Site

log = logging.getLogger(__name__)
EXIT_WAIT_SECONDS = 60


class Publisher:
    """One thread per process that makes each handed site's release on disk match the
    database."""

    def __init__(self, app: Flask, files: PublishedFiles) -> None:
        self.app = app
        self.files = files
        # Site key → the version its files are known to have (check first), or None
        # (write whatever the database has).
        self._pending: dict[str, int | None] = {}
        self._busy = False
        self._condition = threading.Condition()
        self._thread_pid: int | None = None  # a thread does not survive gunicorn's fork

    def publish(self, key: str) -> None:
        """Write the site's release as the database has it, soon."""
        self._hand(key, None)

    def check(self, key: str, version: int) -> None:
        """Write the site's release if the database has moved past ``version``."""
        self._hand(key, version)

    def _hand(self, key: str, version: int | None) -> None:
        with self._condition:
            if key in self._pending and (version is not None or self._pending[key] is None):
                return  # already waiting, for at least as much
            self._pending[key] = version
            if self._thread_pid != os.getpid():
                if self._thread_pid is None:
                    # A process that ends (a CLI command, a worker told to stop) writes
                    # what it committed first.
                    atexit.register(self.wait, EXIT_WAIT_SECONDS)
                self._thread_pid = os.getpid()
                thread = threading.Thread(target=self._run, name="kelisim-publish", daemon=True)
                thread.start()
            self._condition.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every handed site is written; False if ``timeout`` passed first."""
        with self._condition:
            return self._condition.wait_for(
                lambda: not self._pending and not self._busy, timeout=timeout
            )

    def _run(self) -> None:
        while True:
            with self._condition:
                self._busy = False
                self._condition.notify_all()
                self._condition.wait_for(lambda: self._pending)
                key, version = self._pending.popitem()
                self._busy = True
            try:
                with self.app.app_context():
                    self.write(key, version)
            except Exception:
                # The database may be down: the files stay as they are, and the next
                # request that finds them behind hands the site over again.
                log.exception("Could not publish the widget files of site %s", key)

    def write(self, key: str, version: int | None = None) -> None:
        """Make the site's files match the database now (unpublish a deleted site)."""
        with Session(db.engine) as session:
            if version is not None:
                query = sa.select(Site.config_version).where(Site.public_key == key)
                if session.scalar(query) == version:
                    return
            base_url = self.app.config["PUBLIC_URL"]
            site = load_site(session, key, base_url, self.files.templates)
        if site is None:
            self.files.remove(key)
        else:
            self.files.write(site)
