"""Benchmark: re-entry predictions against the objects that left the shared active snapshots, in one run.

The objects whose newest element set has a perigee under 250 km and that are absent from every snapshot after the
last one holding them (:mod:`kompas.space.reentry_check`) are predicted from that newest set (and, for the drag
method, the sets before it) with today's SGP4 rule and with the drag method (``kompas.space.reentry.predict``,
``method="auto"``: drag where the history gives a fitted ballistic coefficient, the SGP4 rule otherwise), space
weather as known at the set's epoch (persistence forecast). Prints the share of windows overlapping the re-entry
bracket, the share of point predictions inside it, the window widths, the speed of the decay propagator per
object-day and the coverage of the bundled space-weather table. ``--hindcast`` adds a run with the indices observed
after the epoch.

    .venv/bin/python benchmarks/reentry.py [--data ../shared/data/space] [--hindcast]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> None:
    from kompas.files import load_catalog
    from kompas.space import decay, reentry
    from kompas.space.reentry_check import departures, score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    parser.add_argument("--hindcast", action="store_true", help="also predict with the indices observed later")
    args = parser.parse_args()
    files = sorted(args.data.glob("active_*.tle"))
    snapshots = []
    for path in files:
        catalog, _ = load_catalog([path])
        snapshots.append((np.datetime64(path.stem.removeprefix("active_") + "T23:59", "ns"),
                          {obj.latest.norad_id for obj in catalog}))
    history, _ = load_catalog(files)
    histories = {obj.latest.norad_id: obj.history for obj in history if obj.history}
    cases = departures(snapshots, histories)
    last = [c.last for c in cases]
    lines = [f"\n## Re-entry: drag and space weather against today's SGP4 rule ({time.strftime('%Y-%m-%d')}, "
             f"{platform.machine()}, {os.cpu_count()} cores)\n",
             f"{len(files)} snapshots ({files[0].name} to {files[-1].name}); {len(cases)} objects left them with a "
             f"perigee under 250 km (kompas.space.reentry_check: re-entry between the newest set's epoch and the first "
             f"snapshot without the object; a window counts as inside when it overlaps that bracket).\n"]

    table = decay.SpaceWeather.bundled()
    start, end = float(decay.mjd(snapshots[0][0])), float(decay.mjd(snapshots[-1][0])) + 90.0
    lines.append(f"- Space weather: {table.source}, MJD {table.mjd[0]:.0f}-{table.mjd[-1]:.0f}; covers the snapshots "
                 f"and 90 days after them: {table.covers(start, end)}.")
    t0 = time.perf_counter()
    decay._integrator()
    compile_s = time.perf_counter() - t0
    radius = decay.EQUATORIAL_RADIUS_KM + 300.0
    speed = np.sqrt(decay.MU_KM3_S2 / radius)
    state = np.array([radius, 0.0, 0.0, 0.0, speed * np.cos(0.9), speed * np.sin(0.9)])
    t0 = time.perf_counter()
    decay.propagate(state, snapshots[0][0], 0.02, table, 10 * 86400.0)
    per_day = (time.perf_counter() - t0) / 10.0
    lines.append(f"- Decay propagator (heyoka Taylor, tolerance {decay.TOLERANCE:g}, thermoNET NRLMSISE-00): "
                 f"compilation {compile_s:.2f} s per process, **{per_day * 1e3:.1f} ms per object-day** "
                 f"(300 km circular orbit, B 0.02 m^2/kg).")

    t0 = time.perf_counter()
    base = reentry.predict(last, method="sgp4")
    base_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    new = reentry.predict(last, histories=histories, method="auto")
    new_s = time.perf_counter() - t0
    drag = [i for i, p in enumerate(new) if p.method == "drag"]
    lines.append(f"- Today's SGP4 rule (+-20% of the remaining lifetime): {score(cases, base).text()}; "
                 f"{base_s:.1f} s.")
    lines.append(f"- Drag, fitted B, forecast space weather (``method='auto'``: {len(drag)} objects by drag with B "
                 f"fitted to their history, {len(cases) - len(drag)} by the SGP4 rule): "
                 f"**{score(cases, new).text()}**; "
                 f"{new_s:.1f} s ({new_s / len(cases):.2f} s per object).")
    if drag:
        sub = [cases[i] for i in drag]
        lines.append(f"- The {len(drag)} objects with a fitted B only: SGP4 rule "
                     f"{score(sub, [base[i] for i in drag]).text()}; drag {score(sub, [new[i] for i in drag]).text()}.")
        b = np.array([new[i].ballistic_m2_kg or np.nan for i in drag])
        rel = np.array([(new[i].ballistic_sigma_m2_kg or np.nan) / (new[i].ballistic_m2_kg or np.nan) for i in drag])
        lines.append(f"- Fitted B: median {np.median(b):.4f} m^2/kg (10th-90th percentile {np.percentile(b, 10):.4f}"
                     f"-{np.percentile(b, 90):.4f}); relative sigma median {np.median(rel):.1%}.")
    short = [i for i, c in enumerate(cases) if (c.absent_utc - c.last.epoch_utc) <= np.timedelta64(2, "D")]
    if short:
        sub = [cases[i] for i in short]
        lines.append(f"- The {len(short)} objects whose bracket is at most 2 days (daily snapshots): SGP4 rule "
                     f"{score(sub, [base[i] for i in short]).text()}; "
                     f"drag {score(sub, [new[i] for i in short]).text()}.")
    if args.hindcast:
        t0 = time.perf_counter()
        hind = reentry.predict(last, histories=histories, method="auto", space_weather="observed")
        lines.append(f"- Hindcast (indices observed after the epoch): {score(cases, hind).text()}; "
                     f"{time.perf_counter() - t0:.1f} s.")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
