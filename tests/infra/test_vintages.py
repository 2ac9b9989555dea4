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
    assert diff["counts"]["added"] == 53 and diff["counts"]["retired"] == 16
    assert diff["counts"]["old"] - diff["counts"]["retired"] == 468
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
                                                               "changed": 0}
