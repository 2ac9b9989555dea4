"""Force generation for a crisis (issue 28, item 2): choose force elements from the register for a scenario, exactly.

**The model** (OR-Tools CP-SAT, an exact constraint solver: an answer is "optimal" only when the solver proved it):

- a boolean ``x[e]`` per *eligible* element (chosen whole: nations offer units and modules, not head-counts);
- an integer ``y[e, r]`` per element and requirement it can serve: how many of the element's units of the
  requirement's capability go to that requirement, so one unit never counts twice;
  ``sum_r y[e, r] <= quantity(e, capability) * x[e]``;
- every requirement covered: ``sum_e y[e, r] >= quantity(r)``;
- at most ``scenario.max_troops`` troops (the Rapid Deployment Capacity's 5,000 by default);
- national caveats: ``not_with`` (an element is never chosen together with an element of a nation it excludes)
  and ``requires`` (an element is chosen only with another chosen element bringing each capability it requires);
- the objective, lexicographic in three ranks folded into one integer:
  1. ``troop_weight * troops + fairness_weight * peak``, ``peak`` the largest number of troops any one nation
     provides: the smallest force, with the burden spread across contributors as the soft goal;
  2. then the sum of readiness days of the chosen elements (the faster force among equals).

**Eligibility** (each exclusion is reported with its reason): an element is left out when it is not ready within
the response time, not available for the whole operation (when the scenario has a start day), its caveats exclude the
environment, the distance or the duration, or it offers none of the required capabilities. Per requirement, an
element serves only if it is ready within that requirement's own readiness and its caveats do not exclude the task.

**When no force covers everything**, :func:`generate` gives the best force for everything else (``partial``: it
covers as much of the missing requirements as the rest allows, then is the best such force) and states the *missing
set*: the fewest requirements that have to
go uncovered for the rest to be met (a minimum-cardinality correction set, found by the same solver with one
relaxation literal per requirement; minimum implies minimal: putting any one back makes the rest infeasible), each
with why (nothing offered, offered but not eligible, not enough eligible, or enough but not together with the rest
under the troop ceiling and caveats), and whether the troop ceiling is what binds.

:func:`exhaustive` is the reference: it enumerates every subset of eligible elements (at most
:data:`MAX_EXHAUSTIVE`) with the same rules and objective, for tests and the benchmark.

Units: troops (counts), days.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from ortools.sat.python import cp_model

from kompas.forces.model import ForceElement, Requirement, Scenario

MAX_ELEMENTS = 20_000  #: eligible elements one generation considers (a bound on the cost of one request)
MAX_ALLOTMENTS = 100_000  #: (element, requirement) pairs one generation allots units over (the model's size)
MAX_REQUIREMENTS = 200
MAX_EXHAUSTIVE = 22  #: elements the exhaustive reference enumerates (2^22 subsets)
DEFAULT_TIME_LIMIT_S = 20.0  #: the limit of one answer (all its solves); past it the best force found is "feasible"


class GenerationError(ValueError):
    """A scenario or register the generator refuses (too large, malformed); the message says why."""


@dataclass(frozen=True)
class Weights:
    """The objective's integer weights (see the module docstring)."""

    troops: int = 2  #: per troop in the force
    fairness: int = 1  #: per troop of the largest national contribution (0: no fairness goal)


@dataclass(frozen=True)
class Exclusion:
    """An element left out, and why."""

    key: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"element": self.key, "reason": self.reason}


@dataclass
class Cover:
    """How one requirement is covered: ``covered`` units from ``sources`` (element key -> units)."""

    requirement: Requirement
    covered: int = 0
    sources: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {"capability": r.capability, "task": r.task, "required": r.quantity, "covered": self.covered,
                "readiness_days": r.readiness_days, "sources": dict(self.sources)}


