"""The migrations build exactly the schema the models describe, on both databases."""

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from backend import create_app
from backend.extensions import db
from tests.conftest import PLAIN_POSTGRES_URL, config_for_tests, postgres_url, run_schema

SCHEMA = "kelisim_migrations"
NOW = datetime(2026, 12, 8, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    url = postgres_url(SCHEMA)
    schema = run_schema(SCHEMA)
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


def test_migrations_match_the_models(empty_database):
    app = create_app(config_for_tests(empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()


def test_impressions_without_a_consent_hash_survive_a_downgrade(empty_database):
    with migrated_to(empty_database, "0009_impressions_without_id") as tables:
        with db.engine.begin() as connection:
            connection.execute(
                tables["sites"].insert(),
                {
                    "id": 1, "public_key": "k", "name": "s", "domains": [],
                    "allow_subdomains": False, "legal_name": "", "bin": "", "address": "",
                    "contact_email": "", "policy_urls": {}, "languages": ["ru"],
                    "default_language": "ru", "texts": {}, "appearance": {},
                    "respect_dnt": False, "timezone": "Asia/Almaty", "consent_days": 182,
                    "retention_months": 36, "policy_version": 1, "reconsent_from": 1,
                    "config_version": 1, "revision": 1, "created_at": NOW,
                },
            )  # fmt: skip
            impression = {
                "site_id": 1, "created_at": NOW, "action": "shown",
                "categories": [], "services": [], "policy_version": 1, "banner_version": 1,
                "language": "ru", "layer": "first", "signal": "none",
                "device_class": "mobile", "consent_hash": None,
            }  # fmt: skip
            connection.execute(tables["consent_events"].insert(), [impression, impression])
        downgrade(revision="0005_one_row_per_decision")
        hashes = db.session.scalars(sa.text("SELECT consent_hash FROM consent_events")).all()
        assert hashes == ["", ""], "kept, with a hash no consent ID has"
