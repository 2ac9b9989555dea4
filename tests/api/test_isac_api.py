"""The Space ISAC API (issue 29), on SQLite and PostgreSQL.

The issue's "done when": a satellite operator reports the uplink jamming of SES-11 (NORAD 42967, its element set the
shipped CelesTrak sample of 2026-05-05, a real set of the platform) under RESTRICTED // REL TO DE, FR, IT // NTK
space-isac, TLP:AMBER and PAP:AMBER, anonymously; the report is enriched from that element set (the set before the
time, GEO, the sub-satellite point the engine computes from that set); it clusters with two similar Ku-band reports of
two other members (one pseudonymous, one named) into a surge; and it reaches exactly the members the access rule
allows (seven users of seven organisations at several clearances, in and out of the community and the REL TO list:
the set each sees equals ``may_see`` of the stored markings, and equals what is written here), while no answer to
another organisation (listing, report, clusters, events, exports, TAXII, map layer) names the operator or its user.
The reports in the scenario are illustrative (invented for the test; the element set is real).

Also: the SMOS use case (SATIS use case 5, read from ../shared only) goes in as notional text and comes out as a STIX
2.1 bundle the OASIS validator accepts; the routes' documented statuses (404 for hidden and missing alike, 403, 422);
"seen it too"; the STIX media type.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from stix2validator import ValidationOptions, validate_instance

from kompas.api.app import create_app
from kompas.core.markings import Marking, may_see
from kompas.core.store import Store
from kompas.services.taxii import MEDIA_TAXII, collection_id
from tests.conftest import SAMPLE_TLE
from tests.core.conftest import wipe
from tests.isac.conftest import SATIS, need

MISSING = "00000000-0000-4000-8000-000000000000"
#: (user, organisation, country, kind, clearance, communities)
PEOPLE = [("opsatuser1", "OP-SATCOM", "LU", "operator", "RESTRICTED", ["space-isac"]),
          ("gssac", "DE-GSSAC", "DE", "member-state", "SECRET", ["space-isac"]),
          ("asi", "IT-ASI", "IT", "agency", "CONFIDENTIAL", ["space-isac"]),
          ("cnes", "FR-CNES", "FR", "agency", "RESTRICTED", ["space-isac"]),
          ("nso", "NL-NSO", "NL", "member-state", "SECRET", []),
          ("cni", "ES-CNI", "ES", "member-state", "UNCLASSIFIED", ["space-isac"]),
          ("polsa", "PL-POLSA", "PL", "agency", "SECRET", ["space-isac"])]
WINDOW = {"since": "2026-05-05T00:00:00Z", "until": "2026-05-06T00:00:00Z"}
NTK = {"classification": "RESTRICTED", "tlp": "AMBER", "communities": ["space-isac"]}


def _ku(title: str, start: str, stop: str, lat: float, lon: float, mhz: float, **extra: object) -> dict:
    return {"title": title, "start_utc": start, "stop_utc": stop, "interference": "jamming", "segment": "link",
            "link": "uplink", "band": {"low_mhz": mhz - 250, "high_mhz": mhz + 250},
            "locations": [{"lat_deg": lat, "lon_deg": lon, "radius_km": 100}], **extra}


def _ses11() -> str:
    """SES-11's element set of the shipped sample (CelesTrak, 2026-05-05), as three lines."""
    lines = SAMPLE_TLE.read_text().splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("1 42967U"))
    return "\n".join(lines[at - 1:at + 2]) + "\n"


