"""Precedents: a case library of real EU responses, and the precedents nearest a new incident.

Sources (read from ``../shared`` only: both files are hand-written from press sources, see their PROVENANCE.md):

- ``../shared/data/space-threats/eu_space_responses.csv``: one precedent per row (incident, its date, responder,
  response date and type, the act or statement, source URL, status, note);
- ``../shared/data/cyber/eu_cyber_sanctions.csv``: persons and entities listed under the EU cyber sanctions regime
  (Regulation (EU) 2019/796); the rows of one listing (same ``listed_on``, ``legal_act`` and ``attack``) make one
  precedent, "restrictive measures for <attack>", with its listings (persons, entities).

Every precedent carries :class:`Features` derived from its own text by the explicit rules below (nothing is
looked up elsewhere), so that :func:`nearest` can say which features matched:

- ``kinds`` (:data:`KIND_RULES`): what happened, e.g. ``asat-test``, ``satellite-network``, ``cyber-attack``,
  ``jamming``; every precedent of the cyber sanctions regime is a ``cyber-attack`` (the regime's own ground);
- ``techniques`` (:data:`TECHNIQUE_RULES`): SPARTA technique ids the text names by its words (a direct-ascent ASAT
  test is SPARTA EX-0017.01, GNSS jamming EX-0016.03, ...);
- ``actors`` (:data:`ACTOR_RULES`): the states the precedent's text names (ISO 3166 alpha-2), e.g. ``RU`` for a
  text naming Russia or the GRU; a name, not an attribution made by Kompas;
- ``domains``: the domains the kinds touch (a cyber-attack on a satellite network is space and cyber).

:func:`with_attack` adds what MITRE ATT&CK itself says about the software and groups a precedent names
(:func:`attack_links`: software such as AcidRain -> the groups ATT&CK says use it -> Sandworm Team G0034, and the
techniques the software uses). Readers report malformed rows as :class:`kompas.rejections.Rejection` (``FILE:LINE:
field: reason``) and keep the good ones.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.response.techniques import AttackIndex

__all__ = ["ACTOR_RULES", "DOMAINS", "KIND_RULES", "RESPONSE_TYPES", "SANCTIONS_COLUMNS", "SPACE_COLUMNS",
           "TECHNIQUE_RULES", "WEIGHTS", "AttackLink", "Features", "IncidentFeatures", "Listing", "Match",
           "Precedent", "attack_links", "features_of_text", "incident_features", "nearest", "parse_cyber_sanctions",
           "parse_space_responses", "read_precedents", "response_types_of", "with_attack"]

DOMAINS = ("space", "cyber", "hybrid", "fimi")
#: The normalised response types, least to most escalated (:attr:`Precedent.response_type` is the most escalated
#: of a precedent's types).
RESPONSE_TYPES = ("member-state initiative", "statement", "multilateral statement", "declaration/attribution",
                  "sanctions framework", "restrictive measures")
#: Raw response type (each part of it split on ``+``, lower case) -> normalised type: the first rule whose pattern
#: matches wins; a part no rule matches is rejected.
RESPONSE_TYPE_RULES: tuple[tuple[str, str], ...] = (
    (r"attribution|declaration", "declaration/attribution"),
    (r"\(multilateral\)", "multilateral statement"),
    (r"sanctions framework|framework of restrictive measures", "sanctions framework"),
    (r"restrictive measures|sanctions|listing", "restrictive measures"),
    (r"^member-state (?:joint letter|non-paper|letter)", "member-state initiative"),
    (r"^statement\b", "statement"),
)
#: Kind of incident -> pattern (case-insensitive) over the incident and act text.
KIND_RULES: tuple[tuple[str, str], ...] = (
    ("asat-test", r"anti-satellite[^;.]*\btest\b|\bASAT\b[^;.]*\btest\b"),
    ("debris", r"\bdebris\b"),
    ("nuclear-asat", r"nuclear anti-satellite|nuclear weapons? in orbit"),
    ("co-orbital", r"rendezvous|proximity operations?|co-orbital"),
    ("satellite-network", r"satellite (?:network|communications?|modems?)|\bKA-SAT\b|\bsatcom\b"),
    ("gnss-interference", r"\bGNSS\b|\bGPS\b|satellite navigation"),
    ("jamming", r"\bjamm(?:ing|ers?|ed)\b"),
    ("spoofing", r"\bspoof(?:ing|ed)?\b"),
    ("satcom-disruption", r"disrupt\w* satellite communications"),
    ("cyber-attack", r"cyber[- ]?attacks?\b|\bmalware\b|\bransomware\b|\bphishing\b|\bwip(?:er|ing)\b"),
    ("wiper", r"\bwip(?:e|ed|er|ers|ing)\b"),
    ("ransomware", r"\bransomware\b"),
    ("espionage", r"\bespionage\b|\bphishing\b|\bexfiltrat\w*"),
    ("critical-infrastructure", r"power grid|essential services|electric(?:ity|al)? (?:grid|companies|power)"),
    ("arms-control", r"Outer Space Treaty|arms race|\bveto(?:es|ed)?\b"),
    ("hybrid", r"\bhybrid\b"),
    ("fimi", r"disinformation|information manipulation|\bFIMI\b"),
)
#: SPARTA technique id -> pattern(s) (case-insensitive) that must all match the incident and act text.
TECHNIQUE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("EX-0017.01", (r"DA-ASAT|direct[- ]ascent",)),  # Direct Ascent ASAT
    ("EX-0017.02", (r"co-orbital (?:ASAT|anti-satellite)",)),  # Co-Orbital ASAT
    ("EX-0016.03", (r"\bjamm(?:ing|ers?|ed)\b", r"\bGNSS\b|\bGPS\b|\bPNT\b")),  # PNT Jamming
    ("EX-0016", (r"\bjamm(?:ing|ers?|ed)\b",)),  # Jamming
    ("EX-0014.04", (r"\bspoof(?:ing|ed)?\b", r"\bGNSS\b|\bGPS\b|\bPNT\b")),  # PNT Spoofing
    ("EX-0014", (r"\bspoof(?:ing|ed)?\b",)),  # Spoofing
    ("IA-0005", (r"rendezvous|proximity operations?",)),  # Rendezvous & Proximity Operations
)
#: ISO 3166 alpha-2 -> pattern (case-sensitive) over the whole text, note included.
ACTOR_RULES: tuple[tuple[str, str], ...] = (
    ("RU", r"\bRussia(?:n|'s)?\b|\bGRU\b|\bGU/GRU\b|\bGTsS[ST]\b"),
    ("CN", r"\bChina\b|\bChinese\b"),
    ("KP", r"\bDPRK\b|\bNorth Korea(?:n)?\b"),
    ("BY", r"\bBelarus(?:ian)?\b"),
    ("IR", r"\bIran(?:ian)?\b"),
)
_SPACE_KINDS = {"asat-test", "debris", "nuclear-asat", "co-orbital", "satellite-network", "gnss-interference",
                "satcom-disruption"}
SPACE_COLUMNS = ("incident_date", "incident", "responder", "response_date", "response_type", "eu_act_or_statement",
                 "source_url", "status", "note")
SANCTIONS_COLUMNS = ("name", "entity_type", "listed_on", "legal_act", "attack", "source_url", "status", "note")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ONGOING = re.compile(r"^(\d{4})(?:-\d{4})? \(ongoing\)$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?: \(.+\))?$")
#: Weights of :func:`nearest`'s similarity (a ranking score in [0, 1], not a probability).
WEIGHTS = {"domain": 2.0, "kinds": 4.0, "techniques": 2.0, "software": 1.0, "actor": 1.0, "recency": 0.5}
RECENCY_YEARS = 5.0  #: recency = 1 / (1 + |years between incident and response| / RECENCY_YEARS)


@dataclass(frozen=True)
class Features:
    """What a precedent (or a new incident) is about, as sets of tags."""

    kinds: frozenset[str] = frozenset()
    techniques: frozenset[str] = frozenset()  #: SPARTA / ATT&CK / DISARM technique ids
    software: frozenset[str] = frozenset()  #: ATT&CK software ids (added by :func:`with_attack`)
    actors: frozenset[str] = frozenset()  #: ISO alpha-2 states named; ATT&CK group ids (:func:`with_attack`)
    domains: frozenset[str] = frozenset()  #: every domain the kinds touch


@dataclass(frozen=True)
class Listing:
    """A person or entity listed under a sanctions regime (one CSV row)."""

    name: str
    entity_type: str  #: "person" or "entity"
    line: int
    source_url: str = ""
    status: str = ""
    note: str = ""


@dataclass(frozen=True)
class Precedent:
    """One real EU (or, marked so, member-state) response to an incident."""

    id: str
    domain: str  #: one of :data:`DOMAINS`
    incident: str
    incident_date: date | None  #: None when the source gives no single day ("2024 (ongoing)")
    incident_date_text: str  #: the date as written ("" when the source has none)
    responder: str
    response_date: date | None  #: None when only the month is known
    response_date_text: str
    response_types: tuple[str, ...]  #: normalised (:data:`RESPONSE_TYPES`), in the order written
    response_type_text: str  #: as written
    act: str
    source_url: str
    status: str
    note: str
    features: Features
    listings: tuple[Listing, ...] = ()
    source: str = ""
    lines: tuple[int, ...] = ()
    attack_links: tuple[AttackLink, ...] = field(default=(), compare=False)

    @property
    def response_type(self) -> str:
        """The most escalated of :attr:`response_types` (order of :data:`RESPONSE_TYPES`)."""
        return max(self.response_types, key=RESPONSE_TYPES.index)

    @property
    def lead_days(self) -> int | None:
        """Days from incident to response, when both days are known."""
        if self.incident_date is None or self.response_date is None:
            return None
        return (self.response_date - self.incident_date).days

    @property
    def response_year(self) -> int:
        """The year of the response (known for every precedent)."""
        return self.response_date.year if self.response_date else int(self.response_date_text[:4])

    @property
    def persons(self) -> int:
        return sum(1 for item in self.listings if item.entity_type == "person")

    @property
    def entities(self) -> int:
        return sum(1 for item in self.listings if item.entity_type == "entity")

    @property
    def summary(self) -> str:
        """What was done: ``2021-11-19: statement by EU (...): <act>``."""
        return f"{self.response_date_text}: {self.response_type} by {self.responder}: {self.act}"


class AttackLink(NamedTuple):
    """An ATT&CK object a precedent's text leads to, and how."""

    id: str  #: ATT&CK id (``S1125``, ``G0034``)
    name: str
    via: str  #: e.g. ``software AcidRain named``, ``AcidRain (S1125) is used by it``, ``'GTsST' in its description``


