"""The Space ISAC on the platform (issue 29), through the service, on SQLite and PostgreSQL:

- anonymity (hypothesis): for any report (any marking a member may give, any disclosure), any "seen it too" by a
  third member and any viewer of another organisation, no answer the viewer can get (listing, one report with its
  enrichment, clusters, controls, STIX and MISP exports, the report's event, the TAXII collection, the map layer)
  contains the reporter's organisation code or user name unless the report is named, nor the seer's code (unless the
  reporter's own marking names it); and the report reaches exactly the viewers the access rule (``may_see``) allows;
- enrichment at read time from the element sets the viewer may see: Iridium 33 and Cosmos 2251 at their 2009
  collision (real element sets, tests/data), Cosmos contributed SECRET for a community: its member sees Cosmos as a
  neighbour at the distance the reference ``sgp4`` code gives (to 1e-3 km: distances are given to the metre) and a
  SECRET enrichment, a reader outside the community sees no neighbour and an enrichment under the public marking
  only;
- reporting: per-record rejections (source, item, field, reason), the good records stored; a record may not name
  another reporter; the platform gives the pseudonym; a re-share of the same id replaces its copy; a SPARTA id the
  vocabulary does not hold is left out with a warning; free text naming the reporter of an anonymous report is
  warned about; "seen it too" rules;
- an exercise context: a report made in an exercise is that exercise's (EXERCISE caveat) and never reaches the
  real world.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from kompas.core.markings import Classification, Marking, MarkingError, Viewer, may_see
from kompas.core.store import Store, StoreError
from kompas.isac.model import DISCLOSURES
from kompas.services import isac as service
from kompas.services import taxii
from kompas.times import now_text_ns, parse_time_utc, utc_text_ns
from tests.core import conftest as databases
from tests.core.strategies import COMMUNITIES, ORGS, markings, viewers

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

IRIDIUM_COSMOS = Path(__file__).resolve().parents[1] / "data" / "iridium33_cosmos2251_2009-02-09.tle"
TCA = "2009-02-10T16:55:59Z"  # Iridium 33 and Cosmos 2251 collided at 16:56 UTC (their last public sets)


def _report(title: str, start: str, **extra: object) -> dict:
    return {"title": title, "start_utc": start, "interference": "jamming", "segment": "link", **extra}


# --- anonymity and sight, for any report and viewer (hypothesis) -----------------------------------------------------

USER = {org: f"rep{k}x{org.lower().replace('-', '')}" for k, org in enumerate(sorted(ORGS))}  #: digits: no text has it
SAFE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30).filter(str.strip)


def _people(s: Store) -> dict[str, object]:
    """One user per organisation of the strategies' world, cleared TOP SECRET in every community (so any marking the
    strategies draw, but an exercise's, is one they may give); made once per database and kept."""
    if s.account(USER["NL-NSO"]) is None:
        for org, country in ORGS.items():
            s.add_org(org, country)
            s.add_user(USER[org], org, "TOP_SECRET", COMMUNITIES)
    return {org: s.account(name) for org, name in USER.items()}


def _clear_isac(s: Store) -> None:
    from kompas.core.models import EventObject, EventRecord, IsacReportObject, IsacReportRecord, IsacSeenRecord

    with s.engine.begin() as connection:
        for table in (IsacSeenRecord, IsacReportObject, IsacReportRecord):
            connection.execute(delete(table))
        ids = connection.execute(text("SELECT id FROM events WHERE domain = 'isac'")).scalars().all()
        if ids:
            connection.execute(delete(EventObject).where(EventObject.event_id.in_(ids)))
            connection.execute(delete(EventRecord).where(EventRecord.id.in_(ids)))


def _answers(s: Store, viewer: Viewer, report_id: str, start: str) -> str:
    """Everything ``viewer`` can be answered about the Space ISAC, as one JSON text."""
    day = np.timedelta64(1, "D")
    when = parse_time_utc(start)
    out: dict[str, object] = {
        "listing": service.listing(s, viewer),
        "one": service.one(s, viewer, report_id),
        "clusters": service.clusters(s, viewer, utc_text_ns(when - day), utc_text_ns(when + day), singletons=True),
        "controls": service.controls(s, viewer, report_id),
        "stix": service.export(s, viewer, report_id, "stix"),
        "misp": service.export(s, viewer, report_id, "misp"),
        "events": s.events(viewer, domain="isac").items,
        "layer": service.layer(s, viewer, service.LayerParameters()),
    }
    collection = taxii.find(viewer, taxii.collection_id("isac"))
    assert collection is not None
    out["taxii"] = [o for o, _ in taxii.page(s, viewer, collection).objects]
    return json.dumps(out, default=lambda m: m.as_dict())



