"""The space threat landscape report: what happened in orbit in a period, against the period before it.

Built from the events JSON of ``kompas space events`` and, optionally, the conjunctions CSV of ``kompas space
screen``. Sections: key findings; events by type against the previous period of the same length (with the
element-set cadence of each period, since detection depends on it); a timeline; proximity to protected assets
with the distance to each asset over time; manoeuvres by object family and a timeline of the largest manoeuvres
outside the large constellations; fragmentations with their Gabbard diagrams; GEO relocations and drifts;
re-entries; conjunction statistics for the protected assets; events by owner; method and limits. Every table row
and figure is drawn from an event's evidence. The banner and handling line are on every page
(:mod:`kompas.reports.document`); written as HTML or PDF.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table
from kompas.space.events import TYPES
from kompas.space.probability import cumulative
from kompas.times import UTC_MS_PATTERN, parse_time_utc, utc_text_ms

CONSTELLATION_MIN = 20  #: A name family with at least this many manoeuvring objects counts as a constellation.
MAX_PROXIMITY_PLOTS = 8
MAX_GABBARD_PLOTS = 4
DIRECTION_COLOURS = {"along-track": "#1f77b4", "radial": "#2ca02c", "cross-track": "#d62728"}
_FAMILY = re.compile(r"^([A-Z][A-Z ]*?[A-Z])(?:[- ]?\d|\s*\(|$)")
UNKNOWN = "unknown"  #: shown for a value an event does not hold (or holds in a form the report cannot read)


def _number(value: object) -> float | None:
    """A finite JSON number as float; None for anything else (booleans, text, null, lists)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _utc(value: object) -> str | None:
    """A time in the events file's form (``...Z``) that the report can place on an axis; None otherwise."""
    if not isinstance(value, str) or not re.fullmatch(UTC_MS_PATTERN, value):
        return None
    try:
        parse_time_utc(value)
    except ValueError:
        return None
    return value


def _numbers(value: object, size: int | None = None) -> list[float] | None:
    """A list of finite numbers (of exactly ``size`` when given); None when it is not one."""
    if not isinstance(value, list):
        return None
    numbers = [_number(v) for v in value]
    if any(n is None for n in numbers) or (size is not None and len(numbers) != size):
        return None
    return [n for n in numbers if n is not None]


def _series(value: object) -> dict | None:
    """A distance series (``start_utc``, ``step_s`` > 0, ``km``: numbers or null) or None."""
    if not isinstance(value, dict):
        return None
    start, step, km = _utc(value.get("start_utc")), _number(value.get("step_s")), value.get("km")
    if start is None or step is None or step <= 0 or not isinstance(km, list) or not km:
        return None
    return {"start_utc": start, "step_s": step, "km": [_number(x) for x in km]}


def _gabbard(value: object) -> dict | None:
    """Gabbard diagram data (equal-length lists ``norad_id``, ``period_min``, ``apogee_km``, ``perigee_km``)."""
    if not isinstance(value, dict):
        return None
    ids = value.get("norad_id")
    columns = [_numbers(value.get(k)) for k in ("period_min", "apogee_km", "perigee_km")]
    if not isinstance(ids, list) or not ids or any(c is None or len(c) != len(ids) for c in columns):
        return None
    return {"norad_id": list(ids), "period_min": columns[0], "apogee_km": columns[1], "perigee_km": columns[2]}


