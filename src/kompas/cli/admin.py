"""Commands of the platform core: `kompas serve`, `kompas admin ...`, `kompas db upgrade`.

All honour ``--db URL``, else ``$KOMPAS_DB``, else ``$KOMPAS_HOME/kompas.db`` (SQLite, default home ``~/.kompas``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.common import console, err_console, progress_bar

DB = Annotated[str | None, typer.Option("--db", help="Database URL (default: $KOMPAS_DB, else an SQLite file "
                                                     "in $KOMPAS_HOME).", show_default=False)]

admin = typer.Typer(help="Administration: database, organisations, users, audit chain, engine jobs.",
                    no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


def _store(db: str | None):  # noqa: ANN202 (Store; imported lazily to keep `kompas --help` fast)
    from kompas.core.db import make_engine
    from kompas.core.store import Store

    return Store(make_engine(db))


@db_app.command("upgrade")
def upgrade(db: DB = None) -> None:
    """Create the schema or bring it up to date (safe to repeat)."""
    from kompas.core.db import upgrade as run_upgrade

    url = run_upgrade(db)
    err_console.print(f"database at the newest schema: {_shown(url)}", highlight=False)


@admin.command("init")
def init(db: DB = None) -> None:
    """Create the database (or upgrade it) and print where it is."""
    from kompas.core import audit
    from kompas.core.db import make_engine
    from kompas.core.db import upgrade as run_upgrade

    url = run_upgrade(db)
    audit.append(make_engine(url), "admin", "init", _shown(url))
    console.print(f"initialised {_shown(url)}", highlight=False)


@admin.command("add-org")
def add_org(code: Annotated[str, typer.Argument(help="Organisation code, e.g. NL-NSO.")],
            country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 country code.")],
            kind: Annotated[str, typer.Option(help="member-state, agency, operator or partner.")] = "member-state",
            name: Annotated[str, typer.Option(help="Full name.")] = "", db: DB = None) -> None:
    """Register an organisation."""
    from kompas.core import audit
    from kompas.core.store import StoreError

    store = _store(db)
    try:
        store.add_org(code, country, kind, name)
    except (StoreError, ValueError) as error:
        audit.append(store.engine, "admin", "add-org", code, "rejected", str(error))
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    audit.append(store.engine, "admin", "add-org", code.upper(), "ok", f"{country.upper()} {kind}")
    console.print(f"organisation {code.upper()} ({country.upper()}, {kind}) added", highlight=False)


@admin.command("add-user")
def add_user(name: Annotated[str, typer.Argument(help="User name (unique).")],
             org: Annotated[str, typer.Option(help="Organisation code.")],
             clearance: Annotated[str, typer.Option(help="UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or "
                                                         "TOP_SECRET.")],
             community: Annotated[list[str] | None, typer.Option(help="Need-to-know community (repeatable).")] = None,
             db: DB = None) -> None:
    """Create a user; the last line printed is the user's API token (shown once, stored hashed)."""
    from kompas.core import audit
    from kompas.core.store import StoreError

    store = _store(db)
    try:
        token = store.add_user(name, org, clearance, community or [])
    except (StoreError, ValueError) as error:
        audit.append(store.engine, "admin", "add-user", name, "rejected", str(error))
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    audit.append(store.engine, "admin", "add-user", name, "ok", f"{org.upper()} {clearance.upper()}")
    console.print(f"user {name} ({org.upper()}, {clearance.upper()}) added; API token:", highlight=False)
    print(token)


@admin.command("audit-verify")
def audit_verify(db: DB = None) -> None:
    """Recompute the audit log's hash chain; exit status 1 if any entry was altered, inserted or removed."""
    from kompas.core import audit
    from kompas.core.db import make_engine

    result = audit.verify(make_engine(db))
    if result.ok:
        console.print(f"audit chain intact: {result.entries} entries; head {result.head_hash}", highlight=False)
        return
    err_console.print(f"audit chain BROKEN at entry {result.broken_at}: {result.reason} "
                      f"({result.entries} entries verified before it)", highlight=False)
    raise typer.Exit(1)


@admin.command("screen")
def screen_stored(days: Annotated[float, typer.Option(help="Window length, days.")] = 1.0,
                  threshold_km: Annotated[float, typer.Option(help="Miss-distance threshold, km.")] = 5.0,
                  db: DB = None) -> None:
    """Screen the newest stored element set of every object; store the conjunctions under derived markings
    (most restrictive of both inputs) and alert subscribers who may see them."""
    from kompas.core.jobs import screen_catalogue
    from kompas.space.screening import thread_map

    store = _store(db)
    with progress_bar("screening", 1) as advance:
        ids = screen_catalogue(store, days=days, threshold_km=threshold_km,
                               map_blocks=thread_map(os.cpu_count() or 1),
                               progress=lambda done, total: advance(done / total))
    console.print(f"{len(ids)} conjunctions stored", highlight=False)


@admin.command("import-events")
def import_events(events_file: Annotated[Path, typer.Argument(help="Events JSON from `kompas space events`.",
                                                              exists=True)],
                  org: Annotated[str, typer.Option(help="Originating organisation code.")],
                  classification: Annotated[str, typer.Option(help="Classification of the events.")] = "UNCLASSIFIED",
                  tlp: Annotated[str, typer.Option(help="TLP for sharing outside the platform.")] = "AMBER",
                  releasable_to: Annotated[list[str] | None, typer.Option(help="Organisation or country code "
                                                                              "(repeatable; default: no restriction)."
                                                                         )] = None,
                  community: Annotated[list[str] | None, typer.Option(help="Need-to-know community (repeatable).")
                                       ] = None,
                  db: DB = None) -> None:
    """Store detected space events through the platform under a marking; subscribers are alerted."""
    import json

    from kompas.core.jobs import store_space_events
    from kompas.core.markings import Marking, MarkingError
    from kompas.space.events import check

    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], org.upper())
        events, problems = check(json.loads(events_file.read_text()), str(events_file))
    except (MarkingError, ValueError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    for problem in problems:
        print(problem)
    ids = store_space_events(_store(db), events, marking)
    console.print(f"{len(ids)} new events stored of {len(events)} well-formed, {len(problems)} rejected "
                  f"({marking.banner()})", highlight=False)
    raise typer.Exit(1 if problems else 0)


def serve(db: DB = None, host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
          workers: Annotated[int, typer.Option(help="Worker processes.")] = 1) -> None:
    """Serve the HTTP API (OpenAPI spec at /openapi.json, docs at /docs). Run `kompas db upgrade` first."""
    import uvicorn

    from kompas.core.db import database_url

    os.environ["KOMPAS_DB"] = database_url(db)
    err_console.print(f"Kompas API on http://{host}:{port} (docs /docs), database {_shown(os.environ['KOMPAS_DB'])}",
                      highlight=False)
    uvicorn.run("kompas.api.main:app", host=host, port=port, workers=workers, log_level="warning")


def _shown(url: str) -> str:
    """A URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
