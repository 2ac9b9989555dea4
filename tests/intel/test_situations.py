"""Linking events into situations (kompas.intel.situations): the rule on small cases with known answers (distances
along a meridian: one degree of latitude is 6371.0088 * pi / 180 = 111.195 km on the haversine sphere), and
property tests (hypothesis) of the per-viewer guarantee: the situations a viewer gets are those of the events the
viewer may see and nothing else (no hidden event bridges two visible ones, none is named), every situation's
marking is the combination of its events' markings and one the viewer may read, and the sweeps give the same
groups as testing every pair."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.core.markings import Classification, Marking, Viewer, combine, may_see
from kompas.intel.situations import (
    Rule,
    _near_groups,
    centroid,
    countries_of,
    country_code,
    haversine_km,
    link,
    read,
    reasons,
)

KM_PER_DEG = 6371.0088 * 3.141592653589793 / 180  # 111.195 km per degree of latitude
PUBLIC = Marking.build(tlp="CLEAR")


def hours(h: float) -> str:
    """2024-12-25T00:00Z plus ``h`` hours, in the stored form."""
    import numpy as np

    t = np.datetime64("2024-12-25T00:00:00", "ns") + np.timedelta64(int(round(h * 3600e9)), "ns")
    return str(np.datetime_as_string(t, unit="ns")) + "Z"


def event(n: int, start_h: float = 0.0, end_h: float | None = None, lat: float | None = None,
          lon: float | None = None, countries: tuple[str, ...] = (), actors: tuple[tuple[str, str], ...] = (),
          marking: Marking = PUBLIC, severity: str = "medium", domain: str = "maritime",
          detail: dict | None = None) -> dict[str, Any]:
    end_h = start_h if end_h is None else end_h
    place: dict[str, Any] = {"countries": list(countries)}
    if lat is not None:
        place |= {"lat": lat, "lon": lon}
    return {"id": str(uuid.UUID(int=n + 1)), "domain": domain, "type": "x", "title": f"event {n}",
            "severity": severity, "time_utc": hours(start_h), "start_utc": hours(start_h), "end_utc": hours(end_h),
            "place": place, "actors": [{"role": "actor", "kind": k, "id": i, "name": f"{k} {i}"} for k, i in actors],
            "detail": detail or {}, "marking": marking.as_dict()}


def groups(events: list[dict], viewer: Viewer | None = None, rule: Rule | None = None) -> list[set[int]]:
    """The situations as sets of event numbers (the n of :func:`event`)."""
    return sorted(({uuid.UUID(i).int - 1 for i in s.as_dict()["event_ids"]} for s in link(events, viewer, rule)
                   .situations), key=min)


def test_place_within_50_km_and_72_hours() -> None:
    """0.44 degrees of latitude = 48.93 km: linked; 0.46 = 51.15 km: not; 71 h apart linked, 73 h not."""
    assert haversine_km(60.0, 25.0, *[[60.44], [25.0]])[0] == pytest.approx(0.44 * KM_PER_DEG, rel=1e-9)
    near = [event(0, 0, lat=60.0, lon=25.0), event(1, 10, lat=60.44, lon=25.0)]
    assert groups(near) == [{0, 1}]
    assert groups([near[0], event(1, 10, lat=60.46, lon=25.0)]) == [{0}, {1}]
    assert groups([event(0, 0, 5, lat=60.0, lon=25.0), event(1, 76, lat=60.1, lon=25.0)]) == [{0, 1}]  # 71 h gap
    assert groups([event(0, 0, 5, lat=60.0, lon=25.0), event(1, 78, lat=60.1, lon=25.0)]) == [{0}, {1}]  # 73 h
    assert groups(near, rule=Rule(km=40.0)) == [{0}, {1}]
    (linked,) = link(near).situations
    (pair,) = linked.links
    assert pair["reasons"] == [{"rule": "place", "km": pytest.approx(48.926, abs=1e-3), "hours": 10.0}]


def test_same_actor_within_30_days_and_country_names() -> None:
    vessel = (("vessel", "230000777"),)
    assert groups([event(0, 0, actors=vessel), event(1, 24 * 29, actors=vessel)]) == [{0, 1}]
    assert groups([event(0, 0, actors=vessel), event(1, 24 * 31, actors=vessel)]) == [{0}, {1}]
    assert groups([event(0, 0, actors=vessel), event(1, 24 * 400, actors=vessel)],
                  rule=Rule(actor_hours=None)) == [{0, 1}]
    # the same id of another kind is another actor
    assert groups([event(0, 0, actors=(("vessel", "7"),)), event(1, 1, actors=(("threat-actor", "7"),))]) == [{0},
                                                                                                          {1}]
    # Finland, FIN, fi and FI are one country; a country actor counts as a country
    finland = [event(0, 0, countries=("Finland",)), event(1, 70, countries=("FIN",)),
               event(2, 140, actors=(("country", "fi"),))]
    assert groups(finland) == [{0, 1, 2}]
    assert groups(finland, rule=Rule(countries=False)) == [{0}, {1}, {2}]
    assert [country_code(c) for c in ("Finland", "FIN", "fi", "UK", "EL", "Russia", "Atlantis", "")] == [
        "FI", "FI", "FI", "GB", "GR", "RU", "ATLANTIS", ""]


def test_chains_make_one_situation_whatever_the_order() -> None:
    """A-B by place, B-C by actor: one situation though A and C share nothing; the answer (ids, links, title) is
    the same for any order of the input."""
    events = [event(0, 0, lat=60.0, lon=25.0, severity="low"), event(1, 2, lat=60.2, lon=25.0, actors=(("vessel",
              "1"),), severity="high"), event(2, 300, lat=40.0, lon=0.0, actors=(("vessel", "1"),)),
              event(3, 0, lat=-30.0, lon=100.0)]
    first = link(events).as_dict()
    for seed in range(5):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        assert link(shuffled).as_dict() == first
    big = first["situations"][0]
    assert big["size"] == 3 and big["title"] == "event 1 (+2 linked events)" and big["severity"] == "high"
    assert [(p["a"], p["b"], [r["rule"] for r in p["reasons"]]) for p in big["links"]] == [
        (events[0]["id"], events[1]["id"], ["place"]), (events[1]["id"], events[2]["id"], ["actor"])]
    assert big["actors"] == [{"kind": "vessel", "id": "1", "name": "vessel 1", "events": 2}]
    # the id is derived from the members: the same members give the same id, others another
    assert link(events[:3]).as_dict()["situations"][0]["id"] == big["id"]
    assert link(events[:2]).as_dict()["situations"][0]["id"] != big["id"]


def test_a_stress_test_is_never_linked() -> None:
    """An infrastructure stress test is a hypothesis: nothing happened, so it joins no situation."""
    what_if = event(1, 1, lat=60.0, lon=25.0, countries=("FI",), domain="infra", detail={"hypothetical": True})
    assert groups([event(0, 0, lat=60.0, lon=25.0, countries=("FI",)), what_if]) == [{0}, {1}]


def test_marking_is_the_combination_and_unreadable_joins_are_kept_apart() -> None:
    """A viewer of FR-CNES (France) sees an event released to FR and one released to FR-CNES; together they would be
    released to no one (the intersection is empty), which the viewer could not read: they stay apart, the pair is
    reported; the platform (no viewer) links them under the combination."""
    fr = Marking.build("RESTRICTED", "AMBER", ["FR"], originator="FR-SGDSN")
    cnes = Marking.build("RESTRICTED", "GREEN", ["FR-CNES"], originator="FR-CNES")
    viewer = Viewer(Classification.SECRET, "FR-CNES", "FR")
    events = [event(0, 0, lat=60.0, lon=25.0, marking=fr), event(1, 1, lat=60.0, lon=25.0, marking=cnes)]
    assert may_see(viewer, fr) and may_see(viewer, cnes) and not may_see(viewer, combine([fr, cnes]))
    apart = link(events, viewer)
    assert [len(s.items) for s in apart.situations] == [1, 1] and apart.kept_apart_total == 1
    assert apart.kept_apart[0]["a"] == events[0]["id"] and "could not read" in apart.kept_apart[0]["why"]
    (together,) = link(events).situations
    assert together.marking == combine([fr, cnes]) and together.marking.releasable_to == frozenset()
    public = link([event(0, 0, lat=60.0, lon=25.0), event(1, 1, lat=60.0, lon=25.0, marking=fr)], viewer)
    assert public.situations[0].as_dict()["marking"] == combine([PUBLIC, fr]).as_dict()


def test_bad_events_are_reported_and_the_others_linked() -> None:
    good = [event(0, 0, lat=60.0, lon=25.0), event(1, 1, lat=60.0, lon=25.0)]
    bad = [event(2, 0) | {"time_utc": "yesterday", "start_utc": "yesterday"}, event(3, 0) | {"id": ""},
           event(4, 0) | {"marking": {"classification": "BOGUS"}}, event(5, 0, lat=95.0, lon=25.0),
           event(6, 5) | {"end_utc": hours(1)}, good[0], "not an event"]
    found = link([*good, *bad], source="test")
    assert [len(s.items) for s in found.situations] == [2]
    assert [(r.line, r.field) for r in found.rejected] == [(3, "time_utc"), (4, "id"), (5, "marking"), (6, "place"),
                                                           (7, "end_utc"), (8, "id"), (9, "")]
    assert all(r.source == "test" and r.unit == "item" for r in found.rejected)
    assert found.rejected[-2].reason.endswith("given twice (the first is used)")


def test_bounded_to_the_newest_events() -> None:
    events = [event(n, 200 * n) for n in range(10)]
    found = link(events, rule=Rule(max_events=4))
    assert found.truncated and found.events == 4
    assert {uuid.UUID(s.items[0].id).int - 1 for s in found.situations} == {6, 7, 8, 9}
    with pytest.raises(ValueError, match="km"):
        Rule(km=float("nan"))


def test_centroid_bbox_and_hull() -> None:
    assert centroid([(0.0, 179.0), (0.0, -179.0)])["lon"] in (180.0, -180.0)  # across the antimeridian
    assert centroid([(10.0, 20.0)]) == {"lat": 10.0, "lon": 20.0}
    three = [event(0, 0, lat=60.0, lon=25.0), event(1, 0, lat=60.3, lon=25.0), event(2, 0, lat=60.0, lon=25.4)]
    (situation,) = link(three).situations
    assert situation.hull()["type"] == "Polygon"
    assert situation.as_dict()["bbox"] == [25.0, 60.0, 25.4, 60.3]
    (line,) = link(three[:2]).situations
    assert line.hull() == {"type": "LineString", "coordinates": [[25.0, 60.0], [25.0, 60.3]]}
    (alone,) = link([event(0, 0, countries=("FI",))]).situations
    assert alone.hull() is None and alone.as_dict()["centroid"] is None


# --- properties ------------------------------------------------------------------------------------------------

MARKINGS = [
    PUBLIC,
    Marking.build("RESTRICTED", "AMBER", originator="FI-NAVY"),
    Marking.build("SECRET", "AMBER", ["FI", "EE"], ["energy-fi-ee"], "FI-GASGRID"),
    Marking.build("CONFIDENTIAL", "GREEN", ["FR"], originator="FR-SGDSN"),
    Marking.build("RESTRICTED", "AMBER", ["FR-CNES"], originator="FR-CNES"),
    Marking.build("RESTRICTED", "RED", ["NL", "FI"], ["sst"], "NL-NSO"),
    Marking.build("UNCLASSIFIED", "GREEN", ["EE"], originator="EE-ELERING"),
]
VIEWERS = [
    Viewer(Classification.SECRET, "FI-GASGRID", "FI", frozenset({"energy-fi-ee"})),
    Viewer(Classification.RESTRICTED, "FR-CNES", "FR"),
    Viewer(Classification.CONFIDENTIAL, "FR-SGDSN", "FR", frozenset({"sst"})),
    Viewer(Classification.SECRET, "NL-NSO", "NL", frozenset({"sst"})),
    Viewer(Classification.UNCLASSIFIED, "EE-ELERING", "EE"),
    Viewer(Classification.CONFIDENTIAL, "FR-CNES", "FR", frozenset({"sst"})),  # REL TO FR and REL TO FR-CNES
    Viewer(Classification.SECRET, "FI-NAVY", "FI", frozenset({"sst", "energy-fi-ee"})),
]


@st.composite
def worlds(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to 14 events in a small box (59.5-60.5 N, 24-26 E, about 110 x 110 km), over 10 days, with a few
    actors and countries, each under one of :data:`MARKINGS`."""
    out = []
    for n in range(draw(st.integers(0, 14))):
        start = draw(st.integers(0, 240))
        placed = draw(st.booleans())
        out.append(event(
            n, start, start + draw(st.integers(0, 30)),
            lat=draw(st.sampled_from([59.5, 59.7, 60.0, 60.2, 60.5])) if placed else None,
            lon=draw(st.sampled_from([24.0, 24.5, 25.0, 26.0])) if placed else None,
            countries=tuple(draw(st.lists(st.sampled_from(["FI", "Estonia", "EST", "SE"]), max_size=2))),
            actors=tuple(draw(st.lists(st.sampled_from([("vessel", "1"), ("vessel", "2"), ("threat-actor", "1")]),
                                       max_size=2, unique=True))),
            marking=draw(st.sampled_from(MARKINGS)), severity=draw(st.sampled_from(["low", "medium", "high"])),
            detail={"hypothetical": True} if draw(st.integers(0, 9)) == 0 else {}))
    return out


