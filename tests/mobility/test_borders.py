"""Border lead times (kompas.mobility.borders): the bundled ILLUSTRATIVE table (kompas/data/mobility/borders.yaml),
the Compass target (by 2025, no number of days), crossings, working-day hours, the "target met" case, and bad
tables named by country and field."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from kompas.locate import shared
from kompas.mobility.borders import COMPASS_TARGET_YEAR, LeadTimes, parse_lead_times

EXAMPLE = Path(str(files("kompas"))) / "data" / "mobility" / "borders.yaml"
SEEDS = shared("seeds")
SEED = (SEEDS or Path("absent")) / "000_e18c6be3a889c87f.txt"


@pytest.fixture(scope="module")
def example() -> LeadTimes:
    found, rejections = parse_lead_times(EXAMPLE.read_text(), "borders.yaml")
    assert rejections == [] and found is not None
    return found


def test_the_example_is_illustrative_and_cites_lithuania(example: LeadTimes) -> None:
    assert example.illustrative and example.unit == "working" and example.default_days == 5
    assert example.of("lt") == 5 and example.of("LT", emergency=True) == 1  # Lithuanian MoD, 2019
    assert "l24.lt" in example.sources["LT"] and example.sources["PL"] == "ILLUSTRATIVE"
    assert example.of("PL") == 10 and example.of("SE") == 5  # not listed: the default
    assert example.target_days is None and example.target_year == COMPASS_TARGET_YEAR == 2025
    assert example.gaps() == {} and example.at_target() is example  # no number: nothing to cap


def test_crossings_wait_for_the_country_entered(example: LeadTimes) -> None:
    assert example.crossing("DE", "PL") == 10 and example.crossing("PL", "LT") == 5
    assert example.crossing("PL", "pl") == 0.0
    assert example.hours(5) == pytest.approx(5 * 24 * 7 / 5)  # 5 working days = one calendar week = 168 h
    assert example.hours(None) is None
    calendar = LeadTimes(days={"PL": 3}, unit="calendar")
    assert calendar.hours(calendar.of("PL")) == 72 and calendar.of("DE") is None  # no default: unknown


def test_the_target_met(example: LeadTimes) -> None:
    text = EXAMPLE.read_text().replace("days: null", "days: 5")
    with_target, rejections = parse_lead_times(text, "target.yaml")
    assert rejections == [] and with_target is not None and with_target.target_days == 5
    assert with_target.gaps() == {"CZ": 5, "FI": 2, "FR": 2, "PL": 5, "SK": 5}
    met = with_target.at_target()
    assert max(met.days.values()) == 5 and met.of("LT", emergency=True) == 1


@pytest.mark.skipif(not SEED.is_file(), reason="the Compass seed text is read from ../shared/seeds only")
def test_the_compass_states_2025_and_no_number_of_days() -> None:
    lines = SEED.read_text().splitlines()
    passage = " ".join(lines[1593:1630])
    assert "Uiterlijk 2025 zullen wij de grensoverschrijdende procedures verbeterd en" in passage
    assert "geharmoniseerd hebben" in passage
    start = passage.index("Uiterlijk 2025 zullen wij de grens")
    sentence = passage[start:passage.index("hebben.", start)]
    assert not any(ch.isdigit() for ch in sentence.replace("2025", ""))  # no number of days in the target


BAD = """
unit: fortnights
default_days: -1
illustrative: sometimes
target: {days: 3, year: twenty}
countries:
  LT: {days: 5, emergency_days: soon}
  POL: 5
  DE: {days: many}
  FI: -2
  lt: 7
  NL: 4
"""


def test_bad_rows_are_named_and_the_good_kept() -> None:
    found, rejections = parse_lead_times(BAD, "bad.yaml")
    assert found is not None and dict(found.days) == {"LT": 5, "NL": 4}
    assert found.unit == "working" and found.default_days is None and found.illustrative
    assert found.target_days is None  # a target number without a source is not used
    where = [(r.line, r.field) for r in rejections]
    assert where == [(0, "unit"), (0, "default_days"), (0, "target.source"), (0, "target.year"),
                     (1, "emergency_days"), (2, "country"), (3, "days"), (4, "days"), (5, "country"),
                     (0, "illustrative")]
    assert "'POL' is not an ISO 3166-1 alpha-2 code" in rejections[5].reason
    assert "LT: listed twice" in rejections[8].reason
    assert all(r.source == "bad.yaml" and r.unit == "item" for r in rejections)


def test_not_a_table() -> None:
    assert parse_lead_times("countries: [", "x.yaml")[0] is None
    found, rejections = parse_lead_times("countries: [PL, LT]", "x.yaml")
    assert found is None and rejections[0].field == "countries"
