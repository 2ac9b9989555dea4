"""Tracked conjunction events through the HTTP API end to end (issue 21, item 4): two real daily element sets of a
pair (NORAD 43890 and 66835, from the 2026-05-04 and 05-05 snapshots) contributed through /api/v1/contributions,
each followed by the platform's screening; a webhook subscription with a per-asset red threshold receives, signed,
exactly the updates at or above it; the events, their history and a decision through
/api/v1/conjunction-events; nothing for a user of another country."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import numpy as np
import pytest

from kompas.core import outbox
from kompas.core.jobs import screen_catalogue
from kompas.space import cdm

PAIR = ("43890", "66835")
START = np.datetime64("2026-05-08T03:00:00", "ns")


def _pair_text(shared_space: Path, name: str) -> str:
    lines = (shared_space / name).read_text().splitlines()
    return "\n".join(line for k in range(1, len(lines) - 1) if lines[k].startswith("1 ") and lines[k][2:7].strip()
                     in PAIR for line in lines[k - 1:k + 2]) + "\n"


@pytest.mark.shared
def test_events_history_decision_and_a_red_webhook_through_the_api(world: dict, webhook: tuple,
                                                                   shared_space: Path) -> None:
    url, received = webhook
    client, ann, bob = world["client"], world["ann"], world["bob"]
    rules = {"norad_ids": [43890], "min_level": "red", "red_pc": 1e-5}
    made = client.post("/api/v1/subscriptions", headers=ann, json={"url": url, "kinds": ["tracked-event"],
                                                                   "rules": rules})
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]
    bad = client.post("/api/v1/subscriptions", headers=ann, json={"url": url, "kinds": ["tracked-event"],
                                                                  "rules": {"min_level": "orange"}})
    assert bad.status_code == 422
    for name in ("active_2026-05-04.tle", "active_2026-05-05.tle"):
        response = client.post("/api/v1/contributions", headers=ann, json={
            "kind": "elements", "format": "tle", "content": _pair_text(shared_space, name),
            "marking": {"classification": "UNCLASSIFIED", "tlp": "GREEN", "releasable_to": ["NL"]}})
        assert response.status_code == 201 and response.json()["accepted"] == 2, response.text
        assert len(screen_catalogue(world["store"], start_utc=START, days=0.1, threshold_km=10.0)) == 2

    page = client.get("/api/v1/conjunction-events", headers=ann, params={"sort": "tca"}).json()
    assert page["total"] == 2 and [e["updates"] for e in page["items"]] == [2, 2]
    assert page["items"][0]["norad_ids"] == [43890, 66835]
    detail = client.get(f"/api/v1/conjunction-events/{page['items'][0]['id']}", headers=ann).json()
    assert [u["seq"] for u in detail["history"]] == [1, 2]
    text = client.get(f"/api/v1/conjunctions/{detail['history'][1]['conjunction_id']}/cdm", headers=ann).text
    message = cdm.parse_kvn(text)
    assert message.relative.get("CONJUNCTION_ID") == detail["id"]
    assert message.relative.get("PREVIOUS_MESSAGE_ID") == detail["history"][0]["message_id"]

    outbox.drain(world["store"])
    delivered = []
    for headers, body in received:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Kompas-Signature"], expected)
        payload = json.loads(body)
        assert payload["kind"] == "tracked-event"
        delivered.append(payload["item"]["update"]["id"])
    updates = [u for e in page["items"]
               for u in client.get(f"/api/v1/conjunction-events/{e['id']}", headers=ann).json()["history"]]
    assert sorted(delivered) == sorted(u["id"] for u in updates if u["pc"] is not None and u["pc"] >= 1e-5) != []

    assert client.get("/api/v1/conjunction-events", headers=bob).json()["total"] == 0, "releasable to NL only"
    assert client.get(f"/api/v1/conjunction-events/{detail['id']}", headers=bob).status_code == 404
    refused = client.post(f"/api/v1/conjunction-events/{detail['id']}/decision", headers=bob,
                          json={"decision": "accept", "note": "not mine"})
    assert refused.status_code == 404
    assert client.post(f"/api/v1/conjunction-events/{detail['id']}/decision", headers=ann,
                       json={"decision": "defer", "note": "x"}).status_code == 422
    decided = client.post(f"/api/v1/conjunction-events/{detail['id']}/decision", headers=ann,
                          json={"decision": "monitor", "note": "Pc falling with the fitted covariance"})
    assert decided.status_code == 201, decided.text
    assert decided.json()["status"] == "closed" and decided.json()["decision"]["by"] == "NL-NSO"
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/conjunction-events", "/api/v1/conjunction-events/{event_id}",
            "/api/v1/conjunction-events/{event_id}/decision"} <= set(spec["paths"])