# --- rules -----------------------------------------------------------------------------------------------------

def response_types_of(text: str) -> tuple[tuple[str, ...], str]:
    """The normalised response types of a raw ``response_type`` (parts split on ``+``), and "" or the part no rule
    of :data:`RESPONSE_TYPE_RULES` matches."""
    found: list[str] = []
    for part in (p.strip().lower() for p in text.split("+")):
        kind = next((k for pattern, k in RESPONSE_TYPE_RULES if re.search(pattern, part)), None)
        if not part or kind is None:
            return (), part or "(empty)"
        if kind not in found:
            found.append(kind)
    return tuple(found), ""


def features_of_text(text: str, actors_text: str = "", extra_kinds: Iterable[str] = ()) -> Features:
    """The :class:`Features` that :data:`KIND_RULES` and :data:`TECHNIQUE_RULES` find in ``text`` and
    :data:`ACTOR_RULES` in ``text`` and ``actors_text`` (e.g. a note), plus ``extra_kinds``."""
    kinds = {k for k, pattern in KIND_RULES if re.search(pattern, text, re.IGNORECASE)} | set(extra_kinds)
    techniques: set[str] = set()
    for tid, patterns in TECHNIQUE_RULES:
        # the most specific technique only (the rules list sub-techniques first): EX-0016.03, not also EX-0016
        if all(re.search(p, text, re.IGNORECASE) for p in patterns) and not any(
                t.startswith(tid + ".") for t in techniques):
            techniques.add(tid)
    whole = f"{text}\n{actors_text}"
    actors = {code for code, pattern in ACTOR_RULES if re.search(pattern, whole)}
    domains = set()
    if kinds & _SPACE_KINDS:
        domains.add("space")
    if "cyber-attack" in kinds:
        domains.add("cyber")
    if "hybrid" in kinds:
        domains.add("hybrid")
    if "fimi" in kinds:
        domains.add("fimi")
    return Features(frozenset(kinds), frozenset(techniques), frozenset(), frozenset(actors), frozenset(domains))


