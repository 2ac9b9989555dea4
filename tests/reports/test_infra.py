"""The critical-infrastructure dependency report (issue 24): the page on a small network made here (sections, the
banner, the sources' attribution in the running footer, single points, stress tests, bad scenarios refused), then on
the real public data in ../shared (Finland's 11 cables and C-Lion1 as its single point to Germany, the EU's 175
cables and 75 without a supplier, the Baltic cases, the PDF with the banner and the attribution on every page), and
through the API as a job: a SECRET contribution raises the banner of the reader who may see it, and only theirs."""

from __future__ import annotations

import io
import json

import pytest

from kompas.infra.load import ATTRIBUTION
from kompas.infra.model import Building, Cable, Exchange, Landing, Link, Network
from kompas.infra.stress import Scenario
from kompas.reports import infra as report
from tests.core.conftest import db_url, engine, store  # noqa: F401 (pytest fixtures)
from tests.infra.conftest import need_shared

BANNER = "RESTREINT UE/EU RESTRICTED"
EU = frozenset({"FI", "EE", "SE", "DE", "FR"})


def _small() -> Network:
    """Finland with two cables to Estonia (one landing station), one to Sweden and one to Germany, Estlink-like HVDC
    links, and an exchange in one building; the sources as the public network names them."""
    n = Network()
    for lid, name, cc, lon, lat in [("hel", "Helsinki", "FI", 24.9, 60.2), ("tll", "Tallinn", "EE", 24.7, 59.4),
                                    ("sth", "Stockholm", "SE", 18.1, 59.3), ("ros", "Rostock", "DE", 12.1, 54.1)]:
        n.add(Landing(lid, name, cc, lon, lat))
    n.add(Cable("fee1", "FEE-1", ("hel", "tll"), ("EE", "FI"), owners=("Elisa",), suppliers=("ASN",)))
    n.add(Cable("fee2", "FEE-2", ("hel", "tll"), ("EE", "FI"), owners=("Telia",)))
    n.add(Cable("fse", "FSE", ("hel", "sth"), ("FI", "SE"), owners=("Telia",), suppliers=("HMN Tech",)))
    n.add(Cable("lion", "Lion", ("hel", "ros"), ("DE", "FI"), owners=("Cinia",), suppliers=("ASN",)))
    n.add(Link("el1", "Link One", "hvdc", ("FI", "EE"), 350.0))
    n.add(Link("el2", "Link Two", "hvdc", ("FI", "EE"), 650.0))
    n.add(Building("b1", "Data Hall 1", "Helsinki", "FI", 24.9, 60.2, ("x1",)))
    n.add(Exchange("x1", "HEL-IX", "Helsinki", "FI", ("b1",)))
    n.sources += [{"key": k, "path": "-", "attribution": ATTRIBUTION[k]} for k in ("cables", "hvdc", "exchanges")]
    return n


@pytest.fixture(scope="module")
def small() -> dict:
    cases = [report.Case("lion", "Lion cut", Scenario(remove=("Lion",)), ("FI",), "the Lion cable lost"),
             report.Case("unknown", "Unknown", Scenario(remove=("Nope",)))]
    context = report.gather(_small(), ("FI",), cases, home={"ASN": "FR", "HMN Tech": "CN"}, eu=EU,
                            like_minded=frozenset({"US"}))
    return {"context": context, "page": report.build(context, BANNER, "REL TO EU", "2026-12-01")}


