"""Running the API in a background thread on loopback: for the browser and fuzz tests and the web benchmark."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine


@contextmanager
def background(engine: Engine, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve :func:`kompas.api.app.create_app` on ``engine`` (rate limits off) on a free port; yields its base URL
    and stops the server on exit."""
    import uvicorn

    from kompas.api.app import create_app

    with socket.socket() as s:
        s.bind((host, 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(engine, rate_per_s=1e6, burst=1e6), host=host, port=port,
                                           log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
