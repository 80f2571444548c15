"""Recording consent events and reading a visitor's receipt.

What is recorded is decided here; backend/event_writer.py commits it for many requests at once.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import DECISION_COLUMNS, ConsentEvent
from backend.services.anonymize import consent_hash
from backend.services.stats import COUNTED_COLUMNS, UPSERTS, add_to_daily_stats

EventRow = dict[str, Any]


def event_rows(
    site_ids: Mapping[str, int],
    events: Sequence[Mapping[str, Any]],
    *,
    device: str,
    id_key: bytes,
    now: datetime,
) -> list[EventRow]:
    """consent_events rows for validated events of already-checked sites (key → id).

    An impression ("shown") is stored without any visitor's hash: before a choice there is
    no identifier (earlier widgets sent one with it; it is dropped)."""
    return [
        {
            "site_id": site_ids[event["site"]],
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
            "consent_hash": None
            if event["action"] == "shown"
            else consent_hash(id_key, str(event["consent_id"])),
        }
        for event in events
    ]


@cache
def _insert(dialect: str) -> sa.Insert:
    """INSERT … ON CONFLICT DO NOTHING on the decision index, returning what the daily rows
    count of each row inserted; built once per dialect.

    RETURNING is what the race fix costs: 20-35 µs of CPU per event over a plain
    executemany (SQLAlchemy then builds one multi-row INSERT per batch). Returning only the
    ids, to read the counted columns back when a copy was left out, cost as much."""
    table = ConsentEvent.__table__
    return (
        UPSERTS[dialect](table)
        .on_conflict_do_nothing(index_elements=list(DECISION_COLUMNS))
        .returning(*(table.c[name] for name in COUNTED_COLUMNS))
    )


def record_events(
    connection: sa.Connection, rows: Sequence[EventRow], timezones: Mapping[int, str]
) -> None:
    """Insert event rows and add those inserted to the daily stats, inside the caller's
    transaction. A decision stored already (DECISION_COLUMNS), or by a transaction not yet
    committed, is left out: PostgreSQL waits for that transaction, then inserts nothing (or
    the row, if it rolled back); the daily stats count only what the database inserted."""
    if not rows:
        return
    # Two batches could each wait for a decision the other holds uncommitted (two first sends
    # in two workers, each batched with the other's resent copy): PostgreSQL ends such a
    # deadlock within a second by failing one batch, which the writer then retries request
    # by request, each of which no longer waits. Too rare to sort rows for, which would
    # store events sent together out of the order sent.
    inserted = connection.execute(_insert(connection.dialect.name), rows).mappings().all()
    add_to_daily_stats(connection, inserted, timezones)


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
