"""Forces and people (issue 28): ``/api/v1/forces/...``. The register (``contributions``, ``editions``,
``overview``, ``elements``), force generation for a crisis (``scenarios``, ``generate``), rotations, a civilian
deployment of 200 experts in 30 days, and capability planning. Service: :mod:`kompas.services.forces`; the same as
``kompas forces ...``.

Every answer is computed only from the register documents the caller may see and carries their combined marking;
``example=true`` answers from the shipped ILLUSTRATIVE example set instead; 404 when the caller may see no register
contribution (or not the edition named). The computing routes (generation,
rotations, the deployment simulation) run behind a gate, two at a time per server process and one per user, with a
bounded solver time; others are answered 503 with Retry-After."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from kompas.api.deps import CONTENT, MODERN_DAY, NO_NUL, Caller, StoreDep, note
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS
from kompas.api.schemas import MarkingIn
from kompas.core.gate import Busy, Gate
from kompas.core.markings import MarkingError
from kompas.core.store import StoreError
from kompas.forces.generation import Weights
from kompas.services import forces as service

router = APIRouter(tags=["forces"])
HEAVY = Gate("forces computations", slots=2, wait_s=2.0, per_holder=1)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "The server is computing as many force plans as it allows at once (or you are already "
                         "computing one): retry after Retry-After seconds"}}
EDITION = r"^\d{4}(-(H1|H2|Q[1-4]|\d{2}))?$"
Edition = Annotated[str | None, Query(pattern=EDITION, description="The register edition (default: the newest "
                                                                   "visible)")]
Example = Annotated[bool, Query(description="Answer from the shipped ILLUSTRATIVE example set")]
Code = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class ContributionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: CONTENT = Field(description="Register rows in the Kompas forces format: JSON, or CSV of one section "
                                         "(examples/forces/README.md)")
    edition: str | None = Field(None, pattern=EDITION, description="The edition (required for CSV; for JSON it must "
                                                                   "agree with the text's)")
    title: str | None = Field(None, min_length=1, max_length=300, pattern=NO_NUL)
    marking: MarkingIn


class RequirementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    capability: Code
    quantity: int = Field(ge=1, le=10_000)
    task: str = Field("", max_length=120, pattern=NO_NUL)
    readiness_days: int | None = Field(None, ge=0, le=3650)


class ScenarioIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120, pattern=NO_NUL)
    title: str = Field("", max_length=300, pattern=NO_NUL)
    response_days: int = Field(ge=0, le=3650)
    duration_days: int = Field(ge=1, le=36500)
    distance_km: float = Field(0.0, ge=0, le=20_100)
    environment: str = Field("permissive", pattern=r"^(permissive|uncertain|non-permissive)$")
    tasks: list[Annotated[str, Field(max_length=120, pattern=NO_NUL)]] = Field(default_factory=list, max_length=50)
    concurrency: int = Field(1, ge=1, le=100)
    max_troops: int = Field(5000, ge=1, le=1_000_000)
    requirements: list[RequirementIn] = Field(min_length=1, max_length=200)


class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str | None = Field(None, max_length=120, pattern=NO_NUL, description="A shipped scenario's name")
    custom: ScenarioIn | None = Field(None, description="A scenario given whole (instead of ``scenario``)")
    edition: str | None = Field(None, pattern=EDITION)
    example: StrictBool = False
    start: str | None = Field(None, pattern=MODERN_DAY, description="The decision day: elements must be available "
                                                                    "for the whole operation")
    troop_weight: int = Field(2, ge=0, le=1000)
    fairness: int = Field(1, ge=0, le=1000)


def _gated(who: Any, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:  # noqa: ANN401 (Account)
    try:
        with HEAVY.enter(holder=who.user_id):
            return work()
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
    except ValueError as error:  # ForcesError and the engines' own refusals
        raise HTTPException(422, str(error)) from None


def _view(store: Any, who: Any, edition: str | None, example: bool) -> service.RegisterView:  # noqa: ANN401
    try:
        return service.view(store, who.viewer, edition, example=example)
    except service.ForcesError as error:
        raise HTTPException(404, str(error)) from None


@router.post("/api/v1/forces/contributions", status_code=201, responses=WRITE_ERRORS)
def contribute(body: ContributionIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """Add your state's offers (force elements, civilian experts, rotation pools, stocks) under a marking: rows of
    another state are refused (an EU body may file for any). Good rows are stored (as canonical JSON), bad ones
    listed in ``rejected`` (source, line or item, field, reason); ``id`` is the contribution, ``document`` the
    stored document answers cite. A newer document of the same edition under the same marking supersedes your
    earlier rows of the same nation and section; one under another marking stands beside them."""
    try:
        marking = body.marking.of(who.org)
        done = service.contribute(store, who, body.content, marking, "api", body.edition, body.title)
    except (StoreError, MarkingError, service.ForcesError) as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "contribute", "forces/contributions", detail=done.id)
    return {"id": done.id, "document": store.document_of_contribution(who.viewer, done.id),
            "marking": marking.as_dict(), "banner": marking.banner(),
            "rejected": [r.as_dict() for r in done.rejected]}


@router.get("/api/v1/forces/editions", responses=ERRORS)
def editions(who: Caller, store: StoreDep, example: Example = False) -> list[dict[str, Any]]:
    """The register's editions the caller may see, with nations and record counts."""
    return service.editions(store, who.viewer, example=example)


