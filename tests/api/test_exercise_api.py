"""The exercise context through the API (issue 29, item 2): ``X-Kompas-Exercise`` gives a participant the exercise's
items and marks everything the request writes or derives as the exercise's; nobody else enters; the real world never
sees an exercise item, in answers, jobs or alerts. And the exercise routes themselves."""

from __future__ import annotations

from importlib.resources import files

import pytest

from kompas.core import alerts, jobqueue
from kompas.core.markings import Marking, MarkingError
from kompas.services.reports import RUNNERS

CODE = "EX-1"
_SAMPLE = (files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle").read_text().splitlines()
ISS = "\n".join(_SAMPLE[_SAMPLE.index(next(x for x in _SAMPLE if x.startswith("ISS (ZVEZDA)"))):][:3]) + "\n"


def _in(headers: dict, code: str = CODE) -> dict:
    return headers | {"X-Kompas-Exercise": code}


def _document(title: str) -> dict:
    return {"kind": "document", "format": "text", "title": title, "content": "assessment",
            "marking": {"classification": "UNCLASSIFIED", "tlp": "GREEN"}}


def test_the_exercise_header_gives_participants_the_exercise_and_marks_what_they_write(world: dict) -> None:
    client, store, ann, bob = world["client"], world["store"], world["ann"], world["bob"]
    store.add_exercise(CODE, "test exercise", ["NL-NSO"])
    made = client.post("/api/v1/contributions", headers=_in(ann), json=_document("exercise assessment"))
    assert made.status_code == 201, made.text
    real = client.post("/api/v1/contributions", headers=ann, json=_document("real assessment"))
    assert real.status_code == 201, real.text

    def titles(headers: dict) -> dict[str, str]:
        answer = client.get("/api/v1/documents", headers=headers)
        assert answer.status_code == 200, answer.text
        return {d["title"]: d["marking"]["banner"] for d in answer.json()["items"]}

    inside = titles(_in(ann))
    assert set(inside) == {"exercise assessment", "real assessment"}
    assert inside["exercise assessment"].startswith(f"EXERCISE EXERCISE EXERCISE // UNCLASSIFIED // EXERCISE {CODE}")
    assert not inside["real assessment"].startswith("EXERCISE")
    assert set(titles(ann)) == {"real assessment"}  # the real world: no exercise item
    assert set(titles(bob)) == {"real assessment"}
    # no way in for a non-participant, an unknown exercise, or a malformed code
    for headers, status in ((_in(bob), 403), (_in(ann, "EX-2"), 403), (_in(ann, "EX 1"), 422)):
        assert client.get("/api/v1/documents", headers=headers).status_code == status
    # a real-world caller cannot forge an exercise marking either
    forged = _document("forged") | {"marking": {"classification": "UNCLASSIFIED", "caveats": [f"EXERCISE {CODE}"]}}
    refused = client.post("/api/v1/contributions", headers=ann, json=forged)
    assert refused.status_code == 403 and "context" in refused.json()["detail"]


def test_a_job_runs_in_its_submitters_exercise(world: dict) -> None:
    client, store, ann = world["client"], world["store"], world["ann"]
    store.add_exercise(CODE, "test exercise", ["NL-NSO"])
    xs = store.in_context(CODE)
    xs.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "exercise reboost", Marking.build())
    store.add_event("manoeuvre", "2026-05-02T00:00:00.000000000Z", [25544], "real reboost", Marking.build())
    body = {"from": "2026-05-01", "to": "2026-05-03", "format": "html"}
    jobs = {ctx: client.post("/api/v1/reports/threat-landscape", headers=headers, json=body).json()
            for ctx, headers in (("exercise", _in(ann)), ("real", ann))}
    assert sorted(jobqueue.run_pending(store, RUNNERS)) == sorted(j["id"] for j in jobs.values())
    done = {ctx: client.get(j["href"], headers=_in(ann) if ctx == "exercise" else ann).json()
            for ctx, j in jobs.items()}
    assert done["exercise"]["marking"]["caveats"] == [f"EXERCISE {CODE}"]
    assert done["real"]["marking"]["caveats"] == []
    page = {ctx: client.get(d["file"], headers=_in(ann) if ctx == "exercise" else ann).text
            for ctx, d in done.items()}
    assert page["exercise"].count("EXERCISE EXERCISE EXERCISE") >= 1
    assert "EXERCISE" not in page["real"]


