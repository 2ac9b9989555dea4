"""Cross-user reads of every route of the API: a user never receives an item, a count, a cursor, an export or report
content above their clearance or outside REL TO / need-to-know; forged and tampered cursors are refused or harmless;
the markings in answers are never lower than the stored item's.

Every route of the application is enumerated (``app.routes``, included routers too): a route this module does not
know how to call fails :func:`test_every_route_is_called_or_allowed`, so a new route is covered or listed on purpose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute

from kompas.core.markings import EU_NAMES, TLP, Classification, Marking
from tests.security.conftest import Platform

MISSING_ID = "00000000-0000-0000-0000-000000000000"
TAG = re.compile(r"SECTAG-[a-z-]+-\d+(?:-\d+)?")
#: routes that serve no stored data (public documents of the API or the web site's files)
PUBLIC = {("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc"),
          ("GET", "/")}
#: routes that need a body and write: each is exercised with bodies in the test named beside it
WRITES = {("POST", "/api/v1/contributions"): "test_contributions_cannot_be_marked_beyond_the_contributor",
          ("POST", "/api/v1/fimi/incidents"): "test_contributions_cannot_be_marked_beyond_the_contributor",
          ("POST", "/api/v1/commitments/{commitment_id}/status"):
              "test_contributions_cannot_be_marked_beyond_the_contributor",
          ("POST", "/api/v1/events/stix"): "test_stix_imports_cannot_claim_another_originator",
          ("POST", "/api/v1/fimi/incidents/stix"): "test_stix_imports_cannot_claim_another_originator",
          ("POST", "/api/v1/subscriptions"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("DELETE", "/api/v1/subscriptions/{subscription_id}"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("POST", "/api/v1/reports/threat-landscape"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("POST", "/api/v1/reports/commitments"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("POST", "/api/v1/reports/fimi"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("POST", "/api/v1/reports/observatory"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("POST", "/api/v1/fimi/analyses"): "test_an_analysis_run_holds_only_what_its_caller_may_see",
          ("GET", "/api/v1/jobs/{job_id}"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("GET", "/api/v1/jobs/{job_id}/file"): "test_subscriptions_and_jobs_belong_to_their_owner",
          ("POST", "/api/v1/conjunction-events/{event_id}/decision"):
              "test_decisions_and_avoidance_jobs_need_sight_of_the_conjunction",
          ("POST", "/api/v1/conjunctions/{conjunction_id}/avoidance"):
              "test_decisions_and_avoidance_jobs_need_sight_of_the_conjunction"}
PEOPLE = ["u_es", "r_it", "c_de", "s_pl", "s_nl", "s_fr", "ts_de", "ts_nl"]
#: path parameter -> the kind of seeded item whose ids to try in it
ID_KINDS = {"item_id": "intel", "document_id": "document", "event_id": "event", "incident_id": "fimi-incident",
            "conjunction_id": "conjunction", "norad_id": "elements", "cdm_id": "cdm", "surge_id": "fimi-surge",
            "ephemeris_id": "ephemeris"}


def routes(app: Any) -> Iterator[tuple[str, str]]:
    """(method, path) of every route of ``app``, included routers and routes hidden from the OpenAPI spec too."""
    def walk(items: list) -> Iterator[tuple[str, str]]:
        for route in items:
            original = getattr(route, "original_router", None)
            if original is not None:
                prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
                yield from ((m, prefix + p) for m, p in walk(original.routes))
            elif isinstance(route, APIRoute) or hasattr(route, "methods") and route.methods:
                for method in route.methods - {"HEAD", "OPTIONS"}:
                    yield method, route.path
            elif hasattr(route, "routes") and getattr(route, "path", "") != "/web":
                yield from walk(route.routes)

    return walk(app.routes)


@dataclass(frozen=True)
class Ask:
    """One request to make: method, URL, JSON body; ``given``: ids the request itself names (they may come back)."""

    method: str
    url: str
    body: dict | None = None
    given: tuple[str, ...] = ()


def _ids(platform: Platform, kind: str) -> list[str]:
    return sorted({i.id for i in platform.items if i.kind == kind}) + [MISSING_ID if kind != "elements" else "99999"]


def _one_per_id(template: str, param: str) -> Callable[[Platform], list[Ask]]:
    def asks(platform: Platform) -> list[Ask]:
        return [Ask("GET", template.replace("{" + param + "}", quote(i)), given=(i,))
                for i in _ids(platform, ID_KINDS[param])]
    return asks


def _get(*urls: str) -> Callable[[Platform], list[Ask]]:
    return lambda platform: [Ask("GET", u) for u in urls]


def _norads(platform: Platform) -> str:
    return ",".join(sorted({i.id for i in platform.items if i.kind == "elements"}) + ["24946", "22675"])


#: how to read each route (GET, or a POST that only reads); "after" cursors are tried by the cursor tests
READS: dict[tuple[str, str], Callable[[Platform], list[Ask]]] = {
    ("GET", "/api/v1/whoami"): _get("/api/v1/whoami"),
    ("GET", "/api/v1/objects"): _get("/api/v1/objects?limit=1000", "/api/v1/objects?name=SECTAG"),
    ("GET", "/api/v1/objects/names"): lambda p: [Ask("GET", "/api/v1/objects/names?ids=" + _norads(p))],
    ("GET", "/api/v1/objects/{norad_id}/elements"): _one_per_id("/api/v1/objects/{norad_id}/elements", "norad_id"),
    ("GET", "/api/v1/conjunctions"): _get("/api/v1/conjunctions?limit=1000", "/api/v1/conjunctions?norad_id=24946"),
    ("GET", "/api/v1/conjunctions/cumulative"): _get("/api/v1/conjunctions/cumulative?norad_id=24946",
                                                     "/api/v1/conjunctions/cumulative?norad_id=22675"),
    ("GET", "/api/v1/conjunctions/{conjunction_id}"): _one_per_id("/api/v1/conjunctions/{conjunction_id}",
                                                                  "conjunction_id"),
    ("GET", "/api/v1/conjunctions/{conjunction_id}/series"): _one_per_id(
        "/api/v1/conjunctions/{conjunction_id}/series", "conjunction_id"),
    ("GET", "/api/v1/conjunctions/{conjunction_id}/cdm"): _one_per_id("/api/v1/conjunctions/{conjunction_id}/cdm",
                                                                      "conjunction_id"),
    ("GET", "/api/v1/conjunctions/{conjunction_id}/avoidance"): _one_per_id(
        "/api/v1/conjunctions/{conjunction_id}/avoidance", "conjunction_id"),
    ("GET", "/api/v1/conjunction-events"): _get("/api/v1/conjunction-events?limit=1000",
                                                "/api/v1/conjunction-events?norad_id=24946&sort=-pc"),
    ("GET", "/api/v1/conjunction-events/{event_id}"): lambda p: [
        Ask("GET", f"/api/v1/conjunction-events/{quote(i)}", given=(i,)) for i in _ids(p, "conjunction-event")],
    ("GET", "/api/v1/cdms"): _get("/api/v1/cdms?limit=1000", "/api/v1/cdms?norad_id=24946"),
    ("GET", "/api/v1/cdms/{cdm_id}"): _one_per_id("/api/v1/cdms/{cdm_id}", "cdm_id"),
    ("GET", "/api/v1/ephemerides"): _get("/api/v1/ephemerides?limit=1000", "/api/v1/ephemerides?norad_id=24946"),
    ("GET", "/api/v1/ephemerides/{ephemeris_id}"): _one_per_id("/api/v1/ephemerides/{ephemeris_id}", "ephemeris_id"),
    ("GET", "/api/v1/documents"): _get("/api/v1/documents?limit=1000"),
    ("GET", "/api/v1/documents/{document_id}"): _one_per_id("/api/v1/documents/{document_id}", "document_id"),
    ("GET", "/api/v1/events"): _get("/api/v1/events?limit=1000", "/api/v1/events?domain=fimi&limit=1000",
                                    "/api/v1/events?kind=manoeuvre&severity=low&since=2026-01-01T00:00:00Z"),
    ("GET", "/api/v1/events/stix"): _get("/api/v1/events/stix", "/api/v1/events/stix?domain=fimi"),
    ("GET", "/api/v1/events/{event_id}"): _one_per_id("/api/v1/events/{event_id}", "event_id"),
    ("GET", "/api/v1/subscriptions"): _get("/api/v1/subscriptions"),
    ("GET", "/api/v1/commitments"): _get("/api/v1/commitments?as_of=2025-12-31",
                                         "/api/v1/commitments?as_of=2025-12-31&public_evidence=false"),
    ("POST", "/api/v1/markings/combine"): lambda p: [Ask("POST", "/api/v1/markings/combine", {"markings": [
        i.marking.as_dict() for i in p.items if i.kind == "document"]})],
    ("GET", "/api/v1/picture"): _get("/api/v1/picture?set=all&limit=1000"),
    ("GET", "/api/v1/map/layers"): _get("/api/v1/map/layers"),
    ("GET", "/api/v1/map/boundaries"): _get("/api/v1/map/boundaries"),
    ("GET", "/api/v1/map/layers/{layer_id}"): lambda p: [
        Ask("GET", "/api/v1/map/layers/boundaries"),
        Ask("GET", f"/api/v1/map/layers/ground-tracks?ids={_norads(p)}&start=2026-05-05T00:00:00Z&minutes=10"
                   "&step_s=300")],
    ("GET", "/api/v1/tracks"): lambda p: [Ask("GET", f"/api/v1/tracks?ids={_norads(p)}&start=2026-05-05T00:00:00Z"
                                                     "&minutes=10&step_s=300")],
    ("GET", "/api/v1/reports/threat-landscape"): _get(
        "/api/v1/reports/threat-landscape?from=2026-04-01&to=2026-05-31&format=html"),
    ("GET", "/api/v1/reports/commitments"): _get("/api/v1/reports/commitments?as_of=2025-12-31&format=html"),
    ("GET", "/api/v1/reports/fimi"): _get("/api/v1/reports/fimi?since=2024-01-01&until=2024-12-31&format=html"),
    ("GET", "/api/v1/fimi/incidents"): _get("/api/v1/fimi/incidents?limit=1000",
                                            "/api/v1/fimi/incidents?q=SECTAG&limit=1000",
                                            "/api/v1/fimi/incidents?language=Russian&technique=T0022"),
    ("GET", "/api/v1/fimi/incidents/stix"): _get("/api/v1/fimi/incidents/stix"),
    ("GET", "/api/v1/fimi/incidents/{incident_id}"): _one_per_id("/api/v1/fimi/incidents/{incident_id}",
                                                                 "incident_id"),
    ("GET", "/api/v1/fimi/incidents/{incident_id}/response"): _one_per_id(
        "/api/v1/fimi/incidents/{incident_id}/response", "incident_id"),
    ("GET", "/api/v1/fimi/clusters"): _get("/api/v1/fimi/clusters?limit=1000"),
    ("GET", "/api/v1/fimi/surges"): _get("/api/v1/fimi/surges?limit=1000"),
    ("GET", "/api/v1/fimi/surges/{surge_id}"): _one_per_id("/api/v1/fimi/surges/{surge_id}", "surge_id"),
    ("GET", "/api/v1/fimi/surges/{surge_id}/response"): _one_per_id("/api/v1/fimi/surges/{surge_id}/response",
                                                                    "surge_id"),
}
#: routes slow enough (reports, the picture, the register) to be asked by one user only: CONFIDENTIAL with a
#: community, who may see some of every kind and not others (report jobs are asked by others in the jobs test)
SLOW = {("GET", "/api/v1/reports/threat-landscape"), ("GET", "/api/v1/reports/commitments"),
        ("GET", "/api/v1/reports/fimi"), ("GET", "/api/v1/picture"), ("GET", "/api/v1/commitments"),
        ("GET", "/api/v1/map/boundaries")}
FEW = ["c_de"]
#: single-item routes of things the shared platform does not hold (surges need an analysis run): checked for leaks
#: here and for their 404s in test_an_analysis_run_holds_only_what_its_caller_may_see
UNSEEDED = {("GET", "/api/v1/fimi/surges/{surge_id}"), ("GET", "/api/v1/fimi/surges/{surge_id}/response")}
#: listings with keyset pages: (path with its fixed query, field holding the items)
PAGED = ["/api/v1/objects?", "/api/v1/conjunctions?", "/api/v1/cdms?", "/api/v1/ephemerides?", "/api/v1/documents?",
         "/api/v1/events?", "/api/v1/fimi/incidents?", "/api/v1/fimi/clusters?", "/api/v1/fimi/surges?",
         "/api/v1/conjunction-events?"]

# issue 22 (helper ATTRIB): national attributions, coordination and responses. The shared platform holds events but
# no attributions or responses: the event routes answer 200 with what each user may see of each event (and 404, the
# same as a missing one, for a hidden event: test_a_hidden_item_and_a_missing_one_get_the_same_answer); responses and
# their moves, written with markings, are covered in tests/api/test_response_api.py.
READS.update({
    ("GET", "/api/v1/events/{event_id}/attributions"): _one_per_id("/api/v1/events/{event_id}/attributions",
                                                                   "event_id"),
    ("GET", "/api/v1/events/{event_id}/coordination"): _one_per_id("/api/v1/events/{event_id}/coordination",
                                                                   "event_id"),
    ("GET", "/api/v1/events/{event_id}/findings"): _one_per_id("/api/v1/events/{event_id}/findings", "event_id"),
    ("GET", "/api/v1/responses"): lambda p: [Ask("GET", "/api/v1/responses?limit=1000")] + [
        Ask("GET", f"/api/v1/responses?event_id={quote(i)}", given=(i,)) for i in _ids(p, "event")],
    ("GET", "/api/v1/responses/{response_id}"): _get(f"/api/v1/responses/{MISSING_ID}"),
})
WRITES.update({
    ("POST", "/api/v1/events/{event_id}/attributions"):
        "tests/api/test_response_api.py::test_attributions_and_coordination_as_each_state_may_see_them",
    ("POST", "/api/v1/responses"): "tests/api/test_response_api.py::test_responses_through_the_api",
    ("POST", "/api/v1/events/{event_id}/findings"): "tests/api/test_respond.py::test_a_recorded_cause_brings_the_"
                                                    "cosmos_1408_statement_to_those_who_may_see_it",
    ("POST", "/api/v1/responses/{response_id}/steps"): "tests/api/test_response_api.py::test_responses_through_the_api",
})
UNSEEDED |= {("GET", "/api/v1/responses/{response_id}")}
# issue 22: the response options of every seeded event as each user may see it (the answer carries the event and the
# combined marking; a hidden event is the same 404 as a missing one); the ranking of a sent incident and the options
# paper (a job, whose file's marking is checked against what it used) in tests/api/test_respond.py
READS[("GET", "/api/v1/events/{event_id}/options")] = _one_per_id("/api/v1/events/{event_id}/options", "event_id")
WRITES.update({
    ("POST", "/api/v1/respond"): "tests/api/test_respond.py::test_the_viasat_incident_from_a_file_a_statement_first_"
                                 "and_nothing_restrictive",
    ("POST", "/api/v1/events/{event_id}/paper"): "tests/api/test_respond.py::test_the_options_paper_is_a_job_marked_"
                                                 "with_what_it_used",
})

# issue 23: TAXII 2.1 (application/taxii+json; STIX objects carry their markings as marking definitions, so the
# checks here are the tags and ids of hidden items). Every collection a person could name: the fixed ones and the
# community collections of every community the seeded markings use (a community collection is 404 for others).


def _taxii_collections(platform: Platform) -> list[str]:
    from kompas.services.taxii import DOMAINS, collection_id

    communities = sorted({c for i in platform.items for c in i.marking.communities})
    return [collection_id(n) for n in ["events", "cyber", *(f"events-{d}" for d in DOMAINS),
                                       *(f"community-{c}" for c in communities)]]


def _taxii(suffix: str) -> Callable[[Platform], list[Ask]]:
    return lambda p: [Ask("GET", f"/taxii2/kompas/collections/{c}/{suffix}") for c in _taxii_collections(p)]


def _taxii_objects(suffix: str) -> Callable[[Platform], list[Ask]]:
    return lambda p: [Ask("GET", f"/taxii2/kompas/collections/{c}/objects/incident--{quote(i)}/{suffix}",
                          given=(i,)) for c in _taxii_collections(p)[:1] + _taxii_collections(p)[-1:]
                      for i in _ids(p, "event")]


READS.update({
    ("GET", "/taxii2/"): _get("/taxii2/"),
    ("GET", "/taxii2/kompas/"): _get("/taxii2/kompas/"),
    ("GET", "/taxii2/kompas/collections/"): _get("/taxii2/kompas/collections/"),
    ("GET", "/taxii2/kompas/collections/{cid}/"): _taxii(""),
    ("GET", "/taxii2/kompas/collections/{cid}/objects/"): _taxii("objects/?limit=1000"),
    ("GET", "/taxii2/kompas/collections/{cid}/manifest/"): _taxii("manifest/?limit=1000"),
    ("GET", "/taxii2/kompas/collections/{cid}/objects/{object_id}/"): _taxii_objects(""),
    ("GET", "/taxii2/kompas/collections/{cid}/objects/{object_id}/versions/"): _taxii_objects("versions/"),
})

# issue 23: the cyber routes. The shared platform seeds no cyber incidents: the listings answer 200 with nothing
# hidden from the seeded items; one incident and its export are asked for by a missing id (the same 404 as a hidden
# one: tests/api/test_cyber_api.py shows it with incidents two members shared under markings).
READS.update({
    ("GET", "/api/v1/cyber/incidents"): _get("/api/v1/cyber/incidents?limit=1000"),
    ("GET", "/api/v1/cyber/incidents/{incident_id}"): _get(f"/api/v1/cyber/incidents/{MISSING_ID}"),
    ("GET", "/api/v1/cyber/incidents/{incident_id}/export"): _get(
        f"/api/v1/cyber/incidents/{MISSING_ID}/export?format=misp", f"/api/v1/cyber/incidents/{MISSING_ID}/export"),
    ("GET", "/api/v1/cyber/sightings"): _get("/api/v1/cyber/sightings?limit=1000"),
    ("GET", "/api/v1/cyber/exposure"): _get("/api/v1/cyber/exposure"),
    ("GET", "/api/v1/cyber/actors"): _get("/api/v1/cyber/actors?techniques=T1566&software=AcidRain"),
    ("GET", "/api/v1/cyber/picture"): _get("/api/v1/cyber/picture?since=2026-01-01&until=2026-12-31&incidents=true"),
    ("GET", "/api/v1/cyber/campaigns"): _get("/api/v1/cyber/campaigns?since=2026-01-01&until=2026-12-31"),
})
UNSEEDED |= {("GET", "/api/v1/cyber/incidents/{incident_id}"), ("GET", "/api/v1/cyber/incidents/{incident_id}/export"),
             ("GET", "/api/v1/cyber/actors"), ("GET", "/api/v1/cyber/campaigns")}
WRITES.update({
    ("POST", "/api/v1/cyber/incidents"): "tests/api/test_cyber_api.py::test_incidents_exports_and_sightings_as_each_"
                                         "member_may_see_them",
    ("POST", "/api/v1/cyber/sightings"): "tests/api/test_cyber_api.py::test_incidents_exports_and_sightings_as_each_"
                                         "member_may_see_them",
    ("POST", "/api/v1/cyber/inventory"): "tests/api/test_cyber_api.py::test_inventory_exposure_and_actors",
    ("POST", "/api/v1/reports/cyber"): "tests/api/test_cyber_api.py::test_the_picture_and_the_report_as_each_member_"
                                       "may_see_them",
})

# issue 24: the infrastructure routes. The shared platform seeds no contributed elements: every reading route answers
# on the public data (the HVDC list ships with Kompas, so even without ../shared) with nothing hidden from the seeded
# items; tests/api/test_infra.py shows a SECRET contribution merged for its community only (assessments, stress
# tests, rankings, the listing, events recorded from them) and the writes with their markings.
READS.update({
    ("GET", "/api/v1/infra/assess"): _get("/api/v1/infra/assess?country=FI"),
    ("POST", "/api/v1/infra/stress"): lambda p: [Ask("POST", "/api/v1/infra/stress", {"remove": ["Estlink 2"]})],
    ("GET", "/api/v1/infra/rank"): _get("/api/v1/infra/rank?country=EE,FI&limit=500"),
    ("GET", "/api/v1/infra/vintages"): _get("/api/v1/infra/vintages"),
    ("GET", "/api/v1/infra/elements"): _get("/api/v1/infra/elements?limit=10000"),
})
WRITES.update({
    ("POST", "/api/v1/infra/elements"): "tests/api/test_infra.py::test_the_contribution_reaches_only_those_who_may_"
                                        "see_it",
    ("POST", "/api/v1/infra/incidents"): "tests/api/test_infra.py::test_incidents_are_events_with_the_cost_of_losing_"
                                         "the_assets",
    ("DELETE", "/api/v1/infra/elements"): "tests/api/test_infra.py::test_share_steps_a_stress_test_marked_by_what_it_"
                                          "used_and_withdrawal (one's own organisation's rows only)",
    ("POST", "/api/v1/reports/infra"): "tests/reports/test_infra.py::test_a_secret_contribution_raises_the_banner_of_"
                                       "who_may_see_it",
})


# issue 25: the maritime routes. The platform seeds, under each marking, a vessel named with the tag stopped in the
# Gulf of Finland (the batch's source is the tag too) and its owner's screening recorded (conftest._seed_maritime):
# the listing, the map, the CISE export and a screening show each only to those who may see its batch;
# tests/api/test_maritime_api.py shows a SECRET radar track screened, mapped and recorded for its community only.
READS.update({
    ("GET", "/api/v1/maritime/contributions"): _get("/api/v1/maritime/contributions"),
    ("GET", "/api/v1/maritime/map"): _get("/api/v1/maritime/map?assets=none"),
    ("GET", "/api/v1/maritime/events/cise"): _get("/api/v1/maritime/events/cise?limit=5000"),
    ("POST", "/api/v1/maritime/screen"): lambda p: [Ask("POST", "/api/v1/maritime/screen", {"assets": "none"})],
})
WRITES.update({
    ("POST", "/api/v1/maritime/ais"): "tests/api/test_maritime_api.py::test_screening_names_estlink_2_for_those_who_"
                                      "may_see_the_radar_track",
    ("DELETE", "/api/v1/maritime/contributions"): "tests/api/test_maritime_api.py::test_contributions_listed_and_"
                                                  "withdrawn_by_their_owners_only",
    ("POST", "/api/v1/reports/maritime"): "tests/reports/test_maritime_report.py::test_the_report_is_a_job_marked_for_"
                                          "its_reader",
})

# issue 26: the intelligence routes. Under each marking the platform seeds a graded report named with the tag and its
# owner's assessment citing it, asked for UNCLASSIFIED // CLEAR but stored under the report's marking, with a resolved
# judgement and the tag as its team (conftest._seed_intel): listings, items, exports and the scores show each only to
# those who may see it, under at least its stored marking; tests/core/test_intel_store.py is the property test.
READS.update({
    ("GET", "/api/v1/intel/items"): _get("/api/v1/intel/items?limit=5000", "/api/v1/intel/items?kind=assessment"),
    ("GET", "/api/v1/intel/items/{item_id}"): _one_per_id("/api/v1/intel/items/{item_id}", "item_id"),
    ("GET", "/api/v1/intel/items/{item_id}/export"): lambda p: [
        Ask("GET", f"/api/v1/intel/items/{quote(i)}/export?format={f}", given=(i,))
        for i in _ids(p, "intel") for f in ("json", "html", "stix")],
    ("GET", "/api/v1/intel/requirements"): _get("/api/v1/intel/requirements"),
    ("GET", "/api/v1/intel/scores"): _get("/api/v1/intel/scores", "/api/v1/intel/scores?by=product_line"),
})
WRITES.update({
    ("POST", "/api/v1/intel/items"): "tests/api/test_intel_api.py::test_an_assessment_is_raised_to_what_it_cites",
    ("PUT", "/api/v1/intel/items/{item_id}"): "tests/api/test_intel_api.py::test_versions_never_lower_the_marking",
    ("DELETE", "/api/v1/intel/items/{item_id}"): "tests/api/test_intel_api.py::test_versions_never_lower_the_marking",
    ("POST", "/api/v1/intel/items/{item_id}/judgements/{number}"):
        "tests/api/test_intel_api.py::test_a_judgement_resolved_and_scored",
    ("POST", "/api/v1/reports/threat-analysis"):
        "tests/api/test_intel_api.py::test_the_threat_analysis_is_a_job_marked_for_its_reader",
})

# issue 26: the fused picture reads every seeded event of every domain (space, FIMI, maritime, ...) under each marking:
# each user sees the events and situations they may see, each situation under the combination of its members; the
# early-warning routes read public data only (VIEWS, UCDP, ND-GAIN, IPC: nothing marked), asked for the cheap models.
READS.update({
    ("GET", "/api/v1/fusion/picture"): _get("/api/v1/fusion/picture?limit=5000",
                                            "/api/v1/fusion/picture?domain=maritime&limit=5000"),
    ("GET", "/api/v1/fusion/situations"): _get("/api/v1/fusion/situations?limit=5000"),
    ("GET", "/api/v1/fusion/picture.geojson"): _get("/api/v1/fusion/picture.geojson?limit=5000"),
    ("GET", "/api/v1/warning/evaluate"): _get("/api/v1/warning/evaluate?window=2022&model=zero&model=conflictology"),
    ("GET", "/api/v1/warning/forecast"): _get("/api/v1/warning/forecast?window=2022&model=conflictology"),
    ("GET", "/api/v1/warning/warnings"): _get("/api/v1/warning/warnings?window=2022&model=conflictology"),
    ("GET", "/api/v1/warning/watchlist"): _get("/api/v1/warning/watchlist?year=2023"),
})

# issue 27: the mobility routes. Under each marking the platform seeds a contribution to the gauge-test network (a
# place and a road named with the tag) and an incident on the Kaunas – Rukla road titled with it
# (conftest._seed_mobility): the network map, plans, stress tests with incidents and rankings show each only to those
# who may see it, under the combination of what they used; tests/services/test_mobility.py shows the merge per viewer.
_ROUTE = {"from": "test:suwalki-barracks", "to": "test:rukla", "start_utc": "2026-05-01T00:00Z"}
READS.update({
    ("GET", "/api/v1/mobility/networks"): _get("/api/v1/mobility/networks"),
    ("POST", "/api/v1/mobility/route"): lambda p: [Ask("POST", "/api/v1/mobility/route", _ROUTE)],
    ("POST", "/api/v1/mobility/route.geojson"): lambda p: [Ask("POST", "/api/v1/mobility/route.geojson", _ROUTE)],
    ("POST", "/api/v1/mobility/stress"): lambda p: [Ask("POST", "/api/v1/mobility/stress", {"events": True}),
                                                    Ask("POST", "/api/v1/mobility/stress",
                                                        {"remove": ["test:rukla"]})],
    ("POST", "/api/v1/mobility/rank"): lambda p: [Ask("POST", "/api/v1/mobility/rank", {"limit": 500})],
    ("GET", "/api/v1/mobility/coverage"): _get("/api/v1/mobility/coverage"),
    ("GET", "/api/v1/mobility/airfields"): _get("/api/v1/mobility/airfields?aircraft=C-17A&country=LT"),
    ("GET", "/api/v1/mobility/network.geojson"): _get("/api/v1/mobility/network.geojson"),
})
WRITES.update({
    ("POST", "/api/v1/mobility/incidents"): "tests/services/test_mobility.py::test_incidents_enter_stress_tests_for_"
                                            "those_who_may_see_them (and conftest._seed_mobility, under every marking)",
    ("POST", "/api/v1/reports/mobility"): "tests/reports/test_mobility_report.py (the report job, marked with the "
                                          "contributions its reader may see)",
})

# issue 28: the forces routes. Under each marking the platform seeds a register document of its own nation whose rows
# carry the tag (conftest._seed_forces): every aggregate (overview, listings, generation, gaps, trends, review) is
# computed from what the reader may see and marked with it; tests/services/test_forces.py proves the equality with a
# store holding only the visible documents (hypothesis).
_SCENARIO = {"custom": {"name": "sec", "response_days": 10, "duration_days": 60, "requirements": [
    {"capability": "infantry-company", "quantity": 7}, {"capability": "utility-helicopter", "quantity": 1}]}}
READS.update({
    ("GET", "/api/v1/forces/editions"): _get("/api/v1/forces/editions", "/api/v1/forces/editions?example=true"),
    ("GET", "/api/v1/forces/overview"): _get("/api/v1/forces/overview", "/api/v1/forces/overview?edition=2025"),
    ("GET", "/api/v1/forces/elements"): _get("/api/v1/forces/elements?limit=1000",
                                             "/api/v1/forces/elements?edition=2025&capability=infantry-company"),
    ("GET", "/api/v1/forces/scenarios"): _get("/api/v1/forces/scenarios"),
    ("POST", "/api/v1/forces/generate"): lambda p: [Ask("POST", "/api/v1/forces/generate", _SCENARIO),
                                                    Ask("POST", "/api/v1/forces/generate",
                                                        {**_SCENARIO, "edition": "2025"})],
    ("GET", "/api/v1/forces/planning/cases"): _get("/api/v1/forces/planning/cases"),
    ("GET", "/api/v1/forces/planning/gaps"): _get("/api/v1/forces/planning/gaps?case=rdc-hadr",
                                                  "/api/v1/forces/planning/gaps?case=civilian-200-in-30"),
    ("GET", "/api/v1/forces/planning/trends"): _get("/api/v1/forces/planning/trends",
                                                    "/api/v1/forces/planning/trends?case=rdc-hadr"),
    ("GET", "/api/v1/forces/planning/review"): _get("/api/v1/forces/planning/review?case=rdc-hadr"),
    ("POST", "/api/v1/forces/rotations"): lambda p: [Ask("POST", "/api/v1/forces/rotations", {"mission": {
        "start": "2026-03-01", "months": 12, "positions": [{"id": "inf", "capability": "infantry-company",
                                                            "units": 4}]}})],
    ("GET", "/api/v1/forces/sustainment"): _get("/api/v1/forces/sustainment?deployed=60000&duration_months=12"),
    ("POST", "/api/v1/forces/deploy"): lambda p: [Ask("POST", "/api/v1/forces/deploy", {
        "needs": {"monitor": {"count": 4}}, "decision": "2026-03-01", "runs": 200, "levers": False})],
})
WRITES.update({
    ("POST", "/api/v1/forces/contributions"): "tests/services/test_forces.py (supersession, markings, rejections) "
                                              "and conftest._seed_forces, under every marking",
    ("POST", "/api/v1/reports/forces"): "tests/reports/test_forces_report.py (the report job, marked with the register "
                                        "documents its owner may see; a reader without the SECRET document gets "
                                        "neither its rows nor its marking; within)",
})

# issue 29: the Space ISAC routes. Under each marking the platform seeds a report titled with the tag, naming the object
# its owner seeded under that marking, at the time of the event seeded on it (conftest._seed_isac): listings, one
# report with its enrichment, clusters, controls, exports, the TAXII collection and the map layer show each only to
# those who may see it, under at least its stored marking (the marking as shared leaves out the reporter's code: a
# shorter releasability list); tests/services/test_isac.py is the property test (no undisclosed reporter named,
# each report to exactly who may see it).
ID_KINDS["report_id"] = "isac"
_ISAC_WINDOW = "since=2026-04-30T00:00:00Z&until=2026-05-31T00:00:00Z"
READS.update({
    ("GET", "/api/v1/isac/reports"): _get("/api/v1/isac/reports?limit=1000",
                                          f"/api/v1/isac/reports?band=Ku&interference=jamming&{_ISAC_WINDOW}"),
    ("GET", "/api/v1/isac/reports/{report_id}"): _one_per_id("/api/v1/isac/reports/{report_id}", "report_id"),
    ("GET", "/api/v1/isac/reports/{report_id}/controls"): _one_per_id("/api/v1/isac/reports/{report_id}/controls",
                                                                      "report_id"),
    ("GET", "/api/v1/isac/reports/{report_id}/stix"): _one_per_id("/api/v1/isac/reports/{report_id}/stix",
                                                                  "report_id"),
    ("GET", "/api/v1/isac/reports/{report_id}/misp"): _one_per_id("/api/v1/isac/reports/{report_id}/misp",
                                                                  "report_id"),
    ("GET", "/api/v1/isac/clusters"): _get(f"/api/v1/isac/clusters?{_ISAC_WINDOW}&singletons=true&radius_km=5000"
                                           "&window_h=168"),
})
WRITES.update({
    ("POST", "/api/v1/isac/reports"): "tests/api/test_isac_api.py::test_seen_it_too_exports_and_statuses (403 above "
                                      "the contributor; rejections) and conftest._seed_isac, under every marking",
    ("POST", "/api/v1/isac/reports/{report_id}/seen"): "tests/api/test_isac_api.py::test_seen_it_too_exports_and_"
                                                        "statuses (404 hidden as missing, 403, 422 own report)",
})
PAGED.append("/api/v1/isac/reports?")


def _and_isac(route: tuple[str, str], *urls: str) -> None:
    """Ask ``route`` also at ``urls`` (the Space ISAC's TAXII collection and map layer, beside the others)."""
    earlier = READS[route]
    READS[route] = lambda p: earlier(p) + [Ask("GET", u) for u in urls]


def _isac_collection() -> str:
    from kompas.services.taxii import collection_id

    return f"/taxii2/kompas/collections/{collection_id('isac')}/"


_and_isac(("GET", "/taxii2/kompas/collections/{cid}/"), _isac_collection())
_and_isac(("GET", "/taxii2/kompas/collections/{cid}/objects/"), _isac_collection() + "objects/?limit=1000")
_and_isac(("GET", "/taxii2/kompas/collections/{cid}/manifest/"), _isac_collection() + "manifest/?limit=1000")
_and_isac(("GET", "/api/v1/map/layers/{layer_id}"), f"/api/v1/map/layers/isac-reports?{_ISAC_WINDOW}")

# issue 29: the exercise routes. No exercise is seeded here (an exercise's items reach only its participants in its
# context: tests/api/test_exercise_api.py and the access property tests, whose worlds hold exercise items); the plan
# is public to every user; a break-up answers from an element set the caller may see, marked as it.
READS.update({
    ("GET", "/api/v1/exercises"): _get("/api/v1/exercises"),
    ("GET", "/api/v1/exercises/plan"): _get("/api/v1/exercises/plan"),
    ("GET", "/api/v1/exercises/{code}/msel"): _get("/api/v1/exercises/SPX27-TECH/msel",
                                                   "/api/v1/exercises/SPX27-TECH/msel?format=csv"),
})
UNSEEDED.add(("GET", "/api/v1/exercises/{code}/msel"))  # no exercise is seeded: every user is answered 404
WRITES.update({
    ("POST", "/api/v1/exercises/breakup"): "tests/api/test_exercise_api.py::test_the_exercise_routes (the answer "
                                           "marked as the element set used; 422 for an object not visible)",
    ("POST", "/api/v1/exercises/build"): "tests/services/test_exercise.py (the whole build, marked EXERCISE, seen "
                                         "only in the exercise) and tests/api/test_exercise_api.py (jobs in context)",
    ("POST", "/api/v1/exercises/{code}/release"): "tests/services/test_exercise.py::test_the_after_action_review_"
                                                  "measures_the_response_steps and tests/cli/test_exercise_cli.py",
    ("POST", "/api/v1/exercises/{code}/review"): "tests/services/test_exercise.py::test_the_after_action_review_"
                                                 "measures_the_response_steps",
})

# ------------------------------------------------------------------------------------------------ the checks


def _marking_at_least(shown: dict, stored: Marking) -> list[str]:
    """What makes the marking ``shown`` (API JSON form) lower than ``stored`` (empty when it is not)."""
    problems = []
    try:
        level = Classification.parse(str(shown["classification"]))
        light = TLP.parse(str(shown.get("tlp", "AMBER")))
    except (KeyError, ValueError):
        return [f"unreadable marking {shown}"]
    if level < stored.classification:
        problems.append(f"classification {level.name} < {stored.classification.name}")
    if light < stored.tlp:
        problems.append(f"TLP {light.name} < {stored.tlp.name}")
    rel = shown.get("releasable_to")
    if stored.releasable_to is not None and (rel is None or not set(rel) <= stored.releasable_to):
        problems.append(f"releasable to {rel}, stored {sorted(stored.releasable_to)}")
    clauses = {frozenset(c) for c in shown.get("communities") or []}
    if not all(any(c <= clause for c in clauses) for clause in stored.clauses):
        problems.append(f"need-to-know {sorted(map(sorted, clauses))} drops {sorted(map(sorted, stored.clauses))}")
    if not stored.caveats <= set(shown.get("caveats") or []):
        problems.append(f"caveats {shown.get('caveats')} drop {sorted(stored.caveats)}")
    return problems


def _marked_dicts(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        if isinstance(value.get("marking"), dict):
            yield value
        for v in value.values():
            yield from _marked_dicts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _marked_dicts(v)


def _own_text(item: dict) -> str:
    """The text of a marked ``item`` without the marked items nested in it (they are checked on their own)."""
    return json.dumps({k: v for k, v in item.items() if k != "marking" and not any(True for _ in _marked_dicts(v))})


def check_answer(platform: Platform, who: str, ask: Ask, status: int, text: str, content_type: str) -> list[str]:
    """Everything wrong with one answer to ``who`` (empty when nothing is)."""
    where = f"{who} {ask.method} {ask.url}"
    if status >= 500:
        return [f"{where}: server error {status}: {text[:200]}"]
    problems = []
    hidden = platform.hidden_from(who)
    by_tag = {i.tag: i for i in platform.items}
    leaked = sorted({t for t in TAG.findall(text) if t in by_tag and by_tag[t] in hidden})
    if leaked:
        problems.append(f"{where}: shows hidden items {leaked}")
    visible_ids = {i.id for i in platform.visible_to(who)}
    for item in hidden:
        if item.kind != "elements" and item.id not in visible_ids and item.id not in ask.given and item.id in text:
            problems.append(f"{where}: names hidden {item.kind} {item.id}")
    hidden_norads = {int(i.id) for i in hidden if i.kind == "elements"} - {
        int(i.id) for i in platform.visible_to(who) if i.kind == "elements"}
    if "json" in content_type and text:
        data = json.loads(text)
        for norad in _norad_values(data):
            if norad in hidden_norads and str(norad) not in ask.given:
                problems.append(f"{where}: names hidden object {norad}")
        for item in _marked_dicts(data):
            blob = _own_text(item)
            for seeded in platform.items:
                if seeded.tag in blob or item.get("id") == seeded.id and seeded.kind != "elements":
                    problems += [f"{where}: {seeded.tag} marked lower than stored: {p}"
                                 for p in _marking_at_least(item["marking"], seeded.marking)]
    elif "html" in content_type:
        shown = [by_tag[t] for t in set(TAG.findall(text)) if t in by_tag]
        if shown:
            top = max(i.marking.classification for i in shown)
            banner = re.search(r'class="banner"[^>]*>([^<]*)<', text)
            head = banner.group(1) if banner else text
            levels = [level for level, name in EU_NAMES.items() if name in head]
            if not levels or max(levels) < top:
                problems.append(f"{where}: holds {top.name} content under banner {head[:120]!r}")
    return problems


def _norad_values(data: Any) -> Iterator[int]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("norad_id", "object1_id", "object2_id") and isinstance(value, int):
                yield value
            elif key in ("norad_ids", "ids") and isinstance(value, list):
                yield from (v for v in value if isinstance(v, int))
            else:
                yield from _norad_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _norad_values(value)


def _ask(platform: Platform, who: str, ask: Ask) -> tuple[int, str, str]:
    headers = platform.users[who].headers
    response = platform.client.request(ask.method, ask.url, headers=headers, json=ask.body)
    return response.status_code, response.text, response.headers.get("content-type", "")


# ------------------------------------------------------------------------------------------------- the tests


def test_every_route_is_called_or_allowed(platform: Platform) -> None:
    """A route added to the API must be added to READS (how to read it) or WRITES (which test covers it)."""
    known = set(READS) | set(WRITES) | PUBLIC
    found = set(routes(platform.client.app))
    assert len(found) > 30  # the walk found the routers' routes, not only the application's own
    assert found - known == set(), f"routes the security suite does not know how to call: {sorted(found - known)}"
    assert known - PUBLIC - found == set(), f"routes listed here that the API no longer has: {sorted(known - found)}"


def test_the_checks_see_a_leak_and_a_lowered_marking(platform: Platform) -> None:
    """The answer checks themselves: the TOP SECRET document's own answer shown to the UNCLASSIFIED user is a leak;
    the same answer with its marking lowered is caught for its owner; a page of a report holding it under a lower
    banner is caught too."""
    secret = next(i for i in platform.items if i.kind == "document" and i.marking.classification == 4)
    answer = platform.client.get(f"/api/v1/documents/{secret.id}", headers=platform.users["ts_nl"].headers)
    assert answer.status_code == 200 and secret.tag in answer.text
    ask = Ask("GET", f"/api/v1/documents/{secret.id}")
    assert check_answer(platform, "ts_nl", ask, 200, answer.text, "application/json") == []
    assert check_answer(platform, "u_es", Ask("GET", "/x"), 200, answer.text, "application/json")
    lowered = {**answer.json(), "marking": {**answer.json()["marking"], "classification": "SECRET", "caveats": []}}
    problems = check_answer(platform, "ts_nl", ask, 200, json.dumps(lowered), "application/json")
    assert any("SECRET < TOP_SECRET" in p for p in problems) and any("caveats" in p for p in problems)
    page = f'<div class="banner">{EU_NAMES[Classification.SECRET]}</div><p>{secret.tag}</p>'
    assert check_answer(platform, "ts_nl", ask, 200, page, "text/html")
    assert check_answer(platform, "ts_nl", ask, 500, "", "application/json")


@pytest.mark.parametrize("route", sorted(READS), ids=lambda r: f"{r[0]} {r[1]}")
def test_no_route_shows_anyone_more_than_they_may_see(platform: Platform, route: tuple[str, str]) -> None:
    """Every reading route, asked by every user for every seeded item: nothing hidden comes back (tags, ids,
    objects), markings are never lower than stored, report banners cover their content, no server error."""
    asks = READS[route](platform)
    problems, answered = [], 0
    for who in FEW if route in SLOW else PEOPLE:
        for ask in asks:
            status, text, kind = _ask(platform, who, ask)
            answered += status == 200
            problems += check_answer(platform, who, ask, status, text, kind)
    assert answered or route in UNSEEDED, f"{route}: no request was answered 200, so nothing was checked"
    assert problems == []


@pytest.mark.parametrize("param", sorted(set(ID_KINDS) - {"cdm_id", "surge_id"}))
def test_a_hidden_item_and_a_missing_one_get_the_same_answer(platform: Platform, param: str) -> None:
    """For every single-item route: an item the user may not see is 404 exactly like a missing id; one they may see
    is 200 (so the rule was really applied, not everything refused)."""
    templates = [path for method, path in READS if method == "GET" and "{" + param + "}" in path]
    assert templates
    kind = ID_KINDS[param]
    seen_ok = 0
    for who in PEOPLE:
        visible = {i.id for i in platform.visible_to(who) if i.kind == kind}
        for template in templates:
            missing = platform.client.get(template.replace("{" + param + "}", MISSING_ID if kind != "elements"
                                                           else "99999"), headers=platform.users[who].headers)
            for item in platform.hidden_from(who):
                if item.kind != kind or item.id in visible:
                    continue
                got = platform.client.get(template.replace("{" + param + "}", item.id),
                                          headers=platform.users[who].headers)
                assert (got.status_code, got.text) == (missing.status_code, missing.text), (who, template, item.tag)
            for item_id in visible:
                seen_ok += platform.client.get(template.replace("{" + param + "}", item_id),
                                               headers=platform.users[who].headers).status_code == 200
    assert seen_ok


def _items(page: Any) -> list:
    return page["items"] if isinstance(page, dict) else page


def _walk(platform: Platform, who: str, base: str, limit: int) -> tuple[list[str], list[str], list[str]]:
    """Every page of listing ``base`` with ``limit`` items a page: (texts of the pages, cursors, problems)."""
    texts, cursors, problems, after = [], [], [], None
    for _ in range(200):
        url = f"{base}limit={limit}" + (f"&after={quote(after)}" if after else "")
        response = platform.client.get(url, headers=platform.users[who].headers)
        assert response.status_code == 200, (who, url, response.text)
        page = response.json()
        if after is not None and not page["items"]:
            problems.append(f"{who} {base}: cursor {after!r} led to an empty page (it told of hidden items)")
        texts.append(response.text)
        after = page["next"]
        if after is None:
            return texts, cursors, problems
        cursors.append(after)
    raise AssertionError(f"{base}: more than 200 pages")


@pytest.mark.parametrize("base", PAGED)
def test_paging_shows_the_same_as_one_page_and_no_count_of_hidden_items(platform: Platform, base: str) -> None:
    """Each user pages through each listing one item at a time: the same items as in one big page, nothing hidden,
    and never a cursor to an empty page (which would tell that hidden items follow)."""
    problems, walked = [], 0
    for who in PEOPLE:
        texts, _, wrong = _walk(platform, who, base, 1)
        problems += wrong
        ask = Ask("GET", base)
        for text in texts:
            problems += check_answer(platform, who, ask, 200, text, "application/json")
        one = platform.client.get(f"{base}limit=1000", headers=platform.users[who].headers).json()
        walked += len(one["items"])
        ids = [json.dumps(i, sort_keys=True) for t in texts for i in json.loads(t)["items"]]
        assert sorted(ids) == sorted(json.dumps(i, sort_keys=True) for i in one["items"]), (who, base)
    assert problems == []
    if base in ("/api/v1/objects?", "/api/v1/documents?", "/api/v1/events?", "/api/v1/fimi/incidents?"):
        assert walked  # the seeded kinds were really listed


def test_counts_match_what_the_user_may_see(platform: Platform) -> None:
    """The number of documents, objects, space events and incidents listed is the number the user may see."""
    for who in PEOPLE:
        visible = platform.visible_to(who)
        for url, kind in [("/api/v1/documents?limit=1000", "document"), ("/api/v1/events?domain=space&limit=1000",
                                                                         "event"),
                          ("/api/v1/fimi/incidents?limit=1000", "fimi-incident")]:
            got = platform.client.get(url, headers=platform.users[who].headers).json()["items"]
            assert len(got) == sum(i.kind == kind for i in visible), (who, url)
        objects = platform.client.get("/api/v1/objects?limit=1000", headers=platform.users[who].headers).json()
        tagged = {o["norad_id"] for o in objects["items"] if "SECTAG" in json.dumps(o)}
        assert tagged == {int(i.id) for i in visible if i.kind == "elements"}, who


def _tampered(cursor: str, hidden_cursors: list[str]) -> list[str]:
    parts = cursor.split("|")
    return [*hidden_cursors, "x", "|", "||||", "a" * 5000, "' OR 1=1 --", "1' OR '1'='1|x", "%00", "\x00|\x00",
            "9999-99-99T99:99:99Z|" + MISSING_ID, "|".join(parts + ["extra"]), parts[0], "|".join(reversed(parts)),
            "0|0", "-1|-1", "\u202e|\ufeff", "null", "[]", json.dumps({"after": parts})]


@pytest.mark.parametrize("base", PAGED)
def test_forged_and_tampered_cursors_are_refused_or_harmless(platform: Platform, base: str) -> None:
    """Cursors a TOP SECRET user received (pointing at items others may not see) and tampered or junk cursors, used
    by every other user: a 4xx answer or a page of only what that user may see; never a server error."""
    _, high_cursors, _ = _walk(platform, "ts_nl", base, 1)
    sample = high_cursors[0] if high_cursors else "2026-05-01T00:00:00.000Z|" + MISSING_ID
    problems, refused = [], 0
    for who in ("u_es", "c_de", "s_pl"):  # the lowest, one with a community, one outside most REL TO lists
        for cursor in _tampered(sample, high_cursors):
            ask = Ask("GET", f"{base}limit=1000&after={quote(cursor)}")
            status, text, kind = _ask(platform, who, ask)
            refused += 400 <= status < 500
            assert status in (200, 400, 422), (who, ask.url, status, text[:200])
            problems += check_answer(platform, who, ask, status, text, kind)
            if status >= 400:
                assert "Traceback" not in text and len(text) < 2000
    assert refused  # junk cursors are refused, not silently read as the first page
    assert problems == []


def test_contributions_cannot_be_marked_beyond_the_contributor(fresh_platform: Callable[..., Platform]) -> None:
    """A user cannot store an item above their clearance or outside their own communities, through any writing
    route; what they may store comes back with their organisation as originator."""
    platform = fresh_platform()
    above = {"classification": "TOP_SECRET"}
    elsewhere = {"classification": "RESTRICTED", "communities": ["fimi"]}
    bodies = {
        "/api/v1/contributions": lambda m: {"kind": "document", "format": "text", "title": "t", "content": "x",
                                            "marking": m},
        "/api/v1/fimi/incidents": lambda m: {"incidents": [{"title": "A claim about tanks", "first_seen":
                                                            "2024-05-01"}], "marking": m},
        "/api/v1/commitments/SP-010/status": lambda m: {"status": "in_progress", "evidence": "e",
                                                         "as_of": "2025-06-30", "marking": m},
    }
    for path, body in bodies.items():
        for marking in (above, elsewhere):
            response = platform.client.post(path, headers=platform.users["s_fr"].headers, json=body(marking))
            assert response.status_code == 403, (path, marking, response.text)
        made = platform.client.post(path, headers=platform.users["s_fr"].headers,
                                    json=body({"classification": "SECRET", "releasable_to": ["DE"]}))
        assert made.status_code == 201, (path, made.text)
    (doc,) = platform.client.get("/api/v1/documents", headers=platform.users["s_fr"].headers).json()["items"]
    assert doc["marking"]["originators"] == ["FR-CNES"] and "FR-CNES" in doc["marking"]["releasable_to"]
    assert platform.client.get("/api/v1/documents", headers=platform.users["s_nl"].headers).json()["items"] == []


def test_stix_imports_cannot_claim_another_originator(platform: Platform, fresh_platform: Callable[..., Platform]
                                                      ) -> None:
    """A STIX bundle exported by a TOP SECRET NL user and imported by others: the importer's own marking rules
    apply (above their clearance: refused), and the stored originator is the importer's organisation."""
    target = fresh_platform()
    for path in ("/api/v1/events/stix", "/api/v1/fimi/incidents/stix"):
        bundle = platform.client.get(path, headers=platform.users["ts_nl"].headers).text
        assert "SECTAG" in bundle
        low = target.client.post(path, headers=target.users["u_es"].headers, content=bundle)
        assert low.status_code in (201, 400, 403, 422), (path, low.status_code, low.text[:300])
        high = target.client.post(path, headers=target.users["ts_nl"].headers, content=bundle)
        assert high.status_code in (200, 201), (path, high.text[:300])
        listing = "/api/v1/events?limit=1000" if "events" in path else "/api/v1/fimi/incidents?limit=1000"
        items = target.client.get(listing, headers=target.users["ts_nl"].headers).json()["items"]
        assert any(item["marking"]["originators"] == ["NL-NSO"] for item in items), path
        for item in items:  # the importer is the originator; the low importer stored nothing above its clearance
            assert set(item["marking"]["originators"]) <= {"NL-NSO", "ES-CNI"}, (path, item["marking"])
            if item["marking"]["originators"] == ["ES-CNI"]:
                assert item["marking"]["classification"] == "UNCLASSIFIED", (path, item["marking"])
        for who in ("u_es", "s_fr", "ts_de"):
            text = target.client.get(listing, headers=target.users[who].headers).text
            shown = {t for t in TAG.findall(text)}
            allowed = {i.tag for i in platform.visible_to(who)}
            assert shown <= allowed, (path, who, shown - allowed)


def test_subscriptions_and_jobs_belong_to_their_owner(fresh_platform: Callable[..., Platform],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A user sees and deletes only their own subscriptions and jobs; another's is 404, like a missing one, and
    stays; a report job's file holds only what its owner may see, under a banner covering it."""
    from kompas.core import jobqueue
    from kompas.services.reports import RUNNERS

    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "127.0.0.1")  # a receiver on loopback (nothing is delivered here)
    platform = fresh_platform()
    owner, other = platform.users["ts_nl"], platform.users["s_fr"]
    made = platform.client.post("/api/v1/subscriptions", headers=owner.headers,
                                json={"url": "http://127.0.0.1:9/hook", "kinds": ["event"]})
    assert made.status_code == 201, made.text
    sub = made.json()["id"]
    assert platform.client.get("/api/v1/subscriptions", headers=other.headers).json() == []
    gone = platform.client.delete(f"/api/v1/subscriptions/{sub}", headers=other.headers)
    missing = platform.client.delete(f"/api/v1/subscriptions/{MISSING_ID}", headers=other.headers)
    assert (gone.status_code, gone.text) == (missing.status_code, missing.text) and gone.status_code == 404
    assert [s["id"] for s in platform.client.get("/api/v1/subscriptions", headers=owner.headers).json()] == [sub]
    platform.post("ts_nl", "/api/v1/fimi/incidents", {"incidents": [{
        "title": "SECTAG-fimi-4: a TOP SECRET claim about tanks", "first_seen": "2024-05-02",
        "targets": [{"name": "Poland"}]}], "marking": {"classification": "TOP_SECRET", "releasable_to": ["NL"]}})
    jobs = {}
    for path, body in [("/api/v1/reports/fimi", {"since": "2024-01-01", "until": "2024-12-31", "format": "html"}),
                       ("/api/v1/reports/commitments", {"as_of": "2025-12-31", "format": "html"}),
                       ("/api/v1/reports/threat-landscape", {"from": "2024-01-01", "to": "2024-12-31",
                                                             "format": "html"}),
                       ("/api/v1/reports/observatory", {"format": "html"})]:
        jobs[path] = platform.post("ts_nl", path, body, status=202)["id"]
    jobqueue.run_pending(platform.store, RUNNERS)
    for path, job_id in jobs.items():
        for url in (f"/api/v1/jobs/{job_id}", f"/api/v1/jobs/{job_id}/file"):
            theirs = platform.client.get(url, headers=other.headers)
            nobody = platform.client.get(url.replace(job_id, MISSING_ID), headers=other.headers)
            assert (theirs.status_code, theirs.text) == (nobody.status_code, nobody.text) == (404, theirs.text)
        status = platform.client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).json()
        assert status["status"] == "done", status
        assert Classification.parse(status["marking"]["classification"]) >= (
            Classification.TOP_SECRET if "fimi" in path else Classification.UNCLASSIFIED), status
    text = platform.client.get(f"/api/v1/jobs/{jobs['/api/v1/reports/fimi']}/file", headers=owner.headers).text
    assert "SECTAG-fimi-4" in text and EU_NAMES[Classification.TOP_SECRET] in text


def test_an_analysis_run_holds_only_what_its_caller_may_see(fresh_platform: Callable[..., Platform]) -> None:
    """A TOP SECRET user's analysis run (its clusters and surges carry its TOP SECRET input) is invisible to an
    UNCLASSIFIED user, surge by surge (404 like a missing one); the low user's own run over the same platform holds
    nothing it may not see."""
    target = fresh_platform()
    calm = [{"ref": f"calm-{k}", "title": f"Routine item {k} about fishing quotas {k}",
             "first_seen": f"2024-{1 + k % 12:02d}-15", "targets": [{"name": "Norway"}],
             "channels": [{"name": "paper"}], "languages": ["English"]} for k in range(24)]
    burst = [{"ref": f"burst-{k}", "title": f"Claim {k}: Lithuania prepares a provocation with tanks",
              "first_seen": f"2024-06-{10 + k % 4:02d}", "targets": [{"name": "Lithuania"}],
              "languages": [["Russian", "Lithuanian", "English"][k % 3]],
              "channels": [{"name": f"outlet {k % 7}", "category": "state-controlled-outlet"}],
              "techniques": ["T0022"], "evidence": [{"url": f"https://example.org/b{k}"}]} for k in range(10)]
    target.post("u_es", "/api/v1/fimi/incidents", {"incidents": calm + burst, "marking": {"tlp": "GREEN"}})
    target.post("ts_nl", "/api/v1/fimi/incidents", {"incidents": [{
        "ref": "ts", "title": "SECTAG-fimi-4: Lithuania prepares a provocation with secret drones",
        "first_seen": "2024-06-11", "targets": [{"name": "Lithuania"}], "languages": ["Russian"]}],
        "marking": {"classification": "TOP_SECRET", "releasable_to": ["NL"]}})
    period = {"since": "2024-01-01", "until": "2025-01-01", "clusters": 2}
    high = target.client.post("/api/v1/fimi/analyses", headers=target.users["ts_nl"].headers, json=period)
    assert high.status_code == 201 and high.json()["marking"]["classification"] == "TOP_SECRET", high.text
    surges = target.client.get("/api/v1/fimi/surges", headers=target.users["ts_nl"].headers).json()["items"]
    assert surges, "the TOP SECRET run found no surge"
    low = target.users["u_es"].headers
    assert target.client.get("/api/v1/fimi/surges", headers=low).json()["items"] == []
    assert target.client.get("/api/v1/fimi/clusters", headers=low).json()["items"] == []
    for surge in surges:
        for url in (f"/api/v1/fimi/surges/{surge['record_id']}", f"/api/v1/fimi/surges/{surge['record_id']}/response"):
            hidden = target.client.get(url, headers=low)
            missing = target.client.get(url.replace(surge["record_id"], MISSING_ID), headers=low)
            assert (hidden.status_code, hidden.text) == (missing.status_code, missing.text) == (404, hidden.text)
    ran = target.client.post("/api/v1/fimi/analyses", headers=low, json=period)
    assert ran.status_code == 201 and ran.json()["incidents"] == 34, ran.text
    texts = [ran.text] + [target.client.get(u, headers=low).text
                          for u in ("/api/v1/fimi/clusters?limit=1000", "/api/v1/fimi/surges?limit=1000")]
    assert "Lithuania" in texts[2]  # the low user's own run found the public surge
    for text in texts:
        assert "SECTAG" not in text and "TOP_SECRET" not in text, text[:500]


def test_decisions_and_avoidance_jobs_need_sight_of_the_conjunction(platform: Platform) -> None:
    """A decision on a tracked conjunction and an avoidance job on a conjunction are refused (404, the answer for a
    missing one) to every user who may not see it, and nothing is queued or recorded for them; a user who may see
    it gets the decision recorded under at least the event's marking (on a fresh platform: the shared one is
    read-only)."""
    event = next(i for i in platform.items if i.kind == "conjunction-event")
    conjunction = next(i for i in platform.items if i.kind == "conjunction")
    blind = [name for name in PEOPLE if name in {p.owner for p in platform.items} | set(PEOPLE)
             and event in platform.hidden_from(name)]
    assert blind, "some users may not see the SECRET sst conjunction"
    for name in blind:
        headers = platform.users[name].headers
        answer = platform.client.post(f"/api/v1/conjunction-events/{quote(event.id)}/decision", headers=headers,
                                      json={"decision": "accept", "note": "SECTAG probe"})
        assert answer.status_code == 404, (name, answer.text)
        answer = platform.client.post(f"/api/v1/conjunctions/{quote(conjunction.id)}/avoidance", headers=headers,
                                      json={})
        assert answer.status_code == 404, (name, answer.text)
    seen = platform.client.get(f"/api/v1/conjunction-events/{quote(event.id)}", headers=platform.users["s_fr"].headers)
    assert seen.status_code == 200 and seen.json()["decision"] is None  # no refused decision was recorded
