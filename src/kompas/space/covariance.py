"""Position and velocity uncertainty of catalogue objects from their own element-set history.

General-perturbations element sets (TLE/OMM) come without covariance. Their prediction error can still be
measured from the catalogue itself. Osweiler (2006, AFIT thesis "Covariance estimation and autocorrelation of
NORAD two-line element sets") differences an element set's SGP4 prediction against later element sets of the
same object and studies the growth of those differences in the orbit frame; Flohrer, Krag & Klinkrad (2008,
"Assessment and categorization of TLE orbit errors for the US SSN catalogue", ESA's CRASS) tabulate TLE
errors by population (eccentricity, perigee height, inclination) as look-up covariances for objects without
their own. This module combines the two, vectorised over a whole catalogue:

1. :func:`residual_pairs`: every (older, newer) pair of an object's sets up to ``max_age_days`` apart; the
   older set is propagated with SGP4 (:class:`kompas.space.propagation.Propagator`: heyoka near-Earth, the
   reference ``sgp4`` code deep-space) to the newer set's epoch and differenced with the newer set's state
   there, in the newer state's radial / transverse (along-track) / normal frame (:func:`rtn_residual`: position
   in curvilinear form so that along-track errors of tens of km do not leak into radial), m and m/s.
2. :func:`fit`: per population (orbit class: LEO by perigee-height band, MEO, GEO, HEO; x SATCAT object type
   PAY / R/B / DEB / UNK; thin populations fall back to the orbit class, the regime, then everything) a growth
   curve ``sigma_k(age) = a_k + b_k age + c_k age^2`` per RTN component ``k`` (non-negative coefficients fitted
   to robust per-age-bin scales, ``median(e^2) / 0.455`` being the variance of a Gaussian core) and the
   correlation of normalised residuals. Per object, a multiplier on each component's curve from the root mean
   square of its own normalised residuals, shrunk toward 1 in log with weight ``n / (n + shrink_pairs)``, so
   that short histories take the population prior and an object's manoeuvres widen its own covariance. Last, per
   population and age bin, a calibration factor putting 95% of the residuals inside the 95% ellipsoid (element-
   set errors are heavier-tailed than Gaussian), measured out of sample: object multipliers from the pairs
   ending before a split time, residuals of the pairs starting after it.
3. :class:`CovarianceModel`: ``rtn_covariance(norad_id, age_s)`` gives the 6x6 RTN covariance (m^2, m^2/s,
   m^2/s^2) of an object's element set propagated ``age_s`` seconds (TCA minus the set's epoch); the model is
   a direct function of propagation age, so no state-transition (Jacobian) propagation to TCA is needed.

The residual of a pair contains the newer set's own error as well as the propagated one: the model describes
the difference between an element-set prediction and the next element set, slightly conservative against a
better truth (operator ephemerides). Realism is measured on held-out sets by ``benchmarks/covariance_realism.py``
and ``tests/space/test_covariance_realism.py`` with :mod:`kompas.space.realism`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.frames import rtn_axes
from kompas.space.propagation import Propagator

REGIMES = ("LEO", "MEO", "GEO", "HEO")
OBJECT_TYPES = ("PAY", "R/B", "DEB", "UNK")
ALL = "ALL"
#: Median of chi-square(1): ``median(e^2) / MEDIAN_CHI2_1`` is the variance of a Gaussian from its core.
MEDIAN_CHI2_1 = 0.454936423119572
#: Propagation-age bins (days) of the growth-curve fit.
AGE_BINS_DAYS = np.array([0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 14.0, 21.0, 30.0,
                          45.0, 60.0])
_DAY_S = 86400.0


def regime(elset: ElementSet) -> str:
    """Orbit regime of an element set: HEO (eccentricity >= 0.25), GEO (0.9-1.1 rev/day), LEO (period up to
    128 min, 11.25 rev/day and more), else MEO."""
    if elset.eccentricity >= 0.25:
        return "HEO"
    if 0.9 <= elset.mean_motion_rev_day <= 1.1:
        return "GEO"
    if elset.mean_motion_rev_day >= 11.25:
        return "LEO"
    return "MEO"


#: Perigee-height band edges (km) splitting LEO populations (drag, the main along-track error source, falls
#: steeply with height; Flohrer et al. 2008 categorise by perigee height too).
LEO_PERIGEE_BANDS_KM = (450.0, 600.0, 900.0)


def orbit_class(elset: ElementSet) -> str:
    """Population label by orbit: the regime, LEO split by perigee height (``LEO:<450``, ``LEO:450-600``,
    ``LEO:600-900``, ``LEO:>900``, km); :func:`base_regime` gives the regime back."""
    reg = regime(elset)
    if reg != "LEO":
        return reg
    h = elset.perigee_altitude_km
    edges = LEO_PERIGEE_BANDS_KM
    if h < edges[0]:
        return f"LEO:<{edges[0]:.0f}"
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        if h < hi:
            return f"LEO:{lo:.0f}-{hi:.0f}"
    return f"LEO:>{edges[-1]:.0f}"


def base_regime(orbit: str) -> str:
    """The regime (LEO, MEO, GEO, HEO or ALL) of an :func:`orbit_class` label."""
    return orbit.split(":")[0]


def object_type(elset: ElementSet, known: Mapping[int, str] | None = None) -> str:
    """SATCAT object type (PAY, R/B, DEB, UNK): from ``known`` (NORAD id -> SATCAT ``OBJECT_TYPE``, e.g. from
    :func:`kompas.space.satcat.parse_satcat`) when given, else from the catalogue name (``... DEB``, ``... R/B``,
    otherwise a named object is taken as a payload), UNK when nothing is known."""
    if known is not None and known.get(elset.norad_id) in OBJECT_TYPES:
        return str(known[elset.norad_id])
    name = elset.name.upper()
    if " DEB" in f" {name}" or name.endswith("DEB"):
        return "DEB"
    if "R/B" in name:
        return "R/B"
    return "PAY" if name.strip() else "UNK"


def rtn_residual(predicted: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Predicted minus reference states (n, 6) (m, m/s, inertial) in the reference's RTN (n, 6).

    Position in curvilinear form, so that along-track errors of tens of km do not leak into radial by the
    orbit's curvature: radial = difference of radii, transverse = reference radius x in-plane angle from the
    reference to the predicted position, normal = predicted position along the reference's orbit normal. For
    errors small against the radius these are the Cartesian RTN components. Velocity: each state's velocity in
    its own position's RTN axes (normal of the reference orbit), differenced.
    """
    rp, vp = predicted[:, 0:3], predicted[:, 3:6]
    rt, vt = reference[:, 0:3], reference[:, 3:6]
    axes = rtn_axes(rt, vt)
    p = np.einsum("nij,nj->ni", axes, rp)
    radius_t = np.linalg.norm(rt, axis=1)
    angle = np.arctan2(p[:, 1], p[:, 0])
    position = np.stack([np.linalg.norm(rp, axis=1) - radius_t, radius_t * angle, p[:, 2]], axis=1)
    # Predicted velocity in the RTN axes of its own position (rotated by the in-plane angle), reference in its.
    v_ref = np.einsum("nij,nj->ni", axes, vt)
    v_pred = np.einsum("nij,nj->ni", axes, vp)
    c, s = np.cos(angle), np.sin(angle)
    v_pred_own = np.stack([c * v_pred[:, 0] + s * v_pred[:, 1], -s * v_pred[:, 0] + c * v_pred[:, 1],
                           v_pred[:, 2]], axis=1)
    return np.concatenate([position, v_pred_own - v_ref], axis=1)


