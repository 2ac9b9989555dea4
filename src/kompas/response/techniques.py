"""Technique -> countermeasure lookups for the frameworks Kompas names techniques in: SPARTA (space), MITRE ATT&CK
Enterprise and ICS (cyber) and DISARM (FIMI), each reduced to one :class:`Catalogue` (technique names,
countermeasures, and which techniques each countermeasure counters, as the framework itself says), plus ATT&CK's
``uses`` graph (which groups use a piece of software or a technique).

Sources, all read from ``../shared`` (:mod:`kompas.locate`), none shipped:

- **ATT&CK** v18.1, ``../shared/data/cyber/attack/{enterprise,ics}-attack-v18.1.stix21.json.gz`` (STIX 2.1 bundles,
  (c) MITRE, see ``attack/LICENSE.txt``). A countermeasure is a ``course-of-action`` (``M1053`` Data Backup); it
  counters a technique when a ``relationship`` of type ``mitigates`` joins them. ``uses`` relationships join groups
  (``intrusion-set``, ``G0034`` Sandworm Team), campaigns and software (``malware``/``tool``, ``S1125`` AcidRain) to
  what they use; ``attributed-to`` joins a campaign to a group. Revoked and deprecated objects, and relationships
  touching them, are left out (ATT&CK keeps them flagged). The bundle is read with :mod:`json`, not the ``stix2``
  library: on this data ``json`` takes 0.4 s and ``stix2.parse`` 5.7 s more, for nothing used here. Reading and
  indexing the Enterprise bundle (33.9 MB of JSON) takes 0.4 s (2 cores) and about 185 MB of memory while the
  JSON is decoded; the index kept afterwards is 6.3 MB (tracemalloc), the decoded JSON is dropped. ICS: 0.02 s.
- **SPARTA** (The Aerospace Corporation), as packaged in the MISP galaxy, ``../shared/data/space-threats/sparta/
  sparta-techniques.json`` and ``sparta-mitigations.json``. The galaxy links entries through ``related`` items
  (``{"dest-uuid", "type"}``); :func:`parse_sparta` reads links of the types in :data:`SPARTA_LINK_TYPES`. **The
  galaxy version in ../shared has no ``related`` items at all** (checked by the tests), so SPARTA's own
  technique -> countermeasure mapping is not available and :func:`countermeasures` returns nothing for SPARTA.
  What the galaxy does say: each technique cites SPARTA's related-work threats (``SV-AV-1`` ...), each threat cites
  NIST SP 800-53 controls, and each countermeasure (``CM0048`` ...) cites NIST SP 800-53 controls.
  :func:`sparta_controls` gives a technique's controls through its threats, and
  :func:`countermeasures_by_shared_controls` the countermeasures citing the same controls: a *derived* list, not
  SPARTA's mapping, and a weak one (for EX-0016.03 PNT Jamming it does not reach CM0048 Resilient PNT at all).
- **DISARM**: the blue framework's countermeasures and the red techniques each names, from
  :mod:`kompas.fimi.disarm` (reused, not re-read here): :func:`disarm_catalogue`.

The engine functions take parsed data; the readers (:func:`read_attack`, :func:`read_sparta`,
:func:`load_catalogue`) are thin adapters over :mod:`kompas.files` and load each file once per process.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.fimi import disarm

__all__ = ["ATTACK_DOMAINS", "FRAMEWORKS", "SPARTA_LINK_TYPES", "ActorUse", "AttackIndex", "AttackObject",
           "Catalogue", "ControlCover", "Countermeasure", "Cover", "Sparta", "SpartaEntry", "actors_using",
           "attack_catalogue", "attack_groups_for_software", "countermeasures",
           "countermeasures_by_shared_controls", "disarm_catalogue", "find_attack", "load_catalogue",
           "parse_attack", "parse_sparta", "read_attack", "read_sparta", "software_techniques", "sparta_catalogue",
           "sparta_controls", "technique_name"]

#: The frameworks :func:`load_catalogue` knows.
FRAMEWORKS = ("sparta", "attack-enterprise", "attack-ics", "disarm")
ATTACK_DOMAINS = ("enterprise", "ics")
#: MISP galaxy ``related`` types read as a countermeasure link: on a countermeasure entry pointing at a technique
#: (``mitigates``, ``counters``), or on a technique pointing at a countermeasure (``mitigated-by``,
#: ``countered-by``).
SPARTA_LINK_TYPES = {"mitigates": "forward", "counters": "forward", "mitigated-by": "reverse",
                     "countered-by": "reverse"}
_ATTACK_TYPES = {"attack-pattern", "course-of-action", "intrusion-set", "malware", "tool", "campaign"}
_CONTROL_REF = re.compile(r"/countermeasures/references/([A-Z]{2}-\d+)(?:/(\d+))?/?$")
_THREAT_REF = re.compile(r"/related-work/threats/(SV-[A-Z]{2}-\d+)/?$")


@dataclass(frozen=True)
class Countermeasure:
    """A countermeasure (ATT&CK mitigation, SPARTA countermeasure, DISARM blue countermeasure)."""

    framework: str  #: one of :data:`FRAMEWORKS`
    id: str  #: e.g. ``M1053``, ``CM0048``, ``C00008``
    name: str
    description: str = field(default="", repr=False, compare=False)


class Cover(NamedTuple):
    """A countermeasure and the techniques of the query it counters (in the order asked)."""

    countermeasure: Countermeasure
    techniques: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """One framework's techniques and countermeasures, and the links the framework itself states."""

    framework: str  #: one of :data:`FRAMEWORKS`
    techniques: Mapping[str, str]  #: technique id -> name
    countermeasures: Mapping[str, Countermeasure]  #: countermeasure id -> countermeasure
    counters: Mapping[str, frozenset[str]]  #: countermeasure id -> the technique ids it counters
    basis: str  #: where the links come from, in words (shown with every result)
    source: str = ""  #: the file(s) read


