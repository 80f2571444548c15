"""Daily aggregates, kept up to date as events arrive, so stats never scan raw events."""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from backend.models import DECISIONS, DIMENSIONS, OPTIONAL_CATEGORIES, DailyStat

KEY_COLUMNS = ("site_id", "day", *DIMENSIONS)
# What of an event its daily row counts.
COUNTED_COLUMNS = ("site_id", "created_at", "action", "categories", *DIMENSIONS)
COUNTERS = (
    "shown", "accept_all", "reject_all", "custom", "withdraw", "gpc",
    *(f"granted_{category}" for category in OPTIONAL_CATEGORIES),
)  # fmt: skip
# Decisions made while the browser sent a GPC or DNT signal: summed from the signal column.
SIGNALLED = "signalled"
UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day of a moment where the site is (analysts read days in local time)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def increments(
    events: Iterable[Mapping[str, Any]], timezones: Mapping[int, str]
) -> dict[tuple, Counter]:
    """What the given event rows add to each daily row, by KEY_COLUMNS."""
    rows: dict[tuple, Counter] = {}
    for event in events:
        day = local_day(event["created_at"], timezones[event["site_id"]])
        key = (event["site_id"], day, *(event[name] for name in DIMENSIONS))
        row = rows.setdefault(key, Counter())
        row[event["action"]] += 1
        if event["action"] in DECISIONS:
            for category in OPTIONAL_CATEGORIES:
                if category in event["categories"]:
                    row[f"granted_{category}"] += 1
    return rows


@cache
def _upsert(dialect: str) -> sa.Insert:
    """INSERT … ON CONFLICT DO UPDATE adding every counter, built once per dialect."""
    table = DailyStat.__table__
    statement = UPSERTS[dialect](table).values(
        {name: sa.bindparam(name) for name in KEY_COLUMNS + COUNTERS}
    )
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: table.c[name] + statement.excluded[name] for name in COUNTERS},
    )


def daily_rows(counts: Mapping[tuple, Counter]) -> list[dict[str, Any]]:
    """Parameters for daily rows from counts by key, sorted by key."""
    # Sorted, so that concurrent writers lock daily rows in one order and cannot deadlock.
    return [
        dict(zip(KEY_COLUMNS, key, strict=True)) | {name: counts[key][name] for name in COUNTERS}
        for key in sorted(counts)
    ]


def add_to_daily_stats(
    connection: sa.Connection, events: Iterable[Mapping[str, Any]], timezones: Mapping[int, str]
) -> None:
    """Add event rows to their daily rows, atomically, in one statement."""
    parameters = daily_rows(increments(events, timezones))
    if parameters:
        connection.execute(_upsert(connection.dialect.name), parameters)


def summed_counts(
    connection: sa.Connection | Any,
    site_id: int,
    first: date,
    last: date,
    by: Sequence[str],
    daily: bool,
) -> sa.Result:
    """The counters of one site's days first…last summed by the given dimensions (and by
    day when ``daily``): one row per combination that counted anything, from daily rows only.

    Rows carry `day` (when daily), each dimension of ``by``, every counter and SIGNALLED."""
    table = DailyStat.__table__
    groups = ([table.c.day] if daily else []) + [table.c[name] for name in by]
    decisions = sum((table.c[name] for name in DECISIONS), sa.literal(0))
    # Coalesced: without groups, no rows still sum to one row (of NULLs).
    sums = [sa.func.coalesce(sa.func.sum(table.c[name]), 0).label(name) for name in COUNTERS]
    signalled = sa.func.coalesce(
        sa.func.sum(sa.case((table.c.signal.in_(("gpc", "dnt")), decisions), else_=0)), 0
    ).label(SIGNALLED)
    query = (
        sa.select(*groups, *sums, signalled)
        .where(table.c.site_id == site_id, table.c.day.between(first, last))
        .group_by(*groups)
        .order_by(*groups)
    )
    # Read row by row, not as a list: a list of 10,000 rows would outlive the loop that
    # reads it and set off full garbage collections (see rates.stat_rows).
    return connection.execute(query)
