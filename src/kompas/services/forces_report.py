"""The forces report (issue 28, items 5 and 6): the annual capability review for the meeting of EU defence
ministers the Strategic Compass describes ("Invest": from 2022, on EU defence initiatives for capability
development), as one reader may see the register, banner-marked. Gathers the figures (:func:`analyse`) and renders
the page (:mod:`kompas.reports.forces`); called by ``kompas forces report`` and by the report job ``forces``
(``POST /api/v1/reports/forces``).

What the report reads, all through :mod:`kompas.services.forces` (so need-to-know is applied once, by the storage
layer, and every document whose records are used raises the banner):

- the register editions the reader may see (:func:`kompas.services.forces.views`; ``editions`` to choose some), or
  the shipped ILLUSTRATIVE example set (``example``); with ``within`` only the documents whose markings that marking
  covers, so a report can be produced at a chosen releasability;
- the capability review of a planning case (:func:`kompas.services.forces.review`: headline figures, gaps, trends,
  assumptions, sources) against the latest edition, trends across all;
- the Rapid Deployment Capacity overview of the latest edition (:func:`kompas.services.forces.overview`);
- force generation (:func:`kompas.services.forces.generate`, exact CP-SAT) for each military scenario of the case
  against the latest edition (a civilian scenario asks for experts, not force elements: it is left to the civilian
  deployment plan);
- the sources and notes of the register rows used (what is public fact, what is invented).

The banner is the combined marking of every register document any of these used (the example set is
``UNCLASSIFIED // TLP:CLEAR``); a banner given by hand may add restrictions, never remove one
(:func:`kompas.services.reports.banner_for`).

Units: troops and units (in each capability's own unit: companies, aircraft, teams, experts) as counts; days.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kompas.core.markings import Marking, Viewer, combine
from kompas.services import forces as service

if TYPE_CHECKING:
    from kompas.core.store import Store
    from kompas.services.reports import Rendered

Progress = Callable[[float], None]
STEPS = 5  #: progress steps of :func:`report`
DEFAULT_CASE = "rdc-stabilisation-and-civilian-mission"  #: the RDC's initial stabilisation with 200 experts
GENERATION_TIME_LIMIT_S = 30.0  #: the solver's limit per scenario in a report (a job, never a request), seconds
MAX_EDITIONS = 20  #: editions one report compares
_URL = re.compile(r"https?://[^\s<>\"']+")


class ReportError(ValueError):
    """A report request that cannot be answered (no register visible, an unknown case or edition)."""


@dataclass
class Analysis:
    """Everything the report shows: the review (:func:`kompas.services.forces.review`), the overview of the latest
    edition, a force per military scenario, and what the register rows used say about their sources."""

    as_of: date
    case: str
    review: dict[str, Any]
    overview: dict[str, Any]
    forces: list[dict[str, Any]] = field(default_factory=list)  #: :func:`kompas.services.forces.generate` answers
    not_generated: list[dict[str, str]] = field(default_factory=list)  #: scenarios left out of generation, and why
    editions: list[str] = field(default_factory=list)
    example: bool = False
    illustrative: bool = False
    within: Marking | None = None
    documents: list[str] = field(default_factory=list)  #: platform documents used (none for the example set)
    records: int = 0  #: register records read, all editions
    illustrative_records: int = 0
    row_notes: list[tuple[str, int]] = field(default_factory=list)  #: distinct notes of the rows used, with counts
    register_sources: list[str] = field(default_factory=list)  #: every URL the register rows used cite
    marking: Marking = field(default_factory=lambda: service.PUBLIC_MARKING)

    @property
    def edition(self) -> str:
        return str(self.review["edition"])


def _urls(text: str) -> list[str]:
    return [u.rstrip(".,;:)]") for u in _URL.findall(text or "")]


def _rows(views: Sequence[service.RegisterView]) -> tuple[int, int, list[tuple[str, int]], list[str]]:
    """Records read, those labelled illustrative, their distinct notes (most frequent first) and every URL cited in
    a row's ``source_url`` or notes (sorted)."""
    records = illustrative = 0
    notes: Counter[str] = Counter()
    urls: set[str] = set()
    for v in views:
        for r in v.register.records():
            records += 1
            illustrative += r.illustrative
            if r.notes:
                notes[r.notes] += 1
            urls.update(_urls(r.source_url))
            urls.update(_urls(r.notes))
    return records, illustrative, sorted(notes.items(), key=lambda kv: (-kv[1], kv[0])), sorted(urls)


