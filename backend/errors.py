"""One error handler for the whole app: JSON envelopes for API clients, a JavaScript comment
for widget embeds, pages for people. Never a stack trace."""

import logging

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadHost, HTTPException, InternalServerError

from backend.services import DomainError
from backend.web import JSON_PREFIXES, WIDGET_PREFIX

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    """The API's error envelope: {"error": {"code", "message", "fields"}}."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    return response


def _respond(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    if request.path.startswith(WIDGET_PREFIX):
        # A broken embed must stay valid JavaScript on the host page.
        comment = f"/* Kelisim: {status} {code} */\n"
        return Response(comment, status, mimetype="application/javascript")
    if request.path.startswith(JSON_PREFIXES):
        return error_response(status, code, message, fields)
    if isinstance(request.routing_exception, BadHost):
        # No URL can be built for a Host that is no host name, so no page with links.
        return Response(f"{status} {message}", status, mimetype="text/plain")
    return Response(render_template("error.html", status=status), status)


def handle_http(error: HTTPException) -> Response:
    code = (error.name or "error").lower().replace(" ", "_").replace("'", "")
    response = _respond(error.code or 500, code, error.description or "")
    # Keep what the error tells the client to do next (Allow on 405, Retry-After on 429).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_validation(error: ValidationError) -> Response:
    return _respond(422, "invalid_input", "The request body is not valid.", error.messages)


def handle_domain(error: DomainError) -> Response:
    return _respond(error.status, error.code, error.message, error.fields)


def handle_unexpected(error: Exception) -> Response:
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(ValidationError, handle_validation)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(Exception, handle_unexpected)