@pytest.fixture(scope="module")
def isac(engine: Engine) -> dict:
    """The seven members; SES-11's element set of the shipped sample contributed as public by the French agency;
    the three reports (illustrative) through the API. Made once for the module (its tests add, never remove)."""
    wipe(engine)
    store = Store(engine)
    client = TestClient(create_app(store.engine), raise_server_exceptions=False)
    headers = {}
    for user, org, country, kind, clearance, communities in PEOPLE:
        store.add_org(org, country, kind)
        headers[user] = {"Authorization": "Bearer " + store.add_user(user, org, clearance, communities)}
    store.contribute_elements(store.account("cnes"), _ses11(), "tle", Marking.build(tlp="GREEN"), "sample")
    operator = _ku("[ILLUSTRATIVE] Uplink jamming of SES-11", "2026-05-05T14:00:00Z", "2026-05-05T15:30:00Z", 48.2,
                   16.4, 14250.0, satellites=[{"norad_id": 42967, "name": "SES-11"}], impact_level="disruption",
                   sparta_ids=["EX-0016"], post_event_status="degraded")
    sent = client.post("/api/v1/isac/reports", headers=headers["opsatuser1"], json={
        "reports": [operator], "marking": {**NTK, "releasable_to": ["DE", "FR", "IT"]}, "pap": "AMBER",
        "disclosure": "anonymous"})
    assert sent.status_code == 201, sent.text
    ids = {"op": sent.json()["added"][0]}
    for user, key, start, lat, lon, mhz, disclosure in (
            ("gssac", "de", "2026-05-05T15:00:00Z", 48.5, 16.9, 14200.0, "pseudonymous"),
            ("asi", "it", "2026-05-05T16:10:00Z", 47.9, 15.9, 14300.0, "named")):
        body = {"content": json.dumps(_ku(f"[ILLUSTRATIVE] Ku-band uplink interference ({key})", start,
                                          "2026-05-05T17:00:00Z", lat, lon, mhz)),
                "format": "json", "marking": NTK, "pap": "GREEN", "disclosure": disclosure}
        done = client.post("/api/v1/isac/reports", headers=headers[user], json=body)
        assert done.status_code == 201 and done.json()["rejected"] == [], done.text
        ids[key] = done.json()["added"][0]
    return {"store": store, "client": client, "h": headers, "ids": ids}


def _everything(client: TestClient, headers: dict, ids: dict) -> str:
    """Every kind of answer a member can get about the Space ISAC: the listing (each report as one report's answer
    shows it, "seen it too" included), one report with its enrichment, clusters, events, the map layer, TAXII, and
    the STIX and MISP exports of the anonymous and the pseudonymous reports."""
    texts = [client.get("/api/v1/isac/reports", headers=headers).text,
             client.get(f"/api/v1/isac/reports/{ids['op']}", headers=headers).text,
             client.get("/api/v1/isac/clusters", headers=headers, params=WINDOW).text,
             client.get("/api/v1/events", headers=headers, params={"domain": "isac"}).text,
             client.get("/api/v1/map/layers/isac-reports", headers=headers, params=WINDOW).text,
             client.get(f"/taxii2/kompas/collections/{collection_id('isac')}/objects/",
                        headers={**headers, "Accept": MEDIA_TAXII}).text]
    for key in ("op", "de"):
        for suffix in ("/stix", "/misp"):
            texts.append(client.get(f"/api/v1/isac/reports/{ids[key]}{suffix}", headers=headers).text)
    return "\n".join(texts)


