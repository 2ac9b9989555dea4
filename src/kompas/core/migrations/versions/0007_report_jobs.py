"""Report jobs: long reports run by a worker as their owner, their result kept until fetched
(kompas.core.jobqueue).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('started_utc', sa.String(length=30), nullable=True),
    sa.Column('finished_utc', sa.String(length=30), nullable=True),
    sa.Column('worker', sa.String(length=100), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('media_type', sa.String(length=100), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('marking', sa.JSON(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_report_jobs_status_created', ['status', 'created_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_jobs_owner_id'), ['owner_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_jobs_owner_id'))
        batch_op.drop_index('ix_report_jobs_status_created')
    op.drop_table('report_jobs')
