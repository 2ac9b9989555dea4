"""Operators' ephemerides through the API: an OEM (KVN or XML) contributed under a marking is listed with its object,
span and counts, its text is given back whole, need-to-know holds, and a malformed OEM is rejected with the line and
keyword, nothing stored. The OEMs are made from real element sets' SGP4 states (the sample shipped with Kompas) by
the ODM writer; the real NASA ISS OEM and Orekit's negative files are read from ../shared when present."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from kompas.space import odm, tle
from kompas.space.propagation import propagate_all, time_grid
from tests.conftest import REPO

SAMPLE = Path(str(files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle"))
CCSDS = REPO.parent / "shared" / "data" / "ccsds" / "oem"
SECRET = {"classification": "SECRET", "releasable_to": ["NL"], "communities": ["sst"]}
CLEAR = {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}


def sgp4_oem(index: int = 0, hours: float = 6.0, encoding: str = "kvn", object_id: str | None = None
             ) -> tuple[str, int]:
    """An OEM (GCRF, UTC, 60 s, Hermite 5) of one sample object's SGP4 states from its epoch, and its NORAD id."""
    elset = tle.parse_tle(SAMPLE.read_text(), str(SAMPLE))[0][index]
    times = time_grid(elset.epoch_utc, elset.epoch_utc + np.timedelta64(int(hours * 3600), "s"), 60.0)
    states = propagate_all([elset], times, "gcrs")
    xv = np.hstack([states.position_km[0], states.velocity_km_s[0]])
    cov = np.diag([1e-2, 4e-2, 1e-2, 1e-8, 1e-8, 1e-8])
    message = odm.oem.Oem.from_states(elset.name, object_id or elset.intl_designator, "GCRF", "UTC", times, xv,
                                      covariances=[(times[0], cov)], creation_date=np.datetime64("2026-05-05T12:00:00"))
    return odm.write(message, encoding), elset.norad_id  # type: ignore[arg-type]


def contribute(world: dict, who: str, content: str, fmt: str = "oem-kvn", marking: dict = CLEAR,
               **extra: object) -> dict:
    answer = world["client"].post("/api/v1/contributions", headers=world[who], json={
        "kind": "ephemeris", "format": fmt, "content": content, "marking": marking, **extra})
    assert answer.status_code == 201, answer.text
    return answer.json()


def listing(world: dict, who: str, query: str = "") -> list[dict]:
    answer = world["client"].get(f"/api/v1/ephemerides?limit=1000{query}", headers=world[who])
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_an_oem_is_stored_listed_and_given_back_whole_under_its_marking(world: dict) -> None:
    text, norad = sgp4_oem(0)
    done = contribute(world, "ann", text, norad_id=norad)  # the object named by its NORAD number
    assert done["accepted"] == 1 and done["rejected"] == []
    secret_text, secret_norad = sgp4_oem(1, encoding="xml")
    assert contribute(world, "ann", secret_text, "oem-xml", SECRET, norad_id=secret_norad)["accepted"] == 1
    mine = listing(world, "ann")
    assert {e["norad_id"] for e in mine} == {norad, secret_norad}
    first = next(e for e in mine if e["norad_id"] == norad)
    assert first["states"] == 361 and first["segments"] == 1 and first["covariances"] == 1
    assert first["frame"] == "GCRF" and first["content"] is None
    hours = (np.datetime64(first["stop_utc"][:-1]) - np.datetime64(first["start_utc"][:-1])) / np.timedelta64(1, "h")
    assert hours == 6.0
    whole = world["client"].get(f"/api/v1/ephemerides/{first['id']}", headers=world["ann"]).json()
    assert whole["content"] == text  # given back byte for byte
    again = odm.read(whole["content"], "back")
    assert isinstance(again, odm.oem.Oem) and len(again.segments[0].epochs) == 361
    # bob (RESTRICTED, FR, no sst) sees the unclassified one only, and the SECRET one's page is a 404
    assert [e["norad_id"] for e in listing(world, "bob")] == [norad]
    secret_id = next(e["id"] for e in mine if e["norad_id"] == secret_norad)
    assert world["client"].get(f"/api/v1/ephemerides/{secret_id}", headers=world["bob"]).status_code == 404
    assert [e["norad_id"] for e in listing(world, "ann", f"&norad_id={secret_norad}")] == [secret_norad]
    assert next(e for e in mine if e["norad_id"] == secret_norad)["marking"]["classification"] == "SECRET"


