"""Benchmark: the NASA Standard Breakup Model engine (kompas.space.breakup) against simple baselines, in one run.

- **Sampling** (sizes, A/M, area, mass, delta-v): the vectorised engine against a per-fragment loop drawing the
  same distributions one fragment at a time (the structure of the open implementations), fragments per second.
- **Orbits**: the fitted mean elements (fixed point + Newton, 1 mm stopping rule) against the simplest correct
  baseline, the osculating Keplerian elements taken as SGP4 mean elements: time and position error at the epoch.
- **Whole break-ups**: Cosmos 1408 (NORAD 13552, 1,750 kg, catastrophic collision) from
  ``../shared/data/space/cosmos-1408-debris_2022-01-11.tle`` at 10, 5 and 2 cm: fragments and seconds.

Prints Markdown lines for ``benchmarks/RESULTS.md`` (not written by this script).

    .venv/bin/python benchmarks/breakup.py [--data ../shared/data/space] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def best(call, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    """Best wall time of ``repeat`` calls (s) and the last result."""
    times, out = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - began)
    return min(times), out


def per_fragment_baseline(n: int, seed: int) -> list[tuple[float, float, float, float]]:
    """The same model, one fragment at a time with scalar draws: (L_c, A/M, mass, dv) per fragment."""
    from kompas.space.breakup import area_to_mass_parameters, characteristic_length_from_mass

    rng = np.random.Generator(np.random.PCG64(seed))
    top = characteristic_length_from_mass(1750.0)
    low, high = 0.1 ** -1.71, top ** -1.71
    out = []
    for _ in range(n):
        size = (low - rng.random() * (low - high)) ** (-1 / 1.71)
        p = {k: float(v) for k, v in area_to_mass_parameters(math.log10(size), "spacecraft").items()}
        beta = min(1.0, max(0.0, (size - 0.08) / 0.03))
        if rng.random() < beta:
            chi = rng.normal(p["mu1"], p["sigma1"]) if rng.random() < p["alpha"] else rng.normal(p["mu2"], p["sigma2"])
        else:
            chi = rng.normal(p["mu_soc"], p["sigma_soc"])
        area = 0.556945 * size ** 2.0047077
        dv = 10 ** rng.normal(0.9 * chi + 2.9, 0.4)
        out.append((size, 10 ** chi, area / 10 ** chi, dv))
    return out


def main() -> None:
    from sgp4.api import SatrecArray

    from kompas.space.breakup import (
        _osculating_elements,
        breakup,
        bstar_from_area_to_mass,
        characteristic_length_from_mass,
        fit_orbits,
        sample_fragments,
    )
    from kompas.space.elements import ElementSet, split_julian_date
    from kompas.space.propagation import satrec
    from kompas.space.tle import parse_tle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [f"\n## NASA Standard Breakup Model (issue 29), {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
             f"{os.cpu_count()} cores, best of {args.repeat}\n"]

    n = 20_000
    top = characteristic_length_from_mass(1750.0)
    ours, _ = best(lambda: sample_fragments("collision", n, 0.1, top, "spacecraft", 0), args.repeat)
    theirs, _ = best(lambda: per_fragment_baseline(n, 0), args.repeat)
    lines.append(f"- Sampling {n:,} fragments (size, A/M, area, mass, delta-v): vectorised {ours * 1e3:.1f} ms "
                 f"({n / ours:,.0f}/s); per-fragment loop {theirs * 1e3:.0f} ms; **{theirs / ours:.0f}x**.")

    path = args.data / "cosmos-1408-debris_2022-01-11.tle"
    elsets, _ = parse_tle(path.read_text(), str(path), np.datetime64("2022-02-01", "ns"))
    epoch = np.datetime64("2022-01-11T00:00:00", "ns")
    b = breakup(elsets, 13552, epoch, mass_kg=1750.0)
    keep = [k for k, e in enumerate(b.elsets) if e is not None]
    r = np.tile(b.parent_position_km, (len(keep), 1))
    v = b.parent_velocity_km_s[None, :] + b.fragments.delta_v_km_s[keep]
    bstar = np.asarray(bstar_from_area_to_mass(b.fragments.area_to_mass_m2_kg[keep]))
    ids = list(range(900_000_001, 900_000_001 + len(keep)))

    def fitted() -> object:
        return fit_orbits(epoch, r, v, bstar, ids, ["X"] * len(keep), [""] * len(keep))

    def osculating() -> np.ndarray:
        el = _osculating_elements(r, v)
        sets = [ElementSet(ids[j], epoch, math.sqrt(398600.8 / el["a_km"][j] ** 3) * 86400 / (2 * math.pi),
                           float(el["e"][j]), float(el["i_deg"][j]), float(el["raan_deg"][j]),
                           float(el["argp_deg"][j]), float(el["m_deg"][j]), float(bstar[j])) for j in range(len(keep))]
        _, rr, _ = SatrecArray([satrec(e) for e in sets]).sgp4(*split_julian_date(np.array([epoch])))
        return np.linalg.norm(rr[:, 0, :] - r, axis=1)

    fit_s, fit = best(fitted, args.repeat)
    base_s, base_error = best(osculating, args.repeat)
    miss = np.nanmax(fit.miss_km)  # type: ignore[attr-defined]
    lines.append(f"- Orbits of {len(keep):,} Cosmos 1408 fragments: fitted mean elements {fit_s:.2f} s, position "
                 f"error at the epoch max {miss * 1e6:.2f} mm; osculating elements as SGP4 mean elements "
                 f"{base_s:.2f} s, error median {np.median(base_error):.1f} km, max {np.max(base_error):.0f} km "
                 f"(fit costs **{fit_s / base_s:.1f}x** the baseline, removes the km-level error).")
    for size in (0.1, 0.05, 0.02):
        took, out = best(lambda s=size: breakup(elsets, 13552, epoch, mass_kg=1750.0, min_size_m=s), args.repeat)
        s = out.summary()  # type: ignore[attr-defined]
        lines.append(f"- Cosmos 1408 break-up >= {size * 100:g} cm: model N {s['expected_count']:,.0f}, generated "
                     f"{s['generated']:,} (dropped for mass {s['dropped_for_mass']:,}), fates {s['fates']}: "
                     f"**{took:.2f} s**.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
