"""The response workflow (issue 22, item 4): the steps of each toolbox as data (kompas.response.workflow), checked
against the seed texts they cite and the toolbox data they refer to; planning, moves and overdue flags (pure); and
responses on the platform (SQLite and PostgreSQL): opened on an event one may see, moved step by step with notes
(the audit trail), each move marked with what its author saw, a reader seeing the moves they may see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kompas.compass.register import Place, quote_problem
from kompas.core.markings import Marking, MarkingError
from kompas.core.models import AuditEntry, ResponseStepRecord
from kompas.core.store import NotPermitted, Store, StoreError
from kompas.response.toolbox import CATEGORIES, CATEGORY_RULES, DECIDERS, TOOLBOXES, load_toolboxes
from kompas.response.workflow import STATES, WORKFLOWS, Move, check_move, decision_step, plan, progress, skipped
from kompas.services import response as service
from tests.core import conftest as databases

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
OPENED = "2026-01-01T00:00:00.000000000Z"


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS} (../shared absent)")
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in SEEDS.glob("*.txt")}


# --- the data -------------------------------------------------------------------------------------------------------


def test_every_step_quote_occurs_in_its_cited_seed_lines(seeds: dict[str, list[str]]) -> None:
    places = [p for w in WORKFLOWS.values() for p in w.places]
    assert len(places) == 21
    assert [f"{p.source} l.{p.first}: {quote_problem(p, seeds[p.source])}" for p in places
            if quote_problem(p, seeds[p.source])] == []
    shifted = WORKFLOWS["space"].step("deliberation").cite[0]  # type: ignore[union-attr]
    assert quote_problem(Place(shifted.source, shifted.first + 4, shifted.last + 4, shifted.quote),
                         seeds[shifted.source]) is not None, "the check fails on lines that do not hold the quote"
    # the space workflow's decision step cites the categories the conclusions name, 004 l.423-427
    assert "verklaringen en preventieve" in " ".join(seeds["004_a47d80d624d89186.txt"][422:427])


def test_each_toolbox_has_a_workflow_from_open_to_closed() -> None:
    assert set(WORKFLOWS) == set(TOOLBOXES)
    for w in WORKFLOWS.values():
        assert w.steps[0].state == "open" and w.steps[-1].state == "closed" and w.steps[-1].days is None, w.toolbox
        line = [s for s in w.steps if not s.optional]
        assert [STATES.index(s.state) for s in line] == sorted(STATES.index(s.state) for s in line), w.toolbox
        assert {s.state for s in line} == set(STATES), w.toolbox
        assert len(set(w.ids)) == len(w.ids)
        for s in w.steps:
            assert set(s.deciders) <= set(DECIDERS) and set(s.categories) <= set(CATEGORIES), (w.toolbox, s.id)
            assert s.owner and s.basis and (s.days is None or s.days > 0), (w.toolbox, s.id)


def test_the_space_workflow_follows_decision_2021_698() -> None:
    space = WORKFLOWS["space"]
    assert [s.id for s in space.steps if not s.optional] == ["informed", "deliberation", "decision",
                                                             "implementation", "closed"]
    informed = space.step("informed")
    assert informed is not None and informed.owner == "Member State, Commission or High Representative"
    assert "art. 1(1)" in informed.basis and "02021D0698-20230320" in informed.verified
    decision = space.step("decision")
    assert decision is not None and decision.owner == "Council" and decision.state == "decided"
    assert "dient de Raad te beslissen welke maatregelen" in decision.verified
    urgent = space.step("urgent-instructions")
    assert urgent is not None and urgent.optional and urgent.owner == "High Representative"
    assert "not read here" in urgent.verified, "what was not verified says so"
    assert space.step("deliberation").owner == "Political and Security Committee"  # type: ignore[union-attr]


def test_hybrid_cyber_and_fimi_steps() -> None:
    hybrid = WORKFLOWS["hybrid"].ids
    assert hybrid.index("rrt-request") + 1 == hybrid.index("rrt-deployment") < hybrid.index("decision")
    cyber = WORKFLOWS["cyber"]
    assert cyber.ids[:4] == ("awareness", "attribution", "deliberation", "declaration")
    assert cyber.step("declaration").owner == "High Representative"  # type: ignore[union-attr]
    sanctions = cyber.step("restrictive-measures")
    assert sanctions is not None and sanctions.owner == "Council" and sanctions.optional
    assert cyber.step("attribution").deciders == ("Member States",)  # type: ignore[union-attr]
    groups = {g.id for g in load_toolboxes()["fimi"].groups}
    assert groups == {"prevention", "resilience", "disruption", "regulatory", "diplomatic"}
    used = {g for s in WORKFLOWS["fimi"].steps for g in s.groups}
    assert used == groups, "every group of the FIMI toolbox acts at some step, and no other"


def test_each_toolbox_decides_its_options_at_a_step_of_the_deciders() -> None:
    """Against the toolbox data: every option has a step where it is decided, whose owner is or includes the
    option's decider for restrictive measures (the Council, by unanimity: CATEGORY_RULES)."""
    boxes = load_toolboxes()
    checked = 0
    for name, box in boxes.items():
        for option in box.options:
            step = decision_step(WORKFLOWS[name], option.decides, option.category)
            assert step.state in ("open", "decided", "implemented"), option.id
            assert option.decides in step.deciders or step.state == "decided", option.id
            if option.category in CATEGORY_RULES:
                assert "Council" in step.owner and option.decides == "Council", option.id
                checked += 1
    assert checked == 5
    assert decision_step(WORKFLOWS["cyber"], "Council", "statement").id == "declaration"  # agreed by all
    assert decision_step(WORKFLOWS["cyber"], "Council", "restrictive").id == "restrictive-measures"
    assert decision_step(WORKFLOWS["cyber"], "Member States", "statement").id == "attribution"
    assert decision_step(WORKFLOWS["space"], "High Representative", "stabilising").id == "urgent-instructions"
    assert decision_step(WORKFLOWS["hybrid"], "High Representative", "stabilising").id == "rrt-deployment"
    assert decision_step(WORKFLOWS["fimi"], "Council", "resilience").id == "decision"  # no step lists both


