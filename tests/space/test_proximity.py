"""Protected assets and proximity grouping."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.files import ASSETS, load_assets
from kompas.space.proximity import Asset, group
from kompas.space.screening import Conjunction
from kompas.space.tle import parse_tle

T0 = np.datetime64("2026-05-01T00:00", "ns")


@pytest.mark.shared
def test_every_shipped_asset_id_is_in_the_catalogue_under_its_name(shared_space) -> None:
    assets = load_assets(ASSETS)
    names = {e.norad_id: e.name.strip() for e in parse_tle((shared_space / "active_2026-05-05.tle").read_text(),
                                                             "active")[0]}
    stale = {n: a.name for n, a in assets.items() if names.get(n) != a.name}
    assert len(assets) > 60 and not stale, f"stale asset ids: {stale}"
    assert {a.programme for a in assets.values()} >= {"Galileo", "Copernicus", "EGNOS", "governmental GEO"}


def _approach(asset: int, other: int, hours: float, miss_km: float, v_km_s: float) -> Conjunction:
    return Conjunction(min(asset, other), max(asset, other), "", "", T0 + np.timedelta64(int(hours * 3600), "s"),
                       miss_km, v_km_s, (0.0, miss_km, 0.0), (0.0, v_km_s, 0.0), (0,) * 6, (0,) * 6)


def test_repeated_sustained_and_manoeuvred_approaches() -> None:
    assets = {1: Asset(1, "SYRACUSE 4A", "FR", "governmental GEO"), 2: Asset(2, "GSAT0101", "EU", "Galileo"),
              3: Asset(3, "GSAT0102", "EU", "Galileo")}
    approaches = ([_approach(1, 900, h, 30.0, 0.5) for h in (1, 25, 49)]  # repeated
                  + [_approach(1, 903, h, 3.0, 9.0) for h in (1, 25, 49)]  # repeated crossings at 9 km/s: not RPO
                  + [_approach(1, 901, 5, 20.0, 0.01)]  # once, but slow: sustained
                  + [_approach(1, 902, 5, 40.0, 3.0)]  # once and fast: a crossing, not RPO
                  + [_approach(2, 3, h, 5.0, 0.001) for h in (1, 2, 3)])  # same programme: not reported
    found = group(approaches, assets, {901: [T0]})
    assert [(p.asset.norad_id, p.other_id, p.repeated, p.sustained, p.manoeuvred) for p in found] == [
        (1, 900, True, False, False), (1, 901, False, True, True)]
    assert found[0].approaches == 3 and found[0].closest_km == 30.0


def test_malformed_asset_files_are_refused_with_the_entry(tmp_path) -> None:
    bad = tmp_path / "assets.yaml"
    bad.write_text("assets:\n  - {norad_id: 1, name: A}\n  - {name: B}\n")
    with pytest.raises(ValueError, match="asset 2"):
        load_assets(bad)


@pytest.mark.shared
def test_distance_series_agrees_with_the_screened_approaches(shared_space) -> None:
    """ASTRA 3B (36581) near the EGNOS host ASTRA 5B (39617), co-located at 31.5 deg E: the distance curve
    sampled every minute dips to each screened closest approach and never below it."""
    from kompas.space.proximity import distance_series
    from kompas.space.screening import screen

    elsets = {e.norad_id: e for e in parse_tle((shared_space / "active_2026-05-05.tle").read_text(), "active")[0]
              if e.norad_id in (39617, 36581)}
    asset, other = elsets[39617], elsets[36581]
    end = max(asset.epoch_utc, other.epoch_utc)
    start = end - np.timedelta64(7, "D")
    result = screen([asset, other], start, 7 * 86400.0, 50.0, primaries={39617})
    found = group(result.conjunctions, {39617: Asset(39617, "ASTRA 5B", "EU", "EGNOS")}, {})
    assert len(found) == 1 and found[0].repeated and found[0].approaches >= 5
    times, km = distance_series(asset, other, start, end, step_s=60.0)
    assert km.min() >= found[0].closest_km - 1e-3
    for when, miss, speed in zip(found[0].approach_times_utc, found[0].approach_km, found[0].approach_km_s,
                                 strict=True):
        near = np.abs((times - when) / np.timedelta64(1, "s")) <= 60
        # a sample lies within 30 s of the closest approach: straight-line motion bounds its distance
        assert miss - 1e-3 <= km[near].min() <= np.hypot(miss, speed * 30.0) + 1e-3
