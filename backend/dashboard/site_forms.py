"""Forms of a site itself: creating it, its settings, deleting it."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from backend.dashboard.forms import SiteChangeForm, rule
from backend.labels import LANGUAGE_NAMES
from backend.mail_address import MailAddress
from backend.models import LANGUAGES, Site
from backend.services import InvalidInput
from backend.services.sites import host_name, web_address_problem
from backend.site_rules import (
    MAX_ADDRESS,
    MAX_CONSENT_MONTHS,
    MAX_DOMAINS,
    MAX_EMAIL,
    MAX_LEGAL_NAME,
    MAX_NAME,
    MAX_RETENTION_MONTHS,
    OPERATOR_EMAIL_MESSAGE,
    bin_problem,
    consent_days,
    consent_months,
    timezone_choices,
)


def strip(value: str | None) -> str | None:
    """A filter: the value without surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


def _bin_digits(value: str | None) -> str | None:
    """A BIN as digits: people copy it with spaces from documents."""
    return "".join(value.split()) if isinstance(value, str) else value


def _web_address(form: Form, field: URLField) -> None:
    """Only http(s) links to a host: a javascript: or data: link never reaches a banner."""
    problem = web_address_problem(field.data)
    if problem:
        raise ValidationError(problem)


class DomainsField(TextAreaField):
    """Host names, one per line; on valid input they become lower-case, punycode names."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]

    def _value(self) -> str:
        return "\n".join(self.data or [])

    def pre_validate(self, form: Form) -> None:
        if not self.data:
            raise StopValidation(_l("Give at least one domain, e.g. arman.kz."))
        names = []
        for line in self.data:
            try:
                names.append(host_name(line))
            except InvalidInput:
                # gettext, not a lazy string: a lazy one is marked safe in templates, and
                # this message carries what the user typed.
                self.errors.append(
                    _(
                        "“%(domain)s” is not a domain name such as arman.kz: write it without "
                        "https://, a port or a path.",
                        domain=line,
                    )
                )
        unique = list(dict.fromkeys(names))
        if len(unique) > MAX_DOMAINS:
            self.errors.append(_l("At most %(count)d domains.", count=MAX_DOMAINS))
        if self.errors:
            raise StopValidation()
        self.data = unique


SITE_NAME = StringField(
    _l("Site name"),
    filters=[strip],
    validators=[DataRequired(_l("Give the site a name.")), Length(max=MAX_NAME)],
    description=_l("How the site is called in the dashboard, e.g. “Arman cinema”."),
)
DOMAINS = DomainsField(
    _l("Domains"),
    description=_l(
        "One per line, e.g. arman.kz. The widget records consents only from pages on these "
        "domains, so nobody else can send events in the site's name."
    ),
)


class MonthsField(IntegerField):
    """A whole number of months, with its own message for anything else typed."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Give a whole number of months.")) from error


def _months_field(label: str, most: int, description: str) -> MonthsField:
    return MonthsField(
        label,
        validators=[
            InputRequired(_l("Give a number of months.")),
            NumberRange(1, most, _l("From 1 to %(max)d months.", max=most)),
        ],
        description=description,
    )


class NewSiteForm(FlaskForm):
    """A site's first details; the rest waits on its settings page."""

    name = SITE_NAME
    domains = DOMAINS


class PolicyUrlsForm(Form):
    """The privacy policy's address in each language."""

    kk = URLField(_l("In Kazakh"), filters=[strip], validators=[Optional(), _web_address])
    ru = URLField(_l("In Russian"), filters=[strip], validators=[Optional(), _web_address])
    en = URLField(_l("In English"), filters=[strip], validators=[Optional(), _web_address])


