"""The master scenario events list: ordering, refusals, the injects as common-envelope events (checked with the
envelope's own validation), the controllers' CSV and JSON exports, and the scenario templates on constructed engine
outputs with hand-computed times and counts."""

from __future__ import annotations

import csv
import io
import math

import pytest

from kompas.core.envelope import problems
from kompas.exercise.msel import (
    MSEL_COLUMNS,
    Approach,
    BreakupSummary,
    ConjunctionRow,
    CyberIntrusion,
    Expected,
    GnssReport,
    Inject,
    Technique,
    breakup_injects,
    build_msel,
    cyber_intrusion_injects,
    decision_prompt,
    expect,
    gnss_surge_injects,
    msel_csv,
    msel_from_json,
    msel_json,
    rpo_injects,
    to_envelopes,
)

DAY = 86_400.0
START = "2027-03-01T08:00:00Z"
EPOCH = "2026-05-05T12:00:00Z"


def _breakup() -> tuple[list[Inject], list]:
    summary = BreakupSummary(13552, "COSMOS 1408", EPOCH, "collision", 1500, 1413.4, 0.1, 1750.0)
    rows = [
        ConjunctionRow(1001, "SENTINEL-A", 900001, "COSMOS 1408 EXERCISE DEB", "2026-05-05T15:00:00Z", 2.0, 1e-5),
        ConjunctionRow(1002, "GALILEO-B", 900002, "COSMOS 1408 EXERCISE DEB", "2026-05-06T08:00:00Z", 0.5),
        ConjunctionRow(1001, "SENTINEL-A", 900003, "COSMOS 1408 EXERCISE DEB", "2026-05-06T18:00:00Z", 5.0, 2e-4),
        ConjunctionRow(1001, "SENTINEL-A", 900004, "COSMOS 1408 EXERCISE DEB", "2026-05-07T11:59:00Z", 3.0),
        ConjunctionRow(1003, "IRIS-C", 900009, "COSMOS 1408 EXERCISE DEB", "2026-05-05T11:00:00Z", 3.0),  # before
        ConjunctionRow(1003, "IRIS-C", 900005, "COSMOS 1408 EXERCISE DEB", "2026-05-07T13:00:00Z", 7.0),
    ]
    return breakup_injects(summary, rows, t0_offset_s=3600.0)


def test_expected_times_are_the_workflows_default_times() -> None:
    assert expect("space", ["informed"]) == (Expected("space", "informed", 1 * DAY),)
    # deliberation 3 d, then decision 4 d more, counted from the information step; the optional urgency step
    # (between them in the workflow) is not on the planned line
    assert expect("space", ["deliberation", "decision"], from_step="informed") == (
        Expected("space", "deliberation", 3 * DAY), Expected("space", "decision", 7 * DAY))
    assert expect("space", ["urgent-instructions"], from_step="informed")[0].within_s == 0.25 * DAY
    assert expect("cyber", ["awareness"])[0].within_s == 3 * DAY
    for bad in ((["closed"], None), (["nowhere"], None), (["decision"], "nowhere")):
        with pytest.raises(ValueError):
            expect("space", *bad)
    with pytest.raises(ValueError, match="workflow"):
        expect("galaxy", ["informed"])


def test_breakup_template_days_counts_and_worst_by_hand() -> None:
    injects, rejections = _breakup()
    assert [(r.line, r.field) for r in rejections] == [(5, "tca_utc")]  # the conjunction before the break-up
    assert [i.id for i in injects] == ["BRK-T0", "BRK-D01", "BRK-D02", "BRK-D03", "BRK-TR"]
    # T0 at 1 h; day n at T0 + (n-1) d + 2 h of screening; the threat report at T0 + 3 d
    assert [i.at_offset_s for i in injects] == [3600.0, 10800.0, 97200.0, 183600.0, 262800.0]
    t0, d1, d2, d3, tr = injects
    assert t0.expected == (Expected("space", "informed", DAY),) and t0.norad_ids == (13552,)
    assert d1.payload["by_asset"] == {"SENTINEL-A (1001)": 1, "GALILEO-B (1002)": 1}
    assert [w["object_id"] for w in d1.payload["worst"]] == [900001, 900002]  # Pc 1e-5 before Pc unknown
    assert d1.severity == "high"  # GALILEO-B missed by 0.5 km
    assert d2.payload["by_asset"] == {"SENTINEL-A (1001)": 2} and d2.severity == "high"  # Pc 2e-4
    assert [w["object_id"] for w in d2.payload["worst"]] == [900003, 900004]
    assert d3.payload["conjunctions"] == 1 and d3.severity == "medium"
    assert d1.expected == d2.expected == d3.expected == ()
    assert tr.payload["by_day"] == [2, 2, 1] and tr.payload["conjunctions"] == 5
    assert [e.step for e in tr.expected] == ["deliberation", "decision"]
    assert tr.payload["by_asset"] == {"SENTINEL-A (1001)": 3, "GALILEO-B (1002)": 1, "IRIS-C (1003)": 1}


