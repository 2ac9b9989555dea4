"""The response workflow: per toolbox, the steps a response to an incident goes through, with who acts at each step
(its owner), the state of the response once it is there, a default time allowed, and what the step rests on; and the
pure functions that plan deadlines, check a move and say where a response stands (state, deadline, overdue).

Each toolbox of :mod:`kompas.response.toolbox` has one :class:`Workflow` (:data:`WORKFLOWS`):

- **space**: the procedure of Council Decision (CFSP) 2021/698 (amended by (CFSP) 2023/598), which the space
  strategy conclusions ask the High Representative to build the space threat response architecture on
  (``../shared/seeds/004_a47d80d624d89186.txt`` l.417-427, footnote l.446-454): the High Representative informed of
  the threat (by a Member State, by the Commission, or on the HR's own information), deliberation in the Political
  and Security Committee and the Council, the Council's decision on the measures, their implementation and
  follow-up. **Verified** (search corpus, this session): the consolidated text 02021D0698-20230320 on EUR-Lex,
  art. 1(1) (the responsibilities of the Council and the High Representative "to avert a threat to the security of
  the Union or of one or more of its Member States or to mitigate serious harm to the essential interests ...
  arising from the deployment, operation or use of the systems set up and services provided under the components
  of the Union Space Programme or the Union Secure Connectivity Programme"), its adoption under TEU art. 28 on the
  High Representative's proposal, and recital (2) of the Dutch text ("dient de Raad te beslissen welke maatregelen"
  moeten worden genomen: the Council decides the measures); recital (6) of its predecessor, Decision 2014/496/CFSP
  (legislation.gov.uk): the information and expertise on whether an event is a threat are provided to the Council
  and the High Representative by the Agency, the Member States and the Commission. The PSC's part rests on the
  EEAS's reports of the Space Threat Response Architecture exercises (STRA 2023: a table-top exercise in the PSC
  after the activation of the response mechanism; STRA-X-24: the PSC discussed detection, attribution and
  responses). **Not verified here**: the numbers and wording of the Decision's procedural articles (the HR
  informing the Council, the Council deciding on the HR's proposal, the HR's provisional instructions in urgency);
  each step says so. **To check**: a secondary source (a French CTI digest in a public repository, dated
  29 September 2026) reports a Council Decision (CFSP) 2026/2195 of 28 September 2026 establishing the Space Threat
  Response Architecture (STRA) and repealing Decision 2021/698; it was not found on EUR-Lex in the search corpus.
- **hybrid**: the EU hybrid toolbox (Strategic Compass, ``000_e18c6be3a889c87f.txt`` l.1740-1776, 2284-2298):
  shared awareness (the Hybrid Fusion Cell), a request for an EU Hybrid Rapid Response Team and its deployment,
  deliberation on a coordinated response (Member States may propose coordinated attribution), the Council's
  decision, implementation.
- **cyber**: the cyber diplomacy toolbox (Compass l.1786-1796): shared situational awareness, consideration of a
  (joint) attribution by the Member States, deliberation, a declaration by the High Representative on behalf of the
  EU, restrictive measures by the Council (optional: entered only when pursued), implementation.
- **fimi**: the FIMI toolbox (Compass l.1800-1832, 2327-2345) through its five groups of instruments
  (:attr:`kompas.response.toolbox.Toolbox.groups`): detection and alert (prevention), shared assessment, choice of
  response across the groups, decision, implementation.

Default times are judgements unless a step says otherwise (no act sets deadlines for these steps); the planned
deadline of each step is the opening time plus the default times of the steps up to it (optional steps left out;
their deadline runs from when the response enters them). Owners are institutions, not platform users: who moved a
response is recorded in its history.

Pure: no I/O. Times are the platform's stored form (``YYYY-MM-DDTHH:MM:SS.fffffffffZ``, UTC).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kompas.compass.register import Place
from kompas.times import parse_time_utc, utc_text_ns

__all__ = ["PEN_STATES", "STATES", "WORKFLOWS", "Move", "Progress", "Step", "Workflow", "check_move",
           "decision_step", "plan", "progress", "skipped"]

#: States of a response, in order: ``open`` (being assessed and deliberated), ``decided`` (measures decided),
#: ``implemented`` (measures carried out), ``closed`` (followed up and closed).
STATES = ("open", "decided", "implemented", "closed")
#: States whose steps only the pen holder (the organisation that opened the response) records: that a decision was
#: taken, that measures were implemented, that the response is closed. Any organisation that may see a response
#: may move it among the steps of state ``open`` (awareness, information, deliberation): the history says who did.
PEN_STATES = ("decided", "implemented", "closed")
_DAY_NS = 86_400 * 10**9

SPACE_SEED = "004_a47d80d624d89186.txt"
COMPASS_SEED = "000_e18c6be3a889c87f.txt"
JUDGEMENT = "Judgement (no act sets a time for this step)."


@dataclass(frozen=True)
class Step:
    """One step of a workflow: ``owner`` acts there; once a response is at this step its state is ``state``
    (:data:`STATES`); ``days`` is the default time allowed (days, None for the closing step); ``basis`` what the
    step rests on (act and article, or the seeds), ``verified`` what of it was checked against the act's text and
    where (empty: not checked), ``cite`` the seed lines (verbatim Dutch quotes, checked by the tests); ``deciders``:
    who among :data:`kompas.response.toolbox.DECIDERS` decides options at this step, ``categories``: options of which
    categories (:data:`kompas.response.toolbox.CATEGORIES`) are decided here (:func:`decision_step`); ``optional``:
    not on the planned line (entered only when pursued); ``groups``: the FIMI toolbox groups acting at this step."""

    id: str
    name: str
    owner: str
    state: str
    days: float | None
    basis: str
    verified: str = ""
    cite: tuple[Place, ...] = ()
    deciders: tuple[str, ...] = ()
    optional: bool = False
    groups: tuple[str, ...] = ()
    days_basis: str = JUDGEMENT
    categories: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """JSON-ready (seed places as ``{source, lines, quote}``)."""
        return {"id": self.id, "name": self.name, "owner": self.owner, "state": self.state, "days": self.days,
                "days_basis": self.days_basis, "basis": self.basis, "verified": self.verified,
                "cite": [{"source": p.source, "lines": [p.first, p.last], "quote": p.quote} for p in self.cite],
                "deciders": list(self.deciders), "categories": list(self.categories), "optional": self.optional,
                "groups": list(self.groups)}


@dataclass(frozen=True)
class Workflow:
    """The steps of one toolbox's response, in order (the first is where a response starts, the last closes it)."""

    toolbox: str
    name: str
    basis: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def step(self, step_id: str) -> Step | None:
        """The step with id ``step_id`` (None when the workflow has none)."""
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    @property
    def places(self) -> tuple[Place, ...]:
        return tuple(p for s in self.steps for p in s.cite)


