"""Indexes for the sorted, filtered listings with true totals (issue 20).

A conjunction row holds its CDM (kilobytes), so a listing must not read rows to filter or count them: the
indexes carry the marking and every filtered column, and pages and totals are read from them.

- ``ix_conjunctions_pc_order`` / ``ix_conjunctions_pc_low``: the orders ``-pc`` (the default: Pc high first,
  conjunctions without a Pc last, then TCA and id; the expression ``coalesce(-pc, 1.0)`` exactly as
  :data:`kompas.core.store.space.CONJUNCTION_SORTS` writes it, which ``min_pc`` also filters on) and ``pc``;
- ``ix_conjunctions_miss``: the miss-distance orders;
- ``ix_conjunctions_counts``: totals under any filter counted in the index;
- ``ix_element_sets_listing``: the object listing (newest epoch, name, count per object) and the object-name
  look-ups read from the index, not from the rows that hold the OMM fields;
- ``ix_element_sets_epoch``: the newest epoch a viewer sees (objects' ``age_days``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    filtered = ['marking_id', 'miss_km', 'v_rel_km_s', 'primary_id', 'secondary_id']
    op.create_index('ix_conjunctions_pc_order', 'conjunctions',
                    [sa.text('coalesce(-pc, 1.0)'), 'tca_utc', 'id', *filtered])
    op.create_index('ix_conjunctions_pc_low', 'conjunctions',
                    [sa.text('coalesce(pc, 1e300)'), 'tca_utc', 'id', *filtered])
    op.create_index('ix_conjunctions_miss', 'conjunctions', ['miss_km', 'tca_utc', 'id', 'marking_id', 'v_rel_km_s',
                                                             'primary_id', 'secondary_id'])
    op.create_index('ix_conjunctions_counts', 'conjunctions', ['marking_id', 'tca_utc', 'pc', 'miss_km', 'v_rel_km_s',
                                                               'primary_id', 'secondary_id'])
    op.create_index('ix_element_sets_listing', 'element_sets', ['norad_id', 'epoch_utc', 'marking_id', 'name'])
    op.create_index('ix_element_sets_epoch', 'element_sets', ['epoch_utc', 'marking_id'])


def downgrade() -> None:
    op.drop_index('ix_element_sets_epoch', 'element_sets')
    op.drop_index('ix_element_sets_listing', 'element_sets')
    op.drop_index('ix_conjunctions_counts', 'conjunctions')
    op.drop_index('ix_conjunctions_miss', 'conjunctions')
    op.drop_index('ix_conjunctions_pc_low', 'conjunctions')
    op.drop_index('ix_conjunctions_pc_order', 'conjunctions')
