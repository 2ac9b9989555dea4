"""The maritime report (issue 25): a platform where the Danish Maritime Authority contributes its FRIO recording
(../shared, LGPL-3.0 data read from there only) under UNCLASSIFIED and a navy its own radar track under SECRET (a
vessel built here that drags its anchor across Estlink 2 at 6 knots and then stops). A reader cleared SECRET gets
both, the navy's alerts near Estlink 2 and a SECRET banner; a reader of the same navy cleared UNCLASSIFIED gets
FRIO alone under an UNCLASSIFIED banner. FRIO's drift is in both. The PDF carries the banner and the attribution on
every page; the API queues the report as a job and refuses boxes and windows that cannot be used."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kompas.core.markings import Marking, combine
from kompas.maritime.geo import EARTH_RADIUS_M, KNOT_MS
from kompas.maritime.load import ATTRIBUTION, read_ais
from kompas.maritime.model import Ingest, Positions, StaticReport
from kompas.reports import maritime as report

REPO = Path(__file__).resolve().parents[2]
FRIO = REPO.parent / "shared" / "data" / "maritime" / "dma_aisabnormal_events" / "538004030_drift_1.ais"
FRIO_SOURCE = "dma_aisabnormal_events/538004030_drift_1.ais"
DAY = ("2014-09-28T00:00:00Z", "2014-09-29T00:00:00Z")  #: FRIO's recording is 16:00-18:26 UTC that day
T0 = 1_411_905_600.0  #: 2014-09-28T12:00:00Z
NAVY_MMSI = 518_100_999  #: Cook Islands MID: a flag of convenience
NAVY_NAME = "SCRIPTED TANKER"
UNCLASSIFIED = Marking.build("UNCLASSIFIED", "CLEAR")
SECRET = Marking.build("SECRET", "AMBER", releasable_to=["FI"], originator="FI-NAVY")


def _degrees(x_m: np.ndarray, y_m: np.ndarray, lat0: float, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of points metres east and north of (lat0, lon0), as the engine measures them."""
    lat = lat0 + np.degrees(y_m / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(x_m / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    return lat, lon


def navy_track() -> Ingest:
    """The navy's radar track: a tanker heading west along 60.10°N at 10 kn under way (54 min), then at 6 kn
    reporting at anchor with its heading (60 min: the anchor dragged over 11 km, across Estlink 2's drawn route near
    25.84°E), then stopped at anchor (2 h); a fix a minute from 12:00 UTC on 28 September 2014."""
    step = 60.0
    lat0, lon0 = 60.10, 26.30
    legs = [(54, 10.0, 0), (60, 6.0, 1)]
    t, x, sog, status = [], [], [], []
    now, at = T0, 0.0
    for minutes, knots, state in legs:
        for _ in range(minutes):
            t.append(now)
            x.append(at)
            sog.append(knots)
            status.append(state)
            now += step
            at -= knots * KNOT_MS * step
    for k in range(121):
        t.append(now + k * step)
        x.append(at + 15.0 * math.sin(k))  # swinging on the anchor within metres
        sog.append(0.1)
        status.append(1)
    xs = np.asarray(x)
    lat, lon = _degrees(xs, np.zeros_like(xs), lat0, lon0)
    n = len(t)
    positions = Positions.from_columns({
        "mmsi": [NAVY_MMSI] * n, "t": t, "lat": list(lat), "lon": list(lon), "sog": sog, "cog": [270.0] * n,
        "heading": [270.0] * n, "status": status, "msg_type": [1] * n, "source": [0] * n,
        "line": list(range(1, n + 1))}, ("navy radar",))
    return Ingest(positions, [StaticReport(NAVY_MMSI, T0, name=NAVY_NAME, ship_type=80, to_bow=150, to_stern=30)])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A fresh SQLite platform with its organisations and users, nothing contributed yet: DK-DMA's ``dan``
    (UNCLASSIFIED), FI-NAVY's ``nav`` (SECRET, who contributes), ``sec`` (SECRET) and ``unc`` (UNCLASSIFIED)."""
    from kompas.core.db import make_engine, upgrade
    from kompas.core.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('maritime_report') / 'kompas.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = Store(engine)
    store.add_org("DK-DMA", "DK")
    store.add_org("FI-NAVY", "FI")
    tokens = {"dan": store.add_user("dan", "DK-DMA", "UNCLASSIFIED"),
              "nav": store.add_user("nav", "FI-NAVY", "SECRET"),
              "sec": store.add_user("sec", "FI-NAVY", "SECRET"),
              "unc": store.add_user("unc", "FI-NAVY", "UNCLASSIFIED")}
    yield {"store": store, "tokens": tokens}
    engine.dispose()


@pytest.fixture(scope="module")
def platform(base: dict[str, Any]) -> dict[str, Any]:
    """DK-DMA contributes FRIO (UNCLASSIFIED), FI-NAVY its radar track (SECRET, REL TO FI); the Baltic report of
    28 September 2014 rendered once as HTML for ``sec`` and for ``unc``, and as PDF for ``sec``."""
    if not FRIO.is_file():
        pytest.skip(f"{FRIO} is absent: the Danish Maritime Authority's AisAbnormal recordings (LGPL-3.0) are read "
                    "from ../shared only, never copied into the repository (clone ../shared beside the checkout)")
    from kompas.services.maritime import contribute

    store = base["store"]
    frio = read_ais(FRIO, FRIO_SOURCE)
    contribute(store, store.account("dan"), frio, UNCLASSIFIED, FRIO_SOURCE, "ais")
    contribute(store, store.account("nav"), navy_track(), SECRET, "FI-NAVY radar, Gulf of Finland", "radar")
    out: dict[str, Any] = dict(base)
    for who in ("sec", "unc"):
        viewer = store.account(who).viewer
        out[who] = report.report(store, viewer, *DAY, "baltic", fmt="html")
    out["sec_pdf"] = report.report(store, store.account("sec").viewer, *DAY, "baltic", fmt="pdf")
    return out


def _text(done: Any) -> str:
    return done.content.decode()


def _banner(page: str) -> str:
    return re.search(r'<div class="banner">(.*?)</div>', page).group(1)  # type: ignore[union-attr]


def _section(page: str, heading: str) -> str:
    return page.split(heading, 1)[1].split("<h2", 1)[0]


@pytest.mark.shared
def test_the_reader_cleared_for_both_gets_both_under_the_combined_banner(platform: dict) -> None:
    done = platform["sec"]
    page = _text(done)
    combined = combine([UNCLASSIFIED, SECRET])
    assert done.marking == combined and done.media_type.startswith("text/html")
    assert _banner(page) == report.esc(combined.banner()) and combined.banner().startswith("SECRET UE/EU SECRET")
    assert page.count(report.esc(combined.banner())) >= 4  # top, bottom, print header, running footer
    assert "Maritime report: Baltic Sea, 2014-09-28 00:00 to 2014-09-29 00:00 UTC" in page
    summary = _section(page, "<h2>1. Summary</h2>")
    assert "<b>2 vessels</b>" in summary and "from 2 batches contributed by DK-DMA, FI-NAVY" in summary
    assert f"<td>{FRIO_SOURCE}</td>" in summary and "<td>FI-NAVY radar, Gulf of Finland</td>" in summary
    # the alerts come first: the drag across Estlink 2, naming Estlink 2 nearest and the telecom cables within
    # their (wider: schematic) watch distance after it; a stop is not an alert (the list: loitering,
    # drifting, dragging an anchor, going dark)
    alerts = _section(page, "3. Alerts near undersea infrastructure</h2>")
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", alerts)[1:]]
    firsts = [k for k, row in enumerate(rows) if row[0]]
    assert [rows[k][1] for k in firsts] == ["anchor drag"], rows
    drag = rows[firsts[0]:]
    assert drag[0][:3] == [f"{NAVY_NAME} ({NAVY_MMSI}), CK; tanker", "anchor drag",
                           "2014-09-28 12:54:00 to 13:53:00"]  # the 6-knot leg at anchor, fix by fix
    assert (drag[0][3], drag[0][4], drag[0][5]) == ("Estlink 2 (hvdc link)", "0", "4")  # crosses the drawn route
    assert drag[0][6] == "route traced from the ENTSO-E map via GridKit (stylised, CC-BY-4.0), about ±3 km"
    assert drag[0][7] == report.esc(SECRET.banner())  # the alert is marked by its input, the SECRET batch
    others = {row[3] for row in drag[1:]}
    assert others and all(name.endswith("(telecom cable)") for name in others), others
    assert all(float(row[4]) <= float(row[5]) == 6 for row in drag[1:])  # 1 km + 5 km schematic
    # the Baltic index lists 55 rows; 4 are not seabed assets (two decommissioned links, two over land)
    assert "<b>1 alert near undersea infrastructure</b> (51 assets watched): " in summary and "Estlink 2" in summary
    assert page.count("<img ") == 3  # the Baltic, closer: the Gulf of Finland and the Kattegat
    # FRIO's drift is there, marked UNCLASSIFIED
    drift = _section(page, "<h3>Drift (1)</h3>") if "<h3>Drift (1)</h3>" in page else ""
    assert "FRIO (538004030)" in drift and "2014-09-28 16:37:54" in drift, drift[:500]
    assert "the Danish Maritime Authority&#x27;s drift rule" in drift and report.esc(UNCLASSIFIED.banner()) in drift


@pytest.mark.shared
def test_the_reader_cleared_unclassified_sees_no_secret_track(platform: dict) -> None:
    done = platform["unc"]
    page = _text(done)
    assert done.marking == UNCLASSIFIED and _banner(page) == "UNCLASSIFIED // TLP:CLEAR"
    assert "SECRET" not in page and NAVY_NAME not in page and str(NAVY_MMSI) not in page
    assert "FI-NAVY" not in page and "radar" not in page.lower().replace("radar track", "")
    summary = _section(page, "<h2>1. Summary</h2>")
    assert "<b>1 vessels</b>" in summary and "from 1 batch contributed by DK-DMA" in summary
    assert "<b>0 alerts near undersea infrastructure</b>" in summary
    assert "No alert: no watched behaviour came within reach" in page
    assert "FRIO (538004030)" in _section(page, "<h3>Drift (1)</h3>")


@pytest.mark.shared
def test_frio_figures_and_data_quality(platform: dict) -> None:
    """FRIO's recording: 5,029 positions decoded with a time (exact), 927 after the 4,088 duplicate receptions are
    merged and 14 position jumps taken out (the engine's figures, exact); one drift, the DMA's labelled event."""
    page = _text(platform["unc"])
    summary = _section(page, "<h2>1. Summary</h2>")
    assert "in 927 track positions (5,029 positions read" in summary
    assert "Data errors: 14 position jumps, 0 speed glitches." in summary
    quality = _section(page, "<h2>5. Data quality</h2>")
    for row in ("<td>positions read</td><td class=\"n\">5,029</td>",
                "kept once)</td><td class=\"n\">4,088</td>",
                "taken out of the track)</td><td class=\"n\">14</td>"):
        assert row in quality, row
    assert quality.count("<td>position jump</td>") == 14
    method = _section(page, "<h2>6. Method and thresholds</h2>")
    for text in ("MovingPandas", "Global Fishing Watch", "Danish Maritime Authority", "drift_min_kn = 1",
                 "stop_diameter_m = 1000", "encounter_min_s = 7200"):
        assert text in method, text
    sources = _section(page, "<h2>7. Sources, licences and caveats</h2>")
    for text in (ATTRIBUTION["mid"], ATTRIBUTION["seabed"], ATTRIBUTION["dma"], report.NONCOMMERCIAL,
                 report.ROUTE_CAVEAT, "Vessel positions contributed on the platform by DK-DMA"):
        assert report.esc(text) in sources, text
    assert page.count("<img ") == 2  # the Baltic, and closer: the Kattegat


@pytest.mark.shared
def test_the_pdf_carries_the_banner_and_the_attribution_on_every_page(platform: dict) -> None:
    pypdf = pytest.importorskip("pypdf")
    done = platform["sec_pdf"]
    assert done.media_type == "application/pdf" and done.filename == "maritime_baltic-sea_2014-09-28_2014-09-29.pdf"
    pages = pypdf.PdfReader(io.BytesIO(done.content)).pages
    assert len(pages) >= 3
    banner = done.marking.banner()
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        assert text.count(banner) >= 2, (number, text[:300])  # header and running footer
        assert f"page {number} of {len(pages)}" in text, number
        for part in ("Maritime Identification Digits", "CC BY-NC-SA 3.0", "non-commercial",
                     "Contains data from the Danish Maritime Authority", "drawn, not surveyed"):
            assert part in text, (number, part)
    assert any(len(page.images) >= 1 for page in pages)  # the maps
    assert done.marking == combine([UNCLASSIFIED, SECRET]) and banner.startswith("SECRET UE/EU SECRET")
    assert any("FRIO (538004030" in " ".join(page.extract_text().split()) for page in pages)


@pytest.mark.parametrize("args,reason", [
    (("2014-09-29T00:00:00Z", "2014-09-28T00:00:00Z", None), "must be after start_utc"),
    (("2014-09-01T00:00:00Z", "2014-10-03T00:00:00Z", None), "at most 31 days"),
    (("yesterday", None, None), "start_utc: not an ISO 8601 UTC time"),
    ((None, None, [181, 50, 182, 51]), "longitudes 181, 182 must lie in -180..180"),
    ((None, None, [10, -91, 11, 50]), "latitudes -91, 50 must lie in -90..90"),
    ((None, None, [20, 50, 10, 60]), "lon_min must be below lon_max"),
    ((None, None, [10, 50, 20]), "four numbers"),
    ((None, None, [10, float("nan"), 20, 60]), "finite"),
    ((None, None, "mediterranean"), "one of baltic"),
])
def test_requests_that_cannot_be_used_say_why(args: tuple, reason: str) -> None:
    with pytest.raises(report.WindowError, match=re.escape(reason)):
        report.request(*args)


def test_a_request_is_normalised() -> None:
    window = report.request("2014-09-28T00:00:00+00:00", "2014-10-29T00:00:00Z", "Baltic")
    assert (window.start_utc, window.end_utc) == ("2014-09-28T00:00:00.000Z", "2014-10-29T00:00:00.000Z")
    assert window.box == (10.0, 53.5, 31.0, 66.5) and window.area_name == "Baltic Sea"  # 31 days exactly: allowed
    window = report.request(None, None, [9.5, 54, 13, 58], "  the  Kattegat ")
    assert window.box == (9.5, 54.0, 13.0, 58.0) and window.area_name == "the Kattegat"
    assert window.period() == "all the positions you may see"
    assert report.request(None, "2014-09-28T00:00:00Z", [-10, -5, 3, 5]).area_name == "5°S-5°N, 10°W-3°E"
    assert [report.ship_type(c) for c in (0, 35, 52, 71, 84, 99)] == [
        "", "military", "tug", "cargo", "tanker", "other"]


# --- as a job through the API ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(base: dict) -> Any:  # noqa: ANN401
    from fastapi.testclient import TestClient

    from kompas.api.app import create_app

    return TestClient(create_app(base["store"].engine, rate_per_s=1000, burst=1000),
                      raise_server_exceptions=False)


def _headers(platform: dict, who: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + platform["tokens"][who]}


@pytest.mark.shared
def test_the_report_is_a_job_marked_for_its_reader(platform: dict, client: Any) -> None:  # noqa: ANN401
    from kompas.core import jobqueue
    from kompas.services.reports import RUNNERS

    body = {"start_utc": DAY[0], "end_utc": DAY[1], "bbox": [20.0, 58.0, 30.0, 61.0], "area_name": "Gulf of Finland",
            "assets": "baltic", "format": "html"}
    results = {}
    for who in ("sec", "unc"):
        queued = client.post("/api/v1/reports/maritime", headers=_headers(platform, who), json=body)
        assert queued.status_code == 202, queued.text
        jobqueue.run_pending(platform["store"], RUNNERS)
        job = client.get(queued.json()["href"], headers=_headers(platform, who)).json()
        results[who] = job
    job = results["sec"]
    assert job["status"] == "done", job
    assert job["marking"]["classification"] == "SECRET"
    page = client.get(job["file"], headers=_headers(platform, "sec")).text
    assert "Maritime report: Gulf of Finland, 2014-09-28 00:00 to 2014-09-29 00:00 UTC" in page
    assert "<b>1 vessels</b>" in page and NAVY_NAME in page and "FRIO" not in page  # FRIO is in the Kattegat
    # the UNCLASSIFIED reader may see nothing in the Gulf of Finland that day: the job fails saying so
    assert results["unc"]["status"] == "failed" and "no vessel positions you may see in Gulf of Finland" in results[
        "unc"]["error"], results["unc"]


@pytest.mark.parametrize("body,reason", [
    ({"bbox": [181, 50, 182, 51]}, "must lie in -180..180"),
    ({"bbox": [10, 95, 20, 96]}, "must lie in -90..90"),
    ({"bbox": [20, 50, 10, 60]}, "lon_min must be below lon_max"),
    ({"bbox": [10, 50, 20]}, "too_short"),
    ({"bbox": [10, 50, 20, 60], "area": "baltic"}, "not both"),
    ({"area": "mediterranean"}, "literal_error"),
    ({"assets": "some"}, "literal_error"),
    ({"start_utc": "2014-09-29T00:00:00Z", "end_utc": "2014-09-28T00:00:00Z"}, "must be after start_utc"),
    ({"start_utc": "2014-08-01T00:00:00Z", "end_utc": "2014-09-28T00:00:00Z"}, "at most 31 days"),
    ({"start_utc": "28/09/2014"}, "not an ISO 8601 UTC time"),
    ({"colour": "red"}, "extra_forbidden"),
])
def test_bad_report_bodies_are_refused(base: dict, client: Any, body: dict, reason: str) -> None:  # noqa: ANN401
    response = client.post("/api/v1/reports/maritime", headers=_headers(base, "unc"), json=body)
    assert response.status_code == 422 and reason in response.text, response.text
