"""The banner editor's form: texts per language, look, behaviour, and what to preview."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import BooleanField, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Regexp

from backend.banner_texts import DEFAULT_TEXTS
from backend.dashboard.forms import SiteChangeForm
from backend.labels import LANGUAGE_NAMES
from backend.services.banner import BannerChange
from backend.site_rules import ACCENT_PATTERN, MAX_BANNER_TEXT

# Every banner text's label in the editor, in groups: what visitors see first is shown open,
# the rest sit in a closed section. A label says where the text appears, not what it says
# (the default stands in the field itself).
TEXT_GROUPS: tuple[tuple[LazyString | None, dict[str, LazyString]], ...] = (
    (
        None,
        {
            "title": _l("Title"),
            "description": _l("Text"),
            "policy_link": _l("Privacy policy link"),
            "accept_all": _l("“Accept all” button"),
            "reject_all": _l("“Reject all” button"),
            "settings": _l("“Settings” button"),
        },
    ),
    (
        _l("Settings layer"),
        {
            "save": _l("Button that saves the choice"),
            "back": _l("Button back to the first layer (before a choice)"),
            "close_settings": _l("Button that closes the settings (after a choice)"),
            "withdraw": _l("Button that withdraws consent (after a choice)"),
            "always_on": _l("Mark on a category that cannot be turned off"),
            "no_services": _l("Note under a category without services"),
            "language": _l("Name of the language switcher, read by screen readers"),
        },
    ),
    (
        _l("Categories"),
        {
            "necessary_title": _l("Necessary: name"),
            "necessary_description": _l("Necessary: description"),
            "analytics_title": _l("Analytics: name"),
            "analytics_description": _l("Analytics: description"),
            "marketing_title": _l("Marketing: name"),
            "marketing_description": _l("Marketing: description"),
            "functional_title": _l("Functional: name"),
            "functional_description": _l("Functional: description"),
            "webvisor_title": _l("Session recording (Webvisor): name"),
            "webvisor_description": _l("Session recording (Webvisor): description"),
        },
    ),
    (
        _l("A service's details"),
        {
            "service_provider": _l("Label of the company that receives the data"),
            "service_purpose": _l("Label of the purpose"),
            "service_cookies": _l("Label of the cookies"),
            "service_country": _l("Label of the country where the data is stored"),
            "service_term": _l("Label of the storage period"),
        },
    ),
    (
        _l("Data controller and visitors' requests"),
        {
            "operator_title": _l("Heading of the data controller"),
            "operator_bin": _l("Label of the BIN"),
            "operator_address": _l("Label of the address"),
            "contacts_title": _l("Heading of the requests"),
            "request_withdraw": _l("E-mail link: withdraw consent"),
            "request_access": _l("E-mail link: a copy of the data"),
            "request_delete": _l("E-mail link: delete the data"),
            "subject_withdraw": _l("E-mail subject: withdrawing consent"),
            "subject_access": _l("E-mail subject: a copy of the data"),
            "subject_delete": _l("E-mail subject: deleting the data"),
        },
    ),
    (
        _l("Legal notice"),
        {
            "consent_term": _l("How long a consent is valid"),
            "third_parties": _l("Who receives the data"),
            "cross_border": _l("Transfer abroad"),
            "data_collected": _l("What data is collected"),
            "gpc_notice": _l("Notice to a browser that sent Global Privacy Control"),
        },
    ),
    (
        _l("Receipt"),
        {
            "receipt_title": _l("Heading of the receipt"),
            "receipt_id": _l("Label of the consent ID"),
            "receipt_date": _l("Label of the date"),
            "receipt_policy": _l("Label of the policy version"),
        },
    ),
    (
        _l("Other"),
        {
            "open_settings": _l("Floating button that re-opens the settings"),
            "dialog_label": _l("Name of the banner, read by screen readers"),
        },
    ),
)
FIRST_LAYER = TEXT_GROUPS[0][1]
TEXT_LABELS = {key: label for _group, labels in TEXT_GROUPS for key, label in labels.items()}
# What each placeholder of a default text is replaced by (services/publishing.py fills them).
PLACEHOLDER_HINTS = {
    "consent_term": _l(
        "Keep %(placeholder)s: it is replaced by the number of days a consent is valid, "
        "from the site's settings.",
        placeholder="%(days)s",
    ),
    "third_parties": _l(
        "Keep %(placeholder)s: it is replaced by the companies behind the site's trackers, "
        "separated by commas.",
        placeholder="%(providers)s",
    ),
    "cross_border": _l(
        "Keep %(placeholder)s: it is replaced by the countries outside Kazakhstan where the "
        "site's trackers store data, separated by commas. Not shown when there are none.",
        placeholder="%(countries)s",
    ),
}
LONG_TEXTS = {key for key in DEFAULT_TEXTS if key.endswith("description")} | {
    "data_collected",
    "gpc_notice",
}
WIDTHS = {"desktop": 1280, "phone": 390}


class BannerForm(SiteChangeForm):
    """The banner editor; banner_form_class() adds a texts section per site language."""

    steering = ("preview_language", "preview_width")
    blank = _l("(the default text)")

    position = SelectField(
        _l("Position"),
        choices=[
            SelectChoice("bottom", _l("Bottom of the page")),
            SelectChoice("top", _l("Top of the page")),
            SelectChoice("center", _l("Centre, over a dimmed page")),
        ],
    )
    accent = StringField(
        _l("Accent colour"),
        validators=[Regexp(f"^{ACCENT_PATTERN}$", message=_l("A colour such as #1f5fbf."))],
    )
    floating_button = BooleanField(_l("Floating button that re-opens the settings"))
    respect_dnt = BooleanField(_l("Treat Do Not Track as a reject"))
    # Only steer the preview (anything unknown gets the site's default): never refused.
    preview_language = SelectField(_l("Preview in"), validate_choice=False)
    preview_width = SelectField(
        _l("Preview width"),
        choices=[
            SelectChoice("desktop", _l("Desktop (1280 px)")),
            SelectChoice("phone", _l("Phone (390 px)")),
        ],
        # Readable at its real size beside the form, and what most visitors here see.
        default="phone",
        validate_choice=False,
    )

    def change(self, languages: list[str]) -> BannerChange:
        """The banner as the editor left the form."""
        return BannerChange(
            texts={lang: dict(self[f"texts_{lang}"].data) for lang in languages},
            position=self.position.data,
            accent=self.accent.data or "",
            floating_button=self.floating_button.data,
            respect_dnt=self.respect_dnt.data,
        )


def texts_form() -> type[Form]:
    """Every banner text in one language; blank is the default."""
    fields = {
        key: (TextAreaField if key in LONG_TEXTS else StringField)(
            TEXT_LABELS[key],
            validators=[Length(max=MAX_BANNER_TEXT)],
            description=PLACEHOLDER_HINTS.get(key, ""),
        )
        for key in DEFAULT_TEXTS
    }
    return type("TextsForm", (Form,), fields)


def banner_form_class(languages: list[str]) -> type[BannerForm]:
    """The editor of a site that speaks ``languages``."""
    fields = {
        f"texts_{lang}": FormField(texts_form(), label=LANGUAGE_NAMES[lang]) for lang in languages
    }
    return type("SiteBannerForm", (BannerForm,), fields)
