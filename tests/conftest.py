"""Shared fixtures: where the real data lives, and a small sample that ships with the repository."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed (reproducible runs; a failure there is a real regression); local runs
# draw new examples each time and keep finding new cases (see `.ci/run`, which sets HYPOTHESIS_PROFILE=ci).
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]
SHARED_SPACE = REPO.parent / "shared" / "data" / "space"
SAMPLE_TLE = Path(str(files("kompas") / "data" / "sample" / "active_2026-05-05_sample.tle"))


@pytest.fixture(scope="session")
def shared_space() -> Path:
    """../shared/data/space, or skip the test saying so."""
    if not SHARED_SPACE.is_dir():
        pytest.skip(f"real data not found at {SHARED_SPACE} (clone ../shared beside the repository)")
    return SHARED_SPACE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_TLE.read_text()


@pytest.fixture
def platform_home(tmp_path, monkeypatch):
    """A fresh platform in $KOMPAS_HOME (SQLite) set up through the command line: call it with an organisation,
    its country and users as (name, clearance, communities); returns the home folder."""
    from typer.testing import CliRunner

    from kompas.cli import app

    runner = CliRunner()
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    monkeypatch.delenv("KOMPAS_DB", raising=False)

    def make(org: str, country: str, users: list[tuple[str, str, list[str]]]) -> Path:
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        assert runner.invoke(app, ["admin", "add-org", org, "--country", country]).exit_code == 0
        for name, clearance, communities in users:
            extra = [arg for c in communities for arg in ("--community", c)]
            made = runner.invoke(app, ["admin", "add-user", name, "--org", org, "--clearance", clearance, *extra])
            assert made.exit_code == 0, made.output
        return tmp_path

    return make
