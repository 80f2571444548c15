"""The analysts' face: the stats API that scripts read with a site's token, the stats and
raw-event files that owners download (written by formats.py and events.py), and shared
read-only links to a site's overview.

Views in routes.py (the API; openapi.py adds it to the public API's document) and shared.py.
"""

from flask import Blueprint

bp = Blueprint("export", __name__, url_prefix="/api/v1")
shared_bp = Blueprint("shared", __name__, url_prefix="/shared")

from backend.export import routes, shared  # noqa: E402,F401  (register the views)
