"""A live Kompas server on loopback with real data, and a headless Chromium driven by Playwright.

Data: the shipped 615-object CelesTrak sample and the protected assets' element sets (UNCLASSIFIED, open to all),
screened for conjunctions by the space
engine; the last public element sets of Iridium 33 and Cosmos 2251 contributed by the Dutch organisation as SECRET,
releasable to NL, need-to-know "sst", with their 2009 conjunction screened by the engine and stored under that
marking; space events built by the events module (as in the report tests). Users: ann (NL, SECRET, sst) and bob
(FR, RESTRICTED).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from kompas.api.server import background
from kompas.core import jobs
from kompas.core.db import make_engine, upgrade
from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.space.screening import screen
from kompas.space.tle import parse_tle
from kompas.web import CHROMIUM_FLAGS

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "src" / "kompas" / "data" / "sample" / "active_2026-05-05_sample.tle"
ASSETS = REPO / "src" / "kompas" / "data" / "sample" / "assets_2026-05-05.tle"
IRIDIUM_COSMOS = REPO / "tests" / "data" / "iridium33_cosmos2251_2009-02-09.tle"
ARTEFACTS = REPO / "test-artifacts" / "web"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")



@pytest.fixture(scope="session")
def site(tmp_path_factory) -> dict:
    """The server's base URL and the two users' tokens."""
    from tests.reports.test_threat_landscape import _events

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'kompas.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    tokens = {"ann": store.add_user("ann", "NL-NSO", "SECRET", ["sst"]),
              "bob": store.add_user("bob", "FR-CNES", "RESTRICTED")}
    ann, bob = store.account("ann"), store.account("bob")
    store.contribute_elements(bob, SAMPLE.read_text(), "tle", Marking.build(tlp="GREEN"), "sample")
    store.contribute_elements(bob, ASSETS.read_text(), "tle", Marking.build(tlp="GREEN"), "assets")
    jobs.screen_catalogue(store, days=0.25, threshold_km=10.0)
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    store.contribute_elements(ann, IRIDIUM_COSMOS.read_text(), "tle", secret, "iridium-cosmos")
    pair, _ = parse_tle(IRIDIUM_COSMOS.read_text(), "iridium-cosmos")
    found = screen(pair, np.datetime64("2009-02-10T12:00", "ns"), 12 * 3600.0, 5.0).conjunctions
    latest = {e.norad_id: (rid, mid) for rid, e, mid in store.latest_element_sets(None) if e.norad_id in
              (24946, 22675)}
    store.store_conjunctions(found, {n: v[0] for n, v in latest.items()}, {n: v[1] for n, v in latest.items()},
                             jobs.derived_cdms(found, {e.norad_id: e for e in pair}))
    jobs.store_space_events(store, _events(), Marking.build("RESTRICTED", "AMBER"))
    with background(store.engine) as url:
        yield {"url": url, "tokens": tokens, "store": store}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (skipped, saying so, when either is missing)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install .[test])")
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium package)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_FLAGS))
        yield browser
        browser.close()


@pytest.fixture
def page_for(browser, site):
    """A signed-in page for a user name (a fresh browser context each)."""
    contexts = []

    def open_as(user: str):
        # bypass_csp lets the test evaluate its own probes; test_content_security_policy runs without it
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True,
                                      bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(site["url"] + "/web/#/signin")
        page.get_by_label("API token").fill(site["tokens"][user])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/#/globe")
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    """Keep a screenshot as a test artefact (test-artifacts/web/NAME.png)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=False)


os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
