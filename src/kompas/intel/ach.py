"""Analysis of Competing Hypotheses (ACH): hypotheses against evidence, scored by what refutes them.

Heuer (*Psychology of Intelligence Analysis*, 1999, ch. 8) lays the hypotheses across a matrix and the evidence
down it, rates each item of evidence against each hypothesis, and reads the matrix for what *disconfirms*: the most
likely hypothesis is the one with the least evidence against it, not the most for it. PARC's ACH software (2.0,
with Heuer) and Open Source ACH (Burton/Analysis-of-Competing-Hypotheses on GitHub, which follows it) put numbers
on this, and Kompas follows them:

- **Ratings** (:data:`RATINGS`): ``CC`` very consistent, ``C`` consistent, ``N`` neutral (interpretations
  differ), ``I`` inconsistent, ``II`` very inconsistent, ``NA`` not applicable; a cell may be left unrated.
- **Inconsistency score** of a hypothesis: ``I`` counts 1 point and ``II`` 2, everything else 0, summed over the
  evidence ("only Inconsistent and Very Inconsistent evidence is counted": Open Source ACH's help, after PARC's).
  PARC's program shows the score negated; Kompas keeps it positive: the lower, the less refuted.
- **Weighted inconsistency score**: each item's points multiplied by its *credibility* and *relevance* weights
  (``high``, ``medium``, ``low``: :data:`WEIGHTS`, 2, 1 and 0.5 by default, the credibility weights of Open Source
  ACH's ``High``/``Med``/``Low``; PARC ACH's own multipliers are not published in a form checked here, so the
  weights are a parameter).
- **Diagnosticity** of an item (:func:`diagnosticity`): an item consistent (or inconsistent) with every hypothesis
  alike does not help tell them apart (Heuer's step 3); its *spread* is the largest minus the smallest number of
  (weighted) points it gives the hypotheses: 0 for a non-diagnostic item.
- **Sensitivity** (:func:`sensitivity`, Heuer's step 6): for each single item, the scores without it, and whether
  removing it changes the least-inconsistent hypothesis (or hypotheses, on a tie) or the order of all of them.

A :class:`Board` holds the hypotheses, the evidence (each optionally a :class:`~kompas.intel.model.Citation` of
the report, event or assessment it rests on) and the ratings; ``problems()``, ``as_dict()`` and ``from_dict()``
as in :mod:`kompas.intel.model`.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kompas.intel.fields import MAX_ID, Problem, check_id, check_text
from kompas.intel.model import MAX_JUDGEMENT, MAX_TITLE, Citation

__all__ = ["LEVELS", "POINTS", "RATINGS", "WEIGHTS", "Board", "Diagnosticity", "Evidence", "Hypothesis",
           "Sensitivity", "critical", "diagnosticity", "inconsistency", "leaders", "matrix", "order", "ranking",
           "rating", "sensitivity"]

RATINGS = ("CC", "C", "N", "I", "II", "NA")  #: consistency ratings, most consistent first, then not applicable
POINTS = {"CC": 0, "C": 0, "N": 0, "I": 1, "II": 2, "NA": 0}  #: inconsistency points of a rating
LEVELS = ("high", "medium", "low")  #: credibility and relevance levels
WEIGHTS = {"high": 2.0, "medium": 1.0, "low": 0.5}  #: default multipliers of the levels (Open Source ACH's)
MAX_HYPOTHESES = 20
MAX_EVIDENCE = 300
_SPELLINGS = {"VC": "CC", "C C": "CC", "VI": "II", "I I": "II", "N/A": "NA", "VERY CONSISTENT": "CC",
              "CONSISTENT": "C", "NEUTRAL": "N", "INCONSISTENT": "I", "VERY INCONSISTENT": "II",
              "NOT APPLICABLE": "NA"}


def rating(text: str) -> str:
    """The rating ``text`` spells (``I I``, ``vi``, ``Very Inconsistent`` -> ``II``; "" stays unrated), or
    ``ValueError`` naming the ratings."""
    cleaned = " ".join(text.upper().split())
    if cleaned in RATINGS or cleaned == "":
        return cleaned
    if cleaned in _SPELLINGS:
        return _SPELLINGS[cleaned]
    raise ValueError(f"{text!r} is not a rating (one of {', '.join(RATINGS)}, or empty for unrated)")


@dataclass(frozen=True)
class Hypothesis:
    id: str
    text: str


@dataclass(frozen=True)
class Evidence:
    """An item of evidence or argument: its ``credibility`` and ``relevance`` (:data:`LEVELS`) weigh its points
    in the weighted score; ``citation`` links it to the report, event or assessment it rests on."""

    id: str
    text: str
    credibility: str = "medium"
    relevance: str = "medium"
    citation: Citation | None = None


@dataclass(frozen=True)
class Board:
    """An ACH matrix: ``ratings[(evidence_id, hypothesis_id)]`` is one of :data:`RATINGS` (absent: unrated)."""

    hypotheses: tuple[Hypothesis, ...]
    evidence: tuple[Evidence, ...]
    ratings: Mapping[tuple[str, str], str] = field(default_factory=dict)
    title: str = ""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """What the board's evidence cites (for the marking the storage layer gives the board)."""
        return tuple(e.citation for e in self.evidence if e.citation is not None)

    def rating(self, evidence_id: str, hypothesis_id: str) -> str:
        """The rating of one cell, "" when unrated."""
        return self.ratings.get((evidence_id, hypothesis_id), "")

    def without(self, evidence_id: str) -> Board:
        """The board without one item of evidence (and its ratings)."""
        return Board(self.hypotheses, tuple(e for e in self.evidence if e.id != evidence_id),
                     {k: v for k, v in self.ratings.items() if k[0] != evidence_id}, self.title)

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "title", self.title, MAX_TITLE, required=False)
        if not 1 <= len(self.hypotheses) <= MAX_HYPOTHESES:
            out.append(("hypotheses", f"1 to {MAX_HYPOTHESES} hypotheses (got {len(self.hypotheses)})"))
        if len(self.evidence) > MAX_EVIDENCE:
            out.append(("evidence", f"at most {MAX_EVIDENCE} items (got {len(self.evidence)})"))
        hyp_ids: set[str] = set()
        for i, h in enumerate(self.hypotheses):
            check_id(out, f"hypotheses[{i}].id", h.id)
            check_text(out, f"hypotheses[{i}].text", h.text, MAX_JUDGEMENT, lines=True)
            if h.id in hyp_ids:
                out.append((f"hypotheses[{i}].id", f"{h.id!r} is used twice"))
            hyp_ids.add(h.id)
        ev_ids: set[str] = set()
        for i, e in enumerate(self.evidence):
            where = f"evidence[{i}]"
            check_id(out, f"{where}.id", e.id)
            check_text(out, f"{where}.text", e.text, MAX_JUDGEMENT, lines=True)
            for name in ("credibility", "relevance"):
                if getattr(e, name) not in LEVELS:
                    out.append((f"{where}.{name}", f"one of {', '.join(LEVELS)} (got {getattr(e, name)!r})"))
            if e.citation is not None:
                out.extend((f"{where}.citation.{f}", r) for f, r in e.citation.problems())
            if e.id in ev_ids:
                out.append((f"{where}.id", f"{e.id!r} is used twice"))
            ev_ids.add(e.id)
        for (ev, hyp), value in sorted(self.ratings.items()):
            where = f"ratings[{ev}][{hyp}]"
            if ev not in ev_ids:
                out.append((where, f"no evidence {ev!r} on the board"))
            if hyp not in hyp_ids:
                out.append((where, f"no hypothesis {hyp!r} on the board"))
            if value not in RATINGS:
                out.append((where, f"one of {', '.join(RATINGS)} (got {value!r})"))
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ratings as ``{evidence_id: {hypothesis_id: rating}}`` (rated cells only)."""
        ratings: dict[str, dict[str, str]] = {}
        for (ev, hyp), value in self.ratings.items():
            ratings.setdefault(ev, {})[hyp] = value
        return {"title": self.title,
                "hypotheses": [{"id": h.id, "text": h.text} for h in self.hypotheses],
                "evidence": [{"id": e.id, "text": e.text, "credibility": e.credibility, "relevance": e.relevance,
                              "citation": e.citation.as_dict() if e.citation else None} for e in self.evidence],
                "ratings": ratings}

    @classmethod
    def from_dict(cls, data: object) -> tuple[Board | None, list[Problem]]:
        """A board from its JSON form (:meth:`as_dict`); ratings may be spelled as PARC ACH exports them
        (``I I``, ``C C``, ``N/A``) or in words; ids may be whole numbers."""
        if not isinstance(data, Mapping):
            return None, [("board", f"an object, got {type(data).__name__}")]
        out: list[Problem] = []
        unknown = set(data) - {"title", "hypotheses", "evidence", "ratings"}
        out.extend((key, "unknown field (a board has title, hypotheses, evidence, ratings)") for key in sorted(unknown))
        title = data.get("title", "")
        if not isinstance(title, str):
            out.append(("title", "must be text"))
            title = ""
        hypotheses = []
        raw_h = data.get("hypotheses")
        if not isinstance(raw_h, list):
            out.append(("hypotheses", "a list of {id, text}"))
            raw_h = []
        for i, item in enumerate(raw_h[:MAX_HYPOTHESES + 1]):
            if not (isinstance(item, Mapping) and set(item) <= {"id", "text"} and isinstance(item.get("text"), str)
                    and isinstance(item.get("id"), str | int) and not isinstance(item.get("id"), bool)):
                out.append((f"hypotheses[{i}]", "an object {id, text} (text: text; id: text or a number)"))
                continue
            hypotheses.append(Hypothesis(str(item["id"]), item["text"]))
        evidence = []
        raw_e = data.get("evidence", [])
        if not isinstance(raw_e, list):
            out.append(("evidence", "a list of {id, text, credibility, relevance, citation}"))
            raw_e = []
        for i, item in enumerate(raw_e[:MAX_EVIDENCE + 1]):
            where = f"evidence[{i}]"
            if not (isinstance(item, Mapping) and {"id", "text"} <= set(item)
                    and set(item) <= {"id", "text", "credibility", "relevance", "citation"}
                    and isinstance(item.get("text"), str)
                    and isinstance(item.get("id"), str | int) and not isinstance(item.get("id"), bool)):
                out.append((where, "an object {id, text, credibility, relevance, citation}"))
                continue
            citation = None
            if item.get("citation") is not None:
                citation, problems = Citation._from(item["citation"], f"{where}.citation.")
                out.extend(problems)
            levels = [item.get(name, "medium") for name in ("credibility", "relevance")]
            if not all(isinstance(v, str) for v in levels):
                out.append((where, "credibility and relevance are high, medium or low"))
                continue
            evidence.append(Evidence(str(item["id"]), item["text"], levels[0].lower(), levels[1].lower(), citation))
        ratings: dict[tuple[str, str], str] = {}
        raw_r = data.get("ratings", {})
        if not isinstance(raw_r, Mapping) or not all(isinstance(v, Mapping) for v in raw_r.values()):
            out.append(("ratings", "an object {evidence_id: {hypothesis_id: rating}}"))
            raw_r = {}
        for ev, row in raw_r.items():
            for hyp, value in row.items():
                where = f"ratings[{ev}][{hyp}]"
                try:
                    spelled = rating(value) if isinstance(value, str) else None
                except ValueError as error:
                    out.append((where, str(error)))
                    continue
                if spelled is None:
                    out.append((where, f"a rating is text, one of {', '.join(RATINGS)}"))
                elif spelled:
                    ratings[(str(ev)[:MAX_ID + 1], str(hyp)[:MAX_ID + 1])] = spelled
        if out:
            return None, out
        board = cls(tuple(hypotheses), tuple(evidence), ratings, title)
        problems = board.problems()
        return (None, problems) if problems else (board, [])


def _weight(e: Evidence, weighted: bool, weights: Mapping[str, float]) -> float:
    return weights[e.credibility] * weights[e.relevance] if weighted else 1.0


def _points(board: Board, e: Evidence, weighted: bool, weights: Mapping[str, float]) -> dict[str, float]:
    w = _weight(e, weighted, weights)
    return {h.id: POINTS.get(board.rating(e.id, h.id), 0) * w for h in board.hypotheses}


def inconsistency(board: Board, weighted: bool = False,
                  weights: Mapping[str, float] = WEIGHTS) -> dict[str, float]:
    """Inconsistency score per hypothesis id (points: ``I`` 1, ``II`` 2; ``weighted``: times the item's
    credibility and relevance weights). Lower is less refuted."""
    scores = {h.id: 0.0 for h in board.hypotheses}
    for e in board.evidence:
        for hyp, points in _points(board, e, weighted, weights).items():
            scores[hyp] += points
    return scores


def order(scores: Mapping[str, float]) -> tuple[tuple[str, ...], ...]:
    """Hypotheses grouped by score, least inconsistent group first (ties in one group, ids sorted)."""
    groups: dict[float, list[str]] = {}
    for hyp, score in scores.items():
        groups.setdefault(round(score, 9), []).append(hyp)
    return tuple(tuple(sorted(groups[s])) for s in sorted(groups))


def leaders(scores: Mapping[str, float]) -> tuple[str, ...]:
    """The least-inconsistent hypothesis (several on a tie), ids sorted; () for no hypotheses."""
    grouped = order(scores)
    return grouped[0] if grouped else ()


def ranking(board: Board, weighted: bool = False,
            weights: Mapping[str, float] = WEIGHTS) -> list[tuple[int, str, float]]:
    """``(rank, hypothesis id, score)``, least inconsistent first; ties share a rank (1, 1, 3)."""
    out: list[tuple[int, str, float]] = []
    scores = inconsistency(board, weighted, weights)
    for group in order(scores):
        rank = len(out) + 1
        out.extend((rank, hyp, scores[hyp]) for hyp in group)
    return out


@dataclass(frozen=True)
class Diagnosticity:
    """How much one item of evidence tells the hypotheses apart: ``spread`` = its largest minus its smallest
    (weighted) points over the hypotheses (0: it cannot change the ranking: non-diagnostic); ``uniform``: it is
    rated the same against every hypothesis (unrated cells count as a rating of their own)."""

    evidence: str
    spread: float
    uniform: bool

    @property
    def diagnostic(self) -> bool:
        return self.spread > 0


def diagnosticity(board: Board, weighted: bool = False,
                  weights: Mapping[str, float] = WEIGHTS) -> list[Diagnosticity]:
    """Per item of evidence, in the board's order (sort by ``spread`` to list the most diagnostic first)."""
    out = []
    for e in board.evidence:
        points = _points(board, e, weighted, weights).values()
        spread = (max(points) - min(points)) if points else 0.0
        uniform = len({board.rating(e.id, h.id) for h in board.hypotheses}) <= 1
        out.append(Diagnosticity(e.id, spread, uniform))
    return out