def test_msel_orders_by_time_keeps_ties_in_order_and_numbers_from_one() -> None:
    injects, _ = _breakup()
    prompt = decision_prompt("PROMPT-1", 0, "placeholder", "space", "decision")
    prompt = Inject(**{**prompt.__dict__, "at_offset_s": None, "at_utc": "2027-03-02T08:00:00Z"})  # 1 d after start
    tie = Inject("TIE", "media", "press article", at_offset_s=3600.0)  # same time as BRK-T0, given after it
    msel, rejections = build_msel("SPX27-TECH", START, [*injects, prompt, tie])
    assert rejections == []
    assert [s.inject.id for s in msel.schedule] == ["BRK-T0", "TIE", "BRK-D01", "PROMPT-1", "BRK-D02", "BRK-D03",
                                                    "BRK-TR"]
    assert [s.serial for s in msel.schedule] == list(range(1, 8))
    assert [s.offset_s for s in msel.schedule] == [3600.0, 3600.0, 10800.0, DAY, 97200.0, 183600.0, 262800.0]
    assert msel.get("PROMPT-1").time_utc == "2027-03-02T08:00:00.000000000Z"
    assert msel.get("BRK-TR").time_utc == "2027-03-04T09:00:00.000000000Z"


def test_malformed_injects_are_refused_and_the_rest_kept() -> None:
    good = Inject("A", "media", "article", at_offset_s=0.0)
    bad = [
        (Inject("A", "media", "again", at_offset_s=5.0), "id", "used twice"),
        (Inject("B", "meteor", "x", at_offset_s=5.0), "kind", "not one of"),
        (Inject("C", "media", "x"), "at_offset_s", "exactly one"),
        (Inject("D", "media", "x", at_offset_s=-1.0), "at_offset_s", ">= 0"),
        (Inject("E", "media", "x", at_utc="2027-02-28T00:00:00Z"), "at_utc", "before the exercise start"),
        (Inject("F", "media", "x", at_offset_s=1.0, expected=(Expected("space", "vote", 60.0),)),
         "expected[1].step", "'vote' is not a step"),
        (Inject("G", "media", "x", at_offset_s=1.0, expected=(Expected("space", "decision", 0.0),)),
         "expected[1].within_s", "> 0"),
        (Inject("H", "media", "x", at_offset_s=1.0, payload={"v": float("nan")}), "payload", "not finite"),
        (Inject("I", "media", "x", at_offset_s=1.0, lat=91.0, lon=0.0), "lat", "-90..90"),
    ]
    msel, rejections = build_msel("EX", START, [good, *(b[0] for b in bad)])
    assert [s.inject.id for s in msel.schedule] == ["A"]
    assert [(r.line, r.field) for r in rejections] == [(k, b[1]) for k, b in enumerate(bad, 2)]
    for r, b in zip(rejections, bad, strict=True):
        assert b[2] in r.reason and r.source == "msel EX" and r.unit == "item"


