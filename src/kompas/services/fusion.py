"""The fused picture (issue 26, deliverable 1): every event of every domain a viewer may see, on one timeline and
one map, filtered by time, domain, severity, region (countries or a box), actor, and linked into situations
(:mod:`kompas.intel.situations`). The command line (``kompas intel picture``, ``kompas intel situations``) and the
API (``/api/v1/fusion/...``) call :func:`picture`.

Reading: the events are read from the platform's event table under the access rule, in the database query
(:meth:`kompas.core.store.base.StoreBase.paginate` in a session serving the viewer: what the viewer may not see is
never read), newest first, with the time window, domains, least severity and box as SQL conditions. Country and
actor filters look inside the envelope's JSON (place and actors), so they are applied to the rows read, page by
page, until ``limit`` events match or :data:`MAX_SCAN` rows have been read (``truncated`` says which). Situations
are linked among the events returned (so they are those of what the viewer sees and asked for).

Every answer carries the markings of the events it returns (``markings``, each once) and their combination
(``marking``; UNCLASSIFIED / TLP:CLEAR when there are none); each event and each situation carries its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import select

from kompas.core.envelope import DOMAINS, SEVERITIES
from kompas.core.markings import TLP, Marking, Viewer, combine
from kompas.core.models import EventRecord
from kompas.core.store import events as platform_events
from kompas.core.store.base import StoreBase
from kompas.intel.situations import Rule, countries_of, country_code, link
from kompas.response.features import EU_MEMBER_STATES

PUBLIC = Marking(tlp=TLP.CLEAR)  #: the marking of an answer that shows nothing marked
DEFAULT_LIMIT = 1000  #: events one answer returns by default
MAX_LIMIT = 5000  #: ... at most (and the most situations are linked from)
MAX_SCAN = 20_000  #: rows read at most to find ``limit`` events matching the country and actor filters
PAGE = 1000  #: rows per database page
MAX_COUNTRIES = 60  #: countries one filter names at most
#: Named regions: a box (lon_min, lat_min, lon_max, lat_max, degrees; rectangles drawn round the sea, so they take in
#: some coast) or a list of countries.
REGIONS: dict[str, tuple[str, tuple[float, float, float, float] | tuple[str, ...]]] = {
    "baltic": ("The Baltic Sea (the box of the Baltic seabed index)", (10.0, 53.5, 31.0, 66.5)),
    "north-sea": ("The North Sea", (-4.5, 50.5, 12.0, 62.0)),
    "black-sea": ("The Black Sea", (27.0, 40.5, 42.0, 47.5)),
    "mediterranean": ("The Mediterranean Sea", (-6.0, 30.0, 36.5, 46.0)),
    "eu": ("The 27 EU member states (events concerning them)", tuple(EU_MEMBER_STATES)),
}
#: Codes a country filter accepts besides ISO 3166-1: the EU itself and Kosovo's user-assigned code.
EXTRA_COUNTRIES = frozenset({"EU", "XK"})


class FusionError(ValueError):
    """Filters that cannot be used; ``problems`` names each (field, reason), the API's 422 list."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{p['field']}: {p['reason']}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Filters:
    """What the picture shows: events whose best-estimate time is in [``since_utc``, ``until_utc``) (stored form,
    ns, ``Z``), of one of ``domains`` (all when empty), at or above ``severity``, concerning one of ``countries``
    (ISO alpha-2; events naming them in ``place.countries`` or as a country actor), placed inside ``box``
    (lon_min, lat_min, lon_max, lat_max, degrees; unplaced events are then left out), naming ``actor`` (its id or
    name, any case, or ``kind:id``); at most ``limit``, newest first. Every given filter must hold."""

    since_utc: str | None = None
    until_utc: str | None = None
    domains: tuple[str, ...] = ()
    severity: str | None = None
    countries: tuple[str, ...] = ()
    box: tuple[float, float, float, float] | None = None
    actor: str | None = None
    limit: int = DEFAULT_LIMIT
    region: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"since_utc": self.since_utc, "until_utc": self.until_utc, "domains": list(self.domains),
                "severity": self.severity, "countries": list(self.countries),
                "bbox": None if self.box is None else list(self.box), "actor": self.actor, "limit": self.limit,
                "region": self.region}


