"""Maximum collision probability when covariances are unknown or unrealistic (pure functions; m, m/s, m^2).

* :func:`frisbee_max_pc` - Frisbee's upper bound on the 2D Pc when only one object's position covariance is known
  (as NASA CARA's ``FrisbeeMaxPc``): in the encounter plane, the unknown object's covariance that maximises the Pc
  is a line along the miss vector with variance ``Vc = d^2 (Ka^2 - 1) / Ka^2``, where ``Ka`` is the Mahalanobis
  length of the miss ``d`` in the known covariance; when ``Ka <= 1`` no such covariance raises the Pc and the
  unknown covariance is taken as zero. With neither covariance known, the known one is a point (``Ka`` infinite,
  ``Vc = d^2``): the bound over every covariance, not a CARA mode.
* :func:`dilution_max_pc` - the dilution-region analysis of CARA's ``DilutionMaxPc`` / ``PcDilution`` (Alfano 2005,
  Hejduk 2019): the Pc as a function of a covariance scale factor ``Sf`` (combined, primary-only or
  secondary-only covariance multiplied by ``Sf^2``), its maximum, and whether the conjunction sits in the dilution
  region (the maximum is reached for ``Sf < 1`` and differs from the unscaled Pc by more than 0.1%), with CARA's
  flag 11 / 10 / 1 / 0.
* :func:`pc_2d` - the 2D Pc of a miss and a 2x2 encounter-plane covariance over a circle, a circumscribing
  square or the equal-area square aligned with the covariance's principal axes (CARA ``PcCircle`` estimation
  modes), after CARA's eigenvalue clipping of the 2x2 covariance at ``(1e-4 HBR)^2``.

The states are used as given (no TCA refinement in :func:`frisbee_max_pc`, as CARA); :func:`dilution_max_pc`
moves them to the linear-motion TCA first unless ``refine_ca=False`` (CARA's default ``RefineCA = true``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import special

from kompas.space.probability import Encounter, adjust_to_tca, encounter_plane, pc_circle

HbrType = Literal["circle", "square", "squareEquArea"]
Scaling = Literal["both", "primary", "secondary", "separate"]

CLIP_FRACTION = 1e-4  #: 2x2 eigenvalues below (CLIP_FRACTION * HBR)^2 are raised to it (CARA ``Fclip``).


def clip_plane_covariance(cov2: np.ndarray, hbr_m: float) -> tuple[np.ndarray, np.ndarray, bool]:
    """Principal variances (2,) m^2 and axes (2x2, columns) of a 2x2 encounter-plane covariance, with variances
    below ``(1e-4 HBR)^2`` raised to that level (CARA ``Fclip``), and whether any was. Raises ValueError when both
    eigenvalues are non-positive (CARA refuses those too). Kept in the principal frame: rebuilding the matrix would
    lose the clipped level to round-off next to a large eigenvalue."""
    values, vectors = np.linalg.eigh(0.5 * (cov2 + cov2.T))
    if values[1] <= 0:
        raise ValueError("encounter-plane covariance has two non-positive eigenvalues")
    floor = (CLIP_FRACTION * hbr_m) ** 2
    clipped = values < floor
    return np.where(clipped, floor, values), vectors, bool(clipped.any())


def pc_2d(miss: np.ndarray, cov2: np.ndarray, hbr_m: float, hbr_type: HbrType = "circle") -> float:
    """2D Pc of the Gaussian N(miss, cov2) (m, m^2, in the encounter plane) over the hard body centred at the origin:
    a disc of radius ``hbr_m`` (``circle``), the square of half-width ``hbr_m`` (``square``, an upper bound) or the
    square of equal area, half-width ``sqrt(pi)/2 HBR`` (``squareEquArea``); squares are aligned with the
    covariance's principal axes, where the Gaussian separates into two erf factors."""
    if hbr_m <= 0:
        return 0.0
    if math.isinf(hbr_m):
        return 1.0
    values, vectors = clip_plane_covariance(np.asarray(cov2, dtype=float), hbr_m)[0:2]
    m = np.abs(vectors.T @ np.asarray(miss, dtype=float))  # miss in the principal frame (signs do not matter)
    if hbr_type == "circle":
        return pc_circle(m, np.diag(values), hbr_m)
    if hbr_type == "square":
        half = hbr_m
    elif hbr_type == "squareEquArea":
        half = 0.5 * math.sqrt(math.pi) * hbr_m
    else:
        raise ValueError(f"unknown HBR type {hbr_type!r}")
    total = 1.0
    for mean, var in zip(m, values, strict=True):
        d = math.sqrt(2.0 * var)
        # erf(a) - erf(b) with both arguments >= -half/d; erfc difference keeps the far tail accurate
        a, b = (mean + half) / d, (mean - half) / d
        total *= float(special.erfc(b) - special.erfc(a)) if b > 0 else float(special.erf(a) - special.erf(b))
    return 0.25 * total


