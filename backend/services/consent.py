"""Recording consent events and reading a visitor's receipt.

What is recorded is decided here; backend/event_writer.py commits it for many requests at once.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import ConsentEvent
from backend.services.anonymize import consent_hash
from backend.services.stats import add_to_daily_stats

EventRow = dict[str, Any]


def event_rows(
    site_ids: Mapping[str, int],
    events: Sequence[Mapping[str, Any]],
    *,
    device: str,
    id_key: bytes,
    now: datetime,
) -> list[EventRow]:
    """consent_events rows for validated events of already-checked sites (key → id)."""
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
    if not any(resent):  # nearly every batch: nothing to look up (the event POST's hot path)
        return rows
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
