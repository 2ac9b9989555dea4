"""The situational picture in a real browser (Debian's headless Chromium, Playwright): sign in, the globe, the
conjunction table (filter, sort, open), an object page, the events timeline, a report download, keyboard use, and
what two users with different clearances and releasability each see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import shot

pytestmark = pytest.mark.slow


def test_sign_in_is_required_and_a_bad_token_is_refused(browser, site) -> None:
    page = browser.new_page()
    page.goto(site["url"] + "/#/conjunctions")  # / sends the browser to /web/
    page.wait_for_url("**/#/signin")
    page.get_by_label("API token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").filter(has_text="Sign-in failed").wait_for()
    page.close()


def test_content_security_policy_allows_the_page_and_nothing_else(browser, site) -> None:
    """Under its own CSP (no bypass) the page signs in and draws the globe without a violation; everything it
    loads comes from the server itself."""
    page = browser.new_page()
    violations, requests = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site["url"] + "/web/#/signin")
    page.get_by_label("API token").fill(site["tokens"]["bob"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/#/globe")
    page.locator("#globe canvas").wait_for()
    page.wait_for_timeout(1000)
    assert violations == []
    assert requests and all(u.startswith(site["url"]) or u.startswith(("data:", "blob:")) for u in requests)
    page.close()


def test_globe_draws_the_assets_with_their_tracks(page_for) -> None:
    page = page_for("ann")
    page.wait_for_function("document.querySelector('#globe canvas') !== null")
    page.wait_for_function("document.querySelector('#globe').__drawn() > 0")
    drawn = page.evaluate("document.querySelector('#globe').__drawn()")
    listed = page.locator("#object-list li").count()
    assert drawn > 0 and listed >= drawn
    page.wait_for_timeout(1500)
    shot(page, "globe-ann")
    # a click on an object on the globe opens its page: a protected asset in GEO (it hardly moves between the probe
    # and the click) that is on screen
    box = page.locator("#globe").bounding_box()
    ids = [int(t.split()[0].rstrip(",")) for t in page.locator("#object-list li .muted").all_inner_texts()]
    screen = page.evaluate(f"{ids}.map((n) => document.querySelector('#globe').__screenOf(n))")
    on_screen = [(n, p) for n, p in zip(ids, screen, strict=True)
                 if p and 20 < p["x"] < box["width"] - 20 and 20 < p["y"] < box["height"] - 20]
    geo = [(n, p) for n, p in on_screen if n in (39617, 38652, 44624, 39509, 28885, 29273, 49333, 57214, 28945)]
    norad_id, where = (geo or on_screen)[0]
    page.mouse.move(box["x"] + where["x"], box["y"] + where["y"])
    page.locator("#globe .tooltip").filter(has_text=str(norad_id)).wait_for()
    page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
    page.wait_for_url(f"**/#/object/{norad_id}")
    page.go_back()
    page.locator("#object-list a").first.click()
    page.wait_for_url(re.compile(r".*#/object/\d+$"))


def _after(page, table: str, action) -> None:  # noqa: ANN001
    """Do ``action`` and wait until the server-side table ``table`` shows the answer it caused."""
    before = int(page.locator(table).get_attribute("data-loaded") or 0)
    action()
    page.wait_for_function(f"Number(document.querySelector('{table}').dataset.loaded) > {before}")


def _api(page, path: str):  # noqa: ANN001, ANN202
    """What the API answers the signed-in page for ``path`` (the page's own token)."""
    return page.evaluate("""async (path) => (await fetch(path, { headers: { Authorization:
        `Bearer ${sessionStorage.getItem("kompas-token")}` } })).json()""", path)


def test_conjunction_table_filters_sorts_and_opens(page_for) -> None:
    page = page_for("ann")
    page.get_by_role("link", name="Conjunctions").click()
    rows = page.locator("#conjunctions tbody tr")
    page.wait_for_function("Number(document.querySelector('#conjunctions')?.dataset.loaded) > 0")
    total = _api(page, "/api/v1/conjunctions?limit=1")["total"]
    assert total >= 2 and page.locator("#conjunctions").get_attribute("data-total") == str(total)
    assert page.locator("#count").inner_text().endswith(f"of {total:,}".replace(",", "\u2009"))
    pcs = [r.split("\t")[4].strip() for r in rows.all_inner_texts()]
    computed = [0.0 if p.startswith("<") else float(p) for p in pcs if p != "-"]  # "< bound": a Monte Carlo 0
    assert computed and computed == sorted(computed, reverse=True)  # highest Pc first (the default)
    _after(page, "#conjunctions", lambda: page.get_by_label("Object (name or NORAD id)").fill("IRIDIUM"))
    assert rows.count() == 1 and "COSMOS 2251" in rows.first.inner_text()
    _after(page, "#conjunctions", lambda: page.get_by_label("Object (name or NORAD id)").fill(""))
    _after(page, "#conjunctions", lambda: page.get_by_label("Miss distance at most (km)").fill("1"))
    misses = [float(r.split("\t")[3]) for r in rows.all_inner_texts()]
    assert misses and all(m <= 1 for m in misses)
    _after(page, "#conjunctions", lambda: page.get_by_label("Miss distance at most (km)").fill(""))
    _after(page, "#conjunctions", lambda: page.get_by_role("button", name="Miss (km)").click())
    misses = [float(r.split("\t")[3]) for r in rows.all_inner_texts()]
    assert misses == sorted(misses) and len(misses) == min(total, 100)
    assert "sort=miss" in page.url  # the view is in the link
    _after(page, "#conjunctions", lambda: page.get_by_label("Owner", exact=True).fill("DLR"))  # TerraSAR-X and TanDEM-X
    assert rows.count() >= 1 and all("DLR" in r for r in rows.all_inner_texts())
    _after(page, "#conjunctions", lambda: page.get_by_label("Owner", exact=True).fill(""))
    _after(page, "#conjunctions", lambda: page.get_by_label("Pc at least").fill("1e-3"))
    assert all(float(r.split("\t")[4]) >= 1e-3 for r in rows.all_inner_texts() if "Nothing" not in r)
    _after(page, "#conjunctions", lambda: page.get_by_label("Pc at least").fill(""))
    bases = [r.split("\t")[5].strip() for r in rows.all_inner_texts()]  # the method behind each Pc (issue 19)
    assert set(bases) <= {"pc2d", "nc3d", "mc", ""} and "pc2d" in bases
    times = [r.split("\t")[0].strip() for r in rows.all_inner_texts()]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t) for t in times)  # UTC, ms
    shot(page, "conjunctions-ann")
    iridium = rows.filter(has_text="IRIDIUM")
    _after(page, "#conjunctions", lambda: page.get_by_label("Object (name or NORAD id)").fill("24946"))
    iridium.focus()
    page.keyboard.press("Enter")  # rows open from the keyboard too
    page.wait_for_url(re.compile(r".*#/conjunction/[\w-]+$"))
    page.get_by_text("radial (km)").wait_for()
    page.get_by_text(re.compile("Foster's 2D Pc|Hall's 3D Nc|two-body Monte Carlo")).first.wait_for()
    page.locator("#series canvas").first.wait_for()
    page.locator("#zoom canvas").first.wait_for()  # the seconds around TCA
    assert "2009-02-10T16:55:" in page.locator("main").inner_text()  # Iridium 33 / Cosmos 2251, to the ms
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download the CDM Kompas derived")).click()
    message = Path(download.value.path()).read_text()
    assert "CCSDS_CDM_VERS" in message and "COLLISION_PROBABILITY" in message and "000024946" in message
    shot(page, "conjunction-iridium-cosmos")


