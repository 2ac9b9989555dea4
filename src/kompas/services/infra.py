"""Critical infrastructure on the platform (issue 24), one service for the command line, the API, the web map and
the report:

- :func:`view` / :func:`network_for`: the public network (TeleGeography's cable and exchange maps, PyPSA-Eur's
  grid: UNCLASSIFIED, TLP:CLEAR) merged with the contributed elements the viewer may see (the storage layer applies
  need-to-know), one copy per element: the viewer's own organisation's newest, else the newest of another
  (:func:`chosen_copies`); every answer names in ``notes`` each public element a contribution replaced, and by whom;
- :func:`contribute`: an organisation adds elements (the Kompas CSV/GeoJSON format, :mod:`kompas.infra.contributed`)
  under a marking: pipelines, capacities, private cables, links; at most
  :data:`~kompas.core.store.infra.QUOTA` elements per organisation; :func:`withdraw` takes them back;
- :func:`assess`, :func:`stress`, :func:`rank`, :func:`vintages`: the engine's metrics, stress tests, ranking and
  vintage comparison on that network. Assessments and rankings carry the combined marking of every contribution
  in the network; a stress test that of the contributions it used (:func:`used_by`). A stress test may be recorded
  as a ``stress-test`` event in the envelope (domain ``infra``), so the response engine proposes options for it,
  never under a marking its recorder could not read back;
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
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompas.core import audit
from kompas.core.markings import Marking, MarkingError, Viewer, combine, covers, may_see
from kompas.core.store import Account, StoreBase, StoreError
from kompas.core.store import infra as stored
from kompas.infra.model import Element, Network, Rejection

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
#: assessments (one entry per country, network and share), rankings and coverages kept: a few seconds each for the
#: whole EU; readers share them (27 member states x 19 shares of one network fit twice)
_RESULTS_MAX = 1024
SHARE_STEP = 0.05  #: an assessment's share is a multiple of this (0.05 .. 0.95): each share is one cached assessment
MAX_RANK = 500  #: most elements a ranking lists
MAX_NOTED = 200  #: most replaced public elements an answer names one by one (then a count of the others)


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
    same contributions). ``copies``: the stored row each contributed element of the network comes from (ref ->
    :class:`~kompas.core.store.infra.Entry`: its marking, organisation, source); ``truncated``: whether the read
    bound :data:`~kompas.core.store.infra.MAX_READ` was reached (older contributions left out)."""

    network: Network
    marking: Marking
    used: int
    contributors: tuple[str, ...]
    prepared: Stress
    key: tuple[str, ...] = ()  #: the vintage and the contributed rows used: equal keys, equal networks
    copies: Mapping[str, stored.Entry] = field(default_factory=dict)
    truncated: bool = False

    def sources(self) -> list[dict[str, str]]:
        """The data sets used with their attribution and licence (shown wherever the data is shown)."""
        return [{"key": s.get("key", ""), "attribution": s.get("attribution", "")} for s in self.network.sources]

    def marking_of(self, element: Element) -> Marking:
        """An element's own marking: the public data's, or that of the contributed copy the network holds."""
        found = self.copies.get(element.ref)
        return found.marking if found is not None else PUBLIC_MARKING

    def notes(self, refs: Iterable[str] = ()) -> list[str]:
        """What the answer lacks or changes: the public parts not at hand (``../shared`` absent), the read bound
        when reached, and each public element replaced by one of the contributions ``refs`` (those the answer
        used: naming another would reveal a contribution the answer's marking does not cover), and by whom."""
        out = [str(r) for r in self.network.rejections if r.field == "files"]
        if self.truncated:
            out.append(f"more than {stored.MAX_READ:,} contributed elements are visible to you: only the newest "
                       f"{stored.MAX_READ:,} were read, older ones are left out of this answer")
        chosen = {r: self.copies[r] for r in refs if r in self.copies}
        base = public()
        replaced = []
        for ref in sorted(chosen):
            original = base.get(ref)
            if original is not None:
                replaced.append(f"{original.name} ({ref}) as contributed by {chosen[ref].org}")
        if len(replaced) > MAX_NOTED:
            replaced = [*replaced[:MAX_NOTED], f"and {len(replaced) - MAX_NOTED:,} more public elements replaced by "
                                               "contributions"]
        return out + [f"public element replaced: {text}" for text in replaced]


def chosen_copies(rows: Sequence[stored.Entry], org: str | None) -> dict[str, stored.Entry]:
    """The copy of each element (ref) a reader of organisation ``org`` uses, from ``rows`` (oldest first): the
    newest copy of the reader's own organisation, else the newest copy of any other. So another organisation's
    copy never overrides a reader's own correction; it still replaces the public element for the others (every
    answer names such replacements in its ``notes``)."""
    best: dict[str, stored.Entry] = {}
    for row in rows:
        ref = row.ref
        current = best.get(ref)
        if current is None or row.org == org or current.org != org:
            best[ref] = row
    return best


