"""Space data on the platform: element sets contributed under markings, the inputs engine jobs use (the least
restrictive copy), objects, CCSDS CDMs, and the conjunctions screening derives (marked by their inputs)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, cast

import numpy as np
from sqlalchemy import and_, false, func, literal_column, or_, select
from sqlalchemy.orm import Session

from kompas.core.markings import Marking, Viewer, combine, restrictiveness
from kompas.core.models import CDMRecord, ConjunctionRecord, Contribution, ElementSetRecord, MarkingRow
from kompas.core.shapes import CDMView, ConjunctionView, ElementSetView, MarkingView, ObjectView
from kompas.core.store import tracks  # tracking (H5, issue 21 #4)
from kompas.core.store.base import (
    Account,
    Key,
    Page,
    StoreBase,
    StoreError,
    Submitted,
    _escape_like,
    _limit,
    float_key,
    int_key,
    norad_text,
    utc_text,
)
from kompas.core.store.inputs import input_facts
from kompas.space import cdm, omm, pairs, sources
from kompas.space.elements import ElementSet, Rejection, parse_time_utc
from kompas.space.ingest import parse_text

ELEMENT_FORMATS = ("tle", "omm-xml", "omm-json", "omm-kvn", "omm-csv")
CDM_FORMATS = ("cdm-kvn", "cdm-xml")
SAME_TCA_S = 1.0  #: Two screenings of the same element sets finding TCAs this close (s) found one conjunction.
CONJUNCTION_IDS = uuid.UUID("6c3e1f0a-8d2b-4b7e-a1c9-5f0e2d3c4b5a")  #: namespace of conjunction ids
DAY_NS = 86_400 * 10**9
NAMED_IDS = 5000  #: objects an ``obj`` name filter resolves to ids before the query (beyond: a subquery)

_C = ConjunctionRecord
#: The orders of the conjunction listing. ``-pc``: Pc high first, conjunctions without a Pc last, ties by TCA then
#: id (``coalesce(-pc, 1.0)`` ascending: Pc >= 0, so -Pc <= 0 < 1.0; an index on the same expression serves it,
#: migration 0012); ``pc``: Pc low first, still without Pc last.
CONJUNCTION_SORTS = {
    "-pc": [float_key(func.coalesce(-_C.pc, literal_column("1.0"))), Key(_C.tca_utc), Key(_C.id)],
    "pc": [float_key(func.coalesce(_C.pc, literal_column("1e300"))), Key(_C.tca_utc), Key(_C.id)],
    "tca": [Key(_C.tca_utc), Key(_C.id)],
    "-tca": [Key(_C.tca_utc, descending=True), Key(_C.id, descending=True)],
    "miss": [float_key(_C.miss_km), Key(_C.tca_utc), Key(_C.id)],
    "-miss": [float_key(_C.miss_km, descending=True), Key(_C.tca_utc), Key(_C.id)],
}


@lru_cache(maxsize=1)
def asset_owners() -> dict[int, str]:
    """Known owners by NORAD id: the protected assets' public owners (``kompas/data/assets.yaml``), read once."""
    from kompas.files import load_assets

    return {n: a.owner for n, a in load_assets().items() if a.owner}


def days_between(later_utc: str, earlier_utc: str) -> float:
    """``later - earlier`` in days, from stored-form times."""
    return float((parse_time_utc(later_utc) - parse_time_utc(earlier_utc)) / np.timedelta64(1, "ns")) / DAY_NS


@dataclass
class Input:
    """An element set an engine job uses: its record, the set, its marking row, and why it was chosen."""

    record_id: str
    element_set: ElementSet
    marking_id: int
    provenance: dict


