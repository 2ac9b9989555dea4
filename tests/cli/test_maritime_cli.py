"""`kompas maritime` as a user runs it: decoding the Danish Maritime Authority's labelled FRIO recording, screening
it (FRIO's drift, with its evidence), every output format (STIX checked by the OASIS validator), a contributed
GeoJSON asset raising an alert, and bad input ending in one line: never a traceback.

The DMA recordings are LGPL-3.0 data read from ../shared only ("Contains data from the Danish Maritime Authority
that is used in accordance with the conditions for the use of Danish public data."); the tests skip without it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from tests.conftest import REPO

runner = CliRunner()
MARITIME = REPO.parent / "shared" / "data" / "maritime"
FRIO = MARITIME / "dma_aisabnormal_events" / "538004030_drift_1.ais"


@pytest.fixture(scope="module")
def frio() -> Path:
    if not FRIO.is_file():
        pytest.skip(f"the DMA's labelled FRIO recording is read from {FRIO} only (LGPL data; clone ../shared beside "
                    "the repository)")
    return FRIO


def test_ingest_counts_what_it_read(frio: Path, tmp_path: Path) -> None:
    """PROVENANCE.md: 5,475 sentences -> 5,252 messages, 4,975 of type 1; the $PSTT receiver status lines are
    counted as other NMEA, not lost."""
    out = tmp_path / "rejected.csv"
    result = runner.invoke(app, ["maritime", "ingest", str(frio), "--format", "json", "--rejections", str(out)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    counts = found["counts"]
    assert (counts["sentences"], counts["messages"], counts["type 1"]) == (5475, 5252, 4975)
    assert counts["other NMEA sentences"] == 80
    assert counts["tracks"] == 1 and counts["fixes"] > 900
    assert out.is_file() and next(csv.reader(out.open()))[:4] == ["source", "line", "field", "reason"]


def test_detect_finds_frios_drift_with_evidence(frio: Path) -> None:
    result = runner.invoke(app, ["maritime", "detect", str(frio), "--format", "json", "--assets", "none"])
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    drifts = [e for e in events if e["type"] == "drift" and e["mmsi"] == 538004030]
    assert len(drifts) == 1, [e["type"] for e in events]
    drift = drifts[0]
    assert drift["start_utc"] <= "2014-09-28T16:50:04.556Z" <= drift["end_utc"]  # the DMA test's expected start
    assert set(("type", "mmsi", "start_utc", "end_utc", "lat", "lon", "asset", "evidence")) <= set(drift)
    assert len(drift["evidence"]) >= 10 and all(1.0 <= row["sog_kn"] <= 5.0 for row in drift["evidence"])
    assert drift["vessel"]["name"] == "FRIO"


def test_every_format(frio: Path) -> None:
    base = ["maritime", "detect", str(frio), "--assets", "none", "--only", "drift"]
    csv_out = runner.invoke(app, [*base, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert csv_out.exit_code == 0 and len(rows) == 1 and rows[0]["type"] == "drift"
    assert list(rows[0]) == ["type", "mmsi", "start_utc", "end_utc", "lat", "lon", "asset", "evidence"]
    geo = json.loads(runner.invoke(app, [*base, "--format", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] == "LineString"
    cise = json.loads(runner.invoke(app, [*base, "--format", "cise"]).stdout)
    anomaly = cise["Payload"]["Anomaly"][0]
    assert anomaly["KompasType"] == "drift" and anomaly["InvolvedObjectRel"][0]["Vessel"]["MMSI"] == 538004030
    assert anomaly["PeriodOfTime"]["StartDate"] < anomaly["PeriodOfTime"]["EndDate"]
    stix = runner.invoke(app, [*base, "--format", "stix"])
    assert stix.exit_code == 0, stix.output
    from stix2validator import ValidationOptions, validate_instance

    bundle = json.loads(stix.stdout)
    assert any(o["type"] == "incident" and o["x_kompas_domain"] == "maritime" for o in bundle["objects"])
    report = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert report.is_valid, report.errors


def test_a_contributed_asset_raises_an_alert(frio: Path, tmp_path: Path) -> None:
    """A line drawn through FRIO's drift off Gothenburg (an illustrative pipeline) is named by the alert."""
    asset = tmp_path / "pipe.geojson"
    asset.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Illustrative pipe", "accuracy_km": 0.5},
         "geometry": {"type": "LineString", "coordinates": [[11.30, 57.80], [11.34, 57.84]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [11, 57]}}]}))
    result = runner.invoke(app, ["maritime", "detect", str(frio), "--assets", str(asset), "--alerts", "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.stdout)
    assert [a["type"] for a in alerts] == ["drift"] and alerts[0]["asset"] == "Illustrative pipe"
    assert "item 2: name: a feature without a name" in result.stderr


@pytest.mark.parametrize(("argv", "expected"), [
    (["maritime", "ingest", "/nonexistent/ais.nmea"], "no such file"),
    (["maritime", "detect", "{tmp}/ais.nmea", "--format", "xml"], "expected table"),
    (["maritime", "detect", "{tmp}/ais.nmea", "--only", "piracy"], "unknown piracy"),
    (["maritime", "detect", "{tmp}/ais.nmea", "--assets", "{tmp}/none.geojson"], "no such file"),
    (["maritime", "detect", "{tmp}/ais.nmea", "--assets", "{tmp}/ais.nmea"], "no asset could be read"),
])
def test_bad_input_is_one_line(argv: list[str], expected: str, tmp_path: Path) -> None:
    (tmp_path / "ais.nmea").write_text("!AIVDM,1,1,,B,15NBj>PP1gG>1PVKTDTUJOv00<0M,0*09\n")
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 40, b"a,b\n1,2\n", b"!AIVDM,9,9,,,,*00\n" * 3])
def test_bad_files_are_reported_not_crashed(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["maritime", "ingest", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output  # nothing usable: reported, and the exit status says so
    assert "no AIS message could be read" in result.stderr
    found = json.loads(result.stdout)
    assert found["rejections_total"] >= 1 and found["counts"].get("messages", 0) == 0
    assert all(r["source"] == str(path) and r["reason"] for r in found["rejections"])


def test_withdrawing_nothing_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    for argv in (["admin", "init"], ["admin", "add-org", "DK-DMA", "--country", "DK"],
                 ["admin", "add-user", "ana", "--org", "DK-DMA", "--clearance", "SECRET"]):
        assert runner.invoke(app, argv).exit_code == 0
    result = runner.invoke(app, ["maritime", "withdraw", "--user", "ana", "--source", "never-sent"])
    assert result.exit_code == 2 and "nothing withdrawn" in result.output
    wrong = runner.invoke(app, ["maritime", "ingest", str(tmp_path), "--user", "ana"])
    assert wrong.exit_code == 2 and "--user is for --contribute" in wrong.output
    backwards = runner.invoke(app, ["maritime", "screen", "--start", "2014-10-05T00:00:00Z", "--end",
                                    "2014-10-01T00:00:00Z"])
    assert backwards.exit_code == 2 and "ends before it starts" in backwards.output
