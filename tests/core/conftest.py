"""Databases for the core tests: an SQLite file always, PostgreSQL when ``KOMPAS_TEST_POSTGRES`` names a server.

``KOMPAS_TEST_POSTGRES`` is a URL of a PostgreSQL server and a database the tests may create databases from
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); `.ci/run` starts a real server and sets it.
Each test session creates a fresh database on it and drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, delete, text

from kompas.core import models
from kompas.core.db import make_engine, upgrade
from kompas.core.store import Store

POSTGRES = os.environ.get("KOMPAS_TEST_POSTGRES")
#: Every table but the audit log and its head, children first (new tables are wiped without being listed here).
DATA_TABLES = [t for t in reversed(models.Base.metadata.sorted_tables) if not t.name.startswith("audit")]


def _postgres_database(tag: str) -> Iterator[str]:
    """Create a fresh database on the KOMPAS_TEST_POSTGRES server; yield its URL; drop it afterwards."""
    if not POSTGRES:
        pytest.skip("PostgreSQL tests need KOMPAS_TEST_POSTGRES (a server URL); .ci/run starts one and sets it")
    name = f"kompas_test_{tag}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fresh_database(kind: str, tmp_path_factory: pytest.TempPathFactory, tag: str) -> Iterator[str]:
    """A new, migrated database of ``kind`` ("sqlite" or "postgresql"); yields its URL."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp(tag) / 'kompas.db'}"
        upgrade(url)
        yield url
        return
    for url in _postgres_database(tag):
        upgrade(url)
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per kind for the whole session (tests wipe what they use with :func:`wipe`)."""
    yield from fresh_database(request.param, tmp_path_factory, "shared")


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def wipe(engine: Engine) -> None:
    """Delete every row except the audit log (which refuses deletes)."""
    with engine.begin() as connection:
        for table in DATA_TABLES:
            connection.execute(delete(table))


@pytest.fixture
def store(engine: Engine) -> Store:
    """A store on an emptied database."""
    wipe(engine)
    return Store(engine)
