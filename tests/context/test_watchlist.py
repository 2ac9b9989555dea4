"""The climate-security watchlist on the real data: ranking, explanations, editions and their changes."""

from __future__ import annotations

import math
from datetime import date

import pytest

from kompas.context import watchlist
from kompas.context.ndgain import NdGain
from kompas.context.releases import released
from kompas.context.watchlist import Watchlist, WatchlistInputs

from .conftest import need_shared


@pytest.fixture(scope="module")
def inputs() -> WatchlistInputs:
    need_shared()
    from kompas.context import load

    return load.watchlist_inputs()


@pytest.fixture(scope="module")
def editions(inputs: WatchlistInputs) -> dict[int, Watchlist]:
    return {e.year: e for e in watchlist.editions(inputs, [2021, 2022, 2023])}


def test_deterministic(inputs: WatchlistInputs, editions: dict[int, Watchlist]) -> None:
    again = watchlist.build(inputs, 2022, editions[2021])
    assert again.as_dict() == editions[2022].as_dict()
    rows = editions[2022].rows
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    pairs = zip(rows, rows[1:], strict=False)
    assert all(a.score > b.score or (a.score == b.score and a.iso3 < b.iso3) for a, b in pairs)


def test_crises_top_decile_and_calm_countries_at_the_bottom(editions: dict[int, Watchlist]) -> None:
    edition = editions[2022]
    decile = {r.iso3 for r in watchlist.top_decile(edition)}
    assert len(decile) == math.ceil(len(edition.rows) / 10) == 19
    # countries at war with high vulnerability and phase 3+ shares around 2022
    assert {"SOM", "YEM", "SDN", "SSD", "AFG"} <= decile, sorted(decile)
    bottom = [r.iso3 for r in edition.rows[-10:]]
    assert "NOR" in bottom and "FIN" in bottom, bottom
    norway = edition.row("NOR")
    assert norway is not None and norway.score < 5 and norway.component("conflict").value == 0


def test_components_and_explanations(editions: dict[int, Watchlist]) -> None:
    edition = editions[2022]
    for row in edition.rows:
        assert row.score == pytest.approx(sum(c.contribution for c in row.components), abs=1e-6)
        assert sum(c.weight for c in row.components) == pytest.approx(1.0)
        assert all(0.0 <= c.value <= 1.0 for c in row.components)
        largest = row.largest()
        assert f"driven most by {largest.label} (" in row.explanation, row.explanation
        assert row.explanation.startswith(f"{row.name} ranks {row.rank} ")
    yemen = edition.row("YEM")
    assert yemen is not None
    assert {c.key: c.data for c in yemen.components} == {
        "vulnerability": "ND-GAIN 2020", "readiness": "ND-GAIN 2020",
        "food": "IPC analysis 2022-08 (Acute Food Insecurity October 2022 (Proj. update))",
        "conflict": "UCDP 2017-2021"}
    south_sudan = edition.row("SSD")  # ND-GAIN does not score it: ranked on food and conflict only
    assert south_sudan is not None and south_sudan.missing == ("vulnerability", "readiness")
    assert "ND-GAIN does not score South Sudan" in south_sudan.explanation
    assert edition.data == {"ndgain": "2020", "ucdp": "2017-2021", "ipc": "analyses dated 2020-01 to 2022-11"}


def test_edition_uses_only_data_available_then(inputs: WatchlistInputs) -> None:
    edition = watchlist.build(inputs, 2020)
    for row in edition.rows:
        for component in row.components:
            if component.key == "food" and component.raw is not None:
                assert component.data.startswith(("IPC analysis 2018", "IPC analysis 2019", "IPC analysis 2020"))
    ukraine = edition.row("UKR")
    assert ukraine is not None and "in 2019" in ukraine.component("conflict").detail
    with pytest.raises(ValueError, match="edition 2025 needs UCDP conflict-years up to 2024: the data end with 2023"):
        watchlist.build(inputs, 2025)
    with pytest.raises(ValueError, match="editions run from 1997"):
        watchlist.build(inputs, 1996)
    assert watchlist.last_edition(inputs) == 2024  # ND-GAIN and UCDP end with 2023: UCDP's release bounds it
    empty = WatchlistInputs(NdGain(), [], [])
    with pytest.raises(ValueError, match="ND-GAIN"):
        watchlist.build(empty, 2022)


