"""The standing adversarial suite's shared platform: six organisations in six countries, users from UNCLASSIFIED to
TOP SECRET with and without need-to-know communities, and the same kinds of items stored under markings from
UNCLASSIFIED to TOP SECRET with REL TO lists, need-to-know clauses and caveats.

Fixtures (see also /tmp/coord/COORDINATION.md):

``security_db_url`` (session, parametrised ``sqlite`` / ``postgresql``): a migrated database of the suite's own
(never wiped by the core tests' ``store`` fixture). PostgreSQL runs when ``KOMPAS_TEST_POSTGRES`` is set.

``platform`` (session): a :class:`Platform` seeded once per database kind through the API as the users would:
``platform.client`` (a TestClient, no rate limit to speak of, server exceptions become 500 answers),
``platform.store``, ``platform.users[name]`` (:class:`Person`: ``headers``, ``token``, ``viewer``, ``org``),
``platform.items`` (:class:`Seeded`: ``kind``, ``id``, ``marking``, ``tag``, ``owner``), and
``platform.hidden_from(name)`` / ``platform.visible_to(name)``. Every seeded item carries a unique ``tag`` text
(``SECTAG-<kind>-<n>``) in its title or content, so a test can search any answer for what must not be there.
Read-only: a test that writes must use ``fresh_platform`` (or tolerate other items).

``fresh_platform`` (function): ``fresh_platform(kind="sqlite")`` builds the same people (no items) on a new database
of that kind and returns a :class:`Platform`; ``new_database(kind)`` gives just a migrated URL.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kompas.core.db import make_engine
from kompas.core.markings import Marking, Viewer, may_see
from kompas.core.store import Store
from tests.core.conftest import fresh_database

os.environ.setdefault("KOMPAS_JOB_WORKER", "0")  # no report worker process unless a test starts one
os.environ.setdefault("KOMPAS_WEBHOOK_WORKER", "0")  # nor a webhook delivery worker

#: (code, country, kind)
ORGS = [("NL-NSO", "NL", "member-state"), ("FR-CNES", "FR", "agency"), ("DE-BSI", "DE", "member-state"),
        ("IT-ASI", "IT", "agency"), ("ES-CNI", "ES", "member-state"), ("PL-POLSA", "PL", "agency")]
#: (name, organisation, clearance, communities): every level, communities on some, two orgs at high clearance
#: without the communities or the country that some SECRET items need.
USERS = [("ts_nl", "NL-NSO", "TOP_SECRET", ["sst", "fimi"]),
         ("s_fr", "FR-CNES", "SECRET", ["sst"]),
         ("c_de", "DE-BSI", "CONFIDENTIAL", ["fimi"]),
         ("r_it", "IT-ASI", "RESTRICTED", []),
         ("u_es", "ES-CNI", "UNCLASSIFIED", []),
         ("s_pl", "PL-POLSA", "SECRET", []),
         ("ts_de", "DE-BSI", "TOP_SECRET", ["sst"]),
         ("s_nl", "NL-NSO", "SECRET", [])]
#: (contributor, marking as the API takes it): the contributor may see its own marking.
MARKINGS: list[tuple[str, dict]] = [
    ("u_es", {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}),
    ("r_it", {"classification": "RESTRICTED", "tlp": "GREEN"}),
    ("c_de", {"classification": "CONFIDENTIAL", "releasable_to": ["FR", "DE-BSI"], "caveats": ["EU ONLY"]}),
    ("s_fr", {"classification": "SECRET", "releasable_to": ["NL", "FR"], "communities": ["sst"]}),
    ("ts_nl", {"classification": "TOP_SECRET", "releasable_to": ["NL"], "communities": ["fimi"],
               "caveats": ["EYES ONLY"], "tlp": "RED"}),
    ("s_pl", {"classification": "SECRET", "releasable_to": ["PL"], "tlp": "AMBER+STRICT"}),
    ("c_de", {"classification": "RESTRICTED", "communities": ["fimi"]}),
]
SAMPLE_TLE = Path(str(files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle"))
IRIDIUM_COSMOS = (Path(__file__).resolve().parents[1] / "data" / "iridium33_cosmos2251_2009-02-09.tle").read_text()


@dataclass(frozen=True)
class Person:
    """A user of the seeded platform."""

    name: str
    org: str
    country: str
    clearance: str
    communities: tuple[str, ...]
    token: str
    viewer: Viewer

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self.token}


@dataclass(frozen=True)
class Seeded:
    """One stored item: its kind (document, elements, event, fimi-incident, commitment-note, conjunction, cdm,
    ephemeris, conjunction-event), id
    (the NORAD id for elements, the commitment id for notes), stored marking, unique tag text and contributor."""

    kind: str
    id: str
    marking: Marking
    tag: str
    owner: str


@dataclass
class Platform:
    """A platform of the suite: store, API client, people and seeded items (see the module docstring)."""

    url: str
    engine: Engine
    store: Store
    client: TestClient
    users: dict[str, Person] = field(default_factory=dict)
    items: list[Seeded] = field(default_factory=list)

    def visible_to(self, name: str) -> list[Seeded]:
        viewer = self.users[name].viewer
        return [i for i in self.items if may_see(viewer, i.marking)]

    def hidden_from(self, name: str) -> list[Seeded]:
        viewer = self.users[name].viewer
        return [i for i in self.items if not may_see(viewer, i.marking)]

    def post(self, who: str, path: str, body: dict, status: int = 201) -> dict:
        response = self.client.post(path, headers=self.users[who].headers, json=body)
        assert response.status_code == status, (path, response.status_code, response.text)
        return response.json()


def _people(store: Store) -> dict[str, Person]:
    countries = {code: country for code, country, _ in ORGS}
    for code, country, kind in ORGS:
        store.add_org(code, country, kind)
    people = {}
    for name, org, clearance, communities in USERS:
        token = store.add_user(name, org, clearance, communities)
        account = store.authenticate(token)
        assert account is not None
        people[name] = Person(name, org, countries[org], clearance, tuple(communities), token, account.viewer)
    return people


def build_platform(url: str) -> Platform:
    """The people of :data:`USERS` in the organisations of :data:`ORGS` on the migrated database ``url``."""
    from kompas.api.app import create_app

    engine = make_engine(url)
    store = Store(engine)
    client = TestClient(create_app(engine, rate_per_s=1e6, burst=1e6), raise_server_exceptions=False)
    platform = Platform(url, engine, store, client)
    platform.users = _people(store)
    return platform


def _tle_pairs() -> list[str]:
    """Three-line element sets of the sample, one text per object."""
    lines = SAMPLE_TLE.read_text().splitlines()
    return ["\n".join(lines[k:k + 3]) for k in range(0, len(lines) - 2, 3)]


def _oem(three_lines: str, name: str) -> str:
    """A small OEM (GCRF, UTC, 10 states a minute apart) of the object's SGP4 states, named ``name``."""
    import numpy as np

    from kompas.space import odm, tle
    from kompas.space.propagation import propagate_all, time_grid

    elset = tle.parse_tle(three_lines, "seed")[0][0]
    times = time_grid(elset.epoch_utc, elset.epoch_utc + np.timedelta64(540, "s"), 60.0)
    states = propagate_all([elset], times, "gcrs")
    message = odm.oem.Oem.from_states(name, elset.intl_designator, "GCRF", "UTC", times,
                                      np.hstack([states.position_km[0], states.velocity_km_s[0]]))
    return odm.write(message, "kvn")


