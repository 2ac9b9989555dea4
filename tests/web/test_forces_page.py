"""The forces pages (#/forces, issue 28) in a real browser (Debian's headless Chromium, Playwright), on a server of
their own. Register contributions (edition 2026): bob's organisation (FR, RESTRICTED) contributes two elements under
UNCLASSIFIED // TLP:GREEN releasable to FR and NL, one of them named with HTML (``<img src=x onerror=...>``); ann's
(NL, SECRET, need-to-know "rdc") contributes a special operations task group under SECRET. carl (DE, RESTRICTED) may
see no contribution.

Checked:
- carl opens the page (its link is on the menu): the example set is switched on by itself (he sees no contribution)
  and said so; the banner is painted before the overview is on screen (watched every frame); ILLUSTRATIVE and the
  data statement are shown; the figures, the capabilities table (with the nations count) and the element list equal
  the API's; a filtered list equals the API's;
- the rotations view: the form under the banner with the example set's ILLUSTRATIVE label; a run shows the API's
  schedule: the gaps forecast cell by cell, the first gap, the asks per contributor, the sustainment ratios;
- the civilian view: a run shows the API's plan: the day the last expert is in theatre, the day-by-day chart (one
  point a day), the probability by simulation, the critical path and the levers;
- a force generation run for a shipped scenario shows the API's optimum (status, troops, objective), the chosen
  elements, the national shares as bars summing to the force, the coverage per requirement; an infeasible scenario
  shows the missing set with reasons and the excluded elements;
- the planning view shows the gap table coloured by severity as the API gives it, the headline figures, the trends
  chart with one row per capability the case requires (the others apart) as the API's trends; another case is a new
  view;
- bob's register: the element named with HTML is shown as text (no element injected, no script run); without the
  example set the planning view says why there are no trends;
- bob never sees ann's SECRET element; ann sees it, under a SECRET banner painted before the overview;
- carl asking for the register without the example set gets the reason as text, with the way to the example set.
One server and one browser for the module; one browser context per user."""

from __future__ import annotations

import json

import pytest

from kompas.api.server import background
from kompas.core.db import make_engine, upgrade
from kompas.core.markings import Marking
from kompas.core.store import Store

from .conftest import shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow]

INJECTED = '<img src=x onerror="window.__pwned = 1">'
SECRET_NAME = "NL special operations task group ALPHA"


def _element(nation: str, ident: str, name: str, caps: dict[str, int], strength: int, ready: int = 5) -> dict:
    return {"id": ident, "nation": nation, "name": name, "type": "module", "component": "land",
            "strength": strength, "readiness_days": ready, "capabilities": caps}


def _doc(elements: list[dict]) -> str:
    return json.dumps({"format": "kompas-forces/1", "edition": "2026", "elements": elements})


