"""Civilian CSDP deployment: "200 fully equipped experts within 30 days" (Strategic Compass; Civilian CSDP Compact
2023), issue 28 item 4. Pure engine: rosters (:class:`~kompas.forces.model.Expert`) and stocks
(:class:`~kompas.forces.model.StockItem`) in, a plan, a probability and the levers that would shorten it out.

**Units.** Every time is in days from the Council decision (day 0; negative before it, when the call for
contributions went out early). Durations come from ``kompas/data/forces/deployment.yaml``: each is sourced (URL)
or marked assumed; every answer lists the assumed ones.

**The pipeline of one expert** (a formed unit, ``Expert.unit`` non-empty, is one *case* and moves together):

1. *call*: nomination = the nation's call duration (one draw per nation) - ``Mission.call_lead_days``;
2. *selection*: the selection panels take up ``selection_per_day`` cases per whole day, first nominated first
   (a formed unit is one case), then the selection duration (one draw per case);
3. *clearance*: only when the post needs an EUCI level above the one held: that level's duration from selection
   (RESTREINT UE is a briefing: no personnel security clearance below CONFIDENTIEL UE);
4. *medical*: from selection, unless ``medical_done``;
5. the expert is *free* at max(selection, selection + ``notice_days``, ``available_from``);
6. *PDT* (unless ``pdt_done``): the earliest session starting when the expert is free that has a seat left,
   first free first served; sessions every ``every_days`` with ``seats`` seats and a calendar phase drawn uniformly
   (the decision does not fall on the course calendar). **Providers**: the EU calendar (ESDC) is open to every
   nation's experts; a nation whose seconding agency or national centre runs its own course
   (:class:`NationalTraining`: ZIF, CMC Finland, FBA, CEP ...) has a second calendar with its own seats and phase,
   for its own experts only. Such an expert takes the earliest session with a seat left on either calendar (first
   free first served; ties: the national one), by ``routing`` (:data:`ROUTINGS`): ``fallback`` (the default
   data) serves the experts of nations without a course of their own first on the EU calendar (the ESDC's
   fall-back role), the others taking the earlier of their national session and an EU seat left over;
   ``earliest``: one queue in order of readiness for everyone; ``national-only``: never the EU calendar;
7. *HEAT* (unless ``heat_done`` or the environment is permissive): the same rule after PDT, on the EU calendar
   back-to-back with the EU PDT's when the data say so (national calendars have their own phase);
8. *departure*: when cleared, medically cleared and trained, not before day 0; a formed unit leaves when its
   slowest member is ready; *transport*: one draw per case;
9. *equipment*: each deployed individual (and formed-unit member, unless formed units bring their own) draws
   ``per_expert`` of every stock item, in order of selection, from the holders with the shortest ``lead_days``
   first; kit reaches the theatre after the lead days and the shipping time; beyond the stock held, after
   replenishment (or never, when the data give no replenishment: blocked).

An expert counts as *in theatre* when arrived and equipped ("fully equipped"). The mission's day is the day the
last of its N experts is in theatre.

**Selection** (:func:`plan_deployment`): experts eligible for a profile (languages, availability through the
deadline plus ``min_service_days``) are ranked by the day they would be in theatre with unlimited course seats,
selection panels and stock (the median of every stage); formed units are taken whole when their members fit the
remaining need (ties: units first, larger first), individuals fill the rest. Taking the earliest ready is exact
for the makespan of individuals when no capacity is shared (a heuristic once whole units must fit); with
capacities it is the first-come-first-served rule the capacities are then applied with.
Individuals not taken are reserves, replacing withdrawals (individuals only: a nation keeps its formed unit at
strength) in the simulation in rank order; they are kept while P(more withdrawals than reserves) >= 1e-9 (a
binomial bound, so large rosters stay fast).

**Simulation** (:func:`simulate_deployment`): every stage sampled by inverse CDF from one uniform draw per expert
and stage (scipy.stats distributions), vectorised over runs with NumPy; seeded; a Wilson interval on P(day <= D).
Levers (:func:`shorten`) reuse the same draws (common random numbers), so their gains are not sampling noise.

Course sessions with capacity are a first-come-first-served queue; the queue is solved for all runs at once by
the recurrence s_k = max(e_k, s_(k - seats) + 1) on the k-th entrant in order of readiness (e_k: the earliest
session it may join), which within each residue class of k modulo ``seats`` is a running maximum (written by hand:
no library solves this batched queue; checked against a one-by-one simulation in the tests).
When some entrants may also use a national calendar, :func:`_queues` serves all calendars in one pass over the
entrants in order of readiness (vectorised over runs).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, NoReturn

import numpy as np
from scipy import special, stats

from kompas.forces.model import CLEARANCES, ENVIRONMENTS, Expert, StockItem
from kompas.texts import NoAliases, yaml_mapping

__all__ = ["DISTRIBUTIONS", "LEVERS", "MAX_ROSTER", "MAX_RUNS", "ROUTINGS", "STAGES", "Bottleneck", "CriticalStep",
           "DayCount", "DeploymentAssessment", "DeploymentParameters", "DeploymentPlan", "Distribution", "LeverGain",
           "Mission", "NationalTraining",
           "ProfileNeed", "Provenance", "SelectedExpert", "Sessions", "SimulationResult", "Stage",
           "assess_deployment", "individual_only", "load_parameters", "parse_parameters", "plan_deployment",
           "shorten", "simulate_deployment", "warehouse_stocks"]

MAX_ROSTER = 20_000  #: experts in one roster (more: ValueError)
MAX_RUNS = 100_000  #: Monte Carlo runs (more: ValueError)
PARAMETERS_FILE = "forces/deployment.yaml"  #: the bundled parameters, under ``kompas/data``
DISTRIBUTIONS = ("fixed", "triangular", "uniform", "lognormal")
#: How experts of a nation that runs its own course use the EU calendar (module docstring, step 6).
ROUTINGS = ("fallback", "earliest", "national-only")
#: The stage codes of every answer (critical path, bottlenecks, binding stages).
STAGES = ("call", "selection", "clearance", "medical", "notice", "availability", "pdt", "heat", "decision", "unit",
          "transport", "equipment")
_REQUIRED_STAGES = ("call", "selection", "clearance-restreint-ue", "clearance-confidentiel-ue", "clearance-secret-ue",
                    "medical", "transport", "equipment-shipping")
_LEVEL_STAGE = {1: "clearance-restreint-ue", 2: "clearance-confidentiel-ue", 3: "clearance-secret-ue"}
_RESERVE_RISK = 1e-9  #: reserves are kept until P(more withdrawals than reserves) falls below this
_CELLS = 1_000_000  #: runs x experts per simulation chunk (memory bound: about 30 arrays of this many floats)
_EPS = 1e-9


# --------------------------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Provenance:
    """Where a parameter comes from: ``sources`` (URLs) when sourced, or ``assumed`` with the reason in ``note``;
    ``context``: pages describing the stage without giving the figure."""

    parameter: str
    assumed: bool
    sources: tuple[str, ...] = ()
    note: str = ""
    context: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "assumed": self.assumed, "sources": list(self.sources),
                "note": self.note, "context": list(self.context)}


@dataclass(frozen=True)
class Distribution:
    """A duration in days: ``fixed`` (``value``), ``triangular`` (``low``, ``mode``, ``high``), ``uniform``
    (``low``, ``high``) or ``lognormal`` (``median``, ``p90``: the 90th percentile)."""

    kind: str
    value: float = 0.0
    low: float = 0.0
    mode: float = 0.0
    high: float = 0.0
    median: float = 0.0
    p90: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in DISTRIBUTIONS:
            raise ValueError(f"distribution kind {self.kind!r} is not one of {', '.join(DISTRIBUTIONS)}")
        numbers = (self.value, self.low, self.mode, self.high, self.median, self.p90)
        if not all(math.isfinite(x) and x >= 0 for x in numbers):
            raise ValueError("distribution figures must be finite and >= 0 days")
        if self.kind == "triangular" and not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"triangular needs low <= mode <= high and low < high, got {self.low}, {self.mode}, "
                             f"{self.high}")
        if self.kind == "uniform" and not self.low < self.high:
            raise ValueError(f"uniform needs low < high, got {self.low}, {self.high}")
        if self.kind == "lognormal" and not 0 < self.median < self.p90:
            raise ValueError(f"lognormal needs 0 < median < p90, got {self.median}, {self.p90}")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Days at the quantiles ``u`` (an array in [0, 1)): inverse-CDF sampling from uniform draws. Closed forms
        (the triangular inverse CDF; the lognormal through :func:`scipy.special.ndtri`): scipy.stats' generic
        ``ppf`` gives the same numbers (checked in the tests) but its argument handling costs about ten times as
        much on the simulation's arrays (measured)."""
        u = np.asarray(u, dtype=float)
        if self.kind == "fixed":
            return np.full(u.shape, float(self.value))
        if self.kind == "uniform":
            return self.low + u * (self.high - self.low)
        if self.kind == "triangular":
            width = self.high - self.low
            split = (self.mode - self.low) / width
            rising = self.low + np.sqrt(u * width * (self.mode - self.low))
            falling = self.high - np.sqrt((1.0 - u) * width * (self.high - self.mode))
            return np.where(u < split, rising, falling)
        sigma = math.log(self.p90 / self.median) / float(special.ndtri(0.9))
        return self.median * np.exp(sigma * special.ndtri(u))

    def median_days(self) -> float:
        """The median, days (what the deterministic plan uses)."""
        return float(self.ppf(np.array([0.5]))[0])

    def as_dict(self) -> dict[str, Any]:
        figures = {"fixed": ("value",), "triangular": ("low", "mode", "high"), "uniform": ("low", "high"),
                   "lognormal": ("median", "p90")}[self.kind]
        return {"kind": self.kind, **{k: getattr(self, k) for k in figures},
                "median_days": round(self.median_days(), 3)}


@dataclass(frozen=True)
class Stage:
    """One stage's duration (days) and where it comes from."""

    name: str
    title: str
    days: Distribution
    provenance: Provenance

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "days": self.days.as_dict(),
                "provenance": self.provenance.as_dict()}


@dataclass(frozen=True)
class Sessions:
    """A course run in sessions: ``length_days`` long, one every ``every_days`` days, ``seats`` seats each;
    ``back_to_back``: this course's sessions start when the previous course's (PDT's) end."""

    name: str
    title: str
    length_days: float
    every_days: float
    seats: int
    back_to_back: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "length_days": self.length_days,
                "every_days": self.every_days, "seats": self.seats, "back_to_back": self.back_to_back}


@dataclass(frozen=True)
class NationalTraining:
    """A nation's own course provider (a seconding agency or national training centre): its PDT and HEAT calendars
    (None: the nation's experts use the EU calendar for that course). Used only by experts of ``nation``."""

    provider: str
    nation: str
    title: str
    pdt: Sessions | None = None
    heat: Sessions | None = None

    def course(self, name: str) -> Sessions | None:
        return self.pdt if name == "pdt" else self.heat

    def as_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "nation": self.nation, "title": self.title,
                "pdt": self.pdt.as_dict() if self.pdt else None, "heat": self.heat.as_dict() if self.heat else None}