def _seed_maritime(platform: Platform) -> None:
    """Under each marking, a vessel named with the tag stopped 2 h in the Gulf of Finland (a batch whose source is
    the tag too), and its owner's screening recorded: the stop is an event marked by that batch alone (issue 25)."""
    from datetime import UTC, datetime

    batches = []
    for n, (owner, spec) in enumerate(MARKINGS):
        person = platform.users[owner]
        marking = Marking.build(spec.get("classification", "UNCLASSIFIED"), spec.get("tlp", "AMBER"),
                                spec.get("releasable_to"), spec.get("communities", ()), person.org,
                                spec.get("caveats", ()))
        tag = f"SECTAG-maritime-{n}"
        rows = ["MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,Status"]
        for k in range(13):
            when = datetime.fromtimestamp(1735120000 + 86_400 * n + 600 * k, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            rows.append(f"{230000100 + n},{when},{59.7 + 0.01 * n},{25.0 + 0.0001 * k},0.1,90,90,{tag},1")
        done = platform.post(owner, "/api/v1/maritime/ais", {"text": "\n".join(rows) + "\n", "source": tag,
                                                             "marking": spec})
        assert done["stored_fixes"] == 13, done
        platform.items.append(Seeded("maritime", done["batches"][0]["id"], marking, tag, owner))
        batches.append(owner)
    for owner in dict.fromkeys(batches):
        screened = platform.post(owner, "/api/v1/maritime/screen", {"assets": "none", "record": True}, status=200)
        assert screened["recorded"] >= 1, screened


def _seed_intel(platform: Platform) -> None:
    """Under each marking, a graded report named with the tag, and its owner's assessment citing it, asked for
    UNCLASSIFIED // TLP:CLEAR but stored under the combination (the report's marking, TLP at least CLEAR), with a
    resolved key judgement and the tag as its team (so the scores name it) (issue 26)."""
    from kompas.core.markings import combine

    for n, (owner, spec) in enumerate(MARKINGS):
        person = platform.users[owner]
        marking = Marking.build(spec.get("classification", "UNCLASSIFIED"), spec.get("tlp", "AMBER"),
                                spec.get("releasable_to"), spec.get("communities", ()), person.org,
                                spec.get("caveats", ()))
        tag = f"SECTAG-intel-report-{n}"
        report = platform.post(owner, "/api/v1/intel/items", {"kind": "report", "marking": spec, "item": {
            "title": tag, "text": f"{tag} text", "reliability": "B", "credibility": "2", "source": "liaison",
            "date": "2025-01-02", "countries": ["FI"]}})
        platform.items.append(Seeded("intel", report["id"], marking, tag, owner))
        tag = f"SECTAG-intel-assessment-{n}"
        asked = {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}
        combined = combine([marking, Marking.build("UNCLASSIFIED", "CLEAR", originator=person.org)])
        assessment = platform.post(owner, "/api/v1/intel/items", {"kind": "assessment", "marking": asked, "item": {
            "title": tag, "product_line": "security-tests", "team": tag, "summary": f"{tag} summary",
            "date": "2025-01-03", "citations": [{"kind": "report", "id": report["id"]}],
            "key_judgements": [{"text": f"{tag} judgement", "likelihood": "likely", "confidence": "moderate",
                                "resolution_date": "2025-06-30", "criterion": "it happens"}]}})
        assert assessment["raised"] == (combined.key() != Marking.build("UNCLASSIFIED", "CLEAR",
                                                                        originator=person.org).key()), assessment
        assert assessment["marking"]["classification"] == marking.classification.name, assessment
        platform.post(owner, f"/api/v1/intel/items/{assessment['id']}/judgements/0",
                      {"happened": n % 2 == 0, "resolved_at": "2025-07-01"}, status=200)
        platform.items.append(Seeded("intel", assessment["id"], combined, tag, owner))


def _seed_mobility(platform: Platform) -> None:
    """Under each marking, a contribution to the gauge-test network (a place named with the tag, joined to Rukla by a
    road link named with it) and an incident naming the Kaunas – Rukla road, titled with the tag (issue 27): the
    mobility reads (network map, routes, stress tests with incidents, rankings) show each only to those who may see
    it."""
    import json

    from kompas.core.markings import combine

    for n, (owner, spec) in enumerate(MARKINGS):
        person = platform.users[owner]
        marking = Marking.build(spec.get("classification", "UNCLASSIFIED"), spec.get("tlp", "AMBER"),
                                spec.get("releasable_to"), spec.get("communities", ()), person.org,
                                spec.get("caveats", ()))
        tag = f"SECTAG-mobility-{n}"
        feature = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [24.40 + n / 100, 55.05]},
             "properties": {"kind": "place", "id": f"sec:{tag}", "name": tag, "country": "LT"}},
            {"type": "Feature", "geometry": None, "properties": {
                "kind": "link", "id": f"sec:{tag}-road", "u": "test:rukla", "v": f"sec:{tag}", "mode": "road",
                "length_km": 2.0, "name": f"{tag} road", "bridge": True, "mlc": 30}}]}
        done = platform.post(owner, "/api/v1/contributions", {
            "kind": "document", "format": "mobility", "title": tag, "content": json.dumps(feature), "marking": spec})
        assert done["accepted"] == 1 and not done["rejected"], done
        document_id = next(d["id"] for d in platform.client.get(
            "/api/v1/documents?limit=1000", headers=person.headers).json()["items"] if d["title"] == tag)
        platform.items.append(Seeded("document", document_id, marking, tag, owner))
        tag = f"SECTAG-mobility-incident-{n}"
        out = platform.post(owner, "/api/v1/mobility/incidents", {
            "assets": ["test:road-kaunas"], "time_utc": f"2026-05-0{1 + n % 5}T1{n}:00:00Z", "cause": "sabotage",
            "title": tag, "marking": spec})
        stored = combine([marking, Marking.from_dict(out["marking"])])
        platform.items.append(Seeded("mobility-event", out["id"], stored, tag, owner))


