"""The TAXII 2.1 read endpoint driven by a real TAXII 2.1 client (OASIS's taxii2-client, from PyPI) against the
platform served over HTTP: each caller lists only the collections and reads only the objects they may see, with
their markings; paging, ``added_after``, the manifest, one object, and the protocol's refusals (406, 400, 404)."""

from __future__ import annotations

import json

import pytest
import requests
from taxii2client.v21 import Server, as_pages

from kompas.api.server import background
from kompas.core.markings import Marking
from kompas.services.taxii import MEDIA_TAXII, collection_id


class Bearer(requests.auth.AuthBase):
    """The platform's bearer token on every request."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@pytest.fixture
def served(world: dict):  # noqa: ANN201
    """Four events: a public space event, one SECRET for NL's sst community, a RESTRICTED FIMI one and a second
    public one, stored in that order (so added in that order); the platform served on a free port."""
    store = world["store"]
    ids = [store.add_event("manoeuvre", "2026-01-01T00:00:00.000000000Z", [25544], "public manoeuvre",
                           Marking.build(tlp="CLEAR")),
           store.add_event("proximity", "2026-01-02T00:00:00.000000000Z", [25544, 48274], "NL sst only",
                           Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")),
           store.add_event("fragmentation", "2026-01-03T00:00:00.000000000Z", [13552], "restricted break-up",
                           Marking.build("RESTRICTED", "GREEN")),
           store.add_event("reentry", "2026-01-04T00:00:00.000000000Z", [12345], "second public",
                           Marking.build(tlp="CLEAR"))]
    with background(store.engine) as url:
        yield world | {"url": url, "ids": ids}


def _server(served: dict, who: str) -> Server:
    token = served[who]["Authorization"].removeprefix("Bearer ")
    return Server(f"{served['url']}/taxii2/", auth=Bearer(token))


def _incidents(objects: list[dict]) -> list[str]:
    return [o["id"].removeprefix("incident--") for o in objects if o["type"] == "incident"]


def test_each_caller_sees_their_own_collections_and_objects(served: dict) -> None:
    ann, bob = _server(served, "ann"), _server(served, "bob")
    assert ann.title == "Kompas TAXII 2.1" and len(ann.api_roots) == 1
    ann_root, bob_root = ann.api_roots[0], bob.api_roots[0]
    assert ann_root.versions == [MEDIA_TAXII]
    ann_titles = {c.title: c for c in ann_root.collections}
    bob_titles = {c.title: c for c in bob_root.collections}
    assert {"Platform events", "Events: space", "Community sst"} <= set(ann_titles)
    assert "Community sst" not in bob_titles and "Platform events" in bob_titles  # bob is not in sst
    assert all(c.can_read and not c.can_write for c in ann_root.collections)

    public, secret, restricted, second = served["ids"]
    ann_objects = ann_titles["Platform events"].get_objects()["objects"]
    bob_objects = bob_titles["Platform events"].get_objects()["objects"]
    assert _incidents(ann_objects) == [public, secret, restricted, second]  # oldest added first
    assert _incidents(bob_objects) == [public, restricted, second]
    assert secret not in json.dumps(bob_objects) and "NL sst only" not in json.dumps(bob_objects)
    # every object carries its marking: the SECRET incident references the EU classification statement
    definitions = {o["id"]: o for o in ann_objects if o["type"] == "marking-definition"}
    (secret_incident,) = [o for o in ann_objects if o["id"] == f"incident--{secret}"]
    statements = [definitions[r]["definition"]["statement"] for r in secret_incident["object_marking_refs"]
                  if definitions[r].get("definition_type") == "statement"]
    assert statements and statements[0].startswith("SECRET UE/EU SECRET // REL TO NL")
    # the community collection holds the sst event only, for its members only
    community = ann_titles["Community sst"]
    assert _incidents(community.get_objects()["objects"]) == [secret]
    gone = requests.get(f"{served['url']}/taxii2/kompas/collections/{collection_id('community-sst')}/objects/",
                        headers={**served["bob"], "Accept": MEDIA_TAXII}, timeout=30)
    assert gone.status_code == 404 and gone.json()["http_status"] == "404"
    assert _incidents(ann_titles["Events: space"].get_objects()["objects"]) == [public, secret, restricted, second]
    assert ann_titles["Events: fimi"].get_objects()["objects"] == []


def test_paging_added_after_manifest_and_one_object(served: dict) -> None:
    ann = {c.title: c for c in _server(served, "ann").api_roots[0].collections}["Platform events"]
    public, secret, restricted, second = served["ids"]
    pages = list(as_pages(ann.get_objects, per_request=1))
    assert [_incidents(p["objects"]) for p in pages] == [[public], [secret], [restricted], [second]]
    assert all(p["more"] for p in pages[:-1]) and not pages[-1]["more"]
    # added_after is exclusive: after the second event's time added, the last two
    manifest = ann.get_manifest()["objects"]
    added = {m["id"]: m["date_added"] for m in manifest}
    assert set(_incidents([{"id": i, "type": i.split("--")[0]} for i in added])) == {public, secret, restricted,
                                                                                    second}
    later = ann.get_objects(added_after=added[f"incident--{secret}"])["objects"]
    assert _incidents(later) == [restricted, second]
    # filters and one object
    assert _incidents(ann.get_objects(type="incident", id=f"incident--{restricted}")["objects"]) == [restricted]
    one = ann.get_object(f"incident--{second}")["objects"]
    assert _incidents(one) == [second] and any(o["type"] == "marking-definition" for o in one)
    assert ann.object_versions(f"incident--{second}")["versions"]
    bob = {c.title: c for c in _server(served, "bob").api_roots[0].collections}["Platform events"]
    for hidden in (secret, "00000000-0000-4000-8000-000000000000"):  # hidden: the same 404 as a missing one
        with pytest.raises(requests.exceptions.HTTPError) as refused:
            bob.get_object(f"incident--{hidden}")
        assert refused.value.response.status_code == 404


def test_the_protocol_refuses_what_it_should(served: dict) -> None:
    base = f"{served['url']}/taxii2/kompas/collections/{collection_id('events')}/objects/"
    headers = {**served["ann"], "Accept": MEDIA_TAXII}
    refused = requests.get(base, headers={**served["ann"], "Accept": "text/html"}, timeout=30)
    assert refused.status_code == 406 and refused.json()["http_status"] == "406"
    assert refused.headers["content-type"] == MEDIA_TAXII
    assert requests.get(base, headers={"Accept": MEDIA_TAXII}, timeout=30).status_code == 401
    for params in ({"next": "bm9wZQ"}, {"added_after": "yesterday"}, {"match[type]": "Not A Type!"},
                   {"match[version]": "sometime"}, {"added_after": "2262-04-12T00:00:00Z"},
                   {"added_after": "1000-01-01T00:00:00Z"}):
        answer = requests.get(base, headers=headers, params=params, timeout=30)
        assert answer.status_code == 400 and answer.json()["title"].startswith("Bad"), (params, answer.text)
    answer = requests.get(base, headers=headers, params={"limit": 1}, timeout=30)
    assert answer.headers["content-type"] == MEDIA_TAXII and answer.headers["X-TAXII-Date-Added-First"].endswith("Z")
    assert requests.get(base, headers=headers, params={"match[spec_version]": "2.0"}, timeout=30).json()[
        "objects"] == []


def test_the_cyber_collection_serves_each_member_the_incidents_they_may_see(served: dict) -> None:
    """The illustrative MISP event (need-to-know cyber-eu) shared by an analyst of that community: in the cyber
    collection for its members, with its indicators and markings; not for bob; the STIX validator accepts it."""
    from stix2validator import ValidationOptions, validate_instance

    from tests.conftest import REPO

    store, client = served["store"], served["client"]
    token = store.add_user("cy", "NL-NSO", "SECRET", ["cyber-eu"])
    done = client.post("/api/v1/cyber/incidents", headers={"Authorization": f"Bearer {token}"},
                       content=(REPO / "examples" / "cyber" / "phishing_campaign_illustrative.misp.json").read_bytes())
    assert done.status_code == 201 and done.json()["rejected"] == []
    cy = Server(f"{served['url']}/taxii2/", auth=Bearer(token))
    cyber = {c.title: c for c in cy.api_roots[0].collections}["Cyber threat intelligence"]
    objects = cyber.get_objects()["objects"]
    kinds = {o["type"] for o in objects}
    assert {"incident", "indicator", "marking-definition"} <= kinds
    assert sum(o["type"] == "indicator" for o in objects) >= 5
    assert any("cyber-eu" in o.get("definition", {}).get("statement", "") for o in objects
               if o["type"] == "marking-definition")
    result = validate_instance({"type": "bundle", "id": "bundle--6f7d9a9e-8d0c-4a53-9c3e-5f3e8e2b1a10",
                                "objects": objects}, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    bob = {c.title: c for c in _server(served, "bob").api_roots[0].collections}["Cyber threat intelligence"]
    assert bob.get_objects()["objects"] == []
