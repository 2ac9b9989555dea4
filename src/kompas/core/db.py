"""Database location, engines and migrations.

The database URL is ``--db``, else ``$KOMPAS_DB``, else an SQLite file ``kompas.db`` in the data folder
(``$KOMPAS_HOME``, default ``~/.kompas``): nothing to install. PostgreSQL works with a
``postgresql+psycopg://user@host/db`` URL. The schema is created and upgraded by Alembic
(:func:`upgrade`, ``kompas db upgrade``); the migrations live in ``kompas/core/migrations``.

The folder of an SQLite file is created when missing (as ``$KOMPAS_HOME`` is). Both are private to the user
running Kompas whatever the umask (:mod:`kompas.private`): a folder Kompas creates is ``0700``; the SQLite file is
created ``0600`` before the engine opens it, and it and its ``-wal``/``-shm`` are set to ``0600`` on every new
connection (which also tightens a database left world-readable by an older Kompas). Anything that makes a database
unusable (a URL that does not parse, a driver that is not installed, a file that cannot be created, a server that
does not answer, a schema that is missing or older than this Kompas) is a :class:`DatabaseError` whose message
names the database and what to do (:func:`make_engine`, :func:`upgrade`, :func:`check`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from kompas.private import create_private, private_dir, tighten

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_EXAMPLES = "sqlite:////path/to/kompas.db or postgresql+psycopg://user@host/db"  #: Shown with a bad URL.


class DatabaseError(Exception):
    """The database cannot be used; the message says which one, why, and what to do."""


def home() -> Path:
    """The data folder: ``$KOMPAS_HOME`` or ``~/.kompas`` (created on demand, mode ``0700``).

    Raises :class:`DatabaseError` when it cannot be created."""
    path = Path(os.environ.get("KOMPAS_HOME") or Path.home() / ".kompas").expanduser()
    try:
        private_dir(path)
    except OSError as error:
        raise DatabaseError(f"cannot create the Kompas data folder {path} ($KOMPAS_HOME): "
                            f"{error.strerror or error}") from None
    return path


def database_url(explicit: str | None = None) -> str:
    """``explicit``, else ``$KOMPAS_DB``, else ``sqlite:///$KOMPAS_HOME/kompas.db``."""
    return explicit or os.environ.get("KOMPAS_DB") or f"sqlite:///{home() / 'kompas.db'}"


def shown(url: str | URL) -> str:
    """A URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return str(url)


def parse_url(url: str) -> URL:
    """``url`` parsed, its driver importable and, for an SQLite file, its folder (``0700``) and the file itself
    (empty, ``0600``: SQLite gives its ``-wal`` and ``-shm`` the database file's mode) created when missing.

    Raises :class:`DatabaseError` naming the URL (without password) and the reason."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{url!r} is not a database URL (expected e.g. {URL_EXAMPLES})") from None
    try:
        dialect = parsed.get_dialect()
        dialect.import_dbapi()
    except NoSuchModuleError:
        raise DatabaseError(f"{shown(parsed)}: unknown database kind {parsed.drivername!r} (Kompas uses SQLite or "
                            f"PostgreSQL: {URL_EXAMPLES})") from None
    except ImportError as error:
        raise DatabaseError(f"{shown(parsed)}: the database driver is not installed ({error})") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not parsed.database.startswith("file:"):
        file = Path(parsed.database).expanduser()
        try:
            private_dir(file.parent)
        except OSError as error:
            raise DatabaseError(f"{shown(parsed)}: cannot create the folder {file.parent} for the SQLite file: "
                                f"{error.strerror or error}") from None
        try:
            create_private(file)
        except OSError as error:
            raise DatabaseError(f"{shown(parsed)}: cannot create the SQLite file {file}: "
                                f"{error.strerror or error}") from None
    return parsed