def view(store: StoreBase, viewer: Viewer | None, within: Marking | None = None) -> View:
    """The network ``viewer`` may see (None: the platform itself, every contribution): the public network and the
    contributed elements read in a session serving the viewer, one copy per element (:func:`chosen_copies`: the
    viewer's own organisation's newest, else the newest), merged over the public elements of the same ids. With
    ``within``, only the contributions whose markings ``within`` covers (:func:`covers`): an answer stored under
    ``within`` then reveals nothing more. The rows are read without their elements; an element is parsed once per
    process, and a network once per set of copies."""
    from kompas.infra.stress import Stress

    rows, truncated = stored.entries(store, viewer)
    if within is not None:
        rows = [r for r in rows if covers(within, r.marking)]
    copies = chosen_copies(rows, viewer.org if viewer is not None else None)
    base = public()
    key = (VINTAGE, *sorted(r.row_id for r in copies.values()))
    with _prepared_lock:
        found = _PREPARED.get(key)
        if found is not None:
            _PREPARED.move_to_end(key)
    if found is None:
        parsed = stored.parsed(store, viewer, list(copies.values()))
        contributed = Network()
        for ref, row in sorted(copies.items()):
            element = parsed.get(row.row_id)
            if element is not None and element.ref == ref:
                contributed.add(element)
        if copies:
            contributed.sources.append(CONTRIBUTED_SOURCE | {"path": ", ".join(sorted({r.org for r in
                                                                                      copies.values()}))})
        network = base.merged(contributed) if copies else base
        found = (network, Stress(network))
        with _prepared_lock:
            _PREPARED[key] = found
            while len(_PREPARED) > _PREPARED_MAX:
                _PREPARED.popitem(last=False)
    network = found[0]
    copies = {ref: row for ref, row in copies.items() if (e := network.get(ref)) is not None and e.origin == row.org}
    marking = combine([PUBLIC_MARKING, *(r.marking for r in copies.values())])
    contributors = tuple(sorted({r.org for r in copies.values()}))
    return View(network, marking, len(copies), contributors, found[1], key, copies, truncated)


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


def withdraw(store: StoreBase, account: Account, source: str | None = None, refs: Sequence[str] = ()
             ) -> dict[str, Any]:
    """Withdraw ``account``'s organisation's contributed elements: those sent under ``source`` (the name given
    with the contribution: a file name, ``api:ORG`` by default) and/or the elements ``refs`` (``kind:id``, every
    marking), among those the account may see. The public elements they replaced are back for every reader.
    Returns the refs withdrawn with their markings; audited. StoreError when neither is given."""
    if source is not None:
        _check_text("source", source)
    for ref in refs:
        _check_text("ref", ref)
    gone = stored.withdraw(store, account, source, refs)
    audit.append(store.engine, account.name, "infra-withdraw", f"infra/elements/{account.org}", "ok",
                 f"{len(gone)} withdrawn" + (f" of {source[:80]}" if source is not None else "")
                 + (f" ({', '.join(refs)[:200]})" if refs else ""))
    marking = combine([PUBLIC_MARKING, *(g.marking for g in gone)])
    return {"withdrawn": [{"ref": g.ref, "source": g.source, "added_utc": g.added_utc, "marking": g.marking.as_dict()}
                          for g in gone], "count": len(gone), "marking": marking.as_dict()}


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


def _public_source(element: Element) -> str:
    """The key of the public data set an element comes from (:data:`kompas.infra.load.ATTRIBUTION`)."""
    if element.kind in ("landing", "cable"):
        return "cables"
    if element.kind in ("building", "exchange"):
        return "exchanges"
    return "grid" if "entsoegridkit" in element.source else "hvdc"


