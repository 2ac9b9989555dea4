"""Benchmark: maximum-Pc and density-decorrelation engines against the plain 2D Pc, in the same run.

On NASA CARA's 27 conjunction CDMs (../shared/data/cara) it times, per CDM, the 2D Pc (``pc_foster``, baseline),
Frisbee's max Pc with both covariances and with the primary's only (``maxpc.frisbee_max_pc``), CARA's dilution
analysis (``maxpc.dilution_max_pc``, combined scaling) and the older one-dimensional max over the combined scale
factor (``probability.pc_max``, Alfano 2005), and checks that the last two agree where the case is diluted. On the
two CARA density-decorrelation CDMs it times ``decorrelation.pc_covxcorr`` against ``pc_foster``. Prints the
median cost of each as a ratio of the 2D Pc; ``--append`` adds a dated section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/maxpc.py [--repeat 3] [--append]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kompas.space import cdm as cdm_io
from kompas.space.decorrelation import dcp_from_comments, itrf_to_inertial, pc_covxcorr
from kompas.space.maxpc import dilution_max_pc, frisbee_max_pc
from kompas.space.probability import Encounter, adjust_to_tca, pc_foster, pc_max, rtn_to_inertial

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Shortest wall time of ``repeat`` calls (s)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--append", action="store_true", help="append a section to benchmarks/RESULTS.md")
    args = parser.parse_args()

    with (SHARED / "cara" / "expected_pc.csv").open() as f:
        rows = list(csv.DictReader(f))
    cost: dict[str, list[float]] = {k: [] for k in ("foster", "frisbee2", "frisbee1", "dilution", "dilution_in",
                                                   "pc_max", "pc_max_in")}
    diluted = agree = 0
    worst = 0.0
    for row in rows:
        message = cdm_io.parse_kvn((SHARED / "cara" / "cdm" / f"{row['Conjunction_ID']}.cdm").read_text())
        hbr = message.hard_body_radius_m() or 20.0
        enc = cdm_io.encounter(message)
        at_tca = adjust_to_tca(enc)
        s1, s2, c1, c2 = enc.state1, enc.state2, enc.cov1, enc.cov2
        cost["foster"].append(best_of(lambda: pc_foster(at_tca, hbr), args.repeat))  # noqa: B023
        cost["frisbee2"].append(best_of(lambda: frisbee_max_pc(s1, s2, c1, c2, hbr), args.repeat))  # noqa: B023
        cost["frisbee1"].append(best_of(lambda: frisbee_max_pc(s1, s2, c1, None, hbr), args.repeat))  # noqa: B023
        cost["dilution"].append(best_of(lambda: dilution_max_pc(s1, s2, c1, c2, hbr), args.repeat))  # noqa: B023
        cost["pc_max"].append(best_of(lambda: pc_max(at_tca, hbr), args.repeat))  # noqa: B023
        result = dilution_max_pc(s1, s2, c1, c2, hbr)
        if result.diluted:
            diluted += 1
            cost["dilution_in"].append(cost["dilution"][-1])
            cost["pc_max_in"].append(cost["pc_max"][-1])
            alfano, _ = pc_max(at_tca, hbr)
            err = abs(result.pc_max / alfano - 1)
            worst = max(worst, err)
            agree += err < 1e-3
    base = statistics.median(cost["foster"])
    lines = ["| engine | median per CDM | ratio to Pc2D |", "|---|---|---|"]
    labels = {"foster": "Pc2D (`pc_foster`, baseline)", "frisbee2": "Frisbee max Pc, both covariances",
              "frisbee1": "Frisbee max Pc, primary covariance only",
              "dilution": "DilutionMaxPc (combined scaling, CARA grid search)",
              "pc_max": "`probability.pc_max` (Alfano 1D scalar search)",
              "dilution_in": "DilutionMaxPc, diluted cases only",
              "pc_max_in": "`probability.pc_max`, diluted cases only"}
    for key, label in labels.items():
        m = statistics.median(cost[key])
        lines.append(f"| {label} | {m * 1e3:.2f} ms | {m / base:.1f}x |")

    xc, plain = [], []
    for n in (1, 3):
        message = cdm_io.parse_kvn((SHARED / "cara-methods" / "decorrelation" /
                                    f"DensityDecorrelationTestCaseCDM0{n}.txt").read_text())
        states = [itrf_to_inertial(message.state(k) * 1000.0) for k in (0, 1)]
        covs = [rtn_to_inertial(states[k], message.covariance_rtn(k)) for k in (0, 1)]  # type: ignore[arg-type]
        dcps = [dcp_from_comments(message.objects[k].comments()) for k in (0, 1)]
        enc = Encounter(states[0], states[1], covs[0], covs[1])
        xc.append(best_of(lambda: pc_covxcorr(states[0], states[1], covs[0], covs[1], 6.0, dcps[0], dcps[1]),  # noqa: B023
                          args.repeat))
        plain.append(best_of(lambda: pc_foster(enc, 6.0), args.repeat))  # noqa: B023
    lines.append(f"| Pc_CovXCorr (2 DCP CDMs) | {statistics.median(xc) * 1e3:.2f} ms | "
                 f"{statistics.median(xc) / statistics.median(plain):.1f}x (of Pc2D on the same CDMs) |")
    summary = (f"{len(rows)} CARA CDMs; {diluted} in the dilution region (combined scaling): DilutionMaxPc agrees "
               f"with `pc_max` within 1e-3 in {agree} of {diluted} (worst {worst:.1e}).")
    print("\n".join(lines) + "\n\n" + summary)
    if args.append:
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        load = os.getloadavg()[0]
        text = (f"\n## Max Pc and density decorrelation: cost against the 2D Pc ({when}, {platform.machine()}, "
                f"{os.cpu_count()} cores, load average {load:.1f})\n\n" + "\n".join(lines) + "\n\n" + summary + "\n")
        with (HERE / "RESULTS.md").open("a") as f:
            f.write(text)


if __name__ == "__main__":
    main()
