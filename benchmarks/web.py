"""Benchmark: every page of the situational picture in headless Chromium, on a platform at operational scale.

The database (benchmarks/picture_data.py, built once and kept at ``--db``): the newest seven daily CelesTrak
snapshots of ../shared/data/space (about 15,000 objects each), the whole catalogue screened against itself
(60,000+ conjunctions), the protected assets screened with Pc as the daily cycle does, and the events detected
over the whole history. Served by `kompas serve`'s app on loopback; measured in Debian's Chromium driven by
Playwright (software WebGL, as on a server without a GPU), each in a fresh browser context:

- first screen of every page: from navigation to the page revealed (its marking known) with its content drawn
  (the table's first page, the globe's objects, the map's boundaries), median of 3 after a warm-up, against the
  issue's goal (1 s; the default globe 2 s) and against the bare site (the reports page: no data) in the same run;
- animation: frames per second with 1,000 objects moving on the globe, against the same globe empty.

Appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/web.py [--db /tmp/picture.db] [--data ../shared/data/space]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FPS_JS = """() => new Promise((done) => {
  let frames = 0; const start = performance.now();
  const count = () => { frames += 1; if (performance.now() - start < 5000) requestAnimationFrame(count);
                        else done(frames * 1000 / (performance.now() - start)); };
  requestAnimationFrame(count);
})"""
REVEALED = "document.querySelector('#view > .view') && !document.querySelector('#view .pending')"

#: page, its hash, what must be on screen, the goal (s)
PAGES = [
    ("globe (default)", "#/globe", "() => document.querySelector('#globe')?.__drawn?.() > 0", 2.0),
    ("conjunctions", "#/conjunctions", "() => Number(document.querySelector('#conjunctions')?.dataset.loaded) > 0",
     1.0),
    ("conjunctions, TCA filter", "#/conjunctions?since=2026-05-05T03:00&sort=tca",
     "() => Number(document.querySelector('#conjunctions')?.dataset.loaded) > 0", 1.0),
    ("events", "#/events", "() => Number(document.querySelector('#events')?.dataset.loaded) > 0", 1.0),
    ("events, proximity", "#/events?kind=proximity",
     "() => Number(document.querySelector('#events')?.dataset.loaded) > 0", 1.0),
    ("objects", "#/objects", "() => Number(document.querySelector('#objects')?.dataset.loaded) > 0", 1.0),
    ("objects, freshest first", "#/objects?sort=-epoch",
     "() => Number(document.querySelector('#objects')?.dataset.loaded) > 0", 1.0),
    ("object (ISS)", "#/object/25544", "() => document.querySelectorAll('.plots canvas').length >= 3", 1.0),
    ("map", "#/map", "() => document.querySelector('#map canvas') !== null", 1.0),
    ("FIMI", "#/fimi", "() => document.querySelector('h1') !== null", 1.0),
    ("reports (bare site)", "#/reports", "() => document.querySelector('form') !== null", 1.0),
]


def main() -> None:
    from kompas.api.server import background
    from picture_data import build  # beside this file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "kompas-picture.db",
                        help="the benchmark database (built when missing, kept for the next run)")
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    parser.add_argument("--fps", action="store_true", help="also measure the animation's frame rate")
    args = parser.parse_args()
    built = build(args.db, args.data)
    store = built["store"]
    token = _analyst(store)
    with background(store.engine) as base:
        results = _measure(base, token, args.fps)
    line = _line(built, results)
    print(line)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(line)


def _analyst(store) -> str:  # noqa: ANN001
    """A fresh token for the benchmark's analyst (cleared SECRET; the data is TLP:CLEAR)."""
    from kompas.core.store import StoreError

    with contextlib.suppress(StoreError):
        store.add_org("NL-NSO", "NL")
    name = f"analyst-{os.getpid()}"
    return store.add_user(name, "NL-NSO", "SECRET", ["sst"])


