"""The store's foundation: sessions that declare whom they serve, markings, contributions, and the one keyset
paginator every listing uses.

Every read takes a :class:`~kompas.core.markings.Viewer` and runs in a session that declares it, so the access
rule of :mod:`kompas.core.access` filters it inside the database query; nothing here filters in Python. Listings
page by keyset (``after`` = the key of the last item of the previous page, values joined by ``|``), never by
offset: :meth:`StoreBase.paginate`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
from sqlalchemy import Engine, Select, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kompas.core.access import open_session
from kompas.core.markings import TLP, Classification, Marking, MarkingError, Viewer, may_see
from kompas.core.models import Contribution, MarkingClause, MarkingRelease, MarkingRow, User, now_utc
from kompas.space.elements import Rejection
from kompas.times import utc_text_ns

MAX_PAGE = 1000


class StoreError(ValueError):
    """A request the store refuses: unknown organisation, duplicate name, marking above clearance, ..."""


def hash_token(token: str) -> str:
    """SHA-256 of a bearer token (tokens are random 256-bit strings, so a plain hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def utc_text(time: np.datetime64) -> str:
    """A ``datetime64`` as stored: ISO 8601 with nanoseconds and ``Z`` (fixed width, sorts as text)."""
    return utc_text_ns(time)


@dataclass(frozen=True)
class Account:
    """An authenticated user: who (for the audit log) and what the access rule needs (``viewer``)."""

    user_id: int
    name: str
    org: str
    viewer: Viewer


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a listing; ``next`` is the ``after`` value for the following page (None at the end)."""

    items: list[T]
    next: str | None
    total: int | None = None


@dataclass
class Submitted:
    """Outcome of a contribution: its id, records accepted and each rejection."""

    id: str
    accepted: int
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class Key:
    """One column of a listing's order: ascending unless ``descending``; ``read`` turns its cursor text back into
    a value (``str`` or ``int``)."""

    column: Any
    descending: bool = False
    read: Callable[[str], Any] = str


class StoreBase:
    """Storage on one database (an :class:`~sqlalchemy.Engine` with Kompas's schema): sessions, markings,
    contributions and paging, shared by the domain parts of :class:`kompas.core.store.Store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._markings: dict[int, Marking] = {}  # marking rows never change once written, so they cache

    @contextmanager
    def session(self, viewer: Viewer | None) -> Iterator[Session]:
        """A transaction serving ``viewer`` (None: the system itself, for administration and engine jobs)."""
        with open_session(self.engine, viewer) as session, session.begin():
            yield session

    def marking_id(self, s: Session, marking: Marking) -> int:
        """The row id of ``marking``, inserted on first use (concurrent first uses resolve to one row)."""
        key = marking.key()
        found = s.scalar(select(MarkingRow.id).where(MarkingRow.key == key))
        if found is not None:
            return found
        try:
            with s.begin_nested():
                row = MarkingRow(key=key, classification=int(marking.classification), tlp=int(marking.tlp),
                                 releasable_to_all=marking.releasable_to is None,
                                 originators=",".join(sorted(marking.originators)),
                                 caveats=",".join(sorted(marking.caveats)))
                s.add(row)
                s.flush()
                s.add_all(MarkingRelease(marking_id=row.id, code=c) for c in sorted(marking.releasable_to or ()))
                for number, clause in enumerate(sorted(marking.clauses, key=sorted)):
                    s.add_all(MarkingClause(marking_id=row.id, clause=number, community=c) for c in sorted(clause))
                s.flush()
                return row.id
        except IntegrityError:  # another session stored it first
            return s.scalars(select(MarkingRow.id).where(MarkingRow.key == key)).one()

    def marking_of(self, s: Session, marking_id: int) -> Marking:
        """The :class:`Marking` stored under ``marking_id`` (read once per process: marking rows are immutable)."""
        found = self._markings.get(marking_id)
        if found is None:
            found = self._markings[marking_id] = self._read_marking(s, marking_id)
        return found

    @staticmethod
    def _read_marking(s: Session, marking_id: int) -> Marking:
        row = s.get_one(MarkingRow, marking_id)
        releases = s.scalars(select(MarkingRelease.code).where(MarkingRelease.marking_id == marking_id)).all()
        clauses: dict[int, set[str]] = {}
        for number, community in s.execute(select(MarkingClause.clause, MarkingClause.community)
                                           .where(MarkingClause.marking_id == marking_id)):
            clauses.setdefault(number, set()).add(community)
        return Marking(Classification(row.classification), TLP(row.tlp),
                       None if row.releasable_to_all else frozenset(releases),
                       frozenset(frozenset(c) for c in clauses.values()),
                       frozenset(filter(None, row.originators.split(","))),
                       frozenset(filter(None, row.caveats.split(","))))

    def check_marking(self, account: Account, marking: Marking) -> None:
        """Refuse a marking its contributor could not see: above their clearance, not releasable to them, or
        naming communities they are not in (they would lose sight of their own contribution)."""
        if marking.classification > account.viewer.clearance:
            raise MarkingError(f"classification {marking.classification.name} is above your clearance "
                               f"{account.viewer.clearance.name}")
        if not may_see(account.viewer, marking):
            raise MarkingError("you would not be able to see this marking yourself: name a community you "
                               "belong to")

    @staticmethod
    def _contribution(s: Session, user_id: int, kind: str, fmt: str, source: str, accepted: int,
                      rejections: Sequence[Rejection], marking_id: int) -> Contribution:
        """The contribution row: who sent what, when, under which marking, and what was rejected."""
        row = Contribution(kind=kind, format=fmt, source=source[:200], user_id=user_id,
                           received_utc=now_utc(), accepted=accepted, rejected=len({r.line for r in rejections}),
                           rejections=[dataclasses.asdict(r) for r in rejections[:1000]], marking_id=marking_id)
        s.add(row)
        s.flush()
        return row

    def _rejected(self, account: Account, kind: str, fmt: str, source: str, marking: Marking,
                  rejections: list[Rejection]) -> Submitted:
        with self.session(None) as s:
            contribution = self._contribution(s, account.user_id, kind, fmt, source, 0, rejections,
                                              self.marking_id(s, marking))
        return Submitted(contribution.id, 0, rejections)

    def _one(self, viewer: Viewer, table: Any, item_id: str, to_dict: Callable[[Session, Any], T]) -> T | None:
        """One row of a marked table by id as ``viewer`` sees it, or None: a row that does not exist and one the
        viewer may not see give the same answer."""
        with self.session(viewer) as s:
            row = s.scalar(select(table).where(table.id == item_id))
            return None if row is None else to_dict(s, row)

    def paginate(self, viewer: Viewer, query: Select, keys: Sequence[Key], after: str | None, limit: int,
                 to_dict: Callable[[Session, Any], T], scalars: bool = True) -> Page[T]:
        """One page of ``query`` ordered by ``keys`` (the last key unique), starting after cursor ``after``: the one
        keyset paginator of every listing. The cursor is the last item's key values joined by ``|``; a cursor this
        listing did not return is refused with StoreError. ``scalars``: rows are ORM objects (else column rows)."""
        query = query.order_by(*(k.column.desc() if k.descending else k.column for k in keys))
        if after:
            values = _cursor(after, keys)
            clauses = []
            for n, key in enumerate(keys):
                beyond = key.column < values[n] if key.descending else key.column > values[n]
                clauses.append(and_(*(keys[m].column == values[m] for m in range(n)), beyond))
            query = query.where(or_(*clauses))
        limit = _limit(limit)
        with self.session(viewer) as s:
            result = s.execute(query.limit(limit + 1))
            rows = result.scalars().all() if scalars else result.all()
            items = [to_dict(s, r) for r in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return Page(items, None if last is None else "|".join(str(getattr(last, k.column.key)) for k in keys))

    def _timeline(self, viewer: Viewer, query: Select, time_column: Any, after: str | None, limit: int,
                  since_utc: str | None, until_utc: str | None, to_dict: Callable[[Session, Any], T]) -> Page[T]:
        """One page of ``query`` ordered by (time, id) from cursor ``after`` within [since, until)."""
        entity = query.column_descriptions[0]["entity"]
        if since_utc:
            query = query.where(time_column >= since_utc)
        if until_utc:
            query = query.where(time_column < until_utc)
        return self.paginate(viewer, query, [Key(time_column), Key(entity.id)], after, limit, to_dict)


def viewer_of(user: User) -> Viewer:
    """What the access rule needs to know about ``user``."""
    return Viewer(Classification(user.clearance), user.org.code, user.org.country,
                  frozenset(c.name for c in user.communities))


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise StoreError(f"limit must be between 1 and {MAX_PAGE}")
    return limit


def _cursor(after: str, keys: Sequence[Key]) -> list[Any]:
    """The key values of cursor ``after`` (StoreError for one this listing did not return)."""
    parts = after.split("|")
    try:
        if len(parts) != len(keys) or not all(parts):
            raise ValueError
        return [key.read(part) for key, part in zip(keys, parts, strict=True)]
    except ValueError:
        raise StoreError(f"after={after!r} is not a cursor this listing returned") from None


def _pair_key(after: str) -> tuple[str, str]:
    time_utc, sep, item = after.partition("|")
    if not sep or not time_utc or not item:
        raise StoreError(f"after={after!r} is not a cursor this listing returned")
    return time_utc, item


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