# --- readers of the two CSV files ------------------------------------------------------------------------------

def _rows(text: str, source: str, columns: Sequence[str],
          bad: list[Rejection]) -> list[tuple[int, dict[str, str]]]:
    """The rows with the line each starts on; a missing column rejects the file, a row with too few or too many
    fields is rejected."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header]
    if missing:
        bad.append(Rejection(source, 1, missing[0], f"missing column (the file needs {', '.join(columns)})"))
        return []
    rows = []
    start = reader.line_num + 1
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            found = len(header) + len(row.get(None) or []) if None in row else sum(v is not None for v in row.values())
            bad.append(Rejection(source, start, "row", f"{found} fields, expected {len(header)}"))
        elif any(str(v).strip() for v in row.values()):
            rows.append((start, {k: str(v).strip() for k, v in row.items()}))
        start = reader.line_num + 1
    return rows


def _day(text: str) -> date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _url(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", text))


def parse_space_responses(text: str, source: str = "eu_space_responses.csv") -> tuple[list[Precedent],
                                                                                        list[Rejection]]:
    """The precedents of ``eu_space_responses.csv`` (one per row, id ``space-<response date>``), and one
    rejection per malformed row: incident date neither a day (YYYY-MM-DD) nor ``YEAR[-YEAR] (ongoing)``; response
    date neither a day nor ``YYYY-MM [(note)]``; a response before its incident; a response type outside
    :data:`RESPONSE_TYPE_RULES`; an empty incident, responder, act or status; a source URL that is not http(s)."""
    bad: list[Rejection] = []
    found: list[Precedent] = []
    ids: dict[str, int] = defaultdict(int)
    for line, row in _rows(text, source, SPACE_COLUMNS, bad):
        problem = _space_problem(row)
        if problem:
            bad.append(Rejection(source, line, problem[0], problem[1], row.get(problem[0], "")))
            continue
        types, _ = response_types_of(row["response_type"])
        incident_day = _day(row["incident_date"])
        response_day = _day(row["response_date"])
        key = row["response_date"][:10].split(" ")[0]
        ids[key] += 1
        pid = f"space-{key}" + (f"-{ids[key]}" if ids[key] > 1 else "")
        features = features_of_text(f"{row['incident']}\n{row['eu_act_or_statement']}", row["note"])
        found.append(Precedent(pid, "space", row["incident"], incident_day, row["incident_date"], row["responder"],
                               response_day, row["response_date"], types, row["response_type"],
                               row["eu_act_or_statement"], row["source_url"], row["status"], row["note"],
                               replace(features, domains=features.domains | {"space"}), (), source, (line,)))
    return found, sorted(bad, key=lambda b: b.line)


def _space_problem(row: dict[str, str]) -> tuple[str, str] | None:
    for column in ("incident", "responder", "eu_act_or_statement", "status"):
        if not row[column]:
            return column, "empty"
    incident_day = _day(row["incident_date"])
    if incident_day is None and not _ONGOING.match(row["incident_date"]):
        return "incident_date", "neither a day (YYYY-MM-DD) nor 'YEAR (ongoing)' / 'YEAR-YEAR (ongoing)'"
    response_day = _day(row["response_date"])
    month = _MONTH.match(row["response_date"])
    if response_day is None and not (month and 1 <= int(month[2]) <= 12):
        return "response_date", "neither a day (YYYY-MM-DD) nor a month (YYYY-MM, optionally '(note)')"
    if incident_day and response_day and response_day < incident_day:
        return "response_date", f"before the incident ({incident_day})"
    _, unknown = response_types_of(row["response_type"])
    if unknown:
        return "response_type", f"{unknown!r} matches no response type rule ({', '.join(RESPONSE_TYPES)})"
    if not _url(row["source_url"]):
        return "source_url", "not an http(s) URL"
    return None


def _count(n: int, word: str) -> str:
    """``1 person``, ``2 persons``, ``1 entity``, ``3 entities``."""
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{n} {word if n == 1 else plural}"


def _slug(text: str, words: int = 4) -> str:
    head = re.split(r"[(;]", text)[0]
    return "-".join(re.findall(r"[a-z0-9]+", head.lower())[:words]) or "listing"


def parse_cyber_sanctions(text: str, source: str = "eu_cyber_sanctions.csv") -> tuple[list[Precedent],
                                                                                       list[Rejection]]:
    """The precedents of ``eu_cyber_sanctions.csv``: the rows of one listing (same ``listed_on``, ``legal_act`` and
    ``attack``) make one precedent "restrictive measures for <attack>" (id ``cyber-<listed_on>-<attack slug>``), in
    the order first listed. Rejected rows: an empty name, legal act, attack or status; an entity type other than
    person or entity; a listing date that is not a day; a source URL that is not http(s); a name listed twice in
    one listing."""
    bad: list[Rejection] = []
    groups: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = {}
    for line, row in _rows(text, source, SANCTIONS_COLUMNS, bad):
        problem = _sanctions_problem(row)
        key = (row["listed_on"], row["legal_act"], row["attack"])
        if problem is None and any(r["name"].lower() == row["name"].lower() for _, r in groups.get(key, [])):
            problem = ("name", "listed twice in this listing")
        if problem:
            bad.append(Rejection(source, line, problem[0], problem[1], row.get(problem[0], "")))
            continue
        groups.setdefault(key, []).append((line, row))
    found = []
    for (listed_on, act, attack), rows in groups.items():
        listings = tuple(Listing(r["name"], r["entity_type"], line, r["source_url"], r["status"], r["note"])
                         for line, r in rows)
        persons = sum(item.entity_type == "person" for item in listings)
        entities = len(listings) - persons
        counted = ", ".join(_count(n, word) for n, word in ((persons, "person"), (entities, "entity")) if n)
        notes = " ".join(f"{item.name}: {item.note}" for item in listings if item.note)
        names = "; ".join(item.name for item in listings)
        features = features_of_text(f"{attack}\n{act}\n{names}", notes, extra_kinds={"cyber-attack"})
        statuses = ", ".join(dict.fromkeys(item.status for item in listings))
        found.append(Precedent(f"cyber-{listed_on}-{_slug(attack)}", "cyber", attack, None, "",
                               "Council of the EU" if act.startswith("Council") else "EU", date.fromisoformat(
                                   listed_on), listed_on, ("restrictive measures",), "listing under the EU cyber "
                               "sanctions regime", act, listings[0].source_url, statuses,
                               f"{counted} listed: {names}", features, listings, source,
                               tuple(item.line for item in listings)))
    return found, sorted(bad, key=lambda b: b.line)


def _sanctions_problem(row: dict[str, str]) -> tuple[str, str] | None:
    for column in ("name", "legal_act", "attack", "status"):
        if not row[column]:
            return column, "empty"
    if row["entity_type"] not in ("person", "entity"):
        return "entity_type", "neither 'person' nor 'entity'"
    if _day(row["listed_on"]) is None:
        return "listed_on", "not a day (YYYY-MM-DD)"
    if not _url(row["source_url"]):
        return "source_url", "not an http(s) URL"
    return None


def read_precedents(space: str | Path | None = None, sanctions: str | Path | None = None,
                    ) -> tuple[list[Precedent], list[Rejection]]:
    """Every precedent of the two CSV files (default: ``../shared/data/space-threats/eu_space_responses.csv`` and
    ``../shared/data/cyber/eu_cyber_sanctions.csv``), space first, with the rejected rows. Raises ``OSError``
    naming a file that is absent or unreadable."""
    from kompas.files import NoSuchPath, read_text
    from kompas.locate import fallback_note, shared_data

    def where(given: str | Path | None, sub: str, name: str) -> Path:
        if given is not None:
            return Path(given)
        folder = shared_data(sub)
        if folder is None:
            raise NoSuchPath(fallback_note(sub, f"no {name} (it is read from ../shared only)"), sub)
        return folder / name

    space_path = where(space, "space-threats", "eu_space_responses.csv")
    sanctions_path = where(sanctions, "cyber", "eu_cyber_sanctions.csv")
    first, bad = parse_space_responses(read_text(space_path), str(space_path))
    second, more = parse_cyber_sanctions(read_text(sanctions_path), str(sanctions_path))
    return first + second, bad + more


# --- ATT&CK links ----------------------------------------------------------------------------------------------

#: Designators taken from a precedent's incident, act and listed names, searched in ATT&CK group descriptions:
#: military unit numbers, parenthesised designators (GTsST), operation names, an acronym heading the incident
#: (OPCW), and two capitalised words in a row within a listed entity's name (Huaying Haitai). A designator links to
#: a group only when exactly one active ATT&CK group's description holds it (as a whole word, same case).
DESIGNATOR_RULES: tuple[tuple[str, str], ...] = (
    ("unit number", r"\b[Uu]nit (\d{5})\b"),
    ("designator", r"\(([A-Z][A-Za-z]{2,}[A-Z])\)"),
    ("operation", r"\bOperation ([A-Z][a-z]+(?: [A-Z][a-z]+)*)"),
    ("incident acronym", r"^([A-Z]{3,6})\b"),
)
MIN_SOFTWARE_NAME = 5  #: shorter ATT&CK software names and aliases (Net, at, cmd) are not looked for in text


def attack_links(precedent: Precedent, index: AttackIndex) -> list[AttackLink]:
    """The ATT&CK software and groups a precedent's incident, act and listed names lead to, by ATT&CK's own
    names, aliases, descriptions and ``uses`` relationships (notes are not read: they cite press links):

    1. software (malware, tool) whose name or an alias of at least :data:`MIN_SOFTWARE_NAME` characters appears as a
       whole word, same case (``AcidRain`` -> S1125);
    2. groups named by name or alias as whole words, any case (``Callisto group`` -> G1033 "Callisto Group");
    3. the groups ATT&CK says use that software (S1125 -> G0034 Sandworm Team);
    4. groups whose ATT&CK description alone holds a designator of :data:`DESIGNATOR_RULES`.

    Each object once, with every way it was reached (``via``)."""
    text = f"{precedent.incident}\n{precedent.act}"
    names = [item.name for item in precedent.listings]
    whole = "\n".join([text, *names])
    via: dict[str, list[str]] = defaultdict(list)
    software = index.of_type("malware", "tool")
    groups = index.of_type("intrusion-set")
    for sid, obj in software.items():
        for name in dict.fromkeys((obj.name, *obj.aliases)):
            if len(name) >= MIN_SOFTWARE_NAME and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", whole):
                via[sid].append(f"software {name} named")
                break
    for gid, obj in groups.items():
        for name in dict.fromkeys((obj.name, *obj.aliases)):
            if len(name) >= MIN_SOFTWARE_NAME and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", whole,
                                                            re.IGNORECASE):
                via[gid].append(f"group {name} named")
                break
    for sid in [k for k in via if k in software]:
        for user in sorted(index.used_by.get(sid, ())):
            if user in groups:
                via[user].append(f"{software[sid].name} ({sid}) is used by it")
    designators: list[tuple[str, str]] = []
    for label, pattern in DESIGNATOR_RULES:
        source = precedent.incident if label == "incident acronym" else whole
        designators += [(label, m) for m in re.findall(pattern, source, re.MULTILINE)]
    for item in precedent.listings:
        if item.entity_type == "entity":
            words = re.findall(r"[A-Z][a-z]+", item.name)
            designators += [("entity name", f"{a} {b}") for a, b in zip(words, words[1:], strict=False)
                            if f"{a} {b}" in item.name]
    for label, token in dict.fromkeys(designators):
        holders = [gid for gid, obj in groups.items()
                   if re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", obj.description)]
        if len(holders) == 1:
            via[holders[0]].append(f"{label} {token!r} in its ATT&CK description")
    return [AttackLink(k, index.objects[k].name, "; ".join(dict.fromkeys(v)))
            for k, v in sorted(via.items(), key=lambda kv: (kv[0][0] != "S", -len(kv[1]), kv[0]))]


def with_attack(precedents: Sequence[Precedent], index: AttackIndex) -> list[Precedent]:
    """The precedents with :func:`attack_links` added: ATT&CK software ids into ``features.software``, the
    techniques that software uses (ATT&CK ``uses``) into ``features.techniques``, the group ids into
    ``features.actors``, and the links themselves (with their ``via``) in ``attack_links``."""
    done = []
    for precedent in precedents:
        links = attack_links(precedent, index)
        software = {link.id for link in links if link.id.startswith("S")}
        groups = {link.id for link in links if link.id.startswith("G")}
        techniques = {t for s in software for t in index.uses.get(s, ())
                      if index.objects[t].type == "attack-pattern"}
        f = precedent.features
        done.append(replace(precedent, attack_links=tuple(links), features=replace(
            f, software=f.software | software, techniques=f.techniques | techniques, actors=f.actors | groups)))
    return done


# --- nearest precedents ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IncidentFeatures:
    """A new incident as :func:`nearest` compares it. ``actors`` holds only what a recorded attribution names
    (ISO alpha-2 states or ATT&CK group ids); Kompas never computes an attribution."""

    domain: str
    kinds: frozenset[str] = frozenset()
    techniques: frozenset[str] = frozenset()
    software: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    day: date | None = None


def incident_features(domain: str, text: str = "", day: date | None = None, kinds: Iterable[str] = (),
                      techniques: Iterable[str] = (), software: Iterable[str] = (),
                      actors: Iterable[str] = ()) -> IncidentFeatures:
    """An incident's features: the kinds and techniques the rules find in ``text`` (a description of the
    incident) plus those given; ``actors`` only from recorded attributions (the text's names are not used)."""
    if domain not in DOMAINS:
        raise ValueError(f"domain {domain!r} is not one of {', '.join(DOMAINS)}")
    found = features_of_text(text) if text else Features()
    return IncidentFeatures(domain, found.kinds | frozenset(kinds), found.techniques | frozenset(techniques),
                            frozenset(software), frozenset(actors), day)


class Match(NamedTuple):
    """A precedent, its similarity to the incident (0..1, a ranking score) and why."""

    precedent: Precedent
    score: float
    why: str


def _technique_hits(asked: frozenset[str], known: frozenset[str]) -> list[str]:
    """The techniques asked that the precedent has, itself, as its parent or as one of its sub-techniques."""
    parents = {t.split(".")[0] for t in known}
    return sorted(t for t in asked if t in known or t.split(".")[0] in known or t in parents)


def _response_day(p: Precedent) -> date:
    """The response day, or the 15th of its month, or 1 July of its year, when only those are known."""
    if p.response_date is not None:
        return p.response_date
    month = _MONTH.match(p.response_date_text)
    return date(int(month[1]), int(month[2]), 15) if month else date(p.response_year, 7, 1)


def nearest(incident: IncidentFeatures, precedents: Sequence[Precedent], k: int = 3) -> list[Match]:
    """The ``k`` precedents most similar to ``incident``, best first (ties: the later response first, then id).

    Similarity = sum of weight x component over :data:`WEIGHTS`, divided by the sum of the weights:

    - domain: 1 when the precedent's domain is the incident's, 0.5 when the incident's domain is among the
      domains the precedent's kinds touch (a cyber-attack on a satellite network for a cyber incident), else 0;
    - kinds: the share of the incident's kinds the precedent has;
    - techniques: the share of the incident's techniques the precedent has (itself, parent or sub-technique);
    - software: 1 when they share an ATT&CK software id;
    - actor: 1 when an actor of the incident's recorded attributions is among the precedent's actors;
    - recency: 1 / (1 + |years from the incident's day to the response| / :data:`RECENCY_YEARS`), 0 when the
      incident has no day (a response known to the month only counts from the 15th).

    ``why`` names each component that matched, e.g. ``domain space; kinds asat-test, debris (2 of 2); ...``."""
    total = sum(WEIGHTS.values())
    scored = []
    for p in precedents:
        f = p.features
        parts: dict[str, float] = {}
        why: list[str] = []
        if p.domain == incident.domain:
            parts["domain"] = 1.0
            why.append(f"domain {p.domain}")
        elif incident.domain in f.domains:
            parts["domain"] = 0.5
            why.append(f"touches {incident.domain} (precedent is {p.domain})")
        kinds = sorted(incident.kinds & f.kinds)
        if kinds:
            parts["kinds"] = len(kinds) / len(incident.kinds)
            why.append(f"kinds {', '.join(kinds)} ({len(kinds)} of {len(incident.kinds)})")
        hits = _technique_hits(incident.techniques, f.techniques)
        if hits:
            parts["techniques"] = len(hits) / len(incident.techniques)
            why.append(f"techniques {', '.join(hits)} ({len(hits)} of {len(incident.techniques)})")
        software = sorted(incident.software & f.software)
        if software:
            parts["software"] = 1.0
            why.append(f"software {', '.join(software)}")
        actors = sorted(incident.actors & f.actors)
        if actors:
            parts["actor"] = 1.0
            why.append(f"actor {', '.join(actors)}")
        if incident.day is not None:
            when = _response_day(p)
            years = abs((when - incident.day).days) / 365.25
            parts["recency"] = 1.0 / (1.0 + years / RECENCY_YEARS)
            why.append(f"responded {p.response_date_text} ({years:.1f} years from the incident)")
        score = sum(WEIGHTS[name] * value for name, value in parts.items()) / total
        scored.append(Match(p, round(score, 6), "; ".join(why) or "nothing in common"))
    scored.sort(key=lambda m: (-m.score, -_response_day(m.precedent).toordinal(), m.precedent.id))
    return scored[:max(k, 0)]
