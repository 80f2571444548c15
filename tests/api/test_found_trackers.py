"""Known trackers a shown banner found held on its page though the site does not configure
them: the field is checked like every other, counted per site, local day and kind, never
stored with the event, and kept 90 days."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import ConsentEvent, FoundTracker, RefusedOrigin
from backend.services.retention import DIAGNOSTICS_DAYS, expired_batches
from backend.services.stats import local_day
from tests.conftest import post_events
from tests.factories import make_event


def shown(site, **fields) -> dict:
    return make_event(site, action="shown", categories=[], services=[], expires_at=None, **fields)


def counts(site) -> dict[tuple, int]:
    rows = db.session.scalars(sa.select(FoundTracker).where(FoundTracker.site_id == site.id))
    return {(row.day, row.kind): row.count for row in rows}


def test_a_shown_banner_counts_the_kinds_it_found(client, site):
    today = local_day(datetime.now(UTC), site.timezone)
    found = ["tiktok_pixel", "meta_pixel", "tiktok_pixel"]
    assert post_events(client, shown(site, found=found)).status_code == 202
    assert (
        post_events(client, {"events": [shown(site, found=["tiktok_pixel"])] * 2}).status_code
        == 202
    )
    # Only a shown banner reports what it found; other actions' lists are ignored.
    assert post_events(client, make_event(site, found=["vk_pixel"])).status_code == 202
    assert post_events(client, shown(site)).status_code == 202

    assert counts(site) == {(today, "tiktok_pixel"): 3, (today, "meta_pixel"): 1}
    assert len(db.session.scalars(sa.select(ConsentEvent)).all()) == 5
    assert "found" not in {column.name for column in ConsentEvent.__table__.columns}


@pytest.mark.parametrize(
    "found",
    [["custom"], ["no_such_tracker"], ["https://analytics.tiktok.com/i18n/pixel/events.js"],
     ["meta_pixel"] * 11, "meta_pixel", [1], ["meta_pixel_image"]],
    ids=["custom", "unknown kind", "a URL", "more than 10", "not a list", "not a string",
         "a pixel, found under its tracker's kind"],
)  # fmt: skip
def test_a_bad_found_list_is_refused_and_changes_nothing(client, site, found):
    response = post_events(client, shown(site, found=found))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"found"}
    assert counts(site) == {}
    assert db.session.scalars(sa.select(ConsentEvent)).all() == []


def test_the_event_stands_when_counting_fails(client, site, monkeypatch):
    def broken(connection, counts):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("backend.public.events.count_found_trackers", broken)
    assert post_events(client, shown(site, found=["vk_pixel"])).status_code == 202
    assert len(db.session.scalars(sa.select(ConsentEvent)).all()) == 1


def test_diagnostics_are_kept_90_days(app, site):
    now = datetime.now(UTC)
    for age in (0, DIAGNOSTICS_DAYS - 1, DIAGNOSTICS_DAYS + 1):
        day = (now - timedelta(days=age)).date()
        db.session.add(FoundTracker(site_id=site.id, day=day, kind="vk_pixel", count=1))
        db.session.add(RefusedOrigin(site_id=site.id, day=day, host="copy.example", count=1))
    db.session.commit()

    list(expired_batches(db.session, now))  # every batch, as `flask purge` runs them
    db.session.commit()

    for table in (FoundTracker, RefusedOrigin):
        kept = sorted((now.date() - day).days for day in db.session.scalars(sa.select(table.day)))
        assert kept == [0, DIAGNOSTICS_DAYS - 1], table.__name__
