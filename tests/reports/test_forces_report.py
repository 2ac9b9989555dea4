"""The forces report (issue 28, items 5 and 6): the annual capability review for the defence ministers' meeting the
Strategic Compass describes, banner-marked.

- The shipped ILLUSTRATIVE example set: the PDF carries the banner at the top and bottom of every page and
  "ILLUSTRATIVE" on every page; its headline figures are those of :func:`kompas.services.forces.review` for the same
  editions and case (exactly, as the report writes them: thousands separated, coverage to 0.1%); the gap table's
  severities, the force generated for the RDC scenario, every assumed figure and every source URL are on the page.
- On the platform: register documents contributed in the example set's JSON format under different markings. The
  banner is the combination of the markings of the documents the reader may see; a reader who may not see the SECRET
  document gets neither its content nor its marking; ``within`` leaves out what the chosen marking does not cover.
- Rotations and the civilian deployment (sections 6 and 7): their figures on the page are those of
  :func:`kompas.services.forces.rotations` (the case's longest military scenario held for 24 months from 1 March of
  the latest edition's year, decided two months before) and :func:`kompas.services.forces.deploy` (the case's
  civilian scenario, 5,000 runs, seed 0), each called independently here; the Helsinki reference is
  :func:`kompas.services.forces.sustainment`'s 180,000 and 120,000 (exact closed forms for the published "around
  180,000"); their markings are part of the banner.
- The report is a job through the API (202, then done) and a command (``kompas forces report``)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kompas.core.markings import Marking, combine
from kompas.reports import forces as page_of
from kompas.services import forces as service
from kompas.services import forces_report
from kompas.services.reports import banner_for, render

PUBLIC = "UNCLASSIFIED // TLP:CLEAR"
GREEN_FR = Marking.build("UNCLASSIFIED", "GREEN", None, [], "FR-EMA")
AMBER_FR = Marking.build("UNCLASSIFIED", "AMBER", None, [], "FR-EMA")
SECRET_DE = Marking.build("SECRET", "AMBER", None, ["rdc-core"], "DE-MOD")
SECRET_NAME = "Sondergruppe Nachtigall"  #: an element only the SECRET document holds


def _text(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities and spacing normalised)."""
    import html as entities

    inline = re.sub(r"</?(b|i|span|code)\b[^>]*>", "", html)
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def _expected_headline(h: dict[str, Any]) -> list[str]:
    """The headline figures ``h`` (a review's ``headline``, or as the civilian deployment leaves it:
    :func:`kompas.services.forces_report.deployed_headline`) as the report must write them (label, then value)."""
    sev = h["gaps_by_severity"]
    return [f"capabilities required {h['capabilities_required']}",
            f"capabilities met {h['capabilities_met']} of {h['capabilities_required']}",
            f"gaps by severity critical {sev['critical']}, partial {sev['partial']}, not in time {sev['readiness']}",
            f"coverage in quantity {h['units_covered']:,} of {h['units_required_total']:,} units "
            f"({100 * h['quantity_coverage']:.1f}%)",
            f"coverage in readiness {h['units_covered_ready']:,} of {h['units_required']:,} units in time "
            f"({100 * h['readiness_coverage']:.1f}%)",
            f"nations offering a required capability {h['nations']}"]


