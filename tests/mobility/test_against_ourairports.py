"""Airfields (kompas.mobility.airfields) against OurAirports runways.csv joined to airportsdata airports.csv, both in
../shared/data/mobility (public domain and MIT; see PROVENANCE.md there), and on small CSV texts written here.

**The join**: ``runways.airport_ident == airportsdata.icao``. **The five countries**: LT, LV, EE, PL, FI (by the
airportsdata ``country``). **The runway rule** (kompas.mobility.airfields.usable with the bundled aircraft table):
an open runway at least as long and as wide as the aircraft's published minimum (A400M 1,400 m x 20 m, C-17A
1,067 m x 27.4 m, C-130J-30 914 m x 18.3 m; all three may use unpaved strips), a width OurAirports does not record
taken as sufficient. The reference figures are PROVENANCE.md's (EPWA 12,106 ft; EPWA, EPPW, EFHK the longest;
open runways of 8,000 ft or more: LT 4, LV 3, EE 1, PL 30, FI 20), exact counts, and ones computed here with the
rule and then asserted (exact: the same data give the same answer).
"""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from kompas.locate import shared_data
from kompas.mobility.aircraft import Aircraft, parse_aircraft
from kompas.mobility.airfields import (
    AirportRow,
    RunwayRow,
    able,
    airfields,
    parse_airports,
    parse_runways,
    paved,
    unmatched,
    unusable,
    usable,
)
from kompas.mobility.model import Airfield, Runway

FIVE = ("LT", "LV", "EE", "PL", "FI")
FT = 0.3048


def need(sub: str) -> Path:
    folder = shared_data("mobility")
    if folder is None or not (folder / sub).is_file():
        pytest.skip(f"mobility/{sub} not found under ../shared/data (clone ../shared beside the checkout)")
    return folder / sub


@pytest.fixture(scope="module")
def table() -> dict[str, Aircraft]:
    text = (Path(str(files("kompas"))) / "data" / "mobility" / "aircraft.yaml").read_text()
    found, rejections = parse_aircraft(text, "aircraft.yaml")
    assert rejections == []
    return found


@pytest.fixture(scope="module")
def parsed() -> tuple[list[RunwayRow], list, dict[str, AirportRow], list]:
    runways, bad_runways = parse_runways(need("ourairports/runways.csv").read_text(), "ourairports/runways.csv")
    airports, bad_airports = parse_airports(need("airportsdata/airports.csv").read_text(), "airportsdata/airports.csv")
    return runways, bad_runways, airports, bad_airports


@pytest.fixture(scope="module")
def five(parsed) -> dict[str, Airfield]:
    runways, _, airports, _ = parsed
    return airfields(runways, airports, FIVE)


@pytest.mark.shared
def test_every_runway_row_is_read_or_rejected_by_line(parsed) -> None:
    runways, rejections, airports, airport_rejections = parsed
    # PROVENANCE: 48,184 runways; 28,298 airports. Every row is read or named: none lost.
    assert len(runways) + sum(r.field == "length_ft" for r in rejections) == 48_184
    assert len(runways) == 47_888
    assert Counter(r.field for r in rejections) == {"length_ft": 296, "width_ft": 2}  # width: kept, width unknown
    assert all(r.line > 1 and r.source == "ourairports/runways.csv" for r in rejections)
    assert len(airports) == 28_298 and airport_rejections == []
    # the join (runways.airport_ident = airportsdata.icao) on the 47,888 runways with a length; PROVENANCE counts
    # 26,193 of all 48,184 rows, those without a length included
    assert len(runways) - unmatched(runways, airports) == 26_060


@pytest.mark.shared
def test_warsaw_chopin_has_the_longest_runway_of_the_five_countries(five) -> None:
    epwa = five["icao:EPWA"]
    assert epwa.country == "PL" and epwa.name.startswith("Warsaw Chopin")
    assert epwa.runways[0].id == "EPWA:15/33"
    assert epwa.runways[0].length_m == pytest.approx(12_106 * FT, abs=0.01)  # 12,106 ft = 3,689.9 m, exact
    ranked = sorted(((r.length_m, r.id) for f in five.values() for r in f.runways if not r.closed), reverse=True)
    assert [round(m / FT) for m, _ in ranked[:4]] == [12_106, 11_565, 11_483, 11_483]
    assert [i.split(":")[0] for _, i in ranked[:2]] == ["EPWA", "EPPW"]
    # EFHK's 11,483 ft ties with Siauliai (EYSA), which PROVENANCE's list of three leaves out
    assert {i.split(":")[0] for _, i in ranked[2:4]} == {"EFHK", "EYSA"}


