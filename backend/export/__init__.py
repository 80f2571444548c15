"""The analysts' face: the stats API that scripts read with a site's token, and shared
read-only links to a site's overview.

Views in routes.py (the API; backend/openapi.py documents it) and shared.py. The files they
answer with are written below the faces (backend/stats_files.py, backend/downloads.py), as
the overview is (backend/overview/), since the dashboard shows the same."""

from flask import Blueprint

bp = Blueprint("export", __name__, url_prefix="/api/v1")
shared_bp = Blueprint("shared", __name__, url_prefix="/shared")

from backend.export import routes, shared  # noqa: E402,F401  (register the views)
