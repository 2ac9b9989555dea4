"""The four sorted listings (conjunctions, events, objects, FIMI incidents) through the API: every order walked page
by page gives each visible item once, in its order, with the true total of what the caller may see; filters reach
items beyond the first page; a cursor of another order or other filters is refused; and the formation /
same-owner rule on real pairs (kompas.space.pairs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from kompas.core import incidents as fimi
from kompas.core.markings import Classification, Marking, Viewer, may_see
from kompas.core.models import ConjunctionRecord, EventRecord, FimiIncidentRecord
from kompas.core.store import Store
from kompas.fimi.incident import Incident, Target
from kompas.space import pairs
from kompas.space.elements import ElementSet
from kompas.space.ingest import parse_text
from kompas.space.screening import Conjunction, screen

EPOCH = np.datetime64("2026-05-05T00:00:00", "ns")
OPEN, SECRET = Marking.build(), Marking.build("SECRET", releasable_to=["NL"])
ANN = Viewer(Classification.SECRET, "NL-NSO", "NL", frozenset({"sst"}))
BOB = Viewer(Classification.RESTRICTED, "FR-CNES", "FR", frozenset())
#: TerraSAR-X and TanDEM-X (DLR), COSMO-SkyMed 1 and 3 (ASI), Pleiades 1A (CNES), two objects of unknown owner
OBJECTS = [31698, 36605, 31598, 33412, 38012, 90001, 90002]
REAL_PAIRS = Path(__file__).parents[1] / "data" / "formation_pairs_2026-05-05.tle"


def _elset(norad_id: int, hours: int) -> ElementSet:
    return ElementSet(norad_id, EPOCH + np.timedelta64(hours, "h"), 15.5, 0.0005, 51.6, 10.0, 20.0, 30.0,
                      name=f"SAT {norad_id}")


def _conjunction(a: int, b: int, minute: int, miss_km: float, v_rel_km_s: float) -> Conjunction:
    return Conjunction(primary_id=a, secondary_id=b, primary_name="", secondary_name="",
                       tca_utc=EPOCH + np.timedelta64(minute, "m"), miss_km=miss_km, v_rel_km_s=v_rel_km_s,
                       rtn_km=(0.1, 0.2, 0.3), rtn_velocity_km_s=(0.0, v_rel_km_s, 0.0), primary_state=(0,) * 6,
                       secondary_state=(0,) * 6)


def _seed(store: Store) -> None:
    """Element sets (30 and 90001 SECRET, so conjunctions with them are SECRET), 36 conjunctions with ties in Pc,
    conjunctions without Pc, formation and same-owner pairs; 24 events; 9 incidents."""
    user_id = store.authenticate(store.add_user("loader", "NL-NSO", "TOP_SECRET")).user_id
    for norad_id in OBJECTS:
        marking = SECRET if norad_id in (31598, 90001) else OPEN
        store.store_element_sets(user_id, "tle", "listing-test", [_elset(norad_id, norad_id % 7)], [], marking)
    latest = {e.norad_id: (rid, mid) for rid, e, mid in store.latest_element_sets(None)}
    found, derived = [], []
    rnd = np.random.default_rng(20)
    pcs = [None, 1e-4, 1e-4, 3e-6, 0.0, None, 2e-3]
    for k in range(36):
        a, b = sorted(rnd.choice(OBJECTS, 2, replace=False).tolist())
        v_rel = 0.0004 if k % 9 == 0 else float(rnd.uniform(0.5, 14))
        if k % 9 == 0:
            a, b = 31698, 36605  # the DLR formation
        found.append(_conjunction(a, b, 7 * k, float(rnd.choice([0.5, 1.5, 2.5])), v_rel))
        derived.append((pcs[k % len(pcs)], None))
    store.store_conjunctions(found, {n: r for n, (r, _) in latest.items()}, {n: m for n, (_, m) in latest.items()},
                             derived)
    for k in range(24):
        store.add_event("manoeuvre" if k % 2 else "proximity", f"2026-05-0{1 + k % 8}T0{k % 5}:00:00.000000000Z",
                        [OBJECTS[k % 7]], f"event {k} {'burn' if k % 3 == 0 else 'drift'}",
                        SECRET if k % 4 == 0 else OPEN, detail={"severity": ["low", "medium", "high"][k % 3]})
    for k in range(9):
        incident = Incident(f"case-{k}", "api", f"claim {k} about Poland", f"2026-04-{10 + k % 4:02d}",
                            targets=[Target("Poland")])
        fimi.store_incidents(store, user_id, "loader", [incident], [], "json", "listing-test",
                             SECRET if k % 3 == 0 else OPEN)


def _visible(store: Store, viewer: Viewer, table: type) -> set[str]:
    """The oracle: ids of ``table`` the Python rule lets ``viewer`` see, from a system session."""
    with store.session(None) as s:
        return {r.id for r in s.scalars(select(table)) if may_see(viewer, store.marking_of(s, r.marking_id))}


def _walk(client, headers: dict, path: str, limit: int = 4, **params) -> tuple[list[dict], list[int]]:  # noqa: ANN001
    """Every page of a listing: the items in order and the total each page reported."""
    items, totals, after = [], [], None
    for _ in range(500):
        answer = client.get(path, headers=headers, params={"limit": limit, **params, **({"after": after} if after
                                                                                        else {})})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        totals.append(page["total"])
        after = page["next"]
        if after is None:
            return items, totals
    raise AssertionError("more than 500 pages")


def _pc_high(c: dict) -> tuple:
    return (c["pc"] is None, -(c["pc"] or 0.0), c["tca_utc"], c["id"])


CONJUNCTION_ORDERS = {
    "-pc": (_pc_high, False),
    "pc": (lambda c: (c["pc"] is None, c["pc"] or 0.0, c["tca_utc"], c["id"]), False),
    "tca": (lambda c: (c["tca_utc"], c["id"]), False),
    "-tca": (lambda c: (c["tca_utc"], c["id"]), True),
    "miss": (lambda c: (c["miss_km"], c["tca_utc"], c["id"]), False),
    "-miss": (lambda c: (-c["miss_km"], c["tca_utc"], c["id"]), False),
}


@pytest.mark.parametrize("sort", list(CONJUNCTION_ORDERS))
def test_conjunction_orders_walk_every_visible_item_once_with_the_true_total(world: dict, sort: str) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    key, reverse = CONJUNCTION_ORDERS[sort]
    counts = {}
    for who, viewer in (("ann", ANN), ("bob", BOB)):
        items, totals = _walk(client, world[who], "/api/v1/conjunctions", sort=sort)
        ids = [c["id"] for c in items]
        assert len(ids) == len(set(ids)) and set(ids) == _visible(store, viewer, ConjunctionRecord), (who, sort)
        assert items == sorted(items, key=key, reverse=reverse), (who, sort)
        assert set(totals) == {len(items)}, (who, sort)
        counts[who] = len(items)
    assert counts["ann"] > counts["bob"] > 0  # two clearances, two true totals


def test_the_default_order_is_pc_high_first_then_tca_and_items_carry_names_owners_relation_and_ages(
        world: dict) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    page = client.get("/api/v1/conjunctions", headers=world["ann"], params={"limit": 1000}).json()
    items = page["items"]
    assert items == sorted(items, key=_pc_high) and items[0]["pc"] == 2e-3 and items[-1]["pc"] is None
    assert page["total"] == len(items) == 36 and page["next"] is None
    ties = [c for c in items if c["pc"] == 1e-4]
    assert len(ties) > 2 and [c["tca_utc"] for c in ties] == sorted(c["tca_utc"] for c in ties)
    dlr = [c for c in items if (c["primary_id"], c["secondary_id"]) == (31698, 36605) and c["v_rel_km_s"] < 0.001]
    assert len(dlr) == 4 and all(c["relation"] == "formation" and c["primary_owner"] == "DE (DLR, dual-use)" and
                       c["primary_name"] == "SAT 31698" and c["secondary_name"] == "SAT 36605" for c in dlr)
    for c in items:
        assert c["relation"] == pairs.relation(c["v_rel_km_s"], c["primary_owner"], c["secondary_owner"])
        older = min(np.datetime64(c["primary_epoch_utc"][:-1]), np.datetime64(c["secondary_epoch_utc"][:-1]))
        expected = (np.datetime64(c["tca_utc"][:-1]) - older) / np.timedelta64(1, "ns") / 86_400e9
        assert c["elset_age_days"] == pytest.approx(expected, abs=1e-5)
        assert (c["primary_owner"] is None) == (c["primary_id"] not in (31698, 36605, 31598, 33412, 38012))
    single = client.get(f"/api/v1/conjunctions/{dlr[0]['id']}", headers=world["ann"]).json()
    assert single == dlr[0]


def test_conjunction_filters_reach_beyond_the_first_page_and_count_what_they_match(world: dict) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    ann = world["ann"]
    every = client.get("/api/v1/conjunctions", headers=ann, params={"limit": 1000, "sort": "tca"}).json()["items"]
    last_tca = every[-1]["tca_utc"][:19] + "Z"  # the end of the data: far beyond the first page of any order
    cases = [
        ({"since": last_tca}, lambda c: c["tca_utc"] >= last_tca[:-1]),
        ({"hide_related": "true"}, lambda c: c["relation"] is None),
        ({"owner": "dlr"}, lambda c: "DLR" in f"{c['primary_owner']} {c['secondary_owner']}"),
        ({"owner": "ASI"}, lambda c: "ASI" in f"{c['primary_owner']} {c['secondary_owner']}"),
        ({"object": "sat 90002"}, lambda c: 90002 in (c["primary_id"], c["secondary_id"])),
        ({"object": "38012"}, lambda c: 38012 in (c["primary_id"], c["secondary_id"])),
        ({"norad_id": 33412}, lambda c: 33412 in (c["primary_id"], c["secondary_id"])),
        ({"min_pc": 1e-4}, lambda c: c["pc"] is not None and c["pc"] >= 1e-4),
        ({"min_pc": 0}, lambda c: c["pc"] is not None),
        ({"max_miss_km": 1.0}, lambda c: c["miss_km"] <= 1.0),
    ]
    for params, wanted in cases:
        expected = [c["id"] for c in every if wanted(c)]
        assert 0 < len(expected) < len(every), params
        items, totals = _walk(client, ann, "/api/v1/conjunctions", limit=2, **params)
        assert sorted(c["id"] for c in items) == sorted(expected) and set(totals) == {len(expected)}, params
    assert client.get("/api/v1/conjunctions", headers=ann, params={"owner": "nobody"}).json()["total"] == 0
    hidden = client.get("/api/v1/conjunctions", headers=world["bob"], params={"object": "SAT 90001"}).json()
    assert hidden == {"items": [], "next": None, "total": 0}  # bob may not see that object's name or conjunctions


def test_a_cursor_of_another_order_or_other_filters_is_refused_and_limits_are_bounded(world: dict) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    ann = world["ann"]
    for path, sort, other in (("/api/v1/conjunctions", "-pc", "tca"), ("/api/v1/events", "-time", "time"),
                              ("/api/v1/objects", "norad_id", "name"), ("/api/v1/fimi/incidents", "-first_seen",
                                                                         "first_seen")):
        cursor = client.get(path, headers=ann, params={"limit": 2, "sort": sort}).json()["next"]
        assert cursor, path
        assert client.get(path, headers=ann, params={"limit": 2, "sort": sort, "after": cursor}).status_code == 200
        refused = client.get(path, headers=ann, params={"limit": 2, "sort": other, "after": cursor})
        assert refused.status_code == 422 and "sort=" in refused.text, path
        assert cursor.split("|")[1] not in refused.text  # the message does not echo the cursor
        assert client.get(path, headers=ann, params={"limit": 0}).status_code == 422
        assert client.get(path, headers=ann, params={"limit": 1001}).status_code == 422
        assert client.get(path, headers=ann, params={"sort": "sideways"}).status_code == 422
        assert client.get(path, headers=ann, params={"limit": 1000}).status_code == 200
    cursor = client.get("/api/v1/conjunctions", headers=ann, params={"limit": 2}).json()["next"]
    other_filter = client.get("/api/v1/conjunctions", headers=ann, params={"limit": 2, "after": cursor,
                                                                           "hide_related": "true"})
    assert other_filter.status_code == 422


EVENT_ORDERS = {
    "-time": (lambda e: (e["time_utc"], e["id"]), True),
    "time": (lambda e: (e["time_utc"], e["id"]), False),
    "-severity": (lambda e: ({"high": 3, "medium": 2, "low": 1}[e["severity"]], e["time_utc"], e["id"]), True),
}


@pytest.mark.parametrize("sort", list(EVENT_ORDERS))
def test_event_orders_and_title_words(world: dict, sort: str) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    key, reverse = EVENT_ORDERS[sort]
    totals = {}
    for who, viewer in (("ann", ANN), ("bob", BOB)):
        items, seen = _walk(client, world[who], "/api/v1/events", limit=5, sort=sort)
        assert [e["id"] for e in items] == [e["id"] for e in sorted(items, key=key, reverse=reverse)]
        assert {e["id"] for e in items} == _visible(store, viewer, EventRecord) and len(items) == len(set(
            e["id"] for e in items))
        assert set(seen) == {len(items)}
        totals[who] = len(items)
    assert totals == {"ann": 24 + 9, "bob": 18 + 6}  # space events and the FIMI incidents as events
    burns, seen = _walk(client, world["ann"], "/api/v1/events", limit=3, sort=sort, q="BURN event")
    assert len(burns) == 8 and set(seen) == {8} and all("burn" in e["title"] for e in burns)
    assert client.get("/api/v1/events", headers=world["ann"]).json()["items"][0]["time_utc"].startswith("2026-05-08")


OBJECT_ORDERS = {
    "norad_id": (lambda o: o["norad_id"], False),
    "-norad_id": (lambda o: o["norad_id"], True),
    "name": (lambda o: (o["name"], o["norad_id"]), False),
    "epoch": (lambda o: (o["newest_epoch_utc"], o["norad_id"]), False),
    "-epoch": (lambda o: (o["newest_epoch_utc"], -o["norad_id"]), True),
}


@pytest.mark.parametrize("sort", list(OBJECT_ORDERS))
def test_object_orders_totals_and_ages(world: dict, sort: str) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    key, reverse = OBJECT_ORDERS[sort]
    for who, count in (("ann", 7), ("bob", 5)):
        items, totals = _walk(client, world[who], "/api/v1/objects", limit=2, sort=sort)
        assert items == sorted(items, key=key, reverse=reverse) and set(totals) == {count} and len(items) == count
        newest = max(np.datetime64(o["newest_epoch_utc"][:-1]) for o in items)
        for o in items:
            age = (newest - np.datetime64(o["newest_epoch_utc"][:-1])) / np.timedelta64(1, "h") / 24
            assert o["age_days"] == pytest.approx(age, abs=1e-6)
        assert max(o["age_days"] for o in items) > 0
    found = client.get("/api/v1/objects", headers=world["ann"], params={"q": "sat 3"}).json()
    assert found["total"] == 5 and {o["norad_id"] for o in found["items"]} == {31698, 36605, 31598, 33412, 38012}
    assert client.get("/api/v1/objects", headers=world["bob"], params={"q": "90001"}).json()["total"] == 0
    assert client.get("/api/v1/objects", headers=world["ann"], params={"q": "90001"}).json()["total"] == 1


@pytest.mark.parametrize("sort", ["-first_seen", "first_seen"])
def test_incident_orders_and_totals(world: dict, sort: str) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    for who, viewer in (("ann", ANN), ("bob", BOB)):
        items, totals = _walk(client, world[who], "/api/v1/fimi/incidents", limit=2, sort=sort)
        keys = [(i["first_seen"], i["id"]) for i in items]
        assert keys == sorted(keys, reverse=sort.startswith("-"))
        assert {i["id"] for i in items} == _visible(store, viewer, FimiIncidentRecord) and set(totals) == {len(items)}
    assert client.get("/api/v1/fimi/incidents", headers=world["bob"]).json()["total"] == 6


@pytest.fixture(scope="module")
def real_conjunctions() -> list[Conjunction]:
    """Close approaches within 50 km over a day among nine real element sets (tests/data PROVENANCE.md), from the
    newest epoch of the snapshot they come from."""
    elements = parse_text(REAL_PAIRS.read_text(), str(REAL_PAIRS), "tle").elements
    assert len(elements) == 9
    return screen(elements, np.datetime64("2026-05-07T23:26:19.150656", "ns"), 86_400.0, 50.0).conjunctions


def test_the_relation_rule_on_real_pairs(real_conjunctions: list[Conjunction]) -> None:
    """DLR's TerraSAR-X / TanDEM-X and the co-located Astra 1N / 1P fly in formation; COSMO-SkyMed 1 and 3 share
    an owner; Pleiades 1A / Sentinel-1D and the co-orbital 2024-174C passing the DLR pair are encounters."""
    from kompas.core.store.space import asset_owners

    owners = asset_owners()
    relations: dict[tuple[int, int], set] = {}
    for c in real_conjunctions:
        pair = (min(c.primary_id, c.secondary_id), max(c.primary_id, c.secondary_id))
        relations.setdefault(pair, set()).add(pairs.relation(c.v_rel_km_s, owners.get(c.primary_id),
                                                             owners.get(c.secondary_id)))
    assert relations[(31698, 36605)] == {"formation"}  # TerraSAR-X, TanDEM-X: both DLR, and 0.3 m/s apart
    assert relations[(37775, 60086)] == {"formation"}  # Astra 1N, Astra 1P: owner unknown to Kompas, 3 m/s
    assert relations[(31598, 33412)] == {"same-owner"}  # COSMO-SkyMed 1 and 3 at 3.4 km/s
    assert relations[(38012, 66315)] == {None}  # Pleiades 1A (CNES) and Sentinel-1D (Copernicus)
    assert relations[(36605, 61240)] == {None} and relations[(31698, 61240)] == {None}  # passing at ~50 m/s


def test_hiding_related_pairs_in_sql_is_the_python_rule(store: Store,
                                                         real_conjunctions: list[Conjunction]) -> None:
    """The real conjunctions stored: hide_related leaves exactly those whose relation is None."""
    store.add_org("NL-NSO", "NL")
    user_id = store.authenticate(store.add_user("loader", "NL-NSO", "SECRET")).user_id
    elements = parse_text(REAL_PAIRS.read_text(), str(REAL_PAIRS), "tle").elements
    store.store_element_sets(user_id, "tle", "real", elements, [], OPEN)
    latest = {e.norad_id: (rid, mid) for rid, e, mid in store.latest_element_sets(None)}
    store.store_conjunctions(real_conjunctions, {n: r for n, (r, _) in latest.items()},
                             {n: m for n, (_, m) in latest.items()})
    every = store.conjunctions(ANN, limit=1000)
    kept = store.conjunctions(ANN, limit=1000, hide_related=True)
    assert every.total == len(every.items) and {c["relation"] for c in every.items} == {None, "formation",
                                                                                        "same-owner"}
    assert {c["id"] for c in kept.items} == {c["id"] for c in every.items if c["relation"] is None}
    assert kept.total == len(kept.items) > 0
    assert {c["primary_name"] for c in every.items} >= {"TERRASAR-X", "COSMO-SKYMED 1"}


def test_names_and_objects_carry_the_marking_of_what_they_come_from(world: dict) -> None:
    """A SECRET element set of an object under another name changes neither the name shown in an open conjunction
    (the names come from the two element sets screened, which the row's marking covers) nor leaves the object's
    listing unmarked: the object item carries the combination of its sets' markings, SECRET for ann."""
    store, client = world["store"], world["client"]
    _seed(store)
    user_id = store.authenticate(store.add_user("covert", "NL-NSO", "SECRET")).user_id
    hidden = _elset(36605, 100)
    hidden = ElementSet(hidden.norad_id, hidden.epoch_utc, *[getattr(hidden, f) for f in (
        "mean_motion_rev_day", "eccentricity", "inclination_deg", "raan_deg", "arg_perigee_deg",
        "mean_anomaly_deg")], name="ZZ COVERT PAYLOAD")
    store.store_element_sets(user_id, "tle", "covert", [hidden], [], SECRET)
    items, _ = _walk(client, world["ann"], "/api/v1/conjunctions", limit=100, norad_id=36605)
    open_rows = [c for c in items if c["marking"]["classification"] == "UNCLASSIFIED"]
    assert open_rows and all("COVERT" not in (c["primary_name"] or "") + (c["secondary_name"] or "")
                             for c in open_rows)
    objects = {o["norad_id"]: o for o in _walk(client, world["ann"], "/api/v1/objects", limit=100)[0]}
    assert objects[36605]["name"] == "ZZ COVERT PAYLOAD" and objects[36605]["marking"]["classification"] == "SECRET"
    assert objects[38012]["marking"]["classification"] == "UNCLASSIFIED"
    bob = {o["norad_id"]: o for o in _walk(client, world["bob"], "/api/v1/objects", limit=100)[0]}
    assert bob[36605]["name"] == "SAT 36605" and bob[36605]["marking"]["classification"] == "UNCLASSIFIED"
    names = client.get("/api/v1/objects/names?ids=36605,38012", headers=world["ann"]).json()
    assert names["names"]["36605"] == "ZZ COVERT PAYLOAD"
    assert "SECRET" in {m["classification"] for m in names["markings"]}


@pytest.mark.parametrize("path", ["/api/v1/objects?q=1234567890123456789012", "/api/v1/objects?q=%C2%B2",
                                  "/api/v1/conjunctions?object=1234567890123456789012",
                                  "/api/v1/conjunctions?object=%C2%B2"])
def test_searches_that_look_like_numbers_are_answered(world: dict, path: str) -> None:
    """Digits beyond a catalogue number, and Unicode digits, are words of a name: 200 with no match, never 500."""
    _seed(world["store"])
    answer = world["client"].get(path, headers=world["ann"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == 0


def test_integer_cursor_values_out_of_range_are_refused(world: dict) -> None:
    store, client = world["store"], world["client"]
    _seed(store)
    first = client.get("/api/v1/objects?limit=2", headers=world["ann"]).json()
    tag = first["next"].split("|")[0]
    for value in ("9" * 40, "-" + "9" * 30, "1e5"):
        answer = client.get(f"/api/v1/objects?limit=2&after={tag}|{value}", headers=world["ann"])
        assert answer.status_code == 422, (value, answer.status_code, answer.text)
