"""Events as data: the JSON file validates against the documented schema; ids are stable; the command works."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.space.events import SCHEMA, from_manoeuvre, to_json, with_owners
from kompas.space.manoeuvres import Manoeuvre

T0 = np.datetime64("2026-04-30T07:33:34.460352", "ns")


def _manoeuvre(dv: float = 0.25) -> Manoeuvre:
    return Manoeuvre(48274, "CSS (TIANHE)", T0, T0 + np.timedelta64(29, "h"), T0 + np.timedelta64(2, "h"), dv,
                     (0.0, dv, 0.0), "along-track", 0.87, {"da_m": np.float64(444.5)})


def test_events_json_follows_the_schema_and_ids_are_stable() -> None:
    events = with_owners([from_manoeuvre(_manoeuvre()), from_manoeuvre(_manoeuvre(6.0))], {48274: "PRC"})
    data = json.loads(to_json(events))
    jsonschema.validate(data, SCHEMA)
    assert data[0]["id"] == from_manoeuvre(_manoeuvre()).id  # same type, object and time: same id
    assert [e["severity"] for e in data] == ["low", "high"] and data[0]["owners"] == {"48274": "PRC"}
    assert data[0]["epoch_utc"] == "2026-04-30T09:33:34.460Z" and data[0]["evidence"]["da_m"] == 444.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**data[0], "confidence": 1.5}], SCHEMA)


@pytest.mark.shared
@pytest.mark.slow
def test_events_command_on_a_week_of_snapshots(shared_space, tmp_path) -> None:
    files = sorted(shared_space.glob("active_2026-04-2*.tle"))
    out = tmp_path / "events.json"
    argv = ["space", "events", *sum((["--catalog", str(f)] for f in files), []), "--since",
            "2026-04-25T00:00:00Z", "--out", str(out)]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data and all(e["epoch_utc"] >= "2026-04-25" for e in data)
    assert "manoeuvre" in result.output