def _measure(base: str, token: str, fps: bool) -> dict:
    """First-screen times of every page (median of 3 after a warm-up) and, with ``fps``, frame rates."""
    from playwright.sync_api import sync_playwright

    from kompas.web import CHROMIUM_FLAGS

    results: dict = {"pages": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=list(CHROMIUM_FLAGS))

        def fresh():  # noqa: ANN202
            context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            context.add_init_script(f"sessionStorage.setItem('kompas-token', {token!r});")
            return context, context.new_page()

        def load(hash_: str, ready: str) -> float:
            context, page = fresh()
            t = time.perf_counter()
            page.goto(f"{base}/web/{hash_}")
            page.wait_for_function(f"() => ({REVEALED}) && ({ready})()", timeout=120000)
            elapsed = time.perf_counter() - t
            context.close()
            return elapsed

        load("#/reports", PAGES[-1][2])  # warm-up: browser start, first fetch of the bundle
        for name, hash_, ready, goal in PAGES:
            load(hash_, ready)  # warm-up of this page's queries
            times = [load(hash_, ready) for _ in range(3)]
            results["pages"][name] = (statistics.median(times), goal, hash_)
        if fps:
            for label, limit in (("fps_1000", 1000), ("fps_0", None)):
                context, page = fresh()
                if limit is None:  # the baseline: the same page and globe, with an empty picture
                    page.route("**/api/v1/picture*", lambda route: route.fulfill(json={
                        "start_utc": "2026-05-05T00:00:00.000Z", "minutes": 180, "objects": [], "markers": [],
                        "markings": [], "total_objects": 0, "rule": "none"}))
                page.goto(f"{base}/web/#/globe" + (f"?set=all&limit={limit}" if limit else ""))
                page.locator("#globe canvas").wait_for(timeout=60000)
                if limit:
                    page.wait_for_function(f"() => document.querySelector('#globe').__drawn() >= "
                                           f"{int(limit * 0.95)}", timeout=120000)
                page.wait_for_timeout(1000)
                results[label] = page.evaluate(FPS_JS)
                results[label + "_objects"] = page.evaluate("document.querySelector('#globe').__drawn()")
                context.close()
        browser.close()
    return results


def _line(built: dict, results: dict) -> str:
    counts = built["counts"]
    bare = results["pages"]["reports (bare site)"][0]
    rows = "\n".join(f"| {name} | `{hash_}` | {t:.2f} | {goal:g} | **{t / goal:.2f}** | {t / bare:.1f}x |"
                     for name, (t, goal, hash_) in results["pages"].items())
    worst = max(t / goal for t, goal, _ in results["pages"].values())
    out = (f"\n## Situational picture, every page, in headless Chromium ({time.strftime('%Y-%m-%d')}, "
           f"{platform.machine()}, {os.cpu_count()} cores, software WebGL)\n\n"
           f"Stored: {counts['element_sets']:,} element sets, {counts['conjunctions']:,} conjunctions, "
           f"{counts['events']:,} events (benchmarks/picture_data.py on ../shared/data/space). First screen: from "
           f"navigation to the page shown with its marking known and its content drawn, median of 3 after a "
           f"warm-up, each in a fresh browser context.\n\n"
           f"| page | hash | first screen (s) | goal (s) | of the goal | x the bare site |\n|---|---|---|---|---|---|\n"
           f"{rows}\n\nWorst page: **{worst:.2f}** of its goal.\n")
    if "fps_1000" in results:
        out += (f"\nAnimation: **{results['fps_1000']:.1f} fps** with {results['fps_1000_objects']} objects moving "
                f"(**{results['fps_1000'] / 30:.2f}** of the 30 fps goal), against {results['fps_0']:.1f} fps for "
                f"the same globe empty (ratio {results['fps_1000'] / results['fps_0']:.2f}).\n")
    return out


if __name__ == "__main__":
    main()
