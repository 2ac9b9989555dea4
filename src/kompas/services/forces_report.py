"""The forces report (issue 28, items 5 and 6): the annual capability review for the meeting of EU defence
ministers the Strategic Compass describes ("Invest": from 2022, on EU defence initiatives for capability
development), as one reader may see the register, banner-marked. Gathers the figures (:func:`analyse`) and renders
the page (:mod:`kompas.reports.forces`); called by ``kompas forces report`` and by the report job ``forces``
(``POST /api/v1/reports/forces``).

What the report reads, all through :mod:`kompas.services.forces` (so need-to-know is applied once, by the storage
layer, and every document whose records are used raises the banner):

- the register editions the reader may see (:func:`kompas.services.forces.views`; ``editions`` to choose some), or
  the shipped ILLUSTRATIVE example set (``example``); with ``within`` only the documents whose markings that marking
  covers, so a report can be produced at a chosen releasability;
- the capability review of a planning case (:func:`kompas.services.forces.review`: headline figures, gaps, trends,
  assumptions, sources) against the latest edition, trends across all;
- the Rapid Deployment Capacity overview of the latest edition (:func:`kompas.services.forces.overview`);
- force generation (:func:`kompas.services.forces.generate`, exact CP-SAT) for each military scenario of the case
  against the latest edition (a civilian scenario asks for experts, not force elements: it is left to the civilian
  deployment plan);
- rotations (:func:`kompas.services.forces.rotations`) for the case's longest military scenario held as a standing
  mission of :data:`ROTATION_MONTHS` months (:func:`kompas.services.forces.rotation_mission`) from the latest
  edition's rotation pools, beside the rules of thumb and the Helsinki Headline Goal's reference
  (:func:`kompas.services.forces.sustainment`: 60,000 on 6-month tours with 12 months' dwell);
- the civilian deployment (:func:`kompas.services.forces.deploy`) of the case's civilian scenario (the shipped
  ``civilian-200-in-30`` when it has none) from the latest edition's roster and stocks: the plan, the probability
  by simulation (:data:`DEPLOY_RUNS` runs), the levers (:data:`LEVER_RUNS` runs each);
- the sources and notes of the register rows used (what is public fact, what is invented).

The mission dates: for the example set the standing mission starts on 1 March of the latest edition's year and the
civilian decision falls on that day (:func:`kompas.services.forces.default_decision`); on the platform the standing
mission starts on the first day of the month two months after ``as_of`` and the civilian decision is ``as_of``. The
rotations' decision day is :data:`ROTATION_LEAD_MONTHS` months before the start.

The banner is the combined marking of every register document any of these used, the rotations' and the
deployment's markings included (the example set is
``UNCLASSIFIED // TLP:CLEAR``); a banner given by hand may add restrictions, never remove one
(:func:`kompas.services.reports.banner_for`).

Units: troops and units (in each capability's own unit: companies, aircraft, teams, experts) as counts; days;
unit-months (one unit deployed for one mission month).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kompas.core.markings import Marking, Viewer, combine
from kompas.services import forces as service

if TYPE_CHECKING:
    from kompas.core.store import Store
    from kompas.services.reports import Rendered

Progress = Callable[[float], None]
STEPS = 7  #: progress steps of :func:`report`
DEFAULT_CASE = "rdc-stabilisation-and-civilian-mission"  #: the RDC's initial stabilisation with 200 experts
GENERATION_TIME_LIMIT_S = 30.0  #: the solver's limit per scenario in a report (a job, never a request), seconds
MAX_EDITIONS = 20  #: editions one report compares
ROTATION_MONTHS = 24  #: the standing mission the rotations section plans, months
ROTATION_LEAD_MONTHS = 2  #: its decision day, months before its start
ROTATION_TIME_LIMIT_S = 30.0  #: the rotation solver's limit in a report (a job), seconds
DEPLOY_RUNS = 5_000  #: Monte Carlo runs of the civilian deployment in a report
LEVER_RUNS = 1_000  #: runs per lever
DEPLOY_SEED = 0
DEFAULT_CIVILIAN = "civilian-200-in-30"  #: the civilian scenario when the case has none
#: The Helsinki Headline Goal's reference (research notes 1.1): 60,000 deployed, 6-month tours, 12 months' dwell,
#: one year: (deployed, tour months, dwell months, duration months)
HELSINKI = (60_000, 6, 12, 12)
_URL = re.compile(r"https?://[^\s<>\"']+")


class ReportError(ValueError):
    """A report request that cannot be answered (no register visible, an unknown case or edition)."""


@dataclass
class Analysis:
    """Everything the report shows: the review (:func:`kompas.services.forces.review`), the overview of the latest
    edition, a force per military scenario, and what the register rows used say about their sources."""

    as_of: date
    case: str
    review: dict[str, Any]
    overview: dict[str, Any]
    forces: list[dict[str, Any]] = field(default_factory=list)  #: :func:`kompas.services.forces.generate` answers
    not_generated: list[dict[str, str]] = field(default_factory=list)  #: scenarios left out of generation, and why
    editions: list[str] = field(default_factory=list)
    example: bool = False
    illustrative: bool = False
    within: Marking | None = None
    documents: list[str] = field(default_factory=list)  #: platform documents used (none for the example set)
    records: int = 0  #: register records read, all editions
    illustrative_records: int = 0
    row_notes: list[tuple[str, int]] = field(default_factory=list)  #: distinct notes of the rows used, with counts
    register_sources: list[str] = field(default_factory=list)  #: every URL the register rows used cite
    marking: Marking = field(default_factory=lambda: service.PUBLIC_MARKING)
    rotations: dict[str, Any] | None = None  #: :func:`kompas.services.forces.rotations` for the standing mission
    rotation_scenario: dict[str, Any] | None = None  #: the scenario it holds ({name, title, duration_days})
    rotation_error: str = ""  #: why no rotation plan, when there is none
    helsinki: dict[str, Any] = field(default_factory=dict)  #: :func:`kompas.services.forces.sustainment`
    deployment: dict[str, Any] | None = None  #: :func:`kompas.services.forces.deploy` of the civilian scenario
    deployment_scenario: dict[str, Any] | None = None  #: {name, title, from_case: whether the case holds it}
    deployment_error: str = ""
    deployment_assumed: list[tuple[str, str]] = field(default_factory=list)  #: (parameter, why assumed)

    @property
    def edition(self) -> str:
        return str(self.review["edition"])

    @property
    def illustrative_data(self) -> bool:
        """Whether the register read is illustrative (the shipped example set, or records labelled illustrative),
        as against only the scenarios' figures being illustrative or assumed."""
        return self.example or self.illustrative_records > 0


