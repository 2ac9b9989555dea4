"""Usage checks of the 2D Pc and of Hall's Nc3D, and the ``auto`` choice between them, as NASA CARA's
``PcMultiStep`` / ``UsageViolationPc2D`` make them (read to follow the algorithm; independent implementation).

Flags (short names, each set when its condition holds; thresholds are CARA's PcMultiStep defaults):

* ``pc2d_npd`` - the primary's, the secondary's or the combined 3x3 position covariance has an eigenvalue
  <= 0 (CARA ``NPDIssues``; any NPD is a 2D-Pc usage violation).
* ``pc2d_extended`` - extended conjunction duration: the curvilinear duration ``Tb - Ta`` (time of the
  minimum effective Mahalanobis distance +/- sqrt(2) erfcinv(1e-16) of its time sigma, ~ +/-8.3 sigma) exceeds
  0.02 of the shorter orbital period (``Pc2DExtendedCutoff`` = 0.02), or the time profile has no minimum.
* ``pc2d_offset`` - offset from TCA: ``max(|Ta|, |Tb|)`` exceeds 0.01 of the shorter period
  (``Pc2DOffsetCutoff`` = 0.01).
* ``pc2d_inaccurate`` - non-linear relative motion: the curvilinear correction factor of the 2D Pc,
  ``F = ln(sigma_CL / sigma_RL) + ln(v_CL / v_RL) + (Q_RL - Q_CL) / 2`` (sigma: time sigma of the density
  peak, v: relative speed, Q: Mahalanobis^2 + ln det of the position covariance at the peak; RL rectilinear,
  CL two-body curvilinear), gives ``1 - exp(-|F|) > 0.02`` (``Pc2DInaccurateCutoff`` = 0.02).
* ``pc2d_unconverged`` - the curvilinear indicators could not be computed (CARA then treats the 2D Pc as
  violated).
* ``nc3d_extended`` - Nc3D's conjunction duration ``(tb - ta)`` exceeds 0.5 of the segment between the
  relative-orbit maxima that bracket TCA (``Nc3DExtendedCutoff`` = 0.5).
* ``nc3d_offset`` - ``max(ta / limit_min, tb / limit_max) > 0.75`` (``Nc3DOffsetCutoff`` = 0.75): the
  conjunction runs into the neighbouring encounters.
* ``nc3d_inaccurate`` - the sphere integral is under-resolved: the rate-weighted mean number of Lebedev
  directions carrying > 1e-3 of the peak is below 1% of the 5810 points by more than 1% (``Nc3DInaccurateCutoff``
  = [0.01, 1e-15]; ignored when Nc3D < 1e-15).
* ``nc3d_unconverged`` - the Nc3D integration did not converge.
* ``covariance_remediated`` - a covariance was not positive definite and was repaired by eigenvalue clipping
  (:mod:`kompas.space.covrepair`, as CARA's ``CovRemEigValClip``): an object's 3x3 position covariance has an
  eigenvalue <= 0 (Hall's methods clip every position covariance at (1e-4 HBR)^2), or the 2x2 encounter-plane
  covariance of the 2D Pc was clipped at max((1e-4 HBR)^2, 1e-10 x its largest eigenvalue). Velocity blocks
  that are NPD only by CDM rounding are left alone, as CARA does (no 6x6 remediation by default).
* ``covariance_no_velocity`` - an object has no velocity uncertainty: its velocity variances are all zero or
  (CARA's default ``CovVelCheckLevel`` = 2) its position-velocity block is all zero, or its covariance is 3x3.
  Hall's methods need a real 6x6 covariance; as CARA, the 2D Pc is returned without the usage checks (pass
  ``cov_vel_check_level=1`` for covariance models without position-velocity correlation).
* ``covariance_invalid`` - CARA's data-quality errors: a position variance >= (0.99 x 10 Earth radii)^2 (a
  default covariance), a negative variance or an all-zero position diagonal. CARA computes no Pc then; Kompas
  still reports the value chosen, flagged.
* ``pc2d_unchecked`` - the checks could not run (a covariance is not 6x6, or an orbit is unbound or
  retrograde-equatorial even after the frame rotation); the 2D Pc is returned as it is.
* ``low_relative_speed`` - information, not a violation: Coppola's encounter duration exceeds 5% of the
  primary's period (the threshold CARA's two-body Monte Carlo tests use to classify a low-speed event).

The ``auto`` choice (:func:`choose`): the 2D Pc (Foster, states adjusted to TCA) when no ``pc2d_*`` flag is
set; else Nc3D when no ``nc3d_*`` flag is set; else the Monte Carlo value from the caller's ``mc`` callable
(basis ``"mc"``, value None when no callable is given).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from kompas.space import hall
from kompas.space.covrepair import clip_eigenvalues
from kompas.space.probability import Encounter, adjust_to_tca, encounter_plane, pc_circle

PC2D_EXTENDED_CUTOFF = 0.02
PC2D_OFFSET_CUTOFF = 0.01
PC2D_INACCURATE_CUTOFF = 0.02
NC3D_EXTENDED_CUTOFF = 0.5
NC3D_OFFSET_CUTOFF = 0.75
NC3D_INACCURATE_CUTOFF = (0.01, 1e-15)
LOW_SPEED_FRACTION = 0.05
PC2D_FLAGS = ("pc2d_npd", "pc2d_extended", "pc2d_offset", "pc2d_inaccurate", "pc2d_unconverged")
NC3D_FLAGS = ("nc3d_extended", "nc3d_offset", "nc3d_inaccurate", "nc3d_unconverged")


@dataclass(frozen=True)
class Pc2DIndicators:
    """CARA's UsageViolationPc2D indicators (each in [0, 1]) and the curvilinear quantities behind them.

    Times s from TCA; ``log_factor`` is the natural-log correction factor of the 2D Pc for curvilinear motion."""

    npd: tuple[bool, bool, bool]
    extended: float
    offset: float
    inaccurate: float
    log_factor: float
    t_rectilinear: float
    sigma_t_rectilinear: float
    t_curvilinear: float
    sigma_t_curvilinear: float
    converged: bool


def _parabola(t: np.ndarray, q: np.ndarray) -> tuple[float, float, float]:
    """Coefficients (a, b, c) of q = a t^2 + b t + c through the three points with the smallest q."""
    idx = np.argsort(q)[:3]
    tt, qq = t[idx], q[idx]
    centre = float(np.mean(tt))
    a, b, c = np.polyfit(tt - centre, qq, 2)
    return float(a), float(b - 2 * a * centre), float(c - b * centre + a * centre * centre)


def pc2d_indicators(enc: Encounter, hbr_m: float, setup: hall.Setup | None = None) -> Pc2DIndicators:
    """Extended / offset / inaccurate / NPD indicators of the 2D Pc (CARA's UsageViolationPc2D)."""
    s = setup or hall.setup(enc, hbr_m)
    lclip = (hall.FCLIP * hbr_m) ** 2
    a = np.asarray(enc.cov1, float)[0:3, 0:3] + np.asarray(enc.cov2, float)[0:3, 0:3]
    rem = clip_eigenvalues(a, lclip)
    ai = rem.inverse
    r = (np.asarray(enc.state2, float) - np.asarray(enc.state1, float))[0:3]
    v = (np.asarray(enc.state2, float) - np.asarray(enc.state1, float))[3:6]
    rar, rav, vav = float(r @ ai @ r), float(r @ ai @ v), float(v @ ai @ v)
    t_rl = 0.0 if rav == 0 else -rav / vav
    st_rl = math.sqrt(1.0 / vav)
    dt = st_rl
    ts = np.array([t_rl - dt, t_rl, t_rl + dt])
    q_rl = rar + 2 * rav * t_rl + vav * t_rl**2 + math.log(rem.det / 1e18)
    v_rl = float(np.linalg.norm(v)) / 1e3
    k = math.sqrt(2.0) * float(special.erfcinv(hall.GAMMA))
    pmin = min(s.period1_s, s.period2_s)
    dtau = st_rl * k
    extended = min(1.0, 2 * dtau / pmin)
    offset = min(1.0, max(abs(t_rl - dtau), abs(t_rl + dtau)) / pmin)
    nan = math.nan
    bad = Pc2DIndicators(s.npd, extended, offset, nan, nan, t_rl, st_rl, nan, nan, False)
    qs, ov = hall._emd2(s, ts)
    if np.any(np.isnan(qs)):
        return bad
    qdd = (qs[2] - 2 * qs[1] + qs[0]) / dt**2
    if qdd <= 0:
        return Pc2DIndicators(s.npd, 1.0, offset, nan, nan, t_rl, st_rl, nan, math.inf, True)
    aa, bb, cc = _parabola(ts, qs)
    t0 = -bb / (2 * aa)
    q0 = cc - bb * bb / (4 * aa)
    st_cl = math.sqrt(2.0 / qdd)
    span = 10 * (ts[2] - ts[0])
    acceptable = ts[0] - span <= t0 <= ts[2] + span
    if not acceptable:
        t0 = min(max(t0, ts[0] - span), ts[2] + span)
        q0 = aa * t0 * t0 + bb * t0 + cc
    needs = (not acceptable) or abs(t0 - t_rl) >= 2.5 * min(st_rl, st_cl) or abs(q0 - q_rl) >= 1.0
    t_all, q_all = ts.copy(), qs.copy()
    for _ in range(20):
        if not needs:
            break
        q_new, _ = hall._emd2(s, np.array([t0]))
        imin = int(np.argmin(q_all))
        if np.isnan(q_new[0]):
            lo, hi = t_all.min(), t_all.max()
            if t0 < lo:
                t0 = 0.5 * (t0 + lo)
            elif t0 > hi:
                t0 = 0.5 * (t0 + hi)
            else:
                return bad
            continue
        qcut = np.sort(q_all)[min(2, len(q_all) - 1)]
        t_all, q_all = np.append(t_all, t0), np.append(q_all, q_new[0])
        if q_new[0] < qcut:
            aa, bb, cc = _parabola(t_all, q_all)
            if aa <= 0:
                st_cl = math.inf
                break
            t0, q0, st_cl = -bb / (2 * aa), cc - bb * bb / (4 * aa), math.sqrt(1.0 / aa)
        else:
            t0, q0 = float(t_all[imin]), float(q_all[imin])
            needs = False
            continue
        needs = abs(t0 - t_all[imin]) >= 2.5 * st_cl or abs(q0 - q_all[imin]) >= 1.0
    if not math.isfinite(st_cl):
        return Pc2DIndicators(s.npd, 1.0, offset, nan, nan, t_rl, st_rl, t0, st_cl, True)
    q_fin, ov = hall._emd2(s, np.array([t0]))
    if np.isnan(q_fin[0]):
        return bad
    v_cl = float(np.linalg.norm(ov.xu[0, 3:6]))
    log_factor = math.log(st_cl / st_rl) + math.log(v_cl / v_rl) + (q_rl - float(q_fin[0])) / 2
    dtau = st_cl * k
    extended = min(1.0, 2 * dtau / pmin)
    offset = min(1.0, max(abs(t0 - dtau), abs(t0 + dtau)) / pmin)
    return Pc2DIndicators(s.npd, extended, offset, 1 - math.exp(-abs(log_factor)), log_factor, t_rl, st_rl,
                          float(t0), st_cl, True)


def pc2d_flags(ind: Pc2DIndicators) -> list[str]:
    """The ``pc2d_*`` flags of a set of indicators."""
    if not ind.converged or math.isnan(ind.inaccurate):
        out = ["pc2d_unconverged"]
        if any(ind.npd):
            out.insert(0, "pc2d_npd")
        return out
    flags = []
    if any(ind.npd):
        flags.append("pc2d_npd")
    if ind.extended > PC2D_EXTENDED_CUTOFF:
        flags.append("pc2d_extended")
    if ind.offset > PC2D_OFFSET_CUTOFF:
        flags.append("pc2d_offset")
    if ind.inaccurate > PC2D_INACCURATE_CUTOFF:
        flags.append("pc2d_inaccurate")
    return flags


def nc3d_flags(res: hall.Nc3DResult) -> list[str]:
    """The ``nc3d_*`` flags of an Nc3D result (PcMultiStep's 3D-Nc usage checks)."""
    if not res.converged or math.isnan(res.value):
        return ["nc3d_unconverged"]
    flags = []
    if res.value > 0 and math.isfinite(res.ta):
        span = res.limit_max - res.limit_min
        if (res.tb - res.ta) / span > NC3D_EXTENDED_CUTOFF:
            flags.append("nc3d_extended")
        if max(res.ta / res.limit_min, res.tb / res.limit_max) > NC3D_OFFSET_CUTOFF:
            flags.append("nc3d_offset")
        if math.isfinite(res.avg_lebedev_points):
            floor = NC3D_INACCURATE_CUTOFF[0] * 5810
            if max(0.0, (floor - res.avg_lebedev_points) / floor) > NC3D_INACCURATE_CUTOFF[0] \
                    and res.value >= NC3D_INACCURATE_CUTOFF[1]:
                flags.append("nc3d_inaccurate")
    return flags


@dataclass(frozen=True)
class Assessment:
    """Everything :func:`assess` computed: the chosen value and basis, all flags, and the inputs to them."""

    pc: float | None
    basis: str
    flags: tuple[str, ...]
    pc2d: float
    indicators: Pc2DIndicators | None
    nc3d: hall.Nc3DResult | None = None
    extra: dict = field(default_factory=dict)


def _pc2d_with_status(enc: Encounter, hbr_m: float) -> tuple[float, bool]:
    adj = adjust_to_tca(enc)
    miss, cov2 = encounter_plane(adj)
    values = np.linalg.eigvalsh(cov2)
    clipped = bool(values[0] <= 0)
    if clipped:  # floor also relative, so that the rebuilt matrix stays positive definite in rounding
        cov2 = clip_eigenvalues(cov2, max((hall.FCLIP * hbr_m) ** 2, 1e-10 * float(values[-1]))).matrix
    return pc_circle(miss, cov2, hbr_m), clipped


def _no_velocity_covariance(enc: Encounter, level: int) -> bool:
    """CARA's CovVelCheckLevel tests: level >= 1, an object's velocity variances are all zero (or its covariance
    is 3x3); level >= 2, also its position-velocity block is all zero."""
    if level <= 0:
        return False
    for c in (enc.cov1, enc.cov2):
        if c is None or np.shape(c) != (6, 6):
            return True
        c = np.asarray(c, float)
        if np.all(np.diag(c)[3:6] == 0) or (level >= 2 and np.all(c[0:3, 3:6] == 0)):
            return True
    return False


def _invalid_covariance(enc: Encounter) -> bool:
    """CARA's PcMultiStep data-quality errors: a position variance at or above (0.99 x 10 Earth radii)^2 (a
    default covariance), a negative variance, or an all-zero position diagonal."""
    cutoff = (6378135.0 * 0.99 * 10) ** 2
    for c in (enc.cov1, enc.cov2):
        d = np.diag(np.asarray(c, float))
        if np.any(d[0:3] >= cutoff) or np.any(d < 0) or np.all(d[0:3] == 0):
            return True
    return False


def pc2d_value(enc: Encounter, hbr_m: float) -> float:
    """CARA's Pc2D (Foster, both states moved to the true TCA); a non-positive-definite projected covariance has
    its eigenvalues clipped at max((1e-4 HBR)^2, 1e-10 x the largest), as CARA's RemediateCovariance2x2 clips,
    never raising."""
    return _pc2d_with_status(enc, hbr_m)[0]


def assess(enc: Encounter, hbr_m: float, *, mc: Callable[[Encounter, float], float] | None = None,
           cov_vel_check_level: int = 2) -> Assessment:
    """Run the usage checks and choose the value as PcMultiStep does (see the module docstring).

    ``cov_vel_check_level``: CARA's ``CovVelCheckLevel`` (0 none, 1 velocity variances all zero, 2 also an all-zero
    position-velocity block) for ``covariance_no_velocity``."""
    flags: list[str] = []
    work = Encounter(np.asarray(enc.state1, float), np.asarray(enc.state2, float), enc.cov1, enc.cov2)
    if _invalid_covariance(enc):
        flags.append("covariance_invalid")
    if _no_velocity_covariance(enc, cov_vel_check_level):
        pc2d = _pc2d_with_status(work, hbr_m)[0]
        return Assessment(pc2d, "pc2d", (*flags, "covariance_no_velocity"), pc2d, None)
    pc2d, clipped = _pc2d_with_status(work, hbr_m)
    if clipped or any(_raw_npd(enc)[0:2]):
        flags.append("covariance_remediated")
    try:
        s = hall.setup(work, hbr_m)
    except ValueError:  # no 6x6 covariance, or an orbit without equinoctial elements: the 2D Pc, unchecked
        return Assessment(pc2d, "pc2d", (*flags, "pc2d_unchecked"), pc2d, None)
    s = hall.Setup(s.e1, s.q1, s.e2, s.q2, s.x1, s.x2, s.c1, s.c2, s.hbr_km, s.period1_s, s.period2_s,
                   _raw_npd(enc))
    r = (s.x2 - s.x1)[0:3]
    v = (s.x2 - s.x1)[3:6]
    tau0, tau1 = hall.coppola(r, v, s.c1[0:3, 0:3] + s.c2[0:3, 0:3], s.hbr_km, hall.GAMMA)
    if tau1 - tau0 > LOW_SPEED_FRACTION * s.period1_s:
        flags.append("low_relative_speed")
    ind = pc2d_indicators(work, hbr_m, s)
    p_flags = pc2d_flags(ind)
    flags += p_flags
    if not p_flags:
        return Assessment(pc2d, "pc2d", tuple(flags), pc2d, ind)
    try:
        res: hall.Nc3DResult | None = hall.nc3d(work, hbr_m)
    except (ValueError, np.linalg.LinAlgError):  # never an exception: an unusable Nc3D means Monte Carlo
        res = None
    n_flags = nc3d_flags(res) if res is not None else ["nc3d_unconverged"]
    flags += n_flags
    if res is not None and not n_flags:
        return Assessment(res.value, "nc3d", tuple(flags), pc2d, ind, res)
    value = float(mc(work, hbr_m)) if mc is not None else None
    return Assessment(value, "mc", tuple(flags), pc2d, ind, res)


def _raw_npd(enc: Encounter) -> tuple[bool, bool, bool]:
    a = np.asarray(enc.cov1, float)[0:3, 0:3]
    b = np.asarray(enc.cov2, float)[0:3, 0:3]
    return (bool(np.linalg.eigvalsh(a)[0] <= 0), bool(np.linalg.eigvalsh(b)[0] <= 0),
            bool(np.linalg.eigvalsh(a + b)[0] <= 0))


def choose(enc: Encounter, hbr_m: float, *, mc: Callable[[Encounter, float], float] | None = None,
           cov_vel_check_level: int = 2) -> tuple[float | None, str, tuple[str, ...]]:
    """The ``auto`` value: ``(pc, basis, flags)`` with basis ``"pc2d"``, ``"nc3d"`` or ``"mc"`` (see
    :func:`assess`); ``pc`` is None for basis ``"mc"`` when no Monte Carlo callable ``mc(encounter, hbr_m)``
    is given."""
    a = assess(enc, hbr_m, mc=mc, cov_vel_check_level=cov_vel_check_level)
    return a.pc, a.basis, a.flags
