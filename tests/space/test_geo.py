"""GEO behaviour over the shared active history: station-kept slots where the operators publish them, and the
relocations and drifts the history shows."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.files import load_catalog
from kompas.space.geo import behaviour

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def geo(shared_space):
    catalog, _ = load_catalog(sorted(shared_space.glob("active_*.tle")))
    return {g.norad_id: g for g in behaviour([o.history for o in catalog])}


@pytest.mark.parametrize(("norad_id", "slot_deg_e"), [(29055, 19.2), (37775, 19.2), (39163, 7.0), (44334, 7.0)])
def test_station_kept_satellites_sit_in_their_published_slots(geo, norad_id: int, slot_deg_e: float) -> None:
    """ASTRA 1KR/1N at 19.2 deg E and EUTELSAT 7B/7C at 7 deg E (SES and Eutelsat fleet pages)."""
    g = geo[norad_id]
    assert g.station_kept and abs(g.longitude_deg - slot_deg_e) < 0.3 and g.box_deg < 0.3, g


def test_relocations_and_drifts(geo) -> None:
    kept = sum(g.station_kept for g in geo.values())
    moves = [r for g in geo.values() for r in g.relocations]
    print(f"{len(geo)} geosynchronous objects, {kept} station-kept; {sum(r.end_utc is not None for r in moves)} "
          f"relocations, {sum(r.end_utc is None for r in moves)} drifts")
    assert 0.8 < kept / len(geo) < 1.0
    beidou = geo[43683].relocations  # BEIDOU-3 G1: moved east by ~20 deg in April 2026
    assert len(beidou) == 1 and beidou[0].end_utc is not None
    assert abs(beidou[0].from_longitude_deg - 140.0) < 0.5 and abs(beidou[0].to_longitude_deg - 160.1) < 0.5
    assert np.datetime64("2026-04-01") < beidou[0].start_utc < beidou[0].end_utc < np.datetime64("2026-04-20")
    for r in moves:
        if r.end_utc is not None:
            assert abs((r.to_longitude_deg - r.from_longitude_deg + 180) % 360 - 180) >= 0.5
