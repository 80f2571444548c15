"""Forms of the trackers pages: one tracker or embed provider of a kind from the catalog,
and its removal."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from backend.dashboard.forms import SiteChangeForm, rule
from backend.labels import CATEGORY_NAMES
from backend.service_catalog import EMBED, INFO_FIELDS, ServiceKind
from backend.services.trackers import SLUG_PATTERN, TrackerChange
from backend.site_rules import (
    MAX_COOKIES_TEXT,
    MAX_INFO_TEXT,
    facts_required,
    split_cookies,
    vendor_id_problem,
)

# What the vendor calls the ID an operator copies from its cabinet.
ID_LABELS = {
    "counter_id": _l("Counter ID"),
    "measurement_id": _l("Measurement ID"),
    "container_id": _l("Container ID"),
    "pixel_id": _l("Pixel ID"),
    "src": _l("Script URL (https)"),
}
INFO_LABELS = {
    "name": _l("Name"),
    "provider": _l("Provider (who receives the data)"),
    "country": _l("Country the data goes to"),
    "purpose": _l("Purpose"),
    "term": _l("Storage period"),
}
MANAGED_CHOICES = [
    SelectChoice(
        "managed",
        _l(
            "Managed: Kelisim loads the tracker itself once the visitor agrees — remove its own "
            "tag from your pages, or it will run twice and count every visit twice."
        ),
    ),
    SelectChoice("held", _l("Held: keep your tag as pasted; Kelisim holds it until consent.")),
]

# What the Necessary category may hold (backend/services/trackers.py, NECESSARY), said
# under the category of each kind.
CATALOG_CATEGORY_HINT = _l(
    "Necessary is only for what the site cannot work without: it runs before any choice and "
    "after “Reject all”. A tracker from this list measures visits or shows ads, so it is never "
    "necessary."
)
EMBED_CATEGORY_HINT = _l(
    "Necessary is only for what the site cannot work without: it runs before any choice and "
    "after “Reject all”. Embedded content sends visitors' data to its provider as soon as it "
    "loads, so it is never necessary."
)
CUSTOM_CATEGORY_HINT = _l(
    "Warning: a script in Necessary runs on every visitor's page before any choice and even "
    "after “Reject all”. Use it only for what the site cannot work without (sign-in, basket, "
    "payment). Only owners can put a script there or change one that is there, and the audit "
    "log names it."
)


def category_field(hint: str) -> SelectField:
    """The category, with what Necessary may hold (``hint``) said beneath it."""
    return SelectField(
        _l("Category"),
        choices=[SelectChoice(k, v) for k, v in CATEGORY_NAMES.items()],
        description=hint,
    )


class TrackerForm(SiteChangeForm):
    """A tracker of one kind; tracker_form_class() adds the kind's and the languages'
    fields, and takes "managed" away from an embed's form."""

    category = category_field(CATALOG_CATEGORY_HINT)
    slug = StringField(
        _l("Name in data-consent"),
        validators=[
            DataRequired(),
            Regexp(
                f"^{SLUG_PATTERN}$",
                message=_l("Use lower-case Latin letters, digits, _ and -, at most 64."),
            ),
        ],
    )
    managed = RadioField(_l("Who loads it"), choices=MANAGED_CHOICES, default="held")
    cookies = TextAreaField(
        _l("Cookies it sets"),
        description=_l("One a line or separated by commas; name_* covers every name_… cookie."),
        validators=[Length(max=MAX_COOKIES_TEXT)],
    )

    def change(self, kind: ServiceKind, languages: list[str]) -> TrackerChange:
        """The tracker as the editor filled it in."""
        options = {}
        if "vendor_id" in self:
            options[kind.option_fields[0]] = self.vendor_id.data.strip()
        if "webvisor" in self:
            options["webvisor"] = self.webvisor.data
        if "consent_mode" in self:
            options["consent_mode"] = self.consent_mode.data
        return TrackerChange(
            kind=kind.kind,
            slug=self.slug.data.strip(),
            category=self.category.data,
            managed="managed" in self and self.managed.data == "managed",
            options=options,
            info={lang: getattr(self, f"info_{lang}").data for lang in languages},
            cookies=split_cookies(self.cookies.data),
        )


def info_form(required: bool) -> type[Form]:
    """The five facts the banner shows about a service, in one language."""
    must = [DataRequired()] if required else [Optional()]
    fields = {
        key: (TextAreaField if key == "purpose" else StringField)(
            INFO_LABELS[key], validators=[*must, Length(max=MAX_INFO_TEXT)]
        )
        for key in INFO_FIELDS
    }
    return type("InfoForm", (Form,), fields)


def _vendor_id_field(kind: ServiceKind) -> StringField:
    """The vendor's ID (a custom script's URL), checked as the vendor issues it."""
    return StringField(
        ID_LABELS[kind.option_fields[0]],
        validators=[DataRequired(), rule(lambda value: vendor_id_problem(kind, value))],
    )


def tracker_form_class(kind: ServiceKind, languages: list[str]) -> type[TrackerForm]:
    """The form for a tracker of ``kind`` on a site speaking ``languages``. An embed's has
    no ID (the loader knows its provider's URLs) and no "who loads it" (never Kelisim)."""
    fields = {}
    if kind.option_fields:
        fields["vendor_id"] = _vendor_id_field(kind)
    if "webvisor" in kind.option_fields:
        fields["webvisor"] = BooleanField(_l("Webvisor (session recording), as the visitor allows"))
    if "consent_mode" in kind.option_fields:
        fields["consent_mode"] = SelectField(
            _l("Google Consent Mode"),
            choices=[
                SelectChoice("basic", _l("Basic: the tag loads only after consent")),
                SelectChoice(
                    "advanced", _l("Advanced: the tag loads at once and sends cookieless pings")
                ),
            ],
        )
    if kind.type == EMBED:
        # None takes the inherited field away (WTForms).
        fields |= {"category": category_field(EMBED_CATEGORY_HINT), "managed": None}
    # A custom script's facts come from its owner only: every language must have them.
    custom = facts_required(kind)
    if custom:
        fields["category"] = category_field(CUSTOM_CATEGORY_HINT)
    for lang in languages:
        fields[f"info_{lang}"] = FormField(info_form(custom), label=lang)
    return type(f"{kind.kind.title()}Form", (TrackerForm,), fields)


class RemoveTrackerForm(SiteChangeForm):
    """Removing a tracker: only the revision it was shown at."""
