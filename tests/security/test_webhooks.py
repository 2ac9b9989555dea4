"""Webhook deliveries (issue 18 #2, #3): through the durable outbox, never inside a request, retried with backoff,
redelivered after a dead worker's lease expires; destinations checked against SSRF at subscribe and delivery time.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kompas.api import app as app_module
from kompas.core.models import AuditEntry
from kompas.core.store import Store
from tests.api.conftest import world  # noqa: F401 (pytest fixture)
from tests.core.conftest import db_url, engine, store  # noqa: F401 (pytest fixtures)

BUNDLE = {"type": "bundle", "id": "bundle--6a1d2b30-4e2c-4c3f-9e7e-2c8f5a4f0b11", "objects": [
    {"type": "incident", "spec_version": "2.1", "id": "incident--0f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f60",
     "created": "2026-05-02T00:00:00.000Z", "modified": "2026-05-02T00:00:00.000Z",
     "name": "unknown object near GEO asset", "x_kompas_kind": "rpo", "x_kompas_norad_ids": [40258],
     "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]}]}


class Receiver:
    """A webhook receiver on 127.0.0.1 answering each POST with the next of ``statuses`` (the last repeats);
    with ``gate``, each answer waits until the gate opens (at most ``hold_s`` seconds)."""

    def __init__(self, statuses: tuple[int, ...] = (204,), gate: bool = False, hold_s: float = 5.0) -> None:
        self.statuses, self.hold_s = list(statuses), hold_s
        self.received: list[tuple[dict, bytes]] = []
        self.answered: list[int] = []
        self.got = threading.Event()
        self.gate = threading.Event()
        if not gate:
            self.gate.set()
        self.order: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                receiver.got.set()
                receiver.gate.wait(receiver.hold_s)
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                receiver.order.append("receiver answered")
                receiver.answered.append(status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server: HTTPServer = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Receiver]]:
    """Receivers to make (closed afterwards); 127.0.0.1 is allowed as a webhook destination meanwhile."""
    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "127.0.0.1")
    made: list[Receiver] = []

    class Made(Receiver):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    yield Made
    for r in made:
        r.close()


def _subscribe(world: dict, who: str, url: str) -> dict:  # noqa: F811
    made = world["client"].post("/api/v1/subscriptions", headers=world[who], json={"url": url, "kinds": ["event"]})
    assert made.status_code == 201, made.text
    return made.json()


def _import(client: TestClient, headers: dict) -> list[str]:
    out = client.post("/api/v1/events/stix", headers=headers, content=json.dumps(BUNDLE))
    assert out.status_code in (200, 201), out.text
    return out.json()["imported"]


def test_a_slow_receiver_does_not_delay_other_requests(world: dict, receiver: type[Receiver],  # noqa: F811
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "JOB_WORKER", "0")  # no report worker process: only the webhook worker
    monkeypatch.setenv("KOMPAS_WEBHOOK_WORKER", "1")  # (tests/security/conftest.py turns it off by default)
    slow = receiver(gate=True)
    for _ in range(3):
        _subscribe(world, "ann", slow.url)
    with TestClient(app_module.create_app(world["store"].engine)) as client:  # the lifespan runs the workers
        importing = threading.Thread(target=_import, args=(client, world["ann"]))
        importing.start()
        assert slow.got.wait(60), "the webhook was never posted"
        assert client.get("/api/v1/whoami", headers=world["bob"]).status_code == 200
        slow.order.append("whoami answered")
        slow.gate.set()
        importing.join()
    assert slow.order[0] == "whoami answered" and "receiver answered" in slow.order


def test_a_failing_receiver_gets_retries_then_success_exactly_once(world: dict,  # noqa: F811
                                                                     receiver: type[Receiver]) -> None:
    from kompas.core import outbox

    flaky = receiver(statuses=(500, 503, 204))
    sub = _subscribe(world, "ann", flaky.url)
    assert len(_import(world["client"], world["ann"])) == 1
    assert flaky.received == []  # nothing is posted inside the request
    drained = outbox.drain(world["store"], settings=outbox.Settings(backoff_s=0.01))
    assert (drained.delivered, drained.dead) == (1, 0)
    assert flaky.answered == [500, 503, 204]
    ids = {headers["X-Kompas-Delivery"] for headers, _ in flaky.received}
    assert len(ids) == 1  # one delivery id for every attempt: receivers dedupe on it
    assert outbox.drain(world["store"]).delivered == 0 and len(flaky.received) == 3  # delivered once, not again
    from kompas.core.alerts import signature
    assert all(h["X-Kompas-Signature"] == signature(sub["secret"], body) for h, body in flaky.received)


def test_a_receiver_that_never_answers_well_is_given_up_and_audited(world: dict,  # noqa: F811
                                                                     receiver: type[Receiver]) -> None:
    from kompas.core import outbox

    broken = receiver(statuses=(500,))
    sub = _subscribe(world, "ann", broken.url)
    _import(world["client"], world["ann"])
    drained = outbox.drain(world["store"], settings=outbox.Settings(backoff_s=0.001, max_attempts=3))
    assert (drained.delivered, drained.dead) == (0, 1) and len(broken.received) == 3
    with world["store"].session(None) as s:
        audited = s.execute(select(AuditEntry.target, AuditEntry.outcome, AuditEntry.detail)
                            .where(AuditEntry.action == "webhook")).all()
    assert [(outcome, detail.split(":")[0]) for target, outcome, detail in audited
            if target.startswith(sub["id"])] == [("error", "dead after 3 attempts")]


def test_a_worker_killed_mid_delivery_is_redelivered(world: dict, receiver: type[Receiver]) -> None:  # noqa: F811
    from kompas.core import outbox
    from kompas.core.models import WebhookDelivery

    store: Store = world["store"]  # noqa: F811
    ok = receiver()
    _subscribe(world, "ann", ok.url)
    _import(world["client"], world["ann"])
    assert outbox.pending(store) == 1 and outbox.claim(store, "host:0:0", outbox.Settings()) is None  # an alert
    assert outbox.expand(store) == 1  # the request only queued the alert: a worker expands it
    claimed = outbox.claim(store, "host:1:1", outbox.Settings())  # a worker claims the row, then dies
    assert claimed is not None
    assert outbox.claim(store, "host:2:2", outbox.Settings()) is None  # its lease still holds
    assert outbox.drain(store, wait_retries=False).delivered == 0 and ok.received == []
    with store.session(None) as s:  # the lease runs out
        s.execute(update(WebhookDelivery).where(WebhookDelivery.id == claimed.id)
                  .values(lease_utc="2000-01-01T00:00:00.000000000Z"))
    assert outbox.drain(store).delivered == 1
    assert [h["X-Kompas-Delivery"] for h, _ in ok.received] == [claimed.id]


OWN = socket.gethostname()


@pytest.mark.parametrize(("url", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://localhost:22/", "loopback"),
    ("http://[::1]:8790/", "loopback"),
    ("http://0x7f000001:8790/", "numeric"),
    ("http://2130706433:8790/", "numeric"),
    ("http://0177.0.0.1:8790/", "numeric"),
    ("http://127.0.0.1:8790/api/v1/whoami", "loopback"),  # Kompas's own address
    ("http://10.1.2.3/", "private"),
    ("http://192.168.0.10:8080/", "private"),
    ("http://[fc00::1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://0.0.0.0:8790/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[2002:a9fe:a9fe::]/", "link-local"),  # 6to4 wrapping 169.254.169.254 (cloud metadata)
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "private"),  # Teredo
])
def test_webhook_destinations_inside_the_network_are_refused(world: dict, url: str, reason: str,  # noqa: F811
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOMPAS_WEBHOOK_ALLOW", raising=False)
    made = world["client"].post("/api/v1/subscriptions", headers=world["ann"], json={"url": url, "kinds": ["event"]})
    assert made.status_code == 422, made.text
    assert reason in made.json()["detail"] and "KOMPAS_WEBHOOK_ALLOW" in made.json()["detail"]
    assert world["client"].get("/api/v1/subscriptions", headers=world["ann"]).json() == []


def test_the_allow_list_admits_a_host_and_port_and_delivery_checks_again(world: dict,  # noqa: F811
                                                                         receiver: type[Receiver],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from kompas.core import outbox

    ok = receiver()
    port = ok.url.split(":")[2].split("/")[0]
    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", f"example.org, 127.0.0.1:{port}")
    other = world["client"].post("/api/v1/subscriptions", headers=world["ann"],
                                 json={"url": f"http://127.0.0.1:{int(port) + 1}/", "kinds": ["event"]})
    assert other.status_code == 422 and "loopback" in other.json()["detail"]
    _subscribe(world, "ann", ok.url)
    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "example.org")  # the administrator withdraws the permission
    _import(world["client"], world["ann"])
    drained = outbox.drain(world["store"], settings=outbox.Settings(backoff_s=0.001))
    assert (drained.delivered, drained.dead) == (0, 1) and ok.received == []


def test_the_own_host_name_is_refused(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.delenv("KOMPAS_WEBHOOK_ALLOW", raising=False)
    made = world["client"].post("/api/v1/subscriptions", headers=world["ann"],
                                json={"url": f"http://{OWN}:8790/", "kinds": ["event"]})
    assert made.status_code == 422, made.text


def test_kompas_admin_deliver_posts_what_is_queued_then_exits(platform_home, receiver: type[Receiver]) -> None:
    from typer.testing import CliRunner

    from kompas.cli import app
    from kompas.core import alerts
    from kompas.core.db import make_engine
    from kompas.services.events import contribute_stix

    home = platform_home("NL-NSO", "NL", [("ann", "SECRET", [])])
    store = Store(make_engine(f"sqlite:///{home / 'kompas.db'}"))  # noqa: F811
    ok = receiver()
    ann = store.account("ann")
    assert ann is not None
    alerts.subscribe(store, ann, ok.url, ["event"])
    assert len(contribute_stix(store, ann, json.dumps(BUNDLE), "test")[0]) == 1
    assert ok.received == []
    runner = CliRunner()
    first = runner.invoke(app, ["admin", "deliver"])
    assert first.exit_code == 0, first.output
    assert "1 delivered" in first.output and len(ok.received) == 1
    again = runner.invoke(app, ["admin", "deliver"])
    assert again.exit_code == 0 and "nothing pending" in again.output and len(ok.received) == 1


def test_one_subscription_holds_at_most_its_share_of_workers(world: dict, receiver: type[Receiver]) -> None:  # noqa: F811
    from kompas.core import outbox

    store: Store = world["store"]  # noqa: F811
    slow, other = receiver(), receiver()
    busy = _subscribe(world, "ann", slow.url)["id"]
    free = _subscribe(world, "ann", other.url)["id"]
    item = _import(world["client"], world["ann"])[0]
    with store.session(None) as s:  # clear what the import queued: three rows for the slow receiver, one other
        from kompas.core.models import WebhookDelivery
        s.execute(WebhookDelivery.__table__.delete())
    outbox.enqueue(store, [(busy, "event", item)] * 3 + [(free, "event", item)])
    settings = outbox.Settings(per_subscription=2)
    taken = [outbox.claim(store, f"host:{k}:{k}", settings) for k in range(4)]
    assert sorted(c.subscription_id for c in taken[:3] if c) == sorted([busy, busy, free]) and taken[3] is None


def test_an_item_the_subscriber_may_no_longer_see_is_not_delivered(world: dict,  # noqa: F811
                                                                   receiver: type[Receiver]) -> None:
    from kompas.core import outbox
    from kompas.core.alerts import signature
    from kompas.core.markings import Marking
    from kompas.core.models import EventRecord

    store: Store = world["store"]  # noqa: F811
    ok = receiver()
    subs = {who: _subscribe(world, who, ok.url) for who in ("ann", "bob")}
    _import(world["client"], world["ann"])  # one alert queued; both may see it: both deliveries are queued
    assert outbox.expand(store) == 2 and outbox.pending(store) == 2
    with store.session(None) as s:  # meanwhile the event becomes NL SECRET: bob (FR, RESTRICTED) may not see it
        secret = store.marking_id(s, Marking.build("SECRET", "AMBER", ["NL"], [], "NL-NSO"))
        s.execute(update(EventRecord).values(marking_id=secret))
    drained = outbox.drain(store)
    assert (drained.delivered, drained.dropped) == (1, 1) and len(ok.received) == 1
    headers, body = ok.received[0]
    assert headers["X-Kompas-Signature"] == signature(subs["ann"]["secret"], body)
    assert json.loads(body)["item"]["marking"]["classification"] == "SECRET"


def _fimi_item(k: int) -> dict:
    return {"ref": f"case-{k}", "title": f"Claim {k}: Poland prepares a provocation with tanks",
            "first_seen": "2026-05-02", "targets": [{"name": "Poland"}], "languages": ["Russian"],
            "channels": [{"name": "outlet 1", "category": "state-controlled-outlet"}],
            "techniques": ["T0022"], "evidence": [{"url": f"https://example.org/{k}"}]}


def test_alerts_of_items_stored_before_a_crash_are_delivered_once_by_the_next_drain(
        world: dict, receiver: type[Receiver]) -> None:  # noqa: F811
    """The alerts are queued in the items' own transaction: a process killed right after storing (no deliver
    ran) loses none, and the next drain delivers each exactly once, merged FIMI incidents included."""
    from kompas.core import incidents, outbox
    from kompas.core.markings import Marking

    store: Store = world["store"]  # noqa: F811
    ok = receiver()
    made = world["client"].post("/api/v1/subscriptions", headers=world["ann"],
                                json={"url": ok.url, "kinds": ["event", "fimi-incident"]})
    assert made.status_code == 201, made.text
    ann = store.account("ann")
    assert ann is not None
    # the store functions, not the services: the process "dies" before any deliver runs
    event_ids, _ = store.import_events(ann, json.dumps(BUNDLE), "test")
    first = incidents.submit(store, ann, [_fimi_item(1)], Marking.build(), "test")
    again = incidents.submit(store, ann, [_fimi_item(1)], Marking.build(), "test")  # merged into the first
    assert len(event_ids) == 1 and len(again.merged) == 1 and again.ids == first.ids
    assert ok.received == []
    assert outbox.pending(store) == 3  # three alerts waiting to be expanded
    drained = outbox.drain(store)
    assert (drained.delivered, drained.dead, drained.dropped) == (3, 0, 0)
    sent = sorted((json.loads(body)["kind"], json.loads(body)["item"]["id"]) for _, body in ok.received)
    assert sent == sorted([("event", event_ids[0]), ("fimi-incident", first.ids[0]),
                           ("fimi-incident", first.ids[0])])
    assert outbox.expand(store) == 0  # expanded once: nothing is queued again
    assert outbox.drain(store).delivered == 0 and len(ok.received) == 3 and outbox.pending(store) == 0


def test_expanding_the_same_alerts_in_many_threads_queues_each_delivery_once(
        world: dict, receiver: type[Receiver]) -> None:  # noqa: F811
    from kompas.core import outbox

    store: Store = world["store"]  # noqa: F811
    ok = receiver()
    _subscribe(world, "ann", ok.url)
    _subscribe(world, "bob", ok.url)
    ann = store.account("ann")
    assert ann is not None
    assert len(store.import_events(ann, json.dumps(BUNDLE), "test")[0]) == 1
    counts: list[int] = []
    threads = [threading.Thread(target=lambda: counts.append(outbox.expand(store))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 0, 0, 2] and outbox.pending(store) == 2


def test_nothing_is_queued_for_alerts_nobody_subscribed_to(world: dict, receiver: type[Receiver]) -> None:  # noqa: F811
    from kompas.core import outbox
    from kompas.core.models import QueuedAlert

    store: Store = world["store"]  # noqa: F811
    ann = store.account("ann")
    assert ann is not None

    def queued() -> int:
        with store.session(None) as s:
            return len(s.scalars(select(QueuedAlert.id)).all())

    assert len(store.import_events(ann, json.dumps(BUNDLE), "test")[0]) == 1
    assert queued() == 0 and outbox.pending(store) == 0  # no subscription at all
    ok = receiver()
    made = world["client"].post("/api/v1/subscriptions", headers=world["ann"],
                                json={"url": ok.url, "kinds": ["conjunction"]})
    assert made.status_code == 201, made.text
    other = {**BUNDLE, "objects": [{**BUNDLE["objects"][0], "id": "incident--1f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f61"}]}
    assert len(store.import_events(ann, json.dumps(other), "test")[0]) == 1
    assert queued() == 0  # a subscription of another kind only
    _subscribe(world, "ann", ok.url)
    third = {**BUNDLE, "objects": [{**BUNDLE["objects"][0], "id": "incident--2f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f62"}]}
    assert len(store.import_events(ann, json.dumps(third), "test")[0]) == 1
    assert queued() == 1  # now someone wants events


class RawReceiver:
    """A receiver on 127.0.0.1 that reads one request, then sends ``response`` (bytes) in pieces of ``piece``
    bytes, ``pause_s`` seconds apart, until all is sent or the client closes; ``sent`` counts the bytes sent,
    ``finished`` is set when all were sent, ``ended`` when the receiver stopped either way."""

    def __init__(self, response: bytes, piece: int, pause_s: float) -> None:
        self.response, self.piece, self.pause_s = response, piece, pause_s
        self.sent = 0
        self.finished, self.ended = threading.Event(), threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(65536)
            head, _, body = request.partition(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            while len(body) < length:
                body += conn.recv(65536)
            view = memoryview(self.response)
            for start in range(0, len(view), self.piece):
                conn.sendall(view[start:start + self.piece])
                self.sent += len(view[start:start + self.piece])
                if self.pause_s:
                    threading.Event().wait(self.pause_s)
            self.finished.set()
        except OSError:
            pass
        finally:
            conn.close()
            self.sock.close()
            self.ended.set()


def test_a_receiver_dripping_its_answer_is_cut_off_at_the_deadline(world: dict,  # noqa: F811
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """One byte every 0.5 s (each read within the timeout) for 20 s: the attempt ends at the deadline, failed."""
    from kompas.core import outbox

    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "127.0.0.1")
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: " + b"x" * 10 + b"\r\n\r\n"
    drip = RawReceiver(answer, piece=1, pause_s=0.5)
    _subscribe(world, "ann", drip.url)
    _import(world["client"], world["ann"])
    drained = outbox.drain(world["store"], settings=outbox.Settings(timeout_s=1.0, deadline_s=1.5, max_attempts=1))
    done_before_receiver = not drip.finished.is_set()
    assert (drained.delivered, drained.dead) == (0, 1)
    assert done_before_receiver and drip.sent < len(answer)
    assert drip.ended.wait(30) and not drip.finished.is_set()  # the receiver found the connection closed


def test_a_receiver_streaming_an_endless_answer_is_not_read(world: dict,  # noqa: F811
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A 50 MB answer: the status is taken and the connection closed; the body is not read into memory."""
    from kompas.core import outbox

    monkeypatch.setenv("KOMPAS_WEBHOOK_ALLOW", "127.0.0.1")
    total = 50 << 20
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % total + bytes(total)
    big = RawReceiver(answer, piece=1 << 16, pause_s=0.0)
    _subscribe(world, "ann", big.url)
    _import(world["client"], world["ann"])
    drained = outbox.drain(world["store"], settings=outbox.Settings(max_attempts=1))
    assert (drained.delivered, drained.dead) == (1, 0)
    assert big.ended.wait(60) and not big.finished.is_set()
    assert big.sent < total // 4  # socket buffers hold a few MB at most; the rest was never sent


def test_settings_keep_the_deadline_inside_the_lease() -> None:
    from kompas.core import outbox

    assert outbox.Settings().timeout_s < outbox.Settings().deadline_s < outbox.Settings().lease_s
    with pytest.raises(ValueError, match="deadline"):
        outbox.Settings(deadline_s=60.0, lease_s=60.0)
    with pytest.raises(ValueError, match="deadline"):
        outbox.Settings(timeout_s=5.0, deadline_s=4.0)
