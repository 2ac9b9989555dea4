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
forger: genuine keyed entries then fail as unkeyed ones (and vice versa), and the head's MAC (below) no longer
matches. `kompas admin audit-checkpoint` (:mod:`kompas.core.checkpoint`) also anchors the chain outside the
database with an Ed25519-signed checkpoint of its head.

**The head** ``(seq, hash, keyed_from)`` carries its own HMAC under the key (``audit_head.mac``, renewed by every
append in the same transaction, first set by :func:`kompas.core.db.upgrade` right after migration 0010): cutting
entries off the end and moving the head back, or rewriting the history unkeyed and moving ``keyed_from`` past it,
is reported as "head altered or cut short" whenever the key is available. Without any key, an all-unkeyed chain
still verifies (nothing was ever keyed). Replaying an older genuine head after cutting the tail back to it is
caught only by a signed checkpoint.

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


def head_mac(key: bytes, seq: int, head_hash: str, keyed_from: int) -> str:
    """HMAC-SHA256 (hex) of the chain head ``(seq, hash, keyed_from)`` under the audit key, kept in
    ``audit_head.mac`` so that moving the head back (a cut-off tail) or the keyed boundary forward fails."""
    text = json.dumps(["kompas-audit-head", seq, head_hash, keyed_from], separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _head_valid(key: bytes, head: AuditHead) -> bool:
    return head.mac is not None and hmac.compare_digest(
        head.mac, head_mac(key, head.seq, head.hash, head.keyed_from or 1))


def seal(engine: Engine) -> bool:
    """Give a head that has no ``mac`` yet (right after migration 0010) its first one, creating the audit key if
    needed; only when the chain has no keyed entry (nothing a forger without the key could have vouched for) and
    verifies. Returns whether it sealed. Called by :func:`kompas.core.db.upgrade` when it ran migration 0010.
    Raises :class:`AuditKeyError` when the key cannot be read or created."""
    key = audit_key()
    with open_session(engine, None) as session, session.begin():
        head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
        if head is None or head.mac is not None or head.seq >= (head.keyed_from or 1):
            return False
        session.execute(update(AuditHead).where(AuditHead.id == 1)
                        .values(mac=head_mac(key, head.seq, head.hash, head.keyed_from or 1)))
    return True


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
        actor, action, target = actor[:100], action[:64], target[:300]  # as stored: the hash covers what is kept
        digest = entry_hash(head.hash, seq, time_utc, actor, action, target, outcome, detail,
                            key if keyed else None)
        session.add(AuditEntry(seq=seq, time_utc=time_utc, actor=actor, action=action,
                               target=target, outcome=outcome, detail=detail, prev_hash=head.hash,
                               hash=digest))
        # the new head is vouched for only if the old one was: a tampered head stays detectably broken
        mac = head_mac(key, seq, digest, head.keyed_from or 1) if _head_valid(key, head) else None
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest, mac=mac))
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
    if key is None:  # no keyed entry was checked: the head must still be vouched for whenever a key exists
        try:
            key = audit_key(create=False)
        except AuditKeyError:
            return Verification(count, prev, keyed_from=keyed_from)  # no key anywhere: nothing was ever keyed
    if not _head_valid(key, head):
        return Verification(count, prev, count + 1, "head altered or cut short: the audit head's MAC does not match "
                                                    f"its sequence number, hash and keyed boundary under the audit "
                                                    f"key ({key_location()})", keyed_from)
    return Verification(count, prev, keyed_from=keyed_from)
