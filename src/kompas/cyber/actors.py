"""ATT&CK groups and campaigns ranked against an incident's evidence, and incidents linked into candidate campaigns:
**analyst leads, never attribution** (attribution stays with the member states, :mod:`kompas.response.attribution`).

Evidence is what an incident shows: ATT&CK technique ids (``T1566.001``, ICS ``T0855``) and software (ids such as
``S0368`` or names and aliases such as ``NotPetya`` / ``ExPetr``, any case; :func:`incident_evidence`).
Infrastructure (IP addresses, domains, hashes) cannot be matched against ATT&CK: its STIX bundles hold no
``indicator``, ``infrastructure`` or ``observed-data`` object at all (v18.1, checked by the tests), so
infrastructure is never used to rank groups. It is used only between incidents (:func:`link_incidents`).

**Profiles** (:func:`kompas.cyber.attack.group_profile`), from ATT&CK's own ``uses`` only, in channels weighted
by how directly ATT&CK ties the item to the group (:class:`Weights`):

- techniques and software the group uses itself: 1;
- techniques and software of the campaigns ATT&CK ``attributed-to`` the group: 1 (ATT&CK's own record of the
  group's activity);
- techniques the group's software uses: ``software_channel`` = 0.5 (what its tools can do, not what the group was
  seen doing).

A profile holds each item at the weight of its strongest channel.

**Similarity: IDF-weighted coverage of the incident's evidence.** For an incident with items *f* and a group *g*::

    score(g) = sum_f q_f * s_g(f) / sum_f q_f,   q_f = idf(f) * (software_item if f is software else 1)
    idf(f)   = ln((N + 1) / (df(f) + 0.5))       (N groups; df(f): groups whose profile holds f)
    s_g(f)   = max(channel weight of f in g, rollup * (weight of f's parent in g),
                   rollup**2 * (best weight of a sibling sub-technique in g))

The score is the share (0..1) of the incident's evidence that ATT&CK documents for the group, each item weighted
by how rare it is among all groups, so that T1059 or T1105 (in the profiles of most groups) count little and a
rare technique or a piece of software much. Reasoning:

- *coverage, not cosine*: an incident shows a small part of a group's repertoire; the question is how much of the
  incident the group explains. Cosine divides by the profile's length and so ranks a well-documented group (APT28,
  hundreds of items) below a thinly documented one that shares less (measured by
  ``benchmarks/cyber_actors.py``: cosine with the same weights is worse on ATT&CK's attributed campaigns);
- *IDF* ``ln((N+1)/(df+0.5))``: the Spärck Jones inverse document frequency, smoothed to stay finite and
  positive; an item every group has carries almost no information;
- *software counts double* (``software_item`` = 2): a named piece of software is far more specific to an actor
  than a technique (in v18.1, of the 583 software some group uses directly, the median is used by 1 group; of the
  498 techniques some group uses, the median is used by 3, T1105 by 85); IDF already rewards that rarity, the
  factor adds that a software match is a stronger kind of evidence than a behaviour many tools share;
- *sub-techniques roll up*, one step of the hierarchy costing a factor ``rollup`` = 0.5: ``T1566.001`` in the
  incident matches a group documented with ``T1566.001`` fully, with the parent ``T1566`` (phishing, the variant
  unstated) at 0.5 and with a sibling ``T1566.002`` (up and down again) at 0.25; a parent ``T1566`` in the
  incident matches a group's ``T1566.001`` at 0.5. df of a parent technique counts the groups holding it or any of
  its sub-techniques.

Items ATT&CK does not know (``T9999``, an unknown software name) are reported and left out of the score; items
ATT&CK knows but no group uses stay in the denominator (evidence no group explains lowers every score alike).

Ties are broken by the number of matched items (more first), then the smaller profile (more specific), then the
id. Every lead carries :data:`LEAD_LABEL` and how much evidence it rests on (:class:`LeadEvidence`).

**Incident linking** (:func:`link_incidents`): two incidents are compared with the same coverage, each against
the other, made symmetric by the geometric mean (for unweighted sets it is the Ochiai coefficient
``|A n B| / sqrt(|A| |B|)``); shared infrastructure strings count as items as rare as any ATT&CK item can be (df
0) and as heavy as software. Pairs at or above ``threshold`` (default 0.4) are joined and each connected component
(networkx) of two or more incidents is a candidate campaign. The default was measured on ATT&CK itself: each of
the 50 campaigns with 6 or more items split into two "members' reports" of two thirds each (every third item left
out of one of them, a third shared), all 100 linked at once; at 0.4, 36 of the 50 true pairs are linked and 36 of
the 39 links are true (0.3: recall 0.90, precision 0.64; 0.5: recall 0.32, precision 1.0), checked by
``tests/cyber/test_actors.py``. Whole ATT&CK campaigns of one group are alike, but not the most alike: the 8 pairs
of campaigns attributed to the same group rank 19th to 488th of the 1,431 campaign pairs by this similarity, below
many pairs of unrelated campaigns sharing tooling (the two Pikabot distribution campaigns, for one). A candidate
campaign means shared tooling and behaviour, never a shared actor.

**Reference figures** (ATT&CK v18.1; :func:`evaluate_campaigns`, ``benchmarks/cyber_actors.py``, asserted with a
one-campaign margin by ``tests/cyber/test_actors.py``): ranking all 174 groups for each of the 25 campaigns ATT&CK
attributes, from the campaign's own techniques and software, the attributed group comes first for 13 (0.52), in the
first five for 17 (0.68), MRR 0.575, with the campaign's own contribution left out of the group profiles
(leave-campaign-out); as published (as-is) 16 (0.64), 18 (0.72), MRR 0.686. Baselines in the same run,
leave-campaign-out: shared-item count 0.40 / 0.60 / 0.480, Jaccard 0.08 / 0.16 / 0.132, TF-IDF cosine 0.20 /
0.44 / 0.338. Three campaigns cannot be found by any overlap method (C0031, C0033, C0057: the attributed group's
profile shares nothing with them once the campaign is left out); over the other 22: 0.59 first, 0.77 in the first
five.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from kompas.cyber.attack import (
    SOFTWARE_TYPES,
    AttackIndex,
    Profile,
    campaign_only_uses,
    campaign_profile,
    group_profile,
    resolve,
)

__all__ = ["INFRASTRUCTURE_NOTE", "LEAD_LABEL", "METHOD", "CampaignLead", "CampaignResult", "CandidateCampaign",
           "Evaluation", "Evidence", "Lead", "LeadEvidence", "Link", "Model", "Ranking", "Weights", "build_model",
           "campaign_evidence", "evaluate_campaigns", "incident_evidence", "link_incidents", "rank_baseline",
           "rank_campaigns", "rank_groups", "score_groups", "similarity"]

#: Printed with every ranking and lead.
LEAD_LABEL = ("analyst lead, not attribution: overlap with what MITRE ATT&CK documents; attribution is a decision "
              "of the member states")
INFRASTRUCTURE_NOTE = ("infrastructure not matched against ATT&CK: its STIX bundles hold no indicators or "
                       "infrastructure; used only to link incidents")
Mode = Literal["leave-campaign-out", "as-is"]
Baseline = Literal["count", "jaccard", "cosine"]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Weights:
    """The weights of the similarity (module docstring)."""

    rollup: float = 0.5  #: a technique matched through its family (parent or sibling sub-technique)
    software_channel: float = 0.5  #: a technique the group's software uses (not seen used by the group)
    campaign_channel: float = 1.0  #: an item of a campaign attributed to the group
    software_item: float = 2.0  #: weight of a software item against a technique (before IDF)


def _root(item: str) -> str:
    return item.split(".", 1)[0]


@dataclass(frozen=True)
class Evidence:
    """An incident's evidence in ATT&CK ids, with what could not be resolved."""

    techniques: tuple[str, ...] = ()  #: ATT&CK technique ids, as given (deduplicated, upper case)
    software: tuple[str, ...] = ()  #: ATT&CK software ids
    infrastructure: tuple[str, ...] = ()  #: indicators (lower case), used only between incidents
    unknown: tuple[str, ...] = ()  #: techniques or software names ATT&CK does not know (left out)
    resolved: Mapping[str, str] = field(default_factory=dict)  #: software name given -> ATT&CK id

    @property
    def items(self) -> tuple[str, ...]:
        return self.techniques + self.software


