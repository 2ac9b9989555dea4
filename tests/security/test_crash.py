"""kill -9 during an import: the `kompas fimi ingest` command line, in a subprocess on a temp database, is SIGKILLed
while its write transaction is open (SQLite: the rollback journal or WAL holds data; PostgreSQL: a session of the
database holds a transaction id, i.e. has written). Afterwards the database opens, the import is all or nothing, the
same import run again completes, and `kompas admin audit-verify` passes (the command line is used, so this tests
whatever audit becomes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from kompas.core.db import make_engine, upgrade
from kompas.core.models import FimiIncidentRecord
from kompas.core.store import Store

KOMPAS = Path(sys.executable).parent / "kompas"
INCIDENTS = 1000


def _kompas(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KOMPAS), *args], capture_output=True, text=True, env=env)


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(FimiIncidentRecord)) or 0
    finally:
        engine.dispose()


class Writing:
    """Whether an import into ``url`` has an open transaction that wrote something (call it); ``close()`` after."""

    def __init__(self, url: str, folder: Path) -> None:
        self.journals = [folder / "kompas.db-journal", folder / "kompas.db-wal"]
        self.engine = None if url.startswith("sqlite") else create_engine(url)

    def __call__(self) -> bool:
        if self.engine is None:
            return any(j.exists() and j.stat().st_size for j in self.journals)
        with self.engine.connect() as connection:
            return bool(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND backend_xid IS NOT NULL "
                "AND pid <> pg_backend_pid()"), {"name": self.engine.url.database}))

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_killed_import_is_all_or_nothing_and_the_audit_still_verifies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_database: Callable[[str], str], kind: str) -> None:
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))  # the same audit key in this process and the commands
    url = f"sqlite:///{tmp_path / 'kompas.db'}" if kind == "sqlite" else new_database(kind)
    if kind == "sqlite":
        upgrade(url)
    monkeypatch.setenv("KOMPAS_DB", url)
    env = dict(os.environ)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_user("ann", "NL-NSO", "SECRET")
    store.engine.dispose()
    source = tmp_path / "incidents.json"
    source.write_text(json.dumps([{
        "ref": f"c{k}", "title": f"Story number {k} about topic {k * 7919 % 100003} and place {k}",
        "first_seen": f"20{10 + k % 12}-{1 + k % 12:02d}-{1 + k % 27:02d}", "targets": [{"name": "Latvia"}],
        "evidence": [{"url": f"https://example.org/{k}"}]} for k in range(INCIDENTS)]))
    writing = Writing(url, tmp_path)
    killed = 0
    for delay in (0.0, 1.0):  # after the write transaction opened: at once, and later into it
        process = subprocess.Popen([str(KOMPAS), "fimi", "ingest", str(source), "--user", "ann"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and not writing():
            time.sleep(0.002)
        if delay:
            time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
        stored = _count(url)
        assert stored in (0, INCIDENTS), f"a killed import left {stored} of {INCIDENTS} incidents"
        if stored:
            break
    writing.close()
    verified = _kompas(env, "admin", "audit-verify")  # the database opens and the chain holds after the kills
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert killed, "the import finished before it could be killed: make it bigger"
    again = _kompas(env, "fimi", "ingest", str(source), "--user", "ann")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _count(url) == INCIDENTS
    verified = _kompas(env, "admin", "audit-verify")
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout + verified.stderr
