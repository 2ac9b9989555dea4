"""Bounded concurrency for the few analyses a request may still run at once (the manoeuvre trade space: under a
second of one core).

A :class:`Gate` holds ``slots`` places; :meth:`Gate.enter` waits at most ``wait_s`` seconds for one and otherwise
raises :class:`Busy`, which the API answers 503 with ``Retry-After``. So however many such requests arrive, at most
``slots`` cores compute them and the rest of the service keeps its share of the machine; a request never queues
behind others for longer than ``wait_s``. Per process (each server process has its own gates).

With ``per_holder``, one holder (an account: ``enter(holder=account id)``) holds at most that many places at once,
so a single user looping heavy requests cannot take every place: with ``slots=2, per_holder=1`` another user always
finds one (a holder's second request waits for its first, like everyone else, at most ``wait_s``).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Hashable, Iterator
from contextlib import contextmanager


class Busy(RuntimeError):
    """Every slot of a gate is taken: try again after ``retry_after_s`` seconds (or run the work as a job)."""

    def __init__(self, name: str, retry_after_s: int, mine: bool = False) -> None:
        if mine:
            message = (f"you are already computing as many {name} as one user may at once; try again in "
                       f"{retry_after_s} s")
        else:
            message = f"the server is computing as many {name} as it allows at once; try again in {retry_after_s} s"
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Gate:
    """At most ``slots`` holders at once, one ``holder`` at most ``per_holder`` of them (None: no such limit);
    :meth:`enter` waits up to ``wait_s`` seconds for a place."""

    def __init__(self, name: str, slots: int = 1, wait_s: float = 2.0, retry_after_s: int = 2,
                 per_holder: int | None = None) -> None:
        if slots < 1 or wait_s < 0:
            raise ValueError("a gate needs at least one slot and a wait of at least 0 s")
        if per_holder is not None and not 1 <= per_holder <= slots:
            raise ValueError("per_holder must be between 1 and the number of slots")
        self.name, self.wait_s, self.retry_after_s = name, wait_s, retry_after_s
        self.slots, self.per_holder = slots, per_holder
        self._free = slots
        self._held: Counter[Hashable] = Counter()
        self._changed = threading.Condition()

    def _admits(self, holder: Hashable | None) -> bool:
        if self._free < 1:
            return False
        return holder is None or self.per_holder is None or self._held[holder] < self.per_holder

    @contextmanager
    def enter(self, holder: Hashable | None = None) -> Iterator[None]:
        """Hold a place for the ``with`` block (as ``holder``: counted against ``per_holder``); :class:`Busy`
        when none frees up within ``wait_s``."""
        deadline = time.monotonic() + self.wait_s
        with self._changed:
            while not self._admits(holder):
                left = deadline - time.monotonic()
                if left <= 0:
                    mine = holder is not None and self.per_holder is not None and self._free > 0
                    raise Busy(self.name, self.retry_after_s, mine)
                self._changed.wait(left)
            self._free -= 1
            if holder is not None:
                self._held[holder] += 1
        try:
            yield
        finally:
            with self._changed:
                self._free += 1
                if holder is not None:
                    self._held[holder] -= 1
                    if self._held[holder] <= 0:
                        del self._held[holder]
                self._changed.notify_all()
