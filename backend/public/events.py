"""Event submission: what the widget sends with sendBeacon when a visitor decides."""

import json
from datetime import UTC, datetime

from flask import current_app, request

from backend.errors import error_response
from backend.event_writer import EventWriter
from backend.extensions import db
from backend.public import bp
from backend.public.sites import id_key
from backend.ratelimit import rate_limited
from backend.schemas.public import EventBatchSchema, EventSchema
from backend.services.anonymize import device_class
from backend.services.consent import event_rows
from backend.web import allow_cors, published_site, require_origin

EVENT = EventSchema()
EVENT_BATCH = EventBatchSchema()
# text/plain is what navigator.sendBeacon sends without a CORS preflight.
ACCEPTED_TYPES = ("application/json", "text/plain")


def event_writer() -> EventWriter:
    """This process's writer, made on first use (the engine needs the app context)."""
    writer = current_app.extensions.get("kelisim.event_writer")
    if writer is None:
        writer = current_app.extensions["kelisim.event_writer"] = EventWriter(db.engine)
    return writer


@bp.post("/events", provide_automatic_options=False)
@rate_limited("RATELIMIT_EVENTS")
def post_events():
    """Store one event or a batch; 202 only once they are committed."""
    if request.mimetype not in ACCEPTED_TYPES:
        return error_response(
            415, "unsupported_media_type", "Send JSON as application/json or text/plain."
        )
    request.max_content_length = current_app.config["EVENTS_MAX_BYTES"]
    try:
        payload = json.loads(request.get_data(cache=False))
    # ValueError: not UTF-8, not JSON, or an integer longer than Python converts (4300
    # digits); RecursionError: nesting too deep for the parser.
    except (ValueError, RecursionError):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    if isinstance(payload, dict) and "events" in payload:
        events = EVENT_BATCH.load(payload)["events"]
    elif isinstance(payload, dict):
        events = [EVENT.load(payload)]
    else:
        return error_response(400, "malformed_json", 'Send an event object or {"events": [...]}.')

    sites = {key: published_site(key) for key in {event["site"] for event in events}}
    for site in sites.values():
        require_origin(site)
    rows = event_rows(
        {key: site.id for key, site in sites.items()},
        events,
        device=device_class(request.user_agent.string),
        id_key=id_key(),
        now=datetime.now(UTC),
    )
    event_writer().write(rows, {site.id: site.timezone for site in sites.values()})
    response = current_app.json.response({"accepted": len(events)})
    response.status_code = 202
    return allow_cors(response, list(sites.values()))


@bp.route("/events", methods=["OPTIONS"])
def events_preflight():
    """Preflight for apps that send application/json from a site's pages. The body, and so
    the site, is unknown here: the POST itself checks the Origin against the site."""
    response = current_app.response_class(status=204)
    if "Origin" in request.headers:
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
        response.vary.add("Origin")
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response
