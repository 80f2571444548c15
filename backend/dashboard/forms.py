"""What every dashboard form that changes a site shares: noticing a newer change, and
catching up with it field by field."""

from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeSerializer
from wtforms import Field, HiddenField
from wtforms.validators import ValidationError

from backend.models import Site

STALE_MESSAGE = _l(
    "Someone else changed this site after you opened this form. Your changes are still in "
    "the form below and were not saved: check them against the current state and save again."
)
CAUGHT_UP_MESSAGE = _l(
    "Someone else changed this site after you opened this form, so nothing was saved. The "
    "form now holds the current values with your own changes on top; what the other person "
    "changed is listed below. Check it and save again."
)
SHOWN_SALT = "kelisim.form-shown"
# Fields that hold no value of the site: how the form travels.
TRAVEL_FIELDS = ("csrf_token", "revision", "shown")


def rule(problem: Callable[[str], Any]) -> Callable[[Any, Field], None]:
    """A WTForms validator from a shared check (backend/site_rules.py) that says what is
    wrong with a value, or None."""

    def check(form: Any, field: Field) -> None:
        message = problem(field.data or "")
        if message:
            raise ValidationError(message)

    return check


@dataclass
class ColleagueChange:
    """A field someone else changed after the form was shown, as the person reads it."""

    label: str
    # As this form showed it; None when the form did not say (one sent by an older page).
    before: str | None
    now: str
    # The person's own, different value of the same field, which the form kept.
    yours: str | None = None


class SiteChangeForm(FlaskForm):
    """Base of the forms that change a site: carries the site's revision as it was shown,
    and the values it was shown with (signed), so that after someone else's change it can
    tell theirs from the person's own."""

    revision = HiddenField()
    shown = HiddenField()
    # Fields that only steer the page (what a preview shows), never a value of the site.
    steering: tuple[str, ...] = ()
    # How an empty field reads in the list of someone else's changes.
    blank = _l("(empty)")
    # After a stale save caught up with the current values (catch_up): what changed.
    colleague_changes: list[ColleagueChange] | None = None

    def shown_for(self, site: Site) -> None:
        """Remember which revision of the site, and which values, the form is shown with."""
        self.revision.data = str(site.revision)
        self.shown.data = _serializer().dumps(self.values())

    def is_stale(self, site: Site, current: Callable[[], "SiteChangeForm"] | None = None) -> bool:
        """True when the site changed since the form was shown; the form then says so and
        carries the current revision, so that saving again (after a look) goes through.

        With ``current`` (the form as it would be shown now, filled from the site), the
        form also catches up with it field by field (catch_up); without, the person's input
        stays as sent (a form that adds or removes something rather than edits values)."""
        if self.revision.data == str(site.revision):
            return False
        if current is None:
            self.form_errors.append(str(STALE_MESSAGE))
            self.shown_for(site)
        else:
            self.form_errors.append(str(CAUGHT_UP_MESSAGE))
            self.catch_up(current())
            self.revision.data = str(site.revision)
        return True

    def catch_up(self, current: "SiteChangeForm") -> None:
        """Take the current values into every field the person did not edit, keep their
        edits, and list what someone else changed since the form was shown.

        A field counts as edited when its value differs from the one the form was shown
        with. Should that be unknown (the signed values are missing or broken), every field
        whose value differs from the current one is kept as the person's and listed, so
        that nothing is overwritten unseen. The form then carries the current values as the
        ones it was shown with, so a further change by someone else is caught again."""
        shown = self.shown_values()
        now = current.values()
        theirs = dict(current.value_fields())
        changes = []
        for name, field in self.value_fields():
            if name not in now:
                continue
            mine = _plain(field.data)
            before = now[name] if shown is None else shown.get(name, now[name])
            edited = mine != before if shown is not None else mine != now[name]
            if not edited:
                _take(field, theirs[name])
            if before != now[name] or (shown is None and edited):
                changes.append(
                    ColleagueChange(
                        label=self.label_of(name),
                        before=None if shown is None else self.readable(field, before),
                        now=self.readable(field, now[name]),
                        yours=self.readable(field, mine) if edited and mine != now[name] else None,
                    )
                )
        self.colleague_changes = changes
        self.shown.data = _serializer().dumps(now)

    def value_fields(self) -> Iterator[tuple[str, Field]]:
        """(name, field) of every field that holds a value of the site, sub-forms' fields
        one by one."""
        for field in self:
            if field.name in TRAVEL_FIELDS or field.name in self.steering:
                continue
            if field.type == "FormField":
                for sub in field:
                    if sub.name not in TRAVEL_FIELDS and sub.type != "CSRFTokenField":
                        yield sub.name, sub
            else:
                yield field.name, field

    def values(self) -> dict[str, Any]:
        """Every value of the form as plain data, by field name, to compare."""
        return {name: _plain(field.data) for name, field in self.value_fields()}

    def shown_values(self) -> dict[str, Any] | None:
        """The values the form was shown with, or None if it does not say."""
        try:
            values = _serializer().loads(self.shown.data or "")
        except BadData:
            return None
        return values if isinstance(values, dict) else None

    def label_of(self, name: str) -> str:
        """A field's label; a sub-form's field after the sub-form's ("Privacy policy · In
        Kazakh")."""
        for field in self:
            if field.name == name:
                return str(field.label.text)
            if field.type == "FormField" and name.startswith(f"{field.name}-"):
                return (
                    f"{field.label.text} · {field[name.removeprefix(field.name + '-')].label.text}"
                )
        return name

    def readable(self, field: Field, value: Any) -> str:
        """A value as the person reads it: a choice by its label, yes or no, a list joined."""
        choices = _choice_labels(field)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, list):
            return ", ".join(choices.get(str(item), str(item)) for item in value) or str(self.blank)
        if value == "":
            return str(self.blank)
        return choices.get(str(value), str(value))


def _take(field: Field, current: Field) -> None:
    """Show ``current``'s value in ``field``, without the person's input or its errors."""
    field.data = deepcopy(current.data)
    field.raw_data = None
    field.errors = []


def _plain(value: Any) -> Any:
    """A field's value as JSON keeps it; nothing typed is the empty text, line ends as
    stored (browsers send a textarea's as CR LF)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def _choice_labels(field: Field) -> dict[str, str]:
    """{value: label} of a field with choices; empty for any other."""
    if not hasattr(field, "iter_choices"):
        return {}
    return {str(choice[0]): str(choice[1]) for choice in field.iter_choices()}


def _serializer() -> URLSafeSerializer:
    """Signs the values a form was shown with (a form field: they come back from the
    browser, and the person could not have seen other values)."""
    return URLSafeSerializer(current_app.secret_key, salt=SHOWN_SALT)
