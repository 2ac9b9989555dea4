"""`kompas intel` as a new user follows examples/intel/README.md on a fresh embedded platform: a SECRET report, an
assessment citing it raised to SECRET, a judgement resolved and scored, the reliability diagram written, the
uncleared reader shown nothing; bad files end in one line naming the file, place and reason (issue 26)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "intel"
runner = CliRunner()


def _run(*argv: str, code: int = 0) -> str:
    result = runner.invoke(app, list(argv))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    _run("admin", "add-org", "FR-DGSE", "--country", "FR")
    _run("admin", "add-org", "EU-INTCEN", "--country", "BE")
    _run("admin", "add-user", "fr-officer", "--org", "FR-DGSE", "--clearance", "SECRET", "--community", "hybrid")
    _run("admin", "add-user", "analyst", "--org", "EU-INTCEN", "--clearance", "SECRET", "--community", "hybrid")
    _run("admin", "add-user", "reader", "--org", "EU-INTCEN", "--clearance", "RESTRICTED")
    return tmp_path


def _stored_id(output: str, kind: str) -> str:
    found = re.search(rf"stored {kind} ([0-9a-f-]{{36}})", output)
    assert found, output
    return found.group(1)


def test_the_examples_walkthrough(platform: Path) -> None:
    out = _run("intel", "contribute", str(EXAMPLES / "report.yaml"), "--user", "fr-officer", "--classification",
               "SECRET", "--community", "hybrid")
    report = _stored_id(out, "report")
    assert "SECRET UE/EU SECRET // NTK (hybrid)" in out
    out = _run("intel", "add", "assessment", str(EXAMPLES / "assessment.yaml"), "--user", "analyst", "--cite",
               f"report:{report}")
    assessment = _stored_id(out, "assessment")
    assert "SECRET" in out and "raised" in out
    _run("intel", "resolve", assessment, "0", "--happened", "--on", "2025-07-01", "--user", "analyst")
    diagram = platform / "reliability.svg"
    out = _run("intel", "scores", "--user", "analyst", "--format", "json", "--diagram", str(diagram))
    scores = json.loads(out[out.index("{"):])
    assert scores["judgements"] == 1 and scores["overall"]["brier"] == pytest.approx(0.105625, abs=1e-12)
    assert "<svg" in diagram.read_text()
    page = platform / "assessment.html"
    _run("intel", "show", assessment[:8], "--user", "analyst", "--format", "html", "--out", str(page))  # a prefix
    assert page.read_text().count("SECRET UE/EU SECRET") >= 2
    out = _run("intel", "show", assessment, "--user", "reader", code=2)
    assert "not found (or not one you may see)" in out
    out = _run("intel", "list", "--user", "reader", "--format", "json")
    assert json.loads(out[out.index("{"):])["total"] == 0
    out = _run("intel", "list", "--user", "analyst")
    assert assessment in out and report in out, "ids print whole"
    for kind in ("board", "requirement", "assumptions"):
        _stored_id(_run("intel", "add", kind, str(EXAMPLES / f"{kind}.yaml"), "--user", "analyst"), kind)
    out = _run("intel", "requirements", "--user", "analyst", "--today", "2025-04-01", "--format", "json")
    assert json.loads(out[out.index("{"):])["overdue"] == 1


def test_bad_files_end_in_a_reason(platform: Path) -> None:
    bad = platform / "bad.yaml"
    bad.write_text("title: [unclosed\n")
    out = _run("intel", "contribute", str(bad), "--user", "fr-officer", code=2)
    assert "bad.yaml line 2: not JSON or YAML" in re.sub(r"\s+", " ", out)
    items = platform / "two.yaml"
    good = (EXAMPLES / "report.yaml").read_text()
    items.write_text(json.dumps([{"title": "x"}, __import__("yaml").safe_load(good)]))
    out = _run("intel", "contribute", str(items), "--user", "fr-officer", code=1)
    flat = re.sub(r"\s+", " ", out)
    assert "two.yaml item 1: text: required" in flat and "1 of 2 item(s) rejected, 1 stored" in flat
    out = _run("intel", "add", "memo", str(items), "--user", "fr-officer", code=2)
    assert "one of report, assessment" in re.sub(r"\s+", " ", out)
    out = _run("intel", "add", "assessment", str(EXAMPLES / "assessment.yaml"), "--user", "nobody", code=2)
    assert "must name a platform user" in out
    out = _run("intel", "add", "board", str(EXAMPLES / "board.yaml"), "--user", "analyst", "--cite", "report:x",
               code=2)
    assert "adds citations to assessments" in re.sub(r"\s+", " ", out)
    out = _run("intel", "add", "assessment", str(EXAMPLES / "assessment.yaml"), "--user", "analyst", "--cite",
               "report:00000000-0000-4000-8000-000000000000", code=1)
    assert "not found (or not one you may see)" in re.sub(r"\s+", " ", out)
