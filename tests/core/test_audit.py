"""The audit chain under concurrent writers, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select

from kompas.core import audit
from kompas.core.models import AuditEntry


def test_concurrent_appends_keep_one_unbroken_chain(engine: Engine) -> None:
    with engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditEntry))

    def burst(worker: int) -> list[int]:
        return [audit.append(engine, f"worker-{worker}", "read", f"item {k}") for k in range(25)]

    with ThreadPoolExecutor(4) as pool:
        seqs = [s for part in pool.map(burst, range(4)) for s in part]
    assert sorted(seqs) == list(range(before + 1, before + 101))  # none lost, none duplicated
    result = audit.verify(engine)
    assert result.ok and result.entries == before + 100, result.reason


def test_entry_hash_depends_on_every_field() -> None:
    base = ("0" * 64, 1, "2026-01-01T00:00:00.000000000Z", "ann", "read", "objects", "ok", "")
    digests = {audit.entry_hash(*base)}
    for k, changed in enumerate(["1" * 64, 2, "2026-01-01T00:00:00.000000001Z", "bob", "write", "x", "denied", "!"]):
        digests.add(audit.entry_hash(*base[:k], changed, *base[k + 1:]))
    assert len(digests) == 9
