"""The maritime report (issue 25): what happened at sea in an area and a period, for a coast guard's or a navy's
watch officer and the analysts who brief them. HTML and PDF from the same page (:mod:`kompas.reports.document`).

The report reads the vessel positions the reader may see on the platform in the window and box
(:func:`kompas.services.maritime.view`: every contributed batch, need-to-know applied in the query, fused), screens
them (:func:`kompas.services.maritime.screen`: tracks, the behaviour detectors, the undersea infrastructure watch)
and writes:

1. the title with the area and the period, and a summary: vessels, positions, the batches read and their
   contributors, events by type, alerts near undersea assets;
2. a map (matplotlib, no basemap: thin tracks, the assets watched as labelled lines, the events as coloured
   markers, lon/lat axes), and closer ones of the places where the traffic was when it fills only parts of the area;
3. the alerts near undersea infrastructure first (vessel, type, time, asset, distance, the route's accuracy);
4. the events by type, each with its rule and thresholds in words and its evidence count (the first
   :data:`SHOWN_EVENTS` events in all, saying how many more);
5. data quality: the rejections, position jumps and speed glitches (data errors, not manoeuvres), and the reception
   gaps (coverage holes, not dark activity);
6. the method and thresholds (:class:`kompas.maritime.detect.Rules`, with the sources of each rule: MovingPandas,
   Global Fishing Watch, the Danish Maritime Authority, Welch et al.);
7. the sources, licences and caveats.

Every printed page carries the banner (the combined marking of the batches read, :attr:`View.marking`, raised by a
banner given by hand only: :func:`kompas.services.reports.banner_for`) at the top and bottom and, in its running
footer, the attribution of every data set used: the MID table, the seabed index and the cable map (TeleGeography,
CC BY-NC-SA 3.0: non-commercial use only, shared alike), the HVDC list and grid (PyPSA-Eur, CC-BY-4.0), the Danish
Maritime Authority's AIS when a batch read comes from it, the contributing organisations; and the caveat on drawn
routes.

:func:`request` checks a request (window, box or named area); :func:`build` writes the page from a view and its
screening; :func:`report` is the workflow called by the report job ``maritime`` (:mod:`kompas.services.reports`)
and by ``kompas maritime report``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from kompas.maritime.events import TYPES, iso
from kompas.maritime.load import ATTRIBUTION, BALTIC_BOX
from kompas.maritime.watch import ACCURACY_KM, BUFFER_KM
from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

if TYPE_CHECKING:
    from kompas.core.markings import Marking, Viewer
    from kompas.core.store import StoreBase
    from kompas.maritime.events import Event
    from kompas.services.maritime import Screening, View
    from kompas.services.reports import Rendered

#: Named sea areas: key -> (name, (lon_min, lat_min, lon_max, lat_max)).
AREAS: dict[str, tuple[str, tuple[float, float, float, float]]] = {"baltic": ("Baltic Sea", BALTIC_BOX)}
MAX_DAYS = 31  #: The longest window of one report, days.
MAX_AREA_NAME = 200
SHOWN_EVENTS = 200  #: Event rows in all the event tables together.
SHOWN_PER_TYPE = 60  #: Event rows of one type.
SHOWN_ALERTS = 100  #: Alert rows.
SHOWN_BATCHES = 40  #: Batch rows of the summary.
SHOWN_GAPS = 40  #: Reception gap rows.
SHOWN_DATA_ERRORS = 30  #: Data error rows.
MAP_VERTICES = 40_000  #: Track vertices drawn on one map (tracks thinned evenly beyond).
MAX_LABELS = 30  #: Asset names written on one map.
CELL_DEG = (1.0, 0.5)  #: lon, lat degrees of the cells that group the traffic into places for the closer maps
CLOSER_MAPS = 3  #: Closer maps at most (the places with the most alerts, events and positions first).
BREAK_S = 3600.0  #: A track's line is broken at a silence this long (no straight line drawn across a gap).
#: Event types in the order the report lists them: behaviour near assets first, data errors last.
TYPE_ORDER = ("anchor_drag", "dark", "drift", "loitering", "encounter", "stop", "identity", "reception_gap",
              "position_jump", "speed_glitch")
TYPE_LABEL = {"anchor_drag": "anchor drag", "dark": "going dark", "drift": "drift", "loitering": "loitering",
              "encounter": "encounter", "stop": "stop", "identity": "identity anomaly",
              "reception_gap": "reception gap", "position_jump": "position jump", "speed_glitch": "speed glitch"}
COLOURS = {"anchor_drag": "#c8102e", "dark": "#111111", "drift": "#e07000", "loitering": "#9467bd",
           "encounter": "#d62728", "stop": "#2ca02c", "identity": "#8c564b", "reception_gap": "#7f7f7f",
           "position_jump": "#bbbbbb", "speed_glitch": "#bbbbbb"}
MARKERS = {"anchor_drag": "X", "dark": "s", "drift": "D", "loitering": "o", "encounter": "P", "stop": "^",
           "identity": "v", "reception_gap": "s", "position_jump": "x", "speed_glitch": "x"}
#: The detectors, the source of each rule, and the prefix of its thresholds in :class:`Rules`.
RULE_SOURCES = (
    ("stop", "stop_", "MovingPandas' TrajectoryStopDetector (movingpandas@e981913): stationary within a diameter "
                      "for a minimum time; the start walked back to the arrival"),
    ("loitering", "loiter_", "Global Fishing Watch's pipe-loitering: hourly average speed from positions under a "
                             "threshold for hours, not a stop, not moored or at anchor"),
    ("drift", "drift_", "the Danish Maritime Authority's DriftAnalysis (dma-ais/AisAbnormal@186e4cc): 1-5 kn with "
                        "the course more than 45 degrees off the heading, sustained over a window and a distance; "
                        "small craft, pleasure craft, tugs and special craft skipped"),
    ("anchor drag", "drag_", "Kompas: reporting at anchor or restricted in ability to manoeuvre, with a heading, "
                             "moving over the ground for a minimum time and distance"),
    ("gaps, going dark", "gap_", "Welch et al. 2022 (Science Advances 8, eabq2109) and Global Fishing Watch's "
                                 "pipe-gaps: a silence after regular reports is dark only where other vessels were "
                                 "heard nearby (an expected-reception model from the same data), else a coverage "
                                 "hole"),
    ("reception model", "reception_", "the share of the gap's hours in which others were heard within the "
                                      "distance"),
    ("encounter", "encounter_", "Global Fishing Watch's encounters pipeline: two vessels close and slow for hours, "
                                "resampled on a fixed step, runs merged"),
)
LIMITS = ("Kompas has no coastline or port list: loitering in harbours and encounters at anchorages show (Global "
          "Fishing Watch keeps only events 20 nm from shore and 10 km from ports).")
NONCOMMERCIAL = ("This report reproduces data derived from TeleGeography's Submarine Cable Map (CC BY-NC-SA 3.0): it "
                 "may be used and shared for non-commercial purposes only, under the same licence, with this "
                 "attribution.")
ROUTE_CAVEAT = ("Undersea routes are drawn, not surveyed: TeleGeography's cables are schematic (about "
                f"±{ACCURACY_KM['cable']:g} km), HVDC routes traced from the ENTSO-E map are stylised (about "
                f"±{ACCURACY_KM['traced']:g} km), a link known only by its converter stations is a straight line "
                f"(about ±{ACCURACY_KM['straight']:g} km); an alert means within that distance of the route as "
                "drawn, not over the asset.")
#: A batch whose source names the Danish Maritime Authority's data (the AisAbnormal and AisLib recordings, the
#: aisdk daily files) carries the DMA's attribution.
_DMA = re.compile(r"(^|[^a-z])dma([^a-z]|$)|aisdk|danish maritime", re.IGNORECASE)
#: ITU-R M.1371 ship and cargo types (table 53), by the code or its first digit.
_SHIP_TYPES = {30: "fishing", 31: "towing", 32: "towing (large)", 33: "dredging", 34: "diving", 35: "military",
               36: "sailing", 37: "pleasure craft", 50: "pilot", 51: "search and rescue", 52: "tug",
               53: "port tender", 54: "anti-pollution", 55: "law enforcement", 58: "medical transport",
               59: "non-combatant (RR 18)"}
_SHIP_GROUPS = {2: "wing in ground", 4: "high-speed craft", 6: "passenger", 7: "cargo", 8: "tanker", 9: "other"}

_CSS = """
@page {{ margin: 18mm 14mm 36mm;
  @bottom-right {{ content: none; }}
  @top-right {{ content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }}
  @bottom-center {{ content: element(pagefoot); width: 182mm; vertical-align: top; padding-top: 2mm; }} }}
