"""The 2D map of the earth-bound domains: a registry of layers, and the two layers of day one (the Natural Earth
country boundaries and the ground tracks of space objects).

A layer is one function registered with :func:`map_layer`: ``builder(store, viewer, params) -> FeatureCollection``
(GeoJSON, WGS84 longitude/latitude in degrees). ``params`` is the layer's own pydantic model, validated by the API
from the query string (every size and count bounded there); a builder raises :class:`LayerError` for a request it
cannot answer (422). Every feature's ``properties`` carry ``marking`` (the item's own marking,
:meth:`~kompas.core.markings.Marking.as_dict`) and may carry ``name`` (shown on hover) and ``href`` (the page that
opens on a click, e.g. ``#/object/25544``); :func:`collection` puts the features together with the combined
marking of everything the layer used (:func:`kompas.core.markings.combine`, the one rule), which the page shows
on the banner before it draws them.

A domain adds a layer in its own service module (decorate its builder with :func:`map_layer`) and names that
module in :data:`LAYER_MODULES`, so that the registry holds it whenever :func:`layers` is read.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from kompas.core.markings import TLP, Marking, Viewer, combine
from kompas.core.store import Store

Kind = Literal["areas", "lines", "points", "tracks"]
Builder = Callable[[Store, Viewer, Any], dict]
LAYER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
#: The service modules that register layers (imported by :func:`layers`); a new domain adds its module here.
LAYER_MODULES: tuple[str, ...] = ("kompas.services.map", "kompas.services.infra_map", "kompas.services.isac")
PUBLIC = Marking(tlp=TLP.CLEAR)  #: UNCLASSIFIED, TLP:CLEAR: public data shipped with Kompas (Natural Earth)
NATURAL_EARTH = "Natural Earth (public domain)"
SGP4 = "Kompas: SGP4 from the element sets you may see"
BOUNDARIES_FILE = "naturalearth/ne_50m_admin_0_countries.geojson"


class LayerError(ValueError):
    """A layer request that cannot be answered (a limit, a time that cannot be computed); the message is safe to
    show to the caller (422)."""


class NoParameters(BaseModel):
    """A layer without parameters: any query parameter is refused."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Layer:
    """One map layer: ``kind`` says how the page draws it (areas: filled polygons; lines; points; tracks: lines
    and a point where each object is at the start), ``colour`` its colour on the map and in the legend (the
    outline of areas; ``fill`` their inside, when not a translucent ``colour``), ``href``
    where the page reads it (default ``/api/v1/map/layers/{id}``), ``visible`` whether it is on when the page
    opens."""

    id: str
    title: str
    kind: Kind
    attribution: str
    builder: Builder
    parameters: type[BaseModel] = NoParameters
    colour: str = "#1f6fd1"
    description: str = ""
    href: str | None = None
    visible: bool = True
    order: int = 100  #: drawing order: lower first (under the others)
    fill: str | None = None  #: areas: the fill colour (None: ``colour``, translucent)

    def link(self) -> str:
        return self.href or f"/api/v1/map/layers/{self.id}"


_LAYERS: dict[str, Layer] = {}


def register(layer: Layer) -> Layer:
    """Add ``layer`` to the registry; ValueError for an id that is not ``[a-z0-9-]`` or is taken."""
    if not LAYER_ID.match(layer.id):
        raise ValueError(f"map layer id {layer.id!r}: lower-case letters, digits and '-', at most 40")
    if layer.id in _LAYERS and _LAYERS[layer.id].builder is not layer.builder:
        raise ValueError(f"map layer {layer.id!r} is registered twice")
    _LAYERS[layer.id] = layer
    return layer


def map_layer(id: str, title: str, kind: Kind, attribution: str, *, parameters: type[BaseModel] = NoParameters,
              colour: str = "#1f6fd1", description: str = "", href: str | None = None, visible: bool = True,
              order: int = 100, fill: str | None = None) -> Callable[[Builder], Builder]:
    """Decorator registering ``builder(store, viewer, params) -> FeatureCollection`` as a map layer."""

    def add(builder: Builder) -> Builder:
        register(Layer(id, title, kind, attribution, builder, parameters, colour, description or (
            builder.__doc__ or "").strip().split("\n\n")[0], href, visible, order, fill))
        return builder

    return add


