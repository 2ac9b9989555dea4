"""The space workflows shared by the command line and the API: one function per workflow, with no printing.

- :func:`detect_events` over a :class:`~kompas.space.catalog.Catalog` already read: what `kompas space events`
  and the daily cycle (`kompas run`, :mod:`kompas.services.cycle`) both run: manoeuvres, proximity to the
  protected assets, fragmentations, GEO relocations and drifts, re-entries;
- :func:`screen_assets` on the platform: the protected assets against every stored object, conjunctions stored
  with Pc and CDM (:func:`kompas.core.jobs.screen_catalogue`) and linked into conjunction events tracked across
  screenings (:mod:`kompas.core.store.tracks`), then read back for a window (:func:`stored_conjunctions`);
- the conjunction and state CSVs of `kompas space screen` and `kompas space propagate` (:data:`SCREEN_HEADER`,
  :func:`conjunction_row`, :func:`conjunction_csv_row`, :func:`write_states`).

Long steps report through an optional ``progress(step, done, total)`` callback (``step`` a short label such as
``"manoeuvres"``; a new label starts a new step), which a command line turns into progress bars.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from kompas.csvsafe import safe_cell
from kompas.space import events as ev
from kompas.space.catalog import Catalog
from kompas.space.elements import ElementSet
from kompas.space.events import Event
from kompas.space.manoeuvres import Manoeuvre
from kompas.space.proximity import Asset
from kompas.times import as_ns, format_time_utc, parse_time_utc, utc_text_ms

if TYPE_CHECKING:
    from kompas.core.markings import Marking, Viewer
    from kompas.core.store import Store
    from kompas.space.cdm import Covariance
    from kompas.space.propagation import States
    from kompas.space.proximity import Proximity
    from kompas.space.screening import Conjunction

Progress = Callable[[str, float, float], None]  #: ``progress(step, done, total)``.
MapBlocks = Callable[[Callable, Sequence], Iterable]  #: How screening runs its time blocks (serial, threads, Dask).

PROXIMITY_SERIES_STEP_S = 60.0  #: Step of the distance-over-time series kept with each proximity event, s.
REENTRY_PERIGEE_KM = 250.0  #: Re-entry is predicted for newest element sets with a lower perigee altitude, km.
BREAKUP_SEARCH_DAYS = 90  #: A cloud's break-up epoch is searched this many days before its earliest set.


def _quiet(step: str, done: float, total: float) -> None:
    """The default progress callback: nothing."""


def threads() -> MapBlocks:
    """Screening's time blocks on a thread pool as wide as the machine."""
    from kompas.space.screening import thread_map

    return thread_map(os.cpu_count() or 1)