def test_changes_are_consistent(editions: dict[int, Watchlist]) -> None:
    for year in (2022, 2023):
        previous, current = editions[year - 1], editions[year]
        changes = current.changes
        assert changes is not None and changes.previous_year == year - 1
        before = {r.iso3 for r in previous.top(changes.top_n)}
        after = {r.iso3 for r in current.top(changes.top_n)}
        assert set(changes.entered) == after - before and set(changes.left) == before - after
        assert len(changes.entered) == len(changes.left)
        rank_before = {r.iso3: r.rank for r in previous.rows}
        rank_after = {r.iso3: r.rank for r in current.rows}
        for move in changes.moved_up:
            assert move.rank < move.previous_rank == rank_before[move.iso3] and rank_after[move.iso3] == move.rank
        for move in changes.moved_down:
            assert move.rank > move.previous_rank == rank_before[move.iso3] and rank_after[move.iso3] == move.rank
        stayed = {m.iso3 for m in changes.moved_up + changes.moved_down}
        unchanged = {c for c in after & before if rank_before[c] == rank_after[c]}
        assert stayed | unchanged == after & before and not stayed & unchanged
    assert editions[2023].changes is not None and editions[2023].changes.entered, "2023 sees movement at the top"
    assert editions[2021].changes is None


def test_sources_and_json(editions: dict[int, Watchlist]) -> None:
    import json

    document = json.loads(json.dumps(editions[2023].as_dict()))
    assert [s["key"] for s in document["sources"]] == ["ndgain", "ipc", "ucdp", "kompas"]
    assert "CC BY 4.0" in str(document["sources"]) and "ND-GAIN" in str(document["sources"])
    assert document["method"]["weights"] == watchlist.WEIGHTS
    assert document["changes"]["previous_year"] == 2022 and document["year"] == 2023
    assert len(document["rows"]) == len(editions[2023].rows) > 180


def _year(data: str) -> int:
    """The last year in a component's ``data`` ("ND-GAIN 2020", "UCDP 2017-2021")."""
    return int(data.split()[-1].split("-")[-1])


@pytest.mark.parametrize("year", [2019, 2022, 2024])
def test_an_edition_reads_only_what_was_released_by_its_date(inputs: WatchlistInputs, year: int) -> None:
    """The real inputs: every component of every row is dated by its source's release (ND-GAIN year y public from
    1 January y+2, UCDP year y from 1 July y+1, IPC from its analysis date; written out here, not read from
    kompas.context.releases) on or before 31 December of the edition's year, and the latest such year is used."""
    as_of = date(year, 12, 31)
    edition = watchlist.build(inputs, year)
    release = {"ndgain": lambda y: date(y + 2, 1, 1), "ucdp": lambda y: date(y + 1, 7, 1)}
    assert released("ndgain", year - 2) == release["ndgain"](year - 2) <= as_of < release["ndgain"](year - 1)
    assert released("ucdp", year - 1) == release["ucdp"](year - 1) <= as_of < release["ucdp"](year)
    seen: dict[str, set[int]] = {"vulnerability": set(), "readiness": set(), "conflict": set()}
    analyses = 0
    for row in edition.rows:
        for c in row.components:
            if c.key in ("vulnerability", "readiness"):
                seen[c.key].add(_year(c.data))
            elif c.key == "conflict":
                seen["conflict"].add(_year(c.data))
            elif c.raw is not None:  # food with an IPC analysis: "IPC analysis 2022-08 (...)"
                month = c.data.split()[2]
                assert date(int(month[:4]), int(month[5:7]), 1) <= as_of, c.data
                analyses += 1
    assert seen == {"vulnerability": {year - 2}, "readiness": {year - 2}, "conflict": {year - 1}}, seen
    assert edition.data["ndgain"] == str(year - 2) and edition.data["ucdp"] == f"{year - 5}-{year - 1}"
    assert analyses > 10 or year < 2019, "IPC analyses dated by the edition are used"
    conflict_years = {r.year for r in inputs.conflicts}
    nd_years = {y for (_, y) in inputs.ndgain.indices["vulnerability"]}
    assert year - 1 in nd_years and (year >= 2024 or year in conflict_years), "later data exist and stay out"
