"""The master scenario events list (MSEL) of an exercise: its injects in time order, as platform events in the
common envelope and as the controllers' list, and the scenario templates that build injects from the engines'
outputs.

An **inject** (:class:`Inject`) is one scripted event: when (an offset from the exercise start, seconds, or a UTC
time), what kind (:data:`INJECT_KINDS`), its title and description, the response expected (:class:`Expected`: a
workflow step of :mod:`kompas.response.workflow` to be taken within so many seconds of the inject), the engine output
it carries (``payload``), who sends it to whom and how (the controllers' columns). Injects carry no marking: the
platform marks exercise items (the EXERCISE caveat, :mod:`kompas.core.markings`); every envelope built here says
``EXERCISE`` in its title and ``payload.exercise`` all the same, so that an inject read without its marking is still
not taken for real.

:func:`build_msel` orders the injects by time (ties keep the order given) and numbers them (serials from 1), refusing
each malformed inject with a :class:`~kompas.rejections.Rejection`; :func:`to_envelopes` gives each inject as an
envelope of :mod:`kompas.core.envelope` (type ``exercise-inject``, checked with the envelope's own
:func:`kompas.core.envelope.problems`); :func:`msel_rows` / :func:`msel_csv` / :func:`msel_json` the list as
exercise controllers use it (:data:`MSEL_COLUMNS`: serial, time, from, to, method, inject, expected action), which
:func:`msel_from_json` reads back.

Scenario templates (pure functions over inputs the caller fills from the engines, never from the database):

- :func:`breakup_injects`: the break-up detection at T0 (the NASA Standard Breakup Model's output, summarised in
  :class:`BreakupSummary`), one conjunction-surge inject per day of the fragments' conjunctions with the protected
  assets (:class:`ConjunctionRow`, from the screening) with the counts per asset and the worst ones named, then a
  threat-report inject;
- :func:`gnss_surge_injects`: the Space ISAC reports of one interference cluster (:class:`GnssReport`), each as it
  arrives, and the surge inject when the cluster reaches the surge rule (at least 3 reports from at least 2
  reporters, the rule of the ISAC brief for :mod:`kompas.isac`);
- :func:`cyber_intrusion_injects`: an intrusion on a ground segment stage by stage (:class:`Technique`, MITRE ATT&CK
  ids and tactics, ordered by the ATT&CK matrices' tactic order, :data:`TACTIC_ORDER`);
- :func:`rpo_injects`: a scripted approach of a known object to an asset (:class:`Approach`: range samples), one
  inject at each range threshold crossed and one at closest approach.

Expected times come from the workflow's default step times (:func:`expect`), counted from the inject: the
judgements of :mod:`kompas.response.workflow`, not times any act sets.

Pure: no I/O. Times: stored form (UTC, ns, ``Z``) inside, JSON form (ms) in exports; offsets and allowed times in
seconds; distances km; probabilities 0..1.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from kompas.core.envelope import (
    DOMAINS,
    MAX_ACTORS,
    SEVERITIES,
    Actor,
    Envelope,
    Place,
    derived_id,
    json_problem,
    problems,
)
from kompas.csvsafe import SafeWriter
from kompas.rejections import Rejection
from kompas.response.workflow import WORKFLOWS
from kompas.times import parse_time_utc, utc_text_ms, utc_text_ns

__all__ = ["ENVELOPE_TYPE", "INJECT_KINDS", "MSEL_COLUMNS", "TACTIC_ORDER", "Approach", "BreakupSummary",
           "ConjunctionRow", "CyberIntrusion", "Expected", "GnssReport", "Inject", "Msel", "Scheduled", "Technique",
           "breakup_injects", "build_msel", "cyber_intrusion_injects", "decision_prompt", "expect",
           "gnss_surge_injects", "inject_problems", "msel_csv", "msel_from_json", "msel_json", "msel_rows",
           "rpo_injects", "to_envelopes"]

DAY_S = 86_400.0
ENVELOPE_TYPE = "exercise-inject"
#: Inject kinds and the envelope domain each goes to by default (:data:`kompas.core.envelope.DOMAINS`).
INJECT_KINDS: dict[str, str] = {
    "breakup": "space", "conjunction-surge": "space", "gnss-interference": "isac", "isac-report": "isac",
    "cyber-intrusion": "cyber", "rpo-approach": "space", "threat-report": "space", "media": "fimi",
    "decision-prompt": "space",
}
MSEL_COLUMNS = ("serial", "time", "from", "to", "method", "inject", "expected action")
#: The tactic order of the MITRE ATT&CK matrices (Enterprise, then the ICS tactics Enterprise lacks), as the
#: ``x-mitre-matrix`` objects of ATT&CK v18.1 list them (``../shared/data/cyber/attack``).
TACTIC_ORDER = ("reconnaissance", "resource-development", "initial-access", "execution", "persistence",
                "privilege-escalation", "defense-evasion", "evasion", "credential-access", "discovery",
                "lateral-movement", "collection", "command-and-control", "exfiltration", "inhibit-response-function",
                "impair-process-control", "impact")
INJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
ATTACK_ID = re.compile(r"^T\d{4}(\.\d{3})?$")
_NS_PER_S = 10**9


@dataclass(frozen=True)
class Expected:
    """A response step expected after an inject: step ``step`` of workflow ``workflow`` taken within ``within_s``
    seconds of the inject."""

    workflow: str
    step: str
    within_s: float

    def as_dict(self) -> dict[str, Any]:
        return {"workflow": self.workflow, "step": self.step, "within_s": self.within_s}


@dataclass(frozen=True)
class Inject:
    """One scripted event (module docstring). Exactly one of ``at_offset_s`` (seconds after the exercise start) and
    ``at_utc`` (ISO 8601 UTC) is set. ``domain``: the envelope domain ("" takes the kind's, :data:`INJECT_KINDS`);
    ``norad_ids``: the space objects concerned (primary first); ``lat``/``lon`` (degrees) where on Earth."""

    id: str
    kind: str
    title: str
    description: str = ""
    at_offset_s: float | None = None
    at_utc: str | None = None
    expected: tuple[Expected, ...] = ()
    payload: dict[str, Any] = field(default_factory=dict)
    sender: str = "EXCON"
    recipient: str = "Players"
    method: str = "platform event"
    domain: str = ""
    severity: str = "medium"
    norad_ids: tuple[int, ...] = ()
    lat: float | None = None
    lon: float | None = None

    @property
    def envelope_domain(self) -> str:
        return self.domain or INJECT_KINDS.get(self.kind, "")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "description": self.description,
                "at_offset_s": self.at_offset_s, "at_utc": self.at_utc,
                "expected": [e.as_dict() for e in self.expected], "payload": self.payload, "from": self.sender,
                "to": self.recipient, "method": self.method, "domain": self.domain,
                "severity": self.severity, "norad_ids": list(self.norad_ids), "lat": self.lat, "lon": self.lon}


@dataclass(frozen=True)
class Scheduled:
    """An inject on the MSEL: its ``serial`` (1-based, time order), time (stored form) and offset from the start
    (seconds)."""

    serial: int
    time_utc: str
    offset_s: float
    inject: Inject


@dataclass(frozen=True)
class Msel:
    """The master scenario events list of exercise ``exercise_code`` starting at ``start_utc`` (stored form): the
    injects in time order."""

    exercise_code: str
    start_utc: str
    schedule: tuple[Scheduled, ...] = ()

    @property
    def injects(self) -> tuple[Inject, ...]:
        return tuple(s.inject for s in self.schedule)

    def get(self, inject_id: str) -> Scheduled | None:
        return next((s for s in self.schedule if s.inject.id == inject_id), None)


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def inject_problems(inject: Inject) -> list[tuple[str, str]]:
    """``(field, reason)`` for each way ``inject`` is malformed (empty when it may go on an MSEL)."""
    out: list[tuple[str, str]] = []
    if not isinstance(inject.id, str) or not INJECT_ID.match(inject.id):
        out.append(("id", f"{inject.id!r} is not 1-40 letters, digits, '.', '_' or '-'"))
    if inject.kind not in INJECT_KINDS:
        out.append(("kind", f"{inject.kind!r} is not one of {', '.join(INJECT_KINDS)}"))
    if not isinstance(inject.title, str) or not inject.title.strip():
        out.append(("title", "missing"))
    if (inject.at_offset_s is None) == (inject.at_utc is None):
        out.append(("at_offset_s", "give exactly one of at_offset_s (seconds after the start) and at_utc"))
    elif inject.at_offset_s is not None and not (_finite(inject.at_offset_s) and inject.at_offset_s >= 0):
        out.append(("at_offset_s", f"{inject.at_offset_s!r} is not a number of seconds >= 0"))
    elif inject.at_utc is not None:
        try:
            parse_time_utc(str(inject.at_utc))
        except ValueError as error:
            out.append(("at_utc", str(error)))
    for k, e in enumerate(inject.expected, 1):
        workflow = WORKFLOWS.get(e.workflow)
        if workflow is None:
            out.append((f"expected[{k}].workflow", f"{e.workflow!r} is not one of {', '.join(WORKFLOWS)}"))
        elif workflow.step(e.step) is None:
            out.append((f"expected[{k}].step", f"{e.step!r} is not a step of the {e.workflow} workflow "
                                               f"({', '.join(workflow.ids)})"))
        if not (_finite(e.within_s) and e.within_s > 0):
            out.append((f"expected[{k}].within_s", f"{e.within_s!r} is not a number of seconds > 0"))
    if inject.severity not in SEVERITIES:
        out.append(("severity", f"{inject.severity!r} is not one of {', '.join(SEVERITIES)}"))
    if inject.domain and inject.domain not in DOMAINS:
        out.append(("domain", f"{inject.domain!r} is not one of {', '.join(DOMAINS)}"))
    if (inject.lat is None) != (inject.lon is None) or (
            inject.lat is not None and inject.lon is not None
            and not (_finite(inject.lat) and _finite(inject.lon) and -90 <= inject.lat <= 90
                     and -180 <= inject.lon <= 180)):
        out.append(("lat", "lat and lon go together, in -90..90 and -180..180 degrees"))
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in inject.norad_ids):
        out.append(("norad_ids", "not a list of positive catalogue numbers"))
    reason = json_problem(inject.payload) if isinstance(inject.payload, dict) else "not a mapping"
    if reason:
        out.append(("payload", reason))
    return out


def build_msel(exercise_code: str, start_utc: str, injects: Sequence[Inject]) -> tuple[Msel, list[Rejection]]:
    """The MSEL of ``injects`` for exercise ``exercise_code`` starting at ``start_utc`` (ISO 8601 UTC): ordered by
    time (an offset counts from the start; ties keep the order given), numbered from 1; a
    :class:`~kompas.rejections.Rejection` (source ``msel CODE``, unit item: the inject's place in ``injects``) for
    each malformed inject, one timed before the start, and each repeated id (the later one)."""
    source = f"msel {exercise_code}"
    start = parse_time_utc(start_utc)
    rejections: list[Rejection] = []
    kept: list[tuple[np.datetime64, int, Inject]] = []
    seen: set[str] = set()
    for number, inject in enumerate(injects, 1):
        found = inject_problems(inject)
        if not found and inject.id in seen:
            found = [("id", f"{inject.id!r} is used twice")]
        at = start
        if not found:
            at = (start + np.timedelta64(round(float(inject.at_offset_s or 0.0) * _NS_PER_S), "ns")
                  if inject.at_utc is None else parse_time_utc(str(inject.at_utc)))
            if at < start:
                found = [("at_utc", f"{inject.at_utc} is before the exercise start {utc_text_ms(start)}")]
        if found:
            rejections.extend(Rejection(source, number, f, r, unit="item") for f, r in found)
            continue
        seen.add(inject.id)
        kept.append((at, number, inject))
    kept.sort(key=lambda item: (item[0], item[1]))
    schedule = tuple(Scheduled(k, utc_text_ns(at), float((at - start) / np.timedelta64(1, "s")), inject)
                     for k, (at, _, inject) in enumerate(kept, 1))
    return Msel(exercise_code, utc_text_ns(start), schedule), rejections


def to_envelopes(msel: Msel, scope: str = "") -> tuple[list[Envelope], list[Rejection]]:
    """Each inject of ``msel`` as a platform event (:class:`kompas.core.envelope.Envelope`): type
    ``exercise-inject``, the inject's domain, its time as the event's (start = end = time), title ``EXERCISE CODE:
    title``, the space objects as actors (primary first), the inject (with its expected responses and payload) as
    the payload with ``exercise: true``; the id derived from the exercise code, the inject id and ``scope`` (the
    recording organisation and marking), so recording the MSEL twice stores each inject once. Each envelope is
    checked with :func:`kompas.core.envelope.problems`; one that fails is a rejection (source ``msel CODE``, item its
    serial), not an event."""
    source = f"msel {msel.exercise_code}"
    out: list[Envelope] = []
    rejections: list[Rejection] = []
    for s in msel.schedule:
        inject = s.inject
        actors = tuple(Actor("primary" if k == 0 else "object", "space-object", str(n))
                       for k, n in enumerate(inject.norad_ids[:MAX_ACTORS]))
        envelope = Envelope(
            id=derived_id(ENVELOPE_TYPE, msel.exercise_code, inject.id, scope), domain=inject.envelope_domain,
            type=ENVELOPE_TYPE, time_utc=s.time_utc, start_utc=s.time_utc, end_utc=s.time_utc,
            title=f"EXERCISE {msel.exercise_code}: {inject.title}"[:300], severity=inject.severity, confidence=None,
            actors=actors, place=Place(lat=inject.lat, lon=inject.lon, norad_ids=tuple(inject.norad_ids)),
            evidence={"exercise_code": msel.exercise_code, "inject_id": inject.id, "serial": s.serial,
                      "offset_s": s.offset_s, "kind": inject.kind},
            payload={"exercise": True, "exercise_code": msel.exercise_code, "serial": s.serial,
                     "kinds": [inject.kind], "inject": inject.as_dict()},
            source=f"exercise {msel.exercise_code} MSEL"[:200])
        found = problems(envelope)
        if found:
            rejections.extend(Rejection(source, s.serial, f, r, unit="item") for f, r in found)
        else:
            out.append(envelope)
    return out, rejections


def _step_name(workflow: str, step: str) -> str:
    found = WORKFLOWS.get(workflow)
    named = found.step(step) if found else None
    return named.name if named else step


def _hours(seconds: float) -> str:
    hours = seconds / 3600.0
    return f"{hours:g} h" if hours < 48 else f"{hours / 24.0:g} d"


def msel_rows(msel: Msel) -> list[dict[str, Any]]:
    """The MSEL as controllers read it: one row per inject with :data:`MSEL_COLUMNS` (``time`` in the JSON form,
    UTC; ``inject``: ``[id] title: description``; ``expected action``: each expected step with its workflow and
    allowed time, ``;``-separated, ``none`` when the inject is information only)."""
    rows = []
    for s in msel.schedule:
        i = s.inject
        expected = "; ".join(f"{e.workflow}/{e.step} ({_step_name(e.workflow, e.step)}) within {_hours(e.within_s)}"
                             for e in i.expected) or "none (information)"
        text = f"[{i.id}] {i.title}" + (f": {i.description}" if i.description else "")
        rows.append({"serial": s.serial, "time": utc_text_ms(parse_time_utc(s.time_utc)), "from": i.sender,
                     "to": i.recipient, "method": i.method, "inject": text, "expected action": expected})
    return rows


def msel_csv(msel: Msel) -> str:
    """:func:`msel_rows` as CSV text with a header of :data:`MSEL_COLUMNS` (cells made spreadsheet-safe,
    :mod:`kompas.csvsafe`)."""
    handle = io.StringIO()
    writer = SafeWriter(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(MSEL_COLUMNS)
    writer.writerows([row[c] for c in MSEL_COLUMNS] for row in msel_rows(msel))
    return handle.getvalue()


def msel_json(msel: Msel) -> dict[str, Any]:
    """The MSEL as JSON: ``exercise_code``, ``start_utc``, ``columns`` and ``rows`` (:func:`msel_rows`), and
    ``injects`` (each inject in full with its serial and time), which :func:`msel_from_json` reads back."""
    return {"exercise_code": msel.exercise_code, "start_utc": utc_text_ms(parse_time_utc(msel.start_utc)),
            "columns": list(MSEL_COLUMNS), "rows": msel_rows(msel),
            "injects": [{"serial": s.serial, "time_utc": utc_text_ms(parse_time_utc(s.time_utc)), **s.inject.as_dict()}
                        for s in msel.schedule]}


def _inject_from(raw: Mapping[str, Any]) -> Inject:
    expected = tuple(Expected(str(e["workflow"]), str(e["step"]), e["within_s"]) for e in raw.get("expected") or [])
    payload: Any = raw.get("payload")  # anything but a mapping is refused by inject_problems
    return Inject(id=raw["id"], kind=raw["kind"], title=raw["title"], description=str(raw.get("description") or ""),
                  at_offset_s=raw.get("at_offset_s"), at_utc=raw.get("at_utc"), expected=expected,
                  payload={} if payload is None else payload,
                  sender=str(raw.get("from") or "EXCON"), recipient=str(raw.get("to") or "Players"),
                  method=str(raw.get("method") or "platform event"), domain=str(raw.get("domain") or ""),
                  severity=str(raw.get("severity") or "medium"),
                  norad_ids=tuple(raw.get("norad_ids") or ()), lat=raw.get("lat"), lon=raw.get("lon"))


def msel_from_json(data: object, source: str) -> tuple[Msel | None, list[Rejection]]:
    """An MSEL from its JSON form (:func:`msel_json`; only ``exercise_code``, ``start_utc`` and ``injects`` are
    read), with a rejection per malformed inject (its place in ``injects``); None and one rejection (item 0) when
    the top level is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("injects"), list):
        return None, [Rejection(source, 0, "", "not an MSEL: a mapping with exercise_code, start_utc and injects",
                                unit="item")]
    code, start = data.get("exercise_code"), data.get("start_utc")
    try:
        if not isinstance(code, str) or not code or not isinstance(start, str):
            raise ValueError("exercise_code and start_utc must be text")
        parse_time_utc(start)
    except ValueError as error:
        return None, [Rejection(source, 0, "start_utc", str(error), unit="item")]
    injects: list[Inject] = []
    places: list[int] = []
    rejections: list[Rejection] = []
    for number, raw in enumerate(data["injects"], 1):
        try:
            if not isinstance(raw, dict):
                raise TypeError("not a mapping")
            injects.append(_inject_from(raw))
            places.append(number)
        except (KeyError, TypeError, ValueError) as error:
            field_name = str(error).strip("'") if isinstance(error, KeyError) else ""
            reason = "missing" if isinstance(error, KeyError) else str(error)
            rejections.append(Rejection(source, number, field_name, reason, unit="item"))
    msel, found = build_msel(code, start, injects)
    rejections.extend(Rejection(source, places[r.line - 1], r.field, r.reason, unit="item") for r in found)
    return msel, sorted(rejections, key=lambda r: r.line)


# --- expected responses -------------------------------------------------------------------------------------------


def expect(workflow: str, steps: Sequence[str], from_step: str | None = None) -> tuple[Expected, ...]:
    """The expected responses ``steps`` of ``workflow``, each allowed the workflow's default times (days, converted to
    seconds) of the steps on the planned line after ``from_step`` (from the workflow's start when None) up to and
    including it; an optional step named in ``steps`` counts its own default time. ValueError for an unknown
    workflow or step, or the closing step (it has no time)."""
    found = WORKFLOWS.get(workflow)
    if found is None:
        raise ValueError(f"workflow: {workflow!r} is not one of {', '.join(WORKFLOWS)}")
    ids = found.ids
    begin = 0 if from_step is None else ids.index(from_step) + 1 if from_step in ids else -1
    if begin < 0:
        raise ValueError(f"from_step: {from_step!r} is not a step of the {workflow} workflow")
    out = []
    for step_id in steps:
        step = found.step(step_id)
        if step is None or step.days is None:
            raise ValueError(f"steps: {step_id!r} is not a timed step of the {workflow} workflow")
        end = ids.index(step_id)
        days = sum(s.days or 0.0 for s in found.steps[begin:end + 1] if not s.optional or s.id == step_id)
        out.append(Expected(workflow, step_id, days * DAY_S))
    return tuple(out)


def decision_prompt(inject_id: str, at_offset_s: float, title: str, workflow: str, step: str,
                    within_s: float | None = None, description: str = "", recipient: str = "Council / PSC") -> Inject:
    """A decision-prompt inject: the players are asked to take ``step`` of ``workflow`` within ``within_s``
    seconds (default: the step's own default time)."""
    allowed = within_s if within_s is not None else expect(workflow, [step], _previous(workflow, step))[0].within_s
    return Inject(inject_id, "decision-prompt", title, description, at_offset_s=at_offset_s,
                  expected=(Expected(workflow, step, allowed),), recipient=recipient, method="briefing",
                  domain=workflow if workflow in DOMAINS else "intel")


def _previous(workflow: str, step: str) -> str | None:
    ids = WORKFLOWS[workflow].ids
    k = ids.index(step) if step in ids else 0
    return ids[k - 1] if k > 0 else None


# --- scenario templates -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakupSummary:
    """What the break-up engine (:mod:`kompas.space.breakup`) produced: the parent object, the break-up epoch
    (ISO 8601 UTC), ``kind`` (collision or explosion), the number of fragments generated, the model's expected
    number of fragments of at least ``min_size_m`` metres, the mass used (kg)."""

    parent_id: int
    parent_name: str
    epoch_utc: str
    kind: str
    fragments: int
    expected_count: float
    min_size_m: float
    mass_kg: float | None = None


@dataclass(frozen=True)
class ConjunctionRow:
    """One conjunction of a fragment with a protected asset (from the screening): time of closest approach
    (ISO 8601 UTC), miss distance (km), probability of collision when computed (0..1)."""

    asset_id: int
    asset_name: str
    object_id: int
    object_name: str
    tca_utc: str
    miss_km: float
    pc: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"asset_id": self.asset_id, "asset_name": self.asset_name, "object_id": self.object_id,
                "object_name": self.object_name, "tca_utc": utc_text_ms(parse_time_utc(self.tca_utc)),
                "miss_km": self.miss_km, "pc": self.pc}


