"""Stress tests: cut a country or a company out of supply (an export ban, a blockade, a bankruptcy) and see what
each input loses and which technologies lose a critical input.

Loss per input, in the year its metrics use (:func:`kompas.observatory.metrics.assess_input`):

- a removed **country** takes its share of the input: the source's country row, or, where the source gives only
  company shares, the shares of the companies headquartered there;
- a removed **company** takes its own share (an input with country rows only cannot lose a company);
- ``cut_pct`` scales the removal (100: all of it; 50: an export quota halving it). Losses of several removed
  providers add up, to at most 100% (a country and one of its companies are not counted twice: a company's share
  is left out when its headquarters country is also removed).

A technology is affected when an input it needs (its upstream, :meth:`SupplyChain.upstream`) loses at least
``critical_pct`` of supply (default 50%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kompas.observatory.chain import SupplyChain
from kompas.observatory.config import Config
from kompas.observatory.metrics import assess_input, country_shares

CRITICAL_PCT = 50.0  #: Supply lost from which a technology counts as affected (percent).


@dataclass(frozen=True)
class Loss:
    """What one input loses in the scenario: percent of its supply, and the technologies that need it."""

    input_id: str
    input_name: str
    year: int | None
    supply_lost_pct: float
    lost_from: dict[str, float]
    technologies: tuple[str, ...]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def stress(chain: SupplyChain, removed: Sequence[str], config: Config, cut_pct: float = 100.0,
           critical_pct: float = CRITICAL_PCT) -> list[Loss]:
    """Every input that loses supply when the providers ``removed`` (provider ids: ISO 3166 alpha-3 codes for
    countries, ``company:<name>`` for companies) are cut by ``cut_pct`` percent, most lost first."""
    if not 0 < cut_pct <= 100:
        raise ValueError(f"cut {cut_pct}% is not in (0, 100]")
    gone = set(removed)
    countries = {p for p in gone if chain.providers[p].kind == "country"}
    losses = []
    for input_id, node in chain.inputs.items():
        year = assess_input(chain, input_id, config).year
        if year is None:
            continue
        shares, _ = country_shares(chain, input_id, year)
        lost = {code: shares[code] for code in countries & set(shares)}
        for s in chain.shares_of(input_id):
            provider = chain.providers[s.provider_id]
            if (s.year == year and s.share_pct and s.provider_id in gone and provider.kind == "company"
                    and provider.country not in countries):
                lost[provider.name] = s.share_pct
        total = min(100.0, sum(lost.values()) * cut_pct / 100)
        if total <= 0:
            continue
        affected = tuple(t for t in chain.technologies() if input_id in chain.upstream(t)) if total >= critical_pct \
            else ()
        losses.append(Loss(input_id, node.name, year, total, {k: v * cut_pct / 100 for k, v in lost.items()},
                           affected))
    return sorted(losses, key=lambda x: (-x.supply_lost_pct, -len(x.technologies), x.input_name))



def technologies_hit(losses: Sequence[Loss]) -> list[tuple[str, int]]:
    """Technologies ranked by how many of their inputs lost at least the critical share: ``(id, count)``."""
    from collections import Counter

    counts = Counter(t for loss in losses for t in loss.technologies)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