@dataclass(frozen=True)
class DeploymentParameters:
    """Everything the pipeline needs besides the roster and stocks (see the module docstring); ``provenance``: one
    entry per parameter. ``replenishment`` None: kit beyond the stock held never comes (blocked). ``pdt`` and
    ``heat``: the EU calendars (ESDC), open to all; ``national``: the national providers (at most one per nation);
    ``routing``: how their experts use the EU calendar (:data:`ROUTINGS`)."""

    stages: Mapping[str, Stage]
    pdt: Sessions
    heat: Sessions
    selection_per_day: int
    withdrawal_probability: float
    min_service_days: int
    formed_units_bring_equipment: bool
    call_before_decision_days: int
    contingent_size: int
    warehouse: tuple[StockItem, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    source: str = ""
    national: tuple[NationalTraining, ...] = ()
    routing: str = "fallback"

    def __post_init__(self) -> None:
        if self.routing not in ROUTINGS:
            raise ValueError(f"routing {self.routing!r} is not one of {', '.join(ROUTINGS)}")

    def stage(self, name: str) -> Distribution:
        return self.stages[name].days

    def provider_title(self, course: str, index: int) -> str:
        """The provider of ``course`` ("pdt" or "heat"): index -1 the EU calendar, else ``national[index]``."""
        if index < 0:
            return "ESDC calendar (EU)"
        return self.national[index].title

    @property
    def replenishment(self) -> Distribution | None:
        stage = self.stages.get("replenishment")
        return None if stage is None else stage.days

    def assumed(self) -> list[str]:
        """The names of the assumed (unsourced) parameters, in file order."""
        return [p.parameter for p in self.provenance if p.assumed]

    def sourced(self) -> dict[str, list[str]]:
        """Sourced parameter -> its URLs."""
        return {p.parameter: list(p.sources) for p in self.provenance if not p.assumed}

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "stages": {k: v.as_dict() for k, v in self.stages.items()},
                "pdt": self.pdt.as_dict(), "heat": self.heat.as_dict(),
                "selection_per_day": self.selection_per_day, "withdrawal_probability": self.withdrawal_probability,
                "min_service_days": self.min_service_days,
                "formed_units_bring_equipment": self.formed_units_bring_equipment,
                "call_before_decision_days": self.call_before_decision_days,
                "contingent_size": self.contingent_size,
                "warehouse": [_stock_dict(s) for s in self.warehouse],
                "national_training": [n.as_dict() for n in self.national], "routing": self.routing,
                "provenance": [p.as_dict() for p in self.provenance], "assumed": self.assumed()}


def _stock_dict(s: StockItem) -> dict[str, Any]:
    return {"key": s.key, "holder": s.holder, "item": s.item, "category": s.category, "quantity": s.quantity,
            "lead_days": s.lead_days, "per_expert": s.per_expert, "illustrative": s.illustrative,
            "source_url": s.source_url, "notes": s.notes}


class _Reader:
    """Reads one parameters document, naming the source and the parameter in every error."""

    def __init__(self, document: Mapping[str, Any], source: str) -> None:
        self.source = source
        self.document = document
        raw = document.get("sources") or {}
        if not isinstance(raw, Mapping):
            self.fail("sources", "must be a mapping of source keys to {title, url}")
        self.urls: dict[str, str] = {}
        for key, entry in raw.items():
            url = entry.get("url") if isinstance(entry, Mapping) else None
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                self.fail(f"sources.{key}", "needs a url starting with http:// or https://")
            self.urls[str(key)] = url
        self.provenance: list[Provenance] = []

    def fail(self, name: str, reason: str) -> NoReturn:
        raise ValueError(f"{self.source}: {name}: {reason}")

    def _keys(self, name: str, value: object) -> tuple[str, ...]:
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            self.fail(name, "source must name one source key or a list of them")
        unknown = [k for k in keys if k not in self.urls]
        if unknown:
            self.fail(name, f"unknown source {', '.join(unknown)} (not under 'sources')")
        return tuple(self.urls[k] for k in keys)

    def provenance_of(self, name: str, entry: Mapping[str, Any]) -> Provenance:
        assumed = entry.get("assumed", False)
        if not isinstance(assumed, bool):
            self.fail(name, "assumed must be true or false")
        note = str(entry.get("note") or "").strip()
        context = self._keys(name, entry["context"]) if entry.get("context") else ()
        if assumed and entry.get("source"):
            self.fail(name, "is both sourced and assumed: keep one")
        if assumed:
            if not note:
                self.fail(name, "an assumed parameter needs a note saying why no public figure is used")
            found = Provenance(name, True, (), note, context)
        elif entry.get("source"):
            found = Provenance(name, False, self._keys(name, entry["source"]), note, context)
        else:
            self.fail(name, "is neither sourced (source: KEY) nor marked assumed (assumed: true, note)")
        self.provenance.append(found)
        return found

    def value(self, name: str, entry: object, kind: type = float, low: float = 0.0) -> Any:  # noqa: ANN401
        if not isinstance(entry, Mapping) or "value" not in entry:
            self.fail(name, "expected {value: ..., source: ... | assumed: true}")
        self.provenance_of(name, entry)
        raw = entry["value"]
        if kind is bool:
            if not isinstance(raw, bool):
                self.fail(name, f"must be true or false, got {raw!r}")
            return raw
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            self.fail(name, f"must be a number, got {raw!r}")
        if kind is int and raw != int(raw):
            self.fail(name, f"must be a whole number, got {raw!r}")
        if raw < low:
            self.fail(name, f"must be >= {low:g}, got {raw!r}")
        return kind(raw)

    def choice(self, name: str, entry: object, choices: Sequence[str]) -> str:
        if not isinstance(entry, Mapping) or "value" not in entry:
            self.fail(name, "expected {value: ..., source: ... | assumed: true}")
        self.provenance_of(name, entry)
        if entry["value"] not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}, got {entry['value']!r}")
        return str(entry["value"])

    def distribution(self, name: str, spec: object) -> Distribution:
        if not isinstance(spec, Mapping):
            self.fail(name, "days must be a mapping {kind: ..., ...}")
        allowed = {"kind", "value", "low", "mode", "high", "median", "p90"}
        extra = set(spec) - allowed
        if extra:
            self.fail(name, f"unknown distribution field(s) {', '.join(sorted(extra))}")
        figures = {k: v for k, v in spec.items() if k != "kind"}
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in figures.values()):
            self.fail(name, "distribution figures must be numbers (days)")
        try:
            return Distribution(str(spec.get("kind")), **{k: float(v) for k, v in figures.items()})
        except (TypeError, ValueError) as error:
            self.fail(name, str(error))

    def sessions(self, name: str, entry: object, prefix: str = "training", title: str = "") -> Sessions:
        where = f"{prefix}.{name}"
        if not isinstance(entry, Mapping):
            self.fail(where, "must be a mapping")
        get = entry.get
        length = self.value(f"{where}.length_days", get("length_days"), float, 0.0)
        every = self.value(f"{where}.every_days", get("every_days"), float, 0.0)
        seats = self.value(f"{where}.seats", get("seats"), int, 1)
        if every <= 0:
            self.fail(f"{where}.every_days", "must be > 0")
        back = (self.value(f"{where}.back_to_back", get("back_to_back"), bool)
                if get("back_to_back") is not None else False)
        return Sessions(name, str(get("title") or title or name), length, every, seats, back)

    def national(self, entry: object) -> tuple[NationalTraining, ...]:
        """``training.national``: a list of {provider, nation, title, pdt?, heat?}; at most one per nation."""
        if entry is None:
            return ()
        if not isinstance(entry, list):
            self.fail("training.national", "must be a list of {provider, nation, title, pdt, heat}")
        out: list[NationalTraining] = []
        for number, item in enumerate(entry, start=1):
            if not isinstance(item, Mapping) or not item.get("provider") or not item.get("nation"):
                self.fail(f"training.national[{number}]", "needs provider and nation")
            provider, nation = str(item["provider"]), str(item["nation"])
            if any(n.nation == nation for n in out):
                self.fail(f"training.national.{provider}", f"a second provider for {nation} (one per nation)")
            if any(n.provider == provider for n in out):
                self.fail(f"training.national.{provider}", "listed twice")
            title = str(item.get("title") or provider)
            prefix = f"training.national.{provider}"
            courses = {c: self.sessions(c, item[c], prefix, title) if item.get(c) is not None else None
                       for c in ("pdt", "heat")}
            if courses["pdt"] is None and courses["heat"] is None:
                self.fail(prefix, "runs neither pdt nor heat")
            out.append(NationalTraining(provider, nation, title, courses["pdt"], courses["heat"]))
        return tuple(out)

    def warehouse(self, entry: object) -> tuple[StockItem, ...]:
        if entry is None:
            return ()
        if not isinstance(entry, Mapping) or not isinstance(entry.get("items"), list):
            self.fail("warehouse", "expected {nation, holder, items: [...]}")
        nation = str(entry.get("nation") or "EU")
        holder = str(entry.get("holder") or "")
        out = []
        for number, item in enumerate(entry["items"], start=1):
            if not isinstance(item, Mapping) or not item.get("id") or not item.get("item"):
                self.fail(f"warehouse.items[{number}]", "needs id and item")
            name = f"warehouse.{item['id']}"
            quantity = self.value(f"{name}.quantity", item.get("quantity"), int, 0)
            source_url = self.provenance[-1].sources[0] if self.provenance[-1].sources else ""
            per_expert = self.value(f"{name}.per_expert", item.get("per_expert"), float, 0.0)
            lead = self.value(f"{name}.lead_days", item.get("lead_days"), int, 0)
            told = self.provenance[-3:]
            notes = "; ".join(f"{p.parameter.rsplit('.', 1)[1]}: {'assumed' if p.assumed else 'sourced'}"
                              + (f" ({p.note})" if p.note else "") for p in told)
            out.append(StockItem(id=str(item["id"]), nation=nation, holder=holder, item=str(item["item"]),
                                 category=str(item.get("category") or "other"), quantity=quantity, lead_days=lead,
                                 per_expert=per_expert, illustrative=True, source_url=source_url, notes=notes))
        return tuple(out)