def _worst_key(row: ConjunctionRow) -> tuple[float, float]:
    """Worst first: highest Pc (none counts as 0), then smallest miss distance."""
    return (-(row.pc or 0.0), row.miss_km)


def _severity(rows: Sequence[ConjunctionRow]) -> str:
    if any((r.pc or 0.0) >= 1e-4 or r.miss_km < 1.0 for r in rows):
        return "high"
    return "medium" if rows else "low"


def breakup_injects(breakup: BreakupSummary, conjunctions: Sequence[ConjunctionRow], *, t0_offset_s: float = 0.0,
                    screening_lag_s: float = 7200.0, days: int | None = None, worst: int = 3,
                    prefix: str = "BRK") -> tuple[list[Inject], list[Rejection]]:
    """The injects of a break-up scenario:

    - ``PREFIX-T0`` at ``t0_offset_s``: the break-up detected (parent, kind, fragments generated and the model's
      expected count); expected: the space workflow's first step (the High Representative informed) within its
      default time;
    - ``PREFIX-Dnn`` for each day n (1-based) of the surge, at T0 + (n-1) days + ``screening_lag_s``: the
      conjunctions whose closest approach falls in [epoch + (n-1) d, epoch + n d), counted per protected asset, the
      ``worst`` ones named (highest Pc, then smallest miss distance); severity high when one has Pc >= 1e-4 or misses
      by less than 1 km; ``days`` surge days (default: up to the last conjunction's day, at least 1);
    - ``PREFIX-TR`` at T0 + ``days`` days: the threat report (totals per asset and per day, the worst overall);
      expected: deliberation and decision within the workflow's default times counted from the information step.

    Offsets are seconds from the exercise start; the scenario's own times (the epoch, the TCAs) stay in the payloads.
    A conjunction with a TCA that does not parse or precedes the epoch is a rejection (source ``conjunctions``, item
    its place)."""
    epoch = parse_time_utc(breakup.epoch_utc)
    rejections: list[Rejection] = []
    by_day: dict[int, list[ConjunctionRow]] = {}
    for number, row in enumerate(conjunctions, 1):
        try:
            tca = parse_time_utc(row.tca_utc)
        except ValueError as error:
            rejections.append(Rejection("conjunctions", number, "tca_utc", str(error), unit="item"))
            continue
        if tca < epoch:
            rejections.append(Rejection("conjunctions", number, "tca_utc",
                                        f"{row.tca_utc} is before the break-up epoch {breakup.epoch_utc}",
                                        unit="item"))
            continue
        if not (_finite(row.miss_km) and row.miss_km >= 0) or (row.pc is not None and not (
                _finite(row.pc) and 0 <= row.pc <= 1)):
            rejections.append(Rejection("conjunctions", number, "miss_km", "miss_km must be >= 0 km and pc in 0..1",
                                        unit="item"))
            continue
        by_day.setdefault(int((tca - epoch) // np.timedelta64(86_400, "s")), []).append(row)
    n_days = days if days is not None else max(1, max(by_day, default=0) + 1)
    parent = {"norad_id": breakup.parent_id, "name": breakup.parent_name}
    t0 = Inject(f"{prefix}-T0", "breakup", f"Break-up of {breakup.parent_name} ({breakup.parent_id}) detected",
                f"A {breakup.kind} break-up of {breakup.parent_name} at {utc_text_ms(epoch)}: {breakup.fragments} "
                f"fragments of at least {breakup.min_size_m:g} m generated (the model expects "
                f"{breakup.expected_count:.0f}).", at_offset_s=t0_offset_s, expected=expect("space", ["informed"]),
                payload={"parent": parent, "epoch_utc": utc_text_ms(epoch), "kind": breakup.kind,
                         "fragments": breakup.fragments, "expected_count": breakup.expected_count,
                         "min_size_m": breakup.min_size_m, "mass_kg": breakup.mass_kg},
                sender="EU SST (simulated)", recipient="EUSPA / EEAS", severity="high",
                norad_ids=(breakup.parent_id,))
    out = [t0]
    for day in range(n_days):
        rows = sorted(by_day.get(day, []), key=_worst_key)
        counts: dict[str, int] = {}
        for r in rows:
            counts[f"{r.asset_name} ({r.asset_id})"] = counts.get(f"{r.asset_name} ({r.asset_id})", 0) + 1
        named = rows[:worst]
        start = epoch + np.timedelta64(day * 86_400, "s")
        title = (f"Conjunction surge, day {day + 1}: {len(rows)} conjunctions with {len(counts)} protected assets"
                 + (f"; worst: {', '.join(f'{r.object_name} / {r.asset_name}' for r in named)}" if named else ""))
        out.append(Inject(
            f"{prefix}-D{day + 1:02d}", "conjunction-surge", title[:300],
            f"Screening of the fragments against the protected assets for "
            f"{utc_text_ms(start)} to {utc_text_ms(start + np.timedelta64(86_400, 's'))}.",
            at_offset_s=t0_offset_s + day * DAY_S + screening_lag_s,
            payload={"day": day + 1, "window_utc": [utc_text_ms(start),
                                                    utc_text_ms(start + np.timedelta64(86_400, "s"))],
                     "conjunctions": len(rows), "by_asset": counts, "worst": [r.as_dict() for r in named],
                     "parent": parent},
            sender="EU SST (simulated)", recipient="Satellite operators / EUSPA", severity=_severity(rows),
            norad_ids=tuple(dict.fromkeys([*(r.asset_id for r in named), *(r.object_id for r in named)]))))
    every = sorted((r for d in range(n_days) for r in by_day.get(d, [])), key=_worst_key)
    totals: dict[str, int] = {}
    for r in every:
        totals[f"{r.asset_name} ({r.asset_id})"] = totals.get(f"{r.asset_name} ({r.asset_id})", 0) + 1
    out.append(Inject(
        f"{prefix}-TR", "threat-report", f"Threat report: break-up of {breakup.parent_name}, {len(every)} "
        f"conjunctions with protected assets over {n_days} days",
        "The space threat assessment of the break-up and its conjunction surge, for the PSC.",
        at_offset_s=t0_offset_s + n_days * DAY_S,
        expected=expect("space", ["deliberation", "decision"], from_step="informed"),
        payload={"parent": parent, "kind": breakup.kind, "fragments": breakup.fragments,
                 "expected_count": breakup.expected_count, "conjunctions": len(every), "by_asset": totals,
                 "by_day": [len(by_day.get(d, [])) for d in range(n_days)],
                 "worst": [r.as_dict() for r in every[:worst]]},
        sender="SIAC / SatCen (simulated)", recipient="PSC", method="report", severity=_severity(every),
        norad_ids=(breakup.parent_id,)))
    return out, rejections


@dataclass(frozen=True)
class GnssReport:
    """A Space ISAC interference report of one cluster: reported time (ISO 8601 UTC), reporter (pseudonym),
    interference (jamming, spoofing, ...), band (letter or MHz range as text), where (degrees; optional) and the
    region's name."""

    id: str
    reported_utc: str
    reporter: str
    interference: str
    band: str
    lat: float | None = None
    lon: float | None = None
    region: str = ""


def _centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """The mean direction of points on the sphere (degrees), which is right across the antimeridian; None without
    points or when they cancel out."""
    if not points:
        return None
    lat, lon = np.radians(np.array(points, dtype=float)).T
    v = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]).sum(axis=1)
    norm = float(np.linalg.norm(v))
    if norm < 1e-9:
        return None
    return (round(float(np.degrees(np.arcsin(v[2] / norm))), 4), round(float(np.degrees(np.arctan2(v[1], v[0]))), 4))


