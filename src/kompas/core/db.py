"""Database location, engines and migrations.

The database URL is ``--db``, else ``$KOMPAS_DB``, else an SQLite file ``kompas.db`` in the data folder
(``$KOMPAS_HOME``, default ``~/.kompas``): nothing to install. PostgreSQL works with a
``postgresql+psycopg://user@host/db`` URL. The schema is created and upgraded by Alembic
(:func:`upgrade`, ``kompas db upgrade``); the migrations live in ``kompas/core/migrations``.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def home() -> Path:
    """The data folder: ``$KOMPAS_HOME`` or ``~/.kompas`` (created on demand)."""
    path = Path(os.environ.get("KOMPAS_HOME") or Path.home() / ".kompas")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(explicit: str | None = None) -> str:
    """``explicit``, else ``$KOMPAS_DB``, else ``sqlite:///$KOMPAS_HOME/kompas.db``."""
    return explicit or os.environ.get("KOMPAS_DB") or f"sqlite:///{home() / 'kompas.db'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`).

    SQLite gets foreign keys on, WAL journalling, a 30 s busy timeout and ``BEGIN IMMEDIATE`` transactions:
    every Kompas request writes (at least its audit entry), and taking the write lock up front turns concurrent
    writers into a queue instead of "database is locked" failures.
    """
    url = database_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API connection)
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

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
    """Create or upgrade the schema to ``revision``; returns the URL used."""
    url = database_url(url)
    command.upgrade(alembic_config(url), revision)
    return url
