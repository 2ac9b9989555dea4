"""The Observatory's data: the CSET chipexplorer dataset (CC BY-NC 4.0, read from ../shared only) and the USGS
tables (public domain; a copy ships with Kompas)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompas.files import load_supply
from kompas.observatory.load import load_config

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "observatory"
CSET = SHARED / "cset_chipexplorer"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kompas" / "data" / "observatory"


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def cset_dir() -> Path:
    if not CSET.is_dir():
        pytest.skip(f"CSET chipexplorer data not found at {CSET}: it is CC BY-NC 4.0 and is never copied into the "
                    "repository (clone ../shared beside it)")
    return CSET


@pytest.fixture(scope="session")
def shared_dirs(cset_dir) -> list[Path]:
    return [cset_dir, SHARED / "usgs_mcs2026", SHARED / "lithium_busch2024"]


@pytest.fixture(scope="session")
def chain(shared_dirs, config):
    chain, rejections, _ = load_supply(shared_dirs, config)
    assert rejections == []
    return chain