def test_paging_reaches_every_conjunction_with_true_totals(page_for) -> None:
    """Next and Previous walk the server's pages; the count says first-last of the true total; a TCA filter
    reaches conjunctions beyond the first page."""
    page = page_for("bob")
    page.goto(page.url.split("#")[0] + "#/conjunctions?sort=tca&rows=25")
    page.wait_for_function("Number(document.querySelector('#conjunctions')?.dataset.loaded) > 0")
    everything = []
    after = None
    while True:
        answer = _api(page, "/api/v1/conjunctions?sort=tca&limit=1000" + (f"&after={after}" if after else ""))
        everything += answer["items"]
        after = answer["next"]
        if not after:
            break
    assert len(everything) == answer["total"] > 50  # more than two pages of 25: paging is exercised
    rows = page.locator("#conjunctions tbody tr")
    first = rows.first.inner_text().split("\t")[0].strip()
    _after(page, "#conjunctions", lambda: page.get_by_role("button", name="Next").click())
    assert page.locator("#count").inner_text().startswith("26–50 of")
    assert rows.first.inner_text().split("\t")[0].strip() >= first
    _after(page, "#conjunctions", lambda: page.get_by_role("button", name="Previous").click())
    assert rows.first.inner_text().split("\t")[0].strip() == first
    last = everything[-1]["tca_utc"]  # the newest TCA: on the last page, reached by the filter
    _after(page, "#conjunctions", lambda: page.get_by_label("TCA from (UTC)").fill(last[:19]))
    times = [r.split("\t")[0].strip() for r in rows.all_inner_texts()]
    assert times and all(t >= last[:19] for t in times)
    shot(page, "conjunctions-last-page-bob")


