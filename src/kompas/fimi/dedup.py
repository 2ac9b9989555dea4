"""The same case arriving twice: finding it, and merging the two records.

Two records are the same case when

1. they come from the same source with the same reference (an EUvsDisinfo case URL, a DISARM id, a STIX id);
2. or one's identifying URL (its reference when that is a URL, else its first evidence URL) is the other's
   identifying URL or among its evidence URLs, compared without scheme, ``www.``, case of the host or a trailing
   slash;
3. or their titles are near-identical (rapidfuzz ``ratio`` >= :data:`TITLE_SIMILARITY` on lower-cased words)
   and their first-seen dates at most :data:`DATE_WINDOW_DAYS` apart, unless both carry distinct references of
   the same source: a source that gives two records two ids says they are two cases (EUvsDisinfo records the
   same claim in different outlets as separate cases, 73 same-day title pairs in 2015-2021).

:func:`merge` keeps the first record's identity and title and takes the union of everything else; the caller
records the merge (who, when, which record, why).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from kompas.fimi.incident import CONFIDENCES, Incident
from kompas.times import parse_date

TITLE_SIMILARITY = 92.0  #: rapidfuzz ratio (0-100) from which two titles are near-identical
DATE_WINDOW_DAYS = 2  #: first-seen dates at most this many days apart


def normal_url(url: str) -> str:
    """A URL as compared: no scheme, no ``www.``, host lower-cased, no trailing slash."""
    rest = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.IGNORECASE)
    host, sep, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + sep + path).rstrip("/")


def normal_title(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


def identifying_url(incident: Incident) -> str:
    urls = incident.urls
    return normal_url(urls[0]) if urls else ""


@dataclass(frozen=True)
class Match:
    """An earlier record the new one duplicates: its key and the reason, as recorded with the merge."""

    key: str
    reason: str


class Index:
    """The records seen so far (each under a key, such as its stored id), searchable for duplicates."""

    def __init__(self) -> None:
        self._refs: dict[tuple[str, str], str] = {}
        self._urls: dict[str, str] = {}
        self._days: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)

    def add(self, key: str, incident: Incident) -> None:
        if incident.ref:
            self._refs.setdefault((incident.source, incident.ref), key)
        url = identifying_url(incident)
        if url:
            self._urls.setdefault(url, key)
        day = parse_date(incident.first_seen).toordinal()
        self._days[day].append((key, normal_title(incident.title), incident.source, incident.ref))

    def match(self, incident: Incident) -> Match | None:
        """The earlier record ``incident`` duplicates, or None."""
        if incident.ref and (incident.source, incident.ref) in self._refs:
            return Match(self._refs[(incident.source, incident.ref)], f"same {incident.source} reference")
        for url in map(normal_url, incident.urls):
            if url in self._urls:
                return Match(self._urls[url], f"same URL {url}")
        title = normal_title(incident.title)
        day = parse_date(incident.first_seen).toordinal()
        best: tuple[float, int, str] | None = None
        for offset in range(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1):
            for key, other, source, ref in self._days.get(day + offset, ()):
                if source == incident.source and ref and incident.ref and ref != incident.ref:
                    continue
                score = fuzz.ratio(title, other)
                if score >= TITLE_SIMILARITY and (best is None or score > best[0]):
                    best = (score, abs(offset), key)
        if best is None:
            return None
        return Match(best[2], f"near-identical title ({best[0]:.0f}/100) {best[1]} day(s) apart")


def merge(first: Incident, second: Incident) -> Incident:
    """One record of both: ``first``'s identity, title and summary (``second``'s when empty), the union of the
    lists, the earlier first-seen and later last-seen date, and the higher confidence."""
    def union(a: list, b: list) -> list:
        return list(dict.fromkeys([*a, *b]))

    return replace(
        first, summary=first.summary or second.summary,
        first_seen=min(first.first_seen, second.first_seen),
        last_seen=max(first.last_seen or first.first_seen, second.last_seen or second.first_seen),
        actors=union(first.actors, second.actors), channels=union(first.channels, second.channels),
        languages=union(first.languages, second.languages), targets=union(first.targets, second.targets),
        narratives=union(first.narratives, second.narratives), techniques=union(first.techniques, second.techniques),
        evidence=union(first.evidence, second.evidence),
        confidence=max(first.confidence, second.confidence, key=CONFIDENCES.index))
