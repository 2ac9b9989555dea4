"""Organisation and country namespaces, token expiry and revocation.

1. Tokens move from ``users.token_hash`` to a table of their own, ``api_tokens`` (a user may hold several; each
   expires and can be revoked). Existing tokens keep working: they expire ``KOMPAS_TOKEN_DAYS`` (default 90) days
   after this upgrade, not after their creation, so that upgrading locks nobody out.
2. Organisation codes may no longer be country codes (ISO 3166-1 alpha-2 or alpha-3, and EU, UK, UN, EZ). An
   existing organisation whose code is one is renamed ``<CODE>-ORG`` (``<CODE>-ORG2``... if taken), and every
   stored marking is rewritten so that nobody sees more or less than before: the new code replaces the old one
   among the originators and is added beside the old one in releasability lists (where the old code now means the
   country only). Each rename is logged as a warning (``alembic`` logger); audit entries keep the old code. The
   downgrade does not undo renames.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 13:30:00
"""

import logging
import os
import time

import numpy as np
import pycountry
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
#: Codes that read as countries (frozen here, as of this migration): ISO 3166-1 alpha-2 and alpha-3 from pycountry,
#: and the exceptionally reserved EU, UK, UN, EZ.
RESERVED = {"EU", "UK", "UN", "EZ"}


def _stamp(ns: int) -> str:
    return str(np.datetime_as_string(np.datetime64(ns, "ns"), unit="ns")) + "Z"


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_utc', sa.String(length=30), nullable=False),
    sa.Column('expires_utc', sa.String(length=30), nullable=False),
    sa.Column('revoked_utc', sa.String(length=30), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)
    days = float(os.environ.get("KOMPAS_TOKEN_DAYS", 90))
    expires = _stamp(time.time_ns() + round(days * 86_400e9))
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO api_tokens (user_id, token_hash, created_utc, expires_utc) "
                         "SELECT id, token_hash, created_utc, :expires FROM users ORDER BY id"), {"expires": expires})
    with op.batch_alter_table('users', schema=None) as batch_op:
        if bind.dialect.name == "postgresql":
            batch_op.drop_constraint('users_token_hash_key', type_='unique')
        batch_op.drop_column('token_hash')
    _separate_namespaces(bind)


def _separate_namespaces(bind: sa.Connection) -> None:
    """Rename organisations whose code is a country code and rewrite the markings that name them."""
    countries = RESERVED | {c.alpha_2 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.countries}
    orgs = bind.execute(sa.text("SELECT id, code FROM organisations ORDER BY id")).all()
    taken = {code for _, code in orgs} | set(bind.execute(sa.text("SELECT DISTINCT code FROM marking_releases"))
                                             .scalars())
    markings = bind.execute(sa.text("SELECT id, key, originators FROM markings")).all()
    taken |= {o for _, _, originators in markings for o in originators.split(",") if o}
    for org_id, code in orgs:
        if code.upper() not in countries:
            continue
        new, n = f"{code}-ORG", 1
        while new in taken:
            n += 1
            new = f"{code}-ORG{n}"
        taken.add(new)
        bind.execute(sa.text("UPDATE organisations SET code = :new WHERE id = :id"), {"new": new, "id": org_id})
        released = set(bind.execute(sa.text("SELECT marking_id FROM marking_releases WHERE code = :old"),
                                    {"old": code}).scalars())
        changed = 0
        for marking_id, key, originators in bind.execute(sa.text("SELECT id, key, originators FROM markings")).all():
            names = [o for o in originators.split(",") if o]
            if code not in names and marking_id not in released:
                continue
            # key: CLASSIFICATION|TLP|rel|clauses|originators|caveats (kompas.core.markings.Marking.key); only the
            # caveats may hold a "|", and they come last
            parts = key.split("|", 5)
            if marking_id in released:
                parts[2] = ",".join(sorted(set(parts[2].split(",")) | {new}))
                bind.execute(sa.text("INSERT INTO marking_releases (marking_id, code) VALUES (:m, :new)"),
                             {"m": marking_id, "new": new})
            renamed = ",".join(sorted((new if o == code else o) for o in names))
            parts[4] = renamed
            bind.execute(sa.text("UPDATE markings SET key = :key, originators = :originators WHERE id = :id"),
                         {"key": "|".join(parts), "originators": renamed, "id": marking_id})
            changed += 1
        log.warning("organisation code %s is an ISO 3166 country code: renamed %s (%d markings rewritten; "
                    "releasability to %s now means the country only)", code, new, changed, code)


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    # each user gets back its newest unrevoked token (a user without one gets an unusable random hash)
    for user_id, in bind.execute(sa.text("SELECT id FROM users")).all():
        token = bind.execute(sa.text("SELECT token_hash FROM api_tokens WHERE user_id = :u AND revoked_utc IS NULL "
                                     "ORDER BY id DESC"), {"u": user_id}).scalar()
        bind.execute(sa.text("UPDATE users SET token_hash = :t WHERE id = :u"),
                     {"t": token or os.urandom(32).hex(), "u": user_id})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint('users_token_hash_key', ['token_hash'])
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
    op.drop_table('api_tokens')
