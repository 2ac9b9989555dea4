"""Element sets say where they come from (issue 21, item 2).

Adds ``element_sets.source``: ``gp`` (CelesTrak/Space-Track GP), ``supgp`` (CelesTrak Supplemental GP, fits to
operator ephemerides), ``oem`` (an operator ephemeris) or ``contributed`` (a member state's own), see
:mod:`kompas.space.sources`. Every element set stored before came from the GP catalogue (the daily cycle's
``active_*.tle`` snapshots) or from a contribution read as such, so existing rows get ``gp``. The index
``ix_element_sets_object_source`` serves the newest epoch per (object, source) that screening's precedence reads
(:meth:`kompas.core.store.space.SpaceStore.latest_inputs`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('element_sets') as batch:
        batch.add_column(sa.Column('source', sa.String(16), nullable=False, server_default='gp'))
    op.create_index('ix_element_sets_object_source', 'element_sets', ['norad_id', 'source', 'epoch_utc'])


def downgrade() -> None:
    op.drop_index('ix_element_sets_object_source', 'element_sets')
    with op.batch_alter_table('element_sets') as batch:
        batch.drop_column('source')
