"""The Cyber page in a real browser (Debian's headless Chromium, Playwright), on the two illustrative incidents of
examples/cyber: the MISP event (TLP:AMBER, need-to-know cyber-eu, 2026-10-12, eight observables, a victim mailbox
under TLP:RED) shared by a cyber-eu member of NL-NSO, and the STIX bundle (TLP:GREEN, 2026-10-20) shared by bob's
agency; and a product inventory of NL-NSO (RESTRICTED, cyber-eu) matched against CISA's KEV. The cyber-eu member
sees both incidents under a banner naming cyber-eu, opens one with its observables, NIS2 clocks and export, sees the
merged sightings with the other member's name withheld, the exposure and (with ATT&CK in ../shared) the ranked
groups and the sanctions; bob sees only his incident, no cyber-eu marking anywhere, and is told why a bad file was
refused. No marking is ever shown above the banner (checked every frame)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest

from kompas.core.markings import Marking
from kompas.locate import shared_data

from .conftest import REPO, shot
from .test_pages import WATCH_MARKINGS

pytestmark = pytest.mark.slow

EXAMPLES = REPO / "examples" / "cyber"
MISP = EXAMPLES / "phishing_campaign_illustrative.misp.json"
STIX = EXAMPLES / "phishing_campaign_illustrative.stix.json"
MISP_TITLE = ("[ILLUSTRATIVE] Credential phishing against electricity distribution operators: fake "
              "grid-connection portal")
STIX_TITLE = ("[ILLUSTRATIVE] Spearphishing links against a gas transmission operator reuse grid-connection portal "
              "hosting")
PERIOD = ("2026-10-01", "2026-10-31")
INVENTORY = ("member,cpe,declared,assets,criticality,note\n"
             "NL-NSO,cpe:2.3:a:citrix:netscaler_application_delivery_controller:13.1:*:*:*:*:*:*:*,2024-01-10,4,"
             "high,remote access\n")
RED = "rgb(200, 16, 46)"  # #c8102e, the page's colour for overdue clocks and ransomware use


@pytest.fixture(scope="module")
def cyber(site: dict) -> dict:
    """cyd (NL-NSO, SECRET, communities sst and cyber-eu) shares the MISP event and declares the inventory; bob
    shares the STIX bundle. Both files go through the service as `kompas cyber ingest` does. dora (DE-BSI) says she
    saw the shared hosting address too, under TLP:GREEN, her name kept to her own organisation (the default)."""
    from kompas.cyber.model import Sighting
    from kompas.services import cyber as service

    store = site["store"]
    site["tokens"]["cyd"] = store.add_user("cyd", "NL-NSO", "SECRET", ["sst", "cyber-eu"])
    misp = service.ingest(store, store.account("cyd"), MISP.read_text(), "test:misp")
    stix = service.ingest(store, store.account("bob"), STIX.read_text(), "test:stix")
    assert len(misp.added) == len(stix.added) == 1 and not misp.rejected and not stix.rejected
    declared, rejected = service.declare_inventory(store, store.account("cyd"), INVENTORY, "test:inventory",
                                                   Marking.build("RESTRICTED", "AMBER", None, ["cyber-eu"], "NL-NSO"))
    assert declared == 1 and not rejected
    store.add_org("DE-BSI", "DE")
    store.add_user("dora", "DE-BSI", "RESTRICTED")
    seen = Sighting("ipv4-addr", "198.51.100.23", "2026-10-21T08:00:00Z", "2026-10-21T09:30:00Z", 2)
    assert len(service.record_sightings(store, store.account("dora"), [seen], Marking.build(tlp="GREEN"))) == 1
    return {"misp": misp.added[0], "stix": stix.added[0]}


def api(site: dict, user: str, path: str, **params: str) -> httpx.Response:
    return httpx.get(site["url"] + path, params=params, timeout=120,
                     headers={"Authorization": f"Bearer {site['tokens'][user]}"})


def open_cyber(page, period: tuple[str, str] | None = None):  # noqa: ANN001, ANN201 (a Playwright page)
    """The Cyber page from the menu (the default period), or from a link naming the period."""
    page.add_init_script(WATCH_MARKINGS)
    page.reload()  # the watch runs from the document's first script on
    page.wait_for_function("window.__frames > 0")
    if period is None:
        page.get_by_role("link", name="Cyber").click()
        page.wait_for_url("**/#/cyber*")
    else:
        page.goto(f"{page.url.split('#')[0]}#/cyber?since={period[0]}&until={period[1]}")
    page.wait_for_function("!document.querySelector('#view .pending') && window.__frames > 0", timeout=120_000)
    page.wait_for_function("Number(document.querySelector('#incidents')?.dataset.loaded) > 0")
    page.locator("#picture-summary").wait_for()
    return page


def bars(page, table: str) -> dict[str, int]:  # noqa: ANN001
    """A bar chart's rows as {key: count}."""
    rows = page.locator(f"{table} tbody tr")
    return {r.locator("th").inner_text(): int(r.locator("td.n").inner_text()) for r in rows.all()}