@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(marking=Marking(), disclosure="anonymous", reporter="NL-NSO", seer="DE-GSSAC",  # seen by all, named by none
         viewer=Viewer(Classification.RESTRICTED, "FR-CNES", "FR"), title="jamming", summary="uplink", hours_ago=3)
@example(marking=Marking.build("SECRET", "RED", ["FR", "IT-ASI"], ["sst"], "NL-NSO"), disclosure="pseudonymous",
         reporter="NL-NSO", seer="IT-ASI", viewer=Viewer(Classification.SECRET, "IT-ASI", "IT", frozenset({"sst"})),
         title="spoofing", summary="gnss", hours_ago=30)
@example(marking=Marking(), disclosure="named", reporter="EU-SATCEN", seer="NL-DEF",
         viewer=Viewer(Classification.UNCLASSIFIED, "NL-NSO", "NL"), title="laser", summary="dazzle", hours_ago=1)
@given(marking=markings.filter(lambda m: m.exercise is None), disclosure=st.sampled_from(DISCLOSURES),
       reporter=st.sampled_from(sorted(ORGS)), seer=st.sampled_from(sorted(ORGS)), viewer=viewers(),
       title=SAFE_TEXT, summary=SAFE_TEXT, hours_ago=st.integers(1, 24 * 20))
def test_no_answer_names_an_undisclosed_reporter_and_each_reaches_exactly_who_may_see_it(
        engine, marking, disclosure, reporter, seer, viewer, title, summary, hours_ago) -> None:
    s = Store(engine)
    people = _people(s)
    _clear_isac(s)
    viewer = replace(viewer, exercise=None)  # exercises: tested below
    start = utc_text_ns(parse_time_utc(now_text_ns()) - np.timedelta64(hours_ago, "h"))
    record = _report(title, start, summary=summary, band="Ku", disclosure=disclosure,
                     locations=[{"lat_deg": 48.2, "lon_deg": 16.4, "radius_km": 50}],
                     satellites=[{"norad_id": 42967, "name": "ses"}], sparta_ids=["EX-0016"])
    author = people[reporter]
    given_marking = {k: v for k, v in marking.as_dict().items() if k != "banner"}
    done = service.report(s, author, json.dumps({"reports": [record | {"marking": given_marking}]}), "api")
    assert done.rejected == [] and len(done.added) == 1, done.as_dict()
    report_id = done.added[0]
    stored = s.isac_report(None, report_id)
    assert stored is not None and stored.org == reporter
    if seer != reporter and may_see(people[seer].viewer, stored.marking):
        assert service.seen(s, people[seer], report_id, "seen over vienna") is not None
    answer = _answers(s, viewer, report_id, start)
    visible = may_see(viewer, stored.marking)
    listed = json.loads(answer)["listing"]["items"]
    assert [i["id"] for i in listed] == ([report_id] if visible else [])  # exactly who the rule allows
    assert (json.loads(answer)["one"] is not None) == visible
    if viewer.org != reporter:
        if disclosure != "named":
            assert reporter not in answer, "the reporter's organisation reached another organisation"
        assert USER[reporter] not in answer and "api#" not in answer  # never the user, never the source
    named_by_reporter = set(marking.originators) | set(marking.releasable_to or ())
    if viewer.org != seer and seer not in named_by_reporter and (disclosure != "named" or seer != reporter):
        assert seer not in answer, "the seer's organisation reached another organisation"
    if visible and viewer.org != reporter and disclosure == "pseudonymous":
        assert done.pseudonym and done.pseudonym in answer


# --- enrichment from what the viewer may see ---------------------------------------------------------------------


