"""The mitigation map: each dependency linked to the instruments the critical technologies roadmap names for it.

The rule table is ``kompas/data/observatory_mitigations.yaml``: instruments (EDF, Horizon Europe, the Chips Act,
IPCEI, FDI screening, alliances, stockpiling and circularity, partnerships such as the EU-US TTC, ...), each with
the dependency kinds it ``addresses`` (the ``flags`` of :class:`kompas.observatory.metrics.Dependency`), what it
does, and the seed lines that say so (checked against the seed text by the tests). An instrument is proposed for a
dependency when they share a kind; those sharing more kinds come first. :func:`parse_rules` takes the table's text;
:func:`kompas.observatory.load.load_mitigations` reads it (by default the shipped one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kompas.compass.register import Place, place_of
from kompas.texts import yaml_mapping


@dataclass(frozen=True)
class Instrument:
    """An EU instrument and the dependency kinds it addresses, with the roadmap lines that name it."""

    id: str
    name: str
    kind: str
    addresses: frozenset[str]
    action: str
    cite: tuple[Place, ...]

    @property
    def citation(self) -> str:
        """``roadmap l.1001-1004; ...`` for a report."""
        short = {"003": "roadmap", "000": "Compass", "004": "space conclusions"}
        return "; ".join(f"{short.get(p.source[:3], p.source)} l.{p.first}-{p.last}" for p in self.cite)


def parse_rules(text: str, source: str) -> list[Instrument]:
    """The rule table from its YAML text (``instruments: [{id, name, kind, addresses, action, cite}]``); raises
    ``ValueError`` ``SOURCE: instrument N: ...`` naming the instrument and field that is wrong."""
    items = yaml_mapping(text, source).get("instruments") or []
    out = []
    for number, raw in enumerate(items, 1):
        where = f"{source}: instrument {number}"
        if not isinstance(raw, dict) or not all(raw.get(k) for k in ("id", "name", "addresses", "action", "cite")):
            raise ValueError(f"{where}: needs id, name, addresses, action and cite")
        if not isinstance(raw["addresses"], list) or not (isinstance(raw["cite"], list)
                                                          and all(isinstance(c, dict) for c in raw["cite"])):
            raise ValueError(f"{where}: addresses is a list of flags, cite a list of {{source, lines, quote}}")
        out.append(Instrument(str(raw["id"]), str(raw["name"]), str(raw.get("kind", "other")),
                              frozenset(raw["addresses"]), str(raw["action"]).strip(),
                              tuple(place_of(c, c.get("source", ""), f"{where}: cite") for c in raw["cite"])))
    return out


#: Flags that say what the input is (not how its supply is spread): an instrument for that kind of input counts
#: double when ranking, so that raw materials get the raw-material instruments first.
KIND_FLAGS = frozenset({"raw_material", "equipment_or_tools", "design_or_ip", "fabrication_capacity"})


def propose(flags: Sequence[str], rules: Sequence[Instrument], limit: int = 4) -> list[Instrument]:
    """The instruments for a dependency with these ``flags``, best match first (a shared kind-of-input flag counts
    2, any other shared flag 1; ties in table order)."""
    wanted = set(flags)
    scored = [(sum(2 if f in KIND_FLAGS else 1 for f in wanted & r.addresses), k, r) for k, r in enumerate(rules)
              if wanted & r.addresses]
    return [r for _, _, r in sorted(scored, key=lambda x: (-x[0], x[1]))][:limit]
