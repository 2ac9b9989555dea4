"""Issue 18 #14: the audit chain is keyed (HMAC-SHA256 with a key outside the database) and can be anchored by
signed checkpoints (Ed25519), on SQLite and PostgreSQL.

Someone who can write the database but not read the key must not be able to append an entry that verifies; an
older, unkeyed prefix still verifies after migration 0010; a checkpoint verifies offline with only the public key,
a tampered one does not, and a chain rewritten even by a key holder no longer contains a checkpoint's prefix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, text, update
from typer.testing import CliRunner

from kompas.cli import app
from kompas.core import audit, checkpoint
from kompas.core.db import make_engine, upgrade
from kompas.core.models import AuditEntry, AuditHead, now_utc
from tests.core.conftest import _postgres_database

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh $KOMPAS_HOME per test: its own audit key and signing key, no key from the environment."""
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path / "home"))
    for name in ("KOMPAS_AUDIT_KEY", "KOMPAS_AUDIT_KEY_FILE", "KOMPAS_AUDIT_SIGNING_KEY", "KOMPAS_DB"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def _database(kind: str, tmp_path: Path, revision: str = "head") -> Iterator[str]:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'kompas.db'}"
        upgrade(url, revision)
        yield url
        return
    for url in _postgres_database("audit"):
        upgrade(url, revision)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(kind: str, tmp_path: Path) -> Iterator[Engine]:
    """A new database at the newest schema holding three audit entries."""
    for url in _database(kind, tmp_path):
        engine = make_engine(url)
        for k in range(3):
            audit.append(engine, "ann", "read", f"item {k}")
        yield engine
        engine.dispose()


def _forge(engine: Engine, key: bytes | None = None, **head: object) -> int:
    """Append an entry as someone with write access to the tables: the chain's own formula, the head updated."""
    with engine.begin() as connection:
        row = connection.execute(select(AuditHead).where(AuditHead.id == 1)).one()
        seq, time_utc = row.seq + 1, now_utc()
        fields = (seq, time_utc, "mallory", "grant", "everything", "ok", "")
        digest = audit.entry_hash(row.hash, *fields, key=key)
        connection.execute(insert(AuditEntry).values(seq=seq, time_utc=time_utc, actor="mallory", action="grant",
                                                     target="everything", outcome="ok", detail="",
                                                     prev_hash=row.hash, hash=digest))
        connection.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest, **head))
    return seq


def test_intact_keyed_chain_verifies(engine: Engine) -> None:
    result = audit.verify(engine)
    assert result.ok, result.reason
    assert result.entries == 3 and result.keyed_from == 1


def test_forged_entry_with_recomputed_unkeyed_hash_fails(engine: Engine) -> None:
    seq = _forge(engine)
    result = audit.verify(engine)
    assert not result.ok and result.broken_at == seq, result


def test_forged_entry_under_another_key_fails(engine: Engine) -> None:
    seq = _forge(engine, key=b"m" * 32)
    result = audit.verify(engine)
    assert not result.ok and result.broken_at == seq


def test_moving_the_keyed_boundary_past_the_forgery_fails(engine: Engine) -> None:
    """Downgrade attempt: mark everything as the old unkeyed kind, then append with plain SHA-256."""
    _forge(engine, keyed_from=99)
    result = audit.verify(engine)
    assert not result.ok and result.broken_at == 1  # the genuine keyed entries no longer pass as unkeyed


def test_verification_without_the_key_says_so(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path / "elsewhere"))
    result = audit.verify(engine)
    assert not result.ok and "audit key" in result.reason
    assert not (tmp_path / "elsewhere" / "audit.key").exists()  # verifying never makes a key


def test_old_unkeyed_prefix_still_verifies_after_the_migration(kind: str, tmp_path: Path) -> None:
    for url in _database(kind, tmp_path, "0009"):
        engine = make_engine(url)
        prev = "0" * 64
        with engine.begin() as connection:  # entries as Kompas wrote them before 0010 (unkeyed SHA-256)
            for seq in (1, 2, 3):
                fields = (seq, now_utc(), "ann", "read", f"item {seq}", "ok", "")
                digest = audit.entry_hash(prev, *fields)
                connection.execute(text("INSERT INTO audit (seq, time_utc, actor, action, target, outcome, detail, "
                                        "prev_hash, hash) VALUES (:s, :t, :a, :c, :g, :o, :d, :p, :h)"),
                                   dict(zip("stacgod", fields, strict=True)) | {"p": prev, "h": digest})
                prev = digest
            connection.execute(text("UPDATE audit_head SET seq = 3, hash = :h WHERE id = 1"), {"h": prev})
        engine.dispose()
        upgrade(url)
        engine = make_engine(url)
        audit.append(engine, "bob", "write", "item 4")
        audit.append(engine, "bob", "write", "item 5")
        result = audit.verify(engine)
        assert result.ok, result.reason
        assert (result.entries, result.keyed_from) == (5, 4)
        with engine.connect() as connection:
            row = connection.execute(select(AuditEntry).where(AuditEntry.seq == 4)).one()
        assert row.hash != audit.entry_hash(row.prev_hash, row.seq, row.time_utc, row.actor, row.action, row.target,
                                            row.outcome, row.detail)  # the new entries really are keyed
        _forge(engine)
        assert audit.verify(engine).broken_at == 6
        engine.dispose()


