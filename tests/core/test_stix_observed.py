"""One STIX 2.1 mapping for platform events (issue 17 #4): with ``observed``, each event is also an observed-data
object (its window, its actors as observables in order), its actors as infrastructure or identity objects, and the
relationships between them, every object under the event's markings; the default export is unchanged, and a bundle
holding all of these imports as before (round trip)."""

from __future__ import annotations

import json

import stix2
from fastapi.testclient import TestClient

from kompas.core.jobs import store_space_events
from kompas.core.markings import Marking
from kompas.core.stix import ACTOR_SCO, export_events, import_events
from kompas.core.store import Store
from tests.core.test_event_envelope import ASSET, EVERYONE, OTHER, _proximity

MARKING = Marking.build("RESTRICTED", "AMBER+STRICT", ["NL"], ["sst"], "NL-NSO")


def _by_type(bundle: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for obj in bundle["objects"]:
        out.setdefault(obj["type"], []).append(obj)
    return out


def test_observed_data_actors_and_relationships_in_order_under_the_markings(store: Store) -> None:
    store_space_events(store, [_proximity()], MARKING)
    (event,) = store.events(EVERYONE).items
    bundle = export_events([event], observed=True)
    parsed = stix2.parse(bundle, allow_custom=True, version="2.1")  # the stix2 parser validates every object
    assert len(parsed.objects) == len(bundle["objects"])
    objects = _by_type(bundle)
    (incident,) = objects["incident"]
    (observed,) = objects["observed-data"]
    assert (observed["first_observed"], observed["last_observed"]) == ("2026-05-01T00:00:00.000Z",
                                                                      "2026-05-03T00:00:00.000Z")
    assert observed["number_observed"] == 1
    observables = {o["id"]: o for o in objects[ACTOR_SCO]}
    assert [observables[ref]["norad_id"] for ref in observed["object_refs"]] == [ASSET, OTHER]  # primary first
    assert len(objects["infrastructure"]) == 2 and "identity" not in objects  # space objects are infrastructure
    relationships = objects["relationship"]
    assert any(r["source_ref"] == incident["id"] and r["target_ref"] == observed["id"]
               and r["relationship_type"] == "related-to" for r in relationships)
    to_actors = sorted((r for r in relationships if r["source_ref"] == incident["id"]
                        and r["target_ref"].startswith("infrastructure--")), key=lambda r: r["x_kompas_order"])
    names = {o["id"]: o["name"] for o in objects["infrastructure"]}
    assert [(r["x_kompas_order"], r["x_kompas_role"], names[r["target_ref"]]) for r in to_actors] == [
        (0, "primary", "EU ASSET"), (1, "secondary", "VISITOR")]
    assert {(r["relationship_type"], r["target_ref"]) for r in relationships
            if r["source_ref"].startswith("infrastructure--")} == {("consists-of", ref) for ref in observables}
    for obj in bundle["objects"]:  # markings travel on every object
        if obj["type"] != "marking-definition":
            assert obj["object_marking_refs"] == incident["object_marking_refs"], obj["type"]
    assert len(objects["marking-definition"]) == 2
    again = export_events([event], observed=True)
    assert [o["id"] for o in again["objects"]] == [o["id"] for o in bundle["objects"]]  # stable ids


def test_the_default_export_is_incidents_and_marking_definitions_only(store: Store) -> None:
    store_space_events(store, [_proximity()], MARKING)
    bundle = export_events(store.events(EVERYONE).items)
    assert sorted(o["type"] for o in bundle["objects"]) == ["incident", "marking-definition", "marking-definition"]


def test_a_bundle_with_observed_data_imports_as_before(store: Store) -> None:
    store.add_org("US-SPACECOM", "US")
    store.add_user("importer", "US-SPACECOM", "SECRET", ["sst"])
    store_space_events(store, [_proximity()], Marking.build("RESTRICTED", originator="DE-GSSAC"))
    (original,) = store.events(EVERYONE).items
    bundle = export_events([original], observed=True)
    ids, rejected = store.import_events(store.account("importer"), json.dumps(bundle))
    assert len(ids) == 1 and rejected == []
    imported = store.event(EVERYONE, ids[0])
    assert imported is not None
    for key in ("domain", "kind", "severity", "confidence", "start_utc", "end_utc", "actors", "place", "evidence",
                "norad_ids", "time_utc", "detail"):
        assert imported[key] == original[key], key


def test_actors_come_from_the_relationships_when_the_incident_does_not_carry_them(store: Store) -> None:
    store_space_events(store, [_proximity()], MARKING)
    bundle = export_events(store.events(EVERYONE).items, observed=True)
    incident = next(o for o in bundle["objects"] if o["type"] == "incident")
    del incident["x_kompas_actors"]  # as another tool would send it: the actors only as related objects
    bundle["objects"].reverse()  # the relationships' x_kompas_order, not the bundle order, gives the order
    (event,) = import_events(json.dumps(bundle)).events
    actors = event.envelope("6f1c1b7a-6a43-5c3a-9c41-1f0b6b2c9d11", "test").actors
    assert [(a.role, a.kind, a.id, a.name) for a in actors] == [
        ("primary", "space-object", str(ASSET), "EU ASSET"), ("secondary", "space-object", str(OTHER), "VISITOR")]


def test_the_api_offers_the_option_and_documents_it(store: Store) -> None:
    from kompas.api.app import create_app

    store.add_org("NL-NSO", "NL")
    token = store.add_user("ann", "NL-NSO", "SECRET", ["sst"])
    store_space_events(store, [_proximity()], MARKING)
    client = TestClient(create_app(store.engine, rate_per_s=1e6, burst=1e6))
    headers = {"Authorization": f"Bearer {token}"}
    plain = client.get("/api/v1/events/stix", headers=headers).json()
    full = client.get("/api/v1/events/stix?observed=true", headers=headers).json()
    assert {o["type"] for o in plain["objects"]} == {"incident", "marking-definition"}
    assert {"observed-data", "relationship", "infrastructure", ACTOR_SCO} <= {o["type"] for o in full["objects"]}
    stix2.parse(full, allow_custom=True, version="2.1")
    parameters = client.get("/openapi.json").json()["paths"]["/api/v1/events/stix"]["get"]["parameters"]
    (observed,) = [p for p in parameters if p["name"] == "observed"]
    assert observed["schema"]["type"] == "boolean" and "observed-data" in observed["description"]


def test_every_kind_of_actor_and_an_event_without_actors_validate() -> None:
    base = {"domain": "fimi", "type": "incident", "kind": "incident", "time_utc": "2024-06-01T00:00:00.000000000Z",
            "start_utc": "2024-06-01T00:00:00.000000000Z", "end_utc": "2024-06-03T00:00:00.000000000Z",
            "norad_ids": [], "title": "Claims about the election", "severity": "medium", "confidence": 0.9,
            "place": {}, "evidence": {}, "detail": {}, "source": "test", "marking": MARKING.as_dict()}
    fimi = base | {"id": "0b1c1b7a-6a43-5c3a-9c41-1f0b6b2c9d10", "actors": [
        {"role": "actor", "kind": "threat-actor", "id": "Outlet owner", "name": "Outlet owner"},
        {"role": "channel", "kind": "outlet", "id": "outlet.example", "name": "outlet.example"},
        {"role": "target", "kind": "country", "id": "Netherlands", "name": "Netherlands"}]}
    bare = base | {"id": "0b1c1b7a-6a43-5c3a-9c41-1f0b6b2c9d11", "actors": []}
    bundle = export_events([fimi, bare], observed=True)
    stix2.parse(bundle, allow_custom=True, version="2.1")
    objects = _by_type(bundle)
    assert len(objects["observed-data"]) == 2 and all(o["object_refs"] for o in objects["observed-data"])
    assert sorted(o["identity_class"] for o in objects["identity"]) == ["group", "organization", "unknown"]
    assert [o["name"] for o in objects["infrastructure"]] == ["outlet.example"]
