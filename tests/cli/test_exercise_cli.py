"""`kompas exercise ...` as a user runs it: the plan, a break-up from a catalogue file, and an exercise built, its
MSEL read (the controllers' CSV), its injects released and reviewed; the KOMPAS_EXERCISE context for the other
commands; clear errors, no traceback."""

from __future__ import annotations

import csv
import io
import json
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.times import utc_text_ms

RUN = CliRunner()
SAMPLE = files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle"


def test_the_plan_lists_every_exercise_by_year_and_level() -> None:
    done = RUN.invoke(app, ["exercise", "plan"])
    assert done.exit_code == 0, done.output
    lines = [x for x in done.stdout.splitlines() if x.startswith("  20")]
    assert len(lines) == 12 and "ILLUSTRATIVE" in done.stdout.splitlines()[0]
    assert {x.split()[2] for x in lines} == {"technical", "operational", "political-strategic"}


def test_a_break_up_from_a_catalogue_file(tmp_path: Path) -> None:
    catalogue = tmp_path / "sample.tle"
    catalogue.write_text(SAMPLE.read_text())
    done = RUN.invoke(app, ["exercise", "breakup", "--catalog", str(catalogue), "--object", "40699", "--kind",
                            "explosion", "--mass-kg", "7000", "--min-size-m", "0.2", "--format", "json"])
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    summary = answer["summary"]
    assert summary["expected_count"] == pytest.approx(6 * 0.2 ** -1.6)  # the model's explosion law, S = 1
    assert summary["generated"] == answer["fragments_total"] > 0
    assert all(r["size_m"] >= 0.2 for r in answer["fragments"])
    missing = RUN.invoke(app, ["exercise", "breakup", "--catalog", str(catalogue), "--object", "40699"])
    assert missing.exit_code == 2 and "--mass-kg" in missing.output and "Traceback" not in missing.output
    unknown = RUN.invoke(app, ["exercise", "breakup", "--catalog", str(catalogue), "--object", "1",
                               "--mass-kg", "1"])
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output


def test_build_msel_run_and_review(platform_home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    platform_home("EU-SATCEN", "EU", [("excon", "SECRET", ["sst"])])
    start = utc_text_ms(np.datetime64("now", "s") - np.timedelta64(3, "h"))
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(f"""
exercise: SPX-CLI
start_utc: "{start}"
gnss: {{region: Baltic Sea, lat: 57.5, lon: 20.0, radius_km: 200, reports: 5, reporters: 3, over_h: 1,
        at_offset_h: 0}}
cyber: {{target: ground station (simulated), operator: EUSPA (simulated), at_offset_h: 20,
         techniques: [{{id: T1190, name: Exploit Public-Facing Application, tactic: initial-access}}]}}
""")
    built = RUN.invoke(app, ["exercise", "build", str(scenario), "--user", "excon"])
    assert built.exit_code == 0, built.output
    assert "exercise SPX-CLI:" in built.stdout and "EXERCISE EXERCISE EXERCISE" in built.stderr
    sheet = RUN.invoke(app, ["exercise", "msel", "SPX-CLI", "--user", "excon", "--format", "csv"])
    assert sheet.exit_code == 0, sheet.output
    rows = list(csv.DictReader(io.StringIO(sheet.stdout)))
    assert list(rows[0]) == ["serial", "time", "from", "to", "method", "inject", "expected action"]
    assert [int(r["serial"]) for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 7
    released = RUN.invoke(app, ["exercise", "run", "SPX-CLI", "--user", "excon"])
    assert released.exit_code == 0, released.output
    assert "1 pending" in released.stdout  # the intrusion, 20 h after the start, is not due yet
    again = RUN.invoke(app, ["exercise", "run", "SPX-CLI", "--user", "excon"])
    assert "released 0 injects" in again.stdout
    reviewed = RUN.invoke(app, ["exercise", "review", "SPX-CLI", "--user", "excon", "--format", "json"])
    assert reviewed.exit_code == 0, reviewed.output
    totals = json.loads(reviewed.stdout)["totals"]
    assert totals["raised_before"] == 0 and totals["raised"] == totals["injects"] - 1
    # the exercise's items, through any command, only with KOMPAS_EXERCISE set (the fused picture of events)
    window = ["--since", start[:10], "--until", "2100-01-01", "--format", "json", "--user", "excon"]
    real = RUN.invoke(app, ["intel", "picture", *window])
    monkeypatch.setenv("KOMPAS_EXERCISE", "SPX-CLI")
    inside = RUN.invoke(app, ["intel", "picture", *window])
    assert real.exit_code == 0 and inside.exit_code == 0, real.output + inside.output
    assert "SPX-CLI" not in real.stdout and "EXERCISE SPX-CLI" in inside.stdout
    monkeypatch.setenv("KOMPAS_EXERCISE", "NOT-MINE")
    refused = RUN.invoke(app, ["exercise", "msel", "SPX-CLI", "--user", "excon"])
    assert refused.exit_code == 2 and "KOMPAS_EXERCISE" in refused.output and "Traceback" not in refused.output