def banner(page) -> tuple[str, str]:  # noqa: ANN001
    top = page.locator("#banner-top")
    return top.inner_text(), top.get_attribute("data-classification")


def test_the_cyber_eu_member_sees_both_incidents_and_opens_one(page_for, site, cyber) -> None:
    page = open_cyber(page_for("cyd"))
    today = dt.datetime.now(dt.UTC).date()
    assert page.get_by_label("From (UTC day)", exact=True).input_value() == (today - dt.timedelta(days=90)).isoformat()
    assert page.get_by_label("To (UTC day, included)", exact=True).input_value() == today.isoformat()
    # the period of the two incidents, chosen in the form: the picture and the table follow it
    page.get_by_label("From (UTC day)", exact=True).fill(PERIOD[0])
    page.get_by_label("To (UTC day, included)", exact=True).fill(PERIOD[1])
    page.locator("#period").get_by_role("button", name="Show").click()
    page.wait_for_function("document.getElementById('incident-count').textContent === '1–2 of 2'")
    page.wait_for_function(f"document.getElementById('picture-summary')?.textContent.includes('{PERIOD[1]}')")
    rows = page.locator("#incidents tbody tr[data-id]")
    assert [r.get_attribute("data-id") for r in rows.all()] == [cyber["stix"], cyber["misp"]]  # newest first
    assert STIX_TITLE in rows.nth(0).inner_text() and "UNCLASSIFIED // TLP:GREEN" in rows.nth(0).inner_text()
    listed = {i["id"]: i for i in api(site, "cyd", "/api/v1/cyber/incidents").json()["items"]}
    shown = listed[cyber["misp"]]["marking"]["banner"]  # the incident with the attributes cyd may see
    assert "NTK (cyber-eu)" in shown and rows.nth(1).locator(".mark").inner_text() == shown
    text, level = banner(page)
    assert "NTK (cyber-eu)" in text and level == "RESTRICTED"  # the inventory is RESTRICTED
    assert "/cyber?" in page.url and f"since={PERIOD[0]}" in page.url  # the view can be linked
    # the picture: two incidents of 2026-W42 and 2026-W43, energy, fraud, DE and NL
    assert page.locator("#picture-summary").inner_text().startswith("2 incidents from 2026-10-01 to 2026-10-31")
    assert {r.get_attribute("data-week") for r in page.locator("#weeks rect.week").all()} == {"2026-W42", "2026-W43"}
    assert page.locator("#weeks rect.week").count() == 2
    assert bars(page, "#by-sector") == {"energy": 2} and bars(page, "#by-rsit") == {"fraud": 2}
    assert bars(page, "#by-state") == {"(none given)": 1, "DE": 1, "NL": 1}
    assert bars(page, "#by-reporter") == {"FR-CNES": 1, "NL-NSO": 1}
    # NIS2 clocks of the MISP incident (aware 2026-10-13T07:55Z, early warning sent 2026-10-14T05:10Z): the early
    # warning met, the notification (due 2026-10-16T07:55Z) overdue and red
    clocks = rows.nth(1).locator("td").nth(6)
    assert clocks.inner_text().split("\n")[:2] == ["Early warning: met", "Notification: overdue"]
    overdue = clocks.locator(".clock-overdue").first
    assert overdue.evaluate("e => getComputedStyle(e).color") == RED
    assert rows.nth(0).locator("td").nth(6).inner_text() == "none running"  # no time of awareness in the bundle
    # a filter: the RSIT class and a member state, server-side
    page.get_by_label("Member state (ISO code)").fill("nl")
    page.wait_for_function("document.getElementById('incident-count').textContent === '1–1 of 1'")
    assert rows.first.get_attribute("data-id") == cyber["misp"]
    page.get_by_label("RSIT class").select_option("malicious-code")
    page.wait_for_function("document.getElementById('incident-count').textContent === '0 of 0'")
    page.locator("#incident-filters").get_by_role("button", name="Clear").click()
    page.wait_for_function("document.getElementById('incident-count').textContent === '1–2 of 2'")
    # the MISP incident opens from the keyboard with its observables, its clocks and the victim mailbox (TLP:RED)
    rows.nth(1).focus()
    page.keyboard.press("Enter")
    detail = page.locator("#incident-detail")
    detail.get_by_role("heading", name=MISP_TITLE).wait_for()
    observables = detail.locator("table.observables tbody tr")
    assert observables.count() == 8
    values = [r.split("\t")[1] for r in observables.all_inner_texts()]
    assert {"198.51.100.23", "203.0.113.77", "netz-anschluss-portal.example", "antraege@netz-anschluss-portal.example",
            "Netzanschluss_Bestaetigung.html"} <= set(values)
    merged = api(site, "cyd", "/api/v1/cyber/sightings", type="ipv4-addr", value="198.51.100.23").json()["items"][0]
    named = f"{', '.join(merged['observers'])} + 1 undisclosed"
    assert merged["undisclosed"] == 1 and "NL-NSO" in merged["observers"] and "DE-BSI" not in merged["observers"]
    assert named in observables.nth(values.index("198.51.100.23")).inner_text()  # dora's agency is not named
    assert "T1566.002" in detail.inner_text() and "energy (electricity)" in detail.inner_text()
    detail.get_by_text("Other attributes (3)").click()
    mailbox = detail.locator("details tr", has_text="target-email")
    assert "UNCLASSIFIED // NTK (cyber-eu) // TLP:RED" in mailbox.inner_text()
    assert banner(page)[0].endswith("TLP:RED")
    assert detail.get_by_role("link", name="The platform event").get_attribute("href") == f"#/event/{cyber['misp']}"
    assert detail.get_by_role("link", name="Response options (Respond)").get_attribute("href") == \
        f"#/respond/{cyber['misp']}"
    overdue_row = detail.locator("table.clocks tr.overdue", has_text="Notification (72 h)")
    assert "2026-10-16T07:55:00Z" in overdue_row.inner_text()
    detail.scroll_into_view_if_needed()
    shot(page, "cyber-incident-cyd")
    with page.expect_download() as download:
        detail.get_by_role("button", name="Export MISP event").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported["Event"]["info"] == MISP_TITLE
    assert download.value.suggested_filename == f"{cyber['misp']}.misp.json"
    assert "marked UNCLASSIFIED" in detail.locator(".export-status").inner_text()
    # the sightings merged on 198.51.100.23: the two of the MISP event, bob's of the STIX bundle and dora's, whose
    # organisation cyd may not know (counted, never named, not even in the marking)
    sighted = page.locator("#sightings tbody tr", has_text="198.51.100.23")
    assert merged["sightings"] == 4 and merged["count"] == 6 + 2
    assert named in sighted.inner_text() and f"\t{merged['count']}\t4\t" in sighted.inner_text()
    assert "DE-BSI" not in page.locator("#sightings").inner_text()
    # exposure: NetScaler ADC 13.1 against KEV, every match "potentially exposed - verify the version"
    exposure = api(site, "cyd", "/api/v1/cyber/exposure", as_of=PERIOD[1]).json()
    box = page.locator("#exposure")
    assert "potentially exposed - verify the version" in box.inner_text()
    assert f"{exposure['aggregate']['cves']} KEV CVEs" in box.inner_text() and exposure["aggregate"]["cves"] >= 3
    netscaler = box.locator("#exposure-cves tr", has_text="CVE-2019-19781")  # Citrix ADC path traversal
    assert netscaler.locator(".ransomware").inner_text() == "known"
    assert "RESTREINT UE/EU RESTRICTED // NTK (cyber-eu) // TLP:AMBER" in box.inner_text()
    assert page.evaluate("window.__violations") == []
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "cyber-cyd")


