"""Capability planning (kompas.forces.planning): derived requirements, gaps, trends, the loader and the report.

Hand-computed cases throughout; the one published reference is the Helsinki Headline Goal's "around 180,000" troops
for a force of 60,000 sustained a year with rotation (Wikipedia, "Helsinki Headline Goal"; the 1:2 rule of thirds),
which the steady-state pool reproduces exactly (tolerance 0).
"""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.forces import planning
from kompas.forces.model import Caveats, Expert, ForceElement, Register, Requirement, RotationPool, Scenario
from kompas.forces.planning import Demand, PlanningCase, _flow, _Offer


def element(nation: str, ident: str, capabilities: dict[str, int], readiness: int = 5,
            caveats: Caveats | None = None, marking: str = "") -> ForceElement:
    return ForceElement(id=ident, nation=nation, name=ident, type="module", component="land", strength=100,
                        readiness_days=readiness, capabilities=capabilities, caveats=caveats or Caveats(),
                        illustrative=True, marking_key=marking)


def expert(nation: str, ident: str, profile: str, notice: int) -> Expert:
    return Expert(id=ident, nation=nation, profile=profile, notice_days=notice, illustrative=True)


def scenario(name: str, requirements: dict[str, int], response: int = 10, duration: int = 60,
             environment: str = "permissive", distance: float = 1000.0, concurrency: int = 1,
             ready: dict[str, int] | None = None, troops: int = 5000) -> Scenario:
    return Scenario(name=name, requirements=tuple(Requirement(c, q, readiness_days=(ready or {}).get(c))
                                                  for c, q in requirements.items()),
                    response_days=response, duration_days=duration, environment=environment, distance_km=distance,
                    concurrency=concurrency, max_troops=troops)


# -- derived requirements -------------------------------------------------------------------------------------------

def test_derivation_sums_quantity_times_concurrency_and_rotates_long_scenarios() -> None:
    # A: 2 infantry x 2 concurrent, 30 days (inside a 6-month tour: no rotation) -> 4 deployed, 4 in all.
    # B: 3 infantry (requirement readiness 5 days), 365 days -> 3 deployed; pool ceil(3 x (6 + 12) / 6) = 9.
    # infantry: required 4 + 3 = 7, with rotation 4 + 9 = 13, readiness min(10, 5, 20) = 5.
    # medical-role2 (B only): 1 deployed, pool 3, readiness 20 (B's response time).
    a = scenario("A", {"infantry-company": 2}, response=10, duration=30, concurrency=2)
    b = scenario("B", {"infantry-company": 3, "medical-role2": 1}, response=20, duration=365,
                 ready={"infantry-company": 5})
    needs = {n.capability: n for n in planning.derive(PlanningCase.of([a, b]))}
    infantry, medical = needs["infantry-company"], needs["medical-role2"]
    assert (infantry.required, infantry.required_total, infantry.readiness_days) == (7, 13, 5)
    assert (medical.required, medical.required_total, medical.readiness_days) == (1, 3, 20)
    assert [d.rotating for d in infantry.demands] == [False, True]
    assert infantry.scenarios == ["A", "B"]


def test_explicit_counts_override_concurrency_and_a_zero_count_drops_the_scenario() -> None:
    a = scenario("A", {"infantry-company": 2}, concurrency=2)
    b = scenario("B", {"infantry-company": 3, "cimic-team": 1})
    needs = {n.capability: n for n in planning.derive(PlanningCase("x", ((a, 3), (b, 0))))}
    assert needs["infantry-company"].required == 6
    assert "cimic-team" not in needs


def test_rotation_rule_tour_boundary_dwell_and_overlap() -> None:
    # a 6-month tour is 6 x 365.25 / 12 = 182.625 days: 182 days fits one tour, 183 does not
    assert not planning.rotates(182, 6) and planning.rotates(183, 6)
    assert planning.sustained(10, 182) == 10
    assert planning.sustained(10, 183) == 30  # 10 x (6 + 12) / 6
    assert planning.sustained(10, 400, tour_months=6, dwell_months=18) == 40  # 1:3 -> four per deployed
    long = scenario("L", {"infantry-company": 3}, duration=365)
    case = PlanningCase("o", ((long, 1),), overlap=1.15)
    assert planning.derive(case)[0].required_total == 11  # ceil(3 x 3 x 1.15 = 10.35)


