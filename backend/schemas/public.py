"""Schemas of the public widget API: what visitors' browsers send and may read."""

from datetime import UTC, datetime, timedelta

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from backend.models import (
    ACTIONS,
    CATEGORIES,
    LANGUAGES,
    LAYERS,
    MAX_CONSENT_DAYS,
    MAX_INT,
    SIGNALS,
    SITE_KEY_PATTERN,
)
from backend.service_catalog import url_table

SERVICE_ID = validate.Regexp(r"^[a-z0-9_.-]{1,64}$", error="Not a service id.")
HEX_SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="Not a SHA-256 hex digest.")
MAX_BATCH = 20
CLOCK_SLACK = timedelta(days=1)
MAX_FOUND = 10


def _expiry_within_horizon(value: datetime) -> None:
    """A decision is kept from now for at most 13 months: an expiry outside that is a
    broken client (a day of slack either way for visitors' clocks)."""
    now = datetime.now(UTC)
    if not now - CLOCK_SLACK <= value <= now + timedelta(days=MAX_CONSENT_DAYS) + CLOCK_SLACK:
        raise ValidationError(f"Must be between now and {MAX_CONSENT_DAYS} days from now.")


def _known_tracker(kind: str) -> None:
    """A kind the loader recognises by URL (of a script, frame or image), as the catalog has
    it now."""
    if kind not in url_table():
        raise ValidationError("Not a kind of known tracker.")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class EventSchema(StrictSchema):
    """One consent event as the widget sends it."""

    site = fields.String(
        required=True, validate=validate.Regexp(SITE_KEY_PATTERN, error="Not a site key.")
    )
    consent_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "The visitor's random consent ID, made with their first decision: "
            "required with every decision. A shown banner (an impression) carries none; one "
            "sent by earlier widgets is accepted and not stored."
        },
    )
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        load_default=list,
        validate=validate.Length(max=len(CATEGORIES)),
    )
    services = fields.List(
        fields.String(validate=SERVICE_ID),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={
            "description": "The services granted: ids of the site's configured services, and "
            '"<id>.webvisor" for Metrica\'s session recording. Any other id is left out of the '
            "stored event."
        },
    )
    policy_version = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_INT))
    banner_version = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_INT))
    texts_hash = fields.String(load_default=None, allow_none=True, validate=HEX_SHA256)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    layer = fields.String(load_default="first", validate=validate.OneOf(LAYERS))
    signal = fields.String(load_default="none", validate=validate.OneOf(SIGNALS))
    expires_at = fields.AwareDateTime(
        load_default=None, allow_none=True, default_timezone=UTC, validate=_expiry_within_horizon
    )
    found = fields.List(
        fields.String(validate=_known_tracker),
        load_default=list,
        validate=validate.Length(max=MAX_FOUND),
        metadata={
            "description": "With a shown event: the catalog kinds of known trackers held on "
            "the page that the site configures no service of (kinds the widget recognises by "
            "their scripts' URLs). Ignored on other actions; never stored with the event."
        },
    )
    resent = fields.Boolean(
        metadata={
            "description": "Sent by earlier widgets with a decision sent again; accepted "
            "and ignored. Every decision is stored once: a visitor's decisions with the "
            "same action and expires_at are one decision."
        },
    )

    @validates_schema
    def _decisions_carry_an_id(self, data: dict, **kwargs) -> None:
        if data.get("action") != "shown" and data.get("consent_id") is None:
            raise ValidationError("A decision needs the visitor's consent ID.", "consent_id")


class EventBatchSchema(StrictSchema):
    """Several events in one request (a page that queued them, or an app)."""

    events = fields.List(
        fields.Nested(EventSchema), required=True, validate=validate.Length(1, MAX_BATCH)
    )


class AcceptedSchema(Schema):
    accepted = fields.Integer(required=True, metadata={"description": "Events stored."})


class ReceiptRequestSchema(StrictSchema):
    """A visitor asking for their receipt."""

    consent_id = fields.UUID(required=True)


class ReceiptEventSchema(Schema):
    action = fields.String()
    created_at = fields.AwareDateTime()
    categories = fields.List(fields.String())
    services = fields.List(fields.String())
    policy_version = fields.Integer()
    banner_version = fields.Integer()
    language = fields.String()
    layer = fields.String()
    signal = fields.String()
    expires_at = fields.AwareDateTime(allow_none=True)


class ReceiptSchema(Schema):
    """A visitor's own consent history, found by the consent ID only they hold."""

    consent_id = fields.String()
    events = fields.List(fields.Nested(ReceiptEventSchema))


class OperatorSchema(Schema):
    name = fields.String()
    bin = fields.String()
    address = fields.String()
    email = fields.String()
    policy_urls = fields.Dict(keys=fields.String(), values=fields.String())


class PolicySchema(Schema):
    version = fields.Integer()
    reconsent_from = fields.Integer()


class ServiceInfoSchema(Schema):
    name = fields.String()
    provider = fields.String()
    country = fields.String()
    purpose = fields.String()
    term = fields.String()


class ServiceConfigSchema(Schema):
    id = fields.String()
    kind = fields.String()
    category = fields.String()
    managed = fields.Boolean()
    options = fields.Dict()
    cookies = fields.List(fields.String())
    info = fields.Dict(keys=fields.String(), values=fields.Nested(ServiceInfoSchema))


class SiteConfigSchema(Schema):
    """The public config of a site: exactly what its visitors' browsers may see."""

    site = fields.String()
    version = fields.Integer()
    api = fields.String()
    languages = fields.List(fields.String())
    default_language = fields.String()
    policy = fields.Nested(PolicySchema)
    consent_days = fields.Integer()
    respect_dnt = fields.Boolean()
    appearance = fields.Dict()
    operator = fields.Nested(OperatorSchema)
    services = fields.List(fields.Nested(ServiceConfigSchema))
    texts = fields.Dict(keys=fields.String(), values=fields.Dict())
    texts_hash = fields.Dict(keys=fields.String(), values=fields.String())


class ErrorDetailSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", metadata={"description": "Errors per input field."})


class ErrorSchema(Schema):
    """The one error envelope of the API."""

    error = fields.Nested(ErrorDetailSchema, required=True)
