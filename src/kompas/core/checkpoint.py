"""Signed checkpoints of the audit chain: its head (sequence number and hash) at a time, signed with Ed25519.

A checkpoint anchors the chain outside the database: keep the exported JSON (a ticket, an e-mail, another
organisation) and the public key, and later anyone can check offline that the checkpoint is genuine
(:func:`check_signature`, `kompas admin audit-verify-checkpoint FILE --public-key PEM`) and, with the database,
that the chain still contains that checkpoint's prefix (:func:`verify_against_chain`, `kompas admin audit-verify
--checkpoint FILE`): the entry at its sequence number must still have its hash, and the chain up to it must verify.
That catches a rewrite even by someone holding the audit's HMAC key.

**The signing key** is ``$KOMPAS_AUDIT_SIGNING_KEY`` (a PEM file), else ``$KOMPAS_HOME/audit-signing.pem``, created
(PKCS#8, unencrypted, mode ``0600``) on first use; publish its public half (`kompas admin audit-public-key`).

The document (JSON)::

    {"format": "kompas-audit-checkpoint/1", "seq": N, "head_hash": "<64 hex>", "keyed_from": K,
     "time_utc": "<ISO 8601>", "database": "<URL without password>", "public_key": "<PEM>",
     "signature": "<base64 Ed25519 over the canonical JSON of the fields before public_key>"}

Creating a checkpoint also appends an audit entry (action ``audit-checkpoint``, the document as its detail), so
the chain records when it was anchored and the document can be recovered from it.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, select

from kompas.core import audit
from kompas.core.access import open_session
from kompas.core.models import AuditEntry, now_utc
from kompas.private import private_dir, write_private

FORMAT = "kompas-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "seq", "head_hash", "keyed_from", "time_utc", "database")
KEY_FILE_NAME = "audit-signing.pem"  #: in $KOMPAS_HOME


class CheckpointError(Exception):
    """A checkpoint or key that cannot be read, or whose signature or chain does not hold; the message says why."""


def _key_file() -> Path:
    explicit = os.environ.get("KOMPAS_AUDIT_SIGNING_KEY")
    if explicit:
        return Path(explicit).expanduser()
    return Path(os.environ.get("KOMPAS_HOME") or Path.home() / ".kompas").expanduser() / KEY_FILE_NAME


def signing_key(create: bool = True) -> Ed25519PrivateKey:
    """The Ed25519 signing key (``$KOMPAS_AUDIT_SIGNING_KEY`` or ``$KOMPAS_HOME/audit-signing.pem``), created
    ``0600`` when missing and ``create``. Raises :class:`CheckpointError` when it cannot be read or made."""
    path = _key_file()
    if not path.exists():
        if not create or os.environ.get("KOMPAS_AUDIT_SIGNING_KEY"):
            raise CheckpointError(f"audit signing key not found at {path}")
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            private_dir(path.parent)
            write_private(path, pem)
        except OSError as error:
            raise CheckpointError(f"cannot create the audit signing key {path}: {error.strerror or error}") from None
        return key
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise CheckpointError(f"cannot read the audit signing key {path}: {error}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return loaded


def public_key_pem(key: Ed25519PrivateKey) -> str:
    """The public half of ``key`` as PEM text (SubjectPublicKeyInfo)."""
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM text. Raises :class:`CheckpointError` for anything else."""
    try:
        key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError) as error:
        raise CheckpointError(f"not a PEM public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError("the public key is not an Ed25519 key")
    return key


def _signed_text(document: dict[str, Any]) -> bytes:
    return json.dumps({k: document.get(k) for k in SIGNED_FIELDS}, sort_keys=True, ensure_ascii=True,
                      separators=(",", ":")).encode()


def create(engine: Engine, database: str = "") -> dict[str, Any]:
    """Verify the chain, sign its head and record the checkpoint as an audit entry; returns the document.

    Raises :class:`CheckpointError` when the chain is broken (a checkpoint never vouches for a broken chain) or the
    signing key cannot be had."""
    result = audit.verify(engine)
    if not result.ok:
        raise CheckpointError(f"the audit chain is broken at entry {result.broken_at} ({result.reason}): "
                              "no checkpoint signed")
    key = signing_key()
    document: dict[str, Any] = {"format": FORMAT, "seq": result.entries, "head_hash": result.head_hash,
                                "keyed_from": result.keyed_from, "time_utc": now_utc(), "database": database}
    document["public_key"] = public_key_pem(key)
    document["signature"] = base64.b64encode(key.sign(_signed_text(document))).decode()
    audit.append(engine, "admin", "audit-checkpoint", f"entry {result.entries}", "ok",
                 json.dumps(document, sort_keys=True))
    return document


def load(path: Path) -> dict[str, Any]:
    """A checkpoint document from a JSON file, its fields checked for shape. Raises :class:`CheckpointError`."""
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise CheckpointError(f"{path}: cannot read it ({error.strerror or error})") from None
    except (ValueError, RecursionError) as error:
        raise CheckpointError(f"{path}: not a JSON checkpoint ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a Kompas audit checkpoint (expected \"format\": \"{FORMAT}\")")
    if not isinstance(document.get("seq"), int) or not isinstance(document.get("head_hash"), str) \
            or not isinstance(document.get("signature"), str):
        raise CheckpointError(f"{path}: a checkpoint needs an integer seq, a head_hash and a signature")
    return document


def check_signature(document: dict[str, Any], public_key: str | bytes) -> None:
    """Check the checkpoint's signature with ``public_key`` (PEM; the trusted one, not the copy inside the
    document). Raises :class:`CheckpointError` when it does not match."""
    key = load_public_key(public_key)
    try:
        signature = base64.b64decode(document["signature"], validate=True)
        key.verify(signature, _signed_text(document))
    except (InvalidSignature, ValueError, KeyError):
        raise CheckpointError("signature does not match: the checkpoint was altered or signed with another "
                              "key") from None


@dataclass
class Anchored:
    """What :func:`verify_against_chain` found: the chain's own verification and whether the checkpoint holds."""

    chain: audit.Verification
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.reason


def verify_against_chain(engine: Engine, document: dict[str, Any], public_key: str | bytes) -> Anchored:
    """Check the signature (raises :class:`CheckpointError`), verify the chain, and check that the chain still
    contains the checkpoint's prefix: the entry at its ``seq`` still has its ``head_hash``."""
    check_signature(document, public_key)
    chain = audit.verify(engine)
    seq, expected = document["seq"], document["head_hash"]
    if seq == 0:
        return Anchored(chain, "" if expected == audit.GENESIS else "checkpoint of entry 0 with a non-empty hash")
    if not chain.ok and chain.broken_at is not None and chain.broken_at <= seq:
        return Anchored(chain, f"the chain breaks at entry {chain.broken_at}, inside the checkpoint's prefix "
                               f"(entries 1-{seq})")
    with open_session(engine, None) as session:
        stored = session.execute(select(AuditEntry.hash).where(AuditEntry.seq == seq)).scalar_one_or_none()
    if stored is None:
        return Anchored(chain, f"entry {seq} of the checkpoint is no longer in the chain (it holds "
                               f"{chain.entries} entries)")
    if stored != expected:
        return Anchored(chain, f"entry {seq} no longer has the checkpoint's hash: the chain was rewritten "
                               "up to it")
    return Anchored(chain)
