"""National attributions on the platform (issue 22, item 3), on SQLite and PostgreSQL like the other store tests.

- a user records their own state's assessment (their organisation's country; an administrator of another state
  cannot record for a third), under the marking they give, checked as every contribution's;
- readers see the records they may see, and a coordination state computed from exactly those (each state's newest);
- an event a reader may not see gives the same answer as a missing one, for reads and writes;
- every record is audited;
- property (NON-INTERFERENCE): for random markings of several states' records on an event of random marking and a
  random viewer, what the viewer sees (records and coordination) equals what they see once the records they may not
  see are deleted, and equals the coordination of the records they may see computed apart (as if the others had
  never been stored); and no record is ever shown to someone who may not see its marking.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from kompas.core.markings import Classification, Marking, MarkingError, Viewer, may_see
from kompas.core.models import AttributionRecord, AuditEntry
from kompas.core.store import Store, StoreError
from kompas.response import attribution as pure
from kompas.services import response as service
from tests.core import conftest as databases
from tests.core.strategies import COMMUNITIES, viewers
from tests.core.strategies import real_markings as markings

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

TODAY = dt.date(2026, 12, 20)
OPEN = Marking.build("UNCLASSIFIED", "CLEAR")


def _world(store: Store) -> dict:
    """Three states' analysts (NL SECRET sst, DE SECRET, FR RESTRICTED), a German administrator (TOP SECRET), an EU
    agency's analyst, and a public space event."""
    store.add_org("NL-NSO", "NL")
    store.add_org("DE-BSI", "DE")
    store.add_org("FR-CNES", "FR", "agency")
    store.add_org("EU-SATCEN", "EU", "agency")
    people = {name: store.authenticate(store.add_user(name, org, level, communities))
              for name, org, level, communities in [("nl", "NL-NSO", "SECRET", ["sst"]), ("de", "DE-BSI", "SECRET", []),
                                                    ("fr", "FR-CNES", "RESTRICTED", []),
                                                    ("admin", "DE-BSI", "TOP_SECRET", ["sst"]),
                                                    ("eu", "EU-SATCEN", "SECRET", [])]}
    event = store.add_event("fragmentation", "2021-11-15T02:47:00.000000000Z", [13552], "Cosmos 1408 break-up", OPEN)
    hidden = store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "NL only",
                             Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO"))
    return {"people": people, "event": event, "hidden": hidden}


def _record(store: Store, who, event: str, actor: str, confidence: str, day: str, marking: Marking,
            public: bool = False) -> dict | None:
    return service.record_attribution(store, who, event, actor, confidence, f"{who.name}'s basis", day, public,
                                      marking, today=TODAY)


