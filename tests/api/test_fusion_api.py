"""The fused picture's API (/api/v1/fusion/...): the same events and situations as the service for each caller,
bounded filters, 422 naming each bad filter, GeoJSON with its marking, audited reads. Two analysts (tests/api/
conftest.py): ann (NL, SECRET, need-to-know sst) and bob (FR, RESTRICTED); a SECRET report of ann's organisation
bridges two public events that bob sees apart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kompas.api.routers import fusion
from kompas.core.envelope import Actor, Envelope, Place, derived_id
from kompas.core.markings import Marking
from kompas.core.models import AuditEntry
from kompas.core.store import events as platform_events

PUBLIC = Marking.build(tlp="CLEAR")
SECRET = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")


def _event(name: str, time: str, lat: float, lon: float, severity: str = "medium", domain: str = "maritime",
           actors: tuple[Actor, ...] = (), countries: tuple[str, ...] = ()) -> Envelope:
    when = f"{time}.000000000Z"
    return Envelope(id=derived_id("fusion-api", name), domain=domain, type="x", time_utc=when, start_utc=when,
                    end_utc=when, title=name, severity=severity, actors=actors,
                    place=Place(lat=lat, lon=lon, countries=countries))


VESSEL = (Actor("primary", "vessel", "244000001", "NORDIC"),)
EVENTS = [(_event("west", "2025-03-01T10:00:00", 54.0, 4.00, actors=VESSEL), PUBLIC),
          (_event("report", "2025-03-01T11:00:00", 54.0, 4.60, "high", "intel", VESSEL), SECRET),
          (_event("east", "2025-03-01T12:00:00", 54.0, 5.20, "low", "infra", countries=("NL",)), PUBLIC),
          (_event("far", "2025-03-20T12:00:00", 35.0, 20.0, "high"), PUBLIC)]
ID = {e.title: e.id for e, _ in EVENTS}


@pytest.fixture
def api(world: dict) -> dict:
    done = platform_events.store(world["store"], EVENTS, "test", alert=False)
    assert len(done.ids) == len(EVENTS)
    return world


def get(api: dict, who: str, path: str, **params: object):  # noqa: ANN201 (a response)
    return api["client"].get(path, params=params, headers=api[who])


def test_each_caller_gets_the_situations_of_what_they_may_see(api: dict) -> None:
    """ann: west-report-east is one situation (the report shares the vessel with west, is 39 km from east), SECRET;
    bob: west and east are 78 km apart, no report between them: no situation, and nothing names the report."""
    ann = get(api, "ann", "/api/v1/fusion/picture")
    assert ann.status_code == 200, ann.text
    body = ann.json()
    assert [e["title"] for e in body["events"]] == ["far", "east", "report", "west"]
    (situation,) = body["situations"]
    assert sorted(situation["event_ids"]) == sorted([ID["west"], ID["report"], ID["east"]])
    assert situation["marking"]["classification"] == "SECRET" and body["marking"]["classification"] == "SECRET"
    assert [sorted(r["rule"] for r in link["reasons"]) for link in situation["links"]] == [["actor", "place"],
                                                                                            ["place"]]
    assert {e["title"]: e["situation_id"] for e in body["events"]} == {
        "far": None, "east": situation["id"], "report": situation["id"], "west": situation["id"]}
    bob = get(api, "bob", "/api/v1/fusion/picture").json()
    assert [e["title"] for e in bob["events"]] == ["far", "east", "west"] and bob["situations"] == []
    assert ID["report"] not in str(bob) and bob["banner"] == "UNCLASSIFIED // TLP:CLEAR"
    # a wider place rule links west and east for bob too, under their own marking only
    wide = get(api, "bob", "/api/v1/fusion/situations", km=100).json()
    assert [sorted(s["event_ids"]) for s in wide["situations"]] == [sorted([ID["west"], ID["east"]])]
    assert "events" not in wide and wide["situations"][0]["marking"]["classification"] == "UNCLASSIFIED"
    assert get(api, "bob", "/api/v1/fusion/situations", min_events=1).json()["situations_total"] == 3


def test_filters_through_the_api(api: dict) -> None:
    def titles(**params: object) -> list[str]:
        answer = get(api, "ann", "/api/v1/fusion/picture", **params)
        assert answer.status_code == 200, answer.text
        return [e["title"] for e in answer.json()["events"]]

    assert titles(domain=["intel", "infra"]) == ["east", "report"]
    assert titles(severity="high") == ["far", "report"]
    assert titles(since="2025-03-01T10:30:00Z", until="2025-03-02") == ["east", "report"]
    assert titles(country="NLD") == ["east"] and titles(country=["Netherlands", "FR"]) == ["east"]
    assert titles(bbox="3,53,5,55") == ["report", "west"] and titles(region="mediterranean") == ["far"]
    assert titles(actor="nordic") == ["report", "west"]
    assert titles(limit=1) == ["far"]


BAD = [({"since": "2025-02-30"}, "since"), ({"bbox": "10,60,5,65"}, "bbox"), ({"country": "Atlantis"}, "country"),
       ({"until": "2025-01-01", "since": "2025-02-01"}, "until"), ({"region": "baltic", "bbox": "1,2,3,4"}, "bbox")]
OUT_OF_BOUNDS = [{"limit": 0}, {"limit": 5001}, {"domain": "moon"}, {"severity": "dire"}, {"km": -1}, {"hours": 9000},
                 {"region": "mars"}, {"since": "soon"}, {"actor": "x" * 201}, {"min_events": 0}]


def test_bad_filters_are_422_naming_the_field(api: dict) -> None:
    """Filters the service refuses: a list of {field, reason}, one per bad filter; out of the query's bounds:
    FastAPI's list of {loc, msg, type}."""
    for params, field in BAD:
        answer = get(api, "ann", "/api/v1/fusion/picture", **params)
        assert answer.status_code == 422, params
        detail = answer.json()["detail"]
        assert isinstance(detail, list) and [d["field"] for d in detail] == [field], detail
    for params in OUT_OF_BOUNDS:
        answer = get(api, "ann", "/api/v1/fusion/situations", **params)
        assert answer.status_code == 422, params
        (problem,) = answer.json()["detail"]
        assert problem["loc"][0] == "query", problem


