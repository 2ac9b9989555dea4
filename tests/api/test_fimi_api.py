"""The FIMI routes: submissions with per-item rejections and merges, need-to-know on incidents, clusters and
surges, filters and pagination, STIX export and import, responses, analysis runs, Rapid Alert webhooks with rules,
and the threat report."""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlalchemy import select

from kompas.core import outbox
from kompas.core.models import AuditEntry


def _incident(k: int, target: str, day: str, **more) -> dict:
    word = more.pop("word", "tanks")
    return {"ref": f"case-{k}", "title": f"Claim {k}: {target} prepares a provocation with {word}",
            "first_seen": day, "targets": [{"name": target}], "languages": ["Russian"],
            "channels": [{"name": f"outlet {k % 7}", "category": "state-controlled-outlet"}],
            "techniques": ["T0022"], "evidence": [{"url": f"https://example.org/{k}"}], **more}


def _submit(client, who: dict, incidents: list[dict], **marking) -> dict:
    response = client.post("/api/v1/fimi/incidents", headers=who, json={"incidents": incidents, "marking": marking})
    assert response.status_code == 201, response.text
    return response.json()


def test_submission_keeps_good_items_reports_bad_ones_and_merges_the_same_case(world: dict) -> None:
    client, ann = world["client"], world["ann"]
    out = _submit(client, ann, [_incident(1, "Poland", "2024-05-01"), {"title": "no date"},
                                _incident(2, "Poland", "2024-05-01", techniques=["T22"])], tlp="GREEN")
    assert out["added"] == 1 and [(r["line"], r["field"]) for r in out["rejected"]] == [(2, "first_seen"),
                                                                                        (3, "techniques")]
    again = _submit(client, ann, [_incident(1, "Poland", "2024-05-02", languages=["Polish"])], tlp="GREEN")
    assert again["added"] == 0 and again["merged"][0]["id"] == out["ids"][0]
    assert again["merged"][0]["reason"] == "same api reference"
    later = _submit(client, ann, [{"title": "A different headline months later", "first_seen": "2024-09-30",
                                   "evidence": [{"url": "http://www.example.org/1/"}]}], tlp="GREEN")
    assert later["added"] == 0 and later["merged"][0]["reason"] == "same URL example.org/1"  # found by its URL
    record = client.get(f"/api/v1/fimi/incidents/{out['ids'][0]}", headers=ann).json()
    assert record["languages"] == ["Russian", "Polish"] and record["merges"][0]["by"] == "ann"
    assert record["marking"]["banner"] == "UNCLASSIFIED // TLP:GREEN"


def test_need_to_know_filters_and_pages(world: dict) -> None:
    client, ann, bob = world["client"], world["ann"], world["bob"]
    _submit(client, ann, [_incident(k, "Germany", f"2024-05-{k + 1:02d}") for k in range(5)], tlp="GREEN")
    secret = _submit(client, ann, [_incident(9, "Germany", "2024-05-03", word="drones")],
                     classification="SECRET", releasable_to=["NL"])
    pages, after = [], None
    while True:
        params = {"limit": 2, "target": "germany", **({"after": after} if after else {})}
        page = client.get("/api/v1/fimi/incidents", headers=bob, params=params).json()
        pages.append([i["first_seen"] for i in page["items"]])
        after = page["next"]
        if after is None:
            break
    assert pages == [["2024-05-05", "2024-05-04"], ["2024-05-03", "2024-05-02"], ["2024-05-01"]]  # newest first
    assert len(client.get("/api/v1/fimi/incidents", headers=ann, params={"q": "drones"}).json()["items"]) == 1
    assert client.get("/api/v1/fimi/incidents", headers=bob, params={"q": "drones"}).json()["items"] == []
    assert client.get(f"/api/v1/fimi/incidents/{secret['ids'][0]}", headers=bob).status_code == 404
    assert client.get(f"/api/v1/fimi/incidents/{secret['ids'][0]}/response", headers=bob).status_code == 404
    for name, value, count in (("technique", "T0022", 5), ("attribution", "state-controlled-outlet", 5),
                               ("language", "RUSSIAN", 5), ("outlet", "outlet 1", 1), ("since", "2024-05-04", 2)):
        got = client.get("/api/v1/fimi/incidents", headers=bob, params={name: value}).json()["items"]
        assert len(got) == count, (name, value)
    assert client.get("/api/v1/fimi/incidents", headers=bob, params={"attribution": "friendly"}).status_code == 422


