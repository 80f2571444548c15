"""The event writer: one per process, it commits whatever event rows requests have queued in
one transaction (a group commit) and only then lets each request acknowledge.

Database plumbing, not a rule: what the rows hold is decided by backend/services/consent.py.
"""

import contextlib
import fcntl
import logging
import os
import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from backend.services import DomainError
from backend.services.consent import EventRow, record_events

log = logging.getLogger(__name__)


class NotRecorded(DomainError):
    """The events could not be committed; nothing was acknowledged."""


@dataclass
class _Job:
    rows: Sequence[EventRow]
    timezones: Mapping[int, str]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class SQLiteTurns:
    """Turns at writing one SQLite file for the writers of every process on the machine.

    SQLite lets one connection write at a time, and one that finds the file locked sleeps in
    growing steps (1, 2, 5, 10 … 100 ms) before it tries again: with four gunicorn workers
    the slowest event POSTs took half a second. Writers take turns on a lock file beside the
    database instead, which the kernel hands to the next one the moment it is free; a writer
    that waits for its turn collects more events for its commit meanwhile.
    """

    def __init__(self, database: str) -> None:
        self.path = f"{database}.writer-lock"
        # Opened once: the turns are taken on every commit, the event POST's hot path.
        try:
            self._descriptor: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            # Say, a file another user created: SQLite's own locking still holds.
            self._descriptor = None
            log.warning("Writing without turns: cannot open %s", self.path, exc_info=True)

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this process's turn (without holding the GIL) and hold it meanwhile."""
        if self._descriptor is None:
            yield
            return
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)


def writer_turns(engine: sa.Engine) -> SQLiteTurns | None:
    """Turns for an SQLite file; other databases queue writers on their own."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return SQLiteTurns(database)
    return None


class EventWriter:
    """Commits events for many concurrent requests at once: one transaction, one fsync and
    one upsert per daily row for a whole batch. write() returns only after the commit."""

    IDLE_SECONDS = 2.0  # the thread ends when idle, and starts again with the next write
    WAIT_SECONDS = 30.0

    def __init__(self, engine: sa.Engine, max_batch: int = 500) -> None:
        self._engine = engine
        self._max_batch = max_batch
        turns = writer_turns(engine)
        self._turn = turns.turn if turns else contextlib.nullcontext
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def write(self, rows: Sequence[EventRow], timezones: Mapping[int, str]) -> None:
        """Block until the rows are committed; NotRecorded if they could not be."""
        job = _Job(rows, timezones)
        with self._lock:  # put under the lock, so an idle thread cannot leave it behind
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kelisim-event-writer", daemon=True
                )
                self._thread.start()
            self._queue.put(job)
        if not job.done.wait(self.WAIT_SECONDS):
            raise NotRecorded("The events could not be stored in time; send them again.")
        if job.error is not None:
            raise NotRecorded("The events could not be stored; send them again.") from job.error

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            with self._turn():
                batch = [first]
                size = len(first.rows)
                while size < self._max_batch:
                    try:
                        job = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    batch.append(job)
                    size += len(job.rows)
                self._commit(batch)

    def _commit(self, batch: list[_Job]) -> None:
        try:
            rows = [row for job in batch for row in job.rows]
            timezones = {k: v for job in batch for k, v in job.timezones.items()}
            with self._engine.begin() as connection:
                record_events(connection, rows, timezones)
        except Exception as error:
            if len(batch) > 1:
                # One request's failure must not cost the others theirs: try each alone.
                for job in batch:
                    self._commit([job])
                return
            log.exception("Could not store %d consent events", len(batch[0].rows))
            batch[0].error = error  # its request answers 503: nothing is acknowledged
        for job in batch:
            job.done.set()
