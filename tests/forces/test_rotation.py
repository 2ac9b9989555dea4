"""Rotations: the sustainment rules of thumb reproduced exactly, the closed forms against exhaustive search of
schedules, the scheduler's fill against exhaustive search on tiny missions, and the schedule's rules (tour length,
dwell, availability, readiness, no double fill) on random missions; gaps, asks and the sustainment ratio.

References (exact, tolerance 0): Helsinki Headline Goal, 60,000 sustained with 6-month tours and 1:2 deploy-to-dwell
needs "around 180,000" (http://www.liquisearch.com/helsinki_headline_goal/headline_goal_2003, the rule of thirds
https://en.wikipedia.org/wiki/Rule_of_thirds_(military)); RAND, Considering a Cadre Augmented Army, p. 73: 8/24 and
12/36 both need four units per deployed BCT. Pool data in this file is invented for the tests.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

import networkx as nx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kompas.forces.model import RotationPool
from kompas.forces.rotation import (
    MAX_MONTHS,
    MAX_UNITS,
    RULES,
    Mission,
    Position,
    RotationError,
    month_start,
    plan_rotations,
    pool_steady_state,
    rotations_needed,
    units_per_deployed,
)

INF = "infantry-company"
MED = "medical-role2"
JAN = date(2026, 1, 1)


def pool(pid: str, nation: str, units: int, cap: str = INF, strength: int = 150, tour: int = 6, dwell: int = 12,
         ready: int = 0, **kw) -> RotationPool:
    return RotationPool(pid, nation, cap, units, strength, tour, dwell, ready, **kw)


def mission(months: int, *positions: Position, start: date = JAN, decision: date | None = None) -> Mission:
    return Mission("test", start, months, positions, decision)


# --------------------------------------------------------------------------------------------------------------------
# The rules of thumb (exact)


def test_helsinki_pool_is_180000_by_the_rule_of_thirds() -> None:
    assert pool_steady_state(60_000, 6, 12) == 180_000
    assert units_per_deployed(6, 12) == 3.0  # one third deployed
    assert "180,000" in RULES["pool_steady_state"] and "rule of thirds" in RULES["pool_steady_state"]


def test_a_one_year_operation_sends_120000_and_the_text_says_why_not_180000() -> None:
    assert rotations_needed(60_000, 12, 6, 12) == 120_000
    assert pool_steady_state(60_000, 6, 12) == 180_000
    diff = RULES["difference"]
    assert "120,000" in diff and "180,000" in diff and "indefinitely" in diff
    # the two agree once the operation lasts t + w months (18) or more
    assert rotations_needed(60_000, 17, 6, 12) == 180_000 == rotations_needed(60_000, 18, 6, 12)
    assert rotations_needed(60_000, 12, 6, 12) < rotations_needed(60_000, 13, 6, 12)


def test_rand_units_per_deployed() -> None:
    assert units_per_deployed(8, 24) == units_per_deployed(12, 36) == 4.0
    assert pool_steady_state(1, 8, 24) == pool_steady_state(1, 12, 36) == 4
    assert "(four)" in RULES["units_per_deployed"]


def test_overlap_factor_and_rounding_up() -> None:
    # 1.15 is the relief-in-place factor of a blog (low authority, illustrative): exactly 23/20 of 180,000
    assert pool_steady_state(60_000, 6, 12, overlap=1.15) == 207_000
    assert pool_steady_state(1, 6, 8) == 3  # 14/6 = 2.33 rounded up
    assert pool_steady_state(3, 6, 8) == 7  # 42/6
    with pytest.raises(RotationError):
        pool_steady_state(10, 6, 12, overlap=0.9)
    with pytest.raises(RotationError):
        rotations_needed(10, 12, 0, 12)


# --------------------------------------------------------------------------------------------------------------------
# The closed forms against exhaustive search of schedules
#
# A person's state between two months: ("s", k) k tour months still to serve, ("d", k) k dwell months left, ("f", 0)
# free. Each month exactly D serve: those mid-tour carry on and free people start full tours of t months.


def _step(state: tuple[tuple[str, int], ...], d: int, t: int, w: int) -> tuple[tuple[str, int], ...] | None:
    serving = [x for x in state if x[0] == "s"]
    free = [x for x in state if x[0] == "f"]
    start = d - len(serving)
    if start < 0 or start > len(free):
        return None

    def after(left: int) -> tuple[str, int]:
        return ("s", left) if left else (("d", w) if w else ("f", 0))

    nxt = [after(k - 1) for kind, k in state if kind == "s"]
    nxt += [("d", k - 1) if k > 1 else ("f", 0) for kind, k in state if kind == "d"]
    nxt += [after(t - 1)] * start + [("f", 0)] * (len(free) - start)
    return tuple(sorted(nxt))


def _finite_ok(p: int, d: int, months: int, t: int, w: int) -> bool:
    states = {tuple([("f", 0)] * p)}
    for _ in range(months):
        states = {n for s in states if (n := _step(s, d, t, w)) is not None}
        if not states:
            return False
    return True


def _cyclic_ok(p: int, d: int, t: int, w: int) -> bool:
    """Whether some infinite schedule keeps exactly d deployed: a cycle in the graph of month-to-month states."""
    kinds = [("f", 0)] + [("s", k) for k in range(1, t)] + [("d", k) for k in range(1, w + 1)]
    g: nx.DiGraph = nx.DiGraph()
    for combo in itertools.combinations_with_replacement(kinds, p):
        s = tuple(sorted(combo))
        if (n := _step(s, d, t, w)) is not None:
            g.add_edge(s, n)
    return g.number_of_edges() > 0 and not nx.is_directed_acyclic_graph(g)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 3), st.integers(1, 12), st.integers(1, 4), st.integers(0, 6))
@example(1, 12, 5, 3)  # a cut last tour lets the first person back: 2, where floor((T + w) / (t + w)) tours gives 3
@example(2, 12, 6, 12)  # the Helsinki case scaled down: 2 x 2
def test_rotations_needed_is_the_smallest_pool_of_a_finite_operation(d: int, months: int, t: int, w: int) -> None:
    closed = rotations_needed(d, months, t, w)
    assert _finite_ok(closed, d, months, t, w)
    assert not _finite_ok(closed - 1, d, months, t, w)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 2), st.integers(1, 3), st.integers(0, 4))
@example(1, 3, 6)  # 1:2 deploy-to-dwell (6 and 12 months counted in 2-month periods): 3
@example(3, 3, 4)  # staggered tours share the dwell: 7, where three positions rotated apart would need 3 x 3 = 9
def test_pool_steady_state_is_the_smallest_pool_that_sustains_indefinitely(d: int, t: int, w: int) -> None:
    closed = pool_steady_state(d, t, w)
    assert _cyclic_ok(closed, d, t, w)
    assert not _cyclic_ok(closed - 1, d, t, w)


# --------------------------------------------------------------------------------------------------------------------
# The scheduler's fill against exhaustive search of unit schedules (tiny missions, months as the unit)


def _first(m: int) -> date:
    """The first day of mission month m for a mission starting 1 January 2026 (independent of the engine)."""
    return date(2026 + m // 12, m % 12 + 1, 1)


def _unit_tours(months: int, needs: list[list[int]], caps: list[str], u: dict) -> list[tuple[int, int, int]]:
    """Every tour (position, first month, months) one unit may serve: whole tours, or cut where the mission or the
    position's need ends; from its first ready month, within its last available month."""
    out = []
    for j, row in enumerate(needs):
        if caps[j] != u["cap"]:
            continue
        for m in range(u["first"], months):
            if row[m] == 0:
                continue
            end = m + 1
            while end < months and row[end] > 0 and end - m < u["tour"]:
                end += 1
            if (end - m == u["tour"] or end == months or row[end] == 0) and (u["last"] is None
                                                                             or end - 1 <= u["last"]):
                out.append((j, m, end - m))
    return sorted(out, key=lambda x: x[1])


