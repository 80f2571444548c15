"""Sessions belong to people signed in to the dashboard, never to visitors of a site."""

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from backend.web import SESSIONLESS_PREFIXES


class DashboardSessions(SecureCookieSessionInterface):
    """Signed cookie sessions, skipped on public paths: a visitor carries no session, and
    checking a cookie signature would cost every widget request a quarter of its time."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if request.path.startswith(SESSIONLESS_PREFIXES):
            return self.make_null_session(app)
        return super().open_session(app, request)
