"""Military mobility (issue 27): ``/api/v1/mobility/networks`` (the named networks), ``.../route`` (the fastest
feasible plan for a force package, every obstacle named and costed; ``.../route.geojson`` the same as a map),
``.../stress`` (corridors without elements), ``.../rank`` (the most critical elements), ``.../coverage`` (how much of
the network states each limit), ``.../airfields`` (the airfields an aircraft can use) and ``.../network.geojson``
(the network as a map layer). Service: :mod:`kompas.services.mobility`; the same as ``kompas mobility ...``.

A plan searches the network once per obstacle it costs (at most 25), a ranking once per element on the corridors'
paths (about two seconds on the German rail graph): the computing routes run behind a gate, two at a time per
server process and one per user; others are answered 503 with Retry-After."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from kompas.api.deps import NO_NUL, Caller, StoreDep, note
from kompas.api.errors import ERRORS, WRITE_ERRORS
from kompas.api.schemas import MarkingIn
from kompas.core.gate import Busy, Gate
from kompas.services import mobility as service

router = APIRouter(tags=["mobility"])
GEOJSON = "application/geo+json"
HEAVY = Gate("mobility plans", slots=2, wait_s=2.0, per_holder=1)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "The server is computing as many mobility plans as it allows at once (or you are already "
                         "computing one): retry after Retry-After seconds"}}
TIME_TEXT = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2})?$"
MAX_YAML = 200_000  #: bytes of a package or lead-time table in a body
NetworkName = Literal["gauge-test", "de-rail", "helsinki", "kotka", "airfields"]
Place = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL,
                             description="A place id (rinf:EU00004), a name or 'lat,lon'")]
Yaml = Annotated[str, Field(max_length=MAX_YAML, pattern=NO_NUL)]


class PackageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    network: NetworkName = Field("gauge-test", description="The named network")
    package: Yaml | None = Field(None, description="The force package as YAML (examples/mobility/README.md)")
    package_name: Literal["mech-battalion", "light-company"] | None = Field(
        None, description="A shipped ILLUSTRATIVE package (default mech-battalion)")
    borders: Yaml | None = Field(None, description="Border lead times as YAML (default: the shipped ILLUSTRATIVE "
                                                   "table)")


class RouteIn(PackageIn):
    origin: Place = Field(alias="from")
    destination: Place = Field(alias="to")
    start_utc: str | None = Field(None, max_length=40, pattern=TIME_TEXT, description="When the movement starts and "
                                  "permissions are asked for (default: now)")
    by_utc: str | None = Field(None, max_length=40, pattern=TIME_TEXT, description="Must the whole package be there "
                               "by then?")
    modes: list[Literal["road", "rail", "air", "sea"]] | None = Field(None, max_length=4)
    aircraft: Literal["A400M", "C-17A", "C-130J-30"] | None = None
    alternatives: StrictBool = Field(True, description="Also plan each set of modes")


class StressIn(PackageIn):
    remove: list[Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]] = Field(
        default_factory=list, max_length=service.MAX_REMOVED, description="Ids of links, transfers or places, or "
                                                                          "place names")
    area: dict[str, Any] | None = Field(None, description="GeoJSON polygon (or line with buffer_km): every place in "
                                                          "it is removed")
    buffer_km: float | None = Field(None, ge=0, le=500)
    corridors: list[Annotated[list[Place], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list, max_length=service.MAX_CORRIDORS, description="[from, to] pairs (default: the "
                                                                            "network's corridors)")


class StressEventsIn(StressIn):
    events: StrictBool = Field(False, description="Also remove the transport assets that incidents you may see "
                                                  "name (mobility, infrastructure and cyber incidents)")
    since_utc: str | None = Field(None, max_length=40, pattern=TIME_TEXT, description="With events: only incidents "
                                  "from this time")


class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    network: NetworkName = "gauge-test"
    assets: list[Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]] = Field(
        min_length=1, max_length=50, description="Link, transfer or place ids, or place names")
    time_utc: str = Field(max_length=40, pattern=TIME_TEXT)
    cause: Literal["sabotage", "cyber-attack", "accident", "technical-failure", "natural", "blockade", "unknown"]
    title: str = Field("", max_length=300, pattern=NO_NUL)
    marking: MarkingIn


class RankIn(PackageIn):
    corridors: list[Annotated[list[Place], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list, max_length=service.MAX_CORRIDORS)
    limit: int = Field(25, ge=1, le=500)


def _time(text: str | None) -> datetime | None:
    try:
        return service.parse_utc(text)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def _gated(who: Any, work: Any) -> dict[str, Any]:  # noqa: ANN401 (Account, a callable)
    try:
        with HEAVY.enter(holder=who.user_id):
            return work()
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
    except service.MobilityError as error:
        raise HTTPException(422, str(error)) from None


@router.get("/api/v1/mobility/networks", responses=ERRORS)
def networks(who: Caller) -> list[dict[str, Any]]:
    """The named networks, whether their data is on this server, and their size."""
    from kompas.mobility import load

    out = []
    for name, about in load.NETWORKS.items():
        try:
            counts: dict[str, int] | None = load.named(name).counts()
        except load.MissingData:
            counts = None
        out.append({"name": name, "about": about, "available": counts is not None, "counts": counts,
                    "corridors": load.corridors(name)})
    return out


def _route(body: RouteIn, who: Any, store: Any) -> dict[str, Any]:  # noqa: ANN401
    start = _time(body.start_utc) or datetime.now(UTC).replace(microsecond=0)
    return _gated(who, lambda: service.route(
        store, who.viewer, body.origin, body.destination, network=body.network, package_text=body.package,
        package_name=body.package_name, borders_text=body.borders, start_utc=start, by_utc=_time(body.by_utc),
        modes=body.modes, aircraft=body.aircraft, alternatives=body.alternatives))


@router.post("/api/v1/mobility/route", responses={**ERRORS, **BUSY})
def route(body: RouteIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """The fastest feasible plan for the package from ``from`` to ``to``: legs, the last vehicle's arrival against
    ``by_utc``, every obstacle on the ideal route (a bridge below the package's MLC, a gauge break, a runway too
    short, a border's lead time) with the hours it costs when enforced alone, the waits and transshipments, the
    throughput of the narrowest element and the assumptions (unknown limits taken as passable); then the best plan
    for each set of modes. 422 naming an unknown place, package or network."""
    answer = _route(body, who, store)
    note(store, who, "read", "mobility/route", detail=f"{answer['plan']['origin']['id']} -> "
                                                      f"{answer['plan']['destination']['id']}")
    return answer


GEOJSON_200: dict[int | str, dict[str, Any]] = {200: {
    "description": "A GeoJSON FeatureCollection (RFC 7946) with the answer's banner and marking",
    "content": {GEOJSON: {"schema": {"type": "object", "required": ["type", "features", "banner", "marking"],
                                     "properties": {"type": {"const": "FeatureCollection"},
                                                    "features": {"type": "array", "items": {"type": "object"}},
                                                    "banner": {"type": "string"}, "marking": {"type": "object"}}}}}}}


@router.post("/api/v1/mobility/route.geojson", responses={**ERRORS, **BUSY, **GEOJSON_200},
             response_class=JSONResponse)
def route_geojson(body: RouteIn, who: Caller, store: StoreDep) -> JSONResponse:
    """The plan as GeoJSON: each leg a LineString (the link's geometry), each obstacle a Point, with the banner."""
    answer = _route(body, who, store)
    net = service.view(store, who.viewer, body.network).network
    features: list[dict[str, Any]] = []
    for leg in answer["plan"]["legs"]:
        link = net.links.get(leg["id"])
        line = [list(p) for p in link.line] if link is not None and link.line else [
            [net.places[x].lon, net.places[x].lat] for x in (leg["from"], leg["to"]) if x in net.places]
        if len(line) >= 2:
            features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": line},
                             "properties": {k: leg[k] for k in ("kind", "id", "name", "mode", "start_h", "end_h")}})
    for o in answer["plan"]["obstacles"]:
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [o["lon"], o["lat"]]},
                         "properties": {"obstacle": o["kind"], "name": o["name"], "reason": o["reason"],
                                        "cost_hours": o["cost_hours"], "blocks": o["blocks"]}})
    return JSONResponse({"type": "FeatureCollection", "features": features, "banner": answer["banner"],
                         "marking": answer["marking"], "sources": answer["sources"]}, media_type=GEOJSON)