@dataclass(frozen=True)
class CivilianVerdict:
    """What the civilian deployment plan (section 7) says about one civilian profile the case requires: the planning
    review counts a profile met when enough experts are offered and ready by their notice days; the plan follows
    every stage (selection, clearances, training, kit, transport) and may still miss the deadline."""

    scenario: str  #: the civilian scenario deployed
    feasible: bool  #: the plan has the whole mission in theatre by the deadline
    deadline_days: int  #: days from the Council decision
    plan_day: float | None  #: the day the plan has the last expert in theatre (None: never)
    probability: float  #: P(the whole mission in theatre by the deadline), by simulation, 0..1
    needed: int  #: experts of this profile the deployed mission needs
    in_time: int  #: of them in theatre by the deadline in the plan

    def text(self) -> str:
        """The verdict as the report writes it, e.g. ``misses day 30: plan day 150.3, 0/131 by then, P 0.0%``
        (the plan's day for the whole mission, this profile's experts in theatre by the deadline of those needed,
        P(the whole mission in time))."""
        day = "never" if self.plan_day is None else f"day {self.plan_day:g}"
        return (f"{'meets' if self.feasible else 'misses'} day {self.deadline_days}: plan {day}, "
                f"{self.in_time}/{self.needed} by then, P {100 * self.probability:.1f}%")


