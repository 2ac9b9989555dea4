"""Operator ephemerides (CCSDS OEM segments) as objects screening can evaluate at any time, in TEME.

An :class:`Ephemeris` is built from the states of one object (an OEM's segments, or any tabulated states):
epochs converted to UTC, states rotated into SGP4's TEME (the frame :mod:`kompas.space.screening` works in),
and evaluated by the interpolation the OEM header names, never beyond its useable span.

Frames (``REF_FRAME``, ``CENTER_NAME``)
---------------------------------------
Only Earth-centred frames are read: ``TEME``; ``GCRF``/``ICRF`` (as GCRS: the ~1e-9 aberration-free difference
is far below any ephemeris's accuracy); ``EME2000``/``J2000``, which differs from GCRS by the IAU 2006 frame
bias (about 23 mas, 0.8 m at 7000 km): applied exactly (``erfa.bp06``: ``r_GCRS = B^T r_EME2000``); ``ITRF*``
(``ITRF``, ``ITRF-93``, ``ITRF2000``, ``ITRF2008``, ``ITRF2014``, ``ITRF2020``; the realisations differ by
centimetres, not modelled) through :func:`kompas.space.frames.rotation_from_teme` inverted. The rotations are
applied at the ephemeris nodes, and the nodes are interpolated in TEME. Other centres (``MARS BARYCENTER``,
``MOON``...) and frames (``TOD``, ``MOD``, ``RTN``...) raise :class:`EphemerisError` saying which and why.

Interpolation (``INTERPOLATION``, ``INTERPOLATION_DEGREE``)
-----------------------------------------------------------
CCSDS 502.0-B-3 (section 5.2.3) gives the method and "the recommended interpolation degree": the degree of the
interpolating polynomial. ``LAGRANGE`` degree ``d`` uses ``d + 1`` nodes (positions only); ``HERMITE`` degree
``d`` uses ``ceil((d + 1) / 2)`` nodes with their positions and velocities (``2 k`` conditions, degree
``2 k - 1 >= d``). Orekit (``OemSegment.getInterpolationSamples``, "from the standard it is not entirely clear how
to interpret the degree") takes ``d + 1`` nodes for either method and always interpolates with velocities, so for
a Hermite OEM of degree 5 it fits an 11th-degree polynomial where this module (and the standard's wording) fits a
5th-degree one; both pass through the nodes. A missing method is Lagrange, a missing degree 5 (the OEM
examples' usual value); :mod:`kompas.space.odm` applies Orekit's defaults when it reads an OEM (Lagrange,
degree 1), and those are used then. ``LINEAR`` is Lagrange of degree 1. At least 2 nodes are always used, and
never more than the span holds.

The nodes used between consecutive epochs ``t_k, t_k+1`` are the same over the whole interval (the ``k`` nodes
around it), so the interpolant is one polynomial per node interval: continuous with continuous velocity at the
nodes for Hermite (both neighbouring polynomials match the node's position and velocity), continuous in position
with a (measured, :attr:`Span.kink_km_s`) velocity jump at the nodes for Lagrange. Velocities are the derivative
of the position polynomial, so position and velocity describe one trajectory (screening's refinement needs
that). The polynomial of each interval is solved once in a scaled local time (``u`` in about [-1, 1]) and
evaluated by Horner's rule. SGP4's velocity is not exactly the derivative of its position (about 2 cm/s in
LEO), so a Hermite fit of SGP4 states follows SGP4's positions to ~0.3-0.7 m at 60 s steps, a Lagrange fit of
degree 7 to under 1 cm.

Spans
-----
Consecutive OEM segments that join (one's useable stop is the next one's useable start, same position to 1 m:
a manoeuvre splits an OEM into segments with a velocity jump there) form one :class:`Span`; the jump is recorded
as a kink. Segments that leave a gap, or overlap, or jump in position, are separate spans (the later one wins an
overlap). Outside every span there is no state: :data:`OUTSIDE_SPAN` (an error code like SGP4's), never
extrapolation.

Bound for screening (see :mod:`kompas.space.screening`)
-------------------------------------------------------
:attr:`Ephemeris.accel_bound_km_s2` is ``SAFETY`` x the largest ``|r''(t) - g(r(t))|`` (``g`` point-mass gravity)
of the interpolant, measured on :data:`BOUND_POINTS` points per node interval (the polynomial's second derivative is
exact there; between the points the residual is a smooth function of a polynomial whose variation over
``1 / BOUND_POINTS`` of an interval is far below the factor :data:`SAFETY`). :attr:`Ephemeris.kink_km_s` is the
largest velocity jump at a node or a joined segment boundary.

Covariance (OEM covariance blocks) is kept per epoch in the object's RTN frame and interpolated linearly in time
between the two bracketing epochs (a convex combination of positive semi-definite matrices stays so), or the
nearest one outside them: :meth:`Ephemeris.covariance_rtn`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import erfa
import numpy as np

from kompas.constants import MU_WGS72_KM3_S2, SECONDS_PER_DAY
from kompas.space.elements import split_julian_date
from kompas.space.frames import rotation_from_teme, rtn_axes
from kompas.times import as_ns

OUTSIDE_SPAN = 8  #: Error code: the time lies outside every useable span (no state, never extrapolated).
ERRORS = {OUTSIDE_SPAN: "outside the ephemeris's useable span (no state; never extrapolated)"}
DEFAULT_METHOD = "LAGRANGE"  #: CCSDS 502.0-B-3: INTERPOLATION is optional; Lagrange when absent.
DEFAULT_DEGREE = 5  #: When INTERPOLATION_DEGREE is absent.
BOUND_POINTS = 16  #: Points per node interval where ``|r'' - g(r)|`` is measured.
SAFETY = 2.0  #: Factor on the measured ``|r'' - g(r)|``.
JOIN_KM = 1e-3  #: Segments whose boundary states differ by less than this in position are joined into one span.
EDGE_TOLERANCE_S = 1e-6  #: Times this close outside a span's edge are evaluated at the edge (float rounding).
EARTH_CENTRES = ("EARTH",)
_INERTIAL = {"TEME": "teme", "GCRF": "gcrs", "ICRF": "gcrs", "EME2000": "eme2000", "J2000": "eme2000"}
_ITRF = ("ITRF", "ITRF-93", "ITRF-97", "ITRF93", "ITRF97", "ITRF2000", "ITRF2005", "ITRF2008", "ITRF2014",
         "ITRF2020", "ITRF1993", "ITRF1997")


class EphemerisError(ValueError):
    """An ephemeris that cannot be screened (frame, centre, time system, too few states); says which and why."""


class SegmentLike(Protocol):
    """What :func:`from_segments` reads of an OEM segment (``kompas.space.odm.oem.OemSegment``)."""

    metadata: dict[str, str]
    states: np.ndarray
    covariances: Any

    def epochs_utc(self) -> np.ndarray: ...


def nodes_for(method: str, degree: int) -> int:
    """Number of interpolation nodes for an OEM's method and polynomial degree (module docstring)."""
    method = method.upper()
    if degree < 1:
        raise EphemerisError(f"INTERPOLATION_DEGREE {degree}: must be at least 1")
    if method == "LAGRANGE":
        return degree + 1
    if method == "HERMITE":
        return max(2, math.ceil((degree + 1) / 2))
    raise EphemerisError(f"INTERPOLATION {method!r}: only LAGRANGE and HERMITE are supported")