def test_civilian_profiles_are_not_multiplied_by_the_military_rotation() -> None:
    civ = scenario("C", {"monitor": 10}, duration=365, response=30)
    (need,) = planning.derive(PlanningCase.of([civ]))
    assert need.civilian and (need.required, need.required_total) == (10, 10)


def test_helsinki_headline_goal_needs_180000_with_rotation() -> None:
    """Published: 60,000 sustained for a year 'would actually have to number around 180,000 troops so as to provide
    rotating replacements' (Wikipedia, Helsinki Headline Goal); the steady-state pool gives it exactly."""
    cases, rejections = planning.load_cases()
    assert rejections == []
    helsinki = next(c for c in cases if c.name == "headline-goal-2003")
    report = planning.annual_report(helsinki, Register(edition="2025"))
    assert report.headline.personnel_ceiling == 60_000
    assert report.headline.personnel_ceiling_total == 180_000
    hq = next(n for n in planning.derive(helsinki) if n.capability == "force-hq")
    assert (hq.required, hq.required_total) == (1, 3)


def test_a_negative_count_or_an_impossible_tour_is_refused() -> None:
    a = scenario("A", {"infantry-company": 1})
    with pytest.raises(ValueError, match="negative"):
        planning.derive(PlanningCase("x", ((a, -1),)))
    with pytest.raises(ValueError, match="tour_months"):
        planning.derive(PlanningCase("x", ((a, 1),), tour_months=0))


# -- gaps -----------------------------------------------------------------------------------------------------------

S1 = scenario("S1", {"infantry-company": 4, "medical-role2": 1, "strategic-airlift": 2, "cyber-defence-team": 1},
              response=10, duration=60, environment="non-permissive", distance=6000)
S2 = scenario("S2", {"infantry-company": 2, "monitor": 3}, response=30, duration=60, environment="permissive",
              distance=2000)
CASE = PlanningCase("hand", ((S1, 1), (S2, 1)))


def hand_register() -> Register:
    return Register.of([
        element("FR", "inf", {"infantry-company": 3}, readiness=5, marking="fr-r"),
        element("DE", "inf", {"infantry-company": 2}, readiness=20, caveats=Caveats(environments=("permissive",))),
        element("IT", "inf", {"infantry-company": 2}, readiness=5, caveats=Caveats(max_distance_km=3000)),
        element("ES", "inf", {"infantry-company": 1}, readiness=5, caveats=Caveats(max_duration_days=30)),
        element("NL", "med", {"medical-role2": 1}, readiness=15),
        RotationPool(id="lift", nation="PL", capability="strategic-airlift", units=1, unit_strength=20,
                     readiness_days=30),
        expert("SE", "m1", "monitor", 10), expert("SE", "m2", "monitor", 10), expert("FI", "m3", "monitor", 40),
        expert("FI", "p1", "police-adviser", 0),
    ], edition="2026")


def test_gaps_on_a_hand_made_register() -> None:
    table = {g.capability: g for g in planning.gaps(CASE, hand_register())}
    inf = table["infantry-company"]
    # S1 (non-permissive, 6,000 km, ready in 10) can only use FR's 3; S2 takes 2 of DE's / IT's; ES's one is barred
    # by its 30-day caveat from both 60-day operations. A plain sum (8 offered >= 6 required) would hide the gap.
    assert (inf.required, inf.required_total, inf.readiness_days) == (6, 6, 10)
    assert (inf.offered, inf.offered_ready, inf.covered, inf.covered_ready) == (8, 6, 5, 5)
    assert (inf.quantity_shortfall, inf.readiness_shortfall, inf.caveat_excluded) == (1, 1, 1)
    assert inf.by_nation == {"FR": 3, "DE": 2, "IT": 2, "ES": 1} and inf.nations == 4
    assert inf.ready_by_nation == {"FR": 3, "IT": 2, "ES": 1}
    assert inf.severity == "partial"  # 5 / 6 covered
    med = table["medical-role2"]  # offered, but ready in 15 days where 10 are asked
    assert (med.covered, med.covered_ready, med.quantity_shortfall, med.readiness_shortfall) == (1, 0, 0, 1)
    assert med.severity == "readiness"
    lift = table["strategic-airlift"]  # a rotation pool of 1 unit against 2
    assert (lift.offered, lift.covered, lift.quantity_shortfall, lift.severity) == (1, 1, 1, "partial")
    cyber = table["cyber-defence-team"]
    assert (cyber.offered, cyber.covered, cyber.nations, cyber.severity) == (0, 0, 0, "critical")
    monitor = table["monitor"]  # experts: two on 10 days' notice, one on 40, against 3 within 30 days
    assert (monitor.offered, monitor.offered_ready, monitor.covered, monitor.covered_ready) == (3, 2, 3, 2)
    assert monitor.severity == "readiness" and monitor.civilian
    order = [g.capability for g in planning.gaps(CASE, hand_register())]
    assert order[0] == "cyber-defence-team" and set(order[-2:]) == {"medical-role2", "monitor"}