def civilian_verdicts(analysis: Analysis) -> dict[str, CivilianVerdict]:
    """The deployment plan's verdict per civilian profile of the review's gap table that the deployed scenario
    requires (none when no deployment was computed or the case has no civilian scenario)."""
    d, held = analysis.deployment, analysis.deployment_scenario
    if d is None or held is None or not held["from_case"]:
        return {}
    plan, sim = d["plan"], d["simulation"]
    m = plan["mission"]
    deadline = int(m["deadline_days"])
    needs = {p: int(n["count"]) for p, n in m["needs"].items()}
    arrived: Counter[str] = Counter(x["profile"] for x in plan["selected"]
                                    if x["in_theatre_day"] is not None and x["in_theatre_day"] <= deadline)
    out = {}
    for g in analysis.review["gaps"]:
        code = g["capability"]
        if g.get("civilian") and held["name"] in g["scenarios"] and code in needs:
            out[code] = CivilianVerdict(held["name"], bool(plan["feasible"]), deadline, plan["completion_day"],
                                        float(sim["probability"]), needs[code], min(needs[code], arrived[code]))
    return out


def deployed_gaps(analysis: Analysis) -> list[dict[str, Any]]:
    """The review's gap table with the civilian deployment's verdict: each civilian profile the deployed scenario
    requires carries ``deployment`` (:class:`CivilianVerdict` as a dict, its ``text``); when the plan misses the
    deadline, the experts it has late no longer count as covered in time (``covered_ready`` and
    ``readiness_shortfall`` move by them) and a profile the review counts met becomes ``readiness`` (not in time),
    its ``review_severity`` kept."""
    verdicts = civilian_verdicts(analysis)
    out = []
    for g in analysis.review["gaps"]:
        row = dict(g)
        v = verdicts.get(g["capability"])
        if v is not None:
            row["deployment"] = {**asdict(v), "text": v.text()}
            if not v.feasible:
                late = v.needed - v.in_time
                ready = max(0, int(g["covered_ready"]) - late)
                row["readiness_shortfall"] = int(g["readiness_shortfall"]) + int(g["covered_ready"]) - ready
                row["covered_ready"] = ready
                row["review_severity"] = g["severity"]
                if g["severity"] == "none":
                    row["severity"] = "readiness"
        out.append(row)
    return out


def deployed_headline(analysis: Analysis) -> dict[str, Any]:
    """The review's headline figures recomputed from :func:`deployed_gaps` (capabilities met, gaps by severity,
    units covered in time, readiness coverage), with ``late_profiles``: the civilian profiles the review counts met
    that the deployment plan has not in theatre by the deadline."""
    from kompas.forces import planning

    h = dict(analysis.review["headline"])
    table = deployed_gaps(analysis)
    counts = {s: sum(1 for g in table if g["severity"] == s) for s in planning.SEVERITIES}
    ready = sum(int(g["covered_ready"]) for g in table)
    required = int(h["units_required"])
    h.update(capabilities_met=counts["none"], gaps_by_severity=counts, units_covered_ready=ready,
             readiness_coverage=round(ready / required, 4) if required else 1.0,
             late_profiles=sorted(g["capability"] for g in table if g.get("review_severity") == "none"))
    return h


def _urls(text: str) -> list[str]:
    return [u.rstrip(".,;:)]") for u in _URL.findall(text or "")]


def _rows(views: Sequence[service.RegisterView]) -> tuple[int, int, list[tuple[str, int]], list[str]]:
    """Records read, those labelled illustrative, their distinct notes (most frequent first) and every URL cited in
    a row's ``source_url`` or notes (sorted)."""
    records = illustrative = 0
    notes: Counter[str] = Counter()
    urls: set[str] = set()
    for v in views:
        for r in v.register.records():
            records += 1
            illustrative += r.illustrative
            if r.notes:
                notes[r.notes] += 1
            urls.update(_urls(r.source_url))
            urls.update(_urls(r.notes))
    return records, illustrative, sorted(notes.items(), key=lambda kv: (-kv[1], kv[0])), sorted(urls)


