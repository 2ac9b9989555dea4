"""Rotations (issue 28, item 3): how big a pool a deployed force needs, and who serves which months of a mission.

**Sustainment arithmetic** (closed forms; each rule is stated in :data:`RULES`, which answers quote). Notation:
``D`` deployed at all times, ``t`` tour length (months), ``w`` dwell (months at home between two tours of the same
person or unit), ``T`` the operation's duration (months), ``o`` a relief-in-place overlap factor (1 when ignored).

- :func:`pool_steady_state`: ``ceil(D * (t + w) / t * o)``, the pool that keeps ``D`` deployed indefinitely;
  60,000 with 6-month tours and 12 months' dwell (1:2) gives 180,000, the Helsinki Headline Goal commentary's
  "around 180,000" and the rule of thirds;
- :func:`rotations_needed`: ``D * min(ceil(T / t), 1 + ceil(w / t))``, the distinct people a finite operation
  that starts at full strength deploys; 60,000 for 12 months with 6-month tours gives 120,000;
- :func:`units_per_deployed`: ``(t + w) / t`` (RAND: 8/24 and 12/36 both give 4).

Both closed forms are minima over every schedule in which each person serves whole tours of exactly ``t`` months (the
last one cut at the operation's end) with at least ``w`` months between tours and exactly ``D`` serve each month; the
tests check them against an exhaustive search of such schedules.

**Rotation schedules** (:func:`plan_rotations`): a :class:`Mission` (start, months, :class:`Position` needs in units
per month) and the register's :class:`~kompas.forces.model.RotationPool` records; pool ``NATION/ID``'s units are
``NATION/ID#1`` .. ``#units``. Rules, all hard:

- a tour lasts exactly the pool's ``tour_months``, or the remainder when the mission ends (or the position's need
  drops to zero) sooner;
- dwell: after a tour a unit stays home at least ``dwell_months`` before its next (units are taken as rested at the
  mission start);
- availability: the whole tour lies within the pool's ``available_from`` .. ``available_to`` (inclusive days);
- readiness: a tour starts no earlier than ``decision + readiness_days`` (the decision day defaults to the mission
  start), so every ask can be made in time;
- a unit serves only positions of its pool's capability, and no position has more units in a month than it needs.

The model is OR-Tools CP-SAT, time-indexed with months as periods. The units of one pool are identical, so instead
of one boolean per unit, position and month it counts them: ``x[k, p, m]`` = how many units of pool ``k`` begin a
tour at position ``p`` in month ``m``, an integer flow on the pool's time-expanded network (:class:`_Flow`; a unit
waits a month or goes on tour and comes back after its dwell). That is exact (an integer flow on an acyclic network
splits into unit paths, :func:`_decompose` names the units), has no symmetry between identical units, and is
``units`` times smaller. Capabilities are independent problems and are solved one by one, each objective by
objective, every pass keeping the value the one before reached:

1. the most unit-months filled (exact: "optimal" means the solver proved it; the tests check it against exhaustive
   search of unit schedules);
2. the smallest peak national load in troop-months among that capability's contributors (the burden spread
   across nations, a soft goal);
3. the fewest distinct units asked;
4. the filled months as early as they can be (so a shortfall falls as late as it can: more time to generate the
   missing units).

A greedy schedule (month by month, short positions take free units) starts the solver. ``time_limit_s`` bounds the
whole plan; a pass that runs out of time keeps the best schedule found and the plan says "feasible".

The :class:`RotationPlan` reports the tours, the cover per position and month with the shortfall (the gaps
forecast, and the first gap with how many months ahead of the decision it falls), the asks per contributor (which
unit, which months, and the day the ask must be made: the tour's first day minus the pool's readiness days), and
the sustainment ratio achieved (distinct units used / most units deployed at once) next to the closed forms.

Positions state units, not head-counts, as the force offers do (UK Hansard, 4 March 2008: the Headline Goal offers
were "based on units of capability and not numbers of armed forces personnel",
https://hansard.parliament.uk/Commons/2008-03-04/debates/0803056000085/EURapidReactionForce); a position given in
troops is converted with its capability's unit strength when all pools of that capability share one.

Units: months (tours, dwell, mission), days (readiness), troops (counts). Sizes are bounded (:data:`MAX_MONTHS`,
:data:`MAX_UNITS`, :data:`MAX_POSITIONS`, :data:`MAX_STARTS`); larger problems raise :class:`RotationError`.
"""

from __future__ import annotations

import calendar
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from kompas.forces.model import RotationPool

__all__ = ["MAX_MONTHS", "MAX_POSITIONS", "MAX_STARTS", "MAX_UNITS", "RULES", "SOURCES", "Cover", "FirstGap",
           "Mission", "NationAsks", "PoolRule", "Position", "RotationError", "RotationPlan", "Sustainment", "Tour",
           "month_start", "plan_rotations", "pool_steady_state", "rotations_needed", "units_per_deployed"]

