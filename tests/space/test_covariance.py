"""The element-set-history covariance model (kompas.space.covariance) on constructed cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.space import covariance, realism
from kompas.space.elements import ElementSet

DAY = 86400.0


def _leo(norad_id: int = 25544, epoch: str = "2026-04-20T00:00:00", name: str = "TESTSAT") -> ElementSet:
    return ElementSet(norad_id, np.datetime64(epoch, "ns"), 15.5, 0.0005, 51.6, 120.0, 30.0, 200.0,
                      bstar_per_earth_radii=1e-4, name=name)


def test_rtn_residual_of_an_in_plane_rotation_is_pure_along_track():
    r, v = 7000e3, 7546.0
    reference = np.array([[r, 0.0, 0.0, 0.0, v, 0.0]])
    theta = 0.01  # rad ahead along the orbit: 70 km of arc
    c, s = np.cos(theta), np.sin(theta)
    predicted = np.array([[r * c, r * s, 0.0, -v * s, v * c, 0.0]])
    res = covariance.rtn_residual(predicted, reference)[0]
    assert res[1] == pytest.approx(r * theta, rel=1e-12)  # curvilinear: no radial leak from curvature
    np.testing.assert_allclose(res[[0, 2, 3, 4, 5]], 0.0, atol=1e-6)
    # A radial offset and an out-of-plane one land where they belong.
    predicted = np.array([[r + 30.0, 0.0, 12.0, 0.0, v + 0.5, 0.0]])
    # (radial is the difference of radii: 30 m + 12^2 / (2 r) = 30.00001 m)
    np.testing.assert_allclose(covariance.rtn_residual(predicted, reference)[0], [30.0, 0.0, 12.0, 0.0, 0.5, 0.0],
                               atol=2e-5)


def test_residual_pairs_sign_and_units_from_sgp4():
    # The same elements one second apart: the older set, propagated 1 s, is one orbital speed ahead in-track.
    older = _leo(epoch="2026-04-20T00:00:00")
    newer = _leo(epoch="2026-04-20T00:00:01")
    pairs = covariance.residual_pairs({older.norad_id: [newer, older, older]})  # any order, duplicates dropped
    assert len(pairs) == 1
    assert pairs.age_s[0] == pytest.approx(1.0)
    radial, along, normal = pairs.residual[0, :3]
    assert 7000.0 < along < 8000.0  # m: ~7.6 km/s x 1 s
    assert abs(radial) < 50.0 and abs(normal) < 1.0


def _synthetic_pairs(rng: np.random.Generator, objects: dict[int, float], per_object: int
                     ) -> covariance.Pairs:
    """Pairs of Gaussian residuals, sigma = factor x (100 + 50 age, 300 + 1000 age + 100 age^2, 80 + 20 age) m and
    a thousandth of that in m/s, ages uniform in 0-7 d."""
    ids, ages, res = [], [], []
    for nid, factor in objects.items():
        a = rng.uniform(0.05, 7.0, per_object)
        sigma = factor * np.stack([100 + 50 * a, 300 + 1000 * a + 100 * a * a, 80 + 20 * a], axis=1)
        sigma = np.concatenate([sigma, sigma * 1e-3], axis=1)
        ids.append(np.full(per_object, nid))
        ages.append(a * DAY)
        res.append(rng.standard_normal((per_object, 6)) * sigma)
    age_s = np.concatenate(ages)
    epoch = np.datetime64("2026-04-01T00:00:00", "ns") + (rng.uniform(0, 20, age_s.size) * DAY * 1e9).astype(
        "timedelta64[ns]") + (age_s * 1e9).astype("timedelta64[ns]")
    return covariance.Pairs(np.concatenate(ids).astype(np.int64), age_s, epoch, np.concatenate(res))


def test_fit_recovers_growth_shrinks_short_histories_and_is_realistic_on_fresh_draws():
    rng = np.random.default_rng(19)
    objects = {n: 1.0 for n in range(1, 301)} | {1001: 3.0, 1002: 3.0}  # two noisy objects with long histories
    train = _synthetic_pairs(rng, {n: f for n, f in objects.items()}, 40)
    short = _synthetic_pairs(rng, {2001: 3.0}, 1)  # a short history: one pair
    pairs = covariance.Pairs(*(np.concatenate([a, b]) for a, b in zip(
        (train.norad_id, train.age_s, train.epoch_utc, train.residual),
        (short.norad_id, short.age_s, short.epoch_utc, short.residual), strict=True)))
    groups = {n: ("LEO", "PAY") for n in (*objects, 2001)}
    model = covariance.fit(pairs, groups)

    cov = model.rtn_covariance(1, 2 * DAY)
    assert cov.shape == (6, 6)
    np.testing.assert_allclose(cov, cov.T)
    assert np.all(np.linalg.eigvalsh(cov) > 0)
    truth = np.array([200.0, 2700.0, 120.0])
    # Gaussian residuals: the calibration to 95% coverage leaves the sigmas near the truth.
    np.testing.assert_allclose(np.sqrt(np.diag(cov)[:3]), truth, rtol=0.25)
    assert np.sqrt(cov[3, 3]) == pytest.approx(truth[0] * 1e-3, rel=0.25)  # m/s
    # Growth with age, in along-track fastest.
    assert model.rtn_covariance(1, 6 * DAY)[1, 1] > 4 * model.rtn_covariance(1, 1 * DAY)[1, 1]
    # The noisy long-history object gets its own (3x) scale; the one-pair object stays near the population's.
    assert np.sqrt(model.rtn_covariance(1001, 2 * DAY)[1, 1] / cov[1, 1]) == pytest.approx(3.0, rel=0.3)
    assert np.sqrt(model.rtn_covariance(2001, 2 * DAY)[1, 1] / cov[1, 1]) < 2.0
    # An object never seen takes its population's curve from its element set.
    np.testing.assert_allclose(np.sqrt(np.diag(model.rtn_covariance(99999, 2 * DAY, _leo(99999)))),
                               np.sqrt(np.diag(cov)), rtol=0.3)

    # The CDM writer's view: (NORAD id, age in days) -> the same 6x6.
    np.testing.assert_allclose(covariance.cdm_covariance(model)(1, 2.0), cov)

    fresh = _synthetic_pairs(rng, {n: 1.0 for n in range(1, 301)}, 10)
    c = model.rtn_covariances(fresh.norad_id, fresh.age_s)[:, :3, :3]
    inside = realism.fraction_inside(realism.mahalanobis2(fresh.residual[:, :3], c))
    assert len(fresh) == 3000
    assert 0.92 <= inside <= 0.98


def test_regime_and_type():
    assert covariance.regime(_leo()) == "LEO"
    assert covariance.orbit_class(_leo()) == "LEO:<450"  # perigee ~400 km
    assert covariance.base_regime("LEO:450-600") == "LEO"
    geo = ElementSet(1, np.datetime64("2026-01-01", "ns"), 1.0027, 0.0002, 0.05, 80.0, 10.0, 20.0)
    gps = ElementSet(2, np.datetime64("2026-01-01", "ns"), 2.0056, 0.01, 55.0, 80.0, 10.0, 20.0)
    molniya = ElementSet(3, np.datetime64("2026-01-01", "ns"), 2.006, 0.7, 63.4, 80.0, 270.0, 20.0)
    assert [covariance.regime(e) for e in (geo, gps, molniya)] == ["GEO", "MEO", "HEO"]
    assert covariance.object_type(_leo(name="FENGYUN 1C DEB")) == "DEB"
    assert covariance.object_type(_leo(name="SL-16 R/B")) == "R/B"
    assert covariance.object_type(_leo(name="")) == "UNK"
    assert covariance.object_type(_leo(name="X"), {25544: "DEB"}) == "DEB"


def test_no_history_means_no_model():
    # One element set per object gives no pairs: the caller keeps its default covariance.
    with pytest.raises(ValueError, match="no residual pairs"):
        covariance.for_objects({1: [_leo(1)], 2: [_leo(2, name="X DEB")]})