def test_checkpoint_verifies_against_the_chain_and_catches_a_rewrite(engine: Engine, tmp_path: Path) -> None:
    document = checkpoint.create(engine)
    assert document["seq"] == 3
    public = checkpoint.public_key_pem(checkpoint.signing_key(create=False))
    assert checkpoint.verify_against_chain(engine, document, public).ok
    audit.append(engine, "ann", "read", "later")  # the chain grows: the checkpoint's prefix is still there
    assert checkpoint.verify_against_chain(engine, document, public).ok
    # someone holding the HMAC key (an insider) rewrites history: the chain verifies, the checkpoint does not
    dialect = engine.dialect.name
    with engine.begin() as connection:
        if dialect == "sqlite":
            connection.execute(text("DROP TRIGGER audit_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit DISABLE TRIGGER audit_append_only"))
        rows = connection.execute(select(AuditEntry).order_by(AuditEntry.seq)).all()
        key, prev = audit.audit_key(create=False), "0" * 64
        for row in rows:
            actor = "eve" if row.seq == 2 else row.actor
            digest = audit.entry_hash(prev, row.seq, row.time_utc, actor, row.action, row.target, row.outcome,
                                      row.detail, key=key)
            connection.execute(update(AuditEntry).where(AuditEntry.seq == row.seq)
                               .values(actor=actor, prev_hash=prev, hash=digest))
            prev = digest
        keyed_from = connection.execute(select(AuditHead.keyed_from)).scalar_one()
        connection.execute(update(AuditHead).where(AuditHead.id == 1)  # the key holder can re-MAC the head too
                           .values(hash=prev, mac=audit.head_mac(key, len(rows), prev, keyed_from)))
    assert audit.verify(engine).ok
    result = checkpoint.verify_against_chain(engine, document, public)
    assert not result.ok and "entry 3" in result.reason