@dataclass(frozen=True)
class Pairs:
    """Residuals of element-set pairs: ``norad_id`` (n,), ``age_s`` (n,) from the older set's epoch to the
    newer one's, ``epoch_utc`` (n,) of the newer set, ``residual`` (n, 6) older-propagated minus newer, in the
    newer state's RTN (m, m/s)."""

    norad_id: np.ndarray
    age_s: np.ndarray
    epoch_utc: np.ndarray
    residual: np.ndarray

    def __len__(self) -> int:
        return int(self.norad_id.size)


def _unique_by_epoch(sets: Iterable[ElementSet]) -> list[ElementSet]:
    out: dict[np.datetime64, ElementSet] = {}
    for e in sets:
        out.setdefault(e.epoch_utc, e)
    return [out[t] for t in sorted(out)]


def residual_pairs(history: Mapping[int, Sequence[ElementSet]], *, max_age_days: float = 14.0,
                   min_age_days: float = 0.0) -> Pairs:
    """Every (older, newer) pair of each object's element sets (duplicates by epoch dropped) with the newer
    epoch ``min_age_days`` to ``max_age_days`` after the older; the older set propagated to the newer set's
    epoch, the difference in RTN of the newer state (m, m/s). Pairs where SGP4 fails are left out."""
    flat: list[ElementSet] = []
    older: list[np.ndarray] = []
    newer: list[np.ndarray] = []
    for sets in history.values():
        unique = _unique_by_epoch(sets)
        m = len(unique)
        if m < 2:
            continue
        t = np.array([e.epoch_utc for e in unique], dtype="datetime64[ns]")
        i, j = np.triu_indices(m, 1)
        age = (t[j] - t[i]) / np.timedelta64(1, "D")
        keep = (age <= max_age_days) & (age >= min_age_days)
        base = len(flat)
        flat.extend(unique)
        older.append(base + i[keep])
        newer.append(base + j[keep])
    if not older:
        empty = np.empty(0)
        return Pairs(empty.astype(np.int64), empty, empty.astype("datetime64[ns]"), np.empty((0, 6)))
    oi, ni = np.concatenate(older), np.concatenate(newer)
    epochs = np.array([e.epoch_utc for e in flat], dtype="datetime64[ns]")
    ids = np.array([e.norad_id for e in flat], dtype=np.int64)
    prop = Propagator.from_elements(flat)
    jd, fr = split_julian_date(epochs)
    reference, ref_code = prop.each(jd, fr)  # every set at its own epoch: (6, n)
    predicted, code = prop.subset(oi).each(jd[ni], fr[ni])
    ok = (code == 0) & (ref_code[ni] == 0)
    residual = rtn_residual(predicted[:, ok].T * 1000.0, reference[:, ni[ok]].T * 1000.0)
    age_s = (epochs[ni[ok]] - epochs[oi[ok]]) / np.timedelta64(1, "s")
    return Pairs(ids[ni[ok]], age_s.astype(float), epochs[ni[ok]], residual)


