"""Migration 0005 keeps the first row of each decision stored more than once, takes the
copies out of the daily stats, and leaves every other event and count as it was."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from backend.extensions import db
from backend.models import ConsentEvent, DailyStat
from backend.services.consent import record_events
from backend.services.stats import daily_rows, increments
from tests.conftest import migrated_to
from tests.factories import SITE_ROW, make_event_row

EXPIRES = datetime(2027, 5, 2, 5, 0, 7, tzinfo=UTC)
NOV_2 = datetime(2026, 11, 2, 5, tzinfo=UTC)  # 10:00 in Almaty
NOV_3 = NOV_2 + timedelta(days=1)


def test_copies_of_a_decision_are_deleted_and_uncounted(empty_database):
    with migrated_to(empty_database, "0004_found_trackers") as tables:
        decided = make_event_row(NOV_2, expires_at=EXPIRES, consent_hash="v1")
        shown = make_event_row(NOV_2, action="shown", categories=[], consent_hash="v1")
        stored = [
            decided,  # id 1: the decision, kept
            shown,  # id 2
            decided | {"created_at": NOV_2 + timedelta(minutes=1)},  # 3: its copy, same day
            decided | {"created_at": NOV_3, "layer": "settings"},  # 4: a copy the next day
            shown,  # 5: shown twice in one moment, still two events
            decided | {"action": "custom"},  # 6: another decision of the same visitor
            decided | {"consent_hash": "v2"},  # 7: another visitor's decision
            decided | {"expires_at": None},  # 8: no expiry, never a copy
            decided | {"expires_at": None},  # 9
        ]
        with db.engine.begin() as connection:
            connection.execute(tables["sites"].insert(), SITE_ROW)
            for row in stored:  # one at a time: ids in this order
                connection.execute(tables["consent_events"].insert(), row)
            # Each row counted once, as the event writer counted it.
            counted = daily_rows(increments(stored, {1: SITE_ROW["timezone"]}))
            connection.execute(tables["daily_stats"].insert(), counted)

        upgrade()

        kept = db.session.scalars(sa.select(ConsentEvent.id).order_by(ConsentEvent.id)).all()
        assert kept == [1, 2, 5, 6, 7, 8, 9]
        counts = db.session.execute(
            sa.select(
                DailyStat.day, DailyStat.layer, DailyStat.shown, DailyStat.accept_all,
                DailyStat.custom, DailyStat.granted_analytics,
            ).order_by(DailyStat.day)
        ).all()  # fmt: skip
        assert [tuple(row) for row in counts] == [
            (date(2026, 11, 2), "first", 2, 4, 1, 5),  # copy 3 no longer counted
            (date(2026, 11, 3), "settings", 0, 0, 0, 0),  # nor copy 4
        ]

        # From now on the database refuses copies by itself.
        with db.engine.begin() as connection:
            record_events(connection, [decided | {"created_at": NOV_3}], {1: SITE_ROW["timezone"]})
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)) == 7
