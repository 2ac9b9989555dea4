"""FIMI incidents (with a tag index for filters), narrative clusters and surges of analysis runs; alert rules on
subscriptions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 01:42:32.777330
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fimi_clusters',
    sa.Column('run_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('since', sa.String(length=10), nullable=False),
    sa.Column('until', sa.String(length=10), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fimi_clusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fimi_clusters_created_utc'), ['created_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_clusters_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_clusters_run_id'), ['run_id'], unique=False)

    op.create_table('fimi_surges',
    sa.Column('run_id', sa.String(length=36), nullable=False),
    sa.Column('cluster_number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('start_utc', sa.String(length=30), nullable=False),
    sa.Column('end_utc', sa.String(length=30), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fimi_surges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fimi_surges_created_utc'), ['created_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_surges_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_surges_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_surges_start_utc'), ['start_utc'], unique=False)

    op.create_table('fimi_incidents',
    sa.Column('contribution_id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=500), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('first_seen', sa.String(length=10), nullable=False),
    sa.Column('last_seen', sa.String(length=10), nullable=False),
    sa.Column('attribution', sa.String(length=32), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('merges', sa.JSON(), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fimi_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fimi_incidents_attribution'), ['attribution'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_incidents_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_incidents_first_seen'), ['first_seen'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_incidents_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index('ix_fimi_incidents_source_ref', ['source', 'ref'], unique=False)

    op.create_table('fimi_incident_tags',
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=300), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['fimi_incidents.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fimi_incident_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fimi_incident_tags_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('ix_fimi_incident_tags_kind_value', ['kind', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_fimi_incident_tags_marking_id'), ['marking_id'], unique=False)

    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_column('rules')

    with op.batch_alter_table('fimi_incident_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fimi_incident_tags_marking_id'))
        batch_op.drop_index('ix_fimi_incident_tags_kind_value')
        batch_op.drop_index(batch_op.f('ix_fimi_incident_tags_incident_id'))

    op.drop_table('fimi_incident_tags')
    with op.batch_alter_table('fimi_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_fimi_incidents_source_ref')
        batch_op.drop_index(batch_op.f('ix_fimi_incidents_marking_id'))
        batch_op.drop_index(batch_op.f('ix_fimi_incidents_first_seen'))
        batch_op.drop_index(batch_op.f('ix_fimi_incidents_contribution_id'))
        batch_op.drop_index(batch_op.f('ix_fimi_incidents_attribution'))

    op.drop_table('fimi_incidents')
    with op.batch_alter_table('fimi_surges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fimi_surges_start_utc'))
        batch_op.drop_index(batch_op.f('ix_fimi_surges_run_id'))
        batch_op.drop_index(batch_op.f('ix_fimi_surges_marking_id'))
        batch_op.drop_index(batch_op.f('ix_fimi_surges_created_utc'))

    op.drop_table('fimi_surges')
    with op.batch_alter_table('fimi_clusters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fimi_clusters_run_id'))
        batch_op.drop_index(batch_op.f('ix_fimi_clusters_marking_id'))
        batch_op.drop_index(batch_op.f('ix_fimi_clusters_created_utc'))

    op.drop_table('fimi_clusters')
