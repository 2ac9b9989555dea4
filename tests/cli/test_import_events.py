"""`kompas admin import-events` and `admin screen` as a new user tried them: an event without a usable id, an
organisation that does not exist, a file that is not a list, and an empty store are refused with a clear message
(found by trying the commands from a fresh clone)."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from kompas.cli import app
from kompas.space.events import from_manoeuvre, to_json
from kompas.space.manoeuvres import Manoeuvre

runner = CliRunner()


def _events(tmp_path, count: int = 2) -> list[dict]:
    t0 = np.datetime64("2026-04-30T07:33:34", "ns")
    items = [from_manoeuvre(Manoeuvre(48274 + n, f"OBJECT {n}", t0, t0 + np.timedelta64(29, "h"), t0, 0.25,
                                      (0.0, 0.25, 0.0), "along-track", 0.87,
                                      {"da_m": 444.5, "de": 2e-5, "dh_deg": 0.001, "ratio_to_threshold": 8.9}))
             for n in range(count)]
    return json.loads(to_json(items))


def test_an_event_without_a_uuid_is_rejected_and_the_others_stored(home, tmp_path) -> None:
    items = _events(tmp_path)
    items[1]["id"] = ""
    path = tmp_path / "events.json"
    path.write_text(json.dumps(items))
    result = runner.invoke(app, ["admin", "import-events", str(path), "--org", "NL-NSO"])
    assert result.exit_code == 1, result.output
    assert f"{path}: item 2: id: must be a UUID" in result.output and "1 new events stored" in result.output


def test_an_unknown_organisation_is_refused(home, tmp_path) -> None:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(_events(tmp_path)))
    result = runner.invoke(app, ["admin", "import-events", str(path), "--org", "XX-NONE"])
    assert result.exit_code == 2 and "organisation 'XX-NONE' does not exist" in result.output, result.output


def test_a_file_that_is_not_a_list_is_refused_as_unreadable(home, tmp_path) -> None:
    path = tmp_path / "events.json"
    path.write_text('{"a": 1}')
    result = runner.invoke(app, ["admin", "import-events", str(path), "--org", "NL-NSO"])
    assert result.exit_code == 2 and "not a JSON list of events" in result.output, result.output


def test_screening_an_empty_store_says_what_to_do(home) -> None:
    result = runner.invoke(app, ["admin", "screen", "--days", "0.1"])
    assert result.exit_code == 1 and "no element sets are stored" in result.output, result.output
