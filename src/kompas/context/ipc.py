"""IPC acute food insecurity: the country summaries of IPC's "Acute Food Insecurity Country Data" workbook
(sheet ``IPC``, analyses 2017-2023, created 7.3.2023).

Layout (1-based rows): title rows, then in row 10 the period groups (``Current``, ``First Projection``, ``Second
Projection``), in row 11 the measures (``Population Analysed``, ``Phase 1`` ... ``Phase 5``, ``Phase P3+``) and in
row 12 the column header (``Country, Level 1 Name, Area, Area ID, Analysis Name, Date of Analysis, Country
Population``, then per period ``#``, ``%``, ``Area Phase``, ``Analysis Period`` and a ``#``/``%`` pair per
phase). The columns of each period are located from rows 11-12, not assumed.

Below, each analysis starts with a **country summary row** whose first cell is ``"<Country>: <Analysis name>"``
(``"Somalia: Acute Food Insecurity November 2022"``) followed by its area rows (first cell the country's name).
:func:`parse_rows` returns one :class:`IpcAnalysis` per summary row; area rows are not read (the country totals
are IPC's own). Two rows at the foot also have the ``"X: ..."`` form but are notes, not analyses: ``Disclaimer:
...`` and ``Source: Integrated Food Security Phase Classification``; they are recognised by those words
(:data:`FOOTNOTES`) and returned by :func:`footnotes`. (The PROVENANCE count of "215 analysis rows in 34
countries, undated 2" counts them: 213 analyses, 32 countries or regions, and the 2 undated rows are these notes.)

``LAC Region (tri-National)`` is the Trifinio region (El Salvador, Guatemala, Honduras): an analysis with ISO3
``""`` and its members in :data:`REGIONS`.

Shares are IPC's own ``%`` columns (of the population analysed, two decimals in the workbook); phase 3+ = Crisis or
worse. Terms: IPC's terms were not verified, so the workbook is read from ``../shared`` only; cite :data:`CITATION`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kompas.context.countries import iso3 as to_iso3
from kompas.rejections import Rejection

CITATION = ("IPC – Integrated Food Security Phase Classification, Acute Food Insecurity Country Data 2017-2023 "
            "(https://www.ipcinfo.org).")
FOOTNOTES = ("Disclaimer", "Source")
#: Multi-country analyses: name -> member ISO3 codes.
REGIONS: dict[str, tuple[str, ...]] = {"LAC Region (tri-National)": ("SLV", "GTM", "HND")}
PERIODS = ("current", "first projection", "second projection")
_GROUPS = {"current": "current", "first projection": "first projection", "second projection": "second projection"}
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_MONTH_YEAR = re.compile(r"^\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\s*$")


@dataclass(frozen=True, slots=True)
class IpcPeriod:
    """The figures of one period of an analysis (current, first or second projection)."""

    label: str  #: "current" | "first projection" | "second projection"
    text: str  #: as written: "Sep 2022 - Oct 2022"
    start: date  #: first day of the first month
    end: date  #: first day of the last month
    population_analysed: int | None
    phases: tuple[int | None, ...]  #: people in phases 1..5
    phase3plus: int | None  #: people in phase 3 (Crisis) or worse
    phase3plus_share: float | None  #: IPC's share of the population analysed (fraction, two decimals)

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "period": self.text, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "population_analysed": self.population_analysed,
                "phases": list(self.phases), "phase3plus": self.phase3plus,
                "phase3plus_share": self.phase3plus_share}


@dataclass(frozen=True, slots=True)
class IpcAnalysis:
    """One IPC analysis of one country (its summary row)."""

    country: str  #: as written in the workbook
    iso3: str  #: "" for a multi-country region (:data:`REGIONS`)
    name: str  #: the analysis name ("Acute Food Insecurity November 2022")
    analysis_date: date | None  #: the first of the month of "Date of Analysis" (None: undated)
    country_population: int | None
    periods: tuple[IpcPeriod, ...] = field(default_factory=tuple)
    row: int = 0  #: 1-based row of the sheet

    @property
    def year(self) -> int | None:
        return self.analysis_date.year if self.analysis_date else None

    def period(self, label: str) -> IpcPeriod | None:
        return next((p for p in self.periods if p.label == label), None)

    @property
    def current(self) -> IpcPeriod | None:
        return self.period("current")

    @property
    def projection(self) -> IpcPeriod | None:
        return self.period("first projection")

    def headline(self) -> IpcPeriod | None:
        """The current period, or (a projection update, which has none) the first projection."""
        return self.current or self.projection

    def as_dict(self) -> dict[str, object]:
        return {"country": self.country, "iso3": self.iso3, "name": self.name,
                "analysis_date": self.analysis_date.isoformat() if self.analysis_date else None,
                "country_population": self.country_population, "periods": [p.as_dict() for p in self.periods],
                "row": self.row}


@dataclass(frozen=True, slots=True)
class _Block:
    label: str
    population: int  #: column of the population analysed (#)
    period: int  #: column of "Analysis Period"
    phases: tuple[int, ...]  #: columns of the phase 1..5 numbers
    p3: int  #: column of the phase 3+ number (the share is the next column)


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _month(text: str) -> date | None:
    match = _MONTH_YEAR.match(text)
    if not match or match.group(1).lower() not in _MONTHS:
        return None
    return date(int(match.group(2)), _MONTHS[match.group(1).lower()], 1)


def _layout(measures: Sequence[object], header: Sequence[object]) -> list[_Block] | str:
    """The period blocks from row 11 (measures) and row 12 (header), or a reason they cannot be found."""
    labels = [_text(c) for c in measures]
    columns = [_text(c) for c in header]
    starts = [i for i, label in enumerate(labels) if label == "Population Analysed"]
    if not 1 <= len(starts) <= 3:
        return f"{len(starts)} 'Population Analysed' groups in the row above the header (1 to 3 expected)"
    blocks: list[_Block] = []
    for label, start in zip(PERIODS, starts, strict=False):
        end = next((s for s in starts if s > start), len(labels))
        where = {labels[i]: i for i in range(start, end) if labels[i]}
        phases = tuple(where.get(f"Phase {n}", -1) for n in range(1, 6))
        p3 = where.get("Phase P3+", -1)
        period = next((i for i in range(start, end) if i < len(columns) and columns[i] == "Analysis Period"), -1)
        if -1 in (*phases, p3, period) or columns[start] != "#" or p3 + 1 >= len(columns) or columns[p3 + 1] != "%":
            return f"the {label} columns are not Population Analysed #, Analysis Period, Phase 1-5 and P3+ #/%"
        blocks.append(_Block(label, start, period, phases, p3))
    return blocks


def _find_header(rows: list[Sequence[object]]) -> int:
    """The 0-based index of the column header row (first cell ``Country``, fifth ``Analysis Name``), or -1."""
    for i, row in enumerate(rows[:40]):
        if len(row) > 5 and _text(row[0]) == "Country" and _text(row[4]) == "Analysis Name":
            return i
    return -1


def _count(cell: object, field_name: str, row: int, source: str, problems: list[Rejection]) -> int | None:
    if cell is None or _text(cell) == "":
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        problems.append(Rejection(source, row, field_name, "not a number", _text(cell)))
        return None
    try:
        value = float(cell)
    except ValueError:
        problems.append(Rejection(source, row, field_name, "not a number", _text(cell)))
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(Rejection(source, row, field_name, "not a count of people", _text(cell)))
        return None
    return round(value)


def _share(cell: object, field_name: str, row: int, source: str, problems: list[Rejection]) -> float | None:
    if cell is None or _text(cell) == "":
        return None
    try:
        value = float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems.append(Rejection(source, row, field_name, "not a share", _text(cell)))
        return None
    if not 0.0 <= value <= 1.0:
        problems.append(Rejection(source, row, field_name, "not a share between 0 and 1", _text(cell)))
        return None
    return value


def _period(row_cells: Sequence[object], block: _Block, row: int, source: str,
            problems: list[Rejection]) -> IpcPeriod | None:
    def cell(i: int) -> object:
        return row_cells[i] if i < len(row_cells) else None

    text = _text(cell(block.period))
    population = _count(cell(block.population), f"{block.label}: Population Analysed #", row, source, problems)
    p3 = _count(cell(block.p3), f"{block.label}: Phase P3+ #", row, source, problems)
    share = _share(cell(block.p3 + 1), f"{block.label}: Phase P3+ %", row, source, problems)
    phases = tuple(_count(cell(c), f"{block.label}: Phase {n} #", row, source, problems)
                   for n, c in enumerate(block.phases, start=1))
    if not text:
        if p3 is not None or share is not None:
            problems.append(Rejection(source, row, f"{block.label}: Analysis Period", "phase 3+ figures without "
                                      "an analysis period"))
        return None  # no such period in this analysis
    parts = [p.strip() for p in text.split(" - ")]
    start, end = (_month(parts[0]), _month(parts[1])) if len(parts) == 2 else (None, None)
    if start is None or end is None or end < start:
        problems.append(Rejection(source, row, f"{block.label}: Analysis Period", "not 'Mon YYYY - Mon YYYY' in "
                                  "order", text))
        return None
    if p3 is None and share is None:
        problems.append(Rejection(source, row, f"{block.label}: Phase P3+", "an analysis period without phase 3+ "
                                  "figures", text))
        return None
    return IpcPeriod(block.label, text, start, end, population, phases, p3, share)


def is_summary(first_cell: object) -> bool:
    """Whether a row's first cell has the ``"X: Y"`` form of country summaries (and of the two footnotes)."""
    text = _text(first_cell)
    return ": " in text or text.endswith(":")


