"""Webhook deliveries through a durable outbox: queued with the items, posted by workers, never inside a request.

**Alerts are queued with the items.** The transaction that stores new alertable items (events,
:func:`kompas.core.store.events.store`; conjunctions, :meth:`~kompas.core.store.space.SpaceStore.store_conjunctions`;
FIMI incidents added or merged into, :func:`kompas.core.incidents.store_incidents`; surges,
:func:`kompas.core.incidents.save_run`) also writes one ``alert_queue`` row
(:class:`~kompas.core.models.QueuedAlert`) per item, by :func:`queue_alerts`, when at least one subscription
wants that kind (read in the same transaction: the daily cycle's tens of thousands of events cost nothing when
nobody subscribed to events). :func:`expand` turns queued alerts into one row of ``webhook_outbox``
(:class:`~kompas.core.models.WebhookDelivery`) per matching subscription whose owner may see the item (read as the
owner: the access rule decides), and deletes the alerts *in the same transaction* that writes the deliveries, by a
compare-and-set ``DELETE ... WHERE id IN (...) RETURNING id``: only the rows a worker itself deleted are expanded,
so each alert is expanded exactly once by any number of workers, and an alert left by a killed process is expanded
by the next one. Only the workers run it, before they claim deliveries (a request or command that stored items just
wakes this process's workers, :func:`kompas.core.alerts.deliver`; reading each item as each subscriber is their
work, not the request's):

* :class:`Worker`: threads started with the API (``kompas serve``, :func:`kompas.api.app.create_app`) that wait for
  rows (woken at once by an enqueue in the same process, else polling every ``poll_s`` seconds);
* :func:`drain`: deliver everything pending, then return (``kompas admin deliver``, the CLI after ``admin screen``
  and imports, tests and benchmarks).

**Claiming** is a compare-and-set ``UPDATE ... WHERE id = :id AND status = :seen AND attempts = :seen`` (as
:mod:`kompas.core.jobqueue` claims jobs): a row is held by exactly one worker at a time, in any number of threads
or processes. A claim is a *lease* of :attr:`Settings.lease_s` seconds: a row whose worker died (process killed,
machine lost) is claimed again by another worker once its lease has run out. At most
:attr:`Settings.per_subscription` rows of one subscription are in flight at once (the subscription's row is locked
while a claim counts them, on PostgreSQL; SQLite serialises writers), so one slow receiver holds at most that many
worker threads and other subscribers' deliveries go on.

**Each attempt** re-reads the item *as the subscriber* through the store, so the access rule decides at delivery
time too (an item the subscriber may no longer see, or a deleted subscription, ends the row as ``dropped``); checks
the destination again (:func:`check_destination`: DNS may have changed since the subscription was made) and
connects to the very address it checked; and POSTs JSON ``{"kind": ..., "item": {...}}`` with ``X-Kompas-Signature:
sha256=<HMAC-SHA256 of the body under the subscription's secret>`` and ``X-Kompas-Delivery: <row id>``, with a
timeout of :attr:`Settings.timeout_s` seconds (connect, each read and write), a deadline of
:attr:`Settings.deadline_s` seconds for the whole attempt (then the connection is closed and the attempt failed;
shorter than the lease) and no redirects followed; only the answer's status is read, never its body. A 2xx answer
ends the row ``done``; any other answer, a timeout, the deadline or a connection error schedules the next attempt
after an exponential backoff
(:attr:`Settings.backoff_s` doubled after each attempt, at most :attr:`Settings.max_backoff_s`, plus up to 10 %
jitter); after :attr:`Settings.max_attempts` attempts, or at once for a destination now refused, the row is
``dead``. Final outcomes (done, dead, dropped for lost access) are recorded in the audit log as action ``webhook``
on target ``<subscription id> <kind> <item id>``.

**Semantics: exactly once, or retried.** A delivery the receiver acknowledged (2xx) and the worker recorded is never
sent again. A delivery is repeated only when its outcome could not be recorded: the worker died or lost its lease
(stopped, killed, a database stall longer than the lease) after the receiver got the POST; the repeat carries the
same ``X-Kompas-Delivery`` id, so a receiver that keeps the ids it has processed sees each alert exactly once. No
alert is lost between storing and delivering: the alert rows commit with the items (or not at all), and a process
killed before expanding them leaves them to the next :func:`expand` (any worker, ``kompas admin deliver``). An alert
is expanded against the subscriptions existing at expansion time; a subscription created while items are being
stored may miss those items (it read no subscription of that kind) or get them (the alerts were queued for another
subscriber).

**Destinations (SSRF).** :func:`check_destination` runs when a subscription is made and before every attempt: the
host is resolved and every address it resolves to must be public; loopback, private (RFC 1918, ``fc00::/7``),
link-local (``169.254/16``, ``fe80::/10``), IPv6 forms embedding such an IPv4 address (``::ffff:a.b.c.d``, 6to4
``2002::/16``, Teredo ``2001::/32``), unspecified, multicast, reserved and other non-global addresses, this
server's own addresses and numeric host forms other than dotted decimal (``0x7f000001``, ``2130706433``,
``0177.0.0.1``) are refused, unless an administrator allowed the host in ``$KOMPAS_WEBHOOK_ALLOW``: a comma-separated
list of ``host`` (any port) or ``host:port`` (IPv6 as ``[::1]:8790``), compared with the URL's host as written.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import os
import random
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import httpx
import numpy as np
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from kompas.core import audit
from kompas.core.models import QueuedAlert, Subscription, WebhookDelivery, new_id
from kompas.core.store import Store, StoreError, utc_text

log = logging.getLogger("kompas.outbox")

#: ``post(url, body, headers) -> HTTP status``: how an attempt is sent (injectable for tests and benchmarks).
Post = Callable[[str, bytes, dict], int]
STATUSES = ("queued", "sending", "done", "dead", "dropped")
#: Environment variable of the administrator's allow-list of webhook hosts (``host`` or ``host:port``, commas).
ALLOW_ENV = "KOMPAS_WEBHOOK_ALLOW"
#: Finished rows (done, dead, dropped) are deleted this long after they finished, seconds.
KEEP_S = float(os.environ.get("KOMPAS_WEBHOOK_KEEP_S", 7 * 86400))


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        log.warning("%s=%r is not a number; using %s", name, text, default)
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Settings:
    """How deliveries are made (defaults from the environment by :meth:`from_env`)."""

    #: one attempt's HTTP timeout (connect, each read and write), seconds (``KOMPAS_WEBHOOK_TIMEOUT_S``)
    timeout_s: float = 5.0
    max_attempts: int = 8  #: attempts before a row is dead (``KOMPAS_WEBHOOK_MAX_ATTEMPTS``)
    backoff_s: float = 2.0  #: wait before the 2nd attempt, seconds; doubles after each (``KOMPAS_WEBHOOK_BACKOFF_S``)
    max_backoff_s: float = 900.0  #: longest wait between attempts, seconds
    lease_s: float = 60.0  #: how long a claim holds a row, seconds; then another worker may take it
    per_subscription: int = 2  #: rows of one subscription in flight at once (``KOMPAS_WEBHOOK_PER_SUBSCRIPTION``)
    #: the longest one attempt may take in all, seconds (connection closed then; a receiver answering one byte at a
    #: time cannot hold an attempt past it); 0: ``timeout_s + 2`` (``KOMPAS_WEBHOOK_DEADLINE_S``). At least
    #: ``timeout_s``, shorter than ``lease_s``.
    deadline_s: float = 0.0

    def __post_init__(self) -> None:
        if self.deadline_s <= 0:
            object.__setattr__(self, "deadline_s", self.timeout_s + 2.0)
        if self.lease_s <= self.timeout_s:
            raise ValueError(f"the lease ({self.lease_s} s) must outlast an attempt's timeout ({self.timeout_s} s)")
        if not self.timeout_s <= self.deadline_s < self.lease_s:
            raise ValueError(f"an attempt's deadline ({self.deadline_s} s) must be at least its timeout "
                             f"({self.timeout_s} s) and shorter than the lease ({self.lease_s} s)")
        if self.max_attempts < 1 or self.per_subscription < 1:
            raise ValueError("max_attempts and per_subscription must be at least 1")

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from ``KOMPAS_WEBHOOK_TIMEOUT_S``, ``_DEADLINE_S``, ``_MAX_ATTEMPTS``, ``_BACKOFF_S``,
        ``_LEASE_S`` and ``_PER_SUBSCRIPTION`` (bad or missing values: the defaults; the deadline raised to the
        timeout, the lease to outlast the deadline)."""
        timeout = _env_number("KOMPAS_WEBHOOK_TIMEOUT_S", cls.timeout_s)
        deadline = max(_env_number("KOMPAS_WEBHOOK_DEADLINE_S", timeout + 2.0), timeout)
        return cls(timeout_s=timeout, deadline_s=deadline,
                   max_attempts=int(_env_number("KOMPAS_WEBHOOK_MAX_ATTEMPTS", cls.max_attempts)),
                   backoff_s=_env_number("KOMPAS_WEBHOOK_BACKOFF_S", cls.backoff_s),
                   lease_s=max(_env_number("KOMPAS_WEBHOOK_LEASE_S", cls.lease_s), 2 * timeout + 5, deadline + 5),
                   per_subscription=int(_env_number("KOMPAS_WEBHOOK_PER_SUBSCRIPTION", cls.per_subscription)))