def _seed_forces(platform: Platform) -> None:
    """Under each marking, a forces register document (issue 28) of its owner's state (an organisation files for its
    own), edition 2026 for even markings and 2025 for odd ones, whose element, expert, pool and stock rows carry the
    tag in their names and notes: the overview, listings, force generation, gaps, trends and reviews show each only
    to those who may see it, under the combination of what they used. No document supersedes another: each marking
    is distinct."""
    import json

    country = {code: c for code, c, _ in ORGS}
    for n, (owner, spec) in enumerate(MARKINGS):
        person = platform.users[owner]
        marking = Marking.build(spec.get("classification", "UNCLASSIFIED"), spec.get("tlp", "AMBER"),
                                spec.get("releasable_to"), spec.get("communities", ()), person.org,
                                spec.get("caveats", ()))
        tag, nation = f"SECTAG-forces-{n}", country[person.org]
        doc = {"format": "kompas-forces/1", "edition": "2026" if n % 2 == 0 else "2025",
               "elements": [{"id": f"sec-{n}-inf", "nation": nation, "name": f"{tag} infantry",
                             "type": "infantry company", "component": "land", "strength": 100 + n,
                             "readiness_days": 5, "capabilities": {"infantry-company": 1, "utility-helicopter": 1},
                             "notes": tag}],
               "experts": [{"id": f"sec-{n}-x{k}", "nation": nation, "profile": "monitor", "languages": ["en"],
                            "notice_days": 3, "notes": tag} for k in range(2)],
               "pools": [{"id": f"sec-{n}-pool", "nation": nation, "capability": "infantry-company", "units": 3,
                          "unit_strength": 120, "notes": tag}],
               "stocks": [{"id": f"sec-{n}-stock", "nation": nation, "holder": f"{tag} depot", "item": "vehicle",
                           "category": "vehicles", "quantity": 10, "per_expert": 0.5, "notes": tag}]}
        out = platform.post(owner, "/api/v1/forces/contributions", {"content": json.dumps(doc), "marking": spec},
                            status=201)
        assert out["rejected"] == [], out
        platform.items.append(Seeded("document", out["id"], marking, tag, owner))


