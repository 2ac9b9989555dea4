"""Clustering similar interference reports: the "me too" surges of a Space ISAC.

Two reports are **linked** when all of these hold (:class:`ClusterParams` holds the thresholds):

1. **same interference family** (:data:`kompas.isac.model.FAMILIES`: jamming, spoofing and unattributed EMI are
   one RF family);
2. **near in time**: the gap between their [start, stop] intervals (a report without a stop is an instant) is at
   most ``window_h`` hours (6 h by default; overlapping intervals have no gap);
3. **overlapping frequencies**, for the RF family: their ranges in MHz overlap, a letter-only band standing for
   its IEEE 521 edges (so two "L-band" reports, or "L-band" and 1575.42 MHz, overlap). A report that gives no band
   links only when ``unknown_band_links`` (default off: "overlapping frequency range or same band letter" cannot be
   shown without one). Other families have no band criterion;
4. **near in place**: two of their points within ``radius_km`` (500 km by default) on the great circle (mean
   Earth radius 6,371.0088 km, IUGG), or the same named region (case ignored). Sub-satellite points are the
   satellite's position, not the interference's, and count only with ``use_subsatellite``. A report with no place
   links only when ``unlocated_links`` (default off).

**Clusters are the connected components of the link graph** (single linkage at these thresholds). The link is a
conjunction of thresholds on four different quantities, not a distance, so DBSCAN's metric premise (a triangle
inequality over one distance) does not hold; DBSCAN with ``min_samples=1`` over such a 0/1 "distance" would give
exactly these components anyway. Components are computed with ``scipy.sparse.csgraph.connected_components`` over
the candidate pairs, and the candidate pairs come from a k-d tree (``scipy.spatial.cKDTree.query_pairs`` on unit
vectors, the chord 2 sin(d / 2R) being monotonic in the great-circle distance d) and from shared region names, so
the work grows with the number of nearby pairs, not with n^2. A component is independent of the input order by
construction (tested by a property test); a cluster's id is a UUID 5 of its sorted member ids, deterministic.
Single linkage can chain: A near B near C joins A and C however far apart; the cluster's span says so.

**Surge**: at least ``surge_reports`` (3) reports from at least ``surge_reporters`` (2) distinct reporters starting
within one ``window_h`` window. Reporters are counted on the report's ``reporter`` (the platform knows it even for
anonymous reports), else its pseudonym; a report with neither counts as a reporter of its own.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from kompas.isac.model import NAMESPACE, Band, IsacReport, band_letters

__all__ = ["EARTH_RADIUS_KM", "Cluster", "ClusterParams", "cluster_reports", "great_circle_km", "linked"]

EARTH_RADIUS_KM = 6371.0088  #: IUGG mean Earth radius (km), for great-circle distances


@dataclass(frozen=True)
class ClusterParams:
    """Thresholds of the link (module docstring)."""

    window_h: float = 6.0
    radius_km: float = 500.0
    surge_reports: int = 3
    surge_reporters: int = 2
    unknown_band_links: bool = False
    unlocated_links: bool = False
    use_subsatellite: bool = False

    def __post_init__(self) -> None:
        if not (self.window_h >= 0 and self.radius_km > 0 and self.surge_reports >= 1 and self.surge_reporters >= 1):
            raise ValueError("window_h >= 0, radius_km > 0, surge_reports and surge_reporters >= 1")


@dataclass(frozen=True)
class Cluster:
    """A cluster of linked reports: members (report ids by start), distinct reporters, time span (stored-form
    UTC), band (union of the members' ranges, MHz, and IEEE letters), centroid (degrees, the normalised mean of
    the members' unit vectors; None without points), regions named, and the surge flag with its window."""

    id: str
    family: str
    members: tuple[str, ...]
    reporters: int
    start_utc: str
    stop_utc: str
    band: Band | None
    centroid_lat_deg: float | None
    centroid_lon_deg: float | None
    regions: tuple[str, ...]
    surge: bool
    surge_start_utc: str | None = None

    @property
    def size(self) -> int:
        return len(self.members)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "family": self.family, "members": list(self.members), "reporters": self.reporters,
                "start_utc": self.start_utc, "stop_utc": self.stop_utc,
                "band": None if self.band is None else self.band.as_dict(), "centroid_lat_deg": self.centroid_lat_deg,
                "centroid_lon_deg": self.centroid_lon_deg, "regions": list(self.regions), "surge": self.surge,
                "surge_start_utc": self.surge_start_utc}


