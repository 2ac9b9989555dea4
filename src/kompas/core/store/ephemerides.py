"""Operators' ephemerides (CCSDS OEM, KVN or XML) contributed under markings.

An OEM is checked whole by :mod:`kompas.space.odm` before anything is stored: a message that cannot be read is
one contribution with its rejections (line, keyword, reason) and no ephemeris. The object is the OEM's
``OBJECT_ID`` as a NORAD catalogue number, or its international designator resolved through the element sets
the platform holds, or the ``norad_id`` the contributor gives; one OEM describes one object (every segment the
same ``OBJECT_ID``). The span is the union of the segments' useable spans in UTC. An OEM is stored only when it can
be screened: :func:`kompas.space.ephemeris.from_segments` builds its interpolant first (enough states per span,
epochs strictly increasing, frames and time systems it can convert).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kompas.core.markings import Marking, Viewer
from kompas.core.models import ElementSetRecord, EphemerisRecord
from kompas.core.shapes import EphemerisView
from kompas.core.store.base import Account, Page, StoreBase, StoreError, Submitted, utc_text
from kompas.rejections import Rejection

EPHEMERIS_FORMATS = ("oem-kvn", "oem-xml")


class EphemeridesStore(StoreBase):
    """Contributed OEMs: stored and listed; :meth:`ephemerides_covering` gives them to a screening (the
    ``kompas space screen --ephemeris`` engine; the platform's own screening does not read them yet)."""

    def contribute_ephemeris(self, account: Account, content: str, fmt: str, marking: Marking,
                             source: str = "api", norad_id: int | None = None) -> Submitted:
        """Store one CCSDS OEM (``fmt`` ``oem-kvn`` or ``oem-xml``) under ``marking``. A message that cannot be
        read, that holds no Earth-centred UTC-convertible segment, or whose object cannot be named by a NORAD
        catalogue number, is returned as rejections and nothing is stored."""
        from kompas.space import odm

        if fmt not in EPHEMERIS_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(EPHEMERIS_FORMATS)}")
        self.check_marking(account, marking)
        try:
            message = odm.read(content, source)
        except odm.OdmError as error:
            return self._rejected(account, "ephemeris", fmt, source, marking, list(error.rejections))
        if not isinstance(message, odm.oem.Oem):
            return self._rejected(account, "ephemeris", fmt, source, marking, [Rejection(
                source, 0, "", f"an ephemeris contribution is an OEM; this is a {type(message).__name__.upper()}")])
        problem, summary = _summary(message, source)
        if problem:
            return self._rejected(account, "ephemeris", fmt, source, marking, [problem])
        # the designator is looked up among the element sets the contributor may see: an OEM never tells its
        # contributor whether, or under which number, a hidden object exists
        with self.session(account.viewer) as s:
            number, problem = _object_number(s, summary["object_id"], norad_id, source)
        if not problem:
            problem = _unscreenable(message, number, source)
        if problem:
            return self._rejected(account, "ephemeris", fmt, source, marking, [problem])
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, account.user_id, "ephemeris", fmt, source, 1, [], mid)
            s.add(EphemerisRecord(contribution_id=contribution.id, norad_id=number, format=fmt, content=content,
                                  marking_id=mid, **summary))
        return Submitted(contribution.id, 1, [])

    def ephemerides(self, viewer: Viewer, after: str | None = None, limit: int = 100, norad_id: int | None = None,
                    since_utc: str | None = None, until_utc: str | None = None) -> Page[EphemerisView]:
        """Visible ephemerides by the start of their span (then id), optionally one object's, starting in a
        window (without their text)."""
        query = select(EphemerisRecord)
        if norad_id is not None:
            query = query.where(EphemerisRecord.norad_id == norad_id)
        return self._timeline(viewer, query, EphemerisRecord.start_utc, after, limit, since_utc, until_utc,
                              lambda s, r: self._ephemeris_dict(s, r, content=False))

    def ephemeris(self, viewer: Viewer, ephemeris_id: str) -> EphemerisView | None:
        """One visible ephemeris with its text, or None (whether it does not exist or may not be seen)."""
        return self._one(viewer, EphemerisRecord, ephemeris_id,
                         lambda s, r: self._ephemeris_dict(s, r, content=True))

    def ephemerides_covering(self, viewer: Viewer | None, start_utc: str, end_utc: str,
                             norad_ids: Sequence[int] | None = None) -> list[tuple[str, int, str, int]]:
        """``(record id, NORAD id, OEM text, marking id)`` of every ephemeris ``viewer`` (None: the system's own
        jobs) may use whose span overlaps [start, end), newest creation first per object: screening's input."""
        query = select(EphemerisRecord).where(EphemerisRecord.stop_utc > start_utc,
                                              EphemerisRecord.start_utc < end_utc)
        if norad_ids is not None:
            query = query.where(EphemerisRecord.norad_id.in_(list(norad_ids)))
        query = query.order_by(EphemerisRecord.norad_id, EphemerisRecord.created_utc.desc(), EphemerisRecord.id)
        with self.session(viewer) as s:
            return [(r.id, r.norad_id, r.content, r.marking_id) for r in s.scalars(query)]

    def _ephemeris_dict(self, s: Session, r: EphemerisRecord, content: bool) -> EphemerisView:
        return {"id": r.id, "norad_id": r.norad_id, "object_name": r.object_name, "object_id": r.object_id,
                "originator": r.originator, "message_id": r.message_id, "created_utc": r.created_utc,
                "start_utc": r.start_utc, "stop_utc": r.stop_utc, "frame": r.frame, "segments": r.segments,
                "states": r.states, "covariances": r.covariances, "format": r.format,
                "marking": self.marking_of(s, r.marking_id).as_dict(), "content": r.content if content else None}


