"""Request and response models shared by several routers (each router's own models live beside it)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kompas.core.markings import Marking
from kompas.core.shapes import MarkingView


class RejectionOut(BaseModel):
    source: str
    line: int
    field: str
    reason: str
    value: str


class MarkingIn(BaseModel):
    """A contributor's marking. The contributor's organisation is added as originator (and to
    ``releasable_to`` when a list is given)."""

    model_config = ConfigDict(extra="forbid")
    classification: Literal["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"] = "UNCLASSIFIED"
    tlp: Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] = "AMBER"
    releasable_to: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]] | None = Field(
        default=None, max_length=100, description="Organisation or country codes; null: no releasability restriction")
    communities: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]] = Field(default=[], max_length=50)
    caveats: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 _.-]+$")]] = Field(
        default=[], max_length=10)

    def of(self, org: str) -> Marking:
        """The :class:`Marking` it gives when organisation ``org`` contributes (:meth:`Marking.build`)."""
        return Marking.build(self.classification, self.tlp, self.releasable_to, self.communities, org, self.caveats)


MarkingOut = MarkingView  #: a marking as shown: declared once, in kompas.core.shapes


class ContributionOut(BaseModel):
    id: str
    accepted: int
    rejected: list[RejectionOut]