def test_states_record_their_own_assessments_and_readers_see_what_they_may(store: Store) -> None:
    world = _world(store)
    nl, de, fr, admin = (world["people"][n] for n in ("nl", "de", "fr", "admin"))
    event = world["event"]
    nl_only = Marking.build("RESTRICTED", "AMBER", ["NL", "DE"], originator="NL-NSO")
    made = _record(store, nl, event, "ru", "likely", "2021-11-16", nl_only)
    assert made is not None and made["state"] == "NL" and made["org"] == "NL-NSO" and made["actor"] == "RU"
    _record(store, de, event, "RU", "very-likely", "2021-11-17", OPEN, public=True)
    _record(store, fr, event, "none", "", "2021-11-18", Marking.build("RESTRICTED", "GREEN", originator="FR-CNES"))
    secret = Marking.build("SECRET", "AMBER", None, ["sst"], "DE-BSI")
    by_admin = _record(store, admin, event, "Unit 29155", "roughly-even", "2021-11-19", secret)
    assert by_admin is not None and by_admin["state"] == "DE", "an administrator records for their own state only"

    seen = {n: service.attributions(store, world["people"][n].viewer, event) for n in ("nl", "de", "fr")}
    assert [(r["state"], r["actor"]) for r in seen["nl"] or []] == [("NL", "RU"), ("DE", "RU"), ("FR", "none"),
                                                                    ("DE", "Unit 29155")]
    assert [(r["state"], r["actor"]) for r in seen["de"] or []] == [("NL", "RU"), ("DE", "RU"), ("FR", "none")]
    assert [(r["state"], r["actor"]) for r in seen["fr"] or []] == [("DE", "RU"), ("FR", "none")]
    # DE's newest record (the administrator's, SECRET sst) counts only for those who may see it
    sentences = {n: service.coordination(store, world["people"][n].viewer, event).sentence()  # type: ignore[union-attr]
                 for n in ("nl", "de", "fr")}
    assert sentences == {
        "nl": "1 state you may see attributes this to RU (NL); 1 considers Unit 29155 without attributing (DE); "
              "1 does not attribute (FR)",
        "de": "2 states you may see attribute this to RU (DE, NL); 1 does not attribute (FR)",
        "fr": "1 state you may see attributes this to RU (DE); 1 does not attribute (FR)"}
    view = service.coordination_view(store, fr.viewer, event)
    assert view is not None and view["public"] == {"RU": ["DE"]} and view["leading"] == {"actor": "RU", "states": 1}
    assert view["records"] == 2 and view["states"] == 2 and view["marking"]["classification"] == "RESTRICTED"
    shown = service.attribution_view(store, de.viewer, event)
    assert shown is not None and shown["marking"]["releasable_to"] == ["DE", "NL", "NL-NSO"]

    # a later assessment of the same state replaces its earlier one in the coordination state
    _record(store, nl, event, "withheld", "", "2021-12-01", nl_only)
    assert service.coordination(store, de.viewer, event).sentence() == (  # type: ignore[union-attr]
        "1 state you may see attributes this to RU (DE); 1 does not attribute (FR); 1 withholds its assessment (NL)")

    # an event one may not see: the same answer as a missing one, for reads and writes
    hidden = world["hidden"]
    for missing in (hidden, "00000000-0000-0000-0000-000000000000"):
        assert service.attributions(store, de.viewer, missing) is None
        assert service.coordination(store, de.viewer, missing) is None
        assert _record(store, de, missing, "RU", "likely", "2026-05-02", OPEN) is None
    assert service.attributions(store, nl.viewer, hidden) == []
    with store.session(None) as s:
        assert s.scalar(select(AttributionRecord.id).where(AttributionRecord.event_id == hidden)) is None
        audited = s.execute(select(AuditEntry.actor, AuditEntry.outcome).where(AuditEntry.action == "attribution")
                            .order_by(AuditEntry.seq)).all()
    assert audited[-7:] == [("nl", "ok"), ("de", "ok"), ("fr", "ok"), ("admin", "ok"), ("nl", "ok"),
                            ("de", "denied"), ("de", "denied")]


def test_bad_records_and_markings_are_refused(store: Store) -> None:
    world = _world(store)
    nl, fr, eu = (world["people"][n] for n in ("nl", "fr", "eu"))
    event = world["event"]
    cases = [("RU", "sure", "2021-11-16", "confidence: one of remote"),
             ("none", "likely", "2021-11-16", "confidence: none with actor 'none'"),
             ("   ", "likely", "2021-11-16", "actor: required"),
             ("RU", "likely", "2021-02-30", "date: not a date"),
             ("RU", "likely", "2026-12-22", "date: 2026-12-22 is in the future")]
    for actor, confidence, day, message in cases:
        with pytest.raises(StoreError, match=message):
            _record(store, nl, event, actor, confidence, day, OPEN)
    assert _record(store, nl, event, "RU", "likely", "2026-12-21", OPEN) is not None  # today + 1 day (time zones)
    with pytest.raises(StoreError, match="country is EU, not a state"):
        _record(store, eu, event, "RU", "likely", "2021-11-16", OPEN)
    with pytest.raises(MarkingError, match="above your clearance"):
        _record(store, fr, event, "RU", "likely", "2021-11-16", Marking.build("SECRET", originator="FR-CNES"))
    with pytest.raises(MarkingError, match="would not be able to see"):
        _record(store, fr, event, "RU", "likely", "2021-11-16", Marking.build(releasable_to=["DE"]))
    with pytest.raises(MarkingError):
        _record(store, nl, event, "RU", "likely", "2021-11-16", Marking.build(communities=["fimi"]))
    assert len(service.attributions(store, nl.viewer, event) or []) == 1


