"""The overview's period picker: which days it shows, and which rate it charts."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import Optional

from backend.schemas.export import EARLIEST, LATEST, MAX_DAYS
from backend.services.rates import RATES

CUSTOM = "custom"
PERIODS = [
    SelectChoice("7", _l("7 days")),
    SelectChoice("30", _l("30 days")),
    SelectChoice("90", _l("90 days")),
    SelectChoice(CUSTOM, _l("Custom")),
]


class PeriodForm(FlaskForm):
    """Which days the overview shows (read from the query string), and which rate it charts."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    period = SelectField(_l("Period"), choices=PERIODS, default="30")
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    rate = SelectField(
        _l("Chart"),
        choices=[SelectChoice(rate.name, rate.label) for rate in RATES],
        default="accept_all_share",
    )

    def validate(self, extra_validators=None) -> bool:
        """A custom period needs both days, in order, at most ten years apart."""
        if not super().validate(extra_validators) or self.period.data != CUSTOM:
            return not self.errors
        first, last = self.start.data, self.end.data
        if first is None or last is None:
            self.end.errors.append(_l("Give both days of a custom period."))
        elif last < first:
            self.end.errors.append(_l("The last day must not be before the first."))
        elif last - first > timedelta(days=MAX_DAYS):
            self.end.errors.append(_l("A period is at most ten years long."))
        elif first < EARLIEST or last > LATEST:
            self.end.errors.append(_l("Choose days between 2000 and 2999."))
        return not self.end.errors


# The names the form reads from the query string: what a link back to the same period keeps.
PERIOD_FIELDS = frozenset(
    name for name, value in vars(PeriodForm).items() if isinstance(value, UnboundField)
)
