"""The widget files: one loader per site with its config built in, and the banner's files
of each release (the release is in their URL, so a loader meets only its own banner)."""

from flask import abort, current_app

from backend.delivery.responses import IMMUTABLE, cached_response, max_age
from backend.public import widget_bp
from backend.web import published_site

JAVASCRIPT = "application/javascript"


@widget_bp.get("/<site_key>.js")
def loader(site_key: str):
    """The script a site embeds: gating and the public API, with the site's config built in."""
    representation = published_site(site_key).file("loader.js")
    cache_control = max_age(current_app.config["WIDGET_MAX_AGE"])
    return cached_response(representation, JAVASCRIPT, cache_control)


@widget_bp.get("/<site_key>/<release>/<file>")
def release_file(site_key: str, release: str, file: str):
    """The banner (its first layer) or all its texts, in one language, of one release:
    fetched only when the banner must be shown, and never changed under its URL."""
    site = published_site(site_key, release)
    representation = site.banner_file(file) if site is not None else None
    if representation is None:
        abort(404)
    return cached_response(representation, JAVASCRIPT, IMMUTABLE)
