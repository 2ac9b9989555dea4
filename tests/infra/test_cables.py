"""The cable-map readers: against the counts checked in ../shared/data/infra/PROVENANCE.md (both vintages) and on
small hand-made inputs (bad files reported, good ones kept)."""

from __future__ import annotations

import json

import pytest

from kompas.infra.cables import parse_cables, split_names
from kompas.infra.countries import alpha2

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def vintages(infra_dir):
    from kompas.infra.load import cable_vintage

    return cable_vintage("2021"), cable_vintage("2022")


def test_both_vintages_read_whole(vintages) -> None:
    """521 cables and 1,414 landing points in 2022; 484 cables in 2021 (PROVENANCE); nothing rejected in 2022 and
    only the one landing point of 2021 in a country that no longer exists (Netherlands Antilles)."""
    old, new = vintages
    assert (len(new.cables), len(new.landings), len(old.cables)) == (521, 1414, 484)
    assert new.rejections == []
    assert [(r.record, r.field) for r in old.rejections] == [("jerry-newton", "landing_points.country")]
    assert "Netherlands Antilles" in old.rejections[0].reason
    assert sum(1 for c in new.cables.values() if c.route) == 521  # every cable has its drawn route


def test_c_lion1_as_published(vintages) -> None:
    """C-Lion1: Hanko and Helsinki to Rostock, Cinia Oy, ASN, 2016, 1,172 km (PROVENANCE's Baltic table)."""
    for network in vintages:
        cable = network.cables["c-lion1"]
        assert cable.landings == ("hanko-finland", "helsinki-finland", "rostock-germany")
        assert cable.countries == ("DE", "FI") and cable.owners == ("Cinia Oy",)
        assert (cable.rfs_year, cable.length_km) == (2016, 1172.0)
    assert vintages[1].cables["c-lion1"].suppliers == ("ASN",) and vintages[0].cables["c-lion1"].suppliers == ()


def test_finland_cables_and_neighbours(vintages) -> None:
    """Finland's 11 cables land also in Sweden (6), Estonia (4), Germany (1) and Russia (1), in both vintages."""
    from collections import Counter

    for network in vintages:
        finnish = [c for c in network.cables.values() if "FI" in c.countries]
        assert len(finnish) == 11
        assert Counter(n for c in finnish for n in c.countries if n != "FI") == {"SE": 6, "EE": 4, "DE": 1, "RU": 1}


def test_owner_names_keep_their_parentheses() -> None:
    assert split_names("Arelion (formerly Telia Carrier), Orange Polska, TDC Group") == (
        "Arelion (formerly Telia Carrier)", "Orange Polska", "TDC Group")
    assert split_names("Telia Eesti (formerly Eesti Telekom, EMT, Elion)") == (
        "Telia Eesti (formerly Eesti Telekom, EMT, Elion)",)
    assert split_names(None) == () and split_names("") == ()


def test_country_names_of_the_sources() -> None:
    assert [alpha2(n) for n in ("Congo, Dem. Rep.", "bosnia-herzegovina", "cte-divoire", "Virgin Islands (U.K.)",
                                "Russia", "Turkey", "united-kingdom", "Finland")] == \
        ["CD", "BA", "CI", "VG", "RU", "TR", "GB", "FI"]
    assert alpha2("Netherlands Antilles") == "" and alpha2("Atlantis") == ""  # never guessed


def test_bad_files_are_reported_and_good_ones_kept() -> None:
    good = {"id": "x", "name": "X", "landing_points": [{"id": "a", "name": "A, Finland", "country": "Finland"},
                                                          {"id": "b", "name": "B, Narnia", "country": "Narnia"},
                                                          {"id": "c", "name": "C, Estonia", "country": "Estonia"}],
            "owners": "O", "suppliers": None, "rfs_year": 2001, "length": "10 km"}
    landings = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": i}, "geometry": {"type": "Point", "coordinates": [24.0, 60.0]}}
        for i in ("a", "b")]}
    files = {"x.json": json.dumps(good), "broken.json": '{"id": ', "noid.json": "{}"}
    got_landings, got, rejected = parse_cables(files, '{"features": []}', json.dumps(landings))
    assert [c.id for c in got] == ["x"] and got[0].countries == ("FI",)
    reasons = {(r.source.rsplit("/", 1)[-1], r.field) for r in rejected}
    assert reasons == {("broken.json", "json"), ("noid.json", "id"), ("x.json", "landing_points.country"),
                       ("x.json", "landing_points")}  # Narnia unnamed; c has no coordinates
    assert {lm.id for lm in got_landings} == {"a", "b"}
