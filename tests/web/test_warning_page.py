"""The Warning page (#/warning) in a real browser (Debian's headless Chromium, Playwright), on the shared early-warning
data (VIEWS challenge actuals, UCDP, ND-GAIN, IPC: read from ../shared only, never copied into the repository; the
module skips, saying so, when ../shared is absent).

The figures the page must show are computed first through the service in this process (kompas.services.warning:
the server runs in a thread of the same process, so its caches are warm and the page loads in seconds).

The windows come from the data, not from the page: with the shared actuals (2018-01..2024-04) the windows that can
be evaluated are 2018-2023 and those that can be forecast 2019-2024 (kompas.services.warning.windows()). Opened
without a window the page shows the latest evaluable one, 2023; 2024 is forecast only (its outcomes are not known
yet: the page says so, and still shows the forecast and its warnings); 2018 can be evaluated but not forecast (no
data before its cut-off) and most models cannot be built for it; a window the data do not serve (2030, 2017, "abc")
is said to be not served, never replaced by another.

Checked: the banner has left its neutral state before the evaluation table or the watchlist is on screen (watched
every frame; the data carry no marking, so it is UNCLASSIFIED, TLP:CLEAR once the map's public boundaries are drawn);
the window list is the service's windows; the evaluation table lists the five models with the service's CRPS, IGN
and MIS to the 3 decimals shown, and the Kompas/conflictology ratio; the watchlist is the service's ranking with its
explanations and the changes since the previous edition; the forecast table (its expected-deaths columns labelled
whole year vs peak month, with the service's figures) and the warnings count are the service's, for 2023 and 2024;
the map colours exactly the Natural Earth units whose country (kompas.context.countries.natural_earth_iso3) is
ranked, and switches to the forecast; the attributions of VIEWS, UCDP, ND-GAIN, IPC and SIPRI are on the page. One
browser context for the module."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import REPO, shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow, pytest.mark.shared]

SHARED = REPO.parent / "shared" / "data" / "early-warning"
DEFAULT = 2023  # the latest window whose 12 months of actuals the shared data hold
FORECAST_ONLY = 2024  # its cut-off (2023-10-31) is within the actuals, its months are not all
WINDOWS = {"evaluate": [2018, 2019, 2020, 2021, 2022, 2023], "forecast": [2019, 2020, 2021, 2022, 2023, 2024]}
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
    """What the service says for windows 2023 and 2024 and the latest watchlist edition (computed once, cached
    in-process)."""
    for need in (SHARED / "views" / "actuals", SHARED / "ndgain", SHARED / "ipc", SHARED / "ucdp"):
        if not need.exists():
            pytest.skip(f"{need} is absent: the VIEWS, ND-GAIN, IPC and UCDP data are read from ../shared only (no "
                        "redistribution terms for most of them), never copied into the repository; clone ../shared "
                        "beside the checkout")
    from kompas.api.routers import ROUTERS, warning

    if warning.router not in ROUTERS:
        pytest.skip("kompas.api.routers.warning is not registered in api/routers yet (the coordinator's step)")
    from kompas.services import warning as service

    windows = service.windows()
    assert windows == WINDOWS, windows  # the shared actuals hold 2018-01..2024-04 (PROVENANCE.md)
    evaluation = service.evaluate(DEFAULT)
    edition = service.latest_edition()
    watchlist = service.watchlist(edition).as_dict()
    forecast = {w: service.forecast(w, "kompas", 500) for w in (DEFAULT, FORECAST_ONLY)}
    warned = {w: len(service.warnings(w, "kompas")[0]) for w in (DEFAULT, FORECAST_ONLY)}
    assert [s["model"] for s in evaluation["scores"]] == MODELS
    assert all(s["crps"] is not None for s in evaluation["scores"]), evaluation["scores"]
    assert evaluation["windows"] == windows
    assert all(forecast[w]["rows"] for w in forecast), "no forecast rows: nothing to compare with"
    return {"evaluation": evaluation, "watchlist": watchlist, "forecast": forecast, "warnings": warned,
            "windows": windows}


def _open(page, site: dict, query: str, value: str) -> None:  # noqa: ANN001
    """Visit #/warning?QUERY and wait for the window list filled from the data with VALUE chosen."""
    page.goto(f"{site['url']}/web/#/warning{query}")
    page.wait_for_function("(value) => { const s = document.querySelector('#warning-window');"
                           " return s && s.dataset.loaded === 'true' && s.value === value; }", arg=value,
                           timeout=120_000)


def _deaths(text: str) -> int:
    """A death count as the page writes it (thin spaces between thousands)."""
    return int(re.sub(r"\D", "", text))


@pytest.fixture(scope="module")
def page(browser, site, figures):  # noqa: ANN001, ANN201 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    context.add_init_script(WATCH_MARKINGS)
    context.add_init_script(FIRST_SIGHT)
    context.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens']['bob'])});")
    page = context.new_page()
    page.goto(f"{site['url']}/web/#/warning")  # no window asked for: the latest evaluable one
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=60_000)
    page.wait_for_selector("#warning-forecast", timeout=120_000)
    page.wait_for_function("Number(document.querySelector('#warning-map')?.dataset.coloured) > 0", timeout=60_000)
    yield page
    context.close()