def usable(event: Mapping) -> dict:
    """An item of an events file (:func:`kompas.space.events.check`: the required fields present and typed) in
    the form the report's sections read: every evidence value the report uses is there, as a finite number, text,
    a pair of times or a list of the right length, or None when the event does not hold it in a readable form
    (shown as "unknown" or left out). Schema-valid events may leave out anything the schema does not require
    (an asset's owner, a second object, names, a summary), so no section reads an event directly."""
    given = event.get("evidence")
    found: dict = given if isinstance(given, dict) else {}
    ev: dict = dict(found)
    kind = event.get("type")
    if kind == "proximity":
        asset: dict = found["asset"] if isinstance(found.get("asset"), dict) else {}
        ev["asset"] = {"name": _text(asset.get("name")) or UNKNOWN, "owner": _text(asset.get("owner")) or UNKNOWN}
        times, km = found.get("approach_times_utc"), found.get("approach_km")
        pairs = [(t, k) for t, k in zip(times if isinstance(times, list) else [], km if isinstance(km, list) else [],
                                        strict=False) if _utc(t) is not None and _number(k) is not None]
        ev["approach_times_utc"], ev["approach_km"] = [t for t, _ in pairs], [float(k) for _, k in pairs]
        for key in ("approaches", "closest_km", "slowest_km_s"):
            ev[key] = _number(found.get(key))
        ev["other_manoeuvred"] = found.get("other_manoeuvred") if isinstance(found.get("other_manoeuvred"), bool) \
            else None
        ev["distance_series"] = _series(found.get("distance_series"))
    elif kind == "manoeuvre":
        for key in ("delta_v_m_s", "da_m", "de", "dh_deg", "ratio_to_threshold"):
            ev[key] = _number(found.get(key))
        ev["delta_v_rtn_m_s"] = _numbers(found.get("delta_v_rtn_m_s"), 3)
        ev["direction"] = _text(found.get("direction"))
        epochs = found.get("element_set_epochs_utc")
        pair = [_utc(t) for t in epochs] if isinstance(epochs, list) and len(epochs) == 2 else [None]
        ev["element_set_epochs_utc"] = pair if None not in pair else None
    elif kind == "fragmentation":
        ev["designator"] = _text(found.get("designator")) or UNKNOWN
        parent = found.get("parent_id")
        ev["parent_id"] = parent if isinstance(parent, int) and not isinstance(parent, bool) and parent > 0 else None
        ev["fragments"], ev["sharpness"] = _number(found.get("fragments")), _number(found.get("sharpness"))
        for key in ("perigee_km", "apogee_km", "inclination_deg"):
            ev[key] = _numbers(found.get(key), 2)
        ev["breakup_epoch_estimated"] = found.get("breakup_epoch_estimated") is True
        ev["gabbard"] = _gabbard(found.get("gabbard"))
    elif kind in ("geo_relocation", "geo_drift"):
        for key in ("from_longitude_deg", "to_longitude_deg", "max_drift_deg_day"):
            ev[key] = _number(found.get(key))
        ev["arrival_utc"] = _text(found.get("arrival_utc"))
    elif kind == "reentry":
        ev["perigee_km"] = _number(found.get("perigee_km"))
    names = event.get("names")
    owners = event.get("owners")
    confidence = _number(event.get("confidence"))
    return {**event, "evidence": ev, "names": [n if isinstance(n, str) else "" for n in names]
            if isinstance(names, list) else [],
            "summary": _text(event.get("summary")) or f"{kind} of {_who({**event, 'names': []})}",
            "owners": {str(k): str(v) for k, v in owners.items()} if isinstance(owners, dict) else {},
            "confidence": confidence}


def _n(value: float | None, spec: str = "", scale: float = 1.0, signed: bool = False) -> str:
    """A number formatted by ``spec`` (times ``scale``), or "unknown" when the event does not hold it."""
    if value is None:
        return UNKNOWN
    return format(value * scale, ("+" if signed else "") + spec)


def _first(value: float | None) -> tuple[bool, float]:
    """A sort key putting unknown values last (ascending)."""
    return (value is None, value or 0.0)


def family(name: str) -> str:
    """The family of an object name: the leading word(s) before a serial number (``STARLINK-1234`` ->
    ``STARLINK``, ``COSMOS 2251`` -> ``COSMOS``, ``ONEWEB-0012`` -> ``ONEWEB``); the name itself otherwise."""
    match = _FAMILY.match(name.strip().upper())
    return match.group(1).strip() if match else (name.strip().upper() or "unnamed")


def _time(text: str) -> np.datetime64:
    """A JSON-form time (``...Z``) as ``datetime64[ms]``."""
    return parse_time_utc(text).astype("datetime64[ms]")


def _in(events: Sequence[dict], start: str, end: str) -> list[dict]:
    return [e for e in events if start <= e["epoch_utc"] < end]


