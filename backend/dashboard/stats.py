"""A site's overview (consent rates against the previous period, charts, breakdowns, the
install snippet), its stats downloads, and the owners' API tokens."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import ValidationError

from backend.dashboard import bp
from backend.dashboard.access import member_site
from backend.dashboard.charts import LineChart
from backend.dashboard.stats_forms import CUSTOM, PeriodForm, RevokeTokenForm, TokenForm
from backend.export.events import event_lines, local_range
from backend.export.formats import stats_table
from backend.export.routes import file_response, parse_stats_query, stats_response
from backend.extensions import db
from backend.models import UNKNOWN_VERSION, ApiToken, DailyStat, PolicyVersion, Role, Site
from backend.schemas.export import DateRangeSchema
from backend.services.audit import record_change
from backend.services.rates import (
    RATES_BY_NAME,
    SHOWN_COUNTS,
    Figure,
    figures,
    stat_rows,
    total,
)
from backend.services.stats import local_day
from backend.services.tokens import create_token, revoke_token, site_tokens
from backend.web import base_url, snippet

# Long periods are charted by week or month, so that a line stays readable.
CHART_INTERVALS = ((92, "day"), (731, "week"), (None, "month"))
DEVICE_NAMES = {
    "desktop": _l("Desktop"),
    "mobile": _l("Mobile"),
    "tablet": _l("Tablet"),
    "bot": _l("Bot"),
}
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
CATEGORY_NAMES = {
    "analytics": _l("Analytics"),
    "marketing": _l("Marketing"),
    "functional": _l("Functional"),
}
INTERVAL_NAMES = {"day": _l("by day"), "week": _l("by week"), "month": _l("by month")}
DIMENSION_NAMES = {"language": _l("Language"), "device_class": _l("Device")}
BREAKDOWN_COLUMNS = (
    "shown", "decisions", "interaction_rate", "accept_all_share", "reject_all_share",
    "custom_share",
)  # fmt: skip


class Formats:
    """How the overview writes figures, in the reader's language."""

    @staticmethod
    def value(value: float | None, is_rate: bool) -> str:
        if value is None:
            return "—"
        return format_percent(value, "#,##0.0%") if is_rate else format_decimal(value)

    @staticmethod
    def change(figure: Figure) -> str:
        change = figure.change
        if change is None:
            return "—"
        if figure.is_rate:
            points = format_decimal(change * 100, "+#,##0.0;−#,##0.0")
            return gettext("%(points)s pp", points=points)
        return format_percent(change, "+#,##0%;−#,##0%")

    @staticmethod
    def marker(label: str) -> str:
        if label.startswith("P"):
            return gettext("policy version %(version)s published", version=label[1:])
        return gettext("banner version %(version)s first shown", version=label[1:])


def column_labels() -> dict:
    return {name: label for name, label, _ in SHOWN_COUNTS} | {
        name: rate.label for name, rate in RATES_BY_NAME.items()
    }


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


@bp.get("/sites/<site_key>")
def site_overview(site_key: str):
    """One site at a glance: consent rates of a period against the one before, a chart, the
    breakdowns by language, device and category, and the install snippet."""
    site, membership = member_site(site_key)
    form = PeriodForm(formdata=request.args or None)
    page = {
        "site": site,
        "membership": membership,
        "form": form,
        "fmt": Formats,
        "owner_role": Role.OWNER,
        "interval_names": INTERVAL_NAMES,
        "dimension_names": DIMENSION_NAMES,
        "breakdown_columns": BREAKDOWN_COLUMNS,
        "column_labels": column_labels(),
    }
    page["snippet"] = snippet(base_url(), site.public_key)
    if request.args and not form.validate():
        return render_template("dashboard/overview.html", **page), 400

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
    page.update(
        first=first,
        last=last,
        previous_first=previous_first,
        previous_last=previous_last,
        interval=interval,
        figures=figures(current_total, previous_total),
        chart=chart,
        chart_rate=rate,
        chart_rows=list(zip(current, previous, strict=False)),
        markers=markers,
        by_language=stat_rows(db.session, site.id, first, last, "total", ["language"]),
        by_device=stat_rows(db.session, site.id, first, last, "total", ["device_class"]),
        language_names=LANGUAGE_NAMES,
        device_names=DEVICE_NAMES,
        totals=current_total,
        category_names=CATEGORY_NAMES,
        optin_formula=RATES_BY_NAME["optin_analytics"].formula,
    )
    return render_template("dashboard/overview.html", **page)


@bp.get("/sites/<site_key>/events.csv")
def events_download(site_key: str):
    """The site's raw pseudonymous events of a period, for owners: proof for a regulator."""
    site, _ = member_site(site_key, Role.OWNER)
    try:
        query = DateRangeSchema().load(request.args.to_dict())
    except ValidationError:
        abort(400)
    start, end = local_range(site, query["first"], query["last"])
    lines = event_lines(db.engine, site.id, start, end)
    filename = f"kelisim-events-{site.public_key}-{query['first']}-{query['last']}.csv"
    return file_response(lines, "text/csv; charset=utf-8", filename)


@bp.get("/sites/<site_key>/stats.<format>")
def stats_download(site_key: str, format: str):
    """The site's counts and rates as a file, as the stats API answers them."""
    site, _ = member_site(site_key)
    try:
        query = parse_stats_query(request.args.to_dict() | {"format": format})
    except ValidationError:
        abort(400)
    return stats_response(stats_table(db.session, site, query), format, query["sep"] == "semicolon")


def tokens_page(site: Site, membership, form: TokenForm, secret: str | None = None):
    return render_template(
        "dashboard/tokens.html",
        site=site,
        membership=membership,
        form=form,
        revoke_form=RevokeTokenForm(),
        tokens=site_tokens(db.session, site),
        secret=secret,
    )


@bp.get("/sites/<site_key>/tokens")
def tokens(site_key: str):
    """The site's read tokens for the stats API, and a form for a new one."""
    site, membership = member_site(site_key, Role.OWNER)
    return tokens_page(site, membership, TokenForm())


@bp.post("/sites/<site_key>/tokens")
def create_api_token(site_key: str):
    """Make a token and show it, this once."""
    site, membership = member_site(site_key, Role.OWNER)
    form = TokenForm()
    if not form.validate():
        return tokens_page(site, membership, form), 400
    token, secret = create_token(db.session, site, form.name.data)
    record_change(db.session, site, current_user, "token.create", name=token.name)
    db.session.commit()
    return tokens_page(site, membership, TokenForm(formdata=None), secret), 201


@bp.post("/sites/<site_key>/tokens/<int:token_id>/revoke")
def revoke_api_token(site_key: str, token_id: int):
    """Revoke a token: scripts using it get 401 from now on."""
    site, _ = member_site(site_key, Role.OWNER)
    if not RevokeTokenForm().validate():
        abort(400)
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.site_id == site.id)
    )
    if token is None:
        abort(404)
    if revoke_token(token, datetime.now(UTC)):
        record_change(db.session, site, current_user, "token.revoke", name=token.name)
        db.session.commit()
        flash(gettext("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("dashboard.tokens", site_key=site.public_key))
