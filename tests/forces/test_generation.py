"""Force generation against exhaustive search (the issue's optimality reference) and the minimality of the missing
set, checked by removal; caveats, readiness and the troop ceiling enforced."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from kompas.forces.generation import GenerationError, Weights, exhaustive, generate
from kompas.forces.model import Caveats, ForceElement, Requirement, Scenario

CAPS = ("infantry-company", "medical-role2", "utility-helicopter", "force-hq")
NATIONS = ("AT", "BE", "CZ", "DE")


def element(i: int, nation: str, caps: dict[str, int], strength: int, ready: int = 5, **kw) -> ForceElement:
    return ForceElement(f"e{i}", nation, f"element {i}", "test", "land", strength, ready, caps, **kw)


def scenario(reqs: dict[str, int] | tuple[Requirement, ...], max_troops: int = 5000, **kw) -> Scenario:
    r = reqs if isinstance(reqs, tuple) else tuple(Requirement(c, q) for c, q in reqs.items())
    return Scenario("test", r, kw.pop("response_days", 10), kw.pop("duration_days", 90), max_troops=max_troops, **kw)


def test_the_smallest_fair_force_on_a_hand_case() -> None:
    # two infantry options: AT alone (2 companies, 500 troops) or BE + CZ (300 + 250)
    els = [element(1, "AT", {"infantry-company": 2}, 500), element(2, "BE", {"infantry-company": 1}, 300),
           element(3, "CZ", {"infantry-company": 1}, 250), element(4, "AT", {"medical-role2": 1}, 60)]
    s = scenario({"infantry-company": 2, "medical-role2": 1})
    small = generate(els, s, Weights(troops=1, fairness=0))  # the smallest force: AT alone, 560 troops
    assert small.status == "optimal"
    assert sorted(e.key for e in small.chosen) == ["AT/e1", "AT/e4"]
    assert small.troops == 560 and small.shares == {"AT": 560} and small.objective == 560
    # the default weighs the largest national share too: 2*610 + 300 = 1520 beats AT alone, 2*560 + 560 = 1680
    fair = generate(els, s)
    assert sorted(e.key for e in fair.chosen) == ["AT/e4", "BE/e2", "CZ/e3"]
    assert fair.peak == 300 and fair.objective == 1520
    covers = {c.requirement.capability: c.covered for c in fair.covers}
    assert covers == {"infantry-company": 2, "medical-role2": 1}


def test_one_unit_never_counts_for_two_requirements() -> None:
    els = [element(1, "AT", {"infantry-company": 2}, 400), element(2, "BE", {"infantry-company": 1}, 150)]
    reqs = (Requirement("infantry-company", 2, task="evacuation"), Requirement("infantry-company", 1, task="security"))
    g = generate(els, scenario(reqs))
    assert g.status == "optimal" and g.troops == 550
    assert sum(c.covered for c in g.covers) == 3


def test_caveats_readiness_and_windows_exclude_with_reasons() -> None:
    els = [element(1, "AT", {"infantry-company": 1}, 100, ready=30),
           element(2, "BE", {"infantry-company": 1}, 100, caveats=Caveats(environments=("permissive",))),
           element(3, "CZ", {"infantry-company": 1}, 100, caveats=Caveats(max_distance_km=4000)),
           element(4, "DE", {"infantry-company": 1}, 100, caveats=Caveats(max_duration_days=60)),
           element(5, "FR", {"infantry-company": 1}, 100, available_to=date(2027, 1, 31)),
           element(6, "NL", {"medical-role2": 1}, 50)]
    s = scenario({"infantry-company": 1}, environment="non-permissive", distance_km=6000, duration_days=120,
                 start=date(2027, 1, 1))
    g = generate(els, s)
    assert g.status == "infeasible"
    reasons = {x.key: x.reason for x in g.excluded}
    assert set(reasons) == {"AT/e1", "BE/e2", "CZ/e3", "DE/e4", "FR/e5"}
    assert "ready in 30 days" in reasons["AT/e1"] and "non-permissive" in reasons["BE/e2"]
    assert "4000 km" in reasons["CZ/e3"] and "60 days" in reasons["DE/e4"] and "2027-01-31" in reasons["FR/e5"]
    assert g.irrelevant == 1
    [m] = g.missing
    assert m.requirement.capability == "infantry-company" and m.offered == 5 and m.eligible == 0
    assert "no element eligible" in m.reason


def test_not_with_and_requires_are_respected() -> None:
    els = [element(1, "AT", {"infantry-company": 1}, 100, caveats=Caveats(not_with=("BE",))),
           element(2, "BE", {"medical-role2": 1}, 50),
           element(3, "CZ", {"medical-role2": 1}, 80),
           element(4, "DE", {"infantry-company": 1}, 300, caveats=Caveats(requires=("force-protection-company",))),
           element(5, "NL", {"force-protection-company": 1}, 400)]
    g = generate(els, scenario({"infantry-company": 1, "medical-role2": 1}))
    # AT refuses BE, so the cheaper BE medical cannot join AT; AT + CZ (180) beats BE + DE + NL (750)
    assert sorted(e.key for e in g.chosen) == ["AT/e1", "CZ/e3"]
    only_de = [e for e in els if e.key != "AT/e1"]
    g2 = generate(only_de, scenario({"infantry-company": 1, "medical-role2": 1}))
    assert {e.key for e in g2.chosen} == {"DE/e4", "NL/e5", "BE/e2"}  # DE brings the force protection it requires


def test_an_element_too_slow_for_a_requirement_still_meets_another_elements_requires() -> None:
    """Found by the stranger review: B (ready in 10 days) cannot serve the 5-day engineer requirement, but it is
    what A's caveat "requires an engineer company from another element" needs; {A, B} is the force."""
    a = element(1, "PL", {"engineer-company": 3}, 100, ready=1, caveats=Caveats(requires=("engineer-company",)))
    b = element(2, "FR", {"engineer-company": 1}, 50, ready=10)
    s = scenario((Requirement("engineer-company", 3, readiness_days=5),), response_days=15)
    g = generate([a, b], s)
    assert g.status == "optimal" and {e.key for e in g.chosen} == {"PL/e1", "FR/e2"}
    assert g.objective == 2 * 150 + 100 == exhaustive([a, b], s)[0]


