"""Audit log: every login, read, write and denial, append-only, hash-chained and keyed.

Entry ``n`` stores ``hash_n = HMAC-SHA256(key, hash_{n-1} || canonical(entry_n))`` with ``hash_0`` of the empty
chain ``GENESIS``. Changing, inserting or removing any entry breaks every later hash; :func:`verify` recomputes the
chain and compares its end with the chain head kept in ``audit_head`` (which catches a cut-off tail). The database
refuses UPDATE and DELETE on the audit table (triggers installed by the migration), and because the hash is keyed,
whoever can write the database but cannot read the key cannot append an entry (nor rewrite one) that verifies.

**The audit key** is kept outside the database: ``$KOMPAS_AUDIT_KEY`` (the key itself, at least 32 characters),
else the file named by ``$KOMPAS_AUDIT_KEY_FILE``, else ``$KOMPAS_HOME/audit.key`` (default ``~/.kompas``), which
the first keyed append creates (32 random bytes as hex, mode ``0600``). Every process that writes or verifies one
database (API servers, workers, `kompas` commands) needs the same key: with PostgreSQL and several hosts, copy the
file or set ``$KOMPAS_AUDIT_KEY``. Lose the key and the keyed part can no longer be verified; keep a copy offline.

**Older chains** (Kompas before migration 0010) hold unkeyed entries ``SHA-256(hash_{n-1} || canonical(entry_n))``;
the migration records in ``audit_head.keyed_from`` the first sequence number written with the key, so the old
prefix still verifies and :func:`verify` reports where the keyed part starts. Moving that boundary does not help a
forger: genuine keyed entries then fail as unkeyed ones (and vice versa). One gap remains until the first keyed
entry is written after the upgrade; `kompas admin audit-checkpoint` (:mod:`kompas.core.checkpoint`) closes it and
anchors the chain outside the database with an Ed25519-signed checkpoint of its head.

Appends are serialised by a row lock on ``audit_head`` (PostgreSQL) or SQLite's write lock, and run in their own
transaction so that a denial is recorded even when the work it refused is rolled back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, update

from kompas.core.access import open_session
from kompas.core.models import AuditEntry, AuditHead, now_utc
from kompas.private import private_dir

GENESIS = "0" * 64
OUTCOMES = ("ok", "denied", "rejected", "error")
KEY_FILE_NAME = "audit.key"  #: in $KOMPAS_HOME
MIN_KEY_BYTES = 32  #: shortest key accepted, bytes


class AuditKeyError(Exception):
    """The audit key cannot be found, read or created; the message says where it was looked for."""


def key_location() -> str:
    """Where the audit key comes from, for messages: the variable or the file."""
    if os.environ.get("KOMPAS_AUDIT_KEY"):
        return "$KOMPAS_AUDIT_KEY"
    return str(_key_file())


def _key_file() -> Path:
    explicit = os.environ.get("KOMPAS_AUDIT_KEY_FILE")
    if explicit:
        return Path(explicit).expanduser()
    return Path(os.environ.get("KOMPAS_HOME") or Path.home() / ".kompas").expanduser() / KEY_FILE_NAME


_KEYS: dict[str, bytes] = {}


def audit_key(create: bool = True) -> bytes:
    """The HMAC key of the audit chain (see the module's description): ``$KOMPAS_AUDIT_KEY``, else
    ``$KOMPAS_AUDIT_KEY_FILE``, else ``$KOMPAS_HOME/audit.key``; the last is created (``0600``) when missing and
    ``create``. Read once per file and process. Raises :class:`AuditKeyError` saying where it looked."""
    value = os.environ.get("KOMPAS_AUDIT_KEY")
    if value:
        if len(value.encode()) < MIN_KEY_BYTES:
            raise AuditKeyError(f"$KOMPAS_AUDIT_KEY is shorter than {MIN_KEY_BYTES} characters: use a long random "
                                "key, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`")
        return value.encode()
    path = _key_file()
    cached = _KEYS.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        if not create:
            raise AuditKeyError(f"audit key not found at {path} (set $KOMPAS_AUDIT_KEY or $KOMPAS_AUDIT_KEY_FILE, or "
                                "restore the key file this chain was written with)")
        _create_key_file(path)
    try:
        key = path.read_text().strip().encode()
    except OSError as error:
        raise AuditKeyError(f"cannot read the audit key {path}: {error.strerror or error}") from None
    if len(key) < MIN_KEY_BYTES:
        raise AuditKeyError(f"the audit key {path} is shorter than {MIN_KEY_BYTES} characters")
    _KEYS[str(path)] = key
    return key


def _create_key_file(path: Path) -> None:
    """Write a new random key to ``path`` (``0600``) atomically: a temporary file linked into place, so that two
    processes starting at once agree on one key and nobody reads a half-written one."""
    try:
        private_dir(path.parent)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, (secrets.token_hex(32) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    except OSError as error:
        raise AuditKeyError(f"cannot create the audit key {path}: {error.strerror or error}") from None


def entry_hash(prev_hash: str, seq: int, time_utc: str, actor: str, action: str, target: str, outcome: str,
               detail: str, key: bytes | None = None) -> str:
    """Hex digest chaining ``prev_hash`` to this entry's canonical JSON text: HMAC-SHA256 under ``key``, or the
    unkeyed SHA-256 of entries written before migration 0010 when ``key`` is None."""
    text = json.dumps([seq, time_utc, actor, action, target, outcome, detail], ensure_ascii=True,
                      separators=(",", ":"))
    message = (prev_hash + "\n" + text).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def append(engine: Engine, actor: str, action: str, target: str = "", outcome: str = "ok",
           detail: str = "") -> int:
    """Record one entry in its own transaction, keyed (:func:`audit_key`, created on first use); returns its
    sequence number. Raises :class:`AuditKeyError` when the key cannot be read or created."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}")
    key = audit_key()
    with open_session(engine, None) as session, session.begin():
        head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
        seq, time_utc = head.seq + 1, now_utc()
        keyed = seq >= (head.keyed_from or 1)
        digest = entry_hash(head.hash, seq, time_utc, actor, action, target[:300], outcome, detail,
                            key if keyed else None)
        session.add(AuditEntry(seq=seq, time_utc=time_utc, actor=actor[:100], action=action[:64],
                               target=target[:300], outcome=outcome, detail=detail, prev_hash=head.hash,
                               hash=digest))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))
    return seq


