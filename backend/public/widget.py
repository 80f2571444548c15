"""The widget files: one script per site with its config built in, and the banner UI."""

from flask import current_app, request

from backend.delivery import cached_response
from backend.public import widget_bp
from backend.web import published_site

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
    """The banner UI with its texts in one language (?l=, else the site's default), loaded
    only when the banner must be shown."""
    return _banner_file("banner", site_key)


@widget_bp.get("/<site_key>/texts.js")
def texts(site_key: str):
    """The banner's texts in another language (?l=), loaded when the visitor switches."""
    return _banner_file("texts", site_key)


def _banner_file(name: str, site_key: str):
    site = published_site(site_key)
    language = site.language(request.args.get("l"))
    # A browser with Global Privacy Control sends Sec-GPC: 1; only it needs the notice.
    gpc = request.headers.get("Sec-GPC") == "1"
    templates = current_app.extensions["kelisim.templates"]
    representation = site.representation(name, templates, language, gpc)
    # The loader asks for the files of its own config version; that URL never changes meaning.
    fresh = request.args.get("v") == str(site.version)
    max_age = BANNER_MAX_AGE if fresh else current_app.config["WIDGET_MAX_AGE"]
    response = cached_response(representation, JAVASCRIPT, max_age)
    response.vary.add("Sec-GPC")
    return response