def test_ranked_groups_and_sanctions_with_attack(page_for, site, cyber) -> None:
    """AcidRain (S1125) and the wiper techniques T1485 and T1561.002: Sandworm Team (G0034) first, as ATT&CK's own
    'uses' relationships have it; the GTsST listing links to Sandworm Team."""
    if shared_data("cyber/attack") is None:
        pytest.skip("../shared/data/cyber/attack is absent: the actor ranking and the sanctions links read ATT&CK "
                    "from ../shared only")
    page = open_cyber(page_for("cyd"), PERIOD)
    form = page.locator("#actors-form")
    form.get_by_label("Techniques (ATT&CK ids, comma-separated)").fill("t1485, T1561.002")
    form.get_by_label("Software (names or S-ids, comma-separated)").fill("AcidRain")
    form.get_by_role("button", name="Rank").click()
    leads = page.locator("#leads tbody tr")
    leads.first.wait_for()
    first = leads.first.inner_text().split("\t")
    assert first[:3] == ["1", "G0034", "Sandworm Team"]
    assert "S1125" in first[6] and "T1485" in first[5] and "T1561.002" in first[5]
    label = page.locator("#actors .lead-label").inner_text()
    assert "not attribution" in label and "decision of the member states" in label
    ranked = api(site, "cyd", "/api/v1/cyber/actors", techniques="T1485,T1561.002", software="AcidRain").json()
    assert leads.count() == len(ranked["leads"]) == 10
    assert [r.split("\t")[1] for r in leads.all_inner_texts()] == [g["group_id"] for g in ranked["leads"]]
    page.locator("#actors-title").scroll_into_view_if_needed()
    shot(page, "cyber-actors-cyd")
    gtsst = page.locator("#sanctions-table tbody tr", has_text="GTsST")
    assert gtsst.count() == 1 and "G0034 Sandworm Team" in gtsst.inner_text() and "NotPetya" in gtsst.inner_text()
    # an incident's own evidence goes to the form: the STIX incident's three techniques
    page.locator(f"#incidents tbody tr[data-id='{cyber['stix']}']").click()
    page.locator("#incident-detail").get_by_role("heading", name=STIX_TITLE).wait_for()
    page.get_by_role("button", name="Rank ATT&CK groups for it").click()
    page.wait_for_function("document.querySelector('#actors-form [name=techniques]').value === "
                           "'T1056.003, T1566.002, T1608.005'")
    page.wait_for_function("document.querySelector('#leads tbody tr') !== null")
    assert page.evaluate("window.__violations") == []