# --- destinations (SSRF) ---------------------------------------------------------------------------------------


class UnsafeDestination(StoreError):
    """A webhook URL Kompas refuses to post to (the message says why and how an administrator may allow it)."""


class UnresolvedDestination(UnsafeDestination):
    """A webhook host that does not resolve (now): refused at subscribe time, retried at delivery time."""


@dataclass(frozen=True)
class Destination:
    """A checked webhook destination: where to connect. ``address`` is the checked IP address to connect to
    (None for a host the administrator allowed, connected to by name)."""

    url: str
    scheme: str
    host: str
    port: int
    address: str | None


def allowed_hosts() -> set[tuple[str, int | None]]:
    """The administrator's allow-list (``$KOMPAS_WEBHOOK_ALLOW``) as (host, port or None for any port)."""
    found: set[tuple[str, int | None]] = set()
    for entry in os.environ.get(ALLOW_ENV, "").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        host, port = entry, None
        if entry.startswith("["):
            host, _, rest = entry[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
        elif entry.count(":") == 1:
            name, _, number = entry.partition(":")
            if number.isdigit():
                host, port = name, int(number)
        found.add((host.rstrip("."), port))
    return found


def _numeric_form(host: str) -> bool:
    """True for a host that is an IPv4 address in a form other than dotted decimal (``0x7f000001``,
    ``2130706433``, ``0177.0.0.1``, ``127.1``): resolvers read these as addresses, and they hide the address."""
    try:
        ipaddress.IPv4Address(host)
        return False
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return False
    for part in parts:
        if part.startswith("0x"):
            if not all(c in "0123456789abcdef" for c in part[2:]):
                return False
        elif not part.isdigit():
            return False
    return True


@lru_cache(maxsize=1)
def _own_addresses() -> frozenset[str]:
    """This machine's addresses by its host name (where Kompas itself answers)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP):
            found.add(str(ipaddress.ip_address(str(info[4][0]).split("%")[0])))
    except (OSError, ValueError):
        pass
    return frozenset(found)


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why Kompas does not post to ``address`` (a word for the message), or None when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address.sixtofour is not None:  # 6to4 (2002::/16): relayed to the IPv4 address it embeds
            embedded = _forbidden(address.sixtofour)
            if embedded is not None:
                return embedded
        elif address.teredo is not None:  # Teredo (2001::/32): server and client IPv4 addresses embedded
            for inner in address.teredo:
                embedded = _forbidden(inner)
                if embedded is not None:
                    return embedded
    for reason, test in (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
                         ("link-local", address.is_link_local), ("multicast", address.is_multicast),
                         ("reserved", address.is_reserved), ("private", address.is_private),
                         ("non-public", not address.is_global)):
        if test:
            return reason
    if str(address) in _own_addresses():
        return "this server's own"
    return None


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnresolvedDestination(f"webhook host {host!r} does not resolve ({error})") from None
    addresses = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            continue
    if not addresses:
        raise UnresolvedDestination(f"webhook host {host!r} resolves to no IP address")
    return addresses


def check_destination(url: str) -> Destination:
    """The destination of webhook ``url`` if Kompas may post to it, else :class:`UnsafeDestination` saying why
    (:class:`UnresolvedDestination` when the host does not resolve). See the module's *Destinations*."""
    hint = (f"; an administrator may allow a host with {ALLOW_ENV}=host or host:port (comma-separated) "
            "in the server's environment")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeDestination("url must be an http:// or https:// address")
    try:
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        raise UnsafeDestination("url has an invalid port") from None
    if not host:
        raise UnsafeDestination("url has no host")
    port = port or (443 if scheme == "https" else 80)
    allow = allowed_hosts()
    if (host, None) in allow or (host, port) in allow:
        return Destination(url, scheme, host, port, None)
    if _numeric_form(host):
        raise UnsafeDestination(f"webhook host {host!r} is a numeric address form (hexadecimal, octal or a "
                                f"single number): refused; write a host name{hint}")
    addresses = _resolve(host, port)
    for address in addresses:
        reason = _forbidden(address)
        if reason is not None:
            where = host if str(address) == host else f"{host} (resolves to {address})"
            raise UnsafeDestination(f"webhook destination refused: {where} is a {reason} address{hint}")
    return Destination(url, scheme, host, port, str(addresses[0]))


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """The TLS context of every attempt (made once: loading the CA certificates takes tens of milliseconds)."""
    return httpx.create_ssl_context()


#: Name of the threads that end attempts past their deadline.
_WATCHDOG = "kompas-outbox-deadline"


def _pinned_post(destination: Destination, timeout_s: float, deadline_s: float | None = None) -> Post:
    """An httpx POST to the address ``destination`` was checked at (not resolved again: no DNS rebinding), with
    the URL's host in ``Host`` and TLS's SNI and certificate check; no proxies from the environment, no
    redirects. ``timeout_s`` (seconds) bounds the connect and each read and write; ``deadline_s`` (seconds,
    default ``timeout_s + 2``) the whole attempt: a watchdog shuts the connection's socket down then, so the
    attempt fails (:class:`httpx.ReadError`) however slowly the receiver answers. Only the status line and headers
    are read: the body is never read (the connection is closed), so an endless answer costs no memory."""
    limit_s = timeout_s + 2.0 if deadline_s is None else deadline_s

    def post(url: str, body: bytes, headers: dict) -> int:
        target, headers = url, dict(headers)
        extensions: dict[str, object] = {}
        if destination.address is not None:
            parts = urlsplit(url)
            ip = ipaddress.ip_address(destination.address)
            netloc = f"[{ip}]:{destination.port}" if ip.version == 6 else f"{ip}:{destination.port}"
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            headers["Host"] = parts.netloc.rpartition("@")[2]
            if destination.scheme == "https":
                extensions["sni_hostname"] = destination.host
        sockets: list[socket.socket] = []
        expired = threading.Event()
        guard = threading.Lock()

        def trace(event: str, info: dict) -> None:  # httpcore's trace: keep the connection's socket
            if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                stream = info.get("return_value")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if isinstance(sock, socket.socket):
                    with guard:
                        sockets.append(sock)
                    if expired.is_set():
                        cut()

        def cut() -> None:
            expired.set()
            with guard:
                held = list(sockets)
            for sock in held:
                # the plain socket's shutdown (not TLS's) wakes a read blocked in another thread at once;
                # OSError: already closed (the attempt ended meanwhile)
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

        extensions["trace"] = trace
        watchdog = threading.Timer(limit_s, cut)
        watchdog.name, watchdog.daemon = _WATCHDOG, True
        watchdog.start()
        try:
            with httpx.Client(timeout=timeout_s, trust_env=False, follow_redirects=False, verify=_tls()) as client:
                request = client.build_request("POST", target, content=body, headers=headers, extensions=extensions)
                try:
                    response = client.send(request, stream=True)
                except httpx.HTTPError as error:
                    if expired.is_set():
                        raise httpx.ReadTimeout(f"no answer within the deadline of {limit_s:g} s") from error
                    raise
                try:
                    if expired.is_set():
                        raise httpx.ReadTimeout(f"no answer within the deadline of {limit_s:g} s")
                    return response.status_code
                finally:
                    response.close()  # the body unread: the connection is closed, not reused
        finally:
            watchdog.cancel()

    return post


# --- the queue ------------------------------------------------------------------------------------------------


def _at(seconds_from_now: float) -> str:
    """A stored time ``seconds_from_now`` seconds from now."""
    return utc_text(np.datetime64(time.time_ns() + int(seconds_from_now * 1e9), "ns"))


def _seconds_until(stored: str) -> float:
    return (int(np.datetime64(stored.rstrip("Z"), "ns").astype(np.int64)) - time.time_ns()) / 1e9


def enqueue(store: Store, rows: list[tuple[str, str, str]]) -> int:
    """Queue deliveries ``(subscription id, kind, item id)`` (due now) in one transaction; wakes this process's
    workers. Returns the number queued. Callers have checked each subscriber may see the item
    (:func:`kompas.core.alerts.deliver`)."""
    if not rows:
        return 0
    now = _at(0)
    with store.session(None) as s:
        s.add_all([WebhookDelivery(id=new_id(), subscription_id=sub, kind=kind, item_id=item, status="queued",
                                   attempts=0, created_utc=now, next_utc=now) for sub, kind, item in rows])
    notify()
    return len(rows)


def forget(store: Store, subscription_id: str) -> int:
    """Delete the queued (not yet claimed) deliveries of a subscription being deleted; the number deleted."""
    with store.session(None) as s:
        gone = s.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id,
                                                       WebhookDelivery.status == "queued")
                         .execution_options(synchronize_session=False))
        return int(getattr(gone, "rowcount", 0) or 0)


