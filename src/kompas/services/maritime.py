"""The maritime service: decode AIS, build tracks, detect behaviour and watch undersea infrastructure, for the CLI
(``kompas maritime``) and the API alike.

:func:`screen` is the whole screening of decoded AIS: tracks (flags from the MID table), the detectors of
:mod:`kompas.maritime.detect`, and the infrastructure watch over the assets chosen (``baltic``: the Baltic seabed
index; ``all``: every cable and HVDC link of the infrastructure data; ``none``; or assets given). The answer carries
the attribution of every data set it used (the cable map is CC BY-NC-SA: shown wherever the alerts are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kompas.core.store import events as platform_events
from kompas.maritime.detect import DEFAULT, DETECTORS, Rules, detect
from kompas.maritime.events import Event
from kompas.maritime.model import Ingest
from kompas.maritime.tracks import Built, build_tracks
from kompas.maritime.watch import Asset, Watch, network_assets
from kompas.rejections import Rejection

ASSET_CHOICES = ("baltic", "all", "none")


@dataclass
class Screening:
    """What :func:`screen` found."""

    ingest: Ingest
    built: Built
    events: list[Event]
    alerts: list[Event]
    assets: list[Asset] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)  #: of the assets and tables used
    attribution: list[str] = field(default_factory=list)
    rules: Rules = DEFAULT

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for event in self.events:
            counts[event.type] = counts.get(event.type, 0) + 1
        return {"counts": {**self.ingest.counts, **self.built.counts}, "events": counts,
                "alerts": len(self.alerts), "assets_watched": len(self.assets),
                "rejections": len(self.ingest.rejections) + len(self.built.rejections) + len(self.rejections),
                "rules": self.rules.as_dict(), "attribution": self.attribution}


def choose_assets(choice: str, extra: list[Asset] | None = None) -> tuple[list[Asset], list[Rejection], list[str]]:
    """The assets of ``choice`` (:data:`ASSET_CHOICES`) plus ``extra``, their rejections and attributions."""
    if choice not in ASSET_CHOICES:
        raise ValueError(f"assets {choice!r}: one of {', '.join(ASSET_CHOICES)}")
    assets: list[Asset] = list(extra or [])
    rejections: list[Rejection] = []
    attribution: list[str] = []
    if choice != "none":
        from kompas.infra.load import public_network
        from kompas.maritime.load import baltic_assets

        network = public_network()
        if choice == "baltic":
            found, rejections, attribution = baltic_assets(network)
        else:
            found = network_assets(network)
            attribution = [s["attribution"] for s in network.sources if s.get("key") in ("cables", "hvdc", "grid")]
        assets.extend(found)
    return assets, rejections, attribution


def screen(ingest: Ingest, rules: Rules = DEFAULT, only: tuple[str, ...] = DETECTORS, assets: str = "baltic",
           extra_assets: list[Asset] | None = None, buffer_km: float = 1.0,
           registry: dict[int, str] | None = None) -> Screening:
    """Tracks, events and infrastructure alerts of ``ingest`` (see the module docstring)."""
    from kompas.maritime.load import ATTRIBUTION, mid_flags

    flags, flag_rejections = mid_flags()
    built = build_tracks(ingest, flags)
    events = detect(built, rules, only, registry)
    chosen, rejections, attribution = choose_assets(assets, extra_assets)
    alerts = Watch(chosen, buffer_km).alerts(events) if chosen else []
    return Screening(ingest, built, events, alerts, chosen, [*flag_rejections, *rejections],
                     [ATTRIBUTION["mid"], *attribution], rules)


# --- on the platform: contributions under markings, the fused view, screening, the map ---------------------------

PUBLIC_MARKING_NOTE = "public AIS is usually UNCLASSIFIED / TLP:CLEAR; a navy's own radar tracks may be SECRET"
MAX_EVENTS = 5_000  #: events one screening answer carries (the counts cover them all)
MAX_MAP_POINTS = 50_000  #: track vertices one map answer carries (tracks are thinned evenly beyond)


def contribute(store: Any, account: Any, ingest: Ingest, marking: Any, source: str,  # noqa: ANN401
               kind: str = "ais", attribution: str = "") -> dict[str, Any]:
    """Store the timed positions of ``ingest`` (and its static reports) as ``account``'s organisation's
    contribution ``source`` of ``kind`` under ``marking`` (checked). Positions without a receive time are counted,
    not stored; every rejection of the decoding is returned (the first 1,000, and the total); ``attribution`` (the
    data's licence or credit: "Contains data from the Danish Maritime Authority...") travels with it. Audited."""
    import numpy as np

    from kompas.core import audit
    from kompas.core.store import maritime as stored

    timed = ingest.positions.take(~np.isnan(ingest.positions.t))
    if kind != "ais":  # a contributor's own radar or fused tracks: not AIS reception (message type 0)
        timed.msg_type = np.zeros(len(timed), dtype=timed.msg_type.dtype)
    batches = stored.add_batches(store, account, timed, ingest.statics, marking, source, kind,
                                 attribution=attribution, anonymous=ingest.anonymous)
    audit.append(store.engine, account.name, "maritime-contribute", f"maritime/{source[:100]}", "ok",
                 f"{len(timed):,} positions in {len(batches)} batch(es), {kind} ({marking.banner()})")
    untimed = len(ingest.positions) - len(timed)
    return {"source": source, "kind": kind, "stored_fixes": len(timed), "untimed": untimed,
            "batches": [b.as_dict() for b in batches], "counts": ingest.counts,
            "rejections": [r.as_dict() for r in ingest.rejections[:1000]],
            "rejections_total": len(ingest.rejections), "marking": marking.as_dict()}


@dataclass
class View:
    """The positions a viewer may see in a window and box, fused from every batch, with their markings."""

    ingest: Ingest
    batches: list[Any]  #: :class:`kompas.core.store.maritime.Entry`, in the order of ``ingest.positions.sources``
    truncated: bool
    start_utc: str | None
    end_utc: str | None
    box: tuple[float, float, float, float] | None

    @property
    def marking(self) -> Any:  # noqa: ANN401 (Marking)
        """The combined marking of the batches read (UNCLASSIFIED / TLP:CLEAR when there are none: public data)."""
        from kompas.core.markings import Marking, combine

        if not self.batches:
            return Marking.build("UNCLASSIFIED", "CLEAR")
        return combine(b.marking for b in self.batches)

    def marking_of(self, sources: Any) -> Any:  # noqa: ANN401
        """The combined marking of the batches with these source indices (a fused track's inputs)."""
        from kompas.core.markings import combine

        return combine(self.batches[int(i)].marking for i in sorted(set(sources)))


def view(store: Any, viewer: Any, start_utc: str | None = None, end_utc: str | None = None,  # noqa: ANN401
         box: tuple[float, float, float, float] | None = None) -> View:
    """The fused positions ``viewer`` may see (None: the platform) in the window (ISO UTC) and box: every batch
    overlapping them (need-to-know applied in the query), cut to the window and box."""
    import numpy as np

    from kompas.core.store import maritime as stored
    from kompas.maritime.events import iso
    from kompas.maritime.model import Positions

    # the batches' windows are stored as iso() text (milliseconds, Z): compare like with like
    start_utc = iso(_unix(start_utc)) if start_utc else None
    end_utc = iso(_unix(end_utc)) if end_utc else None
    rows, truncated = stored.entries(store, viewer, start_utc, end_utc, box)
    loaded = stored.load(store, viewer, rows)
    rows = [r for r in rows if r.row_id in loaded]
    parts: list[Positions] = []
    statics: list[Any] = []
    lo = _unix(start_utc) if start_utc else -np.inf
    hi = _unix(end_utc) if end_utc else np.inf
    for row in rows:
        positions, reports = loaded[row.row_id]
        keep = (positions.t >= lo) & (positions.t <= hi)
        if box is not None:
            keep &= ((positions.lon >= box[0]) & (positions.lat >= box[1]) & (positions.lon <= box[2])
                     & (positions.lat <= box[3]))
        part = positions.take(keep)
        parts.append(part)
        seen_here = set(np.unique(part.mmsi).tolist())  # a batch names only the vessels whose fixes it gave
        statics.extend(r for r in reports if r.mmsi in seen_here)
    merged = Ingest(Positions.concat(parts), statics, [], {"batches": len(rows)},
                    anonymous=bool(rows) and all(r.anonymous for r in rows))
    return View(merged, rows, truncated, start_utc, end_utc, box)


def _unix(text: str) -> float:
    from kompas.times import parse_time_utc

    return float(parse_time_utc(text).astype("datetime64[ns]").astype("int64")) / 1e9


READ_MARGIN_S = 86_400.0  #: a screening reads this much before its window, so an event is seen from its start


def event_markings(seen: View, built: Built, events: list[Event]) -> list[Any]:
    """The marking of each event: the combination of the batches that gave its vessels' fixes (and names), and for
    a gap also of the AIS batches whose reception decided it (:class:`kompas.maritime.detect.Reception`)."""
    import numpy as np

    from kompas.core.markings import combine

    positions = seen.ingest.positions
    by_mmsi: dict[int, set[int]] = {}
    if len(positions):
        order = np.lexsort((positions.source, positions.mmsi))
        pairs = np.unique(np.column_stack([positions.mmsi[order], positions.source[order]]), axis=0)
        for mmsi, source in pairs.tolist():
            by_mmsi.setdefault(int(mmsi), set()).add(int(source))
    ais = {i for i, b in enumerate(seen.batches) if b.kind == "ais"}
    out = []
    for event in events:
        used = set(by_mmsi.get(event.mmsi, set())) | by_mmsi.get(event.other_mmsi, set())
        if event.type in ("dark", "reception_gap"):
            used |= ais
        out.append(combine(seen.batches[i].marking for i in sorted(used)) if used else seen.marking)
    return out


def screen_view(store: Any, viewer: Any, start_utc: str | None = None, end_utc: str | None = None,  # noqa: ANN401
                box: tuple[float, float, float, float] | None = None, assets: str = "baltic",
                rules: Rules = DEFAULT, buffer_km: float = 1.0, record: bool = False, by: str = "") -> dict[str, Any]:
    """Screen what ``viewer`` may see in the window and box (:func:`view`, then :func:`screen`): the events
    overlapping the window (the first :data:`MAX_EVENTS`; the positions are read from :data:`READ_MARGIN_S`
    before it, so an event under way when the window opens keeps its true start) and alerts, each event marked
    by its own inputs (:func:`event_markings`), the answer by every batch read. With ``record`` (a viewer is
    needed) the behaviour events are stored in the envelope (domain ``maritime``), each under its own marking, so
    alerts, the response engine and the picture see them; the same event recorded again by the same organisation
    under the same marking is stored once (its id is derived from them). Audited."""
    from kompas.core import audit
    from kompas.core.envelope import from_maritime_event
    from kompas.core.store import StoreError
    from kompas.core.store import events as platform_events
    from kompas.maritime.events import iso

    read_from = iso(_unix(start_utc) - READ_MARGIN_S) if start_utc else None
    seen = view(store, viewer, read_from, end_utc, box)
    if not len(seen.ingest.positions):
        raise StoreError("no positions you may see in that window and box: contribute AIS first (kompas maritime "
                         "ingest --contribute, POST /api/v1/maritime/ais)")
    found = screen(seen.ingest, rules, assets=assets, buffer_km=buffer_km)
    opens = _unix(start_utc) if start_utc else -float("inf")
    kept = [e for e in found.events if e.end >= opens]
    markings = event_markings(seen, found.built, kept)
    marking = seen.marking
    answer: dict[str, Any] = {
        **found.summary(), "events": [e.as_dict() | {"marking": m.as_dict(), "banner": m.banner()}
                                      for e, m in zip(kept[:MAX_EVENTS], markings, strict=False)],
        "attribution": list(dict.fromkeys([*found.attribution, *(b.attribution for b in seen.batches
                                                                 if b.attribution)])),
        "events_total": len(kept), "marking": marking.as_dict(), "banner": marking.banner(),
        "batches": [b.as_dict() for b in seen.batches], "truncated": seen.truncated,
        "window": {"start_utc": start_utc, "end_utc": end_utc, "read_from_utc": read_from,
                   "box": list(box) if box else None}}
    if record:
        if viewer is None:
            raise StoreError("recording maritime events needs a user (--user): the events are theirs to see")
        items = []
        for event, event_marking in zip(kept, markings, strict=True):
            if event.data_error or event.type == "reception_gap":
                continue  # data errors and coverage holes stay in the answer, not in the shared picture
            items.append((from_maritime_event(event.as_dict(), f"kompas maritime screen ({viewer.org})",
                                              scope=f"{viewer.org}|{event_marking.key()}"), event_marking))
        done = platform_events.store(store, items, "maritime screen")
        answer["recorded"] = len(done.ids)
        answer["not_recorded"] = [{"field": r.field, "reason": r.reason} for r in done.rejected[:20]]
        audit.append(store.engine, by or viewer.org, "maritime-screen", "events", "ok",
                     f"{len(done.ids)} events recorded ({marking.banner()})")
    return answer


def map_layers(store: Any, viewer: Any, start_utc: str | None = None, end_utc: str | None = None,  # noqa: ANN401
               box: tuple[float, float, float, float] | None = None, assets: str = "baltic",
               max_points: int = MAX_MAP_POINTS) -> dict[str, Any]:
    """The web map's layers for a window and box, as GeoJSON: ``tracks`` (a LineString per vessel with the Unix
    time of each vertex in ``properties.times`` for the time slider, thinned evenly to ``max_points`` vertices in
    all, each marked by its inputs), ``events`` (the maritime events recorded in the window that ``viewer`` may
    see, as points) and ``assets`` (the undersea cables and links watched, with their route accuracy); the combined
    marking of everything shown and the attribution of the data used."""
    import numpy as np

    from kompas.core.markings import combine
    from kompas.core.store import events as platform_events
    from kompas.maritime.events import iso
    from kompas.maritime.load import mid_flags

    seen = view(store, viewer, start_utc, end_utc, box)
    built = build_tracks(seen.ingest, mid_flags()[0])
    total = max(1, sum(len(t) for t in built.tracks))
    share = min(1.0, max(1, max_points) / total)
    features: list[dict[str, Any]] = []
    vertices = 0
    markings = [seen.marking] if seen.batches else []
    for track in built.tracks:
        fixes = track.fixes
        keep = max(2, int(len(fixes) * share))
        index = np.unique(np.linspace(0, len(fixes) - 1, min(keep, len(fixes))).round().astype(np.int64))
        marking = seen.marking_of(fixes.source)
        vessel = track.vessel
        vertices += len(index)
        features.append({"type": "Feature", "geometry": {
            "type": "LineString" if len(index) > 1 else "Point",
            "coordinates": ([[round(float(fixes.lon[i]), 5), round(float(fixes.lat[i]), 5)] for i in index]
                            if len(index) > 1 else [round(float(fixes.lon[0]), 5), round(float(fixes.lat[0]), 5)])},
            "properties": {"mmsi": track.mmsi, "name": vessel.name, "flag": vessel.flag.country if vessel.flag else "",
                           "ship_type": vessel.ship_type, "times": [round(float(fixes.t[i]), 1) for i in index],
                           "start_utc": iso(float(fixes.t[0])), "end_utc": iso(float(fixes.t[-1])),
                           "fixes": len(fixes), "banner": marking.banner()}})
    from kompas.core.envelope import stored_time
    from kompas.core.stix import marking_from_dict

    listed = platform_events.listing(
        store, viewer, limit=1000, domain="maritime", since_utc=stored_time(start_utc) if start_utc else None,
        until_utc=stored_time(end_utc) if end_utc else None) if viewer is not None else None
    event_features = []
    for item in (listed.items if listed is not None else []):
        place = item.get("place") or {}
        if place.get("lat") is None:
            continue
        markings.append(marking_from_dict(dict(item["marking"])))
        event_features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            place["lon"], place["lat"]]}, "properties": {
            "id": item["id"], "type": item["kind"], "title": item["title"], "severity": item.get("severity"),
            "start_utc": item.get("start_utc"), "end_utc": item.get("end_utc"),
            "asset": (item.get("detail") or {}).get("asset", ""), "banner": item["marking"]["banner"],
            "mmsi": (item.get("detail") or {}).get("mmsi"),
            "vessel": ((item.get("detail") or {}).get("vessel") or {}).get("name", "")}})
    chosen, _, attribution = choose_assets(assets)
    asset_features = [{"type": "Feature", "geometry": a.geometry.__geo_interface__, "properties": a.describe()}
                      for a in chosen]
    marking = combine(markings) if markings else seen.marking
    from kompas.maritime.load import ATTRIBUTION

    return {"tracks": {"type": "FeatureCollection", "features": features},
            "events": {"type": "FeatureCollection", "features": event_features},
            "assets": {"type": "FeatureCollection", "features": asset_features},
            "marking": marking.as_dict(), "banner": marking.banner(), "truncated": seen.truncated,
            "thinned": share < 1.0, "vertices": vertices,
            "attribution": list(dict.fromkeys([ATTRIBUTION["mid"], *attribution,
                                               *(b.attribution for b in seen.batches if b.attribution)]))}