def _cli_platform(home: Path) -> Path:
    assert runner.invoke(app, ["admin", "init"]).exit_code == 0
    assert runner.invoke(app, ["admin", "add-org", "NL-NSO", "--country", "NL"]).exit_code == 0
    out = home.parent / "checkpoint.json"
    made = runner.invoke(app, ["admin", "audit-checkpoint", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert "checkpoint of entry 2" in made.output
    return out


def test_checkpoint_verifies_offline_with_only_the_public_key(home: Path, tmp_path: Path) -> None:
    out = _cli_platform(home)
    pem = tmp_path / "public.pem"
    exported = runner.invoke(app, ["admin", "audit-public-key", "--out", str(pem)])
    assert exported.exit_code == 0, exported.output
    (home / "kompas.db").unlink()  # offline: no database at all
    checked = runner.invoke(app, ["admin", "audit-verify-checkpoint", str(out), "--public-key", str(pem)])
    assert checked.exit_code == 0, checked.output
    assert "checkpoint valid: entry 2" in checked.output


def test_tampered_checkpoint_fails(home: Path, tmp_path: Path) -> None:
    out = _cli_platform(home)
    pem = tmp_path / "public.pem"
    assert runner.invoke(app, ["admin", "audit-public-key", "--out", str(pem)]).exit_code == 0
    document = json.loads(out.read_text())
    for field, value in (("seq", 1), ("head_hash", "f" * 64), ("time_utc", "2020-01-01T00:00:00.000000000Z")):
        forged = tmp_path / f"forged-{field}.json"
        forged.write_text(json.dumps(document | {field: value}))
        checked = runner.invoke(app, ["admin", "audit-verify-checkpoint", str(forged), "--public-key", str(pem)])
        assert checked.exit_code == 1 and "signature does not match" in checked.output, (field, checked.output)
        with_db = runner.invoke(app, ["admin", "audit-verify", "--checkpoint", str(forged)])
        assert with_db.exit_code == 1, (field, with_db.output)
    garbled = tmp_path / "garbled.json"
    garbled.write_text("{not json")
    checked = runner.invoke(app, ["admin", "audit-verify-checkpoint", str(garbled), "--public-key", str(pem)])
    assert checked.exit_code == 2 and "Traceback" not in checked.output


def test_audit_verify_with_a_checkpoint_proves_the_prefix(home: Path) -> None:
    out = _cli_platform(home)
    checked = runner.invoke(app, ["admin", "audit-verify", "--checkpoint", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "checkpoint of entry 2 holds" in checked.output


def test_an_unusable_audit_key_is_a_clear_error_not_a_traceback(home: Path) -> None:
    kompas = Path(sys.executable).with_name("kompas")
    done = subprocess.run([str(kompas), "admin", "init"], capture_output=True, text=True, check=False,
                          env={**os.environ, "KOMPAS_HOME": str(home), "KOMPAS_AUDIT_KEY": "too short"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "KOMPAS_AUDIT_KEY is shorter than 32" in done.stderr and "Kompas bug" not in done.stderr


def test_the_server_refuses_to_start_without_a_usable_audit_key(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(args))
    monkeypatch.setenv("KOMPAS_AUDIT_KEY", "too short")
    monkeypatch.setenv("KOMPAS_DB", f"sqlite:///{home / 'kompas.db'}")  # serve sets it: restored after the test
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2 and not started
    assert "KOMPAS_AUDIT_KEY is shorter than 32" in result.output


def _drop_audit_triggers(engine: Engine) -> None:
    """The attacker of the review: write access to the database (not the key), so also to its triggers."""
    with engine.begin() as connection:
        if engine.url.get_backend_name() == "sqlite":
            for (name,) in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                    "AND tbl_name = 'audit'")).all():
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        else:
            connection.execute(text("ALTER TABLE audit DISABLE TRIGGER USER"))


def test_cutting_off_the_tail_and_moving_the_head_back_fails(engine: Engine) -> None:
    """Review finding (a): delete the last entries and set the head to the new last one."""
    _drop_audit_triggers(engine)
    with engine.begin() as connection:
        kept = connection.execute(select(AuditEntry.hash).where(AuditEntry.seq == 2)).scalar_one()
        connection.execute(text("DELETE FROM audit WHERE seq > 2"))
        connection.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=2, hash=kept))
    result = audit.verify(engine)
    assert not result.ok and result.broken_at == 3 and "head altered or cut short" in result.reason, result


def test_rewriting_the_history_unkeyed_past_the_boundary_fails(engine: Engine) -> None:
    """Review finding (b): replace every entry with unkeyed SHA-256 ones and move keyed_from past them."""
    _drop_audit_triggers(engine)
    prev = audit.GENESIS
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit"))
        for seq in (1, 2, 3):
            fields = (seq, now_utc(), "mallory", "read", "nothing", "ok", "")
            digest = audit.entry_hash(prev, *fields)
            connection.execute(insert(AuditEntry).values(seq=seq, time_utc=fields[1], actor="mallory", action="read",
                                                         target="nothing", outcome="ok", detail="",
                                                         prev_hash=prev, hash=digest))
            prev = digest
        for mac in ("keep", None):  # the old MAC left in place, then removed
            values: dict[str, object] = {"seq": 3, "hash": prev, "keyed_from": 4}
            if mac is None:
                values["mac"] = None
            connection.execute(update(AuditHead).where(AuditHead.id == 1).values(**values))
    result = audit.verify(engine)
    assert not result.ok and "head altered or cut short" in result.reason, result
    audit.append(engine, "ann", "read", "item 4")  # a genuine append must not vouch for the forged head
    result = audit.verify(engine)
    assert not result.ok and "head altered or cut short" in result.reason, result


def test_a_new_database_has_a_sealed_head(kind: str, tmp_path: Path) -> None:
    for url in _database(kind, tmp_path):
        engine = make_engine(url)
        with engine.connect() as connection:
            head = connection.execute(select(AuditHead).where(AuditHead.id == 1)).one()
        assert head.mac == audit.head_mac(audit.audit_key(create=False), 0, audit.GENESIS, 1)
        assert audit.verify(engine).ok
        engine.dispose()


def test_a_long_user_name_does_not_break_the_chain(tmp_path, monkeypatch) -> None:
    """Review of issue 18 #14: the hash covered the whole actor and action but the row kept only their first 100
    and 64 characters, so one entry with a long user name broke verification (and checkpoints) for good."""
    from kompas.core import audit as audit_module
    from kompas.core.db import make_engine, upgrade

    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'long.db'}"
    upgrade(url)
    engine = make_engine(url)
    audit_module.append(engine, "u" * 150, "a" * 80, "t" * 400, "ok", "detail")
    audit_module.append(engine, "short", "read", "x")
    found = audit_module.verify(engine)
    assert found.ok and found.entries >= 2, found
