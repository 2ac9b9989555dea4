"""Space objects: ``/api/v1/objects`` (by NORAD id), their element sets and their names."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from kompas.api.deps import NO_NUL, NORAD, Caller, Limit, StoreDep, note
from kompas.api.errors import ERRORS
from kompas.api.routers.conjunctions import SortedAfter
from kompas.core.shapes import ElementSetView, ObjectView

router = APIRouter(tags=["objects"])

class ObjectPage(BaseModel):
    items: list[ObjectView]
    next: str | None = Field(description="Pass as ?after= (with the same sort and filters) for the next page; null on "
                                         "the last page")
    total: int = Field(description="Every object matching the filters that you may see")


@router.get("/api/v1/objects", response_model=ObjectPage, responses=ERRORS)
def objects(who: Caller, store: StoreDep, after: SortedAfter = None, limit: Limit = 100,
            sort: Annotated[Literal["norad_id", "-norad_id", "name", "epoch", "-epoch"], Query(
                description="norad_id (default), -norad_id, name, epoch (oldest first), -epoch (newest first)")]
            = "norad_id",
            name: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
            q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL,
                                           description="A NORAD id or words of the name")] = None) -> dict:
    """Objects with at least one element set you may see, by NORAD id unless ``sort`` says otherwise, with the
    total matching the filters; ``age_days``: how much older the object's newest element set is than the newest
    you see."""
    page = store.objects(who.viewer, after=after, limit=limit, name=name, sort=sort, q=q)
    note(store, who, "read", "objects")
    return {"items": page.items, "next": page.next, "total": page.total}


@router.get("/api/v1/objects/names", responses=ERRORS)
def object_names(who: Caller, store: StoreDep,
                 ids: Annotated[str, Query(pattern=r"^\d{1,9}(,\d{1,9})*$", max_length=5000,
                                           description="Up to 500 NORAD ids, comma-separated")]) -> dict:
    """Names of objects from the element sets you may see, and the owners Kompas knows (the protected assets'
    public owners), with the markings of the element sets the names come from:
    ``{"names": {"25544": "ISS (ZARYA)"}, "owners": {"31698": "DE (DLR)"}, "markings": [...]}``."""
    from kompas.files import load_assets

    wanted = [int(i) for i in ids.split(",")][:500]
    names, markings = store.names_marked(who.viewer, wanted)
    assets = load_assets()
    note(store, who, "read", "objects/names")
    return {"names": {str(k): v for k, v in names.items()},
            "owners": {str(k): assets[k].owner for k in names if k in assets}, "markings": markings}


@router.get("/api/v1/objects/{norad_id}/elements", response_model=list[ElementSetView], responses=ERRORS)
def elements(norad_id: NORAD, who: Caller, store: StoreDep, limit: Limit = 100) -> list[ElementSetView]:
    """The element sets of one object you may see, newest epoch first (an empty list otherwise)."""
    found = store.element_sets(who.viewer, norad_id, limit)
    note(store, who, "read", f"objects/{norad_id}/elements", detail=f"{len(found)} element sets")
    return found
