"""Benchmark: reliability of the served platform under sustained mixed load, with webhook receivers that are slow or
failing, and a server restart in the middle.

For each scenario a fresh database is created and ``kompas serve`` started on loopback (its report worker off, its
webhook delivery worker on, receivers on 127.0.0.1 allowed through ``KOMPAS_WEBHOOK_ALLOW``). ``--clients`` threads
(two organisations, three users each) then send, for ``--seconds``, a mix of 25% FIMI incident submissions (one new
case each, with a unique reference: a submission retried after a connection error merges, never duplicates) and
75% reads (incident list, one incident, events, documents). Half-way through the server is stopped (SIGTERM) and
started again on the same port and database; clients retry what failed to connect.

Scenarios: ``none`` (no subscriptions: the baseline), ``webhooks``: every user subscribes to ``fimi-incident``
alerts at one of three receivers: ``ok`` (204 at once), ``slow`` (sleeps ``--slow-s``, then 204) and ``failing``
(500 on the first two attempts of every delivery, then 204: each must be retried to success).
Latency is that of the attempt that was answered (a request waiting out the restart is counted in "reconnects").

Afterwards: every stored incident was delivered to every subscriber who may see it, once: a second delivery id
for the same subscriber and item is a duplicate; a repeat of one ``X-Kompas-Delivery`` id already answered 2xx
(at-least-once after a restart; receivers drop it by id) is counted apart; no delivery row dead or pending;
every acknowledged submission stored; and ``kompas admin audit-verify`` passes. Appends a section with requests
per second, p50/p99 latency, the time the outbox took to drain after the load and the ratios against the baseline
to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/reliability.py [--clients 6] [--seconds 20] [--slow-s 0.5] [--postgres URL]

``--postgres`` (default: none) also runs both scenarios on a throw-away database on that PostgreSQL server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import create_engine, func, select, text

from kompas.core.db import make_engine, upgrade
from kompas.core.models import FimiIncidentRecord, WebhookDelivery
from kompas.core.store import Store

HERE = Path(__file__).resolve().parent
KOMPAS = Path(sys.executable).parent / "kompas"
USERS = [("ann", "NL-NSO", "SECRET"), ("bea", "NL-NSO", "RESTRICTED"), ("cor", "NL-NSO", "UNCLASSIFIED"),
         ("dan", "FR-CNES", "SECRET"), ("eve", "FR-CNES", "RESTRICTED"), ("fay", "FR-CNES", "UNCLASSIFIED")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Receiver:
    """A webhook receiver on loopback: ``mode`` ok, slow or failing; what it got, by delivery id."""

    mode: str
    slow_s: float = 0.5
    answered: Counter = field(default_factory=Counter)  #: 2xx answers per delivery id
    refused: Counter = field(default_factory=Counter)  #: 500 answers per delivery id
    items: Counter = field(default_factory=Counter)  #: 2xx answers per (subscriber url path, item id)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                delivery = self.headers.get("X-Kompas-Delivery", "")
                with receiver.lock:
                    fail = receiver.mode == "failing" and receiver.refused[delivery] < 2
                    if fail:
                        receiver.refused[delivery] += 1
                if receiver.mode == "slow":
                    time.sleep(receiver.slow_s)
                self.send_response(500 if fail else 204)
                self.end_headers()
                if not fail:
                    item = json.loads(body)["item"]["id"]
                    with receiver.lock:
                        receiver.answered[delivery] += 1
                        receiver.items[(self.path, item)] += 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()


class Server:
    """``kompas serve`` in a subprocess on ``port`` over ``url``; restartable."""

    def __init__(self, url: str, port: int) -> None:
        self.url, self.port, self.process = url, port, None
        self.env = dict(os.environ, KOMPAS_DB=url, KOMPAS_RATE_PER_S="1e9", KOMPAS_RATE_BURST="1e9",
                        KOMPAS_ADDRESS_RATE_PER_S="1e9", KOMPAS_ADDRESS_BURST="1e9", KOMPAS_JOB_WORKER="0",
                        KOMPAS_WEBHOOK_ALLOW="127.0.0.1", KOMPAS_WEBHOOK_BACKOFF_S="0.2",
                        KOMPAS_WEBHOOK_TIMEOUT_S="5", KOMPAS_WEBHOOK_MAX_ATTEMPTS="8", KOMPAS_WEBHOOK_LEASE_S="10")
        self.env.pop("KOMPAS_WEBHOOK_WORKER", None)

    def start(self) -> float:
        """Start and wait until it answers; returns the seconds that took."""
        t0 = time.perf_counter()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open for the server's whole life)
        self.process = subprocess.Popen([str(KOMPAS), "serve", "--port", str(self.port)], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/openapi.json", timeout=5).status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                self.log.seek(0)
                tail = self.log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"kompas serve exited with {self.process.returncode}: {tail}")
            time.sleep(0.05)

    def post(self, url: str, **kwargs: object) -> httpx.Response:
        """A POST to the server, retried while it is still coming up (a reset connection)."""
        for _ in range(100):
            try:
                return httpx.post(url, timeout=60, **kwargs)  # type: ignore[arg-type]
            except httpx.TransportError:
                if self.process is not None and self.process.poll() is not None:
                    raise
                time.sleep(0.1)
        raise RuntimeError(f"{url}: no answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


WORDS = ["tanks", "drones", "ports", "grain", "pipeline", "election", "vaccine", "refugees", "sanctions", "banks",
         "railway", "ferry", "cables", "nuclear", "plant", "army", "exercise", "bridge", "border", "airport",
         "customs", "harbour", "satellite", "radar", "fishing", "forests", "energy"]


def _incident(ref: str, k: int) -> dict:
    """One new case: a title of words drawn for ``k`` (no two near-identical, so nothing merges but a retry)."""
    rng = random.Random(k)
    return {"ref": ref, "title": f"Case {ref}: " + " ".join(rng.sample(WORDS, 8)),
            "first_seen": f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}", "targets": [{"name": "Latvia"}],
            "languages": ["Russian"], "evidence": [{"url": f"https://example.org/{ref}"}]}


def load(base: str, tokens: dict[str, str], clients: int, seconds: float, restart: Server) -> dict:
    """Drive the server; restart it half-way. Returns latencies, acknowledged submissions, errors, retries."""
    latencies: list[float] = []
    submitted: dict[str, str] = {}  # ref -> marking classification
    errors: list[str] = []
    retries = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    names = list(tokens)

    def client(seed: int) -> None:
        rng = random.Random(seed)
        name = names[seed % len(names)]
        clearance = next(c for n, _, c in USERS if n == name)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {tokens[name]}"}, timeout=60) as http:
            k = 0
            while time.monotonic() < stop:
                k += 1
                write = rng.random() < 0.25
                ref = f"{name}-{seed}-{k}"
                for _ in range(600):  # the restart: retry what could not connect
                    t0 = time.perf_counter()
                    try:
                        if write:
                            response = http.post("/api/v1/fimi/incidents", json={
                                "incidents": [_incident(ref, seed * 100000 + k)],
                                "marking": {"classification": clearance, "tlp": "GREEN"}})
                        else:
                            response = http.get(rng.choice(["/api/v1/fimi/incidents?limit=50",
                                                             "/api/v1/events?limit=50", "/api/v1/documents",
                                                             "/api/v1/fimi/incidents?limit=5&q=border"]))
                        break
                    except httpx.TransportError:
                        with lock:
                            retries[0] += 1
                        time.sleep(0.05)
                else:
                    with lock:
                        errors.append("gave up reconnecting")
                    return
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if response.status_code >= 400:
                        errors.append(f"{response.status_code} {response.text[:100]}")
                    elif write:
                        submitted[ref] = clearance

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    restart.stop()
    restart_s = restart.start()
    for thread in threads:
        thread.join()
    return {"wall_s": time.perf_counter() - t0, "latencies": latencies, "submitted": submitted, "errors": errors,
            "retries": retries[0], "restart_s": restart_s}


def scenario(label: str, url: str, receivers: list[Receiver] | None, clients: int, seconds: float) -> dict:
    """Fresh schema on ``url``, people, subscriptions to ``receivers`` (none: the baseline), the load with a restart,
    the outbox drained by the server's own worker, then the checks."""
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    tokens = {name: store.add_user(name, org, clearance) for name, org, clearance in USERS}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Server(url, port)
    server.start()
    subscribers: dict[str, tuple[Receiver, str]] = {}
    try:
        for n, name in enumerate(tokens if receivers else []):
            receiver = receivers[n % len(receivers)]
            made = server.post(base + "/api/v1/subscriptions", headers={"Authorization": f"Bearer {tokens[name]}"},
                               json={"url": receiver_url[receiver.mode] + f"/{name}", "kinds": ["fimi-incident"]})
            assert made.status_code == 201, made.text
            subscribers[name] = (receiver, f"/{name}")
        run = load(base, tokens, clients, seconds, server)
        t0 = time.perf_counter()
        drained_s = None
        while time.perf_counter() - t0 < 300:
            with store.session(None) as s:
                open_rows = s.scalar(select(func.count()).select_from(WebhookDelivery).where(
                    WebhookDelivery.status.in_(("queued", "sending"))))
            if not open_rows:
                drained_s = time.perf_counter() - t0
                break
            time.sleep(0.1)
    finally:
        server.stop()
    with store.session(None) as s:
        statuses = Counter(dict(s.execute(select(WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.status)).all()))
        refs = s.scalar(select(func.count()).select_from(FimiIncidentRecord))
    verified = subprocess.run([str(KOMPAS), "admin", "audit-verify", "--db", url], capture_output=True, text=True)
    store.engine.dispose()
    expected = missing = duplicates = 0
    levels = {"UNCLASSIFIED": 0, "RESTRICTED": 1, "SECRET": 3}
    for name, (receiver, path) in subscribers.items():
        clearance = levels[next(c for n, _, c in USERS if n == name)]
        # incidents the subscriber may see: submitted at or below their clearance (no REL TO, no communities)
        visible = {ref for ref, level in run["submitted"].items() if levels[level] <= clearance}
        expected += len(visible)
        got = {item: count for (p, item), count in receiver.items.items() if p == path}
        duplicates += sum(count - 1 for count in got.values())  # counts 2xx answers, so repeats of one id too
        missing += max(0, len(visible) - len(got))
    repeats = sum(sum(c - 1 for c in r.answered.values()) for r in receivers or [])
    lat = np.array(run["latencies"]) * 1000
    result = {"label": label, "requests": len(lat), "rps": len(lat) / run["wall_s"],
              "rps_up": len(lat) / max(run["wall_s"] - run["restart_s"], 1e-9),
              "p50_ms": float(np.percentile(lat, 50)), "p99_ms": float(np.percentile(lat, 99)),
              "errors": len(run["errors"]), "retries": run["retries"], "restart_s": run["restart_s"],
              "acknowledged": len(run["submitted"]), "stored": refs, "expected": expected, "missing": missing,
              "duplicates": duplicates - repeats, "repeats": repeats, "statuses": dict(statuses),
              "drained_s": drained_s,
              "refused": sum(sum(r.refused.values()) for r in receivers or []),
              "audit_ok": verified.returncode == 0, "audit": (verified.stdout or verified.stderr).strip()[:120]}
    print(json.dumps(result, default=str))
    return result


