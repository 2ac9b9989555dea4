"""Events as data: the JSON file validates against the documented schema; ids are stable; the command works."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.space.events import SCHEMA, check, from_manoeuvre, to_json, with_owners
from kompas.space.manoeuvres import Manoeuvre

T0 = np.datetime64("2026-04-30T07:33:34.460352", "ns")


def _manoeuvre(dv: float = 0.25) -> Manoeuvre:
    return Manoeuvre(48274, "CSS (TIANHE)", T0, T0 + np.timedelta64(29, "h"), T0 + np.timedelta64(2, "h"), dv,
                     (0.0, dv, 0.0), "along-track", 0.87,
                     {"da_m": np.float64(444.5), "de": 2e-5, "dh_deg": 0.001, "ratio_to_threshold": 8.9})


def test_events_json_follows_the_schema_and_ids_are_stable() -> None:
    events = with_owners([from_manoeuvre(_manoeuvre()), from_manoeuvre(_manoeuvre(6.0))], {48274: "PRC"})
    data = json.loads(to_json(events))
    jsonschema.validate(data, SCHEMA)
    assert data[0]["id"] == from_manoeuvre(_manoeuvre()).id  # same type, object and time: same id
    assert [e["severity"] for e in data] == ["low", "high"] and data[0]["owners"] == {"48274": "PRC"}
    assert data[0]["epoch_utc"] == "2026-04-30T09:33:34.460Z" and data[0]["evidence"]["da_m"] == 444.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**data[0], "confidence": 1.5}], SCHEMA)


def test_malformed_events_are_reported_by_item_and_field() -> None:
    good = from_manoeuvre(_manoeuvre()).as_dict()
    items = [good, {**good, "confidence": 2}, {k: v for k, v in good.items() if k != "epoch_utc"},
             {**good, "norad_ids": ["x"]}, {**good, "start_utc": "yesterday"}, "junk",
             {**good, "evidence": {**good["evidence"], "delta_v_m_s": "large"}},
             {**good, "type": "proximity"}]
    kept, problems = check(items, "e.json")
    assert kept == [good]
    assert [str(p) for p in problems] == [  # kompas.rejections.Rejection, unit "item"
                        "e.json: item 2: confidence: not a number in 0..1", "e.json: item 3: epoch_utc: missing",
                        "e.json: item 4: norad_ids: not a non-empty list of positive integers",
                        "e.json: item 5: start_utc: not a UTC time like 2026-05-01T12:00:00.000Z",
                        "e.json: item 6: -: not an object", "e.json: item 7: evidence.delta_v_m_s: not a JSON number",
                        "e.json: item 8: evidence.asset: missing (a proximity event needs it)"]
    assert (problems[0].line, problems[0].field, problems[0].value) == (2, "confidence", "2")
    with pytest.raises(jsonschema.ValidationError):  # the schema says the same
        jsonschema.validate([items[7]], SCHEMA)
    assert [str(p) for p in check({"not": "a list"})[1]] == ["events: not a JSON list of events"]


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


def test_two_detections_with_the_same_burn_time_keep_distinct_ids() -> None:
    """Issue 17: the pairs on both sides of one element set both put their burn at that set's epoch (the search
    stops at the window's edge); they are two detections (other windows, other delta-v) and get two ids."""
    middle = T0 + np.timedelta64(29, "h")
    before = Manoeuvre(56331, "STARLINK-5991", T0, middle, middle, 0.31, (0.0, 0.31, 0.0), "along-track", 0.96)
    after = Manoeuvre(56331, "STARLINK-5991", middle, middle + np.timedelta64(22, "h"), middle, 0.14,
                      (0.0, -0.14, 0.0), "along-track", 0.57)
    first, second = from_manoeuvre(before), from_manoeuvre(after)
    assert first.epoch_utc == second.epoch_utc and first.norad_ids == second.norad_ids
    assert first.id != second.id
    assert from_manoeuvre(before).id == first.id  # still stable
    assert first.key() == ("manoeuvre|56331|2026-04-30T07:33:34.460Z|2026-05-01T12:33:34.460Z|"
                           "2026-05-01T12:33:34.460Z")


# Objects whose manoeuvres shared a type, object and burn epoch in the 04-20 and 04-24..05-05 snapshots (issue 17).
SHARED_BURN_EPOCH = (56331, 55153, 55490, 57151, 53059, 65886, 53017, 68638, 49729, 28702, 68643, 55284)


@pytest.mark.shared
@pytest.mark.slow
def test_manoeuvre_ids_are_unique_on_the_history_that_repeated_them(shared_space) -> None:
    """Regression (issue 17): `kompas space events` on active_2026-04-20 and 04-24..05-05 gave 12 duplicate ids,
    each two manoeuvres of one object from consecutive element-set pairs with the burn at the shared set's epoch.
    Each object's noise is its own (13+ sets each), so detecting on these objects alone finds the same pairs."""
    from kompas.files import load_catalog
    from kompas.space.manoeuvres import detect

    files = [shared_space / "active_2026-04-20.tle"] + sorted(
        f for f in shared_space.glob("active_2026-*.tle") if "2026-04-24" <= f.stem[7:] <= "2026-05-05")
    assert len(files) == 13
    catalog, _ = load_catalog(files)
    found = [from_manoeuvre(m) for m in detect(catalog[n].history for n in SHARED_BURN_EPOCH)]
    same_time: dict[tuple, int] = {}
    for e in found:
        same_time[(e.norad_ids, e.epoch_utc)] = same_time.get((e.norad_ids, e.epoch_utc), 0) + 1
    assert sum(n > 1 for n in same_time.values()) == 12  # the twelve pairs are still detected, burn epochs shared
    assert len({e.id for e in found}) == len(found)
