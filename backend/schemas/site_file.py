"""The schema of a site's configuration file (format 1): what `site export` writes and
`site import` and the dashboard read. Its checks are the dashboard forms' own
(backend/site_rules.py); the rules that need the database or the other services of the
site (names taken twice, a colour too light, a text without its placeholder) are the
services', applied by backend/services/site_config.py.

Messages are translated: the dashboard shows them in the person's language."""

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from backend.banner_texts import DEFAULT_TEXTS
from backend.models import CATEGORIES, LANGUAGES, MAX_CONSENT_DAYS
from backend.service_catalog import INFO_FIELDS, KINDS
from backend.site_rules import (
    ACCENT_PATTERN,
    MAX_ADDRESS,
    MAX_BANNER_TEXT,
    MAX_DOMAINS,
    MAX_INFO_TEXT,
    MAX_LEGAL_NAME,
    MAX_NAME,
    MAX_RETENTION_MONTHS,
    POSITIONS,
    bin_problem,
    cookies_problem,
    facts_required,
    operator_email_problem,
    vendor_id_problem,
)

FORMAT = 1
CONSENT_MODES = ("basic", "advanced")
MAX_SERVICES = 100
# Control characters other than tabs and line ends: no text of a site holds them
# (PostgreSQL refuses NUL in text and JSON).
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MESSAGES = {
    "required": _l("Missing: this field is required."),
    "null": _l("Must not be null."),
    "unknown": _l("Unknown field."),
    "type": _l("Must be an object."),
}


def _checked(problem) -> Any:
    """A marshmallow validator from a shared check that says what is wrong, or None."""

    def check(value: Any) -> None:
        message = problem(value)
        if message:
            raise ValidationError(str(message))

    return check


def _one_of(choices) -> validate.OneOf:
    return validate.OneOf(
        choices, error=_l("Must be one of: %(choices)s.", choices=", ".join(choices))
    )


def _at_most(count: int) -> validate.Length:
    return validate.Length(max=count, error=_l("At most %(count)d characters.", count=count))


class Text(fields.String):
    """A text: a JSON string without control characters."""

    default_error_messages = {**MESSAGES, "invalid": _l("Must be a text (a JSON string).")}

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROLS.search(text):
            raise ValidationError(str(_l("Must not hold control characters.")))
        return text


