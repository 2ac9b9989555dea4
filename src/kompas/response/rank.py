"""From an incident to ranked response options: explicit, cited rules over the incident's features
(:mod:`kompas.response.features`) applied to the options of the EU response toolboxes
(:mod:`kompas.response.toolbox`).

The rules are data, ``kompas/data/response_rules.yaml`` (its header says what the seed texts say and what is a
judgement). Each rule has an ``id``, a ``when`` (conditions over the features, all of which must hold), ``effects``
(on options selected by toolbox, category, option id and escalation range: ``applies`` a toolbox, ``boost`` or
``penalty`` by a weight, or ``exclude``), a ``say`` sentence and its basis: ``cite`` (seed lines with a verbatim
Dutch quote, checked against the seeds as the toolbox quotes are) and/or ``act`` (the public act).

**The score.** Only the options of a toolbox that some holding rule ``applies`` are considered. An option's score is
the sum, over the rules that hold, of the boosts minus the penalties of the effects that select it (a rule with
two effects selecting one option counts both). It is proposed when its score is above zero and no holding rule
excludes it; the excluded ones are listed with the rule that excluded them (:class:`Exclusion`). Proposals are
ordered by score (highest first), then escalation (lowest first), then option id. The same real instrument in
several toolboxes (``same_as``) is proposed once, under its best-placed option, naming the others (``also``).
Scores compare options of one incident; they are not probabilities and mean nothing across incidents.

**Why.** Every proposal's ``why`` is one sentence per rule that selected it, in file order, each ending
``(rule ID; CITATION)``: the toolbox rule first, then the rules that scored it.

**Attribution.** The engine never computes an attribution: the attribution state is only the
:class:`~kompas.response.attribution.Coordination` passed in (the member states' records the reader may see).
Nothing else of the incident (title, actors, payload) is read for it.

Each proposal also carries the incident's countermeasures in the frameworks of its toolbox (space: SPARTA; cyber:
ATT&CK; FIMI: DISARM; hybrid: all) for options of :data:`COUNTERMEASURE_CATEGORIES`, from the catalogues given
(:mod:`kompas.response.techniques`), and the nearest precedents (:func:`kompas.response.precedents.nearest`) whose
response was of the option's category, with what was done then.

:func:`parse_rules` and :func:`assess` / :func:`rank` are pure; :func:`load_rules` and :func:`load_catalogues` are
the thin readers (the shipped rules are used when none are given).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from kompas.compass.register import DOCUMENTS, Place, place_of
from kompas.core.envelope import SEVERITIES, Envelope
from kompas.response.attribution import Coordination
from kompas.response.features import IncidentFeatures, attribution_state, features
from kompas.response.precedents import Match, Precedent, nearest
from kompas.response.techniques import Catalogue, Cover, countermeasures
from kompas.response.toolbox import CATEGORIES, ESCALATION, SHORT, Option, Toolbox
from kompas.texts import yaml_mapping

__all__ = ["ATTRIBUTION_STATES", "COUNTERMEASURE_CATEGORIES", "MAX_COUNTERMEASURES", "PLACEHOLDERS",
           "RESPONSE_CATEGORY", "TOOLBOX_FRAMEWORKS", "AttributionCondition", "Condition", "Effect", "Exclusion",
           "Proposal", "Ranking", "Rule", "assess", "check_rules", "load_catalogues", "load_rules", "parse_rules",
           "rank"]

#: Attribution states a rule may ask for (:func:`kompas.response.features.attribution_state`).
ATTRIBUTION_STATES = ("none", "considered", "attributed", "public")
#: The placeholders a rule's ``say`` may use, filled from the features.
PLACEHOLDERS = ("coordination", "severity", "kinds", "assets", "services", "member_states", "states", "actor")
#: Categories of the options that carry the incident's technical countermeasures.
COUNTERMEASURE_CATEGORIES = ("preventive", "stabilising", "resilience")
MAX_COUNTERMEASURES = 8  #: At most this many countermeasures per proposal (those covering most techniques first).
#: Toolbox -> the technique frameworks whose countermeasures its options carry.
TOOLBOX_FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "space": ("sparta",), "cyber": ("attack-enterprise", "attack-ics"), "fimi": ("disarm",),
    "hybrid": ("sparta", "attack-enterprise", "attack-ics", "disarm")}
#: A precedent's response type (:data:`kompas.response.precedents.RESPONSE_TYPES`) -> the option category it was.
RESPONSE_CATEGORY: dict[str, str] = {
    "member-state initiative": "statement", "statement": "statement", "multilateral statement": "statement",
    "declaration/attribution": "statement", "sanctions framework": "restrictive", "restrictive measures": "restrictive"}
MAX_PRECEDENTS = 3  #: Precedents shown per proposal.

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RULE_KEYS = {"id", "when", "effects", "say", "cite", "act", "judgement"}
_WHEN_KEYS = {"domain", "type", "kinds", "min_severity", "max_severity", "min_confidence", "confidence_below",
              "assets_affected", "union_assets_affected", "targets_member_states", "spans_domains", "attribution"}
_ATTRIBUTION_KEYS = {"is", "min_states", "max_states"}
_SELECT_KEYS = {"toolbox", "category", "option", "min_escalation", "max_escalation"}
_ACTION_KEYS = ("applies", "boost", "penalty", "exclude")


@dataclass(frozen=True)
class AttributionCondition:
    """What a rule asks of the coordination state: its state (:data:`ATTRIBUTION_STATES`; ``attributed`` also holds
    for ``public``) and bounds on how many states attribute the incident to the leading actor."""

    state: str | None = None
    min_states: int | None = None
    max_states: int | None = None

    def holds(self, coordination: Coordination) -> bool:
        state, _, count = attribution_state(coordination)
        if self.state is not None and not (state == self.state or (self.state == "attributed" and state == "public")):
            return False
        if self.min_states is not None and count < self.min_states:
            return False
        return self.max_states is None or count <= self.max_states


@dataclass(frozen=True)
class Condition:
    """A rule's ``when``: every condition given must hold. Lists hold when any of their items does."""

    domain: tuple[str, ...] = ()  #: any of the domains the incident touches (:attr:`IncidentFeatures.domains`)
    type: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    min_severity: str | None = None
    max_severity: str | None = None
    min_confidence: float | None = None  #: confidence >= this (an incident without a confidence fails it)
    confidence_below: float | None = None  #: confidence < this (an incident without a confidence fails it)
    assets_affected: bool | None = None
    union_assets_affected: bool | None = None
    targets_member_states: bool | None = None
    spans_domains: bool | None = None
    attribution: AttributionCondition | None = None

    def holds(self, f: IncidentFeatures) -> bool:
        checks = [
            not self.domain or bool(set(self.domain) & set(f.domains)),
            not self.type or f.type in self.type,
            not self.kinds or bool(set(self.kinds) & set(f.kinds)),
            self.min_severity is None or f.severity_rank >= SEVERITIES.index(self.min_severity),
            self.max_severity is None or f.severity_rank <= SEVERITIES.index(self.max_severity),
            self.min_confidence is None or (f.confidence is not None and f.confidence >= self.min_confidence),
            self.confidence_below is None or (f.confidence is not None and f.confidence < self.confidence_below),
            self.assets_affected is None or f.assets_affected == self.assets_affected,
            self.union_assets_affected is None or f.union_assets_affected == self.union_assets_affected,
            self.targets_member_states is None or f.targets_member_states == self.targets_member_states,
            self.spans_domains is None or f.spans_domains == self.spans_domains,
            self.attribution is None or self.attribution.holds(f.attribution),
        ]
        return all(checks)


