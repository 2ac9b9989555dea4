"""Critical infrastructure on the platform (issue 24), one service for the command line, the API, the web map and
the report:

- :func:`network_for`: the public network (TeleGeography's cable and exchange maps, PyPSA-Eur's grid: UNCLASSIFIED,
  TLP:CLEAR) merged with the contributed elements the viewer may see (the storage layer applies need-to-know), and
  the combined marking of the contributions used: every answer built on it carries that marking;
- :func:`contribute`: an organisation adds elements (the Kompas CSV/GeoJSON format, :mod:`kompas.infra.contributed`)
  under a marking: pipelines, capacities, private cables, links;
- :func:`assess`, :func:`stress`, :func:`rank`, :func:`vintages`: the engine's metrics, stress tests, ranking and
  vintage comparison on that network; a stress test may be recorded as a ``stress-test`` event in the envelope
  (domain ``infra``), so the response engine proposes options for it;
- :func:`record_incident`: damage to named assets (a cable, a link, a pipeline), stored as an ``incident`` event
  whose payload names the assets and carries the stress result of losing them.

Distances to cables (areas, buffers around an anchor track) rest on drawn, not surveyed, routes: the stress result's
``caveats`` say so and every adapter prints them. Hooks for the later helpers: the web map's layers read
:func:`view` (the network and its marking) and :func:`kompas.infra.contributed.to_geojson`; the report reads
:func:`assess` and :func:`vintages`.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompas.core import audit
from kompas.core.markings import Marking, MarkingError, Viewer, combine
from kompas.core.store import Account, StoreBase, StoreError
from kompas.core.store import infra as stored
from kompas.infra.model import Network, Rejection

if TYPE_CHECKING:
    from kompas.infra.areas import Area
    from kompas.infra.stress import Scenario, Stress

VINTAGE = "2022"  #: the cable-map vintage of the public network
PUBLIC_MARKING = Marking.build("UNCLASSIFIED", "CLEAR")  #: the public data's marking
MAX_CONTRIBUTION_BYTES = 16 * 1024 * 1024  #: largest contribution (file or body)
MAX_ASSETS = 50  #: most assets one incident names
CAUSES = ("anchor-drag", "sabotage", "fishing", "accident", "technical-failure", "natural", "unknown")
CONTRIBUTED_SOURCE = {"key": "contributed", "attribution": "Elements contributed by members and operators, under the "
                                                           "markings the answer carries."}

_reading = threading.Lock()
_prepared_lock = threading.Lock()
_PREPARED: OrderedDict[tuple[str, ...], tuple[Network, Stress]] = OrderedDict()
_PREPARED_MAX = 8  #: networks (public + a set of contributions) kept prepared for stress tests
_RESULTS: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_RESULTS_MAX = 64  #: assessments and rankings kept (a few seconds each for the whole EU; readers share them)


def public() -> Network:
    """The public network (read once per process; concurrent first callers wait for one reading). Parts whose
    files are absent are empty, each with a rejection saying so (:mod:`kompas.infra.load`)."""
    from kompas.infra.load import public_network

    with _reading:
        return public_network(VINTAGE)


def warm() -> None:
    """Read the public network now (a failure is left for the first request to report)."""
    with contextlib.suppress(OSError, ValueError):
        public()


@dataclass(frozen=True)
class View:
    """The network one reader may see: the public network merged with the contributions (``used``: how many
    elements), the combined ``marking`` of the contributions used (UNCLASSIFIED TLP:CLEAR with none), the
    organisations that contributed them, and the network prepared for stress tests (shared by readers who see the
    same contributions)."""

    network: Network
    marking: Marking
    used: int
    contributors: tuple[str, ...]
    prepared: Stress
    key: tuple[str, ...] = ()  #: the vintage and the contributed rows used: equal keys, equal networks

    def sources(self) -> list[dict[str, str]]:
        """The data sets used with their attribution and licence (shown wherever the data is shown)."""
        return [{"key": s.get("key", ""), "attribution": s.get("attribution", "")} for s in self.network.sources]

    def notes(self) -> list[str]:
        """What the answer lacks: the public parts not at hand (``../shared`` absent)."""
        return [str(r) for r in self.network.rejections if r.field == "files"]


def covers(outer: Marking, inner: Marking) -> bool:
    """Whether whoever may see ``outer`` may see ``inner`` too (so combining them restricts nothing more than
    ``outer``): classification and TLP no higher, releasability no narrower, every need-to-know clause of ``inner``
    implied by one of ``outer``'s, caveats among ``outer``'s."""
    if inner.classification > outer.classification or inner.tlp > outer.tlp:
        return False
    if inner.releasable_to is not None and (outer.releasable_to is None
                                            or not outer.releasable_to <= inner.releasable_to):
        return False
    if not all(any(o <= clause for o in outer.clauses) for clause in inner.clauses):
        return False
    return inner.caveats <= outer.caveats


def view(store: StoreBase, viewer: Viewer | None, within: Marking | None = None) -> View:
    """The network ``viewer`` may see (None: the platform itself, every contribution): the public network and the
    contributed elements read in a session serving the viewer, the newest copy of an element winning, merged over
    the public elements of the same ids. With ``within``, only the contributions whose markings ``within`` covers
    (:func:`covers`): an answer stored under ``within`` then reveals nothing more."""
    from kompas.infra.stress import Stress

    rows = stored.element_rows(store, viewer)
    if within is not None:
        rows = [r for r in rows if covers(within, r.marking)]
    base = public()
    key = (VINTAGE, *(r.row_id for r in rows))
    marking = combine([PUBLIC_MARKING, *(r.marking for r in rows)])
    contributors = tuple(sorted({r.org for r in rows}))
    with _prepared_lock:
        found = _PREPARED.get(key)
        if found is not None:
            _PREPARED.move_to_end(key)
    if found is None:
        contributed = Network()
        for row in rows:  # oldest first: the newest copy of an element wins
            contributed.add(row.element)
        if rows:
            contributed.sources.append(CONTRIBUTED_SOURCE | {"path": ", ".join(contributors)})
        network = base.merged(contributed) if rows else base
        found = (network, Stress(network))
        with _prepared_lock:
            _PREPARED[key] = found
            while len(_PREPARED) > _PREPARED_MAX:
                _PREPARED.popitem(last=False)
    return View(found[0], marking, len(rows), contributors, found[1], key)


def network_for(store: StoreBase, viewer: Viewer | None) -> tuple[Network, Marking]:
    """The public network merged with the contributed elements ``viewer`` may see, and the combined marking of the
    contributions used (UNCLASSIFIED TLP:CLEAR, the public data's, when none)."""
    seen = view(store, viewer)
    return seen.network, seen.marking


# --- contributions -------------------------------------------------------------------------------------------------


def contribute(store: StoreBase, account: Account, text: str, source: str, marking: Marking) -> dict[str, Any]:
    """Add ``account``'s organisation's elements (the Kompas CSV or GeoJSON, :mod:`kompas.infra.contributed`) under
    ``marking`` (checked: MarkingError). An element with a public element's id completes and replaces it for those
    who may see the contribution; one sent before under the same marking is replaced. Returns the refs added and
    replaced, every rejected row (source, line or feature, field, reason) and the marking; audited."""
    from kompas.infra.contributed import parse_contribution

    if len(text.encode("utf-8", "surrogatepass")) > MAX_CONTRIBUTION_BYTES:
        raise StoreError(f"{source[:80]}: larger than {MAX_CONTRIBUTION_BYTES} bytes: send it in parts")
    _check_text("source", source)
    store.check_marking(account, marking)
    network, rejected = parse_contribution(text, source, account.org, base=public())
    elements = network.elements()
    done = stored.add_elements(store, account, elements, marking, source)
    audit.append(store.engine, account.name, "infra-contribute", f"infra/elements/{account.org}", "ok",
                 f"{len(done.added)} added, {len(done.replaced)} replaced, {len(rejected)} rejected from "
                 f"{source[:80]} ({marking.banner()})")
    return {"source": source, "added": done.added, "replaced": done.replaced,
            "rejected": [rejection_dict(r) for r in rejected], "marking": marking.as_dict()}


def _check_text(name: str, value: str) -> None:
    """StoreError when a text a user gave cannot be stored or shown (a lone surrogate, a NUL or another control
    character but tab, line feed and carriage return: :func:`kompas.core.limits.text_problem`)."""
    from kompas.core.limits import text_problem

    problem = text_problem(value, True)
    if problem:
        raise StoreError(f"{name}: {problem}")


def rejection_dict(rejection: Rejection) -> dict[str, str]:
    """A rejection as JSON: source, record (``line N``, ``feature N``), field, reason."""
    return {"source": rejection.source, "record": rejection.record, "field": rejection.field,
            "reason": rejection.reason}


def contributed(store: StoreBase, viewer: Viewer | None, kind: str | None = None, org: str | None = None,
                limit: int = 1000) -> dict[str, Any]:
    """The contributed elements ``viewer`` may see (the newest ``limit``), each with its marking, contributor,
    source and time added, and whether it replaces a public element; the combined marking of the page."""
    from kompas.infra.contributed import to_dict

    rows = stored.element_rows(store, viewer, kind, org, limit)
    base = public()
    items = [{"ref": r.element.ref, "element": to_dict(r.element), "contributed_by": r.org, "source": r.source,
              "added_utc": r.added_utc, "replaces_public": base.get(r.element.ref) is not None,
              "marking": r.marking.as_dict()} for r in reversed(rows)]
    marking = combine([PUBLIC_MARKING, *(r.marking for r in rows)])
    return {"items": items, "marking": marking.as_dict()}


# --- metrics, stress tests, ranking, vintages -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Supplier home countries, the EU27 and the like-minded partners, as ISO alpha-2 codes
    (:func:`kompas.infra.load.supplier_homes`, :func:`kompas.infra.load.country_groups`)."""
    from kompas.infra.load import country_groups, supplier_homes

    eu, like_minded = country_groups()
    return {k: v for k, v in supplier_homes().items() if v}, eu, like_minded


def _countries(countries: Sequence[str]) -> tuple[str, ...]:
    from kompas.infra.countries import alpha2

    out = []
    for text in countries:
        code = alpha2(text)
        if not code:
            raise StoreError(f"{text[:40]!r} is not a country (give ISO 3166 alpha-2 codes such as FI)")
        out.append(code)
    return tuple(dict.fromkeys(out))


def _cached(key: tuple[Any, ...], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``compute()``, kept for later calls with the same ``key`` (which holds the view's key: the same network);
    a copy each time, so a caller changing its answer changes no other's."""
    with _prepared_lock:
        found = _RESULTS.get(key)
        if found is not None:
            _RESULTS.move_to_end(key)
    if found is None:
        found = compute()
        with _prepared_lock:
            _RESULTS[key] = found
            while len(_RESULTS) > _RESULTS_MAX:
                _RESULTS.popitem(last=False)
    return copy.deepcopy(found)


def _answer(seen: View, found: dict[str, Any]) -> dict[str, Any]:
    return found | {"marking": seen.marking.as_dict(), "contributions": seen.used,
                    "contributors": list(seen.contributors), "sources": seen.sources(), "notes": seen.notes()}


def assess(store: StoreBase, viewer: Viewer | None, countries: Sequence[str] = (), share: float = 0.5
           ) -> dict[str, Any]:
    """The dependency metrics of ``countries`` (alpha-2 or names; default: every EU member state the network
    reaches) on the network ``viewer`` may see (:mod:`kompas.infra.assess`), with the EU's supplier coverage, the
    combined marking, the sources and their licences."""
    from kompas.infra.assess import assess as run_assess
    from kompas.infra.assess import eu_coverage

    if not 0 < share < 1:
        raise StoreError("share must be between 0 and 1")
    chosen = _countries(countries)
    seen = view(store, viewer)
    home, eu, like_minded = _groups()

    def compute() -> dict[str, Any]:
        found = run_assess(seen.network, chosen, share, home, eu, like_minded, prepared=seen.prepared)
        return {"countries": [c.as_dict() for c in found], "share": share,
                "eu_coverage": eu_coverage(seen.network, eu)}

    return _answer(seen, _cached(("assess", seen.key, chosen, share), compute))


def scenario_of(remove: Sequence[str] = (), suppliers: Sequence[str] = (), owners: Sequence[str] = (),
                area_text: str | None = None, buffer_km: float | None = None, avoid: Sequence[str] = ()) -> Scenario:
    """A stress scenario from what a user gives: names or refs to remove, suppliers, owners, an area as GeoJSON
    text (a polygon, or a line with ``buffer_km``); StoreError naming what is wrong."""
    from kompas.infra.areas import AreaError, parse_area
    from kompas.infra.stress import Scenario

    area: Area | None = None
    if area_text is not None:
        try:
            area = parse_area(area_text, buffer_km, "area")
        except AreaError as error:
            raise StoreError(f"area: {error}") from None
    elif buffer_km is not None:
        raise StoreError("buffer_km needs an area (a line or polygon in GeoJSON)")
    clean = [tuple(t.strip() for t in values if t.strip()) for values in (remove, suppliers, owners, avoid)]
    for name, values in zip(("remove", "suppliers", "owners", "avoid"), clean, strict=True):
        for value in values:
            _check_text(name, value)
    return Scenario(clean[0], clean[1], clean[2], area, tuple(c.upper() for c in clean[3]))


def _focus(seen: View, refs: Sequence[str]) -> tuple[str, ...]:
    """The countries a stress answer's rows start from: the first country of each element named (a cable's first
    landing, a link's first terminal), so ``Estlink 2`` reads FI,EE and ``C-Lion1`` FI,DE as their sources list
    them."""
    out = []
    for ref in refs:
        element = seen.network.get(ref)
        if element is None:
            continue
        countries: Sequence[str] = ()
        if element.kind == "cable":
            landing = next((seen.network.landings.get(i) for i in getattr(element, "landings", ())
                            if i in seen.network.landings), None)
            countries = (landing.country,) if landing is not None else getattr(element, "countries", ())
        elif element.kind == "link":
            countries = getattr(element, "countries", ())
        else:
            countries = (getattr(element, "country", ""),)
        if countries and countries[0]:
            out.append(countries[0])
    return tuple(dict.fromkeys(out))


def _run(seen: View, scenario: Scenario, focus: Sequence[str] = ()) -> dict[str, Any]:
    """The stress result as JSON, the removed links with their ``link_kind`` (the service they carry)."""
    from kompas.infra.stress import StressError

    try:
        why = seen.prepared.resolve(scenario)
        chosen = tuple(focus) or _focus(seen, [r for r, reason in why.items() if reason.startswith("named")])
        result = seen.prepared.run_refs(why, scenario.describe(), area=scenario.area is not None,
                                        avoid=frozenset(scenario.avoid), focus=chosen).as_dict()
    except StressError as error:
        raise StoreError(str(error)) from None
    for item in result["removed"]:
        element = seen.network.get(item["ref"])
        if element is not None and element.kind == "link":
            item["link_kind"] = getattr(element, "link_kind", "")
    return result


def error_of(seen: View, scenario: Scenario) -> str:
    """Why ``scenario`` cannot run on ``seen`` (the engine's message), or "" when it can."""
    try:
        seen.prepared.resolve(scenario)
    except ValueError as error:
        return str(error)
    return ""


def _member_states(result: Mapping[str, Any]) -> list[str]:
    from kompas.response.features import member_state

    return [c for c in result.get("countries") or [] if member_state(c)]


def _digest(value: Any) -> str:  # noqa: ANN401 (JSON)
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:32]