def test_geojson_and_audit(api: dict) -> None:
    answer = get(api, "ann", "/api/v1/fusion/picture.geojson")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/geo+json"
    collection = answer.json()
    assert collection["type"] == "FeatureCollection" and collection["marking"]["classification"] == "SECRET"
    kinds = sorted(f["properties"]["kind"] for f in collection["features"])
    assert kinds == ["event"] * 4 + ["situation", "situation-hull"]
    hull = next(f for f in collection["features"] if f["properties"]["kind"] == "situation-hull")
    assert hull["geometry"] == {"type": "LineString", "coordinates": [[4.0, 54.0], [5.2, 54.0]]}
    bob = get(api, "bob", "/api/v1/fusion/picture.geojson").json()
    assert len(bob["features"]) == 3 and ID["report"] not in str(bob)
    with api["store"].session(None) as s:
        actions = [(a.actor, a.action, a.target) for a in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
    assert ("ann", "export", "fusion/picture.geojson") in actions and ("bob", "export", "fusion/picture.geojson") in \
        actions


def test_the_three_routes_share_one_set_of_query_parameters(api: dict) -> None:
    """One dependency (PictureQuery) gives /picture, /situations and /picture.geojson the same 14 filters and rule
    parameters, and each documents the 503 of its gate."""
    paths = api["client"].app.openapi()["paths"]
    routes = ["/api/v1/fusion/picture", "/api/v1/fusion/situations", "/api/v1/fusion/picture.geojson"]
    names = [sorted(p["name"] for p in paths[r]["get"]["parameters"] if p["in"] == "query") for r in routes]
    assert names[0] == sorted(["since", "until", "domain", "severity", "country", "region", "bbox", "actor", "limit",
                               "km", "hours", "actor_hours", "link_countries", "min_events"])
    assert names[1] == names[0] and names[2] == names[0]
    assert all("503" in paths[r]["get"]["responses"] for r in routes)


def test_pictures_are_gated_one_per_user(api: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pictures per process, one per user: while ann computes one (her slot held here) her second is 503 with
    Retry-After and bob is still answered; with both slots taken bob is told to retry too; once free, answered."""
    monkeypatch.setattr(fusion.HEAVY, "wait_s", 0.0)  # answer 503 at once instead of waiting 2 s for a slot
    ann = api["store"].account("ann")
    assert ann is not None
    with fusion.HEAVY.enter(holder=ann.user_id):
        mine = get(api, "ann", "/api/v1/fusion/situations")
        assert mine.status_code == 503 and int(mine.headers["Retry-After"]) >= 1
        assert "already computing" in mine.json()["detail"]
        assert get(api, "bob", "/api/v1/fusion/picture.geojson").status_code == 200
        with fusion.HEAVY.enter():
            busy = get(api, "bob", "/api/v1/fusion/picture")
            assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
    assert get(api, "ann", "/api/v1/fusion/picture").status_code == 200


def test_needs_a_token(api: dict) -> None:
    assert api["client"].get("/api/v1/fusion/picture").status_code == 401


def test_the_regions_offered_are_the_services() -> None:
    from typing import get_args

    from kompas.services import fusion as service

    assert set(get_args(fusion.Region)) == set(service.REGIONS)
