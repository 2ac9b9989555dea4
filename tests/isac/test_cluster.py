"""Clustering "me too" interference reports: constructed reports (illustrative, made up) with a known answer, the
surge rule, and property tests: the clusters are the connected components of the pairwise link (checked against a
brute-force union of every linked pair) and do not depend on the input order."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.core.markings import Marking
from kompas.isac.cluster import EARTH_RADIUS_KM, ClusterParams, cluster_reports, great_circle_km, linked
from kompas.isac.model import PAP, Band, IsacReport, Location, report_id

L1 = Band(1575.42, 1575.42)


def _report(name: str, start: str, stop: str | None, lat: float | None, lon: float | None, band: Band | None = L1,
            interference: str = "jamming", reporter: str = "SE-SNSA", region: str = "") -> IsacReport:
    places = (Location(lat, lon, region=region),) if lat is not None else \
        ((Location(region=region),) if region else ())
    return IsacReport(report_id("cluster-test", name), f"Illustrative {name}", f"2026-03-01T{start}:00Z",
                      interference, stop_utc=None if stop is None else f"2026-03-01T{stop}:00Z", segment="user",
                      band=band, locations=places, reporter=reporter, pap=PAP.AMBER, marking=Marking())


A = _report("A", "06:00", "07:00", 57.5, 18.5, reporter="SE-SNSA")
B = _report("B", "07:30", "08:00", 58.0, 19.5, Band(letter="L"), "unknown-emi", reporter="FI-TRAFICOM")
C = _report("C", "06:10", "07:00", 57.5, 18.6, Band(9500.0, 9800.0), reporter="DE-DLR")  # other band
D = _report("D", "06:20", "07:00", 40.4, -3.7, reporter="ES-INTA")  # far away (Madrid)
E = _report("E", "09:00", None, 57.9, 18.9, reporter="SE-SNSA")


def test_two_similar_reports_cluster_and_the_other_band_and_the_far_one_do_not() -> None:
    clusters = cluster_reports([A, B, C, D])
    assert sorted(c.members for c in clusters) == sorted([(A.id, B.id), (C.id,), (D.id,)])
    pair = next(c for c in clusters if c.size == 2)
    assert (pair.family, pair.reporters, pair.surge) == ("rf", 2, False)
    assert (pair.start_utc, pair.stop_utc) == (A.start_utc, B.stop_utc)
    assert pair.band is not None and (pair.band.low_mhz, pair.band.high_mhz) == (1000.0, 2000.0)  # L-band edges
    # centroid: the normalised mean of the two unit vectors is the great-circle midpoint
    assert great_circle_km(pair.centroid_lat_deg, pair.centroid_lon_deg, 57.5, 18.5) == \
        pytest.approx(great_circle_km(57.5, 18.5, 58.0, 19.5) / 2, abs=1e-3)


def test_a_third_report_from_a_second_reporter_makes_a_surge() -> None:
    """The 'done when' of issue 29: a report under TLP:AMBER and PAP:AMBER clusters with two similar ones."""
    clusters = cluster_reports([A, B, C, D, E])
    [surge] = [c for c in clusters if c.surge]
    assert surge.members == (A.id, B.id, E.id) and surge.reporters == 2 and surge.surge_start_utc == A.start_utc
    alone = [replace(r, reporter="SE-SNSA") for r in (A, B, E)]
    assert not any(c.surge for c in cluster_reports(alone))  # three reports, one reporter: no surge
    narrow = ClusterParams(window_h=2.0)  # 09:00 is 1 h after B's stop (linked) but 3 h after A's start
    [three] = [c for c in cluster_reports([A, B, E], narrow) if c.size == 3]
    assert not three.surge


def test_time_gap_family_region_and_unknown_band() -> None:
    late = _report("late", "14:01", None, 57.5, 18.5)  # 7 h 01 min after A's stop
    assert not linked(A, late) and linked(A, late, ClusterParams(window_h=7.1))
    spoof = _report("spoof", "06:30", None, 57.5, 18.5, interference="spoofing")
    cyber = _report("cyber", "06:30", None, 57.5, 18.5, interference="cyber-intrusion", band=None)
    assert linked(A, spoof) and not linked(A, cyber)
    r1 = _report("r1", "06:00", None, None, None, region="Baltic Sea")
    r2 = _report("r2", "07:00", None, None, None, region="baltic sea")
    assert linked(r1, r2) and not linked(r1, A)
    unknown = _report("unknown", "06:30", None, 57.5, 18.5, band=None)
    assert not linked(A, unknown) and linked(A, unknown, ClusterParams(unknown_band_links=True))
    assert not linked(A, _report("nowhere", "06:30", None, None, None))


def test_great_circle() -> None:
    """One degree of a meridian is 2 pi R / 360 = 111.195 km on the IUGG mean sphere; antipodes pi R."""
    assert great_circle_km(10.0, 5.0, 11.0, 5.0) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360,
                                                                               rel=1e-12)
    assert great_circle_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)


_HOURS = ["00:00", "03:00", "05:00", "08:00", "12:00", "20:00"]
_PLACES = [(57.5, 18.5), (58.0, 19.5), (60.0, 25.0), (40.4, -3.7), (57.6, 18.6), (0.0, 179.9), (0.0, -179.9)]
_BANDS = [L1, Band(letter="L"), Band(9500.0, 9800.0), Band(1164.0, 1300.0), None]
_KINDS = ["jamming", "spoofing", "unknown-emi", "laser"]


@st.composite
def report_sets(draw) -> list[IsacReport]:
    out = []
    for n in range(draw(st.integers(2, 12))):
        place = draw(st.one_of(st.none(), st.sampled_from(_PLACES)))
        stop = draw(st.one_of(st.none(), st.sampled_from(["21:00", "23:00"])))
        out.append(_report(f"p{n}", draw(st.sampled_from(_HOURS)), stop, place[0] if place else None,
                           place[1] if place else None, draw(st.sampled_from(_BANDS)), draw(st.sampled_from(_KINDS)),
                           draw(st.sampled_from(["AA", "BB", "CC"])),
                           draw(st.sampled_from(["", "", "Baltic Sea"]))))
    return out


def _brute_force(reports: list[IsacReport], params: ClusterParams) -> set[frozenset[str]]:
    groups = {r.id: {r.id} for r in reports}
    for a, b in combinations(reports, 2):
        if linked(a, b, params) and groups[a.id] is not groups[b.id]:
            merged = groups[a.id] | groups[b.id]
            for ident in merged:
                groups[ident] = merged
    return {frozenset(g) for g in groups.values()}


@settings(max_examples=50, deadline=None)
@given(report_sets(), st.randoms(use_true_random=False), st.sampled_from([ClusterParams(),
                                                                          ClusterParams(unknown_band_links=True),
                                                                          ClusterParams(window_h=1.0)]))
def test_clusters_are_the_link_components_whatever_the_order(reports, rnd, params) -> None:
    clusters = cluster_reports(reports, params)
    assert {frozenset(c.members) for c in clusters} == _brute_force(reports, params)
    shuffled = list(reports)
    rnd.shuffle(shuffled)
    assert cluster_reports(shuffled, params) == clusters