def filters(since: str | None = None, until: str | None = None, domains: Iterable[str] = (),
            severity: str | None = None, countries: Iterable[str] = (), region: str | None = None,
            bbox: str | Sequence[float] | None = None, actor: str | None = None, limit: int = DEFAULT_LIMIT
            ) -> Filters:
    """:class:`Filters` from what a user typed, every problem named (:class:`FusionError`): times as ISO 8601 UTC
    (a day, or a day and time), domains of :data:`kompas.core.envelope.DOMAINS`, a severity, countries as ISO
    3166 codes or English names, a named ``region`` (:data:`REGIONS`: its box or its countries are added to the
    filters), a ``bbox`` ``lon_min,lat_min,lon_max,lat_max`` (degrees), an actor, ``limit`` 1..:data:`MAX_LIMIT`."""
    from kompas.core.markings import countries as iso_countries
    from kompas.times import parse_time_utc, utc_text_ns

    problems: list[dict[str, str]] = []

    def bad(name: str, reason: str) -> None:
        problems.append({"field": name, "reason": reason})

    times: dict[str, str | None] = {}
    for name, text in (("since", since), ("until", until)):
        times[name] = None
        if text:
            try:
                if not "1900" <= text.strip()[:4] <= "2199":
                    raise ValueError("a time between 1900 and 2199")
                times[name] = utc_text_ns(parse_time_utc(text))
            except ValueError as error:
                bad(name, f"{text[:40]!r} is not an ISO 8601 UTC time ({error})")
    if times["since"] and times["until"] and times["until"] <= times["since"]:
        bad("until", "must come after since")
    chosen = tuple(dict.fromkeys(d.strip().lower() for d in domains if d.strip()))
    for domain in chosen:
        if domain not in DOMAINS:
            bad("domain", f"{domain[:40]!r} is not one of {', '.join(DOMAINS)}")
    if severity is not None and severity not in SEVERITIES:
        bad("severity", f"{severity[:40]!r} is not one of {', '.join(SEVERITIES)}")
    codes: list[str] = []
    given = [c for c in countries if c.strip()]
    if len(given) > MAX_COUNTRIES:
        bad("country", f"at most {MAX_COUNTRIES} countries")
    for text in given[:MAX_COUNTRIES]:
        code = country_code(text)
        if code not in iso_countries() and code not in EXTRA_COUNTRIES:
            bad("country", f"{text[:40]!r} is not an ISO 3166 country code or name (e.g. FI, FIN or Finland)")
        else:
            codes.append(code)
    box = None
    if region is not None and region != "":
        if region not in REGIONS:
            bad("region", f"{region[:40]!r} is not one of {', '.join(REGIONS)}")
        else:
            area = REGIONS[region][1]
            if isinstance(area[0], str):
                codes.extend(str(c) for c in area)
            else:
                box = (float(area[0]), float(area[1]), float(area[2]), float(area[3]))
    if bbox is not None and bbox != "":
        if box is not None:
            bad("bbox", f"give a bbox or the region {region!r} (a box), not both")
        else:
            box = _box(bbox, bad)
    if actor is not None and not (1 <= len(actor.strip()) <= 200):
        bad("actor", "1 to 200 characters")
    if not (isinstance(limit, int) and 1 <= limit <= MAX_LIMIT):
        bad("limit", f"must be 1..{MAX_LIMIT}")
    if problems:
        raise FusionError(problems)
    return Filters(times["since"], times["until"], chosen, severity, tuple(dict.fromkeys(codes)), box,
                   actor.strip() if actor else None, limit, region or None)


def _box(value: str | Sequence[float], bad: Any) -> tuple[float, float, float, float] | None:  # noqa: ANN401
    try:
        parts = value.split(",") if isinstance(value, str) else list(value)
        x0, y0, x1, y1 = (float(v) for v in parts)
    except (TypeError, ValueError):
        bad("bbox", "lon_min,lat_min,lon_max,lat_max in degrees, e.g. 10,53.5,31,66.5")
        return None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        bad("bbox", "longitudes -180..180 and latitudes -90..90, each minimum below its maximum")
        return None
    return x0, y0, x1, y1


