"""Capability planning (issue 28, item 5): scenarios as data, requirements derived from them, gaps against the
register, trends between editions and a report section for the annual defence ministers' meeting.

The Strategic Compass ("Invest", capability development) asks to revise the capability planning scenarios of the
Headline Goal process, with the strategic planning elements *response time, duration, environment, distance and
concurrency*; to hold annual meetings of defence ministers on EU capability development from 2022; and by 2024 a
civilian capability process that assesses needs, develops requirements, analyses gaps and reviews progress
periodically. This module is that arithmetic, pure: YAML text in (the bundled scenarios, or a planner's), records of
a :class:`~kompas.forces.model.Register` in, dataclasses out.

**Scenarios** (:func:`parse_scenarios`, :func:`load_scenarios`; bundled ``kompas/data/forces/scenarios.yaml``) are
:class:`~kompas.forces.model.Scenario` records. Each figure in the YAML is a bare value or ``{value, source, note}``
(published; ``source`` a key of the file's ``sources`` or a URL) or ``{value, assumed, note}`` (not published: an
assumption, kept with the scenario, :func:`assumptions_of`, so every answer built on it can say so). Requirements
name a capability code (``capabilities.yaml``) or, for civilian scenarios, an expert profile (``profiles.yaml``),
both read through :mod:`kompas.forces.register`. Bad entries give one :class:`~kompas.rejections.Rejection` each
(unit ``item``, naming the field) and the good ones go through; YAML aliases are refused. The file's ``cases``
(:func:`parse_cases`, :func:`load_cases`) name combinations of its scenarios; :func:`scenario_from_dict` reads one
scenario posted as JSON with the same checks.

**Derived requirements** (:func:`derive`). A :class:`PlanningCase` is scenarios run at the same time, each with a
count of concurrent operations (by default the scenario's ``concurrency``). Per capability:

- ``required`` = sum over the case's scenarios of ``quantity x count`` (deployed at once);
- ``required_total`` adds the rotation: a military requirement of a scenario that lasts longer than one tour
  (``duration_days > tour_months x 365.25 / 12``) needs the steady-state pool
  :func:`kompas.forces.rotation.pool_steady_state` ``= ceil(D x (t + w) / t x o)``, tour ``t`` and dwell ``w``
  months, relief overlap ``o`` (case defaults: 6-month tours, 12 months' dwell, the 1:2 "rule of thirds";
  Helsinki: 60,000 for a year -> 180,000); shorter scenarios and civilian profiles (experts seconded for the
  mission) are not multiplied;
- ``readiness_days`` = the tightest response time: the smallest of the scenarios' response times and the
  requirements' own readiness.

**Gaps** (:func:`gaps`) against one register, per required capability: ``offered`` (every unit: a force element's
capability quantity, a rotation pool's units, one per expert of that profile), ``offered_ready`` (ready within the
tightest readiness; element and pool ``readiness_days``, an expert's ``notice_days`` -- training, clearance and
kit are the deployment plan's, :mod:`kompas.forces.deployment`), and two exact coverages computed
as maximum flows (networkx) from offers to the scenarios' requirements, so that one unit never counts twice across
concurrent operations and a unit only serves a requirement its nation's caveats admit (environment, distance,
duration, tasks; availability windows when the scenario has a start day) -- pairwise caveats (``not_with``,
``requires``) belong to one force and are left to force generation:

- ``covered``: units that can fill ``required_total`` whatever their readiness; ``quantity_shortfall`` =
  ``required_total - covered``;
- ``covered_ready``: units that can fill the deployed requirement *within each requirement's readiness*;
  ``readiness_shortfall`` = ``required - covered_ready`` (units not there in time, for whatever reason, including
  not offered at all). With nested readiness limits this is Hall's condition per readiness threshold; the flow also
  handles caveats, which are not nested.

Severity (a Kompas convention, not an EU scale): ``none`` (no shortfall), ``readiness`` (enough units, not all in
time), ``partial`` (units missing, coverage >= ``critical_below``, default one half), ``critical`` (below that).
Nations appear only as the register passed in shows them: aggregates are computed from that register alone (the
platform passes what the viewer may see).

**Trends** (:func:`trends`) compare editions of the register (``Register.edition``, sortable strings such as
``"2025"``): per capability the offered quantity, the fastest and the (quantity-weighted, lower) median readiness,
nations offering and, given a case, coverage and severity; gaps closed and opened between consecutive editions; per
nation and capability the contribution per edition.

**Report** (:func:`annual_report`): a :class:`PlanningReport` with headline figures, the gap table, the trend table,
the assumptions and sources of the scenarios, the markings of what it used, and :meth:`PlanningReport.as_dict`.

Units: days, km from Brussels, months (tours), quantities in the capability's own units (companies, teams,
aircraft, ships; experts for profiles), troops/personnel for ceilings.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import networkx as nx
import yaml

from kompas.forces.model import (
    ENVIRONMENTS,
    MAX_TROOPS_RDC,
    Caveats,
    Register,
    Requirement,
    Scenario,
)
from kompas.forces.register import capability_codes, profile_codes
from kompas.forces.rotation import pool_steady_state
from kompas.rejections import Rejection
from kompas.texts import NoAliases

DAYS_PER_MONTH = 365.25 / 12  #: for comparing a duration in days with a tour in months
DEFAULT_TOUR_MONTHS = 6
DEFAULT_DWELL_MONTHS = 12  #: 1:2 deployed to home, the "rule of thirds"
SEVERITIES = ("none", "readiness", "partial", "critical")  #: gap severities, mildest first
CRITICAL_BELOW = 0.5  #: coverage below which a quantity gap is "critical"
BUNDLED = "forces/scenarios.yaml"  #: the shipped scenarios, under ``kompas/data``
MEETING = ("Annual meeting of EU defence ministers on EU defence initiatives for capability development "
           "(Strategic Compass, 'Invest': from 2022, chaired by the High Representative / Head of the European "
           "Defence Agency)")
SCOPE = ("Computed only from the register records passed in (what the viewer may see); other records, if any, "
         "are not counted.")
MAX_SCENARIOS = 1000  #: scenarios one file may hold (a bound on the cost of one request)
MAX_REQUIREMENTS = 200  #: requirements of one scenario
_SCENARIO_KEYS = {"name", "title", "sources", "illustrative", "notes", "response_days", "duration_days",
                  "environment", "distance_km", "max_troops", "concurrency", "tasks", "start", "requirements"}
_REQUIREMENT_KEYS = {"capability", "quantity", "task", "readiness_days"}
_CASE_KEYS = {"name", "title", "scenarios", "tour_months", "dwell_months", "overlap", "notes", "assumed", "sources"}
_FIGURE_KEYS = {"value", "source", "assumed", "note"}
_TOP_KEYS = {"sources", "scenarios", "cases"}


# ---------------------------------------------------------------------------------------------------------------
# Scenarios as data
# ---------------------------------------------------------------------------------------------------------------

class _Bad(ValueError):
    def __init__(self, field_name: str, reason: str, value: object = "") -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason
        self.value = "" if value == "" else _shown(value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class _Book:
    """What one entry's figures said about themselves: the sources they cite and the assumptions they make."""

    library: Mapping[str, str]  #: source key -> URL
    urls: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)

    def resolve(self, ref: object, where: str) -> str:
        """The URL of a source reference: a key of the file's ``sources`` or a URL."""
        text = str(ref).strip() if isinstance(ref, str | int) else ""
        if text in self.library:
            url = self.library[text]
        elif text.startswith(("https://", "http://")):
            url = text
        else:
            raise _Bad(where, f"unknown source {ref!r} (neither a key of 'sources' nor an http(s) URL)", ref)
        if url not in self.urls:
            self.urls.append(url)
        return url