def _who(event: Mapping, k: int = 0) -> str:
    """The name of the event's ``k``-th object, else its NORAD id; "unknown" when the event has no such object."""
    names, ids = event.get("names") or [], event.get("norad_ids") or []
    name = names[k] if k < len(names) and isinstance(names[k], str) else ""
    return name or (str(ids[k]) if k < len(ids) else UNKNOWN)


def _id(event: Mapping, k: int = 0) -> str:
    ids = event.get("norad_ids") or []
    return str(ids[k]) if k < len(ids) else UNKNOWN


def _median_gap_days(manoeuvres: Sequence[dict]) -> float | None:
    gaps = [float((_time(b) - _time(a)) / np.timedelta64(1, "D"))
            for m in manoeuvres for a, b in [m["evidence"]["element_set_epochs_utc"] or (None, None)] if a and b]
    return float(np.median(gaps)) if gaps else None


def _timeline(events: Sequence[dict], start: np.datetime64, end: np.datetime64) -> str:
    plt = pyplot()
    days = np.arange(start.astype("datetime64[D]"), end.astype("datetime64[D]") + 1)
    fig, ax = plt.subplots(figsize=(9, 3.0), constrained_layout=True)
    bottom = np.zeros(days.size)
    for kind in TYPES:
        counts = Counter(np.datetime64(e["epoch_utc"][:10]) for e in events if e["type"] == kind)
        values = np.array([counts.get(d, 0) for d in days])
        if values.any():
            ax.bar(days.astype(object), values, bottom=bottom, label=kind, width=0.8)
            bottom += values
    ax.set_ylabel("events per day")
    ax.set_yscale("symlog")
    ax.set_ylim(0, max(10.0, bottom.max() * 3))
    if bottom.any():
        ax.legend(fontsize=8, ncols=len(TYPES), loc="upper left")
    return figure(fig, "Events per day by type (logarithmic scale above 1).")


def _proximity(events: Sequence[dict]) -> str:
    found = sorted((e for e in events if e["type"] == "proximity"),
                   key=lambda e: (e["severity"] != "high", *_first(e["evidence"]["closest_km"])))
    if not found:
        return "<p>No object came repeatedly or slowly within the screening distance of a protected asset.</p>"
    rows = [(e["evidence"]["asset"]["name"], e["evidence"]["asset"]["owner"], f"{_who(e, 1)} ({_id(e, 1)})",
             _n(e["evidence"]["approaches"], ".0f"), _n(e["evidence"]["closest_km"], ".1f"), e["epoch_utc"][:16],
             _n(e["evidence"]["slowest_km_s"], ".0f", 1000),
             {True: "yes", False: "no", None: UNKNOWN}[e["evidence"]["other_manoeuvred"]], e["severity"])
            for e in found]
    out = [table(("asset", "owner", "other object", "approaches", "closest (km)", "closest at (UTC)",
                  "slowest (m/s)", "other manoeuvred", "severity"), rows, numeric=(3, 4, 6))]
    plt = pyplot()
    for e in found[:MAX_PROXIMITY_PLOTS]:
        evidence = e["evidence"]
        fig, ax = plt.subplots(figsize=(9, 2.6), constrained_layout=True)
        series = evidence["distance_series"]
        if series:
            times = _time(series["start_utc"]) + np.arange(len(series["km"])) * np.timedelta64(
                int(series["step_s"] * 1000), "ms")
            km = np.array([np.nan if x is None else x for x in series["km"]], dtype=float)
            ax.plot(times.astype(object), km, lw=0.8, color="#555", label="distance")
        ax.scatter([_time(t).astype(object) for t in evidence["approach_times_utc"]], evidence["approach_km"],
                   s=14, color="#c8102e", zorder=3, label="closest approaches")
        ax.set_ylabel("distance (km)")
        if np.nanmin([*evidence["approach_km"], *(x for x in (series or {}).get("km", []) if x is not None),
                       np.inf]) > 0:
            ax.set_yscale("log")  # distances are positive; a log axis cannot show zero or less
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8, loc="upper right")
        out.append(figure(fig, f"{_who(e, 1)} to {evidence['asset']['name']}: distance over the screening "
                               f"window (SGP4, every {series['step_s'] / 60:.0f} min) and the closest approaches."
                          if series else f"{_who(e, 1)} to {evidence['asset']['name']}: closest approaches."))
    return "".join(out)


