"""Tables of the platform core (SQLAlchemy 2 declarative models).

Everything a user can be shown carries a marking through :class:`Marked` (a ``marking_id`` column); the access
rule is applied to every query on a :class:`Marked` table by :mod:`kompas.core.access`, never by callers.
Public identifiers of marked items are random UUIDs, so that identifiers reveal nothing about items the caller
cannot see (a sequence number would show gaps). Times are ISO 8601 UTC strings with nanoseconds and a ``Z``
(fixed width, so they sort as text), as everywhere in Kompas.
"""

from __future__ import annotations

import time
import uuid

import numpy as np
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


def now_utc() -> str:
    """The current time as Kompas stores it: ``YYYY-MM-DDTHH:MM:SS.fffffffffZ``."""
    return str(np.datetime_as_string(np.datetime64(time.time_ns(), "ns"), unit="ns")) + "Z"


def new_id() -> str:
    """A random public identifier (UUID4 text)."""
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Declarative base of every Kompas table."""


class Organisation(Base):
    """A contributing or consuming body: member state, agency, operator or partner, with its country."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")


class Community(Base):
    """A need-to-know group; users belong to any number of them."""

    __tablename__ = "communities"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Membership(Base):
    """A user's membership of a community."""

    __tablename__ = "memberships"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)


class User(Base):
    """A person or service with a clearance in one organisation; authenticates with bearer tokens
    (:class:`ApiToken`)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    clearance: Mapped[int] = mapped_column(Integer)
    created_utc: Mapped[str] = mapped_column(String(30))
    org: Mapped[Organisation] = relationship(lazy="joined")
    communities: Mapped[list[Community]] = relationship(secondary="memberships", lazy="selectin")


# --- accounts (helper "accounts"): API tokens with expiry, revocation and rotation (migration 0009) ---------------


class ApiToken(Base):
    """One bearer token of a user (only its SHA-256 is kept): valid from ``created_utc`` until ``expires_utc``
    unless revoked (``revoked_utc``); ``kompas admin token list|revoke|rotate`` manage them."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_utc: Mapped[str] = mapped_column(String(30))
    expires_utc: Mapped[str] = mapped_column(String(30))
    revoked_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)
    user: Mapped[User] = relationship(lazy="joined")


class MarkingRow(Base):
    """One distinct marking (shared by every item marked the same way; ``key`` is :meth:`Marking.key`)."""

    __tablename__ = "markings"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused, so a cached id -> marking stays true
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    classification: Mapped[int] = mapped_column(Integer)
    tlp: Mapped[int] = mapped_column(Integer)
    releasable_to_all: Mapped[bool] = mapped_column(Boolean)
    originators: Mapped[str] = mapped_column(Text, default="")
    caveats: Mapped[str] = mapped_column(Text, default="")
    #: the exercise an item of this marking belongs to (its ``EXERCISE <CODE>`` caveat), None for real items: the
    #: access rule in SQL (:func:`kompas.core.access.visible_markings`) filters on it
    exercise: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class ExerciseRow(Base):
    """An exercise on the platform: its items (marked ``EXERCISE <CODE>``) reach only its participants' users, and
    only in its context."""

    __tablename__ = "exercises"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: the organisation running the exercise (exercise control): only it builds the scenario, releases injects and
    #: adds participants
    controller: Mapped[str] = mapped_column(String(32))
    created_utc: Mapped[str] = mapped_column(String(30))
    ended_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)


class ExerciseParticipant(Base):
    """One organisation taking part in an exercise (its users may work in the exercise's context)."""

    __tablename__ = "exercise_participants"
    exercise: Mapped[str] = mapped_column(ForeignKey("exercises.code"), primary_key=True)
    org: Mapped[str] = mapped_column(String(32), primary_key=True)


class MarkingRelease(Base):
    """One organisation or country code in a marking's releasability list."""

    __tablename__ = "marking_releases"
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)


class MarkingClause(Base):
    """One community of one need-to-know clause of a marking (clauses numbered from 0 within a marking)."""

    __tablename__ = "marking_clauses"
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), primary_key=True)
    clause: Mapped[int] = mapped_column(Integer, primary_key=True)
    community: Mapped[str] = mapped_column(String(64), primary_key=True)