def test_done_when_a_report_is_enriched_clusters_and_reaches_exactly_the_right_members(isac: dict) -> None:
    store, client, h, ids = isac["store"], isac["client"], isac["h"], isac["ids"]
    stored = {k: store.isac_report(None, v) for k, v in ids.items()}
    assert stored["op"] is not None and stored["op"].marking.releasable_to == {"DE", "FR", "IT", "OP-SATCOM"}
    expected = {"opsatuser1": {"op", "de", "it"}, "gssac": {"op", "de", "it"}, "asi": {"op", "de", "it"},
                "cnes": {"op", "de", "it"}, "nso": set(), "cni": set(), "polsa": {"de", "it"}}
    for user, *_ in PEOPLE:
        viewer = store.account(user).viewer
        allowed = {k for k, r in stored.items() if r is not None and may_see(viewer, r.marking)}
        listed = client.get("/api/v1/isac/reports", headers=h[user]).json()
        seen = {k for k, v in ids.items() if v in {i["id"] for i in listed["items"]}}
        assert seen == allowed == expected[user], user
        assert listed["total"] == len(seen)
    for user, key in (("polsa", "op"), ("nso", "de"), ("polsa", "it")):  # one report: 404 unless it is listed
        got = client.get(f"/api/v1/isac/reports/{ids[key]}", headers=h[user], params={"enrich": "false"})
        assert got.status_code == (200 if key in expected[user] else 404), (user, key)

    # the operator's report as another member sees it: anonymous, marked as shared, TLP:AMBER, PAP:AMBER
    op = client.get(f"/api/v1/isac/reports/{ids['op']}", headers=h["cnes"]).json()
    assert op["contributor"] == "anonymous" and op["reporter"] == "" and not op["yours"]
    assert op["marking"]["banner"] == "RESTREINT UE/EU RESTRICTED // REL TO DE, FR, IT // NTK (space-isac) // TLP:AMBER"
    assert op["marking"]["originators"] == [] and op["pap"] == "AMBER"
    own = client.get(f"/api/v1/isac/reports/{ids['op']}", headers=h["opsatuser1"], params={"enrich": "false"}).json()
    assert own["yours"] and own["reporter"] == "OP-SATCOM" and own["marking"]["originators"] == ["OP-SATCOM"]

    # enriched from the platform's element set of SES-11 (the sample, epoch 2026-05-05T12:55:59Z: before 14:00)
    from kompas.isac.enrich import enrich
    from kompas.space.tle import parse_tle

    [element_set] = parse_tle(_ses11(), "sample")[0]
    [mine] = op["enrichment"]["objects"]
    [record] = store.element_sets(store.account("cnes").viewer, 42967)
    assert mine["before_element_set_id"] == record["id"] and mine["after_epoch_utc"] is None
    assert mine["regime"] == "GEO" and mine["perigee_km"] == round(element_set.perigee_altitude_km, 3)
    [engine] = enrich([42967], "2026-05-05T14:00:00Z", [element_set])
    assert (mine["subpoint_lat_deg"], mine["subpoint_lon_deg"]) == (engine.subpoint_lat_deg, engine.subpoint_lon_deg)
    assert mine["before_marking"]["tlp"] == "GREEN"
    assert Marking.from_dict(op["answer_marking"]).tlp.name == "AMBER"

    # it clusters with the two similar reports into a surge for those who see all three; polsa sees two, no surge
    window = {"since": "2026-05-05T00:00:00Z", "until": "2026-05-06T00:00:00Z"}
    [cluster] = client.get("/api/v1/isac/clusters", headers=h["cnes"], params=window).json()["clusters"]
    assert set(cluster["members_ids"]) == set(ids.values()) and cluster["surge"] and cluster["reporters"] == 3
    assert cluster["family"] == "rf" and cluster["band"]["letter"] == "Ku"
    [theirs] = client.get("/api/v1/isac/clusters", headers=h["polsa"], params=window).json()["clusters"]
    assert set(theirs["members_ids"]) == {ids["de"], ids["it"]} and not theirs["surge"]
    listed = client.get("/api/v1/isac/reports", headers=h["cnes"], params={**window, "cluster": cluster["id"]})
    assert {i["id"] for i in listed.json()["items"]} == set(ids.values())
    assert client.get("/api/v1/isac/clusters", headers=h["nso"], params=window).json()["clusters"] == []

    # each report is a platform event (domain isac) for those who may see it as shared
    events = client.get("/api/v1/events", headers=h["cnes"], params={"domain": "isac"}).json()["items"]
    assert {e["id"] for e in events} == set(ids.values())
    assert next(e for e in events if e["id"] == ids["op"])["detail"]["contributor"] == "anonymous"

    # the operator and its user never reach another organisation (every answer of three members who see the reports,
    # one of them the pseudonymous reporter; tests/services/test_isac.py draws any report and viewer); the
    # pseudonymous member's code neither; the named one's does
    for user in ("cnes", "gssac"):
        text = _everything(client, h[user], ids)
        assert "OP-SATCOM" not in text and "opsatuser1" not in text, user
        if user != "gssac":
            assert "DE-GSSAC" not in text and '"gssac"' not in text, user
    assert "IT-ASI" in client.get(f"/api/v1/isac/reports/{ids['it']}", headers=h["cnes"]).text


