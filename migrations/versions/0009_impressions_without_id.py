"""Impressions without an identifier: consent_events.consent_hash may be NULL, as a shown
banner's is (the widget makes the visitor's consent ID with their first decision)

Revision ID: 0009_impressions_without_id
Revises: 0005_one_row_per_decision
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_impressions_without_id'
down_revision = '0005_one_row_per_decision'
branch_labels = None
depends_on = None

events = sa.table('consent_events', sa.column('consent_hash', sa.String()))


def upgrade():
    # Impressions stored before keep their hashes: no identifier can be taken back from a
    # browser, and receipts that listed them still do.
    with op.batch_alter_table('consent_events', schema=None) as batch_op:
        batch_op.alter_column('consent_hash', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # An impression without a hash gets the empty one, which no consent ID has: it stays out
    # of every receipt, and out of the decision index's way (its expiry is NULL).
    op.execute(events.update().where(events.c.consent_hash.is_(None)).values(consent_hash=''))
    with op.batch_alter_table('consent_events', schema=None) as batch_op:
        batch_op.alter_column('consent_hash', existing_type=sa.String(length=64), nullable=False)
