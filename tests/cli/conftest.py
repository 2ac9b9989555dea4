"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas.cli import app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``$KOMPAS_HOME`` (no ``KOMPAS_DB``) with the database initialised and the organisation NL-NSO."""
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    runner = CliRunner()
    for argv in (["admin", "init"], ["admin", "add-org", "NL-NSO", "--country", "NL"]):
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
    return tmp_path