def pending(store: Store) -> int:
    """Deliveries not finished yet (queued or being sent) plus alerts not expanded yet (:func:`expand`)."""
    with store.session(None) as s:
        return int(s.scalar(select(func.count()).select_from(WebhookDelivery)
                            .where(WebhookDelivery.status.in_(("queued", "sending")))) or 0) + _alerts(s)


def _alerts(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(QueuedAlert)) or 0)


# --- alerts queued with the items -----------------------------------------------------------------------------

#: Alerts expanded per transaction by :func:`expand`.
EXPAND_BATCH = 500


def queue_alerts(s: Session, kind: str, item_ids: Iterable[str]) -> int:
    """In session ``s``, the transaction storing the items: queue an alert of ``kind`` for each item id (repeats
    once) when at least one subscription wants ``kind`` (read in the same transaction); the number queued."""
    ids = list(dict.fromkeys(item_ids))
    if not ids or not any(kind in (kinds or ()) for kinds in s.scalars(select(Subscription.kinds))):
        return 0
    now = _at(0)
    s.execute(insert(QueuedAlert), [{"id": new_id(), "kind": kind, "item_id": i, "created_utc": now} for i in ids])
    return len(ids)


def expand(store: Store) -> int:
    """Turn every queued alert into deliveries (one per matching subscription whose owner may see the item,
    :func:`kompas.core.alerts.plan`), :data:`EXPAND_BATCH` alerts per transaction; wakes this process's workers.
    The alerts are deleted in the transaction that writes their deliveries, and only those this call deleted
    (``DELETE ... RETURNING``) are expanded: any number of concurrent callers expand each alert once. Returns the
    number of deliveries queued."""
    from kompas.core import alerts

    total, conflicts = 0, 0
    while True:
        with store.session(None) as s:
            rows = [(r.id, r.kind, r.item_id) for r in s.execute(
                select(QueuedAlert.id, QueuedAlert.kind, QueuedAlert.item_id)
                .order_by(QueuedAlert.created_utc, QueuedAlert.id).limit(EXPAND_BATCH))]
        if not rows:
            return total
        planned = alerts.plan(store, rows)
        now = _at(0)
        try:
            with store.session(None) as s:
                ids = sorted(r[0] for r in rows)  # one order for every worker: no lock-order deadlock
                taken = set(s.scalars(delete(QueuedAlert).where(QueuedAlert.id.in_(ids)).returning(QueuedAlert.id)
                                      .execution_options(synchronize_session=False)))
                made = [WebhookDelivery(id=new_id(), subscription_id=sub, kind=kind, item_id=item, status="queued",
                                        attempts=0, created_utc=now, next_utc=now)
                        for alert_id in ids if alert_id in taken for sub, kind, item in planned[alert_id]]
                s.add_all(made)
        except DBAPIError:  # PostgreSQL: a concurrent expansion deadlocked with this one; its rows are kept
            conflicts += 1
            if conflicts > 3:
                raise
            continue
        total += len(made)
        if made:
            notify()


