"""EU cyber sanctions listings resolved to the ATT&CK groups and software they concern, from the texts of ATT&CK
and the MISP threat-actor galaxy, never from a table of answers.

Source of the listings: ``../shared/data/cyber/eu_cyber_sanctions.csv``, **written by hand** for Kompas from press
and legal-news pages reporting the Official Journal (Council Regulation (EU) 2019/796 and its implementing acts;
each row cites its page in ``source_url``; see ``../shared/data/cyber/PROVENANCE.md`` for what is uncertain).
Columns :data:`COLUMNS`; a listing is the rows of one ``(listed_on, legal_act, attack)``, as
:mod:`kompas.response.precedents` groups them. Read from ../shared only, never shipped.

**How a row is resolved** (:func:`resolve_text`): the row's ``name`` and ``attack`` are read (``note`` is not: it
cites press pages, some naming the answer); every clue found in them casts **one vote, split equally among the
ATT&CK groups it points to**:

1. *group named*: an ATT&CK group's name or alias (any case, whole words, at least :data:`MIN_NAME` characters)
   appears: ``Callisto group`` -> G1033 (alias "Callisto Group"), ``Armageddon`` -> G0047;
2. *campaign named*: an ATT&CK campaign's name or alias appears -> the groups it is ``attributed-to``;
3. *software named*: an ATT&CK software name or alias (same case, whole words, at least :data:`MIN_NAME`
   characters: ATT&CK names tools after common words) -> the groups ATT&CK says use it (``uses``, directly or
   through an attributed campaign): ``WannaCry`` -> S0366 -> G0032; ``NotPetya`` -> S0368 -> G0034;
4. *galaxy actor named*: a galaxy cluster's value or synonym appears (any case, at least :data:`MIN_NAME`
   characters) -> the ATT&CK groups the galaxy links it to (:func:`kompas.cyber.galaxy.attack_groups`):
   ``Cloud Hopper`` (a synonym of the galaxy's APT10) -> G0045;
5. *designator in ATT&CK*: a term of the row that is rare in ATT&CK as a whole, found in the names, aliases and
   descriptions (citations removed) of at most :data:`MAX_HOLDERS` active ATT&CK objects, among them a group or a
   campaign attributed to one: ``GTsST`` -> G0034, ``OPCW`` -> G0007, ``29155`` -> G1003, ``Huaying`` -> G0045,
   ``26165`` -> G0007 and G0034 (half each);
6. *designator in the galaxy*: the same over the galaxy clusters' string fields (such as ``GRU: Military unit
   26165``; not the descriptions, which quote vendor reports), for terms holding a digit or two capitals only
   (those fields are short attributes: ``States`` would match the sponsor "United States") -> the clusters'
   ATT&CK groups.

Terms (5, 6) are the row's words holding a capital letter or four or more digits (at least 3 characters) and
pairs of adjacent capitalised words, matched as whole words, any case; words already matched as a name (1-4) are
not used again. Rarity over *all* ATT&CK objects, not only groups, is what keeps ordinary words out: ``April``,
``Federal`` or ``General Staff`` appear in more than three texts. A group's votes are summed; the row resolves to
the groups with the most votes (:attr:`Resolution.best`), every clue kept as evidence. A row with no clue of its
own (two persons of the Bundestag listing: ``Bundestag`` appears nowhere in ATT&CK or the galaxy) takes the votes
of its listing's other rows, and says so.

Pure functions; :func:`read_sanctions` is the thin reader.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from kompas.cyber.attack import SOFTWARE_TYPES, AttackIndex
from kompas.cyber.galaxy import Cluster, Galaxy, attack_groups
from kompas.rejections import Rejection

__all__ = ["COLUMNS", "MAX_HOLDERS", "MIN_NAME", "Clue", "GroupVote", "Resolution", "Resolver", "SanctionRow",
           "SoftwareHit", "build_resolver", "parse_sanctions", "read_sanctions", "resolve_sanctions",
           "resolve_text"]

COLUMNS = ("name", "entity_type", "listed_on", "legal_act", "attack", "source_url", "status", "note")
MIN_NAME = 5  #: shorter names and aliases (``at``, ``Net``, ``APT3``) are not looked for in text
MAX_HOLDERS = 3  #: a designator is found in at most this many ATT&CK objects (or galaxy clusters)
MAX_WORDS = 5  #: longest name looked for, in words
_TOKEN = re.compile(r"[^\W_](?:[\w\-.']*[^\W_])?")
_CITATION = re.compile(r"\(Citation:[^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


@dataclass(frozen=True)
class SanctionRow:
    """One row of the sanctions CSV (a person or entity listed)."""

    line: int  #: line in the file (the header is line 1)
    name: str
    entity_type: str  #: ``person`` or ``entity``
    listed_on: str  #: ISO date
    legal_act: str
    attack: str  #: the attack the listing names
    source_url: str
    status: str  #: ``verified-secondary``, ``uncertain-spelling``, ``uncertain-act-number``
    note: str = ""

    @property
    def listing(self) -> tuple[str, str, str]:
        return self.listed_on, self.legal_act, self.attack


def parse_sanctions(text: str, source: str = "eu_cyber_sanctions.csv") -> tuple[list[SanctionRow], list[Rejection]]:
    """The rows of the sanctions CSV. Raises ``ValueError`` naming ``source`` when a column of :data:`COLUMNS` is
    missing; a row with an empty name or attack, or an entity type other than person or entity, is rejected
    (``SOURCE:LINE: field: reason``)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    rows: list[SanctionRow] = []
    bad: list[Rejection] = []
    for raw in reader:
        line = reader.line_num
        row = {c: str(raw.get(c) or "").strip() for c in COLUMNS}
        problem = next((c for c in ("name", "attack") if not row[c]), None)
        if problem:
            bad.append(Rejection(source, line, problem, "empty"))
        elif row["entity_type"] not in ("person", "entity"):
            bad.append(Rejection(source, line, "entity_type", "neither 'person' nor 'entity'", row["entity_type"]))
        else:
            rows.append(SanctionRow(line, **row))
    return rows, bad


