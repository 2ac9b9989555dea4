"""Concurrent writers (threads, each with its own HTTP client on one application) contributing the same and different
items, on SQLite and PostgreSQL: every item stored exactly once, no duplicate ids, every request answered (no
server error), and the audit chain verifies afterwards (`kompas admin audit-verify`, whatever audit becomes)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.security.conftest import Platform

WRITERS = 8
#: words of the writers' own titles (drawn per item, so that no two are near-identical and merge as one case)
WORDS = ["tanks", "drones", "ports", "grain", "pipeline", "election", "vaccine", "refugees", "sanctions", "banks",
         "railway", "ferry", "cables", "nuclear", "plant", "army", "exercise", "bridge", "border", "airport",
         "customs", "harbour", "satellite", "radar", "fishing", "forests"]
KOMPAS = Path(sys.executable).parent / "kompas"  #: the command line, as an operator runs it


def _incident(ref: str, title: str, day: str) -> dict:
    return {"ref": ref, "title": title, "first_seen": day, "targets": [{"name": "Estonia"}], "languages": ["Russian"],
            "evidence": [{"url": f"https://example.org/{ref}"}]}


def _bundles(platform: Platform) -> list[str]:
    """STIX bundles of one event each (5 of them), exported from a platform holding them, to import concurrently."""
    from kompas.core.markings import Marking

    bundles = []
    for k in range(5):
        platform.store.add_event("manoeuvre", f"2026-05-0{k + 1}T00:00:00.000000000Z", [25544 + k],
                                 f"source event {k}", Marking.build("UNCLASSIFIED", originator="ES-CNI"))
        bundles.append(platform.client.get(f"/api/v1/events/stix?norad_id={25544 + k}",
                                           headers=platform.users["u_es"].headers).text)
        assert '"incident"' in bundles[-1]
    return bundles


def _verify(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KOMPAS), "admin", "audit-verify", "--db", url],
                          capture_output=True, text=True, env=os.environ.copy())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_concurrent_writers_store_each_item_exactly_once(fresh_platform: Callable[..., Platform], kind: str) -> None:
    """8 threads at once: each submits the same 3 FIMI incidents (same references), imports the same 5 STIX bundles
    (one event each, so 5 races), and submits 3 incidents and a document of its own. Afterwards: 3 shared + 24 own
    incidents, 5 events, 8 documents, all ids distinct, no answer >= 500, and the audit chain intact."""
    platform = fresh_platform(kind)
    source = fresh_platform(kind)
    bundles = _bundles(source)
    shared = [_incident(f"shared-{k}", f"Shared claim {k} about a staged attack on Narva", f"2024-03-0{k + 1}")
              for k in range(3)]
    errors: list[str] = []
    barrier = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        from fastapi.testclient import TestClient

        client = TestClient(platform.client.app, raise_server_exceptions=False)
        who = platform.users["s_nl"].headers
        own = [_incident(f"own-{n}-{k}", f"Writer {n}: " + " ".join(random.Random(n * 10 + k).sample(WORDS, 6)),
                         f"2024-0{4 + k}-{3 * n + 1:02d}") for k in range(3)]
        answers = []
        for bundle in bundles:  # every writer at the same bundle at the same moment: one race per bundle
            barrier.wait()
            answers.append(client.post("/api/v1/events/stix", headers=who, content=bundle))
        barrier.wait()
        answers += [
            client.post("/api/v1/fimi/incidents", headers=who, json={"incidents": shared, "marking": {}}),
            client.post("/api/v1/fimi/incidents", headers=who, json={"incidents": own, "marking": {}}),
            client.post("/api/v1/contributions", headers=who, json={
                "kind": "document", "format": "text", "title": f"note {n}", "content": f"writer {n}", "marking": {}})]
        errors.extend(f"writer {n}: {a.request.url.path} {a.status_code} {a.text[:200]}" for a in answers
                      if a.status_code not in (200, 201))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    who = platform.users["s_nl"].headers
    incidents = platform.client.get("/api/v1/fimi/incidents?limit=1000", headers=who).json()["items"]
    refs = sorted(i["title"] for i in incidents)
    assert len(incidents) == 3 + 3 * WRITERS, refs
    assert len({i["id"] for i in incidents}) == len(incidents)
    assert sum("Shared claim" in t for t in refs) == 3
    events = platform.client.get("/api/v1/events?domain=space&limit=1000", headers=who).json()["items"]
    assert len(events) == 5 and len({e["id"] for e in events}) == 5, [e["id"] for e in events]
    documents = platform.client.get("/api/v1/documents?limit=1000", headers=who).json()["items"]
    assert sorted(d["title"] for d in documents) == sorted(f"note {n}" for n in range(WRITERS))
    assert len({d["id"] for d in documents}) == WRITERS
    verified = _verify(platform.url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "intact" in verified.stdout, verified.stdout