def _p(source: str, first: int, last: int, quote: str) -> Place:
    return Place(source, first, last, quote)


#: Every category (a step deciding options of any kind).
ALL_CATEGORIES = ("statement", "preventive", "stabilising", "cooperative", "restrictive", "resilience")
_UNVERIFIED_698 = ("The Decision's procedural article for this step was not read here (recalled from the act and "
                   "from Decision 2014/496/CFSP).")

SPACE = Workflow("space", "Response to a threat to EU space systems and services (Council Decision (CFSP) 2021/698)",
                 "Council Decision (CFSP) 2021/698 of 30 April 2021, amended by Council Decision (CFSP) 2023/598 "
                 "(TEU art. 28); the space strategy conclusions of 13 November 2023 (004 l.417-501)", (
    Step("informed", "The High Representative is informed of the threat",
         "Member State, Commission or High Representative", "open", 1.0,
         "Decision (CFSP) 2021/698 art. 1(1) (the Council's and the High Representative's responsibilities to avert "
         "a threat arising from the systems and services of the Union Space Programme or IRIS²); a Member State or "
         "the Commission informs the High Representative, or the HR acts on the EEAS's own information (EUSPA's "
         "Galileo Security Monitoring Centre, the SIAC)",
         "Art. 1(1) as amended by 2023/598 (EUR-Lex consolidated text 02021D0698-20230320); Decision 2014/496/CFSP "
         "recital (6): information on whether an event is a threat comes to the Council and the HR from the Agency, "
         "the Member States and the Commission. " + _UNVERIFIED_698,
         (_p(SPACE_SEED, 463, 471, "de uitwisseling van informatie en de samenwerking tussen de lidstaten onderling "
             "en met de Europese Dienst voor extern optreden (EDEO) moeten worden uitgebreid"),
          _p(SPACE_SEED, 471, 473, "een snelle, doeltreffende en onderbouwde respons op ruimtedreigingen")),
         days_basis="Judgement: the conclusions ask for a fast response (004 l.471); the HR's information has no "
                    "set time."),
    Step("urgent-instructions", "Provisional instructions by the High Representative in urgency",
         "High Representative", "decided", 0.25,
         "The urgency procedure of Decision (CFSP) 2021/698: when the situation cannot wait for the Council, the "
         "High Representative gives the provisional instructions needed and informs the Council, which then "
         "decides (option space-hr-urgent-instructions)",
         _UNVERIFIED_698, deciders=("High Representative",), categories=("stabilising",), optional=True,
         days_basis="Judgement: urgency means hours (6 h)."),
    Step("deliberation", "Council and Political and Security Committee deliberation",
         "Political and Security Committee", "open", 3.0,
         "The Council discusses the response informed by SDA information (004 l.491-501); the High Representative "
         "proposes the measures (Decision 2021/698 was itself adopted on the HR's proposal, TEU art. 28); the PSC "
         "prepares (EEAS, STRA exercises 2023 and 2024: the PSC's table-top discussions of detection, attribution "
         "and responses)",
         "Adoption on the HR's proposal under TEU art. 28 (EUR-Lex); the PSC's part from the EEAS's STRA 2023 and "
         "STRA-X-24 reports. " + _UNVERIFIED_698,
         (_p(SPACE_SEED, 499, 501, "zodat de Raad met kennis van zaken de respons op een bepaalde ruimtedreiging "
             "kan bespreken"),),
         deciders=("Member States", "High Representative"), categories=("statement", "preventive", "cooperative"),
         days_basis="Judgement: the PSC meets at least twice a week."),
    Step("decision", "Council decision on the measures", "Council", "decided", 4.0,
         "Decision (CFSP) 2021/698: the Council decides the measures needed (unanimity, TEU art. 31(1)); "
         "statements, preventive, stabilising and cooperative measures and, where needed, restrictive measures "
         "(004 l.419-427)",
         "Recital (2) (Dutch text on EUR-Lex): \"dient de Raad te beslissen welke maatregelen\". " + _UNVERIFIED_698,
         (_p(SPACE_SEED, 423, 427, "zoals verklaringen en preventieve, stabiliserende en "
             "samenwerkingsmaatregelen"),),
         deciders=("Council", "Member States"), categories=ALL_CATEGORIES,
         days_basis="Judgement: a CFSP decision by written procedure takes days; the Cosmos 1408 statement came 4 "
                    "days after the test (eu_space_responses.csv)."),
    Step("implementation", "Implementation and follow-up of the measures",
         "High Representative, Commission (EUSPA) and Member States", "implemented", 30.0,
         "The measures carried out by those the Council's decision instructs; the High Representative reports "
         "to the Council", _UNVERIFIED_698, deciders=("Commission", "Council Presidency"),
         categories=("resilience", "cooperative")),
    Step("closed", "Response closed after follow-up", "Council", "closed", None,
         "The Council (PSC) takes note of the follow-up; the response is closed (lessons feed the annual monitoring "
         "of the Decision's implementation, 004 l.511-513)", "",
         (_p(SPACE_SEED, 510, 512, "de jaarlijkse monitoring van de uitvoering van Besluit (GBVB) 2021/698"),)),
))

