"""Originators come only from the authenticated organisation (issue 18 #7).

A STIX import stored the originators a bundle named ([DE-BND, NL-NSO, US-SPACECOM] from a US user): anyone could
claim that another organisation contributed an item. The rule (kompas.core.stix.contributed_marking): an item's
originators are the organisation that contributed it to this platform, the caller's; originators named in an
imported marking are replaced by it (the rest of the marking, classification, TLP, releasability, need-to-know and
caveats, is kept, the caller's organisation added to a releasability list). Replaced rather than refused: a bundle
exported by one organisation and shared onward is a normal exchange, and who passed it on is what the platform
can vouch for.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from kompas.core.markings import Marking
from tests.security.conftest import Platform

FOREIGN = ["DE-BND", "NL-NSO", "US-SPACECOM"]


def _claim_foreign_originators(bundle: dict) -> dict:
    """The bundle with every Kompas statement marking naming three other organisations as originators."""
    for obj in bundle["objects"]:
        if obj.get("type") == "marking-definition" and "x_kompas_marking" in obj:
            obj["x_kompas_marking"]["originators"] = FOREIGN
    return bundle


def test_an_imported_fimi_bundle_cannot_name_other_originators(fresh_platform: Callable[..., Platform]) -> None:
    platform = fresh_platform("sqlite")
    es = platform.users["u_es"]
    platform.post("u_es", "/api/v1/fimi/incidents", {"incidents": [{
        "ref": "orig-1", "title": "ORIGTAG claim about a provocation", "first_seen": "2024-05-02",
        "targets": [{"name": "Targetland"}], "languages": ["Russian"],
        "channels": [{"name": "outlet ORIGTAG", "category": "state-controlled-outlet"}], "techniques": ["T0022"],
        "evidence": [{"url": "https://example.org/orig"}]}],
        "marking": {"classification": "UNCLASSIFIED", "tlp": "GREEN", "releasable_to": ["ES", "FR"]}})
    bundle = platform.client.get("/api/v1/fimi/incidents/stix", headers=es.headers).json()
    assert any(o.get("x_kompas_marking", {}).get("originators") == ["ES-CNI"] for o in bundle["objects"])
    text = json.dumps(_claim_foreign_originators(bundle))
    done = platform.client.post("/api/v1/fimi/incidents/stix", headers=es.headers, content=text)
    assert done.status_code == 201 and not done.json()["rejected"], done.text
    items = platform.client.get("/api/v1/fimi/incidents", headers=es.headers).json()["items"]
    assert items and all(i["marking"]["originators"] == ["ES-CNI"] for i in items), [i["marking"] for i in items]
    # the rest of the marking travels: releasability (the importer's organisation added) and TLP
    assert all(i["marking"]["releasable_to"] == ["ES", "ES-CNI", "FR"] and i["marking"]["tlp"] == "GREEN"
               for i in items)


def test_an_imported_event_bundle_cannot_name_other_originators(fresh_platform: Callable[..., Platform]) -> None:
    platform = fresh_platform("sqlite")
    fr = platform.users["s_fr"]
    platform.store.add_event("manoeuvre", "2026-05-01T12:00:00.000000000Z", [25544], "ORIGTAG reboost",
                             Marking.build("RESTRICTED", "AMBER", ["FR"], ["sst"], "FR-CNES"), {"dv_m_s": 0.5})
    bundle = _claim_foreign_originators(platform.client.get("/api/v1/events/stix", headers=fr.headers).json())
    for obj in bundle["objects"]:  # a new incident, as another platform would have sent it
        if obj["type"] == "incident":
            obj["id"] = "incident--3c1d2b30-4e2c-4c3f-9e7e-2c8f5a4f0b11"
    done = platform.client.post("/api/v1/events/stix", headers=fr.headers, content=json.dumps(bundle)).json()
    assert len(done["imported"]) == 1 and done["rejected"] == []
    stored = platform.client.get(f"/api/v1/events/{done['imported'][0]}", headers=fr.headers).json()
    assert stored["marking"]["originators"] == ["FR-CNES"]
    assert stored["marking"]["releasable_to"] == ["FR", "FR-CNES"] and stored["marking"]["communities"] == [["sst"]]


def test_the_contribute_services_keep_only_the_callers_organisation(fresh_platform: Callable[..., Platform]) -> None:
    """The services every adapter calls: a marking built elsewhere with other originators is stored with the
    caller's organisation only (the API and the CLI build it so; the services make sure)."""
    from kompas.services import fimi

    platform = fresh_platform("sqlite")
    account = platform.store.authenticate(platform.users["u_es"].token)
    assert account is not None
    claimed = Marking.build("UNCLASSIFIED", "AMBER", None, (), "US-SPACECOM")
    item = {"ref": "orig-2", "title": "ORIGTAG second claim", "first_seen": "2024-05-03",
            "targets": [{"name": "Targetland"}], "languages": ["Russian"], "channels": [{"name": "outlet B"}],
            "techniques": ["T0022"], "evidence": [{"url": "https://example.org/orig2"}]}
    done = fimi.submit(platform.store, account, [item], claimed, source="test")
    assert done.added == 1
    stored = platform.client.get(f"/api/v1/fimi/incidents/{done.ids[0]}",
                                 headers=platform.users["u_es"].headers).json()
    assert stored["marking"]["originators"] == ["ES-CNI"]