# --- the resolver ------------------------------------------------------------------------------------------------

def _clean(text: str) -> str:
    return _LINK.sub(r"\1", _CITATION.sub("", text))


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m[0], m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _terms(text: str) -> set[str]:
    """Lower-case tokens and pairs of adjacent tokens (separated by blanks only) of a text."""
    tokens = _tokens(text)
    found = {t.lower() for t, _, _ in tokens}
    for (a, _, end), (b, start, _) in zip(tokens, tokens[1:], strict=False):
        if not text[end:start].strip():
            found.add(f"{a} {b}".lower())
    return found


def _key(name: str, fold: bool) -> str:
    words = " ".join(t for t, _, _ in _tokens(name))
    return words.lower() if fold else words


@dataclass(frozen=True, eq=False)
class Resolver:
    """What :func:`resolve_text` looks for, built once from ATT&CK and the galaxy (:func:`build_resolver`)."""

    index: AttackIndex
    galaxy: Galaxy | None
    group_names: Mapping[str, tuple[str, ...]]  #: folded name -> group ids
    campaign_names: Mapping[str, tuple[str, ...]]  #: folded name -> campaign ids
    software_names: Mapping[str, tuple[str, ...]]  #: name (case kept) -> software ids
    galaxy_names: Mapping[str, tuple[int, ...]]  #: folded name -> cluster positions
    galaxy_links: Mapping[int, tuple[str, ...]]  #: cluster position -> active ATT&CK group ids
    attack_terms: Mapping[str, tuple[str, ...]]  #: term -> the ATT&CK objects holding it (rare terms only)
    galaxy_terms: Mapping[str, tuple[int, ...]]  #: term -> the clusters holding it (rare terms only)


