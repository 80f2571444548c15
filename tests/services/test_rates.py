"""The rates service: every figure against hand-computed ones and against a recomputation from
the raw events, local days at their boundaries, and empty periods."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.extensions import db
from backend.models import DIMENSIONS, OPTIONAL_CATEGORIES
from backend.services.rates import stat_rows, total
from tests.factories import record_event

ALMATY = ZoneInfo("Asia/Almaty")
DAY = date(2026, 11, 2)  # a Monday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of a local day in Almaty."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def test_rates_match_hand_computed_figures(site):
    moment = at(DAY, 12)
    for _ in range(10):
        record_event(site, moment, action="shown", categories=[])
    for _ in range(4):
        record_event(site, moment, action="accept_all", categories=list(OPTIONAL_CATEGORIES))
    record_event(site, moment, action="reject_all", categories=[], signal="dnt")
    record_event(site, moment, action="custom", categories=["analytics"], layer="settings")
    record_event(site, moment, action="withdraw", categories=[])
    record_event(site, moment, action="gpc", categories=[], signal="gpc")

    [row] = stat_rows(db.session, site.id, DAY, DAY, "total")

    assert row.counts["decisions"] == 6
    assert row.counts["shown"] == 10
    assert row.rates == {
        "interaction_rate": 6 / 10,
        "no_choice_rate": 4 / 10,
        "accept_all_share": 4 / 6,
        "reject_all_share": 1 / 6,
        "custom_share": 1 / 6,
        "optin_analytics": 5 / 6,
        "optin_marketing": 4 / 6,
        "optin_functional": 4 / 6,
        "withdrawal_rate": 1 / 6,
        "signal_share": 2 / 7,  # the DNT refusal and the automatic GPC one, of 6 + 1 answers
    }


def test_an_event_belongs_to_the_local_day_of_the_site(site):
    record_event(site, at(DAY, 23, 59), action="shown")
    record_event(site, at(DAY + timedelta(days=1), 0, 1), action="accept_all")
    # Both moments fall on one UTC day; Almaty's midnight parts them.
    assert (
        at(DAY, 23, 59).astimezone(UTC).date()
        == at(DAY + timedelta(days=1), 0, 1).astimezone(UTC).date()
    )

    rows = stat_rows(db.session, site.id, DAY, DAY + timedelta(days=1), "day")

    assert [(row.period, row.counts["shown"], row.counts["accept_all"]) for row in rows] == [
        (DAY, 1, 0),
        (DAY + timedelta(days=1), 0, 1),
    ]


def test_an_empty_period_has_zero_counts_and_no_rates(site):
    rows = stat_rows(db.session, site.id, DAY, DAY + timedelta(days=2), "day")

    assert [row.period for row in rows] == [DAY + timedelta(days=n) for n in range(3)]
    for row in rows:
        assert set(row.counts.values()) == {0}
        assert set(row.rates.values()) == {None}
    assert set(total(rows, DAY).rates.values()) == {None}


def test_weeks_and_months_start_on_their_first_day_within_the_range(site):
    record_event(site, at(date(2026, 10, 30), 10), action="shown")  # a Friday
    record_event(site, at(date(2026, 11, 3), 10), action="shown")  # the next Tuesday

    weeks = stat_rows(db.session, site.id, date(2026, 10, 29), date(2026, 11, 10), "week")
    months = stat_rows(db.session, site.id, date(2026, 10, 29), date(2026, 11, 10), "month")

    assert [(row.period, row.counts["shown"]) for row in weeks] == [
        (date(2026, 10, 29), 1),
        (date(2026, 11, 2), 1),
        (date(2026, 11, 9), 0),
    ]
    assert [(row.period, row.counts["shown"]) for row in months] == [
        (date(2026, 10, 29), 1),
        (date(2026, 11, 1), 1),
    ]


ACTIONS = ["shown", "accept_all", "reject_all", "custom", "withdraw", "gpc"]
EVENTS = st.lists(
    st.fixed_dictionaries(
        {
            "minute": st.integers(0, 20 * 24 * 60),
            "action": st.sampled_from(ACTIONS),
            "categories": st.lists(st.sampled_from(OPTIONAL_CATEGORIES), unique=True),
            "language": st.sampled_from(["kk", "ru", "en"]),
            "device": st.sampled_from(["desktop", "mobile", "tablet", "bot"]),
            "policy_version": st.integers(1, 2),
            "banner_version": st.integers(1, 3),
            "layer": st.sampled_from(["first", "settings"]),
            "signal": st.sampled_from(["none", "gpc", "dnt"]),
        }
    ),
    max_size=40,
)
START = datetime(2026, 10, 25, tzinfo=UTC)


def recomputed(events, timezone, first, last, interval, by):
    """The rows the raw events give, computed the plain way, rates written out by hand."""
    groups: dict[tuple, list[dict]] = {}
    for event in events:
        day = (START + timedelta(minutes=event["minute"])).astimezone(ZoneInfo(timezone)).date()
        if not first <= day <= last:
            continue
        start = {
            "day": day,
            "week": day - timedelta(days=day.weekday()),
            "month": day.replace(day=1),
            "total": first,
        }[interval]
        dims = {"device_class": event["device"]} | event
        groups.setdefault((max(start, first), *(dims[name] for name in by)), []).append(event)
    answer = {}
    for key, group in groups.items():

        def n(action, group=group):
            return sum(1 for e in group if e["action"] == action)

        decisions = n("accept_all") + n("reject_all") + n("custom")
        shown = n("shown")
        signalled = sum(
            1
            for e in group
            if e["action"] in ("accept_all", "reject_all", "custom") and e["signal"] != "none"
        )

        def ratio(a, b):
            return a / b if b else None

        rates = {
            "interaction_rate": ratio(decisions, shown),
            "no_choice_rate": ratio(shown - decisions, shown),
            "accept_all_share": ratio(n("accept_all"), decisions),
            "reject_all_share": ratio(n("reject_all"), decisions),
            "custom_share": ratio(n("custom"), decisions),
            "withdrawal_rate": ratio(n("withdraw"), decisions),
            "signal_share": ratio(signalled + n("gpc"), decisions + n("gpc")),
        }
        for category in OPTIONAL_CATEGORIES:
            granted = sum(
                1
                for e in group
                if e["action"] in ("accept_all", "reject_all", "custom")
                and category in e["categories"]
            )
            rates[f"optin_{category}"] = ratio(granted, decisions)
        answer[key] = rates
    return answer


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=EVENTS,
    interval=st.sampled_from(["day", "week", "month", "total"]),
    by=st.lists(st.sampled_from(DIMENSIONS), unique=True, max_size=3),
    first_offset=st.integers(0, 10),
    length=st.integers(0, 15),
)
def test_every_rate_equals_a_recomputation_from_the_raw_events(
    site, events, interval, by, first_offset, length
):
    first = date(2026, 10, 25) + timedelta(days=first_offset)
    last = first + timedelta(days=length)
    try:
        for event in events:
            fields = {k: v for k, v in event.items() if k not in ("minute", "device")}
            record_event(
                site, START + timedelta(minutes=event["minute"]), device=event["device"], **fields
            )
        rows = stat_rows(db.session, site.id, first, last, interval, by)
    finally:
        db.session.rollback()

    expected = recomputed(events, site.timezone, first, last, interval, by)
    # Without dimensions every period is listed; the raw events know only those they fill.
    got = {
        (row.period, *row.dimensions.values()): row.rates
        for row in rows
        if by or any(row.counts.values())
    }
    assert got.keys() == expected.keys()
    for key, rates in expected.items():
        assert got[key] == pytest.approx(rates), key
