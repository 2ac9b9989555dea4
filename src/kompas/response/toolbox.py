"""The EU response toolboxes as data, one model for all: the space toolbox, the hybrid toolbox, the cyber diplomacy
toolbox and the FIMI toolbox, each a list of options (instruments) with the seed lines they rest on.

Sources (Dutch seed texts in ``../shared/seeds``):

- **space**: the Council's space strategy conclusions of 13 November 2023 (``004_a47d80d624d89186.txt``) ask the
  High Representative to strengthen the space threat response architecture with "verklaringen en preventieve,
  stabiliserende en samenwerkingsmaatregelen ..., zo nodig met inbegrip van beperkende maatregelen", and to develop
  "een specifieke toolbox ... voor gezamenlijke EU-respons op onverantwoord en vijandig gedrag in het ruimtedomein"
  (l.417-441), building on Council Decision (CFSP) 2021/698 (l.419, footnote l.446-454); attribution to a third
  state "een soevereine politieke beslissing van de lidstaten blijft" (l.455-466).
- **hybrid**: the Strategic Compass (``000_e18c6be3a889c87f.txt``) l.1740-1776 and 2284-2304: the EU hybrid
  toolbox with "preventieve, coöperatieve, stabiliserende, beperkende en herstelmaatregelen", coordinated
  attribution, the Hybrid Fusion Cell and the hybrid rapid response teams.
- **cyber**: the Compass l.1786-1887: the cyber diplomacy toolbox "waaronder preventieve maatregelen en sancties",
  the Joint Cyber Unit, experts deployed in cyber crises, exercises for solidarity and mutual assistance.
- **fimi**: the Compass l.1800-1832 and 2327-2345 (the former ``fimi_toolbox.yaml``, merged here); it keeps its own
  five groups (prevention, resilience, disruption, regulatory, diplomatic), read by :mod:`kompas.fimi.response`.

The shipped tables are ``kompas/data/toolboxes/{space,hybrid,cyber,fimi}.yaml``; each file's header says what the
texts do and do not say and which legal facts were verified against public sources. Every option carries its
category (:data:`CATEGORIES`), instrument kind, legal basis (with the seed place naming the act, or a note that the
seeds do not name it and which public act it is), who decides and by what rule (:data:`DECIDERS`, :data:`RULES`;
restrictive measures only by the Council by unanimity, :data:`CATEGORY_RULES`), a typical lead time in days with
where it comes from, an escalation level on :data:`ESCALATION` and seed citations (verbatim Dutch quotes,
whitespace-insensitive, checked against the seeds by the tests with :func:`kompas.compass.register.quote_problem`).

:func:`parse_toolboxes` takes a file's text (or its parsed mapping) and is pure; :func:`load_toolboxes` reads the
shipped files (or a given file or folder) through :mod:`kompas.files`; :func:`options` selects options.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kompas.compass.register import DOCUMENTS, Place, place_of
from kompas.texts import yaml_mapping

__all__ = ["CATEGORIES", "CATEGORY_RULES", "CATEGORY_WORDS", "DECIDERS", "ESCALATION", "RULES", "SHORT",
           "TOOLBOXES", "Group", "Option", "Toolbox", "load_toolboxes", "options", "parse_toolboxes"]

#: The six response categories, in display order (the order the space conclusions list them, 004 l.423-427, then
#: resilience/recovery), with their display names. A category is a reading of the text, not words of the text.
CATEGORIES: dict[str, str] = {
    "statement": "Statement / diplomatic",
    "preventive": "Preventive",
    "stabilising": "Stabilising",
    "cooperative": "Cooperative",
    "restrictive": "Restrictive",
    "resilience": "Resilience / recovery",
}
#: The Dutch word stems by which the seed texts name each category (a toolbox's ``categories_named`` quote must
#: contain one): "verklaringen" (004 l.423), "preventieve" (004 l.423; 000 l.1746, 1790), "stabiliserende",
#: "samenwerkingsmaatregelen" (004 l.425) / "coöperatieve" (000 l.1746), "beperkende" (004 l.427; 000 l.1746) /
#: "sancties" (000 l.1790-1792), "herstelmaatregelen" (000 l.1748) / "weerbaarheid" (000 l.1810, 1863).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "statement": ("verklaring",),
    "preventive": ("preventie",),
    "stabilising": ("stabilis",),
    "cooperative": ("samenwerking", "coöperatie"),
    "restrictive": ("beperkende", "sancties"),
    "resilience": ("herstel", "weerbaar"),
}
#: Who decides on an option.
DECIDERS = ("High Representative", "Council", "Council Presidency", "Commission", "Member States")
#: The decision rules.
RULES: dict[str, str] = {
    "unanimity": "all Member States in the Council (TEU art. 31(1) for CFSP decisions; declarations on behalf of "
                 "the EU are agreed by all Member States)",
    "qualified majority": "qualified majority in the Council (TEU art. 16(3), 31(2))",
    "HR alone": "the High Representative (with the EEAS) on his or her own authority",
    "Commission": "the Commission (or an EU agency under it) on its own authority",
    "Presidency": "the rotating Presidency of the Council, after consulting (IPCR, Council Implementing Decision "
                  "(EU) 2018/1993)",
    "national": "each Member State for itself (a sovereign national decision)",
}
#: Rules fixed by category: restrictive measures are a Council decision under TEU art. 29 (with a regulation under
#: TFEU art. 215), taken by unanimity (TEU art. 31(1)). The parser rejects an option that breaks them.
CATEGORY_RULES: dict[str, tuple[str, str]] = {"restrictive": ("Council", "unanimity")}
#: The escalation scale (1..5) of :attr:`Option.escalation`: how far an option goes towards the author of an
#: incident. A judgement made for Kompas, not a scale of the seed texts or of the EU.
ESCALATION: dict[int, str] = {
    1: "words or internal measures: statements that condemn without naming a state, analysis, information "
       "sharing, exercises, protection and recovery of one's own systems",
    2: "engagement: dialogues, norms diplomacy, partner capacity building, cooperation with NATO and partners",
    3: "protective or stabilising action: operational measures on EU systems, team deployments, crisis "
       "coordination, demarches to the state concerned",
    4: "naming: public national or coordinated attribution to a state",
    5: "coercion or Treaty clauses: restrictive measures (sanctions); mutual assistance (TEU art. 42(7)) and "
       "solidarity (TFEU art. 222)",
}
#: The shipped toolboxes, in display order.
TOOLBOXES = ("space", "hybrid", "cyber", "fimi")
#: Short names of the seed texts in citations (as the FIMI toolbox has always written them).
SHORT = {"000": "Strategic Compass", "003": "critical technologies roadmap", "004": "space security conclusions"}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOOLBOX_KEYS = {"id", "name", "summary", "cite", "categories_named", "groups", "options"}
_OPTION_KEYS = {"id", "name", "action", "category", "instrument", "basis", "decides", "rule", "procedure",
                "lead_time", "escalation", "cite", "group", "same_as"}
_REQUIRED = ("id", "name", "action", "category", "instrument", "basis", "decides", "rule", "lead_time",
             "escalation", "cite")


@dataclass(frozen=True)
class Group:
    """A toolbox's own grouping of its options (the FIMI toolbox's five response categories)."""

    id: str
    name: str
    summary: str


@dataclass(frozen=True)
class Option:
    """One response option (instrument) of a toolbox, with its legal basis, decision rule, lead time, escalation
    level and the seed lines it rests on."""

    id: str  #: unique across all toolboxes (kebab-case)
    toolbox: str
    name: str
    action: str  #: one sentence: what the option does
    category: str  #: one of :data:`CATEGORIES`
    instrument: str  #: the kind of instrument, e.g. "Council decision (CFSP)"
    basis: str  #: the legal basis, e.g. "TEU art. 29 / TFEU art. 215; Council Decision (CFSP) 2019/797"
    basis_seed: Place | None  #: where the seeds name the act, when they do
    basis_note: str  #: how the basis is known: the public act and what was verified (required without basis_seed)
    decides: str  #: one of :data:`DECIDERS`
    rule: str  #: one of :data:`RULES`
    lead_time_days: tuple[int, int]  #: typical time from incident to decision, in days (low, high)
    lead_time_basis: str  #: where the range comes from (precedents with dates, or "judgement")
    escalation: int  #: 1..5 on :data:`ESCALATION`
    cite: tuple[Place, ...]  #: seed lines naming or clearly implying the option (verbatim Dutch quotes)
    procedure: str = ""  #: how the decision is taken, when worth saying
    group: str | None = None  #: the toolbox's own group (FIMI), when the toolbox has groups
    same_as: str | None = None  #: the id of the same real instrument in another toolbox

    @property
    def citation(self) -> str:
        """``Strategic Compass l.1822-1824; space security conclusions l.417-427``."""
        return "; ".join(f"{SHORT.get(p.source[:3], p.source)} l.{p.first}-{p.last}" for p in self.cite)

    @property
    def places(self) -> tuple[Place, ...]:
        """Every seed place of the option: its citations and the place naming its legal basis."""
        return self.cite + ((self.basis_seed,) if self.basis_seed else ())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (places as ``{source, lines, quote}``)."""
        def place(p: Place) -> dict[str, Any]:
            return {"source": p.source, "lines": [p.first, p.last], "quote": p.quote}

        return {"id": self.id, "toolbox": self.toolbox, "name": self.name, "action": self.action,
                "category": self.category, "category_name": CATEGORIES[self.category],
                "instrument": self.instrument, "basis": self.basis,
                "basis_seed": place(self.basis_seed) if self.basis_seed else None, "basis_note": self.basis_note,
                "decides": self.decides, "rule": self.rule, "procedure": self.procedure,
                "lead_time_days": list(self.lead_time_days), "lead_time_basis": self.lead_time_basis,
                "escalation": self.escalation, "cite": [place(p) for p in self.cite], "citation": self.citation,
                "group": self.group, "same_as": self.same_as}


