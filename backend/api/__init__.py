"""The public face: the widget files and the JSON API that visitors' browsers talk to."""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request
from werkzeug.http import parse_accept_header

from backend.extensions import db
from backend.models import SITE_KEY_PATTERN
from backend.services import OriginNotAllowed, UnknownSite
from backend.services.widget import (
    PublishedSite,
    PublishedSites,
    Representation,
    WidgetTemplates,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
widget_bp = Blueprint("widget", __name__, url_prefix="/w")


def init_app(app) -> None:
    """Per-process caches of what sites publish."""
    app.extensions["kelisim.published"] = PublishedSites(app.config["WIDGET_CACHE_SECONDS"])
    app.extensions["kelisim.templates"] = WidgetTemplates(
        app.config["WIDGET_DIST"], reload=app.debug
    )


def base_url() -> str:
    """Where the widget talks back to: the configured public URL, else this request's."""
    # Built from the parts: request.host_url also converts the URL to an IRI, which costs
    # a tenth of a widget GET and changes nothing for a host name.
    return current_app.config["PUBLIC_URL"] or f"{request.scheme}://{request.host}/"


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


@lru_cache(maxsize=256)
def preferred_encoding(accept_encoding: str) -> str:
    """br, gzip or identity, as an Accept-Encoding header allows (browsers send a handful
    of distinct headers, so each is parsed once)."""
    accepted = parse_accept_header(accept_encoding)
    return next((name for name in ("br", "gzip") if accepted[name]), "identity")


def cached_response(representation: Representation, mimetype: str, max_age: int) -> Response:
    """A publicly cacheable answer, compressed as the client accepts, with a strong ETag
    per encoding and a 304 when the client already holds it."""
    encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
    etag = f"{representation.digest}-{encoding}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        body = {"br": representation.br, "gzip": representation.gzip}.get(
            encoding, representation.body
        )
        response = Response(body, mimetype=mimetype)
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Vary"] = "Accept-Encoding"
    return response


from backend.api import events, openapi, sites, widget  # noqa: E402,F401  (register the views)
