"""Response support: for an incident or a surge, the candidate countermeasures of DISARM's blue framework linked to
its techniques, sorted into the five response categories of the FIMI toolbox, with the EU instruments of each
category and the Strategic Compass lines that name them.

The toolbox table is the FIMI toolbox of the EU response toolboxes, ``kompas/data/toolboxes/fimi.yaml``, read
through the one model of :mod:`kompas.response.toolbox` (the former ``fimi_toolbox.yaml``, merged into it): its
five groups are this module's categories (prevention, resilience, disruption, regulatory, diplomatic), its options
the instruments (:class:`kompas.response.toolbox.Option`, with citations checked against the seed texts by the
tests), and its ``metatechniques`` table gives the category of each DISARM metatechnique (M001 Resilience, M004
Friction, ...), which places every countermeasure. A countermeasure counters a technique when DISARM lists the
technique, or its parent technique, among its ``techniques``; countermeasures covering more of the techniques seen
come first. Countermeasures DISARM itself marks "not recommended" (censorship, running a competing disinformation
campaign, ...) are never proposed.

:func:`parse_toolbox` takes the table's text; :func:`kompas.fimi.load.load_toolbox` reads it (by default the
shipped one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from kompas.fimi.disarm import Countermeasure, Framework
from kompas.response.toolbox import SHORT, Option, parse_toolboxes
from kompas.texts import yaml_mapping

__all__ = ["CATEGORIES", "SHORT", "Candidate", "Category", "Instrument", "Response", "Toolbox", "not_recommended",
           "parse_toolbox", "respond"]

#: The FIMI toolbox's own five groups of response, in order (the ``groups`` of ``toolboxes/fimi.yaml``).
CATEGORIES = ("prevention", "resilience", "disruption", "regulatory", "diplomatic")


#: An EU instrument against FIMI, with the seed lines that name it: an option of the FIMI toolbox.
Instrument = Option


@dataclass(frozen=True)
class Category:
    """One of the FIMI toolbox's five groups with its instruments, in file order."""

    id: str
    name: str
    summary: str
    instruments: tuple[Instrument, ...]


@dataclass(frozen=True)
class Toolbox:
    """The FIMI toolbox as :func:`respond` uses it: its groups and the group of each DISARM metatechnique."""

    categories: dict[str, Category]
    metatechniques: dict[str, str]  #: DISARM metatechnique id -> category id


def parse_toolbox(text: str, source: str) -> Toolbox:
    """The FIMI toolbox from the YAML text of its toolbox file (``toolboxes: [{id: fimi, groups: [...], options:
    [...]}]`` in the model of :func:`kompas.response.toolbox.parse_toolboxes`, whose errors it raises, and
    ``metatechniques: {M001: {category}}``); raises ``ValueError`` ``SOURCE: ...`` naming what is wrong."""
    data = yaml_mapping(text, source)
    box = parse_toolboxes(data, source).get("fimi")
    if box is None:
        raise ValueError(f"{source}: toolboxes: no toolbox with id 'fimi'")
    for group in box.groups:
        if group.id not in CATEGORIES:
            raise ValueError(f"{source}: toolbox fimi: groups: {group.id!r} is not one of {', '.join(CATEGORIES)}")
    categories = {g.id: Category(g.id, g.name, g.summary, tuple(o for o in box.options if o.group == g.id))
                  for g in box.groups}
    metatechniques = {}
    for key, value in (data.get("metatechniques") or {}).items():
        category = value.get("category") if isinstance(value, dict) else None
        if category not in CATEGORIES:
            raise ValueError(f"{source}: metatechnique {key}: category {category!r} is not one of "
                             f"{', '.join(CATEGORIES)}")
        metatechniques[str(key)] = category
    return Toolbox(categories, metatechniques)


@dataclass
class Candidate:
    """A countermeasure proposed for the techniques seen, with those it counters and its toolbox category."""

    countermeasure: Countermeasure
    counters: list[str]
    category: str
    weight: int  #: incidents (or surge cases) using the techniques it counters


@dataclass
class Response:
    """Candidate countermeasures per toolbox category, and the category's instruments with their citations."""

    techniques: Counter
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    instruments: dict[str, tuple[Instrument, ...]] = field(default_factory=dict)

    def as_json(self, limit: int = 5) -> dict:
        return {"techniques": dict(self.techniques.most_common()),
                "categories": {c: {"countermeasures": [
                    {"id": x.countermeasure.id, "name": x.countermeasure.name, "counters": x.counters,
                     "metatechnique": x.countermeasure.metatechnique, "response_type": x.countermeasure.response_type,
                     "summary": x.countermeasure.summary} for x in self.candidates.get(c, [])[:limit]],
                    "instruments": [{"id": i.id, "name": i.name, "action": i.action, "citation": i.citation,
                                     "quotes": [p.quote for p in i.cite]} for i in self.instruments.get(c, ())]}
                    for c in CATEGORIES}}


def not_recommended(measure: Countermeasure) -> bool:
    """True for a countermeasure DISARM marks "not recommended" in its name or summary."""
    return "not recommended" in f"{measure.name} {measure.summary}".lower()


def respond(techniques: Sequence[str] | Counter, framework: Framework | None,
            toolbox: Toolbox | None = None) -> Response:
    """Candidate responses to incidents using ``techniques`` (a list, or technique -> count for a surge or period).
    Without the DISARM framework only the toolbox instruments are given."""
    if toolbox is None:
        from kompas.fimi.load import load_toolbox  # the shipped table, read once through kompas.files

        toolbox = load_toolbox()
    counts = techniques if isinstance(techniques, Counter) else Counter(techniques)
    out = Response(counts, instruments={c: toolbox.categories[c].instruments if c in toolbox.categories else ()
                                        for c in CATEGORIES})
    if framework is None:
        return out
    for measure in framework.countermeasures.values():
        if not_recommended(measure):
            continue
        hits = [t for t in counts if t in measure.techniques or t.split(".")[0] in measure.techniques]
        if not hits:
            continue
        category = toolbox.metatechniques.get(measure.metatechnique, "resilience")
        out.candidates.setdefault(category, []).append(
            Candidate(measure, sorted(hits), category, sum(counts[t] for t in hits)))
    for items in out.candidates.values():
        items.sort(key=lambda c: (-c.weight, -len(c.counters), c.countermeasure.id))
    return out
