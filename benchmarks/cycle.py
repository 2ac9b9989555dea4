"""Benchmark: the daily cycle (`kompas run`, :func:`kompas.services.cycle.run_cycle`) on the shared active history.

Runs the cycle into a fresh SQLite database, then again on the same database (the rerun stores nothing new), and
reports the seconds of every step, the total against the 6-minute budget, and the rerun's time. Appends a section
to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/cycle.py [--data ../shared/data/space]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUDGET_S = 360.0  #: Issue 17: under 6 minutes on 2 cores with the shared history.


def main() -> int:
    from kompas.locate import shared_data
    from kompas.services.cycle import run_cycle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data("space"))
    args = parser.parse_args()
    if args.data is None or not args.data.is_dir():
        print("no ../shared/data/space: give --data", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="kompas-cycle-"))
    url = f"sqlite:///{work / 'kompas.db'}"
    runs = []
    for _ in range(2):
        began = time.perf_counter()
        cycle = run_cycle(args.data, work / "out", url)
        runs.append((time.perf_counter() - began, cycle))
    (fresh_s, fresh), (rerun_s, rerun) = runs
    steps = ", ".join(f"{k} {v:.1f}" for k, v in fresh.seconds.items())
    rerun_steps = ", ".join(f"{k} {v:.1f}" for k, v in rerun.seconds.items())
    cpu = ", ".join(f"{k} {v:.1f}" for k, v in fresh.cpu_seconds.items())
    fine = ", ".join(f"{k} {v:.1f}" for k, v in fresh.step_seconds.items() if v >= 1.0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    line = (f"\n## Daily cycle (`kompas run`) on the shared active history ({when} UTC, {platform.machine()}, "
            f"{os.cpu_count()} cores, load average {load:.1f} at the end)\n\n"
            f"{len(fresh.snapshots)} snapshots ({fresh.snapshots[0].name} to {fresh.newest.name}; "
            f"{fresh.objects} objects, {fresh.element_sets} element sets), fresh SQLite database: "
            f"{fresh.stored_element_sets} element sets, {fresh.new_conjunctions} conjunctions of the protected "
            f"assets ({len(fresh.conjunctions)} in the 7-day window), {fresh.new_events} events stored. Seconds per "
            f"step: {steps} (CPU seconds of the process, both cores: {cpu}; wall seconds of the longer sub-steps: "
            f"{fine}). Total **{fresh_s:.1f} s**, "
            f"**{fresh_s / BUDGET_S:.2f}** of the 6-minute budget. Rerun "
            f"on the same database: {rerun_s:.1f} s ({rerun_steps}); stored {rerun.stored_element_sets} element "
            f"sets, {rerun.new_conjunctions} conjunctions, {rerun.new_events} events (idempotent).\n")
    print(line)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