def parse_parameters(text: str, source: str) -> DeploymentParameters:
    """The parameters in a YAML document shaped like the bundled ``deployment.yaml``; raises ``ValueError`` naming
    ``source`` and the parameter when a figure is missing, malformed, or neither sourced nor marked assumed."""
    document = yaml_mapping(text, source, NoAliases)
    reader = _Reader(document, source)
    raw_stages = document.get("stages")
    if not isinstance(raw_stages, Mapping):
        reader.fail("stages", "a mapping of stage names is expected")
    stages: dict[str, Stage] = {}
    for name, entry in raw_stages.items():
        if entry is None and name == "replenishment":
            continue
        if not isinstance(entry, Mapping):
            reader.fail(f"stages.{name}", "must be a mapping")
        provenance = reader.provenance_of(f"stages.{name}", entry)
        stages[str(name)] = Stage(str(name), str(entry.get("title") or name),
                                  reader.distribution(f"stages.{name}", entry.get("days")), provenance)
    missing = [s for s in _REQUIRED_STAGES if s not in stages]
    if missing:
        reader.fail("stages", f"missing {', '.join(missing)}")
    training = document.get("training")
    if not isinstance(training, Mapping):
        reader.fail("training", "expected {pdt: ..., heat: ...}")
    pdt = reader.sessions("pdt", training.get("pdt"))
    heat = reader.sessions("heat", training.get("heat"))
    national = reader.national(training.get("national"))
    routing = reader.choice("training.routing", training.get("routing"), ROUTINGS) if training.get(
        "routing") is not None else "fallback"
    per_day = reader.value("selection_per_day", document.get("selection_per_day"), int, 1)
    withdrawal = reader.value("withdrawal_probability", document.get("withdrawal_probability"), float, 0.0)
    if withdrawal >= 1:
        reader.fail("withdrawal_probability", f"must be < 1, got {withdrawal}")
    service = reader.value("min_service_days", document.get("min_service_days"), int, 0)
    own_kit = reader.value("formed_units_bring_equipment", document.get("formed_units_bring_equipment"), bool)
    lead = reader.value("call_before_decision_days", document.get("call_before_decision_days"), int, 0)
    contingent = reader.value("contingent_size", document.get("contingent_size"), int, 1)
    warehouse = reader.warehouse(document.get("warehouse"))
    return DeploymentParameters(stages=stages, pdt=pdt, heat=heat, selection_per_day=per_day,
                                withdrawal_probability=withdrawal, min_service_days=service,
                                formed_units_bring_equipment=own_kit, call_before_decision_days=lead,
                                contingent_size=contingent, warehouse=warehouse,
                                provenance=tuple(reader.provenance), source=source, national=national,
                                routing=routing)


def load_parameters() -> DeploymentParameters:
    """The bundled parameters (``kompas/data/forces/deployment.yaml``): the module's one file read."""
    from kompas.files import read_packaged

    return parse_parameters(read_packaged(PARAMETERS_FILE), f"kompas/data/{PARAMETERS_FILE}")


def warehouse_stocks(params: DeploymentParameters | None = None) -> list[StockItem]:
    """The Strategic Warehouse's published stock levels (2018 figures, sourced; lead days assumed) as stock
    records, marked illustrative: a public aggregate, not a contributed register entry."""
    return list((params or load_parameters()).warehouse)


# ------------------------------------------------------------------------------------------------------ mission


@dataclass(frozen=True)
class ProfileNeed:
    """What the mission needs of one profile: ``count`` experts speaking every one of ``languages`` (ISO 639-1),
    posts needing EUCI ``clearance`` (:data:`~kompas.forces.model.CLEARANCES`)."""

    count: int
    languages: tuple[str, ...] = ("en",)
    clearance: str = "none"

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(f"a profile's count must be >= 0, got {self.count}")
        if self.clearance not in CLEARANCES:
            raise ValueError(f"clearance {self.clearance!r} is not one of {', '.join(CLEARANCES)}")

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "languages": list(self.languages), "clearance": self.clearance}


def _default_needs() -> dict[str, ProfileNeed]:
    return {"monitor": ProfileNeed(200)}


@dataclass(frozen=True)
class Mission:
    """A civilian mission to deploy: ``needs`` (profile -> :class:`ProfileNeed`; default 200 monitors) in theatre
    by ``deadline_days`` after the Council ``decision`` (default 30), in ``environment``
    (:data:`~kompas.forces.model.ENVIRONMENTS`); ``call_lead_days``: days before the decision the call for
    contributions went out (0: at the decision)."""

    decision: date
    needs: Mapping[str, ProfileNeed] = field(default_factory=_default_needs)
    deadline_days: int = 30
    environment: str = "uncertain"
    call_lead_days: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if self.environment not in ENVIRONMENTS:
            raise ValueError(f"environment {self.environment!r} is not one of {', '.join(ENVIRONMENTS)}")
        if self.deadline_days < 0 or self.call_lead_days < 0:
            raise ValueError("deadline_days and call_lead_days must be >= 0")
        if not 1 <= self.size <= MAX_ROSTER:
            raise ValueError(f"a mission needs 1 to {MAX_ROSTER} experts, got {self.size}")

    @property
    def size(self) -> int:
        """N: the experts needed."""
        return sum(n.count for n in self.needs.values())

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "decision": self.decision.isoformat(), "size": self.size,
                "needs": {p: n.as_dict() for p, n in self.needs.items()}, "deadline_days": self.deadline_days,
                "deadline": (self.decision + timedelta(days=self.deadline_days)).isoformat(),
                "environment": self.environment, "call_lead_days": self.call_lead_days}


# ---------------------------------------------------------------------------------------------------- answers


def _day(x: float) -> float | None:
    """A day for JSON: rounded to 0.01, None when never (infinite)."""
    return round(float(x), 2) if math.isfinite(x) else None


@dataclass(frozen=True)
class SelectedExpert:
    """One expert of the plan with the days (from the decision) it is selected, cleared (security and medical),
    trained, equipped and in theatre, and the stage that set its day (``binding``)."""

    key: str
    nation: str
    profile: str
    unit: str
    selected_day: float
    cleared_day: float
    trained_day: float
    equipped_day: float
    in_theatre_day: float
    binding: str

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "nation": self.nation, "profile": self.profile, "unit": self.unit,
                "selected_day": _day(self.selected_day), "cleared_day": _day(self.cleared_day),
                "trained_day": _day(self.trained_day), "equipped_day": _day(self.equipped_day),
                "in_theatre_day": _day(self.in_theatre_day), "binding": self.binding}


@dataclass(frozen=True)
class DayCount:
    """By the end of ``day``: how many of the selected experts are selected, security-cleared, medically cleared,
    trained, equipped and in theatre."""

    day: int
    date: date
    selected: int
    cleared: int
    medical: int
    trained: int
    equipped: int
    in_theatre: int

    def as_dict(self) -> dict[str, Any]:
        return {"day": self.day, "date": self.date.isoformat(), "selected": self.selected, "cleared": self.cleared,
                "medical": self.medical, "trained": self.trained, "equipped": self.equipped,
                "in_theatre": self.in_theatre}


@dataclass(frozen=True)
class CriticalStep:
    """One link of the critical path: ``stage`` (a code of :data:`STAGES`, or ``...-wait`` for a queue) of ``who``
    (an expert's key, a unit, a nation) from ``start_day`` to ``end_day``."""

    stage: str
    who: str
    start_day: float
    end_day: float
    note: str = ""

    @property
    def days(self) -> float:
        return self.end_day - self.start_day

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "who": self.who, "start_day": _day(self.start_day),
                "end_day": _day(self.end_day), "days": _day(self.days), "note": self.note}


@dataclass(frozen=True)
class Bottleneck:
    """A stage's weight in the plan: days it takes on the critical path (queue waits included), experts whose day
    it set, and days spent waiting in its queue over all experts."""

    stage: str
    critical_days: float
    experts_bound: int
    waiting_days: float
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "critical_days": _day(self.critical_days), "experts_bound": self.experts_bound,
                "waiting_days": _day(self.waiting_days), "note": self.note}


@dataclass(frozen=True)
class DeploymentPlan:
    """The deterministic plan (every stage at its median; no withdrawals): who is selected, the day-by-day counts,
    the day the N-th expert is in theatre (``completion_day``, inf when the mix cannot be filled or kit is
    blocked), the critical path and the bottlenecks (``bottleneck``: the stage with most days on the path;
    "roster" when the eligible roster cannot fill the mix, ``shortfall`` saying by how many per profile)."""

    mission: Mission
    feasible: bool
    completion_day: float
    selected: tuple[SelectedExpert, ...]
    reserves: tuple[str, ...]
    shortfall: Mapping[str, int]
    timeline: tuple[DayCount, ...]
    critical_path: tuple[CriticalStep, ...]
    bottleneck: str
    bottlenecks: tuple[Bottleneck, ...]
    ineligible: Mapping[str, int]
    assumed: tuple[str, ...]
    notes: tuple[str, ...] = ()
    illustrative: bool = False
    training: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  #: course -> provider -> experts

    @property
    def completion_date(self) -> date | None:
        if not math.isfinite(self.completion_day):
            return None
        return self.mission.decision + timedelta(days=math.ceil(self.completion_day - _EPS))

    def mix(self) -> dict[str, dict[str, Any]]:
        """Profile -> needed, selected, and selected by nation."""
        out: dict[str, dict[str, Any]] = {}
        for profile, need in self.mission.needs.items():
            chosen = [s for s in self.selected if s.profile == profile]
            out[profile] = {"needed": need.count, "selected": len(chosen),
                            "nations": dict(sorted(Counter(s.nation for s in chosen).items()))}
        return out

    def as_dict(self) -> dict[str, Any]:
        completion = self.completion_date
        return {"mission": self.mission.as_dict(), "feasible": self.feasible,
                "completion_day": _day(self.completion_day),
                "completion_date": completion.isoformat() if completion else None,
                "mix": self.mix(), "selected": [s.as_dict() for s in self.selected], "reserves": list(self.reserves),
                "shortfall": dict(self.shortfall), "timeline": [d.as_dict() for d in self.timeline],
                "critical_path": [s.as_dict() for s in self.critical_path], "bottleneck": self.bottleneck,
                "bottlenecks": [b.as_dict() for b in self.bottlenecks], "ineligible": dict(self.ineligible),
                "assumed": list(self.assumed), "notes": list(self.notes), "illustrative": self.illustrative,
                "training": {course: dict(by) for course, by in self.training.items()}}


@dataclass(frozen=True)
class SimulationResult:
    """The Monte Carlo answer: ``probability`` that the N-th expert is in theatre by the deadline, with its Wilson
    interval at ``confidence``; percentiles of that day (inf: never in some runs); runs where the mix could not be
    filled (withdrawals beyond the reserves) or kit never came (``blocked_runs``); P(day <= d) for whole days."""

    runs: int
    seed: int
    deadline_days: int
    probability: float
    ci_low: float
    ci_high: float
    confidence: float
    percentiles: Mapping[int, float]
    unfilled_runs: int
    blocked_runs: int
    cdf: tuple[tuple[int, float], ...]
    assumed: tuple[str, ...] = ()

    @property
    def half_width(self) -> float:
        return (self.ci_high - self.ci_low) / 2

    @property
    def median_day(self) -> float:
        return self.percentiles[50]

    def as_dict(self) -> dict[str, Any]:
        return {"runs": self.runs, "seed": self.seed, "deadline_days": self.deadline_days,
                "probability": round(self.probability, 4), "ci_low": round(self.ci_low, 4),
                "ci_high": round(self.ci_high, 4), "confidence": self.confidence,
                "half_width": round(self.half_width, 4),
                "percentiles": {str(k): _day(v) for k, v in self.percentiles.items()},
                "unfilled_runs": self.unfilled_runs, "blocked_runs": self.blocked_runs,
                "cdf": [[d, round(p, 4)] for d, p in self.cdf], "assumed": list(self.assumed)}


