"""Intelligence contributions and products: reports, assessments, key judgements, citations, requirements.

- :class:`Report`: a contribution (a member state's report): title, text, the admiralty grade (source reliability
  A-F, information credibility 1-6, :mod:`kompas.intel.grading`), a description of the source, the date of the
  information, and the countries, actors and tags it concerns.
- :class:`Assessment`: an analytic product: title, product line, analyst team, summary, key judgements, the
  :class:`Citation` s it rests on (reports, events, other assessments, analysis boards), the requirement it answers
  and its date.
- :class:`KeyJudgement`: a judgement in ICD 203 words (:mod:`kompas.intel.language`): a likelihood word and a
  confidence level; when it can be checked later, a resolution date and the criterion that decides it; once
  checked, its outcome (True: what it said would happen happened) and the day it was resolved.
- :class:`Requirement`: an intelligence requirement: the question, its owner, due date, priority and status.

Each has ``problems() -> [(field, reason)]`` (empty when valid), ``as_dict()`` (JSON types only) and
``from_dict(d) -> (object, [])`` or ``(None, problems)``. Sizes are bounded (the ``MAX_*`` constants) so that no
stored item can break a listing for others; dates are ISO days, ``YYYY-MM-DD``; texts may not hold control
characters (single-line fields not even line breaks). Nested fields are named with their place:
``key_judgements[2].likelihood``.

Rules beyond the shapes: a judgement's resolution date and criterion go together and the date is after the
assessment's date; an outcome needs a resolution (date and criterion) and the day it was resolved, which is not
before the assessment; an explicit probability lies inside its likelihood word's band. An assessment's marking is
the storage layer's rule (the combination of what it cites: :func:`cited_ids` lists those), not this module's.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kompas.intel.fields import (
    MAX_ID,
    Convert,
    Problem,
    as_code,
    as_optional,
    as_outcome,
    as_probability,
    as_text,
    as_texts,
    check_day,
    check_id,
    check_text,
    check_texts,
    finish,
    nested,
    take,
)
from kompas.intel.grading import Grade, grade_problems, parse_grade
from kompas.intel.language import CONFIDENCE, ICD203, WORDS

__all__ = ["KINDS", "PRIORITIES", "STATUSES", "Assessment", "Citation", "KeyJudgement", "Problem", "Report",
           "Requirement", "cited_ids", "resolve", "MAX_ID"]

KINDS = ("report", "event", "assessment", "board")  #: what a citation may point at
PRIORITIES = ("low", "medium", "high")
STATUSES = ("open", "in-progress", "answered", "closed")
OPEN_STATUSES = ("open", "in-progress")

MAX_TITLE = 300  #: characters of a title
MAX_TEXT = 100_000  #: characters of a report's text
MAX_SUMMARY = 20_000  #: characters of an assessment's summary
MAX_JUDGEMENT = 2_000  #: characters of a key judgement, of its criterion, of a requirement's question
MAX_NAME = 120  #: characters of a team, product line, owner, actor or tag
MAX_SOURCE = 1_000  #: characters of a source description
MAX_COUNTRIES = 60
MAX_ACTORS = 100
MAX_TAGS = 50
MAX_JUDGEMENTS = 50  #: key judgements per assessment
MAX_CITATIONS = 500  #: citations per assessment

COUNTRY = re.compile(r"^[A-Z]{2,3}$")  #: ISO 3166 alpha-2 or alpha-3
_BAND_SLACK = 1e-12  #: an explicit probability on a band's edge counts as inside it


@dataclass(frozen=True)
class Citation:
    """What an assessment (or a board, or an assumption) rests on: ``kind`` (:data:`KINDS`) and the ``id`` of
    that report, event, assessment or board on the platform."""

    kind: str
    id: str

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        if self.kind not in KINDS:
            out.append(("kind", f"one of {', '.join(KINDS)} (got {self.kind!r})"))
        check_id(out, "id", self.id)
        return out

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}

    @classmethod
    def from_dict(cls, data: object) -> tuple[Citation | None, list[Problem]]:
        """A citation from ``{"kind": ..., "id": ...}`` (an id may be a whole number)."""
        return cls._from(data, "")

    @classmethod
    def _from(cls, data: object, prefix: str) -> tuple[Citation | None, list[Problem]]:
        kwargs, out = take("citation", data, {"kind": (as_text, ...), "id": (as_code, ...)}, prefix)
        return finish(cls, kwargs, out, prefix)


@dataclass(frozen=True)
class Report:
    """A contribution: a member state's report, graded on the admiralty scale."""

    title: str
    text: str
    reliability: str  #: source reliability, A-F
    credibility: str  #: information credibility, 1-6
    source: str  #: a description of the source (its kind and access, not its identity)
    date: str  #: ISO day of the information
    countries: tuple[str, ...] = ()  #: ISO 3166 alpha-2 or alpha-3 codes
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def grade(self) -> Grade:
        """The admiralty grade, ``B2``."""
        return Grade(self.reliability, self.credibility)

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "title", self.title, MAX_TITLE)
        check_text(out, "text", self.text, MAX_TEXT, lines=True)
        out.extend(grade_problems(self.reliability, self.credibility) if isinstance(self.credibility, str) else
                   [("credibility", f"information credibility is text, 1-6 (got {self.credibility!r})")])
        check_text(out, "source", self.source, MAX_SOURCE, lines=True)
        check_day(out, "date", self.date)
        check_texts(out, "countries", self.countries, MAX_COUNTRIES, 3, COUNTRY,
                    "an ISO 3166 code in capitals, e.g. FR")
        check_texts(out, "actors", self.actors, MAX_ACTORS, MAX_NAME)
        check_texts(out, "tags", self.tags, MAX_TAGS, MAX_NAME)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "text": self.text, "reliability": self.reliability,
                "credibility": self.credibility, "grade": self.grade.code, "source": self.source, "date": self.date,
                "countries": list(self.countries), "actors": list(self.actors), "tags": list(self.tags)}

    @classmethod
    def from_dict(cls, data: object) -> tuple[Report | None, list[Problem]]:
        """A report from its JSON form. ``grade`` (``B2``, as :meth:`as_dict` writes it) may stand for reliability
        and credibility, or come with them if it agrees. Reliability is read in either case (``b`` -> ``B``),
        credibility as text or a number."""
        if isinstance(data, Mapping) and "grade" in data:
            data = dict(data)
            grade, problems = parse_grade(data.pop("grade"))
            if grade is None:
                return None, problems
            given = (str(data.setdefault("reliability", grade.reliability)).upper(),
                     str(data.setdefault("credibility", grade.credibility)))
            if given != (grade.reliability, grade.credibility):
                return None, [("grade", f"{grade.code} disagrees with reliability and credibility {''.join(given)}")]
        spec: dict[str, tuple[Convert, object]] = {
            "title": (as_text, ...), "text": (as_text, ...), "reliability": (as_text, ...),
            "credibility": (as_code, ...), "source": (as_text, ...), "date": (as_text, ...),
            "countries": (as_texts, ()), "actors": (as_texts, ()), "tags": (as_texts, ())}
        kwargs, out = take("report", data, spec, "")
        if isinstance(kwargs.get("reliability"), str):
            kwargs["reliability"] = str(kwargs["reliability"]).upper()
        return finish(cls, kwargs, out)