def test_plan_check_and_progress() -> None:
    space = WORKFLOWS["space"]
    planned = plan(space, OPENED)
    assert planned == {"informed": "2026-01-02T00:00:00.000000000Z", "urgent-instructions": None,
                       "deliberation": "2026-01-05T00:00:00.000000000Z",
                       "decision": "2026-01-09T00:00:00.000000000Z",
                       "implementation": "2026-02-08T00:00:00.000000000Z", "closed": None}
    assert plan(space, OPENED, {"decision": "2026-01-20T12:00:00Z"})["decision"] == "2026-01-20T12:00:00.000000000Z"
    with pytest.raises(ValueError, match="'vote' is not a step of the space workflow"):
        plan(space, OPENED, {"vote": "2026-01-20T12:00:00Z"})
    assert check_move(space, "informed", "vote") == ("step must be one of informed, urgent-instructions, "
                                                     "deliberation, decision, implementation, closed")
    assert check_move(space, "informed", "informed") == "the response is already at step 'informed'"
    assert check_move(space, "closed", "decision") == "the response is closed (open a new response to act again)"
    assert check_move(space, "decision", "deliberation") is None, "the Council may send it back"
    # who does not hold the pen moves among the open steps only
    assert check_move(space, "informed", "deliberation", pen=False) is None
    assert "only the organisation that opened it" in str(check_move(space, "deliberation", "decision", pen=False))
    assert "only the organisation" in str(check_move(space, "deliberation", "closed", pen=False))
    assert skipped(space, "informed", "implementation") == ("deliberation", "decision")  # urgency is optional
    assert skipped(space, "decision", "informed") == () and skipped(space, "informed", "deliberation") == ()

    at = progress(space, planned, OPENED, [], "2026-01-01T12:00:00Z")
    assert (at.step.id, at.state, at.deadline_utc, at.overdue) == ("informed", "open", planned["informed"], False)
    late = progress(space, planned, OPENED, [], "2026-01-02T00:00:01Z")
    assert late.overdue
    urgent = progress(space, planned, OPENED, [Move("urgent-instructions", "2026-01-01T06:00:00.000000000Z")],
                      "2026-01-01T11:00:00Z")
    assert urgent.state == "decided" and urgent.deadline_utc == "2026-01-01T12:00:00.000000000Z" and not urgent.overdue
    moved = [Move("deliberation", "2026-01-02T00:00:00.000000000Z"),
             Move("decision", "2026-01-03T00:00:00.000000000Z", "2026-03-01T00:00:00.000000000Z")]
    decided = progress(space, planned, OPENED, moved, "2026-02-01T00:00:00Z")
    assert (decided.step.id, decided.deadline_utc, decided.overdue) == ("decision", "2026-03-01T00:00:00.000000000Z",
                                                                        False)
    closed = progress(space, planned, OPENED, [*moved, Move("closed", "2026-02-02T00:00:00.000000000Z")],
                      "2030-01-01T00:00:00Z")
    assert closed.state == "closed" and closed.deadline_utc is None and not closed.overdue