@router.get("/api/v1/forces/overview", responses=NOT_FOUND)
def overview(who: Caller, store: StoreDep, edition: Edition = None, example: Example = False) -> dict[str, Any]:
    """The Rapid Deployment Capacity overview: every element the caller may see by component, capability (quantity,
    nations, fastest readiness) and nation, with readiness bands."""
    answer = service.overview(_view(store, who, edition, example))
    note(store, who, "read", "forces/overview", detail=answer["edition"])
    return answer


@router.get("/api/v1/forces/elements", responses=NOT_FOUND)
def elements(who: Caller, store: StoreDep, edition: Edition = None, example: Example = False,
             capability: Annotated[str | None, Query(max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")] = None,
             nation: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
             max_readiness_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
             limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """The force elements the caller may see, fastest first."""
    answer = service.elements(_view(store, who, edition, example), capability, nation, max_readiness_days, limit)
    note(store, who, "read", "forces/elements", detail=str(answer["total"]))
    return answer


@router.get("/api/v1/forces/scenarios", responses=ERRORS)
def scenarios(who: Caller) -> list[dict[str, Any]]:
    """The shipped scenarios (ILLUSTRATIVE: the EU's own are not public; every assumed figure is listed)."""
    return service.scenario_list()


@router.post("/api/v1/forces/generate", responses={**NOT_FOUND, **BUSY})
def generate(body: GenerateIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """The best force for a crisis scenario from what the caller may see (exact, OR-Tools CP-SAT within a bounded
    time): every requirement covered, at most ``max_troops``, readiness within the response time, national caveats
    respected, the burden spread across contributors. When none can, ``missing`` names the fewest requirements that
    must go uncovered, each with why. Marked with every element considered."""
    if (body.scenario is None) == (body.custom is None):
        raise HTTPException(422, "give either scenario (a shipped name) or custom (a scenario)")
    view = _view(store, who, body.edition, body.example)

    def work() -> dict[str, Any]:
        if body.custom is not None:
            chosen = service.scenario_from_data(body.custom.model_dump(), "custom")
        else:
            chosen = service.scenario_named(body.scenario or "")
        start = date.fromisoformat(body.start) if body.start else None
        return service.generate(view, chosen, Weights(body.troop_weight, body.fairness), start=start)

    answer = _gated(who, work)
    note(store, who, "read", "forces/generate", detail=f"{answer['scenario']['name']}: {answer['status']}")
    return answer


CaseName = Annotated[str, Query(min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9-]*$",
                                description="A planning case (GET /api/v1/forces/planning/cases) or a scenario")]


@router.get("/api/v1/forces/planning/cases", responses=ERRORS)
def planning_cases(who: Caller) -> list[dict[str, Any]]:
    """The shipped planning cases: scenarios run at the same time (ILLUSTRATIVE combinations, assumptions listed)."""
    return service.case_list()


@router.get("/api/v1/forces/planning/gaps", responses=NOT_FOUND)
def planning_gaps(who: Caller, store: StoreDep, case: CaseName, edition: Edition = None,
                  example: Example = False) -> dict[str, Any]:
    """The case's derived requirements (concurrency and rotation included) against one edition of the register:
    per capability required, offered, ready in time, the shortfalls and a severity."""
    view = _view(store, who, edition, example)
    try:
        answer = service.gaps(view, case)
    except service.ForcesError as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "read", "forces/planning/gaps", detail=f"{case} {answer['edition']}")
    return answer


def _views(store: Any, who: Any, editions: list[str] | None, example: bool) -> list[service.RegisterView]:  # noqa: ANN401
    try:
        return service.views(store, who.viewer, editions, example=example)
    except service.ForcesError as error:
        raise HTTPException(404, str(error)) from None


Editions = Annotated[list[Annotated[str, Field(pattern=EDITION)]] | None,
                     Query(max_length=20, description="Editions to compare (default: every visible one)")]


@router.get("/api/v1/forces/planning/trends", responses=NOT_FOUND)
def planning_trends(who: Caller, store: StoreDep, case: Annotated[str | None, Query(
        max_length=120, pattern=r"^[a-z0-9][a-z0-9-]*$")] = None, edition: Editions = None,
        example: Example = False) -> dict[str, Any]:
    """Offered quantity and readiness per capability across editions, gaps closed and opened (with ``case``), and
    each nation's change; marked with every document of every edition used."""
    vs = _views(store, who, edition, example)
    try:
        answer = service.trends(vs, case)
    except service.ForcesError as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "read", "forces/planning/trends", detail=",".join(answer["editions"]))
    return answer


@router.get("/api/v1/forces/planning/review", responses=NOT_FOUND)
def planning_review(who: Caller, store: StoreDep, case: CaseName, edition: Editions = None,
                    example: Example = False) -> dict[str, Any]:
    """The annual capability review of a case (what the report for the defence ministers' meeting shows): headline
    figures, gaps, trends, assumptions and sources."""
    vs = _views(store, who, edition, example)
    try:
        answer = service.review(vs, case)
    except service.ForcesError as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "read", "forces/planning/review", detail=case)
    return answer


class PositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=80, pattern=NO_NUL)
    capability: Code
    units: int = Field(0, ge=0, le=10_000)
    troops: int = Field(0, ge=0, le=1_000_000)
    needs: list[Annotated[int, Field(ge=0, le=10_000)]] = Field(default_factory=list, max_length=120)


class MissionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("mission", min_length=1, max_length=120, pattern=NO_NUL)
    start: str = Field(pattern=MODERN_DAY)
    months: int = Field(ge=1, le=120)
    decision: str | None = Field(None, pattern=MODERN_DAY)
    positions: list[PositionIn] = Field(min_length=1, max_length=200)


class RotationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str | None = Field(None, max_length=120, pattern=NO_NUL, description="A shipped scenario: one "
                                 "position per requirement")
    mission: MissionIn | None = Field(None, description="A mission given whole (instead of ``scenario``)")
    start: str | None = Field(None, pattern=MODERN_DAY, description="With scenario: the mission's first day "
                                                                    "(default: the first of next month)")
    months: int | None = Field(None, ge=1, le=120, description="With scenario: its length (default: the "
                                                               "scenario's duration)")
    edition: str | None = Field(None, pattern=EDITION)
    example: StrictBool = False


@router.post("/api/v1/forces/rotations", responses={**NOT_FOUND, **BUSY})
def rotations(body: RotationsIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """Rotations for a standing mission from the rotation pools the caller may see (exact fill, OR-Tools CP-SAT):
    the tours, the gaps forecast month by month with the first one, what each contributor is asked for and by when,
    and the sustainment ratio next to the rules of thumb. Marked with every pool considered."""
    if (body.scenario is None) == (body.mission is None):
        raise HTTPException(422, "give either scenario (a shipped name) or mission (a mission)")
    view = _view(store, who, body.edition, body.example)

    def work() -> dict[str, Any]:
        if body.mission is not None:
            mission = service.rotation_mission_from_data(body.mission.model_dump(), "mission")
        else:
            today = date.today()
            first = date(today.year + today.month // 12, today.month % 12 + 1, 1)
            start = date.fromisoformat(body.start) if body.start else first
            mission = service.rotation_mission(service.scenario_named(body.scenario or ""), start, body.months,
                                               min(today, start))
        return service.rotations(view, mission)

    answer = _gated(who, work)
    note(store, who, "read", "forces/rotations", detail=f"{answer['mission']['name']}: {answer['status']}")
    return answer


@router.get("/api/v1/forces/sustainment", responses=ERRORS)
def sustainment(who: Caller, deployed: Annotated[int, Query(ge=1, le=10_000_000)],
                tour_months: Annotated[int, Query(ge=1, le=60)] = 6,
                dwell_months: Annotated[int, Query(ge=0, le=240)] = 12,
                duration_months: Annotated[int | None, Query(ge=1, le=1200)] = None,
                overlap: Annotated[float, Query(ge=1.0, le=3.0)] = 1.0) -> dict[str, Any]:
    """The rules of thumb, no data: the pool that sustains ``deployed`` indefinitely (60,000 with 6-month tours and
    12 months' dwell: 180,000), and with ``duration_months`` the distinct people a finite operation deploys (a year:
    120,000), with the rules' texts and sources."""
    try:
        return service.sustainment(deployed, tour_months, dwell_months, duration_months, overlap)
    except service.ForcesError as error:
        raise HTTPException(422, str(error)) from None


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = Field(ge=1, le=20_000)
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1")]] = Field(
        default_factory=lambda: ["en"], max_length=10)
    clearance: str = Field("none", pattern=r"^(none|RESTREINT UE|CONFIDENTIEL UE|SECRET UE)$")


class DeployIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str | None = Field(None, max_length=120, pattern=NO_NUL, description="A shipped civilian scenario "
                                 "(default civilian-200-in-30)")
    needs: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)], NeedIn] | None = Field(
        None, max_length=50, description="Profile -> experts needed (instead of the scenario's)")
    decision: str | None = Field(None, pattern=MODERN_DAY, description="The Council decision (default: today; "
                                                                       "the example set: 1 March of its edition)")
    deadline_days: int | None = Field(None, ge=0, le=3650)
    environment: str | None = Field(None, pattern=r"^(permissive|uncertain|non-permissive)$")
    call_lead_days: int = Field(0, ge=0, le=365)
    runs: int = Field(5000, ge=100, le=service.MAX_API_RUNS)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    levers: StrictBool = True
    edition: str | None = Field(None, pattern=EDITION)
    example: StrictBool = False


