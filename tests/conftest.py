"""Shared fixtures: where the real data lives, and a small sample that ships with the repository."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SPACE = REPO.parent / "shared" / "data" / "space"
SAMPLE_TLE = Path(str(files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle"))


@pytest.fixture(scope="session")
def shared_space() -> Path:
    """../shared/data/space, or skip the test saying so."""
    if not SHARED_SPACE.is_dir():
        pytest.skip(f"real data not found at {SHARED_SPACE} (clone ../shared beside the repository)")
    return SHARED_SPACE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_TLE.read_text()
