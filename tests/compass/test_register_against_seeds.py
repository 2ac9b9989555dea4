"""The register against the seed texts: every quote within its cited lines, strands, ids, deadlines, and the
completeness list (every seed line naming a year 2022-2030 or a recurrence is in an entry or a reviewed
exclusion)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kompas.compass.load import EXCLUDED, REGISTER, load_excluded
from kompas.compass.load import load_register as load
from kompas.compass.register import DOCUMENTS, check, parse_entries, uncovered

MAX_EXCLUDED = 40  #: The reviewed list of flagged lines that are not commitments must stay short.


SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seeds():
    folder = SEEDS
    if not folder.is_dir():
        pytest.skip(f"seed texts not found at {folder} (../shared absent)")
    return {name: (folder / name).read_text().split("\n") for name in DOCUMENTS}


def test_register_loads_with_unique_ids_and_parsed_deadlines() -> None:
    entries = load(REGISTER)
    assert len(entries) > 100
    ids = Counter(c.id for c in entries)
    assert not [i for i, n in ids.items() if n > 1]
    assert {c.source for c in entries} == set(DOCUMENTS)
    kinds = Counter(c.deadline.kind for c in entries)
    assert kinds["date"] > 30 and kinds["recurring"] >= 3


def test_every_quote_is_in_its_cited_lines_and_every_strand_right(seeds) -> None:
    assert check(load(REGISTER), seeds) == []


def test_completeness_list_is_empty_and_the_exclusions_short_and_explained(seeds) -> None:
    excluded = load_excluded(EXCLUDED)
    assert len(excluded) <= MAX_EXCLUDED
    missing = uncovered(load(REGISTER), seeds, [(x["source"], x["line"]) for x in excluded])
    assert missing == [], "\n".join(f"{s}:{n}: {t}" for s, n, t in missing)
    entries = load(REGISTER)
    covered = {(p.source, n) for c in entries for p in c.places for n in range(p.first, p.last + 1)}
    assert not [x for x in excluded if (x["source"], x["line"]) in covered], "an excluded line is in an entry"


def test_the_commitments_the_issue_names_are_there() -> None:
    """The Compass's annual progress report and threat analysis every three years, the roadmap's biennial
    classified report, the space strategy's first annual report in 2024."""
    entries = load(REGISTER)
    recurring = [c for c in entries if c.deadline.kind == "recurring"]
    assert any(c.system == "I2" and c.deadline.every_months == 36 for c in recurring)
    assert any(c.system == "G1" and c.deadline.every_months == 12 and c.source == "000_e18c6be3a889c87f.txt"
               for c in recurring)
    assert any(c.deadline.every_months == 24 and c.source == "003_70738f2d94b8eeb0.txt" for c in recurring)
    assert any(c.source == "004_a47d80d624d89186.txt" and c.deadline.due and c.deadline.due.year == 2024
               and "jaarverslag" in c.place.quote for c in entries)


def test_malformed_entries_are_reported_by_entry_and_field() -> None:
    good = {"id": "SC-001", "source": "000_e18c6be3a889c87f.txt", "lines": [5, 6], "quote": "q", "summary": "s",
            "actors": ["EU"], "deadline": "2025", "strand": "Act"}
    entries, problems = parse_entries([good, {**good, "id": "CT-001"}, {**good, "deadline": "soon"},
                                       {**good, "lines": [6, 5]}, {**good, "actors": []},
                                       {k: v for k, v in good.items() if k != "quote"}], "r.yaml")
    assert [c.id for c in entries] == ["SC-001"]
    assert [p.split(": ", 2)[2].split(":")[0] for p in problems] == ["id", "deadline", "lines", "actors", "quote"]
