"""Audit log: every login, read, write and denial, append-only and hash-chained.

Entry ``n`` stores ``hash_n = SHA-256(hash_{n-1} || canonical(entry_n))`` with ``hash_0`` of the empty chain
``GENESIS``. Changing, inserting or removing any entry breaks every later hash; :func:`verify` recomputes the
chain and compares its end with the chain head kept in ``audit_head`` (which catches a cut-off tail). The
database refuses UPDATE and DELETE on the audit table (triggers installed by the migration), so tampering needs
someone who can drop triggers; the chain then shows it. Print :func:`verify`'s head hash somewhere else (a
ticket, a signed e-mail) to anchor the chain outside the database.

Appends are serialised by a row lock on ``audit_head`` (PostgreSQL) or SQLite's write lock, and run in their own
transaction so that a denial is recorded even when the work it refused is rolled back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from kompas.core.access import open_session
from kompas.core.models import AuditEntry, AuditHead, now_utc

GENESIS = "0" * 64
OUTCOMES = ("ok", "denied", "rejected", "error")


def entry_hash(prev_hash: str, seq: int, time_utc: str, actor: str, action: str, target: str, outcome: str,
               detail: str) -> str:
    """SHA-256 (hex) chaining ``prev_hash`` to this entry's canonical JSON text."""
    text = json.dumps([seq, time_utc, actor, action, target, outcome, detail], ensure_ascii=True,
                      separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + text).encode()).hexdigest()


def append(engine: Engine, actor: str, action: str, target: str = "", outcome: str = "ok",
           detail: str = "") -> int:
    """Record one entry in its own transaction; returns its sequence number."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}")
    with open_session(engine, None) as session, session.begin():
        head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
        seq, time_utc = head.seq + 1, now_utc()
        digest = entry_hash(head.hash, seq, time_utc, actor, action, target[:300], outcome, detail)
        session.add(AuditEntry(seq=seq, time_utc=time_utc, actor=actor[:100], action=action[:64],
                               target=target[:300], outcome=outcome, detail=detail, prev_hash=head.hash,
                               hash=digest))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))
    return seq


@dataclass
class Verification:
    """What :func:`verify` found: entries checked, the first broken sequence number (None if intact), why."""

    entries: int
    head_hash: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(engine: Engine, batch: int = 10_000) -> Verification:
    """Recompute the whole chain in sequence order (streamed in batches) and compare it with the head."""
    prev, expected, count = GENESIS, 1, 0
    with open_session(engine, None) as session:
        head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
        last = 0
        while True:
            rows = session.execute(select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq)
                                   .limit(batch)).scalars().all()
            if not rows:
                break
            for row in rows:
                if row.seq != expected:
                    return Verification(count, prev, row.seq, f"sequence jumps from {expected - 1} to {row.seq}")
                if row.prev_hash != prev:
                    return Verification(count, prev, row.seq, "previous-hash link does not match")
                digest = entry_hash(prev, row.seq, row.time_utc, row.actor, row.action, row.target, row.outcome,
                                    row.detail)
                if digest != row.hash:
                    return Verification(count, prev, row.seq, "entry altered: its hash does not match its content")
                prev, expected, count = digest, expected + 1, count + 1
            last = rows[-1].seq
            session.expunge_all()
    if head is None:
        return Verification(count, prev, 0, "audit head missing (database not initialised?)")
    if head.seq != count or head.hash != prev:
        return Verification(count, prev, count + 1, f"chain ends at {count} but the head records {head.seq}: "
                                                    "entries were removed from the end")
    return Verification(count, prev)
