"""Forces and people on the platform (issue 28), one service for the command line, the API, the web pages and the
report.

**The register.** Member states contribute their offers (force elements, civilian experts, rotation pools, stocks) as
platform documents of format ``forces`` (the Kompas forces JSON; CSV is converted on the way in, rejected rows named
precisely), each under the contributor's marking, so the storage layer applies need-to-know once for every answer
here. An organisation files rows of its own state only (an EU body's, of country ``EU``, for any). A document belongs
to an *edition* ("2025", "2026-H2"): the register of an edition, as one viewer sees it, takes for each marking (which
names the filing organisation), nation and section (elements, experts, pools, stocks) the newest document of that
edition the viewer may see that holds rows for it: a resubmission under the same marking supersedes, a document
under another marking (a restricted add-on) stands beside it; earlier editions stay for comparison. Nothing a viewer
may not see enters anything computed for them: every answer here is computed from :func:`view`, which holds only
visible documents, and carries the combined marking of the documents whose records it used.

**The illustrative example set** (``kompas/data/forces/example``, public facts split into invented modules, every row
labelled) stands in when asked for (``example=True``): no open data exists on national offers, so a fresh clone runs
every command on it, and every answer built from it says ``illustrative``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from kompas.core.markings import Marking, Viewer, combine, covers
from kompas.core.store import Account, Store
from kompas.core.store.base import Submitted
from kompas.forces import generation, register
from kompas.forces.model import SECTIONS, ForceElement, Record, Register, Scenario
from kompas.rejections import Rejection

PUBLIC_MARKING = Marking.build("UNCLASSIFIED", "CLEAR")  #: the example set's marking
FORMAT = "forces"  #: the document format of contributions
EXAMPLE = "example"  #: the name answers give the illustrative example set
DEFAULT_CASE = "rdc-stabilisation-and-civilian-mission"  #: the planning case of the daily cycle and the report
API_TIME_LIMIT_S = 10.0  #: the solver's limit for one request (the best force found by then is returned)
_lock = threading.Lock()
_PARSED: OrderedDict[str, Register] = OrderedDict()  #: contributions parsed, by document id
_PARSED_MAX = 256
_PARSED_CHARS = 100_000_000  #: characters of contribution text whose parsed registers the cache keeps (memory bound)
_SIZES: dict[str, int] = {}


class ForcesError(ValueError):
    """A request that cannot be answered (no register, unknown scenario or edition); the message says why."""


@dataclass
class RegisterView:
    """One edition of the register as one viewer sees it, with the markings of the documents it holds."""

    register: Register
    markings: dict[str, Marking] = field(default_factory=dict)  #: document id -> marking
    documents: list[str] = field(default_factory=list)  #: the documents used, oldest first
    example: bool = False

    def marking_of(self, records: Iterable[Record] | None = None) -> Marking:
        """The combined marking of the documents behind ``records`` (all of the view's when None)."""
        docs = self.documents if records is None else sorted({r.doc for r in records if r.doc})
        return combine([PUBLIC_MARKING, *(self.markings[d] for d in docs if d in self.markings)])

    @property
    def edition(self) -> str:
        return self.register.edition

    def head(self) -> dict[str, Any]:
        """What every answer from the view carries: edition, the marking of every document of the edition it uses
        (which edition is read, and every count, depend on all of them), those documents, illustrative."""
        return {"edition": self.edition, "marking": self.marking_of().as_dict(),
                "documents": [d for d in self.documents if d != EXAMPLE], "example": self.example,
                "illustrative": self.example or self.register.illustrative,
                "illustrative_data": self.example or self.register.illustrative}  # the register itself


# -- contributing ----------------------------------------------------------------------------------------------------

def check_contribution(text: str, source: str, edition: str | None = None,
                       filer: str | None = None) -> tuple[str, list[Rejection]]:
    """Parse a contribution (JSON or CSV) and return it as the canonical JSON with its rejected rows; ForcesError
    when nothing in it can be used or it states no edition. ``filer``: the filing organisation's country (a row of
    another nation is rejected; an EU body's, ``EU``, may file for any)."""
    try:
        parsed, rejections = register.parse(text, source, edition=edition, filer=filer)
    except ValueError as exc:
        raise ForcesError(str(exc)) from None
    if not any(True for _ in parsed.records()):
        first = f" ({rejections[0]})" if rejections else ""
        raise ForcesError(f"{source}: no row could be read{first}")
    if not parsed.edition:
        raise ForcesError(f"{source}: the contribution states no edition (give one, e.g. {date.today().year})")
    return register.to_json(parsed), rejections


def contribute(store: Store, account: Account, text: str, marking: Marking, source: str = "api",
               edition: str | None = None, title: str | None = None) -> Submitted:
    """Store a contribution under ``marking``: the rows that parse, as canonical JSON; the answer names every rejected
    row (source, line or item, field, reason)."""
    canonical, rejections = check_contribution(text, source, edition, account.viewer.country)
    parsed, _ = register.parse(canonical, source)
    nations = ", ".join(parsed.nations())
    counts = ", ".join(f"{len(getattr(parsed, s))} {s}" for s in SECTIONS if getattr(parsed, s))
    name = title or f"Forces register {parsed.edition}: {nations} ({counts})"
    return store.contribute_document(account, canonical, FORMAT, name, marking, source, rejections=rejections)


# -- the register as a viewer sees it -------------------------------------------------------------------------------

def _parsed(store: Store, viewer: Viewer | None, ids: Sequence[str]) -> dict[str, Register]:
    with _lock:
        out = {i: _PARSED[i] for i in ids if i in _PARSED}
    missing = set(ids) - set(out)
    if missing:
        sizes: dict[str, int] = {}
        for doc_id, text, _ in store.documents_of_format(viewer, FORMAT, ids=sorted(missing)):
            reg, _ = register.parse(text, f"document {doc_id}", platform_fields=False)
            out[doc_id] = reg
            sizes[doc_id] = len(text)
        with _lock:
            for doc_id, size in sizes.items():
                _PARSED[doc_id] = out[doc_id]
                _SIZES[doc_id] = size
            while _PARSED and (len(_PARSED) > _PARSED_MAX or sum(_SIZES.values()) > _PARSED_CHARS):
                gone, _ = _PARSED.popitem(last=False)
                _SIZES.pop(gone, None)
    return out


def _stamped(reg: Register, doc: str, key: str) -> Register:
    return Register.of((replace(r, doc=doc, marking_key=key) for r in reg.records()), reg.edition)


@lru_cache(maxsize=4)
def _example_register(edition: str) -> Register:
    return _stamped(register.load_example(edition), EXAMPLE, PUBLIC_MARKING.key())


def example_editions() -> tuple[str, ...]:
    """The editions of the illustrative example set."""
    return tuple(register.example_editions())


def _visible(store: Store, viewer: Viewer | None, within: Marking | None) -> list[tuple[str, Marking, Register]]:
    heads = store.document_markings_of_format(viewer, FORMAT)
    if within is not None:
        heads = [h for h in heads if covers(within, h[1])]
    parsed = _parsed(store, viewer, [doc_id for doc_id, _ in heads])
    return [(doc_id, m, parsed[doc_id]) for doc_id, m in heads if doc_id in parsed]


def editions(store: Store | None, viewer: Viewer | None, example: bool = False) -> list[dict[str, Any]]:
    """The editions the viewer may see, oldest first, with their documents' count, nations and record counts, each
    marked with the documents it counts."""
    if example or store is None:
        out = []
        for ed in example_editions():
            reg = _example_register(ed)
            out.append({"edition": ed, "documents": 0, "nations": reg.nations(),
                        **{s: len(getattr(reg, s)) for s in SECTIONS}, "example": True,
                        "marking": PUBLIC_MARKING.as_dict(), "banner": PUBLIC_MARKING.banner()})
        return out
    by_edition: dict[str, list[Register]] = defaultdict(list)
    docs: dict[str, int] = defaultdict(int)
    for _, _, reg in _visible(store, viewer, None):
        by_edition[reg.edition].append(reg)
        docs[reg.edition] += 1
    result = []
    for ed in sorted(by_edition):
        v = view(store, viewer, ed)
        result.append({"edition": ed, "documents": docs[ed], "nations": v.register.nations(),
                       **{s: len(getattr(v.register, s)) for s in SECTIONS}, "example": False,
                       "marking": v.marking_of().as_dict(), "banner": v.marking_of().banner()})
    return result


def edition_start(edition: str) -> date:
    """The first day an edition covers: 2026 -> 1 January, 2026-H2 -> 1 July, 2026-Q3 -> 1 July, 2026-05 -> 1 May."""
    year, _, part = edition.partition("-")
    month = (1 if not part else 7 if part == "H2" else 1 if part == "H1"
             else 3 * int(part[1]) - 2 if part.startswith("Q") else int(part))
    return date(int(year), month, 1)


def current_edition(editions: Sequence[str], today: date | None = None) -> str:
    """The edition a reader gets when they name none: the newest that has begun (an edition filed ahead, such as
    next year's by one early nation, is not yet the register), else the oldest."""
    begun = [e for e in editions if edition_start(e) <= (today or date.today())]
    return max(begun, key=edition_start) if begun else min(editions, key=edition_start)


def view(store: Store | None, viewer: Viewer | None, edition: str | None = None, example: bool = False,
         within: Marking | None = None) -> RegisterView:
    """The register of ``edition`` (:func:`current_edition` of the visible when None) as ``viewer`` sees it; the
    illustrative example set when ``example``. With ``within``, only documents whose markings ``within`` covers (an
    answer stored under ``within`` then reveals nothing more)."""
    if example or store is None:
        shipped = example_editions()
        chosen = edition or (shipped[-1] if shipped else "")
        if chosen not in shipped:
            raise ForcesError(f"the example set has no edition {chosen!r} (one of {', '.join(shipped)})")
        return RegisterView(_example_register(chosen), {EXAMPLE: PUBLIC_MARKING}, [EXAMPLE], example=True)
    visible = _visible(store, viewer, within)
    eds = sorted({reg.edition for _, _, reg in visible})
    if not eds:
        raise ForcesError("no register contribution is visible to you: contribute one (kompas forces contribute) "
                          "or use the illustrative example set (--example)")
    chosen = edition or current_edition(eds)
    if chosen not in eds:
        raise ForcesError(f"no edition {chosen!r} is visible to you (visible: {', '.join(eds)})")
    # (marking, nation, section) -> the newest document holding rows for it. The marking names the filing
    # organisations (its originators) and the releasability: a resubmission under the same marking replaces, a
    # document under another marking (a restricted add-on, another organisation's) stands beside it
    latest: dict[tuple[str, str, str], str] = {}
    for doc_id, m, reg in visible:  # oldest first
        if reg.edition != chosen:
            continue
        for section in SECTIONS:
            for nation in {r.nation for r in getattr(reg, section)}:
                latest[m.key(), nation, section] = doc_id
    parsed = {doc_id: (m, reg) for doc_id, m, reg in visible}
    rows: dict[tuple[str, str], Record] = {}  # (section, NATION/ID) -> the newest document's row (a re-marked offer)
    for doc_id, m, reg in visible:  # oldest first: a newer row of the same key replaces an older one
        wins = {(n, s) for (key, n, s), d in latest.items() if d == doc_id and key == m.key()}
        for section in SECTIONS:
            for r in getattr(reg, section):
                if (r.nation, section) in wins:
                    rows.pop((section, r.key), None)
                    rows[section, r.key] = replace(r, doc=doc_id, marking_key=m.key())
    out = Register.of(rows.values(), chosen)
    used = [d for d, _, _ in visible if d in {r.doc for r in rows.values()}]
    return RegisterView(out, {d: parsed[d][0] for d in used}, used)


# -- the Rapid Deployment Capacity overview -------------------------------------------------------------------------

def overview(v: RegisterView) -> dict[str, Any]:
    """"An integral and complete overview of all available elements" (Strategic Compass): elements by component,
    capability and nation, troops and readiness bands, stocks and pools; computed from the view only."""
    reg = v.register
    by_component: dict[str, dict[str, int]] = defaultdict(lambda: {"elements": 0, "troops": 0})
    by_capability: dict[str, dict[str, Any]] = defaultdict(lambda: {"quantity": 0, "elements": 0, "nations": set(),
                                                                    "fastest_days": None})
    bands = {"<=5": 0, "6-10": 0, "11-30": 0, "31-60": 0, ">60": 0}
    for e in reg.elements:
        by_component[e.component]["elements"] += 1
        by_component[e.component]["troops"] += e.strength
        d = e.readiness_days
        bands["<=5" if d <= 5 else "6-10" if d <= 10 else "11-30" if d <= 30 else "31-60" if d <= 60 else ">60"] += 1
        for cap, qty in e.capabilities.items():
            c = by_capability[cap]
            c["quantity"] += qty
            c["elements"] += 1
            c["nations"].add(e.nation)
            c["fastest_days"] = d if c["fastest_days"] is None else min(c["fastest_days"], d)
    nations: dict[str, dict[str, int]] = defaultdict(lambda: {"elements": 0, "troops": 0, "experts": 0})
    for e in reg.elements:
        nations[e.nation]["elements"] += 1
        nations[e.nation]["troops"] += e.strength
    for x in reg.experts:
        nations[x.nation]["experts"] += 1
    return {**v.head(), "elements": len(reg.elements), "troops": sum(e.strength for e in reg.elements),
            "experts": len(reg.experts), "pools": len(reg.pools), "stocks": len(reg.stocks),
            "by_component": dict(sorted(by_component.items())),
            "by_capability": {k: {**c, "nations": sorted(c["nations"])} for k, c in sorted(by_capability.items())},
            "readiness_bands": bands, "by_nation": dict(sorted(nations.items()))}


def elements(v: RegisterView, capability: str | None = None, nation: str | None = None,
             max_readiness_days: int | None = None, limit: int = 1000) -> dict[str, Any]:
    """The visible force elements, filtered; the answer's marking is that of the elements listed."""
    rows = [e for e in v.register.elements
            if (capability is None or capability in e.capabilities) and (nation is None or e.nation == nation)
            and (max_readiness_days is None or e.readiness_days <= max_readiness_days)]
    rows.sort(key=lambda e: (e.readiness_days, e.key))
    shown = rows[:limit]
    # marked with every document of the edition: the total counts rows beyond those shown, and which edition is
    # read (the newest begun) depends on every document of it
    return {**v.head(), "total": len(rows), "elements": [register.record_dict(e) for e in shown]}


# -- force generation -----------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Scenario, ...], tuple[Any, ...]]:
    """The shipped scenarios and planning cases, read once (frozen dataclasses: safe to share)."""
    from kompas.forces import planning

    found, _ = planning.load_scenarios()
    found_cases, _ = planning.load_cases(scenarios=found)
    return tuple(found), tuple(found_cases)


def scenarios() -> list[Scenario]:
    """The shipped scenarios (ILLUSTRATIVE where their data say so)."""
    return list(_shipped()[0])


def scenario_named(name: str) -> Scenario:
    for s in scenarios():
        if s.name == name:
            return s
    raise ForcesError(f"no scenario {name!r} (one of {', '.join(s.name for s in scenarios())})")


def generate(v: RegisterView, scenario: Scenario, weights: generation.Weights | None = None,
             time_limit_s: float = API_TIME_LIMIT_S, start: date | None = None) -> dict[str, Any]:
    """The best force for ``scenario`` from the view's elements (:mod:`kompas.forces.generation`). The answer is
    marked with every document of the edition read: which elements exist shapes which were chosen and what is
    missing, and which edition is read depends on all of them."""
    from kompas.forces import planning

    if planning.civilian(scenario):
        raise ForcesError(f"{scenario.name} is a civilian scenario (experts by profile, not force elements): "
                          "plan it with kompas forces deploy (POST /api/v1/forces/deploy)")
    if start is not None:
        scenario = replace(scenario, start=start)
    try:
        g = generation.generate(v.register.elements, scenario, weights, time_limit_s=time_limit_s)
    except generation.GenerationError as exc:
        raise ForcesError(str(exc)) from None
    out = g.as_dict()
    marks = {e.key: v.markings.get(e.doc, PUBLIC_MARKING).banner() for e in g.chosen}
    for row in out["chosen"]:
        row["marking"] = marks[row["element"]]
    out.update(v.head())
    out["illustrative"] = out["illustrative"] or g.illustrative
    out["notes"] = [] if scenario.start else [
        "availability windows not checked: no start day given (the elements' available_from/to apply with one)"]
    return out


def considered(v: RegisterView) -> list[ForceElement]:
    return list(v.register.elements)


def scenario_dict(s: Scenario) -> dict[str, Any]:
    """The JSON form of a scenario."""
    return {"name": s.name, "title": s.title, "response_days": s.response_days, "duration_days": s.duration_days,
            "distance_km": s.distance_km, "environment": s.environment, "tasks": list(s.tasks),
            "concurrency": s.concurrency, "max_troops": s.max_troops,
            "requirements": [{"capability": r.capability, "quantity": r.quantity, "task": r.task,
                              "readiness_days": r.readiness_days} for r in s.requirements],
            "illustrative": s.illustrative, "source_url": s.source_url, "sources": list(s.sources),
            "assumed": list(s.assumed), "notes": s.notes}


def scenario_list() -> list[dict[str, Any]]:
    return [scenario_dict(s) for s in scenarios()]


MAX_SCENARIO_BYTES = 200_000


def scenario_from_text(text: str, source: str) -> Scenario:
    """One scenario from YAML or JSON text (the shipped scenarios' format); ForcesError naming every problem."""
    import yaml

    from kompas.texts import NoAliases

    if len(text.encode()) > MAX_SCENARIO_BYTES:
        raise ForcesError(f"{source}: a scenario is at most {MAX_SCENARIO_BYTES} bytes")
    try:
        data = yaml.load(text, Loader=NoAliases)  # noqa: S506 (NoAliases is a SafeLoader)
    except yaml.YAMLError as exc:
        raise ForcesError(f"{source}: not YAML or JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ForcesError(f"{source}: a scenario is a mapping (name, response_days, duration_days, requirements ...)")
    return scenario_from_data(data, source)


def scenario_from_argument(argument: str) -> Scenario:
    """A shipped scenario's name, or a file holding one."""
    from pathlib import Path

    names = {s.name for s in scenarios()}
    if argument in names:
        return scenario_named(argument)
    path = Path(argument)
    if path.is_file():
        from kompas.files import read_text

        return scenario_from_text(read_text(path), str(path))
    raise ForcesError(f"{argument!r} is neither a shipped scenario ({', '.join(sorted(names))}) nor a file")


def scenario_from_data(data: dict[str, Any], source: str) -> Scenario:
    """One scenario from its JSON form (the API's body); ForcesError naming every problem."""
    from kompas.forces import planning

    found, rejections = planning.scenario_from_dict(data, source)
    if found is None or rejections:
        raise ForcesError("the scenario cannot be used as given: " + "; ".join(str(r) for r in rejections[:20]))
    return found


# -- capability planning --------------------------------------------------------------------------------------------

def cases() -> list[Any]:
    """The shipped planning cases (scenarios run at the same time; ILLUSTRATIVE combinations)."""
    return list(_shipped()[1])


def case_named(name: str) -> Any:  # noqa: ANN401 (a PlanningCase)
    """A shipped case, or a case of one shipped scenario (at its own concurrency)."""
    from kompas.forces import planning

    for c in cases():
        if c.name == name:
            return c
    if name in {s.name for s in scenarios()}:
        return planning.PlanningCase.of([scenario_named(name)])
    raise ForcesError(f"no planning case or scenario {name!r} (cases: {', '.join(c.name for c in cases())}; "
                      f"or a scenario of kompas forces scenarios)")


def case_list() -> list[dict[str, Any]]:
    return [c.as_dict() for c in cases()]


def views(store: Store | None, viewer: Viewer | None, eds: Sequence[str] | None = None, example: bool = False,
          within: Marking | None = None) -> list[RegisterView]:
    """One view per edition (``eds``, default every edition the viewer may see), oldest first."""
    if example or store is None:
        chosen = list(eds or example_editions())
    else:
        visible = sorted({reg.edition for _, _, reg in _visible(store, viewer, within)})
        chosen = list(eds or visible)
    return [view(store, viewer, ed, example=example, within=within) for ed in sorted(set(chosen))]


def combined(vs: Sequence[RegisterView]) -> dict[str, Any]:
    """The head of an answer built from several editions: the combined marking of every document used."""
    marking = combine([v.marking_of() for v in vs]) if vs else PUBLIC_MARKING
    docs = sorted({d for v in vs for d in v.documents if d != EXAMPLE})
    return {"editions": [v.edition for v in vs], "marking": marking.as_dict(), "banner": marking.banner(),
            "documents": docs, "example": any(v.example for v in vs),
            "illustrative": any(v.example or v.register.illustrative for v in vs),
            "illustrative_data": any(v.example or v.register.illustrative for v in vs)}


def gaps(v: RegisterView, case_name: str) -> dict[str, Any]:
    """The case's derived requirements against one edition: per capability required, offered, ready, shortfalls."""
    from kompas.forces import planning

    case = case_named(case_name)
    found = planning.gaps(case, v.register)
    return {**v.head(), "banner": v.marking_of().banner(), "case": case.as_dict(),
            "requirements": [r.as_dict() for r in planning.derive(case)], "gaps": [g.as_dict() for g in found],
            "assumptions": case.assumptions(), "illustrative": v.example or v.register.illustrative
            or case.illustrative}


def trends(vs: Sequence[RegisterView], case_name: str | None = None) -> dict[str, Any]:
    """Offered quantity and readiness per capability across editions, gaps closed and opened, per-nation change."""
    from kompas.forces import planning

    if len(vs) < 2:
        raise ForcesError("trends need at least two editions (visible: "
                          + (", ".join(v.edition for v in vs) or "none") + ")")
    case = case_named(case_name) if case_name else None
    found = planning.trends([v.register for v in vs], case)
    return {**combined(vs), **found.as_dict(), "case": case.as_dict() if case else None}


def review(vs: Sequence[RegisterView], case_name: str, title: str = "") -> dict[str, Any]:
    """The annual capability review of a case (headline figures, gaps, trends, assumptions, sources): what the
    report for the defence ministers' meeting shows, marked with every document used."""
    from kompas.forces import planning

    if not vs:
        raise ForcesError("no edition to review")
    report = planning.annual_report(case_named(case_name), [v.register for v in vs], title)
    out = report.as_dict()
    out.pop("marking_keys", None)
    return {**combined(vs), **out}


# -- rotations ------------------------------------------------------------------------------------------------------

MAX_API_RUNS = 20_000  #: Monte Carlo runs of one deployment request through the API


def rotation_mission(scenario: Scenario, start: date, months: int | None = None,
                     decision: date | None = None) -> Any:  # noqa: ANN401 (a rotation.Mission)
    """A standing mission from a scenario: one position per requirement (its quantity of units every month), for
    ``months`` (default: the scenario's duration in whole months, at least one)."""
    import math

    from kompas.forces import rotation

    length = months or max(1, math.ceil(scenario.duration_days / (365.25 / 12)))
    positions = tuple(rotation.Position(f"{r.capability}{'-' + r.task if r.task else ''}-{k}", r.capability,
                                        units=r.quantity) for k, r in enumerate(scenario.requirements))
    return rotation.Mission(scenario.name, start, length, positions, decision)


_MISSION_KEYS = {"name", "start", "months", "decision", "positions"}
_POSITION_KEYS = {"id", "capability", "units", "troops", "needs"}


def rotation_mission_from_data(data: Any, source: str = "mission") -> Any:  # noqa: ANN401 (a rotation.Mission)
    """A mission given whole: ``{name, start, months, decision, positions: [{id, capability, units | troops |
    needs}]}``; ForcesError naming the first problem (unknown keys and capability codes included)."""
    from kompas.forces import rotation

    def bad(where: str, why: str) -> ForcesError:
        return ForcesError(f"{source}: {where}: {why}")

    if not isinstance(data, dict):
        raise bad("mission", "must be an object {name, start, months, decision, positions}")
    for key in data:
        if key not in _MISSION_KEYS:
            raise bad(str(key), f"unknown key (known: {', '.join(sorted(_MISSION_KEYS))})")
    for key in ("start", "months", "positions"):
        if key not in data:
            raise bad(key, "is required")
    positions = data["positions"]
    if not isinstance(positions, list) or not positions:
        raise bad("positions", "must be a non-empty list")
    known = register.capability_codes()
    built = []
    for k, p in enumerate(positions, 1):
        where = f"positions[{k}]"
        if not isinstance(p, dict):
            raise bad(where, "must be an object {id, capability, units | troops | needs}")
        for key in p:
            if key not in _POSITION_KEYS:
                raise bad(f"{where}.{key}", f"unknown key (known: {', '.join(sorted(_POSITION_KEYS))})")
        if str(p.get("capability")) not in known:
            raise bad(f"{where}.capability", f"unknown capability code {p.get('capability')!r} "
                                             "(kompas/data/forces/capabilities.yaml)")
        if not any(p.get(key) for key in ("units", "troops", "needs")):
            raise bad(where, "needs units, troops or needs (per month)")
        try:
            built.append(rotation.Position(str(p.get("id") or f"p{k}"), str(p["capability"]),
                                           int(p.get("units") or 0), int(p.get("troops") or 0),
                                           tuple(int(n) for n in p.get("needs") or ())))
        except (TypeError, ValueError) as exc:
            raise bad(where, str(exc)) from None
    try:
        start = date.fromisoformat(str(data["start"]))
        decision = date.fromisoformat(str(data["decision"])) if data.get("decision") else None
        mission = rotation.Mission(str(data.get("name") or "mission"), start, int(data["months"]), tuple(built),
                                   decision)
    except (TypeError, ValueError) as exc:
        raise bad("mission", str(exc)) from None
    if decision is not None and decision > start:
        raise bad("decision", f"{decision} is after the start {start}: units are asked for before they serve")
    return mission


def rotations(v: RegisterView, mission: Any, time_limit_s: float = API_TIME_LIMIT_S) -> dict[str, Any]:  # noqa: ANN401
    """Rotations for a standing mission from the view's rotation pools (:mod:`kompas.forces.rotation`): the schedule
    of tours, gaps forecast month by month, what each contributor is asked for and when, and the sustainment ratio
    next to the rules of thumb. Marked with every pool considered."""
    from kompas.forces import rotation

    try:
        plan = rotation.plan_rotations(mission, v.register.pools, time_limit_s=time_limit_s)
    except rotation.RotationError as exc:
        raise ForcesError(str(exc)) from None
    return {**plan.as_dict(), **v.head(), "banner": v.marking_of().banner(), "rules": dict(rotation.RULES)}


def sustainment(deployed: int, tour_months: int, dwell_months: int, duration_months: int | None = None,
                overlap: float = 1.0) -> dict[str, Any]:
    """The rules of thumb (no data): the pool that sustains ``deployed`` indefinitely, and the distinct people a
    finite operation deploys, with the rules' texts."""
    from kompas.forces import rotation

    try:
        out: dict[str, Any] = {
            "deployed": deployed, "tour_months": tour_months, "dwell_months": dwell_months, "overlap": overlap,
            "units_per_deployed": rotation.units_per_deployed(tour_months, dwell_months),
            "pool_steady_state": rotation.pool_steady_state(deployed, tour_months, dwell_months, overlap),
            "rules": dict(rotation.RULES), "sources": dict(rotation.SOURCES)}
        if duration_months is not None:
            out["duration_months"] = duration_months
            out["rotations_needed"] = rotation.rotations_needed(deployed, duration_months, tour_months, dwell_months)
    except ValueError as exc:
        raise ForcesError(str(exc)) from None
    return out


# -- a civilian mission: 200 experts in 30 days --------------------------------------------------------------------

def civilian_mission(scenario: Scenario | None = None, decision: date | None = None, deadline_days: int | None = None,
                     call_lead_days: int = 0) -> Any:  # noqa: ANN401 (a deployment.Mission)
    """A civilian mission from a civilian scenario (its requirements are profiles with counts; default the shipped
    ``civilian-200-in-30``): deployed by ``deadline_days`` (default the scenario's response time) after
    ``decision`` (default today)."""
    from kompas.forces import deployment, planning

    s = scenario or scenario_named("civilian-200-in-30")
    if not planning.civilian(s):
        raise ForcesError(f"{s.name} is a military scenario: a civilian deployment needs one of experts by profile "
                          "(e.g. civilian-200-in-30); plan forces with kompas forces generate")
    needs: dict[str, Any] = {}
    for r in s.requirements:
        prior = needs.get(r.capability)
        needs[r.capability] = deployment.ProfileNeed((prior.count if prior else 0) + r.quantity)
    try:
        return deployment.Mission(decision or date.today(), needs, s.response_days if deadline_days is None
                                  else deadline_days, s.environment, call_lead_days, s.name)
    except ValueError as exc:
        raise ForcesError(str(exc)) from None


MAX_API_CELLS = 10_000_000  #: experts simulated x runs (levers included) one deployment request may cost


def deploy(v: RegisterView, mission: Any, runs: int = 10_000, seed: int = 0, levers: bool = True,  # noqa: ANN401
           lever_runs: int = 2_000, max_cells: int | None = None) -> dict[str, Any]:
    """The deployment of a civilian mission from the view's roster and stocks (:mod:`kompas.forces.deployment`):
    the day-by-day plan with its critical path, the probability of meeting the deadline by simulation, and what
    would shorten it. The register's stocks are used when it holds any, else the Strategic Warehouse figures of the
    parameters. Marked with every document of the edition read. ``max_cells``: the most experts x runs (the
    mission's size times the runs, levers included) the request may cost (ForcesError beyond, saying how to fit)."""
    from kompas.forces import deployment

    unknown = sorted(set(mission.needs) - register.profile_codes())
    if unknown:
        raise ForcesError(f"unknown profile(s) {', '.join(unknown)} (kompas/data/forces/profiles.yaml)")
    cost = mission.size * (runs + (len(deployment.LEVERS) * lever_runs if levers else 0))
    if max_cells is not None and cost > max_cells:
        raise ForcesError(f"{mission.size} experts x {runs} runs" + (f" (+ levers {lever_runs} runs each)" if levers
                                                                     else "")
                          + f" = {cost:,} simulated expert-runs: at most {max_cells:,} per request; lower runs or "
                          "turn the levers off")

    stocks: list[Any] = list(v.register.stocks)
    source = "the register's stocks"
    if not stocks:
        stocks = deployment.warehouse_stocks()
        source = "the Strategic Warehouse figures of kompas/data/forces/deployment.yaml (no stock in the register)"
    try:
        roster = [x for x in v.register.experts if x.profile in mission.needs]  # only those who could be chosen
        found = deployment.assess_deployment(mission, roster, stocks, runs=runs, seed=seed, levers=levers,
                                             lever_runs=lever_runs)
    except ValueError as exc:
        raise ForcesError(str(exc)) from None
    return {**found.as_dict(), **v.head(), "banner": v.marking_of().banner(), "stocks_from": source}


def default_decision(v: RegisterView) -> date:
    """The decision day a deployment is planned from when none is given: today, or for the example set 1 March of
    its edition's year (its synthetic roster's availability is stated for that year)."""
    if v.example and v.edition[:4].isdigit():
        return date(int(v.edition[:4]), 3, 1)
    return date.today()
