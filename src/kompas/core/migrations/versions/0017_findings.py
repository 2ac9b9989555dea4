"""Analysts' findings on events (issue 22): facts the detecting engine cannot know (the cause of a break-up, the
techniques or software seen, the sectors hit), each with its basis, recorded under the marking its recorder gives;
read joined to the event, like attributions.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'findings',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('event_id', sa.String(36), nullable=False),
        sa.Column('field', sa.String(32), nullable=False),
        sa.Column('value', sa.JSON, nullable=False),
        sa.Column('basis', sa.Text, nullable=False),
        sa.Column('org', sa.String(32), nullable=False),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('recorded_utc', sa.String(30), nullable=False),
    )
    op.create_index('ix_findings_marking_id', 'findings', ['marking_id'])
    op.create_index('ix_findings_event', 'findings', ['event_id', 'recorded_utc'])


def downgrade() -> None:
    op.drop_table('findings')
