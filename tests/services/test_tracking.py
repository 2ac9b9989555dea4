"""Tracked conjunction events on the platform (issue 21, item 4), on SQLite and PostgreSQL like the other store
tests: two real daily element sets of a pair (NORAD 43890 and 66835, from the 2026-05-04 and 05-05 snapshots,
which pass 0.5-1 km apart at 15 km/s twice on 2026-05-08, 48 minutes apart) contributed under two markings and
screened after each contribution, as the daily cycle does.

- each encounter is one event with two updates; the second update's CDM carries CONJUNCTION_ID and the first's
  MESSAGE_ID as PREVIOUS_MESSAGE_ID, only when the first is marked no higher;
- a user without need-to-know of one update sees the event without it (history, values, trends, marking), a
  user who may see neither sees nothing (the same answer as a missing event);
- a rerun links nothing twice, and relinking from scratch (conjunctions stored before tracking) gives the same
  events;
- decisions close an event, are marked by what the decider saw, and are refused on events one may not see;
- a subscription rule on the level fires on the update at or above it and not on the others.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from kompas.core.jobs import screen_catalogue
from kompas.core.markings import Classification, Marking, Viewer
from kompas.core.models import ConjunctionEventRecord, ConjunctionEventUpdate, QueuedAlert
from kompas.core.store import Store, StoreError
from kompas.space import cdm, tracking
from kompas.space.ingest import parse_text
from tests.core import conftest as databases
from tests.core.strategies import real_markings as markings
from tests.core.strategies import viewers

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

PAIR = (43890, 66835)
START = np.datetime64("2026-05-08T03:00:00", "ns")  # both TCAs (03:42, 04:30) within the next 2.4 hours
DAYS = 0.1
NOW = np.datetime64("2026-05-07T00:00:00", "ns")  # before both TCAs: the events are open
ANALYST = Viewer(Classification.SECRET, "DE-GSSAC", "DE", frozenset({"sst"}))
OPEN = Viewer(Classification.UNCLASSIFIED, "DE-GSSAC", "DE", frozenset())
OUTSIDER = Viewer(Classification.SECRET, "IT-ASI", "IT", frozenset({"sst"}))
PUBLIC = Marking.build("UNCLASSIFIED", "GREEN", ["DE"], originator="DE-GSSAC")
SECRET = Marking.build("SECRET", "AMBER", ["DE"], ["sst"], originator="DE-GSSAC")


@pytest.fixture(scope="module")
def daily_sets(shared_space: Path) -> list[list]:
    out = []
    for name in ("active_2026-05-04.tle", "active_2026-05-05.tle"):
        lines = (shared_space / name).read_text().splitlines()
        wanted = [lines[k - 1:k + 2] for k in range(1, len(lines) - 1)
                  if lines[k].startswith("1 ") and lines[k][2:7].strip() in {str(n) for n in PAIR}]
        parsed = parse_text("\n".join(line for group in wanted for line in group) + "\n", name, "tle")
        assert not parsed.rejections
        out.append([e for e in parsed.elements if e.norad_id in PAIR])
        assert len(out[-1]) == 2
    return out


def _two_days(store: Store, daily_sets: list[list], markings: tuple[Marking, Marking]) -> list[list[str]]:
    store.add_org("DE-GSSAC", "DE")
    store.add_user("analyst", "DE-GSSAC", "SECRET", ["sst"])
    user = store.account("analyst")
    assert user is not None
    found = []
    for sets, marking in zip(daily_sets, markings, strict=True):
        store.store_element_sets(user.user_id, "tle", "daily", sets, [], marking)
        found.append(screen_catalogue(store, start_utc=START, days=DAYS, threshold_km=10.0))
        assert len(found[-1]) == 2, "both close approaches of the day are found"
    return found


def _events(store: Store, viewer: Viewer) -> list[dict]:
    page = store.conjunction_events(viewer, sort="tca")
    assert page.total == len(page.items)
    return [tracks_event for item in page.items
            if (tracks_event := store.conjunction_event(viewer, item["id"])) is not None]


@pytest.mark.shared
def test_a_user_sees_an_event_with_only_the_updates_they_may_see_and_decides_on_it(store: Store,
                                                                                   daily_sets: list[list]) -> None:
    first, second = _two_days(store, daily_sets, (PUBLIC, SECRET))
    full = _events(store, ANALYST)
    assert len(full) == 2, "two encounters, two events"
    assert [e["updates"] for e in full] == [2, 2]
    assert [[u["conjunction_id"] for u in e["history"]] for e in full] == [[a, b] for a, b in zip(
        sorted(first, key=lambda i: store.conjunction(ANALYST, i)["tca_utc"]),  # type: ignore[index]
        sorted(second, key=lambda i: store.conjunction(ANALYST, i)["tca_utc"]), strict=True)]  # type: ignore[index]
    for e in full:
        old, new = e["history"]
        assert abs(float((np.datetime64(old["tca_utc"][:-1]) - np.datetime64(new["tca_utc"][:-1]))
                         / np.timedelta64(1, "s"))) < 5.0
        assert e["marking"]["classification"] == "SECRET" and e["marking"]["communities"] == [["sst"]]
        assert (e["pc"], e["miss_km"]) == (new["pc"], new["miss_km"])
        assert e["pc_trend"] == tracking.pc_trend([old["pc"], new["pc"]]) is not None
        assert old["primary_age_days"] > new["primary_age_days"] > 0, "the newer element set is younger at TCA"
        assert new["covariance_methods"] == ["DEFAULT", "DEFAULT"]  # one set per object: no history to fit on
        message = cdm.parse_kvn(store.conjunction_cdm(ANALYST, new["conjunction_id"]) or "")
        assert message.relative.get("CONJUNCTION_ID") == e["id"]
        assert message.relative.get("PREVIOUS_MESSAGE_ID") == old["message_id"] != new["message_id"]
        assert message.message_id == new["message_id"] and message.header.get("CCSDS_CDM_VERS") == "2.0"

    partial = _events(store, OPEN)
    assert [e["id"] for e in partial] == [e["id"] for e in full], "the same events, seen through the public update"
    for e, whole in zip(partial, full, strict=True):
        assert e["updates"] == 1 and [u["id"] for u in e["history"]] == [whole["history"][0]["id"]]
        assert e["marking"]["classification"] == "UNCLASSIFIED" and e["pc_trend"] is None
        assert (e["pc"], e["miss_km"]) == (whole["history"][0]["pc"], whole["history"][0]["miss_km"])
        assert store.conjunction_event_update(OPEN, whole["history"][1]["id"]) is None
    assert store.conjunction_events(OUTSIDER).total == 0, "releasable to DE only: nothing for an Italian user"
    assert store.conjunction_event(OUTSIDER, full[0]["id"]) is None
    assert store.conjunction_events(OPEN, norad_id=PAIR[1]).total == 2
    assert store.conjunction_events(OPEN, norad_id=25544).total == 0
    page = store.conjunction_events(ANALYST, limit=1, sort="-pc")
    rest = store.conjunction_events(ANALYST, page.next, limit=1, sort="-pc")
    assert page.total == rest.total == 2 and rest.next is None
    assert {page.items[0]["id"], rest.items[0]["id"]} == {e["id"] for e in full}
    with pytest.raises(StoreError):
        store.conjunction_events(ANALYST, page.next, limit=1, sort="tca")

    # decisions: closed, marked by what the decider saw, refused on events one may not see
    store.add_user("duty", "DE-GSSAC", "UNCLASSIFIED")
    store.add_org("IT-ASI", "IT")
    store.add_user("outsider", "IT-ASI", "SECRET", ["sst"])
    duty, outsider = store.account("duty"), store.account("outsider")
    assert duty is not None and outsider is not None
    event_id = full[0]["id"]
    with pytest.raises(StoreError):
        store.decide_conjunction_event(duty, event_id, "ignore", "no")
    assert store.decide_conjunction_event(outsider, event_id, "accept", "seen nothing") is None
    done = store.decide_conjunction_event(duty, event_id, "accept", "Pc under 1e-4 at 2.7 d; no manoeuvre")
    assert done is not None and done["status"] == "closed"
    assert done["decision"]["by"] == "DE-GSSAC" and done["decision"]["marking"]["classification"] == "UNCLASSIFIED"
    seen = store.conjunction_event(ANALYST, event_id)
    assert seen is not None and seen["decision"]["decision"] == "accept"
    assert seen["decision"]["update_id"] == seen["history"][0]["id"], "the decision rests on what its author saw"
    levels = [u["level"] for u in seen["history"]]
    rose = tracking.LEVELS.index(levels[1]) > tracking.LEVELS.index(levels[0])
    assert seen["status"] == ("open" if rose else "closed")
    assert store.conjunction_event(ANALYST, full[1]["id"])["decision"] is None  # type: ignore[index]


@pytest.mark.shared
def test_a_public_cdm_never_names_a_secret_previous_message(store: Store, daily_sets: list[list]) -> None:
    _, second = _two_days(store, daily_sets, (SECRET, PUBLIC))
    for conjunction_id in second:
        message = cdm.parse_kvn(store.conjunction_cdm(OPEN, conjunction_id) or "")
        assert message.relative.get("CONJUNCTION_ID") is not None
        assert message.relative.get("PREVIOUS_MESSAGE_ID") is None, "the previous update is SECRET"
    assert [e["updates"] for e in _events(store, OPEN)] == [1, 1]
    # the PUBLIC update is not linked against the SECRET one (its readers could not see what placed it there:
    # review finding S3), so the analyst sees each encounter twice: once from each marking's data
    assert [e["updates"] for e in _events(store, ANALYST)] == [1, 1, 1, 1]


@pytest.mark.shared
def test_alerts_reruns_and_relinking(store: Store, daily_sets: list[list], monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-asset thresholds through the existing webhooks, on the pair's real Pc values: 7e-5 on the first day
    (placeholder covariance: one element set per object) and far below 1e-5 on the second (covariance fitted on the
    two days' sets), yellow then green by default. A ``tracked-event`` subscription that calls 1e-5 red for asset
    43890 gets a delivery planned for each update at or above it; one with the default red (1e-4) for none; a
    level-change rule matches the fall from yellow to green only when it asks for any change. Then: a rerun links
    nothing twice, and relinking from scratch (as for conjunctions stored before tracking) gives the same events."""
    from kompas.core import alerts

    registered = "tracked-event" in alerts.KINDS
    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "127.0.0.1")
    store.add_org("DE-GSSAC", "DE")
    store.add_user("analyst", "DE-GSSAC", "SECRET", ["sst"])
    account = store.account("analyst")
    assert account is not None
    asset = {"norad_ids": [43890], "min_level": "red", "red_pc": 1e-5}
    if registered:
        red = alerts.subscribe(store, account, "http://127.0.0.1:9/red", ["tracked-event"], asset)
        default = alerts.subscribe(store, account, "http://127.0.0.1:9/default", ["tracked-event"],
                                   {"min_level": "red"})
    for sets in daily_sets:
        store.store_element_sets(account.user_id, "tle", "daily", sets, [], PUBLIC)
        assert len(screen_catalogue(store, start_utc=START, days=DAYS, threshold_km=10.0)) == 2
    with store.session(None) as s:
        updates = s.scalars(select(ConjunctionEventUpdate.id).order_by(ConjunctionEventUpdate.epoch_utc,
                                                                       ConjunctionEventUpdate.id)).all()
        queued = [(r.id, r.kind, r.item_id) for r in s.scalars(
            select(QueuedAlert).where(QueuedAlert.kind == "tracked-event"))]
    assert len(updates) == 4
    items = [store.conjunction_event_update(ANALYST, u) for u in updates]
    assert all(item is not None for item in items)
    pcs = [item["update"]["pc"] for item in items]  # type: ignore[index]
    assert all(p is not None for p in pcs) and any(p >= 1e-5 for p in pcs) and any(p < 1e-5 for p in pcs), pcs
    assert max(pcs) < 1e-4, pcs
    fired = [tracking.rule_matches(asset, item) for item in items]  # type: ignore[arg-type]
    assert fired == [p >= 1e-5 for p in pcs]
    assert not any(tracking.rule_matches({"min_level": "red"}, item) for item in items)  # type: ignore[arg-type]
    assert not any(tracking.rule_matches({**asset, "norad_ids": [25544]}, item) for item in items)  # type: ignore
    falls = [item for item in items if item["previous"] is not None  # type: ignore[index]
             and tracking.level(item["previous"]["pc"]) == "yellow"  # type: ignore[index]
             and tracking.level(item["update"]["pc"]) == "green"]  # type: ignore[index]
    assert falls and all(tracking.rule_matches({"level_change": "any"}, item) for item in falls)
    assert not any(tracking.rule_matches({"level_change": "up"}, item) for item in falls)
    if registered:
        assert sorted(item_id for _, _, item_id in queued) == sorted(updates), "one alert per update"
        planned = [d for deliveries in alerts.plan(store, queued).values() for d in deliveries]
        assert sorted(item for sub, _, item in planned if sub == red["id"]) == sorted(
            u for u, p in zip(updates, pcs, strict=True) if p >= 1e-5) != []
        assert not [d for d in planned if d[0] == default["id"]]

    before = {e["id"]: [u["conjunction_id"] for u in e["history"]] for e in _events(store, ANALYST)}
    assert screen_catalogue(store, start_utc=START, days=DAYS, threshold_km=10.0) == []
    assert store.track_stored_conjunctions() == 0
    with store.session(None) as s:
        assert s.scalar(select(func.count()).select_from(ConjunctionEventUpdate)) == 4
        s.execute(delete(ConjunctionEventUpdate))  # as if stored before tracking existed
        s.execute(delete(ConjunctionEventRecord))
    assert store.track_stored_conjunctions() == 4
    assert store.track_stored_conjunctions() == 0
    after = {e["id"]: [u["conjunction_id"] for u in e["history"]] for e in _events(store, ANALYST)}
    assert sorted(before.values()) == sorted(after.values())
    if not registered:
        pytest.skip("checked all but the webhook deliveries: alert kind tracked-event not registered yet "
                    "(/tmp/coord21/h5_alerts_rename.patch)")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(updates=st.lists(st.tuples(markings, st.integers(-30, 30)), min_size=1, max_size=4), viewer=viewers())
