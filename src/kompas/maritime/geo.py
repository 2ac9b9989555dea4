"""Distances and bearings on the sphere, vectorised (numpy), for tracks of AIS positions.

A spherical Earth (mean radius 6,371,008.8 m) is within 0.5 % of the ellipsoid, far below AIS position noise at
the scales the detectors use (metres to tens of kilometres).
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8
KNOT_MS = 1852.0 / 3600.0  #: metres per second in one knot
NM_M = 1852.0  #: metres in a nautical mile


def haversine_m(lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float,
                lon2: np.ndarray | float) -> np.ndarray:
    """Great-circle distance in metres between points given in degrees (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def bearing_deg(lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float,
                lon2: np.ndarray | float) -> np.ndarray:
    """Initial great-circle bearing in degrees true [0, 360) from point 1 to point 2."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.asarray(np.degrees(np.arctan2(y, x)) % 360.0)


def angle_diff_deg(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """The absolute difference of two directions in degrees, in [0, 180] (NaN where either is NaN)."""
    d = np.abs((np.asarray(a) - np.asarray(b)) % 360.0)
    return np.asarray(np.minimum(d, 360.0 - d))


def local_xy_m(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """East and north offsets in metres from (lat0, lon0), equirectangular: exact enough within tens of km."""
    x = np.radians(lon - lon0) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
    y = np.radians(lat - lat0) * EARTH_RADIUS_M
    return x, y
