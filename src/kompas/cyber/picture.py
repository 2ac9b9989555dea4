"""The cyber picture over a period: shared incidents counted by NIS2 sector, affected member state, RSIT class and
ISO week; the NIS2 reporting clocks' state; the techniques and software most seen; surges; and the EU cyber
sanctions listings linked to the ATT&CK groups they concern. Pure: it is given the incidents a reader may see (as
:meth:`kompas.cyber.model.Incident.as_dict` dicts with ``shared_by`` and ``nis2_clocks``) and the sanctions
resolutions (:func:`kompas.cyber.sanctions.resolve_sanctions`).

**Surges** reuse the FIMI surge method (:func:`kompas.fimi.surges.detect`): the cluster is the RSIT class, the
"outlets" the members that shared the incidents and the "languages" the member states affected, so a surge is a
burst of one class of incident far above that class's own rate over the period, reported by several members or
hitting several member states. The thresholds (:data:`SURGE_RULE`) are lower than FIMI's because shared cyber
incidents are far fewer than disinformation cases (a week, at least 3 incidents, 2 reporting members or 2 member
states, 3 times the class's mean rate, Poisson tail below 1e-3): a judgement, stated here and in the report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kompas.fimi.surges import SurgeRule, detect

SURGE_RULE = SurgeRule(window_days=7, min_cases=3, min_outlets=2, min_languages=2, min_ratio=3.0, max_p=1e-3,
                       floor_per_week=0.5)
UNCLASSIFIED_RSIT = "unclassified"  #: the class counted for incidents without an RSIT class


def iso_week(day: str) -> str:
    """``2026-W48`` for a date ``YYYY-MM-DD``."""
    year, week, _ = dt.date.fromisoformat(day[:10]).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class CyberSurge:
    """A burst of one RSIT class: first and last day, the incidents in it (ids), the members that reported them,
    the member states hit, the score (-log10 p) and the incidents the class's mean rate predicts in a week."""

    rsit_class: str
    first_day: str
    last_day: str
    incidents: tuple[str, ...]
    reporters: tuple[str, ...]
    member_states: tuple[str, ...]
    score: float
    expected: float

    def as_dict(self) -> dict[str, Any]:
        return {"rsit_class": self.rsit_class, "first_day": self.first_day, "last_day": self.last_day,
                "incidents": list(self.incidents), "reporters": list(self.reporters),
                "member_states": list(self.member_states), "score": round(self.score, 2),
                "expected": round(self.expected, 3)}


@dataclass(frozen=True)
class SanctionLink:
    """An EU cyber sanctions listing and the ATT&CK groups its row resolves to (with the text that matched)."""

    name: str
    listed_on: str
    legal_act: str
    attack: str
    groups: tuple[tuple[str, str], ...]  #: (group id, name), most votes first
    via: str
    evidence: tuple[str, ...]
    incidents: tuple[str, ...] = ()  #: incidents the reader may see that name one of these groups as actor

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "listed_on": self.listed_on, "legal_act": self.legal_act, "attack": self.attack,
                "groups": [{"group_id": g, "name": n} for g, n in self.groups], "via": self.via,
                "evidence": list(self.evidence), "incidents": list(self.incidents)}


@dataclass
class Picture:
    """Counts and findings over ``[since, until]`` (dates)."""

    since: str
    until: str
    incidents: int
    by_sector: list[tuple[str, int]]
    by_member_state: list[tuple[str, int]]
    by_rsit_class: list[tuple[str, int]]
    by_rsit_type: list[tuple[str, int]]
    by_week: list[tuple[str, int]]
    by_reporter: list[tuple[str, int]]
    techniques: list[tuple[str, int]]
    software: list[tuple[str, int]]
    actors_named: list[tuple[str, int]]
    clocks: dict[str, int]
    significant: int
    surges: list[CyberSurge] = field(default_factory=list)
    sanctions: list[SanctionLink] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        pairs = ("by_sector", "by_member_state", "by_rsit_class", "by_rsit_type", "by_week", "by_reporter",
                 "techniques", "software", "actors_named")
        return {"since": self.since, "until": self.until, "incidents": self.incidents,
                **{k: [{"key": a, "count": n} for a, n in getattr(self, k)] for k in pairs},
                "clocks": dict(self.clocks), "significant": self.significant,
                "surges": [s.as_dict() for s in self.surges], "sanctions": [s.as_dict() for s in self.sanctions]}


def _ranked(counter: Counter[str], most: int | None = None) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:most]


