"""The Maritime page (#/maritime) in a real browser (Debian's headless Chromium, Playwright), on positions put in
through the service (kompas.services.maritime.contribute, then screen_view with record=True so the events exist):

- bob's organisation (FR, RESTRICTED) contributes, as UNCLASSIFIED / TLP:CLEAR, a scripted vessel (MMSI 273000000)
  reporting "at anchor" while moving east at 6 kn along 60.0 N from 25.5 E for 4 h (one fix every 10 s: 1,440
  fixes) across Estlink 2, then stopped for 3 h (59 fixes every 180 s): 1,499 fixes, an anchor drag near Estlink 2
  and a stop (as /tmp/try_estlink.py found, and the detectors' tests check);
- ann's organisation (NL, SECRET, need-to-know sst) contributes, as SECRET releasable to NL with need-to-know sst, a
  vessel (MMSI 244000001) stopped off Gotland for 3 h the next day, screened and recorded under that marking.

Checked: bob opens the page from the menu and the banner is UNCLASSIFIED before the events table or any track is
on screen (watched every frame); the map's three sources hold the assets (the Baltic seabed index, Estlink 2 among
them), bob's track (1,499 points) and the two events, never ann's SECRET vessel; the cable data's licence (CC BY-NC-SA
3.0) is under the map; the slider cuts the tracks and events to its time (exact counts from the 10 s fix spacing),
with a trail of the last hour; the event table lists the anchor drag naming Estlink 2 and a row zooms the map to
its event; an empty window says how to contribute; an error answer (422) is shown under the banner; ann sees both
vessels and her stop under a SECRET banner painted first. Needs ../shared (the Baltic seabed index and the cable map
are CC BY-NC-SA, never copied into the repository). One browser context per user for the module."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from kompas.core.markings import Marking

from .conftest import shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow, pytest.mark.shared]

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
T0 = 1735120000.0  # 2024-12-25T09:46:40Z: bob's vessel's first fix
DRAG_FIXES = 4 * 360  # 4 h every 10 s
STOP_FIXES = 59  # 3 h every 180 s, after the last moving fix
BOB_MMSI = 273000000
ANN_MMSI = 244000001
T1 = 1735200000.0  # 2024-12-26T08:00:00Z: ann's vessel's first fix
ANN_FIXES = 180  # 3 h every 60 s

# the banner the first time the events table has a row on screen and the first time the map's tracks are drawn (the
# router keeps the view hidden until the page's marking is painted; the map is drawn after)
FIRST_SIGHT = """
(() => {
  window.__firstSight = { table: null, map: null };
  const visible = (el) => el && el.offsetParent && getComputedStyle(el).visibility === "visible";
  const look = () => {
    const banner = document.getElementById("banner-top")?.textContent;
    if (!window.__firstSight.table && visible(document.querySelector("#maritime-events tbody tr[data-k]"))) {
      window.__firstSight.table = banner;
    }
    const map = document.querySelector("#maritime-map");
    if (!window.__firstSight.map && visible(map) && map.__visible && map.__visible.vertices > 0) {
      window.__firstSight.map = banner;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
# the map's sources as drawn now (MapLibre's own data, not the page's)
SOURCES = """async () => {
  const map = document.querySelector('#maritime-map').__map;
  const out = {};
  for (const id of ['maritime-assets', 'maritime-tracks', 'maritime-heads', 'maritime-events']) {
    const data = await map.getSource(id).getData();
    out[id] = data.features.map((f) => ({ name: f.properties.name, type: f.geometry.type,
      points: f.geometry.type === 'LineString' ? f.geometry.coordinates.length : 1 }));
  }
  return out;
}"""
DRAWN = """() => {
  const el = document.querySelector('#maritime-map');
  const map = el?.__map;
  if (!map || !el.__data || !el.__visible || !map.getSource('boundaries')) return false;
  try { return map.isSourceLoaded('maritime-tracks') && map.loaded(); } catch { return false; }
}"""
# move the slider as a pointer drag would (the input event), then wait for the frame that redraws the map
SLIDE = """async (seconds) => {
  const slider = document.querySelector('#maritime-slider');
  slider.value = String(seconds);
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return document.querySelector('#maritime-map').__visible;
}"""


def _bob_positions():  # noqa: ANN202 (kompas.maritime.model.Positions)
    from kompas.maritime.geo import EARTH_RADIUS_M, KNOT_MS
    from kompas.maritime.model import Positions

    step_deg = math.degrees(6 * KNOT_MS * 10 / (EARTH_RADIUS_M * math.cos(math.radians(60.0))))
    t = [T0 + 10 * i for i in range(DRAG_FIXES)] + [T0 + 10 * (DRAG_FIXES - 1) + 180 * j
                                                    for j in range(1, STOP_FIXES + 1)]
    lon = [25.5 + step_deg * i for i in range(DRAG_FIXES)] + [25.5 + step_deg * (DRAG_FIXES - 1)] * STOP_FIXES
    lat = [60.0] * DRAG_FIXES + [60.0 + 1e-6 * j for j in range(1, STOP_FIXES + 1)]
    n = len(t)
    return Positions.from_columns({
        "mmsi": [BOB_MMSI] * n, "t": t, "lat": lat, "lon": lon, "sog": [6.0] * DRAG_FIXES + [0.0] * STOP_FIXES,
        "cog": [90.0] * DRAG_FIXES + [np.nan] * STOP_FIXES, "heading": [90.0] * n, "status": [1] * n,  # at anchor
        "msg_type": [1] * n, "source": [0] * n, "line": list(range(1, n + 1))}, ("scripted anchor drag",))


def _ann_positions():  # noqa: ANN202
    from kompas.maritime.model import Positions

    n = ANN_FIXES
    return Positions.from_columns({
        "mmsi": [ANN_MMSI] * n, "t": [T1 + 60 * i for i in range(n)], "lat": [58.0 + 1e-5 * (i % 3) for i in range(n)],
        "lon": [19.5] * n, "sog": [0.1] * n, "cog": [np.nan] * n, "heading": [0.0] * n, "status": [5] * n,
        "msg_type": [1] * n, "source": [0] * n, "line": list(range(1, n + 1))}, ("radar off Gotland",))


@pytest.fixture(scope="module")
def maritime(site: dict) -> dict:
    """The two contributions, screened and recorded (see the module docstring)."""
    for need in (SHARED / "maritime" / "baltic_seabed_assets.csv", SHARED / "infra" / "cables_2022"):
        if not need.exists():
            pytest.skip(f"{need} is absent: the Baltic seabed index and the cable map are CC BY-NC-SA and are read "
                        "from ../shared only, never copied into the repository (clone ../shared beside the checkout)")
    from kompas.maritime.events import iso
    from kompas.maritime.model import Ingest
    from kompas.services import maritime as service

    store = site["store"]
    bob, ann = store.account("bob"), store.account("ann")
    done = service.contribute(store, bob, Ingest(_bob_positions()), Marking.build(tlp="CLEAR"), "test:estlink")
    assert done["stored_fixes"] == DRAG_FIXES + STOP_FIXES
    screened = service.screen_view(store, bob.viewer, iso(T0 - 60), iso(T0 + 8 * 3600), record=True, by="bob")
    assert sorted(e["type"] for e in screened["events"]) == ["anchor_drag", "stop"], screened["events"]
    assert screened["recorded"] == 2
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    done = service.contribute(store, ann, Ingest(_ann_positions()), secret, "test:gotland")
    assert done["stored_fixes"] == ANN_FIXES
    screened = service.screen_view(store, ann.viewer, iso(T1 - 60), iso(T1 + 4 * 3600), record=True, by="ann")
    assert [e["type"] for e in screened["events"]] == ["stop"] and screened["banner"].startswith("SECRET")
    assert screened["recorded"] == 1
    drag = next(e for e in service.screen_view(store, bob.viewer, iso(T0 - 60), iso(T0 + 8 * 3600))["events"]
                if e["type"] == "anchor_drag")
    return {"drag": drag}


def _open(browser, site: dict, user: str, menu: bool):  # noqa: ANN001, ANN202 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(FIRST_SIGHT)
    if menu:
        page.goto(site["url"] + "/web/#/signin")
        page.get_by_label("API token").fill(site["tokens"][user])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/#/globe")
        page.get_by_role("link", name="Maritime").click()
    else:
        page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
        page.goto(site["url"] + "/web/#/maritime")
    page.wait_for_url("**/#/maritime")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=120_000)
    page.wait_for_function(DRAWN, timeout=120_000)
    return context, page


def _whole_map_in_view(page) -> None:  # noqa: ANN001
    """Scroll the whole map above the bottom banner for a screenshot (headless Chromium leaves a band of a WebGL
    canvas partly under the fixed banner unpainted in screenshots)."""
    page.evaluate("window.scrollTo(0, document.querySelector('#maritime-map').getBoundingClientRect().top "
                  "+ window.scrollY - 80)")
    page.wait_for_timeout(500)  # the canvas repainted after the scroll


@pytest.fixture(scope="module")
def bob(browser, site, maritime):  # noqa: ANN001, ANN201
    context, page = _open(browser, site, "bob", menu=True)
    yield page
    context.close()


def test_bob_sees_tracks_events_and_assets_under_the_banner(bob) -> None:  # noqa: ANN001
    page = bob
    # the banner was painted before the table and before the map's tracks were on screen, never CHECKING MARKING…
    assert page.evaluate("window.__firstSight") == {"table": "UNCLASSIFIED // TLP:CLEAR",
                                                    "map": "UNCLASSIFIED // TLP:CLEAR"}
    sources = page.evaluate(SOURCES)
    assets = sources["maritime-assets"]
    assert len(assets) > 20 and "Estlink 2" in {a["name"] for a in assets}  # the Baltic seabed index: 55 today
    assert all(a["type"] in ("LineString", "MultiLineString") for a in assets)
    # bob's one vessel, all of its fixes (no thinning below 50,000 points), never ann's SECRET one
    assert [(t["type"], t["points"]) for t in sources["maritime-tracks"]] == [("LineString", DRAG_FIXES + STOP_FIXES)]
    assert sources["maritime-tracks"][0]["name"] == f"MMSI {BOB_MMSI}"
    assert sorted(e["name"].split(":")[0] for e in sources["maritime-events"]) == ["anchor drag", "stop"]
    assert str(ANN_MMSI) not in page.locator("#view").inner_text()
    counts = page.locator("#maritime-counts").inner_text()
    assert counts.startswith("1 vessel track(s), 1\u2009499 points, 2 event(s)"), counts
    # the cable data's licence under the map and in the map's attribution, with the route accuracy caveat
    licence = page.locator("#maritime-attribution").inner_text()
    assert "TeleGeography" in licence and "CC BY-NC-SA 3.0" in licence and "non-commercial" in licence
    assert "drawn, not surveyed" in licence
    assert "CC BY-NC-SA 3.0" in page.locator("#maritime-map .maplibregl-ctrl-attrib").inner_text()
    # the event table: the anchor drag names Estlink 2 and the vessel, at its start
    drag = page.locator("#maritime-events tbody tr[data-type='anchor_drag']")
    cells = drag.locator("td").all_inner_texts()
    assert cells[:5] == ["Anchor dragged", f"MMSI {BOB_MMSI}", "2024-12-25T09:46:40Z", "2024-12-25T13:46:30Z",
                         "Estlink 2"], cells
    assert page.locator("#maritime-events tbody tr[data-k]").count() == 2
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    for control in page.locator("#view input, #view select").all():  # every control has a label
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    assert page.evaluate("window.__violations") == []
    _whole_map_in_view(page)
    shot(page, "maritime-bob")


def test_the_slider_cuts_tracks_and_events_to_its_time(bob) -> None:  # noqa: ANN001
    """Fixes every 10 s from T0: at T0 + 2 h the track shows the 721 fixes up to then and only the anchor drag has
    started (the stop starts 13:41:10); with a trail of the last hour, the 360 fixes after T0 + 1 h; at the start
    (the Home key) one fix and the drag (it starts at T0); at the end everything."""
    page = bob
    slider = page.locator("#maritime-slider")
    assert float(slider.get_attribute("min")) == T0 and slider.input_value() == slider.get_attribute("max")
    visible = page.evaluate(SLIDE, T0 + 7200)
    assert visible == {"vertices": 721, "lines": 1, "heads": 1, "events": 1}
    assert page.locator("#maritime-time").inner_text() == "2024-12-25T11:46:40Z"
    sources = page.evaluate(SOURCES)  # the map's own data, not only the page's count
    assert sources["maritime-tracks"][0]["points"] == 721 and len(sources["maritime-events"]) == 1
    assert page.locator("#maritime-events tbody tr.later").count() == 1  # the stop, greyed
    assert "721 of 1\u2009499 track points" in page.locator("#maritime-visible").inner_text()
    page.locator("#maritime-trail").select_option(label="the last hour")
    page.wait_for_function("document.querySelector('#maritime-map').__visible.vertices === 360")
    assert page.evaluate(SOURCES)["maritime-tracks"][0]["points"] == 360
    assert "trail=3600" in page.url
    page.locator("#maritime-trail").select_option("0")
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_function("document.querySelector('#maritime-map').__visible.vertices === 1")
    assert page.evaluate("document.querySelector('#maritime-map').__visible") == {"vertices": 1, "lines": 1,
                                                                                  "heads": 1, "events": 1}
    assert page.locator("#maritime-time").inner_text() == "2024-12-25T09:46:40Z"
    page.keyboard.press("End")
    page.wait_for_function("document.querySelector('#maritime-map').__visible.events === 2")
    assert page.evaluate("document.querySelector('#maritime-map').__visible")["vertices"] == DRAG_FIXES + STOP_FIXES
    assert page.locator("#maritime-events tbody tr.later").count() == 0
    assert page.evaluate("window.__violations") == []


def test_an_event_row_zooms_to_its_event(bob, maritime) -> None:  # noqa: ANN001
    """Clicking the anchor drag's row centres the map on the event (zoom 8 at least) and opens its popup (title,
    times, asset, marking); clicking the stop's row with the slider before it moves the slider to its start."""
    page = bob
    lon, lat = maritime["drag"]["lon"], maritime["drag"]["lat"]
    page.locator("#maritime-events tbody tr[data-type='anchor_drag']").click()
    page.wait_for_function(f"""() => {{ const m = document.querySelector('#maritime-map').__map;
      const c = m.getCenter(); return !m.isMoving() && Math.abs(c.lng - {lon}) < 0.01
        && Math.abs(c.lat - {lat}) < 0.01 && m.getZoom() >= 8; }}""")  # 0.01 deg: the flight ends on the event
    popup = page.locator("#maritime-map .maplibregl-popup-content").inner_text()
    assert "anchor drag" in popup and "Asset: Estlink 2" in popup and "UNCLASSIFIED // TLP:CLEAR" in popup
    assert "From 2024-12-25T09:46:40Z\nuntil 2024-12-25T13:46:30Z" in popup
    page.evaluate(SLIDE, T0)
    page.locator("#maritime-events tbody tr[data-type='stop']").click()
    page.wait_for_function("document.querySelector('#maritime-map').__visible.events === 2")
    assert page.locator("#maritime-time").inner_text() == "2024-12-25T13:41:10Z"  # the stop's start (on a 10 s step)
    assert page.evaluate("window.__violations") == []
    shot(page, "maritime-bob-event")
    page.locator("#maritime-end").click()


def test_an_empty_window_says_how_to_contribute_and_an_error_is_shown(bob) -> None:  # noqa: ANN001
    page = bob
    form = page.locator("#maritime-form")
    form.get_by_label("From (UTC)").fill("2020-01-01")
    form.get_by_label("Until (UTC)").fill("2020-01-02")
    form.get_by_role("button", name="Show").click()
    empty = page.locator("#maritime-empty")
    empty.wait_for()
    text = " ".join(empty.inner_text().split())
    assert "No vessel positions or maritime events you may see" in text
    assert "kompas maritime ingest FILE --contribute --user NAME" in text and "POST /api/v1/maritime/ais" in text
    assert page.locator("#maritime-events tbody tr[data-k]").count() == 0
    assert page.locator("#maritime-slider").is_disabled()
    assert page.evaluate("document.querySelector('#maritime-map').__visible.vertices") == 0
    assert "start_utc=2020-01-01" in page.url
    # the assets stay, and so does their licence
    assert len(page.evaluate(SOURCES)["maritime-assets"]) > 20
    assert "CC BY-NC-SA 3.0" in page.locator("#maritime-attribution").inner_text()
    # the server refuses a window ending before it starts: said under the banner
    form.get_by_label("From (UTC)").fill("2024-12-26")
    form.get_by_label("Until (UTC)").fill("2024-12-25")
    form.get_by_role("button", name="Show").click()
    alert = page.locator("#maritime-status [role=alert]")
    alert.wait_for()
    assert alert.inner_text() == "Not shown: end_utc must come after start_utc (HTTP 422)"
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    # the whole world, the window emptied: bob's picture again
    form.get_by_label("From (UTC)").fill("")
    form.get_by_label("Until (UTC)").fill("")
    form.get_by_label("Area").select_option("world")
    form.get_by_role("button", name="Show").click()
    page.wait_for_function("document.querySelector('#maritime-map').__visible?.vertices === 1499")
    assert page.locator("#maritime-status").inner_text() == ""
    assert page.evaluate("window.__violations") == []


def page_tracks(page) -> list[str]:  # noqa: ANN001
    """The vessels of the map's track source, sorted."""
    return sorted(t["name"] for t in page.evaluate(SOURCES)["maritime-tracks"])


def test_the_secret_vessel_is_anns_only_under_a_secret_banner(browser, site, maritime, bob) -> None:  # noqa: ANN001
    """bob (RESTRICTED, FR) never sees ann's SECRET batch (checked above: one track, two events, UNCLASSIFIED); ann
    sees both vessels and her stop, the banner SECRET before any of it is on screen."""
    assert bob.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    assert str(ANN_MMSI) not in bob.locator("#view").inner_text()
    assert page_tracks(bob) == [f"MMSI {BOB_MMSI}"]
    context, page = _open(browser, site, "ann", menu=False)
    try:
        first = page.evaluate("window.__firstSight")
        assert first["table"].startswith("SECRET") and first["map"].startswith("SECRET"), first
        tracks = page.evaluate(SOURCES)["maritime-tracks"]
        assert page_tracks(page) == [f"MMSI {ANN_MMSI}", f"MMSI {BOB_MMSI}"]
        assert [t["points"] for t in tracks if t["name"] == f"MMSI {ANN_MMSI}"] == [ANN_FIXES]
        rows = page.locator("#maritime-events tbody tr[data-k]")
        assert rows.count() == 3
        assert page.locator(f"#maritime-events tbody tr[data-type='stop']:has-text('MMSI {ANN_MMSI}')").count() == 1
        assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
        assert page.evaluate("window.__violations") == []
        _whole_map_in_view(page)
        shot(page, "maritime-ann")
    finally:
        context.close()