def _manoeuvres(events: Sequence[dict]) -> str:
    found = [e for e in events if e["type"] == "manoeuvre"]
    if not found:
        return "<p>No manoeuvre detected in the period.</p>"
    by_family: dict[str, list[dict]] = defaultdict(list)
    for e in found:
        by_family[family(_who(e))].append(e)
    objects = {f: len({_id(e) for e in es}) for f, es in by_family.items()}
    constellations = {f for f, n in objects.items() if n >= CONSTELLATION_MIN}
    rows = []
    for name, es in sorted(by_family.items(), key=lambda kv: -len(kv[1]))[:12]:
        dv = np.array([d for e in es if (d := e["evidence"]["delta_v_m_s"]) is not None])
        along = np.array([e["evidence"]["delta_v_rtn_m_s"][1] for e in es if e["evidence"]["delta_v_rtn_m_s"]])
        rows.append((name, objects[name], len(es), f"{dv.sum():.0f}" if dv.size else UNKNOWN,
                     f"{np.median(dv):.2f}" if dv.size else UNKNOWN,
                     int((along > 0).sum()), int((along < 0).sum()), int((along == 0).sum())))
    out = [f"<p>{len(found)} manoeuvres by {len({_id(e) for e in found})} objects. "
           f"{sum(len(by_family[f]) for f in constellations)} of them by the large constellations "
           f"({', '.join(sorted(constellations)) or 'none'}: families of {CONSTELLATION_MIN} or more manoeuvring "
           f"objects), mostly routine orbit raising, station keeping and collision avoidance.</p>",
           table(("family", "objects", "manoeuvres", "total Δv (m/s)", "median Δv (m/s)", "raises", "lowerings",
                  "plane/shape"), rows, numeric=(1, 2, 3, 4, 5, 6, 7))]
    others = [e for e in found if family(_who(e)) not in constellations]
    if not others:
        return "".join(out)
    total: dict[str, float] = defaultdict(float)
    for e in others:
        total[_id(e)] += max(0.0, e["evidence"]["delta_v_m_s"] or 0.0)
    top = sorted(total, key=lambda n: -total[n])[:15]
    names = {_id(e): _who(e) for e in others}
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.3 * len(top)), constrained_layout=True)
    for row, norad in enumerate(reversed(top)):
        for e in (e for e in others if _id(e) == norad):
            ev = e["evidence"]
            ax.scatter(_time(e["epoch_utc"]).astype(object), row,
                       s=12 + 12 * np.sqrt(min(1e6, max(0.0, ev["delta_v_m_s"] or 0.0))),
                       color=DIRECTION_COLOURS.get(ev["direction"] or "", "#777"), alpha=0.8, edgecolors="black",
                       linewidths=0.3)
    ax.set_yticks(range(len(top)), [f"{names[n]} ({n})" for n in reversed(top)], fontsize=7)
    ax.grid(alpha=0.3, axis="x")
    for direction, colour in DIRECTION_COLOURS.items():
        ax.scatter([], [], color=colour, label=direction, s=20)
    ax.legend(fontsize=7, loc="upper left", ncols=3)
    out.append("<h3>Manoeuvre timeline outside the large constellations</h3>")
    out.append(figure(fig, "The 15 objects outside the large constellations with the largest total Δv: each "
                           "manoeuvre at its estimated time, marker area growing with Δv, colour its main direction."))
    largest = sorted(others, key=lambda e: _first(None if (d := e["evidence"]["delta_v_m_s"]) is None else -d))[:15]
    out.append("<h3>Largest manoeuvres outside the large constellations</h3>")
    out.append(table(("time (UTC)", "object", "Δv (m/s)", "direction", "Δa (m)", "Δe", "Δplane (deg)",
                      "× noise", "confidence"),
                     [(e["epoch_utc"][:16], f"{_who(e)} ({_id(e)})", _n(e["evidence"]["delta_v_m_s"], ".2f"),
                       e["evidence"]["direction"] or UNKNOWN, _n(e["evidence"]["da_m"], ".0f", signed=True),
                       _n(e["evidence"]["de"], ".5f"), _n(e["evidence"]["dh_deg"], ".3f"),
                       _n(e["evidence"]["ratio_to_threshold"], ".0f"), _n(e["confidence"], ".2f"))
                      for e in largest], numeric=(2, 4, 5, 6, 7, 8)))
    return "".join(out)


