"""The catalogue: per object, every element set it was given (ordered by epoch) and its metadata.

Adding an element set that is already there (same object, epoch and elements, as happens when daily
snapshots repeat an object that was not re-observed) is a *repeat*: counted, not stored twice. A different
element set for the same object and epoch is a *revision*: the 18th SDS re-issues sets with the same epoch
and slightly different elements (seen in the shared CelesTrak snapshots: eccentricity changed in the 7th
decimal), and the one added later replaces the earlier one, which is counted.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from kompas.space.elements import ElementSet, ObjectInfo


class Added(Enum):
    """What :meth:`Catalog.add` did with an element set."""

    NEW = "new"
    REPEAT = "repeat"
    REVISED = "revised"


@dataclass
class CatalogObject:
    """One catalogued object: metadata and element-set history sorted by epoch."""

    info: ObjectInfo
    history: list[ElementSet] = field(default_factory=list)

    @property
    def latest(self) -> ElementSet:
        return self.history[-1]

    def at(self, time_utc: np.datetime64) -> ElementSet:
        """The element set to propagate to ``time_utc``: the newest with epoch <= time, else the oldest."""
        epochs = [e.epoch_utc for e in self.history]
        index = bisect.bisect_right(epochs, time_utc) - 1
        return self.history[max(index, 0)]


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
        """Insert an element set in its object's history, keeping epoch order."""
        obj = self._objects.get(elset.norad_id)
        if obj is None:
            obj = self._objects[elset.norad_id] = CatalogObject(ObjectInfo(elset.norad_id))
        if elset.name or elset.intl_designator:
            obj.info = obj.info.merged(ObjectInfo(elset.norad_id, name=elset.name,
                                                  intl_designator=elset.intl_designator))
        epochs = [e.epoch_utc for e in obj.history]
        index = bisect.bisect_left(epochs, elset.epoch_utc)
        if index < len(obj.history) and obj.history[index].epoch_utc == elset.epoch_utc:
            if obj.history[index].same_elements(elset):
                return Added.REPEAT
            obj.history[index] = elset
            return Added.REVISED
        obj.history.insert(index, elset)
        return Added.NEW

    def add_info(self, info: ObjectInfo) -> None:
        """Merge metadata (SATCAT) into the object's record, creating it if needed."""
        obj = self._objects.get(info.norad_id)
        if obj is None:
            self._objects[info.norad_id] = CatalogObject(info)
        else:
            obj.info = obj.info.merged(info)

    def __len__(self) -> int:
        return sum(1 for obj in self._objects.values() if obj.history)

    def __contains__(self, norad_id: object) -> bool:
        return norad_id in self._objects and bool(self._objects[norad_id].history)

    def __iter__(self) -> Iterator[CatalogObject]:
        """Objects that have at least one element set, by NORAD id."""
        return (self._objects[k] for k in sorted(self._objects) if self._objects[k].history)

    def __getitem__(self, norad_id: int) -> CatalogObject:
        return self._objects[norad_id]

    def get(self, norad_id: int) -> CatalogObject | None:
        return self._objects.get(norad_id)

    @property
    def element_set_count(self) -> int:
        return sum(len(obj.history) for obj in self._objects.values())

    def latest(self, norad_ids: Iterable[int] | None = None) -> list[ElementSet]:
        """Newest element set per object (all objects, or the given ids that exist), by NORAD id."""
        ids = sorted(set(norad_ids)) if norad_ids is not None else sorted(self._objects)
        return [self._objects[i].latest for i in ids if i in self]

    def elements(self) -> Iterator[ElementSet]:
        """Every element set, by object then epoch."""
        for obj in self:
            yield from obj.history
