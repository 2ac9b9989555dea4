"""The military mobility page (#/mobility, issue 27) in a real browser (Debian's headless Chromium, Playwright), on a
server of its own: the ILLUSTRATIVE gauge-break test network shipped with Kompas (always present), the shipped
ILLUSTRATIVE mechanised battalion and border lead times; ann's organisation (NL, SECRET, need-to-know "mob")
contributes the Czarna Hańcza bridge's military load class as MLC 80 under SECRET; bob (FR, RESTRICTED) does not see it.

Checked:
- bob opens the page from the menu: the banner is painted before the plan's obstacles are on screen (watched every
  frame); the default corridor Suwałki – Rukla is planned; the three obstacles are named with the page's costs
  equal to the API's (shown to 0.1 h): the bridge below the package's MLC (MLC 40 < 70), the 1435 → 1520 mm gauge
  break, Lithuania's border lead time; the legs table holds the wait for permission and the transshipment; the
  throughput names the transshipment as the narrowest element; road alone is infeasible; the ILLUSTRATIVE labels and
  the test network's attribution are shown; the map draws the network layer, every leg and the three obstacles;
- "what if it is lost?": the transshipment lost, the corridor fails; the bridge lost, nothing changes (the plan does
  not use it); from an obstacle's popup on the map, the gauge-break station lost, the corridor fails; each removed
  element is drawn on the map;
- the ranking panel lists the API's ranking in its order, each with a "what if" button;
- ann sees the bridge as MLC 80: no bridge obstacle, her plan crosses the bridge, under a SECRET banner painted
  before the plan;
- the German RINF rail network (from ../shared only; skipped without it): the Rotterdam corridor's plan equals the
  API's (km, hours) and the whole network is drawn with its RINF attribution on the map;
- an unknown place holding HTML is refused with the server's reason as text (no element injected), under the banner.
One browser context per user for the whole module."""

from __future__ import annotations

import json
import re

import pytest

from kompas.api.server import background
from kompas.core.db import make_engine, upgrade
from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.locate import shared_data

from .conftest import shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow]

BRIDGE_MLC = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None,
                         "properties": {"kind": "attributes", "target": "test:road-bridge", "set": {"mlc": 80}}}]})
START = "2026-12-01T06:00Z"
# the banner the first time the plan's obstacles table has rows on screen (the router keeps the view hidden until
# the page's marking is painted)
FIRST_SIGHT = """
(() => {
  window.__firstSight = null;
  const look = () => {
    const row = document.querySelector("#mob-obstacles tbody tr[data-k], #mob-obstacles tbody tr td.muted");
    const verdict = document.querySelector("#mob-verdict");
    if (!window.__firstSight && verdict && verdict.offsetParent && getComputedStyle(verdict).visibility === "visible"
        && row) {
      window.__firstSight = document.getElementById("banner-top").textContent;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
# as a client should: a 503 (the user's one computing route is still taken, e.g. by the page's own map request on a
# loaded machine) is retried after its Retry-After
API = """async ([path, body]) => {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(path, { method: body ? "POST" : "GET", headers: {
      "Content-Type": "application/json", Authorization: `Bearer ${sessionStorage.getItem("kompas-token")}` },
      body: body ? JSON.stringify(body) : undefined });
    if (response.status !== 503 || attempt >= 60) return response.json();
    await new Promise((done) => setTimeout(done, 1000 * Number(response.headers.get("Retry-After") || 1)));
  }
}"""
DRAWN = """(legs) => {
  const el = document.querySelector('#mob-map');
  const map = el?.__map;
  if (!map || !el.__drawn || el.__drawn.legs !== legs || !el.__drawn.network) return false;
  try { return map.isSourceLoaded('mob-plan') && map.isSourceLoaded('mob-network') && map.loaded(); }
  catch { return false; }
}"""


@pytest.fixture(scope="module")
def mobility_site(tmp_path_factory) -> dict:
    """A server on loopback with users ann (NL, SECRET, mob) and bob (FR, RESTRICTED) and ann's SECRET bridge class."""
    from kompas.services import mobility as service

    url = f"sqlite:///{tmp_path_factory.mktemp('mobility-web') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-MOD", "NL")
    store.add_org("FR-EMA", "FR")
    tokens = {"ann": store.add_user("ann", "NL-MOD", "SECRET", ["mob"]),
              "bob": store.add_user("bob", "FR-EMA", "RESTRICTED")}
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["mob"], "NL-MOD")
    done = service.contribute(store, store.account("ann"), BRIDGE_MLC, "Czarna Hańcza bridge, surveyed MLC", secret)
    assert done.accepted == 1 and not done.rejected
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
        page.get_by_role("link", name="Mobility").click()
        page.wait_for_url("**/#/mobility*")
    else:
        page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
        page.goto(site["url"] + f"/web/#/mobility?network=gauge-test&from=test:suwalki-barracks&to=test:rukla"
                  f"&start={START}")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=120_000)
    page.locator("#mob-verdict").wait_for()
    return context, page


