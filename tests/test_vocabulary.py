"""The shared vocabulary: constants named after their models, one Rejection type, one time module."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sgp4.earth_gravity import wgs72, wgs84

from kompas import constants, times
from kompas.rejections import Rejection


def test_wgs72_constants_are_sgp4s_own() -> None:
    assert wgs72.radiusearthkm == constants.EARTH_RADIUS_WGS72_KM
    assert wgs72.mu == constants.MU_WGS72_KM3_S2
    assert (wgs72.j2, wgs72.j3, wgs72.j4) == (constants.J2_WGS72, constants.J3_WGS72, constants.J4_WGS72)


def test_wgs84_constants_match_the_ellipsoid() -> None:
    assert wgs84.radiusearthkm == constants.EARTH_RADIUS_WGS84_KM
    assert pytest.approx(298.257223563, rel=1e-15) == 1.0 / constants.FLATTENING_WGS84
    # sgp4's "wgs84" set uses a rounded mu (398600.5); the WGS-84 value is 398600.4418.
    assert constants.MU_WGS84_KM3_S2 == 398600.4418
    assert pytest.approx(6356.752314245, abs=1e-9) == constants.EARTH_POLAR_RADIUS_WGS84_KM


def test_engines_use_the_named_models() -> None:
    from kompas.space import manoeuvres, screening, summary
    from kompas.space.elements import ElementSet

    assert screening.MU_KM3_S2 == manoeuvres.MU_KM3_S2 == constants.MU_WGS72_KM3_S2
    assert screening.EARTH_RADIUS_KM == summary.EARTH_RADIUS_KM == constants.EARTH_RADIUS_WGS72_KM
    e = ElementSet(1, np.datetime64("2026-05-01T00:00:00", "ns"), 15.5, 0.001, 51.6, 0.0, 0.0, 0.0)
    assert e.perigee_altitude_km + constants.EARTH_RADIUS_WGS72_KM == pytest.approx(e.semi_major_axis_km * 0.999)


def test_rejection_prints_as_the_readers_always_did() -> None:
    assert str(Rejection("own.csv", 5, "provider", "unknown country", "Atlantis")) == \
        "own.csv:5: provider: unknown country (got 'Atlantis')"
    assert str(Rejection("e.json", 2, "confidence", "not a number in 0..1", "2", unit="item")) == \
        "e.json: item 2: confidence: not a number in 0..1"
    assert str(Rejection("events", 0, "", "not a JSON list of events", unit="item")) == \
        "events: not a JSON list of events"
    assert Rejection("a", 1, "f", "r", "v").as_dict() == {"source": "a", "line": 1, "field": "f", "reason": "r",
                                                          "value": "v"}


def test_rejection_is_re_exported_where_it_used_to_live() -> None:
    from kompas.space.elements import Rejection as Old

    assert Old is Rejection and dataclasses.is_dataclass(Rejection)


def test_time_forms() -> None:
    t = times.parse_time_utc("2026-05-01T12:00:00.123456789Z")
    assert t == np.datetime64("2026-05-01T12:00:00.123456789", "ns")
    assert times.utc_text_ns(t) == "2026-05-01T12:00:00.123456789Z"
    assert times.utc_text_ms(t) == "2026-05-01T12:00:00.123Z"
    assert list(times.format_time_utc(np.array([t, t]))) == ["2026-05-01T12:00:00.123Z"] * 2
    assert times.parse_time_utc("2026-05-01T12:00:00+00:00") == np.datetime64("2026-05-01T12:00:00", "ns")
    assert times.as_ns(np.datetime64("2026-05-01", "D")) == np.datetime64("2026-05-01T00:00:00", "ns")
    assert times.day_start_utc(date(2021, 6, 10)) == times.day_start_utc(date(2021, 6, 10).toordinal()) == \
        "2021-06-10T00:00:00Z"
    with pytest.raises(ValueError, match="not an ISO 8601 UTC time"):
        times.parse_time_utc("yesterday")


def test_dates_are_exactly_yyyy_mm_dd() -> None:
    assert times.parse_date("2024-02-29") == date(2024, 2, 29)
    for bad in ("2023-02-29", "20240229", "2024-2-29", "2024-02-29T00:00:00"):
        assert not times.is_date(bad)
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            times.parse_date(bad)


def test_now_is_nanoseconds_utc() -> None:
    before = np.datetime64("now", "s")
    now = times.now_utc()
    assert now.dtype == np.dtype("datetime64[ns]") and abs(now - before) < np.timedelta64(5, "s")
    assert times.now_text_ns().endswith("Z") and len(times.now_text_ns()) == 30


@given(st.integers(min_value=-(2**62), max_value=2**62), st.integers(min_value=-(2**62), max_value=2**62))
def test_stored_form_round_trips_and_sorts_as_text(a_ns: int, b_ns: int) -> None:
    a, b = np.datetime64(a_ns, "ns"), np.datetime64(b_ns, "ns")  # 1823..2116: four-digit years
    assert times.parse_time_utc(times.utc_text_ns(a)) == a
    assert (times.utc_text_ns(a) < times.utc_text_ns(b)) == (a < b)


def test_times_outside_the_nanosecond_span_are_refused_not_wrapped() -> None:
    """datetime64[ns] holds 1677-2262: year 2999 used to wrap silently to 1829; it is now a readable error, and
    times inside the span keep their nanoseconds."""
    import numpy as np
    import pytest

    from kompas.times import parse_time_utc

    assert parse_time_utc("2262-04-01T00:00:00Z") == np.datetime64("2262-04-01", "ns")
    assert str(parse_time_utc("2026-05-05T00:00:00.123456789Z")).endswith(".123456789")
    for text in ("2999-01-01T00:00:00Z", "1500-01-01", "9999-12-31T23:59:59Z"):
        with pytest.raises(ValueError, match="outside 1677-2262"):
            parse_time_utc(text)
