"""Consent rates, defined once: every figure that the dashboard, the API, the exports and the
CLI show is computed here, from the daily aggregates, with the formula it is shown with.

Cost grows with the days and dimension values asked for, never with the number of events.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import add
from typing import Any

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from backend.models import DECISIONS, DIMENSIONS, INTERVALS, OPTIONAL_CATEGORIES
from backend.services import InvalidInput
from backend.services.stats import COUNTERS, SIGNALLED, summed_counts

# The counts of every row, in the order they are shown and exported.
COUNTS = (
    "shown", "decisions", "accept_all", "reject_all", "custom", "withdraw", "gpc", SIGNALLED,
    *(f"granted_{category}" for category in OPTIONAL_CATEGORIES),
)  # fmt: skip


class TooManyRows(InvalidInput):
    """A stats query whose answer would hold more rows than allowed."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(f"The answer would hold more than {max_rows} rows.")
        self.max_rows = max_rows


@dataclass(frozen=True)
class Rate:
    """A rate: one term of a row over another (TERMS); None where the denominator is 0."""

    name: str
    label: Any  # a lazy string, in the reader's language
    formula: Any
    numerator: str
    denominator: str


RATES = (
    Rate("interaction_rate", _l("Interaction rate"), _l("decisions / banners shown"),
         "decisions", "shown"),
    Rate("no_choice_rate", _l("No choice"), _l("(banners shown − decisions) / banners shown"),
         "undecided", "shown"),
    Rate("accept_all_share", _lp("rate: share of decisions", "Accept all"),
         _l("“Accept all” / decisions"), "accept_all", "decisions"),
    Rate("reject_all_share", _lp("rate: share of decisions", "Reject all"),
         _l("“Reject all” / decisions"), "reject_all", "decisions"),
    Rate("custom_share", _l("Own choice"), _l("choices made in the settings / decisions"),
         "custom", "decisions"),
    *(
        Rate(f"optin_{category}", label, _l("decisions granting the category / decisions"),
             f"granted_{category}", "decisions")
        for category, label in zip(
            OPTIONAL_CATEGORIES,
            (_l("Analytics allowed"), _l("Marketing allowed"), _l("Functional allowed")),
            strict=True,
        )
    ),
    Rate("withdrawal_rate", _l("Withdrawals"), _l("withdrawals / decisions"),
         "withdraw", "decisions"),
    Rate("signal_share", _l("GPC / DNT answers"),
         _l("(decisions under GPC or DNT + automatic GPC refusals) / "
            "(decisions + automatic GPC refusals)"),
         "signal_answers", "answers"),
)  # fmt: skip
RATES_BY_NAME = {rate.name: rate for rate in RATES}


@dataclass(slots=True)
class StatRow:
    """One period (and combination of dimension values) with its counts and rates."""

    period: date
    dimensions: dict[str, Any]
    counts: dict[str, int]
    rates: dict[str, float | None]


# What the aggregate query sums, in its order.
SUMMED = (*COUNTERS, SIGNALLED)
# A row's terms: the sums, then what rates divide besides the counts (no count holds them).
_TERMS = (*SUMMED, "decisions", "undecided", "answers", "signal_answers")
_COUNT_INDEXES = tuple((name, _TERMS.index(name)) for name in COUNTS)
_RATE_INDEXES = tuple(
    (rate.name, _TERMS.index(rate.numerator), _TERMS.index(rate.denominator)) for rate in RATES
)
_DECISION_INDEXES = tuple(SUMMED.index(name) for name in DECISIONS)
_SHOWN, _GPC, _SIGNALLED = (SUMMED.index(name) for name in ("shown", "gpc", SIGNALLED))


def stat_row(period: date, dimensions: dict[str, Any], summed: Sequence[int]) -> StatRow:
    """A row's counts and rates from its summed counters (in SUMMED's order)."""
    # Terms by position, not by name: this runs once for each row of an answer.
    decisions = sum([summed[index] for index in _DECISION_INDEXES])
    gpc = summed[_GPC]
    terms = (
        *summed, decisions, summed[_SHOWN] - decisions, decisions + gpc, summed[_SIGNALLED] + gpc
    )  # fmt: skip
    return StatRow(
        period,
        dimensions,
        {name: terms[index] for name, index in _COUNT_INDEXES},
        {
            name: terms[numerator] / terms[denominator] if terms[denominator] else None
            for name, numerator, denominator in _RATE_INDEXES
        },
    )


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
    max_rows: int | None = None,
) -> list[StatRow]:
    """Counts and rates of a site's days first…last, per period and dimension values.

    Without dimensions every period is there, empty ones too (rates None); with dimensions,
    every combination that counted anything, by period, then by the dimensions' values.
    TooManyRows as soon as there would be more than ``max_rows`` rows (memory stays bounded)."""
    if interval not in INTERVALS or not set(by) <= set(DIMENSIONS):
        raise ValueError(f"interval {interval!r} or dimensions {by!r} unknown")
    daily = interval != "total"
    width = len(by)
    summed: dict[tuple, tuple[int, ...]] = {}
    if not by:
        summed = {(start,): (0,) * len(SUMMED) for start in periods(first, last, interval)}
        if max_rows is not None and len(summed) > max_rows:
            raise TooManyRows(max_rows)
    # A loop over tuples, no more: this is the cost of every stats answer (bench/stats.py).
    # The result is read row by row and the sums kept as tuples, which the garbage collector
    # stops tracking the first time it looks: a long answer keeps one tracked object a row
    # (its StatRow) alive, not four.
    for row in summed_counts(connection, site_id, first, last, by, daily):
        day, values = (row[0], row[1:]) if daily else (first, row)
        key = (period_start(day, interval, first), *values[:width])
        counters = values[width:]
        existing = summed.get(key)
        if existing is None and max_rows is not None and len(summed) >= max_rows:
            raise TooManyRows(max_rows)
        summed[key] = counters if existing is None else tuple(map(add, existing, counters))
    # The query returns rows in order; only folding days into weeks or months can upset it.
    keys = sorted(summed) if interval in ("week", "month") else summed
    return [stat_row(key[0], dict(zip(by, key[1:], strict=True)), summed[key]) for key in keys]


def total(rows: Sequence[StatRow], first: date) -> StatRow:
    """All rows summed into one, with its rates."""
    return stat_row(first, {}, [sum(row.counts[name] for row in rows) for name in SUMMED])


# The counts shown beside the rates, with what they count.
SHOWN_COUNTS = (
    # The widget counts an undecided visitor once per browser session, not every page.
    ("shown", _l("Banners shown"), _l("banners shown to undecided visitors, once a session")),
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
