"""Conjunctions keep the CCSDS CDM the platform derives for them (default element-set covariance) and its Pc.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conjunctions') as batch:
        batch.add_column(sa.Column('pc', sa.Float(), nullable=True))
        batch.add_column(sa.Column('cdm', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conjunctions') as batch:
        batch.drop_column('cdm')
        batch.drop_column('pc')
