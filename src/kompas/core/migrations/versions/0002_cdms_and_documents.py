"""Contributed CCSDS CDMs and documents, each under a marking.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:19:38.800373
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cdms',
    sa.Column('contribution_id', sa.String(length=36), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('originator', sa.String(length=100), nullable=False),
    sa.Column('tca_utc', sa.String(length=30), nullable=False),
    sa.Column('object1_id', sa.Integer(), nullable=False),
    sa.Column('object2_id', sa.Integer(), nullable=False),
    sa.Column('miss_m', sa.Float(), nullable=True),
    sa.Column('pc', sa.Float(), nullable=True),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cdms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdms_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdms_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdms_object1_id'), ['object1_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdms_object2_id'), ['object2_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdms_tca_utc'), ['tca_utc'], unique=False)

    op.create_table('documents',
    sa.Column('contribution_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_created_utc'), ['created_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_marking_id'), ['marking_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_marking_id'))
        batch_op.drop_index(batch_op.f('ix_documents_created_utc'))
        batch_op.drop_index(batch_op.f('ix_documents_contribution_id'))

    op.drop_table('documents')
    with op.batch_alter_table('cdms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdms_tca_utc'))
        batch_op.drop_index(batch_op.f('ix_cdms_object2_id'))
        batch_op.drop_index(batch_op.f('ix_cdms_object1_id'))
        batch_op.drop_index(batch_op.f('ix_cdms_marking_id'))
        batch_op.drop_index(batch_op.f('ix_cdms_contribution_id'))

    op.drop_table('cdms')
