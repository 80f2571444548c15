"""Retention: raw events are purged after the site's retention period; daily stats stay.

Banner versions all stay: they hold no visitor's data, a site publishes a handful a month,
and an event may still arrive for an old one (a browser sends an unacknowledged decision
again on a later visit), so keeping every one is the simplest way to keep each one any
event refers to."""

from datetime import datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from backend.models import ConsentEvent, Site


def purge_expired_events(session: Session, now: datetime) -> dict[str, int]:
    """Delete every site's events older than its retention; returns deletions per site key."""
    purged = {}
    for site in session.scalars(sa.select(Site).order_by(Site.id)):
        cutoff = now - relativedelta(months=site.retention_months)
        result = session.execute(
            sa.delete(ConsentEvent).where(
                ConsentEvent.site_id == site.id, ConsentEvent.created_at < cutoff
            )
        )
        purged[site.public_key] = result.rowcount
    return purged
