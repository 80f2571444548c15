"""What the faces share: the URL prefixes that decide how a request is treated, site lookup,
the base URL, Origin checks and the install snippet."""

import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from backend.delivery import delivery
from backend.delivery.snapshot import PublishedSite
from backend.extensions import db
from backend.models import SITE_KEY_PATTERN, Site, host_matches
from backend.services import OriginNotAllowed, UnknownSite

WIDGET_PREFIX = "/w/"
API_PREFIX = "/api/"  # the public API and the stats API
# Errors under these prefixes are JSON envelopes; under the widget's, a JavaScript comment;
# elsewhere, a page for people.
JSON_PREFIXES = (API_PREFIX,)
# Paths that visitors' browsers and analysts' scripts request: no session is read or written.
SESSIONLESS_PREFIXES = (WIDGET_PREFIX, API_PREFIX)
# text/plain is what navigator.sendBeacon sends without a CORS preflight.
JSON_BODY_TYPES = ("application/json", "text/plain")
PREFLIGHT_MAX_AGE = 86400


class MalformedJSON(BadRequest):
    """A body that does not parse as JSON (400; one that parses but breaks the schema is
    422, as backend/errors.py says)."""

    error_code = "malformed_json"  # the envelope's code, instead of werkzeug's "bad_request"


def json_body(max_bytes: int) -> Any:
    """The request's JSON body, sent as application/json or text/plain."""
    if request.mimetype not in JSON_BODY_TYPES:
        raise UnsupportedMediaType("Send JSON as application/json or text/plain.")
    request.max_content_length = max_bytes
    try:
        return json.loads(request.get_data(cache=False))
    # ValueError: not UTF-8, not JSON, or an integer longer than Python converts (4300
    # digits); RecursionError: nesting too deep for the parser.
    except (ValueError, RecursionError):
        raise MalformedJSON("The request body is not valid JSON.") from None


def base_url() -> str:
    """Where the widget talks back to: the configured public URL, else this request's."""
    # Built from the parts: request.host_url also converts the URL to an IRI, which costs
    # a tenth of a widget GET and changes nothing for a host name.
    return current_app.config["PUBLIC_URL"] or f"{request.scheme}://{request.host}/"


def snippet(base: str, site_key: str) -> str:
    """The tag a site owner pastes first in <head>."""
    return f'<script src="{base.rstrip("/")}{WIDGET_PREFIX}{site_key}.js"></script>'


def published_site(key: str, release: str | None = None) -> PublishedSite | None:
    """The site as its visitors see it now, or UnknownSite; with ``release``, as one of
    its releases (the current one or one left lately), None if it is unknown here."""
    sites = delivery().sites
    site = sites.get(db.engine, key, base_url()) if re.fullmatch(SITE_KEY_PATTERN, key) else None
    if site is None:
        raise UnknownSite(f"No site has the key {key!r}.")
    if release is None or release == site.release:
        return site
    return sites.release(db.engine, key, base_url(), release)


def request_origin_host() -> str | None:
    return origin_host(request.headers.get("Origin"))


@lru_cache(maxsize=1024)
def origin_host(origin: str | None) -> str | None:
    """The host name of an Origin header (each site's visitors send the same few)."""
    if not origin or origin == "null":
        return None
    try:
        return urlsplit(origin).hostname
    except ValueError:  # e.g. "http://[" is no URL at all: no origin we could allow
        return None


def require_origin(site: PublishedSite) -> None:
    """Events and receipts are accepted only from pages on the site's own domains."""
    if not site.origin_allowed(request_origin_host()):
        raise OriginNotAllowed("The request's Origin is not one of the site's domains.")


def any_site_allows(hostname: str | None) -> bool:
    """Whether a host is one of any site's domains."""
    if not hostname:
        return False
    rows = db.session.execute(sa.select(Site.domains, Site.allow_subdomains))
    return any(host_matches(hostname, domains, subdomains) for domains, subdomains in rows)


def preflight(allowed: bool) -> Response:
    """The answer to a CORS preflight: POST with a JSON body, for an allowed Origin only."""
    response = current_app.response_class(status=204)
    response.vary.add("Origin")
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def allow_cors(response: Response, readers: list[PublishedSite]) -> Response:
    """Let the site's own pages read the answer; other origins get no CORS headers."""
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    host = request_origin_host()
    if host and readers and all(site.origin_allowed(host) for site in readers):
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    return response