# --- on the platform ----------------------------------------------------------------------------------------------


def _world(store: Store) -> dict:
    store.add_org("NL-NSO", "NL")
    store.add_org("DE-BSI", "DE")
    people = {name: store.authenticate(store.add_user(name, org, level, communities))
              for name, org, level, communities in [("nl", "NL-NSO", "SECRET", ["sst"]),
                                                    ("de", "DE-BSI", "RESTRICTED", []),
                                                    ("nl2", "NL-NSO", "SECRET", [])]}
    event = store.add_event("fragmentation", "2021-11-15T02:47:00.000000000Z", [13552], "Cosmos 1408 break-up",
                            Marking.build("UNCLASSIFIED", "GREEN", ["NL", "DE"], originator="NL-NSO"))
    hidden = store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "NL only",
                             Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO"))
    return {"people": people, "event": event, "hidden": hidden}


def test_a_response_moves_along_its_workflow_seen_as_each_reader_may(store: Store) -> None:
    world = _world(store)
    nl, de, nl2 = (world["people"][n] for n in ("nl", "de", "nl2"))
    event = world["event"]
    rel = Marking.build("RESTRICTED", "AMBER", ["NL", "DE"], originator="NL-NSO")
    made = service.open_response(store, nl, event, "space", ["space-hr-statement", "space-restrictive"], rel,
                                 note="Cosmos 1408 debris threatens the ISS", now=OPENED)
    assert made is not None and (made["step"], made["state"], made["owner"]) == (
        "informed", "open", "Member State, Commission or High Representative")
    assert made["deadline_utc"] == "2026-01-02T00:00:00.000000000Z" and not made["overdue"]
    assert made["marking"]["classification"] == "RESTRICTED" and made["marking"]["tlp"] == "AMBER"
    assert [(d["option"], d["decides"], d["step"], d["awaiting"]) for d in made["decisions"]] == [
        ("space-hr-statement", "High Representative", "deliberation", True),
        ("space-restrictive", "Council", "decision", True)]
    rid = made["id"]

    moved = service.advance(store, nl, rid, "deliberation", "HR informed the PSC", now="2026-01-01T08:00:00Z")
    assert moved is not None and moved["step"] == "deliberation"
    assert moved["owner"] == "Political and Security Committee"
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    decided = service.advance(store, nl, rid, "decision", "Council agreed a declaration", marking=secret,
                              options=["space-hr-declaration"], deadline="2026-01-03T00:00:00Z",
                              now="2026-01-02T08:00:00Z")
    assert decided is not None and decided["state"] == "decided" and decided["options"] == ["space-hr-declaration"]
    assert decided["marking"]["classification"] == "SECRET" and decided["deadline_utc"] == (
        "2026-01-03T00:00:00.000000000Z")
    assert [h["step"] for h in decided["history"]] == ["informed", "deliberation", "decision"]
    assert [h["user"] for h in decided["history"]] == ["nl", "nl", "nl"]

    # the German reader sees the response up to the move they may see
    seen = service.response(store, de.viewer, rid, now="2026-01-10T00:00:00Z")
    assert seen is not None and seen["step"] == "deliberation" and seen["state"] == "open"
    assert seen["options"] == ["space-hr-statement", "space-restrictive"]
    assert seen["overdue"] and seen["deadline_utc"] == "2026-01-05T00:00:00.000000000Z"
    assert seen["marking"]["classification"] == "RESTRICTED" and len(seen["history"]) == 2
    # a NL reader without the community: the same
    assert service.response(store, nl2.viewer, rid)["step"] == "deliberation"  # type: ignore[index]
    # the German reader may not record a decision on NL's response (NL holds the pen) ...
    with pytest.raises(NotPermitted, match="only NL-NSO, which opened the response"):
        service.advance(store, de, rid, "decision", "DE: Council decision", now="2026-01-11T00:00:00Z")
    # ... but moves it among the open steps from what they see; the move is marked with what they saw (not the
    # SECRET move)
    onwards = service.advance(store, de, rid, "informed", "DE: new information for the HR", now="2026-01-11T00:00:00Z")
    assert onwards is not None and onwards["step"] == "informed" and onwards["marking"]["classification"] == (
        "RESTRICTED")
    with store.session(None) as s:
        markings = [store.marking_of(s, m.marking_id).classification.name for m in s.scalars(
            select(ResponseStepRecord).where(ResponseStepRecord.response_id == rid)
            .order_by(ResponseStepRecord.moved_utc))]
    assert markings == ["RESTRICTED", "SECRET", "RESTRICTED"]
    full = service.response(store, nl.viewer, rid, now="2026-01-11T00:00:01Z")
    assert full is not None and [h["by"] for h in full["history"]] == ["NL-NSO", "NL-NSO", "NL-NSO", "DE-BSI"]

    # listings: by event, with the state and overdue flag as each may see them
    assert [r["id"] for r in service.responses(store, de.viewer, event)] == [rid]
    assert service.responses(store, de.viewer, world["hidden"]) == []
    listed = service.responses(store, nl.viewer, now="2026-01-11T00:00:01Z")
    assert [(r["state"], r["overdue"]) for r in listed] == [("open", True)]  # back at informed, due 2026-01-02

    # closing (by the pen holder, passing over the open steps: the history says which), then no more moves
    closed = service.advance(store, nl, rid, "closed", "follow-up done", now="2026-02-10T00:00:00Z")
    assert closed is not None and closed["state"] == "closed" and not closed["overdue"]
    assert [h["skipped"] for h in closed["history"]] == [[], [], [], [], ["deliberation", "decision",
                                                                          "implementation"]]
    with pytest.raises(StoreError, match="step: the response is closed"):
        service.advance(store, nl, rid, "implementation", "reopen")
    with store.session(None) as s:
        audited = s.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
                            .where(AuditEntry.action.in_(["response-open", "response-step"]))
                            .order_by(AuditEntry.seq)).all()
    assert [(a, d) for a, _, d in audited][-6:] == [
        ("nl", f"event {event}, toolbox space, 2 options"), ("nl", "informed -> deliberation"),
        ("nl", "deliberation -> decision"), ("de", "decision: not the pen holder"), ("de", "deliberation -> informed"),
        ("nl", "informed -> closed")]


