"""Shared data for the response tests, each file loaded once per session: SPARTA, ATT&CK, DISARM and the two
precedent CSV files, all in ../shared (skipped, saying so, when absent: SPARTA's terms are not verified, the
precedent CSVs are hand-made from press sources and DISARM is CC BY-SA, so none is copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SPARTA = SHARED / "space-threats" / "sparta"
ATTACK = SHARED / "cyber" / "attack"
DISARM = SHARED / "fimi" / "disarm"
SPACE_RESPONSES = SHARED / "space-threats" / "eu_space_responses.csv"
CYBER_SANCTIONS = SHARED / "cyber" / "eu_cyber_sanctions.csv"
SPACE_PROVENANCE = SHARED / "space-threats" / "PROVENANCE.md"
CYBER_PROVENANCE = SHARED / "cyber" / "PROVENANCE.md"


def need(path: Path) -> Path:
    """``path``, or skip: SPARTA, ATT&CK, DISARM and the precedent CSVs are read from ../shared/data only."""
    if not path.exists():
        pytest.skip(f"{path} is absent: this data is read from ../shared/data only, never copied into the "
                    "repository (clone ../shared beside the checkout)")
    return path


@pytest.fixture(scope="session")
def attack():
    """The ATT&CK Enterprise index (read once)."""
    from kompas.response.techniques import read_attack

    need(ATTACK)
    return read_attack("enterprise")


@pytest.fixture(scope="session")
def attack_ics():
    from kompas.response.techniques import read_attack

    need(ATTACK)
    return read_attack("ics")


@pytest.fixture(scope="session")
def sparta():
    """SPARTA as the MISP galaxy packages it, and the entries rejected."""
    from kompas.response.techniques import read_sparta

    return read_sparta(str(need(SPARTA)))


@pytest.fixture(scope="session")
def disarm_framework():
    from kompas.fimi.load import load_framework

    return load_framework(need(DISARM))


@pytest.fixture(scope="session")
def precedents():
    """Every precedent of the two CSV files, and the rows rejected."""
    from kompas.response.precedents import read_precedents

    return read_precedents(need(SPACE_RESPONSES), need(CYBER_SANCTIONS))


@pytest.fixture(scope="session")
def linked(precedents, attack):
    """The precedents with what ATT&CK says about the software and groups they name."""
    from kompas.response.precedents import with_attack

    return {p.id: p for p in with_attack(precedents[0], attack)}
