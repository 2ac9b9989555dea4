"""The intelligence API (issue 26): an NL analyst (SECRET, community sst) contributes a SECRET report and writes an
assessment citing it, asked for UNCLASSIFIED: it is stored SECRET and the FR reader (RESTRICTED) sees neither, in no
listing, item, export or score; versions never lower the marking; a resolved judgement is scored; bad items are
refused naming each problem's place; the ACH board's scores come back with the board."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "intel"
SECRET = {"classification": "SECRET", "tlp": "AMBER", "communities": ["sst"]}
PUBLIC = {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}


def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text())


def _post(world: dict, who: str, kind: str, item: dict, marking: dict, status: int = 201) -> dict:
    response = world["client"].post("/api/v1/intel/items", headers=world[who],
                                    json={"kind": kind, "item": item, "marking": marking})
    assert response.status_code == status, response.text
    return response.json()


def _secret_assessment(world: dict) -> tuple[str, str]:
    report = _post(world, "ann", "report", _example("report.yaml"), SECRET)
    item = _example("assessment.yaml") | {"citations": [{"kind": "report", "id": report["id"]}]}
    done = _post(world, "ann", "assessment", item, PUBLIC)
    return report["id"], done["id"]


def test_an_assessment_is_raised_to_what_it_cites(world: dict) -> None:
    client = world["client"]
    report_id, assessment_id = _secret_assessment(world)
    found = client.get(f"/api/v1/intel/items/{assessment_id}", headers=world["ann"]).json()
    assert found["marking"]["classification"] == "SECRET" and found["banner"].startswith("SECRET UE/EU SECRET")
    assert found["citations"] == [{"kind": "report", "id": report_id}]
    assert [j["band"] for j in found["analysis"]["judgements"]] == [[0.55, 0.8], [0.2, 0.45]]
    report = client.get(f"/api/v1/intel/items/{report_id}", headers=world["ann"]).json()
    assert report["analysis"]["grade"] == "B3" and "usually reliable" in report["analysis"]["grade_meaning"].lower()
    assert [c["id"] for c in report["cited_by"]] == [assessment_id]
    # the RESTRICTED reader: the same 404 as a missing item, nothing in listings, exports or scores
    for url in (f"/api/v1/intel/items/{assessment_id}", f"/api/v1/intel/items/{report_id}",
                f"/api/v1/intel/items/{assessment_id}/export?format=html",
                f"/api/v1/intel/items/{assessment_id}/export?format=stix"):
        assert client.get(url, headers=world["bob"]).status_code == 404, url
    listing = client.get("/api/v1/intel/items", headers=world["bob"]).json()
    assert listing["count"] == 0 and listing["items"] == []
    mine = client.get("/api/v1/intel/items", headers=world["ann"]).json()
    assert mine["count"] == 2 and mine["marking"]["classification"] == "SECRET"


@pytest.mark.parametrize("fmt", ["json", "html", "stix"])
def test_every_export_carries_the_stored_marking(world: dict, fmt: str) -> None:
    _, assessment_id = _secret_assessment(world)
    response = world["client"].get(f"/api/v1/intel/items/{assessment_id}/export?format={fmt}", headers=world["ann"])
    assert response.status_code == 200, response.text
    banner = response.headers["X-Kompas-Banner"]
    assert banner.startswith("SECRET UE/EU SECRET") and "NTK (sst)" in banner
    text = response.text
    if fmt == "html":
        head = text.split('<div class="banner">', 1)[1]
        assert head.startswith("SECRET UE/EU SECRET"), head[:80]
        assert text.count('<div class="banner">') == 2, "banner at top and bottom"
        assert "likely (55%–80%)" in text
    elif fmt == "stix":
        from stix2validator import ValidationOptions, validate_string

        bundle = json.loads(text)
        statements = [o for o in bundle["objects"] if o.get("definition_type") == "statement"]
        assert [s["definition"]["statement"] for s in statements] == [banner]
        marked = [o for o in bundle["objects"] if o["type"] in ("report", "note")]
        assert len(marked) == 3 and all(statements[0]["id"] in o["object_marking_refs"] for o in marked)
        result = validate_string(text, ValidationOptions(strict=False))
        assert result.is_valid, [str(e) for e in result.errors]
    else:
        assert json.loads(text)["marking"]["classification"] == "SECRET"


def test_versions_never_lower_the_marking(world: dict) -> None:
    client = world["client"]
    report_id, assessment_id = _secret_assessment(world)
    # drop the citation and ask for UNCLASSIFIED: still SECRET (the text was written from the report)
    edited = _example("assessment.yaml") | {"summary": "edited"}
    response = client.put(f"/api/v1/intel/items/{assessment_id}", headers=world["ann"],
                          json={"item": edited, "marking": PUBLIC})
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2 and response.json()["marking"]["classification"] == "SECRET"
    # another organisation cannot touch ann's items (the same 404 as a missing one)
    assert client.delete(f"/api/v1/intel/items/{assessment_id}", headers=world["bob"]).status_code == 404
    assert client.put(f"/api/v1/intel/items/{assessment_id}", headers=world["bob"],
                      json={"item": edited, "marking": PUBLIC}).status_code == 404
    assert client.delete(f"/api/v1/intel/items/{assessment_id}", headers=world["ann"]).status_code == 200
    assert client.delete(f"/api/v1/intel/items/{report_id}", headers=world["ann"]).status_code == 200
    assert client.get("/api/v1/intel/items", headers=world["ann"]).json()["count"] == 0


def test_a_cited_report_can_be_withdrawn_and_the_assessment_stays_secret(world: dict) -> None:
    client = world["client"]
    report_id, assessment_id = _secret_assessment(world)
    assert client.delete(f"/api/v1/intel/items/{report_id}", headers=world["ann"]).status_code == 200
    found = client.get(f"/api/v1/intel/items/{assessment_id}", headers=world["ann"]).json()
    assert found["marking"]["classification"] == "SECRET" and found["citations"][0]["id"] == report_id
    assert client.get(f"/api/v1/intel/items/{assessment_id}", headers=world["bob"]).status_code == 404


def test_outcomes_are_set_only_by_resolving_and_never_rewritten(world: dict) -> None:
    """The review's gaming: an author wrote an outcome directly, or edited a resolved judgement's likelihood after
    the fact (Brier 0.941 -> 0.001); both are refused, and every earlier version is kept."""
    client = world["client"]
    item = _example("assessment.yaml")
    claimed = json.loads(json.dumps(item))
    claimed["key_judgements"][0] |= {"outcome": True, "resolved_at": "2025-07-01"}
    refused = client.post("/api/v1/intel/items", headers=world["ann"],
                          json={"kind": "assessment", "item": claimed, "marking": PUBLIC})
    assert refused.status_code == 422 and "set only by resolving" in refused.text
    done = _post(world, "ann", "assessment", item, PUBLIC)
    url = f"/api/v1/intel/items/{done['id']}"
    resolved = client.post(f"{url}/judgements/0", headers=world["ann"], json={"happened": False,
                                                                             "resolved_at": "2025-07-01"})
    assert resolved.status_code == 200, resolved.text
    current = client.get(url, headers=world["ann"]).json()["body"]
    rewritten = json.loads(json.dumps(current))
    rewritten["key_judgements"][0]["likelihood"] = "remote"
    edit = client.put(url, headers=world["ann"], json={"item": rewritten, "marking": PUBLIC})
    assert edit.status_code == 422 and "cannot be edited or removed" in edit.text
    dropped = json.loads(json.dumps(current))
    dropped["key_judgements"] = dropped["key_judgements"][1:]
    assert client.put(url, headers=world["ann"], json={"item": dropped, "marking": PUBLIC}).status_code == 422
    ahead = client.post(f"{url}/judgements/1", headers=world["ann"], json={"happened": True,
                                                                          "resolved_at": "2099-01-01"})
    assert ahead.status_code == 422
    summary = json.loads(json.dumps(current)) | {"summary": "a fuller summary"}
    assert client.put(url, headers=world["ann"], json={"item": summary, "marking": PUBLIC}).status_code == 200
    history = client.get(url, headers=world["ann"]).json()["history"]
    assert [h["version"] for h in history] == [1, 2]


def test_scores_take_any_team_name(world: dict) -> None:
    """A team or product line with matplotlib's mathtext characters ($x^$) is text in the diagram, never a 500."""
    for value in ("$$", "$x^$", "\\frac{", "a" * 120):
        for key in ("team", "product_line"):
            response = world["client"].get("/api/v1/intel/scores", headers=world["ann"], params={key: value})
            assert response.status_code == 200, (key, value, response.text[:200])
    long_team = _example("assessment.yaml") | {"team": "t" * 120}
    done = _post(world, "ann", "assessment", long_team, PUBLIC)
    listed = world["client"].get("/api/v1/intel/items", headers=world["ann"], params={"team": "t" * 120}).json()
    assert [i["id"] for i in listed["items"]] == [done["id"]], "a 120-character team is stored whole"


