"""API tests run on the same databases as the core tests (SQLite always, PostgreSQL when configured)."""

from tests.core.conftest import db_url, engine, store  # noqa: F401 (pytest fixtures)
