"""The admiralty scale (NATO system): how reliable a source is (A-F) and how credible its information (1-6).

A report is graded by two independent letters: the *source reliability* (A completely reliable, B usually
reliable, C fairly reliable, D not usually reliable, E unreliable, F reliability cannot be judged) and the
*information credibility* (1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful,
5 improbable, 6 truth cannot be judged), written together: ``B2``. The names, descriptions and the 0-100
``numerical_value`` of each code come from the MISP ``admiralty-scale`` taxonomy (bundled in
``kompas/data/cyber/taxonomies/admiralty-scale/machinetag.json``, values spelled in lower case there: ``b``, ``2``),
parsed by :func:`parse_scale`; the codes themselves (:data:`RELIABILITY`, :data:`CREDIBILITY`) are fixed.

The MISP taxonomy adds a seventh reliability value, ``g`` (deliberately deceptive), which is not part of the NATO
scale: Kompas does not accept it as a grade (a source found deceptive is graded E, with the finding in the text).
``F`` and ``6`` mean "cannot be judged", not "middling": their ``numerical_value`` in the taxonomy is 50, but
:func:`weight` gives them no weight of their own.

Pure: the caller reads the taxonomy (:mod:`kompas.intel.load`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.cyber.taxonomy import Taxonomy, TaxonomyError, parse_taxonomy

__all__ = ["CREDIBILITY", "RELIABILITY", "AdmiraltyScale", "Grade", "Level", "grade_problems", "parse_grade",
           "parse_scale"]

RELIABILITY = ("A", "B", "C", "D", "E", "F")  #: source reliability, most reliable first
CREDIBILITY = ("1", "2", "3", "4", "5", "6")  #: information credibility, most credible first
RELIABILITY_PREDICATE = "source-reliability"
CREDIBILITY_PREDICATE = "information-credibility"


@dataclass(frozen=True)
class Level:
    """One code of the scale: ``code`` (``B`` or ``2``), its ``name`` (``Usually reliable``), ``description`` and
    the taxonomy's ``numerical_value`` (0-100, None when absent)."""

    code: str
    name: str
    description: str = ""
    numerical_value: float | None = None


@dataclass(frozen=True)
class Grade:
    """A grade: source reliability (A-F) and information credibility (1-6). ``str()`` is the code, ``B2``."""

    reliability: str
    credibility: str

    @property
    def code(self) -> str:
        """``B2``."""
        return f"{self.reliability}{self.credibility}"

    def __str__(self) -> str:
        return self.code

    def problems(self) -> list[tuple[str, str]]:
        """``(field, reason)`` for each code that is not on the scale (empty when valid)."""
        return grade_problems(self.reliability, self.credibility)


def grade_problems(reliability: object, credibility: object) -> list[tuple[str, str]]:
    """``(field, reason)`` for a reliability not in A-F and a credibility not in 1-6 (capitals; credibility as
    text or a whole number)."""
    out = []
    if not (isinstance(reliability, str) and reliability in RELIABILITY):
        out.append(("reliability", f"source reliability is one of {', '.join(RELIABILITY)} (admiralty scale), "
                                   f"got {reliability!r}"))
    text = str(credibility) if isinstance(credibility, int) and not isinstance(credibility, bool) else credibility
    if not (isinstance(text, str) and text in CREDIBILITY):
        out.append(("credibility", f"information credibility is one of {', '.join(CREDIBILITY)} (admiralty scale), "
                                   f"got {credibility!r}"))
    return out


def parse_grade(text: str) -> tuple[Grade | None, list[tuple[str, str]]]:
    """A grade from its code (``B2``, ``b2``, ``B-2``, ``B 2``): ``(grade, [])``, or ``(None, problems)``."""
    if not isinstance(text, str):
        return None, [("grade", f"an admiralty grade such as B2, got {text!r}")]
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    if len(cleaned) != 2:
        return None, [("grade", f"an admiralty grade is a letter A-F and a digit 1-6, such as B2, got {text!r}")]
    problems = grade_problems(cleaned[0], cleaned[1])
    return (None, problems) if problems else (Grade(cleaned[0], cleaned[1]), [])


@dataclass(frozen=True)
class AdmiraltyScale:
    """The scale's codes with their names and descriptions (from the taxonomy)."""

    reliability: Mapping[str, Level]  #: A-F
    credibility: Mapping[str, Level]  #: 1-6

    def describe(self, grade: Grade | str) -> str:
        """``B2`` -> ``B2: usually reliable source, information probably true``; ``ValueError`` for a bad grade."""
        if isinstance(grade, str):
            parsed, problems = parse_grade(grade)
            if parsed is None:
                raise ValueError("; ".join(reason for _, reason in problems))
            grade = parsed
        source = self.reliability[grade.reliability].name.lower()
        information = self.credibility[grade.credibility].name.lower()
        return f"{grade.code}: source {source}, information {information}"

    def weight(self, grade: Grade) -> float | None:
        """The taxonomy's numerical values of the two codes multiplied, as a fraction of 1 (A1 -> 1.0, B2 ->
        0.5625); None when either code is "cannot be judged" (F or 6) or has no numerical value."""
        if grade.reliability == "F" or grade.credibility == "6":
            return None
        r = self.reliability[grade.reliability].numerical_value
        c = self.credibility[grade.credibility].numerical_value
        return None if r is None or c is None else (r / 100) * (c / 100)


def _levels(tax: Taxonomy, predicate_name: str, codes: tuple[str, ...], source: str) -> dict[str, Level]:
    predicate = tax.predicate(predicate_name)
    if predicate is None:
        raise TaxonomyError(f"{source}: no {predicate_name} predicate")
    found = {e.value.upper(): e for e in predicate.entries}
    missing = [c for c in codes if c not in found]
    if missing:
        raise TaxonomyError(f"{source}: {predicate_name} lacks {', '.join(missing)}")
    return {c: Level(c, found[c].expanded, found[c].description, found[c].numerical_value) for c in codes}


def parse_scale(taxonomy: Taxonomy | Mapping[str, Any], source: str = "admiralty-scale") -> AdmiraltyScale:
    """The scale from an ``admiralty-scale`` taxonomy (parsed, or the decoded JSON of its ``machinetag.json``);
    raises :class:`~kompas.cyber.taxonomy.TaxonomyError` naming ``source`` when a code A-F or 1-6 is missing.
    Codes beyond those (MISP's ``g``) are left out."""
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else parse_taxonomy(taxonomy, source)
    return AdmiraltyScale(_levels(tax, RELIABILITY_PREDICATE, RELIABILITY, source),
                          _levels(tax, CREDIBILITY_PREDICATE, CREDIBILITY, source))
