"""Space ISAC reports on the platform (issue 29): members' incident reports, their "seen it too", and the pseudonyms
the platform gives members. :class:`IsacStore` is part of :class:`kompas.core.store.Store`;
:mod:`kompas.services.isac` calls it.

Markings and sight:

- every report and every "seen it too" is a marked row read in a session serving the viewer, so the access rule
  filters it inside the query: a report or a seen note the viewer may not see is never read, counted or paged over;
- a report is stored under its contributor's marking (the access rule's), the reporter's organisation and user
  beside it: the platform knows who reported, other members are shown the report without them unless it is named
  (the service's view, :func:`kompas.services.isac.view`);
- a "seen it too" is marked with the combination of the seer's marking and the report's, so whoever may see it may
  see the report too;
- the report's event in the common envelope (domain ``isac``) is written in the same transaction, under the
  marking the service gives it (the report's as shared: naming no reporter).

Ids: a new report gets a random platform id (UUID 4), never one derived from the contributor or its own id, so that
no member can recompute which organisation an anonymous report came from; the id the contributor gave
(``source_id``) is kept beside it, and the same organisation sharing that id again replaces its copy (same platform
id, same event).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kompas.core.markings import Marking, MarkingError, Viewer, combine
from kompas.core.models import IsacMember, IsacReportObject, IsacReportRecord, IsacSeenRecord, new_id, now_utc
from kompas.core.store.base import Account, Key, Page, StoreBase, StoreError

_R = IsacReportRecord
_S = IsacSeenRecord
#: The orders of the report listing: newest start first (default) or oldest first; the id breaks ties.
SORTS = {"-start": [Key(_R.start_utc, descending=True), Key(_R.id, descending=True)],
         "start": [Key(_R.start_utc), Key(_R.id)]}
MAX_IDS = 1000  #: Most report ids one read names.

__all__ = ["MAX_IDS", "SORTS", "IsacStore", "StoredReport", "StoredSeen", "stored_report"]


@dataclass(frozen=True)
class StoredReport:
    """A stored report: platform ``id``, who reported (``org``, ``user_id``: the platform's knowledge), the id it
    was contributed under, how it is disclosed, its JSON ``body`` (:meth:`kompas.isac.model.IsacReport.as_dict`,
    reporter included) and the ``marking`` it is stored under (the access rule's), and when it was added."""

    id: str
    org: str
    user_id: int
    source_id: str
    disclosure: str
    pseudonym: str
    body: dict[str, Any]
    marking: Marking
    added_utc: str


@dataclass(frozen=True)
class StoredSeen:
    """A stored "seen it too": the report, the seeing organisation, when, its note and its marking (the seer's
    combined with the report's)."""

    id: str
    report_id: str
    org: str
    at_utc: str
    note: str
    marking: Marking


def stored_report(store: StoreBase, s: Session, row: IsacReportRecord) -> StoredReport:
    """A report row (read in session ``s``) as a :class:`StoredReport`."""
    return StoredReport(row.id, row.org, row.user_id, row.source_id, row.disclosure, row.pseudonym, dict(row.body),
                        store.marking_of(s, row.marking_id), row.added_utc)


def _stored_seen(store: StoreBase, s: Session, row: IsacSeenRecord) -> StoredSeen:
    return StoredSeen(row.id, row.report_id, row.org, row.at_utc, row.note, store.marking_of(s, row.marking_id))


#: ``events(report, marking)``: the report's event envelope(s) and the marking to store them under.
EventsOf = Callable[[Any, Marking], Sequence[tuple[Any, Marking]]]


class IsacStore(StoreBase):
    """Space ISAC reports, their "seen it too" and the members' pseudonyms (module docstring)."""

    # --- pseudonyms -----------------------------------------------------------------------------------------------

    def isac_pseudonyms(self, orgs: Iterable[str]) -> dict[str, str]:
        """The platform's pseudonym of each organisation (``member-`` and six random hex digits), given on first
        use and kept: the same organisation always has the same pseudonym, and nothing in it derives from its
        code."""
        wanted = sorted(set(orgs))
        out: dict[str, str] = {}
        if not wanted:
            return out
        with self.session(None) as s:
            out = dict(s.execute(select(IsacMember.org, IsacMember.pseudonym).where(IsacMember.org.in_(wanted)))
                       .all())
        for org in wanted:
            if org in out:
                continue
            for _ in range(20):  # a collision of random pseudonyms (1 in 16.7 million) draws again
                try:
                    with self.session(None) as s:
                        s.add(IsacMember(org=org, pseudonym=f"member-{secrets.token_hex(3)}", created_utc=now_utc()))
                    break
                except IntegrityError:  # the pseudonym was taken, or another process named this org first
                    pass
            with self.session(None) as s:
                found = s.scalar(select(IsacMember.pseudonym).where(IsacMember.org == org))
            if found is None:
                raise StoreError(f"no pseudonym could be given to {org}")
            out[org] = found
        return out

    # --- reports --------------------------------------------------------------------------------------------------

    def add_isac_reports(self, account: Account, items: Sequence[tuple[Any, Marking]], events: EventsOf
                         ) -> list[tuple[str, bool]]:
        """Store ``account``'s organisation's reports (:class:`kompas.isac.model.IsacReport`, each with the marking
        it is stored under, checked here: MarkingError) with their object index rows and their events
        (``events(report as stored, marking)``), in one transaction, in the account's exercise context. A report
        the organisation shared before under the same id replaces that copy (its platform id, its event). A new
        report queues an ``event`` alert (:func:`kompas.core.outbox.queue_alerts`). Returns, in the order of
        ``items``, each report's platform id and whether it replaced an earlier copy."""
        from kompas.core.outbox import queue_alerts
        from kompas.core.store import events as platform_events

        for _, marking in items:
            self.check_marking(account, marking)
        out: list[tuple[str, bool]] = []
        with self.session(None, account.viewer.exercise) as s:
            ids: dict[str, int] = {}

            def marking_id(marking: Marking) -> int:  # one look-up per marking and transaction
                key = marking.key()
                if key not in ids:
                    ids[key] = self.marking_id(s, marking)
                return ids[key]

            for report, marking in items:
                known = s.scalar(select(_R).where(_R.org == account.org, _R.source_id == report.id))
                platform_id = known.id if known is not None else new_id()
                kept = replace(report, id=platform_id, reporter=account.org)
                band = kept.band.range_mhz if kept.band is not None else None
                place = next((p for p in kept.locations if p.point and p.kind == "interference"),
                             next((p for p in kept.locations if p.point), None))
                fields = dict(
                    org=account.org, user_id=account.user_id, source_id=report.id, disclosure=kept.disclosure,
                    pseudonym=kept.pseudonym, reported_utc=kept.reported_utc or now_utc(), start_utc=kept.start_utc,
                    stop_utc=kept.stop_utc, segment=kept.segment, interference=kept.interference,
                    band_low_mhz=None if band is None else band[0], band_high_mhz=None if band is None else band[1],
                    lat=None if place is None else place.lat_deg, lon=None if place is None else place.lon_deg,
                    norad_ids=list(kept.norad_ids), body=kept.as_dict(), added_utc=now_utc(),
                    marking_id=marking_id(marking))
                if known is not None:
                    s.execute(delete(IsacReportObject).where(IsacReportObject.report_id == platform_id))
                    for name, value in fields.items():
                        setattr(known, name, value)
                else:
                    s.add(_R(id=platform_id, **fields))
                out.append((platform_id, known is not None))
                s.flush()
                s.add_all(IsacReportObject(report_id=platform_id, norad_id=n) for n in dict.fromkeys(kept.norad_ids))
                stored = self.marking_of(s, fields["marking_id"])  # with the exercise's caveat, in its context
                for envelope, event_marking in events(kept, stored):
                    platform_events.replace(s, [envelope], marking_id(event_marking))
            queue_alerts(s, "event", [i for i, again in out if not again])  # subscribers to events hear of new ones
        return out

    def isac_reports(self, viewer: Viewer | None, *, after: str | None = None, limit: int = 100, sort: str = "-start",
                     since_utc: str | None = None, until_utc: str | None = None, interference: Sequence[str] = (),
                     band_mhz: tuple[float, float] | None = None, norad_id: int | None = None,
                     ids: Sequence[str] | None = None) -> Page[StoredReport]:
        """The reports ``viewer`` (None: the system) may see in the order ``sort`` (:data:`SORTS`), with the true
        total: started in [since, until), of one of the ``interference`` types, with a band overlapping
        ``band_mhz`` (low, high MHz; a report without a band does not match), naming ``norad_id``, among ``ids``
        (at most :data:`MAX_IDS`)."""
        query = select(_R)
        if since_utc:
            query = query.where(_R.start_utc >= since_utc)
        if until_utc:
            query = query.where(_R.start_utc < until_utc)
        if interference:
            query = query.where(_R.interference.in_(list(interference)))
        if band_mhz is not None:
            query = query.where(_R.band_low_mhz <= band_mhz[1], _R.band_high_mhz >= band_mhz[0])
        if norad_id is not None:
            query = query.where(_R.id.in_(select(IsacReportObject.report_id)
                                          .where(IsacReportObject.norad_id == norad_id)))
        if ids is not None:
            query = query.where(_R.id.in_(list(ids)[:MAX_IDS]))
        filters = {"since": since_utc, "until": until_utc, "interference": sorted(interference) or None,
                   "band": None if band_mhz is None else list(band_mhz), "norad_id": norad_id,
                   "ids": None if ids is None else sorted(ids)[:MAX_IDS]}
        return self.sorted_page(cast("Viewer", viewer), query, SORTS, sort, filters, after, limit,  # None: system
                                lambda s, r: stored_report(self, s, r))

    def isac_window(self, viewer: Viewer | None, since_utc: str, until_utc: str, limit: int
                    ) -> tuple[list[StoredReport], bool]:
        """The reports ``viewer`` (None: the system) may see started in [since, until), newest first, at most
        ``limit``; and whether more were left out."""
        with self.session(viewer) as s:
            rows = list(s.scalars(select(_R).where(_R.start_utc >= since_utc, _R.start_utc < until_utc)
                                  .order_by(_R.start_utc.desc(), _R.id.desc()).limit(limit + 1)))
            return [stored_report(self, s, r) for r in rows[:limit]], len(rows) > limit

    def isac_report(self, viewer: Viewer | None, report_id: str) -> StoredReport | None:
        """One report as ``viewer`` (None: the system) may see it, or None (hidden and missing alike)."""
        with self.session(viewer) as s:
            row = s.scalar(select(_R).where(_R.id == report_id))
            return None if row is None else stored_report(self, s, row)

    # --- seen it too ----------------------------------------------------------------------------------------------

    def add_isac_seen(self, account: Account, report_id: str, marking: Marking | None, note: str
                      ) -> StoredSeen | None:
        """Record that ``account``'s organisation saw report ``report_id`` too, with ``note``, marked with the
        combination of ``marking`` (default: the report's classification and TLP, the account's organisation as
        originator) and the report's. None when the account may not see the report (or it does not exist);
        StoreError for its own organisation's report; MarkingError for a combination the account could not see
        itself. Seeing it again replaces the organisation's note."""
        with self.session(account.viewer) as s:
            row = s.scalar(select(_R).where(_R.id == report_id))
            if row is None:
                return None
            reported = self.marking_of(s, row.marking_id)
            org = row.org
        if org == account.org:
            raise StoreError("your organisation reported it: 'seen it too' is for other members' reports")
        given = marking or Marking.build(reported.classification, reported.tlp, originator=account.org)
        combined = combine([given, reported])
        try:
            self.check_marking(account, combined)
        except MarkingError as error:
            raise MarkingError(f"the seen note's marking combined with the report's: {error}") from None
        with self.session(None, account.viewer.exercise) as s:
            mid = self.marking_id(s, combined)
            known = s.scalar(select(_S).where(_S.report_id == report_id, _S.org == account.org))
            now = now_utc()
            if known is None:
                known = _S(id=new_id(), report_id=report_id, org=account.org, user_id=account.user_id, at_utc=now,
                           note=note, marking_id=mid)
                s.add(known)
            else:
                known.user_id, known.at_utc, known.note, known.marking_id = account.user_id, now, note, mid
            s.flush()
            return _stored_seen(self, s, known)

    def isac_seen(self, viewer: Viewer | None, report_ids: Sequence[str]) -> list[StoredSeen]:
        """The "seen it too" rows ``viewer`` may see of the reports ``report_ids`` (at most :data:`MAX_IDS`),
        oldest first."""
        wanted = list(dict.fromkeys(report_ids))[:MAX_IDS]
        if not wanted:
            return []
        with self.session(viewer) as s:
            return [_stored_seen(self, s, r) for r in s.scalars(
                select(_S).where(_S.report_id.in_(wanted)).order_by(_S.at_utc, _S.id))]
