"""The climate-security watchlist: countries ranked by climate vulnerability, lack of readiness, acute food
insecurity and armed conflict, each row explained, with the changes since the previous edition.

Method (simple and stated, after the composite indices it follows: ND-GAIN averages normalised indicators; the
Climate-Conflict-Vulnerability Index (CCVI, Mittermaier et al. 2026) combines a climate, a conflict and a
vulnerability pillar following the IPCC's risk = hazard x exposure x vulnerability; INFORM likewise). Four
components, each on 0-1 (1 = worst), weighted and summed, times 100:

============== ====== =====================================================================================
component      weight value
============== ====== =====================================================================================
vulnerability  0.30   ND-GAIN vulnerability (exposure, sensitivity, adaptive capacity), min-max normalised
                      over the countries ND-GAIN scores that year (0 = least, 1 = most vulnerable)
readiness      0.15   lack of readiness: 1 - ND-GAIN readiness (economic, governance, social), min-max
                      normalised likewise
food           0.25   acute food insecurity: the share of the analysed population in IPC phase 3 or worse in
                      the country's latest IPC analysis, divided by 0.5 and capped at 1 (half the population in
                      Crisis or worse, the level of South Sudan and Yemen, scores 1); 0 without a recent IPC
                      analysis (IPC covers some 30 countries; the row says "no IPC analysis")
conflict       0.30   0.6 x the latest UCDP year (1: a war, >= 1,000 battle deaths, on its territory; 0.5: a minor
                      conflict) + 0.4 x the share of the last 5 UCDP years with a conflict on its territory
============== ====== =====================================================================================

Only conflicts *located* in the country count (UCDP ``gwno_loc``); fighting abroad (as a primary or secondary
party) does not make a country's population insecure.

Editions (what an edition may know). The edition of year *Y* is the watchlist as of 31 December *Y*; each source
is dated by its release, by the one rule per source the early-warning model uses too
(:func:`kompas.context.releases.released`):

- ND-GAIN scores of year *Y*-2 (ND-GAIN year *y* is public from 1 January *y*+2: the 2025 release ends with 2023);
- UCDP years *Y*-5 .. *Y*-1 (UCDP year *y* is public from 1 July *y*+1: UCDP publishes in June);
- per country, the latest IPC analysis dated on or before 31 December *Y* and not before 1 January *Y*-2
  (older analyses are stale; an analysis is public from its analysis date).

With the data in ``../shared`` (ND-GAIN 1995-2023, UCDP 1946-2023, IPC 2017-2023) editions 1997-2024 can be
built (:func:`last_edition`: 2025 would need UCDP 2024); the food component is 0 for all before 2017. All three
files are later releases with revised values, so an old edition shows the revised figures, not those public on its
date (the vintage problem, which no dating rule on these files fixes: :mod:`kompas.context.releases`).

Countries ND-GAIN does not score (South Sudan, Palestine, Kosovo, Taiwan; small states in some years) are ranked
when they have an IPC analysis or a conflict on their territory in the edition's window, on those two components
only: the weights of the available components are rescaled to sum to 1 (``WatchlistRow.missing`` names what is
missing, and the explanation says so). A country with neither is listed in :attr:`Watchlist.unscored`.

Ties are broken by ISO3, so an edition is a deterministic function of its inputs. :func:`changes` compares the
top *N* (default 20) of two editions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kompas.context import ipc, ndgain, ucdp
from kompas.context.countries import name as country_name
from kompas.context.countries import successor
from kompas.context.ipc import IpcAnalysis
from kompas.context.ndgain import NdGain
from kompas.context.releases import latest_year
from kompas.context.ucdp import ActiveConflict, ConflictYear
from kompas.rejections import Rejection

WEIGHTS: dict[str, float] = {"vulnerability": 0.30, "readiness": 0.15, "food": 0.25, "conflict": 0.30}
LABELS: dict[str, str] = {"vulnerability": "climate vulnerability", "readiness": "lack of readiness",
                          "food": "acute food insecurity", "conflict": "armed conflict"}
FOOD_FULL = 0.5  #: a phase 3+ share at or above this scores 1
HISTORY_YEARS = 5  #: UCDP years looked back
IPC_MAX_AGE_YEARS = 2  #: IPC analyses from 1 January Y-2 on count for edition Y
CONFLICT_LATEST, CONFLICT_HISTORY = 0.6, 0.4
TOP_N = 20  #: the top of an edition that :func:`changes` compares
FIRST_EDITION, LAST_EDITION = 1997, 2100  #: ND-GAIN starts with 1995, public from 1997


@dataclass
class WatchlistInputs:
    """What an edition is built from (read by :func:`kompas.context.load.watchlist_inputs`)."""

    ndgain: NdGain
    ipc: list[IpcAnalysis]
    conflicts: list[ConflictYear]
    rejections: list[Rejection] = field(default_factory=list)  #: the readers' rejections, passed on


@dataclass(frozen=True, slots=True)
class Component:
    """One component of a row: ``value`` on 0-1 (1 = worst), its weight, the raw measure it comes from, the data
    it is dated by and a short description."""

    key: str  #: vulnerability | readiness | food | conflict
    value: float
    weight: float  #: the weight used: :data:`WEIGHTS`, rescaled when components are missing
    raw: float | None  #: ND-GAIN score, IPC phase 3+ share, or the conflict score itself
    data: str  #: "ND-GAIN 2021", "IPC analysis 2022-11 (Acute Food Insecurity November 2022)", "UCDP 2017-2021"
    detail: str  #: words for the explanation

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def contribution(self) -> float:
        """Points of the score (0-100) this component gives."""
        return 100.0 * self.weight * self.value

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "value": self.value, "weight": self.weight, "raw": self.raw,
                "contribution": self.contribution, "data": self.data, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class WatchlistRow:
    """One ranked country."""

    rank: int
    iso3: str
    name: str
    score: float  #: 0-100
    components: tuple[Component, ...]
    explanation: str
    missing: tuple[str, ...] = ()  #: components without data (ND-GAIN does not score the country)

    def component(self, key: str) -> Component:
        return next(c for c in self.components if c.key == key)

    def largest(self) -> Component:
        """The component that contributes most (ties: in the order of :data:`WEIGHTS`)."""
        return max(self.components, key=lambda c: (c.contribution, -list(WEIGHTS).index(c.key)))

    def as_dict(self) -> dict[str, object]:
        return {"rank": self.rank, "iso3": self.iso3, "name": self.name, "score": self.score,
                "components": [c.as_dict() for c in self.components], "missing": list(self.missing),
                "explanation": self.explanation}


@dataclass(frozen=True, slots=True)
class Move:
    iso3: str
    name: str
    previous_rank: int
    rank: int

    def as_dict(self) -> dict[str, object]:
        return {"iso3": self.iso3, "name": self.name, "previous_rank": self.previous_rank, "rank": self.rank}


@dataclass(frozen=True, slots=True)
class Changes:
    """How the top ``top_n`` changed since ``previous_year``'s edition."""

    previous_year: int
    top_n: int
    entered: tuple[str, ...]  #: ISO3 in this top N, not in the previous one (in this edition's rank order)
    left: tuple[str, ...]  #: ISO3 in the previous top N, not in this one (in the previous rank order)
    moved_up: tuple[Move, ...]
    moved_down: tuple[Move, ...]

    def as_dict(self) -> dict[str, object]:
        return {"previous_year": self.previous_year, "top_n": self.top_n, "entered": list(self.entered),
                "left": list(self.left), "moved_up": [m.as_dict() for m in self.moved_up],
                "moved_down": [m.as_dict() for m in self.moved_down]}


