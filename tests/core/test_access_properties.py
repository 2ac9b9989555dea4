"""Property tests: the storage layer never returns, counts or pages anything the access rule forbids.

Random worlds of markings, items (element sets, conjunctions derived from them, events, documents, FIMI incidents
and the clusters and surges of an analysis run over them) and viewers are written
to a real database (SQLite, and PostgreSQL when configured). For each viewer:

- every query path returns exactly the items :func:`~kompas.core.markings.may_see` allows;
- non-interference: every answer (items, counts, page boundaries, cursors, "not found") is identical to the
  answer from the same database after deleting everything the viewer may not see, so hidden items cannot be
  inferred from anything the viewer gets back.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kompas.core import incidents as fimi
from kompas.core.access import AccessError, marked_tables
from kompas.core.markings import Classification, Marking, Viewer, combine, may_see
from kompas.core.models import (
    CDMRecord,
    ConjunctionRecord,
    Contribution,
    DocumentRecord,
    ElementSetRecord,
    EventObject,
    EventRecord,
    FimiClusterRecord,
    FimiIncidentRecord,
    FimiIncidentTag,
    FimiSurgeRecord,
)
from kompas.core.store import Store
from kompas.fimi.incident import Incident, Target
from kompas.space.elements import ElementSet
from kompas.space.screening import Conjunction
from tests.core.conftest import wipe
from tests.core.strategies import EXERCISE, markings, real_markings, viewers

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
EPOCH = np.datetime64("2026-05-05T00:00:00", "ns")
OBJECTS = [25544, 48274, 20580, 43013]
TARGETS = ["Germany", "Poland"]
MARKED = sorted(marked_tables(), key=lambda table: table.__tablename__)  # every table users can be shown
PCS = [None, 1e-4, 1e-4, 0.0, 3e-7]


def _elset(norad_id: int, hours: int) -> ElementSet:
    return ElementSet(norad_id, EPOCH + np.timedelta64(hours, "h"), 15.5, 0.0005, 51.6, 10.0, 20.0, 30.0,
                      name=f"OBJECT {norad_id}")


def _conjunction(a: int, b: int, minute: int) -> Conjunction:
    tca = EPOCH + np.timedelta64(minute, "m")
    return Conjunction(primary_id=min(a, b), secondary_id=max(a, b), primary_name="", secondary_name="",
                       tca_utc=tca, miss_km=1.0 + minute / 100, v_rel_km_s=10.0, rtn_km=(0.1, 0.2, 0.3),
                       rtn_velocity_km_s=(0.0, 10.0, 0.0), primary_state=(0,) * 6, secondary_state=(0,) * 6)


@st.composite
def worlds(draw: st.DrawFn) -> dict:
    """Element sets (object, hour, marking), conjunctions between objects and events, each randomly marked."""
    elsets = draw(st.lists(st.tuples(st.sampled_from(OBJECTS), st.integers(0, 48), markings), max_size=10,
                           unique_by=lambda t: (t[0], t[1])))
    events = draw(st.lists(st.tuples(st.sampled_from(["manoeuvre", "breakup", "reentry"]), st.integers(0, 9),
                                     st.lists(st.sampled_from(OBJECTS), min_size=1, max_size=2), markings),
                           max_size=8))
    documents = draw(st.lists(st.tuples(st.integers(1, 9), markings), max_size=5))
    incidents = draw(st.lists(st.tuples(st.integers(1, 9), st.sampled_from(TARGETS), markings), max_size=8))
    return {"elsets": elsets, "events": events, "documents": documents, "incidents": incidents,
            "page": draw(st.integers(1, 4))}


def build(store: Store, world: dict) -> None:
    """Write a world through the store, as contributors and the screening engine would."""
    wipe(store.engine)
    store.add_org("NL-NSO", "NL")
    user_id = store.authenticate(store.add_user("loader", "NL-NSO", "TOP_SECRET")).user_id
    for norad_id, hours, marking in world["elsets"]:
        store.store_element_sets(user_id, "tle", "property-test", [_elset(norad_id, hours)], [], marking)
    latest = store.latest_element_sets(None)
    by_object = {e.norad_id: (rid, mid) for rid, e, mid in latest}
    objects = sorted(by_object)
    pairs = [(a, b) for i, a in enumerate(objects) for b in objects[i + 1:]]
    conjunctions = [_conjunction(a, b, k) for k, (a, b) in enumerate(pairs)]
    pcs = [(PCS[k % len(PCS)], None) for k in range(len(conjunctions))]  # ties and conjunctions without a Pc
    store.store_conjunctions(conjunctions, {n: rid for n, (rid, _) in by_object.items()},
                             {n: mid for n, (_, mid) in by_object.items()}, pcs)
    for kind, day, norad_ids, marking in world["events"]:
        store.add_event(kind, f"2026-05-0{day}T00:00:00.000000000Z", norad_ids, f"{kind} of {norad_ids}", marking)
    for day, marking in world["documents"]:
        with store.session(None) as s:
            mid = store.marking_id(s, marking)
            contribution = store._contribution(s, user_id, "document", "text", "property-test", 1, [], mid)
            s.add(DocumentRecord(contribution_id=contribution.id, title=f"assessment {day}", media_type="text/plain",
                                 created_utc=f"2026-05-0{day}T00:00:00.000000000Z", content="text", marking_id=mid))
    stored = []  # FIMI incidents, then one analysis run: a cluster and a surge per target over its incidents
    for number, (day, target, marking) in enumerate(world["incidents"]):
        incident = Incident(f"case-{number}", "api", f"claim number {number} about {target}", f"2026-05-0{day}",
                            targets=[Target(target)])
        done = fimi.store_incidents(store, user_id, "loader", [incident], [], "json", "property-test", marking)
        stored.append((done.ids[0], target, f"2026-05-0{day}", marking))
    clusters, surges = [], []
    for number, target in enumerate(TARGETS):
        members = [(i, d) for i, t, d, _ in stored if t == target]
        if members:
            ids = [i for i, _ in members]
            clusters.append({"id": number, "label": target, "size": len(ids), "incident_ids": ids})
            surges.append({"cluster_id": number, "label": target,
                           "start_utc": min(d for _, d in members) + "T00:00:00Z", "end_utc": "2026-05-10T00:00:00Z",
                           "incident_ids": ids, "outlets": [], "languages": []})
    if stored:  # a run marked with the combination of every incident it read
        fimi.save_run(store, "6f1c2d3e-0000-4000-8000-000000000001", "2026-05-01", "2026-05-10", clusters, surges,
                      combine(m for _, _, _, m in stored))


def answers(store: Store, viewer: Viewer, page: int) -> dict:
    """Everything a viewer can ask, walking every page; the item ids are left out (they are compared apart)."""
    out: dict = {}

    def walk(listing, **filters) -> list:  # noqa: ANN001 (a Store method)
        pages, after = [], None
        while True:
            got = listing(viewer, after=after, limit=page, **filters)
            pages.append(([{k: v for k, v in item.items() if k != "id"} for item in got.items], got.next,
                          got.total))
            if got.next is None:
                return pages
            after = got.next

    for sort in ("norad_id", "-norad_id", "name", "epoch", "-epoch"):
        out[f"objects {sort}"] = walk(store.objects, sort=sort)
    out["objects_named"] = walk(store.objects, name="OBJECT 2")
    out["objects_q"] = walk(store.objects, q="object 4", sort="-epoch")
    for sort in ("-pc", "pc", "tca", "-tca", "miss", "-miss"):
        out[f"conjunctions {sort}"] = [(i, _cursor_time(n), t) for i, n, t in walk(store.conjunctions, sort=sort)]
    out["conjunctions_25544"] = [(i, _cursor_time(n), t) for i, n, t in walk(store.conjunctions, norad_id=25544)]
    out["conjunctions_named"] = [(i, _cursor_time(n), t) for i, n, t in walk(store.conjunctions, sort="-pc",
                                                                               obj="object 2")]
    out["conjunctions_pc"] = [(i, _cursor_time(n), t) for i, n, t in walk(store.conjunctions, min_pc=1e-5,
                                                                            hide_related=True)]
    for sort in ("time", "-time", "-severity"):
        out[f"events {sort}"] = [(items, _cursor_time(nxt), t) for items, nxt, t in walk(store.events, sort=sort)]
    out["events_kind"] = [(i, _cursor_time(n), t) for i, n, t in walk(store.events, kind="manoeuvre",
                                                                        norad_id=25544)]
    out["events_q"] = [(i, _cursor_time(n), t) for i, n, t in walk(store.events, q="breakup 2", sort="-time")]
    out["documents"] = [(items, _cursor_time(nxt), t) for items, nxt, t in walk(store.documents)]
    for sort in ("first_seen", "-first_seen"):
        out[f"fimi {sort}"] = [([{k: v for k, v in i.items() if k not in ("id", "merges", "created_utc")}
                                 for i in items], _cursor_time(nxt), t)
                               for items, nxt, t in walk(lambda v, **kw: fimi.incidents(store, v, **kw), sort=sort)]
    out["fimi_target"] = [([i["title"] for i in items], _cursor_time(nxt), t)
                          for items, nxt, t in walk(lambda v, **kw: fimi.incidents(store, v, target="Poland", **kw))]
    out["fimi_clusters"] = [([(c["label"], c["size"]) for c in items], nxt)
                            for items, nxt, _ in walk(lambda v, **kw: fimi.clusters(store, v, **kw))]
    out["fimi_surges"] = [([(g["cluster_id"], g["start_utc"]) for g in items], _cursor_time(nxt))
                          for items, nxt, _ in walk(lambda v, **kw: fimi.surges(store, v, **kw))]
    out["elements"] = {n: [{k: v for k, v in e.items() if k not in ("id", "contribution_id")}
                           for e in store.element_sets(viewer, n)] for n in OBJECTS}
    with store.session(viewer) as s:
        out["counts"] = [s.scalar(select(func.count()).select_from(table)) for table in MARKED]
        out["distinct"] = s.scalars(select(ElementSetRecord.norad_id).distinct().order_by(
            ElementSetRecord.norad_id)).all()
    return out


def _cursor_time(cursor: str | None) -> str | None:
    """A cursor without its last part, the id (a random UUID, compared through the item sets instead): the order
    and filters, and the time (and Pc, miss distance or severity) of the last item."""
    return None if cursor is None else "|".join(cursor.split("|")[:-1])


def visible_ids(store: Store, viewer: Viewer) -> dict[str, set[str]]:
    """Ids of every marked table as the storage layer shows them to ``viewer``."""
    with store.session(viewer) as s:
        return {table.__tablename__: set(s.scalars(select(table.id))) for table in MARKED}


def allowed_ids(store: Store, viewer: Viewer) -> dict[str, set[str]]:
    """What the Python rule allows, computed row by row from a system session (the oracle; in the context of the
    one exercise the worlds hold, it sees every row)."""
    with store.session(None, EXERCISE) as s:
        return {table.__tablename__: {r.id for r in s.scalars(select(table))
                                      if may_see(viewer, store.marking_of(s, r.marking_id))} for table in MARKED}


def all_ids(store: Store) -> dict[str, set[str]]:
    with store.session(None, EXERCISE) as s:
        return {table.__tablename__: set(s.scalars(select(table.id))) for table in MARKED}


@pytest.mark.slow
@SETTINGS
@given(world=worlds(), viewer=viewers())
def test_queries_return_exactly_what_the_rule_allows(store: Store, world: dict, viewer: Viewer) -> None:
    build(store, world)
    allowed = allowed_ids(store, viewer)
    assert visible_ids(store, viewer) == allowed
    assert {e["id"] for n in OBJECTS for e in store.element_sets(viewer, n)} == allowed["element_sets"]
    assert {c["id"] for c in store.conjunctions(viewer, limit=1000).items} == allowed["conjunctions"]
    for sort in ("-pc", "pc", "tca", "-tca", "miss", "-miss"):  # true totals, whatever the order
        page = store.conjunctions(viewer, limit=1000, sort=sort)
        assert {c["id"] for c in page.items} == allowed["conjunctions"] and page.total == len(page.items), sort
    for sort in ("time", "-time", "-severity"):
        page = store.events(viewer, limit=1000, sort=sort)
        assert {e["id"] for e in page.items} == allowed["events"] and page.total == len(allowed["events"]), sort
    with store.session(None, EXERCISE) as s:
        objects = {r.norad_id for r in s.scalars(select(ElementSetRecord))
                   if may_see(viewer, store.marking_of(s, r.marking_id))}
    for sort in ("norad_id", "name", "-epoch"):
        page = store.objects(viewer, limit=1000, sort=sort)
        assert {o["norad_id"] for o in page.items} == objects and page.total == len(objects), sort
    assert fimi.incidents(store, viewer, limit=1000, sort="-first_seen").total == len(allowed["fimi_incidents"])
    assert {d["id"] for d in store.documents(viewer, limit=1000).items} == allowed["documents"]
    for document_id in all_ids(store)["documents"]:
        assert (store.document(viewer, document_id) is not None) == (document_id in allowed["documents"])
    for event_id in all_ids(store)["events"]:
        assert (store.event(viewer, event_id) is not None) == (event_id in allowed["events"])
    assert {i["id"] for i in fimi.incidents(store, viewer, limit=1000).items} == allowed["fimi_incidents"]
    for incident_id in all_ids(store)["fimi_incidents"]:
        assert (fimi.incident(store, viewer, incident_id) is not None) == (incident_id in allowed["fimi_incidents"])
    assert {c["record_id"] for c in fimi.clusters(store, viewer, limit=1000).items} == allowed["fimi_clusters"]
    assert {g["record_id"] for g in fimi.surges(store, viewer, limit=1000).items} == allowed["fimi_surges"]


@pytest.mark.slow
@SETTINGS
@given(world=worlds(), viewer=viewers())
def test_hidden_items_change_no_answer(store: Store, world: dict, viewer: Viewer) -> None:
    """Non-interference: answers with the hidden items present equal answers after deleting them."""
    build(store, world)
    page = world["page"]
    before = answers(store, viewer, page)
    hidden = {k: all_ids(store)[k] - v for k, v in allowed_ids(store, viewer).items()}
    with store.session(None, EXERCISE) as s:  # children before parents; a contribution is marked like its records
        for table in (EventObject, EventRecord, ConjunctionRecord, ElementSetRecord, CDMRecord, DocumentRecord,
                      FimiIncidentTag, FimiIncidentRecord, FimiClusterRecord, FimiSurgeRecord, Contribution):
            s.execute(delete(table).where(table.id.in_(hidden[table.__tablename__])))
    assert answers(store, viewer, page) == before
    for event_id in hidden["events"]:
        assert store.event(viewer, event_id) is None  # the same answer as for an id that never existed


def test_a_session_that_serves_nobody_is_refused(store: Store) -> None:
    with Session(store.engine) as s, pytest.raises(AccessError, match="serves nobody"):
        s.execute(select(EventRecord))


def test_joins_subqueries_and_counts_are_filtered(store: Store) -> None:
    """Criteria apply wherever a marked table appears, not only in the top-level FROM."""
    viewer = Viewer(Classification.RESTRICTED, "NL-NSO", "NL", frozenset())
    store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "open", Marking.build())
    store.add_event("manoeuvre", "2026-05-02T00:00:00.000000000Z", [25544], "secret", Marking.build("SECRET"))
    store.add_event("breakup", "2026-05-03T00:00:00.000000000Z", [25544], "fr only",
                    Marking.build(releasable_to=["FR"]))
    with store.session(viewer) as s:
        joined = s.execute(select(EventRecord.title).join(EventObject, EventObject.event_id == EventRecord.id)).all()
        assert [t for (t,) in joined] == ["open"]
        inner = select(EventObject.event_id).where(EventObject.norad_id == 25544).scalar_subquery()
        assert s.scalar(select(func.count()).where(EventRecord.id.in_(inner))) == 1
        assert s.scalar(select(func.count(EventObject.id))) == 1
        assert s.scalar(select(func.max(EventRecord.time_utc))) == "2026-05-01T00:00:00.000000000Z"


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), writes=st.lists(st.tuples(st.sampled_from(OBJECTS), st.integers(49, 60), real_markings),
                                       min_size=1, max_size=4), viewer=viewers())
def test_work_in_an_exercise_changes_no_real_answer(store: Store, world: dict, writes: list, viewer: Viewer) -> None:
    """Whatever is written in an exercise's context (newer element sets of the same objects, events on them,
    documents, under any marking the writer gives) leaves every real-world answer as it was, the system's own
    inputs included: the store stamps each write as the exercise's."""
    build(store, world)
    real = Viewer(viewer.clearance, viewer.org, viewer.country, viewer.communities)
    before = answers(store, real, world["page"]), [i.record_id for i in store.latest_inputs(None)]
    exercise = store.in_context(EXERCISE)
    user_id = store.account("loader").user_id
    for number, (norad_id, hours, marking) in enumerate(writes):
        exercise.store_element_sets(user_id, "tle", "exercise", [_elset(norad_id, hours)], [], marking)
        exercise.add_event("manoeuvre", f"2026-05-0{number + 1}T12:00:00.000000000Z", [norad_id], "exercise", marking)
        with exercise.session(None) as s:
            mid = exercise.marking_id(s, marking)
            contribution = exercise._contribution(s, user_id, "document", "text", "exercise", 1, [], mid)
            s.add(DocumentRecord(contribution_id=contribution.id, title="exercise", media_type="text/plain",
                                 created_utc="2026-05-09T00:00:00.000000000Z", content="text", marking_id=mid))
    with exercise.session(None) as s:  # the writes are there, all of them the exercise's
        written = {store.marking_of(s, m).exercise for m in s.scalars(select(DocumentRecord.marking_id).where(
            DocumentRecord.title == "exercise"))}
    assert written == {EXERCISE}
    assert (answers(store, real, world["page"]), [i.record_id for i in store.latest_inputs(None)]) == before