def test_a_judgement_resolved_and_scored(world: dict) -> None:
    client = world["client"]
    _, assessment_id = _secret_assessment(world)
    url = f"/api/v1/intel/items/{assessment_id}/judgements"
    not_scorable = client.post(f"{url}/1", headers=world["ann"], json={"happened": True})
    assert not_scorable.status_code == 422, not_scorable.text
    done = client.post(f"{url}/0", headers=world["ann"], json={"happened": True, "resolved_at": "2025-07-01"})
    assert done.status_code == 200 and done.json()["marking"]["classification"] == "SECRET", done.text
    again = client.post(f"{url}/0", headers=world["ann"], json={"happened": False})
    assert again.status_code == 422 and "already resolved" in json.dumps(again.json())
    scores = client.get("/api/v1/intel/scores", headers=world["ann"]).json()
    # one judgement "likely" (midpoint 0.675) that happened: Brier (1 - 0.675)^2
    assert scores["judgements"] == 1 and scores["overall"]["brier"] == pytest.approx((1 - 0.675) ** 2, abs=1e-12)
    assert list(scores["groups"]) == ["ILLUSTRATIVE-team-north"] and scores["banner"].startswith("SECRET")
    assert scores["diagram_svg"].lstrip().startswith("<?xml") and "<svg" in scores["diagram_svg"]
    hidden = client.get("/api/v1/intel/scores", headers=world["bob"]).json()
    assert hidden["judgements"] == 0 and hidden["groups"] == {} and hidden["marking"] is None


