"""Run ESA's cascade (PyPI ``esa-cascade``) all-vs-all conjunction detection on a 3LE file.

Runs inside cascade's own Python 3.11 virtual environment (``benchmarks/cascade_env.py``). Keeps the newest element
set per NORAD id, turns each into a TEME state at START with the ``sgp4`` package (objects whose SGP4 fails are
skipped and counted), and lets cascade propagate them for DAYS with its default dynamics, Keplerian, recording every
conjunction under THRESHOLD_KM. Prints one JSON line:

  {"objects", "failed", "failed_ids", "removed_ids", "wall_s", "setup_s", "propagate_s", "sgp4_s", "peak_rss_mb",
   "rss_before_sim_mb", "threads", "n_par_ct", "version", "dynamics", "mu_km3_s2", "step_s", "start", "days",
   "threshold_km", "outcome", "pairs": [[id_low, id_high, min_distance_km, tca_s], ...] (one per pair, its closest
   event), "events": [[id_low, id_high, distance_km, tca_s], ...] (every conjunction as cascade reports it)}

Times (tca_s) are seconds from START. ``wall_s`` is cascade's own work: building the simulation (its JIT compilation
of the dynamics included) plus the propagation with conjunction detection; reading the file and SGP4 are apart.

Units: cascade's default dynamics is Keplerian with mu = 1, so states are scaled to the SGP4 (WGS-72) Earth radius
as length unit and sqrt(R^3 / mu) as time unit; distances and times are scaled back on output.
Radii: every object is point-like (radius 0) and collision detection is off (``min_coll_radius`` = inf), so no
physical collision stops the run; no reentry radius and no exit radius are set (both events off: under Kepler an
orbit cannot decay, and the benchmark wants every object kept for the whole window).

Usage: python cascade_screen.py TLE_FILE START_ISO DAYS THRESHOLD_KM [--threads 2] [--step 67.5] [--limit N]
       [--dyn kepler] [--n-par-ct 1]
"""

import argparse
import ctypes
import json
import math
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sgp4.api import WGS72, Satrec, jday

from peak_memory import peak_rss_mb  # benchmarks/, the script's folder

MU_KM3_S2 = 398600.8  # WGS-72, the constants SGP4 uses
RADIUS_KM = 6378.135
TIME_S = math.sqrt(RADIUS_KM**3 / MU_KM3_S2)  # time unit in which mu = 1


def newest_sets(path: Path) -> dict[int, tuple[float, str, str]]:
    """{NORAD id: (epoch as Julian date, line 1, line 2)}, the newest set per id (the later one on a tie)."""
    lines = [line.rstrip() for line in path.read_text().splitlines() if line.strip()]
    sets: dict[int, tuple[float, str, str]] = {}
    for k in range(len(lines) - 1):
        line1, line2 = lines[k], lines[k + 1]
        if not (line1.startswith("1 ") and line2.startswith("2 ")):
            continue  # name lines ("0 NAME" or "NAME") are not needed
        try:
            norad = int(line1[2:7])
            sat = Satrec.twoline2rv(line1, line2, WGS72)
        except (ValueError, IndexError):
            continue
        epoch = sat.jdsatepoch + sat.jdsatepochF
        if norad not in sets or epoch >= sets[norad][0]:
            sets[norad] = (epoch, line1, line2)
    return sets


def teme_states(sets: dict[int, tuple[float, str, str]], start: datetime
                ) -> tuple[list[int], np.ndarray, list[int]]:
    """NORAD ids, TEME states (km, km/s) at ``start``, and the ids whose SGP4 failed there."""
    jd, fr = jday(start.year, start.month, start.day, start.hour, start.minute,
                  start.second + start.microsecond * 1e-6)
    ids, states, failed = [], [], []
    for norad, (_, line1, line2) in sorted(sets.items()):
        error, r, v = Satrec.twoline2rv(line1, line2, WGS72).sgp4(jd, fr)
        if error != 0 or not all(map(math.isfinite, (*r, *v))):
            failed.append(norad)
            continue
        ids.append(norad)
        states.append((*r, *v))
    return ids, np.array(states, dtype=float).reshape(-1, 6), failed