def test_runs_clusters_surges_and_responses_are_marked_by_their_incidents(world: dict, webhook: tuple) -> None:
    client, ann, bob = world["client"], world["ann"], world["bob"]
    url, received = webhook
    subs = {who: client.post("/api/v1/subscriptions", headers=world[who], json={
        "url": url, "kinds": ["fimi-surge", "fimi-incident"], "rules": {"targets": ["Lithuania"]}}).json()
        for who in ("ann", "bob")}
    calm = [{"ref": f"calm-{k}", "title": f"Routine item {k} about fishing quotas {k}",
             "first_seen": f"2024-{1 + k % 12:02d}-15",
             "targets": [{"name": "Norway"}], "channels": [{"name": "paper"}], "languages": ["English"]}
            for k in range(24)]
    burst = [_incident(100 + k, "Lithuania", f"2024-06-{10 + k % 4:02d}", languages=[["Russian", "Lithuanian",
                                                                                      "English"][k % 3]])
             for k in range(10)]
    _submit(client, ann, calm + burst, tlp="GREEN")
    _submit(client, ann, [_incident(200, "Lithuania", "2024-06-11", word="secret drones")], classification="SECRET",
            releasable_to=["NL"])
    run = client.post("/api/v1/fimi/analyses", headers=ann, json={"since": "2024-01-01", "until": "2025-01-01",
                                                                 "clusters": 2})
    assert run.status_code == 201, run.text
    assert run.json()["incidents"] == 35 and run.json()["surges"] >= 1
    assert run.json()["marking"]["classification"] == "SECRET"  # ann's run used the SECRET incident
    clusters = client.get("/api/v1/fimi/clusters", headers=ann).json()["items"]
    assert sorted(c["size"] for c in clusters) == [11, 24]
    # ann's run read a SECRET incident: all its results are SECRET, even the cluster without it (k-means placed
    # that cluster's boundary with the SECRET vector among the others)
    assert client.get("/api/v1/fimi/clusters", headers=bob).json()["items"] == []
    assert client.get("/api/v1/fimi/surges", headers=bob).json()["items"] == []
    surges = client.get("/api/v1/fimi/surges", headers=ann).json()["items"]
    assert surges and surges[0]["cases"] >= 5 and "Lithuania" in surges[0]["targets"]
    response = client.get(f"/api/v1/fimi/surges/{surges[0]['record_id']}/response", headers=ann).json()
    assert set(response["categories"]) == {"prevention", "resilience", "disruption", "regulatory", "diplomatic"}
    assert response["techniques"]["T0022"] >= 5
    # bob's own run sees only what bob may see: its clusters and surges are visible to him
    assert client.post("/api/v1/fimi/analyses", headers=bob, json={"since": "2024-01-01", "until": "2025-01-01",
                                                                   "clusters": 2}).json()["incidents"] == 34
    assert sorted(c["size"] for c in client.get("/api/v1/fimi/clusters", headers=bob).json()["items"]) == [10, 24]
    outbox.drain(world["store"])
    got = {}
    for headers, body in received:
        for who, sub in subs.items():
            expected = "sha256=" + hmac.new(sub["secret"].encode(), body, hashlib.sha256).hexdigest()
            if hmac.compare_digest(headers["X-Kompas-Signature"], expected):
                message = json.loads(body)
                got.setdefault((who, message["kind"]), []).append(message["item"])
    assert len(got[("ann", "fimi-incident")]) == 11 and len(got[("bob", "fimi-incident")]) == 10  # not Norway
    assert all("SECRET" not in i["marking"]["banner"] for i in got[("bob", "fimi-incident")])
    assert got[("ann", "fimi-surge")] and got[("bob", "fimi-surge")]
    with world["store"].session(None) as s:
        audited = s.execute(select(AuditEntry.action, AuditEntry.target)).all()
    assert sum(action == "webhook" and " fimi-surge " in target for action, target in audited) == len(
        got[("ann", "fimi-surge")]) + len(got[("bob", "fimi-surge")])


def test_stix_round_trip_and_report(world: dict) -> None:
    client, ann = world["client"], world["ann"]
    _submit(client, ann, [_incident(k, "Latvia", f"2024-03-{k + 1:02d}") for k in range(6)], tlp="AMBER")
    bundle = client.get("/api/v1/fimi/incidents/stix", headers=ann)
    assert bundle.headers["content-type"].startswith("application/stix+json")
    objects = bundle.json()["objects"]
    assert sum(o["type"] == "incident" for o in objects) == 6
    back = client.post("/api/v1/fimi/incidents/stix", headers=ann, content=bundle.content).json()
    assert back["added"] == 0 and len(back["merged"]) == 6 and back["rejected"] == []  # the same cases again
    bad = client.post("/api/v1/fimi/incidents/stix", headers=ann, content=b"{not json").json()
    assert bad["rejected"][0]["field"] == "json"
    page = client.get("/api/v1/reports/fimi", headers=ann, params={"since": "2024-01-01", "until": "2025-01-01"})
    assert page.status_code == 200 and "FIMI threat report: 2024" in page.text
    assert "UNCLASSIFIED // TLP:AMBER" in page.text and "Coordinated surges" in page.text
    swapped = client.get("/api/v1/reports/fimi", headers=ann, params={"since": "2024-04-01", "until": "2024-01-01"})
    assert swapped.status_code == 200 and "1 January 2024 to 31 March 2024" in swapped.text  # either order
    assert client.get("/api/v1/reports/fimi", headers=ann, params={"since": "2024-02-30",
                                                                   "until": "2024-01-01"}).status_code == 422
