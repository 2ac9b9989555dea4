"""Space-segment enrichment of an ISAC report: the pure part (the platform supplies the catalogue).

Given a report's NORAD ids and time, and element sets (:class:`kompas.space.elements.ElementSet`, e.g. the
platform's catalogue history), :func:`enrich` gives per object:

- the **element sets before and after** the time: the latest with an epoch at or before it, the earliest after it
  (SATIS lists "TLE before & TLE after" among the reporting elements);
- the **orbit regime** from the set in use (:func:`kompas.space.summary.orbit_regime`, reused: LEO apogee below
  2,000 km; GEO period 1,436 min +-1 % with e < 0.01; HEO e >= 0.25; else MEO), with perigee and apogee heights
  (km above the WGS-72 sphere) and inclination;
- the **sub-satellite point** at the time: SGP4 (:func:`kompas.space.propagation.propagate_all`, the reference
  ``sgp4`` backend: a handful of objects does not pay heyoka's compilation) to ITRF
  (:mod:`kompas.space.frames`: TEME -> PEF by GMST82, polar motion from the IERS tables astropy ships) and WGS-84
  geodetic latitude, longitude and height (:func:`kompas.space.frames.geodetic`, ERFA ``gc2gd``);
- the **objects within** ``radius_km`` at the time among ``candidates`` (element sets of other objects; each
  object's set nearest the time is used), with their distance (km, TEME: distances do not depend on the frame).

The set in use is the one before the time (what was known then), else the one after. Obfuscated NORAD ids
(``report.norad_ids_obfuscated``) are never enriched: they name other, real objects. Propagation far from an
element set's epoch is uncertain (SGP4 errors grow by about a kilometre a day in LEO); each result gives the age of
the set used (days, positive when the set is older than the time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from kompas.isac.model import IsacReport
from kompas.space.elements import ElementSet
from kompas.space.frames import geodetic
from kompas.space.propagation import propagate_all
from kompas.space.summary import orbit_regime
from kompas.times import as_ns, utc_text_ns

__all__ = ["Enrichment", "Neighbour", "element_sets_around", "enrich", "enrich_report"]


@dataclass(frozen=True)
class Neighbour:
    """Another object near the reported one at the time: NORAD id, name, distance (km)."""

    norad_id: int
    name: str
    distance_km: float


@dataclass(frozen=True)
class Enrichment:
    """What the catalogue says about one reported object at the report's time (module docstring). Fields are
    None when no element set of the object is known; ``note`` says why."""

    norad_id: int
    time_utc: str
    before: ElementSet | None = None
    after: ElementSet | None = None
    regime: str | None = None
    perigee_km: float | None = None
    apogee_km: float | None = None
    inclination_deg: float | None = None
    set_age_days: float | None = None
    subpoint_lat_deg: float | None = None
    subpoint_lon_deg: float | None = None
    subpoint_height_km: float | None = None
    neighbours: tuple[Neighbour, ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        def epoch(e: ElementSet | None) -> str | None:
            return None if e is None else utc_text_ns(e.epoch_utc)

        return {"norad_id": self.norad_id, "time_utc": self.time_utc, "before_epoch_utc": epoch(self.before),
                "after_epoch_utc": epoch(self.after), "regime": self.regime, "perigee_km": self.perigee_km,
                "apogee_km": self.apogee_km, "inclination_deg": self.inclination_deg,
                "set_age_days": self.set_age_days, "subpoint_lat_deg": self.subpoint_lat_deg,
                "subpoint_lon_deg": self.subpoint_lon_deg, "subpoint_height_km": self.subpoint_height_km,
                "neighbours": [n.__dict__ for n in self.neighbours], "note": self.note}


def element_sets_around(elsets: Iterable[ElementSet], norad_id: int, time_utc: np.datetime64 | str
                        ) -> tuple[ElementSet | None, ElementSet | None]:
    """The object's latest element set with epoch at or before ``time_utc`` and its earliest after it."""
    when = as_ns(_time(time_utc))
    before = after = None
    for e in elsets:
        if e.norad_id != norad_id:
            continue
        if e.epoch_utc <= when:
            if before is None or e.epoch_utc > before.epoch_utc:
                before = e
        elif after is None or e.epoch_utc < after.epoch_utc:
            after = e
    return before, after


