"""The benchmark catalogue of issue 30: every real element set ../shared holds, extended to 100,000 objects by
clearly labelled synthetic ones. For benchmarking only: never stored, never shown as real.

- **Real**: the newest set of every distinct NORAD id in ``../shared/data/space/*.tle`` (the active snapshots,
  the debris clouds of Cosmos 1408, Cosmos 2251, Fengyun-1C and Iridium 33, Starlink SupGP, the GEO, OneWeb and
  Starlink groups). A set older than :data:`STALE_DAYS` before the screening start (the debris clouds of 2022-2025,
  objects that have re-entered since) keeps its elements with its epoch moved to the start: a real orbit, not today's
  position, counted apart as ``moved``.
- **Synthetic**: copies of real orbits drawn uniformly (so every shell grows in proportion, as a denser catalogue
  would) with the mean anomaly and the node drawn anew; catalogue numbers from :data:`SYNTHETIC_FIRST_ID` (Alpha-5,
  so the sets can be written as TLEs for a peer) and names ``SYNTHETIC <source id>``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from kompas.space.elements import ElementSet
from kompas.space.tle import format_tle, parse_tle

SHARED_SPACE = Path(__file__).resolve().parents[2] / "shared" / "data" / "space"
STALE_DAYS = 3.0  #: Sets older than this before the start are moved to it (their orbit kept).
SYNTHETIC_FIRST_ID = 250_000  #: Catalogue numbers of synthetic objects start here (Alpha-5 "P0000").
SEED = 30


def real_sets(folder: Path = SHARED_SPACE) -> list[ElementSet]:
    """The newest set of every distinct NORAD id in every TLE file of ``folder``, sorted by id."""
    newest: dict[int, ElementSet] = {}
    for path in sorted(folder.glob("*.tle")):
        for e in parse_tle(path.read_text(), path.name)[0]:
            if e.norad_id not in newest or e.epoch_utc > newest[e.norad_id].epoch_utc:
                newest[e.norad_id] = e
    return [newest[k] for k in sorted(newest)]


def snapshot_start(path: Path) -> np.datetime64:
    """The screening start the issue's measurements use: the newest epoch of the snapshot."""
    return np.datetime64(max(e.epoch_utc for e in parse_tle(path.read_text(), path.name)[0]), "ns")


def catalogue(size: int, start: np.datetime64, folder: Path = SHARED_SPACE, seed: int = SEED
              ) -> tuple[list[ElementSet], dict[str, int]]:
    """``size`` objects at ``start``: every real one (stale ones moved), then synthetic ones; and the counts
    ``{"real": ..., "moved": ..., "synthetic": ...}``. Fewer than the real count: the first ``size`` real ones
    by a fixed random draw."""
    real = real_sets(folder)
    stale = np.timedelta64(int(STALE_DAYS * 86400), "s")
    moved = 0
    out = []
    for e in real:
        if e.epoch_utc < start - stale:
            e = dataclasses.replace(e, epoch_utc=start)
            moved += 1
        out.append(e)
    rng = np.random.default_rng(seed)
    if size <= len(out):
        pick = np.sort(rng.choice(len(out), size, replace=False))
        chosen = [out[k] for k in pick]
        return chosen, {"real": len(chosen), "moved": sum(e.epoch_utc == start for e in chosen), "synthetic": 0}
    extra = size - len(out)
    source = rng.integers(0, len(out), extra)
    anomaly, node = rng.uniform(0.0, 360.0, extra), rng.uniform(0.0, 360.0, extra)
    for k in range(extra):
        e = out[int(source[k])]
        out.append(dataclasses.replace(e, norad_id=SYNTHETIC_FIRST_ID + k, name=f"SYNTHETIC {e.norad_id}",
                                       intl_designator="", mean_anomaly_deg=float(anomaly[k]),
                                       raan_deg=float(node[k])))
    return out, {"real": len(real), "moved": moved, "synthetic": extra}


def write_tle(elsets: list[ElementSet], path: Path) -> Path:
    """The catalogue as a 3LE file (for a peer that reads TLEs)."""
    with path.open("w") as handle:
        for e in elsets:
            one, two = format_tle(e)
            handle.write(f"{e.name or e.norad_id}\n{one}\n{two}\n")
    return path
