"""The multi-annual plan of space security and defence exercises: exercises by year and level, their objectives tied
to the steps of the response workflows (:mod:`kompas.response.workflow`) and to Article 42(7) TEU, the participants,
the scenario each exercise plays, and the real precedents the plan builds on.

What the plan answers to (Dutch seed texts in ``../shared/seeds``):

- the space strategy conclusions of 13 November 2023 (``004_a47d80d624d89186.txt``) l.502-530: Member States to
  strengthen civil-military cooperation on space exercises; the High Representative, "voortbouwend op de jaarlijkse
  monitoring van de uitvoering van Besluit (GBVB) 2021/698" and on space exercises organised by Member States and
  partners, to draw up "een meerjarenplan ... voor geregelde intercommunautaire oefeningen voor ruimteveiligheid en
  -defensie op verschillende niveaus", testing the EU's response to large-scale space security incidents, with the
  Council, the Commission, EUSPA, the EU Military Staff, SatCen and, where relevant, private actors, involving the
  Council's working parties including the EU Military Committee, linked to the EU's general exercise policy
  (commitments SP-016 to SP-018 of the register);
- l.545-567: regular exercises on implementing Article 42(7) TEU, including space-related events that amount to
  armed aggression (SP-019); the Strategic Compass (``000_e18c6be3a889c87f.txt``) l.1562-1566: regular exercises
  to strengthen mutual assistance under Article 42(7), "regelmatige cyberoefeningen vanaf 2022".

No EU multi-annual space exercise plan is public. The plan shipped with Kompas (``kompas/data/exercise/plan.yaml``,
:data:`kompas.exercise.load.PLAN`) is therefore **ILLUSTRATIVE**: its exercises 2027-2030 are invented to show the
model and say so, at the top of the file and in every exercise (``illustrative: true``). What is public is kept apart
as *precedents* (the EEAS's STRA exercises, EU MILEX, EU Integrated Resolve, EU CyCLES, ...), each marked
``verified`` (read in a public source this session, the source given) or not, as
:mod:`kompas.response.workflow` does for its steps.

The model:

- **levels** (:data:`LEVELS`): ``technical`` (systems and operators: GSMC, EU SST, SatCen, CSIRTs), ``operational``
  (crisis cells and staffs: EEAS crisis response, EUMS, Commission services), ``political-strategic`` (PSC, Council,
  High Representative); the conclusions ask for exercises "op verschillende niveaus" and do not name them: these
  three are the EU exercise policy's usual reading (a judgement, stated as such);
- **kinds** (:data:`KINDS`): ``table-top`` (discussion of a scenario), ``command-post`` (staffs and crisis cells play
  their procedures against injects, no forces), ``live`` (live or technical play: systems, networks, forces);
- **objectives** (:class:`Objective`): each names a workflow of :data:`kompas.response.workflow.WORKFLOWS` and the
  ids of the steps it exercises (the after-action review measures those steps), and whether it exercises Article
  42(7) (only at political-strategic level: mutual assistance is invoked by a Member State and answered by the
  others at that level);
- **participants** (:class:`Participant`): an organisation code of :data:`ORGANISATIONS` (or ``MS-XX``, a Member
  State by ISO 3166 alpha-2) and a role of :data:`ROLES`;
- **scenario**: one of :data:`SCENARIOS`, the templates of :mod:`kompas.exercise.msel`.

:func:`parse_plan` reads the YAML text, refusing each malformed exercise or precedent with a
:class:`~kompas.rejections.Rejection` (unit ``item``, the item's number in its list, the field as
``exercises.objectives[2].steps``) and keeping the good ones; :func:`findings` gives the plan-level checks that are
findings, not refusals: each level exercised every year, each year tied to the annual monitoring of Decision
2021/698 (an exercise whose objectives cover the space workflow's first step, where a response starts), and an
Article 42(7) objective somewhere in the plan.

Pure: no I/O (reading the file is :mod:`kompas.exercise.load`). Times are the stored form (UTC, ns, ``Z``), durations
hours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kompas.rejections import Rejection
from kompas.response.workflow import WORKFLOWS
from kompas.texts import NoAliases, yaml_document
from kompas.times import parse_time_utc, utc_text_ms, utc_text_ns

__all__ = ["EU_MEMBER_STATES", "KINDS", "LEVELS", "ORGANISATIONS", "ROLES", "SCENARIOS", "Exercise", "Finding",
           "Objective", "Participant", "Plan", "Precedent", "findings", "parse_plan"]

LEVELS = ("technical", "operational", "political-strategic")
KINDS = ("table-top", "command-post", "live")
#: Organisation codes of participants (``MS-XX`` names one Member State, :data:`EU_MEMBER_STATES`).
ORGANISATIONS: dict[str, str] = {
    "COUNCIL": "Council of the European Union",
    "PSC": "Political and Security Committee",
    "EUMC": "EU Military Committee",
    "HRVP": "High Representative / Vice-President",
    "EEAS": "European External Action Service (crisis response, space and security policy)",
    "SIAC": "Single Intelligence Analysis Capacity (EU INTCEN and EUMS Intelligence)",
    "EUMS": "EU Military Staff",
    "MPCC": "Military Planning and Conduct Capability",
    "COM": "European Commission (DG DEFIS and the Commission's crisis services)",
    "EUSPA": "EU Agency for the Space Programme (Galileo Security Monitoring Centre)",
    "SATCEN": "EU Satellite Centre",
    "EUSST": "EU Space Surveillance and Tracking partnership",
    "ENISA": "EU Agency for Cybersecurity",
    "CERT-EU": "Cybersecurity Service for the Union institutions, bodies, offices and agencies",
    "CYCLONE": "European cyber crisis liaison organisation network (EU-CyCLONe)",
    "ISAC": "EU Space Information Sharing and Analysis Centre",
    "MS": "Member States (all)",
    "PRIVATE": "Private operators (satellite, ground segment and service operators, new space included)",
    "NATO": "NATO staff (parallel and coordinated exercise)",
}
#: The 27 Member States (ISO 3166 alpha-2; Greece is GR), for ``MS-XX`` participant codes.
EU_MEMBER_STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
                    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
ROLES = ("lead", "player", "controller", "evaluator", "observer")
#: The scenario templates of :mod:`kompas.exercise.msel` an exercise may play.
SCENARIOS: dict[str, str] = {
    "breakup": "Break-up of an object in orbit (NASA Standard Breakup Model) and the conjunction surge against the "
               "EU's protected assets over the following days, then a threat report",
    "gnss-surge": "A surge of GNSS interference reports to the Space ISAC over a region and band",
    "cyber-intrusion": "A cyber intrusion on a ground segment, stage by stage (MITRE ATT&CK techniques)",
    "rpo": "A hostile rendezvous and proximity operation: a known object approaching an EU asset",
}
MAX_DURATION_H = 60 * 24.0  #: 60 days: MILEX 23, the longest precedent here, ran 18 September-22 October 2023.
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
PRECEDENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")
OBJECTIVE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,15}$")


@dataclass(frozen=True)
class Objective:
    """What an exercise tests: ``text``; the ``workflow`` (:data:`kompas.response.workflow.WORKFLOWS` key) and the
    ``steps`` of it exercised (the after-action review measures them); ``art_42_7``: it exercises mutual assistance
    under Article 42(7) TEU."""

    id: str
    text: str
    workflow: str
    steps: tuple[str, ...]
    art_42_7: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "workflow": self.workflow, "steps": list(self.steps),
                "art_42_7": self.art_42_7}


@dataclass(frozen=True)
class Participant:
    """An organisation (:data:`ORGANISATIONS` code or ``MS-XX``) and its role in the exercise (:data:`ROLES`)."""

    org: str
    role: str

    @property
    def name(self) -> str:
        if self.org.startswith("MS-"):
            return f"Member State {self.org[3:]}"
        return ORGANISATIONS.get(self.org, self.org)


@dataclass(frozen=True)
class Exercise:
    """One exercise of the plan: ``start_utc`` (stored form) and ``duration_h`` (hours); ``illustrative`` True for an
    invented exercise (every exercise of the shipped plan); ``builds_on``: ids of the plan's precedents."""

    code: str
    title: str
    year: int
    level: str
    kind: str
    objectives: tuple[Objective, ...]
    participants: tuple[Participant, ...]
    scenario: str
    start_utc: str
    duration_h: float
    illustrative: bool
    builds_on: tuple[str, ...] = ()
    note: str = ""

    @property
    def end_utc(self) -> str:
        """The end of the exercise (stored form): start plus the duration."""
        return utc_text_ns(parse_time_utc(self.start_utc) + np.timedelta64(round(self.duration_h * 3.6e12), "ns"))

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "year": self.year, "level": self.level, "kind": self.kind,
                "scenario": self.scenario, "start_utc": utc_text_ms(parse_time_utc(self.start_utc)),
                "end_utc": utc_text_ms(parse_time_utc(self.end_utc)), "duration_h": self.duration_h,
                "illustrative": self.illustrative, "builds_on": list(self.builds_on), "note": self.note,
                "objectives": [o.as_dict() for o in self.objectives],
                "participants": [{"org": p.org, "name": p.name, "role": p.role} for p in self.participants]}


