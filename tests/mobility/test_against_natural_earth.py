"""The gap between two countries and the country at a point (kompas.mobility.geography) on Natural Earth Admin-0
(public domain): the 1:50m and 1:110m files in ../shared/data/mobility/naturalearth and the simplified 1:50m copy
bundled in kompas/data/naturalearth (always present).

Reference: the Suwałki gap, Belarus to Russia's Kaliningrad exclave, 66.0 km on the 1:50m file and 67.5 km on the
1:110m one (PROVENANCE.md of the shared folder, nearest points in degrees then the WGS84 geodesic; here nearest
points in kilometres, same answer to 0.1 km). Tolerance 0.5 km: the two scales differ by 1.5 km, the bundled copy
is simplified at 0.01 degrees (about 1 km) and rounded to 4 decimals.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from kompas.locate import shared_data
from kompas.mobility.geography import Countries, GeographyError, country_at, gap, gap_km, kaliningrad, parse_countries

BUNDLED = Path(str(files("kompas"))) / "data" / "naturalearth" / "ne_50m_admin_0_countries.geojson"


def need(name: str) -> Path:
    folder = shared_data("mobility/naturalearth")
    if folder is None or not (folder / name).is_file():
        pytest.skip(f"mobility/naturalearth/{name} not found under ../shared/data (clone ../shared beside the "
                    "checkout)")
    return folder / name


@pytest.fixture(scope="module")
def bundled() -> Countries:
    return parse_countries(BUNDLED.read_text(), "kompas/data/naturalearth")


@pytest.fixture(scope="module")
def ne50() -> Countries:
    return parse_countries(need("ne_50m_admin_0_countries.geojson").read_text(), "ne_50m")


@pytest.mark.shared
def test_suwalki_gap_on_the_1_to_50m_file(ne50: Countries) -> None:
    suwalki = gap(ne50, "BLR", "RUS", kaliningrad)
    assert suwalki.km == pytest.approx(66.0, abs=0.5)
    assert suwalki.point_a == pytest.approx((23.485, 53.940), abs=0.005)  # PROVENANCE: 23.485E 53.940N (Belarus)
    assert suwalki.point_b == pytest.approx((22.766, 54.357), abs=0.005)  # and 22.766E 54.357N (Kaliningrad)
    assert country_at(ne50, *suwalki.point_a) in {"BY", "PL", "LT", "RU"}


@pytest.mark.shared
def test_suwalki_gap_on_the_1_to_110m_file() -> None:
    text = need("ne_110m_admin_0_countries.geojson").read_text()
    assert gap_km(text, "BLR", "RUS", kaliningrad, "ne_110m").km == pytest.approx(67.5, abs=0.5)


def test_suwalki_gap_on_the_bundled_copy(bundled: Countries) -> None:
    assert gap(bundled, "BLR", "RUS", kaliningrad).km == pytest.approx(66.0, abs=0.5)
    # without the filter Russia proper is closer to Belarus: they share a border
    assert gap(bundled, "BLR", "RUS").km == 0.0
    assert gap(bundled, "POL", "LTU").km == 0.0  # neighbours touch


@pytest.mark.parametrize(("lon", "lat", "iso2"), [
    (21.01, 52.23, "PL"),   # Warsaw
    (25.28, 54.69, "LT"),   # Vilnius
    (20.51, 54.71, "RU"),   # Kaliningrad
    (24.94, 60.17, "FI"),   # Helsinki
    (2.35, 48.86, "FR"),    # Paris: ISO_A3 is -99 for France, ADM0_A3 and ISO_A2_EH are not
    (19.0, 55.5, ""),       # the Baltic Sea
])
def test_country_at(bundled: Countries, lon: float, lat: float, iso2: str) -> None:
    assert country_at(bundled, lon, lat) == iso2


def test_bad_data_is_named() -> None:
    with pytest.raises(GeographyError, match="x.json: not JSON"):
        parse_countries("{", "x.json")
    with pytest.raises(GeographyError, match="x.json: not a GeoJSON FeatureCollection"):
        parse_countries("[]", "x.json")
    with pytest.raises(GeographyError, match="no country polygons"):
        parse_countries('{"type": "FeatureCollection", "features": []}', "x.json")
    one = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ADM0_A3": "AAA", '
           '"ISO_A2_EH": "AA"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}')
    countries = parse_countries(one, "one.json")
    with pytest.raises(GeographyError, match="one.json: no country with ADM0_A3 'BBB'"):
        gap(countries, "AAA", "BBB")
    with pytest.raises(GeographyError, match="keeps none of RUS"):
        gap(parse_countries(one.replace("AAA", "RUS"), "r.json"), "RUS", "RUS", kaliningrad)