MAX_MONTHS = 120  #: mission months one plan covers (ten years)
MAX_UNITS = 2000  #: pool units after expansion (only pools of a capability some position needs count)
MAX_POSITIONS = 200
MAX_STARTS = 200_000  #: candidate tour starts (pool x position x month): the model's integer variables
DEFAULT_TIME_LIMIT_S = 20.0  #: for all solver passes together; past it the best schedule found is "feasible"
_MIN_PASS_S = 0.25  #: the least time one pass is given, whatever is left of the limit

#: Public sources of the rules of thumb the closed forms reproduce.
SOURCES: dict[str, str] = {
    "helsinki": "https://en.wikipedia.org/wiki/Helsinki_Headline_Goal",
    "helsinki-180000": "http://www.liquisearch.com/helsinki_headline_goal/headline_goal_2003",
    "rule-of-thirds": "https://en.wikipedia.org/wiki/Rule_of_thirds_(military)",
    "rand-units-per-deployed": "https://yumpu.com/en/document/view/25663925/"
                               "considering-a-cadre-augmented-army-rand-corporation/89",
    "units-not-numbers": "https://hansard.parliament.uk/Commons/2008-03-04/debates/0803056000085/"
                         "EURapidReactionForce",
}

#: The rules, in words an answer can quote (keys: the function or report field that applies them).
RULES: dict[str, str] = {
    "pool_steady_state": (
        "Steady-state pool P = ceil(D x (t + w) / t x o). To keep D deployed indefinitely with tours of t months and "
        "at least w months at home between two tours, each person (or unit) is deployed at most t months in every "
        "t + w, so the pool needs at least D x (t + w) / t; staggered rotations (some tours start every month) reach "
        "that bound. o is an optional relief-in-place overlap factor (1 when ignored). Helsinki Headline Goal: "
        "60,000 with 6-month tours and 12 months' dwell (1:2) gives 60,000 x 18 / 6 = 180,000, the published "
        "'around 180,000 troops so as to provide rotating replacements' and the rule of thirds (one third "
        "deployed, one preparing, one recuperating)."),
    "rotations_needed": (
        "Distinct people a finite operation deploys R = D x min(ceil(T / t), 1 + ceil(w / t)). An operation that "
        "starts with D deployed and relieves them with whole tours of t months (the last cut at the end) changes "
        "over every t months, ceil(T / t) reliefs in all; a person back from a tour may take the relief that "
        "starts 1 + ceil(w / t) reliefs after their own (dwell rounded up to whole tours), so each position needs "
        "min(ceil(T / t), 1 + ceil(w / t)) people. 60,000 for 12 months with 6-month tours and 12 months' dwell: "
        "2 reliefs, nobody can return within the year, 120,000 people."),
    "difference": (
        "The two numbers answer different questions. 120,000 is how many distinct people a one-year operation of "
        "60,000 on 6-month tours actually sends: nobody needs to go twice. 180,000 is the pool that keeps 60,000 "
        "deployed indefinitely at 1:2 deploy-to-dwell: one third deployed, one third preparing to relieve them, "
        "one third recovering; a one-year commitment that may be extended, or the Headline Goal's 'sustainable "
        "for at least one year' read as a standing capacity, needs the third 60,000. The two agree once the "
        "operation lasts t + w months or more (here 18)."),
    "units_per_deployed": (
        "Units in the pool per unit deployed = (t + w) / t. RAND (Considering a Cadre Augmented Army, p. 73): "
        "8-month deployments with 24 months' dwell need the same number of units per deployed BCT (four) as "
        "12-month deployments with 36 months' dwell."),
    "sustainment_ratio": (
        "Sustainment ratio of a schedule = distinct units it uses / the most units deployed at once. Compare it "
        "with (t + w) / t (indefinite sustainment) and with min(ceil(T / t), 1 + ceil(w / t)) (a mission of T "
        "months filled from its first month); a later start, a readiness delay, availability windows or gaps "
        "move the achieved ratio away from either."),
    "schedule": (
        "A unit serves whole tours of its pool's length (the last cut at the mission's or the position's end), "
        "never within its dwell after a tour, only inside its availability window, never before the decision day "
        "plus its readiness days, and only positions of its capability; no position gets more units than it "
        "needs. The schedule maximises the unit-months filled (exact when the status is 'optimal'), then spreads "
        "each capability's load (troop-months) across the nations offering it, then asks for the fewest distinct "
        "units, then fills the earliest months first (a shortfall falls as late as it can). The ask for a tour is "
        "due its readiness days before the tour's first day."),
}


class RotationError(ValueError):
    """A mission or pool the planner refuses (malformed, or beyond the size bounds); the message says why."""


# --------------------------------------------------------------------------------------------------------------------
# Sustainment arithmetic


