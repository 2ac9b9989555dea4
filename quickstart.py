#!/usr/bin/env python3
"""Set Kompas up in ./.venv and run the main job or the whole test suite.

    python3 quickstart.py run    # set up, then `kompas run` on real data (prints where outputs are)
    python3 quickstart.py test   # set up, then every test (pytest)

Needs only python3.11+, pip and git. Extra arguments are passed on (to `kompas run` or to pytest).
Re-running skips the install when pyproject.toml has not changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def setup() -> None:
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".kompas-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True)
    subprocess.run(pip + ["-e", f"{ROOT}[test,embeddings]"], check=True)
    stamp.write_text(digest)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    setup()
    if sys.argv[1] == "run":
        return subprocess.run([str(BIN / "kompas"), "run", *sys.argv[2:]], cwd=ROOT).returncode
    return subprocess.run([str(BIN / "python"), "-m", "pytest", *sys.argv[2:]], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