.pagefoot {{ position: running(pagefoot); font: 6pt/1.28 "DejaVu Sans", sans-serif; color: #333; }}
.pagefoot .line {{ text-align: center; font: bold 8.5pt sans-serif; color: {colour}; margin-bottom: 1.2mm; }}
.pagefoot p {{ margin: 0; }}
@media screen {{ .pagefoot {{ font-size: 8pt; margin: 0.4em 0 1em; }} .pagefoot .line {{ display: none; }} }}
.compact table {{ font-size: 7.6pt; margin: 0.2em 0 0.4em; width: 100%; }}
.compact td, .compact th {{ padding: 1px 3px; }}
p.more {{ font-size: 8pt; color: #555; margin: 0 0 0.5em; }}
.warn {{ border-left: 4px solid #c8102e; padding: 0.2em 0.8em; background: #fbeff1; }}
h2.part {{ break-before: page; }}
.alerts td:nth-child(7) {{ font-size: 6.8pt; color: #444; }}
"""


class WindowError(ValueError):
    """A report request that cannot be used: a box outside the globe, an unknown area, a window that is not one."""


@dataclass(frozen=True)
class Window:
    """A checked request: the window (ISO UTC text with milliseconds, None: open), the box and the area's name."""

    start_utc: str | None
    end_utc: str | None
    box: tuple[float, float, float, float] | None
    area_name: str

    def period(self) -> str:
        """The window in words."""
        def day(text: str | None) -> str:
            return "" if text is None else text[:16].replace("T", " ")
        if self.start_utc is None and self.end_utc is None:
            return "all the positions you may see"
        if self.start_utc is None:
            return f"until {day(self.end_utc)} UTC"
        if self.end_utc is None:
            return f"from {day(self.start_utc)} UTC"
        return f"{day(self.start_utc)} to {day(self.end_utc)} UTC"


def parse_box(box: Sequence[float] | str | None) -> tuple[tuple[float, float, float, float] | None, str]:
    """The box (lon_min, lat_min, lon_max, lat_max) and the area's name from a named area (:data:`AREAS`) or four
    numbers; None for no box. WindowError naming what is wrong: not four finite numbers, longitudes outside
    -180..180, latitudes outside -90..90, a minimum not below its maximum, an unknown name."""
    if box is None:
        return None, ""
    if isinstance(box, str):
        key = box.strip().lower()
        if key not in AREAS:
            raise WindowError(f"area {box[:40]!r}: one of {', '.join(AREAS)} (or give a bbox)")
        name, found = AREAS[key]
        return found, name
    values = list(box)
    if len(values) != 4:
        raise WindowError(f"bbox: four numbers lon_min, lat_min, lon_max, lat_max, not {len(values)}")
    try:
        lon0, lat0, lon1, lat1 = (float(v) for v in values)
    except (TypeError, ValueError):
        raise WindowError("bbox: four numbers lon_min, lat_min, lon_max, lat_max") from None
    if any(isinstance(v, bool) for v in values) or not all(math.isfinite(v) for v in (lon0, lat0, lon1, lat1)):
        raise WindowError("bbox: four finite numbers lon_min, lat_min, lon_max, lat_max")
    if not (-180 <= lon0 <= 180 and -180 <= lon1 <= 180):
        raise WindowError(f"bbox: longitudes {lon0:g}, {lon1:g} must lie in -180..180")
    if not (-90 <= lat0 <= 90 and -90 <= lat1 <= 90):
        raise WindowError(f"bbox: latitudes {lat0:g}, {lat1:g} must lie in -90..90")
    if not (lon0 < lon1 and lat0 < lat1):
        raise WindowError("bbox: lon_min must be below lon_max and lat_min below lat_max (a box across the "
                          "antimeridian is two reports)")
    return (lon0, lat0, lon1, lat1), ""


def _time(text: str | None, name: str) -> np.datetime64 | None:
    from kompas.times import parse_time_utc

    if text is None or not str(text).strip():
        return None
    try:
        return parse_time_utc(str(text)[:64])
    except ValueError as error:
        raise WindowError(f"{name}: {error}") from None


def request(start_utc: str | None, end_utc: str | None, box: Sequence[float] | str | None,
            area_name: str = "") -> Window:
    """A report request checked: the times (ISO 8601 UTC, either may be left open) with the end after the start and
    at most :data:`MAX_DAYS` days apart, the box (:func:`parse_box`), the area's name (default the named area's,
    else the box in degrees). WindowError naming what is wrong; the API answers it with 422."""
    from kompas.times import utc_text_ms

    start, end = _time(start_utc, "start_utc"), _time(end_utc, "end_utc")
    if start is not None and end is not None:
        if end <= start:
            raise WindowError(f"end_utc {utc_text_ms(end)} must be after start_utc {utc_text_ms(start)}")
        days = (end - start) / np.timedelta64(1, "s") / 86400.0
        if days > MAX_DAYS:
            raise WindowError(f"the window is {days:.1f} days long; a report covers at most {MAX_DAYS} days (ask "
                              "for several reports)")
    found, named = parse_box(box)
    name = " ".join(str(area_name or "").split())[:MAX_AREA_NAME] or named
    if not name and found is not None:
        name = (f"{abs(found[1]):g}°{'N' if found[1] >= 0 else 'S'}-{abs(found[3]):g}°{'N' if found[3] >= 0 else 'S'}, "
                f"{abs(found[0]):g}°{'E' if found[0] >= 0 else 'W'}-{abs(found[2]):g}°{'E' if found[2] >= 0 else 'W'}")
    return Window(None if start is None else utc_text_ms(start), None if end is None else utc_text_ms(end), found,
                  name or "all sea areas")


# --- what the page says ---------------------------------------------------------------------------------------------


def ship_type(code: int) -> str:
    """An ITU ship and cargo type in words (``""`` when not sent)."""
    if not code:
        return ""
    if code in _SHIP_TYPES:
        return _SHIP_TYPES[code]
    return _SHIP_GROUPS.get(code // 10, f"type {code}")


def _vessel(event: Event) -> str:
    vessel = event.vessel
    text = vessel.label() if vessel is not None else str(event.mmsi)
    if vessel is not None and vessel.flag is not None and vessel.flag.country:
        text += f", {vessel.flag.country}"
    return text


def _when(t: float) -> str:
    return iso(t)[:19].replace("T", " ")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _detail(detail: Mapping[str, Any]) -> str:
    """An event's detail values in a line (not the rule, the evidence count or nested values)."""
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in detail.items()
             if k not in ("rule", "evidence_fixes", "anomaly") and isinstance(v, str | int | float)
             and not isinstance(v, bool) and v != ""]
    text = "; ".join(parts)
    return text if len(text) <= 160 else text[:157] + "..."


def attribution(seen: View, found: Screening) -> list[str]:
    """The attribution of every data set the report uses: the screening's (the MID table, the seabed index, the
    cable map, the HVDC list, the grid), the Danish Maritime Authority's when a batch read comes from its data, and
    the organisations whose positions were read."""
    out = list(dict.fromkeys(found.attribution))
    given = [b.attribution for b in seen.batches if b.attribution]
    out.extend(dict.fromkeys(given))
    if ATTRIBUTION["dma"] not in given and any(_DMA.search(b.source) for b in seen.batches):
        out.append(ATTRIBUTION["dma"])  # a DMA file contributed without its attribution
    orgs = sorted({b.org for b in seen.batches})
    if orgs:
        out.append(f"Vessel positions contributed on the platform by {', '.join(orgs)}, under the markings the "
                   "banner combines.")
    return out


def footer(seen: View, found: Screening) -> str:
    """The running footer's text: every attribution, the non-commercial notice when the cable map is shown, the
    caveat on drawn routes when assets are watched."""
    parts = attribution(seen, found)
    if any("TeleGeography" in text for text in parts):
        parts.append(NONCOMMERCIAL)
    if found.assets:
        parts.append(ROUTE_CAVEAT)
    return " ".join(parts)


def summary(seen: View, found: Screening) -> dict[str, Any]:
    """The report's figures, JSON-ready: positions, vessels, batches and contributors, events by type, alerts,
    data errors, the period the data covers."""
    positions = seen.ingest.positions
    counts = Counter(e.type for e in found.events)
    t = positions.t[np.isfinite(positions.t)] if len(positions) else np.zeros(0)
    return {
        "positions": len(positions), "fixes": int(found.built.counts.get("fixes", 0)),
        "vessels": len(found.built.tracks), "batches": len(seen.batches),
        "contributors": sorted({b.org for b in seen.batches}),
        "events": {k: counts[k] for k in TYPE_ORDER if counts.get(k)},
        "behaviour": sum(v for k, v in counts.items() if not TYPES[k][1] and k != "reception_gap"),
        "alerts": len(found.alerts), "assets_watched": len(found.assets),
        "alert_assets": sorted({a["name"] for e in found.alerts for a in e.assets}),
        "rejections": found.summary()["rejections"],
        "duplicates": int(found.built.counts.get("duplicate receptions", 0)),
        "untimed": int(found.built.counts.get("untimed", 0)),
        "position_jumps": counts.get("position_jump", 0), "speed_glitches": counts.get("speed_glitch", 0),
        "reception_gaps": counts.get("reception_gap", 0),
        "data_start_utc": iso(float(t.min())) if t.size else "", "data_end_utc": iso(float(t.max())) if t.size else "",
        "truncated": seen.truncated,
    }


def _more(shown: int, total: int, what: str) -> str:
    return f"<p class='more'>and {total - shown:,} more {esc(what)} (not listed)</p>" if total > shown else ""


# --- the map --------------------------------------------------------------------------------------------------------


def _segments(lon: np.ndarray, lat: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """A track's line as pieces, broken where it fell silent for :data:`BREAK_S` or more."""
    cuts = np.flatnonzero(np.diff(t) >= BREAK_S) + 1
    return [np.column_stack([x, y]) for x, y in zip(np.split(lon, cuts), np.split(lat, cuts), strict=True)
            if len(x) >= 2]


def _map(seen: View, found: Screening, extent: tuple[float, float, float, float], caption: str) -> str:
    """One map of ``extent`` (lon_min, lat_min, lon_max, lat_max): tracks, assets and events."""
    from matplotlib.collections import LineCollection
    from shapely.geometry import box as make_box

    plt = pyplot()
    lon0, lat0, lon1, lat1 = extent
    mid = math.cos(math.radians((lat0 + lat1) / 2))
    aspect = 1 / max(mid, 0.05)
    ratio = (lat1 - lat0) * aspect / max(lon1 - lon0, 1e-6)
    height = min(5.8, max(2.4, 7.2 * ratio * 0.9))
    width = min(7.2, height / max(ratio, 1e-6) + 1.2)
    fig, ax = plt.subplots(figsize=(width, height))
    placed: list[tuple[float, float]] = []
    near_x, near_y = 0.06 * (lon1 - lon0), 0.025 * (lat1 - lat0)
    frame = make_box(lon0, lat0, lon1, lat1)
    named = {a["ref"] for e in found.alerts for a in e.assets}
    labels = 0
    for asset in sorted(found.assets, key=lambda a: (a.ref not in named, a.name)):
        x0, y0, x1, y1 = asset.geometry.bounds
        if x1 < lon0 or x0 > lon1 or y1 < lat0 or y0 > lat1:
            continue
        power = "link" in asset.kind or "power" in asset.kind
        colour = "#e07000" if power else "#7b3294"
        parts = list(getattr(asset.geometry, "geoms", [asset.geometry]))
        for part in parts:
            xs, ys = part.xy
            ax.plot(xs, ys, color=colour, linewidth=1.1 if asset.ref in named else 0.7,
                    linestyle="--" if asset.accuracy_km >= ACCURACY_KM["straight"] else "-", alpha=0.8, zorder=2)
        inside = asset.geometry.intersection(frame)
        point = inside.representative_point() if not inside.is_empty else None
        if (point is not None and labels < MAX_LABELS
                and not any(abs(point.x - x) < near_x and abs(point.y - y) < near_y for x, y in placed)):
            placed.append((point.x, point.y))
            ax.text(point.x, point.y, asset.name, fontsize=5.2, color=colour, zorder=5,
                    fontweight="bold" if asset.ref in named else "normal")
            labels += 1
    total = max(1, sum(len(track) for track in found.built.tracks))
    share = min(1.0, MAP_VERTICES / total)
    pieces: list[np.ndarray] = []
    for track in found.built.tracks:
        fixes = track.fixes
        keep = max(2, int(len(fixes) * share))
        index = np.unique(np.linspace(0, len(fixes) - 1, min(keep, len(fixes))).round().astype(np.int64))
        pieces.extend(_segments(fixes.lon[index], fixes.lat[index], fixes.t[index]))
    if pieces:
        ax.add_collection(LineCollection(pieces, colors="#3b6fb6", linewidths=0.45, alpha=0.75, zorder=3))
    alerted = {id(e) for e in found.alerts}
    shown = [e for e in found.events if lon0 <= e.lon <= lon1 and lat0 <= e.lat <= lat1]
    for kind in TYPE_ORDER[::-1]:
        events = [e for e in shown if e.type == kind]
        if not events:
            continue
        ax.scatter([e.lon for e in events], [e.lat for e in events], s=9 if TYPES[kind][1] else 22,
                   c=COLOURS[kind], marker=MARKERS[kind], linewidths=0.6, zorder=6,
                   label=f"{TYPE_LABEL[kind]} ({len(events)})")
    rings = [e for e in shown if id(e) in alerted]
    if rings:
        ax.scatter([e.lon for e in rings], [e.lat for e in rings], s=90, facecolors="none", edgecolors="#c8102e",
                   linewidths=1.0, zorder=7, label=f"alert near an asset ({len(rings)})")
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(aspect)
    ax.set_xlabel("longitude (°E)", fontsize=7)
    ax.set_ylabel("latitude (°N)", fontsize=7)
    ax.tick_params(labelsize=6.5)
    ax.grid(True, linewidth=0.3, color="#dddddd", zorder=0)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=5.8, loc="best", framealpha=0.85)
    fig.tight_layout()
    return figure(fig, caption, dpi=140).replace("<img ", f'<img style="width: {100 * width / 7.2:.0f}%" ', 1)


def _pad(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    pad_x, pad_y = max(0.15, 0.12 * (x1 - x0)), max(0.08, 0.12 * (y1 - y0))
    return (max(-180.0, x0 - pad_x), max(-90.0, y0 - pad_y), min(180.0, x1 + pad_x), min(90.0, y1 + pad_y))


def _points(seen: View, found: Screening) -> tuple[np.ndarray, np.ndarray]:
    positions = seen.ingest.positions
    return (np.r_[positions.lon, [e.lon for e in found.events]], np.r_[positions.lat, [e.lat for e in found.events]])


def clusters(seen: View, found: Screening) -> list[tuple[float, float, float, float]]:
    """Where the traffic read was: the boxes (padded) of groups of :data:`CELL_DEG` cells holding positions or
    events that touch each other, the one with the most alerts, then events, then positions first."""
    lons, lats = _points(seen, found)
    if not lons.size:
        return []
    cx = np.floor(lons / CELL_DEG[0]).astype(np.int64)
    cy = np.floor(lats / CELL_DEG[1]).astype(np.int64)
    cells, counts = np.unique(np.column_stack([cx, cy]), axis=0, return_counts=True)
    weight = {(int(a), int(b)): int(n) for (a, b), n in zip(cells, counts, strict=True)}
    groups: list[set[tuple[int, int]]] = []
    seen_cells: set[tuple[int, int]] = set()
    for cell in weight:
        if cell in seen_cells:
            continue
        group, todo = set(), [cell]
        seen_cells.add(cell)
        while todo:
            a, b = todo.pop()
            group.add((a, b))
            for near in ((a + i, b + j) for i in (-1, 0, 1) for j in (-1, 0, 1)):
                if near in weight and near not in seen_cells:
                    seen_cells.add(near)
                    todo.append(near)
        groups.append(group)
    alerts = [(e.lon, e.lat) for e in found.alerts]
    events = [(e.lon, e.lat) for e in found.events]

    def inside(group: set[tuple[int, int]], points: list[tuple[float, float]]) -> int:
        return sum((math.floor(x / CELL_DEG[0]), math.floor(y / CELL_DEG[1])) in group for x, y in points)

    ranked = sorted(groups, key=lambda g: (-inside(g, alerts), -inside(g, events), -sum(weight[c] for c in g)))
    out = []
    for group in ranked:
        keep = np.isin(cx * 1_000_003 + cy, [a * 1_000_003 + b for a, b in group])
        out.append(_pad(float(lons[keep].min()), float(lats[keep].min()), float(lons[keep].max()),
                        float(lats[keep].max())))
    return out


def maps(seen: View, found: Screening, window: Window) -> str:
    """The area's map, and closer ones (at most :data:`CLOSER_MAPS`) of where the traffic was when it fills only
    parts of the area."""
    lons, lats = _points(seen, found)
    if not lons.size:
        return "<p>No positions to draw.</p>"
    data = _pad(float(lons.min()), float(lats.min()), float(lons.max()), float(lats.max()))
    area = window.box or data
    out = [_map(seen, found, area, f"{window.area_name}: vessel tracks (blue, broken at silences of an hour or "
                                   "more), the undersea assets watched (purple: telecom cables; orange: power "
                                   "links; dashed: straight lines between converter stations), and the events "
                                   "(markers; red rings: alerts near an asset). Routes as drawn, not surveyed.")]
    found_clusters = clusters(seen, found)
    small = [c for c in found_clusters if (c[2] - c[0]) < 0.35 * (area[2] - area[0])
             and (c[3] - c[1]) < 0.35 * (area[3] - area[1])]
    for number, box in enumerate(small[:CLOSER_MAPS], 1):
        clipped = (max(box[0], area[0]), max(box[1], area[1]), min(box[2], area[2]), min(box[3], area[3]))
        if clipped[0] < clipped[2] and clipped[1] < clipped[3]:
            out.append(_map(seen, found, clipped, f"Closer ({number} of {min(len(small), CLOSER_MAPS)}): "
                                                  f"{_box_text(clipped)} (same key)."))
    if len(small) > CLOSER_MAPS:
        out.append(f"<p class='more'>Traffic in {len(small) - CLOSER_MAPS} more places is on the area's map only.</p>")
    return "\n".join(out)


def _box_text(box: tuple[float, float, float, float]) -> str:
    def lon(v: float) -> str:
        return f"{abs(v):.2f}°{'E' if v >= 0 else 'W'}"

    def lat(v: float) -> str:
        return f"{abs(v):.2f}°{'N' if v >= 0 else 'S'}"

    return f"{lat(box[1])}-{lat(box[3])}, {lon(box[0])}-{lon(box[2])}"


# --- the sections ---------------------------------------------------------------------------------------------------


def _summary(s: Mapping[str, Any], seen: View, window: Window) -> str:
    events = s["events"]
    behaviour = ", ".join(f"{TYPE_LABEL[k]} {v:,}" for k, v in events.items()
                          if not TYPES[k][1] and k != "reception_gap") or "none"
    key = [f"<p><b>{s['vessels']:,} vessels</b> in {s['fixes']:,} track positions ({s['positions']:,} positions "
           f"read from {s['batches']:,} batch{'es' if s['batches'] != 1 else ''} contributed by "
           f"{esc(', '.join(s['contributors']))}); data from {esc(_when_text(s['data_start_utc']))} to "
           f"{esc(_when_text(s['data_end_utc']))} UTC.</p>",
           f"<p><b>{s['alerts']:,} alert{'s' if s['alerts'] != 1 else ''} near undersea infrastructure</b> "
           f"({s['assets_watched']} assets watched)"
           + (f": {esc(', '.join(s['alert_assets']))}" if s["alert_assets"] else "") + ".</p>",
           f"<p>Behaviour: {esc(behaviour)}. Coverage holes (reception gaps, not dark activity): "
           f"{s['reception_gaps']:,}. Data errors: {s['position_jumps']:,} position jumps, {s['speed_glitches']:,} "
           "speed glitches.</p>"]
    if s["truncated"]:
        key.append("<p class='warn'>More positions lie in this window and area than one report reads: the newest "
                   "batches were read, the older left out. Ask for a shorter window or a smaller area.</p>")
    rows = [(TYPE_LABEL[k], v, TYPES[k][0]) for k, v in events.items()]
    batches = seen.batches
    out = ["<div class='key'>" + "".join(key) + "</div>", "<h3>Events by type</h3>",
           table(["type", "events", "meaning"], rows, numeric=[1]) if rows else "<p>No events.</p>",
           "<h3>Batches read and their contributors</h3>",
           "<div class='compact'>" + table(
               ["organisation", "contribution", "kind", "from (UTC)", "to (UTC)", "positions", "vessels", "marking"],
               [(b.org, b.source, b.kind, b.start_utc[:19].replace("T", " "), b.end_utc[:19].replace("T", " "),
                 f"{b.fixes:,}", b.vessels, b.marking.banner()) for b in batches[:SHOWN_BATCHES]],
               numeric=[5, 6]) + "</div>",
           _more(SHOWN_BATCHES, len(batches), "batches")]
    return "\n".join(out)


def _when_text(text: str) -> str:
    return text[:19].replace("T", " ") if text else "-"


def _span(start: float, end: float) -> str:
    """``2014-09-28 12:54:00 to 13:53:00`` (the day once when both ends fall on it)."""
    first, last = _when(start), _when(end)
    return f"{first} to {last[11:] if last[:10] == first[:10] else last}"


def _alerts(seen: View, found: Screening) -> str:
    alerts = found.alerts
    if not alerts:
        watched = (f"{len(found.assets)} assets were watched" if found.assets
                   else "no assets were watched (assets: none)")
        return f"<p>No alert: no watched behaviour came within reach of an undersea asset ({watched}).</p>"
    rows = []
    for event in alerts[:SHOWN_ALERTS]:
        vessel = event.vessel
        kind = ship_type(vessel.ship_type) if vessel is not None else ""
        for number, asset in enumerate(event.assets):
            first = number == 0
            rows.append((_vessel(event) + (f"; {kind}" if kind else "") if first else "",
                         TYPE_LABEL[event.type] if first else "", _span(event.start, event.end) if first else "",
                         f"{asset['name']} ({asset['kind']})", f"{asset['distance_km']:g}", f"{asset['watch_km']:g}",
                         asset["route_source"],
                         seen.marking_of(event.evidence.source).banner() if first and len(event.evidence) else ""))
    return ("<p class='muted'>Loitering, drift, an anchor drag, going dark or a stop whose evidence (the fixes; for "
            "a gap the line between where the vessel fell silent and where it reappeared) came within the watch "
            f"distance of an asset: {BUFFER_KM:g} km (an anchor on its chain, the ship's length) plus the accuracy of "
            "the asset's drawn route. The assets of one alert nearest first; the distance is to the route as drawn."
            "</p><div class='compact alerts'>"
            + table(["vessel (MMSI, flag; ship type)", "event", "time (UTC)", "asset", "km", "watch km",
                     "route as drawn", "marking"], rows, numeric=[4, 5]) + "</div>"
            + _more(SHOWN_ALERTS, len(alerts), "alerts"))


def _events(seen: View, found: Screening) -> str:
    by_type: dict[str, list[Event]] = {}
    for event in found.events:
        by_type.setdefault(event.type, []).append(event)
    if not by_type:
        return "<p>No events.</p>"
    out = ["<p class='muted'>Each type with its rule as applied (thresholds in words) and its events in time order: "
           "the vessel, when, where, how many fixes triggered it (the evidence; each event carries up to 60 of "
           "them), what was measured, and the marking of the batches its evidence came from.</p>"]
    left = SHOWN_EVENTS
    for kind in TYPE_ORDER:
        events = by_type.get(kind)
        if not events:
            continue
        rules = list(dict.fromkeys(str(e.detail.get("rule", "")) for e in events))
        out.append(f"<h3>{esc(TYPE_LABEL[kind].capitalize())} ({len(events):,})</h3>")
        out.append(f"<p class='muted'>{esc(TYPES[kind][0])}. <b>Rule</b>: {esc(rules[0])}"
                   + (f" (and {len(rules) - 1} other wording{'s' if len(rules) > 2 else ''} with the values of "
                      "each event)" if len(rules) > 1 else "") + "</p>")
        if kind == "reception_gap" or TYPES[kind][1]:
            out.append("<p class='more'>Listed under 5. Data quality.</p>")
            continue
        shown = events[:max(0, min(SHOWN_PER_TYPE, left))]
        left -= len(shown)
        if shown:
            rows = [(_vessel(e), _when(e.start), _duration(e.duration_s), f"{e.lat:.4f}, {e.lon:.4f}",
                     e.detail.get("evidence_fixes", len(e.evidence)), _detail(e.detail),
                     "; ".join(a["name"] for a in e.assets),
                     seen.marking_of(e.evidence.source).banner() if len(e.evidence) else "")
                    for e in shown]
            out.append("<div class='compact'>" + table(
                ["vessel (MMSI, flag)", "start (UTC)", "lasted", "lat, lon", "evidence fixes", "measured",
                 "near", "marking"], rows, numeric=[4]) + "</div>")
        out.append(_more(len(shown), len(events), f"{TYPE_LABEL[kind]} events"))
    return "\n".join(out)


def _quality(s: Mapping[str, Any], seen: View, found: Screening) -> str:
    gaps = [e for e in found.events if e.type == "reception_gap"]
    errors = [e for e in found.events if e.data_error]
    out = [table(["", "count"], [
        ("positions read", f"{s['positions']:,}"),
        ("the same report heard by several stations (kept once)", f"{s['duplicates']:,}"),
        ("positions without a receive time (kept out of tracks)", f"{s['untimed']:,}"),
        ("records rejected (tracks and reference tables)", f"{s['rejections']:,}"),
        ("position jumps (fixes the vessel could not have reached; taken out of the track)",
         f"{s['position_jumps']:,}"),
        ("speed glitches (reported speeds the positions cannot explain; blanked)", f"{s['speed_glitches']:,}"),
        ("reception gaps (coverage holes, not dark activity)", f"{s['reception_gaps']:,}")], numeric=[1]),
        "<p class='muted'>Sentences and rows the decoder could not use (bad checksums, impossible positions, "
        "AIS's \"not available\" values) were reported to the contributor when the AIS was contributed and are not "
        "stored; the figures here are of the positions stored.</p>"]
    if errors:
        out.append("<h3>Data errors</h3>")
        out.append("<div class='compact'>" + table(
            ["vessel", "time (UTC)", "kind", "lat, lon", "why"],
            [(_vessel(e), _when(e.start), TYPE_LABEL[e.type], f"{e.lat:.4f}, {e.lon:.4f}",
              str(e.detail.get("rule", "")))
             for e in errors[:SHOWN_DATA_ERRORS]]) + "</div>")
        out.append(_more(SHOWN_DATA_ERRORS, len(errors), "data errors"))
    out.append("<h3>Reception gaps (coverage holes)</h3>")
    if gaps:
        out.append("<p class='muted'>Silences where no other vessel was heard nearby either: the receivers could "
                   "not hear that spot, so these are not called going dark.</p>")
        out.append("<div class='compact'>" + table(
            ["vessel", "silent from (UTC)", "for", "where it fell silent", "others heard in", "moved"],
            [(_vessel(e), _when(e.start), _duration(e.duration_s), f"{e.lat:.4f}, {e.lon:.4f}",
              f"{float(e.detail.get('reception_share', 0)):.0%} of {e.detail.get('periods_checked', 0)} 15-min periods",
              f"{float(e.detail.get('moved_m', 0)) / 1000:.1f} km") for e in gaps[:SHOWN_GAPS]]) + "</div>")
        out.append(_more(SHOWN_GAPS, len(gaps), "reception gaps"))
    else:
        out.append("<p>None found.</p>")
    return "\n".join(out)


def _method(found: Screening) -> str:
    from kompas.maritime.tracks import MAX_SPEED_KN, POSITION_NOISE_M, SOG_GLITCH_KN

    thresholds = found.rules.as_dict()
    rows = []
    for name, prefix, source in RULE_SOURCES:
        values = ", ".join(f"{k} = {v:g}" for k, v in thresholds.items() if k.startswith(prefix))
        rows.append((name, values, source))
    rows.append(("data errors", f"max speed {MAX_SPEED_KN:g} kn, position noise {POSITION_NOISE_M:g} m, speed "
                 f"glitch {SOG_GLITCH_KN:g} kn over the implied speed", "Kompas; the Danish Maritime Authority's "
                 "sudden-speed-change case (LOTUS, SOG 102.2 kn at anchor) is a data error, not a manoeuvre"))
    rows.append(("infrastructure watch", f"buffer {BUFFER_KM:g} km plus the route's accuracy (cable "
                 f"{ACCURACY_KM['cable']:g}, traced {ACCURACY_KM['traced']:g}, straight {ACCURACY_KM['straight']:g}"
                 " km)", "Kompas: anchor drag, drift, loitering, going dark and stops are watched"))
    return ("<p class='muted'>Thresholds as used for this report (units in the names: _s seconds, _m metres, _km, "
            "_kn knots).</p><div class='compact'>" + table(["detector", "thresholds", "rule and source"], rows)
            + f"</div><p class='muted'>{esc(LIMITS)}</p>")


def _sources(seen: View, found: Screening) -> str:
    items = attribution(seen, found)
    out = ["<ul>" + "".join(f"<li>{esc(text)}</li>" for text in items) + "</ul>"]
    if any("TeleGeography" in text for text in items):
        out.append(f"<p>{esc(NONCOMMERCIAL)}</p>")
    if found.assets:
        out.append(f"<p>{esc(ROUTE_CAVEAT)}</p>")
    if found.rejections:
        out.append(f"<p class='muted'>{len(found.rejections)} rows of the reference tables could not be used (the "
                   "seabed index's planned assets and names not in the infrastructure data, the MID table's bad "
                   "rows).</p>")
    return "\n".join(out)


def build(seen: View, found: Screening, window: Window, banner: str, handling: str = "", as_of: str = "") -> str:
    """The report page for ``seen`` (the view read) and ``found`` (its screening), with ``banner`` (and
    ``handling``) on every page."""
    line = banner + (f" \u2014 {handling}" if handling else "")
    s = summary(seen, found)
    title = f"Maritime report: {window.area_name}, {window.period()}"
    where = ("box " + ", ".join(f"{v:g}" for v in window.box) + " (lon_min, lat_min, lon_max, lat_max)"
             if window.box is not None else "no box")
    body = [f"<div class='pagefoot'><div class='line'>{esc(line)}</div><p>{esc(footer(seen, found))}</p></div>",
            f"<h1>{esc(title)}</h1>",
            f"<p class='muted'>Prepared {esc(as_of or datetime.now(UTC).date().isoformat())} from the vessel "
            f"positions you may see on the platform in {esc(window.area_name)} ({esc(where)}), {esc(window.period())};"
            f" marking {esc(banner)}. Undersea assets watched: {len(found.assets)}.</p>",
            "<h2>1. Summary</h2>", _summary(s, seen, window),
            "<h2>2. Map</h2>", maps(seen, found, window),
            "<h2 class='part'>3. Alerts near undersea infrastructure</h2>", _alerts(seen, found),
            "<h2>4. Events by type</h2>", _events(seen, found),
            "<h2>5. Data quality</h2>", _quality(s, seen, found),
            "<h2>6. Method and thresholds</h2>", _method(found),
            "<h2>7. Sources, licences and caveats</h2>", _sources(seen, found)]
    page = document.page(title, "\n".join(body), banner, handling)
    style = _CSS.format(colour=document.banner_colour(banner))
    return page.replace("</head>", f"<style>{style}</style></head>", 1)


# --- the workflow ---------------------------------------------------------------------------------------------------


def _name(window: Window) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", window.area_name.lower()).strip("-")[:40] or "area"
    days = "_".join(text[:10] for text in (window.start_utc, window.end_utc) if text)
    return f"maritime_{slug}" + (f"_{days}" if days else "")


def report(store: StoreBase, viewer: Viewer | None, start_utc: str | None, end_utc: str | None,
           box: tuple[float, float, float, float] | Sequence[float] | str | None, area_name: str = "",
           assets: str = "baltic", fmt: str = "pdf", banner: str | None = None, handling: str = "") -> Rendered:
    """The maritime report as ``viewer`` may see it (None: the platform's view) over the positions contributed in
    the window (ISO UTC; either end may be open) and ``box`` (lon_min, lat_min, lon_max, lat_max, or a named area
    of :data:`AREAS` such as ``baltic``), screened against the undersea ``assets`` (``baltic``, ``all``, ``none``),
    rendered as ``fmt`` (``html`` or ``pdf``) and banner-marked with the combined marking of the batches read
    (:func:`kompas.services.reports.banner_for`). WindowError (a ValueError) for a request that cannot be used;
    :class:`kompas.services.reports.NothingToReport` when the viewer may see no position there."""
    from kompas.services.maritime import ASSET_CHOICES, screen, view
    from kompas.services.reports import FORMATS, NothingToReport, banner_for, render

    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if assets not in ASSET_CHOICES:
        raise ValueError(f"assets {assets!r}: one of {', '.join(ASSET_CHOICES)}")
    window = request(start_utc, end_utc, box if isinstance(box, str | None) else tuple(box), area_name)
    seen = view(store, viewer, window.start_utc, window.end_utc, window.box)
    if not len(seen.ingest.positions):
        raise NothingToReport(f"no vessel positions you may see in {window.area_name}, {window.period()}: "
                              "contribute AIS first (kompas maritime ingest --contribute, POST /api/v1/maritime/ais)")
    found = screen(seen.ingest, assets=assets)
    marking: Marking = seen.marking
    page = build(seen, found, window, banner_for(marking, banner), handling, datetime.now(UTC).date().isoformat())
    return render(page, fmt, _name(window), marking)
