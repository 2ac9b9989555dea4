"""SGP4/SDP4 propagation of N element sets to M UTC times, in TEME, GCRS or ITRF.

Two implementations of the same theory (Vallado's 2006/2020 C++ SGP4, WGS-72, improved mode 'i'):

* **heyoka** (ESA's LLVM-compiled SGP4, SIMD batches on every core) for near-Earth objects
  (period < 225 min). Measured on the 15,352-object active snapshot: 2.7x the ``sgp4`` package's
  ``SatrecArray`` on 2 cores, agreeing with it to 12 micrometres (``benchmarks/propagation.py``).
* **sgp4** (the reference C++ code through ``SatrecArray``) for deep-space objects, which heyoka does
  not model (SDP4 lunar-solar and resonance terms), and as the ``backend="sgp4"`` baseline.

Both are checked against the AIAA 2006-6753 verification vectors (``tests/space/test_against_vallado.py``).

States come in chunks of objects (:class:`States`), sized to stay under a memory budget, so a whole
catalogue over a long window streams through without N x M held at once. SGP4 errors (decay, eccentricity
out of range...) are per state: the state is NaN, ``error_code`` says why, the batch goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sgp4.api import WGS72, Satrec, SatrecArray

from kompas.constants import MINUTES_PER_DAY, RAD_PER_DEG, TWO_PI
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.frames import EarthOrientation, Rotation, rotation_from_teme
from kompas.space.heyoka_module import heyoka
from kompas.times import as_ns

#: SGP4 error codes (Vallado's C++ ``satrec.error``) and what they mean.
SGP4_ERRORS = {
    1: "mean eccentricity out of range [0, 1)",
    2: "mean motion below zero",
    3: "perturbed eccentricity out of range [0, 1]",
    4: "semi-latus rectum below zero",
    5: "epoch elements are sub-orbital",
    6: "decayed: orbit radius below the Earth's",
    7: "diverged: propagated beyond twice its apogee (re-entered, or a stale element set)",  # Kompas's, not SGP4's
}
_DEG = RAD_PER_DEG
_NDOT_UNITS = MINUTES_PER_DAY * MINUTES_PER_DAY / TWO_PI  # rev/day^2 -> rad/min^2
_NDDOT_UNITS = MINUTES_PER_DAY * MINUTES_PER_DAY * MINUTES_PER_DAY / TWO_PI  # rev/day^3 -> rad/min^3
_JD_1949_12_31 = 2433281.5
#: Bytes of working memory per propagated state (heyoka output, TEME and rotated copies, times).
_BYTES_PER_STATE = 200
#: Widths of the heyoka propagators :meth:`Propagator.at` evaluates through (about 750 bytes a column: 4 MB for
#: the three; the narrower ones spare small queries from computing the wide one's padding).
QUERY_COLUMNS = (256, 1024, 4096)
_QUERY = threading.local()  # per thread: {width: heyoka propagator}, reused by replacing its satellite data


def _query_propagator(data: np.ndarray) -> Any:  # noqa: ANN401 - heyoka's propagator
    """This thread's heyoka propagator of ``data``'s width (one of :data:`QUERY_COLUMNS`), loaded with ``data``
    (9, width)."""
    cache = _QUERY.__dict__.setdefault("widths", {})
    prop = cache.get(data.shape[1])
    if prop is None:
        prop = cache[data.shape[1]] = heyoka().model.sgp4_propagator(data)
    else:
        prop.replace_sat_data(data)
    return prop


@dataclass
class States:
    """States of ``n`` objects at ``m`` times. Positions km, velocities km/s, in ``frame``.

    ``error_code[i, j]`` is 0 for a good state, else an SGP4 error code (see :data:`SGP4_ERRORS`) and the
    state is NaN.
    """

    norad_ids: np.ndarray
    times_utc: np.ndarray
    frame: str
    position_km: np.ndarray
    velocity_km_s: np.ndarray
    error_code: np.ndarray

    def __len__(self) -> int:
        return len(self.norad_ids)

    def errors(self) -> dict[int, tuple[int, np.datetime64]]:
        """Per object with any error: (first error code, first time it occurred)."""
        bad = np.flatnonzero(self.error_code.any(axis=1))
        out = {}
        for i in bad:
            j = int(np.flatnonzero(self.error_code[i])[0])
            out[int(self.norad_ids[i])] = (int(self.error_code[i, j]), self.times_utc[j])
        return out

    @staticmethod
    def concatenate(parts: Sequence[States]) -> States:
        if not parts:
            raise ValueError("nothing to concatenate")
        return States(np.concatenate([p.norad_ids for p in parts]), parts[0].times_utc, parts[0].frame,
                      np.concatenate([p.position_km for p in parts]),
                      np.concatenate([p.velocity_km_s for p in parts]),
                      np.concatenate([p.error_code for p in parts]))


def satrec(elset: ElementSet) -> Satrec:
    """Initialise the reference SGP4 (``sgp4.api.Satrec``) from an element set.

    Uses the same unit conversions and the same floating-point epoch as Vallado's ``twoline2rv``
    (``jd + fraction - 2433281.5``, which the deep-space initialisation reads, so that results match the
    reference bit for bit); the epoch used for time since epoch is then set exactly (whole day + fraction).
    """
    jd, fr = split_julian_date(np.array([elset.epoch_utc]))
    sat = Satrec()
    sat.sgp4init(WGS72, "i", elset.norad_id if elset.norad_id < 100000 else 0,
                 (jd[0] + fr[0]) - _JD_1949_12_31, elset.bstar_per_earth_radii,
                 elset.mean_motion_dot_rev_day2 / _NDOT_UNITS, elset.mean_motion_ddot_rev_day3 / _NDDOT_UNITS,
                 elset.eccentricity, elset.arg_perigee_deg * _DEG, elset.inclination_deg * _DEG,
                 elset.mean_anomaly_deg * _DEG, elset.mean_motion_rev_day * TWO_PI / MINUTES_PER_DAY,
                 elset.raan_deg * _DEG)
    sat.jdsatepoch, sat.jdsatepochF = float(jd[0]), float(fr[0])
    return sat


def is_deep_space(sat: Satrec) -> bool:
    """True when SGP4 uses its deep-space branch (SDP4): period >= 225 min from the un-Kozai'd motion."""
    return sat.method == "d"


