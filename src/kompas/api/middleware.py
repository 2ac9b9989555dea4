"""ASGI middleware and limits of the API: the request body size limit, the per-address rate limiter (before
authentication), the per-account rate limiter and the limit on audit rows for failed authentications.

Limits (environment variables, read at start; rates in requests per second, bursts in requests):

- ``KOMPAS_ADDRESS_RATE_PER_S`` (default 30) and ``KOMPAS_ADDRESS_BURST`` (150): every request from one client
  address, before its token is looked at; over it, 429 with ``Retry-After``. Behind a reverse proxy the address is
  the proxy's unless uvicorn trusts its ``X-Forwarded-For`` (a proxy at an address in ``FORWARDED_ALLOW_IPS``,
  default 127.0.0.1 and ::1).
- ``KOMPAS_RATE_PER_S`` (default 20) and ``KOMPAS_RATE_BURST`` (100): every authenticated account, well under what
  one server process answers (about 50 requests per second measured in issue 18), so one user leaves room for
  others.
- ``KOMPAS_AUTH_FAILURES_PER_MIN`` (default 20): failed authentications (missing, unknown, expired or revoked
  token) audited one by one per address and minute (token bucket); beyond it a failure (still answered 401) is
  only counted, and one audit row per address summarises the count when the address's bucket has refilled (or
  when :meth:`FailureLimiter.flush` runs), so failed requests cannot grow the audit log without bound.
"""

import ipaddress
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import Engine

