"""The situational picture for one viewer: which objects to draw, where they go, and the markers of conjunctions
and events, all from what the viewer may see (the store's access rule) and computed by the space engine.

Used by the web page (`kompas.web`) through the API; no HTTP here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import Any

import numpy as np

from kompas.core.markings import Viewer
from kompas.core.store import Store

MAX_OBJECTS = 2000  #: Objects one picture request may hold.
MAX_TRACK_OBJECTS = 500  #: Distinct objects one track request may ask for.
MAX_POINTS = 1441  #: Time steps one track request may hold (a day at one a minute).
MAX_TRACK_VALUES = 100_000  #: Positions (objects x times) one track request may hold (about 2 MB of JSON).
MAX_TRACK_EPOCH_DAYS = 366  #: How far from the newest element set (days) a track may start: SGP4 drifts km/day.
MARKERS = 200  #: Conjunction and event markers at most.


def picture(store: Store, viewer: Viewer, which: str = "assets", limit: int = 1000) -> dict:
    """The objects to draw and the markers.

    ``which`` is ``assets``: the protected assets of ``kompas/data/assets.yaml``, the :data:`MARKERS` conjunctions
    with them of highest Pc (then nearest TCA) and their newest events, each once, and the objects in those; or
    ``all``: the catalogue by :data:`ALL_RULE` up to ``limit`` objects. Also how many objects the caller may see in
    all (``total_objects``) and the rule, the start time (the newest epoch drawn), how many minutes of track two
    revolutions of the slowest object take (at most a day), and the markings of everything used."""
    from kompas.files import load_assets

    assets = load_assets()
    conjunctions, events = _asset_items(store, viewer, sorted(assets))
    roles: dict[int, str] = {i: "asset" for i in assets}
    for item in conjunctions:
        for n in (item["primary_id"], item["secondary_id"]):
            roles.setdefault(n, "related")
    for item in events:
        for n in item["norad_ids"]:
            roles.setdefault(n, "related")
    total, newest_first = _catalogue(store, viewer, limit if which == "all" else 0)
    for n in newest_first:
        roles.setdefault(n, "object")
    # only the objects drawn are read (not the whole catalogue): the first page loads fast
    latest = {e.norad_id: (e, mid) for _, e, mid in store.latest_element_sets(viewer, list(roles))}
    roles = {n: r for n, r in roles.items() if n in latest}
    if which == "all":
        roles = dict(list(roles.items())[:limit])
    sets = [latest[n][0] for n in roles]
    start = max((e.epoch_utc for e in sets), default=np.datetime64("now", "ns"))
    periods = [1440.0 / e.mean_motion_rev_day for e in sets if e.mean_motion_rev_day > 0]
    minutes = int(min(1440, 2 * max(periods, default=100.0)))
    markers = _markers(conjunctions, events, {e.norad_id: e for e in sets})
    # where each object is at the start: the globe's first screen, before its tracks arrive
    here: dict[int, tuple[float | None, ...]] = {}
    with suppress(ValueError):  # astropy: a start beyond its Earth orientation tables (the tracks say so)
        lat, lon, alt = positions(sets, np.array([start], dtype="datetime64[ns]"))
        here = {e.norad_id: tuple(None if not np.isfinite(v[k, 0]) else round(float(v[k, 0]), digits)
                                  for v, digits in ((lat, 3), (lon, 3), (alt, 1))) for k, e in enumerate(sets)}
    marking_ids = {latest[n][1] for n in roles}
    with store.session(None) as s:
        markings = [store.marking_of(s, mid).as_dict() for mid in marking_ids]
    markings += [item["marking"] for item in conjunctions + events]
    here = {n: here.get(n, (None, None, None)) for n in roles}
    return {"start_utc": str(np.datetime_as_string(start, unit="ms")) + "Z", "minutes": minutes,
            "objects": [{"norad_id": n, "name": latest[n][0].name, "role": r,
                         "period_min": round(1440.0 / latest[n][0].mean_motion_rev_day, 3)
                         if latest[n][0].mean_motion_rev_day > 0 else None,
                         "lat": here[n][0], "lon": here[n][1], "alt_km": here[n][2],
                         **elset_age(latest[n][0], start)} for n, r in roles.items()],
            "total_objects": total, "rule": ALL_RULE if which == "all" else ASSETS_RULE,
            "markers": markers, "markings": markings}


ASSETS_RULE = ("the protected assets, their conjunctions of highest Pc and their newest events (at most "
               f"{MARKERS} of each), and the objects in those")
ALL_RULE = ("the protected assets and the objects in their conjunctions and events first, then the catalogue "
            "by newest element set (the freshest first)")


def elset_age(elset: Any, at_utc: np.datetime64) -> dict:
    """What a shown state rests on (issue 21): the element set's epoch, its age at ``at_utc`` in days (negative
    when the set is dated after it) and its source (``gp``, ``supgp``, ``oem``, ``contributed``)."""
    epoch = np.asarray(elset.epoch_utc, dtype="datetime64[ns]")
    age = float((np.asarray(at_utc, dtype="datetime64[ns]") - epoch) / np.timedelta64(1, "s"))
    return {"elset_epoch_utc": str(np.datetime_as_string(epoch, unit="ms")) + "Z",
            "elset_age_days": round(age / 86400.0, 4), "elset_source": getattr(elset, "origin", "gp")}


def _asset_items(store: Store, viewer: Viewer, asset_ids: Sequence[int]) -> tuple[list[dict], list[dict]]:
    """The :data:`MARKERS` visible conjunctions with a protected asset of highest Pc (no Pc last, then by TCA) and
    the :data:`MARKERS` newest visible events concerning one; each once (two queries, not one per asset)."""
    from sqlalchemy import func, or_, select

    from kompas.core.models import ConjunctionRecord, EventObject, EventRecord
    from kompas.core.store import events as event_store

    ids = list(asset_ids)
    with store.session(viewer) as s:
        rows = s.scalars(select(ConjunctionRecord)
                         .where(or_(ConjunctionRecord.primary_id.in_(ids), ConjunctionRecord.secondary_id.in_(ids)))
                         .order_by(func.coalesce(ConjunctionRecord.pc, -1.0).desc(), ConjunctionRecord.tca_utc,
                                   ConjunctionRecord.id).limit(MARKERS)).all()
        conjunctions = [dict(c) for c in store._complete_conjunctions(s, list(rows), [store._conjunction_dict(s, r)
                                                                                for r in rows])]
        concerned = select(EventObject.event_id).where(EventObject.norad_id.in_(ids))
        found = s.scalars(select(EventRecord).where(EventRecord.id.in_(concerned))
                          .order_by(EventRecord.time_utc.desc(), EventRecord.id).limit(MARKERS)).all()
        events = [dict(event_store.as_dict(store, s, r, viewer)) for r in found]
    return conjunctions, events


def _catalogue(store: Store, viewer: Viewer, limit: int) -> tuple[int, list[int]]:
    """How many objects ``viewer`` may see, and up to ``limit`` of them by newest element set (freshest first)."""
    from sqlalchemy import func, select

    from kompas.core.models import ElementSetRecord

    with store.session(viewer) as s:
        total = s.scalar(select(func.count(func.distinct(ElementSetRecord.norad_id)))) or 0
        if not limit:
            return int(total), []
        newest = (select(ElementSetRecord.norad_id, func.max(ElementSetRecord.epoch_utc).label("epoch"))
                  .group_by(ElementSetRecord.norad_id).order_by(func.max(ElementSetRecord.epoch_utc).desc(),
                                                                ElementSetRecord.norad_id).limit(limit))
        return int(total), [int(r.norad_id) for r in s.execute(newest)]


def _markers(conjunctions: Sequence[dict], events: Sequence[dict], sets: dict) -> list[dict]:
    """One marker per conjunction (at the primary at TCA) and per event (at its first object at its time), named
    by the objects' names, with what ranks them for labels (``rank``: Pc, or the event's severity)."""
    from kompas.space.elements import parse_time_utc

    severity = {"high": 1e-2, "medium": 1e-4, "low": 1e-6}  # ranks events among conjunctions for labels
    wanted = []
    for c in conjunctions:
        # the names of the element sets screened (the conjunction's marking covers them), else the drawn sets'
        names = [c.get(f"{k}_name") or (sets[c[f"{k}_id"]].name if c[f"{k}_id"] in sets else str(c[f"{k}_id"]))
                 for k in ("primary", "secondary")]
        pc = c.get("pc")
        wanted.append(("conjunction", c["id"], c["primary_id"], c["tca_utc"],
                       f"{names[0]} – {names[1]}, {c['miss_km']:.2f} km" + (f", Pc {pc:.1e}" if pc else ""),
                       pc or 0.0, "", c["marking"]["banner"]))
    wanted += [("event", e["id"], e["norad_ids"][0], e["time_utc"], e["title"][:80], severity.get(e["severity"], 0.0),
                e["severity"], e["marking"]["banner"]) for e in events if e["norad_ids"]]
    wanted = [w for w in wanted if w[2] in sets]
    if not wanted:
        return []
    # one propagation for all: every object drawn at every marker time, then each marker's own entry
    objects = sorted({w[2] for w in wanted})
    times = sorted({w[3] for w in wanted})
    lat, lon, alt = positions([sets[n] for n in objects],
                              np.array([parse_time_utc(t) for t in times], dtype="datetime64[ns]"))
    row = {n: k for k, n in enumerate(objects)}
    column = {t: k for k, t in enumerate(times)}
    out = []
    for kind, item_id, norad_id, when, label, rank, severity_name, banner in wanted:
        i, j = row[norad_id], column[when]
        if np.isfinite(lat[i, j]):
            out.append({"kind": kind, "id": item_id, "time_utc": when, "label": label, "rank": float(rank),
                        "severity": severity_name or None, "banner": banner, "lat": float(lat[i, j]),
                        "lon": float(lon[i, j]), "alt_km": float(alt[i, j])})
    return out


def positions(elsets: Sequence, times_utc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geodetic latitude, longitude (deg) and height (km) of each element set at each time, shape (n, m)."""
    from kompas.space.frames import geodetic
    from kompas.space.propagation import propagate_all

    states = propagate_all(list(elsets), times_utc, frame="itrf")
    return geodetic(states.position_km)


