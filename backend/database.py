"""The database connection: its URL and time limits, SQLite's settings, migrations."""

import contextlib
import contextvars
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from flask import Flask

from backend.extensions import db, migrate

# The server cancels a statement after DATABASE_STATEMENT_TIMEOUT and says so; the app stops
# waiting this much later, for a server that cannot say anything (stopped, or cut off).
ANSWER_GRACE_SECONDS = 0.5
# Set while the event writer asks whether a commit whose answer was lost went through.
_asking_anyway: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "asking_anyway", default=False
)


def init_app(app: Flask) -> None:
    """Connect the app to its database (SQLite in the instance folder by default)."""
    _engine_options(app)
    if not sa.event.contains(sa.engine.Engine, "connect", _sqlite_pragmas):
        sa.event.listen(sa.engine.Engine, "connect", _sqlite_pragmas)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.driver == "psycopg":
            connect_timeout = libpq_connect_timeout(app.config["DATABASE_CONNECT_TIMEOUT"])
            answer_timeout = app.config["DATABASE_STATEMENT_TIMEOUT"] + ANSWER_GRACE_SECONDS
            sa.event.listen(
                db.engine, "do_connect", bounded_connect(connect_timeout, answer_timeout)
            )
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"))


class Silence:
    """When the database last left the app without an answer. For a connect timeout after
    that, no connection is tried, and then one request tries while the others still fail:
    requests fail at once instead of each waiting in turn while the database is hung."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._until: float | None = None  # None: the database answered last time
        self._trying = False
        self._lock = threading.Lock()

    def heard_nothing(self) -> None:
        self._until = time.monotonic() + self.seconds

    @contextlib.contextmanager
    def connecting(self) -> Iterator[None]:
        """Around a connection attempt: refused at once while the database is silent."""
        trying = False
        if self._until is not None and not _asking_anyway.get():
            with self._lock:
                if time.monotonic() < self._until or self._trying:
                    raise psycopg.OperationalError(
                        "The database did not answer lately; it is not asked again yet."
                    )
                self._trying = trying = True
        try:
            yield
        except psycopg.errors.ConnectionTimeout:
            self.heard_nothing()
            raise
        else:
            if trying:
                self._until = None
        finally:
            if trying:
                self._trying = False


class BoundedConnection(psycopg.Connection):
    """psycopg's connection that waits for each answer at most ``answer_timeout`` seconds,
    then closes itself (SQLAlchemy then drops it and every older pooled connection).

    libpq's options bound only the TCP connection: a server that is stopped (SIGSTOP), or
    a proxy in front of it that hangs, keeps acknowledging packets and answers nothing, and
    PostgreSQL's statement_timeout cannot fire in a server that does not run. Every wait of
    psycopg's goes through `wait` (queries, commits, rollbacks, pings)."""

    answer_timeout: float
    silence: Silence

    def wait(self, gen, interval=0.1, timeout=None):
        try:
            return super().wait(gen, interval, self.answer_timeout if timeout is None else timeout)
        # psycopg's own, private, subclass of OperationalError for a wait that ran out;
        # tests/test_timeouts.py notices if an upgrade renames it.
        except psycopg.errors._WaitTimeout:
            self.silence.heard_nothing()
            self.close()
            raise psycopg.OperationalError(
                f"The database did not answer within {self.answer_timeout:g} s;"
                " the connection is closed."
            ) from None


def bounded_connect(connect_timeout: float, answer_timeout: float):
    """A do_connect listener: connections whose every wait is bounded, and none tried for a
    while after the database left one without an answer."""
    silence = Silence(connect_timeout)
    connection_class = type(
        "BoundedConnection",
        (BoundedConnection,),
        {"answer_timeout": answer_timeout, "silence": silence},
    )

    def connect(dialect: Any, record: Any, cargs: tuple, cparams: dict) -> psycopg.Connection:
        with silence.connecting():
            return connection_class.connect(*cargs, **cparams)

    return connect


@contextlib.contextmanager
def asking_anyway() -> Iterator[None]:
    """Connect even while the database was lately silent (one bounded try)."""
    token = _asking_anyway.set(True)
    try:
        yield
    finally:
        _asking_anyway.reset(token)


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
    # connection is given up after the connect timeout, a statement after its own (the
    # server cancels it; BoundedConnection stops waiting for a server that cannot), and a
    # request waiting for a pooled connection after the connect timeout.
    connect_timeout = app.config["DATABASE_CONNECT_TIMEOUT"]
    statement_timeout = app.config["DATABASE_STATEMENT_TIMEOUT"]
    options = (
        f"{url.query.get('options', '')} -c statement_timeout={round(statement_timeout * 1000)}"
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_pre_ping": True,
        "pool_timeout": connect_timeout,
        "connect_args": {
            "connect_timeout": libpq_connect_timeout(connect_timeout),
            "options": options.strip(),
            # A network that drops packets: the kernel gives up on data left unacknowledged
            # for the statement timeout, and on an idle pooled connection after a few
            # unanswered keepalives, so the pool never hands out a dead connection for long.
            "tcp_user_timeout": round((statement_timeout + ANSWER_GRACE_SECONDS) * 1000),
            "keepalives": 1,
            "keepalives_idle": max(1, round(connect_timeout)),
            "keepalives_interval": 1,
            "keepalives_count": 3,
        },
    }


def libpq_connect_timeout(seconds: float) -> int:
    """The connect timeout as libpq counts it: whole seconds, at least 2."""
    return max(2, round(seconds))


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
