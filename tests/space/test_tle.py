"""TLE parsing: layout, checksums, field rules, Alpha-5, and per-record rejection under fuzzing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.space.tle import checksum, format_tle, parse_tle

NOW = np.datetime64("2026-11-23T00:00:00", "ns")
# ISS (ZARYA) from the 2026-05-05 active snapshot.
ISS = (
    "ISS (ZARYA)             ",
    "1 25544U 98067A   26125.48994965  .00007156  00000+0  13737-3 0  9992",
    "2 25544  51.6304 151.4493 0007383  26.0888 334.0471 15.49105068565132",
)


def test_iss_fields():
    (e,), rej = parse_tle("\n".join(ISS), "iss.tle", NOW)
    assert rej == []
    assert e.norad_id == 25544 and e.name == "ISS (ZARYA)" and e.intl_designator == "1998-067A"
    assert e.epoch_utc == np.datetime64("2026-01-01T00:00", "ns") + np.timedelta64(round(124.48994965 * 86400e9),
                                                                                      "ns")
    assert (e.inclination_deg, e.raan_deg, e.eccentricity) == (51.6304, 151.4493, 0.0007383)
    assert (e.arg_perigee_deg, e.mean_anomaly_deg, e.mean_motion_rev_day) == (26.0888, 334.0471, 15.49105068)
    assert e.bstar_per_earth_radii == pytest.approx(0.13737e-3)
    assert e.mean_motion_dot_rev_day2 == pytest.approx(0.00007156)
    assert e.rev_at_epoch == 56513 and e.element_set_no == 999
    assert 410 < e.perigee_altitude_km < 430


def test_checksum_rule():
    assert checksum(ISS[1]) == 2 and checksum(ISS[2]) == 2


def test_two_line_and_space_track_three_line_forms():
    two, rej = parse_tle("\n".join(ISS[1:]), "x", NOW)
    assert rej == [] and two[0].name == ""
    three, rej = parse_tle("0 ISS (ZARYA)\r\n" + "\r\n".join(ISS[1:]) + "\r\n", "x", NOW)
    assert rej == [] and three[0].name == "ISS (ZARYA)"


def test_alpha5_round_trip():
    (e,), _ = parse_tle("\n".join(ISS), "x", NOW)
    from dataclasses import replace
    big = replace(e, norad_id=123456)
    l1, l2 = format_tle(big)
    assert l1[2:7] == "C3456" and l2[2:7] == "C3456"
    (back,), rej = parse_tle(f"{l1}\n{l2}", "x", NOW)
    assert rej == [] and back.norad_id == 123456 and back.same_elements(big)


def test_format_round_trips_the_sample(sample_text):
    elsets, rej = parse_tle(sample_text, "sample", NOW)
    assert rej == [] and len(elsets) == 615
    lines = [line.rstrip() for line in sample_text.splitlines()]
    for i, e in enumerate(elsets):
        assert format_tle(e) == (lines[3 * i + 1], lines[3 * i + 2])


@pytest.mark.parametrize(("line1", "line2", "line", "field", "reason"), [
    (ISS[1][:-1] + "3", ISS[2], 2, "line 1 checksum", "is 3, computed 2"),
    (ISS[1], ISS[2][:60], 3, "line 2", "has 60 characters, expected 69"),
    (ISS[1][:8] + "X" + ISS[1][9:], ISS[2], 2, "line 1 column 9", "must be blank"),
    (ISS[1], ISS[2].replace("25544", "25545", 1)[:-1] + "3", 3, "line 2 catalogue number", "differs from line 1"),
])
def test_layout_rejections(line1, line2, line, field, reason):
    elsets, rejections = parse_tle(f"NAME\n{line1}\n{line2}\n", "bad.tle", NOW)
    assert elsets == [] and len(rejections) == 1, rejections
    rej = rejections[0]
    assert rej.field == field and rej.reason.startswith(reason) and rej.line == line
    assert str(rej).startswith(f"bad.tle:{line}: {field}: ")


def _with_checksums(l1: str, l2: str) -> str:
    return f"{l1[:68]}{checksum(l1)}\n{l2[:68]}{checksum(l2)}\n"


@pytest.mark.parametrize(("column", "text", "field"), [
    (26, "9999999", None),  # eccentricity 0.9999999 is legal
    (8, "190.0000", "inclination"),
    (52, " 0.00000000", "mean motion"),
    (52, "25.00000000", "mean motion"),
    (17, "3A0.0000", "right ascension of the ascending node"),
])
def test_range_rules(column, text, field):
    l2 = ISS[2][:column] + text + ISS[2][column + len(text):]
    elsets, rej = parse_tle(_with_checksums(ISS[1], l2), "r.tle", NOW)
    if field is None:
        assert rej == [] and len(elsets) == 1
    else:
        assert elsets == [] and [r.field for r in rej] == [field]


def test_epoch_in_the_future_rejected():
    l1 = ISS[1][:18] + "29125.50704763" + ISS[1][32:]
    elsets, (rej,) = parse_tle(_with_checksums(l1, ISS[2]), "f.tle", NOW)
    assert rej.field == "epoch" and "400 days" in rej.reason


def test_orphans_and_truncation_are_reported_and_neighbours_survive():
    text = "\n".join([*ISS, "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667",
                      "JUNK TITLE", ISS[1]])
    elsets, rej = parse_tle(text, "o.tle", NOW)
    assert [e.norad_id for e in elsets] == [25544]
    assert [(r.line, r.field) for r in rej] == [(4, "line 1"), (6, "line 2")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_lines_are_rejected_per_record(sample_text, data):
    """Mutate one character of one line: no exception; every other record still accepted; any rejection
    points at a line of the damaged record; the damaged record is accepted or rejected, never lost."""
    lines = sample_text.splitlines()[:60]  # 20 records
    target = data.draw(st.integers(0, len(lines) - 1))
    line = lines[target]
    pos = data.draw(st.integers(0, len(line)))
    op = data.draw(st.sampled_from(["replace", "delete", "insert"]))
    char = data.draw(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                                                                                       "\x85\u2028\u2029"))
    if op == "replace" and pos < len(line):
        line = line[:pos] + char + line[pos + 1:]
    elif op == "delete" and pos < len(line):
        line = line[:pos] + line[pos + 1:]
    else:
        line = line[:pos] + char + line[pos:]
    mutated = lines[:target] + [line] + lines[target + 1:]
    elsets, rejections = parse_tle("\n".join(mutated), "fuzz.tle", NOW)
    record = target // 3
    record_lines = {3 * record + 1, 3 * record + 2, 3 * record + 3}
    assert all(r.line in record_lines for r in rejections), [str(r) for r in rejections]
    original, _ = parse_tle("\n".join(lines), "orig", NOW)
    accepted = {e.source.split(":")[1] for e in elsets}
    for i, _e in enumerate(original):
        if i != record:
            assert str(3 * i + 2) in accepted
    assert len(elsets) in (len(original), len(original) - 1)
    if len(elsets) == len(original) - 1:
        assert rejections, "a record vanished without a rejection"


def test_unicode_digits_are_rejected_not_a_crash() -> None:
    """Hypothesis found "²" in the checksum column: str.isdigit() says yes, int() says no. It is a rejection."""
    line1 = "1 25544U 98067A   26124.50000000  .00016717  00000-0  10270-3 0  999\u00b2"
    line2 = "2 25544  51.6400 208.9163 0006317  69.9862  25.2906 15.49000000 1234"
    good, bad = parse_tle(f"ISS\n{line1}\n{line2}\n", "fuzz")
    assert good == [] and [(r.line, r.field, r.value) for r in bad] == [(2, "line 1 checksum", "\u00b2")]
