"""The data forecasts rest on, the cut-off every model is held to, and the features of the Kompas model (pure).

Shapes:

- :class:`Panel`: observed state-based conflict fatalities (UCDP GED ``best``, the VIEWS ``ged_sb``) as a matrix
  countries (VIEWS ``country_id``) x consecutive months (VIEWS ``month_id``: 1 = January 1980), NaN where nothing
  was observed. Built from rows by :func:`panel_from_rows`, which reports every bad row.
- :class:`Forecast`: samples (draws) of fatalities per country-month, the form the challenge scores.
- :class:`Dated`: one value a context source gives about a country (UCDP conflict status, ND-GAIN, IPC), with the
  date it counts as known: its release (:data:`DATING`, from :func:`kompas.context.releases.released`: ND-GAIN year
  ``y`` on 1 January ``y + 2``, UCDP year ``y`` on 1 July ``y + 1``, IPC on its analysis date). The files are later
  releases with revised values (a vintage problem the cut-off cannot fix: see :mod:`kompas.context.releases`).

The cut-off rule (VIEWS): a forecast of window ``Y`` (the 12 months of year ``Y``) may use only what was known on
31 October of ``Y - 1`` (:func:`cutoff_date`), the last month of data being October ``Y - 1`` (:func:`cutoff_month`).
It is enforced by construction: :func:`restrict` is the only way to make a :class:`Restricted` (whose constructor
refuses anything dated after its cut-off), and the feature builder and the models take only a :class:`Restricted`.
Inside the training data the same rule holds for every origin month: the features of origin ``o`` are computed from
the panel up to ``o`` and from the records known by the end of ``o`` (:func:`features_at`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kompas.context.releases import RULES
from kompas.rejections import Rejection

EPOCH_YEAR = 1980  #: VIEWS month_id 1 is January of this year
LEADS = tuple(range(3, 15))  #: months ahead of the cut-off month that a window covers (Jan..Dec of Y = 3..14)
#: How each context source is dated: a value counts as known from its release (one rule per source, shared with the
#: watchlist: :mod:`kompas.context.releases`; all sources are later releases with revised values, see there).
DATING = dict(RULES)


# --- months --------------------------------------------------------------------------------------------------------


def month_id(year: int, month: int) -> int:
    """The VIEWS month_id of ``month`` (1-12) of ``year`` (1 = January 1980)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return (year - EPOCH_YEAR) * 12 + month


def month_of(month: int) -> tuple[int, int]:
    """``(year, month)`` of a VIEWS month_id."""
    return EPOCH_YEAR + (month - 1) // 12, (month - 1) % 12 + 1


def month_label(month: int) -> str:
    """``2019-10`` for a VIEWS month_id."""
    year, m = month_of(month)
    return f"{year:04d}-{m:02d}"


def month_end(month: int) -> date:
    """The last day of a VIEWS month_id."""
    year, m = month_of(month)
    return date(year, m, calendar.monthrange(year, m)[1])


def last_month_by(day: date) -> int:
    """The last VIEWS month wholly over by ``day`` (its last day on or before ``day``)."""
    month = month_id(day.year, day.month)
    return month if month_end(month) <= day else month - 1


def window_months(window: int) -> NDArray[np.int64]:
    """The 12 month_ids of window ``window`` (January..December of that year)."""
    return np.arange(month_id(window, 1), month_id(window, 12) + 1, dtype=np.int64)


def cutoff_date(window: int) -> date:
    """The last day whose data a forecast of ``window`` may use: 31 October of the year before."""
    return date(window - 1, 10, 31)


def cutoff_month(window: int) -> int:
    """The last month of data for ``window``: October of the year before (month_id)."""
    return month_id(window - 1, 10)