def stress(store: StoreBase, viewer: Viewer | None, scenario: Scenario, record: bool = False,
           focus: Sequence[str] = (), by: str = "") -> dict[str, Any]:
    """What losing everything ``scenario`` removes costs, on the network ``viewer`` may see
    (:mod:`kompas.infra.stress`): rows per country pair and measure before and after, pairs disconnected,
    alternative paths, exchanges cut off, caveats (an area: drawn routes), with the combined marking. With
    ``record`` (a viewer is needed) the result is stored as a ``stress-test`` event under that marking (the same
    scenario on the same data is stored once) and its id returned. ``by`` names the user for the audit log."""
    from kompas.core.envelope import derived_id, from_infra_stress
    from kompas.core.store import events as platform_events
    from kompas.times import now_text_ns

    seen = view(store, viewer)
    result = _run(seen, scenario, _countries(focus) if focus else ())
    answer = _answer(seen, result)
    if record:
        if viewer is None:
            raise StoreError("recording a stress test needs a user (--user): the event is theirs to see")
        states = _member_states(result)
        event_id = derived_id("infra-stress", viewer.org, seen.marking.key(), _digest(result))
        envelope = from_infra_stress(event_id, result, now_text_ns(), states, f"kompas infra stress ({viewer.org})")
        done = platform_events.store(store, [(envelope, seen.marking)], "infra stress")
        if done.rejected:
            raise StoreError(f"the stress test could not be recorded: {done.rejected[0].reason}")
        answer["event_id"] = event_id
        answer["recorded"] = bool(done.ids)
        audit.append(store.engine, by or viewer.org, "infra-stress", f"events/{event_id}", "ok",
                     f"{scenario.describe()[:200]} ({seen.marking.banner()})")
    return answer


