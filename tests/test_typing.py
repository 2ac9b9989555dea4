"""mypy over the whole of ``src/`` at the strictness stated in ``pyproject.toml`` ([tool.mypy]: every function body
checked; engines, the vocabulary modules and the reports fully annotated), as part of the test command that CI
runs, so that a type error fails CI like any other defect."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_error_in_src() -> None:
    mypy = Path(sys.executable).parent / "mypy"
    if not mypy.exists():
        pytest.skip("mypy is not installed (pip install -e .[test] installs it)")
    done = subprocess.run([str(mypy), "--no-error-summary"], cwd=REPO, capture_output=True, text=True, timeout=1200)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 0 and not errors, "\n".join(errors[:50]) or done.stdout[-3000:] + done.stderr[-2000:]