def import_cascade():
    """cascade, with its bundled SLEEF made global so that the code its JIT compiles can link against it.

    The wheel's heyoka 3 is loaded privately; with the ``heyoka`` 3.0 package that 0.1.7 asks for, that package put
    the SLEEF vector maths in the global namespace. With the newer ``heyoka`` installed instead (3.0 is off PyPI)
    nothing does, and building a simulation fails ("Symbols not found: Sleef_powd4_u10avx2")."""
    import cascade

    libs = Path(cascade.__file__).resolve().parent.parent / "esa_cascade.libs"
    for lib in sorted(libs.glob("libsleef*.so*")):
        ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
    return cascade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tle_file", type=Path)
    parser.add_argument("start_iso")
    parser.add_argument("days", type=float)
    parser.add_argument("threshold_km", type=float)
    parser.add_argument("--threads", type=int, default=2, help="TBB max_allowed_parallelism (cascade.set_nthreads)")
    parser.add_argument("--step", type=float, default=67.5, help="collisional timestep, s")
    parser.add_argument("--limit", type=int, default=None, help="first N objects (by NORAD id) only")
    parser.add_argument("--dyn", choices=["kepler"], default="kepler", help="dynamics: cascade's default, Keplerian")
    parser.add_argument("--n-par-ct", type=int, default=1, help="collisional timesteps processed in parallel "
                        "(cascade's tuning knob; its default is 1)")
    args = parser.parse_args()

    cascade = import_cascade()
    cascade.set_nthreads(args.threads)
    start = datetime.fromisoformat(args.start_iso.replace("Z", "+00:00")).astimezone(UTC)

    t0 = time.perf_counter()
    sets = newest_sets(args.tle_file)
    if args.limit:
        sets = dict(sorted(sets.items())[: args.limit])
    ids, states, failed = teme_states(sets, start)
    sgp4_s = time.perf_counter() - t0

    # Scale to mu = 1; the 7th column is the collisional radius (point-like).
    scaled = np.zeros((len(ids), 7))
    scaled[:, :3] = states[:, :3] / RADIUS_KM
    scaled[:, 3:6] = states[:, 3:6] * TIME_S / RADIUS_KM
    rss_before = peak_rss_mb()

    t0 = time.perf_counter()
    sim = cascade.sim(scaled, args.step / TIME_S, conj_thresh=args.threshold_km / RADIUS_KM,
                      min_coll_radius=math.inf, n_par_ct=args.n_par_ct)
    setup_s = time.perf_counter() - t0

    current = list(ids)  # NORAD id of each particle, in cascade's current order
    events: list[list] = []
    removed: list[int] = []

    def collect() -> None:
        for conj in sim.conjunctions:
            a, b = current[int(conj["i"])], current[int(conj["j"])]
            events.append([min(a, b), max(a, b), float(conj["dist"]) * RADIUS_KM, float(conj["time"]) * TIME_S])
        sim.reset_conjunctions()

    t_end = args.days * 86400.0 / TIME_S
    t0 = time.perf_counter()
    while True:
        outcome = sim.propagate_until(t_end)
        collect()
        if outcome == cascade.outcome.time_limit:
            break
        if outcome == cascade.outcome.err_nf_state:  # drop the particle whose state went non-finite, carry on
            index = int(sim.interrupt_info[0])
            removed.append(current.pop(index))
            sim.remove_particles([index])
            continue
        break  # collision / reentry / exit cannot happen with the settings above; reported in "outcome"
    propagate_s = time.perf_counter() - t0

    best: dict[tuple[int, int], list] = {}
    for event in events:
        key = (event[0], event[1])
        if key not in best or event[2] < best[key][2]:
            best[key] = event
    print(json.dumps({
        "objects": len(ids), "failed": len(failed), "failed_ids": failed, "removed_ids": removed,
        "wall_s": setup_s + propagate_s, "setup_s": setup_s, "propagate_s": propagate_s, "sgp4_s": sgp4_s,
        "peak_rss_mb": peak_rss_mb(), "rss_before_sim_mb": rss_before,
        "threads": cascade.get_nthreads(), "n_par_ct": args.n_par_ct, "version": cascade.__version__,
        "dynamics": f"Keplerian (cascade's default dyn), mu = {MU_KM3_S2} km^3/s^2 (WGS-72), TEME from SGP4",
        "mu_km3_s2": MU_KM3_S2, "step_s": args.step, "start": args.start_iso, "days": args.days,
        "threshold_km": args.threshold_km, "outcome": str(outcome).removeprefix("outcome."),
        "pairs": sorted(best.values()), "events": sorted(events)}))


if __name__ == "__main__":
    sys.exit(main())