class Marked:
    """Mixin of every table whose rows users see: a marking and a random public id."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)

    @declared_attr
    def marking_id(cls) -> Mapped[int]:  # noqa: N805 (SQLAlchemy declared_attr convention)
        return mapped_column(ForeignKey("markings.id"), index=True)


class Contribution(Marked, Base):
    """One submission (a file or API body) by a user: what was accepted and rejected."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_source", "source"),)
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_utc: Mapped[str] = mapped_column(String(30))
    accepted: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    rejections: Mapped[list] = mapped_column(JSON, default=list)


class ElementSetRecord(Marked, Base):
    """One SGP4 element set as contributed (all :class:`~kompas.space.elements.ElementSet` fields)."""

    __tablename__ = "element_sets"
    __table_args__ = (Index("ix_element_sets_object_epoch", "norad_id", "epoch_utc"),)
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id"), index=True)
    norad_id: Mapped[int] = mapped_column(Integer)
    epoch_utc: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100), default="")
    intl_designator: Mapped[str] = mapped_column(String(16), default="")
    fields: Mapped[dict] = mapped_column(JSON)
    #: Where the set comes from: gp, supgp, oem, contributed (:mod:`kompas.space.sources`; migration 0014).
    source: Mapped[str] = mapped_column(String(16), default="gp", server_default="gp")


class CDMRecord(Marked, Base):
    """A contributed CCSDS conjunction data message (raw text kept) and the fields listings need."""

    __tablename__ = "cdms"
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(200))
    originator: Mapped[str] = mapped_column(String(100), default="")
    tca_utc: Mapped[str] = mapped_column(String(30), index=True)
    object1_id: Mapped[int] = mapped_column(Integer, index=True)
    object2_id: Mapped[int] = mapped_column(Integer, index=True)
    miss_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    pc: Mapped[float | None] = mapped_column(Float, nullable=True)
    format: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)


class DocumentRecord(Marked, Base):
    """A contributed document (assessment, report, note) as text."""

    __tablename__ = "documents"
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(64))
    created_utc: Mapped[str] = mapped_column(String(30), index=True)
    content: Mapped[str] = mapped_column(Text)


class CommitmentStatusRecord(Marked, Base):
    """A dated status of a register commitment (kompas.compass) with its evidence note."""

    __tablename__ = "commitment_status"
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id"), index=True)
    commitment_id: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[str] = mapped_column(String(10), index=True)  # YYYY-MM-DD: the date the evidence speaks for
    evidence: Mapped[str] = mapped_column(Text)
    created_utc: Mapped[str] = mapped_column(String(30), index=True)


class ConjunctionRecord(Marked, Base):
    """A screened close approach between two element sets; marked with the combination of both inputs."""

    __tablename__ = "conjunctions"
    primary_id: Mapped[int] = mapped_column(Integer, index=True)
    secondary_id: Mapped[int] = mapped_column(Integer, index=True)
    tca_utc: Mapped[str] = mapped_column(String(30), index=True)
    miss_km: Mapped[float] = mapped_column(Float)
    v_rel_km_s: Mapped[float] = mapped_column(Float)
    rtn_km: Mapped[list] = mapped_column(JSON)
    primary_elset_id: Mapped[str] = mapped_column(String(36))
    secondary_elset_id: Mapped[str] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(String(32), default="")
    #: the Pc to decide on (:func:`kompas.space.decision.assess`), from the method ``pc_basis`` names
    pc: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: ``pc2d`` (Foster), ``nc3d`` (Hall) or ``mc`` (two-body Monte Carlo); NULL: Foster, stored before 0011
    pc_basis: Mapped[str | None] = mapped_column(String(8), nullable=True)
    #: names of the usage checks the 2D method failed (:mod:`kompas.space.usage`)
    pc_flags: Mapped[list | None] = mapped_column(JSON, nullable=True)
    #: a Monte Carlo Pc's 95% Clopper-Pearson interval ``[low, high]``
    pc_interval: Mapped[list | None] = mapped_column(JSON, nullable=True)
    cdm: Mapped[str | None] = mapped_column(Text, nullable=True)  #: the CCSDS CDM (KVN) derived for it
    #: which inputs were used and why: per object the element set, its contribution and the alternatives
    provenance: Mapped[dict | None] = mapped_column(JSON, nullable=True)


# --- tracking (helper H5, issue 21 #4): conjunction events tracked across updates (migration 0013) -------------