def test_gaps_use_only_the_register_passed_in() -> None:
    full = hand_register()
    without_fr = Register.of([r for r in full.records() if r.nation != "FR"], edition="2026")
    inf = next(g for g in planning.gaps(CASE, without_fr) if g.capability == "infantry-company")
    assert "FR" not in inf.by_nation and inf.offered == 5
    assert inf.covered == 2 and inf.severity == "critical"  # S1 now has nothing usable: 2 / 6 < one half
    assert "FR" not in json.dumps([g.as_dict() for g in planning.gaps(CASE, without_fr)])


def test_a_start_day_checks_availability_windows() -> None:
    s = Scenario(name="dated", requirements=(Requirement("eod-team", 1),), response_days=10, duration_days=30,
                 start=date(2026, 3, 1))
    late = ForceElement(id="e", nation="BE", name="e", type="t", component="land", strength=10, readiness_days=1,
                        capabilities={"eod-team": 1}, available_from=date(2026, 3, 2))
    (gap,) = planning.gaps(PlanningCase.of([s]), Register.of([late]))
    assert (gap.offered, gap.covered, gap.caveat_excluded, gap.severity) == (1, 0, 1, "critical")


def _exhaustive(offers: list[_Offer], demands: list[Demand]) -> int:
    """The most units placed, by trying every split of every offer over the demands it may serve."""
    options = []
    for o in offers:
        allowed = [j for j, d in enumerate(demands) if planning._admits(o, d) and o.readiness_days <= d.readiness_days]
        splits = [s for s in itertools.product(range(o.quantity + 1), repeat=len(allowed)) if sum(s) <= o.quantity]
        options.append([(allowed, s) for s in splits])
    best = 0
    for combo in itertools.product(*options):
        got = [0] * len(demands)
        for allowed, split in combo:
            for j, x in zip(allowed, split, strict=True):
                got[j] += x
        best = max(best, sum(min(g, d.deployed) for g, d in zip(got, demands, strict=True)))
    return best


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 20), st.sampled_from(["", "permissive"])),
                min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(1, 4), st.integers(0, 20), st.sampled_from(["permissive", "uncertain"])),
                min_size=1, max_size=2))
def test_the_flow_matches_exhaustive_search(raw_offers: list[tuple[int, int, str]],
                                            raw_demands: list[tuple[int, int, str]]) -> None:
    offers = [_Offer(f"N{i}", q, r, Caveats(environments=(env,) if env else ()))
              for i, (q, r, env) in enumerate(raw_offers)]
    demands = []
    for j, (q, r, env) in enumerate(raw_demands):
        s = scenario(f"S{j}", {"eod-team": q}, response=r, environment=env)
        demands.append(Demand(s, s.requirements[0], 1, q, q, r, False))
    assert _flow(offers, demands, total=False) == _exhaustive(offers, demands)


# -- trends ---------------------------------------------------------------------------------------------------------

TREND_CASE = PlanningCase.of([scenario("T", {"infantry-company": 4, "medical-role2": 1, "satcom-terminal": 1},
                                       response=10)])


def editions() -> tuple[Register, Register]:
    old = Register.of([element("FR", "inf", {"infantry-company": 3}), element("NL", "sat", {"satcom-terminal": 1}),
                       element("IT", "uav", {"isr-uav": 2}, readiness=10)], edition="2025")
    new = Register.of([element("FR", "inf", {"infantry-company": 4}),
                       element("NL", "sat", {"satcom-terminal": 1}, readiness=30),
                       element("DE", "med", {"medical-role2": 1})], edition="2026")
    return old, new


