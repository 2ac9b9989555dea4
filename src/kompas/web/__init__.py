"""The situational picture in the browser: the single-page site built from ``web/`` (Vite; globe.gl, uPlot) into
``kompas/web/static``, served by the API process itself. Every script, style and image comes from here: no CDN,
no map tiles, no Node.js needed to run. The page only shows what the API returns for the signed-in user.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

STATIC = Path(__file__).resolve().parent / "static"
#: Flags for Debian's headless Chromium on a server without GPU or outside network (the browser tests and
#: benchmarks/web.py): software WebGL, and no background connections that the closed network would refuse.
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--use-angle=swiftshader", "--enable-unsafe-swiftshader")
#: The page loads nothing from elsewhere; WebGL textures come from the same origin; no framing.
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class SecurityHeaders:
    """Content-Security-Policy and friends on the site's answers (``/web/...``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/web"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(b"content-security-policy", CSP.encode()),
                                       (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
            await send(message)

        await self.app(scope, receive, with_headers)


def mount(app: FastAPI) -> bool:
    """Serve the built site at ``/web/`` and send ``/`` there; False when the site is not built."""
    if not (STATIC / "index.html").is_file():
        return False
    app.mount("/web", StaticFiles(directory=STATIC, html=True), name="web")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/web/")

    return True