def test_seen_it_too_exports_and_statuses(isac: dict) -> None:
    client, h, ids = isac["client"], isac["h"], isac["ids"]
    assert client.post(f"/api/v1/isac/reports/{ids['op']}/seen", headers=h["polsa"], json={}).status_code == 404
    missing = client.post(f"/api/v1/isac/reports/{MISSING}/seen", headers=h["polsa"], json={})
    hidden = client.post(f"/api/v1/isac/reports/{ids['op']}/seen", headers=h["polsa"], json={})
    assert (missing.status_code, missing.text) == (hidden.status_code, hidden.text)
    assert client.post(f"/api/v1/isac/reports/{ids['op']}/seen", headers=h["opsatuser1"], json={}).status_code == 422
    done = client.post(f"/api/v1/isac/reports/{ids['op']}/seen", headers=h["cnes"],
                       json={"note": "uplink lost 14:10-14:40 UTC", "marking": NTK})
    assert done.status_code == 201 and done.json()["seen_count"] == 1, done.text
    above = client.post(f"/api/v1/isac/reports/{ids['op']}/seen", headers=h["cnes"],
                        json={"marking": {"classification": "SECRET"}})
    assert above.status_code == 403
    shown = client.get(f"/api/v1/isac/reports/{ids['op']}", headers=h["opsatuser1"], params={"enrich": "false"})
    [note] = shown.json()["seen"]
    assert note["by"].startswith("member-") and note["note"] == "uplink lost 14:10-14:40 UTC"
    assert "FR-CNES" not in shown.text

    stix = client.get(f"/api/v1/isac/reports/{ids['op']}/stix", headers=h["cnes"])
    assert stix.status_code == 200 and stix.headers["content-type"] == "application/stix+json;version=2.1"
    assert stix.headers["X-Kompas-Marking"].startswith("RESTREINT UE/EU RESTRICTED // REL TO DE, FR, IT")
    result = validate_instance(stix.json(), ValidationOptions(version="2.1"))
    assert result.is_valid, result.errors
    pap = [o for o in stix.json()["objects"] if o["type"] == "marking-definition" and o.get("name") == "PAP:AMBER"]
    assert len(pap) == 1
    misp = client.get(f"/api/v1/isac/reports/{ids['op']}/misp", headers=h["cnes"])
    assert misp.status_code == 200 and {"tlp:amber", "PAP:AMBER"} <= {t["name"] for t in misp.json()["Event"]["Tag"]}
    assert "Orgc" not in misp.json()["Event"]  # anonymous
    controls = client.get(f"/api/v1/isac/reports/{ids['op']}/controls", headers=h["cnes"]).json()
    assert controls["threats"] == ["Jamming"] and controls["controls"] and "CC BY 4.0" in controls["licence"]
    for suffix in ("", "/controls", "/stix", "/misp"):
        hidden = client.get(f"/api/v1/isac/reports/{ids['op']}{suffix}", headers=h["polsa"])
        missing = client.get(f"/api/v1/isac/reports/{MISSING}{suffix}", headers=h["polsa"])
        assert hidden.status_code == 404 and (hidden.text == missing.text), suffix

    both = client.post("/api/v1/isac/reports", headers=h["cnes"], json={"content": "{}", "reports": [{}]})
    assert both.status_code == 422
    above = client.post("/api/v1/isac/reports", headers=h["cnes"],
                        json={"content": json.dumps(_ku("x", "2026-05-05T14:00:00Z", "2026-05-05T15:00:00Z", 0, 0,
                                                        14000.0)), "marking": {"classification": "SECRET"}})
    assert above.status_code == 403
    bad = client.post("/api/v1/isac/reports", headers=h["cnes"], json={"reports": [{"title": "no start"}, _ku(
        "good", "2026-05-05T14:00:00Z", "2026-05-05T15:00:00Z", 0, 0, 14000.0)]})
    assert bad.status_code == 201 and len(bad.json()["added"]) == 1
    assert [(r["line"], r["field"]) for r in bad.json()["rejected"]] == [(1, "start_utc")]
    assert client.get("/api/v1/isac/clusters", headers=h["cnes"], params={
        "since": "2026-01-01T00:00:00Z", "until": "2026-05-01T00:00:00Z"}).status_code == 422  # over 31 days
    assert client.get("/api/v1/isac/reports", headers=h["cnes"], params={
        "band": "L", "band_low_mhz": 1000, "band_high_mhz": 2000}).status_code == 422
    ku = client.get("/api/v1/isac/reports", headers=h["cnes"], params={"band": "Ku", "interference": "jamming"})
    assert len(ku.json()["items"]) == 4
    assert client.get("/api/v1/isac/reports", headers=h["cnes"], params={"band": "L"}).json()["items"] == []
    assert [i["id"] for i in client.get("/api/v1/isac/reports", headers=h["cnes"],
                                        params={"norad_id": 42967}).json()["items"]] == [ids["op"]]