def picture(incidents: Sequence[Mapping[str, Any]], since: str, until: str,
            sanctions: Iterable[Any] = (), group_names: Mapping[str, str] | None = None,
            actor_groups: Mapping[str, Sequence[str]] | None = None) -> Picture:
    """The picture of the ``incidents`` dated in ``[since, until]`` (the others are left out). ``sanctions``:
    :class:`kompas.cyber.sanctions.Resolution` rows; ``group_names``: ATT&CK group id -> name; ``actor_groups``:
    an actor name as incidents name it (lower case) -> the ATT&CK group ids it is (to link incidents to listed
    groups; a name claimed by the source, not an attribution)."""
    chosen = [i for i in incidents if since <= str(i.get("date", ""))[:10] <= until]
    sectors: Counter[str] = Counter()
    states: Counter[str] = Counter()
    classes: Counter[str] = Counter()
    types: Counter[str] = Counter()
    weeks: Counter[str] = Counter()
    reporters: Counter[str] = Counter()
    techniques: Counter[str] = Counter()
    software: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    clocks: Counter[str] = Counter()
    significant = 0
    for incident in chosen:
        nis2 = incident.get("nis2") or {}
        sectors.update(set(nis2.get("sectors") or []) or {"(none given)"})
        states.update(set(incident.get("member_states") or []) or {"(none given)"})
        rsit = incident.get("rsit_class") or UNCLASSIFIED_RSIT
        classes[rsit] += 1
        types[f"{rsit}/{incident.get('rsit_type') or '-'}"] += 1
        weeks[iso_week(str(incident["date"]))] += 1
        reporters[str(incident.get("shared_by") or incident.get("source_org") or "?")] += 1
        techniques.update(set(incident.get("techniques") or []))
        software.update(set(incident.get("malware") or []) | set(incident.get("tools") or []))
        actors.update(set(incident.get("actors") or []))
        significant += nis2.get("significant") is True
        for clock in incident.get("nis2_clocks") or []:
            clocks[f"{clock['report']} {clock['status']}"] += 1
    found = Picture(since, until, len(chosen), _ranked(sectors), _ranked(states), _ranked(classes), _ranked(types),
                    sorted(weeks.items()), _ranked(reporters), _ranked(techniques, 20), _ranked(software, 20),
                    _ranked(actors, 20), dict(sorted(clocks.items())), significant)
    found.surges = surges(chosen, since, until)
    found.sanctions = sanction_links(sanctions, group_names or {}, chosen, actor_groups or {})
    return found


def surges(incidents: Sequence[Mapping[str, Any]], since: str, until: str,
           rule: SurgeRule = SURGE_RULE) -> list[CyberSurge]:
    """Bursts of one RSIT class (module docstring) among ``incidents`` over ``[since, until]``."""
    if not incidents:
        return []
    classes = sorted({i.get("rsit_class") or UNCLASSIFIED_RSIT for i in incidents})
    days = [dt.date.fromisoformat(str(i["date"])[:10]).toordinal() for i in incidents]
    labels = [classes.index(i.get("rsit_class") or UNCLASSIFIED_RSIT) for i in incidents]
    reporters = [[str(i.get("shared_by") or i.get("source_org") or "?")] for i in incidents]
    states = [list(i.get("member_states") or []) for i in incidents]
    span = dt.date.fromisoformat(until).toordinal() - dt.date.fromisoformat(since).toordinal() + 1
    out = []
    for s in detect(days, labels, reporters, states, None, rule, period_days=max(span, 1)):
        out.append(CyberSurge(classes[s.cluster_id], dt.date.fromordinal(s.start_day).isoformat(),
                              dt.date.fromordinal(s.end_day).isoformat(),
                              tuple(str(incidents[k]["id"]) for k in s.indices), tuple(s.outlets),
                              tuple(s.languages), s.score, s.expected))
    return out


def sanction_links(resolutions: Iterable[Any], group_names: Mapping[str, str],
                   incidents: Sequence[Mapping[str, Any]] = (),
                   actor_groups: Mapping[str, Sequence[str]] | None = None) -> list[SanctionLink]:
    """Each sanctions listing with the ATT&CK groups it resolves to, and the ``incidents`` whose named actors are
    one of those groups (by ``actor_groups``: a name as incidents give it, lower case -> group ids)."""
    by_group: dict[str, set[str]] = {}
    for incident in incidents:
        for actor in incident.get("actors") or []:
            for group in (actor_groups or {}).get(str(actor).lower(), ()):
                by_group.setdefault(group, set()).add(str(incident["id"]))
    out = []
    for r in resolutions:
        groups = tuple((g.group_id, group_names.get(g.group_id, g.group_id)) for g in r.groups)
        seen = sorted({i for g, _ in groups for i in by_group.get(g, ())})
        out.append(SanctionLink(r.row.name, r.row.listed_on, r.row.legal_act, r.row.attack, groups, r.via,
                                tuple(f"{c.kind}: {c.text}" for c in r.clues[:4]), tuple(seen)))
    return out