def mission_dates(latest: service.RegisterView, as_of: date) -> tuple[date, date, date]:
    """The standing mission's start and decision day and the civilian decision day (module docstring)."""
    from kompas.forces.rotation import month_start

    if latest.example:
        decision = service.default_decision(latest)
        start = date(decision.year, 3, 1)
    else:
        decision = as_of
        start = month_start(date(as_of.year, as_of.month, 1), ROTATION_LEAD_MONTHS)
    return start, month_start(start, -ROTATION_LEAD_MONTHS), decision


def _rotations(latest: service.RegisterView, case: Any, start: date, decision: date,  # noqa: ANN401
               time_limit_s: float) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """Rotations for the case's longest military scenario (the first of the longest), or why none."""
    from kompas.forces import planning

    military = [s for s in case.scenarios if not planning.civilian(s)]
    if not military:
        return None, None, "the case has no military scenario"
    longest = max(military, key=lambda s: s.duration_days)  # max keeps the first of equal durations
    held = {"name": longest.name, "title": longest.title, "duration_days": longest.duration_days}
    try:
        mission = service.rotation_mission(longest, start, ROTATION_MONTHS, decision)
        return service.rotations(latest, mission, time_limit_s), held, ""
    except service.ForcesError as exc:
        return None, held, str(exc)


def _deployment(latest: service.RegisterView, case: Any,  # noqa: ANN401
                decision: date) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """The civilian deployment of the case's civilian scenario (else the shipped one), or why none."""
    from kompas.forces import planning

    civilian = [s for s in case.scenarios if planning.civilian(s)]
    try:
        scenario = civilian[0] if civilian else service.scenario_named(DEFAULT_CIVILIAN)
    except service.ForcesError as exc:
        return None, None, str(exc)
    held = {"name": scenario.name, "title": scenario.title, "from_case": bool(civilian)}
    try:
        mission = service.civilian_mission(scenario, decision)
        return (service.deploy(latest, mission, runs=DEPLOY_RUNS, seed=DEPLOY_SEED, levers=True,
                               lever_runs=LEVER_RUNS), held, "")
    except service.ForcesError as exc:
        return None, held, str(exc)


def _assumed_notes(names: Sequence[str]) -> list[tuple[str, str]]:
    """Each assumed deployment parameter with the bundled data's reason (its note)."""
    from kompas.forces import deployment

    notes = {p.parameter: p.note for p in deployment.load_parameters().provenance if p.assumed}
    return [(name, notes.get(name, "")) for name in names]


def check_editions(editions: Sequence[str] | None) -> list[str] | None:
    """The editions asked for, checked (:func:`kompas.forces.register.check_edition`); ReportError naming the first
    bad one or when there are more than :data:`MAX_EDITIONS`."""
    from kompas.forces import register

    if not editions:
        return None
    if len(editions) > MAX_EDITIONS:
        raise ReportError(f"a report compares at most {MAX_EDITIONS} editions")
    out = []
    for text in editions:
        try:
            out.append(register.check_edition(str(text)))
        except ValueError as exc:
            raise ReportError(str(exc)) from None
    return out


