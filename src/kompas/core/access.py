"""The access rule in SQL, applied to every ORM statement in one place.

Every :class:`~sqlalchemy.orm.Session` Kompas opens says whom it serves, in ``session.info``:

- ``session.info["viewer"] = Viewer(...)``: every SELECT, UPDATE and DELETE touching a :class:`Marked` table
  (directly, in a join, a subquery, a count or a relationship load) gets the criterion
  ``marking_id IN (markings this viewer may see)``, added by the ``do_orm_execute`` hook below with
  :func:`~sqlalchemy.orm.with_loader_criteria`;
- ``session.info["system"] = True``: engine jobs and administration (no filter but the exercise's, below);
- neither: the statement is refused with :class:`AccessError`, so a forgotten declaration fails loudly instead
  of leaking.

Every session also works in one **exercise context** (:func:`session_exercise`): the viewer's
(:attr:`Viewer.exercise`) or, for the system, ``session.info["exercise"]``; None is the real world. Exercise items
(markings with an ``EXERCISE <CODE>`` caveat) are visible only in their own exercise's context, to the system as
to users: a real statistic, alert, report or daily cycle cannot read them. Markings written in an exercise's
context become that exercise's (:meth:`kompas.core.store.base.StoreBase.marking_id`).

Filtering happens inside the database query, before ordering, counting and paging, so the rows, the counts, the
page boundaries and the number of round trips a user causes are those of a database holding only what the user
may see (the property tests compare against exactly such a database).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Engine, Select, event, exists, false, func, inspect, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from kompas.core.markings import MarkingError, Viewer, check_exercise_code
from kompas.core.models import Base, Marked, MarkingClause, MarkingRelease, MarkingRow


class AccessError(RuntimeError):
    """A session was used without saying whom it serves."""


def visible_markings(viewer: Viewer) -> Select:
    """SELECT of the ids of the markings ``viewer`` may see (the SQL twin of :func:`markings.may_see`)."""
    released = exists().where(MarkingRelease.marking_id == MarkingRow.id,
                              MarkingRelease.code.in_([viewer.org, viewer.country]))
    clause = MarkingClause.__table__.alias("clause")
    member = MarkingClause.__table__.alias("member")
    communities = sorted(viewer.communities)
    satisfied = exists().where(member.c.marking_id == clause.c.marking_id, member.c.clause == clause.c.clause,
                               member.c.community.in_(communities) if communities else false())
    unmet_clause = exists().where(clause.c.marking_id == MarkingRow.id, ~satisfied)
    return select(MarkingRow.id).where(MarkingRow.classification <= int(viewer.clearance),
                                       or_(MarkingRow.releasable_to_all, released), ~unmet_clause,
                                       _in_context(viewer.exercise))


def _in_context(exercise: str | None) -> ColumnElement[bool]:
    """Markings visible in the context of ``exercise`` (None: the real world): real ones, and that exercise's."""
    if exercise is None:
        return MarkingRow.exercise.is_(None)
    return or_(MarkingRow.exercise.is_(None), MarkingRow.exercise == exercise)


def own_exercise_markings(code: str) -> Select:
    """SELECT of the ids of the markings of exercise ``code``: what work in its context may change or remove."""
    return select(MarkingRow.id).where(MarkingRow.exercise == code)


def session_exercise(session: Session) -> str | None:
    """The exercise whose context ``session`` works in (None: the real world)."""
    viewer = session.info.get("viewer")
    if isinstance(viewer, Viewer):
        return viewer.exercise
    found = session.info.get("exercise")
    return found if isinstance(found, str) else None


@event.listens_for(Session, "do_orm_execute")
def _apply_rule(state: ORMExecuteState) -> None:
    """Add the viewer's criterion to every statement on a marked table; refuse sessions that serve nobody."""
    if not (state.is_select or state.is_update or state.is_delete):
        return
    info = state.session.info
    exercise = session_exercise(state.session)
    if info.get("system"):
        subquery = select(MarkingRow.id).where(_in_context(exercise))
    else:
        viewer = info.get("viewer")
        if not isinstance(viewer, Viewer):
            raise AccessError("session serves nobody: set session.info['viewer'] or session.info['system']")
        subquery = visible_markings(viewer)
    if exercise is not None and (state.is_update or state.is_delete):
        subquery = own_exercise_markings(exercise)  # an exercise changes or removes its own items only
    options = [with_loader_criteria(cls, cls.marking_id.in_(subquery), include_aliases=True)
               for cls in marked_tables()]
    state.statement = state.statement.options(*options)


@event.listens_for(Session, "before_flush")
def _exercise_changes_only_its_own(session: Session, flush_context: object, instances: object) -> None:
    """In an exercise's context, refuse to change or remove a loaded marked row that is not that exercise's (a real
    item, or another exercise's): work in an exercise adds to the real world's view, never alters it."""
    exercise = session_exercise(session)
    if exercise is None:
        return
    originals: set[int] = set()
    for obj in (*session.dirty, *session.deleted):
        if not isinstance(obj, Marked) or (obj not in session.deleted and not session.is_modified(obj)):
            continue
        history = inspect(obj).attrs.marking_id.history
        found = [*history.deleted, *history.unchanged] or list(history.added)
        originals.update(int(m) for m in found if m is not None)
    if not originals:
        return
    with session.no_autoflush:
        foreign = session.scalar(select(func.count()).select_from(MarkingRow).where(
            MarkingRow.id.in_(sorted(originals)), or_(MarkingRow.exercise.is_(None), MarkingRow.exercise != exercise)))
    if foreign:
        raise MarkingError(f"in exercise {exercise} only the exercise's own items can be changed or removed: real "
                           "items stay as they are (work on them outside the exercise)")


def open_session(engine: Engine, viewer: Viewer | None, exercise: str | None = None) -> Session:
    """A session serving ``viewer``, or the system itself when ``viewer`` is None (then in the context of
    ``exercise``: None is the real world; a viewer brings its own context)."""
    info: dict[str, object] = {"viewer": viewer} if viewer is not None else {"system": True}
    if viewer is None and exercise is not None:
        info["exercise"] = check_exercise_code(exercise)
    return Session(engine, info=info, expire_on_commit=False)


def marked_tables() -> list[type[Marked]]:
    """Every mapped class whose rows carry a marking (the tables users can be shown)."""
    return [mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, Marked)]
