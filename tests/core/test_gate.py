"""The concurrency gate of the analyses a request may run (:mod:`kompas.core.gate`)."""

from __future__ import annotations

import threading

import pytest

from kompas.core.gate import Busy, Gate


def test_a_full_gate_refuses_with_retry_after_and_frees_its_place() -> None:
    gate = Gate("trade spaces", slots=1, wait_s=0.0, retry_after_s=3)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with gate.enter():
            holding.set()
            release.wait()

    worker = threading.Thread(target=hold)
    worker.start()
    holding.wait()
    with pytest.raises(Busy, match="trade spaces") as refused, gate.enter():
        pass
    assert refused.value.retry_after_s == 3
    release.set()
    worker.join()
    with gate.enter():  # the place is free again, also after an exception inside the block
        pass
    with pytest.raises(KeyError), gate.enter():
        raise KeyError("inside")
    with gate.enter():
        pass


def test_two_slots_admit_two() -> None:
    gate = Gate("x", slots=2, wait_s=0.0)
    with gate.enter(), gate.enter(), pytest.raises(Busy), gate.enter():
        pass
    with pytest.raises(ValueError):
        Gate("x", slots=0)


def test_one_holder_holds_at_most_per_holder_places() -> None:
    """Review #9 of session 38: one user looping heavy requests held the single place. With ``per_holder`` a holder
    takes at most that many places; others still find one."""
    gate = Gate("rankings", slots=2, wait_s=0.0, per_holder=1)
    with gate.enter(holder=7):
        with pytest.raises(Busy, match="you are already computing as many rankings as one user may"), \
                gate.enter(holder=7):
            pass
        with gate.enter(holder=8), pytest.raises(Busy, match="the server is computing as many rankings"), \
                gate.enter(holder=9):  # another user gets the second place; a third finds none
            pass
        with gate.enter():  # an anonymous caller is limited by the places only
            pass
    with gate.enter(holder=7), gate.enter(holder=8):  # the places are free again
        pass
    for bad in ({"slots": 2, "per_holder": 0}, {"slots": 2, "per_holder": 3}):
        with pytest.raises(ValueError):
            Gate("x", **bad)  # type: ignore[arg-type]


def test_a_holder_waiting_for_its_own_place_gets_it_when_freed() -> None:
    gate = Gate("x", slots=2, wait_s=30.0, per_holder=1)
    holding, release, entered = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        with gate.enter(holder="a"):
            holding.set()
            release.wait()

    worker = threading.Thread(target=hold)
    worker.start()
    holding.wait()

    def second() -> None:
        with gate.enter(holder="a"):
            entered.set()

    waiter = threading.Thread(target=second)
    waiter.start()
    with gate.enter(holder="b"):  # the free place is not taken by "a"'s waiting request
        assert not entered.is_set()
    release.set()
    worker.join()
    waiter.join()
    assert entered.is_set()