def rule(km: float = 50.0, hours: float = 72.0, actor_hours: float | None = 720.0, countries: bool = True,
         max_events: int = MAX_LIMIT) -> Rule:
    """The linking rule (:class:`kompas.intel.situations.Rule`); :class:`FusionError` for a value out of range."""
    try:
        return Rule(km, hours, actor_hours, countries, max_events)
    except ValueError as error:
        raise FusionError([{"field": "rule", "reason": str(error)}]) from None


# --- reading -------------------------------------------------------------------------------------------------------


@dataclass
class Read:
    """The events read for a picture: those matching every filter (newest first), how many rows were read, whether
    more may match (``truncated``) and the SQL total when every filter was SQL."""

    events: list[dict[str, Any]] = field(default_factory=list)
    scanned: int = 0
    truncated: bool = False
    total: int | None = None


def _actor_matches(event: Mapping[str, Any], wanted: str) -> bool:
    """Whether ``event`` names the actor ``wanted``: its id or name (any case) or ``kind:id``."""
    key = wanted.casefold()
    for actor in event.get("actors") or []:
        if not isinstance(actor, Mapping):
            continue
        kind, ident, name = (str(actor.get(k) or "") for k in ("kind", "id", "name"))
        if key in (ident.casefold(), name.casefold(), f"{kind}:{ident}".casefold()):
            return True
    return False


def read(store: StoreBase, viewer: Viewer | None, chosen: Filters) -> Read:
    """The events ``viewer`` (None: the platform itself) may see that match ``chosen`` (module docstring)."""
    query = select(EventRecord)
    if chosen.domains:
        query = query.where(EventRecord.domain.in_(chosen.domains))
    if chosen.severity:
        query = query.where(EventRecord.severity.in_(platform_events.at_least(chosen.severity)))
    if chosen.since_utc:
        query = query.where(EventRecord.time_utc >= chosen.since_utc)
    if chosen.until_utc:
        query = query.where(EventRecord.time_utc < chosen.until_utc)
    if chosen.box is not None:
        x0, y0, x1, y1 = chosen.box
        query = query.where(EventRecord.lat.is_not(None), EventRecord.lon.is_not(None), EventRecord.lat >= y0,
                            EventRecord.lat <= y1, EventRecord.lon >= x0, EventRecord.lon <= x1)
    python_filters = bool(chosen.countries or chosen.actor)
    keys = platform_events.EVENT_SORTS["-time"]
    out = Read()
    after = None
    wanted = set(chosen.countries)
    while True:
        size = PAGE if python_filters else min(PAGE, chosen.limit - len(out.events))
        page = store.paginate(cast(Viewer, viewer), query, keys, after, size,
                              lambda s, r: platform_events.as_dict(store, s, r, viewer),
                              total=out.scanned == 0 and not python_filters)
        if out.scanned == 0 and not python_filters:
            out.total = page.total
        out.scanned += len(page.items)
        for item in page.items:
            event = dict(item)
            if wanted and wanted.isdisjoint(countries_of(event)):
                continue
            if chosen.actor and not _actor_matches(event, chosen.actor):
                continue
            if len(out.events) == chosen.limit:
                out.truncated = True
                break
            out.events.append(event)
        if out.truncated or page.next is None:
            break
        if len(out.events) >= chosen.limit and not python_filters:
            out.truncated = True  # the SQL total says how many more
            break
        if out.scanned >= MAX_SCAN:
            out.truncated = True
            break
        after = page.next
    return out


# --- the picture -------------------------------------------------------------------------------------------------


def _marking_of(markings: Iterable[Marking]) -> tuple[list[Marking], Marking]:
    unique = list({m.key(): m for m in markings}.values())
    return unique, (combine(unique) if unique else PUBLIC)