class Propagator:
    """SGP4 for a fixed list of satellites, built once and evaluated many times (TEME, km and km/s).

    Near-Earth satellites go through heyoka's compiled SGP4, deep-space ones through the ``sgp4``
    package (``backend="sgp4"`` sends all of them there). Results are in input order.
    """

    def __init__(self, sats: Sequence[Satrec], backend: str = "auto") -> None:
        if backend not in ("auto", "sgp4"):
            raise ValueError(f"unknown backend {backend!r}; expected 'auto' or 'sgp4'")
        sats = list(sats)
        deep = np.array([backend == "sgp4" or is_deep_space(s) for s in sats], dtype=bool)
        near = np.flatnonzero(~deep)
        # Near-Earth satellites are kept only as heyoka's rows (not as Satrec objects, 1 kB each).
        data = (np.array([[s.no_kozai, s.ecco, s.inclo, s.nodeo, s.argpo, s.mo, s.bstar, s.jdsatepoch,
                           s.jdsatepochF] for s in (sats[i] for i in near)]).T.copy() if near.size else None)
        self._setup(backend, len(sats), near, data, [sats[i] for i in np.flatnonzero(deep)])

    def _setup(self, backend: str, n: int, near: np.ndarray, near_data: np.ndarray | None,
               deep_sats: list[Satrec]) -> None:
        """``n`` satellites: those at ``near`` from heyoka's rows ``near_data`` (9, len(near)), the others, in
        order, the deep-space (or ``backend="sgp4"``) ``deep_sats``."""
        self.backend, self._n = backend, n
        is_near = np.zeros(n, dtype=bool)
        is_near[near] = True
        self._near, self._deep = near, np.flatnonzero(~is_near)
        self._near_data, self._deep_sats = near_data, deep_sats
        self._heyoka = None
        if near.size:
            self._heyoka = heyoka().model.sgp4_propagator(near_data)
        self._deep_array = SatrecArray(deep_sats) if deep_sats else None
        self._column = np.empty(n, dtype=np.int64)  # satellite -> column of _near_data, or -1 - index in _deep_sats
        self._column[near] = np.arange(near.size)
        self._column[self._deep] = -1 - np.arange(self._deep.size)

    @classmethod
    def from_elements(cls, elsets: Sequence[ElementSet], backend: str = "auto") -> Propagator:
        return cls([satrec(e) for e in elsets], backend)

    def __len__(self) -> int:
        return self._n

    def grid(self, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every satellite at every time (Julian date split as day + fraction, UTC).

        Returns states (m, 6, n) as x, y, z, vx, vy, vz and SGP4 error codes (m, n); bad states are NaN.
        """
        m, n = len(jd), self._n
        states = np.empty((m, 6, n))
        codes = np.zeros((m, n), dtype=np.uint8)
        if self._heyoka is not None:
            dates = np.empty((m, self._near.size), dtype=self._heyoka.jdtype)
            dates["jd"] = jd[:, None]
            dates["frac"] = fr[:, None]
            out = self._heyoka(dates)  # (m, 7, n_near)
            if self._near.size == n:
                states[...], codes[...] = out[:, 0:6, :], out[:, 6, :]
            else:
                states[:, :, self._near], codes[:, self._near] = out[:, 0:6, :], out[:, 6, :]
        if self._deep_array is not None:
            err, r, v = self._deep_array.sgp4(jd, fr)
            states[:, :, self._deep] = np.concatenate([r, v], axis=2).transpose(1, 2, 0)
            codes[:, self._deep] = err.T
        if codes.any():
            states[np.broadcast_to(codes[:, None, :] != 0, states.shape)] = np.nan
        return states, codes

    def subset(self, indices: np.ndarray) -> Propagator:
        """A propagator over satellites ``indices`` (repeats allowed), e.g. one column per query."""
        column = self._column[np.asarray(indices, dtype=np.int64)]
        near = np.flatnonzero(column >= 0)
        data = np.ascontiguousarray(self._near_data[:, column[near]]) if near.size else None  # type: ignore[index]
        out = Propagator.__new__(Propagator)
        out._setup(self.backend, column.size, near, data, [self._deep_sats[-1 - k] for k in column[column < 0]])
        return out

    def at(self, indices: np.ndarray, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Satellite ``indices[k]`` at its own time ``jd[k] + fr[k]``: states (6, q), codes (q,); repeats allowed.

        What ``subset(indices).each(jd, fr)`` gives, without a propagator per query: near-Earth queries go
        through reused heyoka propagators per thread, of the :data:`QUERY_COLUMNS` widths (their satellite data
        replaced, 0.07 us a column, where building one costs 18 ms and 750 bytes a column), deep-space ones
        through each satellite's ``sgp4_array`` once for all its times.
        """
        indices = np.asarray(indices, dtype=np.int64)
        q = indices.size
        states = np.empty((6, q))
        codes = np.zeros(q, dtype=np.uint8)
        column = self._column[indices]
        near = np.flatnonzero(column >= 0)
        if near.size:
            width = next((w for w in QUERY_COLUMNS if w >= near.size), QUERY_COLUMNS[-1])
            for lo in range(0, near.size, width):
                rows = near[lo:lo + width]
                cols = np.full(width, column[rows[0]])  # padded with the chunk's first query
                cols[:rows.size] = column[rows]
                prop = _query_propagator(np.ascontiguousarray(self._near_data[:, cols]))  # type: ignore[index]
                dates = np.empty(width, dtype=prop.jdtype)
                dates["jd"], dates["frac"] = jd[rows[0]], fr[rows[0]]
                dates["jd"][:rows.size], dates["frac"][:rows.size] = jd[rows], fr[rows]
                out = prop(dates)  # (7, width)
                states[:, rows], codes[rows] = out[0:6, :rows.size], out[6, :rows.size]
        deep = np.flatnonzero(column < 0)
        if deep.size:
            deep = deep[np.argsort(column[deep], kind="stable")]
            first = np.flatnonzero(np.diff(column[deep], prepend=1))
            for rows in np.split(deep, first[1:]):
                err, r, v = self._deep_sats[-1 - int(column[rows[0]])].sgp4_array(jd[rows], fr[rows])
                states[0:3, rows], states[3:6, rows], codes[rows] = r.T, v.T, err
        states[:, codes != 0] = np.nan
        return states, codes

    def each(self, jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Satellite ``i`` at its own time ``jd[i] + fr[i]``: states (6, n) and error codes (n,)."""
        n = self._n
        states = np.empty((6, n))
        codes = np.zeros(n, dtype=np.uint8)
        if self._heyoka is not None:
            dates = np.empty(self._near.size, dtype=self._heyoka.jdtype)
            dates["jd"], dates["frac"] = jd[self._near], fr[self._near]
            out = self._heyoka(dates)  # (7, n_near)
            states[:, self._near], codes[self._near] = out[0:6], out[6]
        for i, sat in zip(self._deep, self._deep_sats, strict=True):
            e, r, v = sat.sgp4(jd[i], fr[i])
            states[0:3, i], states[3:6, i], codes[i] = r, v, e
        states[:, codes != 0] = np.nan
        return states, codes


def propagate(elsets: Sequence[ElementSet], times_utc: np.ndarray, frame: str = "teme", *,
              backend: str = "auto", max_chunk_bytes: int = 256 * 2**20,
              eop: EarthOrientation | None = None,
              progress: Callable[[int, int], None] | None = None) -> Iterator[States]:
    """Propagate every element set to every time; yield :class:`States` chunks in input order.

    ``times_utc``: ``datetime64`` UTC times (M,). ``frame``: ``teme``, ``gcrs`` or ``itrf``.
    ``backend``: ``auto`` (heyoka near-Earth, sgp4 deep-space) or ``sgp4`` (reference code only).
    ``progress(done, total)`` is called after each chunk with object counts.
    """
    if backend not in ("auto", "sgp4"):
        raise ValueError(f"unknown backend {backend!r}; expected 'auto' or 'sgp4'")
    times_utc = np.atleast_1d(np.asarray(times_utc, dtype="datetime64[ns]"))
    rotation: Rotation = rotation_from_teme(times_utc, frame, eop)
    jd, fr = split_julian_date(times_utc)
    m, total = len(times_utc), len(elsets)
    chunk = max(1, int(max_chunk_bytes // max(1, _BYTES_PER_STATE * m)))
    for start in range(0, total, chunk):
        part = elsets[start:start + chunk]
        teme, code = Propagator.from_elements(part, backend).grid(jd, fr)
        # The engines work in (time, component, object) layout, where each time's rotation is one 3x3 @ 3xk
        # product; one transposing copy then lays the states out by object.
        out = rotation.apply(teme).transpose(2, 0, 1)
        yield States(np.array([e.norad_id for e in part], dtype=np.int64), times_utc, rotation.frame,
                     out[..., 0:3], out[..., 3:6], np.ascontiguousarray(code.T))
        if progress:
            progress(min(start + chunk, total), total)


def propagate_all(elsets: Sequence[ElementSet], times_utc: np.ndarray, frame: str = "teme", **kwargs: Any) -> States:
    """:func:`propagate` gathered into one :class:`States` (for sizes that fit in memory)."""
    return States.concatenate(list(propagate(elsets, times_utc, frame, **kwargs)))


def time_grid(start_utc: np.datetime64, end_utc: np.datetime64, step_s: float) -> np.ndarray:
    """UTC times from ``start`` to ``end`` inclusive every ``step_s`` seconds (end kept if it falls on the grid)."""
    if step_s <= 0:
        raise ValueError("step must be positive")
    start = as_ns(start_utc)
    end = as_ns(end_utc)
    if end < start:
        raise ValueError("end is before start")
    step = np.timedelta64(round(step_s * 1e9), "ns")
    count = int((end - start) // step) + 1
    return start + step * np.arange(count)