@dataclass(frozen=True)
class Missing:
    """A requirement in the missing set, with the quantity eligible elements offer for it and why it is missing."""

    requirement: Requirement
    index: int  #: its place in the scenario's requirements
    offered: int  #: units of the capability in the whole register considered
    eligible: int  #: units offered by elements eligible for this requirement
    reason: str

    def as_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {"index": self.index, "capability": r.capability, "task": r.task, "required": r.quantity,
                "offered": self.offered,
                "eligible": self.eligible, "reason": self.reason}


@dataclass
class Generation:
    """The answer: the force, its coverage and national shares, or the missing set."""

    scenario: Scenario
    status: str  #: "optimal" (proved), "feasible" (time limit: the best found), "infeasible", "unknown"
    chosen: list[ForceElement] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    irrelevant: int = 0  #: elements offering none of the required capabilities (not listed)
    considered: int = 0  #: elements in the register given
    missing: list[Missing] = field(default_factory=list)
    missing_status: str = ""  #: "optimal" when the missing set is proved to be the smallest
    ceiling_binds: bool | None = None  #: infeasible only: would everything be covered without the troop ceiling?
    troops_without_ceiling: int | None = None
    objective: int | None = None  #: of the force (with ``partial``: of the force for the rest)
    partial: bool = False  #: infeasible only: ``chosen`` is the best force for every requirement not missing
    weights: Weights = field(default_factory=Weights)
    seconds: float = 0.0

    @property
    def troops(self) -> int:
        return sum(e.strength for e in self.chosen)

    @property
    def shares(self) -> dict[str, int]:
        """Troops per nation in the force, largest first."""
        out: dict[str, int] = defaultdict(int)
        for e in self.chosen:
            out[e.nation] += e.strength
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def peak(self) -> int:
        return max(self.shares.values(), default=0)

    @property
    def transport(self) -> dict[str, int]:
        """The chosen elements' transport needs summed (pax, vehicles, containers, outsize ...)."""
        out: dict[str, int] = defaultdict(int)
        for e in self.chosen:
            for need, qty in e.transport.items():
                out[need] += qty
        return dict(sorted(out.items()))

    @property
    def illustrative(self) -> bool:
        return self.scenario.illustrative or any(e.illustrative for e in self.chosen)

    def as_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "scenario": {"name": s.name, "title": s.title, "response_days": s.response_days,
                         "duration_days": s.duration_days, "distance_km": s.distance_km,
                         "environment": s.environment, "tasks": list(s.tasks), "max_troops": s.max_troops,
                         "start": s.start.isoformat() if s.start else None, "illustrative": s.illustrative},
            "status": self.status, "troops": self.troops, "max_troops": s.max_troops, "peak": self.peak,
            "shares": self.shares, "objective": self.objective,
            "weights": {"troops": self.weights.troops, "fairness": self.weights.fairness},
            "chosen": [{"element": e.key, "nation": e.nation, "name": e.name, "type": e.type,
                        "component": e.component, "strength": e.strength, "readiness_days": e.readiness_days,
                        "capabilities": dict(e.capabilities), "caveats": e.caveats.notes,
                        "illustrative": e.illustrative, "source_url": e.source_url} for e in self.chosen],
            "covers": [c.as_dict() for c in self.covers], "transport": self.transport,
            "excluded": [x.as_dict() for x in self.excluded], "irrelevant": self.irrelevant,
            "considered": self.considered, "missing": [m.as_dict() for m in self.missing],
            "missing_status": self.missing_status, "ceiling_binds": self.ceiling_binds,
            "troops_without_ceiling": self.troops_without_ceiling, "partial": self.partial,
            "seconds": round(self.seconds, 3),
            "illustrative": self.illustrative,
        }


def _ready_by(r: Requirement, scenario: Scenario) -> int:
    return scenario.response_days if r.readiness_days is None else min(r.readiness_days, scenario.response_days)


