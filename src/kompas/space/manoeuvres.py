"""Manoeuvre detection from element-set histories.

For each pair of consecutive element sets of an object (``prev`` at ``t0``, ``next`` at ``t1``), ``prev`` is
propagated to ``t1`` and both states are turned into osculating elements *at the same instant*, so that SGP4's
short-period terms, nearly equal in both, cancel in the differences:

- ``da_m``: change of semi-major axis (along-track thrust; drag that SGP4's B* does not capture shows here too);
- ``de``: size of the change of the eccentricity vector (radial and along-track thrust);
- ``dh_deg``: angle between the two orbit normals (cross-track thrust: inclination and node together, with no
  singularity at zero inclination, which matters in GEO).

**Noise.** Each object's own history sets its noise: ``scale = 1.4826 x median(|residual|)`` over its pairs (a
median, so the manoeuvres themselves barely move it), kept between a floor and a cap per quantity. A pair is a
manoeuvre when some residual exceeds ``Z`` (default 6) times its scale and also its floor. The floors are the
largest residuals of passive objects (laser-ranging spheres and calibration spheres: LAGEOS, STARLETTE, STELLA,
AJISAI, LARES, CALSPHERE) over the shared history, with a margin; the caps stop an object that thrusts all the
time (orbit raising) from learning its thrust as noise. An object with a short history borrows the median scale
of objects with a long one at the same altitude.

**Gaps.** SGP4 models decay with B*, but solar activity changes while an element set ages, so the unmodelled
drag grows with the gap. Pairs further apart than :data:`MAX_GAP_DAYS` are not assessed: on the shared debris
histories (gaps of 2-4 months) almost every pair would exceed any threshold that still sees small burns.

**Continuous thrust.** An orbit raised by electric propulsion over the whole gap is often fitted with a negative
B*, and SGP4 then predicts the rise: the residuals stay small. No natural force raises the mean semi-major
axis, so a rise of the sets' own mean semi-major axis above the threshold counts as thrust as well.

**Size, direction, time.** Gauss's equations for a near-circular orbit of speed ``v`` give the delta-v: along-track
``v/2 x da/a``, cross-track ``v x dh``, radial ``v x`` (eccentricity change not explained by the along-track part).
The time is where the two trajectories come closest between ``t0`` and ``t1`` (an impulsive burn is where the
orbits before and after meet), searched coarsely and refined to about a second.

**Early-orbit phase** (:func:`early_orbit_until`). Element sets of a newly launched object, and of objects whose
identity has not settled between the objects of one launch, change for reasons other than thrust: first fits on
few observations, and observations of co-orbital siblings associated with the wrong object. Pairs in that phase
are not assessed (:func:`detect`, ``early_orbit``). The phase of an object lasts

- :data:`EARLY_ORBIT_DAYS` (14) from its launch (SATCAT ``LAUNCH_DATE`` when known, else the first epoch of any
  object of its launch when that launch first appears after the history's start). Why 14: on the 18 shared
  CelesTrak ``active_*.tle`` snapshots, the 11 objects that appeared under a provisional name were given their
  name 6 to 11 days after their first element set;
- and for as long as the object still carries a provisional name (its international designator such as
  ``2025-180C``, ``OBJECT B``, ``TBA``: the catalogue has not told it from its siblings) while a sibling of the same
  launch flies co-orbital with it (:data:`CO_ORBITAL`): then its tracks and its sibling's can be swapped.
  2025-180C (NORAD 65261) is such an object: co-orbital with 2025-180B and D (mean motion within 0.0005 rev/day,
  inclination within 0.01 deg), its sets of 2026-04-26..29 jump from eccentricity 0.0015 to 0.0147 and back,
  which the detector took for radial "manoeuvres" of 80 to 170 m/s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from kompas.constants import MU_WGS72_KM3_S2, NS_PER_DAY
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.propagation import Propagator

MU_KM3_S2 = MU_WGS72_KM3_S2  #: WGS-72 gravitational parameter, km^3/s^2: the elements come from SGP4 states.
Z = 6.0  #: Detection threshold in units of the object's own noise scale.
FLOOR = {"da_m": 50.0, "de": 2.0e-4, "dh_deg": 0.02}  #: Passive objects' largest residuals x ~2-3.
CAP = {"da_m": 100.0, "de": 1.0e-3, "dh_deg": 0.05}  #: Largest noise scale an object may learn.
MIN_PAIRS = 5  #: Pairs an object needs to learn its own noise (else it borrows that of objects like it).
MAX_GAP_DAYS = 10.0  #: Longer gaps are not assessed: unmodelled drag over them exceeds any small burn.
SEARCH_STEP_S = 60.0  #: Coarse step of the burn-time search (longer for long gaps, see SEARCH_SAMPLES).
SEARCH_SAMPLES = 720  #: Coarse samples each side of a gap's middle.
EARLY_ORBIT_DAYS = 14.0  #: Days from launch in the early-orbit phase (see the module docstring).
#: While an object's identity is not settled (provisional name, a co-orbital sibling), a jump between its sets above
#: this is taken for a swap of identities between the launch's objects, not a burn: 50 m/s is far beyond what the
#: small satellites that fly such launches change in one go (2025-180C's swaps read as 79 to 169 m/s), while
#: inspection and rendezvous burns are metres per second.
IDENTITY_JUMP_M_S = 50.0
#: Siblings of one launch within these of each other fly co-orbital: mean motion (rev/day), inclination and
#: right ascension of the ascending node (deg).
CO_ORBITAL = {"mean_motion_rev_day": 0.01, "inclination_deg": 0.1, "raan_deg": 1.0}
PROVISIONAL_NAME = re.compile(r"^(\d{4}-\d{3}[A-Z]{1,3}|OBJECT [A-Z]{1,3}|TBA\b.*)$")  #: not yet identified


@dataclass
class Residuals:
    """Differences between consecutive element sets at the later epoch (arrays over pairs)."""

    da_m: np.ndarray
    de: np.ndarray
    dh_deg: np.ndarray
    a_km: np.ndarray
    speed_km_s: np.ndarray
    ok: np.ndarray  # both states computed
    rise_m: np.ndarray  # rise of the mean semi-major axis (from the sets' mean motions), m


@dataclass
class Manoeuvre:
    """One detected manoeuvre between two element sets (times UTC, delta-v m/s in the orbit's RTN frame)."""

    norad_id: int
    name: str
    start_utc: np.datetime64  # epoch of the element set before
    end_utc: np.datetime64  # epoch of the element set after
    epoch_utc: np.datetime64  # best estimate of the burn time
    delta_v_m_s: float
    delta_v_rtn_m_s: tuple[float, float, float]  # radial (unsigned), along-track (signed), cross-track (unsigned)
    direction: str  # "along-track", "radial" or "cross-track": the largest component
    confidence: float  # 0-1
    evidence: dict = field(default_factory=dict)


def osculating(states: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Semi-major axis (km), eccentricity vector, unit orbit normal and speed (km/s) from states (6, n)."""
    r, v = states[0:3].T, states[3:6].T
    rn, speed = np.linalg.norm(r, axis=1), np.linalg.norm(v, axis=1)
    a = 1.0 / (2.0 / rn - speed**2 / MU_KM3_S2)
    h = np.cross(r, v)
    e = np.cross(v, h) / MU_KM3_S2 - r / rn[:, None]
    return a, e, h / np.linalg.norm(h, axis=1, keepdims=True), speed


def residuals(prev: Sequence[ElementSet], nxt: Sequence[ElementSet]) -> Residuals:
    """Residuals of every pair ``(prev[k], nxt[k])`` at ``nxt[k]``'s epoch (vectorised over pairs)."""
    jd, fr = split_julian_date(np.array([e.epoch_utc for e in nxt], dtype="datetime64[ns]"))
    s0, c0 = Propagator.from_elements(prev).each(jd, fr)
    s1, c1 = Propagator.from_elements(nxt).each(jd, fr)
    a0, e0, h0, _ = osculating(s0)
    a1, e1, h1, speed = osculating(s1)
    cos = np.clip(np.einsum("ij,ij->i", h0, h1), -1.0, 1.0)
    rise = np.array([b.semi_major_axis_km - a.semi_major_axis_km for a, b in zip(prev, nxt, strict=True)]) * 1000.0
    return Residuals((a1 - a0) * 1000.0, np.linalg.norm(e1 - e0, axis=1), np.degrees(np.arccos(cos)), a1, speed,
                     (c0 == 0) & (c1 == 0) & np.isfinite(a0) & np.isfinite(a1), rise)


def noise_scales(values: np.ndarray, owners: np.ndarray, a_km: np.ndarray, floor: float, cap: float) -> np.ndarray:
    """Per pair: its object's robust scale ``1.4826 median|x|`` over the object's pairs, within [floor/Z, cap].

    An object with fewer than :data:`MIN_PAIRS` pairs has no history to learn from: it gets the median scale of
    the objects with enough history in the same 100 km band of semi-major axis (else ``cap``).
    """
    order = np.argsort(owners, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(owners[order])) + 1)
    own: dict[int, float] = {}
    band_scales: dict[int, list[float]] = {}
    for number, group in enumerate(groups):
        finite = np.abs(values[group][np.isfinite(values[group])])
        if finite.size >= MIN_PAIRS:
            own[number] = min(max(1.4826 * float(np.median(finite)), floor / Z), cap)
            band_scales.setdefault(int(np.nanmedian(a_km[group]) // 100), []).append(own[number])
    out = np.empty(values.shape)
    for number, group in enumerate(groups):
        band = band_scales.get(int(np.nanmedian(a_km[group]) // 100)) if np.isfinite(a_km[group]).any() else None
        out[group] = own.get(number, float(np.median(band)) if band else cap)
    return out


def launch_of(designator: str) -> str:
    """The launch part of an international designator (``2025-180C`` -> ``2025-180``; TLE form ``25180C`` ->
    ``2025-180``); "" when it is not one."""
    text = designator.strip().upper()
    found = re.match(r"^(\d{4})-(\d{3})", text)
    if found:
        return f"{found[1]}-{found[2]}"
    found = re.match(r"^(\d{2})(\d{3})[A-Z]", text)
    if found:
        year = int(found[1])
        return f"{1900 + year if year >= 57 else 2000 + year}-{found[2]}"
    return ""


def provisional(elset: ElementSet) -> bool:
    """Whether the set's name is provisional (:data:`PROVISIONAL_NAME`, or the designator itself)."""
    name = elset.name.strip().upper()
    return bool(PROVISIONAL_NAME.match(name)) or (bool(name) and name == elset.intl_designator.strip().upper())


def co_orbital(a: ElementSet, b: ElementSet) -> bool:
    """Whether two sets describe nearly the same orbit (:data:`CO_ORBITAL`)."""
    node = abs((a.raan_deg - b.raan_deg + 180.0) % 360.0 - 180.0)
    return (abs(a.mean_motion_rev_day - b.mean_motion_rev_day) < CO_ORBITAL["mean_motion_rev_day"]
            and abs(a.inclination_deg - b.inclination_deg) < CO_ORBITAL["inclination_deg"]
            and node < CO_ORBITAL["raan_deg"])


def early_orbit_until(histories: Iterable[Sequence[ElementSet]],
                      launch_dates: Mapping[int, date] | None = None,
                      unsettled: set[int] | None = None) -> dict[int, np.datetime64]:
    """Per object in its early-orbit phase, the time (UTC) up to which it lasts: pairs of sets whose later epoch
    is at or before it are not manoeuvres (see the module docstring). ``launch_dates``: NORAD id -> launch date
    (SATCAT), where known. Objects not in the phase are left out. ``unsettled`` (filled when given): the objects
    whose phase extends past their launch's first days only because their identity is not settled; for those
    :func:`detect` drops only the jumps no small satellite makes (:data:`IDENTITY_JUMP_M_S`)."""
    histories = [h for h in histories if h]
    if not histories:
        return {}
    # The history's start: the median first epoch (most objects are in the first snapshot, with epochs within a
    # day or two before it) plus a day; a launch whose first set is later appeared during the history.
    firsts = np.sort(np.array([h[0].epoch_utc for h in histories], dtype="datetime64[ns]"))
    start = firsts[len(firsts) // 2] + np.timedelta64(1, "D")
    launches: dict[str, list[Sequence[ElementSet]]] = {}
    for h in histories:
        launches.setdefault(launch_of(h[-1].intl_designator), []).append(h)
    span = np.timedelta64(int(EARLY_ORBIT_DAYS * NS_PER_DAY), "ns")
    out: dict[int, np.datetime64] = {}
    for launch, members in launches.items():
        if not launch:
            continue
        first = min(h[0].epoch_utc for h in members)
        for h in members:
            newest = h[-1]
            until: np.datetime64 | None = None
            known = (launch_dates or {}).get(newest.norad_id)
            if known is not None:
                until = np.datetime64(known.isoformat(), "ns") + span
            elif first > start:  # the launch appeared during the history: its first set dates it
                until = first + span
            if provisional(newest) and any(other[-1].norad_id != newest.norad_id and co_orbital(newest, other[-1])
                                           for other in members):
                if unsettled is not None and (until is None or until < newest.epoch_utc):
                    unsettled.add(newest.norad_id)
                until = newest.epoch_utc  # identity not settled: the whole history so far
            if until is not None and until >= h[0].epoch_utc:
                out[newest.norad_id] = until
    return out


def detect(histories: Iterable[Sequence[ElementSet]], z: float = Z,
           max_gap_days: float = MAX_GAP_DAYS,
           early_orbit: Mapping[int, np.datetime64] | None = None,
           unsettled: set[int] | frozenset[int] = frozenset()) -> list[Manoeuvre]:
    """Manoeuvres in each object's element-set history (each sorted by epoch), in time order. ``early_orbit``:
    per object, the end of its early-orbit phase (:func:`early_orbit_until`): pairs whose later epoch is at or
    before it are not assessed, except for the objects in ``unsettled`` (identity not settled, the launch's first
    days over): their pairs are assessed and only jumps above :data:`IDENTITY_JUMP_M_S` are dropped, so a
    provisionally named object that keeps manoeuvring near a sibling (an inspector, a rendezvous) is still seen."""
    prev, nxt = [], []
    longest = np.timedelta64(int(max_gap_days * NS_PER_DAY), "ns")
    phase = early_orbit or {}
    swapped: set[tuple[int, np.datetime64]] = set()  # pairs in an unsettled identity's phase
    for history in histories:
        for a, b in zip(history[:-1], history[1:], strict=False):
            if b.norad_id in phase and b.epoch_utc <= phase[b.norad_id]:
                if b.norad_id not in unsettled:
                    continue
                swapped.add((b.norad_id, b.epoch_utc))
            if np.timedelta64(0, "ns") < b.epoch_utc - a.epoch_utc <= longest:
                prev.append(a)
                nxt.append(b)
    if not prev:
        return []
    res = residuals(prev, nxt)
    owners = np.array([e.norad_id for e in prev])
    ratio = np.zeros(len(prev))
    thresholds = {}
    for key in FLOOR:
        values = np.where(res.ok, getattr(res, key), np.nan)
        scale = noise_scales(values, owners, res.a_km, FLOOR[key], CAP[key])
        thresholds[key] = np.maximum(z * scale, FLOOR[key])
        ratio = np.fmax(ratio, np.abs(values) / thresholds[key])
    # Continuous thrust hides in the residuals when the fit absorbs it into a negative B* (SGP4 then predicts the
    # rise); but no natural force raises the mean semi-major axis, so a rise above the threshold is thrust too.
    ratio = np.fmax(ratio, res.rise_m / thresholds["da_m"])
    hits = np.flatnonzero(res.ok & (ratio > 1.0))
    times = burn_times([prev[k] for k in hits], [nxt[k] for k in hits])
    found = [_manoeuvre(prev[k], nxt[k], res, k, float(ratio[k]), {key: float(t[k]) for key, t in thresholds.items()},
                        when) for k, when in zip(hits.tolist(), times, strict=True)]
    found = [m for m in found if not ((m.norad_id, m.end_utc) in swapped and m.delta_v_m_s > IDENTITY_JUMP_M_S)]
    return sorted(found, key=lambda m: (m.epoch_utc, m.norad_id))


def _manoeuvre(before: ElementSet, after: ElementSet, res: Residuals, k: int, ratio: float,
               thresholds: dict, when: np.datetime64) -> Manoeuvre:
    # Only residuals above their thresholds count towards the delta-v: the others are the object's noise.
    over = {key: abs(float(getattr(res, key)[k])) > thresholds[key] for key in FLOOR}
    v = float(res.speed_km_s[k]) * 1000.0
    da_m = float(res.da_m[k]) if over["da_m"] else max(0.0, float(res.rise_m[k]))  # impulsive, else continuous
    dv_t = v / 2.0 * da_m / (float(res.a_km[k]) * 1000.0)
    dv_n = v * np.radians(float(res.dh_deg[k])) if over["dh_deg"] else 0.0
    dv_r = v * max(0.0, float(res.de[k]) - 2.0 * abs(dv_t) / v) if over["de"] else 0.0
    parts = {"radial": dv_r, "along-track": abs(dv_t), "cross-track": dv_n}
    return Manoeuvre(
        norad_id=after.norad_id, name=after.name, start_utc=before.epoch_utc, end_utc=after.epoch_utc,
        epoch_utc=when, delta_v_m_s=float(np.sqrt(dv_r**2 + dv_t**2 + dv_n**2)),
        delta_v_rtn_m_s=(dv_r, dv_t, dv_n), direction=max(parts, key=lambda name: parts[name]),
        confidence=float(0.5 + 0.5 * np.tanh(ratio - 1.0)),
        evidence={"da_m": float(res.da_m[k]), "mean_rise_m": float(res.rise_m[k]), "de": float(res.de[k]),
                  "dh_deg": float(res.dh_deg[k]), "thresholds": thresholds, "ratio_to_threshold": ratio,
                  "a_km": float(res.a_km[k])})


def burn_times(befores: Sequence[ElementSet], afters: Sequence[ElementSet]) -> np.ndarray:
    """For each pair, where the two trajectories come closest between their epochs: an impulsive burn is where
    the orbits before and after it meet. Coarse samples every 60 s (every gap/1440 for gaps over a day), then
    refined to ~1 s. Vectorised over pairs."""
    if not befores:
        return np.array([], dtype="datetime64[ns]")
    t0 = np.array([e.epoch_utc for e in befores], dtype="datetime64[ns]")
    span = (np.array([e.epoch_utc for e in afters], dtype="datetime64[ns]") - t0) / np.timedelta64(1, "s")
    p0, p1 = Propagator.from_elements(befores), Propagator.from_elements(afters)

    def gap(offsets_s: np.ndarray) -> np.ndarray:
        jd, fr = split_julian_date(t0 + (np.clip(offsets_s, 0.0, span) * 1e9).astype("timedelta64[ns]"))
        return np.linalg.norm(p1.each(jd, fr)[0][0:3] - p0.each(jd, fr)[0][0:3], axis=0)

    def search(centre: np.ndarray, step: np.ndarray, count: int) -> np.ndarray:
        """The best of ``centre + j * step`` for ``j`` in ``-count..count`` (per pair)."""
        best, best_gap = centre.copy(), np.full(centre.shape, np.inf)
        for j in range(-count, count + 1):
            trial = np.clip(centre + j * step, 0.0, span)
            distance = gap(trial)
            better = distance < best_gap
            best, best_gap = np.where(better, trial, best), np.where(better, distance, best_gap)
        return best

    step = np.maximum(SEARCH_STEP_S, span / (2 * SEARCH_SAMPLES))  # at most ~2 x SEARCH_SAMPLES evaluations
    coarse = search(span / 2.0, step, SEARCH_SAMPLES)
    medium = search(coarse, step / 60.0, 60)
    fine = search(medium, np.maximum(step / 3600.0, 1.0), 60)
    return t0 + (np.clip(fine, 0.0, span) * 1e9).astype("timedelta64[ns]")