def countermeasures(catalogue: Catalogue, technique_ids: Iterable[str]) -> list[Cover]:
    """The countermeasures of ``catalogue`` that counter any of ``technique_ids``, those covering the most first
    (then by id). A countermeasure counters a technique when the framework links it to the technique or, for a
    sub-technique (``T1561.001``, ``EX-0016.03``, ``T0049.001``), to its parent: the rule of
    :meth:`kompas.fimi.disarm.Framework.counters`. An empty list when the framework states no link (SPARTA as
    packaged in ../shared)."""
    wanted = list(dict.fromkeys(t.strip() for t in technique_ids if t and t.strip()))
    found = []
    for cid, targets in catalogue.counters.items():
        covered = tuple(t for t in wanted if t in targets or t.split(".")[0] in targets)
        if covered:
            found.append(Cover(catalogue.countermeasures[cid], covered))
    return sorted(found, key=lambda c: (-len(c.techniques), c.countermeasure.id))


def technique_name(catalogue: Catalogue, technique_id: str) -> str:
    """The name of a technique in ``catalogue`` ("" when unknown)."""
    return catalogue.techniques.get(technique_id.strip(), "")


# --- ATT&CK ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttackObject:
    """An active ATT&CK object with its ATT&CK id (``T1485``, ``M1053``, ``G0034``, ``S1125``, ``C0034``)."""

    id: str
    name: str
    type: str  #: the STIX type: attack-pattern, course-of-action, intrusion-set, malware, tool, campaign
    aliases: tuple[str, ...] = ()
    description: str = field(default="", repr=False, compare=False)