MAX_BODY_BYTES = int(os.environ.get("KOMPAS_MAX_BODY_BYTES", 16 * 1024 * 1024))
#: Requests per second and burst per authenticated account.
RATE_PER_S = float(os.environ.get("KOMPAS_RATE_PER_S", 20))
RATE_BURST = float(os.environ.get("KOMPAS_RATE_BURST", 100))
#: Requests per second and burst per client address, before authentication.
ADDRESS_RATE_PER_S = float(os.environ.get("KOMPAS_ADDRESS_RATE_PER_S", 30))
ADDRESS_BURST = float(os.environ.get("KOMPAS_ADDRESS_BURST", 150))
#: Failed authentications audited individually per client address and minute.
AUTH_FAILURES_PER_MIN = float(os.environ.get("KOMPAS_AUTH_FAILURES_PER_MIN", 20))


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413 (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(self.limit, send)
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(self.limit, send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    body = f'{{"detail":"request body over {limit} bytes"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Token bucket per key: ``rate`` requests per second sustained, ``burst`` at once (in-process). Buckets that
    have refilled are forgotten (every ``burst / rate`` seconds at most), so memory follows the keys active
    recently, not every key ever seen."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, max(1.0, burst)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()
        self.refill_s = self.burst / rate if rate > 0 else float("inf")  # seconds for an empty bucket to fill
        self._next_prune = time.monotonic() + min(self.refill_s, 3600.0)
        self.denied: set[str] = set()  # keys refused since their last accepted request

    def first_denial(self, key: str) -> bool:
        """Whether a refusal of ``key`` (just answered by :meth:`wait_s`) is the first since its last accepted
        request: only those are audited, so a client hammering at its limit adds one audit row per episode."""
        with self.lock:
            if key in self.denied:
                return False
            self.denied.add(key)
            return True

    def wait_s(self, key: str) -> float:
        """0 when a request may proceed now (and take a token), else seconds until it may."""
        now = time.monotonic()
        with self.lock:
            if now >= self._next_prune:
                self._prune(now)
            tokens, last = self.buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[key] = (tokens - 1, now)
                self.denied.discard(key)
                return 0.0
            self.buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate if self.rate > 0 else 3600.0

    def _prune(self, now: float) -> None:
        """Forget the buckets full again (the lock is held)."""
        self.buckets = {k: (tokens, last) for k, (tokens, last) in self.buckets.items()
                        if tokens + (now - last) * self.rate < self.burst}
        self.denied &= self.buckets.keys()
        self._next_prune = now + min(self.refill_s, 3600.0)


def retry_after(wait_s: float) -> str:
    """A ``Retry-After`` header value (whole seconds, at least 1) for a wait of ``wait_s`` seconds."""
    return str(max(1, int(wait_s + 0.999)))


def client_address(scope: Scope) -> str:
    """The client's address as the limits count it (``scope["client"]``; "unknown" when the server gives none): an
    IPv4 address as it is, an IPv6 one as its /64 network (one host usually holds a whole /64, so counting single
    addresses would give it a fresh allowance for every address it picks)."""
    client = scope.get("client")
    if not client:
        return "unknown"
    address = str(client[0])
    if ":" in address:
        try:
            ip = ipaddress.IPv6Address(address.split("%")[0])
        except ValueError:
            return address
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return address


class AddressLimit:
    """ASGI middleware: every HTTP request from one client address takes a token of ``limiter`` before anything
    else runs (authentication included); over the limit, 429 with ``Retry-After`` and nothing else is done."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app, self.limiter = app, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        wait = self.limiter.wait_s(client_address(scope))
        if wait > 0:
            body = b'{"detail":"too many requests from this address"}'
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()),
                                    (b"retry-after", retry_after(wait).encode())]})
            await send({"type": "http.response.body", "body": body})
            return None
        return await self.app(scope, receive, send)


@dataclass
class _Failures:
    tokens: float
    last: float
    suppressed: int = 0
    since: str = ""


class FailureLimiter:
    """Failed authentications per client address: a token bucket of ``per_min`` per minute (burst ``per_min``).
    :meth:`failed` says whether a failure is to be audited on its own (a token was left) or only counted; counted
    failures are written as one summary row per address (through ``write``) once its bucket is full again, at the
    address's next failure or at :meth:`flush`."""

    def __init__(self, per_min: float, write: Callable[[str, int, str], None]) -> None:
        self.rate, self.burst = per_min / 60.0, max(1.0, per_min)
        self.write = write  # write(address, failures counted, since UTC)
        self.entries: dict[str, _Failures] = {}
        self.lock = threading.Lock()
        self._next_flush = time.monotonic() + 60.0

    def tick(self) -> None:
        """:meth:`flush` at most once a minute (called on every authentication, cheap otherwise)."""
        now = time.monotonic()
        if now >= self._next_flush:
            self._next_flush = now + 60.0
            self.flush()

    def failed(self, address: str, now_utc: str) -> float:
        """Record a failure from ``address`` (at ``now_utc``, ISO 8601): 0 when it is to be audited individually (a
        token taken), else the seconds until the next one would be (the failure is counted for the summary row)."""
        now = time.monotonic()
        due: list[tuple[str, int, str]] = []
        with self.lock:
            entry = self.entries.get(address) or _Failures(self.burst, now)
            entry.tokens = min(self.burst, entry.tokens + (now - entry.last) * self.rate)
            entry.last = now
            self.entries[address] = entry
            if entry.tokens >= 1:
                entry.tokens -= 1
                if entry.suppressed:
                    due.append((address, entry.suppressed, entry.since))
                    entry.suppressed, entry.since = 0, ""
                wait = 0.0
            else:
                entry.suppressed += 1
                entry.since = entry.since or now_utc
                wait = (1 - entry.tokens) / self.rate if self.rate > 0 else 3600.0
        for item in due:
            self.write(*item)
        return wait

    def flush(self, everything: bool = False) -> int:
        """Write the summary rows of the addresses whose buckets are full again (all of them when
        ``everything``, e.g. at shutdown) and forget those addresses; returns the rows written."""
        now = time.monotonic()
        due: list[tuple[str, int, str]] = []
        with self.lock:
            for address, entry in list(self.entries.items()):
                if everything or entry.tokens + (now - entry.last) * self.rate >= self.burst:
                    if entry.suppressed:
                        due.append((address, entry.suppressed, entry.since))
                    del self.entries[address]
        for item in due:
            self.write(*item)
        return len(due)


def install_limits(app: "FastAPI", engine: "Engine", rate_per_s: float = RATE_PER_S, burst: float = RATE_BURST,
                   address_rate_per_s: float | None = None, address_burst: float | None = None,
                   failures_per_min: float = AUTH_FAILURES_PER_MIN) -> None:
    """Give ``app`` its limits: ``app.state.limiter`` (per account: ``rate_per_s`` requests per second, ``burst``
    at once), ``app.state.address_limiter`` with the :class:`AddressLimit` middleware (per client address, before
    authentication; default :data:`ADDRESS_RATE_PER_S` and :data:`ADDRESS_BURST`, and never below the per-account
    limit, so that raising the account limit, as tests and benchmarks do, raises both) and ``app.state.failures``
    (:class:`FailureLimiter`, ``failures_per_min`` audited failures per address and minute, summary rows written
    to the audit log of ``engine``)."""
    from kompas.core import audit

    def summary(address: str, count: int, since: str) -> None:
        audit.append(engine, "anonymous", "authenticate", f"address {address}", "denied",
                     f"{count} further failed authentications from {address} since {since} (over "
                     f"{failures_per_min:g} per minute: counted, not audited one by one)")

    address_rate = max(ADDRESS_RATE_PER_S if address_rate_per_s is None else address_rate_per_s, rate_per_s)
    address_bucket = max(ADDRESS_BURST if address_burst is None else address_burst, burst)
    app.state.limiter = RateLimiter(rate_per_s, burst)
    app.state.address_limiter = RateLimiter(address_rate, address_bucket)
    app.state.failures = FailureLimiter(failures_per_min, summary)
    app.add_middleware(AddressLimit, limiter=app.state.address_limiter)
