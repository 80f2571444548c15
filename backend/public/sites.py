"""Per-site public resources: the config JSON and a visitor's consent receipt."""

from uuid import UUID

from flask import current_app

from backend.delivery import cached_response
from backend.errors import error_response
from backend.extensions import db
from backend.public import bp
from backend.ratelimit import rate_limited
from backend.schemas.public import ReceiptSchema
from backend.services.anonymize import consent_id_key
from backend.services.consent import receipt
from backend.web import allow_cors, published_site


def id_key() -> bytes:
    return consent_id_key(current_app.config["SECRET_KEY"], current_app.config["CONSENT_ID_KEY"])


@bp.get("/sites/<site_key>/config")
def site_config(site_key: str):
    """The public config, for apps that render their own banner."""
    site = published_site(site_key)
    response = cached_response(
        site.representation("config", current_app.extensions["kelisim.templates"]),
        "application/json",
        current_app.config["WIDGET_MAX_AGE"],
    )
    return allow_cors(response, [site])


@bp.get("/sites/<site_key>/receipts/<consent_id>")
@rate_limited("RATELIMIT_RECEIPTS")
def site_receipt(site_key: str, consent_id: str):
    """The history of one consent ID on one site, for the visitor who holds that ID."""
    site = published_site(site_key)
    try:
        consent_id = str(UUID(consent_id))
    except ValueError:
        return error_response(400, "invalid_consent_id", "A consent ID is a UUID.")
    events = receipt(db.session, site.id, consent_id, id_key())
    if not events:
        return error_response(404, "no_receipt", "No consent is recorded under this ID.")
    response = current_app.json.response(
        ReceiptSchema().dump({"consent_id": consent_id, "events": events})
    )
    response.headers["Cache-Control"] = "no-store"
    return allow_cors(response, [site])
