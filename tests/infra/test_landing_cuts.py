"""Cutting landing stations, on small hand-made networks: a cut station takes its country off a cable only when no
other known landing of that cable is in the country; countries a contributed cable lists without a known landing
stay; a contributed correction of a landing's country counts; the incremental answer equals full recomputation."""

from __future__ import annotations

import pytest

from kompas.infra.model import Cable, Landing, Network
from kompas.infra.stress import Scenario, Stress, recompute


def _network() -> Network:
    n = Network()
    for lid, country in (("hanko", "FI"), ("helsinki", "FI"), ("tallinn", "EE"), ("stockholm", "SE")):
        n.add(Landing(lid, lid.title(), country, 24.0, 60.0))
    n.add(Cable("a", "A", ("hanko", "tallinn", "stockholm"), ("EE", "FI", "SE")))
    n.add(Cable("b", "B", ("helsinki", "tallinn"), ("EE", "FI")))
    # contributed: lands at Tallinn and at a station the map does not know, in Latvia
    n.add(Cable("c", "C", ("tallinn", "ventspils"), ("EE", "LV"), origin="LV-ORG"))
    n.add(Cable("d", "D", ("tallinn", "nynashamn"), ("EE", "SE"), origin="SE-ORG"))  # the same, to Sweden
    return n


def _rows(result_rows):  # noqa: ANN001, ANN202
    return sorted((r.from_country, r.to_country, r.kind, r.before, r.after) for r in result_rows)


@pytest.mark.parametrize("cut", ["landing:hanko", "landing:tallinn", "landing:helsinki", "landing:stockholm"])
def test_incremental_equals_recomputation(cut: str) -> None:
    network = _network()
    scenario = Scenario(remove=(cut,))
    assert _rows(Stress(network).run(scenario, alternatives=False).rows) == _rows(recompute(network, scenario))


def test_what_a_cut_station_takes() -> None:
    run = Stress(_network())
    hanko = _rows(run.run(Scenario(remove=("landing:hanko",))).rows)
    # A loses Finland (Hanko was its only Finnish landing): FI-EE 2->1, FI-SE 1->0; EE-SE untouched (D keeps
    # Sweden, which it lists without a known landing)
    assert hanko == [("EE", "FI", "cables", 2, 1), ("FI", "SE", "cables", 1, 0)]
    tallinn = _rows(run.run(Scenario(remove=("landing:tallinn",))).rows)
    # every Estonian pair goes; C keeps its Latvian end but has nothing left to join
    assert tallinn == [("EE", "FI", "cables", 2, 0), ("EE", "LV", "cables", 1, 0), ("EE", "SE", "cables", 2, 0)]
    assert run.run(Scenario(remove=("landing:stockholm",))).rows[0].to_country == "SE"


def test_a_corrected_landing_country_counts() -> None:
    network = _network()
    network.add(Landing("stockholm", "Stockholm", "DK", 18.0, 59.3, origin="SE-ORG"))  # a (wrong) correction
    run = Stress(network)
    assert ("cable:a" in run.graph.carriers and run.graph.carriers["cable:a"].countries == ("DK", "EE", "FI"))
    scenario = Scenario(remove=("landing:stockholm",))
    assert _rows(run.run(scenario, alternatives=False).rows) == _rows(recompute(network, scenario))


def test_errors_name_only_public_elements() -> None:
    """An error answer carries no marking: its suggestions and lists never name a contributed element."""
    from kompas.infra.model import Link
    from kompas.infra.stress import StressError

    network = _network()
    network.add(Cable("balticconnector-cable", "Baltic Secret", ("tallinn", "helsinki"), ("EE", "FI"),
                      origin="FI-ORG"))
    network.add(Cable("baltic-public", "Baltic Public", ("tallinn", "hanko"), ("EE", "FI")))
    network.add(Link("twin", "Twin", "hvdc", ("FI", "EE"), 100.0, origin="FI-ORG"))
    network.add(Cable("twin", "Twin", ("tallinn", "hanko"), ("EE", "FI")))
    run = Stress(network)
    with pytest.raises(StressError) as error:
        run.run(Scenario(remove=("Baltic",)))
    assert "baltic public" in str(error.value) and "secret" not in str(error.value).lower()
    with pytest.raises(StressError) as error:
        run.run(Scenario(remove=("Twin",)))
    assert "cable:twin" in str(error.value) and "link:twin" not in str(error.value)
    assert "1 contributed" in str(error.value)
