"""Shared data for the maritime tests: ../shared/data/maritime (see PROVENANCE.md there).

Several of its folders are read from ../shared only and never copied into the repository: the Ever Given positions
(VesselsValue, no reuse terms), AISdb's test data (AGPL-3.0), the Danish Maritime Authority's AisAbnormal event files
(LGPL-3.0), the Baltic seabed index (CC BY-NC-SA). Tests that need a file skip, saying where it was looked for and
why it is not in the repository, when it is absent.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kompas.files import read_text
from kompas.maritime.load import MID_BUNDLED
from kompas.maritime.model import Ingest
from kompas.maritime.nmea import parse_nmea
from kompas.maritime.registry import Flag, parse_mid_table
from kompas.maritime.tables import parse_table

REPO = Path(__file__).resolve().parents[2]
SHARED_MARITIME = REPO.parent / "shared" / "data" / "maritime"


def need(sub: str) -> Path:
    """``../shared/data/maritime/<sub>``, or skip saying where it was looked for."""
    path = SHARED_MARITIME / sub
    if not path.exists():
        pytest.skip(f"{path} is absent: the maritime reference data is read from ../shared only (several files are "
                    "AGPL, LGPL, CC BY-NC-SA or of unknown reuse terms, so none is copied into the repository); clone "
                    "../shared beside the checkout")
    return path


def nmea_file(sub: str) -> Ingest:
    """The shared NMEA file ``sub`` (gzip when it ends in ``.gz``) decoded, the source named by ``sub``."""
    path = need(sub)
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            data = handle.read()
    else:
        data = path.read_bytes()
    return parse_nmea(data.splitlines(), sub)


def csv_file(sub: str) -> Ingest:
    """The shared CSV file ``sub`` read, opened as the reader asks (``utf-8-sig``: the Ever Given file has a BOM)."""
    with need(sub).open(encoding="utf-8-sig", newline="") as handle:
        return parse_table(handle, sub)


@pytest.fixture(scope="session")
def mid_flags() -> dict[int, Flag]:
    """The ITU MID table (libais's transcription, Apache-2.0), parsed once: the ../shared copy, else the one bundled
    with Kompas (byte-identical)."""
    shared = SHARED_MARITIME / "registry" / "mid_maritime_identification_digits.csv"
    path = shared if shared.is_file() else MID_BUNDLED
    flags, rejections = parse_mid_table(read_text(path), str(path))
    assert not rejections, [str(r) for r in rejections]
    return flags