def analyse(store: Store | None, viewer: Viewer | None, case_name: str | None = None, *, example: bool = False,
            editions: Sequence[str] | None = None, within: Marking | None = None, as_of: date | None = None,
            progress: Progress | None = None, time_limit_s: float = GENERATION_TIME_LIMIT_S) -> Analysis:
    """The report's figures for planning case ``case_name`` (default :data:`DEFAULT_CASE`; a shipped scenario's name
    is a case of that scenario alone) as ``viewer`` may see the register (``store`` None or ``example``: the shipped
    ILLUSTRATIVE example set), over ``editions`` (default every edition visible) and, with ``within``, only the
    documents that marking covers. ReportError when nothing can be reviewed."""
    from kompas.forces import planning

    def step(n: float) -> None:
        if progress is not None:
            progress(n)

    name = case_name or DEFAULT_CASE
    chosen = check_editions(editions)
    try:
        case = service.case_named(name)
        views = service.views(store, viewer, chosen, example=example, within=within)
        if not views:  # nothing visible: the view's own message says what to do
            service.view(store, viewer, None, example=example, within=within)
            raise ReportError("no register edition is visible to you")
        step(1)
        review = service.review(views, name)
        step(2)
        latest = views[-1]
        overview = service.overview(latest)
        step(3)
    except service.ForcesError as exc:
        raise ReportError(str(exc)) from None
    markings = [Marking.from_dict(dict(review["marking"])), Marking.from_dict(dict(overview["marking"]))]
    forces: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for scenario in case.scenarios:
        if planning.civilian(scenario):
            skipped.append({"scenario": scenario.name, "title": scenario.title,
                            "reason": "civilian: it asks for experts, not force elements (the civilian deployment "
                                      "plan answers it)"})
            continue
        try:
            answer = service.generate(latest, scenario, time_limit_s=time_limit_s)
        except service.ForcesError as exc:
            skipped.append({"scenario": scenario.name, "title": scenario.title, "reason": str(exc)})
            continue
        markings.append(Marking.from_dict(dict(answer["marking"])))
        forces.append(answer)
    step(4)
    today = as_of or datetime.now(UTC).date()
    start, rotation_decision, civilian_decision = mission_dates(latest, today)
    rotations, rotation_scenario, rotation_error = _rotations(latest, case, start, rotation_decision, time_limit_s)
    helsinki = service.sustainment(*HELSINKI[:3], duration_months=HELSINKI[3])
    step(5)
    deployed, deployment_scenario, deployment_error = _deployment(latest, case, civilian_decision)
    step(6)
    for used in (rotations, deployed):
        if used is not None:
            markings.append(Marking.from_dict(dict(used["marking"])))
    records, illustrative, notes, urls = _rows(views)
    marking = combine(markings)
    return Analysis(as_of=today, case=name, review=review, overview=overview,
                    forces=forces, not_generated=skipped, editions=[v.edition for v in views],
                    example=any(v.example for v in views),
                    illustrative=bool(review["illustrative"]) or any(f["illustrative"] for f in forces)
                    or any(bool(a["illustrative"]) for a in (rotations, deployed) if a is not None),
                    within=within, documents=sorted({d for v in views for d in v.documents if d != service.EXAMPLE}),
                    records=records, illustrative_records=illustrative, row_notes=notes, register_sources=urls,
                    marking=marking, rotations=rotations, rotation_scenario=rotation_scenario,
                    rotation_error=rotation_error, helsinki=helsinki, deployment=deployed,
                    deployment_scenario=deployment_scenario, deployment_error=deployment_error,
                    deployment_assumed=_assumed_notes(list(deployed["assumed"])) if deployed else [])


def report(store: Store | None, viewer: Viewer | None, fmt: str = "pdf", banner: str | None = None,
           handling: str = "", case_name: str | None = None, *, example: bool = False,
           editions: Sequence[str] | None = None, within: Marking | None = None, as_of: date | None = None,
           progress: Progress | None = None) -> Rendered:
    """The forces report as ``viewer`` may see the register (:func:`analyse`), rendered as ``fmt`` (``html`` or
    ``pdf``) and banner-marked with the combined marking of every register document used
    (:func:`kompas.services.reports.banner_for`: a ``banner`` given may raise it, a lower one is refused with
    BannerError). ReportError (a ValueError) for an unknown case, edition or format, or nothing visible."""
    from kompas.reports.forces import build
    from kompas.services.reports import FORMATS, banner_for, render

    if fmt not in FORMATS:
        raise ReportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    analysis = analyse(store, viewer, case_name, example=example, editions=editions, within=within, as_of=as_of,
                       progress=progress)
    page = build(analysis, banner_for(analysis.marking, banner), handling)
    done = render(page, fmt, f"forces_{analysis.case}_{analysis.edition}", analysis.marking)
    if progress is not None:
        progress(STEPS)
    return done
