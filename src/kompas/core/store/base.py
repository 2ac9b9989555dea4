"""The store's foundation: sessions that declare whom they serve, markings, contributions, and the one keyset
paginator every listing uses.

Every read takes a :class:`~kompas.core.markings.Viewer` and runs in a session that declares it, so the access
rule of :mod:`kompas.core.access` filters it inside the database query; nothing here filters in Python. Listings
page by keyset (``after`` = the key of the last item of the previous page, values joined by ``|``), never by
offset: :meth:`StoreBase.paginate`. Sorted listings (:meth:`StoreBase.sorted_page`) name their order and filters
in the cursor's first field, so a cursor of another order or filter is refused, and give the true total.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

import numpy as np
from sqlalchemy import Engine, Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kompas.core.access import open_session, session_exercise
from kompas.core.markings import TLP, Classification, Marking, MarkingError, Viewer, check_exercise_code, may_see
from kompas.core.models import Contribution, MarkingClause, MarkingRelease, MarkingRow, User, now_utc
from kompas.space.elements import Rejection
from kompas.times import utc_text_ns

MAX_PAGE = 1000


class StoreError(ValueError):
    """A request the store refuses: unknown organisation, duplicate name, marking above clearance, ..."""


class NotPermitted(StoreError):
    """A request the caller's organisation may not make (the API's 403), e.g. recording a decision on a response
    another organisation holds the pen for."""


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


#: The form of a sorted listing's cursor (:meth:`StoreBase.sorted_page`): ``SORT~FILTERS|value|...`` where FILTERS
#: is a digest of the filters it was returned for and each value has ``%`` and ``|`` escaped.
CURSOR_PATTERN = r"^-?[a-z_]{1,20}~[0-9a-f]{8}(\|[^|\x00]*){1,6}$"


@dataclass(frozen=True)
class Key:
    """One term of a listing's order: a column or any SQL expression of the row (e.g. ``coalesce(-pc, 1.0)``),
    ascending unless ``descending``. ``read`` turns its cursor text back into a value and ``write`` gives that
    text, exactly (``float`` / ``repr`` for floating-point keys: :func:`float_key`). ``aggregate``: the term is an
    aggregate of a grouped query (e.g. ``max(epoch_utc)``), so the page boundary goes in HAVING."""

    column: Any
    descending: bool = False
    read: Callable[[str], Any] = str
    write: Callable[[Any], str] = str
    aggregate: bool = False


def float_key(column: Any, descending: bool = False) -> Key:
    """A floating-point key: written with ``repr`` (the shortest text that reads back to the same double)."""
    return Key(column, descending, float, repr)


def int_key(column: Any, descending: bool = False) -> Key:
    """An integer key (cursor values of at most 18 digits: a longer one was not returned by a listing)."""
    return Key(column, descending, _small_int)


def _small_int(text: str) -> int:
    """An integer cursor value; ValueError for one no database integer holds (the cursor is then refused)."""
    if not re.fullmatch(r"-?[0-9]{1,18}", text):
        raise ValueError(text)
    return int(text)


def norad_text(text: str | None) -> int | None:
    """A NORAD catalogue number typed in a search (1 to 9 ASCII digits), else None (the text is then words)."""
    text = (text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


class StoreBase:
    """Storage on one database (an :class:`~sqlalchemy.Engine` with Kompas's schema): sessions, markings,
    contributions and paging, shared by the domain parts of :class:`kompas.core.store.Store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._markings: dict[int, Marking] = {}  # marking rows never change once written, so they cache
        #: the exercise whose context this store's system sessions work in (None: the real world)
        self.exercise: str | None = None

    def in_context(self, exercise: str | None) -> Self:
        """This store working in the context of ``exercise`` (None: the real world): its system sessions see that
        exercise's items besides real ones, and every marking written through it is that exercise's. The API
        (:data:`kompas.api.deps.StoreDep`), the job runner and the CLI give a caller's requests the store of the
        caller's context (an exercise only once :meth:`in_exercise` has checked the caller takes part)."""
        code = None if exercise is None else check_exercise_code(exercise)
        if code == self.exercise:
            return self
        view = copy.copy(self)
        view.exercise = code
        return view

    @contextmanager
    def session(self, viewer: Viewer | None, exercise: str | None = None) -> Iterator[Session]:
        """A transaction serving ``viewer`` (None: the system itself, for administration and engine jobs) in the
        context of ``viewer.exercise`` (for the system, of ``exercise``, by default this store's); None is the real
        world."""
        with open_session(self.engine, viewer, exercise if exercise is not None else self.exercise) as session, \
                session.begin():
            yield session

    def marking_id(self, s: Session, marking: Marking) -> int:
        """The row id of ``marking``, inserted on first use (concurrent first uses resolve to one row).

        In an exercise's context (:func:`~kompas.core.access.session_exercise`) every marking written is that
        exercise's (:meth:`Marking.for_exercise`): nothing made during an exercise can enter the real world."""
        marking = marking.for_exercise(session_exercise(s))
        key = marking.key()
        found = s.execute(select(MarkingRow.id, MarkingRow.exercise).where(MarkingRow.key == key)).first()
        if found is not None:
            if found.exercise != marking.exercise:  # a row written before its exercise column (migration 0023)
                raise MarkingError(f"marking {found.id} names exercise {marking.exercise} in its caveats but is "
                                   f"stored as {found.exercise or 'real'}: run `kompas db upgrade`")
            return int(found.id)
        try:
            with s.begin_nested():
                row = MarkingRow(key=key, classification=int(marking.classification), tlp=int(marking.tlp),
                                 releasable_to_all=marking.releasable_to is None,
                                 originators=",".join(sorted(marking.originators)),
                                 caveats=",".join(sorted(marking.caveats)), exercise=marking.exercise)
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
        exercise = marking.exercise
        if exercise is not None and exercise != account.viewer.exercise:
            raise MarkingError(f"the marking names exercise {exercise}: contribute to an exercise only in its "
                               "context (as a participant, with the exercise selected)")
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
                 to_dict: Callable[[Session, Any], T], scalars: bool = True, *, tag: str | None = None,
                 total: bool = False, finish: Callable[[Session, list, list[T]], list[T]] | None = None) -> Page[T]:
        """One page of ``query`` ordered by ``keys`` (the last key unique), starting after cursor ``after``: the one
        keyset paginator of every listing. The cursor is the last item's key values (each as its key writes it,
        ``%`` and ``|`` escaped) joined by ``|``, after ``tag`` when given (the listing's order and filters: a
        cursor with another tag is refused); a cursor this listing did not return is refused with StoreError.
        ``scalars``: rows are ORM objects (else column rows). ``total``: also count every row of ``query``
        (same filters, no order or limit) into :attr:`Page.total`. ``finish(session, rows, items)`` completes a
        page's items in the same transaction (one query per page for what every item needs).

        Everything runs as ORM statements in a session serving ``viewer``, so rows, count and page boundaries are
        those of a database holding only what the viewer may see."""
        labels = [k.column.label(f"_key{n}") for n, k in enumerate(keys)]
        paged = query.add_columns(*labels).order_by(*(k.column.desc() if k.descending else k.column for k in keys))
        if after:
            values = _cursor(after, keys, tag)
            clauses = []
            for n, key in enumerate(keys):
                beyond = key.column < values[n] if key.descending else key.column > values[n]
                clauses.append(and_(*(keys[m].column == values[m] for m in range(n)), beyond))
            paged = paged.having(or_(*clauses)) if any(k.aggregate for k in keys) else paged.where(or_(*clauses))
        limit = _limit(limit)
        with self.session(viewer) as s:
            rows = s.execute(paged.limit(limit + 1)).all()
            records = [r[0] if scalars else r for r in rows[:limit]]
            items = [to_dict(s, r) for r in records]
            if finish is not None:
                items = finish(s, records, items)
            count = s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) if total else None
        last = rows[limit - 1] if len(rows) > limit else None
        cursor = None
        if last is not None:
            parts = [_escape(k.write(v)) for k, v in zip(keys, tuple(last)[-len(keys):], strict=True)]
            cursor = "|".join(([tag] if tag else []) + parts)
        return Page(items, cursor, count)

    def sorted_page(self, viewer: Viewer, query: Select, sorts: Mapping[str, Sequence[Key]], sort: str,
                    filters: dict[str, Any], after: str | None, limit: int, to_dict: Callable[[Session, Any], T],
                    scalars: bool = True, finish: Callable[[Session, list, list[T]], list[T]] | None = None
                    ) -> Page[T]:
        """One page of a listing with named orders ``sorts`` (``sort`` one of them, else StoreError), its true
        total, and a cursor that carries the order and a digest of ``filters`` (None values ignored): a cursor
        returned for another order or other filters is refused with StoreError (the API's 422)."""
        if sort not in sorts:
            raise StoreError(f"sort must be one of {', '.join(sorts)}")
        return self.paginate(viewer, query, sorts[sort], after, limit, to_dict, scalars, tag=listing_tag(sort, filters),
                             total=True, finish=finish)

    def _timeline(self, viewer: Viewer, query: Select, time_column: Any, after: str | None, limit: int,
                  since_utc: str | None, until_utc: str | None, to_dict: Callable[[Session, Any], T]) -> Page[T]:
        """One page of ``query`` ordered by (time, id) from cursor ``after`` within [since, until)."""
        entity = query.column_descriptions[0]["entity"]
        if since_utc:
            query = query.where(time_column >= since_utc)
        if until_utc:
            query = query.where(time_column < until_utc)
        return self.paginate(viewer, query, [Key(time_column), Key(entity.id)], after, limit, to_dict)


def listing_tag(sort: str, filters: dict[str, Any]) -> str:
    """The first field of a sorted listing's cursor: the order's name and a digest of the filters given."""
    given = {k: v for k, v in filters.items() if v is not None and v is not False}
    digest = hashlib.sha256(json.dumps(given, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{sort}~{digest}"


def viewer_of(user: User) -> Viewer:
    """What the access rule needs to know about ``user``."""
    return Viewer(Classification(user.clearance), user.org.code, user.org.country,
                  frozenset(c.name for c in user.communities))


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise StoreError(f"limit must be between 1 and {MAX_PAGE}")
    return limit


def _cursor(after: str, keys: Sequence[Key], tag: str | None = None) -> list[Any]:
    """The key values of cursor ``after`` (StoreError for one this listing, in this order and with these filters,
    did not return)."""
    parts = after.split("|")
    if tag is not None:
        if parts[0] != tag:
            raise StoreError(f"after is not a cursor of this order and these filters (sort={tag.partition('~')[0]}): "
                             "start again without after")
        parts = parts[1:]
    try:
        if len(parts) != len(keys) or (tag is None and not all(parts)):
            raise ValueError
        return [key.read(_unescape(part)) for key, part in zip(keys, parts, strict=True)]
    except ValueError:
        raise StoreError("after is not a cursor this listing returned") from None


def _escape(text: str) -> str:
    """A key value as cursor text: ``%`` and ``|`` escaped (names may hold them)."""
    return text.replace("%", "%25").replace("|", "%7C")


def _unescape(text: str) -> str:
    return re.sub("%(25|7C)", lambda m: "%" if m.group(1) == "25" else "|", text)


def _pair_key(after: str) -> tuple[str, str]:
    time_utc, sep, item = after.partition("|")
    if not sep or not time_utc or not item:
        raise StoreError("after is not a cursor this listing returned")
    return time_utc, item


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