@dataclass(frozen=True)
class Span:
    """One contiguous stretch of interpolable states: node times (s from the ephemeris's reference epoch), and per
    node interval the polynomial coefficients of x, y, z in ``u = (t - centre) / scale`` (lowest power first)."""

    times_s: np.ndarray  # (n,)
    centre_s: np.ndarray  # (n - 1,)
    scale_s: np.ndarray  # (n - 1,)
    coefficients: np.ndarray  # (n - 1, 3, p)
    kink_km_s: float = 0.0  #: Largest velocity jump of the interpolant at a node or joined segment boundary.

    @property
    def start_s(self) -> float:
        return float(self.times_s[0])

    @property
    def stop_s(self) -> float:
        return float(self.times_s[-1])

    def evaluate(self, t_s: np.ndarray, derivatives: int = 1) -> np.ndarray:
        """Position and its first ``derivatives`` time derivatives at times inside the span: (d + 1, q, 3)."""
        k = np.clip(np.searchsorted(self.times_s, t_s, side="right") - 1, 0, len(self.centre_s) - 1)
        u = (t_s - self.centre_s[k]) / self.scale_s[k]
        c = self.coefficients[k]  # (q, 3, p)
        p = c.shape[2]
        out = np.zeros((derivatives + 1, len(t_s), 3))
        for d in range(derivatives + 1):
            acc = np.zeros((len(t_s), 3))
            for power in range(p - 1, d - 1, -1):
                factor = math.perm(power, d)
                acc = acc * u[:, None] + factor * c[:, :, power]
            out[d] = acc / self.scale_s[k][:, None] ** d
        return out