def contributions(store: Any, viewer: Any, org: str | None = None) -> list[dict[str, Any]]:  # noqa: ANN401
    """The batches ``viewer`` may see (need-to-know applied in the query), newest first."""
    from kompas.core.store import maritime as stored

    rows, _ = stored.entries(store, viewer, org=org)
    return [r.as_dict() for r in rows]


def withdraw(store: Any, account: Any, source: str | None = None, row_ids: tuple[str, ...] = ()  # noqa: ANN401
             ) -> list[dict[str, Any]]:
    """Withdraw ``account``'s organisation's batches (by source and/or id). Audited."""
    from kompas.core import audit
    from kompas.core.store import maritime as stored

    gone = stored.withdraw(store, account, source, row_ids)
    audit.append(store.engine, account.name, "maritime-withdraw", f"maritime/{(source or '')[:100]}", "ok",
                 f"{len(gone)} batch(es), {sum(g.fixes for g in gone):,} positions")
    return [g.as_dict() for g in gone]


def export_cise(store: Any, viewer: Any, since_utc: str | None = None, until_utc: str | None = None,  # noqa: ANN401
                limit: int = 1000) -> dict[str, Any]:
    """The maritime events recorded on the platform that ``viewer`` may see (the first ``limit``, in time order,
    in a window of their time), as CISE-shaped JSON (:func:`kompas.maritime.export.to_cise`), marked with the
    combination of their markings (public when there are none). STIX 2.1: ``GET /api/v1/events/stix?domain=
    maritime``."""
    from kompas.core.envelope import stored_time
    from kompas.core.markings import Marking, combine
    from kompas.core.stix import marking_from_dict
    from kompas.maritime.export import to_cise

    records: list[dict[str, Any]] = []
    markings: list[Any] = []
    after = None
    while len(records) < limit:
        page = platform_events.listing(store, viewer, after=after, limit=min(1000, limit - len(records)),
                                       domain="maritime", since_utc=stored_time(since_utc) if since_utc else None,
                                       until_utc=stored_time(until_utc) if until_utc else None)
        for item in page.items:
            detail = dict(item.get("detail") or {})
            records.append({**detail, "type": item["kind"], "detail": dict(item.get("evidence") or {}),
                            "event_id": item["id"]})
            markings.append(marking_from_dict(dict(item["marking"])))
        if page.next is None:
            break
        after = page.next
    marking = combine(markings) if markings else Marking.build("UNCLASSIFIED", "CLEAR")
    out = to_cise(records, marking.banner())
    out["marking"] = marking.as_dict()
    return out
