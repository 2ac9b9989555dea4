"""Proximity and rendezvous (RPO) around protected assets.

The screening engine finds every close approach of a protected asset within a distance (default 10 km for
assets below 20,000 km of semi-major axis, 50 km above, where co-orbital inspectors operate). Approaches are
grouped per (asset, other object); a group is a proximity event when it is

- **repeated**: at least ``min_repeats`` approaches in the window at relative speeds under ``repeat_km_s``
  (orbit crossings at several km/s are conjunctions, the screening's business, not rendezvous), or
- **sustained**: slow relative speed (under ``slow_km_s``), i.e. the object stays near the asset rather than
  crossing its orbit,

and it is raised in severity when the other object **manoeuvred** before or during the approaches (the pattern of
co-orbital inspectors). Two assets of the same programme (Galileo satellites, co-located fleets) are not
reported against each other.

**Routine** (issue 21): an approach between an asset and an object of the same operator
(:mod:`kompas.space.owners`: SES's satellites co-located at 23.5 deg E, a constellation's own satellites, a
same-owner formation) is the operator's own coordinated flying, not a threat: :attr:`Proximity.relation` is
``"same-owner"`` and :func:`rating` says ``routine`` (reported with low severity, after every threat). Objects of
unknown operator are never routine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.pairs import same_owner
from kompas.space.propagation import Propagator, time_grid
from kompas.space.screening import Conjunction

SHELL_MARGIN_KM = 100.0  #: Mean-element perigee/apogee vs. the osculating radius: J2 short periods are ~10 km.
LEO_KM = 10.0
GEO_KM = 50.0
HIGH_ORBIT_KM = 20000.0  #: Semi-major axis above which GEO_KM applies.


@dataclass(frozen=True)
class Asset:
    """A protected asset: NORAD id, name, owner and programme (as in ``kompas/data/assets.yaml``)."""

    norad_id: int
    name: str
    owner: str
    programme: str


@dataclass
class Proximity:
    """Approaches of one object to one asset in the window (times UTC, distances km)."""

    asset: Asset
    other_id: int
    other_name: str
    approaches: int
    closest_km: float
    closest_utc: np.datetime64
    first_utc: np.datetime64
    last_utc: np.datetime64
    slowest_km_s: float
    repeated: bool
    sustained: bool
    manoeuvred: bool  # the other object manoeuvred before the last approach
    approach_times_utc: tuple[np.datetime64, ...] = ()  # every approach's time of closest approach
    approach_km: tuple[float, ...] = ()  # its miss distance, km
    approach_km_s: tuple[float, ...] = ()  # its relative speed, km/s
    relation: str | None = None  # "same-owner" when asset and object have one operator (routine), else None
    operator: str = ""  # that operator, when same-owner


def near_shells(elsets: Sequence, asset_ids: set[int], distance_km: float) -> list:
    """The assets and every object whose perigee-apogee shell (widened by the distance and
    :data:`SHELL_MARGIN_KM`) overlaps an asset's: nothing else can come within ``distance_km`` of an asset."""
    pad = distance_km + SHELL_MARGIN_KM
    shells = [(e.perigee_altitude_km - pad, e.apogee_altitude_km + pad) for e in elsets if e.norad_id in asset_ids]
    return [e for e in elsets if e.norad_id in asset_ids
            or any(lo <= e.apogee_altitude_km and e.perigee_altitude_km <= hi for lo, hi in shells)]


def rating(p: Proximity) -> str:
    """``routine`` (same operator), ``high`` (the other object manoeuvred before the last approach) or
    ``medium``."""
    if p.relation is not None:
        return "routine"
    return "high" if p.manoeuvred else "medium"


def group(conjunctions: Sequence[Conjunction], assets: Mapping[int, Asset],
          manoeuvre_times: Mapping[int, Sequence[np.datetime64]], min_repeats: int = 3,
          slow_km_s: float = 0.05, repeat_km_s: float = 1.0,
          operators: Mapping[int, str] | None = None) -> list[Proximity]:
    """Proximity events from screening results of the assets against the catalogue (see the module docstring).
    ``operators``: NORAD id -> operator where known (:func:`kompas.space.owners.operators`), for the routine
    same-owner relation."""
    known = operators or {}
    pairs: dict[tuple[int, int], list[Conjunction]] = defaultdict(list)
    for c in conjunctions:
        if c.label == "same-object":
            continue
        for asset_id, other in ((c.primary_id, c.secondary_id), (c.secondary_id, c.primary_id)):
            if asset_id in assets and not (other in assets and assets[other].programme == assets[asset_id].programme):
                pairs[(asset_id, other)].append(c)
                break
    out = []
    for (asset_id, other), group_ in pairs.items():
        closest = min(group_, key=lambda c: c.miss_km)
        repeated = sum(c.v_rel_km_s < repeat_km_s for c in group_) >= min_repeats
        slowest = min(c.v_rel_km_s for c in group_)
        sustained = slowest < slow_km_s
        if not (repeated or sustained):
            continue
        last = max(c.tca_utc for c in group_)
        names = {c.primary_id: c.primary_name for c in group_} | {c.secondary_id: c.secondary_name for c in group_}
        ordered = sorted(group_, key=lambda c: c.tca_utc)
        out.append(Proximity(assets[asset_id], other, names.get(other, ""), len(group_), closest.miss_km,
                             closest.tca_utc, ordered[0].tca_utc, last, slowest, repeated, sustained,
                             any(t <= last for t in manoeuvre_times.get(other, ())),
                             tuple(c.tca_utc for c in ordered), tuple(c.miss_km for c in ordered),
                             tuple(c.v_rel_km_s for c in ordered),
                             *(("same-owner", known[asset_id]) if same_owner(known.get(asset_id), known.get(other))
                               else (None, ""))))
    return sorted(out, key=lambda p: (p.first_utc, p.asset.norad_id, p.other_id))


def distance_series(asset: ElementSet, other: ElementSet, start_utc: np.datetime64, end_utc: np.datetime64,
                    step_s: float = 600.0) -> tuple[np.ndarray, np.ndarray]:
    """Times (UTC) and the asset-to-object distance, km, every ``step_s`` seconds over the window (SGP4, TEME).

    The picture of an approach pattern: a co-orbital object stays near, a crossing object dips once per
    encounter. NaN where either element set cannot be propagated.
    """
    times = time_grid(start_utc, end_utc, step_s)
    states, _ = Propagator.from_elements([asset, other]).grid(*split_julian_date(times))
    return times, np.linalg.norm(states[:, 0:3, 0] - states[:, 0:3, 1], axis=1)