def _fragmentations(events: Sequence[dict]) -> str:
    from kompas.reports.gabbard import gabbard_figure

    found = sorted((e for e in events if e["type"] == "fragmentation"),
                   key=lambda e: _first(None if (n := e["evidence"]["fragments"]) is None else -n))
    if not found:
        return "<p>No debris cloud in the period's element sets.</p>"
    rows = []
    for e in found:
        ev = e["evidence"]
        rows.append((ev["designator"], ev["parent_id"] or "not catalogued", _n(ev["fragments"], ".0f"),
                     e["epoch_utc"][:16] + (" (estimated)" if ev["breakup_epoch_estimated"] else " (first seen)"),
                     _n(ev["sharpness"], ".2f") if ev["breakup_epoch_estimated"] else "-",
                     *(f"{ev[k][0]:.{d}f}-{ev[k][1]:.{d}f}" if ev[k] else UNKNOWN
                       for k, d in (("perigee_km", 0), ("apogee_km", 0), ("inclination_deg", 1)))))
    out = [table(("designator", "parent", "fragments", "epoch (UTC)", "sharpness", "perigee (km)", "apogee (km)",
                  "inclination (deg)"), rows, numeric=(2, 4))]
    for e in found[:MAX_GABBARD_PLOTS]:
        ev, data = e["evidence"], e["evidence"]["gabbard"]
        if not data:
            continue
        parent = None
        if ev["parent_id"] is not None and ev["parent_id"] in data["norad_id"]:
            k = data["norad_id"].index(ev["parent_id"])
            parent = (data["period_min"][k], data["apogee_km"][k], data["perigee_km"][k], str(ev["parent_id"]))
        fig = gabbard_figure(data["period_min"], data["apogee_km"], data["perigee_km"],
                             f"Cloud {ev['designator']}", parent, size=(7.5, 3.6))
        out.append(figure(fig, f"Gabbard diagram of {ev['designator']}: apogee and perigee altitude of each "
                               f"object against its period, from each object's earliest element set."))
    return "".join(out)


def _geo(events: Sequence[dict]) -> str:
    found = [e for e in events if e["type"] in ("geo_relocation", "geo_drift")]
    if not found:
        return "<p>No GEO relocation or drift.</p>"
    rows = [(e["type"].replace("geo_", ""), f"{_who(e)} ({_id(e)})", _n(e["evidence"]["from_longitude_deg"], ".2f"),
             "-" if e["evidence"]["to_longitude_deg"] is None else _n(e["evidence"]["to_longitude_deg"], ".2f"),
             _n(e["evidence"]["max_drift_deg_day"], ".2f"), e["epoch_utc"][:16],
             (e["evidence"]["arrival_utc"] or "still drifting")[:16]) for e in found]
    return table(("kind", "object", "from (deg E)", "to (deg E)", "max drift (deg/day)", "left (UTC)",
                  "arrived (UTC)"), rows, numeric=(2, 3, 4))


def _reentries(events: Sequence[dict]) -> str:
    found = sorted((e for e in events if e["type"] == "reentry"), key=lambda e: e["epoch_utc"])
    if not found:
        return "<p>No re-entry predicted in the period.</p>"
    families = Counter(family(_who(e)) for e in found)
    rows = [(e["epoch_utc"][:16], f"{_who(e)} ({_id(e)})", _n(e["evidence"]["perigee_km"], ".0f"),
             f"{e['start_utc'][:16]} to {e['end_utc'][:16]}") for e in found[:30]]
    return (f"<p>{len(found)} predicted re-entries ("
            + ", ".join(f"{n} {f}" for f, n in families.most_common(5)) + ")"
            + ("; the first 30 are listed" if len(found) > 30 else "") + ".</p>"
            + table(("predicted (UTC)", "object", "perigee (km)", "window (UTC)"), rows, numeric=(2,)))