def test_markings_decide_what_each_user_sees(page_for) -> None:
    """ann (NL, SECRET, sst) sees the Iridium-Cosmos conjunction and a SECRET banner; bob (FR, RESTRICTED) sees
    neither the conjunction nor those objects, and his banner never says SECRET."""
    ann, bob = page_for("ann"), page_for("bob")
    for page in (ann, bob):
        page.get_by_role("link", name="Conjunctions").click()
        page.locator("#conjunctions tbody tr").first.wait_for()
    assert ann.locator("#conjunctions tbody tr", has_text="IRIDIUM").count() == 1
    assert bob.locator("#conjunctions tbody tr", has_text="IRIDIUM").count() == 0
    ann.wait_for_function("document.getElementById('banner-top').dataset.classification === 'SECRET'")
    assert "REL TO NL" in ann.locator("#banner-top").inner_text()
    assert bob.locator("#banner-top").get_attribute("data-classification") != "SECRET"
    assert "SECRET" not in bob.locator("#banner-top").inner_text()
    bob.goto(bob.url.split("#")[0] + "#/object/24946")
    bob.get_by_text("No element set you may see").wait_for()
    shot(bob, "object-hidden-bob")


def test_object_page_plots_the_element_history(page_for, site) -> None:
    """With the history of the shared snapshots (when present), TerraSAR-X's page plots a, i and e over time."""
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "space"
    history = sorted(shared.glob("active_2026-04-*.tle"))[:6]
    if history:
        from kompas.core.markings import Marking

        lines = []
        for path in history:
            text = path.read_text().splitlines()
            k = next(i for i, line in enumerate(text) if line.startswith("1 31698"))
            lines += text[k - 1:k + 2]
        bob = site["store"].account("bob")
        site["store"].contribute_elements(bob, "\n".join(lines) + "\n", "tle", Marking.build(tlp="GREEN"), "history")
    page = page_for("bob")
    page.goto(page.url.split("#")[0] + "#/object/31698")
    page.get_by_role("heading", level=1).filter(has_text="TERRASAR-X").wait_for()
    if history:
        page.locator(".plots canvas").nth(2).wait_for()
    else:
        page.get_by_text("One element set you may see").wait_for()  # the shipped snapshot: one set per object
    identity = page.locator(".card").first.inner_text()
    assert "DE (DLR, dual-use)" in identity and "LEO: perigee 5" in identity  # TerraSAR-X flies at about 510 km
    assert "TANDEM-X" in page.locator("main").inner_text() or "36605" in page.locator("main").inner_text()
    shot(page, "object-terrasar-x")


