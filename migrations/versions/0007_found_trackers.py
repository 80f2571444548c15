"""Found trackers: known trackers held on a site's pages that the site does not configure,
counted per local day and kind

Revision ID: 0004_found_trackers
Revises: 0003_analytics
Create Date: 2026-12-05 01:11:43.403279

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_found_trackers'
down_revision = '0003_analytics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('found_trackers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_id', 'day', 'kind')
    )


def downgrade():
    op.drop_table('found_trackers')
