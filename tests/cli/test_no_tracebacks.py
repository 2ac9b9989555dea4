"""Every command, given what a hostile new user types (missing files, folders where files are expected, empty and
binary files, bad dates, unknown users, unusable databases, unwritable outputs), ends with a one-line reason
naming the problem and a non-zero exit status: never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from tests.conftest import SAMPLE_TLE

runner = CliRunner()
UNREACHABLE_PG = "postgresql+psycopg://nobody@127.0.0.1:1/kompas"  # port 1: refused at once


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh $KOMPAS_HOME and a folder of bad inputs: empty, binary, a CSV of nothing useful, a regular file
    standing where a folder should be, an empty folder."""
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    (tmp_path / "plain").write_text("a file, not a folder\n")
    (tmp_path / "nothing").mkdir()
    return tmp_path


def _flat(text: str) -> str:
    """Output without Rich's box drawing and line wrapping, so a message split over lines is found whole."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", text))


CASES: list[tuple[str, Callable[[Path], list[str]], str]] = [
    # databases
    ("sqlite file under a regular file", lambda d: ["admin", "init", "--db", f"sqlite:///{d}/plain/x/kompas.db"],
     "cannot create the folder"),
    ("URL that does not parse", lambda d: ["db", "upgrade", "--db", "notaurl"], "is not a database URL"),
    ("unknown database kind", lambda d: ["db", "upgrade", "--db", "oracle9://u@h/db"], "unknown database kind"),
    ("unreachable PostgreSQL, init", lambda d: ["admin", "init", "--db", UNREACHABLE_PG], "cannot open the database"),
    ("unreachable PostgreSQL, add-org", lambda d: ["admin", "add-org", "NL", "--country", "NL", "--db",
                                                   UNREACHABLE_PG], "cannot open the database"),
    ("unreachable PostgreSQL, audit", lambda d: ["admin", "audit-verify", "--db", UNREACHABLE_PG],
     "cannot open the database"),
    ("unknown organisation", lambda d: ["admin", "add-user", "bob", "--org", "NOPE", "--clearance", "SECRET"],
     "does not exist"),
    ("admin screen, bad start", lambda d: ["admin", "screen", "--start", "yesterday"], "not an ISO 8601 UTC time"),
    ("admin screen, binary primaries", lambda d: ["admin", "screen", "--primaries", str(d / "binary.bin")],
     "is not a NORAD id"),
    ("admin screen, missing primaries file", lambda d: ["admin", "screen", "--primaries", str(d / "ids.txt")],
     "no such file"),
    # space
    ("ingest a missing file", lambda d: ["space", "ingest", str(d / "missing.tle")], "no such file or folder"),
    ("ingest an empty folder", lambda d: ["space", "ingest", str(d / "nothing")], "holds no data files"),
    ("catalog glob matching nothing", lambda d: ["space", "propagate", "--catalog", str(d / "snap" / "*.tle"),
                                                 "--start", "2026-05-05", "--end", "2026-05-05T01:00"],
     "no file matches"),
    ("bad start time", lambda d: ["space", "propagate", "--catalog", str(SAMPLE_TLE), "--start", "2026-13-01",
                                  "--end", "2026-05-05"], "not an ISO 8601 UTC time"),
    ("--out is a folder", lambda d: ["space", "propagate", "--catalog", str(SAMPLE_TLE), "--start", "2026-05-05",
                                     "--end", "2026-05-05T00:01", "--out", str(d)], "a folder; give a file name"),
    ("--out under a regular file", lambda d: ["space", "screen", "--catalog", str(SAMPLE_TLE), "--out",
                                              str(d / "plain" / "x.csv")], "cannot create the folder"),
    ("--cdm-dir is a file", lambda d: ["space", "screen", "--catalog", str(SAMPLE_TLE), "--cdm-dir",
                                       str(d / "plain")], "a file, not a folder"),
    ("binary primaries", lambda d: ["space", "screen", "--catalog", str(SAMPLE_TLE), "--primaries",
                                    str(d / "binary.bin")], "is not a NORAD id"),
    ("binary HBR table", lambda d: ["space", "screen", "--catalog", str(SAMPLE_TLE), "--hbr-table",
                                    str(d / "binary.bin")], "binary data"),
    ("CSV that is no HBR table", lambda d: ["space", "screen", "--catalog", str(SAMPLE_TLE), "--hbr-table",
                                            str(d / "other.csv")], "not a CARA HBR table"),
    ("empty catalogue for events", lambda d: ["space", "events", "--catalog", str(d / "empty.txt")],
     "no element sets"),
    ("assets YAML is a folder", lambda d: ["space", "events", "--catalog", str(SAMPLE_TLE), "--assets", str(d)],
     "a folder, not a file"),
    ("empty events file", lambda d: ["space", "report", "--events", str(d / "empty.txt"), "--from", "2026-01-01",
                                     "--to", "2026-02-01"], "the file is empty"),
    ("binary events file", lambda d: ["space", "report", "--events", str(d / "binary.bin"), "--from",
                                      "2026-01-01", "--to", "2026-02-01"], "binary data"),
    ("CDMs: empty folder", lambda d: ["space", "pc", str(d / "nothing")], "holds no data files"),
    # observatory
    ("supply glob matching nothing", lambda d: ["observatory", "assess", "--data", str(d / "x" / "*.csv")],
     "no file matches"),
    ("binary config", lambda d: ["observatory", "assess", "--config", str(d / "binary.bin")], "binary data"),
    ("report --out is a folder", lambda d: ["observatory", "report", "--out", str(d)], "a folder; give a file name"),
    ("unknown user", lambda d: ["observatory", "assess", "--user", "nobody", "--out", str(d / "a.json")],
     "no user 'nobody'"),
    ("empty contribution", lambda d: ["observatory", "contribute", str(d / "empty.txt"), "--user", "x"],
     "the file is empty"),
    # compass
    ("register is a folder", lambda d: ["compass", "list", "--register", str(d)], "a folder, not a file"),
    ("impossible date", lambda d: ["compass", "list", "--as-of", "2026-02-30"], "not a date"),
    ("report --out under a file", lambda d: ["compass", "report", "--as-of", "2026-01-01", "--out",
                                             str(d / "plain" / "p.html")], "cannot create the folder"),
    ("binary evidence", lambda d: ["compass", "import-evidence", str(d / "binary.bin"), "--user", "x"],
     "binary data"),
    ("status by an unknown user", lambda d: ["compass", "set-status", "SC-001", "done", "--evidence", "x",
                                             "--user", "nobody"], "must name a platform user"),
    # fimi
    ("FIMI glob matching nothing", lambda d: ["fimi", "analyse", "--from", "2025-01-01", "--to", "2025-02-01",
                                              "--data", str(d / "*.json")], "no file matches"),
    ("FIMI binary data", lambda d: ["fimi", "analyse", "--from", "2025-01-01", "--to", "2025-02-01", "--data",
                                    str(d / "binary.bin")], "binary.bin"),
    ("FIMI bad date", lambda d: ["fimi", "analyse", "--from", "1 May", "--to", "2025-02-01"], "not a date"),
    ("FIMI validate on other data", lambda d: ["fimi", "validate", "--data", str(d / "other.csv")],
     "no EUvsDisinfo cases file"),
    ("FIMI ingest a missing file", lambda d: ["fimi", "ingest", str(d / "cases.csv"), "--user", "x"],
     "no such file or folder"),
]


@pytest.mark.parametrize(("argv", "reason"), [(argv, reason) for _, argv, reason in CASES],
                         ids=[name for name, _, _ in CASES])
def test_bad_input_ends_in_a_reason_not_a_traceback(files: Path, argv: Callable[[Path], list[str]],
                                                    reason: str) -> None:
    result = runner.invoke(app, argv(files))
    shown = _flat(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.output}")
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert reason in shown, result.output


def test_sqlite_database_in_a_missing_folder_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`KOMPAS_DB=sqlite:////somewhere/new/kompas.db kompas admin init` creates the folder (as $KOMPAS_HOME is),
    through the installed entry point: no OperationalError."""
    database = tmp_path / "nowhere" / "x" / "kompas.db"
    done = subprocess.run([sys.executable, "-c", "from kompas.cli import main; main()", "admin", "init"],
                          capture_output=True, text=True, timeout=120,
                          env={"KOMPAS_DB": f"sqlite:///{database}", "KOMPAS_HOME": str(tmp_path / "home"),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and database.is_file()
    assert f"initialised sqlite:///{database}" in done.stdout


def test_unreachable_database_through_the_entry_point(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "from kompas.cli import main; main()", "admin", "init", "--db",
                           UNREACHABLE_PG], capture_output=True, text=True, timeout=120,
                          env={"KOMPAS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot open the database {UNREACHABLE_PG}: "), lines


def test_a_fresh_sqlite_database_needs_no_init(files: Path) -> None:
    """A command on a database that does not exist yet gets the schema (SQLite), instead of 'no such table'."""
    result = runner.invoke(app, ["admin", "add-org", "NL-NSO", "--country", "NL"])
    assert result.exit_code == 0, result.output
    assert (files / "home" / "kompas.db").is_file()


@pytest.mark.parametrize(("error", "shown"), [
    (FileNotFoundError(2, "No such file or directory", "/x/y.tle"), "error: /x/y.tle: No such file or directory"),
    (ValueError("max() arg is an empty sequence"), "error: unexpected ValueError: max() arg is an empty sequence"),
])
def test_the_last_line_of_defence_prints_one_line(error: Exception, shown: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`kompas.cli.common.run_guarded` (the entry point's wrapper) turns an error no command expected into one
    line and exit status 1; KOMPAS_DEBUG=1 lets it through."""
    from kompas.cli.common import run_guarded

    def broken() -> None:
        raise error

    monkeypatch.delenv("KOMPAS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        run_guarded(broken)
    assert stopped.value.code == 1
    lines = " ".join(capsys.readouterr().err.split())
    assert lines.startswith(shown) and "Traceback" not in lines
    monkeypatch.setenv("KOMPAS_DEBUG", "1")
    with pytest.raises(type(error)):
        run_guarded(broken)


def test_postgresql_without_the_schema_or_behind_it_says_which_command(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """On a PostgreSQL database (KOMPAS_TEST_POSTGRES, as `.ci/run` sets it): no schema -> `kompas admin init`;
    an older schema -> `kompas db upgrade`; never 'relation does not exist'."""
    import os
    import uuid

    from sqlalchemy import create_engine, text

    server = os.environ.get("KOMPAS_TEST_POSTGRES")
    if not server:
        pytest.skip("needs KOMPAS_TEST_POSTGRES (a PostgreSQL server URL); .ci/run starts one and sets it")
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    name = f"kompas_test_cli_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        result = runner.invoke(app, ["admin", "add-org", "NL", "--country", "NL", "--db", url])
        assert result.exit_code == 2 and "has no Kompas schema: run `kompas admin init" in _flat(result.output)
        assert runner.invoke(app, ["admin", "init", "--db", url]).exit_code == 0
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        engine.dispose()
        result = runner.invoke(app, ["admin", "audit-verify", "--db", url])
        assert result.exit_code == 2 and "at schema revision 0001" in _flat(result.output)
        assert "run `kompas db upgrade`" in _flat(result.output)
    finally:
        from sqlalchemy.orm import close_all_sessions

        close_all_sessions()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
