"""The UCDP/PRIO Armed Conflict Dataset (v24.1): one row per conflict and year with at least 25 battle-related
deaths, 1946-2023.

Columns read: ``conflict_id, location, side_a, side_a_id, side_a_2nd, side_b, side_b_id, side_b_2nd,
incompatibility, territory_name, year, intensity_level, cumulative_intensity, type_of_conflict, start_date,
end_date, gwno_a, gwno_a_2nd, gwno_b, gwno_b_2nd, gwno_loc, region``. The copy in ``../shared`` writes dates
DD-MM-YYYY where UCDP's own CSV writes YYYY-MM-DD: both are read. The GW fields may hold several comma-separated
Gleditsch-Ward numbers (``"651, 666"``); they map to ISO3 per year through :mod:`kompas.context.countries`.

Definitions (UCDP codebook): intensity 1 = 25-999 battle-related deaths in the year, 2 = at least 1,000 (a *war*);
type 1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised intrastate. Every row is one *state-based
armed conflict* active that year, so :func:`conflicts_per_year` counts rows (UCDP's press release of 2024-06-03:
59 in 2023).

Attribution (CC BY 4.0): :data:`CITATION`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from kompas.context.countries import GW, gw_to_iso3, parse_gw
from kompas.rejections import Rejection

CITATION = ("UCDP/PRIO Armed Conflict Dataset version 24.1 (Uppsala Conflict Data Program), CC BY 4.0. "
            "Davies, Shawn, Therése Pettersson & Magnus Öberg (2024). Organized violence 1989-2023, and the "
            "prevalence of organized crime groups. Journal of Peace Research 61(4); Gleditsch, Nils Petter et al. "
            "(2002). Armed Conflict 1946-2001: A New Dataset. Journal of Peace Research 39(5).")
COLUMNS = ("conflict_id", "location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd",
           "incompatibility", "territory_name", "year", "intensity_level", "cumulative_intensity",
           "type_of_conflict", "start_date", "end_date", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc",
           "region")
GW_FIELDS = ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc")
TYPES = {1: "extrasystemic", 2: "interstate", 3: "intrastate", 4: "internationalised intrastate"}
T = TypeVar("T")
_DMY = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class ConflictYear:
    """One conflict in one year (a row of the dataset). GW tuples may be empty (no such party)."""

    conflict_id: int
    location: str
    side_a: str
    side_b: str
    incompatibility: int  #: 1 territory, 2 government, 3 both
    territory_name: str
    year: int
    intensity_level: int  #: 1: 25-999 battle-related deaths in the year; 2: 1,000 or more (war)
    cumulative_intensity: int  #: 1 once the conflict has passed 1,000 deaths in all
    type_of_conflict: int  #: 1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised intrastate
    start_date: date  #: the date the conflict first reached 25 deaths
    end_date: date | None  #: the end of the episode (None: active at the end of the year)
    gwno_a: tuple[int, ...]
    gwno_a_2nd: tuple[int, ...]
    gwno_b: tuple[int, ...]
    gwno_b_2nd: tuple[int, ...]
    gwno_loc: tuple[int, ...]
    region: tuple[int, ...]  #: 1 Europe, 2 Middle East, 3 Asia, 4 Africa, 5 Americas
    side_a_2nd: str = ""
    side_b_2nd: str = ""
    line: int = 0  #: the line of the source file

    @property
    def war(self) -> bool:
        """At least 1,000 battle-related deaths in the year."""
        return self.intensity_level == 2

    def primary_states(self) -> tuple[int, ...]:
        """GW numbers of the governments that are primary parties (side A, and side B in interstate wars)."""
        return self.gwno_a + self.gwno_b

    def as_dict(self) -> dict[str, object]:
        return {"conflict_id": self.conflict_id, "location": self.location, "side_a": self.side_a,
                "side_b": self.side_b, "year": self.year, "intensity_level": self.intensity_level,
                "type_of_conflict": self.type_of_conflict, "type": TYPES[self.type_of_conflict],
                "incompatibility": self.incompatibility, "territory_name": self.territory_name,
                "start_date": self.start_date.isoformat(),
                "end_date": self.end_date.isoformat() if self.end_date else None,
                "gwno_loc": list(self.gwno_loc), "gwno_a": list(self.gwno_a), "gwno_b": list(self.gwno_b)}


def parse_date(text: str) -> date:
    """A date written DD-MM-YYYY (this copy) or YYYY-MM-DD (UCDP's own files); ValueError otherwise."""
    text = text.strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError("not a date DD-MM-YYYY or YYYY-MM-DD")
    return date(year, month, day)


def _integer(text: str) -> int:
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError("not an integer")
    return int(text)


def _one_of(*allowed: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        value = _integer(text)
        if value not in allowed:
            raise ValueError(f"not one of {', '.join(map(str, allowed))}")
        return value
    return convert


def _year(text: str) -> int:
    value = _integer(text)
    if not 1946 <= value <= 2100:
        raise ValueError("not a year from 1946 on")
    return value


def _optional_date(text: str) -> date | None:
    return parse_date(text) if text else None


def _row(record: dict[str, str], line: int, source: str) -> tuple[ConflictYear | None, list[Rejection]]:
    problems: list[Rejection] = []

    def get(name: str, convert: Callable[[str], T]) -> T | None:
        raw = (record.get(name) or "").strip()
        try:
            return convert(raw)
        except ValueError as error:
            problems.append(Rejection(source, line, name, str(error), raw))
            return None

    conflict_id = get("conflict_id", _integer)
    year = get("year", _year)
    intensity = get("intensity_level", _one_of(1, 2))
    cumulative = get("cumulative_intensity", _one_of(0, 1))
    kind = get("type_of_conflict", _one_of(1, 2, 3, 4))
    incompatibility = get("incompatibility", _one_of(1, 2, 3))
    start = get("start_date", parse_date)
    end = get("end_date", _optional_date)
    region = get("region", parse_gw)
    gw: dict[str, tuple[int, ...]] = {}
    for name in GW_FIELDS:
        codes = get(name, parse_gw)
        if codes is None:
            continue
        unknown = [c for c in codes if c not in GW]
        if unknown:
            problems.append(Rejection(source, line, name, f"GW number {unknown[0]} is not a state of the GW list "
                                      "since 1946", record.get(name, "")))
            continue
        gw[name] = codes
    if not (record.get("location") or "").strip():
        problems.append(Rejection(source, line, "location", "empty"))
    if "gwno_loc" in gw and not gw["gwno_loc"]:
        problems.append(Rejection(source, line, "gwno_loc", "empty: every conflict has a location"))
    if (problems or conflict_id is None or year is None or intensity is None or cumulative is None or kind is None
            or incompatibility is None or start is None or region is None):
        return None, problems
    return ConflictYear(
        conflict_id=conflict_id, location=record["location"].strip(), side_a=(record.get("side_a") or "").strip(),
        side_b=(record.get("side_b") or "").strip(), incompatibility=incompatibility,
        territory_name=(record.get("territory_name") or "").strip(), year=year, intensity_level=intensity,
        cumulative_intensity=cumulative, type_of_conflict=kind, start_date=start, end_date=end,
        gwno_a=gw["gwno_a"], gwno_a_2nd=gw["gwno_a_2nd"], gwno_b=gw["gwno_b"], gwno_b_2nd=gw["gwno_b_2nd"],
        gwno_loc=gw["gwno_loc"], region=region, side_a_2nd=(record.get("side_a_2nd") or "").strip(),
        side_b_2nd=(record.get("side_b_2nd") or "").strip(), line=line), []


def parse_conflicts(text: str, source: str) -> tuple[list[ConflictYear], list[Rejection]]:
    """The conflict-years of a UCDP/PRIO ACD CSV ``text`` and one rejection per bad field (line = the file's line;
    a row with any bad field is left out, and each of its bad fields is named). A missing column rejects the file
    as a whole (line 0). Duplicate (conflict_id, year) rows are rejected after the first."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [Rejection(source, 0, missing[0], f"missing column(s): {', '.join(missing)}")]
    rows: list[ConflictYear] = []
    rejections: list[Rejection] = []
    seen: set[tuple[int, int]] = set()
    for record in reader:
        line = reader.line_num
        if None in record:  # more cells than the header
            rejections.append(Rejection(source, line, "", "more cells than the header has columns"))
            continue
        row, problems = _row(record, line, source)
        rejections.extend(problems)
        if row is None:
            continue
        if (row.conflict_id, row.year) in seen:
            rejections.append(Rejection(source, line, "conflict_id", f"duplicate of conflict {row.conflict_id} in "
                                        f"{row.year}", str(row.conflict_id)))
            continue
        seen.add((row.conflict_id, row.year))
        rows.append(row)
    return rows, rejections


def conflicts_per_year(rows: Iterable[ConflictYear]) -> dict[int, int]:
    """Number of active state-based armed conflicts per year (rows per year), years in order."""
    counts = Counter(r.year for r in rows)
    return dict(sorted(counts.items()))


def wars_per_year(rows: Iterable[ConflictYear]) -> dict[int, int]:
    """Number of wars (intensity 2: at least 1,000 battle-related deaths) per year; years without a war are 0
    between the first and last year of ``rows``."""
    rows = list(rows)
    if not rows:
        return {}
    counts = Counter(r.year for r in rows if r.war)
    years = range(min(r.year for r in rows), max(r.year for r in rows) + 1)
    return {y: counts.get(y, 0) for y in years}


def by_type_per_year(rows: Iterable[ConflictYear]) -> dict[int, dict[str, int]]:
    """Year -> {type name: number of conflicts} (extrasystemic, interstate, intrastate, internationalised)."""
    table: dict[int, dict[str, int]] = {}
    for r in rows:
        counts = table.setdefault(r.year, dict.fromkeys(TYPES.values(), 0))
        counts[TYPES[r.type_of_conflict]] += 1
    return dict(sorted(table.items()))


@dataclass
class ActiveConflict:
    """A country's involvement in state-based armed conflict in one year (ISO3 per :func:`gw_to_iso3`, so the
    Soviet Union's years are ``SUN``, Russia's ``RUS``).

    Roles: *location* (``gwno_loc``: the conflict is fought on its territory), *primary* (its government is a
    primary party: ``gwno_a``, or ``gwno_b`` in interstate conflicts), *secondary* (its government sends troops in
    support: ``gwno_a_2nd``/``gwno_b_2nd``)."""

    iso3: str
    year: int
    conflict_ids: set[int] = field(default_factory=set)  #: every conflict it takes part in, any role
    located: set[int] = field(default_factory=set)  #: conflicts on its territory
    primary: set[int] = field(default_factory=set)  #: conflicts its government fights as a primary party
    secondary: set[int] = field(default_factory=set)  #: conflicts it supports with troops
    max_intensity: int = 0  #: highest intensity (1 or 2) of those conflicts
    max_intensity_located: int = 0  #: highest intensity of the conflicts on its territory (0: none)

    @property
    def conflicts(self) -> int:
        """Number of conflicts it takes part in, any role."""
        return len(self.conflict_ids)

    @property
    def war(self) -> bool:
        """Whether any of its conflicts is a war (intensity 2)."""
        return self.max_intensity == 2

    @property
    def war_located(self) -> bool:
        """Whether a war is fought on its territory."""
        return self.max_intensity_located == 2

    @property
    def is_location(self) -> bool:
        return bool(self.located)

    @property
    def is_primary_party(self) -> bool:
        return bool(self.primary)

    @property
    def is_secondary_party(self) -> bool:
        return bool(self.secondary)

    def as_dict(self) -> dict[str, object]:
        return {"iso3": self.iso3, "year": self.year, "conflicts": self.conflicts, "located": len(self.located),
                "primary": len(self.primary), "secondary": len(self.secondary), "max_intensity": self.max_intensity,
                "war": self.war, "war_located": self.war_located, "conflict_ids": sorted(self.conflict_ids)}


def active_by_country(rows: Iterable[ConflictYear]) -> dict[tuple[str, int], ActiveConflict]:
    """(ISO3, year) -> that country's :class:`ActiveConflict` in that year, for every country that is a location,
    a primary or a secondary party of a conflict that year. GW states without an ISO code in that year (Hyderabad
    1948) are not keys: :func:`unmapped_states` lists them."""
    table: dict[tuple[str, int], ActiveConflict] = {}

    def entry(gw: int, year: int) -> ActiveConflict | None:
        code = gw_to_iso3(gw, year)
        if not code:
            return None
        return table.setdefault((code, year), ActiveConflict(code, year))

    for r in rows:
        roles = (("located", r.gwno_loc), ("primary", r.gwno_a + r.gwno_b),
                 ("secondary", r.gwno_a_2nd + r.gwno_b_2nd))
        for role, codes in roles:
            for gw in codes:
                item = entry(gw, r.year)
                if item is None:
                    continue
                item.conflict_ids.add(r.conflict_id)
                getattr(item, role).add(r.conflict_id)
                item.max_intensity = max(item.max_intensity, r.intensity_level)
                if role == "located":
                    item.max_intensity_located = max(item.max_intensity_located, r.intensity_level)
    return dict(sorted(table.items()))


def unmapped_states(rows: Iterable[ConflictYear]) -> list[tuple[int, int, int]]:
    """(GW number, year, conflict_id) of every party or location without an ISO3 code that year (so not in
    :func:`active_by_country`), in order."""
    found: list[tuple[int, int, int]] = []
    for r in rows:
        for gw in dict.fromkeys(r.gwno_loc + r.gwno_a + r.gwno_b + r.gwno_a_2nd + r.gwno_b_2nd):
            if not gw_to_iso3(gw, r.year):
                found.append((gw, r.year, r.conflict_id))
    return found


def history(table: dict[tuple[str, int], ActiveConflict], iso3: str, last_year: int,
            years: int) -> list[ActiveConflict | None]:
    """The country's entries for ``last_year - years + 1`` .. ``last_year`` (None: no conflict that year)."""
    return [table.get((iso3, y)) for y in range(last_year - years + 1, last_year + 1)]