def prediction_residuals(predictors: Mapping[int, ElementSet], truths: Sequence[ElementSet]) -> Pairs:
    """Residuals of each truth element set against the prediction of its object's set in ``predictors``
    (NORAD id -> element set) propagated to the truth's epoch: ``age_s`` truth epoch minus predictor epoch,
    residual predicted minus truth in the truth state's RTN (m, m/s). Truths without a predictor, or where SGP4
    fails, are left out. Used to test realism on held-out sets (later GP sets, or operator SupGP fits)."""
    use = [t for t in truths if t.norad_id in predictors]
    if not use:
        empty = np.empty(0)
        return Pairs(empty.astype(np.int64), empty, empty.astype("datetime64[ns]"), np.empty((0, 6)))
    pred = [predictors[t.norad_id] for t in use]
    epochs = np.array([t.epoch_utc for t in use], dtype="datetime64[ns]")
    jd, fr = split_julian_date(epochs)
    truth, tcode = Propagator.from_elements(use).each(jd, fr)
    predicted, pcode = Propagator.from_elements(pred).each(jd, fr)
    ok = (tcode == 0) & (pcode == 0)
    residual = rtn_residual(predicted[:, ok].T * 1000.0, truth[:, ok].T * 1000.0)
    pred_epochs = np.array([p.epoch_utc for p in pred], dtype="datetime64[ns]")
    age_s = ((epochs - pred_epochs) / np.timedelta64(1, "s"))[ok].astype(float)
    ids = np.array([t.norad_id for t in use], dtype=np.int64)[ok]
    return Pairs(ids, age_s, epochs[ok], residual)