def _fit(times: np.ndarray, pos: np.ndarray, vel: np.ndarray, method: str, nodes: int) -> Span:
    """The per-interval polynomials of one span (module docstring)."""
    n = len(times)
    nodes = min(nodes, n)
    k = np.arange(n - 1)
    first = np.clip(k - (nodes - 1) // 2, 0, n - nodes)
    window = first[:, None] + np.arange(nodes)[None, :]  # (n - 1, nodes)
    tw = times[window]
    centre = 0.5 * (tw[:, 0] + tw[:, -1])
    scale = 0.5 * (tw[:, -1] - tw[:, 0])
    u = (tw - centre[:, None]) / scale[:, None]  # (n - 1, nodes)
    hermite = method == "HERMITE"
    p = 2 * nodes if hermite else nodes
    powers = np.arange(p)
    rows = u[:, :, None] ** powers[None, None, :]  # values
    rhs = pos[window]  # (n - 1, nodes, 3)
    if hermite:
        deriv = np.zeros_like(rows)
        deriv[:, :, 1:] = powers[1:] * u[:, :, None] ** (powers[1:] - 1)
        rows = np.concatenate([rows, deriv], axis=1)
        rhs = np.concatenate([rhs, vel[window] * scale[:, None, None]], axis=1)
    coefficients = np.linalg.solve(rows, rhs).transpose(0, 2, 1)  # (n - 1, 3, p)
    span = Span(times, centre, scale, coefficients)
    if n > 2:  # velocity jumps at interior nodes: left polynomial's end minus right polynomial's start
        inner = times[1:-1]
        left = _poly(span, np.arange(n - 2), inner, 1)
        right = _poly(span, np.arange(1, n - 1), inner, 1)
        span = Span(times, centre, scale, coefficients, float(np.max(np.linalg.norm(left - right, axis=1))))
    return span


def _poly(span: Span, k: np.ndarray, t: np.ndarray, d: int) -> np.ndarray:
    """Derivative ``d`` of interval ``k``'s polynomial at ``t`` (q,) -> (q, 3)."""
    u = (t - span.centre_s[k]) / span.scale_s[k]
    c = span.coefficients[k]
    acc = np.zeros((len(t), 3))
    for power in range(c.shape[2] - 1, d - 1, -1):
        acc = acc * u[:, None] + math.perm(power, d) * c[:, :, power]
    return acc / span.scale_s[k][:, None] ** d


@dataclass(frozen=True)
class Ephemeris:
    """One object's interpolable states in TEME (km, km/s), times as seconds from ``reference_utc``.

    ``norad_id`` and ``name`` identify it in screening results; ``source`` says where it came from (an OEM file);
    ``method``/``degree`` are as the OEM header says (``nodes`` what they mean, :func:`nodes_for`).
    """

    norad_id: int
    name: str
    reference_utc: np.datetime64
    spans: tuple[Span, ...]
    method: str
    degree: int
    nodes: int
    accel_bound_km_s2: float  #: SAFETY x max |r'' - g(r)| of the interpolant (module docstring).
    covariance_times_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    covariance_rtn_km: np.ndarray = field(default_factory=lambda: np.zeros((0, 6, 6)))  # (c, 6, 6) km, km/s
    source: str = ""
    covariance_note: str = ""
    origin: str = "oem"

    @property
    def kink_km_s(self) -> float:
        """Largest velocity jump of the interpolant (nodes of a Lagrange fit, manoeuvre boundaries)."""
        return max((s.kink_km_s for s in self.spans), default=0.0)

    @property
    def start_utc(self) -> np.datetime64:
        return self.reference_utc + np.timedelta64(round(self.spans[0].start_s * 1e9), "ns")

    @property
    def stop_utc(self) -> np.datetime64:
        return self.reference_utc + np.timedelta64(round(self.spans[-1].stop_s * 1e9), "ns")

    @property
    def epoch_utc(self) -> np.datetime64:
        """The first useable time (what an element set's epoch is to its age at TCA)."""
        return self.start_utc

    @property
    def max_radius_km(self) -> float:
        """Largest geocentric distance at a node (km)."""
        return max(float(np.max(np.linalg.norm(_node_positions(s), axis=1))) for s in self.spans)

    def span_edges_s(self, start_utc: np.datetime64) -> list[tuple[float, float]]:
        """Each span's (start, stop) in seconds from ``start_utc``."""
        shift = float((self.reference_utc - as_ns(start_utc)) / np.timedelta64(1, "ns")) * 1e-9
        return [(s.start_s + shift, s.stop_s + shift) for s in self.spans]

    def seconds(self, jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
        """Julian dates (UTC, day + fraction) as seconds from ``reference_utc``."""
        rjd, rfr = split_julian_date(np.array([self.reference_utc], dtype="datetime64[ns]"))
        return ((np.asarray(jd) - rjd[0]) + (np.asarray(fr) - rfr[0])) * SECONDS_PER_DAY

    def states_at(self, t_s: np.ndarray, derivatives: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Position and derivatives at ``t_s`` (s from the reference): (d + 1, q, 3), and (q,) error codes
        (0, or :data:`OUTSIDE_SPAN` with NaN states)."""
        t_s = np.asarray(t_s, dtype=float)
        out = np.full((derivatives + 1, t_s.size, 3), np.nan)
        codes = np.full(t_s.size, OUTSIDE_SPAN, dtype=np.uint8)
        for span in self.spans:
            inside = (t_s >= span.start_s - EDGE_TOLERANCE_S) & (t_s <= span.stop_s + EDGE_TOLERANCE_S)
            inside &= codes != 0  # an earlier span keeps a shared edge
            if inside.any():
                t = np.clip(t_s[inside], span.start_s, span.stop_s)
                out[:, inside] = span.evaluate(t, derivatives)
                codes[inside] = 0
        return out, codes

    def teme(self, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """States (6, q) in TEME (km, km/s) and codes (q,) at Julian dates (UTC)."""
        values, codes = self.states_at(self.seconds(jd, fr))
        return np.concatenate([values[0], values[1]], axis=1).T, codes

    def covariance_rtn(self, time_utc: np.datetime64) -> tuple[np.ndarray, str] | None:
        """6x6 RTN covariance (km^2, km^2/s, km^2/s^2) at a time, linear between the bracketing OEM covariance
        epochs (nearest outside them), with a sentence saying how it was obtained; None without covariance."""
        times = self.covariance_times_s
        if times.size == 0:
            return None
        t = float((as_ns(time_utc) - self.reference_utc) / np.timedelta64(1, "ns")) * 1e-9
        stamp = [str(self.reference_utc + np.timedelta64(round(x * 1e9), "ns"))[:23] for x in times]
        if times.size == 1 or t <= times[0] or t >= times[-1]:
            q = int(np.argmin(np.abs(times - t)))
            return self.covariance_rtn_km[q].copy(), f"nearest OEM covariance epoch {stamp[q]}"
        k = int(np.searchsorted(times, t, side="right") - 1)
        w = (t - times[k]) / (times[k + 1] - times[k])
        cov = (1.0 - w) * self.covariance_rtn_km[k] + w * self.covariance_rtn_km[k + 1]
        return cov, f"linear in time between OEM covariance epochs {stamp[k]} and {stamp[k + 1]}, in RTN"


def _node_positions(span: Span) -> np.ndarray:
    k = np.minimum(np.arange(len(span.times_s)), len(span.centre_s) - 1)
    return _poly(span, k, span.times_s, 0)


def _gravity(r: np.ndarray) -> np.ndarray:
    return -MU_WGS72_KM3_S2 * r / np.linalg.norm(r, axis=-1, keepdims=True) ** 3


def _accel_bound(span: Span) -> float:
    """max |r'' - g(r)| on BOUND_POINTS points per node interval (module docstring)."""
    n = len(span.centre_s)
    frac = (np.arange(BOUND_POINTS) + 0.5) / BOUND_POINTS
    k = np.repeat(np.arange(n), BOUND_POINTS)
    t = span.times_s[k] + np.tile(frac, n) * (span.times_s[k + 1] - span.times_s[k])
    r, a = _poly(span, k, t, 0), _poly(span, k, t, 2)
    return float(np.max(np.linalg.norm(a - _gravity(r), axis=1)))


def frame_to_teme(frame: str, centre: str, epochs_utc: np.ndarray, states: np.ndarray) -> np.ndarray:
    """States (n, 6) km, km/s in an OEM ``REF_FRAME`` about ``CENTER_NAME`` -> TEME (module docstring)."""
    if centre.strip().upper() not in EARTH_CENTRES:
        raise EphemerisError(f"CENTER_NAME {centre!r}: only Earth-centred ephemerides can be screened against the "
                             "Earth-orbit catalogue")
    name = frame.strip().upper()
    states = np.asarray(states, dtype=float)
    if name in _INERTIAL:
        kind = _INERTIAL[name]
        if kind == "teme":
            return states.copy()
        r, v = states[:, 0:3], states[:, 3:6]
        if kind == "eme2000":  # frame bias: r_EME2000 = B r_GCRS
            jd, fr = split_julian_date(np.asarray(epochs_utc, dtype="datetime64[ns]"))
            bias = erfa.bp06(*erfa.taitt(*erfa.utctai(jd, fr)))[0]  # (n, 3, 3)
            r = np.einsum("nji,nj->ni", bias, r)
            v = np.einsum("nji,nj->ni", bias, v)
        a = rotation_from_teme(np.asarray(epochs_utc, dtype="datetime64[ns]"), "gcrs").a  # gcrs = A teme
        return np.concatenate([np.einsum("nji,nj->ni", a, r), np.einsum("nji,nj->ni", a, v)], axis=1)
    if name in _ITRF:
        rot = rotation_from_teme(np.asarray(epochs_utc, dtype="datetime64[ns]"), "itrf")
        assert rot.b is not None
        r = np.einsum("nji,nj->ni", rot.a, states[:, 0:3])
        v = np.einsum("nji,nj->ni", rot.a, states[:, 3:6] - np.einsum("nij,nj->ni", rot.b, r))
        return np.concatenate([r, v], axis=1)
    raise EphemerisError(f"REF_FRAME {frame!r}: supported frames are TEME, GCRF, ICRF, EME2000/J2000 and ITRF "
                         "realisations")


def from_states(norad_id: int, name: str, epochs_utc: np.ndarray, states_teme: np.ndarray, *,
                method: str = DEFAULT_METHOD, degree: int = DEFAULT_DEGREE,
                breaks: Sequence[int] = (), source: str = "") -> Ephemeris:
    """An ephemeris from TEME states (n, 6) at increasing UTC epochs; ``breaks``: indices where a new segment
    starts (a manoeuvre: its first epoch repeats the previous segment's last; joined when the positions agree to
    :data:`JOIN_KM`, else a new span)."""
    epochs = np.asarray(epochs_utc, dtype="datetime64[ns]")
    states = np.asarray(states_teme, dtype=float)
    method = method.upper()
    nodes = nodes_for(method, degree)
    cuts = [0, *sorted(breaks), len(epochs)]
    pieces = [(epochs[a:b], states[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]
    return _build(norad_id, name, pieces, method, degree, nodes, source)


#: Closest two states of an ephemeris may be, s: operator ephemerides are sampled every 10 s to 10 min; closer
#: nodes would only serve to make the interpolant's acceleration bound, and the screening's search, unbounded.
MIN_STEP_S = 1.0


def _build(norad_id: int, name: str, pieces: list[tuple[np.ndarray, np.ndarray]], method: str, degree: int,
           nodes: int, source: str, covariance: tuple[np.ndarray, np.ndarray] | None = None,
           covariance_note: str = "") -> Ephemeris:
    if not pieces:
        raise EphemerisError("no states")
    reference = min(p[0][0] for p in pieces)
    spans: list[Span] = []
    joined: list[tuple[np.ndarray, np.ndarray, float]] = []  # (times, states, kink) of spans being formed
    for epochs, states in sorted(pieces, key=lambda p: p[0][0]):
        t = (epochs - reference) / np.timedelta64(1, "ns") * 1e-9
        if len(t) < 2:
            raise EphemerisError(f"a segment with {len(t)} state(s) cannot be interpolated (2 at least)")
        if np.any(np.diff(t) <= 0):
            raise EphemerisError("epochs must increase strictly within a segment")
        if np.min(np.diff(t)) < MIN_STEP_S:
            raise EphemerisError(f"states closer than {MIN_STEP_S:g} s apart: an interpolant over such nodes bounds "
                                 "nothing useful (the screening margin would cover everything)")
        if not np.all(np.isfinite(states)):
            raise EphemerisError("a state is not finite")
        if joined:
            pt, ps, kink = joined[-1]
            if t[0] < pt[-1]:  # overlap: the later segment wins
                keep = pt < t[0]
                pt, ps = pt[keep], ps[keep]
                joined[-1] = (pt, ps, kink)
            if len(pt) and t[0] == pt[-1] and np.linalg.norm(states[0, 0:3] - ps[-1, 0:3]) < JOIN_KM:
                jump = float(np.linalg.norm(states[0, 3:6] - ps[-1, 3:6]))
                joined[-1] = (pt, ps, max(kink, jump))
                joined.append((t, states, -1.0))  # -1: joined to the previous one
                continue
        joined.append((t, states, 0.0))
    groups: list[list[tuple[np.ndarray, np.ndarray, float]]] = []
    for item in joined:
        if item[2] == -1.0 and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
    bound = 0.0
    for group in groups:
        fitted = [_fit(t, s[:, 0:3], s[:, 3:6], method, nodes) for t, s, _ in group if len(t) >= 2]
        if not fitted:
            continue
        kink = max([f.kink_km_s for f in fitted] + [max(g[2], 0.0) for g in group])
        bounds = [_accel_bound(f) for f in fitted]
        if not all(np.isfinite(bounds)):  # max() would pass a NaN over silently
            raise EphemerisError("the interpolant's acceleration cannot be bounded (a non-finite value)")
        bound = max(bound, *bounds)
        spans.append(_merge(fitted, kink))
    cov_t, cov = (np.zeros(0), np.zeros((0, 6, 6))) if covariance is None else covariance
    eph = Ephemeris(norad_id, name, reference, tuple(spans), method, degree, nodes, SAFETY * bound,
                    source=source, covariance_note=covariance_note)
    if cov_t.size:
        object.__setattr__(eph, "covariance_times_s", cov_t)
        object.__setattr__(eph, "covariance_rtn_km", cov)
    return eph


def _merge(spans: list[Span], kink: float) -> Span:
    """Join spans sharing boundary epochs into one (the boundary epoch kept once, each side its own polynomials)."""
    if len(spans) == 1:
        return Span(spans[0].times_s, spans[0].centre_s, spans[0].scale_s, spans[0].coefficients, kink)
    p = max(s.coefficients.shape[2] for s in spans)
    coefficients = [np.pad(s.coefficients, ((0, 0), (0, 0), (0, p - s.coefficients.shape[2]))) for s in spans]
    times = np.concatenate([spans[0].times_s] + [s.times_s[1:] for s in spans[1:]])
    return Span(times, np.concatenate([s.centre_s for s in spans]), np.concatenate([s.scale_s for s in spans]),
                np.concatenate(coefficients), kink)


def _to_utc(epochs: np.ndarray, time_system: str) -> np.ndarray:
    """Epochs (datetime64[ns]) in an OEM TIME_SYSTEM -> UTC (UTC, TAI, GPS, TT, TDB as TT: < 2 ms)."""
    system = time_system.strip().upper()
    epochs = np.asarray(epochs, dtype="datetime64[ns]")
    if system == "UTC":
        return epochs
    offsets = {"TAI": 0.0, "GPS": 19.0, "TT": -32.184, "TDB": -32.184}
    if system not in offsets:
        raise EphemerisError(f"TIME_SYSTEM {time_system!r}: supported are UTC, TAI, GPS, TT and TDB (as TT)")
    tai = epochs + np.timedelta64(round(offsets[system] * 1e9), "ns")
    jd, fr = split_julian_date(tai)
    u1, u2 = erfa.taiutc(jd, fr)
    shift = ((u1 - jd) + (u2 - fr)) * SECONDS_PER_DAY  # UTC - TAI, whole seconds
    return tai + (np.round(shift * 1e9)).astype("timedelta64[ns]")


def from_segments(segments: Sequence[Any], norad_id: int, name: str = "", source: str = "") -> Ephemeris:
    """An ephemeris from one object's OEM segments (``kompas.space.odm.oem.OemSegment`` or alike: ``metadata``,
    ``epochs``, ``states``, ``covariances``); raises :class:`EphemerisError` for what cannot be screened."""
    if not segments:
        raise EphemerisError("the OEM has no segments")
    pieces, methods, degrees = [], set(), set()
    cov_times: list[np.datetime64] = []
    cov_rtn: list[np.ndarray] = []
    raw_cov: list[tuple[np.datetime64, str, np.ndarray]] = []
    for seg in segments:
        meta = {k.upper(): str(v) for k, v in seg.metadata.items()}
        system = meta.get("TIME_SYSTEM", "UTC")
        epochs = _segment_utc(seg, system)
        states = frame_to_teme(meta.get("REF_FRAME", ""), meta.get("CENTER_NAME", ""), epochs,
                               np.asarray(seg.states, dtype=float))
        lo = meta.get("USEABLE_START_TIME") or meta.get("START_TIME")
        hi = meta.get("USEABLE_STOP_TIME") or meta.get("STOP_TIME")
        keep = np.ones(len(epochs), dtype=bool)
        if lo:
            keep &= epochs >= _to_utc(np.array([_parse(lo)]), system)[0]
        if hi:
            keep &= epochs <= _to_utc(np.array([_parse(hi)]), system)[0]
        pieces.append((epochs[keep], states[keep]))
        method = str(getattr(seg, "interpolation", None) or meta.get("INTERPOLATION", DEFAULT_METHOD)).upper()
        degree = getattr(seg, "degree", None) or (int(meta["INTERPOLATION_DEGREE"])
                                                  if meta.get("INTERPOLATION_DEGREE") else DEFAULT_DEGREE)
        if method == "LINEAR":  # CCSDS SANA lists LINEAR: Lagrange of degree 1
            method, degree = "LAGRANGE", 1
        methods.add(method)
        degrees.add(int(degree))
        for cov in getattr(seg, "covariances", None) or ():
            epoch = _to_utc(np.array([np.datetime64(cov.epoch, "ns")]), system)[0]
            frame = (getattr(cov, "frame", None) or meta.get("REF_FRAME", "")).upper()
            raw_cov.append((epoch, frame, np.asarray(cov.matrix, dtype=float)))
    if len(methods) > 1 or len(degrees) > 1:
        raise EphemerisError(f"segments disagree on interpolation ({sorted(methods)}, degrees {sorted(degrees)})")
    method, degree = methods.pop(), degrees.pop()
    eph = _build(norad_id, name, pieces, method, degree, nodes_for(method, degree), source)
    for epoch, frame, matrix in sorted(raw_cov, key=lambda c: c[0]):
        cov_times.append(epoch)
        cov_rtn.append(_cov_to_rtn(eph, epoch, frame, matrix))
    if not cov_times:
        return eph
    t = (np.array(cov_times, dtype="datetime64[ns]") - eph.reference_utc) / np.timedelta64(1, "ns") * 1e-9
    return _build(norad_id, name, pieces, method, degree, nodes_for(method, degree), source,
                  (np.asarray(t, dtype=float), np.array(cov_rtn)))


def _parse(text: str) -> np.datetime64:
    from kompas.times import parse_ccsds_time_utc

    return parse_ccsds_time_utc(text)


def _segment_utc(seg: Any, system: str) -> np.ndarray:
    if hasattr(seg, "epochs_utc"):
        try:
            return np.asarray(seg.epochs_utc(), dtype="datetime64[ns]")
        except ValueError as error:
            raise EphemerisError(str(error)) from None
    return _to_utc(np.asarray(seg.epochs, dtype="datetime64[ns]"), system)


_RTN_FRAMES = ("RTN", "RSW", "RIC", "LVLH_RTN")


def _cov_to_rtn(eph: Ephemeris, epoch: np.datetime64, frame: str, matrix: np.ndarray) -> np.ndarray:
    """An OEM covariance (km, km/s) in ``frame`` -> the object's RTN frame at ``epoch`` (its state from ``eph``)."""
    jd, fr = split_julian_date(np.array([epoch], dtype="datetime64[ns]"))
    state, code = eph.teme(jd, fr)
    if code[0]:
        raise EphemerisError(f"covariance epoch {str(epoch)[:23]} lies outside the ephemeris's useable span")
    teme = state[:, 0]
    if frame in _RTN_FRAMES:
        return matrix
    # rotation frame -> TEME, then TEME -> RTN (both evaluated at the covariance epoch; the Coriolis term of a
    # rotating frame is applied through the same rotation as the state's).
    to_teme = np.zeros((6, 6))
    probe = np.eye(6)
    # Linear map: apply the frame conversion to unit perturbations around zero (rotation is linear in states).
    for column in range(6):
        to_teme[:, column] = frame_to_teme(frame, "EARTH", np.array([epoch]), probe[column][None, :])[0]
    axes = rtn_axes(teme[0:3], teme[3:6])
    rot = np.zeros((6, 6))
    rot[0:3, 0:3] = rot[3:6, 3:6] = axes
    full = rot @ to_teme
    return full @ matrix @ full.T
