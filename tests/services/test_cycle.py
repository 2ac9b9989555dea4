"""The daily cycle (`kompas run`) on the bundled sample: every output written and non-trivial, everything stored on
the platform, and a rerun stores nothing new."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from kompas.core.db import make_engine
from kompas.core.models import ConjunctionRecord, Contribution, ElementSetRecord, EventRecord
from kompas.services.cycle import SYSTEM_USER, run_cycle
from kompas.services.space import SCREEN_HEADER
from tests.conftest import SAMPLE_TLE


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {table.__tablename__: connection.scalar(select(func.count()).select_from(table))
                  for table in (Contribution, ElementSetRecord, ConjunctionRecord, EventRecord)}
    engine.dispose()
    return counts


@pytest.fixture(scope="module")
def cycles(tmp_path_factory):
    """The cycle run twice on the sample into one database (1-day windows to stay quick)."""
    base = tmp_path_factory.mktemp("cycle")
    url = f"sqlite:///{base / 'kompas.db'}"
    first = run_cycle(SAMPLE_TLE.parent, base / "out", url, days=1.0, proximity_days=1.0, hours=1.0)
    after_first = _counts(url)
    second = run_cycle(SAMPLE_TLE.parent, base / "out", url, days=1.0, proximity_days=1.0, hours=1.0)
    return first, second, after_first, _counts(url), base / "out"


def test_the_outputs_are_written_and_non_trivial(cycles) -> None:
    first, _, _, _, out = cycles
    assert (out / "threat_landscape.pdf").read_bytes().startswith(b"%PDF")
    html = (out / "threat_landscape.html").read_text()
    assert "Space threat landscape" in html and "UNCLASSIFIED" in html and "TLP:CLEAR" in html
    assert f"Forecast: screened for {first.screening[0][:16]}" in html  # the conjunctions after the period
    assert "max Pc (basis)" in html and "cumulative Pc" in html and "PcMultiStep" in html
    assert first.screening[0] == first.period[1]  # the screening starts where the report's period ends
    events = json.loads((out / "events.json").read_text())
    assert isinstance(events, list) and len(events) == len(first.events)
    lines = (out / "conjunctions.csv").read_text().splitlines()
    assert lines[0] == SCREEN_HEADER + ",pc,pc_basis,pc_flags,pc_low,pc_high"
    rows = list(csv.DictReader(out.joinpath("conjunctions.csv").open()))
    assert rows and len(rows) == len(first.conjunctions)
    assert all(float(r["miss_km"]) <= 5.0 and r["primary_name"] and r["pc"] for r in rows)
    assert {r["pc_basis"] for r in rows} <= {"pc2d", "nc3d", "mc"} and all(r["pc_basis"] for r in rows)
    for r in rows:  # a Monte Carlo value comes with its interval, nothing else does
        assert (r["pc_basis"] == "mc") == bool(r["pc_high"]) and (not r["pc_high"] or float(r["pc_high"]) >= float(
            r["pc"]) >= float(r["pc_low"]))
    assert len(list((out / "cdms").glob("*.cdm"))) == len(rows)
    assert "CCSDS_CDM_VERS" in next((out / "cdms").glob("*.cdm")).read_text()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objects"] == 615 and (out / "catalogue.png").stat().st_size > 10_000
    assert set(first.seconds) >= {"read", "store", "screen", "events", "report", "picture", "mobility", "forces"}
    # the fused picture from the period start on: the space events the cycle stored (issue 26)
    picture = json.loads((out / "picture.geojson").read_text())
    situations = json.loads((out / "situations.json").read_text())
    assert picture["type"] == "FeatureCollection" and situations["marking"]["classification"] == "UNCLASSIFIED"
    in_period = [e for e in first.events if first.period[0] <= str(e.epoch_utc) + "Z"]
    assert situations["counts"]["domain"].get("space", 0) == len(in_period) > 0, situations["counts"]
    assert first.situations == len(situations["situations"])
    # the forces picture (issue 28): no register contribution, so the ILLUSTRATIVE example set, said so
    forces = json.loads((out / "forces.json").read_text())
    assert forces["example"] is True and forces["overview"]["illustrative"] is True
    assert forces["overview"]["elements"] > 100 and len(forces["generation"]) == 5
    assert all(g["troops"] <= 5000 and g["status"] in ("optimal", "infeasible") for g in forces["generation"].values())
    assert forces["review"]["headline"]["capabilities_required"] > 0 and forces["banner"] == "UNCLASSIFIED // TLP:CLEAR"
    # the mobility corridors (issue 27): the gauge-test network ships with Kompas, its corridor meets three obstacles
    mobility = json.loads((out / "mobility.json").read_text())
    (corridor,) = mobility["networks"]["gauge-test"]["corridors"]
    assert corridor["feasible"] and corridor["narrowest"] == "test:transship-sestokai"
    assert sorted(o["kind"] for o in corridor["obstacles"]) == ["border", "gauge", "mlc"]
    assert mobility["networks"]["gauge-test"]["illustrative"]["network"] is True


def test_everything_is_stored_and_a_rerun_stores_nothing_new(cycles) -> None:
    first, second, after_first, after_second, _ = cycles
    assert first.stored_element_sets == 682  # the sample and the protected assets' sets of the same date
    assert after_first["element_sets"] == 682 and after_first["contributions"] == 2
    assert after_first["conjunctions"] == first.new_conjunctions > 0
    assert after_first["events"] == first.new_events == len(first.events) > 0
    assert (second.stored_element_sets, second.new_conjunctions, second.new_events) == (0, 0, 0)
    assert after_second == after_first
    assert not second.rejected_events
    assert [c["id"] for c in second.conjunctions] == [c["id"] for c in first.conjunctions]


def test_the_summary_leaves_formations_out_and_ranks_by_pc(cycles) -> None:
    first = cycles[0]
    top = first.top_conjunctions(10)
    assert first.formation > 0  # TerraSAR-X and TanDEM-X fly in formation
    assert top and not any(first.is_formation(c) for c in top)
    pcs = [c["pc"] or 0.0 for c in top]
    assert pcs == sorted(pcs, reverse=True)


def test_the_report_goes_through_the_one_report_workflow(cycles, tmp_path, monkeypatch) -> None:
    """Regression (issue 17 #6): the cycle wrote its report with its own code; it now calls
    kompas.services.reports.threat_landscape (the API's report jobs' workflow) with the screening window."""
    from kompas.core.store import Store
    from kompas.services import reports
    from kompas.services.cycle import write_report

    first = cycles[0]
    calls = []
    real = reports.threat_landscape

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 (a pass-through)
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "threat_landscape", spy)
    store = Store(make_engine(first.database))
    out = write_report(first, store, first.assets, tmp_path, False, lambda *_: None)
    assert len(calls) == 1 and calls[0][1]["conjunction_window"] == first.screening
    assert calls[0][0][2:4] == first.period and calls[0][0][1] == store.account(SYSTEM_USER).viewer
    html = out["report_html"].read_text()
    assert f"Forecast: screened for {first.screening[0][:16]}" in html and first.report_marking.banner() in html
    in_period = sum(first.period[0] <= e.as_dict()["epoch_utc"] < first.period[1] for e in first.events)
    assert f"<p>{in_period} events in the period" in html


def test_the_cycle_has_its_own_system_user(cycles) -> None:
    from kompas.core.store import Store

    first = cycles[0]
    assert Store(make_engine(first.database)).account(SYSTEM_USER) is not None


def test_the_reference_time_leaves_out_sets_published_ahead() -> None:
    import dataclasses

    import numpy as np

    from kompas.files import load_catalog
    from kompas.services.cycle import reference_time

    catalog, _ = load_catalog([SAMPLE_TLE])
    elsets = catalog.latest()
    newest = max(e.epoch_utc for e in elsets)
    assert reference_time(elsets) == newest
    ahead = dataclasses.replace(elsets[0], epoch_utc=newest + np.timedelta64(2, "D"))  # as CXO in the real data
    assert reference_time([*elsets, ahead]) == newest


def test_a_satcat_completes_the_catalogue_and_a_wrong_file_is_one_rejection(tmp_path) -> None:  # noqa: ANN001
    """`kompas run --satcat`: CelesTrak's SATCAT records (the shared Indian subset) give their objects an owner, a
    launch date and a type; a TLE passed as a SATCAT is reported, nothing read from it."""
    from importlib.resources import files
    from pathlib import Path

    from kompas.services.cycle import read_satcat
    from kompas.space.catalog import Catalog
    from tests.conftest import REPO

    subset = REPO.parent / "shared" / "data" / "space" / "satcat-subset-india_2025-12-19.csv"
    if not subset.exists():
        pytest.skip(f"{subset} absent (../shared not beside the repository)")
    catalog = Catalog()
    assert read_satcat(catalog, [subset]) == []
    rows = subset.read_text().splitlines()[1:]
    known = [catalog.get(int(r.split(",")[2])) for r in rows]
    assert len(rows) > 100 and all(k is not None and k.info.owner for k in known)
    aryabhata = catalog[7752].info  # first row: ARYABHATA,1975-033A,7752,PAY,D,IND,4/19/1975,...
    assert (aryabhata.name, aryabhata.owner, aryabhata.object_type) == ("ARYABHATA", "IND", "PAY")
    assert str(aryabhata.launch_date)[:10] == "1975-04-19"
    tle = Path(str(files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle"))
    (wrong,) = read_satcat(Catalog(), [tle])
    assert "not a SATCAT" in wrong.reason
