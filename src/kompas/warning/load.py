"""The only module of :mod:`kompas.warning` that reads files: the VIEWS 2023/24 challenge data in
``../shared/data/early-warning/views`` (Parquet, read with pyarrow) and, through helper C's :mod:`kompas.context`,
the context sources (UCDP/PRIO conflicts, ND-GAIN, IPC, land neighbours).

VIEWS data carries no licence found (PROVENANCE.md there), so it is read from ``../shared`` at run time only, never
copied into the repository. Whatever shows it cites :data:`CITATION`.

What is read once per process is cached (:func:`views_data`, :func:`context_data`); :func:`clear_cache` forgets it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from kompas.files import NoSuchPath, files_in, read_text
from kompas.locate import fallback_note, shared_data, where_looked
from kompas.rejections import Rejection
from kompas.warning.features import Dated, Forecast, Panel, merge_panels, panel_from_rows

SUB = "early-warning/views"  #: the folder under ../shared/data
CITATION = ("Forecast data: VIEWS 2023/24 prediction challenge (Hegre et al., \"The 2023/24 VIEWS Prediction "
            "Challenge: Predicting the Number of Fatalities in Armed Conflict, with Uncertainty\", arXiv 2407.11045); "
            "outcome ged_sb from UCDP GED (Davies, Pettersson & Öberg 2024; Sundberg & Melander 2013), CC BY 4.0. "
            "Benchmarks rebuilt by Kompas from the actuals.")
#: The challenge's four benchmarks: Kompas name -> the folder (and file stem) of the shipped submission.
SHIPPED = {"conflictology": "bm_conflictology", "poisson": "bm_last_historical_poisson", "bootstrap": "bm_boot_240",
           "zero": "bm_zero"}
METRICS = ("crps", "ign", "mis")


def views_folder() -> Path:
    """``../shared/data/early-warning/views``; raises :class:`kompas.files.NoSuchPath` naming every place looked
    in when it is absent (a clone without ../shared)."""
    found = shared_data(SUB)
    if found is None or not found.is_dir():
        raise NoSuchPath(fallback_note(SUB, "the VIEWS challenge data is read from ../shared only (no licence found "
                                            "to copy it)", where_looked(SUB)), SUB)
    return found


def _read_parquet(path: Path, columns: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named columns of a Parquet file as numpy arrays; raises ``ValueError`` naming the file and column when
    one is missing."""
    table = pq.read_table(path)
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise ValueError(f"{path}: no column {missing[0]!r} (has {', '.join(table.column_names)})")
    return {c: table.column(c).to_numpy(zero_copy_only=False) for c in columns}


def _window_of(path: Path) -> int:
    found = re.search(r"window=Y(\d{4})", str(path))
    return int(found.group(1)) if found else 0


def actual_files(folder: Path | None = None) -> dict[int, Path]:
    """The actuals file of each window present: ``{2018: .../window=Y2018/cm_actuals_2018.parquet, ...}``."""
    base = (folder or views_folder()) / "actuals" / "cm"
    out: dict[int, Path] = {}
    if not base.is_dir():
        raise NoSuchPath(f"{base}: no such folder (the VIEWS actuals)", base)
    for sub in sorted(base.glob("window=Y*")):
        files = files_in(sub, ".parquet")
        if files:
            out[_window_of(sub)] = files[0]
    return out


def read_actuals(folder: Path | None = None) -> tuple[Panel, list[Rejection]]:
    """Every shipped actuals file merged into one :class:`Panel` (Jan 2018 .. Apr 2024 in the shared copy), with a
    rejection per bad row (source = the file, item = its row)."""
    panels: list[Panel] = []
    rejected: list[Rejection] = []
    for _, path in sorted(actual_files(folder).items()):
        cols = _read_parquet(path, ("month_id", "country_id", "outcome"))
        panel, bad = panel_from_rows(cols["month_id"], cols["country_id"], cols["outcome"], str(path))
        panels.append(panel)
        rejected += bad
    return merge_panels(panels, "VIEWS cm actuals (ged_sb)"), rejected


def read_forecast(path: Path, model: str, window: int) -> Forecast:
    """A forecast in the challenge's long format (month_id, country_id, draw, outcome) as a :class:`Forecast`,
    cells ordered by month then country, draws by their ``draw`` number."""
    cols = _read_parquet(path, ("month_id", "country_id", "draw", "outcome"))
    month, country, draw = (cols[k].astype(np.int64) for k in ("month_id", "country_id", "draw"))
    outcome = cols["outcome"].astype(np.float64)
    order = np.lexsort((draw, country, month))
    month, country, draw, outcome = month[order], country[order], draw[order], outcome[order]
    keys = month * 100_000 + country
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    if len(set(sizes.tolist())) != 1:
        raise ValueError(f"{path}: cells have different numbers of draws ({sizes.min()}..{sizes.max()})")
    n = int(sizes[0])
    return Forecast(model, window, month[starts], country[starts], outcome.reshape(-1, n),
                    (f"read from {path}",))