@pytest.mark.shared
def test_smos_use_case_5_goes_in_as_notional_text_and_out_as_a_valid_stix_bundle(isac: dict) -> None:
    """SATIS use case 5 (the SMOS interference of 8 March 2025), read from ../shared at run time only."""
    from kompas.isac.reader import satis_use_cases

    [case] = [c for c in satis_use_cases(need(SATIS).read_text()) if c.number == 5]
    client, h = isac["client"], isac["h"]
    done = client.post("/api/v1/isac/reports", headers=h["cnes"], json={
        "content": case.text, "format": "notional", "marking": NTK, "pap": "AMBER", "disclosure": "pseudonymous"})
    assert done.status_code == 201 and done.json()["rejected"] == [], done.text
    [report_id] = done.json()["added"]
    got = client.get(f"/api/v1/isac/reports/{report_id}", headers=h["gssac"], params={"enrich": "false"}).json()
    assert (got["start_utc"], got["stop_utc"]) == ("2025-03-08T19:28:25.000000000Z", "2025-03-08T20:00:00.000000000Z")
    assert got["contributor"] == done.json()["pseudonym"] and "FR-CNES" not in json.dumps(got)
    bundle = client.get(f"/api/v1/isac/reports/{report_id}/stix", headers=h["gssac"])
    result = validate_instance(bundle.json(), ValidationOptions(version="2.1"))
    assert result.is_valid, result.errors
    objects = bundle.json()["objects"]
    assert [o["x_kompas_norad_id"] for o in objects if o.get("identity_class") == "system"] == [36036]
    techniques = {r["external_id"] for o in objects if o["type"] == "attack-pattern"
                  for r in o["external_references"]}
    assert techniques == {"IMP-0002", "IMP-0003"}
    assert "FR-CNES" not in bundle.text


def test_taxii_collection_and_map_layer_follow_the_markings(isac: dict) -> None:
    client, h, ids = isac["client"], isac["h"], isac["ids"]
    cid = collection_id("isac")
    listed = client.get("/taxii2/kompas/collections/", headers={**h["cnes"], "Accept": MEDIA_TAXII}).json()
    assert any(c["id"] == cid and c["title"] == "Space ISAC reports" for c in listed["collections"])
    for user, visible in (("cnes", set(ids.values())), ("polsa", {ids["de"], ids["it"]}), ("nso", set())):
        objects = client.get(f"/taxii2/kompas/collections/{cid}/objects/",
                             headers={**h[user], "Accept": MEDIA_TAXII}).json().get("objects", [])
        reports = {o["id"].removeprefix("report--") for o in objects if o["type"] == "report"}
        assert reports & set(ids.values()) == visible, user  # other tests of the module may have added more
        layer = client.get("/api/v1/map/layers/isac-reports", headers=h[user], params=WINDOW).json()
        assert {f["properties"]["href"].rsplit("=", 1)[1] for f in layer["features"]} & set(ids.values()) == visible


def test_the_api_vocabularies_are_the_engine_s() -> None:
    """The route's closed lists are the engine's: interference types and IEEE 521 letters."""
    from typing import get_args

    from kompas.api.routers.isac import Interference, Letter
    from kompas.isac.model import IEEE_BANDS, INTERFERENCE_TYPES

    assert set(get_args(Interference)) == set(INTERFERENCE_TYPES)
    assert list(get_args(Letter)) == [name for name, _, _ in IEEE_BANDS]