def test_alerts_of_an_exercise_reach_its_subscriptions_only(world: dict, webhook: tuple) -> None:
    client, store, ann = world["client"], world["store"], world["ann"]
    url, _ = webhook
    store.add_exercise(CODE, "test exercise", ["NL-NSO"])
    subs = {ctx: client.post("/api/v1/subscriptions", headers=headers, json={"url": url, "kinds": ["event"]}).json()
            for ctx, headers in (("exercise", _in(ann)), ("real", ann))}
    assert subs["exercise"]["exercise"] == CODE and subs["real"]["exercise"] is None
    exercise_event = store.in_context(CODE).add_event("breakup", "2026-05-01T00:00:00.000000000Z", [25544],
                                                      "exercise break-up", Marking.build())
    real_event = store.add_event("breakup", "2026-05-02T00:00:00.000000000Z", [25544], "real break-up",
                                 Marking.build())
    planned = alerts.plan(store, [("a1", "event", exercise_event), ("a2", "event", real_event)])
    assert planned["a1"] == [(subs["exercise"]["id"], "event", exercise_event)]
    # the real event is part of the exercise's world too (exercises play on real data), never the other way
    assert sorted(planned["a2"]) == sorted((subs[c]["id"], "event", real_event) for c in ("exercise", "real"))


def test_the_exercise_routes(world: dict) -> None:
    client, store, ann, bob = world["client"], world["store"], world["ann"], world["bob"]
    store.add_exercise(CODE, "test exercise", ["NL-NSO"])
    assert client.get("/api/v1/exercises", headers=ann).json() == [
        {"code": CODE, "title": "test exercise", "participants": ["NL-NSO"]}]
    assert client.get("/api/v1/exercises", headers=bob).json() == []
    plan = client.get("/api/v1/exercises/plan", headers=bob).json()
    assert plan["illustrative"] and len(plan["exercises"]) == 12 and plan["rejections"] == []
    assert client.get(f"/api/v1/exercises/{CODE}/msel", headers=bob).status_code == 404  # takes no part
    assert client.get(f"/api/v1/exercises/{CODE}/msel", headers=ann).status_code == 404  # no scenario yet
    assert client.post("/api/v1/contributions", headers=ann, json={
        "kind": "elements", "format": "tle", "content": ISS,
        "marking": {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}}).status_code == 201
    answer = client.post("/api/v1/exercises/breakup", headers=ann, json={
        "norad_id": 26400, "kind": "explosion", "mass_kg": 420000, "min_size_m": 0.5, "fragments": 5})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    summary = found["summary"]
    # the model's own count for an explosion: N(>= L) = 6 S L^-1.6, S = 1
    assert summary["expected_count"] == 6 * 0.5 ** -1.6 and len(found["fragments"]) == 5
    assert summary["generated"] == found["fragments_total"] > 0 and found["gabbard"]
    assert client.post("/api/v1/exercises/breakup", headers=ann, json={
        "norad_id": 26400, "mass_kg": 420000, "min_size_m": 0.01}).status_code == 422  # over 20,000 fragments
    assert client.post("/api/v1/exercises/breakup", headers=bob, json={
        "norad_id": 99999, "mass_kg": 1}).status_code == 422  # not in the catalogue


def test_an_exercise_is_built_only_by_its_control_and_never_changes_a_real_item(world: dict) -> None:
    """Another organisation cannot take an exercise over (build it, add itself, release its injects); work in an
    exercise's context adds exercise items and never changes or removes a real one."""
    from kompas.core.store import StoreError, intel
    from kompas.services import exercise as service

    store = world["store"]
    store.add_exercise(CODE, "test exercise", ["NL-NSO"])
    ann, bob = store.account("ann"), store.account("bob")
    scenario = service.parse_scenario(f"exercise: {CODE}\nstart_utc: '2026-01-01T00:00:00Z'\n"
                                      "gnss: {region: x, lat: 50, lon: 10, reports: 3}\n", "takeover.yaml")
    try:
        service.build(store, bob, scenario)
    except StoreError as error:
        assert "run by another organisation" in str(error)
    else:
        raise AssertionError("another organisation built the exercise")
    assert store.exercise_participants(CODE) == ["NL-NSO"]
    # a real item, then an attempt to change it from inside the exercise
    real = intel.put(store, ann, "report", "real report", {}, Marking.build("UNCLASSIFIED", "GREEN",
                                                                                originator="NL-NSO"))
    inside = store.in_exercise(ann, CODE)
    try:
        intel.put(store.in_context(CODE), inside, "report", "changed", {}, Marking.build(originator="NL-NSO"),
                  item_id=real.id)
    except MarkingError as error:
        assert "only the exercise's own items" in str(error)
    else:
        raise AssertionError("an exercise changed a real item")
    assert [i.title for i in intel.items(store, ann.viewer, kind="report")] == ["real report"]
    with pytest.raises(MarkingError, match="only the exercise's own items"):
        intel.remove(store.in_context(CODE), inside, real.id)
    assert [i.title for i in intel.items(store, ann.viewer, kind="report")] == ["real report"]
