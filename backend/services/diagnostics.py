"""What an owner needs to see that the widget works on their site: when events last arrived,
the events refused because their page was on a host that is not one of the site's, and the
known trackers, embeds and pixels on its pages that the site does not configure."""

import ipaddress
from collections import Counter
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import ConsentEvent, FoundTracker, RefusedOrigin, Service
from backend.service_catalog import url_table
from backend.services.stats import UPSERTS

MAX_HOST_LENGTH = 253  # the longest DNS name
# Counted in place of a host that is an IP address: no IP address is ever stored.
IP_ADDRESS = "[ip]"
# Distinct hosts counted per site and day: a hostile client sending made-up Origins must
# not grow the table without end; past this, refusals of new hosts go uncounted that day.
MAX_HOSTS_PER_DAY = 100


def count_refused_origin(
    connection: sa.Connection, site_id: int, day: date, host: str | None
) -> bool:
    """Add one refused event for ``host`` on the site's local ``day``; False when the day
    already counts MAX_HOSTS_PER_DAY other hosts. Only the host name is kept."""
    host = IP_ADDRESS if _is_ip_address(host) else (host or "")[:MAX_HOST_LENGTH]
    table = RefusedOrigin.__table__
    that_day = (table.c.site_id == site_id) & (table.c.day == day)
    added = table.c.count + 1
    if connection.execute(
        sa.update(table).where(that_day, table.c.host == host).values(count=added)
    ).rowcount:
        return True
    hosts = connection.scalar(sa.select(sa.func.count()).select_from(table).where(that_day))
    if hosts >= MAX_HOSTS_PER_DAY:
        return False
    insert = UPSERTS[connection.dialect.name](table).values(
        site_id=site_id, day=day, host=host, count=1
    )
    # Another request may have counted the same host in between.
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=["site_id", "day", "host"], set_={"count": added}
        )
    )
    return True


def count_found_trackers(connection: sa.Connection, counts: Counter[tuple[int, date, str]]) -> None:
    """Add the banners that reported each (site id, local day, catalog kind), in one
    statement."""
    table = FoundTracker.__table__
    insert = UPSERTS[connection.dialect.name](table).values(
        [
            {"site_id": site_id, "day": day, "kind": kind, "count": count}
            for (site_id, day, kind), count in counts.items()
        ]
    )
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=["site_id", "day", "kind"],
            set_={"count": table.c.count + insert.excluded.count},
        )
    )


def found_trackers(session: Session, site_id: int, since: date) -> list[sa.Row]:
    """Each kind found since ``since`` that the site configures no service of: (kind, last
    day, count), most found first. The kinds are those the loader recognises by URL
    (service_catalog.url_table): trackers and embeds by their kind, a pixel by its tracker's
    (LiveInternet's, which has none, by its own). Kinds the catalog no longer knows are left
    out."""
    configured = sa.select(Service.kind).where(Service.site_id == site_id)
    return list(
        session.execute(
            sa.select(
                FoundTracker.kind,
                sa.func.max(FoundTracker.day).label("last_day"),
                sa.func.sum(FoundTracker.count).label("count"),
            )
            .where(
                FoundTracker.site_id == site_id,
                FoundTracker.day >= since,
                FoundTracker.kind.not_in(configured),
                FoundTracker.kind.in_(list(url_table())),
            )
            .group_by(FoundTracker.kind)
            .order_by(sa.desc("count"), FoundTracker.kind)
        )
    )


def _is_ip_address(host: str | None) -> bool:
    try:
        ipaddress.ip_address(host or "")
    except ValueError:
        return False
    return True


def last_event_at(session: Session, site_id: int) -> datetime | None:
    """When the site's latest event arrived (one index lookup)."""
    return session.scalar(
        sa.select(sa.func.max(ConsentEvent.created_at)).where(ConsentEvent.site_id == site_id)
    )


def refused_origins(session: Session, site_id: int, since: date, limit: int) -> list[RefusedOrigin]:
    """Refused events per day and host since ``since``, newest day and most refused first."""
    return list(
        session.scalars(
            sa.select(RefusedOrigin)
            .where(RefusedOrigin.site_id == site_id, RefusedOrigin.day >= since)
            .order_by(RefusedOrigin.day.desc(), RefusedOrigin.count.desc(), RefusedOrigin.host)
            .limit(limit)
        )
    )
