"""The Intelligence page (#/intel) in a real browser (Debian's headless Chromium, Playwright), on items written through
the service (kompas.services.intel.write) into the session's live server:

- ann's organisation (NL, SECRET, need-to-know sst) contributes a report as SECRET releasable to NL with need-to-know
  sst, and writes an assessment (asked for as RESTRICTED) that cites it, so it is stored SECRET; two of its key
  judgements are resolved: "likely" (band 55-80 %, scored at the midpoint 0.675) happened, "unlikely" (20-45 %,
  0.325) did not: Brier = ((1 - 0.675)^2 + (0.325 - 0)^2) / 2 = 0.105625;
- bob's organisation (FR, RESTRICTED) writes, as RESTRICTED / TLP:GREEN, an ACH board whose Heuer inconsistency
  scores are by hand H1 3 (II + I), H2 1 (I), H3 0, H3 leading, and whose only critical item is E3 (removing it
  ties H2 with H3), with E4 not diagnostic; an overdue requirement (due 2025-03-31, open), one due in 2099, and a
  key assumptions check (one caveated, one supported, one unsupported).

Checked: bob opens the page from the menu and the banner shows his listing's marking before any row is on screen
(watched every frame, and no marking on screen is ever above the banner); ann's SECRET report and assessment are not
listed for him and opening the assessment's link says it is not found, under a banner that is not SECRET; the board
renders its matrix (ratings coloured by class), its scores, ranking and the critical item highlighted; the
requirements are ordered by due day with the overdue one highlighted; the add form names the place of each problem
(422) and stores a good item under the marking shown; ann sees the SECRET assessment under a SECRET banner painted
before its judgements, with ICD 203 words and bands, and the scores view shows the Brier score and the reliability
diagram as an image (an SVG document). One browser context per user for the module."""

from __future__ import annotations

import json

import pytest

from kompas.core.markings import Marking

from .conftest import shot
from .test_pages import WATCH_MARKINGS

pytestmark = pytest.mark.slow