def test_an_event_shows_exactly_the_updates_a_viewer_may_see(store: Store, updates: list, viewer: Viewer) -> None:
    """Property (marking enforcement): daily updates of one encounter under random markings (TCAs within half a
    minute, as measured on the real snapshots; synthetic element sets, the real-data tests above cover the
    physics). A random viewer sees the event exactly when they may see one of its updates, its history is exactly
    those updates in their order, its values come from the newest of them and its marking is their combination."""
    from kompas.core.markings import combine, may_see
    from kompas.space.elements import ElementSet
    from kompas.space.screening import Conjunction

    databases.wipe(store.engine)
    store.add_org("NL-NSO", "NL")
    loader = store.authenticate(store.add_user("loader", "NL-NSO", "TOP_SECRET"))
    assert loader is not None
    tca = np.datetime64("2026-05-08T03:42:00", "ns")
    for day, (marking, jitter_s) in enumerate(updates):
        epoch = np.datetime64("2026-05-01T12:00:00", "ns") + np.timedelta64(day, "D")
        sets = [ElementSet(n, epoch, 15.0, 0.001, 97.4, 10.0, 20.0, 30.0, name=f"OBJECT {n}") for n in PAIR]
        store.store_element_sets(loader.user_id, "tle", f"day {day}", sets, [], marking)
        inputs = {i.element_set.norad_id: i for i in store.latest_inputs(None)}
        found = Conjunction(PAIR[day % 2], PAIR[1 - day % 2], "", "", tca + np.timedelta64(jitter_s, "s"),
                            1.0 + day / 10, 15.0, (0.6, 0.1, 0.7), (0.0, -14.9, 1.9), (6900.0, 0, 0, 0, 7.6, 0),
                            (6900.0, 0.6, 0.7, 0, -7.3, 1.9))
        assert len(store.store_conjunctions([found], {n: i.record_id for n, i in inputs.items()},
                                            {n: i.marking_id for n, i in inputs.items()},
                                            [(1e-5 * (day + 1), None)])) == 1
    seen = [(day, m) for day, (m, _) in enumerate(updates) if may_see(viewer, m)]
    everything = store.conjunction_events(None, limit=100)
    system = [store.conjunction_event(None, e["id"]) for e in everything.items]
    assert sum(len(e["history"]) for e in system) == len(updates)  # type: ignore[index]
    for e in system:  # each update after an event's first joined it through an earlier update its marking covers
        history = [Marking.from_dict(u["marking"]) for u in e["history"]]  # type: ignore[index]
        for k, mine in enumerate(history[1:], 1):
            assert any(combine([mine, old]) == mine for old in history[:k]), "linked through an update it hides"
    visible = [e for e in system if any(may_see(viewer, Marking.from_dict(u["marking"]))
                                        for u in e["history"])]  # type: ignore[index]
    page = store.conjunction_events(viewer)
    assert page.total == len(visible) == len(page.items)
    assert (page.total > 0) == bool(seen)
    days = {round(1.0 + day / 10, 6): day for day in range(len(updates))}
    shown = []
    for item in page.items:
        event = store.conjunction_event(viewer, item["id"])
        assert event is not None
        full = next(e for e in system if e["id"] == item["id"])  # type: ignore[index]
        mine = [u for u in full["history"] if may_see(viewer, Marking.from_dict(u["marking"]))]  # type: ignore[index]
        assert [u["id"] for u in event["history"]] == [u["id"] for u in mine]
        history_days = [days[round(u["miss_km"], 6)] for u in event["history"]]
        shown += history_days
        assert event["pc"] == pytest.approx(1e-5 * (history_days[-1] + 1))
        assert event["marking"] == combine(Marking.from_dict(u["marking"]) for u in mine).as_dict()
        assert event["norad_ids"] == sorted(PAIR)
    assert sorted(shown) == [day for day, _ in seen]
