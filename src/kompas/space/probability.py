"""Probability of collision for a conjunction (pure functions; positions m, velocities m/s, covariances m^2).

* :func:`pc_foster` - the 2D Pc of Foster & Estes (1992) as NASA CARA's ``PcCircle`` computes it: combined
  position covariance projected on the encounter plane, the Gaussian integrated over the hard-body circle
  (adaptive quadrature of the erf-reduced 1D integral, relative error < 1e-12).
* :func:`adjust_to_tca` - CARA's correction of both states to the true TCA (a CDM's TCA is rounded to 1 ms;
  straight-line motion over that offset).
* :func:`pc_chan` - Chan's (1997, 2008) series for the same integral, with the isotropic-equivalent circle.
* :func:`pc_max` - the largest Pc over all scalings of the covariance (Alfano 2005); with no covariance, the
  largest over every isotropic one, ``HBR^2 / (e d^2)`` for ``d >> HBR``.
* :func:`pc_monte_carlo` - samples both objects' 6D states from their covariances and counts straight-line
  relative trajectories passing within the HBR; a Wilson 95% interval comes with the estimate.

Hall's Nc2D/Nc3D are in :mod:`kompas.space.hall`, the two-body Monte Carlo in :mod:`kompas.space.montecarlo`, the
usage checks in :mod:`kompas.space.usage`, and the value to decide on (``auto``) in :mod:`kompas.space.decision`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize, special


@dataclass(frozen=True)
class Encounter:
    """Both objects at (or near) TCA in one inertial frame: states (x, y, z m, vx, vy, vz m/s) and 6x6 (or
    3x3 position) covariances in that frame, m^2 (None when unknown)."""

    state1: np.ndarray
    state2: np.ndarray
    cov1: np.ndarray | None
    cov2: np.ndarray | None


def rtn_to_inertial(state: np.ndarray, cov_rtn: np.ndarray) -> np.ndarray:
    """Rotate an RTN covariance (3x3 or 6x6) of the object with ``state`` into the inertial frame.

    The velocity block uses the RTN axes without the frame's rotation rate, as CARA does for CDM covariances.
    """
    from kompas.space.frames import rtn_axes

    rot = rtn_axes(np.asarray(state[0:3], float), np.asarray(state[3:6], float))  # rows: R, T, N, inertial
    n = cov_rtn.shape[0] // 3
    big = np.kron(np.eye(n), rot)
    return big.T @ cov_rtn @ big


def adjust_to_tca(enc: Encounter) -> Encounter:
    """Move both states along their velocities to the time where the relative position is perpendicular to the
    relative velocity (CARA's adjustment to the true TCA)."""
    r = enc.state2[0:3] - enc.state1[0:3]
    v = enc.state2[3:6] - enc.state1[3:6]
    if not float(v @ v) > 0.0:
        raise ValueError("the objects have no relative velocity: no encounter plane, no 2D Pc")
    dt = -float(r @ v) / float(v @ v)
    shift = lambda s: np.concatenate([s[0:3] + s[3:6] * dt, s[3:6]])  # noqa: E731
    return Encounter(shift(enc.state1), shift(enc.state2), enc.cov1, enc.cov2)


def encounter_plane(enc: Encounter) -> tuple[np.ndarray, np.ndarray]:
    """Miss vector (2,) and combined position covariance (2, 2) in the encounter plane (x along the miss,
    z along r x v), as CARA's PcCircle sets them up: the miss is ``(|r|, 0)``, which assumes the states are
    at TCA (``r`` perpendicular to ``v``); :func:`adjust_to_tca` makes that true first."""
    r = enc.state1[0:3] - enc.state2[0:3]
    v = enc.state1[3:6] - enc.state2[3:6]
    if not float(np.linalg.norm(v)) > 0.0:
        raise ValueError("the objects have no relative velocity: no encounter plane, no 2D Pc")
    y = v / np.linalg.norm(v)
    h = np.cross(r, v)
    if not float(np.linalg.norm(h)) > 1e-12 * float(np.linalg.norm(v)) * max(float(np.linalg.norm(r)), 1.0):
        # a zero (or along-velocity) miss: any axis across the velocity spans the plane; take the one farthest
        # from the velocity's largest component
        h = np.cross(np.eye(3)[int(np.argmin(np.abs(y)))], y)
    z = h / np.linalg.norm(h)
    x = np.cross(y, z)
    cov = _position(enc.cov1) + _position(enc.cov2)
    to_plane = np.stack([x, z])
    return np.array([np.linalg.norm(r), 0.0]), to_plane @ cov @ to_plane.T


def _position(cov: np.ndarray | None) -> np.ndarray:
    if cov is None:
        raise ValueError("this method needs both covariances")
    return np.asarray(cov)[0:3, 0:3]


def _principal(miss: np.ndarray, cov2: np.ndarray) -> tuple[float, float, float, float]:
    """Miss components and standard deviations along the covariance's principal axes."""
    values, vectors = np.linalg.eigh(cov2)
    if values[0] <= 0:
        raise ValueError("combined covariance is not positive definite in the encounter plane")
    m = vectors.T @ miss
    return float(m[0]), float(m[1]), float(math.sqrt(values[0])), float(math.sqrt(values[1]))


def pc_circle(miss: np.ndarray, cov2: np.ndarray, hbr_m: float) -> float:
    """Integral of the 2D Gaussian N(miss, cov2) over the disc of radius ``hbr_m`` at the origin."""
    x0, z0, sx, sz = _principal(miss, cov2)

    def strip(x: float) -> float:
        half = math.sqrt(max(hbr_m * hbr_m - x * x, 0.0))
        inner = special.erf((z0 + half) / (math.sqrt(2) * sz)) - special.erf((z0 - half) / (math.sqrt(2) * sz))
        return math.exp(-0.5 * ((x - x0) / sx) ** 2) * inner

    with warnings.catch_warnings():  # tails far below 1e-300 underflow to an exact 0, which quad frets about
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(strip, -hbr_m, hbr_m, epsabs=0.0, epsrel=1e-13, limit=200,
                                  points=[min(max(x0, -hbr_m), hbr_m)] if -hbr_m < x0 < hbr_m else None)
    return float(value / (2.0 * math.sqrt(2.0 * math.pi) * sx))


def pc_foster(enc: Encounter, hbr_m: float) -> float:
    """2D Pc (Foster & Estes 1992; CARA PcCircle) of an encounter."""
    miss, cov2 = encounter_plane(enc)
    return pc_circle(miss, cov2, hbr_m)


def pc_chan(enc: Encounter, hbr_m: float, terms: int = 200) -> float:
    """Chan's series: ``exp(-v/2) sum_m v^m/(2^m m!) [1 - exp(-u/2) sum_k<=m u^k/(2^k k!)]`` with
    ``u = HBR^2 / (sx sz)`` and ``v = (x0/sx)^2 + (z0/sz)^2`` (equal-area isotropic circle)."""
    miss, cov2 = encounter_plane(enc)
    x0, z0, sx, sz = _principal(miss, cov2)
    u = hbr_m * hbr_m / (sx * sz)
    v = (x0 / sx) ** 2 + (z0 / sz) ** 2
    # Poisson forms: P(N_v = m) with mean v/2, and the tail of a Poisson with mean u/2 beyond m.
    total = 0.0
    for m in range(terms):
        weight = math.exp(-v / 2 + m * math.log(v / 2) - math.lgamma(m + 1)) if v > 0 else float(m == 0)
        total += weight * float(special.pdtrc(m, u / 2))
        if m > v / 2 and weight < 1e-18:
            break
    return float(total)


def pc_max(enc: Encounter, hbr_m: float) -> tuple[float, float]:
    """Largest Pc over covariance scale factors ``k`` (covariance k^2 C; Alfano 2005). Without covariances, over
    isotropic ``sigma^2 I``. Returns (Pc_max, k or sigma_m at the maximum)."""
    r = enc.state1[0:3] - enc.state2[0:3]
    if enc.cov1 is None or enc.cov2 is None:
        d = float(np.linalg.norm(r))
        miss = np.array([d, 0.0])
        objective = lambda log_s: -pc_circle(miss, np.eye(2) * math.exp(2 * log_s), hbr_m)  # noqa: E731
        centre = math.log(max(d, hbr_m) / math.sqrt(2))
    else:
        miss, cov2 = encounter_plane(enc)
        objective = lambda log_k: -pc_circle(miss, cov2 * math.exp(2 * log_k), hbr_m)  # noqa: E731
        x0, z0, sx, sz = _principal(miss, cov2)
        centre = math.log(max(math.hypot(x0 / sx, z0 / sz), 1e-6) / math.sqrt(2))
    best = optimize.minimize_scalar(objective, bracket=(centre - 1, centre, centre + 1), tol=1e-10)
    return float(-best.fun), float(math.exp(best.x))


def cumulative(pcs: Iterable[float | None]) -> float:
    """Probability of at least one collision over independent encounters with these probabilities
    (``1 - prod(1 - Pc_i)``, summed in log space so that values near 1e-12 keep their digits); unknown values
    (None) count as 0. For an asset's conjunctions in a window, or a pair's repeated close approaches; successive
    updates of *one* encounter are not independent: the latest is the one to use."""
    total = 0.0
    for pc in pcs:
        if pc is None:
            continue
        if not 0.0 <= pc <= 1.0:
            raise ValueError(f"a probability must be in [0, 1], not {pc}")
        if pc == 1.0:
            return 1.0
        total += math.log1p(-pc)
    return float(-math.expm1(total))


def pc_monte_carlo(enc: Encounter, hbr_m: float, samples: int = 1_000_000, seed: int = 0,
                   chunk: int = 250_000) -> tuple[float, float, float]:
    """Monte Carlo Pc with straight-line relative motion: both 6D states drawn from their covariances (position
    only when 3x3), a hit when the sampled relative trajectory passes within the HBR.

    Returns (Pc, low, high) with the Wilson 95% interval.
    """
    rng = np.random.default_rng(seed)
    cov = np.zeros((12, 12))
    for k, c in enumerate((enc.cov1, enc.cov2)):
        if c is None:
            raise ValueError("Monte Carlo needs both covariances")
        c = np.asarray(c)
        cov[6 * k:6 * k + c.shape[0], 6 * k:6 * k + c.shape[0]] = c
    values, vectors = np.linalg.eigh(cov)
    factor = vectors * np.sqrt(np.clip(values, 0.0, None))
    mean = np.concatenate([enc.state1, enc.state2])
    hits, done = 0, 0
    while done < samples:
        n = min(chunk, samples - done)
        draw = mean + rng.standard_normal((n, 12)) @ factor.T
        r = draw[:, 0:3] - draw[:, 6:9]
        v = draw[:, 3:6] - draw[:, 9:12]
        cross = np.cross(r, v)
        closest2 = np.einsum("ij,ij->i", cross, cross) / np.einsum("ij,ij->i", v, v)
        hits += int(np.count_nonzero(closest2 < hbr_m * hbr_m))
        done += n
    p = hits / samples
    z = 1.959963984540054
    centre = (p + z * z / (2 * samples)) / (1 + z * z / samples)
    half = z * math.sqrt(p * (1 - p) / samples + z * z / (4 * samples * samples)) / (1 + z * z / samples)
    return p, max(0.0, centre - half), min(1.0, centre + half)
