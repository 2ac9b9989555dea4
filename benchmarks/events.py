"""Benchmark: `kompas space events` over the whole shared active history (18 snapshots).

Reports the command's wall time against reading the same history in the same run (ratio), and against the
issue's 5-minute goal. Appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/events.py [--data ../shared/data/space]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    from kompas.files import load_catalog

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    args = parser.parse_args()
    files = sorted(args.data.glob("active_*.tle"))
    t0 = time.perf_counter()
    catalog, _ = load_catalog(files)
    read_s = time.perf_counter() - t0
    out = Path(tempfile.mkdtemp()) / "events.json"
    argv = [str(Path(sys.executable).parent / "kompas"), "space", "events", "--out", str(out)]
    for path in files:
        argv += ["--catalog", str(path)]
    t1 = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    total = time.perf_counter() - t1
    counts = Counter(e["type"] for e in json.loads(out.read_text()))
    line = (f"\n## Events over the shared active history ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
            f"{os.cpu_count()} cores)\n\n`kompas space events` on {len(files)} snapshots ({len(catalog)} objects, "
            f"{catalog.element_set_count} element sets; manoeuvres, 7-day proximity screening of the protected "
            f"assets, fragmentations, GEO, re-entries): {total:.1f} s, **{total / 300:.2f}** of the 5-minute goal "
            f"and **{total / read_s:.1f}x** the time to read the same history in this run ({read_s:.1f} s); "
            f"exit {done.returncode}; events: {dict(counts)}.\n")
    print(line)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(line)


if __name__ == "__main__":
    sys.exit(main())