@dataclass(frozen=True)
class Claimed:
    """A row claimed by ``worker``: ``attempts`` counts this attempt."""

    id: str
    subscription_id: str
    kind: str
    item_id: str
    attempts: int
    worker: str


def claim(store: Store, worker: str, settings: Settings | None = None) -> Claimed | None:
    """Claim the oldest due row for ``worker`` (queued and due, or sending with an expired lease), unless its
    subscription already has :attr:`Settings.per_subscription` rows in flight; None when there is none. Atomic:
    compare-and-set on (status, attempts)."""
    settings = settings or Settings.from_env()
    w = WebhookDelivery
    for _ in range(20):  # another worker may take the candidate between the read and the update
        now = _at(0)
        with store.session(None) as s:
            busy = (select(w.subscription_id).where(w.status == "sending", w.lease_utc > now)
                    .group_by(w.subscription_id).having(func.count() >= settings.per_subscription))
            due = or_(and_(w.status == "queued", w.next_utc <= now), and_(w.status == "sending", w.lease_utc <= now))
            row = s.execute(select(w.id, w.status, w.attempts, w.subscription_id, w.kind, w.item_id)
                            .where(due, w.subscription_id.not_in(busy)).order_by(w.next_utc, w.id).limit(1)).first()
            if row is None:
                return None
            # PostgreSQL: two workers counting the same subscription's rows in flight take turns
            s.execute(select(Subscription.id).where(Subscription.id == row.subscription_id).with_for_update())
            active = s.scalar(select(func.count()).select_from(w).where(
                w.subscription_id == row.subscription_id, w.status == "sending", w.lease_utc > now))
            if (active or 0) >= settings.per_subscription:
                continue
            taken = s.execute(update(w).where(w.id == row.id, w.status == row.status, w.attempts == row.attempts)
                              .values(status="sending", attempts=row.attempts + 1, lease_utc=_at(settings.lease_s),
                                      worker=worker[:100])
                              .execution_options(synchronize_session=False))
            if getattr(taken, "rowcount", 0) == 1:
                return Claimed(row.id, row.subscription_id, row.kind, row.item_id, row.attempts + 1, worker[:100])
    return None


