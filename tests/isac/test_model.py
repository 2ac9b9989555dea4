"""The ISAC report model: IEEE 521 letter bands at their edges, PAP, places, the JSON form (a property test: it is
an exact inverse) and the errors naming the field. All reports here are illustrative (made up for the tests)."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.core.markings import TLP, Classification, Marking
from kompas.isac.model import (
    INTERFERENCE_TYPES,
    PAP,
    SEGMENTS,
    Band,
    IsacError,
    IsacReport,
    Location,
    Satellite,
    band_letters,
    itu_band,
    report_from_dict,
    report_id,
)


def _report(**changes) -> IsacReport:
    base = {"id": report_id("test", "illustrative"), "title": "Illustrative GNSS jamming report",
            "start_utc": "2026-03-01T06:00:00Z", "interference": "jamming"}
    return IsacReport(**(base | changes))


@pytest.mark.parametrize(("low", "high", "letters"), [
    (1000.0, 1000.0, ("L",)), (999.999, 999.999, ("UHF",)), (1575.42, 1575.42, ("L",)), (2000.0, 2000.0, ("S",)),
    (9500.0, 9800.0, ("X",)), (1900.0, 2100.0, ("L", "S")), (12000.0, 12000.0, ("Ku",)),
    (26500.0, 40000.0, ("K", "Ka", "V")), (300000.0, 300000.0, ("mm",)), (2.0, 2.0, ())])
def test_ieee_521_letters_at_the_band_edges(low, high, letters) -> None:
    """IEEE Std 521-2002 table (L 1-2 GHz, S 2-4, X 8-12, Ku 12-18, K 18-27, Ka 27-40, V 40-75, mm 110-300 GHz);
    a lower edge belongs to the band above it."""
    assert band_letters(low, high) == letters


def test_band_letter_and_range_must_agree_and_itu_names() -> None:
    assert Band(1400.0, 1400.0, "l-band").letter == "L"
    assert Band(letter="Ku").range_mhz == (12000.0, 18000.0)
    with pytest.raises(IsacError) as error:
        Band(9500.0, 9800.0, "L")
    assert error.value.field == "band.letter" and "9500-9800 MHz" in error.value.reason
    with pytest.raises(IsacError):
        Band(letter="Q")
    assert (itu_band(1400, 1400), itu_band(12000, 12000), itu_band(40000, 40000)) == ("UHF", "SHF", "EHF")


def test_pap_levels() -> None:
    assert PAP.parse("pap:white") is PAP.CLEAR and PAP.parse("PAP:RED") is PAP.RED and PAP.AMBER.label == "PAP:AMBER"
    assert PAP.CLEAR < PAP.GREEN < PAP.AMBER < PAP.RED
    with pytest.raises(IsacError):
        PAP.parse("PAP:BLACK")


def test_places() -> None:
    assert Location(-17.75, 335.36).lon_deg == -24.64
    assert Location(10.0, -180.0).lon_deg == -180.0 and Location(10.0, 180.0).lon_deg == -180.0
    assert Location(region="Baltic Sea").point is False
    with pytest.raises(IsacError):
        Location(91.0, 0.0)
    with pytest.raises(IsacError):
        Location()
    with pytest.raises(IsacError):
        Location(1.0, 2.0, radius_km=0.0)


def test_report_rules() -> None:
    with pytest.raises(IsacError) as error:
        _report(stop_utc="2026-03-01T05:00:00Z")
    assert error.value.field == "stop_utc"
    with pytest.raises(IsacError) as error:
        _report(disclosure="pseudonymous")
    assert error.value.field == "pseudonym"
    with pytest.raises(IsacError) as error:
        _report(sparta_ids=("EX-16",))
    assert error.value.field == "sparta_ids"
    with pytest.raises(IsacError) as error:
        _report(interference="gremlins")
    assert error.value.field == "interference"


def test_the_shared_form_hides_the_reporter_unless_named() -> None:
    marking = Marking.build("RESTRICTED", "AMBER", ["DE"], ["space-isac"], "DE-DLR")
    anonymous = _report(reporter="DE-DLR", marking=marking)
    assert anonymous.contributor == "anonymous" and anonymous.shared_marking.originators == frozenset()
    assert "DE-DLR" not in json.dumps(anonymous.as_dict(hide_reporter=True)).replace('"DE"', "")
    named = _report(reporter="DE-DLR", marking=marking, disclosure="named")
    assert named.contributor == "DE-DLR" and named.shared_marking == marking
    assert _report(pseudonym="member-7f3a", disclosure="pseudonymous").contributor == "member-7f3a"


def test_json_errors_name_the_field_by_its_path() -> None:
    good = _report().as_dict()
    for change, field in (({"locations": [{"lat_deg": 1, "lon_deg": 2}, {"lat_deg": 95, "lon_deg": 2}]},
                           "locations[1].lat_deg"),
                          ({"satellites": [{"norad_id": -4}]}, "satellites[0].norad_id"),
                          ({"band": {"low_mhz": 9500, "high_mhz": 9800, "letter": "L"}}, "band.letter"),
                          ({"locations": [{"lat": 1}]}, "locations[0].lat"),
                          ({"colour": "red"}, "colour"),
                          ({"marking": {"classification": "SECRETISH"}}, "marking")):
        with pytest.raises(IsacError) as error:
            report_from_dict(good | change)
        assert error.value.field == field, (change, error.value)


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_times = st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2040, 1, 1))


@st.composite
def reports(draw) -> IsacReport:
    start = draw(_times)
    seconds = draw(st.integers(0, 10 * 86400))
    low = draw(st.floats(3.0, 250000.0))
    band = draw(st.one_of(st.none(), st.just(Band(low, low * draw(st.floats(1.0, 1.2)))),
                          st.sampled_from([Band(letter="L"), Band(letter="Ku")])))
    disclosure = draw(st.sampled_from(["anonymous", "pseudonymous", "named"]))
    return IsacReport(
        id=report_id(draw(_text)), title="Illustrative " + draw(_text), start_utc=start.isoformat() + "Z",
        stop_utc=(start + datetime.timedelta(seconds=seconds)).isoformat() + "Z",
        interference=draw(st.sampled_from(sorted(INTERFERENCE_TYPES))), summary=draw(_text),
        segment=draw(st.sampled_from(SEGMENTS)), band=band,
        locations=tuple(draw(st.lists(st.builds(Location, st.floats(-90, 90), st.floats(-180, 179.999),
                                                st.one_of(st.none(), st.floats(0.1, 1000))), max_size=3))),
        satellites=tuple(draw(st.lists(st.builds(Satellite, st.integers(1, 339999), _text), max_size=3))),
        sparta_ids=tuple(draw(st.lists(st.sampled_from(["EX-0016.03", "IMP-0002", "SV-AV-1"]), max_size=3))),
        pap=draw(st.sampled_from(list(PAP))),
        marking=Marking(draw(st.sampled_from(list(Classification))), draw(st.sampled_from(list(TLP)))),
        reporter="DE-DLR", pseudonym="member-1", disclosure=disclosure,
        sensor_fov_deg=draw(st.one_of(st.none(), st.floats(0.01, 360))), notes=tuple(draw(st.lists(_text,
                                                                                                   max_size=2))))


@settings(max_examples=40, deadline=None)
@given(reports())
def test_the_json_form_is_an_exact_inverse(report: IsacReport) -> None:
    assert report_from_dict(json.loads(json.dumps(report.as_dict()))) == report
