"""Force packages (kompas.mobility.packages): the bundled vehicles (kompas/data/mobility/packages/vehicles.yaml, every
figure cited) and the two ILLUSTRATIVE packages, what they need of the network, sorties and trains; the MLC estimate
from STANAG 2021's hypothetical-vehicle weights; bad packages named by item and field.

Figures: computed by hand from the cited vehicle figures and the bundled aircraft table, exact (integers) or to
0.001 t (masses)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from kompas.mobility.aircraft import Aircraft, parse_aircraft
from kompas.mobility.packages import Package, Vehicle, estimate_mlc, parse_package, parse_vehicles

EXAMPLES = Path(str(files("kompas"))) / "data" / "mobility" / "packages"


@pytest.fixture(scope="module")
def table() -> dict[str, Aircraft]:
    text = (Path(str(files("kompas"))) / "data" / "mobility" / "aircraft.yaml").read_text()
    return parse_aircraft(text, "aircraft.yaml")[0]


@pytest.fixture(scope="module")
def catalogue(table) -> dict[str, Vehicle]:
    found, rejections = parse_vehicles((EXAMPLES / "vehicles.yaml").read_text(), "vehicles.yaml", table)
    assert rejections == []
    return found


def package(name: str, catalogue, table) -> Package:
    found, rejections = parse_package((EXAMPLES / name).read_text(), name, catalogue, table)
    assert rejections == [] and found is not None
    return found


def test_every_vehicle_figure_cites_a_public_source() -> None:
    document = yaml.safe_load((EXAMPLES / "vehicles.yaml").read_text())
    for key, vehicle in document["vehicles"].items():
        for figure in ("mass_t", "length_m", "width_m", "height_m"):
            assert "<http" in vehicle[figure]["source"], (key, figure)
        for figure, value in vehicle.items():
            if isinstance(value, dict) and "source" not in value:  # only stated assumptions go uncited
                assert value["note"].startswith("ASSUMPTION"), (key, figure)


def test_the_example_vehicles(catalogue) -> None:
    leopard, boxer, truck = catalogue["leopard2a6"], catalogue["boxer"], catalogue["hx_8x8"]
    assert (leopard.mass_t, leopard.width_m, leopard.mlc, leopard.tracked) == (62.3, 3.7, 70, True)
    assert leopard.axle_load_t is None and leopard.mlc_basis.startswith("estimated")
    assert boxer.axle_load_t == pytest.approx(36.5 / 4) and boxer.axle_basis.startswith("estimated")
    assert (boxer.mlc, catalogue["patria_amv_xp"].mlc, truck.mlc, catalogue["g_class"].mlc) == (40, 30, 40, 8)
    assert "airspace-review.com" in leopard.sources["mass_t"]
    assert dict(leopard.air) == {"A400M": 0, "C-17A": 1, "C-130J-30": 0}
    assert dict(boxer.air) == {"A400M": 1, "C-17A": 2, "C-130J-30": 0}
    assert truck.air_basis["C-17A"] == "4 m high > C-17A's hold 3.76 m"  # the EU-limit height bound


def test_mechanised_battalion_needs(catalogue, table) -> None:
    battalion = package("mech-battalion.yaml", catalogue, table)
    assert battalion.illustrative and "ILLUSTRATIVE" in battalion.name and "ILLUSTRATIVE" in battalion.source
    assert battalion.vehicles == 110 and battalion.personnel == 650 and battalion.convoy_speed_kmh == 60
    assert battalion.heaviest_t == 62.3 and battalion.max_mlc == 70
    assert battalion.max_axle_t == pytest.approx(10.0)  # HX 8x8: 40 t over 4 axles
    assert (battalion.max_width_m, battalion.max_height_m) == (3.7, 4.0)
    assert battalion.rail and battalion.trains() == 4 and battalion.trains(10) == 10  # 100 wagons
    assert {name: battalion.sorties(name) for name in table} == {"A400M": None, "C-17A": None, "C-130J-30": None}
    assert any("axle load 10.0 t estimated" in line for line in battalion.estimated)


def test_sorties_of_the_battalion_without_its_trucks(catalogue, table) -> None:
    text = """package: {name: Armour only, illustrative: true}
