"""ND-GAIN Country Index (2025 release): climate vulnerability and readiness, 1995-2023.

Each CSV is one index or component, one row per country: ``"ISO3","Name","1995",...,"2023"``; an empty cell is no
score (small states, early years), never zero. The files (named by their stem):

- ``gain``: the ND-GAIN index, 0-100, higher = better prepared; ``gain = (readiness - vulnerability + 1) * 50``
  (the codebook's definition, checked by :func:`gain_identity_error`);
- ``vulnerability`` (0-1, higher = more vulnerable) with the components ``exposure``, ``sensitivity``,
  ``capacity`` (adaptive capacity; a high score is *low* capacity, as ND-GAIN scores every vulnerability
  indicator) and the six sectors ``food``, ``water``, ``health``, ``ecosystems``, ``habitat``, ``infrastructure``;
- ``readiness`` (0-1, higher = more ready) with ``economic``, ``governance``, ``social``.

Release timing: the scores of year *y* are published two years on (this file is the 2025 release, with scores to
2023): :func:`kompas.context.releases.released` dates year *y* at 1 January *y*+2, so a forecast of window *Y*
(cut-off 31 October *Y*-1) reads ND-GAIN up to *Y*-3 and a watchlist edition of year *Y* up to *Y*-2.

Terms: Notre Dame calls ND-GAIN a "free open-source index"; no explicit licence text was found, so it is read from
``../shared`` only. Cite :data:`CITATION`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from kompas.context.countries import iso3 as to_iso3
from kompas.rejections import Rejection

CITATION = ("University of Notre Dame Global Adaptation Initiative (ND-GAIN) Country Index, 2025 release "
            "(https://gain.nd.edu/our-work/country-index/).")
MAIN = ("gain", "vulnerability", "readiness")
VULNERABILITY_COMPONENTS = ("exposure", "sensitivity", "capacity")
SECTORS = ("food", "water", "health", "ecosystems", "habitat", "infrastructure")
READINESS_COMPONENTS = ("economic", "governance", "social")
#: Upper bound of each index's scale (gain 0-100, the others 0-1).
SCALE = {"gain": 100.0}


@dataclass(frozen=True, slots=True)
class Ranked:
    """A country's place in a ranking (1 = best prepared: highest ND-GAIN)."""

    rank: int
    iso3: str
    name: str
    value: float

    def as_dict(self) -> dict[str, object]:
        return {"rank": self.rank, "iso3": self.iso3, "name": self.name, "value": self.value}


@dataclass
class NdGain:
    """The parsed index and components: ``indices[name][(iso3, year)]`` = score (absent: no score)."""

    indices: dict[str, dict[tuple[str, int], float]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  #: ISO3 -> ND-GAIN's name
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def countries(self) -> list[str]:
        """Every ISO3 of the files, sorted."""
        return sorted(self.names)

    def years(self, index: str = "gain") -> list[int]:
        return sorted({year for _, year in self.indices.get(index, {})})

    def value(self, index: str, iso3: str, year: int) -> float | None:
        """The score of ``index`` for a country and year, or None."""
        return self.indices.get(index, {}).get((iso3, year))

    def gain(self, iso3: str, year: int) -> float | None:
        return self.value("gain", iso3, year)

    def vulnerability(self, iso3: str, year: int) -> float | None:
        return self.value("vulnerability", iso3, year)

    def readiness(self, iso3: str, year: int) -> float | None:
        return self.value("readiness", iso3, year)

    def ranking(self, year: int, index: str = "gain") -> list[Ranked]:
        """Countries scored in ``year`` by ``index``, highest first (ties by ISO3); rank 1 = highest."""
        return ranking(self, year, index)


def ranking(data: NdGain, year: int, index: str = "gain") -> list[Ranked]:
    """Countries scored in ``year``, by ``index`` descending (ND-GAIN ranks the index so: 1 = best prepared; for
    ``vulnerability`` rank 1 = most vulnerable)."""
    scores = [(code, value) for (code, y), value in data.indices.get(index, {}).items() if y == year]
    scores.sort(key=lambda item: (-item[1], item[0]))
    return [Ranked(i + 1, code, data.names.get(code, code), value) for i, (code, value) in enumerate(scores)]


def parse_index(text: str, source: str, name: str) -> tuple[dict[tuple[str, int], float], dict[str, str],
                                                             list[Rejection]]:
    """One ND-GAIN CSV: (ISO3, year) -> score, ISO3 -> name, and one rejection per bad cell or row (bad cells are
    left out, the rest of the row kept; a row whose ISO3 is not a country is left out)."""
    upper = SCALE.get(name, 1.0)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    if header[:2] != ["ISO3", "Name"] or not all(h.isdigit() for h in header[2:]) or len(header) < 3:
        return {}, {}, [Rejection(source, 1, "header", "not ISO3, Name and years", ",".join(header[:4]))]
    years = [int(h) for h in header[2:]]
    values: dict[tuple[str, int], float] = {}
    names: dict[str, str] = {}
    rejections: list[Rejection] = []
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        code = row[0].strip()
        if to_iso3(code) != code:
            rejections.append(Rejection(source, line, "ISO3", "not an ISO 3166-1 alpha-3 code", code))
            continue
        if code in names:
            rejections.append(Rejection(source, line, "ISO3", "duplicate row", code))
            continue
        if len(row) != len(header):
            rejections.append(Rejection(source, line, "", f"{len(row)} cells where the header has {len(header)}"))
            continue
        names[code] = row[1].strip()
        for year, cell in zip(years, row[2:], strict=True):
            cell = cell.strip()
            if not cell or cell.upper() == "NA":
                continue
            try:
                value = float(cell)
            except ValueError:
                rejections.append(Rejection(source, line, str(year), "not a number", cell))
                continue
            if not math.isfinite(value) or not 0.0 <= value <= upper:
                rejections.append(Rejection(source, line, str(year), f"outside the scale 0-{upper:g}", cell))
                continue
            values[(code, year)] = value
    return values, names, rejections


def parse(texts: Mapping[str, tuple[str, str]]) -> NdGain:
    """All files given as name (the file's stem: ``gain``, ``vulnerability``, ``food``...) -> (text, source)."""
    data = NdGain()
    for name, (text, source) in texts.items():
        values, names, rejections = parse_index(text, source, name)
        data.indices[name] = values
        for code, label in names.items():
            data.names.setdefault(code, label)
        data.rejections.extend(rejections)
    missing = [m for m in MAIN if m not in data.indices]
    if missing:
        data.rejections.append(Rejection("ndgain", 0, missing[0], f"missing index file(s): {', '.join(missing)}"))
    return data


def gain_identity_error(data: NdGain) -> tuple[float, int]:
    """(largest |gain - (readiness - vulnerability + 1) * 50|, number of country-years compared) over the
    country-years with all three scores."""
    worst, count = 0.0, 0
    for key, gain in data.indices.get("gain", {}).items():
        vulnerability = data.indices.get("vulnerability", {}).get(key)
        readiness = data.indices.get("readiness", {}).get(key)
        if vulnerability is None or readiness is None:
            continue
        worst = max(worst, abs(gain - (readiness - vulnerability + 1) * 50))
        count += 1
    return worst, count
