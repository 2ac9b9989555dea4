"""Shared pieces of the exercise tests: the seed texts in ../shared (skipped, saying so, when absent) and a small
valid plan text that each refusal test breaks in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

#: A valid plan of two exercises in 2027 (2028 left empty, and 2027 without an operational exercise: the findings
#: tests count on both).
GOOD_PLAN = """\
title: test plan
illustrative: true
years: [2027, 2028]
precedents:
- id: stra-2023
  name: STRA 2023
  year: 2023
  summary: the EEAS's space threat response exercise
  verified: true
  sources: ["https://eeas.europa.eu/eeas/space-eu-tests-its-response-mechanism-threats_en"]
  checked: read on the EEAS page
exercises:
- code: EX-A
  illustrative: true
  title: first
  year: 2027
  level: technical
  kind: live
  scenario: breakup
  start_utc: "2027-03-01T08:00:00Z"
  duration_h: 24
  builds_on: [stra-2023]
  participants: [{org: EUSPA, role: lead}, {org: MS-IT, role: player}]
  objectives:
  - {id: T1, text: inform the HR, workflow: space, steps: [informed]}
- code: EX-B
  illustrative: true
  title: second
  year: 2027
  level: political-strategic
  kind: table-top
  scenario: rpo
  start_utc: "2027-03-10T09:00:00Z"
  duration_h: 4
  participants: [{org: PSC, role: player}]
  objectives:
  - {id: P1, text: decide, workflow: space, steps: [deliberation, decision], art_42_7: true}
"""


@pytest.fixture(scope="session")
def seeds() -> dict[str, list[str]]:
    """The seed texts (file name -> lines), or skip: they are read from ../shared only."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS} (clone ../shared beside the repository)")
    return {p.name: p.read_text().split("\n") for p in sorted(SEEDS.glob("*.txt"))}
