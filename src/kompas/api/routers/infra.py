"""Critical infrastructure (issue 24): ``/api/v1/infra/assess`` (dependency metrics per member state),
``/api/v1/infra/stress`` (what losing named elements, a supplier's, an owner's or everything in an area costs),
``/api/v1/infra/rank`` (the elements of a region by the damage their loss causes), ``/api/v1/infra/vintages`` (the
2021 and 2022 cable maps compared), ``/api/v1/infra/elements`` (contribute, list and withdraw pipelines, capacities,
private cables, links under markings) and ``/api/v1/infra/incidents`` (damage to named assets, recorded as an event
with the stress result of losing them). Every answer is computed on the public data merged with the contributions the
caller may see and carries the combined ``marking`` of those it used. Service: :mod:`kompas.services.infra`; the
same as ``kompas infra``.
"""

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import Caller, StoreDep, note
from kompas.api.errors import ERRORS, WRITE_ERRORS
from kompas.api.schemas import MarkingIn
from kompas.core.gate import Busy, Gate
from kompas.core.store import Account
from kompas.services import infra as service

if TYPE_CHECKING:
    from kompas.infra.stress import Scenario

T = TypeVar("T")

router = APIRouter(tags=["infra"])
#: Assessments (single points of failure per country: a stress test per element), stress tests on an area (the area
#: itself is read and buffered inside the gate) and rankings are the heavy reads: two at a time per server process,
#: one per user (so one user looping requests cannot hold every place), others answered 503 with Retry-After.
HEAVY = Gate("infrastructure assessments, area stress tests and rankings", slots=2, wait_s=2.0, per_holder=1)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "Another assessment, area stress test or ranking is being computed: retry after "
                         "Retry-After seconds"}}
COUNTRIES = r"^[A-Za-z]{2}(,[A-Za-z]{2}){0,29}$"
TEXT = r"^[^\x00-\x1f\x7f]*$"  #: one line of text: no control characters
NAME = Annotated[str, Field(min_length=1, max_length=300, pattern=TEXT)]
CODE = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
REF = r"^(landing|cable|link|building|exchange):[^\s;\x00-\x1f\x7f]{1,128}$"  #: kind:id of an element
TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z?$"
Cause = Literal["anchor-drag", "sabotage", "fishing", "accident", "technical-failure", "natural", "unknown"]


def _gated(work: Callable[[], T], who: Account) -> T:
    try:
        with HEAVY.enter(holder=who.user_id):
            return work()
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None


def _codes(country: str | None) -> list[str]:
    return [c.upper() for c in country.split(",")] if country else []


@router.get("/api/v1/infra/assess", responses={**ERRORS, **BUSY})
def assess(who: Caller, store: StoreDep,
           country: Annotated[str | None, Query(pattern=COUNTRIES, description="ISO 3166 alpha-2 codes, "
                                                                               "comma-separated (default: every EU "
                                                                               "member state)")] = None,
           share: Annotated[float, Query(gt=0, lt=1, description="A single point of failure removes more than this "
                                                                 "share of a pair's direct capacity: a multiple of "
                                                                 "0.05 (0.05 .. 0.95; another is refused, 422)")
                            ] = 0.5) -> dict:
    """What each member state's international connectivity rests on: cables (count, neighbours, landing-station
    diversity), power and gas interconnection per neighbour (MW, GWh/d), internet exchange concentration, supplier
    and owner concentration (HHI, EU27 / like-minded shares, coverage), single points of failure and redundancy;
    on the public data and the contributions you may see, marked with their combination."""
    found = _gated(lambda: service.assess(store, who.viewer, _codes(country), share), who)
    note(store, who, "read", "infra/assess", detail=f"{len(found['countries'])} countries")
    return found


class StressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    remove: list[NAME] = Field([], max_length=200, description="Names, ids or kind:id refs (\"Estlink 2\", "
                                                               "\"cable:c-lion1\", \"landing:hanko-finland\")")
    suppliers: list[NAME] = Field([], max_length=50, description="Remove everything these suppliers built")
    owners: list[NAME] = Field([], max_length=50, description="Remove everything these owners own")
    area: dict[str, Any] | None = Field(None, description="A GeoJSON Polygon or MultiPolygon (a sea area), or a "
                                                          "LineString with buffer_km (an anchor track), as a "
                                                          "geometry, Feature or FeatureCollection")
    buffer_km: float | None = Field(None, gt=0, le=500, description="Corridor half-width around the area's lines")
    countries: list[CODE] = Field([], max_length=30, description="Rows start from these countries (default: the "
                                                                  "first country of each element named)")
    avoid: list[CODE] = Field([], max_length=30, description="Alternative paths never transit these countries")
    record: bool = Field(False, description="Store the result as a stress-test event (domain infra) under its "
                                            "marking, for the response engine")


@router.post("/api/v1/infra/stress", responses={**ERRORS, **BUSY})
def stress(body: StressIn, who: Caller, store: StoreDep) -> dict:
    """What losing the elements named, a supplier's or owner's, or everything in an area costs: rows
    ``from_country, to_country, kind, before, after, unit`` per country pair and measure (``cables``, ``hvdc_mw``,
    ``ac_mw``, ``pipeline_gwh_d``, ``ixp``), the pairs that can no longer reach each other, alternative paths, the
    exchanges cut off, and ``caveats`` (routes are drawn, not surveyed: a distance to a cable is approximate).
    With ``record`` the result becomes a stress-test event under the combined marking of the contributions it used
    (refused, 422, when you could not read that marking back). Unknown or ambiguous names: 422 listing candidates.
    A stress test on an area waits behind the gate (503 with Retry-After when it is busy); the area is read there."""

    def work() -> "tuple[Scenario, dict]":
        area = json.dumps(body.area) if body.area is not None else None
        scenario = service.scenario_of(body.remove, body.suppliers, body.owners, area, body.buffer_km, body.avoid)
        return scenario, service.stress(store, who.viewer, scenario, body.record, body.countries, who.name)

    scenario, found = _gated(work, who) if body.area is not None else work()
    note(store, who, "read", "infra/stress", detail=scenario.describe()[:200])
    return found