class SiteSettingsForm(SiteChangeForm):
    """Everything about a site except its trackers and banner texts."""

    name = SITE_NAME
    domains = DOMAINS
    allow_subdomains = BooleanField(
        _l("Also accept consents from subdomains (e.g. shop.arman.kz)"),
    )
    legal_name = StringField(
        _l("Legal name of the operator"),
        filters=[strip],
        validators=[Length(max=MAX_LEGAL_NAME)],
        description=_l(
            "The company or entrepreneur that collects the data, e.g. LLP “Arman Cinema”. The "
            "banner names it: a consent must name its operator (Law No. 94-V, Article 8)."
        ),
    )
    bin = StringField(
        _l("BIN"),
        filters=[_bin_digits],
        validators=[
            Optional(),
            rule(bin_problem),
        ],
        description=_l(
            "12 digits (an entrepreneur gives their IIN). Shown in the banner's legal notice "
            "with the legal name, so visitors know who receives their consent."
        ),
    )
    address = StringField(
        _l("Operator's address"),
        filters=[strip],
        validators=[Length(max=MAX_ADDRESS)],
        description=_l("The legal address, shown in the legal notice."),
    )
    contact_email = EmailField(
        _l("Contact e-mail for personal data requests"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=MAX_EMAIL),
            MailAddress(OPERATOR_EMAIL_MESSAGE),
        ],
        description=_l(
            "Visitors write here to withdraw consent or ask about their data; the banner "
            "links to it."
        ),
    )
    policy_urls = FormField(PolicyUrlsForm, label=_l("Privacy policy"))
    languages = SelectMultipleField(
        _l("Banner languages"),
        choices=LANGUAGE_NAMES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one language."))],
        description=_l("The banner speaks the visitor's language when the site has it."),
    )
    default_language = SelectField(
        _l("Default language"),
        choices=LANGUAGE_NAMES,
        description=_l("Used when the visitor's language is none of the above."),
    )
    timezone = SelectField(
        _l("Time zone"),
        description=_l("Days in the statistics begin and end at midnight in this time zone."),
    )
    consent_months = _months_field(
        _l("Consent lifetime, months"),
        MAX_CONSENT_MONTHS,
        _l(
            "After this the banner asks again. At most 13 months; 6 is usual. The banner "
            "states the term, as the consent must."
        ),
    )
    retention_months = _months_field(
        _l("Keep consent records, months"),
        MAX_RETENTION_MONTHS,
        _l(
            "Consent events older than this are deleted. Daily aggregates (counts without "
            "any identifier) are kept, so statistics stay. Keep records as long as your "
            "policy says you can prove consent."
        ),
    )

    def __init__(self, site: Site, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timezone.choices = timezone_choices(site.timezone)

    def validate_default_language(self, field: SelectField) -> None:
        if self.languages.data and field.data not in self.languages.data:
            raise ValidationError(_l("Choose one of the banner's languages."))

    @classmethod
    def for_site(cls, site: Site, **kwargs: Any) -> "SiteSettingsForm":
        """The form filled with the site's current settings, on GET."""
        form = cls(
            site,
            **kwargs,
            data={
                "name": site.name,
                "domains": list(site.domains),
                "allow_subdomains": site.allow_subdomains,
                "legal_name": site.legal_name,
                "bin": site.bin,
                "address": site.address,
                "contact_email": site.contact_email,
                "policy_urls": dict(site.policy_urls),
                "languages": list(site.languages),
                "default_language": site.default_language,
                "timezone": site.timezone,
                "consent_months": consent_months(site.consent_days),
                "retention_months": site.retention_months,
            },
        )
        form.shown_for(site)
        return form

    def settings(self, site: Site) -> dict[str, Any]:
        """The site's new settings, as the models store them."""
        months = self.consent_months.data
        return {
            "name": self.name.data,
            "domains": self.domains.data,
            "allow_subdomains": self.allow_subdomains.data,
            "legal_name": self.legal_name.data or "",
            "bin": self.bin.data or "",
            "address": self.address.data or "",
            "contact_email": (self.contact_email.data or "").lower(),
            "policy_urls": {lang: url for lang, url in self.policy_urls.data.items() if url},
            # Kept in the order the banner's switcher shows them.
            "languages": [lang for lang in LANGUAGES if lang in self.languages.data],
            "default_language": self.default_language.data,
            "timezone": self.timezone.data,
            # A lifetime set in days elsewhere is left as it is unless the months changed.
            "consent_days": site.consent_days
            if months == consent_months(site.consent_days)
            else consent_days(months),
            "retention_months": self.retention_months.data,
        }


class DeleteSiteForm(FlaskForm):
    """Deleting a site needs its name typed, so that no slip of a finger deletes one."""

    name = StringField(_l("Type the site's name to confirm"), filters=[strip])

    def confirms(self, site: Site) -> bool:
        if self.name.data == site.name.strip():
            return True
        self.name.errors = [_l("This is not the site's name; nothing was deleted.")]
        return False


class ConfigFileForm(FlaskForm):
    """A configuration file to import (backend/services/site_config.py), for a new site or
    over an existing one."""

    file = FileField(
        _l("Configuration file (JSON)"),
        validators=[FileRequired(_l("Choose a file exported from Kelisim."))],
        description=_l("A file that “Export configuration” wrote, at most 256 KB."),
    )
