"""ACH boards: scores, ties, diagnosticity, sensitivity to single items, validation and JSON."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kompas.intel.ach import (
    RATINGS,
    Board,
    Evidence,
    Hypothesis,
    critical,
    diagnosticity,
    inconsistency,
    leaders,
    matrix,
    order,
    ranking,
    rating,
    sensitivity,
)
from kompas.intel.model import Citation, cited_ids

# Three hypotheses, five items (Heuer's layout: hypotheses across, evidence down). Plain scores: H1 = 1 + 2 = 3,
# H2 = 1, H3 = 2 + 1 = 3 (E4's "II" against H3 and E5's "I").
ROWS = {"E1": ("C", "C", "C"),    # consistent with all: not diagnostic
        "E2": ("I", "C", "N"),
        "E3": ("II", "I", "C"),
        "E4": ("C", "C", "II"),
        "E5": ("NA", "", "I")}    # one cell unrated


def board(rows=ROWS, **levels) -> Board:
    hyps = tuple(Hypothesis(h, f"hypothesis {h}") for h in ("H1", "H2", "H3"))
    evidence = tuple(Evidence(e, f"item {e}", *levels.get(e, ("medium", "medium")),
                              citation=Citation("report", e.lower())) for e in rows)
    ratings = {(e, h): r for e, row in rows.items() for h, r in zip(("H1", "H2", "H3"), row, strict=True) if r}
    return Board(hyps, evidence, ratings, "test board")


def test_scores_and_ranking_with_ties():
    b = board()
    assert inconsistency(b) == {"H1": 3.0, "H2": 1.0, "H3": 3.0}
    assert ranking(b) == [(1, "H2", 1.0), (2, "H1", 3.0), (2, "H3", 3.0)]
    assert order(inconsistency(b)) == (("H2",), ("H1", "H3"))
    assert leaders({"a": 1.0, "b": 1.0, "c": 2.0}) == ("a", "b")
    assert leaders({}) == ()


def test_weighted_scores():
    b = board(E3=("low", "high"), E4=("high", "high"))
    # E3: weight 0.5 x 2 = 1 -> H1 2, H2 1; E4: weight 4 -> H3 8
    assert inconsistency(b, weighted=True) == {"H1": 1.0 + 2.0, "H2": 1.0, "H3": 8.0 + 1.0}
    custom = {"high": 3.0, "medium": 1.0, "low": 0.0}
    assert inconsistency(b, weighted=True, weights=custom)["H1"] == 1.0  # E3 weighs 0 x 3


def test_diagnosticity():
    found = {d.evidence: d for d in diagnosticity(board())}
    assert not found["E1"].diagnostic and found["E1"].uniform and found["E1"].spread == 0
    assert found["E3"].spread == 2 and found["E3"].diagnostic and not found["E3"].uniform
    assert found["E4"].spread == 2
    all_ii = board({"E1": ("II", "II", "II"), "E2": ("CC", "C", "CC")})
    spread = {d.evidence: (d.spread, d.uniform) for d in diagnosticity(all_ii)}
    assert spread == {"E1": (0.0, True), "E2": (0.0, False)}  # inconsistent with all alike: no help either


def test_sensitivity_to_single_items():
    b = board()
    found = {s.evidence: s for s in sensitivity(b)}
    assert found["E1"].scores == inconsistency(b) and not found["E1"].changes_order
    # without E3, H1 drops to 1 and ties H2 for the lead
    assert found["E3"].scores == {"H1": 1.0, "H2": 0.0, "H3": 3.0}
    assert found["E3"].leaders == ("H2",) and not found["E3"].changes_leader and found["E3"].changes_order
    # without E2 (H1's "I"), H1 = 2 and H3 = 3: the H1/H3 tie breaks
    assert found["E2"].changes_order and not found["E2"].changes_leader
    # without E4 (H3's "II"), H3 = 1 ties H2: the lead is shared, which counts as a change
    assert found["E4"].leaders == ("H2", "H3") and found["E4"].changes_leader
    assert critical(b) == ["E4"]
    close = board({"E1": ("I", "C", "C"), "E2": ("C", "II", "I"), "E3": ("C", "I", "C")})
    # H1 = 1, H2 = 3, H3 = 1 (H1 and H3 lead): without E1 H1 leads alone, without E2 H3 does; E3 only moves H2
    assert leaders(inconsistency(close)) == ("H1", "H3")
    assert critical(close) == ["E1", "E2"]
    assert [s.leaders for s in sensitivity(close)] == [("H1",), ("H3",), ("H1", "H3")]


def test_sensitivity_equals_recomputing_without_the_item():
    b = board(E2=("high", "low"), E4=("low", "high"))
    for s in sensitivity(b, weighted=True):
        assert s.scores == pytest.approx(inconsistency(b.without(s.evidence), weighted=True), abs=1e-12)


def test_rating_spellings():
    assert [rating(t) for t in ("I I", "ii", "Very Inconsistent", "c c", "N/A", "n", "")] == \
        ["II", "II", "II", "CC", "NA", "N", ""]
    with pytest.raises(ValueError, match="not a rating"):
        rating("maybe")


def test_board_problems():
    b = board()
    assert b.problems() == []
    bad = replace(b, ratings={**b.ratings, ("E9", "H1"): "I", ("E1", "H7"): "C", ("E2", "H2"): "X"})
    assert sorted(f for f, _ in bad.problems()) == ["ratings[E1][H7]", "ratings[E2][H2]", "ratings[E9][H1]"]
    dup = replace(b, hypotheses=(*b.hypotheses, Hypothesis("H1", "again")))
    assert [f for f, _ in dup.problems()] == ["hypotheses[3].id"]
    assert [f for f, _ in replace(b, hypotheses=(), ratings={}).problems()] == ["hypotheses"]
    levels = replace(b, evidence=(replace(b.evidence[0], credibility="certain"),))
    assert "evidence[0].credibility" in [f for f, _ in levels.problems()]


def test_board_json_round_trip_and_links():
    b = board()
    again, problems = Board.from_dict(b.as_dict())
    assert problems == [] and again == b
    assert cited_ids(b)["report"] == ("e1", "e2", "e3", "e4", "e5")
    assert matrix(b)[4] == ["NA", "", "I"]
    parc = b.as_dict()
    parc["ratings"]["E1"] = {"H1": "C C", "H2": "Very Consistent", "H3": "N/A"}
    made, problems = Board.from_dict(parc)
    assert problems == [] and made is not None and made.rating("E1", "H1") == "CC"
    assert made.rating("E1", "H3") == "NA"


def test_board_from_dict_reports_problems():
    data = board().as_dict()
    data["ratings"]["E2"]["H1"] = "maybe"
    data["evidence"][0]["citation"] = {"kind": "rumour", "id": "x"}
    data["hypotheses"].append({"id": True, "text": "x"})
    data["extra"] = 1
    made, problems = Board.from_dict(data)
    assert made is None
    assert sorted(f for f, _ in problems) == ["evidence[0].citation.kind", "extra", "hypotheses[3]",
                                              "ratings[E2][H1]"]
    assert Board.from_dict([]) == (None, [("board", "an object, got list")])


def test_all_ratings_known():
    assert set(RATINGS) == {"CC", "C", "N", "I", "II", "NA"}
