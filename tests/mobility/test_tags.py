"""OSM tag values read into Kompas units (kompas.mobility.tags): known conversions (OSM wiki units, the NIST
conversion factors), the values meaning "no limit", and refusals that name the value."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompas.mobility import tags


@pytest.mark.parametrize(("raw", "tonnes"), [
    ("12", 12.0), ("12 t", 12.0), ("12t", 12.0), ("12 tonnes", 12.0), ("4.5", 4.5), (" 25 ", 25.0),
    ("8000 kg", 8.0), ("3.5 st", 3.5 * 0.90718474), ("10 lt", 10 * 1.0160469088), ("20000 lbs", 20000 * 0.00045359237),
    ("12 T", 12.0),
])
def test_weights_are_read_in_tonnes(raw: str, tonnes: float) -> None:
    value, reason = tags.parse_weight_t(raw)
    assert reason is None
    assert value == pytest.approx(tonnes, rel=1e-12)


@pytest.mark.parametrize("raw", [None, "", "none", "unsigned", "default", "NONE", "no"])
def test_no_weight_limit_is_none_without_complaint(raw: str | None) -> None:
    assert tags.parse_weight_t(raw) == (None, None)


@pytest.mark.parametrize(("raw", "says"), [
    ("twelve", "is not a weight"), ("3,5", "comma"), ("12;8", "several values"), ("~12", "approximate"),
    ("12000", "not a plausible weight"), ("0", "not a plausible weight"), ("12 kN", "is not a weight"),
])
def test_bad_weights_are_refused_naming_the_value(raw: str, says: str) -> None:
    value, reason = tags.parse_weight_t(raw)
    assert value is None and reason is not None
    assert says in reason and repr(raw) in reason


def test_axle_loads_have_their_own_range() -> None:
    assert tags.parse_axleload_t("11.5") == (11.5, None)
    value, reason = tags.parse_axleload_t("80")  # a plausible gross weight, not an axle load
    assert value is None and reason is not None and "axle load" in reason


@pytest.mark.parametrize(("raw", "metres"), [
    ("3.8", 3.8), ("3.8 m", 3.8), ("3.8m", 3.8), ("380 cm", 3.8), ("12'6\"", 12 * 0.3048 + 6 * 0.0254),
    ("12'", 12 * 0.3048), ("12 ft", 12 * 0.3048), ("14' 2\"", 14 * 0.3048 + 2 * 0.0254), ("4", 4.0),
])
def test_heights_are_read_in_metres(raw: str, metres: float) -> None:
    value, reason = tags.parse_length_m(raw)
    assert reason is None
    assert value == pytest.approx(metres, rel=1e-12)


@pytest.mark.parametrize("raw", ["default", "none", "below_default", "no_sign", "unsigned"])
def test_no_height_limit_is_none_without_complaint(raw: str) -> None:
    assert tags.parse_length_m(raw) == (None, None)


def test_bad_heights_and_widths_are_refused() -> None:
    for raw, says in (("low", "is not a height"), ("3,8", "comma"), ("38", "not a plausible height"),
                      ("2.5;3", "several values")):
        value, reason = tags.parse_length_m(raw)
        assert value is None and reason is not None and says in reason, raw
    assert tags.parse_width_m("2.3") == (2.3, None)
    value, reason = tags.parse_width_m("wide")
    assert value is None and reason is not None and "width" in reason


@pytest.mark.parametrize(("raw", "kmh"), [
    ("80", 80.0), ("80 km/h", 80.0), ("50 mph", 50 * 1.609344), ("5 knots", 5 * 1.852), ("walk", 6.0),
    ("FI:urban", 50.0), ("FI:rural", 100.0), ("PL:rural", 90.0), ("LT:motorway", 130.0), ("de:urban", 50.0),
    ("60;80", 60.0),
])
def test_speeds_are_read_in_kmh(raw: str, kmh: float) -> None:
    value, reason = tags.parse_maxspeed_kmh(raw)
    assert reason is None
    assert value == pytest.approx(kmh, rel=1e-12)


def test_no_speed_limit_and_unknown_zones() -> None:
    assert tags.parse_maxspeed_kmh("none") == (None, None)  # no limit: not a number a router can use
    assert tags.parse_maxspeed_kmh("DE:motorway") == (None, None)  # no general limit on the Autobahn
    assert tags.parse_maxspeed_kmh("signals") == (None, None)
    value, reason = tags.parse_maxspeed_kmh("XX:urban")
    assert value is None and reason is not None and "'XX:urban'" in reason and "IMPLICIT_MAXSPEED_KMH" in reason
    value, reason = tags.parse_maxspeed_kmh("fast")
    assert value is None and reason is not None and "is not a speed" in reason
    value, reason = tags.parse_maxspeed_kmh("60;fast")
    assert value is None and reason is not None and "'fast'" in reason


def test_the_implicit_speed_table_covers_the_eastern_flank() -> None:
    """Every state on the eastern flank and Germany has urban and rural values (OSM wiki "Default speed limits")."""
    for country in ("FI", "EE", "LV", "LT", "PL", "DE", "SK", "HU", "RO", "CZ"):
        for zone in ("urban", "rural"):
            assert tags.IMPLICIT_MAXSPEED_KMH[f"{country}:{zone}"] is not None, (country, zone)


def test_gauges() -> None:
    assert tags.parse_gauge_mm("1524") == ((1524,), None)
    assert tags.parse_gauge_mm("1435;1520") == ((1435, 1520), None)  # dual gauge, in the order written
    assert tags.parse_gauge_mm("1435 mm") == ((1435,), None)
    assert tags.parse_gauge_mm(None) == (None, None)
    for raw, says in (("standard", "is not a gauge"), ("14350", "not a plausible gauge"), ("1435;x", "not a gauge"),
                      ("¹", "not a gauge")):  # a Unicode digit int() cannot read (found by hypothesis)
        value, reason = tags.parse_gauge_mm(raw)
        assert value is None and reason is not None and says in reason, raw


def test_electrification_and_oneway() -> None:
    for raw in ("contact_line", "rail", "yes", "4th_rail", "contact_line;rail"):
        assert tags.parse_electrified(raw) == (True, None), raw
    assert tags.parse_electrified("no") == (False, None)
    assert tags.parse_electrified(None) == (None, None)
    value, reason = tags.parse_electrified("steam")
    assert value is None and reason is not None and "'steam'" in reason
    assert [tags.parse_oneway(raw)[0] for raw in ("yes", "-1", "no", "reversible", None)] == [1, -1, 0, 0, None]
    assert tags.parse_oneway("sometimes")[1] is not None


READERS = (tags.parse_weight_t, tags.parse_axleload_t, tags.parse_length_m, tags.parse_width_m,
           tags.parse_maxspeed_kmh)


@given(st.text(max_size=20))
def test_readers_never_raise_and_give_a_value_or_a_reason_not_both(raw: str) -> None:
    for reader in READERS:
        value, reason = reader(raw)
        assert value is None or reason is None, (reader.__name__, raw)
        if value is not None:
            assert math.isfinite(value) and value > 0, (reader.__name__, raw, value)
        if reason is not None:
            assert repr(raw) in reason or repr(raw.strip()) in reason or raw.strip().lower() in reason.lower(), \
                (reader.__name__, raw, reason)
    gauges, reason = tags.parse_gauge_mm(raw)
    assert gauges is None or (reason is None and all(300 <= g <= 2000 for g in gauges))


@given(st.floats(min_value=0.5, max_value=400, allow_nan=False).map(lambda x: round(x, 2)))
def test_a_number_in_kg_and_in_tonnes_reads_the_same(tonnes: float) -> None:
    in_t, _ = tags.parse_weight_t(f"{tonnes} t")
    in_kg, _ = tags.parse_weight_t(f"{tonnes * 1000:.0f} kg")
    assert in_t == pytest.approx(tonnes) and in_kg == pytest.approx(tonnes, abs=1e-3)
