"""The ISAC readers: the Kompas ISAC JSON form (good records go through, each bad one is one precise rejection)
and the notional reporting format as plain text. Every report here is illustrative: made up for the tests, not a
real incident."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kompas.core.markings import Marking
from kompas.isac.model import PAP
from kompas.isac.reader import Contributor, gps_to_utc, normalise_markdown, parse_json, parse_notional

GOOD = {"title": "Illustrative GNSS jamming over Gotland", "start_utc": "2026-03-01T06:00:00Z",
        "stop_utc": "2026-03-01T09:30:00Z", "interference": "jamming", "segment": "user",
        "band": {"low_mhz": 1575.42, "high_mhz": 1575.42}, "pap": "AMBER", "tlp": "AMBER",
        "locations": [{"lat_deg": 57.5, "lon_deg": 18.5, "radius_km": 150}],
        "disclosure": "pseudonymous", "pseudonym": "member-7f3a"}


def test_json_good_records_go_through_and_each_bad_one_is_rejected_precisely() -> None:
    records = [GOOD,
               {k: v for k, v in GOOD.items() if k != "start_utc"},
               GOOD | {"locations": [{"lat_deg": 95.0, "lon_deg": 18.5}]},
               GOOD | {"band": "Q"},
               GOOD | {"interference": "gremlins"},
               "not a report",
               GOOD | {"tlp": "PURPLE"},
               GOOD | {"sparta_ids": ["EX-0016.03", "EX16"]},
               GOOD | {"title": "Illustrative second report", "band": "L"}]
    read = parse_json(json.dumps({"reports": records}), "upload.json")
    assert [r.title for r in read.reports] == [GOOD["title"], "Illustrative second report"]
    found = [(r.line, r.field) for r in read.rejections]
    assert found == [(2, "start_utc"), (3, "locations[0].lat_deg"), (4, "band.letter"), (5, "interference"),
                     (6, "report"), (7, "tlp"), (8, "sparta_ids")]
    assert all(r.source == "upload.json" and r.unit == "item" for r in read.rejections)
    assert str(read.rejections[1]) == "upload.json: item 3: locations[0].lat_deg: must be in [-90, 90] degrees"
    assert read.rejections[6].value == "EX16"
    first = read.reports[0]
    assert first.marking == Marking() and first.pap is PAP.AMBER and first.band is not None
    assert first.band.letter == "L" and first.source == "upload.json#1"
    assert parse_json(json.dumps([GOOD]), "upload.json").reports[0].id == first.id  # derived ids are stable


def test_text_that_is_not_json_or_not_reports() -> None:
    [bad] = parse_json("{", "x.json").rejections
    assert (bad.line, bad.field) == (0, "") and bad.reason.startswith("not JSON")
    [bad] = parse_json("42", "x.json").rejections
    assert "not Kompas ISAC JSON" in bad.reason


def test_gps_to_utc_follows_the_leap_seconds() -> None:
    """GPS - UTC: 17 s during 2016, 18 s from 2017-01-01 (IERS Bulletin C 52: leap second at the end of 2016)."""
    assert gps_to_utc(np.datetime64("2025-01-05T10:07:31.114768020")) == np.datetime64("2025-01-05T10:07:13.114768020")
    assert gps_to_utc(np.datetime64("2016-06-30T12:00:00")) == np.datetime64("2016-06-30T11:59:43")


NOTIONAL = """TITLE: Illustrative laser illumination report 7
SUMMARY:
Illustrative only: Example-1 (NORAD ID 99901) saw a green laser over the test range.
Second line of the summary.

ANOMALY DETAILS:
a. TYPE (i.e., EMI, Laser, Kinetic) Laser
b. DATE 2026-02-10
c. START TIME 23:58:00 UTC
d. STOP TIME 00:03:30.5 UTC
e. BEAM FORMAT (i.e. pulsed or continuous for laser) pulsed
f. PULSE DURATION/TIME BETWEEN PULSES (for laser) 10 ns / 1 ms
g. LASER COLOR (e.g. green, white for laser) green
h. WAVELENGTH/FREQUENCY 532 THz
SATELLITE/SENSOR DETAILS:
a. SATELLITE CONSTELLATION: Example
b. SATELLITE AFFECTED: Example-1
c. SATELLITE LOCATION AT ANOMALY START (GPS time, ECEF position and velocity)
   "time": "2026-02-10T23:58:18", "position": [7000000.0, 0.0, 0.0], "velocity": [0.0, 7500.0, 0.0]