def _conjunctions(conjunctions: Sequence[dict] | None, assets: Mapping, start: str, end: str) -> str:
    if conjunctions is None:
        return ("<p>No conjunctions file was given (<code>kompas space report --conjunctions</code>, from "
                "<code>kompas space screen</code>).</p>")
    now = [c for c in conjunctions if start <= c["tca_utc"] < end and c.get("label") != "same-object"]
    fleet = [c for c in now if _fleet(c, assets)]
    mine = [c for c in now if (c["primary_id"] in assets or c["secondary_id"] in assets) and not _fleet(c, assets)]
    fleet_note = ""
    if fleet:
        pairs = sorted({f"{assets[c['primary_id']].name} / {assets[c['secondary_id']].name}" for c in fleet})
        fleet_note = (f" {len(fleet)} approaches between protected assets of one owner, flying in formation or "
                      f"as a fleet ({esc(', '.join(pairs[:5]))}), are left out: their operator plans them.")
    if not mine:
        return (f"<p>{len(now)} conjunctions in the file fall in the period; none involves a protected asset and "
                f"another owner's object.{fleet_note}</p>")
    per: dict[int, list[dict]] = defaultdict(list)
    for c in mine:
        for n in (c["primary_id"], c["secondary_id"]):
            if n in assets:
                per[n].append(c)
    has_pc = any("pc" in c for c in mine)
    rows = []
    for n, cs in sorted(per.items(), key=lambda kv: min(c["miss_km"] for c in kv[1])):
        closest = min(cs, key=lambda c: c["miss_km"])
        other = closest["secondary_name"] if closest["primary_id"] == n else closest["primary_name"]
        row = [assets[n].name, assets[n].owner, len(cs), sum(c["miss_km"] < 1.0 for c in cs),
               f"{closest['miss_km']:.3f}", closest["tca_utc"][:16], other or "-"]
        if has_pc:
            worst = max(cs, key=lambda c: c.get("pc") or 0.0)
            basis = f" ({worst['pc_basis']})" if worst.get("pc_basis") else ""
            row += [f"{worst.get('pc') or 0.0:.1e}{basis}", f"{cumulative(c.get('pc') for c in cs):.1e}"]
        rows.append(row)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 2.6), constrained_layout=True)
    miss = np.array([c["miss_km"] for c in mine])
    ax.hist(miss, bins=np.linspace(0, max(miss.max(), 1e-3), 26), color="#1f77b4")
    ax.set_xlabel("miss distance (km)")
    ax.set_ylabel("conjunctions")
    ax.grid(alpha=0.3)
    header = ["asset", "owner", "conjunctions", "under 1 km", "closest (km)", "closest at (UTC)", "with"]
    return (f"<p>{len(mine)} of the period's {len(now)} screened conjunctions involve {len(per)} of the "
            f"{len(assets)} protected assets; {sum(c['miss_km'] < 1.0 for c in mine)} under 1 km.{fleet_note}</p>"
            + table(header + (["max Pc (basis)", "cumulative Pc"] if has_pc else []), rows, numeric=(2, 3, 4))
            + (_PC_NOTE if has_pc else "")
            + figure(fig, "Miss distances of the conjunctions involving protected assets."))


_PC_NOTE = ("<p>Pc is the value to decide on, from the method in brackets, chosen as NASA CARA's "
            "PcMultiStep chooses: <b>pc2d</b> Foster's 2D Pc when no usage check fails, else <b>nc3d</b> Hall's 3D "
            "Nc, else <b>mc</b> two-body Monte Carlo. The cumulative Pc of an asset is "
            "1 - &prod;(1 - Pc) over its conjunctions in the period.</p>")


def _fleet(conjunction: dict, assets: Mapping) -> bool:
    """Both objects are protected assets of the same owner (a formation such as TerraSAR-X/TanDEM-X, a fleet)."""
    a, b = assets.get(conjunction["primary_id"]), assets.get(conjunction["secondary_id"])
    return a is not None and b is not None and a.owner == b.owner


