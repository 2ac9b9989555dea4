"""The two cable-map vintages compared: the counts checked in PROVENANCE.md (16 ids only in 2021, 53 only in 2022,
468 in both)."""

from __future__ import annotations

import pytest

from kompas.infra.model import Cable, Network
from kompas.infra.vintages import compare

pytestmark = pytest.mark.shared


def test_2021_to_2022(infra_dir) -> None:
    from kompas.infra.load import cable_vintage

    diff = compare(cable_vintage("2021"), cable_vintage("2022"))
    counts = diff["counts"]
    # 53 ids only in 2022 and 16 only in 2021 (PROVENANCE), six of them the same cable renamed
    assert (counts["added"] + counts["renamed"], counts["retired"] + counts["renamed"]) == (53, 16)
    assert counts["old"] - counts["retired"] - counts["renamed"] == 468
    assert ("AEConnect-1", "AEC-1") in {(r["before"]["name"], r["after"]["name"]) for r in diff["renamed"]}
    assert 0 < counts["newly_mapped"] < counts["added"]  # in service before 2021, first drawn on the 2022 map
    added = {c["id"] for c in diff["added"]}
    assert "2africa" not in added  # on both maps
    assert "swansea-brean" in {c["id"] for c in diff["retired"]}


def test_changes_are_named() -> None:
    old = Network(cables={"a": Cable("a", "A", ("x", "y"), ("FI", "SE"), owners=("O1",)),
                          "gone": Cable("gone", "Gone", (), ())})
    new = Network(cables={"a": Cable("a", "A", ("x", "z"), ("EE", "FI"), owners=("O1", "O2")),
                          "b": Cable("b", "B", (), ("DE",), rfs_year=2022, planned=True)})
    diff = compare(old, new)
    assert [c["id"] for c in diff["added"]] == ["b"] and diff["added"][0]["planned"]
    assert [c["id"] for c in diff["retired"]] == ["gone"]
    (changed,) = diff["changed"]
    assert changed["landings_added"] == ["z"] and changed["landings_removed"] == ["y"]
    assert changed["countries"] == {"before": ["FI", "SE"], "after": ["EE", "FI"]}
    assert changed["owners"]["after"] == ["O1", "O2"]
    assert compare(old, new, frozenset({"DE"}))["counts"]["added"] == 1
    assert compare(old, new, frozenset({"US"}))["counts"] == {"old": 0, "new": 0, "added": 0, "retired": 0,
                                                               "changed": 0, "renamed": 0, "newly_mapped": 0}


def test_planned_in_2021_means_after_june_2021(infra_dir) -> None:
    """The 2021 files carry no planned flag: a cable whose ready-for-service date lies after June 2021 (when that
    map was drawn) was planned then. Grace Hopper (RFS 2022) was planned on both maps; the cables that came into
    service between the vintages are listed as changed from planned to in service."""
    from kompas.infra.load import cable_vintage

    old, new = cable_vintage("2021"), cable_vintage("2022")
    assert old.cables["grace-hopper"].planned and new.cables["grace-hopper"].planned
    assert not old.cables["c-lion1"].planned
    assert sum(c.planned for c in old.cables.values()) == 53
    went = [c for c in compare(old, new)["changed"] if c.get("planned") == {"before": True, "after": False}]
    assert len(went) >= 10 and "CrossChannel Fibre" in {c["name"] for c in went}


def test_the_2021_planned_rule() -> None:
    from kompas.infra.cables import _planned_then

    for rfs, planned in (("2021 September", True), ("2021 Q3", True), ("2021 Q2", False), ("2021 March", False),
                         ("2022", True), ("2020", False), ("", False), ("2021", True)):
        assert _planned_then({"rfs": rfs}, "2021") is planned, rfs