class ConjunctionEventRecord(Marked, Base):
    """One encounter of a pair of objects tracked across screenings (:mod:`kompas.space.tracking`); marked with the
    combination of its updates' markings. Users see an event only through the updates they may see
    (:meth:`kompas.core.store.space.SpaceStore.conjunction_events`), never through this row."""

    __tablename__ = "conjunction_events"
    __table_args__ = (Index("ix_conjunction_events_pair_tca", "norad_a", "norad_b", "tca_utc"),)
    norad_a: Mapped[int] = mapped_column(Integer)  #: the lower NORAD id of the pair
    norad_b: Mapped[int] = mapped_column(Integer)  #: the higher
    tca_utc: Mapped[str] = mapped_column(String(30))  #: TCA of the newest update linked
    period_s: Mapped[float | None] = mapped_column(Float, nullable=True)  #: shorter orbital period of the two, s
    created_utc: Mapped[str] = mapped_column(String(30))
    updated_utc: Mapped[str] = mapped_column(String(30))


class ConjunctionEventUpdate(Marked, Base):
    """A stored conjunction as one update of a tracked event; marked like the conjunction."""

    __tablename__ = "conjunction_event_updates"
    __table_args__ = (Index("ix_conjunction_event_updates_event", "event_id", "epoch_utc", "marking_id"),)
    event_id: Mapped[str] = mapped_column(String(36))  #: by id, like a conjunction's element sets (migration 0013)
    conjunction_id: Mapped[str] = mapped_column(String(36), unique=True)
    seq: Mapped[int] = mapped_column(Integer)  #: 1, 2, ... in the order linked (the system's numbering)
    epoch_utc: Mapped[str] = mapped_column(String(30))  #: newer epoch of the two element sets screened
    linked_utc: Mapped[str] = mapped_column(String(30))  #: when the screening stored and linked it
    message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)  #: its CDM's MESSAGE_ID


class ConjunctionDecision(Marked, Base):
    """A decision on a tracked event (``mitigate``, ``accept``, ``monitor``) by a user, with a note; marked with the
    combination of the updates the user saw when deciding."""

    __tablename__ = "conjunction_decisions"
    __table_args__ = (Index("ix_conjunction_decisions_event", "event_id", "decided_utc"),)
    event_id: Mapped[str] = mapped_column(String(36))
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    update_id: Mapped[str] = mapped_column(String(36))  #: the newest update the user saw
    decided_utc: Mapped[str] = mapped_column(String(30))


# --- end of tracking section ---------------------------------------------------------------------------------


class EventRecord(Marked, Base):
    """An event of any domain in the common envelope (:mod:`kompas.core.envelope`): domain, type (``kind``), time
    span, place, actors in their order, severity, confidence, evidence and the domain payload (``detail``)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_added", "added_utc", "id"),)
    domain: Mapped[str] = mapped_column(String(16), index=True, default="space")
    kind: Mapped[str] = mapped_column(String(32), index=True)  #: the envelope's ``type``
    time_utc: Mapped[str] = mapped_column(String(30), index=True)  #: best estimate; orders listings
    start_utc: Mapped[str] = mapped_column(String(30))
    end_utc: Mapped[str] = mapped_column(String(30))
    norad_ids: Mapped[list] = mapped_column(JSON)  #: the space objects among the actors, in their order
    title: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(8), index=True, default="medium")
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)  #: degrees WGS-84, when on Earth
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    place: Mapped[dict] = mapped_column(JSON, nullable=True, default=dict)
    actors: Mapped[list] = mapped_column(JSON, nullable=True, default=list)
    evidence: Mapped[dict] = mapped_column(JSON, nullable=True, default=dict)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  #: the envelope's ``payload``
    source: Mapped[str] = mapped_column(String(200), default="")
    #: When the platform stored it (TAXII's ``date_added``: feeds poll what was added after a time).
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


class EventObject(Marked, Base):
    """Index of which objects an event concerns (for ``?norad_id=`` filters); marked like its event."""

    __tablename__ = "event_objects"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    norad_id: Mapped[int] = mapped_column(Integer, index=True)


class FimiIncidentRecord(Marked, Base):
    """A FIMI incident (kompas.fimi.incident) as contributed, with the merges of later copies of the same case."""

    __tablename__ = "fimi_incidents"
    __table_args__ = (Index("ix_fimi_incidents_source_ref", "source", "ref"),)
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[str] = mapped_column(String(10), index=True)  #: UTC date YYYY-MM-DD
    last_seen: Mapped[str] = mapped_column(String(10))
    attribution: Mapped[str] = mapped_column(String(32), index=True)
    fields: Mapped[dict] = mapped_column(JSON)  #: the whole incident (Incident.as_dict)
    merges: Mapped[list] = mapped_column(JSON, default=list)  #: each merge: ref, source, reason, who, when
    created_utc: Mapped[str] = mapped_column(String(30))


class FimiIncidentTag(Marked, Base):
    """Index of an incident's targets, languages, channels, narratives, techniques and actors' states, for
    filters; marked like its incident."""

    __tablename__ = "fimi_incident_tags"
    __table_args__ = (Index("ix_fimi_incident_tags_kind_value", "kind", "value"),)
    incident_id: Mapped[str] = mapped_column(ForeignKey("fimi_incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))


class FimiClusterRecord(Marked, Base):
    """A narrative cluster of one analysis run; marked with the combination of its incidents' markings."""

    __tablename__ = "fimi_clusters"
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    since: Mapped[str] = mapped_column(String(10))
    until: Mapped[str] = mapped_column(String(10))
    detail: Mapped[dict] = mapped_column(JSON)  #: terms, examples, incident ids, method
    created_utc: Mapped[str] = mapped_column(String(30), index=True)


