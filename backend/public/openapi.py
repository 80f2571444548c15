"""The OpenAPI 3 document of the public API, generated from the same marshmallow schemas."""

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from backend.export.openapi import add_stats_path
from backend.models import SITE_KEY_PATTERN
from backend.public import bp
from backend.schemas import public

ERROR = {"application/json": {"schema": "Error"}}
SITE_KEY = {
    "name": "site_key",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": SITE_KEY_PATTERN},
}

ORIGIN = {"name": "Origin", "in": "header", "required": True, "schema": {"type": "string"}}


def _errors(*statuses: int) -> dict:
    descriptions = {
        400: "Malformed input",
        401: "No valid token",
        403: "Origin not allowed, or a token of another site",
        404: "Unknown site or nothing recorded",
        413: "Body too large",
        415: "Unsupported content type",
        422: "Invalid fields",
        429: "Too many requests",
    }
    return {str(s): {"description": descriptions[s], "content": ERROR} for s in statuses}


def build_spec() -> APISpec:
    spec = APISpec(
        title="Kelisim public API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "What the consent widget and apps on a site's pages talk to."},
    )
    names = ("Event", "EventBatch", "Accepted", "ReceiptRequest", "Receipt", "SiteConfig", "Error")
    for name in names:
        spec.components.schema(name, schema=getattr(public, f"{name}Schema"))

    event_body = {
        "schema": {
            "oneOf": [
                {"$ref": "#/components/schemas/Event"},
                {"$ref": "#/components/schemas/EventBatch"},
            ]
        }
    }
    spec.path(
        path="/api/v1/events",
        operations={
            "post": {
                "summary": "Record one consent event or a batch",
                "description": "The Origin must be one of the site's domains. text/plain is "
                "accepted so that navigator.sendBeacon needs no CORS preflight.",
                "parameters": [ORIGIN],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": event_body, "text/plain": event_body},
                },
                "responses": {
                    "202": {
                        "description": "Stored",
                        "content": {"application/json": {"schema": "Accepted"}},
                    },
                    **_errors(400, 403, 404, 413, 415, 422, 429),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/sites/{site_key}/config",
        operations={
            "get": {
                "summary": "The public config of a site",
                "parameters": [SITE_KEY],
                "responses": {
                    "200": {
                        "description": "The config",
                        "content": {"application/json": {"schema": "SiteConfig"}},
                    },
                    "304": {"description": "Not modified (If-None-Match)"},
                    **_errors(404),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/sites/{site_key}/receipts",
        operations={
            "post": {
                "summary": "A visitor's consent history, found by their consent ID",
                "description": "Asked from the site's own pages (the Origin must be one of "
                "its domains); the consent ID travels in the body, never in the URL.",
                "parameters": [SITE_KEY, ORIGIN],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": "ReceiptRequest"},
                        "text/plain": {"schema": "ReceiptRequest"},
                    },
                },
                "responses": {
                    "200": {
                        "description": "The receipt",
                        "content": {"application/json": {"schema": "Receipt"}},
                    },
                    **_errors(400, 403, 404, 413, 415, 422, 429),
                },
            }
        },
    )
    add_stats_path(spec, SITE_KEY, _errors(400, 401, 403, 404, 429))
    return spec


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document (cached per process: it only changes with the code)."""
    spec = current_app.extensions.get("kelisim.openapi")
    if spec is None:
        spec = current_app.extensions["kelisim.openapi"] = build_spec().to_dict()
    return spec
