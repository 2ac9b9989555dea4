"""Readers report bad rows precisely and keep the good ones; the configuration drives groups and the score; the
mitigation rules cite the roadmap correctly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompas.compass.register import quote_problem
from kompas.files import load_supply
from kompas.observatory.config import ConfigError
from kompas.observatory.load import CONFIG, load_config, load_mitigations
from kompas.observatory.metrics import assess_input
from kompas.observatory.mitigations import KIND_FLAGS, propose
from kompas.observatory.sources import parse_own

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
OWN = """input_id,input_name,input_kind,provider,provider_kind,country,share_pct,year,source,goes_into
ge,Germanium,raw_material,China,country,,83,2024,own survey,ir-optics
ge,Germanium,raw_material,Russia,country,,5,2024,own survey,
ge,Germanium,raw_material,Belgium,country,,12,2024,own survey,
ge,Germanium,raw_material,Atlantis,country,,10,2024,own survey,
ge,Germanium,raw_material,Umicore,company,BEL,140,2024,own survey,
ge,Germanium,raw_material,Umicore,company,BEL,12,20x4,own survey,
ir-optics,Infrared optics,technology,Umicore,company,Belgium,,2024,own survey,
ir-optics,Infrared optics,gadget,Umicore,company,BEL,,2024,own survey,
"""


def test_own_csv_keeps_good_rows_and_reports_bad_ones(config) -> None:
    chain, bad = parse_own(OWN, config, "own.csv")
    assert [(r.line, r.field, r.reason, r.value) for r in bad] == [
        (5, "provider", "unknown country", "Atlantis"),
        (6, "share_pct", "not a percentage (outside 0-100)", "140"),
        (7, "year", "not a year", "20x4"),
        (9, "input_kind", "not one of design, material, output, process, raw_material, stage, technology, tool",
         "gadget"),
    ]
    assert str(bad[0]) == "own.csv:5: provider: unknown country (got 'Atlantis')"
    germanium = assess_input(chain, "ge", config)
    assert germanium.country_shares == {"CHN": 83.0, "RUS": 5.0, "BEL": 12.0}
    assert germanium.eu_share_pct == 12.0 and germanium.single_point == "CHN"
    assert chain.upstream("ir-optics") == {"ge"}
    assert parse_own("name,share\nx,1\n", config, "x.csv")[1][0].field == "input_id"


def test_cset_rows_with_unknown_ids_are_rejected(tmp_path, cset_dir, config) -> None:
    for name in ("inputs.csv", "stages.csv", "sequence.csv", "providers.csv"):
        (tmp_path / name).write_text((cset_dir / name).read_text())
    provision = (cset_dir / "provision.csv").read_text().splitlines()
    provision[1:1] = ["Nobody,P9999,Lithography tools,N19,10,2025,x", "ASML,P184,Nowhere,N9999,10,2025,x",
                      "ASML,P184,Lithography tools,N19,ten,2025,x"]
    (tmp_path / "provision.csv").write_text("\n".join(provision) + "\n")
    chain, bad, _ = load_supply([tmp_path], config)
    assert [(r.line, r.field, r.reason) for r in bad] == [(2, "provider_id", "no such provider"),
                                                          (3, "provided_id", "no such input or stage"),
                                                          (4, "share_provided", "not a number")]
    assert assess_input(chain, "N19", config).country_shares["NLD"] == 81.5  # the good rows still count


def test_configured_groups_and_weights_change_the_answer(tmp_path, config) -> None:
    chain, _ = parse_own(OWN, config, "own.csv")
    text = CONFIG.read_text()
    custom = tmp_path / "custom.yaml"
    custom.write_text(text.replace("like_minded: [USA,", "like_minded: [CHN, USA,").replace(
        "weights: {concentration: 0.25, outside_like_minded: 0.35", "weights: {concentration: 0.25, "
        "outside_like_minded: 0.0"))
    other = load_config(custom)
    before, after = assess_input(chain, "ge", config), assess_input(chain, "ge", other)
    assert before.outside_share_pct == pytest.approx(88.0) and after.outside_share_pct == pytest.approx(5.0)
    assert after.score < before.score
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("high: 0.60", "hi: 0.60"))
    with pytest.raises(ConfigError, match="thresholds.high: missing"):
        load_config(broken)


def test_country_names_resolve(config) -> None:
    names = {"China": "CHN", "Korea, Republic of": "KOR", "Burma": "MMR", "Congo (Kinshasa)": "COD",
             "Russia": "RUS", "Netherlands": "NLD", "TWN": "TWN", "EUR": "EUR", "Various countries": "ZZZ"}
    assert {n: config.code(n) for n in names} == names
    assert config.code("Atlantis") is None


def test_mitigation_rules_cite_the_roadmap_and_cover_the_kinds() -> None:
    rules = load_mitigations()
    assert len(rules) >= 12 and len({r.id for r in rules}) == len(rules)
    names = " ".join(r.name for r in rules).lower()
    for expected in ("defence fund", "horizon", "chips", "ipcei", "screening", "trade and technology"):
        assert expected in names, expected
    covered = set().union(*(r.addresses for r in rules))
    assert {"raw_material", "concentrated_supply", "outside_like_minded", "single_point_of_failure",
            "foreign_control"} <= covered
    gallium_flags = ("concentrated_supply", "outside_like_minded", "single_point_of_failure", "low_eu_share",
                     "raw_material")
    assert any("raw_material" in r.addresses for r in propose(gallium_flags, rules, limit=3))
    assert KIND_FLAGS & covered
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS}")
    texts = {p.name: p.read_text().split("\n") for p in SEEDS.glob("*.txt")}
    problems = [(r.id, quote_problem(p, texts[p.source])) for r in rules for p in r.cite
                if quote_problem(p, texts[p.source])]
    assert problems == []
