"""National attributions and response workflows (issue 22).

- ``attributions``: one member state's assessment of one platform event (actor, confidence, basis, date, whether
  public), recorded by a user of that state under the marking they give; by event id without a foreign key (reads
  join the event, as tracked conjunctions refer to their conjunctions);
- ``responses``: a response to an event along one toolbox's workflow (options chosen, planned deadlines, who
  opened it), marked with the combination of the event's marking and the opener's;
- ``response_steps``: each move of a response to a step (who, when, note, options, deadline), marked with the
  combination of the response's marking, the moves its author saw and the author's marking.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-20 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'attributions',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('event_id', sa.String(36), nullable=False),
        sa.Column('state', sa.String(2), nullable=False),
        sa.Column('org', sa.String(32), nullable=False),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('actor', sa.String(100), nullable=False),
        sa.Column('confidence', sa.String(16), nullable=False),
        sa.Column('basis', sa.Text, nullable=False),
        sa.Column('date', sa.String(10), nullable=False),
        sa.Column('public', sa.Boolean, nullable=False),
        sa.Column('recorded_utc', sa.String(30), nullable=False),
    )
    op.create_index('ix_attributions_marking_id', 'attributions', ['marking_id'])
    op.create_index('ix_attributions_event', 'attributions', ['event_id', 'date', 'recorded_utc'])
    op.create_table(
        'responses',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('event_id', sa.String(36), nullable=False),
        sa.Column('toolbox', sa.String(16), nullable=False),
        sa.Column('options', sa.JSON, nullable=False),
        sa.Column('plan', sa.JSON, nullable=False),
        sa.Column('note', sa.Text, nullable=False),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('org', sa.String(32), nullable=False),
        sa.Column('opened_utc', sa.String(30), nullable=False),
    )
    op.create_index('ix_responses_marking_id', 'responses', ['marking_id'])
    op.create_index('ix_responses_event', 'responses', ['event_id', 'opened_utc'])
    op.create_table(
        'response_steps',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('response_id', sa.String(36), sa.ForeignKey('responses.id'), nullable=False),
        sa.Column('step', sa.String(32), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('note', sa.Text, nullable=False),
        sa.Column('options', sa.JSON, nullable=True),
        sa.Column('deadline_utc', sa.String(30), nullable=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('org', sa.String(32), nullable=False),
        sa.Column('moved_utc', sa.String(30), nullable=False),
    )
    op.create_index('ix_response_steps_marking_id', 'response_steps', ['marking_id'])
    op.create_index('ix_response_steps_response', 'response_steps', ['response_id', 'moved_utc'])


def downgrade() -> None:
    op.drop_table('response_steps')
    op.drop_table('responses')
    op.drop_table('attributions')