def _group_medians(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median of ``values`` (n, k) per distinct key (columns independently): (keys, counts, medians (g, k))."""
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    lo, hi = starts + (counts - 1) // 2, starts + counts // 2
    med = np.empty((uniq.size, values.shape[1]))
    for k in range(values.shape[1]):
        order = np.lexsort((values[:, k], inverse))
        v = values[order, k]
        med[:, k] = 0.5 * (v[lo] + v[hi])
    return uniq, counts, med


@dataclass
class GrowthCurve:
    """One population's model: ``sigma_k(age_days) = coef[k, 0] + coef[k, 1] age + coef[k, 2] age^2`` (m for
    k = R, T, N; m/s for k = vR, vT, vN), the 6x6 correlation of normalised residuals, the calibration factors
    on the position and velocity sigmas, and the number of pairs and objects it was fitted to."""

    coef: np.ndarray
    correlation: np.ndarray
    calibration: np.ndarray = field(default_factory=lambda: np.ones((1, 2)))
    calibration_age_days: np.ndarray = field(default_factory=lambda: np.zeros(1))
    pairs: int = 0
    objects: int = 0
    prior_calibration: np.ndarray = field(default_factory=lambda: np.ones((1, 2)))
    prior_calibration_age_days: np.ndarray = field(default_factory=lambda: np.zeros(1))

    def calibration_at(self, age_days: np.ndarray, prior: bool = False) -> np.ndarray:
        """Calibration factors (n, 2) on the position and velocity sigmas at ``age_days`` (n,): interpolated
        linearly between the age bins' calibrations, constant beyond the first and last. ``prior``: those for an
        object without a multiplier of its own (not fitted)."""
        a = np.abs(np.asarray(age_days, dtype=float))
        ages, factors = ((self.prior_calibration_age_days, self.prior_calibration) if prior
                         else (self.calibration_age_days, self.calibration))
        return np.stack([np.interp(a, ages, factors[:, b]) for b in (0, 1)], axis=1)

    def sigma(self, age_days: np.ndarray) -> np.ndarray:
        """Uncalibrated 1-sigma per component (n, 6) at ``age_days`` (n,) (absolute age)."""
        a = np.abs(np.asarray(age_days, dtype=float))[:, None]
        return self.coef[:, 0] + self.coef[:, 1] * a + self.coef[:, 2] * a * a


def _fit_curve(age_days: np.ndarray, residual: np.ndarray, min_per_bin: int = 12) -> np.ndarray:
    """Non-negative quadratic growth per component (6, 3) from robust per-bin sigmas, weighted by relative
    precision (sqrt of the bin count over the bin sigma)."""
    which = np.digitize(age_days, AGE_BINS_DAYS) - 1
    coef = np.zeros((6, 3))
    rows, targets, weights = [], [], []
    for b in np.unique(which):
        sel = which == b
        if sel.sum() < min_per_bin:
            continue
        a = float(np.median(age_days[sel]))
        sigma = np.sqrt(np.median(residual[sel] ** 2, axis=0) / MEDIAN_CHI2_1)
        rows.append([1.0, a, a * a])
        targets.append(sigma)
        weights.append(np.sqrt(sel.sum()) / np.maximum(sigma, 1e-9))
    if not rows:
        sigma = np.sqrt(np.median(residual**2, axis=0) / MEDIAN_CHI2_1) if residual.size else np.ones(6)
        coef[:, 0] = np.maximum(sigma, 1e-6)
        return coef
    design, target, weight = np.array(rows), np.array(targets), np.array(weights)
    for k in range(6):
        coef[k], _ = optimize.nnls(design * weight[:, k:k + 1], target[:, k] * weight[:, k])
        if coef[k].sum() <= 0:
            coef[k, 0] = max(float(np.max(target[:, k])), 1e-6)
        coef[k, 0] = max(coef[k, 0], 1e-3 * max(float(np.max(target[:, k])), 1e-6))  # floor at epoch
    return coef


@dataclass
class CovarianceModel:
    """Fitted covariance model (see the module documentation). ``curves``: population key (orbit class, object
    type) -> :class:`GrowthCurve`, with (orbit class, ALL), (regime, ALL) and (ALL, ALL) fallbacks; ``group``:
    NORAD id -> key of the curve it uses; ``scale``: NORAD id -> (6,) shrunk per-component multipliers of that
    curve (objects with at least one residual pair); ``pairs``: NORAD id -> number of pairs behind its scale."""

    curves: dict[tuple[str, str], GrowthCurve]
    group: dict[int, tuple[str, str]]
    scale: dict[int, np.ndarray]
    pairs: dict[int, int]

    def curve_for(self, key: tuple[str, str]) -> tuple[tuple[str, str], GrowthCurve]:
        """The curve of population ``key`` (orbit class, object type) or its fallbacks: (orbit class, ALL),
        (regime, ALL), (ALL, ALL)."""
        for k in (key, (key[0], ALL), (base_regime(key[0]), ALL), (ALL, ALL)):
            if k in self.curves:
                return k, self.curves[k]
        raise KeyError(key)

    def rtn_covariances(self, norad_ids: Sequence[int] | np.ndarray, ages_s: Sequence[float] | np.ndarray,
                        elsets: Mapping[int, ElementSet] | None = None,
                        object_types: Mapping[int, str] | None = None) -> np.ndarray:
        """6x6 RTN covariances (n, 6, 6) in m^2, m^2/s, m^2/s^2 of each object's element set propagated
        ``ages_s`` seconds (TCA minus epoch; the absolute value is used). An object the model was not fitted to
        takes its population's curve, its population from ``elsets`` (NORAD id -> element set) when given,
        else the whole catalogue's."""
        ids = np.asarray(norad_ids, dtype=np.int64)
        age_days = np.abs(np.asarray(ages_s, dtype=float)) / _DAY_S
        out = np.empty((ids.size, 6, 6))
        keys = []
        for nid in ids:
            nid = int(nid)
            if nid in self.group:
                keys.append(self.group[nid])
            elif elsets is not None and nid in elsets:
                keys.append((orbit_class(elsets[nid]), object_type(elsets[nid], object_types)))
            else:
                keys.append((ALL, ALL))
        scales = np.array([self.scale.get(int(n), np.ones(6)) for n in ids]).reshape(ids.size, 6)
        fitted = np.array([int(n) in self.scale for n in ids], dtype=bool)
        for key in set(keys):
            _, curve = self.curve_for(key)
            sel = np.array([k == key for k in keys])
            sigma = curve.sigma(age_days[sel]) * scales[sel]
            calibration = np.where(fitted[sel][:, None], curve.calibration_at(age_days[sel]),
                                   curve.calibration_at(age_days[sel], prior=True))
            sigma[:, 0:3] *= calibration[:, 0:1]
            sigma[:, 3:6] *= calibration[:, 1:2]
            out[sel] = curve.correlation * sigma[:, :, None] * sigma[:, None, :]
        return out

    def rtn_covariance(self, norad_id: int, age_s: float, elset: ElementSet | None = None) -> np.ndarray:
        """6x6 RTN covariance (m^2, m^2/s, m^2/s^2) of object ``norad_id``'s element set ``age_s`` seconds
        after (or before) its epoch; ``elset`` places an object the model was not fitted to in its population."""
        return self.rtn_covariances([norad_id], [age_s], None if elset is None else {norad_id: elset})[0]