@router.post("/api/v1/mobility/stress", responses={**ERRORS, **BUSY})
def stress(body: StressEventsIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """Which corridors fail or slow when the named elements (or every place in the area, or the assets incidents
    name) are lost, with the detours' costs and the plans after the loss."""
    import json

    from kompas.infra.areas import AreaError, parse_area

    shape = None
    if body.area is not None:
        try:
            shape = parse_area(json.dumps(body.area), body.buffer_km, "area")
        except AreaError as error:
            raise HTTPException(422, str(error)) from None
    answer = _gated(who, lambda: service.stress(
        store, who.viewer, body.remove, shape, network=body.network, pairs=[(a, b) for a, b in body.corridors],
        package_text=body.package, package_name=body.package_name, borders_text=body.borders, events=body.events,
        since_utc=_time(body.since_utc)))
    note(store, who, "read", "mobility/stress", detail=f"{len(answer['removed'])} removed")
    return answer


@router.post("/api/v1/mobility/incidents", status_code=201, responses={**WRITE_ERRORS, **BUSY})
def incident(body: IncidentIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """Record damage to transport assets as an incident event (domain mobility) under your marking, with what
    losing them does to the network's corridors."""
    from kompas.core.markings import MarkingError

    when = _time(body.time_utc)
    assert when is not None
    if when > datetime.now(UTC):
        raise HTTPException(422, "time_utc is in the future")
    try:
        marking = body.marking.of(who.org)
    except MarkingError as error:
        raise HTTPException(422, str(error)) from None
    try:
        with HEAVY.enter(holder=who.user_id):
            return service.record_incident(store, who, body.assets, when.isoformat().replace("+00:00", "Z"),
                                           body.cause, marking, body.network, body.title)
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
    except (service.MobilityError, MarkingError) as error:
        raise HTTPException(422, str(error)) from None


@router.post("/api/v1/mobility/rank", responses={**ERRORS, **BUSY})
def rank(body: RankIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """The elements whose loss breaks the most corridors, then adds the most hours."""
    answer = _gated(who, lambda: service.rank(
        store, who.viewer, network=body.network, pairs=[(a, b) for a, b in body.corridors],
        package_text=body.package, package_name=body.package_name, limit=body.limit))
    note(store, who, "read", "mobility/rank", detail=f"{len(answer['ranking'])} elements")
    return answer


@router.get("/api/v1/mobility/coverage", responses=ERRORS)
def coverage(who: Caller, store: StoreDep, network: NetworkName = "gauge-test",
             cell_deg: Annotated[float, Query(ge=0.01, le=10.0)] = 1.0) -> dict[str, Any]:
    """How much of the network states each limit (maxweight, maxheight, gauge, MLC...), per link class and area."""
    try:
        return service.coverage(store, who.viewer, network, None, cell_deg)
    except service.MobilityError as error:
        raise HTTPException(422, str(error)) from None


@router.get("/api/v1/mobility/airfields", responses=ERRORS)
def airfields(who: Caller, aircraft: Literal["A400M", "C-17A", "C-130J-30"],
              country: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] | None,
                                 Query(max_length=60)] = None) -> dict[str, Any]:
    """The airfields the aircraft can use by its runway rule (stated with its source), each with the runway that
    qualifies."""
    from kompas.mobility import load
    from kompas.mobility.airfields import usable

    plane = service.aircraft_named(aircraft)
    assert plane is not None
    try:
        fields, _ = load.airfield_table(tuple(sorted(c.upper() for c in country)) if country
                                        else load.AIRFIELD_COUNTRIES)
    except load.MissingData as error:
        raise HTTPException(422, str(error)) from None
    rows = []
    for key, field in sorted(fields.items()):
        ok, why = usable(field, plane)
        if ok:
            rows.append({"id": key, "name": field.name, "country": field.country, "lon": field.lon,
                         "lat": field.lat, "runway": why})
    return {"aircraft": plane.name, "rule": {"length_m": plane.runway.length_m, "width_m": plane.runway.width_m,
                                             "unpaved": plane.runway.unpaved, "mass_basis": plane.runway.mass_basis,
                                             "source": plane.cites("runway.length_m")},
            "airfields": rows, "sources": [load.SOURCES["ourairports"]]}


@router.get("/api/v1/mobility/network.geojson", responses={**ERRORS, **GEOJSON_200}, response_class=JSONResponse)
def network_geojson(who: Caller, store: StoreDep, network: NetworkName = "gauge-test",
                    bbox: Annotated[str | None, Query(max_length=100, pattern=NO_NUL,
                                                      description="lon_min,lat_min,lon_max,lat_max")] = None,
                    limit: Annotated[int, Query(ge=1, le=20_000)] = 10_000) -> JSONResponse:
    """The network as a map layer: links (with their limits, gauge and MLC), places of kind station, border,
    airfield and port, and transfers at their places; at most ``limit`` links (``truncated`` says when more)."""
    from kompas.mobility.contributed import to_geojson

    try:
        seen = service.view(store, who.viewer, network)
    except service.MobilityError as error:
        raise HTTPException(422, str(error)) from None
    box = None
    if bbox:
        try:
            box = [float(x) for x in bbox.split(",")]
            if len(box) != 4:
                raise ValueError
        except ValueError:
            raise HTTPException(422, "bbox: four numbers lon_min,lat_min,lon_max,lat_max") from None
    doc = to_geojson(seen.network, network)
    features = doc["features"]
    if box is not None:
        def inside(f: dict[str, Any]) -> bool:
            geometry = f.get("geometry")
            if not geometry:
                return False
            coords = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
            return any(box[0] <= c[0] <= box[2] and box[1] <= c[1] <= box[3] for c in coords)
        features = [f for f in features if inside(f)]
    kept = [f for f in features if f["properties"]["kind"] != "place" or
            f["properties"].get("place_kind") in ("station", "border", "airfield", "port", "ramp")]
    links = [f for f in kept if f["properties"]["kind"] == "link"]
    others = [f for f in kept if f["properties"]["kind"] != "link" and f.get("geometry")]
    doc["features"] = links[:limit] + others
    doc["truncated"] = len(links) > limit
    doc["banner"] = seen.marking.banner()
    doc["marking"] = seen.marking.as_dict()
    return JSONResponse(doc, media_type=GEOJSON)
