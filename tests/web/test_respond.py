"""The Respond page in a real browser (Debian's Chromium, Playwright), on the Viasat KA-SAT incident (public facts,
examples/incidents) stored RESTRICTED: ann (NL, SECRET) sees the options ranked with why and basis, records NL's
attribution under her marking, opens a response with its steps and owners, and gets the options paper marked as
it is; bob (FR, RESTRICTED) does not see ann's SECRET record and the banner says so."""

from __future__ import annotations

import json
import re

import pytest

from kompas.core.markings import Marking
from tests.conftest import REPO

from .conftest import shot

pytestmark = pytest.mark.slow
VIASAT = REPO / "examples" / "incidents" / "viasat_ka-sat_2022-02-24.json"
READY_S = 300  # a guard against a hang, not a time limit


@pytest.fixture(scope="module")
def incident(site: dict) -> str:
    from kompas.core.store.events import store as store_events
    from kompas.services.respond import parse_incident

    envelope = parse_incident(json.loads(VIASAT.read_text()), str(VIASAT))
    done = store_events(site["store"], [(envelope, Marking.build("RESTRICTED", "AMBER"))], "test")
    assert done.ids or done.existing
    return envelope.id


def open_respond(page, event_id: str):  # noqa: ANN001, ANN201
    page.goto(page.url.split("#")[0] + f"#/respond/{event_id}")
    page.locator("#options").wait_for(timeout=READY_S * 1000)
    return page


def test_options_attribution_response_and_paper(page_for, incident: str) -> None:
    page = open_respond(page_for("ann"), incident)
    first = page.locator("#options .option").first
    assert "Statement" in first.locator("h3").inner_text()
    assert re.search(r"\(rule [a-z0-9-]+; ", first.inner_text())  # why names the rule and its basis
    headings = page.locator("#options .option h3").all_inner_texts()
    assert headings[0].startswith("1. ") and not [h for h in headings if "(Restrictive" in h], headings
    assert page.locator("#coordination").inner_text().startswith("no attribution")
    # ann records NL's assessment as SECRET REL NL, sst: the banner rises to SECRET
    form = page.locator("#attribute")
    form.get_by_label("Attributes to").fill("RU")
    form.get_by_label("Confidence").select_option("very-likely")
    form.get_by_label("Basis").fill("NL assessment (browser test)")
    form.get_by_label("Classification").select_option("SECRET")
    form.get_by_label("Releasable to", exact=False).fill("NL")
    form.get_by_label("Need-to-know", exact=False).fill("sst")
    form.get_by_role("button", name="Record").click()
    page.locator("#attributions").wait_for(timeout=READY_S * 1000)
    assert "1 state you may see attributes this to RU (NL)" in page.locator("#coordination").inner_text()
    page.wait_for_function("document.querySelector('#banner-top').dataset.classification === 'SECRET'")
    # a finding: the energy sector hit (Enercon lost remote monitoring of 5,800 wind turbines)
    finding = page.locator("#finding")
    finding.get_by_label("Field").select_option("sectors")
    finding.get_by_label("Value").fill("energy")
    finding.get_by_label("Basis").fill("Enercon: remote monitoring of 5,800 wind turbines lost (2022-02-28)")
    finding.get_by_role("button", name="Record").click()
    page.locator("#findings").wait_for(timeout=READY_S * 1000)
    assert "energy" in page.locator("#findings").inner_text()
    # a response on the cyber diplomacy toolbox, with its steps
    opened = page.locator("#open")
    opened.get_by_label("Toolbox").select_option("cyber")
    opened.get_by_label("Note").fill("PSC to discuss")
    opened.get_by_role("button", name="Open").click()
    page.locator("#responses .response").first.wait_for(timeout=READY_S * 1000)
    assert "(current)" in page.locator("#responses .response").first.inner_text()
    page.locator("#paper").get_by_role("button", name="Generate").click()
    page.locator("#paper-download").wait_for(timeout=READY_S * 1000)
    assert "SECRET" in page.locator("#paper-status .mark").inner_text()
    with page.expect_download() as download:
        page.locator("#paper-download").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "respond-ann")
    # bob may see the event and the response (RESTRICTED) but not ann's SECRET record
    bob = open_respond(page_for("bob"), incident)
    assert "NL assessment (browser test)" not in bob.content()
    assert bob.locator("#coordination").inner_text().startswith("no attribution")
    assert bob.locator("#banner-top").get_attribute("data-classification") == "RESTRICTED"