def test_bob_sees_only_his_incident_and_no_cyber_eu_marking(page_for, site, cyber) -> None:
    page = open_cyber(page_for("bob"), PERIOD)
    assert page.get_by_label("From (UTC day)", exact=True).input_value() == PERIOD[0]  # the link's period
    page.wait_for_function("document.getElementById('incident-count').textContent === '1–1 of 1'")
    rows = page.locator("#incidents tbody tr[data-id]")
    assert rows.count() == 1 and rows.first.get_attribute("data-id") == cyber["stix"]
    text, level = banner(page)
    assert "cyber-eu" not in text and level == "UNCLASSIFIED" and "TLP:GREEN" in text
    assert page.locator("#picture-summary").inner_text().startswith("1 incident from 2026-10-01 to 2026-10-31")
    assert "cyber-eu" not in page.locator("#view").inner_text()
    assert "No product inventory you may see" in page.locator("#exposure").inner_text()
    sighted = page.locator("#sightings tbody tr", has_text="198.51.100.23")
    assert "FR-CNES + 1 undisclosed" in sighted.inner_text()  # his own agency's, and dora's unnamed
    assert "NL-NSO" not in sighted.inner_text() and "DE-BSI" not in page.locator("#sightings").inner_text()
    assert api(site, "bob", f"/api/v1/cyber/incidents/{cyber['misp']}").status_code == 404
    rows.first.click()
    detail = page.locator("#incident-detail")
    detail.get_by_role("heading", name=STIX_TITLE).wait_for()
    assert detail.locator("table.observables tbody tr").count() == 4
    assert "gas-netz-anmeldung.example" in detail.inner_text()
    shot(page, "cyber-bob")
    # a file that cannot be shared says why, record by record
    page.locator("#share input[type=file]").set_input_files(files=[{
        "name": "undated.json", "mimeType": "application/json",
        "buffer": json.dumps([{"title": "Kompas test: an incident without a date"}]).encode()}])
    page.locator("#share").get_by_role("button", name="Share").click()
    result = page.locator("#share-result")
    result.get_by_text("1 record refused").wait_for()
    assert "0 incidents shared" in result.inner_text()
    assert "give the date it happened" in result.locator("table.rejected").inner_text()
    for control in page.locator("#view input:not([type=hidden]), #view select").all():  # every control labelled
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    assert page.evaluate("window.__violations") == []
    assert not [m for m in page.locator(".mark").all_inner_texts() if "cyber-eu" in m or "SECRET" in m]


def test_the_period_report_runs_as_a_job(page_for, site, cyber) -> None:
    page = open_cyber(page_for("cyd"), PERIOD)
    page.get_by_role("button", name="Cyber threat report for this period").click()
    page.wait_for_url("**/#/reports")
    row = page.locator("#jobs tbody tr", has_text="Cyber threat report")
    assert f"{PERIOD[0]} to {PERIOD[1]} (included), PDF" in row.inner_text()
    page.wait_for_function("[...document.querySelectorAll('#jobs tbody .job-status')].some((c) => "
                           "/^(Ready|Failed)/.test(c.textContent))", timeout=180_000)
    assert row.locator(".job-status").inner_text() == "Ready"
    assert "NTK (cyber-eu)" in row.locator(".job-file .mark").inner_text()
    assert row.get_by_role("button", name=f"Download cyber_{PERIOD[0]}_{PERIOD[1]}.pdf").count() == 1