def test_the_ceiling_binds_and_is_named() -> None:
    els = [element(1, "AT", {"infantry-company": 2}, 3000), element(2, "BE", {"medical-role2": 1}, 2500)]
    g = generate(els, scenario({"infantry-company": 2, "medical-role2": 1}))
    assert g.status == "infeasible" and g.ceiling_binds is True and g.troops_without_ceiling == 5500
    assert len(g.missing) == 1 and "within 5000 troops" in g.missing[0].reason


def test_too_large_is_refused() -> None:
    with pytest.raises(GenerationError, match="at most"):
        generate([], scenario(tuple(Requirement("force-hq", 1) for _ in range(201))))
    with pytest.raises(GenerationError, match="weights"):
        generate([], scenario({"force-hq": 1}), Weights(0, 0))


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[ForceElement], Scenario]:
    n = draw(st.integers(1, 8))
    els = []
    for i in range(n):
        caps = draw(st.dictionaries(st.sampled_from(CAPS), st.integers(1, 3), min_size=1, max_size=2))
        not_with = draw(st.lists(st.sampled_from(NATIONS), max_size=1))
        requires = draw(st.lists(st.sampled_from(CAPS), max_size=1)) if draw(st.booleans()) else []
        els.append(element(i, draw(st.sampled_from(NATIONS)), caps, draw(st.integers(10, 900)),
                           ready=draw(st.integers(1, 20)),
                           caveats=Caveats(not_with=tuple(not_with), requires=tuple(requires))))
    reqs = []
    for cap in draw(st.lists(st.sampled_from(CAPS), min_size=1, max_size=3)):
        reqs.append(Requirement(cap, draw(st.integers(1, 4)), task=draw(st.sampled_from(("", "a", "b"))),
                                readiness_days=draw(st.none() | st.integers(1, 20))))
    s = scenario(tuple(reqs), max_troops=draw(st.integers(300, 3000)), response_days=draw(st.integers(5, 20)))
    return els, s


@settings(max_examples=50, deadline=None, derandomize=True)
@given(cases(), st.sampled_from([Weights(), Weights(1, 0), Weights(2, 5)]))
def test_the_optimum_equals_exhaustive_search(case: tuple[list[ForceElement], Scenario], w: Weights) -> None:
    els, s = case
    note(f"elements={els!r}\nscenario={s!r}")
    g = generate(els, s, w, workers=1)
    best, fewest = exhaustive(els, s, w)
    if best is None:
        assert g.status == "infeasible" and g.missing_status == "optimal"
        assert len(g.missing) == fewest >= 1
        # minimal by removal: requiring any one missing requirement again (the others still relaxed) is infeasible
        missing = {m.index for m in g.missing}
        for m in g.missing:
            kept = tuple(r for j, r in enumerate(s.requirements) if j not in missing or j == m.index)
            assert generate(els, replace(s, requirements=kept), w, workers=1).status == "infeasible"
        rest = tuple(r for j, r in enumerate(s.requirements) if j not in missing)
        assert generate(els, replace(s, requirements=rest), w, workers=1).status == "optimal"
        # the force given covers the rest, and as much of the missing as it can: when it can cover none of them,
        # it is the optimum for the rest; it never costs less than that optimum
        assert g.partial
        assert all(c.covered >= c.requirement.quantity for j, c in enumerate(g.covers) if j not in missing)
        assert all(c.covered < c.requirement.quantity for j, c in enumerate(g.covers) if j in missing)
        best_rest = exhaustive(els, replace(s, requirements=rest), w)[0]
        assert best_rest is not None and g.objective is not None and g.objective >= best_rest
        if all(c.covered == 0 for j, c in enumerate(g.covers) if j in missing):
            assert g.objective == best_rest
    else:
        assert g.status == "optimal" and g.objective == best
        assert g.troops <= s.max_troops
        for c in g.covers:
            assert c.covered >= c.requirement.quantity
