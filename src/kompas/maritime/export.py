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

from kompas.maritime.events import Event, iso

#: Kompas event type -> the ``AnomalyType`` written (Kompas's categories, CamelCase; see the module docstring).
ANOMALY_TYPE = {
    "dark": "UnexpectedAISStop", "reception_gap": "UnexpectedAISStop", "stop": "UnexpectedStop",
    "loitering": "Loitering", "drift": "Drifting", "anchor_drag": "AnchorDragging", "encounter": "ShipToShipTransfer",
    "identity": "IdentityInconsistency", "position_jump": "PositionInconsistency",
    "speed_glitch": "SpeedInconsistency",
}


def _vessel(event: Event, mmsi: int) -> dict[str, Any]:
    vessel = event.vessel if mmsi == event.mmsi else None
    out: dict[str, Any] = {"MMSI": mmsi}
    if vessel is not None:
        if vessel.name:
            out["Name"] = vessel.name
        if vessel.imo:
            out["IMONumber"] = vessel.imo
        if vessel.callsign:
            out["CallSign"] = vessel.callsign
        if vessel.ship_type:
            out["ShipType"] = vessel.ship_type
        if vessel.length_m:
            out["Length"] = vessel.length_m
        if vessel.beam_m:
            out["Breadth"] = vessel.beam_m
        if vessel.flag and vessel.flag.country:
            out["Nationality"] = vessel.flag.country  # from the MMSI's MID, not a registry
    return out


def to_cise(events: list[Event], marking: str = "", attribution: list[str] | None = None) -> dict[str, Any]:
    """A CISE-shaped payload of ``events``: ``{"Payload": {"Anomaly": [...]}, ...}`` with each anomaly's period,
    location, involved vessels, the infrastructure named and the evidence fixes; ``marking`` (the combined marking
    of the inputs) goes into ``InformationSecurityLevel``-style metadata, ``attribution`` into ``Sources``."""
    anomalies = []
    for event in events:
        involved = [{"Vessel": _vessel(event, event.mmsi), "Role": "Subject"}]
        if event.other_mmsi:
            involved.append({"Vessel": _vessel(event, event.other_mmsi), "Role": "Counterpart"})
        record = event.as_dict()
        anomalies.append({
            "AnomalyType": ANOMALY_TYPE.get(event.type, "Other"), "KompasType": event.type,
            "Description": event.detail.get("rule", ""),
            "PeriodOfTime": {"StartDate": iso(event.start), "EndDate": iso(event.end)},
            "LocationRel": {"Location": {"Geometry": {"Latitude": round(event.lat, 6),
                                                      "Longitude": round(event.lon, 6)}}},
            "InvolvedObjectRel": involved,
            "InfrastructureNear": [{"Name": a["name"], "Reference": a["ref"], "DistanceKm": a["distance_km"],
                                    "RouteAccuracyKm": a["route_accuracy_km"], "RouteSource": a["route_source"]}
                                   for a in event.assets],
            "DataError": event.data_error,
            "Evidence": record["evidence"],
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
