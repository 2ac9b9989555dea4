"""Members' sightings merged on the indicator (issue 23, item 2), on SQLite and PostgreSQL like the other store tests.

- two members report the same indicator; each reader gets the total of the sightings they may see, the observers
  whose identity they may know, and the others counted as undisclosed; by default a member's identity is
  releasable to its own organisation only;
- property (NON-INTERFERENCE): for random sightings by several members under random markings (sighting and
  observer) and a random viewer, the merged view equals the merge of only the sightings the viewer may see computed
  apart, equals what they see once every sighting they may not see is deleted, never names an observer whose
  marking (combined with the sighting's) the viewer may not see (in the observers, the originators or a
  releasability list of its marking), and is never marked lower than what it used.
"""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from kompas.core.markings import Classification, Marking, Viewer, combine, may_see
from kompas.core.models import CyberSightingRecord
from kompas.core.store import Store
from kompas.core.store.cyber import merge
from kompas.cyber.model import Sighting
from kompas.services import cyber as service
from tests.core import conftest as databases
from tests.core.strategies import COMMUNITIES, viewers
from tests.core.strategies import real_markings as markings

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

C2 = ("ipv4-addr", "203.0.113.7")  # documentation addresses (RFC 5737)
DOMAIN = ("domain-name", "update-check.example")
OBSERVERS = {"NL-NSO": "NL", "FR-CNES": "FR", "DE-GSSAC": "DE", "IT-ASI": "IT"}


def _members(store: Store) -> dict:
    people = {}
    for org, country in OBSERVERS.items():
        store.add_org(org, country)
        people[org] = store.authenticate(store.add_user(f"soc-{org}", org, "TOP_SECRET", COMMUNITIES))
    return people


def test_two_members_sightings_merge_and_the_observer_stays_unnamed(store: Store) -> None:
    people = _members(store)
    nl, fr = people["NL-NSO"], people["FR-CNES"]
    shared = Marking.build("RESTRICTED", "AMBER")
    service.record_sightings(store, nl, [Sighting(*C2, "2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z", 3)],
                             shared)
    service.record_sightings(store, fr, [Sighting(*C2, "2026-11-02T08:00:00Z")], shared,
                             observer_marking=Marking.build("RESTRICTED", "AMBER"))  # FR names itself to all
    service.record_sightings(store, fr, [Sighting(*DOMAIN, "2026-11-04T00:00:00Z")],
                             Marking.build("SECRET", "AMBER", ["FR"], originator="FR-CNES"))
    (nl_view,) = service.indicators(store, nl.viewer, [C2])
    assert (nl_view["count"], nl_view["sightings"], nl_view["observers"], nl_view["undisclosed"]) == (
        4, 2, ["FR-CNES", "NL-NSO"], 0)
    assert (nl_view["first_seen_utc"], nl_view["last_seen_utc"]) == ("2026-11-02T08:00:00.000Z",
                                                                      "2026-11-03T11:00:00.000Z")
    # a third member's analyst counts both sightings, knows FR's name, not NL's (releasable to NL-NSO only)
    store.add_org("BE-CCB", "BE")
    be = store.authenticate(store.add_user("be", "BE-CCB", "SECRET"))
    (be_view,) = service.indicators(store, be.viewer, [C2])
    assert (be_view["count"], be_view["observers"], be_view["undisclosed"]) == (4, ["FR-CNES"], 1)
    assert "NL-NSO" not in str(be_view)
    # FR's SECRET REL FR sighting of the domain: NL may not see it at all
    assert service.indicators(store, nl.viewer, [DOMAIN]) == []
    listed = service.indicators(store, fr.viewer)
    assert [(i["type"], i["value"]) for i in listed] == sorted([C2, DOMAIN])
    assert next(i for i in listed if i["value"] == DOMAIN[1])["marking"]["classification"] == "SECRET"


@st.composite
def sightings(draw: st.DrawFn) -> tuple[str, tuple[str, str], int, Marking, Marking]:
    """(observing organisation, key, count, sighting marking, observer marking), each marking one the observer may
    give (releasable to itself when restricted, as Marking.build makes it)."""
    org = draw(st.sampled_from(sorted(OBSERVERS)))

    def own(marking: Marking) -> Marking:  # as the API builds it: the observer its originator and releasee
        return dataclasses.replace(marking, originators=frozenset({org}),
                                   releasable_to=None if marking.releasable_to is None else
                                   marking.releasable_to | {org})

    return (org, draw(st.sampled_from([C2, DOMAIN])), draw(st.integers(1, 5)), own(draw(markings)),
            own(draw(markings)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(sightings(), min_size=1, max_size=8), viewer=viewers())
def test_hidden_sightings_and_observers_change_nothing_a_viewer_sees(store: Store, drawn: list,
                                                                     viewer: Viewer) -> None:
    databases.wipe(store.engine)
    people = _members(store)
    made = []
    for n, (org, key, count, marking, observer) in enumerate(drawn):
        first = f"2026-11-0{1 + n % 9}T00:00:00Z"
        last = first if count == 1 else f"2026-11-0{1 + n % 9}T12:00:00Z"
        made.append(Sighting(*key, first, last, count))
        service.record_sightings(store, people[org], [made[-1]], marking, observer)
    seen = service.indicators(store, viewer, [C2, DOMAIN])
    # apart: the merge of what the viewer may see, as if nothing else were stored (observer marking as stored:
    # combined with the sighting's)
    rows = [(key, count, one.first_seen_utc, one.last_seen_utc, "sighting", org, marking,
             combine([marking, observer]))
            for one, (org, key, count, marking, observer) in zip(made, drawn, strict=True) if may_see(viewer, marking)]
    assert seen == merge(rows, viewer)
    for item in seen:
        used = [r for r in rows if r[0] == (item["type"], item["value"])]
        assert item["count"] == sum(r[1] for r in used) and item["sightings"] == len(used)
        for org in item["observers"]:  # a name shown only where its marking lets the viewer know it
            assert any(r[5] == org and may_see(viewer, r[7]) for r in used)
        assert item["undisclosed"] == sum(not may_see(viewer, r[7]) for r in used)
        shown = Marking.from_dict(item["marking"])  # the combination: never lower than a sighting it counts
        # ... and naming no observer the viewer may not know: not as originator, not in a releasability list
        # (unless a marking the viewer may see whole names it anyway: a member may release its sighting to another)
        named = {n for r in used if may_see(viewer, r[7]) for n in r[7].originators | (r[7].releasable_to or set())}
        undisclosed = {r[5] for r in used if not may_see(viewer, r[7])} - set(item["observers"]) - {viewer.org} - named
        assert not shown.originators & undisclosed and not (shown.releasable_to or set()) & undisclosed
        assert shown.classification >= max(r[6].classification for r in used)
        assert shown.tlp >= max(r[6].tlp for r in used) and all(c in shown.clauses for r in used for c in r[6].clauses)
    with store.session(None) as s:  # delete every sighting the viewer may not see: nothing they see changes
        hidden = [r.id for r in s.scalars(select(CyberSightingRecord))
                  if not may_see(viewer, store.marking_of(s, r.marking_id))]
        s.execute(delete(CyberSightingRecord).where(CyberSightingRecord.id.in_(hidden)))
    assert service.indicators(store, viewer, [C2, DOMAIN]) == seen
    assert viewer.clearance in Classification
