"""Evidence files (kompas.compass.evidence): the public evidence shipped with Kompas holds against the register and
the seed texts, malformed notes are reported precisely while the good ones count, and `kompas compass
import-evidence` stores notes under their markings, once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app
from kompas.compass.evidence import by_commitment
from kompas.compass.load import PUBLIC_EVIDENCE, REGISTER, load_evidence
from kompas.compass.load import load_register as load
from kompas.compass.register import DOCUMENTS, quote_problem
from kompas.compass.status import assess_all

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
runner = CliRunner()


def test_public_evidence_is_well_formed_and_names_register_entries() -> None:
    entries = load(REGISTER)
    notes, problems = load_evidence(PUBLIC_EVIDENCE, {c.id for c in entries})
    assert problems == [] and len(notes) >= 15
    assert all(n.marking == {"classification": "UNCLASSIFIED", "tlp": "CLEAR"} for n in notes)
    assert all(date(2022, 1, 1) <= n.as_of <= date.today() for n in notes)  # not before the documents nor ahead


def test_public_evidence_seed_citations_hold() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS} (../shared absent)")
    texts = {name: (SEEDS / name).read_text().split("\n") for name in DOCUMENTS}
    cited = [n for n in load_evidence(PUBLIC_EVIDENCE)[0] if n.seed]
    assert len(cited) >= 3
    assert [(n.commitment_id, quote_problem(n.seed, texts[n.seed.source])) for n in cited
            if quote_problem(n.seed, texts[n.seed.source])] == []


def test_report_date_assessment_from_public_evidence() -> None:
    """As of 2025-12-31: the hybrid toolbox done on time, the investment gaps analysis three days late, the EU-NATO
    partnership under way from 2022, the Rapid Deployment Capacity not confirmed (its only note is from 2023)."""
    entries = load(REGISTER)
    status = {a.commitment.id: a for a in assess_all(entries, by_commitment(load_evidence()[0]), date(2025, 12, 31))}
    assert (status["SC-055"].status, status["SC-055"].late) == ("done", False)
    assert (status["SC-098"].status, status["SC-098"].late, status["SC-098"].done_on) == ("done", True,
                                                                                         date(2022, 5, 18))
    assert status["SC-133"].status == "in_progress"
    assert status["SC-009"].status == "unknown" and status["SC-009"].notes
    assert status["SC-153"].status == "unknown"  # the 2024 report is before the 2025 occurrence's window
    assert sum(a.status == "done" for a in status.values() if a.fell_due) >= 10


def test_malformed_notes_are_reported_by_item_and_field(tmp_path) -> None:
    path = tmp_path / "evidence.yaml"
    path.write_text("""marking: {classification: RESTRICTED, tlp: AMBER, communities: [space]}
notes:
- {id: SC-055, as_of: 2022-06-21, status: done, evidence: conclusions, source: doc. 10016/22}
- {id: SC-999, as_of: 2022-06-21, status: done, evidence: x, source: y}
- {id: SC-060, as_of: 2022-13-01, status: done, evidence: x, source: y}
- {id: SC-060, as_of: 2022-07-18, status: finished, evidence: x, source: y}
- {id: SC-060, as_of: 2022-07-18, status: done, evidence: x}
- {id: SC-060, as_of: 2022-07-18, status: done, evidence: x, source: y, seed: {source: nowhere.txt}}
- {id: SC-060, as_of: 2022-07-18, status: done, evidence: x, source: y, marking: {tlp: RED}}
""")
    notes, problems = load_evidence(path, {c.id for c in load(REGISTER)})
    assert [n.commitment_id for n in notes] == ["SC-055"]
    assert notes[0].marking["classification"] == "RESTRICTED"  # the file's marking is the default
    assert [str(p) for p in problems] == [  # kompas.rejections.Rejection, unit "item"
        f"{path}: item 2: id: no commitment 'SC-999' in the register",
        f"{path}: item 3: as_of: '2022-13-01' is not a date YYYY-MM-DD",
        f"{path}: item 4: status: 'finished' is not one of not_started, in_progress, done, overdue, unknown",
        f"{path}: item 5: source: missing",
        f"{path}: item 6: seed: needs source (one of {', '.join(DOCUMENTS)}), lines and quote",
        f"{path}: item 7: marking: needs classification and at most classification, tlp, releasable_to, communities",
    ]


@pytest.fixture
def home(platform_home):
    return platform_home("MOD-NL", "NL", [("analyst", "SECRET", ["space"]), ("reader", "UNCLASSIFIED", [])])


def test_import_evidence_stores_once_under_markings(home) -> None:
    path = home / "ministry.yaml"
    path.write_text("""marking: {classification: RESTRICTED, tlp: AMBER, communities: [space]}
notes:
- {id: SP-010, as_of: 2025-06-30, status: in progress, evidence: National operators joined the pilot Space ISAC,
   source: ministry assessment 2025/17}
- {id: SP-999, as_of: 2025-06-30, status: done, evidence: x, source: y}
""")
    first = runner.invoke(app, ["compass", "import-evidence", str(path), "--user", "analyst"])
    assert first.exit_code == 1 and "item 2: id: no commitment 'SP-999'" in first.output
    assert "1 notes stored, 0 already stored, 1 rejected" in first.output
    again = runner.invoke(app, ["compass", "import-evidence", str(path), "--user", "analyst"])
    assert "0 notes stored, 1 already stored" in again.output
    public = runner.invoke(app, ["compass", "import-evidence", str(PUBLIC_EVIDENCE), "--user", "analyst"])
    assert public.exit_code == 0, public.output
    # RESTRICTED and need-to-know "space": the analyst sees the ministry's note (still in progress in mid-2025, so
    # the 2024 Space ISAC is overdue), the reader does not; stored public evidence is seen by both
    options = ["--format", "csv", "--as-of", "2025-12-31", "--no-public-evidence", "--status"]
    seen = runner.invoke(app, ["compass", "list", *options, "overdue", "--user", "analyst"])
    hidden = runner.invoke(app, ["compass", "list", *options, "overdue", "--user", "reader"])
    assert "SP-010" in seen.output and "SP-010" not in hidden.output
    assert "SC-133" in runner.invoke(app, ["compass", "list", *options, "in progress", "--user", "reader"]).output
    nobody = runner.invoke(app, ["compass", "import-evidence", str(path), "--user", "ghost"])
    assert nobody.exit_code == 2 and "--user must name a platform user" in nobody.output
