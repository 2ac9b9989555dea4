"""Response support: for an incident or a surge, the candidate countermeasures of DISARM's blue framework linked to
its techniques, sorted into the five response categories of the FIMI toolbox, with the EU instruments of each
category and the Strategic Compass lines that name them.

The toolbox table is ``kompas/data/fimi_toolbox.yaml``: categories (prevention, resilience, disruption,
regulatory, diplomatic), their instruments with citations (checked against the seed texts by the tests), and the
category of each DISARM metatechnique (M001 Resilience, M004 Friction, ...), which places every countermeasure.
A countermeasure counters a technique when DISARM lists the technique, or its parent technique, among its
``techniques``; countermeasures covering more of the techniques seen come first. Countermeasures DISARM itself
marks "not recommended" (censorship, running a competing disinformation campaign, ...) are never proposed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from kompas.compass.register import Place, place_of
from kompas.fimi.disarm import Countermeasure, Framework

TOOLBOX = Path(__file__).resolve().parent.parent / "data" / "fimi_toolbox.yaml"
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


@lru_cache(maxsize=1)
def load_toolbox(path: str | Path = TOOLBOX) -> Toolbox:
    """The toolbox table; raises ValueError naming what is wrong."""
    data = yaml.safe_load(Path(path).read_text()) or {}
    categories = {}
    for raw in data.get("categories", []):
        if raw.get("id") not in CATEGORIES:
            raise ValueError(f"{path}: category {raw.get('id')!r} is not one of {', '.join(CATEGORIES)}")
        instruments = tuple(
            Instrument(str(i["id"]), str(i["name"]), str(i["action"]).strip(),
                       tuple(place_of(c, c.get("source", ""), f"{path}: {i['id']}: cite") for c in i["cite"]))
            for i in raw.get("instruments") or [])
        categories[raw["id"]] = Category(raw["id"], str(raw["name"]), str(raw.get("summary", "")).strip(),
                                         instruments)
    metatechniques = {}
    for key, value in (data.get("metatechniques") or {}).items():
        if value.get("category") not in CATEGORIES:
            raise ValueError(f"{path}: metatechnique {key}: category {value.get('category')!r} is not one of "
                             f"{', '.join(CATEGORIES)}")
        metatechniques[str(key)] = value["category"]
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
    toolbox = toolbox or load_toolbox()
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
