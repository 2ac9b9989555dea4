"""Dynamic (two-body) Monte Carlo probability of collision, as NASA CARA's ``Pc_SDMC`` (Hall et al. 2018, "Probability
of collision estimates using brute-force Monte Carlo") and ``Pc_MC_Kep2body_parallel`` compute it.

Both objects' states at TCA are drawn from their 6x6 covariances (inertial, m, m/s, m^2), every sampled pair is
propagated with Keplerian two-body motion over the encounter window, and a sample is a hit when the pair's closest
approach inside the window is below the combined hard-body radius. Sampling is in equinoctial elements by default
(the covariance mapped by the Jacobian at the mean state, as ``Pc_MC_Kep2body_parallel``), so that an along-track
uncertainty of hundreds of km follows the orbit instead of its tangent; ``sampling="cartesian"`` draws the
Cartesian Gaussian directly. The estimate comes with a Clopper-Pearson interval, and the sample count adapts:
batches are drawn until the interval lies entirely on one side of a decision threshold (default 1e-4) or a sample
budget is spent.

Closest approach, without a fixed time grid: from TCA each sample pair is advanced forwards and backwards in time
in steps that are *proved* free of contact. Over a step of length ``s`` the true relative position departs from
the straight line ``r + w s`` by at most ``A s^2 / 2``, ``A`` bounding the relative acceleration: the larger of
``2 mu / rho^3 * (2 |r| + |w| s)`` (the gradient of ``mu r / |r|^3`` has norm ``2 mu / |r|^3``; the chord between
the two objects stays ``rho = sqrt(r_p^2 - sep^2 / 4)`` from the Earth's centre, r_p the lower perigee radius) and
``2 mu / r_p^2``, with 1% to spare. A step is cleared when the straight line's closest distance over it, less that
bound, stays above the HBR. Where that cannot be proved (the straight line comes close), the step (at most 0.7 rad
of mean motion) is searched: the distance is evaluated at 16 points and every local minimum between them is refined
by a bracketed Newton iteration on ``d/dt |r|^2 = 0`` with the exact two-body states, the hit decided on the
refined minimum (two minima within one grid interval, 1/15 of a step apart, would be seen as one). Kepler's problem
is solved from the sampled TCA state for every time (in the eccentric-anomaly change: no singularity for circular
or equatorial orbits). Compiled with numba over all cores; each sample is independent and the draws come from
NumPy's generator in batches, so a seed fixes the result whatever the thread count.

:func:`encounter_window` gives the time bounds (s from TCA). By default the whole encounter segment (between the
maxima of the nominal separation that bracket TCA, as CARA's Pc3D_Hall finds them): CARA's PcMultiStepWithSDMC
uses it when Hall's 3D-Nc has a usage violation, and 48901_conj_48903's hits lie 1,500 s before TCA, far outside
Coppola's bounds. ``mode="coppola"`` gives Coppola's (2012) bounds as CARA's ``conj_bounds_Coppola`` (gamma
1e-16) inside the segment, at least 3 minutes long (CARA's minimum SDMC span). Correlated errors (CARA's
density-forecast (DCP) cross-correlation) are sampled jointly when ``cross_cov`` is given; this module does not
read the CDM's DCP terms itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np
from scipy import stats

from kompas.space.decorrelation import DCP, rtn_basis
from kompas.space.hall import coppola
from kompas.space.probability import Encounter

#: Earth's gravitational parameter, m^3/s^2 (EGM-96, as CARA's tests use).
GM_EARTH = 3.986004418e14

_GRID = 16  # points per searched step
_MAX_STEPS = 20_000  # per sample and direction; beyond this the sample counts as unresolved
_CHUNK = 262_144  # samples drawn and propagated at a time


@dataclass(frozen=True)
class MonteCarloResult:
    """Outcome of :func:`pc_dynamic_monte_carlo`.

    ``pc`` = hits / samples; ``low``/``high`` the Clopper-Pearson interval at ``confidence``; ``window_s`` the
    encounter window (start, end) in s from TCA; ``decision`` is ``"above"`` or ``"below"`` when the interval lies
    entirely on that side of ``threshold`` (the first threshold asked for), else ``"undecided"``; ``decisions``
    the same for every one of ``thresholds``; ``stop`` says why sampling ended: ``"decided"`` (against every
    threshold), ``"max_samples"`` (the budget ran out first) or ``"fixed"`` (a fixed sample count was asked for);
    ``unresolved`` counts samples whose closest approach was not settled within the step limit (counted as misses;
    expected 0) and ``unbound`` samples drawn on non-elliptic orbits (counted as misses)."""

    pc: float
    hits: int
    samples: int
    low: float
    high: float
    confidence: float
    window_s: tuple[float, float]
    threshold: float
    decision: str
    stop: str
    unresolved: int = 0
    unbound: int = 0
    thresholds: tuple[float, ...] = ()
    decisions: tuple[str, ...] = ()


def clopper_pearson(hits: int, samples: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) binomial interval of ``hits`` in ``samples`` at ``confidence`` (as MATLAB's binofit)."""
    alpha = 1.0 - confidence
    low = 0.0 if hits == 0 else float(stats.beta.ppf(alpha / 2, hits, samples - hits + 1))
    high = 1.0 if hits == samples else float(stats.beta.ppf(1 - alpha / 2, hits + 1, samples - hits))
    return low, high


