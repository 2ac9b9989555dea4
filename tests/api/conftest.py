"""API tests run on the same databases as the core tests (SQLite always, PostgreSQL when configured)."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient

from kompas.api.app import create_app
from kompas.core.store import Store
from tests.core.conftest import db_url, engine, store  # noqa: F401 (pytest fixtures)


@pytest.fixture
def world(store: Store) -> dict:  # noqa: F811 (the store fixture)
    """Two organisations in two countries; an NL analyst (SECRET, community sst) and a FR one (RESTRICTED)."""
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    return {"store": store, "client": TestClient(create_app(store.engine), raise_server_exceptions=False),
            "ann": {"Authorization": "Bearer " + store.add_user("ann", "NL-NSO", "SECRET", ["sst"])},
            "bob": {"Authorization": "Bearer " + store.add_user("bob", "FR-CNES", "RESTRICTED")}}


class _Receiver(BaseHTTPRequestHandler):
    """A webhook receiver: keeps (headers, body) of every POST."""

    received: list = []

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list]]:
    """A real HTTP receiver on localhost: (its URL, the list of (headers, body) it received). 127.0.0.1 is allowed
    as a webhook destination meanwhile (internal addresses are refused otherwise: kompas.core.outbox)."""
    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "127.0.0.1")
    received: list = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()