@dataclass(frozen=True)
class Toolbox:
    """A response toolbox: where the seeds call for it, the categories they name for it, and its options."""

    id: str
    name: str
    summary: str
    cite: tuple[Place, ...]  #: where the seeds call for or name the toolbox
    categories_named: dict[str, Place]  #: category -> the seed place naming it for this toolbox
    options: tuple[Option, ...]
    groups: tuple[Group, ...] = field(default=())

    @property
    def places(self) -> tuple[Place, ...]:
        """Every seed place of the toolbox and its options."""
        return (self.cite + tuple(self.categories_named.values())
                + tuple(p for o in self.options for p in o.places))


def _text(raw: Mapping, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key}: missing or not a non-empty text")
    return " ".join(value.split())


def _place(raw: object, where: str) -> Place:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: not a mapping {{source, lines, quote}}")
    if raw.get("source") not in DOCUMENTS:
        raise ValueError(f"{where}: source: {raw.get('source')!r} is not one of {', '.join(DOCUMENTS)}")
    return place_of(raw, str(raw["source"]), where)


def _places(raw: Mapping, key: str, where: str) -> tuple[Place, ...]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: {key}: missing or not a non-empty list of {{source, lines, quote}}")
    return tuple(_place(item, f"{where}: {key} {number}") for number, item in enumerate(items, 1))


