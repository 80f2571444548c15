"""The public face: the widget files and the JSON API that visitors' browsers talk to.

Views live in one module per resource: widget.py (the files), events.py, sites.py (config,
receipts) and openapi.py (the document that describes them).
"""

from flask import Blueprint, Flask

from backend.delivery import PublishedSites, WidgetTemplates

bp = Blueprint("api", __name__, url_prefix="/api/v1")
widget_bp = Blueprint("widget", __name__, url_prefix="/w")


def init_app(app: Flask) -> None:
    """Per-process caches of what sites publish."""
    app.extensions["kelisim.published"] = PublishedSites(app.config["WIDGET_CACHE_SECONDS"])
    app.extensions["kelisim.templates"] = WidgetTemplates(
        app.config["WIDGET_DIST"], reload=app.debug
    )


from backend.public import events, openapi, sites, widget  # noqa: E402,F401  (register the views)