@dataclass
class AttackIndex:
    """One ATT&CK domain, indexed by ATT&CK id. Relationship maps hold ATT&CK ids on both sides."""

    domain: str  #: "enterprise" or "ics"
    source: str
    objects: dict[str, AttackObject] = field(default_factory=dict)
    mitigates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  #: M -> T
    uses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  #: G/C/S -> S/T
    used_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  #: S/T -> G/C/S
    attributed_to: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  #: C -> G
    relationships: dict[str, int] = field(default_factory=dict)  #: kept relationships per type
    skipped: int = 0  #: relationships left out (revoked or deprecated, or an end not active)

    def of_type(self, *types: str) -> dict[str, AttackObject]:
        """The objects of these STIX types, by ATT&CK id."""
        return {k: o for k, o in self.objects.items() if o.type in types}


def _attack_id(obj: Mapping[str, Any]) -> str:
    for ref in obj.get("external_references") or []:
        if isinstance(ref, dict) and str(ref.get("source_name", "")).startswith("mitre") and ref.get("external_id"):
            return str(ref["external_id"])
    return ""


def _active(obj: Mapping[str, Any]) -> bool:
    return not obj.get("revoked") and not obj.get("x_mitre_deprecated")


def parse_attack(bundle: Mapping[str, Any], domain: str, source: str = "") -> AttackIndex:
    """The index of an ATT&CK STIX 2.1 bundle (already decoded JSON). Raises ``ValueError`` naming ``source`` when
    it is not a bundle of objects."""
    objects = bundle.get("objects") if isinstance(bundle, Mapping) else None
    if not isinstance(objects, list):
        raise ValueError(f"{source}: not a STIX bundle (no list of objects)")
    index = AttackIndex(domain, source)
    by_stix: dict[str, str] = {}
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("type") not in _ATTACK_TYPES or not _active(obj):
            continue
        aid = _attack_id(obj)
        if aid:
            by_stix[str(obj.get("id"))] = aid
            aliases = obj.get("aliases") or obj.get("x_mitre_aliases") or ()
            index.objects[aid] = AttackObject(aid, str(obj.get("name", "")), str(obj["type"]),
                                              tuple(str(a) for a in aliases), str(obj.get("description", "")))
    kept: dict[str, int] = defaultdict(int)
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("type") != "relationship":
            continue
        kind = obj.get("relationship_type")
        if kind not in ("mitigates", "uses", "attributed-to"):
            continue
        source_id, target_id = by_stix.get(str(obj.get("source_ref"))), by_stix.get(str(obj.get("target_ref")))
        if not _active(obj) or not source_id or not target_id:
            index.skipped += 1
            continue
        kept[str(kind)] += 1
        if kind == "mitigates":
            index.mitigates[source_id].add(target_id)
        elif kind == "uses":
            index.uses[source_id].add(target_id)
            index.used_by[target_id].add(source_id)
        else:
            index.attributed_to[source_id].add(target_id)
    index.relationships = dict(kept)
    return index


def attack_catalogue(index: AttackIndex) -> Catalogue:
    """The ATT&CK domain as a :class:`Catalogue`: its techniques, its mitigations and their ``mitigates``
    relationships."""
    framework = f"attack-{index.domain}"
    mitigations = {k: Countermeasure(framework, k, o.name, o.description)
                   for k, o in index.of_type("course-of-action").items()}
    return Catalogue(framework, {k: o.name for k, o in index.of_type("attack-pattern").items()}, mitigations,
                     {k: frozenset(v) for k, v in index.mitigates.items() if k in mitigations},
                     f"ATT&CK {index.domain} 'mitigates' relationships", index.source)


class ActorUse(NamedTuple):
    """A group that uses something, and how ATT&CK says so."""

    group: str  #: ATT&CK group id, e.g. ``G0034``
    name: str  #: e.g. ``Sandworm Team``
    via: str  #: ``uses`` (the group's own relationship), ``campaign C0034``, or ``software S0368``


