"""OMM in KVN, XML, JSON and CSV: round trips, standard details, per-record rejection, fuzzing."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.space import omm
from kompas.space.ingest import detect_format, parse_text
from kompas.space.tle import parse_tle

NOW = np.datetime64("2026-11-23T00:00:00", "ns")
WRITERS = {"omm-json": omm.write_json, "omm-csv": omm.write_csv, "omm-kvn": omm.write_kvn, "omm-xml": omm.write_xml}


@pytest.fixture(scope="module")
def elsets(sample_text):
    return parse_tle(sample_text, "sample", NOW)[0][:50]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip_and_detection(elsets, fmt):
    text = WRITERS[fmt](elsets)
    assert detect_format(text) == fmt
    parsed = parse_text(text, f"x.{fmt}", now_utc=NOW)
    assert parsed.rejections == []
    assert len(parsed.elements) == len(elsets)
    for a, b in zip(elsets, parsed.elements, strict=True):
        assert a.same_elements(b) and a.name == b.name and a.intl_designator == b.intl_designator


def test_kvn_with_units_comments_and_day_of_year_epoch():
    text = """CCSDS_OMM_VERS = 2.0
COMMENT from a hand-written message
CREATION_DATE = 2026-05-05T00:00:00
ORIGINATOR = TEST
OBJECT_NAME = ISS (ZARYA)
OBJECT_ID = 1998-067A
CENTER_NAME = EARTH
REF_FRAME = TEME
TIME_SYSTEM = UTC
MEAN_ELEMENT_THEORY = SGP4
EPOCH = 2026-125T11:45:31.649760
MEAN_MOTION = 15.49105068 [rev/day]
ECCENTRICITY = 0.0007383
INCLINATION = 51.6304 [deg]
RA_OF_ASC_NODE = 151.4493 [deg]
ARG_OF_PERICENTER = 26.0888 [deg]
MEAN_ANOMALY = 334.0471 [deg]
NORAD_CAT_ID = 25544
BSTAR = 0.00013737 [1/ER]
"""
    (e,), rej = omm.parse_kvn(text, "iss.kvn", NOW)
    assert rej == []
    assert e.epoch_utc == np.datetime64("2026-05-05T11:45:31.649760", "ns")
    assert e.mean_motion_rev_day == 15.49105068 and e.bstar_per_earth_radii == 0.00013737


def test_json_accepts_space_track_strings_and_reports_bad_records_by_line(elsets):
    records = [omm.to_fields(e) for e in elsets[:3]]
    records[0] = {k: str(v) for k, v in records[0].items()}  # Space-Track quotes every value
    records[1]["ECCENTRICITY"] = 1.5
    del records[2]["MEAN_MOTION"]
    text = "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]"
    good, rej = omm.parse_json(text, "gp.json", NOW)
    assert [e.norad_id for e in good] == [elsets[0].norad_id]
    assert [(r.line, r.field) for r in rej] == [(3, "ECCENTRICITY"), (4, "MEAN_MOTION")]
    assert str(rej[1]) == "gp.json:4: MEAN_MOTION: missing"


def test_truncated_json_keeps_the_good_records(elsets):
    text = omm.write_json(elsets[:5])
    good, rej = omm.parse_json(text[: text.rindex("{") + 30], "cut.json", NOW)
    assert len(good) == 4 and len(rej) == 1 and "rest of file not read" in rej[0].reason


def test_other_mean_element_theories_are_rejected():
    text = omm.write_kvn([]) + "CCSDS_OMM_VERS = 3.0\nMEAN_ELEMENT_THEORY = DSST\nEPOCH = 2026-01-01T00:00:00\n"
    good, (rej,) = omm.parse_kvn(text, "dsst.kvn", NOW)
    assert good == [] and rej.field == "MEAN_ELEMENT_THEORY" and rej.line == 1


def test_broken_xml_reports_the_line(elsets):
    text = omm.write_xml(elsets[:3]).replace("</omm>", "</omx>", 2)
    good, rej = omm.parse_xml(text, "bad.xml", NOW)
    assert len(good) == 0 and rej[0].field == "XML" and rej[0].line > 1


def test_csv_extra_values_and_bad_numbers(elsets):
    lines = omm.write_csv(elsets[:3]).splitlines()
    lines[1] += ",surplus"
    lines[2] = lines[2].replace(str(elsets[1].inclination_deg), "fifty", 1)
    good, rej = omm.parse_csv("\n".join(lines), "gp.csv", NOW)
    assert len(good) == 1
    assert [(r.line, r.field) for r in rej] == [(2, "CSV"), (3, "INCLINATION")]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(list(WRITERS)), data=st.data())
def test_fuzzed_omm_never_crashes_and_loses_nothing_silently(elsets, fmt, data):
    text = WRITERS[fmt](elsets[:8])
    pos = data.draw(st.integers(0, len(text) - 1))
    char = data.draw(st.characters(blacklist_categories=("Cs",)))
    mutated = text[:pos] + char + text[pos + 1:]
    parsed = parse_text(mutated, "fuzz", fmt, NOW)
    assert len(parsed.elements) + len({r.line for r in parsed.rejections}) >= 1
    if len(parsed.elements) < 8:
        assert parsed.rejections, "records vanished without a rejection"


def test_text_after_the_array_is_reported(elsets):
    """Hypothesis found '[' + ']' + records: the array closed at once and the records were dropped silently."""
    text = omm.write_json(elsets[:2])
    good, rej = omm.parse_json(text[:1] + "]" + text[2:], "early.json", NOW)
    assert good == [] and [(r.line, r.field) for r in rej] == [(1, "JSON")] and "text after" in rej[0].reason
    good, rej = omm.parse_json(omm.write_json(elsets[:1]).strip()[1:-1] + " trailing", "one.json", NOW)
    assert len(good) == 1 and rej and rej[0].reason.startswith("text after the object")
