"""The fused picture's service (kompas.services.fusion) on SQLite and PostgreSQL: the events every domain stored,
read under the access rule in the query, filtered by time, domain, severity, region (countries or a box) and
actor, linked into situations among what the viewer may see, with the markings of everything returned.

The world: five events around the Gulf of Finland on 25-26 December 2024 (an infrastructure incident, a maritime
anchor drag and a SECRET navy report between them, a cyber incident against Finland, a FIMI incident against
Germany) and one in the Black Sea; a cleared Finnish analyst (SECRET, need-to-know navy) and a RESTRICTED French
one."""

from __future__ import annotations

import pytest

from kompas.core.envelope import Actor, Envelope, Place, derived_id
from kompas.core.markings import Marking, combine
from kompas.core.store import Store
from kompas.core.store import events as platform_events
from kompas.services import fusion as service
from tests.core import conftest as databases

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures

PUBLIC = Marking.build(tlp="CLEAR")
GREEN = Marking.build("UNCLASSIFIED", "GREEN", originator="FI-FINGRID")
NAVY = Marking.build("SECRET", "AMBER", ["FI"], ["navy"], "FI-NAVY")


def _event(name: str, domain: str, kind: str, time: str, title: str, severity: str = "medium",
           lat: float | None = None, lon: float | None = None, countries: tuple[str, ...] = (),
           actors: tuple[Actor, ...] = ()) -> Envelope:
    when = f"{time}.000000000Z"
    return Envelope(id=derived_id("fusion-test", name), domain=domain, type=kind, time_utc=when, start_utc=when,
                    end_utc=when, title=title, severity=severity, actors=actors,
                    place=Place(lat=lat, lon=lon, countries=countries), source="test")


EVENTS = {
    # Estlink 2 lost off Porvoo; the anchor drag 60 km west of it; the navy's report between the two (30 km from each)
    "estlink": (_event("estlink", "infra", "incident", "2024-12-25T10:26:00", "Estlink 2 lost", "high", 59.90, 26.20,
                       ("FI", "EE"), (Actor("asset", "interconnector", "link:estlink-2", "Estlink 2"),)), GREEN),
    "drag": (_event("drag", "maritime", "anchor_drag", "2024-12-25T12:00:00", "anchor drag: EAGLE S", "medium",
                    59.90, 25.12, (), (Actor("primary", "vessel", "518998755", "EAGLE S"),)), PUBLIC),
    "navy": (_event("navy", "intel", "report", "2024-12-25T11:00:00", "navy sighting", "medium", 59.90, 25.66, (),
                    (Actor("primary", "vessel", "518998755", "EAGLE S"),)), NAVY),
    "cyber": (_event("cyber", "cyber", "incident", "2024-12-26T08:00:00", "DDoS on Finnish ministries", "low",
                     countries=("Finland",), actors=(Actor("actor", "threat-actor", "NoName057(16)"),)), PUBLIC),
    "fimi": (_event("fimi", "fimi", "incident", "2024-12-26T09:00:00", "narratives against Germany", "medium",
                    countries=("DEU",)), PUBLIC),
    "black-sea": (_event("black-sea", "maritime", "dark", "2024-12-25T12:00:00", "dark: vessel X", "high", 44.0, 33.0,
                         ()), PUBLIC),
}
ID = {name: envelope.id for name, (envelope, _) in EVENTS.items()}
NAME = {v: k for k, v in ID.items()}


@pytest.fixture
def world(store: Store) -> dict:
    store.add_org("FI-NAVY", "FI")
    store.add_org("FR-SGDSN", "FR")
    done = platform_events.store(store, list(EVENTS.values()), "test", alert=False)
    assert not done.rejected and len(done.ids) == len(EVENTS)
    return {"store": store,
            "fi": store.authenticate(store.add_user("fi", "FI-NAVY", "SECRET", ["navy"])).viewer,
            "fr": store.authenticate(store.add_user("fr", "FR-SGDSN", "RESTRICTED")).viewer}


def names(items: list[dict]) -> list[str]:
    return [NAME[e["id"]] for e in items]


def situations(answer: dict) -> list[list[str]]:
    return sorted(sorted(NAME[i] for i in s["event_ids"]) for s in answer["situations"])


def test_the_cleared_analyst_sees_one_situation_bridged_by_the_navy_report(world: dict) -> None:
    """With the navy's report (SECRET) the drag, the report and the Estlink 2 loss are one situation (the drag and the
    report share the vessel and are 30 km apart, the report and the loss 30 km), and the cyber incident about
    Finland joins it by country within 72 h; the answer is SECRET."""
    answer = service.picture(world["store"], world["fi"])
    assert names(answer["events"]) == ["fimi", "cyber", "drag", "black-sea", "navy", "estlink"] or names(
        answer["events"]) == ["fimi", "cyber", "black-sea", "drag", "navy", "estlink"]  # newest first; ties by id
    assert situations(answer) == [["cyber", "drag", "estlink", "navy"]]
    (situation,) = answer["situations"]
    assert situation["severity"] == "high" and situation["domains"] == ["cyber", "infra", "intel", "maritime"]
    assert Marking.from_dict(situation["marking"]) == combine([GREEN, PUBLIC, NAVY])
    assert Marking.from_dict(answer["marking"]) == combine([GREEN, PUBLIC, NAVY])
    assert {e["id"]: e["situation_id"] for e in answer["events"]}[ID["fimi"]] is None
    assert answer["counts"]["domain"] == {"fimi": 1, "cyber": 1, "maritime": 2, "intel": 1, "infra": 1}
    assert answer["unplaced"] == 2 and answer["events_total"] == 6 and not answer["truncated"]