@dataclass(frozen=True)
class KeyJudgement:
    """A key judgement in ICD 203 words. ``likelihood``: a word of :data:`kompas.intel.language.WORDS`;
    ``confidence``: low, moderate or high. To be scored later it needs a ``resolution_date`` (ISO day, after the
    assessment's date) and the ``criterion`` that decides it; once resolved, ``outcome`` (True when what the
    judgement says would happen happened) and ``resolved_at`` (ISO day). ``probability`` (fraction of 1) states
    the analysts' number when they gave one; it must lie in the word's band, and when absent the band's midpoint
    stands for it (:attr:`forecast`)."""

    text: str
    likelihood: str
    confidence: str
    resolution_date: str = ""
    criterion: str = ""
    outcome: bool | None = None
    resolved_at: str = ""
    probability: float | None = None

    @property
    def forecast(self) -> float:
        """The probability the judgement is scored with: the explicit one, else the midpoint of the word's ICD 203
        band (``likely`` -> 0.675). ``ValueError`` for a word not on the scale."""
        return self.probability if self.probability is not None else ICD203.midpoint(self.likelihood)

    @property
    def scorable(self) -> bool:
        """Whether it has a resolution date and a criterion (it can be resolved and then scored)."""
        return bool(self.resolution_date and self.criterion)

    @property
    def resolved(self) -> bool:
        return self.outcome is not None

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "text", self.text, MAX_JUDGEMENT, lines=True)
        if self.likelihood not in WORDS:
            known = ICD203.canonical(self.likelihood) if isinstance(self.likelihood, str) else ""
            hint = f" (write {known!r})" if known else ""
            out.append(("likelihood", f"an ICD 203 likelihood word, one of {', '.join(WORDS)}{hint}; got "
                                      f"{self.likelihood!r}"))
        if self.confidence not in CONFIDENCE:
            out.append(("confidence", f"one of {', '.join(CONFIDENCE)} (got {self.confidence!r})"))
        check_day(out, "resolution_date", self.resolution_date, required=False)
        check_text(out, "criterion", self.criterion, MAX_JUDGEMENT, required=False, lines=True)
        if bool(self.resolution_date) != bool(isinstance(self.criterion, str) and self.criterion.strip()):
            out.append(("criterion" if self.resolution_date else "resolution_date",
                        "a resolution date and a criterion go together"))
        if self.outcome is not None and not isinstance(self.outcome, bool):
            out.append(("outcome", f"true, false or none (got {self.outcome!r})"))
        if self.outcome is not None and not self.scorable:
            out.append(("outcome", "only a judgement with a resolution date and a criterion can be resolved"))
        if (self.outcome is None) != (self.resolved_at == ""):
            out.append(("resolved_at", "the day it was resolved goes with the outcome, and only with it"))
        check_day(out, "resolved_at", self.resolved_at, required=False)
        p = self.probability
        if p is not None:
            if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
                out.append(("probability", f"a number in [0, 1] (got {p!r})"))
            elif self.likelihood in WORDS:
                low, high = ICD203.probability(self.likelihood)
                if not low - _BAND_SLACK <= p <= high + _BAND_SLACK:
                    out.append(("probability", f"{p} is outside the band of {self.likelihood!r} "
                                               f"({low:g}-{high:g})"))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "likelihood": self.likelihood, "confidence": self.confidence,
                "resolution_date": self.resolution_date, "criterion": self.criterion, "outcome": self.outcome,
                "resolved_at": self.resolved_at, "probability": self.probability}

    @classmethod
    def from_dict(cls, data: object) -> tuple[KeyJudgement | None, list[Problem]]:
        """A judgement from its JSON form; the likelihood may be written as ICD 203 writes it (``probably``,
        ``highly probable``, ``Almost certainly``) and is stored in the taxonomy's spelling."""
        return cls._from(data, "")

    @classmethod
    def _from(cls, data: object, prefix: str) -> tuple[KeyJudgement | None, list[Problem]]:
        spec: dict[str, tuple[Convert, object]] = {
            "text": (as_text, ...), "likelihood": (as_text, ...), "confidence": (as_text, ...),
            "resolution_date": (as_optional, ""), "criterion": (as_optional, ""),
            "outcome": (as_outcome, None), "resolved_at": (as_optional, ""), "probability": (as_probability, None)}
        kwargs, out = take("key judgement", data, spec, prefix)
        likelihood = kwargs.get("likelihood")
        if isinstance(likelihood, str) and ICD203.canonical(likelihood):
            kwargs["likelihood"] = ICD203.canonical(likelihood)
        if isinstance(kwargs.get("confidence"), str):
            kwargs["confidence"] = str(kwargs["confidence"]).lower()
        return finish(cls, kwargs, out, prefix)