def _figure(raw: object, where: str, book: _Book) -> object:
    """The value of a figure given bare or as ``{value, source|assumed, note}``, recording its provenance."""
    if not isinstance(raw, Mapping):
        return raw
    unknown = sorted(str(k) for k in raw if k not in _FIGURE_KEYS)
    if unknown:
        raise _Bad(where, f"unknown key {unknown[0]!r} (a figure is a value or {{value, source or assumed, note}})")
    if "value" not in raw:
        raise _Bad(where, "a figure given as a mapping needs 'value'")
    value = raw["value"]
    assumed, source = raw.get("assumed"), raw.get("source")
    note = " ".join(str(raw.get("note") or "").split())
    if assumed not in (None, False) and source is not None:
        raise _Bad(where, "is given both a source and 'assumed'; it is one or the other")
    if assumed not in (None, False):
        why = " ".join(assumed.split()) if isinstance(assumed, str) else note
        book.assumed.append(f"{where} = {value}" + (f": {why}" if why else ""))
    elif source is not None:
        book.resolve(source, where)
    else:
        raise _Bad(where, "a figure given as a mapping needs 'source' (published) or 'assumed' (not published)")
    return value


def _whole(raw: object, where: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise _Bad(where, f"must be a whole number from {low:,} to {high:,}, got {_shown(raw)}", raw)
    return raw


def _text(raw: object, where: str, required: bool = False) -> str:
    if raw is None:
        if required:
            raise _Bad(where, "missing")
        return ""
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise _Bad(where, f"must be text, got {_shown(raw)}", raw)
    text = " ".join(str(raw).split())
    if required and not text:
        raise _Bad(where, "missing")
    return text


def _texts(raw: object, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _Bad(where, f"must be a list, got {_shown(raw)}", raw)
    return tuple(_text(item, f"{where}[{i}]", required=True) for i, item in enumerate(raw, start=1))


def _library(document: Mapping[str, Any], source: str) -> tuple[dict[str, str], list[Rejection]]:
    """The file's ``sources``: key -> URL (``{title, url}`` or a bare URL); a rejection per bad entry."""
    raw = document.get("sources") or {}
    if not isinstance(raw, Mapping):
        return {}, [Rejection(source, 0, "sources", "must be a mapping of source keys to {title, url}", unit="item")]
    out: dict[str, str] = {}
    bad: list[Rejection] = []
    for key, entry in raw.items():
        url = entry.get("url") if isinstance(entry, Mapping) else entry
        if not isinstance(url, str) or not url.strip().startswith(("https://", "http://")):
            bad.append(Rejection(source, 0, f"sources.{key}", f"source {key}: needs an http(s) 'url', got "
                                 f"{_shown(url)}", value=_shown(url), unit="item"))
            continue
        out[str(key)] = url.strip()
    return out, bad


def _document(text: str, source: str) -> tuple[Mapping[str, Any] | None, list[Rejection]]:
    try:
        document = yaml.load(text, Loader=NoAliases)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return None, [Rejection(source, 0, "", f"not YAML: {problem}{where}", unit="item")]
    if not isinstance(document, Mapping):
        return None, [Rejection(source, 0, "", "not a YAML mapping with 'scenarios' (and optionally 'sources', "
                                               "'cases')", unit="item")]
    rejections = [Rejection(source, 0, str(k), f"unknown top-level key {k!r} (known: {', '.join(sorted(_TOP_KEYS))})",
                            unit="item") for k in document if k not in _TOP_KEYS]
    return document, rejections


def _requirement(raw: object, where: str, book: _Book, known: frozenset[str]) -> Requirement:
    if not isinstance(raw, Mapping):
        raise _Bad(where, f"must be a mapping {{capability, quantity, task, readiness_days}}, got {_shown(raw)}", raw)
    unknown = sorted(str(k) for k in raw if k not in _REQUIREMENT_KEYS)
    if unknown:
        raise _Bad(f"{where}.{unknown[0]}", f"unknown field (known: {', '.join(sorted(_REQUIREMENT_KEYS))})")
    capability = _text(raw.get("capability"), f"{where}.capability", required=True)
    if capability not in known:
        raise _Bad(f"{where}.capability", f"unknown capability or profile code {capability!r}", capability)
    quantity = _whole(_figure(raw.get("quantity"), f"{where}.quantity", book), f"{where}.quantity", 1, 100_000)
    readiness = raw.get("readiness_days")
    ready = None if readiness is None else _whole(_figure(readiness, f"{where}.readiness_days", book),
                                                  f"{where}.readiness_days", 0, 3650)
    return Requirement(capability=capability, quantity=quantity, task=_text(raw.get("task"), f"{where}.task"),
                       readiness_days=ready)


def _date(raw: object, where: str) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise _Bad(where, f"must be a date YYYY-MM-DD, got {_shown(raw)}", raw) from None


def _scenario(entry: Mapping[str, Any], library: Mapping[str, str], known: frozenset[str]) -> Scenario:
    unknown = sorted(str(k) for k in entry if k not in _SCENARIO_KEYS)
    if unknown:
        raise _Bad(unknown[0], f"unknown field (known: {', '.join(sorted(_SCENARIO_KEYS))})")
    book = _Book(library)
    name = _text(entry.get("name"), "name", required=True)
    for ref in _texts(entry.get("sources"), "sources"):
        book.resolve(ref, "sources")
    illustrative = entry.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise _Bad("illustrative", f"must be true or false, got {_shown(illustrative)}", illustrative)
    for key in ("response_days", "duration_days", "requirements"):
        if entry.get(key) is None:
            raise _Bad(key, "missing")
    response = _whole(_figure(entry["response_days"], "response_days", book), "response_days", 0, 3650)
    duration = _whole(_figure(entry["duration_days"], "duration_days", book), "duration_days", 1, 36_500)
    environment = _figure(entry.get("environment", "permissive"), "environment", book)
    if environment not in ENVIRONMENTS:
        raise _Bad("environment", f"must be one of {', '.join(ENVIRONMENTS)}, got {_shown(environment)}",
                   environment)
    distance = _figure(entry.get("distance_km", 0), "distance_km", book)
    if (isinstance(distance, bool) or not isinstance(distance, int | float) or not math.isfinite(distance)
            or not 0 <= distance <= 20_100):
        raise _Bad("distance_km", f"must be a distance in km from 0 to 20,100, got {_shown(distance)}", distance)
    troops = _whole(_figure(entry.get("max_troops", MAX_TROOPS_RDC), "max_troops", book), "max_troops", 1,
                    1_000_000)
    concurrency = _whole(_figure(entry.get("concurrency", 1), "concurrency", book), "concurrency", 1, 100)
    raw_requirements = entry["requirements"]
    if not isinstance(raw_requirements, list) or not raw_requirements:
        raise _Bad("requirements", "must be a non-empty list of {capability, quantity}")
    if len(raw_requirements) > MAX_REQUIREMENTS:
        raise _Bad("requirements", f"more than {MAX_REQUIREMENTS} requirements")
    requirements: list[Requirement] = []
    seen: set[tuple[str, str]] = set()
    for i, raw in enumerate(raw_requirements, start=1):
        requirement = _requirement(raw, f"requirements[{i}]", book, known)
        if (requirement.capability, requirement.task) in seen:
            raise _Bad(f"requirements[{i}].capability", f"{requirement.capability}"
                       + (f" for task {requirement.task!r}" if requirement.task else "")
                       + " is listed twice (give one quantity)", requirement.capability)
        seen.add((requirement.capability, requirement.task))
        requirements.append(requirement)
    return Scenario(name=name, requirements=tuple(requirements), response_days=response, duration_days=duration,
                    distance_km=float(distance), environment=str(environment),
                    tasks=_texts(entry.get("tasks"), "tasks"), concurrency=concurrency, max_troops=troops,
                    start=_date(entry.get("start"), "start"), title=_text(entry.get("title"), "title"),
                    illustrative=illustrative or bool(book.assumed), source_url=book.urls[0] if book.urls else "",
                    notes=_text(entry.get("notes"), "notes"), sources=tuple(book.urls), assumed=tuple(book.assumed))


def _known(known: Iterable[str] | None) -> frozenset[str]:
    return frozenset(known) if known is not None else capability_codes() | profile_codes()


def parse_scenarios(text: str, source: str = "scenarios.yaml",
                    known: Iterable[str] | None = None) -> tuple[list[Scenario], list[Rejection]]:
    """The scenarios of a YAML file (``sources: {key: {title, url}}``, ``scenarios: [...]``; the format is the
    bundled ``scenarios.yaml``'s) and one :class:`~kompas.rejections.Rejection` (unit ``item``: the scenario's 1-based
    place in ``scenarios``; 0 for the file as a whole) per bad entry, naming the field; the good scenarios go
    through. A scenario with any bad field or requirement is rejected whole (a scenario without one of its
    requirements would understate the need). Aliases (``*name``) are refused; requirement codes must be in
    ``known`` (default: the capability and profile codes of :mod:`kompas.forces.register`)."""
    document, rejections = _document(text, source)
    if document is None:
        return [], rejections
    entries = document.get("scenarios")
    if not isinstance(entries, list):
        return [], [*rejections, Rejection(source, 0, "scenarios", "a list under 'scenarios' is expected",
                                           unit="item")]
    if len(entries) > MAX_SCENARIOS:
        return [], [*rejections, Rejection(source, 0, "scenarios", f"more than {MAX_SCENARIOS} scenarios",
                                           unit="item")]
    library, bad_sources = _library(document, source)
    rejections += bad_sources
    codes = _known(known)
    out: list[Scenario] = []
    names: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            rejections.append(Rejection(source, number, "", f"scenario {number}: not a mapping: {_shown(entry)}",
                                        value=_shown(entry), unit="item"))
            continue
        label = entry.get("name") if isinstance(entry.get("name"), str) else f"#{number}"
        try:
            scenario = _scenario(entry, library, codes)
        except _Bad as bad:
            rejections.append(Rejection(source, number, bad.field, f"scenario {label}: {bad.reason}",
                                        value=bad.value, unit="item"))
            continue
        if scenario.name in names:
            rejections.append(Rejection(source, number, "name", f"scenario {scenario.name}: listed twice (the first "
                                        "is kept)", value=scenario.name, unit="item"))
            continue
        names.add(scenario.name)
        out.append(scenario)
    return out, rejections


def _bundled_text() -> str:
    from kompas.files import read_packaged

    return read_packaged(BUNDLED)


def load_scenarios(text: str | None = None, source: str | None = None
                   ) -> tuple[list[Scenario], list[Rejection]]:
    """The scenarios of ``text`` (default: the bundled ``kompas/data/forces/scenarios.yaml``) and the rejections of
    :func:`parse_scenarios` (the good scenarios go through)."""
    if text is None:
        text, source = _bundled_text(), source or f"kompas/data/{BUNDLED}"
    return parse_scenarios(text, source or "scenarios.yaml")


def scenario_from_dict(data: Mapping[str, Any], source: str = "posted",
                       known: Iterable[str] | None = None) -> tuple[Scenario | None, list[Rejection]]:
    """One scenario given as data (a JSON body, or one YAML document): either a scenario mapping (its sources are
    URLs) or a document ``{sources, scenarios: [one]}`` (its sources may be keys of ``sources``). The validation is
    :func:`parse_scenarios`'s; ``(None, rejections)`` when it cannot be used (unit ``item``, item 1)."""
    if not isinstance(data, Mapping):
        return None, [Rejection(source, 0, "", "a scenario is a mapping (name, response_days, duration_days, "
                                               "requirements ...)", unit="item")]
    library: Mapping[str, str] = {}
    rejections: list[Rejection] = []
    entry: object = data
    if "scenarios" in data:
        entries = data["scenarios"]
        if not isinstance(entries, list) or len(entries) != 1:
            return None, [Rejection(source, 0, "scenarios", "exactly one scenario is expected here", unit="item")]
        library, rejections = _library(data, source)
        entry = entries[0]
    if not isinstance(entry, Mapping):
        return None, [*rejections, Rejection(source, 1, "", f"scenario: not a mapping: {_shown(entry)}",
                                             value=_shown(entry), unit="item")]
    label = entry.get("name") if isinstance(entry.get("name"), str) else "#1"
    try:
        return _scenario(entry, library, _known(known)), rejections
    except _Bad as bad:
        return None, [*rejections, Rejection(source, 1, bad.field, f"scenario {label}: {bad.reason}",
                                             value=bad.value, unit="item")]


def sources_of(scenario: Scenario) -> list[str]:
    """The source URLs of a scenario: ``sources``, else ``source_url`` when that alone is set."""
    return list(scenario.sources) or ([scenario.source_url] if scenario.source_url else [])


def assumptions_of(scenario: Scenario) -> list[str]:
    """The figures of a scenario that are assumed, not published, one line each (``"FIELD = VALUE: why"``)."""
    return list(scenario.assumed)


def civilian(scenario: Scenario) -> bool:
    """Whether every requirement of the scenario is a civilian expert profile."""
    profiles = profile_codes()
    return bool(scenario.requirements) and all(r.capability in profiles for r in scenario.requirements)


# ---------------------------------------------------------------------------------------------------------------
# Planning cases and derived requirements
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanningCase:
    """Scenarios run at the same time: ``entries`` pairs each scenario with its count of concurrent operations; tours
    and dwell in months; ``overlap`` >= 1 a relief-in-place factor (see the module docstring)."""

    name: str
    entries: tuple[tuple[Scenario, int], ...]
    tour_months: int = DEFAULT_TOUR_MONTHS
    dwell_months: int = DEFAULT_DWELL_MONTHS
    overlap: float = 1.0
    title: str = ""
    notes: str = ""
    assumed: tuple[str, ...] = ()  #: assumptions of the case itself (the combination, the tour ...)
    sources: tuple[str, ...] = ()

    @classmethod
    def of(cls, scenarios: Iterable[Scenario], name: str = "", **options: Any) -> PlanningCase:  # noqa: ANN401
        """A case of ``scenarios``, each at its own ``concurrency``."""
        chosen = tuple((s, s.concurrency) for s in scenarios)
        return cls(name=name or " + ".join(s.name for s, _ in chosen), entries=chosen, **options)

    @property
    def scenarios(self) -> list[Scenario]:
        return [s for s, _ in self.entries]

    @property
    def illustrative(self) -> bool:
        """Whether anything in the case is assumed or illustrative (answers then say so)."""
        return bool(self.assumed) or any(s.illustrative or assumptions_of(s) for s, _ in self.entries)

    def assumptions(self) -> list[str]:
        """Every assumption the case rests on: its own, then each scenario's (prefixed with the scenario name)."""
        out = [f"case {self.name}: {a}" for a in self.assumed]
        for s, _ in self.entries:
            out += [f"{s.name}: {a}" for a in assumptions_of(s)]
        return out

    def source_urls(self) -> list[str]:
        out = list(self.sources)
        for s, _ in self.entries:
            out += [u for u in sources_of(s) if u not in out]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "tour_months": self.tour_months,
                "dwell_months": self.dwell_months, "overlap": self.overlap, "notes": self.notes,
                "illustrative": self.illustrative, "assumed": list(self.assumed), "sources": list(self.sources),
                "scenarios": [{**scenario_dict(s), "count": n} for s, n in self.entries]}


def scenario_dict(s: Scenario) -> dict[str, Any]:
    """A scenario as JSON-ready data (with its sources and assumptions)."""
    return {"name": s.name, "title": s.title, "response_days": s.response_days, "duration_days": s.duration_days,
            "distance_km": s.distance_km, "environment": s.environment, "concurrency": s.concurrency,
            "max_troops": s.max_troops, "tasks": list(s.tasks), "start": s.start.isoformat() if s.start else None,
            "requirements": [{"capability": r.capability, "quantity": r.quantity, "task": r.task,
                              "readiness_days": r.readiness_days} for r in s.requirements],
            "illustrative": s.illustrative, "sources": sources_of(s), "assumed": assumptions_of(s),
            "notes": s.notes}


def _case(entry: Mapping[str, Any], library: Mapping[str, str], scenarios: Mapping[str, Scenario]) -> PlanningCase:
    unknown = sorted(str(k) for k in entry if k not in _CASE_KEYS)
    if unknown:
        raise _Bad(unknown[0], f"unknown field (known: {', '.join(sorted(_CASE_KEYS))})")
    book = _Book(library)
    name = _text(entry.get("name"), "name", required=True)
    for ref in _texts(entry.get("sources"), "sources"):
        book.resolve(ref, "sources")
    chosen = entry.get("scenarios")
    if not isinstance(chosen, Mapping) or not chosen:
        raise _Bad("scenarios", "must map scenario names to counts (null: the scenario's own concurrency)")
    entries: list[tuple[Scenario, int]] = []
    for key, count in chosen.items():
        scenario = scenarios.get(str(key))
        if scenario is None:
            raise _Bad(f"scenarios.{key}", f"unknown or rejected scenario {key!r}", key)
        entries.append((scenario, scenario.concurrency if count is None
                        else _whole(_figure(count, f"scenarios.{key}", book), f"scenarios.{key}", 1, 100)))
    tour = _whole(_figure(entry.get("tour_months", DEFAULT_TOUR_MONTHS), "tour_months", book), "tour_months", 1, 60)
    dwell = _whole(_figure(entry.get("dwell_months", DEFAULT_DWELL_MONTHS), "dwell_months", book), "dwell_months",
                   0, 120)
    overlap = _figure(entry.get("overlap", 1.0), "overlap", book)
    if isinstance(overlap, bool) or not isinstance(overlap, int | float) or not 1 <= overlap <= 3:
        raise _Bad("overlap", f"must be a factor from 1 to 3, got {_shown(overlap)}", overlap)
    assumed = entry.get("assumed")
    if assumed is not None:
        book.assumed.append(_text(assumed, "assumed", required=True))
    return PlanningCase(name=name, entries=tuple(entries), tour_months=tour, dwell_months=dwell,
                        overlap=float(overlap), title=_text(entry.get("title"), "title"),
                        notes=_text(entry.get("notes"), "notes"), assumed=tuple(book.assumed),
                        sources=tuple(book.urls))


def parse_cases(text: str, scenarios: Iterable[Scenario], source: str = "scenarios.yaml"
                ) -> tuple[list[PlanningCase], list[Rejection]]:
    """The planning cases under ``cases`` of a scenarios file (``{name, title, scenarios: {NAME: COUNT or null},
    tour_months, dwell_months, overlap, assumed, sources, notes}``) over ``scenarios`` (by name), and one rejection
    per bad case (unit ``item``: its 1-based place in ``cases``). A file without ``cases`` has none."""
    document, rejections = _document(text, source)
    if document is None:
        return [], rejections
    entries = document.get("cases")
    if entries is None:
        return [], []
    if not isinstance(entries, list):
        return [], [Rejection(source, 0, "cases", "a list under 'cases' is expected", unit="item")]
    library, _ = _library(document, source)  # bad sources are reported by parse_scenarios
    by_name = {s.name: s for s in scenarios}
    out: list[PlanningCase] = []
    bad: list[Rejection] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            bad.append(Rejection(source, number, "", f"case {number}: not a mapping", unit="item"))
            continue
        label = entry.get("name") if isinstance(entry.get("name"), str) else f"#{number}"
        try:
            case = _case(entry, library, by_name)
        except _Bad as error:
            bad.append(Rejection(source, number, error.field, f"case {label}: {error.reason}",
                                 value=error.value, unit="item"))
            continue
        if any(c.name == case.name for c in out):
            bad.append(Rejection(source, number, "name", f"case {case.name}: listed twice (the first is kept)",
                                 unit="item"))
            continue
        out.append(case)
    return out, bad


def load_cases(text: str | None = None, scenarios: Iterable[Scenario] | None = None, source: str | None = None
               ) -> tuple[list[PlanningCase], list[Rejection]]:
    """The planning cases of ``text`` (default: the bundled file) over ``scenarios`` (default: that file's own, their
    rejections included in the answer) and the rejections."""
    if text is None:
        text, source = _bundled_text(), source or f"kompas/data/{BUNDLED}"
    source = source or "scenarios.yaml"
    told: list[Rejection] = []
    if scenarios is None:
        scenarios, told = parse_scenarios(text, source)
    cases, bad = parse_cases(text, scenarios, source)
    return cases, told + [r for r in bad if r not in told]


def _ready_by(r: Requirement, s: Scenario) -> int:
    """The readiness a requirement asks for, days: the scenario's response time unless the requirement is tighter
    (as force generation reads it)."""
    return s.response_days if r.readiness_days is None else min(r.readiness_days, s.response_days)


def rotates(duration_days: int, tour_months: int) -> bool:
    """Whether an operation of ``duration_days`` outlasts one tour of ``tour_months`` (months of 365.25/12 days)."""
    return duration_days > tour_months * DAYS_PER_MONTH


def sustained(deployed: int, duration_days: int, tour_months: int = DEFAULT_TOUR_MONTHS,
              dwell_months: int = DEFAULT_DWELL_MONTHS, overlap: float = 1.0) -> int:
    """Units (or people) needed to keep ``deployed`` in place for ``duration_days``: ``deployed`` when the operation
    fits in one tour, else the steady-state pool :func:`~kompas.forces.rotation.pool_steady_state`
    ``ceil(D x (t + w) / t x o)``."""
    if deployed <= 0:
        return 0
    if not rotates(duration_days, tour_months):
        return deployed
    return pool_steady_state(deployed, tour_months, dwell_months, overlap)


@dataclass(frozen=True)
class Demand:
    """One requirement of one scenario in a case: ``quantity`` per operation, ``count`` operations at once,
    ``deployed = quantity x count`` at once, ``total`` with rotation; ``readiness_days`` as asked."""

    scenario: Scenario
    requirement: Requirement
    count: int
    deployed: int
    total: int
    readiness_days: int
    rotating: bool

    def as_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario.name, "capability": self.requirement.capability,
                "task": self.requirement.task, "quantity": self.requirement.quantity, "count": self.count,
                "deployed": self.deployed, "total": self.total, "readiness_days": self.readiness_days,
                "rotating": self.rotating}


