"""The overview's figures of a site: a period against the one before it, the chart of one
rate with the days versions changed, and the breakdowns by language and device."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from backend.extensions import db
from backend.models import UNKNOWN_VERSION, DailyStat, PolicyVersion, Site
from backend.overview.charts import LineChart
from backend.overview.forms import CUSTOM, PeriodForm
from backend.services.rates import RATES_BY_NAME, figures, stat_rows, total
from backend.services.stats import local_day

# Long periods are charted by week or month, so that a line stays readable.
CHART_INTERVALS = ((92, "day"), (731, "week"), (None, "month"))


def chart_interval(days: int) -> str:
    return next(interval for limit, interval in CHART_INTERVALS if limit is None or days <= limit)


def period_days(form: PeriodForm, today: date) -> tuple[date, date]:
    """The first and last day the form asks for; the last n days up to today by default."""
    if form.period.data == CUSTOM:
        return form.start.data, form.end.data
    length = int(form.period.data)
    return today - timedelta(days=length - 1), today


def version_markers(site: Site, first: date, last: date) -> list[tuple[date, str]]:
    """Days in first…last on which a policy version was published or a banner version was
    first counted, with a short label each."""
    markers = [
        (local_day(published, site.timezone), f"P{version}")
        for version, published in db.session.execute(
            sa.select(PolicyVersion.version, PolicyVersion.published_at).where(
                PolicyVersion.site_id == site.id
            )
        )
    ]
    first_seen = db.session.execute(
        sa.select(DailyStat.banner_version, sa.func.min(DailyStat.day))
        .where(DailyStat.site_id == site.id, DailyStat.banner_version != UNKNOWN_VERSION)
        .group_by(DailyStat.banner_version)
    )
    markers += [(day, f"B{version}") for version, day in first_seen]
    return sorted((day, label) for day, label in markers if first <= day <= last)


def overview_figures(site: Site, form: PeriodForm) -> dict:
    """What the overview shows of a site for a checked period form: the figures against the
    previous period, the chart, the breakdowns (for the dashboard and shared links)."""
    today = datetime.now(ZoneInfo(site.timezone)).date()
    first, last = period_days(form, today)
    length = (last - first).days + 1
    previous_last = first - timedelta(days=1)
    previous_first = previous_last - timedelta(days=length - 1)
    interval = chart_interval(length)

    current = stat_rows(db.session, site.id, first, last, interval)
    previous = stat_rows(db.session, site.id, previous_first, previous_last, interval)
    current_total, previous_total = total(current, first), total(previous, previous_first)
    rate = RATES_BY_NAME[form.rate.data]
    markers = version_markers(site, first, last)
    starts = [row.period for row in current]
    chart = LineChart(
        labels=[start.isoformat() for start in starts],
        series={
            "current": [row.rates[rate.name] for row in current],
            "previous": [row.rates[rate.name] for row in previous][: len(current)],
        },
        markers=[
            (max(i for i, start in enumerate(starts) if start <= day), label)
            for day, label in markers
        ],
    )
    return {
        "first": first,
        "last": last,
        "previous_first": previous_first,
        "previous_last": previous_last,
        "interval": interval,
        "figures": figures(current_total, previous_total),
        "chart": chart,
        "chart_rate": rate,
        "chart_rows": list(zip(current, previous, strict=False)),
        "markers": markers,
        "by_language": stat_rows(db.session, site.id, first, last, "total", ["language"]),
        "by_device": stat_rows(db.session, site.id, first, last, "total", ["device_class"]),
        "totals": current_total,
    }