class Flag(fields.Boolean):
    default_error_messages = {**MESSAGES, "invalid": _l("Must be true or false.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(truthy={True}, falsy={False}, **kwargs)


class WholeNumber(fields.Integer):
    default_error_messages = {**MESSAGES, "invalid": _l("Must be a whole number.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)


class ListOf(fields.List):
    default_error_messages = {**MESSAGES, "invalid": _l("Must be a list.")}


class Keyed(fields.Field):
    """An object whose keys are chosen from ``keys`` (languages, text names), each holding a
    ``values`` field; errors are told by key, as `texts.kk.title`."""

    default_error_messages = {**MESSAGES, "invalid": _l("Must be an object.")}

    def __init__(
        self,
        keys: tuple[str, ...] | list[str],
        values: fields.Field,
        unknown: Any = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.keys = tuple(keys)
        self.values = values
        self.unknown = unknown

    def _deserialize(self, value, attr, data, **kwargs) -> dict:
        if not isinstance(value, dict):
            raise self.make_error("invalid")
        result, errors = {}, {}
        for key, item in value.items():
            if key not in self.keys:
                unknown = self.unknown or _l(
                    "Must be one of: %(choices)s.", choices=", ".join(self.keys)
                )
                errors[key] = [str(unknown)]
                continue
            try:
                result[key] = self.values.deserialize(item, key, value, **kwargs)
            except ValidationError as error:
                errors[key] = error.messages
        if errors:
            raise ValidationError(errors)
        return result


class Part(fields.Nested):
    default_error_messages = {**MESSAGES, "type": _l("Must be an object.")}


class FileSchema(Schema):
    """Refuses unknown fields, in the person's language."""

    error_messages = MESSAGES

    class Meta:
        unknown = RAISE


def _in_range(low: int, high: int) -> validate.Range:
    return validate.Range(low, high, error=_l("From %(min)d to %(max)d.", min=low, max=high))


class SitePart(FileSchema):
    """The site itself; ``key`` only says which site the file came from."""

    key = Text(load_default=None, validate=_at_most(32))
    name = Text(required=True, validate=[validate.Length(1, MAX_NAME)])
    domains = ListOf(
        Text(validate=_at_most(253)),
        required=True,
        validate=validate.Length(
            1, MAX_DOMAINS, error=_l("From 1 to %(max)d domains.", max=MAX_DOMAINS)
        ),
    )
    allow_subdomains = Flag(required=True)
    timezone = Text(required=True, validate=_at_most(64))


class OperatorPart(FileSchema):
    """Who collects the data, as the banner's legal notice names them."""

    legal_name = Text(required=True, validate=_at_most(MAX_LEGAL_NAME))
    bin = Text(required=True, validate=_checked(lambda value: value and bin_problem(value)))
    address = Text(required=True, validate=_at_most(MAX_ADDRESS))
    contact_email = Text(
        required=True,
        validate=_checked(lambda value: value and operator_email_problem(value)),
    )
    policy_urls = Keyed(LANGUAGES, Text(validate=_at_most(2000)), required=True)


class ConsentPart(FileSchema):
    """How long a decision and its record are kept."""

    days = WholeNumber(required=True, validate=_in_range(1, MAX_CONSENT_DAYS))
    retention_months = WholeNumber(required=True, validate=_in_range(1, MAX_RETENTION_MONTHS))


class BannerPart(FileSchema):
    """The banner's look, behaviour and the texts that differ from the defaults."""

    position = Text(required=True, validate=_one_of(POSITIONS))
    accent = Text(
        required=True,
        validate=validate.Regexp(f"^{ACCENT_PATTERN}$", error=_l("A colour such as #1f5fbf.")),
    )
    floating_button = Flag(required=True)
    respect_dnt = Flag(required=True)
    texts = Keyed(
        LANGUAGES,
        Keyed(
            list(DEFAULT_TEXTS),
            Text(validate=_at_most(MAX_BANNER_TEXT)),
            unknown=_l("Not a text of the banner (see the export of any site for their names)."),
        ),
        required=True,
    )


class InfoPart(FileSchema):
    """A service's facts in one language, where they differ from the catalog's."""

    name = Text(validate=_at_most(MAX_INFO_TEXT))
    provider = Text(validate=_at_most(MAX_INFO_TEXT))
    country = Text(validate=_at_most(MAX_INFO_TEXT))
    purpose = Text(validate=_at_most(MAX_INFO_TEXT))
    term = Text(validate=_at_most(MAX_INFO_TEXT))


class ServicePart(FileSchema):
    """A tracker or embed provider: its kind from the catalog, the name pages use in
    data-consent (``id``), its options as the kind has them."""

    kind = Text(required=True, validate=_one_of(list(KINDS)))
    id = Text(required=True, validate=_at_most(64))
    category = Text(required=True, validate=_one_of(CATEGORIES))
    managed = Flag(required=True)
    options = fields.Dict(
        required=True, error_messages={**MESSAGES, "invalid": _l("Must be an object.")}
    )
    info = Keyed(LANGUAGES, Part(InfoPart), load_default=dict)
    cookies = ListOf(Text(), load_default=None, validate=_checked(cookies_problem))

    @validates_schema
    def _options_of_the_kind(self, data: dict, **kwargs) -> None:
        kind = KINDS.get(data.get("kind"))
        if kind is None or "options" not in data:
            return
        errors = {}
        for name, value in data["options"].items():
            if name not in kind.option_fields:
                errors[name] = [str(MESSAGES["unknown"])]
            elif name == "webvisor":
                if not isinstance(value, bool):
                    errors[name] = [str(_l("Must be true or false."))]
            elif name == "consent_mode":
                if value not in CONSENT_MODES:
                    errors[name] = [
                        str(_l("Must be one of: %(choices)s.", choices=", ".join(CONSENT_MODES)))
                    ]
            elif not isinstance(value, str):
                errors[name] = [str(_l("Must be a text (a JSON string)."))]
            else:
                problem = vendor_id_problem(kind, value)
                if problem:
                    errors[name] = [str(problem)]
        if kind.option_fields and kind.option_fields[0] not in data["options"]:
            errors[kind.option_fields[0]] = [str(MESSAGES["required"])]
        if errors:
            raise ValidationError({"options": errors})


class FormPart(FileSchema):
    """A form of the site that collects personal data."""

    name = Text(required=True)
    fields = ListOf(Text(), required=True)
    purpose = Text(required=True)
    storage_months = WholeNumber(required=True)
    recipients = Text(load_default="")


class SectionPart(FileSchema):
    """A section of the owner's own, added to the policy in one language."""

    language = Text(required=True)
    title = Text(required=True)
    text = Text(required=True)


class DocumentsPart(FileSchema):
    """What only the owner knows for the documents; what is not given is not set. Only the
    shape is checked here: the values are held to the Documents form's own rules
    (backend/services/document_inputs.py)."""

    hosting_provider = Text(load_default="")
    hosting_country = Text(load_default="")
    hosting_city = Text(load_default="")
    contact_phone = Text(load_default="")
    forms = ListOf(Part(FormPart), load_default=list)
    measures = ListOf(Text(), load_default=list)
    request_subject = Text(load_default="")
    request_days = WholeNumber(load_default=None)
    extra_sections = ListOf(Part(SectionPart), load_default=list)


class SiteFileSchema(FileSchema):
    """A site's whole configuration, format 1."""

    format = WholeNumber(
        required=True,
        validate=validate.Equal(
            FORMAT, error=_l("This Kelisim reads format %(format)d files.", format=FORMAT)
        ),
    )
    site = Part(SitePart, required=True)
    operator = Part(OperatorPart, required=True)
    languages = ListOf(
        Text(validate=_one_of(LANGUAGES)),
        required=True,
        validate=validate.Length(1, len(LANGUAGES), error=_l("Choose at least one language.")),
    )
    default_language = Text(required=True, validate=_one_of(LANGUAGES))
    consent = Part(ConsentPart, required=True)
    banner = Part(BannerPart, required=True)
    services = ListOf(Part(ServicePart), required=True, validate=validate.Length(max=MAX_SERVICES))
    # Optional: files written before it was added hold none, and their import keeps the
    # site's document inputs as they are.
    documents = Part(DocumentsPart, load_default=None)

    @validates_schema
    def _languages(self, data: dict, **kwargs) -> None:
        languages = data.get("languages") or []
        if len(set(languages)) != len(languages):
            raise ValidationError(str(_l("Name each language once.")), "languages")
        if data.get("default_language") and data["default_language"] not in languages:
            raise ValidationError(
                str(_l("Choose one of the banner's languages.")), "default_language"
            )

    @validates_schema
    def _facts_of_custom_scripts(self, data: dict, **kwargs) -> None:
        """A custom script's facts in every language of the site, as its form asks."""
        errors: dict = {}
        for index, service in enumerate(data.get("services") or []):
            kind = KINDS.get(service.get("kind"))
            if kind is None or not facts_required(kind):
                continue
            for lang in data.get("languages") or []:
                given = (service.get("info") or {}).get(lang) or {}
                missing = {
                    key: [str(MESSAGES["required"])]
                    for key in INFO_FIELDS
                    if not given.get(key, "").strip()
                }
                if missing:
                    errors.setdefault(index, {"info": {}})["info"][lang] = missing
        if errors:
            raise ValidationError({"services": errors})


def error_paths(messages: Any, path: str = "") -> dict[str, str]:
    """marshmallow's nested messages as {"services[2].options.counter_id": "message"}."""
    if isinstance(messages, dict):
        flat = {}
        for key, value in messages.items():
            if isinstance(key, int):
                inner = f"{path}[{key}]"
            elif key == "_schema":
                inner = path
            else:
                inner = f"{path}.{key}" if path else str(key)
            flat.update(error_paths(value, inner))
        return flat
    if isinstance(messages, list) and not any(isinstance(m, dict | list) for m in messages):
        return {path or "(file)": " ".join(str(m) for m in messages)}
    if isinstance(messages, list):
        flat = {}
        for value in messages:
            flat.update(error_paths(value, path))
        return flat
    return {path or "(file)": str(messages)}