def _exclusion(e: ForceElement, scenario: Scenario) -> str:
    """Why ``e`` cannot take part in ``scenario`` at all ("" when it can)."""
    c = e.caveats
    if e.readiness_days > scenario.response_days:
        return f"ready in {e.readiness_days} days, the response time is {scenario.response_days}"
    if scenario.start is not None:
        from datetime import timedelta

        end = scenario.start + timedelta(days=scenario.duration_days)
        if not e.available(scenario.start, end):
            window = f"{e.available_from or '…'} to {e.available_to or '…'}"
            return f"available {window}, the operation runs {scenario.start} to {end}"
    if c.environments and scenario.environment not in c.environments:
        return f"caveat: only in {', '.join(c.environments)} environments (scenario: {scenario.environment})"
    if c.max_distance_km is not None and scenario.distance_km > c.max_distance_km:
        return f"caveat: at most {c.max_distance_km:g} km from Brussels (scenario: {scenario.distance_km:g} km)"
    if c.max_duration_days is not None and scenario.duration_days > c.max_duration_days:
        return f"caveat: at most {c.max_duration_days} days (scenario: {scenario.duration_days})"
    if scenario.tasks and set(scenario.tasks) <= set(c.excluded_tasks):
        return f"caveat: excludes the tasks {', '.join(scenario.tasks)}"
    return ""


def _serves(e: ForceElement, r: Requirement, scenario: Scenario) -> int:
    """Units of ``r``'s capability ``e`` can give to ``r`` (0 when too slow for it or its task is excluded)."""
    if e.readiness_days > _ready_by(r, scenario) or (r.task and r.task in e.caveats.excluded_tasks):
        return 0
    return e.capabilities.get(r.capability, 0)


@dataclass
class _Problem:
    """The eligible elements and what each can serve."""

    scenario: Scenario
    elements: list[ForceElement]
    serve: list[dict[int, int]]  #: per element: requirement index -> units
    excluded: list[Exclusion]
    irrelevant: int
    offered: dict[str, int]  #: capability -> units in the whole register


def _problem(elements: Sequence[ForceElement], scenario: Scenario) -> _Problem:
    if len(scenario.requirements) > MAX_REQUIREMENTS:
        raise GenerationError(f"a scenario has at most {MAX_REQUIREMENTS} requirements "
                              f"(got {len(scenario.requirements)})")
    needed = {r.capability for r in scenario.requirements}
    # capabilities that chosen elements' caveats require join the needed ones (to a fixpoint: a supporting element
    # may require another); an element bringing one is eligible to support even when it is too slow to serve a
    # requirement of the same capability
    supporting: set[str] = set()
    grown = True
    while grown:
        before = len(needed) + len(supporting)
        for e in elements:
            if needed & set(e.capabilities):
                supporting |= set(e.caveats.requires)
        needed |= supporting
        grown = len(needed) + len(supporting) > before
    offered: dict[str, int] = defaultdict(int)
    eligible: list[ForceElement] = []
    serve: list[dict[int, int]] = []
    excluded: list[Exclusion] = []
    irrelevant = 0
    for e in sorted(elements, key=lambda e: e.key):
        for cap, qty in e.capabilities.items():
            offered[cap] += qty
        if not needed & set(e.capabilities):
            irrelevant += 1
            continue
        why = _exclusion(e, scenario)
        if why:
            excluded.append(Exclusion(e.key, why))
            continue
        units = {i: q for i, r in enumerate(scenario.requirements) if (q := _serves(e, r, scenario)) > 0}
        if not units and not supporting & set(e.capabilities):
            excluded.append(Exclusion(e.key, "not ready within any requirement's readiness, or its tasks excluded"))
            continue
        eligible.append(e)
        serve.append(units)
    if len(eligible) > MAX_ELEMENTS:
        raise GenerationError(f"at most {MAX_ELEMENTS} eligible elements per generation (got {len(eligible)})")
    allotments = sum(len(u) for u in serve)
    if allotments > MAX_ALLOTMENTS:
        raise GenerationError(f"{allotments:,} (element, requirement) pairs: at most {MAX_ALLOTMENTS:,} per "
                              "generation (fewer requirements of one capability, or a tighter readiness)")
    return _Problem(scenario, eligible, serve, excluded, irrelevant, dict(offered))


