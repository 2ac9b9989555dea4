"""2D Pc (probability.pc_foster / pc_circle) on the 2,170 encounters of ../shared/data/ccsds/collision/data.csv
(ESA Kelvins collision-avoidance data as distributed with Orekit; see that folder's PROVENANCE.md).

Tolerances, from the provenance analysis of the file:
* the published ``Pc`` column (Alfano 2007 eq. 5a) is slightly low against an exact integration: Kompas's exact
  value must be >= the column (to 1e-6 relative) and above it by at most 0.4% (the file's worst is 0.35%);
* ``Pc_approx`` (Alfriend 1999 eq. 18, ``exp(-d_m^2/2) R^2 / (2 sqrt(det C))``), computed from Kompas's
  encounter-plane miss vector and covariance: 1e-6 relative; ``d^*`` (miss) 1e-9 km; ``d_m^2`` 1e-6 relative.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from kompas.space.probability import Encounter, encounter_plane, pc_circle, rtn_to_inertial

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ccsds" / "collision" / "data.csv"


def _cov(row: dict, prefix: str) -> np.ndarray:
    g = {k.split("[")[0].strip(): float(v) for k, v in row.items() if k.startswith(prefix)}
    rr, tt, nn, rt, rn, tn = (g[f"{prefix}{s}"] for s in ("rr", "tt", "nn", "rt", "rn", "tn"))
    return np.array([[rr, rt, rn], [rt, tt, tn], [rn, tn, nn]]) * 1e6  # km^2 -> m^2


def _state(row: dict, prefix: str) -> np.ndarray:
    keys = [f"{prefix}j2k_{c} [km]" for c in ("x", "y", "z")] + [f"{prefix}j2k_{c} [km/s]" for c in ("vx", "vy", "vz")]
    return np.array([float(row[k]) for k in keys]) * 1e3


@pytest.mark.shared
def test_pc2d_on_2170_kelvins_encounters(capsys):
    if not DATA.is_file():
        pytest.skip(f"CCSDS collision data not found at {DATA} (clone ../shared beside the repository)")
    with DATA.open() as f:
        rows = list(csv.DictReader(f))
    worst_above = worst_approx = worst_md2 = worst_miss = 0.0
    worst_below = 0.0
    for row in rows:
        s1, s2 = _state(row, "p_"), _state(row, "s_")
        enc = Encounter(s1, s2, rtn_to_inertial(s1, _cov(row, "p_c_")), rtn_to_inertial(s2, _cov(row, "s_c_")))
        hbr = float(row["R [km]"]) * 1e3
        miss, cov2 = encounter_plane(enc)
        pc = pc_circle(miss, cov2, hbr)
        published = float(row["Pc"])
        rel = pc / published - 1
        worst_above, worst_below = max(worst_above, rel), min(worst_below, rel)
        md2 = float(miss @ np.linalg.solve(cov2, miss))
        approx = math.exp(-md2 / 2) * hbr**2 / (2 * math.sqrt(np.linalg.det(cov2)))
        worst_approx = max(worst_approx, abs(approx / float(row["Pc_approx"]) - 1))
        worst_md2 = max(worst_md2, abs(md2 / float(row["d_m^2 [km^2]"]) - 1))
        worst_miss = max(worst_miss, abs(miss[0] / 1e3 - float(row["d^* [km]"])))
    with capsys.disabled():
        print(f"\n{len(rows)} encounters: Kompas Pc2D vs published Pc {worst_below:+.2e} .. {worst_above:+.2e} "
              f"(relative); Pc_approx {worst_approx:.1e}; d_m^2 {worst_md2:.1e}; miss {worst_miss:.1e} km")
    assert len(rows) == 2170
    assert worst_below >= -1e-6 and worst_above <= 4e-3
    assert worst_approx <= 1e-6 and worst_md2 <= 1e-6 and worst_miss <= 1e-9