def test_trends_between_two_editions() -> None:
    old, new = editions()
    t = planning.trends([new, old], TREND_CASE)  # any order in, oldest first out
    assert t.editions == ("2025", "2026")
    inf, med, sat, uav = (t.row(c) for c in ("infantry-company", "medical-role2", "satcom-terminal", "isr-uav"))
    assert inf is not None and med is not None and sat is not None and uav is not None
    assert (inf.offered, inf.change, inf.severity) == ((3, 4), 1, ("partial", "none"))
    assert (med.offered, med.severity) == ((0, 1), ("critical", "none"))
    assert (sat.offered, sat.fastest_days, sat.severity) == ((1, 1), (5, 30), ("none", "readiness"))
    assert (uav.offered, uav.change, uav.required, uav.severity) == ((2, 0), -2, None, None)
    (change,) = t.changes
    assert (change.before, change.after) == ("2025", "2026")
    assert set(change.closed) == {"infantry-company", "medical-role2"} and change.opened == ("satcom-terminal",)
    assert change.offered_change == {"infantry-company": 1, "medical-role2": 1, "isr-uav": -2}
    nations = {(n.nation, n.capability): (n.quantities, n.change) for n in t.nations}
    assert nations[("FR", "infantry-company")] == ((3, 4), 1)
    assert nations[("DE", "medical-role2")] == ((0, 1), 1)
    assert nations[("IT", "isr-uav")] == ((2, 0), -2)


def test_trends_without_a_case_and_the_weighted_median() -> None:
    old = Register.of([element("FR", "a", {"eod-team": 1}, readiness=5),
                       element("BE", "b", {"eod-team": 3}, readiness=10)], edition="2025")
    new = Register.of([element("FR", "a", {"eod-team": 3}, readiness=5),
                       element("BE", "b", {"eod-team": 1}, readiness=10)], edition="2026")
    (row,) = planning.trends([old, new]).rows
    assert row.median_days == (10, 5) and row.fastest_days == (5, 5) and row.nations == (2, 2)
    assert row.severity is None and planning.trends([old, new]).changes[0].closed == ()


def test_trends_refuse_a_repeated_or_missing_edition() -> None:
    old, _ = editions()
    with pytest.raises(ValueError, match="twice"):
        planning.trends([old, old])
    with pytest.raises(ValueError, match="edition"):
        planning.trends([old, Register()])


# -- the report -----------------------------------------------------------------------------------------------------

def test_annual_report_headline_tables_and_json() -> None:
    old, new = editions()
    assumed = PlanningCase("trend", TREND_CASE.entries, assumed=("the combination is assumed",))
    report = planning.annual_report(assumed, [old, new])
    h = report.headline
    assert (report.edition, report.editions, h.previous_edition) == ("2026", ("2025", "2026"), "2025")
    assert (h.capabilities_required, h.capabilities_met) == (3, 2)
    assert h.gaps_by_severity == {"none": 2, "readiness": 1, "partial": 0, "critical": 0}
    assert (h.units_required, h.units_covered, h.units_covered_ready) == (6, 6, 5)
    assert h.readiness_coverage == pytest.approx(5 / 6) and h.nations == 3
    assert set(h.closed_since) == {"infantry-company", "medical-role2"} and h.opened_since == ("satcom-terminal",)
    assert report.gaps[0].capability == "satcom-terminal"
    assert report.trends is not None and report.trends.row("isr-uav") is not None
    assert report.illustrative and "case trend: the combination is assumed" in report.assumptions
    data = json.loads(json.dumps(report.as_dict()))
    assert data["headline"]["gaps_by_severity"]["readiness"] == 1
    assert [g["capability"] for g in data["gaps"]][0] == "satcom-terminal"
    assert data["trends"]["changes"][0]["opened"] == ["satcom-terminal"]
    assert "Compass" in data["meeting"] and "viewer" in data["scope"]


def test_report_carries_the_markings_of_what_it_used() -> None:
    report = planning.annual_report(CASE, hand_register())
    assert report.marking_keys == ("fr-r",)
    assert report.trends is None and report.headline.previous_edition is None


# -- the loader -----------------------------------------------------------------------------------------------------

