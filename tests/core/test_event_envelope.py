"""The event envelope (issue 17, item 4): every domain's events in one shape, stored atomically and idempotently,
objects kept in their meaningful order, FIMI incidents and surges flowing in, one STIX 2.1 mapping.

Regressions: `add_event` sorted the objects, so the threat report named the asset as the approaching object; an
events file with a repeated id stored part of the file and then died with a raw IntegrityError; one event nested
900 levels deep broke `/events` for every user.
"""

from __future__ import annotations

import json

import pytest

from kompas.core import incidents
from kompas.core.envelope import MAX_DEPTH, from_space
from kompas.core.jobs import store_space_events
from kompas.core.markings import Classification, Marking, Viewer
from kompas.core.stix import export_events
from kompas.core.store import Store
from kompas.core.store import events as platform_events
from kompas.fimi.incident import Actor, Channel, Incident, Target

EVERYONE = Viewer(Classification.TOP_SECRET, "NL-NSO", "NL", frozenset({"sst"}))
ASSET, OTHER = 49260, 40258  # the asset's NORAD id is the larger: sorting would put the other object first


def _proximity(event_id: str = "6f1c1b7a-6a43-5c3a-9c41-1f0b6b2c9d10") -> dict:
    return {"id": event_id, "type": "proximity", "norad_ids": [ASSET, OTHER], "names": ["EU ASSET", "VISITOR"],
            "start_utc": "2026-05-01T00:00:00.000Z", "end_utc": "2026-05-03T00:00:00.000Z",
            "epoch_utc": "2026-05-02T06:00:00.000Z", "severity": "high", "confidence": 0.8,
            "summary": "VISITOR near EU ASSET", "owners": {str(ASSET): "ESA", str(OTHER): "PRC"},
            "evidence": {"asset": {"norad_id": ASSET, "name": "EU ASSET", "owner": "ESA", "programme": "test"},
                         "approaches": 3, "closest_km": 12.5, "slowest_km_s": 0.01, "other_manoeuvred": True,
                         "approach_times_utc": ["2026-05-02T06:00:00.000Z"], "approach_km": [12.5]}}


def test_objects_keep_their_order_and_the_report_names_the_approaching_object(store: Store) -> None:
    from kompas.reports import threat_landscape

    done = store_space_events(store, [_proximity()], Marking.build())
    assert done.ids and not done.rejected
    (stored,) = store.events(EVERYONE).items
    assert stored["norad_ids"] == [ASSET, OTHER]
    assert [(a["role"], a["id"], a["name"]) for a in stored["actors"]] == [("primary", str(ASSET), "EU ASSET"),
                                                                         ("secondary", str(OTHER), "VISITOR")]
    assert stored["domain"] == "space" and stored["type"] == stored["kind"] == "proximity"
    assert stored["severity"] == "high" and stored["confidence"] == 0.8
    assert stored["start_utc"] == "2026-05-01T00:00:00.000000000Z" and stored["end_utc"].startswith("2026-05-03")
    assert stored["place"]["countries"] == ["ESA", "PRC"] and stored["evidence"]["closest_km"] == 12.5
    # the report reads the platform's events as the API gives them: the visitor is the approaching object
    item = {"id": stored["id"], "type": stored["kind"], "norad_ids": stored["norad_ids"],
            "summary": stored["title"], **stored["detail"]}
    page = threat_landscape.build([item], "2026-05-01T00:00:00.000Z", "2026-05-08T00:00:00.000Z", "UNCLASSIFIED")
    assert f"VISITOR ({OTHER})" in page and f"EU ASSET ({ASSET})" not in page


def test_a_repeated_id_is_rejected_the_rest_stored_once_and_a_rerun_stores_nothing(store: Store) -> None:
    second = _proximity("0d5e8f3a-1b2c-5d4e-8f6a-7b8c9d0e1f2a")
    batch = [_proximity(), second, _proximity()]
    done = store_space_events(store, batch, Marking.build())
    assert len(done.ids) == 2 and [(r.line, r.field) for r in done.rejected] == [(3, "id")]
    assert "duplicate id: item 1" in done.rejected[0].reason
    again = store_space_events(store, batch, Marking.build())
    assert again.ids == [] and sorted(again.existing) == sorted(done.ids) and len(again.rejected) == 1
    other = store_space_events(store, [_proximity()], Marking.build("RESTRICTED"))
    assert other.ids == [] and other.rejected[0].reason == "already stored under another marking"
    assert len(store.events(EVERYONE).items) == 2


def test_a_batch_with_a_bad_envelope_stores_the_good_ones_in_one_transaction(store: Store) -> None:
    bad = _proximity("9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d")
    deep: dict = {}
    node = deep
    for _ in range(MAX_DEPTH + 5):
        node["x"] = {}
        node = node["x"]
    bad["evidence"] = bad["evidence"] | {"nested": deep}
    done = platform_events.store(store, [(from_space(_proximity()), Marking.build()),
                                         (from_space(bad), Marking.build())], "test")
    assert len(done.ids) == 1 and done.rejected[0].field == "evidence" and "deeper" in done.rejected[0].reason