def _option(raw: object, box: str, groups: Mapping[str, Group], number: int, source: str) -> Option:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{source}: toolbox {box} option {number}: not a mapping")
    name = raw.get("id")
    if not isinstance(name, str) or not _ID.match(name):
        raise ValueError(f"{source}: toolbox {box} option {number}: id: {name!r} is not a kebab-case id")
    where = f"{source}: toolbox {box} option {name}"
    unknown = sorted(set(raw) - _OPTION_KEYS)
    if unknown:
        raise ValueError(f"{where}: {unknown[0]}: unknown field (fields: {', '.join(sorted(_OPTION_KEYS))})")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ValueError(f"{where}: {missing[0]}: missing")
    category = raw["category"]
    if category not in CATEGORIES:
        raise ValueError(f"{where}: category: {category!r} is not one of {', '.join(CATEGORIES)}")
    decides, rule = raw["decides"], raw["rule"]
    if decides not in DECIDERS:
        raise ValueError(f"{where}: decides: {decides!r} is not one of {', '.join(DECIDERS)}")
    if rule not in RULES:
        raise ValueError(f"{where}: rule: {rule!r} is not one of {', '.join(RULES)}")
    fixed = CATEGORY_RULES.get(category)
    if fixed and (decides, rule) != fixed:
        raise ValueError(f"{where}: rule: a {category} option is decided by the {fixed[0]} by {fixed[1]} "
                         f"(TEU art. 29 and 31(1)), not by the {decides} by {rule}")
    basis = raw["basis"]
    if not isinstance(basis, Mapping):
        raise ValueError(f"{where}: basis: not a mapping {{act, seed?, note?}}")
    act = _text(basis, "act", f"{where}: basis")
    seed = _place(basis["seed"], f"{where}: basis: seed") if basis.get("seed") is not None else None
    note = " ".join(str(basis.get("note") or "").split())
    if seed is None and not note:
        raise ValueError(f"{where}: basis: note: missing (without a seed place, say which public act it is and "
                         "that the seeds do not name it)")
    lead = raw["lead_time"]
    days = lead.get("days") if isinstance(lead, Mapping) else None
    if not (isinstance(days, list) and len(days) == 2 and all(type(d) is int for d in days)
            and 0 <= days[0] <= days[1]):
        raise ValueError(f"{where}: lead_time: days: {days!r} is not [low, high] with 0 <= low <= high")
    lead_basis = _text(lead, "basis", f"{where}: lead_time")
    level = raw["escalation"]
    if type(level) is not int or level not in ESCALATION:
        raise ValueError(f"{where}: escalation: {level!r} is not an integer 1..5")
    group = raw.get("group")
    if groups and group not in groups:
        raise ValueError(f"{where}: group: {group!r} is not one of {', '.join(groups)}")
    if not groups and group is not None:
        raise ValueError(f"{where}: group: {group!r} given but toolbox {box} has no groups")
    same_as = raw.get("same_as")
    if same_as is not None and (not isinstance(same_as, str) or not _ID.match(same_as)):
        raise ValueError(f"{where}: same_as: {same_as!r} is not an option id")
    procedure = " ".join(str(raw.get("procedure") or "").split())
    return Option(name, box, _text(raw, "name", where), _text(raw, "action", where), category,
                  _text(raw, "instrument", where), act, seed, note, decides, rule, (days[0], days[1]), lead_basis,
                  level, _places(raw, "cite", where), procedure, group, same_as)


