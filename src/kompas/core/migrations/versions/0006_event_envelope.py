"""The event envelope: every domain's events with domain, time span, severity, confidence, place, actors in their
order and evidence; conjunctions record the inputs they were derived from; contributions are found by source.

Existing events become space events: their window, severity, confidence and evidence are read from their detail
where it holds them (events of `kompas space events`), else the window is their time and the severity medium.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 11:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('domain', sa.String(length=16), nullable=False, server_default='space'))
        batch.add_column(sa.Column('start_utc', sa.String(length=30), nullable=False, server_default=''))
        batch.add_column(sa.Column('end_utc', sa.String(length=30), nullable=False, server_default=''))
        batch.add_column(sa.Column('severity', sa.String(length=8), nullable=False, server_default='medium'))
        batch.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch.add_column(sa.Column('lon', sa.Float(), nullable=True))
        batch.add_column(sa.Column('place', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('actors', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('evidence', sa.JSON(), nullable=True))
        batch.create_index('ix_events_domain', ['domain'])
        batch.create_index('ix_events_severity', ['severity'])
    with op.batch_alter_table('conjunctions') as batch:
        batch.add_column(sa.Column('provenance', sa.JSON(), nullable=True))
    with op.batch_alter_table('contributions') as batch:
        batch.create_index('ix_contributions_source', ['source'])

    from kompas.core.envelope import legacy_space

    bind = op.get_bind()
    events = sa.table('events', sa.column('id', sa.String), sa.column('kind', sa.String),
                      sa.column('time_utc', sa.String), sa.column('norad_ids', sa.JSON),
                      sa.column('title', sa.String), sa.column('detail', sa.JSON), sa.column('start_utc', sa.String),
                      sa.column('end_utc', sa.String), sa.column('severity', sa.String),
                      sa.column('confidence', sa.Float), sa.column('place', sa.JSON), sa.column('actors', sa.JSON),
                      sa.column('evidence', sa.JSON))
    rows = bind.execute(sa.select(events.c.id, events.c.kind, events.c.time_utc, events.c.norad_ids,
                                  events.c.title, events.c.detail)).all()
    for row in rows:
        envelope = legacy_space(row.kind, row.time_utc, row.norad_ids or [], row.title, row.detail, event_id=row.id)
        bind.execute(events.update().where(events.c.id == row.id).values(
            start_utc=envelope.start_utc, end_utc=envelope.end_utc, severity=envelope.severity,
            confidence=envelope.confidence, place=envelope.place.as_dict(),
            actors=[a.as_dict() for a in envelope.actors], evidence=envelope.evidence))


def downgrade() -> None:
    with op.batch_alter_table('contributions') as batch:
        batch.drop_index('ix_contributions_source')
    with op.batch_alter_table('conjunctions') as batch:
        batch.drop_column('provenance')
    with op.batch_alter_table('events') as batch:
        batch.drop_index('ix_events_severity')
        batch.drop_index('ix_events_domain')
        for name in ('evidence', 'actors', 'place', 'lon', 'lat', 'confidence', 'severity', 'end_utc', 'start_utc',
                     'domain'):
            batch.drop_column(name)
