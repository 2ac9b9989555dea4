"""The progress report and the `kompas compass` commands, on the shipped register, with status notes stored
through the platform under markings."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.compass.load import REGISTER
from kompas.compass.load import load_register as load
from kompas.compass.status import Note
from kompas.reports.progress import build

runner = CliRunner()


def test_report_sections_and_counts() -> None:
    entries = load(REGISTER)
    threat = next(c for c in entries if c.system == "I2" and c.deadline.kind == "recurring")
    notes = {threat.id: [Note(date(2025, 11, 20), "done", "Second threat analysis presented to the Council")]}
    page = build(entries, notes, date(2025, 12, 31), "UNCLASSIFIED", "public")
    for section in ("By document and strand", "Fell due in the year", "Done, with the evidence", "Overdue",
                    "evidence requested", "Coming due in the next twelve", "Recurring commitments and their cadence",
                    "Changes since the previous report", "Annex: every commitment"):
        assert section in page, section
    assert "Second threat analysis presented to the Council" in page and page.count("data:image/png;base64,") == 2
    assert f"<td>{threat.id}</td>" in page and "the EU threat analysis on 2028-12-31" in page
    assert "Annex" not in build(entries, notes, date(2025, 12, 31), "UNCLASSIFIED", annex=False)


def test_report_as_of_end_2025_from_public_evidence_as_pdf(tmp_path, monkeypatch) -> None:
    """The report the issue asks for: as of 2025-12-31, PDF, banner on every page, the public evidence cited."""
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))  # an empty platform: only the shipped public evidence
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    out = tmp_path / "progress.pdf"
    made = runner.invoke(app, ["compass", "report", "--as-of", "2025-12-31", "--out", str(out), "--no-annex",
                               "--banner", "RESTREINT UE/EU RESTRICTED", "--handling", "NL MOD only"])
    assert made.exit_code == 0, made.output
    pages = [p.extract_text() for p in pypdf.PdfReader(out).pages]
    assert 5 <= len(pages) <= 20
    assert all("RESTREINT UE/EU RESTRICTED" in text and "NL MOD only" in text for text in pages)
    text = " ".join(" ".join(pages).split())
    assert "JOIN(2022) 24" in text and "2022-05-18 (late)" in text and "evidence requested" in text
    assert "Annex" not in text


@pytest.fixture
def home(platform_home):
    return platform_home("EEAS", "EU", [("officer", "SECRET", []), ("reader", "UNCLASSIFIED", [])])


def test_commands_list_set_status_and_report(home) -> None:
    listed = runner.invoke(app, ["compass", "list", "--format", "csv", "--due-before", "2023-01-01"])
    assert listed.exit_code == 0, listed.output
    rows = list(csv.reader(io.StringIO(listed.output)))
    assert rows[0] == ["id", "source", "line_start", "line_end", "deadline", "actor", "summary"] and len(rows) > 5
    first = rows[1][0]
    ok = runner.invoke(app, ["compass", "set-status", first, "done", "--evidence", "Council conclusions of 2022",
                             "--as-of", "2022-11-14", "--user", "officer", "--classification", "RESTRICTED"])
    assert ok.exit_code == 0, ok.output
    # the note is RESTRICTED: the officer sees the commitment done, the unclassified reader does not
    seen = runner.invoke(app, ["compass", "list", "--format", "csv", "--status", "done", "--user", "officer",
                               "--as-of", "2025-12-31"])
    assert first in seen.output
    hidden = runner.invoke(app, ["compass", "list", "--format", "csv", "--status", "done", "--user", "reader",
                                 "--as-of", "2025-12-31"])
    assert first not in hidden.output
    bad = runner.invoke(app, ["compass", "set-status", "SC-999", "done", "--evidence", "x", "--user", "officer"])
    assert bad.exit_code == 2 and "no commitment" in bad.output
    out = home / "progress.html"
    made = runner.invoke(app, ["compass", "report", "--as-of", "2025-12-31", "--out", str(out), "--user", "officer",
                               "--banner", "RESTREINT UE/EU RESTRICTED"])
    assert made.exit_code == 0, made.output
    assert "Council conclusions of 2022" in out.read_text() and "RESTREINT UE/EU RESTRICTED" in out.read_text()
