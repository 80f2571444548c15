"""The public face: the widget files and the JSON API that visitors' browsers talk to.

Views live in one module per resource: widget.py (the files), events.py, sites.py (config,
receipts) and openapi.py (the document that describes them).
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
widget_bp = Blueprint("widget", __name__, url_prefix="/w")

from backend.public import events, openapi, sites, widget  # noqa: E402,F401  (register the views)
