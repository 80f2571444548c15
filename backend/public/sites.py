"""Per-site public resources: the config JSON and a visitor's consent receipt."""

from flask import current_app

from backend.delivery.responses import cached_response, max_age
from backend.errors import error_response
from backend.extensions import db
from backend.public import bp
from backend.ratelimit import rate_limited
from backend.schemas.public import ReceiptRequestSchema, ReceiptSchema
from backend.services.anonymize import consent_id_key
from backend.services.consent import receipt
from backend.web import (
    allow_cors,
    json_body,
    preflight,
    published_site,
    request_origin_host,
    require_origin,
)

RECEIPT_REQUEST = ReceiptRequestSchema()
RECEIPT_REQUEST_MAX_BYTES = 1024


@bp.get("/sites/<site_key>/config")
def site_config(site_key: str):
    """The public config, for apps that render their own banner."""
    site = published_site(site_key)
    response = cached_response(
        site.file("config.json"), "application/json", max_age(current_app.config["WIDGET_MAX_AGE"])
    )
    return allow_cors(response, [site])


@bp.post("/sites/<site_key>/receipts", provide_automatic_options=False)
@rate_limited("RATELIMIT_RECEIPTS")
def site_receipt(site_key: str):
    """The history of one consent ID on one site, for the visitor who holds that ID, asked
    from the site's own pages. The ID is in the body: URLs end up in access logs."""
    site = published_site(site_key)
    require_origin(site)
    consent_id = str(RECEIPT_REQUEST.load(json_body(RECEIPT_REQUEST_MAX_BYTES))["consent_id"])
    events = receipt(db.session, site.id, consent_id, consent_id_key(current_app.config))
    if not events:
        return error_response(404, "no_receipt", "No consent is recorded under this ID.")
    response = current_app.json.response(
        ReceiptSchema().dump({"consent_id": consent_id, "events": events})
    )
    response.headers["Cache-Control"] = "no-store"
    return allow_cors(response, [site])


@bp.route("/sites/<site_key>/receipts", methods=["OPTIONS"])
def receipt_preflight(site_key: str):
    """Preflight for the site's own pages."""
    return preflight(published_site(site_key).origin_allowed(request_origin_host()))
