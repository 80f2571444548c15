"""Recording consent events and reading a visitor's receipt.

Events are written by one EventWriter per process, which commits whatever requests have
queued in one transaction (a group commit) and only then lets each request acknowledge.
"""

import contextlib
import fcntl
import logging
import os
import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import ConsentEvent
from backend.services import DomainError
from backend.services.anonymize import consent_hash
from backend.services.stats import add_to_daily_stats
from backend.services.widget import PublishedSite

log = logging.getLogger(__name__)
EventRow = dict[str, Any]


class NotRecorded(DomainError):
    """The events could not be committed; nothing was acknowledged."""

    code = "not_recorded"
    status = 503


def event_rows(
    sites: Mapping[str, PublishedSite],
    events: Sequence[Mapping[str, Any]],
    *,
    device: str,
    id_key: bytes,
    now: datetime,
) -> list[EventRow]:
    """consent_events rows for validated events of already-checked sites."""
    return [
        {
            "site_id": sites[event["site"]].id,
            "created_at": now,
            "action": event["action"],
            "categories": sorted(set(event["categories"])),
            "services": sorted(set(event["services"])),
            "policy_version": event["policy_version"],
            "banner_version": event["banner_version"],
            "texts_hash": event["texts_hash"],
            "language": event["language"],
            "layer": event["layer"],
            "signal": event["signal"],
            "expires_at": event["expires_at"],
            "device_class": device,
            "consent_hash": consent_hash(id_key, str(event["consent_id"])),
            "resent": event.get("resent", False),
        }
        for event in events
    ]


# What tells one decision from another: the visitor, the action and its expiry, which holds
# the second the decision was made.
DECISION_COLUMNS = ("site_id", "consent_hash", "action", "expires_at")


def _decision(row: EventRow) -> tuple:
    return tuple(row[name] for name in DECISION_COLUMNS)


def _stored(connection: sa.Connection, decision: tuple) -> bool:
    table = ConsentEvent.__table__
    conditions = (
        table.c[name] == value for name, value in zip(DECISION_COLUMNS, decision, strict=True)
    )
    return connection.execute(sa.select(table.c.id).where(*conditions).limit(1)).first() is not None


def _not_recorded_yet(connection: sa.Connection, rows: Sequence[EventRow]) -> list[EventRow]:
    """consent_events rows, but for decisions sent again that are stored already or sent the
    first time in this same batch (the first send arrived, its answer did not)."""
    rows = [dict(row) for row in rows]
    resent = [row.pop("resent") for row in rows]
    seen = {_decision(row) for row, again in zip(rows, resent, strict=True) if not again}
    kept = []
    for row, again in zip(rows, resent, strict=True):
        if again:
            decision = _decision(row)
            if decision in seen or _stored(connection, decision):
                continue
            seen.add(decision)
        kept.append(row)
    return kept


def record_events(
    connection: sa.Connection, rows: Sequence[EventRow], timezones: Mapping[int, str]
) -> None:
    """Insert event rows and add them to the daily stats, inside the caller's transaction;
    a decision sent again that is stored already is left out."""
    rows = _not_recorded_yet(connection, rows)
    if rows:
        connection.execute(sa.insert(ConsentEvent.__table__), rows)
        add_to_daily_stats(connection, rows, timezones)


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


def receipt(session: Session, site_id: int, consent_id: str, id_key: bytes) -> list[ConsentEvent]:
    """Every event recorded under a consent ID on a site, oldest first."""
    query = (
        sa.select(ConsentEvent)
        .where(
            ConsentEvent.site_id == site_id,
            ConsentEvent.consent_hash == consent_hash(id_key, consent_id),
        )
        .order_by(ConsentEvent.created_at, ConsentEvent.id)
    )
    return list(session.scalars(query))
