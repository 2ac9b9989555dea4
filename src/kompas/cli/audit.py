"""Audit-chain commands under `kompas admin`: signed checkpoints and their offline verification.

`audit-checkpoint` signs the chain's head (Ed25519, :mod:`kompas.core.checkpoint`), `audit-public-key` prints the
key to verify it with, `audit-verify-checkpoint FILE --public-key PEM` checks a checkpoint without any database.
`audit-verify` itself (with ``--checkpoint``) is in :mod:`kompas.cli.admin`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.admin import DB, _engine, _shown, admin
from kompas.cli.common import console, err_console

CHECKPOINT_OUT = Annotated[Path | None, typer.Option("--out", help="Write the checkpoint (JSON) to this file "
                                                                   "(mode 0600) instead of standard output.")]


def _fail(error: object, code: int = 2) -> typer.Exit:
    err_console.print(f"error: {error}", highlight=False)
    return typer.Exit(code)


@admin.command("audit-checkpoint")
def audit_checkpoint(out: CHECKPOINT_OUT = None, db: DB = None) -> None:
    """Verify the audit chain and sign its head with the Ed25519 key ($KOMPAS_AUDIT_SIGNING_KEY, else
    $KOMPAS_HOME/audit-signing.pem, created 0600 on first use); the checkpoint is recorded in the chain and written
    as JSON to --out or standard output. Prints `checkpoint of entry N (head HASH)` on standard error. Keep the
    file somewhere else and check it later with `kompas admin audit-verify --checkpoint FILE` or, offline,
    `kompas admin audit-verify-checkpoint FILE --public-key PEM`. Exit 1 when the chain is broken, 2 when the key
    cannot be had."""
    from kompas.core.audit import AuditKeyError
    from kompas.core.checkpoint import CheckpointError, create
    from kompas.private import write_private

    engine = _engine(db)
    try:
        document = create(engine, _shown(engine.url.render_as_string(hide_password=False)))
    except CheckpointError as error:
        raise _fail(error, 1 if "broken" in str(error) else 2) from None
    except AuditKeyError as error:
        raise _fail(error) from None
    text = json.dumps(document, indent=1) + "\n"
    if out is None:
        print(text, end="")
    else:
        try:
            write_private(out, text)
        except OSError as error:
            raise _fail(f"{out}: cannot write it ({error.strerror or error})") from None
    err_console.print(f"checkpoint of entry {document['seq']} (head {document['head_hash']})"
                      + (f" written: {out}" if out else ""), highlight=False)


@admin.command("audit-public-key")
def audit_public_key(out: Annotated[Path | None, typer.Option("--out", help="Write the PEM to this file instead "
                                                                            "of standard output.")] = None) -> None:
    """Print the public key (PEM) that verifies audit checkpoints; the signing key is created when missing."""
    from kompas.core.checkpoint import CheckpointError, public_key_pem, signing_key
    from kompas.private import write_private

    try:
        pem = public_key_pem(signing_key())
    except CheckpointError as error:
        raise _fail(error) from None
    if out is None:
        print(pem, end="")
        return
    try:
        write_private(out, pem)
    except OSError as error:
        raise _fail(f"{out}: cannot write it ({error.strerror or error})") from None
    err_console.print(f"written: {out}", highlight=False)


@admin.command("audit-verify-checkpoint")
def audit_verify_checkpoint(
        checkpoint_file: Annotated[Path, typer.Argument(help="Checkpoint JSON from `kompas admin audit-checkpoint`.")],
        public_key: Annotated[Path, typer.Option("--public-key", help="The trusted public key (PEM) from `kompas "
                                                                      "admin audit-public-key`.")]) -> None:
    """Check a checkpoint offline, without any database: its Ed25519 signature under the given public key (not the
    copy inside the file). Prints `checkpoint valid: entry N, head HASH, signed TIME`; exit 1 when the signature
    does not match, 2 when a file cannot be read."""
    from kompas.core.checkpoint import CheckpointError, check_signature, load

    try:
        document = load(checkpoint_file)
        pem = public_key.read_bytes()
    except CheckpointError as error:
        raise _fail(error) from None
    except OSError as error:
        raise _fail(f"{public_key}: cannot read it ({error.strerror or error})") from None
    try:
        check_signature(document, pem)
    except CheckpointError as error:
        code = 2 if str(error).startswith(("not a PEM", "the public key")) else 1
        err_console.print(f"checkpoint INVALID: {error}", highlight=False)
        raise typer.Exit(code) from None
    console.print(f"checkpoint valid: entry {document['seq']}, head {document['head_hash']}, signed "
                  f"{document.get('time_utc')}", highlight=False)
