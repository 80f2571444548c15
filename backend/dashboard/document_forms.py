"""The form of what only the owner knows for a site's documents."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from backend.dashboard.forms import SiteChangeForm
from backend.dashboard.site_forms import strip
from backend.labels import LANGUAGE_NAMES
from backend.models import DocumentInputs
from backend.services.document_inputs import (
    FORM_FIELDS_MISSING,
    FORM_NAME_MISSING,
    MAX_FORM_NAME,
    MAX_FORMS,
    MAX_RECIPIENTS,
    MAX_REQUEST_DAYS,
    MAX_SECTION_TEXT,
    MAX_SECTION_TITLE,
    MAX_SECTIONS,
    MAX_STORAGE_MONTHS,
    REQUEST_DAYS_RANGE,
    SECTION_TEXT_MISSING,
    SECTION_TITLE_MISSING,
    STORAGE_RANGE,
    TEXT_LIMITS,
    phone_problem,
)

# What the owner picks, named in the dashboard's language (the documents name them in their
# own: backend/services/document_texts.py).
FIELD_NAMES = {
    "name": _l("Full name"),
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
    "message": _l("Message text"),
    "company": _l("Company name"),
    "city": _l("City"),
    "address": _l("Address"),
    "birth_date": _l("Date of birth"),
    "child_name": _l("Child's name"),
}
PURPOSE_NAMES = {
    "feedback": _l("Answering the inquiry"),
    "callback": _l("Calling back"),
    "order": _l("Placing and fulfilling an order"),
    "booking": _l("Booking"),
    "enrolment": _l("Enrolment and the contract"),
    "newsletter": _l("Sending news and promotions"),
    "job": _l("Considering a job application"),
}
MEASURE_NAMES = {
    "tls": _l("Encrypted connections (HTTPS)"),
    "access": _l("Access only for authorised staff bound to confidentiality"),
    "passwords": _l("Personal passwords and two-factor sign-in"),
    "backups": _l("Regular backups"),
    "logging": _l("Logging of access to the data"),
    "updates": _l("Timely software updates and anti-virus protection"),
    "training": _l("Staff trained in personal data rules"),
}
COUNTRY_NAMES = {
    "": _l("Not filled in yet"),
    "kz": _l("Kazakhstan"),
    "ru": _l("Russia"),
    "de": _l("Germany"),
    "nl": _l("Netherlands"),
    "fi": _l("Finland"),
    "us": _l("USA"),
    "tr": _l("Turkey"),
    "ae": _l("UAE"),
    "sg": _l("Singapore"),
}


def _choices(names: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in names.items()]


def _checkboxes(label: Any, choices: dict, description: Any = "") -> SelectMultipleField:
    return SelectMultipleField(
        label,
        choices=_choices(choices),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=description,
    )


class WholeNumberField(IntegerField):
    """A whole number, with its own message for anything else typed, and no range check
    after it (which would only repeat the problem)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not valuelist[0].strip():
            self.data = None  # left empty: for the validators to judge
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Give a whole number.")) from error

    def pre_validate(self, form: Form) -> None:
        if self.process_errors:
            raise StopValidation()