class FimiSurgeRecord(Marked, Base):
    """A coordinated surge (candidate alert) of one analysis run; marked with the combination of its evidence."""

    __tablename__ = "fimi_surges"
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    cluster_number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    start_utc: Mapped[str] = mapped_column(String(30), index=True)
    end_utc: Mapped[str] = mapped_column(String(30))
    cases: Mapped[int] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON)  #: outlets, languages, targets, incident ids, score
    created_utc: Mapped[str] = mapped_column(String(30), index=True)


class Subscription(Base):
    """A user's webhook for alerts; deliveries are signed with HMAC-SHA256 under ``secret``."""

    __tablename__ = "subscriptions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    kinds: Mapped[list] = mapped_column(JSON)
    rules: Mapped[dict | None] = mapped_column(JSON, nullable=True)  #: e.g. {"targets": [...]} (FIMI alerts)
    secret: Mapped[str] = mapped_column(String(64))
    created_utc: Mapped[str] = mapped_column(String(30))
    #: the exercise the subscription was made in (its alerts: that exercise's items, read in its context), or None
    exercise: Mapped[str | None] = mapped_column(String(32), nullable=True)


# --- outbox (helper "outbox"): webhook deliveries through a durable outbox (migration 0008) ---------------------


class WebhookDelivery(Base):
    """One webhook delivery to make (:mod:`kompas.core.outbox`): which item of which kind goes to which
    subscription, its status (``queued`` -> ``sending`` -> ``done``, ``dead`` after the last attempt, ``dropped``
    when the subscription or the subscriber's right to see the item is gone), attempts made, when it may be tried
    next and, while a worker holds it, until when its claim (lease) lasts. The row id is the ``X-Kompas-Delivery``
    header of every attempt, so receivers can drop repeats."""

    __tablename__ = "webhook_outbox"
    __table_args__ = (Index("ix_webhook_outbox_status_next", "status", "next_utc"),
                      Index("ix_webhook_outbox_subscription_status", "subscription_id", "status"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    subscription_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)  #: attempts started (claims)
    created_utc: Mapped[str] = mapped_column(String(30))
    next_utc: Mapped[str] = mapped_column(String(30))  #: not tried before this time
    lease_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)  #: a ``sending`` claim ends then
    worker: Mapped[str | None] = mapped_column(String(100), nullable=True)  #: host:pid:thread holding the claim
    finished_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)  #: HTTP status of the last attempt
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class QueuedAlert(Base):
    """One alert to expand (:func:`kompas.core.outbox.expand`): an item of an alert ``kind`` newly stored, written
    in the same transaction as the item (only when some subscription wants that kind), deleted in the transaction
    that writes its :class:`WebhookDelivery` rows, so each alert is expanded exactly once."""

    __tablename__ = "alert_queue"
    __table_args__ = (Index("ix_alert_queue_created", "created_utc"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(36))
    created_utc: Mapped[str] = mapped_column(String(30))


# --- end of outbox section ------------------------------------------------------------------------------------


class ReportJob(Base):
    """One report job (:mod:`kompas.core.jobqueue`): what to run for whom, its status, and the result (bytes,
    media type, file name, marking)."""

    __tablename__ = "report_jobs"
    __table_args__ = (Index("ix_report_jobs_status_created", "status", "created_utc"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: the exercise whose context the job runs in (its owner's when submitted), None for the real world
    exercise: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(8))
    created_utc: Mapped[str] = mapped_column(String(30))
    started_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)
    finished_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(100), nullable=True)  #: host:pid:thread that claimed it
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    marking: Mapped[dict | None] = mapped_column(JSON, nullable=True)  #: Marking.as_dict() of the result
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)  #: bytes
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


