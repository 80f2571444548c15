"""Daily aggregates, kept up to date as events arrive, so stats never scan raw events."""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from backend.models import DECISIONS, OPTIONAL_CATEGORIES, DailyStat

KEY_COLUMNS = ("site_id", "day", "language", "device_class")
COUNTERS = (
    "shown", "accept_all", "reject_all", "custom", "withdraw", "gpc",
    *(f"granted_{category}" for category in OPTIONAL_CATEGORIES),
)  # fmt: skip
UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day of a moment where the site is (analysts read days in local time)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def increments(
    events: Iterable[Mapping[str, Any]], timezones: Mapping[int, str]
) -> dict[tuple, Counter]:
    """What the given event rows add to each daily row, by (site, day, language, device)."""
    rows: dict[tuple, Counter] = {}
    for event in events:
        day = local_day(event["created_at"], timezones[event["site_id"]])
        key = (event["site_id"], day, event["language"], event["device_class"])
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


def add_to_daily_stats(
    connection: sa.Connection, events: Iterable[Mapping[str, Any]], timezones: Mapping[int, str]
) -> None:
    """Add event rows to their daily rows, atomically, in one statement."""
    # Sorted, so that concurrent writers lock daily rows in one order and cannot deadlock.
    parameters = [
        dict(zip(KEY_COLUMNS, key, strict=True)) | {name: counts[name] for name in COUNTERS}
        for key, counts in sorted(increments(events, timezones).items())
    ]
    if parameters:
        connection.execute(_upsert(connection.dialect.name), parameters)