def test_the_small_network_page(small: dict) -> None:
    page, context = small["page"], small["context"]
    assert page.count(BANNER) >= 4  # top and bottom of the page, print header and the running footer
    footer = page.split("<div class='pagefoot'>", 1)[1].split("</p></div>", 1)[0]
    for text in (ATTRIBUTION["cables"], ATTRIBUTION["hvdc"], ATTRIBUTION["exchanges"], report.NONCOMMERCIAL,
                 "drawn, not surveyed"):
        assert report.esc(text) in footer, text
    assert "position: running(pagefoot)" in page and "element(pagefoot)" in page
    coverage = context["eu"]["coverage"]
    assert (coverage["cables"], coverage["without_supplier"]) == (4, 1)  # FEE-2 records no supplier
    assert context["eu"]["suppliers"]["shares"] == {"ASN": 66.67, "HMN Tech": 33.33}
    assert context["eu"]["suppliers"]["groups"]["other"] == pytest.approx(33.33)
    fi = context["countries"][0]
    assert fi["cables"]["neighbours"] == {"EE": 2, "DE": 1, "SE": 1}
    points = {p["name"]: p["reasons"] for p in fi["single_points"]}
    assert "Lion" in points and "FSE" in points and "Data Hall 1" in points  # the only FI-DE, FI-SE; the exchange
    assert "Helsinki" in points and "FEE-1" not in points  # every cable lands in Helsinki; FEE-1 has FEE-2 beside it
    assert "65% of FI-EE HVDC capacity (1000 → 350 MW)" in page  # Link Two, over the share of 50%
    lion, unknown = context["stress"]
    assert [(r["from_country"], r["to_country"], r["before"], r["after"]) for r in lion["result"]["rows"]] == [
        ("FI", "DE", 1.0, 0.0)]
    # Germany's only cable: DE is cut off from FI, EE and SE; a report on FI shows FI's pair, and says it left 2 out
    assert [(d["from_country"], d["to_country"]) for d in lion["result"]["disconnected"]] == [("DE", "FI")]
    assert lion["result"]["hidden"] == {"rows": 0, "disconnected": 2, "exchanges_cut": 0}
    assert "<b>1 country pair can no longer reach each other</b>: DE-FI (telecom)" in page
    assert "Left out: 0 rows and 2 disconnected pairs between countries outside this report." in page
    assert "Not run: no element is named &#x27;Nope&#x27;" in page
    for heading in ("1. The EU picture", "Finland (FI)", "3. Stress tests", "1. Lion cut", "2. Unknown",
                    "4. The Baltic elements ranked by damage", "5. The cable map in 2021 and 2022",
                    "6. Sources, licences and caveats"):
        assert heading in page, heading
    assert "Not compared: a vintage of the cable map is not at hand." in page


def test_reasons_are_summed_up() -> None:
    many = [f"LT and {c} can no longer reach each other (telecom)" for c in ("AE", "AG", "AL", "AO", "AR")]
    assert report.reasons(many, "LT") == ["LT can no longer reach 5 countries by any telecom route on the map"]
    assert report.reasons(many[:2] + ["62% of FI-SE hvdc_mw (1300 -> 500 MW)"], "LT") == [
        "LT can no longer reach 2 countries by any telecom route on the map: AE, AG",
        "62% of FI-SE HVDC (1300 → 500 MW)"]