def parse_rows(rows: Iterable[Sequence[object]], source: str) -> tuple[list[IpcAnalysis], list[Rejection]]:
    """The analyses of sheet ``IPC`` given as its rows of cell values from row 1 (openpyxl ``values_only``), and
    one rejection per bad field (row = 1-based sheet row; a summary row with a bad field is left out, every bad
    field named). A header that cannot be found rejects the sheet (row 0)."""
    table = list(rows)
    at = _find_header(table)
    if at < 1:
        return [], [Rejection(source, 0, "header", "no header row starting 'Country' with 'Analysis Name' fifth")]
    layout = _layout(table[at - 1], table[at])
    if isinstance(layout, str):
        return [], [Rejection(source, at + 1, "header", layout)]
    analyses: list[IpcAnalysis] = []
    rejections: list[Rejection] = []
    for index in range(at + 1, len(table)):
        cells = table[index]
        row = index + 1
        if not cells or not is_summary(cells[0]):
            continue
        country, _, name = _text(cells[0]).partition(":")
        country, name = country.strip(), name.strip()
        if country in FOOTNOTES:
            continue
        problems: list[Rejection] = []
        code = "" if country in REGIONS else to_iso3(country)
        if not code and country not in REGIONS:
            problems.append(Rejection(source, row, "Country", "not a country Kompas knows (add an alias)", country))
        dated = _text(cells[5]) if len(cells) > 5 else ""
        when = _month(dated) if dated else None
        if dated and when is None:
            problems.append(Rejection(source, row, "Date of Analysis", "not 'Mon YYYY'", dated))
        population = _count(cells[6] if len(cells) > 6 else None, "Country Population", row, source, problems)
        periods = [p for block in layout if (p := _period(cells, block, row, source, problems)) is not None]
        if not periods and not problems:
            problems.append(Rejection(source, row, "Analysis Period", "a summary row without any period"))
        rejections.extend(problems)
        if problems:
            continue
        analyses.append(IpcAnalysis(country, code, name, when, population, tuple(periods), row))
    return analyses, rejections


def footnotes(rows: Iterable[Sequence[object]]) -> list[tuple[int, str]]:
    """(1-based row, text) of the ``Disclaimer:``/``Source:`` notes at the foot of the sheet."""
    return [(i, _text(r[0])) for i, r in enumerate(rows, start=1)
            if r and is_summary(r[0]) and _text(r[0]).partition(":")[0].strip() in FOOTNOTES]


def latest(analyses: Iterable[IpcAnalysis], iso3: str, on_or_before: date) -> IpcAnalysis | None:
    """The country's most recent dated analysis with a current (or, for a projection update, first projection)
    phase 3+ share, dated on or before ``on_or_before``; among several of one month the one with the largest
    population analysed (the fullest coverage), then the first in the sheet."""
    found = [a for a in analyses if a.iso3 == iso3 and a.analysis_date is not None
             and a.analysis_date <= on_or_before and (h := a.headline()) is not None
             and h.phase3plus_share is not None]
    if not found:
        return None

    def key(a: IpcAnalysis) -> tuple[date, int, int]:
        headline = a.headline()
        covered = headline.population_analysed if headline and headline.population_analysed else 0
        assert a.analysis_date is not None
        return a.analysis_date, covered, -a.row

    return max(found, key=key)
