"""The supply chain as data: inputs, providers, shares, and the graph of what goes into what.

An *input* is anything a technology needs: a material, a tool, a process, a design, a stage of production, or a
technology itself (``kind``; :data:`TECHNOLOGY_KINDS` are the ones results are rolled up to). Edges are "goes into"
(wafers go into fabrication materials) and "is a type of" (EUV lithography tools are a type of lithography tools);
both point from the supplier side to the user side, so the *downstream* of an input is everything that needs it.

A *provider* is a country (``country`` is its ISO 3166 alpha-3 code) or a company (``country`` its headquarters).
A *share* is a provider's percentage of an input's world supply in a year; ``share_pct`` None means the source names
the provider without a share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

TECHNOLOGY_KINDS = frozenset({"process", "stage", "technology", "output"})
KINDS = frozenset({"material", "raw_material", "tool", "design", *TECHNOLOGY_KINDS})


@dataclass(frozen=True)
class Input:
    """A node of the supply chain (``kind`` one of :data:`KINDS`)."""

    id: str
    name: str
    kind: str
    source: str = ""


@dataclass(frozen=True)
class Provider:
    """A country (``kind`` ``country``) or company (``company``), with its ISO 3166 alpha-3 country code."""

    id: str
    name: str
    kind: str
    country: str | None


@dataclass(frozen=True)
class Share:
    """``provider_id``'s share of ``input_id`` in ``year``, percent (None: named as a provider, share not given)."""

    provider_id: str
    input_id: str
    share_pct: float | None
    year: int
    source: str = ""


@dataclass(frozen=True)
class Link:
    """``source_id`` goes into (``relation`` ``goes_into``) or is a type of (``is_type_of``) ``target_id``."""

    source_id: str
    target_id: str
    relation: str


@dataclass
class SupplyChain:
    """Inputs, providers, shares and links, from one or more sources (merge them with :meth:`merge`)."""

    inputs: dict[str, Input] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    shares: list[Share] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def merge(self, other: SupplyChain) -> SupplyChain:
        """This chain with ``other``'s items added (the first definition of an id wins)."""
        return SupplyChain({**other.inputs, **self.inputs}, {**other.providers, **self.providers},
                           self.shares + other.shares, self.links + other.links)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The directed graph of inputs (edges from supplier side to user side, attribute ``relation``)."""
        import networkx as nx

        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from((i, {"name": node.name, "kind": node.kind}) for i, node in self.inputs.items())
        graph.add_edges_from((k.source_id, k.target_id, {"relation": k.relation}) for k in self.links
                             if k.source_id in self.inputs and k.target_id in self.inputs)
        return graph

    def downstream(self, input_id: str) -> set[str]:
        """Every input that needs ``input_id``, directly or through others."""
        import networkx as nx

        return nx.descendants(self.graph, input_id) if input_id in self.graph else set()

    def upstream(self, input_id: str) -> set[str]:
        """Every input that ``input_id`` needs, directly or through others."""
        import networkx as nx

        return nx.ancestors(self.graph, input_id) if input_id in self.graph else set()

    def technologies(self) -> list[str]:
        """Ids of the inputs results are rolled up to (kinds in :data:`TECHNOLOGY_KINDS`), in id order."""
        return sorted(i for i, node in self.inputs.items() if node.kind in TECHNOLOGY_KINDS)

    def shares_of(self, input_id: str) -> list[Share]:
        return self._by_input.get(input_id, [])

    @cached_property
    def _by_input(self) -> dict[str, list[Share]]:
        out: dict[str, list[Share]] = {}
        for s in self.shares:
            out.setdefault(s.input_id, []).append(s)
        return out

    def years(self, input_id: str) -> list[int]:
        """The years with shares for ``input_id``, ascending."""
        return sorted({s.year for s in self.shares_of(input_id)})

    def find_providers(self, names: Iterable[str]) -> dict[str, list[str]]:
        """Provider ids by the name asked for, matching provider names, aliases or ids case-insensitively."""
        out = {}
        for name in names:
            key = name.strip().casefold()
            out[name] = [p.id for p in self.providers.values() if key in (p.name.casefold(), p.id.casefold())]
        return out