def _unit(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def great_circle_km(lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float) -> float:
    """Great-circle distance (km) on the mean sphere (haversine)."""
    p1, p2 = math.radians(lat1_deg), math.radians(lat2_deg)
    dlon = math.radians(lon2_deg - lon1_deg)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _points(report: IsacReport, params: ClusterParams) -> list[tuple[float, float]]:
    return [(loc.lat_deg, loc.lon_deg) for loc in report.locations if loc.lat_deg is not None and
            loc.lon_deg is not None and (params.use_subsatellite or loc.kind != "sub-satellite")]


def _regions(report: IsacReport) -> set[str]:
    return {loc.region.casefold() for loc in report.locations if loc.region}


def _ns(stored: str) -> int:
    return int(np.datetime64(stored.rstrip("Z"), "ns").astype(np.int64))


def _compatible(a: IsacReport, b: IsacReport, params: ClusterParams) -> bool:
    """Criteria 1-3 of the link (family, time, band) for two reports."""
    if a.family != b.family:
        return False
    window = params.window_h * 3600e9
    a0, b0 = _ns(a.start_utc), _ns(b.start_utc)
    a1, b1 = _ns(a.stop_utc or a.start_utc), _ns(b.stop_utc or b.start_utc)
    if max(a0, b0) - min(a1, b1) > window:
        return False
    if a.family != "rf":
        return True
    ra = a.band.range_mhz if a.band else None
    rb = b.band.range_mhz if b.band else None
    if ra is None or rb is None:
        return params.unknown_band_links
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def linked(a: IsacReport, b: IsacReport, params: ClusterParams | None = None) -> bool:
    """Whether two reports are linked (all four criteria of the module docstring)."""
    params = params or ClusterParams()
    if not _compatible(a, b, params):
        return False
    pa, pb = _points(a, params), _points(b, params)
    if _regions(a) & _regions(b):
        return True
    if any(great_circle_km(*p, *q) <= params.radius_km for p in pa for q in pb):
        return True
    unlocated = (not pa and not _regions(a)) or (not pb and not _regions(b))
    return unlocated and params.unlocated_links


def _candidates(reports: Sequence[IsacReport], params: ClusterParams) -> set[tuple[int, int]]:
    """Report index pairs (i < j) near in place (or allowed without a place): the pairs worth checking."""
    owners: list[int] = []
    coords: list[tuple[float, float]] = []
    for i, report in enumerate(reports):
        for p in _points(report, params):
            owners.append(i)
            coords.append(p)
    pairs: set[tuple[int, int]] = set()
    if coords:
        xyz = _unit(np.array([c[0] for c in coords]), np.array([c[1] for c in coords]))
        chord = 2.0 * math.sin(min(math.pi, params.radius_km / EARTH_RADIUS_KM) / 2.0)
        tree = cKDTree(xyz)
        for p, q in tree.query_pairs(chord * (1 + 1e-12), output_type="ndarray"):
            i, j = owners[p], owners[q]
            if i != j:
                pairs.add((min(i, j), max(i, j)))
    by_region: dict[str, list[int]] = defaultdict(list)
    for i, report in enumerate(reports):
        for region in _regions(report):
            by_region[region].append(i)
    for members in by_region.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pairs.add((members[a], members[b]))
    if params.unlocated_links:
        lone = [i for i, r in enumerate(reports) if not _points(r, params) and not _regions(r)]
        for i in lone:
            pairs.update((min(i, j), max(i, j)) for j in range(len(reports)) if j != i)
    return pairs


def _reporter(report: IsacReport) -> str:
    return report.reporter or (f"pseudonym:{report.pseudonym}" if report.pseudonym else f"report:{report.id}")


def _surge(members: list[IsacReport], params: ClusterParams) -> str | None:
    """The start of the first window holding a surge (module docstring), or None."""
    window = params.window_h * 3600e9
    starts = [_ns(r.start_utc) for r in members]
    for i in range(len(members)):
        inside = [members[k] for k in range(i, len(members)) if starts[k] - starts[i] <= window]
        if len(inside) >= params.surge_reports and len({_reporter(r) for r in inside}) >= params.surge_reporters:
            return members[i].start_utc
    return None


def _union_band(members: Iterable[IsacReport]) -> Band | None:
    ranges = [r.band.range_mhz for r in members if r.band and r.band.range_mhz]
    if not ranges:
        return None
    low, high = min(x[0] for x in ranges), max(x[1] for x in ranges)
    return Band(low, high, "/".join(band_letters(low, high)))


def cluster_reports(reports: Iterable[IsacReport], params: ClusterParams | None = None) -> list[Cluster]:
    """The clusters of ``reports`` (module docstring), singletons included, ordered by start then id. Reports with
    the same id are taken once (the first)."""
    params = params or ClusterParams()
    unique = list({r.id: r for r in reversed(list(reports))}.values())
    items = sorted(unique, key=lambda r: r.id)
    n = len(items)
    if n == 0:
        return []
    edges = [(i, j) for i, j in sorted(_candidates(items, params)) if _compatible(items[i], items[j], params)]
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges], dtype=np.int64)
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[IsacReport]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[int(label)].append(items[i])
    out = []
    for members in groups.values():
        members.sort(key=lambda r: (r.start_utc, r.id))
        points = [p for r in members for p in _points(r, params)]
        lat = lon = None
        if points:
            mean = _unit(np.array([p[0] for p in points]), np.array([p[1] for p in points])).mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 1e-9:
                lat = round(math.degrees(math.asin(max(-1.0, min(1.0, mean[2] / norm)))), 6)
                lon = round(math.degrees(math.atan2(mean[1], mean[0])), 6)
        surge = _surge(members, params)
        out.append(Cluster(
            id=str(uuid.uuid5(NAMESPACE, "cluster|" + ",".join(sorted(r.id for r in members)))),
            family=members[0].family, members=tuple(r.id for r in members),
            reporters=len({_reporter(r) for r in members}), start_utc=members[0].start_utc,
            stop_utc=max((r.stop_utc or r.start_utc) for r in members), band=_union_band(members),
            centroid_lat_deg=lat, centroid_lon_deg=lon,
            regions=tuple(sorted({loc.region for r in members for loc in r.locations if loc.region})),
            surge=surge is not None, surge_start_utc=surge))
    return sorted(out, key=lambda c: (c.start_utc, c.id))
