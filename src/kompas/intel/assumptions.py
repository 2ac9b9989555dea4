"""Key assumptions check: the assumptions a judgement rests on, stated, tested and counted.

A structured analytic technique (Heuer and Pherson, *Structured Analytic Techniques for Intelligence Analysis*,
"Key Assumptions Check"): list every assumption the analytic line depends on, say why it is believed, judge whether
the evidence *supports* it, supports it only with *caveats*, or leaves it *unsupported*, and say what would undermine
it (the indicator to watch). An assumption that is unsupported yet carries the conclusion is where the line is weak.

:class:`Assumption` rows form a :class:`KeyAssumptionsCheck`; :meth:`KeyAssumptionsCheck.summary` counts them by
status. Each row may cite the evidence it rests on (:class:`~kompas.intel.model.Citation` s of reports, events,
assessments or boards), which the storage layer uses for the check's marking as for an assessment's.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.intel.fields import Convert, Problem, as_text, check_text, finish, nested, take
from kompas.intel.model import MAX_CITATIONS, MAX_JUDGEMENT, MAX_TITLE, Citation

__all__ = ["STATUSES", "Assumption", "KeyAssumptionsCheck"]

STATUSES = ("supported", "caveated", "unsupported")
MAX_ASSUMPTIONS = 100
MAX_EVIDENCE = 50  #: citations per assumption


@dataclass(frozen=True)
class Assumption:
    """One key assumption: what is assumed (``text``), why it is believed (``basis``), its ``status``
    (:data:`STATUSES`), what would undermine it (``undermined_by``: the indicator to watch) and the ``evidence``
    it rests on."""

    text: str
    basis: str
    status: str
    undermined_by: str = ""
    evidence: tuple[Citation, ...] = ()

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "text", self.text, MAX_JUDGEMENT, lines=True)
        check_text(out, "basis", self.basis, MAX_JUDGEMENT, lines=True)
        if self.status not in STATUSES:
            out.append(("status", f"one of {', '.join(STATUSES)} (got {self.status!r})"))
        check_text(out, "undermined_by", self.undermined_by, MAX_JUDGEMENT, required=self.status != "supported",
              lines=True)
        if len(self.evidence) > MAX_EVIDENCE:
            out.append(("evidence", f"at most {MAX_EVIDENCE} citations (got {len(self.evidence)})"))
        seen = set()
        for i, c in enumerate(self.evidence):
            out.extend((f"evidence[{i}].{f}", r) for f, r in c.problems())
            if c in seen:
                out.append((f"evidence[{i}]", f"{c.kind} {c.id} is cited twice"))
            seen.add(c)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "basis": self.basis, "status": self.status, "undermined_by": self.undermined_by,
                "evidence": [c.as_dict() for c in self.evidence]}

    @classmethod
    def from_dict(cls, data: object) -> tuple[Assumption | None, list[Problem]]:
        return cls._from(data, "")

    @classmethod
    def _from(cls, data: object, prefix: str) -> tuple[Assumption | None, list[Problem]]:
        spec: dict[str, tuple[Convert, object]] = {
            "text": (as_text, ...), "basis": (as_text, ...), "status": (as_text, ...),
            "undermined_by": (as_text, ""), "evidence": (nested(Citation, MAX_EVIDENCE), ())}
        kwargs, out = take("assumption", data, spec, prefix)
        if isinstance(kwargs.get("status"), str):
            kwargs["status"] = str(kwargs["status"]).lower()
        return finish(cls, kwargs, out, prefix)


@dataclass(frozen=True)
class KeyAssumptionsCheck:
    """A titled list of key assumptions."""

    title: str
    assumptions: tuple[Assumption, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation of its assumptions, each once, in order (for the check's marking)."""
        return tuple(dict.fromkeys(c for a in self.assumptions for c in a.evidence))

    def summary(self) -> dict[str, int]:
        """How many assumptions have each status, and ``total``: ``{"supported": 3, "caveated": 1,
        "unsupported": 1, "total": 5}``."""
        counts = {status: 0 for status in STATUSES}
        for a in self.assumptions:
            if a.status in counts:
                counts[a.status] += 1
        return counts | {"total": len(self.assumptions)}

    def weakest(self) -> list[Assumption]:
        """The unsupported assumptions, then the caveated ones (the board's order within each)."""
        return [a for status in ("unsupported", "caveated") for a in self.assumptions if a.status == status]

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        check_text(out, "title", self.title, MAX_TITLE)
        if len(self.assumptions) > MAX_ASSUMPTIONS:
            out.append(("assumptions", f"at most {MAX_ASSUMPTIONS} (got {len(self.assumptions)})"))
            return out
        for i, a in enumerate(self.assumptions):
            out.extend((f"assumptions[{i}].{f}", r) for f, r in a.problems())
        if len(self.citations) > MAX_CITATIONS:
            out.append(("assumptions", f"at most {MAX_CITATIONS} distinct citations in all"))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "assumptions": [a.as_dict() for a in self.assumptions],
                "summary": self.summary()}

    @classmethod
    def from_dict(cls, data: object) -> tuple[KeyAssumptionsCheck | None, list[Problem]]:
        """A check from its JSON form (a ``summary`` as :meth:`as_dict` writes it is ignored: it is recomputed)."""
        if isinstance(data, Mapping) and "summary" in data:
            data = {k: v for k, v in data.items() if k != "summary"}
        spec: dict[str, tuple[Convert, object]] = {
            "title": (as_text, ...), "assumptions": (nested(Assumption, MAX_ASSUMPTIONS), ())}
        kwargs, out = take("key assumptions check", data, spec, "")
        return finish(cls, kwargs, out)
