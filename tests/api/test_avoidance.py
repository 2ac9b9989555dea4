"""The manoeuvre trade space through the API: a real screened conjunction (Iridium 33 / Cosmos 2251, 2009), its
marking carried, need-to-know (404), bad parameters (422), and the job with the secondary conjunctions."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from kompas.core import jobqueue
from kompas.core.jobs import screen_catalogue
from kompas.services.avoidance import avoidance_job
from tests.api.test_api import IRIDIUM_COSMOS, contribute


def client_with_avoidance(world: dict) -> TestClient:
    """The API as served (the application lists the avoidance router: a missing one fails here)."""
    return world["client"]


@pytest.fixture
def screened(world: dict) -> tuple[TestClient, dict]:
    client, ann, bob, store = client_with_avoidance(world), world["ann"], world["bob"], world["store"]
    text = IRIDIUM_COSMOS.splitlines()
    iridium = "\n".join(line for line in text if "24946" in line or line.startswith("IRIDIUM"))
    cosmos = "\n".join(line for line in text if "22675" in line or line.startswith("COSMOS"))
    contribute(client, ann, iridium, classification="RESTRICTED", tlp="GREEN")
    contribute(client, bob, cosmos, classification="UNCLASSIFIED", tlp="AMBER", releasable_to=["NL", "FR"])
    ids = screen_catalogue(store, np.datetime64("2009-02-10T16:00:00", "ns"), days=1 / 24, threshold_km=5.0,
                           primaries={24946})
    assert len(ids) == 1
    (conj,) = client.get("/api/v1/conjunctions", headers=ann).json()["items"]
    assert conj["primary_id"] == 24946 and conj["has_cdm"]
    return client, conj


def test_trade_space_carries_the_conjunctions_marking(world: dict, screened: tuple) -> None:
    client, conj = screened
    response = client.get(f"/api/v1/conjunctions/{conj['id']}/avoidance", headers=world["ann"])
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["marking"] == conj["marking"]
    assert (out["primary_id"], out["secondary_id"], out["conjunction_id"]) == (24946, 22675, conj["id"])
    if conj["pc_basis"] == "pc2d":  # zero burn: the stored Pc
        assert out["pc0"] == pytest.approx(conj["pc"], rel=1e-9)
    assert out["pc0"] > out["threshold"] == 1e-4
    assert len(out["pc"]) == 2 and len(out["pc"][0]) == 11 and len(out["pc"][0][0]) == 39
    assert {b["label"] for b in out["minimum"]} <= {"+radial", "-radial", "+along-track", "-along-track"}
    assert out["minimum"] and all(b["pc"] < 1e-4 for b in out["minimum"])
    # bob (FR, RESTRICTED) may see the conjunction (marked releasable to FR) and so its trade space
    assert client.get(f"/api/v1/conjunctions/{conj['id']}/avoidance", headers=world["bob"]).status_code == 200


def test_another_user_without_need_to_know_gets_404(world: dict, screened: tuple) -> None:
    client, conj = screened
    carl = {"Authorization": "Bearer " + world["store"].add_user("carl", "NL-NSO", "UNCLASSIFIED")}
    assert client.get(f"/api/v1/conjunctions/{conj['id']}/avoidance", headers=carl).status_code == 404
    assert client.post(f"/api/v1/conjunctions/{conj['id']}/avoidance", headers=carl, json={}).status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/api/v1/conjunctions/{missing}/avoidance", headers=world["ann"]).status_code == 404


def test_bad_parameters_get_422(world: dict, screened: tuple) -> None:
    client, conj = screened
    address = f"/api/v1/conjunctions/{conj['id']}/avoidance"
    for query in ("threshold=2", "threshold=0", "max_dv_m_s=0", "max_dv_m_s=100", "min_lead_orbits=3&max_lead_orbits=1",
                  "lead_step_orbits=0.01", "min_lead_orbits=-1", "threshold=abc"):
        response = client.get(f"{address}?{query}", headers=world["ann"])
        assert response.status_code == 422, query
        assert "Traceback" not in response.text
    for body in ({"threshold": 1.5}, {"after_tca_s": -1}, {"unknown": 1}):
        assert client.post(address, headers=world["ann"], json=body).status_code == 422, body


def test_the_job_screens_the_smallest_burns_against_the_catalogue(world: dict, screened: tuple) -> None:
    client, conj = screened
    store = world["store"]
    response = client.post(f"/api/v1/conjunctions/{conj['id']}/avoidance", headers=world["ann"],
                           json={"after_tca_s": 600})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    jobqueue.run_pending(store, {"avoidance": avoidance_job})
    job = client.get(f"/api/v1/jobs/{job_id}", headers=world["ann"]).json()
    assert job["status"] == "done", job
    out = json.loads(client.get(f"/api/v1/jobs/{job_id}/file", headers=world["ann"]).content)
    assert out["marking"] == conj["marking"]  # the only other object is Cosmos, whose set the conjunction used
    labels = {b["label"] for b in out["minimum"]}
    moved = [r for r in out["secondaries"] if r["secondary_id"] == 22675 and r["tca_utc"][:16] == conj["tca_utc"][:16]]
    assert {r["burn"] for r in moved} == labels
    for row in moved:
        assert not row["new"] and row["miss_before_km"] < 2.0 and row["marking"] == conj["marking"]


def test_no_burn_is_offered_before_now(world: dict, screened: tuple) -> None:
    """With the clock 1.2 orbits before TCA (the TCA ahead), the grid keeps only the leads up to 1.2 orbits, says
    which it left out and from when burns are possible; the smallest burns all lie after that."""
    from kompas.services.avoidance import conjunction_trade_space

    _, conj = screened
    ann = world["store"].authenticate(world["ann"]["Authorization"].split()[1])
    tca = np.datetime64(conj["tca_utc"].rstrip("Z"), "ns")
    period_s = 6027.0  # Iridium 33's two-body period at TCA, about 100.4 min (checked below to 1%)
    now = tca - np.timedelta64(int(1.2 * period_s * 1e9), "ns")
    found = conjunction_trade_space(world["store"], ann.viewer, conj["id"], now=now)
    assert found is not None
    out, _ = found
    assert out["period_s"] == pytest.approx(period_s, rel=0.01)
    assert out["leads_orbits"] == [0.5, 0.75, 1.0]
    assert out["leads_left_out_orbits"] == [1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0]
    assert out["earliest_burn_utc"].startswith(str(now)[:19])
    assert out["minimum"] and all(b["burn_utc"] >= out["earliest_burn_utc"] for b in out["minimum"])


def test_a_busy_server_answers_503_and_remembers_what_it_computed(world: dict, screened: tuple,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """One trade space at a time per process: while the gate is held, a new grid gets 503 with Retry-After (no
    traceback), while the grid computed just before is served from memory."""
    from kompas.api.routers import avoidance as router
    from kompas.core.gate import Gate

    client, conj = screened
    address = f"/api/v1/conjunctions/{conj['id']}/avoidance"
    first = client.get(f"{address}?threshold=2e-4", headers=world["ann"])
    assert first.status_code == 200, first.text
    held = Gate("trade spaces", slots=1, wait_s=0.0, retry_after_s=2)
    monkeypatch.setattr(router, "GATE", held)
    with held.enter():
        busy = client.get(f"{address}?threshold=3e-4", headers=world["ann"])
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
        assert "trade spaces" in busy.json()["detail"] and "Traceback" not in busy.text
        again = client.get(f"{address}?threshold=2e-4", headers=world["ann"])
        assert again.status_code == 200 and again.json() == first.json()
    assert client.get(f"{address}?threshold=3e-4", headers=world["ann"]).status_code == 200
