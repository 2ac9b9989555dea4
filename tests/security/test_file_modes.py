"""Issue 18 #9: what Kompas creates on disk is private to its user (files 0600, folders 0700) whatever the umask:
the data folder, the SQLite database with its -wal and -shm, the audit and signing keys, and the files commands
export (reports, CDMs, CSV, JSON)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from kompas.cli import app
from kompas.core import audit
from kompas.core.db import make_engine, upgrade
from kompas.private import open_private, private_dir, write_private

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The usual default umask, under which plain open() and mkdir() make files anyone can read."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "new" / "home"
    monkeypatch.setenv("KOMPAS_HOME", str(path))
    for name in ("KOMPAS_DB", "KOMPAS_AUDIT_KEY", "KOMPAS_AUDIT_KEY_FILE", "KOMPAS_AUDIT_SIGNING_KEY"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_home_database_wal_shm_and_keys_are_private(home: Path) -> None:
    assert runner.invoke(app, ["admin", "init"]).exit_code == 0
    engine = make_engine(None)
    audit.append(engine, "ann", "read", "x")  # first keyed entry: the audit key is made
    with engine.connect() as connection:  # an open connection in WAL mode: -wal and -shm exist now
        connection.execute(text("SELECT count(*) FROM audit"))
        database = home / "kompas.db"
        made = [home, database, Path(f"{database}-wal"), Path(f"{database}-shm"), home / "audit.key"]
        assert all(p.exists() for p in made), [p for p in made if not p.exists()]
        assert mode(home) == 0o700
        assert {p.name: mode(p) for p in made[1:]} == {p.name: 0o600 for p in made[1:]}
    engine.dispose()
    assert runner.invoke(app, ["admin", "audit-public-key"]).exit_code == 0
    assert mode(home / "audit-signing.pem") == 0o600


def test_explicit_database_file_and_its_new_folder_are_private(tmp_path: Path, home: Path) -> None:
    database = tmp_path / "db" / "sub" / "kompas.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM audit"))
        assert {p.name: mode(p) for p in (database, Path(f"{database}-wal"), Path(f"{database}-shm"))} \
            == {"kompas.db": 0o600, "kompas.db-wal": 0o600, "kompas.db-shm": 0o600}
    engine.dispose()
    assert mode(database.parent) == 0o700 and mode(database.parent.parent) == 0o700


def test_a_database_left_world_readable_is_tightened_on_open(tmp_path: Path, home: Path) -> None:
    database = tmp_path / "old.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    database.chmod(0o644)
    engine = make_engine(url)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    assert mode(database) == 0o600


def test_private_helpers_set_the_mode_whatever_the_umask(tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == 0o700 and mode(folder) == 0o700
    assert mode(write_private(folder / "t.txt", "SECRET\n")) == 0o600
    assert mode(write_private(folder / "b.bin", b"\x00")) == 0o600
    old = folder / "old.csv"
    old.write_text("x")
    old.chmod(0o644)
    with open_private(old, "w", newline="") as handle:
        handle.write("a,b\n")
    assert mode(old) == 0o600 and old.read_text() == "a,b\n"


def test_exported_cdms_and_csv_are_private(tmp_path: Path, home: Path) -> None:
    from tests.conftest import SAMPLE_TLE

    out, cdms = tmp_path / "conj.csv", tmp_path / "cdms"
    result = runner.invoke(app, ["space", "screen", "--catalog", str(SAMPLE_TLE), "--days", "0.05",
                                 "--threshold-km", "10", "--out", str(out), "--cdm-dir", str(cdms)])
    assert result.exit_code in (0, 1), result.output
    assert mode(out) == 0o600 and mode(cdms) == 0o700
    written = list(cdms.glob("*.cdm"))
    assert written, "the sample screening should find at least one conjunction"
    assert {mode(p) for p in written} == {0o600}


def test_exported_report_is_private(tmp_path: Path, home: Path) -> None:
    out = tmp_path / "progress.html"
    result = runner.invoke(app, ["compass", "report", "--as-of", "2026-06-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600


def test_a_rewritten_file_is_a_new_file_and_no_symbolic_link_is_followed(tmp_path: Path) -> None:
    """Review of issue 18 #9: rewriting truncated the old file in place, so a handle opened while it was 0644 read
    the new (marked) content; and a symbolic link at the output path had its target overwritten."""
    from kompas.private import write_private

    old = tmp_path / "report.html"
    old.write_text("public draft")
    old.chmod(0o644)
    with old.open() as reader:
        write_private(old, "SECRET marked content")
        assert reader.read() == "public draft"  # the old file, not the new content
    assert old.read_text() == "SECRET marked content" and stat.S_IMODE(old.stat().st_mode) == 0o600
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    with pytest.raises(OSError, match="symbolic link"):
        write_private(link, "x")
    assert target.read_text() == "keep me"
    write_private("/dev/null", "special files are written to as they are")
