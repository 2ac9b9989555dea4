"""Benchmark: force generation (issue 28), :func:`kompas.forces.generation.generate` (OR-Tools CP-SAT).

1. **Against exhaustive search** (:func:`kompas.forces.generation.exhaustive`, the tests' reference) on small
   registers of 12, 16 and 18 eligible elements: the same optimum (checked), the time of each.
2. **Against a MIP peer**: the same model (elements chosen whole, units allotted to requirements, the troop ceiling,
   the national caveats, the objective ``2 x troops + largest national share``, readiness as the tie-break) given to
   HiGHS through :func:`scipy.optimize.milp`, on registers of 300, 1,000 and 3,000 elements (synthetic: random
   modules of 30 capability codes from 27 nations, a seeded generator; no open data on national offers exists) and a
   scenario of 20 requirements. Same optimum checked (the objective values agree).
3. **The shipped ILLUSTRATIVE example set** against every shipped scenario: seconds per generation.
4. **Rotations** (:func:`kompas.forces.rotation.plan_rotations`, exact fill by CP-SAT) against a greedy scheduler
   (month by month, each position short of units takes the first rested unit of its capability for a whole tour):
   unit-months filled and seconds, on synthetic pools (36 and 60 months, 8 positions, 240 units).

Printed: a markdown table of seconds (best of ``--repeat``, wall-clock, one process) and ratios.

    .venv/bin/python benchmarks/forces.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from kompas.forces import rotation
from kompas.forces.generation import Weights, _problem, exhaustive, generate
from kompas.forces.model import Caveats, ForceElement, Requirement, RotationPool, Scenario

CAPS = ("force-hq", "infantry-company", "mechanised-infantry-company", "reconnaissance-company", "engineer-company",
        "cbrn-company", "military-police-platoon", "cimic-team", "eod-team", "logistics-company",
        "fire-support-battery", "force-protection-company", "medical-role1", "medical-role2", "strategic-airlift",
        "tactical-airlift", "sealift-ship", "utility-helicopter", "medevac-helicopter", "air-to-air-refuelling",
        "isr-uav", "isr-aircraft", "frigate", "amphibious-ship", "mine-countermeasures-vessel",
        "maritime-patrol-aircraft", "cyber-defence-team", "satcom-terminal", "ew-team", "sof-task-group")
NATIONS = ("AT", "BE", "BG", "HR", "CY", "CZ", "DE", "EE", "ES", "FI", "FR", "GR", "HU", "IE", "IT", "LT", "LU", "LV",
           "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO")


def synthetic(n: int, seed: int = 28) -> list[ForceElement]:
    """``n`` random modules (SYNTHETIC, for timing only): 1-2 capabilities, 20-800 troops, ready in 2-90 days, a
    caveat on one in ten."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        caps = {rng.choice(CAPS): rng.randint(1, 3) for _ in range(rng.choice((1, 1, 2)))}
        caveats = Caveats()
        if rng.random() < 0.1:
            caveats = Caveats(not_with=(rng.choice(NATIONS),)) if rng.random() < 0.5 else Caveats(
                requires=(rng.choice(("force-protection-company", "medical-role2")),))
        out.append(ForceElement(f"m{i}", rng.choice(NATIONS), f"module {i}", "synthetic", "land",
                                rng.randint(20, 800), rng.randint(2, 90), caps, caveats=caveats, illustrative=True))
    return out


def scenario(k: int = 20, seed: int = 28) -> Scenario:
    rng = random.Random(seed)
    reqs = tuple(Requirement(c, rng.randint(1, 4)) for c in rng.sample(CAPS, k))
    return Scenario("benchmark", reqs, response_days=45, duration_days=120, max_troops=5000)


