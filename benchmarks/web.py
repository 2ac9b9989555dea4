"""Benchmark: the situational picture in headless Chromium with the real catalogue.

The newest active snapshot of ../shared/data/space (about 15,000 objects) is stored in a fresh platform database
(SQLite) and served by `kompas serve`'s app on loopback. Measured in the same run, in Debian's Chromium driven by
Playwright (software WebGL, as on a server without a GPU):

- first page load: from navigation to the globe drawn with the protected assets, against the issue's 2 s goal and
  against loading the bare site (no data calls) in the same browser;
- animation: frames per second counted with requestAnimationFrame over 5 s with 1,000 objects moving on the globe,
  against the same globe with no objects, and against the 30 fps goal.

Appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/web.py [--data ../shared/data/space]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
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


def main() -> None:
    from kompas.api.server import background
    from kompas.core.db import make_engine, upgrade
    from kompas.core.markings import Marking
    from kompas.core.store import Store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    args = parser.parse_args()
    snapshot = sorted(args.data.glob("active_*.tle"))[-1]
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    token = store.add_user("analyst", "NL-NSO", "SECRET", ["sst"])
    account = store.account("analyst")
    t0 = time.perf_counter()
    done = store.contribute_elements(account, snapshot.read_text(), "tle", Marking.build(tlp="GREEN"), "bench")
    store_s = time.perf_counter() - t0
    with background(store.engine) as base:
        results = _measure(base, token)
    line = _line(done, snapshot, store_s, results)
    print(line)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(line)


def _measure(base: str, token: str) -> dict:
    """Page load and frame rates in Chromium against the server at ``base``."""
    from playwright.sync_api import sync_playwright

    from kompas.web import CHROMIUM_FLAGS

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=list(CHROMIUM_FLAGS))

        def fresh():  # noqa: ANN202
            context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            context.add_init_script(f"sessionStorage.setItem('kompas-token', {token!r});")
            page = context.new_page()
            return context, page

        def load(hash_: str, ready: str) -> float:
            context, page = fresh()
            t = time.perf_counter()
            page.goto(f"{base}/web/{hash_}")
            page.wait_for_function(ready, timeout=60000)
            elapsed = time.perf_counter() - t
            context.close()
            return elapsed

        bare = "() => document.querySelector('#report-status') !== null"
        drawn = "() => { const g = document.querySelector('#globe'); return g && g.__drawn && g.__drawn() > 0; }"
        load("#/reports", bare)  # warm-up: browser start, first fetch of the bundle
        results["bare_s"] = sorted(load("#/reports", bare) for _ in range(3))[1]
        loads = [load("#/globe", drawn) for _ in range(3)]
        results["load_s"] = sorted(loads)[1]
        for label, limit in (("fps_1000", 1000), ("fps_0", None)):
            context, page = fresh()
            if limit is None:  # the baseline: the same page and globe, with an empty picture
                page.route("**/api/v1/picture*", lambda route: route.fulfill(json={
                    "start_utc": "2026-05-05T00:00:00.000Z", "minutes": 180, "objects": [], "markers": [],
                    "markings": []}))
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


def _line(done, snapshot: Path, store_s: float, results: dict) -> str:  # noqa: ANN001 (Submitted)
    return (f"\n## Situational picture in headless Chromium ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
            f"{os.cpu_count()} cores, software WebGL)\n\n"
            f"Store: {done.accepted} objects of `{snapshot.name}` ({store_s:.1f} s to store). First page load "
            f"(median of "
            f"3 after a warm-up, navigation to the globe drawn with the protected assets): {results['load_s']:.2f} s, "
            f"**{results['load_s'] / 2.0:.2f}** of the 2 s goal and **{results['load_s'] / results['bare_s']:.1f}x** "
            f"the bare site ({results['bare_s']:.2f} s, the reports page: no data, no globe). Animation: "
            f"**{results['fps_1000']:.1f} fps** with {results['fps_1000_objects']} objects moving "
            f"(**{results['fps_1000'] / 30:.2f}** of the 30 fps goal), against {results['fps_0']:.1f} fps for the "
            f"same globe with no objects in this run (ratio {results['fps_1000'] / results['fps_0']:.2f}).\n")


if __name__ == "__main__":
    main()
