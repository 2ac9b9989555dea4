"""Conjunction screening: every pair of objects that comes within a miss-distance threshold ``D`` in a window.

The window is sampled every ``dt`` seconds (default 60 s); every sample interval ``[t_k, t_k+1]`` of every
pair is either proved clear of ``D`` or refined to its time of closest approach (TCA). No filter may drop
a pair that comes within ``D``; each carries a margin that bounds what can happen between samples.

Why nothing is missed
---------------------
Let ``r(t) = r_j(t) - r_i(t)`` be the relative position of a pair and ``a = r(t_k)``, ``b = r(t_k+1)``.

1. **Between samples the pair stays near the chord** ``[a, b]``. For a twice-differentiable curve, the
   linear interpolation error is ``|r(t) - L(t)| <= A (t - t_k)(t_k+1 - t) / 2 <= A dt^2 / 8``, where ``A``
   bounds ``|r''|`` on the interval. SGP4 is an analytic theory of motion under point-mass gravity plus
   J2-J4 and drag, so ``r_i'' = g(r_i) + e_i`` with ``g = -mu r / |r|^3`` and ``|e_i| <= EPS``. J2 at the
   Earth's surface gives 4.9e-5 km/s^2; ``tests/space/test_screening.py`` measures the largest ``|e_i|`` over
   every shared catalogue by finite differences (1.1e-4, a high-drag Cosmos 1408 fragment two months after
   the 2021 ASAT test), and :data:`EPS_KM_S2` = 3e-4 keeps a factor of ~3 over that. Hence
   ``|r''| <= |g(r_j) - g(r_i)| + 2 EPS <= GAMMA |r| + 2 EPS``, where ``GAMMA = 2 mu / rho^3`` bounds the gravity
   gradient (eigenvalues ``mu/r^3 (2, -1, -1)``) anywhere on the segment between the two objects, with
   ``rho = R_FLOOR_KM`` below every chord between points above the Earth that are < 2000 km apart.
   ``|r|`` on the interval is at most ``max(|a|, |b|) + A_ANY dt^2 / 8``, with ``A_ANY = 2 (mu / R_E^2 + EPS)``
   the crude bound for any two objects above the Earth (SGP4 flags states below it as errors).
   So the pair's margin is ``pad = (GAMMA M + 2 EPS) dt^2 / 8`` with ``M = max(|a|, |b|) + A_ANY dt^2 / 8``:
   about 0.1 km for a pair 10 km apart at ``dt = 60 s``.
2. **Segment test.** If ``min |r(t)| <= D`` on the interval, the chord passes within ``D + pad`` of the
   origin: the exact point-to-segment distance is computed for every pair the spatial search returns.
3. **Spatial search.** If the chord passes within ``D + pad`` of the origin at point ``q``, the nearer
   endpoint is within ``|b - a| / 2`` of ``q``, so ``min(|a|, |b|) <= D + pad + |b - a| / 2``, and
   ``|b - a| <= |Δr_i| + |Δr_j| <= 2 S_k`` with ``S_k`` the largest displacement of any object over the interval,
   measured from the samples themselves. At every sample a uniform grid of cells of that size,
   ``radius = D + A_ANY dt^2 / 8 + S`` (``S`` over the two adjacent intervals), puts every pair closer than
   ``radius`` in the same or adjacent cells, a superset of the pairs whose chord can come within
   ``D + pad``. No orbit-shell or orbit-geometry pre-filter is applied: the grid already discards far pairs
   for less than such a filter costs, and it needs no margin of its own. (The grid is compiled with numba:
   it does in ~5 ms per sample what ``scipy.spatial.cKDTree.query_pairs`` plus the chord test did in ~20 ms.)
4. **Refinement.** On a candidate interval ``f(t) = |r|^2`` has ``f''/2 = |r'|^2 + r.r'' >=
   v_lo^2 - M A`` with ``v_lo = (|r'(t_k)| + |r'(t_k+1)| - A dt) / 2`` a lower bound of the relative speed. When
   that is positive ``f`` is strictly convex there, so it has at most one local minimum, inside the half-open
   interval ``(t_k, t_k+1]`` exactly when ``g = r.r'`` goes from negative to non-negative (half-open so that
   each minimum belongs to one interval). Slow pairs that fail the test (co-orbiting objects, formation
   flyers) are sampled every second and each sign change of ``g`` is refined: minima closer together than
   1 s are not told apart. Roots of ``g`` are found by Newton's method kept inside the bracket by bisection,
   with exact SGP4 states, to 1 microsecond; the miss distance is ``|r|`` there.

5. **Window edges.** The smallest distance over the window is at an interior minimum (above) or at an edge:
   a pair under ``D`` at the start while receding, or at the end while approaching, is reported with the edge
   time and a ``window-start`` / ``window-end`` label. Such a pair is a candidate on the edge's interval by
   steps 1-3, and its exact distance and range rate are computed at the edge.

**Re-entries.** The margins assume SGP4 describes an orbit. Once drag has brought an object below
:data:`REENTRY_ALTITUDE_KM`, SGP4 descends to the ground over hours, fails, and then returns meaningless
states (thousands of km up, accelerations of km/s^2). An object is therefore treated as re-entered, and
no longer screened, from the first time SGP4 puts it below 100 km or fails: found every 10 minutes over the
whole window (so every time block agrees) and every sample within a block. The bound ``EPS`` is verified
on the states before that point.

**Ephemerides.** Operator ephemerides (:class:`kompas.space.ephemeris.Ephemeris`, from CCSDS OEMs) are screened
with the element sets through one propagator-like object (:class:`MixedPropagator`: ``grid``/``each``/``at`` in TEME,
error codes per state). The argument above holds with ``r_i`` the ephemeris's interpolant and ``EPS`` replaced
per object by ``eps_i`` (:func:`object_eps`); the pair's pad uses ``eps_i + eps_j`` and the spatial search's
``A_ANY`` the largest ``eps`` of the run (element-set-only runs keep ``EPS`` and the same numbers):

* Between its nodes the interpolant is one polynomial, so ``r_i'' = g(r_i) + e_i`` with ``|e_i|`` bounded by
  :attr:`~kompas.space.ephemeris.Ephemeris.accel_bound_km_s2`: twice the largest ``|r'' - g(r)|`` measured on
  16 points per node interval when the ephemeris is built (module :mod:`kompas.space.ephemeris`).
* At a node a Lagrange interpolant's velocity may jump (Hermite's does not), and at a joined segment boundary (a
  manoeuvre) any interpolant's velocity jumps by the manoeuvre; a velocity jump ``J`` inside a sample interval
  moves the curve off its chord by at most ``J dt / 4`` (the linear interpolation error's Green's function is at
  most ``dt / 4``), the same as an extra acceleration ``2 J / dt`` in the ``dt^2 / 8`` bound. With at most
  ``dt / h + 1`` nodes of spacing ``h`` in an interval, ``eps_i = max(EPS, bound + 2 (dt / h + 1) J / dt)``. The
  same ``eps_i`` enters the convexity test (step 4), whose lower bound on the relative speed then allows for the
  jumps; a Lagrange kink can still make the distance's derivative dip by at most ``2 |r| J`` at a node, i.e. two
  minima within one node's neighbourhood that differ in distance by far less than ``J dt``.
* Outside its useable spans an ephemeris has no state (code
  :data:`~kompas.space.ephemeris.OUTSIDE_SPAN`, never extrapolated): that is not a re-entry, and it ends where
  the next span starts. A span's start or stop strictly inside a sample interval makes that sample's state
  missing, so the interval is cut at every such edge and each piece is screened as an interval of its own
  (steps 1-5 on the piece's two ends: the edges are sample points), for the pairs involving the ephemerides with
  an edge there; a pair under the threshold at a span's edge while receding (start) or approaching (stop) is
  reported at the edge, labelled ``ephemeris-start`` / ``ephemeris-stop``, as at the window's edges (step 5).

Objects whose element sets are identical (docked vehicles and station modules published with the station's
elements) are one object to the screen: each group is screened once under its lowest NORAD id and every other
member is reported once as a *same-object* row. Time blocks are independent (``screen_block``), which is
what :mod:`kompas.space.screening` partitions over threads or over a Dask cluster.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np

from kompas.allocator import return_large_blocks
from kompas.constants import EARTH_RADIUS_WGS72_KM, MU_WGS72_KM3_S2, SECONDS_PER_DAY
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.ephemeris import OUTSIDE_SPAN, Ephemeris
from kompas.space.frames import rotation_from_teme, slow_rotation_from_teme
from kompas.space.propagation import Propagator
from kompas.times import as_ns

MU_KM3_S2 = MU_WGS72_KM3_S2  #: WGS-72 gravitational parameter, as in SGP4, km^3/s^2.
EARTH_RADIUS_KM = EARTH_RADIUS_WGS72_KM  #: WGS-72 equatorial radius, as in SGP4, km.
EPS_KM_S2 = 3.0e-4  #: Bound on SGP4's acceleration minus point-mass gravity (J2-J4, drag), km/s^2.
R_FLOOR_KM = 6000.0  #: Lower bound on the geocentric distance of the segment between two nearby objects.
GAMMA_PER_S2 = 2.0 * MU_KM3_S2 / R_FLOOR_KM**3  #: Gravity-gradient bound, 1/s^2.
A_ANY_KM_S2 = 2.0 * (MU_KM3_S2 / EARTH_RADIUS_KM**2 + EPS_KM_S2)  #: Relative acceleration of any two objects.
REENTRY_ALTITUDE_KM = 100.0  #: Below this SGP4 states are treated as re-entered (see the docstring).
DIVERGED_FACTOR = 2.0  #: A state beyond this many apogee radii is a diverged propagation (:func:`max_radius_km`).
REENTRY_SCAN_S = 600.0  #: Step of the whole-window scan for re-entries.
SLOW_SUBSTEP_S = 1.0  #: Sub-sampling of intervals where a pair's distance is not provably convex.
_TOL_S = 1e-6  #: Newton tolerance on the TCA, seconds.
BLOCK_BYTES = 24 * 2**20  #: Memory for one time block's sampled positions, bytes: sets the block's length.
_BYTES_PER_SAMPLE = 26  #: Per object and sample: its position (24 bytes) and flags.
_CHUNK_SAMPLES = 4  #: Samples propagated at a time (SGP4's output and its copies are this long, not a block).
_SLOW_STATES = 120_000  #: Sub-sampled states of slow intervals evaluated at a time (~30 MB with SGP4's output).
SHELL_MARGIN_KM = 10.0  #: Added to each side of an object's declared radius range (:func:`scan_window`).
_DAY_S = SECONDS_PER_DAY

#: What screening evaluates: an SGP4 element set or an interpolated ephemeris (:mod:`kompas.space.ephemeris`).
Screenable = ElementSet | Ephemeris


class MixedPropagator:
    """SGP4 element sets and ephemerides behind :class:`kompas.space.propagation.Propagator`'s interface
    (``grid``, ``each``, ``at``, ``subset``; TEME, km and km/s, error codes per state: SGP4's, or
    :data:`kompas.space.ephemeris.OUTSIDE_SPAN` outside an ephemeris's useable span)."""

    def __init__(self, objects: Sequence[Screenable]) -> None:
        self.objects = list(objects)
        self._eph = np.array([isinstance(o, Ephemeris) for o in self.objects], dtype=bool)
        self._sgp4_index = np.flatnonzero(~self._eph)
        self._eph_index = np.flatnonzero(self._eph)
        sets = [self.objects[i] for i in self._sgp4_index]
        self._sgp4 = Propagator.from_elements(sets) if sets else None  # type: ignore[arg-type]
        self._sgp4_column = np.full(len(self.objects), -1, dtype=np.int64)  # object -> index in _sgp4
        self._sgp4_column[self._sgp4_index] = np.arange(self._sgp4_index.size)

    def __len__(self) -> int:
        return len(self.objects)

    def grid(self, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every object at every time: states (m, 6, n), codes (m, n)."""
        m, n = len(jd), len(self.objects)
        states = np.empty((m, 6, n))
        codes = np.zeros((m, n), dtype=np.uint8)
        if self._sgp4 is not None:
            states[:, :, self._sgp4_index], codes[:, self._sgp4_index] = self._sgp4.grid(jd, fr)
        for i in self._eph_index:
            teme, code = self.objects[i].teme(jd, fr)  # type: ignore[union-attr]
            states[:, :, i], codes[:, i] = teme.T, code
        return states, codes

    def each(self, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Object ``i`` at its own time ``jd[i] + fr[i]``: states (6, n), codes (n,)."""
        n = len(self.objects)
        states = np.empty((6, n))
        codes = np.zeros(n, dtype=np.uint8)
        if self._sgp4 is not None:
            idx = self._sgp4_index
            states[:, idx], codes[idx] = self._sgp4.each(jd[idx], fr[idx])
        if self._eph_index.size:
            ids = [id(self.objects[i]) for i in self._eph_index]
            for key in set(ids):  # one evaluation per distinct ephemeris
                rows = self._eph_index[[k for k, x in enumerate(ids) if x == key]]
                teme, code = self.objects[rows[0]].teme(jd[rows], fr[rows])
                states[:, rows], codes[rows] = teme, code
        return states, codes

    def at(self, indices: np.ndarray, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Object ``indices[k]`` at its own time ``jd[k] + fr[k]``: states (6, q), codes (q,)."""
        indices = np.asarray(indices, dtype=np.int64)
        states = np.empty((6, indices.size))
        codes = np.zeros(indices.size, dtype=np.uint8)
        column = self._sgp4_column[indices]
        rows = np.flatnonzero(column >= 0)
        if rows.size:
            states[:, rows], codes[rows] = self._sgp4.at(column[rows], jd[rows], fr[rows])  # type: ignore[union-attr]
        for index in np.unique(indices[column < 0]):  # one evaluation per ephemeris
            rows = np.flatnonzero(indices == index)
            teme, code = self.objects[index].teme(jd[rows], fr[rows])
            states[:, rows], codes[rows] = teme, code
        return states, codes

    def subset(self, indices: np.ndarray) -> MixedPropagator | Propagator:
        return make_propagator([self.objects[i] for i in np.asarray(indices, dtype=np.int64)])


def make_propagator(objects: Sequence[Screenable]) -> Propagator | MixedPropagator:
    """SGP4's :class:`Propagator` when every object is an element set (the element-set-only path is unchanged),
    else a :class:`MixedPropagator`."""
    if all(isinstance(o, ElementSet) for o in objects):
        return Propagator.from_elements(objects)  # type: ignore[arg-type]
    return MixedPropagator(objects)


def object_eps(objects: Sequence[Screenable], step_s: float) -> np.ndarray:
    """Per object, the bound on ``|r'' - g(r)|`` the margins use (docstring, "Ephemerides"), km/s^2."""
    eps = np.full(len(objects), EPS_KM_S2)
    for index, o in enumerate(objects):
        if isinstance(o, Ephemeris):
            spacing = min(float(np.min(np.diff(s.times_s))) for s in o.spans)
            kinks = (np.floor(step_s / spacing) + 1.0) * o.kink_km_s  # velocity jumps inside one sample interval
            eps[index] = max(EPS_KM_S2, o.accel_bound_km_s2 + 2.0 * kinks / step_s)
    return eps


def relative_any_km_s2(eps: np.ndarray) -> float:
    """Crude bound on the relative acceleration of any two objects above the Earth (A_ANY with these eps)."""
    return 2.0 * (MU_KM3_S2 / EARTH_RADIUS_KM**2 + float(eps.max(initial=EPS_KM_S2)))


@dataclass(frozen=True, slots=True)  # slots: a day of the catalogue holds ~70,000 of them
class Conjunction:
    """One close approach. Distances km, speeds km/s, states (x, y, z, vx, vy, vz) in ``frame`` at TCA.

    ``rtn_km`` / ``rtn_velocity_km_s``: the secondary relative to the primary, in the primary's radial,
    transverse (along-track) and normal frame. ``label`` is ``""`` for a close approach inside the window,
    ``"window-start"`` / ``"window-end"`` when the pair is under the threshold at the window's edge and its
    closest approach lies outside the window (the row gives the edge time and distance), or ``"same-object"``;
    ``same_object_ids`` lists the objects that share the primary's and secondary's element sets.
    """

    primary_id: int
    secondary_id: int
    primary_name: str
    secondary_name: str
    tca_utc: np.datetime64
    miss_km: float
    v_rel_km_s: float
    rtn_km: tuple[float, float, float]
    rtn_velocity_km_s: tuple[float, float, float]
    primary_state: tuple[float, ...]
    secondary_state: tuple[float, ...]
    frame: str = "GCRS"
    label: str = ""
    same_object_ids: tuple[int, ...] = ()


@dataclass
class ScreeningResult:
    """All conjunctions of a screening run, sorted by TCA, and what the run did."""

    conjunctions: Sequence[Conjunction]  #: a list, or :class:`Conjunctions` (columns read as objects)
    threshold_km: float
    start_utc: np.datetime64
    end_utc: np.datetime64
    step_s: float
    objects: int
    errors: dict[int, int] = field(default_factory=dict)  #: NORAD id -> first SGP4 error code in the window.
    candidates: int = 0  #: (pair, interval) tuples that passed the segment test.
    jobs: int = 0  #: time blocks times pair partitions.
    escaped: tuple[int, ...] = ()  #: NORAD ids that left their declared shell (partitioned runs; screened again).


@dataclass(frozen=True)
class BlockJob:
    """One time block of a screening run: samples ``first .. first + count`` (inclusive) of the run's grid.

    ``members``: the indices into ``elsets`` of the objects this job screens (None: all of them), for a partition
    of the pairs (:func:`pair_partitions`); with ``side_a`` > 0 only pairs with one object among the first
    ``side_a`` members and one among the others are screened. ``shells_km`` (n, 2): every object's declared
    radius range; an object whose samples leave it is reported in :attr:`BlockResult.escaped`.
    """

    elsets: tuple[Screenable, ...]
    start_utc: np.datetime64
    step_s: float
    first: int
    count: int
    threshold_km: float
    primaries: np.ndarray | None  # bool mask over elsets, or None for all-vs-all
    reentry_s: np.ndarray  # per object: offset from the run start at which it counts as re-entered (inf: never)
    end_s: float = np.inf  # the window's end, seconds from the run start
    start_edge: bool = True  # report pairs under the threshold at the first sample while receding (window start)
    members: np.ndarray | None = None
    side_a: int = 0
    shells_km: np.ndarray | None = None
    a_any: float | None = None  # the run's A_ANY (:func:`relative_any_km_s2`), so every partition uses the same


@dataclass
class BlockResult:
    """Close approaches found in one block: object indices, TCA offsets from the run start (s), TEME states;
    ``escaped``: indices of objects whose samples left their declared radius range (pair partitions only)."""

    i: np.ndarray
    j: np.ndarray
    tca_s: np.ndarray
    state_i: np.ndarray  # (q, 6)
    state_j: np.ndarray
    errors: dict[int, int]
    candidates: int
    escaped: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


_CELL_BITS = 21  # cell indices per axis in a 63-bit key: +-2^20 cells of >= 100 km, beyond the Moon
_CELL_OFFSET = 1 << (_CELL_BITS - 1)


@numba.njit(cache=True, nogil=True, inline="always")
def _chord_passes(pos: np.ndarray, k: int, kk: int, i: int, j: int, threshold: float,
                  h: float, eps: np.ndarray, a_any: float) -> bool:  # pragma: no cover - compiled
    """True when the chord of pair (i, j) over samples k, kk passes within D + pad (docstring, steps 1-2)."""
    ax = pos[k, j, 0] - pos[k, i, 0]
    ay = pos[k, j, 1] - pos[k, i, 1]
    az = pos[k, j, 2] - pos[k, i, 2]
    bx = pos[kk, j, 0] - pos[kk, i, 0]
    by = pos[kk, j, 1] - pos[kk, i, 1]
    bz = pos[kk, j, 2] - pos[kk, i, 2]
    dx, dy, dz = bx - ax, by - ay, bz - az
    dd = dx * dx + dy * dy + dz * dz
    s = 0.0
    if dd > 0.0:
        s = min(1.0, max(0.0, -(ax * dx + ay * dy + az * dz) / dd))
    qx, qy, qz = ax + s * dx, ay + s * dy, az + s * dz
    big = max(np.sqrt(ax * ax + ay * ay + az * az), np.sqrt(bx * bx + by * by + bz * bz)) + a_any * h
    limit = threshold + (GAMMA_PER_S2 * big + eps[i] + eps[j]) * h
    return qx * qx + qy * qy + qz * qz <= limit * limit  # False for NaN states


@numba.njit(cache=True, nogil=True)
def _sample_candidates(pos: np.ndarray, k: int, radius: float, threshold: float, dt: float, primaries: np.ndarray,
                       mode: int, out: np.ndarray, eps: np.ndarray,
                       a_any: float) -> int:  # pragma: no cover
    """Candidate (i, j, interval) rows from sample ``k`` written to ``out``; returns how many (``-1`` when
    ``out`` is too small). A uniform grid of cells of size ``radius`` puts every pair closer than ``radius``
    in the same or adjacent cells; those pairs get the chord test (docstring, step 3). ``mode`` 0: every pair;
    1: only pairs with at least one ``primaries`` object; 2: only pairs with exactly one (a partition's cross pairs).
    """
    n, m = pos.shape[1], pos.shape[0]
    h = dt * dt / 8.0
    radius2 = radius * radius
    keys = np.empty(n, dtype=np.int64)
    valid = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        x, y, z = pos[k, i, 0], pos[k, i, 1], pos[k, i, 2]
        if np.isfinite(x) and np.isfinite(y) and np.isfinite(z):
            valid[i] = True
            cx = np.int64(np.floor(x / radius)) + _CELL_OFFSET
            cy = np.int64(np.floor(y / radius)) + _CELL_OFFSET
            cz = np.int64(np.floor(z / radius)) + _CELL_OFFSET
            keys[i] = (cx << (2 * _CELL_BITS)) | (cy << _CELL_BITS) | cz
    members = np.flatnonzero(valid)
    order = members[np.argsort(keys[members])]
    sorted_keys = keys[order]
    # Cells: distinct keys and their [start, end) ranges in ``order``.
    cell_start = np.empty(order.size + 1, dtype=np.int64)
    cells = 0
    for q in range(order.size):
        if q == 0 or sorted_keys[q] != sorted_keys[q - 1]:
            cell_start[cells] = q
            cells += 1
    cell_start[cells] = order.size
    cell_keys = np.empty(cells, dtype=np.int64)
    for u in range(cells):
        cell_keys[u] = sorted_keys[cell_start[u]]
    here = np.empty((order.size, 3))  # positions in cell order, for memory locality
    for q in range(order.size):
        here[q, 0], here[q, 1], here[q, 2] = pos[k, order[q], 0], pos[k, order[q], 1], pos[k, order[q], 2]
    c = 0
    step_y, step_x = np.int64(1) << _CELL_BITS, np.int64(1) << (2 * _CELL_BITS)
    cursor = np.zeros(9, dtype=np.int64)  # per (x, y) neighbour row: merge-join position in cell_keys
    for u in range(cells):
        key = cell_keys[u]
        for row in range(9):
            low = key + (row // 3 - 1) * step_x + (row % 3 - 1) * step_y - 1
            if low + 2 < key:  # the three cells along z all precede this one: seen from there
                continue
            w = cursor[row]
            while w < cells and cell_keys[w] < max(low, key):
                w += 1
            cursor[row] = w
            while w < cells and cell_keys[w] <= low + 2:
                for p in range(cell_start[u], cell_start[u + 1]):
                    x, y, z = here[p, 0], here[p, 1], here[p, 2]
                    first = p + 1 if w == u else cell_start[w]
                    for q in range(first, cell_start[w + 1]):
                        dx, dy, dz = here[q, 0] - x, here[q, 1] - y, here[q, 2] - z
                        if dx * dx + dy * dy + dz * dz > radius2:
                            continue
                        i, j = order[p], order[q]
                        if mode == 1 and not (primaries[i] or primaries[j]):
                            continue
                        if mode == 2 and primaries[i] == primaries[j]:
                            continue
                        a, b = (i, j) if i < j else (j, i)
                        for kk in (k - 1, k + 1):
                            if 0 <= kk < m and _chord_passes(pos, k, kk, a, b, threshold, h, eps, a_any):
                                if c == out.shape[0]:
                                    return -1
                                out[c, 0], out[c, 1], out[c, 2] = a, b, min(k, kk)
                                c += 1
                w += 1
    return c


@numba.njit(cache=True, nogil=True)
def _largest_steps(pos: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Largest displacement of any object between consecutive samples, (m - 1,) km; NaN states ignored."""
    m, n = pos.shape[0], pos.shape[1]
    out = np.zeros(m - 1)
    for k in range(m - 1):
        for i in range(n):
            dx = pos[k + 1, i, 0] - pos[k, i, 0]
            dy = pos[k + 1, i, 1] - pos[k, i, 1]
            dz = pos[k + 1, i, 2] - pos[k, i, 2]
            d2 = dx * dx + dy * dy + dz * dz
            if d2 > out[k]:  # False for NaN
                out[k] = d2
    return np.sqrt(out)


def same_object_groups(elsets: Sequence[Screenable]) -> list[list[int]]:
    """Indices of element sets with identical epoch and elements, or of ephemerides with identical node times and
    polynomials (a docked vehicle published with its station's ephemeris), groups of two or more, lowest id first."""
    groups: dict[tuple, list[int]] = {}
    for index, e in enumerate(elsets):
        key: tuple
        if isinstance(e, Ephemeris):
            key = ("ephemeris", e.reference_utc, e.method, e.nodes,
                   tuple((s.times_s.tobytes(), s.coefficients.tobytes()) for s in e.spans))
        else:
            key = (e.epoch_utc, e.mean_motion_rev_day, e.eccentricity, e.inclination_deg, e.raan_deg,
                   e.arg_perigee_deg, e.mean_anomaly_deg, e.bstar_per_earth_radii)
        groups.setdefault(key, []).append(index)
    return [sorted(g, key=lambda x: elsets[x].norad_id) for g in groups.values() if len(g) > 1]


def _julian(start_utc: np.datetime64, offsets_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Julian date (day, fraction) of ``start + offsets`` with the offset added to the fraction exactly."""
    jd, fr = split_julian_date(np.array([start_utc], dtype="datetime64[ns]"))
    return np.full(offsets_s.shape, jd[0]), fr[0] + offsets_s / _DAY_S


def max_radius_km(elsets: Sequence[Screenable]) -> np.ndarray:
    """Per object, the geocentric distance (km) beyond which its SGP4 state is not an orbit but a diverged
    propagation: :data:`DIVERGED_FACTOR` times its apogee radius at epoch.

    SGP4 does not always flag an object that has decayed: propagated weeks past its re-entry, a low set's mean
    motion collapses and the state flies off (seen in the shared history: 2023-085H, perigee 230 km on 2026-03-16,
    16 million km away on 2026-04-29 with SGP4 error 0). Lunisolar terms move real apogees by far less.
    An ephemeris: the factor times its largest node radius.
    """
    return np.array([DIVERGED_FACTOR * (e.max_radius_km if isinstance(e, Ephemeris) else
                                        EARTH_RADIUS_KM + e.apogee_altitude_km) for e in elsets])


def reentered(states: np.ndarray, codes: np.ndarray, max_radius: np.ndarray | None = None) -> np.ndarray:
    """(m, n) True where SGP4 failed, put the object below :data:`REENTRY_ALTITUDE_KM` or, given ``max_radius``
    (n,) km (:func:`max_radius_km`), beyond it. States outside an ephemeris's useable span (code
    :data:`kompas.space.ephemeris.OUTSIDE_SPAN`) are not re-entries: see :func:`unavailable`."""
    radius2 = np.einsum("mkn,mkn->mn", states[:, 0:3, :], states[:, 0:3, :])
    with np.errstate(invalid="ignore"):
        gone = (codes != 0) | ~(radius2 >= (EARTH_RADIUS_KM + REENTRY_ALTITUDE_KM) ** 2)
        if max_radius is not None:
            gone |= radius2 > max_radius[None, :] ** 2
    return gone & (codes != OUTSIDE_SPAN)


def unavailable(states: np.ndarray, codes: np.ndarray, max_radius: np.ndarray, reentered_after: np.ndarray,
                offsets: np.ndarray) -> np.ndarray:
    """(m, n) True where an object has no state to screen: re-entered at or before that sample (for good), or
    outside an ephemeris's useable span (only there)."""
    gone = np.logical_or.accumulate(reentered(states, codes, max_radius)
                                    | (offsets[:, None] >= reentered_after[None, :]), axis=0)
    return gone | (codes == OUTSIDE_SPAN)


def reentry_offsets(prop: Propagator | MixedPropagator, start_utc: np.datetime64, duration_s: float,
                    max_radius: np.ndarray | None = None) -> np.ndarray:
    """Per object, the offset (s) of the first :data:`REENTRY_SCAN_S` sample at which it has re-entered (or
    diverged beyond ``max_radius``, see :func:`reentered`)."""
    return scan_window(prop, start_utc, duration_s, max_radius)[0]


def scan_window(prop: Propagator | MixedPropagator, start_utc: np.datetime64, duration_s: float,
                max_radius: np.ndarray | None = None, eps: np.ndarray | None = None, threshold_km: float = 0.0
                ) -> tuple[np.ndarray, np.ndarray]:
    """One pass over the window every :data:`REENTRY_SCAN_S` (propagated :data:`_CHUNK_SAMPLES` samples at a
    time): per object the re-entry offset (:func:`reentry_offsets`) and its declared radius range (n, 2) km.

    The range is the smallest osculating perigee and largest osculating apogee radius of the two-body conics through
    the scanned states (a conic's radius stays between them), widened by how far the object can leave the conic in
    the half scan step each conic stands for (``eps (REENTRY_SCAN_S / 2)^2 / 2``: 13.5 km with :data:`EPS_KM_S2`),
    by :data:`SHELL_MARGIN_KM` and by half the threshold: two objects whose ranges do not overlap never come within
    the threshold (:func:`pair_partitions`; every screened sample checks it again, :attr:`BlockResult.escaped`).
    An object with no state in the window gets an empty range; an open osculating orbit an unbounded one."""
    offsets = np.arange(0.0, duration_s + REENTRY_SCAN_S, REENTRY_SCAN_S)
    jd, fr = _julian(start_utc, offsets)
    n = len(prop)
    out = np.full(n, np.inf)
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    for lo in range(0, len(offsets), _CHUNK_SAMPLES):
        states, codes = prop.grid(jd[lo:lo + _CHUNK_SAMPLES], fr[lo:lo + _CHUNK_SAMPLES])
        gone = reentered(states, codes, max_radius)
        new = gone.any(axis=0) & np.isinf(out)
        out[new] = offsets[lo + np.argmax(gone[:, new], axis=0)]
        r, v = states[:, 0:3, :], states[:, 3:6, :]  # (c, 3, n)
        with np.errstate(invalid="ignore", divide="ignore"):
            radius = np.sqrt(np.einsum("ckn,ckn->cn", r, r))
            energy = 0.5 * np.einsum("ckn,ckn->cn", v, v) - MU_KM3_S2 / radius
            h2 = np.einsum("ckn,ckn->cn", np.cross(r, v, axis=1), np.cross(r, v, axis=1))
            e = np.sqrt(np.maximum(0.0, 1.0 + 2.0 * energy * h2 / MU_KM3_S2**2))
            perigee = h2 / MU_KM3_S2 / (1.0 + e)
            apogee = np.where(e < 1.0, h2 / MU_KM3_S2 / (1.0 - e), np.inf)
            usable = ~gone & (codes == 0)
            low = np.fmin(low, np.where(usable, perigee, np.inf).min(axis=0))
            high = np.fmax(high, np.where(usable, apogee, -np.inf).max(axis=0))
    eps = np.full(n, EPS_KM_S2) if eps is None else eps
    widen = 0.5 * eps * (0.5 * REENTRY_SCAN_S) ** 2 + SHELL_MARGIN_KM + 0.5 * threshold_km
    return out, np.stack([low - widen, high + widen], axis=1)


def _relative(states_i: np.ndarray, states_j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Relative position and velocity (j minus i), states (..., 6) -> two (..., 3) arrays."""
    d = states_j - states_i
    return d[..., 0:3], d[..., 3:6]


def _two_body_relative_acceleration(states_i: np.ndarray, states_j: np.ndarray) -> np.ndarray:
    def acc(s: np.ndarray) -> np.ndarray:
        r = s[..., 0:3]
        return -MU_KM3_S2 * r / np.linalg.norm(r, axis=-1, keepdims=True) ** 3
    return acc(states_j) - acc(states_i)


def _find_roots(prop: Propagator | MixedPropagator, start_utc: np.datetime64, i: np.ndarray, j: np.ndarray,
                lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Root of ``g = r.v`` in each bracket ``(lo, hi]`` (seconds from ``start``), ``g(lo) < 0 <= g(hi)``.

    Safeguarded Newton with exact SGP4 states; ``g' ~ |v|^2 + r.a`` with two-body accelerations (only the
    step size depends on that approximation, not the root). Returns times and both objects' states.
    """
    n = i.size
    both = np.concatenate([i, j])
    t = 0.5 * (lo + hi)
    lo, hi = lo.copy(), hi.copy()
    done = np.zeros(t.shape, dtype=bool)  # converged: no longer moved, so each root is the same in any batch
    for _ in range(60):
        act = np.flatnonzero(~done)
        if not act.size:
            break
        ta = t[act]
        s = prop.at(np.concatenate([i[act], j[act]]), *_julian(start_utc, np.concatenate([ta, ta])))[0].T
        si, sj = s[:act.size], s[act.size:]
        r, v = _relative(si, sj)
        g = np.einsum("ij,ij->i", r, v)
        dg = np.einsum("ij,ij->i", v, v) + np.einsum("ij,ij->i", r, _two_body_relative_acceleration(si, sj))
        lo[act] = np.where(g < 0, ta, lo[act])
        hi[act] = np.where(g >= 0, ta, hi[act])
        la, ha = lo[act], hi[act]
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = ta - g / dg
        bad = ~((newton > la) & (newton < ha)) | ~np.isfinite(newton)
        step = np.where(bad, 0.5 * (la + ha), newton) - ta
        t[act] = ta + step
        done[act] = (np.abs(step) < _TOL_S) | ~np.isfinite(g)
    s = prop.at(both, *_julian(start_utc, np.concatenate([t, t])))[0].T
    return t, s[:n], s[n:]


@dataclass
class _Prepared:
    """What every block of a run needs about its objects, built once per process: the propagator, the diverged
    radii, the acceleration bounds."""

    prop: Propagator | MixedPropagator
    bound: np.ndarray
    eps: np.ndarray


_PREPARED: OrderedDict[tuple[int, bytes | None, float], tuple[tuple, _Prepared]] = OrderedDict()
_PREPARED_LOCK = threading.Lock()


def _prepared(elsets: tuple[Screenable, ...], members: np.ndarray | None, step_s: float) -> _Prepared:
    """The :class:`_Prepared` of ``elsets[members]``, cached for the few runs and partitions a process works on
    (the blocks of a run share one: building SGP4 for 15,000 objects costs a third of a second)."""
    key = (id(elsets), None if members is None else members.tobytes(), step_s)
    with _PREPARED_LOCK:
        hit = _PREPARED.get(key)
        if hit is not None and hit[0] is elsets:
            _PREPARED.move_to_end(key)
            return hit[1]
    objects = elsets if members is None else [elsets[int(x)] for x in members]
    made = _Prepared(make_propagator(objects), max_radius_km(objects), object_eps(objects, step_s))
    with _PREPARED_LOCK:
        _PREPARED[key] = (elsets, made)
        while len(_PREPARED) > 8:
            _PREPARED.popitem(last=False)
    return made


def block_samples(objects: int, step_s: float = 60.0, duration_s: float = np.inf) -> int:
    """Samples per time block so that one block's positions take about :data:`BLOCK_BYTES` (16 to 360: shorter
    blocks would spend more on the sample each block repeats than they save)."""
    wanted = int(BLOCK_BYTES // (_BYTES_PER_SAMPLE * max(objects, 1)))
    return int(max(1, min(max(16, min(360, wanted)), np.ceil(duration_s / step_s))))


def _sampled_positions(prep: _Prepared, job: BlockJob, offsets: np.ndarray, reentry_s: np.ndarray
                       ) -> tuple[np.ndarray, dict[int, int]]:
    """Positions (m, n, 3) of the block's objects at its samples, NaN where an object has no state to screen
    (:func:`unavailable`), and the first error per object; propagated :data:`_CHUNK_SAMPLES` at a time so that
    SGP4's output and its copies never span the block. Velocities are not kept: the candidates' are computed
    again (:func:`_states_at`), a few thousand states against the block's million."""
    m, n = len(offsets), len(prep.prop)
    pos = np.empty((m, n, 3))
    jd, fr = _julian(job.start_utc, offsets)
    before = np.zeros(n, dtype=bool)  # re-entered in an earlier chunk: gone for good
    errors: dict[int, int] = {}
    for lo in range(0, m, _CHUNK_SAMPLES):
        hi = min(m, lo + _CHUNK_SAMPLES)
        states, codes = prep.prop.grid(jd[lo:hi], fr[lo:hi])  # (c, 6, n)
        gone = np.logical_or.accumulate(reentered(states, codes, prep.bound)
                                        | (offsets[lo:hi, None] >= reentry_s[None, :]), axis=0) | before
        before = gone[-1].copy()  # a copy: the span flags below must not carry over
        gone |= codes == OUTSIDE_SPAN
        for obj in np.flatnonzero(gone.any(axis=0)):
            if int(obj) not in errors:
                first = np.flatnonzero(gone[:, obj])[0]
                far = np.linalg.norm(states[first, 0:3, obj]) > prep.bound[obj]
                errors[int(obj)] = int(codes[first, obj]) or (7 if far else 6)
        if gone.any():
            states[np.broadcast_to(gone[:, None, :], states.shape)] = np.nan
        pos[lo:hi] = states[:, 0:3, :].transpose(0, 2, 1)
    return pos, errors


def _states_at(prop: Propagator | MixedPropagator, start_utc: np.datetime64, objects: np.ndarray,
               offsets_s: np.ndarray) -> np.ndarray:
    """States (q, 6) of ``objects[k]`` at ``offsets_s[k]`` seconds from ``start_utc`` (no propagator per query:
    :meth:`kompas.space.propagation.Propagator.at`)."""
    return prop.at(objects, *_julian(start_utc, offsets_s))[0].T


def _escaped(pos: np.ndarray, shells: np.ndarray, s_max: np.ndarray, a_any: float, dt: float, threshold: float
             ) -> np.ndarray:
    """Objects (local indices) whose radius may come within half the threshold of the edges of their declared range
    ``shells`` (n, 2) km between or at the samples (so two objects in ranges that do not overlap stay more than the
    threshold apart). Between two samples an object is within ``A dt^2 / 8`` of its chord (``A``: one object's
    acceleration bound, half of ``a_any``), and a chord of length ``L`` between radii of at least ``r`` comes no
    closer to the centre than ``r - L^2 / (4 r)``; ``L`` is at most the largest step ``s_max``."""
    radius = np.sqrt(np.einsum("mnk,mnk->mn", pos, pos))
    with np.errstate(invalid="ignore"):
        low, high = np.nanmin(radius, axis=0), np.nanmax(radius, axis=0)
    sag = float(np.max(s_max, initial=0.0)) ** 2 / (4.0 * R_FLOOR_KM) + 0.5 * a_any * dt * dt / 8.0
    seen = np.isfinite(low)
    half = 0.5 * threshold
    return np.flatnonzero(seen & ((low - sag < shells[:, 0] + half) | (high + sag > shells[:, 1] - half)))


def screen_block(job: BlockJob) -> BlockResult:
    """Screen one time block (pure function of its job: the unit of work for threads and Dask)."""
    return_large_blocks()  # in a Dask worker too
    members = job.members
    prep = _prepared(job.elsets, members, job.step_s)
    prop, eps = prep.prop, prep.eps
    local = (lambda x: x) if members is None else (lambda x: x[members])
    a_any = job.a_any if job.a_any is not None else relative_any_km_s2(eps)
    offsets = (job.first + np.arange(job.count + 1)) * job.step_s
    pos, errors = _sampled_positions(prep, job, offsets, local(job.reentry_s))
    m, dt, h = len(offsets), job.step_s, job.step_s**2 / 8.0
    s_max = _largest_steps(pos)
    escaped = np.empty(0, dtype=np.int64)
    if job.shells_km is not None:
        escaped = _escaped(pos, local(job.shells_km), s_max, a_any, dt, job.threshold_km)
    found, buffer = [], np.empty((4096, 3), dtype=np.int64)
    if job.side_a:
        mode, primaries = 2, np.arange(pos.shape[1]) < job.side_a
    elif job.primaries is not None:
        mode, primaries = 1, local(job.primaries)
    else:
        mode, primaries = 0, np.zeros(pos.shape[1], dtype=bool)
    for k in range(m):
        s = max(s_max[k - 1] if k > 0 else 0.0, s_max[k] if k < m - 1 else 0.0)
        radius = job.threshold_km + a_any * h + s
        while (count := _sample_candidates(pos, k, radius, job.threshold_km, dt, primaries, mode, buffer, eps,
                                           a_any)) < 0:
            buffer = np.empty((2 * len(buffer), 3), dtype=np.int64)
        found.append(buffer[:count].astype(np.int32))  # compact: (i, j, interval) as 32-bit integers
    cand = (np.unique(np.concatenate(found), axis=0) if found else np.empty((0, 3), dtype=np.int32)).astype(np.int64)
    ci, cj, ck = cand[:, 0], cand[:, 1], cand[:, 2]

    # Convexity test (docstring, step 4) on each candidate interval.
    q = len(ck)
    ends = _states_at(prop, job.start_utc, np.concatenate([ci, cj, ci, cj]),
                      np.concatenate([offsets[ck], offsets[ck], offsets[ck + 1], offsets[ck + 1]]))
    at_k = ends[:q], ends[q:2 * q]  # both objects at the interval's start, then at its end
    a, va = _relative(*at_k)
    b, vb = _relative(ends[2 * q:3 * q], ends[3 * q:])
    na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    big = np.maximum(na, nb) + a_any * h
    acc = GAMMA_PER_S2 * big + eps[ci] + eps[cj]
    v_lo = 0.5 * (np.linalg.norm(va, axis=1) + np.linalg.norm(vb, axis=1) - acc * dt)
    convex = (v_lo > 0) & (v_lo**2 > big * acc)
    ga, gb = np.einsum("ij,ij->i", a, va), np.einsum("ij,ij->i", b, vb)
    take = convex & (ga < 0) & (gb >= 0)
    bi, bj = [ci[take]], [cj[take]]
    blo, bhi = [offsets[ck[take]]], [offsets[ck[take] + 1]]

    sub = int(np.ceil(dt / SLOW_SUBSTEP_S))
    frac = np.arange(sub + 1) / sub
    every = max(1, _SLOW_STATES // (sub + 1))  # slow intervals at a time: their sub-samples' states stay small
    for first in range(0, int((~convex).sum()), every):
        slow = np.flatnonzero(~convex)[first:first + every]
        ti = offsets[ck[slow]][:, None] + dt * frac[None, :]  # (q, sub+1)
        both = _states_at(prop, job.start_utc, np.concatenate([np.repeat(ci[slow], sub + 1),
                                                               np.repeat(cj[slow], sub + 1)]),
                          np.concatenate([ti.ravel(), ti.ravel()]))
        r, v = _relative(both[:ti.size], both[ti.size:])
        g = np.einsum("ij,ij->i", r, v).reshape(ti.shape)
        row, col = np.nonzero((g[:, :-1] < 0) & (g[:, 1:] >= 0))
        bi.append(ci[slow][row])
        bj.append(cj[slow][row])
        blo.append(ti[row, col])
        bhi.append(ti[row, col + 1])

    ri, rj = np.concatenate(bi), np.concatenate(bj)
    lo, hi = np.concatenate(blo), np.concatenate(bhi)
    if ri.size:
        tca, si, sj = _find_roots(prop, job.start_utc, ri, rj, lo, hi)
        miss = np.linalg.norm(sj[:, 0:3] - si[:, 0:3], axis=1)
        keep = miss <= job.threshold_km
    else:
        tca, si, sj, keep = lo, np.empty((0, 6)), np.empty((0, 6)), np.zeros(0, dtype=bool)
    found = [ri[keep], rj[keep], tca[keep], si[keep], sj[keep]]
    for edge in _window_edges(job, prop, offsets, ci, cj, ck, *at_k):
        found = [np.concatenate([x, y]) for x, y in zip(found, edge, strict=True)]
    if members is not None:  # back to indices into the run's objects
        found[0], found[1], escaped = members[found[0]], members[found[1]], members[escaped]
        errors = {int(members[k]): code for k, code in errors.items()}
    return BlockResult(found[0], found[1], found[2], found[3], found[4], errors, len(cand), escaped)


def _window_edges(job: BlockJob, prop: Propagator | MixedPropagator, offsets: np.ndarray, ci: np.ndarray,
                  cj: np.ndarray, ck: np.ndarray, start_i: np.ndarray, start_j: np.ndarray
                  ) -> list[tuple[np.ndarray, ...]]:
    """Pairs under the threshold at the window's start while receding, or at its end while approaching.

    Their smallest distance inside the window is at the edge (the true TCA lies outside it); every such pair
    is a candidate on the edge's interval, because the chord test bounds the distance over the whole interval.
    Returned like the interior minima (i, j, time, state_i, state_j), at the edge time. ``start_i``,
    ``start_j``: both objects' states (q, 6) at each candidate interval's start.
    """
    edges: list[tuple[np.ndarray, ...]] = []
    if job.first == 0 and job.start_edge:
        at = np.flatnonzero(ck == 0)
        r, v = _relative(start_i[at], start_j[at])
        take = (np.einsum("ij,ij->i", r, v) >= 0) & (np.linalg.norm(r, axis=1) <= job.threshold_km)
        edges.append((ci[at][take], cj[at][take], np.zeros(int(take.sum())), start_i[at][take], start_j[at][take]))
    at = np.flatnonzero((offsets[ck] < job.end_s) & (offsets[ck + 1] >= job.end_s))
    if at.size:
        both = _states_at(prop, job.start_utc, np.concatenate([ci[at], cj[at]]), np.full(2 * at.size, job.end_s))
        si, sj = both[:at.size], both[at.size:]
        r, v = _relative(si, sj)
        keep = (np.einsum("ij,ij->i", r, v) < 0) & (np.linalg.norm(r, axis=1) <= job.threshold_km)
        edges.append((ci[at][keep], cj[at][keep], np.full(int(keep.sum()), job.end_s), si[keep], sj[keep]))
    return edges


def rtn(primary: np.ndarray, secondary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Secondary relative to primary in the primary's RTN frame: positions and velocities (..., 3)."""
    r, v = primary[..., 0:3], primary[..., 3:6]
    radial = r / np.linalg.norm(r, axis=-1, keepdims=True)
    normal = np.cross(r, v)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    transverse = np.cross(normal, radial)
    axes = np.stack([radial, transverse, normal], axis=-2)  # (..., 3, 3)
    dr, dv = _relative(primary, secondary)
    return np.einsum("...ij,...j->...i", axes, dr), np.einsum("...ij,...j->...i", axes, dv)


def serial_map(function: Callable, jobs: Sequence) -> Iterable:
    """Run jobs one after the other (the reference for the threaded and Dask runs)."""
    return map(function, jobs)


def thread_map(threads: int) -> Callable[[Callable, Sequence], Iterable]:
    """Run jobs on a thread pool: the tree search, the compiled kernels and heyoka release the GIL."""
    def run(function: Callable, jobs: Sequence) -> Iterable:
        with ThreadPoolExecutor(threads) as pool:
            yield from pool.map(function, jobs)
    return run


def _with_objects(function: Callable, job: BlockJob, elsets: tuple[Screenable, ...]) -> Any:  # noqa: ANN401
    """``function(job)`` with the job's objects put back (sent to each Dask worker once, not with every job)."""
    return function(dataclasses.replace(job, elsets=elsets))


def dask_map(client: Any) -> Callable[[Callable, Sequence], Iterable]:
    """Run jobs on a Dask cluster (``distributed.Client``: a ``LocalCluster`` of processes or a scheduler's
    address), yielding results in the jobs' order. Each distinct object list is scattered to every worker once;
    the jobs travel without it (a worker builds its propagator once per run and partition)."""
    def run(function: Callable, jobs: Sequence) -> Iterable:
        sent: dict[int, Any] = {}
        for job in jobs:
            if id(job.elsets) not in sent:
                sent[id(job.elsets)] = client.scatter([job.elsets], broadcast=True, hash=False)[0]
        futures = client.map(_with_objects, [function] * len(jobs),
                             [dataclasses.replace(job, elsets=()) for job in jobs],
                             [sent[id(job.elsets)] for job in jobs], pure=False)
        try:
            for future in futures:
                yield future.result()
        finally:
            client.cancel(futures)
    return run


def pair_partitions(shells: np.ndarray, parts: int) -> list[tuple[np.ndarray, int]]:
    """A partition of the pairs of objects with declared radius ranges ``shells`` (n, 2) into jobs
    ``(members, side_a)`` (:class:`BlockJob`): the objects are split into about ``parts`` groups by their range's
    middle, the ones whose range is wider than every group's middle spread (eccentric orbits) in a group of their
    own; each pair of groups whose ranges overlap is one job (all pairs within a group; the cross pairs of two), and
    a pair of groups whose ranges do not overlap is never screened. Every pair whose ranges overlap lies in exactly
    one job."""
    n = len(shells)
    if parts <= 1 or n < 2:
        return [(np.arange(n), 0)]
    middle, width = shells.mean(axis=1), shells[:, 1] - shells[:, 0]
    finite = np.isfinite(width)  # an open osculating orbit (no apogee) or no state at all: with the wide ones
    wide_cut = np.quantile(width[finite], 0.95) if finite.any() else np.inf  # eccentric orbits span every shell:
    wide = np.flatnonzero(~finite | (width > wide_cut))  # apart, so the other groups stay narrow
    narrow = np.flatnonzero(finite & (width <= wide_cut))
    groups = [g for g in np.array_split(narrow[np.argsort(middle[narrow], kind="stable")], max(1, parts - 1))
              if g.size] + ([wide] if wide.size else [])
    ranges = [(shells[g, 0].min(), shells[g, 1].max()) for g in groups]
    jobs = []
    for a in range(len(groups)):
        for b in range(a, len(groups)):
            if a == b:
                jobs.append((np.sort(groups[a]), 0))
            elif ranges[a][0] <= ranges[b][1] and ranges[b][0] <= ranges[a][1]:
                jobs.append((np.concatenate([np.sort(groups[a]), np.sort(groups[b])]), int(groups[a].size)))
    return jobs


def screen(elsets: Sequence[Screenable], start_utc: np.datetime64, duration_s: float, threshold_km: float, *,
           primaries: Iterable[int] | None = None, step_s: float = 60.0, block_steps: int | None = None,
           partitions: int = 1, map_blocks: Callable[[Callable, Sequence], Iterable] = serial_map,
           progress: Callable[[int, int], None] | None = None) -> ScreeningResult:
    """Every close approach under ``threshold_km`` between ``start`` and ``start + duration_s``.

    ``elsets``: SGP4 element sets and ephemerides (:class:`kompas.space.ephemeris.Ephemeris`), mixed freely.
    ``primaries``: NORAD ids screened against everything (``None``: all vs all). Each conjunction lists the
    lower id first in all-vs-all mode and the primary first otherwise. ``map_blocks(screen_block, jobs)``
    runs the independent jobs (serially, on threads or on Dask); ``progress(done, total)`` counts them.

    The jobs are time blocks of ``block_steps`` samples (None: sized by :func:`block_samples` to about
    :data:`BLOCK_BYTES` each, so memory does not grow with the window) and, all vs all with ``partitions`` > 1,
    partitions of the pairs by radius shell (:func:`pair_partitions`). The result is the same whatever the
    blocks and partitions: an object that leaves its declared shell in a partitioned run has its pairs screened
    again against every object, and the partitions' rows of its pairs are dropped.

    Screening fixes glibc's mmap threshold for the process (:func:`kompas.allocator.return_large_blocks`), so that
    each block's arrays go back to the system when freed.
    """
    if threshold_km <= 0 or duration_s <= 0 or step_s <= 0:
        raise ValueError("threshold, duration and step must be positive")
    return_large_blocks()
    start = as_ns(start_utc)
    elsets = list(elsets)
    groups = same_object_groups(elsets)
    members = {m: g[0] for g in groups for m in g[1:]}
    screened = [index for index in range(len(elsets)) if index not in members]
    objects = tuple(elsets[index] for index in screened)
    mask, wanted = None, None
    if primaries is not None:
        wanted = set(primaries)
        for g in groups:  # a member asked for makes its group's representative a primary
            if any(elsets[x].norad_id in wanted for x in g):
                wanted.add(elsets[g[0]].norad_id)
        mask = np.array([e.norad_id in wanted for e in objects], dtype=bool)

    steps = int(np.ceil(duration_s / step_s))
    eps = object_eps(objects, step_s)
    reentry, ranges = scan_window(_prepared(objects, None, step_s).prop, start, steps * step_s,
                                  max_radius_km(objects), eps, threshold_km)
    a_any = relative_any_km_s2(eps)
    shells = ranges if mask is None and partitions > 1 else None
    split: list[tuple[np.ndarray | None, int]] = [(None, 0)]
    if shells is not None:
        split = list(pair_partitions(shells, partitions))

    def blocks(members: np.ndarray | None, side_a: int, primary_mask: np.ndarray | None,
               with_shells: np.ndarray | None) -> list[BlockJob]:
        size = block_steps or block_samples(len(objects) if members is None else len(members), step_s, duration_s)
        return [BlockJob(objects, start, step_s, first, min(size, steps - first), threshold_km, primary_mask,
                         reentry, float(duration_s), members=members, side_a=side_a, shells_km=with_shells,
                         a_any=a_any) for first in range(0, steps, size)]

    jobs = [job for members, side_a in split for job in blocks(members, side_a, mask, shells)]
    pieces = _span_edge_jobs(objects, start, step_s, float(duration_s), threshold_km, mask, reentry)
    parts = []
    for done, part in enumerate(map_blocks(screen_block, jobs + [job for job, _, _ in pieces]), 1):
        parts.append(part)
        if progress:
            progress(done, len(jobs) + len(pieces))
    parts = parts[:len(jobs)] + [_edge_part(part, *piece, objects, mask)
                                 for part, piece in zip(parts[len(jobs):], pieces, strict=True)]
    escaped = np.unique(np.concatenate([p.escaped for p in parts])).astype(np.int64)
    if escaped.size:  # left a declared shell: its pairs from every object, not from the partitions
        for p in parts[:len(jobs)]:  # the partitions' blocks (span-edge pieces are never partitioned: kept)
            keep = ~(np.isin(p.i, escaped) | np.isin(p.j, escaped))
            p.i, p.j, p.tca_s, p.state_i, p.state_j = p.i[keep], p.j[keep], p.tca_s[keep], p.state_i[keep], \
                p.state_j[keep]
        again = blocks(None, 0, np.isin(np.arange(len(objects)), escaped), None)
        parts += list(map_blocks(screen_block, again))

    end = start + np.timedelta64(round(duration_s * 1e9), "ns")
    result = ScreeningResult([], threshold_km, start, end, step_s, len(elsets), jobs=len(jobs),
                             escaped=tuple(objects[k].norad_id for k in escaped))
    for part in parts:
        result.errors.update({objects[k].norad_id: code for k, code in part.errors.items()})
        result.candidates += part.candidates
    i = np.concatenate([p.i for p in parts]).astype(np.int64)
    j = np.concatenate([p.j for p in parts]).astype(np.int64)
    tca_s = np.concatenate([p.tca_s for p in parts])
    s_i = np.concatenate([p.state_i for p in parts]).reshape(-1, 6)
    s_j = np.concatenate([p.state_j for p in parts]).reshape(-1, 6)
    within = tca_s <= duration_s
    i, j, tca_s, s_i, s_j = i[within], j[within], tca_s[within], s_i[within], s_j[within]
    # Primary first: the primary object, else (and between two primaries) the lower NORAD id.
    ids_i = np.array([objects[k].norad_id for k in i], dtype=np.int64)
    ids_j = np.array([objects[k].norad_id for k in j], dtype=np.int64)
    swap = ids_j < ids_i
    if mask is not None:
        swap = np.where(mask[i] & mask[j], swap, ~mask[i])
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    s_i, s_j = np.where(swap[:, None], s_j, s_i), np.where(swap[:, None], s_i, s_j)
    tca = start + np.round(tca_s * 1e9).astype("timedelta64[ns]")
    same = {g[0]: tuple(elsets[x].norad_id for x in g[1:]) for g in groups}
    rep_of = {screened_index: index for screened_index, index in enumerate(screened)}
    labels = np.where(tca_s == 0.0, "window-start", np.where(tca_s == float(duration_s), "window-end", ""))
    labels = _span_labels(objects, start, i, j, tca_s, labels)
    result.conjunctions = _conjunctions(_same_object_rows(elsets, groups, start, wanted), objects, i, j, tca, s_i,
                                        s_j, lambda k: same.get(rep_of[k], ()), labels)
    return result


class Conjunctions(Sequence[Conjunction]):
    """A run's conjunctions held as columns, each read as a :class:`Conjunction` (built when read): about 250 bytes a
    conjunction instead of 1.3 kB as objects, which a day of the whole catalogue (~70,000) made the largest part of
    the screening's memory. ``head``: rows kept as objects (the same-object rows), first."""

    def __init__(self, head: list[Conjunction], objects: Sequence[Screenable] = (), i: np.ndarray | None = None,
                 j: np.ndarray | None = None, tca: np.ndarray | None = None, columns: np.ndarray | None = None,
                 labels: np.ndarray | None = None, same: dict[int, tuple[int, ...]] | None = None) -> None:
        self._head, self._objects = head, objects
        self._i = np.empty(0, dtype=np.int64) if i is None else i
        self._j, self._tca, self._columns = j, tca, columns  # columns (q, 20): miss, speed, RTN r, v, states i, j
        self._labels, self._same = labels, same or {}

    def __len__(self) -> int:
        return len(self._head) + len(self._i)

    def _row(self, q: int) -> Conjunction:
        if q < len(self._head):
            return self._head[q]
        q -= len(self._head)
        p, s = self._objects[int(self._i[q])], self._objects[int(self._j[q])]  # type: ignore[index]
        c = self._columns[q].tolist()  # type: ignore[index]
        return Conjunction(p.norad_id, s.norad_id, p.name, s.name, self._tca[q], c[0], c[1],  # type: ignore[index]
                           tuple(c[2:5]), tuple(c[5:8]), tuple(c[8:14]), tuple(c[14:20]), "GCRS",
                           str(self._labels[q]), self._same.get(q, ()))  # type: ignore[index]

    def __getitem__(self, k: Any) -> Any:  # noqa: ANN401 (an index or a slice, as a list's)
        if isinstance(k, slice):
            return [self._row(q) for q in range(len(self))[k]]
        n = len(self)
        if not -n <= k < n:
            raise IndexError("conjunction index out of range")
        return self._row(k % n)

    def __iter__(self) -> Any:  # noqa: ANN401
        return (self._row(q) for q in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Conjunctions({len(self)})"


def _conjunctions(head: list[Conjunction], objects: Sequence[Screenable], i: np.ndarray, j: np.ndarray,
                  tca: np.ndarray, s_i: np.ndarray, s_j: np.ndarray, same: Callable[[int], tuple[int, ...]],
                  labels: np.ndarray) -> Conjunctions:
    """``head`` then the conjunctions in TCA order with GCRS states at TCA and the RTN geometry (vectorised)."""
    if len(i) == 0:
        return Conjunctions(head)
    order = np.lexsort((j, i, tca.astype(np.int64)))
    i, j, tca, s_i, s_j, labels = i[order], j[order], tca[order], s_i[order], s_j[order], labels[order]
    rotation = slow_rotation_from_teme(tca, "gcrs")
    g_i = rotation.apply(s_i[:, :, None])[:, :, 0]  # one state per time
    g_j = rotation.apply(s_j[:, :, None])[:, :, 0]
    d_rtn, v_rtn = rtn(g_i, g_j)
    columns = np.concatenate([np.linalg.norm(d_rtn, axis=1)[:, None], np.linalg.norm(v_rtn, axis=1)[:, None],
                              d_rtn, v_rtn, g_i, g_j], axis=1)
    extra = {q: ids for q, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True))
             if (ids := same(a) + same(b))}
    return Conjunctions(head, objects, i, j, tca, columns, labels, extra)


def _same_object_rows(elsets: Sequence[Screenable], groups: list[list[int]], start: np.datetime64,
                      wanted: set[int] | None) -> list[Conjunction]:
    """One ``same-object`` row per extra member of each group (``wanted``: only groups holding a primary)."""
    rows = []
    for g in groups:
        ids = tuple(elsets[x].norad_id for x in g)
        if wanted is not None and not wanted.intersection(ids):
            continue
        p = elsets[g[0]]
        teme = make_propagator([p]).each(*_julian(start, np.zeros(1)))[0].T
        state = tuple(map(float, rotation_from_teme(np.array([start]), "gcrs").apply(teme[:, :, None])[0, :, 0]))
        for x in g[1:]:
            rows.append(Conjunction(p.norad_id, elsets[x].norad_id, p.name, elsets[x].name, start, 0.0, 0.0,
                                    (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), state, state, "GCRS", "same-object", ids))
    return rows


_EDGE_TOL_S = 1e-6


def _span_edges(objects: Sequence[Screenable], start: np.datetime64, duration_s: float
                ) -> dict[int, list[tuple[float, str]]]:
    """Per ephemeris index, its span starts and stops strictly inside the window (s from the run start)."""
    out: dict[int, list[tuple[float, str]]] = {}
    for index, o in enumerate(objects):
        if isinstance(o, Ephemeris):
            for a, b in o.span_edges_s(start):
                for t, kind in ((a, "start"), (b, "stop")):
                    if _EDGE_TOL_S < t < duration_s - _EDGE_TOL_S:
                        out.setdefault(index, []).append((t, kind))
    return out


def _span_edge_jobs(objects: Sequence[Screenable], start: np.datetime64, step_s: float, duration_s: float,
                    threshold_km: float, mask: np.ndarray | None, reentry: np.ndarray
                    ) -> list[tuple[BlockJob, np.ndarray, float]]:
    """The sample intervals where an ephemeris's span starts or stops, cut at those times (docstring,
    "Ephemerides"): one job per piece over the pairs involving those ephemerides, with the piece's indices into
    ``objects`` and its start offset."""
    edges = _span_edges(objects, start, duration_s)
    by_interval: dict[int, set[int]] = {}
    cuts: dict[int, set[float]] = {}
    for index, found in edges.items():
        for t, kind in found:
            k = int(np.floor(t / step_s + 1e-9))
            on_grid = abs(t - k * step_s) < _EDGE_TOL_S
            if on_grid:
                k = k if kind == "start" else k - 1  # the interval on the available side of the edge
            by_interval.setdefault(k, set()).add(index)
            if not on_grid:
                cuts.setdefault(k, set()).add(t)
    jobs = []
    for k, members in sorted(by_interval.items()):
        lo, hi = k * step_s, min((k + 1) * step_s, duration_s)
        points = sorted({lo, hi, *cuts.get(k, set())})
        for a, b in zip(points[:-1], points[1:], strict=True):
            if b - a <= _EDGE_TOL_S:
                continue
            if mask is None:
                sub = np.arange(len(objects))
            else:
                sub = np.flatnonzero(mask | np.isin(np.arange(len(objects)), list(members)))
            piece_mask = np.isin(sub, list(members))
            origin = start + np.timedelta64(round(a * 1e9), "ns")
            job = BlockJob(tuple(objects[int(x)] for x in sub), origin, b - a, 0, 1, threshold_km, piece_mask,
                           reentry[sub] - a, b - a, True)
            jobs.append((job, sub, a if k not in cuts else -a - 1.0))  # negative: the interval was cut
    return jobs


def _edge_part(part: BlockResult, job: BlockJob, sub: np.ndarray, offset: float, objects: Sequence[Screenable],
               mask: np.ndarray | None) -> BlockResult:
    """A piece's results mapped to the run: interior minima where the grid interval was cut (the main grid could
    not see them), and minima at a span's edge (the pair's smallest distance while the ephemeris exists)."""
    cut = offset < 0
    a = -offset - 1.0 if cut else offset
    i, j = sub[part.i.astype(np.int64)], sub[part.j.astype(np.int64)]
    tca = part.tca_s + a
    keep = np.zeros(len(i), dtype=bool)
    for q in range(len(i)):
        local = part.tca_s[q]
        at_edge = local == 0.0 or local == job.end_s
        if at_edge:
            keep[q] = any(abs(t - tca[q]) < _EDGE_TOL_S and (kind == "start") == (local == 0.0)
                          for x in (i[q], j[q]) for t, kind in _span_edges([objects[x]], _run_start(job, a),
                                                                           np.inf).get(0, []))
        else:
            keep[q] = cut
        if mask is not None and not (mask[i[q]] or mask[j[q]]):
            keep[q] = False
    return BlockResult(i[keep], j[keep], tca[keep], part.state_i[keep], part.state_j[keep], {}, part.candidates)


def _run_start(job: BlockJob, a: float) -> np.datetime64:
    return job.start_utc - np.timedelta64(round(a * 1e9), "ns")


def _span_labels(objects: Sequence[Screenable], start: np.datetime64, i: np.ndarray, j: np.ndarray,
                 tca_s: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``ephemeris-start`` / ``ephemeris-stop`` for minima at an ephemeris's span edge inside the window."""
    edges = _span_edges(objects, start, np.inf)
    if not edges:
        return labels
    labels = labels.astype(object)
    for q in range(len(i)):
        for x in (int(i[q]), int(j[q])):
            for t, kind in edges.get(x, []):
                if abs(t - tca_s[q]) < _EDGE_TOL_S and not labels[q]:  # the window's own edges keep their label
                    labels[q] = f"ephemeris-{kind}"
    return labels.astype(str)
