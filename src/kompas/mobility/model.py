"""The military-mobility network as plain dataclasses (no I/O): places, links, airfields, ports and the transfers
between modes, plus what the readers rejected and which sources the network came from.

Units: lengths km (``length_km``), runway lengths m (``length_m``), speeds km/h, masses t (metric tonnes), heights and
widths m, gauges mm, times h (``hours``) unless a name says otherwise. Coordinates are WGS84 longitude/latitude in
degrees. Countries are ISO 3166-1 alpha-2 codes, ``""`` where the source gives none.

Ids are unique across the network and say where an element came from:

``osm:node/123``, ``osm:way/456#2``   an OpenStreetMap node; the 2nd piece of a way split at its junctions
``rinf:DE0FFM``, ``rinf:3600:DE0FFM-DE0FSO``   a RINF operational point; a RINF line section between two of them
``icao:EPWA``                            an airfield (OurAirports runways joined to the airportsdata list)
``port:<id>``                            a port (contributed: no open list of military-usable berths exists)
``test:...``                             the small, illustrative gauge-break test network (not real data)

A :class:`Link` is a road or rail section. ``None`` in a limit means the source does not say (unknown is not
unlimited: route answers list the unknowns they assumed passable). Air and sea legs are not links: they are made per
plan from the airfields and ports that can take the package (:mod:`kompas.mobility.route`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kompas.rejections import Rejection

Point = tuple[float, float]  #: (lon_deg, lat_deg)
Mode = Literal["road", "rail", "air", "sea"]
MODES: tuple[str, ...] = ("road", "rail", "air", "sea")
#: Kinds of :class:`Place`.
PLACE_KINDS: tuple[str, ...] = ("junction", "station", "border", "airfield", "port", "ramp")
#: Kinds of :class:`Transfer`: loading a train at a ramp, boarding aircraft, embarking on a ship, and moving a
#: load from one rail gauge to another (transshipment or bogie exchange).
TRANSFER_KINDS: tuple[str, ...] = ("rail-ramp", "air", "port", "transshipment")
STANDARD_GAUGE_MM = 1435  #: the standard gauge (most of the EU)
BROAD_GAUGES_MM: tuple[int, ...] = (1520, 1524)  #: the Russian gauge (Baltic states, Ukraine) and Finland's


@dataclass(frozen=True)
class Place:
    """A node of the network: a junction, a station, a border point, an airfield's or a port's gate."""

    id: str
    name: str
    lon: float
    lat: float
    country: str = ""
    kind: str = "junction"  #: one of :data:`PLACE_KINDS`
    source: str = ""


@dataclass(frozen=True)
class Link:
    """A road or rail section between two places, traversable both ways unless ``oneway``.

    The limits are those posted or registered for the section (OSM ``maxweight``, ``maxaxleload``, ``maxheight``,
    ``maxwidth``; a contributed NATO military load class ``mlc``); ``None`` where the source does not say."""

    id: str
    u: str
    v: str
    mode: Mode
    length_km: float
    maxspeed_kmh: float | None = None
    name: str = ""
    kind: str = ""  #: the source's class: OSM ``highway``/``railway`` value, or ``line`` for RINF
    bridge: bool = False
    tunnel: bool = False
    oneway: bool = False
    maxweight_t: float | None = None
    maxaxleload_t: float | None = None
    maxheight_m: float | None = None
    maxwidth_m: float | None = None
    mlc: int | None = None  #: NATO military load class (STANAG 2021) of a bridge, contributed
    gauge_mm: int | None = None  #: rail only
    electrified: bool | None = None  #: rail only
    country: str = ""
    source: str = ""
    line: tuple[Point, ...] = ()  #: the geometry, for maps (empty: the straight line between the places)


@dataclass(frozen=True)
class Runway:
    """One runway of an airfield (OurAirports ``runways.csv``), lengths in m."""

    id: str
    length_m: float
    width_m: float | None
    surface: str  #: as the source writes it (ASP, CONC, TURF...)
    paved: bool
    lighted: bool = False
    closed: bool = False


@dataclass(frozen=True)
class Airfield:
    """An airfield: its place in the network (``icao:XXXX``) and its runways."""

    id: str
    name: str
    lon: float
    lat: float
    country: str = ""
    runways: tuple[Runway, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Port:
    """A port usable for military sealift (contributed): roll-on/roll-off berths and how many vehicles a day it
    can load or unload (``None``: not stated)."""

    id: str
    name: str
    lon: float
    lat: float
    country: str = ""
    ro_ro: bool | None = None
    vehicles_per_day: float | None = None
    source: str = ""


@dataclass(frozen=True)
class Transfer:
    """A change of mode (or of rail gauge) between two places (possibly the same one): loading ramps, airfields,
    ports, gauge transshipment. ``hours`` is the time for one batch (one train, one aircraft, one ship);
    ``per_day`` how many batches the place handles a day (``None``: not stated)."""

    id: str
    a: str  #: place id on the ``from_mode`` side
    b: str  #: place id on the ``to_mode`` side
    kind: str  #: one of :data:`TRANSFER_KINDS`
    from_mode: Mode
    to_mode: Mode
    hours: float
    per_day: float | None = None
    gauges_mm: tuple[int, int] | None = None  #: transshipment only: the two gauges it joins
    name: str = ""
    source: str = ""


@dataclass
class Network:
    """The whole multimodal network, with the readers' rejections and the sources used (attribution and licence,
    shown wherever the network is)."""

    places: dict[str, Place] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    airfields: dict[str, Airfield] = field(default_factory=dict)
    ports: dict[str, Port] = field(default_factory=dict)
    transfers: dict[str, Transfer] = field(default_factory=dict)
    sources: list[dict[str, str]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def merge(self, other: Network) -> Network:
        """A new network holding both (``other`` wins where ids repeat)."""
        return Network(places={**self.places, **other.places}, links={**self.links, **other.links},
                       airfields={**self.airfields, **other.airfields}, ports={**self.ports, **other.ports},
                       transfers={**self.transfers, **other.transfers},
                       sources=[*self.sources, *[s for s in other.sources if s not in self.sources]],
                       rejections=[*self.rejections, *other.rejections])

    def counts(self) -> dict[str, int]:
        """How many of each kind of element the network holds."""
        return {"places": len(self.places), "links": len(self.links), "airfields": len(self.airfields),
                "ports": len(self.ports), "transfers": len(self.transfers)}
