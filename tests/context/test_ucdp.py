"""UCDP/PRIO Armed Conflict Dataset v24.1: parsing, rejections, the published counts and conflict status per
country."""

from __future__ import annotations

import pytest

from kompas.context import ucdp

from .conftest import UCDP_SAMPLE, need_shared

HEADER = ",".join(ucdp.COLUMNS)
GOOD = ('309,Sudan,Government of Sudan,112,,"RSF, SPLM/A-North","1123, 8635",,2,,2023,2,1,3,01-06-2020,,625,,,,'
        '625,4')


@pytest.fixture(scope="module")
def real() -> list[ucdp.ConflictYear]:
    need_shared()
    from kompas.context import load

    rows, rejections = load.read_ucdp()
    assert rejections == [], [str(r) for r in rejections[:5]]
    return rows


def test_sample_parses_and_maps_history() -> None:
    rows, rejections = ucdp.parse_conflicts(UCDP_SAMPLE.read_text(encoding="utf-8"), "ucdp_sample.csv")
    assert rejections == [] and len(rows) == 8
    egypt_israel = next(r for r in rows if r.conflict_id == 11343)
    assert egypt_israel.gwno_loc == (651, 666) and egypt_israel.war and egypt_israel.type_of_conflict == 2
    assert str(egypt_israel.start_date) == "1967-06-05" and str(egypt_israel.end_date) == "1967-06-10"
    table = ucdp.active_by_country(rows)
    russia = table[("RUS", 2023)]
    assert russia.located == {13243} and russia.primary == {13243} and russia.secondary == {299, 13604}
    assert russia.conflicts == 3 and russia.war and russia.war_located
    syria = table[("SYR", 2023)]
    assert syria.conflicts == 2 and syria.max_intensity == 2 and syria.is_location and not syria.is_secondary_party
    assert table[("IRN", 2023)].is_secondary_party and not table[("IRN", 2023)].is_location
    assert table[("KHM", 1946)].is_location and table[("FRA", 1946)].is_primary_party
    assert ucdp.unmapped_states(rows) == [(751, 1948, 11884)], "Hyderabad has no ISO code"
    assert not any(key[0] == "" for key in table)


def test_iso_dates_are_read_too() -> None:
    text = f"{HEADER}\n{GOOD.replace('01-06-2020', '2020-06-01')}\n"
    rows, rejections = ucdp.parse_conflicts(text, "t.csv")
    assert rejections == [] and str(rows[0].start_date) == "2020-06-01"


def test_bad_rows_are_reported_precisely_and_good_ones_kept() -> None:
    bad_intensity = GOOD.replace(",2023,2,1,3,", ",2023,7,1,3,")
    bad_date = GOOD.replace("01-06-2020", "31-02-2020")
    bad_gw = GOOD.replace(",625,4", ",625; 626,4")
    unknown_gw = GOOD.replace(",625,4", ",999,4")
    text = "\n".join([HEADER, GOOD, bad_intensity, bad_date, bad_gw, unknown_gw, GOOD]) + "\n"
    rows, rejections = ucdp.parse_conflicts(text, "t.csv")
    assert len(rows) == 1
    got = [(r.line, r.field) for r in rejections]
    assert got == [(3, "intensity_level"), (4, "start_date"), (5, "gwno_loc"), (6, "gwno_loc"), (7, "conflict_id")]
    assert rejections[0].reason == "not one of 1, 2" and rejections[0].value == "7"
    assert "999" in rejections[3].reason and "duplicate" in rejections[4].reason
    assert str(rejections[0]).startswith("t.csv:3: intensity_level: not one of 1, 2")


def test_missing_column_rejects_the_file() -> None:
    rows, rejections = ucdp.parse_conflicts("conflict_id,year\n1,2000\n", "t.csv")
    assert rows == [] and rejections[0].line == 0 and "missing column" in rejections[0].reason


def test_reference_counts_ucdp_press_release_2024(real: list[ucdp.ConflictYear]) -> None:
    # Exact (UCDP press release 2024-06-03, in ../shared PROVENANCE.md): no tolerance.
    per_year = ucdp.conflicts_per_year(real)
    wars = ucdp.wars_per_year(real)
    assert (per_year[2023], per_year[2022], per_year[2020]) == (59, 56, 56)
    assert (wars[2023], wars[2022], wars[2017]) == (9, 8, 10)
    assert len(real) == 2686 and len({r.conflict_id for r in real}) == 299
    assert min(per_year) == 1946 and max(per_year) == 2023
    assert sum(ucdp.by_type_per_year(real)[2023].values()) == 59


def test_active_by_country_real(real: list[ucdp.ConflictYear]) -> None:
    table = ucdp.active_by_country(real)
    assert table[("UKR", 2023)].war_located and table[("SDN", 2023)].war_located
    assert table[("SUN", 1980)].is_secondary_party and ("RUS", 1980) not in table  # Afghanistan
    norway = table[("NOR", 2023)]  # in the coalition against IS: a secondary party only
    assert norway.is_secondary_party and not norway.is_location and not norway.is_primary_party
    assert ("ISL", 2023) not in table
    assert ucdp.unmapped_states(real) == [(751, 1947, 11884), (751, 1948, 11884), (751, 1948, 226)]
    located_2023 = {k[0] for k, v in table.items() if k[1] == 2023 and v.is_location}
    assert {"UKR", "RUS", "SDN", "MMR", "SOM", "ETH", "SYR", "YEM", "MLI", "BFA"} <= located_2023


def test_gw_table_agrees_with_ucdp_government_names(real: list[ucdp.ConflictYear]) -> None:
    """Every 'Government of X' side maps (through the name crosswalk) to the same present-day country as its GW
    numbers do (through the GW table), year by year: 3,402 sides checked; Hyderabad has no ISO code."""
    from kompas.context.countries import gw_to_iso3, iso3, successor

    checked, disagreements = 0, []
    for r in real:
        for side, codes in ((r.side_a, r.gwno_a), (r.side_b, r.gwno_b), (r.side_a_2nd, r.gwno_a_2nd),
                            (r.side_b_2nd, r.gwno_b_2nd)):
            if not side.startswith("Government of "):
                continue
            names = [n.strip().removeprefix("Government of ").strip() for n in side.split(",")]
            by_gw = {successor(gw_to_iso3(c, r.year)) for c in codes}
            by_name = {successor(iso3(n)) for n in names}
            checked += 1
            if by_gw != by_name:
                disagreements.append((r.line, side, codes, by_gw, by_name))
    assert checked == 3402 and disagreements == [], disagreements[:5]
