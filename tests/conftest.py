"""Fixtures: the app on SQLite and on the real PostgreSQL, a client, a site to talk about, an
empty database to migrate; helpers that tests of several folders share."""

import contextlib
import json
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from backend import create_app
from backend.config import Config
from backend.extensions import db
from tests.factories import make_service, make_site

POSTGRES_URL = os.environ.get(
    "KELISIM_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test"
)
PLAIN_POSTGRES_URL = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
# Schemas are named per run, so that two runs on one server never clobber each other.
RUN_ID = secrets.token_hex(4)
_schemas_created: list[str] = []


def run_schema(name: str) -> str:
    """This run's own name for a PostgreSQL schema."""
    return f"{name}_{RUN_ID}"


def postgres_url(name: str) -> str:
    """A URL whose connections work in this run's schema ``name``, created if needed and
    dropped when the run ends."""
    schema = run_schema(name)
    try:
        with psycopg.connect(PLAIN_POSTGRES_URL, connect_timeout=3, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        if schema not in _schemas_created:
            _schemas_created.append(schema)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable: {error}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--sqlite-only",
        action="store_true",
        help="run the database tests on SQLite only (make test-fast); PostgreSQL's are left out",
    )


def on_postgres(item) -> bool:
    """Whether the test is the PostgreSQL run of a parametrized database fixture."""
    params = getattr(item, "callspec", None)
    return params is not None and "postgresql" in params.params.values()


def pytest_collection_modifyitems(config, items) -> None:
    """Tests that use the session's Playwright drive Chromium: they carry the browser mark,
    so that `-m "not browser"` leaves out every one of them, marked by hand or not. With
    --sqlite-only, the PostgreSQL runs of parametrized database fixtures are left out."""
    for item in items:
        if "playwright" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    if not config.getoption("sqlite_only"):
        return
    kept, left_out = [], []
    for item in items:
        (left_out if on_postgres(item) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_collection_finish(session) -> None:
    """A run with PostgreSQL tests in it stops at once, in one line, when PostgreSQL cannot
    be reached: half the database tests would otherwise fail one by one (or, worse, be
    skipped and the run pass)."""
    if not any(on_postgres(item) for item in session.items):
        return
    try:
        psycopg.connect(PLAIN_POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        raise pytest.UsageError(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({reason}): start it, set"
            " KELISIM_TEST_POSTGRES_URL to a database you may create schemas in, or run"
            " SQLite only with --sqlite-only (make test-fast)"
        ) from None


def pytest_sessionfinish(session, exitstatus) -> None:
    """Drop the schemas this run made."""
    if not _schemas_created:
        return
    with psycopg.connect(PLAIN_POSTGRES_URL, connect_timeout=3, autocommit=True) as connection:
        for schema in _schemas_created:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """Each database test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'kelisim.sqlite3'}"
    return postgres_url("kelisim_test")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> str:
    """A database with no tables, on SQLite and on PostgreSQL, for tests that migrate it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    url = postgres_url("kelisim_migrations")
    schema = run_schema("kelisim_migrations")
    with psycopg.connect(PLAIN_POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return url


@contextlib.contextmanager
def migrated_to(database_url: str, revision: str) -> Iterator[dict[str, sa.Table]]:
    """Inside the app's context, a database migrated up to ``revision``, with its tables as
    they are then; the connections are closed afterwards."""
    app = create_app(config_for_tests(database_url))
    with app.app_context():
        upgrade(revision=revision)
        tables = sa.MetaData()
        tables.reflect(db.engine)
        yield tables.tables
        db.session.remove()
        db.engine.dispose()


def config_for_tests(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "WIDGET_CACHE_SECONDS": 0,
        "WTF_CSRF_ENABLED": False,
        # One round instead of scrypt's cost: tests make many users.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }
    config.update(overrides)
    return config


_schemas_made: set[str] = set()


@pytest.fixture
def app_config() -> dict:
    """Per-test config overrides; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    app = create_app(config_for_tests(database_url, **app_config))
    with app.app_context():
        if database_url not in _schemas_made:
            db.drop_all()
            db.create_all()
            _schemas_made.add(database_url)
        yield app
        # Files written behind the requests: let them finish before the tables are
        # emptied and the connections closed.
        publisher = app.extensions["kelisim.delivery"].publisher
        assert publisher is None or publisher.wait(timeout=30)
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(sa.delete(table))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def site(app):
    """A committed site on example.kz with Metrica (held) and GA4 (managed)."""
    site = make_site(domains=["example.kz"])
    make_service(site, "yandex_metrica", options={"counter_id": "12345678", "webvisor": True})
    make_service(site, "google_analytics", managed=True, options={"measurement_id": "G-TEST1"})
    db.session.commit()
    return site


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole run: its sync API allows only one at a time, so the
    widget's and the dashboard's browsers are launched from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


# The Origin of the `site` fixture's pages.
ORIGIN = "https://example.kz"


def post_events(client, body, *, origin=ORIGIN, content_type="text/plain;charset=UTF-8", **headers):
    """POST an event (make_event()), a batch or raw text to the events API, as a page's
    sendBeacon does: text/plain, with the page's Origin."""
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    if origin is not None:
        headers["Origin"] = origin
    return client.post("/api/v1/events", data=data, content_type=content_type, headers=headers)


def built_in_config(body: bytes, file: str = "kelisim.js") -> dict:
    """The JSON object the server put where the widget file's config token was; the
    loader's with its short keys (and its services') read back as the names they stand for."""
    head = (Config.WIDGET_DIST / file).read_bytes().split(b"__KELISIM_CONFIG__")[0].strip()
    assert body.startswith(head)
    config = json.JSONDecoder().raw_decode(body[len(head) :].decode())[0]
    if file != "kelisim.js":
        return config
    names = json.loads((Config.WIDGET_DIST / "names.json").read_text())
    readable = {short: name.removeprefix("_") for name, short in names.items()}

    def read(data: dict) -> dict:
        return {readable[key]: value for key, value in data.items()}

    return read({**config, names["_services"]: [read(s) for s in config[names["_services"]]]})


def self_signed_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A throw-away key and certificate for ``name`` made with openssl: (key, certificate)."""
    key, certificate = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(certificate), "-subj", f"/CN={name}"],
        check=True,
        capture_output=True,
    )
    return key, certificate