def sqlite_files(database: str) -> tuple[Path, Path, Path]:
    """The SQLite database file ``database`` and its ``-wal`` and ``-shm`` companions."""
    file = Path(database).expanduser()
    return file, Path(f"{file}-wal"), Path(f"{file}-shm")


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`; :func:`parse_url` checks it and creates the folder of an
    SQLite file). Raises :class:`DatabaseError` for a URL that cannot be used.

    SQLite gets foreign keys on, WAL journalling, a 30 s busy timeout and ``BEGIN IMMEDIATE`` transactions:
    every Kompas request writes (at least its audit entry), and taking the write lock up front turns concurrent
    writers into a queue instead of "database is locked" failures. Each new SQLite connection sets the database
    file and its ``-wal``/``-shm`` to ``0600`` (:func:`kompas.private.tighten`).
    """
    url = database_url(url)
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    database = parsed.database or ""
    files = sqlite_files(database) if database not in ("", ":memory:") and not database.startswith("file:") else ()

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API connection)
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("SELECT count(*) FROM sqlite_master")  # opens the WAL: -wal and -shm exist from here on
        cursor.close()
        for path in files:
            tighten(path)

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # noqa: ANN001 (SQLAlchemy Connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at Kompas's migrations and ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> str:
    """Create or upgrade the schema to ``revision``; returns the URL used. When this runs migration 0010 it then
    seals the audit head with the audit key (:func:`kompas.core.audit.seal`, the key created if missing).

    Raises :class:`DatabaseError` when the database cannot be opened or reached, and
    :class:`kompas.core.audit.AuditKeyError` (before migrating) when 0010 is due and the key is unusable."""
    url = database_url(url)
    parse_url(url)
    from kompas.core import audit

    try:
        before = _revision(url)
        if (before is None or before < AUDIT_KEY_REVISION) and (revision == "head" or revision >= AUDIT_KEY_REVISION):
            audit.audit_key()  # 0010 will run: the head is sealed with the key, so fail before migrating
        command.upgrade(alembic_config(url), revision)
        after = _revision(url)
    except DBAPIError as error:
        raise DatabaseError(unreachable(url, error)) from None
    if (before is None or before < AUDIT_KEY_REVISION) and after is not None and after >= AUDIT_KEY_REVISION:
        engine = make_engine(url)  # migration 0010 just ran: give the audit head its first MAC
        try:
            audit.seal(engine)
        finally:
            engine.dispose()
    return url


AUDIT_KEY_REVISION = "0010"  #: the migration that adds the keyed audit chain and the head's MAC


def _revision(url: str) -> str | None:
    """The schema revision of the database at ``url`` (None for an empty one)."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def unreachable(url: str, error: DBAPIError) -> str:
    """The message for a database that cannot be opened or reached: the URL and the driver's first line."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"cannot open the database {shown(url)}: {reason[0] if reason else type(error).__name__}"


@lru_cache(maxsize=1)
def schema_heads() -> frozenset[str]:
    """The newest schema revision(s) of the migrations shipped with this Kompas."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def check(engine: Engine, create: bool = True) -> None:
    """Make sure ``engine``'s database answers and has the newest Kompas schema.

    A database without any table is given the schema when ``create`` (a fresh SQLite file needs no setup step);
    a PostgreSQL database without it, or any database at an older or unknown revision, raises
    :class:`DatabaseError` saying which command brings it up to date, as does one that cannot be reached."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    url = engine.url.render_as_string(hide_password=False)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            empty = current is None and not inspect(connection).get_table_names()
    except DBAPIError as error:
        raise DatabaseError(unreachable(url, error)) from None
    if current in schema_heads():
        return
    if current is None and empty and create and engine.url.get_backend_name() == "sqlite":
        from kompas.core.audit import AuditKeyError

        try:
            upgrade(url)
        except AuditKeyError as error:  # the new schema's audit head is sealed with the key
            raise DatabaseError(str(error)) from None
        return
    if current is None:
        raise DatabaseError(f"the database {shown(url)} has no Kompas schema: run `kompas admin init --db URL` "
                            "(or `kompas db upgrade`)")
    raise DatabaseError(f"the database {shown(url)} is at schema revision {current}, this Kompas needs "
                        f"{', '.join(sorted(schema_heads()))}: run `kompas db upgrade`")