def _plane(state1: np.ndarray, state2: np.ndarray, cov: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Miss (|r|, 0) and the encounter-plane projection of one 3x3/6x6 inertial covariance (zero when None)."""
    c = np.zeros((3, 3)) if cov is None else np.asarray(cov, dtype=float)[0:3, 0:3]
    return encounter_plane(Encounter(np.asarray(state1, float), np.asarray(state2, float), c, np.zeros((3, 3))))


def _is_zero(cov: np.ndarray | None) -> bool:
    return cov is None or not np.any(np.asarray(cov)[0:3, 0:3])


@dataclass(frozen=True)
class FrisbeeResult:
    """Frisbee's max Pc and how it was reached: ``replaced`` is the object (1 or 2) whose covariance was set to the
    worst case; ``ka`` the Mahalanobis length of the miss in the other one; ``vc_m2`` the worst-case variance along
    the miss (0 when ``ka <= 1``)."""

    pc: float
    replaced: int
    ka: float
    vc_m2: float


def frisbee_max_pc(state1: np.ndarray, state2: np.ndarray, cov1: np.ndarray | None, cov2: np.ndarray | None,
                   hbr_m: float, hbr_type: HbrType = "circle") -> FrisbeeResult:
    """Largest 2D Pc over the unknown covariance of one object (Frisbee; CARA ``FrisbeeMaxPc``).

    ``state1``/``state2``: x, y, z m and vx, vy, vz m/s, one inertial frame; ``cov1``/``cov2``: 3x3 or 6x6 inertial
    covariances (m^2), None or all-zero when unknown. When both are known, the one replaced is chosen as CARA does
    (the object whose partner gives the larger ``Ka``), except that a covariance not positive definite in the
    encounter plane is the one replaced. ``hbr_type`` as :func:`pc_2d` (CARA's unit tests use
    ``squareEquArea`` for the single-covariance cases, ``circle`` by default). An exactly zero miss distance has
    no encounter plane and gives NaN.
    """
    miss, p1 = _plane(state1, state2, cov1)
    _, p2 = _plane(state1, state2, cov2)
    d = float(miss[0])

    def ka(known: np.ndarray, is_zero: bool) -> float:
        if is_zero:
            return math.inf
        det = float(np.linalg.det(known))
        if det <= 0:
            return math.nan
        return math.sqrt(d * d * known[1, 1] / det)  # sqrt(miss' inv(known) miss) with miss = (d, 0)

    zero1, zero2 = _is_zero(cov1), _is_zero(cov2)
    ka_replace1, ka_replace2 = ka(p2, zero2), ka(p1, zero1)
    if zero2:
        replaced = 2
    elif zero1:
        replaced = 1
    elif math.isnan(ka_replace1) != math.isnan(ka_replace2):  # replace the covariance that is not positive definite
        replaced = 2 if math.isnan(ka_replace1) else 1
    else:
        replaced = 2 if ka_replace2 > ka_replace1 else 1
    k = ka_replace1 if replaced == 1 else ka_replace2
    known = p2 if replaced == 1 else p1
    if k > 1:  # the worst case: variance Vc along the miss, nothing across it
        vc = d * d if math.isinf(k) else d * d * (k * k - 1.0) / (k * k)
        combined = known + np.array([[vc, 0.0], [0.0, 0.0]])
    else:  # no covariance of the replaced object raises the Pc: keep what it has (zero when unknown)
        vc, combined = 0.0, p1 + p2
    return FrisbeeResult(pc_2d(miss, combined, hbr_m, hbr_type), replaced, k, vc)


def _is_constant(values: list[float], tol: float) -> bool:
    """True when the spread of ``values`` is within ``tol`` of their magnitude (CARA's ``isconstant``)."""
    lo, hi = min(values), max(values)
    if lo == hi:
        return True
    spread = hi - lo
    return spread <= tol * max(spread, abs(0.5 * (lo + hi)), abs(lo), abs(hi))


@dataclass
class DilutionCurve:
    """One scaling analysis: the unscaled Pc, whether diluted, the maximum Pc and its scale factor ``sf_max``
    (standard-deviation factor; the covariance is multiplied by ``sf_max^2``), and the sampled curve."""

    pc_unscaled: float
    diluted: bool
    pc_max: float
    sf_max: float
    sf: list[float] = field(default_factory=list)
    pc: list[float] = field(default_factory=list)
    converged: bool = True


@dataclass(frozen=True)
class DilutionResult:
    """``pc_max`` (the max Pc when diluted, else the unscaled Pc), ``diluted`` (11 both/combined, 10 primary,
    1 secondary, 0 none), and the primary / secondary analyses (the same object unless ``separate``)."""

    pc_max: float
    diluted: int
    primary: DilutionCurve
    secondary: DilutionCurve


def _pc_dilution(enc: Encounter, hbr_m: float, scale1: bool, scale2: bool, *, reduction: float = 1.1,
                 const_tol: float = 1e-6, dilution_tol: float = 1e-3, hbr_tol: float = 1e-8,
                 max_iter: int = 100, stop_if_robust: bool = True) -> DilutionCurve:
    """Pc against the scale factor of the selected covariance(s), searched on a log10 grid that is widened until
    the Pc has fallen by ``reduction`` (or levelled off) at both ends, then refined around its maximum in spacings
    of 0.02, 0.002 and 0.0002 in log10 (the procedure of CARA's ``PcDilution``, written from its description)."""
    c1 = np.zeros((3, 3)) if enc.cov1 is None else np.asarray(enc.cov1, float)[0:3, 0:3]
    c2 = np.zeros((3, 3)) if enc.cov2 is None else np.asarray(enc.cov2, float)[0:3, 0:3]
    miss, p1 = _plane(enc.state1, enc.state2, c1)
    _, p2 = _plane(enc.state1, enc.state2, c2)
    dca = float(miss[0])
    if abs(dca - hbr_m) < hbr_tol * hbr_m:
        dca = hbr_m
    zero1, zero2 = not np.any(c1), not np.any(c2)
    if zero1 and zero2:  # a point against a point: hit or miss, nothing to scale
        pc = 1.0 if dca < hbr_m else 0.0
        return DilutionCurve(pc, False, pc, 1.0)

    def pc_at(f1: float, f2: float) -> float:
        return pc_2d(miss, f1 * p1 + f2 * p2, hbr_m, "circle")

    def pc_scaled(sf: float) -> float:
        f = sf * sf
        return pc_at(f if scale1 else 1.0, f if scale2 else 1.0)

    pc_one = pc_at(1.0, 1.0)
    if math.isnan(pc_one):
        return DilutionCurve(pc_one, False, math.nan, math.nan, converged=False)
    if (zero1 and scale1 and not scale2) or (zero2 and scale2 and not scale1):
        return DilutionCurve(pc_one, False, pc_one, 1.0)  # the only scaled covariance is zero
    levels = (2e-2, 2e-3, 2e-4)
    if scale1 and scale2:
        limit = 1.0 if dca < hbr_m else 0.5 if dca == hbr_m else 0.0  # both covariances shrunk to nothing
        if limit > 0 and stop_if_robust:
            return DilutionCurve(pc_one, not _is_constant([pc_one, limit], dilution_tol), limit, 0.0, [0.0], [limit])
        pc_zero = limit
    else:
        pc_zero = pc_at(0.0 if scale1 else 1.0, 0.0 if scale2 else 1.0)
    if stop_if_robust:
        # the Pc falls as the covariance shrinks slightly below Sf = 1: the robust region, no dilution
        f = 1.0 - levels[-1] ** 2
        if pc_at(f if scale1 else 1.0, f if scale2 else 1.0) < pc_one:
            return DilutionCurve(pc_one, False, pc_one, 1.0, [1.0], [pc_one])

    lo, hi = math.log10(0.5), math.log10(2.0)
    level = 0
    step = min(levels[0], (hi - lo) / 5)
    sfs: list[float] = []
    pcs: list[float] = []
    converged = False
    for _ in range(max_iter):
        n = int(math.floor((hi - lo) / step + 1e-9)) + 1
        batch = list(10.0 ** np.linspace(lo, hi, n))
        batch_pc = [pc_scaled(s) for s in batch]
        merged = dict(zip(sfs, pcs, strict=True))
        merged.update(zip(batch, batch_pc, strict=True))
        sfs = sorted(merged)
        pcs = [merged[s] for s in sfs]
        top = max(pcs)
        if top == 0:  # nothing found yet: widen both ends
            lo, hi = lo - math.log10(2), hi + math.log10(2)
        elif pcs[0] > top / reduction and not _is_constant([pcs[0], pc_zero], const_tol):
            hi = math.log10(sfs[0]) - step
            lo = hi - math.log10(2)
        elif pcs[-1] > top / reduction and not _is_constant(batch_pc, const_tol):
            lo = math.log10(sfs[-1]) + step
            hi = lo + math.log10(2)
        elif level < len(levels) - 1:
            level += 1
            best = int(np.argmax(pcs))
            lo = math.log10(sfs[max(best - 1, 0)])
            hi = math.log10(sfs[min(best + 1, len(sfs) - 1)])
            step = min(levels[level], (hi - lo) / 5)
            if step <= 0:  # a single sample at the maximum: nothing left to refine
                converged = True
                break
        else:
            converged = True
            break
    curve = sorted(set(zip([1.0, *sfs], [pc_one, *pcs], strict=True)))
    sf_all = [s for s, _ in curve]
    pc_all = [min(p, 0.5) if dca > hbr_m else p for _, p in curve]
    best = int(np.argmax(pc_all))
    pc_max, sf_max = pc_all[best], sf_all[best]
    diluted = sf_max < 1 and not _is_constant([pc_one, pc_max], dilution_tol)
    return DilutionCurve(pc_one, bool(diluted), pc_max, sf_max, sf_all, pc_all, converged)


def dilution_max_pc(state1: np.ndarray, state2: np.ndarray, cov1: np.ndarray | None, cov2: np.ndarray | None,
                    hbr_m: float, scaling: Scaling = "both", refine_ca: bool = True) -> DilutionResult:
    """Dilution-region analysis and max Pc over covariance scaling (CARA ``DilutionMaxPc``).

    States x, y, z m and vx, vy, vz m/s, covariances 3x3 or 6x6 (m^2) in one inertial frame, None or zero when
    unknown. ``scaling``: ``both`` scales the two covariances together (CARA's default; flag 11 when diluted),
    ``primary`` / ``secondary`` one of them (flag 10 / 1), ``separate`` runs both single-object analyses and
    combines the flags (10 * primary + secondary) and takes the larger max Pc of the diluted ones. Returns the
    unscaled Pc as ``pc_max`` when not diluted.
    """
    enc = Encounter(np.asarray(state1, float), np.asarray(state2, float), cov1, cov2)
    if refine_ca:
        enc = adjust_to_tca(enc)
    if scaling == "separate":
        pri = _pc_dilution(enc, hbr_m, True, False)
        sec = _pc_dilution(enc, hbr_m, False, True)
        flag = 10 * int(pri.diluted) + int(sec.diluted)
        pc_max = max(c.pc_max for c in (pri, sec) if c.diluted) if flag else pri.pc_unscaled
        return DilutionResult(pc_max, flag, pri, sec)
    if scaling not in ("both", "primary", "secondary"):
        raise ValueError(f"unknown scaling {scaling!r}")
    one = _pc_dilution(enc, hbr_m, scaling in ("both", "primary"), scaling in ("both", "secondary"))
    flag = {"both": 11, "primary": 10, "secondary": 1}[scaling] if one.diluted else 0
    return DilutionResult(one.pc_max if one.diluted else one.pc_unscaled, flag, one, one)