def rank(store: StoreBase, viewer: Viewer | None, countries: Sequence[str] = (), area: Area | None = None,
         limit: int = 50) -> dict[str, Any]:
    """The elements of a region (``countries`` and/or an ``area``) ranked by the damage their loss alone causes, on
    the network ``viewer`` may see, with the combined marking."""
    from kompas.infra.cables import ROUTE_CAVEAT
    from kompas.infra.stress import rank as run_rank

    chosen = _countries(countries)
    seen = view(store, viewer)
    def compute() -> dict[str, Any]:
        return {"ranking": run_rank(seen.network, area, chosen, max(1, min(limit, 500)), prepared=seen.prepared)}

    found = compute() if area is not None else _cached(("rank", seen.key, chosen, limit), compute)
    return _answer(seen, {"countries": list(chosen), "area": area.description if area is not None else None,
                          "ranking": found["ranking"], "caveats": [ROUTE_CAVEAT] if area is not None else []})


@lru_cache(maxsize=32)
def _vintages(countries: tuple[str, ...]) -> dict[str, Any]:
    from kompas.infra.load import cable_vintage
    from kompas.infra.vintages import compare

    old, new = cable_vintage("2021"), cable_vintage("2022")
    found: dict[str, Any] = compare(old, new, frozenset(countries))
    notes = [str(r) for r in (*old.rejections, *new.rejections) if r.field == "files"]
    return found | {"sources": [{"key": s.get("key", ""), "attribution": s.get("attribution", "")}
                                for s in new.sources], "notes": notes}