receiver_url: dict[str, str] = {}


def run_all(url_for: Callable[[], str], clients: int, seconds: float, slow_s: float, db: str) -> list[dict]:
    receivers = [Receiver("ok"), Receiver("slow", slow_s), Receiver("failing")]
    for receiver in receivers:
        receiver_url[receiver.mode] = receiver.start()
    try:
        base = scenario(f"{db}, no receivers", url_for(), None, clients, seconds)
        hooks = scenario(f"{db}, ok + slow + failing receivers", url_for(), receivers, clients, seconds)
    finally:
        for receiver in receivers:
            receiver.stop()
    return [base, hooks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--slow-s", type=float, default=0.5)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    results = run_all(lambda: f"sqlite:///{tempfile.mkdtemp()}/kompas.db", args.clients, args.seconds, args.slow_s,
                      "SQLite")
    made: list[str] = []
    if args.postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")

        def pg() -> str:
            name = f"kompas_rel_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            made.append(name)
            return args.postgres.rsplit("/", 1)[0] + "/" + name
        try:
            results += run_all(pg, args.clients, args.seconds, args.slow_s, "PostgreSQL")
        finally:
            with admin.connect() as connection:
                for name in made:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    load_avg = os.getloadavg()[0]
    lines = [f"\n## Reliability: {args.clients} clients for {args.seconds:g} s (25% FIMI submissions, 75% reads), "
             f"server restarted half-way; webhook receivers ok / slow ({args.slow_s:g} s) / failing (500 twice per "
             f"delivery) ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
             f"{os.cpu_count()} cores, load average {load_avg:.1f} at the end)\n",
             "| scenario | requests/s (while up) | p50 | p99 | errors | reconnects (restart s) | "
             "submissions acked / stored | deliveries expected / missing / duplicate / repeated id | 500s retried | "
             "outbox rows | drained after | "
             "audit |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        drained = "n/a" if r["drained_s"] is None else f"{r['drained_s']:.1f} s"
        lines.append(f"| {r['label']} | {r['rps']:.1f} ({r['rps_up']:.1f}) | {r['p50_ms']:.1f} ms | "
                     f"{r['p99_ms']:.1f} ms | {r['errors']} | "
                     f"{r['retries']} ({r['restart_s']:.1f}) | {r['acknowledged']} / {r['stored']} | "
                     f"{r['expected']} / {r['missing']} / {r['duplicates']} / {r['repeats']} | {r['refused']} | "
                     f"{', '.join(f'{k} {v}' for k, v in sorted(r['statuses'].items())) or 'none'} | {drained} | "
                     f"{'intact' if r['audit_ok'] else 'BROKEN'} |")
    for base, hooks in zip(results[::2], results[1::2], strict=True):
        lines.append(f"\n{hooks['label']} against {base['label']}: throughput **{hooks['rps'] / base['rps']:.2f}x** "
                     f"({hooks['rps_up'] / base['rps_up']:.2f}x while up), "
                     f"p50 {hooks['p50_ms'] / base['p50_ms']:.2f}x, "
                     f"p99 **{hooks['p99_ms'] / base['p99_ms']:.2f}x**.")
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    bad = [r for r in results if r["missing"] or r["duplicates"] or not r["audit_ok"] or r["errors"]
           or r["acknowledged"] > r["stored"] or r["drained_s"] is None]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
