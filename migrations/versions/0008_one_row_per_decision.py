"""One row per decision: a unique index on (site_id, consent_hash, action, expires_at), which
also serves receipts in place of the index on (site_id, consent_hash); decisions stored twice
before it are stored once, and counted once in the daily stats

Revision ID: 0005_one_row_per_decision
Revises: 0004_found_trackers
Create Date: 2026-12-06 10:00:00.000000

"""
import logging
from datetime import UTC

from alembic import op
import sqlalchemy as sa

# How an event counts is defined once, in the stats service; this migration takes back what
# each copy of a decision added to its daily row when it was stored.
from backend.services.stats import COUNTERS, DIMENSIONS, KEY_COLUMNS, increments

# revision identifiers, used by Alembic.
revision = '0005_one_row_per_decision'
down_revision = '0004_found_trackers'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

DECISION = ['site_id', 'consent_hash', 'action', 'expires_at']
CHUNK = 5000

events = sa.table(
    'consent_events',
    sa.column('id', sa.Integer()),
    sa.column('site_id', sa.Integer()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('action', sa.String()),
    sa.column('categories', sa.JSON()),
    sa.column('consent_hash', sa.String()),
    sa.column('expires_at', sa.DateTime(timezone=True)),
    *(sa.column(name) for name in DIMENSIONS),
)
daily = sa.table(
    'daily_stats',
    sa.column('site_id', sa.Integer()),
    sa.column('day', sa.Date()),
    *(sa.column(name) for name in DIMENSIONS),
    *(sa.column(name, sa.Integer()) for name in COUNTERS),
)
sites = sa.table('sites', sa.column('id', sa.Integer()), sa.column('timezone', sa.String()))


def _copies(connection):
    """Every decision's rows but the first (lowest id): the copies a race stored. Rows
    without an expiry are never copies (the unique index treats NULLs as distinct)."""
    first = events.alias('first')
    earlier = sa.exists().where(
        *(first.c[name] == events.c[name] for name in DECISION), first.c.id < events.c.id
    )
    query = sa.select(
        events.c.id, events.c.site_id, events.c.created_at, events.c.action,
        events.c.categories, *(events.c[name] for name in DIMENSIONS),
    ).where(events.c.expires_at.is_not(None), earlier)
    return [
        dict(row, created_at=_aware(row['created_at']))
        for row in connection.execute(query).mappings()
    ]


def _aware(moment):
    """SQLite reads moments back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _uncount(connection, copies):
    """Take from each daily row what the copies added to it when they were stored (at most
    down to 0: a site whose time zone changed since may file a copy under a neighbouring
    day)."""
    timezones = dict(connection.execute(sa.select(sites.c.id, sites.c.timezone)).all())
    counts = increments(copies, timezones)
    update = sa.update(daily).where(
        *(daily.c[name] == sa.bindparam(f'key_{name}') for name in KEY_COLUMNS)
    ).values({
        name: sa.case(
            (daily.c[name] > sa.bindparam(f'less_{name}'),
             daily.c[name] - sa.bindparam(f'less_{name}')),
            else_=0,
        )
        for name in COUNTERS
    })
    parameters = [
        {f'key_{name}': value for name, value in zip(KEY_COLUMNS, key)}
        | {f'less_{name}': counted[name] for name in COUNTERS}
        for key, counted in sorted(counts.items())
    ]
    if parameters:
        connection.execute(update, parameters)


def upgrade():
    connection = op.get_bind()
    copies = _copies(connection)
    if copies:
        _uncount(connection, copies)
        ids = [row['id'] for row in copies]
        for start in range(0, len(ids), CHUNK):
            connection.execute(sa.delete(events).where(events.c.id.in_(ids[start:start + CHUNK])))
        log.info('Deleted %d copies of consent decisions stored more than once', len(ids))

    with op.batch_alter_table('consent_events', schema=None) as batch_op:
        batch_op.create_index('uq_consent_events_decision', DECISION, unique=True)
        batch_op.drop_index('ix_consent_events_site_consent')


def downgrade():
    # The copies deleted on upgrade stay deleted: each was a second row of one decision.
    with op.batch_alter_table('consent_events', schema=None) as batch_op:
        batch_op.create_index('ix_consent_events_site_consent', ['site_id', 'consent_hash'],
                              unique=False)
        batch_op.drop_index('uq_consent_events_decision')
