"""Document inputs: what only a site's owner knows for its generated documents (hosting,
forms, protection measures, requests, sections of their own)

Revision ID: 0010_document_inputs
Revises: 0009_impressions_without_id
Create Date: 2026-12-07 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0010_document_inputs'
down_revision = '0009_impressions_without_id'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('document_inputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('hosting_provider', sa.String(length=300), nullable=False),
    sa.Column('hosting_country', sa.String(length=2), nullable=False),
    sa.Column('hosting_city', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('forms', JSON, nullable=False),
    sa.Column('measures', JSON, nullable=False),
    sa.Column('request_subject', sa.String(length=200), nullable=False),
    sa.Column('request_days', sa.Integer(), nullable=True),
    sa.Column('extra_sections', JSON, nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_id')
    )


def downgrade():
    op.drop_table('document_inputs')
