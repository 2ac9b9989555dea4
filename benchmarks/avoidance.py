"""Benchmark: the manoeuvre trade space of one real conjunction against one screening of the same primary, in the
same run.

The closest conjunction of the day after the newest epoch of the active catalogue of 2026-05-05 (../shared/data/space,
15,352 objects) among the first 300 LEO objects as primaries (relative speed above 1 km/s: an encounter, not a
formation) is found; that primary is then screened alone against
the whole catalogue for that day (``kompas.space.screening.screen``, 5 km, serial: the baseline). The conjunction
gets a CDM with Kompas's element-set covariance (``cdm.for_screening``), then
the default trade space (2 directions x 11 lead times x 39 sizes, ``avoidance.trade_space``, one core; threshold
1e-4, or a tenth of the conjunction's Pc when it is already under 1e-4, so that there are burns to screen) and the
secondary screening of the smallest burns against the same catalogue (``avoidance.secondary_conjunctions``) are
timed. Prints each as a ratio of the screening; ``--append`` adds a dated section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/avoidance.py [--primary NORAD] [--append]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from kompas.space import avoidance as av
from kompas.space import cdm
from kompas.space.screening import screen, serial_map
from kompas.space.tle import parse_tle

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE.parent.parent / "shared" / "data" / "space" / "active_2026-05-05.tle"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--primary", type=int, default=None, help="this primary (default: found as above)")
    parser.add_argument("--append", action="store_true", help="append the results to benchmarks/RESULTS.md")
    args = parser.parse_args()
    if not CATALOGUE.exists():
        raise SystemExit(f"needs {CATALOGUE} (clone ../shared beside the repository)")
    elsets = parse_tle(CATALOGUE.read_text(), CATALOGUE.name)[0]
    start = max(e.epoch_utc for e in elsets)
    screen(elsets[:50], start, 600.0, 5.0, primaries={elsets[0].norad_id})  # compile the kernels
    if args.primary is None:
        leo = {e.norad_id for e in elsets if e.mean_motion_rev_day > 11.25}
        some = sorted(leo)[:300]
        near = [c for c in screen(elsets, start, 86400.0, 2.0, primaries=some).conjunctions
                if c.label == "" and c.v_rel_km_s > 1.0]  # an encounter, not a formation
        args.primary = min(near, key=lambda c: c.miss_km).primary_id
    primary = next(e for e in elsets if e.norad_id == args.primary)

    t = time.perf_counter()
    found = screen(elsets, start, 86400.0, 5.0, primaries={primary.norad_id}, map_blocks=serial_map).conjunctions
    t_screen = time.perf_counter() - t
    found = [c for c in found if c.label == "" and c.primary_id == primary.norad_id and c.v_rel_km_s > 1.0]
    if not found:
        raise SystemExit(f"no conjunction of {args.primary} under 5 km in the day")
    closest = min(found, key=lambda c: c.miss_km)
    epochs = {e.norad_id: e.epoch_utc for e in elsets}
    ages = tuple(float((closest.tca_utc - epochs[n]) / np.timedelta64(1, "D"))
                 for n in (closest.primary_id, closest.secondary_id))
    message, _ = cdm.for_screening(closest, created_utc=start, hbr_m=10.0, ages_days=ages)  # type: ignore[arg-type]
    enc = cdm.encounter(message)

    # the red threshold, or a tenth of the conjunction's Pc when it is already under it (so that the smallest-burn
    # search and the secondary screening have burns to work on)
    pc0 = av.trade_space(enc, 10.0, sizes_m_s=[0.0], leads_orbits=[1.0]).pc0 or av.RED_PC
    threshold = min(av.RED_PC, pc0 / 10.0)
    t = time.perf_counter()
    trade = av.trade_space(enc, 10.0, threshold=threshold)
    t_trade = time.perf_counter() - t
    t = time.perf_counter()
    secondaries = av.secondary_conjunctions(primary, elsets, closest.tca_utc, trade.minimum, after_tca_s=86400.0)
    t_secondary = time.perf_counter() - t

    rows = [f"screening {args.primary} against {len(elsets)} objects, 1 day, 5 km (serial): {t_screen:.2f} s "
            f"({len(found)} conjunctions)",
            f"closest: {closest.secondary_name} ({closest.secondary_id}) {closest.miss_km * 1000:.0f} m at "
            f"{closest.tca_utc}, Pc0 {trade.pc0 if trade.pc0 is None else f'{trade.pc0:.2e}'}, threshold "
            f"{threshold:.2e}",
            f"trade space (2 x {len(trade.leads_s)} x {len(trade.sizes_m_s)} burns + smallest-burn search): "
            f"{t_trade:.2f} s = {t_trade / t_screen:.3f} x the screening",
            f"secondary screening of {len(trade.minimum)} burns (burn .. TCA + 1 day): {t_secondary:.2f} s = "
            f"{t_secondary / t_screen:.2f} x the screening; "
            f"{sum(len(v) for v in secondaries.values())} conjunctions, "
            f"{sum(r.new for v in secondaries.values() for r in v)} new"]
    rows += [f"  smallest {b.label}: {b.dv_m_s * 100:+.2f} cm/s {b.lead_orbits:g} orbits before TCA, Pc {b.pc:.2e}, "
             f"miss {b.miss_m:.0f} m" for b in trade.minimum]
    for row in rows:
        print(row)
    if args.append:
        machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        with (HERE / "RESULTS.md").open("a") as f:
            f.write(f"\n## Avoidance trade space vs screening ({datetime.now(UTC):%Y-%m-%d}, {machine})\n\n")
            f.write("\n".join(f"- {r}" for r in rows) + "\n")


if __name__ == "__main__":
    main()
