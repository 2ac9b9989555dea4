"""Shared data for the warning tests: the VIEWS 2023/24 challenge files in ../shared/data/early-warning/views.

VIEWS publishes no data licence (PROVENANCE.md there), so nothing of it is copied into the repository: the tests that
need it skip, saying where it was looked for, when ../shared is absent. The files are read once per test process
(:func:`kompas.warning.load.views_data` caches them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kompas.warning.features import Panel

REPO = Path(__file__).resolve().parents[2]
SHARED_VIEWS = REPO.parent / "shared" / "data" / "early-warning" / "views"


def need_views() -> Path:
    """``../shared/data/early-warning/views``, or skip saying where it was looked for and why it is not here."""
    if not (SHARED_VIEWS / "actuals").is_dir():
        pytest.skip(f"{SHARED_VIEWS} is absent: the VIEWS challenge data is read from ../shared only (no data "
                    "licence found, so none is copied into the repository); clone ../shared beside the checkout")
    return SHARED_VIEWS


@pytest.fixture(scope="module")
def panel() -> Panel:
    """The shipped actuals (Jan 2018 .. Apr 2024, 191 countries) as one panel."""
    need_views()
    from kompas.warning import load

    return load.views_data().panel


def observed(panel: Panel, month_ids: np.ndarray, country_ids: np.ndarray) -> np.ndarray:
    """The observed fatalities of the cells (month_ids[k], country_ids[k])."""
    block = panel.block(int(month_ids.min()), int(month_ids.max()))
    return block[np.searchsorted(panel.countries, country_ids), month_ids - month_ids.min()]
