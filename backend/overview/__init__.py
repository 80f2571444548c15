"""A site's overview of consent rates, as the dashboard and shared links show it: the figures
of a period against the one before (figures.py), a chart (charts.py), breakdowns, all for the
period the query string asks for (forms.py)."""

from flask import render_template, request
from flask_babel import format_decimal, format_percent, gettext

from backend.labels import (
    CATEGORY_NAMES,
    DEVICE_NAMES,
    DIMENSION_NAMES,
    INTERVAL_NAMES,
    LANGUAGE_NAMES,
)
from backend.models import OPTIONAL_CATEGORIES, Site
from backend.overview.figures import overview_figures
from backend.overview.forms import PeriodForm
from backend.schemas.export import MAX_DAILY_DAYS
from backend.services.rates import RATES_BY_NAME, SHOWN_COUNTS, Figure

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


def overview_page(template: str, site: Site, **page):
    """Render an overview of the site for the period the query string asks for; 422 with
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
        "max_daily_days": MAX_DAILY_DAYS,
    }
    if request.args and not form.validate():
        return render_template(template, **page), 422
    return render_template(template, **page, **overview_figures(site, form))
