"""Fragmentations: debris clouds and the epoch of a break-up estimated from the fragments alone.

**Clouds.** Fragments are catalogued under their parent's launch designator (``1982-092A`` is Cosmos 1408,
``1982-092D`` ... its debris, named ``COSMOS 1408 DEB``). A launch designator with at least ``min_fragments``
debris pieces is a cloud; the parent is piece ``A`` when present.

**Break-up epoch.** At the break-up every fragment was where the parent was. Each fragment is propagated back
over a search window and, at each time, its offset from the parent (or, without one, from the cloud's median
position) is measured in the parent's radial and cross-track directions: the along-track offset is left out
because it is where back-propagation error (drag over weeks) accumulates. The epoch is the time at which the
median offset is smallest: hourly over the window, then every minute within a day of the hourly minimum. The
minimum recurs once per orbit near the break-up point, so the estimate is good to about an orbital period.
``sharpness`` = 1 - minimum / median over the window says how clear the minimum is (near 0: no break-up in the
window, e.g. a cloud too old for its elements to reach back to it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kompas.space.elements import ElementSet, is_digits, split_julian_date
from kompas.space.propagation import Propagator
from kompas.times import as_ns


@dataclass
class Cloud:
    """Objects sharing a launch designator: the parent (if catalogued) and its fragments, with statistics."""

    designator: str  # launch part of the international designator, e.g. "1982-092"
    parent_id: int | None
    norad_ids: list[int]
    perigee_km: tuple[float, float]  # min, max altitude
    apogee_km: tuple[float, float]
    inclination_deg: tuple[float, float]
    period_min: tuple[float, float]

    @property
    def fragments(self) -> int:
        return len(self.norad_ids) - (self.parent_id is not None)


@dataclass
class BreakupEstimate:
    """Estimated break-up epoch (UTC), the median radial/cross-track offset there (km) and the search curve."""

    epoch_utc: np.datetime64
    offset_km: float
    sharpness: float
    times_utc: np.ndarray
    offsets_km: np.ndarray


def launch_of(designator: str) -> str:
    """``1982-092D`` or ``82092D`` -> ``1982-092`` (the launch); "" when it cannot be read."""
    text = designator.strip().upper()
    if len(text) >= 8 and text[4] == "-" and is_digits(text[:4]) and is_digits(text[5:8]):
        return text[:8]
    if len(text) >= 5 and is_digits(text[:5]):
        year = int(text[:2])
        return f"{1900 + year if year >= 57 else 2000 + year}-{text[2:5]}"
    return ""


def piece_of(designator: str) -> str:
    """``1982-092D`` or ``82092D`` -> ``D`` (the piece letters)."""
    text = designator.strip().upper()
    return text[8:] if len(text) > 4 and text[4] == "-" else text[5:]


def is_fragment(elset: ElementSet) -> bool:
    """Catalogued as debris: the name says ``DEB`` (as the 18th SDS names fragments)."""
    return "DEB" in elset.name.upper().split()


def clouds(elsets: Sequence[ElementSet], min_fragments: int = 10) -> list[Cloud]:
    """Launch designators with at least ``min_fragments`` debris pieces (:func:`is_fragment`), largest first.

    Launches of many satellites (Starlink batches) share a designator too, but none of them is named debris.
    """
    groups: dict[str, list[ElementSet]] = defaultdict(list)
    for e in elsets:
        launch = launch_of(e.intl_designator)
        if launch:
            groups[launch].append(e)
    out = []
    for launch, members in groups.items():
        parent = next((e for e in members if piece_of(e.intl_designator) == "A"), None)
        if sum(is_fragment(e) for e in members) < min_fragments:
            continue
        perigee = [e.perigee_altitude_km for e in members]
        apogee = [e.apogee_altitude_km for e in members]
        inclination = [e.inclination_deg for e in members]
        period = [e.period_min for e in members]
        out.append(Cloud(launch, parent.norad_id if parent else None, sorted(e.norad_id for e in members),
                         (min(perigee), max(perigee)), (min(apogee), max(apogee)),
                         (min(inclination), max(inclination)), (min(period), max(period))))
    return sorted(out, key=lambda c: -len(c.norad_ids))


def breakup_epoch(elsets: Sequence[ElementSet], parent_id: int | None, search_start_utc: np.datetime64,
                  search_end_utc: np.datetime64) -> BreakupEstimate:
    """When the fragments were closest to the parent in the radial/cross-track sense (module docstring)."""
    prop = Propagator.from_elements(elsets)
    ids = [e.norad_id for e in elsets]
    parent = ids.index(parent_id) if parent_id in ids else None
    start, end = as_ns(search_start_utc), as_ns(search_end_utc)
    hourly = np.arange(start, end, np.timedelta64(3600, "s"))
    coarse = _offsets(prop, hourly, parent)
    best = hourly[int(np.nanargmin(coarse))]
    fine_times = np.arange(best - np.timedelta64(1, "D"), best + np.timedelta64(1, "D"), np.timedelta64(60, "s"))
    fine_times = fine_times[(fine_times >= start) & (fine_times <= end)]
    fine = _offsets(prop, fine_times, parent)
    k = int(np.nanargmin(fine))
    return BreakupEstimate(fine_times[k], float(fine[k]), float(1.0 - fine[k] / np.nanmedian(coarse)), hourly, coarse)


def _offsets(prop: Propagator, times: np.ndarray, parent: int | None) -> np.ndarray:
    """Median radial/cross-track distance of the objects from the parent (or the median position), km."""
    out = np.empty(times.size)
    for lo in range(0, times.size, 256):  # bounded memory: (chunk, 6, n) states at a time
        chunk = times[lo:lo + 256]
        states, _ = prop.grid(*split_julian_date(chunk))
        r = states[:, 0:3, :]
        if parent is not None:
            centre, velocity = r[:, :, parent], states[:, 3:6, parent]
        else:
            centre, velocity = np.nanmedian(r, axis=2), np.nanmedian(states[:, 3:6, :], axis=2)
        radial = centre / np.linalg.norm(centre, axis=1, keepdims=True)
        normal = np.cross(centre, velocity)
        normal /= np.linalg.norm(normal, axis=1, keepdims=True)
        rel = r - centre[:, :, None]
        offset = np.hypot(np.einsum("mi,min->mn", radial, rel), np.einsum("mi,min->mn", normal, rel))
        out[lo:lo + 256] = np.nanmedian(offset, axis=1)
    return out