# --- the property --------------------------------------------------------------------------------------------------

#: the recorders: one TOP SECRET analyst with every community in each of four states
RECORDERS = {"NL-NSO": "NL", "FR-CNES": "FR", "DE-GSSAC": "DE", "IT-ASI": "IT"}
ACTORS = ["RU", "CN", "Sandworm", "none", "withheld"]


@st.composite
def records(draw: st.DrawFn) -> tuple[str, str, str, int, Marking]:
    """(recording organisation, actor, confidence, day of November 2021, marking the recorder may give)."""
    org = draw(st.sampled_from(sorted(RECORDERS)))
    actor = draw(st.sampled_from(ACTORS))
    confidence = "" if actor in pure.NO_ACTOR else draw(st.sampled_from(sorted(pure.CONFIDENCE)))
    marking = draw(markings)
    if marking.releasable_to is not None:  # as Marking.build does: the recorder never loses sight of its record
        marking = dataclasses.replace(marking, releasable_to=marking.releasable_to | {org})
    return org, actor, confidence, draw(st.integers(16, 20)), marking


def _seen(store: Store, viewer: Viewer, event_id: str) -> tuple:
    return service.attributions(store, viewer, event_id), service.coordination_view(store, viewer, event_id)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(records(), min_size=1, max_size=7), event_marking=markings, viewer=viewers(),
       public=st.lists(st.booleans(), min_size=7, max_size=7))
def test_hidden_attributions_change_nothing_a_viewer_sees(store: Store, drawn: list, event_marking: Marking,
                                                          viewer: Viewer, public: list[bool]) -> None:
    databases.wipe(store.engine)
    people = {}
    for org, country in RECORDERS.items():
        store.add_org(org, country)
        people[org] = store.authenticate(store.add_user(f"analyst-{org}", org, "TOP_SECRET", COMMUNITIES))
    if event_marking.releasable_to is not None:  # every recorder may see the event; the viewer perhaps not
        event_marking = dataclasses.replace(event_marking, releasable_to=event_marking.releasable_to | set(RECORDERS))
    event = store.add_event("fragmentation", "2021-11-15T02:47:00.000000000Z", [13552], "break-up", event_marking)
    for n, (org, actor, confidence, day, marking) in enumerate(drawn):
        made = service.record_attribution(store, people[org], event, actor, confidence, "basis", f"2021-11-{day}",
                                          public[n], marking, today=TODAY)
        assert made is not None and made["state"] == RECORDERS[org]

    before = _seen(store, viewer, event)
    if not may_see(viewer, event_marking):
        assert before == (None, None), "an event one may not see: nothing, as for a missing event"
    else:
        items, view = before
        assert items is not None and view is not None
        visible = [(n, r) for n, r in enumerate(drawn) if may_see(viewer, r[4])]
        assert len(items) == len(visible)
        assert all(may_see(viewer, Marking.from_dict(i["marking"])) for i in items), "a record above the viewer"
        # the coordination of the records the viewer may see, computed apart as if the others were never stored
        apart = pure.coordination(
            sorted((pure.Attribution(event, RECORDERS[org], actor, confidence, "basis", f"2021-11-{day}", public[n])
                    for n, (org, actor, confidence, day, _) in visible), key=lambda a: a.date))
        assert view["sentence"] == apart.sentence()
        assert view["attributing"] == {a: list(s) for a, s in apart.attributing.items()}
        assert view["records"] == len(visible)

    with store.session(None) as s:  # delete every record the viewer may not see
        hidden = [r.id for r in s.scalars(select(AttributionRecord))
                  if not may_see(viewer, store.marking_of(s, r.marking_id))]
        s.execute(delete(AttributionRecord).where(AttributionRecord.id.in_(hidden)))
    assert _seen(store, viewer, event) == before


