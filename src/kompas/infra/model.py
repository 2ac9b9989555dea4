"""The elements of the infrastructure graph, as plain frozen dataclasses (no I/O).

Five kinds of element, each with a ``ref`` ``"<kind>:<id>"`` unique across kinds:

``landing``   a cable landing station (TeleGeography landing points are city-level, not the building)
``cable``     a submarine cable; its segments join the landing points it lists (the public map gives no segment
              topology, so a cable joins every pair of its landing points); ``kind`` ``telecom`` or ``power``
``link``      a point-to-point connection with a rated capacity: an HVDC link (MW), an AC cross-border line (MW,
              estimated from voltage and circuits unless stated) or a contributed pipeline (GWh/d)
``building``  a building hosting internet exchanges (a colocation or data centre)
``exchange``  an internet exchange point (IXP) and the buildings it is present in

Coordinates are WGS84 longitude/latitude in degrees; routes are tuples of lines, each a tuple of (lon, lat).
Countries are ISO 3166-1 alpha-2 codes; ``""`` where the source names no country Kompas can map (reported as a
rejection by the reader, never guessed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Point = tuple[float, float]  #: (lon_deg, lat_deg)
Line = tuple[Point, ...]
Route = tuple[Line, ...]
Kind = Literal["landing", "cable", "link", "building", "exchange"]
KINDS: tuple[str, ...] = ("landing", "cable", "link", "building", "exchange")
#: Units of link capacity, and the stress-test ``kind`` a link's capacity is reported under.
LINK_KINDS = {"hvdc": "MW", "ac": "MW", "pipeline": "GWh/d"}

PUBLIC = "public"  #: ``origin`` of an element read from the public data (else the contributing organisation)


def ref(kind: str, element_id: str) -> str:
    """The unique reference of an element: ``"cable:c-lion1"``."""
    return f"{kind}:{element_id}"


@dataclass(frozen=True)
class Landing:
    """A cable landing point (city-level)."""

    id: str
    name: str
    country: str
    lon: float
    lat: float
    origin: str = PUBLIC
    source: str = ""

    kind = "landing"

    @property
    def ref(self) -> str:
        return ref("landing", self.id)


@dataclass(frozen=True)
class Cable:
    """A submarine cable. ``landings`` are landing ids (in the source's order); ``countries`` the sorted distinct
    countries of those landings; ``length_km`` as the source states it; ``capacity_tbps`` design capacity where a
    contributor states it (the public map has none)."""

    id: str
    name: str
    landings: tuple[str, ...]
    countries: tuple[str, ...]
    owners: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    rfs_year: int | None = None
    planned: bool = False
    length_km: float | None = None
    capacity_tbps: float | None = None
    cable_kind: str = "telecom"
    route: Route = ()
    origin: str = PUBLIC
    source: str = ""
    url: str = ""

    kind = "cable"

    @property
    def ref(self) -> str:
        return ref("cable", self.id)


@dataclass(frozen=True)
class Link:
    """A connection between two countries (or within one) with a rated capacity: ``link_kind`` ``hvdc``, ``ac`` or
    ``pipeline``; ``capacity`` in ``unit`` (MW for power, GWh/d for gas); ``estimated`` when the capacity is derived
    (AC lines: from voltage and circuits) rather than a published rating; ``ends`` the two terminals (converter
    stations, substations) as (lon, lat); ``status`` ``operating``, ``planned`` or ``decommissioned``."""

    id: str
    name: str
    link_kind: str
    countries: tuple[str, str]
    capacity: float | None
    unit: str = "MW"
    estimated: bool = False
    year: int | None = None
    owners: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    ends: tuple[Point, Point] | None = None
    route: Route = ()
    status: str = "operating"
    origin: str = PUBLIC
    source: str = ""
    note: str = ""

    kind = "link"

    @property
    def ref(self) -> str:
        return ref("link", self.id)


@dataclass(frozen=True)
class Building:
    """A building (colocation, data centre) hosting internet exchanges."""

    id: str
    name: str
    city: str
    country: str
    lon: float
    lat: float
    exchanges: tuple[str, ...] = ()
    origin: str = PUBLIC
    source: str = ""

    kind = "building"

    @property
    def ref(self) -> str:
        return ref("building", self.id)


@dataclass(frozen=True)
class Exchange:
    """An internet exchange point and the buildings it is present in."""

    id: str
    name: str
    city: str
    country: str
    buildings: tuple[str, ...] = ()
    since_year: int | None = None
    origin: str = PUBLIC
    source: str = ""

    kind = "exchange"

    @property
    def ref(self) -> str:
        return ref("exchange", self.id)


Element = Landing | Cable | Link | Building | Exchange


@dataclass(frozen=True)
class Rejection:
    """A record a reader could not use: where it is (``source`` file, ``record`` line or id), which ``field``, why."""

    source: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.record}: {self.field}: {self.reason}"


@dataclass
class Network:
    """The whole graph: every element by id, per kind, and the rejections of the readers that built it.
    ``sources`` names each data set used with its attribution and licence (shown wherever the data is shown)."""

    landings: dict[str, Landing] = field(default_factory=dict)
    cables: dict[str, Cable] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    buildings: dict[str, Building] = field(default_factory=dict)
    exchanges: dict[str, Exchange] = field(default_factory=dict)
    sources: list[dict[str, str]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def table(self, kind: str) -> dict[str, Any]:
        """The elements of ``kind`` (one of :data:`KINDS`) by id."""
        tables: dict[str, dict[str, Any]] = {"landing": self.landings, "cable": self.cables, "link": self.links,
                                             "building": self.buildings, "exchange": self.exchanges}
        return tables[kind]

    def elements(self) -> list[Element]:
        """Every element, kind by kind."""
        return [*self.landings.values(), *self.cables.values(), *self.links.values(), *self.buildings.values(),
                *self.exchanges.values()]

    def get(self, element_ref: str) -> Element | None:
        """The element of ``"kind:id"``, or None."""
        kind, _, element_id = element_ref.partition(":")
        if kind not in KINDS:
            return None
        found: Element | None = self.table(kind).get(element_id)
        return found

    def add(self, element: Element) -> None:
        """Add (or replace) ``element`` in its table."""
        self.table(element.kind)[element.id] = element

    def merged(self, other: Network) -> Network:
        """A new network: this one with ``other``'s elements added (an element of ``other`` with the id of one here
        replaces it: a contributor correcting the public map), sources and rejections of both."""
        out = Network({**self.landings, **other.landings}, {**self.cables, **other.cables},
                      {**self.links, **other.links}, {**self.buildings, **other.buildings},
                      {**self.exchanges, **other.exchanges}, [*self.sources, *other.sources],
                      [*self.rejections, *other.rejections])
        return out
