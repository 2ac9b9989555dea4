"""Trends of FIMI incidents over time and by target, language, outlet and attribution category, and the DISARM
technique frequency matrix of a period (tactics as columns, in kill-chain order, as the EEAS reports show it).

All counts are of incidents: an incident with three outlets counts once for each of them, and once in total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kompas.fimi.disarm import Framework
from kompas.fimi.incident import ATTRIBUTIONS, Incident

DIMENSIONS: dict[str, Callable[[Incident], Iterable[str]]] = {
    "target": lambda i: [t.name for t in i.targets],
    "language": lambda i: i.languages,
    "outlet": lambda i: [c.name for c in i.channels],
    "attribution": lambda i: [i.attribution],
    "narrative": lambda i: i.narratives,
    "technique": lambda i: i.techniques,
}


def months(incidents: Sequence[Incident]) -> dict[str, int]:
    """Incidents per calendar month (``YYYY-MM``), every month from the first to the last present."""
    counts = Counter(i.first_seen[:7] for i in incidents)
    if not counts:
        return {}
    out, (year, month) = {}, map(int, min(counts).split("-"))
    last = max(counts)
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out[key] = counts.get(key, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def by(incidents: Sequence[Incident], dimension: str) -> Counter:
    """Incidents per value of one dimension (:data:`DIMENSIONS`)."""
    values = DIMENSIONS[dimension]
    return Counter(v for i in incidents for v in set(values(i)))


def channels_by_attribution(incidents: Sequence[Incident]) -> dict[str, Counter]:
    """Per attribution category, the incidents per channel of that category."""
    out: dict[str, Counter] = {c: Counter() for c in ATTRIBUTIONS}
    for incident in incidents:
        for channel in {(c.category, c.name) for c in incident.channels}:
            out[channel[0]][channel[1]] += 1
    return out


@dataclass(frozen=True)
class Change:
    """A value's count in this period and the previous one."""

    value: str
    now: int
    before: int

    @property
    def ratio(self) -> float | None:
        return None if self.before == 0 else self.now / self.before


def compare(now: Sequence[Incident], before: Sequence[Incident], dimension: str, top: int = 10) -> list[Change]:
    """The ``top`` values of this period with their counts in the previous one (largest first)."""
    a, b = by(now, dimension), by(before, dimension)
    return [Change(v, n, b.get(v, 0)) for v, n in a.most_common(top)]


def technique_matrix(incidents: Sequence[Incident], framework: Framework | None = None) -> dict[str, dict[str, int]]:
    """Tactic id -> {technique id: incidents} (tactics in framework order; "unknown" for techniques the framework
    does not place). Without a framework, every technique goes under "unknown"."""
    counts = by(incidents, "technique")
    matrix: dict[str, dict[str, int]] = {t: {} for t in (framework.tactics if framework else {})}
    for technique, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        tactic = (framework.tactic_of(technique) if framework else "") or "unknown"
        matrix.setdefault(tactic, {})[technique] = n
    return matrix
