"""The banner editor's form: texts per language, look, behaviour, and what to preview."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Regexp

from backend.banner_texts import DEFAULT_TEXTS
from backend.dashboard.forms import SiteChangeForm
from backend.labels import LANGUAGE_NAMES
from backend.services.banner import ACCENT_PATTERN, BannerChange

# What visitors see first, shown open and named; the rest sit in a closed section, each
# named by its default text in the dashboard's language.
FIRST_LAYER = {
    "title": _l("Title"),
    "description": _l("Text"),
    "policy_link": _l("Privacy policy link"),
    "accept_all": _l("“Accept all” button"),
    "reject_all": _l("“Reject all” button"),
    "settings": _l("“Settings” button"),
}
LONG_TEXTS = {key for key in DEFAULT_TEXTS if key.endswith("description")} | {
    "data_collected",
    "gpc_notice",
}
MAX_TEXT = 600
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
            FIRST_LAYER.get(key, text),
            validators=[Length(max=MAX_TEXT)],
        )
        for key, text in DEFAULT_TEXTS.items()
    }
    return type("TextsForm", (Form,), fields)


def banner_form_class(languages: list[str]) -> type[BannerForm]:
    """The editor of a site that speaks ``languages``."""
    fields = {
        f"texts_{lang}": FormField(texts_form(), label=LANGUAGE_NAMES[lang]) for lang in languages
    }
    return type("SiteBannerForm", (BannerForm,), fields)
