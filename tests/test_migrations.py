"""The migrations build exactly the schema the models describe, on both databases."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from backend import create_app
from backend.extensions import db
from tests.conftest import config_for_tests

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


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