def _phone(form: Form, field: StringField) -> None:
    problem = phone_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class FormEntry(Form):
    """One form of the site that collects personal data; an entry left empty is none."""

    name = StringField(
        _l("Form name"),
        filters=[strip],
        validators=[Length(max=MAX_FORM_NAME)],
        description=_l("As the site calls it, e.g. “Feedback”."),
    )
    fields = _checkboxes(_l("Data it collects"), FIELD_NAMES)
    purpose = SelectField(_l("Purpose"), choices=_choices(PURPOSE_NAMES))
    storage_months = WholeNumberField(
        _l("Keep the data, months"),
        validators=[
            Optional(),
            NumberRange(1, MAX_STORAGE_MONTHS, STORAGE_RANGE),
        ],
        description=_l("36 months is 3 years."),
    )
    recipients = StringField(
        _l("Who else receives the data"),
        filters=[strip],
        validators=[Length(max=MAX_RECIPIENTS)],
        description=_l("E.g. a CRM service, with its company. Empty: nobody else."),
    )

    def is_empty(self) -> bool:
        return not (self.name.data or self.fields.data or self.recipients.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_empty():
            return valid
        if not self.name.data:
            self.name.errors.append(FORM_NAME_MISSING)
            valid = False
        if not self.fields.data:
            self.fields.errors.append(FORM_FIELDS_MISSING)
            valid = False
        if self.storage_months.data is None and not self.storage_months.errors:
            self.storage_months.errors.append(_l("Give a number of months."))
            valid = False
        return valid


class ExtraSection(Form):
    """A section of the owner's own, added to the policy in one language."""

    language = SelectField(_l("Language"), choices=_choices(LANGUAGE_NAMES))
    title = StringField(
        _l("Section title"), filters=[strip], validators=[Length(max=MAX_SECTION_TITLE)]
    )
    text = TextAreaField(
        _l("Text"),
        filters=[strip],
        validators=[Length(max=MAX_SECTION_TEXT)],
        description=_l("Plain text; an empty line starts a new paragraph."),
    )

    def is_empty(self) -> bool:
        return not (self.title.data or self.text.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_empty():
            return valid
        for field, message in (
            (self.title, SECTION_TITLE_MISSING),
            (self.text, SECTION_TEXT_MISSING),
        ):
            if not field.data:
                field.errors.append(message)
                valid = False
        return valid


class DocumentInputsForm(SiteChangeForm):
    """Hosting, forms, protection, requests and own sections of a site's documents."""

    hosting_provider = StringField(
        _l("Hosting provider"),
        filters=[strip],
        validators=[Length(max=TEXT_LIMITS["hosting_provider"])],
        description=_l("The company whose servers the site runs on, e.g. PS Cloud Services LLP."),
    )
    hosting_country = SelectField(
        _l("Country of the servers"),
        choices=_choices(COUNTRY_NAMES),
        description=_l(
            "Article 12 of Law No. 94-V asks for personal data to be stored in a database in "
            "Kazakhstan. The documents say so only when you choose Kazakhstan here."
        ),
    )
    hosting_city = StringField(
        _l("City of the servers"),
        filters=[strip],
        validators=[Length(max=TEXT_LIMITS["hosting_city"])],
    )
    contact_phone = StringField(
        _l("Phone for requests"),
        filters=[strip],
        validators=[_phone],
        description=_l("Optional. The e-mail and address come from Settings."),
    )
    forms = FieldList(
        FormField(FormEntry), label=_l("Forms"), min_entries=1, max_entries=MAX_FORMS + 1
    )
    measures = _checkboxes(
        _l("Protection measures"),
        MEASURE_NAMES,
        _l("Only what you really do: the policy promises each one ticked."),
    )
    request_subject = StringField(
        _l("E-mail subject for requests"),
        filters=[strip],
        validators=[Length(max=TEXT_LIMITS["request_subject"])],
        description=_l(
            "The documents ask people to write with this subject, e.g. “Personal data”."
        ),
    )
    request_days = WholeNumberField(
        _l("Answer within, working days"),
        validators=[Optional(), NumberRange(1, MAX_REQUEST_DAYS, REQUEST_DAYS_RANGE)],
        description=_l("Optional: the term you promise to answer in."),
    )
    extra_sections = FieldList(
        FormField(ExtraSection),
        label=_l("Sections of your own"),
        min_entries=1,
        max_entries=MAX_SECTIONS + 1,
    )

    @classmethod
    def for_inputs(cls, inputs: DocumentInputs, **kwargs: Any) -> "DocumentInputsForm":
        """The form filled with the saved inputs and one empty form and section to add."""
        data = {name: getattr(inputs, name) for name in (
            "hosting_provider", "hosting_country", "hosting_city", "contact_phone",
            "measures", "request_subject", "request_days",
        )}  # fmt: skip
        data["forms"] = [*inputs.forms, {}]
        data["extra_sections"] = [*inputs.extra_sections, {}]
        form = cls(**kwargs, data=data)
        form.shown_for(inputs)
        return form

    def inputs(self) -> dict[str, Any]:
        """The inputs as DocumentInputs stores them; empty entries left out."""
        forms = [
            {
                "name": entry.form.name.data,
                "fields": list(entry.form.fields.data),
                "purpose": entry.form.purpose.data,
                "storage_months": entry.form.storage_months.data,
                "recipients": entry.form.recipients.data or "",
            }
            for entry in self.forms
            if not entry.form.is_empty()
        ]
        sections = [
            {
                "language": entry.form.language.data,
                "title": entry.form.title.data,
                "text": (entry.form.text.data or "").replace("\r\n", "\n"),
            }
            for entry in self.extra_sections
            if not entry.form.is_empty()
        ]
        return {
            "hosting_provider": self.hosting_provider.data or "",
            "hosting_country": self.hosting_country.data or "",
            "hosting_city": self.hosting_city.data or "",
            "contact_phone": self.contact_phone.data or "",
            "forms": forms,
            "measures": list(self.measures.data or []),
            "request_subject": self.request_subject.data or "",
            "request_days": self.request_days.data,
            "extra_sections": sections,
        }
