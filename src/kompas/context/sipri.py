"""SIPRI military expenditure: the fair-use extract in ``../shared/data/early-warning/sipri`` (2014-2023).

Two files (see the PROVENANCE.md there):

- countries: ``region, subregion, country, year, milex_constant_2022_usd_m, usd_flag, milex_share_of_gdp,
  gdp_flag`` (US$ million at constant 2022 prices; share of GDP as a fraction, 0.02 = 2 %);
- regions: ``region, year, milex_constant_2022_usd_bn, milex_current_usd_bn`` (US$ billion; current US$ for 2023
  only).

SIPRI's markers are kept, never read as zero: ``...`` = data unavailable, ``xxx`` = the country did not exist or
was not independent that year; a blank value without a marker is also no data (flag ``""``). A value is
``None`` then and the flag says why.

Terms: SIPRI requires the citation :data:`CITATION`; every figure Kompas derives (changes, shares, sums such as the
EU27 total) is Kompas's calculation from SIPRI data, not SIPRI's (:data:`NOTE`, shown with :data:`CITATION`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from kompas.context.countries import iso3 as to_iso3
from kompas.rejections import Rejection

CITATION = "SIPRI Military Expenditure Database 2024, https://www.sipri.org/databases/milex"
NOTE = ("Changes, shares, rankings and group totals are Kompas's calculations from SIPRI data, not SIPRI's own "
        "figures.")
ATTRIBUTION = f"{CITATION}. {NOTE}"
NO_DATA = "..."  #: SIPRI: data unavailable
NOT_A_STATE = "xxx"  #: SIPRI: the country did not exist or was not independent
FLAGS = ("", NO_DATA, NOT_A_STATE)
COUNTRY_COLUMNS = ("region", "subregion", "country", "year", "milex_constant_2022_usd_m", "usd_flag",
                   "milex_share_of_gdp", "gdp_flag")
REGION_COLUMNS = ("region", "year", "milex_constant_2022_usd_bn", "milex_current_usd_bn")
WORLD = "World"
#: The 27 member states of the European Union (since 1 February 2020).
EU27 = frozenset({"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
                  "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"})


@dataclass(frozen=True, slots=True)
class MilexYear:
    """One country's military expenditure in one year. ``iso3`` is ``""`` for entries that are no country
    (SIPRI's ``European Union``: the EU's own spending, not its members' total)."""

    country: str
    iso3: str
    region: str
    subregion: str
    year: int
    usd_m: float | None  #: US$ million, constant 2022 prices (None: no data, see ``usd_flag``)
    usd_flag: str  #: "" | "..." (unavailable) | "xxx" (not a state)
    share_of_gdp: float | None  #: fraction of GDP (None: no data, see ``gdp_flag``)
    gdp_flag: str
    line: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"country": self.country, "iso3": self.iso3, "region": self.region, "subregion": self.subregion,
                "year": self.year, "usd_m": self.usd_m, "usd_flag": self.usd_flag,
                "share_of_gdp": self.share_of_gdp, "gdp_flag": self.gdp_flag}


@dataclass(frozen=True, slots=True)
class RegionYear:
    """A region's (or the world's) total in one year."""

    region: str
    year: int
    usd_bn: float | None  #: US$ billion, constant 2022 prices
    current_usd_bn: float | None  #: US$ billion, current prices (2023 only in the extract)
    line: int = 0


@dataclass
class Sipri:
    """The parsed extract."""

    countries: list[MilexYear] = field(default_factory=list)
    regions: list[RegionYear] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def series(self, country: str) -> dict[int, float | None]:
        """Year -> US$ million (constant 2022) of a country (ISO3 or SIPRI's name); None where SIPRI has no data."""
        code = to_iso3(country) or country
        return {r.year: r.usd_m for r in self.countries if code in (r.iso3, r.country)}

    def share_series(self, country: str) -> dict[int, float | None]:
        """Year -> share of GDP (fraction) of a country (ISO3 or SIPRI's name)."""
        code = to_iso3(country) or country
        return {r.year: r.share_of_gdp for r in self.countries if code in (r.iso3, r.country)}

    def region_series(self, region: str = WORLD) -> dict[int, float | None]:
        """Year -> US$ billion (constant 2022) of a region of the regions file (default the world)."""
        return {r.year: r.usd_bn for r in self.regions if r.region == region}

    def years(self) -> list[int]:
        return sorted({r.year for r in self.countries})

    def as_dict(self) -> dict[str, object]:
        return {"countries": [r.as_dict() for r in self.countries],
                "regions": [{"region": r.region, "year": r.year, "usd_bn": r.usd_bn,
                             "current_usd_bn": r.current_usd_bn} for r in self.regions],
                "rejections": [r.as_dict() for r in self.rejections], "citation": CITATION, "note": NOTE}


def _number(raw: str, flag: str, name: str, flag_name: str, line: int, source: str,
            problems: list[Rejection], upper: float = math.inf) -> float | None:
    if flag not in FLAGS:
        problems.append(Rejection(source, line, flag_name, "not a SIPRI marker ('...', 'xxx' or empty)", flag))
        return None
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        problems.append(Rejection(source, line, name, "not a number", raw))
        return None
    if not math.isfinite(value) or value < 0 or value > upper:
        problems.append(Rejection(source, line, name, f"out of range (0 to {upper:g})", raw))
        return None
    if flag:
        problems.append(Rejection(source, line, name, f"a value and the no-data marker {flag!r} together", raw))
        return None
    return value