@pytest.fixture(scope="module")
def bob(browser, mobility_site):  # noqa: ANN001, ANN201
    context, page = _open(browser, mobility_site, "bob", menu=True)
    yield page
    context.close()


def _api(page, path: str, body: dict | None = None) -> dict:  # noqa: ANN001
    """What the API answers the signed-in page (its own token)."""
    return page.evaluate(API, [path, body])


def _hours(text: str) -> float:
    """A duration as the page shows it ("+163.6 h (6.8 d)", "+6 min") in hours."""
    found = re.search(r"([\d.\u2009]+) (h|min)", text)
    assert found, text
    value = float(found.group(1).replace("\u2009", ""))
    return value / 60 if found.group(2) == "min" else value


def _body(page) -> dict:  # noqa: ANN001
    """The route request the page made, from the link it keeps (#/mobility?network=...&start=...)."""
    own = page.evaluate("Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] || ''))")
    start = own["start"] if own["start"].count(":") == 2 else own["start"].replace("Z", ":00Z")
    return {"network": own["network"], "from": own["from"], "to": own["to"], "package_name": own["package"],
            "start_utc": start}


def _obstacles(page) -> dict[str, dict[str, str]]:  # noqa: ANN001
    out = {}
    for row in page.locator("#mob-obstacles tbody tr[data-k]").all():
        cells = row.locator("td").all_inner_texts()
        out[row.get_attribute("data-kind")] = {"element": row.get_attribute("data-element"), "why": cells[2],
                                               "cost": cells[3]}
    return out


def test_the_corridor_is_planned_with_every_obstacle_named_and_costed(bob) -> None:  # noqa: ANN001
    page = bob
    assert page.evaluate("window.__firstSight") == "UNCLASSIFIED // TLP:CLEAR"  # never "CHECKING MARKING…"
    body = _body(page)
    assert (body["network"], body["from"], body["to"]) == ("gauge-test", "test:suwalki-barracks", "test:rukla")
    api = _api(page, "/api/v1/mobility/route", body)
    plan = api["plan"]
    assert plan["feasible"] and {o["kind"] for o in plan["obstacles"]} == {"mlc", "gauge", "border"}
    shown = _obstacles(page)
    assert set(shown) == {"mlc", "gauge", "border"}
    assert "bridge MLC 40 < package MLC 70" in shown["mlc"]["why"] and shown["mlc"]["element"] == "test:road-bridge"
    assert "gauge break 1435 → 1520 mm" in shown["gauge"]["why"]
    assert "entering LT (from PL) needs movement permission 5 working days (7 calendar days)" in shown["border"]["why"]
    for o in plan["obstacles"]:  # the page shows the API's cost, to 0.1 h (or to the minute under an hour)
        assert abs(_hours(shown[o["kind"]]["cost"]) - o["cost_hours"]) <= 0.051, (o, shown[o["kind"]])
    assert shown["border"]["cost"].startswith("+") and _hours(shown["border"]["cost"]) > 100  # days of notice
    verdict = page.locator("#mob-verdict").inner_text()
    assert verdict.startswith("Feasible") and "by road and rail" in verdict
    assert f"after {plan['hours']:.1f} h" in verdict and f"{plan['km']:.1f} km" in verdict
    legs = page.locator("#mob-legs tbody tr[data-id]")
    assert legs.count() == len(plan["legs"]) > 5
    assert [r.get_attribute("data-id") for r in legs.all()] == [leg["id"] for leg in plan["legs"]]
    wait = page.locator("#mob-legs tbody tr.wait")
    assert wait.count() == 1 and "permission to enter LT" in wait.inner_text()
    transfer = page.locator("#mob-legs tbody tr.transfer[data-id='test:transship-sestokai']")
    assert "Šeštokai transshipment 1435 ↔ 1520 mm" in transfer.inner_text()
    throughput = page.locator("#mob-throughput").inner_text()
    assert f"{plan['throughput']['vehicles_per_day']} vehicles a day" in throughput
    assert "Šeštokai transshipment" in throughput
    alternatives = {r.get_attribute("data-modes"): r.locator("td").nth(1).inner_text()
                    for r in page.locator("#mob-alternatives tbody tr").all()}
    assert alternatives["road,rail"] == "yes" and alternatives["road"] == "no"
    assert "ILLUSTRATIVE" in page.locator("#mob-illustrative").inner_text()
    assert "the border lead times" in page.locator("#mob-illustrative").inner_text()
    assert "ILLUSTRATIVE test network" in page.locator("#mob-licence").inner_text()
    # the map: the network layer, every leg of the plan and the three obstacles
    page.wait_for_function(DRAWN, arg=len(plan["legs"]), timeout=120_000)
    layer = _api(page, "/api/v1/mobility/network.geojson?network=gauge-test")
    drawn = page.evaluate("document.querySelector('#mob-map').__drawn")
    assert drawn["network"] == len([f for f in layer["features"] if f["geometry"]]) > 10
    assert drawn["obstacles"] == 3
    attribution = page.locator("#mob-map .maplibregl-ctrl-attrib").inner_text()
    assert "ILLUSTRATIVE test network" in attribution and "Natural Earth" in attribution
    for control in page.locator("#view input, #view select").all():  # every control has a label
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    assert page.evaluate("window.__violations") == []
    page.locator("#mob-plan-title").scroll_into_view_if_needed()
    shot(page, "mobility-bob-plan")