@dataclass(frozen=True)
class Precedent:
    """A real exercise the plan builds on: ``verified`` True when ``checked`` (what was read, where) was read in the
    ``sources`` (URLs or documents) this session; False when recalled or reported only by secondary sources.
    ``art_42_7``: the source says the exercise touched Article 42(7) (None: not known)."""

    id: str
    name: str
    year: int
    summary: str
    verified: bool
    sources: tuple[str, ...]
    checked: str = ""
    level: str | None = None
    kind: str | None = None
    art_42_7: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "year": self.year, "summary": self.summary,
                "verified": self.verified, "sources": list(self.sources), "checked": self.checked,
                "level": self.level, "kind": self.kind, "art_42_7": self.art_42_7}


@dataclass(frozen=True)
class Plan:
    """The multi-annual plan: its ``years`` (first, last, inclusive), whether it is ``illustrative``, its exercises
    (in the file's order) and precedents."""

    title: str
    years: tuple[int, int]
    illustrative: bool
    exercises: tuple[Exercise, ...] = ()
    precedents: tuple[Precedent, ...] = ()
    note: str = ""

    def exercise(self, code: str) -> Exercise | None:
        return next((e for e in self.exercises if e.code == code), None)

    def in_year(self, year: int) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if e.year == year)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "years": list(self.years), "illustrative": self.illustrative, "note": self.note,
                "exercises": [e.as_dict() for e in self.exercises],
                "precedents": [p.as_dict() for p in self.precedents]}


