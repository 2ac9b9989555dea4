"""Attributions, coordination and responses through the HTTP API (issue 22, items 3 and 4), on SQLite and
PostgreSQL: two users in two states (ann, NL, SECRET with community sst; bob, FR, RESTRICTED), need-to-know, 404 for
events and responses one may not see (the same answer as a missing one), 422 for bodies the rules refuse, 403 for
markings one may not give."""

from __future__ import annotations

from kompas.core.markings import Marking

MISSING = "00000000-0000-0000-0000-000000000000"
PUBLIC = {"classification": "UNCLASSIFIED", "tlp": "GREEN"}
NL_SST = {"classification": "SECRET", "releasable_to": ["NL"], "communities": ["sst"]}


def _events(world: dict) -> tuple[str, str]:
    """A public event and one for NL's sst community only."""
    store = world["store"]
    public = store.add_event("fragmentation", "2021-11-15T02:47:00.000000000Z", [13552], "Cosmos 1408 break-up",
                             Marking.build("UNCLASSIFIED", "GREEN"))
    hidden = store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "NL only",
                             Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO"))
    return public, hidden


def test_attributions_and_coordination_as_each_state_may_see_them(world: dict) -> None:
    client, ann, bob = world["client"], world["ann"], world["bob"]
    public, hidden = _events(world)
    url = f"/api/v1/events/{public}/attributions"
    made = client.post(url, headers=ann, json={"actor": "RU", "confidence": "very-likely", "basis": "SDA and SIGINT",
                                               "date": "2021-11-16", "marking": NL_SST})
    assert made.status_code == 201, made.text
    assert made.json()["state"] == "NL" and made.json()["marking"]["communities"] == [["sst"]]
    mine = client.post(url, headers=bob, json={"actor": "ru", "confidence": "likely", "basis": "open sources",
                                               "date": "2021-11-17", "public": True, "marking": PUBLIC})
    assert mine.status_code == 201 and mine.json()["state"] == "FR" and mine.json()["actor"] == "RU"

    seen_by_ann = client.get(url, headers=ann).json()
    assert [(i["state"], i["confidence"]) for i in seen_by_ann["items"]] == [("NL", "very-likely"), ("FR", "likely")]
    assert seen_by_ann["marking"]["classification"] == "SECRET"
    seen_by_bob = client.get(url, headers=bob).json()
    assert [i["state"] for i in seen_by_bob["items"]] == ["FR"] and "SDA and SIGINT" not in str(seen_by_bob)
    assert seen_by_bob["marking"]["classification"] == "UNCLASSIFIED"
    coordination = f"/api/v1/events/{public}/coordination"
    assert client.get(coordination, headers=ann).json()["sentence"] == (
        "2 states you may see attribute this to RU (FR, NL)")
    by_bob = client.get(coordination, headers=bob).json()
    assert by_bob["sentence"] == "1 state you may see attributes this to RU (FR)"
    assert by_bob["public"] == {"RU": ["FR"]} and by_bob["records"] == 1

    # an event bob may not see: 404 exactly as for a missing one, for every route; ann sees it
    for path in ("/api/v1/events/{}/attributions", "/api/v1/events/{}/coordination"):
        missing = client.get(path.format(MISSING), headers=bob)
        assert missing.status_code == 404
        got = client.get(path.format(hidden), headers=bob)
        assert (got.status_code, got.text) == (missing.status_code, missing.text)
        assert client.get(path.format(hidden), headers=ann).status_code == 200
    body = {"actor": "RU", "confidence": "likely", "basis": "x", "date": "2026-05-02", "marking": PUBLIC}
    refused = client.post(f"/api/v1/events/{hidden}/attributions", headers=bob, json=body)
    assert refused.status_code == 404 and refused.text == client.post(
        f"/api/v1/events/{MISSING}/attributions", headers=bob, json=body).text

    # 422: a field for another state, an unknown confidence, no marking, a future date, a bad actor; 403: marking
    for bad in ({**body, "state": "DE"}, {**body, "confidence": "sure"}, {k: v for k, v in body.items()
                                                                           if k != "marking"},
                {**body, "date": "2099-01-01"}, {**body, "actor": "   "}, {**body, "actor": "none"},
                {**body, "basis": "x" * 4001}, {**body, "date": "2026-02-30"}):
        answer = client.post(url, headers=bob, json=bad)
        assert answer.status_code == 422, (bad, answer.text)
    assert client.post(url, headers=bob, json={**body, "marking": {"classification": "SECRET"}}).status_code == 403
    assert len(client.get(url, headers=bob).json()["items"]) == 1, "nothing refused was stored"