HYBRID = Workflow("hybrid", "Coordinated EU response to a hybrid campaign (EU hybrid toolbox)",
                  "Strategic Compass (000 l.1740-1776, 2284-2298); Council conclusions on a framework for a "
                  "coordinated EU response to hybrid campaigns (21 June 2022) and the guiding framework for the EU "
                  "Hybrid Rapid Response Teams (21 May 2024), as the hybrid toolbox data cites them", (
    Step("awareness", "Shared awareness: the Hybrid Fusion Cell assesses the campaign",
         "EU Hybrid Fusion Cell (EEAS, SIAC)", "open", 2.0,
         "The joint EU intelligence capacity, the Hybrid Fusion Cell in particular, provides foresight and "
         "situational awareness (000 l.1760-1764)", "",
         (_p(COMPASS_SEED, 1762, 1764, "met name de Analyse-eenheid voor hybride dreigingen, prognoses en "
             "situationeel bewustzijn verstrekken"),), deciders=("High Representative",),
         categories=("preventive",)),
    Step("rrt-request", "Request for an EU Hybrid Rapid Response Team", "Member State (or CSDP mission, partner "
         "country)", "open", 2.0,
         "Teams to support Member States, CSDP missions and partner countries (000 l.1770-1776, 2292-2298); a team "
         "is deployed on request", "",
         (_p(COMPASS_SEED, 1770, 1772, "EU-teams voor snelle reactie op hybride dreigingen oprichten"),
          _p(COMPASS_SEED, 2292, 2294, "de oprichting van EU-teams voor snelle respons op hybride bedreigingen")),
         deciders=("Member States",)),
    Step("rrt-deployment", "Deployment of the Hybrid Rapid Response Team",
         "High Representative (EEAS), with the Commission and Member States' experts", "open", 7.0,
         "The guiding framework for the Hybrid Rapid Response Teams (Council conclusions of 21 May 2024); who "
         "decides a deployment is a judgement in the toolbox data (option hybrid-rrt)", "",
         (_p(COMPASS_SEED, 1772, 1774, "aanpasbaar zijn aan de dreiging en gebruikmaken van de betreffende sectorale "
             "expertise van de lidstaten"),), deciders=("High Representative",), categories=("stabilising",)),
    Step("deliberation", "Deliberation on a coordinated response; Member States may propose coordinated attribution",
         "Political and Security Committee", "open", 7.0,
         "A framework for a coordinated response to hybrid campaigns; Member States may propose coordinated "
         "attribution, attribution being a sovereign national prerogative (000 l.1744-1752)", "",
         (_p(COMPASS_SEED, 1744, 1744, "een kader bieden voor een gecoördineerde respons op hybride campagnes"),
          _p(COMPASS_SEED, 1748, 1752, "De lidstaten kunnen een gecoördineerde attributie van hybride activiteiten "
             "voorstellen, waarbij zij erkennen dat attributie een soevereine nationale bevoegdheid is")),
         deciders=("Member States",), categories=("statement",)),
    Step("decision", "Council decision on the measures", "Council", "decided", 14.0,
         "Preventive, cooperative, stabilising, restrictive and recovery measures (000 l.1746-1748); restrictive "
         "measures by the Council by unanimity (TEU art. 29, 31(1))", "",
         (_p(COMPASS_SEED, 1746, 1748, "preventieve, coöperatieve, stabiliserende, beperkende en "
             "herstelmaatregelen"),),
         deciders=("Council", "High Representative", "Council Presidency"), categories=ALL_CATEGORIES),
    Step("implementation", "Implementation of the measures", "High Representative, Commission and Member States",
         "implemented", 30.0, "The measures carried out; recovery through the Union Civil Protection Mechanism "
         "where asked (option hybrid-recovery-ucpm)", "", deciders=("Commission", "Member States"),
         categories=("resilience", "cooperative")),
    Step("closed", "Response closed after follow-up", "Political and Security Committee", "closed", None,
         "The PSC takes note of the follow-up; the response is closed", ""),
))