def find_attack(index: AttackIndex, text: str, types: Sequence[str] = ()) -> str:
    """The ATT&CK id of an object given its id, name or one of its aliases (any case); "" when none matches.
    ``types`` limits the STIX types searched."""
    wanted = text.strip().lower()
    for aid in _names(index).get(wanted, ()):
        if not types or index.objects[aid].type in types:
            return aid
    return ""


_NAME_INDEX: dict[int, dict[str, tuple[str, ...]]] = {}


def _names(index: AttackIndex) -> dict[str, tuple[str, ...]]:
    """Lower-case id, name and aliases -> ATT&CK ids, in the index's order; built once per index (a dictionary
    lookup instead of a scan of every object per name)."""
    key = id(index)
    if key not in _NAME_INDEX:
        found: dict[str, list[str]] = {}
        for aid, obj in index.objects.items():
            for name in dict.fromkeys((aid.lower(), obj.name.lower(), *(a.lower() for a in obj.aliases))):
                found.setdefault(name, []).append(aid)
        _NAME_INDEX[key] = {k: tuple(v) for k, v in found.items()}
    return _NAME_INDEX[key]


def actors_using(index: AttackIndex, software_or_technique: str, via_software: bool = False) -> list[ActorUse]:
    """The groups that use a piece of software (``S1125``) or a technique (``T1561.001``), by ATT&CK's own
    relationships: a group's ``uses``; a campaign's ``uses`` with the campaign ``attributed-to`` the group; with
    ``via_software``, also groups using software that uses it. Sorted by group id; each group once, with its most
    direct path (own use, then campaign, then software). Never an attribution of an incident: only who ATT&CK says
    uses this."""
    target = software_or_technique.strip()
    found: dict[str, str] = {}
    users = index.used_by.get(target, set())
    for user in sorted(users):
        kind = index.objects[user].type
        if kind == "intrusion-set":
            found[user] = "uses"
    for user in sorted(users):
        if index.objects[user].type == "campaign":
            for group in sorted(index.attributed_to.get(user, ())):
                found.setdefault(group, f"campaign {user}")
    if via_software:
        for user in sorted(users):
            if index.objects[user].type in ("malware", "tool"):
                for actor in actors_using(index, user):
                    found.setdefault(actor.group, f"software {user}")
    return [ActorUse(g, index.objects[g].name, found[g]) for g in sorted(found)]


def attack_groups_for_software(index: AttackIndex, software_id: str) -> list[str]:
    """The ids of the groups ATT&CK says use this software (``S1125`` AcidRain -> ``["G0034"]``)."""
    return [a.group for a in actors_using(index, software_id)]


def software_techniques(index: AttackIndex, software_id: str) -> tuple[str, ...]:
    """The techniques a piece of software uses (ATT&CK ``uses``), sorted."""
    return tuple(sorted(t for t in index.uses.get(software_id.strip(), ())
                        if index.objects[t].type == "attack-pattern"))


# --- SPARTA ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpartaEntry:
    """A SPARTA technique, sub-technique or related-work threat (``SV-*``)."""

    id: str
    name: str
    kind: str  #: "technique", "sub-technique" or "threat"
    tactics: tuple[str, ...] = ()  #: e.g. ("execution",) from ``sparta:execution``
    threats: tuple[str, ...] = ()  #: the SV-* threats a technique cites
    controls: tuple[str, ...] = ()  #: NIST SP 800-53 controls a threat cites, e.g. "AC-3(11)"
    uuid: str = ""


@dataclass(frozen=True)
class Sparta:
    """SPARTA as the MISP galaxy packages it."""

    entries: Mapping[str, SpartaEntry]  #: techniques, sub-techniques and threats by id
    countermeasures: Mapping[str, Countermeasure]  #: CM-NA, CM0001..., D3-* by id
    countermeasure_controls: Mapping[str, frozenset[str]]  #: NIST SP 800-53 controls each countermeasure cites
    links: Mapping[str, frozenset[str]]  #: countermeasure id -> technique ids, from the galaxy's ``related`` items
    version: str = ""  #: the galaxy's ``version`` numbers, techniques/mitigations