def _check_count(name: str, value: int, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise RotationError(f"{name} must be an integer >= {low} (got {value!r})")


def units_per_deployed(tour_months: int, dwell_months: int) -> float:
    """Pool units per unit deployed for indefinite sustainment: ``(t + w) / t`` (a ratio; :data:`RULES`
    ``"units_per_deployed"``). 6-month tours with 12 months' dwell: 3; RAND's 8/24 and 12/36: 4."""
    _check_count("tour_months", tour_months, 1)
    _check_count("dwell_months", dwell_months, 0)
    return (tour_months + dwell_months) / tour_months


def pool_steady_state(deployed: int, tour_months: int, dwell_months: int, overlap: float = 1.0) -> int:
    """The pool (people or units) that keeps ``deployed`` deployed indefinitely: ``ceil(D * (t + w) / t * o)``
    (:data:`RULES` ``"pool_steady_state"``). Tours and dwell in months; ``overlap`` >= 1 is a relief-in-place factor
    (taken as the decimal it prints as, so 1.15 is exactly 23/20).

    Helsinki Headline Goal: ``pool_steady_state(60_000, 6, 12) == 180_000`` (:data:`SOURCES` ``"helsinki-180000"``,
    ``"rule-of-thirds"``). The bound is reached by staggered rotations: tour ``i`` starting in month
    ``floor(i * t / D)`` and served by person ``i mod P`` keeps exactly ``D`` deployed with ``>= w`` months between
    a person's tours whenever ``P * t >= D * (t + w)``."""
    _check_count("deployed", deployed, 0)
    _check_count("tour_months", tour_months, 1)
    _check_count("dwell_months", dwell_months, 0)
    if not math.isfinite(overlap) or overlap < 1.0:
        raise RotationError(f"overlap must be a finite factor >= 1 (got {overlap!r})")
    exact = Fraction(deployed * (tour_months + dwell_months), tour_months) * Fraction(str(overlap))
    return math.ceil(exact)


def rotations_needed(deployed: int, duration_months: int, tour_months: int, dwell_months: int) -> int:
    """Distinct people (or units) a finite operation deploys: ``D * min(ceil(T / t), 1 + ceil(w / t))``
    (:data:`RULES` ``"rotations_needed"``; months throughout).

    The operation starts with ``deployed`` in place and relieves them with whole tours (the last cut at the end), so
    reliefs fall every ``t`` months; a person may deploy again once ``w`` months have passed since their tour, which
    in whole reliefs is ``ceil(w / t)`` later. 60,000 for 12 months, 6-month tours, 12 months' dwell: 120,000 (not
    the 180,000 of :func:`pool_steady_state`: see :data:`RULES` ``"difference"``)."""
    _check_count("deployed", deployed, 0)
    _check_count("duration_months", duration_months, 0)
    _check_count("tour_months", tour_months, 1)
    _check_count("dwell_months", dwell_months, 0)
    reliefs = -(-duration_months // tour_months)
    reuse = 1 + -(-dwell_months // tour_months)
    return deployed * min(reliefs, reuse)


# --------------------------------------------------------------------------------------------------------------------
# Inputs


def month_start(start: date, months: int) -> date:
    """The first day of mission month ``months`` (0-based) of a mission starting on ``start``: the same day of the
    month ``months`` calendar months later, the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _whole_months(a: date, b: date) -> int:
    """Whole calendar months from ``a`` to ``b`` (``b >= a``): 15 Jan -> 14 Mar is 1, -> 15 Mar is 2."""
    n = (b.year - a.year) * 12 + b.month - a.month
    return n - 1 if month_start(a, n) > b else n


@dataclass(frozen=True)
class Position:
    """A mission position: ``units`` units of ``capability`` every month, or ``needs`` (units per mission month,
    one entry a month), or ``troops`` (converted to units with the capability's unit strength, rounded up)."""

    id: str
    capability: str
    units: int = 0
    troops: int = 0
    needs: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "capability": self.capability, "units": self.units, "troops": self.troops,
                "needs": list(self.needs)}


@dataclass(frozen=True)
class Mission:
    """A standing mission: ``months`` months from ``start`` (month ``m`` begins on :func:`month_start`), its
    positions, and the decision day from which units can be asked (None: the start)."""

    name: str
    start: date
    months: int
    positions: tuple[Position, ...]
    decision: date | None = None

    @property
    def decided(self) -> date:
        return self.decision or self.start

    def month_start(self, m: int) -> date:
        return month_start(self.start, m)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start.isoformat(), "months": self.months,
                "end": (self.month_start(self.months) - timedelta(days=1)).isoformat(),
                "decision": self.decided.isoformat(), "positions": [p.as_dict() for p in self.positions]}


# --------------------------------------------------------------------------------------------------------------------
# Outputs


@dataclass(frozen=True)
class Tour:
    """One tour of one unit, and the ask behind it: unit ``unit`` of pool ``pool`` (nation ``nation``) serves
    ``position`` in mission months ``first_month`` .. ``last_month`` (inclusive), days ``start`` .. ``end``
    (inclusive); the ask must be made by ``ask_by`` (``start`` minus the pool's readiness days)."""

    nation: str
    unit: str
    pool: str
    capability: str
    position: str
    first_month: int
    last_month: int
    start: date
    end: date
    ask_by: date
    readiness_days: int
    troops: int  #: the unit's strength
    cut: bool  #: shorter than the pool's tour (the mission or the position ends first)

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    def as_dict(self) -> dict[str, Any]:
        return {"nation": self.nation, "unit": self.unit, "pool": self.pool, "capability": self.capability,
                "position": self.position, "first_month": self.first_month, "last_month": self.last_month,
                "months": self.months, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "ask_by": self.ask_by.isoformat(), "readiness_days": self.readiness_days, "troops": self.troops,
                "cut": self.cut}


@dataclass(frozen=True)
class Cover:
    """One position in one mission month: units ``needed`` and ``filled``; ``shortfall`` = needed - filled."""

    position: str
    capability: str
    month: int
    start: date  #: the month's first day
    needed: int
    filled: int
    troops: int  #: troops of the units filling it

    @property
    def shortfall(self) -> int:
        return self.needed - self.filled

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "capability": self.capability, "month": self.month,
                "start": self.start.isoformat(), "needed": self.needed, "filled": self.filled,
                "shortfall": self.shortfall, "troops": self.troops}


@dataclass(frozen=True)
class FirstGap:
    """The earliest month with a shortfall: mission month ``month`` (first day ``start``), ``months_ahead`` whole
    months after the decision day, the positions short then and by how many units."""

    month: int
    start: date
    months_ahead: int
    shortfall: dict[str, int]  #: position -> units short that month

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month, "start": self.start.isoformat(), "months_ahead": self.months_ahead,
                "shortfall": dict(self.shortfall)}


