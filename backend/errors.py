"""One error handler for the whole app: JSON envelopes for API clients, a JavaScript comment
for widget embeds, pages for people. Never a stack trace.

Invalid input has one answer everywhere, flask-smorest's: a body that does not parse is 400
`malformed_json`; input that parses but breaks a schema or a rule is 422 `invalid_input`, with
each field's problems in `fields`. A client that gets 400 must fix how it sends, one that gets
422 what it sends. Domain errors (backend/services) carry no HTTP: DOMAIN_ERRORS below gives
each its status and code."""

import logging

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.exceptions import BadHost, BadRequest, HTTPException, InternalServerError

from backend.event_writer import NotRecorded
from backend.services import DomainError, InvalidInput, OriginNotAllowed, UnknownSite
from backend.services.members import AlreadyMember, InvitationUnusable, LastOwner
from backend.services.tokens import InvalidToken, TokenForAnotherSite
from backend.web import JSON_PREFIXES, WIDGET_PREFIX

log = logging.getLogger(__name__)

INVALID_INPUT = (422, "invalid_input")
# Each domain error as an answer: status and the envelope's code. A class not listed answers
# as its nearest listed base class.
DOMAIN_ERRORS: dict[type[DomainError], tuple[int, str]] = {
    DomainError: INVALID_INPUT,
    InvalidInput: INVALID_INPUT,
    UnknownSite: (404, "unknown_site"),
    OriginNotAllowed: (403, "origin_not_allowed"),
    InvalidToken: (401, "invalid_token"),
    TokenForAnotherSite: (403, "token_for_another_site"),
    LastOwner: (409, "last_owner"),
    AlreadyMember: (409, "already_member"),
    InvitationUnusable: (410, "invitation_unusable"),
    NotRecorded: (503, "not_recorded"),
}
# Seconds a client should wait before sending again what the database could not take.
RETRY_AFTER_SECONDS = "10"
# Headers an error's answer carries: how to authenticate after a 401, when to try again
# after a 503.
DOMAIN_ERROR_HEADERS: dict[type[DomainError], dict[str, str]] = {
    InvalidToken: {"WWW-Authenticate": 'Bearer realm="kelisim"'},
    NotRecorded: {"Retry-After": RETRY_AFTER_SECONDS},
}


class NulInForm(BadRequest):
    """A form posted with a NUL character in a field. No text a person types holds one, and
    PostgreSQL cannot store one in text: refused whole, before any view reads the form,
    rather than failing at the database with a 500 (SQLite would have stored it)."""

    error_code = "nul_in_form"
    description = "A field held a NUL character; nothing was saved."
    page_text = _l(
        "A field of the form held a NUL character, which no text may hold, so nothing was "
        "saved. Go back, remove it (it often comes with text pasted from another program) "
        "and send the form again."
    )


# The bodies request.form parses. (Any other body is left unread: reading it here would fix
# its size limit before a view sets its own, web.json_body's.)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul_in_forms() -> None:
    """Before every request: a posted form with a NUL character in any field is refused."""
    if request.mimetype in FORM_TYPES and any(
        "\x00" in value for values in request.form.listvalues() for value in values
    ):
        raise NulInForm()


def error_response(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    """The API's error envelope: {"error": {"code", "message", "fields"}}."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    return response


def _respond(
    status: int,
    code: str,
    message: str,
    fields: dict | None = None,
    *,
    json: bool = False,
    retry_after: int | None = None,
    page_text: str | None = None,
) -> Response:
    if request.path.startswith(WIDGET_PREFIX):
        # A broken embed must stay valid JavaScript on the host page.
        comment = f"/* Kelisim: {status} {code} */\n"
        return Response(comment, status, mimetype="application/javascript")
    if json or request.path.startswith(JSON_PREFIXES):
        return error_response(status, code, message, fields)
    if isinstance(request.routing_exception, BadHost):
        # No URL can be built for a Host that is no host name, so no page with links.
        return Response(f"{status} {message}", status, mimetype="text/plain")
    page = render_template("error.html", status=status, retry_after=retry_after, text=page_text)
    return Response(page, status)


def handle_http(error: HTTPException) -> Response:
    # The envelope's code: the error's own (MalformedJSON's), else werkzeug's name of it.
    name = (error.name or "error").lower().replace(" ", "_").replace("'", "")
    code = getattr(error, "error_code", name)
    retry_after = getattr(error, "retry_after", None)  # a 429's or a 503's, in seconds
    response = _respond(
        error.code or 500,
        code,
        error.description or "",
        retry_after=retry_after if isinstance(retry_after, int) else None,
        # What the page says, where the error has words of its own for people.
        page_text=getattr(error, "page_text", None),
    )
    # Keep what the error tells the client to do next (Allow on 405, Retry-After on 429).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_validation(error: ValidationError) -> Response:
    """422 with every field's problems. Marshmallow checks only what scripts send (the APIs,
    the dashboard's file downloads), so the answer is the JSON envelope wherever it is."""
    status, code = INVALID_INPUT
    message = "The input is not valid: see fields."
    return _respond(status, code, message, error.normalized_messages(), json=True)


def domain_answer(error: DomainError) -> tuple[int, str]:
    """The status and code of a domain error: its class's, or its nearest base class's."""
    return next(DOMAIN_ERRORS[cls] for cls in type(error).__mro__ if cls in DOMAIN_ERRORS)


def handle_domain(error: DomainError) -> Response:
    status, code = domain_answer(error)
    response = _respond(status, code, error.message, error.fields)
    for cls in type(error).__mro__:
        response.headers.update(DOMAIN_ERROR_HEADERS.get(cls, {}))
    return response


def handle_database_unavailable(error: sa.exc.SQLAlchemyError) -> Response:
    """503 while the database is down or silent (each wait on it is bounded), with when to
    ask again: the page or call is fine, the database is not."""
    log.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
    # The page is drawn without asking the database who is signed in (for their language).
    g._login_user = current_app.login_manager.anonymous_user()
    response = _respond(503, "database_unavailable", "The database is not answering; try again.")
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def handle_unexpected(error: Exception) -> Response:
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http(InternalServerError())


def register(app: Flask) -> None:
    app.before_request(refuse_nul_in_forms)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(ValidationError, handle_validation)
    app.register_error_handler(DomainError, handle_domain)
    # OperationalError: lost, refused or timed out; TimeoutError: no pooled connection free.
    app.register_error_handler(sa.exc.OperationalError, handle_database_unavailable)
    app.register_error_handler(sa.exc.TimeoutError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
