"""Analytics: daily stats by policy and banner version, layer and signal, rebuilt from the
events still kept; API tokens; shared links

Revision ID: 0003_analytics
Revises: 0003_versions
Create Date: 2026-12-04 23:35:34.392671

"""
from collections import Counter
from datetime import UTC

from alembic import op
import sqlalchemy as sa

# How events count is defined once, in the stats service; this migration runs it over the
# kept events. (A later change of the daily rows' key must rebuild them in its own migration.)
from backend.services.stats import COUNTERS, daily_rows, increments

# revision identifiers, used by Alembic.
revision = '0003_analytics'
down_revision = '0003_versions'
branch_labels = None
depends_on = None

OLD_KEY = ('site_id', 'day', 'language', 'device_class')
UNKNOWN = {'policy_version': 0, 'banner_version': 0, 'layer': 'unknown', 'signal': 'unknown'}
BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _daily_table(name, dimensions, unique_name=None):
    """A daily stats table keyed by site, day and the given dimension columns."""
    key = ['site_id', 'day'] + [column.name for column in dimensions]
    return op.create_table(name,
    sa.Column('id', BigId, nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    *dimensions,
    *(sa.Column(counter, sa.Integer(), nullable=False) for counter in COUNTERS),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint(*key, name=unique_name)
    )


def _by_device():
    return [sa.Column('language', sa.String(length=8), nullable=False),
            sa.Column('device_class', sa.String(length=16), nullable=False)]


def _rebuilt_rows(connection):
    """Daily rows by every dimension, counted again from the events still kept; what the old
    rows counted from events purged since stays, under unknown versions, layer and signal."""
    metadata = sa.MetaData()
    old = sa.Table('daily_stats', metadata, autoload_with=connection)
    events = sa.Table('consent_events', metadata, autoload_with=connection)
    sites = sa.Table('sites', metadata, autoload_with=connection)
    timezones = dict(connection.execute(sa.select(sites.c.id, sites.c.timezone)).all())
    counts = {}
    result = connection.execute(
        sa.select(events.c.site_id, events.c.created_at, events.c.action, events.c.categories,
                  events.c.language, events.c.device_class, events.c.policy_version,
                  events.c.banner_version, events.c.layer, events.c.signal)
        .execution_options(yield_per=20_000)
    )
    with result:
        for partition in result.mappings().partitions():
            for key, added in increments(
                [dict(row, created_at=_aware(row['created_at'])) for row in partition], timezones
            ).items():
                counts.setdefault(key, Counter()).update(added)
    explained = {}
    for key, counted in counts.items():
        explained.setdefault(key[:len(OLD_KEY)], Counter()).update(counted)
    for row in connection.execute(sa.select(old)).mappings():
        old_key = tuple(row[name] for name in OLD_KEY)
        remainder = Counter({name: row[name] for name in COUNTERS})
        remainder.subtract(explained.get(old_key, Counter()))
        remainder = +remainder  # only what purged events counted
        if remainder:
            counts[old_key + tuple(UNKNOWN.values())] = remainder
    return daily_rows(counts)


def _aware(moment):
    """SQLite reads moments back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_on', sa.Date(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_api_tokens_site', ['site_id'], unique=False)

    op.create_table('shared_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('shared_links', schema=None) as batch_op:
        batch_op.create_index('ix_shared_links_site', ['site_id'], unique=False)

    # A new table rather than new columns: the old key's unique constraint has no name to drop
    # by on SQLite, and the rows are rebuilt anyway.
    connection = op.get_bind()
    new = _daily_table('daily_stats_dimensioned', _by_device() + [
        sa.Column('policy_version', sa.Integer(), nullable=False),
        sa.Column('banner_version', sa.Integer(), nullable=False),
        sa.Column('layer', sa.String(length=16), nullable=False),
        sa.Column('signal', sa.String(length=8), nullable=False),
    ], 'uq_daily_stats_key')
    rows = _rebuilt_rows(connection)
    for start in range(0, len(rows), 10_000):
        connection.execute(sa.insert(new), rows[start:start + 10_000])
    op.drop_table('daily_stats')
    op.rename_table('daily_stats_dimensioned', 'daily_stats')


def downgrade():
    new = _daily_table('daily_stats_by_device', _by_device())
    old = sa.table('daily_stats', *(sa.column(name) for name in OLD_KEY + COUNTERS))
    keys = [old.c[name] for name in OLD_KEY]
    op.execute(sa.insert(new).from_select(
        list(OLD_KEY + COUNTERS),
        sa.select(*keys, *(sa.func.sum(old.c[name]) for name in COUNTERS)).group_by(*keys),
    ))
    op.drop_table('daily_stats')
    op.rename_table('daily_stats_by_device', 'daily_stats')

    with op.batch_alter_table('shared_links', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_links_site')

    op.drop_table('shared_links')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_api_tokens_site')

    op.drop_table('api_tokens')
