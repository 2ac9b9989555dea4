"""The marking rule of intelligence items, enforced in the storage layer (issue 26, "an assessment citing a SECRET
contribution can never be shown or exported under a lower marking").

An item's stored marking combines its author's marking with everything it cites; an edit never lowers it; raising
a cited item's marking raises every item citing it; an author cites only what they may see. The property test
checks, for random markings of the cited reports and of the assessment and random viewers, that whoever may see the
assessment may see every input it used, and that nobody else sees it in any listing.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.core.markings import Classification, Marking, MarkingError, Viewer, combine, may_see
from kompas.core.store import Store, StoreError, intel
from tests.core.conftest import wipe
from tests.core.strategies import COMMUNITIES, ORGS, real_markings, viewers

SECRET_FR = Marking.build("SECRET", "AMBER", ["FR"], ["hybrid"], originator="FR-DGSE")
PUBLIC = Marking.build("UNCLASSIFIED", "CLEAR", originator="EU-INTCEN")


def _world(store: Store) -> None:
    store.add_org("FR-DGSE", "FR")
    store.add_org("EU-INTCEN", "BE")
    store.add_user("fr-officer", "FR-DGSE", "SECRET", ["hybrid"])
    store.add_user("analyst", "EU-INTCEN", "SECRET", ["hybrid"])
    store.add_user("reader", "EU-INTCEN", "RESTRICTED", ["hybrid"])


def _account(store: Store, name: str) -> intel.Account:
    account = store.account(name)
    assert account is not None
    return account


def test_an_assessment_citing_a_secret_report_is_secret_whatever_its_author_asks(store: Store) -> None:
    _world(store)
    fr, analyst, reader = (_account(store, n) for n in ("fr-officer", "analyst", "reader"))
    report = intel.put(store, fr, "report", "Sabotage preparation", {"text": "..."},
                       Marking.build("SECRET", "AMBER", None, ["hybrid"], originator="FR-DGSE"))
    written = intel.put(store, analyst, "assessment", "Hybrid campaign", {"summary": "..."},
                        Marking.build("UNCLASSIFIED", "GREEN", originator="EU-INTCEN"), [("report", report.id)])
    assert written.raised and written.marking.classification is Classification.SECRET
    assert written.marking.originators == {"FR-DGSE", "EU-INTCEN"}
    assert intel.get(store, reader.viewer, written.id) is None, "a RESTRICTED reader does not see it"
    assert written.id not in {i.id for i in intel.items(store, reader.viewer)}
    seen = intel.get(store, analyst.viewer, written.id)
    assert seen is not None and seen.marking.banner().startswith("SECRET UE/EU SECRET")
    assert seen.citations == (("report", report.id),)

    # an edit that drops the citation keeps the marking: the text was written from the report
    again = intel.put(store, analyst, "assessment", "Hybrid campaign", {"summary": "edited"},
                      Marking.build("UNCLASSIFIED", "GREEN", originator="EU-INTCEN"), [], item_id=written.id)
    assert again.version == 2 and again.marking.classification is Classification.SECRET
    assert intel.get(store, reader.viewer, written.id) is None


def test_an_author_cannot_cite_what_they_may_not_see(store: Store) -> None:
    _world(store)
    fr, reader = _account(store, "fr-officer"), _account(store, "reader")
    report = intel.put(store, fr, "report", "Sabotage preparation", {"text": "..."}, SECRET_FR)
    with pytest.raises(StoreError, match="not found"):
        intel.put(store, reader, "assessment", "Guess", {}, PUBLIC, [("report", report.id)])
    with pytest.raises(StoreError, match="not found"):
        intel.put(store, fr, "assessment", "Wrong kind", {}, SECRET_FR, [("event", report.id)])
    with pytest.raises(StoreError, match="kind"):
        intel.put(store, fr, "memo", "x", {}, SECRET_FR)


def test_raising_a_report_raises_everything_citing_it(store: Store) -> None:
    _world(store)
    fr, analyst, reader = (_account(store, n) for n in ("fr-officer", "analyst", "reader"))
    report = intel.put(store, fr, "report", "Port visits", {"text": "..."},
                       Marking.build("RESTRICTED", "AMBER", None, ["hybrid"], originator="FR-DGSE"))
    first = intel.put(store, analyst, "assessment", "A", {}, PUBLIC, [("report", report.id)])
    second = intel.put(store, analyst, "assessment", "B", {}, PUBLIC, [("assessment", first.id)])
    assert intel.get(store, reader.viewer, second.id) is not None
    raised = intel.put(store, fr, "report", "Port visits", {"text": "re-graded"},
                       Marking.build("SECRET", "AMBER", None, ["hybrid"], originator="FR-DGSE"), item_id=report.id)
    assert set(raised.propagated) == {first.id, second.id}
    for item_id in (report.id, first.id, second.id):
        assert intel.get(store, reader.viewer, item_id) is None, f"{item_id} is SECRET now"
        found = intel.get(store, analyst.viewer, item_id)
        assert found is not None and found.marking.classification is Classification.SECRET


def test_cycles_are_refused_and_an_originator_may_withdraw_what_others_cite(store: Store) -> None:
    _world(store)
    fr, analyst = _account(store, "fr-officer"), _account(store, "analyst")
    a = intel.put(store, analyst, "assessment", "A", {}, PUBLIC)
    b = intel.put(store, analyst, "assessment", "B", {}, PUBLIC, [("assessment", a.id)])
    with pytest.raises(StoreError, match="cycle"):
        intel.put(store, analyst, "assessment", "A", {}, PUBLIC, [("assessment", b.id)], item_id=a.id)
    with pytest.raises(StoreError, match="itself"):
        intel.put(store, analyst, "assessment", "A", {}, PUBLIC, [("assessment", a.id)], item_id=a.id)
    report = intel.put(store, fr, "report", "R", {}, SECRET_FR)
    # the FR officer's marking is REL TO FR: the analyst (BE) cannot cite it; a SECRET NTK one they may
    shared = intel.put(store, fr, "report", "R2", {}, Marking.build("SECRET", "AMBER", None, ["hybrid"],
                                                                   originator="FR-DGSE"))
    c = intel.put(store, analyst, "assessment", "C", {}, PUBLIC, [("report", shared.id)])
    assert intel.remove(store, fr, shared.id), "the originator withdraws its report whoever cites it"
    kept = intel.get(store, analyst.viewer, c.id)
    assert kept is not None and kept.marking.classification is Classification.SECRET, "the marking stays"
    assert kept.citations == (("report", shared.id),), "the citation dangles"
    again = intel.put(store, analyst, "assessment", "C", {"summary": "after the withdrawal"}, PUBLIC, [],
                      item_id=c.id)
    assert again.marking.classification is Classification.SECRET, "never lowered by the withdrawal"
    assert intel.remove(store, fr, report.id) and intel.remove(store, analyst, b.id)
    assert [v["version"] for v in intel.history(store, analyst.viewer, c.id) or []] == [1]


def test_a_writer_hears_only_of_the_re_marked_items_they_may_see(store: Store) -> None:
    _world(store)
    store.add_user("analyst-2", "EU-INTCEN", "SECRET", ["hybrid", "intcen-only"])
    fr, own = _account(store, "fr-officer"), _account(store, "analyst-2")
    report = intel.put(store, fr, "report", "R", {}, Marking.build("RESTRICTED", "AMBER", None, ["hybrid"],
                                                                  originator="FR-DGSE"))
    hidden = intel.put(store, own, "assessment", "H", {}, Marking.build("RESTRICTED", "AMBER", None,
                                                                         ["intcen-only"], originator="EU-INTCEN"),
                       [("report", report.id)])
    visible = intel.put(store, own, "assessment", "V", {}, PUBLIC, [("report", report.id)])
    raised = intel.put(store, fr, "report", "R", {}, Marking.build("SECRET", "AMBER", None, ["hybrid"],
                                                                   originator="FR-DGSE"), item_id=report.id)
    assert raised.propagated == [visible.id], "the FR officer is not in intcen-only: H's id is not theirs to know"
    found = intel.get(store, own.viewer, hidden.id)
    assert found is not None and found.marking.classification is Classification.SECRET, "H was re-marked all the same"


def test_a_report_raised_while_an_assessment_cites_it_raises_the_assessment(store: Store) -> None:
    """The race of the review (PostgreSQL, READ COMMITTED): the assessment's write reads the report's marking, the
    report is raised meanwhile by another transaction; the write locks what it cites (FOR SHARE), so the raise
    waits, then re-marks the assessment it can now see. Whatever the interleaving, the assessment ends at least as
    high as the report."""
    import threading
    import time

    _world(store)
    fr, analyst = _account(store, "fr-officer"), _account(store, "analyst")
    low = Marking.build("RESTRICTED", "AMBER", None, ["hybrid"], originator="FR-DGSE")
    high = Marking.build("SECRET", "AMBER", None, ["hybrid"], originator="FR-DGSE")
    report = intel.put(store, fr, "report", "R", {"t": 1}, low)
    raise_done: list[intel.Written] = []
    errors: list[BaseException] = []

    def raise_report() -> None:
        try:
            raise_done.append(intel.put(store, fr, "report", "R", {"t": 2}, high, item_id=report.id))
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    original = intel._cited_markings
    racer = threading.Thread(target=raise_report)

    def interleaved(*args: object, **kwargs: object) -> list[Marking]:
        found = original(*args, **kwargs)  # type: ignore[arg-type]
        if threading.current_thread() is racer:
            return found
        racer.start()  # the raise runs now, while this write holds what it read
        time.sleep(0.5)  # long enough for an unlocked raise to commit first (no assertion on time)
        return found

    intel._cited_markings = interleaved  # type: ignore[assignment]
    try:
        written = intel.put(store, analyst, "assessment", "A", {}, PUBLIC, [("report", report.id)])
    finally:
        intel._cited_markings = original  # type: ignore[assignment]
    racer.join(timeout=120)
    assert not errors, errors
    assert raise_done, "the raise finished"
    now = intel.get(store, analyst.viewer, written.id)
    assert now is not None and now.marking.classification is Classification.SECRET, now.marking.banner()
    reader = _account(store, "reader")
    assert intel.get(store, reader.viewer, written.id) is None


def test_another_organisation_cannot_edit_or_remove_an_item(store: Store) -> None:
    _world(store)
    fr, analyst = _account(store, "fr-officer"), _account(store, "analyst")
    mine = intel.put(store, analyst, "assessment", "A", {}, PUBLIC)
    with pytest.raises(StoreError, match="belongs to EU-INTCEN"):
        intel.put(store, fr, "assessment", "A", {"summary": "taken over"}, PUBLIC, item_id=mine.id)
    assert not intel.remove(store, fr, mine.id)


def test_citations_whose_combination_nobody_may_see_are_refused(store: Store) -> None:
    _world(store)
    fr = _account(store, "fr-officer")
    # the officer sees both (one by country, one by organisation), but REL TO FR and REL TO FR-DGSE meet nowhere
    by_country = intel.put(store, fr, "report", "to FR", {}, Marking(Classification.SECRET,
                                                                      releasable_to=frozenset({"FR"})))
    by_org = intel.put(store, fr, "report", "to FR-DGSE", {}, Marking(Classification.SECRET,
                                                                       releasable_to=frozenset({"FR-DGSE"})))
    with pytest.raises(MarkingError, match="releasable to nobody"):
        intel.put(store, fr, "assessment", "Both", {}, SECRET_FR, [("report", by_country.id), ("report", by_org.id)])
    assert [i.id for i in intel.items(store, fr.viewer, kind="assessment")] == []


ALL = Viewer(Classification.TOP_SECRET, "EU-SATCEN", "EU", frozenset(COMMUNITIES))


def _releasable_to_author(marking: Marking) -> Marking:
    """The marking, releasable to the author's organisation too (so the author may see it and any combination of
    such markings: no input is filtered out)."""
    rel = marking.releasable_to
    return marking if rel is None else replace(marking, releasable_to=rel | {"EU-SATCEN"})


seen_by_author = real_markings.map(_releasable_to_author)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cited=st.lists(seen_by_author, min_size=1, max_size=4), asked=seen_by_author,
       others=st.lists(viewers(), min_size=3, max_size=6))
def test_whoever_may_see_an_assessment_may_see_everything_it_cites(engine: object, cited: list[Marking],
                                                                   asked: Marking, others: list[Viewer]) -> None:
    """Property: stored marking >= each input; no viewer sees the assessment without seeing all it used."""
    store = Store(engine)  # type: ignore[arg-type]
    wipe(store.engine)
    for org, country in ORGS.items():
        store.add_org(org, country)
    store.add_user("all", "EU-SATCEN", "TOP_SECRET", COMMUNITIES)
    author = store.account("all")
    assert author is not None
    everything = [*cited, asked]
    assert all(may_see(ALL, m) for m in everything) and may_see(ALL, combine(everything))
    ids = [intel.put(store, author, "report", f"r{n}", {}, m).id for n, m in enumerate(cited)]
    written = intel.put(store, author, "assessment", "A", {"summary": "s"}, asked, [("report", i) for i in ids])
    assert written.marking.key() == combine(everything).key()
    assert written.marking.classification == max(m.classification for m in everything)
    for viewer in others:
        sees = intel.get(store, viewer, written.id) is not None
        assert sees == may_see(viewer, written.marking)
        listed = written.id in {i.id for i in intel.items(store, viewer, kind="assessment")}
        assert listed == sees
        if sees:
            assert all(may_see(viewer, m) for m in everything), "a viewer saw an assessment above an input"