def contributed(store: StoreBase, viewer: Viewer | None, kind: str | None = None, org: str | None = None,
                limit: int = 1000) -> dict[str, Any]:
    """The contributed elements ``viewer`` may see (the newest ``limit``), each with its marking, contributor,
    source and time added, and whether it replaces a public element (``replaces_public``: it then carries the
    public element's fields it left empty, such as TeleGeography's route, owners and suppliers); the combined
    marking of the page, and ``sources``: the contributions and, for the public elements completed, the public data
    sets with their attribution and licence (TeleGeography's maps are CC BY-NC-SA 3.0, non-commercial)."""
    from kompas.infra.contributed import to_dict
    from kompas.infra.load import ATTRIBUTION

    rows, more = stored.entries(store, viewer, kind, org, limit)
    parsed = stored.parsed(store, viewer, rows)
    base = public()
    items = []
    completed: set[str] = set()
    for row in reversed(rows):
        element = parsed.get(row.row_id)
        if element is None:
            continue
        original = base.get(row.ref)
        if original is not None:
            completed.add(_public_source(original))
        items.append({"ref": row.ref, "element": to_dict(element), "contributed_by": row.org, "source": row.source,
                      "added_utc": row.added_utc, "replaces_public": original is not None,
                      "marking": row.marking.as_dict()})
    marking = combine([PUBLIC_MARKING, *(r.marking for r in rows)])
    known = {s.get("key", ""): s.get("attribution", "") for s in base.sources}
    sources = [{"key": CONTRIBUTED_SOURCE["key"], "attribution": CONTRIBUTED_SOURCE["attribution"]}] if items else []
    sources += [{"key": key, "attribution": known.get(key) or ATTRIBUTION[key]} for key in sorted(completed)]
    notes = [f"more than {limit:,} contributed elements match: the newest {limit:,} are listed"] if more else []
    return {"items": items, "marking": marking.as_dict(), "sources": sources, "notes": notes}


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
    """An answer resting on every contribution of the network: their combined marking, their contributors, every
    public element they replace in the notes."""
    return found | {"marking": seen.marking.as_dict(), "contributions": seen.used,
                    "contributors": list(seen.contributors), "sources": seen.sources(),
                    "notes": seen.notes(seen.copies)}


def share_of(share: float) -> float:
    """``share`` checked: a multiple of :data:`SHARE_STEP` from 0.05 to 0.95 (rounded to two decimals); StoreError
    otherwise (each share is an assessment of its own: a free share would let a caller force one at will)."""
    steps = round(share / SHARE_STEP) if math.isfinite(share) else 0
    if not 1 <= steps <= round(1 / SHARE_STEP) - 1 or abs(share - steps * SHARE_STEP) > 1e-9:
        raise StoreError(f"share must be a multiple of {SHARE_STEP:g} between {SHARE_STEP:g} and "
                         f"{1 - SHARE_STEP:g} (got {share!r})")
    return round(steps * SHARE_STEP, 2)


def assess(store: StoreBase, viewer: Viewer | None, countries: Sequence[str] = (), share: float = 0.5
           ) -> dict[str, Any]:
    """The dependency metrics of ``countries`` (alpha-2 or names; default: every EU member state the network
    reaches) on the network ``viewer`` may see (:mod:`kompas.infra.assess`), with the EU's supplier coverage, the
    combined marking, the sources and their licences. ``share``: a multiple of :data:`SHARE_STEP`
    (:func:`share_of`). Each country's assessment is computed once per network and share and kept: the EU-wide
    answer is assembled from the member states' entries."""
    from kompas.infra.assess import assess_country, eu_coverage

    share = share_of(share)
    chosen = _countries(countries)
    seen = view(store, viewer)
    home, eu, like_minded = _groups()
    wanted = chosen or tuple(sorted(c for c in eu if c in seen.prepared.graph.countries))
    found = []
    for country in wanted:
        def one(country: str = country) -> dict[str, Any]:
            return assess_country(seen.prepared, country, share, home, eu, like_minded).as_dict()

        found.append(_cached(("assess", seen.key, country, share), one))
    coverage = _cached(("eu-coverage", seen.key), lambda: eu_coverage(seen.network, eu))
    return _answer(seen, {"countries": found, "share": share, "eu_coverage": coverage})


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
            raise StoreError(str(error)) from None
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
        found = seen.prepared.run_refs(why, scenario.describe(), area=scenario.area is not None,
                                       avoid=frozenset(scenario.avoid), focus=chosen)
        # countries asked for: their pairs alone (a supplier's cables touch thousands elsewhere; counted in hidden)
        result = (found.only(focus) if focus else found).as_dict()
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


def _groups_of(seen: View, ref: str) -> set[str]:
    """The measure groups (:data:`kompas.infra.graph.GROUPS`: telecom, power, gas) a contributed element can change:
    cables and landings the telecom group; a link its kind's group, and that of the public link it replaces."""
    kind = ref.split(":", 1)[0]
    if kind in ("cable", "landing"):
        return {"telecom"}
    if kind != "link":
        return set()
    groups = set()
    for element in (seen.network.get(ref), public().get(ref)):
        link_kind = getattr(element, "link_kind", "")
        if link_kind:
            groups.add("gas" if link_kind == "pipeline" else "power")
    return groups


