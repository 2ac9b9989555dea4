"""Maritime awareness (issue 25): ``/api/v1/maritime/ais`` (contribute AIS, NMEA or CSV, under a marking),
``/api/v1/maritime/contributions`` (list and withdraw), ``/api/v1/maritime/screen`` (tracks, behaviour events and
alerts near undersea assets over what the caller may see in a window and box, optionally recorded as events) and
``/api/v1/maritime/map`` (the web map's tracks, events and assets). Every answer carries the combined ``marking``
of the batches it used. Service: :mod:`kompas.services.maritime`; the same as ``kompas maritime``.

Decoding an upload (up to :data:`MAX_UPLOAD_BYTES`, about 60,000 sentences, a second) and screening a window run
behind a gate: two at a time per server process, one per user, others answered 503 with Retry-After; a national
day of AIS is contributed with the command line (``kompas maritime ingest --contribute``), not through a request.
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

import numpy as np
from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kompas.api.deps import Caller, StoreDep, note
from kompas.api.errors import ERRORS, WRITE_ERRORS
from kompas.api.schemas import MarkingIn
from kompas.core.gate import Busy, Gate
from kompas.core.store import Account
from kompas.services import maritime as service

T = TypeVar("T")
router = APIRouter(tags=["maritime"])
HEAVY = Gate("AIS decoding and maritime screening", slots=2, wait_s=2.0, per_holder=1)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "Another AIS upload or screening is being computed: retry after Retry-After seconds"}}
MAX_UPLOAD_BYTES = 5_000_000
MAX_WINDOW_DAYS = 31
TEXT = r"^[^\x00-\x1f\x7f]*$"
TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z?$"
BBOX = r"^-?\d{1,3}(\.\d+)?,-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?,-?\d{1,2}(\.\d+)?$"
AREAS = {"baltic": (10.0, 53.5, 31.0, 66.5)}
Assets = Literal["baltic", "all", "none"]


def _gated(work: Callable[[], T], who: Account) -> T:
    try:
        with HEAVY.enter(holder=who.user_id):
            return work()
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None


def box_of(text: str | None) -> tuple[float, float, float, float] | None:
    """``lon_min,lat_min,lon_max,lat_max`` (or a named area: baltic) as a box; 422 when it is not one."""
    if text is None or text == "":
        return None
    if text in AREAS:
        return AREAS[text]
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError:
        raise HTTPException(422, f"bbox {text[:60]!r}: lon_min,lat_min,lon_max,lat_max or baltic") from None
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise HTTPException(422, "bbox: longitudes -180..180 and latitudes -90..90, each minimum below its maximum")
    return x0, y0, x1, y1


def _window(start_utc: str | None, end_utc: str | None) -> tuple[str | None, str | None]:
    """The window as ISO text ending in Z; 422 when it ends before it starts or spans more than 31 days."""
    from kompas.times import parse_time_utc

    def normal(text: str | None) -> str | None:
        if not text:
            return None
        try:
            parse_time_utc(text)
        except ValueError as error:
            raise HTTPException(422, f"{text[:40]!r}: {error}") from None
        return text if text.endswith("Z") else text + "Z"

    start, end = normal(start_utc), normal(end_utc)
    if start and end:
        first, last = parse_time_utc(start), parse_time_utc(end)
        if last <= first:
            raise HTTPException(422, "end_utc must come after start_utc")
        if last - first > np.timedelta64(MAX_WINDOW_DAYS, "D"):
            raise HTTPException(422, f"the window spans more than {MAX_WINDOW_DAYS} days: screen it in parts")
    return start, end


class AisIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=MAX_UPLOAD_BYTES, description="AIS as raw NMEA (!AIVDM sentences with tag blocks, "
                                                               "$PGHP headers or USCG/MSSIS receive times) or CSV "
                                                               "(DMA, NOAA/MarineCadastre, provider layouts)")
    source: str = Field("", max_length=200, pattern=TEXT, description="What it is (a file or feed name); default "
                                                                     "api:<your organisation>")
    kind: Literal["ais", "radar", "tracks"] = Field("ais", description="Decoded AIS, your own radar tracks, or "
                                                                       "fused tracks")
    attribution: str = Field("", max_length=500, pattern=TEXT, description="The data's licence or credit, shown "
                                                                           "wherever it is used")
    marking: MarkingIn = Field(description="The positions' marking (public AIS: UNCLASSIFIED / TLP:CLEAR; your own "
                                           "radar tracks may be SECRET)")


@router.post("/api/v1/maritime/ais", status_code=201, responses={**WRITE_ERRORS, **BUSY})
def contribute(body: AisIn, who: Caller, store: StoreDep) -> dict:
    """Contribute AIS (or your own tracks) under your marking: decoded, the timed positions stored one batch per UTC
    day, the static reports with them; every line that could not be used is listed in ``rejections`` (source,
    line, field, reason, value) and counted in ``rejections_total``; ``counts`` says what was read. Audited."""
    from kompas.maritime.nmea import parse_nmea
    from kompas.maritime.tables import parse_table

    source = body.source or f"api:{who.org}"
    marking = body.marking.of(who.org)

    def work() -> dict:
        lines = body.text.splitlines()
        head = next((line.strip() for line in lines if line.strip()), "")
        csv_like = head.lower().startswith("# timestamp") or head[:1] not in ("!", "$", "\\", "#")
        ingest = parse_table(lines, source) if csv_like else parse_nmea(lines, source)
        if not len(ingest.positions):  # a list detail (the Problem schema): what was wrong, then the lines
            raise HTTPException(422, [{"field": "text", "reason": f"no position could be read: "
                                                                  f"{len(ingest.rejections):,} lines rejected (the "
                                                                  "first 50 follow)"},
                                      *(r.as_dict() for r in ingest.rejections[:50])])
        return service.contribute(store, who, ingest, marking, source, body.kind, body.attribution)

    return _gated(work, who)


@router.get("/api/v1/maritime/contributions", responses=ERRORS)
def contributions(who: Caller, store: StoreDep,
                  org: Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] = None
                  ) -> dict:
    """The batches of positions you may see (one per UTC day of a contribution), newest first, each with its
    contributor, source, kind, window, box, counts and marking."""
    items = service.contributions(store, who.viewer, org)
    note(store, who, "read", "maritime/contributions", detail=f"{len(items)} batches")
    return {"items": items, "count": len(items)}


@router.delete("/api/v1/maritime/contributions", responses=WRITE_ERRORS)
def withdraw(who: Caller, store: StoreDep,
             source: Annotated[str | None, Query(min_length=1, max_length=200, pattern=TEXT)] = None,
             batch: Annotated[list[Annotated[str, Field(pattern=r"^[0-9a-f-]{36}$")]] | None,
                              Query(max_length=1000, description="Batch ids (repeatable)")] = None) -> dict:
    """Withdraw your organisation's batches: those sent under ``source`` and/or the ``batch`` ids. Audited."""
    gone = service.withdraw(store, who, source, tuple(batch or ()))
    return {"items": gone, "count": len(gone)}


class ScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start_utc: str | None = Field(None, pattern=TIME)
    end_utc: str | None = Field(None, pattern=TIME)
    bbox: str | None = Field(None, max_length=100, description="lon_min,lat_min,lon_max,lat_max, or baltic")
    assets: Assets = Field("baltic", description="Undersea assets watched")
    buffer_km: float = Field(1.0, ge=0, le=50, description="Watch distance added to each route's accuracy, km")
    gap_hours: float = Field(1.0, ge=0.05, le=240)
    stop_minutes: float = Field(60.0, ge=1, le=10_000)
    loiter_hours: float = Field(2.0, ge=0.25, le=240)
    record: bool = Field(False, description="Store the behaviour events (not the data errors or coverage holes) in "
                                            "the envelope, domain maritime, under the combined marking")

    @model_validator(mode="after")
    def _checked(self) -> "ScreenIn":
        box_of(self.bbox)
        _window(self.start_utc, self.end_utc)
        return self


@router.post("/api/v1/maritime/screen", responses={**WRITE_ERRORS, **BUSY})
def screen(body: ScreenIn, who: Caller, store: StoreDep) -> dict:
    """Screen the positions you may see in the window and box: tracks per vessel, behaviour events with their
    evidence (gaps judged against the reception measured from the same data, stops, loitering, drift, anchor drags,
    encounters, identity anomalies, data errors), and alerts naming the undersea cable or link an event happened near
    (route accuracy stated); marked with the combination of the batches read. ``record`` stores the events. 422 when
    you may see no positions there."""
    from kompas.maritime.detect import DEFAULT

    rules = DEFAULT.with_(gap_min_s=body.gap_hours * 3600, stop_min_s=body.stop_minutes * 60,
                          loiter_min_s=body.loiter_hours * 3600)
    start, end = _window(body.start_utc, body.end_utc)
    found = _gated(lambda: service.screen_view(store, who.viewer, start, end, box_of(body.bbox), body.assets,
                                               rules, body.buffer_km, body.record, who.name), who)
    note(store, who, "read", "maritime/screen", detail=f"{found['events_total']} events")
    return found


@router.get("/api/v1/maritime/map", responses={**ERRORS, **BUSY})
def map_layers(who: Caller, store: StoreDep,
               start_utc: Annotated[str | None, Query(pattern=TIME)] = None,
               end_utc: Annotated[str | None, Query(pattern=TIME)] = None,
               bbox: Annotated[str | None, Query(max_length=100, description="lon_min,lat_min,lon_max,lat_max, or "
                                                                             "baltic")] = None,
               assets: Annotated[Assets, Query()] = "baltic",
               max_points: Annotated[int, Query(ge=100, le=200_000)] = service.MAX_MAP_POINTS) -> dict:
    """The web map's layers: ``tracks`` (a line per vessel with the time of each vertex, for the time slider, each
    marked by its inputs), ``events`` (the maritime events recorded in the window that you may see) and ``assets``
    (the undersea cables and links watched, with their route accuracy), the combined ``marking`` of what is shown
    and the ``attribution`` of the data used (the cable map is CC BY-NC-SA 3.0, non-commercial)."""
    start, end = _window(start_utc, end_utc)
    found = _gated(lambda: service.map_layers(store, who.viewer, start, end, box_of(bbox), assets, max_points), who)
    note(store, who, "read", "maritime/map", detail=f"{len(found['tracks']['features'])} tracks")
    return found


@router.get("/api/v1/maritime/events/cise", responses=ERRORS)
def export_cise(who: Caller, store: StoreDep,
                since_utc: Annotated[str | None, Query(pattern=TIME)] = None,
                until_utc: Annotated[str | None, Query(pattern=TIME)] = None,
                limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> dict:
    """The maritime events recorded that you may see, as CISE-shaped JSON (Anomaly entities with their period,
    location, involved vessels, the undersea assets named and the evidence fixes), marked with the combination of
    their markings. The same events as STIX 2.1: ``GET /api/v1/events/stix?domain=maritime``."""
    since, until = _window(since_utc, until_utc) if since_utc and until_utc else (since_utc, until_utc)
    found = service.export_cise(store, who.viewer, since, until, limit)
    note(store, who, "read", "maritime/events/cise", detail=f"{len(found['Payload']['Anomaly'])} events")
    return found
