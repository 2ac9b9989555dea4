"""`kompas isac report|list|show|seen|cluster|export` as a member would run them: the same service as the API
(tests/services/test_isac.py, tests/api/test_isac_api.py). An NL member reports an (illustrative) L-band jamming
pseudonymously under TLP:AMBER and PAP:AMBER; a German member lists it without learning who reported, opens it, says
"seen it too", clusters it and exports it as a STIX 2.1 bundle the OASIS validator accepts and as a MISP event; a
file with a bad record is answered with the record's item, field and reason and exit 1, refusals with exit 2; every
command's help gives examples."""

from __future__ import annotations

import json
from pathlib import Path

from stix2validator import ValidationOptions, validate_instance
from typer.testing import CliRunner

from kompas.cli import app

REPORT = {"title": "[ILLUSTRATIVE] GNSS jamming over Gotland", "start_utc": "2026-05-05T06:00:00Z",
          "stop_utc": "2026-05-05T09:30:00Z", "interference": "jamming", "segment": "user",
          "band": {"low_mhz": 1575.42, "high_mhz": 1575.42}, "sparta_ids": ["EX-0016"],
          "locations": [{"lat_deg": 57.5, "lon_deg": 18.5, "radius_km": 150}]}


def test_report_list_show_seen_cluster_export(home: Path, tmp_path: Path) -> None:
    from kompas.cli.admin import _store

    store = _store(None)
    store.add_org("DE-BSI", "DE")
    store.add_user("annxnl", "NL-NSO", "SECRET", ["sst"])
    store.add_user("doraxde", "DE-BSI", "RESTRICTED")
    runner = CliRunner()
    path = tmp_path / "annxnl-gotland.json"  # a file name naming its sender: never shown to other members
    path.write_text(json.dumps(REPORT))
    done = runner.invoke(app, ["isac", "report", str(path), "--as", "annxnl", "--tlp", "AMBER", "--pap", "AMBER",
                               "--disclosure", "pseudonymous"])
    assert done.exit_code == 0, done.output
    assert "1 reports shared" in done.output and "your pseudonym: member-" in done.output
    report_id = done.output.split("\n")[1].strip()
    pseudonym = done.output.split("your pseudonym: ")[1].split()[0]

    listed = runner.invoke(app, ["isac", "list", "--as", "doraxde", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)["items"]
    assert item["id"] == report_id and item["contributor"] == pseudonym and item["pap"] == "AMBER"
    assert item["marking"]["banner"] == "UNCLASSIFIED // TLP:AMBER"
    assert "NL-NSO" not in listed.stdout and "annxnl" not in listed.stdout
    table = runner.invoke(app, ["isac", "list", "--as", "doraxde", "--band", "L", "--interference", "jamming"])
    assert table.exit_code == 0 and report_id in table.output and pseudonym in table.output
    assert report_id not in runner.invoke(app, ["isac", "list", "--as", "doraxde", "--band", "Ku"]).output

    shown = runner.invoke(app, ["isac", "show", report_id, "--as", "doraxde", "--no-enrich"])
    assert shown.exit_code == 0 and "EX-0016" in shown.output and "NL-NSO" not in shown.output, shown.output
    seen = runner.invoke(app, ["isac", "seen", report_id, "--as", "doraxde", "--note", "GPS lost near Visby"])
    assert seen.exit_code == 0 and "seen too by DE-BSI" in seen.output, seen.output
    mine = runner.invoke(app, ["isac", "seen", report_id, "--as", "annxnl"])
    assert mine.exit_code == 2 and "your organisation reported it" in mine.output
    noted = json.loads(runner.invoke(app, ["isac", "show", report_id, "--as", "annxnl", "--no-enrich", "--format",
                                           "json"]).stdout)
    assert noted["seen_count"] == 1 and noted["seen"][0]["by"].startswith("member-")
    assert noted["seen"][0]["by"] != pseudonym and "DE-BSI" not in json.dumps(noted)

    clustered = runner.invoke(app, ["isac", "cluster", "--as", "doraxde", "--since", "2026-05-01T00:00:00Z",
                                    "--until", "2026-05-10T00:00:00Z", "--all", "--format", "json"])
    assert clustered.exit_code == 0, clustered.output
    [cluster] = json.loads(clustered.stdout)["clusters"]
    assert cluster["members_ids"] == [report_id] and not cluster["surge"]

    bundle = tmp_path / "report.stix.json"
    exported = runner.invoke(app, ["isac", "export", report_id, "--stix", "--out", str(bundle), "--as", "doraxde"])
    assert exported.exit_code == 0 and "TLP:AMBER" in exported.output, exported.output
    result = validate_instance(json.loads(bundle.read_text()), ValidationOptions(version="2.1"))
    assert result.is_valid, result.errors
    assert "NL-NSO" not in bundle.read_text() and "annxnl" not in bundle.read_text()
    event = tmp_path / "report.misp.json"
    assert runner.invoke(app, ["isac", "export", report_id, "--misp", "--out", str(event), "--as",
                               "doraxde"]).exit_code == 0
    assert json.loads(event.read_text())["Event"]["Orgc"] == {"name": pseudonym}
    assert runner.invoke(app, ["isac", "export", report_id, "--as", "doraxde"]).exit_code == 2  # neither kind

    # a bad record is named (its item, field, reason) and the good one shared, exit 1; refusals exit 2
    path = tmp_path / "two.json"
    path.write_text(json.dumps([REPORT | {"title": "[ILLUSTRATIVE] again"}, {"title": "no start",
                                                                             "interference": "jamming"}]))
    done = runner.invoke(app, ["isac", "report", str(path), "--as", "annxnl"])
    assert done.exit_code == 1 and "1 reports shared" in done.output
    assert "two.json: item 2: start_utc:" in done.output
    above = runner.invoke(app, ["isac", "report", str(path), "--as", "annxnl", "--classification", "TOP_SECRET"])
    assert above.exit_code == 2 and "clearance" in above.output
    longer = runner.invoke(app, ["isac", "cluster", "--since", "2026-01-01T00:00:00Z", "--until",
                                 "2026-05-10T00:00:00Z"])
    assert longer.exit_code == 2 and "31 days" in longer.output


def test_every_command_gives_examples() -> None:
    runner = CliRunner()
    for command in ("report", "list", "show", "seen", "cluster", "export"):
        shown = runner.invoke(app, ["isac", command, "--help"])
        assert shown.exit_code == 0 and "Example" in shown.output and "kompas isac " + command in shown.output, command