def orbital_period(state: np.ndarray, mu: float = GM_EARTH) -> float:
    """Two-body period (s) of a state (m, m/s); inf when the orbit is not bound."""
    r = float(np.linalg.norm(state[0:3]))
    alpha = 2.0 / r - float(state[3:6] @ state[3:6]) / mu
    return 2 * math.pi * math.sqrt(1.0 / alpha**3 / mu) if alpha > 0 else math.inf


def _nominal_distance2(enc: Encounter, times: np.ndarray, mu: float) -> np.ndarray:
    """Squared distance (m^2) between the two nominal two-body trajectories at ``times`` (s from TCA)."""
    s1, s2 = np.asarray(enc.state1, dtype=float), np.asarray(enc.state2, dtype=float)
    e1, e2 = _elements(s1, mu), _elements(s2, mu)
    b1, b2 = np.empty(6), np.empty(6)
    out = np.empty(len(times))
    for i, t in enumerate(times):
        _kepler(s1, e1[0], e1[1], e1[2], e1[3], mu, float(t), b1)
        _kepler(s2, e2[0], e2[1], e2[2], e2[3], mu, float(t), b2)
        out[i] = float(np.sum((b2[0:3] - b1[0:3]) ** 2))
    return out


def segment_limits(enc: Encounter, centre_s: float = 0.0, mu: float = GM_EARTH) -> tuple[float, float]:
    """The encounter segment (s from TCA): the maxima of the nominal two-body separation that bracket TCA and
    ``centre_s``, as CARA's Pc3D_Hall finds them (51 points over +-min(1.1 longer, 2.2 shorter period), maxima
    refined to 1% of the shorter period); half the shorter period either side of TCA when no such maxima exist."""
    periods = (orbital_period(enc.state1, mu), orbital_period(enc.state2, mu))
    if not all(math.isfinite(p) for p in periods):
        raise ValueError("the dynamic Monte Carlo needs both nominal orbits bound (elliptic)")
    half = 0.5 * min(periods)
    span = min(1.1 * max(periods), 2.2 * min(periods))
    ts = np.linspace(-span, span, 51)
    d2 = _nominal_distance2(enc, ts, mu)
    interior = np.flatnonzero((d2[1:-1] >= d2[:-2]) & (d2[1:-1] >= d2[2:])) + 1
    before = interior[ts[interior] < min(0.0, centre_s)]
    after = interior[ts[interior] > max(0.0, centre_s)]
    if len(before) == 0 or len(after) == 0:
        return -half, half
    limits = []
    for i in (int(before.max()), int(after.min())):
        lo, hi = float(ts[i - 1]), float(ts[i + 1])
        golden = 0.5 * (math.sqrt(5.0) - 1.0)
        while hi - lo > 0.01 * min(periods):  # golden-section search for the maximum
            a, b = hi - golden * (hi - lo), lo + golden * (hi - lo)
            fa, fb = _nominal_distance2(enc, np.array([a, b]), mu)
            if fa > fb:
                hi = b
            else:
                lo = a
        limits.append(0.5 * (lo + hi))
    return limits[0], limits[1]


def encounter_window(enc: Encounter, hbr_m: float, mode: str = "segment", gamma: float = 1e-16,
                     min_span_s: float = 180.0, mu: float = GM_EARTH) -> tuple[float, float]:
    """Encounter window (start, end), s from TCA, for the dynamic Monte Carlo.

    ``"segment"``: the whole encounter segment (:func:`segment_limits`), what CARA's PcMultiStepWithSDMC uses
    when Hall's 3D-Nc reports a usage violation. ``"coppola"``: Coppola's bounds (``gamma``) inside the segment,
    at least ``min_span_s`` long (CARA's 3-minute minimum): enough where the relative motion is straight over the
    bounds (cheaper; hall.py's 3D-Nc usage flags tell when it is not)."""
    cov = _position(enc.cov1) + _position(enc.cov2)
    r, v = enc.state2[0:3] - enc.state1[0:3], enc.state2[3:6] - enc.state1[3:6]
    t0, t1 = coppola(r, v, cov, hbr_m, gamma)
    ta, tb = segment_limits(enc, 0.5 * (t0 + t1) if math.isfinite(t0 + t1) else 0.0, mu)
    if mode == "segment":
        return float(ta), float(tb)
    if mode != "coppola":
        raise ValueError(f"unknown window mode {mode!r}")
    t0, t1 = max(t0, ta), min(t1, tb)
    if t1 - t0 < min_span_s:
        mid = 0.5 * (t0 + t1)
        t0, t1 = max(mid - min_span_s / 2, ta), min(mid + min_span_s / 2, tb)
    return float(t0), float(t1)