class TrackError(ValueError):
    """A track request over a limit or outside what can be computed; the message names the limit and is safe to
    show to the caller."""


def track_times(norad_ids: Sequence[int], minutes: float, step_s: float) -> int:
    """How many times a track request of ``minutes`` every ``step_s`` seconds holds, after checking the limits
    (:data:`MAX_TRACK_OBJECTS` objects, :data:`MAX_POINTS` times, :data:`MAX_TRACK_VALUES` positions):
    :class:`TrackError` naming the limit otherwise."""
    if not (minutes > 0 and step_s > 0 and np.isfinite(minutes) and np.isfinite(step_s)):
        raise TrackError("minutes and step_s must be positive")
    if len(norad_ids) > MAX_TRACK_OBJECTS:
        raise TrackError(f"at most {MAX_TRACK_OBJECTS} objects per request (got {len(norad_ids)}): ask for the "
                         "others in further requests")
    times = int(np.floor(minutes * 60 / step_s + 1e-9)) + 1
    if times > MAX_POINTS:
        raise TrackError(f"{minutes:g} minutes every {step_s:g} s is {times} times; at most {MAX_POINTS} times per "
                         f"request: use step_s >= {minutes * 60 / (MAX_POINTS - 1):.6g}")
    if times * len(norad_ids) > MAX_TRACK_VALUES:
        raise TrackError(f"{len(norad_ids)} objects x {times} times is {times * len(norad_ids)} positions; at most "
                         f"{MAX_TRACK_VALUES} per request: ask for fewer objects, a shorter span or a wider step")
    return times