def _correlation(u: np.ndarray, clip: float = 4.0) -> np.ndarray:
    """Correlation of normalised residuals (n, 6), the rows with any component beyond ``clip`` left out."""
    keep = np.all(np.abs(u) < clip, axis=1)
    if keep.sum() < 20:
        return np.eye(6)
    v = u[keep]
    c = v.T @ v / keep.sum()
    d = np.sqrt(np.diag(c))
    corr = c / np.outer(d, d)
    # Keep it safely positive definite.
    w, q = np.linalg.eigh(corr)
    corr = (q * np.maximum(w, 1e-3)) @ q.T
    d = np.sqrt(np.diag(corr))
    return corr / np.outer(d, d)


def _object_scales(ids: np.ndarray, u: np.ndarray, shrink_pairs: float, statistic: str
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per object (sorted ids): the multipliers (g, 6) of its population's sigmas from its normalised residuals
    ``u`` (n, 6), shrunk toward 1 in log with weight ``n / (n + shrink_pairs)``, and its pair counts. ``rms``:
    root mean square (an object's manoeuvres widen its own covariance); ``median``: Gaussian-core estimate."""
    if ids.size == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, 6)), np.empty(0, dtype=np.int64)
    if statistic == "median":
        uniq, counts, med = _group_medians(ids, u * u)
        second = med / MEDIAN_CHI2_1
    elif statistic == "rms":
        uniq, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        second = np.stack([np.bincount(inverse, weights=u[:, k] ** 2) for k in range(6)], axis=1) / counts[:, None]
    else:
        raise ValueError(f"unknown statistic {statistic!r}; expected 'rms' or 'median'")
    weight = counts / (counts + shrink_pairs)
    return uniq, np.exp(weight[:, None] * 0.5 * np.log(np.maximum(second, 1e-12))), counts