@dataclass(frozen=True)
class Assessment:
    """An analytic product: what the ``team`` assessed for a ``product_line`` on ``date`` (ISO day), its
    ``summary`` and ``key_judgements``, the ``citations`` it rests on and the ``requirement`` (id) it answers."""

    title: str
    product_line: str
    team: str
    summary: str
    key_judgements: tuple[KeyJudgement, ...] = ()
    citations: tuple[Citation, ...] = ()
    requirement: str = ""  #: the id of the requirement it answers, "" for none
    date: str = ""  #: ISO day the assessment was issued (required)

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "title", self.title, MAX_TITLE)
        check_text(out, "product_line", self.product_line, MAX_NAME)
        check_text(out, "team", self.team, MAX_NAME)
        check_text(out, "summary", self.summary, MAX_SUMMARY, lines=True)
        issued = check_day(out, "date", self.date)
        check_id(out, "requirement", self.requirement, required=False)
        if len(self.key_judgements) > MAX_JUDGEMENTS:
            out.append(("key_judgements", f"at most {MAX_JUDGEMENTS} (got {len(self.key_judgements)})"))
        else:
            for i, kj in enumerate(self.key_judgements):
                where = f"key_judgements[{i}]"
                if not isinstance(kj, KeyJudgement):
                    out.append((where, "must be a key judgement"))
                    continue
                out.extend((f"{where}.{f}", r) for f, r in kj.problems())
                if issued is None:
                    continue
                due = check_day([], "", kj.resolution_date, required=False)
                if due is not None and due <= issued:
                    out.append((f"{where}.resolution_date", f"{kj.resolution_date} is not after the assessment's "
                                                            f"date {self.date}"))
                done = check_day([], "", kj.resolved_at, required=False)
                if done is not None and done < issued:
                    out.append((f"{where}.resolved_at", f"{kj.resolved_at} is before the assessment's date "
                                                        f"{self.date}"))
        if len(self.citations) > MAX_CITATIONS:
            out.append(("citations", f"at most {MAX_CITATIONS} (got {len(self.citations)})"))
        else:
            seen = set()
            for i, c in enumerate(self.citations):
                if not isinstance(c, Citation):
                    out.append((f"citations[{i}]", "must be a citation"))
                    continue
                out.extend((f"citations[{i}].{f}", r) for f, r in c.problems())
                if c in seen:
                    out.append((f"citations[{i}]", f"{c.kind} {c.id} is cited twice"))
                seen.add(c)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "product_line": self.product_line, "team": self.team, "summary": self.summary,
                "key_judgements": [kj.as_dict() for kj in self.key_judgements],
                "citations": [c.as_dict() for c in self.citations], "requirement": self.requirement,
                "date": self.date}

    @classmethod
    def from_dict(cls, data: object) -> tuple[Assessment | None, list[Problem]]:
        """An assessment from its JSON form; every problem of its judgements and citations is named with its
        place (``key_judgements[1].confidence``)."""
        spec: dict[str, tuple[Convert, object]] = {
            "title": (as_text, ...), "product_line": (as_text, ...), "team": (as_text, ...),
            "summary": (as_text, ...), "key_judgements": (nested(KeyJudgement, MAX_JUDGEMENTS), ()),
            "citations": (nested(Citation, MAX_CITATIONS), ()), "requirement": (as_optional, ""),
            "date": (as_text, ...)}
        kwargs, out = take("assessment", data, spec, "")
        return finish(cls, kwargs, out)


