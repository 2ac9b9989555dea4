"""`kompas observatory assess | stress | report | contribute` end to end."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from kompas.cli import app

from .conftest import SAMPLE
from .test_sources_and_config import OWN

runner = CliRunner()


def _data(dirs) -> list[str]:
    return [arg for d in dirs for arg in ("--data", str(d))]


def test_assess_writes_the_assessment(shared_dirs, tmp_path) -> None:
    out = tmp_path / "assessment.json"
    result = runner.invoke(app, ["observatory", "assess", *_data(shared_dirs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    found = json.loads(out.read_text())
    first = found["dependencies"][0]
    assert first["input_id"] == "gallium" and first["single_point"] == "CHN" and first["mitigations"]
    assert {t["technology_id"] for t in found["technologies"]} >= {"N99", "S2"}
    assert any(t["input_id"] == "lithium" for t in found["trends"])
    assert found["config"]["weights"]["outside_like_minded"] == 0.35 and "Riskiest inputs" in result.output


def test_stress_csv_with_country_names_and_codes(shared_dirs, tmp_path) -> None:
    out = tmp_path / "stress.csv"
    result = runner.invoke(app, ["observatory", "stress", *_data(shared_dirs), "--remove", "Netherlands",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open()))
    assert rows[0][:4] == ["input_id", "input_name", "supply_lost_pct", "technologies_affected"]
    euv = next(r for r in rows if r[0] == "N20")
    assert euv[2] == "100.00" and int(euv[3]) > 0
    by_code = runner.invoke(app, ["observatory", "stress", *_data(shared_dirs), "--remove", "NLD"])
    assert list(csv.reader(io.StringIO(by_code.stdout))) == rows
    unknown = runner.invoke(app, ["observatory", "stress", *_data(shared_dirs), "--remove", "ASMLL"])
    assert unknown.exit_code == 2 and "no provider 'ASMLL'" in unknown.output and "ASML" in unknown.output


def test_stress_on_the_shipped_sample_without_shared() -> None:
    result = runner.invoke(app, ["observatory", "stress", "--data", str(SAMPLE), "--remove", "China"])
    assert result.exit_code == 0, result.output
    rows = {r["input_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert float(rows["gallium"]["supply_lost_pct"]) == pytest.approx(100 * 900_000 / 909_000, abs=0.005)


def test_report_pdf_banner_on_every_page(shared_dirs, tmp_path) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "observatory.pdf"
    result = runner.invoke(app, ["observatory", "report", *_data(shared_dirs), "--out", str(out), "--stress", "TWN",
                                 "--stress", "NLD", "--banner", "RESTREINT UE/EU RESTRICTED"])
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in pypdf.PdfReader(out).pages]
    assert len(pages) >= 5 and all("RESTREINT UE/EU RESTRICTED" in p for p in pages)
    text = " ".join(" ".join(pages).split())
    for phrase in ("Dependencies ranked by criticality", "The supply chain", "Without TWN", "Without NLD",
                   "Candidate mitigations", "Gallium (low-purity)", "roadmap l."):
        assert phrase in text, phrase


def test_contributed_supply_data_under_a_marking(platform_home) -> None:
    """A RESTRICTED supply CSV for community "crm" is used for the analyst who may see it (and marks the
    assessment), never for the reader who may not."""
    tmp_path = platform_home("MOD-BE", "BE", [("analyst", "SECRET", ["crm"]), ("reader", "SECRET", [])])
    own = tmp_path / "germanium.csv"
    own.write_text(OWN)
    stored = runner.invoke(app, ["observatory", "contribute", str(own), "--user", "analyst", "--classification",
                                 "RESTRICTED", "--community", "crm"])
    assert stored.exit_code == 1 and "provider: unknown country" in stored.output  # bad rows listed, file kept
    seen, hidden = tmp_path / "seen.json", tmp_path / "hidden.json"
    for user, out in (("analyst", seen), ("reader", hidden)):
        runner.invoke(app, ["observatory", "assess", "--data", str(SAMPLE), "--user", user, "--out", str(out)])
    analyst, reader = json.loads(seen.read_text()), json.loads(hidden.read_text())
    assert "ge" in {d["input_id"] for d in analyst["dependencies"]}
    assert analyst["marking"]["classification"] == "RESTRICTED"
    assert "ge" not in {d["input_id"] for d in reader["dependencies"]} and reader["marking"] is None