def incident_evidence(index: AttackIndex, techniques: Iterable[str] = (), software: Iterable[str] = (),
                      infrastructure: Iterable[str] = ()) -> Evidence:
    """Evidence from what an analyst has: technique ids (active ATT&CK ids only; a sub-technique stays itself),
    software ids, names or aliases (case-insensitive; a name shared by several objects resolves to every one),
    and infrastructure strings (kept, lower case, for :func:`link_incidents`). Anything unresolved goes to
    ``unknown`` and is left out of every score."""
    found_t: list[str] = []
    unknown: list[str] = []
    for raw in techniques:
        item = raw.strip().upper()
        if not item:
            continue
        entry = index.objects.get(item)
        if entry is not None and entry.type == "attack-pattern":
            found_t.append(item)
        else:
            unknown.append(raw.strip())
    found_s: list[str] = []
    resolved: dict[str, str] = {}
    for raw in software:
        if not raw.strip():
            continue
        ids = resolve(index, raw, SOFTWARE_TYPES)
        if not ids:
            unknown.append(raw.strip())
        found_s += ids
        if ids and ids[0] != raw.strip():
            resolved[raw.strip()] = ", ".join(ids)
    infra = [i.strip().lower() for i in infrastructure if i.strip()]
    return Evidence(tuple(dict.fromkeys(found_t)), tuple(dict.fromkeys(found_s)), tuple(dict.fromkeys(infra)),
                    tuple(dict.fromkeys(unknown)), MappingProxyType(resolved))


