"""The aircraft table (kompas/data/mobility/aircraft.yaml) and kompas.mobility.aircraft: every figure cited, the
published figures read as the sources give them (unit conversions exact to the stated rounding), bad tables
rejected by entry and field, and how many loads fit in one aircraft."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from kompas.mobility.aircraft import Aircraft, find, fit, parse_aircraft

LB_T = 0.45359237e-3
FT_M = 0.3048


@pytest.fixture(scope="module")
def text() -> str:
    return (Path(str(files("kompas"))) / "data" / "mobility" / "aircraft.yaml").read_text()


@pytest.fixture(scope="module")
def table(text: str) -> dict[str, Aircraft]:
    found, rejections = parse_aircraft(text, "aircraft.yaml")
    assert rejections == []
    return found


def test_the_three_aircraft_and_their_aliases(table) -> None:
    assert sorted(table) == ["A400M", "C-130J-30", "C-17A"]
    assert find(table, "c17").name == "C-17A" and find(table, "Globemaster").name == "C-17A"
    assert find(table, "a400m atlas").name == "A400M" and find(table, "C-130").name == "C-130J-30"
    assert find(table, "C-5") is None


def test_published_figures(table) -> None:
    c17, a400m, c130 = table["C-17A"], table["A400M"], table["C-130J-30"]
    assert c17.payload_t == pytest.approx(170_900 * LB_T, abs=0.05)  # 170,900 lb, rounded to 0.1 t
    assert c17.runway.length_m == pytest.approx(3_500 * FT_M, abs=0.5)  # 3,500 ft, rounded to 1 m
    assert c17.runway.width_m == pytest.approx(90 * FT_M, abs=0.05)  # 90 ft
    assert c17.hold_length_m == pytest.approx(88 * FT_M, abs=0.05) and c17.hold_width_m == pytest.approx(18 * FT_M,
                                                                                                          abs=0.01)
    assert a400m.payload_t == 37.0 and a400m.runway.length_m == 1_400 and a400m.runway.width_m == 20.0
    assert c130.runway.length_m == pytest.approx(3_000 * FT_M, abs=0.5)  # AFMAN 13-217: 3,000 ft x 60 ft
    assert c130.runway.width_m == pytest.approx(60 * FT_M, abs=0.05)
    assert c130.hold_length_m is None and "no public source" in c130.notes["hold_length_m"]
    assert all(p.runway.unpaved for p in table.values())
    assert c17.troops == 102 and a400m.troops == 116


def test_every_figure_cites_a_listed_source_with_an_address(text: str, table) -> None:
    document = yaml.safe_load(text)
    for entry in document["aircraft"]:
        plane = table[entry["name"]]
        figures = [k for k, v in entry.items() if isinstance(v, dict) and k != "runway"] + \
                  [f"runway.{k}" for k, v in entry["runway"].items() if isinstance(v, dict)]
        assert len(figures) == 9  # six figures and three runway figures
        for figure in figures:
            assert "<http" in plane.cites(figure), (plane.name, figure)
    assert "AFMAN 13-217" in table["C-130J-30"].cites("runway.length_m")


def test_fit_by_mass_size_and_floor(table) -> None:
    c17, a400m, c130 = table["C-17A"], table["A400M"], table["C-130J-30"]
    assert fit(62.3, 9.9, 3.7, 3.0, c17).per_aircraft == 1  # a Leopard 2A6 in a C-17
    no = fit(62.3, 9.9, 3.7, 3.0, a400m)
    assert no.per_aircraft == 0 and no.reason == "62.3 t > A400M's payload 37 t"
    assert fit(10, 5, 3.2, 2, c130).reason == "3.2 m wide > C-130J-30's hold 3.05 m"
    assert fit(10, 5, 2, 3.9, c17).reason == "3.9 m high > C-17A's hold 3.76 m"
    assert fit(10, 30, 2, 2, c17).reason == "30 m long > C-17A's hold 26.8 m"
    light = fit(4.9, 4.89, 1.859, 2.42, c17)  # two lanes of five: 10, fewer than the 15 the payload allows
    assert light.per_aircraft == 10 and "floor area" in light.reason
    unknown = fit(4.9, 4.89, 1.859, 2.42, c130)
    assert unknown.per_aircraft == 4 and "length not checked" in unknown.reason


BAD = """
sources: {s1: {title: T, url: http://x}}
aircraft:
  - name: Good
    payload_t: {value: 10, source: s1}
    hold_width_m: {value: 3, source: s1}
    hold_height_m: {value: 3, source: s1}
    cruise_kmh: {value: 500, source: s1}
    runway: {length_m: {value: 900, source: s1}, width_m: {value: 20, source: s1}, unpaved: {value: false, source: s1}}
  - name: Uncited
    payload_t: 10
  - name: Unknown source
    payload_t: {value: 10, source: s9}
  - name: Negative
    payload_t: {value: -1, source: s1}
  - name: No runway
    payload_t: {value: 10, source: s1}
    hold_width_m: {value: 3, source: s1}
    hold_height_m: {value: 3, source: s1}
    cruise_kmh: {value: 500, source: s1}
  - just a string
  - name: Good
    payload_t: {value: 10, source: s1}
    hold_width_m: {value: 3, source: s1}
    hold_height_m: {value: 3, source: s1}
    cruise_kmh: {value: 500, source: s1}
    runway: {length_m: {value: 900, source: s1}, unpaved: {value: maybe, source: s1}}
"""


def test_bad_entries_are_named_by_number_and_field() -> None:
    table, rejections = parse_aircraft(BAD, "mine.yaml")
    assert list(table) == ["Good"] and table["Good"].runway.unpaved is False
    assert [(r.line, r.field) for r in rejections] == [(2, "payload_t"), (3, "payload_t"), (4, "payload_t"),
                                                       (5, "runway"), (6, ""), (7, "runway.unpaved")]
    assert "so that the figure is cited" in rejections[0].reason
    assert "'s9' is not listed" in rejections[1].reason
    assert "positive number, got -1" in rejections[2].reason
    assert all(r.unit == "item" and r.source == "mine.yaml" for r in rejections)
    assert str(rejections[0]).startswith("mine.yaml: item 2: payload_t: Uncited:")


def test_not_a_table() -> None:
    assert parse_aircraft("aircraft: [", "x.yaml")[1][0].reason.startswith("not YAML")
    assert parse_aircraft("planes: []", "x.yaml")[1][0].field == "aircraft"
