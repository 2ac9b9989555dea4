"""The 2D map (#/map) in Debian's headless Chromium: MapLibre draws the Natural Earth boundaries and the ground
tracks from the server, under the site's own Content Security Policy; layers toggle from the keyboard; a click on a
track opens the object, a click on a country its popup; the banner is SECRET for ann when the SECRET Iridium 33 /
Cosmos 2251 tracks are drawn, and bob gets neither the tracks nor the banner."""

from __future__ import annotations

import pytest

from .conftest import shot

pytestmark = pytest.mark.slow

SECRET_IDS = {24946, 22675}
GEO_ASSETS = (39617, 38652, 44624, 39509, 28885, 29273, 49333, 57214, 28945)
LOADED = """(ids) => {
  const map = document.querySelector('#map')?.__map;
  if (!map || document.querySelector('.view.pending')) return false;
  try { return ids.every((id) => map.isSourceLoaded(id)) && map.loaded(); } catch { return false; }
}"""


def _open_map(page, site, query: str = "", layers=("boundaries", "ground-tracks")) -> None:  # noqa: ANN001
    page.goto(f"{site['url']}/web/#/map{query}")
    page.wait_for_function(LOADED, arg=list(layers), timeout=60_000)


def _rendered(page, layer: str) -> int:  # noqa: ANN001
    """How many features of a layer's sub-layers MapLibre has drawn in the current view."""
    return page.evaluate("""(id) => { const map = document.querySelector('#map').__map;
        const ids = [id + '-fill', id + '-line', id + '-point'].filter((x) => map.getLayer(x));
        return map.queryRenderedFeatures({ layers: ids }).length; }""", layer)


def _banner(page) -> str:  # noqa: ANN001
    return page.locator("#banner-top").get_attribute("data-classification")


def test_map_draws_under_the_sites_own_csp_with_its_worker_from_the_server(browser, site) -> None:
    """No bypass of the CSP: MapLibre's worker is a same-origin module script; nothing comes from elsewhere."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    violations, requests, errors = [], [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site["url"] + "/web/#/signin")
    page.get_by_label("API token").fill(site["tokens"]["bob"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/#/globe")
    _open_map(page, site)
    assert page.locator("#map canvas.maplibregl-canvas").count() == 1
    assert violations == [] and errors == []
    assert any("maplibre-gl-worker" in u for u in requests)
    assert all(u.startswith(site["url"]) or u.startswith(("data:", "blob:")) for u in requests)
    page.close()


def test_map_draws_boundaries_and_tracks_toggles_layers_and_opens_details(page_for, site) -> None:
    page = page_for("bob")
    _open_map(page, site)
    assert _rendered(page, "boundaries") > 100
    assert _rendered(page, "ground-tracks") > 0
    attribution = page.locator(".maplibregl-ctrl-attrib")
    assert "Natural Earth (public domain)" in attribution.inner_text()
    assert _banner(page) == "UNCLASSIFIED"
    shot(page, "map-bob-assets")
    # the map sits between the fixed banners: its bottom edge is above the bottom banner
    box = page.locator("#map").bounding_box()
    bottom = page.locator("#banner-bottom").bounding_box()
    top = page.locator("#banner-top").bounding_box()
    assert box["y"] >= top["y"] + top["height"] and box["y"] + box["height"] <= bottom["y"]
    assert box["height"] > 500
    # a layer toggles from the keyboard (its checkbox has a label)
    tracks = page.get_by_label("Ground tracks of space objects")
    tracks.focus()
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('#map').__map.getLayoutProperty('ground-tracks-line', "
                           "'visibility') === 'none'")
    page.wait_for_function("document.querySelector('#map').__map.loaded()")
    assert _rendered(page, "ground-tracks") == 0 and not tracks.is_checked()
    # a click on a country: its popup, with the name and its marking
    where = page.evaluate("(() => { const m = document.querySelector('#map').__map; const b = "
                          "document.querySelector('#map').getBoundingClientRect(); const p = m.project([-53, -10]);"
                          " return { x: b.left + p.x, y: b.top + p.y }; })()")
    page.mouse.click(where["x"], where["y"])
    popup = page.locator(".maplibregl-popup-content")
    popup.filter(has_text="Brazil").wait_for()
    assert "BRA" in popup.inner_text() and "UNCLASSIFIED" in popup.inner_text()
    page.keyboard.press("Escape")
    page.get_by_label("Ground tracks of space objects").focus()
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('#map').__map.getLayoutProperty('ground-tracks-line', "
                           "'visibility') === 'visible'")
    page.wait_for_function(LOADED, arg=["ground-tracks"])
    assert _rendered(page, "ground-tracks") > 0
    # a click on a track's start position opens the object's page
    on_map = page.locator("#map").bounding_box()
    found = [(n, page.evaluate(f"document.querySelector('#map').__screenOf({n})")) for n in GEO_ASSETS]
    inside = [(n, p) for n, p in found if p and on_map["x"] + 30 < p["x"] < on_map["x"] + on_map["width"] - 30
              and on_map["y"] + 30 < p["y"] < on_map["y"] + on_map["height"] - 30]
    assert inside, found
    norad_id, where = inside[0]
    page.mouse.move(where["x"], where["y"])
    page.locator("#map .map-tooltip").filter(has_text=str(norad_id)).wait_for()
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url(f"**/#/object/{norad_id}")


def test_the_secret_tracks_raise_the_banner_for_ann_and_are_not_drawn_for_bob(page_for, site) -> None:
    page = page_for("ann")
    _open_map(page, site, "?ids=24946,22675")
    drawn = page.evaluate("document.querySelector('#map').__layers['ground-tracks'].data.features"
                          ".map((f) => f.properties.norad_id)")
    assert set(drawn) == SECRET_IDS
    assert _rendered(page, "ground-tracks") > 0
    assert _banner(page) == "SECRET"
    assert "SECRET" in page.locator("#status-ground-tracks .mark").inner_text()
    assert page.locator("#map-items a").count() == 2  # each object listed with a link to its page
    page.wait_for_timeout(500)
    shot(page, "map-ann")
    other = page_for("bob")
    _open_map(other, site, "?ids=24946,22675")
    assert other.evaluate("document.querySelector('#map').__layers['ground-tracks'].data.features.length") == 0
    assert _banner(other) == "UNCLASSIFIED"
    shot(other, "map-bob")
