"""FIMI incidents on the platform: contributions under markings, de-duplication with the merge recorded, listings
with filters, and the narrative clusters and surges of analysis runs.

Like every read in Kompas, reads run in a session serving a :class:`~kompas.core.markings.Viewer`, so the access
rule of :mod:`kompas.core.access` filters them in the database. De-duplication only merges a new record into an
earlier one *under the same marking*: merging across markings would either widen who sees a record or hide it
from some who could see it, and would tell a contributor about records they may not see. Same-case records under
different markings are kept side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, func, insert, select, text
from sqlalchemy.orm import Session

from kompas.core.envelope import from_fimi_incident, from_fimi_surge
from kompas.core.markings import Marking, MarkingError, Viewer, combine
from kompas.core.models import FimiClusterRecord, FimiIncidentRecord, FimiIncidentTag, FimiSurgeRecord, new_id, now_utc
from kompas.core.store import Account, Key, Page, Store, StoreError
from kompas.core.store import events as platform_events
from kompas.core.store.accounts import attribution
from kompas.fimi import dedup
from kompas.fimi.incident import ATTRIBUTIONS, Incident, IncidentError, from_dict, from_items
from kompas.space.elements import Rejection

FORMATS = ("euvsdisinfo", "disarm", "stix", "json")
TAG_KINDS = ("target", "language", "outlet", "narrative", "technique", "state", "url")
if TYPE_CHECKING:
    from kompas.fimi.analysis import Analysis

TARGETED = 500  #: up to this many incidents, a contribution reads only the earlier records that could match


@dataclass
class Ingested:
    """Outcome of an incident contribution: new records, merges into earlier records, and rejections."""

    contribution_id: str
    added: int
    merged: list[dict] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  #: ids of the records added or merged into, in input order


def tags_of(incident: Incident) -> list[tuple[str, str]]:
    """``(kind, value)`` index entries of an incident (values cut to 300 characters)."""
    pairs = ([("target", t.name) for t in incident.targets] + [("language", x) for x in incident.languages]
             + [("outlet", c.name) for c in incident.channels] + [("narrative", n) for n in incident.narratives]
             + [("technique", t) for t in incident.techniques]
             + [("state", a.state) for a in incident.actors if a.state]
             + [("url", u) for u in _urls(incident)])
    return list(dict.fromkeys((k, v[:300]) for k, v in pairs))


def _urls(incident: Incident) -> list[str]:
    """The incident's URLs as de-duplication compares them (:func:`kompas.fimi.dedup.normal_url`)."""
    return list(dict.fromkeys(dedup.normal_url(u) for u in incident.urls))


def _candidates(incidents: Sequence[Incident], marking_id: int) -> Select:
    """The earlier records under ``marking_id`` that could be the same case as one of ``incidents``: all of them
    for a large batch, else those with one of their references or URLs, or first seen within the date window
    of one of them (:mod:`kompas.fimi.dedup`)."""
    query = select(FimiIncidentRecord).where(FimiIncidentRecord.marking_id == marking_id).order_by(
        FimiIncidentRecord.created_utc, FimiIncidentRecord.id)
    if len(incidents) > TARGETED:
        return query
    refs = sorted({i.ref[:500] for i in incidents if i.ref})
    urls = sorted({u[:300] for i in incidents for u in _urls(i)})
    days = sorted({date.fromordinal(date.fromisoformat(i.first_seen).toordinal() + d).isoformat()
                   for i in incidents for d in range(-dedup.DATE_WINDOW_DAYS, dedup.DATE_WINDOW_DAYS + 1)})
    linked = select(FimiIncidentTag.incident_id).where(FimiIncidentTag.kind == "url", FimiIncidentTag.value.in_(urls))
    return query.where(FimiIncidentRecord.ref.in_(refs) | FimiIncidentRecord.id.in_(linked)
                       | FimiIncidentRecord.first_seen.in_(days))


def contribute(store: Store, account: Account, incidents: Sequence[Incident], rejections: Sequence[Rejection],
               fmt: str, source: str, marking: Marking) -> Ingested:
    """Store incidents under ``marking`` for ``account``: each same case as an earlier record under the same
    marking (:mod:`kompas.fimi.dedup`) is merged into it and the merge recorded; the rest are added."""
    if fmt not in FORMATS:
        raise StoreError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    store.check_marking(account, marking)
    return store_incidents(store, account.user_id, account.name, incidents, rejections, fmt, source, marking)