@dataclass(frozen=True)
class NationAsks:
    """What one contributor is asked for: its tours sorted by the day each ask is due."""

    nation: str
    tours: tuple[Tour, ...]

    @property
    def units(self) -> int:
        return len({t.unit for t in self.tours})

    @property
    def unit_months(self) -> int:
        return sum(t.months for t in self.tours)

    @property
    def troop_months(self) -> int:
        return sum(t.months * t.troops for t in self.tours)

    @property
    def first_ask(self) -> date:
        return self.tours[0].ask_by

    def as_dict(self) -> dict[str, Any]:
        return {"nation": self.nation, "first_ask": self.first_ask.isoformat(), "units": self.units,
                "unit_months": self.unit_months, "troop_months": self.troop_months,
                "asks": [t.as_dict() for t in self.tours]}


@dataclass(frozen=True)
class PoolRule:
    """The closed forms for one tour/dwell pair, scaled to the units deployed at once: ``steady_state`` =
    :func:`units_per_deployed`, ``steady_state_pool`` = :func:`pool_steady_state`, ``finite`` and ``finite_pool`` the
    same for :func:`rotations_needed` over the mission's months."""

    tour_months: int
    dwell_months: int
    steady_state: float
    steady_state_pool: int
    finite: int
    finite_pool: int

    def as_dict(self) -> dict[str, Any]:
        return {"tour_months": self.tour_months, "dwell_months": self.dwell_months,
                "units_per_deployed_steady_state": self.steady_state, "steady_state_pool": self.steady_state_pool,
                "units_per_deployed_finite": self.finite, "finite_pool": self.finite_pool}


@dataclass(frozen=True)
class Sustainment:
    """The sustainment ratio a schedule achieved for one capability ("" for all): ``distinct_units`` used over the
    most units deployed at once, beside the closed forms for the tour/dwell pairs of its pools."""

    capability: str
    deployed_at_once: int
    distinct_units: int
    rules: tuple[PoolRule, ...]

    @property
    def ratio(self) -> float | None:
        return self.distinct_units / self.deployed_at_once if self.deployed_at_once else None

    def as_dict(self) -> dict[str, Any]:
        return {"capability": self.capability, "deployed_at_once": self.deployed_at_once,
                "distinct_units": self.distinct_units, "ratio": self.ratio,
                "rules": [r.as_dict() for r in self.rules], "rule": RULES["sustainment_ratio"]}


@dataclass
class RotationPlan:
    """A mission's rotation schedule and what it means: tours, cover and gaps, asks, sustainment."""

    mission: Mission
    status: str  #: of the fill: "optimal" (proven the most unit-months possible) or "feasible" (time limit hit)
    balance_status: str  #: of the later passes (load spread, fewest units, gaps late), the same way
    tours: list[Tour] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)
    asks: list[NationAsks] = field(default_factory=list)
    sustainment: list[Sustainment] = field(default_factory=list)
    pools: list[str] = field(default_factory=list)  #: keys of the pools considered (those of a needed capability)
    illustrative: bool = False  #: whether any pool considered is illustrative
    notes: list[str] = field(default_factory=list)
    solve_s: float = 0.0  #: solver wall time, both passes

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def needed(self) -> int:
        """Unit-months needed."""
        return sum(c.needed for c in self.cover)

    @property
    def filled(self) -> int:
        """Unit-months filled."""
        return sum(c.filled for c in self.cover)

    @property
    def gaps(self) -> list[Cover]:
        """The cover rows with a shortfall, by month then position."""
        return [c for c in self.cover if c.shortfall > 0]

    @property
    def first_gap(self) -> FirstGap | None:
        gaps = self.gaps
        if not gaps:
            return None
        month = min(c.month for c in gaps)
        start = self.mission.month_start(month)
        ahead = _whole_months(self.mission.decided, start) if start >= self.mission.decided else 0
        return FirstGap(month, start, ahead, {c.position: c.shortfall for c in gaps if c.month == month})

    @property
    def peak_troop_months(self) -> int:
        """The largest national load (troop-months)."""
        return max((a.troop_months for a in self.asks), default=0)

    def as_dict(self) -> dict[str, Any]:
        first = self.first_gap
        return {"mission": self.mission.as_dict(), "status": self.status, "optimal": self.optimal,
                "balance_status": self.balance_status, "needed_unit_months": self.needed,
                "filled_unit_months": self.filled, "shortfall_unit_months": self.needed - self.filled,
                "first_gap": first.as_dict() if first else None,
                "gaps": [c.as_dict() for c in self.gaps], "cover": [c.as_dict() for c in self.cover],
                "tours": [t.as_dict() for t in self.tours], "asks": [a.as_dict() for a in self.asks],
                "peak_troop_months": self.peak_troop_months,
                "sustainment": [s.as_dict() for s in self.sustainment], "pools": list(self.pools),
                "illustrative": self.illustrative, "notes": list(self.notes), "solve_s": round(self.solve_s, 3),
                "rules": {k: RULES[k] for k in ("schedule", "sustainment_ratio", "pool_steady_state",
                                                "rotations_needed", "difference")},
                "sources": dict(SOURCES)}


