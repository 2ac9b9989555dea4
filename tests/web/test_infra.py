"""The Infrastructure page (#/infra) in a real browser (Debian's headless Chromium, Playwright), on the shared data
(TeleGeography's cable and exchange maps are read from ../shared only: skipped, saying so, without it):

- bob (FR, RESTRICTED) opens it from the menu: the banner is painted before any of the assessment is on screen
  (watched every frame); Finland's cables by neighbour are SE 6, EE 4, DE 1, RU 1 (PROVENANCE.md, exact), its
  power interconnection says the AC figures are estimated; the TeleGeography (CC BY-NC-SA 3.0, non-commercial) and
  PyPSA-Eur (CC-BY-4.0) notices are on the page beside the data;
- a stress test removing C-Lion1 gives the row FI-DE cables 1 -> 0, Germany still reachable through Sweden and
  Denmark, the caveat that routes are drawn; the map draws the infrastructure layers and the removed cable;
- ann (NL, SECRET, need-to-know sst) sees a pipeline her organisation contributed as SECRET in Finland's
  connections, under a SECRET banner painted first; bob never sees it;
- an error answer (422) is shown like any answer: the banner painted before the error text (watched as each error
  enters the page, with the banner's combination slowed down), the rest of the page still drawn, the assessment
  loaded when asked again; a stress test naming nothing known says so under ann's SECRET banner;
- a busy server (503 with Retry-After): the page says the server is computing other analyses and when it tries
  again, tries again by itself, then offers a button.
One browser context per user for the whole module (the page is opened once per user), and one per error test."""

from __future__ import annotations

import re

import pytest

from kompas.core.markings import Marking

from .conftest import shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow, pytest.mark.shared]

PIPELINE = ("kind,id,name,countries,link_kind,capacity,unit,lon,lat,lon2,lat2\n"
            "link,w-test-pipeline,Gulf test pipeline,FI;EE,pipeline,7.2,GWh/d,24.0,60.05,24.05,59.35\n")
# the banner as it is the first time the assessment is visible (the router keeps the view hidden until then)
FIRST_SIGHT = """
(() => {
  window.__firstSight = null;
  const look = () => {
    const table = document.querySelector("#neighbours");
    if (table && table.offsetParent && getComputedStyle(table).visibility === "visible" && !window.__firstSight) {
      window.__firstSight = document.getElementById("banner-top").textContent;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
MAP_LOADED = """() => {
  const el = document.querySelector('#infra-map');
  const map = el?.__map;
  if (!map || !el.__layers || !map.getSource('infra-cables')) return false;
  try { return map.isSourceLoaded('infra-cables') && map.loaded(); } catch { return false; }
}"""


# every error text and busy note entering the page, with the banner at that moment (a MutationObserver runs before
# the page's next step: a banner painted after the text would be seen here as the old one)
WATCH_ERRORS = """
(() => {
  window.__errors = [];
  new MutationObserver((records) => {
    const banner = document.getElementById("banner-top");
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const el of [node, ...node.querySelectorAll("*")]) {
          if (el.matches("#view [role=alert], #view .busy")) {
            window.__errors.push({ text: el.textContent.replace(/\\s+/g, " ").trim(),
              banner: banner ? banner.dataset.classification : "" });
          }
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
})();
"""
# fake answers from the server (path, status, how many times, Retry-After) and a slow combination of markings
FAKE_ANSWERS = """
(([fakes, slowCombineMs]) => {
  const original = window.fetch.bind(window);
  window.__calls = {};
  window.fetch = async (input, init) => {
    const path = new URL(String(input && input.url ? input.url : input), location.href).pathname;
    window.__calls[path] = (window.__calls[path] || 0) + 1;
    if (path === "/api/v1/markings/combine" && slowCombineMs) {
      await new Promise((resolve) => setTimeout(resolve, slowCombineMs));
    }
    const fake = fakes.find((f) => f.path === path && f.times > 0);
    if (!fake) return original(input, init);
    fake.times -= 1;
    return new Response(JSON.stringify({ detail: fake.detail }), { status: fake.status, headers: {
      "Content-Type": "application/json", ...(fake.retry_after ? { "Retry-After": String(fake.retry_after) } : {}) } });
  };
})(%s);
"""


def _open_with(browser, site: dict, user: str, fakes: list[dict], slow_combine_ms: int = 0):  # noqa: ANN001, ANN202
    """The Infrastructure page opened straight away (the token already in the tab), the server's answers faked."""
    import json

    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(WATCH_ERRORS)
    page.add_init_script(FAKE_ANSWERS % json.dumps([fakes, slow_combine_ms]))
    page.goto(site["url"] + "/web/#/infra")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=120_000)
    return context, page


@pytest.fixture(scope="module")
def shared_infra() -> None:
    from tests.infra.conftest import need_shared

    need_shared("cables_2022")
    need_shared("grid")


@pytest.fixture(scope="module")
def contributed(site: dict, shared_infra: None) -> None:
    """ann's organisation contributes a pipeline Finland-Estonia as SECRET, releasable to NL, need-to-know sst."""
    from kompas.services import infra as service

    store = site["store"]
    marking = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    done = service.contribute(store, store.account("ann"), PIPELINE, "test:pipeline", marking)
    assert done["added"] == ["link:w-test-pipeline"] and not done["rejected"]


def _open(browser, site: dict, user: str):  # noqa: ANN001, ANN202 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(FIRST_SIGHT)
    page.goto(site["url"] + "/web/#/signin")
    page.get_by_label("API token").fill(site["tokens"][user])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/#/globe")
    page.get_by_role("link", name="Infrastructure").click()
    page.wait_for_url("**/#/infra")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=120_000)
    page.locator("#neighbours").wait_for()
    return context, page


