"""The access rule in SQL, applied to every ORM statement in one place.

Every :class:`~sqlalchemy.orm.Session` Kompas opens says whom it serves, in ``session.info``:

- ``session.info["viewer"] = Viewer(...)``: every SELECT, UPDATE and DELETE touching a :class:`Marked` table
  (directly, in a join, a subquery, a count or a relationship load) gets the criterion
  ``marking_id IN (markings this viewer may see)``, added by the ``do_orm_execute`` hook below with
  :func:`~sqlalchemy.orm.with_loader_criteria`;
- ``session.info["system"] = True``: engine jobs and administration (no filter);
- neither: the statement is refused with :class:`AccessError`, so a forgotten declaration fails loudly instead
  of leaking.

Filtering happens inside the database query, before ordering, counting and paging, so the rows, the counts, the
page boundaries and the number of round trips a user causes are those of a database holding only what the user
may see (the property tests compare against exactly such a database).
"""

from __future__ import annotations

from sqlalchemy import Engine, Select, event, exists, false, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from kompas.core.markings import Viewer
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
                                       or_(MarkingRow.releasable_to_all, released), ~unmet_clause)


@event.listens_for(Session, "do_orm_execute")
def _apply_rule(state: ORMExecuteState) -> None:
    """Add the viewer's criterion to every statement on a marked table; refuse sessions that serve nobody."""
    if not (state.is_select or state.is_update or state.is_delete):
        return
    info = state.session.info
    if info.get("system"):
        return
    viewer = info.get("viewer")
    if not isinstance(viewer, Viewer):
        raise AccessError("session serves nobody: set session.info['viewer'] or session.info['system']")
    subquery = visible_markings(viewer)
    options = [with_loader_criteria(cls, cls.marking_id.in_(subquery), include_aliases=True)
               for cls in marked_tables()]
    state.statement = state.statement.options(*options)


def open_session(engine: Engine, viewer: Viewer | None) -> Session:
    """A session serving ``viewer``, or the system itself when ``viewer`` is None."""
    info = {"viewer": viewer} if viewer is not None else {"system": True}
    return Session(engine, info=info, expire_on_commit=False)


def marked_tables() -> list[type[Marked]]:
    """Every mapped class whose rows carry a marking (the tables users can be shown)."""
    return [mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, Marked)]