@dataclass
class _Model:
    model: cp_model.CpModel
    x: list[cp_model.IntVar]
    y: dict[tuple[int, int], cp_model.IntVar]
    cover: list[Any]  #: per requirement: the cover constraint
    troops: Any
    peak: cp_model.IntVar


def _build(p: _Problem, with_ceiling: bool = True) -> _Model:
    m = cp_model.CpModel()
    els = p.elements
    reqs = p.scenario.requirements
    x = [m.new_bool_var(f"x{i}") for i in range(len(els))]
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, units in enumerate(p.serve):
        by_cap: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for j, q in units.items():
            y[i, j] = m.new_int_var(0, q, f"y{i}_{j}")
            by_cap[reqs[j].capability].append(y[i, j])
        for cap, ys in by_cap.items():
            m.add(sum(ys) <= els[i].capabilities[cap] * x[i])
    cover = []
    for j, r in enumerate(reqs):
        ys = [y[i, j] for i in range(len(els)) if (i, j) in y]
        if ys:
            cover.append(m.add(sum(ys) >= r.quantity))
        else:  # nothing can serve it: an empty clause (infeasible) unless nothing is needed (an empty conjunction)
            cover.append(m.add_bool_or([]) if r.quantity > 0 else m.add_bool_and([]))
    troops = sum(e.strength * xi for e, xi in zip(els, x, strict=True))
    if with_ceiling:
        m.add(troops <= p.scenario.max_troops)
    total = sum(e.strength for e in els)
    peak = m.new_int_var(0, max(total, 0), "peak")
    by_nation: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(els):
        by_nation[e.nation].append(i)
    for idx in by_nation.values():
        m.add(sum(els[i].strength * x[i] for i in idx) <= peak)
    # caveats: not_with and requires (one "someone brings it" literal per required capability)
    bringing: dict[str, list[int]] = defaultdict(list)
    for k, f in enumerate(els):
        for cap, qty in f.capabilities.items():
            if qty > 0:
                bringing[cap].append(k)
    brought: dict[str, Any] = {}
    for i, e in enumerate(els):
        for nation in e.caveats.not_with:
            for k in by_nation.get(nation, []):
                if k != i:
                    m.add_bool_or([x[i].Not(), x[k].Not()])
        for cap in e.caveats.requires:
            others = [k for k in bringing.get(cap, []) if k != i]
            if len(others) == len(bringing.get(cap, [])):  # e does not bring it itself: one shared literal
                if cap not in brought:
                    brought[cap] = m.new_bool_var(f"brought[{cap}]")
                    m.add_bool_or([x[k] for k in others]).only_enforce_if(brought[cap])
                m.add_implication(x[i], brought[cap])
            else:
                m.add_bool_or([x[i].Not(), *(x[k] for k in others)])
    return _Model(m, x, y, cover, troops, peak)


def _objective(p: _Problem, mm: _Model, w: Weights) -> None:
    readiness = sum(e.readiness_days * xi for e, xi in zip(p.elements, mm.x, strict=True))
    scale = sum(e.readiness_days for e in p.elements) + 1  # readiness ranks below every unit of the main term
    mm.model.minimize(scale * (w.troops * mm.troops + w.fairness * mm.peak) + readiness)


def _solver(time_limit_s: float, workers: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = time_limit_s
    s.parameters.num_workers = workers
    s.parameters.random_seed = 1
    return s


_STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible",
           cp_model.MODEL_INVALID: "invalid", cp_model.UNKNOWN: "unknown"}


