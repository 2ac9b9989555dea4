"""Findings a specialist knows from these data, computed by Kompas and checked against the published figures:
USGS Mineral Commodity Summaries 2026 (China ~99% of low-purity gallium) and the CSET/ETO semiconductor supply-chain
dataset (the Netherlands and Japan in lithography, Japan in photoresists, Taiwan in fabrication)."""

from __future__ import annotations

import pytest

from kompas.files import load_supply
from kompas.observatory.metrics import assess, assess_input, hhi, roll_up, trends

from .conftest import SAMPLE


def test_hhi_units() -> None:
    assert hhi([100.0]) == 10_000 and hhi([50.0, 50.0]) == 5_000 and hhi([]) == 0


def test_gallium_is_a_chinese_single_point_of_failure_from_the_shipped_usgs_sample(config) -> None:
    """USGS MCS 2026: China produced 900 t of the 909 t of low-purity gallium the country rows list in 2025 ("99%"
    in the USGS text). It must rank first, high risk, a single point of failure outside the like-minded group."""
    chain, rejections, _ = load_supply([SAMPLE], config)
    assert rejections == []
    deps = assess(chain, config)
    gallium = deps[0]
    assert gallium.input_id == "gallium" and gallium.year == 2025
    assert gallium.country_shares["CHN"] == pytest.approx(100 * 900_000 / 909_000)
    assert round(gallium.country_shares["CHN"]) == 99
    assert (gallium.single_point, gallium.risk, gallium.eu_share_pct) == ("CHN", "high", 0.0)
    assert "single_point_of_failure" in gallium.flags and "outside_like_minded" in gallium.flags
    # rare earths: China's mine production share (USGS: 270,000 of 390,000 t REO in 2025e) is large but not 80%
    rare = next(d for d in deps if d.input_id == "rare-earths")
    assert 60 < rare.country_shares["CHN"] < 75 and rare.single_point is None


def test_lithography_netherlands_and_japan(chain, config) -> None:
    litho = assess_input(chain, "N19", config)
    assert (litho.country_shares["NLD"], litho.country_shares["JPN"]) == (81.5, 15.0)
    assert litho.top_country == "NLD" and litho.single_point == "NLD"
    euv = assess_input(chain, "N20", config)
    assert euv.country_shares == {"NLD": 100.0} and euv.company_shares == {"ASML": 100.0}
    # one Dutch company is a fragility (medium) but scores below every single point held outside the EU
    assert euv.eu_share_pct == 100.0 and euv.risk == "medium" and euv.flags[:2] == ("concentrated_supply",
                                                                                     "single_point_of_failure")
    outside = [d.score for d in assess(chain, config) if d.single_point and d.eu_share_pct == 0]
    assert outside and euv.score < min(outside)


def test_photoresists_japan_leads_the_named_providers(chain, config) -> None:
    """CSET names photoresist providers without shares: no score is guessed, and Japan heads the count (JSR, Shin-Etsu,
    Tokyo Ohka Kogyo, Fujifilm, Sumitomo)."""
    resists = assess_input(chain, "N31", config)
    assert resists.basis == "named" and resists.score is None
    assert max(resists.named_countries, key=resists.named_countries.get) == "JPN"
    assert resists.named_countries["JPN"] == 5


def test_taiwan_in_fabrication(chain, config) -> None:
    """CSET (2022 fab capacity): China 24%, Taiwan 18%, Japan and Korea 17%; Taiwan is a like-minded supplier."""
    fab = assess_input(chain, "S2", config)
    ranked = sorted(((v, c) for c, v in fab.country_shares.items() if c != "ZZZ"), reverse=True)
    assert [c for _, c in ranked[:2]] == ["CHN", "TWN"] and fab.country_shares["TWN"] == 18.0
    assert config.group_of("TWN") == "like_minded"


def test_roll_up_reaches_the_finished_chip(chain, config) -> None:
    deps = assess(chain, config)
    chip = next(t for t in roll_up(chain, deps) if t.technology_id == "N99")
    assert "N20" in chip.inputs and "N19" in chip.inputs  # EUV and lithography tools go into the finished chip
    assert chip.worst_score == max(d.score for d in deps if d.input_id in chip.inputs)


def test_lithium_trend_from_two_sources(chain, config, shared_dirs) -> None:
    """Lithium shares in 2022 (USGS via Busch et al.) and 2025 (MCS 2026): Australia's change in points is the
    difference of the two shares computed by hand from the files."""
    import csv

    rows = list(csv.DictReader((shared_dirs[2] / "usgs_lithium_mine_production_by_country_2022_2023.csv").open()))
    y2022 = {r["Country"]: float(r["USGS_production"]) for r in rows if r["Year"] == "2022"}
    aus_2022 = 100 * y2022["Australia"] / sum(y2022.values())
    mcs = [r for r in csv.DictReader((shared_dirs[1] / "usgs_mcs2026_world_production_selected.csv").open())
           if r["commodity"] == "lithium"]
    world = next(float(r["production_2025e"]) for r in mcs if r["country"].startswith("World total"))
    aus_2025 = 100 * next(float(r["production_2025e"]) for r in mcs if r["country"] == "Australia") / world
    lithium = next(t for t in trends(chain, config) if t.input_id == "lithium")
    assert (lithium.first_year, lithium.last_year) == (2022, 2025)
    assert lithium.changes["AUS"] == pytest.approx(aus_2025 - aus_2022)