@dataclass
class Verification:
    """What :func:`verify` found: entries checked, the first broken sequence number (None if intact), why, and the
    first sequence number of the keyed part (entries before it are unkeyed SHA-256 from before migration 0010)."""

    entries: int
    head_hash: str
    broken_at: int | None = None
    reason: str = ""
    keyed_from: int | None = None

    @property
    def keyed(self) -> str:
        """Which part is keyed, in words, e.g. ``entries 4-9 keyed (HMAC-SHA256), 1-3 unkeyed (SHA-256)``."""
        first, last = self.keyed_from or 1, self.entries
        if last < first:
            return f"no keyed entries yet (1-{last} unkeyed SHA-256)" if last else "no entries yet"
        keyed = f"entries {first}-{last} keyed (HMAC-SHA256)"
        return keyed + (f", 1-{first - 1} unkeyed (SHA-256, from before the audit key)" if first > 1 else "")

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(engine: Engine, batch: int = 10_000, key: bytes | None = None) -> Verification:
    """Recompute the whole chain in sequence order (streamed in batches) and compare it with the head: entries
    from ``audit_head.keyed_from`` on with ``key`` (default :func:`audit_key`, never created here), the older ones
    unkeyed. A missing key is reported as a break at the first keyed entry."""
    prev, expected, count = GENESIS, 1, 0
    with open_session(engine, None) as session:
        head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
        keyed_from = (head.keyed_from or 1) if head is not None else 1
        last = 0
        while True:
            rows = session.execute(select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq)
                                   .limit(batch)).scalars().all()
            if not rows:
                break
            for row in rows:
                if row.seq != expected:
                    return Verification(count, prev, row.seq, f"sequence jumps from {expected - 1} to {row.seq}",
                                        keyed_from)
                if row.prev_hash != prev:
                    return Verification(count, prev, row.seq, "previous-hash link does not match", keyed_from)
                if row.seq >= keyed_from and key is None:
                    try:
                        key = audit_key(create=False)
                    except AuditKeyError as error:
                        return Verification(count, prev, row.seq, f"entries from {keyed_from} on are keyed: {error}",
                                            keyed_from)
                digest = entry_hash(prev, row.seq, row.time_utc, row.actor, row.action, row.target, row.outcome,
                                    row.detail, key if row.seq >= keyed_from else None)
                if not hmac.compare_digest(digest, row.hash):
                    why = "entry altered or forged: its hash does not match its content"
                    if row.seq >= keyed_from:
                        why += f" under the audit key ({key_location()})"
                    return Verification(count, prev, row.seq, why, keyed_from)
                prev, expected, count = digest, expected + 1, count + 1
            last = rows[-1].seq
            session.expunge_all()
    if head is None:
        return Verification(count, prev, 0, "audit head missing (database not initialised?)")
    if head.seq != count or head.hash != prev:
        return Verification(count, prev, count + 1, f"chain ends at {count} but the head records {head.seq}: "
                                                    "entries were removed from the end", keyed_from)
    return Verification(count, prev, keyed_from=keyed_from)
