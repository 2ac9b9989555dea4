"""The situational picture: objects and markers for the globe (``/api/v1/picture``) and geodetic tracks by SGP4
(``/api/v1/tracks``)."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from kompas.api.deps import MODERN_TIME, Caller, StoreDep, note
from kompas.api.errors import ERRORS
from kompas.api.schemas import MarkingOut
from kompas.core import picture as picture_module

router = APIRouter(tags=["picture"])


class PictureObject(BaseModel):
    norad_id: int
    name: str
    role: Literal["asset", "related", "object"]
    period_min: float | None = Field(description="Orbital period of the newest element set, minutes")
    lat: float | None = Field(description="Geodetic latitude at start_utc, degrees (null where SGP4 fails)")
    lon: float | None = Field(description="Longitude at start_utc, degrees")
    alt_km: float | None = Field(description="Height above the WGS-84 ellipsoid at start_utc, km")
    elset_epoch_utc: str | None = Field(None, description="Epoch of the element set the state comes from")
    elset_age_days: float | None = Field(None, description="Age of that element set at start_utc, days")
    elset_source: str | None = Field(None, description="Its source: gp, supgp, oem or contributed")


class Marker(BaseModel):
    kind: Literal["conjunction", "event"]
    id: str
    time_utc: str
    label: str = Field(description="The objects' names, miss distance and Pc; an event's title")
    rank: float = Field(description="What orders labels when they overlap: the Pc, or for an event its severity "
                                    "as 1e-2 (high), 1e-4 (medium), 1e-6 (low)")
    severity: Literal["low", "medium", "high"] | None = Field(description="An event's severity")
    banner: str = Field(description="The item's own marking")
    lat: float
    lon: float
    alt_km: float


class PictureOut(BaseModel):
    start_utc: str
    minutes: int
    objects: list[PictureObject]
    total_objects: int = Field(description="Objects with an element set you may see, in all")
    rule: str = Field(description="Which objects are drawn")
    markers: list[Marker]
    markings: list[MarkingOut]


class TrackOut(BaseModel):
    norad_id: int
    lat: list[float | None]
    lon: list[float | None]
    alt_km: list[float | None]
    elset_epoch_utc: str | None = Field(None, description="Epoch of the element set propagated")
    elset_age_days: float | None = Field(None, description="Age of that element set at the first time, days")
    elset_source: str | None = Field(None, description="Its source: gp, supgp, oem or contributed")


class TracksOut(BaseModel):
    times_utc: list[str]
    tracks: list[TrackOut]
    markings: list[MarkingOut]


@router.get("/api/v1/picture", response_model=PictureOut, responses=ERRORS)
def situational_picture(who: Caller, store: StoreDep, which: Annotated[Literal["assets", "all"], Query(
        alias="set", description="assets: " + picture_module.ASSETS_RULE + "; all: " + picture_module.ALL_RULE
                                 + " (up to limit)")] = "assets",
        limit: Annotated[int, Query(ge=1, le=picture_module.MAX_OBJECTS)] = 1000) -> dict:
    """The objects to draw on the globe, markers for conjunctions and events, and the markings used."""
    note(store, who, "read", "picture")
    return picture_module.picture(store, who.viewer, which, limit)


@router.get("/api/v1/tracks", response_model=TracksOut, responses=ERRORS)
def object_tracks(who: Caller, store: StoreDep,
                  ids: Annotated[str, Query(pattern=r"^\d{1,9}(,\d{1,9})*$", max_length=20_000,
                                            description="NORAD ids, comma-separated (at most "
                                                        f"{picture_module.MAX_TRACK_OBJECTS} distinct ones)")],
                  start: Annotated[str | None, Query(pattern=MODERN_TIME, description="Start (default: the "
                                                     "newest epoch of the objects; within "
                                                     f"{picture_module.MAX_TRACK_EPOCH_DAYS} days of it)")] = None,
                  minutes: Annotated[float, Query(gt=0, le=1440, description="Span (minutes)")] = 180.0,
                  step_s: Annotated[float, Query(ge=1, le=3600, description="Step (seconds)")] = 60.0) -> dict:
    """Geodetic tracks (WGS84 latitude, longitude in degrees, height in km; ITRF) of the objects' newest element
    sets you may see, by SGP4; null where SGP4 cannot propagate. Bounded per request: at most
    ``MAX_TRACK_OBJECTS`` (500) objects, ``MAX_POINTS`` (1441) times and ``MAX_TRACK_VALUES`` (100 000)
    positions; 422 naming the limit otherwise."""
    from kompas.space.elements import parse_time_utc

    ids_list = list(dict.fromkeys(int(i) for i in ids.split(",")))
    try:
        picture_module.track_times(ids_list, minutes, step_s)  # before any reading or parsing
        begin = parse_time_utc(start) if start is not None else None
        out = picture_module.tracks(store, who.viewer, ids_list, begin, minutes, step_s)
    except picture_module.TrackError as error:
        raise HTTPException(422, str(error)) from None
    except ValueError:
        raise HTTPException(422, f"start {start!r} is not a time that can be read (ISO 8601 UTC)") from None
    note(store, who, "read", "tracks", detail=f"{len(out['tracks'])} objects")
    return out
