"""The public face: the widget files and the JSON API that visitors' browsers talk to.

Views live in one module per resource: widget.py (the files), events.py, sites.py (config,
receipts) and openapi.py (the document that describes them).
"""

from flask import Blueprint, Flask

from backend import published_files
from backend.delivery import PublishedSites, WidgetTemplates

bp = Blueprint("api", __name__, url_prefix="/api/v1")
widget_bp = Blueprint("widget", __name__, url_prefix="/w")


def init_app(app: Flask) -> None:
    """What sites publish: their files on disk, and per-process caches of them."""
    templates = app.extensions["kelisim.templates"] = WidgetTemplates(
        app.config["WIDGET_DIST"], reload=app.debug
    )
    files = published_files.init_app(app)
    app.extensions["kelisim.published"] = PublishedSites(
        app.config["WIDGET_CACHE_SECONDS"], templates, files
    )


from backend.public import events, openapi, sites, widget  # noqa: E402,F401  (register the views)
