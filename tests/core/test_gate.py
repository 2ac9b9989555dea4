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