def tracks(store: Store, viewer: Viewer, norad_ids: Iterable[int], start_utc: np.datetime64 | None, minutes: float,
           step_s: float) -> dict:
    """The visible objects' newest element sets propagated from ``start_utc`` (None: the newest epoch among them)
    for ``minutes`` every ``step_s`` seconds: ``{times_utc, tracks: [{norad_id, lat, lon, alt_km}]}`` (degrees,
    km; null where SGP4 fails), and the markings used. Bounded per request (:func:`track_times`) and to starts
    within :data:`MAX_TRACK_EPOCH_DAYS` days of the newest element set or of today: :class:`TrackError`
    otherwise."""
    from kompas.space.propagation import time_grid

    wanted = list(dict.fromkeys(norad_ids))
    track_times(wanted, minutes, step_s)
    latest = [(e, mid) for _, e, mid in store.latest_element_sets(viewer, wanted)]
    newest = max((e.epoch_utc for e, _ in latest), default=None)
    if start_utc is None:
        start_utc = newest if newest is not None else np.datetime64("now", "ns")
    start_utc = start_utc.astype("datetime64[ns]")
    if newest is not None:  # within the limit of the newest element set or of today (a globe asks in parts)
        days, today = (abs(float((start_utc - t) / np.timedelta64(1, "D")))
                       for t in (newest, np.datetime64("now", "ns")))
        if min(days, today) > MAX_TRACK_EPOCH_DAYS:
            raise TrackError(f"start {np.datetime_as_string(start_utc, unit='s')}Z is {days:.0f} days from the newest "
                             f"element set ({np.datetime_as_string(newest, unit='s')}Z) and {today:.0f} days from "
                             f"today; tracks start within {MAX_TRACK_EPOCH_DAYS} days of either")
    times = time_grid(start_utc, start_utc + np.timedelta64(round(minutes * 60e9), "ns"), step_s)
    out: dict[str, Any] = {"times_utc": [str(t) + "Z" for t in np.datetime_as_string(times, unit="s")],
                           "tracks": [], "markings": []}
    if not latest:
        return out
    try:
        lat, lon, alt = positions([e for e, _ in latest], times)
    except ValueError:  # astropy: times beyond the Earth orientation tables it holds
        raise TrackError(f"positions cannot be computed from {out['times_utc'][0]} (no Earth orientation data "
                         "for these times): choose a start nearer the element sets' epochs") from None

    def column(values: np.ndarray, digits: int) -> list:
        return [None if not np.isfinite(v) else round(float(v), digits) for v in values]

    for k, (e, _) in enumerate(latest):  # 0.001 deg is about 110 m, 0.1 km in height: finer than a pixel
        out["tracks"].append({"norad_id": e.norad_id, "lat": column(lat[k], 3), "lon": column(lon[k], 3),
                              "alt_km": column(alt[k], 1), **elset_age(e, start_utc)})
    with store.session(None) as s:
        out["markings"] = [store.marking_of(s, mid).as_dict() for mid in {mid for _, mid in latest}]
    return out


