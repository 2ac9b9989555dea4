"""The FIMI page in a real browser (Debian's headless Chromium, Playwright), on the real EUvsDisinfo cases from
November 2020 to February 2021 (995 cases, read from ../shared/data/fimi) analysed by the engine: the server's
filters reach incidents beyond the first page with a true total, an incident opens from the keyboard with its
techniques and response options, narratives and surges show with the incidents behind them, and an incident marked
SECRET for the Dutch user alone is never shown to the French one nor painted under a lower banner."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from kompas.core.markings import Marking

from .conftest import shot

pytestmark = pytest.mark.slow

EUVSDISINFO = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fimi" / "euvsdisinfo"
SINCE, UNTIL = "2020-11-01", "2021-03-01"
SECRET_TITLE = "Kompas test: drones over the Dutch coast were a staged provocation"
SECRET_INCIDENT = {"ref": "kompas-test-nl-1", "title": SECRET_TITLE, "first_seen": "2021-01-15",
                   "targets": [{"name": "Netherlands"}], "languages": ["Dutch"],
                   "channels": [{"name": "Kompas test outlet", "category": "state-linked"}],
                   "narratives": ["Drones"], "techniques": ["T0022", "T0023"],
                   "evidence": [{"url": "https://example.org/kompas-test-nl-1", "date": "2021-01-15"}]}


@pytest.fixture(scope="module")
def fimi(site: dict) -> dict:
    """The EUvsDisinfo cases first seen from SINCE, contributed by bob's agency as UNCLASSIFIED TLP:CLEAR; one
    incident contributed by ann as SECRET REL TO NL (need-to-know sst); bob's analysis run of [SINCE, UNTIL) (what
    bob may see, so its narratives and surges are open to both)."""
    if not EUVSDISINFO.exists():
        pytest.skip(f"{EUVSDISINFO} is absent: the FIMI page is tested on the real EUvsDisinfo cases, which are read "
                    "from ../shared only (their terms do not allow shipping them)")
    from kompas.fimi.load import read
    from kompas.services import fimi as service
    from kompas.services.reports import default_framework

    store = site["store"]
    ann, bob = store.account("ann"), store.account("bob")
    cases = [i for i in read(EUVSDISINFO, "euvsdisinfo").incidents if i.first_seen >= SINCE]
    assert len(cases) > 500
    service.contribute(store, bob, cases, [], "euvsdisinfo", "euvsdisinfo", Marking.build(tlp="CLEAR"))
    secret = service.submit(store, ann, [SECRET_INCIDENT], Marking.build("SECRET", "AMBER", ["NL"], ["sst"]),
                            "test")
    assert secret.added == 1
    run = service.analyse(store, bob.viewer, "bob", SINCE, UNTIL, default_framework())
    assert run.surge_ids, "the run found no surge to show"
    return {"cases": cases, "secret_id": secret.ids[0]}


def api(site: dict, user: str, path: str, **params: str) -> dict:
    answer = httpx.get(site["url"] + path, params=params, timeout=60,
                       headers={"Authorization": f"Bearer {site['tokens'][user]}"})
    answer.raise_for_status()
    return answer.json()


def every_incident(site: dict, user: str, **filters: str) -> list[dict]:
    """Every incident the user may see with these filters, newest first, walked page by page (not the total)."""
    items: list[dict] = []
    after = None
    while True:
        page = api(site, user, "/api/v1/fimi/incidents", limit="1000", **filters, **({"after": after} if after else {}))
        items += page["items"]
        after = page["next"]
        if after is None:
            return items


def shown_range(page) -> tuple[int, int, int]:  # noqa: ANN001 (a Playwright page)
    """(first, last, total) of the incident table's "first–last of total"."""
    text = page.locator("#incident-count").inner_text().replace("\u2009", "")
    found = re.fullmatch(r"(\d+)–(\d+) of (\d+)", text.strip())
    assert found, text
    return int(found[1]), int(found[2]), int(found[3])


def open_fimi(page):  # noqa: ANN001, ANN201
    page.get_by_role("link", name="FIMI").click()
    page.wait_for_url("**/#/fimi*")
    page.locator("#incidents tbody tr[data-id]").first.wait_for()
    page.wait_for_function("!/Loading/.test(document.getElementById('incident-count').textContent)")
    return page


