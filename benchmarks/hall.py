"""Benchmark: cost of Hall's Nc3D and Nc2D (kompas.space.hall) against the 2D Pc (probability.pc_foster) on the 27
CARA test CDMs (../shared/data/cara), all in one run; also the full ``auto`` choice (usage.assess). Prints the
median time per CDM and its ratio to Pc2D, and appends a section to benchmarks/RESULTS.md.

Usage: python benchmarks/hall.py [--repeat 3] [--no-append]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from kompas.space import cdm as cdm_io
from kompas.space import hall, usage
from kompas.space.probability import adjust_to_tca, pc_foster

HERE = Path(__file__).resolve().parent
CARA = HERE.parent.parent / "shared" / "data" / "cara"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-append", action="store_true")
    args = ap.parse_args()
    with (CARA / "expected_pc.csv").open() as f:
        rows = list(csv.DictReader(f))
    cases = [(row, cdm_io.encounter(cdm_io.parse_kvn((CARA / "cdm" / f"{row['Conjunction_ID']}.cdm").read_text())),
              float(row["HBR_m"])) for row in rows]
    engines = {
        "Pc2D (`pc_foster` after `adjust_to_tca`, baseline)": lambda e, h: pc_foster(adjust_to_tca(e), h),
        "Nc2D (`hall.nc2d`)": lambda e, h: hall.nc2d(e, h).value,
        "Nc3D (`hall.nc3d`)": lambda e, h: hall.nc3d(e, h).value,
        "auto (`usage.assess`: checks + Pc2D or Nc3D)": lambda e, h: usage.assess(e, h).pc,
    }
    times: dict[str, list[float]] = {k: [] for k in engines}
    worst = {"Nc2D": 0.0, "Nc3D": 0.0}
    for row, enc, hbr in cases:
        for name, fn in engines.items():
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                value = fn(enc, hbr)
                best = min(best, time.perf_counter() - t0)
            times[name].append(best)
            for key in worst:
                if name.startswith(key) and not row["Comment"].startswith("3D-Nc method usage violation"):
                    worst[key] = max(worst[key], abs(value / float(row[key]) - 1))
    base = statistics.median(times[next(iter(engines))])
    lines = ["| engine | median per CDM | mean per CDM | ratio to Pc2D (median) |", "|---|---|---|---|"]
    for name, ts in times.items():
        med = statistics.median(ts)
        lines.append(f"| {name} | {med * 1e3:.1f} ms | {statistics.mean(ts) * 1e3:.1f} ms | {med / base:.0f}x |")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    text = (f"\n## Hall's Nc2D / Nc3D: cost against the 2D Pc ({stamp}, {platform.machine()}, {os.cpu_count()} cores, "
            f"load average {load:.1f})\n\n" + "\n".join(lines) +
            f"\n\n27 CARA CDMs, best of {args.repeat} per CDM. Agreement with CARA on the 25 cases where CARA does "
            f"not flag the 3D-Nc method: Nc2D worst {worst['Nc2D']:.1e}, Nc3D worst {worst['Nc3D']:.1e} (relative).\n")
    print(text)
    if not args.no_append:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write(text)


if __name__ == "__main__":
    main()
