"""Hall's expected-collision-number methods, Nc2D and Nc3D (Hall 2021), with two-body curvilinear motion.

References: D. T. Hall, "Expected collision rates for tracked satellites", J. Spacecraft and Rockets 58 (2021)
715-728; D. T. Hall et al., "Implementation recommendations and usage boundaries for the two-dimensional
probability of collision calculation", AAS 19-632; V. T. Coppola, "Including velocity uncertainty in the
probability of collision between space objects", AAS 12-247 (conjunction time bounds). NASA CARA's
``Pc3D_Hall.m`` / ``Pc2D_Hall.m`` (CARA_Analysis_Tools) were read to follow the same algorithm; this is an
independent NumPy implementation.

The method in brief. Each object's state uncertainty at TCA is a Gaussian in *equinoctial* elements
``E = (n, af, ag, chi, psi, lambda_M)`` (rad/s, -, -, -, -, rad; CARA's convention, prograde factor +1); the
elements move under two-body (Keplerian) motion, only the mean longitude advancing (``lambda_M += n t``), so
the Cartesian mean and covariance at any time follow from the Jacobian ``dX(t)/dE(0)`` (here evaluated by the
complex-step derivative of the element-to-state map, exact to rounding). At each time ``t`` the "peak overlap
position" iteration (CARA's ``PeakOverlapPos``) re-linearises both objects about the states that maximise the
overlap of their position densities, which is what captures curvilinear motion; the collision rate
``dNc/dt`` is then the flux of relative velocity through the hard-body sphere, integrated over the sphere
with a 5810-point Lebedev rule (order 131, SciPy's ``lebedev_rule``), and

* **Nc3D** integrates ``dNc/dt`` over time: the segment starts at Coppola's conjunction bounds (or, for slow
  or offset encounters, the whole span between the relative-orbit maxima that bracket TCA), grows until the rate
  at both ends is below ~1e-6 of its peak, and the trapezoid rule is applied on a *uniform* grid over the span
  where the rate is significant, doubled until halving it changes the result by < 1e-5 (on a uniform grid the
  rule converges geometrically for a smooth peak; CARA refines locally instead, which is the likely source of
  its 4e-4..9e-4 excess on short encounters);
* **Nc2D** expands the log-density quadratically in time about the time of minimum effective Mahalanobis
  distance and integrates time analytically for every direction on the sphere (CARA's ``Pc2D_Hall``; the
  sphere integral falls back to an aligned Gauss-Legendre product rule when the Lebedev rule is not
  accurate enough, as CARA falls back to ``quad2d``).

Units at the interface: states m and m/s, covariances m^2 (6x6, inertial), HBR m, times s from the
encounter's epoch (TCA). Internally km and km/s (as CARA, which sets its clipping floors in km).

Not implemented: CARA's covariance cross-correlation (DCP) correction (``apply_covXcorr_corrections``; it needs
data a CDM 1.0 does not carry) and the retrograde reorientation (orbits within ~1e-6 of 180 deg inclination,
where the prograde equinoctial elements are singular; such an encounter gives a ValueError).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import integrate, optimize, special

from kompas.space.covrepair import clip_eigenvalues_batch
from kompas.space.probability import Encounter, pc_circle

GM_KM = 3.986004418e5  #: km^3/s^2, CARA's value
FCLIP = 1e-4  #: eigenvalue floor of position covariances, (FCLIP * HBR)^2
GAMMA = 1e-16  #: Coppola's tail fraction for the conjunction bounds (CARA default)
NEPH = 51  #: initial number of times in the Nc3D integration (CARA: 101; the trapezoid rule on a uniform
#: grid converges geometrically, and the grid is doubled until halving it changes the result by < rel_tol)
MD2_CUT = 1491.0  #: Mahalanobis^2 beyond which dNc/dt underflows to zero
SQRT2 = math.sqrt(2.0)
SQRTPI = math.sqrt(math.pi)
SQRT2PI = math.sqrt(2.0 * math.pi)


@lru_cache(maxsize=4)
def _lebedev(order: int = 131) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors (L, 3) and weights (L,) (summing to 4 pi) of the Lebedev rule of that order."""
    points, weights = integrate.lebedev_rule(order)
    return np.ascontiguousarray(points.T), weights


# --------------------------------------------------------------------------------------------------------------
# Two-body motion in equinoctial elements (vectorised, complex-safe for the complex-step derivative)


