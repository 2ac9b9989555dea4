"""Cumulative Pc over independent encounters, against exact decimal arithmetic."""

from __future__ import annotations

from decimal import Decimal, getcontext

import pytest

from kompas.space.probability import cumulative


def _exact(pcs: list[float]) -> float:
    getcontext().prec = 60
    survive = Decimal(1)
    for p in pcs:
        survive *= Decimal(1) - Decimal(p)
    return float(Decimal(1) - survive)


@pytest.mark.parametrize("pcs", [[0.5, 0.5], [1e-4, 3e-5, 2.2e-4], [1e-12] * 1000, [7.5e-5] * 37 + [1.5e-4],
                                 [0.3, 1e-9, 0.999]])
def test_cumulative_pc_is_one_minus_the_product_of_the_survivals(pcs: list[float]) -> None:
    assert cumulative(pcs) == pytest.approx(_exact(pcs), rel=1e-12)


def test_small_probabilities_keep_their_digits_where_the_naive_product_loses_them() -> None:
    naive = 1.0
    for _ in range(1000):
        naive *= 1.0 - 1e-15
    assert abs((1.0 - naive) / 1e-12 - 1) > 1e-4  # the naive product is off by more than 1e-4 relative
    assert cumulative([1e-15] * 1000) == pytest.approx(1e-12, rel=1e-12)


def test_unknown_values_count_as_zero_and_certainty_stays_certain() -> None:
    assert cumulative([None, 1e-4, None]) == pytest.approx(1e-4, rel=1e-15)
    assert cumulative([]) == 0.0 and cumulative([None]) == 0.0
    assert cumulative([1e-3, 1.0]) == 1.0
    for bad in (-1e-9, 1.5, float("nan")):
        with pytest.raises(ValueError):
            cumulative([bad])
