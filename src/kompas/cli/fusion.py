"""`kompas intel picture` and `kompas intel situations`: the fused picture (every event of every domain, filtered,
linked into situations) on the command line; the same service as ``/api/v1/fusion/...``
(:mod:`kompas.services.fusion`). :func:`register` adds the two commands to the ``kompas intel`` group.

Without ``--user`` a command reads as the platform itself (every event); with it, as that user may see. The
marking of what was shown is printed on standard error after every answer (and is in the JSON and GeoJSON).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import console, err_console

FORMATS = ("table", "json", "geojson")
USER_READ = Annotated[str | None, typer.Option("--user", help="Read as this platform user (default: the platform's "
                                                              "own view, every event).")]
SINCE = Annotated[str | None, typer.Option("--since", help="Events from this time (UTC, ISO 8601: a day or a day and "
                                                           "time), by their best-estimate time.")]
UNTIL = Annotated[str | None, typer.Option("--until", help="... until before this time.")]
DOMAIN = Annotated[list[str] | None, typer.Option("--domain", help="Only events of this domain (space, fimi, cyber, "
                                                                   "infra, maritime, intel, ...; repeatable).")]
SEVERITY = Annotated[str | None, typer.Option("--severity", help="Only events at or above this severity (low, "
                                                                 "medium, high).")]
COUNTRY = Annotated[list[str] | None, typer.Option("--country", help="Only events concerning this country (ISO 3166 "
                                                                     "code or English name; repeatable).")]
REGION = Annotated[str | None, typer.Option("--region", help="A named region: baltic, north-sea, black-sea, "
                                                             "mediterranean (boxes) or eu (the member states).")]
BBOX = Annotated[str | None, typer.Option("--bbox", help="Only events placed in lon_min,lat_min,lon_max,lat_max "
                                                         "(degrees).")]
ACTOR = Annotated[str | None, typer.Option("--actor", help="Only events naming this actor: its id or name (any case) "
                                                           "or kind:id.")]
LIMIT = Annotated[int, typer.Option("--limit", min=1, max=5000, help="Events used at most (newest first).")]
KM = Annotated[float, typer.Option("--km", min=0, max=2000, help="Rule: places at most this far apart (km).")]
HOURS = Annotated[float, typer.Option("--hours", min=0, max=8760, help="Rule: place and country links within this "
                                                                       "many hours.")]
ACTOR_HOURS = Annotated[float, typer.Option("--actor-hours", min=0, max=87600, help="Rule: actor links within this "
                                                                                    "many hours.")]
ANY_TIME = Annotated[bool, typer.Option("--actor-any-time", help="Rule: link events naming the same actor however "
                                                                 "far apart in time.")]
COUNTRY_LINKS = Annotated[bool, typer.Option("--country-links/--no-country-links", help="Rule: link events "
                                                                                        "concerning a common country "
                                                                                        "within --hours.")]
MIN_EVENTS = Annotated[int, typer.Option("--min-events", min=1, max=5000, help="Situations of at least this many "
                                                                              "events.")]
FORMAT = Annotated[str, typer.Option("--format", help="table, json or geojson.")]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _answer(user: str | None, db: str | None, fmt: str, since: str | None, until: str | None,
            domain: list[str] | None, severity: str | None, country: list[str] | None, region: str | None,
            bbox: str | None, actor: str | None, limit: int, km: float, hours: float, actor_hours: float,
            any_time: bool, country_links: bool, min_events: int) -> dict[str, Any]:
    """The picture's answer, or exit 2 naming every bad option."""
    from kompas.cli.compass import platform_user
    from kompas.services import fusion as service

    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected {', '.join(FORMATS)}", param_hint="--format")
    try:
        chosen = service.filters(since, until, domain or (), severity, country or (), region, bbox, actor, limit)
        linking = service.rule(km, hours, None if any_time else actor_hours, country_links)
    except service.FusionError as error:
        for problem in error.problems:
            err_console.print(f"error: --{problem['field']}: {problem['reason']}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    store = _store(db)
    viewer = platform_user(store, user).viewer if user else None
    return service.build(store, viewer, chosen, linking, min_events)


def _footer(answer: dict[str, Any], user: str | None) -> None:
    """Counts, what was left out, the rule and the marking, on standard error."""
    err = err_console
    err.print(f"{answer['events_returned']} events ({answer['unplaced']} without a place on Earth), "
              f"{answer['situations_total']} situations of at least {answer['min_events']} events",
              highlight=False, markup=False)
    if answer["truncated"]:
        err.print("note: more events may match than were used: raise --limit or narrow the filters",
                  highlight=False, markup=False)
    if answer["kept_apart_total"]:
        err.print(f"note: {answer['kept_apart_total']} pair(s) of events the rule links were kept apart: together "
                  "they would carry a marking you could not read (--format json lists them)", highlight=False,
                  markup=False)
    err.print(f"rule: {answer['rule']['text']}", highlight=False, markup=False)
    err.print(f"marking: {answer['banner']}" + ("" if user else " (the platform's own view: every event; --user "
                                                                 "reads as a user)"), highlight=False, markup=False)


def _situations_table(answer: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table("situation", "events", "severity", "from (UTC)", "to (UTC)", "domains", "countries", "title",
                  "marking", title=f"{answer['situations_total']} situations")
    for situation in answer["situations"]:
        table.add_row(situation["id"][:8], str(situation["size"]), situation["severity"],
                      situation["start_utc"][:16], situation["end_utc"][:16], ", ".join(situation["domains"]),
                      ", ".join(situation["countries"][:8]), situation["title"], situation["marking"]["banner"])
    console.print(table, highlight=False, markup=False)


def _print(answer: dict[str, Any], fmt: str, events: bool) -> None:
    from kompas.services import fusion as service

    if fmt == "geojson":
        typer.echo(json.dumps(service.geojson(answer), ensure_ascii=False))
        return
    if fmt == "json":
        if not events:
            answer = {k: v for k, v in answer.items() if k != "events"}
        typer.echo(json.dumps(answer, ensure_ascii=False))
        return
    if events:
        from rich.table import Table

        table = Table("time (UTC)", "severity", "domain", "type", "title", "situation", "marking",
                      title=f"{answer['events_returned']} events, newest first")
        for event in answer["events"]:
            table.add_row(event["time_utc"][:19], event["severity"], event["domain"], event["type"], event["title"],
                          (event.get("situation_id") or "-")[:8], event["marking"]["banner"])
        console.print(table, highlight=False, markup=False)
    _situations_table(answer)


def register(app: typer.Typer) -> None:
    """Add ``picture`` and ``situations`` to ``app`` (the ``kompas intel`` group)."""

    @app.command("picture")
    def picture(since: SINCE = None, until: UNTIL = None, domain: DOMAIN = None, severity: SEVERITY = None,
                country: COUNTRY = None, region: REGION = None, bbox: BBOX = None, actor: ACTOR = None,
                limit: LIMIT = 1000, km: KM = 50.0, hours: HOURS = 72.0, actor_hours: ACTOR_HOURS = 720.0,
                actor_any_time: ANY_TIME = False, country_links: COUNTRY_LINKS = True, min_events: MIN_EVENTS = 2,
                fmt: FORMAT = "table", user: USER_READ = None, db: DB = None) -> None:
        """The fused picture: every event of every domain you may see matching the filters (newest first), and the
        situations they form (events naming the same actor within --actor-hours, placed within --km of each other
        within --hours, or concerning a common country within --hours), each with its marking."""
        answer = _answer(user, db, fmt, since, until, domain, severity, country, region, bbox, actor, limit,
                                 km, hours, actor_hours, actor_any_time, country_links, min_events)
        _print(answer, fmt, events=True)
        _footer(answer, user)

    @app.command("situations")
    def situations(since: SINCE = None, until: UNTIL = None, domain: DOMAIN = None, severity: SEVERITY = None,
                   country: COUNTRY = None, region: REGION = None, bbox: BBOX = None, actor: ACTOR = None,
                   limit: LIMIT = 1000, km: KM = 50.0, hours: HOURS = 72.0, actor_hours: ACTOR_HOURS = 720.0,
                   actor_any_time: ANY_TIME = False, country_links: COUNTRY_LINKS = True,
                   min_events: MIN_EVENTS = 2, fmt: FORMAT = "table", user: USER_READ = None, db: DB = None) -> None:
        """The situations of the fused picture (the same filters and rule as `picture`), without the events: their
        size, severity, time span, domains, countries, title and marking."""
        answer = _answer(user, db, fmt, since, until, domain, severity, country, region, bbox, actor, limit,
                                 km, hours, actor_hours, actor_any_time, country_links, min_events)
        _print(answer, fmt, events=False)
        _footer(answer, user)
