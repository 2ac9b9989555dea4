"""Shared data for the ISAC tests. The SATIS document (an OASIS TC contribution, not openly licensed) and SPARTA
(The Aerospace Corporation's terms not verified) are read from ../shared only and never copied here; ENISA's
workbook (CC BY 4.0) is read from ../shared too, and a small extract ships with Kompas. Tests needing ../shared
skip, saying so, when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "space-threats"
SATIS = SHARED / "satis" / "stix-mapping-proof-of-concept.md"
SPARTA = SHARED / "sparta"
ENISA = SHARED / "enisa" / "enisa-space-threat-landscape-2025_control-framework.xlsx"
PROVENANCE = SHARED / "PROVENANCE.md"


def need(path: Path) -> Path:
    """``path``, or skip: this data is read from ../shared/data/space-threats only."""
    if not path.exists():
        pytest.skip(f"{path} is absent: read from ../shared/data only, never copied into the repository (clone "
                    "../shared beside the checkout)")
    return path


@pytest.fixture(scope="session")
def satis():
    """The SATIS use cases read by the notional-format reader (read once)."""
    from kompas.isac.load import read_satis_document

    return read_satis_document(need(SATIS))


@pytest.fixture(scope="session")
def vocabulary():
    from kompas.isac.load import load_vocabulary

    return load_vocabulary(need(SPARTA))


@pytest.fixture(scope="session")
def workbook():
    from kompas.isac.load import read_workbook

    return read_workbook(need(ENISA))