def detect_events(catalog: Catalog, assets: Mapping[int, Asset], proximity_days: float = 7.0,
                  since: np.datetime64 | None = None, until: np.datetime64 | None = None,
                  plots_dir: Path | None = None, progress: Progress | None = None,
                  map_blocks: MapBlocks | None = None) -> list[Event]:
    """Security-relevant events in the element-set history of ``catalog`` (give it many snapshots).

    - manoeuvres (:mod:`kompas.space.manoeuvres`) over every object's history;
    - proximity of other objects to ``assets`` (:mod:`kompas.space.proximity`), screened over the last
      ``proximity_days`` days of the history (0: not screened), raised after manoeuvres;
    - fragmentations with their break-up epoch (:mod:`kompas.space.fragmentation`); with ``plots_dir`` a Gabbard
      diagram per cloud is written there (``gabbard_<designator>.png``);
    - GEO relocations and drifts (:mod:`kompas.space.geo`);
    - re-entries of objects whose newest set has a perigee under :data:`REENTRY_PERIGEE_KM`
      (:mod:`kompas.space.reentry`: drag and space weather with a ballistic coefficient fitted on the object's
      history, else the SGP4 rule).

    Only events with ``since <= epoch_utc < until`` are kept (either bound optional); each carries the owners the
    catalogue's SATCAT records know. Event ids are unique (:attr:`kompas.space.events.Event.id`).
    """
    from kompas.space.geo import behaviour
    from kompas.space.manoeuvres import detect, early_orbit_until
    from kompas.space.reentry import predict

    report = progress or _quiet
    report("manoeuvres", 0, 1)
    # H6 (issue 21): one source per object (CatalogObject.history), early-orbit phases not assessed
    launched = {obj.info.norad_id: obj.info.launch_date for obj in catalog if obj.info.launch_date}
    unsettled: set[int] = set()
    manoeuvres = detect((obj.history for obj in catalog),
                        early_orbit=early_orbit_until((obj.history for obj in catalog), launched, unsettled),
                        unsettled=unsettled)
    found = [ev.from_manoeuvre(m) for m in manoeuvres]
    report("manoeuvres", 1, 1)
    if proximity_days > 0 and len(catalog):
        found += proximities(catalog, assets, proximity_days, manoeuvres, report, map_blocks)
    report("fragmentations", 0, 1)
    found += fragmentations(catalog, plots_dir)
    report("fragmentations", 1, 1)
    report("GEO and re-entries", 0, 2)
    found += [ev.from_relocation(r) for obj in behaviour([o.history for o in catalog]) for r in obj.relocations]
    report("GEO and re-entries", 1, 2)
    low = [obj.latest for obj in catalog if obj.history and obj.latest.perigee_altitude_km < REENTRY_PERIGEE_KM]
    # drag with real space weather and a ballistic coefficient fitted on each object's own history (issue 21)
    histories = {e.norad_id: catalog[e.norad_id].history for e in low}
    found += [ev.from_reentry(p) for p in predict(low, histories=histories) if p.reentry_utc is not None]
    report("GEO and re-entries", 2, 2)
    found = [e for e in found if (since is None or e.epoch_utc >= since) and (until is None or e.epoch_utc < until)]
    owners = {obj.info.norad_id: obj.info.owner for obj in catalog if obj.info.owner}
    return ev.with_owners(found, owners)


def proximities(catalog: Catalog, assets: Mapping[int, Asset], days: float, manoeuvres: Sequence[Manoeuvre],
                progress: Progress | None = None, map_blocks: MapBlocks | None = None) -> list[Event]:
    """Proximity events around ``assets`` over the last ``days`` of the history: the assets below and above
    :data:`~kompas.space.proximity.HIGH_ORBIT_KM` are screened separately (10 km and 50 km), each against the
    objects whose shells come near theirs (:func:`kompas.space.proximity.near_shells`)."""
    from kompas.space.proximity import GEO_KM, HIGH_ORBIT_KM, LEO_KM, distance_series, group, near_shells
    from kompas.space.screening import screen

    report = progress or _quiet
    elsets = [obj.latest for obj in catalog if obj.history]
    end = max(e.epoch_utc for e in elsets)
    start = end - np.timedelta64(int(days * 86400e9), "ns")
    times: dict[int, list[np.datetime64]] = {}
    for m in manoeuvres:
        times.setdefault(m.norad_id, []).append(m.epoch_utc)
    found = []
    for high in (False, True):
        ids = {n for n in assets if n in catalog and catalog[n].history
               and (catalog[n].latest.semi_major_axis_km > HIGH_ORBIT_KM) == high}
        if not ids:
            continue
        distance = GEO_KM if high else LEO_KM
        near = slow_candidates(near_shells(elsets, ids, distance), ids, start, end, distance)
        step = f"proximity ({'GEO' if high else 'LEO/MEO'} assets, {len(near)} objects)"
        report(step, 0, 100)
        result = screen(near, start, days * 86400.0, distance, primaries=ids, map_blocks=map_blocks or threads(),
                        progress=partial(report, step))
        latest = {e.norad_id: e for e in near}
        found += [rated(ev.from_proximity(p, distance_series(latest[p.asset.norad_id], latest[p.other_id], start,
                                                             end, PROXIMITY_SERIES_STEP_S)), p)
                  for p in group(result.conjunctions, assets, times, operators=known_operators(catalog, assets))]
    return found


def known_operators(catalog: Catalog, assets: Mapping[int, Asset]) -> dict[int, str]:
    """NORAD id -> operator where known: the assets' declared owners, SATCAT owners naming an operator, the
    operators' naming rules (:func:`kompas.space.owners.operators`). H6, issue 21."""
    from kompas.space.owners import operators

    names = {obj.info.norad_id: obj.info.name or obj.latest.name for obj in catalog}
    return operators(names, {obj.info.norad_id: obj.info.owner for obj in catalog if obj.info.owner},
                     {n: a.owner for n, a in assets.items() if a.owner})


