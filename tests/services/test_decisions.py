"""A decision is stored and counted once, even when its first send and its resent copy reach
two workers at once (PostgreSQL), and whichever of the two arrives first."""

import threading
import time
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import ConsentEvent, DailyStat
from backend.services.consent import record_events
from tests.factories import IN_SIX_MONTHS, make_event, make_event_rows


def decision(site, visitor: uuid.UUID, **fields) -> dict:
    """A decision of ``visitor``: analytics accepted on the first layer."""
    return make_event(site, **{"consent_id": str(visitor), "categories": ["analytics"]} | fields)


def landed() -> tuple[list[tuple], dict[str, int]]:
    """The stored events (action, categories) and the daily stats' totals, as committed."""
    db.session.rollback()
    events = db.session.execute(
        sa.select(ConsentEvent.action, ConsentEvent.categories).order_by(ConsentEvent.id)
    ).all()
    names = ("shown", "accept_all", "custom", "granted_analytics", "granted_marketing")
    sums = db.session.execute(
        sa.select(*(sa.func.coalesce(sa.func.sum(getattr(DailyStat, n)), 0) for n in names))
    ).one()
    return [tuple(event) for event in events], dict(zip(names, sums, strict=True))


def wait_until_waiting(pid: int, thread: threading.Thread) -> bool:
    """Whether PostgreSQL backend ``pid`` came to wait for a lock before ``thread`` ended."""
    deadline = time.monotonic() + 30
    with db.engine.connect() as watcher:
        while thread.is_alive() and time.monotonic() < deadline:
            waiting = watcher.execute(
                sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid},
            ).scalar()
            if waiting == "Lock":
                return True
            watcher.rollback()  # a fresh snapshot of pg_stat_activity
            time.sleep(0.005)
    return False


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("first_is", ["original", "resent copy"])
@pytest.mark.parametrize("first_ends", ["commit", "rollback"])
def test_two_workers_store_one_decision_once(site, first_is, first_ends):
    """Worker A has the decision in a batch not yet committed when worker B inserts the
    other send of it: B waits for A, then inserts nothing (A committed) or the row (A
    rolled back), without an error; one row and one count land."""
    visitor = uuid.uuid4()
    original = make_event_rows(site, decision(site, visitor))
    copy = make_event_rows(site, decision(site, visitor, resent=True))
    first, second = (original, copy) if first_is == "original" else (copy, original)
    timezones = {site.id: site.timezone}
    engine = db.engine  # the thread has no app context
    started = threading.Event()
    pid: list[int] = []
    errors: list[Exception] = []

    def worker_b() -> None:
        try:
            with engine.begin() as connection:
                pid.append(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar())
                started.set()
                record_events(connection, second, timezones)
        except Exception as error:  # asserted below, in the test's own thread
            errors.append(error)
            started.set()

    connection_a = engine.connect()
    try:
        transaction_a = connection_a.begin()
        record_events(connection_a, first, timezones)
        b = threading.Thread(target=worker_b)
        b.start()
        assert started.wait(30)
        b_waited = bool(pid) and wait_until_waiting(pid[0], b)
        if first_ends == "commit":
            transaction_a.commit()
        else:
            transaction_a.rollback()
        b.join(30)
    finally:
        connection_a.close()

    assert not b.is_alive()
    assert errors == []
    events, totals = landed()
    assert events == [("accept_all", ["analytics"])]
    assert totals == {
        "shown": 0, "accept_all": 1, "custom": 0, "granted_analytics": 1, "granted_marketing": 0,
    }  # fmt: skip
    assert b_waited  # B ran while A's batch was uncommitted: the race was really run


@pytest.mark.parametrize("first_is", ["original", "resent copy"])
def test_a_decision_sent_twice_is_stored_and_counted_once(site, first_is):
    visitor = uuid.uuid4()
    original = decision(site, visitor)
    copy = decision(site, visitor, resent=True)
    timezones = {site.id: site.timezone}
    for event in (original, copy) if first_is == "original" else (copy, original):
        with db.engine.begin() as connection:
            record_events(connection, make_event_rows(site, event), timezones)
    # Both sends again in one batch, besides a new decision of the same visitor.
    nine_seconds_later = datetime.fromisoformat(IN_SIX_MONTHS) + timedelta(seconds=9)
    later = decision(site, visitor, action="custom", expires_at=nine_seconds_later.isoformat())
    with db.engine.begin() as connection:
        record_events(connection, make_event_rows(site, copy, later, original, later), timezones)

    events, totals = landed()
    assert events == [("accept_all", ["analytics"]), ("custom", ["analytics"])]
    assert totals == {
        "shown": 0, "accept_all": 1, "custom": 1, "granted_analytics": 2, "granted_marketing": 0,
    }  # fmt: skip


def test_events_without_an_expiry_are_never_refused(site):
    """'shown' carries no expiry: a visitor's banner shown twice in one moment is two events,
    and so are a visitor's decisions that an app sends without an expiry."""
    visitor = uuid.uuid4()
    shown = decision(site, visitor, action="shown", categories=[], expires_at=None)
    open_ended = decision(site, visitor, categories=["marketing"], expires_at=None)
    with db.engine.begin() as connection:
        record_events(
            connection, make_event_rows(site, shown, shown, open_ended), {site.id: site.timezone}
        )
    with db.engine.begin() as connection:
        record_events(
            connection, make_event_rows(site, shown, open_ended), {site.id: site.timezone}
        )

    events, totals = landed()
    assert events == [("shown", []), ("shown", []), ("accept_all", ["marketing"])] + [
        ("shown", []),
        ("accept_all", ["marketing"]),
    ]
    assert totals == {
        "shown": 3, "accept_all": 2, "custom": 0, "granted_analytics": 0, "granted_marketing": 2,
    }  # fmt: skip