@dataclass
class Watchlist:
    """One edition."""

    year: int
    rows: list[WatchlistRow]
    data: dict[str, str]  #: what the edition used: {"ndgain": "2021", "ucdp": "2017-2021", "ipc": "..."}
    sources: list[dict[str, str]]  #: every source's attribution
    changes: Changes | None = None
    unscored: list[tuple[str, str]] = field(default_factory=list)  #: (ISO3, reason) of countries not ranked
    rejections: list[Rejection] = field(default_factory=list)

    def top(self, n: int = TOP_N) -> list[WatchlistRow]:
        return self.rows[:n]

    def row(self, iso3: str) -> WatchlistRow | None:
        return next((r for r in self.rows if r.iso3 == iso3), None)

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "method": method(), "data": dict(self.data), "sources": list(self.sources),
                "rows": [r.as_dict() for r in self.rows],
                "changes": self.changes.as_dict() if self.changes else None,
                "unscored": [{"iso3": c, "reason": r} for c, r in self.unscored],
                "rejections": [r.as_dict() for r in self.rejections]}


def method() -> dict[str, object]:
    """The formula, in data (shown with every edition)."""
    return {"weights": dict(WEIGHTS), "food_full_share": FOOD_FULL, "history_years": HISTORY_YEARS,
            "ipc_max_age_years": IPC_MAX_AGE_YEARS, "conflict": {"latest": CONFLICT_LATEST,
                                                                 "history": CONFLICT_HISTORY},
            "rule": ("edition Y (as of 31 December Y): ND-GAIN year Y-2, UCDP years Y-5..Y-1, latest IPC analysis "
                     "dated 1 January Y-2 .. 31 December Y (each source dated by its release: ND-GAIN y from "
                     "1 January y+2, UCDP y from 1 July y+1, IPC on its analysis date; all are later releases with "
                     "revised values); score = 100 x sum(weight x component), components on 0-1 with 1 worst")}


