"""Resilience: take elements out of the network (a bridge, a junction, a border crossing, an airfield, everything
in an area) and see which plans fail and what the detours cost; rank the elements most critical to a set of
corridors.

- :func:`stress` re-plans each corridor with the exact planner (:class:`~kompas.mobility.route.Planner`, border
  waits and gauges included) on the network without the removed elements;
- :class:`Ranking` ranks elements by the corridors they break and the hours they add. It uses a *static* form of
  the same search: every state ``(place, mode, gauge)`` the planner can be in and every move between states,
  weighted by its hours, as one sparse matrix (border waits left out: the ranking is about the network, not the
  permission calendar), searched with SciPy's compiled Dijkstra. Only an element on a corridor's fastest path can
  change that corridor's time when removed (any other path is no faster), so each element is re-searched only
  for the corridors whose path uses it, where a full recomputation re-searches every corridor for every element
  (:meth:`Ranking.rank` with ``full=True``, the baseline of ``benchmarks/mobility.py``).

Removed ids may name links, transfers or places (a place takes every link and transfer at it with it).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from kompas.mobility.model import Network
from kompas.mobility.network import Graph
from kompas.mobility.route import MODE_SETS, Needs, Plan, Planner, _Rules

NEVER = 1e12  #: the "time" given to the static search so that no border wait applies (hours)


@dataclass(frozen=True)
class Corridor:
    """A movement to keep open: from ``origin`` to ``destination`` (place ids) over ``modes``."""

    name: str
    origin: str
    destination: str
    modes: tuple[str, ...] = MODE_SETS[-1]


@dataclass(frozen=True)
class Outcome:
    """One corridor before and after a removal: hours (None: no plan), and whether it failed or slowed."""

    corridor: str
    before_hours: float | None
    after_hours: float | None
    lost: tuple[str, ...] = ()  #: removed elements the corridor's plan used

    @property
    def failed(self) -> bool:
        return self.before_hours is not None and self.after_hours is None

    @property
    def added_hours(self) -> float | None:
        """Hours the detour adds (None when the corridor failed or had no plan)."""
        if self.before_hours is None or self.after_hours is None:
            return None
        return round(self.after_hours - self.before_hours, 3)


@dataclass
class StressResult:
    """What a removal does to every corridor, with the plans after it."""

    removed: tuple[str, ...]
    outcomes: list[Outcome] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [o.corridor for o in self.outcomes if o.failed]


def stress(network: Network, corridors: Iterable[Corridor], needs: Needs, remove: Iterable[str],
           lead_days: Mapping[str, float] | None = None, start_utc: datetime | None = None) -> StressResult:
    """Plan every corridor on the whole network and without ``remove``; say which fail and what the detours
    cost (exact planner, border waits included; the plans' obstacles are named, not costed: one search per corridor
    and network, so a request's cost stays bounded by the corridors it names)."""
    gone = tuple(sorted(set(remove)))
    base = Planner(Graph(network), lead_days)
    after = Planner(Graph(network).without(gone), lead_days)
    result = StressResult(gone)
    for corridor in corridors:
        before = base.plan(needs, corridor.origin, corridor.destination, corridor.modes, start_utc, cost=False)
        if corridor.origin in gone or corridor.destination in gone:
            now = Plan(corridor.origin, corridor.destination, needs.name, corridor.modes, False, None, None,
                       start_utc)
        else:
            now = after.plan(needs, corridor.origin, corridor.destination, corridor.modes, start_utc, cost=False)
        result.plans[corridor.name] = now
        lost = tuple(sorted(before.used() & set(gone)))
        result.outcomes.append(Outcome(corridor.name, before.hours, now.hours, lost))
    return result


@dataclass(frozen=True)
class Rank:
    """One element's criticality: corridors it breaks, hours it adds over the others, and which corridors."""

    element: str
    name: str
    kind: str  #: link, transfer or place
    failed: tuple[str, ...]
    added_hours: float
    corridors: tuple[str, ...]


class Ranking:
    """The static state graph of a network for one package (see the module docstring), built once."""

    def __init__(self, network: Network, needs: Needs, modes: tuple[str, ...] = MODE_SETS[-1]) -> None:
        self.network = network
        self.needs = needs
        planner = Planner(Graph(network))
        index: dict[tuple[str, str, int], int] = {}
        heads: list[int] = []
        tails: list[int] = []
        hours: list[float] = []
        uses: list[tuple[str, ...]] = []
        rules = _Rules(strict=True)
        todo = [(pid, "", 0) for pid in network.places]
        for state in todo:
            index.setdefault(state, len(index))
        while todo:
            state = todo.pop()
            i = index[state]
            for nxt, _wait, leg, _met in planner._moves(needs, state, NEVER, modes, rules):
                if nxt not in index:
                    index[nxt] = len(index)
                    todo.append(nxt)
                heads.append(i)
                tails.append(index[nxt])
                hours.append(max(leg.end_h - leg.start_h, 1e-9))  # csgraph drops explicit zeros
                uses.append((leg.id, leg.frm, leg.to) if leg.kind in ("link", "transfer") else (leg.frm, leg.to))
        self.index = index
        self.heads = np.asarray(heads, dtype=np.int64)
        self.tails = np.asarray(tails, dtype=np.int64)
        self.hours = np.asarray(hours, dtype=float)
        self.uses = uses
        self.edges_of: dict[str, list[int]] = defaultdict(list)
        for k, ids in enumerate(uses):
            for element in ids:
                self.edges_of[element].append(k)
        by_place: dict[str, list[int]] = defaultdict(list)
        for (place, _mode, _gauge), i in index.items():
            by_place[place].append(i)
        self.targets = {p: np.asarray(v, dtype=np.int64) for p, v in by_place.items()}
        self._prepare()

    def _prepare(self) -> None:
        """The fastest move between each pair of states as one CSR matrix, and for each matrix entry the moves it
        stands for (parallel moves: csr_matrix would add duplicates up)."""
        n = len(self.index)
        order = np.lexsort((self.hours, self.tails, self.heads))
        h, t = self.heads[order], self.tails[order]
        first = np.ones(len(h), dtype=bool)
        first[1:] = (h[1:] != h[:-1]) | (t[1:] != t[:-1])
        self.base = csr_matrix((self.hours[order][first], (h[first], t[first])), shape=(n, n))
        self.base.sort_indices()
        indptr, indices = self.base.indptr, self.base.indices
        rows = self.heads
        starts = indptr[rows]
        ends = indptr[rows + 1]
        self.entry = np.empty(len(rows), dtype=np.int64)  #: the matrix entry (data position) of each move
        for k in range(len(rows)):
            self.entry[k] = starts[k] + np.searchsorted(indices[starts[k]:ends[k]], self.tails[k])
        self.moves_at: dict[int, list[int]] = defaultdict(list)
        for k, p in enumerate(self.entry.tolist()):
            self.moves_at[p].append(k)

    def _matrix(self, removed: Iterable[int] = ()) -> csr_matrix:
        """The base matrix without the moves ``removed`` (an entry left with no move gets an infinite weight)."""
        gone = set(removed)
        if not gone:
            return self.base
        data = self.base.data.copy()
        for p in {int(self.entry[k]) for k in gone}:
            left = [self.hours[k] for k in self.moves_at[p] if k not in gone]
            data[p] = min(left) if left else np.inf
        return csr_matrix((data, self.base.indices, self.base.indptr), shape=self.base.shape)

    def _hours(self, matrix: csr_matrix, corridors: list[Corridor], paths: bool = True
               ) -> list[tuple[float, list[int]]]:
        """Fastest hours of each corridor on ``matrix`` and the move indices of its path ([] when none, or
        when ``paths`` is false). One Dijkstra per distinct origin."""
        sources = sorted({self.index[(c.origin, "", 0)] for c in corridors if (c.origin, "", 0) in self.index})
        if sources:
            dist, pred = dijkstra(matrix, indices=sources, return_predecessors=True)
        row = {s: i for i, s in enumerate(sources)}
        out: list[tuple[float, list[int]]] = []
        for corridor in corridors:
            source = self.index.get((corridor.origin, "", 0))
            targets = self.targets.get(corridor.destination)
            if source is None or targets is None:
                out.append((math.inf, []))
                continue
            d = dist[row[source]]
            best = int(targets[np.argmin(d[targets])])
            if not math.isfinite(d[best]):
                out.append((math.inf, []))
                continue
            out.append((float(d[best]), self._path(pred[row[source]], source, best) if paths else []))
        return out

    def _path(self, pred: np.ndarray, source: int, target: int) -> list[int]:
        """Move indices along the predecessor chain (the fastest of parallel moves)."""
        indptr, indices = self.base.indptr, self.base.indices
        path: list[int] = []
        node = target
        while node != source and node >= 0:
            prev = int(pred[node])
            p = int(indptr[prev] + np.searchsorted(indices[indptr[prev]:indptr[prev + 1]], node))
            path.append(min(self.moves_at[p], key=lambda k: self.hours[k]))
            node = prev
        path.reverse()
        return path

    def rank(self, corridors: Iterable[Corridor], limit: int = 50, full: bool = False,
             candidates: Iterable[str] | None = None) -> list[Rank]:
        """Elements ranked by corridors broken, then hours added. Candidates are the elements on the corridors'
        fastest paths (or ``candidates``); ``full`` re-searches every corridor for every candidate (the baseline
        the incremental ranking is measured against; same answer)."""
        chosen = list(corridors)
        base = self._hours(self._matrix(), chosen)
        on_path: dict[str, set[int]] = defaultdict(set)
        for c, (_h, path) in enumerate(base):
            for k in path:
                for element in self.uses[k]:
                    on_path[element].add(c)
        ends = {c.origin for c in chosen} | {c.destination for c in chosen}
        pool = sorted(set(on_path) - ends) if candidates is None else sorted(set(candidates))
        ranks: list[Rank] = []
        for element in pool:
            affected = sorted(range(len(chosen))) if full else sorted(on_path.get(element, ()))
            if not affected:
                continue
            matrix = self._matrix(self.edges_of.get(element, ()))
            again = self._hours(matrix, [chosen[c] for c in affected], paths=False)
            failed: list[str] = []
            added = 0.0
            hit: list[str] = []
            for c, (hours, _path) in zip(affected, again, strict=True):
                before = base[c][0]
                if not math.isfinite(before):
                    continue
                if not math.isfinite(hours):
                    failed.append(chosen[c].name)
                elif hours - before > 1e-6:
                    added += hours - before
                else:
                    continue
                hit.append(chosen[c].name)
            if hit:
                ranks.append(Rank(element, self._name(element), self._kind(element), tuple(failed),
                                  round(added, 3), tuple(hit)))
        ranks.sort(key=lambda r: (-len(r.failed), -r.added_hours, r.element))
        return ranks[:limit]

    def _kind(self, element: str) -> str:
        if element in self.network.links:
            return "link"
        if element in self.network.transfers:
            return "transfer"
        return "place"

    def _name(self, element: str) -> str:
        for table in (self.network.links, self.network.transfers, self.network.places):
            found = table.get(element)
            if found is not None:
                return found.name or element
        return element
