"""The Warning page (#/warning) in a real browser (Debian's headless Chromium, Playwright), on the shared early-warning
data (VIEWS challenge actuals, UCDP, ND-GAIN, IPC: read from ../shared only, never copied into the repository; the
module skips, saying so, when ../shared is absent).

The figures the page must show are computed first through the service in this process (kompas.services.warning:
the server runs in a thread of the same process, so its caches are warm and the page loads in seconds). Window 2020
is the earliest in which all five models can be built (2018 and 2019 lack the 12 months of history before their
cut-off; the page says so, checked below).

Checked: the banner has left its neutral state before the evaluation table or the watchlist is on screen (watched
every frame; the data carry no marking, so it is UNCLASSIFIED, TLP:CLEAR once the map's public boundaries are drawn);
the evaluation table lists the five models with the service's CRPS, IGN and MIS to the 3 decimals shown, and the
Kompas/conflictology ratio; the watchlist is the service's ranking with its explanations and the changes since the
previous edition; the forecast table and the warnings count are the service's; the map colours exactly the Natural
Earth units whose country (kompas.context.countries.natural_earth_iso3) is ranked, and switches to the forecast; the
attributions of VIEWS, UCDP, ND-GAIN, IPC and SIPRI are on the page; a window whose models cannot be built shows
the reason. One browser context for the module."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO, shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow, pytest.mark.shared]

SHARED = REPO.parent / "shared" / "data" / "early-warning"
WINDOW = 2020
MODELS = ["conflictology", "poisson", "bootstrap", "zero", "kompas"]
FIRST_SIGHT = """
(() => {
  window.__firstSight = {};
  const visible = (el) => el && el.offsetParent && getComputedStyle(el).visibility === "visible";
  const targets = { evaluation: "#warning-evaluation tbody tr", watchlist: "#watchlist tbody tr" };
  const look = () => {
    const banner = document.getElementById("banner-top")?.textContent;
    for (const [name, selector] of Object.entries(targets)) {
      if (!(name in window.__firstSight) && visible(document.querySelector(selector))) {
        window.__firstSight[name] = banner;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""


@pytest.fixture(scope="module")
def figures(site: dict) -> dict:
    """What the service says for window 2020 and the latest watchlist edition (computed once, cached in-process)."""
    for need in (SHARED / "views" / "actuals", SHARED / "ndgain", SHARED / "ipc", SHARED / "ucdp"):
        if not need.exists():
            pytest.skip(f"{need} is absent: the VIEWS, ND-GAIN, IPC and UCDP data are read from ../shared only (no "
                        "redistribution terms for most of them), never copied into the repository; clone ../shared "
                        "beside the checkout")
    from kompas.api.routers import ROUTERS, warning

    if warning.router not in ROUTERS:
        pytest.skip("kompas.api.routers.warning is not registered in api/routers yet (the coordinator's step)")
    from kompas.services import warning as service

    evaluation = service.evaluate(WINDOW)
    edition = service.latest_edition()
    watchlist = service.watchlist(edition).as_dict()
    forecast = service.forecast(WINDOW, "kompas", 500)
    found, _ = service.warnings(WINDOW, "kompas")
    assert [s["model"] for s in evaluation["scores"]] == MODELS
    assert all(s["crps"] is not None for s in evaluation["scores"]), evaluation["scores"]
    return {"evaluation": evaluation, "watchlist": watchlist, "forecast": forecast, "warnings": len(found)}


@pytest.fixture(scope="module")
def page(browser, site, figures):  # noqa: ANN001, ANN201 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    context.add_init_script(WATCH_MARKINGS)
    context.add_init_script(FIRST_SIGHT)
    context.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens']['bob'])});")
    page = context.new_page()
    page.goto(f"{site['url']}/web/#/warning?window={WINDOW}")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=60_000)
    page.wait_for_selector("#warning-forecast", timeout=120_000)
    page.wait_for_function("Number(document.querySelector('#warning-map')?.dataset.coloured) > 0", timeout=60_000)
    yield page
    context.close()


def test_the_evaluation_table_shows_the_five_models_under_the_banner(page, figures) -> None:  # noqa: ANN001
    first = page.evaluate("window.__firstSight")
    assert set(first) == {"evaluation", "watchlist"}, first
    assert all(b.startswith("UNCLASSIFIED") for b in first.values()), first  # never "CHECKING MARKING…"
    rows = page.locator("#warning-evaluation tbody tr")
    assert rows.evaluate_all("rows => rows.map((r) => r.dataset.model)") == MODELS
    for score in figures["evaluation"]["scores"]:
        row = page.locator(f"#warning-evaluation tr[data-model='{score['model']}']")
        shown = [row.locator(f"td.{k}").inner_text() for k in ("crps", "ign", "mis")]
        assert shown == [f"{score[k]:.3f}" for k in ("crps", "ign", "mis")], (score["model"], shown)
    ratio = figures["evaluation"]["crps_ratio"]
    assert f"Kompas / conflictology CRPS ratio: {ratio:.3f}" in page.locator("#warning-ratio").inner_text()
    assert "2019-10-31" in page.locator("#evaluation-status").inner_text()  # the window's cut-off
    assert page.evaluate("window.__violations") == []
    shot(page, "warning-evaluation")


def test_the_watchlist_ranked_explained_with_its_changes(page, figures) -> None:  # noqa: ANN001
    w = figures["watchlist"]
    shown = page.locator("#watchlist tbody tr").evaluate_all("rows => rows.map((r) => r.dataset.iso3)")
    assert shown == [r["iso3"] for r in w["rows"][:20]]
    first = page.locator("#watchlist tbody tr").first
    assert first.locator("td.explanation").inner_text().startswith(w["rows"][0]["explanation"])
    assert first.locator("td.score").inner_text() == f"{w['rows'][0]['score']:.1f}"
    changes = page.locator("#watchlist-moves").inner_text()
    assert w["changes"] is not None
    names = {r["iso3"]: r["name"] for r in w["rows"]}
    for code in w["changes"]["entered"] + w["changes"]["left"]:
        assert f"{names[code]} {code}" in changes
    for move in w["changes"]["moved_up"]:
        assert f"{move['name']}: {move['previous_rank']} → {move['rank']}" in changes
    page.get_by_role("button", name=f"Show all {len(w['rows'])} countries").click()
    assert page.locator("#watchlist tbody tr").count() == len(w["rows"])


def test_the_forecast_the_map_and_the_sources(page, figures) -> None:  # noqa: ANN001
    from kompas.context.countries import natural_earth_iso3
    from kompas.services.map import boundaries_document

    rows = page.locator("#warning-forecast tbody tr").evaluate_all("rows => rows.map((r) => r.dataset.iso3)")
    assert rows == [r["iso3"] for r in figures["forecast"]["rows"][:30]]
    assert f"{figures['warnings']} warning" in page.locator("#forecast-status").inner_text()
    # the map colours exactly the Natural Earth units whose country is ranked (C's code table, not the page's)
    units = [f["properties"]["adm0_a3"] for f in json.loads(boundaries_document()[0])["features"]]
    ranked = {r["iso3"] for r in figures["watchlist"]["rows"]}
    coloured = page.evaluate("Number(document.querySelector('#warning-map').dataset.coloured)")
    assert coloured == sum(natural_earth_iso3(u) in ranked for u in units)
    page.get_by_label("forecast: P(25 or more deaths", exact=False).check()
    page.wait_for_function("document.querySelector('#warning-map').dataset.layer === 'forecast'")
    forecast = {r["iso3"] for r in figures["forecast"]["rows"] if r["iso3"]}
    assert page.evaluate("Number(document.querySelector('#warning-map').dataset.coloured)") == sum(
        natural_earth_iso3(u) in forecast for u in units)
    page.evaluate("window.scrollTo(0, document.querySelector('#map-title').getBoundingClientRect().top "
                  "+ window.scrollY - 100)")
    page.wait_for_timeout(500)  # the canvas repainted after the scroll
    shot(page, "warning-map-forecast")
    attributions = page.locator("#warning-attributions").inner_text()
    for name in ("VIEWS 2023/24 prediction challenge", "UCDP/PRIO Armed Conflict Dataset version 24.1", "ND-GAIN",
                 "Integrated Food Security Phase Classification", "SIPRI Military Expenditure Database"):
        assert name in attributions, name
    assert page.locator("#banner-top").inner_text() == "UNCLASSIFIED // TLP:CLEAR"  # the boundaries' marking
    assert page.evaluate("window.__violations") == []


def test_a_window_without_history_says_why(page, site) -> None:  # noqa: ANN001
    page.goto(f"{site['url']}/web/#/warning?window=2018")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=60_000)
    page.wait_for_function("document.querySelector('#warning-ratio') !== null", timeout=120_000)
    kompas = page.locator("#warning-evaluation tr[data-model='kompas']")
    assert kompas.locator("td.crps").inner_text() == "-"
    assert "needs the monthly history" in kompas.inner_text()
    assert "not available" in page.locator("#warning-ratio").inner_text()
    page.wait_for_function("document.querySelector('#forecast-status .error') !== null", timeout=60_000)
    assert "HTTP 422" in page.locator("#forecast-status").inner_text()
