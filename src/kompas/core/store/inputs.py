"""What screening used, by record id: element sets or operator ephemerides (a conjunction names either)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from kompas.core.models import ElementSetRecord, EphemerisRecord


def input_facts(s: Session, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``(data time, name)`` of screened inputs by record id: an element set's epoch and name, or an operator
    ephemeris's creation date and object name (a conjunction's ``primary_elset_id`` / ``secondary_elset_id`` name
    either: :func:`kompas.core.jobs.screen_catalogue`). In the caller's session: a conjunction's marking covers
    the inputs it was screened from."""
    wanted = sorted(set(ids))
    out: dict[str, tuple[str, str]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        out.update((i, (t, n)) for i, t, n in s.execute(select(ElementSetRecord.id, ElementSetRecord.epoch_utc,
                                                               ElementSetRecord.name)
                                                        .where(ElementSetRecord.id.in_(chunk))))
        rest = [i for i in chunk if i not in out]
        if rest:
            out.update((i, (t, n)) for i, t, n in s.execute(select(EphemerisRecord.id, EphemerisRecord.created_utc,
                                                                   EphemerisRecord.object_name)
                                                            .where(EphemerisRecord.id.in_(rest))))
    return out