@pytest.fixture(scope="module")
def bob(browser, site, contributed):  # noqa: ANN001, ANN201
    context, page = _open(browser, site, "bob")
    yield page
    context.close()


def _neighbours(page) -> dict[str, dict[str, str]]:  # noqa: ANN001
    out = {}
    for row in page.locator("#neighbours tbody tr[data-neighbour]").all():
        cells = {name: row.locator(f"td.{name}") for name in ("cables", "hvdc", "ac", "pipeline")}
        out[row.get_attribute("data-neighbour")] = {k: v.inner_text() for k, v in cells.items() if v.count()}
    return out


def test_finlands_assessment_under_the_banner_with_the_licences(bob) -> None:  # noqa: ANN001
    page = bob
    assert page.evaluate("window.__firstSight") == "UNCLASSIFIED // TLP:CLEAR"  # never "CHECKING MARKING…"
    assert page.locator("#infra-country select").input_value() == "FI"
    rows = _neighbours(page)
    assert {n: r["cables"] for n, r in rows.items() if r["cables"] != "0"} == {"SE": "6", "EE": "4", "DE": "1",
                                                                               "RU": "1"}
    assert rows["EE"]["hvdc"] == "1\u2009000"  # Estlink 350 + Estlink 2 650 MW (rated)
    assert rows["SE"]["ac"].startswith("≈")  # AC: estimated, said so
    assert "AC capacities are estimated" in page.locator("#assessment").inner_text()
    assert "pipeline" not in rows["EE"]  # ann's SECRET pipeline is not bob's to see
    assert page.locator(".infra-figure").first.inner_text().startswith("11 international cables")
    assert "Coverage: 6 of 11 cables have one recorded" in page.locator("#suppliers").inner_text()
    assert page.locator("#single-points tr[data-ref='cable:bcs-north---phase-2']").count() == 1  # the only FI-RU cable
    # the licences, beside the data and at the top of the page
    for where in ("#infra-licence", "#assess-licence", "#vintages-licence", "#map-licence"):
        text = page.locator(where).inner_text()
        assert "TeleGeography" in text and "CC BY-NC-SA 3.0" in text and "non-commercial" in text, where
    for where in ("#infra-licence", "#assess-licence", "#map-licence"):
        text = page.locator(where).inner_text()
        assert "PyPSA-Eur" in text and "CC-BY-4.0" in text, where
    counts = page.locator("#vintage-counts").inner_text()
    found = re.search(r"(\d+) added.*, (\d+) retired, (\d+) renamed", counts, re.DOTALL)
    assert found, counts
    added, retired, renamed = (int(v) for v in found.groups())
    assert (added + renamed, retired + renamed) == (53, 16) and renamed > 0  # as tests/infra/test_vintages.py
    assert page.locator("#ranking-table tbody tr[data-ref]").count() > 5
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    for control in page.locator("#view input, #view select, #view textarea").all():  # every control has a label
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    assert page.evaluate("window.__violations") == []
    shot(page, "infra-bob-assessment")