# --------------------------------------------------------------------------------------------------------------------
# The schedule


@dataclass(frozen=True)
class _Candidate:
    """Tours of ``length`` months at position ``position`` that units of pool ``pool`` may start in ``month``: at
    most ``most`` of them."""

    pool: int
    position: int
    month: int
    length: int
    most: int


class _Flow:
    """The CP-SAT model of some candidates: each pool's units as an integer flow on its time-expanded network.

    Node ``m`` of a pool is "free to start a tour in month m", node N the mission's end. ``drawn[k]`` of pool ``k``'s
    units enter at node 0; each unit either waits (``m -> m + 1``) or starts a tour (``m -> m + length + dwell``,
    capped at N). An integer flow is exactly a set of unit schedules with the dwell respected (a flow on this
    acyclic network splits into unit paths, :func:`_decompose`), identical units carry no symmetry, and ``drawn``
    bounds the distinct units used. No position gets more units in a month than it needs. The hard rules on
    availability and readiness are in the candidates themselves (:func:`plan_rotations`)."""

    def __init__(self, pools: Sequence[RotationPool], need: list[list[int]], n_months: int, keep: Sequence[int],
                 candidates: Sequence[_Candidate]) -> None:
        self.model = cp_model.CpModel()
        self.pools, self.candidates, self.n_months = pools, candidates, n_months
        self.var: dict[int, cp_model.IntVar] = {}
        self.drawn: dict[int, cp_model.IntVar] = {}
        self.wait: dict[int, list[cp_model.IntVar]] = {}
        inflow: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        outflow: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        fill: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in keep:
            c = candidates[i]
            v = self.var[i] = self.model.new_int_var(0, c.most, f"x{c.pool}_{c.position}_{c.month}")
            outflow[c.pool, c.month].append(v)
            inflow[c.pool, c.month + c.length + pools[c.pool].dwell_months].append(v)
            for m in range(c.month, c.month + c.length):
                fill[c.position, m].append(i)
        for k in sorted({candidates[i].pool for i in keep}):
            n = pools[k].units
            drawn = self.drawn[k] = self.model.new_int_var(0, n, f"drawn{k}")
            wait = self.wait[k] = [self.model.new_int_var(0, n, f"w{k}_{m}") for m in range(n_months)]
            for m in range(n_months):
                self.model.add(wait[m] + sum(outflow[k, m]) == (drawn if m == 0 else wait[m - 1] + sum(inflow[k, m])))
        for (j, m), ids in fill.items():
            if sum(candidates[i].most for i in ids) > need[j][m]:
                self.model.add(sum(self.var[i] for i in ids) <= need[j][m])
        self.filled = sum(candidates[i].length * v for i, v in self.var.items())

    def hint(self, counts: dict[int, int]) -> None:
        """Hint a whole solution: the tours ``counts`` (candidate -> units) and the flow they imply, drawing the
        fewest units that carry it."""
        self.model.clear_hints()
        busy: dict[int, list[int]] = {k: [0] * (self.n_months + 1) for k in self.drawn}
        for i, v in self.var.items():
            n = counts.get(i, 0)
            self.model.add_hint(v, n)
            if n:
                c = self.candidates[i]
                busy[c.pool][c.month] += n
                busy[c.pool][min(self.n_months, c.month + c.length + self.pools[c.pool].dwell_months)] -= n
        for k, drawn in self.drawn.items():
            level = list(itertools.accumulate(busy[k][:self.n_months]))  # units on tour or in dwell, by month
            most = max(level, default=0)
            self.model.add_hint(drawn, most)
            for m, w in enumerate(self.wait[k]):
                self.model.add_hint(w, most - level[m])


def _check_pool(p: RotationPool) -> None:
    where = f"pool {p.key}"
    for name, value, low in (("units", p.units, 0), ("unit_strength", p.unit_strength, 1),
                             ("tour_months", p.tour_months, 1), ("dwell_months", p.dwell_months, 0),
                             ("readiness_days", p.readiness_days, 0)):
        try:
            _check_count(name, value, low)
        except RotationError as e:
            raise RotationError(f"{where}: {e}") from None
    if p.available_from and p.available_to and p.available_to < p.available_from:
        raise RotationError(f"{where}: available_to {p.available_to} is before available_from {p.available_from}")


