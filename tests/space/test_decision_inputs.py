"""The value to decide on never ends in a traceback: degenerate and defective encounters give a clear ValueError
or a flagged value (issue 19, item 2), for every method."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kompas.space import decision
from kompas.space.probability import Encounter

S1 = np.array([7000e3, 0.0, 0.0, 0.0, 7546.0, 0.0])
S2 = np.array([7000e3, 30.0, 0.0, 0.0, 0.0, 7546.0])  # a 30 m miss, crossing at right angles
COV = np.diag([100.0, 400.0, 100.0, 0.01, 0.04, 0.01]) ** 1


@pytest.mark.parametrize("method", decision.METHODS)
def test_no_relative_speed_is_a_clear_error(method: str) -> None:
    still = Encounter(S1, S1 + np.array([30.0, 0, 0, 0, 0, 0]), COV, COV)
    try:
        value = decision.evaluate(method, still, 10.0, max_samples=20_000)
    except ValueError as error:
        assert str(error)
    else:  # the time-domain methods (Hall's, the two-body Monte Carlo) have an answer for co-moving objects
        assert method in ("nc2d", "nc3d", "mc")
        assert (value.pc is not None and 0.0 <= value.pc <= 1.0) or (value.pc is None and "pc_undefined" in value.flags)


@pytest.mark.parametrize("method", ["auto", "foster", "chan", "nc2d", "nc3d"])
def test_a_zero_miss_distance_gives_a_probability(method: str) -> None:
    through = Encounter(S1, np.concatenate([S1[:3], S2[3:]]), COV, COV)
    value = decision.evaluate(method, through, 10.0, max_samples=20_000)
    assert value.pc is not None and math.isfinite(value.pc) and 0.0 < value.pc <= 1.0


@pytest.mark.parametrize("method", decision.METHODS)
def test_a_missing_covariance_names_the_object(method: str) -> None:
    with pytest.raises(ValueError, match="OBJECT2 has no covariance"):
        decision.evaluate(method, Encounter(S1, S2, COV, None), 10.0)


@pytest.mark.parametrize("method", ["auto", "foster", "nc3d"])
def test_a_non_positive_definite_covariance_is_repaired_and_flagged(method: str) -> None:
    bad = COV.copy()
    bad[0, 1] = bad[1, 0] = 400.0  # |rho| > 1: an eigenvalue below zero
    assert np.linalg.eigvalsh(bad)[0] < 0
    value = decision.evaluate(method, Encounter(S1, S2, bad, COV), 10.0, max_samples=20_000)
    assert "covariance_remediated" in value.flags and value.pc is not None and 0.0 <= value.pc <= 1.0