def test_responses_are_refused_where_the_rules_say(store: Store) -> None:
    world = _world(store)
    nl, de = world["people"]["nl"], world["people"]["de"]
    event, hidden = world["event"], world["hidden"]
    rel = Marking.build("RESTRICTED", "AMBER", ["NL", "DE"], originator="NL-NSO")
    assert service.open_response(store, de, hidden, "space", [], Marking.build(originator="DE-BSI")) is None
    with pytest.raises(StoreError, match="toolbox must be one of space, hybrid, cyber, fimi"):
        service.open_response(store, nl, event, "maritime", [], rel)
    with pytest.raises(StoreError, match="'space-nuke' is not an option"):
        service.open_response(store, nl, event, "space", ["space-nuke"], rel)
    with pytest.raises(StoreError, match="named twice"):
        service.open_response(store, nl, event, "space", ["space-hr-statement", "space-hr-statement"], rel)
    with pytest.raises(StoreError, match="not a step of the space workflow"):
        service.open_response(store, nl, event, "space", [], rel, deadlines={"vote": "2026-01-01T00:00:00Z"})
    with pytest.raises(MarkingError, match="above your clearance"):
        service.open_response(store, de, event, "space", [], Marking.build("SECRET", originator="DE-BSI"))
    with pytest.raises(MarkingError, match="would hide it from you"):  # REL TO DE-BSI meets REL TO NL, DE, NL-NSO
        service.open_response(store, de, event, "space", [], Marking.build(releasable_to=["DE-BSI"],
                                                                          originator="DE-BSI"))
    made = service.open_response(store, nl, event, "cyber", ["cyber-hr-declaration", "space-ms-attribution"], rel)
    assert made is not None and made["step"] == "awareness" and made["workflow"].startswith("Joint EU diplomatic")
    with pytest.raises(StoreError, match="step: step must be one of awareness"):
        service.advance(store, nl, made["id"], "decision", "no such step in cyber")
    with pytest.raises(StoreError, match="note: required"):
        service.advance(store, nl, made["id"], "attribution", "   ")
    secret_only = service.open_response(store, nl, event, "fimi", [], Marking.build("SECRET", originator="NL-NSO"))
    assert secret_only is not None
    assert service.advance(store, de, secret_only["id"], "assessment", "cannot see it") is None
    assert service.response(store, de.viewer, secret_only["id"]) is None
    assert [r["id"] for r in service.responses(store, de.viewer)] == [made["id"]]
