"""The fused picture page (#/fusion) in a real browser (Debian's headless Chromium, Playwright), on a server of its
own with the events of tests/services/test_fusion.py: Estlink 2 lost off Porvoo (infra, TLP:GREEN), the Eagle S
anchor drag 60 km west of it (maritime), a SECRET navy report between them (need-to-know navy, REL TO FI), a cyber
incident about Finland, a FIMI incident about Germany and a vessel gone dark in the Black Sea.

Checked: fi (SECRET, navy) opens the page from the menu; the banner is SECRET before the situations table, the
timeline's dots or the map's events are on screen (watched every frame); the timeline has a dot per event and a
band per situation, the map the four placed events, one hull and one centre; choosing the situation outlines its
three placed events on the map, its rows in the events table, and opens its links with their reasons (the same
vessel, the distances); a filter (the maritime domain) is applied by the server and kept in the link; a country that
is not one is refused with the server's reason under the banner. fr (RESTRICTED) never sees the navy report or a
SECRET banner: the loss and the cyber incident form the only situation. One browser context per user for the
module."""

from __future__ import annotations

import json

import pytest

from kompas.api.server import background
from kompas.core.db import make_engine, upgrade
from kompas.core.store import Store
from kompas.core.store import events as platform_events
from tests.services.test_fusion import EVENTS, ID

from .conftest import shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow]