def store_incidents(store: Store, user_id: int, user_name: str, incidents: Sequence[Incident],
                    rejections: Sequence[Rejection], fmt: str, source: str, marking: Marking) -> Ingested:
    """Record a contribution of incidents under ``marking``, merging same cases (no marking check: callers
    check), with a ``fimi-incident`` alert queued in the same transaction for each record added or merged into
    (:func:`kompas.core.outbox.queue_alerts`)."""
    from kompas.core.outbox import queue_alerts

    incidents, rejections = _checked(incidents, list(rejections), source)
    with store.session(None) as s:
        mid = store.marking_id(s, marking)
        _serialise(s, mid)
        contribution = store._contribution(s, user_id, "fimi-incidents", fmt, source, 0, list(rejections), mid)
        index, known = dedup.Index(), {}
        for row in s.scalars(_candidates(incidents, mid)):
            old = _incident(row.fields)
            index.add(row.id, old)
            known[row.id] = (row, old)
        out = Ingested(contribution.id, 0, rejected=list(rejections))
        new_rows, changed = [], set()
        when = now_utc()
        for incident in incidents:
            match = index.match(incident)
            if match is None:
                row = FimiIncidentRecord(contribution_id=contribution.id, source=incident.source,
                                         ref=incident.ref[:500], title=incident.title, first_seen=incident.first_seen,
                                         last_seen=incident.last_seen or incident.first_seen,
                                         attribution=incident.attribution, fields=incident.as_dict(), merges=[],
                                         created_utc=when, marking_id=mid)
                row.id = new_id()
                new_rows.append(row)
                index.add(row.id, incident)
                known[row.id] = (row, incident)
                out.ids.append(row.id)
                continue
            row, old = known[match.key]
            merged = dedup.merge(old, incident)
            known[match.key] = (row, merged)
            record = {"ref": incident.ref, "source": incident.source, "reason": match.reason,
                      "contribution_id": contribution.id, "by": user_name, "time_utc": when}
            row.merges = [*(row.merges or []), record]
            _refresh(row, merged)
            changed.add(row.id)
            out.merged.append({"id": row.id, **record})
            out.ids.append(row.id)
        s.add_all(new_rows)
        s.flush()
        if changed:
            s.execute(delete(FimiIncidentTag).where(FimiIncidentTag.incident_id.in_(
                [i for i in changed if i not in {r.id for r in new_rows}])))
        tag_rows = [{"id": new_id(), "incident_id": rid, "kind": k, "value": v, "marking_id": mid}
                    for rid in [*(r.id for r in new_rows), *changed] for k, v in tags_of(known[rid][1])]
        if tag_rows:
            s.execute(insert(FimiIncidentTag), tag_rows)
        # every incident is also a platform event in the common envelope (same id, same marking)
        platform_events.replace(s, [from_fimi_incident(rid, known[rid][1].as_dict(), known[rid][1].attribution)
                                    for rid in [*(r.id for r in new_rows), *changed]], mid)
        out.added = len(new_rows)
        contribution.accepted = len(new_rows) + len(out.merged)
        queue_alerts(s, "fimi-incident", out.ids)  # added and merged into, in this transaction
    return out


#: Base of the PostgreSQL advisory-lock keys that serialise contributions under one marking (key = base + id).
LOCK_BASE = 0x4B46_0000_0000  # "KF"


