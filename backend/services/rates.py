"""Consent rates, defined once: every figure that the dashboard, the API, the exports and the
CLI show is computed here, from the daily aggregates, with the formula it is shown with.

Cost grows with the days and dimension values asked for, never with the number of events.
"""

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l

from backend.models import DECISIONS, OPTIONAL_CATEGORIES
from backend.services.stats import COUNTERS, DIMENSIONS, SIGNALLED, summed_counts

INTERVALS = ("day", "week", "month", "total")
# The counts of every row, in the order they are shown and exported.
COUNTS = (
    "shown", "decisions", "accept_all", "reject_all", "custom", "withdraw", "gpc", SIGNALLED,
    *(f"granted_{category}" for category in OPTIONAL_CATEGORIES),
)  # fmt: skip


@dataclass(frozen=True)
class Rate:
    """A rate: numerator / denominator of a row's counts; None where the denominator is 0."""

    name: str
    label: Any  # a lazy string, in the reader's language
    formula: Any
    numerator: Callable[[Mapping[str, int]], int]
    denominator: Callable[[Mapping[str, int]], int]

    def of(self, counts: Mapping[str, int]) -> float | None:
        denominator = self.denominator(counts)
        return self.numerator(counts) / denominator if denominator else None


def _count(name: str) -> Callable[[Mapping[str, int]], int]:
    return lambda counts: counts[name]


RATES = (
    Rate(
        "interaction_rate", _l("Interaction rate"), _l("decisions / banners shown"),
        _count("decisions"), _count("shown"),
    ),
    Rate(
        "no_choice_rate", _l("No choice"), _l("(banners shown − decisions) / banners shown"),
        lambda c: c["shown"] - c["decisions"], _count("shown"),
    ),
    Rate(
        "accept_all_share", _l("Accept all"), _l("“Accept all” / decisions"),
        _count("accept_all"), _count("decisions"),
    ),
    Rate(
        "reject_all_share", _l("Reject all"), _l("“Reject all” / decisions"),
        _count("reject_all"), _count("decisions"),
    ),
    Rate(
        "custom_share", _l("Own choice"), _l("choices made in the settings / decisions"),
        _count("custom"), _count("decisions"),
    ),
    *(
        Rate(
            f"optin_{category}", label, _l("decisions granting the category / decisions"),
            _count(f"granted_{category}"), _count("decisions"),
        )
        for category, label in zip(
            OPTIONAL_CATEGORIES,
            (_l("Analytics allowed"), _l("Marketing allowed"), _l("Functional allowed")),
            strict=True,
        )
    ),
    Rate(
        "withdrawal_rate", _l("Withdrawals"), _l("withdrawals / decisions"),
        _count("withdraw"), _count("decisions"),
    ),
    Rate(
        "signal_share", _l("GPC / DNT answers"),
        _l("(decisions under GPC or DNT + automatic GPC refusals) / "
           "(decisions + automatic GPC refusals)"),
        lambda c: c[SIGNALLED] + c["gpc"], lambda c: c["decisions"] + c["gpc"],
    ),
)  # fmt: skip
RATES_BY_NAME = {rate.name: rate for rate in RATES}


@dataclass
class StatRow:
    """One period (and combination of dimension values) with its counts and rates."""

    period: date
    dimensions: dict[str, Any]
    counts: dict[str, int]
    rates: dict[str, float | None]


def complete_counts(counters: Mapping[str, int]) -> dict[str, int]:
    """Every count of COUNTS from summed counters (missing ones are 0)."""
    counts = {name: int(counters.get(name) or 0) for name in (*COUNTERS, SIGNALLED)}
    counts["decisions"] = sum(counts[name] for name in DECISIONS)
    return {name: counts[name] for name in COUNTS}


def rates_of(counts: Mapping[str, int]) -> dict[str, float | None]:
    """Every rate of a row's counts."""
    return {rate.name: rate.of(counts) for rate in RATES}


def period_start(day: date, interval: str, first: date) -> date:
    """The first day of the period ``day`` falls in, no earlier than ``first``."""
    if interval == "week":  # ISO weeks: Monday to Sunday, as calendars in Kazakhstan read
        start = day - timedelta(days=day.weekday())
    elif interval == "month":
        start = day.replace(day=1)
    elif interval == "total":
        start = first
    else:
        start = day
    return max(start, first)


def periods(first: date, last: date, interval: str) -> Iterator[date]:
    """The start of every period from ``first`` to ``last``."""
    if interval == "total":
        yield first
        return
    step = {"day": relativedelta(days=1), "week": relativedelta(weeks=1)}.get(
        interval, relativedelta(months=1)
    )
    calendar_start = period_start(first, interval, date.min)
    start, n = first, 0
    while start <= last:
        yield start
        n += 1
        start = calendar_start + step * n


def stat_rows(
    connection: Any,
    site_id: int,
    first: date,
    last: date,
    interval: str = "day",
    by: Sequence[str] = (),
) -> list[StatRow]:
    """Counts and rates of a site's days first…last, per period and dimension values.

    Without dimensions every period is there, empty ones too (rates None); with dimensions,
    every combination that counted anything, by period, then by the dimensions' values."""
    if interval not in INTERVALS or not set(by) <= set(DIMENSIONS):
        raise ValueError(f"interval {interval!r} or dimensions {by!r} unknown")
    summed: dict[tuple, Counter] = {}
    if not by:
        summed = {(start,): Counter() for start in periods(first, last, interval)}
    for row in summed_counts(connection, site_id, first, last, by, daily=interval != "total"):
        values = row._mapping
        start = period_start(values["day"] if interval != "total" else first, interval, first)
        key = (start, *(values[name] for name in by))
        summed.setdefault(key, Counter()).update(
            {name: values[name] or 0 for name in (*COUNTERS, SIGNALLED)}
        )
    rows = []
    for key in sorted(summed):
        counts = complete_counts(summed[key])
        rows.append(StatRow(key[0], dict(zip(by, key[1:], strict=True)), counts, rates_of(counts)))
    return rows


def total(rows: Sequence[StatRow], first: date) -> StatRow:
    """All rows summed into one, with its rates."""
    summed: Counter = Counter()
    for row in rows:
        summed.update(row.counts)
    counts = {name: summed[name] for name in COUNTS}
    return StatRow(first, {}, counts, rates_of(counts))


# The counts shown beside the rates, with what they count.
SHOWN_COUNTS = (
    ("shown", _l("Banners shown"), _l("banners shown to visitors")),
    ("decisions", _l("Decisions"), _l("“Accept all” + “Reject all” + own choices")),
)


@dataclass
class Figure:
    """A count or rate of a period beside the previous period's, and the change between:
    relative for counts, a difference of the two fractions (percentage points) for rates."""

    name: str
    label: Any
    formula: Any
    value: float | None
    previous: float | None
    is_rate: bool

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        if self.is_rate:
            return self.value - self.previous
        return (self.value - self.previous) / self.previous if self.previous else None


def figures(current: StatRow, previous: StatRow) -> list[Figure]:
    """The overview's figures of a period against the one before it."""
    return [
        Figure(name, label, formula, current.counts[name], previous.counts[name], False)
        for name, label, formula in SHOWN_COUNTS
    ] + [
        Figure(
            rate.name, rate.label, rate.formula, current.rates[rate.name],
            previous.rates[rate.name], True,
        )
        for rate in RATES
    ]  # fmt: skip
