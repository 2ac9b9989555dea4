"""Conjunctions say which method their Pc comes from and why (issue 19).

Adds ``conjunctions.pc_basis`` (``pc2d``: Foster's 2D Pc; ``nc3d``: Hall's 3D Nc; ``mc``: two-body Monte Carlo,
chosen as CARA's PcMultiStep chooses, :func:`kompas.space.decision.assess`) and ``conjunctions.pc_flags`` (the
usage checks that failed for the 2D method, a JSON list of names, :mod:`kompas.space.usage`) and
``conjunctions.pc_interval`` (a Monte Carlo value's 95% Clopper-Pearson interval ``[low, high]``). Conjunctions stored
before have a NULL basis: their Pc is Foster's with the placeholder covariance, and the API says so.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conjunctions') as batch:
        batch.add_column(sa.Column('pc_basis', sa.String(8), nullable=True))
        batch.add_column(sa.Column('pc_flags', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('pc_interval', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conjunctions') as batch:
        batch.drop_column('pc_interval')
        batch.drop_column('pc_flags')
        batch.drop_column('pc_basis')