def test_a_stress_test_removing_c_lion1(bob) -> None:  # noqa: ANN001
    page = bob
    form = page.locator("#stress-form")
    form.get_by_label("Remove (one name or reference per line)").fill("C-Lion1")
    form.get_by_role("button", name="Run the stress test").click()
    row = page.locator("#stress-rows tbody tr[data-pair='FI-DE'][data-kind='cables']")
    row.wait_for()
    assert (row.locator("td.before").inner_text(), row.locator("td.after").inner_text()) == ("1", "0")
    assert page.locator("#stress-rows tbody tr").count() == 1  # nothing else is lost
    assert row.locator(".kept-bar").get_attribute("aria-label") == "0% kept"
    alternative = page.locator("#stress-alternatives .alternative[data-pair='FI-DE']")
    assert "still reachable" in alternative.inner_text()
    assert "FI → SE → DK → DE" in alternative.inner_text()
    result = page.locator("#stress-result").inner_text()
    assert "drawn, not surveyed" in result and "TeleGeography" in page.locator("#stress-licence").inner_text()
    # the map: the infrastructure layers drawn for Europe, the removed cable among them
    page.wait_for_function(MAP_LOADED, timeout=120_000)
    drawn = page.evaluate("Object.keys(document.querySelector('#infra-map').__layers)")
    assert {"infra-cables", "infra-landings", "infra-exchanges", "infra-links", "infra-ac"} <= set(drawn)
    page.wait_for_function("(document.querySelector('#infra-map').__highlighted || []).includes('cable:c-lion1')")
    attribution = page.locator("#infra-map .maplibregl-ctrl-attrib").inner_text()
    assert "TeleGeography" in attribution and "PyPSA-Eur" in attribution
    assert page.evaluate("window.__violations") == []
    page.locator("#stress-title").scroll_into_view_if_needed()
    shot(page, "infra-bob-stress")
    page.locator("#infra-map").scroll_into_view_if_needed()
    page.wait_for_function(MAP_LOADED)
    page.wait_for_timeout(1500)  # the canvas repainted after the scroll
    shot(page, "infra-bob-map")


def test_the_secret_pipeline_raises_the_banner_for_ann_only(browser, site, contributed) -> None:  # noqa: ANN001
    context, page = _open(browser, site, "ann")
    try:
        assert page.evaluate("window.__firstSight").startswith("SECRET")  # the banner was SECRET before the table
        rows = _neighbours(page)
        assert rows["EE"]["pipeline"] == "7.2" and rows["SE"]["cables"] == "6"
        assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
        assert "Gulf test pipeline" in page.locator("#assessment").inner_text()
        assert page.evaluate("window.__violations") == []
        shot(page, "infra-ann-assessment")
    finally:
        context.close()