@dataclass(frozen=True)
class LeverGain:
    """What one lever does to the plan and the odds: plan day, simulated median day and probability with it, and
    the gains against the base (days saved; probability points added). ``applies`` False: nothing to change."""

    lever: str
    description: str
    applies: bool
    plan_day: float
    median_day: float
    probability: float
    gain_plan_days: float
    gain_median_days: float
    gain_probability: float

    def as_dict(self) -> dict[str, Any]:
        """Days as numbers, None when never (an infinite day or gain: from never to some day, or back)."""
        def gain(x: float) -> float | None:
            return round(x, 2) if math.isfinite(x) else None
        return {"lever": self.lever, "description": self.description, "applies": self.applies,
                "plan_day": _day(self.plan_day), "median_day": _day(self.median_day),
                "probability": round(self.probability, 4), "gain_plan_days": gain(self.gain_plan_days),
                "gain_median_days": gain(self.gain_median_days),
                "gain_probability": round(self.gain_probability, 4)}


@dataclass(frozen=True)
class DeploymentAssessment:
    """The whole answer: plan, simulation, levers (best first) and the parameters' provenance."""

    plan: DeploymentPlan
    simulation: SimulationResult
    levers: tuple[LeverGain, ...]
    assumed: tuple[str, ...]
    sourced: Mapping[str, list[str]]
    illustrative: bool

    def as_dict(self) -> dict[str, Any]:
        return {"plan": self.plan.as_dict(), "simulation": self.simulation.as_dict(),
                "levers": [lever.as_dict() for lever in self.levers], "assumed": list(self.assumed),
                "sourced": dict(self.sourced), "illustrative": self.illustrative}


# ------------------------------------------------------------------------------------------------ the pipeline


@dataclass
class _Cohort:
    """The candidates of one mission as arrays, in priority order, the members of a case contiguous."""

    experts: list[Expert]
    ident: np.ndarray  #: index into the base cohort (columns of the random draws)
    profile: np.ndarray
    nation: np.ndarray
    case: np.ndarray  #: case index of each candidate
    case_start: np.ndarray  #: first candidate of each case
    case_unit: list[str]  #: the unit of each case ("" for an individual)
    primary: np.ndarray
    level: np.ndarray  #: EUCI level to obtain (0: none)
    need_medical: np.ndarray
    need_pdt: np.ndarray
    need_heat: np.ndarray
    pdt_provider: np.ndarray  #: index into the parameters' ``national`` running PDT for the nation (-1: none)
    heat_provider: np.ndarray  #: the same for HEAT
    notice: np.ndarray
    available: np.ndarray  #: first day available (-inf: now)
    kit: np.ndarray  #: draws kit from the stocks
    profiles: list[str]
    counts: np.ndarray  #: needed per profile
    nations: list[str]

    @property
    def size(self) -> int:
        return len(self.experts)

    @property
    def in_unit(self) -> np.ndarray:
        """Members of a formed unit (their nation keeps the unit at strength: they do not withdraw)."""
        return np.array([bool(self.case_unit[k]) for k in self.case], dtype=bool)


@dataclass(frozen=True)
class _Kit:
    """One stock item pooled over its holders: experts covered after each holder (shortest lead first)."""

    item: str
    per_expert: float
    covered: np.ndarray
    leads: np.ndarray
    holders: tuple[str, ...]


@dataclass
class _Draws:
    """Uniform draws in [0, 1) in the base cohort's order; ``drop`` None: nobody withdraws."""

    drop: np.ndarray | None
    call: np.ndarray
    selection: np.ndarray
    clearance: np.ndarray
    medical: np.ndarray
    transport: np.ndarray
    pdt_phase: np.ndarray
    heat_phase: np.ndarray
    shipping: np.ndarray
    replenish: np.ndarray
    national: np.ndarray  #: calendar phases of the national providers: column 2k PDT, 2k + 1 HEAT of provider k


@dataclass
class _Times:
    """Every stage's day for every run (rows) and candidate (columns)."""

    deployed: np.ndarray
    nominated: np.ndarray
    slot: np.ndarray
    selected: np.ndarray
    cleared: np.ndarray
    medical: np.ndarray
    free: np.ndarray
    pdt_start: np.ndarray
    pdt_end: np.ndarray
    heat_start: np.ndarray
    heat_end: np.ndarray
    pdt_by: np.ndarray  #: the PDT provider used (-1: the EU calendar; k: national[k])
    heat_by: np.ndarray
    ready: np.ndarray
    departs: np.ndarray
    arrival: np.ndarray
    kit: np.ndarray
    kit_item: np.ndarray  #: the item that set the kit day (-1: none)
    kit_beyond: np.ndarray  #: kit beyond the stock held (replenished or blocked)
    done: np.ndarray
    unfilled: np.ndarray
    completion: np.ndarray


def _draws(rng: np.random.Generator, runs: int, size: int, nations: int, withdrawal: float,
           providers: int = 0) -> _Draws:
    """The uniform draws of ``runs`` runs; the national providers' phases last (the draws before them do not
    depend on how many providers there are)."""
    drop = rng.random((runs, size)) < withdrawal
    return _Draws(drop=drop, call=rng.random((runs, nations)), selection=rng.random((runs, size)),
                  clearance=rng.random((runs, size)), medical=rng.random((runs, size)),
                  transport=rng.random((runs, size)), pdt_phase=rng.random((runs, 1)),
                  heat_phase=rng.random((runs, 1)), shipping=rng.random((runs, 1)), replenish=rng.random((runs, 1)),
                  national=rng.random((runs, 2 * providers)))


def _median_draws(size: int, nations: int, providers: int = 0) -> _Draws:
    def half(*shape: int) -> np.ndarray:
        return np.full(shape, 0.5)
    return _Draws(None, half(1, nations), half(1, size), half(1, size), half(1, size), half(1, size), half(1, 1),
                  half(1, 1), half(1, 1), half(1, 1), half(1, 2 * providers))


def _queue(ready: np.ndarray, phase: np.ndarray, every: float, seats: int) -> np.ndarray:
    """The start day of the session each entrant joins, per run (row): sessions start at ``phase + k * every``
    (any integer k), ``seats`` seats each; entrants in order of ``ready`` (ties: column order) take the earliest
    session starting at or after their ready day with a seat left. ``inf`` ready: never (inf out)."""
    runs, size = ready.shape
    if size == 0:
        return ready.copy()
    order = np.argsort(ready, axis=1, kind="stable")
    ordered = np.take_along_axis(ready, order, axis=1)
    earliest = np.ceil((ordered - phase) / every - _EPS)
    if seats < size:
        pad = (-size) % seats
        grid = np.pad(earliest, ((0, 0), (0, pad)), constant_values=np.inf).reshape(runs, -1, seats)
        rank = np.arange(grid.shape[1], dtype=float)[None, :, None]
        session = (np.maximum.accumulate(grid - rank, axis=1) + rank).reshape(runs, -1)[:, :size]
    else:
        session = earliest
    start = phase + session * every
    out = np.empty_like(ready)
    np.put_along_axis(out, order, start, axis=1)
    return out