@pytest.mark.shared
def test_open_runways_of_8000_ft_or_more_per_country(five) -> None:
    long = Counter(f.country for f in five.values() for r in f.runways
                   if not r.closed and r.length_m >= 8_000 * FT - 1e-6)
    assert long == {"LT": 4, "LV": 3, "EE": 1, "PL": 30, "FI": 20}  # PROVENANCE, exact


@pytest.mark.shared
def test_airfields_each_aircraft_can_use_in_the_five_countries(five, table) -> None:
    """The rule of the module docstring, counted per country (computed with it, then fixed here: exact)."""
    counts = {name: Counter(five[k].country for k in able(five, plane)) for name, plane in table.items()}
    assert counts["C-17A"] == {"PL": 42, "FI": 32, "EE": 7, "LT": 7, "LV": 5}
    # FI 31: EFKM (4,593 ft = 1,399.95 m) meets the 1,400 m rule within the 0.5 m tolerance of whole feet
    assert counts["A400M"] == {"PL": 32, "FI": 31, "EE": 6, "LT": 5, "LV": 4}
    assert counts["C-130J-30"] == {"PL": 50, "FI": 41, "LT": 9, "EE": 7, "LV": 6}
    assert len(five) == 186
    # a stricter rule can only lose airfields: C-17A's (1,067 m x 27.4 m) ⊂ C-130J-30's (914 m x 18.3 m)
    assert set(able(five, table["C-17A"])) <= set(able(five, table["C-130J-30"]))
    ok, why = usable(five["icao:EPWA"], table["C-17A"])
    assert ok and why.startswith("EPWA:15/33 3,690 m x 60 m ASPH meets C-17A's minimum 1,067 m x 27.4 m")


@pytest.mark.shared
def test_an_unusable_airfield_names_its_runway_and_the_rule(five, table) -> None:
    reasons = unusable(five, table["C-17A"])
    assert reasons["icao:EERU"] == ("longest open runway EERU:13/31 600 m x 20 m GRAS reinforced: 600 m long "
                                    "< 1,067 m; 20 m wide < 27.4 m (C-17A's minimum 1,067 m x 27.4 m, paved or "
                                    "unpaved)")
    assert len(reasons) + len(able(five, table["C-17A"])) == len(five)


@pytest.mark.shared
def test_surface_words_of_the_five_countries(five) -> None:
    seen = {r.surface: r.paved for f in five.values() for r in f.runways}
    assert all(seen[s] for s in ("ASP", "CON", "ASPH", "Asphalt", "PEM", "CONC-ASPH", "asphalt concrete", "paved"))
    assert not any(seen[s] for s in ("grass", "GRS", "UNK", "ASPH/GRVL", "Oilgravel", "GVL",
                                     "grass paved with a plastic grille", "COM"))
    assert sum(r.paved for f in five.values() for r in f.runways) == 152  # computed, exact


# --- small texts written here: the rules and bad input ------------------------------------------------------------

RUNWAYS = '''"id","airport_ref","airport_ident","length_ft","width_ft","surface","lighted","closed","le_ident",\
"he_ident"
1,1,"XXAA",5000,100,"ASPH-G",1,0,"09","27"
2,1,"XXAA",9000,,"TURF",0,0,"18","36"
3,2,"XXBB",,75,"CON",0,0,"04","22"
4,2,"XXBB",abc,75,"CON",0,0,"05","23"
5,2,"XXBB",4000,wide,"CONC",0,1,"06","24"
6,3,"",4000,75,"CONC",0,0,"07","25"
7,4,"XXCC",8000,150,"ASP",1,1,"10","28"
'''
AIRPORTS = '''"icao","iata","name","city","subd","country","elevation","lat","lon","tz","lid"
"XXAA","","Alpha","","","PL",100,52.0,21.0,"",""
"XXBB","","Bravo","","","LT",100,54.6,25.2,"",""
"XXCC","","Charlie","","","LT",100,54.9,23.9,"",""
"XXDD","","Delta","","","LT",100,north,23.9,"",""
"XXAA","","Alpha again","","","PL",100,52.0,21.0,"",""
"XXEE","","Echo","","","LT",100,95.0,23.9,"",""
'''