Tours = tuple[tuple[int, int, int], ...]


def _unit_plans(tours: list[tuple[int, int, int]], dwell: int, after: int = 0) -> list[Tours]:
    """Every set of those tours one unit can serve in turn, ``dwell`` months apart."""
    out: list[Tours] = [()]
    for k, (j, m, n) in enumerate(tours):
        if m >= after:
            out += [((j, m, n), *rest) for rest in _unit_plans(tours[k + 1:], dwell, m + n + dwell)]
    return out


def _best_fill(months: int, needs: list[list[int]], caps: list[str], units: list[dict]) -> int:
    """The most unit-months any schedule fills, by enumerating every unit's every set of tours."""
    each = [_unit_plans(_unit_tours(months, needs, caps, u), u["dwell"]) for u in units]

    @cache
    def best(i: int, fill: tuple[int, ...]) -> int:
        if i == len(each):
            return 0
        top = -1
        for plan in each[i]:
            f = list(fill)
            ok = True
            for j, m, n in plan:
                for mm in range(m, m + n):
                    f[j * months + mm] += 1
                    ok = ok and f[j * months + mm] <= needs[j][mm]
            if ok:
                top = max(top, sum(n for _, _, n in plan) + best(i + 1, tuple(f)))
        return top

    return best(0, tuple([0] * (len(needs) * months)))


