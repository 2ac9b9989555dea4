"""Screening against an independent brute-force reference, a historical collision, and its own proof's premises.

The reference never touches Kompas's parser or propagator: it reads the TLE lines with ``sgp4``'s own
``twoline2rv``, samples every pair every 5 s with ``SatrecArray`` and refines each sampled local minimum with
``scipy.optimize.minimize_scalar``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from sgp4.api import Satrec, SatrecArray

from kompas.space.elements import split_julian_date
from kompas.space.screening import EPS_KM_S2, MU_KM3_S2, screen, thread_map
from kompas.space.tle import parse_tle
from tests.conftest import SAMPLE_TLE

DATA = Path(__file__).resolve().parents[1] / "data"
THRESHOLD_KM = 10.0
REFERENCE_STEP_S = 5.0


def _tle_triples(text: str) -> list[tuple[str, str, str]]:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return [(lines[k], lines[k + 1], lines[k + 2]) for k in range(0, len(lines) - 2, 3)
            if lines[k + 1].startswith("1 ") and lines[k + 2].startswith("2 ")]


@pytest.fixture(scope="module")
def leo_sample(shared_space: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """400 LEO objects (every k-th by NORAD id, distinct elements) from the newest active snapshot, as 3LE text."""
    triples = _tle_triples((shared_space / "active_2026-05-05.tle").read_text())
    leo = [t for t in triples if float(t[2][52:63]) > 11.25]  # > 11.25 rev/day: period < 128 min
    leo.sort(key=lambda t: int(t[1][2:7]))
    seen, picked = set(), []
    for t in leo[:: len(leo) // 420]:
        if t[2][8:63] not in seen:  # one object per element set (no docked duplicates)
            seen.add(t[2][8:63])
            picked.append(t)
    picked = picked[:400]
    return "\n".join("\n".join(t) for t in picked) + "\n", picked


def _reference(triples: list[tuple[str, str, str]], start: np.datetime64, days: float, threshold: float
               ) -> dict[tuple[int, int], list[tuple[float, float]]]:
    """Brute force: per pair, local minima of the distance sampled every 5 s, refined by bounded Brent."""
    sats = [Satrec.twoline2rv(l1, l2) for _, l1, l2 in triples]
    ids = [int(l1[2:7]) for _, l1, _ in triples]
    offsets = np.arange(0.0, days * 86400.0 + REFERENCE_STEP_S / 2, REFERENCE_STEP_S)
    jd0, fr0 = split_julian_date(np.array([start]))
    jd, fr = np.full(offsets.shape, jd0[0]), fr0[0] + offsets / 86400.0
    err, r, _ = SatrecArray(sats).sgp4(jd, fr)
    r[err != 0] = np.nan

    def distance(a: int, b: int, t: float) -> float:
        _, ra, _ = sats[a].sgp4(jd0[0], fr0[0] + t / 86400.0)
        _, rb, _ = sats[b].sgp4(jd0[0], fr0[0] + t / 86400.0)
        return float(np.linalg.norm(np.subtract(rb, ra)))

    found: dict[tuple[int, int], list[tuple[float, float]]] = {}
    reach = threshold + 16.0 * REFERENCE_STEP_S  # 16 km/s covers any LEO relative speed
    for a in range(len(sats) - 1):
        d = np.linalg.norm(r[a + 1:] - r[a], axis=2)  # (others, samples)
        rows, cols = np.nonzero((d[:, 1:-1] <= d[:, :-2]) & (d[:, 1:-1] <= d[:, 2:]) & (d[:, 1:-1] < reach))
        for row, col in zip(rows, cols + 1, strict=True):
            b = a + 1 + row
            best = minimize_scalar(lambda t, a=a, b=b: distance(a, b, t), bounds=(offsets[col - 1], offsets[col + 1]),
                                   method="bounded", options={"xatol": 1e-6})
            if best.fun <= threshold:
                key = (min(ids[a], ids[b]), max(ids[a], ids[b]))
                found.setdefault(key, []).append((float(best.x), float(best.fun)))
    return found


@pytest.mark.shared
@pytest.mark.slow
def test_screening_finds_every_reference_conjunction(leo_sample, capsys):
    """Recall 100% against brute force, TCA within 1 ms and miss within 1 m: on threads, and with the pairs
    partitioned by radius shell (issue 30: 4 partitions of the 400 objects, some pairs of shells never screened)."""
    text, triples = leo_sample
    elsets = parse_tle(text, "sample")[0]
    assert len(elsets) == len(triples) == 400
    start = np.datetime64(max(e.epoch_utc for e in elsets), "ns")
    reference = _reference(triples, start, 1.0, THRESHOLD_KM)
    for how, result in (("threads", screen(elsets, start, 86400.0, THRESHOLD_KM, map_blocks=thread_map(2))),
                        ("partitioned", screen(elsets, start, 86400.0, THRESHOLD_KM, partitions=4))):
        total, matched, worst_t, worst_d = _matches(reference, result, start)
        with capsys.disabled():
            print(f"\nreference: {total} conjunctions < {THRESHOLD_KM} km among 400 LEO objects in 1 day; Kompas "
                  f"({how}, {result.jobs} jobs) found {len(result.conjunctions)}, matched {matched}/{total}; worst TCA "
                  f"{worst_t * 1e3:.4f} ms, worst miss {worst_d:.4f} m")
        assert total >= 20, "the sample should hold enough conjunctions to mean something"
    assert result.jobs > 4  # several partitions (of 4 groups, pairs of groups whose shells overlap), one block each


def _matches(reference: dict, result, start: np.datetime64) -> tuple[int, int, float, float]:  # noqa: ANN001
    """Every reference conjunction found (TCA within 1 ms, miss within 1 m): (total, matched, worst TCA s, worst
    miss m)."""
    ours: dict = {}
    for c in result.conjunctions:
        ours.setdefault((c.primary_id, c.secondary_id), []).append(c)
    worst_t = worst_d = 0.0
    matched = total = 0
    for pair, events in reference.items():
        for t_ref, miss_ref in events:
            total += 1
            if not 0.01 < t_ref < 86400.0 - 0.01:
                continue  # at the window's edge: not a closest approach inside it
            tca_s = [(c.tca_utc - start) / np.timedelta64(1, "s") for c in ours.get(pair, [])]
            assert tca_s, f"missed {pair} at {t_ref:.3f} s, {miss_ref:.4f} km"
            q = int(np.argmin(np.abs(np.subtract(tca_s, t_ref))))
            c = ours[pair][q]
            dt, dd = abs(tca_s[q] - t_ref), abs(c.miss_km - miss_ref) * 1000
            if c.v_rel_km_s > 0.01:  # slower than 10 m/s the TCA is not defined to 1 ms by anyone
                assert dt <= 1e-3, f"{pair}: TCA {dt * 1e3:.3f} ms from the reference"
                worst_t = max(worst_t, dt)
            assert dd <= 1.0, f"{pair}: miss {dd:.3f} m from the reference"
            worst_d = max(worst_d, dd)
            matched += 1
    return total, matched, worst_t, worst_d


@pytest.mark.shared
def test_primaries_mode_equals_the_all_vs_all_rows_of_those_primaries(leo_sample):
    elsets = parse_tle(leo_sample[0], "sample")[0][:150]
    start = np.datetime64(max(e.epoch_utc for e in elsets), "ns")
    everything = screen(elsets, start, 6 * 3600.0, 20.0).conjunctions
    primaries = {e.norad_id for e in elsets[::10]}
    mine = screen(elsets, start, 6 * 3600.0, 20.0, primaries=primaries).conjunctions
    expected = {(c.tca_utc, frozenset((c.primary_id, c.secondary_id))) for c in everything
                if c.primary_id in primaries or c.secondary_id in primaries}
    assert expected and {(c.tca_utc, frozenset((c.primary_id, c.secondary_id))) for c in mine} == expected
    assert all(c.primary_id in primaries for c in mine)


def test_iridium_33_and_cosmos_2251_collide_on_2009_02_10_near_16_56():
    elsets = parse_tle((DATA / "iridium33_cosmos2251_2009-02-09.tle").read_text(), "iridium-cosmos")[0]
    assert len(elsets) == 2  # checksums of both original element sets verified by the parser
    start = np.datetime64("2009-02-10T00:00:00", "ns")
    result = screen(elsets, start, 86400.0, 5.0)
    collision = np.datetime64("2009-02-10T16:56:00", "ns")
    near = [c for c in result.conjunctions if abs(c.tca_utc - collision) <= np.timedelta64(60, "s")]
    assert len(near) == 1
    c = near[0]
    assert (c.primary_id, c.secondary_id) == (22675, 24946)
    assert c.miss_km < 2.0
    assert 11.0 < c.v_rel_km_s < 12.0  # the published 11.7 km/s


def test_pairs_under_the_threshold_at_the_window_edges_are_reported():
    """Two Starlinks 4.93 km apart at the window's start and drifting apart (their minimum lies before it):
    the pair is within the threshold during the window, so it is reported at the edge; likewise at the end."""
    text = (DATA / "starlink_pair_2026-05-05.tle").read_text()
    elsets = parse_tle(text, "starlink-pair")[0]
    edge = np.datetime64("2026-05-07T23:26:19.150656", "ns")
    (l1a, l2a), (l1b, l2b) = [(t[1], t[2]) for t in _tle_triples(text)]
    jd, fr = split_julian_date(np.array([edge]))
    ra = np.array(Satrec.twoline2rv(l1a, l2a).sgp4(jd[0], fr[0])[1])
    rb = np.array(Satrec.twoline2rv(l1b, l2b).sgp4(jd[0], fr[0])[1])
    reference_km = float(np.linalg.norm(rb - ra))
    assert 4.9 < reference_km < 5.0
    after = screen(elsets, edge, 3600.0, 5.0).conjunctions
    assert [(c.label, c.tca_utc) for c in after] == [("window-start", edge)]
    assert abs(after[0].miss_km - reference_km) < 1e-3
    (inside,) = screen(elsets, edge - np.timedelta64(3600, "s"), 3600.0, 5.0).conjunctions
    assert inside.label == "" and inside.tca_utc < edge and inside.miss_km < reference_km
    end = inside.tca_utc - np.timedelta64(60, "s")  # a window that ends while they still approach
    (last,) = screen(elsets, end - np.timedelta64(3600, "s"), 3600.0, 5.0).conjunctions
    assert last.label == "window-end" and abs(last.tca_utc - end) <= np.timedelta64(1, "us")
    assert inside.miss_km < last.miss_km < 5.0
    assert not screen(elsets, edge, 3600.0, 4.9).conjunctions


def _sgp4_acceleration_departure(text: str, source: str) -> float:
    """Largest |d2r/dt2 + mu r/|r|^3| of SGP4 (central differences over 1 s) over all objects at 200 times in a
    week, up to the point where screening treats an object as re-entered."""
    from kompas.space.propagation import Propagator
    from kompas.space.screening import max_radius_km, reentered

    elsets = parse_tle(text, source)[0]
    start = np.datetime64(max(e.epoch_utc for e in elsets), "ns")
    offsets = np.concatenate([[t - 1.0, t, t + 1.0] for t in np.linspace(1.0, 7 * 86400.0, 200)])
    jd0, fr0 = split_julian_date(np.array([start]))
    states, codes = Propagator.from_elements(elsets).grid(np.full(offsets.shape, jd0[0]), fr0[0] + offsets / 86400)
    gone = np.logical_or.accumulate(reentered(states, codes, max_radius_km(elsets)), axis=0)
    gone = gone.reshape(200, 3, -1).any(axis=1)
    r = states[:, 0:3, :].reshape(200, 3, 3, -1)  # (time, -1/0/+1 s, xyz, object)
    acc = r[:, 0] - 2 * r[:, 1] + r[:, 2]
    centre = r[:, 1]
    gravity = -MU_KM3_S2 * centre / np.linalg.norm(centre, axis=1, keepdims=True) ** 3
    departure = np.linalg.norm(acc - gravity, axis=1)
    return float(np.nanmax(np.where(gone, np.nan, departure)))


@pytest.mark.shared
@pytest.mark.parametrize("name", ["active_2026-05-05.tle", "starlink_2026-05-27.tle", "geo_2026-05-24.tle",
                                  "cosmos-2251-debris_2025-02-15.tle", "fengyun-1c-debris_2025-02-15.tle",
                                  "cosmos-1408-debris_2022-01-11.tle", "iridium-33-debris_2024-07-23.tle"])
def test_sgp4_acceleration_stays_within_the_bound_the_screening_margin_assumes(shared_space, name, capsys):
    departure = _sgp4_acceleration_departure((shared_space / name).read_text(), name)
    with capsys.disabled():
        print(f"\n{name}: largest SGP4 departure from point-mass gravity {departure:.2e} km/s^2 (EPS {EPS_KM_S2:.0e})")
    assert departure <= EPS_KM_S2


def _same(a: list, b: list) -> None:
    """The same conjunctions: pairs, labels and order exactly; TCA within 1 microsecond (the root finder's
    tolerance), miss within a micrometre and states within 1e-9 of their size (heyoka's SGP4 runs SIMD batches, whose
    last bit may differ with an object's place in the batch, i.e. with the partition it is screened in)."""
    assert [(c.primary_id, c.secondary_id, c.label) for c in a] == [(c.primary_id, c.secondary_id, c.label) for c in b]
    for x, y in zip(a, b, strict=True):
        assert abs((x.tca_utc - y.tca_utc) / np.timedelta64(1, "ns")) <= 1000
        assert abs(x.miss_km - y.miss_km) <= 1e-9
        assert np.allclose(x.primary_state + x.secondary_state, y.primary_state + y.secondary_state, rtol=1e-9,
                           atol=1e-9)


@pytest.fixture(scope="module")
def catalogue_share(shared_space: Path) -> list:
    """Every 8th distinct object of the newest active snapshot (its newest set): about 1,900 objects in every
    regime, from re-entering Starlinks to CXO's 139,000 km apogee."""
    newest: dict = {}
    for e in parse_tle((shared_space / "active_2026-05-05.tle").read_text(), "active")[0]:
        if e.norad_id not in newest or e.epoch_utc > newest[e.norad_id].epoch_utc:
            newest[e.norad_id] = e
    return [newest[k] for k in sorted(newest)][::8]


@pytest.mark.shared
def test_dask_run_is_identical_to_the_single_process_run(catalogue_share):
    """Time blocks and pair partitions on a LocalCluster of two processes, and on a scheduler reached by its
    address (issue 30): the conjunctions of the single-process run."""
    distributed = pytest.importorskip("distributed")
    from kompas.space.screening import dask_map

    start = np.datetime64(max(e.epoch_utc for e in catalogue_share), "ns")
    single = screen(catalogue_share, start, 6 * 3600.0, 5.0, block_steps=60)
    assert len(single.conjunctions) > 100
    blocks = screen(catalogue_share, start, 6 * 3600.0, 5.0, block_steps=45)  # other blocks: the same
    _same(blocks.conjunctions, single.conjunctions)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            spread = screen(catalogue_share, start, 6 * 3600.0, 5.0, block_steps=60, map_blocks=dask_map(client))
        with distributed.Client(lc.scheduler_address) as client:  # a scheduler by its address, as across machines
            both = screen(catalogue_share, start, 6 * 3600.0, 5.0, block_steps=60, partitions=6,
                          map_blocks=dask_map(client))
    assert spread.conjunctions == single.conjunctions  # the same blocks: bit for bit
    assert both.jobs > 6 * 6 and not both.escaped
    _same(both.conjunctions, single.conjunctions)


@pytest.mark.shared
def test_partitions_skip_far_shells_and_objects_leaving_theirs_are_screened_again(catalogue_share, monkeypatch):
    """Pair partitions screen fewer pairs than all vs all and find the same conjunctions; with shells declared too
    narrow (a margin of -40 km) objects leave them, are reported, and their pairs are screened against every object:
    still the same conjunctions."""
    from kompas.space import screening

    start = np.datetime64(max(e.epoch_utc for e in catalogue_share), "ns")
    single = screen(catalogue_share, start, 3 * 3600.0, 5.0)
    split = screen(catalogue_share, start, 3 * 3600.0, 5.0, partitions=8)
    _same(split.conjunctions, single.conjunctions)
    assert split.candidates <= single.candidates and not split.escaped
    shells = screening.scan_window(screening.make_propagator(catalogue_share), start, 3 * 3600.0)[1]
    jobs = screening.pair_partitions(shells, 8)
    screened = sum(len(m) * (len(m) - 1) // 2 if a == 0 else a * (len(m) - a) for m, a in jobs)
    n = len(catalogue_share)
    assert screened < 0.9 * n * (n - 1) // 2  # far shells never meet (0.82 of the pairs screened here)
    monkeypatch.setattr(screening, "SHELL_MARGIN_KM", -40.0)
    narrow = screen(catalogue_share, start, 3 * 3600.0, 5.0, partitions=8)
    assert len(narrow.escaped) > 10
    _same(narrow.conjunctions, single.conjunctions)


def test_pair_partitions_hold_every_pair_whose_shells_overlap_once() -> None:
    """Random shells, thin and eccentric: each pair of overlapping ranges is in exactly one job, within a group
    (side_a 0) or across two (one member on each side)."""
    from kompas.space.screening import pair_partitions

    rng = np.random.default_rng(30)
    low = rng.uniform(6500, 45000, 300)
    shells = np.stack([low, low + np.where(rng.random(300) < 0.1, rng.uniform(1000, 100000, 300),
                                           rng.uniform(0, 60, 300))], axis=1)
    for parts in (1, 2, 7, 20):
        seen: dict = {}
        for members, side_a in pair_partitions(shells, parts):
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    if side_a and (x < side_a) == (y < side_a):
                        continue
                    key = (min(members[x], members[y]), max(members[x], members[y]))
                    seen[key] = seen.get(key, 0) + 1
        assert set(seen.values()) == {1}
        overlapping = {(a, b) for a in range(300) for b in range(a + 1, 300)
                       if shells[a, 0] <= shells[b, 1] and shells[b, 0] <= shells[a, 1]}
        assert overlapping <= set(seen) and len(overlapping) > 1000
        if parts >= 7:
            assert len(seen) < 300 * 299 // 2  # some far pairs skipped
    # an open osculating orbit (no apogee) among few objects: still every pair (a NaN quantile once left none)
    few = np.array([[7000.0 + k, 7050.0 + k] for k in range(10)] + [[7010.0, np.inf]])
    jobs = pair_partitions(few, 4)
    assert sum(len(m) * (len(m) - 1) // 2 if a == 0 else a * (len(m) - a) for m, a in jobs) == 11 * 10 // 2


def test_a_block_never_holds_more_than_a_chunk_of_sgp4_output(monkeypatch) -> None:
    """Memory (issue 30): SGP4 is asked for at most _CHUNK_SAMPLES samples at a time, and a block's length follows
    BLOCK_BYTES, whatever the window."""
    from kompas.space import screening

    elsets = parse_tle(SAMPLE_TLE.read_text(), "sample")[0][:300]
    asked: list[int] = []
    real = screening.Propagator.grid

    def counting(self, jd, fr):  # noqa: ANN001, ANN202
        asked.append(len(jd))
        return real(self, jd, fr)

    monkeypatch.setattr(screening.Propagator, "grid", counting)
    start = np.datetime64(max(e.epoch_utc for e in elsets), "ns")
    result = screen(elsets, start, 2 * 86400.0, 5.0)
    assert asked and max(asked) <= screening._CHUNK_SAMPLES and result.jobs == 8  # 2 days of 360-sample blocks
    assert screening.block_samples(15_339) == 63 and screening.block_samples(100_000) == 16
    assert screening.block_samples(100, duration_s=600.0) == 10


@pytest.mark.shared
def test_a_decayed_objects_stale_set_is_not_screened_where_sgp4_lets_it_fly_off(shared_space):
    """2023-085H (57011), last published on 2026-03-16 with a 230 km perigee, has re-entered by 2026-04-29; SGP4
    then puts it 16 million km out without an error code. One such state made every pair a grid neighbour (the
    grid cell grows with the largest step), turning a minutes-long screen into hours. It must count as gone."""
    from kompas.space.screening import screen

    old = [e for e in parse_tle((shared_space / "active_2026-03-16.tle").read_text(), "old")[0] if e.norad_id == 57011]
    new = parse_tle((shared_space / "active_2026-04-29.tle").read_text(), "new")[0][:300]
    result = screen(old + new, np.datetime64("2026-04-29T00:00", "ns"), 3600.0, 5.0)
    assert result.errors.get(57011) == 7  # diverged, not an SGP4 error code
    assert all(57011 not in (c.primary_id, c.secondary_id) for c in result.conjunctions)