def test_a_hidden_event_never_bridges_what_another_viewer_sees(world: dict) -> None:
    """The RESTRICTED reader does not see the navy's report: the drag (60 km from the loss) is not linked to the
    Estlink 2 loss; the loss and the cyber incident still share Finland. Nothing in the answer names the report."""
    answer = service.picture(world["store"], world["fr"])
    assert ID["navy"] not in str(answer)
    assert situations(answer) == [["cyber", "estlink"]]
    assert Marking.from_dict(answer["marking"]) == combine([GREEN, PUBLIC])
    assert "SECRET" not in answer["banner"]
    # without the country rule the loss is alone; the drag never joins it (60 km apart, beyond 50 km)
    apart = service.build(world["store"], world["fr"], service.filters(), service.rule(countries=False),
                          min_events=1)
    assert situations(apart) == [[n] for n in sorted(["black-sea", "cyber", "drag", "estlink", "fimi"])]


def test_filters(world: dict) -> None:
    store, fi = world["store"], world["fi"]

    def shown(**given: object) -> list[str]:
        return sorted(names(service.picture(store, fi, **given)["events"]))

    assert shown(domains=["maritime", "fimi"]) == ["black-sea", "drag", "fimi"]
    assert shown(severity="high") == ["black-sea", "estlink"]
    assert shown(since="2024-12-26", until="2024-12-26T08:30:00Z") == ["cyber"]
    assert shown(countries=["Finland"]) == ["cyber", "estlink"] == shown(countries=["FIN"])
    assert shown(countries=["de"]) == ["fimi"]
    assert shown(region="eu") == ["cyber", "estlink", "fimi"]  # events concerning the member states
    assert shown(region="baltic") == ["drag", "estlink", "navy"]  # events placed in the Baltic box
    assert shown(region="black-sea") == ["black-sea"] == shown(bbox="30,40,40,46")
    assert shown(actor="eagle s") == ["drag", "navy"] == shown(actor="vessel:518998755")
    assert shown(actor="link:estlink-2") == ["estlink"] and shown(actor="EAGLE") == []  # exact, never partial
    assert shown(region="baltic", severity="high") == ["estlink"]
    limited = service.picture(store, fi, limit=2)
    assert len(limited["events"]) == 2 and limited["truncated"] and limited["events_total"] == 6


def test_country_and_actor_filters_read_a_bounded_number_of_rows(world: dict, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """Countries and actors are looked for in the envelope's JSON, row by row: at most MAX_SCAN rows are read, and
    the answer says when more might match."""
    monkeypatch.setattr(service, "PAGE", 2)
    monkeypatch.setattr(service, "MAX_SCAN", 2)
    answer = service.picture(world["store"], world["fi"], countries=["FI"])  # the two newest rows: fimi, cyber
    assert names(answer["events"]) == ["cyber"] and answer["truncated"] and answer["scanned"] == 2
    assert answer["events_total"] is None
    monkeypatch.setattr(service, "MAX_SCAN", 100)
    answer = service.picture(world["store"], world["fi"], countries=["FI"])
    assert sorted(names(answer["events"])) == ["cyber", "estlink"] and not answer["truncated"]
    assert answer["scanned"] == 6


def test_bad_filters_are_each_named(world: dict) -> None:
    with pytest.raises(service.FusionError) as caught:
        service.picture(world["store"], world["fi"], since="yesterday", until="2024-13-40", domains=["space", "moon"],
                        severity="dire", countries=["Atlantis"], region="mars", actor="", limit=0)
    fields = [p["field"] for p in caught.value.problems]
    assert fields == ["since", "until", "domain", "severity", "country", "region", "actor", "limit"]
    for bbox in ("1,2,3", "10,60,5,65", "0,0,0,nan", "-200,0,10,10"):
        with pytest.raises(service.FusionError, match="bbox"):
            service.filters(bbox=bbox)
    with pytest.raises(service.FusionError, match="not both"):
        service.filters(region="baltic", bbox="10,50,20,60")
    with pytest.raises(service.FusionError, match="after since"):
        service.filters(since="2024-12-26", until="2024-12-25")
    with pytest.raises(service.FusionError, match="rule"):
        service.rule(km=-1)


def test_nothing_to_see_is_public(store: Store) -> None:
    store.add_org("FR-SGDSN", "FR")
    viewer = store.authenticate(store.add_user("fr", "FR-SGDSN", "RESTRICTED")).viewer
    answer = service.picture(store, viewer)
    assert answer["events"] == [] and answer["situations"] == [] and answer["markings"] == []
    assert answer["banner"] == "UNCLASSIFIED // TLP:CLEAR"


def test_geojson(world: dict) -> None:
    """Points for the placed events, a centroid and a hull per situation, each with its marking."""
    answer = service.picture(world["store"], world["fi"])
    collection = service.geojson(answer)
    kinds = sorted(f["properties"]["kind"] for f in collection["features"])
    assert kinds == ["event"] * 4 + ["situation", "situation-hull"]
    hull = next(f for f in collection["features"] if f["properties"]["kind"] == "situation-hull")
    assert hull["geometry"]["type"] == "LineString"  # the three placed members lie on 59.9 N
    assert sorted(c[0] for c in hull["geometry"]["coordinates"]) == [25.12, 26.2]
    assert collection["unplaced"] == 2 and collection["marking"] == answer["marking"]
    points = {f["properties"]["id"]: f for f in collection["features"] if f["properties"]["kind"] == "event"}
    assert points[ID["estlink"]]["geometry"] == {"type": "Point", "coordinates": [26.2, 59.9]}
    assert points[ID["navy"]]["properties"]["banner"].startswith("SECRET")