def test_events_timeline_shows_the_evidence(page_for) -> None:
    page = page_for("bob")
    page.get_by_role("link", name="Events").click()
    rows = page.locator("#events tbody tr")
    page.wait_for_function("Number(document.querySelector('#events')?.dataset.loaded) > 0")
    times = [r.split("\t")[0].strip() for r in rows.all_inner_texts()]
    assert times == sorted(times, reverse=True)  # newest first
    assert page.locator("#events thead").inner_text().count("Severity") == 1
    _after(page, "#events", lambda: page.locator("select[name=kind]").select_option("proximity"))
    assert rows.count() == 1 and page.locator("#event-count").inner_text() == "1–1 of 1"
    rows.first.click()
    evidence = page.locator("#evidence")
    evidence.locator("dl").first.wait_for()
    assert "approach" in evidence.inner_text() and "{" not in evidence.inner_text()  # readable, not JSON
    assert page.locator("#timeline circle").count() == 1
    shot(page, "events-bob")


def test_report_download(page_for) -> None:
    """A report is asked for, runs as a job, and is offered for download when ready (with its marking)."""
    page = page_for("bob")
    page.get_by_role("link", name="Reports").click()
    page.locator("#progress-form").get_by_label("Format").select_option("html")
    page.locator("#progress-form").get_by_role("button", name="Generate").click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download commitments_2025-12-31.html").click(timeout=120_000)
    text = Path(download.value.path()).read_text()
    assert "Progress on the commitments, as of 2025-12-31" in text
    shot(page, "reports-bob")


def test_keyboard_navigation_and_labels(page_for) -> None:
    page = page_for("bob")
    page.get_by_role("link", name="Conjunctions").click()
    page.locator("#conjunctions tbody tr").first.wait_for()
    for control in page.locator("input, select").all():
        label = control.evaluate("el => (el.labels && el.labels.length) ? el.labels[0].innerText : "
                                 "el.getAttribute('aria-label')")
        assert label and label.strip(), control.evaluate("el => el.outerHTML")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in ("A", "INPUT", "BUTTON")