def test_bad_rows_are_named_by_line_and_field_and_the_good_ones_kept() -> None:
    runways, rejections = parse_runways(RUNWAYS, "mine.csv")
    assert [r.runway.id for r in runways] == ["XXAA:09/27", "XXAA:18/36", "XXBB:06/24", "XXCC:10/28"]
    assert [(r.line, r.field) for r in rejections] == [(4, "length_ft"), (5, "length_ft"), (6, "width_ft"),
                                                       (7, "airport_ident")]
    assert "empty: the runway's length is unknown" in rejections[0].reason
    assert rejections[1].value == "abc" and rejections[2].value == "wide"
    assert runways[2].runway.width_m is None and runways[2].runway.closed
    assert str(rejections[1]).startswith("mine.csv:5: length_ft: XXBB: not a positive number of feet")
    airports, bad = parse_airports(AIRPORTS, "ap.csv")
    assert sorted(airports) == ["XXAA", "XXBB", "XXCC"] and airports["XXAA"].name == "Alpha"
    assert [(r.line, r.field) for r in bad] == [(5, "lat/lon"), (6, "icao"), (7, "lat/lon")]


def test_a_missing_column_is_one_rejection_naming_it() -> None:
    runways, rejections = parse_runways('"id","airport_ident"\n1,"XXAA"\n', "short.csv")
    assert runways == [] and len(rejections) == 1 and rejections[0].line == 0
    assert "length_ft" in rejections[0].field and "width_ft" in rejections[0].field


def test_the_runway_rule_on_written_airfields(table) -> None:
    runways, _ = parse_runways(RUNWAYS, "mine.csv")
    airports, _ = parse_airports(AIRPORTS, "ap.csv")
    fields = airfields(runways, airports)
    assert sorted(fields) == ["icao:XXAA", "icao:XXBB", "icao:XXCC"]
    assert list(airfields(runways, airports, ["PL"])) == ["icao:XXAA"]
    c17, c130 = table["C-17A"], table["C-130J-30"]
    # XXAA: 9,000 ft turf (width not recorded) before 5,000 ft asphalt; C-17A may use unpaved strips
    ok, why = usable(fields["icao:XXAA"], c17)
    assert ok and why == ("XXAA:18/36 2,743 m (width not recorded) TURF meets C-17A's minimum 1,067 m x 27.4 m, "
                          "paved or unpaved; width not recorded, taken as sufficient")
    # XXBB's only runway with a length is closed; XXCC's 8,000 ft runway is closed
    assert usable(fields["icao:XXBB"], c130) == (False, "icao:XXBB: no open runway (1 closed) for C-130J-30's "
                                                        "minimum 914 m x 18.3 m, paved or unpaved")
    assert not usable(fields["icao:XXCC"], c17)[0]
    paved_only = Aircraft(name="Jet", payload_t=10, hold_width_m=3, hold_height_m=3, cruise_kmh=800,
                          runway=type(c17.runway)(length_m=2_000, width_m=45, unpaved=False))
    ok, why = usable(fields["icao:XXAA"], paved_only)
    assert not ok and why == ("longest open paved runway XXAA:09/27 1,524 m x 30 m ASPH-G: 1,524 m long < 2,000 m; "
                              "30 m wide < 45 m (Jet's minimum 2,000 m x 45 m, paved)")


@pytest.mark.parametrize(("surface", "expected"), [
    ("ASP", True), ("ASPH-G", True), ("CONC-F", True), ("asphalt concrete", True), ("PEM", True), ("", False),
    ("TURF-G", False), ("ASPH/GRVL", False), ("GRE", False), ("UNK", False), ("Something new", False), ("COP", False)])
def test_paved_surfaces(surface: str, expected: bool) -> None:
    assert paved(surface) is expected


def test_runways_sorted_longest_first_and_ids_unique() -> None:
    rows = [RunwayRow("XXAA", Runway("XXAA:a", 1000.0, 30.0, "ASP", True)),
            RunwayRow("XXAA", Runway("XXAA:b", 3000.0, 45.0, "ASP", True))]
    fields = airfields(rows, {"XXAA": AirportRow("XXAA", "A", "PL", 52.0, 21.0)})
    assert [r.id for r in fields["icao:XXAA"].runways] == ["XXAA:b", "XXAA:a"]