def test_bad_items_are_refused_naming_each_problem(world: dict) -> None:
    item = _example("assessment.yaml")
    item["key_judgements"][0]["likelihood"] = "perhaps"
    item["key_judgements"][1]["confidence"] = "very"
    response = world["client"].post("/api/v1/intel/items", headers=world["ann"],
                                    json={"kind": "assessment", "item": item, "marking": PUBLIC})
    assert response.status_code == 422
    places = [d["loc"][-1] for d in response.json()["detail"]]
    assert places == ["key_judgements[0].likelihood", "key_judgements[1].confidence"], response.text
    missing = world["client"].post("/api/v1/intel/items", headers=world["ann"], json={
        "kind": "assessment", "marking": PUBLIC,
        "item": _example("assessment.yaml") | {"citations": [{"kind": "report",
                                                              "id": "00000000-0000-4000-8000-000000000000"}]}})
    assert missing.status_code == 422 and "not found" in missing.json()["detail"]
    above = world["client"].post("/api/v1/intel/items", headers=world["bob"], json={
        "kind": "report", "item": _example("report.yaml"), "marking": SECRET})
    assert above.status_code == 403


def test_an_ach_board_comes_back_with_its_scores(world: dict) -> None:
    done = _post(world, "ann", "board", _example("board.yaml"), PUBLIC)
    found = world["client"].get(f"/api/v1/intel/items/{done['id']}", headers=world["ann"]).json()
    analysis = found["analysis"]
    # E1: H1 II (2); E2, E3: H1 I, H2 I (1 each); E4 all C: H1 4, H2 2, H3 0
    assert analysis["inconsistency"] == {"H1": 4.0, "H2": 2.0, "H3": 0.0}
    assert analysis["ranking"][0] == [1, "H3", 0.0]
    assert [d["evidence"] for d in analysis["diagnosticity"] if not d["diagnostic"]] == ["E4"]
    assert found["marking"]["classification"] == "UNCLASSIFIED"