def _toolbox(raw: object, number: int, source: str) -> Toolbox:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{source}: toolbox {number}: not a mapping")
    box = raw.get("id")
    if not isinstance(box, str) or not _ID.match(box):
        raise ValueError(f"{source}: toolbox {number}: id: {box!r} is not a kebab-case id")
    where = f"{source}: toolbox {box}"
    unknown = sorted(set(raw) - _TOOLBOX_KEYS)
    if unknown:
        raise ValueError(f"{where}: {unknown[0]}: unknown field (fields: {', '.join(sorted(_TOOLBOX_KEYS))})")
    named_raw = raw.get("categories_named")
    if not isinstance(named_raw, Mapping) or not named_raw:
        raise ValueError(f"{where}: categories_named: missing or not a mapping of category -> "
                         "{source, lines, quote}")
    named = {}
    for category, place in named_raw.items():
        if category not in CATEGORIES:
            raise ValueError(f"{where}: categories_named: {category!r} is not one of {', '.join(CATEGORIES)}")
        named[category] = _place(place, f"{where}: categories_named: {category}")
    groups: dict[str, Group] = {}
    for k, g in enumerate(raw.get("groups") or [], 1):
        if not isinstance(g, Mapping) or not isinstance(g.get("id"), str) or not _ID.match(g["id"]):
            raise ValueError(f"{where}: groups {k}: id: missing or not a kebab-case id")
        if g["id"] in groups:
            raise ValueError(f"{where}: groups {k}: id: {g['id']!r} used twice")
        groups[g["id"]] = Group(g["id"], _text(g, "name", f"{where}: group {g['id']}"),
                                " ".join(str(g.get("summary") or "").split()))
    items = raw.get("options")
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: options: missing or not a non-empty list")
    found = [_option(item, box, groups, k, source) for k, item in enumerate(items, 1)]
    return Toolbox(box, _text(raw, "name", where), _text(raw, "summary", where), _places(raw, "cite", where),
                   named, tuple(found), tuple(groups.values()))


def _check_ids(boxes: Mapping[str, Toolbox], origin: Mapping[str, str], complete: bool = True) -> None:
    """Option ids unique across the toolboxes; ``same_as`` naming an option of another toolbox with the same
    category, decider and rule (a ``same_as`` naming no option here is an error only when ``complete``).
    ``origin``: toolbox id -> the file it came from, which errors name."""
    seen: dict[str, Option] = {}
    for box in boxes.values():
        for option in box.options:
            if option.id in seen:
                raise ValueError(f"{origin[box.id]}: toolbox {box.id} option {option.id}: id: also in toolbox "
                                 f"{seen[option.id].toolbox}")
            seen[option.id] = option
    for box in boxes.values():
        for option in box.options:
            if option.same_as is None:
                continue
            other = seen.get(option.same_as)
            where = f"{origin[box.id]}: toolbox {box.id} option {option.id}: same_as"
            if other is None and not complete:
                continue
            if other is None or other.toolbox == box.id:
                raise ValueError(f"{where}: {option.same_as!r} is no option of another toolbox")
            if (other.category, other.decides, other.rule) != (option.category, option.decides, option.rule):
                raise ValueError(f"{where}: {other.id} differs in category, decider or rule")


