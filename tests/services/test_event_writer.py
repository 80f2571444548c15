"""The group-committing EventWriter: nothing acknowledged is lost, nothing failed is kept."""

import contextlib
import fcntl
import os
import threading

import pytest
import sqlalchemy as sa

from backend.event_writer import EventWriter, NotRecorded, writer_turns
from backend.extensions import db
from backend.models import ConsentEvent, DailyStat
from tests.conftest import post_events
from tests.factories import make_event, make_event_rows


def rows_for(site, n: int, **fields) -> list[dict]:
    """The rows of ``n`` visitors' events."""
    return make_event_rows(site, *(make_event(site, **fields) for _ in range(n)))


def total(column, table=DailyStat) -> int:
    """Sum of a column over a table, as other connections committed it."""
    db.session.rollback()
    query = sa.select(sa.func.coalesce(sa.func.sum(column), 0)).select_from(table)
    return db.session.scalar(query)


def test_concurrent_writes_are_all_committed_before_they_return(site):
    writer = EventWriter(db.engine)
    timezones = {site.id: site.timezone}
    returned = []
    requests = [rows_for(site, 2) for _ in range(40)]

    def request(i: int) -> None:
        writer.write(requests[i], timezones)
        returned.append(i)

    threads = [threading.Thread(target=request, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(returned) == list(range(40))
    assert total(1, ConsentEvent) == 80
    assert total(DailyStat.accept_all) == 80
    assert total(DailyStat.granted_analytics) == 80


def test_a_failed_write_raises_and_stores_nothing_while_others_succeed(site):
    writer = EventWriter(db.engine)
    timezones = {site.id: site.timezone}
    broken = rows_for(site, 1)
    broken[0]["site_id"] = 999_999  # no such site: the foreign key refuses it
    good = [rows_for(site, 1) for _ in range(5)]
    outcomes = {}

    def request(name: str, rows: list[dict]) -> None:
        try:
            writer.write(rows, timezones | {999_999: "UTC"})
            outcomes[name] = "stored"
        except NotRecorded:
            outcomes[name] = "refused"

    threads = [threading.Thread(target=request, args=("broken", broken))] + [
        threading.Thread(target=request, args=(f"ok{i}", rows)) for i, rows in enumerate(good)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.pop("broken") == "refused"
    assert set(outcomes.values()) == {"stored"}
    assert total(1, ConsentEvent) == 5
    assert total(DailyStat.accept_all) == 5


# PostgreSQL queues concurrent writers itself: there are no turns to take.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_writers_of_all_processes_take_turns(site):
    turns = writer_turns(db.engine)
    writer = EventWriter(db.engine)
    request = threading.Thread(
        target=writer.write, args=(rows_for(site, 3), {site.id: site.timezone})
    )
    with open(turns.path, "a") as other_worker:  # another process's turn
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        request.start()
        request.join(0.5)
        assert request.is_alive()
        assert total(1, ConsentEvent) == 0
    request.join(10)  # the turn ended when the other worker closed the file
    assert not request.is_alive()
    assert total(1, ConsentEvent) == 3


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_the_lock_file_writes_go_on_with_one_warning(site, caplog):
    """Say another user created the lock file: SQLite's own locking still holds."""
    path = writer_turns(db.engine).path
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)  # an earlier test's; the next writer makes it again
    os.mkdir(path)  # which no one can open for writing, root included
    try:
        writer = EventWriter(db.engine)
        for _ in range(3):
            writer.write(rows_for(site, 2), {site.id: site.timezone})
    finally:
        os.rmdir(path)
    assert total(1, ConsentEvent) == 6
    warnings = [r for r in caplog.records if "without turns" in r.getMessage()]
    assert len(warnings) == 1


def test_the_api_answers_503_when_nothing_could_be_stored(client, site, monkeypatch):
    def fail(self, rows, timezones):
        raise NotRecorded("The events could not be stored; send them again.")

    monkeypatch.setattr(EventWriter, "write", fail)
    response = post_events(client, make_event(site))
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_recorded"


@pytest.fixture(autouse=True)
def _quick_idle(monkeypatch):
    monkeypatch.setattr(EventWriter, "IDLE_SECONDS", 0.2)


def test_a_decision_sent_again_is_stored_only_if_the_first_send_did_not_arrive(site):
    writer = EventWriter(db.engine)
    timezones = {site.id: site.timezone}
    first, lost = (rows_for(site, 1) for _ in range(2))
    again = first + lost  # the rows of resent events are the same rows
    writer.write(first, timezones)

    # The first send of one arrived (its answer did not), the other's was lost; both come again,
    # and one of them a second time in the same batch.
    writer.write(again + again[1:], timezones)
    assert total(1, ConsentEvent) == 2
    assert total(DailyStat.accept_all) == 2
    # A decision sent the first time and again in one batch is stored once.
    both = rows_for(site, 1)
    writer.write(both + both, timezones)
    assert total(1, ConsentEvent) == 3
