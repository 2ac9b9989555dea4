"""The threat landscape report: banner on the page, counts against the previous period, notable events first."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kompas.cli import app
from kompas.reports.threat_landscape import build


def _event(kind: str, when: str, severity: str = "low", owners: dict | None = None) -> dict:
    return {"id": f"{kind}-{when}", "type": kind, "norad_ids": [25544], "start_utc": when, "end_utc": when,
            "epoch_utc": when, "severity": severity, "confidence": 0.8, "summary": f"{kind} at {when}",
            "evidence": {}, "owners": owners or {}}


EVENTS = [_event("manoeuvre", "2026-04-28T00:00:00.000Z"), _event("manoeuvre", "2026-05-02T00:00:00.000Z"),
          _event("manoeuvre", "2026-05-03T00:00:00.000Z", "high", {"25544": "ISS"}),
          _event("proximity", "2026-05-04T00:00:00.000Z", "medium")]


def test_report_counts_banner_and_order() -> None:
    page = build(EVENTS, "2026-05-01T00:00:00.000Z", "2026-05-06T00:00:00.000Z", "SECRET UE/EU SECRET", "REL TO EU")
    assert page.count("SECRET UE/EU SECRET") >= 4  # top and bottom of the page, and the print header and footer
    assert "<tr><td>manoeuvre</td><td>2</td><td>1</td><td>+1</td></tr>" in page
    assert "<tr><td>proximity</td><td>1</td><td>0</td><td>+1</td></tr>" in page
    assert page.index("proximity at 2026-05-04") < page.index("manoeuvre at 2026-05-03")  # notable first
    assert "<td>ISS</td><td>1</td>" in page and "data:image/png;base64," in page


def test_report_command(tmp_path) -> None:
    events = tmp_path / "events.json"
    events.write_text(json.dumps(EVENTS))
    argv = ["space", "report", "--events", str(events), "--from", "2026-05-01T00:00:00Z", "--to",
            "2026-05-06T00:00:00Z", "--banner", "RESTREINT UE/EU RESTRICTED"]
    result = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "RESTREINT UE/EU RESTRICTED" in (tmp_path / "r.html").read_text()
    events.write_text(json.dumps([*EVENTS, {"type": "manoeuvre"}]))  # one malformed item: reported, rest kept
    partial = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "r2.html")])
    assert partial.exit_code == 1 and "item 5: id: missing" in partial.output
    assert "proximity at 2026-05-04" in (tmp_path / "r2.html").read_text()
    refused = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "r.pdf")])
    assert refused.exit_code == 2 and "only .html" in refused.output