# --- audit (helper "audit", issue 18 #14): keyed chain (kompas.core.audit), migration 0010 ---


class AuditEntry(Base):
    """One audit record; ``hash`` = HMAC-SHA256 under the audit key (SHA-256 for entries before
    ``audit_head.keyed_from``) over the previous hash and this entry's canonical text (:mod:`kompas.core.audit`)."""

    __tablename__ = "audit"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    time_utc: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The audit chain's last sequence number and hash (one row, id 1); its row lock serialises appends.
    ``keyed_from``: the first sequence number written with the audit key (migration 0010; 1 on a new database);
    ``mac``: HMAC-SHA256 of (seq, hash, keyed_from) under the audit key (None until sealed, see ``audit.head_mac``)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    keyed_from: Mapped[int] = mapped_column(Integer, server_default="1")
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)


class EphemerisRecord(Marked, Base):
    """A contributed CCSDS OEM (an operator's ephemeris, raw text kept) and what screening needs to pick it: the
    object, the span its states cover (the union of the segments' useable spans, UTC) and its counts."""

    __tablename__ = "ephemerides"
    __table_args__ = (Index("ix_ephemerides_object_span", "norad_id", "stop_utc"),)
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id"), index=True)
    norad_id: Mapped[int] = mapped_column(Integer)
    object_name: Mapped[str] = mapped_column(String(100), default="")
    object_id: Mapped[str] = mapped_column(String(32), default="")  #: OBJECT_ID as written (international designator)
    originator: Mapped[str] = mapped_column(String(100), default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    created_utc: Mapped[str] = mapped_column(String(30))  #: the message's CREATION_DATE (UTC)
    start_utc: Mapped[str] = mapped_column(String(30), index=True)
    stop_utc: Mapped[str] = mapped_column(String(30))
    frame: Mapped[str] = mapped_column(String(32))
    segments: Mapped[int] = mapped_column(Integer)
    states: Mapped[int] = mapped_column(Integer)
    covariances: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)


# --- response (helper ATTRIB, issue 22): national attributions and response workflows (migration 0016) -----------


class AttributionRecord(Marked, Base):
    """One member state's recorded assessment of one platform event (:class:`kompas.response.attribution.Attribution`):
    ``state`` is the recording user's organisation's country (a user records only their own state's assessment),
    ``org`` that organisation; marked as the recorder gives it. Refers to its event by id without a foreign key (an
    administrator may remove an event); reads join the event, so a record is shown only with an event the reader
    may see."""

    __tablename__ = "attributions"
    __table_args__ = (Index("ix_attributions_event", "event_id", "date", "recorded_utc"),)
    event_id: Mapped[str] = mapped_column(String(36))
    state: Mapped[str] = mapped_column(String(2))  #: ISO 3166-1 alpha-2
    org: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[str] = mapped_column(String(16))  #: kompas.response.attribution.CONFIDENCE, "" for none/withheld
    basis: Mapped[str] = mapped_column(Text)
    date: Mapped[str] = mapped_column(String(10))  #: YYYY-MM-DD: the assessment's date
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_utc: Mapped[str] = mapped_column(String(30))


class ResponseRecord(Marked, Base):
    """A response to a platform event along one toolbox's workflow (:mod:`kompas.response.workflow`): the options
    chosen when opened (ids of :mod:`kompas.response.toolbox`), the planned deadline of each step, who opened it;
    marked with the combination of the event's marking and the marking its opener gave. Where it stands comes from
    its moves (:class:`ResponseStepRecord`) a reader may see."""

    __tablename__ = "responses"
    __table_args__ = (Index("ix_responses_event", "event_id", "opened_utc"),)
    event_id: Mapped[str] = mapped_column(String(36))  #: by id, like attributions
    toolbox: Mapped[str] = mapped_column(String(16))
    options: Mapped[list] = mapped_column(JSON)
    plan: Mapped[dict] = mapped_column(JSON)  #: step id -> planned deadline (stored form) or None
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    org: Mapped[str] = mapped_column(String(32))
    opened_utc: Mapped[str] = mapped_column(String(30))


