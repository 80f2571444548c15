"""The database connection: its URL and time limits, SQLite's settings, migrations."""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from backend.extensions import db, migrate


def init_app(app: Flask) -> None:
    """Connect the app to its database (SQLite in the instance folder by default)."""
    _engine_options(app)
    if not sa.event.contains(sa.engine.Engine, "connect", _sqlite_pragmas):
        sa.event.listen(sa.engine.Engine, "connect", _sqlite_pragmas)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"))


def _engine_options(app: Flask) -> None:
    """The database URL and its time limits."""
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


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL lets readers run beside the writer; foreign keys are off in SQLite unless asked."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
