"""Shared data for the context tests: ../shared/data/early-warning (UCDP CC BY 4.0; SIPRI fair-use extract; ND-GAIN,
IPC and VIEWS without a licence found), read from there only and never copied into the repository. Tests that need
it skip, saying so, when it is absent; each file is read once per process (kompas.context.load caches)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_CONTEXT = REPO.parent / "shared" / "data" / "early-warning"
UCDP_SAMPLE = REPO / "tests" / "data" / "context" / "ucdp_sample.csv"


def need_shared() -> Path:
    """``../shared/data/early-warning``, or skip saying where it was looked for and why it is not in the
    repository."""
    if not SHARED_CONTEXT.is_dir():
        pytest.skip(f"{SHARED_CONTEXT} is absent: SIPRI, IPC, ND-GAIN and VIEWS data are read from ../shared only, "
                    "never copied into the repository (clone ../shared beside the checkout)")
    return SHARED_CONTEXT
