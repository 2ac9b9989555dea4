"""``app`` for ASGI servers (``uvicorn kompas.api.main:app``), on the database of ``$KOMPAS_DB``.

The response engine's reference data (ATT&CK, the precedents, the countermeasure catalogues, the toolboxes and
rules: about 3 s of one core) is read in a background thread as the server starts, so that only a request arriving
in those first seconds waits for it (:func:`kompas.services.respond.warm`); then the cyber reference data
(ATT&CK's merged index and the actor model, KEV: :func:`kompas.services.cyber.warm`)."""

import threading

from kompas.api.app import create_app

app = create_app()


def _warm() -> None:
    from kompas.services import cyber, respond

    respond.warm()
    cyber.warm()


threading.Thread(target=_warm, name="kompas-warm-response", daemon=True).start()