def _finish(store: Store, claimed: Claimed, **values: object) -> bool:
    """Record an attempt's outcome if ``claimed`` still holds the row (False when its lease was lost)."""
    with store.session(None) as s:
        done = s.execute(update(WebhookDelivery).where(
            WebhookDelivery.id == claimed.id, WebhookDelivery.status == "sending",
            WebhookDelivery.worker == claimed.worker, WebhookDelivery.attempts == claimed.attempts)
            .values(lease_utc=None, **values).execution_options(synchronize_session=False))
        return getattr(done, "rowcount", 0) == 1


def attempt(store: Store, claimed: Claimed, settings: Settings | None = None, post: Post | None = None) -> str:
    """Make one attempt of a claimed row and record it; the outcome: ``done``, ``retry``, ``dead``, ``dropped`` or
    ``lost`` (the lease ran out meanwhile: another worker has the row)."""
    from kompas.core import alerts

    settings = settings or Settings.from_env()
    target = f"{claimed.subscription_id} {claimed.kind} {claimed.item_id}"
    with store.session(None) as s:
        sub = s.get(Subscription, claimed.subscription_id)
        found = (sub.url, sub.secret, sub.user_id, sub.rules, sub.exercise) if sub is not None else None
    if found is None:
        return "dropped" if _finish(store, claimed, status="dropped", finished_utc=_at(0),
                                    last_error="the subscription was deleted") else "lost"
    url, secret, user_id, rules, exercise = found
    viewer = alerts.subscriber(store, store.accounts([user_id]).get(user_id), exercise)
    item = (alerts.read_item(store.in_context(exercise), claimed.kind, viewer, claimed.item_id)
            if viewer is not None else None)
    if item is None or not alerts.matches(rules, claimed.kind, item):
        if not _finish(store, claimed, status="dropped", finished_utc=_at(0),
                       last_error="the subscriber may no longer see the item"):
            return "lost"
        audit.append(store.engine, "kompas", "webhook", target, "denied", "dropped: the subscriber may no longer "
                                                                          "see the item")
        return "dropped"
    try:
        destination = check_destination(url)
    except UnresolvedDestination as error:
        return _failed(store, claimed, settings, target, 0, str(error))
    except UnsafeDestination as error:
        return _failed(store, claimed, replace(settings, max_attempts=claimed.attempts), target, 0, str(error))
    body = json.dumps({"kind": claimed.kind, "item": item}, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "X-Kompas-Signature": alerts.signature(secret, body),
               "X-Kompas-Delivery": claimed.id}
    try:
        status = (post or _pinned_post(destination, settings.timeout_s, settings.deadline_s))(url, body, headers)
    except (httpx.HTTPError, OSError) as error:
        return _failed(store, claimed, settings, target, 0, " ".join(str(error).split())[:200]
                       or type(error).__name__)
    if not 200 <= status < 300:
        return _failed(store, claimed, settings, target, status, f"HTTP {status}")
    if not _finish(store, claimed, status="done", finished_utc=_at(0), last_status=status, last_error=None):
        return "lost"
    audit.append(store.engine, "kompas", "webhook", target, "ok",
                 f"HTTP {status}, attempt {claimed.attempts}, delivery {claimed.id}")
    return "done"


