"""Benchmark: the dynamic (two-body) Monte Carlo Pc against the straight-line one, on NASA CARA's 27 CDMs.

In one run: (1) samples per second of ``montecarlo.pc_dynamic_monte_carlo`` (equinoctial sampling, whole encounter
segment; also Cartesian sampling, Coppola's window, and one thread) against ``probability.pc_monte_carlo``
(straight-line relative motion) on three cases, with the ratios; (2) the cost of deciding each of the 27 cases
against 1e-4 (adaptive batches from 50,000 samples), whether the side agrees with CARA's PcSDMC; (3) with
``--heavy``, the cost of deciding the cases between 1e-5 and 1e-4 against 1e-5. Appends a section to
benchmarks/RESULTS.md (``--no-write`` to skip).

Usage: python benchmarks/montecarlo.py [--samples 400000] [--heavy] [--no-write]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import numba
import numpy as np

from kompas.space import cdm as cdm_io
from kompas.space.montecarlo import encounter_window, pc_dynamic_monte_carlo
from kompas.space.probability import adjust_to_tca, pc_monte_carlo

HERE = Path(__file__).resolve().parent
CARA = HERE.parent.parent / "shared" / "data" / "cara"
SPEED_CASES = ("000028485_conj_000044777", "000035946_conj_000030648", "000048901_conj_000048903_20211219")


def load() -> list[tuple[dict[str, str], object]]:
    with (CARA / "expected_pc.csv").open() as f:
        rows = list(csv.DictReader(f))
    return [(row, cdm_io.parse_kvn((CARA / "cdm" / f"{row['Conjunction_ID']}.cdm").read_text())) for row in rows]


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=400_000)
    ap.add_argument("--heavy", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    cases = load()
    n = args.samples
    # compile the kernels before timing anything
    row0, msg0 = cases[0]
    pc_dynamic_monte_carlo(cdm_io.encounter(msg0), msg0.hard_body_radius_m(), samples=1000)

    out = [f"## Dynamic Monte Carlo Pc (two-body) against straight-line Monte Carlo, NASA CARA's 27 CDMs "
           f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores, numba "
           f"{numba.config.NUMBA_NUM_THREADS} threads, load average {os.getloadavg()[0]:.1f} at the start)", "",
           f"Samples per second ({n:,} samples each; straight line: `probability.pc_monte_carlo`):", "",
           "| case | window s | straight line | dynamic, equinoctial, segment | Cartesian | Coppola window | "
           "1 thread | dynamic / straight |", "|---|---|---|---|---|---|---|---|"]
    for key in SPEED_CASES:
        row, msg = next((r, m) for r, m in cases if r["Conjunction_ID"].startswith(key))
        enc, hbr = cdm_io.encounter(msg), msg.hard_body_radius_m()
        _, t_line = timed(pc_monte_carlo, adjust_to_tca(enc), hbr, samples=n, seed=1)
        window = encounter_window(enc, hbr)
        _, t_dyn = timed(pc_dynamic_monte_carlo, enc, hbr, samples=n, seed=1, window_s=window)
        _, t_cart = timed(pc_dynamic_monte_carlo, enc, hbr, samples=n, seed=1, window_s=window, sampling="cartesian")
        _, t_cop = timed(pc_dynamic_monte_carlo, enc, hbr, samples=n, seed=1,
                         window_s=encounter_window(enc, hbr, mode="coppola"))
        threads = numba.get_num_threads()
        numba.set_num_threads(1)
        _, t_one = timed(pc_dynamic_monte_carlo, enc, hbr, samples=n // 4, seed=1, window_s=window)
        numba.set_num_threads(threads)
        t_one *= 4
        line = (f"| {key} | {window[0]:.0f} .. {window[1]:.0f} | {n / t_line:,.0f} | {n / t_dyn:,.0f} | "
                f"{n / t_cart:,.0f} | {n / t_cop:,.0f} | {n / t_one:,.0f} | **{t_line / t_dyn:.3f}x** |")
        print(line, flush=True)
        out.append(line)

    out += ["", "Deciding each case against 1e-4 (adaptive, first batch 50,000, doubling; seed 1):", "",
            "| case | CARA PcSDMC | Kompas Pc [95% interval] | samples | s | decision | CARA's side |",
            "|---|---|---|---|---|---|---|"]
    total, agree = 0.0, 0
    for row, msg in cases:
        enc, hbr = cdm_io.encounter(msg), msg.hard_body_radius_m()
        res, dt = timed(pc_dynamic_monte_carlo, enc, hbr, threshold=1e-4, first_batch=50_000,
                        max_samples=20_000_000, seed=1)
        cara = float(row["PcSDMC"])
        side = "above" if cara > 1e-4 else "below"
        agree += res.decision == side
        total += dt
        line = (f"| {row['Conjunction_ID'][:24]} | {cara:.3e} | {res.pc:.3e} [{res.low:.2e}, {res.high:.2e}] | "
                f"{res.samples:,} | {dt:.2f} | {res.decision} | {side} |")
        print(line, flush=True)
        out.append(line)
    out += ["", f"All 27 decided against 1e-4 in **{total:.1f} s** ({total / 27:.2f} s a case), "
                f"{agree}/27 on CARA's side.", "",
            "The dynamic Monte Carlo draws both states in equinoctial elements at TCA (as CARA's SDMC / BFMC CDM mode)",
            "and follows every pair with two-body motion over the whole encounter segment (about one orbit), proving",
            "contact-free steps from a bound on the tidal acceleration and refining every close approach by Newton on",
            "d|r|^2/dt; the straight-line Monte Carlo only tests one line per pair. Hall et al. (2018, AAS 18-244)",
            "quote about 1e5 trials per second per core for CARA's compiled CDM-mode BFMC. Deciding a case near a",
            "threshold costs about (1.96 / ln(Pc/threshold))^2 / Pc samples: 48901_conj_48903 (1.17e-5) against 1e-5",
            "needs some 2e7."]

    if args.heavy:
        out += ["", "Deciding against 1e-5 the cases with CARA's Pc between 1e-5 and 1e-4 (at most 2e7 samples):", "",
                "| case | CARA PcSDMC | Kompas Pc [95% interval] | samples | s | decision |",
                "|---|---|---|---|---|---|"]
        for row, msg in cases:
            cara = float(row["PcSDMC"])
            if not 1e-5 <= cara < 1e-4:
                continue
            enc, hbr = cdm_io.encounter(msg), msg.hard_body_radius_m()
            res, dt = timed(pc_dynamic_monte_carlo, enc, hbr, threshold=1e-5, first_batch=1_000_000,
                            max_samples=20_000_000, seed=1)
            line = (f"| {row['Conjunction_ID'][:24]} | {cara:.3e} | {res.pc:.3e} [{res.low:.2e}, {res.high:.2e}] | "
                    f"{res.samples:,} | {dt:.1f} | {res.decision} ({res.stop}) |")
            print(line, flush=True)
            out.append(line)

    text = "\n".join(out) + "\n"
    print(text)
    if not args.no_write:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