@router.get("/api/v1/infra/rank", responses={**ERRORS, **BUSY})
def rank(who: Caller, store: StoreDep,
         country: Annotated[str | None, Query(pattern=COUNTRIES, description="The region: carriers joining these "
                                                                             "countries, their landing stations and "
                                                                             "buildings (default: every carrier)")
                            ] = None,
         limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict:
    """The elements of a region ranked by the damage their loss alone causes: country pairs disconnected, pairs
    left without a direct carrier, share of direct capacity removed, exchanges cut off."""
    found = _gated(lambda: service.rank(store, who.viewer, _codes(country), None, limit), who)
    note(store, who, "read", "infra/rank", detail=f"{len(found['ranking'])} elements")
    return found


@router.get("/api/v1/infra/vintages", responses=ERRORS)
def vintages(who: Caller, store: StoreDep,
             country: Annotated[str | None, Query(pattern=COUNTRIES, description="Only cables landing in one of "
                                                                                 "these countries")] = None) -> dict:
    """The June 2021 and late 2022 cable maps compared: cables added, retired and changed (public data)."""
    found = service.vintages(_codes(country))
    note(store, who, "read", "infra/vintages")
    return found


class ElementsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=service.MAX_CONTRIBUTION_BYTES,
                      description="The Kompas infrastructure format: CSV (kind,id,name,countries,...) or GeoJSON "
                                  "(a FeatureCollection whose properties carry the same fields); see "
                                  "examples/infra/README.md")
    source: str = Field("", max_length=200, pattern=TEXT,
                        description="What it is (a file name); default: api:<your organisation>")
    marking: MarkingIn = Field(description="The elements' marking (who may see them merged into the network)")


@router.post("/api/v1/infra/elements", status_code=201, responses=WRITE_ERRORS)
def contribute(body: ElementsIn, who: Caller, store: StoreDep) -> dict:
    """Add your organisation's elements (pipelines, capacities, private cables, links) under your marking: an
    element with a public element's id completes and replaces it for those who may see yours; one you sent before
    under the same marking is replaced. Bad rows are listed in ``rejected`` (record, field, reason), the others
    stored. Audited."""
    return service.contribute(store, who, body.text, body.source or f"api:{who.org}", body.marking.of(who.org))


@router.get("/api/v1/infra/elements", responses=ERRORS)
def elements(who: Caller, store: StoreDep,
             kind: Annotated[Literal["landing", "cable", "link", "building", "exchange"] | None, Query()] = None,
             org: Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                              description="Contributed by this organisation")] = None,
             limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> dict:
    """The contributed elements you may see, newest first, each with its marking, contributor and source, and
    whether it replaces a public element (it then carries the public element's fields it left empty); marked with
    their combination; ``sources``: the contributions and the public data sets of the elements completed, with
    their attribution and licence (TeleGeography: CC BY-NC-SA 3.0, non-commercial)."""
    found = service.contributed(store, who.viewer, kind, org, limit)
    note(store, who, "read", "infra/elements", detail=f"{len(found['items'])} elements")
    return found


@router.delete("/api/v1/infra/elements", responses=WRITE_ERRORS)
def withdraw(who: Caller, store: StoreDep,
             source: Annotated[str | None, Query(min_length=1, max_length=200, pattern=TEXT,
                                                 description="The name the contribution was sent under (its "
                                                             "`source`; default of a POST: api:<your "
                                                             "organisation>)")] = None,
             ref: Annotated[list[Annotated[str, Field(min_length=3, max_length=150, pattern=REF)]] | None,
                            Query(max_length=1000, description="Elements to withdraw as kind:id (repeatable; with "
                                                               "source: only those of that source)")] = None) -> dict:
    """Withdraw your organisation's contributed elements: those sent under ``source`` and/or the elements ``ref``
    (every marking you may see). The public elements they replaced are back for every reader. Answers the elements
    withdrawn (``count`` 0 when nothing matched); 422 when neither is given. Audited."""
    return service.withdraw(store, who, source, ref or [])


class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assets: list[NAME] = Field(min_length=1, max_length=service.MAX_ASSETS,
                               description="The damaged assets: names, ids or kind:id refs")
    time_utc: str = Field(pattern=TIME, description="When the damage happened (ISO 8601 UTC)")
    cause: Cause = Field("unknown", description="The suspected cause")
    vessel: str = Field("", max_length=200, pattern=TEXT, description="A vessel suspected (name, IMO or MMSI): a "
                                                                      "suspicion, never an attribution")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    title: str = Field("", max_length=300, pattern=TEXT)
    note: str = Field("", max_length=4000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
    marking: MarkingIn = Field(description="The incident's marking")


@router.post("/api/v1/infra/incidents", status_code=201, responses=WRITE_ERRORS)
def incident(body: IncidentIn, who: Caller, store: StoreDep) -> dict:
    """Record damage to infrastructure assets as an incident event (domain infra) under your marking: the assets,
    time, suspected cause, vessel and place, with the stress result of losing the assets (computed on the public
    data and the contributions your marking covers). The same incident sent again is stored once. Audited."""
    fields = body.model_dump(exclude={"marking"})
    return service.record_incident(store, who, fields, body.marking.of(who.org))
