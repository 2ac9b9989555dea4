"""The globe's picture (``/api/v1/picture``): one marker per conjunction or event, named by the objects' names,
the total of objects the caller may see, and ``set=all`` drawing the catalogue by its stated rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompas.core import jobs
from kompas.core.markings import Marking

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "src" / "kompas" / "data" / "sample" / "active_2026-05-05_sample.tle"
ASSETS = REPO / "src" / "kompas" / "data" / "sample" / "assets_2026-05-05.tle"
IRIDIUM_COSMOS = REPO / "tests" / "data" / "iridium33_cosmos2251_2009-02-09.tle"


@pytest.fixture
def screened(world: dict) -> dict:
    """The shipped sample and the assets (TLP:GREEN, by bob), screened for the assets; the 2009 Iridium 33 and
    Cosmos 2251 sets contributed by ann as SECRET (NL, sst)."""
    store = world["store"]
    bob, ann = store.account("bob"), store.account("ann")
    store.contribute_elements(bob, SAMPLE.read_text(), "tle", Marking.build(tlp="GREEN"), "sample")
    store.contribute_elements(bob, ASSETS.read_text(), "tle", Marking.build(tlp="GREEN"), "assets")
    from kompas.files import load_assets

    jobs.screen_catalogue(store, days=0.25, threshold_km=10.0, primaries=set(load_assets()))
    store.contribute_elements(ann, IRIDIUM_COSMOS.read_text(), "tle",
                              Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO"), "iridium-cosmos")
    return world


def test_one_marker_per_conjunction_named_by_the_objects(screened: dict) -> None:
    client = screened["client"]
    picture = client.get("/api/v1/picture", headers=screened["bob"]).json()
    ids = [m["id"] for m in picture["markers"]]
    assert ids and len(ids) == len(set(ids))
    # TerraSAR-X and TanDEM-X are both protected assets: their conjunctions were drawn twice before (one per asset)
    formation = [m for m in picture["markers"] if m["label"].startswith(("TERRASAR-X – TANDEM-X",
                                                                          "TANDEM-X – TERRASAR-X"))]
    assert formation and len({m["id"] for m in formation}) == len(formation)
    conjunctions = [m for m in picture["markers"] if m["kind"] == "conjunction"]
    assert all(" – " in m["label"] and (m["label"].endswith(" km") or ", Pc " in m["label"]) for m in conjunctions)
    ranks = [m["rank"] for m in conjunctions]
    assert max(ranks) > 0  # Pc computed for the assets' conjunctions
    assert all(m["banner"].startswith("UNCLASSIFIED") for m in picture["markers"])


def test_total_objects_is_what_each_user_may_see(screened: dict) -> None:
    client = screened["client"]
    bob = client.get("/api/v1/picture", headers=screened["bob"]).json()
    ann = client.get("/api/v1/picture", headers=screened["ann"]).json()
    names = {o["norad_id"] for o in client.get("/api/v1/objects?limit=1000", headers=screened["bob"]).json()["items"]}
    assert bob["total_objects"] == len(names) > 600
    assert ann["total_objects"] == bob["total_objects"] + 2  # Iridium 33 and Cosmos 2251, SECRET for NL
    assert "protected assets" in bob["rule"]


def test_set_all_draws_the_freshest_element_sets_after_the_assets(screened: dict) -> None:
    client = screened["client"]
    limit = 300
    picture = client.get(f"/api/v1/picture?set=all&limit={limit}", headers=screened["bob"]).json()
    objects = picture["objects"]
    assert len(objects) == limit and "freshest first" in picture["rule"]
    roles = [o["role"] for o in objects]
    assert roles.index("object") > roles.count("asset") - 1  # the assets and related objects come first
    assert roles[roles.index("object"):] == ["object"] * (limit - roles.index("object"))
    epochs = {}
    after = None
    while True:
        page = client.get("/api/v1/objects?limit=1000" + (f"&after={after}" if after else ""),
                          headers=screened["bob"]).json()
        epochs |= {o["norad_id"]: o["newest_epoch_utc"] for o in page["items"]}
        after = page["next"]
        if not after:
            break
    drawn = [epochs[o["norad_id"]] for o in objects if o["role"] == "object"]
    assert drawn == sorted(drawn, reverse=True)  # freshest first
    left_out = [e for n, e in epochs.items() if n not in {o["norad_id"] for o in objects}]
    assert left_out and max(left_out) <= min(drawn)  # nothing fresher was left out
