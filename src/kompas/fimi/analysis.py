"""One analysis of a period: narrative clusters, coordinated surges, DISARM technique counts and trends, with the
previous period of the same length for comparison. The JSON form (:meth:`Analysis.as_json`) is what
``kompas fimi analyse --out`` writes and what the platform stores per run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kompas.fimi import narratives, surges, trends
from kompas.fimi.disarm import Framework
from kompas.fimi.incident import Incident

EXAMPLES = 5  #: example titles kept per cluster


@dataclass
class Analysis:
    """What :func:`analyse` found in a period [since, until) (UTC dates)."""

    since: str
    until: str
    incidents: list[Incident]
    ids: list[str]
    clustering: narratives.Clustering
    surges: list[surges.Surge]
    previous: list[Incident] = field(default_factory=list)
    framework: Framework | None = None

    def cluster_items(self) -> list[dict]:
        """Clusters, largest first: id, label, size, terms, outlets, languages, examples and incident ids."""
        members: dict[int, list[int]] = {}
        for position, label in enumerate(self.clustering.labels.tolist()):
            members.setdefault(label, []).append(position)
        out = []
        for cluster, positions in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            chosen = [self.incidents[p] for p in positions]
            outlets = Counter(c.name for i in chosen for c in i.channels)
            languages = Counter(x for i in chosen for x in i.languages)
            out.append({"id": cluster, "label": self.clustering.label(cluster), "size": len(positions),
                        "terms": self.clustering.terms.get(cluster, []),
                        "first_seen": min(i.first_seen for i in chosen),
                        "last_seen": max(i.last_seen or i.first_seen for i in chosen),
                        "outlets": [o for o, _ in outlets.most_common(10)],
                        "languages": [x for x, _ in languages.most_common(10)],
                        "examples": [{"id": self.ids[p], "title": self.incidents[p].title,
                                      "first_seen": self.incidents[p].first_seen} for p in positions[:EXAMPLES]],
                        "incident_ids": [self.ids[p] for p in positions]})
        return out

    def surge_items(self) -> list[dict]:
        """Surges by start: cluster, window, outlets, languages, targets, score and evidence."""
        return [{"cluster_id": g.cluster_id, "label": self.clustering.label(g.cluster_id),
                 "start_utc": g.start_utc, "end_utc": g.end_utc, "cases": len(g.indices),
                 "expected_per_window": round(g.expected, 3), "score": round(g.score, 2),
                 "outlets": g.outlets, "languages": g.languages, "targets": g.targets,
                 "evidence": [{"id": self.ids[p], "title": self.incidents[p].title,
                               "first_seen": self.incidents[p].first_seen,
                               "outlets": [c.name for c in self.incidents[p].channels],
                               "urls": self.incidents[p].urls[:3]} for p in g.indices],
                 "incident_ids": [self.ids[p] for p in g.indices]} for g in self.surges]

    def techniques(self) -> dict[str, int]:
        """DISARM technique id -> incidents in the period, most frequent first."""
        return dict(trends.by(self.incidents, "technique").most_common())

    def as_json(self) -> dict:
        counts = {d: dict(trends.by(self.incidents, d).most_common(20))
                  for d in ("target", "language", "outlet", "attribution", "narrative")}
        return {"since": self.since, "until": self.until, "incidents": len(self.incidents),
                "previous_period_incidents": len(self.previous),
                "method": {"embedding": self.clustering.method, "clusters": self.clustering.k,
                           "surge_rule": surges.DEFAULT_RULE.__dict__},
                "clusters": self.cluster_items(), "surges": self.surge_items(), "techniques": self.techniques(),
                "technique_matrix": trends.technique_matrix(self.incidents, self.framework),
                "trends": {"months": trends.months(self.incidents), "top": counts}}


def previous_period(since: str, until: str) -> tuple[str, str]:
    """The period of the same length just before [since, until)."""
    start, end = date.fromisoformat(since), date.fromisoformat(until)
    return date.fromordinal(2 * start.toordinal() - end.toordinal()).isoformat(), since


def analyse(incidents: Sequence[Incident], ids: Sequence[str], since: str, until: str,
            previous: Sequence[Incident] = (), framework: Framework | None = None, k: int | None = None,
            method: str = "auto", rule: surges.SurgeRule = surges.DEFAULT_RULE) -> Analysis:
    """Cluster the incidents of [since, until) into narratives, find their surges, count their techniques."""
    chosen = [(i, n) for i, n in zip(incidents, ids, strict=True) if since <= i.first_seen < until]
    items, keys = [i for i, _ in chosen], [n for _, n in chosen]
    clustering = narratives.narratives([f"{i.title}. {i.summary}".strip(". ") for i in items], k, method)
    period = date.fromisoformat(until).toordinal() - date.fromisoformat(since).toordinal()
    found = surges.detect([date.fromisoformat(i.first_seen).toordinal() for i in items], clustering.labels,
                          [[c.name for c in i.channels] for i in items], [i.languages for i in items],
                          [[t.name for t in i.targets] for i in items], rule, period_days=period)
    return Analysis(since, until, items, keys, clustering, found, list(previous), framework)
