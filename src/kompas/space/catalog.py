"""The catalogue: per object, every element set it was given (ordered by epoch) and its metadata.

Adding an element set that is already there (same object, epoch and elements, as happens when daily
snapshots repeat an object that was not re-observed) is a *repeat*: counted, not stored twice. A different
element set for the same object and epoch is a *revision*: the 18th SDS re-issues sets with the same epoch
and slightly different elements (seen in the shared CelesTrak snapshots: eccentricity changed in the 7th
decimal), and the one added later replaces the earlier one, which is counted.

**One history per (object, source).** Element sets of different sources (GP, SupGP, OEM, contributed:
:mod:`kompas.space.sources`) are never mixed: each object keeps a history per source
(:attr:`CatalogObject.histories`). :attr:`CatalogObject.history` is the one source its detectors read
(:func:`kompas.space.sources.detection_source`: the longest history); :attr:`CatalogObject.latest` and
:meth:`CatalogObject.at` give the set screening uses (:func:`kompas.space.sources.best`: precedence, age limit).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from kompas.space import sources
from kompas.space.elements import ElementSet, ObjectInfo


class Added(Enum):
    """What :meth:`Catalog.add` did with an element set."""

    NEW = "new"
    REPEAT = "repeat"
    REVISED = "revised"


@dataclass
class CatalogObject:
    """One catalogued object: metadata and an element-set history per source, each sorted by epoch."""

    info: ObjectInfo
    histories: dict[str, list[ElementSet]] = field(default_factory=dict)

    @property
    def history(self) -> list[ElementSet]:
        """The history the detectors read: one source only (:func:`kompas.space.sources.detection_source`)."""
        chosen = sources.detection_source(self.histories)
        return self.histories[chosen] if chosen is not None else []

    @property
    def detection_source(self) -> str | None:
        """The source of :attr:`history` (None without element sets)."""
        return sources.detection_source(self.histories)

    @property
    def screening_source(self) -> str | None:
        """The source of :attr:`latest` (:func:`kompas.space.sources.best`; None without element sets)."""
        return sources.best({s: h[-1].epoch_utc for s, h in self.histories.items() if h})

    @property
    def latest(self) -> ElementSet:
        """The set screening uses now: the newest of the best source (precedence and age limit)."""
        chosen = self.screening_source
        if chosen is None:
            raise IndexError(f"object {self.info.norad_id} has no element set")
        return self.histories[chosen][-1]

    @property
    def newest(self) -> ElementSet:
        """The newest element set of any source (ties: the better source)."""
        return max((h[-1] for h in self.histories.values() if h),
                   key=lambda e: (e.epoch_utc, -sources.rank(e.origin)))

    def at(self, time_utc: np.datetime64) -> ElementSet:
        """The element set to propagate to ``time_utc``: per source the newest with epoch <= time, then the best
        of those sources (:func:`kompas.space.sources.best`); when no source has one that early, the oldest set
        (of the better source on a tie)."""
        candidates = {}
        for name, history in self.histories.items():
            index = bisect.bisect_right([e.epoch_utc for e in history], time_utc) - 1
            if index >= 0:
                candidates[name] = history[index]
        chosen = sources.best({name: e.epoch_utc for name, e in candidates.items()})
        if chosen is not None:
            return candidates[chosen]
        firsts = [h[0] for h in self.histories.values() if h]
        if not firsts:
            raise IndexError(f"object {self.info.norad_id} has no element set")
        return min(firsts, key=lambda e: (e.epoch_utc, sources.rank(e.origin)))


class Catalog:
    """Objects by NORAD id. Build with :meth:`add` / :meth:`add_info` or :meth:`from_elements`."""

    def __init__(self) -> None:
        self._objects: dict[int, CatalogObject] = {}

    @classmethod
    def from_elements(cls, elsets: Iterable[ElementSet]) -> Catalog:
        catalog = cls()
        for elset in elsets:
            catalog.add(elset)
        return catalog

    def add(self, elset: ElementSet) -> Added:
        """Insert an element set in its object's history of its source (``elset.origin``), keeping epoch order."""
        obj = self._objects.get(elset.norad_id)
        if obj is None:
            obj = self._objects[elset.norad_id] = CatalogObject(ObjectInfo(elset.norad_id))
        if elset.name or elset.intl_designator:
            obj.info = obj.info.merged(ObjectInfo(elset.norad_id, name=elset.name,
                                                  intl_designator=elset.intl_designator))
        history = obj.histories.setdefault(elset.origin, [])
        epochs = [e.epoch_utc for e in history]
        index = bisect.bisect_left(epochs, elset.epoch_utc)
        if index < len(history) and history[index].epoch_utc == elset.epoch_utc:
            if history[index].same_elements(elset):
                return Added.REPEAT
            history[index] = elset
            return Added.REVISED
        history.insert(index, elset)
        return Added.NEW

    def add_info(self, info: ObjectInfo) -> None:
        """Merge metadata (SATCAT) into the object's record, creating it if needed."""
        obj = self._objects.get(info.norad_id)
        if obj is None:
            self._objects[info.norad_id] = CatalogObject(info)
        else:
            obj.info = obj.info.merged(info)

    def __len__(self) -> int:
        return sum(1 for obj in self._objects.values() if obj.histories)

    def __contains__(self, norad_id: object) -> bool:
        return norad_id in self._objects and bool(self._objects[norad_id].histories)

    def __iter__(self) -> Iterator[CatalogObject]:
        """Objects that have at least one element set, by NORAD id."""
        return (self._objects[k] for k in sorted(self._objects) if self._objects[k].histories)

    def __getitem__(self, norad_id: int) -> CatalogObject:
        return self._objects[norad_id]

    def get(self, norad_id: int) -> CatalogObject | None:
        return self._objects.get(norad_id)

    @property
    def element_set_count(self) -> int:
        return sum(len(h) for obj in self._objects.values() for h in obj.histories.values())

    def latest(self, norad_ids: Iterable[int] | None = None) -> list[ElementSet]:
        """Newest element set per object (all objects, or the given ids that exist), by NORAD id."""
        ids = sorted(set(norad_ids)) if norad_ids is not None else sorted(self._objects)
        return [self._objects[i].latest for i in ids if i in self]

    def elements(self) -> Iterator[ElementSet]:
        """Every element set, by object, then source (in :data:`kompas.space.sources.PRECEDENCE` order), then
        epoch."""
        for obj in self:
            for name in sorted(obj.histories, key=sources.rank):
                yield from obj.histories[name]