@dataclass(frozen=True)
class DerivedRequirement:
    """What a case asks of one capability: ``required`` at once, ``required_total`` with rotation, ready within
    ``readiness_days`` (the tightest), from the ``demands`` of its scenarios."""

    capability: str
    required: int
    required_total: int
    readiness_days: int
    demands: tuple[Demand, ...]

    @property
    def rotating(self) -> bool:
        return any(d.rotating for d in self.demands)

    @property
    def civilian(self) -> bool:
        return self.capability in profile_codes()

    @property
    def scenarios(self) -> list[str]:
        return list(dict.fromkeys(d.scenario.name for d in self.demands))

    def as_dict(self) -> dict[str, Any]:
        return {"capability": self.capability, "civilian": self.civilian, "required": self.required,
                "required_total": self.required_total, "readiness_days": self.readiness_days,
                "rotating": self.rotating, "scenarios": self.scenarios,
                "demands": [d.as_dict() for d in self.demands]}


def _check_case(case: PlanningCase) -> None:
    if case.tour_months < 1 or case.dwell_months < 0 or not math.isfinite(case.overlap) or case.overlap < 1:
        raise ValueError(f"case {case.name}: tour_months >= 1, dwell_months >= 0 and overlap >= 1 are needed "
                         f"(got {case.tour_months}, {case.dwell_months}, {case.overlap})")
    for s, n in case.entries:
        if n < 0:
            raise ValueError(f"case {case.name}: scenario {s.name} has a negative count {n}")


