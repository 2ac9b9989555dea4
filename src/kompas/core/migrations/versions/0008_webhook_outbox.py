"""Webhook deliveries through a durable outbox (kompas.core.outbox), and the alerts queued with the items.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhook_outbox',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('subscription_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('next_utc', sa.String(length=30), nullable=False),
    sa.Column('lease_utc', sa.String(length=30), nullable=True),
    sa.Column('worker', sa.String(length=100), nullable=True),
    sa.Column('finished_utc', sa.String(length=30), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhook_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_outbox_status_next', ['status', 'next_utc'], unique=False)
        batch_op.create_index('ix_webhook_outbox_subscription_status', ['subscription_id', 'status'], unique=False)
    op.create_table('alert_queue',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alert_queue', schema=None) as batch_op:
        batch_op.create_index('ix_alert_queue_created', ['created_utc'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alert_queue', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_queue_created')
    op.drop_table('alert_queue')
    with op.batch_alter_table('webhook_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_outbox_subscription_status')
        batch_op.drop_index('ix_webhook_outbox_status_next')
    op.drop_table('webhook_outbox')