def shipped_benchmark(model: str, window: int, folder: Path | None = None) -> Forecast:
    """The challenge's own draws of benchmark ``model`` (a key of :data:`SHIPPED`) for ``window`` (2018-2022 in
    the shared copy; 2023 is held out)."""
    base = (folder or views_folder()) / "submission" / SHIPPED[model] / "cm" / f"window=Y{window}"
    if not base.is_dir():
        raise NoSuchPath(f"{base}: no such folder (the shipped {SHIPPED[model]} forecast of window {window})", base)
    files = files_in(base, ".parquet")
    if not files:
        raise NoSuchPath(f"{base}: no .parquet file", base)
    return read_forecast(files[0], model, window)


def shipped_scores(model: str, window: int, metric: str, folder: Path | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The challenge evaluation file of ``model``/``window``/``metric``: (month_id, country_id, value) per cell."""
    path = ((folder or views_folder()) / "submission" / SHIPPED[model] / "eval" / "cm" / f"window=Y{window}"
            / f"metric={metric}" / f"{metric}.csv")
    rows = list(csv.DictReader(io.StringIO(read_text(path))))
    return (np.array([int(r["month_id"]) for r in rows], dtype=np.int64),
            np.array([int(r["country_id"]) for r in rows], dtype=np.int64),
            np.array([float(r["value"]) for r in rows], dtype=np.float64))


def read_countries(folder: Path | None = None) -> dict[int, str]:
    """VIEWS country_id -> name (``data/country_list.csv``)."""
    path = (folder or views_folder()) / "data" / "country_list.csv"
    return {int(r["country_id"]): r["name"] for r in csv.DictReader(io.StringIO(read_text(path)))}


@dataclass(frozen=True)
class ViewsData:
    """What one process reads once: the actuals panel, its rejections, the country names."""

    panel: Panel
    rejections: tuple[Rejection, ...]
    countries: dict[int, str]
    folder: Path


@lru_cache(maxsize=2)
def _views_data(folder: str) -> ViewsData:
    path = Path(folder)
    panel, rejected = read_actuals(path)
    return ViewsData(panel, tuple(rejected), read_countries(path), path)


def views_data(folder: Path | None = None) -> ViewsData:
    """The actuals and country names, read once per process (cached by folder)."""
    return _views_data(str(folder or views_folder()))


# --- context through helper C's kompas.context ----------------------------------------------------------------------


@dataclass(frozen=True)
class ContextData:
    """Context records as dated feature values per VIEWS country, the land neighbours, ISO3 codes, and what could
    not be used (a note per source)."""

    records: tuple[Dated, ...] = ()
    neighbours: dict[int, frozenset[int]] = field(default_factory=dict)
    iso3: dict[int, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _iso3_map(countries: dict[int, str]) -> tuple[dict[int, str], list[str]]:
    try:
        from kompas.context.countries import views_iso3
    except ImportError:
        return {}, ["kompas.context.countries is not available: no ISO3 codes for VIEWS countries"]
    out = {cid: views_iso3(cid, name) for cid, name in countries.items()}
    missing = [countries[c] for c, code in out.items() if not code]
    return {c: code for c, code in out.items() if code}, ([f"no ISO3 code for {', '.join(missing)}"] if missing else [])


def _neighbours(iso3: dict[int, str]) -> tuple[dict[int, frozenset[int]], list[str]]:
    try:
        from kompas.context.countries import neighbours
    except ImportError:
        return {}, ["kompas.context.countries.neighbours is not available: no neighbour features"]
    back = {code: cid for cid, code in iso3.items()}
    try:
        return {cid: frozenset(back[n] for n in neighbours(code) if n in back) for cid, code in iso3.items()}, []
    except (OSError, ValueError) as error:
        return {}, [f"land neighbours unavailable: {error}"]


UCDP_FIRST_YEAR = 1946  #: first year of the UCDP/PRIO conflict data
SINCE_CAP_YEARS = 50  #: ucdp_years_since is capped here (no conflict since 1946)


def ucdp_records(conflicts: Sequence[Any], back: dict[str, int]) -> list[Dated]:
    """One record per VIEWS country and UCDP year (1946 .. the data's last year), known from the year's release
    (:func:`kompas.context.releases.released`: 1 July of the next year): ``ucdp_active`` (a party or location of a
    state-based conflict, 0/1), ``ucdp_located`` (conflicts on its territory), ``ucdp_intensity`` (highest
    intensity of its conflicts, 0-2), ``ucdp_war_located`` (0/1),
    ``ucdp_active_10y`` (years active among the last 10 up to that year) and ``ucdp_years_since`` (years since it
    was last active, up to that year; :data:`SINCE_CAP_YEARS` when never since 1946). Each record uses only the
    years up to its own."""
    from kompas.context import ucdp
    from kompas.context.releases import released

    table = ucdp.active_by_country(conflicts)
    last = max((year for _, year in table), default=UCDP_FIRST_YEAR - 1)
    out: list[Dated] = []
    for code, cid in sorted(back.items()):
        since, window = SINCE_CAP_YEARS, [0.0] * 10
        for year in range(UCDP_FIRST_YEAR, last + 1):
            entry = table.get((code, year))
            active = 1.0 if entry is not None else 0.0
            since = 0 if active else min(SINCE_CAP_YEARS, since + 1)
            window = window[1:] + [active]
            day = released("ucdp", year)
            values = {"ucdp_active": active, "ucdp_active_10y": sum(window), "ucdp_years_since": float(since),
                      "ucdp_located": float(len(entry.located)) if entry else 0.0,
                      "ucdp_intensity": float(entry.max_intensity) if entry else 0.0,
                      "ucdp_war_located": float(entry.war_located) if entry else 0.0}
            out += [Dated(cid, name, day, value, year, "UCDP/PRIO") for name, value in values.items()]
    return out


def ndgain_records(nd: Any, back: dict[str, int]) -> list[Dated]:  # noqa: ANN401 (kompas.context.ndgain.NdGain)
    """ND-GAIN ``vulnerability`` and ``readiness`` (0-1) per VIEWS country and year ``y``, known from the year's
    release (:func:`kompas.context.releases.released`: 1 January of ``y + 2``; the 2025 release ends with 2023)."""
    from kompas.context.releases import released

    out: list[Dated] = []
    for index in ("vulnerability", "readiness"):
        for (code, year), value in sorted(nd.indices.get(index, {}).items()):
            if code in back and value is not None and np.isfinite(value):
                out.append(Dated(back[code], f"ndgain_{index}", released("ndgain", int(year)), float(value),
                                 int(year), "ND-GAIN"))
    return out


def ipc_records(analyses: Sequence[Any], back: dict[str, int]) -> list[Dated]:
    """IPC ``ipc_phase3_share`` (share of the population analysed in phase 3 or worse, the current period or,
    for a projection update, the first projection) per VIEWS country, known from its analysis date
    (:func:`kompas.context.releases.released`)."""
    from kompas.context.releases import released

    out: list[Dated] = []
    for a in analyses:
        headline = a.headline()
        if a.iso3 in back and a.analysis_date is not None and headline is not None \
                and headline.phase3plus_share is not None:
            out.append(Dated(back[a.iso3], "ipc_phase3_share", released("ipc", a.analysis_date),
                             float(headline.phase3plus_share), a.analysis_date.year, "IPC"))
    return out


def context_records(iso3: dict[int, str]) -> tuple[list[Dated], list[str], list[str]]:
    """UCDP conflict status, ND-GAIN and IPC as :class:`Dated` records (each dated by its source's release,
    :func:`kompas.context.releases.released`; all are later releases with revised values, see that module), the
    notes on what could not be read, and the sources' citations."""
    records: list[Dated] = []
    notes: list[str] = []
    cites: list[str] = []
    back = {code: cid for cid, code in iso3.items()}
    try:
        from kompas.context import ipc, ndgain, ucdp
        from kompas.context import load as context_load
    except ImportError as error:
        return [], [f"kompas.context is not available ({error}): conflict-history features only"], []
    readers: list[tuple[str, Any, str]] = [
        ("UCDP/PRIO conflict status", lambda: ucdp_records(context_load.read_ucdp()[0], back), ucdp.CITATION),
        ("ND-GAIN", lambda: ndgain_records(context_load.read_ndgain(), back), ndgain.CITATION),
        ("IPC", lambda: ipc_records(context_load.read_ipc()[0], back), ipc.CITATION)]
    for label, read, citation in readers:
        try:
            found = read()
        except (OSError, ValueError) as error:
            notes.append(f"{label} unavailable: {error}")
            continue
        records += found
        cites.append(citation)
    return records, notes, cites


@lru_cache(maxsize=1)
def _context_data(folder: str) -> ContextData:
    countries = views_data(Path(folder)).countries
    iso3, notes = _iso3_map(countries)
    neighbours, more = _neighbours(iso3) if iso3 else ({}, [])
    records, notes2, cites = context_records(iso3) if iso3 else ([], [], [])
    return ContextData(tuple(records), neighbours, iso3, tuple(notes + more + notes2), tuple(cites))


def context_data(folder: Path | None = None) -> ContextData:
    """Context records, neighbours and ISO3 codes for the VIEWS countries, read once per process; without helper
    C's :mod:`kompas.context` (or its data) it is empty and ``notes`` says why."""
    return _context_data(str(folder or views_folder()))


@lru_cache(maxsize=4)
def _views_iso3(folder: str) -> dict[int, str]:
    return _iso3_map(views_data(Path(folder)).countries)[0]


def views_iso3(folder: Path | None = None) -> dict[int, str]:
    """The ISO3 code of each VIEWS country id (the crosswalk alone: cheap, unlike :func:`context_data`, which also
    reads the context sources and the IPC workbook)."""
    return _views_iso3(str(folder or views_folder()))


def clear_cache() -> None:
    """Forget what was read (tests, or after ../shared changed)."""
    _views_data.cache_clear()
    _context_data.cache_clear()
    _views_iso3.cache_clear()
