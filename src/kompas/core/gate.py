"""Bounded concurrency for the few analyses a request may still run at once (the manoeuvre trade space: under a
second of one core).

A :class:`Gate` holds ``slots`` places; :meth:`Gate.enter` waits at most ``wait_s`` seconds for one and otherwise
raises :class:`Busy`, which the API answers 503 with ``Retry-After``. So however many such requests arrive, at most
``slots`` cores compute them and the rest of the service keeps its share of the machine; a request never queues
behind others for longer than ``wait_s``. Per process (each server process has its own gates).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Busy(RuntimeError):
    """Every slot of a gate is taken: try again after ``retry_after_s`` seconds (or run the work as a job)."""

    def __init__(self, name: str, retry_after_s: int) -> None:
        super().__init__(f"the server is computing as many {name} as it allows at once; try again in "
                         f"{retry_after_s} s")
        self.retry_after_s = retry_after_s


class Gate:
    """At most ``slots`` holders at once; :meth:`enter` waits up to ``wait_s`` seconds for a place."""

    def __init__(self, name: str, slots: int = 1, wait_s: float = 2.0, retry_after_s: int = 2) -> None:
        if slots < 1 or wait_s < 0:
            raise ValueError("a gate needs at least one slot and a wait of at least 0 s")
        self.name, self.wait_s, self.retry_after_s = name, wait_s, retry_after_s
        self._places = threading.BoundedSemaphore(slots)

    @contextmanager
    def enter(self) -> Iterator[None]:
        """Hold a place for the ``with`` block; :class:`Busy` when none frees up within ``wait_s``."""
        if not self._places.acquire(timeout=self.wait_s):
            raise Busy(self.name, self.retry_after_s)
        try:
            yield
        finally:
            self._places.release()