def used_by(seen: View, result: Mapping[str, Any]) -> list[str]:
    """The contributed elements (refs) a stress result rests on: those it removes, the contributed carriers (and
    landings) of the measure groups its rows touch (telecom: cables; power: HVDC and AC links; gas: pipelines:
    they make the capacities before and after, the pairs disconnected and the alternative paths), and the
    contributed buildings and exchanges when it has ``ixp`` rows. Its marking combines theirs only."""
    from kompas.infra.graph import GROUP_OF

    rows = result.get("rows") or []
    groups = {GROUP_OF[r["kind"]] for r in rows if r["kind"] in GROUP_OF}
    exchanges = any(r["kind"] == "ixp" for r in rows) or bool(result.get("exchanges_cut"))
    used = {item["ref"] for item in result.get("removed") or [] if item["ref"] in seen.copies}
    for ref in seen.copies:
        if ref in used:
            continue
        if exchanges and ref.split(":", 1)[0] in ("building", "exchange") or groups & _groups_of(seen, ref):
            used.add(ref)
    return sorted(used)


def _answer_using(seen: View, found: dict[str, Any], refs: Sequence[str]) -> tuple[dict[str, Any], Marking]:
    """An answer resting on the contributions ``refs`` only: their combined marking, their contributors, the public
    elements they replace in the notes."""
    copies = [seen.copies[r] for r in refs]
    marking = combine([PUBLIC_MARKING, *(c.marking for c in copies)])
    return found | {"marking": marking.as_dict(), "contributions": len(copies),
                    "contributors": sorted({c.org for c in copies}), "sources": seen.sources(),
                    "notes": seen.notes(refs)}, marking


def stress(store: StoreBase, viewer: Viewer | None, scenario: Scenario, record: bool = False,
           focus: Sequence[str] = (), by: str = "") -> dict[str, Any]:
    """What losing everything ``scenario`` removes costs, on the network ``viewer`` may see
    (:mod:`kompas.infra.stress`): rows per country pair and measure before and after, pairs disconnected,
    alternative paths, exchanges cut off, caveats (an area: drawn routes), marked with the combination of the
    contributions it used (:func:`used_by`). With ``record`` (a viewer is needed) the result is stored as a
    ``stress-test`` event under that marking (the same scenario on the same data is stored once) and its id
    returned; StoreError, nothing stored, when the viewer could not read that marking (contributions whose
    releasability lists share no code). ``by`` names the user for the audit log."""
    from kompas.core.envelope import derived_id, from_infra_stress
    from kompas.core.store import events as platform_events
    from kompas.times import now_text_ns

    seen = view(store, viewer)
    result = _run(seen, scenario, _countries(focus) if focus else ())
    used = used_by(seen, result)
    answer, marking = _answer_using(seen, result, used)
    if record:
        if viewer is None:
            raise StoreError("recording a stress test needs a user (--user): the event is theirs to see")
        if not may_see(viewer, marking):
            parts = "; ".join(f"{ref} from {seen.copies[ref].org} ({seen.copies[ref].marking.banner()})"
                              for ref in used[:10])
            raise StoreError(f"the stress test cannot be recorded: it rests on contributions ({parts}) whose "
                             f"markings combine to {marking.banner()}, which you could not read back; record a "
                             "scenario that does not use them, or ask their contributors for a common marking")
        states = _member_states(result)
        event_id = derived_id("infra-stress", viewer.org, marking.key(), _digest(result))
        envelope = from_infra_stress(event_id, result, now_text_ns(), states, f"kompas infra stress ({viewer.org})")
        done = platform_events.store(store, [(envelope, marking)], "infra stress")
        if done.rejected:
            raise StoreError(f"the stress test could not be recorded: {done.rejected[0].reason}")
        answer["event_id"] = event_id
        answer["recorded"] = bool(done.ids)
        audit.append(store.engine, by or viewer.org, "infra-stress", f"events/{event_id}", "ok",
                     f"{scenario.describe()[:200]} ({marking.banner()})")
    return answer


def rank(store: StoreBase, viewer: Viewer | None, countries: Sequence[str] = (), area: Area | None = None,
         limit: int = 50) -> dict[str, Any]:
    """The elements of a region (``countries`` and/or an ``area``) ranked by the damage their loss alone causes, on
    the network ``viewer`` may see, with the combined marking."""
    from kompas.infra.cables import ROUTE_CAVEAT
    from kompas.infra.stress import rank as run_rank

    chosen = _countries(countries)
    seen = view(store, viewer)
    wanted = max(1, min(limit, MAX_RANK))

    def compute(most: int) -> dict[str, Any]:
        return {"ranking": run_rank(seen.network, area, chosen, most, prepared=seen.prepared)}

    # a ranking without an area is kept whole (MAX_RANK) per network and region: any limit is a slice of it
    found = compute(wanted) if area is not None else _cached(("rank", seen.key, tuple(sorted(chosen))),
                                                             lambda: compute(MAX_RANK))
    return _answer(seen, {"countries": list(chosen), "area": area.description if area is not None else None,
                          "ranking": found["ranking"][:wanted],
                          "caveats": [ROUTE_CAVEAT] if area is not None else []})


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
