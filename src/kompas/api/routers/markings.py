"""Markings: ``POST /api/v1/markings/combine``, the banner of a page or report showing several items."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import Caller
from kompas.api.errors import ERRORS
from kompas.api.schemas import MarkingOut
from kompas.core.markings import Marking, MarkingError, combine
from kompas.core.shapes import MarkingView

router = APIRouter(tags=["markings"])


class MarkingItem(BaseModel):
    """A marking as the API returns it (``banner`` ignored)."""

    model_config = ConfigDict(extra="ignore")
    classification: Literal["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"]
    tlp: Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] = "AMBER"
    releasable_to: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]] | None = Field(
        None, max_length=100)
    communities: list[list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]]] = Field([], max_length=50)
    originators: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]] = Field([], max_length=100)
    caveats: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 _.-]+$")]] = Field(
        [], max_length=10)


class MarkingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    markings: list[MarkingItem] = Field(min_length=1, max_length=2000,
                                        description="Markings as the API returns them")


@router.post("/api/v1/markings/combine", response_model=MarkingOut, responses=ERRORS)
def combine_markings(body: MarkingsIn, who: Caller) -> MarkingView:
    """The combined (most restrictive) marking of the items given: what a page or report showing them all
    carries (the rule of `kompas.core.markings.combine`)."""
    try:
        given = [Marking.from_dict(m.model_dump()) for m in body.markings]
    except MarkingError as error:
        raise HTTPException(422, str(error)) from None
    return combine(given).as_dict()
