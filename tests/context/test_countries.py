"""The country crosswalk: sources' names and codes to ISO3, GW history, VIEWS ids, Natural Earth neighbours."""

from __future__ import annotations

import pytest

from kompas.context import countries
from kompas.context.countries import gw_successor, gw_to_iso3, iso3, neighbours, views_iso3

from .conftest import need_shared


@pytest.mark.parametrize(("name", "code"), [
    ("Congo, DR", "COD"), ("Congo, Republic", "COG"), ("Korea, South", "KOR"), ("Korea, North", "PRK"),
    ("Gambia, The", "GMB"), ("Cote d'Ivoire", "CIV"), ("Congo, DRC", "COD"), ("Timor-Leste", "TLS"),
    ("Timor Leste", "TLS"), ("Swaziland", "SWZ"), ("Eswatini", "SWZ"), ("Macedonia", "MKD"), ("Turkey", "TUR"),
    ("Kosovo", "XKX"), ("XKX", "XKX"), ("NOR", "NOR"), ("no", "NOR"), ("Norway", "NOR"), ("USSR", "SUN"),
    ("Czechoslovakia", "CSK"), ("German Democratic Republic", "DDR"), ("Yugoslavia", "YUG"),
    ("DR Congo (Zaire)", "COD"), ("Myanmar (Burma)", "MMR"), ("Marshall Is.", "MHL"), ("St. Lucia", "LCA"),
])
def test_source_spellings(name: str, code: str) -> None:
    assert iso3(name) == code


@pytest.mark.parametrize("name", ["", "Atlantis", "260", "LAC Region (tri-National)", "European Union", "Korea"])
def test_unknown_names_are_empty_never_guessed(name: str) -> None:
    assert iso3(name) == "", "digit strings would read as ISO numeric codes (260 = ATF); regions are no country"


@pytest.mark.parametrize(("gw", "year", "code"), [
    (260, 1980, "DEU"), (260, 2000, "DEU"), (265, 1980, "DDR"), (265, 1995, ""),
    (345, 1991, "YUG"), (345, 2004, "SCG"), (345, 2010, "SRB"), (340, 2010, "SRB"),
    (365, 1991, "SUN"), (365, 1992, "RUS"), (315, 1992, "CSK"), (315, 1993, ""), (316, 1993, "CZE"),
    (816, 1950, "VNM"), (816, 1970, "VDR"), (816, 1976, "VNM"), (817, 1970, "VNM"), (817, 1976, ""),
    (678, 1980, "YEM"), (680, 1980, "YMD"), (680, 1991, ""), (972, 2003, "TON"), (347, 2010, "XKX"),
    (751, 1948, ""), (811, 1946, "KHM"), (626, 2012, "SSD"), (999, 2000, ""),
])
def test_gw_history(gw: int, year: int, code: str) -> None:
    assert gw_to_iso3(gw, year) == code


def test_gw_successors_are_present_day_countries() -> None:
    assert [gw_successor(g) for g in (265, 365, 345, 315, 680, 816, 751, 2, 999)] == \
        ["DEU", "RUS", "SRB", "CZE", "YEM", "VNM", "IND", "USA", ""]
    for gw, periods in countries.GW.items():
        code = gw_successor(gw)
        assert code == countries.KOSOVO or countries.pycountry.countries.get(alpha_3=code), (gw, periods)


def test_every_gw_code_is_an_iso_code() -> None:
    for gw, periods in countries.GW.items():
        for _, _, code in periods:
            assert code == "" or iso3(code) == code, (gw, code)


def test_parse_gw() -> None:
    assert countries.parse_gw("651, 666") == (651, 666)
    assert countries.parse_gw(" ") == ()
    with pytest.raises(ValueError, match="comma-separated"):
        countries.parse_gw("651; 666")


def test_every_views_country_maps() -> None:
    need_shared()
    from kompas.context import load

    rows = load.read_views_countries()
    assert len(rows) == 191
    codes = {views_iso3(i, name) for i, name in rows}
    assert "" not in codes, [name for i, name in rows if not views_iso3(i, name)]
    assert len(codes) == 191, "two VIEWS countries mapped to one ISO3"
    assert {views_iso3(167, "Congo, DRC"), views_iso3(232, "Kosovo"), views_iso3(246, "South Sudan")} == \
        {"COD", "XKX", "SSD"}


def test_every_sipri_ndgain_ipc_country_maps() -> None:
    need_shared()
    from kompas.context import load

    sipri = load.read_sipri()
    assert {r.country for r in sipri.countries if not r.iso3} == {"European Union"} or \
        not {r.country for r in sipri.countries if not r.iso3}
    data = load.read_ndgain()
    assert len(data.countries) == 192 and all(iso3(c) == c for c in data.countries)
    analyses, _ = load.read_ipc()
    assert {a.country for a in analyses if not a.iso3} == {"LAC Region (tri-National)"}


@pytest.mark.parametrize(("a", "b", "touch"), [
    ("FRA", "ESP", True), ("RUS", "FIN", True), ("FRA", "GBR", False), ("DNK", "SWE", False),
    ("DEU", "POL", True), ("SOM", "DJI", True), ("CYP", "GBR", False), ("XKX", "SRB", True),
    ("SSD", "SDN", True), ("ESP", "MAR", False), ("FRA", "BRA", True), ("MYS", "SGP", False),
    ("USA", "CAN", True), ("ISL", "NOR", False), ("UKR", "RUS", True), ("SUN", "FIN", True),
])
def test_neighbours_natural_earth(a: str, b: str, touch: bool) -> None:
    assert (b in neighbours(a)) is touch
    assert (a in neighbours(b)) is touch or a == "SUN", "symmetric"


def test_neighbour_table_shape() -> None:
    from kompas.context import load

    table = load.neighbour_table()
    assert len(table) > 230 and table["ISL"] == frozenset() and table["AUS"] == frozenset()
    assert all(code not in near for code, near in table.items())
    assert sum(len(v) for v in table.values()) == 2 * 323, "323 land borders on Natural Earth 1:50m"
    assert "SOL" not in table and "CYN" not in table and "KAS" not in table