@dataclass(frozen=True, eq=False)
class Model:
    """Group and campaign profiles as matrices (rows: actors, groups first; columns: ATT&CK techniques and software)
    with the IDF of every item. Build with :func:`build_model`; read-only (the arrays are not writeable)."""

    index: AttackIndex
    weights: Weights
    actors: tuple[str, ...]  #: group ids (sorted) then campaign ids (sorted)
    n_groups: int
    profiles: Mapping[str, Profile]
    columns: Mapping[str, int]  #: item id -> column
    roots: Mapping[str, int]  #: technique family (technique id without ".nnn") -> column of ``family``
    exact: FloatArray  #: actors x items: the item's weight in the profile (0 when absent)
    family: FloatArray  #: actors x technique families: the best weight of any sub-technique of the family
    idf: FloatArray  #: per item column
    sizes: npt.NDArray[np.int64]  #: distinct techniques and software in each profile
    excluded: tuple[str, ...] = ()  #: campaigns left out of the campaign channels
    left_out: Mapping[str, frozenset[str]] = field(default_factory=dict)  #: group -> own uses left out

    def row(self, actor: str) -> int:
        return self.actors.index(actor)


def _channels(profile: Profile, w: Weights) -> dict[str, float]:
    weights: dict[str, float] = {}
    for items, weight in ((profile.software_techniques, w.software_channel),
                          (profile.campaign_techniques, w.campaign_channel),
                          (profile.campaign_software, w.campaign_channel),
                          (profile.techniques, 1.0), (profile.software, 1.0)):
        for item in items:
            weights[item] = max(weights.get(item, 0.0), weight)
    return weights


