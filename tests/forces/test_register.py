"""The register's exchange format (kompas.forces.register): round trips, every rejection, bounds, the vocabularies
and the illustrative example set against the published figures it is built from."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.forces import register as reg
from kompas.forces.model import (
    CLEARANCES,
    ENVIRONMENTS,
    SECTIONS,
    Caveats,
    Expert,
    ForceElement,
    Register,
    RotationPool,
    StockItem,
)
from kompas.forces.register import (
    CSV_COLUMNS,
    capabilities,
    check_edition,
    enablers,
    example_editions,
    load_example,
    parse,
    profiles,
    record_dict,
    to_csv,
    to_json,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "forces"

# The codes the shared vocabulary fixes (the helper brief's list).
PREAMBLE_CAPABILITIES = {
    "force-hq", "infantry-company", "mechanised-infantry-company", "reconnaissance-company", "engineer-company",
    "cbrn-company", "military-police-platoon", "cimic-team", "eod-team", "logistics-company", "fire-support-battery",
    "force-protection-company", "medical-role1", "medical-role2", "strategic-airlift", "tactical-airlift",
    "sealift-ship", "utility-helicopter", "medevac-helicopter", "air-to-air-refuelling", "isr-uav", "isr-aircraft",
    "frigate", "amphibious-ship", "mine-countermeasures-vessel", "maritime-patrol-aircraft", "cyber-defence-team",
    "satcom-terminal", "ew-team", "sof-task-group"}
PREAMBLE_PROFILES = {
    "monitor", "police-adviser", "rule-of-law-adviser", "border-management", "human-rights-adviser",
    "civil-administration", "security-sector-reform", "mission-security-officer", "logistics-officer",
    "medical-officer", "cis-officer", "finance-procurement", "head-of-office"}
PREAMBLE_ENABLERS = {  # the Compass's named strategic enablers and the codes the brief puts under each
    "strategic-transport": {"strategic-airlift", "sealift-ship"}, "force-protection": {"force-protection-company"},
    "medical": {"medical-role1", "medical-role2", "medevac-helicopter"}, "cyber-defence": {"cyber-defence-team"},
    "satellite-communications": {"satcom-terminal"}, "isr": {"isr-uav", "isr-aircraft"}}


def _element(**kw: object) -> ForceElement:
    base: dict[str, object] = {"id": "e1", "nation": "PL", "name": "PL infantry company", "type": "infantry company",
                               "component": "land", "strength": 150, "readiness_days": 10,
                               "capabilities": {"infantry-company": 1}}
    base.update(kw)
    return ForceElement(**base)  # type: ignore[arg-type]


SAMPLE = Register("2026-H1", elements=[
    _element(available_from=date(2026, 1, 1), available_to=date(2026, 6, 30),
             caveats=Caveats(environments=("permissive", "uncertain"), max_distance_km=6000.0, max_duration_days=120,
                             excluded_tasks=("Peace Enforcement",), not_with=("RS",),
                             requires=("medical-role2",), notes="as written"),
             transport={"pax": 150, "vehicles": 12}, illustrative=True, source_url="https://example.org/a",
             notes="strength invented"),
    _element(id="e2", nation="CZ", name="=HYPERLINK(\"http://x/?\"&A1)", component="enabler",
             capabilities={"medical-role2": 1, "medevac-helicopter": 2}, notes="a;=b; +c")],
    experts=[Expert("x1", "DK", "monitor", ("da", "en"), "RESTREINT UE", date(2026, 2, 1), None, 14, True, False,
                    True, "DK-FI-joint-unit", True, "https://example.org/b", "synthetic")],
    pools=[RotationPool("p1", "SE", "infantry-company", 6, 150, 6, 12, 30, None, date(2027, 1, 1), True,
                        "https://example.org/c")],
    stocks=[StockItem("s1", "EU", "CSDP Strategic Warehouse (Kristinehamn)", "laptop", "it-communications", 1600, 7,
                      1.0, True, "https://example.org/d")])


# --- round trips ---------------------------------------------------------------------------------------------------


def test_json_round_trip_of_a_sample_with_every_field():
    text = to_json(SAMPLE, description="a test")
    again, rejections = parse(text, "sample.json")
    assert rejections == []
    assert again == SAMPLE
    assert json.loads(text)["format"] == "kompas-forces/1"


@pytest.mark.parametrize("section", SECTIONS)
def test_csv_round_trip_per_section(section):
    text = to_csv(SAMPLE, section)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS[section])
    again, rejections = parse(text, f"{section}.csv", edition=SAMPLE.edition)
    assert rejections == []
    assert getattr(again, section) == getattr(SAMPLE, section) != []
    assert again.edition == "2026-H1"


def test_csv_is_spreadsheet_safe_and_reads_back_the_text():
    text = to_csv(SAMPLE, "elements")
    assert "'=HYPERLINK" in text and "a;'=b; +c" in text  # escaped on the way out (kompas.csvsafe)
    again, _ = parse(text, "e.csv")
    assert again.elements[1].name == '=HYPERLINK("http://x/?"&A1)' and again.elements[1].notes == "a;=b; +c"


@pytest.mark.parametrize("edition", ["2025", "2026"])
def test_example_round_trips_through_json_and_csv(edition):
    register = load_example(edition)
    again, rejections = parse(to_json(register), "x.json")
    assert rejections == [] and again == register
    for section in SECTIONS:
        back, rejections = parse(to_csv(register, section), f"{section}.csv")
        assert rejections == [] and getattr(back, section) == getattr(register, section)


# Text as the format keeps it: trimmed, no control characters; and without an apostrophe before a formula start,
# which the CSV reader takes for kompas.csvsafe's escape (the one documented limit of the CSV round trip).
_TEXT = (st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30)
         .map(str.strip).filter(lambda t: not re.search(r"'[=+\-@]", t)))
_ID_TEXT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True)
_DATES = st.none() | st.dates(date(1990, 1, 1), date(2100, 12, 31))
_CODES = sorted(PREAMBLE_CAPABILITIES)
_NATIONS = st.sampled_from(["PL", "CZ", "DE", "FR", "SE", "NO", "UA", "RS"])


@st.composite
def _registers(draw: st.DrawFn) -> Register:
    def window() -> tuple[date | None, date | None]:
        a, b = draw(_DATES), draw(_DATES)
        return (min(a, b), max(a, b)) if a and b else (a, b)

    elements = []
    for i in range(draw(st.integers(0, 3))):
        start, end = window()
        elements.append(ForceElement(
            f"e{i}", draw(_NATIONS), draw(_TEXT.filter(bool)), draw(_TEXT.filter(bool)),
            draw(st.sampled_from(["land", "air", "maritime", "joint", "special", "enabler"])),
            draw(st.integers(0, 100_000)), draw(st.integers(0, 3650)),
            draw(st.dictionaries(st.sampled_from(_CODES), st.integers(1, 100_000), max_size=4)), start, end,
            Caveats(tuple(draw(st.lists(st.sampled_from(ENVIRONMENTS), unique=True))),
                    draw(st.none() | st.floats(0, 20_100)), draw(st.none() | st.integers(1, 3650)),
                    tuple(draw(st.lists(_TEXT.filter(lambda t: bool(t) and ";" not in t), unique=True, max_size=2))),
                    tuple(draw(st.lists(_NATIONS, unique=True, max_size=2))),
                    tuple(draw(st.lists(st.sampled_from(_CODES), unique=True, max_size=2))), draw(_TEXT)),
            draw(st.dictionaries(st.sampled_from(["pax", "vehicles", "outsize"]), st.integers(0, 1_000_000))),
            draw(st.booleans()), draw(st.sampled_from(["", "https://example.org/x"])), notes=draw(_TEXT)))
    experts = []
    for i in range(draw(st.integers(0, 3))):
        start, end = window()
        experts.append(Expert(
            f"x{i}", draw(_NATIONS), draw(st.sampled_from(sorted(PREAMBLE_PROFILES))),
            tuple(draw(st.lists(st.sampled_from(["en", "fr", "de", "ka", "ru"]), unique=True))),
            draw(st.sampled_from(CLEARANCES)), start, end, draw(st.integers(0, 3650)), draw(st.booleans()),
            draw(st.booleans()), draw(st.booleans()), draw(_TEXT), notes=draw(_TEXT)))
    pools = [RotationPool(f"p{i}", draw(_NATIONS), draw(st.sampled_from(_CODES)), draw(st.integers(1, 10_000)),
                          draw(st.integers(1, 100_000)), draw(st.integers(1, 60)), draw(st.integers(0, 240)),
                          draw(st.integers(0, 3650))) for i in range(draw(st.integers(0, 2)))]
    stocks = [StockItem(f"s{i}", draw(st.sampled_from(["EU", "DK"])), draw(_TEXT.filter(bool)),
                        draw(_TEXT.filter(bool)), draw(st.sampled_from(reg.STOCK_CATEGORIES)),
                        draw(st.integers(0, 10_000_000)), draw(st.integers(0, 3650)), draw(st.floats(0, 1000)))
              for i in range(draw(st.integers(0, 2)))]
    return Register(draw(st.sampled_from(["2025", "2026-H2", "2026-Q1", "2026-05"])), elements, experts, pools, stocks)


@settings(max_examples=40, deadline=None)
@given(_registers())
def test_round_trips_of_generated_registers(register):
    again, rejections = parse(to_json(register), "gen.json")
    assert rejections == [] and again == register
    for section in SECTIONS:
        back, rejections = parse(to_csv(register, section), "gen.csv")
        assert rejections == [] and getattr(back, section) == getattr(register, section)


def test_record_dict_is_the_json_row():
    row = record_dict(SAMPLE.elements[0])
    assert row == json.loads(to_json(SAMPLE))["elements"][0]
    assert row["available_from"] == "2026-01-01" and row["caveats"]["environments"] == ["permissive", "uncertain"]
    placed = replace(SAMPLE.elements[0], doc="d1", marking_key="k1")
    assert "doc" not in record_dict(placed)
    assert record_dict(placed, platform_fields=True)["doc"] == "d1"


# --- every rejection reason ----------------------------------------------------------------------------------------

GOOD = {
    "elements": {"id": "g", "nation": "PL", "name": "n", "type": "t", "component": "land", "strength": 150,
                 "readiness_days": 10, "capabilities": {"infantry-company": 1}},
    "experts": {"id": "g", "nation": "DK", "profile": "monitor"},
    "pools": {"id": "g", "nation": "SE", "capability": "infantry-company", "units": 4, "unit_strength": 150},
    "stocks": {"id": "g", "nation": "EU", "holder": "h", "item": "laptop", "category": "it-communications",
               "quantity": 10},
}
# (section, the bad fields, the field named, a fragment of the reason)
BAD = [
    ("elements", {"id": "a/b"}, "id", "letters, digits"),
    ("elements", {"id": "x" * 65}, "id", "longer than 64"),
    ("elements", {"nation": "XX"}, "nation", "ISO 3166-1 alpha-2"),
    ("elements", {"nation": "EU"}, "nation", "only for a stock holder"),
    ("elements", {"name": ""}, "name", "is required"),
    ("elements", {"name": "n" * 201}, "name", "longer than 200"),
    ("elements", {"name": "a\x07b"}, "name", "control characters"),
    ("elements", {"component": "navy"}, "component", "unknown component 'navy' (one of land"),
    ("elements", {"strength": 100_001}, "strength", "from 0 to 100,000 troops"),
    ("elements", {"strength": -1}, "strength", "from 0 to 100,000 troops"),
    ("elements", {"readiness_days": 3651}, "readiness_days", "from 0 to 3,650 days"),
    ("elements", {"readiness_days": "ten"}, "readiness_days", "whole number"),
    ("elements", {"capabilities": {"infantry-coy": 1}}, "capabilities", "nearest known: 'infantry-company'"),
    ("elements", {"capabilities": {"frigate": 0}}, "capabilities", "from 1 to 100,000"),
    ("elements", {"available_from": "2026-13-01"}, "available_from", "YYYY-MM-DD"),
    ("elements", {"available_from": "1900-01-01"}, "available_from", "from 1990 to 2100"),
    ("elements", {"available_from": "2026-06-30", "available_to": "2026-01-01"}, "available_to",
     "before available_from"),
    ("elements", {"caveats": {"environments": ["hostile"]}}, "caveat_environments", "unknown environment"),
    ("elements", {"caveats": {"max_distance_km": 30_000}}, "caveat_max_distance_km", "from 0 to 20,100 km"),
    ("elements", {"caveats": {"max_duration_days": 0}}, "caveat_max_duration_days", "from 1 to 3,650 days"),
    ("elements", {"caveats": {"not_with": ["ZZ"]}}, "caveat_not_with", "ISO 3166-1"),
    ("elements", {"caveats": {"requires": ["medical-role3"]}}, "caveat_requires", "nearest known: 'medical-role"),
    ("elements", {"caveats": {"environments": ["permissive", "permissive"]}}, "caveat_environments", "twice"),
    ("elements", {"transport": {"Pax!": 3}}, "transport", "lower-case"),
    ("elements", {"transport": {"pax": -3}}, "transport", "from 0 to 1,000,000"),
    ("elements", {"source_url": "ftp://x"}, "source_url", "http:// or https://"),
    ("elements", {"illustrative": "maybe"}, "illustrative", "true or false"),
    ("elements", {"notes": "n" * 2001}, "notes", "longer than 2,000"),
    ("experts", {"profile": "monitr"}, "profile", "nearest known: 'monitor'"),
    ("experts", {"languages": ["en", "xx"]}, "languages", "ISO 639-1"),
    ("experts", {"languages": ["en", "en"]}, "languages", "twice"),
    ("experts", {"clearance": "SECRET"}, "clearance", "unknown clearance"),
    ("experts", {"notice_days": 4000}, "notice_days", "from 0 to 3,650 days"),
    ("experts", {"pdt_done": "perhaps"}, "pdt_done", "true or false"),
    ("pools", {"capability": "infantry"}, "capability", "nearest known"),
    ("pools", {"units": 0}, "units", "from 1 to 10,000"),
    ("pools", {"unit_strength": 0}, "unit_strength", "from 1 to 100,000 troops"),
    ("pools", {"tour_months": 61}, "tour_months", "from 1 to 60 months"),
    ("pools", {"dwell_months": 241}, "dwell_months", "from 0 to 240 months"),
    ("stocks", {"category": "weapons"}, "category", "unknown category"),
    ("stocks", {"quantity": 10_000_001}, "quantity", "from 0 to 10,000,000"),
    ("stocks", {"per_expert": 1001}, "per_expert", "from 0 to 1,000"),
    ("stocks", {"holder": ""}, "holder", "is required"),
]


def _csv_value(value: object) -> str:
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _csv(section: str, rows: list[dict[str, object]]) -> str:
    columns: list[str] = []
    flat_rows = []
    for row in rows:
        flat: dict[str, object] = {}
        for key, value in row.items():
            if key == "caveats":
                flat.update({f"caveat_{k}": v for k, v in value.items()})  # type: ignore[attr-defined]
            else:
                flat[key] = value
        flat_rows.append(flat)
        columns += [c for c in flat if c not in columns]
    lines = [",".join(columns)] + [",".join(f'"{_csv_value(r.get(c, ""))}"' for c in columns) for r in flat_rows]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("section", "bad", "field", "reason"), BAD,
                         ids=[f"{s}-{f}-{i}" for i, (s, _, f, _) in enumerate(BAD)])
def test_each_bad_row_is_rejected_alone_and_the_good_rows_kept(section, bad, field, reason):
    rows = [dict(GOOD[section], id="g1"), {**GOOD[section], "id": "bad", **bad}, dict(GOOD[section], id="g2")]
    # CSV: header on line 1, the bad row on line 3
    register, rejections = parse(_csv(section, rows), "t.csv")
    assert [r.id for r in getattr(register, section)] == ["g1", "g2"]
    assert len(rejections) == 1, rejections
    (rejection,) = rejections
    assert (rejection.source, rejection.line, rejection.unit, rejection.field) == ("t.csv", 3, "line", field)
    assert reason in rejection.reason
    # JSON: item 2 of the section, the field prefixed by the section
    register, rejections = parse(json.dumps({"format": "kompas-forces/1", section: rows}), "t.json")
    assert [r.id for r in getattr(register, section)] == ["g1", "g2"]
    assert len(rejections) == 1, rejections
    (rejection,) = rejections
    json_field = f"{section}.{field.replace('caveat_', 'caveats.')}"
    assert (rejection.line, rejection.unit) == (2, "item")
    assert rejection.field == json_field or rejection.field.startswith(json_field + ".")  # a map's entry: .code
    assert reason in rejection.reason
    assert str(rejection).startswith("t.json: item 2: ")


def test_the_second_row_with_a_key_is_rejected_in_any_section():
    doc = {"elements": [GOOD["elements"], dict(GOOD["elements"], name="again")],
           "pools": [dict(GOOD["pools"], nation="PL")]}
    register, rejections = parse(json.dumps(doc), "d.json")
    assert [e.name for e in register.elements] == ["n"] and register.pools == []
    assert [(r.line, r.field) for r in rejections] == [(2, "elements.id"), (1, "pools.id")]
    assert "PL/g is given twice (first at elements item 1)" in rejections[0].reason


def test_json_rows_refuse_unknown_and_repeated_keys_and_platform_fields():
    text = ('{"elements": [{"id": "a", "nation": "PL", "name": "n", "type": "t", "component": "land", '
            '"strenght": 1, "strength": 1, "readiness_days": 1},'
            '{"id": "b", "nation": "PL", "name": "n", "type": "t", "component": "land", "strength": 1, '
            '"strength": 2, "readiness_days": 1},'
            '{"id": "c", "nation": "PL", "name": "n", "type": "t", "component": "land", "strength": 1, '
            '"readiness_days": 1, "marking_key": "x"}]}')
    register, rejections = parse(text, "k.json")
    assert register.elements == []
    assert [(r.line, r.field) for r in rejections] == [(1, "elements.strenght"), (2, "elements.strength"),
                                                      (3, "elements.marking_key")]
    assert "nearest known: 'strength'" in rejections[0].reason
    assert "set by the platform" in rejections[2].reason
    trusted, rejections = parse(text, "k.json", platform_fields=True)
    assert [e.marking_key for e in trusted.elements] == ["x"]


def test_top_level_inheritance_and_problems():
    doc = {"format": "kompas-forces/1", "edition": "2026", "illustrative": True, "source_url": "https://e.org",
           "elements": [GOOD["elements"], dict(GOOD["elements"], id="h", illustrative=False, source_url="")],
           "element": []}
    register, rejections = parse(json.dumps(doc), "t.json")
    assert [(e.illustrative, e.source_url) for e in register.elements] == [(True, "https://e.org"), (False, "https://e.org")]
    assert [(r.line, r.field) for r in rejections] == [(0, "element")]
    assert "nearest known: 'elements'" in rejections[0].reason


@pytest.mark.parametrize(("text", "reason"), [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a kompas-forces/1 document"),
    ('{"format": "kompas-forces/2"}', "is not 'kompas-forces/1'"),
    ('{"edition": "2026-H3"}', "not a year, half, quarter or month"),
    ('{"edition": "2026", "edition": "2025"}', "'edition' is given twice"),
    ('{"elements": {"id": "a"}}', "must be a list"),
    ('{"elements": [1]}', "not a JSON object"),
    ("[" * 100_000, "nested too deeply"),
])
def test_whole_json_file_problems(text, reason):
    register, rejections = parse(text, "w.json", "json")
    assert register.elements == []
    assert len(rejections) == 1 and reason in rejections[0].reason


def test_edition_given_and_stated_must_agree():
    _, rejections = parse('{"edition": "2026"}', "e.json", edition="2025")
    assert "states edition '2026' but edition '2025' was given" in rejections[0].reason
    register, rejections = parse('{"elements": []}', "e.json", edition="2025-Q2")
    assert rejections == [] and register.edition == "2025-Q2"


@pytest.mark.parametrize("good", ["2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q4", "2026-01", "2026-12"])
def test_check_edition_accepts(good):
    assert check_edition(good) == good


@pytest.mark.parametrize("bad", ["26", "2026-H3", "2026-Q5", "2026-13", "2026-00", "2026-1", "2026 ", "", "20266"])
def test_check_edition_refuses(bad):
    with pytest.raises(ValueError, match="not a year, half, quarter or month"):
        check_edition(bad)


@pytest.mark.parametrize(("text", "line", "reason"), [
    ("nation,id\nPL,a\n", 1, "must start with the column id"),
    ("id,nation,profile,strenght\n", 1, "unknown column 'strenght'"),
    ("id,nation\nx,PL\n", 1, "the header names no section's required columns"),
    ("id,nation,profile,profile\n", 1, "column named twice"),
    ("id,nation,profile,doc\n", 1, "set by the platform"),
    ("# only a comment\n", 0, "no header row"),
    ("# edition: 2026-H5\nid,nation,profile\n", 2, "not a year, half, quarter or month"),
])
def test_whole_csv_file_problems(text, line, reason):
    register, rejections = parse(text, "w.csv", "csv")
    assert register.experts == [] and register.elements == []
    assert len(rejections) == 1 and rejections[0].line == line and reason in rejections[0].reason


def test_csv_comments_blank_lines_extra_cells_and_directives():
    text = ("# edition: 2026\n# illustrative: true\n# source_url: https://e.org\n# ILLUSTRATIVE: just a comment\n"
            "ID,Nation,Profile\n\n# a comment row\nx1,dk,monitor\nx2,DK,monitor,surplus\n,,\nx3,FI,monitor,\n")
    register, rejections = parse(text, "c.csv")
    assert register.edition == "2026"
    assert [(x.id, x.nation, x.illustrative, x.source_url) for x in register.experts] == [
        ("x1", "DK", True, "https://e.org"), ("x3", "FI", True, "https://e.org")]
    assert [(r.line, r.reason) for r in rejections] == [(9, "4 cells but the header names 3 columns")]


def test_unreadable_csv_keeps_the_rows_before():
    text = 'id,nation,profile\nx1,DK,monitor\nx2,DK,"' + "m" * (reg.csv.field_size_limit() + 10) + '"\n'
    register, rejections = parse(text, "big.csv")
    assert [x.id for x in register.experts] == ["x1"]
    assert rejections[0].line == 3 and "cannot read the CSV" in rejections[0].reason


# --- bounds --------------------------------------------------------------------------------------------------------


def test_more_rows_than_the_bound_raise_a_clear_error():
    rows = ",".join(['{"id":"a"}'] * (reg.MAX_ROWS + 1))
    with pytest.raises(ValueError, match=r"more than 50,000 rows in one submission: send it in parts"):
        parse('{"experts": [' + rows + "]}", "many.json")


def test_csv_rows_beyond_the_bound_raise(monkeypatch):
    monkeypatch.setattr(reg, "MAX_ROWS", 3)
    text = "id,nation,profile\n" + "".join(f"x{i},DK,monitor\n" for i in range(4))
    with pytest.raises(ValueError, match="more than 3 rows"):
        parse(text, "many.csv")
    assert len(parse(text.rsplit("x3", 1)[0], "ok.csv")[0].experts) == 3


def test_too_large_a_text_and_unknown_format_raise(monkeypatch):
    monkeypatch.setattr(reg, "MAX_CHARS", 100)
    with pytest.raises(ValueError, match="larger than 100 characters: send it in parts"):
        parse(" " * 101, "big.json")
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        parse("<a/>", "a.xml", "xml")


def test_rejections_are_capped_with_a_count(monkeypatch):
    monkeypatch.setattr(reg, "MAX_REJECTIONS", 2)
    text = "id,nation,profile\n" + "".join(f"x{i},XX,monitor\n" for i in range(5))
    _, rejections = parse(text, "bad.csv")
    assert len(rejections) == 3 and rejections[-1].reason == "3 more rejections not listed"


# --- vocabularies --------------------------------------------------------------------------------------------------


def test_vocabularies_hold_the_shared_codes():
    assert set(capabilities()) == PREAMBLE_CAPABILITIES == reg.capability_codes()
    assert set(profiles()) == PREAMBLE_PROFILES == reg.profile_codes()
    by_enabler: dict[str, set[str]] = {}
    for cap in capabilities().values():
        if cap.enabler:
            by_enabler.setdefault(cap.enabler, set()).add(cap.code)
    assert by_enabler == PREAMBLE_ENABLERS and set(enablers()) == set(PREAMBLE_ENABLERS)
    assert profiles()["monitor"].sector == "monitoring missions" and profiles()["cis-officer"].sector is None


def test_vocabularies_refuse_yaml_aliases(monkeypatch):
    import kompas.files

    monkeypatch.setattr(kompas.files, "read_packaged", lambda name: "a: &x {b: 1}\nc: *x\n")
    with pytest.raises(ValueError, match="aliases"):
        reg._vocabulary("capabilities.yaml")


# --- the illustrative example set ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples() -> dict[str, Register]:
    return {edition: load_example(edition) for edition in example_editions()}


def test_example_parses_cleanly_in_two_editions(examples):
    assert list(examples) == ["2025", "2026"]
    for edition, register in examples.items():
        text = (ROOT / "src/kompas/data/forces/example" / f"register_{edition}.json").read_text(encoding="utf-8")
        again, rejections = parse(text, "x.json")
        assert rejections == [] and again.edition == edition and again == register
    elements = sum(len(r.elements) for r in examples.values())
    assert 150 <= elements <= 300  # realistic size for the optimiser (the brief: ~150-300)
    assert [len(r.experts) for r in examples.values()] == [380, 400]


def test_every_example_row_is_illustrative_with_a_source_and_notes(examples):
    for register in examples.values():
        rows = list(register.records())
        assert len(rows) > 500
        for row in rows:
            assert row.illustrative, row.key
            assert re.match(r"^https?://", row.source_url), row.key
            assert row.notes, row.key


def _total(register: Register, prefix: str, nation: str) -> int:
    return sum(e.strength for e in register.elements if e.id.startswith(prefix) and e.nation == nation)


def test_v4_2016_national_totals_equal_the_published_figures(examples):
    # de.wikiup.org Visegrad Battlegroup (2016): PL 1,870; CZ 728; HU 640; SK 460; UA 19; exact (tolerance 0)
    published = {"PL": 1870, "CZ": 728, "HU": 640, "SK": 460, "UA": 19}
    register = examples["2025"]
    assert {n: _total(register, "v4-", n) for n in published} == published
    assert sum(published.values()) == 3717
    cz = {c for e in register.elements if e.id.startswith("v4-cz-") for c in e.capabilities}
    assert cz == {"logistics-company", "utility-helicopter", "medevac-helicopter", "ew-team", "medical-role2",
                  "medical-role1"}  # the published CZ slice: logistics, helicopters, EW, medical
    assert {c for e in register.elements if e.id.startswith("v4-hu-") for c in e.capabilities} >= {
        "engineer-company", "cimic-team"}
    assert "cbrn-company" in {c for e in register.elements if e.id.startswith("v4-sk-") for c in e.capabilities}


def test_other_published_totals(examples):
    # Nordic BG 2008 (SE 2,300, FI 200, NO 150, IE 80, EE ~50); HELBROC 1,500; Nordic BG 2015 ~2,400; the 2025 RDC
    # battlegroup ~5,000; Spain at MILEX 23 1,200: each exact to the figure quoted (approximate ones as quoted)
    r25, r26 = examples["2025"], examples["2026"]
    assert {n: _total(r25, "nbg08-", n) for n in ("SE", "FI", "NO", "IE", "EE")} == {
        "SE": 2300, "FI": 200, "NO": 150, "IE": 80, "EE": 50}
    assert sum(e.strength for e in r25.elements if e.id.startswith("helbroc25-")) == 1500
    assert sum(e.strength for e in r26.elements if e.id.startswith("helbroc20-") and e.nation != "RS") == 1500
    assert sum(e.strength for e in r26.elements if e.id.startswith("nbg15-")) == 2400
    assert sum(e.strength for e in r26.elements if e.id.startswith("eubg25-")) == 5000
    for register in (r25, r26):
        assert sum(e.strength for e in register.elements if e.id.startswith("milex23-")) == 1200
        warehouse = {s.item: s.quantity for s in register.stocks if s.nation == "EU"}
        assert (warehouse["soft-skin vehicle"], warehouse["laptop"]) == (600, 1600)  # EEAS: >600, up to 1,600


def test_example_offers_every_compass_enabler_and_differs_between_editions(examples):
    for register in examples.values():
        offered = {c for e in register.elements for c in e.capabilities}
        assert offered == PREAMBLE_CAPABILITIES
    keys = [{e.key for e in r.elements} for r in examples.values()]
    assert keys[0] != keys[1] and keys[0] & keys[1]


def test_roster_is_pseudonymous_from_22_states_and_reproducible(examples):
    spec = importlib.util.spec_from_file_location("make_roster", EXAMPLES / "make_roster.py")
    assert spec and spec.loader
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules["make_roster"] = module
    spec.loader.exec_module(module)
    for edition, register in examples.items():
        assert len({x.nation for x in register.experts}) == 22  # EUMM 2008: 22 member states
        assert all(re.fullmatch(rf"r{edition[2:]}-\d{{4}}", x.id) for x in register.experts)
        assert register.experts == module.roster(edition, module.SIZES[edition], module.SEEDS[edition])
    assert [x.unit for x in examples["2026"].experts].count("DK-FI-joint-unit") == 20  # 10 DK + 10 FI (Danish MoD)


def test_bad_rows_example_gives_the_rejections_its_readme_shows():
    register, rejections = parse((EXAMPLES / "bad_rows.csv").read_text(encoding="utf-8"), "bad_rows.csv")
    assert [e.id for e in register.elements] == ["good-1", "good-2"]
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    shown = [line for line in readme.splitlines() if line.startswith("bad_rows.csv:")]
    assert [str(r) for r in rejections] == shown and len(shown) == 12


@pytest.mark.parametrize("section", SECTIONS)
def test_section_csv_examples_parse_cleanly(section):
    register, rejections = parse((EXAMPLES / f"{section}.csv").read_text(encoding="utf-8"), f"{section}.csv")
    assert rejections == [] and getattr(register, section) and register.edition == "2025"
    assert all(r.illustrative and r.source_url for r in getattr(register, section))