# the banner the first time each part of the page has content on screen (the router keeps the view hidden until the
# page's marking is painted; the map is drawn after)
FIRST_SIGHT = """
(() => {
  window.__firstSight = { situations: null, timeline: null, map: null };
  const visible = (el) => el && el.offsetParent && getComputedStyle(el).visibility === "visible";
  const look = () => {
    const banner = document.getElementById("banner-top")?.textContent;
    const seen = window.__firstSight;
    if (!seen.situations && visible(document.querySelector("#fusion-situations tbody tr[data-id]"))) {
      seen.situations = banner;
    }
    if (!seen.timeline && document.querySelector("#fusion-timeline circle.dot")
        && visible(document.querySelector(".fusion-timeline"))) seen.timeline = banner;  // (SVG has no offsetParent)
    const map = document.querySelector("#fusion-map");
    if (!seen.map && visible(map) && map.__drawn && map.__drawn.events > 0) seen.map = banner;
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
SOURCES = """async () => {
  const map = document.querySelector('#fusion-map').__map;
  const out = {};
  for (const id of ['fusion-events', 'fusion-hulls', 'fusion-centres']) {
    const data = await map.getSource(id).getData();
    out[id] = data.features.map((f) => ({ name: f.properties.name, type: f.geometry.type,
      chosen: !!f.properties.chosen }));
  }
  return out;
}"""
DRAWN = """() => {
  const el = document.querySelector('#fusion-map');
  const map = el?.__map;
  if (!map || !el.__drawn || !map.getSource('boundaries')) return false;
  try { return map.isSourceLoaded('fusion-events') && map.loaded(); } catch { return false; }
}"""


@pytest.fixture(scope="module")
def fusion_site(tmp_path_factory) -> dict:
    """A server on loopback with the events, users fi and fr, and the fusion routes."""
    from kompas.api.routers import ROUTERS, fusion

    if fusion.router not in ROUTERS:  # until kompas.api.routers lists it
        ROUTERS.append(fusion.router)
    url = f"sqlite:///{tmp_path_factory.mktemp('fusion-web') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("FI-NAVY", "FI")
    store.add_org("FR-SGDSN", "FR")
    tokens = {"fi": store.add_user("fi", "FI-NAVY", "SECRET", ["navy"]),
              "fr": store.add_user("fr", "FR-SGDSN", "RESTRICTED")}
    assert len(platform_events.store(store, list(EVENTS.values()), "test", alert=False).ids) == len(EVENTS)
    with background(store.engine) as base:
        yield {"url": base, "tokens": tokens}


def _open(browser, site: dict, user: str, menu: bool):  # noqa: ANN001, ANN202 (Playwright objects)
    # bypass_csp lets the test's probes run (tests/web/test_pages.py checks the site's policy itself)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(FIRST_SIGHT)
    if menu:
        page.goto(site["url"] + "/web/#/signin")
        page.get_by_label("API token").fill(site["tokens"][user])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/#/globe")
        page.get_by_role("link", name="Fused picture").click()
    else:
        page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
        page.goto(site["url"] + "/web/#/fusion")
    page.wait_for_url("**/#/fusion")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=120_000)
    page.wait_for_function(DRAWN, timeout=120_000)
    return context, page


@pytest.fixture(scope="module")
def fi(browser, fusion_site):  # noqa: ANN001, ANN201
    context, page = _open(browser, fusion_site, "fi", menu=True)
    yield page
    context.close()


@pytest.fixture(scope="module")
def fr(browser, fusion_site):  # noqa: ANN001, ANN201
    context, page = _open(browser, fusion_site, "fr", menu=False)
    yield page
    context.close()


def test_the_cleared_analyst_sees_the_situation_under_a_secret_banner(fi) -> None:  # noqa: ANN001
    page = fi
    first = page.evaluate("window.__firstSight")
    assert all(v and v.startswith("SECRET UE/EU SECRET") for v in first.values()), first
    assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    assert page.locator("#fusion-counts").inner_text().startswith("6 event(s) of 6 matching, 1 situation(s).")
    rows = page.locator("#fusion-situations tbody tr[data-id]")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[:3] == ["1", "4", "high"] and cells[5] == "Cyber, Infrastructure, Intelligence, Maritime"
    assert cells[7] == "Estlink 2 lost (+3 linked events)" and cells[8].startswith("SECRET")
    # the timeline: a dot per event, one band; the map: the four placed events, the hull and the centre
    assert page.locator("#fusion-timeline circle.dot").count() == 6
    assert page.locator("#fusion-timeline rect.band").count() == 1
    sources = page.evaluate(SOURCES)
    assert sorted(f["name"] for f in sources["fusion-events"]) == sorted(
        ["Estlink 2 lost", "anchor drag: EAGLE S", "navy sighting", "dark: vessel X"])
    assert [f["type"] for f in sources["fusion-hulls"]] == ["LineString"]  # the three places lie on 59.9 N
    assert len(sources["fusion-centres"]) == 1
    assert "2 event(s) have no place on Earth" in page.locator("#fusion-summary").inner_text()
    for control in page.locator("#view input, #view select").all():  # every control has a label
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    assert page.evaluate("window.__violations") == []
    shot(page, "fusion-fi")


def test_choosing_the_situation_outlines_its_events_and_says_why(fi) -> None:  # noqa: ANN001
    page = fi
    page.locator("#fusion-situations tbody tr[data-id]").first.click()
    card = page.locator("#fusion-situation")
    card.wait_for(state="visible")
    text = card.inner_text()
    assert text.startswith("Situation #1: Estlink 2 lost (+3 linked events)")
    assert "the same vessel: EAGLE S" in text and "30.1 km apart" in text and "both concern FI" in text
    assert page.locator("#fusion-events tbody tr.chosen").count() == 4
    page.wait_for_function("document.querySelector('#fusion-map').__drawn.chosen === 3")
    assert [f["chosen"] for f in page.evaluate(SOURCES)["fusion-hulls"]] == [True]
    assert page.locator("#fusion-timeline circle.dot.chosen").count() == 4
    assert page.evaluate("window.__violations") == []
    shot(page, "fusion-fi-situation")
    page.locator("#fusion-situations tbody tr[data-id]").first.click()  # again: none chosen
    card.wait_for(state="hidden")
    assert page.locator("#fusion-events tbody tr.chosen").count() == 0


def test_filters_and_errors(fi) -> None:  # noqa: ANN001
    page = fi
    page.locator("#fusion-form input[name=domain][value=maritime]").check()
    page.locator("#fusion-form button[type=submit]").click()
    page.wait_for_function("document.querySelector('#fusion-events').dataset.rows === '2'")
    assert "domain=maritime" in page.url
    assert sorted(page.locator("#fusion-events tbody td:nth-child(5)").all_inner_texts()) == [
        "anchor drag: EAGLE S", "dark: vessel X"]
    assert page.locator("#fusion-situations").get_attribute("data-rows") == "0"
    page.locator("#fusion-form input[name=country]").fill("Atlantis")
    page.locator("#fusion-form button[type=submit]").click()
    alert = page.locator("#fusion-status [role=alert]")
    alert.wait_for()
    assert "country: 'Atlantis' is not an ISO 3166 country code" in alert.inner_text()
    assert page.locator("#fusion-events").get_attribute("data-rows") == "2"  # what was shown stays
    assert page.evaluate("window.__violations") == []


def test_the_restricted_reader_never_sees_the_navy_report(fr) -> None:  # noqa: ANN001
    page = fr
    first = page.evaluate("window.__firstSight")
    assert first == {"situations": "UNCLASSIFIED // TLP:GREEN", "timeline": "UNCLASSIFIED // TLP:GREEN",
                     "map": "UNCLASSIFIED // TLP:GREEN"}, first
    assert ID["navy"] not in page.content() and "navy sighting" not in page.locator("#view").inner_text()
    situation = page.locator("#fusion-situations tbody tr[data-id] td").all_inner_texts()
    assert situation[:2] == ["1", "2"] and situation[5] == "Cyber, Infrastructure"
    assert page.locator("#fusion-timeline circle.dot").count() == 5
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    assert page.evaluate("window.__violations") == []
    shot(page, "fusion-fr")
