"""Collision-avoidance manoeuvre trade space: Pc and miss distance of a conjunction against the size and timing of
an impulsive burn of the primary, the smallest burn that brings Pc under a threshold, and the conjunctions the
manoeuvred primary would have with the rest of the catalogue (pure functions; no I/O).

Dynamics of the burn
--------------------
A burn ``dv`` (m/s, along the primary's radial or along-track axis at the burn) applied ``lead`` seconds before TCA
changes the primary's state at TCA by ``Phi(TCA, t_b)[:, 3:6] dv`` to first order, where ``Phi`` is the state
transition matrix of two-body + J2 motion (WGS-72 constants, as SGP4's; :func:`transitions`). ``Phi`` is found
once per conjunction, for every lead time at once: both states and twelve central-difference neighbours are
integrated backwards from TCA together (DOP853, rtol 1e-12) and each ``Phi(t_b, TCA)`` is inverted. The change is
added to the conjunction's own TCA state (from the CDM or the screening's SGP4), so a zero burn gives the original
encounter bit for bit and only the *difference* a burn makes is modelled by two-body + J2:

* two-body + J2 against SGP4 of the unmanoeuvred object (Iridium 33, 2009-02-10: the J2 flow started from the
  SGP4 state at the burn and compared with SGP4 at TCA): 0.2 km of absolute error after half an orbit, 0.6 km after
  3 orbits (SGP4's J3/J4, drag and mean-element theory). The error of the *difference* a burn makes is far smaller:
  against the SGP4 of the adjusted element set below the displacement at TCA agrees within 0.35% (measured, 10 and
  2 cm/s burns 0.5-3 orbits ahead; tested within 1% or 2 m, whichever is larger: a radial burn three orbits ahead
  moves the primary by only 5 m, where the two models differ by 1.2 m);
* linearity: against a full nonlinear propagation of the burnt state, the displacement of a 1 m/s along-track burn
  three orbits ahead (54 km) agrees within 0.4%, and the error scales with the burn (0.04% at 10 cm/s).

Near a circular orbit ``Phi`` reduces to the closed form of Clohessy & Wiltshire (1960), which is also the
circular-orbit limit of Bombardelli's analytical impulsive-manoeuvre dynamics (Bombardelli 2014, CMDA 118;
Bombardelli & Hernando-Ayuso 2015, JGCD 38(2)): for a burn ``n tau`` radians of orbit before TCA,
``dR = sin(n tau)/n dv_R + 2 (1 - cos(n tau))/n dv_T`` and
``dT = 2 (cos(n tau) - 1)/n dv_R + (4 sin(n tau)/n - 3 tau) dv_T`` (the ``-3 tau dv_T`` term: along-track drift
from the change of period). :func:`clohessy_wiltshire` gives it. Measured over 0.5-5 orbits: the two-body ``Phi``
of a circular orbit matches it to 3e-7 of the displacement (tested to 1e-5); the two-body + J2 ``Phi`` of MetOp-B's
near-circular orbit (a CARA CDM, 817 km) to 0.56% for along-track burns and to 2.0% of a radial burn's largest
displacement ``4 dv / n`` (tested to 1% and 3%: the difference is J2's, which the circular closed form leaves out).

The burn axes are the primary's radial and along-track (transverse) directions at the burn. The transition matrix
is computed in the encounter's own inertial frame (a CDM's GCRF): J2 about its z axis, which is within 0.3 degrees
of the true pole, an error of that order on J2's small share of the displacement. No library offers this trade
space (the propagation is scipy's DOP853; the Pc is Kompas's CARA-checked Pc2D), hence the module.

The manoeuvred Pc is CARA's Pc2D (:func:`kompas.space.usage.pc2d_value`: Foster, both states moved to the true
TCA) with the covariances unchanged (no burn execution error is modelled); the miss distance is the one at the
new TCA (states moved along straight lines, as for the Pc).

Secondary conjunctions
----------------------
To screen the manoeuvred primary with :mod:`kompas.space.screening` unchanged it is given as an *adjusted element
set* (:func:`manoeuvred_elements`): the epoch elements ``(n, e cos w, e sin w, i, RAAN, M + w)`` are corrected by
Newton's method on SGP4's own Jacobian (central differences) until SGP4 of the new set reproduces, at the burn time,
the original SGP4 state plus the impulse (to 0.1 mm and 1 micrometre/s). After the burn the set then moves under
SGP4's whole force model (J2-J4, drag); it is meaningless before the burn. Its displacement at TCA agrees with the
two-body + J2 ``Phi`` prediction within 0.35% (1% or 2 m tested, above), and the miss distance the screening finds
for the moved encounter with the trade space's within 5 m (tested on Iridium 33 / Cosmos 2251).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.integrate import solve_ivp

from kompas.constants import EARTH_RADIUS_WGS72_KM, J2_WGS72, MU_WGS72_KM3_S2
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.frames import rtn_axes
from kompas.space.probability import Encounter, adjust_to_tca
from kompas.space.usage import pc2d_value
from kompas.times import as_ns

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kompas.space.screening import Conjunction

DIRECTIONS = ("radial", "along-track")  #: Burn axes of the trade space (the primary's R and T at the burn).
RED_PC = 1e-4  #: NASA CARA's red Pc threshold: the default the smallest burn must bring Pc under.
#: Burn sizes, m/s: zero and 1 mm/s to 1 m/s either way, six per decade (what CARA-type covariances need spans
#: millimetres to decimetres per second).
DEFAULT_SIZES_M_S = tuple(float(x) for x in np.round(np.concatenate(
    [-np.logspace(0, -3, 19), [0.0], np.logspace(-3, 0, 19)]), 9))
DEFAULT_LEADS_ORBITS = tuple(np.round(np.arange(0.5, 3.01, 0.25), 6))  #: Burn times before TCA, orbits.
SECONDARY_THRESHOLD_KM = 5.0  #: Miss distance under which a conjunction of the manoeuvred primary is listed.
SECONDARY_AFTER_TCA_S = 86_400.0  #: The secondary screening runs from the burn to this long after TCA.
SAME_ENCOUNTER_S = 600.0  #: A conjunction with the same object this close in TCA is the same encounter.
_RTOL = 1e-12
_ATOL_KM = 1e-9
_STEP = np.array([1e-3] * 3 + [1e-6] * 3)  #: Central-difference steps of the STM: 1 m, 1 mm/s.


def acceleration(states: np.ndarray, j2: bool = True) -> np.ndarray:
    """Two-body (+ J2) derivatives of states (..., 6), km and km/s (WGS-72 mu, radius and J2, as SGP4)."""
    r = states[..., 0:3]
    r2 = np.einsum("...i,...i->...", r, r)
    rn = np.sqrt(r2)
    acc = -MU_WGS72_KM3_S2 * r / (r2 * rn)[..., None]
    if j2:
        z2 = 5.0 * r[..., 2] ** 2 / r2
        f = 1.5 * J2_WGS72 * MU_WGS72_KM3_S2 * EARTH_RADIUS_WGS72_KM**2 / (r2 * r2 * rn)
        acc = acc - np.asarray(f)[..., None] * np.stack([1.0 - z2, 1.0 - z2, 3.0 - z2], axis=-1) * r
    return np.concatenate([states[..., 3:6], acc], axis=-1)


def propagate(state_km: np.ndarray, times_s: np.ndarray, j2: bool = True) -> np.ndarray:
    """States (k, 6) at ``times_s`` (seconds from the state's epoch, one sign, in order away from 0)."""
    times = np.asarray(times_s, float)
    span = (0.0, float(times[-1]))
    out = solve_ivp(lambda t, y: acceleration(y, j2), span, np.asarray(state_km, float), method="DOP853",
                    t_eval=times, rtol=_RTOL, atol=_ATOL_KM)
    if not out.success:
        raise ValueError(f"propagation failed: {out.message}")
    return np.asarray(out.y.T)


def period_s(state_km: np.ndarray) -> float:
    """Two-body period of an orbit from its state (vis-viva), s."""
    r = float(np.linalg.norm(state_km[0:3]))
    v2 = float(np.dot(state_km[3:6], state_km[3:6]))
    energy = v2 / 2.0 - MU_WGS72_KM3_S2 / r
    if energy >= 0:
        raise ValueError("the primary's state is not on an elliptic orbit")
    a = -MU_WGS72_KM3_S2 / (2.0 * energy)
    return 2.0 * math.pi * math.sqrt(a**3 / MU_WGS72_KM3_S2)


def transitions(state_km: np.ndarray, leads_s: Sequence[float] | np.ndarray, j2: bool = True
                ) -> tuple[np.ndarray, np.ndarray]:
    """``Phi(TCA, TCA - lead)`` (k, 6, 6) for every lead time (s, > 0) and the primary's state at each burn time
    (k, 6), from its state at TCA (km, km/s, inertial); see the module docstring."""
    leads = np.asarray(leads_s, float)
    if leads.size == 0 or np.any(leads <= 0):
        raise ValueError("lead times must be positive")
    order = np.argsort(leads)
    x0 = np.asarray(state_km, float)
    start = np.concatenate([x0[None, :], x0 + np.diag(_STEP), x0 - np.diag(_STEP)])  # (13, 6)
    out = solve_ivp(lambda t, y: acceleration(y.reshape(13, 6), j2).ravel(), (0.0, -float(leads[order[-1]])),
                    start.ravel(), method="DOP853", t_eval=-leads[order], rtol=_RTOL, atol=_ATOL_KM)
    if not out.success:
        raise ValueError(f"propagation failed: {out.message}")
    states = out.y.T.reshape(-1, 13, 6)  # (k, 13, 6) in increasing lead order
    back = ((states[:, 1:7] - states[:, 7:13]) / (2.0 * _STEP)[None, :, None]).transpose(0, 2, 1)  # Phi(t_b, TCA)
    phi = np.linalg.inv(back)
    undo = np.argsort(order)
    return phi[undo], states[undo, 0]


def clohessy_wiltshire(mean_motion_rad_s: float, lead_s: float, dv_rtn: np.ndarray) -> np.ndarray:
    """Displacement at TCA (R, T, N; units of ``dv_rtn`` times s) of a circular orbit's object after an impulse
    ``dv_rtn`` (R, T, N) applied ``lead_s`` earlier: the Clohessy-Wiltshire solution (the circular limit of
    Bombardelli 2014)."""
    n, t = mean_motion_rad_s, lead_s
    s, c = math.sin(n * t), math.cos(n * t)
    vr, vt, vn = (float(x) for x in dv_rtn)
    return np.array([s / n * vr + 2.0 * (1.0 - c) / n * vt,
                     2.0 * (c - 1.0) / n * vr + (4.0 * s / n - 3.0 * t) * vt,
                     s / n * vn])


@dataclass(frozen=True)
class Burn:
    """One impulsive burn: ``direction`` (:data:`DIRECTIONS`), signed size m/s (+ outward / prograde), lead time
    before TCA in s and in orbits; with the encounter it gives: Pc (None when undefined) and miss distance, m."""

    direction: str
    dv_m_s: float
    lead_s: float
    lead_orbits: float
    pc: float | None
    miss_m: float

    @property
    def label(self) -> str:
        sign = "+" if self.dv_m_s >= 0 else "-"
        return f"{sign}{self.direction}"


@dataclass
class TradeSpace:
    """Pc and miss distance over burn direction x lead time x size: arrays (2, leads, sizes), Pc NaN when
    undefined; ``minimum`` holds, per signed direction (+radial, -radial, +along-track, -along-track), the smallest
    burn on the grid's lead times that brings Pc under ``threshold`` (refined between grid sizes by bisection), or
    nothing for a direction that cannot within the grid's largest size."""

    sizes_m_s: np.ndarray
    leads_orbits: np.ndarray
    leads_s: np.ndarray
    pc: np.ndarray
    miss_m: np.ndarray
    pc0: float | None
    miss0_m: float
    threshold: float
    hbr_m: float
    period_s: float
    sensitivity: np.ndarray  #: (2, leads, 6): state change at TCA (m, m/s) per m/s of burn, inertial.
    minimum: list[Burn] = dataclasses.field(default_factory=list)

    def rows(self) -> list[Burn]:
        """Every grid point as a :class:`Burn`, direction by direction, lead by lead."""
        out = []
        for d, direction in enumerate(DIRECTIONS):
            for k, lead in enumerate(self.leads_s):
                for s, size in enumerate(self.sizes_m_s):
                    pc = float(self.pc[d, k, s])
                    out.append(Burn(direction, float(size), float(lead), float(self.leads_orbits[k]),
                                    None if not math.isfinite(pc) else pc, float(self.miss_m[d, k, s])))
        return out


def _outcome(enc: Encounter, delta: np.ndarray, hbr_m: float) -> tuple[float, float]:
    """Pc (NaN when undefined) and miss distance (m) of the encounter with the primary's TCA state changed by
    ``delta`` (m, m/s)."""
    moved = Encounter(np.asarray(enc.state1, float) + delta, np.asarray(enc.state2, float), enc.cov1, enc.cov2)
    try:
        pc = pc2d_value(moved, hbr_m)
    except ValueError:
        pc = float("nan")
    at = adjust_to_tca(moved)
    return float(pc), float(np.linalg.norm(at.state1[0:3] - at.state2[0:3]))


def trade_space(enc: Encounter, hbr_m: float, *, sizes_m_s: Sequence[float] = DEFAULT_SIZES_M_S,
                leads_orbits: Sequence[float] = DEFAULT_LEADS_ORBITS, threshold: float = RED_PC,
                j2: bool = True, max_lead_s: float | None = None) -> TradeSpace:
    """The trade space of an encounter (states m and m/s at TCA in an inertial frame, covariances m^2: a CDM's
    :func:`kompas.space.cdm.encounter`) for burns of the primary (``state1``) of ``sizes_m_s`` along its radial and
    along-track axes ``leads_orbits`` orbits (two-body periods) before TCA.

    ``max_lead_s``: the longest lead a burn can still have (s): the time from the earliest moment a burn can be
    made (the data time, or now) to TCA. Longer leads are left out of the grid (a burn before the orbit it is
    planned on was determined, or in the past, is no option); ValueError when none is left."""
    if not 0.0 < threshold < 1.0:
        raise ValueError("the Pc threshold must be in (0, 1)")
    sizes = np.asarray(sizes_m_s, float)
    leads_o = np.asarray(leads_orbits, float)
    if sizes.size == 0 or leads_o.size == 0 or np.any(leads_o <= 0) or not np.all(np.isfinite(sizes)):
        raise ValueError("burn sizes must be finite and lead times positive")
    primary = np.asarray(enc.state1, float) / 1000.0
    period = period_s(primary)
    if max_lead_s is not None:
        if not np.isfinite(max_lead_s):
            raise ValueError("the longest lead must be finite")
        leads_o = leads_o[leads_o * period <= max_lead_s]
        if leads_o.size == 0:
            raise ValueError(f"no burn time of the grid lies between the earliest possible burn and TCA "
                             f"({max(max_lead_s, 0.0):.0f} s, {max(max_lead_s, 0.0) / period:.2f} orbits, before "
                             f"TCA; the shortest lead asked is {min(leads_orbits):g} orbits)")
    leads = leads_o * period
    phi, burn_states = transitions(primary, leads, j2)
    axes = rtn_axes(burn_states[:, 0:3], burn_states[:, 3:6])  # (k, 3, 3), rows R, T, N at each burn
    # state change at TCA per m/s along R and T, (2, k, 6) in m and m/s: Phi's velocity columns take km/s to km
    # and km/s, so they take m/s to m and m/s unchanged
    sensitivity = np.einsum("kij,kdj->dki", phi[:, :, 3:6], axes[:, 0:2, :])
    pc = np.empty((2, leads.size, sizes.size))
    miss = np.empty_like(pc)
    for d in range(2):
        for k in range(leads.size):
            for s, size in enumerate(sizes):
                pc[d, k, s], miss[d, k, s] = _outcome(enc, sensitivity[d, k] * size, hbr_m)
    pc0, miss0 = _outcome(enc, np.zeros(6), hbr_m)
    trade = TradeSpace(sizes, leads_o, leads, pc, miss, None if not math.isfinite(pc0) else pc0, miss0, threshold,
                       hbr_m, period, sensitivity)
    trade.minimum = minimum_burns(enc, trade)
    return trade


def minimum_burns(enc: Encounter, trade: TradeSpace, tolerance: float = 1e-4) -> list[Burn]:
    """Per signed direction, the smallest burn over the grid's lead times that brings Pc under the threshold: at
    each lead time the first grid size (from zero outwards) under it; at the lead times where that size is the
    smallest, a bisection against the previous grid size to a relative ``tolerance`` (a lead time whose first size
    under the threshold is larger cannot do better: its previous size is at least as large and was not under).
    An encounter already under the threshold needs no burn: an empty list."""
    if trade.pc0 is not None and trade.pc0 < trade.threshold:
        return []
    sizes = trade.sizes_m_s
    out = []
    for d in range(len(DIRECTIONS)):
        for sign in (1.0, -1.0):
            side = np.flatnonzero(sizes * sign > 0)
            side = side[np.argsort(np.abs(sizes[side]))]
            if side.size == 0:
                continue
            under = np.isfinite(trade.pc[d][:, side]) & (trade.pc[d][:, side] < trade.threshold)  # (leads, sizes)
            first = np.where(under.any(axis=1), np.argmax(under, axis=1), side.size)
            if first.min() == side.size:
                continue
            best: Burn | None = None
            for k in np.flatnonzero(first == first.min()):
                f = int(first[k])
                low = abs(float(sizes[side[f - 1]])) if f > 0 else 0.0
                found = _bisect(enc, trade, d, int(k), sign, low, abs(float(sizes[side[f]])), tolerance)
                if best is None or abs(found.dv_m_s) < abs(best.dv_m_s):
                    best = found
            if best is not None:
                out.append(best)
    return out


def _bisect(enc: Encounter, trade: TradeSpace, d: int, k: int, sign: float, low: float, high: float,
            tolerance: float) -> Burn:
    """The burn size between ``low`` (Pc not under the threshold) and ``high`` (under) where Pc crosses it."""
    while high - low > tolerance * high:
        mid = 0.5 * (low + high)
        value, _ = _outcome(enc, trade.sensitivity[d, k] * sign * mid, trade.hbr_m)
        if math.isfinite(value) and value < trade.threshold:
            high = mid
        else:
            low = mid
    value, miss = _outcome(enc, trade.sensitivity[d, k] * sign * high, trade.hbr_m)
    return Burn(DIRECTIONS[d], sign * high, float(trade.leads_s[k]), float(trade.leads_orbits[k]), value, miss)


def evaluate(enc: Encounter, trade: TradeSpace, direction: str, dv_m_s: float, lead_index: int
             ) -> tuple[float | None, float]:
    """Pc (None when undefined) and miss (m) of one burn at one of the grid's lead times (any size)."""
    pc, miss = _outcome(enc, trade.sensitivity[DIRECTIONS.index(direction), lead_index] * dv_m_s, trade.hbr_m)
    return (None if not math.isfinite(pc) else pc), miss


# --- the manoeuvred primary as an element set ---------------------------------------------------------------------

def _vector(e: ElementSet) -> np.ndarray:
    w = math.radians(e.arg_perigee_deg)
    return np.array([e.mean_motion_rev_day, e.eccentricity * math.cos(w), e.eccentricity * math.sin(w),
                     e.inclination_deg, e.raan_deg, e.mean_anomaly_deg + e.arg_perigee_deg])


def _elements(base: ElementSet, q: np.ndarray) -> ElementSet:
    ecc = math.hypot(q[1], q[2])
    w = math.degrees(math.atan2(q[2], q[1])) % 360.0
    return dataclasses.replace(base, mean_motion_rev_day=float(q[0]), eccentricity=ecc, inclination_deg=float(q[3]),
                               raan_deg=float(q[4]) % 360.0, arg_perigee_deg=w,
                               mean_anomaly_deg=float(q[5] - w) % 360.0)


_Q_STEP = np.array([1e-7, 1e-7, 1e-7, 1e-6, 1e-6, 1e-6])  #: rev/day, -, -, deg, deg, deg


def _sgp4_state(elset: ElementSet, jd: float, fr: float) -> np.ndarray:
    from kompas.space.propagation import satrec

    error, r, v = satrec(elset).sgp4(jd, fr)
    if error:
        raise ValueError(f"SGP4 error {error} for object {elset.norad_id}")
    return np.array([*r, *v])


def manoeuvred_elements(elset: ElementSet, burn_utc: np.datetime64, dv_rtn_m_s: Sequence[float]) -> ElementSet:
    """An element set whose SGP4 reproduces ``elset``'s state at ``burn_utc`` plus the impulse ``dv_rtn_m_s``
    (R, T, N in the object's frame there, m/s), and follows SGP4's force model after it (see the module docstring).
    Raises ValueError when Newton's method does not converge (a burn too large for the linearisation, or an orbit
    SGP4 cannot hold)."""
    jd, fr = split_julian_date(np.array([as_ns(burn_utc)]))
    when = (float(jd[0]), float(fr[0]))
    state = _sgp4_state(elset, *when)
    dv = rtn_axes(state[0:3], state[3:6]).T @ (np.asarray(dv_rtn_m_s, float) / 1000.0)
    target = state + np.concatenate([np.zeros(3), dv])
    q = _vector(elset)
    for _ in range(8):
        now = _sgp4_state(_elements(elset, q), *when)
        residual = target - now
        if np.all(np.abs(residual[0:3]) < 1e-7) and np.all(np.abs(residual[3:6]) < 1e-9):
            return _elements(elset, q)
        jac = np.empty((6, 6))
        for k in range(6):
            step = np.zeros(6)
            step[k] = _Q_STEP[k]
            jac[:, k] = (_sgp4_state(_elements(elset, q + step), *when)
                         - _sgp4_state(_elements(elset, q - step), *when)) / (2.0 * _Q_STEP[k])
        q = q + np.linalg.solve(jac, residual)
    raise ValueError(f"no element set reproduces this burn of object {elset.norad_id} (Newton did not converge)")


@dataclass(frozen=True)
class Secondary:
    """A conjunction of the manoeuvred primary (``burn``) under the secondary screening's threshold: ``new`` when
    the unmanoeuvred primary has none with that object within :data:`SAME_ENCOUNTER_S` of this TCA (else
    ``miss_before_km`` is that one's miss distance)."""

    burn: str
    secondary_id: int
    secondary_name: str
    tca_utc: np.datetime64
    miss_km: float
    v_rel_km_s: float
    new: bool
    miss_before_km: float | None


MANOEUVRED_ID_BASE = 900_000_000  #: NORAD ids the manoeuvred copies of the primary are screened under.


def secondary_conjunctions(primary: ElementSet, catalogue: Iterable[ElementSet], tca_utc: np.datetime64,
                           burns: Sequence[Burn], *, threshold_km: float = SECONDARY_THRESHOLD_KM,
                           after_tca_s: float = SECONDARY_AFTER_TCA_S,
                           map_blocks: Callable[[Callable, Sequence], Iterable] | None = None
                           ) -> dict[str, list[Secondary]]:
    """Per burn (by :attr:`Burn.label`), the conjunctions the manoeuvred primary has under ``threshold_km`` with the
    catalogue from the burn until ``after_tca_s`` after TCA, by :func:`kompas.space.screening.screen` (every burn's
    adjusted element set and the unmanoeuvred primary in one run, from the earliest burn). Conjunctions between the
    copies of the primary are left out."""
    from kompas.space.screening import screen, serial_map

    if not burns:
        return {}
    tca = as_ns(tca_utc)
    starts = {b.label: tca - np.timedelta64(round(b.lead_s * 1e9), "ns") for b in burns}
    copies = [dataclasses.replace(manoeuvred_elements(primary, starts[b.label],
                                                      (b.dv_m_s, 0.0, 0.0) if b.direction == "radial"
                                                      else (0.0, b.dv_m_s, 0.0)),
                                  norad_id=MANOEUVRED_ID_BASE + k) for k, b in enumerate(burns)]
    others = [e for e in catalogue if e.norad_id != primary.norad_id and e.norad_id < MANOEUVRED_ID_BASE]
    start = min(starts.values())
    duration = float((tca - start) / np.timedelta64(1, "s")) + after_tca_s
    ids = {primary.norad_id, *(c.norad_id for c in copies)}
    found = screen([primary, *copies, *others], start, duration, threshold_km, primaries=ids,
                   map_blocks=map_blocks or serial_map).conjunctions
    found = [c for c in found if c.label != "same-object" and not (c.primary_id in ids and c.secondary_id in ids)]
    before = [c for c in found if c.primary_id == primary.norad_id]
    out: dict[str, list[Secondary]] = {}
    for k, b in enumerate(burns):
        rows = []
        for c in found:
            if c.primary_id != MANOEUVRED_ID_BASE + k or c.tca_utc < starts[b.label]:
                continue
            rows.append(_secondary(b.label, c, before))
        out[b.label] = rows
    return out


def _secondary(label: str, c: Conjunction, before: Sequence[Conjunction]) -> Secondary:
    same = [p for p in before if p.secondary_id == c.secondary_id
            and abs(float((p.tca_utc - c.tca_utc) / np.timedelta64(1, "s"))) <= SAME_ENCOUNTER_S]
    return Secondary(label, c.secondary_id, c.secondary_name, c.tca_utc, c.miss_km, c.v_rel_km_s, not same,
                     min(p.miss_km for p in same) if same else None)


# --- presentation (no I/O: a figure and table rows) ---------------------------------------------------------------

def figure(trade: TradeSpace, title: str = "") -> Figure:
    """Pc (log colour scale, the threshold contoured) and miss distance over burn size x lead time, one column
    per direction; the smallest burns are starred."""
    from matplotlib.colors import LogNorm

    from kompas.reports.document import pyplot

    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True, sharex=True, sharey=True)
    sizes = trade.sizes_m_s * 100.0
    floor = trade.threshold * 1e-4
    pcs = np.where(np.isfinite(trade.pc), np.clip(trade.pc, floor, 1.0), floor)
    top = max(float(np.nanmax(pcs)), trade.threshold * 10)
    for d, direction in enumerate(DIRECTIONS):
        ax = axes[0, d]
        mesh = ax.pcolormesh(sizes, trade.leads_orbits, pcs[d], norm=LogNorm(floor, top), cmap="inferno_r",
                             shading="nearest")
        if np.nanmin(pcs[d]) < trade.threshold < np.nanmax(pcs[d]):
            ax.contour(sizes, trade.leads_orbits, pcs[d], levels=[trade.threshold], colors="cyan", linewidths=1.5)
        fig.colorbar(mesh, ax=ax, label="Pc (2D, Foster)")
        ax.set_title(f"{direction} burn: Pc (cyan: {trade.threshold:g})")
        ax2 = axes[1, d]
        miss_km = np.maximum(trade.miss_m[d] / 1000.0, 1e-3)
        mesh2 = ax2.pcolormesh(sizes, trade.leads_orbits, miss_km, cmap="viridis", shading="nearest",
                               norm=LogNorm(float(miss_km.min()), max(float(miss_km.max()), 2e-3)))
        fig.colorbar(mesh2, ax=ax2, label="miss distance (km)")
        ax2.set_title(f"{direction} burn: miss distance")
        ax2.set_xlabel("burn size (cm/s; + outward / prograde)")
        for b in trade.minimum:
            if b.direction == direction:
                for a in (ax, ax2):
                    a.scatter([b.dv_m_s * 100.0], [b.lead_orbits], marker="*", s=120, color="white",
                              edgecolors="black", zorder=3)
    nonzero = np.abs(sizes[sizes != 0])
    for ax in axes.ravel():  # sizes are spaced geometrically: a symmetric log axis, linear within the smallest
        ax.set_xscale("symlog", linthresh=float(nonzero.min()) if nonzero.size else 1.0)
    for ax in axes[:, 0]:
        ax.set_ylabel("burn time before TCA (orbits)")
    if title:
        fig.suptitle(title)
    return fig


def summary(trade: TradeSpace) -> dict[str, Any]:
    """The trade space as plain data (JSON-ready): grid, Pc (None where undefined), miss, smallest burns."""
    def number(x: float) -> float | None:
        return None if not math.isfinite(x) else float(x)

    return {"threshold": trade.threshold, "hbr_m": trade.hbr_m, "period_s": trade.period_s,
            "pc0": trade.pc0, "miss0_m": trade.miss0_m, "directions": list(DIRECTIONS),
            "sizes_m_s": [float(x) for x in trade.sizes_m_s], "leads_orbits": [float(x) for x in trade.leads_orbits],
            "leads_s": [float(x) for x in trade.leads_s],
            "pc": [[[number(x) for x in row] for row in plane] for plane in trade.pc],
            "miss_m": [[[float(x) for x in row] for row in plane] for plane in trade.miss_m],
            "minimum": [dataclasses.asdict(b) | {"label": b.label} for b in trade.minimum]}
