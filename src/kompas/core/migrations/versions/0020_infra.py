"""Critical infrastructure (issue 24): the elements operators and member states contribute to the public map
(pipelines, capacities, private cables, links), one row per element, marked: the contributing organisation, the
element's kind and id (the id of a public element replaces it for those who may see the row), the element itself as
JSON (:func:`kompas.infra.contributed.to_dict`), the source it came from, who added it and when.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def _marked(name: str, *columns: sa.Column) -> None:
    op.create_table(name, sa.Column('id', sa.String(36), primary_key=True),
                    sa.Column('marking_id', sa.Integer, sa.ForeignKey('markings.id'), nullable=False), *columns)
    op.create_index(f'ix_{name}_marking_id', name, ['marking_id'])


def upgrade() -> None:
    _marked('infra_elements',
            sa.Column('org', sa.String(32), nullable=False), sa.Column('kind', sa.String(16), nullable=False),
            sa.Column('element_id', sa.String(128), nullable=False), sa.Column('fields', sa.Text, nullable=False),
            sa.Column('source', sa.String(200), nullable=False),
            sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
            sa.Column('added_utc', sa.String(30), nullable=False))
    op.create_index('ix_infra_elements_element', 'infra_elements', ['org', 'kind', 'element_id', 'marking_id'])
    op.create_index('ix_infra_elements_added', 'infra_elements', ['added_utc', 'id'])


def downgrade() -> None:
    op.drop_table('infra_elements')
