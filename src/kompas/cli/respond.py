"""`kompas respond`: the response options for an incident (a file holding the platform's event envelope, or a stored
event), `kompas respond paper`: the options paper, and `kompas respond finding`: an analyst's finding on a stored
event. The same service as ``/api/v1/respond``,
``/api/v1/events/{id}/options`` and ``/api/v1/events/{id}/paper`` (:mod:`kompas.services.respond`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import (
    CLASSIFICATION_OPTION,
    COMMUNITY_OPTION,
    RELEASABLE_OPTION,
    TLP_OPTION,
    console,
    err_console,
)

app = typer.Typer(help="Response options from the EU toolboxes (space, hybrid, cyber diplomacy, FIMI) for an "
                       "incident, ranked by cited rules, and the options paper for the Council.")

USER = Annotated[str | None, typer.Option("--user", help="Read the event and the attributions as this platform user "
                                                         "(default: the platform's own view).")]
TOP = Annotated[int, typer.Option("--top", min=1, max=50, help="Most options listed.")]


def _viewer(store: Any, user: str | None) -> Any:  # noqa: ANN401 (Viewer | None)
    if not user:
        return None
    account = store.account(user)
    if account is None:
        err_console.print(f"error: --user must name a platform user (`kompas admin add-user`); got {user!r}",
                          highlight=False)
        raise typer.Exit(2)
    return account.viewer


def _read_incident(path: Path) -> Any:  # noqa: ANN401 (Envelope)
    """The envelope in ``path`` (JSON); exit 2 naming the file and each problem."""
    from kompas.core.limits import LimitError, loads
    from kompas.files import read_text
    from kompas.services.respond import IncidentError, parse_incident

    try:
        data = loads(read_text(path))
    except OSError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    except LimitError as error:
        err_console.print(f"error: {path}: {error}", highlight=False)
        raise typer.Exit(2) from None
    except json.JSONDecodeError as error:
        err_console.print(f"error: {path}:{error.lineno}:{error.colno}: not JSON ({error.msg})", highlight=False)
        raise typer.Exit(2) from None
    try:
        return parse_incident(data, str(path))
    except IncidentError as error:
        for field, why in error.problems:
            err_console.print(f"error: {path}: {field or '(event)'}: {why}", highlight=False)
        raise typer.Exit(2) from None


def _print(ranking: dict, notes: list[str], fmt: str, coordination: str | None, marking: dict | None = None) -> None:
    options = [{k: p[k] for k in ("id", "name", "toolbox", "category", "instrument", "basis", "decides", "rule",
                                  "escalation", "lead_time_days", "score", "why", "citation", "precedents",
                                  "countermeasures")} for p in ranking["proposals"]]
    if fmt == "json":
        console.print_json(json.dumps({"options": options, "excluded": ranking["excluded"],
                                       "attribution": coordination, "features": ranking["features"],
                                       "notes": notes, "marking": marking}))
        return
    console.print(f"{len(options)} response options, best first; attribution: {coordination or 'none recorded'}",
                  highlight=False)
    for k, o in enumerate(options, 1):
        low, high = o["lead_time_days"]
        console.print(f"\n{k}. [{o['category']}] {o['name']}  ({o['toolbox']} toolbox; score {o['score']:g}; "
                      f"escalation {o['escalation']} of 5)", highlight=False, markup=False)
        console.print(f"   instrument: {o['instrument']}; decides: {o['decides']} ({o['rule']}); lead time "
                      f"{low}-{high} days", highlight=False, markup=False)
        console.print(f"   basis: {o['basis']}", highlight=False, markup=False)
        for why in o["why"]:
            console.print(f"   why: {why}", highlight=False, markup=False)
        for p in o["precedents"][:2]:
            console.print(f"   precedent: {p['done']}", highlight=False, markup=False)
        if o["countermeasures"]:
            console.print("   countermeasures: " + "; ".join(f"{c['framework']} {c['id']} {c['name']}"
                                                         for c in o["countermeasures"][:4]),
                          highlight=False, markup=False)
    if ranking["excluded"]:
        console.print(f"\nleft out: {', '.join(x['id'] for x in ranking['excluded'])} (--format json says why)",
                      highlight=False)
    for note in notes:
        err_console.print(f"note: {note}", highlight=False)


@app.callback(invoke_without_command=True)
def respond(
    ctx: typer.Context,
    incident: Annotated[Path | None, typer.Option("--incident", help="A JSON file holding one incident as the "
                                                                     "platform's event envelope (as GET "
                                                                     "/api/v1/events/{id} answers it).",
                                                  dir_okay=False)] = None,
    event: Annotated[str | None, typer.Option("--event", help="A stored event's id (with the attributions "
                                                              "recorded on it).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or table.")] = "table",
    top: TOP = 12,
    user: USER = None,
    db: DB = None,
) -> None:
    """Rank the response options for an incident: each with its category, instrument, toolbox, legal basis, who
    decides and by what rule, escalation, score and why (rule and basis), its precedents and countermeasures; and
    the options left out with why. From a file (--incident: nothing is read from the platform and no attribution is
    assumed) or a stored event (--event: the attribution state is computed from the member states' records you may
    see). Exit 2 for unusable options, a malformed incident (each problem as FILE: field: reason) or an event you
    may not see."""
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in ("json", "table"):
        raise typer.BadParameter("expected json or table", param_hint="--format")
    if (incident is None) == (event is None):
        raise typer.BadParameter("give exactly one of --incident FILE.json or --event ID")
    from kompas.services.respond import assess_envelope, event_options

    if incident is not None:
        ranking, notes = assess_envelope(_read_incident(incident), None, top)
        _print(ranking.as_dict(), notes, fmt, None)
        return
    from kompas.services.respond import IncidentError

    store = _store(db)
    try:
        found = event_options(store, _viewer(store, user), str(event), top)
    except IncidentError as error:
        err_console.print(f"error: this event cannot be ranked: {error}", highlight=False)
        raise typer.Exit(2) from None
    if found is None:
        err_console.print(f"error: no event {event!r} that you may see", highlight=False)
        raise typer.Exit(2)
    state = found["coordination"]["sentence"] if found["coordination"] else None
    _print(found["ranking"], found["notes"], fmt, state, found["marking"])
    err_console.print(f"marking: {found['marking']['banner']}" + ("" if user else " (the platform's own view: every "
                                                                  "record; --user reads as a user)"), highlight=False)


@app.command("paper")
def paper(
    event: Annotated[str, typer.Option("--event", help="A stored event's id.")],
    out: Annotated[Path, typer.Option("--out", help="The paper: .pdf or .html.", dir_okay=False)] = Path("paper.pdf"),
    top: TOP = 12,
    user: USER = None,
    db: DB = None,
) -> None:
    """Write the options paper of a stored event: the incident and its evidence, what is known and unknown, the
    attribution state you may see, the options by category with legal basis, pros, cons, lead time and precedents,
    and the decision the response workflow awaits; banner-marked with the combined marking of everything it used.
    Exit 2 for an event you may not see or an unusable --out."""
    from kompas.private import write_private
    from kompas.services.respond import options_paper

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("the paper is written as .pdf or .html", param_hint="--out")
    store = _store(db)
    done = options_paper(store, _viewer(store, user), event, fmt, top)
    if done is None:
        err_console.print(f"error: no event {event!r} that you may see", highlight=False)
        raise typer.Exit(2)
    write_private(out, done.content)
    console.print(f"written: {out} ({done.marking.banner()})", highlight=False)


@app.command("finding")
def finding(
    event: Annotated[str, typer.Option("--event", help="A stored event's id.")],
    field: Annotated[str, typer.Option("--field", help="cause (of a fragmentation), techniques, software, sectors, "
                                                       "services or kinds.")],
    value: Annotated[list[str], typer.Option("--value", help="The cause (direct-ascent-asat, co-orbital-asat, "
                                                             "collision, explosion, unknown) or one value of the "
                                                             "list; repeat for several.")],
    basis: Annotated[str, typer.Option("--basis", help="Where the fact comes from (a statement, a report).")],
    user: Annotated[str, typer.Option("--user", help="Recorded by this platform user.")],
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Record an analyst's finding on a stored event: a fact its detecting engine cannot know (the cause of a
    break-up is not in the element sets), with its basis, under a marking. The event is unchanged; the finding
    enters its response options for those who may see it (`kompas respond --event`). The same service as POST
    /api/v1/events/{id}/findings. Exit 2 for an event you may not see or a value refused (naming the field)."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.services.response import record_finding

    store = _store(db)
    account = platform_user(store, user)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        done = record_finding(store, account, event, field, value[0] if field == "cause" and len(value) == 1
                              else value, basis, marking)
    except (MarkingError, StoreError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if done is None:
        err_console.print(f"error: no event {event!r} that you may see", highlight=False)
        raise typer.Exit(2)
    console.print(f"recorded: finding {done['id']} on event {event}: {done['field']} = {done['value']} "
                  f"({Marking.from_dict(done['marking']).banner()})", highlight=False)