def _summary(message: object, source: str) -> tuple[Rejection | None, dict]:
    """What the listing and screening need from an OEM, or the reason it cannot serve as an ephemeris."""
    from kompas.space import odm

    segments = getattr(message, "segments", [])
    if not segments:
        return Rejection(source, 0, "", "the OEM holds no segment"), {}
    ids = {seg.metadata.get("OBJECT_ID", "").strip() for seg in segments}
    if len(ids) != 1:
        return Rejection(source, 0, "OBJECT_ID", "one OEM per object: its segments name several objects",
                         ", ".join(sorted(ids))), {}
    starts, stops = [], []
    for seg in segments:
        centre = seg.metadata.get("CENTER_NAME", "").strip().upper()
        if centre != "EARTH":
            return Rejection(source, 0, "CENTER_NAME", "only Earth-centred ephemerides can be screened", centre), {}
        try:
            epochs = seg.epochs_utc()
        except odm.OdmError as error:
            return error.rejections[0], {}
        starts.append(epochs[0])
        stops.append(epochs[-1])
    header = getattr(message, "header", {})
    first = segments[0].metadata
    created = header.get("CREATION_DATE", "")
    try:
        created_utc = utc_text(np.datetime64(created.replace("Z", ""), "ns")) if created else utc_text(min(starts))
    except ValueError:
        created_utc = utc_text(min(starts))
    return None, {"object_name": first.get("OBJECT_NAME", "")[:100], "object_id": ids.pop()[:32],
                  "originator": header.get("ORIGINATOR", "")[:100], "message_id": header.get("MESSAGE_ID", "")[:200],
                  "created_utc": created_utc, "start_utc": utc_text(min(starts)), "stop_utc": utc_text(max(stops)),
                  "frame": first.get("REF_FRAME", "")[:32], "segments": len(segments),
                  "states": sum(len(seg.epochs) for seg in segments),
                  "covariances": sum(len(seg.covariances) for seg in segments)}


def _unscreenable(message: object, number: int, source: str) -> Rejection | None:
    """Why screening could not use the OEM (its interpolant cannot be built), or None."""
    from kompas.space import ephemeris

    try:
        ephemeris.from_segments(getattr(message, "segments", []), number, source=source)
    except ValueError as error:  # EphemerisError, or an OdmError of a time system it cannot convert
        return Rejection(source, 0, "", f"the OEM cannot be screened: {error}")
    return None


def _object_number(s: Session, object_id: str, given: int | None, source: str) -> tuple[int, Rejection | None]:
    """The NORAD number of the OEM's object: given, written as a number, or its international designator."""
    if given is not None:
        return given, None
    text = object_id.strip()
    if text.isdigit() and len(text) <= 9:
        return int(text), None
    number = s.scalar(select(ElementSetRecord.norad_id).where(ElementSetRecord.intl_designator == text).limit(1))
    if number is None:
        return 0, Rejection(source, 0, "OBJECT_ID", "matches no catalogued object's international designator; "
                            "give the NORAD catalogue number (norad_id)", text)
    return int(number), None