def test_an_error_answer_is_shown_under_the_banner_and_the_page_goes_on(browser, site, contributed) -> None:  # noqa: ANN001
    """The first assessment answered 422 while the banner's combination is slow (1.5 s): the error text enters the
    page only once the banner is painted (never under CHECKING MARKING…), the vintages are still shown, and showing
    the country again loads the assessment."""
    detail = "unknown country for this test"
    fakes = [{"path": "/api/v1/infra/assess", "status": 422, "times": 1, "detail": detail}]
    context, page = _open_with(browser, site, "bob", fakes, slow_combine_ms=1500)
    try:
        alert = page.locator("#assessment [role=alert]")
        alert.wait_for()
        assert alert.inner_text() == f"No assessment: {detail} (HTTP 422)"
        errors = page.evaluate("window.__errors")
        assert [e["text"] for e in errors] == [f"No assessment: {detail} (HTTP 422)"]
        assert errors[0]["banner"] == "UNCLASSIFIED"  # painted before the text, not CHECKING MARKING…
        assert "Not ranked" in page.locator("#ranking").inner_text()
        page.locator("#vintage-counts").wait_for()  # the rest of the page is drawn
        assert re.search(r"\d+ cables on the June 2021 map, \d+ on the late 2022 map",
                         page.locator("#vintage-counts").inner_text())
        shot(page, "infra-error-422")
        page.locator("#infra-country").get_by_role("button", name="Show").click()
        page.locator("#neighbours").wait_for()
        page.locator("#ranking-table").wait_for()
        assert page.evaluate("window.__calls['/api/v1/infra/assess']") == 2
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()


def test_a_busy_server_is_said_so_and_asked_again(browser, site, contributed) -> None:  # noqa: ANN001
    """The assessment answered 503 (Retry-After 1 s) once: the page says the server is computing other analyses and
    asks again by itself; the ranking answered 503 four times: three automatic retries, then "try again in 1 s"
    with a button that loads it. A stress test naming nothing known is refused under ann's SECRET banner."""
    busy = "the server is computing as many infrastructure assessments as it allows at once; try again in 1 s"
    fakes = [{"path": "/api/v1/infra/assess", "status": 503, "times": 1, "retry_after": 1, "detail": busy},
             {"path": "/api/v1/infra/rank", "status": 503, "times": 4, "retry_after": 1, "detail": busy}]
    context, page = _open_with(browser, site, "ann", fakes)
    try:
        page.locator("#neighbours").wait_for(timeout=60_000)  # the assessment, asked again after 1 s
        button = page.locator("#ranking").get_by_role("button", name="Try again")
        button.wait_for(timeout=60_000)
        note = page.locator("#ranking .busy").inner_text()
        assert "The server is computing other analyses" in note and "try again in 1 s." in note
        assert page.evaluate("window.__calls['/api/v1/infra/assess']") == 2
        assert page.evaluate("window.__calls['/api/v1/infra/rank']") == 4  # the first answer and 3 retries
        notes = [e for e in page.evaluate("window.__errors") if "computing other analyses" in e["text"]]
        assert notes[0]["text"].startswith("The server is computing other analyses") and "trying again in 1 s" in \
            notes[0]["text"] and notes[0]["banner"] in ("UNCLASSIFIED", "SECRET")
        assert all(e["banner"] != "PENDING" for e in notes)
        page.locator("#rank-title").scroll_into_view_if_needed()
        shot(page, "infra-busy-503")
        button.click()
        page.locator("#ranking-table").wait_for(timeout=60_000)
        assert page.evaluate("window.__calls['/api/v1/infra/rank']") == 5
        # an error of the stress test (the server's own 422: nothing known by that name) under the SECRET banner
        form = page.locator("#stress-form")
        form.get_by_label("Remove (one name or reference per line)").fill("no such cable anywhere 7f3a")
        form.get_by_role("button", name="Run the stress test").click()
        refused = page.locator("#stress-result [role=alert]")
        refused.wait_for(timeout=60_000)
        assert refused.inner_text().startswith("No stress test: ") and "(HTTP 422)" in refused.inner_text()
        last = page.evaluate("window.__errors")[-1]
        assert last["text"].startswith("No stress test: ") and last["banner"] == "SECRET"
        assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
        assert page.evaluate("window.__violations") == []
        page.locator("#stress-result").scroll_into_view_if_needed()
        shot(page, "infra-error-stress")
    finally:
        context.close()
