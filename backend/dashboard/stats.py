"""A site's overview (consent rates against the previous period, charts, breakdowns, the
install snippet) and its downloads: the stats as files, the raw events for owners."""

from flask import g, request
from flask_login import current_user

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.downloads import CSV, bounded_table, file_response, stats_response
from backend.event_files import event_lines, local_range
from backend.extensions import db
from backend.models import Role
from backend.overview import overview_page
from backend.ratelimit import rate_limited
from backend.schemas.export import DateRangeSchema, StatsQuerySchema
from backend.web import base_url, snippet


@bp.app_template_filter("end_sentence")
def end_sentence(text: str) -> str:
    """The text with its full stop, unless it already ends with one: a Russian or Kazakh
    date ends with an abbreviation ("2 нояб. 2026 г.", "2026 ж. 02 қар."), and a second stop
    after it reads as a typo ("г..")."""
    return text if text.endswith(".") else text + "."  # Markup stays Markup


@bp.get("/sites/<site_key>")
@least_role(Role.VIEWER)
def site_overview():
    """One site at a glance: consent rates of a period against the one before, a chart, the
    breakdowns by language, device and category, and the install snippet."""
    return overview_page(
        "dashboard/overview.html",
        g.site,
        owner_role=Role.OWNER,
        snippet=snippet(base_url(), g.site.public_key),
    )


def person_and_site() -> str:
    return f"{current_user.id}:{g.site.id}"


# A download reads a period's rows and writes a file: seconds of CPU for a long one. Each
# person gets a budget per site, whichever file they ask for, so that one person's clicks (or
# a script's) cannot starve everyone else's requests; the longest period is bounded too
# (backend/schemas/export.py). Figures: bench/downloads.py.
downloads_limited = rate_limited(
    "RATELIMIT_DOWNLOADS", key=person_and_site, scope="downloads", per="by one person on one site"
)


@bp.get("/sites/<site_key>/events.csv")
@least_role(Role.OWNER)
@downloads_limited
def events_download():
    """The site's raw pseudonymous events of a period, for owners: proof for a regulator."""
    site = g.site
    query = DateRangeSchema().load(request.args.to_dict())  # invalid: 422, as the API
    start, end = local_range(site, query["first"], query["last"])
    lines = event_lines(db.engine, site.id, start, end)
    filename = f"kelisim-events-{site.public_key}-{query['first']}-{query['last']}.csv"
    return file_response(lines, CSV, filename)


@bp.get("/sites/<site_key>/stats.<format>")
@least_role(Role.VIEWER)
@downloads_limited
def stats_download(format: str):
    """The site's counts and rates as a file, as the stats API answers them."""
    query = StatsQuerySchema().load(request.args.to_dict() | {"format": format})
    table = bounded_table(db.session, g.site, query)
    return stats_response(table, format, query["sep"] == "semicolon")
