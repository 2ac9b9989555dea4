"""The exercise context and the exercises page (#/exercise, issue 29) in a real browser (Debian's headless Chromium,
Playwright), on a server of its own: the shipped CelesTrak sample of 5 May 2026 (public, UNCLASSIFIED // TLP:GREEN)
and exercise SPX28-OPS of the shipped ILLUSTRATIVE plan, its scenario built through the service
(``kompas.services.exercise.build``) with the two templates that need no screening (a GNSS interference surge and a
cyber intrusion), its exercise clock started three hours before the test so that some injects are due and the
others pending. ann's organisation (NL) builds it, bob's (FR) takes part, carl's (DE) does not.

Checked:
- carl (real world) opens the page from the menu: the plan table holds the API's 12 exercises, each in the cell of
  its year and level, with the Article 42(7) objectives flagged as the API gives them; the ILLUSTRATIVE label is on
  screen; the precedents are marked verified/unverified as the API says; no exercise band;
- carl's break-up of COSMOS 2506 (NORAD 40699, a real object of the sample; 7,000 kg assumed as in
  examples/exercise/SPX27-TECH.yaml) draws the API's answer: the model's expected count and the number generated,
  one apogee and one perigee point per fragment in orbit (each apogee point at or above its perigee point), the first
  50 fragments;
- carl cannot select the exercise (only "Real world" is offered; the API lists none for him); a forged context (the
  code put into the tab's storage) is refused by the server (403) and the page falls back to the real world, saying
  so, with no band;
- ann chooses SPX28-OPS in the header: the banner begins EXERCISE EXERCISE EXERCISE and the band reads
  "EXERCISE EXERCISE EXERCISE — SPX28-OPS" the first time the MSEL is visible (watched every frame); the MSEL equals
  the API's (serials, released/due/pending); "Release due injects" releases exactly the due ones, the review then
  counts them raised; the events page in the context shows the released injects under an EXERCISE banner, the real
  world never.
One server and one browser for the module; one browser context per user."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest

from kompas.api.server import background
from kompas.core.db import make_engine, upgrade
from kompas.core.markings import Marking
from kompas.core.store import Store

from .conftest import SAMPLE, shot
from .test_pages import WATCH_MARKINGS

pytestmark = [pytest.mark.slow]

CODE = "SPX28-OPS"
BAND = f"EXERCISE EXERCISE EXERCISE — {CODE}"
# the banner and the band the first time the MSEL, the plan table and the Gabbard diagram are on screen
FIRST_SIGHT = """
(() => {
  window.__firstSight = {};
  const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility === "visible";
  const targets = { msel: "#exr-msel tbody tr", plan: "#exr-plan-table tbody tr", gabbard: "#exr-gabbard" };
  const look = () => {
    for (const [name, selector] of Object.entries(targets)) {
      if (!(name in window.__firstSight) && visible(document.querySelector(selector))) {
        const band = document.getElementById("exercise-band");
        window.__firstSight[name] = { banner: document.getElementById("banner-top").textContent,
          band: band && !band.hidden && visible(band) ? band.textContent : null };
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
API = """async ([path, body, code]) => {
  const headers = { "Content-Type": "application/json",
    Authorization: `Bearer ${sessionStorage.getItem("kompas-token")}` };
  if (code) headers["X-Kompas-Exercise"] = code;
  const response = await fetch(path, { method: body ? "POST" : "GET", headers,
    body: body ? JSON.stringify(body) : undefined });
  return { status: response.status, body: await response.json() };
}"""


def _scenario(start: datetime) -> str:
    return json.dumps({
        "exercise": CODE, "start_utc": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "participants": ["FR-CNES"],
        "gnss": {"region": "Baltic Sea", "lat": 57.5, "lon": 20.0, "radius_km": 250, "reports": 4, "reporters": 2,
                 "over_h": 1, "at_offset_h": 0.5, "seed": 3},
        "cyber": {"target": "Galileo ground station (simulated)", "operator": "EUSPA (simulated)", "at_offset_h": 2,
                  "techniques": [{"id": "T1190", "name": "Exploit Public-Facing Application",
                                  "tactic": "initial-access"},
                                 {"id": "T1486", "name": "Data Encrypted for Impact", "tactic": "impact"}]}})


@pytest.fixture(scope="module")
def exercise_site(tmp_path_factory) -> dict:
    """A server on loopback: ann (NL, SECRET), bob (FR, RESTRICTED), carl (DE, RESTRICTED), the public sample, and
    exercise SPX28-OPS built by ann's organisation with bob's taking part."""
    from kompas.core import jobs
    from kompas.services import exercise as service
    from tests.reports.test_threat_landscape import _events

    url = f"sqlite:///{tmp_path_factory.mktemp('exercise-web') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    store.add_org("DE-DLR", "DE", "agency")
    tokens = {"ann": store.add_user("ann", "NL-NSO", "SECRET", ["sst"]),
              "bob": store.add_user("bob", "FR-CNES", "RESTRICTED"),
              "carl": store.add_user("carl", "DE-DLR", "RESTRICTED")}
    store.contribute_elements(store.account("bob"), SAMPLE.read_text(), "tle", Marking.build(tlp="GREEN"), "sample")
    jobs.store_space_events(store, _events(), Marking.build("RESTRICTED", "AMBER"))  # real events, for the contrast
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    built = service.build(store, store.account("ann"), service.parse_scenario(_scenario(start), "web-test"))
    assert built.rejections == [] and len(built.msel.schedule) >= 6, built.as_dict()
    with background(store.engine) as base:
        yield {"url": base, "tokens": tokens}


def _open(browser, site: dict, user: str, where: str = "#/events"):  # noqa: ANN001, ANN202 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(FIRST_SIGHT)
    page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
    page.goto(site["url"] + f"/web/{where}")
    _settled(page)
    return context, page


def _settled(page) -> None:  # noqa: ANN001
    """The page drawn, and the header's context selector filled for the user."""
    page.wait_for_function("document.querySelector('#view > .view') && !document.querySelector('#view .pending') "
                           "&& !document.querySelector('label.context').hidden", timeout=60_000)


def _quantile(values: list[float], q: float) -> float:
    """The nearest-rank quantile, as the page computes it (exercise.js quantile)."""
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, max(0, math.ceil(q * len(ranked)) - 1))]


def _points(svg, kind: str) -> tuple[list[int], list[list[float]]]:  # noqa: ANN001
    """The fragment indices and (x, y) of the Gabbard diagram's points of one kind (apogee or perigee)."""
    found = svg.locator(f"circle.{kind}").evaluate_all(
        "cs => cs.map(c => [+c.dataset.k, +c.getAttribute('cx'), +c.getAttribute('cy')])")
    return [int(k) for k, _, _ in found], [[x, y] for _, x, y in found]


def _api(page, path: str, body: dict | None = None, code: str | None = None) -> dict:  # noqa: ANN001
    """What the API answers the signed-in page (its own token; ``code``: in that exercise's context)."""
    return page.evaluate(API, [path, body, code])


@pytest.fixture(scope="module")
def carl(browser, exercise_site):  # noqa: ANN001, ANN201
    context, page = _open(browser, exercise_site, "carl")
    page.get_by_role("link", name="Exercises").click()  # from the menu
    page.wait_for_url("**/#/exercise")
    _settled(page)
    yield page
    context.close()


def test_the_plan_by_year_and_level(carl) -> None:  # noqa: ANN001
    page = carl
    assert page.locator("nav a[href='#/exercise']").get_attribute("aria-current") == "page"
    assert page.evaluate("window.__firstSight.plan.banner") == "UNCLASSIFIED"  # painted before the table
    assert page.locator("#exercise-band").is_hidden()  # the real world
    plan = _api(page, "/api/v1/exercises/plan")["body"]
    assert len(plan["exercises"]) == 12 and plan["illustrative"]
    label = page.locator("#exr-illustrative")
    assert label.is_visible() and label.inner_text().startswith("ILLUSTRATIVE")
    shown = page.locator("#exr-plan-table .exr-ex")
    assert shown.count() == 12
    for e in plan["exercises"]:  # each in the cell of its year and level, its Art. 42(7) objectives flagged
        cell = page.locator(f"#exr-plan-table tr[data-year='{e['year']}'] td[data-level='{e['level']}']")
        box = cell.locator(f".exr-ex[data-code='{e['code']}']")
        assert box.count() == 1, e["code"]
        flagged = [o["id"] for o in e["objectives"] if o["art_42_7"]]
        assert [li.get_attribute("data-objective") for li in box.locator("li:has(.art427)").all()] == flagged
        assert e["scenario"] in box.inner_text() and e["kind"] in box.inner_text()
    assert sum(o["art_42_7"] for e in plan["exercises"] for o in e["objectives"]) >= 1
    rows = page.locator("#exr-precedents tbody tr")
    assert {r.get_attribute("data-id"): r.get_attribute("data-verified") for r in rows.all()} == {
        p["id"]: str(p["verified"]).lower() for p in plan["precedents"]}
    assert {"true", "false"} <= {str(p["verified"]).lower() for p in plan["precedents"]}  # both kinds shown
    assert page.evaluate("window.__violations") == []


def test_the_breakup_draws_its_gabbard_diagram(carl) -> None:  # noqa: ANN001
    page = carl
    form = page.locator("#exr-breakup-form")
    form.get_by_label("NORAD id").fill("40699")
    form.get_by_label("Mass (kg)").fill("7000")
    form.get_by_label("Smallest fragment (m)").fill("0.2")
    form.get_by_label("Seed").fill("1")
    form.get_by_role("button", name="Break it up").click()
    page.locator("#exr-gabbard").wait_for(timeout=60_000)
    api = _api(page, "/api/v1/exercises/breakup", {"norad_id": 40699, "kind": "collision", "mass_kg": 7000,
                                                   "min_size_m": 0.2, "seed": 1, "fragments": 50})
    assert api["status"] == 200
    summary, gabbard = api["body"]["summary"], api["body"]["gabbard"]
    assert summary["parent_name"].startswith("COSMOS 2506") and summary["generated"] > 100
    counts = page.locator("#exr-breakup-counts")
    assert float(counts.get_attribute("data-expected")) == summary["expected_count"]
    assert int(counts.get_attribute("data-generated")) == summary["generated"]
    n = len(gabbard["period_min"])
    assert n == summary["fates"]["orbiting"] > 0
    svg = page.locator("#exr-gabbard")
    assert int(svg.get_attribute("data-fragments")) == n
    # the core first: the fragments up to the 99th percentile of period and apogee, those beyond said
    core = [k for k in range(n) if gabbard["period_min"][k] <= _quantile(gabbard["period_min"], 0.99)
            and gabbard["apogee_km"][k] <= _quantile(gabbard["apogee_km"], 0.99)]
    assert 0.95 * n <= len(core) < n
    assert _points(svg, "apogee")[0] == _points(svg, "perigee")[0] == core
    assert f"{n - len(core)} fragment(s) beyond the axes" in page.locator("#exr-gabbard-beyond").inner_text()
    svg.scroll_into_view_if_needed()
    shot(page, "exercise-breakup")
    page.locator("#exr-gabbard-all").check()  # every fragment
    page.wait_for_function(f"document.querySelectorAll('#exr-gabbard circle.apogee').length === {n}")
    (ka, apogee), (kp, perigee) = _points(svg, "apogee"), _points(svg, "perigee")
    assert ka == kp == list(range(n))
    # the same period gives the same x; the apogee is never below the perigee (SVG y grows downwards; 0.1 unit of
    # rounding in the drawing); a longer period is further right
    assert all(a[0] == p[0] and a[1] <= p[1] + 0.1 for a, p in zip(apogee, perigee, strict=True))
    order = sorted(range(n), key=lambda k: gabbard["period_min"][k])
    assert all(apogee[i][0] <= apogee[j][0] for i, j in zip(order, order[1:], strict=False))
    assert page.locator("#exr-fragments tbody tr").count() == len(api["body"]["fragments"]) == 50
    assert page.locator("#exr-breakup-label").inner_text().startswith("ILLUSTRATIVE")
    assert page.evaluate("window.__firstSight.gabbard.banner") == "UNCLASSIFIED // TLP:GREEN"
    assert page.evaluate("window.__violations") == []


def test_a_non_participant_cannot_work_in_the_exercise(carl) -> None:  # noqa: ANN001
    page = carl
    options = page.locator("#exercise-context option")
    assert options.all_inner_texts() == ["Real world"]
    assert _api(page, "/api/v1/exercises")["body"] == []
    assert _api(page, "/api/v1/whoami", code=CODE)["status"] == 403  # the server refuses the header
    page.evaluate(f"sessionStorage.setItem('kompas-exercise', {json.dumps(CODE)})")  # a forged context
    page.reload()
    note = page.locator("#exercise-note")
    note.wait_for(state="visible", timeout=30_000)
    _settled(page)
    assert CODE in note.inner_text() and "real world" in note.inner_text()
    assert page.evaluate("sessionStorage.getItem('kompas-exercise')") is None
    assert page.locator("#exercise-band").is_hidden()
    assert page.locator("#exr-context-note").inner_text().startswith("You work in the real world")
    assert page.locator("#exr-msel").count() == 0
    assert page.locator("#exercise-context").input_value() == ""
    assert not page.locator("#banner-top").inner_text().startswith("EXERCISE")


def test_the_exercise_context_msel_release_and_review(browser, exercise_site) -> None:  # noqa: ANN001
    context, page = _open(browser, exercise_site, "ann", "#/exercise")
    try:
        select = page.locator("#exercise-context")
        assert select.locator("option").all_inner_texts() == ["Real world", f"Exercise {CODE}"]
        assert page.locator("#exr-context-note").is_visible()  # the real world first
        select.select_option(CODE)
        page.locator("#exr-msel").wait_for(timeout=60_000)
        _settled(page)
        first = page.evaluate("window.__firstSight.msel")
        assert first["banner"].startswith("EXERCISE EXERCISE EXERCISE // ") and f"EXERCISE {CODE}" in first["banner"]
        assert first["band"] == BAND  # both painted before the list was visible
        assert page.locator("#exercise-band").inner_text() == BAND
        msel = _api(page, f"/api/v1/exercises/{CODE}/msel", code=CODE)
        assert msel["status"] == 200, msel
        injects = msel["body"]["injects"]
        due = [r["inject_id"] for r in injects if r["due"]]
        pending = [r["inject_id"] for r in injects if not r["due"]]
        assert due and pending  # the clock started 3 h ago: the GNSS surge is due, the intrusion is not
        rows = page.locator("#exr-msel tbody tr")
        assert [r.get_attribute("data-inject") for r in rows.all()] == [r["inject_id"] for r in injects]
        assert [int(r.locator("td").first.inner_text()) for r in rows.all()] == [r["serial"] for r in injects]
        assert {r.get_attribute("data-inject"): r.get_attribute("data-status") for r in rows.all()} == {
            **{i: "due" for i in due}, **{i: "pending" for i in pending}}
        assert page.locator("#exr-totals [data-key='raised'] strong").inner_text() == "0"

        page.get_by_role("button", name="Release due injects").click()
        page.wait_for_function("document.querySelector('#exr-release-status').textContent.startsWith('Released')")
        status = page.locator("#exr-release-status").inner_text()
        assert status.startswith(f"Released {len(due)} inject(s) now") and f"{len(pending)} not yet due" in status
        assert {r.get_attribute("data-inject"): r.get_attribute("data-status") for r in rows.all()} == {
            **{i: "released" for i in due}, **{i: "pending" for i in pending}}
        assert page.locator("#exr-totals [data-key='raised'] strong").inner_text() == str(len(due))
        raised = {r.get_attribute("data-inject"): r.get_attribute("data-status")
                  for r in page.locator("#exr-review-injects tbody tr").all()}
        assert raised == {**{i: "raised" for i in due}, **{i: "not-raised" for i in pending}}
        again = _api(page, f"/api/v1/exercises/{CODE}/release", {}, code=CODE)["body"]
        assert again["released"] == [] and again["already"] == len(due)  # each inject once
        assert page.locator("#exr-objectives tbody tr").count() == 2  # SPX28-OPS's objectives O1, O2
        assert page.locator("#banner-top").inner_text().startswith("EXERCISE EXERCISE EXERCISE")
        shot(page, "exercise-ann-msel")

        # another page in the context: the released injects besides the real events, under an EXERCISE banner;
        # back in the real world, the real events only
        page.evaluate("location.hash = '#/events'")
        page.wait_for_function("document.querySelectorAll('#events tbody tr').length > 0", timeout=30_000)
        _settled(page)
        assert page.locator("#exercise-band").inner_text() == BAND
        events = page.locator("#events tbody tr")
        assert events.filter(has_text=f"EXERCISE {CODE}").count() == len(due) < events.count()
        assert page.locator("#banner-top").inner_text().startswith("EXERCISE EXERCISE EXERCISE")
        page.locator("#exercise-context").select_option("")
        page.wait_for_function("document.getElementById('exercise-band').hidden")
        page.wait_for_function("document.querySelectorAll('#events tbody tr').length > 0", timeout=30_000)
        _settled(page)
        assert events.count() > 0 and events.filter(has_text=f"EXERCISE {CODE}").count() == 0
        assert not page.locator("#banner-top").inner_text().startswith("EXERCISE")
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