CYBER = Workflow("cyber", "Joint EU diplomatic response to malicious cyber activities (cyber diplomacy toolbox)",
                 "Strategic Compass (000 l.1786-1796); the implementing guidelines of the cyber diplomacy toolbox "
                 "(Council documents 13007/17 and 10289/23), as the cyber toolbox data cites them", (
    Step("awareness", "Shared situational awareness of the cyber activity",
         "Member States, EEAS (SIAC), Commission (Joint Cyber Unit)", "open", 3.0,
         "Identify and analyse cyber attacks in a coordinated way; the Joint Cyber Unit strengthens shared "
         "situational awareness (000 l.1786-1796)", "",
         (_p(COMPASS_SEED, 1786, 1788, "ons vermogen versterken om cyberaanvallen op een gecoördineerde wijze te "
             "identificeren en te analyseren"),
          _p(COMPASS_SEED, 1794, 1796, "gezamenlijke cybereenheid van de EU om het gezamenlijk situationeel "
             "bewustzijn")), deciders=("High Representative",), categories=("preventive",)),
    Step("attribution", "Consideration of a (joint) attribution by the Member States", "Member States", "open",
         14.0,
         "Attribution to a third state remains a sovereign political decision of the Member States (004 "
         "l.455-463; 000 l.1750-1752); Kompas records each state's assessment (kompas.response.attribution) and "
         "never computes one", "",
         (_p(SPACE_SEED, 455, 457, "een soevereine politieke beslissing van de lidstaten blijft"),
          _p(COMPASS_SEED, 1750, 1752, "attributie een soevereine nationale bevoegdheid is")),
         deciders=("Member States",), categories=("statement",)),
    Step("deliberation", "Deliberation on the response", "Political and Security Committee", "open", 7.0,
         "The PSC, prepared by the Council's working party on cyber issues, considers the toolbox's measures "
         "(implementing guidelines, documents 13007/17, 10289/23)", "", deciders=("Council Presidency",)),
    Step("declaration", "Declaration by the High Representative on behalf of the EU", "High Representative",
         "decided", 7.0,
         "A declaration by the High Representative on behalf of the EU, agreed by all Member States (option "
         "cyber-hr-declaration)", "", deciders=("High Representative", "Council"),
         categories=("statement", "preventive", "stabilising", "cooperative")),
    Step("restrictive-measures", "Restrictive measures by the Council", "Council", "decided", 60.0,
         "Restrictive measures against those responsible (the cyber sanctions framework, Council Decision (CFSP) "
         "2019/797 and Regulation (EU) 2019/796), by unanimity; the Compass names sanctions among the toolbox's "
         "instruments (000 l.1788-1792)", "",
         (_p(COMPASS_SEED, 1790, 1790, "waaronder preventieve maatregelen en sancties"),),
         deciders=("Council",), categories=("restrictive",), optional=True,
         days_basis="Judgement: the 2020 listings came years after the attacks (eu_cyber_sanctions.csv); 60 days "
                    "is a planning figure once the Council pursues them."),
    Step("implementation", "Implementation of the measures", "Member States, Commission and High Representative",
         "implemented", 30.0, "The measures carried out (experts deployed in a cyber crisis: option "
         "cyber-expert-deployment)", "", deciders=("Commission", "Member States"),
         categories=("resilience", "cooperative")),
    Step("closed", "Response closed after follow-up", "Political and Security Committee", "closed", None,
         "The PSC takes note of the follow-up; the response is closed", ""),
))