def gnss_surge_injects(reports: Sequence[GnssReport], *, t0_offset_s: float = 0.0, min_reports: int = 3,
                       min_reporters: int = 2, prefix: str = "GNSS") -> tuple[list[Inject], list[Rejection]]:
    """The injects of a GNSS interference surge from the reports of one cluster (the clustering is the ISAC's): each
    report as an ``isac-report`` inject at T0 + (its time - the first report's time), information only; the surge
    (``gnss-interference``) when the reports so far reach ``min_reports`` from ``min_reporters`` distinct reporters,
    at that report's time, with the counts, band, interference types, region and centroid; expected: the space
    workflow's first step (Galileo is a component of the Union Space Programme, the object of Decision (CFSP)
    2021/698). A report whose time does not parse or whose place is half given or out of range is a rejection."""
    rejections: list[Rejection] = []
    good: list[tuple[np.datetime64, int, GnssReport]] = []
    for number, r in enumerate(reports, 1):
        try:
            at = parse_time_utc(r.reported_utc)
        except ValueError as error:
            rejections.append(Rejection("reports", number, "reported_utc", str(error), unit="item"))
            continue
        if (r.lat is None) != (r.lon is None) or (r.lat is not None and r.lon is not None and not (
                _finite(r.lat) and _finite(r.lon) and -90 <= r.lat <= 90 and -180 <= r.lon <= 180)):
            rejections.append(Rejection("reports", number, "lat", "lat and lon go together, in -90..90 and "
                                                                  "-180..180 degrees", unit="item"))
            continue
        good.append((at, number, r))
    good.sort(key=lambda g: (g[0], g[1]))
    out: list[Inject] = []
    if not good:
        return out, rejections
    first = good[0][0]
    surged = False
    for k, (at, _, r) in enumerate(good, 1):
        offset = t0_offset_s + float((at - first) / np.timedelta64(1, "s"))
        out.append(Inject(f"{prefix}-R{k:02d}", "isac-report",
                          f"ISAC report: {r.interference} in {r.band} band" + (f", {r.region}" if r.region else ""),
                          f"Report {r.id} by {r.reporter} at {utc_text_ms(at)}.", at_offset_s=offset,
                          payload={"report_id": r.id, "reporter": r.reporter, "interference": r.interference,
                                   "band": r.band, "region": r.region, "reported_utc": utc_text_ms(at)},
                          sender=f"ISAC member {r.reporter} (simulated)", recipient="Space ISAC",
                          method="ISAC report", lat=r.lat, lon=r.lon))
        so_far = [g[2] for g in good[:k]]
        reporters = {g.reporter for g in so_far}
        if not surged and len(so_far) >= min_reports and len(reporters) >= min_reporters:
            surged = True
            centre = _centroid([(g.lat, g.lon) for g in so_far if g.lat is not None and g.lon is not None])
            kinds = sorted({g.interference for g in so_far})
            bands = sorted({g.band for g in so_far})
            regions = sorted({g.region for g in so_far if g.region})
            out.append(Inject(
                f"{prefix}-SURGE", "gnss-interference",
                f"GNSS interference surge: {len(so_far)} reports from {len(reporters)} members, "
                f"{'/'.join(kinds)} in {'/'.join(bands)} band" + (f" over {', '.join(regions)}" if regions else ""),
                "The Space ISAC flags a cluster of similar interference reports (a 'me too' surge).",
                at_offset_s=offset, expected=expect("space", ["informed"]),
                payload={"reports": [g.id for g in so_far], "reporters": len(reporters), "interference": kinds,
                         "bands": bands, "regions": regions, "centroid": list(centre) if centre else None,
                         "first_utc": utc_text_ms(first), "surge_utc": utc_text_ms(at)},
                sender="Space ISAC", recipient="EUSPA GSMC / EEAS", method="ISAC alert", severity="high",
                lat=centre[0] if centre else None, lon=centre[1] if centre else None))
    return out, rejections


