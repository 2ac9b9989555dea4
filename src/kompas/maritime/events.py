"""A detected behaviour or data error, with the positions that triggered it (no I/O).

Every event names its vessel, its start and end (Unix s UTC), a representative position, the rule that fired
(``detail["rule"]``, in words with the thresholds used) and its evidence: the fixes that triggered it, at most
:data:`EVIDENCE_MAX` of them (the first and last always; ``detail["evidence_fixes"]`` counts them all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from kompas.maritime.model import Positions
from kompas.maritime.tracks import Vessel

EVIDENCE_MAX = 60  #: fixes kept as evidence per event

#: Event types, what they mean, and whether they are data errors rather than behaviour.
TYPES: dict[str, tuple[str, bool]] = {
    "dark": ("AIS gap where others were heard: the vessel went silent in coverage", False),
    "reception_gap": ("AIS gap where no one else was heard either: a coverage hole, not dark activity", False),
    "stop": ("stationary within a small circle for a while", False),
    "loitering": ("slow, not stopped, not at a berth, for hours", False),
    "drift": ("slow, course over ground away from the heading, not at anchor or moored", False),
    "anchor_drag": ("moving over the ground while reporting at anchor or restricted in ability to manoeuvre", False),
    "encounter": ("two vessels slow and close together for hours: a ship-to-ship transfer candidate", False),
    "identity": ("identity anomaly: invalid or unallocated MMSI or IMO, one MMSI in two places, changed names", False),
    "position_jump": ("data error: a fix the vessel could not have reached", True),
    "speed_glitch": ("data error: a reported speed the positions cannot explain", True),
}


def iso(t: float) -> str:
    """ISO 8601 UTC with milliseconds, ``2014-09-28T16:50:04.556Z``."""
    if not math.isfinite(t):
        return ""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def sample(fixes: Positions, limit: int = EVIDENCE_MAX) -> Positions:
    """At most ``limit`` of ``fixes``: the first and last, and evenly spaced ones between."""
    n = len(fixes)
    if n <= limit:
        return fixes
    return fixes.take(np.unique(np.linspace(0, n - 1, limit).round().astype(np.int64)))


def _num(value: float, digits: int) -> float | None:
    return round(float(value), digits) if math.isfinite(value) else None


@dataclass
class Event:
    """One detected behaviour or data error."""

    type: str  #: a key of :data:`TYPES`
    mmsi: int
    start: float  #: Unix s UTC
    end: float
    lat: float  #: degrees, where it happened (first fix for a gap, the centre for a stop)
    lon: float
    evidence: Positions  #: the fixes that triggered it (sampled)
    detail: dict[str, Any] = field(default_factory=dict)
    vessel: Vessel | None = None
    other_mmsi: int = 0  #: the other vessel of an encounter
    assets: list[dict[str, Any]] = field(default_factory=list)  #: infrastructure named by the watch

    @property
    def data_error(self) -> bool:
        return TYPES[self.type][1]

    @property
    def duration_s(self) -> float:
        return self.end - self.start

    def evidence_rows(self) -> list[dict[str, Any]]:
        """The evidence as JSON rows: time, position, speed, course, heading, status, source and line."""
        fixes = self.evidence
        return [{"time_utc": iso(float(fixes.t[i])), "lat": round(float(fixes.lat[i]), 6),
                 "lon": round(float(fixes.lon[i]), 6), "sog_kn": _num(fixes.sog[i], 1),
                 "cog_deg": _num(fixes.cog[i], 1), "heading_deg": _num(fixes.heading[i], 0),
                 "status": int(fixes.status[i]), "mmsi": int(fixes.mmsi[i]),
                 "source": fixes.sources[fixes.source[i]] if fixes.sources else "", "line": int(fixes.line[i])}
                for i in range(len(fixes))]

    def as_dict(self) -> dict[str, Any]:
        """The event as printed by ``kompas maritime detect --format json`` and served by the API."""
        vessel = self.vessel
        return {
            "type": self.type, "mmsi": self.mmsi, "start_utc": iso(self.start), "end_utc": iso(self.end),
            "duration_s": round(self.duration_s, 1), "lat": round(self.lat, 6), "lon": round(self.lon, 6),
            "data_error": self.data_error,
            "vessel": ({"name": vessel.name, "callsign": vessel.callsign, "imo": vessel.imo,
                        "ship_type": vessel.ship_type, "length_m": vessel.length_m,
                        "flag": vessel.flag.country if vessel.flag else "",
                        "flag_name": vessel.flag.name if vessel.flag else ""} if vessel else None),
            "other_mmsi": self.other_mmsi or None,
            "asset": "; ".join(a["name"] for a in self.assets),
            "assets": self.assets,
            "detail": self.detail,
            "evidence": self.evidence_rows(),
        }