def generate(elements: Sequence[ForceElement], scenario: Scenario, weights: Weights | None = None,
             time_limit_s: float = DEFAULT_TIME_LIMIT_S, workers: int = 0) -> Generation:
    """The best force for ``scenario`` from ``elements`` (see the module docstring), or the missing set, within
    ``time_limit_s`` seconds for all solves together; ``workers``: the solver's threads (0: one per core)."""
    started = time.perf_counter()
    w = weights or Weights()
    if w.troops < 0 or w.fairness < 0 or w.troops + w.fairness == 0:
        raise GenerationError("the weights are non-negative and not both zero")
    p = _problem(elements, scenario)
    out = Generation(scenario, "unknown", excluded=p.excluded, irrelevant=p.irrelevant, considered=len(elements),
                     weights=w)
    deadline = started + time_limit_s  # every solve of this answer shares the one time limit

    def left() -> float:
        return max(0.05, deadline - time.perf_counter())

    status = _force(p, out, w, left(), workers)
    out.status = _STATUS.get(status, "unknown")
    if status == cp_model.INFEASIBLE:
        _explain(p, out, left, workers)
        if out.missing:  # the best force for everything else, with as much of the missing as it allows
            rest = _without(p, [m.index for m in out.missing])
            short = {m.index: m.requirement.quantity for m in out.missing}
            out.partial = _force(rest, out, w, left(), workers, short) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    out.seconds = time.perf_counter() - started
    return out


