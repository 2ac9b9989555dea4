"""Re-entry prediction against the shared history: objects with a perigee under 250 km that left the active
snapshots re-entered between their newest element set and the first snapshot without them
(kompas.space.reentry_check). On every 8th such object (16 of 128) the drag method with a fitted ballistic
coefficient and forecast space weather must put at least 80% of the windows on the bracket, at least as many
as today's SGP4 rule, with windows no wider (median) than the rule's; benchmarks/reentry.py runs all of them."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.files import load_catalog
from kompas.space.reentry import predict
from kompas.space.reentry_check import departures, score

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_drag_against_sgp4_rule_on_departures(shared_space) -> None:
    files = sorted(shared_space.glob("active_*.tle"))
    snapshots = []
    for path in files:
        catalog, _ = load_catalog([path])
        snapshots.append((np.datetime64(path.stem.removeprefix("active_") + "T23:59", "ns"),
                          {obj.latest.norad_id for obj in catalog}))
    history, _ = load_catalog(files)
    histories = {obj.latest.norad_id: obj.history for obj in history if obj.history}
    every = departures(snapshots, histories)
    assert len(every) > 100  # 128 on the 18 snapshots of 2026-03-16..05-05
    cases = every[::8]
    last = [c.last for c in cases]
    base = score(cases, predict(last, method="sgp4"))
    new_predictions = predict(last, histories=histories)
    new = score(cases, new_predictions)
    print(f"\nSGP4 rule: {base.text()}\ndrag:      {new.text()}")
    assert sum(p.method == "drag" for p in new_predictions) >= len(cases) // 2  # the history allowed a fit
    assert all(p.ballistic_m2_kg and p.ballistic_sigma_m2_kg for p in new_predictions if p.method == "drag")
    assert new.inside >= 0.8 and new.inside >= base.inside
    assert new.width_median_days <= base.width_median_days