def vintages(countries: Sequence[str] = ()) -> dict[str, Any]:
    """The two cable-map vintages (June 2021, late 2022) compared: cables added, retired and changed (those landing
    in one of ``countries`` when given); public data only (UNCLASSIFIED TLP:CLEAR)."""
    chosen = tuple(sorted(_countries(countries)))
    with _reading:
        found = copy.deepcopy(_vintages(chosen))
    return found | {"countries": list(chosen), "marking": PUBLIC_MARKING.as_dict()}


# --- incidents -----------------------------------------------------------------------------------------------------


def _incident_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The incident's fields checked: assets (1..MAX_ASSETS names or refs), time_utc (not in the future), cause,
    vessel, lat/lon, title, note. StoreError naming the field."""
    from kompas.times import now_text_ns, parse_time_utc, utc_text_ns

    assets = [str(a).strip() for a in fields.get("assets") or [] if str(a).strip()]
    if not assets:
        raise StoreError("assets: name the damaged assets (names, ids or kind:id)")
    if len(assets) > MAX_ASSETS:
        raise StoreError(f"assets: at most {MAX_ASSETS}")
    text = str(fields.get("time_utc") or "").strip()
    try:
        if not "1900" <= text[:4] <= "2199":  # datetime64[ns] wraps around silently after 2262
            raise ValueError(f"{text[:40]!r} is not a time between 1900 and 2199")
        when = utc_text_ns(parse_time_utc(text))
    except ValueError as error:
        raise StoreError(f"time_utc: {error}") from None
    now = now_text_ns()
    if when > now:
        raise StoreError(f"time_utc: {when} is after now: an incident is of the past")
    cause = str(fields.get("cause") or "unknown").strip().lower()
    if cause not in CAUSES:
        raise StoreError(f"cause: {cause[:40]!r} is not one of {', '.join(CAUSES)}")
    lat, lon = fields.get("lat"), fields.get("lon")
    if (lat is None) != (lon is None):
        raise StoreError("lat and lon go together")
    if lat is not None and lon is not None:
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            raise StoreError("lat and lon are numbers (degrees)") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise StoreError("lat must be in -90..90 and lon in -180..180 degrees")
    texts = {}
    for name, most in (("vessel", 200), ("title", 300), ("note", 4000)):
        value = str(fields.get(name) or "").strip()
        if len(value) > most:
            raise StoreError(f"{name}: longer than {most} characters")
        _check_text(name, value)
        texts[name] = value
    return {"assets": assets, "time_utc": when, "reported_utc": now, "cause": cause, "lat": lat, "lon": lon, **texts}


def record_incident(store: StoreBase, account: Account, fields: Mapping[str, Any], marking: Marking
                    ) -> dict[str, Any]:
    """Record damage to infrastructure assets as ``account``'s organisation under ``marking`` (checked:
    MarkingError): an ``incident`` event (domain infra) naming the damaged assets (resolved on the network the
    account may see), the time, the suspected cause, the vessel when known and the place, whose payload carries
    the stress result of losing the assets. The result is computed on the public data and the contributions whose
    markings ``marking`` covers, so the event is stored under ``marking`` (with their originators) and shows no one
    more than that. The same incident recorded again is stored once. Audited."""
    from kompas.core.envelope import derived_id, from_infra_incident
    from kompas.core.store import events as platform_events
    from kompas.infra.stress import Scenario

    checked = _incident_fields(fields)
    store.check_marking(account, marking)
    seen = view(store, account.viewer, within=marking)
    scenario = Scenario(remove=tuple(checked["assets"]))
    try:
        result = _run(seen, scenario)
    except StoreError:
        wider = view(store, account.viewer)
        if error_of(wider, scenario):  # unknown to the account at all: the engine's message (with near names)
            raise
        raise StoreError(f"an asset named is known to you only from contributions (together marked "
                         f"{wider.marking.banner()}) that the incident's marking ({marking.banner()}) does not cover: "
                         "record the incident under a marking that covers the one naming it") from None
    refs = sorted(r["ref"] for r in result["removed"])
    event_marking = combine([marking, seen.marking])
    try:
        store.check_marking(account, event_marking)
    except MarkingError as error:  # cannot happen (covered contributions add originators only): say so if it does
        raise StoreError(f"the incident's marking: {error}") from None
    event_id = derived_id("infra-incident", account.org, checked["time_utc"], ",".join(refs), marking.key())
    envelope = from_infra_incident(event_id, checked, result, _member_states(result),
                                   f"kompas infra incident ({account.org})")
    done = platform_events.store(store, [(envelope, event_marking)], "infra incident")
    if done.rejected:
        raise StoreError(f"the incident could not be recorded: {done.rejected[0].field}: {done.rejected[0].reason}")
    audit.append(store.engine, account.name, "infra-incident", f"events/{event_id}", "ok",
                 f"{', '.join(refs)[:200]} ({event_marking.banner()})")
    return _answer(seen, {"id": event_id, "recorded": bool(done.ids), "assets": result["removed"],
                          "severity": envelope.severity, "stress": result}) | {"marking": event_marking.as_dict()}
