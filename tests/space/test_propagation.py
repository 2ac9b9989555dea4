"""Propagation: heyoka and the reference sgp4 agree on real objects; chunking changes nothing; errors are
per state and never stop the batch; time grids are inclusive."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sgp4.api import Satrec

from kompas.space.elements import split_julian_date
from kompas.space.propagation import propagate, propagate_all, time_grid
from kompas.space.tle import parse_tle

NOW = np.datetime64("2026-11-23T00:00:00", "ns")
START = np.datetime64("2026-05-05T00:00:00", "ns")


@pytest.fixture(scope="module")
def elsets(sample_text):
    return parse_tle(sample_text, "sample", NOW)[0]


def test_backends_agree_on_the_sample(elsets):
    times = time_grid(START, START + np.timedelta64(1, "D"), 900)
    fast = propagate_all(elsets, times, "teme")
    ref = propagate_all(elsets, times, "teme", backend="sgp4")
    assert fast.error_code.sum() == 0 and ref.error_code.sum() == 0
    assert np.abs(fast.position_km - ref.position_km).max() < 1e-6  # 1 mm
    assert np.abs(fast.velocity_km_s - ref.velocity_km_s).max() < 1e-9


def test_same_as_sgp4_twoline2rv(sample_text, elsets):
    lines = sample_text.splitlines()
    times = time_grid(START, START + np.timedelta64(6, "h"), 600)
    jd, fr = split_julian_date(times)
    states = propagate_all(elsets, times, "teme", backend="sgp4")
    for i in range(0, len(elsets), 37):
        _, r, _ = Satrec.twoline2rv(lines[3 * i + 1], lines[3 * i + 2]).sgp4_array(jd, fr)
        assert np.abs(r - states.position_km[i]).max() < 1e-9  # 1 micrometre (epoch rounding to ns)


@pytest.mark.parametrize("frame", ["teme", "gcrs", "itrf"])
def test_chunking_does_not_change_results(elsets, frame):
    times = time_grid(START, START + np.timedelta64(2, "h"), 300)
    whole = propagate_all(elsets[:100], times, frame)
    chunks = list(propagate(elsets[:100], times, frame, max_chunk_bytes=200 * len(times) * 7))
    assert len(chunks) > 10
    # heyoka's SIMD lanes may round the last bit differently with another batch size: 1 micrometre.
    assert np.abs(np.concatenate([c.position_km for c in chunks]) - whole.position_km).max() < 1e-9
    assert np.linalg.norm(whole.position_km, axis=-1).min() > 6378


def test_decay_is_reported_per_state_and_batch_goes_on(elsets):
    doomed = replace(elsets[0], norad_id=99999, mean_motion_rev_day=16.4, bstar_per_earth_radii=0.5,
                     eccentricity=0.001)
    batch = [elsets[1], doomed, elsets[2]]
    times = time_grid(START, START + np.timedelta64(20, "D"), 3600)
    batch = [replace(e, epoch_utc=START) for e in batch]
    states = propagate_all(batch, times, "gcrs")
    assert states.error_code[[0, 2]].sum() == 0
    errors = states.errors()
    assert list(errors) == [99999] and errors[99999][0] == 6
    assert np.isnan(states.position_km[1][states.error_code[1] != 0]).all()


def test_time_grid_is_inclusive():
    grid = time_grid(START, START + np.timedelta64(10, "m"), 60)
    assert len(grid) == 11 and grid[-1] == START + np.timedelta64(10, "m")
    with pytest.raises(ValueError):
        time_grid(START, START - np.timedelta64(1, "s"), 60)
