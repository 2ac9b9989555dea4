"""Commitments workflows, shared by the CLI and the API: the register's status as of a date from the evidence
notes a viewer may see, and recording a dated status note under a marking.

``kompas compass list|set-status``, ``GET /api/v1/commitments``, ``POST /api/v1/commitments/{id}/status`` and the
progress report (:mod:`kompas.services.reports`) call these functions, so the notes used, the status rules and the
marking of the result are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kompas.core import audit
from kompas.core.markings import TLP, Marking, Viewer, combine
from kompas.core.store import Account, Store, StoreError, Submitted

PUBLIC = Marking(tlp=TLP.CLEAR)  #: the marking of the public evidence shipped with Kompas


@dataclass
class Register:
    """The register assessed as of a date: each commitment's :class:`kompas.compass.status.Assessment`, the notes
    read (platform rows), and the combined marking of everything used (public evidence: UNCLASSIFIED TLP:CLEAR)."""

    assessments: list[Any]
    rows: list[dict]
    marking: Marking


def notes(store: Store | None, viewer: Viewer | None, public_evidence: bool = True) -> tuple[dict, list[dict]]:
    """Status notes by commitment id from the platform (the rows ``viewer`` may see; None: the system's own jobs;
    no store or no schema yet: none) and, when ``public_evidence``, the shipped public evidence; identical notes
    are kept once. Returns them and the platform rows read."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from kompas.compass.evidence import by_commitment
    from kompas.compass.load import load_evidence

    rows: list[dict] = []
    if store is not None:
        try:
            rows = store.commitment_statuses(viewer)
        except (OperationalError, ProgrammingError):  # a database without the schema holds no notes
            rows = []
    return by_commitment(load_evidence()[0] if public_evidence else [], rows), rows


def notes_and_marking(store: Store | None, viewer: Viewer | None, public_evidence: bool = True
                      ) -> tuple[dict, Marking]:
    """:func:`notes` and the combined marking of everything they hold (the public evidence is UNCLASSIFIED
    TLP:CLEAR): what a page or report showing them carries."""
    by_id, rows = notes(store, viewer, public_evidence)
    return by_id, combine([PUBLIC, *(Marking.from_dict(r["marking"]) for r in rows)])


def assess(store: Store | None, viewer: Viewer | None, as_of: date, public_evidence: bool = True,
           register: Sequence[Any] | None = None) -> Register:
    """The register (default: the shipped one) with each commitment's status as of ``as_of``
    (:func:`kompas.compass.status.assess_all`) from :func:`notes`, and the combined marking of the notes used."""
    from kompas.compass.load import load_register as load
    from kompas.compass.status import assess_all

    by_id, rows = notes(store, viewer, public_evidence)
    entries = list(register) if register is not None else load()
    marking = combine([PUBLIC, *(Marking.from_dict(r["marking"]) for r in rows)])
    return Register(assess_all(entries, by_id, as_of), rows, marking)


def as_json(register: Register) -> list[dict]:
    """Each assessed commitment as the API returns it."""
    return [{"id": c.id, "source": c.source, "line_start": c.place.first, "line_end": c.place.last,
             "quote": c.place.quote, "summary": c.summary, "actors": list(c.actors), "deadline": c.deadline.text,
             "strand": c.strand, "system": c.system, "status": a.status,
             "due": a.due and a.due.isoformat(), "next_due": a.next_due and a.next_due.isoformat(),
             "done_on": a.done_on and a.done_on.isoformat(), "late": a.late,
             "notes": [{"as_of": n.as_of.isoformat(), "status": n.status, "evidence": n.evidence} for n in a.notes]}
            for a in register.assessments for c in [a.commitment]]


def record_status(store: Store, account: Account, commitment_id: str, status: str, evidence: str, as_of: date,
                  marking: Marking, source: str, register: Sequence[Any] | None = None) -> Submitted:
    """Record a commitment's status with dated evidence under ``marking`` for ``account`` (audited). Raises
    StoreError for a commitment the register does not hold or a status the rules do not know, and MarkingError for
    a marking the account may not give."""
    from kompas.compass.load import load_register as load

    ids = {c.id for c in (register if register is not None else load())}
    if commitment_id not in ids:
        audit.append(store.engine, account.name, "commitment-status", commitment_id, "rejected", "no such commitment")
        raise StoreError(f"no commitment {commitment_id} in the register")
    done = store.set_commitment_status(account, commitment_id, status, evidence, as_of.isoformat(), marking,
                                       source=source)
    audit.append(store.engine, account.name, "commitment-status", commitment_id, "ok", f"{status} as of {as_of}")
    return done