def _failed(store: Store, claimed: Claimed, settings: Settings, target: str, status: int, error: str) -> str:
    """A failed attempt: retry after the backoff, or dead after the last attempt (audited)."""
    if claimed.attempts >= settings.max_attempts:
        if not _finish(store, claimed, status="dead", finished_utc=_at(0), last_status=status or None,
                       last_error=error):
            return "lost"
        audit.append(store.engine, "kompas", "webhook", target, "error",
                     f"dead after {claimed.attempts} attempts: {error}, delivery {claimed.id}")
        return "dead"
    wait_s = min(settings.max_backoff_s, settings.backoff_s * 2 ** (claimed.attempts - 1)) * (1 + random.random() / 10)
    return "retry" if _finish(store, claimed, status="queued", next_utc=_at(wait_s), last_status=status or None,
                              last_error=error) else "lost"


def expire(store: Store, keep_s: float = KEEP_S) -> int:
    """Delete rows finished more than ``keep_s`` seconds ago; the number deleted."""
    with store.session(None) as s:
        gone = s.execute(delete(WebhookDelivery).where(WebhookDelivery.status.in_(("done", "dead", "dropped")),
                                                       WebhookDelivery.finished_utc < _at(-keep_s))
                         .execution_options(synchronize_session=False))
        return int(getattr(gone, "rowcount", 0) or 0)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _next_due_s(store: Store) -> float | None:
    """Seconds until the earliest unfinished row may be claimed (<= 0: now, also when alerts wait to be expanded);
    None when nothing is pending."""
    w = WebhookDelivery
    with store.session(None) as s:
        if _alerts(s):
            return 0.0
        queued = s.scalar(select(func.min(w.next_utc)).where(w.status == "queued"))
        leased = s.scalar(select(func.min(w.lease_utc)).where(w.status == "sending"))
    times = [t for t in (queued, leased) if t]
    return min(_seconds_until(t) for t in times) if times else None