def highs(elements: Sequence[ForceElement], s: Scenario, w: Weights) -> float | None:
    """The same model as :func:`kompas.forces.generation.generate` as a MIP for HiGHS; the main objective value
    (``troops x w.troops + peak x w.fairness``) or None when infeasible."""
    p = _problem(elements, s)
    els, reqs = p.elements, s.requirements
    n = len(els)
    ys = [(i, j) for i, units in enumerate(p.serve) for j in units]
    nations = sorted({e.nation for e in els})
    nv = n + len(ys) + 1  # x..., y..., peak
    peak = nv - 1
    rows: list[tuple[dict[int, float], float, float]] = []
    by_cap: dict[tuple[int, str], list[int]] = defaultdict(list)
    for k, (i, j) in enumerate(ys):
        by_cap[i, reqs[j].capability].append(n + k)
    for (i, cap), cols in by_cap.items():  # sum y <= qty * x
        rows.append(({**{c: 1.0 for c in cols}, i: -float(els[i].capabilities[cap])}, -np.inf, 0.0))
    for j, r in enumerate(reqs):
        cols = [n + k for k, (_, jj) in enumerate(ys) if jj == j]
        rows.append(({c: 1.0 for c in cols}, float(r.quantity), np.inf))
    rows.append(({i: float(e.strength) for i, e in enumerate(els)}, -np.inf, float(s.max_troops)))
    for nation in nations:
        rows.append(({**{i: float(e.strength) for i, e in enumerate(els) if e.nation == nation}, peak: -1.0},
                     -np.inf, 0.0))
    for i, e in enumerate(els):
        for other in e.caveats.not_with:
            for k, f in enumerate(els):
                if k != i and f.nation == other:
                    rows.append(({i: 1.0, k: 1.0}, -np.inf, 1.0))
        for cap in e.caveats.requires:
            rows.append(({i: 1.0, **{k: -1.0 for k, f in enumerate(els) if k != i and f.capabilities.get(cap)}},
                         -np.inf, 0.0))
    a = np.zeros((len(rows), nv))
    lo, hi = np.empty(len(rows)), np.empty(len(rows))
    for r, (coefs, low, high) in enumerate(rows):
        for c, v in coefs.items():
            a[r, c] += v
        lo[r], hi[r] = low, high
    scale = sum(e.readiness_days for e in els) + 1
    c = np.zeros(nv)
    for i, e in enumerate(els):
        c[i] = scale * w.troops * e.strength + e.readiness_days
    c[peak] = scale * w.fairness
    upper = np.array([1.0] * n + [float(p.serve[i][j]) for i, j in ys] + [np.inf])
    res = milp(c, constraints=LinearConstraint(a, lo, hi), integrality=np.ones(nv), bounds=Bounds(0, upper))
    if res.status != 0:
        return None
    x = np.round(res.x[:n]).astype(int)
    troops = sum(e.strength for e, xi in zip(els, x, strict=True) if xi)
    shares: dict[str, int] = defaultdict(int)
    for e, xi in zip(els, x, strict=True):
        if xi:
            shares[e.nation] += e.strength
    return w.troops * troops + w.fairness * max(shares.values(), default=0)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only-rotations", action="store_true")
    args = parser.parse_args()
    w = Weights()
    print(f"## Force generation (issue 28), {time.strftime('%Y-%m-%d')}, {platform.machine()}, best of {args.repeat}\n")
    print("| case | elements | Kompas CP-SAT s | peer | peer s | ratio | same optimum |")
    print("|---|---:|---:|---|---:|---:|---|")
    for n in () if args.only_rotations else (12, 16, 18):
        els = synthetic(400, seed=n)
        s = scenario(5, seed=n)
        eligible = _problem(els, s).elements[:n]
        t_cp, g = best(lambda els=eligible, s=s: generate(els, s, w, workers=8), args.repeat)
        t_ex, (ref, fewest) = best(lambda els=eligible, s=s: exhaustive(els, s, w), 1)
        same = g.objective == ref if g.status == "optimal" else ref is None and len(g.missing) == fewest
        what = g.status if g.status == "optimal" else f"{g.status}, {len(g.missing)} missing"
        print(f"| exhaustive, 5 requirements | {n} | {t_cp:.3f} | exhaustive search | {t_ex:.2f} | "
              f"{t_ex / t_cp:.0f}x | {same} ({what}) |")
    for n in () if args.only_rotations else (300, 1000, 3000):
        els = synthetic(n)
        s = scenario()
        t_cp, g = best(lambda els=els, s=s: generate(els, s, w, workers=8), args.repeat)
        t_mip, ref = best(lambda els=els, s=s: highs(els, s, w), args.repeat)
        print(f"| 20 requirements | {n:,} | {t_cp:.3f} | HiGHS MIP (scipy.milp) | {t_mip:.3f} | "
              f"{t_mip / t_cp:.1f}x | {g.objective == ref} ({g.status}, {g.troops:,} troops) |")
    try:
        if args.only_rotations:
            raise RuntimeError("--only-rotations")
        from kompas.services import forces as service

        view = service.view(None, None, example=True)
        for sc in service.scenarios():
            if sc.name.startswith("civilian"):
                continue
            t, g = best(lambda sc=sc: generate(view.register.elements, sc, w, workers=8), args.repeat)
            print(f"| example set, {sc.name} | {len(view.register.elements)} | {t:.3f} | | | | {g.status} |")
    except Exception as exc:  # noqa: BLE001 (the example part is optional while the set is built)
        print(f"(example set skipped: {exc})")
    print()
    print("| rotations | units | Kompas s | filled (proven) | greedy s | greedy filled | greedy / Kompas filled |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for months, units in ((36, 60), (36, 90), (60, 90)):
        mission, pools = rotation_case(months, units)
        t_k, plan = best(lambda m=mission, p=pools: rotation.plan_rotations(m, p, time_limit_s=60.0), 1)
        t_g, filled = best(lambda m=mission, p=pools: greedy_rotations(m, p), args.repeat)
        print(f"| {months} months, 8 positions | {units} | {t_k:.2f} | {plan.filled:,} of {plan.needed:,} "
              f"({plan.status}) | {t_g:.3f} | {filled:,} | {filled / plan.filled:.3f} |")
    return 0


def rotation_case(months: int, units: int, seed: int = 28) -> tuple[Any, list[RotationPool]]:
    """A standing mission of 8 positions (2-6 units of a capability each month) and ``units`` units in pools of 4-12
    across nations, 6-month tours, 12 (or 6) months' dwell, readiness 15-60 days (SYNTHETIC)."""
    rng = random.Random(seed)
    caps = CAPS[:8]
    positions = tuple(rotation.Position(f"p{k}", cap, units=rng.randint(2, 6)) for k, cap in enumerate(caps))
    pools, left, k = [], units, 0
    while left > 0:
        n = min(left, rng.randint(4, 12))
        pools.append(RotationPool(f"pool{k}", rng.choice(NATIONS), caps[k % len(caps)], n, rng.randint(100, 200),
                                  6, rng.choice((6, 12)), rng.randint(15, 60)))
        left, k = left - n, k + 1
    start = date(2027, 3, 1)
    return rotation.Mission("benchmark", start, months, positions, date(2027, 1, 1)), pools


def greedy_rotations(mission: Any, pools: Sequence[RotationPool]) -> int:  # noqa: ANN401
    """Unit-months filled by the greedy peer: month by month, a position short of units takes the first unit of its
    capability that is rested and ready, for a whole tour (cut at the mission's end)."""
    from kompas.forces.rotation import month_start

    free: dict[tuple[str, int], int] = {}  # (pool, unit) -> first month it may start a tour
    busy: dict[str, list[int]] = defaultdict(lambda: [0] * mission.months)  # position -> units serving each month
    filled = 0
    for m in range(mission.months):
        day = month_start(mission.start, m)
        for pos in mission.positions:
            for pool in pools:
                if pool.capability != pos.capability or (day - mission.decided).days < pool.readiness_days:
                    continue
                for u in range(pool.units):
                    if busy[pos.id][m] >= pos.units:
                        break
                    if free.get((pool.key, u), 0) > m:
                        continue
                    end = min(mission.months, m + pool.tour_months)
                    for mm in range(m, end):
                        busy[pos.id][mm] += 1
                    filled += end - m
                    free[pool.key, u] = end + pool.dwell_months
    return filled


if __name__ == "__main__":
    raise SystemExit(main())
