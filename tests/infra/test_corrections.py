"""Published changes since the grid extract was drawn (March 2022): the Baltic grids left the Russian system on
8 February 2025, Finland stopped importing from Russia on 14 May 2022. The lines stay on the map, no longer as
carriers, and answers carry the note."""

from __future__ import annotations

import pytest

from kompas.infra import corrections
from kompas.infra.model import Link, Network

TABLE = """
corrections:
  - what: test lines
    link_kind: ac
    pairs: [[EE, RU]]
    status: disconnected
    since: "2025-02-08"
    basis: a public statement
"""


def test_apply_sets_the_status_and_says_so() -> None:
    network = Network()
    network.add(Link("a", "EE-RU line", "ac", ("EE", "RU"), 1000.0))
    network.add(Link("b", "RU-EE line", "ac", ("RU", "EE"), 500.0))
    network.add(Link("c", "EE-LV line", "ac", ("EE", "LV"), 800.0))
    network.add(Link("d", "EE-RU HVDC", "hvdc", ("EE", "RU"), 100.0))
    notes = corrections.apply(network, corrections.parse(TABLE))
    assert [network.links[i].status for i in "abcd"] == ["disconnected", "disconnected", "operating", "operating"]
    assert notes == ["test lines: disconnected since 2025-02-08 (2 links; a public statement)"]
    assert "a public statement" in network.links["a"].note


@pytest.mark.parametrize("text,reason", [("corrections: 3", "a list"), ("corrections: [{what: x}]", "missing"),
                                         ("corrections: [{what: x, link_kind: ac, pairs: [[EE]], status: s, "
                                          "since: '2025', basis: b}]", "pairs must be")])
def test_bad_tables_name_the_entry(text: str, reason: str) -> None:
    with pytest.raises(corrections.CorrectionError, match=reason):
        corrections.parse(text)


@pytest.mark.shared
def test_the_shipped_corrections_on_the_public_network(infra_dir) -> None:
    from kompas.infra.load import public_network
    from kompas.infra.stress import Stress

    network = public_network()
    baltic_russian = [link for link in network.links.values() if link.link_kind == "ac"
                      and {"RU", "BY"} & set(link.countries) and {"EE", "LV", "LT", "FI"} & set(link.countries)]
    assert len(baltic_russian) >= 20 and all(link.status == "disconnected" for link in baltic_russian)
    graph = Stress(network).graph
    assert graph.totals.get((("EE", "RU"), "ac_mw"), 0) == 0 and graph.totals.get((("FI", "RU"), "ac_mw"), 0) == 0
    assert graph.totals[(("EE", "LV"), "ac_mw")] > 0  # the Baltic ring itself is untouched
    assert any(s["key"] == "corrections" and "8 February 2025" in s["attribution"] for s in network.sources)
