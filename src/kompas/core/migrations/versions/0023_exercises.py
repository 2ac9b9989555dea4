"""Exercises (issue 29): the exercise an item belongs to, on its marking (the ``EXERCISE <CODE>`` caveat, copied to
a column the access rule filters on), the exercise a job runs in and a subscription was made in, and the exercises
with their participating organisations.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (SQLite supports it): a batch copy would recreate the table every marked row refers to
    op.add_column('markings', sa.Column('exercise', sa.String(32), nullable=True))
    op.create_index('ix_markings_exercise', 'markings', ['exercise'])
    # markings written before this revision that already named an exercise in their caveats (the caveat was free
    # text then): their items become that exercise's, never real ones
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, caveats FROM markings WHERE caveats LIKE '%EXERCISE%'")).fetchall()
    for marking_id, caveats in rows:
        codes = sorted({c.strip()[len("EXERCISE "):].strip() for c in (caveats or "").split(",")
                        if c.strip().startswith("EXERCISE ")})
        if codes:
            connection.execute(sa.text("UPDATE markings SET exercise = :code WHERE id = :id"),
                               {"code": codes[0][:32], "id": marking_id})
    op.add_column('report_jobs', sa.Column('exercise', sa.String(32), nullable=True))
    op.add_column('subscriptions', sa.Column('exercise', sa.String(32), nullable=True))
    op.create_table('exercises', sa.Column('code', sa.String(32), primary_key=True),
                    sa.Column('title', sa.String(200), nullable=False),
                    sa.Column('controller', sa.String(32), nullable=False),
                    sa.Column('created_utc', sa.String(30), nullable=False),
                    sa.Column('ended_utc', sa.String(30), nullable=True))
    op.create_table('exercise_participants',
                    sa.Column('exercise', sa.String(32), sa.ForeignKey('exercises.code'), primary_key=True),
                    sa.Column('org', sa.String(32), primary_key=True))


def downgrade() -> None:
    op.drop_table('exercise_participants')
    op.drop_table('exercises')
    op.drop_column('subscriptions', 'exercise')
    op.drop_column('report_jobs', 'exercise')
    op.drop_index('ix_markings_exercise', 'markings')
    op.drop_column('markings', 'exercise')
