"""`kompas infra` as a user runs it. The references of issue 24:

- Eagle S (25 December 2024): removing Estlink 2 leaves Finland-Estonia HVDC at 350 of 1,000 MW; the published
  ratings are 358 and 658 MW, so the row is checked within 3% (`FI,EE,hvdc_mw,1000,350,MW`);
- November 2024: C-Lion1 is Finland's only direct cable to Germany (`FI,DE,cables,1,0,cables`, exact: a count), and
  without it Finland still reaches Germany, leaving through Sweden or Estonia (needs the cable map in ../shared).

Then a contribution, its listing, a stress test and an incident as a user, an area stress test printing that routes
are drawn, every command's help, and bad input ending in one line and exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from tests.conftest import REPO
from tests.infra.conftest import need_shared

EXAMPLES = REPO / "examples" / "infra"
runner = CliRunner()


def _rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


PEOPLE = [("fi", "SECRET", ["energy-fi-ee"]), ("other", "SECRET", [])]


@pytest.fixture
def home(platform_home) -> Path:  # noqa: ANN001 (the platform_home factory of tests/conftest.py)
    """A fresh platform whose FI-GASGRID has fi (SECRET, energy-fi-ee) and other (SECRET, no community)."""
    return Path(platform_home("FI-GASGRID", "FI", PEOPLE))


@pytest.fixture(scope="module")
def module_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same platform made once for the tests that change nothing in it (refusals, reads of public data)."""
    folder = tmp_path_factory.mktemp("infra-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMPAS_HOME", str(folder))
        patch.delenv("KOMPAS_DB", raising=False)
        for argv in (["db", "upgrade"], ["admin", "add-org", "FI-GASGRID", "--country", "FI"],
                     *(["admin", "add-user", name, "--org", "FI-GASGRID", "--clearance", clearance,
                        *[a for c in communities for a in ("--community", c)]] for name, clearance, communities in
                       PEOPLE)):
            assert runner.invoke(app, argv).exit_code == 0, argv
    return folder