def _needs(mission: Mission, pools: Sequence[RotationPool], notes: list[str]) -> list[list[int]]:
    """Units needed per position and month (troops converted, see :class:`Position`)."""
    out: list[list[int]] = []
    for pos in mission.positions:
        where = f"position {pos.id}"
        given = [name for name, v in (("units", pos.units), ("troops", pos.troops), ("needs", pos.needs)) if v]
        if len(given) > 1:
            raise RotationError(f"{where}: give one of units, troops or needs (got {', '.join(given)})")
        if pos.needs:
            if len(pos.needs) != mission.months:
                raise RotationError(f"{where}: needs has {len(pos.needs)} entries for {mission.months} months")
            for v in pos.needs:
                _check_count(f"{where}: needs entry", v, 0)
            out.append(list(pos.needs))
            continue
        _check_count(f"{where}: units", pos.units, 0)
        _check_count(f"{where}: troops", pos.troops, 0)
        units = pos.units
        if pos.troops:
            strengths = sorted({p.unit_strength for p in pools if p.capability == pos.capability})
            if len(strengths) != 1:
                why = "no pool has it" if not strengths else f"its pools' unit strengths differ ({strengths})"
                raise RotationError(f"{where}: {pos.troops} troops of {pos.capability} cannot be turned into units "
                                    f"({why}); state the units needed")
            units = -(-pos.troops // strengths[0])
            notes.append(f"position {pos.id}: {pos.troops} troops = {units} units of {strengths[0]} (rounded up)")
        out.append([units] * mission.months)
    return out


def _solver(time_limit_s: float, workers: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = time_limit_s
    s.parameters.num_workers = workers
    s.parameters.random_seed = 1
    return s


def _worst(statuses: Sequence[str]) -> str:
    """"optimal" when every pass proved its optimum, else "feasible" (a schedule obeying every rule, unproven)."""
    return "optimal" if all(s == "optimal" for s in statuses) else "feasible"


def plan_rotations(mission: Mission, pools: Sequence[RotationPool], *, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
                   workers: int = 1) -> RotationPlan:
    """Schedule ``pools``' units into ``mission``'s positions (rules: module docstring and :data:`RULES`
    ``"schedule"``). Raises :class:`RotationError` for malformed input or a problem beyond the size bounds.

    ``time_limit_s`` bounds all solver passes together (the fill pass of each capability gets at least
    ``_MIN_PASS_S``, 0.25 s, so a plan of many capabilities may overrun it by that much each). ``workers`` is
    CP-SAT's thread count: one by default, so the same input gives the same schedule (several workers race and may
    return different schedules of equal value), and on a 2-core machine one worker measured faster than two, four
    or eight."""
    _check_count("mission months", mission.months, 1)
    if mission.months > MAX_MONTHS:
        raise RotationError(f"mission of {mission.months} months: at most {MAX_MONTHS} months per plan")
    if len(mission.positions) > MAX_POSITIONS:
        raise RotationError(f"{len(mission.positions)} positions: at most {MAX_POSITIONS} per plan")
    ids = [p.id for p in mission.positions]
    if len(set(ids)) != len(ids):
        raise RotationError(f"position ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    keys = [p.key for p in pools]
    if len(set(keys)) != len(keys):
        raise RotationError(f"pool keys repeat: {sorted({k for k in keys if keys.count(k) > 1})}")
    for p in pools:
        _check_pool(p)
    notes: list[str] = []
    need = _needs(mission, pools, notes)
    n_months = mission.months
    capabilities = {p.capability for p in mission.positions}
    used_pools = [p for p in pools if p.capability in capabilities]
    n_units = sum(p.units for p in used_pools)
    if n_units > MAX_UNITS:
        raise RotationError(f"{n_units} pool units of the needed capabilities: at most {MAX_UNITS} per plan "
                            "(model larger units, or fewer pools)")
    for cap in sorted(capabilities - {p.capability for p in used_pools}):
        notes.append(f"no pool offers {cap}: its positions are all gap")

    days = [mission.month_start(m) for m in range(n_months + 1)]
    # close[j][m]: the first month after m at which position j needs nothing (or the mission's end)
    close: list[list[int]] = []
    for row in need:
        ends = [n_months] * n_months
        nxt = n_months
        for m in range(n_months - 1, -1, -1):
            ends[m] = nxt
            if row[m] == 0:
                nxt = m
        close.append(ends)
    by_cap: dict[str, list[int]] = defaultdict(list)
    for j, pos in enumerate(mission.positions):
        by_cap[pos.capability].append(j)

    candidates: list[_Candidate] = []
    for k, pool in enumerate(used_pools):
        if pool.units == 0:
            continue
        earliest = mission.decided + timedelta(days=pool.readiness_days)
        if pool.available_from and pool.available_from > earliest:
            earliest = pool.available_from
        for j in by_cap[pool.capability]:
            for m in range(n_months):
                if need[j][m] == 0 or days[m] < earliest:
                    continue
                length = min(pool.tour_months, close[j][m] - m)
                if pool.available_to and days[m + length] - timedelta(days=1) > pool.available_to:
                    continue
                candidates.append(_Candidate(k, j, m, length, min(pool.units, min(need[j][m:m + length]))))
                if len(candidates) > MAX_STARTS:
                    raise RotationError(f"more than {MAX_STARTS} candidate tour starts (pools x positions x months):"
                                        " shorten the mission or split the plan")

    deadline = time.monotonic() + time_limit_s
    solve_s = 0.0
    statuses: list[str] = []
    balances: list[str] = []
    counts: dict[int, int] = {}
    caps = sorted({used_pools[c.pool].capability for c in candidates})
    # capabilities are independent problems (a unit serves only its own): each is solved on its own, objective by
    # objective, each pass keeping the value the one before reached (exactly when proven optimal, else at least it)
    for left, cap in zip(range(len(caps), 0, -1), caps, strict=True):
        keep = [i for i, c in enumerate(candidates) if used_pools[c.pool].capability == cap]
        until = time.monotonic() + max(4 * _MIN_PASS_S, (deadline - time.monotonic()) / left)
        flow = _Flow(used_pools, need, n_months, keep, candidates)
        loads: dict[str, list[tuple[int, int]]] = defaultdict(list)  # nation -> (troop-months per tour, candidate)
        for i in keep:
            c = candidates[i]
            loads[used_pools[c.pool].nation].append((used_pools[c.pool].unit_strength * c.length, i))
        peak = flow.model.new_int_var(0, sum(w * candidates[i].most for t in loads.values() for w, i in t), "peak")
        for terms in loads.values():
            flow.model.add(sum(w * flow.var[i] for w, i in terms) <= peak)
        passes: list[tuple[cp_model.LinearExprT, bool, float]] = [  # objective, maximise, share of the time left
            (flow.filled, True, 0.5),  # 1: the most unit-months filled (half the capability's time)
            (peak, False, 1 / 3),  # 2: the smallest peak national load, troop-months (a third of what is left)
            (sum(flow.drawn.values()), False, 0.5),  # 3: the fewest distinct units
            # 4: the filled months as early as they can be, so gaps fall as late as they can (time to generate)
            (sum(sum(range(candidates[i].month, candidates[i].month + candidates[i].length)) * v
                 for i, v in flow.var.items()), False, 1.0)]
        found = _greedy(used_pools, need, n_months, keep, candidates)
        done: list[str] = []
        for objective, up, budget in passes:
            if done and time.monotonic() >= deadline:  # out of time: the fill stands, the balance is unproven
                done.append("feasible")
                break
            if up:
                flow.model.maximize(objective)
            else:
                flow.model.minimize(objective)
            flow.hint(found)
            flow.model.add_hint(peak, max((sum(w * found.get(i, 0) for w, i in t) for t in loads.values()),
                                          default=0))
            solver = _solver(max(_MIN_PASS_S, budget * (until - time.monotonic())), workers)
            status = solver.solve(flow.model)
            solve_s += solver.wall_time
            if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):  # the empty schedule always fits
                raise AssertionError(f"rotation model for {cap} reported {solver.status_name(status)}")
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                # nothing found in time: the schedule so far (the greedy start, or the last pass's) stands, unproven
                done.append("feasible")
                break
            done.append("optimal" if status == cp_model.OPTIMAL else "feasible")
            found = {i: solver.value(v) for i, v in flow.var.items()}
            value = round(solver.objective_value)
            if status == cp_model.OPTIMAL:
                flow.model.add(objective == value)
            else:
                flow.model.add(objective >= value if up else objective <= value)
        statuses.append(done[0])
        balances.append(_worst(done[1:] or ["feasible"]))
        counts.update(found)

    plan = RotationPlan(mission, _worst(statuses), _worst(balances), solve_s=solve_s, notes=notes,
                        pools=[p.key for p in used_pools], illustrative=any(p.illustrative for p in used_pools))
    filled = [[0] * n_months for _ in mission.positions]
    troops = [[0] * n_months for _ in mission.positions]
    for k, unit_tours in _decompose(used_pools, candidates, counts, n_months).items():
        pool = used_pools[k]
        for index, a in unit_tours:
            for m in range(a.month, a.month + a.length):
                filled[a.position][m] += 1
                troops[a.position][m] += pool.unit_strength
            plan.tours.append(Tour(
                nation=pool.nation, unit=f"{pool.key}#{index + 1}", pool=pool.key, capability=pool.capability,
                position=mission.positions[a.position].id, first_month=a.month, last_month=a.month + a.length - 1,
                start=days[a.month], end=days[a.month + a.length] - timedelta(days=1),
                ask_by=days[a.month] - timedelta(days=pool.readiness_days), readiness_days=pool.readiness_days,
                troops=pool.unit_strength, cut=a.length < pool.tour_months))
    plan.tours.sort(key=lambda t: (t.first_month, t.position, t.unit))
    plan.cover = [Cover(pos.id, pos.capability, m, days[m], need[j][m], filled[j][m], troops[j][m])
                  for m in range(n_months) for j, pos in enumerate(mission.positions)]
    by_nation: dict[str, list[Tour]] = defaultdict(list)
    for t in plan.tours:
        by_nation[t.nation].append(t)
    plan.asks = sorted((NationAsks(n, tuple(sorted(ts, key=lambda t: (t.ask_by, t.start, t.unit, t.position))))
                        for n, ts in by_nation.items()), key=lambda a: (a.first_ask, a.nation))
    plan.sustainment = _sustainment(mission, used_pools, plan.tours, filled)
    return plan


def _greedy(pools: Sequence[RotationPool], need: list[list[int]], n_months: int, keep: Sequence[int],
            candidates: Sequence[_Candidate]) -> dict[int, int]:
    """A feasible schedule to start the solver from (a hint, not an answer): month by month, each position short of
    units takes tours from the pools with units free then, longest tours first, as many as the tour's months allow."""
    free: dict[int, int] = defaultdict(int)
    back: dict[tuple[int, int], int] = defaultdict(int)  # (pool, month) -> units free again from that month
    for i in keep:
        free[candidates[i].pool] = pools[candidates[i].pool].units
    filled: dict[tuple[int, int], int] = defaultdict(int)
    at: dict[int, list[int]] = defaultdict(list)
    for i in keep:
        at[candidates[i].month].append(i)
    out: dict[int, int] = {}
    for m in range(n_months):
        for k in list(free):
            free[k] += back.pop((k, m), 0)
        for i in sorted(at[m], key=lambda i: (candidates[i].position, -candidates[i].length, candidates[i].pool)):
            c = candidates[i]
            room = min(need[c.position][mm] - filled[c.position, mm] for mm in range(m, m + c.length))
            take = min(room, free[c.pool], c.most)
            if take <= 0:
                continue
            out[i] = take
            free[c.pool] -= take
            back[c.pool, m + c.length + pools[c.pool].dwell_months] += take
            for mm in range(m, m + c.length):
                filled[c.position, mm] += take
    return out


def _decompose(pools: Sequence[RotationPool], arcs: Sequence[_Candidate], counts: dict[int, int],
               n_months: int) -> dict[int, list[tuple[int, _Candidate]]]:
    """Each pool's integer flow split into its units' tours: pool -> [(unit index, tour arc)].

    Month by month, the units free that month take the tours starting then, those already used first (lowest index
    first), so the units never used are ``units - min_m wait[m]``, the count the third pass minimised."""
    out: dict[int, list[tuple[int, _Candidate]]] = defaultdict(list)
    by_pool: dict[int, dict[int, list[_Candidate]]] = defaultdict(lambda: defaultdict(list))
    for i, a in enumerate(arcs):
        by_pool[a.pool][a.month].extend([a] * counts.get(i, 0))
    for k, by_month in by_pool.items():
        pool = pools[k]
        free_at: dict[int, list[int]] = defaultdict(list)
        free_at[0] = list(range(pool.units))
        used: set[int] = set()
        for m in range(n_months):
            here = sorted(free_at.pop(m, []), key=lambda u: (u not in used, u))
            tours = sorted(by_month.get(m, []), key=lambda a: (a.position, a.length))
            if len(tours) > len(here):  # cannot happen for a flow that conserves units
                raise AssertionError(f"pool {pool.key}: {len(tours)} tours start in month {m}, {len(here)} units free")
            for u, a in zip(here, tours, strict=False):
                out[k].append((u, a))
                used.add(u)
                free_at[a.month + a.length + pool.dwell_months].append(u)
            free_at[m + 1].extend(here[len(tours):])
    return out


def _sustainment(mission: Mission, pools: Sequence[RotationPool], tours: Sequence[Tour],
                 filled: list[list[int]]) -> list[Sustainment]:
    def rules(cap_pools: Sequence[RotationPool], at_once: int) -> tuple[PoolRule, ...]:
        pairs = sorted({(p.tour_months, p.dwell_months) for p in cap_pools})
        return tuple(PoolRule(t, w, units_per_deployed(t, w), pool_steady_state(at_once, t, w),
                              rotations_needed(1, mission.months, t, w),
                              rotations_needed(at_once, mission.months, t, w)) for t, w in pairs)

    out: list[Sustainment] = []
    caps = sorted({p.capability for p in mission.positions})
    for cap in caps:
        rows = [j for j, p in enumerate(mission.positions) if p.capability == cap]
        at_once = max((sum(filled[j][m] for j in rows) for m in range(mission.months)), default=0)
        used = {t.unit for t in tours if t.capability == cap}
        used_pools = {t.pool for t in tours if t.capability == cap}
        cap_pools = [p for p in pools if p.capability == cap and (p.key in used_pools or not used_pools)]
        out.append(Sustainment(cap, at_once, len(used), rules(cap_pools, at_once)))
    if len(caps) > 1:
        at_once = max((sum(col) for col in zip(*filled, strict=True)), default=0)
        used_pools = {t.pool for t in tours}
        out.append(Sustainment("", at_once, len({t.unit for t in tours}),
                               rules([p for p in pools if p.key in used_pools], at_once)))
    return out
