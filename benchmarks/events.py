"""Benchmark: events (manoeuvres and fragmentations) over the whole shared active history (18 snapshots).

Reports the wall time of detection against reading the same history in the same run (ratio), and the total
against the issue's 5-minute goal. Appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/events.py [--data ../shared/data/space]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    from kompas.cli.space import _fragmentations
    from kompas.files import load_catalog
    from kompas.space.manoeuvres import detect

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    args = parser.parse_args()
    files = sorted(args.data.glob("active_*.tle"))
    t0 = time.perf_counter()
    catalog, _ = load_catalog(files)
    read_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    manoeuvres = detect(obj.history for obj in catalog)
    manoeuvre_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    fragmentations = _fragmentations(catalog, None)
    fragmentation_s = time.perf_counter() - t2
    total = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (f"\n## Events over the shared active history ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
            f"{os.cpu_count()} cores)\n\n{len(files)} snapshots, {len(catalog)} objects, "
            f"{catalog.element_set_count} element sets: reading {read_s:.1f} s; manoeuvre detection "
            f"{manoeuvre_s:.1f} s (**{manoeuvre_s / read_s:.1f}x** the reading time; {len(manoeuvres)} manoeuvres); "
            f"fragmentation {fragmentation_s:.1f} s ({len(fragmentations)} clouds); total {total:.1f} s, "
            f"**{total / 300:.2f}** of the 5-minute goal; peak {peak:.0f} MB.\n")
    print(line)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(line)


if __name__ == "__main__":
    sys.exit(main())
