"""Fragmentation: historical break-ups recognised as clouds, and the 2021 Cosmos 1408 ASAT test dated from its
debris alone (Russian direct-ascent ASAT test, 2021-11-15 about 02:47 UTC, as reported by US Space Command)."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.files import load_catalog
from kompas.reports.gabbard import plot_gabbard
from kompas.space.fragmentation import breakup_epoch, clouds, launch_of, piece_of

ASAT_TEST = np.datetime64("2021-11-15T02:47", "ns")
pytestmark = pytest.mark.shared


def _latest(path):
    catalog, _ = load_catalog([path])
    return [obj.latest for obj in catalog]


def test_designators() -> None:
    assert (launch_of("1982-092D"), piece_of("1982-092D")) == ("1982-092", "D")
    assert (launch_of("99025AB"), piece_of("99025AB")) == ("1999-025", "AB")
    assert launch_of("") == "" and launch_of("UNKNOWN") == ""


def test_cosmos_1408_break_up_dated_from_its_fragments(shared_space, tmp_path) -> None:
    elsets = _latest(shared_space / "cosmos-1408-debris_2022-01-11.tle")
    (cloud,) = clouds(elsets)
    assert (cloud.designator, cloud.parent_id) == ("1982-092", 13552) and cloud.fragments == 923
    first = min(e.epoch_utc for e in elsets)
    estimate = breakup_epoch(elsets, cloud.parent_id, first - np.timedelta64(90, "D"), first)
    error_h = abs(estimate.epoch_utc - ASAT_TEST) / np.timedelta64(1, "h")
    print(f"Cosmos 1408: break-up estimated at {estimate.epoch_utc}, {error_h:.1f} h from the ASAT test; "
          f"sharpness {estimate.sharpness:.2f}")
    assert error_h < 48  # the bound; measured 2.3 h (about 1.5 orbits)
    assert error_h < 6 and estimate.sharpness > 0.5
    png = plot_gabbard(elsets, tmp_path / "gabbard.png", "Cosmos 1408", cloud.parent_id)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


@pytest.mark.parametrize(("cloud_file", "designator"), [("fengyun-1c-debris", "1999-025"),
                                                         ("cosmos-2251-debris", "1993-036"),
                                                         ("iridium-33-debris", "1997-051")])
def test_historical_clouds_are_recognised(shared_space, cloud_file: str, designator: str) -> None:
    for path in sorted(shared_space.glob(f"{cloud_file}_*.tle")):
        found = clouds(_latest(path))
        assert [c.designator for c in found] == [designator], path.name
        assert found[0].fragments >= 100


def test_launches_of_many_satellites_are_not_clouds(shared_space) -> None:
    assert clouds(_latest(shared_space / "active_2026-05-05.tle")) == []
