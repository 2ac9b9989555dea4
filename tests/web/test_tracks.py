"""Tracked conjunctions in a real browser (issue 21): a pair of real objects (NORAD 43890 and 66835) that pass 0.5-1 km
apart twice on 2026-05-08, screened from their 2026-05-04 element sets (open to both users) and again from their
2026-05-05 sets (SECRET, NL, need-to-know sst: only ann may see them), as two daily cycles would. ann sees two events
of two updates each, with their Pc and miss history plotted and the banner SECRET before anything is drawn; bob sees
the same two events with their first update only, under his own banner; ann records a decision and the event is
closed, marked with what she saw."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kompas.api.server import background
from kompas.core.db import make_engine, upgrade
from kompas.core.jobs import screen_catalogue
from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.space.ingest import parse_text

from .conftest import shot

pytestmark = pytest.mark.slow
PAIR = (43890, 66835)
START = np.datetime64("2026-05-08T00:00:00", "ns")


@pytest.fixture(scope="module")
def tracked_site(tmp_path_factory: pytest.TempPathFactory, shared_space: Path) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('tracks') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    tokens = {"ann": store.add_user("ann", "NL-NSO", "SECRET", ["sst"]),
              "bob": store.add_user("bob", "FR-CNES", "RESTRICTED")}
    ann = store.account("ann")
    markings = (Marking.build(tlp="GREEN"), Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO"))
    for name, marking in zip(("active_2026-05-04.tle", "active_2026-05-05.tle"), markings, strict=True):
        parsed = parse_text((shared_space / name).read_text(), name, "tle")
        sets = [e for e in parsed.elements if e.norad_id in PAIR]
        store.store_element_sets(ann.user_id, "tle", name, sets, [], marking)
        assert len(screen_catalogue(store, start_utc=START, days=1.0, threshold_km=10.0)) == 2
    with background(store.engine) as served:
        yield {"url": served, "tokens": tokens}


@pytest.fixture
def open_as(browser, tracked_site: dict):  # noqa: ANN001, ANN201
    contexts = []

    def sign_in(user: str):  # noqa: ANN202
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(tracked_site["url"] + "/web/#/signin")
        page.get_by_label("API token").fill(tracked_site["tokens"][user])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/#/globe")
        page.get_by_role("link", name="Tracked").click()
        page.wait_for_url("**/#/tracks*")
        page.locator("#tracks[data-loaded]").wait_for(state="attached")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def test_each_encounter_is_one_event_with_its_history_and_a_decision(open_as) -> None:  # noqa: ANN001
    page = open_as("ann")
    assert page.locator("#tracks").get_attribute("data-total") == "2"
    rows = page.locator("#tracks tbody tr")
    assert rows.count() == 2
    assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    for row in rows.all():
        cells = row.locator("td").all_inner_texts()
        assert "43890" in cells[2] and "66835" in cells[2]
        assert cells[3] == "2"  # two updates, one per daily screening
    shot(page, "tracks-ann")
    rows.first.click()
    page.wait_for_url("**/#/track/*")
    page.locator("#history tbody tr").nth(1).wait_for()
    assert page.locator("#history tbody tr").count() == 2
    assert page.locator("#miss-history canvas").count() == 1  # the miss history is plotted
    assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    ages = page.locator("#history tbody tr").first.locator("td").nth(7).inner_text()
    assert all(float(a) > 0 for a in ages.split(" / ")), ages  # element-set ages at TCA shown
    form = page.locator("#decision")
    form.get_by_label("Decision").select_option("monitor")
    form.get_by_label("Note").fill("Kompas test: watch the next update")
    form.get_by_role("button", name="Record").click()
    page.locator("#decision-status").filter(has_text="Recorded").wait_for()
    assert "closed" in page.locator("#decision-status").inner_text()
    shot(page, "track-ann")


def test_a_user_sees_only_the_updates_they_may_see(open_as) -> None:  # noqa: ANN001
    page = open_as("bob")
    assert page.locator("#tracks").get_attribute("data-total") == "2"
    cells = page.locator("#tracks tbody tr").first.locator("td").all_inner_texts()
    assert cells[3] == "1"  # the SECRET second update is not his
    assert "SECRET" not in page.locator("#banner-top").inner_text()
    page.locator("#tracks tbody tr").first.click()
    page.locator("#history tbody tr").first.wait_for()
    assert page.locator("#history tbody tr").count() == 1
    assert "SECRET" not in page.locator("main").inner_text()


def test_the_conjunction_page_shows_the_manoeuvre_trade_space(open_as) -> None:  # noqa: ANN001
    page = open_as("ann")
    page.locator("#tracks tbody tr").first.click()
    page.locator("#history tbody tr a").last.click()  # the newest update's conjunction
    page.wait_for_url("**/#/conjunction/*")
    page.locator("#avoidance canvas").first.wait_for()
    assert page.locator("#avoidance canvas").count() == 2  # radial and along-track
    text = page.locator("#avoidance").inner_text()
    assert "Without a burn: Pc" in text
    assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    page.locator("#avoidance").scroll_into_view_if_needed()
    shot(page, "avoidance-ann")
