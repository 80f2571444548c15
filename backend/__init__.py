"""Kelisim: a self-hosted consent banner and consent-records backend."""

from pathlib import Path

from flask import Flask
from flask_babel import get_locale

from backend import ratelimit
from backend.config import DEV_SECRET_KEY, Config
from backend.sessions import DashboardSessions


class ConfigurationError(RuntimeError):
    """The app refuses to start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    _load_config(app, test_config)

    from backend import models  # noqa: F401  (registers the models with SQLAlchemy)
    from backend.auth.language import select_locale
    from backend.extensions import babel, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
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

    from backend import errors

    errors.register(app)

    from backend import cli

    cli.register(app)
    return app


def _load_config(app: Flask, test_config: dict | None) -> None:
    """Class defaults, then KELISIM_* environment variables (or the test config)."""
    app.config.from_object(Config)
    if test_config is None:
        app.config.from_prefixed_env("KELISIM")
    else:
        app.config.update(test_config)

    if app.config.get("SQLALCHEMY_DATABASE_URI") is None:
        url = app.config["DATABASE_URL"]
        if url is None:
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{Path(app.instance_path) / 'kelisim.sqlite3'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has no connection-level liveness problem to ping for.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}

    if app.config["ENVIRONMENT"] == "production":
        secret = app.config["SECRET_KEY"]
        if not secret or secret == DEV_SECRET_KEY or len(secret) < 32:
            raise ConfigurationError(
                "KELISIM_SECRET_KEY must be set to a random value of at least 32 characters"
                " in production (python -c 'import secrets; print(secrets.token_hex(32))')"
            )