items: [{vehicle: boxer, count: 44}, {vehicle: leopard2a6, count: 4}, {vehicle: patria_amv_xp, count: 12},
        {vehicle: g_class, count: 20}]"""
    armour, rejections = parse_package(text, "armour.yaml", catalogue, table)
    assert rejections == [] and armour is not None
    assert armour.sorties("C-17A") == 22 + 4 + 6 + 2
    assert armour.sorties(table["A400M"]) is None  # the Leopard 2A6 is heavier than 37 t


def test_light_company_flies_in_all_three(catalogue, table) -> None:
    company = package("light-company.yaml", catalogue, table)
    assert company.vehicles == 20 and company.convoy_speed_kmh == 70 and company.max_mlc == 8
    assert {name: company.sorties(name) for name in table} == {"A400M": 4, "C-17A": 2, "C-130J-30": 5}
    assert company.trains() == 1


@pytest.mark.parametrize(("mass_t", "tracked", "mlc"), [
    (36.287, True, 40), (36.3, True, 50), (45.359, True, 50), (62.3, True, 70), (36.5, False, 40),
    (42.6, False, 40), (42.7, False, 50), (4.9, False, 8), (200.0, True, 221)])
def test_mlc_estimate_from_the_hypothetical_vehicle_weights(mass_t: float, tracked: bool, mlc: int) -> None:
    # tracked class N = N short tons (40 st = 36.287 t); wheeled class N ~ N / 0.85 st (class 40: 42.7 t, OSM wiki's
    # STANAG 2021 table gives 42.6 t)
    assert estimate_mlc(mass_t, tracked) == mlc


BAD = """
package: {name: Broken, personnel: many, convoy_speed_kmh: 400, illustrative: maybe}
vehicles:
  ok: {name: Jeep, mass_t: 3, length_m: 4, width_m: 2, height_m: 2, mlc: 4, air: {C-17: 12}}
  heavy: {name: Heavy, mass_t: -3, length_m: 4, width_m: 2, height_m: 2}
  half: {name: Half, mass_t: 3, length_m: 4, width_m: 2}
  odd: {name: Odd, mass_t: 3, length_m: 4, width_m: 2, height_m: 2, mlc: 4.5}
items:
  - {vehicle: ok, count: 2}
  - {vehicle: tank, count: 1}
  - {vehicle: ok, count: 0}
  - nothing
"""


def test_bad_fields_and_items_are_named(table) -> None:
    found, rejections = parse_package(BAD, "bad.yaml", aircraft=table)
    assert found is not None and found.vehicles == 2 and found.personnel == 0 and found.convoy_speed_kmh == 60
    assert found.illustrative  # a wrong flag falls back to the safe side
    assert found.items[0][0].air["C-17A"] == 12 and found.items[0][0].air_basis["C-17A"] == "stated"
    where = [(r.line, r.field) for r in rejections]
    assert where == [(2, "mass_t"), (3, "height_m"), (4, "mlc"), (2, "vehicle"), (3, "count"), (4, ""),
                     (0, "package.personnel"), (0, "package.convoy_speed_kmh"), (0, "package.illustrative")]
    assert "unknown vehicle 'tank' (known: ok)" in rejections[3].reason
    assert all(r.source == "bad.yaml" and r.unit == "item" for r in rejections)


def test_no_package_without_a_name_or_items() -> None:
    assert parse_package("items: []", "x.yaml")[0] is None
    nothing, rejections = parse_package("package: {name: Empty}\nitems: []", "x.yaml")
    assert nothing is None and rejections[-1].reason == "no usable item: the package is empty"
    assert parse_package("package: [", "x.yaml")[1][0].reason.startswith("not YAML")
    assert parse_vehicles("cars: {}", "v.yaml")[1][0].field == "vehicles"