class ResponseStepRecord(Marked, Base):
    """One move of a response to a step of its workflow, by a user, with a note (the audit trail), optionally new
    options and a deadline for the step; marked with the combination of the response's marking, the moves its
    author saw and the marking the author gave."""

    __tablename__ = "response_steps"
    __table_args__ = (Index("ix_response_steps_response", "response_id", "moved_utc"),)
    response_id: Mapped[str] = mapped_column(ForeignKey("responses.id"))
    step: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  #: the workflow state at that step, when moved
    note: Mapped[str] = mapped_column(Text)
    options: Mapped[list | None] = mapped_column(JSON, nullable=True)  #: the options chosen from then on, or None
    deadline_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    org: Mapped[str] = mapped_column(String(32))
    moved_utc: Mapped[str] = mapped_column(String(30))


class FindingRecord(Marked, Base):
    """An analyst's finding on a platform event: a fact the detecting engine cannot know, recorded from a stated
    source (e.g. the cause of a break-up: a public fact, not in the element sets), under the marking its recorder
    gives. ``field`` is one of :data:`kompas.services.response.FINDING_FIELDS`, ``value`` its JSON value. By event id
    without a foreign key, like attributions; reads join the event."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_event", "event_id", "recorded_utc"),)
    event_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[object] = mapped_column(JSON)
    basis: Mapped[str] = mapped_column(Text)
    org: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_utc: Mapped[str] = mapped_column(String(30))


# --- end of response section ----------------------------------------------------------------------------------


class CyberIncidentRecord(Marked, Base):
    """A shared cyber incident (:class:`kompas.cyber.model.Incident`): the columns listings filter on, and the whole
    incident (``fields``, its JSON form) for exports that keep everything it arrived with; marked as its contributor
    gave it (a MISP or STIX import: as its tags and marking definitions say). Its event in the common envelope
    (domain ``cyber``) has the same id."""

    __tablename__ = "cyber_incidents"
    __table_args__ = (Index("ix_cyber_incidents_added", "added_utc", "id"),
                      Index("ix_cyber_incidents_date", "date", "id"))
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[str] = mapped_column(String(10))  #: YYYY-MM-DD, the day it happened
    rsit_class: Mapped[str] = mapped_column(String(64), default="")
    rsit_type: Mapped[str] = mapped_column(String(64), default="")
    sectors: Mapped[list] = mapped_column(JSON, default=list)  #: NIS2 sectors
    member_states: Mapped[list] = mapped_column(JSON, default=list)
    fields: Mapped[dict] = mapped_column(JSON)  #: Incident.as_dict
    org: Mapped[str] = mapped_column(String(32))  #: the contributing organisation
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(200), default="")
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


class CyberObservableRecord(Marked, Base):
    """One observable of a shared incident, by its indicator key (type, normalised value), marked as the incident
    or, when the source marked it apart, as that."""

    __tablename__ = "cyber_observables"
    __table_args__ = (Index("ix_cyber_observables_key", "type", "value", "marking_id"),)
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(2048))
    to_ids: Mapped[bool] = mapped_column(Boolean, default=True)
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


class CyberSightingRecord(Marked, Base):
    """One member's "we saw it too" on an indicator key: how many times, first and last seen. The row's marking
    governs the sighting (its existence, count and times); ``observer_marking_id`` the observer's identity (the
    combination of both: who may see the sighting but not that marking counts it without learning who saw it)."""

    __tablename__ = "cyber_sightings"
    __table_args__ = (Index("ix_cyber_sightings_key", "type", "value", "marking_id"),
                      Index("ix_cyber_sightings_added", "added_utc", "id"))
    type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(2048))
    count: Mapped[int] = mapped_column(Integer)
    first_seen_utc: Mapped[str] = mapped_column(String(30))
    last_seen_utc: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(16), default="sighting")
    org: Mapped[str] = mapped_column(String(32))  #: the observer (the contributing organisation)
    observer_marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(200), default="")
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


class CyberInventoryRecord(Marked, Base):
    """One product a member declares in use (a CPE 2.3 name), for exposure to known exploited vulnerabilities."""

    __tablename__ = "cyber_inventory"
    __table_args__ = (Index("ix_cyber_inventory_member", "org", "marking_id"),)
    org: Mapped[str] = mapped_column(String(32))  #: the declaring member (organisation)
    cpe: Mapped[str] = mapped_column(String(512))
    declared: Mapped[str] = mapped_column(String(10))  #: YYYY-MM-DD
    assets: Mapped[int | None] = mapped_column(Integer, nullable=True)
    criticality: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(200), default="")
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


# --- end of cyber section -------------------------------------------------------------------------------------


class InfraElementRecord(Marked, Base):
    """One infrastructure element an organisation contributed (:mod:`kompas.infra.contributed`: a pipeline, a
    cable's capacity, a private cable, a link), marked as its contributor gave it. ``fields`` is the element's JSON
    text (:func:`kompas.infra.contributed.to_dict`); an element whose ``kind`` and ``element_id`` are a public
    element's replaces it for the readers who may see the row (:func:`kompas.services.infra.network_for`)."""

    __tablename__ = "infra_elements"
    __table_args__ = (Index("ix_infra_elements_element", "org", "kind", "element_id", "marking_id"),
                      Index("ix_infra_elements_added", "added_utc", "id"))
    org: Mapped[str] = mapped_column(String(32))  #: the contributing organisation
    kind: Mapped[str] = mapped_column(String(16))  #: landing, cable, link, building or exchange
    element_id: Mapped[str] = mapped_column(String(128))
    fields: Mapped[str] = mapped_column(Text)  #: the element as JSON text
    source: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


# --- end of infra section -------------------------------------------------------------------------------------

class MaritimeBatchRecord(Marked, Base):
    """A batch of vessel positions an organisation contributed (:mod:`kompas.core.store.maritime`): decoded AIS,
    its own radar or fused tracks, one UTC day of one contribution, marked as its contributor gave it. ``data`` is
    the columns (:class:`kompas.maritime.model.Positions`) as a compressed ``.npz``; ``statics`` the static reports
    as JSON; the window and box let a read skip batches it does not need."""

    __tablename__ = "maritime_batches"
    __table_args__ = (Index("ix_maritime_batches_window", "start_utc", "end_utc"),
                      Index("ix_maritime_batches_org", "org", "source"))
    org: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))  #: the name the contribution was sent under
    kind: Mapped[str] = mapped_column(String(16))  #: ais, radar or tracks
    start_utc: Mapped[str] = mapped_column(String(30))
    end_utc: Mapped[str] = mapped_column(String(30))
    lat_min: Mapped[float] = mapped_column(Float)
    lat_max: Mapped[float] = mapped_column(Float)
    lon_min: Mapped[float] = mapped_column(Float)
    lon_max: Mapped[float] = mapped_column(Float)
    fixes: Mapped[int] = mapped_column(Integer)
    vessels: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    statics: Mapped[str] = mapped_column(Text, default="[]")
    attribution: Mapped[str] = mapped_column(String(500), default="")  #: the data's licence or credit, as given
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)  #: the ids are a source's own, not MMSIs
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