def test_enrichment_uses_only_the_element_sets_the_viewer_may_see(store: Store) -> None:
    from sgp4.api import Satrec

    store.add_org("OP-IRIDIUM", "US", "operator")
    store.add_org("DE-GSSAC", "DE")
    store.add_org("FR-CNES", "FR", "agency")
    store.add_user("iridium1", "OP-IRIDIUM", "RESTRICTED")
    store.add_user("gssac1", "DE-GSSAC", "SECRET", ["sst"])
    store.add_user("cnes1", "FR-CNES", "SECRET")
    ops, de, fr = store.account("iridium1"), store.account("gssac1"), store.account("cnes1")
    lines = IRIDIUM_COSMOS.read_text().splitlines()
    iridium, cosmos = "\n".join(lines[:3]) + "\n", "\n".join(lines[3:]) + "\n"
    store.contribute_elements(ops, iridium, "tle", Marking.build(tlp="GREEN"), "iridium")
    secret = Marking.build("SECRET", "AMBER", None, ["sst"], "DE-GSSAC")
    store.contribute_elements(de, cosmos, "tle", secret, "cosmos")
    done = service.report(store, ops, json.dumps(_report(
        "Loss of Iridium 33", TCA, interference="kinetic", segment="space",
        satellites=[{"norad_id": 24946, "name": "IRIDIUM 33"}])), "api", marking=Marking.build(tlp="AMBER"))
    [report_id] = done.added
    cleared = service.one(store, de.viewer, report_id)
    outside = service.one(store, fr.viewer, report_id)
    assert cleared is not None and outside is not None
    [mine] = cleared["enrichment"]["objects"]
    [theirs] = outside["enrichment"]["objects"]
    assert mine["before_epoch_utc"].startswith("2009-02-09T18:49:39") and mine["after_epoch_utc"] is None
    assert mine["regime"] == "LEO" and theirs["regime"] == "LEO"
    [neighbour] = mine["neighbours"]
    assert neighbour["norad_id"] == 22675 and neighbour["marking"]["classification"] == "SECRET"
    # the distance against the reference sgp4 code (TEME, km), to 1e-3 km (the answer gives metres)
    when = parse_time_utc(TCA)
    jd, fraction = 2440587.5 + int(when.astype("datetime64[D]").astype(int)), (
        (when - when.astype("datetime64[D]")) / np.timedelta64(1, "D"))
    positions = []
    for first, second in ((lines[1], lines[2]), (lines[4], lines[5])):
        error, r, _ = Satrec.twoline2rv(first, second).sgp4(jd, fraction)
        assert error == 0
        positions.append(np.array(r))
    assert neighbour["distance_km"] == pytest.approx(float(np.linalg.norm(positions[0] - positions[1])), abs=1e-3)
    assert neighbour["distance_km"] < 50
    assert Marking.from_dict(cleared["enrichment"]["marking"]).classification == Classification.SECRET
    assert theirs["neighbours"] == [] and "COSMOS" not in json.dumps(outside)
    assert Marking.from_dict(outside["enrichment"]["marking"]).classification == Classification.UNCLASSIFIED
    assert Marking.from_dict(outside["answer_marking"]).classification == Classification.UNCLASSIFIED
    assert Marking.from_dict(cleared["answer_marking"]).classification == Classification.SECRET


def test_obfuscated_ids_and_reports_without_objects_are_not_enriched(store: Store) -> None:
    store.add_org("OP-SAT", "LU", "operator")
    store.add_user("opsat1", "OP-SAT", "RESTRICTED")
    ops = store.account("opsat1")
    done = service.report(store, ops, json.dumps([
        _report("Obfuscated", TCA, satellites=[{"norad_id": 24946}], norad_ids_obfuscated=True),
        _report("No object", TCA)]), "api")
    notes = [service.one(store, ops.viewer, i)["enrichment"] for i in done.added]
    assert notes[0]["objects"] == [] and "obfuscated" in notes[0]["notes"][0]
    assert notes[1]["objects"] == [] and "no NORAD id" in notes[1]["notes"][0]
    # the obfuscated ids name other, real objects: the event names none of them
    events = {e["title"]: e for e in store.events(ops.viewer, domain="isac").items}
    assert events["Obfuscated"]["norad_ids"] == []


# --- reporting ----------------------------------------------------------------------------------------------------


