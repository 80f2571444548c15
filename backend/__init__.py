"""Kelisim: a self-hosted consent banner and consent-records backend."""

from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from backend import ratelimit
from backend.config import ConfigurationError, load_config
from backend.sessions import DashboardSessions

__all__ = ["ConfigurationError", "create_app"]


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app.config, test_config)
    _database_config(app)
    if app.config["PROXY_HOPS"]:
        # The real client and scheme from the proxies' X-Forwarded-For/-Proto; never
        # X-Forwarded-Host: no host from a request is trusted.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from backend import models  # noqa: F401  (registers the models with SQLAlchemy)
    from backend.auth.language import select_locale
    from backend.extensions import babel, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    csrf.init_app(app)
    ratelimit.init_app(app)
    app.session_interface = DashboardSessions()

    from backend import auth, dashboard, export, pages, public

    auth.init_app(app)
    public.init_app(app)
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


def _database_config(app: Flask) -> None:
    """The database URL (SQLite in the instance folder by default) and its time limits."""
    if app.config.get("SQLALCHEMY_DATABASE_URI") is None:
        url = app.config["DATABASE_URL"]
        if url is None:
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{Path(app.instance_path) / 'kelisim.sqlite3'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        # A local file: no connection to lose, no server to wait for.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
        return
    # A server that accepts connections and never answers must not hang a request: a
    # connection is given up after the connect timeout, a statement after its own.
    statement_ms = round(app.config["DATABASE_STATEMENT_TIMEOUT"] * 1000)
    options = f"{url.query.get('options', '')} -c statement_timeout={statement_ms}".strip()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_pre_ping": True,
        "pool_timeout": app.config["DATABASE_CONNECT_TIMEOUT"],
        "connect_args": {
            # libpq counts whole seconds, at least 2.
            "connect_timeout": max(2, round(app.config["DATABASE_CONNECT_TIMEOUT"])),
            "options": options,
        },
    }