def derive(case: PlanningCase) -> list[DerivedRequirement]:
    """The requirements of ``case`` per capability (see the module docstring), in the order capabilities first
    appear in its scenarios. Raises ``ValueError`` for a negative count or an impossible tour rule."""
    _check_case(case)
    demands: dict[str, list[Demand]] = defaultdict(list)
    profiles = profile_codes()
    for s, n in case.entries:
        if n == 0:
            continue
        for r in s.requirements:
            deployed = r.quantity * n
            rotating = r.capability not in profiles and rotates(s.duration_days, case.tour_months)
            total = (pool_steady_state(deployed, case.tour_months, case.dwell_months, case.overlap) if rotating
                     else deployed)
            demands[r.capability].append(Demand(s, r, n, deployed, total, _ready_by(r, s), rotating))
    return [DerivedRequirement(capability=c, required=sum(d.deployed for d in ds),
                               required_total=sum(d.total for d in ds),
                               readiness_days=min(d.readiness_days for d in ds), demands=tuple(ds))
            for c, ds in demands.items()]


# ---------------------------------------------------------------------------------------------------------------
# Gaps against the register
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Offer:
    """Units of one capability from one record (experts of one nation, profile and notice pooled)."""

    nation: str
    quantity: int
    readiness_days: int
    caveats: Caveats = field(default_factory=Caveats)
    available_from: date | None = None
    available_to: date | None = None


