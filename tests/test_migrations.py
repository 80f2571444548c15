"""The migrations build exactly the schema the models describe, on both databases."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from backend import create_app
from backend.extensions import db
from tests.conftest import PLAIN_POSTGRES_URL, config_for_tests, postgres_url, run_schema

SCHEMA = "kelisim_migrations"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


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


def test_migration_files_sort_in_the_order_of_their_chain():
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    chain = reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    files = [Path(script.path).name for script in chain]
    assert files == sorted(path.name for path in (MIGRATIONS / "versions").glob("*.py"))


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