def layers() -> list[Layer]:
    """Every registered layer, in drawing order (the modules of :data:`LAYER_MODULES` imported first)."""
    for name in LAYER_MODULES:
        importlib.import_module(name)
    return sorted(_LAYERS.values(), key=lambda layer: (layer.order, layer.id))


def find(layer_id: str) -> Layer | None:
    """The layer registered as ``layer_id`` (None when there is none)."""
    return {layer.id: layer for layer in layers()}.get(layer_id)


def feature(geometry: dict | None, marking: Marking, **properties: Any) -> dict:
    """A GeoJSON feature carrying its own ``marking``."""
    return {"type": "Feature", "geometry": geometry, "properties": {**properties, "marking": marking.as_dict()}}


def collection(layer_id: str, features: Sequence[dict], used: Iterable[Marking] = (), attribution: str = "",
               **properties: Any) -> dict:
    """The layer's FeatureCollection: ``marking`` is the combination of the features' own markings and of
    ``used`` (whatever else the layer read); UNCLASSIFIED TLP:CLEAR when it used nothing."""
    markings = [Marking.from_dict(dict(f["properties"]["marking"])) for f in features] + list(used)
    marking = combine(markings) if markings else PUBLIC
    return {"type": "FeatureCollection", "layer": layer_id, "attribution": attribution,
            "marking": marking.as_dict(), "properties": properties, "features": list(features)}


# --- day one: boundaries ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _boundaries() -> dict:
    from kompas.files import packaged

    data = json.loads(packaged(BOUNDARIES_FILE).read_text(encoding="utf-8"))
    features = [feature(f["geometry"], PUBLIC, name=f["properties"]["NAME"], adm0_a3=f["properties"]["ADM0_A3"],
                        iso_a2=None if f["properties"]["ISO_A2_EH"] == "-99" else f["properties"]["ISO_A2_EH"])
                for f in data["features"]]
    return collection("boundaries", features, attribution=NATURAL_EARTH,
                      source="Natural Earth 1:50m Admin-0 countries (v5), simplified; see PROVENANCE.md")


@lru_cache(maxsize=1)
def boundaries_document() -> tuple[bytes, bytes, str]:
    """The boundaries layer as JSON bytes, gzip-compressed bytes and a strong ETag (computed once per process)."""
    body = json.dumps(_boundaries(), separators=(",", ":"), ensure_ascii=False).encode()
    return body, gzip.compress(body, 6, mtime=0), '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@map_layer("boundaries", "Country boundaries", "areas", NATURAL_EARTH, colour="#8a96a3", fill="#f3f1ea",
           order=0, href="/api/v1/map/boundaries")
def boundaries(store: Store, viewer: Viewer, params: NoParameters) -> dict:
    """Country boundaries (Natural Earth 1:50m Admin-0, public domain): name, ADM0_A3 and ISO 3166-1 alpha-2 code
    (null where Natural Earth has none) of each of 242 countries and territories."""
    return _boundaries()


# --- day one: ground tracks of space objects ------------------------------------------------------------------------

_TIME = r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$"


class GroundTrackParameters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: str | None = Field(None, pattern=r"^\d{1,9}(,\d{1,9})*$", max_length=20_000,
                            description="NORAD ids, comma-separated, at most 500 distinct (default: the protected "
                                        "assets of kompas/data/assets.yaml)")
    start: str | None = Field(None, pattern=_TIME, description="Start, ISO 8601 UTC (default: the newest epoch of "
                                                               "the element sets drawn)")
    minutes: float = Field(100.0, gt=0, le=1440, description="Span of each track (minutes)")
    step_s: float = Field(60.0, ge=1, le=3600, description="Step between track points (seconds)")


def split_antimeridian(lon_deg: Sequence[float], lat_deg: Sequence[float], digits: int = 3) -> list[list[list[float]]]:
    """A track as LineStrings (``[[lon, lat], ...]``) that do not cross the antimeridian: where a step jumps by more
    than 180 degrees of longitude, the line ends at +-180 at the interpolated latitude and the next one starts at
    the opposite edge. Non-finite points (SGP4 failures) break the line too; lines of fewer than 2 points are
    left out."""
    lines: list[list[list[float]]] = []
    current: list[list[float]] = []

    def close() -> None:
        if len(current) >= 2:
            lines.append(current)

    previous: tuple[float, float] | None = None
    for x, y in zip(lon_deg, lat_deg, strict=True):
        if x is None or y is None or not (np.isfinite(x) and np.isfinite(y)):
            close()
            current, previous = [], None
            continue
        x, y = float(x), float(y)
        if previous is not None and abs(x - previous[0]) > 180.0:
            unwrapped = x + 360.0 if x < previous[0] else x - 360.0
            edge = 180.0 if unwrapped > 180.0 else -180.0
            fraction = (edge - previous[0]) / (unwrapped - previous[0])
            at = round(previous[1] + fraction * (y - previous[1]), digits)
            current.append([edge, at])
            close()
            current = [[-edge, at]]
        current.append([round(x, digits), round(y, digits)])
        previous = (x, y)
    close()
    return lines


