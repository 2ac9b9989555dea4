"""Benchmark: response options for a stored event against reading the event itself, through the API, in the same run.

A temporary SQLite platform holds the Viasat KA-SAT incident (examples/incidents, public facts) under RESTRICTED
with two member states' attribution records. Timed through FastAPI's TestClient, median of ``--runs`` calls each:
``GET /api/v1/events/{id}`` (the baseline: one marked read), ``GET /api/v1/events/{id}/options`` (features, the
23 rules over the 61 options of the four toolboxes, precedents and countermeasures, the attribution state from the
visible records) and the options paper built as HTML (``kompas.services.respond.options_paper``, no PDF rendering).
The first options call, which reads the reference data (ATT&CK Enterprise, precedents, catalogues) once per
process, is reported apart. ``--append`` adds a dated section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/respond.py [--runs 30] [--append]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
VIASAT = HERE.parent / "examples" / "incidents" / "viasat_ka-sat_2022-02-24.json"


def median_ms(call, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--append", action="store_true", help="append the results to benchmarks/RESULTS.md")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from kompas.api.app import create_app
    from kompas.core.db import make_engine, upgrade
    from kompas.core.markings import Marking
    from kompas.core.store import Store
    from kompas.core.store.events import store as store_events
    from kompas.services import response
    from kompas.services.respond import options_paper, parse_incident

    folder = Path(tempfile.mkdtemp(prefix="kompas-respond-"))
    url = f"sqlite:///{folder / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_org("DE-BSI", "DE")
    token = store.add_user("ann", "NL-NSO", "SECRET", ["sst"])
    ann, dora = store.authenticate(token), store.authenticate(store.add_user("dora", "DE-BSI", "SECRET", ["sst"]))
    envelope = parse_incident(json.loads(VIASAT.read_text()), str(VIASAT))
    store_events(store, [(envelope, Marking.build("RESTRICTED", "AMBER"))], "benchmark")
    for who, marking in ((ann, Marking.build("RESTRICTED", "AMBER")),
                         (dora, Marking.build("SECRET", "AMBER", ["DE", "NL"], ["sst"]))):
        response.record_attribution(store, who, envelope.id, "RU", "almost-certain", "benchmark", "2022-05-10", True,
                                    marking)
    client = TestClient(create_app(store.engine, rate_per_s=1e6, burst=1e6))
    headers = {"Authorization": f"Bearer {token}"}
    began = time.perf_counter()
    first = client.get(f"/api/v1/events/{envelope.id}/options", headers=headers)
    cold_ms = (time.perf_counter() - began) * 1000
    assert first.status_code == 200, first.text
    read_ms = median_ms(lambda: client.get(f"/api/v1/events/{envelope.id}", headers=headers), args.runs)
    options_ms = median_ms(lambda: client.get(f"/api/v1/events/{envelope.id}/options", headers=headers), args.runs)
    paper_ms = median_ms(lambda: options_paper(store, ann.viewer, envelope.id, "html"), max(5, args.runs // 3))
    proposals = len(first.json()["ranking"]["proposals"])
    lines = [f"- options for one event: **{options_ms:.1f} ms** median, **{options_ms / read_ms:.1f}x** reading the "
             f"event ({read_ms:.1f} ms); {proposals} proposals with precedents and countermeasures",
             f"- options paper as HTML: {paper_ms:.0f} ms ({paper_ms / options_ms:.1f}x the options)",
             f"- first call of the process (reads ATT&CK, precedents, catalogues): {cold_ms:.0f} ms"]
    print("\n".join(lines))
    if args.append:
        head = (f"\n## Response options (issue 22), {datetime.now(UTC):%Y-%m-%d}\n\n`benchmarks/respond.py`, "
                f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.runs} runs each, "
                "TestClient on SQLite, the Viasat incident with two attribution records.\n\n")
        with (HERE / "RESULTS.md").open("a") as out:
            out.write(head + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