RULES = st.builds(Rule, km=st.sampled_from([0.0, 20.0, 50.0, 200.0]), hours=st.sampled_from([0.0, 24.0, 72.0]),
                  actor_hours=st.sampled_from([None, 48.0, 720.0]), countries=st.booleans())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sampled_from(VIEWERS), RULES)
def test_a_viewer_gets_the_situations_of_what_they_may_see(events: list[dict], viewer: Viewer, rule: Rule) -> None:
    visible = [e for e in events if may_see(viewer, Marking.from_dict(e["marking"]))]
    hidden = {e["id"] for e in events} - {e["id"] for e in visible}
    mine = link(events, viewer, rule)
    assert mine.as_dict() == link(visible, viewer, rule).as_dict()
    text = json.dumps(mine.as_dict())
    assert not [i for i in hidden if i in text], "a hidden event is named"
    assert mine.events == len(visible)
    for situation in mine.situations:
        shown = situation.as_dict()
        assert may_see(viewer, situation.marking)
        assert situation.marking == combine(Marking.from_dict(e["marking"]) for e in visible
                                            if e["id"] in shown["event_ids"])
        assert len(shown["links"]) == shown["size"] - 1  # a spanning tree: every member joined once
        assert all(p["reasons"] for p in shown["links"])


@settings(max_examples=150, deadline=None)
@given(worlds(), RULES)
def test_the_sweeps_give_the_groups_of_every_pair(events: list[dict], rule: Rule) -> None:
    """Without a viewer (nothing kept apart) the situations are exactly the connected components of the graph of
    every pair the rule links (built here by testing every pair)."""
    items, _ = read(events)
    graph = nx.Graph()
    graph.add_nodes_from(i.id for i in items)
    graph.add_edges_from((a.id, b.id) for k, a in enumerate(items) for b in items[k + 1:] if reasons(a, b, rule))
    expected = sorted(sorted(c) for c in nx.connected_components(graph))
    assert sorted(sorted(s.as_dict()["event_ids"]) for s in link(events, None, rule).situations) == expected


