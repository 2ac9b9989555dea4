"""Resilience (kompas.mobility.stress): removals re-planned exactly, the incremental ranking equal to a full
recomputation (on a grid built here and on the German RINF graph), the Suwałki gap as an area."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import LineString

from kompas.infra.areas import Area, buffer_km
from kompas.mobility import load
from kompas.mobility.model import Link, Network, Place
from kompas.mobility.network import Graph
from kompas.mobility.route import Needs, Planner
from kompas.mobility.stress import Corridor, Ranking, stress

TANKS = Needs(name="tanks", mass_t=62.3, mlc=70, vehicles=110)


def _ladder(n: int = 8) -> Network:
    """Two parallel roads joined by rungs: every rung and rail is a candidate, some removals break nothing."""
    net = Network()
    for side in (0, 1):
        for i in range(n):
            net.places[f"{side}-{i}"] = Place(f"{side}-{i}", f"S{side}P{i}", 20 + i * 0.1, 50 + side * 0.1)
    for side, speed in ((0, 80.0), (1, 60.0)):
        for i in range(n - 1):
            net.links[f"r{side}-{i}"] = Link(f"r{side}-{i}", f"{side}-{i}", f"{side}-{i + 1}", "road", 7.0,
                                             maxspeed_kmh=speed)
    for i in range(0, n, 2):
        net.links[f"rung-{i}"] = Link(f"rung-{i}", f"0-{i}", f"1-{i}", "road", 11.0, maxspeed_kmh=50.0)
    net.links["weak"] = Link("weak", "0-3", "0-4", "road", 1.0, maxspeed_kmh=80.0, bridge=True, maxweight_t=20.0)
    return net


def test_ranking_equals_full_recomputation_and_the_exact_planner() -> None:
    net = _ladder()
    corridors = [Corridor("a", "0-0", "0-7"), Corridor("b", "1-0", "0-6"), Corridor("c", "0-1", "1-7")]
    ranking = Ranking(net, TANKS)
    quick = ranking.rank(corridors, limit=500)
    assert quick == ranking.rank(corridors, limit=500, full=True)
    assert quick, "some element on the paths matters"
    planner = Planner(Graph(net))
    for rank in quick:
        after = Planner(Graph(net).without([rank.element]))
        for c in corridors:
            before = planner.plan(TANKS, c.origin, c.destination, cost=False).hours
            now = after.plan(TANKS, c.origin, c.destination, cost=False).hours
            if c.name in rank.failed:
                assert now is None
            elif c.name in rank.corridors:
                assert now > before + 1e-9
            else:
                assert now == pytest.approx(before)
        added = sum(after.plan(TANKS, c.origin, c.destination, cost=False).hours
                    - planner.plan(TANKS, c.origin, c.destination, cost=False).hours
                    for c in corridors if c.name in rank.corridors and c.name not in rank.failed)
        assert rank.added_hours == pytest.approx(added, abs=1e-3)
    assert "weak" not in {r.element for r in quick}, "the 20 t bridge is never on a 62 t package's path"
    assert all(r.element not in ("0-0", "0-7", "1-0", "0-6", "0-1", "1-7") for r in quick), "no corridor end"


def test_stress_names_what_failed_and_the_detour() -> None:
    net = _ladder()
    corridors = [Corridor("a", "0-0", "0-7"), Corridor("b", "0-0", "1-0")]
    result = stress(net, corridors, TANKS, ["r0-2"])
    a, b = result.outcomes
    assert a.lost == ("r0-2",) and a.added_hours > 0 and not a.failed
    assert b.lost == () and b.added_hours == 0
    detour = stress(net, corridors, TANKS, ["rung-0"])
    assert detour.failed == [] and detour.outcomes[0].added_hours == 0 and detour.outcomes[1].added_hours > 0
    cut = stress(net, corridors, TANKS, ["rung-0", "r0-0"])  # 0-0 is left with no link
    assert cut.failed == ["a", "b"] and all(o.after_hours is None for o in cut.outcomes)


def test_the_suwalki_gap_as_an_area_cuts_the_test_corridor() -> None:
    """Everything within 15 km of the Suwałki gap's line (Belarus to Kaliningrad, Natural Earth 50m) is lost: the
    line passes by Suwałki itself, so the test network's loading ramp and its rail border point (Trakiszki) lie in
    it while Mockava, 24 km from the line, does not; the corridor fails."""
    from kompas.services.mobility import removal

    net = load.named("gauge-test")
    gap = load.suwalki_gap()
    assert gap.km == pytest.approx(66.0, abs=0.5)
    area = Area(buffer_km(LineString([gap.point_a, gap.point_b]), 15.0), "Suwałki gap, 15 km", 15.0)
    gone = removal(net, (), area)
    assert {"test:trakiszki", "test:suwalki-station", "test:suwalki-yard"} <= set(gone)
    assert "test:mockava" not in gone
    assert "test:kaunas-station" not in gone and "test:rukla" not in gone
    result = stress(net, [Corridor("Suwałki – Rukla", "test:suwalki-barracks", "test:rukla")], TANKS,
                    [g for g in gone if g not in ("test:suwalki-barracks",)], {"LT": 7.0})
    assert result.failed == ["Suwałki – Rukla"]


@pytest.fixture(scope="module")
def de_rail() -> Network:
    try:
        return load.named("de-rail")
    except load.MissingData as exc:
        pytest.skip(str(exc))


@pytest.mark.shared
def test_ranking_on_the_german_rail_graph(de_rail: Network) -> None:
    """The shipped corridors: every one has a plan; the incremental ranking of two of them equals the full
    recomputation, and its top elements break or slow what they say when re-planned exactly."""
    corridors = [Corridor(str(c["name"]), str(c["from"]), str(c["to"])) for c in load.corridors("de-rail")]
    assert len(corridors) == 8
    planner = Planner(Graph(de_rail))
    hours = {c.name: planner.plan(TANKS, c.origin, c.destination, cost=False).hours for c in corridors}
    assert all(h is not None and 3 < h < 15 for h in hours.values()), hours
    ranking = Ranking(de_rail, TANKS)
    two = corridors[:2]
    quick = ranking.rank(two, limit=500)
    assert quick == ranking.rank(two, limit=500, full=True)
    slowed = [r for r in quick if not r.failed]
    assert slowed, "some elements of the Rotterdam and Antwerp routes have detours"
    worst = slowed[0]
    after = Planner(Graph(de_rail).without([worst.element]))
    added = sum(after.plan(TANKS, c.origin, c.destination, cost=False).hours - hours[c.name]
                for c in two if c.name in worst.corridors)
    assert worst.added_hours == pytest.approx(added, abs=1e-3)
    assert not math.isinf(worst.added_hours)


def test_a_border_is_closed_by_its_key() -> None:
    """``border:LT`` (an obstacle's key) removes every link crossing into or out of Lithuania: on the test network
    the one rail link from Trakiszki (PL) to Mockava (LT)."""
    from kompas.services.mobility import MobilityError, removal

    net = load.named("gauge-test")
    assert removal(net, ["border:LT"]) == ["test:rail-2"] == removal(net, ["border:pl"])
    with pytest.raises(MobilityError, match="crosses into or out of XX"):
        removal(net, ["border:XX"])
