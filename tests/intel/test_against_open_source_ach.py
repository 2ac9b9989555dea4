"""ACH scores against a tool's documented example: Open Source ACH (github.com/Burton/Analysis-of-Competing-Hypotheses,
GPL; the help pages follow PARC ACH 2.0 and Heuer).

Its help page ``help/ach_2.php`` shows ``help/images/samplematrix.png`` as what a rated matrix looks like: four
items of evidence, all "Credible", against two hypotheses, with the scores the program printed under the
hypotheses' names:

=============  ===================  ============
evidence       Hypothesis 1         Hypothesis 2
=============  ===================  ============
Evidence A     Very Inconsistent    N/A
Evidence B     Very Inconsistent    Consistent
Evidence C     Inconsistent         Consistent
Evidence D     Inconsistent         Consistent
score          6                    0
=============  ===================  ============

The rule, ``help/rate_consistency.php``: "Evidence that is Inconsistent (I) counts one point, and Very
Inconsistent (II) counts two points ... only Inconsistent and Very Inconsistent evidence is counted"; the
credibility weight (``code/class_project.php``: points times weight; ``parts/ajax_table.php``: weight 2 is
"High", 1 "Med", 0.5 "Low") multiplies an item's points. Scores are whole or half points: compared exactly.
"""

from __future__ import annotations

from dataclasses import replace

from kompas.intel.ach import Board, Evidence, Hypothesis, diagnosticity, inconsistency, leaders, ranking, rating

SAMPLE = {"A": ("Very Inconsistent", "N/A"), "B": ("Very Inconsistent", "Consistent"),
          "C": ("Inconsistent", "Consistent"), "D": ("Inconsistent", "Consistent")}


def sample_board() -> Board:
    hypotheses = (Hypothesis("H1", "Hypothesis 1"), Hypothesis("H2", "Hypothesis 2"))
    evidence = tuple(Evidence(e, f"Evidence {e}") for e in SAMPLE)
    ratings = {(e, h): rating(value) for e, row in SAMPLE.items() for h, value in zip(("H1", "H2"), row, strict=True)}
    return Board(hypotheses, evidence, ratings, "Open Source ACH sample matrix")


def test_the_published_scores():
    board = sample_board()
    assert board.problems() == []
    assert inconsistency(board) == {"H1": 6.0, "H2": 0.0}
    assert ranking(board) == [(1, "H2", 0.0), (2, "H1", 6.0)]
    assert leaders(inconsistency(board)) == ("H2",)


def test_all_four_items_are_diagnostic():
    assert [(d.evidence, d.spread, d.diagnostic) for d in diagnosticity(sample_board())] == [
        ("A", 2.0, True), ("B", 2.0, True), ("C", 1.0, True), ("D", 1.0, True)]


def test_credibility_weight_multiplies_the_points():
    board = sample_board()
    evidence = (replace(board.evidence[0], credibility="high"), *board.evidence[1:3],
                replace(board.evidence[3], credibility="low"))
    weighted = replace(board, evidence=evidence)
    # 2 x 2 (A, High) + 2 (B) + 1 (C) + 1 x 0.5 (D, Low)
    assert inconsistency(weighted, weighted=True) == {"H1": 7.5, "H2": 0.0}
    assert inconsistency(weighted) == {"H1": 6.0, "H2": 0.0}  # the plain score ignores weights