def test_the_windows_come_from_the_data_and_the_default_is_the_latest_evaluable(page, figures) -> None:  # noqa: ANN001
    select = page.locator("#warning-window")
    options = select.locator("option").evaluate_all("os => os.map((o) => [o.value, o.textContent])")
    w = figures["windows"]
    assert [int(v) for v, _ in options] == sorted(set(w["evaluate"]) | set(w["forecast"]))
    labels = dict(options)
    assert labels[str(FORECAST_ONLY)] == f"{FORECAST_ONLY} (forecast only: outcomes not known yet)"
    assert labels["2018"].startswith("2018 (evaluation only")
    assert labels[str(DEFAULT)] == str(DEFAULT)
    assert select.input_value() == str(DEFAULT)
    assert page.locator("#evaluation-title").inner_text() == f"Forecast evaluation, window {DEFAULT}"


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
    assert "2022-10-31" in page.locator("#evaluation-status").inner_text()  # the window's cut-off
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


def _check_forecast(page, figures, window: int) -> None:  # noqa: ANN001
    """The forecast table is the service's for ``window`` (order, whole-year and peak-month expected deaths) and the
    warnings count too."""
    made = figures["forecast"][window]
    table = page.locator("#warning-forecast")
    rows = table.locator("tbody tr")
    assert rows.evaluate_all("rows => rows.map((r) => r.dataset.iso3)") == [r["iso3"] for r in made["rows"][:30]]
    for n in (0, 1, 2):
        expected = made["rows"][n]
        row = rows.nth(n)
        # rounded to whole deaths on the page: exact after rounding
        assert _deaths(row.locator("td.expected-year").inner_text()) == round(expected["expected_year"])
        assert _deaths(row.locator("td.expected-peak").inner_text()) == round(expected["expected_peak_month"])
        assert row.locator("td.peak-month").inner_text() == expected["peak_month"]
    headers = {h: table.locator(f"th[data-col='{h}']").inner_text() for h in ("expected-year", "expected-peak")}
    assert headers == {"expected-year": "Expected deaths, whole year (sum of the 12 months)",
                       "expected-peak": "Expected deaths in the peak month only"}, headers
    warned = figures["warnings"][window]
    assert f"{warned} warning{'' if warned == 1 else 's'}" in page.locator("#forecast-status").inner_text()
    assert page.locator("#forecast-title").inner_text() == f"Forecast by country: kompas, window {window}"


def test_the_forecast_the_map_and_the_sources(page, figures) -> None:  # noqa: ANN001
    from kompas.context.countries import natural_earth_iso3
    from kompas.services.map import boundaries_document

    _check_forecast(page, figures, DEFAULT)
    # the map colours exactly the Natural Earth units whose country is ranked (C's code table, not the page's)
    units = [f["properties"]["adm0_a3"] for f in json.loads(boundaries_document()[0])["features"]]
    ranked = {r["iso3"] for r in figures["watchlist"]["rows"]}
    coloured = page.evaluate("Number(document.querySelector('#warning-map').dataset.coloured)")
    assert coloured == sum(natural_earth_iso3(u) in ranked for u in units)
    label = page.get_by_label("forecast: P(25 or more deaths", exact=False)
    assert label.evaluate("(e) => e.parentElement.textContent").split("), ")[-1].strip() == f"kompas, window {DEFAULT}"
    label.check()
    page.wait_for_function("document.querySelector('#warning-map').dataset.layer === 'forecast'")
    forecast = {r["iso3"] for r in figures["forecast"][DEFAULT]["rows"] if r["iso3"]}
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


def test_a_forecast_only_window_says_its_outcomes_are_not_known_yet(page, site, figures) -> None:  # noqa: ANN001
    _open(page, site, f"?window={FORECAST_ONLY}", str(FORECAST_ONLY))
    page.wait_for_function(f"document.querySelector('#forecast-title')?.textContent.includes('window {FORECAST_ONLY}')"
                           " && document.querySelector('#warning-forecast') !== null", timeout=120_000)
    unknown = page.locator("#evaluation-unknown").inner_text()
    assert f"Window {FORECAST_ONLY} cannot be evaluated yet: its outcomes" in unknown
    assert "not known yet" in unknown and "2018–2023" in unknown
    assert page.locator("#warning-evaluation").count() == 0
    _check_forecast(page, figures, FORECAST_ONLY)
    shot(page, "warning-forecast-only")


def test_a_window_without_history_says_why(page, site) -> None:  # noqa: ANN001
    _open(page, site, "?window=2018", "2018")
    page.wait_for_function("document.querySelector('#warning-ratio') !== null", timeout=120_000)
    kompas = page.locator("#warning-evaluation tr[data-model='kompas']")
    assert kompas.locator("td.crps").inner_text() == "-"
    assert "needs the monthly history" in kompas.inner_text()
    assert "not available" in page.locator("#warning-ratio").inner_text()
    page.wait_for_function("document.querySelector('#forecast-status .error') !== null", timeout=60_000)
    forecast = page.locator("#forecast-status").inner_text()
    assert "Window 2018 cannot be forecast" in forecast and "2019–2024" in forecast, forecast


@pytest.mark.parametrize("asked", ["2030", "2017", "abc"])
def test_a_window_not_served_is_said_so_never_replaced(page, site, asked: str) -> None:  # noqa: ANN001
    _open(page, site, f"?window={asked}", asked)
    page.wait_for_function("document.querySelector('#evaluation-status .error') !== null", timeout=60_000)
    said = page.locator("#evaluation-status [role=alert]").inner_text()
    assert said.startswith(f"Window {asked} is not served"), said
    assert "evaluate the windows 2018–2023 and forecast 2019–2024" in said, said
    chosen = page.locator("#warning-window option:checked")
    assert chosen.inner_text() == f"{asked} (not served)"
    assert page.locator("#evaluation-title").inner_text() == f"Forecast evaluation, window {asked} (not served)"
    assert "No forecast: window" in page.locator("#forecast-status").inner_text()
    assert page.locator("#warning-evaluation").count() == 0
    assert page.locator("#warning-forecast").count() == 0