def _queues(ready: np.ndarray, allowed: np.ndarray, phases: np.ndarray, every: Sequence[float],
            seats: Sequence[int], rank: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Several course calendars shared by one set of entrants: calendar c has sessions at ``phases[:, c] + k *
    every[c]`` (any integer k) with ``seats[c]`` seats each. Entrants are served in order of ``rank`` (lower
    first; None: all equal), then of ``ready`` per run (ties: column order); each takes the earliest session
    starting at or after their ready day that has a seat left, among the calendars ``allowed`` to them
    (``allowed[i, c]``; ties between calendars: the higher index). The start day and the calendar taken per run
    and entrant (inf and -1 for an inf ready).

    One pass over the entrants, vectorised over runs, with the seats taken per session of each calendar (written by
    hand: no library solves this batched multi-calendar queue; with one calendar and one rank it equals
    :func:`_queue`, and it agrees with a one-by-one simulation: both checked in the tests)."""
    runs, size = ready.shape
    calendars = allowed.shape[1]
    every_ = np.asarray(every, dtype=float)[None, :]
    seats_ = np.asarray(seats, dtype=int)[None, :, None]
    start = np.full((runs, size), np.inf)
    used = np.full((runs, size), -1)
    finite = np.isfinite(ready)
    if not finite.any():
        return start, used
    low = np.where(finite, ready, np.inf).min(axis=1, initial=np.inf)[:, None]
    high = np.where(finite, ready, -np.inf).max(axis=1, initial=-np.inf)[:, None]
    low = np.where(np.isfinite(low), low, 0.0)
    high = np.where(np.isfinite(high), high, 0.0)
    base = np.ceil((low - phases) / every_ - _EPS)  # the first session any entrant of a run may join
    span = np.ceil((high - phases) / every_ - _EPS) - base
    sessions = int(np.max(span)) + 1 + int(np.max(np.ceil(size / np.asarray(seats, dtype=float)))) + 1
    taken = np.zeros((runs, calendars, sessions), dtype=np.int32)
    slots = np.arange(sessions)[None, None, :]
    rows = np.arange(runs)
    later = np.ones(size, dtype=bool)
    if rank is not None:
        # the first rank, when each of its entrants may use one calendar only, is that calendar's plain queue
        first_rank = rank == rank.min()
        if (allowed[first_rank].sum(axis=1) == 1).all():
            later = ~first_rank
            for c in range(calendars):
                cols = first_rank & allowed[:, c]
                if not cols.any():
                    continue
                begins = _queue(ready[:, cols], phases[:, [c]], float(every_[0, c]), int(seats_[0, c, 0]))
                start[:, cols] = begins
                used[:, cols] = np.where(np.isfinite(begins), c, -1)
                index = np.rint((begins - phases[:, [c]]) / every_[0, c] - base[:, [c]])
                hit = np.nonzero(np.isfinite(index))
                np.add.at(taken, (hit[0], np.full(hit[0].size, c), index[hit].astype(int)), 1)
    order = np.argsort(ready, axis=1, kind="stable")
    if rank is not None:
        order = np.take_along_axis(order, np.argsort(rank[order], axis=1, kind="stable"), axis=1)
    order = order[later[order]].reshape(runs, -1)  # the same columns in every run
    for j in range(order.shape[1]):
        col = order[:, j]
        day = ready[rows, col]
        live = np.isfinite(day)
        if not live.any():
            continue
        first = np.ceil((np.where(live, day, low[:, 0])[:, None] - phases) / every_ - _EPS) - base
        free = (taken < seats_) & (slots >= first[:, :, None])
        slot = np.argmax(free, axis=2)
        when = phases + (base + slot) * every_
        when = np.where(allowed[col] & live[:, None] & free.any(axis=2), when, np.inf)
        pick = calendars - 1 - np.argmin(when[:, ::-1], axis=1)
        begins = when[rows, pick]
        got = np.flatnonzero(np.isfinite(begins))
        taken[got, pick[got], slot[got, pick[got]]] += 1
        start[got, col[got]] = begins[got]
        used[got, col[got]] = pick[got]
    return start, used


def _course(ready: np.ndarray, needs: np.ndarray, provider: np.ndarray, eu: Sessions, eu_phase: np.ndarray,
            national: Sequence[Sessions | None], phases: np.ndarray, routing: str,
            unlimited: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One course (PDT or HEAT) over the columns that may need it (``needs``; ``ready`` inf where a candidate does
    not take it in a run). Without a national calendar for any of them: the EU calendar's :func:`_queue`. Else
    :func:`_queues` over the EU calendar and the national calendars (``provider`` >= 0: ``national[k]``, phase
    ``phases[:, k]``; the nation's experts only), by ``routing`` (:data:`ROUTINGS`). The start day (inf for the
    others), the provider used (-1: EU) and the course's length, per run and candidate."""
    start = np.full(ready.shape, np.inf)
    used = np.full(ready.shape, -1)
    length = np.full(ready.shape, float(eu.length_days))
    if not needs.any():
        return start, used, length
    size = ready.shape[1]
    offered = [(k, course) for k, course in enumerate(national)
               if course is not None and (needs & (provider == k)).any()]
    if not offered:
        start[:, needs] = _queue(ready[:, needs], eu_phase, eu.every_days, size if unlimited else eu.seats)
        return start, used, length
    active = [k for k, _ in offered]
    courses = [eu, *(course for _, course in offered)]
    mine = provider[needs]
    national_course = np.isin(mine, active)
    allowed = np.column_stack([~national_course if routing == "national-only" else np.ones(mine.size, dtype=bool),
                               *(mine == k for k in active)])
    rank = national_course.astype(int) if routing == "fallback" else None
    got, calendar = _queues(ready[:, needs], allowed, np.column_stack([eu_phase[:, 0], phases[:, active]]),
                            [c.every_days for c in courses], [size if unlimited else c.seats for c in courses],
                            rank)
    start[:, needs] = got
    labels = np.array([-1, *active])
    used[:, needs] = np.where(calendar >= 0, labels[np.maximum(calendar, 0)], -1)
    lengths = np.array([float(c.length_days) for c in courses])
    length[:, needs] = np.where(calendar >= 0, lengths[np.maximum(calendar, 0)], float(eu.length_days))
    return start, used, length


def _case_max(values: np.ndarray, cohort: _Cohort) -> np.ndarray:
    return np.maximum.reduceat(values, cohort.case_start, axis=1)


def _deployed(cohort: _Cohort, drop: np.ndarray | None, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """Who deploys in each run (primaries who stay, then reserves in rank order for the profile's shortfall), and
    the runs where some profile cannot be filled. Only individuals withdraw: a nation keeps its formed unit at
    strength."""
    alive = np.ones((runs, cohort.size), dtype=bool) if drop is None else ~drop[:, cohort.ident] | cohort.in_unit
    deployed = cohort.primary[None, :] & alive
    unfilled = np.zeros(runs, dtype=bool)
    for p, count in enumerate(cohort.counts):
        mine = cohort.profile == p
        short = count - deployed[:, mine & cohort.primary].sum(axis=1)
        reserves = np.flatnonzero(mine & ~cohort.primary)
        if reserves.size:
            stay = alive[:, reserves]
            taken = stay & (np.cumsum(stay, axis=1) <= short[:, None])
            deployed[:, reserves] = taken
            short = short - taken.sum(axis=1)
        unfilled |= short > 0
    return deployed, unfilled


def _run(cohort: _Cohort, kits: Sequence[_Kit], params: DeploymentParameters, mission: Mission, draws: _Draws,
         unlimited: bool = False) -> _Times:
    """Every stage's day for every run; ``unlimited``: no seat, panel or stock limit (the ranking pass)."""
    runs = draws.call.shape[0]
    size = cohort.size
    col = cohort.ident
    if unlimited:
        deployed, unfilled = np.ones((runs, size), dtype=bool), np.zeros(runs, dtype=bool)
    else:
        deployed, unfilled = _deployed(cohort, draws.drop, runs)
    never = np.inf
    # 1. call: one draw per nation
    nominated = params.stage("call").ppf(draws.call)[:, cohort.nation] - mission.call_lead_days
    # 2. selection: cases FIFO through the panels, one duration per case
    case_nominated = _case_max(np.where(deployed, nominated, -never), cohort)
    case_ready = np.where(np.isfinite(case_nominated), case_nominated, never)
    per_day = case_ready.shape[1] if unlimited else params.selection_per_day
    case_slot = _queue(case_ready, np.zeros((runs, 1)), 1.0, per_day)
    case_selected = case_slot + params.stage("selection").ppf(draws.selection[:, col[cohort.case_start]])
    slot = case_slot[:, cohort.case]
    selected = case_selected[:, cohort.case]
    # 3-4. clearance and medical, from selection
    cleared = selected.copy()
    for level, stage in _LEVEL_STAGE.items():
        mine = cohort.level == level
        if mine.any():
            cleared[:, mine] += params.stage(stage).ppf(draws.clearance[:, col[mine]])
    medical = selected + np.where(cohort.need_medical, params.stage("medical").ppf(draws.medical[:, col]), 0.0)
    # 5-7. free, then PDT and HEAT sessions
    free = np.maximum(np.maximum(selected, selected + cohort.notice), cohort.available)
    pdt, heat = params.pdt, params.heat
    pdt_phase = draws.pdt_phase * pdt.every_days
    national_pdt = [n.pdt for n in params.national]
    national_heat = [n.heat for n in params.national]
    phases_pdt = draws.national[:, 0::2] * np.array([c.every_days if c else 1.0 for c in national_pdt])
    phases_heat = draws.national[:, 1::2] * np.array([c.every_days if c else 1.0 for c in national_heat])
    needs_pdt = deployed & cohort.need_pdt
    pdt_start, pdt_by, pdt_length = _course(np.where(needs_pdt, free, never), cohort.need_pdt, cohort.pdt_provider,
                                            pdt, pdt_phase, national_pdt, phases_pdt, params.routing,
                                            unlimited)
    pdt_end = np.where(needs_pdt, pdt_start + pdt_length, free)
    heat_phase = pdt_phase + pdt.length_days if heat.back_to_back else draws.heat_phase * heat.every_days
    needs_heat = deployed & cohort.need_heat
    heat_start, heat_by, heat_length = _course(np.where(needs_heat, pdt_end, never), cohort.need_heat,
                                               cohort.heat_provider, heat, heat_phase, national_heat, phases_heat,
                                               params.routing, unlimited)
    heat_end = np.where(needs_heat, heat_start + heat_length, pdt_end)
    # 8. departure (not before the decision), together per case; transport one draw per case
    ready = np.maximum(np.maximum(cleared, medical), np.maximum(heat_end, 0.0))
    case_departs = _case_max(np.where(deployed, ready, -never), cohort)
    case_arrival = case_departs + params.stage("transport").ppf(draws.transport[:, col[cohort.case_start]])
    departs = case_departs[:, cohort.case]
    arrival = case_arrival[:, cohort.case]
    # 9. equipment, in order of selection, shortest lead first, then replenishment
    kit = np.full((runs, size), -never)
    kit_item = np.full((runs, size), -1)
    kit_beyond = np.zeros((runs, size), dtype=bool)
    takers = deployed & cohort.kit
    if kits and takers.any():
        cols = cohort.kit
        mine = takers[:, cols]
        request = np.maximum(selected[:, cols], 0.0)
        width = request.shape[1]
        if unlimited:
            rank = np.zeros((runs, width), dtype=int)
        else:
            order = np.argsort(np.where(mine, request, never), axis=1, kind="stable")
            rank = np.empty_like(order)
            np.put_along_axis(rank, order, np.broadcast_to(np.arange(width), order.shape), axis=1)
        replenish = params.replenishment
        late = replenish.ppf(draws.replenish) if replenish is not None else np.full((runs, 1), never)
        lead = np.full((runs, width), -never)
        item_of = np.full((runs, width), -1)
        beyond_any = np.zeros((runs, width), dtype=bool)
        for number, item in enumerate(kits):
            holder = np.searchsorted(item.covered, rank, side="right")
            beyond = holder >= item.leads.size
            days = np.where(beyond, np.broadcast_to(late, rank.shape),
                            item.leads[np.minimum(holder, item.leads.size - 1)])
            item_of = np.where(days > lead, number, item_of)
            beyond_any |= beyond
            lead = np.maximum(lead, days)
        ship = params.stage("equipment-shipping").ppf(draws.shipping)
        kit[:, cols] = np.where(mine, request + lead + ship, -never)
        kit_item[:, cols] = np.where(mine, item_of, -1)
        kit_beyond[:, cols] = beyond_any & mine
    done = np.where(deployed, np.maximum(arrival, kit), -never)
    completion = np.where(unfilled, never, done.max(axis=1, initial=-never))
    return _Times(deployed, nominated, slot, selected, cleared, medical, free, pdt_start, pdt_end, heat_start,
                  heat_end, np.where(needs_pdt, pdt_by, -1), np.where(needs_heat, heat_by, -1), ready, departs,
                  arrival, kit, kit_item, kit_beyond, done, unfilled, completion)


# ---------------------------------------------------------------------------------------------------- cohorts


def _check(roster: Sequence[Expert]) -> None:
    if len(roster) > MAX_ROSTER:
        raise ValueError(f"a roster of {len(roster)} experts is over the limit of {MAX_ROSTER}")
    keys = Counter(e.key for e in roster)
    twice = sorted(k for k, n in keys.items() if n > 1)
    if twice:
        raise ValueError(f"experts listed twice: {', '.join(twice[:5])}")
    bad = sorted(e.key for e in roster if e.clearance not in CLEARANCES)
    if bad:
        raise ValueError(f"unknown clearance for {', '.join(bad[:5])} (expected one of {', '.join(CLEARANCES)})")


def _eligible(roster: Sequence[Expert], mission: Mission,
              params: DeploymentParameters) -> tuple[list[Expert], dict[str, int]]:
    """Experts of a needed profile who speak its languages and are available long enough; reasons for the rest."""
    until = mission.decision + timedelta(days=mission.deadline_days + params.min_service_days)
    good: list[Expert] = []
    reasons: Counter[str] = Counter()
    for expert in roster:
        need = mission.needs.get(expert.profile)
        if need is None or need.count == 0:
            continue
        if not set(need.languages) <= set(expert.languages):
            reasons["language"] += 1
        elif expert.available_to is not None and expert.available_to < until:
            reasons["availability ends too early"] += 1
        else:
            good.append(expert)
    return good, dict(reasons)


def _kits(stocks: Iterable[StockItem]) -> list[_Kit]:
    """Stock items issued per expert, pooled by item over holders (shortest lead first)."""
    groups: dict[str, list[StockItem]] = defaultdict(list)
    for s in stocks:
        if s.per_expert > 0 and s.quantity >= 0:
            groups[s.item].append(s)
    out = []
    for item, held in sorted(groups.items()):
        held.sort(key=lambda s: (s.lead_days, s.key))
        per = max(s.per_expert for s in held)  # one rule per item: the most demanding record's
        covered = np.floor(np.cumsum([s.quantity for s in held]) / per + _EPS)
        out.append(_Kit(item, per, covered, np.array([float(s.lead_days) for s in held]),
                        tuple(s.holder or s.key for s in held)))
    return out


def _build(cases: Sequence[Sequence[Expert]], primary: Sequence[bool], mission: Mission,
           params: DeploymentParameters) -> _Cohort:
    experts = [e for case in cases for e in case]
    profiles = list(mission.needs)
    nations = sorted({e.nation for e in experts})
    sizes = [len(c) for c in cases]
    starts = np.cumsum([0, *sizes[:-1]]).astype(int)
    case = np.repeat(np.arange(len(cases)), sizes).astype(int)
    harsh = mission.environment != "permissive"
    levels = []
    for e in experts:
        needed = CLEARANCES.index(mission.needs[e.profile].clearance)
        levels.append(needed if needed > e.clearance_rank() else 0)
    units = [c[0].unit if c[0].unit else "" for c in cases]
    own_kit = params.formed_units_bring_equipment
    pdt_by = {n.nation: k for k, n in enumerate(params.national) if n.pdt is not None}
    heat_by = {n.nation: k for k, n in enumerate(params.national) if n.heat is not None}
    return _Cohort(
        experts=experts, ident=np.arange(len(experts)),
        profile=np.array([profiles.index(e.profile) for e in experts], dtype=int),
        nation=np.array([nations.index(e.nation) for e in experts], dtype=int),
        case=case, case_start=starts, case_unit=units,
        primary=np.repeat(np.asarray(primary, dtype=bool), sizes),
        level=np.array(levels, dtype=int),
        need_medical=np.array([not e.medical_done for e in experts], dtype=bool),
        need_pdt=np.array([not e.pdt_done for e in experts], dtype=bool),
        need_heat=np.array([harsh and not e.heat_done for e in experts], dtype=bool),
        pdt_provider=np.array([pdt_by.get(e.nation, -1) for e in experts], dtype=int),
        heat_provider=np.array([heat_by.get(e.nation, -1) for e in experts], dtype=int),
        notice=np.array([float(e.notice_days) for e in experts]),
        available=np.array([-np.inf if e.available_from is None else float((e.available_from - mission.decision).days)
                            for e in experts]),
        kit=np.array([not (own_kit and units[k]) for k in case], dtype=bool) if experts else np.zeros(0, bool),
        profiles=profiles, counts=np.array([mission.needs[p].count for p in profiles], dtype=int), nations=nations)


def _group(experts: Sequence[Expert]) -> list[list[Expert]]:
    """Cases: one per formed unit (members in key order), one per individual; in key order."""
    units: dict[str, list[Expert]] = defaultdict(list)
    cases: list[list[Expert]] = []
    for e in sorted(experts, key=lambda e: e.key):
        if e.unit:
            units[e.unit].append(e)
        else:
            cases.append([e])
    return sorted([*units.values(), *cases], key=lambda c: c[0].key)


@dataclass
class _Prepared:
    mission: Mission
    params: DeploymentParameters
    cohort: _Cohort
    kits: list[_Kit]
    ineligible: dict[str, int]
    shortfall: dict[str, int]
    illustrative: bool
    notes: list[str]


def _reserves_needed(chosen: int, count: int, available: int, withdrawal: float) -> int:
    """The fewest reserves r with P(fewer than ``count`` of ``chosen + r`` stay) < 1e-9 (each withdraws with
    ``withdrawal``), at most ``available``."""
    if withdrawal <= 0 or available == 0 or count == 0:
        return 0
    r = np.arange(available + 1)
    risk = stats.binom.cdf(count - 1, chosen + r, 1 - withdrawal)
    ok = np.flatnonzero(risk < _RESERVE_RISK)
    return int(ok[0]) if ok.size else available


def _prepare(mission: Mission, roster: Sequence[Expert], stocks: Sequence[StockItem],
             params: DeploymentParameters | None) -> _Prepared:
    params = params or load_parameters()
    _check(roster)
    eligible, ineligible = _eligible(roster, mission, params)
    kits = _kits(stocks)
    cases = _group(eligible)
    # rank every case by its day in theatre with unlimited capacity (medians)
    everyone = _build(cases, [True] * len(cases), mission, params)
    nominal = np.zeros(len(cases))
    if cases:
        medians = _median_draws(everyone.size, len(everyone.nations), len(params.national))
        times = _run(everyone, kits, params, mission, medians, unlimited=True)
        nominal = _case_max(times.done, everyone)[0]
    order = sorted(range(len(cases)), key=lambda k: (nominal[k], not cases[k][0].unit, -len(cases[k]),
                                                    cases[k][0].key))
    remaining = {p: n.count for p, n in mission.needs.items()}
    chosen: list[list[Expert]] = []
    spare: dict[str, list[list[Expert]]] = defaultdict(list)
    for k in order:
        case = cases[k]
        wanted = Counter(e.profile for e in case)
        if all(remaining[p] >= n for p, n in wanted.items()):
            chosen.append(case)
            for p, n in wanted.items():
                remaining[p] -= n
        elif not case[0].unit:
            spare[case[0].profile].append(case)
    reserves: list[list[Expert]] = []
    for profile, need in mission.needs.items():
        taken = need.count - remaining[profile]
        keep = _reserves_needed(taken, need.count, len(spare[profile]), params.withdrawal_probability)
        reserves += spare[profile][:keep]
    cohort = _build([*chosen, *reserves], [True] * len(chosen) + [False] * len(reserves), mission, params)
    shortfall = {p: n for p, n in remaining.items() if n > 0}
    notes = []
    if not kits:
        notes.append("no stock records with a per-expert quantity: equipment is not checked")
    illustrative = any(e.illustrative for e in roster) or any(s.illustrative for s in stocks)
    if illustrative:
        notes.append("built from illustrative records: not a statement about any real roster or stock")
    return _Prepared(mission, params, cohort, kits, ineligible, shortfall, illustrative, notes)


# ----------------------------------------------------------------------------------------------- the answers


def _binding(t: _Times, cohort: _Cohort, i: int, need_heat: bool, need_pdt: bool) -> str:
    """The stage that set expert ``i``'s day in theatre (single run)."""
    if t.kit[0, i] > t.arrival[0, i] + _EPS:
        return "equipment"
    if t.departs[0, i] > t.ready[0, i] + _EPS:
        return "unit"
    ready = t.ready[0, i]
    if ready <= _EPS and max(t.cleared[0, i], t.medical[0, i], t.heat_end[0, i]) < -_EPS:
        return "decision"
    if t.heat_end[0, i] >= ready - _EPS:
        if need_heat:
            return "heat"
        if need_pdt:
            return "pdt"
        return _free_binding(t, cohort, i)
    if t.cleared[0, i] >= ready - _EPS:
        return "clearance"
    return "medical"


def _free_binding(t: _Times, cohort: _Cohort, i: int) -> str:
    free, selected = t.free[0, i], t.selected[0, i]
    if cohort.available[i] >= free - _EPS and cohort.available[i] > selected + _EPS:
        return "availability"
    if cohort.notice[i] > 0 and selected + cohort.notice[i] >= free - _EPS:
        return "notice"
    return "selection"


class _Tracer:
    """Builds the critical path back from the expert in theatre last (single run)."""

    def __init__(self, t: _Times, cohort: _Cohort, params: DeploymentParameters, mission: Mission,
                 kits: Sequence[_Kit]) -> None:
        self.t, self.cohort, self.params, self.mission, self.kits = t, cohort, params, mission, kits

    def calendar(self, course: str, index: int) -> str:
        """The calendar an expert used, as the critical path names it."""
        sessions = getattr(self.params, course) if index < 0 else self.params.national[index].course(course)
        assert sessions is not None
        where = "" if index < 0 else f" (national, {self.params.national[index].nation})"
        return (f"{self.params.provider_title(course, index)}{where}: {sessions.seats} seats every "
                f"{sessions.every_days:g} days")

    def who(self, i: int) -> str:
        unit = self.cohort.case_unit[self.cohort.case[i]]
        return f"unit {unit}" if unit else self.cohort.experts[i].key

    def selection(self, i: int) -> list[CriticalStep]:
        t, co = self.t, self.cohort
        k = co.case[i]
        members = np.flatnonzero((co.case == k) & t.deployed[0])
        j = int(members[np.argmax(t.nominated[0, members])])
        nominated, slot, selected = t.nominated[0, j], t.slot[0, i], t.selected[0, i]
        steps = [CriticalStep("call", co.nations[co.nation[j]], float(-self.mission.call_lead_days), nominated,
                              "call for contributions to national nomination")]
        if slot > nominated + _EPS:
            steps.append(CriticalStep("selection-wait", self.who(i), nominated, slot,
                                      f"selection panels take up {self.params.selection_per_day} cases a day"))
        steps.append(CriticalStep("selection", self.who(i), slot, selected))
        return steps

    def free(self, i: int) -> list[CriticalStep]:
        t, co = self.t, self.cohort
        key = co.experts[i].key
        match _free_binding(t, co, i):
            case "availability":
                return [CriticalStep("availability", key, float(-self.mission.call_lead_days), co.available[i],
                                     "not available before this day (roster)")]
            case "notice":
                return [*self.selection(i), CriticalStep("notice", key, t.selected[0, i], t.free[0, i],
                                                         f"employer notice of {co.notice[i]:g} days")]
        return self.selection(i)

    def ready(self, i: int) -> list[CriticalStep]:
        t, co = self.t, self.cohort
        key = co.experts[i].key
        terms = {"training": t.heat_end[0, i], "clearance": t.cleared[0, i], "medical": t.medical[0, i]}
        top = max(terms, key=lambda name: terms[name])
        if top == "training":
            steps = self.free(i)
            if co.need_pdt[i]:
                by = self.calendar("pdt", int(t.pdt_by[0, i]))
                if t.pdt_start[0, i] > t.free[0, i] + _EPS:
                    steps.append(CriticalStep("pdt-wait", key, t.free[0, i], t.pdt_start[0, i],
                                              f"next PDT session with a seat: {by}"))
                steps.append(CriticalStep("pdt", key, t.pdt_start[0, i], t.pdt_end[0, i], by))
            if co.need_heat[i]:
                by = self.calendar("heat", int(t.heat_by[0, i]))
                if t.heat_start[0, i] > t.pdt_end[0, i] + _EPS:
                    steps.append(CriticalStep("heat-wait", key, t.pdt_end[0, i], t.heat_start[0, i],
                                              f"next HEAT session with a seat: {by}"))
                steps.append(CriticalStep("heat", key, t.heat_start[0, i], t.heat_end[0, i], by))
        elif top == "clearance":
            level = CLEARANCES[co.level[i]]
            steps = [*self.selection(i), CriticalStep("clearance", key, t.selected[0, i], t.cleared[0, i],
                                                      f"to {level}")]
        else:
            steps = [*self.selection(i), CriticalStep("medical", key, t.selected[0, i], t.medical[0, i])]
        if terms[top] < -_EPS:
            steps.append(CriticalStep("decision", key, terms[top], 0.0, "ready before the Council decision"))
        return steps

    def path(self) -> list[CriticalStep]:
        t, co = self.t, self.cohort
        done = np.where(t.deployed[0], t.done[0], -np.inf)
        last = int(np.argmax(done))
        if t.kit[0, last] > t.arrival[0, last] + _EPS:
            item = self.kits[int(t.kit_item[0, last])]
            why = (f"stock of {item.item} exhausted: replenishment" if t.kit_beyond[0, last]
                   else f"{item.item} from {', '.join(item.holders)}")
            start = max(t.selected[0, last], 0.0)
            return [*self.selection(last), CriticalStep("equipment", co.experts[last].key, start, t.kit[0, last],
                                                        f"{why}, lead days and shipping")]
        k = co.case[last]
        members = np.flatnonzero((co.case == k) & t.deployed[0])
        slowest = int(members[np.argmax(t.ready[0, members])])
        steps = self.ready(slowest)
        steps.append(CriticalStep("transport", self.who(last), t.departs[0, last], t.arrival[0, last],
                                  "travel to the theatre"))
        return steps


_GROUP = {"selection-wait": "selection", "pdt-wait": "pdt", "heat-wait": "heat"}


def _plan(prepared: _Prepared) -> tuple[DeploymentPlan, _Times]:
    mission, params, co = prepared.mission, prepared.params, prepared.cohort
    assumed = tuple(params.assumed())
    if co.size == 0:
        plan = DeploymentPlan(mission, False, math.inf, (), (), dict(prepared.shortfall), (), (), "roster", (),
                              prepared.ineligible, assumed, (*prepared.notes, "no eligible expert on the roster"),
                              prepared.illustrative)
        return plan, _empty_times()
    t = _run(co, prepared.kits, params, mission, _median_draws(co.size, len(co.nations), len(params.national)))
    completion = float(t.completion[0])
    deployed = np.flatnonzero(t.deployed[0])
    selected = []
    bound: Counter[str] = Counter()
    for i in deployed:
        e = co.experts[i]
        binding = _binding(t, co, int(i), bool(co.need_heat[i]), bool(co.need_pdt[i]))
        bound[binding] += 1
        equipped = t.kit[0, i] if co.kit[i] and prepared.kits else t.departs[0, i]
        selected.append(SelectedExpert(e.key, e.nation, e.profile, e.unit, float(t.selected[0, i]),
                                       float(max(t.cleared[0, i], t.medical[0, i])), float(t.heat_end[0, i]),
                                       float(equipped), float(t.done[0, i]), binding))
    reserves = tuple(co.experts[i].key for i in np.flatnonzero(~co.primary))
    # day by day
    finite = [s.in_theatre_day for s in selected if math.isfinite(s.in_theatre_day)]
    horizon = min(3650, max(mission.deadline_days, math.ceil(max(finite, default=0.0) - _EPS)))
    days = np.arange(horizon + 1)

    def count(values: Iterable[float]) -> np.ndarray:
        v = np.array(list(values), dtype=float)
        return (v[None, :] <= days[:, None] + _EPS).sum(axis=1) if v.size else np.zeros(days.size, dtype=int)

    columns = [count(t.selected[0, deployed]), count(t.cleared[0, deployed]), count(t.medical[0, deployed]),
               count(t.heat_end[0, deployed]), count(s.equipped_day for s in selected),
               count(s.in_theatre_day for s in selected)]
    timeline = tuple(DayCount(int(d), mission.decision + timedelta(days=int(d)), *(int(c[d]) for c in columns))
                     for d in days)
    notes = list(prepared.notes)
    path: list[CriticalStep] = []
    if math.isfinite(completion):
        path = _Tracer(t, co, params, mission, prepared.kits).path()
    elif t.unfilled[0]:
        notes.append("the profile mix cannot be filled from the eligible roster")
    else:
        blocked = sorted({prepared.kits[int(j)].item for j in t.kit_item[0, deployed][~np.isfinite(t.kit[0, deployed])]
                          if j >= 0})
        notes.append(f"kit never comes (stock exhausted, no replenishment): {', '.join(blocked)}")
        path = [CriticalStep("equipment", "stock", 0.0, math.inf, f"stock exhausted: {', '.join(blocked)}")]
    beyond = int(t.kit_beyond[0, deployed].sum())
    if beyond:
        notes.append(f"{beyond} experts wait for kit beyond the stock held")
    critical: dict[str, float] = defaultdict(float)
    for step in path:
        critical[_GROUP.get(step.stage, step.stage)] += step.days
    pdt, heat = t.deployed[0] & co.need_pdt, t.deployed[0] & co.need_heat
    waits = {
        "selection": float(np.sum((t.slot - t.nominated)[0, deployed])),
        "pdt": float(np.sum(t.pdt_start[0, pdt] - t.free[0, pdt])),
        "heat": float(np.sum(t.heat_start[0, heat] - t.pdt_end[0, heat])),
        "unit": float(np.sum((t.departs - t.ready)[0, deployed].clip(min=0))),
    }
    stages = sorted(set(critical) | set(bound) | {s for s, w in waits.items() if w > _EPS})
    bottlenecks = tuple(sorted(
        (Bottleneck(s, critical.get(s, 0.0), bound.get(s, 0), waits.get(s, 0.0), _stage_note(s, params))
         for s in stages),
        key=lambda b: (-b.critical_days, -b.experts_bound, -b.waiting_days, b.stage)))
    top = next((b.stage for b in bottlenecks if b.critical_days > 0), bottlenecks[0].stage if bottlenecks else "")
    if prepared.shortfall:
        top = "roster"
    training = {course: dict(sorted(Counter(params.provider_title(course, int(k)) for k in used[0, deployed][
        needs[deployed]]).items())) for course, used, needs in (("pdt", t.pdt_by, co.need_pdt),
                                                                ("heat", t.heat_by, co.need_heat))}
    plan = DeploymentPlan(mission, completion <= mission.deadline_days + _EPS, completion, tuple(selected), reserves,
                          dict(prepared.shortfall), timeline, tuple(path), top, bottlenecks, prepared.ineligible,
                          assumed, tuple(notes), prepared.illustrative, training)
    return plan, t


def _stage_note(stage: str, params: DeploymentParameters) -> str:
    def national(course: str) -> str:
        found = [f"{n.nation} {c.seats} every {c.every_days:g} days" for n in params.national
                 if (c := n.course(course)) is not None]
        return f"; national: {', '.join(found)}" if found else ""
    return {"selection": f"{params.selection_per_day} cases a day (assumed)",
            "pdt": f"EU: {params.pdt.seats} seats every {params.pdt.every_days:g} days{national('pdt')}",
            "heat": f"EU: {params.heat.seats} seats every {params.heat.every_days:g} days{national('heat')}",
            "unit": "a formed unit waits for its slowest member",
            "equipment": "stock levels, lead days, shipping"}.get(stage, "")


def _empty_times() -> _Times:
    z = np.zeros((1, 0))
    b = np.zeros((1, 0), dtype=bool)
    i = np.zeros((1, 0), dtype=int)
    return _Times(b, z, z, z, z, z, z, z, z, z, z, i, i, z, z, z, z, i, b, z, np.ones(1, dtype=bool),
                  np.full(1, np.inf))


def _simulate(prepared: _Prepared, runs: int, seed: int) -> tuple[np.ndarray, int, int]:
    """The day the N-th expert is in theatre, one per run (inf: never); the runs where the mix could not be filled
    and those where kit never came."""
    co, params = prepared.cohort, prepared.params
    if co.size == 0:
        return np.full(runs, np.inf), runs, 0
    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS // co.size)
    days: list[np.ndarray] = []
    unfilled = blocked = 0
    done = 0
    while done < runs:
        n = min(chunk, runs - done)
        draws = _draws(rng, n, co.size, len(co.nations), params.withdrawal_probability, len(params.national))
        t = _run(co, prepared.kits, params, prepared.mission, draws)
        days.append(t.completion)
        unfilled += int(t.unfilled.sum())
        blocked += int(np.sum(~t.unfilled & ~np.isfinite(t.completion)))
        done += n
    return np.concatenate(days), unfilled, blocked


def _check_runs(runs: int) -> None:
    if not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"runs must be 1 to {MAX_RUNS}, got {runs}")


def _result(days: np.ndarray, prepared: _Prepared, seed: int, confidence: float = 0.95,
            unfilled: int = 0, blocked: int = 0) -> SimulationResult:
    runs = days.size
    deadline = prepared.mission.deadline_days
    hits = int(np.sum(days <= deadline + _EPS))
    interval = stats.binomtest(hits, runs).proportion_ci(confidence_level=confidence, method="wilson")
    levels = (5, 25, 50, 75, 95)
    values = np.percentile(days, levels, method="inverted_cdf")
    finite = days[np.isfinite(days)]
    top = int(min(3650, max(deadline, math.ceil(float(np.percentile(finite, 95))) if finite.size else deadline)))
    ordered = np.sort(days)
    cdf = tuple((d, float(np.searchsorted(ordered, d + _EPS, side="right") / runs)) for d in range(top + 1))
    return SimulationResult(runs, seed, deadline, hits / runs, float(interval.low), float(interval.high), confidence,
                            {lv: float(v) for lv, v in zip(levels, values, strict=True)}, unfilled, blocked, cdf,
                            tuple(prepared.params.assumed()))


def _simulation(prepared: _Prepared, runs: int, seed: int) -> SimulationResult:
    days, unfilled, blocked = _simulate(prepared, runs, seed)
    return _result(days, prepared, seed, unfilled=unfilled, blocked=blocked)


# ------------------------------------------------------------------------------------------------------ levers


def _with_cohort(prepared: _Prepared, **changes: Any) -> _Prepared:  # noqa: ANN401
    return replace(prepared, cohort=replace(prepared.cohort, **changes))


def _pre_cleared(p: _Prepared) -> _Prepared | None:
    return _with_cohort(p, level=np.zeros_like(p.cohort.level)) if p.cohort.level.any() else None


def _medical_first(p: _Prepared) -> _Prepared | None:
    return _with_cohort(p, need_medical=np.zeros_like(p.cohort.need_medical)) if p.cohort.need_medical.any() else None


def _pdt_first(p: _Prepared) -> _Prepared | None:
    return _with_cohort(p, need_pdt=np.zeros_like(p.cohort.need_pdt)) if p.cohort.need_pdt.any() else None


def _heat_first(p: _Prepared) -> _Prepared | None:
    return _with_cohort(p, need_heat=np.zeros_like(p.cohort.need_heat)) if p.cohort.need_heat.any() else None


def _training_first(p: _Prepared) -> _Prepared | None:
    co = p.cohort
    if not (co.need_pdt.any() and co.need_heat.any()):
        return None
    return _with_cohort(p, need_pdt=np.zeros_like(co.need_pdt), need_heat=np.zeros_like(co.need_heat))


def _calendars(params: DeploymentParameters, course: str,
               change: Callable[[Sessions], Sessions]) -> DeploymentParameters:
    """``params`` with ``change`` applied to every calendar of ``course`` ("pdt" or "heat"): the EU one and every
    national one."""
    national = tuple(n if (c := n.course(course)) is None else
                     replace(n, pdt=change(c)) if course == "pdt" else replace(n, heat=change(c))
                     for n in params.national)
    if course == "pdt":
        return replace(params, national=national, pdt=change(params.pdt))
    return replace(params, national=national, heat=change(params.heat))


def _more_seats(course: str) -> Callable[[_Prepared], _Prepared | None]:
    def lever(p: _Prepared) -> _Prepared | None:
        needs = p.cohort.need_pdt if course == "pdt" else p.cohort.need_heat
        if not needs.any():
            return None
        return replace(p, params=_calendars(p.params, course, lambda c: replace(c, seats=2 * c.seats)))
    return lever


def _weekly(p: _Prepared) -> _Prepared | None:
    if not (p.cohort.need_pdt.any() or p.cohort.need_heat.any()):
        return None
    params = p.params
    for course in ("pdt", "heat"):
        params = _calendars(params, course, lambda c: replace(c, every_days=min(7.0, c.every_days)))
    return replace(p, params=params)


def _faster_selection(p: _Prepared) -> _Prepared | None:
    return replace(p, params=replace(p.params, selection_per_day=2 * p.params.selection_per_day))


def _prepositioned(p: _Prepared) -> _Prepared | None:
    if not p.kits or not p.cohort.kit.any():
        return None
    enough = float(p.cohort.size)
    kits = [replace(k, covered=np.array([max(enough, float(k.covered[-1]))]), leads=np.array([float(k.leads.min())]),
                    holders=(f"{k.holders[0]} (pre-positioned)",)) for k in p.kits]
    return replace(p, kits=kits)


def _call_early(p: _Prepared) -> _Prepared | None:
    lead = p.params.call_before_decision_days
    if p.mission.call_lead_days >= lead:
        return None
    return replace(p, mission=replace(p.mission, call_lead_days=lead))


def _contingents(p: _Prepared) -> _Prepared | None:
    """Individual primaries grouped by nation into formed contingents (cases) of up to ``contingent_size``."""
    co, size = p.cohort, p.params.contingent_size
    individual = [k for k, u in enumerate(co.case_unit) if not u]
    primaries = [k for k in individual if co.primary[co.case_start[k]]]
    if size < 2 or len(primaries) < 2:
        return None
    by_nation: dict[int, list[int]] = defaultdict(list)
    for k in primaries:
        by_nation[int(co.nation[co.case_start[k]])].append(int(co.case_start[k]))
    groups: list[list[int]] = [list(np.flatnonzero(co.case == k)) for k, u in enumerate(co.case_unit) if u]
    names = [u for u in co.case_unit if u]
    for nation, members in sorted(by_nation.items()):
        for n in range(0, len(members), size):
            groups.append(members[n:n + size])
            names.append(f"{co.nations[nation]}-contingent-{n // size + 1}")
    reserves = [int(co.case_start[k]) for k in individual if not co.primary[co.case_start[k]]]
    for i in reserves:
        groups.append([i])
        names.append("")
    index = np.array([i for g in groups for i in g], dtype=int)
    sizes = [len(g) for g in groups]
    own = p.params.formed_units_bring_equipment
    return _with_cohort(
        p, experts=[co.experts[i] for i in index], ident=co.ident[index], profile=co.profile[index],
        nation=co.nation[index], case=np.repeat(np.arange(len(groups)), sizes),
        case_start=np.cumsum([0, *sizes[:-1]]).astype(int), case_unit=names, primary=co.primary[index],
        level=co.level[index], need_medical=co.need_medical[index], need_pdt=co.need_pdt[index],
        need_heat=co.need_heat[index], pdt_provider=co.pdt_provider[index], heat_provider=co.heat_provider[index],
        notice=co.notice[index], available=co.available[index],
        kit=np.array([not (own and names[k]) for k, g in enumerate(groups) for _ in g], dtype=bool))


#: lever code -> (description, transformation of the prepared problem; None when it changes nothing)
LEVERS: dict[str, tuple[str, Callable[[_Prepared], _Prepared | None]]] = {
    "pre-cleared-roster": ("every selected expert already holds the post's EUCI clearance", _pre_cleared),
    "medical-before-call": ("medical clearance done while on the roster", _medical_first),
    "pdt-before-call": ("pre-deployment training done while on the roster", _pdt_first),
    "heat-before-call": ("HEAT done while on the roster", _heat_first),
    "training-before-call": ("PDT and HEAT both done while on the roster", _training_first),
    "double-pdt-seats": ("twice the seats in each PDT session (EU and national calendars)", _more_seats("pdt")),
    "double-heat-seats": ("twice the seats in each HEAT session (EU and national calendars)", _more_seats("heat")),
    "weekly-training": ("PDT and HEAT sessions every week on every calendar (EU and national)", _weekly),
    "double-selection-capacity": ("selection panels take up twice the cases a day", _faster_selection),
    "prepositioned-stock": ("kit for every selected expert held at the shortest lead time", _prepositioned),
    "call-before-decision": ("the call for contributions goes out before the decision (as for EUMM Georgia)",
                             _call_early),
    "national-contingents": ("individuals deploy in national formed contingents (one selection case; bring their "
                             "own kit when formed units do)", _contingents),
}


def _levers(prepared: _Prepared, base_plan: float, base: SimulationResult, runs: int,
            seed: int) -> list[LeverGain]:
    out = []
    for code, (description, transform) in LEVERS.items():
        changed = transform(prepared) if prepared.cohort.size else None  # no eligible expert: nothing to shorten
        if changed is None:
            out.append(LeverGain(code, description, False, base_plan, base.median_day, base.probability, 0.0, 0.0,
                                 0.0))
            continue
        plan_day = float(_run(changed.cohort, changed.kits, changed.params, changed.mission,
                              _median_draws(changed.cohort.size, len(changed.cohort.nations),
                                            len(changed.params.national))).completion[0])
        result = _simulation(changed, runs, seed)
        out.append(LeverGain(code, description, True, plan_day, result.median_day, result.probability,
                             _gain(base_plan, plan_day), _gain(base.median_day, result.median_day),
                             result.probability - base.probability))
    return sorted(out, key=lambda g: (-g.gain_probability, -_finite(g.gain_median_days),
                                      -_finite(g.gain_plan_days), g.lever))


def _gain(before: float, after: float) -> float:
    if math.isinf(before) and math.isinf(after):
        return 0.0
    return before - after


def _finite(x: float) -> float:
    return x if math.isfinite(x) else math.copysign(1e12, x)


# ------------------------------------------------------------------------------------------------------- API


def plan_deployment(mission: Mission, roster: Sequence[Expert], stocks: Sequence[StockItem] = (),
                    params: DeploymentParameters | None = None) -> DeploymentPlan:
    """The deterministic plan (every stage at its median, nobody withdraws): the selection, the day-by-day counts,
    the critical path and the bottlenecks. ``stocks`` empty: equipment is not checked (the plan says so). Raises
    ``ValueError`` for a roster over :data:`MAX_ROSTER` or with duplicate keys or unknown clearances."""
    return _plan(_prepare(mission, roster, stocks, params))[0]


def simulate_deployment(mission: Mission, roster: Sequence[Expert], stocks: Sequence[StockItem] = (),
                        params: DeploymentParameters | None = None, runs: int = 10_000,
                        seed: int = 0) -> SimulationResult:
    """P(the N-th expert is in theatre by the deadline) over ``runs`` seeded Monte Carlo runs (at most
    :data:`MAX_RUNS`), with its Wilson 95 % interval and the percentiles of that day."""
    _check_runs(runs)
    return _simulation(_prepare(mission, roster, stocks, params), runs, seed)


def shorten(mission: Mission, roster: Sequence[Expert], stocks: Sequence[StockItem] = (),
            params: DeploymentParameters | None = None, runs: int = 2_000, seed: int = 0) -> list[LeverGain]:
    """Every lever of :data:`LEVERS` applied alone to the same selection, with the same random draws: the days it
    saves (plan and simulated median) and the probability it adds; best first."""
    _check_runs(runs)
    prepared = _prepare(mission, roster, stocks, params)
    plan, _ = _plan(prepared)
    return _levers(prepared, plan.completion_day, _simulation(prepared, runs, seed), runs, seed)


def assess_deployment(mission: Mission, roster: Sequence[Expert], stocks: Sequence[StockItem] = (),
                      params: DeploymentParameters | None = None, runs: int = 10_000, seed: int = 0,
                      levers: bool = True, lever_runs: int = 2_000) -> DeploymentAssessment:
    """The plan, the simulation and (``levers``) what would shorten it, with the parameters' provenance."""
    _check_runs(runs)
    _check_runs(lever_runs)
    prepared = _prepare(mission, roster, stocks, params)
    plan, _ = _plan(prepared)
    simulation = _simulation(prepared, runs, seed)
    gains: list[LeverGain] = []
    if levers:
        base = simulation if lever_runs == runs else _simulation(prepared, lever_runs, seed)
        gains = _levers(prepared, plan.completion_day, base, lever_runs, seed)
    return DeploymentAssessment(plan, simulation, tuple(gains), tuple(prepared.params.assumed()),
                                prepared.params.sourced(), prepared.illustrative)


def individual_only(roster: Iterable[Expert]) -> list[Expert]:
    """The same roster with every formed unit dissolved into individual secondments (the counterfactual)."""
    return [replace(e, unit="") for e in roster]