def test_responses_through_the_api(world: dict) -> None:
    client, ann, bob = world["client"], world["ann"], world["bob"]
    public, hidden = _events(world)
    shared = {"classification": "RESTRICTED", "releasable_to": ["NL", "FR"]}
    made = client.post("/api/v1/responses", headers=ann, json={
        "event_id": public, "toolbox": "space", "options": ["space-hr-statement", "space-restrictive"],
        "note": "Debris threatens the ISS", "marking": shared})
    assert made.status_code == 201, made.text
    response = made.json()
    assert (response["step"], response["state"], response["overdue"]) == ("informed", "open", False)
    assert [s["id"] for s in response["steps"]] == ["informed", "urgent-instructions", "deliberation", "decision",
                                                    "implementation", "closed"]
    rid = response["id"]
    moved = client.post(f"/api/v1/responses/{rid}/steps", headers=bob, json={
        "step": "deliberation", "note": "FR asks for PSC discussion"})
    assert moved.status_code == 201 and moved.json()["owner"] == "Political and Security Committee"
    secret = client.post(f"/api/v1/responses/{rid}/steps", headers=ann, json={
        "step": "decision", "note": "Council agreed: NOTE-SST-42", "options": ["space-hr-declaration"],
        "deadline": "2026-12-31T00:00:00Z", "marking": NL_SST})
    assert secret.status_code == 201 and secret.json()["state"] == "decided"
    assert secret.json()["marking"]["classification"] == "SECRET"
    seen = client.get(f"/api/v1/responses/{rid}", headers=bob).json()
    assert seen["step"] == "deliberation" and [h["by"] for h in seen["history"]] == ["NL-NSO", "FR-CNES"]
    assert "NOTE-SST-42" not in str(seen) and seen["options"] == ["space-hr-statement", "space-restrictive"]
    listed = client.get("/api/v1/responses", headers=bob, params={"event_id": public}).json()["items"]
    assert [r["id"] for r in listed] == [rid]
    assert client.get("/api/v1/responses", headers=bob, params={"event_id": hidden}).json() == {"items": []}

    # a response bob may not see: 404 as for a missing one (read and move)
    only_nl = client.post("/api/v1/responses", headers=ann, json={"event_id": hidden, "toolbox": "cyber",
                                                                   "options": [], "marking": PUBLIC})
    assert only_nl.status_code == 201 and only_nl.json()["marking"]["communities"] == [["sst"]]
    for rid_other in (only_nl.json()["id"], MISSING):
        assert client.get(f"/api/v1/responses/{rid_other}", headers=bob).status_code == 404
        assert client.post(f"/api/v1/responses/{rid_other}/steps", headers=bob,
                           json={"step": "attribution", "note": "x"}).status_code == 404
    assert client.post("/api/v1/responses", headers=bob, json={"event_id": hidden, "toolbox": "cyber",
                                                               "marking": PUBLIC}).status_code == 404
    assert [r["id"] for r in client.get("/api/v1/responses", headers=bob).json()["items"]] == [rid]

    # 422s and 403
    base = {"event_id": public, "toolbox": "space", "marking": PUBLIC}
    for bad in ({**base, "toolbox": "maritime"}, {**base, "options": ["space-nuke"]}, {**base, "extra": 1},
                {**base, "deadlines": [{"step": "vote", "deadline": "2026-01-01T00:00:00Z"}]},
                {**base, "deadlines": [{"step": "decision", "deadline": "2026-01-01T00:00:00Z"}] * 2},
                {k: v for k, v in base.items() if k != "marking"},
                {**base, "options": ["Space Nuke"]}, {**base, "note": "x" * 4001}):
        answer = client.post("/api/v1/responses", headers=bob, json=bad)
        assert answer.status_code == 422, (bad, answer.text)
    assert client.post("/api/v1/responses", headers=bob,
                       json={**base, "marking": {"classification": "SECRET"}}).status_code == 403
    # bob (FR) moved NL's response among its open steps; recording the Council's decision is NL's (403)
    refused = client.post(f"/api/v1/responses/{rid}/steps", headers=bob, json={"step": "decision", "note": "x"})
    assert refused.status_code == 403 and "only NL-NSO" in refused.text
    for bad_move in ({"step": "vote", "note": "x"}, {"step": "deliberation", "note": "already there"},
                     {"step": "decision", "note": " "}, {"step": "decision", "note": "x", "extra": 1},
                     {"step": "decision", "note": "x", "deadline": "tomorrow"}):
        answer = client.post(f"/api/v1/responses/{rid}/steps", headers=bob, json=bad_move)
        assert answer.status_code == 422, (bad_move, answer.text)
