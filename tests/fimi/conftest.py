"""Shared data for the FIMI tests: the EUvsDisinfo and DISARM folders in ../shared (skipped, saying so, when absent:
their terms do not allow copying them into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fimi"
EUVSDISINFO = SHARED / "euvsdisinfo"
DISARM = SHARED / "disarm"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def need(path: Path) -> Path:
    """``path``, or skip: EUvsDisinfo (no licence, EEAS content) and DISARM (CC BY-SA 4.0) are read from
    ../shared/data/fimi only, never copied into the repository."""
    if not path.exists():
        pytest.skip(f"{path} is absent: EUvsDisinfo and DISARM data are read from ../shared only (their terms do "
                    f"not allow shipping them)")
    return path


@pytest.fixture(scope="session")
def euvsdisinfo_cases():
    """The EUvsDisinfo cases 2015-2021 as incidents (with their publication links as evidence)."""
    from kompas.fimi.load import read

    return read(need(EUVSDISINFO), "euvsdisinfo")


@pytest.fixture(scope="session")
def framework():
    from kompas.fimi.load import load_framework

    return load_framework(need(DISARM))
