"""The Space ISAC page (#/isac) in a real browser (Debian's headless Chromium, Playwright), on a server of its own:
SES-11's element set of the shipped CelesTrak sample (public), and three illustrative Ku-band uplink jamming reports
of 5 May 2026 within 2 h and 100 km of each other: bob's agency (FR, RESTRICTED) reports anonymously under
RESTRICTED // TLP:AMBER, PAP:AMBER, naming SES-11; an Italian member pseudonymously under RESTRICTED // TLP:GREEN;
ann's organisation (NL, SECRET, need-to-know sst), named, under SECRET // REL TO NL // NTK sst.

Checked: ann opens the page from the menu; the banner shows SECRET before any row is visible (watched every frame,
and no marking on screen is ever above the banner); she sees the three reports and one surge; bob's report reads
"anonymous" and neither his organisation nor the Italian one appears anywhere on the page; it opens with its
enrichment (GEO, the element set before the time), ENISA's controls for jamming with their CC BY 4.0 credit, and the
SPARTA, ENISA and OASIS SATIS credits; "Seen it too" is recorded and counted; the STIX 2.1 download is a bundle the
OASIS validator accepts. Bob sees two reports (his own marked as his organisation's), one cluster and no surge, never
a SECRET banner, never ann's report. One browser context per user for the module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stix2validator import ValidationOptions, validate_instance

from kompas.api.server import background
from kompas.core.db import make_engine, upgrade
from kompas.core.markings import Marking
from kompas.core.store import Store

from .conftest import SAMPLE, shot
from .test_pages import WATCH_MARKINGS

pytestmark = pytest.mark.slow

FIRST_SIGHT = """
(() => {
  window.__firstSight = {};
  const visible = (el) => el && el.offsetParent && getComputedStyle(el).visibility === "visible";
  const targets = { rows: "#isac-reports tbody tr[data-id]", clusters: "#isac-clusters li.card",
    detail: "#isac-detail h3" };
  const look = () => {
    const banner = document.getElementById("banner-top")?.dataset.classification;
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
PERIOD = "since=2026-05-05T00:00:00Z&until=2026-05-06T00:00:00Z"
TITLES = {"bob": "[ILLUSTRATIVE] Uplink jamming of SES-11", "it": "[ILLUSTRATIVE] Ku-band uplink interference seen",
          "ann": "[ILLUSTRATIVE] SECRET Ku-band uplink interference"}


def _ku(title: str, start: str, lat: float, lon: float, **extra: object) -> dict:
    return {"title": title, "start_utc": start, "stop_utc": "2026-05-05T17:00:00Z", "interference": "jamming",
            "segment": "link", "link": "uplink", "band": {"low_mhz": 14000, "high_mhz": 14500},
            "locations": [{"lat_deg": lat, "lon_deg": lon, "radius_km": 100}], **extra}


@pytest.fixture(scope="module")
def isac_site(tmp_path_factory) -> dict:
    """A server on loopback with ann (NL, SECRET, sst), bob (FR, RESTRICTED), ita (IT, RESTRICTED), SES-11's public
    element set and the three reports."""
    from kompas.services import isac as service

    url = f"sqlite:///{tmp_path_factory.mktemp('isac-web') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    store.add_org("IT-ASI", "IT", "agency")
    tokens = {"ann": store.add_user("ann", "NL-NSO", "SECRET", ["sst"]),
              "bob": store.add_user("bob", "FR-CNES", "RESTRICTED"), "ita": store.add_user("ita", "IT-ASI",
                                                                                             "RESTRICTED")}
    lines = SAMPLE.read_text().splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("1 42967U"))
    store.contribute_elements(store.account("bob"), "\n".join(lines[at - 1:at + 2]) + "\n", "tle",
                              Marking.build(tlp="GREEN"), "sample")
    ids = {}
    for user, start, lat, lon, marking, disclosure, extra in (
            ("bob", "2026-05-05T14:00:00Z", 48.2, 16.4, Marking.build("RESTRICTED", "AMBER"), "anonymous",
             {"satellites": [{"norad_id": 42967, "name": "SES-11"}], "sparta_ids": ["EX-0016"]}),
            ("it", "2026-05-05T15:00:00Z", 48.5, 16.9, Marking.build("RESTRICTED", "GREEN"), "pseudonymous", {}),
            ("ann", "2026-05-05T16:00:00Z", 47.9, 15.9, Marking.build("SECRET", "AMBER", ["NL"], ["sst"]), "named",
             {})):
        account = store.account("ita" if user == "it" else user)
        done = service.report(store, account, json.dumps(_ku(TITLES[user], start, lat, lon, **extra)), "web-test",
                              marking=Marking.build(marking.classification, marking.tlp, marking.releasable_to,
                                                    marking.communities, account.org), disclosure=disclosure)
        assert done.rejected == [] and len(done.added) == 1, done.as_dict()
        ids[user] = done.added[0]
    with background(store.engine) as base:
        yield {"url": base, "tokens": tokens, "ids": ids}


def _open(browser, site: dict, user: str):  # noqa: ANN001, ANN202 (Playwright objects)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.add_init_script(WATCH_MARKINGS)
    page.add_init_script(FIRST_SIGHT)
    page.add_init_script(f"sessionStorage.setItem('kompas-token', {json.dumps(site['tokens'][user])});")
    page.goto(site["url"] + "/web/#/globe")
    page.wait_for_function("!document.querySelector('#view .pending')", timeout=60_000)
    page.get_by_role("link", name="Space ISAC").click()  # from the menu
    page.wait_for_url("**/#/isac*")
    page.goto(site["url"] + f"/web/#/isac?{PERIOD}")
    page.wait_for_function("!document.querySelector('#view .pending') && "
                           "Number(document.querySelector('#isac-reports')?.dataset.loaded) > 0 && "
                           "Number(document.querySelector('#isac-clusters')?.dataset.loaded) > 0", timeout=60_000)
    return context, page


def test_the_isac_page_for_two_members(browser, isac_site) -> None:  # noqa: ANN001
    ann_context, ann = _open(browser, isac_site, "ann")
    try:
        assert ann.locator("#banner-top").get_attribute("data-classification") == "SECRET"
        assert ann.evaluate("window.__firstSight.rows") == "SECRET"  # no row before the banner covered it
        rows = ann.locator("#isac-reports tbody tr[data-id]")
        assert rows.count() == 3
        clusters = ann.locator("#isac-clusters").inner_text()
        assert "SURGE" in clusters and "3 reports from 3 members" in clusters
        text = ann.locator("main").inner_text()
        assert "FR-CNES" not in text and "IT-ASI" not in text and "anonymous" in text and "member-" in text
        sources = ann.locator("#isac-sources").inner_text()
        assert "The Aerospace Corporation" in sources and "CC BY 4.0" in sources and "SATIS" in sources

        ann.locator("#isac-reports tbody tr", has_text="SES-11").click()
        detail = ann.locator("#isac-detail")
        detail.locator("h3").wait_for()
        shown = detail.inner_text()
        assert "anonymous" in shown and "FR-CNES" not in shown
        assert "GEO" in shown and "2026-05-05T12:55:58Z" in shown and "-104.98" in shown  # the sample set; 105° W
        assert "Jamming" in shown and "CC BY 4.0" in shown and "ENISA" in shown
        ann.locator("#isac-seen-note").fill("uplink lost at 14:05 UTC")
        ann.locator("#isac-seen").click()
        ann.wait_for_function("document.querySelector('#isac-detail').textContent.includes('Seen it too (1)')")
        assert "uplink lost at 14:05 UTC" in detail.inner_text() and "NL-NSO" in detail.inner_text()
        with ann.expect_download() as download:
            detail.get_by_role("button", name="Download STIX 2.1 bundle").click()
        bundle = json.loads(Path(download.value.path()).read_text())
        result = validate_instance(bundle, ValidationOptions(version="2.1"))
        assert result.is_valid, result.errors
        assert "FR-CNES" not in json.dumps(bundle)
        shot(ann, "isac-ann")
        assert ann.evaluate("window.__violations") == []
    finally:
        ann_context.close()

    bob_context, bob = _open(browser, isac_site, "bob")
    try:
        assert bob.locator("#banner-top").get_attribute("data-classification") == "RESTRICTED"
        rows = bob.locator("#isac-reports tbody tr[data-id]")
        assert rows.count() == 2 and TITLES["ann"] not in bob.locator("main").inner_text()
        assert "(your organisation)" in rows.filter(has_text="SES-11").inner_text()
        clusters = bob.locator("#isac-clusters").inner_text()
        assert "2 reports from 2 members" in clusters and "SURGE" not in clusters
        rows.filter(has_text="SES-11").click()
        bob.locator("#isac-detail h3").wait_for()
        assert bob.locator("#isac-seen").count() == 0  # not on one's own report
        assert "Seen it too (1)" in bob.locator("#isac-detail").inner_text()  # ann's note, under her pseudonym
        assert "NL-NSO" not in bob.locator("#isac-detail").inner_text()
        shot(bob, "isac-bob")
        assert bob.evaluate("window.__violations") == []
        assert bob.evaluate("Object.values(window.__firstSight)").count("SECRET") == 0
    finally:
        bob_context.close()
