"""Benchmark: the HTTP API under concurrent clients, on SQLite and on PostgreSQL, in the same run.

For each database a fresh schema is created and ``kompas serve`` started on loopback (one worker process).
``--clients`` threads then, for ``--seconds`` each, send a mix of requests: 20% contributions of 10 element sets
(OMM JSON, epochs unique to the request), 80% queries (object list, one object's element sets, conjunctions,
events). Afterwards the database is checked: every accepted element set stored exactly once (none lost, none
duplicated), one contribution row per 201 answer, and the audit chain intact. Appends a section with requests
per second, p50/p99 latency and the PostgreSQL/SQLite ratio to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/api.py [--postgres URL] [--clients 8] [--seconds 20]

``--postgres`` (default ``$KOMPAS_TEST_POSTGRES``) is a server URL on which a throw-away database is created;
without one only SQLite is measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import create_engine, func, select, text

from kompas.core import audit
from kompas.core.db import make_engine, upgrade
from kompas.core.models import AuditEntry, Contribution, ElementSetRecord
from kompas.core.store import Store
from kompas.files import load_catalog
from kompas.space import omm

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "src" / "kompas" / "data" / "sample"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_elements() -> list:
    files = sorted(SAMPLE.glob("*.tle"))
    catalog, _ = load_catalog(files[:1])
    return [obj.latest for obj in catalog]


def run_clients(base: str, token: str, elsets: list, clients: int, seconds: float) -> dict:
    """Drive the server; returns latencies per request and what the contributions were told."""
    latencies: list[float] = []
    accepted: list[tuple[str, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    ids = [e.norad_id for e in elsets]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                if rng.random() < 0.2:
                    shift = np.timedelta64(rng.randrange(1, 10**12), "us")
                    batch = [dataclasses.replace(e, epoch_utc=e.epoch_utc + shift) for e in rng.sample(elsets, 10)]
                    response = http.post("/api/v1/contributions", json={
                        "kind": "elements", "format": "omm-json", "content": omm.write_json(batch),
                        "marking": {"classification": "RESTRICTED", "communities": ["sst"]}})
                    ok = response.status_code == 201
                    if ok:
                        with lock:
                            accepted.append((response.json()["id"], response.json()["accepted"]))
                else:
                    path = rng.choice(["/api/v1/objects?limit=100", f"/api/v1/objects/{rng.choice(ids)}/elements",
                                       "/api/v1/conjunctions?limit=50", "/api/v1/events?limit=50"])
                    response = http.get(path)
                    ok = response.status_code == 200
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(f"{response.status_code} {response.text[:100]}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"wall_s": time.perf_counter() - t0, "latencies": latencies, "accepted": accepted, "errors": errors}


def measure(label: str, url: str, elsets: list, clients: int, seconds: float) -> dict:
    """Fresh schema on ``url``, a server on it, the client load, then the no-loss/no-duplicate check."""
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    token = store.add_user("bench", "NL-NSO", "SECRET", ["sst"])
    port = free_port()
    env = dict(os.environ, KOMPAS_DB=url, KOMPAS_RATE_PER_S="1e9", KOMPAS_RATE_BURST="1e9")
    server = subprocess.Popen([str(Path(sys.executable).parent / "kompas"), "serve", "--port", str(port)], env=env,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        run = run_clients(base, token, elsets, clients, seconds)
    finally:
        server.terminate()
        server.wait(30)
    with store.session(None) as s:
        stored = s.scalar(select(func.count()).select_from(ElementSetRecord))
        distinct = s.scalar(select(func.count()).select_from(
            select(ElementSetRecord.norad_id, ElementSetRecord.epoch_utc).distinct().subquery()))
        contributions = set(s.scalars(select(Contribution.id)))
        audited = s.scalar(select(func.count()).select_from(AuditEntry))
    told = sum(n for _, n in run["accepted"])
    chain = audit.verify(store.engine)
    store.engine.dispose()
    lat = np.array(run["latencies"]) * 1000
    result = {"label": label, "requests": len(lat), "rps": len(lat) / run["wall_s"], "p50_ms": np.percentile(lat, 50),
              "p99_ms": np.percentile(lat, 99), "errors": len(run["errors"]), "contributions": len(run["accepted"]),
              "told": told, "stored": stored, "distinct": distinct,
              "rows_match": contributions == {i for i, _ in run["accepted"]}, "audit_ok": chain.ok,
              "audited": audited}
    print(f"{label}: {result['requests']} requests in {run['wall_s']:.1f} s = {result['rps']:.0f}/s, p50 "
          f"{result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors {result['errors']} "
          f"{run['errors'][:3]}; element sets told {told}, stored {stored} ({distinct} distinct); contribution rows "
          f"match: {result['rows_match']}; audit chain {'intact' if chain.ok else 'BROKEN'} ({audited} entries)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("KOMPAS_TEST_POSTGRES"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    elsets = sample_elements()
    results = [measure("SQLite", f"sqlite:///{tempfile.mkdtemp()}/kompas.db", elsets, args.clients, args.seconds)]
    if args.postgres:
        name = f"kompas_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            results.append(measure("PostgreSQL", args.postgres.rsplit("/", 1)[0] + "/" + name, elsets, args.clients,
                                   args.seconds))
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    lines = [f"\n## API load: {args.clients} clients for {args.seconds:g} s, 20% contributions of 10 element sets, "
             f"80% queries; one server process ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
             f"{os.cpu_count()} cores, clients on the same machine)\n",
             "| database | requests/s | p50 | p99 | errors | element sets accepted / stored / distinct | "
             "contribution rows match | audit chain |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['label']} | {r['rps']:.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['errors']} | "
                     f"{r['told']} / {r['stored']} / {r['distinct']} | {'yes' if r['rows_match'] else 'NO'} | "
                     f"{'intact' if r['audit_ok'] else 'BROKEN'}, {r['audited']} entries |")
    if len(results) == 2:
        lines.append(f"\nThroughput ratio PostgreSQL / SQLite: **{results[1]['rps'] / results[0]['rps']:.2f}x**; "
                     f"p99 ratio {results[1]['p99_ms'] / results[0]['p99_ms']:.2f}x.")
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
