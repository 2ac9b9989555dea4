"""The platform database the web benchmark reads: the real catalogue at the scale of an operations centre.

From ../shared/data/space (CelesTrak snapshots, public): the newest seven daily snapshots stored as element sets
(about 15,000 objects each, TLP:CLEAR), the whole catalogue screened against itself over ``--hours`` hours at
``--threshold-km`` (stored as screened, without Pc), the protected assets screened over 7 days at 5 km with Pc and
CDM as the daily cycle does, and the
events detected over the whole history (manoeuvres, fragmentations, GEO behaviour, re-entries). The issue's target is
60,000+ conjunctions and 15,000+ events; the counts reached are printed.

    .venv/bin/python benchmarks/picture_data.py --db /tmp/picture.db
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(db: Path, data: Path, hours: float = 6.0, threshold_km: float = 10.0, days: int = 7) -> dict:
    """Build the database at ``db`` (an existing file is kept as it is); returns what it holds."""
    from kompas.core import jobs
    from kompas.core.db import make_engine, upgrade
    from kompas.core.markings import Marking
    from kompas.core.store import Store
    from kompas.files import load_assets
    from kompas.services.cycle import read_history, snapshots_in, store_snapshot, system_user
    from kompas.services.space import detect_events

    url = f"sqlite:///{db}"
    fresh = not db.exists()
    upgrade(url)
    store = Store(make_engine(url))
    seconds: dict[str, float] = {}
    if fresh:
        marking = Marking.build(tlp="CLEAR")
        user = system_user(store, marking)
        snapshots = snapshots_in(data)
        daily = [p for p in snapshots if p.name >= "active_2026-04-24"][-days:]
        quiet = lambda *_: None  # noqa: E731
        t = time.perf_counter()
        catalog, newest, _ = read_history(snapshots, quiet)
        seconds["read history"] = time.perf_counter() - t
        t = time.perf_counter()
        from kompas.files import read_text
        from kompas.space.ingest import parse_text
        for path in daily:
            elsets = list({e.norad_id: e for e in parse_text(read_text(path), str(path)).elements}.values())
            store_snapshot(store, user, path, elsets, marking)
        seconds["store snapshots"] = time.perf_counter() - t
        t = time.perf_counter()  # as the daily cycle: the assets against the catalogue, with Pc and CDM
        jobs.screen_catalogue(store, days=7.0, threshold_km=5.0, primaries=set(load_assets()))
        seconds["screen the assets (Pc, CDM)"] = time.perf_counter() - t
        t = time.perf_counter()  # and the whole catalogue against itself, stored without Pc (as screened)
        from kompas.space.screening import screen
        inputs = store.latest_inputs(None)
        elsets = [i.element_set for i in inputs]
        found = screen(elsets, max(e.epoch_utc for e in elsets), hours * 3600.0, threshold_km).conjunctions
        found = [c for c in found if c.label != "same-object"]
        store.store_conjunctions(found, {i.element_set.norad_id: i.record_id for i in inputs},
                                 {i.element_set.norad_id: i.marking_id for i in inputs})
        seconds["screen and store the catalogue"] = time.perf_counter() - t
        t = time.perf_counter()
        events = detect_events(catalog, load_assets(), proximity_days=1.0)
        jobs.store_space_events(store, [e.as_dict() for e in events], marking, source="benchmark")
        seconds["detect and store events"] = time.perf_counter() - t
    with store.session(None) as s:
        from sqlalchemy import func, select

        from kompas.core.models import ConjunctionRecord, ElementSetRecord, EventRecord
        counts = {"element_sets": s.scalar(select(func.count()).select_from(ElementSetRecord)),
                  "conjunctions": s.scalar(select(func.count()).select_from(ConjunctionRecord)),
                  "events": s.scalar(select(func.count()).select_from(EventRecord))}
    return {"url": url, "store": store, "counts": counts, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "space")
    parser.add_argument("--hours", type=float, default=6.0)
    parser.add_argument("--threshold-km", type=float, default=10.0)
    args = parser.parse_args()
    built = build(args.db, args.data, args.hours, args.threshold_km)
    print(built["counts"], {k: round(v, 1) for k, v in built["seconds"].items()})


if __name__ == "__main__":
    main()
