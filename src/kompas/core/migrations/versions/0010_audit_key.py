"""Keyed audit chain and signed checkpoints.

Adds ``audit_head.keyed_from``: entries from that sequence number on are HMAC-SHA256 under the audit key kept
outside the database (:mod:`kompas.core.audit`); the entries already written stay unkeyed SHA-256 and still verify.
It is set to the next sequence number, so a new database is keyed from its first entry. No key is needed here:
the first keyed append creates it. Also adds ``audit_head.mac``, the HMAC of the head itself (sequence number,
hash, keyed_from) under that key: :func:`kompas.core.db.upgrade` seals the head right after this migration and
every append renews it, so a head moved back or a boundary moved forward no longer verifies. Downgrading is
refused once keyed entries exist: the older Kompas could not verify them (their hashes need the key) and the
boundary would be lost.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("keyed_from", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("mac", sa.String(64), nullable=True))
    op.execute(sa.text("UPDATE audit_head SET keyed_from = seq + 1"))


def downgrade() -> None:
    head = op.get_bind().execute(sa.text("SELECT seq, keyed_from FROM audit_head WHERE id = 1")).first()
    if head is not None and head[0] >= head[1]:
        raise RuntimeError(f"cannot downgrade below 0010: audit entries {head[1]}-{head[0]} are keyed (HMAC) and "
                           "the older schema could not verify them")
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("mac")
        batch.drop_column("keyed_from")