@pytest.fixture
def quiet_home(module_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KOMPAS_HOME", str(module_home))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    return module_home


def test_eagle_s_estlink_2_leaves_350_of_1000_mw(quiet_home: Path) -> None:
    result = runner.invoke(app, ["infra", "stress", "--remove", "Estlink 2", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "from_country,to_country,kind,before,after,unit"
    (row,) = _rows(result.stdout)
    assert (row["from_country"], row["to_country"], row["kind"], row["unit"]) == ("FI", "EE", "hvdc_mw", "MW")
    assert float(row["before"]) == pytest.approx(1000, rel=0.03) and float(row["after"]) == pytest.approx(350, rel=0.03)
    assert lines[1] == "FI,EE,hvdc_mw,1000,350,MW"


@pytest.mark.shared
def test_c_lion1_is_finlands_only_direct_cable_to_germany(quiet_home: Path) -> None:
    need_shared("cables_2022")
    result = runner.invoke(app, ["infra", "stress", "--remove", "C-Lion1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert _rows(result.stdout) == [{"from_country": "FI", "to_country": "DE", "kind": "cables", "before": "1",
                                     "after": "0", "unit": "cables"}]
    found = json.loads(runner.invoke(app, ["infra", "stress", "--remove", "C-Lion1", "--format", "json"]).stdout)
    alternative = found["alternatives"]["FI-DE"]
    assert alternative["reachable"] and {"SE", "EE"} <= set(alternative["exits"])
    assert found["disconnected"] == []  # Finland still reaches Germany, through others
    assessed = json.loads(runner.invoke(app, ["infra", "assess", "--country", "FI", "--format", "json"]).stdout)
    cables = assessed["countries"][0]["cables"]
    assert cables["international"] == 11 and cables["neighbours"] == {"SE": 6, "EE": 4, "DE": 1, "RU": 1}
    assert "CC BY-NC-SA" in runner.invoke(app, ["infra", "assess", "--country", "FI"]).output
    # the vintages: Finland's 11 cables are on both maps; 7 changed owners' names (Telia Carrier became Arelion)
    compared = json.loads(runner.invoke(app, ["infra", "vintages", "--country", "FI", "--format", "json"]).stdout)
    assert compared["counts"] == {"old": 11, "new": 11, "added": 0, "retired": 0, "changed": 7, "renamed": 0,
                                  "newly_mapped": 0}
    assert compared["marking"]["banner"] == "UNCLASSIFIED // TLP:CLEAR"


def test_contribute_list_stress_and_record_an_incident_as_users(home: Path) -> None:
    geojson = EXAMPLES / "balticconnector.geojson"
    done = runner.invoke(app, ["infra", "contribute", str(geojson), "--user", "fi", "--classification", "SECRET",
                               "--community", "energy-fi-ee"])
    assert done.exit_code == 0, done.output
    assert "1 elements added, 0 replaced, 0 rejected (SECRET UE/EU SECRET // NTK (energy-fi-ee)" in done.output
    listed = runner.invoke(app, ["infra", "elements", "--user", "fi", "--format", "csv"])
    assert listed.exit_code == 0 and _rows(listed.stdout)[0]["id"] == "balticconnector"
    assert "link:balticconnector" not in runner.invoke(app, ["infra", "elements", "--user", "other"]).output
    cut = runner.invoke(app, ["infra", "stress", "--remove", "Balticconnector", "--user", "fi", "--format", "csv"])
    assert cut.exit_code == 0 and _rows(cut.stdout) == [{"from_country": "FI", "to_country": "EE",
                                                         "kind": "pipeline_gwh_d", "before": "81", "after": "0",
                                                         "unit": "GWh/d"}]
    assert "marking: SECRET UE/EU SECRET // NTK (energy-fi-ee)" in cut.output
    unseen = runner.invoke(app, ["infra", "stress", "--remove", "Balticconnector", "--user", "other"])
    assert unseen.exit_code == 2 and "no element is named 'Balticconnector'" in unseen.output
    assert "Traceback" not in unseen.output
    assessed = runner.invoke(app, ["infra", "assess", "--country", "FI", "--user", "fi", "--format", "csv"])
    assert "FI,EE,pipeline_gwh_d,81,GWh/d" in assessed.stdout.splitlines()
    recorded = runner.invoke(app, ["infra", "stress", "--remove", "Balticconnector", "--user", "fi", "--record"])
    assert recorded.exit_code == 0 and "recorded as event" in recorded.output
    incident = runner.invoke(app, ["infra", "incident", "--asset", "Balticconnector", "--asset", "Estlink 2",
                                   "--time", "2023-10-08T01:20:00Z", "--cause", "anchor-drag", "--vessel",
                                   "NewNew Polar Bear", "--user", "fi", "--classification", "SECRET", "--community",
                                   "energy-fi-ee", "--format", "json"])
    assert incident.exit_code == 0, incident.output
    found = json.loads(incident.stdout)
    assert found["severity"] == "high" and {r["kind"] for r in found["stress"]["rows"]} == {"hvdc_mw",
                                                                                          "pipeline_gwh_d"}
    bad = runner.invoke(app, ["infra", "contribute", str(EXAMPLES / "contributed.csv"), "--user", "fi"])
    rejected = [line for line in bad.output.splitlines() if "contributed.csv: line" in line]
    if (REPO.parent / "shared" / "data" / "infra" / "cables_2022").is_dir():
        assert bad.exit_code == 0 and rejected == [], bad.output
    else:  # the two rows completing public elements need the public map
        assert bad.exit_code == 1 and len(rejected) == 2, bad.output


def test_an_area_stress_test_prints_that_routes_are_drawn(quiet_home: Path, tmp_path: Path) -> None:
    track = tmp_path / "anchor_track.geojson"
    # an anchor track across Estlink 2's drawn route (a straight line between its converter stations) and no other
    # HVDC link; with ../shared it crosses telecom cables too
    track.write_text(json.dumps({"type": "LineString", "coordinates": [[26.0, 60.1], [26.4, 59.7]]}))
    result = runner.invoke(app, ["infra", "stress", "--area", str(track), "--buffer-km", "5", "--country", "FI",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert [r for r in _rows(result.stdout) if r["kind"] == "hvdc_mw"] == [
        {"from_country": "FI", "to_country": "EE", "kind": "hvdc_mw", "before": "1000", "after": "350", "unit": "MW"}]
    assert "caveat: Cable routes on the public map are drawn, not surveyed" in " ".join(result.output.split())
    ranked = runner.invoke(app, ["infra", "rank", "--area", str(track), "--buffer-km", "5", "--format", "json"])
    assert ranked.exit_code == 0 and "link:estlink-2" in {r["ref"] for r in json.loads(ranked.stdout)["ranking"]}
    assert "drawn, not surveyed" in " ".join(ranked.output.split())


def test_every_command_has_help() -> None:
    for command in ("", "assess", "stress", "rank", "vintages", "contribute", "elements", "incident", "report"):
        result = runner.invoke(app, ["infra", *([command] if command else []), "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command
        assert len(" ".join(result.output.split())) > 200, command


@pytest.mark.parametrize(("argv", "message"), [
    (["infra", "stress"], "removes nothing"),
    (["infra", "stress", "--remove", "No such cable"], "no element is named"),
    (["infra", "stress", "--remove", "Estlink 2", "--format", "xml"], "expected table or json or csv"),
    (["infra", "stress", "--remove", "Estlink 2", "--record"], "needs --user"),
    (["infra", "stress", "--buffer-km", "5", "--remove", "Estlink 2"], "needs --area"),
    (["infra", "stress", "--area", "missing.geojson"], "no such file"),
    (["infra", "stress", "--remove", "Estlink 2", "--country", "Atlantis"], "not a country"),
    (["infra", "assess", "--country", "XX"], "not a country"),
    (["infra", "assess", "--user", "nobody"], "--user must name a platform user"),
    (["infra", "contribute", "missing.csv", "--user", "fi"], "no such file"),
    (["infra", "contribute", str(EXAMPLES / "contributed.csv"), "--user", "other", "--classification", "SECRET",
      "--community", "energy-fi-ee"], "you would not be able to see"),
    (["infra", "incident", "--asset", "Estlink 2", "--time", "soon", "--user", "fi"], "time_utc"),
    (["infra", "incident", "--asset", "Estlink 2", "--time", "2024-01-01T00:00:00Z", "--cause", "aliens", "--user",
      "fi"], "cause"),
    (["infra", "elements", "--kind", "pipeline"], "expected landing"),
    (["infra", "vintages", "--country", "XX"], "not a country"),
])
def test_bad_input_is_one_line_and_exit_2(quiet_home: Path, argv: list[str], message: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, (argv, result.output)
    assert message in " ".join(result.output.split()), (argv, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_report_as_a_user_writes_it(home: Path, tmp_path: Path) -> None:
    """`kompas infra report`: Finland's section with C-Lion1 as its single point for Germany, the TeleGeography
    licence notice, the banner of the reader's view; a SECRET contribution raises the banner for its community only;
    bad scenarios and countries end in one line and exit 2."""
    need_shared("cables_2022")
    assert runner.invoke(app, ["infra", "contribute", str(EXAMPLES / "balticconnector.geojson"), "--user", "fi",
                               "--classification", "SECRET", "--community", "energy-fi-ee"]).exit_code == 0
    mine, theirs = tmp_path / "fi.html", tmp_path / "other.html"
    for user, out in (("fi", mine), ("other", theirs)):
        done = runner.invoke(app, ["infra", "report", "--country", "FI", "--scenarios", str(_scenarios(tmp_path)),
                                   "--out", str(out), "--user", user])
        assert done.exit_code == 0, done.output
    page = mine.read_text()
    assert "C-Lion1" in page and "CC BY-NC-SA 3.0" in page and "Balticconnector" in page
    def banner(text: str) -> str:
        return text.split('<div class="banner">', 1)[1].split("<", 1)[0]

    assert banner(page).startswith("SECRET") and "ENERGY-FI-EE" in banner(page).upper()
    other = theirs.read_text()
    assert banner(other).startswith("UNCLASSIFIED")
    assert "Balticconnector" not in other and "C-Lion1" in other
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    for argv in (["--scenarios", str(bad)], ["--country", "XX"]):
        done = runner.invoke(app, ["infra", "report", *argv, "--out", str(tmp_path / "x.html")])
        assert done.exit_code == 2 and "error:" in done.output and "Traceback" not in done.output


def _scenarios(folder: Path) -> Path:
    path = folder / "scenarios.json"
    path.write_text(json.dumps([{"title": "C-Lion1 cut", "remove": ["C-Lion1"], "avoid": ["RU"]}]))
    return path