def conjunction_series(store: Store, viewer: Viewer, conjunction: dict, half_window_s: float = 600.0,
                       step_s: float = 5.0) -> dict | None:
    """The primary-secondary distance around TCA from the newest element sets the viewer may see of both
    (None when the viewer sees neither's elements)."""
    from kompas.space.elements import parse_time_utc
    from kompas.space.proximity import distance_series

    latest = {e.norad_id: (e, mid) for _, e, mid in store.latest_element_sets(
        viewer, [conjunction["primary_id"], conjunction["secondary_id"]])}
    if conjunction["primary_id"] not in latest or conjunction["secondary_id"] not in latest:
        return None
    tca = parse_time_utc(conjunction["tca_utc"])
    half = np.timedelta64(round(half_window_s * 1e9), "ns")
    times, distance = distance_series(latest[conjunction["primary_id"]][0], latest[conjunction["secondary_id"]][0],
                                      tca - half, tca + half, step_s)
    with store.session(None) as s:
        markings = [store.marking_of(s, mid).as_dict() for _, mid in latest.values()]
    return {"times_utc": [str(t) + "Z" for t in np.datetime_as_string(times, unit="ms")],
            "distance_km": [None if not np.isfinite(d) else round(float(d), 4) for d in distance],
            "markings": markings}
