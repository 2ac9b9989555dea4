"""MITRE ATT&CK Enterprise and ICS as one immutable index: groups, software, techniques, campaigns, mitigations and
the relationships between them, exactly as ATT&CK states them.

Source: ATT&CK v18.1, ``../shared/data/cyber/attack/{enterprise,ics}-attack-v18.1.stix21.json.gz`` (STIX 2.1
bundles derived from ``mitre/cti`` at commit 421deacb, see ``../shared/data/cyber/PROVENANCE.md``; (c) The MITRE
Corporation, ATT&CK licence in ``attack/LICENSE.txt``). Nothing of it is shipped with Kompas.

What is indexed (:data:`KINDS`), each object under its ATT&CK id (the ``external_id`` of its ``mitre-attack`` /
``mitre-ics-attack`` external reference):

- groups: ``intrusion-set`` (``G0034`` Sandworm Team), with ``aliases`` and description;
- software: ``malware`` and ``tool`` (``S0368`` NotPetya), aliases from ``x_mitre_aliases`` (and ``aliases``);
- techniques: ``attack-pattern`` (``T1566``, sub-technique ``T1566.001``, ICS ``T0855``), tactics from
  ``kill_chain_phases``;
- campaigns: ``campaign`` (``C0028``), with aliases and ``first_seen`` / ``last_seen``;
- mitigations: ``course-of-action`` (``M1053``, ICS ``M0801``).

Relationships kept (:data:`RELATIONSHIPS`): ``uses`` (group/campaign/software -> technique/software),
``attributed-to`` (campaign -> group), ``subtechnique-of`` (sub-technique -> technique), ``mitigates``
(mitigation -> technique). For ``uses``, the ``(Citation: ...)`` names of the relationship's description are kept
(:attr:`AttackIndex.citations`), so that a use documented only by a campaign's own reports can be told apart
(:func:`campaign_only_uses`).

**Revoked and deprecated objects are dropped** (``revoked: true`` or ``x_mitre_deprecated: true``, as MITRE flags
them), counted per STIX type in :attr:`AttackIndex.dropped`; relationships that are revoked, deprecated or touch
a dropped or unindexed object are counted in :attr:`AttackIndex.dropped_relationships`. In v18.1 that is
132 revoked + 12 deprecated techniques, 224 deprecated mitigations, 6 revoked + 9 deprecated groups and
2 revoked + 1 deprecated malware in Enterprise (ICS adds its own; the tests state the merged counts).

**Both domains in one index.** An object present in both bundles (the same STIX id: 12 of the 14 ICS groups, 17
malware, 5 campaigns in v18.1) is merged: one entry whose :attr:`Entry.domains` names both; relationships present
in both (same STIX id: 18 ``uses``, 4 ``attributed-to``) are counted once. Read from one bundle only
(``read_attack_index((path,))``), the index holds exactly what :func:`kompas.response.techniques.parse_attack`
holds for that domain (the tests compare them). An ATT&CK id claimed by two different STIX ids is rejected
(:class:`kompas.rejections.Rejection`, the first kept), as is an indexed object without ATT&CK id or name.

The bundles are decoded with :mod:`json` (the ``stix2`` library would add seconds for nothing used here).
Measured on this machine (2 cores, ``tests/cyber/test_attack.py`` asserts an upper bound): reading and indexing
both bundles takes 0.65-0.75 s, of which 0.35 s is ``json.loads`` of the 33.9 MB Enterprise bundle;
:func:`read_attack_index` caches the parsed index per set of paths (``functools.lru_cache``, in memory only; no
pickle is written anywhere).

The parser (:func:`parse_bundles`) is pure; :func:`read_attack_index` is the thin reader.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kompas.rejections import Rejection

__all__ = ["DOMAINS", "KINDS", "RELATIONSHIPS", "AttackIndex", "Bundle", "Entry", "Profile", "campaign_only_uses",
           "campaign_profile", "default_paths", "find", "group_profile", "parse_bundles", "read_attack_index",
           "resolve"]

DOMAINS = ("enterprise", "ics")  #: the ATT&CK domains read, in this order
#: STIX type -> the kind of ATT&CK object it is indexed as.
KINDS: Mapping[str, str] = MappingProxyType({
    "intrusion-set": "group", "malware": "software", "tool": "software", "attack-pattern": "technique",
    "campaign": "campaign", "course-of-action": "mitigation"})
RELATIONSHIPS = ("uses", "attributed-to", "subtechnique-of", "mitigates")  #: relationship types kept
SOFTWARE_TYPES = ("malware", "tool")
_CITATION = re.compile(r"\(Citation: ([^)]+)\)")


@dataclass(frozen=True, slots=True)
class Entry:
    """One active ATT&CK object."""

    id: str  #: ATT&CK id: ``G0034``, ``S0368``, ``T1566.001``, ``C0028``, ``M1053``
    stix_id: str  #: e.g. ``intrusion-set--381fcf73-...``
    type: str  #: STIX type, one of :data:`KINDS`
    name: str
    aliases: tuple[str, ...] = ()  #: ``aliases`` (groups, campaigns) and ``x_mitre_aliases`` (software), as listed
    domains: tuple[str, ...] = ()  #: the bundles that hold it, in :data:`DOMAINS` order
    tactics: tuple[str, ...] = ()  #: techniques: the ``kill_chain_phases`` phase names (``initial-access``)
    first_seen: str = ""  #: campaigns: ISO 8601 UTC as ATT&CK gives it ("" when absent)
    last_seen: str = ""
    references: frozenset[str] = field(default=frozenset(), repr=False, compare=False)  #: external reference names
    description: str = field(default="", repr=False, compare=False)

    @property
    def kind(self) -> str:
        """``group``, ``software``, ``technique``, ``campaign`` or ``mitigation``."""
        return KINDS[self.type]

    @property
    def parent(self) -> str:
        """A sub-technique's parent technique id (``T1566`` for ``T1566.001``); "" otherwise."""
        return self.id.split(".", 1)[0] if self.type == "attack-pattern" and "." in self.id else ""