def _offers(register: Register) -> dict[str, list[_Offer]]:
    """Every unit the register offers, by capability code (and profile code for experts)."""
    out: dict[str, list[_Offer]] = defaultdict(list)
    for e in register.elements:
        for capability, quantity in e.capabilities.items():
            if quantity > 0:
                out[capability].append(_Offer(e.nation, quantity, e.readiness_days, e.caveats, e.available_from,
                                              e.available_to))
    for p in register.pools:
        if p.units > 0:
            out[p.capability].append(_Offer(p.nation, p.units, p.readiness_days, Caveats(), p.available_from,
                                            p.available_to))
    experts: dict[tuple[str, str, int, date | None, date | None], int] = defaultdict(int)
    for x in register.experts:
        experts[(x.profile, x.nation, x.notice_days, x.available_from, x.available_to)] += 1
    for (profile, nation, notice, start, end), count in experts.items():
        out[profile].append(_Offer(nation, count, notice, Caveats(), start, end))
    return out


def _admits(o: _Offer, d: Demand) -> bool:
    """Whether the offer's caveats and availability let it serve demand ``d`` (readiness aside)."""
    s, c = d.scenario, o.caveats
    if s.start is not None:
        end = s.start + timedelta(days=s.duration_days)
        if (o.available_from is not None and o.available_from > s.start) or (o.available_to is not None
                                                                             and end > o.available_to):
            return False
    if c.environments and s.environment not in c.environments:
        return False
    if c.max_distance_km is not None and s.distance_km > c.max_distance_km:
        return False
    if c.max_duration_days is not None and s.duration_days > c.max_duration_days:
        return False
    if d.requirement.task and d.requirement.task in c.excluded_tasks:
        return False
    return not (s.tasks and set(s.tasks) <= set(c.excluded_tasks))


