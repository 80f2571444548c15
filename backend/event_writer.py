"""The event writer: one per process, it commits whatever event rows requests have queued in
one transaction (a group commit) and only then lets each request acknowledge.

A request waits for the writer to take its rows at most `wait_seconds`, then answers 503 and
the writer leaves them out; once taken, it waits for the commit, whose every database wait is
bounded (backend/database.py). A commit whose answer never came is not taken for a failure:
on PostgreSQL the writer asks, on a new connection, whether the transaction committed, and the
requests answer 202 if it did. When even that cannot be asked, the requests answer 503 and the
widget sends its decisions once more; the server stores each decision once (DECISION_COLUMNS),
so a copy of one that was committed after all is dropped. Impressions are never sent again.

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

from backend.database import asking_anyway
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
    # Under the writer's lock: the writer took the rows (the request waits for the commit),
    # or the request gave up first (the writer leaves them out).
    taken: bool = False
    abandoned: bool = False


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
    # Once taken, a commit is bounded by the database's timeouts; this is a last resort.
    COMMIT_SECONDS = 30.0

    def __init__(self, engine: sa.Engine, max_batch: int = 500, wait_seconds: float = 5) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._wait_seconds = wait_seconds
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
        if not job.done.wait(self._wait_seconds):
            with self._lock:
                if not job.taken:
                    job.abandoned = True
                    raise NotRecorded("The events could not be stored in time; send them again.")
            # Taken: an answer now could contradict the commit under way.
            if not job.done.wait(self.COMMIT_SECONDS):
                raise NotRecorded("The events may not have been stored; send them again.")
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
                batch = [first] if self._take(first) else []
                size = len(first.rows)
                while size < self._max_batch:
                    try:
                        job = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if self._take(job):
                        batch.append(job)
                        size += len(job.rows)
                if batch:
                    self._commit(batch)

    def _take(self, job: _Job) -> bool:
        """Take a job's rows into the next commit, unless its request gave up waiting."""
        with self._lock:
            job.taken = not job.abandoned
            return job.taken

    def _commit(self, batch: list[_Job]) -> None:
        transaction_id = None
        committing = False
        try:
            rows = [row for job in batch for row in job.rows]
            timezones = {k: v for job in batch for k, v in job.timezones.items()}
            with self._engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    transaction_id = connection.scalar(CURRENT_TRANSACTION)
                record_events(connection, rows, timezones)
                committing = True  # what fails from here on is the COMMIT
        except Exception as error:
            fate = self._fate(transaction_id) if committing and transaction_id else "aborted"
            if fate == "committed":
                log.warning("The answer to a commit of %d consent events was lost", len(rows))
                for job in batch:
                    job.done.set()
                return
            if fate != "aborted":
                # Committed or not, nobody can tell now: the batch answers 503, and is not
                # tried again, which would store its impressions twice if it had committed.
                log.exception("Could not tell whether %d consent events were stored", len(rows))
                for job in batch:
                    job.error = error
                    job.done.set()
                return
            if len(batch) > 1:
                # One request's failure must not cost the others theirs: try each alone.
                for job in batch:
                    self._commit([job])
                return
            log.exception("Could not store %d consent events", len(batch[0].rows))
            batch[0].error = error  # its request answers 503: nothing is acknowledged
        for job in batch:
            job.done.set()

    def _fate(self, transaction_id: str) -> str | None:
        """What became of a transaction whose COMMIT went unanswered (PostgreSQL keeps the
        fate of recent transactions): committed, aborted, in progress; None if unknown."""
        try:
            with asking_anyway(), self._engine.connect() as connection:
                return connection.scalar(TRANSACTION_STATUS, {"id": transaction_id})
        except Exception:
            log.warning("Could not ask whether a transaction committed", exc_info=True)
            return None


CURRENT_TRANSACTION = sa.text("SELECT pg_current_xact_id()::text")
TRANSACTION_STATUS = sa.text("SELECT pg_xact_status(CAST(:id AS xid8))")