def build_model(index: AttackIndex, weights: Weights = Weights(), exclude_campaigns: Iterable[str] = (),
                leave_out: Mapping[str, Iterable[str]] | None = None) -> Model:
    """The ranking model of every ATT&CK group and campaign. ``exclude_campaigns`` are left out of the groups'
    campaign channels; ``leave_out`` maps a group to own uses left out of its profile (the leave-campaign-out
    evaluation). IDF is computed over the group profiles only (the population of actors; a campaign is an episode
    of one, and counting campaigns too would weigh groups with many campaigns twice)."""
    excluded = tuple(sorted(set(exclude_campaigns)))
    omitted = {k: frozenset(v) for k, v in (leave_out or {}).items()}
    groups = sorted(index.groups)
    campaigns = sorted(index.campaigns)
    profiles: dict[str, Profile] = {g: group_profile(index, g, excluded, omitted.get(g, ())) for g in groups}
    profiles |= {c: campaign_profile(index, c) for c in campaigns}
    items = sorted(index.techniques) + sorted(index.software)
    columns = {k: i for i, k in enumerate(items)}
    roots = {k: i for i, k in enumerate(sorted({_root(t) for t in index.techniques}))}
    actors = (*groups, *campaigns)
    exact = np.zeros((len(actors), len(items)))
    family = np.zeros((len(actors), len(roots)))
    sizes = np.zeros(len(actors), dtype=np.int64)
    for row, actor in enumerate(actors):
        held = _channels(profiles[actor], weights)
        sizes[row] = len(held)
        for item, weight in held.items():
            exact[row, columns[item]] = weight
            if "." in item and item[0] == "T":
                col = roots[_root(item)]
                family[row, col] = max(family[row, col], weight)
    n = len(groups)
    df = (exact[:n] > 0).sum(axis=0).astype(float)
    for item, col in columns.items():
        if item.startswith("T") and "." not in item:
            df[col] = ((exact[:n, col] > 0) | (family[:n, roots[item]] > 0)).sum()
    idf = np.log((n + 1) / (df + 0.5))
    for array in (exact, family, idf, sizes):
        array.flags.writeable = False
    return Model(index, weights, actors, n, MappingProxyType(profiles), MappingProxyType(columns),
                 MappingProxyType(roots), exact, family, idf, sizes, excluded, MappingProxyType(omitted))


# --- ranking ---------------------------------------------------------------------------------------------------

class LeadEvidence(NamedTuple):
    """How much a lead rests on."""

    matched: int  #: incident items (techniques + software) the profile holds, fully or through roll-up
    asked: int  #: incident items scored (known to ATT&CK)
    profile: int  #: distinct techniques and software in the actor's profile
    matched_weight: float  #: the IDF-weighted share matched (= the score)


@dataclass(frozen=True)
class Lead:
    """A group ranked for an incident: a lead for an analyst, not an attribution."""

    group_id: str  #: ATT&CK group id, e.g. ``G0034``
    name: str
    score: float  #: 0..1, IDF-weighted coverage of the incident's evidence
    shared_techniques: tuple[str, ...]  #: the incident's technique ids the profile holds (fully or by roll-up)
    shared_software: tuple[str, ...]  #: the incident's software ids the profile holds
    evidence: LeadEvidence
    why: tuple[str, ...] = ()  #: per shared item, how ATT&CK ties it to the group
    label: str = LEAD_LABEL

    def as_dict(self) -> dict[str, object]:
        return {"group_id": self.group_id, "name": self.name, "score": self.score,
                "shared_techniques": list(self.shared_techniques), "shared_software": list(self.shared_software),
                "evidence": self.evidence._asdict(), "why": list(self.why), "label": self.label}


@dataclass(frozen=True)
class CampaignLead:
    """An ATT&CK campaign ranked for an incident (the groups ATT&CK attributes it to, as ATT&CK says)."""

    campaign_id: str  #: e.g. ``C0028``
    name: str
    score: float
    shared_techniques: tuple[str, ...]
    shared_software: tuple[str, ...]
    evidence: LeadEvidence
    attributed_to: tuple[str, ...] = ()  #: ATT&CK's ``attributed-to`` groups of the campaign
    first_seen: str = ""
    last_seen: str = ""
    why: tuple[str, ...] = ()
    label: str = LEAD_LABEL

    def as_dict(self) -> dict[str, object]:
        return {"campaign_id": self.campaign_id, "name": self.name, "score": self.score,
                "shared_techniques": list(self.shared_techniques), "shared_software": list(self.shared_software),
                "evidence": self.evidence._asdict(), "attributed_to": list(self.attributed_to),
                "first_seen": self.first_seen, "last_seen": self.last_seen, "why": list(self.why),
                "label": self.label}


