"""Response support: for an incident or a surge, the candidate countermeasures of DISARM's blue framework linked to
its techniques, sorted into the five response categories of the FIMI toolbox, with the EU instruments of each
category and the Strategic Compass lines that name them.

The toolbox table is ``kompas/data/fimi_toolbox.yaml``: categories (prevention, resilience, disruption,
regulatory, diplomatic), their instruments with citations (checked against the seed texts by the tests), and the
category of each DISARM metatechnique (M001 Resilience, M004 Friction, ...), which places every countermeasure.
A countermeasure counters a technique when DISARM lists the technique, or its parent technique, among its
``techniques``; countermeasures covering more of the techniques seen come first. Countermeasures DISARM itself
marks "not recommended" (censorship, running a competing disinformation campaign, ...) are never proposed.

:func:`parse_toolbox` takes the table's text; :func:`kompas.fimi.load.load_toolbox` reads it (by default the
shipped one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from kompas.compass.register import Place, place_of
from kompas.fimi.disarm import Countermeasure, Framework
from kompas.texts import yaml_mapping

CATEGORIES = ("prevention", "resilience", "disruption", "regulatory", "diplomatic")
SHORT = {"000": "Strategic Compass", "003": "critical technologies roadmap", "004": "space security conclusions"}


@dataclass(frozen=True)
class Instrument:
    """An EU instrument against FIMI, with the seed lines that name it."""

    id: str
    name: str
    action: str
    cite: tuple[Place, ...]

    @property
    def citation(self) -> str:
        """``Strategic Compass l.1822-1824; ...``."""
        return "; ".join(f"{SHORT.get(p.source[:3], p.source)} l.{p.first}-{p.last}" for p in self.cite)


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    summary: str
    instruments: tuple[Instrument, ...]


@dataclass(frozen=True)
class Toolbox:
    categories: dict[str, Category]
    metatechniques: dict[str, str]  #: DISARM metatechnique id -> category id


def parse_toolbox(text: str, source: str) -> Toolbox:
    """The toolbox table from its YAML text (``categories: [{id, name, summary, instruments: [{id, name, action,
    cite}]}]``, ``metatechniques: {M001: {category}}``); raises ``ValueError`` ``SOURCE: ...`` naming what is
    wrong."""
    data = yaml_mapping(text, source)
    categories = {}
    for number, raw in enumerate(data.get("categories") or [], 1):
        if not isinstance(raw, dict) or raw.get("id") not in CATEGORIES:
            found = raw.get("id") if isinstance(raw, dict) else raw
            raise ValueError(f"{source}: category {number}: id {found!r} is not one of {', '.join(CATEGORIES)}")
        try:
            instruments = tuple(
                Instrument(str(i["id"]), str(i["name"]), str(i["action"]).strip(),
                           tuple(place_of(c, c.get("source", ""), f"{source}: {i['id']}: cite") for c in i["cite"]))
                for i in raw.get("instruments") or [])
            categories[raw["id"]] = Category(raw["id"], str(raw["name"]), str(raw.get("summary", "")).strip(),
                                             instruments)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{source}: category {raw['id']}: an instrument or the category lacks {error} "
                             "(needs id, name, action, cite)") from None
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