def parse_toolboxes(text_or_mapping: str | Mapping, source: str) -> dict[str, Toolbox]:
    """The toolboxes of one YAML file (its text, or the mapping already read from it): ``toolboxes: [{id, name,
    summary, cite, categories_named, groups?, options: [...]}]``; other top-level keys are tables of other engines
    (``metatechniques``, read by :mod:`kompas.fimi.response`) and are left alone. A ``same_as`` naming an option
    of another file is resolved by :func:`merge`. Raises ``ValueError`` ``SOURCE: toolbox X option Y: field:
    reason`` for the first malformed field. Pure: no I/O."""
    data = yaml_mapping(text_or_mapping, source) if isinstance(text_or_mapping, str) else text_or_mapping
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: not a YAML mapping (key: value) at the top level")
    items = data.get("toolboxes")
    if not isinstance(items, list) or not items:
        raise ValueError(f"{source}: toolboxes: missing or not a non-empty list")
    boxes: dict[str, Toolbox] = {}
    for number, raw in enumerate(items, 1):
        box = _toolbox(raw, number, source)
        if box.id in boxes:
            raise ValueError(f"{source}: toolbox {box.id}: id: used twice")
        boxes[box.id] = box
    _check_ids(boxes, dict.fromkeys(boxes, source), complete=False)  # same_as into another file: merge()
    return boxes


def merge(parts: Iterable[tuple[str, Mapping[str, Toolbox]]]) -> dict[str, Toolbox]:
    """The toolboxes of several files (``(source, toolboxes)`` pairs) in one mapping, the shipped ones first in
    :data:`TOOLBOXES` order; raises ``ValueError`` naming the file when a toolbox or option id repeats or a
    ``same_as`` does not resolve."""
    merged: dict[str, Toolbox] = {}
    origin: dict[str, str] = {}
    for source, boxes in parts:
        for box in boxes.values():
            if box.id in merged:
                raise ValueError(f"{source}: toolbox {box.id}: id: also in {origin[box.id]}")
            merged[box.id] = box
            origin[box.id] = source
    ordered = {k: merged[k] for k in TOOLBOXES if k in merged} | merged
    _check_ids(ordered, origin)
    return ordered


def options(toolboxes: Mapping[str, Toolbox], toolbox: str | None = None,
            category: str | None = None) -> list[Option]:
    """The options of ``toolbox`` (default: all, in toolbox order) in ``category`` (default: all), by category in
    :data:`CATEGORIES` order, then in file order. Raises ``ValueError`` for an unknown toolbox or category."""
    if toolbox is not None and toolbox not in toolboxes:
        raise ValueError(f"toolbox {toolbox!r} is not one of {', '.join(toolboxes)}")
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    boxes = [toolboxes[toolbox]] if toolbox is not None else list(toolboxes.values())
    order = {c: k for k, c in enumerate(CATEGORIES)}
    out = []
    for box in boxes:
        picked = [o for o in box.options if category is None or o.category == category]
        out.extend(sorted(picked, key=lambda o: order[o.category]))
    return out


@lru_cache(maxsize=4)
def load_toolboxes(path: str | Path | None = None) -> dict[str, Toolbox]:
    """The toolboxes in ``path``: a YAML file, or a folder of them (every ``*.yaml``, sorted by name); default the
    shipped ``kompas/data/toolboxes``. Thin reader over :mod:`kompas.files`; each path is read once per process.
    Raises ``OSError`` naming a file that cannot be read, ``ValueError`` naming one that is malformed."""
    from kompas.files import files_in, packaged, read_text

    where = Path(path) if path is not None else packaged("toolboxes")
    files = files_in(where, ".yaml") if where.is_dir() else [where]
    return merge((str(f), parse_toolboxes(read_text(f), str(f))) for f in files)
