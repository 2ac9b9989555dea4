"""The status of each commitment as of a date, from its deadline and the dated evidence notes recorded for it.

Rules (``as_of`` is the report date; a note speaks for its own date only):

- a note is a (date, status, evidence) recorded through the platform; notes dated after ``as_of`` are ignored;
- a one-off commitment is ``done`` when a ``done`` note exists (``done_on`` is its date, later than ``due`` when
  it was done late); past its due date it is ``overdue`` only when a note dated on or after the due date says it
  is not done, and ``unknown`` otherwise, so that a missing or stale record is never reported as a missed
  commitment; before its due date it has its latest note's status (``not_started`` without notes);
- a ``from`` commitment (to be under way by its date) is met by an ``in_progress`` or ``done`` note and is
  otherwise judged like a one-off;
- a recurring commitment is judged on its latest occurrence due by ``as_of``: ``done`` when a ``done`` note is
  dated after the occurrence before it, otherwise as a one-off due then; ``next_due`` is the next occurrence;
- ``regularly``, ``ongoing`` and ``none`` deadlines have their latest note's status, ``unknown`` without notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kompas.compass.deadlines import add_months
from kompas.compass.register import Commitment

STATUSES = ("not_started", "in_progress", "done", "overdue", "unknown")


@dataclass(frozen=True)
class Note:
    """A dated status note: ``as_of`` the date the evidence speaks for."""

    as_of: date
    status: str
    evidence: str


@dataclass(frozen=True)
class Assessment:
    """A commitment's status as of a date: ``due`` is the (latest) due date reached, ``next_due`` the next one."""

    commitment: Commitment
    as_of: date
    status: str
    due: date | None
    next_due: date | None
    notes: tuple[Note, ...]
    done_on: date | None = None

    @property
    def fell_due(self) -> bool:
        return self.due is not None

    @property
    def late(self) -> bool:
        """Done after the (latest) due date."""
        return self.done_on is not None and self.due is not None and self.done_on > self.due


def parse_status(text: str) -> str:
    """A status from user text (``in progress``, ``In-Progress``, ``in_progress``); raises ``ValueError``."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    if key not in STATUSES:
        raise ValueError(f"{text!r} is not a status ({', '.join(s.replace('_', ' ') for s in STATUSES)})")
    return key


def assess(commitment: Commitment, notes: Iterable[Note], as_of: date) -> Assessment:
    """The status of ``commitment`` as of ``as_of`` (rules in the module docstring)."""
    known = tuple(sorted((n for n in notes if n.as_of <= as_of), key=lambda n: n.as_of))
    latest = known[-1].status if known else None
    deadline = commitment.deadline
    dues = deadline.occurrences(as_of)
    next_due = deadline.next_due(as_of)
    if deadline.due is None:
        return Assessment(commitment, as_of, latest or "unknown", None, None, known)
    done_on = next((n.as_of for n in known if n.status == "done"), None)
    if not dues:
        status = "done" if done_on else latest or "not_started"
        return Assessment(commitment, as_of, status, None, next_due, known, done_on)
    due = dues[-1]
    if deadline.kind == "recurring":
        previous = add_months(due, -(deadline.every_months or 0))
        window = [n for n in known if n.as_of > previous]
        done_on = next((n.as_of for n in window if n.status == "done"), None)
    else:
        window = list(known)
    if done_on is not None:
        status = "done"
    elif deadline.kind == "start" and window and window[-1].status == "in_progress":
        status = "in_progress"
    elif window and window[-1].as_of >= due and window[-1].status in ("not_started", "in_progress", "overdue"):
        status = "overdue"
    else:
        status = "unknown"
    return Assessment(commitment, as_of, status, due, next_due, known, done_on)

def assess_all(commitments: Sequence[Commitment], notes: Mapping[str, Sequence[Note]],
               as_of: date) -> list[Assessment]:
    """:func:`assess` for every commitment, with its notes from ``notes`` (by commitment id)."""
    return [assess(c, notes.get(c.id, ()), as_of) for c in commitments]
