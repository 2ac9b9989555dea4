"""The reports page in a real browser (Debian's headless Chromium, Playwright): the four reports (space threat
landscape, commitments progress, FIMI threat report, the Observatory's critical technologies) asked for at once,
run as jobs by the server's worker, each offered for download with its file name and marking when ready; a refused
request says why; a report reading a SECRET contribution is marked SECRET on the page, which raises the banner; the
jobs of the tab are followed again after the user comes back to the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kompas.core.markings import Marking

from .conftest import shot

pytestmark = pytest.mark.slow

SECRET_SUPPLY = """input_id,input_name,input_kind,provider,provider_kind,country,share_pct,year,source,goes_into
kx-ge,Kompas test germanium,raw_material,China,country,,83,2024,NL survey,
kx-ge,Kompas test germanium,raw_material,Belgium,country,,17,2024,NL survey,
"""
READY_S = 300  # a guard against a hang, not a time limit on a report (the worker runs them one after another)


@pytest.fixture(scope="module")
def reports_data(site: dict) -> None:
    """FIMI incidents of June 2024 contributed by bob's agency (TLP:GREEN, open to both users) and a supply-chain
    survey contributed by ann as SECRET REL TO NL (need-to-know sst), read by her Observatory report only."""
    from kompas.services import fimi as service

    store = site["store"]
    ann, bob = store.account("ann"), store.account("bob")
    incidents = [{"ref": f"kompas-report-test-{k}", "title": f"Claim {k}: Lithuania prepares a provocation with tanks",
                  "first_seen": f"2024-06-{10 + k % 4:02d}", "targets": [{"name": "Lithuania"}],
                  "languages": ["Russian"], "channels": [{"name": f"outlet {k % 3}",
                                                          "category": "state-controlled-outlet"}],
                  "techniques": ["T0022"], "evidence": [{"url": f"https://example.org/report-test/{k}"}]}
                 for k in range(12)]
    assert service.submit(store, bob, incidents, Marking.build(tlp="GREEN"), "test").added == 12
    secret = Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO")
    done = store.contribute_document(ann, SECRET_SUPPLY, "supply-csv", "NL germanium survey", secret, "test")
    assert not done.rejected


def open_reports(page):  # noqa: ANN001, ANN201
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/#/reports")
    page.locator("#threat-form").wait_for()
    return page


def generate(page, form: str, fields: dict[str, str], fmt: str = "html") -> None:  # noqa: ANN001
    box = page.locator(form)
    for label, value in fields.items():
        box.get_by_label(label, exact=True).fill(value)
    box.get_by_label("Format", exact=True).select_option(fmt)
    box.get_by_role("button", name="Generate").click()


def wait_ready(page, rows: int) -> None:  # noqa: ANN001
    page.wait_for_function(f"document.querySelectorAll('#jobs tbody tr').length === {rows} && [...document"
                           ".querySelectorAll('#jobs tbody .job-status')].every((c) => /^(Ready|Failed|Refused)/"
                           ".test(c.textContent))", timeout=READY_S * 1000)


def test_the_four_reports_run_as_jobs_and_download_when_ready(page_for, reports_data) -> None:
    page = open_reports(page_for("bob"))
    generate(page, "#threat-form", {"From (UTC day)": "2026-05-01", "To (UTC day, included)": "2026-05-07"})
    generate(page, "#progress-form", {"As of (UTC day)": "2025-12-31"})
    generate(page, "#fimi-form", {"From (UTC day)": "2024-01-01", "Until (UTC day, excluded)": "2025-01-01"})
    generate(page, "#observatory-form", {})
    rows = page.locator("#jobs tbody tr")
    assert rows.count() == 4  # several at once, each with its own status line
    statuses = page.locator("#jobs tbody .job-status").all_inner_texts()
    assert all(re.match(r"(Submitting|Queued|Running|Ready)", s) for s in statuses), statuses
    wait_ready(page, 4)
    expected = {"Space threat landscape": ("threat-landscape_2026-05-01_2026-05-07.html",
                                           "Space threat landscape", "RESTREINT UE/EU RESTRICTED"),
                "Commitments progress": ("commitments_2025-12-31.html",
                                         "Progress on the commitments, as of 2025-12-31", "UNCLASSIFIED // TLP:CLEAR"),
                "FIMI threat report": ("fimi_2024-01-01_2025-01-01.html", "FIMI threat report",
                                       "UNCLASSIFIED // TLP:GREEN"),
                "Critical technologies (Observatory)": ("observatory.html",
                                                        "Critical technologies and strategic dependencies",
                                                        "UNCLASSIFIED // TLP:CLEAR")}
    seen = set()
    for row in rows.all():
        report = row.locator("td").first.inner_text()
        filename, heading, banner = expected[report]
        assert row.locator(".job-status").inner_text() == "Ready"
        marking = row.locator(".job-file .mark").inner_text()
        assert marking.startswith(banner), (report, marking)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", row.locator(".time").inner_text())
        with page.expect_download() as download:
            row.get_by_role("button", name=f"Download {filename}").click()
        assert download.value.suggested_filename == filename
        text = Path(download.value.path()).read_text()
        assert heading in text and marking in text  # the file carries the marking the page showed
        seen.add(report)
    assert seen == set(expected)
    assert "SECRET" not in page.locator("#banner-top").inner_text()
    # the banner covers the files offered: the threat landscape is RESTRICTED
    assert page.locator("#banner-top").get_attribute("data-classification") == "RESTRICTED"
    page.locator("#jobs").scroll_into_view_if_needed()
    shot(page, "reports-jobs-bob")


def test_a_refused_request_says_why(page_for, reports_data) -> None:
    """The server refuses a two-year landscape (422) and the row says why. The first attempt is answered 429 (the
    server busy, as its rate limiter does): the page waits the Retry-After and asks again, it does not give up."""
    page = open_reports(page_for("bob"))
    busy = []

    def first_busy(route) -> None:  # noqa: ANN001
        if not busy:
            busy.append(route.request.method)
            route.fulfill(status=429, headers={"Retry-After": "1"}, json={"detail": "too many requests"})
        else:
            route.continue_()

    page.route("**/api/v1/reports/threat-landscape", first_busy)
    generate(page, "#threat-form", {"From (UTC day)": "2024-01-01", "To (UTC day, included)": "2026-01-01"})
    # its own row (by what was asked), followed until the server's answer is shown
    state = page.locator("#jobs tbody tr", has_text="2024-01-01 to 2026-01-01").locator(".job-status")
    try:
        state.filter(has_text="Refused").wait_for(timeout=READY_S * 1000)
    except Exception as error:  # say what the page showed instead
        raise AssertionError(f"at {page.url}, rows: {page.locator('#jobs tbody tr').all_inner_texts()}, page: "
                             f"{page.locator('#view').inner_text()[:500]!r}") from error
    assert busy == ["POST"]
    assert "366 days" in state.inner_text() and "429" not in state.inner_text()
    # a day not in ISO form is stopped by the form itself
    page.locator("#progress-form").get_by_label("As of (UTC day)", exact=True).fill("31/12/2025")
    page.locator("#progress-form").get_by_role("button", name="Generate").click()
    assert page.locator("#jobs tbody tr").count() == 1


def test_a_report_on_secret_data_is_marked_so_and_followed_after_leaving(page_for, reports_data) -> None:
    """ann's Observatory report reads her SECRET survey: the page shows the file as SECRET and the banner rises;
    she leaves the page and comes back, and the job is still there to download. bob's report of the same kind
    stays UNCLASSIFIED and does not hold the survey."""
    ann, bob = open_reports(page_for("ann")), open_reports(page_for("bob"))
    for page in (ann, bob):
        generate(page, "#observatory-form", {})
    ann.locator("#jobs tbody .job-status").filter(has_text=re.compile("Queued|Running|Ready")).wait_for()
    ann.get_by_role("link", name="Conjunctions").click()
    ann.wait_for_url("**/#/conjunctions*")
    open_reports(ann)
    for page in (ann, bob):
        wait_ready(page, 1)
    mark = ann.locator("#jobs tbody tr .job-file .mark")
    assert mark.inner_text().startswith("SECRET UE/EU SECRET // REL TO NL")
    assert ann.locator("#banner-top").get_attribute("data-classification") == "SECRET"
    assert bob.locator("#jobs tbody tr .job-file .mark").inner_text() == "UNCLASSIFIED // TLP:CLEAR"
    assert "SECRET" not in bob.locator("#banner-top").inner_text()
    texts = {}
    for who, page in (("ann", ann), ("bob", bob)):
        with page.expect_download() as download:
            page.get_by_role("button", name="Download observatory.html").click()
        texts[who] = Path(download.value.path()).read_text()
    assert "Kompas test germanium" in texts["ann"] and "SECRET UE/EU SECRET" in texts["ann"]
    assert "Kompas test germanium" not in texts["bob"]
    ann.locator("#jobs").scroll_into_view_if_needed()
    shot(ann, "reports-jobs-ann")