def test_the_property_worlds_keep_pairs_apart() -> None:
    """The worlds above do reach the case of unreadable joins (so the first property covers it)."""
    viewer = VIEWERS[5]
    events = [event(0, 0, lat=60.0, lon=25.0, marking=MARKINGS[3]), event(1, 1, lat=60.0, lon=25.0,
                                                                          marking=MARKINGS[4])]
    assert link(events, viewer).kept_apart_total == 1


def test_countries_of_reads_place_and_country_actors_once() -> None:
    """The one reading of an event's countries (the linker and the picture's country filter): place.countries, then
    country actors, as alpha-2 codes, each once, in order; texts only, a non-list ignored."""
    both = event(0, countries=("Finland", "EST", "Atlantis"), actors=(("country", "fi"), ("vessel", "SE"),
                                                                     ("country", "Sweden")))
    assert countries_of(both) == ("FI", "EE", "ATLANTIS", "SE")
    assert countries_of({"place": {"countries": "FI"}, "actors": "SE"}) == ()
    assert countries_of({"place": {"countries": [7, "", "uk"]}}) == ("GB",)
    (item,), _ = read([both])
    assert item.countries == countries_of(both) and item.actors == (("vessel", "SE", "vessel SE"),)


def _nearest_by_brute_force(lat0: float, lon0: float, window: list[int], lat: list[float], lon: list[float],
                            label: list[int], km: float) -> dict[int, int]:
    out: dict[int, int] = {}
    for i in window:
        if haversine_km(lat0, lon0, np.array([lat[i]]), np.array([lon[i]]))[0] <= km:
            out.setdefault(label[i], i)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_near_groups_measured_in_chunks_is_measuring_every_event(seed: int) -> None:
    """_near_groups (chunks of 64, 128, ...; a component's other events dropped once one is near) gives, per
    component, the same earliest near event as measuring the distance to every event, on windows of 100 to
    600 events in few or many components, some near, some far."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(100, 600))
    lat, lon = rng.uniform(59.5, 60.5, n), rng.uniform(24.0, 26.0, n)  # about 111 x 111 km round (60 N, 25 E)
    label = rng.integers(0, [3, 40, n][seed % 3], n)
    window = np.sort(rng.choice(n, size=int(rng.integers(100, n + 1)), replace=False))
    km = [30.0, 60.0, 300.0][seed // 2]
    found = _near_groups(60.0, 25.0, window, lat, lon, label, km)
    expected = _nearest_by_brute_force(60.0, 25.0, window.tolist(), lat.tolist(), lon.tolist(), label.tolist(), km)
    assert found == expected and expected  # never an empty answer passing


@pytest.mark.parametrize("km, hours, countries", [(50.0, 8760.0, False), (2000.0, 8760.0, True),
                                                  (120.0, 240.0, True)])
def test_large_worlds_give_the_groups_of_every_pair(km: float, hours: float, countries: bool) -> None:
    """Over 260 events (windows far above one chunk of 64): the situations are the connected components of the
    graph of every pair the rule links, and each is spanned by its links."""
    rng = random.Random(f"{km}-{hours}")
    events = [event(n, rng.uniform(0, 24 * 90), None, lat=rng.uniform(54.0, 62.0) if rng.random() < 0.85 else None,
                    lon=rng.uniform(12.0, 30.0), countries=tuple(rng.sample(["FI", "EE", "SE", "LV", "DE"],
                                                                            rng.randint(0, 1))),
                    actors=tuple(rng.sample([("vessel", str(v)) for v in range(40)], rng.randint(0, 1))))
              for n in range(260)]
    rule = Rule(km=km, hours=hours, countries=countries)
    items, _ = read(events)
    graph = nx.Graph()
    graph.add_nodes_from(i.id for i in items)
    graph.add_edges_from((a.id, b.id) for k, a in enumerate(items) for b in items[k + 1:] if reasons(a, b, rule))
    expected = sorted(sorted(c) for c in nx.connected_components(graph))
    found = link(events, None, rule)
    assert sorted(sorted(s.as_dict()["event_ids"]) for s in found.situations) == expected
    assert 1 < len(expected) < len(items)  # neither all apart nor all one: the case is a real test
    assert all(len(s.links) == len(s.items) - 1 and all(p["reasons"] for p in s.links) for s in found.situations)