def test_injects_become_valid_envelopes() -> None:
    injects, _ = _breakup()
    extra = [Inject("GNSS", "gnss-interference", "surge", at_offset_s=50.0, lat=52.1, lon=4.3),
             Inject("CYB", "cyber-intrusion", "intrusion", at_offset_s=60.0),
             Inject("NEWS", "media", "press", at_offset_s=70.0)]
    msel, _ = build_msel("SPX27-TECH", START, [*injects, *extra])
    envelopes, rejections = to_envelopes(msel, scope="org-1")
    assert rejections == [] and len(envelopes) == len(msel.schedule) == 8
    for e, s in zip(envelopes, msel.schedule, strict=True):
        assert problems(e) == []
        assert e.type == "exercise-inject" and e.title.startswith("EXERCISE SPX27-TECH: ")
        assert e.time_utc == e.start_utc == e.end_utc == s.time_utc
        assert e.payload["exercise"] is True and e.payload["inject"]["id"] == s.inject.id
    by_id = {e.evidence["inject_id"]: e for e in envelopes}
    assert {k: by_id[k].domain for k in ("BRK-T0", "GNSS", "CYB", "NEWS")} == {
        "BRK-T0": "space", "GNSS": "isac", "CYB": "cyber", "NEWS": "fimi"}
    assert by_id["BRK-T0"].norad_ids == [13552] and by_id["GNSS"].place.lat == 52.1
    # stable ids: the same MSEL recorded again gives the same ids; another scope other ids
    again, _ = to_envelopes(msel, scope="org-1")
    other, _ = to_envelopes(msel, scope="org-2")
    assert [e.id for e in again] == [e.id for e in envelopes]
    assert not {e.id for e in other} & {e.id for e in envelopes}


def test_an_inject_the_envelope_refuses_is_a_rejection_not_an_event() -> None:
    msel, rejections = build_msel("EX", START, [Inject("A", "media", "ok", at_offset_s=0.0),
                                                Inject("B", "media", "bell\x07", at_offset_s=1.0)])
    assert rejections == []
    envelopes, refused = to_envelopes(msel)
    assert [e.evidence["inject_id"] for e in envelopes] == ["A"]
    assert [(r.line, r.field) for r in refused] == [(2, "title")] and "control character" in refused[0].reason


def test_csv_export_has_the_controllers_columns() -> None:
    injects, _ = _breakup()
    formula = Inject("X", "media", "article", at_offset_s=0.0, sender="=HYPERLINK(\"http://x\")")
    msel, _ = build_msel("SPX27-TECH", START, [*injects, formula])
    rows = list(csv.reader(io.StringIO(msel_csv(msel))))
    assert tuple(rows[0]) == MSEL_COLUMNS == ("serial", "time", "from", "to", "method", "inject", "expected action")
    assert len(rows) == 1 + len(msel.schedule)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["serial"] == "1" and first["time"] == "2027-03-01T08:00:00.000Z"
    assert first["from"].startswith("'=HYPERLINK")  # spreadsheet-safe
    t0 = dict(zip(rows[0], rows[2], strict=True))
    assert t0["inject"].startswith("[BRK-T0] Break-up of COSMOS 1408 (13552) detected: A collision break-up")
    assert t0["expected action"] == ("space/informed (The High Representative is informed of the threat) "
                                     "within 24 h")
    tr = dict(zip(rows[0], rows[-1], strict=True))
    assert tr["expected action"].endswith("within 3 d; space/decision (Council decision on the measures) within 7 d")
    assert dict(zip(rows[0], rows[3], strict=True))["expected action"] == "none (information)"


def test_json_export_reads_back_to_the_same_msel() -> None:
    injects, _ = _breakup()
    stamped = Inject("AT", "media", "at a time", at_utc="2027-03-01T20:00:00Z")
    msel, _ = build_msel("SPX27-TECH", START, [*injects, stamped])
    data = msel_json(msel)
    assert data["columns"] == list(MSEL_COLUMNS) and len(data["rows"]) == len(data["injects"]) == 6
    back, rejections = msel_from_json(data, "msel.json")
    assert rejections == [] and back == msel
    data["injects"][2]["kind"] = "meteor"
    del data["injects"][3]["title"]
    back, rejections = msel_from_json(data, "msel.json")
    assert [(r.line, r.field) for r in rejections] == [(3, "kind"), (4, "title")]
    assert len(back.schedule) == 4
    assert msel_from_json([], "x")[0] is None


