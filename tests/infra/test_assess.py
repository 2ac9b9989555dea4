"""Dependency metrics per member state on the 2022 cable map, against the figures checked in PROVENANCE.md, and
the concentration arithmetic on hand-made cases."""

from __future__ import annotations

import pytest

from kompas.infra.assess import assess, concentration, eu_coverage, shares


@pytest.fixture(scope="module")
def eu() -> frozenset[str]:
    from kompas.infra.load import country_groups

    members = country_groups()[0]
    assert len(members) == 27 and {"FI", "DE", "EE"} <= members
    return members


@pytest.fixture(scope="module")
def cables(infra_dir):
    from kompas.infra.load import cable_vintage

    return cable_vintage("2022")


@pytest.mark.shared
def test_supplier_coverage_of_eu_cables(cables, eu) -> None:
    """175 cables land in at least one EU-27 state, 75 with no supplier recorded; ASN 50, SubCom 25, Ericsson 8,
    HMN Tech 4 (PROVENANCE)."""
    coverage = eu_coverage(cables, eu)
    assert (coverage["cables"], coverage["without_supplier"]) == (175, 75)
    assert {k: coverage["suppliers"][k] for k in ("ASN", "SubCom", "Ericsson", "HMN Tech")} == {
        "ASN": 50, "SubCom": 25, "Ericsson": 8, "HMN Tech": 4}


@pytest.mark.shared
def test_finland(cables, eu) -> None:
    """Finland: 11 international cables to SE 6, EE 4, DE 1, RU 1; Helsinki lands 8 of them; suppliers recorded
    for 6 of 11 (ASN and Ericsson); C-Lion1 and BCS North - Phase 2 are single points; the Finnish suppliers'
    shares are all EU27."""
    from kompas.infra.load import supplier_homes

    fi = assess(cables, ("FI",), eu=eu, home=supplier_homes())[0]
    assert fi.cables["neighbours"] == {"SE": 6, "EE": 4, "DE": 1, "RU": 1}
    assert fi.cables["busiest_station"]["name"] == "Helsinki, Finland" and fi.cables["busiest_station"]["cables"] == 8
    assert fi.suppliers["coverage"] == {"recorded": 6, "total": 11, "pct": 54.5}
    assert set(fi.suppliers["shares"]) == {"ASN", "Ericsson"} and fi.suppliers["groups"]["EU27"] == 100
    spofs = {s["ref"]: s["reasons"] for s in fi.single_points}
    assert "the only direct cable between FI and DE" in spofs["cable:c-lion1"]
    assert "all 4 direct cables between FI and EE go with it" in spofs["landing:helsinki-finland"]
    assert "cable:bcs-north---phase-2" in spofs and "landing:helsinki-finland" in spofs
    assert fi.redundancy["DE"] >= 2  # C-Lion1 and the paths through Sweden: cut one, Germany is still reached
    assert fi.redundancy["SE"] >= 6


def test_concentration_arithmetic() -> None:
    """Two cables by A, one shared by A and B, one without supplier: A 2.5 of 3 recorded (83.33%), B 16.67%, HHI
    = 83.33² + 16.67² ≈ 7222; coverage 3 of 4; A in the EU, B unattributed."""
    got = concentration([("A",), ("A",), ("A", "B"), ()], home={"A": "FR"}, eu=frozenset({"FR"}))
    assert got["shares"] == {"A": 83.33, "B": 16.67}
    assert got["hhi"] == pytest.approx(83.33**2 + 16.67**2, abs=0.5)
    assert got["coverage"] == {"recorded": 3, "total": 4, "pct": 75.0}
    assert got["groups"] == {"EU27": 83.33, "like_minded": 0.0, "other": 0.0, "unattributed": 16.67}
    assert shares([]) == {} and concentration([])["hhi"] is None
