"""The commitments register: what the three source documents promise, by when, and who must deliver.

The register is a YAML file shipped in the package (``kompas/data/commitments.yaml``): a ``commitments`` list
whose entries have ``id``, ``source`` (seed file name), ``lines`` ([first, last], 1-based, inclusive), ``quote``
(a short verbatim Dutch quote that occurs within those lines, whitespace aside), ``summary`` (English),
``actors`` (list), ``deadline`` (grammar in :mod:`kompas.compass.deadlines`), ``strand`` (for the Strategic Compass
its four strands Act, Secure, Invest, Partner, or Conclusion; for the other two documents the section heading, see
:data:`SECTIONS`), optionally ``system`` (a Kompas system id from SYSTEMS.md) and ``also`` (other places that
restate the commitment: ``[{lines, quote}]``).

:func:`check` verifies entries against the seed texts; :func:`flagged_lines` and :func:`uncovered` give the
completeness list: every seed line that names a year 2022-2030 or a recurrence and lies in no entry, which must be
explained in ``kompas/data/commitments_excluded.yaml``.

:func:`parse_register` and :func:`parse_excluded` take a file's text; :mod:`kompas.compass.load` reads the files
(by default the shipped ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kompas.compass.deadlines import Deadline, DeadlineError, parse
from kompas.texts import yaml_mapping

COMPASS, ROADMAP, SPACE = "000_e18c6be3a889c87f.txt", "003_70738f2d94b8eeb0.txt", "004_a47d80d624d89186.txt"
DOCUMENTS = {
    COMPASS: "A Strategic Compass for Security and Defence (Council, 21 March 2022)",
    ROADMAP: "Roadmap on critical technologies for security and defence (Commission, 18 May 2022)",
    SPACE: "Council conclusions on the EU Space Strategy for Security and Defence (13 November 2023)",
}
SHORT = {COMPASS: "Strategic Compass", ROADMAP: "Critical technologies roadmap", SPACE: "Space strategy conclusions"}
#: Per source, (first line, strand) of each section, in order: an entry's strand is that of its first line.
SECTIONS: dict[str, list[tuple[int, str]]] = {
    COMPASS: [(1, "Context"), (87, "Act"), (111, "Secure"), (132, "Invest"), (156, "Partner"), (361, "Context"),
              (949, "Act"), (1643, "Secure"), (2462, "Invest"), (3302, "Partner"), (3998, "Conclusion")],
    ROADMAP: [(1, "1. Inleiding"),
              (130, "2. Kritieke technologieën en strategische afhankelijkheden voor veiligheid en defensie"),
              (523, "3. OTO&I inzake kritieke technologieën voor veiligheid en defensie stimuleren"),
              (979, "4. Vermindering van strategische afhankelijkheden in kritieke technologieën en waardeketens "
                    "voor veiligheid en defensie"),
              (1242, "5. Externe dimensie"), (1337, "6. Conclusies")],
    SPACE: [(1, "Inleiding"), (238, "I. Ons inzicht in ruimtedreigingen verbeteren"),
            (275, "II. De weerbaarheid en bescherming van ruimtesystemen"), (406, "III. Reageren op ruimtedreigingen"),
            (571, "IV. Het gebruik van de ruimte voor veiligheid en defensie"),
            (865, "V. Partnerschappen voor verantwoordelijk gedrag in de ruimte"), (1002, "VI. Conclusie")],
}
#: English names of the strands, for reports (the register keeps the documents' own headings).
STRAND_EN = {"1. Inleiding": "1. Introduction",
             "2. Kritieke technologieën en strategische afhankelijkheden voor veiligheid en defensie":
                 "2. Critical technologies and strategic dependencies",
             "3. OTO&I inzake kritieke technologieën voor veiligheid en defensie stimuleren": "3. Boosting R&D&I",
             "4. Vermindering van strategische afhankelijkheden in kritieke technologieën en waardeketens voor "
             "veiligheid en defensie": "4. Reducing strategic dependencies",
             "5. Externe dimensie": "5. External dimension", "6. Conclusies": "6. Conclusions",
             "Inleiding": "Introduction",
             "I. Ons inzicht in ruimtedreigingen verbeteren": "I. Understanding space threats",
             "II. De weerbaarheid en bescherming van ruimtesystemen": "II. Resilience and protection",
             "III. Reageren op ruimtedreigingen": "III. Responding to space threats",
             "IV. Het gebruik van de ruimte voor veiligheid en defensie": "IV. Space for security and defence",
             "V. Partnerschappen voor verantwoordelijk gedrag in de ruimte": "V. Partnerships",
             "VI. Conclusie": "VI. Conclusion"}
ID = re.compile(r"^(SC|CT|SP)-\d{3}$")
ID_PREFIX = {COMPASS: "SC", ROADMAP: "CT", SPACE: "SP"}
YEAR = re.compile(r"\b20(?:2[2-9]|30)\b")
RECURRENCE = re.compile(r"jaarlijks|om de (?:twee|drie|vier|vijf) jaar|ten minste om de|regelmatig|elk jaar|"
                        r"ieder jaar|tweejaarlijks|halfjaarlijks|periodiek|elke (?:twee|drie) jaar", re.IGNORECASE)
REQUIRED = ("id", "source", "lines", "quote", "summary", "actors", "deadline", "strand")


@dataclass(frozen=True)
class Place:
    """Where a commitment is stated: seed file, first and last line (1-based, inclusive), and a verbatim quote."""

    source: str
    first: int
    last: int
    quote: str


@dataclass(frozen=True)
class Commitment:
    """One register entry (see the module docstring)."""

    id: str
    place: Place
    summary: str
    actors: tuple[str, ...]
    deadline: Deadline
    strand: str
    system: str | None = None
    also: tuple[Place, ...] = field(default=())

    @property
    def source(self) -> str:
        return self.place.source

    @property
    def places(self) -> tuple[Place, ...]:
        return (self.place, *self.also)


def strand_of(source: str, line: int) -> str:
    """The strand (section) that ``line`` of ``source`` lies in."""
    found = None
    for first, name in SECTIONS[source]:
        if line >= first:
            found = name
    if found is None:
        raise ValueError(f"{source}: line {line} precedes every section")
    return found


def place_of(raw: Mapping, source: str, where: str) -> Place:
    """A :class:`Place` from its YAML form ``{source?, lines: [first, last], quote}``; raises ``ValueError``."""
    lines = raw.get("lines")
    if not (isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines)
            and 1 <= lines[0] <= lines[1]):
        raise ValueError(f"{where}: lines: {lines!r} is not [first, last] with 1 <= first <= last")
    quote = raw.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError(f"{where}: quote: missing or empty")
    return Place(str(raw.get("source", source)), lines[0], lines[1], quote)


def parse_entries(items: object, origin: str = "register") -> tuple[list[Commitment], list[str]]:
    """The well-formed entries and, for each bad one, ``origin: entry N (ID): field: reason``."""
    if not isinstance(items, list):
        return [], [f"{origin}: no 'commitments' list"]
    good, problems = [], []
    for number, raw in enumerate(items, 1):
        where = f"{origin}: entry {number}" + (f" ({raw.get('id')})" if isinstance(raw, dict) else "")
        try:
            if not isinstance(raw, dict):
                raise ValueError(f"{where}: not a mapping")
            missing = [k for k in REQUIRED if k not in raw]
            if missing:
                raise ValueError(f"{where}: {missing[0]}: missing")
            if raw["source"] not in DOCUMENTS:
                raise ValueError(f"{where}: source: {raw['source']!r} is not one of {', '.join(DOCUMENTS)}")
            if not ID.match(str(raw["id"])) or not str(raw["id"]).startswith(ID_PREFIX[raw["source"]]):
                raise ValueError(f"{where}: id: {raw['id']!r} is not {ID_PREFIX[raw['source']]}-NNN")
            actors = raw["actors"]
            if not (isinstance(actors, list) and actors and all(isinstance(a, str) and a for a in actors)):
                raise ValueError(f"{where}: actors: not a non-empty list of names")
            try:
                deadline = parse(raw["deadline"])
            except DeadlineError as error:
                raise ValueError(f"{where}: deadline: {error}") from None
            place = place_of(raw, raw["source"], where)
            also = tuple(place_of(a, raw["source"], f"{where}: also {k}")
                         for k, a in enumerate(raw.get("also") or [], 1))
            good.append(Commitment(str(raw["id"]), place, str(raw["summary"]), tuple(actors), deadline,
                                   str(raw["strand"]), raw.get("system"), also))
        except ValueError as error:
            problems.append(str(error))
    return good, problems


def parse_register(text: str, source: str) -> list[Commitment]:
    """The register in the YAML ``text`` (a ``commitments`` list; ``source`` names it in errors); raises
    ``ValueError`` listing every malformed entry, one ``SOURCE: entry N (ID): field: reason`` a line."""
    entries, problems = parse_entries(yaml_mapping(text, source).get("commitments"), source)
    if problems:
        raise ValueError("\n".join(problems))
    return entries


def _normal(text: str) -> str:
    return " ".join(text.split())


def quote_problem(place: Place, lines: Sequence[str]) -> str | None:
    """Why ``place`` does not hold in its seed text ``lines`` (``field: reason``), or None when its quote occurs
    within its lines (whitespace aside)."""
    if place.last > len(lines):
        return f"lines: {place.last} beyond the {len(lines)} lines of {place.source}"
    if _normal(place.quote) not in _normal(" ".join(lines[place.first - 1:place.last])):
        return f"quote: {place.quote!r} not in {place.source} lines {place.first}-{place.last}"
    return None


def check(entries: Sequence[Commitment], seeds: Mapping[str, Sequence[str]]) -> list[str]:
    """Every problem of the register against the seed texts (``seeds``: file name -> its lines): duplicate ids,
    lines out of range, quotes not found within their lines, strands that are not the section of the first line."""
    problems, seen = [], set()
    for c in entries:
        if c.id in seen:
            problems.append(f"{c.id}: id: used twice")
        seen.add(c.id)
        for place in c.places:
            lines = seeds.get(place.source)
            if lines is None:
                problems.append(f"{c.id}: source: {place.source} not given")
                continue
            problem = quote_problem(place, lines)
            if problem:
                problems.append(f"{c.id}: {problem}")
        expected = strand_of(c.source, c.place.first)
        if c.strand != expected:
            problems.append(f"{c.id}: strand: {c.strand!r}, but line {c.place.first} is in {expected!r}")
    return problems


def flagged_lines(lines: Sequence[str]) -> list[int]:
    """Line numbers (1-based) naming a year 2022-2030 or a recurrence word (:data:`YEAR`, :data:`RECURRENCE`)."""
    return [k for k, line in enumerate(lines, 1) if YEAR.search(line) or RECURRENCE.search(line)]


def uncovered(entries: Iterable[Commitment], seeds: Mapping[str, Sequence[str]],
              excluded: Iterable[tuple[str, int]] = ()) -> list[tuple[str, int, str]]:
    """Flagged seed lines in no entry's line range (nor ``also``) and not explained in ``excluded``:
    (source, line, text)."""
    covered = {(p.source, n) for c in entries for p in c.places for n in range(p.first, p.last + 1)}
    skip = set(excluded)
    return [(source, n, lines[n - 1].strip()) for source, lines in seeds.items() for n in flagged_lines(lines)
            if (source, n) not in covered and (source, n) not in skip]


def parse_excluded(text: str, source: str) -> list[dict]:
    """The reviewed exclusions in the YAML ``text``: ``[{source, line, reason}]``; raises ``ValueError``
    ``SOURCE: item N: ...`` on a malformed item."""
    items = yaml_mapping(text, source).get("excluded") or []
    if not isinstance(items, list):
        raise ValueError(f"{source}: excluded: not a list of {{source, line, reason}}")
    for number, item in enumerate(items, 1):
        if not (isinstance(item, dict) and item.get("source") in DOCUMENTS and isinstance(item.get("line"), int)
                and isinstance(item.get("reason"), str) and item["reason"].strip()):
            raise ValueError(f"{source}: item {number}: needs source (a seed file), line (int) and reason")
    return items
