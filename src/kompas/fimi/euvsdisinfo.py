"""Reader of the EUvsDisinfo case database (EEAS East StratCom Task Force), as scraped into a Frictionless data
package by ``cknabs/EUvsDisinfo``: ``posts.csv`` (the cases) and ``publications.csv`` (links to each item as
published and to its archived copy).

A case becomes an :class:`~kompas.fimi.incident.Incident`:

- ``id`` (the case URL on euvsdisinfo.eu) is its ``ref`` and its first evidence; ``date`` (the "Date of
  publication" of the disinformation) is first and last seen;
- ``countries`` are its targets (EUvsDisinfo's "Country" field: the countries the case is about);
- ``keywords`` are its narratives (EUvsDisinfo's own tags), ``languages`` its languages;
- ``outlets`` are its channels, each attributed by :mod:`kompas.fimi.attribution`; the states behind attributed
  channels are its actors. "Show more" (the label of the site's button, scraped as an outlet in 181 cases of
  2020) is not an outlet and is left out;
- each publication link adds evidence (URL and archive link);
- DISARM techniques are inferred from the tags and outlet names by :mod:`kompas.fimi.techniques` (EUvsDisinfo
  codes none itself).

Cases are reviewed by the East StratCom team before publication, so their confidence is "high" (that the item is
disinformation; the attribution of an outlet is the rule's, stated in the rules file).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from kompas.fimi.attribution import Rules
from kompas.fimi.incident import ATTRIBUTIONS, Actor, Channel, Evidence, Incident, Target, valid_date
from kompas.fimi.techniques import Inference
from kompas.rejections import Rejection

CASE_COLUMNS = ("date", "id", "title", "countries", "keywords", "languages", "outlets")
LINK_COLUMNS = ("id", "publication", "archive")
CASE_URL = "https://euvsdisinfo.eu/report/"
NOT_OUTLETS = frozenset({"Show more"})  #: scraping artefacts in the outlets field


@dataclass
class Parsed:
    """Incidents read from a source, and each record that could not be read."""

    incidents: list[Incident] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def is_cases(text: str) -> bool:
    """True when ``text`` starts with the header of the cases file."""
    return tuple(_header(text)) == CASE_COLUMNS


def is_links(text: str) -> bool:
    """True when ``text`` starts with the header of the publication links file."""
    return tuple(_header(text)) == LINK_COLUMNS


def _records(text: str, source: str, rejections: list[Rejection]) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of each CSV record after the header; a record the csv module cannot read (a stray
    quote or carriage return) is a rejection and reading goes on."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            rejections.append(Rejection(source, reader.line_num, "row", f"not CSV: {error}"))
            continue
        yield reader.line_num, row


def _header(text: str) -> list[str]:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return [c.strip() for c in first.split(",")]


def read_links(text: str, source: str = "publications.csv") -> tuple[dict[str, list[Evidence]], list[Rejection]]:
    """Case URL -> evidence (publication URL and archive link), and the rows that could not be read."""
    links: dict[str, list[Evidence]] = defaultdict(list)
    rejections: list[Rejection] = []
    for line, row in _records(text, source, rejections):
        if line == 1 or not row:
            continue
        if len(row) != 3:
            rejections.append(Rejection(source, line, "row", f"has {len(row)} fields, expected 3"))
            continue
        case, publication, archive = (c.strip() for c in row)
        if not case.startswith(CASE_URL):
            rejections.append(Rejection(source, line, "id", f"is not an EUvsDisinfo case URL ({CASE_URL}...)", case))
        elif not publication.startswith(("http://", "https://")):
            rejections.append(Rejection(source, line, "publication", "is not an http(s) URL", publication))
        else:
            archive = archive if archive.startswith(("http://", "https://")) else ""
            links[case].append(Evidence(publication, archive))
    return dict(links), rejections


def read_cases(text: str, source: str = "posts.csv", links: dict[str, list[Evidence]] | None = None,
               rules: Rules | None = None, inference: Inference | None = None) -> Parsed:
    """Read the cases file's text; every bad row is a rejection (source, line, field, reason) and the rest go
    through. ``rules`` and ``inference`` default to the ones shipped with Kompas (:mod:`kompas.fimi.load`).

    A case URL seen twice in the file is kept once and the later row is rejected as a duplicate.
    """
    if rules is None or inference is None:
        from kompas.fimi.load import default_inference, default_rules  # the shipped rules, read once

        rules, inference = rules or default_rules(), inference or default_inference()
    links = links or {}
    out = Parsed()
    seen: set[str] = set()
    if tuple(_header(text)) != CASE_COLUMNS:
        out.rejections.append(Rejection(source, 1, "header", f"expected {','.join(CASE_COLUMNS)}",
                                        text.lstrip("\ufeff").split("\n", 1)[0][:80]))
        return out
    for line, row in _records(text, source, out.rejections):
        if line == 1 or not row:
            continue
        try:
            incident = _case(row, links, rules, inference)
        except _Bad as bad:
            out.rejections.append(Rejection(source, line, bad.field, bad.reason, bad.value))
            continue
        if incident.ref in seen:
            out.rejections.append(Rejection(source, line, "id", "case already read from an earlier row",
                                            incident.ref))
            continue
        seen.add(incident.ref)
        out.incidents.append(incident)
    return out


class _Bad(Exception):
    def __init__(self, field: str, reason: str, value: str = "") -> None:
        self.field, self.reason, self.value = field, reason, value[:80]


def _split(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in text.split("+") if p.strip()))


def _case(row: list[str], links: dict[str, list[Evidence]], rules: Rules, inference: Inference) -> Incident:
    if len(row) != len(CASE_COLUMNS):
        raise _Bad("row", f"has {len(row)} fields, expected {len(CASE_COLUMNS)}")
    day, url, title, countries, keywords, languages, outlets = (c.strip() for c in row)
    if any("\x00" in c for c in row):
        raise _Bad("row", "contains a NUL character")
    if not valid_date(day):
        raise _Bad("date", "is not a date YYYY-MM-DD", day)
    if not url.startswith(CASE_URL) or len(url) <= len(CASE_URL):
        raise _Bad("id", f"is not an EUvsDisinfo case URL ({CASE_URL}...)", url)
    if not title:
        raise _Bad("title", "is empty")
    channels: list[Channel] = []
    actors: dict[str, Actor] = {}
    for outlet in _split(outlets):
        if outlet in NOT_OUTLETS:
            continue
        found = rules.classify(outlet)
        channels.append(Channel(outlet, "outlet", found.category))
        if found.state and found.category != "unattributed":
            actor = actors.get(found.state)
            if actor is None or _rank(found.category) < _rank(actor.category):
                actors[found.state] = Actor(found.state, found.category, found.state)
    return Incident(ref=url, source="euvsdisinfo", title=title[:1000], first_seen=day, last_seen=day,
                    actors=sorted(actors.values(), key=lambda a: a.name), channels=channels,
                    languages=_split(languages), targets=[Target(c, "country") for c in _split(countries)],
                    narratives=_split(keywords),
                    techniques=inference.techniques(_split(keywords), [c.name for c in channels]),
                    evidence=[Evidence(url, "", day), *links.get(url, [])],
                    confidence="high")


def _rank(category: str) -> int:
    return ATTRIBUTIONS.index(category)