def _seed_isac(platform: Platform) -> None:
    """Under each marking, a Space ISAC report titled with the tag (issue 29), anonymous under even markings and
    pseudonymous under odd ones, naming the object its owner seeded under the same marking, at the time of the event
    seeded on that object: the listings, one report (its enrichment reads that object's element set and event),
    clusters, controls, exports, the TAXII collection and the map layer show each only to those who may see it."""
    tles = _tle_pairs()
    for n, (owner, spec) in enumerate(MARKINGS):
        person = platform.users[owner]
        marking = Marking.build(spec.get("classification", "UNCLASSIFIED"), spec.get("tlp", "AMBER"),
                                spec.get("releasable_to"), spec.get("communities", ()), person.org,
                                spec.get("caveats", ()))
        tag = f"SECTAG-isac-{n}"
        report = {"title": f"{tag} uplink jamming", "summary": f"{tag} summary", "interference": "jamming",
                  "start_utc": f"2026-05-0{1 + n % 5}T0{n}:00:00Z", "segment": "link", "band": "Ku",
                  "satellites": [{"norad_id": int(tles[2 * n].splitlines()[1][2:7])}],
                  "locations": [{"lat_deg": 48.0 + n / 10, "lon_deg": 16.0, "radius_km": 50}]}
        out = platform.post(owner, "/api/v1/isac/reports", {
            "reports": [report], "marking": spec, "pap": "AMBER",
            "disclosure": "anonymous" if n % 2 == 0 else "pseudonymous"})
        assert out["rejected"] == [] and len(out["added"]) == 1, out
        platform.items.append(Seeded("isac", out["added"][0], marking, tag, owner))