def test_an_event_nested_900_levels_is_refused_and_listings_keep_working(store: Store) -> None:
    store.add_org("US-SPACECOM", "US")
    store.add_user("importer", "US-SPACECOM", "UNCLASSIFIED")
    detail: dict = {}
    node = detail
    for _ in range(900):
        node["a"] = {}
        node = node["a"]
    bundle = {"type": "bundle", "id": "bundle--6a1d2b30-4e2c-4c3f-9e7e-2c8f5a4f0b11", "objects": [
        {"type": "incident", "spec_version": "2.1", "id": "incident--0f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f60",
         "created": "2026-05-02T00:00:00.000Z", "modified": "2026-05-02T00:00:00.000Z", "name": "deep",
         "x_kompas_kind": "rpo", "x_kompas_norad_ids": [40258], "x_kompas_detail": detail}]}
    ids, rejected = store.import_events(store.account("importer"), json.dumps(bundle))
    assert ids == [] and len(rejected) == 1 and "nested" in rejected[0]["reason"]
    assert store.events(EVERYONE).items == []
    too_deep = "[" * 100_000 + "]" * 100_000
    ids, rejected = store.import_events(store.account("importer"), too_deep)
    assert ids == [] and "nested too deeply" in rejected[0]["reason"]


def test_stix_import_names_only_the_importer_as_originator_and_is_idempotent(store: Store) -> None:
    store.add_org("US-SPACECOM", "US")
    store.add_user("importer", "US-SPACECOM", "SECRET")
    store_space_events(store, [_proximity()], Marking.build("RESTRICTED", originator="DE-GSSAC"))
    bundle = export_events(store.events(EVERYONE).items)
    bundle_text = json.dumps(bundle).replace("DE-GSSAC", "NL-NSO")
    ids, rejected = store.import_events(store.account("importer"), bundle_text)
    assert len(ids) == 1 and rejected == []
    again, _ = store.import_events(store.account("importer"), bundle_text)
    assert again == [], "a re-import stores nothing new"
    imported = store.event(EVERYONE, ids[0])
    assert imported["marking"]["originators"] == ["US-SPACECOM"]
    assert imported["marking"]["classification"] == "RESTRICTED"
    for key in ("domain", "kind", "severity", "confidence", "start_utc", "end_utc", "actors", "place", "evidence",
                "norad_ids", "time_utc", "detail"):
        original = store.events(EVERYONE, domain="space").items[0]
        assert imported[key] == original[key], key


def test_fimi_incidents_and_surges_are_events_in_the_envelope(store: Store) -> None:
    store.add_org("NL-NSO", "NL")
    store.add_user("analyst", "NL-NSO", "SECRET", ["sst"])
    account = store.account("analyst")
    incident = Incident(ref="case-1", source="json", title="Claims about the election", first_seen="2024-06-01",
                        last_seen="2024-06-03", actors=[Actor("Outlet owner", "state-controlled-outlet", "RUS")],
                        channels=[Channel("outlet.example", "outlet", "state-controlled-outlet", "")],
                        targets=[Target("Netherlands", "country")], languages=["en"], confidence="high")
    done = incidents.contribute(store, account, [incident], [], "json", "test", Marking.build("RESTRICTED"))
    assert done.rejected == [] and done.added == 1
    (event,) = store.events(EVERYONE, domain="fimi").items
    assert event["id"] == done.ids[0] and event["type"] == "incident" and event["severity"] == "high"
    assert event["confidence"] == 0.9 and event["time_utc"].startswith("2024-06-01")
    assert event["end_utc"].startswith("2024-06-03") and event["place"]["countries"] == ["Netherlands"]
    assert [a["role"] for a in event["actors"]] == ["actor", "channel", "target"]
    assert event["marking"]["classification"] == "RESTRICTED"
    assert store.events(EVERYONE, domain="space").items == []
    assert store.events(Viewer(Classification.UNCLASSIFIED, "NL-NSO", "NL"), domain="fimi").items == []

    surge = {"cluster_id": 1, "label": "election", "start_utc": "2024-06-01T00:00:00Z",
             "end_utc": "2024-06-08T00:00:00Z", "cases": 1, "outlets": ["a", "b", "c", "d"],
             "languages": ["en", "nl", "de"], "targets": ["Netherlands"], "evidence": [],
             "incident_ids": done.ids}
    incidents.save_run(store, "3b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "2024-06-01", "2024-07-01", [], [surge],
                       Marking.build("RESTRICTED"))
    surges = store.events(EVERYONE, domain="fimi", kind="surge").items
    assert len(surges) == 1 and surges[0]["severity"] == "high" and surges[0]["evidence"]["incident_ids"] == done.ids


@pytest.mark.parametrize(("least", "expected"), [("low", 3), ("medium", 2), ("high", 1)])
def test_severity_filters_at_or_above(store: Store, least: str, expected: int) -> None:
    items = []
    for number, severity in enumerate(("low", "medium", "high")):
        item = _proximity(f"{number}a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d")
        item["severity"] = severity
        items.append(item)
    store_space_events(store, items, Marking.build())
    assert len(store.events(EVERYONE, severity=least).items) == expected