@dataclass(frozen=True)
class Finding:
    """A plan-level observation (not a refusal): ``kind`` ``level-missing``, ``monitoring-untied`` or
    ``no-art-42-7``; ``year`` None for the plan as a whole."""

    kind: str
    year: int | None
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "year": self.year, "text": self.text}


class _Bad(ValueError):
    def __init__(self, field: str, reason: str, value: object = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.value = field, reason, "" if value is None else str(value)[:200]


class PlanLoader(NoAliases):
    """Safe YAML without aliases that leaves dates and times as text, so that a bad time is one item's problem."""


PlanLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in NoAliases.yaml_implicit_resolvers.items()}


def _text(raw: Mapping, key: str, where: str, required: bool = True, most: int = 2000) -> str:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Bad(f"{where}{key}", "missing")
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{where}{key}", f"{value!r} is not text", value)
    if len(value) > most:
        raise _Bad(f"{where}{key}", f"longer than {most} characters")
    return value.strip()


def _bool(raw: Mapping, key: str, where: str, default: bool | None = None) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        reason = "missing: say true or false" if value is None else f"{value!r} is not true or false"
        raise _Bad(f"{where}{key}", reason, value)
    return value


def _year(value: object, key: str, low: int = 2000, high: int = 2100) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _Bad(key, f"{value!r} is not a year in {low}..{high}", value)
    return value


