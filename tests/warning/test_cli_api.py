"""`kompas warning` and /api/v1/warning: the challenge's figures printed, errors in one line without traceback."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kompas.cli.warning import app
from tests.warning.conftest import need_views


def test_evaluate_prints_the_scores_and_the_citation() -> None:
    need_views()
    result = CliRunner().invoke(app, ["evaluate", "--window", "2022", "--model", "conflictology", "--model", "zero",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    scores = {s["model"]: s for s in found["scores"]}
    assert round(scores["conflictology"]["crps"], 2) == 124.00 and round(scores["zero"]["crps"], 2) == 120.97
    assert set(scores["zero"]) >= {"model", "window", "crps", "ign", "mis", "cells"}
    assert found["crps_ratio"] is None and found["cutoff"] == "2021-10-31"
    assert "arXiv 2407.11045" in found["sources"][0] and "UCDP GED" in found["sources"][0]
    table = CliRunner().invoke(app, ["evaluate", "--window", "2021", "--model", "conflictology"])
    assert table.exit_code == 0 and "76.849" in table.stdout and "source: " in table.stderr


def test_errors_are_one_line() -> None:
    need_views()
    result = CliRunner().invoke(app, ["evaluate", "--window", "2024", "--model", "zero"])
    assert result.exit_code == 2 and "error: window 2024: no actuals for 2024-05" in result.output
    assert "windows that can be evaluated: 2018-2023" in result.output and "Traceback" not in result.output
    bad = CliRunner().invoke(app, ["evaluate", "--window", "2022", "--model", "views"])
    assert bad.exit_code == 2 and "'views': one of" in bad.output and "Traceback" not in bad.output
    for command in ("forecast", "warnings"):
        late = CliRunner().invoke(app, [command, "--window", "2025", "--model", "zero"])
        assert late.exit_code == 2 and "windows that can be forecast: 2019-2024" in late.output, late.output
        wrong = CliRunner().invoke(app, [command, "--window", "2022", "--model", "views"])
        assert wrong.exit_code == 2 and "'views': one of" in wrong.output, wrong.output
        fmt = CliRunner().invoke(app, [command, "--window", "2022", "--format", "csv"])
        assert fmt.exit_code == 2 and "expected table or json" in fmt.output, fmt.output


def test_warnings_as_events_and_the_forecast_table() -> None:
    need_views()
    result = CliRunner().invoke(app, ["warnings", "--window", "2022", "--model", "conflictology", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    countries = {c for e in found["events"] for c in e["place"]["countries"]}
    assert {"AFG", "SYR", "YEM"} <= countries and found["window"] == 2022  # at war through 2021 (UCDP GED)
    assert set(found["events"][0]) == {"id", "domain", "type", "time_utc", "start_utc", "end_utc", "title",
                                       "severity", "place", "actors", "evidence", "payload"}
    assert "arXiv 2407.11045" in found["sources"][0] and "source: " in result.stderr
    table = CliRunner().invoke(app, ["forecast", "--window", "2022", "--model", "conflictology", "--top", "3"])
    assert table.exit_code == 0 and "conflictology forecast of 2022" in table.stdout, table.output


def test_api_evaluate(world: dict) -> None:  # noqa: F811 (fixture from tests.api.conftest)
    need_views()
    client = world["client"]
    assert "/api/v1/warning/evaluate" in client.app.openapi()["paths"], "the router is registered"
    answer = client.get("/api/v1/warning/evaluate", params={"window": 2022, "model": ["conflictology"]},
                        headers=world["ann"])
    assert answer.status_code == 200, answer.text
    assert round(answer.json()["scores"][0]["crps"], 2) == 124.00
    assert client.get("/api/v1/warning/evaluate", params={"window": 2024, "model": ["zero"]},
                      headers=world["ann"]).status_code == 422
    late = client.get("/api/v1/warning/forecast", params={"window": 2025, "model": "zero"}, headers=world["ann"])
    assert late.status_code == 422 and "windows that can be forecast: 2019-2024" in late.text, late.text
    assert client.get("/api/v1/warning/evaluate", params={"window": 2022}).status_code == 401


from tests.api.conftest import world  # noqa: E402, F401 (pytest fixture)
from tests.core.conftest import db_url, engine, store  # noqa: E402, F401 (pytest fixtures)
