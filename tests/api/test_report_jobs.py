"""Reports run as jobs: submitted through the API, run by a worker as their owner, fetched when done; failures
are a status and a message; several workers never run one job twice; the CLI's report banner is never lower than
the combined marking of what it read."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter

import pytest
from typer.testing import CliRunner

from kompas.core import jobqueue
from kompas.core.markings import Marking
from kompas.core.store import Account, Store
from kompas.services.reports import RUNNERS, BannerError, Rendered, banner_for

SECRET_NOTE = {"status": "in_progress", "evidence": "Pilot Space ISAC running, NL operators joined",
               "as_of": "2025-06-30", "marking": {"classification": "SECRET", "releasable_to": ["NL"],
                                                  "communities": ["sst"]}}


def _submit(client, headers: dict, path: str, body: dict) -> dict:  # noqa: ANN001 (TestClient)
    answer = client.post(path, headers=headers, json=body)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert set(job) == {"id", "status", "href"} and job["status"] == "queued"
    assert answer.headers["Location"] == job["href"] == f"/api/v1/jobs/{job['id']}"
    return job


def test_a_job_runs_as_its_owner(world: dict) -> None:
    """ann (SECRET, NL, sst) and bob (RESTRICTED, FR) ask for the same reports: each job reads what its owner may
    see, so the SECRET note and event change ann's report and its marking, not bob's."""
    client, store, ann, bob = world["client"], world["store"], world["ann"], world["bob"]
    assert client.post("/api/v1/commitments/SP-010/status", headers=ann, json=SECRET_NOTE).status_code == 201
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "reboost", secret)
    store.add_event("manoeuvre", "2026-05-02T00:00:00.000000000Z", [25544], "reboost", Marking.build(tlp="GREEN"))
    jobs = {(who, kind): _submit(client, headers, f"/api/v1/reports/{kind}", body)
            for who, headers in (("ann", ann), ("bob", bob))
            for kind, body in (("commitments", {"as_of": "2025-12-31", "format": "html"}),
                               ("threat-landscape", {"from": "2026-05-01", "to": "2026-05-03", "format": "html"}))}
    assert client.get(jobs["ann", "commitments"]["href"] + "/file", headers=ann).status_code == 404  # not yet done
    assert sorted(jobqueue.run_pending(store, RUNNERS)) == sorted(j["id"] for j in jobs.values())
    done = {key: client.get(job["href"], headers=ann if key[0] == "ann" else bob).json() for key, job in jobs.items()}
    assert {d["status"] for d in done.values()} == {"done"}, done
    assert done["ann", "commitments"]["marking"]["classification"] == "SECRET"
    assert done["bob", "commitments"]["marking"]["banner"] == "UNCLASSIFIED // TLP:CLEAR"
    assert done["ann", "threat-landscape"]["marking"]["banner"].startswith("SECRET UE/EU SECRET // REL TO NL")
    assert done["bob", "threat-landscape"]["marking"]["banner"] == "UNCLASSIFIED // TLP:GREEN"
    pages = {key: client.get(d["file"], headers=ann if key[0] == "ann" else bob) for key, d in done.items()}
    assert all(p.status_code == 200 and p.headers["content-type"].startswith("text/html") for p in pages.values())
    assert SECRET_NOTE["evidence"] in pages["ann", "commitments"].text
    assert SECRET_NOTE["evidence"] not in pages["bob", "commitments"].text
    assert "SECRET UE/EU SECRET" in pages["ann", "commitments"].text
    assert "SECRET" not in pages["bob", "commitments"].text.replace("UNCLASSIFIED", "")
    assert pages["ann", "threat-landscape"].headers["X-Kompas-Marking"] == done["ann", "threat-landscape"][
        "marking"]["banner"]
    assert 'filename="commitments_2025-12-31.html"' in pages["bob", "commitments"].headers["content-disposition"]


def test_only_the_owner_sees_a_job(world: dict) -> None:
    client, store, ann, bob = world["client"], world["store"], world["ann"], world["bob"]
    job = _submit(client, ann, "/api/v1/reports/commitments", {"as_of": "2025-12-31", "format": "html"})
    assert client.get(job["href"], headers=bob).status_code == 404
    assert client.get(job["href"] + "/file", headers=bob).status_code == 404
    jobqueue.run_pending(store, RUNNERS)
    assert client.get(job["href"], headers=bob).status_code == 404  # done, still not bob's
    assert client.get(job["href"] + "/file", headers=bob).status_code == 404
    assert client.get(job["href"] + "/file", headers=ann).status_code == 200
    assert client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000", headers=ann).status_code == 404
    assert client.get(job["href"]).status_code == 401


def test_the_same_job_is_queued_once_and_bad_input_is_refused_before(world: dict) -> None:
    client, ann = world["client"], world["ann"]
    first = _submit(client, ann, "/api/v1/reports/fimi", {"since": "2024-04-01", "until": "2024-01-01"})
    again = _submit(client, ann, "/api/v1/reports/fimi", {"since": "2024-01-01", "until": "2024-04-01"})
    assert again["id"] == first["id"]  # either order, the same period: the job still queued
    for body in ({"since": "2024-02-30", "until": "2024-01-01"}, {"since": "2024-01-01"},
                 {"since": "2024-01-01", "until": "2024-02-01", "format": "docx"},
                 {"since": "2024-01-01", "until": "2024-02-01", "extra": 1}):
        assert client.post("/api/v1/reports/fimi", headers=ann, json=body).status_code == 422, body
    assert client.post("/api/v1/reports/threat-landscape", headers=ann,
                       json={"from": "2026-01-01", "to": "2026-02-30"}).status_code == 422


def test_the_older_get_forms_answer_html_at_once_and_queue_pdf(world: dict) -> None:
    client, store, ann = world["client"], world["store"], world["ann"]
    page = client.get("/api/v1/reports/commitments", headers=ann, params={"as_of": "2025-12-31", "format": "html"})
    assert page.status_code == 200 and "UNCLASSIFIED // TLP:CLEAR" in page.text
    queued = client.get("/api/v1/reports/threat-landscape", headers=ann, params={"from": "2026-05-01",
                                                                                 "to": "2026-05-03"})
    assert queued.status_code == 202 and queued.headers["Location"] == queued.json()["href"]
    assert jobqueue.run_pending(store, RUNNERS) == [queued.json()["id"]]
    pdf = client.get(queued.json()["href"] + "/file", headers=ann)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def _account(store: Store, name: str) -> Account:
    account = store.account(name)
    assert account is not None
    return account


def test_a_failing_job_is_failed_with_a_message(world: dict) -> None:
    client, store, ann = world["client"], world["store"], world["ann"]
    owner = _account(store, "ann")

    def no_pango(_store: Store, _owner: Account, _params: dict) -> Rendered:
        raise RuntimeError("PDF needs the Pango library")

    def broken(_store: Store, _owner: Account, params: dict) -> Rendered:
        return params["missing"]  # a KeyError: a defect, not the user's fault

    runners = {**RUNNERS, "no-pango": no_pango, "broken": broken}
    ids = {kind: jobqueue.submit(store, kind, params, owner.user_id).id for kind, params in (
        ("no-pango", {}), ("broken", {}), ("nobody-runs-this", {}), ("commitments", {"as_of": "2025-02-30"}))}
    assert sorted(jobqueue.run_pending(store, runners)) == sorted(ids.values())
    seen = {kind: client.get(f"/api/v1/jobs/{i}", headers=ann).json() for kind, i in ids.items()}
    assert {s["status"] for s in seen.values()} == {"failed"}
    assert seen["no-pango"]["error"] == "PDF needs the Pango library"
    assert seen["broken"]["error"] == "internal error while running the job; the server log has the details"
    assert seen["nobody-runs-this"]["error"] == "no runner for jobs of kind 'nobody-runs-this'"
    assert seen["commitments"]["error"] == "as_of: '2025-02-30' is not a date YYYY-MM-DD"
    assert all("Traceback" not in s["error"] and s["file"] is None and s["marking"] is None for s in seen.values())
    assert client.get(f"/api/v1/jobs/{ids['broken']}/file", headers=ann).status_code == 404


def test_several_workers_never_run_one_job_twice(world: dict) -> None:
    store = world["store"]
    owner = _account(store, "bob")
    runs: Counter[str] = Counter()
    lock = threading.Lock()

    def count(_store: Store, _owner: Account, params: dict) -> Rendered:
        with lock:
            runs[params["n"]] += 1
        return Rendered(b"x", "text/plain", "x.txt", Marking.build())

    ids = [jobqueue.submit(store, "count", {"n": str(n)}, owner.user_id).id for n in range(12)]
    ran: list[list[str]] = [[] for _ in range(4)]
    workers = [threading.Thread(target=lambda k=k: ran[k].extend(jobqueue.run_pending(store, {"count": count})))
               for k in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(i for r in ran for i in r) == sorted(ids)  # every job claimed by exactly one worker
    assert runs == Counter({str(n): 1 for n in range(12)})
    assert {jobqueue.job(store, i, owner.user_id).status for i in ids} == {"done"}  # type: ignore[union-attr]


def test_an_owner_has_a_limited_number_of_jobs_pending(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    client, ann = world["client"], world["ann"]
    monkeypatch.setattr(jobqueue, "MAX_PENDING_PER_OWNER", 2)
    for day in ("2025-12-29", "2025-12-30"):
        _submit(client, ann, "/api/v1/reports/commitments", {"as_of": day})
    refused = client.post("/api/v1/reports/commitments", headers=ann, json={"as_of": "2025-12-31"})
    assert refused.status_code == 429 and "jobs queued or running" in refused.json()["detail"]
    assert client.post("/api/v1/reports/commitments", headers=world["bob"], json={"as_of": "2025-12-31"}
                       ).status_code == 202


def test_a_banner_may_add_restrictions_never_remove_one() -> None:
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    assert banner_for(secret) == secret.banner()
    assert banner_for(secret, "SECRET UE/EU SECRET") == secret.banner()  # raised: the parts left out added
    assert banner_for(secret, "TRES SECRET UE/EU TOP SECRET // TLP:RED").startswith("TRES SECRET UE/EU TOP SECRET")
    for lower in ("UNCLASSIFIED", "RESTREINT UE/EU RESTRICTED // TLP:AMBER", "SECRET UE/EU SECRET // TLP:GREEN"):
        with pytest.raises(BannerError, match="lower than the combined marking"):
            banner_for(secret, lower)
    assert banner_for(None, "RESTREINT UE/EU RESTRICTED") == "RESTREINT UE/EU RESTRICTED"  # files: no marking


def test_cli_report_banner_is_never_lower_than_what_it_read(platform_home) -> None:  # noqa: ANN001 (fixture)
    from kompas.cli import app

    runner = CliRunner()
    home = platform_home("EEAS", "EU", [("officer", "SECRET", []), ("reader", "UNCLASSIFIED", [])])
    ok = runner.invoke(app, ["compass", "set-status", "SC-001", "done", "--evidence", "Council conclusions",
                             "--as-of", "2022-11-14", "--user", "officer", "--classification", "RESTRICTED"])
    assert ok.exit_code == 0, ok.output
    out = home / "progress.html"
    for who in (["--user", "officer"], []):  # the officer, and the administrator's view of every note
        made = runner.invoke(app, ["compass", "report", "--as-of", "2025-12-31", "--out", str(out), "--no-annex",
                                   *who])
        assert made.exit_code == 0, made.output
        assert "RESTREINT UE/EU RESTRICTED" in out.read_text()  # not the UNCLASSIFIED of before
    refused = runner.invoke(app, ["compass", "report", "--as-of", "2025-12-31", "--out", str(out), "--user",
                                  "officer", "--banner", "UNCLASSIFIED"])
    assert refused.exit_code == 2 and "lower than the combined marking" in refused.output
    raised = runner.invoke(app, ["compass", "report", "--as-of", "2025-12-31", "--out", str(out), "--no-annex",
                                 "--user", "officer", "--banner", "SECRET UE/EU SECRET"])
    assert raised.exit_code == 0, raised.output
    assert "SECRET UE/EU SECRET // TLP:GREEN" in out.read_text()  # the note's TLP added
    reader = runner.invoke(app, ["compass", "report", "--as-of", "2025-12-31", "--out", str(out), "--no-annex",
                                 "--user", "reader"])
    assert reader.exit_code == 0 and "UNCLASSIFIED // TLP:CLEAR" in out.read_text()


def test_jobs_of_a_dead_worker_are_requeued(world: dict) -> None:
    store = world["store"]
    owner = _account(store, "ann")
    job = jobqueue.submit(store, "commitments", {"as_of": "2025-12-31", "format": "html"}, owner.user_id)
    dead = f"{socket.gethostname()}:{2**22 + 12345}:1"  # above Linux's largest process id: no such process
    assert jobqueue.claim(store, dead) is not None
    elsewhere = jobqueue.submit(store, "commitments", {"as_of": "2025-12-30", "format": "html"}, owner.user_id)
    assert jobqueue.claim(store, "another-host:1:1") is not None  # not judged: it may be alive over there
    assert jobqueue.recover(store) == 1
    assert jobqueue.job(store, job.id, owner.user_id).status == "queued"  # type: ignore[union-attr]
    assert jobqueue.job(store, elsewhere.id, owner.user_id).status == "running"  # type: ignore[union-attr]
    assert jobqueue.run_pending(store, RUNNERS) == [job.id]


def test_the_served_api_runs_jobs_in_its_worker_process(world: dict) -> None:
    """`kompas serve` (here on loopback) starts a worker process with the application: a submitted report is
    done without anyone calling run_pending, and the process stops with the server."""
    import httpx

    from kompas.api.server import background

    with background(world["store"].engine) as url:
        client = httpx.Client(base_url=url, headers=world["bob"])
        job = client.post("/api/v1/reports/commitments", json={"as_of": "2025-12-31", "format": "html"}).json()
        for _ in range(1200):  # polls until done (not a time limit on the report: a guard against a hang)
            seen = client.get(job["href"]).json()
            if seen["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert seen["status"] == "done", seen
        page = client.get(seen["file"])
        assert page.status_code == 200 and "Progress on the commitments, as of 2025-12-31" in page.text


SECRET_SUPPLY = """input_id,input_name,input_kind,provider,provider_kind,country,share_pct,year,source,goes_into
kx-ge,Kompas test germanium,raw_material,China,country,,83,2024,NL survey,
kx-ge,Kompas test germanium,raw_material,Belgium,country,,17,2024,NL survey,
"""


def test_the_observatory_report_is_a_job_marked_by_what_it_used(world: dict) -> None:
    """The Observatory's report runs as a job over the supply data Kompas reads by default and the supply-chain
    documents its owner may see: ann's SECRET survey raises her report's marking and appears in it; bob's report
    reads only the public files (UNCLASSIFIED // TLP:CLEAR)."""
    client, store, ann, bob = world["client"], world["store"], world["ann"], world["bob"]
    contributed = client.post("/api/v1/contributions", headers=ann, json={
        "kind": "document", "format": "supply-csv", "title": "NL germanium survey", "content": SECRET_SUPPLY,
        "marking": {"classification": "SECRET", "releasable_to": ["NL"], "communities": ["sst"]}})
    assert contributed.status_code == 201 and contributed.json()["rejected"] == [], contributed.text
    jobs = {who: _submit(client, headers, "/api/v1/reports/observatory", {"format": "html"})
            for who, headers in (("ann", ann), ("bob", bob))}
    for body in ({"format": "docx"}, {"year": 1800}, {"format": "html", "extra": 1}):
        assert client.post("/api/v1/reports/observatory", headers=ann, json=body).status_code == 422, body
    assert sorted(jobqueue.run_pending(store, RUNNERS)) == sorted(j["id"] for j in jobs.values())
    headers = {"ann": ann, "bob": bob}
    done = {who: client.get(job["href"], headers=headers[who]).json() for who, job in jobs.items()}
    assert {d["status"] for d in done.values()} == {"done"}, done
    assert done["ann"]["marking"]["banner"].startswith("SECRET UE/EU SECRET // REL TO NL")
    assert done["bob"]["marking"]["banner"] == "UNCLASSIFIED // TLP:CLEAR"
    assert done["ann"]["filename"] == done["bob"]["filename"] == "observatory.html"
    files = {who: client.get(d["file"], headers=headers[who]) for who, d in done.items()}
    assert all(f.status_code == 200 and f.headers["content-type"].startswith("text/html") for f in files.values())
    assert files["ann"].headers["X-Kompas-Marking"] == done["ann"]["marking"]["banner"]
    assert "Kompas test germanium" in files["ann"].text and "SECRET UE/EU SECRET" in files["ann"].text
    assert "Kompas test germanium" not in files["bob"].text and "UNCLASSIFIED // TLP:CLEAR" in files["bob"].text
    assert "SECRET" not in files["bob"].text.replace("UNCLASSIFIED", "")