# the banner the first time the overview's figures are on screen (the router keeps the view hidden until the page's
# marking is painted)
FIRST_SIGHT = """
(() => {
  window.__firstSight = null;
  const look = () => {
    const figures = document.querySelector("#frc-figures");
    if (!window.__firstSight && figures && figures.offsetParent && getComputedStyle(figures).visibility === "visible") {
      window.__firstSight = document.getElementById("banner-top").textContent;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
API = """async ([path, body]) => {
  const response = await fetch(path, { method: body ? "POST" : "GET", headers: { "Content-Type": "application/json",
    Authorization: `Bearer ${sessionStorage.getItem("kompas-token")}` },
    body: body ? JSON.stringify(body) : undefined });
  return response.json();
}"""


@pytest.fixture(scope="module")
def forces_site(tmp_path_factory) -> dict:
    """A server on loopback with ann (NL, SECRET, rdc), bob (FR, RESTRICTED), carl (DE, RESTRICTED) and two
    contributions."""
    from kompas.services import forces as service

    url = f"sqlite:///{tmp_path_factory.mktemp('forces-web') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-DEF", "NL")
    store.add_org("FR-EMA", "FR")
    store.add_org("DE-BMVG", "DE")
    tokens = {"ann": store.add_user("ann", "NL-DEF", "SECRET", ["rdc"]),
              "bob": store.add_user("bob", "FR-EMA", "RESTRICTED"),
              "carl": store.add_user("carl", "DE-BMVG", "RESTRICTED")}
    shared = Marking.build("UNCLASSIFIED", "GREEN", ["FR", "NL"], [], "FR-EMA")
    done = service.contribute(store, store.account("bob"), _doc([
        _element("FR", "inf-x", INJECTED, {"infantry-company": 1}, 150),
        _element("FR", "log-1", "FR logistics company", {"logistics-company": 1}, 120, ready=10)]), shared, "fr.json")
    assert done.rejected == []
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["rdc"], "NL-DEF")
    done = service.contribute(store, store.account("ann"), _doc([
        _element("NL", "sof-1", SECRET_NAME, {"sof-task-group": 1}, 90)]), secret, "nl.json")
    assert done.rejected == []
    with background(store.engine) as base:
        yield {"url": base, "tokens": tokens}


def _open(browser, site: dict, user: str, where: str):  # noqa: ANN001, ANN202 (Playwright objects)
    """A page signed in as ``user`` opened at ``where`` (a hash; the menu's link is checked by the first test)."""
    # bypass_csp lets the test's probes run (tests/web/test_pages.py checks the site's policy itself)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(FIRST_SIGHT)
    page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
    page.goto(site["url"] + f"/web/{where}")
    _settled(page)
    return context, page


def _settled(page) -> None:  # noqa: ANN001
    page.wait_for_function("document.querySelector('#view > .view') && !document.querySelector('#view .pending')",
                           timeout=60_000)


def _api(page, path: str, body: dict | None = None) -> dict:  # noqa: ANN001
    """What the API answers the signed-in page (its own token)."""
    return page.evaluate(API, [path, body])


@pytest.fixture(scope="module")
def carl(browser, forces_site):  # noqa: ANN001, ANN201
    context, page = _open(browser, forces_site, "carl", "#/forces")
    yield page
    context.close()


def test_the_example_set_by_default_under_its_banner(carl) -> None:  # noqa: ANN001
    page = carl
    assert page.evaluate("window.__firstSight") == "UNCLASSIFIED // TLP:CLEAR"  # never "CHECKING MARKING…"
    assert page.locator("nav a[href='#/forces']").get_attribute("aria-current") == "page"  # on the menu
    assert page.locator("#frc-example").is_checked()
    assert "No register contribution is visible to you" in page.locator("#frc-register-note").inner_text()
    assert _api(page, "/api/v1/forces/editions") == []
    label = page.locator("#frc-illustrative")
    assert label.is_visible() and label.inner_text().startswith("ILLUSTRATIVE")
    assert "No open data exists on national force offers" in page.locator("#frc-statement").inner_text()
    api = _api(page, "/api/v1/forces/overview?example=true")
    assert api["illustrative"] and api["example"]
    figures = page.locator("#frc-figures strong").all_inner_texts()
    assert figures[0].replace("\u2009", "") == str(api["elements"]) and api["elements"] > 50
    assert figures[1].replace("\u2009", "") == str(api["troops"])
    rows = page.locator("#frc-capabilities tbody tr[data-capability]")
    assert [r.get_attribute("data-capability") for r in rows.all()] == list(api["by_capability"])
    for row in rows.all()[:5]:
        cap = api["by_capability"][row.get_attribute("data-capability")]
        assert row.locator("td.nations").inner_text() == str(len(cap["nations"]))
    components = page.locator("#frc-components .row")
    assert {r.get_attribute("data-key") for r in components.all()} == set(api["by_component"])
    bands = {r.get_attribute("data-key"): int(r.get_attribute("data-value"))
             for r in page.locator("#frc-bands .row").all()}
    assert bands == api["readiness_bands"]
    listed = _api(page, "/api/v1/forces/elements?example=true&limit=200")
    shown = page.locator("#frc-elements tbody tr[data-key]")
    assert [r.get_attribute("data-key") for r in shown.all()] == [f"{e['nation']}/{e['id']}"
                                                                 for e in listed["elements"]]
    # a filter: one capability, the list from the API again, under the same banner
    form = page.locator("#frc-element-filter")
    form.get_by_label("Capability").select_option("medical-role2")
    form.get_by_role("button", name="Show").click()
    page.wait_for_function("[...document.querySelectorAll('#frc-elements tbody tr[data-key]')].length > 0 && "
                           "[...document.querySelectorAll('#frc-elements td.caps')].every(td => "
                           "td.textContent.includes('medical-role2'))")
    medical = _api(page, "/api/v1/forces/elements?example=true&capability=medical-role2&limit=200")
    assert shown.count() == len(medical["elements"]) > 0
    assert page.evaluate("window.__violations") == []
    shot(page, "forces-carl-overview")


def test_force_generation(carl) -> None:  # noqa: ANN001
    page = carl
    form = page.locator("#frc-gen-form")
    form.get_by_label("Scenario").select_option("rdc-initial-stabilisation")
    assert "Initial Phase of Stabilisation" in page.locator("#frc-scenario").inner_text()
    form.get_by_role("button", name="Generate the force").click()
    verdict = page.locator("#frc-gen-verdict")
    verdict.wait_for(timeout=60_000)
    api = _api(page, "/api/v1/forces/generate", {"scenario": "rdc-initial-stabilisation", "example": True,
                                                 "edition": "2026"})
    assert api["status"] == verdict.get_attribute("data-status") == "optimal"
    assert verdict.inner_text().startswith("Optimal")
    assert f"{api['troops']:,} troops".replace(",", "\u2009") in verdict.inner_text()
    assert f"objective {api['objective']}" in page.locator("#frc-gen-result").inner_text()  # the same optimum
    assert "ILLUSTRATIVE" in page.locator("#frc-gen-illustrative").inner_text()
    chosen = page.locator("#frc-chosen tbody tr[data-element]")
    assert chosen.count() > 10
    strengths = [int(r.locator("td").nth(5).inner_text().replace("\u2009", "")) for r in chosen.all()]
    nations = {r.locator("td").nth(1).inner_text() for r in chosen.all()}
    shares = {r.get_attribute("data-key"): int(r.get_attribute("data-value"))
              for r in page.locator("#frc-shares .row").all()}
    assert sum(strengths) == sum(shares.values()) == api["troops"]  # the bars add up to the force
    assert set(shares) == nations and len(shares) > 5
    widths = page.locator("#frc-shares .fill").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert max(widths) > 0 and widths == sorted(widths, reverse=True)  # largest share first, drawn to scale
    covers = page.locator("#frc-covers tbody tr[data-capability]")
    assert [r.get_attribute("data-capability") for r in covers.all()] == [c["capability"] for c in api["covers"]]
    assert page.locator("#frc-covers tbody tr.short").count() == 0
    excluded = page.locator("#frc-excluded tbody tr[data-element]")
    assert {r.get_attribute("data-element") for r in excluded.all()} == {x["element"] for x in api["excluded"]}
    # an infeasible scenario: the missing set, each with why
    form.get_by_label("Scenario").select_option("rdc-peace-enforcement")
    form.get_by_role("button", name="Generate the force").click()
    page.wait_for_function("document.querySelector('#frc-gen-verdict')?.dataset.status === 'infeasible'",
                           timeout=60_000)
    api = _api(page, "/api/v1/forces/generate", {"scenario": "rdc-peace-enforcement", "example": True,
                                                 "edition": "2026"})
    missing = page.locator("#frc-missing tbody tr[data-capability]")
    assert [r.get_attribute("data-capability") for r in missing.all()] == [m["capability"] for m in api["missing"]]
    assert api["missing"][0]["reason"] in missing.first.inner_text()
    assert page.evaluate("window.__violations") == []
    page.locator("#frc-gen-title").scroll_into_view_if_needed()
    shot(page, "forces-carl-generation")


def _case(page, case: str) -> dict:  # noqa: ANN001
    """Pick ``case`` in the planning view (a new view) and return the API's gaps for it."""
    page.locator("#frc-case-form select").select_option(case)
    page.wait_for_url(f"**/#/forces/planning?*case={case}*")
    _settled(page)
    page.locator("#frc-gaps").wait_for()
    return _api(page, f"/api/v1/forces/planning/gaps?case={case}&example=true&edition=2026")


def test_the_planning_view_shows_the_gaps(carl) -> None:  # noqa: ANN001
    page = carl
    page.locator(".frc-tabs a", has_text="Capability planning").click()
    page.wait_for_url("**/#/forces/planning*")
    _settled(page)
    page.locator("#frc-gaps").wait_for()
    # the first case shown is the report's and the daily cycle's
    case = page.locator("#frc-case-form select").input_value()
    assert case == "rdc-stabilisation-and-civilian-mission"
    api = _api(page, f"/api/v1/forces/planning/gaps?case={case}&example=true&edition=2026")
    rows = page.locator("#frc-gaps tbody tr[data-capability]")
    assert [(r.get_attribute("data-capability"), r.get_attribute("data-severity")) for r in rows.all()] == [
        (g["capability"], g["severity"]) for g in api["gaps"]] != []
    review = _api(page, f"/api/v1/forces/planning/review?case={case}&example=true&edition=2025&edition=2026")
    headline = page.locator("#frc-headline").inner_text()
    assert f"{review['headline']['capabilities_met']} / {review['headline']['capabilities_required']}" in headline
    # its civilian profiles count met by notice days: the page says that is not deployed in time, with the way there
    assert any(g["civilian"] for g in api["gaps"])
    note = page.locator("#frc-civilian-note")
    assert "notice days" in note.inner_text()
    assert note.locator("a").get_attribute("href").startswith("#/forces/civilian?example=1")
    label = page.locator("#frc-illustrative")  # the example set: the strong statement
    assert label.get_attribute("data-kind") == "data" and "Not real data" in label.inner_text()
    trends = _api(page, f"/api/v1/forces/planning/trends?case={case}&example=true&edition=2025&edition=2026")
    required = [r for r in trends["rows"] if r["required"] is not None]  # the case's capabilities, charted first
    chart = page.locator("#frc-trends-chart .row")
    assert [r.get_attribute("data-key") for r in chart.all()] == [r["capability"] for r in required] != []
    offered = [",".join(map(str, r["offered"])) for r in required]
    assert [r.get_attribute("data-offered") for r in chart.all()] == offered
    others = page.locator("#frc-trends-other-chart .row")
    assert others.count() == len(trends["rows"]) - len(required) > 0
    assert page.evaluate("window.__violations") == []
    # another case, with gaps: a new view, its rows coloured by severity as the API gives them
    api = _case(page, "battlegroups-on-standby")
    rows = page.locator("#frc-gaps tbody tr[data-capability]")
    assert [(r.get_attribute("data-capability"), r.get_attribute("data-severity")) for r in rows.all()] == [
        (g["capability"], g["severity"]) for g in api["gaps"]]
    severe = [g for g in api["gaps"] if g["severity"] != "none"]
    assert severe  # the example set leaves gaps in this case
    row = page.locator(f"#frc-gaps tbody tr[data-capability='{severe[0]['capability']}']")
    assert row.get_attribute("class") == f"frc-sev-{severe[0]['severity']}"
    colour = row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    plain = page.locator("#frc-gaps tbody tr.frc-sev-none td").first.evaluate(
        "td => getComputedStyle(td).backgroundColor")
    assert colour != plain  # coloured by severity
    assert page.locator("#frc-civilian-note").count() == 0  # no civilian profile in this case
    assert page.evaluate("window.__violations") == []
    shot(page, "forces-carl-planning")


def _tab(page, tab: str) -> None:  # noqa: ANN001
    page.locator(f".frc-tabs a[data-tab='{tab}']").click()
    page.wait_for_url(f"**/#/forces/{tab}*")
    _settled(page)
    assert page.locator("#frc-illustrative").inner_text().startswith("ILLUSTRATIVE")  # before anything is computed
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"


def test_rotations(carl) -> None:  # noqa: ANN001
    page = carl
    _tab(page, "rotations")
    form = page.locator("#frc-rot-form")
    form.get_by_role("button", name="Plan the rotations").click()
    page.locator("#frc-rot-verdict").wait_for(timeout=60_000)
    values = form.evaluate("f => [...f.querySelectorAll('input')].map(i => i.value)")
    name, start, months, decision = values[:4]
    caps, units = values[4::2], values[5::2]
    mission = {"name": name, "start": start, "months": int(months), "decision": decision,
               "positions": [{"id": f"p{k + 1}-{c}", "capability": c, "units": int(u)}
                             for k, (c, u) in enumerate(zip(caps, units, strict=True))]}
    api = _api(page, "/api/v1/forces/rotations", {"mission": mission, "example": True})
    assert api["status"] == page.locator("#frc-rot-verdict").get_attribute("data-status") == "optimal"
    rows = page.locator("#frc-cover tbody tr[data-position]")
    assert [r.get_attribute("data-position") for r in rows.all()] == [p["id"] for p in mission["positions"]]
    short = page.locator("#frc-cover td.short").count()
    assert short == len(api["gaps"])  # the gaps forecast, cell by cell
    gap = page.locator("#frc-first-gap").inner_text()
    if api["first_gap"]:
        assert f"mission month {api['first_gap']['month'] + 1} (from {api['first_gap']['start']})" in gap
    else:
        assert gap == "No gap forecast."
    asks = page.locator("#frc-asks tbody tr[data-nation]")
    assert [r.get_attribute("data-nation") for r in asks.all()] == [a["nation"] for a in api["asks"]] != []
    ratios = {r.get_attribute("data-capability"): r.locator("td").nth(3).inner_text()
              for r in page.locator("#frc-sustainment tbody tr").all()}
    assert ratios == {(s["capability"] or "all"): f"{s['ratio']:.2f}" if s["ratio"] is not None else "-"
                      for s in api["sustainment"]}
    assert "ILLUSTRATIVE" in page.locator("#frc-rot-illustrative").inner_text()
    assert page.evaluate("window.__violations") == []
    shot(page, "forces-carl-rotations")


def test_civilian_deployment(carl) -> None:  # noqa: ANN001
    page = carl
    _tab(page, "civilian")
    form = page.locator("#frc-civ-form")
    form.get_by_label("Simulation runs").fill("300")
    form.get_by_role("button", name="Plan the deployment").click()
    page.locator("#frc-civ-verdict").wait_for(timeout=60_000)
    api = _api(page, "/api/v1/forces/deploy", {"deadline_days": 30, "environment": "uncertain", "call_lead_days": 0,
                                               "runs": 300, "example": True})
    plan, sim = api["plan"], api["simulation"]
    verdict = page.locator("#frc-civ-verdict")
    assert verdict.get_attribute("data-met") == ("true" if plan["completion_day"] is not None
                                                 and plan["completion_day"] <= 30 else "false")
    assert f"day {plan['completion_day']:.1f}" in verdict.inner_text()
    page.wait_for_function("Number(document.querySelector('#frc-civ-chart')?.dataset.days) > 0")
    chart = page.locator("#frc-civ-chart")
    assert int(chart.get_attribute("data-days")) == len(plan["timeline"])
    assert int(chart.get_attribute("data-in-theatre")) == plan["timeline"][-1]["in_theatre"]
    assert chart.locator("canvas").count() == 1
    assert f"{sim['probability'] * 100:.1f}" in page.locator("#frc-civ-probability .frc-prob").inner_text()
    steps = page.locator("#frc-critical tbody tr[data-stage]")
    assert [r.get_attribute("data-stage") for r in steps.all()] == [s["stage"] for s in plan["critical_path"]] != []
    levers = page.locator("#frc-levers tbody tr[data-lever]")
    assert [r.get_attribute("data-lever") for r in levers.all()] == [lv["lever"] for lv in api["levers"]] != []
    assert "ILLUSTRATIVE" in page.locator("#frc-civ-illustrative").inner_text()
    assert page.evaluate("window.__violations") == []
    shot(page, "forces-carl-civilian")


def test_no_register_without_the_example_set(browser, forces_site) -> None:  # noqa: ANN001
    context, page = _open(browser, forces_site, "carl", "#/forces?example=0")
    try:
        alert = page.locator("#frc-body [role=alert]")
        assert "no register contribution is visible to you" in alert.inner_text() and "(HTTP 404)" in alert.inner_text()
        assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
        page.locator("#frc-use-example").click()
        _settled(page)
        page.locator("#frc-figures").wait_for()
        assert page.locator("#frc-example").is_checked()
    finally:
        context.close()


def test_html_in_a_contribution_is_shown_as_text_and_the_secret_element_is_not(browser, forces_site) -> None:  # noqa: ANN001
    context, page = _open(browser, forces_site, "bob", "#/forces")
    try:
        assert not page.locator("#frc-example").is_checked()  # he sees a contribution: his register
        first = page.evaluate("window.__firstSight")
        assert first.startswith("UNCLASSIFIED // REL TO FR") and first.endswith("TLP:GREEN"), first
        name = page.locator("#frc-elements tbody tr[data-key='FR/inf-x'] td.name")
        assert name.inner_text() == INJECTED  # the HTML shown as text
        assert page.locator("#view img").count() == 0 and page.evaluate("window.__pwned") is None
        assert page.locator("#frc-illustrative").count() == 0  # nothing illustrative in his register
        keys = [r.get_attribute("data-key") for r in page.locator("#frc-elements tbody tr[data-key]").all()]
        assert keys == ["FR/inf-x", "FR/log-1"]  # not ann's SECRET element
        assert SECRET_NAME not in page.locator("#view").inner_text()
        assert "sof-task-group" not in page.locator("#frc-capabilities").inner_text()
        assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
        # the planning view on his register: the gaps, and why there are no trends
        page.locator(".frc-tabs a", has_text="Capability planning").click()
        _settled(page)
        page.locator("#frc-gaps").wait_for()
        assert "trends need at least two editions" in page.locator("#frc-trends-none").inner_text()
        assert page.locator("#frc-gaps tbody tr[data-severity='critical']").count() > 0
        # his rows are not illustrative, the shipped scenarios are: said so, not that his data is unreal
        gaps = _api(page, "/api/v1/forces/planning/gaps?case=rdc-stabilisation-and-civilian-mission&example=false")
        assert gaps["illustrative"] and gaps["case"]["illustrative"] and not gaps["example"]
        label = page.locator("#frc-illustrative")
        assert label.get_attribute("data-kind") == "scenarios", label.inner_text()
        said = " ".join(label.inner_text().split())
        assert "The scenarios' figures are illustrative (assumed where not published)" in said
        assert "Not real data" not in said and "member state's offer" not in said
        # the same for a force generated from his register for a shipped (illustrative) scenario
        page.locator(".frc-tabs a[data-tab='rdc']").click()
        _settled(page)
        form = page.locator("#frc-gen-form")
        form.get_by_label("Scenario").select_option("rdc-initial-stabilisation")
        form.get_by_role("button", name="Generate the force").click()
        page.locator("#frc-gen-verdict").wait_for(timeout=60_000)
        label = page.locator("#frc-gen-illustrative")
        assert label.get_attribute("data-kind") == "scenarios" and "Not real data" not in label.inner_text()
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()


NAV_WIDTHS = (1280, 1024, 1400, 1920)


def test_every_menu_link_is_on_screen_and_example_true_is_the_example_set(browser, forces_site) -> None:  # noqa: ANN001
    """bob (who sees a contribution, so the example set is off by default) opens "?example=true" at 1280 px wide:
    the example set; every link of the menu lies inside the viewport at 1280 px (and 1024, 1400, 1920); the planning
    view with "?example=yes" starts on the report's case."""
    context = browser.new_context(viewport={"width": NAV_WIDTHS[0], "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(forces_site['tokens']['bob'])});")
    try:
        page.goto(forces_site["url"] + "/web/#/forces?example=true")
        _settled(page)
        assert page.locator("#frc-example").is_checked()
        api = _api(page, "/api/v1/forces/overview?example=true")
        assert api["example"] and page.locator("#frc-figures strong").first.inner_text().replace(
            "\u2009", "") == str(api["elements"])
        assert page.locator("#frc-illustrative").get_attribute("data-kind") == "data"
        page.wait_for_function("document.getElementById('who').textContent.length > 0")  # the bar at its widest
        links = page.locator("header nav a")
        assert links.count() >= 16 and "Forces" in links.all_inner_texts()
        for width in NAV_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            boxes = links.evaluate_all("els => els.map((e) => { const r = e.getBoundingClientRect(); "
                                       "const hit = document.elementFromPoint(r.left + r.width / 2, r.top + "
                                       "r.height / 2); return [e.textContent, r.left, r.right, r.top, r.bottom, "
                                       "e.scrollWidth <= e.clientWidth + 1, hit === e || e.contains(hit)]; })")
            for text, left, right, top, bottom, whole, visible in boxes:
                assert left >= 0 and right <= width and top >= 0 and bottom <= 900, (width, text)
                assert whole and visible, (width, text)  # not cut, not under anything
        page.set_viewport_size({"width": NAV_WIDTHS[0], "height": 900})
        page.goto(forces_site["url"] + "/web/#/forces/planning?example=yes")
        _settled(page)
        page.locator("#frc-gaps").wait_for()
        assert page.locator("#frc-example").is_checked()
        assert page.locator("#frc-case-form select").input_value() == "rdc-stabilisation-and-civilian-mission"
        assert page.locator("nav a[href='#/forces']").get_attribute("aria-current") == "page"  # a view of Forces
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()


def test_ann_sees_her_secret_element_under_a_secret_banner(browser, forces_site) -> None:  # noqa: ANN001
    context, page = _open(browser, forces_site, "ann", "#/forces")
    try:
        assert page.evaluate("window.__firstSight").startswith("SECRET")  # SECRET before the overview showed
        assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
        row = page.locator("#frc-elements tbody tr[data-key='NL/sof-1']")
        assert row.locator("td.name").inner_text() == SECRET_NAME
        assert page.locator("#frc-elements tbody tr[data-key='FR/inf-x'] td.name").inner_text() == INJECTED
        assert page.evaluate("window.__pwned") is None and page.locator("#view img").count() == 0
        assert page.locator("#frc-overview-marking .mark").inner_text().startswith("SECRET")
        assert page.evaluate("window.__violations") == []
        shot(page, "forces-ann-overview")
    finally:
        context.close()
