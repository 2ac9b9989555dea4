"""Synthetic AIS for the maritime unit tests: tracks written in metres around a place, and NMEA sentences encoded
with pyais (the decoder Kompas reads through), so every expected value is known by construction."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pyais import encode_dict

from kompas.maritime.geo import EARTH_RADIUS_M, KNOT_MS
from kompas.maritime.model import Ingest, Positions, StaticReport
from kompas.maritime.nmea import nmea_checksum
from kompas.maritime.registry import station
from kompas.maritime.tracks import Track, Vessel

T0 = 1_735_128_000.0  #: 2024-12-25T12:00:00Z, Unix s
LAT0, LON0 = 59.5, 21.0  #: a spot in the open Baltic, north of Gotland


def degrees(x_m: Sequence[float] | np.ndarray, y_m: Sequence[float] | np.ndarray, lat0: float = LAT0,
            lon0: float = LON0) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of points ``x_m`` east and ``y_m`` north of (lat0, lon0): the inverse of the engine's local
    equirectangular metres, so a distance written here is the distance the detectors measure."""
    x, y = np.asarray(x_m, dtype=float), np.asarray(y_m, dtype=float)
    lat = lat0 + np.degrees(y / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(x / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    return lat, lon


Values = float | Sequence[float] | np.ndarray  #: one value for every fix, or one per fix


def positions(mmsi: int, t: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray,
              lon: Sequence[float] | np.ndarray, sog: Values = math.nan, cog: Values = math.nan,
              heading: Values = math.nan, status: int | Sequence[int] | np.ndarray = 0,
              source: str = "synthetic") -> Positions:
    """Positions of one vessel; scalars are repeated for every fix; lines number the fixes from 1."""
    n = len(t)

    def column(value: float | int | Sequence[float] | Sequence[int] | np.ndarray) -> list:
        return list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value] * n

    return Positions.from_columns({
        "mmsi": [mmsi] * n, "t": list(t), "lat": list(lat), "lon": list(lon), "sog": column(sog),
        "cog": column(cog), "heading": column(heading), "status": column(status), "msg_type": [1] * n,
        "source": [0] * n, "line": list(range(1, n + 1))}, (source,))


def track(fixes: Positions, vessel: Vessel | None = None) -> Track:
    """A track of ``fixes`` (one MMSI, time-ordered) without going through :func:`build_tracks`."""
    mmsi = int(fixes.mmsi[0])
    return Track(vessel or Vessel(mmsi, station=station(mmsi)[0]), fixes)


def steady(mmsi: int, start: float, hours: float, step_s: float, speed_kn: float, course_deg: float = 90.0,
           x0_m: float = 0.0, y0_m: float = 0.0, status: int = 0, lat0: float = LAT0,
           lon0: float = LON0) -> Positions:
    """A vessel on a straight course at a steady speed, reporting every ``step_s`` from ``start`` for ``hours``,
    heading equal to the course."""
    t = start + np.arange(int(round(hours * 3600 / step_s)) + 1) * step_s
    run = (t - start) * speed_kn * KNOT_MS
    x = x0_m + run * math.sin(math.radians(course_deg))
    y = y0_m + run * math.cos(math.radians(course_deg))
    lat, lon = degrees(x, y, lat0, lon0)
    return positions(mmsi, t, lat, lon, sog=speed_kn, cog=course_deg, heading=course_deg, status=status)


def ingest(parts: list[Positions], statics: Sequence[StaticReport] = ()) -> Ingest:
    """One ingest of several vessels' positions and static reports."""
    return Ingest(Positions.concat(parts), list(statics))


def sentence(body: str, start: str = "!") -> str:
    """``body`` as an NMEA sentence with its checksum: ``!BODY*HH``."""
    return f"{start}{body}*{nmea_checksum(body.encode()):02X}"


def tag_block(body: str) -> str:
    """``\\BODY*HH\\``: an NMEA 4.0 tag block with its checksum."""
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\"


def encode(**fields: str | int | float) -> list[str]:
    """The sentences pyais encodes ``fields`` into (a type 1 position report unless ``type`` says otherwise;
    ``seq_id`` is the sequence id of a multi-sentence message)."""
    seq_id = int(fields.pop("seq_id", 1))
    message: dict[str, str | int | float | bytes | bool] = {
        "type": 1, "mmsi": 230_000_001, "status": 0, "speed": 6.0, "lat": 60.0, "lon": 25.5, "course": 90.0,
        "heading": 90, **fields}
    return list(encode_dict(message, seq_id=seq_id))