def _control(ref: str) -> str | None:
    match = _CONTROL_REF.search(ref)
    if not match:
        return None
    return f"{match[1]}({match[2]})" if match[2] else match[1]


def _galaxy_values(text: str, source: str) -> tuple[list[Any], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source}: not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise ValueError(f"{source}: not a MISP galaxy cluster file (no list 'values')")
    return data["values"], str(data.get("version", ""))


def _entry_fields(raw: Any, number: int, source: str, seen: set[str],  # noqa: ANN401 (a JSON value)
                  bad: list[Rejection]) -> tuple[str, str, dict] | None:
    if not isinstance(raw, dict):
        bad.append(Rejection(source, number, "", "not an object", unit="item"))
        return None
    meta = raw["meta"] if isinstance(raw.get("meta"), dict) else {}
    eid = str(meta.get("external_id") or "").strip()
    if not eid:
        bad.append(Rejection(source, number, "meta.external_id", "missing", unit="item"))
        return None
    if not str(raw.get("value") or "").strip():
        bad.append(Rejection(source, number, "value", f"{eid}: no name", unit="item"))
        return None
    if eid in seen:
        bad.append(Rejection(source, number, "meta.external_id", f"{eid} appears twice; the first kept", unit="item"))
        return None
    seen.add(eid)
    return eid, str(raw["value"]).strip(), meta


def parse_sparta(techniques_text: str, mitigations_text: str, techniques_source: str = "sparta-techniques.json",
                 mitigations_source: str = "sparta-mitigations.json") -> tuple[Sparta, list[Rejection]]:
    """SPARTA from the text of the galaxy's technique and mitigation cluster files. Entries without an id or a
    name, or with an id seen before, are rejected (``SOURCE: item N: field: reason``) and the others kept; raises
    ``ValueError`` naming the file when it is not a galaxy cluster file."""
    bad: list[Rejection] = []
    entries: dict[str, SpartaEntry] = {}
    uuids: dict[str, str] = {}
    related: list[tuple[str, str, str]] = []  # (entry id, link type, dest uuid)
    values, tech_version = _galaxy_values(techniques_text, techniques_source)
    seen: set[str] = set()
    for number, raw in enumerate(values, 1):
        got = _entry_fields(raw, number, techniques_source, seen, bad)
        if got is None:
            continue
        eid, name, meta = got
        refs = [str(r) for r in meta.get("refs") or []]
        kind = "threat" if eid.startswith("SV-") else "sub-technique" if "." in eid else "technique"
        tactics = tuple(str(k).split(":", 1)[-1] for k in meta.get("kill_chain") or [])
        threats = tuple(dict.fromkeys(m[1] for r in refs if (m := _THREAT_REF.search(r)) and m[1] != eid))
        controls = tuple(dict.fromkeys(c for r in refs if (c := _control(r)))) if kind == "threat" else ()
        entries[eid] = SpartaEntry(eid, name, kind, tactics, threats, controls, str(raw.get("uuid", "")))
        uuids[str(raw.get("uuid", ""))] = eid
        related += [(eid, str(r.get("type", "")), str(r.get("dest-uuid", "")))
                    for r in raw.get("related") or [] if isinstance(r, dict)]
    measures: dict[str, Countermeasure] = {}
    measure_controls: dict[str, frozenset[str]] = {}
    values, cm_version = _galaxy_values(mitigations_text, mitigations_source)
    seen = set()
    for number, raw in enumerate(values, 1):
        got = _entry_fields(raw, number, mitigations_source, seen, bad)
        if got is None:
            continue
        eid, name, meta = got
        measures[eid] = Countermeasure("sparta", eid, name, str(raw.get("description", "")).strip())
        measure_controls[eid] = frozenset(c for r in meta.get("refs") or [] if (c := _control(str(r))))
        uuids[str(raw.get("uuid", ""))] = eid
        related += [(eid, str(r.get("type", "")), str(r.get("dest-uuid", "")))
                    for r in raw.get("related") or [] if isinstance(r, dict)]
    links: dict[str, set[str]] = defaultdict(set)
    for eid, kind, dest in related:
        other = uuids.get(dest)
        direction = SPARTA_LINK_TYPES.get(kind)
        if other is None or direction is None:
            continue
        measure, technique = (eid, other) if direction == "forward" else (other, eid)
        if measure in measures and technique in entries:
            links[measure].add(technique)
    return Sparta(entries, measures, measure_controls, {k: frozenset(v) for k, v in links.items()},
                  f"{tech_version}/{cm_version}"), bad