# --- end of maritime section ----------------------------------------------------------------------------------


class IntelItemRecord(Marked, Base):
    """An item of the intelligence capacity (:mod:`kompas.core.store.intel`): a member state's report (a
    contribution graded on the admiralty scale), an analyst's assessment with key judgements, an intelligence
    requirement, an ACH board or a key assumptions check. ``body`` is the item as JSON text
    (:mod:`kompas.intel.model`); its marking is at least the combination of what it cites (kept so by the store)."""

    __tablename__ = "intel_items"
    __table_args__ = (Index("ix_intel_items_kind", "kind", "updated_utc", "id"),
                      Index("ix_intel_items_org", "org"))
    kind: Mapped[str] = mapped_column(String(16))  #: report, assessment, requirement, board or assumptions
    org: Mapped[str] = mapped_column(String(32))  #: the organisation that wrote it
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  #: the item as JSON text
    team: Mapped[str] = mapped_column(String(120), default="")  #: the analyst team (assessments)
    product_line: Mapped[str] = mapped_column(String(120), default="")  #: the product line (assessments)
    summary: Mapped[str] = mapped_column(Text, default="{}")  #: the few fields a listing shows, as JSON
    version: Mapped[int] = mapped_column(Integer, default=1)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)
    updated_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


class IntelCitation(Base):
    """One thing an intelligence item cites: another item or a platform event, by id. Read only through the citing
    item (a viewer who may see an item may see everything it cites: its marking combines theirs)."""

    __tablename__ = "intel_citations"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("intel_items.id", ondelete="CASCADE"), index=True)
    cited_kind: Mapped[str] = mapped_column(String(16))  #: an item kind, or ``event``
    cited_id: Mapped[str] = mapped_column(String(36), index=True)