FIMI = Workflow("fimi", "Response to foreign information manipulation and interference (FIMI toolbox)",
                "Strategic Compass (000 l.1800-1832, 2327-2345); the FIMI toolbox's five groups of instruments "
                "(kompas/data/toolboxes/fimi.yaml)", (
    Step("detection", "Detection and alert (Rapid Alert System, FIMI data space, national monitoring)",
         "EEAS (Strategic Communication) and Member States", "open", 1.0,
         "Situational awareness through the Rapid Alert System (000 l.1822-1824)", "",
         (_p(COMPASS_SEED, 1822, 1824, "het situationeel bewustzijn verbeteren via het systeem voor snelle "
             "waarschuwingen"),), deciders=("High Representative",), categories=("preventive",),
         groups=("prevention",)),
    Step("assessment", "Shared assessment of the incident (techniques, narratives, actors)",
         "EEAS (Strategic Communication, Hybrid Fusion Cell)", "open", 3.0,
         "A shared understanding of the threat and instruments to detect and analyse it (000 l.1806-1810)", "",
         (_p(COMPASS_SEED, 1806, 1810, "door tot een gezamenlijk begrip van de dreiging te komen"),),
         deciders=("High Representative",), groups=("prevention",)),
    Step("deliberation", "Choice of response across the toolbox's groups", "Political and Security Committee",
         "open", 7.0,
         "The response chosen across the groups (prevention, resilience, disruption, regulatory, diplomatic); "
         "Member States may propose coordinated attribution", "",
         deciders=("Member States", "Council Presidency"), categories=("statement", "stabilising"),
         groups=("prevention", "resilience", "disruption", "regulatory", "diplomatic")),
    Step("decision", "Decision on the measures", "Council, High Representative or Commission, as the measure "
         "requires", "decided", 14.0,
         "Imposing costs on the perpetrators (000 l.1810): statements by the High Representative, restrictive "
         "measures by the Council by unanimity (Council Decision (CFSP) 2024/2643), regulatory action by the "
         "Commission", "",
         (_p(COMPASS_SEED, 1810, 1810, "de daders van dergelijke feiten de rekening te presenteren"),),
         deciders=("Council", "High Representative", "Commission"),
         categories=("statement", "preventive", "stabilising", "cooperative", "restrictive"),
         groups=("disruption", "regulatory", "diplomatic")),
    Step("implementation", "Implementation and resilience measures", "Member States, Commission and EEAS",
         "implemented", 30.0, "The measures carried out and societal resilience strengthened (000 l.1810-1812)", "",
         (_p(COMPASS_SEED, 1810, 1812, "Om onze maatschappelijke weerbaarheid te vergroten"),),
         deciders=("Member States", "Commission"), categories=("resilience",),
         groups=("resilience", "disruption", "regulatory")),
    Step("closed", "Response closed after follow-up", "Political and Security Committee", "closed", None,
         "The follow-up noted; the response is closed", ""),
))