class SpaceStore(StoreBase):
    """Element sets, objects, CDMs and conjunctions."""

    def contribute_elements(self, account: Account, content: str, fmt: str, marking: Marking,
                            source: str = "api", origin: str | None = None) -> Submitted:
        """Parse element sets (``fmt`` one of :data:`ELEMENT_FORMATS`) and store the good ones under
        ``marking``; each bad record is returned as a rejection (same rule as ``kompas space ingest``).
        ``origin``: the sets' source (:mod:`kompas.space.sources`); by default what the name ``source`` or a TLE's
        classification says (SupGP), else ``contributed``: a contributor's own tracking (issue 21)."""
        if fmt not in ELEMENT_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(ELEMENT_FORMATS)}")
        self.check_marking(account, marking)
        try:
            parsed = parse_text(content, source, fmt, origin=origin)
        except ValueError as error:  # an origin that is no source
            raise StoreError(str(error)) from error
        if origin is None:  # H6 (issue 21): what names no other source is the contributor's own
            parsed.elements = [e if e.origin != sources.GP else replace(e, origin=sources.CONTRIBUTED)
                               for e in parsed.elements]
        rejections = list(parsed.rejections)
        seen: set[tuple[int, np.datetime64]] = set()
        good: list[ElementSet] = []
        for elset in parsed.elements:
            if (elset.norad_id, elset.epoch_utc) in seen:
                line = int(elset.source.rsplit(":", 1)[1])
                rejections.append(Rejection(source, line, "NORAD_CAT_ID", "duplicate object and epoch in this "
                                            "contribution", str(elset.norad_id)))
                continue
            seen.add((elset.norad_id, elset.epoch_utc))
            good.append(elset)
        rejections.sort(key=lambda r: r.line)
        return self.store_element_sets(account.user_id, fmt, source, good, rejections, marking)

    def store_element_sets(self, user_id: int, fmt: str, source: str, elsets: Sequence[ElementSet],
                           rejections: Sequence[Rejection], marking: Marking) -> Submitted:
        """Record a contribution and its element sets under ``marking`` (no checks: callers check the marking). The
        catalogue numbers exercises invent (:data:`kompas.space.elements.EXERCISE_IDS`) are refused outside an
        exercise's context, each with its rejection."""
        from kompas.space.elements import EXERCISE_IDS

        if self.exercise is None and marking.exercise is None:
            invented = [e for e in elsets if EXERCISE_IDS[0] <= e.norad_id <= EXERCISE_IDS[1]]
            if invented:
                elsets = [e for e in elsets if not EXERCISE_IDS[0] <= e.norad_id <= EXERCISE_IDS[1]]
                rejections = [*rejections, *(Rejection(e.source or source, 0, "NORAD_CAT_ID",
                                                       "catalogue numbers from 900000001 are exercise objects: "
                                                       "contribute them in an exercise's context",
                                                       str(e.norad_id)) for e in invented)]
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, user_id, "elements", fmt, source, len(elsets), rejections, mid)
            s.add_all(ElementSetRecord(contribution_id=contribution.id, norad_id=e.norad_id,
                                       epoch_utc=utc_text(e.epoch_utc), name=e.name,
                                       intl_designator=e.intl_designator, fields=_json_fields(e), marking_id=mid,
                                       source=e.origin)
                      for e in elsets)
        return Submitted(contribution.id, len(elsets), list(rejections))

    def contribute_cdm(self, account: Account, content: str, fmt: str, marking: Marking,
                       source: str = "api") -> Submitted:
        """Store one CCSDS CDM (``fmt`` ``cdm-kvn`` or ``cdm-xml``) under ``marking``; a message that cannot be
        read is returned as a rejection (line, keyword, reason) and nothing is stored."""
        if fmt not in CDM_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(CDM_FORMATS)}")
        self.check_marking(account, marking)
        try:
            message = (cdm.parse_xml if fmt == "cdm-xml" else cdm.parse_kvn)(content, source)
            tca = utc_text(message.tca_utc)
            ids = [_designator(message.objects[k].get("OBJECT_DESIGNATOR", "")) for k in (0, 1)]
        except cdm.CDMError as error:
            return self._rejected(account, "cdm", fmt, source, marking, [error.rejection])
        except ValueError as error:
            return self._rejected(account, "cdm", fmt, source, marking,
                                  [Rejection(source, 0, "TCA/OBJECT_DESIGNATOR", str(error))])
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, account.user_id, "cdm", fmt, source, 1, [], mid)
            s.add(CDMRecord(contribution_id=contribution.id, message_id=message.message_id[:200],
                            originator=(message.header.get("ORIGINATOR") or "")[:100], tca_utc=tca,
                            object1_id=ids[0], object2_id=ids[1], miss_m=_number(message.relative, "MISS_DISTANCE"),
                            pc=_number(message.relative, "COLLISION_PROBABILITY"), format=fmt, content=content,
                            marking_id=mid))
        return Submitted(contribution.id, 1, [])

    def cdms(self, viewer: Viewer, after: str | None = None, limit: int = 100, norad_id: int | None = None,
             since_utc: str | None = None, until_utc: str | None = None) -> Page[CDMView]:
        """Visible CDMs by TCA (then id), filtered by object and TCA window (without their text)."""
        query = select(CDMRecord)
        if norad_id is not None:
            query = query.where((CDMRecord.object1_id == norad_id) | (CDMRecord.object2_id == norad_id))
        return self._timeline(viewer, query, CDMRecord.tca_utc, after, limit, since_utc, until_utc,
                              lambda s, r: self._cdm_dict(s, r, content=False))

    def cdm(self, viewer: Viewer, cdm_id: str) -> CDMView | None:
        """One visible CDM with its text, or None (whether it does not exist or may not be seen)."""
        return self._one(viewer, CDMRecord, cdm_id, lambda s, r: self._cdm_dict(s, r, content=True))

    def _cdm_dict(self, s: Session, r: CDMRecord, content: bool) -> CDMView:
        out: CDMView = {"id": r.id, "message_id": r.message_id, "originator": r.originator, "tca_utc": r.tca_utc,
                        "object1_id": r.object1_id, "object2_id": r.object2_id, "miss_m": r.miss_m, "pc": r.pc,
                        "format": r.format, "marking": self.marking_of(s, r.marking_id).as_dict(),
                        "content": r.content if content else None}
        return out

    def element_sets(self, viewer: Viewer, norad_id: int, limit: int = 100) -> list[ElementSetView]:
        """The element sets of one object that ``viewer`` may see, newest epoch first."""
        with self.session(viewer) as s:
            rows = s.execute(select(ElementSetRecord, MarkingRow.key).join(
                MarkingRow, MarkingRow.id == ElementSetRecord.marking_id).where(
                ElementSetRecord.norad_id == norad_id).order_by(
                ElementSetRecord.epoch_utc.desc(), ElementSetRecord.id).limit(_limit(limit))).all()
            markings = {key: self.marking_of(s, r.marking_id) for r, key in rows}
            return [{"id": r.id, "norad_id": r.norad_id, "epoch_utc": r.epoch_utc, "name": r.name,
                     "omm": r.fields, "contribution_id": r.contribution_id, "source": r.source,
                     "marking": markings[key].as_dict()}
                    for r, key in rows]

    def holds_element_sets(self) -> bool:
        """Whether any element set is stored (for the system's own jobs)."""
        with self.session(None) as s:
            return s.scalar(select(ElementSetRecord.id).limit(1)) is not None

    def latest_element_sets(self, viewer: Viewer | None, norad_ids: Sequence[int] | None = None
                            ) -> list[tuple[str, ElementSet, int]]:
        """The newest visible element set of every object (or of ``norad_ids``): (record id, element set,
        marking id); where several contributions hold the newest epoch, the least restrictive copy
        (:func:`latest_inputs`)."""
        return [(i.record_id, i.element_set, i.marking_id) for i in self.latest_inputs(viewer, norad_ids)]

    def latest_inputs(self, viewer: Viewer | None, norad_ids: Sequence[int] | None = None) -> list[Input]:
        """The newest element set of every object that ``viewer`` (None: the system's own jobs) may use, by NORAD
        id. When several contributions hold an object at its newest epoch, the copy with the least restrictive
        marking (:func:`kompas.core.markings.least_restrictive`, then the oldest record) is used, so that nothing
        derived from it is marked higher than needed; :attr:`Input.provenance` records the choice."""
        with self.session(viewer) as s:
            # H6 (issue 21): the newest epoch per (object, source), then one source per object by precedence
            grouped = select(ElementSetRecord.norad_id, ElementSetRecord.source,
                             func.max(ElementSetRecord.epoch_utc).label("epoch"))
            if norad_ids is not None:
                grouped = grouped.where(ElementSetRecord.norad_id.in_(list(norad_ids)))
            newest = grouped.group_by(ElementSetRecord.norad_id, ElementSetRecord.source).subquery()
            rows = s.execute(select(ElementSetRecord.id, ElementSetRecord.norad_id, ElementSetRecord.epoch_utc,
                                    ElementSetRecord.contribution_id, ElementSetRecord.marking_id,
                                    ElementSetRecord.fields, ElementSetRecord.source)
                             .join(newest, (newest.c.norad_id == ElementSetRecord.norad_id)
                                   & (newest.c.source == ElementSetRecord.source)
                                   & (newest.c.epoch == ElementSetRecord.epoch_utc))
                             .order_by(ElementSetRecord.norad_id, ElementSetRecord.id)).all()
            by_source: dict[int, dict[str, list]] = {}
            for row in rows:
                by_source.setdefault(row.norad_id, {}).setdefault(row.source, []).append(row)
            copies: dict[int, list] = {}
            chosen_source: dict[int, tuple[str, list[str]]] = {}
            level = {mid: restrictiveness(self.marking_of(s, mid)) for mid in {r.marking_id for r in rows}}
            for norad_id, found_sources in by_source.items():
                # a source competes only with a copy as open as the most open copy of any source: no contributor
                # can, by declaring a better source under a restrictive marking, take an object out of the
                # screening others see (issue 21 review)
                openest = {k: min(level[r.marking_id] for r in v) for k, v in found_sources.items()}
                floor = min(openest.values())
                best = sources.best({k: parse_time_utc(v[0].epoch_utc) for k, v in found_sources.items()
                                     if openest[k] == floor}) or ""
                copies[norad_id] = found_sources[best]
                chosen_source[norad_id] = (best, sorted(found_sources, key=sources.rank))
            out = []
            for norad_id, found in copies.items():
                rank = {mid: (restrictiveness(m), m.key()) for mid in {r.marking_id for r in found}
                        for m in [self.marking_of(s, mid)]}
                chosen = min(found, key=lambda r: (rank[r.marking_id], r.id))
                elset, _ = omm.elements_from_fields(chosen.fields, f"element set {chosen.id}", 0)
                if elset is None:
                    continue
                elset = replace(elset, origin=chosen.source)
                provenance = {"norad_id": norad_id, "element_set_id": chosen.id,
                              "contribution_id": chosen.contribution_id, "epoch_utc": chosen.epoch_utc,
                              "copies": len(found),
                              "rule": "the least restrictive of the copies at the newest epoch" if len(found) > 1
                              else "the only copy at the newest epoch",
                              "source": chosen.source, "sources_available": chosen_source[norad_id][1],
                              "source_rule": f"precedence {' > '.join(sources.PRECEDENCE)} among the sources "
                                             f"with a copy as openly marked as any, newest epoch within a "
                                             f"source, sources over {sources.MAX_AGE_DAYS:g} d older than the "
                                             f"object's newest epoch passed over"}
                out.append(Input(chosen.id, elset, chosen.marking_id, provenance))
            return out

    def element_set_history(self, norad_ids: Sequence[int], since_utc: str, limit: int = 500_000
                            ) -> list[tuple[int, ElementSet]]:
        """For the system's own jobs: ``(marking id, element set)`` of every stored element set of ``norad_ids``
        with epoch at or after ``since_utc``, oldest first, at most ``limit`` (the newest kept); a set that no
        longer parses is left out. The history :func:`kompas.core.jobs.stored_history_covariance` fits."""
        rows: list = []
        with self.session(None) as s:
            ids = sorted(set(norad_ids))
            for start in range(0, len(ids), 500):
                rows += s.execute(select(ElementSetRecord.id, ElementSetRecord.marking_id, ElementSetRecord.epoch_utc,
                                         ElementSetRecord.fields, ElementSetRecord.norad_id, ElementSetRecord.source)
                                  .where(ElementSetRecord.norad_id.in_(ids[start:start + 500]),
                                         ElementSetRecord.epoch_utc >= since_utc)).all()
        # H6 (issue 21): one source per object, never a mix (kompas.space.sources.detection_source)
        per: dict[int, dict[str, list]] = {}
        for row in rows:
            per.setdefault(row.norad_id, {}).setdefault(row.source, []).append(row)
        used = {n: sources.detection_source(h) for n, h in per.items()}
        rows = [r for r in rows if r.source == used[r.norad_id]]
        rows.sort(key=lambda r: (r.epoch_utc, r.id))
        out = []
        for row in rows[-limit:]:
            elset, _ = omm.elements_from_fields(row.fields, f"element set {row.id}", 0)
            if elset is not None:
                out.append((row.marking_id, replace(elset, origin=row.source)))
        return out

    def names(self, viewer: Viewer, norad_ids: Sequence[int]) -> dict[int, str]:
        """Object names by NORAD id, from the element sets ``viewer`` may see (an object known only from sets the
        viewer may not see has no name here)."""
        with self.session(viewer) as s:
            rows = s.execute(select(ElementSetRecord.norad_id, func.max(ElementSetRecord.name))
                             .where(ElementSetRecord.norad_id.in_(list(norad_ids)))
                             .group_by(ElementSetRecord.norad_id))
            return {int(n): name for n, name in rows}

    def _object_markings(self, s: Session, norad_ids: Sequence[int]) -> dict[int, MarkingView]:
        """Per object, the combined marking of every element set of it the session's viewer may see (what its
        name, newest epoch and count in a listing are drawn from)."""
        found: dict[int, set[int]] = {}
        for norad_id, marking_id in s.execute(select(ElementSetRecord.norad_id, ElementSetRecord.marking_id)
                                              .where(ElementSetRecord.norad_id.in_(list(norad_ids))).distinct()):
            found.setdefault(int(norad_id), set()).add(int(marking_id))
        combined: dict[frozenset[int], MarkingView] = {}
        out = {}
        for norad_id, ids in found.items():
            key = frozenset(ids)
            if key not in combined:
                combined[key] = combine(self.marking_of(s, m) for m in sorted(key)).as_dict()
            out[norad_id] = combined[key]
        return out

    def names_marked(self, viewer: Viewer, norad_ids: Sequence[int]) -> tuple[dict[int, str], list[MarkingView]]:
        """:meth:`names`, and the markings of the element sets they are drawn from (each distinct marking once)."""
        names = self.names(viewer, norad_ids)
        with self.session(viewer) as s:
            markings = {json.dumps(m, sort_keys=True): m for m in self._object_markings(s, list(names)).values()}
        return names, list(markings.values())

    def objects(self, viewer: Viewer, after: str | None = None, limit: int = 100, name: str | None = None, *,
                sort: str = "norad_id", q: str | None = None) -> Page[ObjectView]:
        """Objects with at least one visible element set: newest epoch, name, count, and ``age_days`` (the newest
        epoch of the catalogue the viewer sees minus the object's). ``name``: a name substring; ``q``: a NORAD id
        or words of the name (any case). ``sort``: ``norad_id``, ``-norad_id``, ``name``, ``epoch``, ``-epoch``
        (newest first); ties by NORAD id. With the true total."""
        e = ElementSetRecord
        epoch, named = func.max(e.epoch_utc), func.max(e.name)
        query = (select(e.norad_id, epoch.label("epoch"), named.label("name"), func.count().label("sets"))
                 .group_by(e.norad_id))
        if name:
            query = query.where(e.name.ilike(f"%{_escape_like(name)}%", escape="\\"))
        if q and q.strip():
            words = and_(*(e.name.ilike(f"%{_escape_like(w)}%", escape="\\") for w in q.split()))
            number = norad_text(q)
            query = query.where(or_(e.norad_id == number, words) if number is not None else words)
        by_id = int_key(e.norad_id)
        sorts = {"norad_id": [by_id], "-norad_id": [int_key(e.norad_id, descending=True)],
                 "name": [Key(named, aggregate=True), by_id], "epoch": [Key(epoch, aggregate=True), by_id],
                 "-epoch": [Key(epoch, descending=True, aggregate=True), by_id]}

        def finish(s: Session, rows: list, items: list[ObjectView]) -> list[ObjectView]:
            newest = s.scalar(select(e.epoch_utc).order_by(e.epoch_utc.desc()).limit(1)) if items else None
            marked = self._object_markings(s, [item["norad_id"] for item in items])
            for item in items:
                item["age_days"] = round(days_between(newest, item["newest_epoch_utc"]), 6) if newest else 0.0
                item["marking"] = marked[item["norad_id"]]
            return items

        return self.sorted_page(viewer, query, sorts, sort, {"name": name, "q": q}, after, limit,
                                lambda s, r: {"norad_id": r.norad_id, "newest_epoch_utc": r.epoch, "name": r.name,
                                              "element_sets": r.sets, "age_days": 0.0,
                                              "marking": cast(MarkingView, {})},  # completed by finish
                                scalars=False, finish=finish)

    def store_conjunctions(self, conjunctions: Sequence, elset_ids: dict[int, str],
                           marking_ids: dict[int, int],
                           derived: Sequence[tuple] | None = None,
                           provenance: dict[int, dict] | None = None) -> list[str]:
        """Store screening results; each conjunction is marked with the combination of its two inputs' markings.

        ``elset_ids`` / ``marking_ids`` map NORAD id to the element-set record and marking screened; ``derived``
        holds, per conjunction, ``(pc, CCSDS CDM text, pc basis, usage flags, Monte Carlo interval)`` when they were
        computed (the last three may be left out: :func:`kompas.core.jobs.derived_cdms`); ``provenance`` maps NORAD id
        to
        the record of why that input was used (:meth:`latest_inputs`). A conjunction of the same two element-set
        records within :data:`SAME_TCA_S` of one already stored is the same conjunction and is not stored again,
        so rerunning a screening stores nothing twice. A ``conjunction`` alert is queued for each new one in the
        same transaction (:func:`kompas.core.outbox.queue_alerts`). Returns the ids of the conjunctions newly stored.
        """
        from kompas.core.outbox import queue_alerts

        derived = derived or [(None, None)] * len(conjunctions)
        derived = [(tuple(d) + (None, (), None)[len(d) - 2:])[:5] for d in derived]
        provenance = provenance or {}
        with self.session(None) as s:
            known = self._stored_tcas(s, conjunctions, elset_ids)
            cache: dict[tuple[int, int], int] = {}
            markings = {mid: self.marking_of(s, mid) for mid in set(marking_ids.values())}
            rows = []
            tolerance = np.timedelta64(int(SAME_TCA_S * 1e9), "ns")
            for c, (pc, message, basis, flags, interval) in zip(conjunctions, derived, strict=True):
                pair_ids = (elset_ids[c.primary_id], elset_ids[c.secondary_id])
                tca = np.datetime64(c.tca_utc, "ns")
                if any(abs(tca - t) <= tolerance for t in known.get(pair_ids, [])):
                    continue
                known.setdefault(pair_ids, []).append(tca)
                pair = (marking_ids[c.primary_id], marking_ids[c.secondary_id])
                if pair not in cache:
                    cache[pair] = self.marking_id(s, combine(markings[m] for m in pair))
                origin = {"primary": provenance.get(c.primary_id, {"element_set_id": pair_ids[0]}),
                          "secondary": provenance.get(c.secondary_id, {"element_set_id": pair_ids[1]})}
                row = ConjunctionRecord(primary_id=c.primary_id, secondary_id=c.secondary_id,
                                        tca_utc=utc_text(c.tca_utc), miss_km=float(c.miss_km),
                                        v_rel_km_s=float(c.v_rel_km_s), rtn_km=[float(x) for x in c.rtn_km],
                                        primary_elset_id=pair_ids[0], secondary_elset_id=pair_ids[1],
                                        label=c.label, pc=pc, pc_basis=basis, pc_flags=list(flags or []) or None,
                                        pc_interval=list(interval) if interval else None,
                                        cdm=message, provenance=origin,
                                        marking_id=cache[pair])
                row.id = str(uuid.uuid5(CONJUNCTION_IDS, f"{pair_ids[0]}|{pair_ids[1]}|{utc_text(c.tca_utc)}"))
                rows.append(row)
            s.add_all(rows)
            s.flush()
            queue_alerts(s, "conjunction", [r.id for r in rows])  # in this transaction: no alert lost to a crash
            # tracking (H5, issue 21 #4): each new conjunction becomes an update of a tracked event, in this transaction
            tracks.link_rows(self, s, rows, tracks.periods_of(conjunctions))
            return [r.id for r in rows]

    @staticmethod
    def _stored_tcas(s: Session, conjunctions: Sequence, elset_ids: dict[int, str]
                     ) -> dict[tuple[str, str], list[np.datetime64]]:
        """TCAs already stored for the element-set pairs of ``conjunctions``, by pair."""
        pairs = {(elset_ids[c.primary_id], elset_ids[c.secondary_id]) for c in conjunctions}
        known: dict[tuple[str, str], list[np.datetime64]] = {}
        firsts = sorted({p for p, _ in pairs})
        for start in range(0, len(firsts), 500):
            for a, b, stored_tca in s.execute(select(ConjunctionRecord.primary_elset_id,
                                              ConjunctionRecord.secondary_elset_id, ConjunctionRecord.tca_utc)
                                       .where(ConjunctionRecord.primary_elset_id.in_(firsts[start:start + 500]))):
                if (a, b) in pairs:
                    known.setdefault((a, b), []).append(parse_time_utc(stored_tca))
        return known

    def unstored_conjunctions(self, conjunctions: Sequence, elset_ids: dict[int, str]) -> list:
        """The ``conjunctions`` :meth:`store_conjunctions` would store now (not within :data:`SAME_TCA_S` of one
        stored for the same element-set pair, nor of an earlier one in the list): a job derives CDMs and Pc only
        for these, so a rerun costs nothing."""
        tolerance = np.timedelta64(int(SAME_TCA_S * 1e9), "ns")
        with self.session(None) as s:
            known = self._stored_tcas(s, conjunctions, elset_ids)
        out = []
        for c in conjunctions:
            pair = (elset_ids[c.primary_id], elset_ids[c.secondary_id])
            tca = np.datetime64(c.tca_utc, "ns")
            if not any(abs(tca - t) <= tolerance for t in known.get(pair, [])):
                known.setdefault(pair, []).append(tca)
                out.append(c)
        return out

    def conjunction_updates(self, conjunction_ids: Sequence[str]) -> dict[str, str]:
        """For conjunctions the caller has already read (ids from a listing the viewer may see): the newer epoch of
        the two element sets each was screened from, i.e. which update of an encounter it is (newest wins). Only
        an order is returned, never the sets themselves."""
        out: dict[str, str] = {}
        ids = sorted(set(conjunction_ids))
        with self.session(None) as s:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = s.execute(select(ConjunctionRecord.id, ConjunctionRecord.primary_elset_id,
                                        ConjunctionRecord.secondary_elset_id)
                                 .where(ConjunctionRecord.id.in_(chunk))).all()
                sets = {r.primary_elset_id for r in rows} | {r.secondary_elset_id for r in rows}
                epochs = {i: e for i, (e, _) in input_facts(s, sorted(sets)).items()}
                for r in rows:
                    out[r.id] = max(epochs.get(r.primary_elset_id, ""), epochs.get(r.secondary_elset_id, ""))
        return out

    def conjunctions(self, viewer: Viewer, after: str | None = None, limit: int = 100,
                     norad_id: int | None = None, since_utc: str | None = None, until_utc: str | None = None,
                     max_miss_km: float | None = None, *, sort: str = "tca", obj: str | None = None,
                     owner: str | None = None, min_pc: float | None = None,
                     hide_related: bool = False) -> Page[ConjunctionView]:
        """Visible conjunctions in the order ``sort`` (:data:`CONJUNCTION_SORTS`; ``tca`` by default here, the API
        defaults to ``-pc``), with the true total, filtered by: ``norad_id`` (either object), ``obj`` (a NORAD id,
        or words of either object's name as the viewer's element sets give it), ``owner`` (a substring of either
        object's known owner), TCA window [since, until), ``max_miss_km``, ``min_pc``, and ``hide_related``
        (leave out formation and same-owner pairs, :mod:`kompas.space.pairs`). Items carry the objects' names,
        known owners, relation and the epochs of the two element sets screened."""
        c = ConjunctionRecord
        query = select(c)
        if norad_id is not None:
            query = query.where((c.primary_id == norad_id) | (c.secondary_id == norad_id))
        if obj and obj.strip():
            if (number := norad_text(obj)) is not None:
                query = query.where((c.primary_id == number) | (c.secondary_id == number))
            else:
                named = select(ElementSetRecord.norad_id).distinct().where(*(
                    ElementSetRecord.name.ilike(f"%{_escape_like(w)}%", escape="\\") for w in obj.split()))
                with self.session(viewer) as s:  # the names this viewer may see; ids so the id indexes serve
                    ids = s.scalars(named.limit(NAMED_IDS + 1)).all()
                if len(ids) <= NAMED_IDS:
                    query = query.where((c.primary_id.in_(ids) | c.secondary_id.in_(ids)) if ids else false())
                else:
                    query = query.where(c.primary_id.in_(named) | c.secondary_id.in_(named))
        if owner:
            ids = pairs.owners_matching(asset_owners(), owner)
            query = query.where((c.primary_id.in_(ids) | c.secondary_id.in_(ids)) if ids else false())
        if since_utc:
            query = query.where(c.tca_utc >= since_utc)
        if until_utc:
            query = query.where(c.tca_utc < until_utc)
        if max_miss_km is not None:
            query = query.where(c.miss_km <= max_miss_km)
        if min_pc is not None:  # pc >= min_pc for min_pc >= 0, in the terms of the -pc index
            query = query.where(CONJUNCTION_SORTS["-pc"][0].column <= -min_pc if min_pc >= 0 else c.pc >= min_pc)
        if hide_related:
            query = query.where(~related_pairs())
        filters = {"norad_id": norad_id, "obj": obj, "owner": owner, "since": since_utc, "until": until_utc,
                   "max_miss_km": max_miss_km, "min_pc": min_pc, "hide_related": hide_related}
        return self.sorted_page(viewer, query, CONJUNCTION_SORTS, sort, filters, after, limit,
                                self._conjunction_dict, finish=self._complete_conjunctions)

    def conjunction(self, viewer: Viewer, conjunction_id: str) -> ConjunctionView | None:
        """One visible conjunction, or None (whether it does not exist or may not be seen)."""
        with self.session(viewer) as s:
            row = s.scalar(select(ConjunctionRecord).where(ConjunctionRecord.id == conjunction_id))
            return None if row is None else self._complete_conjunctions(s, [row], [self._conjunction_dict(s, row)])[0]

    def _conjunction_dict(self, s: Session, r: ConjunctionRecord) -> ConjunctionView:
        return {"id": r.id, "primary_id": r.primary_id, "secondary_id": r.secondary_id, "tca_utc": r.tca_utc,
                "miss_km": r.miss_km, "v_rel_km_s": r.v_rel_km_s, "rtn_km": r.rtn_km, "label": r.label,
                "pc": r.pc, "pc_basis": r.pc_basis, "pc_flags": list(r.pc_flags or []),
                "pc_interval": r.pc_interval, "has_cdm": r.cdm is not None,
                "primary_name": None, "secondary_name": None, "primary_owner": None, "secondary_owner": None,
                "relation": None, "primary_epoch_utc": None, "secondary_epoch_utc": None, "elset_age_days": None,
                "marking": self.marking_of(s, r.marking_id).as_dict()}

    @staticmethod
    def _complete_conjunctions(s: Session, rows: list[ConjunctionRecord],
                               items: list[ConjunctionView]) -> list[ConjunctionView]:
        """Names and epochs of the two element sets screened (one query: the row's marking covers them), known
        owners and relation of a page of conjunctions."""
        if not rows:
            return items
        # names and epochs of the two element sets screened: the conjunction's marking covers exactly these (a name
        # from another set the viewer may see could be marked higher than the row)
        sets = sorted({r.primary_elset_id for r in rows} | {r.secondary_elset_id for r in rows})
        found = input_facts(s, sets)  # element sets, or operator ephemerides
        epochs = {i: t for i, (t, _) in found.items()}
        names = {i: name for i, (_, name) in found.items()}
        owners = asset_owners()
        for r, item in zip(rows, items, strict=True):
            first, second = owners.get(r.primary_id), owners.get(r.secondary_id)
            times = [epochs.get(r.primary_elset_id), epochs.get(r.secondary_elset_id)]
            item.update({"primary_name": names.get(r.primary_elset_id),
                         "secondary_name": names.get(r.secondary_elset_id),
                         "primary_owner": first, "secondary_owner": second,
                         "relation": pairs.relation(r.v_rel_km_s, first, second),  # type: ignore[typeddict-item]
                         "primary_epoch_utc": times[0], "secondary_epoch_utc": times[1],
                         "elset_age_days": None if None in times else
                         round(days_between(r.tca_utc, min(t for t in times if t is not None)), 6)})
        return items

    def conjunction_cdm(self, viewer: Viewer, conjunction_id: str) -> str | None:
        """The CCSDS CDM derived for one visible conjunction, or None (none, not found, or not visible)."""
        with self.session(viewer) as s:
            return s.scalar(select(ConjunctionRecord.cdm).where(ConjunctionRecord.id == conjunction_id))

    # --- tracking (H5, issue 21 #4): conjunction events tracked across updates (kompas.core.store.tracks) ----------

    def track_stored_conjunctions(self) -> int:
        """Link every stored conjunction not yet linked to a tracked event (idempotent); the updates made."""
        return tracks.track_stored(self)

    def conjunction_events(self, viewer: Viewer | None, after: str | None = None, limit: int = 100, *,
                           sort: str = "-updated", norad_id: int | None = None, since_utc: str | None = None,
                           until_utc: str | None = None) -> Page[dict]:
        """Tracked conjunction events ``viewer`` may see, through the updates they may see
        (:func:`kompas.core.store.tracks.events_page`)."""
        return tracks.events_page(self, viewer, after, limit, sort=sort, norad_id=norad_id, since_utc=since_utc,
                                  until_utc=until_utc)

    def conjunction_event(self, viewer: Viewer | None, event_id: str) -> dict | None:
        """One tracked event with the history ``viewer`` may see, or None (:func:`kompas.core.store.tracks.event`)."""
        return tracks.event(self, viewer, event_id)

    def conjunction_event_update(self, viewer: Viewer | None, update_id: str) -> dict | None:
        """A ``tracked-event`` alert item as ``viewer`` may see it
        (:func:`kompas.core.store.tracks.event_update`)."""
        return tracks.event_update(self, viewer, update_id)

    def decide_conjunction_event(self, account: Account, event_id: str, decision: str, note: str,
                                 marking: Marking | None = None) -> dict | None:
        """Record a decision on a visible event (:func:`kompas.core.store.tracks.decide`)."""
        return tracks.decide(self, account, event_id, decision, note, marking)

    # --- end of tracking ------------------------------------------------------------------------------------------

    def contribution_by_source(self, source: str) -> str | None:
        """The id of the earliest contribution recorded with exactly this ``source`` text (for jobs that store a
        file once, e.g. ``file:NAME sha256:DIGEST``), or None."""
        with self.session(None) as s:
            return s.scalar(select(Contribution.id).where(Contribution.source == source[:200])
                            .order_by(Contribution.received_utc, Contribution.id).limit(1))


def related_pairs() -> Any:
    """SQL twin of :func:`kompas.space.pairs.relation` being not None: a formation (relative speed under
    :data:`~kompas.space.pairs.FORMATION_V_REL_KM_S`) or both objects in one owner's group (an OR of IN lists:
    owner groups are small)."""
    c = ConjunctionRecord
    groups = pairs.owner_groups(asset_owners())
    members = sorted({n for g in groups for n in g})
    same = [and_(c.primary_id.in_(g), c.secondary_id.in_(g)) for g in groups]
    # one look-up in all owners' objects first: most conjunctions stop there
    return or_(c.v_rel_km_s < pairs.FORMATION_V_REL_KM_S,
               and_(c.primary_id.in_(members), c.secondary_id.in_(members), or_(*same)) if same else false())


def _json_fields(elset: ElementSet) -> dict:
    fields = omm.to_fields(elset)
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in fields.items()}


def _designator(text: str | None) -> int:
    """A CDM OBJECT_DESIGNATOR as a catalogue number (0 when it is not one)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def _number(section: cdm.Section, key: str) -> float | None:
    try:
        return section.number(key)
    except ValueError:
        return None