@dataclass(frozen=True)
class Effect:
    """What a rule does to the options it selects (by toolbox, category, option id and escalation range; every
    selector given must match): ``applies`` (the options of the toolbox are considered), a ``weight`` (boost > 0,
    penalty < 0), or ``exclude``."""

    toolbox: str | None = None
    category: str | None = None
    option: str | None = None
    min_escalation: int | None = None
    max_escalation: int | None = None
    action: str = "boost"  #: one of applies, boost, penalty, exclude
    weight: float = 0.0  #: signed: the boost, or minus the penalty

    def selects(self, option: Option) -> bool:
        return ((self.toolbox is None or option.toolbox == self.toolbox)
                and (self.category is None or option.category == self.category)
                and (self.option is None or option.id == self.option)
                and (self.min_escalation is None or option.escalation >= self.min_escalation)
                and (self.max_escalation is None or option.escalation <= self.max_escalation))


@dataclass(frozen=True)
class Rule:
    """One ranking rule (see the module docstring)."""

    id: str
    when: Condition
    effects: tuple[Effect, ...]
    say: str  #: one sentence; may use :data:`PLACEHOLDERS` in braces
    cite: tuple[Place, ...] = ()
    act: str = ""  #: the public act the rule rests on, when it does
    judgement: str = ""  #: what in the rule is a judgement made for Kompas, not words of the seeds or the act

    @property
    def citation(self) -> str:
        """``space security conclusions l.421-423, l.134-140; Strategic Compass l.1750-1752; TEU art. 29 and
        31(1)``: the places by seed text, in the order cited, then the act."""
        lines: dict[str, list[str]] = {}
        for p in self.cite:
            lines.setdefault(SHORT.get(p.source[:3], p.source), []).append(f"l.{p.first}-{p.last}")
        parts = [f"{name} {', '.join(where)}" for name, where in lines.items()]
        return "; ".join(parts + ([self.act] if self.act else []))

    def sentence(self, f: IncidentFeatures) -> str:
        """The ``say`` sentence filled from ``f``, ending ``(rule ID; CITATION)``."""
        _, actor, count = attribution_state(f.attribution)
        values = {"coordination": f.attribution.sentence(), "severity": f.severity,
                  "kinds": ", ".join(f.kinds) or "none", "assets": ", ".join(a.name for a in f.assets) or "none",
                  "services": ", ".join(f.services) or "none", "member_states": ", ".join(f.member_states) or "none",
                  "states": str(count), "actor": actor or "no actor"}
        return f"{self.say.format_map(values)} (rule {self.id}; {self.citation})"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "say": self.say, "citation": self.citation, "act": self.act,
                "judgement": self.judgement,
                "cite": [{"source": p.source, "lines": [p.first, p.last], "quote": p.quote} for p in self.cite]}