def test_gnss_surge_fires_at_the_report_that_meets_the_rule() -> None:
    reports = [GnssReport("r1", "2027-03-01T10:00:00Z", "op-X", "jamming", "L1", 10.0, 179.0, "Baltic"),
               GnssReport("r2", "2027-03-01T10:30:00Z", "op-X", "jamming", "L1", 10.0, -179.0, "Baltic"),
               GnssReport("bad", "soon", "op-Z", "jamming", "L1"),
               GnssReport("r3", "2027-03-01T11:00:00Z", "op-X", "jamming", "L1", 10.0, 179.0, "Baltic"),
               GnssReport("r4", "2027-03-01T11:15:00Z", "op-Y", "spoofing", "L1", 10.0, -179.0, "Baltic")]
    injects, rejections = gnss_surge_injects(reports, t0_offset_s=600.0)
    assert [(r.line, r.field) for r in rejections] == [(3, "reported_utc")]
    assert [i.id for i in injects] == ["GNSS-R01", "GNSS-R02", "GNSS-R03", "GNSS-R04", "GNSS-SURGE"]
    assert [i.at_offset_s for i in injects] == [600.0, 2400.0, 4200.0, 5100.0, 5100.0]
    surge = injects[-1]  # three reports from one reporter are not a surge; the fourth, from a second one, is
    assert surge.payload["reports"] == ["r1", "r2", "r3", "r4"] and surge.payload["reporters"] == 2
    assert surge.expected == (Expected("space", "informed", DAY),)
    # the mean direction of two points 2 degrees apart across the antimeridian, by hand: lon 180, lat
    # atan(tan 10 deg / cos 1 deg) = 10.0015 deg (not 10: the chord's midpoint lies inside the sphere)
    assert surge.lat == pytest.approx(math.degrees(math.atan(math.tan(math.radians(10)) / math.cos(math.radians(1)))),
                                      abs=1e-4)
    assert abs(surge.lon) == pytest.approx(180.0, abs=1e-4)
    assert all(i.expected == () for i in injects[:-1])


def test_cyber_intrusion_stages_follow_the_attack_tactic_order() -> None:
    intrusion = CyberIntrusion("Fucino ground station", "ground", "Operator", (
        Technique("T0831", "Manipulation of Control", "impact"),
        Technique("T1190", "Exploit Public-Facing Application", "initial-access"),
        Technique("X123", "bad id", "execution"),
        Technique("T1059", "Command and Scripting Interpreter", "execution"),
        Technique("T1078", "Valid Accounts", "teleport")), norad_ids=(40128,))
    injects, rejections = cyber_intrusion_injects(intrusion, t0_offset_s=100.0)
    assert [(r.line, r.field) for r in rejections] == [(3, "id"), (5, "tactic")]
    assert [i.payload["technique"]["id"] for i in injects] == ["T1190", "T1059", "T0831"]
    # tactic places 2, 3 and 16 of TACTIC_ORDER, 6 h apart
    assert [i.at_offset_s for i in injects] == [100.0 + 2 * 21600, 100.0 + 3 * 21600, 100.0 + 16 * 21600]
    assert injects[0].expected == (Expected("cyber", "awareness", 3 * DAY),)
    assert injects[1].expected == ()
    assert injects[2].expected == (Expected("space", "informed", DAY),) and injects[2].severity == "high"
    assert all(i.envelope_domain == "cyber" and i.norad_ids == (40128,) for i in injects)


def test_rpo_injects_at_each_threshold_and_closest_approach() -> None:
    samples = tuple((f"2030-03-04T{h:02d}:00:00Z", r) for h, r in
                    enumerate([200.0, 120.0, 90.0, 30.0, 20.0, 4.0, 2.5, 6.0]))
    approach = Approach(99001, "LUCH (EXERCISE)", 49260, "EU-SAT", (*samples, ("never", 1.0)))
    injects, rejections = rpo_injects(approach)
    assert [(r.line, r.field) for r in rejections] == [(9, "time_utc")]
    assert [(i.id, i.at_offset_s) for i in injects] == [("RPO-100KM", 7200.0), ("RPO-25KM", 14400.0),
                                                        ("RPO-5KM", 18000.0), ("RPO-CA", 21600.0)]
    assert injects[0].expected == (Expected("space", "informed", DAY),)
    assert injects[1].expected == injects[2].expected == ()
    assert injects[3].expected == (Expected("space", "deliberation", 3 * DAY),)
    assert injects[3].payload["range_km"] == 2.5
    far, _ = rpo_injects(Approach(1, "A", 2, "B", (("2030-01-01T00:00:00Z", 500.0),)))
    assert [i.id for i in far] == ["RPO-CA"] and far[0].expected[0].step == "informed"
