"""Where the shared data is: one locator for every command, the API and the tests.

Kompas reads the real public data (catalogue snapshots, CARA CDMs, the Observatory's and FIMI's data sets, the
seed texts) from a folder ``shared`` laid out as ``shared/data/<domain>/...``, ``shared/seeds``, ``shared/docs``.
It is looked for, in this order:

1. ``$KOMPAS_SHARED``: that folder (the one holding ``data/``); a folder that is itself the ``data`` folder is
   accepted too;
2. ``../shared`` beside the current folder;
3. ``../shared`` beside the checkout (``src/kompas/../../..``), so commands find it from any folder;
4. ``../shared`` beside the installation (the folder holding the Python environment, e.g. ``.venv``).

A command that finds nothing falls back to a sample bundled with Kompas (or to nothing), and says so with
:func:`fallback_note`, naming every place it looked (:func:`where_looked`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV = "KOMPAS_SHARED"  #: Environment variable naming the shared folder.


def _bases() -> list[Path]:
    """The candidate ``shared`` folders, most specific first, without duplicates."""
    bases: list[Path] = []
    explicit = os.environ.get(ENV)
    if explicit:
        bases.append(Path(explicit).expanduser())
    here = Path(__file__).resolve()
    folders = [Path.cwd()]
    if here.parents[1].name == "src":  # a checkout: src/kompas/locate.py
        folders.append(here.parents[2])
    folders.append(Path(sys.prefix).resolve().parent)  # the folder holding the environment (e.g. .venv)
    for folder in folders:
        bases.append(folder.resolve().parent / "shared")
    unique: list[Path] = []
    for base in bases:
        if base not in unique:
            unique.append(base)
    return unique


def _candidates(sub: str, folder: str) -> list[Path]:
    """``<base>/<folder>/<sub>`` for every base (and ``$KOMPAS_SHARED/<sub>`` when it names the folder itself)."""
    found: list[Path] = []
    explicit = os.environ.get(ENV)
    for base in _bases():
        found.append(base / folder / sub if folder else base / sub)
        if explicit and folder and base == Path(explicit).expanduser():
            found.append(base / sub)  # $KOMPAS_SHARED pointing at shared/data itself
    return list(dict.fromkeys(found))


def where_looked(sub: str) -> list[Path]:
    """Every place :func:`shared_data` looks for ``data/<sub>``, in order."""
    return _candidates(sub, "data")


def shared_data(sub: str) -> Path | None:
    """``shared/data/<sub>`` (e.g. ``"space"``, ``"observatory"``, ``"fimi/disarm"``) at the first place of
    :func:`where_looked` where it exists, else None (a clone without the shared data). Data under share-alike or
    non-commercial terms is only ever read from there."""
    return next((path for path in where_looked(sub) if path.exists()), None)


def where_looked_shared(sub: str) -> list[Path]:
    """Every place :func:`shared` looks for ``shared/<sub>``, in order."""
    return _candidates(sub, "")


def shared(sub: str) -> Path | None:
    """``shared/<sub>`` (e.g. ``"seeds"``) found the same way, else None."""
    return next((path for path in where_looked_shared(sub) if path.exists()), None)


def fallback_note(sub: str, using: str, places: list[Path] | None = None) -> str:
    """The line a command prints on standard error when it falls back:
    ``no ../shared/data/<sub> (looked in: A, B, C); <using>``."""
    looked = ", ".join(str(p) for p in (places if places is not None else where_looked(sub)))
    return f"no ../shared/data/{sub} (looked in: {looked}; set ${ENV} to the shared folder); {using}"
