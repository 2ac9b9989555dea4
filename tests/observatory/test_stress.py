"""Stress tests are exact: the loss of each input equals the share computed by hand from provision.csv."""

from __future__ import annotations

import csv

import pytest

from kompas.observatory.stress import stress, technologies_hit


def _hand(cset_dir, provider_name: str, input_id: str) -> float:
    """The share of ``provider_name`` in ``input_id`` read straight from CSET's provision.csv."""
    rows = [r for r in csv.DictReader((cset_dir / "provision.csv").open())
            if r["provider_name"] == provider_name and r["provided_id"] == input_id]
    assert len(rows) == 1
    return float(rows[0]["share_provided"])


def test_removing_the_netherlands_matches_the_hand_computed_losses(chain, config, cset_dir) -> None:
    losses = {x.input_id: x for x in stress(chain, ["NLD"], config)}
    for input_id in ("N20", "N19", "N21"):  # EUV, all lithography, ArF dry DUV lithography tools
        assert losses[input_id].supply_lost_pct == _hand(cset_dir, "NLD", input_id), input_id
    assert losses["N20"].supply_lost_pct == 100.0
    assert "N99" in losses["N20"].technologies  # the finished logic chip loses a critical input
    hit = dict(technologies_hit(list(losses.values())))
    assert hit["N99"] == sum("N99" in x.technologies for x in losses.values()) >= 5


def test_company_and_country_removals(chain, config, cset_dir) -> None:
    asml = {x.input_id: x.supply_lost_pct for x in stress(chain, ["company:ASML"], config)}
    assert asml["N19"] == _hand(cset_dir, "ASML", "N19") == 81.5
    both = {x.input_id: x.supply_lost_pct for x in stress(chain, ["NLD", "company:ASML"], config)}
    assert both["N19"] == 81.5  # ASML is Dutch: not counted twice
    half = {x.input_id: x.supply_lost_pct for x in stress(chain, ["NLD"], config, cut_pct=50)}
    assert half["N19"] == pytest.approx(81.5 / 2)
    taiwan = {x.input_id: x.supply_lost_pct for x in stress(chain, ["TWN"], config)}
    assert taiwan["S2"] == 18.0
    with pytest.raises(ValueError, match="cut"):
        stress(chain, ["NLD"], config, cut_pct=0)


def test_losses_are_ranked_and_bounded(chain, config) -> None:
    losses = stress(chain, ["CHN", "USA", "JPN"], config)
    assert [x.supply_lost_pct for x in losses] == sorted((x.supply_lost_pct for x in losses), reverse=True)
    assert all(0 < x.supply_lost_pct <= 100 for x in losses)