# -- the illustrative example set ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    """The report on the example set for the default case, built once as HTML (and the review it must agree with,
    computed independently through the service)."""
    analysis = forces_report.analyse(None, None, example=True)
    banner = banner_for(analysis.marking)
    review = service.review(service.views(None, None, example=True), forces_report.DEFAULT_CASE)
    return {"analysis": analysis, "banner": banner, "page": page_of.build(analysis, banner), "review": review}


def test_the_example_report_agrees_with_the_review(example: dict[str, Any]) -> None:
    analysis, review, html = example["analysis"], example["review"], example["page"]
    assert example["banner"] == PUBLIC and analysis.marking.banner() == PUBLIC
    assert analysis.example and analysis.illustrative and analysis.documents == []
    assert analysis.editions == review["editions"] and len(review["editions"]) >= 2
    assert analysis.review["headline"] == review["headline"] and review["headline"]["capabilities_required"] > 0
    text = _text(html)
    military = [g for g in review["gaps"] if not g["civilian"]]
    lines = _expected_headline(review["headline"])
    for line in (lines[0], lines[3], lines[5]):
        assert line in text, line  # met, severities and readiness: the civilian deployment's (next test)
    assert html.count(f'<div class="banner">{PUBLIC}</div>') == 2  # top and bottom of the page
    assert "(ILLUSTRATIVE)</h1>" in html and "class='ill-box'" in html
    assert "Not any member state's offer" in text and "the register is the shipped example set" in text.lower()
    assert "No open data exists on national offers" in text
    assert "up to 5,000 troops" in text and "200 experts within 30 days" in text  # the public facts, with sources
    # the gap table: one severity cell per required capability, coloured by its severity (the military rows the
    # review's; the civilian ones, met by notice days, not in time: the deployment misses its deadline)
    severities = [g["severity"] for g in military] + ["readiness"] * (len(review["gaps"]) - len(military))
    assert military and len(military) < len(review["gaps"])
    for severity in ("none", "readiness", "partial", "critical"):
        assert html.count(f"class='sev sev-{severity}'") == severities.count(severity), severity
    # trends: one change per pair of editions, gaps closed named
    change = review["trends"]["changes"][-1]
    assert f"{change['before']} → {change['after']} {', '.join(change['closed']) or 'none'}" in text


def _row(html: str, capability: str) -> str:
    """The gap table's row of ``capability`` (its HTML)."""
    found = re.search(rf"<tr><td>{re.escape(capability)}</td>.*?</tr>", html.split("3. Capability gaps")[1])
    assert found, capability
    return found.group(0)


def test_the_civilian_profiles_carry_the_deployment_verdict(example: dict[str, Any]) -> None:
    """The review counts the civilian profiles met (offered, ready by their notice days) while the deployment plan
    of section 7 misses day 30: the headline and the gap table must say the plan's verdict, not "all met"."""
    analysis, review, html = example["analysis"], example["review"], example["page"]
    text = _text(html)
    deployed = analysis.deployment
    assert deployed is not None
    plan, sim = deployed["plan"], deployed["simulation"]
    deadline, day = plan["mission"]["deadline_days"], plan["completion_day"]
    assert deadline == 30 and not plan["feasible"] and day > deadline  # the example set misses day 30
    h = review["headline"]
    civilian = [g for g in review["gaps"] if g["civilian"]]
    assert len(civilian) == len(plan["mission"]["needs"]) == 11
    assert all(g["severity"] == "none" and g["covered_ready"] == g["required"] for g in civilian)  # by notice days
    assert h["capabilities_met"] == h["capabilities_required"]  # the review: all met
    by_deadline = next(t["in_theatre"] for t in plan["timeline"] if t["day"] == deadline)
    on_time = {p: sum(1 for x in plan["selected"] if x["profile"] == p and x["in_theatre_day"] <= deadline)
               for p in plan["mission"]["needs"]}
    assert sum(on_time.values()) == by_deadline
    met = h["capabilities_met"] - len(civilian)
    ready = h["units_covered_ready"] - sum(g["covered_ready"] for g in civilian) + by_deadline
    assert (f"capabilities met {met} of {h['capabilities_required']} ({len(civilian)} civilian profiles are offered "
            "in quantity and by their notice days, but the deployment plan does not have them in theatre") in text
    assert f"capabilities met {h['capabilities_required']} of" not in text
    assert f"not in time {h['gaps_by_severity']['readiness'] + len(civilian)}" in text
    assert (f"coverage in readiness {ready:,} of {h['units_required']:,} units in time "
            f"({_pct(ready / h['units_required'])})") in text
    assert (f"civilian deployment, civilian-200-in-30 misses the deadline of day 30 for 200 experts: plan day "
            f"{day:g}; P(in time) {_pct(sim['probability'])}") in text
    assert f"{h['edition']}: {met} of {h['capabilities_required']} capabilities the case requires are met" in text
    for g in civilian:
        need = plan["mission"]["needs"][g["capability"]]["count"]
        row = _row(html, g["capability"])
        assert "class='sev sev-readiness'>not in time<" in row, row
        assert (f"class='verdict bad'>misses day 30: plan day {day:g}, {on_time[g['capability']]}/{need} by then, "
                f"P {100 * sim['probability']:.1f}%<") in row, row
    for g in (g for g in review["gaps"] if not g["civilian"]):
        assert "misses day" not in _row(html, g["capability"])
    # the figures the page shows are those of deployed_headline / deployed_gaps
    got = forces_report.deployed_headline(analysis)
    assert (got["capabilities_met"], got["units_covered_ready"]) == (met, ready)
    assert got["late_profiles"] == sorted(g["capability"] for g in civilian)