def test_the_object_is_found_by_its_international_designator(world: dict) -> None:
    store = world["store"]
    tles = SAMPLE.read_text()
    ann = store.account("ann")
    assert store.contribute_elements(ann, tles, "tle", _clear(), "test").accepted > 0
    text, norad = sgp4_oem(2)  # OBJECT_ID is the element set's international designator
    contribute(world, "ann", text)
    assert [e["norad_id"] for e in listing(world, "ann")] == [norad]
    unknown, _ = sgp4_oem(3, object_id="2099-999ZZ")
    done = contribute(world, "ann", unknown)
    assert done["accepted"] == 0
    assert done["rejected"][0]["field"] == "OBJECT_ID" and done["rejected"][0]["value"] == "2099-999ZZ"


def test_a_hidden_object_is_neither_named_nor_confirmed(world: dict) -> None:
    """An OEM naming a designator only a SECRET element set holds is refused to bob exactly as an unknown one: the
    answer never says whether, or under which number, the hidden object exists."""
    from kompas.core.markings import Marking

    store = world["store"]
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    assert store.contribute_elements(store.account("ann"), SAMPLE.read_text(), "tle", secret, "test").accepted > 0
    text, norad = sgp4_oem(2)
    done = contribute(world, "bob", text)
    assert done["accepted"] == 0 and done["rejected"][0]["field"] == "OBJECT_ID"
    assert str(norad) not in str(done)
    assert contribute(world, "ann", text)["accepted"] == 1  # ann may see the set: its number is found


def test_an_oem_that_cannot_be_screened_is_not_stored(world: dict) -> None:
    text, norad = sgp4_oem(0, hours=0.0)  # one state: no interpolant
    done = contribute(world, "ann", text, norad_id=norad)
    assert done["accepted"] == 0 and "cannot be screened" in done["rejected"][0]["reason"]
    assert listing(world, "ann") == []


def _clear():  # noqa: ANN202
    from kompas.core.markings import Marking

    return Marking.build(tlp="CLEAR")


@pytest.mark.shared
@pytest.mark.parametrize(("name", "line", "keyword"), [("OEM-too-few-covariance-columns.txt", 55, ""),
                                                       ("OEM-keyword-within-ephemeris.txt", 24,
                                                        "USER_DEFINED_TEST_KEY")])
def test_a_malformed_oem_is_rejected_with_its_line_and_keyword(world: dict, name: str, line: int,
                                                                keyword: str) -> None:
    if not CCSDS.is_dir():
        pytest.skip(f"Orekit's OEM examples not found at {CCSDS} (clone ../shared beside the repository)")
    done = contribute(world, "ann", (CCSDS / name).read_text(), norad_id=25544)
    assert done["accepted"] == 0
    assert done["rejected"][0]["line"] == line
    if keyword:
        assert done["rejected"][0]["field"] == keyword
    assert listing(world, "ann") == []


@pytest.mark.shared
def test_the_real_iss_ephemeris_and_a_mars_one(world: dict) -> None:
    if not CCSDS.is_dir():
        pytest.skip(f"Orekit's OEM examples not found at {CCSDS} (clone ../shared beside the repository)")
    iss = (CCSDS / "ISS.resampled.truncated.txt").read_text()
    assert contribute(world, "ann", iss, norad_id=25544)["accepted"] == 1
    [stored] = listing(world, "ann")
    assert stored["states"] == 25 and stored["start_utc"].startswith("2022-01-17T12:00")
    mars = contribute(world, "ann", (CCSDS / "OEMExample1.txt").read_text(), norad_id=1)
    assert mars["accepted"] == 0 and mars["rejected"][0]["field"] == "CENTER_NAME"


