"""The migrations build exactly the schema the models describe, on both databases."""

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from backend import create_app
from backend.extensions import db
from tests.conftest import config_for_tests, migrated_to
from tests.factories import SITE_ROW, make_event_row

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


def test_impressions_without_a_consent_hash_survive_a_downgrade(empty_database):
    with migrated_to(empty_database, "0009_impressions_without_id") as tables:
        with db.engine.begin() as connection:
            connection.execute(tables["sites"].insert(), SITE_ROW)
            impression = make_event_row(
                SITE_ROW["created_at"], action="shown", categories=[], consent_hash=None
            )
            connection.execute(tables["consent_events"].insert(), [impression, impression])
        downgrade(revision="0005_one_row_per_decision")
        hashes = db.session.scalars(sa.text("SELECT consent_hash FROM consent_events")).all()
        assert hashes == ["", ""], "kept, with a hash no consent ID has"