def test_a_deployment_in_time_leaves_the_civilian_profiles_met(example: dict[str, Any]) -> None:
    """The same analysis with a plan that meets day 30 (every expert in theatre on day 24.5, P 90%): the review's
    figures stand and the civilian rows say "meets"."""
    import copy

    analysis = copy.deepcopy(example["analysis"])
    assert analysis.deployment is not None
    plan = analysis.deployment["plan"]
    plan.update(feasible=True, completion_day=24.5)
    for x in plan["selected"]:
        x["in_theatre_day"] = 24.5
    analysis.deployment["simulation"]["probability"] = 0.9
    review = example["review"]
    gaps = forces_report.deployed_gaps(analysis)
    assert [(g["capability"], g["severity"], g["covered_ready"]) for g in gaps] == [
        (g["capability"], g["severity"], g["covered_ready"]) for g in review["gaps"]]
    civilian = [g for g in gaps if g["civilian"]]
    needs = plan["mission"]["needs"]
    assert civilian and all(g["deployment"]["text"] == f"meets day 30: plan day 24.5, {needs[g['capability']]['count']}"
                            f"/{needs[g['capability']]['count']} by then, P 90.0%" for g in civilian)
    assert forces_report.deployed_headline(analysis) == {**review["headline"], "late_profiles": []}
    rows = dict(page_of.headline_rows(analysis))
    assert rows["capabilities met"] == f"{len(gaps)} of {len(gaps)}"
    assert rows["civilian deployment, civilian-200-in-30"].startswith(
        "meets the deadline of day 30 for 200 experts: plan day 24.5; P(in time) 90.0%")


def test_only_the_scenarios_illustrative_is_said_so(example: dict[str, Any]) -> None:
    """A register the contributors do not label illustrative, read with the shipped (illustrative) scenarios: the
    page says the scenarios' figures are illustrative, not that the contributors' data is unreal; rows labelled
    illustrative bring the strong statement back."""
    from dataclasses import replace

    own = replace(example["analysis"], example=False, illustrative_records=0, documents=["doc-1"])
    assert own.illustrative and not own.illustrative_data
    html = page_of.build(own, PUBLIC)
    text = _text(html)
    assert "ILLUSTRATIVE SCENARIOS" in text and page_of.SCENARIOS_ILLUSTRATIVE + ": the EU's own scenarios" in text
    assert "Not any member state's offer" not in text and "not an assessment of the EU's real" not in text
    assert "(illustrative scenarios)</h1>" in html and "(ILLUSTRATIVE)</h1>" not in html
    assert f'content: "{page_of.FOOTER_SCENARIOS}"' in html and page_of.FOOTER_DATA not in html
    assert "(ILLUSTRATIVE)" not in text and "ILLUSTRATIVE example set (no platform document)" not in text
    labelled = _text(page_of._front(replace(own, illustrative_records=12)))
    assert "12 register records are labelled illustrative by their contributors" in labelled
    assert "Not any member state's offer" in labelled and page_of.SCENARIOS_ILLUSTRATIVE not in labelled
    assert f'content: "{page_of.FOOTER_DATA}"' in example["page"]


