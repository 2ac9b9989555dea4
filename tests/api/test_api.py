"""The HTTP API end to end (FastAPI's TestClient, a real database): contributions, need-to-know, errors,
limits, STIX, webhooks and the audit trail of it all."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kompas.api.app import create_app
from kompas.core import audit, outbox
from kompas.core.jobs import screen_catalogue
from kompas.core.models import AuditEntry

DATA = Path(__file__).resolve().parents[1] / "data"
IRIDIUM_COSMOS = (DATA / "iridium33_cosmos2251_2009-02-09.tle").read_text()


def contribute(client: TestClient, who: dict, content: str, **marking) -> dict:
    response = client.post("/api/v1/contributions", headers=who,
                           json={"kind": "elements", "format": "tle", "content": content, "marking": marking})
    assert response.status_code == 201, response.text
    return response.json()


def test_contribution_keeps_good_records_and_reports_bad_ones(world: dict) -> None:
    bad = IRIDIUM_COSMOS.replace("0  4775", "0  4776")  # Iridium's line 1 with a wrong checksum
    out = contribute(world["client"], world["ann"], bad, classification="RESTRICTED")
    assert out["accepted"] == 1
    assert [(r["line"], r["field"]) for r in out["rejected"]] == [(2, "line 1 checksum")]
    elements = world["client"].get("/api/v1/objects/22675/elements", headers=world["ann"]).json()
    assert [e["norad_id"] for e in elements] == [22675]
    assert elements[0]["marking"]["banner"] == "RESTREINT UE/EU RESTRICTED // TLP:AMBER"


def test_need_to_know_through_the_api(world: dict) -> None:
    client, ann, bob = world["client"], world["ann"], world["bob"]
    contribute(client, ann, IRIDIUM_COSMOS, classification="RESTRICTED", releasable_to=["NL"], communities=["sst"])
    assert client.get("/api/v1/objects", headers=ann).json()["items"]
    assert client.get("/api/v1/objects", headers=bob).json() == {"items": [], "next": None, "total": 0}
    assert client.get("/api/v1/objects/24946/elements", headers=bob).json() == []
    contribute(client, bob, IRIDIUM_COSMOS, classification="UNCLASSIFIED", tlp="GREEN")
    seen = client.get("/api/v1/objects/24946/elements", headers=bob).json()
    assert [e["marking"]["originators"] for e in seen] == [["FR-CNES"]]
    assert len(client.get("/api/v1/objects/24946/elements", headers=ann).json()) == 2


def test_a_contributor_cannot_mark_above_its_clearance_or_outside_its_communities(world: dict) -> None:
    client, bob = world["client"], world["bob"]
    for marking, reason in [({"classification": "SECRET"}, "above your clearance"),
                            ({"communities": ["sst"]}, "would not be able to see")]:
        response = client.post("/api/v1/contributions", headers=bob, json={
            "kind": "elements", "format": "tle", "content": IRIDIUM_COSMOS, "marking": marking})
        assert response.status_code == 403 and reason in response.json()["detail"]


def test_screening_results_carry_the_most_restrictive_marking_of_their_inputs(world: dict) -> None:
    client, ann, bob, store = world["client"], world["ann"], world["bob"], world["store"]
    text = IRIDIUM_COSMOS.splitlines()
    iridium = "\n".join(line for line in text if "24946" in line or line.startswith("IRIDIUM"))
    cosmos = "\n".join(line for line in text if "22675" in line or line.startswith("COSMOS"))
    contribute(client, ann, iridium, classification="RESTRICTED", tlp="GREEN")
    contribute(client, bob, cosmos, classification="UNCLASSIFIED", tlp="AMBER", releasable_to=["NL", "FR"])
    ids = screen_catalogue(store, np.datetime64("2009-02-10T16:00:00", "ns"), days=1 / 24, threshold_km=5.0)
    assert len(ids) == 1
    (conj,) = client.get("/api/v1/conjunctions", headers=ann).json()["items"]
    assert conj["marking"]["classification"] == "RESTRICTED" and conj["marking"]["tlp"] == "AMBER"
    assert conj["marking"]["releasable_to"] == ["FR", "FR-CNES", "NL"]
    assert sorted(conj["marking"]["originators"]) == ["FR-CNES", "NL-NSO"]
    assert conj["miss_km"] < 2.0 and conj["tca_utc"].startswith("2009-02-10T16:55:59")
    assert client.get(f"/api/v1/conjunctions/{conj['id']}", headers=bob).status_code == 200
    carl = {"Authorization": "Bearer " + store.add_user("carl", "NL-NSO", "UNCLASSIFIED")}
    assert client.get(f"/api/v1/conjunctions/{conj['id']}", headers=carl).status_code == 404
    # the CDM the platform derived: the Pc it lists is the engine's Foster Pc on that very message
    from kompas.space import cdm
    from kompas.space.decision import SCREENING_FIRST_BATCH, SCREENING_MAX_SAMPLES, SCREENING_PCS, assess
    from kompas.space.probability import adjust_to_tca, pc_foster

    text = client.get(f"/api/v1/conjunctions/{conj['id']}/cdm", headers=ann).text
    message = cdm.parse_kvn(text, "derived")
    assert conj["has_cdm"] and 0 < conj["pc"] < 1
    # the value to decide on, recomputed from the CDM it lists
    again = assess(cdm.encounter(message), 10.0, thresholds=SCREENING_PCS, max_samples=SCREENING_MAX_SAMPLES,
                   first_batch=SCREENING_FIRST_BATCH,
                   cov_vel_check_level=1)
    assert (conj["pc_basis"], conj["pc_flags"]) == (again.basis, list(again.flags))
    assert again.pc == pytest.approx(conj["pc"], rel=1e-6)
    if conj["pc_basis"] == "pc2d":
        assert pc_foster(adjust_to_tca(cdm.encounter(message)), 10.0) == pytest.approx(conj["pc"], rel=1e-6)
    assert message.relative.get("COLLISION_PROBABILITY") == f"{conj['pc']:.6e}"
    assert f"Pc basis = {conj['pc_basis']}" in text
    assert client.get(f"/api/v1/conjunctions/{conj['id']}/cdm", headers=carl).status_code == 404
    # the cumulative risk of either object: one encounter, so its own Pc, under the conjunction's marking
    for norad in (24946, 22675):
        risk = client.get(f"/api/v1/conjunctions/cumulative?norad_id={norad}", headers=ann).json()
        assert (risk["conjunctions"], risk["max_pc_id"]) == (1, conj["id"])
        assert risk["cumulative_pc"] == pytest.approx(conj["pc"], rel=1e-12)
        assert risk["marking"] == conj["marking"] and [r["norad_id"] for r in risk["by_object"]] == [
            22675 if norad == 24946 else 24946]
    hidden = client.get("/api/v1/conjunctions/cumulative?norad_id=24946", headers=carl).json()
    assert (hidden["conjunctions"], hidden["cumulative_pc"], hidden["by_object"]) == (0, 0.0, [])
    assert hidden["marking"]["classification"] == "UNCLASSIFIED"
    assert client.get("/api/v1/conjunctions/cumulative?norad_id=0", headers=ann).status_code == 422


def test_cdm_and_document_contributions(world: dict) -> None:
    cara = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cara" / "cdm"
    if not cara.is_dir():
        pytest.skip(f"NASA CARA CDMs not found at {cara} (clone ../shared beside the repository)")
    client, ann, bob = world["client"], world["ann"], world["bob"]
    path = cara / "000020580_conj_000002017_20230613_001923_20230608_063715.cdm"
    response = client.post("/api/v1/contributions", headers=ann, json={
        "kind": "cdm", "format": "cdm-kvn", "content": path.read_text(), "marking": {"classification": "RESTRICTED"}})
    assert response.status_code == 201 and response.json()["accepted"] == 1, response.text
    (listed,) = client.get("/api/v1/cdms?norad_id=2017", headers=ann).json()["items"]
    assert (listed["object1_id"], listed["object2_id"]) == (20580, 2017)
    assert listed["tca_utc"].startswith("2023-06-13T00:19:23") and listed["content"] is None
    full = client.get(f"/api/v1/cdms/{listed['id']}", headers=ann).json()
    assert full["content"] == path.read_text()
    assert client.get(f"/api/v1/cdms/{listed['id']}", headers=bob).status_code == 200  # RESTRICTED, no REL TO
    broken = client.post("/api/v1/contributions", headers=ann, json={
        "kind": "cdm", "format": "cdm-kvn", "content": path.read_text().replace("TCA", "TCX", 1),
        "marking": {"classification": "SECRET"}}).json()
    rejection = broken["rejected"][0]
    assert broken["accepted"] == 0 and (rejection["field"], rejection["reason"]) == ("TCA", "missing")
    assert len(client.get("/api/v1/cdms", headers=ann).json()["items"]) == 1


def test_documents_follow_the_same_rule(world: dict) -> None:
    client, ann, bob = world["client"], world["ann"], world["bob"]
    body = {"kind": "document", "format": "markdown", "title": "Weekly SDA assessment", "content": "# Summary\n",
            "marking": {"classification": "SECRET", "communities": ["sst"]}}
    assert client.post("/api/v1/contributions", headers=ann, json=body).status_code == 201
    (doc,) = client.get("/api/v1/documents", headers=ann).json()["items"]
    assert doc["media_type"] == "text/markdown" and doc["marking"]["banner"].startswith("SECRET UE/EU SECRET")
    assert client.get(f"/api/v1/documents/{doc['id']}", headers=ann).json()["content"] == "# Summary\n"
    assert client.get("/api/v1/documents", headers=bob).json()["items"] == []
    assert client.get(f"/api/v1/documents/{doc['id']}", headers=bob).status_code == 404
    untitled = client.post("/api/v1/contributions", headers=ann, json={**body, "title": "  "})
    assert untitled.status_code == 422


def test_hidden_and_missing_items_get_the_same_answer(world: dict) -> None:
    from kompas.core.markings import Marking

    store, client = world["store"], world["client"]
    hidden = store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "secret manoeuvre",
                             Marking.build("SECRET"))
    for path in (f"/api/v1/events/{hidden}", "/api/v1/events/00000000-0000-0000-0000-000000000000"):
        response = client.get(path, headers=world["bob"])
        assert (response.status_code, response.json()) == (404, {"detail": "not found"})
    assert client.get(f"/api/v1/events/{hidden}", headers=world["ann"]).status_code == 200


def test_errors_are_json_without_stack_traces(world: dict) -> None:
    client, ann = world["client"], world["ann"]
    assert client.get("/api/v1/objects").status_code == 401
    assert client.get("/api/v1/objects", headers={"Authorization": "Bearer nope"}).status_code == 401
    for response in (client.get("/api/v1/conjunctions?since=yesterday", headers=ann),
                     client.get("/api/v1/objects?limit=0", headers=ann),
                     client.get("/api/v1/objects?after=x", headers=ann),
                     client.get("/api/v1/events?after=2026-01-01T00:00:00Z", headers=ann),
                     client.post("/api/v1/contributions", headers=ann, content=b"{not json"),
                     client.post("/api/v1/contributions", headers=ann, json={"kind": "elements"})):
        assert response.status_code == 422, response.text
        assert "Traceback" not in response.text and "detail" in response.json()


def test_request_bodies_are_size_limited(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import kompas.api.app as module

    monkeypatch.setattr(module, "MAX_BODY_BYTES", 1000)
    client = TestClient(module.create_app(world["store"].engine), raise_server_exceptions=False)
    response = client.post("/api/v1/contributions", headers=world["ann"], content=b"x" * 5000)
    assert response.status_code == 413 and "over 1000 bytes" in response.json()["detail"]


def test_each_token_is_rate_limited(world: dict) -> None:
    client = TestClient(create_app(world["store"].engine, rate_per_s=0.01, burst=3), raise_server_exceptions=False)
    codes = [client.get("/api/v1/whoami", headers=world["ann"]).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get("/api/v1/whoami", headers=world["bob"]).status_code == 200  # per token


def test_stix_export_and_import_keep_the_markings(world: dict) -> None:
    from kompas.core.markings import Marking

    store, client, ann = world["store"], world["client"], world["ann"]
    store.add_event("manoeuvre", "2026-05-01T12:00:00.000000000Z", [25544], "ISS reboost",
                    Marking.build("RESTRICTED", "AMBER+STRICT", ["NL"], ["sst"], "NL-NSO"), {"dv_m_s": 0.5})
    bundle = client.get("/api/v1/events/stix", headers=ann).json()
    import stix2

    parsed = stix2.parse(bundle, allow_custom=True)
    kinds = sorted(o["type"] for o in parsed.objects)
    assert kinds == ["incident", "marking-definition", "marking-definition"]
    statement = next(o for o in bundle["objects"] if o.get("definition_type") == "statement")
    assert statement["definition"]["statement"].startswith("RESTREINT UE/EU RESTRICTED // REL TO NL, NL-NSO")
    assert "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003" in bundle["objects"][-1][
        "object_marking_refs"]  # TLP:AMBER+STRICT (TLP 2.0)
    imported = client.post("/api/v1/events/stix", headers=ann, content=json.dumps(bundle)).json()
    assert len(imported["imported"]) == 1 and imported["rejected"] == []
    events = client.get("/api/v1/events", headers=ann).json()["items"]
    assert len(events) == 2 and events[0]["marking"] == events[1]["marking"]
    assert events[1]["detail"] == {"dv_m_s": 0.5}
    assert client.get("/api/v1/events", headers=world["bob"]).json()["items"] == []
    broken = client.post("/api/v1/events/stix", headers=ann, content=b'{"type": "bundle", "objects": [{"type": '
                                                                     b'"incident", "id": "incident--x"}]}').json()
    assert broken["imported"] == [] and broken["rejected"][0]["object"] == 0


def test_webhooks_are_signed_and_carry_only_what_the_subscriber_may_see(world: dict, webhook: tuple) -> None:
    url, received = webhook
    client = world["client"]
    subs = {who: client.post("/api/v1/subscriptions", headers=world[who],
                             json={"url": url, "kinds": ["event"]}).json() for who in ("ann", "bob")}
    bundle = {"type": "bundle", "id": "bundle--6a1d2b30-4e2c-4c3f-9e7e-2c8f5a4f0b11", "objects": [
        {"type": "incident", "spec_version": "2.1", "id": "incident--0f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f60",
         "created": "2026-05-02T00:00:00.000Z", "modified": "2026-05-02T00:00:00.000Z",
         "name": "unknown object near GEO asset", "x_kompas_kind": "rpo", "x_kompas_norad_ids": [40258],
         "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]}]}
    out = client.post("/api/v1/events/stix", headers=world["ann"], content=json.dumps(bundle)).json()
    assert len(out["imported"]) == 1  # TLP 1.0 AMBER, UNCLASSIFIED, from NL-NSO: both may see it
    secret_bundle = json.loads(json.dumps(bundle).replace("0f6d5c0e", "1f6d5c0e"))
    secret_bundle["objects"].append({"type": "marking-definition", "spec_version": "2.1",
                                     "id": "marking-definition--2a6e0f0c-2d3c-4d8c-9b1a-6c5b4a3f2e1d",
                                     "created": "2026-01-01T00:00:00.000Z", "definition_type": "statement",
                                     "definition": {"statement": "SECRET UE/EU SECRET"}})
    secret_bundle["objects"][0]["object_marking_refs"].append(secret_bundle["objects"][1]["id"])
    assert len(client.post("/api/v1/events/stix", headers=world["ann"],
                           content=json.dumps(secret_bundle)).json()["imported"]) == 1
    assert received == []  # queued, not posted inside the requests
    outbox.drain(world["store"])
    by_secret = {}
    for headers, body in received:
        for who, sub in subs.items():
            expected = "sha256=" + hmac.new(sub["secret"].encode(), body, hashlib.sha256).hexdigest()
            if hmac.compare_digest(headers["X-Kompas-Signature"], expected):
                by_secret.setdefault(who, []).append(json.loads(body)["item"]["title"])
    assert by_secret == {"ann": ["unknown object near GEO asset", "unknown object near GEO asset"],
                         "bob": ["unknown object near GEO asset"]}


def test_every_request_is_audited_and_the_chain_verifies(world: dict) -> None:
    client, engine = world["client"], world["store"].engine
    with engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditEntry))
    client.get("/api/v1/objects", headers=world["ann"])
    client.get("/api/v1/objects", headers={"Authorization": "Bearer wrong"})
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.outcome)
                                  .where(AuditEntry.seq > before).order_by(AuditEntry.seq)).all()
    assert [tuple(r) for r in rows] == [("ann", "read", "ok"), ("anonymous", "authenticate", "denied")]
    assert audit.verify(engine).ok


def test_openapi_spec_is_served(world: dict) -> None:
    spec = world["client"].get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/contributions", "/api/v1/objects/{norad_id}/elements", "/api/v1/conjunctions",
            "/api/v1/events", "/api/v1/events/stix", "/api/v1/subscriptions"} <= set(spec["paths"])


def test_commitments_status_through_the_api(world: dict) -> None:
    """A SECRET note with need-to-know "sst" from NL changes what ann sees of SP-010, not what bob sees; the public
    evidence is there for both; bad input is a 4xx, never a stack trace."""
    client, ann, bob = world["client"], world["ann"], world["bob"]
    note = {"status": "in_progress", "evidence": "Pilot Space ISAC running, NL operators joined",
            "as_of": "2025-06-30", "marking": {"classification": "SECRET", "releasable_to": ["NL"],
                                               "communities": ["sst"]}}
    made = client.post("/api/v1/commitments/SP-010/status", headers=ann, json=note)
    assert made.status_code == 201, made.text
    seen = {c["id"]: c for c in client.get("/api/v1/commitments?as_of=2025-12-31", headers=ann).json()}
    other = {c["id"]: c for c in client.get("/api/v1/commitments?as_of=2025-12-31", headers=bob).json()}
    assert len(seen) == len(other) > 200
    assert (seen["SP-010"]["status"], seen["SP-010"]["notes"][0]["evidence"]) == ("overdue", note["evidence"])
    assert (other["SP-010"]["status"], other["SP-010"]["notes"]) == ("unknown", [])
    assert (other["SC-098"]["status"], other["SC-098"]["late"], other["SC-098"]["done_on"]) == ("done", True,
                                                                                               "2022-05-18")
    bare = client.get("/api/v1/commitments?as_of=2025-12-31&public_evidence=false", headers=bob).json()
    assert all(not c["notes"] for c in bare)
    assert client.post("/api/v1/commitments/SC-999/status", headers=ann, json=note).status_code == 404
    assert client.post("/api/v1/commitments/SP-010/status", headers=bob, json=note).status_code == 403  # SECRET
    wrong = client.post("/api/v1/commitments/SP-010/status", headers=ann, json={**note, "as_of": "2025-02-30"})
    assert wrong.status_code in (400, 422) and "Traceback" not in wrong.text
    assert client.get("/api/v1/commitments?as_of=someday", headers=ann).status_code == 422
