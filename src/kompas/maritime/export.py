"""Maritime events as CISE-shaped JSON and GeoJSON (no I/O). STIX 2.1 goes through the platform's envelope
(:func:`kompas.core.envelope.from_maritime_event` then :func:`kompas.core.stix.export_events`).

**CISE** (the EU's Common Information Sharing Environment) exchanges XML messages whose payload follows the CISE
data model: entities (``Vessel``, ``Event`` with its ``Anomaly`` subtype, ``Location``, ``PeriodOfTime``) linked by
relations (``InvolvedObject``, ``LocationRel``). Kompas writes the same entities and attribute names as JSON, one
``Anomaly`` per event, so a CISE adaptor can map it one to one; it is *shaped* after the model, not validated
against the CISE XSD, and CISE's ``AnomalyType`` code list is not shipped with Kompas: ``AnomalyType`` holds
Kompas's own category in the model's CamelCase style (:data:`ANOMALY_TYPE`), ``KompasType`` the event type, for the
adaptor to map to the code list its node uses.
"""

from __future__ import annotations

from typing import Any

from kompas.maritime.events import Event

#: Kompas event type -> the ``AnomalyType`` written (Kompas's categories, CamelCase; see the module docstring).
ANOMALY_TYPE = {
    "dark": "UnexpectedAISStop", "reception_gap": "UnexpectedAISStop", "stop": "UnexpectedStop",
    "loitering": "Loitering", "drift": "Drifting", "anchor_drag": "AnchorDragging", "encounter": "ShipToShipTransfer",
    "identity": "IdentityInconsistency", "position_jump": "PositionInconsistency",
    "speed_glitch": "SpeedInconsistency",
}


def _vessel(record: dict[str, Any], mmsi: int) -> dict[str, Any]:
    vessel = (record.get("vessel") or {}) if mmsi == record.get("mmsi") else {}
    out: dict[str, Any] = {"MMSI": mmsi}
    for key, name in (("name", "Name"), ("imo", "IMONumber"), ("callsign", "CallSign"), ("ship_type", "ShipType"),
                      ("length_m", "Length")):
        if vessel.get(key):
            out[name] = vessel[key]
    if vessel.get("flag"):
        out["Nationality"] = vessel["flag"]  # from the MMSI's MID, not a registry
    return out


def to_cise(events: list[dict[str, Any]], marking: str = "", attribution: list[str] | None = None
            ) -> dict[str, Any]:
    """A CISE-shaped payload of ``events`` (:meth:`Event.as_dict` records, or stored events in that form):
    ``{"Payload": {"Anomaly": [...]}, ...}`` with each anomaly's period, location, involved vessels, the
    infrastructure named and the evidence fixes; ``marking`` (the combined marking of the inputs, as a banner) in
    ``SecurityMarking``, ``attribution`` in ``Sources``."""
    anomalies = []
    for record in events:
        mmsi = int(record["mmsi"])
        involved = [{"Vessel": _vessel(record, mmsi), "Role": "Subject"}]
        if record.get("other_mmsi"):
            involved.append({"Vessel": _vessel(record, int(record["other_mmsi"])), "Role": "Counterpart"})
        detail = record.get("detail") or {}
        anomalies.append({
            "AnomalyType": ANOMALY_TYPE.get(str(record["type"]), "Other"), "KompasType": record["type"],
            "Description": detail.get("rule", ""),
            "PeriodOfTime": {"StartDate": record["start_utc"], "EndDate": record["end_utc"]},
            "LocationRel": {"Location": {"Geometry": {"Latitude": record["lat"], "Longitude": record["lon"]}}},
            "InvolvedObjectRel": involved,
            "InfrastructureNear": [{"Name": a.get("name"), "Reference": a.get("ref"),
                                    "DistanceKm": a.get("distance_km"), "RouteAccuracyKm": a.get("route_accuracy_km"),
                                    "RouteSource": a.get("route_source")} for a in record.get("assets") or []],
            "DataError": bool(record.get("data_error")),
            "Evidence": record.get("evidence") or [],
        })
    return {"PayloadType": "kompas-maritime-anomalies", "SecurityMarking": marking,
            "Sources": list(attribution or []), "Payload": {"Anomaly": anomalies}}


def to_geojson(events: list[Event], attribution: list[str] | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one feature per event (its evidence path as a LineString, or a Point)."""
    features = []
    for event in events:
        ev = event.evidence
        coords = [[round(float(lon), 6), round(float(lat), 6)] for lat, lon in zip(ev.lat, ev.lon, strict=False)]
        geometry = ({"type": "LineString", "coordinates": coords} if len(coords) >= 2
                    else {"type": "Point", "coordinates": [round(event.lon, 6), round(event.lat, 6)]})
        properties = {k: v for k, v in event.as_dict().items() if k != "evidence"}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features, "attribution": list(attribution or [])}