@dataclass(frozen=True)
class Ranking:
    """Leads for one incident, best first, and what the ranking rests on."""

    leads: tuple[Lead, ...] | tuple[CampaignLead, ...]
    evidence: Evidence
    asked: int  #: items scored
    method: str
    notes: tuple[str, ...] = ()
    label: str = LEAD_LABEL

    def as_dict(self) -> dict[str, object]:
        """The JSON form: ``leads`` (each :meth:`Lead.as_dict` / :meth:`CampaignLead.as_dict`), the evidence
        scored and left out, the method, notes and label."""
        return {"leads": [lead.as_dict() for lead in self.leads], "asked": self.asked,
                "techniques": list(self.evidence.techniques), "software": list(self.evidence.software),
                "unknown": list(self.evidence.unknown), "method": self.method, "notes": list(self.notes),
                "label": self.label}


def _query(model: Model, evidence: Evidence) -> tuple[list[str], FloatArray]:
    items = [i for i in evidence.items if i in model.columns]
    cols = [model.columns[i] for i in items]
    q = model.idf[cols] * np.array([model.weights.software_item if i[0] == "S" else 1.0 for i in items])
    return items, q


def _strengths(model: Model, rows: slice | Sequence[int], items: Sequence[str]) -> FloatArray:
    """actors x items: s_g(f) of the module docstring."""
    cols = [model.columns[i] for i in items]
    exact = model.exact[rows]
    strength = exact[:, cols]
    rho = model.weights.rollup
    for k, item in enumerate(items):
        if item[0] != "T":
            continue
        subs = model.family[rows][:, model.roots[_root(item)]]
        if "." in item:  # parent at rho, sibling at rho**2
            parent = exact[:, model.columns[_root(item)]] if _root(item) in model.columns else 0.0 * subs
            strength[:, k] = np.maximum(strength[:, k], np.maximum(rho * parent, rho * rho * subs))
        else:  # a sub-technique of it at rho
            strength[:, k] = np.maximum(strength[:, k], rho * subs)
    return strength


def _scores(model: Model, rows: slice, evidence: Evidence) -> tuple[list[str], FloatArray, FloatArray]:
    items, q = _query(model, evidence)
    if not items:
        return items, np.zeros((len(model.actors[rows]), 0)), np.zeros(len(model.actors[rows]))
    strength = _strengths(model, rows, items)
    return items, strength, strength @ q / q.sum()


def _why(model: Model, actor: str, item: str, strength: float) -> str:
    profile = model.profiles[actor]
    index = model.index
    name = index.objects[item].name
    if item in profile.techniques or item in profile.software:
        return f"{item} {name}: used ({'uses' if actor[0] == 'G' else 'campaign uses'})"
    if item in profile.campaign_software or item in profile.campaign_techniques:
        via = sorted(c for c in profile.campaigns if item in index.uses.get(c, ()) or any(
            item in index.uses.get(s, ()) for s in index.uses.get(c, ()) if s[0] == "S"))
        return f"{item} {name}: in attributed campaign {', '.join(via)}"
    if item in profile.software_techniques:
        via = sorted(s for s in profile.software if item in index.uses.get(s, ()))
        return f"{item} {name}: used by its software {', '.join(via)} (weight {model.weights.software_channel})"
    root = _root(item)
    family = sorted(t for t in profile.all_techniques if t == root or t.startswith(f"{root}."))
    return f"{item} {name}: same technique family as {', '.join(family)} (weight {strength:g})"


def _lead_parts(model: Model, row: int, items: Sequence[str], strength: FloatArray, score: float,
                asked: int) -> tuple[tuple[str, ...], tuple[str, ...], LeadEvidence, tuple[str, ...]]:
    actor = model.actors[row]
    hit = [(i, float(s)) for i, s in zip(items, strength, strict=True) if s > 0]
    techniques = tuple(i for i, _ in hit if i[0] == "T")
    software = tuple(i for i, _ in hit if i[0] == "S")
    why = tuple(_why(model, actor, i, s) for i, s in hit)
    return techniques, software, LeadEvidence(len(hit), asked, int(model.sizes[row]), round(score, 6)), why


