"""Cyber situational awareness (issue 23): shared incidents (RSIT, NIS2, the whole incident as JSON), their
observables by indicator key, members' sightings (the sighting's marking and a second marking for the observer's
identity) and members' declared product inventories (CPE 2.3), each row marked.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def _marked(name: str, *columns: sa.Column) -> None:
    op.create_table(name, sa.Column('id', sa.String(36), primary_key=True),
                    sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False), *columns)
    op.create_index(f'ix_{name}_marking_id', name, ['marking_id'])


def upgrade() -> None:
    _marked('cyber_incidents',
            sa.Column('title', sa.String(300), nullable=False), sa.Column('date', sa.String(10), nullable=False),
            sa.Column('rsit_class', sa.String(64), nullable=False),
            sa.Column('rsit_type', sa.String(64), nullable=False),
            sa.Column('sectors', sa.JSON, nullable=False), sa.Column('member_states', sa.JSON, nullable=False),
            sa.Column('fields', sa.JSON, nullable=False), sa.Column('org', sa.String(32), nullable=False),
            sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
            sa.Column('source', sa.String(200), nullable=False), sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_cyber_incidents_added', 'cyber_incidents', ['added_utc', 'id'])
    op.create_index('ix_cyber_incidents_date', 'cyber_incidents', ['date', 'id'])
    _marked('cyber_observables',
            sa.Column('incident_id', sa.String(36), nullable=False), sa.Column('type', sa.String(32), nullable=False),
            sa.Column('value', sa.String(2048), nullable=False), sa.Column('to_ids', sa.Boolean, nullable=False),
            sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_cyber_observables_incident_id', 'cyber_observables', ['incident_id'])
    op.create_index('ix_cyber_observables_key', 'cyber_observables', ['type', 'value', 'marking_id'])
    _marked('cyber_sightings',
            sa.Column('type', sa.String(32), nullable=False), sa.Column('value', sa.String(2048), nullable=False),
            sa.Column('count', sa.Integer, nullable=False), sa.Column('first_seen_utc', sa.String(30), nullable=False),
            sa.Column('last_seen_utc', sa.String(30), nullable=False), sa.Column('kind', sa.String(16), nullable=False),
            sa.Column('org', sa.String(32), nullable=False),
            sa.Column('observer_marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False),
            sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
            sa.Column('source', sa.String(200), nullable=False), sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_cyber_sightings_key', 'cyber_sightings', ['type', 'value', 'marking_id'])
    op.create_index('ix_cyber_sightings_added', 'cyber_sightings', ['added_utc', 'id'])
    _marked('cyber_inventory',
            sa.Column('org', sa.String(32), nullable=False), sa.Column('cpe', sa.String(512), nullable=False),
            sa.Column('declared', sa.String(10), nullable=False), sa.Column('assets', sa.Integer, nullable=True),
            sa.Column('criticality', sa.String(16), nullable=False), sa.Column('note', sa.Text, nullable=False),
            sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
            sa.Column('source', sa.String(200), nullable=False), sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_cyber_inventory_member', 'cyber_inventory', ['org', 'marking_id'])


def downgrade() -> None:
    for name in ('cyber_inventory', 'cyber_sightings', 'cyber_observables', 'cyber_incidents'):
        op.drop_table(name)
