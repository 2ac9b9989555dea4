"""Cumulative risk counts each encounter once: updates of one close approach (the same pair, TCAs within ten
minutes, from newer element sets or newer CDMs) are not independent encounters (issue 19, item 6)."""

from __future__ import annotations

import pytest

from kompas.services.space import SAME_ENCOUNTER_S, latest_updates
from kompas.space.probability import cumulative


def _c(cid: str, a: int, b: int, tca: str, pc: float) -> dict:
    return {"id": cid, "primary_id": a, "secondary_id": b, "tca_utc": tca, "pc": pc}


def test_the_newest_update_of_each_encounter_stands_for_it() -> None:
    rows = [_c("old", 1, 2, "2026-05-05T10:00:00.000Z", 3e-4),  # first update of the 10:00 approach
            _c("new", 2, 1, "2026-05-05T10:00:41.000Z", 2e-5),  # its newer update (objects in the other order)
            _c("next-orbit", 1, 2, "2026-05-05T11:35:00.000Z", 1e-5),  # the pair's next approach, 95 min later
            _c("other", 1, 3, "2026-05-05T10:00:10.000Z", 4e-6)]  # another pair at the same time
    updated = {"old": "2026-05-04T00:00:00", "new": "2026-05-05T00:00:00", "next-orbit": "2026-05-04T00:00:00",
               "other": "2026-05-04T00:00:00"}
    kept = latest_updates(rows, updated)
    assert [c["id"] for c in kept] == ["other", "new", "next-orbit"]
    assert cumulative(c["pc"] for c in kept) == pytest.approx(1 - (1 - 2e-5) * (1 - 1e-5) * (1 - 4e-6), rel=1e-12)
    # summing every row would count the 10:00 approach twice, with its superseded 3e-4 dominating
    assert cumulative(c["pc"] for c in rows) > 9 * cumulative(c["pc"] for c in kept)


def test_updates_chain_within_the_tolerance_and_ties_go_to_the_later_tca() -> None:
    step = int(SAME_ENCOUNTER_S * 0.9)
    rows = [_c(f"u{k}", 7, 8, f"2026-05-05T10:{(k * step) // 60:02d}:{(k * step) % 60:02d}.000Z", 1e-6 * (k + 1))
            for k in range(3)]
    kept = latest_updates(rows, {})
    assert [c["id"] for c in kept] == ["u2"]  # one chained encounter; no version known: the later TCA
    assert latest_updates([], {}) == []