def _position(cov: np.ndarray | None) -> np.ndarray:
    if cov is None:
        raise ValueError("the dynamic Monte Carlo needs both covariances")
    return np.asarray(cov, dtype=float)[0:3, 0:3]


def _factor(cov: np.ndarray | None) -> np.ndarray:
    """Square-root factor of a 6x6 covariance by eigen-decomposition with negative eigenvalues clipped to 0
    (as CARA's samplers)."""
    if cov is None:
        raise ValueError("the dynamic Monte Carlo needs both covariances")
    c = np.asarray(cov, dtype=float)
    if c.shape != (6, 6):
        raise ValueError("the dynamic Monte Carlo needs 6x6 covariances (position and velocity)")
    values, vectors = np.linalg.eigh(0.5 * (c + c.T))
    return vectors * np.sqrt(np.clip(values, 0.0, None))


def cartesian_to_equinoctial(x: np.ndarray, mu: float = GM_EARTH) -> np.ndarray:
    """Equinoctial elements (a m, h, k, p, q, mean longitude rad; Broucke & Cefola 1972, prograde set) of
    Cartesian states ``x`` (..., 6) in m, m/s. Singular only for exactly retrograde-equatorial orbits."""
    x = np.asarray(x, dtype=float)
    r, v = x[..., 0:3], x[..., 3:6]
    rn = np.linalg.norm(r, axis=-1)
    a = 1.0 / (2.0 / rn - np.sum(v * v, axis=-1) / mu)
    hv = np.cross(r, v)
    w = hv / np.linalg.norm(hv, axis=-1, keepdims=True)
    p = w[..., 0] / (1.0 + w[..., 2])
    q = -w[..., 1] / (1.0 + w[..., 2])
    f_hat, g_hat = _equinoctial_frame(p, q)
    ev = np.cross(v, hv) / mu - r / rn[..., None]
    h = np.sum(ev * g_hat, axis=-1)
    k = np.sum(ev * f_hat, axis=-1)
    x1, y1 = np.sum(r * f_hat, axis=-1), np.sum(r * g_hat, axis=-1)
    root = np.sqrt(1.0 - h * h - k * k)
    beta = 1.0 / (1.0 + root)
    cos_f = k + ((1.0 - k * k * beta) * x1 - h * k * beta * y1) / (a * root)
    sin_f = h + ((1.0 - h * h * beta) * y1 - h * k * beta * x1) / (a * root)
    f = np.arctan2(sin_f, cos_f)
    return np.stack([a, h, k, p, q, f + h * np.cos(f) - k * np.sin(f)], axis=-1)