def sparta_catalogue(sparta: Sparta) -> Catalogue:
    """SPARTA as a :class:`Catalogue`: its techniques and sub-techniques (the SV-* threats are not techniques),
    its countermeasures, and the links the galaxy states (none in the version in ../shared)."""
    techniques = {k: e.name for k, e in sparta.entries.items() if e.kind != "threat"}
    basis = ("SPARTA countermeasure links in the MISP galaxy ('related' items)" if sparta.links else
             "none: the MISP galaxy's SPARTA clusters carry no technique-countermeasure links")
    return Catalogue("sparta", techniques, sparta.countermeasures, sparta.links, basis)


def sparta_controls(sparta: Sparta, technique_id: str) -> dict[str, tuple[str, ...]]:
    """The NIST SP 800-53 controls SPARTA lists for a technique, per related-work threat the technique cites
    (``EX-0016.03`` -> ``{"SV-AV-1": (...), "SV-AV-5": (...)}``); ``{}`` for an unknown technique."""
    entry = sparta.entries.get(technique_id.strip())
    if entry is None:
        return {}
    return {t: sparta.entries[t].controls for t in entry.threats if t in sparta.entries}


class ControlCover(NamedTuple):
    """A SPARTA countermeasure sharing NIST SP 800-53 controls with the threats of the techniques asked."""

    countermeasure: Countermeasure
    techniques: tuple[str, ...]  #: the techniques asked whose threats share a control with it
    controls: tuple[str, ...]  #: the shared controls, sorted
    weight: float  #: sum over the shared controls of ln(N / n_c): N countermeasures citing a control, n_c this one


def countermeasures_by_shared_controls(sparta: Sparta, technique_ids: Iterable[str]) -> list[ControlCover]:
    """SPARTA countermeasures (``CM*``) that cite a NIST SP 800-53 control which SPARTA also lists for a
    related-work threat of one of ``technique_ids``, heaviest first. Each shared control weighs ln(N / n_c), so a
    control few countermeasures cite counts more than one most cite. **Derived by Kompas, not SPARTA's mapping**,
    and weak: broad countermeasures citing many controls (CM0005 Ground-based Countermeasures) come first for
    almost any technique. Use it only as a pointer into SPARTA, never as SPARTA's word."""
    wanted = list(dict.fromkeys(t.strip() for t in technique_ids if t and t.strip()))
    per_technique = {t: {c for cs in sparta_controls(sparta, t).values() for c in cs} for t in wanted}
    cited = {k: v for k, v in sparta.countermeasure_controls.items() if k.startswith("CM") and v}
    counts: dict[str, int] = defaultdict(int)
    for controls in cited.values():
        for control in controls:
            counts[control] += 1
    found = []
    for cid, controls in cited.items():
        shared = set().union(*(controls & c for c in per_technique.values())) if per_technique else set()
        if shared:
            weight = sum(math.log(len(cited) / counts[c]) for c in shared)
            found.append(ControlCover(sparta.countermeasures[cid],
                                      tuple(t for t in wanted if controls & per_technique[t]),
                                      tuple(sorted(shared)), round(weight, 6)))
    return sorted(found, key=lambda c: (-c.weight, c.countermeasure.id))