#: The workflow of each toolbox (the keys are :data:`kompas.response.toolbox.TOOLBOXES`).
WORKFLOWS: dict[str, Workflow] = {w.toolbox: w for w in (SPACE, HYBRID, CYBER, FIMI)}


def _add_days(time_utc: str, days: float) -> str:
    return utc_text_ns(parse_time_utc(time_utc) + np.timedelta64(round(days * _DAY_NS), "ns"))


def plan(workflow: Workflow, opened_utc: str, overrides: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The planned deadline (stored form) of every step of ``workflow`` for a response opened at ``opened_utc``:
    the opening time plus the default times of the steps up to and including it, optional steps left out (their
    deadline runs from when the response enters them: None here), the closing step None. ``overrides`` (step id ->
    time, any ISO 8601 UTC form) replace planned deadlines and set optional ones. ValueError for an unknown step or
    a time that does not parse."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(workflow.ids))
    if unknown:
        raise ValueError(f"deadlines: {unknown[0]!r} is not a step of the {workflow.toolbox} workflow "
                         f"({', '.join(workflow.ids)})")
    out: dict[str, str | None] = {}
    at = opened_utc
    for s in workflow.steps:
        if s.optional or s.days is None:
            out[s.id] = None
        else:
            at = _add_days(at, s.days)
            out[s.id] = at
        if s.id in overrides:
            out[s.id] = utc_text_ns(parse_time_utc(overrides[s.id]))
    return out


def check_move(workflow: Workflow, current: str, to: str, pen: bool = True) -> str | None:
    """Why a response at step ``current`` cannot move to step ``to`` (None when it can): ``to`` must be a step of
    the workflow other than ``current``; a closed response moves no more (a new one is opened); a mover who does
    not hold the pen (``pen`` False) may not enter a step of :data:`PEN_STATES`. Moves may skip steps (listed by
    :func:`skipped`) and go back (the Council may send a question back to the PSC); each is recorded."""
    step = workflow.step(to)
    if step is None:
        return f"step must be one of {', '.join(workflow.ids)}"
    here = workflow.step(current)
    if here is not None and here.state == "closed":
        return "the response is closed (open a new response to act again)"
    if to == current:
        return f"the response is already at step {to!r}"
    if not pen and step.state in PEN_STATES:
        return (f"step {to!r} records that the response is {step.state}: only the organisation that opened it "
                f"records that")
    return None


def skipped(workflow: Workflow, current: str, to: str) -> tuple[str, ...]:
    """The steps on the planned line (not optional) that a move from ``current`` forward to ``to`` passes over
    (empty for a move back, to the next step, or between unknown steps)."""
    ids = workflow.ids
    if current not in ids or to not in ids:
        return ()
    start, end = ids.index(current), ids.index(to)
    return tuple(s.id for s in workflow.steps[start + 1:end] if not s.optional and s.state != "closed")


def decision_step(workflow: Workflow, decides: str, category: str) -> Step:
    """The step at which an option decided by ``decides`` (:data:`kompas.response.toolbox.DECIDERS`) of category
    ``category`` is taken: the first step on the planned line listing both, else the first step (optional ones
    too) listing both, else the first step of state ``decided`` listing the decider, else the first of state
    ``decided``."""
    both = [s for s in workflow.steps if decides in s.deciders and category in s.categories]
    return next((s for s in both if not s.optional), None) or next(iter(both), None) or next(
        (s for s in workflow.steps if s.state == "decided" and decides in s.deciders), None) or next(
        s for s in workflow.steps if s.state == "decided")


@dataclass(frozen=True)
class Move:
    """A response moved to ``step`` at ``at_utc``; ``deadline_utc``: a deadline set for that step with the move."""

    step: str
    at_utc: str
    deadline_utc: str | None = None


@dataclass(frozen=True)
class Progress:
    """Where a response stands: its current step, the state that gives, when it entered the step, the step's
    deadline (None: none), whether it is overdue, and each step's deadline as now known."""

    step: Step
    state: str
    entered_utc: str
    deadline_utc: str | None
    overdue: bool
    deadlines: dict[str, str | None]


def progress(workflow: Workflow, planned: Mapping[str, str | None], opened_utc: str, moves: Sequence[Move],
             now_utc: str) -> Progress:
    """Where a response opened at ``opened_utc`` with planned deadlines ``planned`` (:func:`plan`) stands after
    ``moves`` (oldest first; moves to steps the workflow does not know are ignored) at ``now_utc``. A deadline set
    with a move replaces the step's; an optional step entered without one gets entry time + its default time.
    Overdue: not closed and ``now_utc`` after the current step's deadline."""
    deadlines = dict(planned)
    step, entered = workflow.steps[0], opened_utc
    for m in moves:
        found = workflow.step(m.step)
        if found is None:
            continue
        step, entered = found, m.at_utc
        if m.deadline_utc:
            deadlines[found.id] = m.deadline_utc
        elif found.optional and found.days is not None:
            deadlines[found.id] = _add_days(m.at_utc, found.days)
    deadline = None if step.state == "closed" else deadlines.get(step.id)
    overdue = deadline is not None and bool(parse_time_utc(now_utc) > parse_time_utc(deadline))
    return Progress(step, step.state, entered, deadline, overdue, deadlines)