def _flow(offers: Sequence[_Offer], demands: Sequence[Demand], total: bool) -> int:
    """The most units of ``offers`` that can fill ``demands`` (their ``total`` with rotation, readiness aside; or
    their ``deployed`` within each demand's readiness), one unit serving one demand: a maximum flow (networkx).
    Offers are pooled by the set of demands they may serve, so the graph has at most ``2^len(demands)`` offer
    nodes however large the register."""
    need = [d.total if total else d.deployed for d in demands]
    pooled: dict[tuple[int, ...], int] = defaultdict(int)  # offers serving the same demands are interchangeable
    for o in offers:
        targets = tuple(j for j, d in enumerate(demands) if need[j] > 0 and _admits(o, d)
                        and (total or o.readiness_days <= d.readiness_days))
        if targets:
            pooled[targets] += o.quantity
    if len(pooled) <= 1:  # one kind of offer (or none): it fills what it may serve, up to its quantity
        return sum(min(q, sum(need[j] for j in targets)) for targets, q in pooled.items())
    graph: nx.DiGraph[object] = nx.DiGraph()
    for j, amount in enumerate(need):
        if amount > 0:
            graph.add_edge(("d", j), "sink", capacity=amount)
    for targets, quantity in pooled.items():
        graph.add_edge("source", ("o", targets), capacity=quantity)
        for j in targets:
            graph.add_edge(("o", targets), ("d", j))  # no capacity attribute: unbounded
    if "source" not in graph or "sink" not in graph:
        return 0
    return int(nx.maximum_flow_value(graph, "source", "sink"))


@dataclass(frozen=True)
class Gap:
    """One capability's requirement against the register (see the module docstring for every figure)."""

    capability: str
    required: int
    required_total: int
    readiness_days: int
    offered: int
    offered_ready: int
    covered: int
    covered_ready: int
    caveat_excluded: int  #: units offered that no requiring scenario's caveats (or availability) admit
    by_nation: dict[str, int]  #: nation -> units offered
    ready_by_nation: dict[str, int]  #: nation -> units offered within ``readiness_days``
    severity: str
    scenarios: tuple[str, ...]
    rotating: bool

    @property
    def quantity_shortfall(self) -> int:
        return self.required_total - self.covered

    @property
    def readiness_shortfall(self) -> int:
        return self.required - self.covered_ready

    @property
    def coverage(self) -> float:
        """``covered / required_total`` (1 when nothing is required)."""
        return self.covered / self.required_total if self.required_total else 1.0

    @property
    def nations(self) -> int:
        return len(self.by_nation)

    @property
    def civilian(self) -> bool:
        return self.capability in profile_codes()

    def as_dict(self) -> dict[str, Any]:
        return {"capability": self.capability, "civilian": self.civilian, "required": self.required,
                "required_total": self.required_total, "readiness_days": self.readiness_days,
                "offered": self.offered, "offered_ready": self.offered_ready, "covered": self.covered,
                "covered_ready": self.covered_ready, "quantity_shortfall": self.quantity_shortfall,
                "readiness_shortfall": self.readiness_shortfall, "caveat_excluded": self.caveat_excluded,
                "coverage": round(self.coverage, 4), "severity": self.severity, "nations": self.nations,
                "by_nation": dict(sorted(self.by_nation.items())),
                "ready_by_nation": dict(sorted(self.ready_by_nation.items())), "scenarios": list(self.scenarios),
                "rotating": self.rotating}


def severity(quantity_shortfall: int, readiness_shortfall: int, coverage: float,
             critical_below: float = CRITICAL_BELOW) -> str:
    """The gap's severity (:data:`SEVERITIES`, see the module docstring)."""
    if quantity_shortfall <= 0:
        return "none" if readiness_shortfall <= 0 else "readiness"
    return "partial" if coverage >= critical_below else "critical"


