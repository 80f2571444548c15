"""Event submission: what the widget sends with sendBeacon when a visitor decides."""

import logging
from collections import Counter
from datetime import UTC, date, datetime

from flask import current_app, request
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from backend.database import ANSWER_GRACE_SECONDS
from backend.delivery.snapshot import PublishedSite
from backend.event_writer import EventWriter
from backend.extensions import db
from backend.public import bp
from backend.ratelimit import rate_limited
from backend.schemas.public import EventBatchSchema, EventSchema
from backend.services import OriginNotAllowed
from backend.services.anonymize import consent_id_key, device_class
from backend.services.consent import event_rows
from backend.services.diagnostics import count_found_trackers, count_refused_origin
from backend.services.stats import local_day
from backend.web import (
    allow_cors,
    any_site_allows,
    json_body,
    preflight,
    published_site,
    request_origin_host,
    require_origin,
)

log = logging.getLogger(__name__)

EVENT = EventSchema()
EVENT_BATCH = EventBatchSchema()


def event_writer() -> EventWriter:
    """This process's writer, made on first use (the engine needs the app context)."""
    writer = current_app.extensions.get("kelisim.event_writer")
    if writer is None:
        # A request gives up waiting for its turn when a statement would.
        wait = current_app.config["DATABASE_STATEMENT_TIMEOUT"] + ANSWER_GRACE_SECONDS
        writer = EventWriter(db.engine, wait_seconds=wait)
        current_app.extensions["kelisim.event_writer"] = writer
    return writer


@bp.post("/events", provide_automatic_options=False)
@rate_limited("RATELIMIT_EVENTS")
def post_events():
    """Store one event or a batch; 202 only once they are committed."""
    payload = json_body(current_app.config["EVENTS_MAX_BYTES"])
    if isinstance(payload, dict) and "events" in payload:
        events = EVENT_BATCH.load(payload)["events"]
    elif isinstance(payload, dict):
        events = [EVENT.load(payload)]
    else:
        raise ValidationError('Send an event object or {"events": [...]}.')

    sites = {key: published_site(key) for key in {event["site"] for event in events}}
    for site in sites.values():
        try:
            require_origin(site)
        except OriginNotAllowed:
            count_refusal(site)
            raise
    keep_own_services(sites, events)
    rows = event_rows(
        {key: site.id for key, site in sites.items()},
        events,
        device=device_class(request.user_agent.string),
        id_key=consent_id_key(current_app.config),
        now=datetime.now(UTC),
    )
    event_writer().write(rows, {site.id: site.timezone for site in sites.values()})
    if any(event["found"] for event in events if event["action"] == "shown"):
        count_found(sites, events)
    response = current_app.json.response({"accepted": len(events)})
    response.status_code = 202
    return allow_cors(response, list(sites.values()))


def keep_own_services(sites: dict[str, PublishedSite], events: list[dict]) -> None:
    """Leave out of each event the services its site does not configure (now).

    The widget grants only the site's own services, so an id that is not one comes from a
    hostile client (`-2-3` would be a formula in the owner's events.csv) or from a decision
    made before the owner removed that service (a resend from the widget's queue, a loader
    cached for five minutes). Refusing the event would lose such a decision; storing the id
    would keep what no longer exists or never did. The decision is stored without it."""
    for event in events:
        grantable = sites[event["site"]].grantable
        event["services"] = [service for service in event["services"] if service in grantable]


def count_refusal(site: PublishedSite) -> None:
    """Count an event refused for its Origin, so the owner sees it on the install page.
    The refusal stands even if counting fails."""
    try:
        with db.engine.begin() as connection:
            day = local_day(datetime.now(UTC), site.timezone)
            count_refused_origin(connection, site.id, day, request_origin_host())
    except SQLAlchemyError:
        log.exception("Could not count a refused origin for site %s", site.key)


def count_found(sites: dict[str, PublishedSite], events: list[dict]) -> None:
    """Count the trackers that shown banners found unconfigured, so the owner sees them on
    the install page. The events stand (they are committed) even if counting fails."""
    now = datetime.now(UTC)
    counts: Counter[tuple[int, date, str]] = Counter()
    for event in events:
        if event["action"] == "shown":
            site = sites[event["site"]]
            day = local_day(now, site.timezone)
            counts.update((site.id, day, kind) for kind in set(event["found"]))
    try:
        with db.engine.begin() as connection:
            count_found_trackers(connection, counts)
    except SQLAlchemyError:
        log.exception("Could not count found trackers for sites %s", ", ".join(sites))


@bp.route("/events", methods=["OPTIONS"])
def events_preflight():
    """Preflight for apps that send application/json from a site's pages. The body, and so
    the site, is unknown here: pages of any site may ask, and the POST itself checks the
    Origin against the site it names."""
    return preflight(any_site_allows(request_origin_host()))