@st.composite
def tiny(draw: st.DrawFn) -> tuple[int, list[list[int]], list[str], list[dict]]:
    months = draw(st.integers(1, 6))
    n_pos = draw(st.integers(1, 2))
    caps = [draw(st.sampled_from(["a", "b"])) for _ in range(n_pos)]
    needs = [draw(st.lists(st.integers(0, 2), min_size=months, max_size=months)) for _ in range(n_pos)]
    pools = []
    for _ in range(draw(st.integers(1, 3))):
        begin = draw(st.integers(0, 2))  # available from this month's first day
        last = draw(st.one_of(st.none(), st.integers(begin, max(begin, months - 1))))  # to this month's last day
        pools.append({"cap": draw(st.sampled_from(sorted(set(caps)) + ["a"])), "units": draw(st.integers(1, 2)),
                      "tour": draw(st.integers(1, 3)), "dwell": draw(st.integers(0, 3)),
                      "ready": draw(st.integers(0, 2)), "from": begin, "last": last,
                      "nation": draw(st.sampled_from(["FR", "DE"]))})
    return months, needs, caps, pools


@settings(max_examples=40, deadline=None)
@given(tiny())
def test_fill_equals_exhaustive_search(case: tuple[int, list[list[int]], list[str], list[dict]]) -> None:
    months, needs, caps, pools = case
    units = [{"cap": p["cap"], "tour": p["tour"], "dwell": p["dwell"], "first": max(p["ready"], p["from"]),
              "last": p["last"]} for p in pools for _ in range(p["units"])]
    records = [RotationPool(f"p{i}", p["nation"], p["cap"], p["units"], 100, p["tour"], p["dwell"],
                            (_first(p["ready"]) - JAN).days, available_from=_first(p["from"]),
                            available_to=None if p["last"] is None else _first(p["last"] + 1) - timedelta(days=1))
               for i, p in enumerate(pools)]
    m = mission(months, *(Position(f"x{j}", c, needs=tuple(needs[j])) for j, c in enumerate(caps)))
    plan = plan_rotations(m, records)
    assert plan.status == "optimal"
    assert plan.filled == _best_fill(months, needs, caps, units)
    assert plan.needed == sum(map(sum, needs))


