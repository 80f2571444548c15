"""The widget files: one script per site with its config built in, and the banner UI."""

from flask import current_app, request

from backend.api import cached_response, published_site, widget_bp

JAVASCRIPT = "application/javascript"
BANNER_MAX_AGE = 86400


@widget_bp.get("/<site_key>.js")
def loader(site_key: str):
    """The script a site embeds: gating and the public API, with the site's config built in."""
    site = published_site(site_key)
    representation = site.representation("loader", current_app.extensions["kelisim.templates"])
    return cached_response(representation, JAVASCRIPT, current_app.config["WIDGET_MAX_AGE"])


@widget_bp.get("/<site_key>/banner.js")
def banner(site_key: str):
    """The banner UI with texts, loaded only when the banner must be shown."""
    site = published_site(site_key)
    representation = site.representation("banner", current_app.extensions["kelisim.templates"])
    # The loader asks for the banner of its own config version; that URL never changes meaning.
    fresh = request.args.get("v") == str(site.version)
    max_age = BANNER_MAX_AGE if fresh else current_app.config["WIDGET_MAX_AGE"]
    return cached_response(representation, JAVASCRIPT, max_age)
