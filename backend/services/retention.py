"""Retention: raw events are purged after the site's retention period; daily stats stay.
Diagnostics (found trackers and refused origins per day: no visitor's data) are kept
DIAGNOSTICS_DAYS days.

Banner versions all stay: they hold no visitor's data, a site publishes a handful a month,
and an event may still arrive for an old one (a browser sends an unacknowledged decision
again on a later visit), so keeping every one is the simplest way to keep each one any
event refers to."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from backend.models import ConsentEvent, FoundTracker, RefusedOrigin, Site

# Events deleted per statement: small enough that a batch holds the database's write lock
# (SQLite) or its row locks for a few milliseconds, so event POSTs never wait long behind a
# purge (bench/purge.py: with 5000, SQLite's POST p99 rose from 41 to 958 ms).
PURGE_BATCH = 1000
# Diagnostics: enough for the install page's last 30 days, a few rows per site and day.
DIAGNOSTICS_DAYS = 90


def expired_batches(
    session: Session, now: datetime, batch_size: int = PURGE_BATCH
) -> Iterator[tuple[str, int]]:
    """Delete every site's events older than its retention, oldest first, ``batch_size`` at
    a time; after each batch yields (site key, events deleted), so that the caller can
    commit between batches. Diagnostics older than DIAGNOSTICS_DAYS go last."""
    sites = session.execute(
        sa.select(Site.public_key, Site.id, Site.retention_months).order_by(Site.id)
    ).all()
    for key, site_id, months in sites:
        cutoff = now - relativedelta(months=months)
        oldest = (
            sa.select(ConsentEvent.id)
            .where(ConsentEvent.site_id == site_id, ConsentEvent.created_at < cutoff)
            .order_by(ConsentEvent.created_at)
            .limit(batch_size)
        )
        while True:
            deleted = session.execute(
                sa.delete(ConsentEvent).where(ConsentEvent.id.in_(oldest.scalar_subquery()))
            ).rowcount
            if deleted:
                yield key, deleted
            if deleted < batch_size:
                break
    old = (now - timedelta(days=DIAGNOSTICS_DAYS)).date()
    for diagnostics in (FoundTracker, RefusedOrigin):
        session.execute(sa.delete(diagnostics).where(diagnostics.day < old))