# --- parsing ---------------------------------------------------------------------------------------------------

def _list(raw: Mapping, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: {key}: {value!r} is not a text or a non-empty list of texts")
    return tuple(v.strip() for v in value)


def _flag(raw: Mapping, key: str, where: str) -> bool | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, bool):
        raise ValueError(f"{where}: {key}: {value!r} is not true or false")
    return value


def _fraction(raw: Mapping, key: str, where: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{where}: {key}: {value!r} is not a number in 0..1")
    return float(value)


def _count(raw: Mapping, key: str, where: str, low: int, high: int | None = None) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if type(value) is not int or value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{where}: {key}: {value!r} is not an integer {bound}")
    return value


def _severity(raw: Mapping, key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is not None and value not in SEVERITIES:
        raise ValueError(f"{where}: {key}: {value!r} is not one of {', '.join(SEVERITIES)}")
    return value


def _condition(raw: object, where: str) -> Condition:
    if raw is None:
        return Condition()
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: not a mapping of conditions")
    unknown = sorted(set(raw) - _WHEN_KEYS)
    if unknown:
        raise ValueError(f"{where}: {unknown[0]}: unknown condition (conditions: {', '.join(sorted(_WHEN_KEYS))})")
    attribution = None
    if "attribution" in raw:
        value = raw["attribution"]
        if isinstance(value, str):
            value = {"is": value}
        if not isinstance(value, Mapping) or not value:
            raise ValueError(f"{where}: attribution: {value!r} is not a state or a mapping {{is, min_states, "
                             "max_states}")
        bad = sorted(set(value) - _ATTRIBUTION_KEYS)
        if bad:
            raise ValueError(f"{where}: attribution: {bad[0]}: unknown (fields: "
                             f"{', '.join(sorted(_ATTRIBUTION_KEYS))})")
        state = value.get("is")
        if state is not None and state not in ATTRIBUTION_STATES:
            raise ValueError(f"{where}: attribution: is: {state!r} is not one of {', '.join(ATTRIBUTION_STATES)}")
        low = _count(value, "min_states", f"{where}: attribution", 1)
        high = _count(value, "max_states", f"{where}: attribution", 0)
        if low is not None and high is not None and low > high:
            raise ValueError(f"{where}: attribution: min_states {low} is above max_states {high}")
        attribution = AttributionCondition(state, low, high)
    low_s, high_s = _severity(raw, "min_severity", where), _severity(raw, "max_severity", where)
    if low_s is not None and high_s is not None and SEVERITIES.index(low_s) > SEVERITIES.index(high_s):
        raise ValueError(f"{where}: min_severity: {low_s} is above max_severity {high_s}")
    return Condition(_list(raw, "domain", where), _list(raw, "type", where), _list(raw, "kinds", where), low_s, high_s,
                     _fraction(raw, "min_confidence", where), _fraction(raw, "confidence_below", where),
                     _flag(raw, "assets_affected", where), _flag(raw, "union_assets_affected", where),
                     _flag(raw, "targets_member_states", where), _flag(raw, "spans_domains", where), attribution)


def _effect(raw: object, where: str) -> Effect:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: not a mapping {{selector..., applies|boost|penalty|exclude}}")
    unknown = sorted(set(raw) - _SELECT_KEYS - set(_ACTION_KEYS))
    if unknown:
        raise ValueError(f"{where}: {unknown[0]}: unknown field (selectors: {', '.join(sorted(_SELECT_KEYS))}; "
                         f"actions: {', '.join(_ACTION_KEYS)})")
    actions = [k for k in _ACTION_KEYS if k in raw]
    if len(actions) != 1:
        raise ValueError(f"{where}: action: needs exactly one of {', '.join(_ACTION_KEYS)} (got "
                         f"{', '.join(actions) or 'none'})")
    action = actions[0]
    if not any(k in raw for k in _SELECT_KEYS):
        raise ValueError(f"{where}: selector: needs at least one of {', '.join(sorted(_SELECT_KEYS))}")
    category = raw.get("category")
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"{where}: category: {category!r} is not one of {', '.join(CATEGORIES)}")
    for key in ("toolbox", "option"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise ValueError(f"{where}: {key}: {raw[key]!r} is not an id")
    low = _count(raw, "min_escalation", where, 1, max(ESCALATION))
    high = _count(raw, "max_escalation", where, 1, max(ESCALATION))
    if low is not None and high is not None and low > high:
        raise ValueError(f"{where}: min_escalation: {low} is above max_escalation {high}")
    weight = 0.0
    value = raw[action]
    if action in ("applies", "exclude"):
        if value is not True:
            raise ValueError(f"{where}: {action}: {value!r} is not true")
        if action == "applies" and (set(raw) & _SELECT_KEYS) != {"toolbox"}:
            raise ValueError(f"{where}: applies: selects a whole toolbox (toolbox only)")
    else:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
            raise ValueError(f"{where}: {action}: {value!r} is not a number in (0, 100]")
        weight = float(value) if action == "boost" else -float(value)
    return Effect(raw.get("toolbox"), category, raw.get("option"), low, high, action, weight)


def _rule(raw: object, number: int, source: str, seen: set[str]) -> Rule:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{source}: rule {number}: not a mapping")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise ValueError(f"{source}: rule {number}: id: {rid!r} is not a kebab-case id")
    where = f"{source}: rule {rid}"
    if rid in seen:
        raise ValueError(f"{where}: id: used twice")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise ValueError(f"{where}: {unknown[0]}: unknown field (fields: {', '.join(sorted(_RULE_KEYS))})")
    for key in ("when", "effects", "say"):
        if key not in raw:
            raise ValueError(f"{where}: {key}: missing")
    when = _condition(raw["when"], f"{where}: when")
    items = raw["effects"]
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: effects: missing or not a non-empty list")
    effects = tuple(_effect(item, f"{where}: effects {k}") for k, item in enumerate(items, 1))
    say = raw["say"]
    if not isinstance(say, str) or not say.strip():
        raise ValueError(f"{where}: say: missing or not a non-empty sentence")
    say = " ".join(say.split())
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(say) if name is not None]
    except ValueError as error:
        raise ValueError(f"{where}: say: {error}") from None
    bad = [n for n in names if n not in PLACEHOLDERS]
    if bad:
        raise ValueError(f"{where}: say: {{{bad[0]}}} is not one of {', '.join(PLACEHOLDERS)}")
    cites = raw.get("cite") or []
    if not isinstance(cites, list):
        raise ValueError(f"{where}: cite: not a list of {{source, lines, quote}}")
    places = []
    for k, item in enumerate(cites, 1):
        if not isinstance(item, Mapping):
            raise ValueError(f"{where}: cite {k}: not a mapping {{source, lines, quote}}")
        if item.get("source") not in DOCUMENTS:
            raise ValueError(f"{where}: cite {k}: source: {item.get('source')!r} is not one of "
                             f"{', '.join(DOCUMENTS)}")
        places.append(place_of(item, str(item["source"]), f"{where}: cite {k}"))
    act = raw.get("act")
    if act is not None and (not isinstance(act, str) or not act.strip()):
        raise ValueError(f"{where}: act: not a non-empty text")
    if not places and not act:
        raise ValueError(f"{where}: cite: missing (a rule cites seed lines with a verbatim quote, or names the "
                         "public act in 'act')")
    judgement = raw.get("judgement")
    if judgement is not None and (not isinstance(judgement, str) or not judgement.strip()):
        raise ValueError(f"{where}: judgement: not a non-empty text")
    seen.add(rid)
    return Rule(rid, when, effects, say, tuple(places), " ".join(str(act or "").split()),
                " ".join(str(judgement or "").split()))


def parse_rules(text_or_mapping: str | Mapping, source: str) -> tuple[Rule, ...]:
    """The rules of a rules file (its YAML text, or the mapping read from it): ``rules: [{id, when, effects, say,
    cite?, act?, judgement?}]``, in file order. Raises ``ValueError`` ``SOURCE: rule ID: field: reason`` for the
    first malformed field. Pure: no I/O; the toolboxes named are checked by :func:`check_rules`."""
    data = yaml_mapping(text_or_mapping, source) if isinstance(text_or_mapping, str) else text_or_mapping
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: not a YAML mapping (key: value) at the top level")
    unknown = sorted(set(data) - {"rules"})
    if unknown:
        raise ValueError(f"{source}: {unknown[0]}: unknown top-level key (only 'rules')")
    items = data.get("rules")
    if not isinstance(items, list) or not items:
        raise ValueError(f"{source}: rules: missing or not a non-empty list")
    seen: set[str] = set()
    return tuple(_rule(item, k, source, seen) for k, item in enumerate(items, 1))


def check_rules(rules: Sequence[Rule], toolboxes: Mapping[str, Toolbox]) -> list[str]:
    """``rule ID: effects N: field: reason`` for every toolbox or option a rule names that ``toolboxes`` lacks, and
    every effect that selects no option at all (empty when all resolve)."""
    every = [o for box in toolboxes.values() for o in box.options]
    ids = {o.id: o for o in every}
    problems = []
    for rule in rules:
        for k, effect in enumerate(rule.effects, 1):
            where = f"rule {rule.id}: effects {k}"
            if effect.toolbox is not None and effect.toolbox not in toolboxes:
                problems.append(f"{where}: toolbox: {effect.toolbox!r} is not one of {', '.join(toolboxes)}")
            elif effect.option is not None and effect.option not in ids:
                problems.append(f"{where}: option: {effect.option!r} is no option of the toolboxes")
            elif effect.option is not None and effect.toolbox not in (None, ids[effect.option].toolbox):
                problems.append(f"{where}: option: {effect.option!r} is not in toolbox {effect.toolbox}")
            elif not any(effect.selects(o) for o in every):
                problems.append(f"{where}: selects no option")
    return problems


# --- ranking ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    """A proposed option: its score (:mod:`the module docstring <kompas.response.rank>`), why (one sentence per
    rule, each naming the rule and its basis), the incident's countermeasures in the option's frameworks, the
    nearest precedents of the option's category (what was done then: :attr:`Precedent.summary`), and the same
    instrument in other toolboxes (``also``)."""

    option: Option
    score: float
    why: tuple[str, ...]
    rules: tuple[str, ...] = ()  #: the ids of the rules that selected it, in file order
    countermeasures: tuple[Cover, ...] = ()
    precedents: tuple[Match, ...] = ()
    also: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``id, toolbox, category, instrument, basis, decides, rule, escalation, score, why`` and the
        rest."""
        o = self.option
        return {"id": o.id, "name": o.name, "toolbox": o.toolbox, "category": o.category,
                "category_name": CATEGORIES[o.category], "instrument": o.instrument, "basis": o.basis,
                "decides": o.decides, "rule": o.rule, "escalation": o.escalation,
                "lead_time_days": list(o.lead_time_days), "citation": o.citation, "score": self.score,
                "why": list(self.why), "rules": list(self.rules), "also": list(self.also),
                "countermeasures": [{"framework": c.countermeasure.framework, "id": c.countermeasure.id,
                                     "name": c.countermeasure.name, "techniques": list(c.techniques)}
                                    for c in self.countermeasures],
                "precedents": [{"id": m.precedent.id, "score": m.score, "why": m.why,
                                "done": m.precedent.summary, "lead_days": m.precedent.lead_days,
                                "source_url": m.precedent.source_url} for m in self.precedents]}