def rated(event: Event, p: Proximity) -> Event:
    """A proximity event with its rating (:func:`kompas.space.proximity.rating`): a routine approach (same
    operator) gets low severity, ``evidence.relation`` and ``evidence.rating``, and says so in its summary."""
    from kompas.space.proximity import rating

    event.evidence["rating"] = rating(p)
    if p.relation is not None:
        event.severity = "low"
        event.evidence |= {"relation": p.relation, "operator": p.operator}
        event.summary += f" (routine: both operated by {p.operator})"
    return event


PLANE_MARGIN_DEG = 1.0  #: Allowance for the short-period and higher-order motion of the planes, deg.
SPEED_MARGIN_KM_S = 0.1  #: Allowance for the objects being up to the proximity distance apart, km/s.


def slow_candidates(elsets: Sequence[ElementSet], asset_ids: set[int], start_utc: np.datetime64,
                    end_utc: np.datetime64, distance_km: float, slow_km_s: float = 1.0) -> list[ElementSet]:
    """The assets, and the objects that could pass one of them within ``distance_km`` slower than ``slow_km_s``
    between ``start_utc`` and ``end_utc``: only those can make a proximity event (:func:`kompas.space.proximity.
    group` needs approaches under 1 km/s), so the others need not be screened.

    Why: where two objects meet, the radius lies in both orbit planes, so their transverse velocities (``v_t = h /
    r``, perpendicular to the radius in each plane) make the angle ``theta`` between the planes; the radial parts
    are parallel. Hence ``|v1 - v2| >= min(v_t1, v_t2) * sin(theta)`` (``theta`` up to 90 deg; beyond it, at least
    ``min(v_t1, v_t2)``), at any eccentricity. ``v_t >= sqrt(mu p) / r`` with ``r`` at most the lower apogee radius
    plus the distance. The planes turn with J2's secular node rate; over the window the node difference moves
    linearly, and the smallest angle is at the node difference nearest zero (``|i1 - i2|`` when it crosses zero).
    Margins: :data:`PLANE_MARGIN_DEG` on the angle, :data:`SPEED_MARGIN_KM_S` on the speed.
    """
    from kompas.constants import EARTH_RADIUS_WGS72_KM, J2_WGS72, MU_WGS72_KM3_S2

    elsets = list(elsets)
    if not elsets:
        return []
    a = np.array([e.semi_major_axis_km for e in elsets])
    ecc = np.array([e.eccentricity for e in elsets])
    inc = np.radians([e.inclination_deg for e in elsets])
    node = np.radians([e.raan_deg for e in elsets])
    p = a * (1.0 - ecc**2)
    n = np.sqrt(MU_WGS72_KM3_S2 / a**3)
    node_rate = -1.5 * n * J2_WGS72 * (EARTH_RADIUS_WGS72_KM / p) ** 2 * np.cos(inc)  # rad/s
    epochs = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    seconds = [((np.asarray(t, dtype="datetime64[ns]") - epochs) / np.timedelta64(1, "s")).astype(float)
               for t in (start_utc, end_utc)]
    nodes = [node + node_rate * dt for dt in seconds]  # each object's node at the window's start and end
    apogee = a * (1.0 + ecc)
    h = np.sqrt(MU_WGS72_KM3_S2 * p)
    margin = np.radians(PLANE_MARGIN_DEG)
    keep = np.array([e.norad_id in asset_ids for e in elsets])
    for k in np.flatnonzero(keep.copy()):
        d0, d1 = nodes[0] - nodes[0][k], nodes[1] - nodes[1][k]  # node differences, moving linearly over the window
        lo, hi = np.minimum(d0, d1), np.maximum(d0, d1)
        turns = np.ceil(lo / (2 * np.pi)) * 2 * np.pi  # the first multiple of 2 pi at or above lo
        crosses = turns <= hi
        nearest = np.where(np.abs(np.remainder(lo + np.pi, 2 * np.pi) - np.pi)
                           <= np.abs(np.remainder(hi + np.pi, 2 * np.pi) - np.pi), lo, hi)
        cos_theta = np.cos(inc) * np.cos(inc[k]) + np.sin(inc) * np.sin(inc[k]) * np.cos(np.where(crosses, 0.0,
                                                                                                    nearest))
        theta = np.maximum(np.arccos(np.clip(cos_theta, -1.0, 1.0)) - margin, 0.0)
        radius = np.minimum(apogee, apogee[k]) + distance_km
        speed = np.minimum(h, h[k]) / radius * np.where(theta < np.pi / 2, np.sin(theta), 1.0)
        keep |= speed < slow_km_s + SPEED_MARGIN_KM_S
    return [e for e, wanted in zip(elsets, keep, strict=True) if wanted]