@map_layer("ground-tracks", "Ground tracks of space objects", "tracks", SGP4, parameters=GroundTrackParameters,
           colour="#d98e04", order=50)
def ground_tracks(store: Store, viewer: Viewer, params: GroundTrackParameters) -> dict:
    """Ground tracks (sub-satellite points, WGS84) of the protected assets or of the objects asked for, by SGP4 from
    the newest element set of each that you may see: a MultiLineString per object split at the antimeridian, and a
    Point where it is at the start. Objects whose element set is more than 366 days from the start are not drawn
    (listed in ``properties.skipped``)."""
    from kompas.core import picture
    from kompas.files import load_assets
    from kompas.space.propagation import time_grid
    from kompas.times import parse_time_utc

    assets = load_assets()
    wanted = list(dict.fromkeys(int(i) for i in params.ids.split(","))) if params.ids else list(assets)
    try:
        picture.track_times(wanted, params.minutes, params.step_s)  # before anything is read
    except picture.TrackError as error:
        raise LayerError(str(error)) from None
    try:
        start = parse_time_utc(params.start) if params.start else None
    except ValueError:
        raise LayerError(f"start {params.start!r} is not a time that can be read (ISO 8601 UTC)") from None
    latest = [(e, mid) for _, e, mid in store.latest_element_sets(viewer, wanted)]
    with store.session(None) as s:
        markings = {mid: store.marking_of(s, mid) for mid in {mid for _, mid in latest}}
    if start is None:
        start = max((e.epoch_utc for e, _ in latest), default=np.datetime64("now", "ns"))
    start = start.astype("datetime64[ns]")
    limit = np.timedelta64(picture.MAX_TRACK_EPOCH_DAYS, "D")
    near = [(e, mid) for e, mid in latest if abs(e.epoch_utc - start) <= limit]
    skipped = sorted(e.norad_id for e, _ in latest if abs(e.epoch_utc - start) > limit)
    times = time_grid(start, start + np.timedelta64(round(params.minutes * 60e9), "ns"), params.step_s)
    text = [str(t) + "Z" for t in np.datetime_as_string(times[[0, -1]], unit="ms")]
    features = []
    if near:
        try:
            lat, lon, _ = picture.positions([e for e, _ in near], times)
        except ValueError:  # astropy: times beyond the Earth orientation tables it holds
            raise LayerError(f"positions cannot be computed from {text[0]} (no Earth orientation data for these "
                             "times): choose a start nearer the element sets' epochs") from None
        for k, (e, mid) in enumerate(near):
            lines = split_antimeridian(lon[k], lat[k])
            about = {"norad_id": e.norad_id, "name": e.name or str(e.norad_id),
                     "role": "asset" if e.norad_id in assets else "object", "href": f"#/object/{e.norad_id}",
                     "epoch_utc": str(np.datetime_as_string(e.epoch_utc, unit="ms")) + "Z"}
            if lines:
                features.append(feature({"type": "MultiLineString", "coordinates": lines}, markings[mid], **about,
                                        start_utc=text[0], end_utc=text[1]))
            first = next((j for j in range(len(times)) if np.isfinite(lat[k, j]) and np.isfinite(lon[k, j])), None)
            if first is not None:
                features.append(feature({"type": "Point", "coordinates": [round(float(lon[k, first]), 3),
                                                                          round(float(lat[k, first]), 3)]},
                                        markings[mid], **about, at_utc=str(np.datetime_as_string(
                                            times[first], unit="ms")) + "Z"))
    # the skipped objects' element sets were read to decide: their markings count too
    return collection("ground-tracks", features, [markings[mid] for e, mid in latest if e.norad_id in skipped],
                      attribution=SGP4, start_utc=text[0], end_utc=text[1], step_s=params.step_s,
                      objects=len({f["properties"]["norad_id"] for f in features}), skipped=skipped)
