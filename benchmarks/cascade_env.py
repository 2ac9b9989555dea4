"""A Python 3.11 virtual environment with ESA's cascade (PyPI ``esa-cascade``) for the screening benchmark.

cascade's newest release on PyPI, 0.1.7 (October 2023), has wheels for CPython 3.8-3.11 on x86-64 Linux only and
requires ``heyoka==3.0.*``, which PyPI no longer serves (its ``heyoka`` project keeps 7.10 and newer only), so a plain
``pip install esa-cascade`` fails. The wheel bundles its own compiled heyoka 3 (``esa_cascade.libs``) and needs the
Python ``heyoka`` package only for ``import heyoka`` in ``cascade/__init__.py``, used to convert heyoka expressions
(custom dynamics). Keplerian dynamics, cascade's default, never converts an expression, so the fallback installs the
cascade wheel without dependencies beside the newest ``heyoka`` (see ``cascade_screen.py`` for the one other step
this needs). The environment (``benchmarks/.cascade-venv``) is created on first use.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".cascade-venv"
VERSION = "0.1.7"  # the newest release on PyPI
BASES = ("/root/.pyenv/versions/3.11.7/bin/python3",)
PROBE = "import cascade, heyoka, sgp4, numpy"


def _base_python() -> str | None:
    """A CPython 3.11 interpreter: the newest version cascade ships wheels for, and Kompas's."""
    for candidate in BASES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("python3.11")


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "install", "-q", "--only-binary", ":all:", *args],
                          capture_output=True, text=True)


def _last_line(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if line.startswith("ERROR")] or done.stderr.splitlines()
    return lines[-1].strip() if lines else f"exit {done.returncode}"


def cascade_python() -> Path | None:
    """Python of ``benchmarks/.cascade-venv`` with cascade, sgp4 and numpy, created on first use.

    None (with the reason on stderr) when no Python 3.11 exists or cascade cannot be installed."""
    python = VENV / "bin" / "python"
    if python.exists() and subprocess.run([str(python), "-c", PROBE], capture_output=True).returncode == 0:
        return python
    base = _base_python()
    if base is None:
        print("cascade not run: no Python 3.11 on this machine (esa-cascade has wheels for CPython 3.8-3.11 only)",
              file=sys.stderr)
        return None
    if not python.exists():
        env = dict(os.environ, PYENV_VERSION="3.11.7")
        done = subprocess.run([base, "-m", "venv", str(VENV)], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            print(f"cascade not run: cannot create {VENV}: {done.stderr.strip()}", file=sys.stderr)
            return None
    plain = _pip(python, f"esa-cascade=={VERSION}", "sgp4", "numpy")
    if plain.returncode != 0:  # heyoka==3.0.* is gone from PyPI: the bundled heyoka 3 is enough for Kepler
        print(f"esa-cascade {VERSION} with its dependencies: {_last_line(plain)}; installing it without them, beside "
              "the newest heyoka", file=sys.stderr)
        for args in ((f"esa-cascade=={VERSION}", "--no-deps"), ("heyoka", "sgp4", "numpy")):
            done = _pip(python, *args)
            if done.returncode != 0:
                print(f"cascade not run: pip install {' '.join(args)}: {_last_line(done)}", file=sys.stderr)
                return None
    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"cascade not run: {PROBE!r} fails: {probe.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return python


if __name__ == "__main__":
    found = cascade_python()
    print(found if found else "cascade unavailable")
    sys.exit(0 if found else 1)