def _order(model: Model, offset: int, strength: FloatArray, scores: FloatArray) -> list[int]:
    matched = (strength > 0).sum(axis=1) if strength.size else np.zeros(len(scores), dtype=int)
    keys = [(-round(float(s), 9), -int(m), int(model.sizes[offset + k]), model.actors[offset + k])
            for k, (s, m) in enumerate(zip(scores, matched, strict=True))]
    return sorted(range(len(scores)), key=keys.__getitem__)


def _notes(evidence: Evidence) -> tuple[str, ...]:
    notes = []
    if evidence.unknown:
        notes.append(f"not in ATT&CK, left out: {', '.join(evidence.unknown)}")
    if evidence.infrastructure:
        notes.append(INFRASTRUCTURE_NOTE)
    return tuple(notes)


METHOD = ("IDF-weighted coverage of the incident's techniques and software by ATT&CK's 'uses' (own 1, attributed "
          "campaigns 1, via software 0.5; sub-techniques roll up at 0.5; software items x2)")


def rank_groups(model: Model, evidence: Evidence, limit: int | None = 10) -> Ranking:
    """The ATT&CK groups best covering ``evidence``, best first (``limit`` None: all groups, including those
    scoring 0). Each lead names the shared techniques and software, how ATT&CK ties each to the group, and how much
    evidence it rests on. Never an attribution."""
    rows = slice(0, model.n_groups)
    items, strength, scores = _scores(model, rows, evidence)
    leads = []
    for k in _order(model, 0, strength, scores)[:limit]:
        if limit is not None and scores[k] <= 0:
            break
        actor = model.actors[k]
        t, s, ev, why = _lead_parts(model, k, items, strength[k], float(scores[k]), len(items))
        leads.append(Lead(actor, model.index.objects[actor].name, round(float(scores[k]), 6), t, s, ev, why))
    return Ranking(tuple(leads), evidence, len(items), METHOD, _notes(evidence))


def rank_campaigns(model: Model, evidence: Evidence, limit: int | None = 10) -> Ranking:
    """The ATT&CK campaigns best covering ``evidence`` (same similarity; a campaign's profile is its own
    ``uses`` and the techniques of its software), with the groups ATT&CK attributes each to."""
    offset = model.n_groups
    rows = slice(offset, len(model.actors))
    items, strength, scores = _scores(model, rows, evidence)
    leads = []
    for k in _order(model, offset, strength, scores)[:limit]:
        if limit is not None and scores[k] <= 0:
            break
        actor = model.actors[offset + k]
        entry = model.index.objects[actor]
        t, s, ev, why = _lead_parts(model, offset + k, items, strength[k], float(scores[k]), len(items))
        leads.append(CampaignLead(actor, entry.name, round(float(scores[k]), 6), t, s, ev,
                                  tuple(sorted(model.index.attributed_to.get(actor, ()))), entry.first_seen,
                                  entry.last_seen, why))
    return Ranking(tuple(leads), evidence, len(items), METHOD, _notes(evidence))


def score_groups(model: Model, evidence: Evidence) -> list[tuple[str, float]]:
    """Every group with its score, in :func:`rank_groups`' order, without building leads or explanations (for
    evaluation and bulk use)."""
    _, strength, scores = _scores(model, slice(0, model.n_groups), evidence)
    return [(model.actors[k], float(scores[k])) for k in _order(model, 0, strength, scores)]


def rank_baseline(model: Model, evidence: Evidence, method: Baseline = "count") -> list[tuple[str, float]]:
    """The groups ranked by a baseline, over the same profiles (every channel, any weight counts as held):
    ``count``: the number of the incident's items the profile holds by exact id; ``jaccard``: that number over the
    size of the union of the two sets; ``cosine``: TF-IDF cosine with the weights and roll-up of this module
    (the textbook alternative to coverage). Ties by id. For comparison in the benchmark and the tests."""
    n = model.n_groups
    items, q = _query(model, evidence)
    if not items:
        return [(g, 0.0) for g in model.actors[:n]]
    cols = [model.columns[i] for i in items]
    if method == "cosine":
        strength = _strengths(model, slice(0, n), items)
        weight = model.idf * np.where(np.array([c[0] == "S" for c in model.columns]),
                                      model.weights.software_item, 1.0)
        norms = np.sqrt(((model.exact[:n] * weight) ** 2).sum(axis=1))
        scores = (strength * q) @ q / (np.sqrt((q ** 2).sum()) * np.where(norms > 0, norms, 1.0))
    else:
        held = (model.exact[:n][:, cols] > 0).sum(axis=1).astype(float)
        scores = held if method == "count" else held / (len(items) + model.sizes[:n] - held)
    order = sorted(range(n), key=lambda k: (-round(float(scores[k]), 9), model.actors[k]))
    return [(model.actors[k], float(scores[k])) for k in order]