@dataclass(frozen=True)
class Technique:
    """One stage of an intrusion: an ATT&CK technique id (``T1190``, ``T0855``), its name and tactic (the matrix's
    short name, ``initial-access``), and optionally its offset from the first stage (seconds)."""

    id: str
    name: str
    tactic: str
    offset_s: float | None = None


@dataclass(frozen=True)
class CyberIntrusion:
    """An intrusion on ``target`` (a ground station, mission control centre ...), its ``segment`` (ground, link,
    user, space), the operator, the space systems it serves (NORAD ids) and the stages (:class:`Technique`)."""

    target: str
    segment: str
    operator: str
    techniques: tuple[Technique, ...]
    norad_ids: tuple[int, ...] = ()


def cyber_intrusion_injects(intrusion: CyberIntrusion, *, t0_offset_s: float = 0.0, spacing_s: float = 21_600.0,
                            prefix: str = "CYB") -> tuple[list[Inject], list[Rejection]]:
    """The injects of a cyber intrusion on a space system's ground segment, one per stage: stages with an offset at
    T0 + offset, the others at T0 + (their tactic's place in :data:`TACTIC_ORDER`) x ``spacing_s``; ordered by time,
    ties by tactic order. Expected: the first stage, the cyber workflow's awareness step within its default time;
    the first ``impact`` stage (else the last stage), the space workflow's first step (a threat to a system of the
    Union Space Programme). Severity high from ``impact``. A technique with a malformed ATT&CK id, an unknown
    tactic or a bad offset is a rejection (source ``techniques``, item its place)."""
    rejections: list[Rejection] = []
    stages: list[tuple[float, int, Technique]] = []
    for number, t in enumerate(intrusion.techniques, 1):
        if not ATTACK_ID.match(str(t.id)):
            rejections.append(Rejection("techniques", number, "id", f"{t.id!r} is not an ATT&CK technique id "
                                                                    f"(T1234 or T1234.001)", unit="item"))
        elif t.tactic not in TACTIC_ORDER:
            rejections.append(Rejection("techniques", number, "tactic", f"{t.tactic!r} is not an ATT&CK tactic "
                                                                        f"({', '.join(TACTIC_ORDER)})", unit="item"))
        elif t.offset_s is not None and not (_finite(t.offset_s) and t.offset_s >= 0):
            rejections.append(Rejection("techniques", number, "offset_s", f"{t.offset_s!r} is not seconds >= 0",
                                        unit="item"))
        else:
            rank = TACTIC_ORDER.index(t.tactic)
            stages.append((float(t.offset_s) if t.offset_s is not None else rank * spacing_s, rank, t))
    stages.sort(key=lambda s: (s[0], s[1]))
    impact = next((k for k, s in enumerate(stages) if s[2].tactic == "impact"), len(stages) - 1)
    out: list[Inject] = []
    for k, (offset, _, t) in enumerate(stages):
        expected = expect("cyber", ["awareness"]) if k == 0 else ()
        if k == impact:
            expected = (*expected, *expect("space", ["informed"]))
        out.append(Inject(
            f"{prefix}-{k + 1:02d}", "cyber-intrusion",
            f"Intrusion on {intrusion.target} ({intrusion.segment} segment): {t.name} ({t.id}, {t.tactic})",
            f"Stage {k + 1} of {len(stages)} of an intrusion on {intrusion.operator}'s {intrusion.target}.",
            at_offset_s=t0_offset_s + offset, expected=expected,
            payload={"target": intrusion.target, "segment": intrusion.segment, "operator": intrusion.operator,
                     "technique": {"id": t.id, "name": t.name, "tactic": t.tactic}, "stage": k + 1,
                     "stages": len(stages)},
            sender=f"{intrusion.operator} SOC (simulated)", recipient="CERT-EU / national CSIRT / EUSPA",
            method="incident notification", severity="high" if t.tactic == "impact" else "medium",
            norad_ids=intrusion.norad_ids))
    return out, rejections