def test_what_if_an_element_is_lost(bob) -> None:  # noqa: ANN001
    page = bob
    page.locator("#mob-legs tbody tr[data-id='test:transship-sestokai'] button.whatif").click()
    page.wait_for_function("document.querySelector('#mob-removed')?.textContent.includes('test:transship-sestokai')")
    row = page.locator("#mob-outcomes tbody tr")
    assert row.count() == 1 and row.get_attribute("data-failed") == "true"
    assert "fails: no feasible plan without it" in row.inner_text()
    page.wait_for_function("(document.querySelector('#mob-map').__drawn.removed || [])"
                           ".includes('test:transship-sestokai')")
    # the bridge the plan avoids (MLC 40 < 70): losing it changes nothing
    page.locator("#mob-obstacles tbody tr[data-kind='mlc'] button.whatif").click()
    page.wait_for_function("document.querySelector('#mob-removed')?.textContent.includes('test:road-bridge')")
    cells = page.locator("#mob-outcomes tbody tr td").all_inner_texts()
    assert cells[1] == cells[2] and "no change" in cells[4] and row.get_attribute("data-failed") == "false"
    page.wait_for_function("(document.querySelector('#mob-map').__drawn.removed || []).includes('test:road-bridge')")
    assert "ILLUSTRATIVE test network" in page.locator("#mob-whatif-licence").inner_text()
    # from the map: the gauge-break obstacle's popup offers the same question
    page.locator("#mob-map").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the map settled after the scroll
    gauge = next(o for o in _api(page, "/api/v1/mobility/route", _body(page))["plan"]["obstacles"]
                 if o["kind"] == "gauge")
    where = page.evaluate("([lon, lat]) => { const el = document.querySelector('#mob-map'); "
                          "const p = el.__map.project([lon, lat]); const box = el.getBoundingClientRect(); "
                          "return { x: box.left + p.x, y: box.top + p.y }; }", [gauge["lon"], gauge["lat"]])
    page.mouse.click(where["x"], where["y"])
    popup = page.locator("#mob-map .maplibregl-popup")
    popup.wait_for()
    assert "gauge break 1435 → 1520 mm" in popup.inner_text()
    popup.get_by_role("button", name="What if it is lost?").click()
    page.wait_for_function("document.querySelector('#mob-removed')?.textContent.includes('test:sestokai-1435')")
    assert page.locator("#mob-outcomes tbody tr").get_attribute("data-failed") == "true"
    assert page.evaluate("window.__violations") == []
    page.locator("#mob-whatif-title").scroll_into_view_if_needed()
    shot(page, "mobility-bob-what-if")


def test_the_ranking_panel(bob) -> None:  # noqa: ANN001
    page = bob
    form = page.locator("#mob-rank-form")
    assert form.locator("select[name=scope]").input_value() == "network"  # the network's shipped corridors
    form.get_by_label("Elements at most").fill("8")
    form.get_by_role("button", name="Rank the elements").click()
    page.locator("#mob-rank-table").wait_for()
    api = _api(page, "/api/v1/mobility/rank", {"network": "gauge-test", "package_name": "mech-battalion",
                                                "limit": 8})
    rows = page.locator("#mob-rank-table tbody tr[data-element]")
    assert [r.get_attribute("data-element") for r in rows.all()] == [r["element"] for r in api["ranking"]]
    assert rows.count() == 8
    assert all(r.locator("button.whatif").count() == 1 for r in rows.all())
    assert "Suwałki – Rukla" in page.locator("#mob-rank details li").first.text_content()  # the corridor ranked
    rows.first.click()  # outlined on the map
    first = api["ranking"][0]["element"]
    page.wait_for_function(f"(document.querySelector('#mob-map').__drawn.focus || []).includes({json.dumps(first)})")
    assert page.evaluate("window.__violations") == []
    page.locator("#mob-rank-title").scroll_into_view_if_needed()
    shot(page, "mobility-bob-ranking")


