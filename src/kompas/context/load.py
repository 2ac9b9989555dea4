"""The only I/O of :mod:`kompas.context`: reads the context data from ``../shared/data/early-warning`` (found by
:mod:`kompas.locate`) and the bundled Natural Earth boundaries, and hands the text (or, for the IPC workbook, the
cell rows) to the pure parsers.

The data is read from ``../shared`` only and never copied into Kompas: SIPRI's terms allow a fair-use extract, IPC's
and ND-GAIN's terms were not found, VIEWS states no licence (UCDP is CC BY 4.0). Every read function raises
:class:`ContextDataMissing` naming the folders it looked in when ``../shared`` (or the file) is absent. Results are
cached per process (the IPC workbook takes seconds to read): do not modify them.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kompas.context import countries, ucdp
from kompas.files import read_bytes, read_packaged, read_text
from kompas.locate import ENV, shared_data, where_looked
from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.context.ipc import IpcAnalysis
    from kompas.context.ndgain import NdGain
    from kompas.context.sipri import Sipri
    from kompas.context.watchlist import WatchlistInputs

SUB = "early-warning"  #: the folder under ``shared/data``
UCDP_FILE = "ucdp/UcdpPrioConflict_v24_1.csv"
SIPRI_COUNTRIES = "sipri/sipri_milex_countries_2014-2023.csv"
SIPRI_REGIONS = "sipri/sipri_milex_regions_2014-2023.csv"
NDGAIN_DIR = "ndgain"
IPC_FILE = "ipc/ipc_acute_food_insecurity_country_data_2017-2023.xlsx"
IPC_SHEET = "IPC"
VIEWS_COUNTRIES = "views/data/country_list.csv"
BOUNDARIES = "naturalearth/ne_50m_admin_0_countries.geojson"


class ContextDataMissing(FileNotFoundError):  # noqa: N818 (reads as the message it carries)
    """``../shared/data/early-warning`` or one of its files is absent; the message names where it was looked for."""


def context_folder() -> Path | None:
    """``../shared/data/early-warning``, or None (a clone without ``../shared``)."""
    return shared_data(SUB)


def _path(relative: str) -> Path:
    """``<context folder>/<relative>``; raises :class:`ContextDataMissing` naming the places looked in."""
    folder = context_folder()
    if folder is None:
        looked = ", ".join(str(p) for p in where_looked(SUB))
        raise ContextDataMissing(f"no ../shared/data/{SUB} folder (looked in: {looked}; set ${ENV} to the shared "
                                 f"folder): the context data is read from there only, never copied into Kompas")
    path = folder / relative
    if not path.exists():
        raise ContextDataMissing(f"{path}: no such file in the context folder {folder}")
    return path


def source_name(relative: str) -> str:
    """The name rejections and attributions give a file: ``early-warning/<relative>``."""
    return f"{SUB}/{relative}"


@lru_cache(maxsize=1)
def neighbour_table() -> dict[str, frozenset[str]]:
    """ISO3 -> land neighbours from the bundled Natural Earth 1:50m admin-0 polygons (public domain)."""
    return countries.neighbour_table(json.loads(read_packaged(BOUNDARIES)))


@lru_cache(maxsize=1)
def read_ucdp() -> tuple[list[ucdp.ConflictYear], list[Rejection]]:
    """The UCDP/PRIO conflict-years and the rejected rows."""
    return ucdp.parse_conflicts(read_text(_path(UCDP_FILE)), source_name(UCDP_FILE))


@lru_cache(maxsize=1)
def read_views_countries() -> list[tuple[int, str]]:
    """The VIEWS challenge's ``country_list.csv``: (country_id, name) rows in file order."""
    reader = csv.DictReader(io.StringIO(read_text(_path(VIEWS_COUNTRIES)).lstrip("\ufeff")))
    return [(int(r["country_id"]), r["name"]) for r in reader]


@lru_cache(maxsize=1)
def read_sipri() -> Sipri:
    """The SIPRI extract (countries and regions, 2014-2023)."""
    from kompas.context import sipri

    return sipri.parse(read_text(_path(SIPRI_COUNTRIES)), source_name(SIPRI_COUNTRIES),
                       read_text(_path(SIPRI_REGIONS)), source_name(SIPRI_REGIONS))


@lru_cache(maxsize=1)
def read_ndgain() -> NdGain:
    """ND-GAIN 2025: the index, vulnerability, readiness and their components (every CSV of the folder)."""
    from kompas.context import ndgain

    folder = _path(NDGAIN_DIR)
    texts: dict[str, tuple[str, str]] = {}
    for group in ("gain", "vulnerability", "readiness"):
        for path in sorted((folder / group).glob("*.csv")):
            relative = f"{NDGAIN_DIR}/{group}/{path.name}"
            texts[path.stem] = (read_text(path), source_name(relative))
    return ndgain.parse(texts)


@lru_cache(maxsize=1)
def read_ipc_rows() -> tuple[tuple[object, ...], ...]:
    """The cell values of sheet ``IPC`` of the workbook, row by row from row 1 (openpyxl, read-only)."""
    openpyxl = importlib.import_module("openpyxl")  # no type stubs: its objects are Any here
    path = _path(IPC_FILE)
    workbook = openpyxl.load_workbook(io.BytesIO(read_bytes(path)), read_only=True, data_only=True)
    try:
        if IPC_SHEET not in workbook.sheetnames:
            raise ContextDataMissing(f"{path}: no sheet {IPC_SHEET!r} (sheets: {', '.join(workbook.sheetnames)})")
        return tuple(tuple(row) for row in workbook[IPC_SHEET].iter_rows(values_only=True))
    finally:
        workbook.close()


@lru_cache(maxsize=1)
def read_ipc() -> tuple[list[IpcAnalysis], list[Rejection]]:
    """The IPC analyses (one per country summary row of sheet ``IPC``) and the rejected rows."""
    from kompas.context import ipc

    return ipc.parse_rows(read_ipc_rows(), source_name(IPC_FILE))


def watchlist_inputs() -> WatchlistInputs:
    """Everything :func:`kompas.context.watchlist.build` needs, read from ``../shared``."""
    from kompas.context.watchlist import WatchlistInputs

    conflicts, conflict_rejections = read_ucdp()
    analyses, ipc_rejections = read_ipc()
    return WatchlistInputs(ndgain=read_ndgain(), ipc=analyses, conflicts=conflicts,
                           rejections=[*conflict_rejections, *ipc_rejections, *read_ndgain().rejections])