class IntelVersion(Base):
    """An earlier version of an intelligence item (its title and body as they were), kept when a new version is
    stored. Read only through its item: an item's marking never falls, so whoever may see the item may see every
    earlier version of it."""

    __tablename__ = "intel_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("intel_items.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_utc: Mapped[str] = mapped_column(String(30))


# --- end of intel section -------------------------------------------------------------------------------------


# --- Space ISAC (issue 29): members' incident reports, "seen it too", the platform's pseudonyms -----------------


class IsacReportRecord(Marked, Base):
    """A Space ISAC incident report (:class:`kompas.isac.model.IsacReport`) as a member shared it: the columns
    listings filter on and the whole report (``body``, its JSON form, reporter included). The platform knows who
    reported (``org``, ``user_id``; the audit log records it too); other members are shown the report without them
    unless ``disclosure`` is ``named`` (:mod:`kompas.services.isac`). ``source_id`` is the id the contributor gave
    (or its reader derived): the same organisation sharing it again replaces its copy. Its event in the common
    envelope (domain ``isac``) has the same id."""

    __tablename__ = "isac_reports"
    __table_args__ = (Index("ix_isac_reports_start", "start_utc", "id"),
                      Index("ix_isac_reports_added", "added_utc", "id"),
                      Index("ix_isac_reports_source", "org", "source_id"))
    org: Mapped[str] = mapped_column(String(32))  #: the reporting organisation
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source_id: Mapped[str] = mapped_column(String(36))  #: the report's id as contributed
    disclosure: Mapped[str] = mapped_column(String(16))  #: anonymous, pseudonymous or named
    pseudonym: Mapped[str] = mapped_column(String(64), default="")
    reported_utc: Mapped[str] = mapped_column(String(30))
    start_utc: Mapped[str] = mapped_column(String(30))
    stop_utc: Mapped[str | None] = mapped_column(String(30), nullable=True)
    segment: Mapped[str] = mapped_column(String(8))
    interference: Mapped[str] = mapped_column(String(32))
    band_low_mhz: Mapped[float | None] = mapped_column(Float, nullable=True)  #: MHz (a letter's IEEE 521 edges)
    band_high_mhz: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)  #: degrees WGS-84, the first place given
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    norad_ids: Mapped[list] = mapped_column(JSON, default=list)
    body: Mapped[dict] = mapped_column(JSON)  #: IsacReport.as_dict
    added_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


class IsacReportObject(Base):
    """Index of the objects a report names (for ``?norad_id=`` filters): read only inside a query on
    :class:`IsacReportRecord`, whose marking decides."""

    __tablename__ = "isac_report_objects"
    report_id: Mapped[str] = mapped_column(ForeignKey("isac_reports.id", ondelete="CASCADE"), primary_key=True)
    norad_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)


class IsacSeenRecord(Marked, Base):
    """A member's "seen it too" on another member's report: marked with the combination of the seer's marking and
    the report's, so it reaches only those who may see both. The seer's organisation is shown to others by its
    pseudonym."""

    __tablename__ = "isac_seen"
    __table_args__ = (Index("ix_isac_seen_report", "report_id", "org"),)
    report_id: Mapped[str] = mapped_column(ForeignKey("isac_reports.id", ondelete="CASCADE"))
    org: Mapped[str] = mapped_column(String(32))  #: the organisation that saw it too
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at_utc: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")


class IsacMember(Base):
    """The pseudonym the platform gave an organisation in the Space ISAC (random, stable): shown instead of its
    code for pseudonymous reports and "seen it too". Read only by the service, never listed."""

    __tablename__ = "isac_members"
    org: Mapped[str] = mapped_column(String(32), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    created_utc: Mapped[str] = mapped_column(String(30), default=now_utc)


# --- end of Space ISAC section --------------------------------------------------------------------------------