# --- DISARM ----------------------------------------------------------------------------------------------------

def disarm_catalogue(framework: disarm.Framework,
                     exclude: Callable[[disarm.Countermeasure], bool] | None = None) -> Catalogue:
    """DISARM's blue framework as a :class:`Catalogue` (the techniques each countermeasure names in DISARM's own
    ``techniques`` column), leaving out the countermeasures ``exclude`` picks (the loader passes
    :func:`kompas.fimi.response.not_recommended`: DISARM's "not recommended" ones are never proposed)."""
    measures = {k: c for k, c in framework.countermeasures.items() if exclude is None or not exclude(c)}
    return Catalogue("disarm", {k: t.name for k, t in framework.techniques.items()},
                     {k: Countermeasure("disarm", k, c.name, c.summary) for k, c in measures.items()},
                     {k: frozenset(c.techniques) for k, c in measures.items() if c.techniques},
                     "DISARM blue framework: the techniques each countermeasure names")


# --- readers ---------------------------------------------------------------------------------------------------

def _shared(sub: str) -> Path:
    from kompas.files import NoSuchPath
    from kompas.locate import fallback_note, shared_data

    found = shared_data(sub)
    if found is None:
        raise NoSuchPath(fallback_note(sub, "no data to read (it is read from ../shared only)"), sub)
    return found


@lru_cache(maxsize=4)
def read_attack(domain: str = "enterprise", path: str | None = None) -> AttackIndex:
    """The ATT&CK index of ``domain`` from ``path`` (default: the newest ``<domain>-attack-*.stix21.json[.gz]`` in
    ``../shared/data/cyber/attack``), read once per process. Raises ``OSError`` naming what is missing."""
    from kompas.files import NoSuchPath, read_bytes

    if domain not in ATTACK_DOMAINS:
        raise ValueError(f"ATT&CK domain {domain!r} is not one of {', '.join(ATTACK_DOMAINS)}")
    if path is None:
        folder = _shared("cyber/attack")
        files = sorted(folder.glob(f"{domain}-attack-*.stix21.json*"))
        if not files:
            raise NoSuchPath(f"{folder}: no {domain}-attack-*.stix21.json(.gz)", folder)
        path = str(files[-1])
    raw = read_bytes(path)
    text = gzip.decompress(raw) if path.endswith(".gz") else raw
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
    return parse_attack(bundle, domain, path)


@lru_cache(maxsize=2)
def read_sparta(folder: str | None = None) -> tuple[Sparta, tuple[Rejection, ...]]:
    """SPARTA from ``folder`` (default ``../shared/data/space-threats/sparta``), read once per process, with the
    entries rejected. Raises ``OSError`` naming what is missing, ``ValueError`` a file that is not a galaxy."""
    from kompas.files import read_text

    where = Path(folder) if folder else _shared("space-threats/sparta")
    techniques, mitigations = where / "sparta-techniques.json", where / "sparta-mitigations.json"
    sparta, bad = parse_sparta(read_text(techniques), read_text(mitigations), str(techniques), str(mitigations))
    return sparta, tuple(bad)


@lru_cache(maxsize=4)
def load_catalogue(framework: str) -> Catalogue:
    """The :class:`Catalogue` of one of :data:`FRAMEWORKS` from ../shared (read once per process). Raises
    ``ValueError`` for an unknown framework, ``OSError`` when its data is absent."""
    if framework == "sparta":
        return sparta_catalogue(read_sparta()[0])
    if framework.startswith("attack-") and framework[7:] in ATTACK_DOMAINS:
        return attack_catalogue(read_attack(framework[7:]))
    if framework == "disarm":
        from kompas.fimi.load import load_framework
        from kompas.fimi.response import not_recommended

        return disarm_catalogue(load_framework(_shared("fimi/disarm")), not_recommended)
    raise ValueError(f"framework {framework!r} is not one of {', '.join(FRAMEWORKS)}")
