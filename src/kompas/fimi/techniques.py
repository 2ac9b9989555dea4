"""DISARM techniques inferred from EUvsDisinfo's keyword tags and outlet names, by the rules in
``kompas/data/fimi_techniques.yaml``.

EUvsDisinfo does not code DISARM techniques; to draw the technique matrix for its cases, a conservative rule
table maps tags that name a method (not a topic: "Conspiracy theory" -> T0022, "Historical revisionism" -> T0023)
and platforms named in outlet names ("... - YouTube" -> T0152.006 Video Platform) to techniques. Each rule quotes
the DISARM definition it rests on. Inferred techniques are indicative: the report says so wherever it shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from kompas.fimi.incident import TECHNIQUE_ID

DEFAULT = Path(__file__).resolve().parent.parent / "data" / "fimi_techniques.yaml"


class Inference:
    """The rule table: keyword tag (lower case) -> techniques, and outlet patterns -> technique."""

    def __init__(self, keywords: dict[str, list[str]], outlets: list[tuple[re.Pattern, str]]) -> None:
        self.keywords, self.outlets = keywords, outlets

    @classmethod
    def load(cls, path: str | Path | None = None) -> Inference:
        data = yaml.safe_load(Path(path or DEFAULT).read_text())
        keywords: dict[str, list[str]] = {}
        for number, rule in enumerate(data.get("keywords", []), start=1):
            _check(rule.get("technique", ""), f"keywords rule {number}")
            for tag in rule["keywords"]:
                keywords.setdefault(tag.strip().lower(), []).append(rule["technique"])
        outlets = []
        for number, rule in enumerate(data.get("outlets", []), start=1):
            _check(rule.get("technique", ""), f"outlets rule {number}")
            outlets.append((re.compile(rule["pattern"], re.IGNORECASE), rule["technique"]))
        return cls(keywords, outlets)

    def techniques(self, tags: Iterable[str], outlets: Iterable[str]) -> list[str]:
        """Techniques the rules infer for a case with these tags and outlets (each once, in rule order)."""
        found = [t for tag in tags for t in self.keywords.get(tag.strip().lower(), [])]
        found += [t for outlet in outlets for pattern, t in self.outlets if pattern.search(outlet)]
        return list(dict.fromkeys(found))


def _check(technique: str, where: str) -> None:
    if not TECHNIQUE_ID.match(technique):
        raise ValueError(f"fimi_techniques {where}: technique {technique!r} is not a DISARM technique id")


@lru_cache(maxsize=1)
def default_inference() -> Inference:
    """The shipped rules (read once)."""
    return Inference.load()
