"""Operators' ephemerides (CCSDS OEM) contributed under markings (issue 21).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-14 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ephemerides',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('contribution_id', sa.String(36), sa.ForeignKey('contributions.id'), nullable=False),
        sa.Column('norad_id', sa.Integer, nullable=False),
        sa.Column('object_name', sa.String(100), nullable=False),
        sa.Column('object_id', sa.String(32), nullable=False),
        sa.Column('originator', sa.String(100), nullable=False),
        sa.Column('message_id', sa.String(200), nullable=False),
        sa.Column('created_utc', sa.String(30), nullable=False),
        sa.Column('start_utc', sa.String(30), nullable=False),
        sa.Column('stop_utc', sa.String(30), nullable=False),
        sa.Column('frame', sa.String(32), nullable=False),
        sa.Column('segments', sa.Integer, nullable=False),
        sa.Column('states', sa.Integer, nullable=False),
        sa.Column('covariances', sa.Integer, nullable=False),
        sa.Column('format', sa.String(16), nullable=False),
        sa.Column('content', sa.Text, nullable=False),
    )
    op.create_index('ix_ephemerides_marking_id', 'ephemerides', ['marking_id'])
    op.create_index('ix_ephemerides_contribution_id', 'ephemerides', ['contribution_id'])
    op.create_index('ix_ephemerides_start_utc', 'ephemerides', ['start_utc'])
    op.create_index('ix_ephemerides_object_span', 'ephemerides', ['norad_id', 'stop_utc'])


def downgrade() -> None:
    op.drop_table('ephemerides')