def _reader(text: str, columns: tuple[str, ...], source: str) -> tuple[csv.DictReader[str] | None, list[Rejection]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        return None, [Rejection(source, 0, missing[0], f"missing column(s): {', '.join(missing)}")]
    return reader, []


def _year(raw: str, line: int, source: str, problems: list[Rejection]) -> int | None:
    if not raw.isdigit() or not 1900 <= int(raw) <= 2100:
        problems.append(Rejection(source, line, "year", "not a year", raw))
        return None
    return int(raw)


def parse_countries(text: str, source: str) -> tuple[list[MilexYear], list[Rejection]]:
    """The country-years of the countries CSV and one rejection per bad field (the row is left out)."""
    reader, rejections = _reader(text, COUNTRY_COLUMNS, source)
    if reader is None:
        return [], rejections
    rows: list[MilexYear] = []
    seen: set[tuple[str, int]] = set()
    for record in reader:
        line = reader.line_num
        problems: list[Rejection] = []
        name = (record.get("country") or "").strip()
        if not name:
            problems.append(Rejection(source, line, "country", "empty"))
        year = _year((record.get("year") or "").strip(), line, source, problems)
        usd = _number((record.get("milex_constant_2022_usd_m") or "").strip(), (record.get("usd_flag") or "").strip(),
                      "milex_constant_2022_usd_m", "usd_flag", line, source, problems)
        share = _number((record.get("milex_share_of_gdp") or "").strip(), (record.get("gdp_flag") or "").strip(),
                        "milex_share_of_gdp", "gdp_flag", line, source, problems, upper=1.0)
        if not problems and year is not None and (name, year) in seen:
            problems.append(Rejection(source, line, "country", f"duplicate of {name} {year}", name))
        rejections.extend(problems)
        if problems or year is None:
            continue
        seen.add((name, year))
        rows.append(MilexYear(name, to_iso3(name), (record.get("region") or "").strip(),
                              (record.get("subregion") or "").strip(), year, usd,
                              (record.get("usd_flag") or "").strip(), share, (record.get("gdp_flag") or "").strip(),
                              line))
    return rows, rejections


def parse_regions(text: str, source: str) -> tuple[list[RegionYear], list[Rejection]]:
    """The region-years of the regions CSV and one rejection per bad field."""
    reader, rejections = _reader(text, REGION_COLUMNS, source)
    if reader is None:
        return [], rejections
    rows: list[RegionYear] = []
    seen: set[tuple[str, int]] = set()
    for record in reader:
        line = reader.line_num
        problems: list[Rejection] = []
        region = (record.get("region") or "").strip()
        if not region:
            problems.append(Rejection(source, line, "region", "empty"))
        year = _year((record.get("year") or "").strip(), line, source, problems)
        usd = _number((record.get("milex_constant_2022_usd_bn") or "").strip(), "", "milex_constant_2022_usd_bn",
                      "", line, source, problems)
        current = _number((record.get("milex_current_usd_bn") or "").strip(), "", "milex_current_usd_bn", "", line,
                          source, problems)
        if not problems and year is not None and (region, year) in seen:
            problems.append(Rejection(source, line, "region", f"duplicate of {region} {year}", region))
        rejections.extend(problems)
        if problems or year is None:
            continue
        seen.add((region, year))
        rows.append(RegionYear(region, year, usd, current, line))
    return rows, rejections


def parse(countries_text: str, countries_source: str, regions_text: str, regions_source: str) -> Sipri:
    """Both files of the extract."""
    countries, country_rejections = parse_countries(countries_text, countries_source)
    regions, region_rejections = parse_regions(regions_text, regions_source)
    return Sipri(countries, regions, [*country_rejections, *region_rejections])


def change(series: dict[int, float | None], start: int, end: int) -> float | None:
    """Relative change ``series[end] / series[start] - 1`` (a fraction; constant prices: a real change), or None
    when either year has no data or the start is zero."""
    first, last = series.get(start), series.get(end)
    if first is None or last is None or first == 0:
        return None
    return last / first - 1


def world_change(regions: Iterable[RegionYear], start: int, end: int) -> float:
    """The real change of world military expenditure from ``start`` to ``end`` (fraction: 0.068 = +6.8 %).
    Raises ValueError when a year is missing."""
    world = {r.year: r.usd_bn for r in regions if r.region == WORLD}
    value = change(world, start, end)
    if value is None:
        raise ValueError(f"no world total for {start} or {end} in the regions file")
    return value


def group_total(data: Sipri, members: Iterable[str], year: int) -> tuple[float, list[str]]:
    """The sum of US$ million (constant 2022) of the ``members`` (ISO3) in ``year`` and the members without data
    that year (left out of the sum, so a partial total is never shown as complete)."""
    wanted = set(members)
    values = {r.iso3: r.usd_m for r in data.countries if r.year == year and r.iso3 in wanted}
    missing = sorted(c for c in wanted if values.get(c) is None)
    return sum(v for v in values.values() if v is not None), missing


def eu27_series(data: Sipri) -> dict[int, tuple[float, list[str]]]:
    """Year -> (EU27 member states' total in US$ million constant 2022, members without data). Kompas's sum of
    SIPRI's country figures (not SIPRI's; the ``European Union`` entry, the EU's own spending, is not in it)."""
    return {year: group_total(data, EU27, year) for year in data.years()}


def top_spenders(data: Sipri, year: int, n: int = 15) -> list[MilexYear]:
    """The ``n`` countries with the largest expenditure (constant 2022 US$) in ``year``, largest first (ties by
    name)."""
    rows = [r for r in data.countries if r.year == year and r.iso3 and r.usd_m is not None]
    return sorted(rows, key=lambda r: (-(r.usd_m or 0.0), r.country))[:n]


def share_of_world(data: Sipri, iso3: str, year: int) -> float | None:
    """A country's share of the world total in ``year`` (fraction), or None without data."""
    country = data.series(iso3).get(year)
    world = data.region_series(WORLD).get(year)
    if country is None or not world:
        return None
    return country / (world * 1000.0)