def _owners(events: Sequence[dict], assets: Mapping) -> str:
    owners: Counter[str] = Counter()
    for e in events:
        for n in e["norad_ids"][:2]:
            code = (e.get("owners") or {}).get(str(n)) or (assets[n].owner if n in assets else None)
            owners[code or "unknown"] += 1
    known = [(o, n) for o, n in owners.most_common() if o != "unknown"][:15]
    note = (f"<p class=\"muted\">Owner unknown for {owners['unknown']} object-events: give a SATCAT with "
            f"<code>kompas space events --catalog</code> to name every owner.</p>" if owners["unknown"] else "")
    return (table(("owner / country", "object-events"), known, numeric=(1,)) if known else "") + note


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _findings(now: Sequence[dict], conjunctions: Sequence[dict] | None, assets: Mapping, start: str,
              end: str, forecast: str = "") -> str:
    kinds = Counter(e["type"] for e in now)
    items = []
    close = [e for e in now if e["type"] == "proximity"]
    if close:
        after = sum(e["evidence"]["other_manoeuvred"] is True for e in close)
        items.append(f"{_count(len(close), 'proximity event')} at protected assets ({after} after the other "
                     f"object manoeuvred): " + "; ".join(esc(e["summary"]) for e in close[:3]) + ".")
    for e in sorted((e for e in now if e["type"] == "fragmentation"),
                    key=lambda e: _first(None if (n := e["evidence"]["fragments"]) is None else -n))[:3]:
        items.append("Fragmentation: " + esc(e["summary"]) + ".")
    geo = [e for e in now if e["type"] in ("geo_relocation", "geo_drift")]
    if geo:
        items.append(f"{_count(len(geo), 'GEO relocation or drift', 'GEO relocations or drifts')}: "
                     + "; ".join(esc(e["summary"]) for e in geo[:3]) + ".")
    if kinds["manoeuvre"]:
        big = sorted((e for e in now if e["type"] == "manoeuvre"),
                     key=lambda e: _first(None if (d := e["evidence"]["delta_v_m_s"]) is None else -d))
        items.append(f"{_count(kinds['manoeuvre'], 'manoeuvre')}; the largest: "
                     + "; ".join(esc(e["summary"]) for e in big[:2]) + ".")
    if kinds["reentry"]:
        items.append(f"{_count(kinds['reentry'], 'predicted re-entry', 'predicted re-entries')}.")
    if conjunctions is not None:
        mine = [c for c in conjunctions if start <= c["tca_utc"] < end and c.get("label") != "same-object"
                and (c["primary_id"] in assets or c["secondary_id"] in assets) and not _fleet(c, assets)]
        if mine:
            c = min(mine, key=lambda c: c["miss_km"])
            items.append(f"{_count(len(mine), 'conjunction')} with protected assets{forecast}; "
                         f"closest {c['miss_km'] * 1000:.0f} m "
                         f"({esc(c.get('primary_name') or c['primary_id'])} / "
                         f"{esc(c.get('secondary_name') or c['secondary_id'])}, {esc(c['tca_utc'][:16])} UTC).")
    if not items:
        items.append("No security-relevant event in the period.")
    return '<div class="key"><ul>' + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>"