@dataclass
class Drained:
    """What :func:`drain` did: rows delivered, attempts to be retried, rows given up (dead) and dropped."""

    delivered: int = 0
    retried: int = 0
    dead: int = 0
    dropped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, outcome: str) -> None:
        with self._lock:
            if outcome == "done":
                self.delivered += 1
            elif outcome == "retry":
                self.retried += 1
            elif outcome in ("dead", "dropped"):
                setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def finished(self) -> int:
        """Rows ended (delivered, dead or dropped)."""
        return self.delivered + self.dead + self.dropped


def drain(store: Store, *, post: Post | None = None, settings: Settings | None = None,
          progress: Callable[[int, int], None] | None = None, threads: int = 4,
          wait_retries: bool = True) -> Drained:
    """Expand the queued alerts (:func:`expand`), then deliver every pending row in ``threads`` threads and return
    what was done. With ``wait_retries`` (the default) wait for the retries' backoff and for leases of rows held
    elsewhere to run out, until no row is queued or being sent (bounded: each row has at most
    :attr:`Settings.max_attempts` attempts); without, return once nothing is due. ``progress(finished, total)`` is
    called after each finished row."""
    settings = settings or Settings.from_env()
    result = Drained()
    expand(store)
    total = pending(store)
    if progress is not None:
        progress(0, total)

    def work() -> None:
        name = _worker_name()
        while True:
            claimed = claim(store, name, settings)
            if claimed is None:
                return
            result.count(attempt(store, claimed, settings, post))
            if progress is not None:
                progress(result.finished, max(total, result.finished))

    while True:
        total += expand(store)  # alerts queued meanwhile (by other processes too)
        pool = [threading.Thread(target=work, name=f"kompas-outbox-drain-{k}", daemon=True)
                for k in range(max(1, threads))]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        wait_s = _next_due_s(store) if wait_retries else None
        if wait_s is None:
            return result
        time.sleep(min(max(wait_s, 0.0), 1.0))


