"""Cyber situational awareness on the platform (issue 23), one service for the command line, the API, the web page
and the report:

- :func:`actors`: ATT&CK groups and campaigns ranked by overlap with an incident's techniques and software
  (:mod:`kompas.cyber.actors`): an analyst's lead, never an attribution (member states record attributions:
  :mod:`kompas.services.response`);
- :func:`declare_inventory` / :func:`exposure_view`: members declare the products they run (CPE 2.3) under a
  marking; the exposure to CISA's Known Exploited Vulnerabilities is computed from the declarations the viewer may
  see and marked with their combination (:mod:`kompas.cyber.exposure`);
- :func:`record_sightings` / :func:`indicators`: members' "we saw it too" merged on the indicator key, the observer
  named only to those who may know it (:mod:`kompas.core.store.cyber`).

Reference data (ATT&CK, the ranking model, KEV) is read once per process, the first caller reading it while others
wait (:func:`reference`); without ``../shared`` the shipped KEV sample is used and ATT&CK is missing (the command
says so).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompas.core import audit
from kompas.core.markings import Marking, Viewer, combine
from kompas.core.store import Account, StoreBase, StoreError
from kompas.core.store import cyber as stored
from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.cyber.actors import Model
    from kompas.cyber.attack import AttackIndex
    from kompas.cyber.exposure import KevIndex

MAX_TERMS = 200  #: Most techniques plus software one ranking reads.
MAX_INVENTORY_BYTES = 5_000_000  #: Largest inventory file or body.

_reading = threading.Lock()


@dataclass(frozen=True)
class Reference:
    """ATT&CK's index and the ranking model (None when ATT&CK is not at hand), the KEV index and notes on what is
    missing."""

    attack: AttackIndex | None
    model: Model | None
    kev: KevIndex
    kev_rejected: tuple[Rejection, ...]
    notes: tuple[str, ...]


def reference() -> Reference:
    """The reference data, read once per process (concurrent first callers wait for one reading)."""
    with _reading:
        return _reference()


@lru_cache(maxsize=1)
def _reference() -> Reference:
    from kompas.cyber.exposure import KevIndex
    from kompas.cyber.kev import read_kev

    notes = []
    attack = model = None
    try:
        from kompas.cyber.actors import build_model
        from kompas.cyber.attack import read_attack_index

        attack = read_attack_index()
        model = build_model(attack)
    except OSError as error:
        notes.append(f"ATT&CK not read ({error}): no actor ranking (ATT&CK is read from ../shared/data/cyber/attack)")
    kev, rejected = read_kev()
    if kev.source.endswith("kev_sample.json"):
        notes.append(f"KEV: the shipped sample ({len(kev.entries)} entries), not the whole catalogue "
                     "(../shared/data/cyber/kev is absent)")
    return Reference(attack, model, KevIndex(kev), tuple(rejected), tuple(notes))


def warm() -> None:
    """Read the reference data now (a failure is left for the first request to report)."""
    with contextlib.suppress(OSError, ValueError):
        reference()


# --- actors -------------------------------------------------------------------------------------------------------


def actors(techniques: Sequence[str], software: Sequence[str] = (), limit: int = 10,
           campaigns: bool = False) -> dict[str, Any]:
    """ATT&CK groups (``campaigns``: campaigns) ranked for the evidence, best first, at most ``limit``: each with
    ``group_id`` (``G0034``), ``name``, ``score``, ``shared_techniques``, ``shared_software`` and how much evidence
    it rests on; ``notes`` on what was not matched. StoreError when ATT&CK is not at hand or the evidence is
    empty or too large."""
    from kompas.cyber.actors import incident_evidence, rank_campaigns, rank_groups

    terms = [t.strip() for t in techniques if t.strip()], [s.strip() for s in software if s.strip()]
    if not terms[0] and not terms[1]:
        raise StoreError("give techniques (ATT&CK ids such as T1566) or software (names or S-ids)")
    if len(terms[0]) + len(terms[1]) > MAX_TERMS:
        raise StoreError(f"at most {MAX_TERMS} techniques and software together")
    ref = reference()
    if ref.attack is None or ref.model is None:
        raise StoreError("; ".join(ref.notes) or "ATT&CK is not at hand")
    evidence = incident_evidence(ref.attack, terms[0], terms[1])
    ranking = (rank_campaigns if campaigns else rank_groups)(ref.model, evidence, limit)
    return ranking.as_dict()


# --- inventories and exposure -------------------------------------------------------------------------------------


def declare_inventory(store: StoreBase, account: Account, text: str, source: str, marking: Marking
                      ) -> tuple[int, list[Rejection]]:
    """Declare ``account``'s organisation's inventory (the Kompas inventory CSV, :mod:`kompas.cyber.exposure`)
    under ``marking``, replacing what it declared before under that marking. Rows of another member are rejected
    (each member declares its own). Returns (rows stored, rejections); audited."""
    from kompas.cyber.exposure import parse_inventory

    if len(text.encode()) > MAX_INVENTORY_BYTES:
        raise StoreError(f"{source}: larger than {MAX_INVENTORY_BYTES} bytes")
    items, rejected = parse_inventory(text, source)
    own = []
    for item in items:
        if item.member != account.org:
            rejected.append(Rejection(source, item.line, "member", f"you declare {account.org}'s inventory, not "
                                                                   "another member's", item.member))
        else:
            own.append(item)
    rejected.sort(key=lambda r: r.line)
    count = stored.add_inventory(store, account, own, marking)
    audit.append(store.engine, account.name, "inventory", f"cyber/inventory/{account.org}", "ok",
                 f"{count} products, {len(rejected)} rejected, from {source[:80]}")
    return count, rejected


def exposure_view(store: StoreBase, viewer: Viewer | None, as_of: dt.date | None = None,
                  member: str | None = None) -> dict[str, Any]:
    """The exposure to KEV on ``as_of`` (default today, UTC) of the declarations ``viewer`` may see (of one
    ``member``): per member and in aggregate, with ``marking`` the combination of the declarations used and
    ``notes`` on the catalogue used."""
    from kompas.cyber.cpe import parse_cpe
    from kompas.cyber.exposure import InventoryItem, exposure

    day = as_of or dt.datetime.now(dt.UTC).date()
    every = stored.inventory(store, viewer, member)
    # one product declared twice by a member, under two markings, counts once (both markings are combined)
    rows = list({(f["member"], f["cpe"]): (f, m) for f, m in every}.values())
    items = [InventoryItem(f["member"], parse_cpe(f["cpe"]), dt.date.fromisoformat(f["declared"]), f["assets"],
                           f["criticality"], f["note"], f["source"]) for f, _ in rows]
    ref = reference()
    report = exposure(items, ref.kev, day).as_dict()
    marking = combine([m for _, m in every]) if every else Marking.build("UNCLASSIFIED", "CLEAR")
    return report | {"declarations": len(every), "marking": marking.as_dict(),
                     "notes": [n for n in ref.notes if n.startswith("KEV")]}


def exposure_of_files(paths: Sequence[Any], as_of: dt.date | None = None) -> dict[str, Any]:
    """The exposure of inventory CSV files (nothing stored, no marking: the files are the caller's), with the
    rejected rows listed."""
    from kompas.cyber.exposure import exposure, read_inventory

    items, rejected = [], []
    for path in paths:
        found, bad = read_inventory(path)
        items += found
        rejected += bad
    ref = reference()
    report = exposure(items, ref.kev, as_of or dt.datetime.now(dt.UTC).date()).as_dict()
    return report | {"rejected": [r.as_dict() for r in rejected],
                     "notes": [n for n in ref.notes if n.startswith("KEV")] + [str(r) for r in rejected]}


# --- sightings ----------------------------------------------------------------------------------------------------


def record_sightings(store: StoreBase, account: Account, sightings: Sequence[Any], marking: Marking,
                     observer_marking: Marking | None = None, source: str = "") -> list[str]:
    """Store ``account``'s organisation's sightings (:class:`kompas.cyber.model.Sighting`) under ``marking``; its
    name as the observer under ``observer_marking`` (default: releasable to its own organisation only, so other
    readers count the sighting without learning who saw it). Returns the ids; audited."""
    from kompas.times import now_text_ns

    ahead = now_text_ns()[:10] + "T23:59:59.999Z"
    late = [x for x in sightings if (x.last_seen_utc or x.first_seen_utc) > ahead]
    if late:
        raise StoreError(f"last_seen_utc: {late[0].last_seen_utc} is after today (a sighting is of the past)")
    hidden = observer_marking or Marking.build(marking.classification, marking.tlp, [account.org],
                                               sorted(marking.communities), account.org)
    ids = stored.add_sightings(store, account, sightings, marking, combine([marking, hidden]), source)
    audit.append(store.engine, account.name, "sighting", "cyber/sightings", "ok", f"{len(ids)} sightings")
    return ids


def indicators(store: StoreBase, viewer: Viewer | None, keys: Sequence[tuple[str, str]] | None = None,
               limit: int = stored.MAX_KEYS, since: str | None = None, until: str | None = None
               ) -> list[dict[str, Any]]:
    """The sightings ``viewer`` may see merged per indicator key (:func:`kompas.core.store.cyber.merge`), those
    overlapping ``[since, until]`` (dates) when given."""
    return stored.merged_sightings(store, viewer, keys, limit, since, until)


# --- incidents: ingest and export ---------------------------------------------------------------------------------

FORMATS = ("misp", "stix", "json")  #: What `kompas cyber ingest` and POST /api/v1/cyber/incidents read.
MAX_INGEST_BYTES = 20_000_000  #: Largest file or body one ingest reads.


@dataclass
class Ingested:
    """What one ingest did: incidents added and replaced, sightings recorded, and every record refused, with the
    source, the item, the field and why."""

    source: str
    format: str
    added: list[str]
    replaced: list[str]
    sightings: int
    rejected: list[Rejection]
    notes: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "format": self.format, "added": self.added, "replaced": self.replaced,
                "sightings": self.sightings, "rejected": [r.as_dict() for r in self.rejected], "notes": self.notes}


def detect(text: str) -> str:
    """The format of an ingest file from its content: ``stix`` (a bundle), ``misp`` (an ``Event``, a list of them
    or MISP's ``response``), else ``json`` (Kompas incidents)."""
    head = text[:4000]
    if '"type"' in head and '"bundle"' in head:
        return "stix"
    if '"Event"' in head or '"response"' in head or '"Attribute"' in head:
        return "misp"
    return "json"


def _kompas_json(text: str, source: str, default: Marking) -> Any:  # noqa: ANN401 (Imported)
    """Kompas incident JSON (one incident, a list, or ``{"incidents": [...], "sightings": [...]}``): each record
    without a ``marking`` gets ``default``."""
    import json

    from kompas.cyber.model import Imported, IncidentError, incident_from_dict, sighting_from_dict

    def refused(reason: str) -> Any:  # noqa: ANN401 (Imported)
        return Imported(rejections=[Rejection(source, 0, "", reason, unit="item")])

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return refused(f"not JSON: {error.msg} (line {error.lineno})")
    except RecursionError:
        return refused("JSON nested too deeply")
    records = data.get("incidents") if isinstance(data, dict) and "incidents" in data else \
        data if isinstance(data, list) else [data]
    sightings = data.get("sightings", []) if isinstance(data, dict) else []
    if not isinstance(records, list) or not isinstance(sightings, list):
        return refused("'incidents' and 'sightings' must be lists")
    found = Imported(events=len(records))
    for number, record in enumerate(records, start=1):
        try:
            if isinstance(record, dict) and "marking" not in record:
                record = record | {"marking": {k: v for k, v in default.as_dict().items() if k != "banner"}}
            found.incidents.append(incident_from_dict(record))
        except IncidentError as error:
            found.rejections.append(Rejection(source, number, error.field, error.reason, error.value, unit="item"))
    for number, record in enumerate(sightings, start=1):
        try:
            found.sightings.append(sighting_from_dict(record))
        except IncidentError as error:
            found.rejections.append(Rejection(source, number, f"sightings.{error.field}", error.reason, error.value,
                                              unit="item"))
    return found


def _parts_problem(store: StoreBase, account: Account, incident: Any, given: Marking) -> str:  # noqa: ANN401
    """Why ``account`` may not share ``incident`` under ``given`` with the markings its parts carry ("" when it
    may): each observable's and annotation's marking, combined with the incident's, must be one the account may
    give."""
    from kompas.core.markings import MarkingError

    for what, parts in (("observables", incident.observables), ("annotations", incident.annotations)):
        for part in parts:
            if part.marking is None:
                continue
            try:
                store.check_marking(account, combine([given, part.marking]))
            except MarkingError as error:
                return f"{what}: {part.value[:60]!r}: {error}"
    return ""


def ingest(store: StoreBase, account: Account, text: str, source: str, fmt: str | None = None,
           marking: Marking | None = None) -> Ingested:
    """Share the incidents and sightings of a MISP event file, a STIX 2.1 bundle or Kompas JSON as ``account``:
    each incident under its own marking (MISP tags, STIX marking definitions; a Kompas record without one under
    ``marking``), contributed by the account's organisation (:func:`kompas.core.stix.contributed_marking`), with
    its event in the common envelope; an incident whose marking, or a part's, the account may not give is refused
    (its item, why), the others go through. The platform id is derived from the organisation, the source's id and
    the marking (:func:`kompas.core.store.cyber.platform_id`): sharing the same again updates it. Sightings are
    recorded as the account's organisation's, marked as their indicator (a sighting the file credits to another
    organisation is recorded as yours, without that name; one dated ahead of the clock is refused). Audited."""
    from kompas.core.envelope import from_cyber_incident
    from kompas.core.markings import MarkingError
    from kompas.core.stix import contributed_marking
    from kompas.cyber.misp import parse_misp
    from kompas.cyber.stix import parse_stix
    from kompas.times import now_text_ns

    if len(text.encode()) > MAX_INGEST_BYTES:
        raise StoreError(f"{source}: larger than {MAX_INGEST_BYTES} bytes")
    fmt = fmt or detect(text)
    if fmt not in FORMATS:
        raise StoreError(f"format must be one of {', '.join(FORMATS)}")
    default = marking or Marking.build(originator=account.org)
    found = parse_misp(text, source) if fmt == "misp" else parse_stix(text, source) if fmt == "stix" else \
        _kompas_json(text, source, default)
    rejected = list(found.rejections)
    items, envelopes = [], []
    for incident in found.incidents:
        given = contributed_marking(incident.marking, account.org)
        try:
            store.check_marking(account, given)
        except MarkingError as error:
            rejected.append(Rejection(source, 0, "marking", f"incident {incident.title[:60]!r}: {error}",
                                      given.banner(), unit="item"))
            continue
        problem = _parts_problem(store, account, incident, given)
        if problem:
            rejected.append(Rejection(source, 0, "marking", f"incident {incident.title[:60]!r}: {problem}",
                                      unit="item"))
            continue
        record_id = stored.platform_id(account.org, incident.id, given)
        items.append((incident, given))
        envelopes.append(from_cyber_incident(incident.as_dict() | {"id": record_id}, f"cyber {fmt}:{account.org}"))
    markings: dict[tuple[str, str], Marking] = {}
    for incident, given in items:
        for observable in incident.observables:
            markings.setdefault(observable.key, combine([given, observable.marking]) if observable.marking else given)
    ahead = now_text_ns()[:10] + "T23:59:59.999Z"
    ours = []
    for sighting in found.sightings:
        if sighting.key not in markings:
            rejected.append(Rejection(source, 0, "sightings", f"a sighting of {sighting.value[:60]!r}: no observable "
                                      "of the incidents shared", unit="item"))
        elif (sighting.last_seen_utc or sighting.first_seen_utc) > ahead:
            rejected.append(Rejection(source, 0, "sightings", f"a sighting of {sighting.value[:60]!r} dated "
                                      f"{sighting.last_seen_utc}: after today", unit="item"))
        else:
            ours.append(sighting)
    added, replaced = stored.add_incidents(store, account, items, source, envelopes)
    notes = []
    foreign = sorted({s.observer for s in ours if s.observer and s.observer != account.org})
    if foreign:
        notes.append(f"{sum(s.observer in foreign for s in ours)} sightings credited in the file to "
                     f"{len(foreign)} other organisations recorded as {account.org}'s, without their names")
    recorded = 0
    for key in dict.fromkeys(s.key for s in ours):
        recorded += len(stored.add_sightings(store, account, [s for s in ours if s.key == key], markings[key],
                                             markings[key], source))
    audit.append(store.engine, account.name, "cyber-ingest", f"cyber/incidents ({fmt})", "ok",
                 f"{len(added)} added, {len(replaced)} replaced, {recorded} sightings, {len(rejected)} rejected "
                 f"from {source[:80]}")
    return Ingested(source, fmt, added, replaced, recorded, rejected, notes)


def _incident(fields: dict[str, Any], marking: Marking) -> Any:  # noqa: ANN401 (Incident)
    from kompas.cyber.model import incident_from_dict

    return incident_from_dict(fields | {"marking": {k: v for k, v in marking.as_dict().items() if k != "banner"}})


def _clocks(fields: Mapping[str, Any], now: str) -> list[dict[str, Any]]:
    """The NIS2 clocks of a stored incident from its awareness time and its submissions (no rebuilding of the
    incident: :func:`kompas.cyber.model.incident_deadlines` on the stored fields)."""
    from kompas.cyber.model import nis2_deadlines

    nis2 = fields.get("nis2") or {}
    if not fields.get("detected_utc") or nis2.get("significant") is False:
        return []
    try:
        return [dataclasses.asdict(d) for d in nis2_deadlines(
            fields["detected_utc"], now, nis2.get("early_warning_utc"), nis2.get("notification_utc"),
            nis2.get("final_report_utc"))]
    except (ValueError, OverflowError):  # stored before the model bounded its times
        return []


def _item(view: stored.IncidentView, now: str) -> dict[str, Any]:
    return view.fields | {"id": view.id, "source_id": view.fields.get("id"), "marking": view.shown.as_dict(),
                          "shared_under": view.marking.as_dict(), "shared_by": view.org,
                          "nis2_clocks": _clocks(view.fields, now)}


def incident_list(store: StoreBase, viewer: Viewer | None, limit: int = 100, **filters: Any) -> dict[str, Any]:
    """The incidents ``viewer`` may see (newest first; filters of :func:`kompas.core.store.cyber.incidents`), each
    with its platform ``id`` (also its event's), ``source_id``, its NIS2 clocks now, and ``marking``: the
    combination of its marking and its parts' shown (``shared_under``: the incident's own); and the combined
    marking of the page."""
    from kompas.times import now_text_ns

    views = stored.incidents(store, viewer, limit, **filters)
    now = now_text_ns()[:23] + "Z"
    marking = combine([v.shown for v in views]) if views else Marking.build("UNCLASSIFIED", "CLEAR")
    return {"items": [_item(v, now) for v in views], "marking": marking.as_dict()}


def export(store: StoreBase, viewer: Viewer | None, incident_ids: Sequence[str], fmt: str) -> tuple[Any, Marking
                                                                                                   ] | None:
    """The incidents ``incident_ids`` (platform ids) as ``viewer`` may see them (their visible parts, the sightings
    they may see merged as one anonymous record per indicator) in MISP event JSON (one incident, with its source's
    id) or a STIX 2.1 bundle, and the combined marking of everything in it; None when one of them is not visible
    (or does not exist). At most :data:`kompas.core.store.cyber.MAX_KEYS` incidents."""
    from kompas.cyber.misp import export_misp
    from kompas.cyber.model import Sighting
    from kompas.cyber.stix import export_stix

    wanted = list(dict.fromkeys(incident_ids))
    if len(wanted) > stored.MAX_KEYS:
        raise StoreError(f"at most {stored.MAX_KEYS} incidents in one export")
    views = stored.incidents(store, viewer, len(wanted) or 1, ids=wanted)
    if len(views) != len(wanted):
        return None
    incidents = [_incident(v.fields, v.marking) for v in views]
    keys = sorted({o.key for i in incidents for o in i.observables})[:stored.MAX_KEYS]
    merged = indicators(store, viewer, keys) if keys else []
    sightings: list[tuple[Any, Marking]] = []
    for item in merged:
        if item["count"]:
            sightings.append((Sighting(item["type"], item["value"], item["first_seen_utc"], item["last_seen_utc"],
                                       item["count"], ""), Marking.from_dict(item["marking"])))
    marking = combine([v.shown for v in views] + [m for _, m in sightings])
    if fmt == "misp":
        if len(incidents) != 1:
            raise StoreError("a MISP export holds one incident")
        return export_misp(incidents[0], [s for s, _ in sightings]), marking
    return export_stix(incidents, sightings), marking


# --- TAXII ----------------------------------------------------------------------------------------------------------


def taxii_source(s: Any, store: StoreBase, viewer: Viewer, after: tuple[str, str] | None, limit: int,  # noqa: ANN401
                 ids: frozenset[str] | None) -> list[Any]:
    """The shared cyber incidents as TAXII rows (:mod:`kompas.services.taxii`), by time added: each incident as the
    viewer may see it (its visible observables as indicators and observed data, ATT&CK references, the marking
    definitions). ``ids`` is left to the page, which filters objects (STIX ids of indicators are derived, not
    stored)."""
    from sqlalchemy import and_, or_, select

    from kompas.core.models import CyberIncidentRecord as _I
    from kompas.cyber.stix import export_stix
    from kompas.services.taxii import Row

    del ids
    query = select(_I).order_by(_I.added_utc, _I.id).limit(limit)
    if after is not None:
        query = query.where(or_(_I.added_utc > after[0], and_(_I.added_utc == after[0], _I.id > after[1])))
    return [Row(v.added_utc, v.id, export_stix([_incident(v.fields, v.marking)])["objects"])
            for v in stored.incident_views(store, s, viewer, list(s.scalars(query)))]


# --- the picture and the report -----------------------------------------------------------------------------------

MAX_PICTURE = 20_000  #: Most incidents one picture reads.


@lru_cache(maxsize=1)
def _sanctions() -> tuple[tuple[Any, ...], dict[str, str], dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The EU cyber sanctions listings resolved to ATT&CK (read once; empty, saying why, without ../shared), the
    group names, the actor names -> group ids, and notes."""
    from kompas.cyber.galaxy import read_galaxy
    from kompas.cyber.sanctions import build_resolver, read_sanctions, resolve_sanctions

    ref = reference()
    if ref.attack is None:
        return (), {}, {}, ("the EU cyber sanctions are linked to ATT&CK groups only with ATT&CK at hand",)
    groups = {gid: ref.attack.objects[gid].name for gid in ref.attack.objects if gid.startswith("G")}
    actor_groups = {name: tuple(i for i in ids if i.startswith("G")) for name, ids in ref.attack.names.items()
                    if any(i.startswith("G") for i in ids)}
    try:
        rows, _ = read_sanctions()
        galaxy, _ = read_galaxy()
    except (OSError, ValueError) as error:
        return (), groups, actor_groups, (f"EU cyber sanctions not read ({error})",)
    return tuple(resolve_sanctions(rows, build_resolver(ref.attack, galaxy))), groups, actor_groups, ()


def picture_view(store: StoreBase, viewer: Viewer | None, since: str, until: str) -> dict[str, Any]:
    """The cyber picture over ``[since, until]`` (dates) from the incidents ``viewer`` may see
    (:func:`kompas.cyber.picture.picture`), the sightings most seen, the exposure aggregate, and the combined
    marking of everything used; ``notes`` on what could not be read."""
    from kompas.cyber.picture import picture

    for day in (since, until):
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise StoreError(f"{day!r} is not a date YYYY-MM-DD") from None
    if until < since:
        raise StoreError(f"until {until} is before since {since}")
    listed = incident_list(store, viewer, MAX_PICTURE, since=since, until=until)
    resolutions, groups, actor_groups, notes = _sanctions()
    found = picture(listed["items"], since, until, resolutions, groups, actor_groups).as_dict()
    sightings = indicators(store, viewer, None, 20, since, until)
    exposure = exposure_view(store, viewer, dt.date.fromisoformat(until))
    used = [Marking.from_dict(listed["marking"]), *(Marking.from_dict(s["marking"]) for s in sightings)]
    if exposure["declarations"]:
        used.append(Marking.from_dict(exposure["marking"]))
    return found | {"sightings": sightings, "exposure": {"aggregate": exposure["aggregate"],
                                                         "members": len(exposure["members"]),
                                                         "catalogue_version": exposure["catalogue_version"],
                                                         "status": exposure["status"]},
                    "incident_list": listed["items"], "marking": combine(used).as_dict(),
                    "notes": list(notes) + list(reference().notes)}


def report(store: StoreBase, viewer: Viewer | None, since: str, until: str, fmt: str = "pdf",
           banner: str | None = None, handling: str = "") -> Any:  # noqa: ANN401 (Rendered)
    """The periodic cyber threat report over ``[since, until]`` as ``viewer`` may see it, rendered (HTML or PDF)
    and banner-marked with the combined marking of everything it used."""
    from kompas.reports.cyber import build
    from kompas.services.reports import banner_for, render

    context = picture_view(store, viewer, since, until)
    try:
        linked = campaigns(store, viewer, since, until)
        context["campaigns"] = linked["candidates"]
        context["marking"] = combine([Marking.from_dict(context["marking"]), Marking.from_dict(linked["marking"])]
                                     ).as_dict()
    except StoreError as error:  # ATT&CK not at hand
        context["campaigns"], context["notes"] = None, [*context["notes"], f"candidate campaigns: {error}"]
    marking = Marking.from_dict(context["marking"])
    return render(build(context, banner_for(marking, banner), handling), fmt, f"cyber_{since}_{until}", marking)


# --- candidate campaigns ------------------------------------------------------------------------------------------

MAX_LINKED = 300  #: Most incidents one linking compares (pairwise: 44,850 pairs, about 1.5 s).


def campaigns(store: StoreBase, viewer: Viewer | None, since: str, until: str, threshold: float = 0.4,
              limit: int = MAX_LINKED) -> dict[str, Any]:
    """Candidate campaigns among the incidents ``viewer`` may see dated in ``[since, until]`` (the newest
    ``limit``, at most :data:`MAX_LINKED`): incidents of any member linked by shared techniques, software and
    infrastructure (their observables) when their similarity reaches ``threshold``
    (:func:`kompas.cyber.actors.link_incidents`), each with the ATT&CK groups its pooled evidence points to. An
    analyst's lead, never an attribution; marked with the combination of the incidents it links."""
    from kompas.cyber.actors import incident_evidence, link_incidents, rank_groups

    if not 0 < threshold <= 1:
        raise StoreError("threshold must be in (0, 1]")
    ref = reference()
    if ref.attack is None or ref.model is None:
        raise StoreError("; ".join(ref.notes) or "ATT&CK is not at hand")
    views = stored.incidents(store, viewer, max(1, min(limit, MAX_LINKED)), since=since, until=until)
    by_id = {v.id: v for v in views}
    evidence = {v.id: incident_evidence(ref.attack, v.fields.get("techniques", []),
                                        [*v.fields.get("malware", []), *v.fields.get("tools", [])],
                                        [o["value"] for o in v.fields.get("observables", [])]) for v in views}
    out = []
    for candidate in link_incidents(ref.model, evidence, threshold):
        members = [by_id[i] for i in candidate.incidents]
        pooled = incident_evidence(ref.attack, [t for m in members for t in m.fields.get("techniques", [])],
                                   [s for m in members for s in [*m.fields.get("malware", []),
                                                                 *m.fields.get("tools", [])]])
        leads = rank_groups(ref.model, pooled, 3).as_dict()["leads"] if (pooled.techniques or pooled.software) \
            else []
        out.append({"incidents": [{"id": m.id, "title": m.fields.get("title", ""), "date": m.fields.get("date"),
                                   "shared_by": m.org} for m in members],
                    "links": [{"a": link.a, "b": link.b, "score": link.score, "shared": list(link.shared)}
                              for link in candidate.links],
                    "shared": list(candidate.shared), "leads": leads, "label": candidate.label,
                    "marking": combine([m.shown for m in members]).as_dict()})
    marking = combine([v.shown for v in views]) if views else Marking.build("UNCLASSIFIED", "CLEAR")
    return {"since": since, "until": until, "threshold": threshold, "compared": len(views), "candidates": out,
            "marking": marking.as_dict()}