# --- incident linking -------------------------------------------------------------------------------------------

def _coverage(model: Model, a: Evidence, b: Evidence) -> tuple[float, tuple[str, ...]]:
    """The share of a's weighted evidence that b holds (b read as a profile with channel weight 1), and the items
    matched."""
    items, q = _query(model, a)
    weights = list(q)
    held = set(b.items)
    with_subs = {_root(i) for i in b.techniques if "." in i}
    rho = model.weights.rollup
    top = float(model.idf.max()) * model.weights.software_item
    got, matched = 0.0, []
    for item, w in zip(items, weights, strict=True):
        if item in held:
            s = 1.0
        elif item[0] != "T":
            s = 0.0
        elif "." in item:  # parent held, else a sibling
            s = rho if _root(item) in held else rho * rho if _root(item) in with_subs else 0.0
        else:  # a sub-technique of it held
            s = rho if item in with_subs else 0.0
        got += w * s
        if s:
            matched.append(item)
    shared = [i for i in a.infrastructure if i in set(b.infrastructure)]
    total = sum(weights) + top * len(a.infrastructure)
    got += top * len(shared)
    return (got / total if total else 0.0), tuple(matched + shared)


def similarity(model: Model, a: Evidence, b: Evidence) -> tuple[float, tuple[str, ...]]:
    """The similarity of two incidents (0..1): the geometric mean of the coverage of each by the other (module
    docstring), and the items they share (techniques by roll-up too, and infrastructure)."""
    ab, shared_ab = _coverage(model, a, b)
    ba, shared_ba = _coverage(model, b, a)
    return math.sqrt(ab * ba), tuple(dict.fromkeys(shared_ab + shared_ba))


class Link(NamedTuple):
    """Two incidents at or above the threshold."""

    a: str
    b: str
    score: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class CandidateCampaign:
    """Incidents linked by shared evidence into a candidate campaign: a lead for analysts, not an attribution."""

    incidents: tuple[str, ...]  #: incident keys, sorted
    links: tuple[Link, ...]  #: the pairs joining them, strongest first
    shared: tuple[str, ...]  #: items shared along the links, most often first
    label: str = LEAD_LABEL


def link_incidents(model: Model, incidents: Mapping[str, Evidence], threshold: float = 0.4,
                   ) -> list[CandidateCampaign]:
    """Candidate campaigns among ``incidents`` (key -> evidence): every pair is compared with :func:`similarity`,
    pairs scoring at least ``threshold`` are joined, and each connected component (networkx) of two or more
    incidents is a candidate. Largest first, then by first key. Pairwise: n (n - 1) / 2 comparisons."""
    import networkx as nx

    keys = sorted(incidents)
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(keys)
    links: list[Link] = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            score, shared = similarity(model, incidents[a], incidents[b])
            if score >= threshold and score > 0:
                links.append(Link(a, b, round(score, 6), shared))
                graph.add_edge(a, b)
    found = []
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        members = tuple(sorted(component))
        inner = sorted((link for link in links if link.a in component), key=lambda x: (-x.score, x.a, x.b))
        counts: dict[str, int] = {}
        for link in inner:
            for item in link.shared:
                counts[item] = counts.get(item, 0) + 1
        found.append(CandidateCampaign(members, tuple(inner), tuple(sorted(counts, key=lambda k: (-counts[k], k)))))
    return sorted(found, key=lambda c: (-len(c.incidents), c.incidents[0]))


# --- reference evaluation ---------------------------------------------------------------------------------------

