"""Conjunction events tracked across updates to a decision (issue 21, item 4).

- ``conjunction_events``: one row per encounter of a pair of objects (:mod:`kompas.space.tracking`): the pair
  (lower NORAD id first), the TCA of its newest update, the orbital period the linking tolerance came from;
  marked with the combination of its updates' markings (system jobs read it; users see an event through the
  updates they may see);
- ``conjunction_event_updates``: which stored conjunction is which update of which event (its number in the
  event, the newer element-set epoch of the two inputs, when it was linked, the MESSAGE_ID of its CDM); marked
  like its conjunction; one update per conjunction (``conjunction_id`` unique: linking is idempotent);
- ``conjunction_decisions``: ``mitigate`` / ``accept`` / ``monitor`` recorded by a user with a note, marked with
  the combination of the updates that user saw when deciding.

Events, updates and conjunctions refer to each other by id without foreign keys, as conjunctions refer to their
element sets: they are derived rows, read only joined (an update whose conjunction is gone is never shown), and
removing items a viewer may not see changes none of that viewer's answers (tests/core/test_access_properties.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'conjunction_events',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer(), sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('norad_a', sa.Integer(), nullable=False),
        sa.Column('norad_b', sa.Integer(), nullable=False),
        sa.Column('tca_utc', sa.String(30), nullable=False),
        sa.Column('period_s', sa.Float(), nullable=True),
        sa.Column('created_utc', sa.String(30), nullable=False),
        sa.Column('updated_utc', sa.String(30), nullable=False),
    )
    op.create_index('ix_conjunction_events_marking_id', 'conjunction_events', ['marking_id'])
    op.create_index('ix_conjunction_events_pair_tca', 'conjunction_events', ['norad_a', 'norad_b', 'tca_utc'])
    op.create_table(
        'conjunction_event_updates',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer(), sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('event_id', sa.String(36), nullable=False),
        sa.Column('conjunction_id', sa.String(36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('epoch_utc', sa.String(30), nullable=False),
        sa.Column('linked_utc', sa.String(30), nullable=False),
        sa.Column('message_id', sa.String(200), nullable=True),
        sa.UniqueConstraint('conjunction_id', name='uq_conjunction_event_updates_conjunction'),
    )
    op.create_index('ix_conjunction_event_updates_marking_id', 'conjunction_event_updates', ['marking_id'])
    op.create_index('ix_conjunction_event_updates_event', 'conjunction_event_updates',
                    ['event_id', 'epoch_utc', 'marking_id'])
    op.create_table(
        'conjunction_decisions',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('marking_id', sa.Integer(), sa.ForeignKey('markings.id'), nullable=False),
        sa.Column('event_id', sa.String(36), nullable=False),
        sa.Column('decision', sa.String(16), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('update_id', sa.String(36), nullable=False),
        sa.Column('decided_utc', sa.String(30), nullable=False),
    )
    op.create_index('ix_conjunction_decisions_marking_id', 'conjunction_decisions', ['marking_id'])
    op.create_index('ix_conjunction_decisions_event', 'conjunction_decisions', ['event_id', 'decided_utc'])


def downgrade() -> None:
    op.drop_index('ix_conjunction_decisions_event', 'conjunction_decisions')
    op.drop_index('ix_conjunction_decisions_marking_id', 'conjunction_decisions')
    op.drop_table('conjunction_decisions')
    op.drop_index('ix_conjunction_event_updates_event', 'conjunction_event_updates')
    op.drop_index('ix_conjunction_event_updates_marking_id', 'conjunction_event_updates')
    op.drop_table('conjunction_event_updates')
    op.drop_index('ix_conjunction_events_pair_tca', 'conjunction_events')
    op.drop_index('ix_conjunction_events_marking_id', 'conjunction_events')
    op.drop_table('conjunction_events')