def _serialise(s: Session, marking_id: int) -> None:
    """Make contributions under ``marking_id`` take turns until this transaction ends, so that two writers of the
    same case cannot both miss each other's uncommitted record and add it twice. De-duplication is a fuzzy match
    (:mod:`kompas.fimi.dedup`), so no unique index can do this. PostgreSQL: a transaction-scoped advisory lock;
    SQLite: Kompas's ``BEGIN IMMEDIATE`` transactions already run one writer at a time."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_BASE + marking_id})


def _checked(incidents: Sequence[Incident], rejections: list[Rejection],
             source: str) -> tuple[list[Incident], list[Rejection]]:
    """The incidents that pass the same validation as an API submission (so that everything stored reads back);
    each other one becomes a rejection (its position in the batch as ``line``)."""
    good = []
    for number, incident in enumerate(incidents, start=1):
        try:
            from_dict(incident.as_dict(), incident.source)
        except IncidentError as error:
            where = incident.ref or incident.title
            rejections.append(Rejection(source, number, error.field, f"{error.reason} ({where})"[:300], error.value))
            continue
        good.append(incident)
    return good, rejections


def _refresh(row: FimiIncidentRecord, incident: Incident) -> None:
    row.fields = incident.as_dict()
    row.first_seen, row.last_seen = incident.first_seen, incident.last_seen or incident.first_seen
    row.attribution = incident.attribution


def _incident(fields: dict) -> Incident:
    """An incident as stored (written by :meth:`Incident.as_dict`, so valid)."""
    try:
        return from_dict(fields, fields.get("source", "api"))
    except IncidentError as error:  # only if the stored JSON was edited outside Kompas
        raise StoreError(f"stored incident is not valid: {error}") from None


def submit(store: Store, account: Account, items: Sequence[object], marking: Marking,
           source: str = "api") -> Ingested:
    """Validate incidents in their JSON form (API submissions) and store the good ones; each bad item is a
    rejection with its index (``line``) and field."""
    good, bad = from_items(list(items), source)
    return contribute(store, account, good, bad, "json", source, marking)


def _filtered(query: Select, target: str | None, language: str | None, outlet: str | None,
              technique: str | None, narrative: str | None, attribution: str | None, q: str | None) -> Select:
    for kind, value in (("target", target), ("language", language), ("outlet", outlet),
                        ("technique", technique), ("narrative", narrative)):
        if value:
            tagged = select(FimiIncidentTag.incident_id).where(FimiIncidentTag.kind == kind,
                                                               func.lower(FimiIncidentTag.value) == value.lower())
            query = query.where(FimiIncidentRecord.id.in_(tagged))
    if attribution:
        if attribution not in ATTRIBUTIONS:
            raise StoreError(f"attribution must be one of {', '.join(ATTRIBUTIONS)}")
        query = query.where(FimiIncidentRecord.attribution == attribution)
    if q:
        text = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(FimiIncidentRecord.title.ilike(f"%{text}%", escape="\\"))
    return query


#: The orders of the incident listing: ``first_seen`` (oldest first, then id) and ``-first_seen`` (newest first).
INCIDENT_SORTS = {
    "first_seen": [Key(FimiIncidentRecord.first_seen), Key(FimiIncidentRecord.id)],
    "-first_seen": [Key(FimiIncidentRecord.first_seen, descending=True), Key(FimiIncidentRecord.id, descending=True)],
}


def incidents(store: Store, viewer: Viewer, after: str | None = None, limit: int = 100, since: str | None = None,
              until: str | None = None, target: str | None = None, language: str | None = None,
              outlet: str | None = None, technique: str | None = None, narrative: str | None = None,
              attribution: str | None = None, q: str | None = None, *, sort: str = "first_seen") -> Page:
    """Visible incidents in the order ``sort`` (:data:`INCIDENT_SORTS`; oldest first by default here, the API
    defaults to ``-first_seen``) in [since, until), filtered by tag values (exact, any case), attribution category
    and a title substring, with the true total."""
    query = _filtered(select(FimiIncidentRecord), target, language, outlet, technique, narrative, attribution, q)
    if since:
        query = query.where(FimiIncidentRecord.first_seen >= since[:10])
    if until:
        query = query.where(FimiIncidentRecord.first_seen < until[:10])
    filters = {"since": since and since[:10], "until": until and until[:10], "target": target, "language": language,
               "outlet": outlet, "technique": technique, "narrative": narrative, "attribution": attribution, "q": q}
    return store.sorted_page(viewer, query, INCIDENT_SORTS, sort, filters, after, limit,
                             lambda s, r: _dict(store, s, r, viewer))


def incident(store: Store, viewer: Viewer, incident_id: str) -> dict | None:
    """One visible incident, or None (whether it does not exist or may not be seen)."""
    return store._one(viewer, FimiIncidentRecord, incident_id, lambda s, r: _dict(store, s, r, viewer))


def techniques_of(store: Store, viewer: Viewer, incident_ids: Sequence[str]) -> Counter:
    """How many of the incidents (those ``viewer`` may see) use each technique: one query, whatever their
    number."""
    query = select(FimiIncidentTag.value).where(FimiIncidentTag.kind == "technique",
                                                FimiIncidentTag.incident_id.in_(list(incident_ids)))
    with store.session(viewer) as s:
        return Counter(s.scalars(query))


def _dict(store: Store, s, r: FimiIncidentRecord, viewer: Viewer) -> dict:
    """An incident as ``viewer`` is shown it: its fields, attribution, merges and marking. Who merged a copy
    (``merges[].by``) and the ``source`` of the incident and of each merged copy name a user of another
    organisation than the viewer's by that organisation's code only
    (:func:`kompas.core.store.accounts.attribution`)."""
    rewrite = attribution(s, viewer)
    merges = [{**m, "by": rewrite(str(m.get("by", ""))), "source": rewrite(str(m.get("source", "")))}
              for m in r.merges or []]
    fields = {**r.fields, "source": rewrite(str(r.fields["source"]))} if "source" in r.fields else r.fields
    return {"id": r.id, **fields, "attribution": r.attribution, "merges": merges,
            "created_utc": r.created_utc, "marking": store.marking_of(s, r.marking_id).as_dict()}


#: Most incidents one analysis or FIMI report reads (the period and the history before it): about five times the
#: whole of EUvsDisinfo 2015-2021 (10,892 cases), so the cost of one request or job stays bounded (issue 18 #5).
MAX_ANALYSIS_INCIDENTS = 50_000


class TooManyIncidents(ValueError):
    """An analysis or report that would read more than :data:`MAX_ANALYSIS_INCIDENTS` incidents."""


def for_analysis(store: Store, viewer: Viewer | None, since: str | None = None,
                 until: str | None = None) -> list[tuple[str, Incident, Marking]]:
    """``(id, incident, marking)`` of every incident ``viewer`` may see (all for None) first seen in
    [since, until), by first-seen date: the input of an analysis run for that viewer. Raises
    :class:`TooManyIncidents` beyond :data:`MAX_ANALYSIS_INCIDENTS`."""
    query = select(FimiIncidentRecord).order_by(FimiIncidentRecord.first_seen, FimiIncidentRecord.id)
    if since:
        query = query.where(FimiIncidentRecord.first_seen >= since[:10])
    if until:
        query = query.where(FimiIncidentRecord.first_seen < until[:10])
    with store.session(viewer) as s:
        rows = s.scalars(query.limit(MAX_ANALYSIS_INCIDENTS + 1)).all()
        if len(rows) > MAX_ANALYSIS_INCIDENTS:
            raise TooManyIncidents(f"more than {MAX_ANALYSIS_INCIDENTS} incidents in the period and its history; "
                                   "ask for a shorter period")
        return [(r.id, _incident(r.fields), store.marking_of(s, r.marking_id)) for r in rows]


def save_run(store: Store, run_id: str, since: str, until: str, clusters: Sequence[dict], surges: Sequence[dict],
             marking: Marking) -> list[str]:
    """Store an analysis run, every cluster and surge under ``marking``: the combination of the markings of every
    incident the run read. Each result depends on all of them (k-means places every cluster boundary by all the
    vectors, a surge stands out against its narrative's history), so a result marked by its own members alone
    would let someone who may not see an input learn from its effect. Clusters: dicts with ``id``, ``label``,
    ``size`` and detail; surges: dicts with ``cluster_id``, ``label``, ``start_utc``, ``end_utc``,
    ``incident_ids``. A ``fimi-surge`` alert is queued for each surge in the same transaction
    (:func:`kompas.core.outbox.queue_alerts`). Returns the record ids of the surges (also the ids of their platform
    events)."""
    from kompas.core.outbox import queue_alerts

    when = now_utc()
    with store.session(None) as s:
        mid = store.marking_id(s, marking)
        s.add_all(FimiClusterRecord(run_id=run_id, number=c["id"], label=c["label"][:300], size=c["size"],
                                    since=since, until=until, detail=c, created_utc=when, marking_id=mid)
                  for c in clusters)
        rows = [FimiSurgeRecord(id=new_id(), run_id=run_id, cluster_number=g["cluster_id"], label=g["label"][:300],
                                start_utc=g["start_utc"], end_utc=g["end_utc"], cases=len(g["incident_ids"]),
                                detail=g, created_utc=when, marking_id=mid) for g in surges]
        s.add_all(rows)
        s.flush()
        # every surge is also a platform event in the common envelope (same id, same marking)
        platform_events.replace(s, [from_fimi_surge(r.id, g) for r, g in zip(rows, surges, strict=True)], mid)
        queue_alerts(s, "fimi-surge", [r.id for r in rows])
    return [r.id for r in rows]


def _latest_run(s, table) -> str | None:
    return s.scalar(select(table.run_id).order_by(table.created_utc.desc(), table.id).limit(1))


def clusters(store: Store, viewer: Viewer, run_id: str | None = None, after: str | None = None, limit: int = 100,
             min_size: int = 1) -> Page:
    """Visible clusters of a run (default: the latest run the viewer can see a cluster of), largest first."""
    with store.session(viewer) as s:
        run_id = run_id or _latest_run(s, FimiClusterRecord)
    query = select(FimiClusterRecord).where(FimiClusterRecord.run_id == (run_id or ""),
                                            FimiClusterRecord.size >= min_size)
    return store.paginate(viewer, query, [Key(FimiClusterRecord.size, descending=True, read=int),
                                          Key(FimiClusterRecord.number, read=int)], after, limit,
                          lambda s, r: {**{k: v for k, v in r.detail.items() if k != "incident_ids"},
                                        "run_id": r.run_id, "since": r.since, "until": r.until, "record_id": r.id,
                                        "incident_ids": r.detail["incident_ids"],
                                        "marking": store.marking_of(s, r.marking_id).as_dict()})


def surges(store: Store, viewer: Viewer, run_id: str | None = None, after: str | None = None, limit: int = 100,
           since: str | None = None, until: str | None = None, min_outlets: int = 0) -> Page:
    """Visible surges of a run (default: the latest), by start time, within [since, until)."""
    with store.session(viewer) as s:
        run_id = run_id or _latest_run(s, FimiSurgeRecord)
    query = select(FimiSurgeRecord).where(FimiSurgeRecord.run_id == (run_id or ""))
    return store._timeline(viewer, query, FimiSurgeRecord.start_utc, after, limit, since, until,
                           lambda s, r: {**r.detail, "run_id": r.run_id, "record_id": r.id,
                                         "marking": store.marking_of(s, r.marking_id).as_dict()})


def surge(store: Store, viewer: Viewer, record_id: str) -> dict | None:
    """One visible surge by record id, or None."""
    return store._one(viewer, FimiSurgeRecord, record_id,
                      lambda s, r: {**r.detail, "run_id": r.run_id, "record_id": r.id,
                                    "marking": store.marking_of(s, r.marking_id).as_dict()})


def import_stix(store: Store, account: Account, text: str, source: str = "stix") -> list[Ingested]:
    """Store the FIMI incidents of a STIX 2.1 bundle under their own markings (the importer's organisation added
    as originator, and to the releasability list when there is one), one contribution per marking."""
    from kompas.core.stix import contributed_marking, import_incidents

    pairs, rejections = import_incidents(text, source)
    groups: dict[str, tuple[Marking, list[Incident]]] = {}
    for incident, marking in pairs:
        marking = contributed_marking(marking, account.org)  # the importer's organisation the only originator
        groups.setdefault(marking.key(), (marking, []))[1].append(incident)
    out = []
    for number, (marking, items) in enumerate(groups.values()):
        try:
            out.append(contribute(store, account, items, rejections if number == 0 else [], "stix", source,
                                  marking))
        except (MarkingError, StoreError) as error:
            bad = [Rejection(source, 0, "object_marking_refs", str(error), i.ref) for i in items]
            out.append(Ingested("", 0, rejected=(rejections if number == 0 else []) + bad))
    if not groups:
        out.append(contribute(store, account, [], rejections, "stix", source, Marking()))
    return out


def run_analysis(store: Store, viewer: Viewer | None, since: str, until: str, framework: Any = None,
                 k: int | None = None, method: str = "auto", store_run: bool = True
                 ) -> tuple[Analysis, str, Marking]:
    """Analyse the incidents ``viewer`` may see (all for None) in [since, until), with their history
    (:func:`kompas.fimi.analysis.baseline_start`), and store the run unless ``store_run`` is False. Returns the
    :class:`~kompas.fimi.analysis.Analysis`, the run id and the combined marking of every incident read, which
    marks every stored result (:func:`save_run`): run it for a user to get results that user's peers can share."""
    from kompas.fimi.analysis import analyse, baseline_start

    rows = for_analysis(store, viewer, baseline_start(since, until), until)
    result = analyse([x for _, x, _ in rows], [i for i, _, _ in rows], since, until, framework, k, method)
    used = combine({m.key(): m for _, _, m in rows}.values()) if rows else Marking()
    run_id = new_id()
    if store_run:
        save_run(store, run_id, since, until, result.cluster_items(), result.surge_items(), used)
    return result, run_id, used