def fragmentations(catalog: Catalog, plots_dir: Path | None = None) -> list[Event]:
    """A fragmentation event per debris cloud (each object's earliest element set is nearest the break-up); with
    ``plots_dir``, a Gabbard diagram per cloud written there."""
    from kompas.space.fragmentation import breakup_epoch, clouds

    earliest = {obj.info.norad_id: obj.history[0] for obj in catalog if obj.history}
    found = []
    for cloud in clouds(list(earliest.values())):
        members = [earliest[n] for n in cloud.norad_ids]
        first = min(e.epoch_utc for e in members)
        estimate = breakup_epoch(members, cloud.parent_id, first - np.timedelta64(BREAKUP_SEARCH_DAYS, "D"), first)
        found.append(ev.from_cloud(cloud, estimate, first, members=members))
        if plots_dir is not None:
            from kompas.private import private_dir
            from kompas.reports.gabbard import plot_gabbard

            private_dir(plots_dir)
            plot_gabbard(members, plots_dir / f"gabbard_{cloud.designator}.png", f"Cloud {cloud.designator}",
                         cloud.parent_id)
    return found


def count_by_type(events: Iterable[Event]) -> dict[str, int]:
    """Events per type, in the order of :data:`kompas.space.events.TYPES` (types with none left out)."""
    events = list(events)
    counts = {t: sum(e.type == t for e in events) for t in ev.TYPES}
    return {t: n for t, n in counts.items() if n}


def screen_assets(store: Store, catalog: Catalog | None, assets: Mapping[int, Asset], days: float,
                  threshold_km: float, progress: Progress | None = None, map_blocks: MapBlocks | None = None,
                  start_utc: np.datetime64 | None = None, catalog_marking: Marking | None = None
                  ) -> tuple[int, tuple[str, str], list[dict]]:
    """Screen the protected assets against every stored object for ``days`` from ``start_utc`` (default: the
    newest stored epoch) through the platform (:func:`kompas.core.jobs.screen_catalogue`: stored with Pc and CDM,
    nothing twice; the CDM covariance of an object whose screened input is marked ``catalog_marking`` (the marking
    ``catalog`` was read under) fitted on ``catalog``'s element-set history over the last
    :data:`kompas.core.jobs.HISTORY_DAYS`, of the others on the stored history under their own marking). Returns
    the number of conjunctions newly stored, the window, and every stored conjunction of the window between an
    asset and another object from the current element sets (:func:`stored_conjunctions`; names from ``catalog``
    where the CDM has none)."""
    from kompas.core.jobs import screen_catalogue

    report = progress or _quiet
    covariance = None
    if catalog is not None and len(catalog) and catalog_marking is not None:
        from kompas.core.jobs import HISTORY_DAYS, Lazy, history_covariance

        def fit() -> Covariance | None:  # only when a new conjunction needs a CDM (a rerun fits nothing)
            fitting = "CDMs of the new conjunctions: covariance from the element-set history, Pc"
            report(fitting, 0, 1)
            newest = {o.info.norad_id: o.latest for o in catalog if o.history}
            since = (as_ns(start_utc) if start_utc is not None else max(e.epoch_utc for e in newest.values())) \
                - np.timedelta64(round(HISTORY_DAYS * 86400), "s")
            found = history_covariance({o.info.norad_id: [e for e in o.history if e.epoch_utc >= since]
                                        for o in catalog}, newest,
                                       {o.info.norad_id: o.info.object_type for o in catalog if o.info.object_type})
            report(fitting, 1, 1)
            return found

        covariance = Lazy(fit)
    step = f"screening {len(assets)} protected assets, {days:g} d"
    report(step, 0, 100)
    new = screen_catalogue(store, start_utc=start_utc, days=days, threshold_km=threshold_km,
                           map_blocks=map_blocks or threads(), progress=partial(report, step),
                           primaries=set(assets), covariance=covariance, covariance_marking=catalog_marking)
    # tracking (H5, issue 21 #4): new conjunctions were linked into tracked events as they were stored; this links
    # those stored before tracking existed (once; a rerun finds none)
    store.track_stored_conjunctions()
    if not store.latest_inputs(None, sorted(assets)):
        return len(new), ("", ""), []
    start = (as_ns(start_utc) if start_utc is not None
             else max(i.element_set.epoch_utc for i in store.latest_inputs(None)))
    end = start + np.timedelta64(round(days * 86400e9), "ns")
    rows = stored_conjunctions(store, set(assets), start, end, catalog)
    return len(new), (utc_text_ms(start), utc_text_ms(end)), rows


