"""Benchmark (issue 30): screening at the scale of the next catalogue, each figure from one run of this script.

1. **Memory and speed at 15k**: all-vs-all screening of the distinct objects of ``active_2026-05-05.tle`` from their
   newest epoch, one day, 5 km, on the machine's cores: this version, the version before issue 30 (``--baseline``, a
   git revision checked out in a temporary worktree) and ESA's cascade (``cascade_screen.py`` in its own environment,
   ``cascade_env.py``), each in a process of its own; wall time and peak memory (the process's largest resident set),
   and whether the two Kompas versions find the same conjunctions.
2. **Growth with the catalogue**: 15k (real), 30k and 100k objects (``catalogue_100k.py``: every real set ../shared
   holds, then labelled synthetic ones), one day: time and memory, and the growth exponent against N log N and N^2.
3. **Dask**: the same screening as time blocks on a ``LocalCluster`` of 1, 2 and 4 worker processes, as time blocks
   x pair partitions on 2, and as time blocks on a scheduler started apart (``dask scheduler`` + ``dask worker``)
   reached by its address: time, speed-up, the largest worker's peak memory, and the conjunctions compared with the
   single-process run.
4. **Held-out recall** against brute force (``tests/space/test_screening.py``'s reference: every pair sampled every
   5 s with the ``sgp4`` package, minima refined by Brent) on 400 LEO objects drawn at random, by this version and
   the baseline.

Usage: python benchmarks/screening_scale.py [--baseline REV] [--sizes 15000,30000,100000] [--workers 1,2,4]
       [--dask-size 30000] [--partitions 4] [--skip cascade,baseline,recall,dask,scale] [--days 1]
Appends a section to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from benchmarks.peak_memory import peak_rss_mb  # noqa: E402

SNAPSHOT = "active_2026-05-05.tle"
THRESHOLD_KM = 5.0


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(args: argparse.Namespace) -> None:
    """One screening in this process (the kompas on sys.path: this version or the baseline's); one JSON line."""
    from kompas.space.screening import dask_map, screen, thread_map

    imported = _rss_mb()
    try:  # imported on first use by the propagator: measured apart
        from kompas.space.heyoka_module import heyoka

        heyoka()
    except ImportError:  # the baseline, before kompas.space.heyoka_module
        import heyoka  # noqa: F401
    with_heyoka = _rss_mb()
    with open(args.catalogue, "rb") as handle:
        elsets, start = pickle.load(handle)
    loaded = _rss_mb()
    options: dict = {}
    client = cluster = None
    if args.scheduler or args.dask_workers:
        import distributed

        if args.scheduler:
            client = distributed.Client(args.scheduler)
        else:
            cluster = distributed.LocalCluster(n_workers=args.dask_workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            client = distributed.Client(cluster)
        options = {"map_blocks": dask_map(client), "partitions": args.partitions}
    else:
        options = {"map_blocks": thread_map(os.cpu_count() or 1)}
    t0 = time.perf_counter()
    result = screen(elsets, start, args.days * 86400.0, THRESHOLD_KM, **options)
    wall = time.perf_counter() - t0
    workers_mb = None
    if client is not None:
        import cloudpickle
        from benchmarks import peak_memory

        cloudpickle.register_pickle_by_value(peak_memory)  # workers need not find benchmarks/ on their path
        workers_mb = max(client.run(peak_memory.peak_rss_mb).values())
        client.close()
    if cluster is not None:
        cluster.close()
    rows = [[c.primary_id, c.secondary_id, int((c.tca_utc - start) / np.timedelta64(1, "us")), c.miss_km, c.label]
            for c in result.conjunctions]
    print(json.dumps({"objects": len(elsets), "wall_s": wall, "rss_imports_mb": imported, "rss_heyoka_mb": with_heyoka,
                      "rss_loaded_mb": loaded,
                      "peak_rss_mb": peak_rss_mb(), "worker_peak_rss_mb": workers_mb,
                      "candidates": result.candidates, "jobs": getattr(result, "jobs", None),
                      "escaped": list(getattr(result, "escaped", ())), "conjunctions": rows}))


def run_child(catalogue: Path, days: float, src: Path | None = None, dask_workers: int = 0, partitions: int = 1,
              scheduler: str | None = None) -> dict:
    """:func:`child` in a new interpreter (``src``: the kompas sources to import, e.g. the baseline's)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{ROOT}"
    argv = [sys.executable, str(Path(__file__).resolve()), "child", "--catalogue", str(catalogue), "--days", str(days),
            "--dask-workers", str(dask_workers), "--partitions", str(partitions)]
    if scheduler:
        argv += ["--scheduler", scheduler]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline_src(rev: str, where: Path) -> Path:
    """The ``src`` folder of a worktree of ``rev`` (the code before issue 30)."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev], check=True,
                   capture_output=True)
    return where / "src"


def pairs(rows: list) -> set:
    return {(a, b, label) for a, b, _, _, label in rows}


def same_conjunctions(a: list, b: list) -> str:
    """How two runs' conjunctions compare: pairs and labels, TCA (us) and miss (km) differences."""
    ka = {(x[0], x[1], x[4], round(x[2] / 1e6)): x for x in a}
    kb = {(x[0], x[1], x[4], round(x[2] / 1e6)): x for x in b}
    common = ka.keys() & kb.keys()
    dt = max((abs(ka[k][2] - kb[k][2]) for k in common), default=0)
    dd = max((abs(ka[k][3] - kb[k][3]) for k in common), default=0.0)
    return (f"{len(common)} in both, {len(ka.keys() - kb.keys())} only in the first, "
            f"{len(kb.keys() - ka.keys())} only in the second; largest TCA difference {dt} us, miss {dd * 1e6:.3f} mm")


def held_out_recall(src: Path | None, n: int = 400, seed: int = 7) -> dict:
    """Recall against brute force on ``n`` LEO objects drawn at random from the snapshot (a sample the tests do not
    use), one day at 10 km: ``tests/space/test_screening.py``'s reference and matching (TCA 1 ms, miss 1 m)."""
    code = f"""
import json, sys, numpy as np
sys.path.insert(0, {str(ROOT)!r})
from tests.space.test_screening import _reference, _tle_triples, _matches
from kompas.space.screening import screen
from kompas.space.tle import parse_tle
from benchmarks.catalogue_100k import SHARED_SPACE
triples = _tle_triples((SHARED_SPACE / {SNAPSHOT!r}).read_text())
leo, seen = [], set()
for t in sorted(triples, key=lambda t: int(t[1][2:7])):
    if float(t[2][52:63]) > 11.25 and t[2][8:63] not in seen:
        seen.add(t[2][8:63]); leo.append(t)
pick = [leo[k] for k in sorted(np.random.default_rng({seed}).choice(len(leo), {n}, replace=False))]
elsets = parse_tle("\\n".join("\\n".join(t) for t in pick) + "\\n", "sample")[0]
start = np.datetime64(max(e.epoch_utc for e in elsets), "ns")
reference = _reference(pick, start, 1.0, 10.0)
result = screen(elsets, start, 86400.0, 10.0)
total, matched, worst_t, worst_d = _matches(reference, result, start)
edge = sum(1 for v in reference.values() for t, _ in v if not 0.01 < t < 86400.0 - 0.01)
print(json.dumps({{"total": total, "matched": matched, "edge": edge, "worst_tca_ms": worst_t * 1e3,
                  "worst_miss_m": worst_d}}))
"""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{ROOT}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def cascade(tle: Path, start: np.datetime64, days: float) -> dict | None:
    """ESA's cascade on the same objects and window (2 threads, 67.5 s steps, Keplerian), or None."""
    from benchmarks.cascade_env import cascade_python

    python = cascade_python()
    if python is None:
        return None
    iso = str(start.astype("datetime64[us]")) + "Z"
    done = subprocess.run([str(python), str(HERE / "cascade_screen.py"), str(tle), iso, str(days), str(THRESHOLD_KM),
                           "--threads", str(os.cpu_count() or 1), "--step", "67.5"], capture_output=True, text=True)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_scheduler(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    """``dask scheduler`` and ``dask worker`` processes, as on other machines; returns the scheduler's address."""
    dask = Path(sys.executable).parent / "dask"
    file = folder / "scheduler.json"
    procs = [subprocess.Popen([str(dask), "scheduler", "--scheduler-file", str(file), "--port", "0",
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    for _ in range(60):
        if file.exists():
            break
        time.sleep(0.5)
    procs.append(subprocess.Popen([str(dask), "worker", "--scheduler-file", str(file), "--nworkers", str(workers),
                                   "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL))
    address = json.loads(file.read_text())["address"]
    import distributed

    with distributed.Client(address) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def _fit(sizes: list[int], seconds: list[float]) -> str:
    """Growth exponent of time with N (least squares in log-log) and the N log N and N^2 predictions."""
    slope = float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])
    base = sizes[0], seconds[0]
    nlogn = [base[1] * (n * np.log(n)) / (base[0] * np.log(base[0])) for n in sizes]
    square = [base[1] * (n / base[0]) ** 2 for n in sizes]
    return (f"time grows as N^{slope:.2f}; from the {sizes[0]:,}-object time, N log N predicts "
            + ", ".join(f"{p:.0f} s" for p in nlogn[1:]) + " and N^2 " + ", ".join(f"{p:.0f} s" for p in square[1:])
            + " for " + ", ".join(f"{n:,}" for n in sizes[1:]) + " (measured " +
            ", ".join(f"{s:.0f} s" for s in seconds[1:]) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    c = sub.add_parser("child")
    c.add_argument("--catalogue", required=True)
    c.add_argument("--days", type=float, default=1.0)
    c.add_argument("--dask-workers", type=int, default=0)
    c.add_argument("--partitions", type=int, default=1)
    c.add_argument("--scheduler")
    parser.add_argument("--baseline", default="bc212cd", help="git revision before issue 30")
    parser.add_argument("--sizes", default="15000,30000,100000")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--dask-size", type=int, default=30000)
    parser.add_argument("--partitions", type=int, default=4, help="pair partitions of the one partitioned Dask run")
    parser.add_argument("--days", type=float, default=1.0)
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    if args.command == "child":
        return child(args)
    from benchmarks import catalogue_100k as cat

    skip = set(args.skip.split(",")) - {""}
    snapshot = cat.SHARED_SPACE / SNAPSHOT
    start = cat.snapshot_start(snapshot)
    work = Path(tempfile.mkdtemp(prefix="kompas-scale-"))
    out: list[str] = []
    try:
        from kompas.space.tle import parse_tle

        newest: dict = {}
        for e in parse_tle(snapshot.read_text(), SNAPSHOT)[0]:
            if e.norad_id not in newest or e.epoch_utc > newest[e.norad_id].epoch_utc:
                newest[e.norad_id] = e
        real15 = [newest[k] for k in sorted(newest)]
        files = {}

        def saved(n: int) -> Path:
            if n not in files:
                elsets = real15 if n == 15000 else cat.catalogue(n, start)[0]
                files[n] = work / f"catalogue_{n}.pickle"
                with files[n].open("wb") as handle:
                    pickle.dump((elsets, start), handle)
            return files[n]

        warm = work / "warm.pickle"  # numba compiles its kernels into its cache on a first run: not measured
        with warm.open("wb") as handle:
            pickle.dump((real15[:300], start), handle)
        run_child(warm, 0.05)
        host = f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start"
        out.append(f"\n## Screening at scale (issue 30): {time.strftime('%Y-%m-%d')}, {host}\n")
        out.append(f"`benchmarks/screening_scale.py`: all vs all, {args.days:g} day, {THRESHOLD_KM:g} km, from "
                   f"{start} (the snapshot's newest epoch); each run a process of its own, peak memory its largest "
                   "resident set.\n")
        ours = run_child(saved(15000), args.days)
        rows = [("Kompas (this version, 2 threads)", ours["wall_s"], ours["peak_rss_mb"],
                 len(ours["conjunctions"]))]
        notes = [f"Where Kompas's memory goes: Python, NumPy, SciPy and numba imported {ours['rss_imports_mb']:.0f} "
                 "MB; "
                 f"heyoka {ours['rss_heyoka_mb'] - ours['rss_imports_mb']:.0f} MB more; the "
                 f"{ours['objects']:,} element sets {ours['rss_loaded_mb'] - ours['rss_heyoka_mb']:.0f} MB; the "
                 f"screening itself the rest, {ours['peak_rss_mb'] - ours['rss_loaded_mb']:.0f} MB (SGP4 built for "
                 "every object, numba's LLVM loading the compiled kernels, two time blocks in flight)."]
        if "baseline" not in skip:
            src = baseline_src(args.baseline, work / "baseline")
            run_child(warm, 0.05, src)
            before = run_child(saved(15000), args.days, src)
            rows.append((f"Kompas before issue 30 ({args.baseline})", before["wall_s"], before["peak_rss_mb"],
                         len(before["conjunctions"])))
            notes.append(f"Before/after working memory: {before['peak_rss_mb'] - before['rss_loaded_mb']:.0f} MB "
                         f"-> {ours['peak_rss_mb'] - ours['rss_loaded_mb']:.0f} MB. Conjunctions, this version "
                         f"against the baseline: {same_conjunctions(ours['conjunctions'], before['conjunctions'])}.")
        peer = None
        if "cascade" not in skip:
            tle = cat.write_tle(real15, work / "active15k.tle")
            peer = cascade(tle, start, args.days)
            if peer:
                rows.append((f"ESA cascade {peer['version']} ({peer['dynamics']}, {peer['step_s']} s steps, "
                             f"{peer['threads']} threads)", peer["wall_s"], peer["peak_rss_mb"], len(peer["pairs"])))
            else:
                notes.append("cascade could not be run here (see benchmarks/cascade_env.py).")
        out.append(f"### {len(real15):,} objects, memory and speed\n")
        out.append("| run | wall time | peak memory | conjunctions (cascade: pairs) |\n| --- | --- | --- | --- |")
        out += [f"| {name} | {wall:.1f} s | {mem:.0f} MB | {n:,} |" for name, wall, mem, n in rows]
        if peer:
            out.append(f"\nRatios to cascade: time **{ours['wall_s'] / peer['wall_s']:.2f}x**, memory "
                       f"**{ours['peak_rss_mb'] / peer['peak_rss_mb']:.2f}x** (goal: memory within 2.5x at equal or "
                       "better speed). cascade propagates Keplerian orbits from each object's SGP4 state at the "
                       "start, so its pairs are not SGP4's conjunctions (most are same-shell objects drifting apart "
                       "under two-body motion); only its time and memory compare.")
        out += ["", *notes, ""]

        if "scale" not in skip:
            sizes = [int(x) for x in args.sizes.split(",")]
            measured = []
            out.append("### Growth with the catalogue\n")
            out.append("| objects | real / moved / synthetic | wall time | peak memory | conjunctions | "
                       "candidate intervals |\n| --- | --- | --- | --- | --- | --- |")
            for n in sizes:
                run = ours if n == 15000 else run_child(saved(n), args.days)
                counts = ({"real": len(real15), "moved": 0, "synthetic": 0} if n == 15000
                          else cat.catalogue(n, start)[1])
                measured.append((run["objects"], run["wall_s"]))
                out.append(f"| {run['objects']:,} | {counts['real']:,} / {counts['moved']:,} / "
                           f"{counts['synthetic']:,} | {run['wall_s']:.1f} s | {run['peak_rss_mb']:.0f} MB | "
                           f"{len(run['conjunctions']):,} | {run['candidates']:,} |")
            out.append("\n" + _fit([m[0] for m in measured], [m[1] for m in measured]) + ".\n")

        if "dask" not in skip:
            n = args.dask_size
            single = ours if n == 15000 else run_child(saved(n), args.days)
            out.append(f"### Dask: {single['objects']:,} objects, {args.days:g} day\n")
            out.append("| run | jobs | wall time | speed-up on 1 worker's time | largest worker's peak memory | "
                       "same conjunctions as one process |\n| --- | --- | --- | --- | --- | --- |")
            out.append(f"| one process, 2 threads (no Dask) | {single['jobs']} | {single['wall_s']:.1f} s | | "
                       f"{single['peak_rss_mb']:.0f} MB (the process) | |")
            first = None
            runs = [(w, 1, None) for w in (int(x) for x in args.workers.split(","))]
            runs.append((2, args.partitions, None))
            runs.append((2, 1, "scheduler"))
            for w, parts, how in runs:
                if how == "scheduler":
                    address, procs = start_scheduler(work, w)
                    try:
                        run = run_child(saved(n), args.days, scheduler=address)
                    finally:
                        for proc in procs:
                            proc.terminate()
                    name = (f"scheduler at {address.split(':')[0]}:… (`dask scheduler` + `dask worker`, {w} "
                            "processes), time blocks")
                else:
                    run = run_child(saved(n), args.days, dask_workers=w, partitions=parts)
                    name = (f"LocalCluster, {w} worker process{'es' if w > 1 else ''}, time blocks"
                            + (f" x {parts} pair partitions" if parts > 1 else ""))
                first = first or run["wall_s"]
                out.append(f"| {name} | {run['jobs']} | {run['wall_s']:.1f} s | {first / run['wall_s']:.2f}x | "
                           f"{run['worker_peak_rss_mb']:.0f} MB | "
                           f"{same_conjunctions(run['conjunctions'], single['conjunctions'])} |")
            out.append("")

        if "recall" not in skip:
            out.append("### Held-out recall against brute force (400 LEO objects drawn at random, 1 day, 10 km)\n")
            for name, src in (("this version", None),
                              ("before issue 30", work / "baseline" / "src" if "baseline" not in skip else None)):
                if name != "this version" and src is None:
                    continue
                r = held_out_recall(src)
                out.append(f"- {name}: " + (r["error"] if "error" in r else
                                            f"{r['matched']}/{r['total'] - r['edge']} reference conjunctions inside "
                                            f"the window found ({r['edge']} at its edges), worst TCA "
                                            f"{r['worst_tca_ms']:.4f} ms, worst miss {r['worst_miss_m']:.4f} m"))
            out.append("")
    finally:
        if (work / "baseline").exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "baseline")],
                           capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(out) + "\n"
    print(text)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