def test_bad_records_are_named_and_the_good_ones_shared(store: Store) -> None:
    store.add_org("OP-SAT", "LU", "operator")
    store.add_org("DE-GSSAC", "DE")
    store.add_user("opsat1", "OP-SAT", "RESTRICTED", ["space-isac"])
    ops = store.account("opsat1")
    records = [
        _report("Good one", "2026-05-05T10:00:00Z", disclosure="pseudonymous", pseudonym="made-up",
                summary="op-sat saw it first", sparta_ids=["EX-0016", "EX-9999"]),
        {"title": "No start", "interference": "jamming"},
        _report("Another's", "2026-05-05T10:00:00Z", reporter="DE-GSSAC"),
        _report("Too secret", "2026-05-05T10:00:00Z", marking={"classification": "SECRET", "tlp": "AMBER"}),
        _report("Bad place", "2026-05-05T10:00:00Z", locations=[{"lat_deg": 95, "lon_deg": 0}]),
        _report("Bad TLP", "2026-05-05T10:00:00Z", tlp="PURPLE"),
    ]
    done = service.report(store, ops, json.dumps({"reports": records}), "upload.json")
    assert len(done.added) == 1
    assert [(r.line, r.field) for r in done.rejected] == [(2, "start_utc"), (3, "reporter"), (4, "marking"),
                                                         (5, "locations[0].lat_deg"), (6, "tlp")]
    assert all(r.source == "upload.json" for r in done.rejected)
    fields = {w.field for w in done.warnings}
    assert {"pseudonym", "summary"} <= fields  # the platform's pseudonym is used; the summary names the reporter
    stored = store.isac_report(None, done.added[0])
    assert stored is not None and stored.pseudonym == done.pseudonym != "made-up"
    if service.reference().vocabulary is not None:  # SPARTA from ../shared: an id it does not hold is left out
        assert stored.body["sparta_ids"] == ["EX-0016"] and "sparta_ids[1]" in fields
    else:  # without it, ids are checked on their form only, and the answer says so
        assert stored.body["sparta_ids"] == ["EX-0016", "EX-9999"] and any("SPARTA" in n for n in done.notes)
    assert stored.marking.originators == {"OP-SAT"}
    # the same report shared again (same id) replaces its copy; a JSON that is not a report is one rejection
    again = service.report(store, ops, json.dumps({"reports": records[:1]}), "upload.json")
    assert again.replaced == done.added and again.added == []
    assert service.report(store, ops, "[1, 2", "x.json", "json").rejected[0].reason.startswith("not JSON")
    with pytest.raises(StoreError, match="at most"):
        service.report(store, ops, json.dumps([records[0]] * (service.MAX_REPORTS + 1)), "big.json")
    with pytest.raises(MarkingError):
        service.report(store, ops, json.dumps(records[0]), "x", marking=Marking.build("SECRET"))
    with pytest.raises(StoreError, match="disclosure"):
        service.report(store, ops, json.dumps(records[0]), "x", disclosure="whispered")


def test_seen_it_too(store: Store) -> None:
    store.add_org("OP-SAT", "LU", "operator")
    store.add_org("DE-GSSAC", "DE")
    store.add_org("PL-POLSA", "PL", "agency")
    for name, org in (("opsat1", "OP-SAT"), ("gssac1", "DE-GSSAC"), ("polsa1", "PL-POLSA")):
        store.add_user(name, org, "SECRET")
    ops, de, pl = (store.account(n) for n in ("opsat1", "gssac1", "polsa1"))
    marking = Marking.build("RESTRICTED", "AMBER", ["DE"], originator="OP-SAT")
    [report_id] = service.report(store, ops, json.dumps(_report("Ku jamming", "2026-05-05T10:00:00Z")), "api",
                                 marking=marking).added
    with pytest.raises(StoreError, match="your organisation"):
        service.seen(store, ops, report_id)
    assert service.seen(store, pl, report_id) is None  # PL may not see it: the same as a missing report
    done = service.seen(store, de, report_id, "uplink lost 10:05 to 10:40 UTC")
    assert done is not None and done["seen"]["by"] == "DE-GSSAC" and done["seen_count"] == 1
    shown = service.one(store, ops.viewer, report_id, enrich=False)
    [note] = shown["seen"]
    assert note["by"].startswith("member-") and "DE-GSSAC" not in json.dumps(shown)
    assert note["marking"]["classification"] == "RESTRICTED"  # the report's, combined with the seer's default
    with pytest.raises(StoreError, match="characters"):
        service.seen(store, de, report_id, "x" * (service.MAX_NOTE + 1))
    again = service.seen(store, de, report_id, "and again at 12:00")
    assert again is not None and again["seen_count"] == 1  # one note per organisation, replaced


def test_an_exercise_report_stays_in_its_exercise(store: Store) -> None:
    store.add_org("OP-SAT", "LU", "operator")
    store.add_org("DE-GSSAC", "DE")
    store.add_user("opsat1", "OP-SAT", "RESTRICTED")
    store.add_user("gssac1", "DE-GSSAC", "RESTRICTED")
    store.add_exercise("SPX-26", "Space exercise", ["OP-SAT", "DE-GSSAC"])
    ops = store.in_exercise(store.account("opsat1"), "SPX-26")
    de = store.account("gssac1")
    [report_id] = service.report(store, ops, json.dumps(_report("Exercise jamming", "2026-05-05T10:00:00Z")),
                                 "api").added
    stored = store.isac_report(None, report_id)
    assert stored is None  # the system's real-world view does not hold it
    assert service.listing(store, de.viewer)["items"] == []
    assert store.events(de.viewer, domain="isac").items == []
    inside = service.listing(store, store.in_exercise(de, "SPX-26").viewer)
    [item] = inside["items"]
    assert item["marking"]["banner"].startswith("EXERCISE EXERCISE EXERCISE")
    bundle, marking = service.export(store, store.in_exercise(de, "SPX-26").viewer, report_id, "stix")
    assert marking.exercise == "SPX-26" and "EXERCISE SPX-26" in json.dumps(bundle)
