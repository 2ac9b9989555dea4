"""Mobility on the platform (issue 27), on SQLite and PostgreSQL:

- Lithuania's MoD contributes what the open data lacks (examples/mobility/contributions/bridge_and_ramp.geojson,
  ILLUSTRATIVE: a bridge classed MLC 80, a bogie-exchange site at Mockava) under SECRET with the need-to-know
  community mobility-pl-lt. Its members plan over the bridge and through Mockava; a SECRET reader outside the
  community and a RESTRICTED one inside it see the test network alone, and their answers are UNCLASSIFIED;
- every answer built on the contribution carries the combined marking;
- an incident on a transport asset is an event (domain mobility) under its marking, and a stress test with
  ``events`` removes the assets only of the incidents its reader may see."""

from __future__ import annotations

import pytest

from kompas.core.markings import Marking
from kompas.core.store import Store, StoreError
from kompas.services import mobility as service
from tests.conftest import REPO
from tests.core import conftest as databases

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

CONTRIBUTION = (REPO / "examples" / "mobility" / "contributions" / "bridge_and_ramp.geojson").read_text()
SECRET_PL_LT = Marking.build("SECRET", "AMBER", None, ["mobility-pl-lt"], "LT-MOD")
FROM, TO = "test:suwalki-barracks", "test:rukla"


def _people(store: Store) -> dict:
    store.add_org("LT-MOD", "LT", "member-state")
    store.add_org("PL-MON", "PL", "member-state")
    store.add_org("FR-EMA", "FR", "member-state")
    people = {"lt": store.authenticate(store.add_user("lt", "LT-MOD", "SECRET", ["mobility-pl-lt"])),
              "pl": store.authenticate(store.add_user("pl", "PL-MON", "SECRET", ["mobility-pl-lt"])),
              "fr": store.authenticate(store.add_user("fr", "FR-EMA", "SECRET")),
              "low": store.authenticate(store.add_user("low", "PL-MON", "RESTRICTED", ["mobility-pl-lt"]))}
    done = service.contribute(store, people["lt"], CONTRIBUTION, "bridge_and_ramp.geojson", SECRET_PL_LT)
    assert done.accepted == 1 and done.rejected == []
    return people


def test_contributions_are_applied_only_for_viewers_who_may_see_them(store: Store) -> None:
    people = _people(store)
    for who in ("lt", "pl"):
        found = service.route(store, people[who].viewer, FROM, TO, alternatives=False)
        plan = found["plan"]
        used = [leg["id"] for leg in plan["legs"]]
        assert "test:road-bridge" in used and "contrib:bogie-mockava" in used
        assert "mlc" not in {o["kind"] for o in plan["obstacles"]}
        assert Marking.from_dict(found["marking"]) == SECRET_PL_LT
    # a network the contribution does not touch is neither changed nor marked by it
    from kompas.mobility.model import Network, Place

    elsewhere = Network(places={"x": Place("x", "Elsewhere", 10.0, 50.0, "DE")})
    other = service.view(store, people["lt"].viewer, "elsewhere", elsewhere)
    assert other.marking.banner() == "UNCLASSIFIED // TLP:CLEAR" and other.contributions == []
    assert set(other.network.places) == {"x"}
    for who in ("fr", "low"):
        found = service.route(store, people[who].viewer, FROM, TO, alternatives=False)
        used = [leg["id"] for leg in found["plan"]["legs"]]
        assert "test:road-bridge" not in used and not any(u.startswith("contrib:") for u in used)
        assert "mlc" in {o["kind"] for o in found["plan"]["obstacles"]}
        assert found["banner"] == "UNCLASSIFIED // TLP:CLEAR"
        with pytest.raises(service.MobilityError, match="no place named"):
            service.route(store, people[who].viewer, "Mockava (1520 mm side)", TO)


def test_a_contribution_that_holds_nothing_is_refused(store: Store) -> None:
    people = _people(store)
    with pytest.raises(StoreError, match="no element or attribute"):
        service.contribute(store, people["lt"], '{"type": "FeatureCollection", "features": [{"properties": '
                           '{"kind": "bridge"}}]}', "bad.geojson", SECRET_PL_LT)
    with pytest.raises(StoreError, match="not JSON"):
        service.contribute(store, people["lt"], "kind,id\nplace,x", "bad.csv", SECRET_PL_LT)


def test_incidents_enter_stress_tests_for_those_who_may_see_them(store: Store) -> None:
    people = _people(store)
    secret_lt = Marking.build("SECRET", "AMBER", None, ["mobility-pl-lt"], "LT-MOD")
    done = service.record_incident(store, people["lt"], ["test:transship-sestokai"], "2026-11-30T04:00:00Z",
                                   "sabotage", secret_lt)
    assert done["recorded"] and done["assets"] == ["test:transship-sestokai"]
    # the LT view has Mockava's faster bogie exchange, which its plan uses: losing Šeštokai costs nothing
    assert done["failed"] == [] and done["severity"] == "low"
    again = service.record_incident(store, people["lt"], ["test:transship-sestokai"], "2026-11-30T04:00:00Z",
                                    "sabotage", secret_lt)
    assert again["id"] == done["id"] and not again["recorded"]
    inside = service.stress(store, people["pl"].viewer, [], events=True)
    assert inside["removed"] == ["test:transship-sestokai"] and [e["id"] for e in inside["events"]] == [done["id"]]
    assert Marking.from_dict(inside["marking"]) == SECRET_PL_LT
    with pytest.raises(service.MobilityError, match="no visible incident"):
        service.stress(store, people["fr"].viewer, [], events=True)
    public = service.record_incident(store, people["fr"], ["test:transship-sestokai"], "2026-11-30T05:00:00Z",
                                     "cyber-attack", Marking.build("UNCLASSIFIED", "GREEN", None, [], "FR-EMA"))
    assert public["failed"] == ["Suwałki – Rukla (illustrative test network)"] and public["severity"] == "high"
    outside = service.stress(store, people["fr"].viewer, [], events=True)
    assert [e["id"] for e in outside["events"]] == [public["id"]] and outside["failed"]