def _best_key(months: int, needs: list[list[int]], units: list[dict]) -> tuple[int, int, int, int]:
    """The best (-unit-months filled, peak national troop-months, distinct units, sum of filled months' indices) of
    every schedule of one capability's units, by enumeration: the scheduler's four ranks in order."""
    caps = [INF] * len(needs)
    each = [_unit_plans(_unit_tours(months, needs, caps, u), u["dwell"]) for u in units]
    best: list[tuple[int, int, int, int]] = []

    def walk(i: int, fill: list[int], loads: dict[str, int], used: int, late: int) -> None:
        if i == len(units):
            best.append((-sum(fill), max(loads.values(), default=0), used, late))
            return
        for plan in each[i]:
            f = list(fill)
            for j, m, n in plan:
                for mm in range(m, m + n):
                    f[j * months + mm] += 1
            if any(f[j * months + m] > needs[j][m] for j in range(len(needs)) for m in range(months)):
                continue
            months_served = sum(n for _, _, n in plan)
            load = dict(loads)
            if plan:
                load[units[i]["nation"]] = load.get(units[i]["nation"], 0) + units[i]["strength"] * months_served
            walk(i + 1, f, load, used + bool(plan), late + sum(sum(range(m, m + n)) for _, m, n in plan))

    walk(0, [0] * (len(needs) * months), {}, 0, 0)
    return min(best)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 5), st.lists(st.lists(st.integers(0, 2), min_size=5, max_size=5), min_size=1, max_size=2),
       st.lists(st.tuples(st.sampled_from(["FR", "DE"]), st.integers(1, 2), st.sampled_from([80, 150]),
                          st.integers(2, 3), st.integers(0, 2), st.integers(0, 1)), min_size=1, max_size=2))
def test_every_rank_of_the_objective_equals_exhaustive_search(months: int, rows: list[list[int]],
                                                              specs: list[tuple[str, int, int, int, int, int]]) -> None:
    # one capability (the ranks after the fill are per capability): fill, then peak national troop-months, then
    # distinct units, then the earliest filled months
    needs = [r[:months] for r in rows]
    records = [RotationPool(f"p{k}", nation, INF, n, strength, tour, dwell, (_first(ready) - JAN).days)
               for k, (nation, n, strength, tour, dwell, ready) in enumerate(specs)]
    units = [{"nation": p.nation, "strength": p.unit_strength, "tour": p.tour_months, "dwell": p.dwell_months,
              "first": ready, "last": None, "cap": INF}
             for p, (*_, ready) in zip(records, specs, strict=True) for _ in range(p.units)]
    plan = plan_rotations(mission(months, *(Position(f"x{j}", INF, needs=tuple(r)) for j, r in enumerate(needs))),
                          records)
    assert plan.status == "optimal" and plan.balance_status == "optimal"
    got = (-plan.filled, plan.peak_troop_months, len({t.unit for t in plan.tours}),
           sum(sum(range(t.first_month, t.last_month + 1)) for t in plan.tours))
    assert got == _best_key(months, needs, units)


# --------------------------------------------------------------------------------------------------------------------
# The schedule's rules on random missions


@st.composite
def missions(draw: st.DrawFn) -> tuple[Mission, list[RotationPool]]:
    months = draw(st.integers(3, 18))
    start = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
    decision = start - timedelta(days=draw(st.integers(0, 60)))
    positions = []
    for j in range(draw(st.integers(1, 3))):
        cap = draw(st.sampled_from([INF, MED]))
        if draw(st.booleans()):
            positions.append(Position(f"pos{j}", cap, units=draw(st.integers(1, 3))))
        else:
            positions.append(Position(f"pos{j}", cap, needs=tuple(draw(st.lists(st.integers(0, 3), min_size=months,
                                                                                 max_size=months)))))
    pools = []
    for k in range(draw(st.integers(1, 4))):
        lo = draw(st.one_of(st.none(), st.dates(start - timedelta(days=30), start + timedelta(days=200))))
        hi = draw(st.one_of(st.none(), st.dates(start + timedelta(days=100), start + timedelta(days=700))))
        if lo and hi and hi < lo:
            lo, hi = hi, lo
        pools.append(RotationPool(f"p{k}", draw(st.sampled_from(["FR", "DE", "PL"])), draw(st.sampled_from([INF, MED])),
                                  draw(st.integers(0, 4)), draw(st.sampled_from([80, 150])), draw(st.integers(1, 6)),
                                  draw(st.integers(0, 8)), draw(st.integers(0, 100)), lo, hi))
    return Mission("random", start, months, tuple(positions), decision), pools


