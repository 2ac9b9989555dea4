"""When each event was stored (``events.added_utc``), for TAXII 2.1's ``date_added`` and ``added_after`` (issue 23):
a feed polls what the platform added after a time, whatever the events' own times. Events stored before this
revision get their own time as the time added.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('added_utc', sa.String(30), nullable=False, server_default=''))
    op.execute("UPDATE events SET added_utc = time_utc WHERE added_utc = ''")
    op.create_index('ix_events_added', 'events', ['added_utc', 'id'])


def downgrade() -> None:
    op.drop_index('ix_events_added', 'events')
    with op.batch_alter_table('events') as batch:
        batch.drop_column('added_utc')