@dataclass(frozen=True)
class Approach:
    """A scripted approach of ``chaser`` to ``target`` (NORAD ids and names): range samples (ISO 8601 UTC, km)."""

    chaser_id: int
    chaser_name: str
    target_id: int
    target_name: str
    samples: tuple[tuple[str, float], ...]


def rpo_injects(approach: Approach, *, t0_offset_s: float = 0.0,
                thresholds_km: Sequence[float] = (100.0, 25.0, 5.0),
                prefix: str = "RPO") -> tuple[list[Inject], list[Rejection]]:
    """The injects of a hostile approach: one ``rpo-approach`` inject at the first sample below each threshold
    (km, in decreasing order), at T0 + (its time - the first sample's time), and one at the closest approach (the
    first sample of least range); expected: the space workflow's first step at the first crossing (at the closest
    approach when no threshold is crossed), its deliberation at the closest approach (its default time). A sample
    with a time that does not parse or a range
    that is not a number >= 0 is a rejection (source ``samples``, item its place)."""
    rejections: list[Rejection] = []
    samples: list[tuple[np.datetime64, float]] = []
    for number, (when, range_km) in enumerate(approach.samples, 1):
        try:
            at = parse_time_utc(str(when))
        except ValueError as error:
            rejections.append(Rejection("samples", number, "time_utc", str(error), unit="item"))
            continue
        if not (_finite(range_km) and range_km >= 0):
            rejections.append(Rejection("samples", number, "range_km", f"{range_km!r} is not km >= 0", unit="item"))
            continue
        samples.append((at, float(range_km)))
    samples.sort(key=lambda s: s[0])
    out: list[Inject] = []
    if not samples:
        return out, rejections
    first = samples[0][0]
    pair = {"chaser": {"norad_id": approach.chaser_id, "name": approach.chaser_name},
            "target": {"norad_id": approach.target_id, "name": approach.target_name}}
    crossed: list[int] = []
    for threshold in sorted(thresholds_km, reverse=True):
        k = next((k for k, s in enumerate(samples) if s[1] < threshold), None)
        if k is not None and k not in crossed:
            crossed.append(k)
            at, range_km = samples[k]
            out.append(Inject(
                f"{prefix}-{threshold:g}KM", "rpo-approach",
                f"{approach.chaser_name} within {threshold:g} km of {approach.target_name} ({range_km:.1f} km)",
                f"At {utc_text_ms(at)} the range fell below {threshold:g} km.",
                at_offset_s=t0_offset_s + float((at - first) / np.timedelta64(1, "s")),
                expected=expect("space", ["informed"]) if len(crossed) == 1 else (),
                payload={**pair, "range_km": range_km, "threshold_km": threshold, "time_utc": utc_text_ms(at)},
                sender="EU SST / national SDA (simulated)", recipient="Satellite operator / EUSPA / EEAS",
                severity="high" if threshold <= 25 else "medium",
                norad_ids=(approach.chaser_id, approach.target_id)))
    closest = min(range(len(samples)), key=lambda k: (samples[k][1], k))
    at, range_km = samples[closest]
    out.append(Inject(
        f"{prefix}-CA", "rpo-approach",
        f"Closest approach: {approach.chaser_name} at {range_km:.2f} km from {approach.target_name}",
        f"Closest approach at {utc_text_ms(at)}.",
        at_offset_s=t0_offset_s + float((at - first) / np.timedelta64(1, "s")),
        expected=expect("space", ["deliberation"], from_step="informed"),
        payload={**pair, "range_km": range_km, "time_utc": utc_text_ms(at), "closest": True},
        sender="EU SST / national SDA (simulated)", recipient="EEAS / PSC", severity="high",
        norad_ids=(approach.chaser_id, approach.target_id)))
    if not crossed:  # no threshold crossed: the closest approach is the first information
        out[-1] = replace(out[-1], expected=expect("space", ["informed"]))
    return out, rejections