def test_the_secret_bridge_class_is_annes_under_a_secret_banner(browser, mobility_site) -> None:  # noqa: ANN001
    context, page = _open(browser, mobility_site, "ann", menu=False)
    try:
        assert page.evaluate("window.__firstSight").startswith("SECRET")  # the banner was SECRET before the plan
        assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
        shown = _obstacles(page)
        assert set(shown) == {"gauge", "border"}  # the bridge carries MLC 80 for her: no obstacle
        first = page.locator("#mob-legs tbody tr[data-id]").first
        assert first.get_attribute("data-id") == "test:road-bridge"  # and her plan crosses it
        assert "contribution" in page.locator("#mob-licence").inner_text()
        assert page.evaluate("window.__violations") == []
        shot(page, "mobility-ann-plan")
    finally:
        context.close()


@pytest.mark.shared
def test_the_german_rail_corridor(bob) -> None:  # noqa: ANN001
    if shared_data("mobility/rinf_de_graph_2022") is None:
        pytest.skip("the German RINF graph (../shared/data/mobility/rinf_de_graph_2022) is absent: it is read from "
                    "../shared only")
    page = bob
    form = page.locator("#mob-form")
    form.locator("select[name=network]").select_option("de-rail")
    page.wait_for_function("document.querySelector('#mob-layer-status').textContent.includes('(de-rail): 8')",
                           timeout=120_000)
    assert page.locator("#mob-obstacles tbody tr[data-k]").count() == 0  # the gauge-test plan is not left on screen
    assert "Not ranked yet for de-rail" in page.locator("#mob-rank").inner_text()
    corridor = form.locator("select[name=corridor]")
    assert corridor.locator("option").count() == 9  # the 8 shipped corridors and "type the places"
    corridor.select_option(label="Rotterdam route (Emmerich – Frankfurt (Oder))")
    assert form.get_by_label("From", exact=True).input_value() == "rinf:EU00004"
    form.get_by_role("button", name="Plan the movement").click()
    page.wait_for_function("document.querySelector('#mob-verdict')?.textContent.includes('Emmerich Grenze')",
                           timeout=120_000)
    plan = _api(page, "/api/v1/mobility/route", _body(page))["plan"]
    verdict = page.locator("#mob-verdict").inner_text()
    assert plan["feasible"] and f"{plan['km']:.1f} km".replace(",", "") in verdict.replace("\u2009", "")
    assert f"after {plan['hours']:.1f} h" in verdict
    assert page.locator("#mob-legs tbody tr[data-id]").count() == len(plan["legs"]) > 50
    assert "no gauge" in page.locator("#mob-assumptions").inner_text()  # RINF states no gauge: said so
    assert "RINF" in page.locator("#mob-licence").inner_text() and "MIT" in page.locator("#mob-licence").inner_text()
    page.wait_for_function(DRAWN, arg=len(plan["legs"]), timeout=120_000)
    assert page.evaluate("document.querySelector('#mob-map').__drawn.network") > 15_000  # 8,017 links, 7,906 places
    assert "RINF" in page.locator("#mob-map .maplibregl-ctrl-attrib").inner_text()
    assert page.evaluate("window.__violations") == []
    page.locator("#mob-map").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # the canvas repainted after the scroll
    shot(page, "mobility-bob-de-rail")


def test_an_unknown_place_is_refused_as_text_under_the_banner(bob) -> None:  # noqa: ANN001
    page = bob
    form = page.locator("#mob-form")
    form.get_by_label("From", exact=True).fill('<img src=x onerror="window.__pwned = 1">')
    form.get_by_role("button", name="Plan the movement").click()
    alert = page.locator("#mob-status [role=alert]")
    alert.wait_for()
    assert alert.inner_text().startswith("No plan: no place named '<img src=x") and "(HTTP 422)" in alert.inner_text()
    assert page.locator("#view img").count() == 0 and page.evaluate("window.__pwned") is None
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    assert page.locator("#mob-verdict").count() == 1  # the last plan stays on screen
    assert page.evaluate("window.__violations") == []


def test_the_network_layer_holds_the_transfers(bob) -> None:  # noqa: ANN001
    layer = _api(bob, "/api/v1/mobility/network.geojson?network=gauge-test")
    transfers = {f["properties"]["id"] for f in layer["features"] if f["properties"]["kind"] == "transfer"}
    assert {"test:ramp-suwalki", "test:transship-sestokai", "test:ramp-kaunas"} <= transfers
