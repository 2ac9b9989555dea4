"""What AIS readers produce: columnar positions, static reports, counts and rejections (no I/O).

A day of a national AIS feed is millions of position reports, so positions are held as columns (numpy arrays),
not one object per report. Every reader returns an :class:`Ingest`: the positions it could use, the static and
voyage reports (name, call sign, IMO, type, dimensions), one :class:`~kompas.rejections.Rejection` per record it
could not use, and counts of what it saw (including the AIS "not available" values it blanked).

"Not available" in AIS is a value, not a gap: latitude 91, longitude 181, speed 102.3 kn, course 360, heading 511,
rate of turn -128, navigational status 15 (ITU-R M.1371-5, table 50). Kompas never uses them as numbers: a position
at 91/181 is rejected (it is no position), a speed, course or heading is blanked to NaN and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kompas.rejections import Rejection

#: ITU-R M.1371 "not available" values.
LAT_NA = 91.0
LON_NA = 181.0
SOG_NA = 102.3  #: knots; 102.2 means "102.2 knots or more", a real (if unusual) report
SOG_NA_LONG_RANGE = 63.0  #: type 27 (6-bit speed, whole knots)
COG_NA = 360.0
COG_NA_LONG_RANGE = 511.0  #: type 27 (9-bit course, whole degrees)
HEADING_NA = 511.0
STATUS_NA = 15  #: "not defined (default)"
NO_STATUS = -1  #: a report without a navigational status field (class B, types 18/19)

#: Navigational status (ITU-R M.1371-5 table 45), as AIS sends it.
STATUS = {0: "under way using engine", 1: "at anchor", 2: "not under command", 3: "restricted manoeuvrability",
          4: "constrained by her draught", 5: "moored", 6: "aground", 7: "engaged in fishing",
          8: "under way sailing", 9: "reserved (HSC)", 10: "reserved (WIG)", 11: "power-driven vessel towing astern",
          12: "power-driven vessel pushing ahead or towing alongside", 13: "reserved", 14: "AIS-SART, MOB or EPIRB",
          15: "not defined"}

#: Message types whose position Kompas uses for vessel tracks (class A 1-3, class B 18-19, long range 27).
POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
#: Message types carrying static or voyage data (5 class A, 24 class B parts A/B, 19 extended class B).
STATIC_TYPES = frozenset({5, 19, 24})


@dataclass
class Positions:
    """Position reports as columns, all arrays of one length (one row per report, in reading order).

    ``t`` is the receive time, Unix seconds UTC; ``sog`` knots, ``cog`` and ``heading`` degrees true (NaN where AIS
    sent "not available"); ``status`` the navigational status (:data:`NO_STATUS` where the message has none);
    ``source`` indexes :attr:`sources`; ``line`` is the 1-based line of the (last) sentence or CSV row.
    """

    mmsi: np.ndarray  #: int64
    t: np.ndarray  #: float64, Unix s UTC
    lat: np.ndarray  #: float64, degrees
    lon: np.ndarray  #: float64, degrees
    sog: np.ndarray  #: float64, knots
    cog: np.ndarray  #: float64, degrees
    heading: np.ndarray  #: float64, degrees
    status: np.ndarray  #: int8
    msg_type: np.ndarray  #: int8
    source: np.ndarray  #: int32, index into ``sources``
    line: np.ndarray  #: int64
    sources: tuple[str, ...] = ()

    COLUMNS = ("mmsi", "t", "lat", "lon", "sog", "cog", "heading", "status", "msg_type", "source", "line")
    DTYPES = ("int64", "float64", "float64", "float64", "float64", "float64", "float64", "int8", "int8", "int32",
              "int64")

    def __len__(self) -> int:
        return int(self.mmsi.shape[0])

    @staticmethod
    def of(arrays: list[np.ndarray], sources: tuple[str, ...]) -> Positions:
        """Positions from arrays in the order of :data:`COLUMNS`."""
        mmsi, t, lat, lon, sog, cog, heading, status, msg_type, source, line = arrays
        return Positions(mmsi, t, lat, lon, sog, cog, heading, status, msg_type, source, line, sources)

    @classmethod
    def empty(cls) -> Positions:
        """No positions."""
        return cls.of([np.zeros(0, dtype=dtype) for dtype in cls.DTYPES], ())

    @classmethod
    def from_columns(cls, columns: dict[str, list], sources: tuple[str, ...]) -> Positions:
        """Positions from lists of Python values (a reader's accumulators), one list per :data:`COLUMNS` name."""
        return cls.of([np.asarray(columns[name], dtype=dtype) for name, dtype in zip(cls.COLUMNS, cls.DTYPES,
                                                                                       strict=True)], sources)

    def take(self, index: np.ndarray) -> Positions:
        """The rows ``index`` (a boolean mask or integer indices), as new Positions."""
        return Positions.of([getattr(self, name)[index] for name in self.COLUMNS], self.sources)

    @staticmethod
    def concat(parts: list[Positions]) -> Positions:
        """One Positions from several, the source indices renumbered."""
        if not parts:
            return Positions.empty()
        sources: list[str] = []
        columns: dict[str, list[np.ndarray]] = {name: [] for name in Positions.COLUMNS}
        for part in parts:
            offset = len(sources)
            sources.extend(part.sources)
            for name in Positions.COLUMNS:
                value = getattr(part, name)
                columns[name].append(value + offset if name == "source" else value)
        return Positions.of([np.concatenate(columns[name]).astype(dtype)
                             for name, dtype in zip(Positions.COLUMNS, Positions.DTYPES, strict=True)], tuple(sources))


@dataclass(frozen=True)
class StaticReport:
    """One static or voyage report (type 5, 19 or 24), or a CSV row's vessel columns; ``""``/0 where not sent."""

    mmsi: int
    t: float  #: Unix s UTC; NaN when the receive time is unknown
    name: str = ""
    callsign: str = ""
    imo: int = 0
    ship_type: int = 0  #: ITU ship and cargo type, 0 = not available
    to_bow: int = 0  #: metres from the reference point
    to_stern: int = 0
    to_port: int = 0
    to_starboard: int = 0
    draught: float = 0.0  #: metres
    destination: str = ""
    msg_type: int = 0
    source: str = ""
    line: int = 0

    @property
    def length_m(self) -> int:
        return self.to_bow + self.to_stern

    @property
    def beam_m(self) -> int:
        return self.to_port + self.to_starboard


@dataclass
class Ingest:
    """What a reader made of one source: positions, static reports, rejections and counts."""

    positions: Positions
    statics: list[StaticReport] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  #: "lines", "messages", "type 1", "sog not available"...
    anonymous: bool = False  #: the identifiers are a source's own vessel ids, not MMSIs (no flag, no MMSI checks)

    @staticmethod
    def merge(parts: list[Ingest]) -> Ingest:
        """Several sources as one."""
        counts: dict[str, int] = {}
        for part in parts:
            for key, value in part.counts.items():
                counts[key] = counts.get(key, 0) + value
        return Ingest(Positions.concat([part.positions for part in parts]),
                      [s for part in parts for s in part.statics], [r for part in parts for r in part.rejections],
                      counts, any(part.anonymous for part in parts))


def blank(value: float, not_available: float) -> float:
    """``value``, or NaN when it is AIS's "not available" ``not_available`` (or beyond it)."""
    return float("nan") if value >= not_available else value
