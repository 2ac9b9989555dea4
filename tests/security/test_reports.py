"""Reports (issue 18 #4, #5): any schema-valid event renders, and a report's cost is bounded.

#4: one schema-valid event (a proximity whose ``evidence.asset`` has no ``owner``) made the threat landscape
report fail with a KeyError (500) for everyone who could see it. Every schema-valid event must render (missing
optional values shown as "unknown"), through the service and the API.

#5: ``GET /api/v1/reports/threat-landscape?from=1900-01-01&to=2199-12-31`` ran for minutes and grew to 3.2 GB. The
period is bounded at the boundary (at most :data:`MAX_REPORT_DAYS` days, dates in 1957..2100, refused with 422
naming the limit) and the report job bounds the events it loads (:data:`MAX_REPORT_EVENTS`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from kompas.core.markings import Marking
from kompas.reports import document
from kompas.reports.threat_landscape import build
from kompas.services import reports
from kompas.services.events import contribute_space_events
from kompas.space.events import EVIDENCE, TYPES, check
from tests.security.conftest import Platform

START, END = "2026-05-01T00:00:00.000Z", "2026-05-08T00:00:00.000Z"


def _proximity_without_owner() -> dict:
    """Schema-valid (kompas.space.events.SCHEMA): the asset is an object, nothing requires its owner; one object."""
    return {"id": "7d7f1c9e-1b7a-4e0c-9a53-0e3c2b7e4f01", "type": "proximity", "norad_ids": [39617],
            "start_utc": "2026-05-02T00:00:00.000Z", "end_utc": "2026-05-03T00:00:00.000Z",
            "epoch_utc": "2026-05-02T12:00:00.000Z", "severity": "high", "confidence": 0.8,
            "evidence": {"asset": {"name": "SECREPORT-ASSET"}, "approaches": 3, "closest_km": 4.2,
                         "slowest_km_s": 0.05, "other_manoeuvred": True,
                         "approach_times_utc": ["2026-05-02T12:00:00.000Z"], "approach_km": [4.2]}}


def test_the_bad_event_is_schema_valid() -> None:
    good, bad = check([_proximity_without_owner()], "test")
    assert len(good) == 1 and bad == []


def test_a_proximity_without_an_asset_owner_renders(fresh_platform: Callable[..., Platform]) -> None:
    platform = fresh_platform("sqlite")
    person = platform.users["u_es"]
    marking = Marking.build("UNCLASSIFIED", "CLEAR", None, (), person.org)
    done = contribute_space_events(platform.store, [_proximity_without_owner()], marking, by="u_es")
    assert len(done.ids) == 1 and not done.rejected
    # the service (as the CLI and the report jobs call it)
    page = reports.threat_landscape(platform.store, person.viewer, date(2026, 5, 1), date(2026, 5, 7), "html")
    html = page.content.decode()
    assert "SECREPORT-ASSET" in html and "unknown" in html
    # the API, for everyone who may see the event
    for name in ("u_es", "ts_nl"):
        response = platform.client.get("/api/v1/reports/threat-landscape?from=2026-05-01&to=2026-05-07&format=html",
                                       headers=platform.users[name].headers)
        assert response.status_code == 200, response.text
        assert "SECREPORT-ASSET" in response.text


# --- any schema-valid event: hypothesis over the JSON types the schema allows --------------------------------------

_JSON_LEAF = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False,
                                                                                  width=32) | st.text(max_size=30)
_JSON = st.recursive(_JSON_LEAF, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
_TIMES = st.sampled_from(["2026-05-01T00:00:00.000Z", "2026-05-02T06:30:00.000Z", "2026-05-04T23:59:59.999Z",
                          "2026-04-27T12:00:00.000Z", "2026-05-07T00:00:00.000Z"])
_KIND_VALUES = {"number": st.integers(-10**6, 10**6) | st.floats(-1e9, 1e9, allow_nan=False, width=32),
                "string": st.text(max_size=30), "boolean": st.booleans(),
                "array": st.lists(_JSON, max_size=5) | st.lists(_TIMES, max_size=3)
                | st.lists(st.floats(-1e3, 1e3, allow_nan=False, width=32), max_size=4),
                "object": st.dictionaries(st.sampled_from(["name", "owner", "norad_id", "km", "start_utc", "step_s",
                                                           "x"]), _JSON, max_size=4)}


@st.composite
def _event(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(TYPES))
    evidence = {key: draw(_KIND_VALUES[json_type]) for key, json_type in EVIDENCE[kind].items()}
    extra = draw(st.dictionaries(st.sampled_from(["distance_series", "gabbard", "parent_id", "sharpness",
                                                  "to_longitude_deg", "arrival_utc", "element_set_epochs_utc"]),
                                 _JSON, max_size=3))
    evidence = extra | evidence
    event = {"id": draw(st.uuids()).__str__(), "type": kind,
             "norad_ids": draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=3)),
             "start_utc": draw(_TIMES), "end_utc": draw(_TIMES), "epoch_utc": draw(_TIMES),
             "severity": draw(st.sampled_from(["low", "medium", "high"])),
             "confidence": draw(st.floats(0, 1)), "evidence": evidence}
    if draw(st.booleans()):
        event["names"] = draw(st.lists(st.text(max_size=12), max_size=3))
    if draw(st.booleans()):
        event["summary"] = draw(st.text(max_size=20))
    if draw(st.booleans()):
        event["owners"] = {str(n): draw(st.text(max_size=6)) for n in event["norad_ids"]}
    return event


def _unsaved_figure(fig: Figure, caption: str, alt: str | None = None, dpi: int = 130) -> str:
    """The report's figures built from the data but not laid out and saved (the slow part, the same for every
    input); the other tests of this module draw them in full."""
    from matplotlib import pyplot as plt

    plt.close(fig)
    return f"<figure>{document.esc(caption)}</figure>"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_event(), min_size=1, max_size=4))
def test_any_schema_valid_event_renders(events: list[dict]) -> None:
    good, bad = check(events, "test")
    assert bad == [] and len(good) == len(events)  # the strategy draws only schema-valid events
    with patch("kompas.reports.threat_landscape.figure", _unsaved_figure):
        html = build(good, START, END, "UNCLASSIFIED")
    assert "Space threat landscape" in html and "Method and limits" in html


# --- #5: the period and what a report reads are bounded ------------------------------------------------------------


@pytest.mark.parametrize(("first", "last", "says"), [
    ("1900-01-01", "2199-12-31", "from"),  # outside the days a report covers: the schema's pattern refuses it
    ("2020-01-01", "2026-12-31", f"at most {reports.MAX_REPORT_DAYS} days"),
    ("2024-01-01", "2025-01-01", f"at most {reports.MAX_REPORT_DAYS} days"),  # 367 days
    ("2100-12-31", "2100-01-02", "")])  # accepted (364 days, reversed) as the control
def test_a_report_period_is_bounded_at_the_boundary(platform: Platform, first: str, last: str, says: str) -> None:
    headers = platform.users["ts_nl"].headers
    got = platform.client.get(f"/api/v1/reports/threat-landscape?from={first}&to={last}&format=html", headers=headers)
    if not says:  # (a POST that is accepted queues a job: test_the_report_job_bounds_what_it_reads, on its own data)
        assert got.status_code == 200, got.text
        return
    queued = platform.client.post("/api/v1/reports/threat-landscape", headers=headers,
                                  json={"from": first, "to": last, "format": "html"})
    assert got.status_code == 422 and queued.status_code == 422, (got.text, queued.text)
    assert says in got.text and says in queued.text


def test_the_service_refuses_a_period_it_cannot_cover(platform: Platform) -> None:
    viewer = platform.users["ts_nl"].viewer
    with pytest.raises(reports.PeriodError, match="at most 366 days"):
        reports.threat_landscape(platform.store, viewer, date(1957, 1, 1), date(2100, 12, 31), "html")
    with pytest.raises(reports.PeriodError, match="1957-01-01 to 2100-12-31"):  # not an OverflowError
        reports.threat_landscape(platform.store, viewer, date(1, 1, 1), date(1, 1, 2), "html")
    assert reports.report_period(date(2024, 12, 31), date(2024, 1, 1)) == (date(2024, 1, 1), date(2024, 12, 31))


def test_the_report_job_bounds_what_it_reads(fresh_platform: Callable[..., Platform],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from kompas.core import jobqueue

    platform = fresh_platform("sqlite")
    person = platform.users["u_es"]
    marking = Marking.build("UNCLASSIFIED", "CLEAR", None, (), person.org)
    items = []
    for k in range(3):
        item = _proximity_without_owner()
        item["id"] = f"7d7f1c9e-1b7a-4e0c-9a53-0e3c2b7e4f0{k + 2}"
        item["norad_ids"] = [39617 + k]
        items.append(item)
    assert len(contribute_space_events(platform.store, items, marking, by="u_es").ids) == 3
    monkeypatch.setattr(reports, "MAX_REPORT_EVENTS", 2)
    queued = platform.client.post("/api/v1/reports/threat-landscape", headers=person.headers,
                                  json={"from": "2026-05-07", "to": "2026-05-01", "format": "html"})
    assert queued.status_code == 202, queued.text
    job = queued.json()
    jobqueue.run_pending(platform.store, reports.RUNNERS)
    status = platform.client.get(job["href"], headers=person.headers).json()
    assert status["status"] == "failed" and "more than 2 space events" in status["error"]
    got = platform.client.get("/api/v1/reports/threat-landscape?from=2026-05-01&to=2026-05-07&format=html",
                              headers=person.headers)
    assert got.status_code == 422 and "more than 2 space events" in got.text
    monkeypatch.setattr(reports, "MAX_REPORT_EVENTS", 3)  # at the bound: the report is made
    assert "SECREPORT-ASSET" in reports.threat_landscape(platform.store, person.viewer, date(2026, 5, 1),
                                                         date(2026, 5, 7), "html").content.decode()


def test_a_long_distance_series_is_read_with_fewer_points_keeping_the_closest() -> None:
    from kompas.services.reports import MAX_SERIES_POINTS, _fewer_points

    km: list[float | None] = [500.0 + (k % 97) for k in range(10_080)]  # a week at one point a minute
    km[4321], km[17] = 0.42, None
    series = _fewer_points({"start_utc": START, "step_s": 60.0, "km": km})
    assert len(series["km"]) <= MAX_SERIES_POINTS < len(km)
    assert min(x for x in series["km"] if x is not None) == 0.42
    assert series["step_s"] * len(series["km"]) >= 60.0 * len(km) and series["start_utc"] == START
    short = {"start_utc": START, "step_s": 60.0, "km": km[:MAX_SERIES_POINTS]}
    assert _fewer_points(short) == short


def test_a_fimi_analysis_or_report_reads_a_bounded_number_of_incidents(fresh_platform: Callable[..., Platform],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 18 #5 for FIMI: an analysis (in the request) and a FIMI report (a job) over more incidents than
    MAX_ANALYSIS_INCIDENTS are refused with a message naming the limit, not run at any cost."""
    from kompas.core import incidents

    platform = fresh_platform("sqlite")
    spec = {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}
    out = platform.post("u_es", "/api/v1/fimi/incidents", {"incidents": [
        {"ref": f"bound-{n}", "title": f"Claim {n} about a staged provocation in country {n}",
         "first_seen": f"2024-05-{n + 1:02d}", "targets": [{"name": f"Target{n}land"}], "languages": ["Russian"],
         "evidence": [{"url": f"https://example.org/bound/{n}"}]} for n in range(3)], "marking": spec})
    assert out["added"] == 3, out
    monkeypatch.setattr(incidents, "MAX_ANALYSIS_INCIDENTS", 2)
    who = platform.users["u_es"]
    answer = platform.client.post("/api/v1/fimi/analyses", headers=who.headers,
                                  json={"since": "2024-05-01", "until": "2024-06-01"})
    assert answer.status_code == 422 and "more than 2 incidents" in answer.json()["detail"], answer.text
    with pytest.raises(incidents.TooManyIncidents, match="more than 2 incidents"):
        reports.fimi(platform.store, who.viewer, "2024-05-01", "2024-06-01", "html")
    monkeypatch.setattr(incidents, "MAX_ANALYSIS_INCIDENTS", 3)  # at the limit: it runs
    assert len(incidents.for_analysis(platform.store, who.viewer, "2024-05-01", "2024-06-01")) == 3