GOOD = """
sources:
  src: {title: a source, url: https://example.org/a}
scenarios:
  - name: good
    sources: [src]
    response_days: {value: 5, assumed: "not published"}
    duration_days: {value: 30, source: src, note: "as published"}
    environment: uncertain
    distance_km: 1200
    requirements:
      - {capability: infantry-company, quantity: 2}
      - {capability: monitor, quantity: {value: 3, assumed: "a guess"}, readiness_days: 3}
"""


def _with(extra: str) -> str:
    return GOOD + extra


def test_the_loader_reads_figures_sources_and_assumptions() -> None:
    (s,), rejections = planning.parse_scenarios(GOOD, "x.yaml")
    assert rejections == []
    assert (s.response_days, s.duration_days, s.environment, s.distance_km) == (5, 30, "uncertain", 1200.0)
    assert s.requirements[1] == Requirement("monitor", 3, readiness_days=3)
    assert s.sources == ("https://example.org/a",) and s.source_url == "https://example.org/a"
    assert s.assumed == ("response_days = 5: not published", "requirements[2].quantity = 3: a guess")
    assert s.illustrative  # assumed figures make it illustrative


@pytest.mark.parametrize(("entry", "field", "words"), [
    ("{name: b, response_days: ten, duration_days: 5, requirements: [{capability: eod-team, quantity: 1}]}",
     "response_days", "whole number"),
    ("{name: b, response_days: 1, duration_days: 5, requirements: [{capability: tanks, quantity: 1}]}",
     "requirements[1].capability", "unknown capability"),
    ("{name: b, response_days: 1, duration_days: 5, requirements: [{capability: eod-team, quantity: 0}]}",
     "requirements[1].quantity", "from 1"),
    ("{name: b, response_days: 1, duration_days: 5, environment: hostile, "
     "requirements: [{capability: eod-team, quantity: 1}]}", "environment", "one of"),
    ("{name: b, response_days: 1, durration_days: 5, requirements: [{capability: eod-team, quantity: 1}]}",
     "durration_days", "unknown field"),
    ("{name: b, response_days: 1, requirements: [{capability: eod-team, quantity: 1}]}", "duration_days",
     "missing"),
    ("{name: b, sources: [nowhere], response_days: 1, duration_days: 5, "
     "requirements: [{capability: eod-team, quantity: 1}]}", "sources", "unknown source"),
    ("{name: b, response_days: {value: 1, source: src, assumed: x}, duration_days: 5, "
     "requirements: [{capability: eod-team, quantity: 1}]}", "response_days", "both"),
    ("{name: b, response_days: {value: 1}, duration_days: 5, requirements: [{capability: eod-team, quantity: 1}]}",
     "response_days", "needs 'source'"),
    ("{name: b, response_days: 1, duration_days: 5, requirements: []}", "requirements", "non-empty"),
    ("{name: b, response_days: 1, duration_days: 5, requirements: [{capability: eod-team, quantity: 1}, "
     "{capability: eod-team, quantity: 2}]}", "requirements[2].capability", "twice"),
    ("{name: b, response_days: 1, duration_days: 5, distance_km: -3, "
     "requirements: [{capability: eod-team, quantity: 1}]}", "distance_km", "distance"),
])
def test_a_malformed_entry_is_rejected_precisely_and_the_good_one_kept(entry: str, field: str, words: str) -> None:
    found, rejections = planning.parse_scenarios(_with(f"  - {entry}\n"), "x.yaml")
    assert [s.name for s in found] == ["good"]
    (r,) = rejections
    assert (r.source, r.line, r.unit, r.field) == ("x.yaml", 2, "item", field)
    assert words in r.reason and r.reason.startswith("scenario b: ")
    assert str(r).startswith(f"x.yaml: item 2: {field}: scenario b: ")


def test_a_repeated_name_keeps_the_first() -> None:
    found, rejections = planning.parse_scenarios(
        _with("  - {name: good, response_days: 1, duration_days: 5, requirements: [{capability: eod-team, "
              "quantity: 1}]}\n"), "x.yaml")
    assert [s.response_days for s in found] == [5]
    assert [(r.line, r.field) for r in rejections] == [(2, "name")]


