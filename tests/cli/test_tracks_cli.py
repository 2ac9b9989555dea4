"""`kompas space tracks list|show|decide` on a real encounter: the 2009 Iridium 33 / Cosmos 2251 collision screened
on the platform (element sets contributed under two markings), listed, shown with its history, decided on; a user
without need-to-know sees nothing; unusable options exit 2. The same store functions as the API (tested there)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from kompas.cli import app
from tests.api.test_api import IRIDIUM_COSMOS


def test_list_show_and_decide_a_tracked_conjunction(home: Path) -> None:
    from kompas.cli.admin import _store
    from kompas.core.jobs import screen_catalogue
    from kompas.core.markings import Marking

    store = _store(None)
    store.add_org("FR-CNES", "FR", "agency")
    ann = store.authenticate(store.add_user("ann", "NL-NSO", "SECRET", ["sst"]))
    store.add_user("carl", "FR-CNES", "UNCLASSIFIED")
    assert ann is not None
    done = store.contribute_elements(ann, IRIDIUM_COSMOS, "tle", Marking.build("RESTRICTED", "AMBER", ["NL"]),
                                     "test")
    assert done.accepted == 2
    assert len(screen_catalogue(store, np.datetime64("2009-02-10T16:00:00", "ns"), days=1 / 24,
                                threshold_km=5.0)) == 1
    runner = CliRunner()
    listed = runner.invoke(app, ["space", "tracks", "list", "--user", "ann"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert lines[0].startswith("id,norad_a,norad_b,tca_utc") and lines[-1] == "1 of 1 events"
    event_id, norad_a, norad_b, tca = lines[1].split(",")[:4]
    assert (norad_a, norad_b) == ("22675", "24946") and tca.startswith("2009-02-10T16:5")
    shown = runner.invoke(app, ["space", "tracks", "show", event_id, "--user", "ann"])
    assert shown.exit_code == 0 and "22675 / 24946, passed" in shown.output and "\n1,2009-" in shown.output
    decided = runner.invoke(app, ["space", "tracks", "decide", event_id, "accept", "--note", "after the fact",
                                  "--user", "ann"])
    assert decided.exit_code == 0, decided.output
    assert "accept, status closed" in decided.output and "RESTRICTED" in decided.output
    assert "decision: accept by NL-NSO" in runner.invoke(app, ["space", "tracks", "show", event_id]).output
    # carl (FR, UNCLASSIFIED) may see neither set: no event, and the same answer as a missing one
    assert runner.invoke(app, ["space", "tracks", "list", "--user", "carl"]).output.strip().endswith("0 of 0 events")
    hidden = runner.invoke(app, ["space", "tracks", "show", event_id, "--user", "carl"])
    missing = runner.invoke(app, ["space", "tracks", "show", "00000000-0000-0000-0000-000000000000", "--user", "carl"])
    assert hidden.exit_code == missing.exit_code == 1
    assert runner.invoke(app, ["space", "tracks", "decide", event_id, "accept", "--note", "x",
                               "--user", "carl"]).exit_code == 1
    for argv in (["list", "--user", "nobody"], ["list", "--sort", "sideways"], ["list", "--since", "yesterday"],
                 ["decide", event_id, "ignore", "--note", "x", "--user", "ann"]):
        result = runner.invoke(app, ["space", "tracks", *argv])
        assert result.exit_code == 2, (argv, result.output)
        assert "Traceback" not in result.output
