"""``POST /api/v1/contributions``: element sets, a CCSDS CDM, an operator's ephemeris (CCSDS OEM) or a document
under a marking."""

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import CONTENT, Caller, StoreDep, note
from kompas.api.errors import WRITE_ERRORS
from kompas.api.schemas import ContributionOut, MarkingIn
from kompas.core.markings import MarkingError
from kompas.core.store import StoreError

router = APIRouter(tags=["contributions"])


class ElementsIn(BaseModel):
    """Element sets (any number) in one text."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["elements"]
    format: Literal["tle", "omm-xml", "omm-json", "omm-kvn", "omm-csv"]
    content: CONTENT
    marking: MarkingIn
    source: Literal["gp", "supgp", "contributed"] | None = Field(
        None, description="Where the sets come from: the GP catalogue, supplemental GP (operator-derived fits) or "
                          "your own tracking (default: SupGP when the TLE classification is C, else contributed). "
                          "Each source keeps its own history; screening prefers supgp, then contributed, then gp")


class CDMIn(BaseModel):
    """One CCSDS conjunction data message (KVN or XML)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["cdm"]
    format: Literal["cdm-kvn", "cdm-xml"]
    content: CONTENT
    marking: MarkingIn


class EphemerisIn(BaseModel):
    """One CCSDS OEM (KVN or XML): an operator's ephemeris of one object, covariance and manoeuvres included.
    The object is the OEM's ``OBJECT_ID`` as a NORAD number or an international designator the platform knows,
    unless ``norad_id`` names it."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["ephemeris"]
    format: Literal["oem-kvn", "oem-xml"]
    content: CONTENT
    marking: MarkingIn
    norad_id: int | None = Field(None, ge=1, le=999_999_999, description="The object's NORAD catalogue number "
                                 "(default: from the OEM's OBJECT_ID)")


class DocumentIn(BaseModel):
    """A document: assessment, report, note; ``supply-csv``, supply-chain shares for the Observatory in the
    Kompas supply CSV; or ``mobility``, elements and attributes for the mobility network in the Kompas mobility
    format (GeoJSON: bridges' military load classes, loading ramps, port capacities; kompas.mobility.contributed).
    Rows or features that do not parse are listed in ``rejected``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["document"]
    format: Literal["text", "markdown", "html", "supply-csv", "mobility", "forces"]
    title: str = Field(min_length=1, max_length=300, pattern=r"^[^\x00]*\S[^\x00]*$")
    content: CONTENT
    marking: MarkingIn


ContributionIn = Annotated[ElementsIn | CDMIn | EphemerisIn | DocumentIn, Field(discriminator="kind")]


@router.post("/api/v1/contributions", status_code=201, response_model=ContributionOut, responses=WRITE_ERRORS)
def contribute(body: ContributionIn, who: Caller, store: StoreDep) -> dict:
    """Contribute element sets, a CDM, an ephemeris (OEM) or a document under a marking. Good records are stored,
    each bad one is listed in ``rejected`` with its line, field and reason (the same rule as `kompas space
    ingest`); an OEM is stored whole or not at all."""
    m = body.marking
    marking = m.of(who.org)
    source = f"api:{who.name}"
    try:
        if isinstance(body, ElementsIn):
            done = store.contribute_elements(who, body.content, body.format, marking, source, body.source)
        elif isinstance(body, CDMIn):
            done = store.contribute_cdm(who, body.content, body.format, marking, source)
        elif isinstance(body, EphemerisIn):
            done = store.contribute_ephemeris(who, body.content, body.format, marking, source, body.norad_id)
        else:
            done = store.contribute_document(who, body.content, body.format, body.title, marking, source)
    except (StoreError, MarkingError) as error:
        note(store, who, "contribute", body.format, "rejected", str(error))
        raise
    note(store, who, "contribute", done.id, "ok", f"{done.accepted} accepted, {len(done.rejected)} rejected")
    return {"id": done.id, "accepted": done.accepted,
            "rejected": [{"source": r.source, "line": r.line, "field": r.field, "reason": r.reason,
                          "value": r.value} for r in done.rejected]}