def seed(platform: Platform) -> None:
    """Store every kind of item under every marking of :data:`MARKINGS`, each with a unique tag."""
    from kompas.core.jobs import screen_catalogue

    tles = _tle_pairs()
    for n, (owner, spec) in enumerate(MARKINGS):
        person = platform.users[owner]
        marking = Marking.build(spec.get("classification", "UNCLASSIFIED"), spec.get("tlp", "AMBER"),
                                spec.get("releasable_to"), spec.get("communities", ()), person.org,
                                spec.get("caveats", ()))
        add = platform.items.append
        tag = f"SECTAG-document-{n}"
        done = platform.post(owner, "/api/v1/contributions", {
            "kind": "document", "format": "markdown", "title": f"{tag} assessment", "content": f"# {tag}\nbody\n",
            "marking": spec})
        document_id = next(d["id"] for d in platform.client.get(
            "/api/v1/documents?limit=1000", headers=person.headers).json()["items"] if tag in d["title"])
        add(Seeded("document", document_id, marking, tag, owner))
        tag = f"SECTAG-ephemeris-{n}"
        norad = int(tles[2 * n].splitlines()[1][2:7])
        done = platform.post(owner, "/api/v1/contributions", {
            "kind": "ephemeris", "format": "oem-kvn", "content": _oem(tles[2 * n], tag), "marking": spec,
            "norad_id": norad})
        assert done["accepted"] == 1, done
        ephemeris_id = next(e["id"] for e in platform.client.get(
            "/api/v1/ephemerides?limit=1000", headers=person.headers).json()["items"] if e["object_name"] == tag)
        add(Seeded("ephemeris", ephemeris_id, marking, tag, owner))
        # two objects of the sample renamed with the tag: the name is what /objects and /picture show
        for k in (2 * n, 2 * n + 1):
            name_line, line1, line2 = tles[k].splitlines()
            tag = f"SECTAG-elements-{n}-{k}"
            platform.post(owner, "/api/v1/contributions", {
                "kind": "elements", "format": "tle", "content": f"{tag}\n{line1}\n{line2}\n", "marking": spec})
            add(Seeded("elements", str(int(line1[2:7])), marking, tag, owner))
        tag = f"SECTAG-event-{n}"
        norad = int(tles[2 * n].splitlines()[1][2:7])
        event_id = platform.store.add_event("manoeuvre", f"2026-05-0{1 + n % 5}T0{n}:00:00.000000000Z", [norad],
                                            f"{tag} manoeuvre", marking, {"note": tag})
        add(Seeded("event", event_id, marking, tag, owner))
        tag = f"SECTAG-fimi-{n}"
        out = platform.post(owner, "/api/v1/fimi/incidents", {"incidents": [{
            "ref": f"sec-{n}", "title": f"{tag}: Claim {n} about a provocation in country {n}",
            "first_seen": f"2024-05-{n + 1:02d}", "targets": [{"name": f"Target{n}land"}],
            "languages": ["Russian"], "channels": [{"name": f"outlet {tag}", "category": "state-controlled-outlet"}],
            "techniques": ["T0022"], "evidence": [{"url": f"https://example.org/{tag}"}]}], "marking": spec})
        assert out["added"] == 1, out
        add(Seeded("fimi-incident", out["ids"][0], marking, tag, owner))
        tag = f"SECTAG-note-{n}"
        platform.post(owner, "/api/v1/commitments/SP-010/status", {
            "status": "in_progress", "evidence": f"{tag} evidence", "as_of": f"2025-0{1 + n}-15", "marking": spec})
        add(Seeded("commitment-note", "SP-010", marking, tag, owner))
    _seed_maritime(platform)
    _seed_intel(platform)
    _seed_mobility(platform)
    _seed_forces(platform)
    _seed_isac(platform)
    # a conjunction derived from a SECRET REL TO NL,FR NTK sst object and an UNCLASSIFIED one: carries both
    text = IRIDIUM_COSMOS.splitlines()
    iridium = "\n".join(line for line in text if "24946" in line or line.startswith("IRIDIUM"))
    cosmos = "\n".join(line for line in text if "22675" in line or line.startswith("COSMOS"))
    platform.post("s_fr", "/api/v1/contributions", {"kind": "elements", "format": "tle", "content": iridium,
                                                   "marking": MARKINGS[3][1]})
    platform.post("u_es", "/api/v1/contributions", {"kind": "elements", "format": "tle", "content": cosmos,
                                                   "marking": MARKINGS[0][1]})
    import numpy as np

    ids = screen_catalogue(platform.store, np.datetime64("2009-02-10T16:00:00", "ns"), days=1 / 24,
                           threshold_km=5.0, primaries={24946, 22675})
    assert ids, "the seeded conjunction was not found"
    # the SECRET REL TO NL, FR need-to-know sst marking (s_fr's): the conjunction's combined marking is at least it
    secret = next(i.marking for i in platform.items if i.kind == "document" and i.owner == "s_fr")
    for conjunction_id in ids:
        platform.items.append(Seeded("conjunction", conjunction_id, secret, conjunction_id, "s_fr"))
    # each encounter is tracked as a conjunction event marked like its updates (issue 21)
    events = platform.client.get("/api/v1/conjunction-events?limit=1000", headers=platform.users["s_fr"].headers)
    assert events.status_code == 200 and events.json()["items"], events.text
    for event in events.json()["items"]:
        platform.items.append(Seeded("conjunction-event", event["id"], secret, event["id"], "s_fr"))
    # the derived CDM, contributed again under each marking with the tag as its message id
    derived = platform.client.get(f"/api/v1/conjunctions/{ids[0]}/cdm", headers=platform.users["s_fr"].headers)
    assert derived.status_code == 200, derived.text
    for n, (owner, spec) in enumerate(MARKINGS):
        tag = f"SECTAG-cdm-{n}"
        text = re.sub(r"(?m)^MESSAGE_ID\s*=.*$", f"MESSAGE_ID = {tag}", derived.text)
        # the contributor's copy does not name the platform's tracked event (its id is the SECRET event's tag)
        text = re.sub(r"(?m)^(CONJUNCTION_ID|PREVIOUS_MESSAGE_ID|PREVIOUS_MESSAGE_EPOCH)\s*=.*\n", "", text)
        done = platform.post(owner, "/api/v1/contributions", {"kind": "cdm", "format": "cdm-kvn", "content": text,
                                                             "marking": spec})
        assert done["accepted"] == 1, done
        marking = next(i.marking for i in platform.items if i.tag == f"SECTAG-document-{n}")
        cdm_id = next(c["id"] for c in platform.client.get(
            "/api/v1/cdms?limit=1000", headers=platform.users[owner].headers).json()["items"]
            if tag in json.dumps(c))
        platform.items.append(Seeded("cdm", cdm_id, marking, tag, owner))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def security_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database of the suite's own, per kind (PostgreSQL when KOMPAS_TEST_POSTGRES is set)."""
    yield from fresh_database(request.param, tmp_path_factory, "security")


@pytest.fixture(scope="session")
def platform(security_db_url: str) -> Iterator[Platform]:
    """The seeded platform (read-only for tests; see the module docstring)."""
    made = build_platform(security_db_url)
    seed(made)
    yield made
    made.engine.dispose()


@pytest.fixture
def new_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """``new_database(kind)``: a new migrated database of ``kind`` ("sqlite" or "postgresql"), dropped afterwards."""
    made: list[Iterator[str]] = []

    def make(kind: str = "sqlite") -> str:
        generator = fresh_database(kind, tmp_path_factory, "secfresh")
        made.append(generator)
        return next(generator)

    yield make
    for generator in made:
        for _ in generator:  # runs the generator's clean-up
            pass


@pytest.fixture
def fresh_platform(new_database: Callable[[str], str]) -> Iterator[Callable[..., Platform]]:
    """``fresh_platform(kind="sqlite")``: the people of :data:`USERS` (no items) on a new database."""
    built: list[Platform] = []

    def make(kind: str = "sqlite") -> Platform:
        made = build_platform(new_database(kind))
        built.append(made)
        return made

    yield make
    for made in built:
        made.engine.dispose()