def _gap(need: DerivedRequirement, offers: Sequence[_Offer], critical_below: float) -> Gap:
    by_nation: dict[str, int] = defaultdict(int)
    ready_by_nation: dict[str, int] = defaultdict(int)
    for o in offers:
        by_nation[o.nation] += o.quantity
        if o.readiness_days <= need.readiness_days:
            ready_by_nation[o.nation] += o.quantity
    covered = _flow(offers, need.demands, total=True)
    covered_ready = _flow(offers, need.demands, total=False)
    excluded = sum(o.quantity for o in offers if not any(_admits(o, d) for d in need.demands))
    coverage = covered / need.required_total if need.required_total else 1.0
    return Gap(capability=need.capability, required=need.required, required_total=need.required_total,
               readiness_days=need.readiness_days, offered=sum(by_nation.values()),
               offered_ready=sum(ready_by_nation.values()), covered=covered, covered_ready=covered_ready,
               caveat_excluded=excluded, by_nation=dict(by_nation), ready_by_nation=dict(ready_by_nation),
               severity=severity(need.required_total - covered, need.required - covered_ready, coverage,
                                 critical_below),
               scenarios=tuple(need.scenarios), rotating=need.rotating)


def gaps(case: PlanningCase, register: Register, critical_below: float = CRITICAL_BELOW) -> list[Gap]:
    """Per capability the case requires, what ``register`` offers against it (see the module docstring), the most
    severe gaps first (then the largest quantity shortfall, then the code). Computed only from ``register``."""
    return _gaps(case, _offers(register), critical_below)


def _gaps(case: PlanningCase, offers: Mapping[str, list[_Offer]], critical_below: float) -> list[Gap]:
    out = [_gap(need, offers.get(need.capability, []), critical_below) for need in derive(case)]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(out, key=lambda g: (-rank[g.severity], -g.quantity_shortfall, -g.readiness_shortfall,
                                      g.capability))


# ---------------------------------------------------------------------------------------------------------------
# Trends between editions
# ---------------------------------------------------------------------------------------------------------------

def _median_days(offers: Sequence[_Offer]) -> int | None:
    """The quantity-weighted lower median of the offers' readiness days."""
    units = sorted((o.readiness_days, o.quantity) for o in offers)
    half = sum(q for _, q in units) / 2
    seen = 0
    for days, quantity in units:
        seen += quantity
        if seen >= half:
            return days
    return None


@dataclass(frozen=True)
class TrendRow:
    """One capability across editions (each tuple in the order of ``editions``); ``covered_ready`` and ``severity``
    only when a case was given and it requires the capability."""

    capability: str
    editions: tuple[str, ...]
    offered: tuple[int, ...]
    fastest_days: tuple[int | None, ...]
    median_days: tuple[int | None, ...]
    nations: tuple[int, ...]
    required: int | None = None
    covered_ready: tuple[int, ...] | None = None
    severity: tuple[str, ...] | None = None

    @property
    def change(self) -> int:
        """Offered in the last edition minus the first."""
        return self.offered[-1] - self.offered[0]

    def as_dict(self) -> dict[str, Any]:
        return {"capability": self.capability, "editions": list(self.editions), "offered": list(self.offered),
                "change": self.change, "fastest_days": list(self.fastest_days),
                "median_days": list(self.median_days), "nations": list(self.nations), "required": self.required,
                "covered_ready": None if self.covered_ready is None else list(self.covered_ready),
                "severity": None if self.severity is None else list(self.severity)}


@dataclass(frozen=True)
class EditionChange:
    """From one edition to the next: gaps closed (now ``none``) and opened (were ``none``), severities improved or
    worsened otherwise, and the change of the offered quantity per capability (non-zero only)."""

    before: str
    after: str
    closed: tuple[str, ...]
    opened: tuple[str, ...]
    improved: tuple[str, ...]
    worsened: tuple[str, ...]
    offered_change: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "closed": list(self.closed), "opened": list(self.opened),
                "improved": list(self.improved), "worsened": list(self.worsened),
                "offered_change": dict(sorted(self.offered_change.items()))}


@dataclass(frozen=True)
class NationChange:
    """One nation's offer of one capability across editions (0 where an edition shows none)."""

    nation: str
    capability: str
    quantities: tuple[int, ...]

    @property
    def change(self) -> int:
        return self.quantities[-1] - self.quantities[0]

    def as_dict(self) -> dict[str, Any]:
        return {"nation": self.nation, "capability": self.capability, "quantities": list(self.quantities),
                "change": self.change}


@dataclass(frozen=True)
class Trends:
    """Capabilities, changes and national contributions across ``editions`` (oldest first)."""

    editions: tuple[str, ...]
    rows: tuple[TrendRow, ...]
    changes: tuple[EditionChange, ...]
    nations: tuple[NationChange, ...]
    case: str | None = None
    latest_gaps: tuple[Gap, ...] = ()  #: the case's gaps in the latest edition (as :func:`gaps` orders them)

    def row(self, capability: str) -> TrendRow | None:
        return next((r for r in self.rows if r.capability == capability), None)

    def as_dict(self) -> dict[str, Any]:
        return {"editions": list(self.editions), "case": self.case, "rows": [r.as_dict() for r in self.rows],
                "changes": [c.as_dict() for c in self.changes], "nations": [n.as_dict() for n in self.nations]}


def _editions(registers: Sequence[Register]) -> list[Register]:
    if not registers:
        raise ValueError("trends need at least one register edition")
    if len(registers) == 1:
        return list(registers)
    names = [r.edition for r in registers]
    if any(not n for n in names):
        raise ValueError("every register compared needs its edition (e.g. '2025')")
    if len(set(names)) != len(names):
        raise ValueError(f"editions listed twice: {sorted({n for n in names if names.count(n) > 1})}")
    return sorted(registers, key=lambda r: r.edition)


