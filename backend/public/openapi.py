"""GET /api/v1/openapi.json: the document of the public and stats APIs (backend/openapi.py)."""

from flask import current_app

from backend.openapi import build_spec
from backend.public import bp


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document (cached per process: it only changes with the code)."""
    spec = current_app.extensions.get("kelisim.openapi")
    if spec is None:
        spec = current_app.extensions["kelisim.openapi"] = build_spec().to_dict()
    return spec