def _objective(raw: object, where: str) -> Objective:
    if not isinstance(raw, dict):
        raise _Bad(where.rstrip("."), "not a mapping {id, text, workflow, steps, art_42_7}")
    oid = _text(raw, "id", where, most=16)
    if not OBJECTIVE_ID.match(oid):
        raise _Bad(f"{where}id", f"{oid!r} is not 1-16 letters, digits or hyphens", oid)
    text = _text(raw, "text", where)
    workflow = _text(raw, "workflow", where, most=32)
    found = WORKFLOWS.get(workflow)
    if found is None:
        raise _Bad(f"{where}workflow", f"{workflow!r} is not one of {', '.join(WORKFLOWS)}", workflow)
    steps = raw.get("steps")
    if not (isinstance(steps, list) and steps and all(isinstance(s, str) for s in steps)):
        raise _Bad(f"{where}steps", f"not a non-empty list of step ids of the {workflow} workflow")
    for step in steps:
        if found.step(step) is None:
            raise _Bad(f"{where}steps", f"{step!r} is not a step of the {workflow} workflow "
                                        f"({', '.join(found.ids)})", step)
    if len(set(steps)) != len(steps):
        raise _Bad(f"{where}steps", "a step is named twice")
    return Objective(oid, text, workflow, tuple(steps), _bool(raw, "art_42_7", where, default=False))


def _participant(raw: object, where: str) -> Participant:
    if not isinstance(raw, dict):
        raise _Bad(where.rstrip("."), "not a mapping {org, role}")
    org = _text(raw, "org", where, most=16)
    if org.startswith("MS-"):
        if org[3:] not in EU_MEMBER_STATES:
            raise _Bad(f"{where}org", f"{org!r}: MS-XX needs an EU Member State's ISO 3166 alpha-2 code", org)
    elif org not in ORGANISATIONS:
        raise _Bad(f"{where}org", f"{org!r} is not one of {', '.join(ORGANISATIONS)} or MS-XX", org)
    role = _text(raw, "role", where, most=16)
    if role not in ROLES:
        raise _Bad(f"{where}role", f"{role!r} is not one of {', '.join(ROLES)}", role)
    return Participant(org, role)


