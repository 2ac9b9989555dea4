"""SIPRI military expenditure extract: parsing (markers kept as no data), the April 2024 fact-sheet figures, and
the series the threat analysis uses."""

from __future__ import annotations

import pytest

from kompas.context import sipri

from .conftest import need_shared

COUNTRY_HEADER = ",".join(sipri.COUNTRY_COLUMNS)
REGION_HEADER = ",".join(sipri.REGION_COLUMNS)


@pytest.fixture(scope="module")
def data() -> sipri.Sipri:
    need_shared()
    from kompas.context import load

    return load.read_sipri()


def test_markers_are_no_data_not_zero() -> None:
    text = "\n".join([COUNTRY_HEADER, "Europe,Western Europe,Germany,2023,61187.4,,0.0152,",
                      "Asia & Oceania,East Asia,\"Korea, North\",2023,,...,,...",
                      "Europe,Eastern Europe,USSR,2023,,xxx,,xxx", "Europe,Western Europe,European Union,2014,,,,"])
    rows, rejections = sipri.parse_countries(text + "\n", "c.csv")
    assert rejections == []
    by_name = {r.country: r for r in rows}
    assert by_name["Korea, North"].usd_m is None and by_name["Korea, North"].usd_flag == "..."
    assert by_name["USSR"].usd_m is None and by_name["USSR"].usd_flag == "xxx" and by_name["USSR"].iso3 == "SUN"
    assert by_name["Germany"].iso3 == "DEU" and by_name["Germany"].usd_m == pytest.approx(61187.4)
    assert by_name["European Union"].iso3 == "" and by_name["European Union"].usd_m is None


def test_bad_rows_reported_precisely() -> None:
    text = "\n".join([COUNTRY_HEADER, "Europe,Western Europe,Germany,2023,lots,,0.0152,",
                      "Europe,Western Europe,France,2023,100,...,0.02,", "Europe,Western Europe,Italy,2023,1,,1.5,",
                      "Europe,Western Europe,Spain,2023,1,,0.01,zzz", "Europe,Western Europe,Spain,20x3,1,,0.01,",
                      "Europe,Western Europe,Spain,2023,1,,0.01,", "Europe,Western Europe,Spain,2023,2,,0.01,"])
    rows, rejections = sipri.parse_countries(text + "\n", "c.csv")
    assert [r.country for r in rows] == ["Spain"]
    assert [(r.line, r.field) for r in rejections] == [
        (2, "milex_constant_2022_usd_m"), (3, "milex_constant_2022_usd_m"), (4, "milex_share_of_gdp"),
        (5, "gdp_flag"), (6, "year"), (8, "country")]
    assert "marker" in rejections[1].reason and "duplicate" in rejections[5].reason
    none, missing = sipri.parse_regions("region,year\nWorld,2023\n", "r.csv")
    assert none == [] and missing[0].line == 0 and "milex_constant_2022_usd_bn" in missing[0].reason


def test_world_change_reference(data: sipri.Sipri) -> None:
    # SIPRI fact sheet April 2024: +6.8 % real 2022->2023; tolerance 0.05 percentage points.
    assert data.rejections == []
    world = data.region_series()
    assert world[2022] == pytest.approx(2241.5, abs=0.05) and world[2023] == pytest.approx(2393.6, abs=0.05)
    assert 100 * sipri.world_change(data.regions, 2022, 2023) == pytest.approx(6.8, abs=0.05)
    current = next(r.current_usd_bn for r in data.regions if r.region == "World" and r.year == 2023)
    assert current == pytest.approx(2443.4, abs=0.05)
    with pytest.raises(ValueError, match="no world total"):
        sipri.world_change(data.regions, 2000, 2023)


def test_extract_shape_and_series(data: sipri.Sipri) -> None:
    assert len(data.countries) == 1740 and len({r.country for r in data.countries}) == 174
    assert sum(1 for r in data.countries if r.usd_m is not None) == 1544, "PROVENANCE: 1,544 non-empty pairs"
    assert {r.country for r in data.countries if not r.iso3} == {"European Union"}
    assert len(data.regions) == 190
    top = sipri.top_spenders(data, 2023, 5)
    assert [r.iso3 for r in top] == ["USA", "CHN", "RUS", "IND", "SAU"]
    assert data.share_series("UKR")[2023] == pytest.approx(0.3665, abs=5e-5)
    assert sipri.share_of_world(data, "USA", 2023) == pytest.approx(880.07 / 2393.6, abs=1e-4)


def test_eu27_total_is_a_kompas_sum(data: sipri.Sipri) -> None:
    eu = sipri.eu27_series(data)
    assert all(missing == [] for _, missing in eu.values()), "every member has data 2014-2023"
    total_2023 = eu[2023][0]
    germany, france = data.series("DEU")[2023], data.series("FRA")[2023]
    assert germany is not None and france is not None and total_2023 > germany + france
    assert sipri.change({y: v for y, (v, _) in eu.items()}, 2014, 2023) == pytest.approx(0.516, abs=5e-4)
    assert sipri.CITATION == "SIPRI Military Expenditure Database 2024, https://www.sipri.org/databases/milex"
    assert "not SIPRI's" in sipri.NOTE and sipri.CITATION in sipri.ATTRIBUTION
