"""Maritime awareness (issue 25): batches of vessel positions contributed under markings (decoded AIS, a navy's own
radar tracks, fused tracks), one UTC day of one contribution per row: the contributing organisation, the name it was
sent under, its kind, its time window and box (so reads skip batches outside theirs), the counts, the columns as a
compressed .npz, the static reports as JSON and the data's attribution as its contributor gave it.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('maritime_batches', sa.Column('id', sa.String(36), primary_key=True),
                    sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
                    sa.Column('org', sa.String(32), nullable=False),
                    sa.Column('source', sa.String(200), nullable=False),
                    sa.Column('kind', sa.String(16), nullable=False),
                    sa.Column('start_utc', sa.String(30), nullable=False),
                    sa.Column('end_utc', sa.String(30), nullable=False),
                    sa.Column('lat_min', sa.Float, nullable=False), sa.Column('lat_max', sa.Float, nullable=False),
                    sa.Column('lon_min', sa.Float, nullable=False), sa.Column('lon_max', sa.Float, nullable=False),
                    sa.Column('fixes', sa.Integer, nullable=False), sa.Column('vessels', sa.Integer, nullable=False),
                    sa.Column('data', sa.LargeBinary, nullable=False), sa.Column('statics', sa.Text, nullable=False),
                    sa.Column('attribution', sa.String(500), nullable=False, server_default=''),
                    sa.Column('anonymous', sa.Boolean, nullable=False, server_default=sa.false()),
                    sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
                    sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_maritime_batches_marking_id', 'maritime_batches', ['marking_id'])
    op.create_index('ix_maritime_batches_window', 'maritime_batches', ['start_utc', 'end_utc'])
    op.create_index('ix_maritime_batches_org', 'maritime_batches', ['org', 'source'])


def downgrade() -> None:
    op.drop_table('maritime_batches')