def stored_conjunctions(store: Store, asset_ids: set[int], start: np.datetime64, end: np.datetime64,
                        catalog: Catalog | None = None) -> list[dict]:
    """The stored conjunctions with TCA in ``[start, end)`` involving an asset, screened from the newest element
    sets of both objects, as rows with the columns of `kompas space screen` (plus ``pc``, ``id``, ``cdm``,
    ``message_id`` and ``marking``), by TCA.
    Relative velocities and names come from each conjunction's CDM (names from ``catalog`` when it has none)."""
    from sqlalchemy import or_, select

    from kompas.core.models import ConjunctionRecord
    from kompas.space import cdm
    from kompas.times import utc_text_ns

    with store.session(None) as s:
        found = s.scalars(select(ConjunctionRecord).where(
            ConjunctionRecord.tca_utc >= utc_text_ns(start), ConjunctionRecord.tca_utc < utc_text_ns(end),
            or_(ConjunctionRecord.primary_id.in_(sorted(asset_ids)),
                ConjunctionRecord.secondary_id.in_(sorted(asset_ids)))).order_by(
            ConjunctionRecord.tca_utc, ConjunctionRecord.id)).all()
        records = [(r.id, r.primary_id, r.secondary_id, r.tca_utc, r.miss_km, r.v_rel_km_s, list(r.rtn_km),
                    r.primary_elset_id, r.secondary_elset_id, r.label,
                    (r.pc, r.pc_basis, list(r.pc_flags or []), r.pc_interval),
                    r.cdm, store.marking_of(s, r.marking_id))
                   for r in found]
    involved = sorted({n for r in records for n in r[1:3]})
    current = {i.record_id for i in store.latest_inputs(None, involved)} if involved else set()
    newest: dict[int, str] = {}  # and the newest operator ephemeris of each object covering the window
    for record_id, norad_id, _, _ in store.ephemerides_covering(None, utc_text_ns(start), utc_text_ns(end),
                                                                  involved):
        newest.setdefault(norad_id, record_id)
    current |= set(newest.values())
    rows = []
    for (cid, primary, secondary, tca, miss, speed, rtn, pset, sset, label, (pc, basis, flags, interval), text,
         marking) in records:
        if pset not in current or sset not in current:
            continue  # screened from element sets since superseded
        velocity, names, message_id = [float("nan")] * 3, ["", ""], ""
        if text:
            message = cdm.parse(text, f"conjunction {cid}")
            message_id = message.message_id
            velocity = [(message.relative.number(f"RELATIVE_VELOCITY_{x}") or 0.0) / 1000.0 for x in "RTN"]
            names = [message.objects[k].get("OBJECT_NAME") or "" for k in (0, 1)]
        for k, n in enumerate((primary, secondary)):
            if catalog is not None and (not names[k] or names[k] == "UNKNOWN") and n in catalog:
                names[k] = catalog[n].info.name or catalog[n].latest.name
        rows.append({"id": cid, "primary_id": primary, "secondary_id": secondary,
                     "tca_utc": utc_text_ms(np.datetime64(tca.rstrip("Z"), "ns")), "miss_km": miss,
                     "v_rel_km_s": speed, "r_km": rtn[0], "t_km": rtn[1], "n_km": rtn[2], "vr_km_s": velocity[0],
                     "vt_km_s": velocity[1], "vn_km_s": velocity[2], "primary_name": names[0],
                     "secondary_name": names[1], "label": label, "same_object_ids": [], "pc": pc, "pc_basis": basis,
                     "pc_flags": flags, "pc_interval": interval, "cdm": text,
                     "message_id": message_id, "marking": marking})
    return rows


