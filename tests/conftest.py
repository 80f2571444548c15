"""Fixtures: the app on SQLite and on the real PostgreSQL, a client, and a site to talk about."""

import os
import secrets

import psycopg
import pytest
import sqlalchemy as sa

from backend import create_app
from backend.extensions import db
from tests.factories import make_service, make_site

POSTGRES_URL = os.environ.get(
    "KELISIM_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test"
)
PLAIN_POSTGRES_URL = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
# CI sets this, so that a missing PostgreSQL fails the run instead of skipping half of it.
REQUIRE_POSTGRES = os.environ.get("KELISIM_TEST_REQUIRE_POSTGRES") == "1"
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
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


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
