"""The analysts' face: the stats API that scripts read with a site's token, and the stats
and raw-event files that owners download (written by formats.py and events.py).

Views in routes.py; openapi.py adds them to the public API's document.
"""

from flask import Blueprint

bp = Blueprint("export", __name__, url_prefix="/api/v1")

from backend.export import routes  # noqa: E402,F401  (register the views)