@pytest.mark.parametrize("spec,reason", [
    ({}, "removes nothing"),
    ({"remove": ["x"], "avoid": ["Narnia"]}, "is not a country"),
    ({"area": {"type": "LineString", "coordinates": [[24, 60], [25, 60]]}}, "needs a buffer"),
    ({"remove": ["x"], "buffer_km": 5}, "buffer_km needs an area"),
    ({"area": {"type": "Polygon", "coordinates": [[[0, 0]] * (report.MAX_AREA_CHARS // 6)]}}, "larger than"),
    ({"remove": "C-Lion1"}, "must be a list"),
    ({"area": {"type": "LineString", "coordinates": [[24, 60]]}, "buffer_km": 5}, "malformed"),
])
def test_bad_scenarios_say_why(spec: dict, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        report.case_from(spec, 3)


def test_scenarios_and_countries_from_their_json_form() -> None:
    case = report.case_from({"title": "Track", "area": {"type": "LineString", "coordinates": [[24, 60], [25, 60]]},
                             "buffer_km": 5, "avoid": ["ru"], "owners": ["Cinia Oy"]})
    assert case.title == "Track" and case.scenario.avoid == ("RU",) and case.scenario.owners == ("Cinia Oy",)
    assert case.scenario.area is not None and case.scenario.area.buffer_km == 5
    assert [c.title[:13] for c in report.cases_from(None)] == ["November 2024", "25 December 2"]
    assert report.cases_from([]) == []
    with pytest.raises(ValueError, match="at most 8"):
        report.cases_from([{"remove": ["x"]}] * 9)
    assert report.report_countries(["fi", "Estonia", "FI"], EU) == ("FI", "EE")
    assert report.report_countries([], EU) == ("DE", "EE", "FI", "FR", "SE")
    with pytest.raises(ValueError, match="'XX' is not a country"):
        report.report_countries(["XX"], EU)


# --- the real data (../shared) ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> dict:
    """The report on the public network for Finland, Estonia and Lithuania with the Baltic cases, as HTML and PDF
    (each rendered once)."""
    need_shared("cables_2022")
    from kompas.infra import load
    from kompas.services.reports import render

    eu, like = load.country_groups()
    network = load.public_network()
    context = report.gather(network, ("FI", "EE", "LT"), None, load.cable_vintage("2021"),
                            load.cable_vintage("2022"), home=load.supplier_homes(), eu=eu, like_minded=like)
    page = report.build(context, BANNER, "", "2026-12-01")
    from kompas.core.markings import Marking

    pdf = render(page, "pdf", "infra", Marking.build("RESTRICTED", "CLEAR")).content
    return {"context": context, "page": page, "pdf": pdf}


@pytest.mark.shared
def test_against_the_references_finland_and_the_eu(real: dict) -> None:
    """Finland's 11 cables land also in Sweden (6), Estonia (4), Germany (1) and Russia (1); C-Lion1 is its only
    cable to Germany; 175 cables land in the EU, 75 with no supplier recorded (PROVENANCE.md; exact)."""
    context, page = real["context"], real["page"]
    fi = next(a for a in context["countries"] if a["country"] == "FI")
    assert fi["cables"]["international"] == 11 and fi["cables"]["neighbours"] == {"SE": 6, "EE": 4, "DE": 1, "RU": 1}
    lion = next(p for p in fi["single_points"] if p["name"] == "C-Lion1")
    assert lion["reasons"] == ["the only direct cable between FI and DE"]
    section = page.split("<section class='country compact' id='c-FI'>", 1)[1].split("</section>", 1)[0]
    assert "<td>11 (0 domestic)</td>" in section and "<td>4 countries</td>" in section
    assert "<tr><td>C-Lion1</td><td>cable</td><td>the only direct cable between FI and DE</td></tr>" in section
    assert "<td>DE Germany</td><td class=\"n\">1</td>" in section
    coverage = context["eu"]["coverage"]
    assert (coverage["cables"], coverage["without_supplier"]) == (175, 75)
    assert "<b>175 submarine cables</b>" in page and "<b>75 of them (43%) have no supplier recorded</b>" in page
    lion_row = next(p for p in context["eu"]["single_points"] if p["name"] == "C-Lion1")
    assert lion_row["countries"] == ["FI"]  # Germany is not covered by this report


@pytest.mark.shared
def test_the_baltic_cases(real: dict) -> None:
    """November 2024: without C-Lion1 Finland reaches Germany only through Sweden, Estonia (exits) or Denmark
    (transit), never through Russia; Eagle S: the corridor takes Estlink 2 and the Finland-Estonia cables, the HVDC
    rows are published ratings (Estlink 350 + Estlink 2 650 MW)."""
    november, eagle = real["context"]["stress"]
    rows = {(r["from_country"], r["to_country"], r["kind"]): (r["before"], r["after"])
            for r in november["result"]["rows"]}
    assert rows == {("FI", "DE", "cables"): (1.0, 0.0), ("LT", "SE", "cables"): (1.0, 0.0)}
    fi_de = november["result"]["alternatives"]["FI-DE"]
    assert fi_de["exits"] == ["EE", "SE"] and "DK" in fi_de["transit"] and "RU" not in json.dumps(fi_de)
    removed = {x["name"] for x in eagle["result"]["removed"]}
    assert {"Estlink 2", "Finland Estonia Connection (FEC)", "Finland-Estonia 2 (EESF-2)"} <= removed
    assert "Estlink" not in removed  # Estlink 1 was not damaged; the illustrative track ends east of it
    eagle_rows = {(r["from_country"], r["to_country"], r["kind"]): (r["before"], r["after"])
                  for r in eagle["result"]["rows"]}
    assert eagle_rows[("FI", "EE", "hvdc_mw")] == (1000.0, 350.0) and eagle_rows[("FI", "EE", "cables")] == (4.0, 1.0)
    assert eagle["result"]["caveats"][0].startswith("Cable routes on the public map are drawn, not surveyed")
    ranking = real["context"]["ranking"]
    assert ranking and ranking[0]["name"] == "Sventoji, Lithuania"  # Lithuania's only landing station
    vintages = real["context"]["vintages"]["counts"]
    # EU cables, 2021 -> 2022: 23 ids only on the new map and 6 only on the old one, four of them renamed
    assert (vintages["added"], vintages["retired"], vintages["renamed"], vintages["new"]) == (19, 2, 4, 175)


@pytest.mark.shared
def test_the_pdf_carries_the_banner_and_the_attribution_on_every_page(real: dict) -> None:
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(io.BytesIO(real["pdf"])).pages
    assert len(pages) >= 5
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        assert text.count(BANNER) >= 2, number  # header and running footer
        assert f"page {number} of {len(pages)}" in text, number
        for part in ("TeleGeography, Submarine Cable Map", "CC BY-NC-SA 3.0, non-commercial use only",
                     "Internet Exchange Map (2020)", "PyPSA-Eur Authors, CC-BY-4.0",
                     "unofficial, not endorsed by ENTSO-E", "drawn, not surveyed", "city-level"):
            assert part in text, (number, part)
    assert any(len(page.images) >= 1 for page in pages)  # the neighbour charts
    first_fi = next(k for k, page in enumerate(pages) if "Finland (FI)" in page.extract_text())
    assert "C-Lion1" in pages[first_fi].extract_text() + pages[first_fi + 1].extract_text()


# --- as a job through the API ----------------------------------------------------------------------------------------

BALTICCONNECTOR = ("kind,id,name,countries,link_kind,capacity,unit,year,lon,lat,lon2,lat2\n"
                   "link,balticconnector,Balticconnector,FI;EE,pipeline,72,GWh/d,2019,24.3,60.0,24.1,59.4\n")


def test_a_secret_contribution_raises_the_banner_of_who_may_see_it(store) -> None:  # noqa: F811 (fixture)
    """FI-NSA contributes a pipeline under SECRET; its SECRET analyst's report shows it and is marked SECRET, a
    RESTRICTED reader's report neither shows it nor is marked above the public data."""
    from fastapi.testclient import TestClient

    from kompas.api.app import create_app
    from kompas.core import jobqueue
    from kompas.core.markings import Marking
    from kompas.services.infra import contribute
    from kompas.services.reports import RUNNERS

    store.add_org("FI-NSA", "FI")
    store.add_org("FR-ANSSI", "FR")
    headers = {"ann": {"Authorization": "Bearer " + store.add_user("ann", "FI-NSA", "SECRET")},
               "bob": {"Authorization": "Bearer " + store.add_user("bob", "FR-ANSSI", "RESTRICTED")}}
    done = contribute(store, store.account("ann"), BALTICCONNECTOR, "gas.csv",
                      Marking.build("SECRET", "AMBER", originator="FI-NSA"))
    assert done["added"] == ["link:balticconnector"] and done["rejected"] == []
    client = TestClient(create_app(store.engine), raise_server_exceptions=False)
    body = {"countries": ["FI"], "scenarios": [{"title": "Gulf of Finland gas", "remove": ["Balticconnector"]}],
            "format": "html"}
    texts = {}
    for who in ("ann", "bob"):
        queued = client.post("/api/v1/reports/infra", headers=headers[who], json=body)
        assert queued.status_code == 202, queued.text
        jobqueue.run_pending(store, RUNNERS)
        job = client.get(queued.json()["href"], headers=headers[who]).json()
        assert job["status"] == "done", job
        texts[who] = (job["marking"], client.get(job["file"], headers=headers[who]).text)
    marking, text = texts["ann"]
    assert marking["classification"] == "SECRET" and "SECRET" in text.split("</div>")[0]
    assert "Balticconnector" in text and "pipeline GWh/d" in text and "contributed: FI-NSA" in text
    marking, text = texts["bob"]
    assert marking["classification"] == "UNCLASSIFIED" and "SECRET" not in text
    assert "pipeline GWh/d" not in text and "FI-NSA" not in text  # the name is only where bob wrote it:
    assert text.count("Balticconnector") == text.count("remove Balticconnector") + text.count(
        "named &#x27;Balticconnector&#x27;") == 2
    assert "Not run: no element is named &#x27;Balticconnector&#x27;" in text


@pytest.mark.parametrize("body,reason", [
    ({"countries": ["XX"]}, "'XX' is not a country"),
    ({"countries": ["FIN"]}, "string_pattern_mismatch"),
    ({"scenarios": [{"title": "nothing"}]}, "removes nothing"),
    ({"scenarios": [{"area": {"type": "Point", "coordinates": [24, 60]}}]}, "area"),
    ({"scenarios": [{"remove": ["x"]}] * 9}, "too_long"),
    ({"scenarios": [{"remove": ["x"], "buffer_km": 600}]}, "less_than_equal"),
])
def test_bad_report_bodies_are_refused(store, body: dict, reason: str) -> None:  # noqa: F811 (fixture)
    from fastapi.testclient import TestClient

    from kompas.api.app import create_app

    store.add_org("FI-NSA", "FI")
    who = {"Authorization": "Bearer " + store.add_user("ann", "FI-NSA", "SECRET")}
    response = TestClient(create_app(store.engine)).post("/api/v1/reports/infra", headers=who, json=body)
    assert response.status_code == 422 and reason in response.text, response.text