def build(store: StoreBase, viewer: Viewer | None, chosen: Filters, linking: Rule | None = None,
          min_events: int = 2) -> dict[str, Any]:
    """The picture's answer (:func:`picture`) for filters already checked (:func:`filters`)."""
    found = read(store, viewer, chosen)
    linked = link(found.events, viewer, linking or Rule(max_events=MAX_LIMIT), source="events read")
    situations = linked.as_dict(min_events)
    situations.pop("truncated")  # never: the linker takes every event returned (limit <= MAX_LIMIT)
    markings, marking = _marking_of(Marking.from_dict(dict(e["marking"])) for e in found.events)
    by_event = {i: s["id"] for s in situations["situations"] for i in s["event_ids"]}
    counts: dict[str, dict[str, int]] = {"domain": {}, "severity": {}}
    for event in found.events:
        event["situation_id"] = by_event.get(event["id"])
        for name, value in (("domain", event["domain"]), ("severity", event["severity"])):
            counts[name][value] = counts[name].get(value, 0) + 1
    answer = {
        "events": found.events, "events_returned": len(found.events), "events_total": found.total,
        "scanned": found.scanned, "truncated": found.truncated,
        "unplaced": sum(1 for e in found.events if (e.get("place") or {}).get("lat") is None),
        "counts": counts, **situations, "min_events": min_events, "filters": chosen.as_dict(),
        "markings": [m.as_dict() for m in markings], "marking": marking.as_dict(), "banner": marking.banner()}
    return answer


def picture(store: StoreBase, viewer: Viewer | None, since: str | None = None, until: str | None = None,
            domains: Iterable[str] = (), severity: str | None = None, countries: Iterable[str] = (),
            region: str | None = None, bbox: str | Sequence[float] | None = None, actor: str | None = None,
            limit: int = DEFAULT_LIMIT, linking: Rule | None = None, min_events: int = 2) -> dict[str, Any]:
    """The fused picture ``viewer`` may see (None: the platform itself): the events matching the filters
    (:func:`filters`; :class:`FusionError` naming each bad one), newest first, each in the API's event form with
    its marking and the ``situation_id`` it belongs to (null: a situation of fewer than ``min_events``); the
    situations of at least ``min_events`` events linked under ``linking`` (:mod:`kompas.intel.situations`), with
    the pairs kept apart; counts per domain and severity; how many events have no place on Earth (``unplaced``:
    on the timeline, not the map); the markings of the events returned and their combination."""
    chosen = filters(since, until, domains, severity, countries, region, bbox, actor, limit)
    return build(store, viewer, chosen, linking, min_events)


def geojson(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The picture as a GeoJSON FeatureCollection (RFC 7946: longitude, latitude in degrees, WGS 84): a Point per
    placed event (``kind`` ``event``: id, domain, type, title, severity, times, situation_id, its marking), per
    situation shown its centroid (``kind`` ``situation``: id, title, size, severity, domains, time span, marking)
    and its hull when its places are not all one (``kind`` ``situation-hull``: the convex hull of its placed
    events, a LineString or Polygon); the combined ``marking`` of the answer, and how many events have no place
    (left out)."""
    features: list[dict[str, Any]] = []
    for event in answer["events"]:
        place = event.get("place") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        features.append({"type": "Feature", "id": event["id"], "geometry": {
            "type": "Point", "coordinates": [place["lon"], place["lat"]]}, "properties": {
            "kind": "event", "id": event["id"], "domain": event["domain"], "type": event["type"],
            "title": event["title"], "severity": event["severity"], "time_utc": event["time_utc"],
            "start_utc": event["start_utc"], "end_utc": event["end_utc"], "situation_id": event.get("situation_id"),
            "banner": event["marking"]["banner"], "marking": event["marking"]}})
    for summary in answer["situations"]:
        properties = {"id": summary["id"], "title": summary["title"], "size": summary["size"],
                      "severity": summary["severity"], "domains": summary["domains"],
                      "start_utc": summary["start_utc"], "end_utc": summary["end_utc"],
                      "banner": summary["marking"]["banner"], "marking": summary["marking"]}
        if summary["centroid"] is not None:
            features.append({"type": "Feature", "id": f"{summary['id']}:centroid", "geometry": {
                "type": "Point", "coordinates": [summary["centroid"]["lon"], summary["centroid"]["lat"]]},
                "properties": {"kind": "situation", **properties}})
        hull = summary["hull"]
        if hull is not None and hull["type"] != "Point":
            features.append({"type": "Feature", "id": f"{summary['id']}:hull", "geometry": hull,
                             "properties": {"kind": "situation-hull", **properties}})
    return {"type": "FeatureCollection", "features": features, "marking": answer["marking"],
            "banner": answer["banner"], "unplaced": answer["unplaced"], "truncated": answer["truncated"],
            "rule": answer["rule"]}