#: Run in the page from its first script on: every animation frame, every marking shown in a visible row or panel
#: (`.mark`) is compared with the banner; one ranked higher than the banner (or any, while the banner is still
#: neutral) is recorded, with the text and time. The banner's rank comes from its data-classification.
WATCH_MARKINGS = r"""
(() => {
  const RANK = { PENDING: -1, UNCLASSIFIED: 0, RESTRICTED: 1, CONFIDENTIAL: 2, SECRET: 3, TOP_SECRET: 4 };
  // an exercise item's banner begins "EXERCISE EXERCISE EXERCISE //": its classification is the part after it
  const rankOf = (text) => { const head = text.replace(/^\s*EXERCISE EXERCISE EXERCISE\s*\/\/\s*/, "").split("//")[0];
    return /TOP SECRET/.test(head) ? 4 : /SECRET/.test(head) ? 3 : /CONFIDENTIAL/.test(head) ? 2
      : /RESTRICTED/.test(head) ? 1 : 0; };
  window.__violations = [];
  window.__frames = 0;
  const check = () => {
    window.__frames += 1;
    const top = document.getElementById("banner-top");
    const bottom = document.getElementById("banner-bottom");
    if (top && bottom) {
      const banner = RANK[top.dataset.classification] ?? -1;
      for (const el of document.querySelectorAll(".mark")) {
        if (!el.offsetParent || getComputedStyle(el).visibility !== "visible") continue;
        const shown = rankOf(el.textContent);
        if (shown > banner) window.__violations.push(`${location.hash}: ${el.textContent} under ${top.textContent}`);
      }
      if (top.dataset.classification !== bottom.dataset.classification) window.__violations.push("banners differ");
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""


def _slow(page) -> None:  # noqa: ANN001
    """A slow network for this page: 400 ms latency, about 400 kbit/s down (Chromium's own throttling)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 400,
                                                  "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024})


def test_markings_first_for_two_users_on_a_slow_network(page_for) -> None:
    """On a throttled network, through every page: no marking is ever visible above the banner (checked every
    frame), the SECRET conjunction appears for ann only and only under a SECRET banner, bob's banner never says
    SECRET."""
    pages = {}
    for user in ("ann", "bob"):
        page = page_for(user)
        page.add_init_script(WATCH_MARKINGS)
        page.reload()
        page.wait_for_function("window.__frames > 0")
        _slow(page)
        pages[user] = page
    conjunction = None
    for user, page in pages.items():
        base = page.url.split("#")[0]
        for hash_ in ("#/conjunctions?object=IRIDIUM", "#/events", "#/object/24946", "#/objects?q=IRIDIUM", "#/globe",
                      "#/fimi", "#/map", "#/reports"):
            page.goto(base + hash_)
            page.wait_for_function("!document.querySelector('#view .pending')", timeout=60000)
            if hash_.startswith("#/conjunctions"):
                page.wait_for_function("Number(document.querySelector('#conjunctions')?.dataset.loaded) > 0")
                iridium = page.locator("#conjunctions tbody tr", has_text="IRIDIUM")
                if user == "ann":
                    assert iridium.count() == 1
                    assert page.locator("#banner-top").get_attribute("data-classification") == "SECRET"
                    conjunction = iridium.get_attribute("data-id")
                else:
                    assert iridium.count() == 0
            if hash_.startswith("#/objects"):
                page.wait_for_function("Number(document.querySelector('#objects')?.dataset.loaded) > 0")
                marks = page.locator("#objects tbody .mark").all_inner_texts()
                assert (user == "ann") == any(m.startswith("SECRET") for m in marks), (user, marks)
            shot(page, f"slow-{user}-{hash_[2:].split('?')[0].replace('/', '-')}")
        if user == "ann":
            page.goto(f"{base}#/conjunction/{conjunction}")
            page.locator("#series canvas").first.wait_for(timeout=60000)
            assert page.locator("#banner-bottom").get_attribute("data-classification") == "SECRET"
        assert page.evaluate("window.__violations") == []
        assert page.evaluate("window.__frames") > 50  # the watch ran throughout
    assert not [m for m in pages["bob"].locator(".mark").all_inner_texts() if "SECRET" in m.split("//")[0]]
    bob = pages["bob"]
    bob.goto(bob.url.split("#")[0] + f"#/conjunction/{conjunction}")
    bob.get_by_text("Could not load this page").wait_for(timeout=60000)  # 404 for bob: the same as not existing
    assert bob.locator("#banner-top").get_attribute("data-classification") != "SECRET"


def test_banners_stay_at_the_top_and_bottom_of_the_viewport(page_for) -> None:
    """On a page longer than the window, scrolled to its end: the banners are at the viewport's top and bottom
    edges and nothing is drawn under the lower one."""
    page = page_for("ann")
    page.get_by_role("link", name="Conjunctions").click()
    page.wait_for_function("Number(document.querySelector('#conjunctions')?.dataset.loaded) > 0")
    height = page.viewport_size["height"]
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * height  # a long page
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(200)
    top = page.locator("#banner-top").bounding_box()
    bottom = page.locator("#banner-bottom").bounding_box()
    assert top["y"] == 0 and abs(bottom["y"] + bottom["height"] - height) < 1
    under = page.evaluate(f"document.elementFromPoint(700, {height} - 4).id")
    assert under == "banner-bottom"
    last = page.locator(".pager").bounding_box()  # the end of the page is above the lower banner
    assert last["y"] + last["height"] <= bottom["y"]
    shot(page, "banners-scrolled-ann")


def test_globe_is_legible(page_for) -> None:
    """Names not ids, a legend, one marker per conjunction or event, labels that do not overlap, markers that open
    their item, and the total of objects with the rule that chose those drawn."""
    page = page_for("ann")
    page.wait_for_function("document.querySelector('#globe')?.__labels !== undefined")
    page.wait_for_timeout(600)
    assert page.locator(".legend").inner_text().count("protected asset") == 1
    header = page.locator("h1").inner_text()
    picture = _api(page, "/api/v1/picture")
    assert f"of {picture['total_objects']:,}".replace(",", "\u2009") in header and picture["total_objects"] > 600
    ids = [m["id"] for m in picture["markers"]]
    assert ids and len(ids) == len(set(ids))  # one marker per conjunction and event
    assert page.locator("#marker-list li").count() == len(ids)
    conjunction_labels = [m["label"] for m in picture["markers"] if m["kind"] == "conjunction"]
    assert conjunction_labels and all(" – " in x and " km" in x and not x.split(" – ")[0].isdigit()
                                      for x in conjunction_labels)  # names, not NORAD ids
    boxes = page.evaluate("document.querySelector('#globe').__labels.boxes().map((b) => [b.x, b.y, b.width, "
                          "b.height])")
    assert len(boxes) >= 3
    for k, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[k + 1:]:
            assert not (x < x2 + w2 and x2 < x + w and y < y2 + h2 and y2 < y + h), "labels overlap"
    shot(page, "globe-labels-ann")
    event = next(m for m in picture["markers"] if m["kind"] == "event")
    page.locator("#marker-list a", has_text=event["label"][:30]).first.click()
    page.wait_for_url(f"**/#/event/{event['id']}")
    page.locator("#evidence dl").first.wait_for()
    page.goto(page.url.split("#")[0] + "#/globe?set=all&limit=300")
    page.wait_for_function("document.querySelector('#globe')?.__drawn?.() > 0", timeout=60000)
    assert "freshest first" in page.locator("#rule").inner_text()
    assert "300 of" in page.locator("h1").inner_text()


def test_objects_page_searches_the_whole_catalogue(page_for) -> None:
    """The catalogue page: the true total, a search by name reaching an object far beyond the first page, the
    freshest element sets first on request, and each object's element-set age."""
    page = page_for("bob")
    page.get_by_role("link", name="Objects").click()
    page.wait_for_function("Number(document.querySelector('#objects')?.dataset.loaded) > 0")
    total = _api(page, "/api/v1/objects?limit=1")["total"]
    assert total > 600 and page.locator("#objects").get_attribute("data-total") == str(total)
    rows = page.locator("#objects tbody tr")
    first_ids = [int(r.split("\t")[0]) for r in rows.all_inner_texts()]
    assert first_ids == sorted(first_ids) and 57193 not in first_ids  # by NORAD id; SITRO-AIS 8 is far beyond
    _after(page, "#objects", lambda: page.get_by_label("NORAD id or name").fill("SITRO-AIS 8"))
    assert [r.split("\t")[1].strip() for r in rows.all_inner_texts()] == ["SITRO-AIS 8 (ANOKHIN)"]
    _after(page, "#objects", lambda: page.get_by_label("NORAD id or name").fill(""))
    _after(page, "#objects", lambda: page.get_by_role("button", name="Newest epoch (UTC)").click())
    epochs = [r.split("\t")[2].strip() for r in rows.all_inner_texts()]
    ages = [float(r.split("\t")[3]) for r in rows.all_inner_texts()]
    assert epochs == sorted(epochs, reverse=True) and ages == sorted(ages) and ages[0] == 0.0
    shot(page, "objects-bob")
