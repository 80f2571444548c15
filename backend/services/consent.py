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
        }
        for event in events
    ]


def record_events(
    connection: sa.Connection, rows: Sequence[EventRow], timezones: Mapping[int, str]
) -> None:
    """Insert event rows and add them to the daily stats, inside the caller's transaction."""
    connection.execute(sa.insert(ConsentEvent.__table__), list(rows))
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
