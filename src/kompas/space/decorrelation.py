"""2D Pc with the cross-correlation of the two objects' errors from the shared atmospheric-density forecast error
(Casali et al. 2018, AAS 18-272; NASA CARA ``Pc_CovXCorr``). Pure functions; m, m/s, m^2.

Both objects' orbit determinations consider the same density-forecast error (a consider parameter, DCP): each
object's position error carries a term ``sigma_k G_k x`` with the same unit random variable ``x``, so the relative
position covariance is not ``P1 + P2`` but

    P_rel = P1 + P2 - sigma1 sigma2 (G1 G2' + G2 G1')

with ``sigma_k`` the relative density forecast uncertainty and ``G_k`` the position part of the DCP sensitivity
vector (m) of object k, in the same inertial frame as the covariances. :func:`pc_covxcorr` integrates the 2D Pc
(circle, CARA ``PcElrod``'s quantity) with that covariance. Both objects must carry DCP values: with one only, CARA
ignores both and returns no corrected value (``None`` here).

A CDM carries the DCP values in comments (CARA's ASW format): ``DCP Density Forecast Uncertainty = s``,
``DCP Sensitivity Vector RTN Pos = gR gT gN [m]``, ``DCP Sensitivity Vector RTN Vel = ... [m/sec]``
(:func:`dcp_from_comments`). CDMs in ITRF need inertial states first (:func:`itrf_to_inertial`): the density
decorrelation CDMs are in ITRF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from kompas.space.frames import rtn_axes
from kompas.space.probability import Encounter, encounter_plane, pc_circle

#: Earth rotation rate used by CARA's frame conversions (rad/s).
EARTH_ROTATION_RAD_S = 7.292115e-5

_DCP_LINE = re.compile(r"^\s*DCP\s+(Density Forecast Uncertainty|Sensitivity Vector RTN Pos|Sensitivity Vector RTN Vel)"
                       r"\s*=\s*([^\[]*?)\s*(?:\[.*\])?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DCP:
    """One object's density consider parameter: relative density forecast uncertainty ``sigma`` (1-sigma, no unit)
    and the sensitivity of the state to it in the object's RTN frame: position (3,) m, velocity (3,) m/s."""

    sigma: float
    sensitivity_rtn_pos_m: np.ndarray
    sensitivity_rtn_vel_m_s: np.ndarray


def dcp_from_comments(comments: list[str]) -> DCP | None:
    """The DCP values of one CDM object from its COMMENT texts (without the ``COMMENT`` keyword); None when the
    object carries none. Raises ValueError when only some of the three are present or a vector has not 3 numbers
    (CARA then ignores the DCP values of both objects)."""
    found: dict[str, str] = {}
    for text in comments:
        match = _DCP_LINE.match(text)
        if match:
            found[match.group(1).lower()] = match.group(2)
    if not found:
        return None
    keys = ("density forecast uncertainty", "sensitivity vector rtn pos", "sensitivity vector rtn vel")
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValueError(f"incomplete DCP values: missing {', '.join(missing)}")
    pos = np.array([float(v) for v in found[keys[1]].split()])
    vel = np.array([float(v) for v in found[keys[2]].split()])
    if pos.shape != (3,) or vel.shape != (3,):
        raise ValueError("DCP sensitivity vectors need 3 components")
    return DCP(float(found[keys[0]]), pos, vel)


def rtn_basis(state: np.ndarray) -> np.ndarray:
    """3x3 matrix whose columns are the object's R, T, N unit vectors in the state's inertial frame
    (:func:`kompas.space.frames.rtn_axes`, transposed)."""
    return rtn_axes(np.asarray(state[0:3], float), np.asarray(state[3:6], float)).T


def itrf_to_inertial(state_m: np.ndarray) -> np.ndarray:
    """An Earth-fixed (ITRF) state (m, m/s) in the inertial frame momentarily aligned with the Earth-fixed axes:
    the same position, velocity plus ``omega x r``.

    Every quantity a 2D Pc depends on (relative geometry, RTN frames, covariances) is invariant under the constant
    rotation (precession, nutation, sidereal angle) that would take this frame on to J2000; only the Earth's
    rotation rate changes velocities. Polar motion (< 2e-6 rad) tilts the rotation axis by less than the
    rounding of the CDM states, so it is left out.
    """
    s = np.asarray(state_m, dtype=float)
    omega = np.array([0.0, 0.0, EARTH_ROTATION_RAD_S])
    return np.concatenate([s[0:3], s[3:6] + np.cross(omega, s[0:3])])


@dataclass(frozen=True)
class CovXCorrResult:
    """``pc`` with the cross-correlation correction, ``cov_rel_m2`` the corrected 3x3 relative position
    covariance (inertial), ``pc_uncorrelated`` the plain 2D Pc of ``P1 + P2`` for comparison."""

    pc: float
    cov_rel_m2: np.ndarray
    pc_uncorrelated: float


def pc_covxcorr(state1: np.ndarray, state2: np.ndarray, cov1: np.ndarray, cov2: np.ndarray, hbr_m: float,
                dcp1: DCP | None, dcp2: DCP | None) -> CovXCorrResult | None:
    """2D Pc with the density-forecast cross-correlation of Casali et al. (2018) (CARA ``Pc_CovXCorr``).

    States x, y, z m and vx, vy, vz m/s and covariances (3x3 or 6x6, m^2) in one inertial frame; the DCP
    sensitivity vectors are in each object's RTN frame (rotated here with that object's state). None when either
    object has no DCP values (CARA's behaviour: no correction without both). The states are used as given (no
    TCA refinement), the miss being ``|r1 - r2|`` as CARA's ``PcElrod``.
    """
    if dcp1 is None or dcp2 is None:
        return None
    s1, s2 = np.asarray(state1, float), np.asarray(state2, float)
    g1 = rtn_basis(s1) @ dcp1.sensitivity_rtn_pos_m
    g2 = rtn_basis(s2) @ dcp2.sensitivity_rtn_pos_m
    p1, p2 = np.asarray(cov1, float)[0:3, 0:3], np.asarray(cov2, float)[0:3, 0:3]
    cross = dcp1.sigma * dcp2.sigma * (np.outer(g2, g1) + np.outer(g1, g2))
    rel = p1 + p2 - cross
    zero = np.zeros((3, 3))
    miss, plane = encounter_plane(Encounter(s1, s2, rel, zero))
    _, plane_plain = encounter_plane(Encounter(s1, s2, p1, p2))
    return CovXCorrResult(pc_circle(miss, plane, hbr_m), rel, pc_circle(miss, plane_plain, hbr_m))