def sources() -> list[dict[str, str]]:
    """The attribution of every source an edition uses."""
    return [{"key": "ndgain", "citation": ndgain.CITATION, "licence": "no explicit licence found; read from "
             "../shared only"},
            {"key": "ipc", "citation": ipc.CITATION, "licence": "IPC terms not verified; read from ../shared only"},
            {"key": "ucdp", "citation": ucdp.CITATION, "licence": "CC BY 4.0"},
            {"key": "kompas", "citation": "Ranking, normalisation and weights are Kompas's calculations, not the "
             "sources' own figures.", "licence": ""}]


def _minmax(values: dict[str, float]) -> dict[str, float]:
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    span = high - low
    return {k: (v - low) / span if span > 0 else 0.0 for k, v in values.items()}


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def _as_of(year: int) -> date:
    """The day an edition is as of: 31 December of its year."""
    return date(year, 12, 31)


def _ucdp_last(year: int) -> int:
    """The last UCDP year public on edition ``year``'s day (:func:`kompas.context.releases.released`)."""
    return latest_year("ucdp", _as_of(year))


def _ndgain_year(year: int) -> int:
    """The ND-GAIN year an edition uses: the latest public on its day."""
    return latest_year("ndgain", _as_of(year))


def last_edition(inputs: WatchlistInputs) -> int:
    """The latest edition the inputs can serve: its ND-GAIN year and its last UCDP year both in the data (with
    the shared data: ND-GAIN to 2023, UCDP to 2023, so 2024). Raises ValueError when there is none."""
    nd_years = [y for (_, y) in inputs.ndgain.indices.get("vulnerability", {})]
    if not nd_years or not inputs.conflicts:
        raise ValueError("no ND-GAIN vulnerability scores or no UCDP conflict-years: no watchlist edition")
    nd_last, ucdp_last = max(nd_years), max(r.year for r in inputs.conflicts)
    year = LAST_EDITION
    while year >= FIRST_EDITION and (_ndgain_year(year) > nd_last or _ucdp_last(year) > ucdp_last):
        year -= 1
    if year < FIRST_EDITION:
        raise ValueError(f"no edition from {FIRST_EDITION}: ND-GAIN ends {nd_last}, UCDP {ucdp_last}")
    return year


def _conflict(table: dict[tuple[str, int], ActiveConflict], iso3: str, year: int) -> Component:
    last = _ucdp_last(year)
    first = last - HISTORY_YEARS + 1
    history = [table.get((iso3, y)) for y in range(first, last + 1)]
    located = [h for h in history if h is not None and h.is_location]
    latest = history[-1] if history[-1] is not None and history[-1].is_location else None
    latest_value = 0.0 if latest is None else (1.0 if latest.war_located else 0.5)
    share = len(located) / HISTORY_YEARS
    value = CONFLICT_LATEST * latest_value + CONFLICT_HISTORY * share
    if latest is None:
        now = f"no armed conflict on its territory in {last}"
    elif latest.war_located:
        now = f"a war on its territory in {last}"
    else:
        now = f"a minor armed conflict on its territory in {last}"
    detail = f"{now}, conflict there in {len(located)} of the years {first}-{last}"
    return Component("conflict", value, WEIGHTS["conflict"], value, f"UCDP {first}-{last}", detail)


