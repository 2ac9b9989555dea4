"""Space ISAC (issue 29): members' incident reports (the whole report as JSON, the columns listings filter on, who
reported: known to the platform, shown to others only when named), the objects they name, members' "seen it too"
(each marked with the seer's marking combined with the report's), and the pseudonyms the platform gives members.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def _marked(name: str, *columns: sa.Column) -> None:
    op.create_table(name, sa.Column('id', sa.String(36), primary_key=True),
                    sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False), *columns)
    op.create_index(f'ix_{name}_marking_id', name, ['marking_id'])


def upgrade() -> None:
    _marked('isac_reports',
            sa.Column('org', sa.String(32), nullable=False),
            sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
            sa.Column('source_id', sa.String(36), nullable=False),
            sa.Column('disclosure', sa.String(16), nullable=False),
            sa.Column('pseudonym', sa.String(64), nullable=False),
            sa.Column('reported_utc', sa.String(30), nullable=False),
            sa.Column('start_utc', sa.String(30), nullable=False), sa.Column('stop_utc', sa.String(30), nullable=True),
            sa.Column('segment', sa.String(8), nullable=False),
            sa.Column('interference', sa.String(32), nullable=False),
            sa.Column('band_low_mhz', sa.Float, nullable=True), sa.Column('band_high_mhz', sa.Float, nullable=True),
            sa.Column('lat', sa.Float, nullable=True), sa.Column('lon', sa.Float, nullable=True),
            sa.Column('norad_ids', sa.JSON, nullable=False), sa.Column('body', sa.JSON, nullable=False),
            sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_isac_reports_start', 'isac_reports', ['start_utc', 'id'])
    op.create_index('ix_isac_reports_added', 'isac_reports', ['added_utc', 'id'])
    op.create_index('ix_isac_reports_source', 'isac_reports', ['org', 'source_id'])
    op.create_table('isac_report_objects',
                    sa.Column('report_id', sa.String(36), sa.ForeignKey('isac_reports.id', ondelete='CASCADE'),
                              primary_key=True),
                    sa.Column('norad_id', sa.Integer, primary_key=True))
    op.create_index('ix_isac_report_objects_norad_id', 'isac_report_objects', ['norad_id'])
    _marked('isac_seen',
            sa.Column('report_id', sa.String(36), sa.ForeignKey('isac_reports.id', ondelete='CASCADE'),
                      nullable=False),
            sa.Column('org', sa.String(32), nullable=False),
            sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
            sa.Column('at_utc', sa.String(30), nullable=False), sa.Column('note', sa.Text, nullable=False))
    op.create_index('ix_isac_seen_report', 'isac_seen', ['report_id', 'org'])
    op.create_table('isac_members', sa.Column('org', sa.String(32), primary_key=True),
                    sa.Column('pseudonym', sa.String(32), nullable=False, unique=True),
                    sa.Column('created_utc', sa.String(30), nullable=False))


def downgrade() -> None:
    for name in ('isac_members', 'isac_seen', 'isac_report_objects', 'isac_reports'):
        op.drop_table(name)
