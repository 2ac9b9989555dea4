"""`kompas admin` and `kompas db` as an administrator runs them, on SQLite in $KOMPAS_HOME; audit tampering."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.core.store import Store

runner = CliRunner()


def test_add_user_prints_a_working_token_last(home) -> None:
    result = runner.invoke(app, ["admin", "add-user", "ann", "--org", "NL-NSO", "--clearance", "SECRET",
                                 "--community", "sst", "--community", "geo-watch"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    from kompas.core.db import make_engine

    account = Store(make_engine(f"sqlite:///{home / 'kompas.db'}")).authenticate(token)
    assert account is not None and account.viewer.communities == {"sst", "geo-watch"}
    assert account.viewer.clearance.name == "SECRET" and account.viewer.country == "NL"


def test_bad_admin_input_is_refused_with_a_reason(home) -> None:
    for argv, reason in [(["admin", "add-user", "x", "--org", "XX", "--clearance", "SECRET"], "does not exist"),
                         (["admin", "add-user", "x", "--org", "NL-NSO", "--clearance", "COSMIC"], "unknown"),
                         (["admin", "add-org", "FR", "--country", "France"], "ISO 3166"),
                         (["admin", "add-org", "NL-NSO", "--country", "NL"], "already exists")]:
        result = runner.invoke(app, argv)
        assert result.exit_code == 2 and reason in result.output, (argv, result.output)


def test_db_upgrade_is_idempotent(home) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0


def _tamper(home, *statements: str) -> None:
    """What someone with write access to the database file could do (dropping the append-only triggers)."""
    connection = sqlite3.connect(home / "kompas.db")
    connection.execute("DROP TRIGGER audit_no_update")
    connection.execute("DROP TRIGGER audit_no_delete")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_audit_verify_passes_on_an_intact_chain(home) -> None:
    result = runner.invoke(app, ["admin", "audit-verify"])
    assert result.exit_code == 0 and "audit chain intact: 2 entries" in result.output


def test_audit_log_refuses_updates_and_deletes(home) -> None:
    connection = sqlite3.connect(home / "kompas.db")
    for statement in ("UPDATE audit SET actor = 'eve'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(statement)
    connection.close()


@pytest.mark.parametrize(("statements", "reason"), [
    (["UPDATE audit SET actor = 'eve' WHERE seq = 1"], "entry altered"),
    (["DELETE FROM audit WHERE seq = 1"], "sequence jumps"),
    (["DELETE FROM audit WHERE seq = 2"], "removed from the end"),
    (["UPDATE audit SET detail = 'x', hash = 'f' WHERE seq = 2"], "entry altered"),
])
def test_audit_verify_detects_tampering(home, statements: list[str], reason: str) -> None:
    _tamper(home, *statements)
    result = runner.invoke(app, ["admin", "audit-verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output and reason in result.output, result.output


def test_import_events_stores_them_once_under_the_marking(home, tmp_path) -> None:
    import numpy as np

    from kompas.core.db import make_engine
    from kompas.core.markings import Classification, Viewer
    from kompas.space.events import from_manoeuvre, to_json
    from kompas.space.manoeuvres import Manoeuvre

    t0 = np.datetime64("2026-04-30T07:33:34", "ns")
    event = from_manoeuvre(Manoeuvre(48274, "CSS (TIANHE)", t0, t0 + np.timedelta64(29, "h"), t0, 0.25,
                                     (0.0, 0.25, 0.0), "along-track", 0.87,
                                     {"da_m": 444.5, "de": 2e-5, "dh_deg": 0.001, "ratio_to_threshold": 8.9}))
    path = tmp_path / "events.json"
    path.write_text(to_json([event]))
    argv = ["admin", "import-events", str(path), "--org", "NL-NSO", "--classification", "RESTRICTED",
            "--community", "sst"]
    assert "1 new events stored" in runner.invoke(app, argv).output
    assert "0 new events stored" in runner.invoke(app, argv).output
    store = Store(make_engine(f"sqlite:///{home / 'kompas.db'}"))
    member = Viewer(Classification.RESTRICTED, "NL-NSO", "NL", frozenset({"sst"}))
    outsider = Viewer(Classification.SECRET, "NL-NSO", "NL", frozenset())
    (stored,) = store.events(member).items
    assert stored["id"] == event.id and stored["kind"] == "manoeuvre" and stored["norad_ids"] == [48274]
    assert stored["marking"]["originators"] == ["NL-NSO"] and store.events(outsider).items == []