def _frame(chi: np.ndarray, psi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c2, p2 = chi * chi, psi * psi
    den = 1.0 + c2 + p2
    f = np.stack([1.0 - c2 + p2, 2.0 * chi * psi, -2.0 * chi], axis=-1) / den[..., None]
    g = np.stack([2.0 * chi * psi, 1.0 + c2 - p2, 2.0 * psi], axis=-1) / den[..., None]
    return f, g


def eq_to_cart(elements: np.ndarray, t: np.ndarray | float = 0.0) -> np.ndarray:
    """Cartesian states (..., 6) km, km/s at times ``t`` (s, broadcast) of equinoctial elements (..., 6) at t=0."""
    e = np.asarray(elements)
    n, af, ag, chi, psi, lm0 = (e[..., k] for k in range(6))
    lm = lm0 + n * t
    a = (GM_KM / (n * n)) ** (1.0 / 3.0)
    big_f = lm + af * np.sin(lm) - ag * np.cos(lm)  # first-order start
    for _ in range(30):
        s, c = np.sin(big_f), np.cos(big_f)
        step = (big_f + ag * c - af * s - lm) / (1.0 - ag * s - af * c)
        big_f = big_f - step
        if np.all(np.abs(np.real(step)) < 1e-15):
            break
    s, c = np.sin(big_f), np.cos(big_f)
    b = 1.0 / (1.0 + np.sqrt(1.0 - af * af - ag * ag))
    x1 = a * ((1.0 - ag * ag * b) * c + af * ag * b * s - af)
    y1 = a * ((1.0 - af * af * b) * s + af * ag * b * c - ag)
    r = a * (1.0 - af * c - ag * s)
    k = n * a * a / r
    xd = k * (af * ag * b * c - (1.0 - ag * ag * b) * s)
    yd = k * ((1.0 - af * af * b) * c - af * ag * b * s)
    f, g = _frame(chi, psi)
    shape = np.broadcast_shapes(np.shape(x1), f.shape[:-1])
    f, g = np.broadcast_to(f, (*shape, 3)), np.broadcast_to(g, (*shape, 3))
    pos = x1[..., None] * f + y1[..., None] * g
    vel = xd[..., None] * f + yd[..., None] * g
    return np.concatenate([pos, vel], axis=-1)


def cart_to_eq(state: np.ndarray) -> np.ndarray:
    """Equinoctial elements (..., 6) of Cartesian states (..., 6) km, km/s; NaN rows for unbound orbits or
    retrograde-equatorial ones."""
    x = np.asarray(state, dtype=float)
    rv, vv = x[..., 0:3], x[..., 3:6]
    r = np.linalg.norm(rv, axis=-1)
    v2 = np.einsum("...i,...i->...", vv, vv)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = GM_KM * r / (2.0 * GM_KM - v2 * r)
        n = np.sqrt(GM_KM / a**3)
        rdv = np.einsum("...i,...i->...", rv, vv)
        h = np.cross(rv, vv)
        w = h / np.linalg.norm(h, axis=-1)[..., None]
        evec = ((v2 - GM_KM / r)[..., None] * rv - rdv[..., None] * vv) / GM_KM
        den = 1.0 + w[..., 2]
        chi, psi = w[..., 0] / den, -w[..., 1] / den
        f, g = _frame(chi, psi)
        af = np.einsum("...i,...i->...", f, evec)
        ag = np.einsum("...i,...i->...", g, evec)
        xx = np.einsum("...i,...i->...", f, rv)
        yy = np.einsum("...i,...i->...", g, rv)
        root = np.sqrt(1.0 - af * af - ag * ag)
        b = 1.0 / (1.0 + root)
        sin_f = ag + ((1.0 - ag * ag * b) * yy - b * ag * af * xx) / (a * root)
        cos_f = af + ((1.0 - af * af * b) * xx - b * ag * af * yy) / (a * root)
        big_f = np.arctan2(sin_f, cos_f)
        lm = np.mod(big_f + ag * cos_f - af * sin_f, 2.0 * np.pi)
    out = np.stack([n, af, ag, chi, psi, lm], axis=-1)
    bad = ~(a > 1e-5) | ~(af * af + ag * ag < 1.0) | ~(den > 1e-10)
    return np.where(bad[..., None], np.nan, out)


def jacobian(elements: np.ndarray, t: np.ndarray | float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``(dX(t)/dE(0) (..., 6, 6), X(t) (..., 6))`` for elements (..., 6) at t=0 and times ``t`` (broadcast):
    complex-step derivative of :func:`eq_to_cart`."""
    e = np.asarray(elements, dtype=float)
    t_arr = np.asarray(t, dtype=float)
    shape = np.broadcast_shapes(e.shape[:-1], t_arr.shape)
    e = np.broadcast_to(e, (*shape, 6))
    step = 1e-30
    probe = np.broadcast_to(e[..., None, :], (*shape, 7, 6)).astype(complex)
    probe[..., np.arange(6), np.arange(6)] += 1j * step
    out = eq_to_cart(probe, np.broadcast_to(t_arr, shape)[..., None])
    jac = np.swapaxes(out[..., 0:6, :].imag / step, -1, -2)
    return jac, out[..., 6, :].real


def orbit_period(state_km: np.ndarray) -> float:
    """Two-body period (s) of a state in km, km/s (inf when unbound)."""
    r = float(np.linalg.norm(state_km[0:3]))
    v2 = float(state_km[3:6] @ state_km[3:6])
    a = GM_KM * r / (2.0 * GM_KM - v2 * r)
    return 2.0 * math.pi * math.sqrt(a**3 / GM_KM) if a > 0 else math.inf


# --------------------------------------------------------------------------------------------------------------
# Set-up shared by Nc2D, Nc3D and the usage checks


@dataclass(frozen=True)
class Setup:
    """Both objects as equinoctial Gaussians at TCA (km units) and the Cartesian relative quantities (m)."""

    e1: np.ndarray  # (6,) equinoctial elements of object 1 at TCA
    q1: np.ndarray  # (6, 6) their covariance
    e2: np.ndarray
    q2: np.ndarray
    x1: np.ndarray  # (6,) km, km/s
    x2: np.ndarray
    c1: np.ndarray  # (6, 6) km^2 Cartesian
    c2: np.ndarray
    hbr_km: float
    period1_s: float
    period2_s: float
    npd: tuple[bool, bool, bool]  # primary, secondary, combined position covariance not positive definite


def _retrograde(x: np.ndarray, eps: float = 1e-6) -> bool:
    h = np.cross(x[0:3], x[3:6])
    return bool(1.0 + h[2] / np.linalg.norm(h) < eps)


def setup(enc: Encounter, hbr_m: float) -> Setup:
    """Equinoctial means and covariances of both objects (CARA's ``EquinoctialMatrices`` without
    remediation of the equinoctial covariance, its default)."""
    if hbr_m <= 0:
        raise ValueError("hard-body radius must be positive")
    covs = []
    for c in (enc.cov1, enc.cov2):
        if c is None or np.shape(c) != (6, 6):
            raise ValueError("Hall's methods need both 6x6 covariances")
        covs.append(0.5 * (np.asarray(c, float) + np.asarray(c, float).T) / 1e6)
    x1, x2 = np.asarray(enc.state1, float) / 1e3, np.asarray(enc.state2, float) / 1e3
    if _retrograde(x1) or _retrograde(x2):
        # CARA's RetrogradeReorientation: rotate the frame (x, y, z) -> (y, z, x) so that neither orbit is
        # (near-)retrograde-equatorial, where the prograde equinoctial elements are singular.
        rot = np.zeros((6, 6))
        m3 = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
        rot[0:3, 0:3] = rot[3:6, 3:6] = m3
        x1, x2 = rot @ x1, rot @ x2
        covs = [rot @ c @ rot.T for c in covs]
        if _retrograde(x1) or _retrograde(x2):
            raise ValueError("no frame reorientation avoids a retrograde-equatorial orbit")
    qs, es = [], []
    for x, c in ((x1, covs[0]), (x2, covs[1])):
        e = cart_to_eq(x)
        if np.any(np.isnan(e)):
            raise ValueError("unbound or retrograde-equatorial orbit: equinoctial elements undefined")
        jac, _ = jacobian(e, 0.0)
        k = np.linalg.inv(jac)
        q = k @ c @ k.T
        qs.append(0.5 * (q + q.T))
        es.append(e)
    npd = tuple(bool(np.linalg.eigvalsh(c[0:3, 0:3])[0] <= 0) for c in (covs[0], covs[1], covs[0] + covs[1]))
    return Setup(es[0], qs[0], es[1], qs[1], x1, x2, covs[0], covs[1], hbr_m / 1e3,
                 orbit_period(x1), orbit_period(x2), (npd[0], npd[1], npd[2]))


# --------------------------------------------------------------------------------------------------------------
# Peak overlap position (vectorised over times)


@dataclass(frozen=True)
class Overlap:
    """Linearised relative state and covariance about the peak-overlap states at each time (km units)."""

    t: np.ndarray  # (N,)
    converged: np.ndarray  # (N,) bool
    xu: np.ndarray  # (N, 6) relative mean state (object 2 - object 1), km, km/s
    ps: np.ndarray  # (N, 6, 6) combined covariance km^2
    asinv: np.ndarray  # (N, 3, 3) clipped inverse of the position block
    asdet: np.ndarray  # (N,)
    asleig: np.ndarray  # (N, 3) clipped eigenvalues of the position block


def _sym(m: np.ndarray) -> np.ndarray:
    return 0.5 * (m + np.swapaxes(m, -1, -2))


def _energy(frac: np.ndarray, rs: np.ndarray, mup: np.ndarray, xu: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Orbital energy along the line rs -> mup (frac (M,) or (M, K)); CARA's ``CalcCoLEnergy``."""
    f = frac[..., None]
    pos = rs[:, None, :] + f * (mup - rs)[:, None, :]
    vel = xu[:, None, 3:6] + np.einsum("nij,nkj->nki", beta, pos - xu[:, None, 0:3])
    return 0.5 * np.einsum("nki,nki->nk", vel, vel) - GM_KM / np.linalg.norm(pos, axis=-1)


def _adjust(mup: np.ndarray, rs: np.ndarray, beta: np.ndarray, xu: np.ndarray,
            max_change: float = 0.10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move each rs towards mup, but no further than a 10% change in orbital energy (CARA's AdjustPOPCoL).
    Returns (new position (M, 3), its energy (M,), fraction moved (M,))."""
    ends = _energy(np.tile(np.array([0.0, 1.0]), (len(mup), 1)), rs, mup, xu, beta)
    ea, eb = ends[:, 0], ends[:, 1]
    frac = np.ones(len(mup))
    limit = (ea < 0) & (np.abs(eb - ea) > max_change * np.abs(ea))
    if np.any(limit):
        idx = np.flatnonzero(limit)
        grid = np.tile(np.linspace(0.0, 1.0, 201), (len(idx), 1))
        en = _energy(grid, rs[idx], mup[idx], xu[idx], beta[idx])
        obj = (np.abs(en / ea[idx, None] - 1.0) - max_change) ** 2
        best = np.argmin(obj, axis=1)
        fine = []
        for k, i in enumerate(best):  # refine the crossing between neighbouring grid points
            lo, hi = grid[k, max(i - 1, 0)], grid[k, min(i + 1, 200)]
            sub = np.linspace(lo, hi, 201)[None, :]
            e_sub = _energy(sub, rs[idx[k]:idx[k] + 1], mup[idx[k]:idx[k] + 1], xu[idx[k]:idx[k] + 1],
                            beta[idx[k]:idx[k] + 1])[0]
            o_sub = (np.abs(e_sub / ea[idx[k]] - 1.0) - max_change) ** 2
            fine.append(sub[0, int(np.argmin(o_sub))])
        f_lim = np.array(fine)
        f_lim[f_lim <= 0] = grid[0, 1]
        frac[idx] = f_lim
    pos = rs + frac[:, None] * (mup - rs)
    en = _energy(frac[:, None], rs, mup, xu, beta)[:, 0]
    return pos, en, frac


def _lm_diff(lb: np.ndarray, ls: np.ndarray) -> np.ndarray:
    return np.arcsin(np.sin(lb) * np.cos(ls) - np.cos(lb) * np.sin(ls))


def peak_overlap(s: Setup, t: np.ndarray, maxiter: int = 100, tol: tuple[float, float] = (1e-12, 1e-6)) -> Overlap:
    """CARA's ``PeakOverlapPos`` at every time in ``t`` (s): iterate the linearisation states of both objects
    to the position that maximises the overlap of their position densities. Times where the iteration diverges
    (e.g. to an unbound orbit) come back with ``converged`` False, never an exception."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _peak_overlap(s, t, maxiter, tol)


def _peak_overlap(s: Setup, t: np.ndarray, maxiter: int, tol: tuple[float, float]) -> Overlap:
    t = np.atleast_1d(np.asarray(t, dtype=float))
    nt = len(t)
    h = s.hbr_km
    lclip = (FCLIP * h) ** 2
    avgiter, acciter, osciter = min(35, round(maxiter * 0.35)), min(25, round(maxiter * 0.25)), \
        min(15, round(maxiter * 0.15))
    eb = (s.e1, s.e2)
    qb = (s.q1, s.q2)
    es = [np.tile(s.e1, (nt, 1)), np.tile(s.e2, (nt, 1))]
    js, xs = [], []
    for k in range(2):
        j, x = jacobian(es[k], t)
        js.append(j)
        xs.append(x)
    active = np.ones(nt, bool)
    converged = np.zeros(nt, bool)
    iter_adj = np.full(nt, -10**9)
    mup_old = np.full((nt, 3), np.nan)
    mup_old2 = np.full((nt, 3), np.nan)
    iteration = 0
    eye3 = np.eye(3)
    while np.any(active):
        a = np.flatnonzero(active)
        xu, ps, inv = [], [], []
        for k in range(2):
            if iteration == 0:
                de = np.zeros((len(a), 6))
            else:
                de = eb[k][None, :] - es[k][a]
                de[:, 5] = _lm_diff(eb[k][5], es[k][a, 5])
            xu.append(xs[k][a] + np.einsum("nij,nj->ni", js[k][a], de))
            p = _sym(js[k][a] @ qb[k] @ np.swapaxes(js[k][a], -1, -2))
            ps.append(p)
            inv.append(clip_eigenvalues_batch(p[:, 0:3, 0:3], lclip)[0])
        sigp = clip_eigenvalues_batch(inv[0] + inv[1], lclip)[0]
        mup = np.einsum("nij,nj->ni", sigp, np.einsum("nij,nj->ni", inv[0], xu[0][:, 0:3])
                        + np.einsum("nij,nj->ni", inv[1], xu[1][:, 0:3]))
        sigp_rem_inv = np.linalg.inv(sigp + h * h * eye3)
        if iteration > avgiter:
            damp = iteration > iter_adj[a] + 2
            mup[damp] = 0.5 * (mup[damp] + mup_old[a][damp])
        new_pos, energies, adjusted = [], [], np.zeros(len(a), bool)
        for k in range(2):
            beta = ps[k][:, 3:6, 0:3] @ inv[k]
            pos, en, frac = _adjust(mup, xs[k][a, 0:3], beta, xu[k])
            adjusted |= frac != 1.0
            vel = xu[k][:, 3:6] + np.einsum("nij,nj->ni", beta, pos - xu[k][:, 0:3])
            new_pos.append(np.concatenate([pos, vel], axis=1))
            energies.append(en)
        iter_adj[a[adjusted]] = iteration
        failed = (energies[0] >= 0) | (energies[1] >= 0)
        stop = failed.copy()
        conv_now = np.zeros(len(a), bool)
        if iteration > 0:
            d = mup_old[a] - mup
            dmd2 = np.einsum("ni,nij,nj->n", d, sigp_rem_inv, d)
            c1 = (dmd2 <= tol[0]) & (iteration != iter_adj[a])
            conv_now |= c1 & ~stop
            stop |= c1
            if iteration >= maxiter:
                stop |= True
            elif iteration > osciter:
                ok = ~stop & (iteration > iter_adj[a] + 2)
                d2 = mup_old2[a] - mup
                osc = np.einsum("ni,nij,nj->n", d2, sigp_rem_inv, d2) <= tol[0]
                if iteration > avgiter:
                    cut = tol[1]
                elif iteration <= acciter:
                    cut = tol[0]
                else:
                    frc = (iteration - acciter) / (avgiter - acciter)
                    cut = math.exp((1 - frc) * math.log(tol[0]) + frc * math.log(tol[1]))
                c2 = ok & (osc | (dmd2 <= cut))
                conv_now |= c2
                stop |= c2
        # new linearisation states -> elements at epoch and Jacobians (also for the ones just converged)
        upd = ~failed
        for k in range(2):
            xs[k][a[upd]] = new_pos[k][upd]
            e_now = cart_to_eq(new_pos[k][upd])
            bad = np.any(np.isnan(e_now), axis=1)
            e0 = e_now.copy()
            e0[:, 5] = np.mod(e_now[:, 5] - e_now[:, 0] * t[a[upd]], 2 * np.pi)
            good_idx = a[upd][~bad]
            es[k][good_idx] = e0[~bad]
            if np.any(~bad):
                j, _ = jacobian(e0[~bad], t[good_idx])
                js[k][good_idx] = j
            if np.any(bad):
                bad_idx = np.flatnonzero(upd)[bad]
                stop[bad_idx] = True
                conv_now[bad_idx] = False
        converged[a[conv_now]] = True
        active[a[stop]] = False
        mup_old2[a] = mup_old[a]
        mup_old[a] = mup
        iteration += 1
    # final linearised relative state and covariance with the converged linearisation states
    xu_out, ps_out = np.full((nt, 6), np.nan), np.full((nt, 6, 6), np.nan)
    rel, tot = np.zeros((nt, 6)), np.zeros((nt, 6, 6))
    for k, sign in ((0, -1.0), (1, 1.0)):
        de = eb[k][None, :] - es[k]
        de[:, 5] = _lm_diff(eb[k][5], es[k][:, 5])
        rel += sign * (xs[k] + np.einsum("nij,nj->ni", js[k], de))
        tot += _sym(js[k] @ qb[k] @ np.swapaxes(js[k], -1, -2))
    xu_out[converged], ps_out[converged] = rel[converged], tot[converged]
    converged &= np.all(np.isfinite(rel), axis=1) & np.all(np.isfinite(tot), axis=(1, 2))
    xu_out[~converged], ps_out[~converged] = np.nan, np.nan
    values, vectors = np.linalg.eigh(np.where(converged[:, None, None], tot, np.eye(6))[:, 0:3, 0:3])
    leig = np.maximum(values, lclip)
    asinv = np.einsum("nik,nk,njk->nij", vectors, 1.0 / leig, vectors)
    return Overlap(t, converged, xu_out, ps_out, asinv, np.prod(leig, axis=1), leig)


# --------------------------------------------------------------------------------------------------------------
# Coppola's conjunction bounds


def coppola_bounds(enc: Encounter, hbr_m: float, gamma: float = GAMMA) -> tuple[float, float]:
    """Coppola (2012) conjunction time bounds (s from the encounter epoch) for straight-line relative motion
    with the combined 6x6 covariance: the window outside which a fraction below ``gamma`` of the collision
    probability lies (CARA's ``conj_bounds_Coppola``)."""
    r = (np.asarray(enc.state2, float) - np.asarray(enc.state1, float))[0:3]
    v = (np.asarray(enc.state2, float) - np.asarray(enc.state1, float))[3:6]
    c = np.asarray(enc.cov1, float)[0:3, 0:3] + np.asarray(enc.cov2, float)[0:3, 0:3]
    return coppola(r, v, c, hbr_m, gamma)


def coppola(r: np.ndarray, v: np.ndarray, c: np.ndarray, hbr: float, gamma: float = GAMMA) -> tuple[float, float]:
    """Coppola's (2012) conjunction time bounds, s from the epoch of the relative state: relative position ``r``
    (r2 - r1), velocity ``v``, combined 3x3 position covariance ``c`` and hard-body radius ``hbr`` in one length
    unit (m or km: the times do not depend on it); outside them a fraction below ``gamma`` of the collision
    probability lies (CARA's ``conj_bounds_Coppola``). The one implementation: Hall's Nc3D, the usage checks and
    the Monte Carlo's encounter window use it."""
    v0 = float(np.linalg.norm(v))
    if v0 < 100 * np.finfo(float).eps:
        return -math.inf, math.inf
    xh = v / v0
    yh = r - xh * (xh @ r)
    if not float(np.linalg.norm(yh)) > 1e-12 * max(float(np.linalg.norm(r)), 1.0):  # a zero miss: any normal axis
        yh = np.cross(np.eye(3)[int(np.argmin(np.abs(xh)))], xh)
    yh = yh / np.linalg.norm(yh)
    zh = np.cross(xh, yh)
    rot = np.stack([xh, yh, zh])
    re = rot @ r
    ce = rot @ c @ rot.T
    eta2, w, pc = ce[0, 0], ce[1:3, 0], ce[1:3, 1:3]
    b = np.linalg.solve(pc, w)
    sv2 = math.sqrt(max(0.0, 2.0 * (eta2 - b @ w)))
    q0 = float(b @ re[1:3])
    btb = float(b @ b)
    dmin, dmax = -hbr * math.sqrt(btb), hbr * math.sqrt(1.0 + btb)
    ac = float(special.erfcinv(gamma)) * sv2
    return (-ac + q0 - dmax) / v0, (ac + q0 - dmin) / v0


# --------------------------------------------------------------------------------------------------------------
# dNc/dt at a set of times (Nc3D)


def _flux_terms(rhat: np.ndarray, vup: np.ndarray, csp: np.ndarray) -> np.ndarray:
    """E[max(0, -rhat.v)] for v ~ N(vup, csp), at every direction: rhat (L, 3), vup (..., L, 3), csp (..., 3, 3)
    broadcast to (..., L)."""
    sig2 = np.einsum("li,...ij,lj->...l", rhat, csp, rhat)
    mean = np.einsum("...li,li->...l", vup, rhat)
    pos = sig2 > 0
    sig = np.sqrt(np.where(pos, sig2, 1.0))
    nus = mean / (sig * SQRT2)
    hnu = np.exp(-nus * nus) - SQRTPI * nus * special.erfc(nus)
    return np.where(pos, sig * hnu / SQRT2PI, np.maximum(0.0, -mean))


@lru_cache(maxsize=1)
def _monomials() -> tuple[np.ndarray, np.ndarray]:
    """(6, L) quadratic monomials (x^2, y^2, z^2, 2xy, 2xz, 2yz) and (3, L) components of the Lebedev
    directions."""
    r, _ = _lebedev()
    x, y, z = r[:, 0], r[:, 1], r[:, 2]
    return np.stack([x * x, y * y, z * z, 2 * x * y, 2 * x * z, 2 * y * z]), np.ascontiguousarray(r.T)


def _sym6(m: np.ndarray) -> np.ndarray:
    """Coefficients (..., 6) of the quadratic form of (..., 3, 3) matrices against :func:`_monomials`."""
    return np.stack([m[..., 0, 0], m[..., 1, 1], m[..., 2, 2], 0.5 * (m[..., 0, 1] + m[..., 1, 0]),
                     0.5 * (m[..., 0, 2] + m[..., 2, 0]), 0.5 * (m[..., 1, 2] + m[..., 2, 1])], axis=-1)


def _flux(mean: np.ndarray, sig2: np.ndarray) -> np.ndarray:
    """E[max(0, -x)] for x ~ N(mean, sig2) (elementwise; sig2 <= 0 means no spread)."""
    pos = sig2 > 0
    sig = np.sqrt(np.where(pos, sig2, 1.0))
    nus = mean / (sig * SQRT2)
    hnu = np.exp(-nus * nus) - SQRTPI * nus * special.erfc(nus)
    return np.where(pos, sig * hnu / SQRT2PI, np.maximum(0.0, -mean))


def ncdot(s: Setup, ov: Overlap) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dNc/dt (1/s) at the overlap times, the Mahalanobis^2 of the relative position and the number of Lebedev
    directions carrying more than 1e-3 of the largest integrand value."""
    rhat, w = _lebedev()
    h = s.hbr_km
    n = len(ov.t)
    out = np.zeros(n)
    md2 = np.full(n, np.nan)
    leb = np.zeros(n)
    ok = np.flatnonzero(ov.converged)
    if len(ok) == 0:
        return np.full(n, np.nan), md2, leb
    ru, vu = ov.xu[ok, 0:3], ov.xu[ok, 3:6]
    ps = ov.ps[ok]
    asinv, asdet = ov.asinv[ok], ov.asdet[ok]
    bs = ps[:, 3:6, 0:3] @ asinv
    csp = ps[:, 3:6, 3:6] - bs @ np.swapaxes(ps[:, 3:6, 0:3], -1, -2)
    a_ru = np.einsum("nij,nj->ni", asinv, ru)
    ms = np.einsum("ni,ni->n", ru, a_ru)
    md2[ok] = ms
    ms2 = ms - 2 * h * np.linalg.norm(a_ru, axis=1)
    live = ms2 <= MD2_CUT
    res = np.zeros(len(ok))
    lebn = np.zeros(len(ok))
    if np.any(live):
        li = np.flatnonzero(live)
        # Quadratic forms in the direction rhat as matrix products with its monomials (no (M, L, 3) arrays):
        # dr = h rhat - ru;  dr' A dr,  rhat' Csp rhat  and  rhat' (vu + bs dr)  for all M times and L directions.
        quad, lin = _monomials()
        a = asinv[li]
        m2 = h * h * (_sym6(a) @ quad) - 2 * h * (np.einsum("nij,nj->ni", a, ru[li]) @ lin) + ms[li, None]
        sig2 = _sym6(csp[li]) @ quad
        mean = (vu[li] - np.einsum("nij,nj->ni", bs[li], ru[li])) @ lin + h * (_sym6(bs[li]) @ quad)
        nu = _flux(mean, sig2)
        log_ns0 = -0.5 * np.log((2 * np.pi) ** 3 * asdet[li])
        pint = nu * np.exp(log_ns0[:, None] - 0.5 * m2)
        res[li] = h * h * (pint @ w)
        mx = pint.max(axis=1)
        lebn[li] = np.sum(pint > 1e-3 * mx[:, None], axis=1)
    res[res <= 1e-300] = 0.0
    out[ok] = res
    out[np.setdiff1d(np.arange(n), ok)] = np.nan
    leb[ok] = lebn
    return out, md2, leb


@dataclass(frozen=True)
class Nc3DResult:
    """Hall's 3D expected number of collisions (Nc3D ~ Pc) and its conjunction diagnostics.

    Times are s from the encounter epoch (TCA). ``t_min``/``t_max``: the integration segment used;
    ``limit_min``/``limit_max``: the relative-orbit maxima bracketing TCA (or +/- half the shorter period),
    CARA's ``Tmin_limit``/``Tmax_limit``; ``tau0``/``tau1``: Coppola's bounds; ``ta``/``tb``: the conjunction
    duration bounds (where dNc/dt exceeds ~1e-6 of its peak or the cumulative Nc is within 1e-6 of 0 or Nc,
    CARA's ``TaConj``/``TbConj``); ``t_peak``: time of the largest dNc/dt; ``avg_lebedev_points``: dNc/dt-weighted
    mean number of Lebedev directions carrying > 1e-3 of the peak integrand (small means the sphere integral is
    poorly resolved); ``md2_min``: smallest Mahalanobis^2 of the relative position; ``converged``."""

    value: float
    t_min: float
    t_max: float
    limit_min: float
    limit_max: float
    tau0: float
    tau1: float
    ta: float
    tb: float
    t_peak: float
    avg_lebedev_points: float
    md2_min: float
    converged: bool
    evaluations: int


def _relative_distance2(s: Setup, t: np.ndarray) -> np.ndarray:
    d = eq_to_cart(s.e2, t)[..., 0:3] - eq_to_cart(s.e1, t)[..., 0:3]
    return np.einsum("...i,...i->...", d, d)


def _time_limits(s: Setup, taum: float) -> tuple[float, float]:
    """Times (s) of the maxima of |r2 - r1| (mean two-body orbits) that bracket TCA and the Coppola midpoint;
    +/- half the shorter period when they cannot be found (CARA's Tmin_limit/Tmax_limit)."""
    p1, p2 = s.period1_s, s.period2_s
    half = 0.5 * min(p1, p2)
    span = min(1.10 * max(p1, p2), 2.20 * min(p1, p2))
    ts = np.linspace(-span, span, 51)
    d2 = _relative_distance2(s, ts)
    imax = [i for i in range(1, 50) if d2[i] >= d2[i - 1] and d2[i] >= d2[i + 1]]
    lower = [i for i in imax if ts[i] < min(0.0, taum)]
    upper = [i for i in imax if ts[i] > max(0.0, taum)]
    if not lower or not upper:
        return -half, half
    out = []
    for i in (max(lower), min(upper)):
        res = optimize.minimize_scalar(lambda x: -float(_relative_distance2(s, np.array([x]))[0]),
                                       bounds=(ts[i - 1], ts[i + 1]), method="bounded",
                                       options={"xatol": 1e-3})
        out.append(float(res.x))
    return (out[0], out[1]) if out[0] < out[1] else (-half, half)


def nc3d(enc: Encounter, hbr_m: float, *, neph: int = NEPH, rel_tol: float = 1e-5,
         window: tuple[float, float] | None = None) -> Nc3DResult:
    """Hall's Nc3D of an encounter (states at TCA, m, m/s, 6x6 inertial covariances m^2), hard-body radius m.

    ``window``: optional fixed (Tmin, Tmax) s, used both as the limits and the initial segment (as CARA's unit
    tests set ``Tmin_initial = Tmin_limit``); by default the segment starts at Coppola's bounds and grows
    (within the relative-orbit limits) until dNc/dt has fallen below 1e-6 of its peak at both ends, then is
    refined until the trapezoid integral changes by less than ``rel_tol``.
    """
    s = setup(enc, hbr_m)
    r = (s.x2 - s.x1)[0:3]
    v = (s.x2 - s.x1)[3:6]
    tau0, tau1 = coppola(r, v, s.c1[0:3, 0:3] + s.c2[0:3, 0:3], s.hbr_km, GAMMA)
    taum = 0.5 * (tau0 + tau1) if math.isfinite(tau0 + tau1) else 0.0
    if window is not None:
        lim_lo, lim_hi = float(min(window)), float(max(window))
        t_lo, t_hi = lim_lo, lim_hi
    else:
        lim_lo, lim_hi = _time_limits(s, taum)
        t_lo, t_hi = tau0, tau1
        if not (math.isfinite(t_lo) and math.isfinite(t_hi)) or t_hi <= lim_lo or t_lo >= lim_hi:
            t_lo, t_hi = lim_lo, lim_hi
        else:
            t_lo, t_hi = max(t_lo, lim_lo), min(t_hi, lim_hi)
    x = math.sqrt(2.0) * float(special.erfcinv(max(1e-6, GAMMA)))
    cut_ratio = math.exp(-x * x / 2) / SQRT2PI
    ts = np.linspace(t_lo, t_hi, neph if window is None else max(neph, 101))
    ov = peak_overlap(s, ts)
    vals, md2, leb = ncdot(s, ov)
    evaluations = len(ts)
    step0 = max((t_hi - t_lo) / 2, abs(lim_lo) / 83.0, abs(lim_hi) / 83.0)

    def add(new: np.ndarray) -> None:
        nonlocal ts, vals, md2, leb, evaluations, ov
        new = np.setdiff1d(np.unique(new), ts)
        if len(new) == 0:
            return
        o = peak_overlap(s, new)
        nv, nm, nl = ncdot(s, o)
        evaluations += len(new)
        ts = np.concatenate([ts, new])
        order = np.argsort(ts)
        ts = ts[order]
        vals = np.concatenate([vals, nv])[order]
        md2 = np.concatenate([md2, nm])[order]
        leb = np.concatenate([leb, nl])[order]

    # 0. A slow or offset encounter can peak far from Coppola's straight-line window: when that window is long
    #    against the orbit or the densities barely overlap inside it, scan the whole segment between the limits
    #    too (as CARA's PcMultiStep does with Tmin_initial = -inf, Tmax_initial = +inf).
    if window is None and (t_hi - t_lo > 0.02 * min(s.period1_s, s.period2_s)
                           or not np.any(md2 < 100.0)):
        add(np.linspace(lim_lo, lim_hi, max(neph, 101)))  # CARA's 101 over a whole segment
    # 1. Grow the segment while the peak or a non-negligible rate sits at an end (within the limits).
    for _ in range(400):
        v0 = np.nan_to_num(vals)
        vmax = v0.max()
        cut = vmax * cut_ratio
        if vmax == 0:
            # no rate anywhere yet: follow the Mahalanobis distance downhill
            m = np.where(np.isnan(md2), np.inf, md2)
            i = int(np.argmin(m))
            if not np.isfinite(m[i]):
                break
            if i == 0 and ts[0] > lim_lo:
                add(np.array([max(ts[0] - step0, lim_lo)]))
                continue
            if i == len(ts) - 1 and ts[-1] < lim_hi:
                add(np.array([min(ts[-1] + step0, lim_hi)]))
                continue
            break
        grew = False
        if (v0[0] > cut or int(np.argmax(v0)) == 0) and ts[0] > lim_lo:
            add(np.array([max(ts[0] - step0 * k, lim_lo) for k in (1, 2, 3)]))
            grew = True
        if (v0[-1] > cut or int(np.argmax(v0)) == len(v0) - 1) and ts[-1] < lim_hi:
            add(np.array([min(ts[-1] + step0 * k, lim_hi) for k in (1, 2, 3)]))
            grew = True
        if not grew:
            break
    # 2. Integrate on a uniform grid over the span where the rate is significant (the trapezoid rule converges
    #    geometrically for a smooth peak on a uniform grid, not on a locally refined one), doubling the number
    #    of times until halving the resolution changes the integral by less than rel_tol.
    v0 = np.nan_to_num(vals)
    if v0.max() > 0:
        sig = np.flatnonzero(v0 > 1e-14 * v0.max())
        lo, hi = ts[max(sig[0] - 1, 0)], ts[min(sig[-1] + 1, len(ts) - 1)]
        inside = ts[(ts >= lo) & (ts <= hi)]
        uniform = len(inside) >= 3 and np.allclose(np.diff(inside), (hi - lo) / (len(inside) - 1),
                                                    rtol=1e-9, atol=0.0)
        if uniform and len(inside) % 2 == 0:  # make the count odd with a neighbouring grid point, if any
            j = int(np.searchsorted(ts, hi)) + 1
            if j < len(ts) and np.isclose(ts[j] - hi, inside[1] - inside[0], rtol=1e-9, atol=0.0):
                hi = ts[j]
                inside = ts[(ts >= lo) & (ts <= hi)]
            else:
                uniform = False
        n = len(inside) if uniform else neph
        for _ in range(8):
            grid = np.linspace(lo, hi, n)
            add(grid)
            sel = np.isin(ts, grid)
            g_t, g_v = ts[sel], np.nan_to_num(vals[sel])
            total = float(integrate.trapezoid(g_v, g_t))
            coarse = float(integrate.trapezoid(g_v[::2], g_t[::2]))
            if total <= 0 or abs(total - coarse) <= rel_tol * total or np.any(np.isnan(vals[sel])):
                break  # converged, nothing to integrate, or unconverged overlaps that refinement cannot fix
            n = 2 * n - 1
        keep = (ts < lo) | (ts > hi) | np.isin(ts, grid)
        ts, vals, md2, leb = ts[keep], vals[keep], md2[keep], leb[keep]
    v0 = np.nan_to_num(vals)
    converged_pts = ~np.isnan(vals)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * np.diff(ts) * (v0[1:] + v0[:-1]))])
    nc = float(cum[-1])
    if nc <= 1e-300:
        nc = 0.0
    vmax = float(v0.max()) if len(v0) else 0.0
    peak_ok = vmax == 0.0 or bool(np.all(converged_pts[max(int(np.argmax(v0)) - 1, 0):int(np.argmax(v0)) + 2]))
    converged = bool(np.any(converged_pts)) and peak_ok and math.isfinite(vmax)
    if vmax > 0:
        idx = np.flatnonzero(v0 >= vmax * cut_ratio)
        ta, tb = float(ts[idx[0]]), float(ts[idx[-1]])
        t_peak = float(ts[int(np.argmax(v0))])
        frac = cum / nc if nc > 0 else np.zeros_like(cum)  # nc underflowed to 0: no fraction to bound by
        frac = np.where(frac > 0.5, 1.0 - frac, frac)
        k = np.flatnonzero(frac > max(1e-6, GAMMA))
        if len(k):
            i0, i1 = max(k[0] - 1, 0), min(k[-1] + 1, len(ts) - 1)
            ta, tb = min(ta, float(ts[i0])), max(tb, float(ts[i1]))
        avg_leb = float(integrate.trapezoid(v0 * leb, ts) / nc) if nc > 0 else math.nan
    else:
        ta = tb = t_peak = math.nan
        avg_leb = math.nan
    return Nc3DResult(min(1.0, nc), float(ts[0]), float(ts[-1]), lim_lo, lim_hi, tau0, tau1, ta, tb, t_peak,
                      avg_leb, float(np.nanmin(md2)) if np.any(~np.isnan(md2)) else math.nan, converged,
                      evaluations)


# --------------------------------------------------------------------------------------------------------------
# Nc2D


@dataclass(frozen=True)
class Nc2DResult:
    """Hall's 2D expected number of collisions (Nc2D ~ Pc) with its time diagnostics.

    ``t_min``: time (s from TCA) of the minimum effective Mahalanobis distance (log-density maximum);
    ``sigma_t``: its time scale (s); ``t_mean``/``t_sigma``: mean and standard deviation (s) of the collision
    rate's time distribution (CARA's TMeanRate/TSigmaRate), from which ``ta``/``tb`` (the conjunction bounds,
    +/- sqrt(2) erfcinv(1e-16) sigma) follow; ``pc_lebedev``: the Lebedev-rule value, ``pc_conj_plane``: the
    2D Pc in the effective conjunction plane at ``t_min``; ``method``: 'lebedev', 'full' (accurate sphere
    quadrature) or 'conj_plane'."""

    value: float
    t_min: float
    sigma_t: float
    t_mean: float
    t_sigma: float
    ta: float
    tb: float
    pc_lebedev: float
    pc_conj_plane: float
    pc_alt: float
    method: str
    converged: bool


def _emd2(s: Setup, t: np.ndarray) -> tuple[np.ndarray, Overlap]:
    """MD^2 + log det(As) (km units) at the times ``t`` (CARA's PeakOverlapMD2 with EMD2 = 1)."""
    ov = peak_overlap(s, t)
    ru = ov.xu[:, 0:3]
    md2 = np.einsum("ni,nij,nj->n", ru, ov.asinv, ru)
    y = md2 + np.log(ov.asdet)
    return np.where(ov.converged, y, np.nan), ov


def _min_search(s: Setup, t0: float = 0.0) -> tuple[float, float] | None:
    """Time of the minimum Mahalanobis distance by Newton steps on the linearised relative motion (CARA's
    first search in Pc2D_Hall); returns (t, sigma_t) or None."""
    t = t0
    for it in range(1, 26):
        ov = peak_overlap(s, np.array([t]))
        if not ov.converged[0]:
            return None
        ru, vu, ai = ov.xu[0, 0:3], ov.xu[0, 3:6], ov.asinv[0]
        a = float(vu @ ai @ vu)
        dt = -float(vu @ ai @ ru) / a
        st = math.sqrt(1.0 / a)
        if abs(dt) < 0.1 * st and it >= 2:
            return t, st
        t += dt
    return None


def _refine_min(s: Setup, t: float, sig: float, ttol: float, itermax: int) -> dict | None:
    """CARA's MD2MinRefine (findmin): Newton iterations on y(t) = MD^2 + log det with central differences
    at +/- sigma_t. Returns the quantities at the last centre."""
    out: dict = {}
    for it in range(1, itermax + 2):
        dt = sig
        ys, ov = _emd2(s, np.array([t - dt, t, t + dt]))
        if np.any(np.isnan(ys)):
            return None
        ydot = (ys[2] - ys[0]) / (2 * dt)
        ydd = (ys[2] - 2 * ys[1] + ys[0]) / dt**2
        if ydd <= 0:
            return None
        out = {"t": t, "delt": dt, "y": ys, "ov": ov, "ydot": ydot, "ydd": ydd}
        sig_new = math.sqrt(2.0 / ydd)
        t_new = t - ydot / ydd
        ok = abs(t_new - t) < ttol * sig_new
        if not ok and it >= 4:
            ru = ov.xu[:, 0:3]
            md2 = np.einsum("ni,nij,nj->n", ru, ov.asinv, ru)
            ok = max(abs(1 - md2[0] / md2[1]), abs(1 - md2[2] / md2[1])) < ttol
        out["t_next"], out["sigma"] = t_new, sig_new
        t, sig = t_new, sig_new
        if ok and it >= 2:
            out["converged"] = True
            return out
    return None


def _runit_integrand(rhat: np.ndarray, r: float, d: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pc2D_Hall's per-direction integrand (time integrated analytically), with Tstar and SRstar^2."""
    ru, vu, bs, csp = d["ru"], d["vu"], d["bs"], d["csp"]
    ai, aid, aidd = d["ai"], d["aid"], d["aidd"]
    rud, rudd = d["rud"], d["rudd"]
    vup = vu[None, :] + (r * rhat - ru[None, :]) @ bs.T
    nu = _flux_terms(rhat, vup, csp) * SQRT2PI
    a_rhat = rhat @ ai.T
    qrt = d["q0"] - r * np.einsum("li,li->l", 2 * ru[None, :] - r * rhat, a_rhat)
    qrtd = (d["q0d"] - 2 * r * rhat @ (aid @ ru + ai @ rud)
            + r * r * np.einsum("li,ij,lj->l", rhat, aid, rhat))
    qrtdd = (d["q0dd"] - 2 * r * rhat @ (aidd @ ru + 2 * aid @ rud + ai @ rudd)
             + r * r * np.einsum("li,ij,lj->l", rhat, aidd, rhat))
    with np.errstate(divide="ignore", invalid="ignore"):
        qstar = qrt - 0.5 * qrtd**2 / qrtdd
        qstar = np.where(qstar - d["logdet"] < 0, d["logdet"], qstar)
        sr2 = np.where(qrtdd > 0, 2.0 / qrtdd, np.nan)
        integ = np.exp(-0.5 * qstar) * nu * np.sqrt(sr2)
        tstar = d["t"] - qrtd / qrtdd
    return integ, tstar, sr2


def _sphere_product_rule(f: Callable[[np.ndarray], np.ndarray], pole: np.ndarray, n_theta: int, n_phi: int) -> float:
    """Integral over the unit sphere of f(rhat (L, 3)) -> (L,) by Gauss-Legendre in theta (split at small
    angles about ``pole``) times the trapezoid rule in phi."""
    z = pole / np.linalg.norm(pole)
    tmp = np.array([1.0, 0.0, 0.0]) if abs(z[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    x = np.cross(z, tmp)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    total = 0.0
    half = np.geomspace(1e-4, 1.0, 7) * (np.pi / 2)  # bands graded towards the pole and the equator (the kink
    edges = np.unique(np.concatenate([[0.0], half, np.pi / 2 - half, np.pi / 2 + half[:-1],  # of the flux
                                      np.pi - half]))  # when the pole is along the relative velocity)
    edges = np.clip(edges, 0.0, np.pi)
    gx, gw = np.polynomial.legendre.leggauss(n_theta)
    phi = np.linspace(0.0, 2 * np.pi, n_phi, endpoint=False)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        th = 0.5 * (hi - lo) * gx + 0.5 * (hi + lo)
        wt = 0.5 * (hi - lo) * gw * np.sin(th)
        st, ct = np.sin(th)[:, None], np.cos(th)[:, None]
        rh = (st * np.cos(phi)[None, :])[..., None] * x + (st * np.sin(phi)[None, :])[..., None] * y \
            + np.broadcast_to(ct, (n_theta, n_phi))[..., None] * z
        vals = np.nan_to_num(f(rh.reshape(-1, 3))).reshape(n_theta, n_phi)
        total += float(wt @ vals.sum(axis=1)) * (2 * np.pi / n_phi)
    return total


def nc2d(enc: Encounter, hbr_m: float, *, rel_tol: float = 1e-6) -> Nc2DResult:
    """Hall's Nc2D (CARA's Pc2D_Hall) of an encounter: states at TCA (m, m/s), 6x6 covariances m^2, HBR m."""
    s = setup(enc, hbr_m)
    nan = math.nan
    fail = Nc2DResult(nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, "none", False)
    found = _min_search(s)
    if found is None:
        lclip = (FCLIP * s.hbr_km) ** 2
        _, _, ai = _combined_inverse(s, lclip)
        r, v = (s.x2 - s.x1)[0:3], (s.x2 - s.x1)[3:6]
        a = float(v @ ai @ v)
        t0, sg = -float(v @ ai @ r) / a, math.sqrt(1 / a)
        try:
            res = optimize.minimize_scalar(
                lambda tt: float(np.nan_to_num(_emd2(s, np.array([tt]))[0][0], nan=1e300)),
                bracket=(t0 - sg, t0 + sg), tol=1e-8)
        except (ValueError, RuntimeError):
            return fail
        found = (float(res.x), sg)
    ms = _refine_min(s, found[0], found[1], 1e-3, 15) or _refine_min(s, found[0], found[1], 3e-3, 20)
    if ms is None:
        return fail
    ov = ms["ov"]
    delt = ms["delt"]
    xlo, xu, xhi = ov.xu[0], ov.xu[1], ov.xu[2]
    ps = ov.ps[1]
    ai = ov.asinv[1]
    d = {"ru": xu[0:3], "vu": xu[3:6], "ai": ai, "aid": (ov.asinv[2] - ov.asinv[0]) / (2 * delt),
         "aidd": (ov.asinv[2] - 2 * ai + ov.asinv[0]) / delt**2,
         "rud": (xhi[0:3] - xlo[0:3]) / (2 * delt), "rudd": (xhi[0:3] - 2 * xu[0:3] + xlo[0:3]) / delt**2,
         "q0": ms["y"][1], "q0d": ms["ydot"], "q0dd": ms["ydd"], "logdet": math.log(ov.asdet[1]),
         "t": ms["t_next"]}
    bs = ps[3:6, 0:3] @ ai
    d["bs"], d["csp"] = bs, ps[3:6, 3:6] - bs @ ps[3:6, 0:3].T
    # 2D Pc in the effective conjunction plane at t_min (the large-HBR / small-covariance alternative)
    vup = d["vu"] - bs @ d["ru"]
    tca = -float(d["ru"] @ vup) / float(vup @ vup)
    r_ca = (d["ru"] + vup * tca) * 1e3
    pc_cp = _pc_plane(r_ca, vup * 1e3, ps[0:3, 0:3] * 1e6, hbr_m)
    rhat, w = _lebedev()
    r = s.hbr_km
    integ, tstar, sr2 = _runit_integrand(rhat, r, d)
    const = r * r / SQRT2PI**3
    terms = w * integ
    sum0 = float(np.nansum(terms))
    pc_leb = const * sum0
    t_mean = float(np.nansum(terms * tstar) / sum0) if sum0 > 0 else nan
    t_sig = math.sqrt(max(0.0, float(np.nansum(terms * (tstar**2 + sr2)) / sum0) - t_mean**2)) if sum0 > 0 else nan
    method = "lebedev"
    value, alt = pc_leb, pc_cp
    if math.isnan(pc_leb):
        return fail
    if pc_leb > 1e-300:
        numvec = int(np.sum(terms > 1e-3 * np.nanmax(terms)))
        need_full = numvec <= 0.025 * len(w) or pc_leb >= 5e-5 or math.isnan(pc_cp) \
            or abs(pc_cp - pc_leb) > 1e-2 * pc_leb
        if need_full:
            pole = d["vu"]  # the flux kink (rhat . v = 0) is then the equator, a band edge
            f = lambda rh: _runit_integrand(rh, r, d)[0]  # noqa: E731
            # CARA's quad2d tolerance schedule: 1e-3 at Pc <= 1e-13 down to 1e-6 at Pc >= 1e-4
            tol = 10 ** float(np.interp(math.log10(pc_leb), [-13, -7, -5, -4], [-3, -4, -5, -6]))
            tol = min(tol, rel_tol * 10)
            prev = pc_leb  # accept the Lebedev value as soon as an independent rule confirms it
            for n_th, n_ph in ((24, 64), (48, 128), (96, 256)):
                full = const * _sphere_product_rule(f, pole, n_th, n_ph)
                if abs(full - prev) <= tol * abs(full):
                    break
                prev = full
            value = full
            alt = pc_cp if abs(full - pc_cp) * (full + pc_leb) > abs(full - pc_leb) * (full + pc_cp) else pc_leb
            method = "full"
            if (math.isnan(value) or value > 1) and not math.isnan(pc_cp):
                value, alt, method = pc_cp, full, "conj_plane"
    dtau = t_sig * SQRT2 * float(special.erfcinv(GAMMA)) if not math.isnan(t_sig) else nan
    return Nc2DResult(min(1.0, value), ms["t_next"], ms["sigma"], t_mean, t_sig, t_mean - dtau, t_mean + dtau,
                      pc_leb, pc_cp, alt, method, True)


def _combined_inverse(s: Setup, lclip: float) -> tuple[np.ndarray, float, np.ndarray]:
    a = s.c1[0:3, 0:3] + s.c2[0:3, 0:3]
    inv, det = clip_eigenvalues_batch(a[None], lclip)
    return a, float(det[0]), inv[0]


def _pc_plane(r: np.ndarray, v: np.ndarray, cov: np.ndarray, hbr_m: float) -> float:
    """2D Pc of relative position r (m), velocity v (m/s) and position covariance cov (m^2) at closest approach."""
    y = v / np.linalg.norm(v)
    h = np.cross(r, v)
    if np.linalg.norm(h) == 0:
        return math.nan
    z = h / np.linalg.norm(h)
    x = np.cross(y, z)
    to_plane = np.stack([x, z])
    try:
        return pc_circle(np.array([float(np.linalg.norm(r)), 0.0]), to_plane @ cov @ to_plane.T, hbr_m)
    except ValueError:
        return math.nan