# --- the panel of observed fatalities -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """Observed fatalities: ``values[i, j]`` for country ``countries[i]`` in month ``first_month + j`` (NaN: not
    observed). Countries are sorted VIEWS country_ids."""

    countries: NDArray[np.int64]
    first_month: int
    values: NDArray[np.float64]
    source: str = ""

    def __post_init__(self) -> None:
        if self.values.ndim != 2 or self.values.shape[0] != len(self.countries):
            raise ValueError(f"values must be (countries, months); got {self.values.shape} for "
                             f"{len(self.countries)} countries")
        if len(self.countries) and not np.all(np.diff(self.countries) > 0):
            raise ValueError("countries must be sorted and unique")

    @property
    def last_month(self) -> int:
        """The panel's last month_id (``first_month - 1`` when it holds no month)."""
        return self.first_month + self.values.shape[1] - 1

    @property
    def months(self) -> NDArray[np.int64]:
        return np.arange(self.first_month, self.last_month + 1, dtype=np.int64)

    def column(self, month: int) -> NDArray[np.float64]:
        """Fatalities of every country in ``month`` (NaN outside the panel or not observed)."""
        j = month - self.first_month
        if 0 <= j < self.values.shape[1]:
            return self.values[:, j].copy()
        return np.full(len(self.countries), np.nan)

    def block(self, start: int, end: int) -> NDArray[np.float64]:
        """Values for months ``start..end`` (inclusive), (countries, end - start + 1), NaN outside the panel."""
        out = np.full((len(self.countries), end - start + 1), np.nan)
        lo, hi = max(start, self.first_month), min(end, self.last_month)
        if lo <= hi:
            out[:, lo - start:hi - start + 1] = self.values[:, lo - self.first_month:hi - self.first_month + 1]
        return out

    def until(self, month: int) -> Panel:
        """The panel without any month after ``month`` (the cut-off filter of the monthly history)."""
        keep = max(0, min(self.values.shape[1], month - self.first_month + 1))
        return Panel(self.countries, self.first_month, self.values[:, :keep].copy(), self.source)

    def observed(self, months: Iterable[int]) -> bool:
        """True when every country is observed in every one of ``months``."""
        return all(np.isfinite(self.column(m)).all() for m in months)

    def missing(self, months: Iterable[int]) -> list[int]:
        """The months among ``months`` in which some country is not observed."""
        return [m for m in months if not np.isfinite(self.column(m)).all()]

    def cells(self, months: Sequence[int]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """Long form of ``months``: (month_id, country_id, fatalities), ordered by month then country."""
        block = self.block(min(months), max(months))[:, [m - min(months) for m in months]]
        month_ids = np.repeat(np.asarray(months, dtype=np.int64), len(self.countries))
        country_ids = np.tile(self.countries, len(months))
        return month_ids, country_ids, block.T.reshape(-1).copy()


def panel_from_rows(month_ids: ArrayLike, country_ids: ArrayLike, outcomes: ArrayLike,
                    source: str, row_offset: int = 0) -> tuple[Panel, list[Rejection]]:
    """A :class:`Panel` from long rows (month_id, country_id, fatalities), and one rejection per bad row (row
    numbers 1-based, plus ``row_offset``): a value that is missing, negative, not whole or not finite, an id below 1,
    or a country-month given twice with different values. Good rows all go in."""
    months = np.asarray(month_ids, dtype=np.float64)
    countries = np.asarray(country_ids, dtype=np.float64)
    values = np.asarray(outcomes, dtype=np.float64)
    if not months.shape == countries.shape == values.shape:
        raise ValueError(f"{source}: month_id, country_id and outcome differ in length")
    rejected: list[Rejection] = []
    good = np.ones(len(values), dtype=bool)
    for name, column in (("month_id", months), ("country_id", countries)):
        bad = ~np.isfinite(column) | (column < 1) | (column != np.round(column))
        for i in np.flatnonzero(bad & good):
            rejected.append(Rejection(source, row_offset + int(i) + 1, name, f"not a positive whole id: {column[i]}",
                                      str(column[i]), "item"))
        good &= ~bad
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
    for i in np.flatnonzero(bad & good):
        rejected.append(Rejection(source, row_offset + int(i) + 1, "outcome",
                                  f"fatalities must be a whole number >= 0, got {values[i]}", str(values[i]), "item"))
    good &= ~bad
    idx = np.flatnonzero(good)
    if len(idx) == 0:
        return Panel(np.zeros(0, dtype=np.int64), 1, np.zeros((0, 0))), rejected
    m, c, v = months[idx].astype(np.int64), countries[idx].astype(np.int64), values[idx]
    ids = np.unique(c)
    first = int(m.min())
    grid = np.full((len(ids), int(m.max()) - first + 1), np.nan)
    rows, cols = np.searchsorted(ids, c), m - first
    for k in range(len(idx)):  # in row order, so that a repeated cell is reported at its second row
        old = grid[rows[k], cols[k]]
        if np.isnan(old):
            grid[rows[k], cols[k]] = v[k]
        elif old != v[k]:
            rejected.append(Rejection(source, row_offset + int(idx[k]) + 1, "outcome",
                                      f"country {c[k]} month {m[k]} given twice ({old:g} and {v[k]:g}); the first kept",
                                      str(v[k]), "item"))
    return Panel(ids, first, grid, source), rejected


def merge_panels(panels: Sequence[Panel], source: str = "") -> Panel:
    """One panel holding every month of ``panels`` (later panels fill only what earlier ones left NaN)."""
    panels = [p for p in panels if p.values.size]
    if not panels:
        return Panel(np.zeros(0, dtype=np.int64), 1, np.zeros((0, 0)), source)
    ids = np.unique(np.concatenate([p.countries for p in panels]))
    first, last = min(p.first_month for p in panels), max(p.last_month for p in panels)
    grid = np.full((len(ids), last - first + 1), np.nan)
    for p in panels:
        rows = np.searchsorted(ids, p.countries)
        part = grid[rows, p.first_month - first:p.last_month - first + 1]
        grid[rows, p.first_month - first:p.last_month - first + 1] = np.where(np.isnan(part), p.values, part)
    return Panel(ids, first, grid, source or "; ".join(dict.fromkeys(p.source for p in panels if p.source)))


# --- forecasts ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """Samples of fatalities per country-month: row ``k`` is country ``country_id[k]`` in month ``month_id[k]``,
    ``samples[k]`` its draws in the order submitted (the order matters to the challenge's IGN resampling)."""

    model: str
    window: int
    month_id: NDArray[np.int64]
    country_id: NDArray[np.int64]
    samples: NDArray[Any]  #: fatalities; float64 as built, a smaller exact dtype after :meth:`compact`
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.month_id)
        if len(self.country_id) != n or self.samples.ndim != 2 or self.samples.shape[0] != n:
            raise ValueError(f"{self.model}: month_id, country_id and samples (cells, draws) do not match")

    def compact(self) -> Forecast:
        """The same forecast with its samples in the smallest dtype that holds every one exactly: uint8, uint16,
        int32 for whole counts (deaths are counted: 1 to 4 bytes a draw instead of 8), float32 when that round-trips,
        else unchanged. Scores and probabilities are identical (:meth:`aligned` gives float64 back)."""
        values = self.samples
        if values.dtype != np.float64 or not values.size:
            return self
        finite = bool(np.isfinite(values).all())
        if finite and bool((values == np.round(values)).all()):
            low, high = float(values.min()), float(values.max())
            for kind in (np.uint8, np.uint16, np.int32):
                info = np.iinfo(kind)
                if info.min <= low and high <= info.max:
                    return replace(self, samples=values.astype(kind))
        narrow = values.astype(np.float32)
        if np.array_equal(narrow.astype(np.float64), values, equal_nan=True):
            return replace(self, samples=narrow)
        return self

    @property
    def draws(self) -> int:
        return int(self.samples.shape[1])

    def keys(self) -> NDArray[np.int64]:
        """One integer per cell, ordered as month then country (month_id * 100000 + country_id)."""
        return self.month_id.astype(np.int64) * 100_000 + self.country_id.astype(np.int64)

    def aligned(self, month_ids: ArrayLike, country_ids: ArrayLike) -> NDArray[np.float64]:
        """The samples of the cells ``(month_ids[k], country_ids[k])`` in that order; raises ``KeyError`` naming the
        first cells the forecast lacks."""
        want = np.asarray(month_ids, dtype=np.int64) * 100_000 + np.asarray(country_ids, dtype=np.int64)
        have = self.keys()
        order = np.argsort(have, kind="stable")
        pos = np.searchsorted(have[order], want)
        pos = np.minimum(pos, len(have) - 1) if len(have) else pos
        ok = (have[order][pos] == want) if len(have) else np.zeros(len(want), dtype=bool)
        if not ok.all():
            lacking = [f"country {int(k % 100_000)} in {month_label(int(k // 100_000))}" for k in want[~ok][:5]]
            raise KeyError(f"{self.model} {self.window}: no forecast for {(~ok).sum()} cells, e.g. "
                           + ", ".join(lacking))
        return np.asarray(self.samples[order[pos]], dtype=np.float64)

    def mean(self) -> NDArray[np.float64]:
        """The mean of each cell's samples (fatalities)."""
        return np.asarray(self.samples.mean(axis=1), dtype=np.float64)

    def prob_at_least(self, threshold: float) -> NDArray[np.float64]:
        """The share of each cell's samples at or above ``threshold`` fatalities."""
        return np.asarray((self.samples >= threshold).mean(axis=1), dtype=np.float64)


# --- context records and the cut-off --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """One value a context source gives about a country: feature ``name`` (``ucdp_active``, ``ucdp_intensity``,
    ``ndgain_vulnerability``, ``ipc_phase3_share``...), for VIEWS ``country_id``, known from ``known`` (UTC date,
    :data:`DATING`), about period ``period`` (the UCDP or ND-GAIN year, the IPC analysis year)."""

    country_id: int
    name: str
    known: date
    value: float
    period: int = 0
    source: str = ""


@dataclass(frozen=True)
class Restricted:
    """Everything a model may read for one window: the panel up to the cut-off month and the records known on the
    cut-off date. Made by :func:`restrict`; the constructor refuses any month or record after ``cutoff``."""

    cutoff: date
    panel: Panel
    records: tuple[Dated, ...] = ()
    neighbours: Mapping[int, frozenset[int]] = field(default_factory=dict)
    dropped: Mapping[str, int] = field(default_factory=dict)
    _tables: dict[tuple[str, ...], ContextTable] = field(default_factory=dict, compare=False, repr=False)

    def table(self, names: Sequence[str]) -> ContextTable:
        """The records indexed for ``names`` (built once per set of names)."""
        key = tuple(names)
        if key not in self._tables:
            self._tables[key] = context_table(self.panel.countries, self.records, key)
        return self._tables[key]

    def __post_init__(self) -> None:
        if self.panel.values.shape[1] and month_end(self.panel.last_month) > self.cutoff:
            raise ValueError(f"the panel reaches {month_label(self.panel.last_month)}, after the cut-off "
                             f"{self.cutoff.isoformat()}: use restrict()")
        late = [r for r in self.records if r.known > self.cutoff]
        if late:
            raise ValueError(f"{len(late)} records known after the cut-off {self.cutoff.isoformat()}, e.g. "
                             f"{late[0].name} of country {late[0].country_id} known {late[0].known.isoformat()}: "
                             "use restrict()")


def restrict(panel: Panel, records: Iterable[Dated], cutoff: date,
             neighbours: Mapping[int, frozenset[int]] | None = None) -> Restricted:
    """The data a model may read on ``cutoff``: the months of ``panel`` that ended on or before it and the
    ``records`` known on or before it; ``dropped`` counts what was left out (``months`` of the panel, records by
    name). This is the one filter every source passes through."""
    last = last_month_by(cutoff)
    kept: list[Dated] = []
    dropped: dict[str, int] = {"months": max(0, panel.last_month - max(last, panel.first_month - 1))}
    for record in records:
        if record.known <= cutoff:
            kept.append(record)
        else:
            dropped[record.name] = dropped.get(record.name, 0) + 1
    return Restricted(cutoff, panel.until(last), tuple(kept), dict(neighbours or {}), dropped)


# --- features -------------------------------------------------------------------------------------------------------

#: Names of the conflict-history features (per country, at an origin month), in column order.
HISTORY_FEATURES = ("log_fat_0", "log_fat_1", "log_fat_2", "log_mean_3", "log_mean_6", "log_mean_12", "log_mean_24",
                    "log_max_12", "share_active_12", "months_since_fat", "history_months", "nb_log_mean_3",
                    "nb_log_mean_12", "nb_active_3", "nb_count")
TIMING_FEATURES = ("lead", "target_month")
SINCE_CAP = 36  #: months_since_fat is capped here (and set to it when no fatality is in the history)


def _nanmean_log(block: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row means of log1p(block) over the observed cells (NaN when none)."""
    logs = np.log1p(block)
    count = np.isfinite(logs).sum(axis=1)
    total = np.where(np.isfinite(logs), logs, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def history_features(panel: Panel, origin: int, neighbours: Mapping[int, frozenset[int]]) -> NDArray[np.float64]:
    """The :data:`HISTORY_FEATURES` of every country of ``panel`` at month ``origin`` (countries, features), from
    the months up to ``origin`` only (later months are not looked at)."""
    seen = panel.until(origin)
    lag = seen.block(origin - 23, origin)  # the last 24 months, oldest first
    logs = np.log1p(lag)
    out = np.full((len(panel.countries), len(HISTORY_FEATURES)), np.nan)
    out[:, 0], out[:, 1], out[:, 2] = logs[:, -1], logs[:, -2], logs[:, -3]
    for k, width in enumerate((3, 6, 12, 24)):
        out[:, 3 + k] = _nanmean_log(lag[:, -width:])
    last12 = lag[:, -12:]
    with np.errstate(invalid="ignore"):
        finite12 = np.isfinite(last12).any(axis=1)
        out[:, 7] = np.where(finite12, np.log1p(np.nanmax(np.where(np.isfinite(last12), last12, -1.0), axis=1)),
                             np.nan)
        out[:, 8] = np.where(finite12, (last12 > 0).sum(axis=1) / np.maximum(np.isfinite(last12).sum(axis=1), 1),
                             np.nan)
    full = seen.block(origin - SINCE_CAP + 1, origin)
    active = np.where(np.isfinite(full), full > 0, False)
    out[:, 9] = np.where(active.any(axis=1), np.argmax(active[:, ::-1], axis=1), SINCE_CAP)  # 0: active at origin
    out[:, 10] = np.isfinite(full).sum(axis=1)
    index = {int(c): i for i, c in enumerate(panel.countries)}
    for i, country in enumerate(panel.countries):
        rows = [index[n] for n in neighbours.get(int(country), frozenset()) if n in index]
        out[i, 14] = len(rows)
        if rows:
            out[i, 11] = float(np.nansum(out[rows, 3])) if np.isfinite(out[rows, 3]).any() else np.nan
            out[i, 12] = float(np.nansum(out[rows, 5])) if np.isfinite(out[rows, 5]).any() else np.nan
            out[i, 13] = float((np.nan_to_num(out[rows, 3]) > 0).sum())
        else:
            out[i, 11:14] = 0.0
    return out


def context_names(records: Iterable[Dated]) -> tuple[str, ...]:
    """The context feature names present in ``records``, sorted (each becomes a column)."""
    return tuple(sorted({r.name for r in records}))


@dataclass(frozen=True)
class ContextTable:
    """Context records indexed for fast look-ups: row (country index), column (name index), known (date ordinal)
    and value, sorted by row, column, period and known date (so the last of a group known on a day is the
    latest)."""

    names: tuple[str, ...]
    countries: int
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    known: NDArray[np.int64]
    values: NDArray[np.float64]


def context_table(countries: NDArray[np.int64], records: Sequence[Dated], names: Sequence[str]) -> ContextTable:
    """The :class:`ContextTable` of the ``records`` about ``countries`` named in ``names``."""
    index = {int(c): i for i, c in enumerate(countries)}
    column = {n: j for j, n in enumerate(names)}
    kept = [r for r in records if r.name in column and r.country_id in index]
    rows = np.array([index[r.country_id] for r in kept], dtype=np.int64)
    cols = np.array([column[r.name] for r in kept], dtype=np.int64)
    period = np.array([r.period for r in kept], dtype=np.int64)
    known = np.array([r.known.toordinal() for r in kept], dtype=np.int64)
    values = np.array([r.value for r in kept], dtype=np.float64)
    order = np.lexsort((known, period, cols, rows))
    return ContextTable(tuple(names), len(countries), rows[order], cols[order], known[order], values[order])


def context_at(table: ContextTable, day: date) -> NDArray[np.float64]:
    """For each country and name of ``table``: the latest value known on ``day`` (latest ``period``, then latest
    ``known``), NaN when none is known yet; (countries, names)."""
    out = np.full((table.countries, len(table.names)), np.nan)
    mask = table.known <= day.toordinal()
    rows, cols, values = table.rows[mask], table.cols[mask], table.values[mask]
    if len(rows):
        key = rows * max(1, len(table.names)) + cols
        last = np.r_[key[1:] != key[:-1], True]  # the last record of each (country, name) group
        out[rows[last], cols[last]] = values[last]
    return out


def context_features(countries: NDArray[np.int64], records: Sequence[Dated], names: Sequence[str],
                     day: date) -> NDArray[np.float64]:
    """:func:`context_at` of the records about ``countries`` (countries, names)."""
    return context_at(context_table(countries, records, names), day)


def features_at(data: Restricted, origin: int, names: Sequence[str]) -> NDArray[np.float64]:
    """History and context features of every country at month ``origin`` (countries, history + context), from
    the months up to ``origin`` and the records known by the end of ``origin`` (and never after the cut-off)."""
    day = min(month_end(origin), data.cutoff)
    history = history_features(data.panel, origin, data.neighbours)
    return np.hstack([history, context_at(data.table(names), day)])


def feature_names(names: Sequence[str]) -> tuple[str, ...]:
    """Column names of :func:`design` rows."""
    return HISTORY_FEATURES + tuple(names) + TIMING_FEATURES


def design(data: Restricted, origin: int, lead: int, names: Sequence[str]) -> NDArray[np.float64]:
    """The model's input rows for every country: features at ``origin`` plus the lead (months) and the target's
    calendar month (1-12)."""
    base = features_at(data, origin, names)
    timing = np.tile([float(lead), float(month_of(origin + lead)[1])], (base.shape[0], 1))
    return np.hstack([base, timing])


def training_set(data: Restricted, names: Sequence[str], leads: Sequence[int] = LEADS,
                 min_history: int = 1) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(X, y): for every origin month ``o`` of the panel with at least ``min_history`` months up to it and every
    lead ``s`` with ``o + s`` inside the panel (so on or before the cut-off), the :func:`design` rows at ``o`` and
    the fatalities observed at ``o + s`` (rows whose target is not observed are left out)."""
    panel = data.panel
    xs: list[NDArray[np.float64]] = []
    ys: list[NDArray[np.float64]] = []
    for origin in range(panel.first_month + min_history - 1, panel.last_month + 1):
        base = features_at(data, origin, names)
        for lead in leads:
            target = origin + lead
            if target > panel.last_month:
                break
            y = panel.column(target)
            keep = np.isfinite(y)
            timing = np.tile([float(lead), float(month_of(target)[1])], (int(keep.sum()), 1))
            xs.append(np.hstack([base[keep], timing]))
            ys.append(y[keep])
    if not xs:
        width = len(HISTORY_FEATURES) + len(names) + len(TIMING_FEATURES)
        return np.zeros((0, width)), np.zeros(0)
    return np.vstack(xs), np.concatenate(ys)