def test_the_migrated_tables_hold_the_models_columns(store: Store) -> None:
    """Migration 0016 creates exactly the columns the models declare (on SQLite and PostgreSQL)."""
    from sqlalchemy import inspect

    from kompas.core.models import ResponseRecord, ResponseStepRecord

    found = inspect(store.engine)
    for model in (AttributionRecord, ResponseRecord, ResponseStepRecord):
        table = model.__table__
        assert {c["name"] for c in found.get_columns(table.name)} == {c.name for c in table.columns}, table.name
        assert {i["name"] for i in found.get_indexes(table.name)} == {i.name for i in table.indexes}, table.name


def test_a_viewer_of_low_clearance_is_refused_nothing_they_may_see(store: Store) -> None:
    """The clearance test of the rule, by hand: a RESTRICTED reader of a CONFIDENTIAL record sees neither the record
    nor its effect on the coordination state, though both are releasable to them."""
    world = _world(store)
    nl = world["people"]["nl"]
    _record(store, nl, world["event"], "CN", "almost-certain", "2021-11-16",
            Marking.build("CONFIDENTIAL", "GREEN", originator="NL-NSO"))
    reader = Viewer(Classification.RESTRICTED, "NL-NSO", "NL", frozenset())
    assert service.attributions(store, reader, world["event"]) == []
    assert service.coordination(store, reader, world["event"]).sentence() == (  # type: ignore[union-attr]
        "no attribution you may see has been recorded")
    higher = dataclasses.replace(reader, clearance=Classification.CONFIDENTIAL)
    assert service.coordination(store, higher, world["event"]).attributing == {"CN": ("NL",)}  # type: ignore[union-attr]


def test_only_a_member_states_own_organisations_record_its_attribution(store: Store) -> None:
    """Review finding: a partner's analyst (US) or a French operator's cannot record an attribution; it would count
    as a state's toward restrictive measures (or replace France's own record as its newest)."""
    world = _world(store)
    store.add_org("US-CISA", "US", "partner")
    store.add_org("FR-SATOP", "FR", "operator")
    us = store.authenticate(store.add_user("us", "US-CISA", "SECRET", []))
    operator = store.authenticate(store.add_user("op", "FR-SATOP", "SECRET", []))
    for who in (us, operator):
        with pytest.raises(StoreError, match="only a member state's own organisations"):
            _record(store, who, world["event"], "RU", "likely", "2022-05-10", OPEN)
    assert _record(store, world["people"]["fr"], world["event"], "RU", "likely", "2022-05-10", OPEN)  # FR's agency
    assert service.coordination(store, None, world["event"]).attributing == {"RU": ("FR",)}


def test_deadlines_outside_the_years_kompas_knows_are_refused(store: Store) -> None:
    """Review finding: 9999-12-31 wrapped to 1816 in nanoseconds and made a response overdue at once."""
    world = _world(store)
    nl = world["people"]["nl"]
    for when in ("9999-12-31T23:59:59Z", "1816-03-30T00:00:00Z"):
        with pytest.raises(StoreError, match="is not a UTC time in 1950..2100"):
            service.open_response(store, nl, world["event"], "space", [], OPEN, deadlines={"deliberation": when})


def test_the_same_state_named_two_ways_counts_once(store: Store) -> None:
    """NL names the state, DE gives its code: both records attribute to RU, so two states attribute to one actor
    (without normalising, the coordination state would show two actors of one state each); a threat actor's name is
    kept as given, ``None``/``WITHHELD`` are the recorded words."""
    world = _world(store)
    nl, de, fr = (world["people"][n] for n in ("nl", "de", "fr"))
    event = world["event"]
    assert _record(store, nl, event, "Russian Federation", "likely", "2021-11-16", OPEN)["actor"] == "RU"  # type: ignore[index]
    assert _record(store, de, event, "rus", "very-likely", "2021-11-17", OPEN)["actor"] == "RU"  # type: ignore[index]
    assert _record(store, fr, event, "WITHHELD", "", "2021-11-18", OPEN)["actor"] == "withheld"  # type: ignore[index]
    state = service.coordination(store, nl.viewer, event)
    assert state is not None and state.attributing == {"RU": ("DE", "NL")} and state.withheld == ("FR",)
    assert _record(store, nl, event, "Sandworm Team", "likely", "2021-11-19", OPEN)["actor"] == "Sandworm Team"  # type: ignore[index]
