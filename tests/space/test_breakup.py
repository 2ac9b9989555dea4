"""The NASA Standard Breakup Model (``kompas.space.breakup``) against its own equations (Johnson et al. 2001, Adv.
Space Res. 28(9) 1377-1384) and against the Cosmos 1408 debris cloud as catalogued on 2022-01-11.

Sampling tests use fixed seeds (so they are reproducible) and enough draws (20,000) to tell the model from a
near miss: each also shows that a deliberately wrong distribution is rejected by the same test. Tolerances:
Kolmogorov-Smirnov p > 0.001 for the right distribution (measured 0.017-0.80), p < 1e-6 for the wrong one
(measured 1e-11 and below); moments within 4 standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from kompas.space.breakup import (
    FIRST_EXERCISE_NORAD_ID,
    LAST_EXERCISE_NORAD_ID,
    BreakupRefused,
    area_from_size,
    area_to_mass_cdf,
    area_to_mass_parameters,
    breakup,
    bstar_from_area_to_mass,
    characteristic_length_from_mass,
    collision_regime,
    delta_v_log10_mean,
    fragment_count,
    sample_area_to_mass,
    sample_delta_v,
    sample_fragments,
    sample_sizes,
    size_cdf,
)
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.fragmentation import clouds, is_fragment, launch_of
from kompas.space.propagation import Propagator, satrec
from kompas.space.tle import format_tle, parse_tle

NOW = np.datetime64("2026-05-06T00:00:00", "ns")
N_DRAWS = 20_000
ORBCOMM = 25118  # ORBCOMM FM06 in the packaged sample: LEO, about 800 km
DSP = 20929  # USA 65 (DSP 15) in the packaged sample: deep space (period about 1,460 min), SDP4
MASS_KG = 500.0  # an input of these tests, not a claim about either object's mass


def _rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


@pytest.fixture(scope="module")
def sample(sample_text: str) -> list[ElementSet]:
    return parse_tle(sample_text, "sample", NOW)[0]


@pytest.fixture(scope="module")
def leo(sample: list[ElementSet]):
    parent = next(e for e in sample if e.norad_id == ORBCOMM)
    return breakup(sample, ORBCOMM, parent.epoch_utc + np.timedelta64(6, "h"), "collision", MASS_KG, 0.1, seed=7)


# --- the equations --------------------------------------------------------------------------------------------------

def test_area_to_mass_parameters_are_the_papers() -> None:
    """Values worked by hand from eqs. 5-7 of the paper (printed coefficients), inside each ramp and beyond it."""
    sc = area_to_mass_parameters(-0.5, "spacecraft")
    expected = {"alpha": 0.3 + 0.4 * 0.7, "mu1": -0.6 - 0.318 * 0.6, "sigma1": 0.1 + 0.2 * 0.8,
                "mu2": -1.2 - 1.333 * 0.2, "sigma2": 0.5, "mu_soc": -1.0, "sigma_soc": 0.2 + 0.1333 * 3.0}
    assert {k: float(v) for k, v in sc.items()} == pytest.approx(expected, abs=1e-12)
    rb = area_to_mass_parameters(-0.5, "rocket_body")
    expected = {"alpha": 1 - 0.3571 * 0.9, "mu1": -0.45, "sigma1": 0.55, "mu2": -0.9, "sigma2": 0.28 - 0.1636 * 0.5,
                "mu_soc": -1.0, "sigma_soc": 0.2 + 0.1333 * 3.0}
    assert {k: float(v) for k, v in rb.items()} == pytest.approx(expected, abs=1e-12)
    big = area_to_mass_parameters(1.0, "spacecraft")
    assert [float(big[k]) for k in ("alpha", "mu1", "sigma1", "mu2", "sigma2")] == [1.0, -0.95, 0.3, -2.0, 0.3]
    small = area_to_mass_parameters([-4.0, -1.5], "spacecraft")
    assert small["mu_soc"].tolist() == pytest.approx([-0.3, -0.3 - 1.4 * 0.25])
    assert small["sigma_soc"].tolist() == pytest.approx([0.2, 0.2 + 0.1333 * 2.0])
    # The printed slopes are rounded: the ramps meet their plateaus to within 1e-3.
    for klass in ("spacecraft", "rocket_body"):
        lam = np.array([-1.95, -1.75, -1.4, -1.3, -1.25, -1.1, -1.0, -0.7, -0.5, -0.3, -0.1, 0.0, 0.1, 0.55])
        for name, left in area_to_mass_parameters(lam - 1e-9, klass).items():
            right = area_to_mass_parameters(lam + 1e-9, klass)[name]
            assert np.abs(left - right).max() < 1e-3, (klass, name)


def test_fragment_counts_area_and_size_of_parent() -> None:
    assert float(fragment_count("explosion", 0.1)) == pytest.approx(6 * 0.1 ** -1.6)
    assert float(fragment_count("explosion", 0.1, scale=0.5)) == pytest.approx(3 * 0.1 ** -1.6)
    assert float(fragment_count("collision", 0.1, model_mass_kg=1000.0)) == pytest.approx(
        0.1 * 1000 ** 0.75 * 0.1 ** -1.71)
    assert float(area_from_size(0.001)) == pytest.approx(0.540424e-6)
    assert float(area_from_size(0.1)) == pytest.approx(0.556945 * 0.1 ** 2.0047077)
    # eq. 1 backwards: a sphere of that diameter and density 92.937 L^-0.74 kg/m^3 has the mass back.
    length = characteristic_length_from_mass(1750.0)
    assert math.pi / 6 * length ** 3 * 92.937 * length ** -0.74 == pytest.approx(1750.0)
    assert float(bstar_from_area_to_mass(0.1)) == pytest.approx(0.15696615 * 2.2 * 0.1 / 2)


def test_catastrophic_test_and_both_collision_branches() -> None:
    hard = collision_regime(1000.0, 1.0, 10.0)  # 0.5 * 1 kg * (10 km/s)^2 / 1000 kg = 50 J/g
    assert (hard.energy_to_mass_j_g, hard.catastrophic, hard.model_mass_kg) == pytest.approx((50.0, True, 1001.0))
    soft = collision_regime(1000.0, 0.5, 10.0)  # 25 J/g: M = 0.5 kg x (10 km/s)^2
    assert (soft.energy_to_mass_j_g, soft.catastrophic, soft.model_mass_kg) == pytest.approx((25.0, False, 50.0))
    assert not collision_regime(1000.0, 0.8, 10.0).catastrophic  # exactly 40 J/g: "above 40" is catastrophic
    assert collision_regime(1.0, 1000.0, 10.0) == collision_regime(1000.0, 1.0, 10.0)  # the target is the larger


# --- the sampled distributions --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "top"), [("collision", 4.88), ("explosion", None)])
def test_sizes_follow_the_power_law(kind: str, top: float | None) -> None:
    sizes = sample_sizes(_rng(1), N_DRAWS, kind, 0.1, top)
    assert sizes.min() >= 0.1 and (top is None or sizes.max() <= top)
    p = stats.kstest(sizes, lambda x: size_cdf(x, kind, 0.1, top)).pvalue
    other = "explosion" if kind == "collision" else "collision"
    wrong = stats.kstest(sizes, lambda x: size_cdf(x, other, 0.1, top)).pvalue
    print(f"sizes ({kind}): KS p = {p:.3f}; against the other kind's exponent p = {wrong:.1e}")
    assert p > 0.001 and wrong < 1e-6


@pytest.mark.parametrize(("size_m", "klass"), [(0.01, "spacecraft"), (0.095, "spacecraft"), (0.3, "spacecraft"),
                                               (2.0, "spacecraft"), (0.095, "rocket_body"), (0.3, "rocket_body")])
def test_area_to_mass_follows_the_model(size_m: float, klass: str) -> None:
    """log10(A/M) at a fixed L_c: small (normal), bridge (8-11 cm) and large (bimodal) regimes."""
    chi = np.log10(sample_area_to_mass(_rng(2), np.full(N_DRAWS, size_m), klass))
    p = stats.kstest(chi, lambda x: area_to_mass_cdf(x, size_m, klass)).pvalue
    print(f"log10(A/M) at L_c = {size_m} m ({klass}): KS p = {p:.3f}")
    assert p > 0.001
    q = area_to_mass_parameters(math.log10(size_m), klass)
    if size_m < 0.08:
        mean, sd = float(q["mu_soc"]), float(q["sigma_soc"])
    elif size_m > 0.11:  # the mixture's moments
        a = float(q["alpha"])
        mean = a * float(q["mu1"]) + (1 - a) * float(q["mu2"])
        second = a * (float(q["sigma1"]) ** 2 + float(q["mu1"]) ** 2) + (1 - a) * (
            float(q["sigma2"]) ** 2 + float(q["mu2"]) ** 2)
        sd = math.sqrt(second - mean ** 2)
    else:
        return
    assert abs(chi.mean() - mean) < 4 * sd / math.sqrt(N_DRAWS)
    assert abs(chi.std() - sd) < 4 * sd / math.sqrt(2 * N_DRAWS)


def test_the_mixture_test_rejects_a_weighted_sum() -> None:
    """Where both modes weigh (L_c = 0.3 m, spacecraft: alpha 0.62), alpha x1 + (1 - alpha) x2 of two draws (a
    reading some implementations use) is a different, narrower distribution: the KS test above must reject it."""
    q = area_to_mass_parameters(math.log10(0.3), "spacecraft")
    rng = _rng(3)
    a = float(q["alpha"])
    chi = a * rng.normal(float(q["mu1"]), float(q["sigma1"]), N_DRAWS) + (1 - a) * rng.normal(
        float(q["mu2"]), float(q["sigma2"]), N_DRAWS)
    assert stats.kstest(chi, lambda x: area_to_mass_cdf(x, 0.3, "spacecraft")).pvalue < 1e-6


@pytest.mark.parametrize(("kind", "chi", "mean"), [("collision", -1.0, 2.0), ("collision", 0.5, 3.35),
                                                   ("explosion", -1.0, 1.65), ("explosion", 0.5, 1.95)])
def test_delta_v_follows_the_model(kind: str, chi: float, mean: float) -> None:
    assert float(delta_v_log10_mean(kind, chi)) == pytest.approx(mean)  # eqs. 11 and 12 worked by hand
    speed, _ = sample_delta_v(_rng(4), np.full(N_DRAWS, 10.0 ** chi), kind)
    logs = np.log10(speed)
    p = stats.kstest(logs, "norm", args=(mean, 0.4)).pvalue
    wrong = stats.kstest(logs, "norm", args=(mean + 0.05, 0.4)).pvalue
    print(f"log10(dv) ({kind}, chi {chi}): KS p = {p:.3f}; shifted by 0.05: p = {wrong:.1e}")
    assert p > 0.001 and wrong < 1e-6
    assert abs(logs.std() - 0.4) < 4 * 0.4 / math.sqrt(2 * N_DRAWS)


def test_delta_v_directions_are_isotropic() -> None:
    _, unit = sample_delta_v(_rng(5), np.full(N_DRAWS, 0.1), "collision")
    assert np.allclose(np.linalg.norm(unit, axis=1), 1.0)
    # Uniform on the sphere: every coordinate is uniform on [-1, 1] (Archimedes) and the azimuth about it uniform.
    for axis in range(3):
        assert stats.kstest(unit[:, axis], "uniform", args=(-1.0, 2.0)).pvalue > 0.001, axis
    azimuth = np.arctan2(unit[:, 1], unit[:, 0]) % (2 * np.pi)
    assert stats.kstest(azimuth, "uniform", args=(0.0, 2 * np.pi)).pvalue > 0.001
    assert np.abs(unit.mean(axis=0)).max() < 4 * math.sqrt(1 / (3 * N_DRAWS))
    # A cap-biased sample (z from |uniform|) fails the same test.
    assert stats.kstest(np.abs(unit[:, 2]), "uniform", args=(-1.0, 2.0)).pvalue < 1e-6


def test_fragments_are_reproducible_from_the_seed() -> None:
    a = sample_fragments("collision", 500, 0.05, 3.0, "spacecraft", seed=11)
    b = sample_fragments("collision", 500, 0.05, 3.0, "spacecraft", seed=11)
    c = sample_fragments("collision", 500, 0.05, 3.0, "spacecraft", seed=12)
    assert np.array_equal(a.size_m, b.size_m) and np.array_equal(a.delta_v_km_s, b.delta_v_km_s)
    assert not np.array_equal(a.size_m, c.size_m)
    assert np.allclose(a.mass_kg * a.area_to_mass_m2_kg, a.area_m2)
    assert np.allclose(np.linalg.norm(a.delta_v_km_s, axis=1) * 1000.0, a.delta_v_m_s)


# --- fragments as orbits --------------------------------------------------------------------------------------------

def _states_at(elsets: list[ElementSet], epoch: np.datetime64) -> np.ndarray:
    jd, fr = split_julian_date(np.array([epoch]))
    states, codes = Propagator.from_elements(elsets).grid(jd, fr)
    assert not codes.any()
    return states[0].T  # (n, 6)


def test_fragments_start_at_the_parent_with_the_sampled_delta_v(leo) -> None:
    """Propagated back to the epoch with the propagator the screening uses (heyoka near-Earth), every fragment is
    at the parent's position within 1 m and moves at the parent's velocity plus its sampled delta-v within 1 mm/s
    (the fit stops at 1 mm and 1 micrometre/s against the reference sgp4; heyoka agrees with it to micrometres)."""
    orbiting = [k for k, e in enumerate(leo.elsets) if e is not None]
    assert len(orbiting) > 0.5 * len(leo.fragments)
    states = _states_at([leo.elsets[k] for k in orbiting], leo.epoch_utc)
    parent = np.asarray(satrec(leo.parent).sgp4(*[float(x[0]) for x in split_julian_date(
        np.array([leo.epoch_utc]))])[1:]).ravel()
    position_error_km = np.linalg.norm(states[:, :3] - parent[:3], axis=1)
    velocity_error_km_s = np.linalg.norm(states[:, 3:] - parent[3:] - leo.fragments.delta_v_km_s[orbiting], axis=1)
    print(f"{len(orbiting)} fragments: position error at epoch max {position_error_km.max() * 1e3:.2g} m, "
          f"velocity error max {velocity_error_km_s.max() * 1e6:.2g} mm/s; fit miss {leo.fit_miss_km * 1e6:.2g} mm")
    assert position_error_km.max() < 1e-3 and velocity_error_km_s.max() < 1e-6
    assert leo.fit_miss_km < 1e-6


def test_deep_space_fragments_are_fitted_too(sample: list[ElementSet]) -> None:
    """An explosion of a deep-space object (SDP4, lunar-solar terms): the same 1 mm fit through the Newton steps."""
    parent = next(e for e in sample if e.norad_id == DSP)
    b = breakup(sample, DSP, parent.epoch_utc, "explosion", MASS_KG, 0.2, seed=1)
    sets = b.orbiting
    assert len(sets) == len(b.fragments) > 50 and all(s == "orbiting" for s in b.status)
    states = _states_at(sets, b.epoch_utc)
    error_km = np.linalg.norm(states[:, :3] - b.parent_position_km, axis=1)
    assert error_km.max() < 1e-3 and b.fit_miss_km < 1e-6


def test_fragment_element_sets_are_synthetic_and_complete(sample: list[ElementSet], leo) -> None:
    ids = [e.norad_id for e in leo.orbiting]
    assert len(set(ids)) == len(ids) and min(ids) >= FIRST_EXERCISE_NORAD_ID and max(ids) <= LAST_EXERCISE_NORAD_ID
    first = leo.orbiting[0]
    assert first.name == "ORBCOMM FM06 EXERCISE DEB" and is_fragment(first) and first.origin == "exercise"
    assert launch_of(first.intl_designator) == "1997-084" and first.epoch_utc == leo.epoch_utc
    pieces = [e.intl_designator for e in leo.orbiting]
    assert len(set(pieces)) == len(pieces) and "1997-084G" not in pieces  # G is the parent's own piece
    k = leo.elsets.index(first)
    assert first.bstar_per_earth_radii == pytest.approx(
        0.15696615 * 2.2 * leo.fragments.area_to_mass_m2_kg[k] / 2)
    with pytest.raises(ValueError, match="339999"):
        format_tle(first)  # nine-digit numbers cannot be written as a TLE: they can never pass for real ones
    # Nothing dropped silently: every fragment has an element set or the reason why not.
    assert all((e is None) == (s.split(":")[0] in ("re-enters", "escapes", "no SGP4 fit"))
               for e, s in zip(leo.elsets, leo.status, strict=True))
    assert len(leo.rows()) == len(leo.fragments)
    assert clouds(leo.orbiting)[0].designator == "1997-084"  # the existing cloud finder sees the exercise cloud
    assert leo.parent_destroyed and leo.summary()["parent_destroyed"]
    after = leo.catalogue_after(sample)
    assert ORBCOMM not in {e.norad_id for e in after} and len(after) == len(sample) - 1 + len(leo.orbiting)


def test_gabbard_input_is_what_the_diagram_takes(leo) -> None:
    from kompas.reports.document import pyplot
    from kompas.reports.gabbard import gabbard_figure

    g = leo.gabbard()
    assert len(g.period_min) == len(g.apogee_km) == len(g.perigee_km) == len(leo.orbiting)
    assert all(a >= p for a, p in zip(g.apogee_km, g.perigee_km, strict=True)) and "EXERCISE" in g.title
    fig = gabbard_figure(**g.as_kwargs())
    assert f"{len(leo.orbiting)} objects" in fig.axes[0].get_title()
    pyplot().close(fig)


def test_mass_budget_and_counts(sample: list[ElementSet], leo) -> None:
    top = characteristic_length_from_mass(MASS_KG)
    drawn = round(float(fragment_count("collision", 0.1, model_mass_kg=MASS_KG)
                        - fragment_count("collision", top, model_mass_kg=MASS_KG)))
    assert leo.expected_count == pytest.approx(0.1 * MASS_KG ** 0.75 * 0.1 ** -1.71)
    assert len(leo.fragments) + leo.dropped_for_mass == drawn and leo.fragments.mass_kg.sum() <= MASS_KG
    loose = breakup(sample, ORBCOMM, leo.epoch_utc, "collision", MASS_KG, 0.1, seed=7, conserve_mass=False)
    assert len(loose.fragments) == drawn and loose.dropped_for_mass == 0
    assert np.array_equal(loose.fragments.size_m[:len(leo.fragments)], leo.fragments.size_m)
    soft = breakup(sample, ORBCOMM, leo.epoch_utc, "collision", MASS_KG, 0.1, projectile_mass_kg=0.5,
                   impact_speed_km_s=10.0)  # 0.5 kg at 10 km/s on 500 kg: 50 J/g, catastrophic
    assert soft.catastrophic and soft.model_mass_kg == pytest.approx(500.5)
    graze = breakup(sample, ORBCOMM, leo.epoch_utc, "collision", MASS_KG, 0.05, projectile_mass_kg=0.1,
                    impact_speed_km_s=10.0)  # 10 J/g: M = 0.1 x 10^2 = 10
    assert not graze.catastrophic and graze.expected_count == pytest.approx(0.1 * 10 ** 0.75 * 0.05 ** -1.71)
    table = breakup(sample, ORBCOMM, leo.epoch_utc, "explosion", None, 0.1, masses_kg={ORBCOMM: 300.0})
    assert (table.mass_kg, table.mass_source) == (300.0, "mass table")
    assert table.expected_count == pytest.approx(6 * 0.1 ** -1.6)


def test_refusals(sample: list[ElementSet]) -> None:
    parent = next(e for e in sample if e.norad_id == ORBCOMM)
    at = parent.epoch_utc
    with pytest.raises(BreakupRefused, match="NORAD 999 is not in the catalogue"):
        breakup(sample, 999, at, mass_kg=MASS_KG)
    with pytest.raises(BreakupRefused, match=r"31\.0 days from the nearest element set.*limit is 30 days"):
        breakup(sample, ORBCOMM, at + np.timedelta64(31, "D"), mass_kg=MASS_KG)
    with pytest.raises(BreakupRefused, match="more than the limit of 100,000: raise min_size_m"):
        breakup(sample, ORBCOMM, at, mass_kg=MASS_KG, min_size_m=0.001)
    for bad in (0.0, -5.0, float("nan")):
        with pytest.raises(BreakupRefused, match="mass_kg .* must be a positive number"):
            breakup(sample, ORBCOMM, at, mass_kg=bad)
    with pytest.raises(BreakupRefused, match="no mass for NORAD 25118 .*--mass-kg"):
        breakup(sample, ORBCOMM, at)
    with pytest.raises(BreakupRefused, match="give both projectile_mass_kg and impact_speed_km_s"):
        breakup(sample, ORBCOMM, at, mass_kg=MASS_KG, projectile_mass_kg=1.0)
    with pytest.raises(BreakupRefused, match="unknown kind"):
        breakup(sample, ORBCOMM, at, "implosion", MASS_KG)  # type: ignore[arg-type]
    with pytest.raises(BreakupRefused, match="first_norad_id"):
        breakup(sample, ORBCOMM, at, mass_kg=MASS_KG, first_norad_id=25544)


# --- against the catalogue ------------------------------------------------------------------------------------------

@pytest.mark.shared
def test_cosmos_1408_count_against_the_catalogued_cloud(shared_space) -> None:
    """Cosmos 1408 (NORAD 13552, about 1,750 kg), destroyed on 2021-11-15 by a Russian direct-ascent ASAT.

    Assumed: a catastrophic collision (a hit-to-kill interceptor at several km/s gives an EMR far above 40 J/g for
    any interceptor above a few kg) with M = 1,750 kg: the interceptor's mass is not public and small against the
    target's (tens of kg would raise M^0.75, hence N, by 1-2 %), so it is neglected. Model: N(>= 10 cm) =
    0.1 x 1750^0.75 x 0.1^-1.71 = 1,388. Catalogue (``cosmos-1408-debris_2022-01-11.tle``, CelesTrak's group 8
    weeks after the test): 923 pieces named COSMOS 1408 DEB. Ratio 1.50, inside the stated tolerance [0.5, 2]
    (order of magnitude); against the ~1,500 pieces the issue cites, 0.93.

    Why they differ: the file holds only the pieces catalogued *and still in orbit* on 2022-01-11: cataloguing a
    cloud takes months (pieces are tracked before they get numbers), and fragments pushed to low perigees by the
    break-up (the model gives them delta-v of tens to hundreds of m/s) re-entered within the 8 weeks; the model's
    L_c >= 10 cm is not the radar's detection limit (a size from radar cross-section, incomplete near 10 cm in LEO);
    and the model is a fit over historical break-ups, not this hit-to-kill geometry (Pardini & Anselmo, as cited by
    Cimmino et al. 2021, Aerospace 8(7) 185, found only one of four accidental catastrophic collisions near the
    model's count)."""
    path = shared_space / "cosmos-1408-debris_2022-01-11.tle"
    elsets, rejected = parse_tle(path.read_text(), str(path), np.datetime64("2022-02-01", "ns"))
    assert not rejected
    catalogued = sum(1 for e in elsets if e.name.strip() == "COSMOS 1408 DEB")
    model = float(fragment_count("collision", 0.1, model_mass_kg=1750.0))
    print(f"Cosmos 1408: model N(>= 10 cm) = {model:.0f}, catalogued 2022-01-11 = {catalogued}, "
          f"ratio {model / catalogued:.2f}")
    assert catalogued == 923
    assert 0.5 <= model / catalogued <= 2.0
    # The break-up itself from the same catalogue: on the test day the element sets are 8 weeks away: refused.
    with pytest.raises(BreakupRefused, match="limit is 30 days"):
        breakup(elsets, 13552, "2021-11-15T02:47:00", mass_kg=1750.0)
    b = breakup(elsets, 13552, "2022-01-11T00:00:00", mass_kg=1750.0)
    assert b.expected_count == pytest.approx(model) and b.catastrophic
    assert 0.5 <= len(b.fragments) / catalogued <= 2.0  # after the mass budget: measured 1,329 (seed 0)
    assert {e.intl_designator for e in b.orbiting}.isdisjoint({e.intl_designator for e in elsets})