_RUNNING: weakref.WeakSet[Worker] = weakref.WeakSet()


def notify() -> None:
    """Wake the workers running in this process (new rows are due)."""
    for worker in list(_RUNNING):
        worker.wake()


class Worker:
    """Delivery threads for a long-running process (the API: :func:`kompas.api.app.create_app`; ``kompas admin
    deliver --forever``): ``threads`` threads claim and post rows; idle, the first polls every ``poll_s`` seconds
    (other processes queue rows too) and wakes the others when it finds work, the others every ``10 * poll_s``;
    all start at once when :meth:`wake` is called (:func:`enqueue` does, in this process). Before claiming, a
    thread expands the queued alerts (:func:`expand`; one thread of the worker at a time). Finished rows
    older than :data:`KEEP_S` are deleted every hour. Database errors are logged and retried."""

    def __init__(self, store: Store, threads: int = 4, poll_s: float = 1.0, settings: Settings | None = None,
                 post: Post | None = None) -> None:
        self.store, self.threads, self.poll_s = store, max(1, threads), poll_s
        self.settings, self.post = settings, post
        self._stop = threading.Event()
        self._wakes: list[threading.Event] = []
        self._threads: list[threading.Thread] = []
        self._expanding = threading.Lock()

    def start(self) -> None:
        """Start the threads (once)."""
        if any(t.is_alive() for t in self._threads):
            return
        self._stop.clear()
        self._wakes = [threading.Event() for _ in range(self.threads)]
        self._threads = [threading.Thread(target=self._run, args=(k,), name=f"kompas-outbox-{k}", daemon=True)
                         for k in range(self.threads)]
        for thread in self._threads:
            thread.start()
        _RUNNING.add(self)

    def wake(self) -> None:
        """Look for due rows now."""
        for event in self._wakes:
            event.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the threads after their current attempt (waiting at most ``timeout_s`` seconds in all; a row left
        in flight is claimed again when its lease runs out)."""
        self._stop.set()
        _RUNNING.discard(self)
        self.wake()
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _run(self, index: int) -> None:
        name, tidied_at = _worker_name(), -3600.0
        wake = self._wakes[index]
        while not self._stop.is_set():
            settings = self.settings or Settings.from_env()
            try:
                if index == 0 and time.monotonic() - tidied_at >= 3600:
                    expire(self.store)
                    tidied_at = time.monotonic()
                if self._expanding.acquire(blocking=False):  # another thread of this worker is at it: go on
                    try:
                        expand(self.store)
                    finally:
                        self._expanding.release()
                claimed = claim(self.store, name, settings)
                if claimed is not None:
                    if index == 0:
                        self.wake()  # there is work: bring the other threads in
                    attempt(self.store, claimed, settings, self.post)
            except Exception:  # the database may be away for a while: keep the worker alive
                log.exception("webhook worker: cannot claim or deliver")
                claimed = None
            if claimed is None:  # idle: the first thread polls, the others mostly wait to be woken
                wake.wait(self.poll_s if index == 0 else 10 * self.poll_s)
                wake.clear()
