"""A site's overview (consent rates against the previous period, charts, breakdowns, the
install snippet), its stats downloads, and the owners' API tokens and shared links."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent, gettext
from flask_login import current_user
from marshmallow import ValidationError

from backend.dashboard import bp
from backend.dashboard.access import member_site
from backend.dashboard.charts import LineChart
from backend.dashboard.stats_forms import (
    CUSTOM,
    PeriodForm,
    RevokeTokenForm,
    SharedLinkForm,
    TokenForm,
)
from backend.export.events import event_lines, local_range
from backend.export.formats import stats_table
from backend.export.routes import file_response, parse_stats_query, stats_response
from backend.extensions import db
from backend.labels import (
    CATEGORY_NAMES,
    DEVICE_NAMES,
    DIMENSION_NAMES,
    INTERVAL_NAMES,
    LANGUAGE_NAMES,
)
from backend.models import (
    OPTIONAL_CATEGORIES,
    UNKNOWN_VERSION,
    ApiToken,
    DailyStat,
    PolicyVersion,
    Role,
    SharedLink,
    Site,
)
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
from backend.services.tokens import (
    create_shared_link,
    create_token,
    revoke_token,
    shared_links,
    site_tokens,
)
from backend.web import base_url, snippet

# Long periods are charted by week or month, so that a line stays readable.
CHART_INTERVALS = ((92, "day"), (731, "week"), (None, "month"))
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


def overview_page(template: str, site: Site, **page):
    """Render an overview of the site for the period the query string asks for; 400 with
    the form's errors for a period that makes no sense."""
    form = PeriodForm(formdata=request.args or None)
    page |= {
        "site": site,
        "form": form,
        "fmt": Formats,
        "interval_names": INTERVAL_NAMES,
        "dimension_names": DIMENSION_NAMES,
        "breakdown_columns": BREAKDOWN_COLUMNS,
        "column_labels": column_labels(),
        "language_names": LANGUAGE_NAMES,
        "device_names": DEVICE_NAMES,
        "category_names": CATEGORY_NAMES,
        "optional_categories": OPTIONAL_CATEGORIES,
        "optin_formula": RATES_BY_NAME["optin_analytics"].formula,
    }
    if request.args and not form.validate():
        return render_template(template, **page), 400
    return render_template(template, **page, **overview_figures(site, form))


@bp.get("/sites/<site_key>")
def site_overview(site_key: str):
    """One site at a glance: consent rates of a period against the one before, a chart, the
    breakdowns by language, device and category, and the install snippet."""
    site, membership = member_site(site_key)
    return overview_page(
        "dashboard/overview.html",
        site,
        membership=membership,
        owner_role=Role.OWNER,
        snippet=snippet(base_url(), site.public_key),
    )


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


def tokens_page(site: Site, membership, status: int = 200, **shown):
    """The tokens page; ``shown`` may carry a form with errors, or a secret made just now."""
    page = {
        "site": site,
        "membership": membership,
        "form": TokenForm(formdata=None),
        "link_form": SharedLinkForm(formdata=None),
        "revoke_form": RevokeTokenForm(),
        "tokens": site_tokens(db.session, site),
        "links": shared_links(db.session, site),
        "secret": None,
        "link_url": None,
    } | shown
    return render_template("dashboard/tokens.html", **page), status


@bp.get("/sites/<site_key>/tokens")
def tokens(site_key: str):
    """The site's read tokens for the stats API and its shared links, with forms for new
    ones."""
    site, membership = member_site(site_key, Role.OWNER)
    return tokens_page(site, membership)


@bp.post("/sites/<site_key>/tokens")
def create_api_token(site_key: str):
    """Make a token and show it, this once."""
    site, membership = member_site(site_key, Role.OWNER)
    form = TokenForm()
    if not form.validate():
        return tokens_page(site, membership, 400, form=form)
    token, secret = create_token(db.session, site, form.name.data)
    record_change(db.session, site, current_user, "token.create", name=token.name)
    db.session.commit()
    return tokens_page(site, membership, 201, secret=secret)


@bp.post("/sites/<site_key>/shared-links")
def create_shared_overview_link(site_key: str):
    """Make a read-only link to the overview and show it, this once."""
    site, membership = member_site(site_key, Role.OWNER)
    form = SharedLinkForm()
    if not form.validate():
        return tokens_page(site, membership, 400, link_form=form)
    link, secret = create_shared_link(db.session, site, form.name.data, form.password.data)
    record_change(
        db.session, site, current_user, "shared_link.create", name=link.name,
        password=bool(form.password.data),
    )  # fmt: skip
    db.session.commit()
    url = url_for("shared.shared_overview", secret=secret, _external=True)
    return tokens_page(site, membership, 201, link_url=url)


def revoke(site_key: str, model: type[ApiToken] | type[SharedLink], item_id: int, action: str):
    """Revoke a site's token or shared link, noting who did, and go back to the list."""
    site, _ = member_site(site_key, Role.OWNER)
    if not RevokeTokenForm().validate():
        abort(400)
    item = db.session.scalar(sa.select(model).where(model.id == item_id, model.site_id == site.id))
    if item is None:
        abort(404)
    if revoke_token(item, datetime.now(UTC)):
        record_change(db.session, site, current_user, action, name=item.name)
        db.session.commit()
        flash(gettext("“%(name)s” is revoked.", name=item.name), "success")
    return redirect(url_for("dashboard.tokens", site_key=site.public_key))


@bp.post("/sites/<site_key>/tokens/<int:token_id>/revoke")
def revoke_api_token(site_key: str, token_id: int):
    """Revoke a token: scripts using it get 401 from now on."""
    return revoke(site_key, ApiToken, token_id, "token.revoke")


@bp.post("/sites/<site_key>/shared-links/<int:link_id>/revoke")
def revoke_shared_link(site_key: str, link_id: int):
    """Revoke a shared link: it answers 404 from now on."""
    return revoke(site_key, SharedLink, link_id, "shared_link.revoke")
