"""`kompas space tracks ...`: conjunction events tracked across screenings (:mod:`kompas.space.tracking`): list
them, show one with its history of updates, record a decision. The same store functions as
``/api/v1/conjunction-events``."""

from __future__ import annotations

from typing import Annotated

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import console, err_console, utc_time

app = typer.Typer(help="Conjunction events tracked across daily screenings: list, show (history), decide.",
                  no_args_is_help=True)

USER = Annotated[str | None, typer.Option("--user", help="Read as this platform user (what their clearance and "
                                                         "need-to-know allow); default: the platform's own view of "
                                                         "every update.")]


def _viewer(store, user: str | None):  # noqa: ANN001,ANN202 (Store, Account | None)
    if not user:
        return None
    account = store.account(user)
    if account is None:
        err_console.print(f"error: --user must name a platform user (`kompas admin add-user`); got {user!r}",
                          highlight=False)
        raise typer.Exit(2)
    return account


def _pc(value: float | None) -> str:
    return "-" if value is None else f"{value:.2e}"


@app.command("list")
def list_events(
    norad_id: Annotated[int | None, typer.Option("--norad-id", help="Only events of this object.")] = None,
    since: Annotated[str | None, typer.Option(help="Newest TCA at or after (ISO 8601 UTC).", callback=utc_time)]
    = None,
    until: Annotated[str | None, typer.Option(help="Newest TCA before (ISO 8601 UTC).", callback=utc_time)] = None,
    sort: Annotated[str, typer.Option(help="-updated (default), tca, -tca or -pc.")] = "-updated",
    limit: Annotated[int, typer.Option(help="Rows to print (1-1000).")] = 50,
    user: USER = None,
    db: DB = None,
) -> None:
    """One line per tracked event: id, pair, newest TCA, updates, newest miss and Pc, level, Pc and miss trends,
    status; then the total. Exit 2 for unusable options."""
    from kompas.core.store import StoreError
    from kompas.times import utc_text_ns

    store = _store(db)
    account = _viewer(store, user)
    try:
        page = store.conjunction_events(account.viewer if account else None, None, limit, sort=sort,
                                        norad_id=norad_id, since_utc=utc_text_ns(since) if since else None,
                                        until_utc=utc_text_ns(until) if until else None)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    console.print("id,norad_a,norad_b,tca_utc,updates,miss_km,pc,level,pc_trend,miss_trend,status", highlight=False)
    for e in page.items:
        console.print(f"{e['id']},{e['norad_ids'][0]},{e['norad_ids'][1]},{e['tca_utc']},{e['updates']},"
                      f"{e['miss_km']:.3f},{_pc(e['pc'])},{e['level']},{e['pc_trend'] or '-'},"
                      f"{e['miss_trend'] or '-'},{e['status']}", highlight=False, soft_wrap=True)
    console.print(f"{len(page.items)} of {page.total} events", highlight=False)


@app.command("show")
def show(event_id: Annotated[str, typer.Argument(help="An event id from `kompas space tracks list`.")],
         user: USER = None, db: DB = None) -> None:
    """The event (status, level, trends, decision, marking), then its history, oldest update first: data time
    (newer element-set epoch), TCA, miss, Pc with basis and flags, element-set ages at TCA, covariance method.
    Exit 1 when there is no such event (or none of its updates is visible)."""
    store = _store(db)
    account = _viewer(store, user)
    found = store.conjunction_event(account.viewer if account else None, event_id)
    if found is None:
        err_console.print(f"error: no event {event_id!r} that you may see", highlight=False)
        raise typer.Exit(1)
    e = found
    console.print(f"event {e['id']}: {e['norad_ids'][0]} / {e['norad_ids'][1]}, {e['status']}, level {e['level']} "
                  f"(highest {e['max_level']}), Pc trend {e['pc_trend'] or '-'}, miss trend {e['miss_trend'] or '-'}"
                  f" ({e['marking']['banner']})", highlight=False, soft_wrap=True)
    if e["decision"]:
        d = e["decision"]
        console.print(f"decision: {d['decision']} by {d['by']} at {d['decided_utc']}: {d['note']}", highlight=False,
                      soft_wrap=True)
    console.print("seq,epoch_utc,tca_utc,miss_km,pc,pc_basis,pc_flags,level,primary_age_days,secondary_age_days,"
                  "covariance,message_id", highlight=False)
    for u in e["history"]:
        console.print(f"{u['seq']},{u['epoch_utc']},{u['tca_utc']},{u['miss_km']:.3f},{_pc(u['pc'])},"
                      f"{u['pc_basis'] or '-'},{' '.join(u['pc_flags']) or '-'},{u['level']},"
                      f"{u['primary_age_days']},{u['secondary_age_days']},"
                      f"{'/'.join(u['covariance_methods'] or []) or '-'},{u['message_id'] or '-'}",
                      highlight=False, soft_wrap=True)


@app.command("decide")
def decide(event_id: Annotated[str, typer.Argument(help="An event id from `kompas space tracks list`.")],
           decision: Annotated[str, typer.Argument(help="mitigate, accept or monitor.")],
           note: Annotated[str, typer.Option("--note", help="Why (recorded with the decision).")],
           user: Annotated[str, typer.Option("--user", help="Recorded on behalf of this platform user.")],
           db: DB = None) -> None:
    """Record a decision on an event the user may see, marked with the combination of the updates they see
    (audited). Prints the event's new status; exit 1 when they may not see it, 2 for a bad decision or user."""
    from kompas.core import audit
    from kompas.core.store import StoreError

    store = _store(db)
    account = _viewer(store, user)
    try:
        done = store.decide_conjunction_event(account, event_id, decision, note)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if done is None:
        audit.append(store.engine, account.name, "decide", f"conjunction-events/{event_id}", "denied",
                     "not found or not visible")
        err_console.print(f"error: no event {event_id!r} that {user} may see", highlight=False)
        raise typer.Exit(1)
    audit.append(store.engine, account.name, "decide", f"conjunction-events/{event_id}", "ok", decision)
    console.print(f"{event_id}: {decision}, status {done['status']} ({done['marking']['banner']})", highlight=False)