def _names(entries: Iterable[tuple[str, Sequence[str]]], fold: bool) -> Mapping[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for aid, names in entries:
        for name in dict.fromkeys(names):
            key = _key(name, fold)
            if len(key) >= MIN_NAME and aid not in found[key]:
                found[key].append(aid)
    return MappingProxyType({k: tuple(v) for k, v in found.items()})


def build_resolver(index: AttackIndex, galaxy: Galaxy | None = None) -> Resolver:
    """The look-up tables of :func:`resolve_text`: names and aliases of groups, campaigns and software, galaxy
    names and links, and the rare terms of ATT&CK's texts and of the galaxy's string fields."""
    groups = _names(((k, (o.name, *o.aliases)) for k, o in index.groups.items()), True)
    campaigns = _names(((k, (o.name, *o.aliases)) for k, o in index.campaigns.items()), True)
    software = _names(((k, (o.name, *o.aliases)) for k, o in index.of_type(*SOFTWARE_TYPES).items()), False)
    holders: dict[str, list[str]] = defaultdict(list)
    for aid, entry in index.objects.items():
        for term in _terms("\n".join((entry.name, *entry.aliases, _clean(entry.description)))):
            holders[term].append(aid)
    attack_terms = {t: tuple(h) for t, h in holders.items() if len(h) <= MAX_HOLDERS}
    galaxy_names: dict[str, list[int]] = defaultdict(list)
    galaxy_links: dict[int, tuple[str, ...]] = {}
    clusters: dict[str, list[int]] = defaultdict(list)
    if galaxy is not None:
        for k, cluster in enumerate(galaxy.clusters):
            galaxy_links[k] = tuple(link.group_id for link in attack_groups(cluster, index) if link.active)
            for name in dict.fromkeys(_key(n, True) for n in cluster.names):
                if len(name) >= MIN_NAME:
                    galaxy_names[name].append(k)
            for term in _terms("\n".join(cluster.fields.values())):
                clusters[term].append(k)
    return Resolver(index, galaxy, groups, campaigns, software,
                    MappingProxyType({k: tuple(v) for k, v in galaxy_names.items()}),
                    MappingProxyType(galaxy_links), MappingProxyType(attack_terms),
                    MappingProxyType({t: tuple(h) for t, h in clusters.items() if len(h) <= MAX_HOLDERS}))


class Clue(NamedTuple):
    """Something found in a row's text and the groups it points to (its vote is split among them)."""

    kind: str  #: group named, campaign named, software named, galaxy actor named, designator in ATT&CK/galaxy
    text: str  #: the words of the row that matched
    groups: tuple[str, ...]  #: the ATT&CK groups it points to (may be empty: software no group uses)
    detail: str  #: what matched in ATT&CK or the galaxy


class SoftwareHit(NamedTuple):
    software_id: str
    name: str
    matched: str  #: the row's words
    users: tuple[str, ...]  #: the groups ATT&CK says use it


def _spans(text: str, table: Mapping[str, tuple], fold: bool) -> list[tuple[int, int, str, tuple]]:
    """Longest-first, non-overlapping matches of ``table``'s names in ``text``: (start, end, words, values)."""
    tokens = _tokens(text)
    used = [False] * len(tokens)
    found = []
    for n in range(MAX_WORDS, 0, -1):
        for i in range(len(tokens) - n + 1):
            if any(used[i:i + n]):
                continue
            window = tokens[i:i + n]
            if any(text[a[2]:b[1]].strip() for a, b in zip(window, window[1:], strict=False)):
                continue  # words must follow one another with blanks only between them
            words = " ".join(t for t, _, _ in window)
            hit = table.get(words.lower() if fold else words)
            if hit:
                found.append((window[0][1], window[-1][2], text[window[0][1]:window[-1][2]], hit))
                for j in range(i, i + n):
                    used[j] = True
    return sorted(found)


def _users(index: AttackIndex, software_id: str) -> tuple[str, ...]:
    users = set()
    for user in index.used_by.get(software_id, ()):
        kind = index.objects[user].type
        if kind == "intrusion-set":
            users.add(user)
        elif kind == "campaign":
            users |= index.attributed_to.get(user, frozenset())
    return tuple(sorted(users))


def _designators(text: str, covered: list[tuple[int, int]]) -> list[str]:
    tokens = [(t, a, b) for t, a, b in _tokens(text) if not any(s <= a and b <= e for s, e in covered)]
    terms = [t for t, _, _ in tokens if len(t) >= 3 and (any(c.isupper() for c in t) or
                                                          sum(c.isdigit() for c in t) >= 4)]
    for (a, _, end), (b, start, _) in zip(tokens, tokens[1:], strict=False):
        if a[0].isupper() and b[0].isupper() and not text[end:start].strip():
            terms.append(f"{a} {b}")
    return list(dict.fromkeys(terms))


def _fields_holding(cluster: Cluster, term: str) -> str:
    shown = ", ".join(f"{f}: {v}" for f, v in cluster.fields.items() if term.lower() in v.lower())
    return f"{cluster.value!r} ({shown})"


def _acronym_or_number(term: str) -> bool:
    """A term shaped like a designator in the galaxy's short attribute fields: a digit or two capitals
    (``26165``, ``GTsSS``), not a word such as ``States`` (which would match "United States" as a sponsor)."""
    return any(c.isdigit() for c in term) or sum(c.isupper() for c in term) >= 2


def resolve_text(resolver: Resolver, text: str) -> tuple[list[Clue], list[SoftwareHit]]:
    """The clues in ``text`` (module docstring, kinds 1-6) and the ATT&CK software it names."""
    index = resolver.index
    clues: list[Clue] = []
    covered: list[tuple[int, int]] = []
    for start, end, words, ids in _spans(text, resolver.group_names, True):
        covered.append((start, end))
        clues.append(Clue("group named", words, tuple(ids), "; ".join(f"{index.objects[g].name} ({g})"
                                                                     for g in ids)))
    for start, end, words, ids in _spans(text, resolver.campaign_names, True):
        covered.append((start, end))
        groups = tuple(sorted({g for c in ids for g in index.attributed_to.get(c, ())}))
        named = [f"{index.objects[c].name} ({c}), attributed to "
                 f"{', '.join(sorted(index.attributed_to.get(c, ()))) or 'no group'}" for c in ids]
        clues.append(Clue("campaign named", words, groups, "; ".join(named)))
    software: list[SoftwareHit] = []
    for start, end, words, ids in _spans(text, resolver.software_names, False):
        covered.append((start, end))
        for sid in ids:
            users = _users(index, sid)
            software.append(SoftwareHit(sid, index.objects[sid].name, words, users))
            clues.append(Clue("software named", words, users, f"{index.objects[sid].name} ({sid}), used by "
                              f"{', '.join(users) or 'no group'} (ATT&CK uses)"))
    if resolver.galaxy is not None:
        for start, end, words, ks in _spans(text, resolver.galaxy_names, True):
            covered.append((start, end))
            groups = tuple(sorted({g for k in ks for g in resolver.galaxy_links.get(k, ())}))
            names = ", ".join(repr(resolver.galaxy.clusters[k].value) for k in ks)
            clues.append(Clue("galaxy actor named", words, groups, f"galaxy cluster {names} -> "
                              f"{', '.join(groups) or 'no ATT&CK group'}"))
    for term in _designators(text, covered):
        holders = resolver.attack_terms.get(term.lower(), ())
        held: set[str] = set()
        where = []
        for aid in holders:
            entry = index.objects[aid]
            if entry.type == "intrusion-set":
                held.add(aid)
                where.append(f"{entry.name} ({aid})")
            elif entry.type == "campaign" and index.attributed_to.get(aid):
                held |= index.attributed_to[aid]
                where.append(f"campaign {aid}, attributed to {', '.join(sorted(index.attributed_to[aid]))}")
        if held:
            clues.append(Clue("designator in ATT&CK", term, tuple(sorted(held)),
                              f"in the text of {'; '.join(where)} ({len(holders)} ATT&CK object(s) hold it)"))
        if resolver.galaxy is not None and _acronym_or_number(term):
            ks = resolver.galaxy_terms.get(term.lower(), ())
            linked = tuple(sorted({g for k in ks for g in resolver.galaxy_links.get(k, ())}))
            if linked:
                fields = "; ".join(_fields_holding(resolver.galaxy.clusters[k], term) for k in ks)
                clues.append(Clue("designator in the galaxy", term, linked, f"in galaxy cluster {fields}"))
    return clues, software


# --- rows and listings -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupVote:
    """A group a row points to, with its votes and the clues behind them."""

    group_id: str
    name: str
    votes: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    """A sanctions row resolved to ATT&CK (or not, and why)."""

    row: SanctionRow
    groups: tuple[GroupVote, ...]  #: most votes first, then by id
    software: tuple[SoftwareHit, ...]
    clues: tuple[Clue, ...]
    via: str  #: ``row`` (its own text), ``listing`` (its listing's other rows) or "" (unresolved)
    reason: str = ""  #: why it is unresolved, or how it was resolved through its listing
    label: str = field(default="resolution from ATT&CK's and the MISP galaxy's own text; not an attribution by "
                               "Kompas", repr=False)

    @property
    def best(self) -> tuple[str, ...]:
        """The groups with the most votes."""
        if not self.groups:
            return ()
        top = self.groups[0].votes
        return tuple(g.group_id for g in self.groups if abs(g.votes - top) < 1e-9)

    @property
    def resolved(self) -> bool:
        return bool(self.groups)


def _votes(index: AttackIndex, clues: Iterable[Clue]) -> tuple[GroupVote, ...]:
    votes: dict[str, float] = defaultdict(float)
    why: dict[str, list[str]] = defaultdict(list)
    for clue in clues:
        for group in clue.groups:
            votes[group] += 1 / len(clue.groups)
            share = "" if len(clue.groups) == 1 else f" (1/{len(clue.groups)} vote)"
            why[group].append(f"{clue.kind} {clue.text!r}: {clue.detail}{share}")
    return tuple(GroupVote(g, index.objects[g].name, round(v, 6), tuple(why[g]))
                 for g, v in sorted(votes.items(), key=lambda kv: (-round(kv[1], 9), kv[0])))


def resolve_sanctions(rows: Sequence[SanctionRow], resolver: Resolver) -> list[Resolution]:
    """Every row resolved from its ``name`` and ``attack`` (module docstring); a row with no clue of its own takes
    the clues of the other rows of its listing (same date, act and attack), saying so; a listing without any clue
    leaves its rows unresolved, with the reason. In the rows' order."""
    own: dict[int, tuple[list[Clue], list[SoftwareHit]]] = {}
    listing: dict[tuple[str, str, str], dict[tuple[str, str], Clue]] = defaultdict(dict)
    for row in rows:
        clues, software = resolve_text(resolver, f"{row.name}\n{row.attack}")
        own[row.line] = (clues, software)
        for clue in clues:
            listing[row.listing].setdefault((clue.kind, clue.text.lower()), clue)
    found = []
    for row in rows:
        clues, software = own[row.line]
        if any(c.groups for c in clues):
            found.append(Resolution(row, _votes(resolver.index, clues), tuple(software), tuple(clues), "row"))
            continue
        shared = [c for c in listing[row.listing].values() if c.groups]
        if shared:
            others = sorted({r.name for r in rows if r.listing == row.listing and any(
                c.groups for c in own[r.line][0])})
            found.append(Resolution(row, _votes(resolver.index, shared), tuple(software), tuple(shared), "listing",
                                    f"no clue in its own name and attack ({row.attack!r}); resolved through the "
                                    f"other rows of its listing ({row.listed_on}): {'; '.join(others)}"))
            continue
        found.append(Resolution(row, (), tuple(software), tuple(clues), "",
                                f"no ATT&CK group, campaign or software name, galaxy actor name, or term found in at "
                                f"most {MAX_HOLDERS} ATT&CK objects or galaxy clusters appears in {row.name!r} or "
                                f"{row.attack!r}, nor in the other rows of its listing"))
    return found


def read_sanctions(path: str | None = None) -> tuple[list[SanctionRow], list[Rejection]]:
    """The rows of ``path`` (default ``../shared/data/cyber/eu_cyber_sanctions.csv``: hand-written, read from
    ../shared only). Raises ``OSError`` naming what is missing."""
    from kompas.files import NoSuchPath, read_text
    from kompas.locate import fallback_note, shared_data

    if path is None:
        folder = shared_data("cyber")
        if folder is None or not (folder / "eu_cyber_sanctions.csv").exists():
            raise NoSuchPath(fallback_note("cyber", "no eu_cyber_sanctions.csv (it is read from ../shared only)"),
                             "cyber/eu_cyber_sanctions.csv")
        path = str(folder / "eu_cyber_sanctions.csv")
    return parse_sanctions(read_text(path), path)
