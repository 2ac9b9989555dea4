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
from kompas.times import parse_date

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
    start, end = parse_date(since), parse_date(until)
    return date.fromordinal(2 * start.toordinal() - end.toordinal()).isoformat(), since


BASELINE_DAYS = 365  #: history before a period that sets each narrative's usual rate (or the period's length)


def baseline_start(since: str, until: str) -> str:
    """The first day of the history :func:`analyse` uses before [since, until): a year, or the period's length
    when longer (so that it always holds the previous period)."""
    start, end = parse_date(since), parse_date(until)
    return date.fromordinal(start.toordinal() - max(BASELINE_DAYS, end.toordinal() - start.toordinal())).isoformat()


def _text(incident: Incident) -> str:
    return f"{incident.title}. {incident.summary}".strip(". ")


def analyse(incidents: Sequence[Incident], ids: Sequence[str], since: str, until: str,
            framework: Framework | None = None, k: int | None = None, method: str = "auto",
            rule: surges.SurgeRule = surges.DEFAULT_RULE) -> Analysis:
    """Cluster the incidents of [since, until) into narratives, find their surges, count their techniques.

    Incidents before ``since`` (back to :func:`baseline_start`) are the history: each is placed in its nearest
    narrative, so that a narrative's usual rate, against which a surge stands out, is its rate over the history
    and the period together (a narrative new in the period has only the period's rate, or the rule's floor);
    those of the previous period of the same length are the comparison of the trends. The incidents are ordered
    by date, source, reference and title first, so that the same incidents give the same narratives whatever
    order they come in (k-means depends on it).
    """
    first = baseline_start(since, until)
    before, _ = previous_period(since, until)
    def order(pair: tuple[Incident, str]) -> tuple:  # k-means depends on input order: fix it by content
        return pair[0].first_seen, pair[0].source, pair[0].ref, pair[0].title, pair[1]

    chosen = sorted(((i, n) for i, n in zip(incidents, ids, strict=True) if since <= i.first_seen < until), key=order)
    items, keys = [i for i, _ in chosen], [n for _, n in chosen]
    history = sorted((i for i in incidents if first <= i.first_seen < since),
                     key=lambda i: (i.first_seen, i.source, i.ref, i.title))
    clustering = narratives.narratives([_text(i) for i in items], k, method, [_text(i) for i in history])
    both = [*history, *items]
    day = parse_date
    span = day(until).toordinal() - (day(min(i.first_seen for i in history)).toordinal() if history
                                     else day(since).toordinal())
    found = surges.detect([day(i.first_seen).toordinal() for i in both],
                          [*clustering.history_labels.tolist(), *clustering.labels.tolist()],
                          [[c.name for c in i.channels] for i in both], [i.languages for i in both],
                          [[t.name for t in i.targets] for i in both], rule, period_days=span)
    offset = len(history)
    start_day = day(since).toordinal()
    found = [g for g in found if g.start_day >= start_day]
    for g in found:  # positions into the period's incidents; history cases in a window that straddles are left out
        g.indices = [k - offset for k in g.indices if k >= offset]
    return Analysis(since, until, items, keys, clustering, found,
                    [i for i in history if i.first_seen >= before], framework)
