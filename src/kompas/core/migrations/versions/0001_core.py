"""Core schema: organisations, users, markings, contributions, element sets, conjunctions, events, audit.

Also seeds the audit chain head and makes the audit table append-only with triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 18:47:44.270930
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('time_utc', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('communities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('markings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('classification', sa.Integer(), nullable=False),
    sa.Column('tlp', sa.Integer(), nullable=False),
    sa.Column('releasable_to_all', sa.Boolean(), nullable=False),
    sa.Column('originators', sa.Text(), nullable=False),
    sa.Column('caveats', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key'),
    sqlite_autoincrement=True
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('conjunctions',
    sa.Column('primary_id', sa.Integer(), nullable=False),
    sa.Column('secondary_id', sa.Integer(), nullable=False),
    sa.Column('tca_utc', sa.String(length=30), nullable=False),
    sa.Column('miss_km', sa.Float(), nullable=False),
    sa.Column('v_rel_km_s', sa.Float(), nullable=False),
    sa.Column('rtn_km', sa.JSON(), nullable=False),
    sa.Column('primary_elset_id', sa.String(length=36), nullable=False),
    sa.Column('secondary_elset_id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('conjunctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conjunctions_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conjunctions_primary_id'), ['primary_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conjunctions_secondary_id'), ['secondary_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conjunctions_tca_utc'), ['tca_utc'], unique=False)

    op.create_table('events',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('time_utc', sa.String(length=30), nullable=False),
    sa.Column('norad_ids', sa.JSON(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_time_utc'), ['time_utc'], unique=False)

    op.create_table('marking_clauses',
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.Column('clause', sa.Integer(), nullable=False),
    sa.Column('community', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('marking_id', 'clause', 'community')
    )
    op.create_table('marking_releases',
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('marking_id', 'code')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('clearance', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('contributions',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('received_utc', sa.String(length=30), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('rejections', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_marking_id'), ['marking_id'], unique=False)

    op.create_table('event_objects',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('norad_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_objects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_objects_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_objects_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_objects_norad_id'), ['norad_id'], unique=False)

    op.create_table('memberships',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'community_id')
    )
    op.create_table('subscriptions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('element_sets',
    sa.Column('contribution_id', sa.String(length=36), nullable=False),
    sa.Column('norad_id', sa.Integer(), nullable=False),
    sa.Column('epoch_utc', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('intl_designator', sa.String(length=16), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('marking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], ),
    sa.ForeignKeyConstraint(['marking_id'], ['markings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('element_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_element_sets_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_element_sets_marking_id'), ['marking_id'], unique=False)
        batch_op.create_index('ix_element_sets_object_epoch', ['norad_id', 'epoch_utc'], unique=False)

    op.execute(sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '" + "0" * 64 + "')"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION kompas_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$")
        op.execute("CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
                   "FOR EACH ROW EXECUTE FUNCTION kompas_audit_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
                       "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_append_only ON audit")
        op.execute("DROP FUNCTION IF EXISTS kompas_audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    with op.batch_alter_table('element_sets', schema=None) as batch_op:
        batch_op.drop_index('ix_element_sets_object_epoch')
        batch_op.drop_index(batch_op.f('ix_element_sets_marking_id'))
        batch_op.drop_index(batch_op.f('ix_element_sets_contribution_id'))

    op.drop_table('element_sets')
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriptions_user_id'))

    op.drop_table('subscriptions')
    op.drop_table('memberships')
    with op.batch_alter_table('event_objects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_objects_norad_id'))
        batch_op.drop_index(batch_op.f('ix_event_objects_marking_id'))
        batch_op.drop_index(batch_op.f('ix_event_objects_event_id'))

    op.drop_table('event_objects')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributions_marking_id'))

    op.drop_table('contributions')
    op.drop_table('users')
    op.drop_table('marking_releases')
    op.drop_table('marking_clauses')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_time_utc'))
        batch_op.drop_index(batch_op.f('ix_events_marking_id'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))

    op.drop_table('events')
    with op.batch_alter_table('conjunctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conjunctions_tca_utc'))
        batch_op.drop_index(batch_op.f('ix_conjunctions_secondary_id'))
        batch_op.drop_index(batch_op.f('ix_conjunctions_primary_id'))
        batch_op.drop_index(batch_op.f('ix_conjunctions_marking_id'))

    op.drop_table('conjunctions')
    op.drop_table('organisations')
    op.drop_table('markings')
    op.drop_table('communities')
    op.drop_table('audit_head')
    op.drop_table('audit')