def _screened(world: dict, who: str, norad: int) -> dict[tuple[int, str], dict]:
    """The conjunctions of ``norad`` the user sees, by (other object, TCA to the second)."""
    answer = world["client"].get(f"/api/v1/conjunctions?norad_id={norad}&limit=1000&sort=tca", headers=world[who])
    assert answer.status_code == 200, answer.text
    return {(c["secondary_id"] if c["primary_id"] == norad else c["primary_id"], c["tca_utc"][:19]): c
            for c in answer.json()["items"]}


def test_the_platform_screens_contributed_ephemerides_as_their_objects_best_source(world: dict) -> None:
    """The daily screening (jobs.screen_catalogue) uses a contributed OEM in place of its object's element set when
    the OEM is marked no higher: an OEM of the set's own SGP4 states gives the same conjunctions (same pairs, TCA
    within 50 ms, miss within 20 m: the states went through GCRF and back, and SGP4 is sampled every 60 s and
    interpolated), and their CDMs carry the OEM's covariance. An OEM marked SECRET is screened too, in a second
    pass: bob (RESTRICTED) sees only the element-set conjunctions of that object, ann also the OEM's."""
    from kompas.core.jobs import screen_catalogue
    from kompas.space import cdm
    from tests.api.test_api import contribute as contribute_elements

    store, client = world["store"], world["client"]
    contribute_elements(client, world["ann"], SAMPLE.read_text(), classification="UNCLASSIFIED", tlp="CLEAR")
    elsets = tle.parse_tle(SAMPLE.read_text(), str(SAMPLE))[0]
    first, second = elsets[0], elsets[2]  # CALSPHERE 1 and ORBCOMM FM06: conjunctions under 300 km in the window
    start = max(first.epoch_utc, second.epoch_utc) + np.timedelta64(30, "m")
    kwargs = {"start_utc": start, "days": 0.15, "threshold_km": 300.0}
    assert screen_catalogue(store, primaries={first.norad_id, second.norad_id}, **kwargs)
    from_sets = {n: _screened(world, "ann", n) for n in (first.norad_id, second.norad_id)}
    assert from_sets[first.norad_id] and from_sets[second.norad_id]

    text, norad = sgp4_oem(0, hours=6.0)
    assert norad == first.norad_id
    contribute(world, "ann", text, norad_id=norad)  # UNCLASSIFIED, TLP:CLEAR: as open as the element set
    secret_text, secret_norad = sgp4_oem(2, hours=6.0)
    contribute(world, "ann", secret_text, marking=SECRET, norad_id=secret_norad)
    assert screen_catalogue(store, primaries={first.norad_id, second.norad_id}, **kwargs)

    after = _screened(world, "ann", norad)
    from_oem = {k: c for k, c in after.items() if c["id"] not in {x["id"] for x in from_sets[norad].values()}}
    assert len(from_oem) == len(from_sets[norad]), "one OEM conjunction per element-set conjunction"
    for (other, _), c in from_oem.items():
        twin = min((x for (o, _), x in from_sets[norad].items() if o == other),
                   key=lambda x: abs(np.datetime64(x["tca_utc"][:-1]) - np.datetime64(c["tca_utc"][:-1])))
        gap = abs(np.datetime64(twin["tca_utc"][:-1], "ns") - np.datetime64(c["tca_utc"][:-1], "ns"))
        assert gap <= np.timedelta64(50, "ms") and abs(twin["miss_km"] - c["miss_km"]) <= 0.020, (c, twin)
        message = cdm.parse_kvn(client.get(f"/api/v1/conjunctions/{c['id']}/cdm", headers=world["ann"]).text, "x")
        mine = next(o for o in message.objects if int(o.get("OBJECT_DESIGNATOR") or 0) == norad)
        notes = " ".join(mine.comments())
        assert "Source = OEM (ephemeris " in notes and "Covariance: from the OEM covariance blocks" in notes, notes
    # the SECRET OEM: ann sees its conjunctions besides the element set's, bob only the element set's
    ann_secret = _screened(world, "ann", secret_norad)
    bob_secret = _screened(world, "bob", secret_norad)
    assert set(bob_secret) <= set(from_sets[secret_norad]) and bob_secret
    extra = [c for k, c in ann_secret.items() if c["id"] not in {x["id"] for x in from_sets[secret_norad].values()}]
    assert extra and all(c["marking"]["classification"] == "SECRET" for c in extra)
