"""`kompas cyber ingest|incidents|export|sightings|inventory|exposure|actors` as a user would run them, on the
examples (the illustrative phishing event and bundle, the illustrative inventories) and, for the actors, ATT&CK in
../shared: the same service as the API (tested in tests/services and tests/api)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "cyber"
ATTACK = REPO.parent / "shared" / "data" / "cyber" / "attack"


def test_ingest_list_export_sightings_inventory_and_exposure(home: Path, tmp_path: Path) -> None:
    from kompas.cli.admin import _store

    store = _store(None)
    store.add_org("DE-BSI", "DE")
    store.add_org("AT-CERT", "AT")
    store.add_user("de", "DE-BSI", "SECRET", ["cyber-eu"])
    store.add_user("at", "AT-CERT", "RESTRICTED")
    runner = CliRunner()
    shared = runner.invoke(app, ["cyber", "ingest", str(EXAMPLES / "phishing_campaign_illustrative.misp.json"),
                                 str(EXAMPLES / "phishing_campaign_illustrative.stix.json"), "--user", "de"])
    assert shared.exit_code == 0, shared.output
    assert "misp: 1 incidents shared" in shared.output and "stix: 1 incidents shared" in shared.output
    listed = runner.invoke(app, ["cyber", "incidents", "--format", "json", "--user", "de"])
    items = json.loads(listed.stdout)["items"]
    assert len(items) == 2 and {i["rsit_type"] for i in items} == {"phishing"}
    # AT (not in cyber-eu) sees the TLP:GREEN bundle's incident only
    at_items = json.loads(runner.invoke(app, ["cyber", "incidents", "--format", "json", "--user", "at"]).stdout)
    assert [i["title"] for i in at_items["items"]] == [i["title"] for i in items if
                                                       not i["marking"]["communities"]]
    misp_id = next(i["id"] for i in items if i["marking"]["communities"])
    out = tmp_path / "event.misp.json"
    exported = runner.invoke(app, ["cyber", "export", "--incident", misp_id, "--format", "misp", "--out", str(out),
                                   "--user", "de"])
    assert exported.exit_code == 0 and "TLP:RED" in exported.output, exported.output  # the victim mailbox (RED)
    assert "tlp:amber" in {t["name"] for t in json.loads(out.read_text())["Event"]["Tag"]}
    refused = runner.invoke(app, ["cyber", "export", "--incident", misp_id, "--out", str(tmp_path / "x.json"),
                                  "--user", "at"])
    assert refused.exit_code == 2 and "may not see" in refused.output
    seen = json.loads(runner.invoke(app, ["cyber", "sightings", "--format", "json", "--user", "de"]).stdout)
    assert any(i["value"] == "198.51.100.23" and i["sightings"] >= 2 for i in seen)

    # inventories: DE declares its own (illustrative) rows; a row of another member is refused by line
    inventory = tmp_path / "de.csv"
    inventory.write_text("member,cpe,declared\n"
                         "DE-BSI,cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*,2020-01-01\n"
                         "AT-CERT,cpe:2.3:o:fortinet:fortios:7.0.0:*:*:*:*:*:*:*,2020-01-01\n")
    declared = runner.invoke(app, ["cyber", "inventory", str(inventory), "--user", "de"])
    assert declared.exit_code == 1 and "1 products declared for DE-BSI" in declared.output
    assert f"{inventory}:3: member" in declared.output
    exposed = json.loads(runner.invoke(app, ["cyber", "exposure", "--as-of", "2025-08-31", "--format", "json",
                                             "--user", "de"]).stdout)
    (member,) = exposed["members"]
    assert member["member"] == "DE-BSI" and "CVE-2021-26855" in {e["cve_id"] for e in member["exposures"]}
    assert exposed["marking"]["classification"] == "RESTRICTED"
    files = runner.invoke(app, ["cyber", "exposure", "--as-of", "2025-08-31", "--inventory",
                                str(EXAMPLES / "inventory_bravo-csirt.csv")])
    assert files.exit_code == 0 and "BRAVO-CSIRT: 5 of 5 products matched" in files.output


def test_actors_for_acidrains_techniques_lead_to_sandworm() -> None:
    if not ATTACK.exists():
        pytest.skip(f"{ATTACK} absent: ATT&CK is read from ../shared")
    result = CliRunner().invoke(app, ["cyber", "actors", "--techniques", "T1485,T1561.002", "--malware", "AcidRain",
                                      "--format", "json", "--top", "5"])
    assert result.exit_code == 0, result.output
    leads = json.loads(result.stdout)["leads"]
    assert leads[0]["group_id"] == "G0034" and leads[0]["name"] == "Sandworm Team"
    assert {"group_id", "name", "score", "shared_techniques"} <= set(leads[0]) and len(leads) == 5
    empty = CliRunner().invoke(app, ["cyber", "actors"])
    assert empty.exit_code == 2 and "give techniques" in empty.output