def _exercise(raw: object, years: tuple[int, int], precedents: set[str]) -> Exercise:
    if not isinstance(raw, dict):
        raise _Bad("exercises", "not a mapping (code, title, year, level, ...)")
    w = "exercises."
    code = _text(raw, "code", w, most=32)
    if not CODE.match(code):
        raise _Bad(f"{w}code", f"{code!r} is not 2-32 capital letters, digits or hyphens", code)
    illustrative = _bool(raw, "illustrative", w)
    title = _text(raw, "title", w, most=300)
    year = _year(raw.get("year"), f"{w}year", *years)
    level = _text(raw, "level", w, most=32)
    if level not in LEVELS:
        raise _Bad(f"{w}level", f"{level!r} is not one of {', '.join(LEVELS)}", level)
    kind = _text(raw, "kind", w, most=32)
    if kind not in KINDS:
        raise _Bad(f"{w}kind", f"{kind!r} is not one of {', '.join(KINDS)}", kind)
    scenario = _text(raw, "scenario", w, most=32)
    if scenario not in SCENARIOS:
        raise _Bad(f"{w}scenario", f"{scenario!r} is not one of {', '.join(SCENARIOS)}", scenario)
    start_text = _text(raw, "start_utc", w, most=40)
    try:
        start = utc_text_ns(parse_time_utc(start_text))
    except ValueError as error:
        raise _Bad(f"{w}start_utc", str(error), start_text) from None
    if int(start[:4]) != year:
        raise _Bad(f"{w}start_utc", f"{start_text} is not in the exercise's year {year}", start_text)
    duration = raw.get("duration_h")
    if not (isinstance(duration, int | float) and not isinstance(duration, bool) and math.isfinite(duration)
            and 0 < duration <= MAX_DURATION_H):
        raise _Bad(f"{w}duration_h", f"{duration!r} is not a number of hours in (0, {MAX_DURATION_H:g}]", duration)
    items = raw.get("objectives")
    if not (isinstance(items, list) and items):
        raise _Bad(f"{w}objectives", "not a non-empty list of objectives")
    objectives = tuple(_objective(o, f"{w}objectives[{k}].") for k, o in enumerate(items, 1))
    seen: set[str] = set()
    for k, objective in enumerate(objectives, 1):
        if objective.id in seen:
            raise _Bad(f"{w}objectives[{k}].id", f"{objective.id!r} is used twice in the exercise", objective.id)
        seen.add(objective.id)
        if objective.art_42_7 and level != "political-strategic":
            raise _Bad(f"{w}objectives[{k}].art_42_7",
                       f"an Article 42(7) objective belongs to a political-strategic exercise, not {level}")
    people = raw.get("participants")
    if not (isinstance(people, list) and people):
        raise _Bad(f"{w}participants", "not a non-empty list of {org, role}")
    participants = tuple(_participant(p, f"{w}participants[{k}].") for k, p in enumerate(people, 1))
    builds_on = raw.get("builds_on") or []
    if not (isinstance(builds_on, list) and all(isinstance(b, str) for b in builds_on)):
        raise _Bad(f"{w}builds_on", "not a list of precedent ids")
    for ref in builds_on:
        if ref not in precedents:
            raise _Bad(f"{w}builds_on", f"{ref!r} is not a precedent of the plan", ref)
    return Exercise(code, title, year, level, kind, objectives, participants, scenario, start, float(duration),
                    illustrative, tuple(builds_on), _text(raw, "note", w, required=False))


def _precedent(raw: object) -> Precedent:
    if not isinstance(raw, dict):
        raise _Bad("precedents", "not a mapping (id, name, year, summary, verified, sources)")
    w = "precedents."
    pid = _text(raw, "id", w, most=48)
    if not PRECEDENT_ID.match(pid):
        raise _Bad(f"{w}id", f"{pid!r} is not 2-48 lower-case letters, digits or hyphens", pid)
    name = _text(raw, "name", w, most=300)
    year = _year(raw.get("year"), f"{w}year")
    summary = _text(raw, "summary", w)
    verified = _bool(raw, "verified", w)
    sources = raw.get("sources") or []
    if not (isinstance(sources, list) and all(isinstance(s, str) and s.strip() for s in sources)):
        raise _Bad(f"{w}sources", "not a list of sources (URLs or document references)")
    if verified and not sources:
        raise _Bad(f"{w}sources", "a claim marked verified needs at least one source (URL or document)")
    checked = _text(raw, "checked", w, required=verified)
    level = raw.get("level")
    if level is not None and level not in LEVELS:
        raise _Bad(f"{w}level", f"{level!r} is not one of {', '.join(LEVELS)}", level)
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise _Bad(f"{w}kind", f"{kind!r} is not one of {', '.join(KINDS)}", kind)
    art = raw.get("art_42_7")
    if art is not None and not isinstance(art, bool):
        raise _Bad(f"{w}art_42_7", f"{art!r} is not true, false or absent (not known)", art)
    return Precedent(pid, name, year, summary, verified, tuple(s.strip() for s in sources), checked, level, kind, art)


