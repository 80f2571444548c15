"""What the faces share: the URL prefixes that decide how a request is treated, site lookup,
the base URL, Origin checks and the install snippet."""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Response, current_app, request

from backend.delivery import PublishedSite, PublishedSites
from backend.extensions import db
from backend.models import SITE_KEY_PATTERN
from backend.services import OriginNotAllowed, UnknownSite

WIDGET_PREFIX = "/w/"
API_PREFIX = "/api/"
EXPORT_PREFIX = "/export/"
# Errors under these prefixes are JSON envelopes; under the widget's, a JavaScript comment;
# elsewhere, a page for people.
JSON_PREFIXES = (API_PREFIX, EXPORT_PREFIX)
# Paths that visitors' browsers and analysts' scripts request: no session is read or written.
SESSIONLESS_PREFIXES = (WIDGET_PREFIX, API_PREFIX)


def base_url() -> str:
    """Where the widget talks back to: the configured public URL, else this request's."""
    # Built from the parts: request.host_url also converts the URL to an IRI, which costs
    # a tenth of a widget GET and changes nothing for a host name.
    return current_app.config["PUBLIC_URL"] or f"{request.scheme}://{request.host}/"


def snippet(base: str, site_key: str) -> str:
    """The tag a site owner pastes first in <head>."""
    return f'<script src="{base.rstrip("/")}{WIDGET_PREFIX}{site_key}.js"></script>'


def published_site(key: str) -> PublishedSite:
    """The site as its visitors see it, or UnknownSite."""
    cache: PublishedSites = current_app.extensions["kelisim.published"]
    site = cache.get(db.engine, key, base_url()) if re.fullmatch(SITE_KEY_PATTERN, key) else None
    if site is None:
        raise UnknownSite(f"No site has the key {key!r}.")
    return site


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


def allow_cors(response: Response, readers: list[PublishedSite]) -> Response:
    """Let the site's own pages read the answer; other origins get no CORS headers."""
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    host = request_origin_host()
    if host and readers and all(site.origin_allowed(host) for site in readers):
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    return response
