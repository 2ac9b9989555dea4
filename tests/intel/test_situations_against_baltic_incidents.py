"""The Baltic incidents of 2023 and 2024 as the domains record them, linked into situations (issue 26, item 1).

The events are built by the domains' own code from the data in the repository (no ../shared needed):

- **Estlink 2, 25 December 2024** (infrastructure incident): the link lost at 10:26 UTC (12:26 in Finland, as
  Fingrid reported the outage), the vessel suspected the Eagle S, placed at the middle of Estlink 2's route in the
  bundled HVDC list (a straight line between the converter stations, 59.87 N 26.22 E); its stress result from the
  bundled list (Finland-Estonia HVDC 1,000 -> 350 MW);
- **the Eagle S anchor drag, 25 December 2024** (maritime): a vessel reporting "at anchor" while moving east at 6 kn
  along 60.0 N from 25.5 E for 4 h from 09:30 UTC, detected by the maritime engine and named near Estlink 2 by
  the watch (the Eagle S's own AIS is not in the open data: the track is scripted, as in the maritime tests);
- **Balticconnector, 8 October 2023** (infrastructure incident): the gas pipeline (the repository's example
  contribution, examples/infra/balticconnector.geojson) lost at 22:20 UTC on 7 October (the pressure drop Gasgrid
  Finland and Elering noticed at about 01:20 Finnish time on 8 October), the vessel suspected the NewNew Polar
  Bear, placed on the pipeline's drawn route (59.6 N 24.03 E);
- a FIMI incident of 26 December 2024 targeting Germany (no place): the same days, nothing in common.

Expected (the issue's reading of these cases): the Estlink 2 damage and the anchor drag are one situation (the same
link named, 23 km and no time apart, both about Finland and Estonia); Balticconnector 2023 is another; the FIMI
incident a third. Markings as their contributors would give them: Fingrid's incident TLP:GREEN, the Finnish navy's
anchor drag RESTRICTED releasable to FI and EE, the gas TSO's incident SECRET with need-to-know energy-fi-ee.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kompas.core.envelope import derived_id, from_fimi_incident, from_infra_incident, from_maritime_event
from kompas.core.markings import Classification, Marking, Viewer, combine
from kompas.files import read_text
from kompas.infra import grid
from kompas.infra.contributed import parse_contribution
from kompas.infra.load import HVDC_BUNDLED
from kompas.infra.model import Network
from kompas.infra.stress import Scenario, Stress
from kompas.intel.situations import haversine_km, link
from kompas.maritime.detect import detect
from kompas.maritime.geo import EARTH_RADIUS_M, KNOT_MS
from kompas.maritime.model import Ingest, Positions
from kompas.maritime.tracks import build_tracks
from kompas.maritime.watch import Watch, network_assets
from tests.conftest import REPO

GREEN_FINGRID = Marking.build("UNCLASSIFIED", "GREEN", originator="FI-FINGRID")
NAVY = Marking.build("RESTRICTED", "AMBER", ["FI", "EE"], originator="FI-NAVY")
GASGRID = Marking.build("SECRET", "AMBER", None, ["energy-fi-ee"], "FI-GASGRID")
T0 = 1735119000.0  #: 2024-12-25T09:30:00Z, the scripted track's first fix (Unix s)
MMSI = 230000777


def _network() -> Network:
    """The bundled HVDC list and the Balticconnector example contribution."""
    links, rejected = grid.parse_hvdc_links(read_text(HVDC_BUNDLED), "links_p_nom.csv")
    assert [r.field for r in rejected] == ["Power (MW)"]  # SydVästlänken, kept with its capacity unknown
    network = Network()
    for element in links:
        network.add(element)
    example = (REPO / "examples" / "infra" / "balticconnector.geojson").read_text()
    contributed, rejected = parse_contribution(example, "balticconnector.geojson", "FI-GASGRID")
    assert not rejected
    for element in contributed.links.values():
        network.add(element)
    return network


def _drag() -> Positions:
    """6 kn east along 60.0 N from 25.5 E for 4 h reporting at anchor (a fix every 10 s), then 3 h stopped."""
    step = math.degrees(6 * KNOT_MS * 10 / (EARTH_RADIUS_M * math.cos(math.radians(60.0))))
    moving, still = 4 * 360, 3 * 60
    t = [T0 + 10 * i for i in range(moving)] + [T0 + 10 * (moving - 1) + 60 * j for j in range(1, still + 1)]
    lon = [25.5 + step * i for i in range(moving)] + [25.5 + step * (moving - 1)] * still
    n = len(t)
    return Positions.from_columns({
        "mmsi": [MMSI] * n, "t": t, "lat": [60.0] * n, "lon": lon, "sog": [6.0] * moving + [0.0] * still,
        "cog": [90.0] * moving + [np.nan] * still, "heading": [90.0] * n, "status": [1] * n, "msg_type": [1] * n,
        "source": [0] * n, "line": list(range(1, n + 1))}, ("scripted Eagle S track",))


def _api_form(envelope, marking: Marking) -> dict:  # noqa: ANN001 (Envelope)
    """An envelope as the store serves it (kompas.core.store.events.as_dict)."""
    return {"id": envelope.id, "domain": envelope.domain, "type": envelope.type, "time_utc": envelope.time_utc,
            "start_utc": envelope.start_utc, "end_utc": envelope.end_utc, "title": envelope.title,
            "severity": envelope.severity, "place": envelope.place.as_dict(),
            "actors": [a.as_dict() for a in envelope.actors], "detail": envelope.payload,
            "marking": marking.as_dict()}


@pytest.fixture(scope="module")
def events() -> dict[str, dict]:
    network = _network()
    stress = Stress(network)
    estlink = next(link for link in network.links.values() if link.name == "Estlink 2")
    (a, b) = estlink.route[0]
    middle = ((a[1] + b[1]) / 2, (a[0] + b[0]) / 2)  # lat, lon of the straight line's middle
    lost = stress.run(Scenario(remove=("Estlink 2",)), focus=("FI",)).as_dict()
    assert [(r["from_country"], r["to_country"], r["before"], r["after"]) for r in lost["rows"]] == [
        ("FI", "EE", 1000.0, 350.0)]
    infra_2024 = from_infra_incident(
        derived_id("test", "estlink-2"), {"time_utc": "2024-12-25T10:26:00Z", "vessel": "Eagle S",
                                          "cause": "anchor-drag", "lat": middle[0], "lon": middle[1],
                                          "title": "Estlink 2 lost (Eagle S suspected)"}, lost, ["FI", "EE"])
    gas = stress.run(Scenario(remove=("Balticconnector",)), focus=("FI",)).as_dict()
    assert [(r["from_country"], r["to_country"], r["kind"]) for r in gas["rows"]] == [("FI", "EE", "pipeline_gwh_d")]
    infra_2023 = from_infra_incident(
        derived_id("test", "balticconnector"), {"time_utc": "2023-10-07T22:20:00Z", "vessel": "NewNew Polar Bear",
                                                "cause": "anchor-drag", "lat": 59.6, "lon": 24.03,
                                                "title": "Balticconnector damaged"}, gas, ["FI", "EE"])
    found = detect(build_tracks(Ingest(_drag())), only=("anchor_drag",))
    (drag,) = Watch(network_assets(network)).alerts(found)
    assert "Estlink 2" in drag.as_dict()["asset"]
    maritime = from_maritime_event(drag.as_dict(), "test", scope="FI-NAVY")
    fimi = from_fimi_incident(derived_id("test", "fimi"), {
        "title": "Christmas narratives against Germany", "first_seen": "2024-12-26", "actors": [],
        "channels": [{"name": "outlet A"}], "targets": [{"kind": "country", "name": "Germany"}]}, "unattributed")
    return {"estlink": _api_form(infra_2024, GREEN_FINGRID), "drag": _api_form(maritime, NAVY),
            "balticconnector": _api_form(infra_2023, GASGRID), "fimi": _api_form(fimi, GREEN_FINGRID)}


def test_estlink_2_and_the_anchor_drag_are_one_situation_balticconnector_another(events: dict) -> None:
    found = link(events.values())
    names = {e["id"]: k for k, e in events.items()}
    assert sorted(sorted(names[i] for i in s.as_dict()["event_ids"]) for s in found.situations) == [
        ["balticconnector"], ["drag", "estlink"], ["fimi"]]
    (together,) = [s.as_dict() for s in found.situations if s.as_dict()["size"] == 2]
    assert together["domains"] == ["infra", "maritime"] and together["severity"] == "high"
    (pair,) = together["links"]
    rules = {r["rule"]: r for r in pair["reasons"]}
    assert set(rules) == {"actor", "place", "country"}, pair
    assert (rules["actor"]["kind"], rules["actor"]["id"]) == ("interconnector", "link:estlink-2")
    # the anchor drag is placed at the median of its fixes (60.0 N, 25.9 E: 22 km east of its start); the incident
    # at 59.87 N 26.22 E: 22.6 km apart
    drag, lost = events["drag"]["place"], events["estlink"]["place"]
    assert drag["lat"] == pytest.approx(60.0) and drag["lon"] == pytest.approx(25.5 + 0.4, abs=0.01)
    assert (lost["lat"], lost["lon"]) == pytest.approx((59.8735, 26.2175), abs=1e-4)
    km = float(haversine_km(drag["lat"], drag["lon"], np.array([lost["lat"]]), np.array([lost["lon"]]))[0])
    assert rules["place"]["km"] == pytest.approx(km, abs=1e-3) and 22 < km < 23
    assert rules["place"]["hours"] == 0.0  # the drag (09:30-13:30 UTC) spans the outage (10:26 UTC)
    assert set(rules["country"]["countries"]) >= {"FI", "EE"}
    assert together["marking"] == combine([GREEN_FINGRID, NAVY]).as_dict()
    assert together["start_utc"].startswith("2024-12-25T09:30") and together["end_utc"] > "2024-12-25T13:29"


def test_the_situation_seen_from_outside_finland_and_estonia(events: dict) -> None:
    """A RESTRICTED reader in France may not see the navy's anchor drag (REL TO FI, EE): the Estlink 2 damage is a
    situation of its own for them, and nothing in their answer names the drag."""
    viewer = Viewer(Classification.RESTRICTED, "FR-SGDSN", "FR")
    found = link(events.values(), viewer)
    assert sorted(s.as_dict()["size"] for s in found.situations) == [1, 1]  # Estlink 2 and the FIMI incident
    assert events["drag"]["id"] not in str(found.as_dict()) and events["balticconnector"]["id"] not in str(
        found.as_dict())
    finn = Viewer(Classification.SECRET, "FI-GASGRID", "FI", frozenset({"energy-fi-ee"}))
    assert sorted(s.as_dict()["size"] for s in link(events.values(), finn).situations) == [1, 1, 2]