def check_editions(editions: Sequence[str] | None) -> list[str] | None:
    """The editions asked for, checked (:func:`kompas.forces.register.check_edition`); ReportError naming the first
    bad one or when there are more than :data:`MAX_EDITIONS`."""
    from kompas.forces import register

    if not editions:
        return None
    if len(editions) > MAX_EDITIONS:
        raise ReportError(f"a report compares at most {MAX_EDITIONS} editions")
    out = []
    for text in editions:
        try:
            out.append(register.check_edition(str(text)))
        except ValueError as exc:
            raise ReportError(str(exc)) from None
    return out


def analyse(store: Store | None, viewer: Viewer | None, case_name: str | None = None, *, example: bool = False,
            editions: Sequence[str] | None = None, within: Marking | None = None, as_of: date | None = None,
            progress: Progress | None = None, time_limit_s: float = GENERATION_TIME_LIMIT_S) -> Analysis:
    """The report's figures for planning case ``case_name`` (default :data:`DEFAULT_CASE`; a shipped scenario's name
    is a case of that scenario alone) as ``viewer`` may see the register (``store`` None or ``example``: the shipped
    ILLUSTRATIVE example set), over ``editions`` (default every edition visible) and, with ``within``, only the
    documents that marking covers. ReportError when nothing can be reviewed."""
    from kompas.forces import planning

    def step(n: float) -> None:
        if progress is not None:
            progress(n)

    name = case_name or DEFAULT_CASE
    chosen = check_editions(editions)
    try:
        case = service.case_named(name)
        views = service.views(store, viewer, chosen, example=example, within=within)
        if not views:  # nothing visible: the view's own message says what to do
            service.view(store, viewer, None, example=example, within=within)
            raise ReportError("no register edition is visible to you")
        step(1)
        review = service.review(views, name)
        step(2)
        latest = views[-1]
        overview = service.overview(latest)
        step(3)
    except service.ForcesError as exc:
        raise ReportError(str(exc)) from None
    markings = [Marking.from_dict(dict(review["marking"])), Marking.from_dict(dict(overview["marking"]))]
    forces: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for scenario in case.scenarios:
        if planning.civilian(scenario):
            skipped.append({"scenario": scenario.name, "title": scenario.title,
                            "reason": "civilian: it asks for experts, not force elements (the civilian deployment "
                                      "plan answers it)"})
            continue
        try:
            answer = service.generate(latest, scenario, time_limit_s=time_limit_s)
        except service.ForcesError as exc:
            skipped.append({"scenario": scenario.name, "title": scenario.title, "reason": str(exc)})
            continue
        markings.append(Marking.from_dict(dict(answer["marking"])))
        forces.append(answer)
    step(4)
    records, illustrative, notes, urls = _rows(views)
    marking = combine(markings)
    return Analysis(as_of=as_of or datetime.now(UTC).date(), case=name, review=review, overview=overview,
                    forces=forces, not_generated=skipped, editions=[v.edition for v in views],
                    example=any(v.example for v in views),
                    illustrative=bool(review["illustrative"]) or any(f["illustrative"] for f in forces),
                    within=within, documents=sorted({d for v in views for d in v.documents if d != service.EXAMPLE}),
                    records=records, illustrative_records=illustrative, row_notes=notes, register_sources=urls,
                    marking=marking)


def report(store: Store | None, viewer: Viewer | None, fmt: str = "pdf", banner: str | None = None,
           handling: str = "", case_name: str | None = None, *, example: bool = False,
           editions: Sequence[str] | None = None, within: Marking | None = None, as_of: date | None = None,
           progress: Progress | None = None) -> Rendered:
    """The forces report as ``viewer`` may see the register (:func:`analyse`), rendered as ``fmt`` (``html`` or
    ``pdf``) and banner-marked with the combined marking of every register document used
    (:func:`kompas.services.reports.banner_for`: a ``banner`` given may raise it, a lower one is refused with
    BannerError). ReportError (a ValueError) for an unknown case, edition or format, or nothing visible."""
    from kompas.reports.forces import build
    from kompas.services.reports import FORMATS, banner_for, render

    if fmt not in FORMATS:
        raise ReportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    analysis = analyse(store, viewer, case_name, example=example, editions=editions, within=within, as_of=as_of,
                       progress=progress)
    page = build(analysis, banner_for(analysis.marking, banner), handling)
    done = render(page, fmt, f"forces_{analysis.case}_{analysis.edition}", analysis.marking)
    if progress is not None:
        progress(STEPS)
    return done