d. SENSOR FIELD OF VIEW wide
e. SENSOR EFFECT (e.g. temporary impairment of sensor, permanent damage) temporary impairment
f. POST EVENT STATUS OF SATELLITE Degraded
"""


def test_notional_text_is_read_with_what_was_derived_said() -> None:
    who = Contributor(reporter="FR-CNES", disclosure="named", pap=PAP.RED, reported_utc="2026-02-11T08:00:00Z")
    read = parse_notional(NOTIONAL, "report.txt", 1, who)
    [report] = read.reports
    assert (report.interference, report.beam_format, report.laser_colour) == ("laser", "pulsed", "green")
    assert report.start_utc == "2026-02-10T23:58:00.000000000Z"
    assert report.stop_utc == "2026-02-11T00:03:30.500000000Z"  # before the start on the same DATE: next day
    assert any("next day" in n for n in report.notes)
    assert [(s.norad_id, s.name) for s in report.satellites] == [(99901, "Example-1")]
    assert report.summary == ("Illustrative only: Example-1 (NORAD ID 99901) saw a green laser over the test range. "
                              "Second line of the summary.")
    assert report.state_start is not None and report.state_start.position_km == (7000.0, 0.0, 0.0)
    assert report.state_start.time_utc == "2026-02-10T23:58:00.000000000Z"  # GPS time in the label: - 18 s
    assert report.post_event_status == "degraded" and report.impact_level == "unknown"
    assert (report.reporter, report.disclosure, report.pap) == ("FR-CNES", "named", PAP.RED)
    assert report.band is not None and report.band.letter == ""  # 532 THz (light) is no radio band
    [warning] = read.warnings  # "wide" is not an angle: the field is left out, said with its line
    assert (warning.source, warning.line, warning.field) == ("report.txt", 20, "SENSOR FIELD OF VIEW")
    assert read.rejections == []


def test_notional_text_without_type_or_start_is_rejected_with_its_line() -> None:
    no_type = NOTIONAL.replace("a. TYPE (i.e., EMI, Laser, Kinetic) Laser", "a. TYPE (i.e., EMI, Laser, Kinetic) N/A")
    [rejected] = parse_notional(no_type, "r.txt", 100).rejections
    assert (rejected.line, rejected.field) == (106, "TYPE")
    no_start = NOTIONAL.replace("c. START TIME 23:58:00 UTC", "c. START TIME soon")
    [rejected] = parse_notional(no_start, "r.txt").rejections
    assert (rejected.line, rejected.field) == (9, "START TIME")
    assert parse_notional("Just a note", "r.txt").rejections[0].field == "TITLE"


def test_markdown_is_removed_line_by_line() -> None:
    text = 'a.  *TYPE* **[EMI]{.underline}** \\\n<!-- -->\n> \\"position\\": \\[ 1, 2 \\]\n'
    out = normalise_markdown(text)
    assert out.split("\n") == ["a.  TYPE EMI", "", '"position": [ 1, 2 ]', ""]


def test_a_letter_that_contradicts_the_frequency_is_a_warning_not_a_rejection() -> None:
    text = NOTIONAL.replace("h. WAVELENGTH/FREQUENCY 532 THz", "h. WAVELENGTH/FREQUENCY L-Band (9.6 GHz)")
    read = parse_notional(text, "r.txt")
    assert len(read.reports) == 1 and read.reports[0].band is None
    assert any(w.field == "WAVELENGTH/FREQUENCY" and w.line == 14 for w in read.warnings)


@pytest.mark.parametrize(("words", "kind"), [("EMI (Jamming)", "jamming"), ("RFI", "unknown-emi"),
                                             ("GPS spoofing", "spoofing"), ("Space WX", "space-weather")])
def test_type_words(words, kind) -> None:
    text = NOTIONAL.replace("TYPE (i.e., EMI, Laser, Kinetic) Laser", f"TYPE {words}")
    assert parse_notional(text, "r.txt").reports[0].interference == kind