class Bundle(NamedTuple):
    """One decoded STIX bundle and where it came from."""

    domain: str  #: one of :data:`DOMAINS`
    bundle: Mapping[str, Any]  #: the decoded JSON
    source: str = ""  #: file path, for rejections


def _frozen(mapping: Mapping[str, set[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({k: frozenset(v) for k, v in sorted(mapping.items())})


@dataclass(frozen=True, eq=False)
class AttackIndex:
    """ATT&CK, Enterprise and ICS merged, indexed by ATT&CK id. Every mapping is read-only and holds ATT&CK ids.

    The read-only attributes ``objects``, ``uses``, ``used_by``, ``attributed_to``, ``mitigates``,
    ``relationships`` and :meth:`of_type` have the meaning they have on
    :class:`kompas.response.techniques.AttackIndex`, so code written for that index reads this one. Compared and
    hashed by identity (one index per set of files, cached by the reader)."""

    sources: tuple[str, ...]  #: the files read
    objects: Mapping[str, Entry]  #: every active object by ATT&CK id
    uses: Mapping[str, frozenset[str]]  #: G/C/S -> the T/S it uses
    used_by: Mapping[str, frozenset[str]]  #: T/S -> the G/C/S using it
    attributed_to: Mapping[str, frozenset[str]]  #: C -> G
    subtechnique_of: Mapping[str, str]  #: sub-technique -> parent technique
    mitigates: Mapping[str, frozenset[str]]  #: M -> T
    citations: Mapping[tuple[str, str], frozenset[str]]  #: (user, used) of each ``uses`` -> its citation names
    relationships: Mapping[str, int]  #: kept relationships per type (each STIX relationship once)
    dropped: Mapping[str, int]  #: revoked or deprecated objects of the indexed types, per STIX type
    dropped_relationships: Mapping[str, int]  #: relationships of the kept types left out, per reason
    rejections: tuple[Rejection, ...] = ()
    by_stix: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    names: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    #: lower-case ATT&CK id, name or alias -> the ATT&CK ids carrying it (in id order)

    def of_type(self, *types: str) -> dict[str, Entry]:
        """The objects of these STIX types, by ATT&CK id."""
        return {k: o for k, o in self.objects.items() if o.type in types}

    @property
    def groups(self) -> dict[str, Entry]:
        return self.of_type("intrusion-set")

    @property
    def software(self) -> dict[str, Entry]:
        return self.of_type(*SOFTWARE_TYPES)

    @property
    def techniques(self) -> dict[str, Entry]:
        return self.of_type("attack-pattern")

    @property
    def campaigns(self) -> dict[str, Entry]:
        return self.of_type("campaign")

    @property
    def mitigations(self) -> dict[str, Entry]:
        return self.of_type("course-of-action")

    @property
    def campaigns_of(self) -> dict[str, frozenset[str]]:
        """G -> the campaigns ATT&CK attributes to it."""
        found: dict[str, set[str]] = defaultdict(set)
        for campaign, groups in self.attributed_to.items():
            for group in groups:
                found[group].add(campaign)
        return {k: frozenset(v) for k, v in sorted(found.items())}

    def subtechniques(self, technique_id: str) -> tuple[str, ...]:
        """The sub-techniques of a technique, sorted."""
        return tuple(sorted(k for k, v in self.subtechnique_of.items() if v == technique_id))


def _attack_id(obj: Mapping[str, Any]) -> str:
    for ref in obj.get("external_references") or []:
        if isinstance(ref, dict) and str(ref.get("source_name", "")).startswith("mitre") and ref.get("external_id"):
            return str(ref["external_id"])
    return ""


def _inactive(obj: Mapping[str, Any]) -> bool:
    return bool(obj.get("revoked")) or bool(obj.get("x_mitre_deprecated"))


def _entry(obj: Mapping[str, Any], aid: str, domain: str) -> Entry:
    aliases = dict.fromkeys(str(a) for a in (*(obj.get("aliases") or ()), *(obj.get("x_mitre_aliases") or ())))
    tactics = tuple(str(p.get("phase_name", "")) for p in obj.get("kill_chain_phases") or ()
                    if isinstance(p, dict) and p.get("phase_name"))
    references = frozenset(str(r.get("source_name")) for r in obj.get("external_references") or ()
                           if isinstance(r, dict) and r.get("source_name")
                           and not str(r.get("source_name")).startswith("mitre"))
    return Entry(aid, str(obj["id"]), str(obj["type"]), str(obj.get("name", "")).strip(),
                 tuple(str(a) for a in aliases), (domain,), tuple(dict.fromkeys(tactics)),
                 str(obj.get("first_seen") or ""), str(obj.get("last_seen") or ""), references,
                 str(obj.get("description") or ""))


def parse_bundles(bundles: Iterable[Bundle]) -> AttackIndex:
    """The merged index of ATT&CK STIX 2.1 bundles (decoded JSON), in the order given. Raises ``ValueError`` naming
    the source when a bundle has no list of objects or names an unknown domain. Objects of the indexed types
    without ATT&CK id or name, and an ATT&CK id met under a second STIX id, are rejected (``SOURCE: item N``, N the
    object's place in the bundle) and left out."""
    entries: dict[str, Entry] = {}  # by STIX id
    aid_stix: dict[str, str] = {}
    dropped_stix: dict[str, str] = {}  # STIX id -> type, inactive objects
    bad: list[Rejection] = []
    relations: dict[str, tuple[Mapping[str, Any], str]] = {}  # STIX id -> (relationship, source)
    sources: list[str] = []
    for domain, bundle, source in bundles:
        if domain not in DOMAINS:
            raise ValueError(f"{source}: ATT&CK domain {domain!r} is not one of {', '.join(DOMAINS)}")
        objects = bundle.get("objects") if isinstance(bundle, Mapping) else None
        if not isinstance(objects, list):
            raise ValueError(f"{source}: not a STIX bundle (no list of objects)")
        sources.append(source)
        for number, obj in enumerate(objects, 1):
            if not isinstance(obj, dict):
                bad.append(Rejection(source, number, "", "not an object", unit="item"))
                continue
            kind, sid = obj.get("type"), str(obj.get("id", ""))
            if kind == "relationship":
                if obj.get("relationship_type") in RELATIONSHIPS:
                    relations.setdefault(sid, (obj, source))
                continue
            if kind not in KINDS:
                continue
            if _inactive(obj):
                dropped_stix[sid] = str(kind)
                continue
            if sid in entries:  # the same object in a second domain
                old = entries[sid]
                entries[sid] = Entry(old.id, old.stix_id, old.type, old.name, old.aliases, (*old.domains, domain),
                                     old.tactics, old.first_seen, old.last_seen, old.references, old.description)
                continue
            aid = _attack_id(obj)
            if not aid:
                bad.append(Rejection(source, number, "external_references", f"{sid}: no ATT&CK id", unit="item"))
                continue
            if not str(obj.get("name", "")).strip():
                bad.append(Rejection(source, number, "name", f"{aid}: empty", unit="item"))
                continue
            if aid in aid_stix:
                bad.append(Rejection(source, number, "external_id", f"{aid} is already {aid_stix[aid]}; the first "
                                     f"kept, {sid} left out", unit="item"))
                continue
            aid_stix[aid] = sid
            entries[sid] = _entry(obj, aid, domain)
    by_stix = {sid: e.id for sid, e in entries.items()}
    uses: dict[str, set[str]] = defaultdict(set)
    used_by: dict[str, set[str]] = defaultdict(set)
    attributed: dict[str, set[str]] = defaultdict(set)
    mitigates: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, str] = {}
    citations: dict[tuple[str, str], set[str]] = defaultdict(set)
    kept: dict[str, int] = defaultdict(int)
    left: dict[str, int] = defaultdict(int)
    for rel, _source in relations.values():
        kind = str(rel["relationship_type"])
        a, b = by_stix.get(str(rel.get("source_ref"))), by_stix.get(str(rel.get("target_ref")))
        if _inactive(rel):
            left["revoked or deprecated relationship"] += 1
            continue
        if a is None or b is None:
            ends = (str(rel.get("source_ref")), str(rel.get("target_ref")))
            left["an end revoked or deprecated" if any(e in dropped_stix for e in ends) else
                 "an end not indexed"] += 1
            continue
        kept[kind] += 1
        if kind == "uses":
            uses[a].add(b)
            used_by[b].add(a)
            citations[(a, b)].update(_CITATION.findall(str(rel.get("description") or "")))
        elif kind == "attributed-to":
            attributed[a].add(b)
        elif kind == "mitigates":
            mitigates[a].add(b)
        else:
            parents[a] = b
    dropped: dict[str, int] = defaultdict(int)
    for kind in dropped_stix.values():
        dropped[kind] += 1
    objects = {e.id: e for e in sorted(entries.values(), key=lambda e: (e.type, e.id))}
    names: dict[str, list[str]] = defaultdict(list)
    for aid in sorted(objects):
        entry = objects[aid]
        for name in dict.fromkeys(n.strip().lower() for n in (aid, entry.name, *entry.aliases) if n.strip()):
            names[name].append(aid)
    return AttackIndex(
        tuple(sources), MappingProxyType(objects), _frozen(uses), _frozen(used_by), _frozen(attributed),
        MappingProxyType(dict(sorted(parents.items()))), _frozen(mitigates),
        MappingProxyType({k: frozenset(v) for k, v in sorted(citations.items())}),
        MappingProxyType(dict(sorted(kept.items()))), MappingProxyType(dict(sorted(dropped.items()))),
        MappingProxyType(dict(sorted(left.items()))), tuple(bad), MappingProxyType(by_stix),
        MappingProxyType({k: tuple(v) for k, v in names.items()}))


# --- look-ups --------------------------------------------------------------------------------------------------

def resolve(index: AttackIndex, text: str, types: Sequence[str] = ()) -> tuple[str, ...]:
    """Every ATT&CK id whose id, name or alias is ``text`` (any case, surrounding blanks ignored), in id order;
    ``types`` limits the STIX types (``("malware", "tool")`` for software). Several ids when ATT&CK reuses a name
    (rare); () when none."""
    found = index.names.get(text.strip().lower(), ())
    return tuple(k for k in found if not types or index.objects[k].type in types)


def find(index: AttackIndex, text: str, types: Sequence[str] = ()) -> str:
    """The first id :func:`resolve` gives, or ""."""
    found = resolve(index, text, types)
    return found[0] if found else ""


class Profile(NamedTuple):
    """What ATT&CK says an actor (group or campaign) uses, by channel. All ids are ATT&CK ids; the channels may
    overlap (a technique used directly and by the actor's software is in both)."""

    id: str
    techniques: frozenset[str]  #: techniques it uses itself (``uses`` -> attack-pattern)
    software: frozenset[str]  #: software it uses itself (``uses`` -> malware/tool)
    software_techniques: frozenset[str]  #: techniques its software uses (``uses`` of those software)
    campaigns: frozenset[str] = frozenset()  #: groups: the campaigns attributed to it (minus those excluded)
    campaign_techniques: frozenset[str] = frozenset()  #: techniques those campaigns use
    campaign_software: frozenset[str] = frozenset()  #: software those campaigns use

    @property
    def all_techniques(self) -> frozenset[str]:
        return self.techniques | self.software_techniques | self.campaign_techniques

    @property
    def all_software(self) -> frozenset[str]:
        return self.software | self.campaign_software


def _split(index: AttackIndex, used: Iterable[str]) -> tuple[set[str], set[str]]:
    techniques, software = set(), set()
    for target in used:
        kind = index.objects[target].type
        if kind == "attack-pattern":
            techniques.add(target)
        elif kind in SOFTWARE_TYPES:
            software.add(target)
    return techniques, software


def _software_techniques(index: AttackIndex, software: Iterable[str]) -> set[str]:
    return {t for s in software for t in index.uses.get(s, ()) if index.objects[t].type == "attack-pattern"}


def group_profile(index: AttackIndex, group_id: str, exclude_campaigns: Iterable[str] = (),
                  leave_out: Iterable[str] = ()) -> Profile:
    """A group's profile by ATT&CK's own ``uses``: its techniques and software; the techniques of that software;
    and the techniques and software of the campaigns ``attributed-to`` it, except ``exclude_campaigns``.
    ``leave_out`` removes techniques/software from the group's *own* uses (see :func:`campaign_only_uses`).
    Raises ``KeyError`` for an id that is not an active group."""
    if index.objects[group_id].type != "intrusion-set":
        raise KeyError(f"{group_id} is not an ATT&CK group")
    omitted = set(leave_out)
    techniques, software = _split(index, set(index.uses.get(group_id, ())) - omitted)
    excluded = set(exclude_campaigns)
    campaigns = {c for c, groups in index.attributed_to.items() if group_id in groups and c not in excluded}
    c_techniques, c_software = _split(index, {t for c in campaigns for t in index.uses.get(c, ())})
    return Profile(group_id, frozenset(techniques), frozenset(software),
                   frozenset(_software_techniques(index, software)), frozenset(campaigns),
                   frozenset(c_techniques | _software_techniques(index, c_software)), frozenset(c_software))


def campaign_profile(index: AttackIndex, campaign_id: str) -> Profile:
    """A campaign's profile: its techniques and software (``uses``) and the techniques of that software. Raises
    ``KeyError`` for an id that is not an active campaign."""
    if index.objects[campaign_id].type != "campaign":
        raise KeyError(f"{campaign_id} is not an ATT&CK campaign")
    techniques, software = _split(index, index.uses.get(campaign_id, ()))
    return Profile(campaign_id, frozenset(techniques), frozenset(software),
                   frozenset(_software_techniques(index, software)))


def campaign_only_uses(index: AttackIndex, campaign_id: str) -> dict[str, frozenset[str]]:
    """For each group a campaign is ``attributed-to``: the group's own ``uses`` that ATT&CK documents only through
    that campaign's reports. A group's use of X counts when the campaign uses X too and every citation of the
    group's ``uses`` relationship is among the campaign's sources (its external references and the citations of
    its own ``uses``). A use without citation is never counted. These are the uses ATT&CK copied from the campaign
    onto the group; leaving them out of the group's profile keeps a campaign from finding its group through its own
    reports (the leave-campaign-out evaluation of :mod:`kompas.cyber.actors`)."""
    campaign = index.objects[campaign_id]
    own = index.uses.get(campaign_id, frozenset())
    sources = set(campaign.references)
    for target in own:
        sources |= index.citations.get((campaign_id, target), frozenset())
    found = {}
    for group in sorted(index.attributed_to.get(campaign_id, ())):
        found[group] = frozenset(
            t for t in index.uses.get(group, ())
            if t in own and (cited := index.citations.get((group, t), frozenset())) and cited <= sources)
    return found


# --- reader ----------------------------------------------------------------------------------------------------

def default_paths() -> tuple[str, ...]:
    """The newest ``<domain>-attack-*.stix21.json[.gz]`` per domain in ``../shared/data/cyber/attack``. Raises
    ``OSError`` naming where it looked when the folder or a domain's bundle is absent (ATT&CK is read from
    ../shared only)."""
    from kompas.files import NoSuchPath
    from kompas.locate import fallback_note, shared_data

    folder = shared_data("cyber/attack")
    if folder is None:
        raise NoSuchPath(fallback_note("cyber/attack", "no ATT&CK to read (it is read from ../shared only)"),
                         "cyber/attack")
    found = []
    for domain in DOMAINS:
        files = sorted(folder.glob(f"{domain}-attack-*.stix21.json*"))
        if not files:
            raise NoSuchPath(f"{folder}: no {domain}-attack-*.stix21.json(.gz)", folder)
        found.append(str(files[-1]))
    return tuple(found)


def _domain_of(path: str) -> str:
    name = Path(path).name
    for domain in DOMAINS:
        if name.startswith(f"{domain}-attack"):
            return domain
    raise ValueError(f"{path}: cannot tell the ATT&CK domain (file name starts with none of "
                     f"{', '.join(d + '-attack' for d in DOMAINS)})")


@lru_cache(maxsize=4)
def read_attack_index(paths: tuple[str, ...] | None = None) -> AttackIndex:
    """The merged ATT&CK index of the bundles at ``paths`` (default :func:`default_paths`: Enterprise and ICS),
    each named ``<domain>-attack-*.stix21.json`` or ``.json.gz``. Read once per process and set of paths (an
    in-memory cache). Raises ``OSError`` naming a file that is missing, ``ValueError`` one that is not a bundle."""
    from kompas.files import read_bytes

    bundles = []
    for path in paths if paths is not None else default_paths():
        raw = read_bytes(path)
        text = gzip.decompress(raw) if path.endswith(".gz") else raw
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
        bundles.append(Bundle(_domain_of(path), decoded, path))
    return parse_bundles(bundles)