class CampaignResult(NamedTuple):
    campaign: str
    attributed: tuple[str, ...]  #: ATT&CK's attributed-to groups
    rank: int  #: best rank of an attributed group (1 = first; ties broken as the method breaks them; a group
    #: scoring 0 ranks last, at the number of groups)
    top: tuple[str, ...]  #: the first five groups
    left_out: int  #: own uses left out of the attributed groups (leave-campaign-out)
    achievable: bool  #: an attributed group's (evaluated) profile shares at least one item with the campaign


@dataclass(frozen=True)
class Evaluation:
    """Figures of one method on ATT&CK's attributed campaigns.

    - ``top1`` / ``top5``: share of campaigns with an attributed group ranked first / in the first five (hit rate);
    - ``precision_at_1`` / ``precision_at_5``: mean over campaigns of (attributed groups among the first k) / k.
      With one attributed group per campaign (all but one here) ``precision_at_5`` is at most 0.2, and
      ``precision_at_1`` equals ``top1``;
    - ``mrr``: mean of 1 / rank of the best-ranked attributed group."""

    mode: str
    method: str
    results: tuple[CampaignResult, ...]
    top1: float
    top5: float
    precision_at_1: float
    precision_at_5: float
    mrr: float

    @property
    def campaigns(self) -> int:
        return len(self.results)


def _ranked(model: Model, evidence: Evidence, method: str) -> list[tuple[str, float]]:
    if method == "coverage":
        return score_groups(model, evidence)
    return rank_baseline(model, evidence, method)  # type: ignore[arg-type]


def campaign_evidence(index: AttackIndex, campaign_id: str) -> Evidence:
    """A campaign's own techniques and software (ATT&CK ``uses``) as incident evidence."""
    profile = campaign_profile(index, campaign_id)
    return Evidence(tuple(sorted(profile.techniques)), tuple(sorted(profile.software)))


def evaluate_campaigns(index: AttackIndex, mode: Mode = "leave-campaign-out",
                       methods: Sequence[str] = ("coverage", "count", "jaccard", "cosine"),
                       weights: Weights = Weights()) -> dict[str, Evaluation]:
    """For every ATT&CK campaign with an ``attributed-to`` relationship: rank all groups from the campaign's own
    techniques and software, by each of ``methods`` (``coverage``: this module's; the baselines of
    :func:`rank_baseline`), and find where the attributed group lands.

    The campaign is always left out of the groups' campaign channels. ``leave-campaign-out`` also removes from the
    attributed groups' own uses those ATT&CK documents only through the campaign's reports
    (:func:`kompas.cyber.attack.campaign_only_uses`); ``as-is`` keeps ATT&CK's group uses as published, where such
    copies let a campaign find its group through its own reports."""
    results: dict[str, list[CampaignResult]] = {m: [] for m in methods}
    for campaign in sorted(index.attributed_to):
        attributed = tuple(sorted(index.attributed_to[campaign]))
        leave = campaign_only_uses(index, campaign) if mode == "leave-campaign-out" else {}
        model = build_model(index, weights, (campaign,), leave)
        evidence = campaign_evidence(index, campaign)
        items = set(evidence.items)
        achievable = False
        for group in attributed:
            profile = model.profiles[group]
            held = profile.all_techniques | profile.all_software
            achievable |= bool(items & held) or bool({_root(t) for t in evidence.techniques}
                                                      & {_root(t) for t in profile.all_techniques})
        left = sum(len(v) for v in leave.values())
        for method in methods:
            ranked = _ranked(model, evidence, method)
            order = [g for g, _ in ranked]
            score = dict(ranked)
            rank = min(order.index(g) + 1 if score[g] > 0 else len(order) for g in attributed)
            results[method].append(CampaignResult(campaign, attributed, rank, tuple(order[:5]), left, achievable))
    found = {}
    for method, rows in results.items():
        n = len(rows)
        found[method] = Evaluation(
            mode, method, tuple(rows), sum(r.rank == 1 for r in rows) / n, sum(r.rank <= 5 for r in rows) / n,
            sum(len(set(r.top[:1]) & set(r.attributed)) for r in rows) / n,
            sum(len(set(r.top[:5]) & set(r.attributed)) / 5 for r in rows) / n, sum(1 / r.rank for r in rows) / n)
    return found