def test_yaml_aliases_and_wrong_shapes_are_refused() -> None:
    aliased = ("scenarios:\n  - &a {name: a, response_days: 1, duration_days: 5, "
               "requirements: [{capability: eod-team, quantity: 1}]}\n  - *a\n")
    found, rejections = planning.parse_scenarios(aliased, "x.yaml")
    assert found == [] and len(rejections) == 1 and "aliases" in rejections[0].reason
    assert rejections[0].line == 0
    for text in ("[1, 2]", "scenarios: {a: 1}", "sources: {}\n", "scenarios: [1]"):
        found, rejections = planning.parse_scenarios(text, "x.yaml")
        assert found == [] and len(rejections) == 1, text


def test_cases_reject_unknown_scenarios_and_keep_good_ones() -> None:
    text = _with("cases:\n  - {name: ok, scenarios: {good: 2}, tour_months: 4}\n"
                 "  - {name: bad, scenarios: {missing: 1}}\n  - {name: bad2, scenarios: {good: 1}, overlap: 0.5}\n")
    cases, rejections = planning.load_cases(text, source="x.yaml")
    assert [(c.name, c.entries[0][1], c.tour_months) for c in cases] == [("ok", 2, 4)]
    assert [(r.line, r.field) for r in rejections] == [(2, "scenarios.missing"), (3, "overlap")]


def test_scenario_from_dict_single_mapping_or_document() -> None:
    good = {"name": "p", "sources": ["https://example.org/p"], "response_days": 3, "duration_days": 9,
            "requirements": [{"capability": "eod-team", "quantity": 2}]}
    s, rejections = planning.scenario_from_dict(good, "posted")
    assert s is not None and rejections == [] and s.sources == ("https://example.org/p",)
    s, rejections = planning.scenario_from_dict({**good, "response_days": -1}, "posted")
    assert s is None and [(r.line, r.field) for r in rejections] == [(1, "response_days")]
    document = yaml.safe_load(GOOD)
    s, rejections = planning.scenario_from_dict(document, "posted")
    assert s is not None and s.name == "good" and rejections == []


# -- the shipped scenarios ------------------------------------------------------------------------------------------

def test_the_shipped_scenarios_load_cleanly_and_cite_sources() -> None:
    found, rejections = planning.load_scenarios()
    assert rejections == [] and len(found) == 8
    names = {s.name for s in found}
    assert {"rdc-initial-stabilisation", "rdc-rescue-evacuation", "rdc-hadr", "rdc-conflict-prevention",
            "rdc-peace-enforcement", "eu-battlegroup", "helsinki-headline-goal", "civilian-200-in-30"} == names
    for s in found:
        assert s.sources and all(u.startswith(("https://", "http://")) for u in s.sources), s.name
        assert s.illustrative and s.assumed, s.name  # no capability breakdown is public: all say so
    cases, rejections = planning.load_cases()
    assert rejections == [] and len(cases) == 4


def test_every_shipped_figure_is_cited_or_marked_assumed() -> None:
    from kompas.files import read_packaged

    document = yaml.safe_load(read_packaged(planning.BUNDLED))
    figures = ("response_days", "duration_days", "environment", "distance_km", "max_troops", "concurrency")
    for entry in document["scenarios"]:
        for raw in [entry[f] for f in figures] + [r["quantity"] for r in entry["requirements"]]:
            assert isinstance(raw, dict) and ("source" in raw) != ("assumed" in raw), (entry["name"], raw)


def test_shipped_published_figures() -> None:
    """The published figures (sources in the file): Battlegroup 1,500 troops, 10 days after the decision, up to 120
    days, 6,000 km, two at once; Helsinki 60 days, a year, 4,000 km, 60,000; RDC 5,000; civilian 200 in 30 days."""
    by = {s.name: s for s in planning.load_scenarios()[0]}
    bg, hhg, civ = by["eu-battlegroup"], by["helsinki-headline-goal"], by["civilian-200-in-30"]
    assert (bg.max_troops, bg.response_days, bg.duration_days, bg.distance_km, bg.concurrency) == \
        (1500, 10, 120, 6000.0, 2)
    assert (hhg.response_days, hhg.duration_days, hhg.distance_km, hhg.max_troops) == (60, 365, 4000.0, 60_000)
    assert all(by[n].max_troops == 5000 for n in by if n.startswith("rdc-"))
    assert (civ.response_days, civ.max_troops, sum(r.quantity for r in civ.requirements)) == (30, 200, 200)
    assert planning.civilian(civ) and not planning.civilian(bg)