@settings(max_examples=25, deadline=None)
@given(missions())
def test_schedules_keep_every_rule(case: tuple[Mission, list[RotationPool]]) -> None:
    m, pools = case
    plan = plan_rotations(m, pools)
    by_key = {p.key: p for p in pools}
    need = {(p.id, k): (p.needs[k] if p.needs else p.units) for p in m.positions for k in range(m.months)}
    cap = {p.id: p.capability for p in m.positions}
    count: dict[tuple[str, int], int] = {}
    for t in plan.tours:
        p = by_key[t.pool]
        assert t.capability == p.capability == cap[t.position] and t.nation == p.nation
        assert 1 <= int(t.unit.rsplit("#", 1)[1]) <= p.units and t.unit.startswith(p.key + "#")
        # whole tours, cut only where the mission or the position's need ends
        assert t.months == p.tour_months or (t.cut and t.months < p.tour_months and (
            t.last_month == m.months - 1 or need[t.position, t.last_month + 1] == 0))
        # the days: month starts, availability, readiness and the ask
        assert t.start == month_start(m.start, t.first_month)
        assert t.end == month_start(m.start, t.last_month + 1) - timedelta(days=1)
        assert p.available_from is None or t.start >= p.available_from
        assert p.available_to is None or t.end <= p.available_to
        assert t.ask_by == t.start - timedelta(days=p.readiness_days) >= m.decided
        for k in range(t.first_month, t.last_month + 1):
            count[t.position, k] = count.get((t.position, k), 0) + 1
    # no slot filled twice: never more units than needed
    assert all(n <= need[key] for key, n in count.items())
    # dwell: a unit's next tour starts at least dwell_months after its last month
    for unit, tours in itertools.groupby(sorted(plan.tours, key=lambda t: (t.unit, t.first_month)), lambda t: t.unit):
        ts = list(tours)
        dwell = by_key[ts[0].pool].dwell_months
        for a, b in itertools.pairwise(ts):
            assert b.first_month >= a.last_month + 1 + dwell, (unit, a, b)
    # the cover is the tours counted, the shortfall what is left
    for c in plan.cover:
        assert c.filled == count.get((c.position, c.month), 0) and c.needed == need[c.position, c.month]
        assert c.shortfall == c.needed - c.filled >= 0
    # each tour asked exactly once, each nation's asks by date
    asked = [t for a in plan.asks for t in a.tours]
    assert sorted(asked, key=repr) == sorted(plan.tours, key=repr)
    for a in plan.asks:
        assert [t.ask_by for t in a.tours] == sorted(t.ask_by for t in a.tours)
    json.dumps(plan.as_dict())


# --------------------------------------------------------------------------------------------------------------------
# Gaps, asks, fairness, the sustainment ratio


def test_a_pool_too_small_forecasts_its_gap_from_month_six() -> None:
    # two companies every month for a year, three companies on 6-month tours with 12 months' dwell: none can serve
    # twice, so the second half-year is one company short; the earliest months are filled first
    m = mission(12, Position("inf", INF, units=2))
    plan = plan_rotations(m, [pool("p1", "FR", 3)])
    assert plan.status == "optimal" and plan.balance_status == "optimal"
    assert (plan.needed, plan.filled) == (24, 18)
    assert [(c.month, c.shortfall) for c in plan.gaps] == [(k, 1) for k in range(6, 12)]
    first = plan.first_gap
    assert first is not None and (first.month, first.start, first.months_ahead) == (6, date(2026, 7, 1), 6)
    assert first.shortfall == {"inf": 1}
    # decided two months earlier: the same gap is eight months ahead
    early = plan_rotations(replace(m, decision=date(2025, 11, 1)), [pool("p1", "FR", 3)])
    assert early.first_gap is not None and early.first_gap.months_ahead == 8
    # one more company closes it
    assert plan_rotations(m, [pool("p1", "FR", 4)]).first_gap is None