def _food(analyses: Sequence[IpcAnalysis], iso3: str, year: int) -> Component:
    found = ipc.latest(analyses, iso3, _as_of(year))
    if found is None or found.analysis_date is None or found.analysis_date < date(year - IPC_MAX_AGE_YEARS, 1, 1):
        return Component("food", 0.0, WEIGHTS["food"], None, "IPC: none", "no IPC analysis since "
                         f"January {year - IPC_MAX_AGE_YEARS}")
    period = found.headline()
    assert period is not None and period.phase3plus_share is not None  # ipc.latest only returns such analyses
    share = period.phase3plus_share
    when = found.analysis_date.strftime("%Y-%m")
    what = "projected " if period.label != "current" else ""
    return Component("food", min(1.0, share / FOOD_FULL), WEIGHTS["food"], share, f"IPC analysis {when} "
                     f"({found.name})", f"{_percent(share)} of the analysed population {what}in IPC phase 3 or "
                     f"worse, analysis of {when}")


def _explanation(name: str, rank: int, score: float, components: Sequence[Component],
                 missing: Sequence[str]) -> str:
    ordered = sorted(components, key=lambda c: (-c.contribution, list(WEIGHTS).index(c.key)))
    first, rest = ordered[0], [c for c in ordered[1:] if c.contribution > 0][:2]
    text = f"{name} ranks {rank} (score {score:.1f}), driven most by {first.label} ({first.detail})"
    if rest:
        text += "; then " + " and ".join(f"{c.label} ({c.detail})" for c in rest)
    if missing:
        text += f"; ND-GAIN does not score {name}, so it is ranked without {' and '.join(LABELS[m] for m in missing)}"
    return text + "."


def _rescaled(components: Sequence[Component]) -> tuple[Component, ...]:
    total = sum(WEIGHTS[c.key] for c in components)
    return tuple(Component(c.key, c.value, WEIGHTS[c.key] / total, c.raw, c.data, c.detail) for c in components)


