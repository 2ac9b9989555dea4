"""Commands of the platform core: `kompas serve`, `kompas admin ...`, `kompas db upgrade`.

All honour ``--db URL``, else ``$KOMPAS_DB``, else ``$KOMPAS_HOME/kompas.db`` (SQLite, default home ``~/.kompas``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.common import console, err_console, primaries_spec, progress_bar, utc_time
from kompas.cli.deliver import deliver_pending

DB = Annotated[str | None, typer.Option("--db", help="Database URL: sqlite:////path/kompas.db or "
                                                     "postgresql+psycopg://user@host/db (default: $KOMPAS_DB, else "
                                                     "the SQLite file $KOMPAS_HOME/kompas.db, home ~/.kompas; a "
                                                     "new SQLite file gets the schema).", show_default=False)]

admin = typer.Typer(help="Administration: database, organisations, users, tokens, audit chain, engine jobs.",
                    no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


def _engine(db: str | None, check: bool = True):  # noqa: ANN202 (Engine; imported lazily for a fast --help)
    """The database engine for ``--db`` (see :mod:`kompas.core.db`), checked: it answers and has the newest schema
    (a fresh SQLite file is given it). Exit 2 with a one-line reason otherwise."""
    from kompas.core.db import DatabaseError, make_engine
    from kompas.core.db import check as check_database

    try:
        engine = make_engine(db)
        if check:
            check_database(engine)
    except DatabaseError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    return engine


def _store(db: str | None):  # noqa: ANN202 (Store; imported lazily to keep `kompas --help` fast)
    """The platform store on ``--db`` (:func:`_engine`: exit 2 with the reason when the database is unusable), in
    the context of the exercise ``KOMPAS_EXERCISE`` names (unset: the real world; the commands acting as a user
    check that the user takes part in it, :func:`kompas.cli.compass.platform_user`)."""
    from kompas.core.markings import MarkingError
    from kompas.core.store import Store

    try:
        return Store(_engine(db)).in_context(os.environ.get("KOMPAS_EXERCISE") or None)
    except MarkingError as error:
        err_console.print(f"error: KOMPAS_EXERCISE: {error}", highlight=False)
        raise typer.Exit(2) from None


def _upgrade(db: str | None) -> str:
    """Create or upgrade the schema; exit 2 with the reason when the database cannot be opened."""
    from kompas.core.db import DatabaseError
    from kompas.core.db import upgrade as run_upgrade

    try:
        return run_upgrade(db)
    except DatabaseError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def upgrade(db: DB = None) -> None:
    """Create the schema or bring it up to date (Alembic; safe to repeat). Prints the database URL (password
    hidden) on standard error. The folder of an SQLite file is created when missing."""
    url = _upgrade(db)
    err_console.print(f"database at the newest schema: {_shown(url)}", highlight=False)


@admin.command("init")
def init(db: DB = None) -> None:
    """Create the database (or upgrade it) and print where it is: `initialised URL` (password hidden). Default
    database: $KOMPAS_DB, else the SQLite file $KOMPAS_HOME/kompas.db (~/.kompas); the folder of an SQLite file is
    created when missing."""
    from kompas.core import audit

    url = _upgrade(db)
    audit.append(_engine(url), "admin", "init", _shown(url))
    console.print(f"initialised {_shown(url)}", highlight=False)


@admin.command("add-org")
def add_org(code: Annotated[str, typer.Argument(help="Organisation code, e.g. NL-NSO; never a country code "
                                                     "(NL, NLD).")],
            country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 country code (or EU).")],
            kind: Annotated[str, typer.Option(help="member-state, agency, operator or partner.")] = "member-state",
            name: Annotated[str, typer.Option(help="Full name.")] = "", db: DB = None) -> None:
    """Register an organisation (audited); prints `organisation CODE (COUNTRY, KIND) added`. Exit 2 when the
    code exists, is an ISO 3166 country code (alpha-2 or alpha-3: organisation and country codes are separate
    namespaces, so that REL TO DE means Germany), the country is not an ISO 3166-1 alpha-2 code or the kind is
    unknown."""
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
             days: Annotated[float | None, typer.Option(help="Days the token stays valid (default "
                                                              "$KOMPAS_TOKEN_DAYS, else 90).", min=0.001)] = None,
             db: DB = None) -> None:
    """Create a user (audited) in an existing organisation, in no community unless --community is given; the last
    line printed is the user's API token (shown once, stored hashed; it expires after --days, see `kompas admin
    token`). Exit 2 for an unknown organisation or clearance or a name already taken."""
    from kompas.core import audit
    from kompas.core.store import StoreError

    store = _store(db)
    try:
        token = store.add_user(name, org, clearance, community or [], days)
    except (StoreError, ValueError) as error:
        audit.append(store.engine, "admin", "add-user", name, "rejected", str(error))
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    audit.append(store.engine, "admin", "add-user", name, "ok", f"{org.upper()} {clearance.upper()}")
    console.print(f"user {name} ({org.upper()}, {clearance.upper()}) added; API token:", highlight=False)
    print(token)


token_app = typer.Typer(help="API tokens: list (never the secrets), revoke, rotate. Tokens expire (default 90 "
                             "days, $KOMPAS_TOKEN_DAYS); an expired or revoked token is refused (401, audited).",
                        no_args_is_help=True)
admin.add_typer(token_app, name="token")


@token_app.command("list")
def token_list(user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
               db: DB = None) -> None:
    """Print one line per token, oldest first: `ID USER ORG STATUS created CREATED expires EXPIRES [revoked
    REVOKED]` (status active, expired or revoked; the secret is never stored, so never shown). Exit 2 for an
    unknown user."""
    from kompas.core.store import StoreError

    store = _store(db)
    try:
        tokens = store.tokens(user)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    for t in tokens:
        revoked = f" revoked {t.revoked_utc[:19]}Z" if t.revoked_utc else ""
        console.print(f"{t.id} {t.user} {t.org} {t.status} created {t.created_utc[:19]}Z expires "
                      f"{t.expires_utc[:19]}Z{revoked}", highlight=False, soft_wrap=True)
    if not tokens:
        err_console.print("no tokens", highlight=False)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int | None, typer.Argument(help="Token id (from `kompas admin token list`).",
                                                                show_default=False)] = None,
                 user: Annotated[str | None, typer.Option(help="Revoke every active token of this user instead.")
                                 ] = None,
                 db: DB = None) -> None:
    """Revoke a token (or every token of --user) at once (audited); prints `revoked tokens: IDS` (none when they
    were revoked already). Exit 2 for an unknown token or user, or when neither or both are given."""
    from kompas.core import audit
    from kompas.core.store import StoreError

    store = _store(db)
    target = f"token {token_id}" if token_id is not None else f"tokens of {user}"
    try:
        ids = store.revoke_tokens(token_id, user)
    except StoreError as error:
        audit.append(store.engine, "admin", "token-revoke", target, "rejected", str(error))
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    audit.append(store.engine, "admin", "token-revoke", target, "ok", f"revoked {ids}")
    console.print(f"revoked tokens: {', '.join(map(str, ids)) or 'none (already revoked)'}", highlight=False)


@token_app.command("rotate")
def token_rotate(user: Annotated[str, typer.Argument(help="User name.")],
                 days: Annotated[float | None, typer.Option(help="Days the new token stays valid (default "
                                                                 "$KOMPAS_TOKEN_DAYS, else 90).", min=0.001)] = None,
                 db: DB = None) -> None:
    """Give a user a new token and revoke the old ones in the same transaction (audited); the last line printed
    is the new token (shown once). Exit 2 for an unknown user."""
    from kompas.core import audit
    from kompas.core.store import StoreError

    store = _store(db)
    try:
        new_id, token, revoked = store.rotate_token(user, days)
    except StoreError as error:
        audit.append(store.engine, "admin", "token-rotate", user, "rejected", str(error))
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    audit.append(store.engine, "admin", "token-rotate", user, "ok", f"new token {new_id}, revoked {revoked}")
    console.print(f"user {user}: new token {new_id}, revoked {', '.join(map(str, revoked)) or 'none'}; API token:",
                  highlight=False)
    print(token)


@admin.command("audit-verify")
def audit_verify(db: DB = None,
                 checkpoint: Annotated[list[Path] | None, typer.Option(
                     "--checkpoint", help="A checkpoint (JSON from `kompas admin audit-checkpoint`) the chain must "
                                          "still contain (repeatable).")] = None,
                 public_key: Annotated[Path | None, typer.Option(
                     "--public-key", help="Public key (PEM) the checkpoints are checked with (default: that of "
                                          "the local signing key, $KOMPAS_HOME/audit-signing.pem).")] = None) -> None:
    """Recompute the audit log's hash chain (HMAC-SHA256 under the audit key: $KOMPAS_AUDIT_KEY, else
    $KOMPAS_AUDIT_KEY_FILE, else $KOMPAS_HOME/audit.key; entries from before that key are unkeyed SHA-256). Prints
    `audit chain intact: N entries; head HASH` and which part is keyed, and for each --checkpoint that its signature
    holds and the chain still contains its prefix; or, on standard error, where the chain breaks and why. Exit
    status 1 if any entry was altered, inserted or removed or a checkpoint does not hold, 2 when a file or key
    cannot be read."""
    from kompas.core import audit
    from kompas.core import checkpoint as checkpoints

    engine = _engine(db)
    failed = False
    for path in checkpoint or []:
        try:
            document = checkpoints.load(path)
            pem = public_key.read_bytes() if public_key else \
                checkpoints.public_key_pem(checkpoints.signing_key(create=False)).encode()
            anchored = checkpoints.verify_against_chain(engine, document, pem)
        except OSError as error:
            err_console.print(f"error: {public_key}: cannot read it ({error.strerror or error})", highlight=False)
            raise typer.Exit(2) from None
        except checkpoints.CheckpointError as error:
            err_console.print(f"checkpoint {path} does NOT hold: {error}", highlight=False)
            failed = True
            continue
        if anchored.reason:
            err_console.print(f"checkpoint {path} does NOT hold: {anchored.reason}", highlight=False)
            failed = True
        else:
            console.print(f"checkpoint of entry {document['seq']} holds ({path})", highlight=False)
    result = audit.verify(engine)
    if result.ok:
        console.print(f"audit chain intact: {result.entries} entries; head {result.head_hash}; {result.keyed}",
                      highlight=False)
        raise typer.Exit(1 if failed else 0)
    err_console.print(f"audit chain BROKEN at entry {result.broken_at}: {result.reason} "
                      f"({result.entries} entries verified before it)", highlight=False)
    raise typer.Exit(1)


@admin.command("screen")
def screen_stored(days: Annotated[float, typer.Option(help="Window length, days.", min=1e-6)] = 1.0,
                  threshold_km: Annotated[float, typer.Option(help="Miss-distance threshold, km.", min=1e-6)] = 5.0,
                  start: Annotated[str | None, typer.Option(help="Window start, ISO 8601 UTC, e.g. "
                                                                 "2026-05-05T00:00:00Z (default: the newest stored "
                                                                 "element-set epoch).", callback=utc_time)] = None,
                  primaries: Annotated[str | None, typer.Option(help="NORAD ids (comma-separated), a file of ids, "
                                                                     "or a protected-assets YAML such as "
                                                                     "src/kompas/data/assets.yaml, to screen "
                                                                     "against the catalogue (default: all vs all).",
                                                                callback=primaries_spec)] = None,
                  db: DB = None) -> None:
    """Screen the newest stored element set of every object; store the conjunctions under derived markings
    (most restrictive of both inputs) and alert subscribers who may see them."""
    from kompas.core.jobs import screen_catalogue
    from kompas.files import read_primaries
    from kompas.space.screening import thread_map
    from kompas.times import parse_time_utc

    try:
        wanted = read_primaries(primaries) if primaries is not None else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--primaries") from None
    store = _store(db)
    if not store.holds_element_sets():
        err_console.print("error: no element sets are stored: contribute some first (POST /api/v1/contributions, "
                          "or `kompas run`, which stores the newest snapshot)", highlight=False)
        raise typer.Exit(1)
    with progress_bar("screening", 1) as advance:
        ids = screen_catalogue(store, start_utc=parse_time_utc(start) if start else None, primaries=wanted,
                               days=days, threshold_km=threshold_km,
                               map_blocks=thread_map(os.cpu_count() or 1),
                               progress=lambda done, total: advance(done / total))
    console.print(f"{len(ids)} conjunctions stored", highlight=False)
    deliver_pending(store)  # the alerts queued for subscribers (kompas.core.outbox)


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
    """Store detected space events through the platform under a marking; subscribers are alerted.

    The whole file is checked first and stored in one transaction: malformed items, an id repeated in the file and
    an id already stored under another marking are listed as FILE: item N: field: reason and left out; events
    already stored under this marking are skipped (re-importing a file stores nothing new). Exit status 1 when
    anything was rejected, 2 when nothing could be read or stored.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from kompas.core import limits
    from kompas.core.markings import Marking, MarkingError
    from kompas.services.events import contribute_space_events
    from kompas.space.events import check

    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], org.upper())
        raw = limits.loads(events_file.read_text())  # depth and text checked before parsing (boundary)
        if not isinstance(raw, list):
            raise ValueError("not a JSON list of events (the file `kompas space events` writes)")
        events, problems = check(raw, str(events_file))
    except (MarkingError, ValueError, RecursionError) as error:
        err_console.print(f"error: {events_file}: {error}", highlight=False)
        raise typer.Exit(2) from None
    store = _store(db)
    if not store.org_exists(org):
        err_console.print(f"error: organisation {org.upper()!r} does not exist; add it with `kompas admin add-org`",
                          highlight=False)
        raise typer.Exit(2)
    for problem in problems:
        print(problem)
    try:
        done = contribute_space_events(store, events, marking, "admin", f"import-events {events_file.name}")
    except SQLAlchemyError as error:
        err_console.print(f"error: nothing stored (the database refused the file: {error.__class__.__name__}: "
                          f"{str(error).splitlines()[0][:200]})", highlight=False)
        raise typer.Exit(2) from None
    number = {id(item): n for n, item in enumerate(raw, 1)}  # a rejection's line counts the well-formed items
    for rejection in done.rejected:
        print(f"{events_file}: item {number[id(events[rejection.line - 1])]}: {rejection.field}: "
              f"{rejection.reason} ({rejection.value})")
    rejected = len(problems) + len(done.rejected)
    console.print(f"{len(done.ids)} new events stored, {len(done.existing)} already stored, {rejected} rejected, of "
                  f"{len(raw)} read ({marking.banner()})", highlight=False)
    deliver_pending(store)  # the alerts queued for subscribers (kompas.core.outbox)
    raise typer.Exit(1 if rejected else 0)


def serve(db: DB = None, host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
          workers: Annotated[int, typer.Option(help="Worker processes.")] = 1) -> None:
    """Serve the HTTP API (OpenAPI spec at /openapi.json, docs at /docs) and the situational picture at /web/
    until interrupted. The database is checked first (a new SQLite file gets the schema; others need `kompas db
    upgrade`)."""
    import uvicorn

    from kompas.core.db import DatabaseError, database_url

    try:
        os.environ["KOMPAS_DB"] = database_url(db)
    except DatabaseError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    _engine(os.environ["KOMPAS_DB"]).dispose()  # a clear error now rather than at the first request
    from kompas.core.audit import AuditKeyError, audit_key

    try:
        audit_key()  # every request is audited under the key: fail now, not with a 500 on each request
    except AuditKeyError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    err_console.print(f"Kompas API on http://{host}:{port} (docs /docs), database {_shown(os.environ['KOMPAS_DB'])}",
                      highlight=False)
    uvicorn.run("kompas.api.main:app", host=host, port=port, workers=workers, log_level="warning")


def _shown(url: str) -> str:
    """A URL without its password, for printing."""
    from kompas.core.db import shown

    return shown(url)