def parse_plan(text: str, source: str) -> tuple[Plan, list[Rejection]]:
    """The plan in the YAML ``text`` and a :class:`~kompas.rejections.Rejection` per malformed exercise or precedent
    (unit ``item``: its number in its list; the field as ``exercises.objectives[2].steps``); the good ones are kept.
    A text that is not YAML, or whose top level (``title``, ``years: [first, last]``, ``illustrative``) is wrong, is
    one rejection (item 0) and an empty plan. Duplicate exercise codes and precedent ids: the later item is
    refused."""
    empty = Plan("", (0, 0), True)
    try:
        data = yaml_document(text, source, PlanLoader)
    except ValueError as error:
        return empty, [Rejection(source, 0, "", str(error).removeprefix(f"{source}: "), unit="item")]
    if not isinstance(data, dict):
        return empty, [Rejection(source, 0, "", "not a mapping with title, years, illustrative, exercises",
                                 unit="item")]
    try:
        title = _text(data, "title", "", most=300)
        illustrative = _bool(data, "illustrative", "")
        years = data.get("years")
        if not (isinstance(years, list) and len(years) == 2):
            raise _Bad("years", f"{years!r} is not [first, last]")
        first, last = _year(years[0], "years"), _year(years[1], "years")
        if first > last:
            raise _Bad("years", f"{first} is after {last}")
        for key in ("exercises", "precedents"):
            if not isinstance(data.get(key) or [], list):
                raise _Bad(key, "not a list")
    except _Bad as error:
        return empty, [Rejection(source, 0, error.field, error.reason, error.value, unit="item")]
    rejections: list[Rejection] = []
    precedents: list[Precedent] = []
    for number, raw in enumerate(data.get("precedents") or [], 1):
        try:
            found = _precedent(raw)
            if any(p.id == found.id for p in precedents):
                raise _Bad("precedents.id", f"{found.id!r} is used twice", found.id)
            precedents.append(found)
        except _Bad as error:
            rejections.append(Rejection(source, number, error.field, error.reason, error.value, unit="item"))
    ids = {p.id for p in precedents}
    exercises: list[Exercise] = []
    for number, raw in enumerate(data.get("exercises") or [], 1):
        try:
            exercise = _exercise(raw, (first, last), ids)
            if any(e.code == exercise.code for e in exercises):
                raise _Bad("exercises.code", f"{exercise.code!r} is used twice", exercise.code)
            exercises.append(exercise)
        except _Bad as error:
            rejections.append(Rejection(source, number, error.field, error.reason, error.value, unit="item"))
    plan = Plan(title, (first, last), illustrative, tuple(exercises), tuple(precedents),
                str(data.get("note") or "").strip())
    return plan, rejections


def findings(plan: Plan) -> list[Finding]:
    """The plan-level checks that are findings, not refusals, in year order: a level not exercised in a year
    (``level-missing``); a year with no exercise whose objectives cover the space workflow's first step, so not tied
    to the annual monitoring of Decision (CFSP) 2021/698 (``monitoring-untied``, 004 l.510-512); no Article 42(7)
    objective in the whole plan (``no-art-42-7``, 004 l.561-567)."""
    first_step = WORKFLOWS["space"].steps[0].id
    out: list[Finding] = []
    for year in range(plan.years[0], plan.years[1] + 1):
        exercises = plan.in_year(year)
        for level in LEVELS:
            if not any(e.level == level for e in exercises):
                out.append(Finding("level-missing", year, f"{year}: no exercise at {level} level"))
        if not any(o.workflow == "space" and first_step in o.steps for e in exercises for o in e.objectives):
            out.append(Finding("monitoring-untied", year,
                               f"{year}: no exercise has an objective on the space workflow's first step "
                               f"({first_step!r}), so the year is not tied to the annual monitoring of Decision "
                               f"(CFSP) 2021/698"))
    if not any(o.art_42_7 for e in plan.exercises for o in e.objectives):
        out.append(Finding("no-art-42-7", None, "no exercise has an Article 42(7) TEU objective (the conclusions "
                                                "ask for regular exercises on it, 004 l.561-567)"))
    return out

