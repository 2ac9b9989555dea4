"""`kompas intel picture` and `kompas intel situations` (kompas.cli.fusion, registered on a Typer group here as the
`kompas intel` group does): the same answer as the service, as a table, JSON or GeoJSON, the marking on standard
error, bad options named with exit status 2."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from kompas.cli.common import console
from kompas.cli.fusion import register
from kompas.core.db import database_url, make_engine
from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.core.store import events as platform_events
from tests.services.test_fusion import EVENTS, ID, NAME

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_picture_and_situations_on_the_command_line(platform_home, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(console, "_width", 250)  # tables unwrapped (a terminal 250 characters wide)
    platform_home("FI-NAVY", "FI", [("fi", "SECRET", ["navy"])])
    store = Store(make_engine(database_url()))
    store.add_org("FR-SGDSN", "FR")
    store.add_user("fr", "FR-SGDSN", "RESTRICTED")
    assert len(platform_events.store(store, list(EVENTS.values()), "test", alert=False).ids) == len(EVENTS)
    app = _app()

    shown = runner.invoke(app, ["picture", "--user", "fi", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.stdout)
    assert len(answer["events"]) == 6 and answer["banner"].startswith("SECRET")
    assert [sorted(NAME[i] for i in s["event_ids"]) for s in answer["situations"]] == [
        ["cyber", "drag", "estlink", "navy"]]
    assert "marking: SECRET" in shown.stderr and "rule: Two events are linked" in shown.stderr

    low = runner.invoke(app, ["situations", "--user", "fr", "--no-country-links", "--km", "100"])
    assert low.exit_code == 0, low.output
    assert "1 situations" in low.stdout and "Estlink 2 lost (+1 linked event)" in low.stdout  # + the drag, 60 km
    assert ID["navy"] not in low.output and "marking: UNCLASSIFIED // TLP:GREEN" in low.stderr

    table = runner.invoke(app, ["picture", "--user", "fi", "--region", "baltic", "--severity", "high"])
    assert table.exit_code == 0 and "Estlink 2 lost" in table.stdout and "1 events, newest first" in table.stdout

    geo = runner.invoke(app, ["situations", "--user", "fi", "--format", "geojson", "--domain", "maritime",
                              "--domain", "intel", "--actor", "EAGLE S"])
    collection = json.loads(geo.stdout)
    assert sorted(f["properties"]["kind"] for f in collection["features"]) == ["event", "event", "situation",
                                                                               "situation-hull"]
    assert Marking.from_dict(collection["marking"]).classification.name == "SECRET"

    platform = runner.invoke(app, ["situations", "--format", "json"])
    assert platform.exit_code == 0 and "the platform's own view" in platform.stderr

    bad = runner.invoke(app, ["picture", "--user", "fi", "--since", "yesterday", "--country", "Atlantis"])
    assert bad.exit_code == 2
    assert "--since: 'yesterday'" in bad.stderr and "--country: 'Atlantis'" in bad.stderr
    assert runner.invoke(app, ["picture", "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["picture", "--user", "nobody"]).exit_code == 2
