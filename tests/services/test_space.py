"""The space service: event detection over a catalogue without printing, progress through a callback, the same
events as `kompas space events`, and the screening CSV written from one place."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from kompas.cli import app
from kompas.files import load_assets, load_catalog
from kompas.services.space import SCREEN_HEADER, conjunction_csv_row, count_by_type, detect_events
from tests.conftest import SAMPLE_TLE


def test_detect_events_reports_progress_and_filters_by_time(tmp_path) -> None:
    catalog, _ = load_catalog([SAMPLE_TLE.parent])
    steps: list[tuple[str, float, float]] = []
    found = detect_events(catalog, load_assets(), proximity_days=0.0, progress=lambda *a: steps.append(a))
    assert found and count_by_type(found) == {"reentry": 1}
    assert [s for s, _, _ in steps][0] == "manoeuvres" and all(0 <= d <= t for _, d, t in steps)
    assert {s for s, d, t in steps if d == t} == {s for s, _, _ in steps}  # every step finished
    later = found[0].epoch_utc + np.timedelta64(1, "s")
    assert detect_events(catalog, {}, 0.0, since=later) == []
    assert len(detect_events(catalog, {}, 0.0, until=later)) == 1

    out = tmp_path / "events.json"  # the command runs the same function
    result = CliRunner().invoke(app, ["space", "events", "--catalog", str(SAMPLE_TLE.parent), "--proximity-days",
                                      "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [e["id"] for e in json.loads(out.read_text())] == [e.id for e in found]


def test_conjunction_rows_quote_names_as_csv() -> None:
    row = {"primary_id": 1, "secondary_id": 2, "tca_utc": "2026-05-05T00:00:00.000Z", "miss_km": 1.5,
           "v_rel_km_s": 7.0, "r_km": 0.1, "t_km": 1.0, "n_km": -1.1, "vr_km_s": 0.0, "vt_km_s": 7.0,
           "vn_km_s": 0.0, "primary_name": 'SAT "A", B', "secondary_name": "DEB", "label": "",
           "same_object_ids": [3, 4]}
    line = conjunction_csv_row(row)
    assert len(SCREEN_HEADER.split(",")) == 15
    assert line == ('1,2,2026-05-05T00:00:00.000Z,1.500000,7.000000,0.100000,1.000000,-1.100000,0.000000,7.000000,'
                    '0.000000,"SAT ""A"", B",DEB,,3 4')


def test_slow_candidates_keeps_the_objects_that_could_approach_an_asset_slowly() -> None:
    """Only objects nearly in an asset's plane can pass it under 1 km/s; the planes' J2 turning is followed."""
    import dataclasses

    from kompas.services.space import slow_candidates

    catalog, _ = load_catalog([SAMPLE_TLE])
    asset = next(obj.latest for obj in catalog if 500 < obj.latest.perigee_altitude_km < 800
                 and obj.latest.eccentricity < 0.01 and 40 < obj.latest.inclination_deg < 80)

    def other(norad_id: int, **change: float):  # noqa: ANN202
        return dataclasses.replace(asset, norad_id=norad_id, **change)

    start = asset.epoch_utc - np.timedelta64(7, "D")
    same_plane = other(1, mean_anomaly_deg=(asset.mean_anomaly_deg + 180) % 360)
    tilted = other(2, inclination_deg=asset.inclination_deg + 3.0)  # 3 deg: ~0.4 km/s at LEO speed, kept
    crossing = other(3, raan_deg=(asset.raan_deg + 30.0) % 360)  # ~30 deg apart: ~3.9 km/s, never slow
    retrograde = other(4, inclination_deg=180.0 - asset.inclination_deg)
    # Higher up, the plane turns slower: with the node 90% of a week's relative turn ahead at the end (over 10 deg
    # apart then), the two planes coincided during the week (kept); 15 deg more, they never came closer than 15
    # deg (dropped).
    higher = other(5, mean_motion_rev_day=asset.mean_motion_rev_day * 0.7)
    week_deg = (_node_rate_deg_day(higher) - _node_rate_deg_day(asset)) * 7.0
    drifted = dataclasses.replace(higher, raan_deg=(asset.raan_deg + 0.9 * week_deg) % 360)
    apart = dataclasses.replace(higher, norad_id=6,
                                raan_deg=(asset.raan_deg + week_deg + np.copysign(15.0, week_deg)) % 360)
    kept = slow_candidates([asset, same_plane, tilted, crossing, retrograde, drifted, apart], {asset.norad_id},
                           start, asset.epoch_utc, 10.0)
    assert [e.norad_id for e in kept] == [asset.norad_id, 1, 2, 5]
    assert abs(0.9 * week_deg) * np.sin(np.radians(asset.inclination_deg)) > 10.0  # apart at the window's end


def _node_rate_deg_day(e) -> float:  # noqa: ANN001 (ElementSet)
    """J2 secular node rate, deg/day (Vallado eq. 9-41)."""
    from kompas.constants import EARTH_RADIUS_WGS72_KM, J2_WGS72

    p = e.semi_major_axis_km * (1 - e.eccentricity**2)
    n = e.mean_motion_rev_day * 360.0
    return -1.5 * n * J2_WGS72 * (EARTH_RADIUS_WGS72_KM / p) ** 2 * np.cos(np.radians(e.inclination_deg))
