"""Deadlines as the documents state them, and when each falls due.

Grammar of a register ``deadline`` (case-insensitive):

- a point in time, due at its end: ``2025`` (31 Dec), ``2025-06``, ``2025-06-30``, ``2025-Q2``, ``2025-H1``,
  ``early-2025`` (31 Mar), ``mid-2025`` (30 Jun), ``end-2025`` (31 Dec), ``autumn-2025`` (30 Nov),
  ``spring-2025`` (31 May);
- a recurrence: ``every N years from <point>``, ``every N months from <point>``, ``annually from <point>``
  (= every 1 year), ``at least every N years from <point>`` (the same cadence as an upper bound); the first
  occurrence is due at the point, the next ones every N years/months after it;
- ``from <point>``: a continuing commitment that is to have started by the point ("vanaf 2022 zullen we ...");
  it falls due once, at the point, and is met by being under way;
- ``regularly`` (a recurrence without a stated cadence), ``ongoing`` (a standing commitment, never due), and
  ``none`` (a measurable target without a date).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_SEASON_END = {"early": (3, 31), "spring": (5, 31), "mid": (6, 30), "summer": (8, 31), "autumn": (11, 30),
               "end": (12, 31)}
_POINT = re.compile(r"^(?:(?P<season>early|spring|mid|summer|autumn|end)-)?(?P<year>20\d\d)"
                    r"(?:-(?:(?P<q>q[1-4])|(?P<h>h[12])|(?P<month>\d\d)(?:-(?P<day>\d\d))?))?$")
_EVERY = re.compile(r"^(?:at least )?(?:every (?P<n>\d+) (?P<unit>years?|months?)|(?P<annual>annually)) from "
                    r"(?P<point>\S+)$")
OPEN_KINDS = ("regularly", "ongoing", "none")


class DeadlineError(ValueError):
    """A deadline text that the grammar (module docstring) does not accept."""


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: ``kind`` is ``date``, ``start``, ``recurring``, ``regularly``, ``ongoing`` or ``none``;
    ``due`` the (first) due date; ``every_months`` the cadence of a recurrence."""

    text: str
    kind: str
    due: date | None = None
    every_months: int | None = None

    def occurrences(self, until: date) -> list[date]:
        """Due dates up to and including ``until`` (one for a date, every cadence step for a recurrence)."""
        if self.due is None:
            return []
        if self.kind != "recurring":
            return [self.due] if self.due <= until else []
        out = []
        for when in self._recurrences():
            if when > until:
                break
            out.append(when)
        return out

    def next_due(self, after: date) -> date | None:
        """The first due date strictly after ``after`` (None when nothing is due any more or ever)."""
        if self.due is None:
            return None
        if self.kind != "recurring":
            return self.due if self.due > after else None
        return next((when for when in self._recurrences() if when > after), None)

    def _recurrences(self) -> Iterator[date]:
        """Every due date of a recurrence, in order, until the calendar ends (year 9999)."""
        due, every = self.due, self.every_months
        if due is None or every is None:
            return
        k = 0
        while True:
            try:
                yield add_months(due, k * every)
            except ValueError:  # beyond date.max
                return
            k += 1


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept at the month's end when it was at a month's end (30 Jun + 6 = 31 Dec)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if at_end else min(day.day, last))


def _point(text: str) -> date:
    match = _POINT.match(text)
    if not match:
        raise DeadlineError(f"{text!r} is not a date like 2025, 2025-06, 2025-06-30, 2025-Q2, 2025-H1 or mid-2025")
    year = int(match["year"])
    if match["season"]:
        if match["q"] or match["h"] or match["month"]:
            raise DeadlineError(f"{text!r}: a season takes a year only")
        return date(year, *_SEASON_END[match["season"]])
    if match["q"]:
        month = 3 * int(match["q"][1])
    elif match["h"]:
        month = 6 * int(match["h"][1])
    elif match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise DeadlineError(f"{text!r}: no month {month}")
        if match["day"]:
            try:
                return date(year, month, int(match["day"]))
            except ValueError as error:
                raise DeadlineError(f"{text!r}: {error}") from None
    else:
        month = 12
    return date(year, month, calendar.monthrange(year, month)[1])


def parse(text: str) -> Deadline:
    """Parse a register deadline (grammar in the module docstring); raises :class:`DeadlineError`."""
    clean = " ".join(str(text).strip().lower().split())
    if clean in OPEN_KINDS:
        return Deadline(text, clean)
    every = _EVERY.match(clean)
    if every:
        months = 12 if every["annual"] else int(every["n"]) * (12 if every["unit"].startswith("year") else 1)
        if months <= 0:
            raise DeadlineError(f"{text!r}: the cadence must be positive")
        return Deadline(text, "recurring", _point(every["point"]), months)
    if clean.startswith("from "):
        return Deadline(text, "start", _point(clean.removeprefix("from ")))
    return Deadline(text, "date", _point(clean))