@dataclass(frozen=True)
class Sensitivity:
    """What removing one item of evidence does: the ``scores`` without it, the ``leaders`` without it, and
    whether the least-inconsistent hypothesis (``changes_leader``) or the whole order (``changes_order``) moves."""

    evidence: str
    scores: dict[str, float]
    leaders: tuple[str, ...]
    changes_leader: bool
    changes_order: bool


def sensitivity(board: Board, weighted: bool = False,
                weights: Mapping[str, float] = WEIGHTS) -> list[Sensitivity]:
    """For each single item of evidence (the board's order), the conclusion without it (Heuer's step 6: how
    sensitive the conclusion is to a few critical items)."""
    base = inconsistency(board, weighted, weights)
    base_order, base_leaders = order(base), leaders(base)
    out = []
    for e in board.evidence:
        points = _points(board, e, weighted, weights)
        scores = {hyp: base[hyp] - points[hyp] for hyp in base}
        without = order(scores)
        out.append(Sensitivity(e.id, scores, without[0] if without else (), leaders(scores) != base_leaders,
                               without != base_order))
    return out


def critical(board: Board, weighted: bool = False, weights: Mapping[str, float] = WEIGHTS) -> list[str]:
    """The ids of the items whose removal alone changes the least-inconsistent hypothesis."""
    return [s.evidence for s in sensitivity(board, weighted, weights) if s.changes_leader]


def matrix(board: Board) -> list[list[str]]:
    """The ratings as rows (evidence, board order) of columns (hypotheses, board order); "" for unrated."""
    return [[board.rating(e.id, h.id) for h in board.hypotheses] for e in board.evidence]