def build(events: Sequence[dict], start_utc: str, end_utc: str, banner: str, handling: str = "",
          conjunctions: Sequence[dict] | None = None, assets: Mapping | None = None,
          conjunction_window: tuple[str, str] | None = None) -> str:
    """The report as one self-contained HTML page (figures embedded).

    ``events``: items of an events file (:func:`kompas.space.events.check`); ``start_utc``/``end_utc``: the period
    as ``YYYY-MM-DDTHH:MM:SS.sssZ``; ``conjunctions``: rows of :func:`kompas.files.load_conjunctions`, counted in
    the period or, with ``conjunction_window`` (start, end in the same form), in that screening window (a forecast);
    ``assets``: protected assets by NORAD id (:func:`kompas.files.load_assets`).
    """
    assets = assets or {}
    events = [usable(e) for e in events]
    # Conjunctions are counted in the report's period, or in a screening window of their own (a forecast).
    c_start, c_end = conjunction_window or (start_utc, end_utc)
    forecast = f" forecast for {c_start[:16]} to {c_end[:16]} UTC" if conjunction_window else ""
    start, end = _time(start_utc), _time(end_utc)
    previous = (utc_text_ms(start - (end - start)), start_utc)
    now, before = _in(events, start_utc, end_utc), _in(events, *previous)
    this_types, last_types = Counter(e["type"] for e in now), Counter(e["type"] for e in before)
    rows_types = [(t, this_types.get(t, 0), last_types.get(t, 0), f"{this_types.get(t, 0) - last_types.get(t, 0):+d}")
                  for t in TYPES]
    gap_now = _median_gap_days([e for e in now if e["type"] == "manoeuvre"])
    gap_before = _median_gap_days([e for e in before if e["type"] == "manoeuvre"])
    cadence = ""
    if gap_now and gap_before and max(gap_now, gap_before) > 1.5 * min(gap_now, gap_before):
        cadence = (f"<p class=\"muted\">Manoeuvres were detected from element sets a median {gap_now:.1f} days "
                   f"apart in this period and {gap_before:.1f} days apart in the previous one. Detection is far "
                   f"less sensitive across long gaps, so the change in manoeuvre counts reflects the data's "
                   f"cadence, not a trend.</p>")
    elif not before:
        cadence = "<p class=\"muted\">The events file has no events in the previous period.</p>"
    period = f"{start_utc[:10]} to {end_utc[:10]}"
    body = f"""
<h1>Space threat landscape, {esc(period)}</h1>
<p>{len(now)} events in the period, against {len(before)} in the previous period of the same length
({esc(previous[0][:10])} to {esc(previous[1][:10])}). Source: Kompas event detection on the public element-set
history (CelesTrak / 18th and 19th SDS GP element sets).</p>
<h2>Key findings</h2>
{_findings(now, conjunctions, assets, c_start, c_end, forecast)}
<h2>Events by type</h2>
{table(("type", "this period", "previous period", "change"), rows_types, numeric=(1, 2, 3))}
{cadence}
{_timeline(now, start, end)}
<h2>Proximity to protected assets</h2>
{_proximity(now)}
<h2>Manoeuvres</h2>
{_manoeuvres(now)}
<h2>Fragmentations</h2>
{_fragmentations(now)}
<h2>GEO relocations and drifts</h2>
{_geo(now)}
<h2>Re-entries</h2>
{_reentries(now)}
<h2>Conjunctions with protected assets</h2>
{f"<p>Forecast: screened for {esc(c_start[:16])} to {esc(c_end[:16])} UTC.</p>" if forecast else ""}
{_conjunctions(conjunctions, assets, c_start, c_end)}
<h2>Events by owner</h2>
{_owners(now, assets)}
<h2>Method and limits</h2>
<p class="muted">Manoeuvres: the previous element set propagated (SGP4) to the next one's epoch and compared in
semi-major axis, eccentricity vector and orbit plane against each object's own noise (a manoeuvre is at least six
times it); Δv from Gauss's equations. Proximity: every approach within 10 km (50 km above 20,000 km) of a protected
asset over the last days of the history, grouped per object, reported when repeated at under 1 km/s or slower than
50 m/s. Fragmentations: objects sharing a launch designator with debris, break-up epoch where the fragments'
radial and cross-track spread is smallest. GEO: longitude drift from the element sets. Re-entries: SGP4 to 100 km
altitude, window ±20% of the remaining time. Element sets are public and have metre-to-kilometre errors; events
are indications for an analyst to confirm, each with its evidence and a confidence.</p>
"""
    return document.page(f"Space threat landscape {period}", body, banner, handling)


def write(events: Sequence[dict], start_utc: str, end_utc: str, banner: str, path: Path, handling: str = "",
          conjunctions: Sequence[dict] | None = None, assets: Mapping | None = None,
          conjunction_window: tuple[str, str] | None = None) -> Path:
    """Write the report to ``path`` (``.html`` or ``.pdf``)."""
    return document.write(build(events, start_utc, end_utc, banner, handling, conjunctions, assets,
                                conjunction_window), path)