def test_filters_reach_incidents_beyond_the_first_page_with_a_true_total(page_for, site, fimi) -> None:
    page = open_fimi(page_for("bob"))
    everything = every_incident(site, "bob")
    assert shown_range(page) == (1, 50, len(everything))
    rows = page.locator("#incidents tbody tr[data-id]")
    assert rows.first.get_attribute("data-id") == everything[0]["id"]  # newest first
    assert page.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    shot(page, "fimi-bob")
    # a target and a language, server-side: the oldest such incident is on the last page, reached with Next
    ukraine = every_incident(site, "bob", target="Ukraine", language="Russian")
    assert len(ukraine) > 100
    page.get_by_label("Target", exact=True).fill("ukraine")
    page.get_by_label("Language", exact=True).fill("Russian")
    page.locator("#incident-filters").get_by_role("button", name="Apply").click()
    page.wait_for_function(f"document.getElementById('incident-count').textContent.endsWith('of {len(ukraine)}')")
    assert shown_range(page) == (1, 50, len(ukraine))
    assert [r.get_attribute("data-id") for r in rows.all()] == [i["id"] for i in ukraine[:50]]
    while page.get_by_role("button", name="Next").is_enabled():
        first = shown_range(page)[0]
        page.get_by_role("button", name="Next").click()
        page.wait_for_function(f"/^{first + 50}–/.test(document.getElementById('incident-count').textContent)")
    first, last, total = shown_range(page)
    assert last == total == len(ukraine) and first == 50 * ((total - 1) // 50) + 1
    assert rows.last.get_attribute("data-id") == ukraine[-1]["id"]
    page.get_by_role("button", name="Previous").click()
    page.wait_for_function(f"/^{first - 50}–/.test(document.getElementById('incident-count').textContent)")
    # the oldest first, and the other filters as the API offers them
    page.get_by_role("button", name="First seen (UTC)").click()
    page.wait_for_function("document.getElementById('incident-count').textContent.startsWith('1–')")
    assert rows.first.get_attribute("data-id") == ukraine[-1]["id"]
    page.locator("#incident-filters").get_by_role("button", name="Clear").click()
    old = everything[-1]
    words = " ".join(old["title"].split()[:5])
    page.get_by_label("Title words", exact=True).fill(words)
    page.get_by_label("First seen from (UTC day)", exact=True).fill(old["first_seen"])
    page.get_by_label("First seen before (UTC day)", exact=True).fill("2020-11-08")
    expected = every_incident(site, "bob", q=words, since=old["first_seen"], until="2020-11-08")
    page.wait_for_function(f"document.getElementById('incident-count').textContent.endsWith(' of {len(expected)}')")
    assert old["id"] in [r.get_attribute("data-id") for r in rows.all()]
    for name, value, parameter in (("DISARM technique", "t0023", "T0023"), ("Outlet", "Sputnik Arabic", None),
                                   ("Narrative", "coronavirus", None)):
        page.locator("#incident-filters").get_by_role("button", name="Clear").click()
        page.get_by_label(name, exact=True).fill(value)
        key = {"DISARM technique": "technique", "Outlet": "outlet", "Narrative": "narrative"}[name]
        expected = every_incident(site, "bob", sort="first_seen", **{key: parameter or value})  # sorted above
        assert expected, name
        page.wait_for_function(f"document.getElementById('incident-count').textContent.endsWith(' of "
                               f"{len(expected)}') && document.querySelector('#incidents tbody tr[data-id]')"
                               f".dataset.id === {expected[0]['id']!r}")
    page.locator("#incident-filters").get_by_role("button", name="Clear").click()
    page.get_by_label("Attribution", exact=True).select_option("state-linked")
    expected = every_incident(site, "bob", attribution="state-linked")
    page.wait_for_function(f"document.getElementById('incident-count').textContent.endsWith(' of {len(expected)}')")
    assert all("state-linked" in r for r in rows.all_inner_texts())


def test_an_incident_opens_from_the_keyboard_with_its_response_options(page_for, site, fimi) -> None:
    page = open_fimi(page_for("bob"))
    page.get_by_label("DISARM technique", exact=True).fill("T0023")
    with_technique = every_incident(site, "bob", technique="T0023")
    page.wait_for_function(f"document.getElementById('incident-count').textContent.endsWith(' of "
                           f"{len(with_technique)}')")
    chosen = with_technique[0]
    row = page.locator(f"#incidents tbody tr[data-id='{chosen['id']}']")
    row.focus()
    page.keyboard.press("Enter")
    detail = page.locator("#incident-detail")
    detail.get_by_role("heading", name=chosen["title"]).wait_for()
    text = detail.inner_text()
    assert "UNCLASSIFIED // TLP:CLEAR" in text and "T0023" in text and chosen["attribution"] in text
    assert "Merges" in text and "Response options" in text
    response = api(site, "bob", f"/api/v1/fimi/incidents/{chosen['id']}/response")
    prevention = response["categories"]["prevention"]
    assert prevention["countermeasures"], "DISARM names countermeasures for T0023"
    assert (f"Prevention: {len(prevention['countermeasures'])} countermeasures, "
            f"{len(prevention['instruments'])} EU instruments") in text
    assert prevention["countermeasures"][0]["name"] in text and prevention["instruments"][0]["name"] in text
    for control in page.locator("#view input, #view select").all():  # every control has a label
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    detail.scroll_into_view_if_needed()
    shot(page, "fimi-incident-bob")


def test_narratives_and_a_surge_with_its_evidence(page_for, site, fimi) -> None:
    page = open_fimi(page_for("bob"))
    clusters = api(site, "bob", "/api/v1/fimi/clusters", limit="1000")["items"]
    surges = api(site, "bob", "/api/v1/fimi/surges", limit="1000")["items"]
    assert page.locator("#narratives tbody tr").count() == len(clusters) > 1
    assert page.locator("#surges tbody tr").count() == len(surges) >= 1
    narrative = page.locator("#narratives tbody tr").first
    narrative.focus()
    page.keyboard.press("Enter")
    box = page.locator("#narrative-detail")
    box.get_by_role("heading", name=f"Narrative: {clusters[0]['label']}").wait_for()
    assert all(e["title"] in box.inner_text() for e in clusters[0]["examples"])
    surge = max(surges, key=lambda g: len(g["evidence"]))
    page.locator(f"#surges tbody tr[data-id='{surge['record_id']}']").click()
    box = page.locator("#surge-detail")
    box.get_by_role("heading", name=f"Surge: {surge['label']}").wait_for()
    box.get_by_role("heading", name="Response options").wait_for()
    evidence = box.locator("table.surge-evidence tbody tr")
    assert evidence.count() == len(surge["evidence"]) > 0
    assert [r.split("\t")[1].strip() for r in evidence.all_inner_texts()] == [e["title"] for e in surge["evidence"]]
    assert "{" not in box.inner_text()  # readable, not raw JSON
    assert f"{surge['cases']} (expected" in box.inner_text()
    assert box.locator("details summary").count() == 5  # the five FIMI toolbox categories
    box.scroll_into_view_if_needed()
    shot(page, "fimi-surge-bob")
    # an incident of the evidence opens in the incident panel
    box.get_by_role("button", name=surge["evidence"][0]["title"]).first.click()
    page.locator("#incident-detail").get_by_role("heading", name=surge["evidence"][0]["title"]).wait_for()


def test_an_incident_marked_for_ann_only(page_for, site, fimi) -> None:
    """ann (NL, SECRET, sst) finds the SECRET incident, sees its marking on the row and the panel, and the banner
    was SECRET before the row was in the page; bob (FR, RESTRICTED) finds nothing, his totals are one fewer, and his
    banner never says SECRET."""
    ann, bob = open_fimi(page_for("ann")), open_fimi(page_for("bob"))
    assert shown_range(ann)[2] == len(every_incident(site, "ann")) == len(every_incident(site, "bob")) + 1
    assert shown_range(bob)[2] == len(every_incident(site, "bob"))
    # record the banner at the moment the SECRET row or panel enters the page
    ann.evaluate("""() => { window.__bannerAtSecret = [];
      new MutationObserver(() => { for (const sel of ['#incidents tbody', '#incident-detail']) {
        const el = document.querySelector(sel);
        if (el && el.textContent.includes('SECRET UE/EU SECRET')) window.__bannerAtSecret.push(
          document.getElementById('banner-top').dataset.classification); } })
        .observe(document.getElementById('view'), {childList: true, subtree: true}); }""")
    assert ann.locator("#banner-top").get_attribute("data-classification") == "UNCLASSIFIED"
    for page in (ann, bob):
        page.get_by_label("Title words", exact=True).fill("drones over the Dutch coast")
    ann.wait_for_function("document.getElementById('incident-count').textContent === '1–1 of 1'")
    bob.wait_for_function("document.getElementById('incident-count').textContent === '0 of 0'")
    row = ann.locator("#incidents tbody tr[data-id]")
    assert row.count() == 1 and "SECRET UE/EU SECRET // REL TO NL" in row.inner_text()
    row.focus()
    ann.keyboard.press("Enter")
    ann.locator("#incident-detail").get_by_role("heading", name=SECRET_TITLE).wait_for()
    assert "Netherlands" in ann.locator("#incident-detail").inner_text()
    assert ann.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    seen = ann.evaluate("window.__bannerAtSecret")
    assert seen and set(seen) == {"SECRET"}, seen
    assert bob.locator("#incidents tbody tr[data-id]").count() == 0
    assert "SECRET" not in bob.locator("#banner-top").inner_text()
    assert bob.locator("#banner-top").get_attribute("data-classification") != "SECRET"
    shot(ann, "fimi-ann")
    shot(bob, "fimi-secret-hidden-bob")
    # bob cannot open it by its address either
    missing = httpx.get(f"{site['url']}/api/v1/fimi/incidents/{fimi['secret_id']}",
                        headers={"Authorization": f"Bearer {site['tokens']['bob']}"})
    assert missing.status_code == 404