# the banner the first time a row of the listing, an item's judgements or the board's matrix is visible (the router
# keeps the view hidden until the page's marking is painted; this watches every frame)
FIRST_SIGHT = """
(() => {
  window.__firstSight = {};
  const visible = (el) => el && el.offsetParent && getComputedStyle(el).visibility === "visible";
  const targets = { listing: "#intel-items tbody tr[data-id]", judgements: "#intel-judgements tbody tr",
    matrix: "#ach-matrix tbody tr", requirements: "#intel-requirements tbody tr[data-id]",
    scores: "#intel-scores tbody tr" };
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
READY = "!document.querySelector('#view .pending') && document.querySelector('#intel-body')?.children.length > 0"
BOB_BANNER = "RESTREINT UE/EU RESTRICTED // TLP:GREEN"

REPORT = {"title": "TEST SECRET report: liaison on anchor instruction", "text": "Test text.", "date": "2024-12-27",
          "reliability": "B", "credibility": "3", "source": "test liaison", "countries": ["FI"], "actors": [],
          "tags": ["test"]}
BOARD = {
    "title": "TEST board: why was the cable damaged?",
    "hypotheses": [{"id": "H1", "text": "Accident"}, {"id": "H2", "text": "Negligence"},
                   {"id": "H3", "text": "Deliberate"}],
    "evidence": [{"id": "E1", "text": "Calm weather", "credibility": "high", "relevance": "high"},
                 {"id": "E2", "text": "Anchor dragged 90 km", "credibility": "medium", "relevance": "high"},
                 {"id": "E3", "text": "Crew alert all night", "credibility": "medium", "relevance": "medium"},
                 {"id": "E4", "text": "AIS speed drop", "credibility": "high", "relevance": "low"}],
    "ratings": {"E1": {"H1": "II", "H2": "C", "H3": "CC"}, "E2": {"H1": "I", "H2": "C", "H3": "C"},
                "E3": {"H1": "C", "H2": "I", "H3": "C"}, "E4": {"H1": "C", "H2": "NA", "H3": "C"}}}
ASSUMPTIONS = {"title": "TEST assumptions", "assumptions": [
    {"text": "AIS is complete", "basis": "dense coverage", "status": "caveated", "undermined_by": "gaps over 1 h"},
    {"text": "A dragged anchor is noticed", "basis": "speed changes", "status": "supported"},
    {"text": "The crew acted alone", "basis": "no contact seen", "status": "unsupported",
     "undermined_by": "calls to the operator"}]}


def _assessment(report_id: str) -> dict:
    return {"title": "TEST SECRET assessment: Baltic subsea threats", "product_line": "hybrid-threats",
            "team": "team-north", "date": "2025-01-10", "summary": "Test summary.", "citations": [
                {"kind": "report", "id": report_id}],
            "key_judgements": [
                {"text": "Another cable will be damaged before July.", "likelihood": "likely",
                 "confidence": "moderate", "resolution_date": "2025-06-30", "criterion": "a public report"},
                {"text": "A state will be blamed publicly.", "likelihood": "unlikely", "confidence": "low",
                 "resolution_date": "2025-06-30", "criterion": "a member state's statement"},
                {"text": "Insurers will raise premiums.", "likelihood": "roughly even", "confidence": "high"}]}


@pytest.fixture(scope="module")
def intel(site: dict) -> dict:
    """The items of the module docstring, written through the service."""
    from kompas.services import intel as service

    store = site["store"]
    ann, bob = store.account("ann"), store.account("bob")
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    restricted = Marking.build("RESTRICTED", "GREEN", None, [], "FR-CNES")
    report = service.write(store, ann, "report", REPORT, secret)
    assessment = service.write(store, ann, "assessment", _assessment(report["id"]),
                               Marking.build("RESTRICTED", "AMBER", None, [], "NL-NSO"))
    assert assessment["raised"] and assessment["banner"].startswith("SECRET")
    service.resolve(store, ann, assessment["id"], 0, True, "2025-07-01")
    service.resolve(store, ann, assessment["id"], 1, False, "2025-07-01")
    board = service.write(store, bob, "board", BOARD, restricted)
    shown = service.show(store, bob.viewer, board["id"])
    assert shown["analysis"]["inconsistency"] == {"H1": 3.0, "H2": 1.0, "H3": 0.0}  # Heuer's count, by hand
    assert shown["analysis"]["critical"] == ["E3"]
    overdue = service.write(store, bob, "requirement", {"question": "TEST which vessels call at cable landings?",
                                                        "owner": "team-south", "due": "2025-03-31",
                                                        "priority": "high", "status": "open"}, restricted)
    later = service.write(store, bob, "requirement", {"question": "TEST what will the next edition need?",
                                                      "owner": "team-south", "due": "2099-12-31",
                                                      "priority": "low", "status": "open"}, restricted)
    kac = service.write(store, bob, "assumptions", ASSUMPTIONS, restricted)
    return {"report": report["id"], "assessment": assessment["id"], "board": board["id"],
            "overdue": overdue["id"], "later": later["id"], "assumptions": kac["id"]}


def _context(browser, site: dict, user: str):  # noqa: ANN001, ANN202 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True, accept_downloads=True)
    context.add_init_script(WATCH_MARKINGS)
    context.add_init_script(FIRST_SIGHT)
    context.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
    return context


def _go(page, site: dict, hash_: str) -> None:  # noqa: ANN001
    page.goto(f"{site['url']}/web/{hash_}")
    page.wait_for_function(READY, timeout=60_000)


@pytest.fixture(scope="module")
def bob(browser, site, intel):  # noqa: ANN001, ANN201
    context = _context(browser, site, "bob")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def ann(browser, site, intel):  # noqa: ANN001, ANN201
    context = _context(browser, site, "ann")
    page = context.new_page()
    yield page
    context.close()


def test_bob_sees_his_listing_under_its_banner_and_never_the_secret_items(bob, site, intel) -> None:  # noqa: ANN001
    page = bob
    page.goto(f"{site['url']}/web/#/globe")
    page.get_by_role("link", name="Intelligence").click()  # from the menu
    page.wait_for_url("**/#/intel")
    page.wait_for_function(READY, timeout=60_000)
    # the banner was painted before the first row was on screen: the combination of bob's RESTRICTED items
    assert page.evaluate("window.__firstSight.listing") == BOB_BANNER
    ids = page.locator("#intel-items tbody tr[data-id]").evaluate_all("rows => rows.map((r) => r.dataset.id)")
    assert {intel["board"], intel["overdue"], intel["later"], intel["assumptions"]} <= set(ids)
    assert intel["assessment"] not in ids and intel["report"] not in ids
    text = page.locator("#view").inner_text()
    assert "TEST SECRET" not in text and "SECRET" not in text.replace("RESTRICTED", "")
    assert page.locator("#intel-listing-banner .mark").inner_text() == BOB_BANNER
    board_row = page.locator(f"#intel-items tbody tr[data-id='{intel['board']}']")
    assert board_row.locator(".mark").inner_text() == BOB_BANNER  # each row's own banner
    shot(page, "intel-bob-items")
    # the kind filter is a new view with its own banner
    page.locator("#intel-filter select").select_option("requirement")
    page.wait_for_url("**/#/intel?kind=requirement")
    page.wait_for_function(READY + " && location.hash.includes('kind=requirement')"
                           " && document.querySelector('#intel-filter select').value === 'requirement'")
    kinds = page.locator("#intel-items tbody tr[data-id]").evaluate_all("rows => rows.map((r) => r.dataset.kind)")
    assert kinds and set(kinds) == {"requirement"}
    # the SECRET assessment's link: not found, and the banner is not raised for it
    _go(page, site, f"#/intel?item={intel['assessment']}")
    assert "no such item (or not one you may see)" in page.locator("#intel-body .error").inner_text()
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    assert page.evaluate("window.__violations") == []


def test_an_ach_board_renders_its_matrix_scores_and_critical_evidence(bob, site, intel) -> None:  # noqa: ANN001
    page = bob
    page.goto(f"{site['url']}/web/#/intel")
    page.wait_for_function(READY, timeout=60_000)
    page.locator(f"#intel-items tbody tr[data-id='{intel['board']}'] td").first.click()  # a row opens its item
    page.wait_for_url(f"**/#/intel?item={intel['board']}")
    page.wait_for_function(READY + " && document.querySelector('#ach-matrix') !== null", timeout=60_000)
    assert page.evaluate("window.__firstSight.matrix") == BOB_BANNER  # the banner before the matrix
    assert page.locator("#intel-item-banner .mark").inner_text() == BOB_BANNER
    # the matrix: 4 evidence rows x 3 hypotheses, each cell its rating and the class that colours it
    cells = page.locator("#ach-matrix tbody td.ach-cell").evaluate_all(
        "cells => cells.map((c) => [c.closest('tr').dataset.e, c.dataset.h, c.textContent.trim(), c.className])")
    assert len(cells) == 12
    for evidence, hypothesis, text, classes in cells:
        rating = BOARD["ratings"][evidence][hypothesis]
        assert text == rating and f"ach-{rating}" in classes.split(), (evidence, hypothesis, text, classes)
    colours = page.locator("#ach-matrix tbody td.ach-II, #ach-matrix tbody td.ach-CC").evaluate_all(
        "cells => cells.map((c) => getComputedStyle(c).backgroundColor)")
    assert colours == ["rgb(178, 24, 43)", "rgb(27, 120, 55)"]  # II red, CC green (E1's row, H1 then H3)
    scores = page.locator("#ach-matrix tfoot tr.ach-score td[data-h]").evaluate_all(
        "cells => Object.fromEntries(cells.map((c) => [c.dataset.h, c.textContent.trim()]))")
    assert scores == {"H1": "3", "H2": "1", "H3": "0"}  # Heuer's count by hand (module docstring)
    ranks = page.locator("#ach-matrix tfoot tr.ach-rank td[data-h]").evaluate_all(
        "cells => Object.fromEntries(cells.map((c) => [c.dataset.h, c.textContent.trim()]))")
    assert ranks == {"H1": "3", "H2": "2", "H3": "1"}
    assert page.locator("#ach-ranking li").evaluate_all("items => items.map((i) => i.dataset.h)") == ["H3", "H2", "H1"]
    # the critical item (its removal alone ties H2 with H3) is highlighted, and only it
    critical = page.locator("#ach-matrix tbody tr.critical").evaluate_all("rows => rows.map((r) => r.dataset.e)")
    assert critical == ["E3"]
    assert page.locator("#ach-matrix tbody tr.critical .critical-label").inner_text() == "critical"
    assert "Critical evidence: E3" in page.locator("#ach-critical").inner_text()
    assert "not diagnostic" in page.locator("#ach-matrix tbody tr[data-e='E4']").inner_text()
    shot(page, "intel-bob-board")
    # the export carries the board's banner (the server's X-Kompas-Banner header)
    with page.expect_download() as download:
        page.get_by_role("button", name="HTML (printable)").click()
    assert download.value.suggested_filename.endswith(".html")
    page.wait_for_function("document.querySelector('.export-status').textContent.startsWith('Downloaded')")
    assert page.locator(".export-status").inner_text().endswith(BOB_BANNER)
    assert page.evaluate("window.__violations") == []


def test_requirements_due_and_overdue_and_the_assumptions_check(bob, site, intel) -> None:  # noqa: ANN001
    page = bob
    _go(page, site, "#/intel?tab=requirements")
    assert page.evaluate("window.__firstSight.requirements") == BOB_BANNER
    rows = page.locator("#intel-requirements tbody tr[data-id]")
    ids = rows.evaluate_all("rows => rows.map((r) => r.dataset.id)")
    assert ids.index(intel["overdue"]) < ids.index(intel["later"])  # soonest due first
    overdue = page.locator(f"#intel-requirements tr[data-id='{intel['overdue']}']")
    assert "overdue" in (overdue.get_attribute("class") or "").split() and "overdue" in overdue.inner_text()
    later = page.locator(f"#intel-requirements tr[data-id='{intel['later']}']")
    assert "overdue" not in (later.get_attribute("class") or "") and "overdue" not in later.inner_text()
    counts = page.locator("#requirement-counts strong").all_inner_texts()
    assert int(counts[1]) >= 1  # overdue: at least this module's
    _go(page, site, f"#/intel?item={intel['assumptions']}")
    statuses = page.locator("#kac tbody tr").evaluate_all("rows => rows.map((r) => r.dataset.status)")
    assert statuses == ["caveated", "supported", "unsupported"]
    assert page.locator("#kac-summary").inner_text().split() == ["1", "supported", "1", "supported", "with",
                                                                  "caveats", "1", "unsupported"]
    assert page.evaluate("window.__violations") == []


def test_the_add_form_names_each_problem_and_stores_a_good_item(bob, site, intel) -> None:  # noqa: ANN001
    page = bob
    _go(page, site, "#/intel?tab=add")
    form = page.locator("#intel-add-form")
    form.locator("select[name='kind']").select_option("assessment")
    bad = _assessment("no-such-report")
    bad["citations"] = []
    bad["key_judgements"][1]["likelihood"] = "maybe"
    bad["key_judgements"][2]["confidence"] = "certain"
    page.locator("#intel-json").fill(json.dumps(bad))
    form.get_by_role("button", name="Store").click()
    page.wait_for_function("document.querySelector('#intel-add-result .problems') !== null")
    places = page.locator("#intel-add-result .problems li code").all_inner_texts()
    assert places == ["item.key_judgements[1].likelihood", "item.key_judgements[2].confidence"], places
    assert "HTTP 422" in page.locator("#intel-add-result").inner_text()
    # not JSON: said before anything is sent
    page.locator("#intel-json").fill("{not json")
    form.get_by_role("button", name="Store").click()
    page.wait_for_function("document.querySelector('#intel-add-result').textContent.includes('not JSON')")
    # a good requirement, stored under the marking chosen
    form.locator("select[name='kind']").select_option("requirement")
    form.locator("select[name='classification']").select_option("RESTRICTED")
    form.locator("select[name='tlp']").select_option("GREEN")
    page.locator("#intel-json").fill(json.dumps({"question": "TEST added from the page", "owner": "team-south",
                                                 "due": "2098-01-01"}))
    form.get_by_role("button", name="Store").click()
    page.wait_for_function("document.querySelector('#intel-add-result').textContent.includes('Stored')")
    assert page.locator("#intel-add-result .mark").inner_text() == BOB_BANNER
    assert page.locator("#banner-top").inner_text() == BOB_BANNER  # raised for it before it was shown
    shot(page, "intel-bob-add")
    assert page.evaluate("window.__violations") == []


def test_ann_sees_the_secret_assessment_and_the_scores_with_their_diagram(ann, site, intel) -> None:  # noqa: ANN001
    page = ann
    _go(page, site, f"#/intel?item={intel['assessment']}")
    first = page.evaluate("window.__firstSight.judgements")
    assert first.startswith("SECRET UE/EU SECRET") and "NTK (sst)" in first, first
    assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    rows = page.locator("#intel-judgements tbody tr")
    assert rows.count() == 3
    texts = [rows.nth(n).locator("td.likelihood").inner_text() for n in range(3)]
    # ICD 203 words and their bands (the MISP estimative-language taxonomy)
    assert texts[0].startswith("likely") and "55\u202f%–80\u202f%" in texts[0], texts[0]
    assert texts[1].startswith("unlikely") and "20\u202f%–45\u202f%" in texts[1], texts[1]
    assert texts[2].startswith("roughly-even") and "45\u202f%–55\u202f%" in texts[2], texts[2]
    outcomes = [rows.nth(n).locator("td.outcome").inner_text() for n in range(3)]
    assert outcomes[0].startswith("happened") and outcomes[1].startswith("did not happen")
    assert "not scorable" in outcomes[2]
    assert [rows.nth(n).locator("td.confidence").inner_text() for n in range(3)] == ["moderate", "low", "high"]
    cited = page.locator("#intel-citations a")
    assert cited.inner_text() == REPORT["title"] and intel["report"] in (cited.get_attribute("href") or "")
    shot(page, "intel-ann-assessment")
    # the report it cites: its grade in words
    cited.click()
    page.wait_for_function(READY + " && document.querySelector('#intel-grade') !== null", timeout=60_000)
    assert page.locator("#intel-grade").inner_text().startswith("B3")
    assert "usually reliable" in page.locator("#intel-grade").inner_text()
    # the scores: Brier 0.105625 (module docstring), the diagram an image of an SVG document
    _go(page, site, "#/intel?tab=scores")
    assert page.evaluate("window.__firstSight.scores").startswith("SECRET")
    group = page.locator("#intel-scores tbody tr[data-group='team-north']")
    assert group.locator("td.brier").inner_text() == "0.1056"  # 0.105625 to 4 decimals
    assert page.locator("#intel-scores tfoot td.brier").inner_text() == "0.1056"
    page.wait_for_function("document.querySelector('#intel-diagram img')?.complete")
    image = page.evaluate("""async () => {
      const img = document.querySelector('#intel-diagram img');
      const text = await (await fetch(img.src)).text();
      return { src: img.src.slice(0, 5), width: img.naturalWidth, svg: text.includes('<svg'),
               inline: document.querySelectorAll('#view svg').length };
    }""")
    assert image["src"] == "blob:" and image["width"] > 100 and image["svg"], image
    assert image["inline"] == 0  # never put into the page's DOM
    page.locator("#intel-diagram").scroll_into_view_if_needed()
    shot(page, "intel-ann-scores")
    assert page.evaluate("window.__violations") == []