def build(inputs: WatchlistInputs, year: int, previous: Watchlist | None = None, top_n: int = TOP_N) -> Watchlist:
    """The edition of ``year`` (see the module docstring for what it may use) and, given the ``previous`` edition,
    its :class:`Changes`. Raises ValueError for a year without ND-GAIN scores of ``year - 2`` or whose UCDP years
    (up to ``year - 1``) go beyond the data."""
    if not FIRST_EDITION <= year <= LAST_EDITION:
        raise ValueError(f"edition {year}: editions run from {FIRST_EDITION}")
    nd_year, ucdp_last = _ndgain_year(year), _ucdp_last(year)
    ucdp_end = max((r.year for r in inputs.conflicts), default=None)
    if ucdp_end is not None and ucdp_last > ucdp_end:
        raise ValueError(f"edition {year} needs UCDP conflict-years up to {ucdp_last}: the data end with {ucdp_end}")
    vulnerability = {c: v for (c, y), v in inputs.ndgain.indices.get("vulnerability", {}).items() if y == nd_year}
    readiness = {c: v for (c, y), v in inputs.ndgain.indices.get("readiness", {}).items() if y == nd_year}
    if not vulnerability or not readiness:
        raise ValueError(f"edition {year} needs ND-GAIN scores of {nd_year}: none in the data")
    scored = sorted(set(vulnerability) & set(readiness))
    v_norm = _minmax({c: vulnerability[c] for c in scored})
    r_norm = _minmax({c: 1.0 - readiness[c] for c in scored})
    conflicts = [r for r in inputs.conflicts if r.year <= ucdp_last]
    table = ucdp.active_by_country(conflicts)
    analyses = [a for a in inputs.ipc if a.iso3]
    others = {code for (code, y), entry in table.items()
              if ucdp_last - HISTORY_YEARS < y <= ucdp_last and entry.is_location}
    others |= {a.iso3 for a in analyses if a.analysis_date is not None
               and date(year - IPC_MAX_AGE_YEARS, 1, 1) <= a.analysis_date <= _as_of(year)}
    others = {successor(c) for c in others} - set(scored)
    provisional: list[tuple[float, str, tuple[Component, ...], tuple[str, ...]]] = []
    for code in sorted(set(scored) | others):
        food, conflict = _food(analyses, code, year), _conflict(table, code, year)
        if code in vulnerability and code in readiness:
            components: tuple[Component, ...] = (
                Component("vulnerability", v_norm[code], WEIGHTS["vulnerability"], vulnerability[code],
                          f"ND-GAIN {nd_year}", f"ND-GAIN vulnerability {vulnerability[code]:.2f} in {nd_year}"),
                Component("readiness", r_norm[code], WEIGHTS["readiness"], readiness[code], f"ND-GAIN {nd_year}",
                          f"ND-GAIN readiness {readiness[code]:.2f} in {nd_year}"),
                food, conflict)
            missing: tuple[str, ...] = ()
        else:
            components, missing = _rescaled((food, conflict)), ("vulnerability", "readiness")
        score = sum(c.contribution for c in components)
        provisional.append((round(score, 9), code, components, missing))
    provisional.sort(key=lambda item: (-item[0], item[1]))
    rows: list[WatchlistRow] = []
    for rank, (score, code, components, missing) in enumerate(provisional, start=1):
        label = country_name(code)
        rows.append(WatchlistRow(rank, code, label, score, components,
                                 _explanation(label, rank, score, components, missing), missing))
    ranked = {r.iso3 for r in rows}
    unscored = [(c, f"no ND-GAIN vulnerability and readiness for {nd_year}, no IPC analysis and no conflict on its "
                 "territory in the window") for c in inputs.ndgain.countries if c not in ranked]
    ipc_dates = sorted(a.analysis_date for a in analyses if a.analysis_date is not None
                       and date(year - IPC_MAX_AGE_YEARS, 1, 1) <= a.analysis_date <= _as_of(year))
    data = {"ndgain": str(nd_year), "ucdp": f"{ucdp_last - HISTORY_YEARS + 1}-{ucdp_last}",
            "ipc": (f"analyses dated {ipc_dates[0]:%Y-%m} to {ipc_dates[-1]:%Y-%m}" if ipc_dates else "none")}
    edition = Watchlist(year, rows, data, sources(), None, unscored, list(inputs.rejections))
    if previous is not None:
        edition.changes = changes(previous, edition, top_n)
    return edition


def changes(previous: Watchlist, current: Watchlist, top_n: int = TOP_N) -> Changes:
    """Entered, left, moved up and down within the top ``top_n`` from ``previous`` to ``current``."""
    before = {r.iso3: r for r in previous.rows[:top_n]}
    after = {r.iso3: r for r in current.rows[:top_n]}
    entered = tuple(r.iso3 for r in current.rows[:top_n] if r.iso3 not in before)
    left = tuple(r.iso3 for r in previous.rows[:top_n] if r.iso3 not in after)
    moves = [Move(c, after[c].name, before[c].rank, after[c].rank) for c in after if c in before]
    up = tuple(sorted((m for m in moves if m.rank < m.previous_rank), key=lambda m: (m.rank - m.previous_rank,
                                                                                         m.rank)))
    down = tuple(sorted((m for m in moves if m.rank > m.previous_rank), key=lambda m: (m.previous_rank - m.rank,
                                                                                           m.rank)))
    return Changes(previous.year, top_n, entered, left, up, down)


def top_decile(edition: Watchlist) -> list[WatchlistRow]:
    """The first ceil(n / 10) rows."""
    return edition.rows[:math.ceil(len(edition.rows) / 10)]


def editions(inputs: WatchlistInputs, years: Iterable[int], top_n: int = TOP_N) -> list[Watchlist]:
    """Consecutive editions, each with its changes against the one before."""
    built: list[Watchlist] = []
    for year in sorted(years):
        built.append(build(inputs, year, built[-1] if built else None, top_n))
    return built
