"""Intelligence fusion (issue 26): the items of the intelligence capacity (member states' graded reports, analysts'
assessments with key judgements, intelligence requirements, ACH boards, key assumptions checks), each marked at
least as the combination of what it cites, the citations between them and to platform events, and every earlier
version of each item.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intel_items', sa.Column('id', sa.String(36), primary_key=True),
                    sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
                    sa.Column('kind', sa.String(16), nullable=False),
                    sa.Column('org', sa.String(32), nullable=False),
                    sa.Column('title', sa.String(300), nullable=False),
                    sa.Column('body', sa.Text, nullable=False),
                    sa.Column('team', sa.String(120), nullable=False),
                    sa.Column('product_line', sa.String(120), nullable=False),
                    sa.Column('summary', sa.Text, nullable=False),
                    sa.Column('version', sa.Integer, nullable=False),
                    sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
                    sa.Column('added_utc', sa.String(30), nullable=False),
                    sa.Column('updated_utc', sa.String(30), nullable=False))
    op.create_index('ix_intel_items_marking_id', 'intel_items', ['marking_id'])
    op.create_index('ix_intel_items_kind', 'intel_items', ['kind', 'updated_utc', 'id'])
    op.create_index('ix_intel_items_org', 'intel_items', ['org'])
    op.create_table('intel_citations', sa.Column('id', sa.Integer, primary_key=True),
                    sa.Column('item_id', sa.String(36), sa.ForeignKey('intel_items.id', ondelete='CASCADE'),
                              nullable=False),
                    sa.Column('cited_kind', sa.String(16), nullable=False),
                    sa.Column('cited_id', sa.String(36), nullable=False))
    op.create_index('ix_intel_citations_item_id', 'intel_citations', ['item_id'])
    op.create_index('ix_intel_citations_cited_id', 'intel_citations', ['cited_id'])
    op.create_table('intel_versions', sa.Column('id', sa.Integer, primary_key=True),
                    sa.Column('item_id', sa.String(36), sa.ForeignKey('intel_items.id', ondelete='CASCADE'),
                              nullable=False),
                    sa.Column('version', sa.Integer, nullable=False),
                    sa.Column('title', sa.String(300), nullable=False),
                    sa.Column('body', sa.Text, nullable=False),
                    sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
                    sa.Column('updated_utc', sa.String(30), nullable=False))
    op.create_index('ix_intel_versions_item_id', 'intel_versions', ['item_id'])


def downgrade() -> None:
    op.drop_table('intel_versions')
    op.drop_table('intel_citations')
    op.drop_table('intel_items')
