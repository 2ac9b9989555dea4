"""Loader of the exercise plan: a thin adapter that reads through :mod:`kompas.files` (the one I/O layer) and hands the
text to :func:`kompas.exercise.plan.parse_plan`. The engine modules themselves only parse text.
"""

from __future__ import annotations

from pathlib import Path

from kompas.exercise.plan import Plan, parse_plan
from kompas.files import packaged, read_text
from kompas.rejections import Rejection

__all__ = ["PLAN", "load_plan"]

PLAN = packaged("exercise/plan.yaml")  #: The ILLUSTRATIVE multi-annual plan 2027-2030 shipped with Kompas.


def load_plan(path: str | Path = PLAN) -> tuple[Plan, list[Rejection]]:
    """The plan at ``path`` (default: the shipped ILLUSTRATIVE one) and a rejection per malformed exercise or
    precedent; a file that cannot be read is one rejection (item 0) naming it and an empty plan."""
    try:
        text = read_text(path)
    except OSError as error:  # kompas.files: "PATH: reason"
        return Plan("", (0, 0), True), [Rejection(str(path), 0, "", str(error).removeprefix(f"{path}: "),
                                                  unit="item")]
    return parse_plan(text, str(path))
