"""``app`` for ASGI servers (``uvicorn kompas.api.main:app``), on the database of ``$KOMPAS_DB``."""

from kompas.api.app import create_app

app = create_app()
