"""The Kompas mobility format: what contributors add to the open network, and what the open data lacks.

A contribution is a GeoJSON ``FeatureCollection`` (or a JSON list of the same objects without geometry). Each
feature's ``properties.kind`` says what it is:

``place``      a place: ``id``, ``name``, ``country`` (ISO-2), ``place_kind`` (junction, station, border, ramp,
               airfield, port); a Point geometry (or ``lon``, ``lat``)
``link``       a road or rail section: ``id``, ``u``, ``v`` (place ids), ``mode`` (road, rail), ``length_km`` (or
               measured on the LineString geometry), and any of ``maxspeed_kmh``, ``maxweight_t``,
               ``maxaxleload_t``, ``maxheight_m``, ``maxwidth_m``, ``mlc``, ``gauge_mm``, ``electrified``,
               ``bridge``, ``tunnel``, ``oneway``, ``name``, ``country``
``transfer``   a change of mode or gauge: ``id``, ``a``, ``b`` (place ids), ``transfer_kind`` (rail-ramp, air, port,
               transshipment), ``from_mode``, ``to_mode``, ``hours`` (one batch), ``per_day`` (batches a day),
               ``gauges_mm`` ([from, to], transshipment only), ``name``
``port``       a port for sealift: ``id``, ``name``, ``country``, ``ro_ro``, ``vehicles_per_day``; a Point
``airfield``   an airfield: ``id`` (``icao:XXXX``), ``name``, ``country``, ``runways`` (a list of ``{id, length_m,
               width_m, surface, paved, lighted, closed}``); a Point
``attributes`` what the open data lacks, set on an element another source holds: ``target`` (its id, e.g.
               ``osm:way/4242#0`` or ``rinf:…``) and ``set`` (an object of the link or port fields above:
               a bridge's military load class ``mlc``, a measured ``maxheight_m``, a port's ``vehicles_per_day``)

Every bad feature is rejected with its number (``item``), field and reason; the good ones go through. The platform
stores each contribution under its marking (:mod:`kompas.core.store.mobility`) and a viewer's network is the open
network with the contributions they may see applied in order (:func:`apply`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kompas.mobility.model import (
    MODES,
    PLACE_KINDS,
    TRANSFER_KINDS,
    Airfield,
    Link,
    Network,
    Place,
    Port,
    Runway,
    Transfer,
)
from kompas.mobility.network import great_circle_km
from kompas.rejections import Rejection

MAX_FEATURES = 50_000  #: features in one contribution (a bound on the cost of one upload)
MAX_BYTES = 20_000_000
_ID_CHARS = 200
LINK_FIELDS = {"maxspeed_kmh": float, "maxweight_t": float, "maxaxleload_t": float, "maxheight_m": float,
               "maxwidth_m": float, "mlc": int, "gauge_mm": int, "electrified": bool, "bridge": bool,
               "tunnel": bool, "oneway": bool, "name": str, "country": str}
PORT_FIELDS = {"ro_ro": bool, "vehicles_per_day": float, "name": str}
TRANSFER_FIELDS = {"hours": float, "per_day": float, "name": str}
_LIMITS = {"maxspeed_kmh": (1.0, 500.0), "maxweight_t": (0.1, 1000.0), "maxaxleload_t": (0.1, 100.0),
           "maxheight_m": (0.5, 20.0), "maxwidth_m": (0.5, 20.0), "mlc": (1, 150), "gauge_mm": (300, 2000),
           "vehicles_per_day": (0.01, 1e6), "hours": (0.0, 24.0 * 60), "per_day": (0.01, 1e4),
           "length_km": (0.0, 5000.0), "length_m": (1.0, 10_000.0), "width_m": (1.0, 1000.0)}


class ContributionError(ValueError):
    """A contribution that cannot be read at all (not JSON, too large); the message says why."""


@dataclass
class Contribution:
    """What one contribution holds: whole elements (a small network) and attribute patches by target id."""

    network: Network = field(default_factory=Network)
    patches: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def count(self) -> int:
        """Elements and patches held."""
        n = self.network.counts()
        return sum(n.values()) + len(self.patches)


def _value(name: str, raw: Any, kind: type) -> Any:  # noqa: ANN401 (a JSON value, typed by ``kind``)
    """``raw`` as ``kind``, within :data:`_LIMITS`; raises ValueError with the reason."""
    if kind is bool:
        if not isinstance(raw, bool):
            raise ValueError("must be true or false")
        return raw
    if kind is str:
        if not isinstance(raw, str) or len(raw) > _ID_CHARS:
            raise ValueError(f"must be text of at most {_ID_CHARS} characters")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise ValueError("must be a number")
    if kind is int and raw != int(raw):
        raise ValueError("must be a whole number")
    low, high = _LIMITS.get(name, (-math.inf, math.inf))
    if not low <= raw <= high:
        raise ValueError(f"must be within {low:g}..{high:g}")
    return kind(raw)


def _text(props: dict[str, Any], name: str, required: bool = True) -> str:
    raw = props.get(name)
    if raw is None or raw == "":
        if required:
            raise KeyError(name)
        return ""
    return str(_value(name, raw, str))


def _point(feature: dict[str, Any], props: dict[str, Any]) -> tuple[float, float]:
    geometry = feature.get("geometry") or {}
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
    else:
        coords = [props.get("lon"), props.get("lat")]
    if not isinstance(coords, list) or len(coords) < 2:
        raise ValueError("a Point geometry or lon/lat is needed")
    lon, lat = (_value("lon", c, float) for c in coords[:2])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError("lon must be within ±180 and lat within ±90")
    return lon, lat


def _line(feature: dict[str, Any]) -> tuple[tuple[float, float], ...]:
    geometry = feature.get("geometry") or {}
    if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
        return ()
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2 or len(coords) > 10_000:
        raise ValueError("a LineString needs 2 to 10,000 points")
    out = []
    for c in coords:
        if not isinstance(c, list) or len(c) < 2:
            raise ValueError("each point is [lon, lat]")
        out.append((_value("lon", c[0], float), _value("lat", c[1], float)))
    return tuple(out)


def _fields(props: dict[str, Any], allowed: dict[str, type]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind in allowed.items():
        if name in props and props[name] is not None:
            try:
                out[name] = _value(name, props[name], kind)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
    return out


def _features(document: Any) -> list[Any]:  # noqa: ANN401 (parsed JSON)
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise ContributionError("a FeatureCollection needs a 'features' list")
        return features
    if isinstance(document, list):
        return [{"properties": item} if isinstance(item, dict) and "properties" not in item else item
                for item in document]
    raise ContributionError("expected a GeoJSON FeatureCollection or a JSON list of elements")


def parse_contribution(text: str, source: str) -> Contribution:
    """Read a contribution in the Kompas mobility format; raises :class:`ContributionError` only when the text as a
    whole cannot be used (every bad feature is a rejection)."""
    if len(text) > MAX_BYTES:
        raise ContributionError(f"{source}: larger than {MAX_BYTES:,} bytes")
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ContributionError(f"{source}: not JSON ({exc})") from None
    features = _features(document)
    if len(features) > MAX_FEATURES:
        raise ContributionError(f"{source}: more than {MAX_FEATURES:,} features")
    out = Contribution()
    net = out.network
    for n, feature in enumerate(features, start=1):
        def reject(field_name: str, reason: str, n: int = n) -> None:
            out.rejections.append(Rejection(source, n, field_name, reason, unit="item"))

        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            reject("properties", "each feature needs a properties object")
            continue
        props: dict[str, Any] = feature["properties"]
        kind = props.get("kind")
        try:
            if kind == "place":
                lon, lat = _point(feature, props)
                place_kind = _text(props, "place_kind", required=False) or "junction"
                if place_kind not in PLACE_KINDS:
                    raise ValueError(f"place_kind must be one of {', '.join(PLACE_KINDS)}")
                pid = _text(props, "id")
                net.places[pid] = Place(pid, _text(props, "name", False) or pid, lon, lat,
                                        _text(props, "country", False).upper(), place_kind, source)
            elif kind == "link":
                mode = _text(props, "mode")
                if mode not in ("road", "rail"):
                    raise ValueError("mode must be road or rail")
                line = _line(feature)
                length = props.get("length_km")
                if length is None:
                    if not line:
                        raise ValueError("length_km or a LineString geometry is needed")
                    length = sum(great_circle_km(*a, *b) for a, b in zip(line, line[1:], strict=False))
                lid = _text(props, "id")
                net.links[lid] = Link(lid, _text(props, "u"), _text(props, "v"), mode,  # type: ignore[arg-type]
                                      float(_value("length_km", length, float)), kind=_text(props, "class", False),
                                      source=source, line=line, **_fields(props, LINK_FIELDS))
            elif kind == "transfer":
                transfer_kind = _text(props, "transfer_kind")
                if transfer_kind not in TRANSFER_KINDS:
                    raise ValueError(f"transfer_kind must be one of {', '.join(TRANSFER_KINDS)}")
                frm, to = _text(props, "from_mode"), _text(props, "to_mode")
                if frm not in MODES or to not in MODES:
                    raise ValueError(f"from_mode and to_mode must be among {', '.join(MODES)}")
                gauges = props.get("gauges_mm")
                pair: tuple[int, int] | None = None
                if transfer_kind == "transshipment":
                    if not (isinstance(gauges, list) and len(gauges) == 2):
                        raise ValueError("gauges_mm: a transshipment joins two gauges, [from, to]")
                    pair = (_value("gauge_mm", gauges[0], int), _value("gauge_mm", gauges[1], int))
                extra = _fields(props, TRANSFER_FIELDS)
                if "hours" not in extra:
                    raise KeyError("hours")
                tid = _text(props, "id")
                net.transfers[tid] = Transfer(tid, _text(props, "a"), _text(props, "b"), transfer_kind,
                                              frm, to, gauges_mm=pair, source=source, **extra)  # type: ignore[arg-type]
            elif kind == "port":
                lon, lat = _point(feature, props)
                pid = _text(props, "id")
                extra = _fields(props, PORT_FIELDS)
                extra.setdefault("name", pid)
                net.ports[pid] = Port(pid, lon=lon, lat=lat, country=_text(props, "country", False).upper(),
                                      source=source, **extra)
            elif kind == "airfield":
                lon, lat = _point(feature, props)
                aid = _text(props, "id")
                raw = props.get("runways")
                if not isinstance(raw, list) or len(raw) > 50:
                    raise ValueError("runways: a list of at most 50 runways is needed")
                runways = []
                for r in raw:
                    if not isinstance(r, dict):
                        raise ValueError("runways: each runway is an object")
                    width = r.get("width_m")
                    runways.append(Runway(str(_value("id", r.get("id", ""), str)),
                                          float(_value("length_m", r.get("length_m"), float)),
                                          None if width is None else float(_value("width_m", width, float)),
                                          str(_value("surface", r.get("surface", ""), str)),
                                          bool(_value("paved", r.get("paved", False), bool)),
                                          bool(_value("lighted", r.get("lighted", False), bool)),
                                          bool(_value("closed", r.get("closed", False), bool))))
                name = _text(props, "name", False) or aid
                country = _text(props, "country", False).upper()
                net.airfields[aid] = Airfield(aid, name, lon, lat, country, tuple(runways), source)
                net.places.setdefault(aid, Place(aid, name, lon, lat, country, "airfield", source))
            elif kind == "attributes":
                target = _text(props, "target")
                values = props.get("set")
                if not isinstance(values, dict) or not values:
                    raise ValueError("set: an object of the fields to set is needed")
                unknown = sorted(set(values) - set(LINK_FIELDS) - set(PORT_FIELDS) - set(TRANSFER_FIELDS))
                if unknown:
                    raise ValueError(f"set: unknown fields {', '.join(unknown)}")
                allowed = {**LINK_FIELDS, **PORT_FIELDS, **TRANSFER_FIELDS}
                out.patches.append((target, _fields(values, allowed)))
            else:
                reject("kind", "must be place, link, transfer, port, airfield or attributes")
        except KeyError as exc:
            reject(str(exc.args[0]), "required")
        except (ValueError, TypeError) as exc:
            reject(str(kind or ""), str(exc))
    return out


def touches(contribution: Contribution, network: Network) -> bool:
    """Whether ``contribution`` completes or joins ``network``: an attribute set on one of its elements, a link or
    transfer ending at one of its places, or an element with one of its ids (a correction)."""
    added = contribution.network
    if any(target in network.links or target in network.ports or target in network.transfers
           for target, _ in contribution.patches):
        return True
    ends = {end for link in added.links.values() for end in (link.u, link.v)}
    ends |= {end for t in added.transfers.values() for end in (t.a, t.b)}
    if any(end in network.places for end in ends):
        return True
    return any(k in network.places for k in added.places) or any(k in network.links for k in added.links) or \
        any(k in network.ports for k in added.ports) or any(k in network.airfields for k in added.airfields)


def apply(network: Network, contributions: Iterable[Contribution], source_names: Iterable[str] = ()) -> Network:
    """The network with the contributions' elements added and their attribute patches applied, in order (a later
    contribution wins). Patches whose target no element has, and links or transfers whose places do not exist,
    become rejections of the returned network."""
    result = Network(places=dict(network.places), links=dict(network.links), airfields=dict(network.airfields),
                     ports=dict(network.ports), transfers=dict(network.transfers), sources=list(network.sources),
                     rejections=list(network.rejections))
    for contribution in contributions:
        added = contribution.network
        result.places.update(added.places)
        result.ports.update(added.ports)
        result.airfields.update(added.airfields)
        for link in added.links.values():
            if link.u not in result.places or link.v not in result.places:
                result.rejections.append(Rejection(link.source, 0, "u/v", f"link {link.id}: place "
                                                   f"{link.u if link.u not in result.places else link.v} not found",
                                                   unit="item"))
                continue
            result.links[link.id] = link
        for transfer in added.transfers.values():
            if transfer.a not in result.places or transfer.b not in result.places:
                result.rejections.append(Rejection(transfer.source, 0, "a/b", f"transfer {transfer.id}: place not "
                                                   "found", unit="item"))
                continue
            result.transfers[transfer.id] = transfer
        for target, values in contribution.patches:
            def patch(allowed: dict[str, type], kind: str, values: dict[str, Any] = values,
                      target: str = target) -> dict[str, Any]:
                wrong = sorted(set(values) - set(allowed))
                if wrong:  # said, never dropped silently
                    result.rejections.append(Rejection("attributes", 0, "set", f"{target}: {', '.join(wrong)} do "
                                                       f"not apply to a {kind} (ignored)", unit="item"))
                return {k: v for k, v in values.items() if k in allowed}

            if target in result.links:
                result.links[target] = replace(result.links[target], **patch(LINK_FIELDS, "link"))
            elif target in result.ports:
                result.ports[target] = replace(result.ports[target], **patch(PORT_FIELDS, "port"))
            elif target in result.transfers:
                result.transfers[target] = replace(result.transfers[target], **patch(TRANSFER_FIELDS, "transfer"))
            else:
                result.rejections.append(Rejection("attributes", 0, "target", f"no element {target!r} in the "
                                                   "network", unit="item"))
    for name in source_names:
        entry = {"name": name, "note": "contributed"}
        if entry not in result.sources:
            result.sources.append(entry)
    return result


TRI_STATE = frozenset({"electrified", "ro_ro"})  #: yes / no / unknown: a stated "no" is kept


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items()
            if v is not None and v != "" and (v is not False or k in TRI_STATE)}


def to_geojson(network: Network, name: str = "", note: str = "") -> dict[str, Any]:
    """The network in the Kompas mobility format (what :func:`parse_contribution` reads back), with its sources in
    the ``kompas`` member."""
    features: list[dict[str, Any]] = []
    for p in network.places.values():
        if p.id in network.airfields:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                         "properties": _clean({"kind": "place", "id": p.id, "name": p.name, "country": p.country,
                                               "place_kind": p.kind})})
    for a in network.airfields.values():
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [a.lon, a.lat]},
                         "properties": _clean({"kind": "airfield", "id": a.id, "name": a.name, "country": a.country,
                                               "runways": [{"id": r.id, "length_m": r.length_m, "width_m": r.width_m,
                                                            "surface": r.surface, "paved": r.paved,
                                                            "lighted": r.lighted, "closed": r.closed}
                                                           for r in a.runways]})})
    for link in network.links.values():
        line = list(link.line) or [
            (network.places[x].lon, network.places[x].lat) for x in (link.u, link.v) if x in network.places]
        props = {"kind": "link", "id": link.id, "u": link.u, "v": link.v, "mode": link.mode,
                 "length_km": link.length_km, "class": link.kind,
                 **{k: getattr(link, k) for k in LINK_FIELDS}}
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [list(c) for c in line]}
                         if len(line) >= 2 else None, "properties": _clean(props)})
    for t in network.transfers.values():
        at = network.places.get(t.a)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [at.lon, at.lat]}
                         if at is not None else None, "properties": _clean({
            "kind": "transfer", "id": t.id, "a": t.a, "b": t.b, "transfer_kind": t.kind, "from_mode": t.from_mode,
            "to_mode": t.to_mode, "hours": t.hours, "per_day": t.per_day,
            "gauges_mm": list(t.gauges_mm) if t.gauges_mm else None, "name": t.name})})
    for port in network.ports.values():
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [port.lon, port.lat]},
                         "properties": _clean({"kind": "port", "id": port.id, "name": port.name,
                                               "country": port.country, "ro_ro": port.ro_ro,
                                               "vehicles_per_day": port.vehicles_per_day})})
    return {"type": "FeatureCollection", "name": name, "kompas": {"sources": network.sources, "note": note},
            "features": features}
