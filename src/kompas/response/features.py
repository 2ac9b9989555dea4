"""From a platform event (the common envelope, :mod:`kompas.core.envelope`) to the features the response ranking
reads (:mod:`kompas.response.rank`): domain, type, kinds, severity, confidence, the EU and member-state assets and
services affected, the techniques per framework, and the attribution state.

Every feature comes from an explicit, documented rule over the envelope's own fields; :attr:`IncidentFeatures.
derived` says, sentence by sentence, where each came from. Nothing is guessed from free text (the title is never
read), and **the attribution state is never computed from the incident**: it is the
:class:`~kompas.response.attribution.Coordination` the caller passes in (the member states' recorded attributions
the reader may see). A threat actor named in the envelope's actors, title or payload (FIMI incidents carry the
source's ``attribution``) is not read at all.

Rules, by domain:

- **space** (the event types of :data:`kompas.space.events.TYPES`): kinds by :data:`SPACE_KINDS`; a proximity
  between objects of one operator (``evidence.relation``) adds ``same-operator``, one after the other object
  manoeuvred adds ``manoeuvred-approach``. A fragmentation is a ``debris-event``; it is a ``destructive-asat`` only
  when the envelope records a cause of :data:`FRAGMENTATION_CAUSES` that says so (``evidence.cause``, or
  ``payload.cause`` recorded by an analyst from a public fact; the fragmentation engine itself cannot know the cause
  of a break-up). SPARTA techniques by :data:`SPACE_TECHNIQUES` and the cause. Assets: the protected assets
  (``kompas/data/assets.yaml``, :func:`kompas.files.load_assets`) among the event's space objects, their owners
  (the Union, ``EU``, or member states by ISO code) and the services of their programmes (:data:`SERVICES`).
- **cyber** (and every other domain): kinds by :data:`DOMAIN_TYPE_KINDS` (``cyber``/``incident`` is a
  ``cyber-attack``); ``cyber-attack-space-segment`` when the target is part of a space system
  (:data:`SPACE_SEGMENT_ACTORS`, NORAD ids in the place, or a ``satellite-communications``/``space`` sector);
  ``critical-infrastructure`` when ``payload.sectors`` names a sector of the CER Directive (:data:`CER_SECTORS`);
  kinds of the ATT&CK techniques (:data:`TECHNIQUE_KINDS`, e.g. T1485 Data Destruction -> ``wiper``).
  Techniques from ``payload.techniques`` (ATT&CK Enterprise ``T1xxx``, ICS ``T08xx``; or a mapping framework ->
  ids), software from ``payload.software`` (ATT&CK ids ``S1125`` or names); given an ATT&CK index, a name is
  resolved, the software's own techniques (ATT&CK ``uses``) are added, and the groups ATT&CK says use the software
  are listed as ``software_users``: what ATT&CK says, **not** an attribution of this incident.
- **fimi** (incidents and surges, :func:`kompas.core.envelope.from_fimi_incident` / ``from_fimi_surge``):
  ``information-manipulation`` (a surge also ``fimi-surge``), DISARM techniques from ``payload.techniques``.
- every domain: ``payload.kinds`` (tags recorded by the source, kebab-case) are added as given; the member states
  concerned come from ``place.countries`` and the actors with role target, victim or asset and kind ``country``
  (space: from the affected assets only, since a space event's countries are its objects' owners); services from
  ``payload.services`` and ``payload.sectors``.

:func:`features` is pure apart from its default asset table (``assets=None`` reads the shipped
``kompas/data/assets.yaml`` once per process, :func:`shipped_assets`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompas.core.envelope import SEVERITIES, Envelope
from kompas.response.attribution import Coordination
from kompas.response.precedents import DOMAINS as PRECEDENT_DOMAINS
from kompas.response.precedents import IncidentFeatures as PrecedentQuery

if TYPE_CHECKING:
    from kompas.response.techniques import AttackIndex
    from kompas.space.proximity import Asset

__all__ = ["CER_SECTORS", "DOMAIN_TYPE_KINDS", "EU_MEMBER_STATES", "FRAGMENTATION_CAUSES", "KIND_DOMAINS",
           "PRECEDENT_KINDS", "SERVICES", "SPACE_KINDS", "SPACE_SEGMENT_ACTORS", "SPACE_TECHNIQUES",
           "TECHNIQUE_KINDS", "FINDING_FIELDS", "AffectedAsset", "IncidentFeatures", "attribution_state", "features",
           "member_state", "shipped_assets", "with_findings"]

#: Space event type (:data:`kompas.space.events.TYPES`) -> kinds.
SPACE_KINDS: dict[str, tuple[str, ...]] = {
    "manoeuvre": ("manoeuvre",),
    "proximity": ("rpo",),  # rendezvous and proximity operations near a protected asset
    "fragmentation": ("debris-event",),
    "reentry": ("reentry",),
    "geo_drift": ("geo-drift",),
    "geo_relocation": ("geo-relocation",),
}
#: Space event type -> SPARTA techniques the type itself is (SPARTA's own names): a proximity to a protected asset
#: is REC-0005.03 "Proximity Operations" (reconnaissance) and IA-0005 "Rendezvous & Proximity Operations" (initial
#: access). The other types are no technique by themselves (a manoeuvre, a re-entry, a drift are routine).
SPACE_TECHNIQUES: dict[str, tuple[str, ...]] = {"proximity": ("REC-0005.03", "IA-0005")}
#: A fragmentation's recorded cause -> (kinds added to ``debris-event``, SPARTA techniques). Only the two ASAT
#: causes make a ``destructive-asat``: a kinetic attack on a satellite (SPARTA EX-0017 "Kinetic Physical Attack":
#: EX-0017.01 "Direct Ascent ASAT", EX-0017.02 "Co-Orbital ASAT"), whose impact is IMP-0005 "Destruction". A
#: collision is kinetic but no attack; an explosion (propulsion, batteries) neither.
FRAGMENTATION_CAUSES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "direct-ascent-asat": (("destructive-asat",), ("EX-0017.01", "IMP-0005")),
    "co-orbital-asat": (("destructive-asat",), ("EX-0017.02", "IMP-0005")),
    "collision": (("collision",), ()),
    "explosion": ((), ()),
    "unknown": ((), ()),
}
#: (domain, type) -> kinds, for the domains other than space; other pairs get the tag ``<domain>-<type>``.
DOMAIN_TYPE_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cyber", "incident"): ("cyber-attack",),
    ("cyber", "attack"): ("cyber-attack",),
    ("fimi", "incident"): ("information-manipulation",),
    ("fimi", "surge"): ("information-manipulation", "fimi-surge"),
}
#: Actor kinds that are part of a space system: a cyber incident on one is an attack on the space segment (the
#: space conclusions name the cyber-attack on Viasat's "telecommunicatie-infrastructuur in de ruimte", 004
#: l.138-140).
SPACE_SEGMENT_ACTORS = ("space-object", "satellite-network", "satellite-operator", "ground-station",
                        "space-segment")
#: Sectors whose naming in ``payload.sectors`` makes the incident one on the space segment.
SPACE_SECTORS = ("space", "satellite-communications")
#: The sectors of the CER Directive ((EU) 2022/2557, annex; "space" is its sector 10), and satellite
#: communications as part of space: an incident on one concerns critical infrastructure.
CER_SECTORS = ("energy", "transport", "banking", "financial-market-infrastructure", "health", "drinking-water",
               "waste-water", "food", "digital-infrastructure", "public-administration", "space",
               "satellite-communications")
#: ATT&CK technique (or its parent) -> kind: what the technique does to the victim (ATT&CK's own names: T1485 Data
#: Destruction, T1561 Disk Wipe, T1486 Data Encrypted for Impact, T1498 Network / T1499 Endpoint Denial of Service,
#: T1495 Firmware Corruption; ICS T0809 Data Destruction).
TECHNIQUE_KINDS: dict[str, str] = {"T1485": "wiper", "T1561": "wiper", "T1495": "wiper", "T0809": "wiper",
                                   "T1486": "ransomware", "T1498": "denial-of-service",
                                   "T1499": "denial-of-service"}
#: Kind -> the domains it touches besides the envelope's own.
KIND_DOMAINS: dict[str, tuple[str, ...]] = {
    "cyber-attack-space-segment": ("space", "cyber"),
    "critical-infrastructure": ("infra",),
    "information-manipulation": ("fimi",),
    "destructive-asat": ("space",),
}
#: Kind -> the precedent library's kinds (:data:`kompas.response.precedents.KIND_RULES`), for
#: :func:`kompas.response.precedents.nearest`.
PRECEDENT_KINDS: dict[str, tuple[str, ...]] = {
    "destructive-asat": ("asat-test",),
    "debris-event": ("debris",),
    "rpo": ("co-orbital",),
    "cyber-attack-space-segment": ("satellite-network",),
    "cyber-attack": ("cyber-attack",),
    "wiper": ("wiper",),
    "ransomware": ("ransomware",),
    "critical-infrastructure": ("critical-infrastructure",),
    "information-manipulation": ("fimi",),
    "jamming": ("jamming", "gnss-interference"),
    "spoofing": ("spoofing", "gnss-interference"),
    "espionage": ("espionage",),
}
#: Programme of a protected asset (``kompas/data/assets.yaml``) -> the service it provides.
SERVICES: dict[str, str] = {
    "Galileo": "satellite navigation and timing (Galileo)",
    "EGNOS": "satellite navigation augmentation for aviation (EGNOS)",
    "Copernicus": "Earth observation (Copernicus)",
    "governmental GEO": "governmental satellite communications",
    "national dual-use": "Earth observation (national, dual-use)",
    "national military": "military Earth observation (national)",
}
#: The 27 member states: ISO 3166 alpha-2 -> (alpha-3, English short name).
EU_MEMBER_STATES: dict[str, tuple[str, str]] = {
    "AT": ("AUT", "Austria"), "BE": ("BEL", "Belgium"), "BG": ("BGR", "Bulgaria"), "HR": ("HRV", "Croatia"),
    "CY": ("CYP", "Cyprus"), "CZ": ("CZE", "Czechia"), "DK": ("DNK", "Denmark"), "EE": ("EST", "Estonia"),
    "FI": ("FIN", "Finland"), "FR": ("FRA", "France"), "DE": ("DEU", "Germany"), "GR": ("GRC", "Greece"),
    "HU": ("HUN", "Hungary"), "IE": ("IRL", "Ireland"), "IT": ("ITA", "Italy"), "LV": ("LVA", "Latvia"),
    "LT": ("LTU", "Lithuania"), "LU": ("LUX", "Luxembourg"), "MT": ("MLT", "Malta"), "NL": ("NLD", "Netherlands"),
    "PL": ("POL", "Poland"), "PT": ("PRT", "Portugal"), "RO": ("ROU", "Romania"), "SK": ("SVK", "Slovakia"),
    "SI": ("SVN", "Slovenia"), "ES": ("ESP", "Spain"), "SE": ("SWE", "Sweden"),
}
_MEMBER_NAMES = {key.lower(): code for code, (alpha3, name) in EU_MEMBER_STATES.items()
                 for key in (code, alpha3, name)} | {"czech republic": "CZ", "greece": "GR", "el": "GR"}
_TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPARTA = re.compile(r"^[A-Z]{2,4}-\d{4}(?:\.\d{2})?$")
_ATTACK = re.compile(r"^T\d{4}(?:\.\d{3})?$")
_SOFTWARE = re.compile(r"^S\d{4}$")
_ROLES_CONCERNED = ("target", "victim", "asset")
FRAMEWORK_ORDER = ("sparta", "attack-enterprise", "attack-ics", "disarm")


@dataclass(frozen=True)
class AffectedAsset:
    """A protected asset an event concerns: its NORAD id, name, owner and programme as ``assets.yaml`` says, whether
    the Union owns it (an owner starting ``EU``), the member states owning it (ISO codes), and its service."""

    norad_id: int
    name: str
    owner: str
    programme: str
    union: bool
    states: tuple[str, ...]
    service: str

    def as_dict(self) -> dict[str, Any]:
        return {"norad_id": self.norad_id, "name": self.name, "owner": self.owner, "programme": self.programme,
                "union": self.union, "states": list(self.states), "service": self.service}


@dataclass(frozen=True)
class IncidentFeatures:
    """What the response ranking reads of an incident (see the module docstring). ``attribution`` is the
    coordination state given by the caller, never derived from the incident."""

    event_id: str
    domain: str
    type: str
    severity: str  #: low, medium, high
    confidence: float | None  #: 0..1, None when the domain states none
    kinds: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  #: every domain the incident touches: its own and its kinds' (:data:`KIND_DOMAINS`)
    assets: tuple[AffectedAsset, ...] = ()
    services: tuple[str, ...] = ()  #: the services affected (of the assets, and those the envelope names)
    member_states: tuple[str, ...] = ()  #: the member states concerned (ISO 3166 alpha-2)
    techniques: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  #: framework -> technique ids
    software: tuple[str, ...] = ()  #: ATT&CK software ids (or names when no ATT&CK index resolved them)
    software_users: tuple[str, ...] = ()  #: "G0034 Sandworm Team": who ATT&CK says uses the software; no attribution
    day: date | None = None
    title: str = ""
    attribution: Coordination = field(default_factory=Coordination)
    derived: tuple[str, ...] = ()  #: how each feature was derived, one sentence each

    @property
    def assets_affected(self) -> bool:
        """Whether EU or member-state assets or services are affected."""
        return bool(self.assets or self.services)

    @property
    def union_assets_affected(self) -> bool:
        """Whether an asset the Union owns (Galileo, EGNOS, Copernicus) is affected."""
        return any(a.union for a in self.assets)

    @property
    def targets_member_states(self) -> bool:
        """Whether the incident concerns member states or the Union (their territory, people or assets)."""
        return bool(self.member_states) or self.union_assets_affected

    @property
    def spans_domains(self) -> bool:
        """Whether the incident touches more than one domain (e.g. a cyber-attack on a satellite network)."""
        return len(self.domains) > 1

    @property
    def severity_rank(self) -> int:
        """0 (low), 1 (medium), 2 (high)."""
        return SEVERITIES.index(self.severity)

    def with_attribution(self, coordination: Coordination) -> IncidentFeatures:
        """The same features under another coordination state."""
        return replace(self, attribution=coordination)

    def for_precedents(self) -> PrecedentQuery:
        """The incident as :func:`kompas.response.precedents.nearest` compares it: kinds mapped by
        :data:`PRECEDENT_KINDS`, every technique, the software, and as actors only the actors the recorded
        attributions name (never the incident's text)."""
        domain = self.domain if self.domain in PRECEDENT_DOMAINS else "hybrid"
        kinds = {k for kind in self.kinds for k in PRECEDENT_KINDS.get(kind, ())}
        return PrecedentQuery(domain, frozenset(kinds), frozenset(t for ids in self.techniques.values() for t in ids),
                              frozenset(s for s in self.software if _SOFTWARE.match(s)),
                              frozenset(self.attribution.attributing), self.day)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        state, actor, states = attribution_state(self.attribution)
        return {"event_id": self.event_id, "domain": self.domain, "type": self.type, "title": self.title,
                "day": self.day.isoformat() if self.day else None, "severity": self.severity,
                "confidence": self.confidence, "kinds": list(self.kinds), "domains": list(self.domains),
                "assets": [a.as_dict() for a in self.assets], "services": list(self.services),
                "member_states": list(self.member_states),
                "techniques": {k: list(v) for k, v in self.techniques.items()}, "software": list(self.software),
                "software_users": list(self.software_users),
                "attribution": {"state": state, "actor": actor, "states": states,
                                "sentence": self.attribution.sentence()},
                "derived": list(self.derived)}


def attribution_state(coordination: Coordination) -> tuple[str, str, int]:
    """``(state, leading actor, states attributing to it)`` of a coordination state: ``none`` (no state you may see
    attributes or considers an actor), ``considered`` (some consider an actor below "likely", none attributes),
    ``attributed`` (at least one attributes), ``public`` (at least one of those said so publicly)."""
    leading = coordination.leading
    if leading is None:
        return ("considered" if coordination.considering else "none"), "", 0
    actor, count = leading
    return ("public" if coordination.public.get(actor) else "attributed"), actor, count


@lru_cache(maxsize=1)
def shipped_assets() -> Mapping[int, Asset]:
    """The protected assets shipped with Kompas (``kompas/data/assets.yaml``), read once per process."""
    from kompas.files import load_assets

    return load_assets()


MAX_LISTED = 50  #: Most software names, techniques or sectors read from one list of an envelope (bounds the cost).


def _strings(value: object) -> list[str]:
    """The first :data:`MAX_LISTED` non-empty texts (at most 100 characters each) of a list (or one text),
    stripped; anything else gives nothing. The bound keeps one envelope from costing more than a few ms to read
    (each software name is looked up in ATT&CK)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [str(v).strip()[:100] for v in value[:MAX_LISTED] if isinstance(v, str | int) and str(v).strip()]


def _tag(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _owner_states(owner: str) -> tuple[bool, tuple[str, ...]]:
    """Whether the Union owns an asset, and the member states owning it, from its ``owner`` text ("EU (...)", "FR/IT
    (DGA/ASI, ...)"): the ISO codes before the parenthesis."""
    head = owner.split("(")[0]
    codes = re.findall(r"\b[A-Z]{2}\b", head)
    return "EU" in codes, tuple(c for c in codes if c in EU_MEMBER_STATES)


def member_state(text: str) -> str:
    """The ISO alpha-2 code of a member state given by alpha-2, alpha-3 or English name (any case); "" otherwise."""
    return _MEMBER_NAMES.get(text.strip().lower(), "")


def _framework(technique: str, domain: str) -> str:
    """The framework of a technique id: SPARTA by its form (``EX-0017.01``); ``T`` ids are DISARM in the FIMI
    domain, else ATT&CK (ICS for ``T08xx``, Enterprise otherwise); "" when neither."""
    if _SPARTA.match(technique):
        return "sparta"
    if _ATTACK.match(technique):
        if domain == "fimi":
            return "disarm"
        return "attack-ics" if technique.startswith("T08") else "attack-enterprise"
    return ""


def features(envelope: Envelope, coordination: Coordination | None = None, *,
             assets: Mapping[int, Asset] | None = None, attack: AttackIndex | None = None) -> IncidentFeatures:
    """The :class:`IncidentFeatures` of ``envelope`` by the rules of the module docstring.

    ``coordination``: the attribution state the reader may see (default: none recorded); never computed here.
    ``assets``: protected assets by NORAD id (default: the shipped table, :func:`shipped_assets`).
    ``attack``: an ATT&CK Enterprise index (:func:`kompas.response.techniques.read_attack`) to resolve software
    names, add the software's techniques and list the groups ATT&CK says use it; without it, software ids stay as
    given and nothing is added."""
    table = shipped_assets() if assets is None else assets
    payload = envelope.payload if isinstance(envelope.payload, Mapping) else {}
    evidence = envelope.evidence if isinstance(envelope.evidence, Mapping) else {}
    domain, kind = envelope.domain, envelope.type
    derived: list[str] = []
    kinds: list[str] = []
    techniques: dict[str, list[str]] = {}

    def add_kinds(found: Iterable[str], why: str) -> None:
        new = [k for k in dict.fromkeys(found) if k not in kinds]
        if new:
            kinds.extend(new)
            derived.append(f"kinds {', '.join(new)}: {why}")

    def add_techniques(framework: str, ids: Iterable[str], why: str) -> None:
        have = techniques.setdefault(framework, [])
        new = [t for t in dict.fromkeys(ids) if t not in have]
        if new:
            have.extend(new)
            derived.append(f"{framework} {', '.join(new)}: {why}")

    # --- kinds and techniques by domain and type
    if domain == "space":
        add_kinds(SPACE_KINDS.get(kind, (f"space-{_tag(kind)}",)), f"space event of type {kind}")
        add_techniques("sparta", SPACE_TECHNIQUES.get(kind, ()), f"a {kind} is this technique (SPARTA)")
        if kind == "proximity":
            if evidence.get("relation"):
                add_kinds(["same-operator"], f"evidence.relation {evidence.get('relation')!r} (operator "
                                             f"{evidence.get('operator', '')!r}): routine")
            if evidence.get("other_manoeuvred") is True:
                add_kinds(["manoeuvred-approach"], "evidence.other_manoeuvred: the other object manoeuvred")
        if kind == "fragmentation":
            cause, where = _cause(evidence, payload)
            if cause and cause not in FRAGMENTATION_CAUSES:
                derived.append(f"cause {cause!r} ({where}) is not one of {', '.join(FRAGMENTATION_CAUSES)}: read "
                               "as unknown")
                cause = "unknown"
            extra, sparta = FRAGMENTATION_CAUSES[cause or "unknown"]
            basis = str(payload.get("cause_basis") or evidence.get("cause_basis") or "").strip()
            if cause:
                why = f"fragmentation with cause {cause!r} recorded in {where}" + (f" ({basis})" if basis else "")
                add_kinds(extra, why)
                add_techniques("sparta", sparta, why)
            else:
                derived.append("fragmentation without a recorded cause: not an ASAT (the break-up's cause is not in "
                               "the element sets; an analyst may record a public fact as payload.cause)")
    else:
        add_kinds(DOMAIN_TYPE_KINDS.get((domain, kind), (f"{domain}-{_tag(kind)}",)),
                  f"{domain} event of type {kind}")
    sectors = [_tag(s) for s in _strings(payload.get("sectors"))]
    segment = [a for a in envelope.actors if a.kind in SPACE_SEGMENT_ACTORS and a.role != "actor"]
    if domain == "cyber" and (segment or envelope.place.norad_ids or set(sectors) & set(SPACE_SECTORS)):
        what = (f"target {segment[0].kind} {segment[0].name or segment[0].id}" if segment
                else "NORAD ids in its place" if envelope.place.norad_ids else "a space sector in payload.sectors")
        add_kinds(["cyber-attack-space-segment"], f"a cyber incident on a space system ({what})")
    critical = [s for s in sectors if s in CER_SECTORS]
    if critical:
        add_kinds(["critical-infrastructure"], f"payload.sectors {', '.join(critical)} (CER Directive sectors)")
    recorded = [_tag(k) for k in _strings(payload.get("kinds"))]
    add_kinds([k for k in recorded if _TAG.match(k)], "payload.kinds, recorded by the source")

    # --- techniques and software named in the payload
    named = payload.get("techniques")
    if isinstance(named, Mapping):
        for framework, ids in named.items():
            add_techniques(str(framework), _strings(ids), "payload.techniques")
    else:
        unknown = []
        for technique in _strings(named):
            framework = _framework(technique, domain)
            if framework:
                add_techniques(framework, [technique], "payload.techniques")
            else:
                unknown.append(technique)
        if unknown:
            derived.append(f"payload.techniques {', '.join(unknown)}: of no known framework, left out")
    software: list[str] = []
    users: list[str] = []
    for name in _strings(payload.get("software")):
        sid = name
        if attack is not None:
            from kompas.response.techniques import actors_using, find_attack, software_techniques

            sid = find_attack(attack, name, ("malware", "tool")) or name
            if sid != name:
                derived.append(f"software {name}: ATT&CK {sid}")
            if sid in attack.objects:
                add_techniques("attack-enterprise", software_techniques(attack, sid),
                               f"techniques ATT&CK says {attack.objects[sid].name} ({sid}) uses")
                for use in actors_using(attack, sid):
                    label = f"{use.group} {use.name}"
                    if label not in users:
                        users.append(label)
                        derived.append(f"ATT&CK says {use.name} ({use.group}) uses {sid} ({use.via}); what ATT&CK "
                                       "says, not an attribution of this incident")
        if sid not in software:
            software.append(sid)
    for framework in ("attack-enterprise", "attack-ics"):
        parents = {t.split(".")[0]: t for t in techniques.get(framework, ())}
        add_kinds([TECHNIQUE_KINDS[p] for p in parents if p in TECHNIQUE_KINDS],
                  f"ATT&CK techniques {', '.join(t for p, t in parents.items() if p in TECHNIQUE_KINDS)}")

    # --- assets, services, member states
    affected: list[AffectedAsset] = []
    for n in dict.fromkeys([*envelope.place.norad_ids, *envelope.norad_ids]):
        asset = table.get(n)
        if asset is not None:
            union, owned = _owner_states(asset.owner)
            affected.append(AffectedAsset(n, asset.name, asset.owner, asset.programme, union, owned,
                                          SERVICES.get(asset.programme, asset.programme)))
    if affected:
        derived.append("protected assets " + ", ".join(f"{a.name} ({a.norad_id}, {a.owner})" for a in affected))
    services = list(dict.fromkeys([a.service for a in affected] + _strings(payload.get("services"))
                                  + [s for s in sectors if s]))
    states: list[str] = []
    for a in affected:
        states += [s for s in a.states if s not in states]
    if domain != "space":
        concerned = list(envelope.place.countries) + [a.id or a.name for a in envelope.actors
                                                      if a.role in _ROLES_CONCERNED and a.kind == "country"]
        found = [member_state(c) for c in concerned]
        states += [s for s in dict.fromkeys(found) if s and s not in states]
    if states:
        derived.append(f"member states concerned: {', '.join(states)}")

    domains = [domain] + [d for k in kinds for d in KIND_DOMAINS.get(k, ())]
    ordered = {f: tuple(techniques[f]) for f in _framework_order(techniques) if techniques.get(f)}
    day = _day(envelope.time_utc)
    return IncidentFeatures(
        event_id=envelope.id, domain=domain, type=kind, severity=envelope.severity,
        confidence=envelope.confidence, kinds=tuple(kinds), domains=tuple(dict.fromkeys(domains)),
        assets=tuple(affected), services=tuple(services), member_states=tuple(states), techniques=ordered,
        software=tuple(software), software_users=tuple(users), day=day, title=envelope.title,
        attribution=coordination or Coordination(), derived=tuple(derived))


#: The fields an analyst may record as a finding on an event (:func:`with_findings`), each read by :func:`features`
#: from the payload: ``cause`` (a fragmentation's, one of :data:`FRAGMENTATION_CAUSES`; its basis becomes
#: ``payload.cause_basis``) and lists of ``techniques`` (ids of SPARTA, ATT&CK or DISARM), ``software`` (names or
#: ATT&CK ids), ``sectors``, ``services`` and ``kinds``.
FINDING_FIELDS = ("cause", "techniques", "software", "sectors", "services", "kinds")


def with_findings(event: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The event (its JSON form, :func:`kompas.core.envelope.from_dict`'s input) with analysts' ``findings`` (each
    ``{"field", "value", "basis", "recorded_utc"}``, oldest first) added to its payload: the newest ``cause`` replaces
    the payload's (and its basis the ``cause_basis``); list fields are appended to the payload's lists, without
    repeats (ATT&CK/SPARTA/DISARM techniques to their framework's list when the payload maps frameworks to ids).
    Findings of other fields are ignored. Pure; the input is not changed."""
    out = dict(event)
    payload = dict(out.get("payload") or {})
    domain = str(out.get("domain") or "")
    for finding in findings:
        field, value = finding.get("field"), finding.get("value")
        if field == "cause" and isinstance(value, str):
            payload["cause"], payload["cause_basis"] = value, str(finding.get("basis") or "")
        elif field == "techniques" and isinstance(payload.get("techniques"), Mapping):
            mapped = {k: list(_strings(v)) for k, v in payload["techniques"].items()}
            for technique in _strings(value):
                listed = mapped.setdefault(_framework(technique, domain) or "unknown", [])
                if technique not in listed:
                    listed.append(technique)
            payload["techniques"] = mapped
        elif field in FINDING_FIELDS and field != "cause":
            listed = _strings(payload.get(field))
            payload[field] = listed + [v for v in _strings(value) if v not in listed]
    out["payload"] = payload
    return out


def _framework_order(techniques: Mapping[str, Sequence[str]]) -> list[str]:
    """The frameworks of ``techniques`` in :data:`FRAMEWORK_ORDER`, then any other."""
    return [f for f in FRAMEWORK_ORDER if f in techniques] + [f for f in techniques if f not in FRAMEWORK_ORDER]


def _cause(evidence: Mapping[str, Any], payload: Mapping[str, Any]) -> tuple[str, str]:
    """A fragmentation's recorded cause (``evidence.cause`` from an engine, else ``payload.cause`` from an
    analyst), normalised to a tag, and where it was found."""
    for where, source in (("evidence", evidence), ("payload", payload)):
        value = source.get("cause")
        if isinstance(value, str) and value.strip():
            return _tag(value), f"{where}.cause"
    return "", ""


def _day(time_utc: str) -> date | None:
    try:
        return date.fromisoformat(time_utc[:10])
    except ValueError:
        return None