STATES_HEADER = "norad_id,time_utc,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s"  #: CSV of propagated states.
SCREEN_HEADER = ("primary_id,secondary_id,tca_utc,miss_km,v_rel_km_s,r_km,t_km,n_km,"
                 "vr_km_s,vt_km_s,vn_km_s,primary_name,secondary_name,label,same_object_ids")  #: Conjunctions CSV.


def write_states(handle: TextIO, states: States) -> None:
    """Append ``states`` as CSV rows of :data:`STATES_HEADER` (km to mm, km/s to um/s), object by object; error
    states skipped."""
    times = format_time_utc(states.times_utc)
    for i, norad_id in enumerate(states.norad_ids):
        good = states.error_code[i] == 0
        r, v = states.position_km[i][good], states.velocity_km_s[i][good]
        handle.writelines(
            f"{norad_id},{t},{x:.6f},{y:.6f},{z:.6f},{vx:.9f},{vy:.9f},{vz:.9f}\n"
            for t, (x, y, z), (vx, vy, vz) in zip(times[good], r, v, strict=True))


def conjunction_row(c: Conjunction) -> dict:
    """A screened conjunction as a row of :data:`SCREEN_HEADER` (times as ISO 8601 UTC text with ``Z``)."""
    r, t, n = c.rtn_km
    vr, vt, vn = c.rtn_velocity_km_s
    return {"primary_id": c.primary_id, "secondary_id": c.secondary_id, "tca_utc": utc_text_ms(c.tca_utc),
            "miss_km": c.miss_km, "v_rel_km_s": c.v_rel_km_s, "r_km": r, "t_km": t, "n_km": n, "vr_km_s": vr,
            "vt_km_s": vt, "vn_km_s": vn, "primary_name": c.primary_name, "secondary_name": c.secondary_name,
            "label": c.label, "same_object_ids": list(c.same_object_ids)}


def conjunction_csv_row(c: Mapping) -> str:
    """One CSV line (no newline) of :data:`SCREEN_HEADER` from a row of :func:`conjunction_row` (km, km/s to the
    micrometre and micrometre per second; names quoted when they hold a comma or a quote)."""
    numbers = ",".join(f"{float(c[k]):.6f}" for k in ("miss_km", "v_rel_km_s", "r_km", "t_km", "n_km", "vr_km_s",
                                                       "vt_km_s", "vn_km_s"))
    return (f"{c['primary_id']},{c['secondary_id']},{c['tca_utc']},{numbers},{csv_text(c['primary_name'] or '')},"
            f"{csv_text(c['secondary_name'] or '')},{c['label']},{' '.join(map(str, c['same_object_ids']))}")


def csv_text(value: str) -> str:
    """A CSV field: spreadsheet-safe (:func:`kompas.csvsafe.safe_cell`), quoted (quotes doubled) when it holds a
    comma, a quote, a ``;`` or a line break."""
    value = safe_cell(value)
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',";\r\n') else value


#: Most conjunctions one cumulative-risk answer reads (an asset's month of screening holds a few hundred): bounds
#: the cost of one request.
MAX_CUMULATIVE_CONJUNCTIONS = 20_000
#: Two conjunctions of the same pair with TCAs closer than this (s) are updates of one encounter (distinct close
#: approaches of a pair are an orbital period apart, 88 minutes and more).
SAME_ENCOUNTER_S = 600.0


