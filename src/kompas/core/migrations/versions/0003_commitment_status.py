"""Status notes of register commitments (kompas.compass), each under a marking.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:17:13.101202
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commitment_status',
    sa.Column('contribution_id', sa.String(length=36), nullable=False),
    sa.Column('commitment_id', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('as_of', sa.String(length=10), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commitment_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_status_as_of'), ['as_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_status_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_status_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_status_created_utc'), ['created_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_status_marking_id'), ['marking_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('commitment_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_status_marking_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_status_created_utc'))
        batch_op.drop_index(batch_op.f('ix_commitment_status_contribution_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_status_commitment_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_status_as_of'))

    op.drop_table('commitment_status')
