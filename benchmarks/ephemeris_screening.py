"""Benchmark: the same primaries screened against the catalogue from their element sets and from operator
ephemerides (CCSDS OEM, written and read back by kompas.space.odm) made of their own SGP4 states, one day.

Reports both wall times and their ratio measured in the same run, the OEM reading/building time, and whether the
two screenings found the same conjunctions (same pairs, TCA within 10 ms, miss within 1 m). Appends a section to
benchmarks/RESULTS.md.

Usage: python benchmarks/ephemeris_screening.py [--snapshot PATH] [--primaries 20] [--days 1] [--threshold-km 5]
       [--method LAGRANGE] [--degree 7] [--step-s 60] [--repeat 2] [--results FILE]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from kompas.space import ephemeris, odm
from kompas.space.elements import split_julian_date
from kompas.space.odm.oem import Oem, write_kvn
from kompas.space.propagation import Propagator
from kompas.space.screening import screen, thread_map
from kompas.space.tle import parse_tle

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "space"


def oem_ephemerides(elsets: list, start: np.datetime64, days: float, method: str, degree: int,
                    step_s: float) -> tuple[dict[int, ephemeris.Ephemeris], int]:
    """Each element set's SGP4 states (TEME, an hour beyond each end) as an OEM's KVN text, read back and built."""
    step = np.timedelta64(round(step_s * 1e9), "ns")
    first = start - np.timedelta64(1, "h")
    epochs = first + step * np.arange(int((days * 86400 + 7200) // step_s) + 1)
    jd, fr = split_julian_date(epochs)
    out, size = {}, 0
    for e in elsets:
        states, codes = Propagator.from_elements([e]).grid(jd, fr)
        if codes.any():
            continue
        text = write_kvn(Oem.from_states(e.name, str(e.norad_id), "TEME", "UTC", epochs, states[:, :, 0],
                                         interpolation=method, degree=degree))
        size += len(text)
        message = odm.read(text, f"{e.norad_id}.oem")
        out[e.norad_id] = ephemeris.from_segments(message.segments, e.norad_id, e.name, f"{e.norad_id}.oem")
    return out, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=SHARED / "active_2026-05-05.tle")
    parser.add_argument("--primaries", type=int, default=20)
    parser.add_argument("--days", type=float, default=1.0)
    parser.add_argument("--threshold-km", type=float, default=5.0)
    parser.add_argument("--method", default="LAGRANGE")
    parser.add_argument("--degree", type=int, default=7)
    parser.add_argument("--step-s", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each screening; the fastest is kept")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="file the section is appended to")
    args = parser.parse_args()

    elsets, _ = parse_tle(args.snapshot.read_text(), str(args.snapshot))
    latest = {e.norad_id: e for e in sorted(elsets, key=lambda e: e.epoch_utc)}
    elsets = sorted(latest.values(), key=lambda e: e.norad_id)
    start = np.datetime64(str(max(e.epoch_utc for e in elsets))[:10], "ns") + np.timedelta64(1, "D")
    leo = [e for e in elsets if e.mean_motion_rev_day > 11.25]
    primaries = leo[:: max(1, len(leo) // args.primaries)][: args.primaries]
    ids = {e.norad_id for e in primaries}
    mapper = thread_map(os.cpu_count() or 1)

    t0 = time.perf_counter()
    ephemerides, size = oem_ephemerides(primaries, start, args.days, args.method, args.degree, args.step_s)
    build = time.perf_counter() - t0
    mixed = [ephemerides.get(e.norad_id, e) for e in elsets]

    def timed(objects: list) -> tuple[float, object]:
        t = time.perf_counter()
        result = screen(objects, start, args.days * 86400.0, args.threshold_km, primaries=ids, map_blocks=mapper)
        return time.perf_counter() - t, result

    screen(elsets[:50], start, 600.0, args.threshold_km)  # compile the kernels outside the timings
    runs = [(timed(elsets), timed(mixed)) for _ in range(args.repeat)]  # interleaved: same load on both
    t_gp, gp = min((r[0] for r in runs), key=lambda x: x[0])
    t_oem, oem = min((r[1] for r in runs), key=lambda x: x[0])

    def keyed(result: object) -> dict:
        return {(c.primary_id, c.secondary_id, round(float((c.tca_utc - start) / np.timedelta64(1, "s")))): c
                for c in result.conjunctions}  # type: ignore[attr-defined]

    a, b = keyed(gp), keyed(oem)
    common = set(a) & set(b)
    dt_ms = max((abs(float((a[k].tca_utc - b[k].tca_utc) / np.timedelta64(1, "ns"))) / 1e6 for k in common),
                default=0.0)
    dmiss_m = max((abs(a[k].miss_km - b[k].miss_km) * 1000 for k in common), default=0.0)
    same = set(a) == set(b) and dt_ms < 10 and dmiss_m < 1
    ratio = t_oem / t_gp
    print(f"{len(ids)} primaries vs {len(elsets)} objects, {args.days:g} d, {args.threshold_km:g} km: "
          f"element sets {t_gp:.2f} s, OEMs {t_oem:.2f} s (ratio {ratio:.2f}); OEMs written+read+built in "
          f"{build:.2f} s ({size / 1e6:.1f} MB of KVN); conjunctions {len(a)} / {len(b)}, same: {same} "
          f"(worst TCA {dt_ms:.3f} ms, miss {dmiss_m:.3f} m)")
    lines = [f"\n## Ephemeris screening: {len(ids)} primaries from OEMs vs from element sets, against "
             f"{args.snapshot.name} ({len(elsets)} objects), {args.days:g} d, {args.threshold_km:g} km "
             f"({time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores)\n",
             "| primaries from | screening wall time | conjunctions |", "|---|---|---|",
             f"| GP element sets (SGP4) | {t_gp:.2f} s | {len(a)} |",
             f"| OEMs of the same SGP4 states ({args.method} degree {args.degree}, {args.step_s:g} s steps) | "
             f"{t_oem:.2f} s | {len(b)} |",
             f"\nRatio OEM / element sets: **{ratio:.2f}x** (fastest of {args.repeat} interleaved runs each). "
             f"Writing, reading and building the {len(ephemerides)} OEMs ({size / 1e6:.1f} MB of KVN): "
             f"{build:.2f} s. Same conjunctions: "
             f"{'yes' if same else 'NO'} (worst TCA difference {dt_ms:.3f} ms, miss {dmiss_m:.3f} m; tolerances "
             "10 ms, 1 m)."]
    with args.results.open("a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
