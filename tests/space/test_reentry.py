"""Re-entry prediction against the shared history: objects with a perigee under 250 km that disappear from the
later active snapshots re-entered between their last element set and the first snapshot without them."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.files import load_catalog
from kompas.space.reentry import predict

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_predictions_against_disappearances(shared_space) -> None:
    files = sorted(shared_space.glob("active_*.tle"))
    present = []
    for path in files:
        catalog, _ = load_catalog([path])
        present.append((np.datetime64(path.stem.removeprefix("active_") + "T23:59", "ns"),
                        {obj.latest.norad_id for obj in catalog}))
    history, _ = load_catalog(files)
    cases = []
    for obj in history:
        last = obj.history[-1]
        gone = [day for day, ids in present if day > last.epoch_utc and last.norad_id not in ids]
        if last.perigee_altitude_km < 250 and gone:
            cases.append((last, gone[0]))
    errors_days = []
    for (last, gone), p in zip(cases, predict([c[0] for c in cases]), strict=True):
        assert p.reentry_utc is not None, last
        if last.epoch_utc <= p.reentry_utc <= gone:
            errors_days.append(0.0)
        else:
            errors_days.append(min(abs(p.reentry_utc - last.epoch_utc), abs(p.reentry_utc - gone))
                               / np.timedelta64(1, "D"))
    errors = np.array(errors_days)
    print(f"re-entry: {len(cases)} objects disappeared after a perigee < 250 km; prediction inside the "
          f"disappearance interval for {np.mean(errors == 0):.0%}; error outside it: median {np.median(errors):.1f} d, "
          f"90th percentile {np.percentile(errors, 90):.1f} d")
    assert len(cases) > 50
    assert np.mean(errors == 0) > 0.5 and np.median(errors) <= 1.0 and np.percentile(errors, 90) <= 5.0
