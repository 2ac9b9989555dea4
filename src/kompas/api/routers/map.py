"""The 2D map: ``/api/v1/map/layers`` (the registry of :mod:`kompas.services.map`), the Natural Earth boundaries
(``/api/v1/map/boundaries``, cacheable) and each layer's GeoJSON for the caller (``/api/v1/map/layers/{id}``)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kompas.api.deps import Caller, StoreDep, note
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.api.schemas import MarkingOut
from kompas.services import map as map_service

router = APIRouter(tags=["map"])

MAX_QUERY_PARAMETERS = 20  #: query parameters one layer request may hold
MAX_QUERY_CHARS = 25_000  #: characters of the query string one layer request may hold
LayerId = Annotated[str, Path(pattern=map_service.LAYER_ID.pattern, description="A layer id from /api/v1/map/layers")]


class LayerOut(BaseModel):
    id: str
    title: str
    kind: Literal["areas", "lines", "points", "tracks"] = Field(
        description="How it is drawn: areas (filled polygons), lines, points, tracks (lines and a point where each "
                    "object is at the start)")
    href: str = Field(description="Where its GeoJSON is read")
    attribution: str
    colour: str = Field(description="Its colour on the map and in the legend (CSS hex; the outline of areas)")
    fill: str | None = Field(description="The fill of areas (CSS hex; null: a translucent `colour`)")
    description: str
    visible: bool = Field(description="Whether the map shows it when it opens")
    parameters: dict[str, Any] = Field(description="Its query parameters (JSON Schema)")


class LayersOut(BaseModel):
    layers: list[LayerOut]


class FeatureProperties(BaseModel):
    model_config = ConfigDict(extra="allow")
    marking: MarkingOut = Field(description="The item's own marking")
    name: str | None = Field(None, description="Shown on hover")
    href: str | None = Field(None, description="The page with the item's detail (a link in the web site)")


class FeatureOut(BaseModel):
    type: Literal["Feature"]
    geometry: dict[str, Any] | None = Field(description="GeoJSON geometry, WGS84 longitude, latitude (degrees)")
    properties: FeatureProperties


class FeatureCollectionOut(BaseModel):
    type: Literal["FeatureCollection"]
    layer: str
    attribution: str
    marking: MarkingOut = Field(description="The combined marking of everything the layer used")
    properties: dict[str, Any]
    features: list[FeatureOut]


@router.get("/api/v1/map/layers", response_model=LayersOut, responses=ERRORS)
def map_layers(who: Caller, store: StoreDep) -> dict:
    """The map's layers: id, title, how each is drawn, where its GeoJSON is read, attribution and parameters."""
    note(store, who, "read", "map/layers")
    return {"layers": [{"id": layer.id, "title": layer.title, "kind": layer.kind, "href": layer.link(),
                        "attribution": layer.attribution, "colour": layer.colour, "fill": layer.fill,
                        "description": layer.description, "visible": layer.visible,
                        "parameters": layer.parameters.model_json_schema()}
                       for layer in map_service.layers()]}


@router.get("/api/v1/map/boundaries", response_model=FeatureCollectionOut,
            responses={**ERRORS, 304: {"description": "Not modified (the ETag given in If-None-Match)"}})
def map_boundaries(request: Request, who: Caller, store: StoreDep) -> Response:
    """Country boundaries (Natural Earth 1:50m Admin-0, public domain; UNCLASSIFIED TLP:CLEAR), the same for
    everyone: cacheable (``ETag``, ``Cache-Control``), gzip-compressed when the client accepts it."""
    body, compressed, etag = map_service.boundaries_document()
    headers = {"ETag": etag, "Cache-Control": "private, max-age=86400", "Vary": "Accept-Encoding, Authorization"}
    note(store, who, "read", "map/boundaries")
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(compressed, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"})
    return Response(body, media_type="application/json", headers=headers)


@router.get("/api/v1/map/layers/{layer_id}", response_model=FeatureCollectionOut, responses=NOT_FOUND)
def map_layer(layer_id: LayerId, request: Request, who: Caller, store: StoreDep) -> JSONResponse:
    """One layer's GeoJSON FeatureCollection from what you may see: each feature with its own marking, the
    collection with the combined marking of everything used. The layer's query parameters are listed (JSON Schema)
    by ``/api/v1/map/layers``; unknown, repeated or out-of-bounds parameters are refused (422). 404 for a layer
    that does not exist."""
    layer = map_service.find(layer_id)
    if layer is None:
        note(store, who, "read", f"map/layers/{layer_id}", "denied", "no such layer")
        raise HTTPException(404, f"no map layer {layer_id!r}: see /api/v1/map/layers")
    raw = request.query_params.multi_items()
    if len(raw) > MAX_QUERY_PARAMETERS or len(request.url.query) > MAX_QUERY_CHARS:
        raise HTTPException(422, f"at most {MAX_QUERY_PARAMETERS} query parameters and {MAX_QUERY_CHARS} "
                                 "characters of query string")
    names = [name for name, _ in raw]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise HTTPException(422, f"query parameter {repeated[0]!r} given more than once")
    try:
        params = layer.parameters.model_validate(dict(raw))
    except ValidationError as error:
        raise HTTPException(422, "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'query'}: {problem['msg']}"
            for problem in error.errors(include_url=False))) from None
    try:
        out = layer.builder(store, who.viewer, params)
    except map_service.LayerError as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "read", f"map/layers/{layer_id}", detail=f"{len(out['features'])} features")
    return JSONResponse(out)