def _binned_calibration(age_days: np.ndarray, m2: np.ndarray, coverage: float, threshold: float, min_pairs: int
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Per age bin with at least ``min_pairs`` pairs: its median age and the factors (position, velocity) on the
    sigmas that put ``coverage`` of its squared Mahalanobis distances ``m2`` (n, 2) inside ``threshold``."""
    which = np.digitize(age_days, AGE_BINS_DAYS) - 1
    ages, factors = [], []
    for b in np.unique(which):
        in_bin = which == b
        if in_bin.sum() >= min_pairs:
            ages.append(float(np.median(age_days[in_bin])))
            factors.append(np.sqrt(np.quantile(m2[in_bin], coverage, axis=0) / threshold))
    return np.array(ages), np.array(factors).reshape(len(factors), 2)


def fit(pairs: Pairs, groups: Mapping[int, tuple[str, str]], *, shrink_pairs: float = 8.0,
        min_group_pairs: int = 300, min_group_objects: int = 10, coverage: float = 0.95,
        object_statistic: str = "rms", min_calibration_pairs: int = 200, split_quantile: float = 0.6
        ) -> CovarianceModel:
    """Fit the model to residual ``pairs`` (:func:`residual_pairs`); ``groups``: NORAD id -> (orbit class, object
    type) (:func:`populations`). Per-object multipliers (``object_statistic`` ``rms`` or ``median`` of the
    normalised residuals) are shrunk toward their population with weight ``n / (n + shrink_pairs)`` in log;
    populations with fewer than ``min_group_pairs`` pairs or ``min_group_objects`` objects use their fallback;
    each population's sigmas are calibrated per age bin (bins of at least ``min_calibration_pairs`` pairs) so
    that ``coverage`` of its pairs fall inside the ``coverage`` ellipsoid (position and velocity separately),
    out of sample where the data allow (split at the ``split_quantile`` of the newer epochs). Raises ValueError
    without pairs (no object with two element sets): callers then keep their default covariance."""
    if len(pairs) == 0:
        raise ValueError("no residual pairs to fit")
    age_days = pairs.age_s / _DAY_S
    ids = pairs.norad_id
    key_of_pair = np.array([f"{groups.get(int(n), (ALL, ALL))[0]}|{groups.get(int(n), (ALL, ALL))[1]}"
                            for n in ids]) if len(ids) else np.empty(0, dtype=str)
    orbit_of_pair = np.array([k.split("|")[0] for k in key_of_pair])
    regime_of_pair = np.array([base_regime(k) for k in orbit_of_pair])
    curves: dict[tuple[str, str], GrowthCurve] = {}

    def make(sel: np.ndarray) -> GrowthCurve:
        return GrowthCurve(_fit_curve(age_days[sel], pairs.residual[sel]), np.eye(6), np.ones((1, 2)), np.zeros(1),
                           int(sel.sum()), int(np.unique(ids[sel]).size))

    curves[(ALL, ALL)] = make(np.ones(len(pairs), dtype=bool))
    for labels in (regime_of_pair, orbit_of_pair):
        for reg in np.unique(labels):
            sel = labels == reg
            if sel.sum() >= min_group_pairs and np.unique(ids[sel]).size >= min_group_objects:
                curves[(str(reg), ALL)] = make(sel)
    for key in np.unique(key_of_pair):
        sel = key_of_pair == key
        reg, typ = str(key).split("|")
        if sel.sum() >= min_group_pairs and np.unique(ids[sel]).size >= min_group_objects:
            curves[(reg, typ)] = make(sel)

    model = CovarianceModel(curves, {}, {}, {})
    # Which curve each pair's object uses, and the normalised residuals against it.
    resolved = {}
    for key in np.unique(key_of_pair):
        reg, typ = str(key).split("|")
        resolved[str(key)] = model.curve_for((reg, typ))[0]
    used = np.array([f"{resolved[k][0]}|{resolved[k][1]}" for k in key_of_pair])
    sigma = np.empty_like(pairs.residual)
    for key in np.unique(used):
        sel = used == key
        reg, typ = str(key).split("|")
        sigma[sel] = curves[(reg, typ)].sigma(age_days[sel])
    u = pairs.residual / sigma
    # Per-object scales from all pairs (what the model uses)...
    uniq, scales, counts = _object_scales(ids, u, shrink_pairs, object_statistic)
    for nid, scale, count in zip(uniq, scales, counts, strict=True):
        model.scale[int(nid)] = scale
        model.pairs[int(nid)] = int(count)
    for nid in set(groups) | {int(n) for n in uniq}:
        model.group[int(nid)] = model.curve_for(tuple(groups.get(int(nid), (ALL, ALL))))[0]  # type: ignore[arg-type]
    u_all = u / scales[np.searchsorted(uniq, ids)]
    # ... and, for an honest calibration, from the pairs ending before a split time only, applied to the pairs
    # starting after it (predictions of the future from the past, as in use).
    older_epoch = pairs.epoch_utc - (pairs.age_s * 1e9).astype("timedelta64[ns]")
    split = np.sort(pairs.epoch_utc)[int(split_quantile * (len(pairs) - 1))]
    early = pairs.epoch_utc <= split
    late = older_epoch >= split
    e_uniq, e_scales, _ = _object_scales(ids[early], u[early], shrink_pairs, object_statistic)
    position = np.searchsorted(e_uniq, ids[late])
    position = np.minimum(position, max(e_uniq.size - 1, 0))
    known = (e_uniq.size > 0) & (e_uniq[position] == ids[late]) if e_uniq.size else np.zeros(late.sum(), bool)
    late_scales = np.where(known[:, None], e_scales[position] if e_uniq.size else 1.0, 1.0)
    u_late = u[late] / late_scales
    threshold = float(stats.chi2.ppf(coverage, 3))
    for key in np.unique(used):
        reg, typ = str(key).split("|")
        curve = curves[(reg, typ)]
        sel = used == key
        curve.correlation = _correlation(u_all[sel])
        inv = [np.linalg.inv(curve.correlation[span, span]) for span in (slice(0, 3), slice(3, 6))]

        def m2_of(v: np.ndarray, inv: list[np.ndarray] = inv) -> np.ndarray:
            return np.stack([np.einsum("ni,ij,nj->n", v[:, span], inv[b], v[:, span])
                             for b, span in enumerate((slice(0, 3), slice(3, 6)))], axis=1)

        in_ages, in_factors = _binned_calibration(age_days[sel], m2_of(u_all[sel]), coverage, threshold,
                                                  min_calibration_pairs)
        sel_late = used[late] == key
        ho_ages, ho_factors = _binned_calibration(age_days[late][sel_late], m2_of(u_late[sel_late]), coverage,
                                                  threshold, min_calibration_pairs)
        if in_ages.size == 0:
            overall = np.sqrt(np.quantile(m2_of(u_all[sel]), coverage, axis=0) / threshold)
            in_ages, in_factors = np.zeros(1), overall[None, :]
        if ho_ages.size:
            # Held-out factors where the late pairs reach; beyond, the in-sample factors times the median ratio
            # of held-out to in-sample over the ages both cover.
            ratio = np.median(ho_factors / np.stack([np.interp(ho_ages, in_ages, in_factors[:, b])
                                                     for b in (0, 1)], axis=1), axis=0)
            beyond = in_ages > ho_ages.max()
            curve.calibration_age_days = np.r_[ho_ages, in_ages[beyond]]
            curve.calibration = np.vstack([ho_factors, in_factors[beyond] * np.maximum(ratio, 1.0)])
        elif sel_late.sum() >= 30:
            # Too few late pairs per age bin: one held-out correction of the in-sample factors, pooled over ages.
            m2_late = m2_of(u_late[sel_late])
            at = np.stack([np.interp(age_days[late][sel_late], in_ages, in_factors[:, b]) for b in (0, 1)], axis=1)
            extra = np.sqrt(np.quantile(m2_late / at**2, coverage, axis=0) / threshold)
            curve.calibration_age_days, curve.calibration = in_ages, in_factors * np.maximum(extra, 1.0)
        else:
            curve.calibration_age_days, curve.calibration = in_ages, in_factors
    # Objects the model has not seen have no multiplier of their own: each curve's prior calibration is measured
    # on its members' residuals normalised by the curve alone (curves no fitted object uses get it as their only
    # calibration, and their correlation from the same residuals).
    in_use = set(used.tolist())
    for (label, typ), curve in curves.items():
        if label == ALL:
            sel = np.ones(len(pairs), dtype=bool)
        elif typ == ALL:
            sel = (orbit_of_pair == label) | (regime_of_pair == label)
        else:
            sel = key_of_pair == f"{label}|{typ}"
        if not sel.any():
            continue
        u0 = pairs.residual[sel] / curve.sigma(age_days[sel])
        if f"{label}|{typ}" not in in_use:
            curve.correlation = _correlation(u0)
        inv0 = [np.linalg.inv(curve.correlation[span, span]) for span in (slice(0, 3), slice(3, 6))]
        m2 = np.stack([np.einsum("ni,ij,nj->n", u0[:, span], inv0[b], u0[:, span])
                       for b, span in enumerate((slice(0, 3), slice(3, 6)))], axis=1)
        ages, factors = _binned_calibration(age_days[sel], m2, coverage, threshold, min_calibration_pairs)
        if ages.size == 0:
            ages, factors = np.zeros(1), np.sqrt(np.quantile(m2, coverage, axis=0) / threshold)[None, :]
        curve.prior_calibration_age_days, curve.prior_calibration = ages, factors
        if f"{label}|{typ}" not in in_use:
            curve.calibration_age_days, curve.calibration = ages, factors
    return model


def populations(elsets: Iterable[ElementSet], object_types: Mapping[int, str] | None = None
                ) -> dict[int, tuple[str, str]]:
    """NORAD id -> (orbit class, object type) (:func:`orbit_class`, :func:`object_type`) from each object's
    newest element set."""
    newest: dict[int, ElementSet] = {}
    for e in elsets:
        if e.norad_id not in newest or e.epoch_utc > newest[e.norad_id].epoch_utc:
            newest[e.norad_id] = e
    return {n: (orbit_class(e), object_type(e, object_types)) for n, e in newest.items()}


def for_objects(history: Mapping[int, Sequence[ElementSet]], object_types: Mapping[int, str] | None = None, *,
                max_age_days: float = 14.0, shrink_pairs: float = 8.0) -> CovarianceModel:
    """The covariance model of every object in ``history`` (NORAD id -> its element sets, any order, duplicates
    allowed), populations from ``object_types`` (NORAD id -> SATCAT OBJECT_TYPE) or the names. The one entry
    point for screening: ``model.rtn_covariance(norad_id, tca_minus_epoch_s)``."""
    groups = populations((e for sets in history.values() for e in sets), object_types)
    pairs = residual_pairs(history, max_age_days=max_age_days)
    return fit(pairs, groups, shrink_pairs=shrink_pairs)


#: CDM OBJECT comment for covariances from this model (CCSDS CDM 1.0 ``COVARIANCE_METHOD = CALCULATED``).
CDM_COMMENT = ("Covariance: Kompas element-set-history model (SGP4 prediction residuals of the object's own "
               "element sets in RTN vs propagation age, population prior by orbit regime and object type)")


def cdm_covariance(model: CovarianceModel, elsets: Mapping[int, ElementSet] | None = None,
                   object_types: Mapping[int, str] | None = None) -> Callable[[int, float], np.ndarray]:
    """The covariance a screening CDM writer needs: ``(norad_id, age_days) -> 6x6 RTN covariance`` (m^2, m^2/s,
    m^2/s^2) with ``age_days`` = TCA minus the screened element set's epoch, as
    :func:`kompas.space.cdm.default_covariance_rtn` takes ``age_days``. Objects the model was not fitted to
    take their population's prior (from ``elsets``: NORAD id -> the set screened)."""

    def covariance_of(norad_id: int, age_days: float) -> np.ndarray:
        return model.rtn_covariances([norad_id], [age_days * _DAY_S], elsets, object_types)[0]

    return covariance_of