def test_readiness_delays_the_first_tour_and_the_ask_date_follows() -> None:
    m = mission(6, Position("med", MED, units=1))
    slow = [pool("m1", "SE", 2, cap=MED, ready=45)]
    plan = plan_rotations(m, slow)
    # decided on 1 January, ready 45 days later (15 February): the first tour starts on 1 March
    assert [(t.first_month, t.start) for t in plan.tours] == [(2, date(2026, 3, 1))]
    assert [c.month for c in plan.gaps] == [0, 1] and plan.tours[0].cut  # 4 months left of a 6-month tour
    # decided in November: asked by 17 November (1 January - 45 days), no gap
    plan = plan_rotations(replace(m, decision=date(2025, 11, 1)), slow)
    assert plan.first_gap is None
    assert [(t.start, t.ask_by) for t in plan.tours] == [(date(2026, 1, 1), date(2025, 11, 17))]


def test_asks_per_contributor_are_dated_and_sorted() -> None:
    # FR is available only in the first half-year; DE takes over with two companies asked 90 days ahead each
    m = mission(18, Position("inf", INF, units=1), decision=date(2025, 9, 1))
    pools = [pool("fr", "FR", 1, ready=30, available_to=date(2026, 6, 30)),
             pool("de", "DE", 2, ready=90, dwell=6)]
    plan = plan_rotations(m, pools)
    assert plan.first_gap is None
    assert [a.nation for a in plan.asks] == ["FR", "DE"]  # by the first ask's date
    fr, de = plan.asks
    assert [(t.unit, t.start, t.ask_by) for t in fr.tours] == [("FR/fr#1", date(2026, 1, 1), date(2025, 12, 2))]
    assert [(t.start, t.end, t.ask_by) for t in de.tours] == [
        (date(2026, 7, 1), date(2026, 12, 31), date(2026, 4, 2)),
        (date(2027, 1, 1), date(2027, 6, 30), date(2026, 10, 3))]
    assert {t.unit for t in de.tours} == {"DE/de#1", "DE/de#2"}  # 6 months' dwell: the first cannot go again
    assert (de.units, de.unit_months, de.troop_months) == (2, 12, 1800)


def test_load_is_spread_across_nations() -> None:
    # either nation alone could fill the year; spread, each takes one half (peak 6 months x 150 troops)
    m = mission(12, Position("inf", INF, units=1))
    plan = plan_rotations(m, [pool("fr", "FR", 2), pool("de", "DE", 2)])
    assert plan.filled == 12
    assert sorted((a.nation, a.unit_months) for a in plan.asks) == [("DE", 6), ("FR", 6)]
    assert plan.peak_troop_months == 900


def test_the_fewest_distinct_units_are_asked() -> None:
    # one position for 6 months in 2-month tours; a unit with no dwell can serve them all, one with 4 months' dwell
    # only the first and the last: same fill, same load, so one unit, not two (the greedy start takes two)
    m = mission(6, Position("eod", "eod-team", units=1))
    pools = [pool("b", "FR", 1, cap="eod-team", tour=2, dwell=4), pool("a", "FR", 1, cap="eod-team", tour=2, dwell=0)]
    plan = plan_rotations(m, pools)
    assert plan.filled == 6 and plan.balance_status == "optimal"
    assert [(t.unit, t.first_month) for t in plan.tours] == [("FR/a#1", 0), ("FR/a#1", 2), ("FR/a#1", 4)]
    (s,) = plan.sustainment
    assert (s.distinct_units, s.deployed_at_once, s.ratio) == (1, 1, 1.0)


@pytest.mark.parametrize(("months", "expected"), [(12, 120_000), (36, 180_000)])
def test_the_scheduler_reproduces_the_closed_forms(months: int, expected: int) -> None:
    # 6 companies deployed (Helsinki scaled by 1/10,000), 6-month tours, 12 months' dwell, a pool large enough
    m = mission(months, Position("inf", INF, units=6))
    plan = plan_rotations(m, [pool("p", "FR", 30)])
    assert plan.first_gap is None and plan.status == "optimal"
    (s,) = plan.sustainment
    assert s.deployed_at_once == 6 and s.distinct_units * 10_000 == expected
    assert s.distinct_units == rotations_needed(6, months, 6, 12)
    (rule,) = s.rules
    assert (rule.steady_state, rule.steady_state_pool) == (3.0, 18)
    assert rule.finite_pool == rotations_needed(6, months, 6, 12)
    assert s.ratio == rule.finite


