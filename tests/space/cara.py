"""NASA CARA's reference data as the space tests read it (../shared/data/cara and cara-methods): one reader each,
skipping with the reason when ../shared is absent."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from kompas.space import cdm as cdm_io
from kompas.space.cdm import CDM
from kompas.space.probability import Encounter

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CARA = SHARED / "cara"
METHODS = SHARED / "cara-methods"


def need(path: Path) -> None:
    """Skip, saying where it looked, when the reference data is absent."""
    if not path.exists():
        pytest.skip(f"CARA reference data not found at {path} (clone ../shared beside the repository)")


def cara_cases() -> list[tuple[dict[str, str], CDM]]:
    """The 27 conjunctions of ../shared/data/cara: each row of expected_pc.csv with its CDM, parsed."""
    need(CARA / "expected_pc.csv")
    with (CARA / "expected_pc.csv").open() as f:
        rows = list(csv.DictReader(f))
    return [(row, cdm_io.parse_kvn((CARA / "cdm" / f"{row['Conjunction_ID']}.cdm").read_text(),
                                   row["Conjunction_ID"])) for row in rows]


def alfano_xls(path: Path) -> Encounter:
    """Alfano (2009) input sheet at TCA: ECI position (row 5), velocity (row 9), 6x6 covariance (rows 13-18) of
    the primary, the same for the secondary at rows 23, 27, 31-36 (m, m/s)."""
    xlrd = pytest.importorskip("xlrd", reason="xlrd reads CARA's Alfano .xls inputs")
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)

    def vec(row: int) -> np.ndarray:
        return np.array(sheet.row_values(row - 1)[0:3], float)

    def cov(first: int) -> np.ndarray:
        return np.array([sheet.row_values(first - 1 + k)[0:6] for k in range(6)], float)

    return Encounter(np.concatenate([vec(5), vec(9)]), np.concatenate([vec(23), vec(27)]), cov(13), cov(31))
