"""Kelisim: a self-hosted consent banner and consent-records backend."""

from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from backend import ratelimit, routing
from backend.config import ConfigurationError, load_config
from backend.sessions import DashboardSessions

__all__ = ["ConfigurationError", "create_app"]


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, publication, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app.config, test_config)
    if app.config["PROXY_HOPS"]:
        # The real client and scheme from the proxies' X-Forwarded-For/-Proto; never
        # X-Forwarded-Host: no host from a request is trusted.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from backend import database, delivery, publication
    from backend.auth.language import select_locale
    from backend.extensions import babel, csrf

    database.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    csrf.init_app(app)
    ratelimit.init_app(app)
    app.session_interface = DashboardSessions()
    # What sites publish reaches visitors through delivery; every commit that changes it
    # publishes it (a banner version before the commit, the files after).
    delivery.init_app(app)
    publication.init_app(app)

    from backend import auth, dashboard, export, pages, public

    routing.init_app(app)
    auth.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(public.widget_bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(dashboard.invitations_bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(export.shared_bp)
    csrf.exempt(public.bp)

    from backend import errors, security_headers

    errors.register(app)
    security_headers.init_app(app)

    from backend import cli

    cli.register(app)
    return app
