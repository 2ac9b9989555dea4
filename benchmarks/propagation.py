"""Benchmark: propagate the newest active snapshot (~15,000 objects) over 24 h at 60 s steps.

Measures states per second, in the same run, for
  * Kompas ``propagate`` in GCRS (heyoka near-Earth + sgp4 deep-space, TEME->GCRS rotation, streamed),
  * (a) a plain Python loop over ``Satrec.sgp4`` (TEME only; timed on a subset, same per-state cost),
  * (b) ``SatrecArray.sgp4`` single-threaded (TEME only, so it does less work than Kompas),
and appends a line with the ratios to benchmarks/RESULTS.md. Peak memory is reported against the size
of the full N x M state array, to show the streaming bound.

    .venv/bin/python benchmarks/propagation.py [--hours 24] [--step 60] [--loop-objects 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sgp4.api import SatrecArray

from kompas.cli.run import find_space_data, newest_snapshot
from kompas.files import load_catalog
from kompas.space.elements import split_julian_date
from kompas.space.frames import rotation_from_teme
from kompas.space.propagation import propagate, satrec, time_grid

RESULTS = Path(__file__).with_name("RESULTS.md")


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--step", type=float, default=60.0)
    parser.add_argument("--loop-objects", type=int, default=300, help="objects timed in the plain Python loop")
    args = parser.parse_args()

    snapshot = newest_snapshot(find_space_data(None))
    catalog, _ = load_catalog([snapshot])
    elsets = catalog.latest()
    epochs = np.sort(np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]"))
    start = np.datetime64(epochs[len(epochs) // 2], "h").astype("datetime64[ns]")
    times = time_grid(start, start + np.timedelta64(round(args.hours * 3600e9), "ns"), args.step)
    n, m = len(elsets), len(times)
    jd, fr = split_julian_date(times)
    rotation_from_teme(times[:2], "gcrs")  # load the IERS table once (a one-off cost, not per state)
    print(f"{snapshot.name}: {n} objects x {m} times = {n * m:,} states")

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    checksum = 0.0
    for chunk in propagate(elsets, times, "gcrs"):
        checksum += float(np.nansum(chunk.position_km[:, -1, 0]))
    kompas_s = time.perf_counter() - t0
    peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    full_mb = n * m * 6 * 8 / 2**20
    kompas_rate = n * m / kompas_s
    print(f"kompas gcrs: {kompas_s:.2f} s, {kompas_rate:,.0f} states/s; peak RSS growth {peak_mb:.0f} MB "
          f"(full N x M array {full_mb:.0f} MB)")

    sats = [satrec(e) for e in elsets]
    t0 = time.perf_counter()
    for i in range(0, n, 1000):
        SatrecArray(sats[i:i + 1000]).sgp4(jd, fr)
    array_s = time.perf_counter() - t0
    array_rate = n * m / array_s
    print(f"(b) SatrecArray single-threaded, teme: {array_s:.2f} s, {array_rate:,.0f} states/s")

    rng = np.random.default_rng(0)
    subset = [sats[i] for i in rng.choice(n, size=min(args.loop_objects, n), replace=False)]
    t0 = time.perf_counter()
    for sat in subset:
        for j in range(m):
            sat.sgp4(jd[j], fr[j])
    loop_s = time.perf_counter() - t0
    loop_rate = len(subset) * m / loop_s
    print(f"(a) Python loop over Satrec.sgp4, teme ({len(subset)} objects): {loop_s:.2f} s, {loop_rate:,.0f} states/s")

    ratio_array = kompas_rate / array_rate
    ratio_loop = kompas_rate / loop_rate
    print(f"ratio kompas/SatrecArray = {ratio_array:.2f}x, kompas/loop = {ratio_loop:.1f}x")
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nOne line per run; speeds are ratios measured in the same run.\n\n"
                           "| date (UTC) | benchmark | machine | data | Kompas states/s | ratio vs SatrecArray "
                           "(1 thread, TEME) | ratio vs Python loop | peak memory vs full array |\n"
                           "|---|---|---|---|---|---|---|---|\n")
    with RESULTS.open("a") as handle:
        handle.write(f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | propagation GCRS {args.hours:g} h / "
                     f"{args.step:g} s | {cpu_name()}, {os.cpu_count()} cores | {snapshot.name}: {n} x {m} = "
                     f"{n * m:,} states | {kompas_rate:,.0f} | {ratio_array:.2f}x | {ratio_loop:.1f}x | "
                     f"{peak_mb:.0f} MB vs {full_mb:.0f} MB |\n")
    print(f"appended to {RESULTS}")


if __name__ == "__main__":
    main()