def trends(registers: Sequence[Register], case: PlanningCase | None = None,
           critical_below: float = CRITICAL_BELOW) -> Trends:
    """Capabilities across the editions of ``registers`` (any order; sorted by edition), each computed only from its
    own register; with a ``case``, its gaps per edition and the gaps closed and opened between consecutive editions.
    Raises ``ValueError`` when an edition is missing or listed twice."""
    ordered = _editions(registers)
    editions = tuple(r.edition for r in ordered)
    offers = [_offers(r) for r in ordered]
    needs = derive(case) if case is not None else []
    required = {n.capability: n for n in needs}
    tables = [_gaps(case, o, critical_below) for o in offers] if case else []
    edition_gaps = [{g.capability: g for g in table} for table in tables]
    capabilities = list(required) + sorted({c for o in offers for c in o} - set(required))
    rows = []
    for c in capabilities:
        per = [o.get(c, []) for o in offers]
        need = required.get(c)
        rows.append(TrendRow(
            capability=c, editions=editions, offered=tuple(sum(o.quantity for o in p) for p in per),
            fastest_days=tuple(min((o.readiness_days for o in p), default=None) for p in per),
            median_days=tuple(_median_days(p) for p in per),
            nations=tuple(len({o.nation for o in p}) for p in per),
            required=need.required if need else None,
            covered_ready=tuple(g[c].covered_ready for g in edition_gaps) if need else None,
            severity=tuple(g[c].severity for g in edition_gaps) if need else None))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    changes = []
    for k in range(1, len(ordered)):
        before, after = (edition_gaps[k - 1], edition_gaps[k]) if case else ({}, {})
        moved = [(c, rank[before[c].severity], rank[after[c].severity]) for c in required]
        changes.append(EditionChange(
            before=editions[k - 1], after=editions[k],
            closed=tuple(c for c, a, b in moved if a > 0 and b == 0),
            opened=tuple(c for c, a, b in moved if a == 0 and b > 0),
            improved=tuple(c for c, a, b in moved if 0 < b < a),
            worsened=tuple(c for c, a, b in moved if 0 < a < b),
            offered_change={r.capability: r.offered[k] - r.offered[k - 1] for r in rows
                            if r.offered[k] != r.offered[k - 1]}))
    quantities: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(ordered))
    for k, by_capability in enumerate(offers):
        for c, items in by_capability.items():
            for o in items:
                quantities[(o.nation, c)][k] += o.quantity
    nations = tuple(NationChange(n, c, tuple(q)) for (n, c), q in sorted(quantities.items()))
    return Trends(editions=editions, rows=tuple(rows), changes=tuple(changes), nations=nations,
                  case=case.name if case else None, latest_gaps=tuple(tables[-1]) if tables else ())


# ---------------------------------------------------------------------------------------------------------------
# The report section for the annual defence ministers' meeting
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    """The report's headline figures (latest edition): units in the capabilities' own units, summed across
    capabilities only as a rough scale; ``readiness_coverage`` and ``quantity_coverage`` as fractions 0..1."""

    edition: str
    scenarios: int
    operations: int  #: concurrent operations (sum of the counts)
    capabilities_required: int
    capabilities_met: int
    gaps_by_severity: dict[str, int]
    units_required: int
    units_required_total: int
    units_covered: int
    units_covered_ready: int
    quantity_coverage: float
    readiness_coverage: float
    nations: int  #: nations offering at least one required capability
    personnel_ceiling: int  #: sum of the scenarios' troop (or personnel) ceilings x count
    personnel_ceiling_total: int  #: the same with rotation (military scenarios outlasting a tour)
    closed_since: tuple[str, ...] = ()
    opened_since: tuple[str, ...] = ()
    previous_edition: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out.update(closed_since=list(self.closed_since), opened_since=list(self.opened_since),
                   quantity_coverage=round(self.quantity_coverage, 4),
                   readiness_coverage=round(self.readiness_coverage, 4))
        return out


@dataclass(frozen=True)
class PlanningReport:
    """A capability review section: the case, headline figures, gap table (latest edition), trend table (all
    editions), the assumptions and sources it rests on and the markings of the records it used."""

    title: str
    meeting: str
    edition: str
    editions: tuple[str, ...]
    case: PlanningCase
    requirements: tuple[DerivedRequirement, ...]
    headline: Headline
    gaps: tuple[Gap, ...]
    trends: Trends | None
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]
    illustrative: bool
    marking_keys: tuple[str, ...]
    scope: str = SCOPE

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "meeting": self.meeting, "edition": self.edition,
                "editions": list(self.editions), "case": self.case.as_dict(),
                "requirements": [r.as_dict() for r in self.requirements], "headline": self.headline.as_dict(),
                "gaps": [g.as_dict() for g in self.gaps],
                "trends": None if self.trends is None else self.trends.as_dict(),
                "assumptions": list(self.assumptions), "sources": list(self.sources),
                "illustrative": self.illustrative, "marking_keys": list(self.marking_keys), "scope": self.scope}


def annual_report(case: PlanningCase, registers: Register | Sequence[Register], title: str = "",
                  critical_below: float = CRITICAL_BELOW) -> PlanningReport:
    """The capability review of ``case`` against the latest of ``registers`` (one register, or several editions:
    then the trend table covers them all). Every figure comes from the registers passed in."""
    editions = _editions([registers] if isinstance(registers, Register) else list(registers))
    latest = editions[-1]
    needs = derive(case)
    history = trends(editions, case, critical_below) if len(editions) > 1 else None
    table = list(history.latest_gaps) if history else gaps(case, latest, critical_below)
    last = history.changes[-1] if history and history.changes else None
    counts = {s: sum(1 for g in table if g.severity == s) for s in SEVERITIES}
    required = sum(g.required for g in table)
    required_total = sum(g.required_total for g in table)
    covered = sum(g.covered for g in table)
    ready = sum(g.covered_ready for g in table)
    nations = {n for g in table for n in g.by_nation}
    ceiling = sum(s.max_troops * n for s, n in case.entries)
    ceiling_total = sum(s.max_troops * n if civilian(s) or n == 0
                        else sustained(s.max_troops * n, s.duration_days, case.tour_months, case.dwell_months,
                                       case.overlap) for s, n in case.entries)
    headline = Headline(edition=latest.edition, scenarios=len(case.entries), operations=sum(n for _, n in case.entries),
                        capabilities_required=len(table), capabilities_met=counts["none"], gaps_by_severity=counts,
                        units_required=required, units_required_total=required_total, units_covered=covered,
                        units_covered_ready=ready,
                        quantity_coverage=covered / required_total if required_total else 1.0,
                        readiness_coverage=ready / required if required else 1.0, nations=len(nations),
                        personnel_ceiling=ceiling, personnel_ceiling_total=ceiling_total,
                        closed_since=last.closed if last else (), opened_since=last.opened if last else (),
                        previous_edition=last.before if last else None)
    markings = sorted(set().union(*(r.marking_keys() for r in editions)))
    return PlanningReport(
        title=title or f"Capability review {latest.edition}: {case.title or case.name}", meeting=MEETING,
        edition=latest.edition, editions=tuple(r.edition for r in editions), case=case, requirements=tuple(needs),
        headline=headline, gaps=tuple(table), trends=history, assumptions=tuple(case.assumptions()),
        sources=tuple(case.source_urls()), illustrative=case.illustrative or any(r.illustrative for r in editions),
        marking_keys=tuple(markings))