def test_troops_are_turned_into_units_only_when_the_strength_is_unambiguous() -> None:
    m = mission(6, Position("inf", INF, troops=400))
    plan = plan_rotations(m, [pool("p", "FR", 5, strength=150)])
    assert plan.cover[0].needed == 3 and "400 troops = 3 units of 150" in plan.notes[0]
    assert plan.cover[0].troops == 450
    with pytest.raises(RotationError, match="unit strengths differ"):
        plan_rotations(m, [pool("p", "FR", 5, strength=150), pool("q", "DE", 5, strength=120)])


def test_a_capability_nobody_offers_is_all_gap() -> None:
    m = mission(3, Position("inf", INF, units=1), Position("hq", "force-hq", units=1))
    plan = plan_rotations(m, [pool("p", "FR", 2, tour=3)])
    assert [(c.position, c.month) for c in plan.gaps] == [("hq", 0), ("hq", 1), ("hq", 2)]
    assert any("no pool offers force-hq" in n for n in plan.notes)


def test_as_dict_is_json_with_iso_dates() -> None:
    m = mission(12, Position("inf", INF, units=2))
    plan = plan_rotations(m, [pool("p1", "FR", 3, illustrative=True)])
    d = json.loads(json.dumps(plan.as_dict()))
    assert d["mission"]["start"] == "2026-01-01" and d["mission"]["end"] == "2026-12-31"
    assert d["first_gap"] == {"month": 6, "start": "2026-07-01", "months_ahead": 6, "shortfall": {"inf": 1}}
    assert d["asks"][0]["asks"][0]["ask_by"] == "2026-01-01" and d["illustrative"] is True
    assert d["shortfall_unit_months"] == 6 and len(d["gaps"]) == 6 and len(d["cover"]) == 12
    assert d["sustainment"][0]["ratio"] == 1.5 and "180,000" in d["rules"]["pool_steady_state"]


def test_month_start_keeps_the_day_or_the_month_end() -> None:
    assert month_start(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert month_start(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert month_start(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert month_start(date(2026, 5, 15), 20) == date(2028, 1, 15)


def test_malformed_or_oversized_input_is_refused() -> None:
    assert issubclass(RotationError, ValueError)
    with pytest.raises(RotationError, match=f"at most {MAX_MONTHS} months"):
        plan_rotations(mission(MAX_MONTHS + 1, Position("inf", INF, units=1)), [])
    with pytest.raises(RotationError, match=f"at most {MAX_UNITS}"):
        plan_rotations(mission(12, Position("inf", INF, units=1)), [pool("p", "FR", MAX_UNITS + 1)])
    with pytest.raises(RotationError, match="needs has 2 entries for 3 months"):
        plan_rotations(mission(3, Position("inf", INF, needs=(1, 1))), [])
    with pytest.raises(RotationError, match="give one of"):
        plan_rotations(mission(3, Position("inf", INF, units=1, needs=(1, 1, 1))), [])
    with pytest.raises(RotationError, match="position ids repeat"):
        plan_rotations(mission(3, Position("inf", INF, units=1), Position("inf", MED, units=1)), [])
    with pytest.raises(RotationError, match="pool FR/p: tour_months"):
        plan_rotations(mission(3, Position("inf", INF, units=1)), [pool("p", "FR", 2, tour=0)])
    with pytest.raises(RotationError, match="pool keys repeat"):
        plan_rotations(mission(3, Position("inf", INF, units=1)), [pool("p", "FR", 2), pool("p", "FR", 1)])
    # pools of capabilities no position needs do not count towards the bound
    plan = plan_rotations(mission(2, Position("inf", INF, units=1)), [pool("p", "FR", 1, tour=2),
                                                                      pool("m", "FR", MAX_UNITS + 1, cap=MED)])
    assert plan.filled == 2 and plan.pools == ["FR/p"]
