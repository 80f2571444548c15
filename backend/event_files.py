"""A site's raw consent events of a period as CSV: the proof an owner shows a regulator.

Pseudonymous: what was decided, when, under which policy and banner version and texts, and
the keyed hash of the consent ID (which only the visitor holding the ID can link to them);
never an IP address or a consent ID, which Kelisim does not store at all. Streamed from a
server-side cursor, so memory stays flat however many events there are.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from backend.models import ConsentEvent, Site
from backend.spreadsheet import inert
from backend.stats_files import BOM

EVENT_COLUMNS = (
    "created_at", "action", "categories", "services", "policy_version", "banner_version",
    "texts_hash", "language", "layer", "signal", "device_class", "expires_at", "consent_hash",
)  # fmt: skip
LIST_COLUMNS = ("categories", "services")
BATCH = 1000


@lru_cache(maxsize=4096)
def words(json_list: str) -> str:
    """A JSON list of names as the names separated by spaces, never read as a formula (a
    service may be named "-2-3"). The other text columns hold fixed words and hex digests."""
    return inert(" ".join(json.loads(json_list)))


def local_range(site: Site, first: date, last: date) -> tuple[datetime, datetime]:
    """The moments from the start of ``first`` to the end of ``last`` where the site is."""
    zone = ZoneInfo(site.timezone)
    return (
        datetime.combine(first, time.min, zone),
        datetime.combine(last + timedelta(days=1), time.min, zone),
    )


def event_lines(engine: sa.Engine, site_id: int, start: datetime, end: datetime) -> Iterator[str]:
    """CSV lines (with a byte-order mark) of the site's events from start to before end,
    oldest first, read in batches from a cursor of its own connection."""
    table = ConsentEvent.__table__
    # Lists come as their JSON text: a site's events repeat a few lists, each parsed once.
    columns = [
        sa.cast(table.c[name], sa.Text) if name in LIST_COLUMNS else table.c[name]
        for name in EVENT_COLUMNS
    ]
    query = (
        sa.select(*columns)
        .where(
            ConsentEvent.site_id == site_id,
            ConsentEvent.created_at >= start,
            ConsentEvent.created_at < end,
        )
        .order_by(ConsentEvent.created_at, ConsentEvent.id)
        .execution_options(yield_per=BATCH)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield BOM
    writer.writerow(EVENT_COLUMNS)
    with engine.connect() as connection, connection.execute(query) as result:
        for rows in result.partitions():
            writer.writerows(
                (
                    created_at.isoformat(), action, words(categories), words(services),
                    policy_version, banner_version, texts_hash, language, layer, signal,
                    device_class, expires_at.isoformat() if expires_at else "", consent_hash,
                )
                for (
                    created_at, action, categories, services, policy_version, banner_version,
                    texts_hash, language, layer, signal, device_class, expires_at, consent_hash,
                ) in rows
            )  # fmt: skip
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