def _force(p: _Problem, out: Generation, w: Weights, time_limit_s: float, workers: int,
           short: dict[int, int] | None = None) -> Any:  # noqa: ANN401
    """Solve for the best force and fill ``out``'s force and covers; the solver's status. ``short``: requirements of
    the missing set (index -> the quantity needed; ``p`` holds them at zero): the force then covers as much of them
    as the rest allows first (a first solve finds how much), and is the best force among those that do."""
    mm = _build(p)
    if short:
        got = []
        for j, quantity in short.items():
            ys = [mm.y[i, j] for i in range(len(p.elements)) if (i, j) in mm.y]
            g = mm.model.new_int_var(0, quantity, f"short{j}")
            mm.model.add(g <= sum(ys)) if ys else mm.model.add(g == 0)
            got.append(g)
        mm.model.maximize(sum(got))
        first = _solver(time_limit_s / 2, workers)
        if first.solve(mm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            mm.model.add(sum(got) >= int(round(first.objective_value)))
            time_limit_s /= 2
    _objective(p, mm, w)
    solver = _solver(time_limit_s, workers)
    status = solver.solve(mm.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [i for i, xi in enumerate(mm.x) if solver.boolean_value(xi)]
        out.chosen = [p.elements[i] for i in chosen]
        out.objective = w.troops * out.troops + w.fairness * out.peak
        out.covers = []
        for j, r in enumerate(out.scenario.requirements):
            cov = Cover(r)
            for i in chosen:
                if (i, j) in mm.y and (units := solver.value(mm.y[i, j])) > 0:
                    cov.sources[p.elements[i].key] = int(units)
                    cov.covered += int(units)
            out.covers.append(cov)
    return status


def _explain(p: _Problem, out: Generation, left: Callable[[], float], workers: int) -> None:
    """Fill the missing set: the fewest requirements left uncovered for the rest to be met."""
    reqs = p.scenario.requirements
    mm = _build(p)
    unmet = [mm.model.new_bool_var(f"unmet{j}") for j in range(len(reqs))]
    for j, ct in enumerate(mm.cover):
        ct.only_enforce_if(unmet[j].Not())
    mm.model.minimize(sum(unmet))
    solver = _solver(left(), workers)
    status = solver.solve(mm.model)
    out.missing_status = _STATUS.get(status, "unknown")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    free = _build(p, with_ceiling=False)
    free.model.minimize(free.troops)
    fs = _solver(left(), workers)
    fstatus = fs.solve(free.model)
    out.ceiling_binds = fstatus in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if out.ceiling_binds:
        out.troops_without_ceiling = int(fs.objective_value)
    for j, r in enumerate(reqs):
        if not solver.boolean_value(unmet[j]):
            continue
        eligible = sum(units.get(j, 0) for units in p.serve)
        offered = p.offered.get(r.capability, 0)
        if offered == 0:
            reason = "no element in the register offers it"
        elif eligible == 0:
            reason = "offered, but by no element eligible for it (readiness, availability or caveats)"
        elif eligible < r.quantity:
            reason = f"only {eligible} offered by eligible elements"
        elif out.ceiling_binds:
            reason = f"enough offered, but not together with the rest within {p.scenario.max_troops} troops"
        else:
            reason = "enough offered, but not together with the rest under the national caveats"
        out.missing.append(Missing(r, j, offered, eligible, reason))


def _allocates(p: _Problem, subset: Sequence[int]) -> bool:
    """Whether the elements ``subset`` can cover every requirement (a max-flow per capability: units from elements to
    the requirements they may serve)."""
    reqs = p.scenario.requirements
    by_cap: dict[str, list[int]] = defaultdict(list)
    for j, r in enumerate(reqs):
        by_cap[r.capability].append(j)
    for cap, js in by_cap.items():
        need = sum(reqs[j].quantity for j in js)
        if need == 0:
            continue
        if len(js) == 1:
            have = sum(p.serve[i].get(js[0], 0) for i in subset)
            if have < need:
                return False
            continue
        g: nx.DiGraph[Any] = nx.DiGraph()
        for i in subset:
            if any(j in p.serve[i] for j in js):
                g.add_edge("s", ("e", i), capacity=p.elements[i].capabilities[cap])
                for j in js:
                    if j in p.serve[i]:
                        g.add_edge(("e", i), ("r", j), capacity=p.serve[i][j])
        for j in js:
            g.add_edge(("r", j), "t", capacity=reqs[j].quantity)
        if "s" not in g or nx.maximum_flow_value(g, "s", "t") < need:
            return False
    return True


def _caveats_hold(p: _Problem, subset: Sequence[int]) -> bool:
    chosen = set(subset)
    for i in chosen:
        c = p.elements[i].caveats
        if any(p.elements[k].nation in c.not_with for k in chosen if k != i):
            return False
        for cap in c.requires:
            if not any(k != i and p.elements[k].capabilities.get(cap, 0) > 0 for k in chosen):
                return False
    return True


def exhaustive(elements: Sequence[ForceElement], scenario: Scenario,
               weights: Weights | None = None) -> tuple[int | None, int | None]:
    """The reference: ``(objective, fewest requirements missing)`` by enumerating every subset of the eligible
    elements under the same rules. ``objective`` is ``troop_weight * troops + fairness_weight * peak`` of the best
    force (None when none covers everything); the second is the size of the smallest missing set (0 when a force
    exists). At most :data:`MAX_EXHAUSTIVE` eligible elements."""
    w = weights or Weights()
    p = _problem(elements, scenario)
    n = len(p.elements)
    if n > MAX_EXHAUSTIVE:
        raise GenerationError(f"exhaustive search takes at most {MAX_EXHAUSTIVE} eligible elements (got {n})")
    best: int | None = None
    fewest = len(scenario.requirements)
    reqs = scenario.requirements
    for size in range(n + 1):
        for subset in itertools.combinations(range(n), size):
            troops = sum(p.elements[i].strength for i in subset)
            if troops > scenario.max_troops or not _caveats_hold(p, subset):
                continue
            if _allocates(p, subset):
                shares: dict[str, int] = defaultdict(int)
                for i in subset:
                    shares[p.elements[i].nation] += p.elements[i].strength
                value = w.troops * troops + w.fairness * max(shares.values(), default=0)
                best = value if best is None else min(best, value)
                fewest = 0
            elif best is None:
                for k in range(1, fewest):  # the fewest requirements whose removal lets this subset cover the rest
                    drops = itertools.combinations(range(len(reqs)), k)
                    if any(_allocates(_without(p, drop), subset) for drop in drops):
                        fewest = k
                        break
    return best, (0 if best is not None else fewest)


def _without(p: _Problem, drop: Sequence[int]) -> _Problem:
    """``p`` with the requirements ``drop`` set to zero quantity (for the reference's missing-set search)."""
    reqs = tuple(Requirement(r.capability, 0 if j in drop else r.quantity, r.task, r.readiness_days)
                 for j, r in enumerate(p.scenario.requirements))
    from dataclasses import replace

    return _Problem(replace(p.scenario, requirements=reqs), p.elements, p.serve, p.excluded, p.irrelevant, p.offered)
