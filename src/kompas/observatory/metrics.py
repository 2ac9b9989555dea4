"""Dependency metrics per input, the criticality score, and their roll-up to technologies.

For one input and year (the latest with shares, unless a year is asked for):

- ``country_shares``: percent of world supply per ISO 3166 alpha-3 code. From the source's country rows; where a
  source gives only company shares, from the companies summed by headquarters country (``basis`` says which).
- ``hhi_country`` / ``hhi_company``: Herfindahl-Hirschman index, the sum of squared percentage shares
  (0-10,000; 10,000 is one supplier). Unattributed supply ("various countries") is left out of the index.
- ``eu_share_pct``, ``like_minded_share_pct`` (EU and like-minded partners), ``outside_share_pct`` (the rest,
  unattributed included), ``unattributed_pct``.
- ``top_country`` and ``top_share_pct``; ``n_countries`` and ``n_companies`` with a share above zero, or named;
  ``named_countries``: the companies named per headquarters country (with 0 for a country named on its own).
- ``single_point``: the country or company holding at least the configured share (default 80%), or None.
- ``score``: the configured weighted combination (:mod:`kompas.observatory.config`), ``risk`` high/medium/low.

An input whose source names providers but gives no shares has ``basis`` ``named`` and no score: it is listed with
the countries of its named providers, never guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kompas.observatory.chain import SupplyChain
from kompas.observatory.config import UNATTRIBUTED, Config


@dataclass(frozen=True)
class Dependency:
    """The metrics of one input in one year (module docstring)."""

    input_id: str
    input_name: str
    kind: str
    year: int | None
    basis: str  # "countries", "companies" (summed by headquarters), "named" (no shares) or "none"
    country_shares: dict[str, float] = field(default_factory=dict)
    company_shares: dict[str, float] = field(default_factory=dict)
    named_countries: dict[str, int] = field(default_factory=dict)
    hhi_country: float | None = None
    hhi_company: float | None = None
    eu_share_pct: float | None = None
    like_minded_share_pct: float | None = None
    outside_share_pct: float | None = None
    unattributed_pct: float | None = None
    top_country: str | None = None
    top_share_pct: float | None = None
    n_countries: int = 0
    n_companies: int = 0
    single_point: str | None = None
    terms: dict[str, float] = field(default_factory=dict)
    score: float | None = None
    risk: str = "unknown"
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class TechnologyExposure:
    """A technology's exposure: the inputs it needs (upstream), ranked by score."""

    technology_id: str
    name: str
    inputs: tuple[str, ...]
    high: tuple[str, ...]
    single_points: tuple[str, ...]
    worst_id: str | None
    worst_score: float | None

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def hhi(shares_pct: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of percentage shares (0-10,000)."""
    return float(sum(s * s for s in shares_pct))


def country_shares(chain: SupplyChain, input_id: str, year: int) -> tuple[dict[str, float], str]:
    """Percent of supply by country code and the basis (``countries`` or ``companies``) in ``year``."""
    rows = [(s.provider_id, s.share_pct) for s in chain.shares_of(input_id)
            if s.year == year and s.share_pct is not None]
    by_country: dict[str, float] = defaultdict(float)
    for provider_id, pct in rows:
        if chain.providers[provider_id].kind == "country":
            by_country[provider_id] += pct
    if by_country:
        return dict(by_country), "countries"
    for provider_id, pct in rows:
        provider = chain.providers[provider_id]
        by_country[provider.country or UNATTRIBUTED] += pct
    return dict(by_country), "companies" if by_country else "none"


def assess_input(chain: SupplyChain, input_id: str, config: Config, year: int | None = None) -> Dependency:
    """The metrics of ``input_id`` in ``year`` (default: the latest year with shares at or before ``year``)."""
    node = chain.inputs[input_id]
    years = [y for y in chain.years(input_id) if year is None or y <= year]
    if not years:
        return Dependency(input_id, node.name, node.kind, None, "none")
    valued = [y for y in years if any(s.share_pct is not None for s in chain.shares_of(input_id) if s.year == y)]
    chosen = valued[-1] if valued else years[-1]
    rows = [s for s in chain.shares_of(input_id) if s.year == chosen]
    companies = {chain.providers[s.provider_id].name: s.share_pct for s in rows
                 if chain.providers[s.provider_id].kind == "company" and s.share_pct is not None
                 and chain.providers[s.provider_id].name not in config.unattributed}
    named = Counter(chain.providers[s.provider_id].country or UNATTRIBUTED for s in rows
                    if chain.providers[s.provider_id].kind == "company")
    shares, basis = country_shares(chain, input_id, chosen)
    if basis == "none":
        named_countries = {s.provider_id for s in rows if chain.providers[s.provider_id].kind == "country"}
        return Dependency(input_id, node.name, node.kind, chosen, "named",
                          named_countries={c: named.get(c, 0) for c in named_countries | set(named)},
                          n_countries=len((named_countries | set(named)) - {UNATTRIBUTED}),
                          n_companies=sum(named.values()))
    attributed = {c: v for c, v in shares.items() if c != UNATTRIBUTED}
    eu = sum(v for c, v in attributed.items() if c in config.eu)
    like = sum(v for c, v in attributed.items() if c in config.like_minded)
    total = sum(shares.values()) or 1.0
    top = max(attributed, key=lambda c: attributed[c]) if attributed else None
    top_share = attributed.get(top, 0.0) if top else 0.0
    limit = config.thresholds["single_point_pct"]
    best_company = max(companies, key=lambda c: companies[c]) if companies else None
    single = top if top and top_share >= limit else (
        best_company if best_company and companies[best_company] >= limit else None)
    # percentages of the whole (sources may sum to a little over 100 through rounding: normalise)
    eu_pct, like_pct = 100 * eu / total, 100 * like / total
    unattributed = 100 * shares.get(UNATTRIBUTED, 0.0) / total
    terms = {"concentration": hhi(attributed.values()) / 10_000, "outside_like_minded": (100 - like_pct) / 100,
             "top_country": top_share / 100, "eu_gap": 1 - eu_pct / 100, "single_point": 1.0 if single else 0.0}
    terms = {k: min(1.0, max(0.0, v)) for k, v in terms.items()}
    weights = config.weights
    score = sum(weights.get(k, 0.0) * v for k, v in terms.items()) / sum(weights.values())
    t = config.thresholds
    risk = "high" if score >= t["high"] else "medium" if score >= t["medium"] else "low"
    flags = _flags(node.kind, hhi(attributed.values()), 100 - like_pct, eu_pct, single, config)
    return Dependency(input_id, node.name, node.kind, chosen, basis, shares, companies, dict(named),
                      hhi(attributed.values()), hhi(companies.values()) if companies else None, eu_pct, like_pct,
                      100 - like_pct, unattributed, top, top_share,
                      sum(1 for v in attributed.values() if v > 0), sum(1 for v in companies.values() if v > 0),
                      single, terms, score, risk, flags)


def _flags(kind: str, index: float, outside: float, eu: float, single: str | None, config: Config) -> tuple[str, ...]:
    """The dependency kinds (keys of the mitigation rules) that describe this input."""
    t = config.thresholds
    flags = []
    if index > t["concentrated_hhi"]:
        flags.append("concentrated_supply")
    if outside >= t["outside_pct"]:
        flags.append("outside_like_minded")
    if single:
        flags.append("single_point_of_failure")
    if eu < t["low_eu_pct"]:
        flags.append("low_eu_share")
    flags += {"raw_material": ["raw_material"], "tool": ["equipment_or_tools"],
              "design": ["design_or_ip"], "process": ["fabrication_capacity"], "stage": ["fabrication_capacity"]
              }.get(kind, [])
    return tuple(flags)


def assess(chain: SupplyChain, config: Config, year: int | None = None) -> list[Dependency]:
    """Every input's metrics, ranked: scored ones by score (highest first), then the unscored by name."""
    found = [assess_input(chain, i, config, year) for i in chain.inputs]
    return sorted(found, key=lambda d: (d.score is None, -(d.score or 0.0), d.input_name))


def roll_up(chain: SupplyChain, dependencies: Sequence[Dependency]) -> list[TechnologyExposure]:
    """Each technology with the inputs it needs (itself included when it has shares), worst first."""
    by_id = {d.input_id: d for d in dependencies}
    out = []
    for tech in chain.technologies():
        needed = sorted((i for i in chain.upstream(tech) | {tech} if by_id.get(i) and by_id[i].score is not None),
                        key=lambda i: (-(by_id[i].score or 0.0), by_id[i].input_name))
        out.append(TechnologyExposure(tech, chain.inputs[tech].name, tuple(needed),
                                      tuple(i for i in needed if by_id[i].risk == "high"),
                                      tuple(i for i in needed if by_id[i].single_point),
                                      needed[0] if needed else None, by_id[needed[0]].score if needed else None))
    return sorted(out, key=lambda t: (t.worst_score is None, -(t.worst_score or 0), -len(t.high), t.name))


@dataclass(frozen=True)
class Trend:
    """How an input's supply changed between two years (shares in percent, HHI 0-10,000)."""

    input_id: str
    input_name: str
    first_year: int
    last_year: int
    top_country: str | None
    top_share_change_pct: float
    hhi_change: float
    outside_change_pct: float
    changes: dict[str, float]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def trends(chain: SupplyChain, config: Config) -> list[Trend]:
    """Inputs with shares in two or more years: change from the first to the last year, the dependencies that grew
    most (HHI) first. ``changes``: percentage-point change of each country's share."""
    out = []
    for input_id in chain.inputs:
        years = [y for y in chain.years(input_id)
                 if any(s.share_pct is not None for s in chain.shares_of(input_id) if s.year == y)]
        if len(years) < 2:
            continue
        first, last = assess_input(chain, input_id, config, years[0]), assess_input(chain, input_id, config,
                                                                                    years[-1])
        countries = set(first.country_shares) | set(last.country_shares)
        changes = {c: last.country_shares.get(c, 0.0) - first.country_shares.get(c, 0.0) for c in countries}
        top = last.top_country
        out.append(Trend(input_id, last.input_name, years[0], years[-1], top,
                         (last.top_share_pct or 0) - first.country_shares.get(top or "", 0.0),
                         (last.hhi_country or 0) - (first.hhi_country or 0),
                         (last.outside_share_pct or 0) - (first.outside_share_pct or 0),
                         dict(sorted(changes.items(), key=lambda kv: -abs(kv[1])))))
    return sorted(out, key=lambda t: -t.hhi_change)