def test_the_force_generated_and_every_assumption_and_source(example: dict[str, Any]) -> None:
    from kompas.forces import planning

    analysis, review, html = example["analysis"], example["review"], example["page"]
    text = _text(html)
    military = [s for s in service.case_named(forces_report.DEFAULT_CASE).scenarios if not planning.civilian(s)]
    assert [f["scenario"]["name"] for f in analysis.forces] == [s.name for s in military] != []
    for force in analysis.forces:
        assert force["status"] in ("optimal", "feasible", "infeasible")
        assert force["troops"] <= force["max_troops"] == 5000  # the RDC's ceiling
        assert f"{force['troops']:,} of at most {force['max_troops']:,}" in text
        assert sum(force["shares"].values()) == force["troops"]
        for m in force["missing"]:
            assert m["reason"] in text
    assert "civilian-200-in-30: not generated" in text
    for assumption in review["assumptions"]:
        assert assumption in text, assumption
    for url in review["sources"]:
        assert url in text, url
    assert analysis.register_sources and all(url in text for url in analysis.register_sources)
    assert analysis.illustrative_records == analysis.records > 0  # every example row is labelled


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def test_the_rotations_agree_with_the_service(example: dict[str, Any]) -> None:
    from kompas.forces import planning, rotation

    analysis, text = example["analysis"], _text(example["page"])
    latest = service.views(None, None, example=True)[-1]
    military = [s for s in service.case_named(forces_report.DEFAULT_CASE).scenarios if not planning.civilian(s)]
    longest = max(military, key=lambda s: s.duration_days)
    start = date(int(latest.edition[:4]), 3, 1)
    mission = service.rotation_mission(longest, start, 24, rotation.month_start(start, -2))
    expected = service.rotations(latest, mission, forces_report.ROTATION_TIME_LIMIT_S)
    got = analysis.rotations
    assert got is not None and analysis.rotation_scenario is not None
    assert got["mission"] == expected["mission"] and got["mission"]["decision"] == f"{start.year}-01-01"
    assert got["mission"]["months"] == 24 and analysis.rotation_scenario["name"] == longest.name
    for key in ("status", "needed_unit_months", "filled_unit_months", "first_gap", "asks", "sustainment", "cover"):
        assert got[key] == expected[key], key
    needed, filled = expected["needed_unit_months"], expected["filled_unit_months"]
    assert 0 < filled < needed  # the example set's pools leave gaps: the section has something to show
    assert f"unit-months needed {needed:,}" in text
    assert f"unit-months filled {filled:,} ({_pct(filled / needed)})" in text
    gap = expected["first_gap"]
    assert f"first gap month {gap['month']}, from {gap['start']} ({gap['months_ahead']} months after" in text
    assert f"{expected['filled_unit_months']:,} of {needed:,} unit-months filled" in text  # the key finding
    for ask in expected["asks"]:
        assert (f"{ask['nation']} {ask['first_ask']} {ask['units']} {ask['unit_months']:,} {ask['troop_months']:,} "
                f"{len(ask['asks'])}") in text, ask["nation"]
    for x in expected["sustainment"]:
        if x["deployed_at_once"]:
            assert f"{x['capability'] or 'all capabilities'} {x['deployed_at_once']} {x['distinct_units']} " \
                   f"{x['ratio']:.2f}" in text, x["capability"]
    assert "alt=\"Rotations for rdc-initial-stabilisation: units short per position" in example["page"]
    # the Helsinki Headline Goal: 60,000 on 6-month tours, 12 months' dwell (published "around 180,000")
    helsinki = service.sustainment(60_000, 6, 12, duration_months=12)
    assert helsinki["pool_steady_state"] == 180_000 and helsinki["rotations_needed"] == 120_000
    assert analysis.helsinki == helsinki
    assert "180,000 in the pool to sustain them indefinitely" in text and "deploys 120,000 distinct people" in text
    assert helsinki["rules"]["difference"] in text