@dataclass(frozen=True)
class Requirement:
    """An intelligence requirement: the ``question``, who ``owner`` s it, the ``due`` day, its ``priority``
    (:data:`PRIORITIES`) and ``status`` (:data:`STATUSES`)."""

    question: str
    owner: str
    due: str  #: ISO day
    priority: str = "medium"
    status: str = "open"

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "question", self.question, MAX_JUDGEMENT, lines=True)
        check_text(out, "owner", self.owner, MAX_NAME)
        check_day(out, "due", self.due)
        if self.priority not in PRIORITIES:
            out.append(("priority", f"one of {', '.join(PRIORITIES)} (got {self.priority!r})"))
        if self.status not in STATUSES:
            out.append(("status", f"one of {', '.join(STATUSES)} (got {self.status!r})"))
        return out

    def overdue(self, today: str | date) -> bool:
        """Whether it is still open (open or in progress) after its due day (``today``: a date or ISO day)."""
        day = today if isinstance(today, date) else date.fromisoformat(today)
        return self.status in OPEN_STATUSES and date.fromisoformat(self.due) < day

    def as_dict(self) -> dict[str, str]:
        return {"question": self.question, "owner": self.owner, "due": self.due, "priority": self.priority,
                "status": self.status}

    @classmethod
    def from_dict(cls, data: object) -> tuple[Requirement | None, list[Problem]]:
        spec: dict[str, tuple[Convert, object]] = {
            "question": (as_text, ...), "owner": (as_text, ...), "due": (as_text, ...),
            "priority": (as_text, "medium"), "status": (as_text, "open")}
        kwargs, out = take("requirement", data, spec, "")
        return finish(cls, kwargs, out)


def cited_ids(item: Assessment | Iterable[Citation]) -> dict[str, tuple[str, ...]]:
    """What ``item`` cites, by kind: every kind of :data:`KINDS` with the sorted, distinct ids of that kind
    (``{"report": ("12", "7"), "event": (), ...}``). ``item``: an assessment, or anything with a ``citations``
    attribute (an ACH board, a key assumptions check), or the citations themselves. The storage layer combines
    the markings of exactly these."""
    citations: Iterable[Citation] = item.citations if isinstance(item, Assessment) else \
        getattr(item, "citations", item)
    out: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for c in citations:
        if c.kind not in out:
            raise ValueError(f"citation kind {c.kind!r} is not one of {', '.join(KINDS)}")
        out[c.kind].add(c.id)
    return {kind: tuple(sorted(ids)) for kind, ids in out.items()}


def resolve(judgement: KeyJudgement, outcome: bool, resolved_at: str) -> tuple[KeyJudgement | None, list[Problem]]:
    """``judgement`` resolved: its ``outcome`` (True: it happened as judged) on ``resolved_at`` (ISO day); or
    ``(None, problems)`` when it cannot be (no resolution date or criterion, a bad day, already resolved). The
    assessment's own rule (not resolved before the assessment's date) is checked by :meth:`Assessment.problems`."""
    if judgement.outcome is not None:
        said = "happened" if judgement.outcome else "did not happen"
        return None, [("outcome", f"already resolved on {judgement.resolved_at}: {said}")]
    made = replace(judgement, outcome=outcome, resolved_at=resolved_at)
    problems = made.problems()
    return (None, problems) if problems else (made, [])
