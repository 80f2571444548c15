"""Migration 0003 rebuilds the daily rows by every dimension from the events still kept, and
keeps what purged events counted under unknown versions, layer and signal."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from backend.extensions import db
from backend.models import UNKNOWN, UNKNOWN_VERSION, DailyStat
from tests.conftest import migrated_to
from tests.factories import SITE_ROW, make_event_row

COUNTS = {
    "shown": 0, "accept_all": 0, "reject_all": 0, "custom": 0, "withdraw": 0, "gpc": 0,
    "granted_analytics": 0, "granted_marketing": 0, "granted_functional": 0,
}  # fmt: skip


def test_daily_rows_are_rebuilt_by_every_dimension(empty_database):
    with migrated_to(empty_database, "0002_dashboard") as tables:
        with db.engine.begin() as connection:
            connection.execute(tables["sites"].insert(), SITE_ROW)
            # Nov 2: three acceptances counted, one of them from an event purged since.
            connection.execute(
                tables["daily_stats"].insert(),
                [
                    {"site_id": 1, "day": date(2026, 11, 2), "language": "ru",
                     "device_class": "mobile", **COUNTS, "accept_all": 3,
                     "granted_analytics": 3},
                ],
            )  # fmt: skip
            connection.execute(
                tables["consent_events"].insert(),
                [
                    make_event_row(datetime(2026, 11, 2, 5, tzinfo=UTC)),
                    make_event_row(
                        datetime(2026, 11, 2, 6, tzinfo=UTC), layer="settings", signal="gpc"
                    ),
                ],
            )
        upgrade()

        rows = db.session.execute(
            sa.select(
                DailyStat.policy_version, DailyStat.banner_version, DailyStat.layer,
                DailyStat.signal, DailyStat.accept_all, DailyStat.granted_analytics,
            ).order_by(DailyStat.layer)
        ).all()  # fmt: skip
        assert [tuple(row) for row in rows] == [
            (2, 5, "first", "none", 1, 1),
            (2, 5, "settings", "gpc", 1, 1),
            (UNKNOWN_VERSION, UNKNOWN_VERSION, UNKNOWN, UNKNOWN, 1, 1),
        ]