def test_the_civilian_deployment_agrees_with_the_service(example: dict[str, Any]) -> None:
    from kompas.forces import planning

    analysis, text = example["analysis"], _text(example["page"])
    latest = service.views(None, None, example=True)[-1]
    civilian = [s for s in service.case_named(forces_report.DEFAULT_CASE).scenarios if planning.civilian(s)]
    assert [s.name for s in civilian] == ["civilian-200-in-30"]
    decision = service.default_decision(latest)
    assert decision == date(int(latest.edition[:4]), 3, 1)
    # without levers: the same plan and simulation (the levers draw their own runs), at a fraction of the cost
    expected = service.deploy(latest, service.civilian_mission(civilian[0], decision), runs=5_000, seed=0,
                              levers=False)
    got = analysis.deployment
    assert got is not None and got["plan"] == expected["plan"] and got["simulation"] == expected["simulation"]
    plan, sim = expected["plan"], expected["simulation"]
    assert sim["runs"] == forces_report.DEPLOY_RUNS and len(got["levers"]) == 12
    day = plan["completion_day"]
    assert day is not None and day > plan["mission"]["deadline_days"]  # the example set misses 30 days
    assert f"200 in theatre on day {day:g} ({plan['completion_date']}): misses the deadline of day 30" in text
    assert (f"P(in theatre by the deadline) {_pct(sim['probability'])} (95% Wilson interval {_pct(sim['ci_low'])}-"
            f"{_pct(sim['ci_high'])}; 5,000 runs, seed 0)") in text
    assert f"bottleneck {plan['bottleneck']}" in text
    for step in plan["critical_path"]:
        assert f"{step['stage']} {step['who']} {step['start_day']:g} {step['end_day']:g} {step['days']:g}" in text
        assert step["note"] in text
    levers = [g["lever"] for g in got["levers"]]
    positions = [text.index(f" {lever} ", text.index("What would shorten it")) for lever in levers]
    assert positions == sorted(positions)  # best first, as the service orders them
    for course, by in plan["training"].items():
        for provider, n in by.items():
            assert f"{course.upper()} {provider} {n}" in text
    assert got["assumed"] and all(f"{name}:" in text for name in got["assumed"])
    assert "training.routing" in got["assumed"]
    assert "alt=\"civilian-200-in-30: experts selected, trained and in theatre day by day" in example["page"]
    for url in (u for urls in expected["sourced"].values() for u in urls):
        assert url in text, url
    # both answers are marked, and the banner holds them
    for answer in (analysis.rotations, got):
        assert answer is not None and answer["marking"]["banner"] == PUBLIC


def test_the_pdf_carries_the_banner_on_every_page(example: dict[str, Any]) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = render(example["page"], "pdf", "forces", example["analysis"].marking).content
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 4
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        assert text.count(PUBLIC) >= 2, number  # the running header and footer
        assert "ILLUSTRATIVE data" in text, number
        assert f"page {number} of {len(pages)}" in text, number
    whole = " ".join(" ".join(p.extract_text().split()) for p in pages)
    for line in _expected_headline(forces_report.deployed_headline(example["analysis"])):
        assert line in whole, line
    assert sum(len(p.images) for p in pages) >= 6  # overview, gaps, trends, shares, rotations, deployment
    # the gap table runs over pages: its header is printed again on each
    assert sum("short: quantity / time" in " ".join(p.extract_text().split()) for p in pages) >= 2
    # nothing runs off the page (long URLs wrap; the widest table fits): every word inside the right margin (14 mm)
    if shutil.which("pdftotext"):
        boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        words = re.findall(rb'<page width="([\d.]+)"|<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', boxes)
        width, outside = 0.0, []
        for page_width, right in words:
            if page_width:
                width = float(page_width)
            elif float(right) > width - 14 / 25.4 * 72 + 1:
                outside.append(float(right))
        assert len(words) > 1000 and outside == []


# -- on the platform -------------------------------------------------------------------------------------------------

def _register(edition: str, elements: list[dict[str, Any]], **sections: list[dict[str, Any]]) -> str:
    """A contribution in the example set's JSON format (``kompas-forces/1``), with other sections (pools,
    experts) when given."""
    return json.dumps({"format": "kompas-forces/1", "edition": edition, "illustrative": True,
                       "source_url": "https://example.org/forces-report-test", "elements": elements, **sections})


SECRET_POOL = {"id": "de-inf-pool", "nation": "DE", "capability": "infantry-company", "units": 3, "unit_strength": 150,
               "tour_months": 6, "dwell_months": 12, "readiness_days": 20, "notes": "invented for a test"}
SECRET_EXPERTS = [{"id": f"de-x{n}", "nation": "DE", "profile": "monitor", "languages": ["en"], "pdt_done": True,
                   "heat_done": True, "medical_done": True, "notes": "invented for a test"} for n in range(3)]


