"""Run satguard's all-vs-all screening (``satguard.screen.vectorized.vectorized_screen``) on a 3LE file.

Runs inside satguard's own Python 3.12 virtual environment (see benchmarks/screening.py). Prints one JSON line:
wall time, peak memory and the pairs it reports (with their closest sampled time and distance).
Usage: python satguard_screen.py FILE START_ISO DAYS THRESHOLD_KM STEP_S [MAX_OBJECTS]
"""

import contextlib
import json
import sys
import time
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

from satguard.catalog.tle import parse_tle_lines

from peak_memory import peak_rss_mb  # benchmarks/, the script's folder

vectorized = import_module("satguard.screen.vectorized")  # satguard.screen is also a function name

path, start_iso, days, threshold, step = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:6])
limit = int(sys.argv[6]) if len(sys.argv) > 6 else None
lines = [line.rstrip() for line in Path(path).read_text().splitlines() if line.strip()]
tles = []
for k in range(0, len(lines) - 2, 3):
    with contextlib.suppress(Exception):  # satguard rejects what it cannot parse; "objects" counts the rest
        tles.append(parse_tle_lines(lines[k].removeprefix("0 ").strip(), lines[k + 1], lines[k + 2]))
tles = tles[:limit] if limit else tles
start = datetime.fromisoformat(start_iso.replace("Z", "+00:00")).astimezone(UTC)


class _Fixed(datetime):
    """satguard screens from ``datetime.now``; pin it to the benchmark's start."""

    @classmethod
    def now(cls, tz=None):
        return start


vectorized.datetime = _Fixed
config = vectorized.VectorizedConfig(threshold_km=threshold, step_seconds=step, days=days, max_results=10**9,
                                     min_relative_velocity=0.0, min_miss_distance=0.0)
t0 = time.perf_counter()
results = vectorized.vectorized_screen(tles, config)
wall = time.perf_counter() - t0
pairs = [[min(r.event.norad_id_primary, r.event.norad_id_secondary),
          max(r.event.norad_id_primary, r.event.norad_id_secondary), r.event.miss_distance_km] for r in results]
peak_mb = peak_rss_mb()
print(json.dumps({"objects": len(tles), "wall_s": wall, "peak_rss_mb": peak_mb, "pairs": pairs}))