def latest_updates(items: Sequence[Mapping], updated: Mapping[str, str]) -> list[Mapping]:
    """One conjunction per encounter: conjunctions of the same two objects whose TCAs chain within
    :data:`SAME_ENCOUNTER_S` are updates of one encounter, and the newest update (``updated``: id -> a sortable
    version, e.g. the newer input epoch; then the later TCA) stands for it. Successive updates are not independent
    encounters: summing them would count one risk several times."""
    by_pair: dict[tuple[int, int], list[Mapping]] = {}
    for c in items:
        by_pair.setdefault((min(c["primary_id"], c["secondary_id"]), max(c["primary_id"], c["secondary_id"])),
                           []).append(c)
    kept = []
    for group in by_pair.values():
        group.sort(key=lambda c: c["tca_utc"])
        encounter = [group[0]]
        for c in group[1:]:
            gap = (parse_time_utc(c["tca_utc"]) - parse_time_utc(encounter[-1]["tca_utc"])) / np.timedelta64(1, "s")
            if gap > SAME_ENCOUNTER_S:
                kept.append(max(encounter, key=lambda u: (updated.get(u["id"], ""), u["tca_utc"])))
                encounter = []
            encounter.append(c)
        kept.append(max(encounter, key=lambda u: (updated.get(u["id"], ""), u["tca_utc"])))
    return sorted(kept, key=lambda c: (c["tca_utc"], c["id"]))


def cumulative_risk(store: Store, viewer: Viewer, norad_id: int, since_utc: str | None = None,
                    until_utc: str | None = None) -> dict:
    """The risk of one object over its conjunctions ``viewer`` may see with TCA in [since, until): the cumulative
    Pc ``1 - prod(1 - Pc)`` over its distinct encounters (:func:`latest_updates`: the newest update of each;
    :func:`kompas.space.probability.cumulative`), the largest, and the same per other object (a pair's repeated
    close approaches), highest first. ``cumulative_pc_high`` takes a Monte Carlo value's 95% upper bound instead of
    its estimate (with no hit the estimate is 0, the bound what to act on). Marked with the combination of the
    markings of the conjunctions read (UNCLASSIFIED TLP:CLEAR when there is none). Raises ValueError when more than
    :data:`MAX_CUMULATIVE_CONJUNCTIONS` conjunctions fall in the window."""
    from kompas.core.markings import Marking, combine
    from kompas.space.probability import cumulative

    read: list = []
    after = None
    while True:
        page = store.conjunctions(viewer, after, 1000, norad_id, since_utc, until_utc)
        read += [c for c in page.items if c["label"] != "same-object"]
        if len(read) > MAX_CUMULATIVE_CONJUNCTIONS:
            raise ValueError(f"more than {MAX_CUMULATIVE_CONJUNCTIONS} conjunctions in the window: give a shorter "
                             f"one (since, until)")
        if not page.next:
            break
        after = page.next
    items = latest_updates(read, store.conjunction_updates([c["id"] for c in read]))
    per: dict[int, list] = {}
    for c in items:
        per.setdefault(c["secondary_id"] if c["primary_id"] == norad_id else c["primary_id"], []).append(c)

    def high(c: Mapping) -> float | None:
        return c["pc_interval"][1] if c.get("pc_interval") else c["pc"]

    def summary(cs: list) -> dict:
        worst = max(cs, key=lambda c: c["pc"] or 0.0)
        return {"conjunctions": len(cs), "with_pc": sum(c["pc"] is not None for c in cs),
                "cumulative_pc": cumulative(c["pc"] for c in cs), "cumulative_pc_high": cumulative(map(high, cs)),
                "max_pc": worst["pc"], "max_pc_id": worst["id"], "max_pc_basis": worst["pc_basis"]}

    by_object = sorted(({"norad_id": other, **summary(cs)} for other, cs in per.items()),
                       key=lambda row: (-row["cumulative_pc"], row["norad_id"]))
    overall = summary(items) if items else {"conjunctions": 0, "with_pc": 0, "cumulative_pc": 0.0,
                                            "cumulative_pc_high": 0.0, "max_pc": None, "max_pc_id": None,
                                            "max_pc_basis": None}
    marking = combine(Marking.from_dict(dict(c["marking"])) for c in read) if read else Marking.build(tlp="CLEAR")
    return {"norad_id": norad_id, "since_utc": since_utc, "until_utc": until_utc, "updates_read": len(read),
            **overall, "by_object": by_object, "marking": marking.as_dict()}