def _equinoctial_frame(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d = 1.0 + p * p + q * q
    f_hat = np.stack([1.0 - p * p + q * q, 2.0 * p * q, -2.0 * p], axis=-1) / d[..., None]
    g_hat = np.stack([2.0 * p * q, 1.0 + p * p - q * q, 2.0 * q], axis=-1) / d[..., None]
    return f_hat, g_hat


def equinoctial_to_cartesian(e: np.ndarray, mu: float = GM_EARTH) -> np.ndarray:
    """Inverse of :func:`cartesian_to_equinoctial`: states (..., 6) in m, m/s (Kepler's equation in the
    eccentric longitude solved by Newton's method)."""
    e = np.asarray(e, dtype=float)
    a, h, k, p, q, lam = (e[..., i] for i in range(6))
    f = lam.copy()
    for _ in range(50):
        sf, cf = np.sin(f), np.cos(f)
        step = (f + h * cf - k * sf - lam) / (1.0 - h * sf - k * cf)
        f = f - step
        if float(np.max(np.abs(step), initial=0.0)) < 1e-12:  # quadratic convergence: the error left is ~1e-24
            break
    sf, cf = np.sin(f), np.cos(f)
    root = np.sqrt(1.0 - h * h - k * k)
    beta = 1.0 / (1.0 + root)
    n = np.sqrt(mu / a**3)
    r = a * (1.0 - k * cf - h * sf)
    x1 = a * ((1.0 - h * h * beta) * cf + h * k * beta * sf - k)
    y1 = a * ((1.0 - k * k * beta) * sf + h * k * beta * cf - h)
    xd = a * a * n / r * (h * k * beta * cf - (1.0 - h * h * beta) * sf)
    yd = a * a * n / r * ((1.0 - k * k * beta) * cf - h * k * beta * sf)
    f_hat, g_hat = _equinoctial_frame(p, q)
    pos = x1[..., None] * f_hat + y1[..., None] * g_hat
    vel = xd[..., None] * f_hat + yd[..., None] * g_hat
    return np.concatenate([pos, vel], axis=-1)


def _equinoctial_jacobian(state: np.ndarray, mu: float) -> np.ndarray:
    """d(equinoctial)/d(Cartesian) at ``state`` by central differences (1 mm, 1 um/s)."""
    steps = np.array([1e-3] * 3 + [1e-6] * 3)
    plus = state + np.diag(steps)
    minus = state - np.diag(steps)
    diff = cartesian_to_equinoctial(plus, mu) - cartesian_to_equinoctial(minus, mu)
    diff[:, 5] = (diff[:, 5] + np.pi) % (2 * np.pi) - np.pi
    return (diff / (2.0 * steps[:, None])).T


def _prograde(enc: Encounter, cross_cov: np.ndarray | None = None) -> tuple[Encounter, np.ndarray | None]:
    """The encounter in a rotated inertial frame where neither orbit is retrograde (the prograde equinoctial
    elements are singular at 180 degrees inclination; CARA reorients the axes for the same reason). Unchanged
    when both orbits are already prograde."""
    w = [np.cross(s[0:3], s[3:6]) for s in (enc.state1, enc.state2)]
    w = [x / np.linalg.norm(x) for x in w]
    if min(w[0][2], w[1][2]) > 0.0:
        return enc, cross_cov
    d = w[0] + w[1]
    if np.linalg.norm(d) > 0.5:
        d = d / np.linalg.norm(d)
    else:  # counter-rotating: a pole at right angles to the first orbit's
        d = np.cross(w[0], np.eye(3)[int(np.argmin(np.abs(w[0])))])
        d = d / np.linalg.norm(d)
    e1 = np.cross(d, np.eye(3)[int(np.argmin(np.abs(d)))])
    e1 = e1 / np.linalg.norm(e1)
    rot = np.stack([e1, np.cross(d, e1), d])
    big = np.kron(np.eye(2), rot)
    covs = [None if c is None else big @ np.asarray(c)[0:6, 0:6] @ big.T for c in (enc.cov1, enc.cov2)]
    cross = None if cross_cov is None else big @ np.asarray(cross_cov) @ big.T
    return Encounter(big @ enc.state1, big @ enc.state2, covs[0], covs[1]), cross


def _sampler(enc: Encounter, sampling: str, cross_cov: np.ndarray | None,
             mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean (12,) and square-root factor (12, 12) of the joint distribution of both objects' states, in
    Cartesian coordinates or (``"equinoctial"``, as CARA's Pc_MC_Kep2body) in equinoctial elements with the
    covariance mapped by the Jacobian at the mean (so along-track uncertainty follows the orbit instead of its
    tangent). ``cross_cov`` is Cov(primary, secondary) (6x6), None when independent."""
    states = [np.asarray(enc.state1, dtype=float), np.asarray(enc.state2, dtype=float)]
    if sampling == "cartesian":
        jac = [np.eye(6), np.eye(6)]
        mean = np.concatenate(states)
    elif sampling == "equinoctial":
        jac = [_equinoctial_jacobian(x, mu) for x in states]
        mean = np.concatenate([cartesian_to_equinoctial(x, mu) for x in states])
    else:
        raise ValueError(f"unknown sampling {sampling!r}")
    factor = np.zeros((12, 12))
    if cross_cov is None:
        factor[0:6, 0:6] = jac[0] @ _factor(enc.cov1)
        factor[6:12, 6:12] = jac[1] @ _factor(enc.cov2)
        return mean, factor
    for c in (enc.cov1, enc.cov2):
        _factor(c)  # checks shape and presence
    joint = np.block([[np.asarray(enc.cov1), np.asarray(cross_cov)], [np.asarray(cross_cov).T, np.asarray(enc.cov2)]])
    big = np.zeros((12, 12))
    big[0:6, 0:6], big[6:12, 6:12] = jac[0], jac[1]
    values, vectors = np.linalg.eigh(0.5 * (joint + joint.T))
    return mean, big @ (vectors * np.sqrt(np.clip(values, 0.0, None)))


# ---------------------------------------------------------------------------------------------------- kernel


@numba.njit(cache=True, nogil=True)
def _elements(s: np.ndarray, mu: float) -> tuple[float, float, float, float, float]:
    """(|r0|, e sinE0, a, mean motion n, perigee radius) of a Cartesian state; a <= 0 when not bound."""
    r0 = math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2])
    v2 = s[3] * s[3] + s[4] * s[4] + s[5] * s[5]
    alpha = 2.0 / r0 - v2 / mu
    if alpha <= 0.0:
        return r0, 0.0, -1.0, 0.0, 0.0
    a = 1.0 / alpha
    esin = (s[0] * s[3] + s[1] * s[4] + s[2] * s[5]) / math.sqrt(mu * a)
    ecos = 1.0 - r0 / a
    e = math.sqrt(esin * esin + ecos * ecos)
    return r0, esin, a, math.sqrt(mu / (a * a * a)), a * (1.0 - e)


@numba.njit(cache=True, nogil=True)
def _kepler(s: np.ndarray, r0: float, esin: float, a: float, n: float, mu: float, dt: float,
            out: np.ndarray) -> None:
    """Two-body state ``dt`` s after the state ``s`` (elliptic orbit), written to ``out`` (6,).

    Solves ``n dt = x + e sinE0 (1 - cos x) - e cosE0 sin x`` for the eccentric-anomaly change ``x`` (Newton,
    damped) and applies Lagrange's f and g."""
    if dt == 0.0:
        for k in range(6):
            out[k] = s[k]
        return
    ecos = 1.0 - r0 / a
    m = n * dt
    x = m
    for _ in range(60):
        sx, cx = math.sin(x), math.cos(x)
        f = x + esin * (1.0 - cx) - ecos * sx - m
        fp = 1.0 + esin * sx - ecos * cx
        dx = f / fp
        if dx > 0.5:
            dx = 0.5
        elif dx < -0.5:
            dx = -0.5
        x -= dx
        if abs(dx) < 1e-14 * max(1.0, abs(x)):
            break
    sx, cx = math.sin(x), math.cos(x)
    half = math.sin(0.5 * x)
    omc = 2.0 * half * half  # 1 - cos x without cancellation
    r = a * (1.0 + esin * sx - ecos * cx)
    f = 1.0 - a / r0 * omc
    g = dt - (x - sx) / n
    fd = -math.sqrt(mu * a) / (r * r0) * sx
    gd = 1.0 - a / r * omc
    for k in range(3):
        out[k] = f * s[k] + g * s[k + 3]
        out[k + 3] = fd * s[k] + gd * s[k + 3]


@numba.njit(cache=True, nogil=True)
def _rel(p1: np.ndarray, p2: np.ndarray, mu: float, sgn: float) -> tuple[float, float, float, float, float, float,
                                                                         float, float, float]:
    """Relative position, velocity (times ``sgn``: velocity in the direction of travel in time) and acceleration
    of object 2 from object 1."""
    r1 = math.sqrt(p1[0] ** 2 + p1[1] ** 2 + p1[2] ** 2)
    r2 = math.sqrt(p2[0] ** 2 + p2[1] ** 2 + p2[2] ** 2)
    k1, k2 = mu / (r1 * r1 * r1), mu / (r2 * r2 * r2)
    return (p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2],
            sgn * (p2[3] - p1[3]), sgn * (p2[4] - p1[4]), sgn * (p2[5] - p1[5]),
            -k2 * p2[0] + k1 * p1[0], -k2 * p2[1] + k1 * p1[1], -k2 * p2[2] + k1 * p1[2])


@numba.njit(cache=True, nogil=True)
def _h(s1: np.ndarray, s2: np.ndarray, e1: tuple[float, float, float, float, float],
       e2: tuple[float, float, float, float, float], mu: float, t: float, sgn: float, b1: np.ndarray,
       b2: np.ndarray) -> tuple[float, float, float]:
    """(|r|^2, r.w, w.w + r.a) at time ``t``: half the derivatives of the squared distance along ``sgn`` time."""
    _kepler(s1, e1[0], e1[1], e1[2], e1[3], mu, t, b1)
    _kepler(s2, e2[0], e2[1], e2[2], e2[3], mu, t, b2)
    rx, ry, rz, wx, wy, wz, ax, ay, az = _rel(b1, b2, mu, sgn)
    q = rx * rx + ry * ry + rz * rz
    return q, rx * wx + ry * wy + rz * wz, wx * wx + wy * wy + wz * wz + rx * ax + ry * ay + rz * az


@numba.njit(cache=True, nogil=True)
def _search(s1: np.ndarray, s2: np.ndarray, e1: tuple[float, float, float, float, float],
            e2: tuple[float, float, float, float, float], mu: float, t0: float, sgn: float, length: float,
            hbr2: float, b1: np.ndarray, b2: np.ndarray) -> bool:
    """Whether the squared distance drops below ``hbr2`` on [t0, t0 + sgn*length]: a 16-point grid, then every
    interior minimum (sign change of the derivative) refined by a bracketed Newton iteration."""
    us = np.empty(_GRID)
    d2 = np.empty(_GRID)
    dh = np.empty(_GRID)
    for i in range(_GRID):
        u = length * i / (_GRID - 1)
        q, h, _ = _h(s1, s2, e1, e2, mu, t0 + sgn * u, sgn, b1, b2)
        us[i], d2[i], dh[i] = u, q, h
        if q < hbr2:
            return True
    for i in range(_GRID - 1):
        if not (dh[i] < 0.0 and dh[i + 1] > 0.0):
            continue
        lo, hi = us[i], us[i + 1]
        u = lo - dh[i] * (hi - lo) / (dh[i + 1] - dh[i])
        for _ in range(60):
            q, h, hp = _h(s1, s2, e1, e2, mu, t0 + sgn * u, sgn, b1, b2)
            if q < hbr2:
                return True
            if h < 0.0:
                lo = u
            else:
                hi = u
            step = -h / hp if hp > 0.0 else 0.0
            nu = u + step
            if hp <= 0.0 or nu <= lo or nu >= hi:
                nu = 0.5 * (lo + hi)
            if abs(nu - u) < 1e-9 or hi - lo < 1e-9:
                u = nu
                break
            u = nu
        q, h, hp = _h(s1, s2, e1, e2, mu, t0 + sgn * u, sgn, b1, b2)
        if q < hbr2:
            return True
    return False


@numba.njit(cache=True, nogil=True)
def _sample_hit(s1: np.ndarray, s2: np.ndarray, hbr: float, ta: float, tb: float, mu: float, entry: bool) -> int:
    """1 for a hit, 0 for a miss, -1 unresolved, -2 unbound orbit; with ``entry``, 2 when the pair is already in
    contact at the window's start."""
    e1 = _elements(s1, mu)
    e2 = _elements(s2, mu)
    if e1[2] <= 0.0 or e2[2] <= 0.0:
        return -2
    b1 = np.empty(6)
    b2 = np.empty(6)
    hbr2 = hbr * hbr
    rp = min(e1[4], e2[4])
    a_abs = 2.02 * mu / (rp * rp)  # |a2 - a1| <= |a1| + |a2| (1% for rounding)
    cap = 0.7 / max(e1[3], e2[3])  # longest step, s: 0.7 rad of the faster mean motion
    if entry:
        _kepler(s1, e1[0], e1[1], e1[2], e1[3], mu, ta, b1)
        _kepler(s2, e2[0], e2[1], e2[2], e2[3], mu, ta, b2)
        if (b2[0] - b1[0]) ** 2 + (b2[1] - b1[1]) ** 2 + (b2[2] - b1[2]) ** 2 < hbr2:
            return 2
    tc = min(max(0.0, ta), tb)
    for d in range(2):
        sgn = 1.0 if d == 0 else -1.0
        horizon = tb - tc if d == 0 else tc - ta
        u = 0.0
        steps = 0
        while u < horizon:
            steps += 1
            if steps > _MAX_STEPS:
                return -1
            t = tc + sgn * u
            _kepler(s1, e1[0], e1[1], e1[2], e1[3], mu, t, b1)
            _kepler(s2, e2[0], e2[1], e2[2], e2[3], mu, t, b2)
            rx, ry, rz, wx, wy, wz, _, _, _ = _rel(b1, b2, mu, sgn)
            dd = math.sqrt(rx * rx + ry * ry + rz * rz)
            if dd < hbr:
                return 1
            ww = wx * wx + wy * wy + wz * wz
            w = math.sqrt(ww)
            tmax = min(horizon - u, cap)
            rw = rx * wx + ry * wy + rz * wz
            s = 0.0 if ww == 0.0 else min(max(-rw / ww, 0.0), tmax)
            gx, gy, gz = rx + wx * s, ry + wy * s, rz + wz * s
            g = math.sqrt(gx * gx + gy * gy + gz * gz)  # straight-line closest distance over [0, tmax]
            margin = g - hbr
            if margin > 0.0:
                # largest tau <= tmax with kappa (2 dd + w tau) tau^2 / 2 <= margin: the separation over the step
                # is at most |r + w s| + margin <= 2 dd + w tau, and the relative acceleration at most kappa times
                # that, kappa = 2 mu / rho^3 bounding the gradient of mu r / |r|^3 (norm 2 mu / |r|^3) on the chord
                # between the two objects, which stays rho = sqrt(rp^2 - (sep/2)^2) from the Earth's centre
                dd2 = 2.0 * dd
                dmax = dd2 + w * tmax
                tau = math.sqrt(2.0 * margin / a_abs)
                if dmax < 1.9 * rp:
                    rho2 = rp * rp - 0.25 * dmax * dmax
                    kappa = 2.02 * mu / (rho2 * math.sqrt(rho2))
                    tau = max(tau, _tidal_step(dd2, w, 2.0 * margin / kappa, tmax))
                tau = min(tau, tmax)
                if tau >= 0.1 * tmax or tau >= s:  # a long step, or one past the straight line's closest point
                    u += tau
                    continue
            if _search(s1, s2, e1, e2, mu, t, sgn, tmax, hbr2, b1, b2):
                return 1
            u += tmax
    return 0


@numba.njit(cache=True, nogil=True)
def _tidal_step(dd2: float, w: float, c: float, tmax: float) -> float:
    """Largest tau <= tmax with (dd2 + w tau) tau^2 <= c."""
    tau = tmax
    if (dd2 + w * tau) * tau * tau > c:
        for _ in range(40):  # Newton from above on the increasing cubic, converges from above
            phi = (dd2 + w * tau) * tau * tau - c
            dphi = 2.0 * dd2 * tau + 3.0 * w * tau * tau
            nt = tau - phi / dphi
            if abs(nt - tau) < 1e-12 * tau:
                tau = nt
                break
            tau = nt
        while (dd2 + w * tau) * tau * tau > c:
            tau *= 0.999
    return tau


@numba.njit(cache=True, nogil=True)
def _equinoctial_state(e: np.ndarray, mu: float, out: np.ndarray) -> None:
    """Compiled :func:`equinoctial_to_cartesian` of one element set ``e`` (6,), written to ``out`` (6,)."""
    a, h, k, p, q, lam = e[0], e[1], e[2], e[3], e[4], e[5]
    f = lam
    for _ in range(50):
        sf, cf = math.sin(f), math.cos(f)
        step = (f + h * cf - k * sf - lam) / (1.0 - h * sf - k * cf)
        f -= step
        if abs(step) < 1e-13:
            break
    sf, cf = math.sin(f), math.cos(f)
    root = math.sqrt(1.0 - h * h - k * k)
    beta = 1.0 / (1.0 + root)
    n = math.sqrt(mu / (a * a * a))
    r = a * (1.0 - k * cf - h * sf)
    x1 = a * ((1.0 - h * h * beta) * cf + h * k * beta * sf - k)
    y1 = a * ((1.0 - k * k * beta) * sf + h * k * beta * cf - h)
    xd = a * a * n / r * (h * k * beta * cf - (1.0 - h * h * beta) * sf)
    yd = a * a * n / r * ((1.0 - k * k * beta) * cf - h * k * beta * sf)
    d = 1.0 + p * p + q * q
    fx, fy, fz = (1.0 - p * p + q * q) / d, 2.0 * p * q / d, -2.0 * p / d
    gx, gy, gz = 2.0 * p * q / d, (1.0 + p * p - q * q) / d, 2.0 * q / d
    out[0], out[1], out[2] = x1 * fx + y1 * gx, x1 * fy + y1 * gy, x1 * fz + y1 * gz
    out[3], out[4], out[5] = xd * fx + yd * gx, xd * fy + yd * gy, xd * fz + yd * gz


@numba.njit(cache=True, parallel=True)
def _hits(x1: np.ndarray, x2: np.ndarray, hbr: float, ta: float, tb: float, mu: float, entry: bool,
          equinoctial: bool) -> np.ndarray:
    """Codes of :func:`_sample_hit` for sample pairs ``x1``, ``x2`` (n, 6): Cartesian states, or equinoctial
    elements converted here when ``equinoctial``."""
    out = np.empty(x1.shape[0], dtype=np.int8)
    for i in numba.prange(x1.shape[0]):
        if equinoctial:
            c1, c2 = np.empty(6), np.empty(6)
            _equinoctial_state(x1[i], mu, c1)
            _equinoctial_state(x2[i], mu, c2)
            out[i] = _sample_hit(c1, c2, hbr, ta, tb, mu, entry)
        else:
            out[i] = _sample_hit(x1[i], x2[i], hbr, ta, tb, mu, entry)
    return out


# ------------------------------------------------------------------------------------------------ public API


def sample_hits(enc: Encounter, hbr_m: float, samples: int, rng: np.random.Generator,
                window_s: tuple[float, float], sampling: str = "equinoctial", entry_only: bool = False,
                cross_cov: np.ndarray | None = None, mu: float = GM_EARTH) -> np.ndarray:
    """Draw ``samples`` state pairs and return one code per sample: 1 hit, 0 miss, -1 unresolved, -2 unbound;
    with ``entry_only``, 2 for a pair already in contact at the window's start."""
    mean, factor = _sampler(enc, sampling, cross_cov, mu)
    out = np.empty(samples, dtype=np.int8)
    for start in range(0, samples, _CHUNK):  # bounded memory; the same stream of draws whatever the chunking
        n = min(_CHUNK, samples - start)
        y = mean + rng.standard_normal((n, 12)) @ factor.T
        out[start:start + n] = _hits(np.ascontiguousarray(y[:, 0:6]), np.ascontiguousarray(y[:, 6:12]),
                                     float(hbr_m), float(window_s[0]), float(window_s[1]), float(mu), entry_only,
                                     sampling == "equinoctial")
    return out


def dcp_cross_covariance(state1: np.ndarray, state2: np.ndarray, dcp1: DCP | None,
                         dcp2: DCP | None) -> np.ndarray | None:
    """Cov(primary, secondary) (6x6, inertial; m^2, m^2/s, m^2/s^2) from both objects' density consider parameters
    (``decorrelation.dcp_from_comments``): ``sigma1 sigma2 G1 G2^T`` with each sensitivity vector rotated from its
    object's RTN frame (position and velocity parts); None unless both objects carry DCP values (as CARA)."""
    if dcp1 is None or dcp2 is None:
        return None
    g = []
    for state, dcp in ((state1, dcp1), (state2, dcp2)):
        basis = rtn_basis(np.asarray(state, dtype=float))
        g.append(np.concatenate([basis @ dcp.sensitivity_rtn_pos_m, basis @ dcp.sensitivity_rtn_vel_m_s]))
    return float(dcp1.sigma * dcp2.sigma) * np.outer(g[0], g[1])


def _side(low: float, high: float, threshold: float) -> str:
    return "above" if low > threshold else "below" if high < threshold else "undecided"


def pc_dynamic_monte_carlo(enc: Encounter, hbr_m: float, *, threshold: float | Sequence[float] = 1e-4,
                           max_samples: int = 10_000_000,
                           first_batch: int = 100_000, samples: int | None = None, seed: int = 0,
                           window_s: tuple[float, float] | None = None, confidence: float = 0.95,
                           sampling: str = "equinoctial", entry_only: bool = False,
                           cross_cov: np.ndarray | None = None, mu: float = GM_EARTH) -> MonteCarloResult:
    """Two-body Monte Carlo Pc of an encounter (states at TCA, inertial, m, m/s; 6x6 covariances, m^2).

    Adaptive by default: batches (the first ``first_batch`` samples, then doubling, up to ``max_samples`` in all)
    until the Clopper-Pearson interval at ``confidence`` lies entirely above or below ``threshold`` (every one of
    them when a sequence is given, e.g. ``(1e-4, 1e-5, 1e-7)``). With
    ``samples`` given, exactly that many are drawn (``stop`` = ``"fixed"``). ``window_s`` (s from TCA) defaults to
    :func:`encounter_window`. ``entry_only`` counts only pairs that come into contact inside the window, not those
    already in contact at its start (CARA's Pc_MC_Kep2body "attenuated" count of first contacts; it matters only
    when the window starts inside a long, slow encounter). ``cross_cov`` (6x6, m^2 ..., inertial) is the
    covariance between the primary's and the secondary's state errors, e.g. ``sigma_p sigma_s G_p G_s^T`` from
    the CDMs' density-forecast (DCP) terms, which makes the relative covariance ``C1 + C2 - X - X^T`` as CARA's
    Pc_CovXCorr; None (default) treats the errors as independent. Deterministic for a given ``seed``."""
    enc, cross_cov = _prograde(enc, cross_cov)
    window = encounter_window(enc, hbr_m, mu=mu) if window_s is None else (float(window_s[0]), float(window_s[1]))
    if not window[1] > window[0]:
        raise ValueError("the encounter window must have a positive length")
    thresholds = (float(threshold),) if isinstance(threshold, int | float) else tuple(float(t) for t in threshold)
    if not thresholds:
        raise ValueError("at least one threshold is needed")
    rng = np.random.default_rng(seed)
    hits = done = unresolved = unbound = 0
    budget = int(samples) if samples is not None else int(max_samples)
    if budget < 1:
        raise ValueError("at least one sample is needed")
    batch = budget if samples is not None else min(int(first_batch), budget)
    low, high = 0.0, 1.0
    decisions = tuple("undecided" for _ in thresholds)
    stop = "fixed" if samples is not None else "max_samples"
    while done < budget:
        n = min(batch, budget - done)
        codes = sample_hits(enc, hbr_m, n, rng, window, sampling, entry_only, cross_cov, mu)
        hits += int(np.count_nonzero(codes == 1))
        unresolved += int(np.count_nonzero(codes == -1))
        unbound += int(np.count_nonzero(codes == -2))
        done += n
        low, high = clopper_pearson(hits, done, confidence)
        decisions = tuple(_side(low, high, t) for t in thresholds)
        if samples is None and "undecided" not in decisions:
            stop = "decided"
            break
        batch *= 2
    return MonteCarloResult(pc=hits / done, hits=hits, samples=done, low=low, high=high, confidence=confidence,
                            window_s=window, threshold=thresholds[0], decision=decisions[0], stop=stop,
                            unresolved=unresolved, unbound=unbound, thresholds=thresholds, decisions=decisions)