def _time(time_utc: np.datetime64 | str) -> np.datetime64:
    if isinstance(time_utc, str):
        from kompas.times import parse_time_utc

        return parse_time_utc(time_utc)
    return time_utc


def _nearest(sets: Sequence[ElementSet], when: np.datetime64) -> ElementSet:
    return min(sets, key=lambda e: (abs(int((e.epoch_utc - when).astype(np.int64))), -int(e.epoch_utc.astype(
        np.int64))))


def enrich(norad_ids: Sequence[int], time_utc: np.datetime64 | str, elsets: Iterable[ElementSet],
           candidates: Iterable[ElementSet] = (), radius_km: float = 50.0) -> list[Enrichment]:
    """Enrich each object of ``norad_ids`` at ``time_utc`` (module docstring). ``elsets``: the element sets known
    for the reported objects (any others are ignored); ``candidates``: element sets of the objects to screen for
    neighbours within ``radius_km`` (the reported objects themselves are left out)."""
    if radius_km <= 0:
        raise ValueError("radius_km must be positive")
    when = as_ns(_time(time_utc))
    stamp = utc_text_ns(when)
    pool = [e for e in elsets if e.norad_id in set(norad_ids)]
    others: dict[int, list[ElementSet]] = defaultdict(list)
    for e in candidates:
        if e.norad_id not in set(norad_ids):
            others[e.norad_id].append(e)
    near = [_nearest(sets, when) for _, sets in sorted(others.items())]
    times = np.array([when], dtype="datetime64[ns]")
    around = propagate_all(near, times, "teme", backend="sgp4") if near else None
    out = []
    for norad in dict.fromkeys(norad_ids):
        before, after = element_sets_around(pool, norad, when)
        used = before or after
        if used is None:
            out.append(Enrichment(norad, stamp, note="no element set of this object is known"))
            continue
        itrf = propagate_all([used], times, "itrf", backend="sgp4")
        lat, lon, height = geodetic(itrf.position_km[0, 0])
        teme = propagate_all([used], times, "teme", backend="sgp4").position_km[0, 0]
        neighbours: list[Neighbour] = []
        if around is not None and np.isfinite(teme).all():
            distance = np.linalg.norm(around.position_km[:, 0, :] - teme, axis=1)
            for k in np.flatnonzero(distance <= radius_km):
                neighbours.append(Neighbour(int(around.norad_ids[k]), near[k].name, round(float(distance[k]), 3)))
            neighbours.sort(key=lambda n: (n.distance_km, n.norad_id))
        error = int(itrf.error_code[0, 0])
        note = "" if error == 0 else f"SGP4 error {error} at the time: no sub-satellite point"
        out.append(Enrichment(
            norad, stamp, before, after, orbit_regime(used), round(used.perigee_altitude_km, 3),
            round(used.apogee_altitude_km, 3), used.inclination_deg,
            round(float((when - used.epoch_utc) / np.timedelta64(1, "s")) / 86400.0, 6),
            None if error else round(float(lat), 6), None if error else round(float(lon), 6),
            None if error else round(float(height), 3), tuple(neighbours), note))
    return out


def enrich_report(report: IsacReport, elsets: Iterable[ElementSet], candidates: Iterable[ElementSet] = (),
                  radius_km: float = 50.0) -> list[Enrichment]:
    """:func:`enrich` of a report at its start; [] when its NORAD ids are obfuscated (module docstring) or it
    names none."""
    if report.norad_ids_obfuscated or not report.norad_ids:
        return []
    return enrich(report.norad_ids, report.start_utc, elsets, candidates, radius_km)