@router.post("/api/v1/forces/deploy", responses={**NOT_FOUND, **BUSY})
def deploy(body: DeployIn, who: Caller, store: StoreDep) -> dict[str, Any]:
    """A civilian mission (200 experts in 30 days by default) from the roster and stocks the caller may see: the
    day-by-day plan (selection, clearance, medical, training, equipment, transport) with the critical path, the
    probability of meeting the deadline by Monte Carlo simulation (seeded, Wilson interval), and what would shorten
    it. Every assumed parameter is listed. Marked with every expert and stock considered."""
    view = _view(store, who, body.edition, body.example)

    def work() -> dict[str, Any]:
        from kompas.forces import deployment

        scenario = service.scenario_named(body.scenario) if body.scenario else None
        decision = date.fromisoformat(body.decision) if body.decision else service.default_decision(view)
        mission = service.civilian_mission(scenario, decision, body.deadline_days, body.call_lead_days)
        if body.needs is not None or body.environment is not None:
            from dataclasses import replace

            needs = mission.needs if body.needs is None else {
                p: deployment.ProfileNeed(n.count, tuple(n.languages), n.clearance) for p, n in body.needs.items()}
            mission = replace(mission, needs=needs, environment=body.environment or mission.environment)
        return service.deploy(view, mission, body.runs, body.seed, body.levers, lever_runs=min(body.runs, 2000),
                              max_cells=service.MAX_API_CELLS)

    answer = _gated(who, work)
    note(store, who, "read", "forces/deploy", detail=str(answer["plan"]["mission"]["size"]))
    return answer
