"""The commands as a user runs them: exit codes, the exact CSV header, rejection lines, the main job."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kompas.cli import app
from tests.conftest import SAMPLE_TLE

runner = CliRunner()


def test_ingest_clean_file_exits_0():
    result = runner.invoke(app, ["space", "ingest", str(SAMPLE_TLE)])
    assert result.exit_code == 0, result.output
    assert f"{SAMPLE_TLE}: tle: 615 accepted, 0 rejected" in result.output


def test_ingest_reports_every_rejection_and_exits_1(tmp_path):
    lines = SAMPLE_TLE.read_text().splitlines()
    lines[1] = lines[1][:-1] + str((int(lines[1][-1]) + 1) % 10)  # checksum of record 1
    lines[5] = lines[5][:26] + "9999999" + lines[5][33:]          # eccentricity of record 2 (and checksum)
    bad = tmp_path / "bad.tle"
    bad.write_text("\n".join(lines))
    result = runner.invoke(app, ["space", "ingest", str(bad), "--out", str(tmp_path / "cat.json")])
    assert result.exit_code == 1
    assert f"{bad}: tle: 613 accepted, 2 rejected" in result.output
    assert f"{bad}:2: line 1 checksum: " in result.output
    assert f"{bad}:6: line 2 checksum: " in result.output
    assert len(json.loads((tmp_path / "cat.json").read_text())) == 613


def test_propagate_csv(tmp_path):
    out = tmp_path / "states.csv"
    result = runner.invoke(app, ["space", "propagate", "--catalog", str(SAMPLE_TLE), "--ids", "25118,900",
                                 "--start", "2026-05-05T00:00:00Z", "--end", "2026-05-05T00:10:00Z",
                                 "--step", "60", "--frame", "gcrs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text().splitlines()
    assert text[0] == "norad_id,time_utc,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s"
    rows = list(csv.DictReader(text))
    assert len(rows) == 22 and {r["norad_id"] for r in rows} == {"900", "25118"}
    assert rows[0]["time_utc"] == "2026-05-05T00:00:00.000Z" and rows[10]["time_utc"] == "2026-05-05T00:10:00.000Z"
    r = np.array([[float(x[k]) for k in ("x_km", "y_km", "z_km")] for x in rows])
    assert (np.linalg.norm(r, axis=1) > 6500).all() and (np.linalg.norm(r, axis=1) < 8500).all()


def test_propagate_to_stdout_and_unknown_id():
    result = runner.invoke(app, ["space", "propagate", "--catalog", str(SAMPLE_TLE), "--ids", "25118,1",
                                 "--start", "2026-05-05T00:00:00Z", "--end", "2026-05-05T00:01:00Z"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("norad_id,time_utc")
    assert len(result.stdout.splitlines()) == 3
    assert "not in the catalogue: 1" in result.stderr


def test_propagate_bad_time_is_a_clear_usage_error():
    result = runner.invoke(app, ["space", "propagate", "--catalog", str(SAMPLE_TLE), "--start", "yesterday",
                                 "--end", "2026-05-05T00:01:00Z"])
    assert result.exit_code == 2
    assert "not an ISO 8601 UTC time" in result.output
    assert "Traceback" not in result.output


def test_main_job_on_the_bundled_sample(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--data", str(SAMPLE_TLE.parent), "--out", str(out), "--hours", "2",
                                 "--db", f"sqlite:///{tmp_path / 'kompas.db'}", "--days", "1"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objects"] == 615 and summary["propagation"]["states"] == 615 * 121
    assert sum(summary["regimes"].values()) == 615
    assert (out / "catalogue.png").stat().st_size > 10_000
    assert len((out / "states_start.csv").read_text().splitlines()) == 616
    for name in ("summary.md", "summary.json", "catalogue.png", "states_start.csv"):
        assert str(out / name) in result.output


def test_screen_writes_the_specified_csv_and_cdms(tmp_path):
    out, cdms = tmp_path / "conj.csv", tmp_path / "cdm"
    result = runner.invoke(app, ["space", "screen", "--catalog", str(SAMPLE_TLE), "--days", "0.25",
                                 "--threshold-km", "10", "--out", str(out), "--cdm-dir", str(cdms)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert out.read_text().startswith("primary_id,secondary_id,tca_utc,miss_km,v_rel_km_s,r_km,t_km,n_km,")
    real = [r for r in rows if not r["label"]]
    assert real and all(int(r["primary_id"]) < int(r["secondary_id"]) for r in real)
    assert all(float(r["miss_km"]) <= 10.0 for r in real)
    for r in real:  # the RTN components are the miss vector
        assert np.hypot(np.hypot(float(r["r_km"]), float(r["t_km"])), float(r["n_km"])) == \
            pytest.approx(float(r["miss_km"]), abs=2e-6)
    assert len(list(cdms.glob("*.cdm"))) == len(real)
    pcs = runner.invoke(app, ["space", "pc", *map(str, sorted(cdms.glob("*.cdm"))[:2]), "--method", "all"])
    assert pcs.exit_code == 0, pcs.output
    lines = pcs.output.strip().splitlines()
    from kompas.space.decision import METHODS

    assert lines[0] == "file,message_id,method,pc,basis,flags,pc_low,pc_high" and len(lines) == 1 + 2 * len(METHODS)
    rows = list(csv.DictReader(lines))
    assert [r["method"] for r in rows[:len(METHODS)]] == list(METHODS)
    assert all(0.0 <= float(r["pc"]) <= 1.0 for r in rows)
    auto = [r for r in rows if r["method"] == "auto"]
    assert len(auto) == 2 and all(r["basis"] in ("pc2d", "nc3d", "mc") for r in auto)
    # the CDMs screening wrote carry the covariance fitted on the element sets' history? one snapshot: no history,
    # the placeholder, and the CDM says so
    from kompas.space import cdm

    text = sorted(cdms.glob("*.cdm"))[0].read_text()
    message = cdm.parse_kvn(text, "written")
    assert [message.objects[k].get("COVARIANCE_METHOD") for k in (0, 1)] == ["DEFAULT", "DEFAULT"]
    assert "Pc basis = " in text


def test_screen_primaries_from_ids_and_unknown_primary(tmp_path):
    result = runner.invoke(app, ["space", "screen", "--catalog", str(SAMPLE_TLE), "--days", "0.1",
                                 "--threshold-km", "300", "--primaries", "25118,7"])
    assert result.exit_code == 0, result.output
    assert "primaries not in the catalogue: 7" in result.output
    rows = list(csv.DictReader(line for line in result.output.splitlines() if "," in line))
    assert rows and all(r["primary_id"] == "25118" for r in rows)


def test_pc_reports_a_malformed_cdm_and_goes_on(tmp_path):
    bad = tmp_path / "bad.cdm"
    bad.write_text("CCSDS_CDM_VERS = 1.0\nTCA = 2020-01-01T00:00:00\nOBJECT = OBJECT3\n")
    result = runner.invoke(app, ["space", "pc", str(bad), "--hbr-m", "10"])
    assert result.exit_code == 1
    assert f"{bad}:3: OBJECT: must be OBJECT1 or OBJECT2" in result.output
    assert "Traceback" not in result.output


@pytest.mark.shared
def test_screen_cdms_carry_the_covariance_of_each_objects_history(tmp_path):
    """Three daily snapshots: every CDM's covariance is the element-set-history model's (not the placeholder), and
    each CDM's Pc is the auto value of the CDM as written."""
    from kompas.space import cdm
    from kompas.space.decision import SCREENING_FIRST_BATCH, SCREENING_MAX_SAMPLES, SCREENING_PCS, assess

    space = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "space"
    if not (space / "active_2026-05-05.tle").is_file():
        pytest.skip(f"shared CelesTrak snapshots not found at {space} (clone ../shared beside the repository)")
    cdms = tmp_path / "cdms"
    result = runner.invoke(app, ["space", "screen", "--catalog", str(space / "active_2026-05-0[345].tle"),
                                 "--primaries", "25544", "--days", "0.1", "--threshold-km", "30",
                                 "--out", str(tmp_path / "c.csv"), "--cdm-dir", str(cdms)])
    assert result.exit_code == 1 and "decayed: orbit radius below the Earth's" in result.output, result.output
    assert "covariance from each object's element-set history" in result.output
    messages = [cdm.parse_kvn(p.read_text(), p.name) for p in sorted(cdms.glob("*.cdm"))]
    assert messages
    for message in messages:
        assert [message.objects[k].get("COVARIANCE_METHOD") for k in (0, 1)] == ["CALCULATED", "CALCULATED"]
        age = float(message.objects[0].comments()[0].split("element set ")[1].split(" d")[0])
        assert message.covariance_rtn(0)[1, 1] != pytest.approx(cdm.default_covariance_rtn(age)[1, 1], rel=0.01)
        again = assess(cdm.encounter(message), message.hard_body_radius_m(), thresholds=SCREENING_PCS,
                       max_samples=SCREENING_MAX_SAMPLES, first_batch=SCREENING_FIRST_BATCH,
                       cov_vel_check_level=1)
        assert message.relative.get("COLLISION_PROBABILITY") == f"{again.pc:.6e}"


def test_screen_on_dask_with_pair_partitions_writes_the_single_process_pairs(tmp_path):
    """`kompas space screen --workers 2 --partitions 3` (issue 30): the pairs and times of the plain run."""
    pytest.importorskip("distributed")
    rows = {}
    for name, extra in (("plain", []), ("dask", ["--workers", "2", "--partitions", "3"])):
        out = tmp_path / f"{name}.csv"
        result = runner.invoke(app, ["space", "screen", "--catalog", str(SAMPLE_TLE), "--days", "0.25",
                                     "--threshold-km", "10", "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
        rows[name] = [(r["primary_id"], r["secondary_id"], r["tca_utc"][:21], r["label"])
                      for r in csv.DictReader(out.open())]  # TCA to 0.1 ms
    assert len(rows["plain"]) > 5 and rows["dask"] == rows["plain"]