def test_the_threat_analysis_is_a_job_marked_for_its_reader(world: dict) -> None:
    """POST /api/v1/reports/threat-analysis queues the report as a job run as its owner: ann, who may see the SECRET
    assessment, gets a SECRET edition holding its key judgements; bob, who may not, gets a lower one without them; a
    date ahead of the clock is 422."""
    from kompas.core import jobqueue
    from kompas.services.reports import RUNNERS

    client = world["client"]
    _secret_assessment(world)
    body = {"as_of": "2025-06-30", "format": "html", "early_warning": False}
    pages = {}
    for who in ("ann", "bob"):
        queued = client.post("/api/v1/reports/threat-analysis", headers=world[who], json=body)
        assert queued.status_code == 202, queued.text
        jobqueue.run_pending(world["store"], RUNNERS)
        job = client.get(queued.json()["href"], headers=world[who]).json()
        assert job["status"] == "done", job
        pages[who] = (job["marking"], client.get(job["file"], headers=world[who]).text)
    marking, page = pages["ann"]
    assert marking["classification"] == "SECRET" and "ILLUSTRATIVE: another Baltic subsea cable" in page
    marking, page = pages["bob"]
    assert marking["classification"] == "UNCLASSIFIED" and "ILLUSTRATIVE" not in page
    ahead = client.post("/api/v1/reports/threat-analysis", headers=world["ann"], json={"as_of": "2099-01-01"})
    assert ahead.status_code == 422, ahead.text


def test_listings_count_page_and_search_and_exports_name_what_is_cited(world: dict) -> None:
    """The new user's findings: a listing says how many there are and pages on; the printable page has the title,
    the judgements and the cited report by name and grade; a due list naming a SECRET answer is marked SECRET."""
    client = world["client"]
    report_id, assessment_id = _secret_assessment(world)
    for n in range(3):
        _post(world, "ann", "requirement", _example("requirement.yaml") | {"question": f"Question {n}?"}, PUBLIC)
    first = client.get("/api/v1/intel/items", headers=world["ann"], params={"limit": 2}).json()
    assert first["total"] == 5 and first["count"] == 2 and first["more"]
    rest = client.get("/api/v1/intel/items", headers=world["ann"], params={"limit": 5, "offset": 2}).json()
    assert rest["count"] == 3 and not rest["more"]
    assert {i["id"] for i in first["items"]} | {i["id"] for i in rest["items"]} >= {report_id, assessment_id}
    found = client.get("/api/v1/intel/items", headers=world["ann"], params={"q": "baltic SUBSEA"}).json()
    assert [i["id"] for i in found["items"]] == [assessment_id] and found["total"] == 1
    page = client.get(f"/api/v1/intel/items/{assessment_id}/export?format=html", headers=world["ann"]).text
    assert "<h1>ILLUSTRATIVE: threats to Baltic subsea infrastructure" in page
    assert "merchant vessel dragged anchor" in page and "grade B3" in page, "the cited report by title and grade"
    # a requirement answered by the SECRET assessment: the due list names it, so it is marked SECRET
    req = _post(world, "ann", "requirement", _example("requirement.yaml"), PUBLIC)
    answer = _example("assessment.yaml") | {"requirement": req["id"],
                                            "citations": [{"kind": "report", "id": report_id}]}
    _post(world, "ann", "assessment", answer, PUBLIC)
    due = client.get("/api/v1/intel/requirements", headers=world["ann"]).json()
    row = next(r for r in due["requirements"] if r["id"] == req["id"])
    assert row["answered_by"] and row["banner"].startswith("SECRET") and due["marking"]["classification"] == "SECRET"
    public = client.get("/api/v1/intel/requirements", headers=world["bob"]).json()  # the questions are public
    seen = next(r for r in public["requirements"] if r["id"] == req["id"])
    assert seen["answered_by"] == [] and public["marking"]["classification"] == "UNCLASSIFIED"
