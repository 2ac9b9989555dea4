"""Stress tests on the 2022 cable map: the November 2024 cuts, corridors, supplier scenarios, ranking, and the
incremental computation checked against full recomputation on random scenarios."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.infra.areas import parse_area
from kompas.infra.stress import Scenario, Stress, StressError, rank, recompute

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def run(infra_dir) -> Stress:
    from kompas.infra.load import cable_vintage

    return Stress(cable_vintage("2022"))


def test_c_lion1_is_finlands_only_direct_cable_to_germany(run: Stress) -> None:
    """November 2024 (reference): C-Lion1 is Finland's only direct cable to Germany; without it Finland reaches
    Germany only through Sweden, Estonia or Denmark (with Russia avoided): Finland's exits towards Germany are
    Sweden and Estonia, and the shortest routes run through Sweden and Denmark."""
    result = run.run(Scenario(remove=("C-Lion1",), avoid=("RU",)), focus=("FI",))
    assert [r.as_dict() for r in result.rows] == [
        {"from_country": "FI", "to_country": "DE", "kind": "cables", "before": 1.0, "after": 0.0, "unit": "cables"}]
    assert result.disconnected == []  # Finland still reaches Germany
    alt = result.alternatives["FI-DE"]
    assert alt["reachable"] and alt["exits"] == ["EE", "SE"] and alt["transit"] == ["DK", "SE"]
    assert set(alt["exits"]) | set(alt["transit"]) == {"SE", "EE", "DK"}
    assert alt["shortest_hops"] == 3 and alt["paths"][0]["countries"] == ["FI", "SE", "DK", "DE"]
    without_avoid = run.run(Scenario(remove=("cable:c-lion1",)), focus=("FI",)).alternatives["FI-DE"]
    assert without_avoid["exits"] == ["EE", "RU", "SE"]  # Russia is a way out only if not avoided


def test_november_2024_both_cuts(run: Stress) -> None:
    """C-Lion1 and BCS East-West Interlink (17-18 November 2024): FI-DE and LT-SE each lose their cable; Lithuania
    keeps Sweden through Latvia; nothing is disconnected."""
    result = run.run(Scenario(remove=("C-Lion1", "BCS East-West Interlink")))
    rows = {(r.from_country, r.to_country): (r.before, r.after) for r in result.rows}
    assert rows[("DE", "FI")] == (1, 0)
    assert rows[("LT", "SE")][1] < rows[("LT", "SE")][0]
    assert result.disconnected == []
    assert {r["name"] for r in result.removed} == {"C-Lion1", "BCS East-West Interlink"}


def test_a_corridor_across_the_gulf_of_finland(run: Stress) -> None:
    """A 10 km corridor across the Gulf of Finland (an anchor track from off Porkkala to off Tallinn) cuts the
    Finland-Estonia cables; the routes are drawn, and the answer says so."""
    track = {"type": "LineString", "coordinates": [[24.3, 59.95], [24.6, 59.75], [24.9, 59.55]]}
    result = run.run(Scenario(area=parse_area(json.dumps(track), 10)))
    names = {r["name"] for r in result.removed}
    assert {"Finland Estonia Connection (FEC)", "Finland-Estonia 2 (EESF-2)"} <= names
    ee_fi = next(r for r in result.rows if (r.from_country, r.to_country) == ("EE", "FI"))
    assert ee_fi.before == 4 and ee_fi.after < 4
    assert any("drawn, not surveyed" in c for c in result.caveats)


def test_everything_from_one_supplier(run: Stress) -> None:
    """Every cable HMN Tech supplied (35 on the 2022 map) out at once: the rows agree with full recomputation."""
    scenario = Scenario(suppliers=("HMN Tech",))
    result = run.run(scenario, alternatives=False)
    assert len(result.removed) == 35 and all(r["why"] == "supplier HMN Tech" for r in result.removed)
    assert sorted(result.rows, key=_key) == sorted(recompute(run.network, scenario), key=_key)


def test_names_are_checked(run: Stress) -> None:
    with pytest.raises(StressError, match="no element is named 'C-Lion2'"):
        run.run(Scenario(remove=("C-Lion2",)))
    with pytest.raises(StressError, match="removes nothing"):
        run.run(Scenario())
    with pytest.raises(StressError, match="no element has supplier"):
        run.run(Scenario(suppliers=("Acme Cables",)))
    assert run.run(Scenario(remove=("c-lion1",))).rows  # ids and names, any case


def test_landing_station_loss(run: Stress) -> None:
    """Losing the Helsinki landing station (eight of Finland's cables land there) leaves Finland and Estonia
    without a direct cable: all four FI-EE cables land in Helsinki."""
    result = run.run(Scenario(remove=("landing:helsinki-finland",)), focus=("FI",))
    rows = {(r.from_country, r.to_country): (r.before, r.after) for r in result.rows}
    assert rows[("FI", "EE")] == (4, 0)


def test_rank_finland(run: Stress) -> None:
    """Ranked by damage in Finland: the Helsinki landing station first (it empties FI-EE), then the sole cables to
    Germany and Russia."""
    ranked = rank(run.network, countries=("FI",), prepared=run)
    assert ranked[0]["ref"] == "landing:helsinki-finland"
    assert {r["ref"] for r in ranked[1:3]} == {"cable:c-lion1", "cable:bcs-north---phase-2"}
    assert all(r["pairs_without_direct"] == 1 for r in ranked[:3])


def _key(row):  # noqa: ANN001, ANN202
    return (row.from_country, row.to_country, row.kind)


@pytest.fixture(scope="module")
def refs(run: Stress) -> list[str]:
    europe = {"FI", "SE", "EE", "DE", "DK", "PL", "LT", "LV", "NO", "GB", "IE", "FR", "NL", "BE", "IT", "GR", "MT"}
    out = [r for r, c in run.graph.carriers.items() if set(c.countries) & europe and len(c.countries) > 1]
    out += [lm.ref for lm in run.network.landings.values() if lm.country in europe]
    return sorted(out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_incremental_equals_full_recomputation(run: Stress, refs: list[str], data: st.DataObject) -> None:
    """For random sets of cables and landing stations around Europe, the incremental stress test gives exactly
    the rows a full rebuild of the graph gives."""
    chosen = tuple(data.draw(st.lists(st.sampled_from(refs), min_size=1, max_size=8, unique=True)))
    scenario = Scenario(remove=chosen)
    fast = sorted(run.run(scenario, alternatives=False).rows, key=_key)
    assert fast == sorted(recompute(run.network, scenario), key=_key)
    assert fast or all(r.startswith("landing:") for r in chosen)  # an international cable always changes a pair