@dataclass(frozen=True)
class Exclusion:
    """An option of an applicable toolbox that a rule excludes, and why (that rule's sentence)."""

    option: Option
    why: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    """The whole result: the features read, the proposals in order, the options excluded and why, the ids of the
    rules that held, the precedents with anything in common with the incident, and the countermeasures per
    framework."""

    features: IncidentFeatures
    proposals: tuple[Proposal, ...]
    excluded: tuple[Exclusion, ...] = ()
    rules: tuple[str, ...] = ()
    precedents: tuple[Match, ...] = ()
    countermeasures: Mapping[str, tuple[Cover, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the features, the proposals (:meth:`Proposal.as_dict`), the exclusions and the rules held."""
        return {"features": self.features.as_dict(), "proposals": [p.as_dict() for p in self.proposals],
                "excluded": [{"id": x.option.id, "toolbox": x.option.toolbox, "category": x.option.category,
                              "why": list(x.why)} for x in self.excluded],
                "rules": list(self.rules),
                "precedents": [{"id": m.precedent.id, "score": m.score, "why": m.why, "done": m.precedent.summary}
                               for m in self.precedents],
                "countermeasures": {fw: [{"id": c.countermeasure.id, "name": c.countermeasure.name,
                                          "techniques": list(c.techniques)} for c in covers]
                                    for fw, covers in self.countermeasures.items()}}


def _relevant(incident: IncidentFeatures, precedents: Sequence[Precedent]) -> list[Match]:
    """The precedents nearest the incident (best first) that share more with it than their recency: the ones with a
    positive similarity when the incident's day is left out."""
    if not precedents:
        return []
    query = incident.for_precedents()
    common = {m.precedent.id for m in nearest(type(query)(query.domain, query.kinds, query.techniques,
                                                          query.software, query.actors, None),
                                              precedents, k=len(precedents)) if m.score > 0}
    return [m for m in nearest(query, precedents, k=len(precedents)) if m.precedent.id in common]


def assess(incident: Envelope | IncidentFeatures, toolboxes: Mapping[str, Toolbox],
           coordination: Coordination | None = None, precedents: Sequence[Precedent] = (), top: int | None = None,
           *, rules: Sequence[Rule] | None = None, catalogues: Mapping[str, Catalogue] | None = None) -> Ranking:
    """The :class:`Ranking` of ``incident`` (an envelope, read by :func:`kompas.response.features.features` with
    the shipped assets, or features already read) over the options of ``toolboxes``.

    ``coordination``: the attribution state the reader may see; when given it replaces the features' own (an
    envelope's features have none). ``precedents``: the case library (:func:`kompas.response.precedents.
    read_precedents`, best with :func:`~kompas.response.precedents.with_attack`). ``top``: at most this many
    proposals. ``rules``: default the shipped rules (:func:`load_rules`). ``catalogues``: framework ->
    :class:`~kompas.response.techniques.Catalogue` for the countermeasures (:func:`load_catalogues`); none when not
    given."""
    f = features(incident) if isinstance(incident, Envelope) else incident
    if coordination is not None:
        f = f.with_attribution(coordination)
    ruleset = load_rules() if rules is None else tuple(rules)
    holding = [r for r in ruleset if r.when.holds(f)]
    applicable = {e.toolbox for r in holding for e in r.effects if e.action == "applies"}
    candidates = [o for box in toolboxes.values() if box.id in applicable for o in box.options]
    scored: list[tuple[Option, float, list[str], list[str]]] = []
    excluded: list[Exclusion] = []
    for option in candidates:
        score, why, ids, out = 0.0, [], [], []
        for rule in holding:
            selecting = [e for e in rule.effects if e.selects(option)]
            if not selecting:
                continue
            if any(e.action == "exclude" for e in selecting):
                out.append(rule.sentence(f))
                continue
            score += sum(e.weight for e in selecting)
            why.append(rule.sentence(f))
            ids.append(rule.id)
        if out:
            excluded.append(Exclusion(option, tuple(out)))
        elif score > 0:
            scored.append((option, round(score, 6), why, ids))
    scored.sort(key=lambda s: (-s[1], s[0].escalation, s[0].id))
    relevant = _relevant(f, precedents)
    covers = {fw: tuple(countermeasures(catalogues[fw], ids)) for fw, ids in f.techniques.items()
              if catalogues and fw in catalogues}
    proposals: list[Proposal] = []
    placed: dict[str, int] = {}  # same real instrument -> index of its proposal
    for option, score, why, ids in scored:
        root = option.same_as or option.id
        if root in placed:
            k = placed[root]
            proposals[k] = replace(proposals[k], also=proposals[k].also + (option.id,))
            continue
        placed[root] = len(proposals)
        mine = tuple(c for fw in TOOLBOX_FRAMEWORKS.get(option.toolbox, ()) for c in covers.get(fw, ())
                     )[:MAX_COUNTERMEASURES] if option.category in COUNTERMEASURE_CATEGORIES else ()
        cases = tuple(m for m in relevant
                      if any(RESPONSE_CATEGORY.get(t) == option.category for t in m.precedent.response_types)
                      )[:MAX_PRECEDENTS]
        proposals.append(Proposal(option, score, tuple(why), tuple(ids), mine, cases))
    if top is not None:
        proposals = proposals[:max(top, 0)]
    return Ranking(f, tuple(proposals), tuple(excluded), tuple(r.id for r in holding), tuple(relevant), covers)


def rank(incident: Envelope | IncidentFeatures, toolboxes: Mapping[str, Toolbox],
         coordination: Coordination | None = None, precedents: Sequence[Precedent] = (), top: int | None = None,
         *, rules: Sequence[Rule] | None = None, catalogues: Mapping[str, Catalogue] | None = None
         ) -> list[Proposal]:
    """The proposals of :func:`assess`, best first."""
    return list(assess(incident, toolboxes, coordination, precedents, top, rules=rules,
                       catalogues=catalogues).proposals)


# --- readers ---------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """The rules of ``path`` (default the shipped ``kompas/data/response_rules.yaml``), read once per process.
    Raises ``OSError`` naming a file that cannot be read, ``ValueError`` naming a malformed one."""
    from kompas.files import packaged, read_text

    where = Path(path) if path is not None else packaged("response_rules.yaml")
    return parse_rules(read_text(where), str(where))


def load_catalogues(frameworks: Iterable[str]) -> tuple[dict[str, Catalogue], list[str]]:
    """The catalogues of ``frameworks`` that ../shared holds (:func:`kompas.response.techniques.load_catalogue`),
    and a note for each that could not be read (its data absent)."""
    from kompas.response.techniques import FRAMEWORKS, load_catalogue

    found, notes = {}, []
    for framework in dict.fromkeys(frameworks):
        if framework not in FRAMEWORKS:
            notes.append(f"{framework}: not one of {', '.join(FRAMEWORKS)}")
            continue
        try:
            found[framework] = load_catalogue(framework)
        except OSError as error:
            notes.append(f"{framework}: {error}")
    return found, notes

