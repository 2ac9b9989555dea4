"""The threat landscape report: banner on every page, counts against the previous period, a section and figure
per event type, conjunction statistics for the protected assets, HTML and PDF."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.reports.threat_landscape import build, family
from kompas.space import events as ev
from kompas.space.fragmentation import BreakupEstimate, Cloud
from kompas.space.geo import Relocation
from kompas.space.manoeuvres import Manoeuvre
from kompas.space.proximity import Asset, Proximity
from kompas.space.reentry import ReentryPrediction

T = np.datetime64("2026-05-02T00:00", "ns")
HOUR = np.timedelta64(3600, "s")
ASSET = Asset(39617, "ASTRA 5B", "EU (EGNOS payload, host SES)", "EGNOS")


def _manoeuvre(norad: int, name: str, hours: float, dv: float) -> dict:
    when = T + int(hours) * HOUR
    m = Manoeuvre(norad, name, when - 12 * HOUR, when + 12 * HOUR, when, dv, (0.0, dv, 0.0), "along-track", 0.9,
                  {"da_m": 2000.0 * dv, "de": 1e-5, "dh_deg": 0.001, "ratio_to_threshold": 40.0})
    return ev.from_manoeuvre(m).as_dict()


def _events() -> list[dict]:
    approaches = tuple(T + k * 24 * HOUR for k in range(4))
    proximity = Proximity(ASSET, 36581, "ASTRA 3B", 4, 6.9, approaches[1], approaches[0], approaches[-1], 0.074,
                          True, False, True, approaches, (9.0, 6.9, 8.0, 10.5), (0.08, 0.074, 0.09, 0.1))
    times = T + np.arange(0, 4 * 24 * 60, 60) * np.timedelta64(60, "s")
    series = (times, 500.0 + 490.0 * np.cos(2 * np.pi * np.arange(times.size) / (24 * 60)))
    cloud = Cloud("1982-092", 13552, [13552, 50000, 50001], (400.0, 420.0), (460.0, 900.0), (82.5, 82.6),
                  (92.5, 97.0))
    members = []  # the Gabbard data comes from element sets; the cloud event keeps it in the evidence
    estimate = BreakupEstimate(T + 30 * HOUR, 3.0, 0.8, np.array([]), np.array([]))
    fragmentation = ev.from_cloud(cloud, estimate, T + 40 * HOUR, members=members).as_dict()
    fragmentation["evidence"]["gabbard"] = {"norad_id": [13552, 50000, 50001], "period_min": [94.0, 93.0, 97.0],
                                            "apogee_km": [480.0, 460.0, 900.0], "perigee_km": [440.0, 400.0, 420.0]}
    relocation = Relocation(22988, "USA 99 (MILSTAR-1 1)", T + 50 * HOUR, (T + 44 * HOUR, T + 56 * HOUR), None, None,
                            -90.48, None, 4.44)
    reentry = ReentryPrediction(47566, "STARLINK-1965", T - 6 * HOUR, 138.0, T + 60 * HOUR,
                                (T + 56 * HOUR, T + 64 * HOUR))
    starlink = [_manoeuvre(60000 + k, f"STARLINK-{k}", k % 90, 0.5) for k in range(25)]
    return (starlink + [_manoeuvre(48274, "CSS (TIANHE)", 30, 4.1), _manoeuvre(48274, "CSS (TIANHE)", -40, 1.0),
                        ev.from_proximity(proximity, series).as_dict(), fragmentation,
                        ev.from_relocation(relocation).as_dict(), ev.from_reentry(reentry).as_dict()])


CONJUNCTIONS = [
    {"primary_id": 31698, "secondary_id": 36605, "tca_utc": "2026-05-02T10:00:00.000Z", "miss_km": 0.108,
     "v_rel_km_s": 0.001, "primary_name": "TERRASAR-X", "secondary_name": "TANDEM-X", "label": ""},
    {"primary_id": 31698, "secondary_id": 99999, "tca_utc": "2026-05-03T10:00:00.000Z", "miss_km": 0.42,
     "v_rel_km_s": 14.1, "primary_name": "TERRASAR-X", "secondary_name": "FENGYUN 1C DEB", "label": ""},
    {"primary_id": 11111, "secondary_id": 99999, "tca_utc": "2026-05-03T11:00:00.000Z", "miss_km": 0.2,
     "v_rel_km_s": 10.0, "primary_name": "A", "secondary_name": "B", "label": ""}]
ASSETS = {31698: Asset(31698, "TERRASAR-X", "DE (DLR)", "national"), 36605: Asset(36605, "TANDEM-X", "DE (DLR)",
                                                                                   "national"), 39617: ASSET}
PERIOD = ("2026-05-01T00:00:00.000Z", "2026-05-06T00:00:00.000Z")


def test_object_families() -> None:
    assert [family(n) for n in ("STARLINK-1234", "COSMOS 2251", "ONEWEB-0012", "CSS (TIANHE)", "HTV-X1",
                                "2025-180C", "")] == ["STARLINK", "COSMOS", "ONEWEB", "CSS", "HTV-X1", "2025-180C",
                                                      "unnamed"]


def test_report_sections_counts_and_banner() -> None:
    page = build(_events(), *PERIOD, "SECRET UE/EU SECRET", "REL TO EU", CONJUNCTIONS, ASSETS)
    assert page.count("SECRET UE/EU SECRET") >= 4  # top and bottom of the page, and the print header and footer
    assert '<tr><td>manoeuvre</td><td class="n">26</td><td class="n">1</td><td class="n">+25</td></tr>' in page
    for section in ("Key findings", "Proximity to protected assets", "Manoeuvre timeline outside the large",
                    "Gabbard diagram of 1982-092", "GEO relocations", "STARLINK-1965", "Conjunctions with protected"):
        assert section in page, section
    assert page.count("data:image/png;base64,") == 5  # timeline, proximity, manoeuvres, Gabbard, miss distances
    assert "<td>STARLINK</td><td class=\"n\">25</td>" in page  # a constellation of 25 manoeuvring objects
    assert "1 proximity event at protected assets" in page and "closest 420 m" in page
    # TerraSAR-X/TanDEM-X fly in formation: counted apart, not as a threat; B/A involve no asset
    assert "1 approaches between protected assets of one owner" in page and ">FENGYUN 1C DEB<" in page
    assert page.index("Proximity to protected") < page.index("<h2>Manoeuvres")


def test_banner_cannot_break_out_of_the_page() -> None:
    page = build([], *PERIOD, 'UNCLASSIFIED </style><script>alert("x")</script>')
    assert "<script>" not in page and "alert" in page


def test_pdf_has_the_banner_on_every_page(tmp_path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from kompas.reports.threat_landscape import write

    out = write(_events(), *PERIOD, "RESTREINT UE/EU RESTRICTED", tmp_path / "r.pdf", "REL TO EU",
                CONJUNCTIONS, ASSETS)
    pages = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        text = page.extract_text()
        assert text.count("RESTREINT UE/EU RESTRICTED") >= 2, number  # header and footer
        assert f"page {number} of {len(pages)}" in text
    assert any(len(page.images) >= 1 for page in pages)


def test_report_command(tmp_path) -> None:
    events = tmp_path / "events.json"
    events.write_text(json.dumps(_events()))
    conjunctions = tmp_path / "conjunctions.csv"
    conjunctions.write_text("primary_id,secondary_id,tca_utc,miss_km,v_rel_km_s\n39617,5,2026-05-03T00:00:00Z,1.5,3\n"
                            "39617,x,2026-05-03T00:00:00Z,1.5,3\n39617,6,2026-05-03T00:00:00Z,-1,3\n")
    argv = ["space", "report", "--events", str(events), "--from", "2026-05-01T00:00:00Z", "--to",
            "2026-05-06T00:00:00Z", "--banner", "RESTREINT UE/EU RESTRICTED"]
    result = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "RESTREINT UE/EU RESTRICTED" in (tmp_path / "r.html").read_text()
    events.write_text(json.dumps([*_events(), {"type": "manoeuvre"}]))  # one malformed item: reported, rest kept
    partial = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "r2.html"), "--conjunctions",
                                       str(conjunctions)])
    assert partial.exit_code == 1
    assert "item 32: id: missing" in partial.output
    assert f"{conjunctions}:3: secondary_id: 'x'" in partial.output and f"{conjunctions}:4: miss_km" in partial.output
    page = (tmp_path / "r2.html").read_text()
    assert "ASTRA 3B" in page and "1 of the period" in page  # the good conjunction row is used
    refused = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "r.docx")])
    assert refused.exit_code == 2 and ".html or .pdf" in refused.output
    backwards = CliRunner().invoke(app, [*argv[:5], "2026-05-06T00:00:00Z", "--to", "2026-05-01T00:00:00Z"])
    assert backwards.exit_code == 2 and "not after" in backwards.output


@pytest.mark.shared
def test_debris_snapshot_to_pdf_report(shared_space, tmp_path) -> None:
    """The whole chain on real data: Cosmos 1408's cloud as `kompas space events` finds it, then the PDF."""
    pypdf = pytest.importorskip("pypdf")
    events = tmp_path / "events.json"
    made = CliRunner().invoke(app, ["space", "events", "--catalog",
                                    str(shared_space / "cosmos-1408-debris_2022-01-11.tle"), "--proximity-days", "0",
                                    "--out", str(events)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(app, ["space", "report", "--events", str(events), "--from", "2021-11-01",
                                      "--to", "2022-01-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "2021-11-15" in text and "1982-092" in text and "Gabbard diagram of 1982-092" in text
