"""Shared data for the infrastructure tests: ../shared/data/infra (TeleGeography cables and exchanges, CC BY-NC-SA,
read from there only and never copied into the repository; the PyPSA-Eur grid extract, CC-BY-4.0). Tests that need
it skip, saying so, when it is absent; the public network is read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_INFRA = REPO.parent / "shared" / "data" / "infra"


def need_shared(sub: str = "") -> Path:
    """``../shared/data/infra/<sub>``, or skip saying where it was looked for and why it is not in the repository."""
    path = SHARED_INFRA / sub if sub else SHARED_INFRA
    if not path.exists():
        pytest.skip(f"{path} is absent: the cable and exchange maps are CC BY-NC-SA (TeleGeography) and are read "
                    "from ../shared only, never copied into the repository (clone ../shared beside the checkout)")
    return path


@pytest.fixture(scope="session")
def infra_dir() -> Path:
    """../shared/data/infra, or skip."""
    return need_shared()