def _element(nation: str, ident: str, name: str, caps: dict[str, int], strength: int, ready: int) -> dict[str, Any]:
    return {"id": ident, "nation": nation, "name": name, "type": "module", "component": "land",
            "strength": strength, "readiness_days": ready, "capabilities": caps, "notes": "invented for a test"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A SQLite platform: FR-EMA contributes its 2025 offer (UNCLASSIFIED, GREEN) and its 2026 offer (UNCLASSIFIED,
    AMBER); DE-MOD its 2026 offer under SECRET for the community rdc-core. ``de`` (SECRET, rdc-core) sees all three;
    ``nl`` (SECRET, not in rdc-core) only the French ones."""
    from fastapi.testclient import TestClient

    from kompas.api.app import create_app
    from kompas.core.db import make_engine, upgrade
    from kompas.core.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('forces_report') / 'kompas.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = Store(engine)
    store.add_org("FR-EMA", "FR", "member-state")
    store.add_org("DE-MOD", "DE", "member-state")
    store.add_org("NL-DEF", "NL", "member-state")
    tokens = {"fr": store.add_user("fr", "FR-EMA", "SECRET"),
              "de": store.add_user("de", "DE-MOD", "SECRET", ["rdc-core"]),
              "nl": store.add_user("nl", "NL-DEF", "SECRET")}
    fr, de = store.account("fr"), store.account("de")
    assert fr is not None and de is not None
    docs = {}
    docs["fr25"] = service.contribute(store, fr, _register("2025", [
        _element("FR", "hq", "FR force headquarters", {"force-hq": 1}, 150, 10),
        _element("FR", "inf", "FR infantry", {"infantry-company": 2}, 300, 10)]), GREEN_FR, "fr-2025.json")
    docs["fr26"] = service.contribute(store, fr, _register("2026", [
        _element("FR", "hq", "FR force headquarters", {"force-hq": 1}, 150, 10),
        _element("FR", "inf", "FR infantry", {"infantry-company": 4}, 600, 10)]), AMBER_FR, "fr-2026.json")
    docs["de26"] = service.contribute(store, de, _register("2026", [
        _element("DE", "isr", SECRET_NAME, {"isr-uav": 2, "medical-role2": 1}, 80, 5)], pools=[SECRET_POOL],
        experts=SECRET_EXPERTS), SECRET_DE, "de-2026.json")
    assert all(d.rejected == [] for d in docs.values())
    ids = {m.key(): doc_id for doc_id, m in store.document_markings_of_format(None, service.FORMAT)}
    docs_by_name = {"fr25": ids[GREEN_FR.key()], "fr26": ids[AMBER_FR.key()], "de26": ids[SECRET_DE.key()]}
    client = TestClient(create_app(engine, rate_per_s=1000, burst=1000), raise_server_exceptions=False)
    yield {"store": store, "tokens": tokens, "client": client, "url": url, "docs": docs_by_name}
    engine.dispose()


def _as(platform: dict[str, Any], who: str, page: bool = True, **options: Any) -> tuple[forces_report.Analysis, str]:
    """The report's figures as ``who`` may see the register, and its page unless ``page`` is False."""
    account = platform["store"].account(who)
    analysis = forces_report.analyse(platform["store"], account.viewer, **options)
    return analysis, page_of.build(analysis, banner_for(analysis.marking)) if page else ""


def test_the_banner_combines_the_markings_the_reader_may_see(platform: dict[str, Any]) -> None:
    analysis, html = _as(platform, "de")
    expected = combine([service.PUBLIC_MARKING, GREEN_FR, AMBER_FR, SECRET_DE])
    assert analysis.marking == expected and expected.classification.name == "SECRET"
    assert analysis.documents == sorted(platform["docs"].values()) and analysis.editions == ["2025", "2026"]
    assert html.count(f'<div class="banner">{expected.banner()}</div>') == 2
    assert SECRET_NAME in html and "NTK (rdc-core)" in html
    assert not analysis.example and analysis.illustrative  # the rows say illustrative; the scenarios are
    h = analysis.review["headline"]
    for line in _expected_headline(forces_report.deployed_headline(analysis)):
        assert line in _text(html), line
    assert "Not any member state's offer" in _text(html)  # the contributions label their rows illustrative
    assert h["edition"] == "2026"
    # the generated force may use the SECRET element, and is marked with every element considered
    force = analysis.forces[0]
    assert Marking.from_dict(force["marking"]) == combine([service.PUBLIC_MARKING, AMBER_FR, SECRET_DE])
    # rotations from the SECRET pool, the deployment from the SECRET roster: marked with the whole 2026 edition
    # they read (which documents exist decides the edition and what is in it), and in the banner
    rotations, deployed = analysis.rotations, analysis.deployment
    assert rotations is not None and deployed is not None
    assert rotations["pools"] == ["DE/de-inf-pool"] and rotations["filled_unit_months"] > 0
    edition = combine([service.PUBLIC_MARKING, AMBER_FR, SECRET_DE])
    assert Marking.from_dict(rotations["marking"]) == edition == Marking.from_dict(deployed["marking"])
    assert combine([analysis.marking, edition]) == analysis.marking
    shortfall = deployed["plan"]["shortfall"]
    assert shortfall["monitor"] == 131 - 3 and sum(shortfall.values()) == 200 - 3  # three experts, 200 posts
    text = _text(html)
    assert f"unit-months filled {rotations['filled_unit_months']:,}" in text and "roster cannot fill" in text


def test_a_reader_who_may_not_see_the_secret_document_gets_nothing_of_it(platform: dict[str, Any]) -> None:
    analysis, html = _as(platform, "nl")
    assert analysis.marking == combine([service.PUBLIC_MARKING, GREEN_FR, AMBER_FR])
    assert analysis.marking.banner() == "UNCLASSIFIED // TLP:AMBER"
    assert analysis.documents == sorted([platform["docs"]["fr25"], platform["docs"]["fr26"]])
    text = _text(html)
    assert SECRET_NAME not in text and "rdc-core" not in text and platform["docs"]["de26"] not in text
    assert "SECRET" not in text.replace("UNCLASSIFIED", "") and "DE-MOD" not in text
    overview = analysis.overview
    assert set(overview["by_nation"]) == {"FR"} and "isr-uav" not in overview["by_capability"]
    isr = next(g for g in analysis.review["gaps"] if g["capability"] == "isr-uav")
    assert isr["offered"] == 0 and isr["severity"] == "critical"
    # no SECRET pool or expert: nothing filled, nobody deployed, nothing SECRET in their markings
    assert analysis.rotations is not None and analysis.rotations["pools"] == []
    assert analysis.rotations["filled_unit_months"] == 0 and "de-inf-pool" not in text
    assert analysis.deployment is not None and analysis.deployment["plan"]["selected"] == []
    for answer in (analysis.rotations, analysis.deployment):  # the French 2026 document's marking, nothing SECRET
        assert answer["marking"]["banner"] == combine([service.PUBLIC_MARKING, AMBER_FR]).banner()
    # the same reader's report, within the SECRET marking of the document they cannot see, is unchanged
    same, _ = _as(platform, "nl", page=False, within=SECRET_DE)
    assert same.marking == analysis.marking and same.review["headline"] == analysis.review["headline"]


def test_within_leaves_out_what_the_chosen_marking_does_not_cover(platform: dict[str, Any]) -> None:
    analysis, html = _as(platform, "de", within=Marking.build("UNCLASSIFIED", "AMBER"))
    assert analysis.marking == combine([service.PUBLIC_MARKING, GREEN_FR, AMBER_FR])
    assert SECRET_NAME not in html and "Produced within UNCLASSIFIED // TLP:AMBER" in _text(html)
    with pytest.raises(forces_report.ReportError, match=r"no edition '2026' is visible to you \(visible: 2025\)"):
        _as(platform, "de", editions=["2026"], within=Marking.build("UNCLASSIFIED", "GREEN"))  # AMBER left out
    with pytest.raises(forces_report.ReportError, match="no planning case"):
        _as(platform, "de", case_name="no-such-case")


def test_the_report_is_a_job(platform: dict[str, Any]) -> None:
    from kompas.core import jobqueue
    from kompas.services.reports import RUNNERS

    client = platform["client"]
    headers = {who: {"Authorization": f"Bearer {token}"} for who, token in platform["tokens"].items()}
    for body in ({"format": "docx"}, {"case": "no-such-case"}, {"format": "html", "extra": 1},
                 {"case": "../rdc-hadr"}, {"editions": ["20x6"]}, {"example": "yes"},
                 {"within": {"classification": "COSMIC"}}):
        answer = client.post("/api/v1/reports/forces", headers=headers["de"], json=body)
        assert answer.status_code == 422, (body, answer.text)
    jobs = {}
    queued = client.post("/api/v1/reports/forces", headers=headers["de"], json={"format": "html"})
    assert queued.status_code == 202, queued.text
    jobs["de"] = queued.json()
    within = client.post("/api/v1/reports/forces", headers=headers["de"],
                         json={"format": "html", "within": {"classification": "UNCLASSIFIED", "tlp": "AMBER"}})
    assert within.status_code == 202, within.text
    jobs["de-within"] = within.json()
    assert sorted(jobqueue.run_pending(platform["store"], RUNNERS)) == sorted(j["id"] for j in jobs.values())
    done = {who: client.get(job["href"], headers=headers[who.split("-")[0]]).json() for who, job in jobs.items()}
    assert {d["status"] for d in done.values()} == {"done"}, done
    assert done["de"]["marking"]["banner"] == combine([GREEN_FR, AMBER_FR, SECRET_DE]).banner()
    assert done["de-within"]["marking"]["banner"] == "UNCLASSIFIED // TLP:AMBER"
    pages = {who: client.get(d["file"], headers=headers[who.split("-")[0]]).text for who, d in done.items()}
    assert SECRET_NAME in pages["de"] and SECRET_NAME not in pages["de-within"]
    assert client.get(done["de"]["file"], headers=headers["nl"]).status_code in (403, 404)  # the owner's alone
    failed = client.post("/api/v1/reports/forces", headers=headers["de"], json={"format": "html",
                                                                               "banner": "UNCLASSIFIED"})
    jobqueue.run_pending(platform["store"], RUNNERS)
    job = client.get(failed.json()["href"], headers=headers["de"]).json()
    assert job["status"] == "failed" and "lower than the combined marking" in job["error"], job


def test_the_command_writes_the_report(platform: dict[str, Any], tmp_path: Path) -> None:
    import typer

    from kompas.cli import forces_report as command

    app = typer.Typer()
    command.register(app)
    app.command("noop")(lambda: None)  # two commands: typer keeps the sub-command name
    runner = CliRunner()
    out = tmp_path / "forces.html"
    done = runner.invoke(app, ["report", "--out", str(out), "--user", "de", "--within-classification",
                               "UNCLASSIFIED", "--within-tlp", "AMBER", "--db", platform["url"]])
    assert done.exit_code == 0, done.output
    assert "written:" in done.output and "(UNCLASSIFIED // TLP:AMBER)" in done.output
    html = out.read_text(encoding="utf-8")
    assert html.count('<div class="banner">UNCLASSIFIED // TLP:AMBER</div>') == 2 and "ILLUSTRATIVE" in html
    assert SECRET_NAME not in html and "FR force headquarters" in html
    assert out.stat().st_mode & 0o077 == 0  # reports carry marked content: 0600
    bad = runner.invoke(app, ["report", "--out", str(tmp_path / "x.html"), "--case", "division", "--db",
                              platform["url"]])
    assert bad.exit_code == 2 and "no planning case or scenario 'division'" in bad.output
    low = runner.invoke(app, ["report", "--out", str(tmp_path / "y.html"), "--user", "de", "--banner",
                              "UNCLASSIFIED", "--db", platform["url"]])
    assert low.exit_code == 2 and "lower than the combined marking" in low.output
    for wrong in (["--out", str(tmp_path / "z.docx")], ["--out", str(tmp_path / "z.html"), "--format", "pdf"]):
        assert runner.invoke(app, ["report", *wrong, "--db", platform["url"]]).exit_code == 2
