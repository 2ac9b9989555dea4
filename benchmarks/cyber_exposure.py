"""Benchmark: matching declared products against the KEV catalogue, the index against a linear scan, in one run.

Data: the KEV catalogue in ../shared/data/cyber/kev (1,404 entries; the 35-entry sample shipped with Kompas when
../shared is absent, said in the output). ``--rows`` inventory rows are drawn (seeded) from a pool of CPE names: the
16 rows of ``examples/cyber/inventory_*.csv``, one CPE name made from each KEV entry's own vendor and product text
(``cpe:2.3:a:<vendor>:<first product>:<version>:...``, so most rows match something) and as many names of products
KEV does not list (``cpe:2.3:a:vendorN:productN``). Timed, each the best of ``--repeat`` runs:

- building the index (:class:`kompas.cyber.exposure.KevIndex`, once per catalogue);
- matching every row through the index (:meth:`KevIndex.match`);
- the baseline: matching every row by scanning every entry's keys (:func:`kompas.cyber.exposure.match_linear`,
  the keys computed once, as the index has them), on the same rows; the two must give the same matches;
- the whole :func:`kompas.cyber.exposure.exposure` report (14 members) on the rows.

    .venv/bin/python benchmarks/cyber_exposure.py [--rows 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXAMPLES = sorted((HERE.parent / "examples" / "cyber").glob("inventory_*.csv"))


def best_s(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` timings of ``call`` (seconds) and its last result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="inventory rows to match (default 5000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from kompas.cyber.cpe import CpeError, parse_cpe
    from kompas.cyber.exposure import InventoryItem, KevIndex, exposure, keyed_kev, match_linear, read_inventory
    from kompas.cyber.kev import read_kev

    kev, rejections = read_kev()
    print(f"KEV: {kev.source} (catalogVersion {kev.version}, {len(kev.entries)} entries, "
          f"{len(rejections)} rejected)")
    pool = [item.cpe for path in EXAMPLES for item in read_inventory(path)[0]]
    for entry in kev.entries:
        vendor = re.sub(r"[^a-z0-9_]", "", entry.vendor_project.lower().replace(" ", "_"))
        product = re.sub(r"[^a-z0-9_]", "", entry.product.split(",")[0].lower().replace(" ", "_"))
        try:
            pool.append(parse_cpe(f"cpe:2.3:a:{vendor}:{product}:1.0:*:*:*:*:*:*:*"))
        except CpeError:
            continue
    made = len(pool)
    pool += [parse_cpe(f"cpe:2.3:a:vendor{n}:product{n}:1.0:*:*:*:*:*:*:*") for n in range(made)]
    rng = random.Random(20250831)
    rows = [rng.choice(pool) for _ in range(args.rows)]
    members = [f"MEMBER-{n:02d}" for n in range(14)]
    items = [InventoryItem(members[i % len(members)], cpe, date(2020, 1, 1) + timedelta(days=rng.randrange(2000)))
             for i, cpe in enumerate(rows)]
    print(f"rows: {len(rows)} drawn from {len(pool)} CPE names ({made} of products KEV lists or examples, "
          f"{len(pool) - made} of products it does not)")

    build_s, index = best_s(lambda: KevIndex(kev), args.repeat)
    keyed = keyed_kev(kev)
    index_s, by_index = best_s(lambda: [index.match(cpe) for cpe in rows], args.repeat)
    linear_s, by_scan = best_s(lambda: [match_linear(cpe, keyed) for cpe in rows], args.repeat)
    assert by_index == by_scan, "the index and the linear scan disagree"
    matched = sum(1 for found in by_index if found)
    pairs = sum(len(found) for found in by_index)
    report_s, report = best_s(lambda: exposure(items, index, date(2025, 8, 31)), args.repeat)

    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}")
    print(f"rows matching at least one KEV entry: {matched} of {len(rows)}; (row, CVE) matches: {pairs}")
    print(f"index build:         {build_s * 1000:9.1f} ms (once per catalogue)")
    print(f"index matching:      {index_s * 1000:9.1f} ms  ({index_s / len(rows) * 1e6:7.1f} us per row)")
    print(f"linear scan (naive): {linear_s * 1000:9.1f} ms  ({linear_s / len(rows) * 1e6:7.1f} us per row)")
    print(f"ratio linear / index: {linear_s / index_s:.0f}x (same matches)")
    print(f"exposure report ({len(members)} members, {report.aggregate.exposures} exposures, "
          f"{report.aggregate.cves} CVEs): {report_s * 1000:.1f} ms")


if __name__ == "__main__":
    main()
